/* test-oauth1-differential.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Signs a deterministic batch of generated requests with relay-core and
 * with Debian's python3-oauthlib (tests/helpers/oauthlib-oracle.py, one
 * process for the whole batch, fed through a pipe) and compares the base
 * strings and signatures. The oracle also rebuilds each base string from
 * Relay's own Authorization header, as a server would.
 */

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "relay-oauth1-request.h"

#define N_REQUESTS 640
#define SEED       20260127

typedef struct
{
  JsonObject         *input;    /* what the oracle gets */
  RelayOAuth1Request *request;
} Case;

static const char *const methods[] = { "GET", "POST", "PUT", "DELETE", "PATCH", "post" };
static const char *const schemes[] = { "http", "https", "HTTP", "HTTPS" };
static const char *const hosts[] = {
  "example.com", "EXAMPLE.COM", "Api.Nexmo.Com", "rest.nexmo.com", "127.0.0.1",
  "[::1]", "[2001:db8::7]", "[2001:DB8:0:1::A]", "localhost", "a.b-c.example.co.uk",
};
static const char *const ports[] = {
  "", "", ":80", ":443", ":8080", ":1", ":65535", ":4567", ":",
};
static const char *const sig_methods[] = { "HMAC-SHA1", "HMAC-SHA256", "HMAC-SHA512", "PLAINTEXT" };
static const char *const names[] = {
  "a", "A", "b", "a-", "a/", "name1", "name10", "\xC3\xA9", "\xE5\x95\xA6", "x!y", "c@",
  "text", "from", "to", "type", "client-ref", "z",
};
/* Pieces random text is made of: unreserved, reserved, space and
 * controls, and non-ASCII (2-, 3- and 4-byte UTF-8). */
static const char *const pieces[] = {
  "a", "Z", "0", "9", "-", ".", "_", "~", "!", "*", "'", "(", ")", ";", ":", "@", "&", "=",
  "+", "$", ",", "/", "?", "#", "[", "]", "%", " ", "\n", "\t", "\"", "<", ">", "\\", "^",
  "`", "{", "|", "}", "\xC2\x80", "\xC3\xA9", "\xC3\xA6\xC3\xA5\xC3\xB8", "\xE5\x95\xA6",
  "\xE3\x80\x81", "\xEF\xBF\xBD", "\xF0\x9F\x98\x80", "Hello", "Ladies", "%20", "%2B",
};

static char *
random_text (GRand *rand,
             guint  max_pieces)
{
  GString *out = g_string_new (NULL);
  guint n = g_rand_int_range (rand, 0, max_pieces + 1);

  for (guint i = 0; i < n; i++)
    g_string_append (out, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);

  return g_string_free (out, FALSE);
}

static char *
random_word (GRand *rand)
{
  static const char alnum[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  guint n = g_rand_int_range (rand, 1, 24);
  char *out = g_malloc (n + 1);

  for (guint i = 0; i < n; i++)
    out[i] = alnum[g_rand_int_range (rand, 0, sizeof alnum - 1)];
  out[n] = '\0';

  return out;
}

/* Form-encodes raw text the many ways clients do: spaces as '+' or %20,
 * hex digits in either case, harmless punctuation left as is. */
static void
append_form_encoded (GString    *out,
                     GRand      *rand,
                     const char *text)
{
  static const char upper[] = "0123456789ABCDEF";
  static const char lower[] = "0123456789abcdef";

  for (const guint8 *p = (const guint8 *) text; *p != '\0'; p++)
    {
      const char *hex = g_rand_boolean (rand) ? upper : lower;

      if (g_ascii_isalnum (*p) || strchr ("-._~", *p) != NULL)
        g_string_append_c (out, *p);
      else if (*p == ' ' && g_rand_boolean (rand))
        g_string_append_c (out, '+');
      else if (strchr ("!*'():@/?$,", *p) != NULL && g_rand_boolean (rand))
        g_string_append_c (out, *p);
      else
        g_string_append_printf (out, "%%%c%c", hex[*p >> 4], hex[*p & 0xF]);
    }
}

static char *
random_name (GRand *rand)
{
  if (g_rand_int_range (rand, 0, 3) > 0)
    return g_strdup (names[g_rand_int_range (rand, 0, G_N_ELEMENTS (names))]);

  /* a random name must not look like a protocol parameter */
  {
    g_autofree char *text = random_text (rand, 3);

    return g_strconcat ("n", text, NULL);
  }
}

/* "name=value&…" with duplicates, empty values and bare names. */
static char *
random_form (GRand *rand,
             guint  max_params)
{
  GString *out = g_string_new (NULL);
  guint n = g_rand_int_range (rand, 0, max_params + 1);
  g_autofree char *repeat = random_name (rand);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_rand_int_range (rand, 0, 4) == 0 ? g_strdup (repeat) : random_name (rand);
      g_autofree char *value = random_text (rand, 4);
      int shape = g_rand_int_range (rand, 0, 8);

      if (out->len > 0)
        g_string_append_c (out, '&');
      append_form_encoded (out, rand, name);
      if (shape == 0)
        continue;                               /* bare name */
      g_string_append_c (out, '=');
      if (shape == 1)
        continue;                               /* empty value */
      append_form_encoded (out, rand, value);
    }

  return g_string_free (out, FALSE);
}

