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

#include "relay-oauth1-error.h"
#include "relay-oauth1-header.h"
#include "relay-oauth1-params.h"
#include "relay-oauth1-request.h"
#include "relay-oauth1-token.h"
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

/* V4's base string, reused by V8 */
#define RFC_BASE_STRING \
  "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da" \
  "%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2" \
  "%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1" \
  "%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7"

static RelayOAuth1Request *
new_request (const char *method,
             const char *uri)
{
  g_autoptr(GError) error = NULL;
  RelayOAuth1Request *request = relay_oauth1_request_new (method, uri, &error);

  g_assert_no_error (error);
  g_assert_nonnull (request);

  return request;
}

static void
sign_ok (RelayOAuth1Request *request)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (relay_oauth1_request_sign (request, &error));
  g_assert_no_error (error);
}

static void
set_form_body (RelayOAuth1Request *request,
               const char         *body)
{
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

  relay_oauth1_request_set_body (request, RELAY_FORM_CONTENT_TYPE, bytes);
}

static RelayOAuth1Request *
twitter_request (const char *uri)
{
  RelayOAuth1Request *request = new_request ("POST", uri);

  /* lowercase hex on the wire: it is decoded before normalizing */
  set_form_body (request, "status=Hello%20Ladies%20%2b%20Gentlemen%2c%20a%20signed%20OAuth%20request%21");
  relay_oauth1_request_set_consumer (request, "xvz1evFS4wEEPTGEFPHBog",
                                     "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw");
  relay_oauth1_request_set_token (request, "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
                                  "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE");
  relay_oauth1_request_set_nonce (request, "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg");
  relay_oauth1_request_set_timestamp (request, "1318622958");
  relay_oauth1_request_set_include_version (request, TRUE);
  sign_ok (request);

  return request;
}

static void
test_twitter (void)
{
  g_autoptr(RelayOAuth1Request) request = NULL;
  g_autoptr(RelayOAuth1Request) x = NULL;
  g_autofree char *key = NULL;

  request = twitter_request ("https://api.twitter.com/1.1/statuses/update.json?include_entities=true");
  g_assert_cmpstr (relay_oauth1_request_get_base_string (request), ==,
                   "POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue"
                   "%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog"
                   "%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"
                   "%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958"
                   "%26oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb"
                   "%26oauth_version%3D1.0%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen"
                   "%252C%2520a%2520signed%2520OAuth%2520request%2521");
  g_assert_cmpstr (relay_oauth1_request_get_signature (request), ==, "hCtSmYh+iHYCEqBWrE7C7hYmtUk=");
  g_assert_nonnull (strstr (relay_oauth1_request_get_authorization (request),
                            "oauth_signature=\"hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D\""));

  key = relay_oauth1_signing_key ("kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
                                  "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE");
  g_assert_cmpstr (key, ==, "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw&LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE");

  x = twitter_request ("https://api.x.com/1.1/statuses/update.json?include_entities=true");
  g_assert_cmpstr (relay_oauth1_request_get_signature (x), ==, "Ls93hJiZbQ3akF3HF3x1Bz8/zU4=");
}

