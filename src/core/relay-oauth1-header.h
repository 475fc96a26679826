/* relay-oauth1-header.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *relay_oauth1_build_authorization (const char  *realm,
                                            GPtrArray   *oauth_params);
gboolean  relay_oauth1_parse_authorization (const char  *header,
                                            GPtrArray   *params,
                                            char       **realm,
                                            GError     **error);

G_END_DECLS
