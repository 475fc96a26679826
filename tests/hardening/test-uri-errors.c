/* test-uri-errors.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Regression tests for what fuzz-request-signing found: a refused URL or
 * method is quoted in valid UTF-8 and without the password it carried,
 * and a host that GUri decodes into something no host name can hold is
 * refused instead of reaching the signature base string.
 */

#include <string.h>

#include "relay-oauth1-error.h"
#include "relay-oauth1-request.h"
#include "relay-oauth1-uri.h"

static void
assert_refused (const char *method,
                const char *uri,
                int         code,
                const char *must_not_contain)
{
  g_autoptr(RelayOAuth1Request) request = NULL;
  g_autoptr(GError) error = NULL;

  request = relay_oauth1_request_new (method, uri, &error);
  g_assert_null (request);
  g_assert_error (error, RELAY_OAUTH1_ERROR, code);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  if (must_not_contain != NULL)
    g_assert_null (strstr (error->message, must_not_contain));
}

static void
test_no_password_quoted (void)
{
  g_autoptr(RelayOAuth1Request) request = NULL;
  g_autoptr(GError) error = NULL;

  assert_refused ("GET", "https://apikey:apisecret123@rest.nexmo.com/sms/json",
                  RELAY_OAUTH1_ERROR_INVALID_URI, "apisecret123");
  assert_refused ("GET", "https://apikey:apisecret123@rest.nexmo.com:0/",
                  RELAY_OAUTH1_ERROR_INVALID_URI, "apisecret123");
  assert_refused ("GET", "ftp://apikey:apisecret123@rest.nexmo.com/",
                  RELAY_OAUTH1_ERROR_INVALID_URI, "apisecret123");

  /* The rest of the address is still there to help the user. */
  request = relay_oauth1_request_new ("GET", "https://k:apisecret123@rest.nexmo.com/x", &error);
  g_assert_null (request);
  g_assert_nonnull (strstr (error->message, "rest.nexmo.com/x"));
}

static void
test_quoted_as_utf8 (void)
{
  assert_refused ("GET", "http://ex\xff" "ample.com/", RELAY_OAUTH1_ERROR_INVALID_URI, NULL);
  assert_refused ("GET", "ht\xfftp://example.com/", RELAY_OAUTH1_ERROR_INVALID_URI, NULL);
  assert_refused ("G\xff" "T", "http://example.com/", RELAY_OAUTH1_ERROR_INVALID_METHOD, NULL);
}

static void
test_host_names (void)
{
  static const char *const accepted[] = {
    "http://127.0.0.1:8080/sms/json",
    "http://[::1]:5000/oauth/",
    "https://rest.nexmo.com",
    "https://REST.Nexmo.COM:443/account/get-balance",
    "https://xn--bcher-kva.example/",
    "https://b\303\274cher.example/",
    "https://[123:db8:fd00:1000::5]:13000",
    "http://my_host.local/",
  };
  static const char *const refused[] = {
    "http://a%40b.example/",
    "http://[fe80::1%25eth0]/",
    "http://[::1%253D=&%40=]/",
    "http://a%20b.example/",
    "http://exa%2Fmple.com/",
    "http://%00/",
  };

  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_autoptr(GUri) uri = NULL;
      g_autoptr(GError) error = NULL;

      uri = relay_oauth1_parse_uri (accepted[i], &error);
      g_assert_no_error (error);
      g_assert_nonnull (uri);
    }

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GUri) uri = NULL;
      g_autoptr(GError) error = NULL;

      uri = relay_oauth1_parse_uri (refused[i], &error);
      g_assert_null (uri);
      g_assert_error (error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_INVALID_URI);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/relay/hardening/uri-errors/no-password-quoted", test_no_password_quoted);
  g_test_add_func ("/relay/hardening/uri-errors/quoted-as-utf8", test_quoted_as_utf8);
  g_test_add_func ("/relay/hardening/uri-errors/host-names", test_host_names);

  return g_test_run ();
}