static char *
random_path (GRand *rand)
{
  static const char *const segments[] = {
    "sms", "json", "r%20v", "X", "p%2Fq", "a~b", "%C3%A9t%C3%A9", "%E5%95%A6", "1.1",
    "update.json", "a!b", "c*d", "e(f)", "g,h", "i=j", "k:l", "m@n", "o+p", "q$r", "s'",
  };
  GString *out = g_string_new (NULL);
  guint n = g_rand_int_range (rand, 0, 4);

  if (n == 0)
    return g_string_free (out, FALSE);          /* empty path: "/" */

  for (guint i = 0; i < n; i++)
    {
      g_string_append_c (out, '/');
      g_string_append (out, segments[g_rand_int_range (rand, 0, G_N_ELEMENTS (segments))]);
    }
  if (g_rand_int_range (rand, 0, 6) == 0)
    g_string_append_c (out, '/');

  return g_string_free (out, FALSE);
}

static void
set_nullable (JsonObject *object,
              const char *name,
              const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, name, value);
  else
    json_object_set_null_member (object, name);
}

static char *
maybe_text (GRand *rand,
            int    null_one_in)
{
  int pick = g_rand_int_range (rand, 0, null_one_in);

  if (pick == 0)
    return NULL;
  if (pick == 1)
    return g_strdup ("");
  return g_rand_boolean (rand) ? random_word (rand) : random_text (rand, 6);
}

