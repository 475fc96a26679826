/* test-oauth1.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Behaviour of the signing core beyond the published vectors: what the
 * signature covers and what it must not, parameter placement, nonces,
 * constant-time comparison, token and problem answers. The GLib, libsoup
 * and libsecret pitfalls of shared/oauth1-notes.md §5 are in
 * test-oauth1-pitfalls.c.
 */

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "relay-http.h"
#include "relay-oauth1-error.h"
#include "relay-oauth1-header.h"
#include "relay-oauth1-params.h"
#include "relay-oauth1-request.h"
#include "relay-oauth1-token.h"
#include "relay-oauth1-uri.h"

typedef struct
{
  const char *method;
  const char *uri;
  const char *content_type;
  const char *body;
  const char *consumer_key;
  const char *consumer_secret;
  const char *token;
  const char *token_secret;
  const char *nonce;
  const char *timestamp;
  const char *callback;
  const char *verifier;
  const char *realm;
  RelayOAuth1SignatureMethod signature_method;
  gboolean    version;
} Spec;

static const Spec base_spec = {
  .method = "POST",
  .uri = "https://rest.nexmo.com:8443/sms/json?from=Relay&to=447700900000",
  .content_type = RELAY_FORM_CONTENT_TYPE,
  .body = "text=Hello+world&type=unicode",
  .consumer_key = "ck",
  .consumer_secret = "cs",
  .token = "tk",
  .token_secret = "ts",
  .nonce = "n0nce",
  .timestamp = "1700000000",
  .callback = "http://127.0.0.1:4242/callback",
  .verifier = "v3rifier",
  .realm = "Nexmo",
  .signature_method = RELAY_OAUTH1_HMAC_SHA1,
  .version = FALSE,
};

static RelayOAuth1Request *
request_from_spec (const Spec *spec)
{
  g_autoptr(GError) error = NULL;
  RelayOAuth1Request *request = relay_oauth1_request_new (spec->method, spec->uri, &error);

  g_assert_no_error (error);
  if (spec->body != NULL)
    {
      g_autoptr(GBytes) body = g_bytes_new (spec->body, strlen (spec->body));

      relay_oauth1_request_set_body (request, spec->content_type, body);
    }
  relay_oauth1_request_set_consumer (request, spec->consumer_key, spec->consumer_secret);
  relay_oauth1_request_set_token (request, spec->token, spec->token_secret);
  relay_oauth1_request_set_nonce (request, spec->nonce);
  relay_oauth1_request_set_timestamp (request, spec->timestamp);
  relay_oauth1_request_set_callback (request, spec->callback);
  relay_oauth1_request_set_verifier (request, spec->verifier);
  relay_oauth1_request_set_realm (request, spec->realm);
  relay_oauth1_request_set_signature_method (request, spec->signature_method);
  relay_oauth1_request_set_include_version (request, spec->version);
  g_assert_true (relay_oauth1_request_sign (request, &error));
  g_assert_no_error (error);

  return request;
}

static char *
signature_of (const Spec *spec)
{
  g_autoptr(RelayOAuth1Request) request = request_from_spec (spec);

  return g_strdup (relay_oauth1_request_get_signature (request));
}

