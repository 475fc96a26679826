/* relay-text-sanitize.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Provider-supplied text quoted in a sentence is cut to this many
 * characters. */
#define RELAY_TEXT_MAX_QUOTED 160

char     *relay_text_sanitize      (const char *text,
                                    gssize      len,
                                    gsize       max_chars);
char     *relay_text_sanitize_middle (const char *text,
                                      gsize       max_chars);
gboolean  relay_text_is_token      (const char *text,
                                    gsize       max_len,
                                    const char *extra);

G_END_DECLS
