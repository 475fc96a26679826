/* relay-oauth1-uri.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

GUri     *relay_oauth1_parse_uri        (const char  *uri,
                                         GError     **error);
char     *relay_oauth1_base_string_uri  (GUri        *uri);
char     *relay_oauth1_base_string      (const char  *method,
                                         GUri        *uri,
                                         GPtrArray   *params);
gboolean  relay_uri_is_loopback         (GUri        *uri);
gboolean  relay_uri_check_secure        (GUri        *uri,
                                         GError     **error);

G_END_DECLS
