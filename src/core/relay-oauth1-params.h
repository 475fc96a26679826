/* relay-oauth1-params.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * RelayParam:
 * @name: the decoded parameter name
 * @value: the decoded parameter value (never %NULL; empty for a bare name)
 *
 * One request parameter, decoded once. Parameter lists are #GPtrArray of
 * #RelayParam, created with relay_params_new(); names may repeat.
 */
typedef struct
{
  char *name;
  char *value;
} RelayParam;

GPtrArray  *relay_params_new              (void);
void        relay_params_add              (GPtrArray   *params,
                                           const char  *name,
                                           const char  *value);
void        relay_params_add_len          (GPtrArray   *params,
                                           const char  *name,
                                           gsize        name_len,
                                           const char  *value,
                                           gsize        value_len);
const char *relay_params_get              (GPtrArray   *params,
                                           const char  *name);
guint       relay_params_count            (GPtrArray   *params,
                                           const char  *name);
void        relay_params_sort             (GPtrArray   *params);

char       *relay_percent_encode          (const char  *text);
void        relay_percent_encode_append   (GString     *out,
                                           const char  *text,
                                           gsize        len);
char       *relay_percent_decode          (const char  *text,
                                           gssize       len,
                                           gboolean     plus_is_space,
                                           gsize       *out_len,
                                           GError     **error);

gboolean    relay_params_parse_form       (GPtrArray   *params,
                                           const char  *text,
                                           gssize       len,
                                           GError     **error);
char       *relay_params_to_form          (GPtrArray   *params);
char       *relay_params_normalize        (GPtrArray   *params);
void        relay_params_append_normalized_encoded
                                          (GString     *out,
                                           GPtrArray   *params);

G_END_DECLS