static Case
make_case (GRand *rand,
           guint  id)
{
  const char *method = methods[g_rand_int_range (rand, 0, G_N_ELEMENTS (methods))];
  const char *sig_method = sig_methods[id % G_N_ELEMENTS (sig_methods)];
  g_autofree char *path = random_path (rand);
  g_autofree char *query = random_form (rand, 6);
  g_autofree char *uri = NULL;
  g_autofree char *consumer_key = g_rand_int_range (rand, 0, 4) == 0 ? random_text (rand, 5) : random_word (rand);
  g_autofree char *consumer_secret = maybe_text (rand, 8);
  g_autofree char *token = maybe_text (rand, 3);
  g_autofree char *token_secret = maybe_text (rand, 3);
  g_autofree char *nonce = g_rand_boolean (rand) ? random_word (rand) : random_text (rand, 5);
  g_autofree char *timestamp = g_rand_int_range (rand, 0, 4) > 0
    ? g_strdup_printf ("%u", g_rand_int (rand)) : random_text (rand, 3);
  g_autofree char *callback = NULL;
  g_autofree char *verifier = NULL;
  g_autofree char *realm = g_rand_int_range (rand, 0, 4) == 0 ? random_text (rand, 3) : NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *body = NULL;
  gboolean version = g_rand_boolean (rand);
  gboolean with_body = strcmp (method, "GET") != 0 && strcmp (method, "DELETE") != 0;
  g_autoptr(GError) error = NULL;
  RelayOAuth1SignatureMethod parsed_method;
  Case c;

  if (*consumer_key == '\0')
    {
      g_free (consumer_key);
      consumer_key = g_strdup ("ck");
    }

  uri = g_strdup_printf ("%s://%s%s%s%s%s%s",
                         schemes[g_rand_int_range (rand, 0, G_N_ELEMENTS (schemes))],
                         hosts[g_rand_int_range (rand, 0, G_N_ELEMENTS (hosts))],
                         ports[g_rand_int_range (rand, 0, G_N_ELEMENTS (ports))],
                         path,
                         *query != '\0' || g_rand_int_range (rand, 0, 8) == 0 ? "?" : "",
                         query,
                         g_rand_int_range (rand, 0, 8) == 0 ? "#frag%20ment" : "");

  if (g_rand_int_range (rand, 0, 5) == 0)
    {
      g_autofree char *cb_query = random_form (rand, 3);

      callback = g_strdup_printf ("http://127.0.0.1:%d/callback?%s",
                                  g_rand_int_range (rand, 1024, 65536), cb_query);
    }
  else if (g_rand_int_range (rand, 0, 10) == 0)
    callback = g_strdup ("oob");
  if (g_rand_int_range (rand, 0, 5) == 0)
    verifier = random_text (rand, 4);

  c.request = relay_oauth1_request_new (method, uri, &error);
  if (c.request == NULL)
    g_error ("generated URI %s was refused: %s", uri, error->message);

  if (with_body)
    {
      switch (g_rand_int_range (rand, 0, 5))
        {
        case 0:                                 /* raw form body as sent */
          content_type = g_strdup (g_rand_boolean (rand) ? RELAY_FORM_CONTENT_TYPE
                                                         : "Application/X-WWW-Form-URLEncoded; charset=utf-8");
          body = random_form (rand, 5);
          break;

        case 1:                                 /* parameters added raw, Relay encodes */
          {
            guint n = g_rand_int_range (rand, 1, 5);

            for (guint i = 0; i < n; i++)
              {
                g_autofree char *name = random_name (rand);
                g_autofree char *value = random_text (rand, 4);

                relay_oauth1_request_add_form (c.request, name, value);
              }
          }
          break;

        case 2:                                 /* JSON: never signed */
          content_type = g_strdup ("application/json");
          body = g_strdup ("{\"from\":\"Relay\",\"to\":\"447700900000\",\"text\":\"a=b&c\"}");
          break;

        default:
          break;
        }

      if (body != NULL)
        {
          g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

          relay_oauth1_request_set_body (c.request, content_type, bytes);
        }
    }

  g_assert_true (relay_oauth1_signature_method_from_string (sig_method, &parsed_method));
  relay_oauth1_request_set_signature_method (c.request, parsed_method);
  relay_oauth1_request_set_consumer (c.request, consumer_key, consumer_secret);
  relay_oauth1_request_set_token (c.request, token, token_secret);
  relay_oauth1_request_set_nonce (c.request, nonce);
  relay_oauth1_request_set_timestamp (c.request, timestamp);
  relay_oauth1_request_set_callback (c.request, callback);
  relay_oauth1_request_set_verifier (c.request, verifier);
  relay_oauth1_request_set_realm (c.request, realm);
  relay_oauth1_request_set_include_version (c.request, version);

  if (!relay_oauth1_request_sign (c.request, &error))
    g_error ("request %u (%s) could not be signed: %s", id, uri, error->message);

  c.input = json_object_new ();
  json_object_set_int_member (c.input, "id", id);
  json_object_set_string_member (c.input, "method", method);
  json_object_set_string_member (c.input, "uri", uri);
  set_nullable (c.input, "content_type", relay_oauth1_request_get_content_type (c.request));
  if (relay_oauth1_request_get_body (c.request) != NULL)
    {
      gsize len;
      const char *data = g_bytes_get_data (relay_oauth1_request_get_body (c.request), &len);
      g_autofree char *text = g_strndup (data, len);

      json_object_set_string_member (c.input, "body", text);
    }
  json_object_set_string_member (c.input, "signature_method", sig_method);
  json_object_set_string_member (c.input, "consumer_key", consumer_key);
  set_nullable (c.input, "consumer_secret", consumer_secret);
  set_nullable (c.input, "token", token);
  set_nullable (c.input, "token_secret", token_secret);
  json_object_set_string_member (c.input, "nonce", nonce);
  json_object_set_string_member (c.input, "timestamp", timestamp);
  set_nullable (c.input, "callback", callback);
  set_nullable (c.input, "verifier", verifier);
  json_object_set_boolean_member (c.input, "version", version);
  json_object_set_string_member (c.input, "authorization",
                                 relay_oauth1_request_get_authorization (c.request));

  return c;
}

static char *
object_to_line (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);

  return json_generator_to_data (generator, NULL);
}

