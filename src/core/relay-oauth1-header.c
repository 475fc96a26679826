/* relay-oauth1-header.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <string.h>

#include "relay-oauth1-error.h"
#include "relay-oauth1-header.h"
#include "relay-oauth1-params.h"

/* GString rounds this up to 512 bytes: enough for a typical request, and
 * below glibc's 1 KiB large-chunk size, whose allocation consolidates the
 * fast bins every time. */
#define SIGNING_BUFFER_SIZE 500

#define MAX_HEADER_PARAMS 64

/**
 * relay_oauth1_build_authorization:
 * @realm: (nullable): the realm, sent first and never signed
 * @oauth_params: the protocol parameters, oauth_signature included
 *
 * RFC 5849 §3.5.1: `OAuth realm="…", name="value", …` with every value
 * §3.6-encoded.
 *
 * Returns: (transfer full): the header value
 */
char *
relay_oauth1_build_authorization (const char *realm,
                                  GPtrArray  *oauth_params)
{
  GString *out;
  gboolean first = TRUE;

  g_return_val_if_fail (oauth_params != NULL, NULL);

  out = g_string_sized_new (SIGNING_BUFFER_SIZE);
  g_string_append (out, "OAuth ");
  if (realm != NULL)
    {
      g_string_append (out, "realm=\"");
      relay_percent_encode_append (out, realm, strlen (realm));
      g_string_append_c (out, '"');
      first = FALSE;
    }

  for (guint i = 0; i < oauth_params->len; i++)
    {
      const RelayParam *param = g_ptr_array_index (oauth_params, i);

      if (!first)
        g_string_append (out, ", ");
      first = FALSE;
      relay_percent_encode_append (out, param->name, strlen (param->name));
      g_string_append (out, "=\"");
      relay_percent_encode_append (out, param->value, strlen (param->value));
      g_string_append_c (out, '"');
    }

  return g_string_free (out, FALSE);
}

static gboolean
fail (GError     **error,
      const char  *message)
{
  g_set_error_literal (error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_MALFORMED, message);
  return FALSE;
}

static const char *
skip_space (const char *p)
{
  while (*p == ' ' || *p == '\t')
    p++;
  return p;
}

/**
 * relay_oauth1_parse_authorization:
 * @header: an Authorization header value
 * @params: list to receive the decoded parameters (realm excluded)
 * @realm: (out) (optional) (nullable): the decoded realm
 * @error: a #GError
 *
 * Parses `OAuth name="value", …` strictly: the scheme is matched without
 * regard to case, every value must be quoted and percent-encoded, and no
 * parameter may appear twice (§3.5.1). On error @params is unchanged.
 *
 * Returns: %TRUE on success
 */
gboolean
relay_oauth1_parse_authorization (const char  *header,
                                  GPtrArray   *params,
                                  char       **realm,
                                  GError     **error)
{
  g_autoptr(GPtrArray) parsed = NULL;
  g_autofree char *parsed_realm = NULL;
  const char *p;

  g_return_val_if_fail (header != NULL, FALSE);
  g_return_val_if_fail (params != NULL, FALSE);

  p = skip_space (header);
  if (g_ascii_strncasecmp (p, "OAuth", 5) != 0 || (p[5] != ' ' && p[5] != '\t' && p[5] != '\0'))
    return fail (error, "The Authorization header does not use the OAuth scheme.");
  p = skip_space (p + 5);

  parsed = relay_params_new ();
  while (*p != '\0')
    {
      const char *name_start = p;
      const char *value_start;
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;
      gsize value_len;

      while (g_ascii_isalnum (*p) || *p == '_' || *p == '-' || *p == '.' || *p == '~' || *p == '%')
        p++;
      if (p == name_start)
        return fail (error, "The Authorization header has a parameter without a name.");
      if (!(name = relay_percent_decode (name_start, p - name_start, FALSE, NULL, error)))
        return FALSE;

      p = skip_space (p);
      if (*p++ != '=')
        return fail (error, "The Authorization header has a parameter without a value.");
      p = skip_space (p);
      if (*p++ != '"')
        return fail (error, "The Authorization header has an unquoted value.");

      value_start = p;
      while (*p != '\0' && *p != '"')
        p++;
      if (*p != '"')
        return fail (error, "The Authorization header has an unterminated value.");
      if (!(value = relay_percent_decode (value_start, p - value_start, FALSE, &value_len, error)))
        return FALSE;
      p = skip_space (p + 1);

      if (g_ascii_strcasecmp (name, "realm") == 0)
        {
          if (parsed_realm != NULL)
            return fail (error, "The Authorization header names the realm twice.");
          parsed_realm = g_steal_pointer (&value);
        }
      else
        {
          if (relay_params_count (parsed, name) > 0)
            return fail (error, "The Authorization header repeats a parameter.");
          if (parsed->len >= MAX_HEADER_PARAMS)
            return fail (error, "The Authorization header has too many parameters.");
          relay_params_add_len (parsed, name, strlen (name), value, value_len);
        }

      if (*p == ',')
        p = skip_space (p + 1);
      else if (*p != '\0')
        return fail (error, "The Authorization header parameters must be separated by commas.");
    }

  if (parsed->len == 0)
    return fail (error, "The Authorization header carries no OAuth parameters.");

  for (guint i = 0; i < parsed->len; i++)
    {
      RelayParam *param = g_ptr_array_index (parsed, i);

      relay_params_add (params, param->name, param->value);
    }

  if (realm != NULL)
    *realm = g_steal_pointer (&parsed_realm);

  return TRUE;
}
