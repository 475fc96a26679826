/* relay-sms-check.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *relay_sms_check_sender  (const char *from);
char     *relay_sms_check_text    (const char *text);
gboolean  relay_sms_text_is_blank (const char *text);

G_END_DECLS