static void
test_oauthlib_signatures (void)
{
  static const char *client_secret = "ECrDNoq1VYzzzzzzzzzyAK7TwZNtPnkqatqZZZZ";
  static const char *owner_secret = "just-a-string    asdasd";
  static const struct { RelayOAuth1SignatureMethod method; const char *signature; } rows[] = {
    { RELAY_OAUTH1_HMAC_SHA1, "wsdNmjGB7lvis0UJuPAmjvX/PXw=" },
    { RELAY_OAUTH1_HMAC_SHA256, "wdfdHUKXHbOnOGZP8WFAWMSAmWzN3EVBWWgXGlC/Eo4=" },
    { RELAY_OAUTH1_HMAC_SHA512, "u/vlyZFDxOWOZ9UUXwRBJHvq8/T4jCA74ocRmn2ECnjUBTAeJiZIRU8hDTjS88Tz1fGONffMpdZxUkUTW3k1kg==" },
    { RELAY_OAUTH1_PLAINTEXT, "ECrDNoq1VYzzzzzzzzzyAK7TwZNtPnkqatqZZZZ&just-a-string%20%20%20%20asdasd" },
  };
  g_autofree char *key = relay_oauth1_signing_key (client_secret, owner_secret);

  /* the four spaces of the token secret are encoded in the key */
  g_assert_cmpstr (key, ==, "ECrDNoq1VYzzzzzzzzzyAK7TwZNtPnkqatqZZZZ&just-a-string%20%20%20%20asdasd");

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *signature = relay_oauth1_sign (rows[i].method, RFC_BASE_STRING,
                                                      client_secret, owner_secret);
      /* false positives a verifier must reject (oauthlib's list) */
      g_autofree char *other_text = relay_oauth1_sign (rows[i].method, "POST&http%3A%2F%2Fexample.com%2F&",
                                                       client_secret, owner_secret);
      g_autofree char *wrong_client = relay_oauth1_sign (rows[i].method, RFC_BASE_STRING,
                                                         "ECrDNoq1VYzzzzzzzzzyAK7TwZNtPnkqatqZZZZZ", owner_secret);
      g_autofree char *no_client = relay_oauth1_sign (rows[i].method, RFC_BASE_STRING, NULL, owner_secret);
      g_autofree char *empty_client = relay_oauth1_sign (rows[i].method, RFC_BASE_STRING, "", owner_secret);
      g_autofree char *wrong_owner = relay_oauth1_sign (rows[i].method, RFC_BASE_STRING,
                                                        client_secret, "just-a-string asdasd");
      g_autofree char *no_owner = relay_oauth1_sign (rows[i].method, RFC_BASE_STRING, client_secret, NULL);
      const char *rejects[] = {
        "", "ZG9uJ3QgdHJ1c3QgbWUK", "alt\xC3\xA9rer", wrong_client, no_client, empty_client,
        wrong_owner, no_owner,
      };

      g_assert_cmpstr (signature, ==, rows[i].signature);
      g_assert_true (relay_constant_time_equal (signature, rows[i].signature));

      for (guint j = 0; j < G_N_ELEMENTS (rejects); j++)
        g_assert_false (relay_constant_time_equal (rejects[j], signature));
      if (rows[i].method != RELAY_OAUTH1_PLAINTEXT)
        g_assert_false (relay_constant_time_equal (other_text, signature));
    }
}

static RelayOAuth1Request *
oauthlib_client_request (const char *method,
                         const char *uri,
                         const char *nonce,
                         const char *timestamp)
{
  RelayOAuth1Request *request = new_request (method, uri);

  relay_oauth1_request_set_consumer (request, "client_key", NULL);
  relay_oauth1_request_set_nonce (request, nonce);
  relay_oauth1_request_set_timestamp (request, timestamp);
  relay_oauth1_request_set_include_version (request, TRUE);

  return request;
}