/* Every signed part changes the signature. */
static void
test_signed_parts (void)
{
  g_autofree char *reference = signature_of (&base_spec);
  Spec variants[24];
  guint n = 0;

#define VARIANT(field, value) \
  G_STMT_START { variants[n] = base_spec; variants[n].field = value; n++; } G_STMT_END

  VARIANT (method, "PUT");
  VARIANT (uri, "http://rest.nexmo.com:8443/sms/json?from=Relay&to=447700900000");
  VARIANT (uri, "https://rest.nexmo.org:8443/sms/json?from=Relay&to=447700900000");
  VARIANT (uri, "https://rest.nexmo.com:8444/sms/json?from=Relay&to=447700900000");
  VARIANT (uri, "https://rest.nexmo.com/sms/json?from=Relay&to=447700900000");
  VARIANT (uri, "https://rest.nexmo.com:8443/sms/JSON?from=Relay&to=447700900000");
  VARIANT (uri, "https://rest.nexmo.com:8443/sms/json/?from=Relay&to=447700900000");
  VARIANT (uri, "https://rest.nexmo.com:8443/sms/json?from=relay&to=447700900000");
  VARIANT (uri, "https://rest.nexmo.com:8443/sms/json?From=Relay&to=447700900000");
  VARIANT (uri, "https://rest.nexmo.com:8443/sms/json?from=Relay&to=447700900000&to=447700900001");
  VARIANT (uri, "https://rest.nexmo.com:8443/sms/json?from=Relay&to=447700900000&x");
  VARIANT (body, "text=Hello+World&type=unicode");
  VARIANT (body, "text=Hello+world&type=unicode&type=unicode");
  VARIANT (consumer_key, "ck2");
  VARIANT (consumer_secret, "cs2");
  VARIANT (token, "tk2");
  VARIANT (token_secret, "ts2");
  VARIANT (nonce, "n0nce2");
  VARIANT (timestamp, "1700000001");
  VARIANT (callback, "http://127.0.0.1:4243/callback");
  VARIANT (verifier, "v3rifieR");
  VARIANT (signature_method, RELAY_OAUTH1_HMAC_SHA256);
  VARIANT (version, TRUE);
  VARIANT (token, NULL);
#undef VARIANT

  g_assert_cmpuint (n, ==, G_N_ELEMENTS (variants));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *signature = signature_of (&variants[i]);

      if (g_strcmp0 (signature, reference) == 0)
        g_error ("variant %u did not change the signature", i);
    }
}

/* What is not signed leaves the signature alone. */
static void
test_unsigned_parts (void)
{
  g_autofree char *reference = signature_of (&base_spec);
  Spec variants[10];
  guint n = 0;

#define VARIANT(field, value) \
  G_STMT_START { variants[n] = base_spec; variants[n].field = value; n++; } G_STMT_END

  VARIANT (realm, "Other");
  VARIANT (realm, NULL);
  VARIANT (uri, "https://REST.Nexmo.COM:8443/sms/json?from=Relay&to=447700900000");
  VARIANT (uri, "HTTPS://rest.nexmo.com:8443/sms/json?from=Relay&to=447700900000");
  VARIANT (uri, "https://rest.nexmo.com:8443/sms/json?to=447700900000&from=Relay");
  VARIANT (uri, "https://rest.nexmo.com:8443/sms/json?from=Relay&to=447700900000#fragment");
  VARIANT (uri, "https://rest.nexmo.com:8443/sms/json?from=Relay&to=447700900000&oauth_signature=x");
  VARIANT (uri, "https://rest.nexmo.com:8443/sms/json?from=%52elay&to=447700900000");
  VARIANT (body, "type=unicode&text=Hello%20world");
  VARIANT (content_type, "application/x-www-form-urlencoded; charset=UTF-8");
#undef VARIANT

  g_assert_cmpuint (n, ==, G_N_ELEMENTS (variants));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *signature = signature_of (&variants[i]);

      if (g_strcmp0 (signature, reference) != 0)
        g_error ("variant %u changed the signature", i);
    }
}

/* A JSON (or any non-form) body is not signed, whatever it says. */
static void
test_json_body_unsigned (void)
{
  Spec none = base_spec, json1 = base_spec, json2 = base_spec, form_lookalike = base_spec;
  g_autofree char *without = NULL;
  g_autofree char *with1 = NULL;
  g_autofree char *with2 = NULL;
  g_autofree char *lookalike = NULL;

  none.body = NULL;
  json1.content_type = "application/json";
  json1.body = "{\"text\":\"Hello\"}";
  json2.content_type = "application/json";
  json2.body = "{\"text\":\"Goodbye\",\"type\":\"unicode\"}";
  form_lookalike.content_type = "text/plain";     /* form-shaped but not a form */

  without = signature_of (&none);
  with1 = signature_of (&json1);
  with2 = signature_of (&json2);
  lookalike = signature_of (&form_lookalike);
  g_assert_cmpstr (with1, ==, without);
  g_assert_cmpstr (with2, ==, without);
  g_assert_cmpstr (lookalike, ==, without);
}

static void
check_params_match (GPtrArray *params,
                    GPtrArray *expected)
{
  for (guint i = 0; i < expected->len; i++)
    {
      const RelayParam *param = g_ptr_array_index (expected, i);

      g_assert_cmpuint (relay_params_count (params, param->name), ==, 1);
      g_assert_cmpstr (relay_params_get (params, param->name), ==, param->value);
    }
}

