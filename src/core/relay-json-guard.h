/* relay-json-guard.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* No provider answer Relay reads nests deeper than a few levels;
 * json-glib's parser recurses once per level, so depth is bounded before
 * it runs. */
#define RELAY_JSON_MAX_DEPTH 64

#define RELAY_JSON_GUARD_ERROR (relay_json_guard_error_quark ())

typedef enum
{
  RELAY_JSON_GUARD_ERROR_EMPTY,     /* no bytes at all */
  RELAY_JSON_GUARD_ERROR_NOT_TEXT,  /* not UTF-8, a NUL byte, a \u0000 escape or a lone surrogate */
  RELAY_JSON_GUARD_ERROR_TOO_DEEP,  /* nested deeper than allowed */
  RELAY_JSON_GUARD_ERROR_INVALID,   /* json-glib refused it */
} RelayJsonGuardError;

GQuark    relay_json_guard_error_quark (void);
gboolean  relay_json_guard_check       (const char  *json,
                                        gsize        len,
                                        guint        max_depth,
                                        GError     **error);
JsonNode *relay_json_guard_parse       (const char  *json,
                                        gssize       len,
                                        GError     **error);

/* Writing: a member holding @value, or null when it is %NULL; a member
 * holding the UTC time @us (µs since the epoch) as 2026-12-01T10:00:00Z,
 * or null when it is 0 or less. */
void      relay_json_add_string        (JsonBuilder *builder,
                                        const char  *name,
                                        const char  *value);
char     *relay_json_format_time       (gint64       us);
void      relay_json_add_time          (JsonBuilder *builder,
                                        const char  *name,
                                        gint64       us);

G_END_DECLS
