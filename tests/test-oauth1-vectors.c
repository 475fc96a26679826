/* test-oauth1-vectors.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every published vector of shared/oauth1-notes.md §2, through the public
 * core API.
 */

#include <string.h>

#include "relay-oauth1-params.h"
#include "relay-oauth1-request.h"
#include "relay-oauth1-uri.h"

static void
test_percent_encoding (void)
{
  static const struct { const char *in, *out; } rows[] = {
    { "abcABC123", "abcABC123" },
    { "-._~", "-._~" },
    { "%", "%25" },
    { "+", "%2B" },
    { "&=*", "%26%3D%2A" },
    { "\n", "%0A" },
    { " ", "%20" },
    { "\x7F", "%7F" },
    { "\xC2\x80", "%C2%80" },
    { "\xE3\x80\x81", "%E3%80%81" },
    { "a b", "a%20b" },
    { "!'()", "%21%27%28%29" },
    { "*", "%2A" },
    { "/", "%2F" },
    { "\xC3\xA9", "%C3%A9" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *encoded = relay_percent_encode (rows[i].in);
      g_autofree char *decoded = NULL;

      g_assert_cmpstr (encoded, ==, rows[i].out);
      decoded = relay_percent_decode (encoded, -1, FALSE, NULL, NULL);
      g_assert_cmpstr (decoded, ==, rows[i].in);
    }
}

static char *
normalize_query (const char *query)
{
  g_autoptr(GPtrArray) params = relay_params_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (relay_params_parse_form (params, query, -1, &error));
  g_assert_no_error (error);

  return relay_params_normalize (params);
}

static void
test_normalization (void)
{
  static const struct { const char *in, *out; } rows[] = {
    { "name", "name=" },
    { "a=b", "a=b" },
    { "a=b&c=d", "a=b&c=d" },
    { "a=x!y&a=x+y", "a=x%20y&a=x%21y" },
    { "x!y=a&x=a", "x=a&x%21y=a" },
    { "org-country=US&org=acme", "org=acme&org-country=US" },
    { "name10=v&name1=v", "name1=v&name10=v" },
    { "a-=1&a/=2", "a%2F=2&a-=1" },
    { "z=1&%C3%A9=2", "%C3%A9=2&z=1" },
    { "b=1&B=2&a=3", "B=2&a=3&b=1" },
    { "q=a+b&r=a%2Bb&s=%7E&e=&n", "e=&n=&q=a%20b&r=a%2Bb&s=~" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *normalized = normalize_query (rows[i].in);

      g_assert_cmpstr (normalized, ==, rows[i].out);
    }
}

static void
test_base_string_uri (void)
{
  static const struct { const char *in, *out; } rows[] = {
    { "http://EXAMPLE.COM:80/r%20v/X?id=123", "http://example.com/r%20v/X" },
    { "https://www.example.net:8080/?q=1", "https://www.example.net:8080/" },
    { "https://www.example.com:443/", "https://www.example.com/" },
    { "http://www.example.com:80/", "http://www.example.com/" },
    { "HTTP://www.example.com:443/", "http://www.example.com:443/" },
    { "HTTPS://www.example.com:80/", "https://www.example.com:80/" },
    { "http://www.example.com", "http://www.example.com/" },
    { "http://www.example.com:/", "http://www.example.com/" },
    { "https://[123:db8:fd00:1000::5]:13000", "https://[123:db8:fd00:1000::5]:13000/" },
    { "https://www.example.com/path#fragment", "https://www.example.com/path" },
    { "http://WWW.EXAMPLE.COM", "http://www.example.com/" },
    /* GUri turns escaped unreserved characters into the characters
     * (RFC 3986 §6.2.2.2) and libsoup sends that GUri, so the signed path
     * is the path on the wire; reserved escapes such as %2F stay. */
    { "http://example.com/a%7Eb/p%2Fq", "http://example.com/a~b/p%2Fq" },
  };
  static const char *const invalid[] = {
    "", "http", "example.com", "http://", "http://:8080", "http://eg.com:0",
    "http://eg.com:-1", "http://eg.com:65536", "http://eg.com:3.14", "http://eg.com:BAD",
    "http://eg.com:42:42", "ftp://example.com/", "http://user:pw@example.com/",
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GUri) uri = relay_oauth1_parse_uri (rows[i].in, &error);
      g_autofree char *base = NULL;

      g_assert_no_error (error);
      base = relay_oauth1_base_string_uri (uri);
      g_assert_cmpstr (base, ==, rows[i].out);
    }

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GUri) uri = relay_oauth1_parse_uri (invalid[i], &error);

      if (uri != NULL)
        g_error ("“%s” should be refused", invalid[i]);
      g_assert_nonnull (error);
    }
}