static void
test_oauthlib_client (void)
{
  static const char *const base =
    "GET&http%3A%2F%2Fexample.com%2F&oauth_consumer_key%3Dclient_key%26oauth_nonce%3Dabc"
    "%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1234567890%26oauth_version%3D1.0";
  g_autoptr(RelayOAuth1Request) get = NULL;
  g_autoptr(RelayOAuth1Request) plaintext = NULL;
  g_autoptr(RelayOAuth1Request) form = NULL;
  g_autoptr(RelayOAuth1Request) query = NULL;
  g_autoptr(RelayOAuth1Request) chinese = NULL;
  g_autoptr(RelayOAuth1Request) danish = NULL;
  g_autofree char *signed_uri = NULL;
  RelayOAuth1SignatureMethod method;

  get = oauthlib_client_request ("GET", "http://example.com", "abc", "1234567890");
  sign_ok (get);
  g_assert_cmpstr (relay_oauth1_request_get_base_string (get), ==, base);
  g_assert_cmpstr (relay_oauth1_request_get_signature (get), ==, "hH5BWYVqo7QI4EmPBUUe9owRUUQ=");

  relay_oauth1_request_set_signature_method (get, RELAY_OAUTH1_HMAC_SHA256);
  sign_ok (get);
  g_assert_cmpstr (relay_oauth1_request_get_signature (get), ==, "JzgJWBxX664OiMW3WE4MEjtYwOjI/paUWHqtdHe68Es=");

  plaintext = oauthlib_client_request ("GET", "http://example.com", "abc", "1234567890");
  relay_oauth1_request_set_consumer (plaintext, "client_key", "foo");
  relay_oauth1_request_set_token (plaintext, NULL, "bar");
  relay_oauth1_request_set_signature_method (plaintext, RELAY_OAUTH1_PLAINTEXT);
  sign_ok (plaintext);
  g_assert_cmpstr (relay_oauth1_request_get_signature (plaintext), ==, "foo&bar");
  g_assert_nonnull (strstr (relay_oauth1_request_get_authorization (plaintext), "oauth_signature=\"foo%26bar\""));

  form = oauthlib_client_request ("POST", "http://i.b/path", "14205877133089081931378988215", "1378988215");
  set_form_body (form, "a=b");
  sign_ok (form);
  g_assert_cmpstr (relay_oauth1_request_get_signature (form), ==, "2JAQomgbShqoscqKWBiYQZwWq94=");

  /* protocol parameters in the query (oauthlib SIGNATURE_TYPE_QUERY) */
  query = oauthlib_client_request ("POST", "http://i.b/path", "14205877133089081931378988215", "1378988215");
  relay_oauth1_request_set_placement (query, RELAY_OAUTH1_PLACEMENT_QUERY);
  sign_ok (query);
  g_assert_cmpstr (relay_oauth1_request_get_signature (query), ==, "08G5Snvw+gDAzBF+CmT5KqlrPKo=");
  g_assert_null (relay_oauth1_request_get_authorization (query));
  signed_uri = g_uri_to_string (relay_oauth1_request_get_uri (query));
  g_assert_nonnull (strstr (signed_uri, "oauth_signature=08G5Snvw%2BgDAzBF%2BCmT5KqlrPKo%3D"));

  chinese = oauthlib_client_request ("POST", "http://i.b/path", "abc", "abc");
  set_form_body (chinese, "status=%E5%95%A6%E5%95%A6");
  sign_ok (chinese);
  g_assert_cmpstr (relay_oauth1_request_get_base_string (chinese), ==,
                   "POST&http%3A%2F%2Fi.b%2Fpath&oauth_consumer_key%3Dclient_key%26oauth_nonce%3Dabc"
                   "%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3Dabc%26oauth_version%3D1.0"
                   "%26status%3D%25E5%2595%25A6%25E5%2595%25A6");
  g_assert_cmpstr (relay_oauth1_request_get_signature (chinese), ==, "yrtSqp88m/c5UDaucI8BXK4oEtk=");

  danish = oauthlib_client_request ("POST", "http://i.b/path", "abc", "abc");
  relay_oauth1_request_add_form (danish, "status", "\xC3\xA6\xC3\xA5\xC3\xB8");
  sign_ok (danish);
  g_assert_cmpstr (relay_oauth1_request_get_signature (danish), ==, "oG5t3Eg/XO5FfQgUUlTtUeeZzvk=");

  /* oauthlib's error cases that apply here: an unknown signature method,
   * RSA (not offered), and body placement without a form body */
  g_assert_false (relay_oauth1_signature_method_from_string ("RSA-SHA1", &method));
  g_assert_false (relay_oauth1_signature_method_from_string ("hmac-sha1", &method));
  g_assert_false (relay_oauth1_signature_method_from_string ("", &method));
  {
    g_autoptr(RelayOAuth1Request) body = oauthlib_client_request ("POST", "http://i.b/path", "abc", "abc");
    g_autoptr(GError) error = NULL;

    relay_oauth1_request_set_placement (body, RELAY_OAUTH1_PLACEMENT_BODY);
    g_assert_false (relay_oauth1_request_sign (body, &error));
    g_assert_error (error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_MALFORMED);
  }
}

