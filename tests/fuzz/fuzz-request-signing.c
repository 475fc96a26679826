/* fuzz-request-signing.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Endpoints come from the user (relay-cli --rest-base, provider profiles)
 * and form parameters from what they type. Input: a method line, a URL
 * line, then a form body. For any input:
 *  - relay_oauth1_request_new() either refuses with a RELAY_OAUTH1_ERROR
 *    whose message is UTF-8 and never quotes a user name or password
 *    written in the URL, or gives a request;
 *  - the base string URI is stable: parsing it again gives itself;
 *  - relay_uri_check_secure() refuses exactly plain http to a host that
 *    is not a loopback address;
 *  - once signed, the base string starts with the method and base string
 *    URI, the signature is relay_oauth1_sign() of the base string, and
 *    the Authorization header parses back to the same protocol
 *    parameters, signature included.
 */

#include <string.h>

#include "relay-oauth1-error.h"
#include "relay-oauth1-header.h"
#include "relay-oauth1-params.h"
#include "relay-oauth1-request.h"
#include "relay-oauth1-uri.h"

#include "fuzz-common.h"

static void
check_uri (GUri *uri)
{
  g_autoptr(GUri) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base = relay_oauth1_base_string_uri (uri);
  g_autofree char *base_again = NULL;
  gboolean secure;

  again = relay_oauth1_parse_uri (base, &error);
  g_assert_no_error (error);
  base_again = relay_oauth1_base_string_uri (again);
  g_assert_cmpstr (base, ==, base_again);

  secure = relay_uri_check_secure (uri, &error);
  if (secure)
    {
      g_assert_no_error (error);
      g_assert_true (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ||
                     relay_uri_is_loopback (uri));
    }
  else
    {
      g_assert_error (error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_INSECURE_URI);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_true (g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0);
      g_assert_false (relay_uri_is_loopback (uri));
    }
}

/* A refused URL may be quoted, but never its user name or password. */
static void
assert_no_userinfo (const char *uri,
                    const char *message)
{
  gsize scheme_len = strspn (uri, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
  const char *authority = scheme_len > 0 && g_ascii_isalpha (uri[0]) &&
                          strncmp (uri + scheme_len, "://", 3) == 0 ? uri + scheme_len + 3 : uri;
  const char *authority_end = authority + strcspn (authority, "/?#");
  const char *at = g_strrstr_len (authority, authority_end - authority, "@");
  g_autofree char *userinfo = NULL;

  if (at == NULL || at - authority < 6)
    return;

  /* Only when the rest of the URL does not repeat it. */
  userinfo = g_strndup (authority, at - authority);
  if (strstr (at, userinfo) == NULL)
    g_assert_null (strstr (message, userinfo));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *input = fuzz_dup_string (data, size);
  g_autoptr(RelayOAuth1Request) request = NULL;
  g_autoptr(GPtrArray) form = relay_params_new ();
  g_autoptr(GPtrArray) header_params = relay_params_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_signature = NULL;
  g_autofree char *base_uri = NULL;
  g_autofree char *encoded_base_uri = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *realm = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *oauth_params;
  const char *base_string;
  const char *signature;

  lines = g_strsplit (input, "\n", 3);
  if (g_strv_length (lines) < 2)
    return 0;

  request = relay_oauth1_request_new (lines[0], lines[1], &error);
  if (request == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == RELAY_OAUTH1_ERROR);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      if (error->code == RELAY_OAUTH1_ERROR_INVALID_URI)
        assert_no_userinfo (lines[1], error->message);
      return 0;
    }
  g_assert_no_error (error);

  check_uri (relay_oauth1_request_get_uri (request));

  relay_oauth1_request_set_consumer (request, "dpf43f3p2l4k3l03", "kd94hf93k423kf44");
  relay_oauth1_request_set_token (request, "nnch734d00sl2jdk", "pfkkdhi9sl3r4s00");
  relay_oauth1_request_set_nonce (request, "kllo9940pd9333jh");
  relay_oauth1_request_set_timestamp (request, "1191242096");
  relay_oauth1_request_set_realm (request, "Photos");
  if (lines[2] != NULL && relay_params_parse_form (form, lines[2], -1, NULL))
    for (guint i = 0; i < form->len && i < 32; i++)
      {
        const RelayParam *param = g_ptr_array_index (form, i);

        relay_oauth1_request_add_form (request, param->name, param->value);
      }

  if (!relay_oauth1_request_sign (request, &error))
    {
      g_assert_nonnull (error);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  g_assert_no_error (error);

  base_string = relay_oauth1_request_get_base_string (request);
  signature = relay_oauth1_request_get_signature (request);
  g_assert_nonnull (base_string);
  g_assert_nonnull (signature);

  base_uri = relay_oauth1_base_string_uri (relay_oauth1_request_get_uri (request));
  encoded_base_uri = g_uri_escape_string (base_uri, NULL, FALSE);
  prefix = g_strdup_printf ("%s&%s&", relay_oauth1_request_get_method (request), encoded_base_uri);
  g_assert_true (g_str_has_prefix (base_string, prefix));

  expected_signature = relay_oauth1_sign (RELAY_OAUTH1_HMAC_SHA1, base_string,
                                          "kd94hf93k423kf44", "pfkkdhi9sl3r4s00");
  g_assert_cmpstr (signature, ==, expected_signature);

  g_assert_true (relay_oauth1_parse_authorization (relay_oauth1_request_get_authorization (request),
                                                   header_params, &realm, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (realm, ==, "Photos");
  g_assert_cmpstr (relay_params_get (header_params, "oauth_signature"), ==, signature);
  g_assert_cmpstr (relay_params_get (header_params, "oauth_nonce"), ==, "kllo9940pd9333jh");

  oauth_params = relay_oauth1_request_get_oauth_params (request);
  for (guint i = 0; i < oauth_params->len; i++)
    {
      const RelayParam *param = g_ptr_array_index (oauth_params, i);

      g_assert_cmpstr (relay_params_get (header_params, param->name), ==, param->value);
    }

  return 0;
}