static void
test_liboauth_wiki_base_string (void)
{
  g_autoptr(RelayOAuth1Request) request = NULL;

  request = relay_oauth1_request_new ("GET", "http://example.com?n=v", NULL);
  relay_oauth1_request_set_consumer (request, "k", NULL);
  relay_oauth1_request_set_nonce (request, "n");
  relay_oauth1_request_set_timestamp (request, "1");
  g_assert_true (relay_oauth1_request_sign (request, NULL));
  g_assert_true (g_str_has_prefix (relay_oauth1_request_get_base_string (request),
                                   "GET&http%3A%2F%2Fexample.com%2F&n%3Dv"));

  g_clear_object (&request);
  request = relay_oauth1_request_new ("POST",
                                      "https://photos.example.net/request_token?oauth_version=1.0"
                                      "&oauth_consumer_key=dpf43f3p2l4k3l03&oauth_timestamp=1191242090"
                                      "&oauth_nonce=hsu94j3884jdopsl&oauth_signature_method=PLAINTEXT"
                                      "&oauth_signature=ignored", NULL);
  g_assert_nonnull (request);
  {
    g_autoptr(GPtrArray) params = relay_params_new ();
    g_autoptr(GUri) uri = relay_oauth1_parse_uri ("https://photos.example.net/request_token", NULL);
    g_autofree char *base = NULL;

    /* the query carries the protocol parameters; oauth_signature is dropped */
    g_assert_true (relay_params_parse_form (params,
                                            "oauth_version=1.0&oauth_consumer_key=dpf43f3p2l4k3l03"
                                            "&oauth_timestamp=1191242090&oauth_nonce=hsu94j3884jdopsl"
                                            "&oauth_signature_method=PLAINTEXT", -1, NULL));
    base = relay_oauth1_base_string ("POST", uri, params);
    g_assert_cmpstr (base, ==,
                     "POST&https%3A%2F%2Fphotos.example.net%2Frequest_token&oauth_consumer_key%3Ddpf43f3p2l4k3l03"
                     "%26oauth_nonce%3Dhsu94j3884jdopsl%26oauth_signature_method%3DPLAINTEXT"
                     "%26oauth_timestamp%3D1191242090%26oauth_version%3D1.0");
  }
}

static RelayOAuth1Request *
rfc_example_request (gboolean version)
{
  RelayOAuth1Request *request;
  g_autoptr(GBytes) body = g_bytes_new_static ("c2&a3=2+q", 9);

  request = relay_oauth1_request_new ("POST",
                                      "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
                                      NULL);
  g_assert_nonnull (request);
  relay_oauth1_request_set_body (request, "application/x-www-form-urlencoded", body);
  relay_oauth1_request_set_consumer (request, "9djdj82h48djs9d2", "j49sk3j29djd");
  relay_oauth1_request_set_token (request, "kkk9d7dh3k39sjv7", "dh893hdasih9");
  relay_oauth1_request_set_nonce (request, "7d8f3e4a");
  relay_oauth1_request_set_timestamp (request, "137131201");
  relay_oauth1_request_set_realm (request, "Example");
  relay_oauth1_request_set_include_version (request, version);

  return request;
}