static void
test_liboauth_hmac (void)
{
  g_autofree char *no_token = relay_oauth1_sign (RELAY_OAUTH1_HMAC_SHA1, "bs", "cs", NULL);
  g_autofree char *empty_token = relay_oauth1_sign (RELAY_OAUTH1_HMAC_SHA1, "bs", "cs", "");
  g_autofree char *token = relay_oauth1_sign (RELAY_OAUTH1_HMAC_SHA1, "bs", "cs", "ts");

  g_assert_cmpstr (no_token, ==, "egQqG5AJep5sJ7anhXju1unge2I=");
  g_assert_cmpstr (empty_token, ==, "egQqG5AJep5sJ7anhXju1unge2I=");
  g_assert_cmpstr (token, ==, "VZVjXceV7JgPq/dOTnNmEfO0Fv8=");
}

static void
test_non_default_port (void)
{
  g_autoptr(RelayOAuth1Request) request = new_request ("GET", "http://localhost:4567/fun?foo=first%2Csecond");

  relay_oauth1_request_set_consumer (request, "a", "b");
  relay_oauth1_request_set_token (request, "123", "abc");
  relay_oauth1_request_set_timestamp (request, "123");
  relay_oauth1_request_set_nonce (request, "3");
  relay_oauth1_request_set_include_version (request, TRUE);
  sign_ok (request);
  g_assert_cmpstr (relay_oauth1_request_get_base_string (request), ==,
                   "GET&http%3A%2F%2Flocalhost%3A4567%2Ffun&foo%3Dfirst%252Csecond%26oauth_consumer_key%3Da"
                   "%26oauth_nonce%3D3%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D123"
                   "%26oauth_token%3D123%26oauth_version%3D1.0");
  g_assert_cmpstr (relay_oauth1_request_get_signature (request), ==, "cdQQuXon1opN/3wj5APnIF5NAMg=");
}

static void
test_json_body (void)
{
  g_autoptr(RelayOAuth1Request) request = new_request ("POST", "https://api.example.com/v1/items?x=1");
  g_autoptr(GBytes) body = g_bytes_new_static ("{\"a\":1}", 7);

  relay_oauth1_request_set_body (request, "application/json", body);
  relay_oauth1_request_set_consumer (request, "ck", "cs");
  relay_oauth1_request_set_token (request, "tk", "ts");
  relay_oauth1_request_set_timestamp (request, "1700000000");
  relay_oauth1_request_set_nonce (request, "abc123");
  relay_oauth1_request_set_include_version (request, TRUE);
  sign_ok (request);
  g_assert_cmpstr (relay_oauth1_request_get_base_string (request), ==,
                   "POST&https%3A%2F%2Fapi.example.com%2Fv1%2Fitems&oauth_consumer_key%3Dck"
                   "%26oauth_nonce%3Dabc123%26oauth_signature_method%3DHMAC-SHA1"
                   "%26oauth_timestamp%3D1700000000%26oauth_token%3Dtk%26oauth_version%3D1.0%26x%3D1");
  g_assert_cmpstr (relay_oauth1_request_get_signature (request), ==, "nAaKLM5Ygd7JqyRCaS3Qe24x/co=");
  /* no oauth_body_hash: that would give EvRCmQFNDAY7/rTyb/4GviPqmHU= */
  g_assert_null (strstr (relay_oauth1_request_get_authorization (request), "oauth_body_hash"));
  g_assert_cmpstr (relay_oauth1_request_get_signature (request), !=, "EvRCmQFNDAY7/rTyb/4GviPqmHU=");
}