/* §3.5.2/§3.5.3: the same base string and signature, protocol parameters
 * carried in the query or the form body, and a server-side rebuild of the
 * base string from what is sent matches. */
static void
test_placement (void)
{
  g_autoptr(RelayOAuth1Request) header = request_from_spec (&base_spec);
  RelayOAuth1Placement placements[] = { RELAY_OAUTH1_PLACEMENT_QUERY, RELAY_OAUTH1_PLACEMENT_BODY };

  g_assert_nonnull (relay_oauth1_request_get_authorization (header));
  g_assert_true (g_str_has_prefix (relay_oauth1_request_get_authorization (header), "OAuth realm=\"Nexmo\", "));

  for (guint i = 0; i < G_N_ELEMENTS (placements); i++)
    {
      g_autoptr(RelayOAuth1Request) request = NULL;
      g_autoptr(GPtrArray) sent = relay_params_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *rebuilt = NULL;
      g_autofree char *signature = NULL;
      GUri *uri;
      GBytes *body;
      const char *data;
      gsize len;

      request = relay_oauth1_request_new (base_spec.method, base_spec.uri, NULL);
      {
        g_autoptr(GBytes) form = g_bytes_new_static (base_spec.body, strlen (base_spec.body));

        relay_oauth1_request_set_body (request, base_spec.content_type, form);
      }
      relay_oauth1_request_set_consumer (request, "ck", "cs");
      relay_oauth1_request_set_token (request, "tk", "ts");
      relay_oauth1_request_set_nonce (request, "n0nce");
      relay_oauth1_request_set_timestamp (request, "1700000000");
      relay_oauth1_request_set_callback (request, base_spec.callback);
      relay_oauth1_request_set_verifier (request, base_spec.verifier);
      relay_oauth1_request_set_realm (request, "Nexmo");
      relay_oauth1_request_set_placement (request, placements[i]);
      g_assert_true (relay_oauth1_request_sign (request, &error));
      g_assert_no_error (error);

      g_assert_null (relay_oauth1_request_get_authorization (request));
      g_assert_cmpstr (relay_oauth1_request_get_base_string (request), ==,
                       relay_oauth1_request_get_base_string (header));
      g_assert_cmpstr (relay_oauth1_request_get_signature (request), ==,
                       relay_oauth1_request_get_signature (header));

      /* what goes on the wire, read back as a server would */
      uri = relay_oauth1_request_get_uri (request);
      body = relay_oauth1_request_get_body (request);
      data = g_bytes_get_data (body, &len);
      g_assert_true (relay_params_parse_form (sent, g_uri_get_query (uri), -1, NULL));
      g_assert_true (relay_params_parse_form (sent, data, len, NULL));
      check_params_match (sent, relay_oauth1_request_get_oauth_params (request));
      g_assert_null (relay_params_get (sent, "realm"));

      if (placements[i] == RELAY_OAUTH1_PLACEMENT_QUERY)
        {
          g_assert_cmpstr (data, ==, base_spec.body);
          g_assert_true (g_str_has_prefix (g_uri_get_query (uri), "from=Relay&to=447700900000&oauth_"));
        }
      else
        {
          g_assert_cmpstr (g_uri_get_query (uri), ==, "from=Relay&to=447700900000");
          g_assert_true (g_str_has_prefix (data, "text=Hello+world&type=unicode&oauth_"));
          g_assert_cmpstr (relay_oauth1_request_get_content_type (request), ==, RELAY_FORM_CONTENT_TYPE);
        }

      signature = g_strdup (relay_params_get (sent, "oauth_signature"));
      for (guint j = sent->len; j > 0; j--)
        if (strcmp (((RelayParam *) g_ptr_array_index (sent, j - 1))->name, "oauth_signature") == 0)
          g_ptr_array_remove_index (sent, j - 1);
      rebuilt = relay_oauth1_base_string ("POST", uri, sent);
      g_assert_cmpstr (rebuilt, ==, relay_oauth1_request_get_base_string (request));
      g_assert_cmpstr (signature, ==, relay_oauth1_request_get_signature (request));
    }
}