/* Runs the oracle once over every line and returns its answers in order. */
static GPtrArray *
run_oracle (const char *input,
            guint       expected)
{
  g_autofree char *helper = g_test_build_filename (G_TEST_DIST, "helpers", "oauthlib-oracle.py", NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autofree char *errors = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *answers = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                              G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              "/usr/bin/python3", helper, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, &output, &errors, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_error ("the oauthlib oracle failed (is python3-oauthlib installed?): %s", errors);

  lines = g_strsplit (output, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = NULL;

      if (*lines[i] == '\0')
        continue;
      node = json_from_string (lines[i], &error);
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      g_ptr_array_add (answers, json_object_ref (json_node_get_object (node)));
    }

  g_assert_cmpuint (answers->len, ==, expected);

  return answers;
}

static gboolean
check_answer (const Case *c,
              JsonObject *answer)
{
  const char *base = relay_oauth1_request_get_base_string (c->request);
  const char *signature = relay_oauth1_request_get_signature (c->request);
  const char *problem = NULL;

  if (json_object_has_member (answer, "error"))
    problem = json_object_get_string_member (answer, "error");
  else if (g_strcmp0 (base, json_object_get_string_member (answer, "base_string")) != 0)
    problem = "base string differs";
  else if (g_strcmp0 (signature, json_object_get_string_member (answer, "signature")) != 0)
    problem = "signature differs";
  else if (g_strcmp0 (base, json_object_get_string_member (answer, "header_base_string")) != 0)
    problem = "base string rebuilt from the Authorization header differs";
  else if (g_strcmp0 (signature, json_object_get_string_member_with_default (answer, "header_signature", NULL)) != 0)
    problem = "oauth_signature in the Authorization header differs";

  if (problem != NULL)
    {
      g_autofree char *input = object_to_line (c->input);
      g_autofree char *output = object_to_line (answer);

      g_test_message ("mismatch: %s\n  input:  %s\n  relay:  %s\n         %s\n  oracle: %s",
                      problem, input, base, signature, output);
    }

  return problem == NULL;
}

static void
test_against_oauthlib (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (SEED);
  g_autoptr(GString) input = g_string_new (NULL);
  g_autoptr(GPtrArray) answers = NULL;
  g_autofree Case *cases = g_new0 (Case, N_REQUESTS);
  guint counts[G_N_ELEMENTS (sig_methods)] = { 0, };
  guint with_form = 0, with_json = 0, ipv6 = 0;
  guint failures = 0;
  g_autoptr(JsonObject) control = NULL;
  g_autofree char *control_line = NULL;

  for (guint i = 0; i < N_REQUESTS; i++)
    {
      g_autofree char *line = NULL;
      const char *content_type;

      cases[i] = make_case (rand, i);
      line = object_to_line (cases[i].input);
      g_string_append (input, line);
      g_string_append_c (input, '\n');

      counts[i % G_N_ELEMENTS (sig_methods)]++;
      content_type = relay_oauth1_request_get_content_type (cases[i].request);
      if (content_type != NULL && strstr (content_type, "json") != NULL)
        with_json++;
      else if (content_type != NULL)
        with_form++;
      if (strchr (json_object_get_string_member (cases[i].input, "uri"), '[') != NULL)
        ipv6++;
    }

  /* A control line: request 0 with another consumer secret. The oracle
   * must disagree with Relay's signature, or the comparison is dead. */
  {
    g_autofree char *line0 = object_to_line (cases[0].input);
    g_autoptr(JsonNode) copy = json_from_string (line0, NULL);

    control = json_object_ref (json_node_get_object (copy));
    json_object_set_int_member (control, "id", N_REQUESTS);
    json_object_set_string_member (control, "consumer_secret", "not-the-secret");
    json_object_set_string_member (control, "signature_method", "HMAC-SHA1");
  }
  control_line = object_to_line (control);
  g_string_append (input, control_line);
  g_string_append_c (input, '\n');

  answers = run_oracle (input->str, N_REQUESTS + 1);

  for (guint i = 0; i < N_REQUESTS; i++)
    {
      JsonObject *answer = g_ptr_array_index (answers, i);

      g_assert_cmpint (json_object_get_int_member (answer, "id"), ==, i);
      if (!check_answer (&cases[i], answer))
        failures++;
    }

  {
    JsonObject *answer = g_ptr_array_index (answers, N_REQUESTS);

    g_assert_false (json_object_has_member (answer, "error"));
    g_assert_cmpstr (json_object_get_string_member (answer, "signature"), !=,
                     relay_oauth1_request_get_signature (cases[0].request));
  }

  g_test_message ("%u requests: %u HMAC-SHA1, %u HMAC-SHA256, %u HMAC-SHA512, %u PLAINTEXT; "
                  "%u form bodies, %u JSON bodies, %u IPv6 hosts; %u mismatches",
                  N_REQUESTS, counts[0], counts[1], counts[2], counts[3],
                  with_form, with_json, ipv6, failures);
  g_assert_cmpuint (with_form, >=, 50);
  g_assert_cmpuint (with_json, >=, 20);
  g_assert_cmpuint (ipv6, >=, 50);
  g_assert_cmpuint (failures, ==, 0);

  for (guint i = 0; i < N_REQUESTS; i++)
    {
      json_object_unref (cases[i].input);
      g_assert_finalize_object (cases[i].request);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/relay/oauth1-differential/oauthlib", test_against_oauthlib);

  return g_test_run ();
}