static void
test_protocol_parsing (void)
{
  static const char *const bad_headers[] = {
    "OAuth", "OAuth oauth_nonce=", "Negotiate b2F1dGhsaWI=", "OA",
  };
  static const char *const bad_request_tokens[] = {
    "oauth_token=hh5s93j4hdidpola&oauth_token_secret=hdhd0244k9j7ao03",
    "oauth_token=hh5s93j4hdidpola&oauth_token_secret=hdhd0244k9j7ao03&oauth_callback_confirmed=false",
    "oauth_token=hh5s93j4hdidpola&oauth_token_secret=hdhd0244k9j7ao03&oauth_callback_confirmed=TRUE",
    "oauth_token=hh5s93j4hdidpola&oauth_token_secret=hdhd0244k9j7ao03&oauth_callback_confirmed=",
    "oauth_token_secret=hdhd0244k9j7ao03&oauth_callback_confirmed=true",
    "oauth_token=hh5s93j4hdidpola&oauth_callback_confirmed=true",
    "oauth_token=&oauth_token_secret=hdhd0244k9j7ao03&oauth_callback_confirmed=true",
    "oauth_token=hh5s93j4hdidpola&oauth_token=other&oauth_token_secret=hdhd0244k9j7ao03&oauth_callback_confirmed=true",
    "oauth_token=hh5s93j4hdidpola&oauth_token_secret=hdhd0244k9j7ao03&oauth_callback_confirmed=true&oauth_callback_confirmed=true",
    "{\"oauth_token\":\"hh5s93j4hdidpola\",\"oauth_token_secret\":\"hdhd0244k9j7ao03\"}",
    "oauth_token=hh5s93j4hdidpola&oauth_token_secret=%zz&oauth_callback_confirmed=true",
    "",
  };
  g_autoptr(RelayOAuth1Token) token = NULL;
  g_autoptr(RelayOAuth1Token) access = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad_headers); i++)
    {
      g_autoptr(GPtrArray) params = relay_params_new ();
      g_autoptr(GError) header_error = NULL;

      g_assert_false (relay_oauth1_parse_authorization (bad_headers[i], params, NULL, &header_error));
      g_assert_error (header_error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_MALFORMED);
      g_assert_cmpuint (params->len, ==, 0);
    }

  token = relay_oauth1_token_parse ("oauth_token=hh5s93j4hdidpola&oauth_token_secret=hdhd0244k9j7ao03"
                                    "&oauth_callback_confirmed=true", -1, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token->token, ==, "hh5s93j4hdidpola");
  g_assert_cmpstr (token->secret, ==, "hdhd0244k9j7ao03");
  g_assert_cmpstr (relay_params_get (token->extra, "oauth_callback_confirmed"), ==, "true");

  for (guint i = 0; i < G_N_ELEMENTS (bad_request_tokens); i++)
    {
      g_autoptr(RelayOAuth1Token) rejected = NULL;
      g_autoptr(GError) token_error = NULL;

      rejected = relay_oauth1_token_parse (bad_request_tokens[i], -1, TRUE, &token_error);
      if (rejected != NULL)
        g_error ("request-token answer “%s” should be refused", bad_request_tokens[i]);
      g_assert_nonnull (token_error);
      g_assert_true (token_error->domain == RELAY_OAUTH1_ERROR);
    }

  /* an access-token answer needs no callback confirmation, and keeps extras */
  access = relay_oauth1_token_parse ("oauth_token=nnch734d00sl2jdk&oauth_token_secret=pfkkdhi9sl3r4s00"
                                     "&user_id=42&screen_name=a+b", -1, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (access->token, ==, "nnch734d00sl2jdk");
  g_assert_cmpstr (access->secret, ==, "pfkkdhi9sl3r4s00");
  g_assert_cmpuint (access->extra->len, ==, 2);
  g_assert_cmpstr (relay_params_get (access->extra, "screen_name"), ==, "a b");
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
  g_test_add_func ("/relay/oauth1-vectors/twitter", test_twitter);
  g_test_add_func ("/relay/oauth1-vectors/oauthlib-signatures", test_oauthlib_signatures);
  g_test_add_func ("/relay/oauth1-vectors/oauthlib-client", test_oauthlib_client);
  g_test_add_func ("/relay/oauth1-vectors/liboauth-hmac", test_liboauth_hmac);
  g_test_add_func ("/relay/oauth1-vectors/non-default-port", test_non_default_port);
  g_test_add_func ("/relay/oauth1-vectors/json-body", test_json_body);
  g_test_add_func ("/relay/oauth1-vectors/protocol-parsing", test_protocol_parsing);

  return g_test_run ();
}