/* The Authorization header round-trips through the strict parser, realm
 * first and unsigned; V4's collect_parameters check. */
static void
test_header_round_trip (void)
{
  g_autoptr(RelayOAuth1Request) request = request_from_spec (&base_spec);
  g_autoptr(GPtrArray) params = relay_params_new ();
  g_autoptr(GPtrArray) v4 = relay_params_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *realm = NULL;
  g_autofree char *v4_realm = NULL;

  g_assert_true (relay_oauth1_parse_authorization (relay_oauth1_request_get_authorization (request),
                                                   params, &realm, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (realm, ==, "Nexmo");
  g_assert_cmpuint (params->len, ==, relay_oauth1_request_get_oauth_params (request)->len);
  check_params_match (params, relay_oauth1_request_get_oauth_params (request));
  g_assert_cmpstr (relay_params_get (params, "oauth_callback"), ==, base_spec.callback);

  g_assert_true (relay_oauth1_parse_authorization ("OAuth realm=\"Example\", oauth_consumer_key=\"9djdj82h48djs9d2\", "
                                                   "oauth_token=\"kkk9d7dh3k39sjv7\", "
                                                   "oauth_signature_method=\"HMAC-SHA1\", "
                                                   "oauth_timestamp=\"137131201\", oauth_nonce=\"7d8f3e4a\", "
                                                   "oauth_signature=\"djosJKDKJSD8743243%2Fjdk33klY%3D\"",
                                                   v4, &v4_realm, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (v4_realm, ==, "Example");
  g_assert_null (relay_params_get (v4, "realm"));
  g_assert_cmpstr (relay_params_get (v4, "oauth_signature"), ==, "djosJKDKJSD8743243/jdk33klY=");

  /* duplicates and unquoted values are refused */
  g_clear_pointer (&params, g_ptr_array_unref);
  params = relay_params_new ();
  g_assert_false (relay_oauth1_parse_authorization ("OAuth oauth_nonce=\"a\", oauth_nonce=\"b\"", params, NULL, NULL));
  g_assert_false (relay_oauth1_parse_authorization ("OAuth oauth_nonce=a", params, NULL, NULL));
  g_assert_false (relay_oauth1_parse_authorization ("OAuth oauth_nonce=\"a", params, NULL, NULL));
  g_assert_false (relay_oauth1_parse_authorization ("OAuth oauth_nonce=\"%zz\"", params, NULL, NULL));
  g_assert_cmpuint (params->len, ==, 0);
}

static void
test_nonce (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(RelayOAuth1Request) request = NULL;
  g_autofree char *first_nonce = NULL;
  g_autofree char *first_signature = NULL;
  gint64 now, stamp;

  for (guint i = 0; i < 20000; i++)
    {
      char *nonce = relay_oauth1_make_nonce ();

      g_assert_cmpuint (strlen (nonce), ==, 32);
      g_assert_cmpuint (strspn (nonce, "0123456789abcdef"), ==, 32);
      g_assert_false (g_hash_table_contains (seen, nonce));
      g_hash_table_add (seen, nonce);
    }

  /* unless fixed, every signature draws a fresh nonce and uses now */
  request = relay_oauth1_request_new ("GET", "https://rest.nexmo.com/account/get-balance", NULL);
  relay_oauth1_request_set_consumer (request, "ck", "cs");
  g_assert_true (relay_oauth1_request_sign (request, NULL));
  first_nonce = g_strdup (relay_oauth1_request_get_nonce (request));
  first_signature = g_strdup (relay_oauth1_request_get_signature (request));
  g_assert_cmpuint (strlen (first_nonce), ==, 32);
  g_assert_nonnull (strstr (relay_oauth1_request_get_base_string (request), first_nonce));

  now = relay_oauth1_now ();
  g_assert_cmpint (ABS (now - g_get_real_time () / G_USEC_PER_SEC), <=, 30);
  stamp = g_ascii_strtoll (relay_params_get (relay_oauth1_request_get_oauth_params (request), "oauth_timestamp"), NULL, 10);
  g_assert_cmpint (ABS (stamp - now), <=, 30);

  g_assert_true (relay_oauth1_request_sign (request, NULL));
  g_assert_cmpstr (relay_oauth1_request_get_nonce (request), !=, first_nonce);
  g_assert_cmpstr (relay_oauth1_request_get_signature (request), !=, first_signature);

  relay_oauth1_request_set_clock_offset (request, 3600);
  g_assert_true (relay_oauth1_request_sign (request, NULL));
  stamp = g_ascii_strtoll (relay_params_get (relay_oauth1_request_get_oauth_params (request), "oauth_timestamp"), NULL, 10);
  g_assert_cmpint (ABS (stamp - (now + 3600)), <=, 30);

  relay_oauth1_request_set_nonce (request, "fixed");
  g_assert_true (relay_oauth1_request_sign (request, NULL));
  g_assert_cmpstr (relay_oauth1_request_get_nonce (request), ==, "fixed");
}

/* Nonce bytes are drawn ahead; a forked child must not hand out the ones
 * its parent will use. */
static void
test_nonce_after_fork (void)
{
  g_autofree char *parent = NULL;
  char before[33];
  char child[33] = { 0, };
  int fds[2];
  pid_t pid;
  int status;

  /* draw once so the pool is filled before the fork; keep nothing on the
   * heap that the child would leak */
  {
    g_autofree char *first = relay_oauth1_make_nonce ();

    g_strlcpy (before, first, sizeof before);
  }

  g_assert_cmpint (pipe (fds), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      char *nonce = relay_oauth1_make_nonce ();
      gboolean written = write (fds[1], nonce, 32) == 32;

      g_free (nonce);
      _exit (written ? 0 : 1);
    }

  close (fds[1]);
  parent = relay_oauth1_make_nonce ();
  g_assert_cmpint (read (fds[0], child, 32), ==, 32);
  close (fds[0]);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);

  g_assert_cmpuint (strspn (child, "0123456789abcdef"), ==, 32);
  g_assert_cmpstr (child, !=, parent);
  g_assert_cmpstr (child, !=, before);
}

static void
test_constant_time_equal (void)
{
  g_assert_true (relay_constant_time_equal ("", ""));
  g_assert_true (relay_constant_time_equal ("hh5s93j4hdidpola", "hh5s93j4hdidpola"));
  g_assert_false (relay_constant_time_equal ("hh5s93j4hdidpola", "hh5s93j4hdidpolb"));
  g_assert_false (relay_constant_time_equal ("Hh5s93j4hdidpola", "hh5s93j4hdidpola"));
  g_assert_false (relay_constant_time_equal ("hh5s93j4hdidpola", "hh5s93j4hdidpol"));
  g_assert_false (relay_constant_time_equal ("hh5s93j4hdidpol", "hh5s93j4hdidpola"));
  g_assert_false (relay_constant_time_equal ("abc", "abcabc"));
  g_assert_false (relay_constant_time_equal ("abcabc", "abc"));
  g_assert_false (relay_constant_time_equal ("", "a"));
  g_assert_false (relay_constant_time_equal ("a", ""));
  g_assert_false (relay_constant_time_equal (NULL, ""));
  g_assert_false (relay_constant_time_equal ("", NULL));
  g_assert_false (relay_constant_time_equal (NULL, NULL));
  g_assert_false (relay_constant_time_equal ("\xC3\xA9", "\xC3\xA8"));
}

static void
test_problems (void)
{
  static const struct { const char *body; int code; gint64 from, to; } rows[] = {
    { "oauth_problem=timestamp_refused&oauth_acceptable_timestamps=1700000000-1700000600",
      RELAY_OAUTH1_ERROR_TIMESTAMP_REFUSED, 1700000000, 1700000600 },
    { "oauth_problem=timestamp_refused&oauth_acceptable_timestamps=1700000600-1700000000",
      RELAY_OAUTH1_ERROR_TIMESTAMP_REFUSED, 0, 0 },
    { "oauth_problem=timestamp_refused&oauth_acceptable_timestamps=abc-1700000000",
      RELAY_OAUTH1_ERROR_TIMESTAMP_REFUSED, 0, 0 },
    { "oauth_problem=timestamp_refused&oauth_acceptable_timestamps=1700000000",
      RELAY_OAUTH1_ERROR_TIMESTAMP_REFUSED, 0, 0 },
    { "oauth_problem=timestamp_refused&oauth_acceptable_timestamps=-5-7",
      RELAY_OAUTH1_ERROR_TIMESTAMP_REFUSED, 0, 0 },
    { "oauth_problem=timestamp_refused&oauth_acceptable_timestamps=1-2-3",
      RELAY_OAUTH1_ERROR_TIMESTAMP_REFUSED, 0, 0 },
    { "oauth_problem=signature_invalid&oauth_problem_advice=check+the+secret",
      RELAY_OAUTH1_ERROR_SIGNATURE_INVALID, 0, 0 },
    { "oauth_problem=nonce_used", RELAY_OAUTH1_ERROR_NONCE_USED, 0, 0 },
    { "oauth_problem=something_new", RELAY_OAUTH1_ERROR_UNKNOWN_PROBLEM, 0, 0 },
  };
  static const char *const no_problem[] = {
    "", "oauth_token=a&oauth_token_secret=b", "%zz&oauth_problem=nonce_used", "problem=nonce_used",
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(RelayOAuth1Problem) problem = relay_oauth1_problem_parse (rows[i].body, -1);
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) token_error = NULL;
      g_autoptr(RelayOAuth1Token) token = NULL;

      g_assert_nonnull (problem);
      g_assert_cmpint (problem->code, ==, rows[i].code);
      g_assert_cmpint (problem->acceptable_from, ==, rows[i].from);
      g_assert_cmpint (problem->acceptable_to, ==, rows[i].to);

      error = relay_oauth1_problem_to_error (problem);
      g_assert_error (error, RELAY_OAUTH1_ERROR, rows[i].code);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      if (problem->advice != NULL)
        g_assert_nonnull (strstr (error->message, "check the secret"));
      if (rows[i].code == RELAY_OAUTH1_ERROR_UNKNOWN_PROBLEM)
        g_assert_nonnull (strstr (error->message, "something_new"));

      /* a token answer that names a problem is that problem */
      token = relay_oauth1_token_parse (rows[i].body, -1, FALSE, &token_error);
      g_assert_null (token);
      g_assert_error (token_error, RELAY_OAUTH1_ERROR, rows[i].code);
    }

  for (guint i = 0; i < G_N_ELEMENTS (no_problem); i++)
    g_assert_null (relay_oauth1_problem_parse (no_problem[i], -1));

  /* advice that is not UTF-8 never reaches the message */
  {
    g_autoptr(RelayOAuth1Problem) problem = relay_oauth1_problem_parse ("oauth_problem=token_expired&oauth_problem_advice=%FF%FE", -1);
    g_autoptr(GError) error = relay_oauth1_problem_to_error (problem);

    g_assert_error (error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_TOKEN_EXPIRED);
    g_assert_true (g_utf8_validate (error->message, -1, NULL));
  }

  /* advice that ends a sentence gets one full stop, not two */
  {
    g_autoptr(RelayOAuth1Problem) problem =
      relay_oauth1_problem_parse ("oauth_problem=nonce_used&oauth_problem_advice=Try+again.", -1);
    g_autoptr(GError) error = relay_oauth1_problem_to_error (problem);

    g_assert_nonnull (strstr (error->message, "Try again"));
    g_assert_null (strstr (error->message, ".."));
    g_assert_null (strstr (error->message, ".”."));
  }

  /* every problem name maps to its own code and back */
  for (int code = RELAY_OAUTH1_ERROR_VERSION_REJECTED; code <= RELAY_OAUTH1_ERROR_USER_REFUSED; code++)
    {
      const char *name = relay_oauth1_problem_to_string (code);
      RelayOAuth1Error back;

      g_assert_nonnull (name);
      g_assert_true (relay_oauth1_problem_from_string (name, &back));
      g_assert_cmpint (back, ==, code);
      g_assert_nonnull (relay_oauth1_problem_describe (code));
    }
  g_assert_null (relay_oauth1_problem_to_string (RELAY_OAUTH1_ERROR_MALFORMED));
  g_assert_false (relay_oauth1_problem_from_string ("Nonce_Used", NULL));
}

/* The base string's third part is enc(normalized), built in one pass;
 * the method is uppercased whatever it holds. */
static void
test_base_string_parts (void)
{
  static const char *const queries[] = {
    "", "a=b", "q=a+b&r=a%2Bb&s=%7E&e=&n", "b5=%3D%253D&a3=a&c%40=&a2=r%20b&c2&a3=2+q",
    "%C3%A9=%E5%95%A6&x!y=%25&x=%0A",
  };
  g_autoptr(GUri) uri = relay_oauth1_parse_uri ("http://example.com/p", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autoptr(GPtrArray) params = relay_params_new ();
      g_autoptr(GString) appended = g_string_new ("x");
      g_autofree char *normalized = NULL;
      g_autofree char *encoded = NULL;
      g_autofree char *expected = NULL;
      g_autofree char *base = NULL;

      g_assert_true (relay_params_parse_form (params, queries[i], -1, NULL));
      normalized = relay_params_normalize (params);
      encoded = relay_percent_encode (normalized);
      relay_params_append_normalized_encoded (appended, params);
      g_assert_cmpstr (appended->str + 1, ==, encoded);

      base = relay_oauth1_base_string ("p a-tch", uri, params);
      expected = g_strconcat ("P%20A-TCH&http%3A%2F%2Fexample.com%2Fp&", encoded, NULL);
      g_assert_cmpstr (base, ==, expected);
    }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Long parameter lists (another sorting path) normalize the same as a
 * plain reference: encode each pair, sort "name\x01value" strings. */
static void
test_normalize_many (void)
{
  static const char *const names[] = { "a", "a-", "A", "b", "\xC3\xA9", "x!y", "a b", "name1", "name10" };
  static const char *const values[] = { "", "1", "x y", "x!y", "\xE5\x95\xA6", "%", "~" };
  const guint sizes[] = { 0, 1, 2, 31, 32, 33, 200 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (5849);

  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      g_autoptr(GPtrArray) params = relay_params_new ();
      g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GString) expected = g_string_new (NULL);
      g_autofree char *normalized = NULL;

      for (guint i = 0; i < sizes[k]; i++)
        {
          const char *name = names[g_rand_int_range (rand, 0, G_N_ELEMENTS (names))];
          const char *value = values[g_rand_int_range (rand, 0, G_N_ELEMENTS (values))];
          g_autofree char *enc_name = g_uri_escape_string (name, NULL, FALSE);
          g_autofree char *enc_value = g_uri_escape_string (value, NULL, FALSE);

          relay_params_add (params, name, value);
          /* \x01 sorts below every encoded byte, so names compare first */
          g_ptr_array_add (keys, g_strconcat (enc_name, "\x01", enc_value, NULL));
        }

      g_ptr_array_sort (keys, compare_strings);
      for (guint i = 0; i < keys->len; i++)
        {
          g_auto(GStrv) parts = g_strsplit (g_ptr_array_index (keys, i), "\x01", 2);

          if (i > 0)
            g_string_append_c (expected, '&');
          g_string_append_printf (expected, "%s=%s", parts[0], parts[1]);
        }

      normalized = relay_params_normalize (params);
      g_assert_cmpstr (normalized, ==, expected->str);
    }
}

/* The clock offset learned from a timestamp_refused answer: the middle of
 * oauth_acceptable_timestamps first, else the answer's Date header. */
static void
test_clock_offset (void)
{
  const gint64 now = 1700000000;
  /* Tue, 14 Nov 2023 22:13:20 GMT is 1700000000 */
  const char *date = "Tue, 14 Nov 2023 22:13:20 GMT";
  gint64 offset;

  offset = 12345;
  g_assert_true (relay_http_clock_offset_for_refusal (now - 7200, now - 300, now + 300, NULL, &offset));
  g_assert_cmpint (offset, ==, 7200);

  /* The window wins over the Date header. */
  g_assert_true (relay_http_clock_offset_for_refusal (now + 60, now - 300, now + 300, date, &offset));
  g_assert_cmpint (offset, ==, -60);

  /* An odd-width window rounds towards its start. */
  g_assert_true (relay_http_clock_offset_for_refusal (now, now, now + 5, NULL, &offset));
  g_assert_cmpint (offset, ==, 2);

  g_assert_true (relay_http_clock_offset_for_refusal (now, now + 10, now + 10, NULL, &offset));
  g_assert_cmpint (offset, ==, 10);

  /* No usable window: the provider's Date. */
  g_assert_true (relay_http_clock_offset_for_refusal (now - 3600, 0, 0, date, &offset));
  g_assert_cmpint (offset, ==, 3600);
  g_assert_true (relay_http_clock_offset_for_refusal (now + 90, now + 300, now - 300, date, &offset));
  g_assert_cmpint (offset, ==, -90);
  g_assert_true (relay_http_clock_offset_for_refusal (now, 0, 0, "Sunday, 06-Nov-94 08:49:37 GMT", &offset));
  g_assert_cmpint (offset, ==, 784111777 - now);

  /* Nothing about the provider's clock: no offset, and none changed. */
  offset = 42;
  g_assert_false (relay_http_clock_offset_for_refusal (now, 0, 0, NULL, &offset));
  g_assert_false (relay_http_clock_offset_for_refusal (now, 0, 0, "yesterday", &offset));
  g_assert_false (relay_http_clock_offset_for_refusal (now, 0, 0, "", &offset));
  g_assert_cmpint (offset, ==, 42);
}

/* Retry-After in both forms of RFC 9110 section 10.2.3, against a
 * fixed "now": Wed, 21 Oct 2026 07:28:00 GMT is 1792567680. */
static void
test_retry_after (void)
{
  const gint64 now = G_GINT64_CONSTANT (1792567650);

  g_assert_cmpint (relay_http_parse_retry_after ("120", now), ==, 120);
  g_assert_cmpint (relay_http_parse_retry_after ("0", now), ==, 0);
  g_assert_cmpint (relay_http_parse_retry_after ("3600", now), ==, 3600);
  g_assert_cmpint (relay_http_parse_retry_after ("Wed, 21 Oct 2026 07:28:00 GMT", now), ==, 30);
  /* The obsolete forms a recipient must still read. */
  g_assert_cmpint (relay_http_parse_retry_after ("Wednesday, 21-Oct-26 07:28:00 GMT", now), ==, 30);
  g_assert_cmpint (relay_http_parse_retry_after ("Wed Oct 21 07:28:00 2026", now), ==, 30);
  /* A date gone by means now. */
  g_assert_cmpint (relay_http_parse_retry_after ("Wed, 21 Oct 2026 07:00:00 GMT", now), ==, 0);

  /* Bad values: the caller falls back to its own wait. */
  g_assert_cmpint (relay_http_parse_retry_after (NULL, now), ==, -1);
  g_assert_cmpint (relay_http_parse_retry_after ("", now), ==, -1);
  g_assert_cmpint (relay_http_parse_retry_after ("soon", now), ==, -1);
  g_assert_cmpint (relay_http_parse_retry_after ("-5", now), ==, -1);
  g_assert_cmpint (relay_http_parse_retry_after ("1.5", now), ==, -1);
  g_assert_cmpint (relay_http_parse_retry_after ("3601", now), ==, -1);
  g_assert_cmpint (relay_http_parse_retry_after ("99999999999999999999", now), ==, -1);
  g_assert_cmpint (relay_http_parse_retry_after ("Wed, 21 Oct 2026 09:28:00 GMT", now), ==, -1);
  g_assert_cmpint (relay_http_parse_retry_after ("Wed, 32 Oct 2026 07:28:00 GMT", now), ==, -1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/relay/oauth1/signed-parts", test_signed_parts);
  g_test_add_func ("/relay/oauth1/unsigned-parts", test_unsigned_parts);
  g_test_add_func ("/relay/oauth1/json-body-unsigned", test_json_body_unsigned);
  g_test_add_func ("/relay/oauth1/placement", test_placement);
  g_test_add_func ("/relay/oauth1/header-round-trip", test_header_round_trip);
  g_test_add_func ("/relay/oauth1/nonce", test_nonce);
  g_test_add_func ("/relay/oauth1/nonce-after-fork", test_nonce_after_fork);
  g_test_add_func ("/relay/oauth1/constant-time-equal", test_constant_time_equal);
  g_test_add_func ("/relay/oauth1/problems", test_problems);
  g_test_add_func ("/relay/oauth1/base-string-parts", test_base_string_parts);
  g_test_add_func ("/relay/oauth1/normalize-many", test_normalize_many);
  g_test_add_func ("/relay/oauth1/clock-offset", test_clock_offset);
  g_test_add_func ("/relay/oauth1/retry-after", test_retry_after);

  return g_test_run ();
}