static void
test_rfc_worked_example (void)
{
  g_autoptr(RelayOAuth1Request) request = rfc_example_request (FALSE);
  g_autoptr(RelayOAuth1Request) versioned = rfc_example_request (TRUE);
  g_autoptr(GError) error = NULL;
  const char *header;

  g_assert_true (relay_oauth1_request_sign (request, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (relay_oauth1_request_get_base_string (request), ==,
                   "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da"
                   "%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2"
                   "%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1"
                   "%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7");
  /* RFC 5849 prints bYT5CMsGcbgUdFHObYMEfcx6bsw=, which is an erratum */
  g_assert_cmpstr (relay_oauth1_request_get_signature (request), ==, "r6/TJjbCOr97/+UU0NsvSne7s5g=");

  header = relay_oauth1_request_get_authorization (request);
  g_assert_true (g_str_has_prefix (header, "OAuth realm=\"Example\", "));
  g_assert_nonnull (strstr (header, "oauth_signature=\"r6%2FTJjbCOr97%2F%2BUU0NsvSne7s5g%3D\""));

  g_assert_true (relay_oauth1_request_sign (versioned, NULL));
  g_assert_cmpstr (relay_oauth1_request_get_signature (versioned), ==, "OB33pYjWAnf+xtOHN4Gmbdil168=");
}

static void
test_rfc_three_legged (void)
{
  g_autoptr(RelayOAuth1Request) initiate = NULL;
  g_autoptr(RelayOAuth1Request) token = NULL;
  g_autoptr(RelayOAuth1Request) resource = NULL;
  g_autoptr(RelayOAuth1Request) resource_https = NULL;

  initiate = relay_oauth1_request_new ("POST", "https://photos.example.net/initiate", NULL);
  relay_oauth1_request_set_consumer (initiate, "dpf43f3p2l4k3l03", "kd94hf93k423kf44");
  relay_oauth1_request_set_callback (initiate, "http://printer.example.com/ready");
  relay_oauth1_request_set_nonce (initiate, "wIjqoS");
  relay_oauth1_request_set_timestamp (initiate, "137131200");
  g_assert_true (relay_oauth1_request_sign (initiate, NULL));
  g_assert_cmpstr (relay_oauth1_request_get_base_string (initiate), ==,
                   "POST&https%3A%2F%2Fphotos.example.net%2Finitiate&oauth_callback%3Dhttp%253A%252F%252F"
                   "printer.example.com%252Fready%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DwIjqoS"
                   "%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131200");
  g_assert_cmpstr (relay_oauth1_request_get_signature (initiate), ==, "74KNZJeDHnMBp0EMJ9ZHt/XKycU=");
  g_assert_nonnull (strstr (relay_oauth1_request_get_authorization (initiate),
                            "oauth_signature=\"74KNZJeDHnMBp0EMJ9ZHt%2FXKycU%3D\""));

  relay_oauth1_request_set_include_version (initiate, TRUE);
  g_assert_true (relay_oauth1_request_sign (initiate, NULL));
  g_assert_cmpstr (relay_oauth1_request_get_signature (initiate), ==, "msrTmwtDEKqeVXeJaufuiXOpbJI=");

  token = relay_oauth1_request_new ("POST", "https://photos.example.net/token", NULL);
  relay_oauth1_request_set_consumer (token, "dpf43f3p2l4k3l03", "kd94hf93k423kf44");
  relay_oauth1_request_set_token (token, "hh5s93j4hdidpola", "hdhd0244k9j7ao03");
  relay_oauth1_request_set_verifier (token, "hfdp7dh39dks9884");
  relay_oauth1_request_set_nonce (token, "walatlh");
  relay_oauth1_request_set_timestamp (token, "137131201");
  g_assert_true (relay_oauth1_request_sign (token, NULL));
  g_assert_cmpstr (relay_oauth1_request_get_base_string (token), ==,
                   "POST&https%3A%2F%2Fphotos.example.net%2Ftoken&oauth_consumer_key%3Ddpf43f3p2l4k3l03"
                   "%26oauth_nonce%3Dwalatlh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201"
                   "%26oauth_token%3Dhh5s93j4hdidpola%26oauth_verifier%3Dhfdp7dh39dks9884");
  g_assert_cmpstr (relay_oauth1_request_get_signature (token), ==, "gKgrFCywp7rO0OXSjdot/IHF7IU=");

  resource = relay_oauth1_request_new ("GET", "http://photos.example.net/photos?file=vacation.jpg&size=original", NULL);
  relay_oauth1_request_set_consumer (resource, "dpf43f3p2l4k3l03", "kd94hf93k423kf44");
  relay_oauth1_request_set_token (resource, "nnch734d00sl2jdk", "pfkkdhi9sl3r4s00");
  relay_oauth1_request_set_nonce (resource, "chapoH");
  relay_oauth1_request_set_timestamp (resource, "137131202");
  g_assert_true (relay_oauth1_request_sign (resource, NULL));
  g_assert_cmpstr (relay_oauth1_request_get_base_string (resource), ==,
                   "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg"
                   "%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DchapoH"
                   "%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131202"
                   "%26oauth_token%3Dnnch734d00sl2jdk%26size%3Doriginal");
  g_assert_cmpstr (relay_oauth1_request_get_signature (resource), ==, "MdpQcU8iPSUjWoN/UDMsK2sui9I=");

  resource_https = relay_oauth1_request_new ("GET", "https://photos.example.net/photos?file=vacation.jpg&size=original", NULL);
  relay_oauth1_request_set_consumer (resource_https, "dpf43f3p2l4k3l03", "kd94hf93k423kf44");
  relay_oauth1_request_set_token (resource_https, "nnch734d00sl2jdk", "pfkkdhi9sl3r4s00");
  relay_oauth1_request_set_nonce (resource_https, "chapoH");
  relay_oauth1_request_set_timestamp (resource_https, "137131202");
  g_assert_true (relay_oauth1_request_sign (resource_https, NULL));
  g_assert_cmpstr (relay_oauth1_request_get_signature (resource_https), ==, "91yh92rtXzicpezVYjTDNzieVps=");
}

static void
test_core10_appendix (void)
{
  g_autoptr(RelayOAuth1Request) request = NULL;

  request = relay_oauth1_request_new ("GET", "http://photos.example.net/photos?file=vacation.jpg&size=original", NULL);
  relay_oauth1_request_set_consumer (request, "dpf43f3p2l4k3l03", "kd94hf93k423kf44");
  relay_oauth1_request_set_token (request, "nnch734d00sl2jdk", "pfkkdhi9sl3r4s00");
  relay_oauth1_request_set_nonce (request, "kllo9940pd9333jh");
  relay_oauth1_request_set_timestamp (request, "1191242096");
  relay_oauth1_request_set_include_version (request, TRUE);
  g_assert_true (relay_oauth1_request_sign (request, NULL));
  g_assert_cmpstr (relay_oauth1_request_get_base_string (request), ==,
                   "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg"
                   "%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh"
                   "%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096"
                   "%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal");
  g_assert_cmpstr (relay_oauth1_request_get_signature (request), ==, "tR3+Ty81lMeYAr/Fid0kMTYa/WM=");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/relay/oauth1-vectors/percent-encoding", test_percent_encoding);
  g_test_add_func ("/relay/oauth1-vectors/normalization", test_normalization);
  g_test_add_func ("/relay/oauth1-vectors/base-string-uri", test_base_string_uri);
  g_test_add_func ("/relay/oauth1-vectors/liboauth-wiki", test_liboauth_wiki_base_string);
  g_test_add_func ("/relay/oauth1-vectors/rfc5849-worked-example", test_rfc_worked_example);
  g_test_add_func ("/relay/oauth1-vectors/rfc5849-three-legged", test_rfc_three_legged);
  g_test_add_func ("/relay/oauth1-vectors/core10-appendix-a5", test_core10_appendix);

  return g_test_run ();
}
