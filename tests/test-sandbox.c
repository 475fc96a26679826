/* test-sandbox.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * RelaySandboxServer in-process on a kernel-chosen port, driven over
 * loopback by a SoupSession with requests signed by RelayOAuth1Request;
 * and the relay-sandbox executable as a subprocess.
 */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "relay-oauth1-params.h"
#include "relay-oauth1-request.h"
#include "relay-sandbox-server.h"

#define KEY        RELAY_SANDBOX_DEFAULT_CONSUMER_KEY
#define SECRET     RELAY_SANDBOX_DEFAULT_CONSUMER_SECRET
#define API_KEY    RELAY_SANDBOX_DEFAULT_API_KEY
#define API_SECRET RELAY_SANDBOX_DEFAULT_API_SECRET
#define CALLBACK   "http://127.0.0.1:9/callback?state=s1"

/* The sandbox runs on a manual clock: rate windows and slow answers are
 * counted in simulated time. */
#define T0 (G_GINT64_CONSTANT (1792567650) * G_USEC_PER_SEC)
#define MS (G_USEC_PER_SEC / 1000)
/* The sandbox's window: a second, less 50 ms for the jitter of arrivals
 * on a busy loopback (see relay-sandbox-sms.c). */
#define WINDOW (950 * MS)

typedef struct
{
  RelayClock         *clock;
  RelaySandboxServer *server;
  SoupSession        *session;
  char               *base;
  char               *tmpdir;
  char               *messages_path;
} Fixture;

typedef struct
{
  guint  status;
  char  *body;
  gsize  len;
  char  *location;
  char  *content_type;
  char  *retry_after;
} Reply;

static void
reply_free (Reply *reply)
{
  g_free (reply->body);
  g_free (reply->location);
  g_free (reply->content_type);
  g_free (reply->retry_after);
  g_free (reply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->tmpdir = g_dir_make_tmp ("relay-sandbox-XXXXXX", &error);
  g_assert_no_error (error);
  f->messages_path = g_build_filename (f->tmpdir, "messages.jsonl", NULL);

  f->clock = relay_clock_new_manual (T0);
  f->server = relay_sandbox_server_new ();
  relay_sandbox_server_set_clock (f->server, f->clock);
  relay_sandbox_server_set_messages_path (f->server, f->messages_path);
  relay_sandbox_server_listen (f->server, 0, &error);
  g_assert_no_error (error);
  f->base = relay_sandbox_server_get_base_uri (f->server);
  g_assert_true (g_str_has_prefix (f->base, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (f->base, "/"));

  f->session = soup_session_new_with_options ("timeout", 10, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->session);
  g_assert_finalize_object (f->server);
  g_assert_finalize_object (f->clock);
  g_unlink (f->messages_path);
  g_rmdir (f->tmpdir);
  g_free (f->messages_path);
  g_free (f->tmpdir);
  g_free (f->base);
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

/* Sends @msg and runs the main loop (the server lives on it) until the
 * answer is in. */
static Reply *
send_message (Fixture     *f,
              SoupMessage *msg)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GAsyncResult *result = NULL;
  SoupMessageHeaders *headers;
  Reply *reply = g_new0 (Reply, 1);
  const char *data;

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  bytes = soup_session_send_and_read_finish (f->session, result, &error);
  g_object_unref (result);
  g_assert_no_error (error);

  headers = soup_message_get_response_headers (msg);
  data = g_bytes_get_data (bytes, &reply->len);
  reply->status = soup_message_get_status (msg);
  reply->body = g_strndup (data, reply->len);
  reply->location = g_strdup (soup_message_headers_get_one (headers, "Location"));
  reply->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  reply->retry_after = g_strdup (soup_message_headers_get_one (headers, "Retry-After"));

  return reply;
}

static char *
url (Fixture    *f,
     const char *path)
{
  return g_strconcat (f->base, path, NULL);
}

static RelayOAuth1Request *
oauth_request (Fixture    *f,
               const char *method,
               const char *path,
               const char *token,
               const char *token_secret)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = url (f, path);
  RelayOAuth1Request *request = relay_oauth1_request_new (method, uri, &error);

  g_assert_no_error (error);
  relay_oauth1_request_set_consumer (request, KEY, SECRET);
  if (token != NULL)
    relay_oauth1_request_set_token (request, token, token_secret);

  return request;
}

static Reply *
send_request (Fixture            *f,
              RelayOAuth1Request *request)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) error = NULL;
  const char *authorization;
  GBytes *body;

  relay_oauth1_request_sign (request, &error);
  g_assert_no_error (error);

  msg = soup_message_new_from_uri (relay_oauth1_request_get_method (request),
                                   relay_oauth1_request_get_uri (request));
  body = relay_oauth1_request_get_body (request);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, relay_oauth1_request_get_content_type (request), body);
  authorization = relay_oauth1_request_get_authorization (request);
  if (authorization != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);

  return send_message (f, msg);
}

static Reply *
send_form (Fixture    *f,
           const char *method,
           const char *path,
           const char *form,
           const char *basic)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *uri = NULL;

  if (strcmp (method, "GET") == 0 && form != NULL)
    uri = g_strdup_printf ("%s%s?%s", f->base, path, form);
  else
    uri = url (f, path);

  msg = soup_message_new (method, uri);
  g_assert_nonnull (msg);
  if (strcmp (method, "POST") == 0 && form != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (form, strlen (form));

      soup_message_set_request_body_from_bytes (msg, RELAY_FORM_CONTENT_TYPE, bytes);
    }
  if (basic != NULL)
    {
      g_autofree char *encoded = g_base64_encode ((const guchar *) basic, strlen (basic));
      g_autofree char *header = g_strconcat ("Basic ", encoded, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
    }

  return send_message (f, msg);
}

static GPtrArray *
parse_form (const char *text)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *params = relay_params_new ();

  relay_params_parse_form (params, text, -1, &error);
  g_assert_no_error (error);

  return params;
}

static void
assert_problem (Reply      *reply,
                const char *problem)
{
  g_autoptr(GPtrArray) params = parse_form (reply->body);

  g_assert_cmpuint (reply->status, ==, 401);
  g_assert_cmpstr (reply->content_type, ==, RELAY_FORM_CONTENT_TYPE);
  g_assert_cmpstr (relay_params_get (params, "oauth_problem"), ==, problem);
  g_assert_nonnull (relay_params_get (params, "oauth_problem_advice"));
}

static JsonObject *
parse_json (Reply *reply)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  g_assert_cmpstr (reply->content_type, ==, "application/json");
  json_parser_load_from_data (parser, reply->body, reply->len, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));

  return json_object_ref (json_node_get_object (root));
}

static JsonObject *
sms_element (JsonObject *answer,
             guint       i)
{
  JsonArray *messages = json_object_get_array_member (answer, "messages");

  g_assert_cmpuint (json_array_get_length (messages), >, i);
  return json_array_get_object_element (messages, i);
}

/* An SMS answer with a single error element: checks the status and text. */
static void
assert_sms_status (Reply      *reply,
                   const char *status,
                   const char *error_text)
{
  g_autoptr(JsonObject) answer = NULL;
  JsonObject *element;

  g_assert_cmpuint (reply->status, ==, 200);
  answer = parse_json (reply);
  g_assert_cmpstr (json_object_get_string_member (answer, "message-count"), ==, "1");
  element = sms_element (answer, 0);
  g_assert_cmpstr (json_object_get_string_member (element, "status"), ==, status);
  if (error_text != NULL)
    g_assert_cmpstr (json_object_get_string_member (element, "error-text"), ==, error_text);
  g_assert_false (json_object_has_member (element, "message-id"));
}

static Reply *
send_sms (Fixture    *f,
          const char *params)
{
  g_autofree char *form = g_strdup_printf ("api_key=" API_KEY "&api_secret=" API_SECRET "&%s", params);

  return send_form (f, "POST", "sms/json", form, NULL);
}

/* --- OAuth helpers ------------------------------------------------------ */

static GPtrArray *
get_request_token (Fixture    *f,
                   const char *callback)
{
  g_autoptr(RelayOAuth1Request) request = oauth_request (f, "POST", "oauth/request_token", NULL, NULL);
  g_autoptr(Reply) reply = NULL;

  if (callback != NULL)
    relay_oauth1_request_set_callback (request, callback);
  reply = send_request (f, request);
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpstr (reply->content_type, ==, RELAY_FORM_CONTENT_TYPE);

  return parse_form (reply->body);
}

static Reply *
answer_page (Fixture    *f,
             const char *token,
             const char *action)
{
  g_autofree char *encoded = relay_percent_encode (token);
  g_autofree char *form = g_strdup_printf ("oauth_token=%s&action=%s", encoded, action);

  return send_form (f, "POST", "oauth/authorize", form, NULL);
}

/* Authorizes @token on the page; returns the verifier from the redirect. */
static char *
approve (Fixture    *f,
         const char *token)
{
  g_autoptr(Reply) reply = answer_page (f, token, "authorize");
  g_autoptr(GUri) location = NULL;
  g_autoptr(GPtrArray) params = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (reply->status, ==, 303);
  location = g_uri_parse (reply->location, G_URI_FLAGS_ENCODED, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_uri_get_host (location), ==, "127.0.0.1");
  g_assert_cmpstr (g_uri_get_path (location), ==, "/callback");
  params = parse_form (g_uri_get_query (location));
  g_assert_cmpstr (relay_params_get (params, "state"), ==, "s1");
  g_assert_cmpstr (relay_params_get (params, "oauth_token"), ==, token);
  g_assert_nonnull (relay_params_get (params, "oauth_verifier"));

  return g_strdup (relay_params_get (params, "oauth_verifier"));
}

static Reply *
exchange (Fixture    *f,
          GPtrArray  *request_token,
          const char *verifier)
{
  g_autoptr(RelayOAuth1Request) request = NULL;

  request = oauth_request (f, "POST", "oauth/access_token",
                           relay_params_get (request_token, "oauth_token"),
                           relay_params_get (request_token, "oauth_token_secret"));
  if (verifier != NULL)
    relay_oauth1_request_set_verifier (request, verifier);

  return send_request (f, request);
}

/* The whole three-legged flow; returns the access token answer. */
static GPtrArray *
sign_in (Fixture *f)
{
  g_autoptr(GPtrArray) request_token = get_request_token (f, CALLBACK);
  g_autofree char *verifier = approve (f, relay_params_get (request_token, "oauth_token"));
  g_autoptr(Reply) reply = exchange (f, request_token, verifier);

  g_assert_cmpuint (reply->status, ==, 200);
  return parse_form (reply->body);
}

/* --- OAuth tests -------------------------------------------------------- */

static void
test_three_legged (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) request_token = get_request_token (f, CALLBACK);
  g_autoptr(Reply) page = NULL;
  g_autoptr(Reply) reply = NULL;
  g_autoptr(GPtrArray) access = NULL;
  g_autoptr(RelayOAuth1Request) sms = NULL;
  g_autoptr(RelayOAuth1Request) balance = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *page_url = NULL;
  g_autofree char *verifier = NULL;
  const char *token = relay_params_get (request_token, "oauth_token");
  JsonObject *element;

  g_assert_cmpstr (relay_params_get (request_token, "oauth_callback_confirmed"), ==, "true");
  g_assert_cmpuint (strlen (token), >=, 32);
  g_assert_cmpuint (strlen (relay_params_get (request_token, "oauth_token_secret")), >=, 32);

  /* The page is a real form: title, app name, both buttons, POST. */
  page_url = g_strdup_printf ("oauth/authorize?oauth_token=%s", token);
  page = send_form (f, "GET", page_url, NULL, NULL);
  g_assert_cmpuint (page->status, ==, 200);
  g_assert_cmpstr (page->content_type, ==, "text/html");
  g_assert_nonnull (strstr (page->body, "<title>Authorize Relay</title>"));
  g_assert_nonnull (strstr (page->body, "<form method=\"post\" action=\"/oauth/authorize\">"));
  g_assert_nonnull (strstr (page->body, "<button id=\"authorize\" name=\"action\" value=\"authorize\""));
  g_assert_nonnull (strstr (page->body, "<button id=\"deny\" name=\"action\" value=\"deny\""));
  g_assert_nonnull (strstr (page->body, token));

  verifier = approve (f, token);
  reply = exchange (f, request_token, verifier);
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpstr (reply->content_type, ==, RELAY_FORM_CONTENT_TYPE);
  access = parse_form (reply->body);
  g_assert_cmpuint (access->len, ==, 2);
  g_assert_cmpstr (relay_params_get (access, "oauth_token"), !=, token);
  g_assert_nonnull (relay_params_get (access, "oauth_token_secret"));
  g_clear_pointer (&reply, reply_free);

  sms = oauth_request (f, "POST", "sms/json", relay_params_get (access, "oauth_token"),
                       relay_params_get (access, "oauth_token_secret"));
  relay_oauth1_request_add_form (sms, "from", "Relay");
  relay_oauth1_request_add_form (sms, "to", "447700900001");
  relay_oauth1_request_add_form (sms, "text", "Hello from Relay");
  reply = send_request (f, sms);
  g_assert_cmpuint (reply->status, ==, 200);
  answer = parse_json (reply);
  g_assert_cmpstr (json_object_get_string_member (answer, "message-count"), ==, "1");
  element = sms_element (answer, 0);
  g_assert_cmpstr (json_object_get_string_member (element, "status"), ==, "0");
  g_assert_cmpstr (json_object_get_string_member (element, "to"), ==, "447700900001");
  g_assert_cmpstr (json_object_get_string_member (element, "remaining-balance"), ==, "9.96670000");
  g_assert_cmpstr (json_object_get_string_member (element, "message-price"), ==, "0.03330000");
  g_assert_cmpstr (json_object_get_string_member (element, "network"), ==, "23410");
  g_assert_cmpuint (relay_sandbox_server_get_message_count (f->server), ==, 1);
  g_clear_pointer (&reply, reply_free);

  balance = oauth_request (f, "GET", "account/get-balance", relay_params_get (access, "oauth_token"),
                           relay_params_get (access, "oauth_token_secret"));
  reply = send_request (f, balance);
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpstr (reply->body, ==, "{\"value\":9.9667,\"autoReload\":false}");
}

static void
test_signature_methods (Fixture       *f,
                        gconstpointer  data)
{
  static const RelayOAuth1SignatureMethod methods[] = {
    RELAY_OAUTH1_HMAC_SHA1, RELAY_OAUTH1_HMAC_SHA256, RELAY_OAUTH1_HMAC_SHA512, RELAY_OAUTH1_PLAINTEXT,
  };
  static const RelayOAuth1Placement placements[] = {
    RELAY_OAUTH1_PLACEMENT_HEADER, RELAY_OAUTH1_PLACEMENT_QUERY, RELAY_OAUTH1_PLACEMENT_BODY,
  };

  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    for (guint p = 0; p < G_N_ELEMENTS (placements); p++)
      for (guint get = 0; get < 2; get++)
        {
          g_autoptr(RelayOAuth1Request) request = NULL;
          g_autoptr(Reply) reply = NULL;
          g_autoptr(GPtrArray) answer = NULL;

          if (get && placements[p] == RELAY_OAUTH1_PLACEMENT_BODY)
            continue;

          request = oauth_request (f, get ? "GET" : "POST", "oauth/request_token?extra=a%20b", NULL, NULL);
          relay_oauth1_request_set_signature_method (request, methods[m]);
          relay_oauth1_request_set_placement (request, placements[p]);
          relay_oauth1_request_set_callback (request, CALLBACK);
          if (!get)
            relay_oauth1_request_add_form (request, "note", "x y+z");
          relay_oauth1_request_set_include_version (request, m % 2 == 0);
          reply = send_request (f, request);
          g_assert_cmpuint (reply->status, ==, 200);
          answer = parse_form (reply->body);
          g_assert_nonnull (relay_params_get (answer, "oauth_token"));
        }
}

static void
test_wrong_signature (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(RelayOAuth1Request) request = oauth_request (f, "POST", "oauth/request_token", NULL, NULL);
  g_autoptr(RelayOAuth1Request) request2 = oauth_request (f, "POST", "oauth/request_token", NULL, NULL);
  g_autoptr(Reply) reply = NULL;
  g_autoptr(Reply) reply2 = NULL;

  relay_oauth1_request_set_consumer (request, KEY, "not-the-secret");
  relay_oauth1_request_set_callback (request, CALLBACK);
  reply = send_request (f, request);
  assert_problem (reply, "signature_invalid");

  /* A body changed after signing fails too. */
  relay_oauth1_request_set_callback (request2, CALLBACK);
  relay_oauth1_request_add_form (request2, "a", "1");
  relay_oauth1_request_sign (request2, NULL);
  {
    g_autoptr(SoupMessage) msg = soup_message_new_from_uri ("POST", relay_oauth1_request_get_uri (request2));
    g_autoptr(GBytes) tampered = g_bytes_new_static ("a=2", 3);

    soup_message_set_request_body_from_bytes (msg, RELAY_FORM_CONTENT_TYPE, tampered);
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                  relay_oauth1_request_get_authorization (request2));
    reply2 = send_message (f, msg);
    assert_problem (reply2, "signature_invalid");
  }
}

static void
test_replayed_nonce (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(RelayOAuth1Request) request = oauth_request (f, "POST", "oauth/request_token", NULL, NULL);
  g_autoptr(Reply) first = NULL;
  g_autoptr(Reply) second = NULL;
  g_autoptr(Reply) third = NULL;
  g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);

  /* A nonce must be unique per timestamp (RFC 5849 §3.3): fix both, or a
   * second boundary between the sends makes the replay legitimate. */
  relay_oauth1_request_set_callback (request, CALLBACK);
  relay_oauth1_request_set_timestamp (request, now);
  relay_oauth1_request_set_nonce (request, "fixed-nonce-1");
  first = send_request (f, request);
  g_assert_cmpuint (first->status, ==, 200);
  second = send_request (f, request);
  assert_problem (second, "nonce_used");

  relay_oauth1_request_set_nonce (request, "fixed-nonce-2");
  third = send_request (f, request);
  g_assert_cmpuint (third->status, ==, 200);
}

static void
test_stale_timestamp (Fixture       *f,
                      gconstpointer  data)
{
  for (int sign = -1; sign <= 1; sign += 2)
    {
      g_autoptr(RelayOAuth1Request) request = oauth_request (f, "POST", "oauth/request_token", NULL, NULL);
      g_autoptr(RelayOAuth1Request) near = oauth_request (f, "POST", "oauth/request_token", NULL, NULL);
      g_autoptr(Reply) reply = NULL;
      g_autoptr(Reply) near_reply = NULL;
      g_autoptr(GPtrArray) params = NULL;
      const char *range;
      gint64 now = g_get_real_time () / G_USEC_PER_SEC;
      gint64 from, to;

      relay_oauth1_request_set_callback (request, CALLBACK);
      relay_oauth1_request_set_clock_offset (request, sign * 400);
      reply = send_request (f, request);
      assert_problem (reply, "timestamp_refused");
      params = parse_form (reply->body);
      range = relay_params_get (params, "oauth_acceptable_timestamps");
      g_assert_nonnull (range);
      g_assert_cmpint (sscanf (range, "%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT, &from, &to), ==, 2);
      g_assert_cmpint (to - from, ==, 600);
      g_assert_cmpint (ABS (from + 300 - now), <=, 2);

      /* Within the window is fine. */
      relay_oauth1_request_set_callback (near, CALLBACK);
      relay_oauth1_request_set_clock_offset (near, sign * 250);
      near_reply = send_request (f, near);
      g_assert_cmpuint (near_reply->status, ==, 200);
    }
}

static void
test_unknown_credentials (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(RelayOAuth1Request) consumer = oauth_request (f, "POST", "oauth/request_token", NULL, NULL);
  g_autoptr(RelayOAuth1Request) no_callback = oauth_request (f, "POST", "oauth/request_token", NULL, NULL);
  g_autoptr(RelayOAuth1Request) token = oauth_request (f, "POST", "oauth/access_token", "nope", "nope");
  g_autoptr(RelayOAuth1Request) sms = oauth_request (f, "POST", "sms/json", "nope", "nope");
  g_autoptr(Reply) reply = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *uri = url (f, "oauth/request_token");
  g_autofree char *header = NULL;

  relay_oauth1_request_set_consumer (consumer, "someone-else", SECRET);
  relay_oauth1_request_set_callback (consumer, CALLBACK);
  reply = send_request (f, consumer);
  assert_problem (reply, "consumer_key_unknown");
  g_clear_pointer (&reply, reply_free);

  reply = send_request (f, no_callback);
  assert_problem (reply, "parameter_absent");
  g_assert_nonnull (strstr (reply->body, "oauth_parameters_absent=oauth_callback"));
  g_clear_pointer (&reply, reply_free);

  relay_oauth1_request_set_verifier (token, "v");
  reply = send_request (f, token);
  assert_problem (reply, "token_rejected");
  g_clear_pointer (&reply, reply_free);

  relay_oauth1_request_add_form (sms, "from", "Relay");
  relay_oauth1_request_add_form (sms, "to", "447700900001");
  relay_oauth1_request_add_form (sms, "text", "hi");
  reply = send_request (f, sms);
  assert_problem (reply, "token_rejected");
  g_clear_pointer (&reply, reply_free);

  /* An unsupported method is refused before any signature check. */
  header = g_strdup_printf ("OAuth oauth_consumer_key=\"" KEY "\", oauth_signature_method=\"RSA-SHA1\", "
                            "oauth_timestamp=\"%" G_GINT64_FORMAT "\", oauth_nonce=\"n\", "
                            "oauth_signature=\"x\", oauth_callback=\"oob\"",
                            g_get_real_time () / G_USEC_PER_SEC);
  msg = soup_message_new ("POST", uri);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
  reply = send_message (f, msg);
  assert_problem (reply, "signature_method_rejected");
  g_assert_cmpuint (relay_sandbox_server_get_message_count (f->server), ==, 0);
}

static void
test_reused_verifier (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) request_token = get_request_token (f, CALLBACK);
  g_autoptr(GPtrArray) other = get_request_token (f, CALLBACK);
  g_autofree char *verifier = approve (f, relay_params_get (request_token, "oauth_token"));
  g_autofree char *other_verifier = approve (f, relay_params_get (other, "oauth_token"));
  g_autoptr(Reply) first = NULL;
  g_autoptr(Reply) again = NULL;
  g_autoptr(Reply) wrong = NULL;
  g_autoptr(Reply) right_after_wrong = NULL;
  g_autoptr(Reply) missing = NULL;

  /* No verifier: refused, and the token survives. */
  missing = exchange (f, request_token, NULL);
  assert_problem (missing, "parameter_absent");

  first = exchange (f, request_token, verifier);
  g_assert_cmpuint (first->status, ==, 200);
  again = exchange (f, request_token, verifier);
  assert_problem (again, "token_rejected");

  /* A wrong verifier burns the request token. */
  wrong = exchange (f, other, "0123456789abcdef0123456789abcdef");
  assert_problem (wrong, "verifier_invalid");
  right_after_wrong = exchange (f, other, other_verifier);
  assert_problem (right_after_wrong, "token_rejected");
}

static void
test_unauthorized_token (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) request_token = get_request_token (f, CALLBACK);
  g_autoptr(Reply) reply = exchange (f, request_token, "guess");

  assert_problem (reply, "token_rejected");
}

static void
test_deny (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GPtrArray) request_token = get_request_token (f, CALLBACK);
  const char *token = relay_params_get (request_token, "oauth_token");
  g_autoptr(Reply) reply = answer_page (f, token, "deny");
  g_autoptr(Reply) again = NULL;
  g_autoptr(Reply) exchanged = NULL;
  g_autofree char *expected = g_strdup_printf (CALLBACK "&denied=%s", token);

  g_assert_cmpuint (reply->status, ==, 303);
  g_assert_cmpstr (reply->location, ==, expected);

  /* Answered once only; the token cannot be exchanged. */
  again = answer_page (f, token, "authorize");
  g_assert_cmpuint (again->status, ==, 400);
  exchanged = exchange (f, request_token, "anything");
  assert_problem (exchanged, "token_rejected");
}

static void
test_unknown_page_token (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(Reply) get = send_form (f, "GET", "oauth/authorize?oauth_token=%3Cb%3Enope", NULL, NULL);
  g_autoptr(Reply) post = answer_page (f, "nope", "authorize");
  g_autoptr(Reply) none = send_form (f, "GET", "oauth/authenticate", NULL, NULL);

  g_assert_cmpuint (get->status, ==, 400);
  g_assert_cmpstr (get->content_type, ==, "text/html");
  g_assert_null (strstr (get->body, "<b>nope"));
  g_assert_nonnull (strstr (get->body, "unknown"));
  g_assert_cmpuint (post->status, ==, 400);
  g_assert_cmpuint (none->status, ==, 400);
}

static void
test_oob (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(GPtrArray) request_token = get_request_token (f, "oob");
  g_autoptr(Reply) page = answer_page (f, relay_params_get (request_token, "oauth_token"), "authorize");
  g_autoptr(Reply) reply = NULL;
  g_autofree char *verifier = NULL;
  const char *start, *end;

  g_assert_cmpuint (page->status, ==, 200);
  start = strstr (page->body, "<code id=\"verifier\">");
  g_assert_nonnull (start);
  start += strlen ("<code id=\"verifier\">");
  end = strstr (start, "</code>");
  g_assert_nonnull (end);
  verifier = g_strndup (start, end - start);
  g_assert_cmpuint (strlen (verifier), >=, 16);

  reply = exchange (f, request_token, verifier);
  g_assert_cmpuint (reply->status, ==, 200);
}

static void
test_authenticate_endpoint (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) request_token = get_request_token (f, CALLBACK);
  g_autofree char *path = g_strdup_printf ("oauth/authenticate?oauth_token=%s",
                                           relay_params_get (request_token, "oauth_token"));
  g_autoptr(Reply) page = send_form (f, "GET", path, NULL, NULL);

  g_assert_cmpuint (page->status, ==, 200);
  g_assert_nonnull (strstr (page->body, "action=\"/oauth/authenticate\""));
}

static void
test_auto_answers (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) first = get_request_token (f, CALLBACK);
  g_autoptr(GPtrArray) second = get_request_token (f, CALLBACK);
  g_autofree char *path1 = g_strdup_printf ("oauth/authorize?oauth_token=%s",
                                            relay_params_get (first, "oauth_token"));
  g_autofree char *path2 = g_strdup_printf ("oauth/authorize?oauth_token=%s",
                                            relay_params_get (second, "oauth_token"));
  g_autoptr(Reply) approved = NULL;
  g_autoptr(Reply) denied = NULL;
  g_autoptr(Reply) exchanged = NULL;
  g_autoptr(GUri) location = NULL;
  g_autoptr(GPtrArray) params = NULL;

  relay_sandbox_server_set_auto_approve (f->server, TRUE);
  approved = send_form (f, "GET", path1, NULL, NULL);
  g_assert_cmpuint (approved->status, ==, 303);
  location = g_uri_parse (approved->location, G_URI_FLAGS_ENCODED, NULL);
  params = parse_form (g_uri_get_query (location));
  exchanged = exchange (f, first, relay_params_get (params, "oauth_verifier"));
  g_assert_cmpuint (exchanged->status, ==, 200);

  relay_sandbox_server_set_auto_approve (f->server, FALSE);
  relay_sandbox_server_set_auto_deny (f->server, TRUE);
  denied = send_form (f, "GET", path2, NULL, NULL);
  g_assert_cmpuint (denied->status, ==, 303);
  g_assert_nonnull (strstr (denied->location, "&denied="));
  g_assert_null (strstr (denied->location, "oauth_verifier"));
}

static void
test_legacy (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) request_token = NULL;
  g_autoptr(Reply) page = NULL;
  g_autoptr(Reply) early = NULL;
  g_autoptr(Reply) reply = NULL;
  g_autoptr(Reply) again = NULL;
  const char *token;

  relay_sandbox_server_set_legacy (f->server, TRUE);
  request_token = get_request_token (f, NULL);
  g_assert_null (relay_params_get (request_token, "oauth_callback_confirmed"));
  token = relay_params_get (request_token, "oauth_token");

  /* Not authorized yet: refused, even without a verifier. */
  early = exchange (f, request_token, NULL);
  assert_problem (early, "token_rejected");

  page = answer_page (f, token, "authorize");
  g_assert_cmpuint (page->status, ==, 200);
  g_assert_null (strstr (page->body, "verifier"));

  reply = exchange (f, request_token, NULL);
  g_assert_cmpuint (reply->status, ==, 200);
  again = exchange (f, request_token, NULL);
  assert_problem (again, "token_rejected");
}

static void
test_legacy_callback (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) request_token = NULL;
  g_autoptr(Reply) reply = NULL;
  g_autofree char *path = NULL;
  g_autofree char *expected = NULL;

  relay_sandbox_server_set_legacy (f->server, TRUE);
  relay_sandbox_server_set_auto_approve (f->server, TRUE);
  request_token = get_request_token (f, NULL);
  path = g_strdup_printf ("oauth/authorize?oauth_token=%s&oauth_callback=http%%3A%%2F%%2F127.0.0.1%%3A9%%2Fdone",
                          relay_params_get (request_token, "oauth_token"));
  reply = send_form (f, "GET", path, NULL, NULL);
  g_assert_cmpuint (reply->status, ==, 303);
  expected = g_strdup_printf ("http://127.0.0.1:9/done?oauth_token=%s",
                              relay_params_get (request_token, "oauth_token"));
  g_assert_cmpstr (reply->location, ==, expected);
}

/* SMS by GET with the protocol parameters in the query, and oob with
 * auto-approve (which cannot redirect, so it shows the verifier). */
static void
test_oauth_get (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) request_token = get_request_token (f, "oob");
  g_autofree char *path = g_strdup_printf ("oauth/authorize?oauth_token=%s",
                                           relay_params_get (request_token, "oauth_token"));
  g_autoptr(Reply) page = NULL;
  g_autoptr(Reply) reply = NULL;
  g_autoptr(GPtrArray) access = NULL;
  g_autoptr(RelayOAuth1Request) sms = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *verifier = NULL;
  const char *start;

  relay_sandbox_server_set_auto_approve (f->server, TRUE);
  page = send_form (f, "GET", path, NULL, NULL);
  g_assert_cmpuint (page->status, ==, 200);
  start = strstr (page->body, "<code id=\"verifier\">");
  g_assert_nonnull (start);
  start += strlen ("<code id=\"verifier\">");
  verifier = g_strndup (start, strchr (start, '<') - start);

  reply = exchange (f, request_token, verifier);
  g_assert_cmpuint (reply->status, ==, 200);
  access = parse_form (reply->body);
  g_clear_pointer (&reply, reply_free);

  sms = oauth_request (f, "GET", "sms/json?from=Relay&to=447700900001&text=caf%C3%A9+%2B+more&client-ref=g1",
                       relay_params_get (access, "oauth_token"), relay_params_get (access, "oauth_token_secret"));
  relay_oauth1_request_set_signature_method (sms, RELAY_OAUTH1_HMAC_SHA512);
  relay_oauth1_request_set_placement (sms, RELAY_OAUTH1_PLACEMENT_QUERY);
  reply = send_request (f, sms);
  g_assert_cmpuint (reply->status, ==, 200);
  answer = parse_json (reply);
  g_assert_cmpstr (json_object_get_string_member (sms_element (answer, 0), "status"), ==, "0");
  g_assert_cmpstr (json_object_get_string_member (sms_element (answer, 0), "client-ref"), ==, "g1");

  /* The same signed URL again is a replay. */
  g_clear_pointer (&reply, reply_free);
  {
    g_autoptr(SoupMessage) msg = soup_message_new_from_uri ("GET", relay_oauth1_request_get_uri (sms));

    reply = send_message (f, msg);
    assert_problem (reply, "nonce_used");
  }
  g_assert_cmpuint (relay_sandbox_server_get_message_count (f->server), ==, 1);
}

/* --- SMS and balance ---------------------------------------------------- */

static void
test_api_key (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(Reply) params = send_sms (f, "from=Relay&to=447700900001&text=hi");
  g_autoptr(Reply) get = send_form (f, "GET", "sms/json",
                                    "api_key=" API_KEY "&api_secret=" API_SECRET
                                    "&from=Relay&to=%2B447700900002&text=hi", NULL);
  g_autoptr(Reply) basic = send_form (f, "POST", "sms/json", "from=Relay&to=447700900003&text=hi",
                                      API_KEY ":" API_SECRET);
  g_autoptr(Reply) bad_basic = send_form (f, "POST", "sms/json", "from=Relay&to=447700900003&text=hi",
                                          API_KEY ":wrong");
  g_autoptr(Reply) bad_params = send_form (f, "POST", "sms/json",
                                           "api_key=" API_KEY "&api_secret=wrong&from=Relay&to=447700900001&text=hi",
                                           NULL);
  g_autoptr(Reply) bad_key = send_form (f, "POST", "sms/json",
                                        "api_key=other&api_secret=" API_SECRET "&from=Relay&to=447700900001&text=hi",
                                        NULL);
  g_autoptr(Reply) no_secret = send_form (f, "POST", "sms/json",
                                          "api_key=" API_KEY "&from=Relay&to=447700900001&text=hi", NULL);
  g_autoptr(Reply) none = send_form (f, "POST", "sms/json", "from=Relay&to=447700900001&text=hi", NULL);
  g_autoptr(Reply) balance = send_form (f, "GET", "account/get-balance", NULL, API_KEY ":" API_SECRET);
  g_autoptr(Reply) balance_params = send_form (f, "GET", "account/get-balance",
                                               "api_key=" API_KEY "&api_secret=" API_SECRET, NULL);
  g_autoptr(Reply) balance_bad = send_form (f, "GET", "account/get-balance",
                                            "api_key=" API_KEY "&api_secret=nope", NULL);
  g_autoptr(Reply) balance_none = send_form (f, "GET", "account/get-balance", NULL, NULL);
  g_autoptr(JsonObject) answer = parse_json (get);

  g_assert_cmpstr (json_object_get_string_member (sms_element (answer, 0), "to"), ==, "447700900002");
  for (guint i = 0; i < 3; i++)
    {
      Reply *ok[] = { params, get, basic };
      g_autoptr(JsonObject) parsed = parse_json (ok[i]);

      g_assert_cmpstr (json_object_get_string_member (sms_element (parsed, 0), "status"), ==, "0");
    }
  assert_sms_status (bad_basic, "4", "Bad Credentials");
  assert_sms_status (bad_params, "4", "Bad Credentials");
  assert_sms_status (bad_key, "4", "Bad Credentials");
  assert_sms_status (no_secret, "2", "Missing api_secret");
  assert_sms_status (none, "2", "Missing api_key");
  g_assert_cmpuint (relay_sandbox_server_get_message_count (f->server), ==, 3);

  g_assert_cmpuint (balance->status, ==, 200);
  g_assert_cmpstr (balance->body, ==, "{\"value\":9.9001,\"autoReload\":false}");
  g_assert_cmpstr (balance_params->body, ==, balance->body);
  for (guint i = 0; i < 2; i++)
    {
      Reply *bad = i == 0 ? balance_bad : balance_none;

      g_assert_cmpuint (bad->status, ==, 401);
      g_assert_cmpstr (bad->content_type, ==, "application/json");
      g_assert_cmpstr (bad->body, ==, "{\"error-code\":\"401\",\"error-code-label\":\"authentication failed\"}");
    }
}

static void
test_status_codes (Fixture       *f,
                   gconstpointer  data)
{
  static const struct {
    const char *params;
    const char *status;
    const char *error_text;
  } rows[] = {
    { "to=447700900001&text=hi", "2", "Missing from param" },
    { "from=Relay&text=hi", "2", "Missing to param" },
    { "from=Relay&to=447700900001", "2", "Missing text param" },
    { "from=Relay&to=123456&text=hi", "3", "Invalid to address" },
    { "from=Relay&to=1234567890123456&text=hi", "3", "Invalid to address" },
    { "from=Relay&to=44770090000x&text=hi", "3", "Invalid to address" },
    { "from=Relay&to=447700900001&text=hi&type=binary", "3", "Invalid message type" },
    { "from=Relay&to=447700900001&text=", "6", "Invalid Message" },
    { "from=Relay&to=447700900001&text=%FF%FE", "6", "Invalid Message" },
    { "from=RelayRelayRe&to=447700900001&text=hi", "15", "Illegal Sender Address - rejected" },
    { "from=Relay!&to=447700900001&text=hi", "15", "Illegal Sender Address - rejected" },
    { "from=1234567890123456&to=447700900001&text=hi", "15", "Illegal Sender Address - rejected" },
    { "from=%25oops&to=447700900001", "2", "Missing text param" },
    { "from=Relay&to=447700900001&text=a%ZZ", "3", NULL },
  };
  g_autofree char *long_text = NULL;
  g_autoptr(Reply) too_long = NULL;
  g_autoptr(Reply) fits = NULL;
  g_autoptr(Reply) spaced = NULL;
  g_autoptr(Reply) numeric = NULL;
  g_autoptr(Reply) poor = NULL;
  g_autofree char *form = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(Reply) reply = send_sms (f, rows[i].params);

      g_test_message ("%s", rows[i].params);
      assert_sms_status (reply, rows[i].status, rows[i].error_text);
    }

  /* Nexmo's limit is 3200 characters for text. */
  long_text = g_strnfill (3201, 'a');
  form = g_strdup_printf ("from=Relay&to=447700900001&text=%s", long_text);
  too_long = send_sms (f, form);
  assert_sms_status (too_long, "12", "Message too long");
  long_text[3200] = '\0';
  g_free (form);
  form = g_strdup_printf ("from=Relay&to=447700900001&text=%s", long_text);
  fits = send_sms (f, form);
  {
    g_autoptr(JsonObject) answer = parse_json (fits);

    /* 3200 GSM-7 characters: ceil (3200 / 153) parts. */
    g_assert_cmpstr (json_object_get_string_member (answer, "message-count"), ==, "21");
  }

  /* Spaces in an alphanumeric sender are ignored; numbers may have '+'. */
  spaced = send_sms (f, "from=My+Relay+App&to=447700900001&text=hi");
  numeric = send_sms (f, "from=%2B447700900999&to=447700900001&text=hi");
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(JsonObject) answer = parse_json (i == 0 ? spaced : numeric);

      g_assert_cmpstr (json_object_get_string_member (sms_element (answer, 0), "status"), ==, "0");
    }

  /* Status 9: the balance does not cover every part; nothing is charged. */
  relay_sandbox_server_set_balance (f->server, 0.05);
  form = (g_free (form), g_strdup_printf ("from=Relay&to=447700900001&text=%.*s", 200, long_text));
  poor = send_sms (f, form);
  assert_sms_status (poor, "9", "Partner quota exceeded");
  g_assert_cmpfloat_with_epsilon (relay_sandbox_server_get_balance (f->server), 0.05, 1e-9);
  g_assert_cmpuint (relay_sandbox_server_get_message_count (f->server), ==, 3);
}

static gboolean
is_message_id (const char *id)
{
  if (strlen (id) != 16)
    return FALSE;
  for (guint i = 0; i < 16; i++)
    if (!g_ascii_isdigit (id[i]) && !(id[i] >= 'A' && id[i] <= 'F'))
      return FALSE;
  return TRUE;
}

static void
test_multipart (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *text = g_strnfill (307, 'x');
  g_autofree char *form = g_strdup_printf ("from=Relay&to=447700900001&client-ref=order-17&text=%s", text);
  g_autoptr(Reply) reply = send_sms (f, form);
  g_autoptr(JsonObject) answer = parse_json (reply);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(Reply) balance = NULL;
  static const char * const remaining[] = { "9.96670000", "9.93340000", "9.90010000" };
  static const struct {
    const char *params;
    const char *parts;
  } rows[] = {
    /* Non-GSM text without type=unicode counts as GSM-7 ('?'). */
    { "text=%E2%82%AC%E2%82%AC%E2%82%AC%D0%96", "1" },
    /* With type=unicode: UCS-2, 70 per part. */
    { "text=%D0%96%D0%96%D0%96&type=unicode", "1" },
  };

  g_assert_cmpstr (json_object_get_string_member (answer, "message-count"), ==, "3");
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *element = sms_element (answer, i);
      const char *id = json_object_get_string_member (element, "message-id");

      g_assert_true (is_message_id (id));
      g_assert_true (g_hash_table_add (ids, (gpointer) id));
      g_assert_cmpstr (json_object_get_string_member (element, "status"), ==, "0");
      g_assert_cmpstr (json_object_get_string_member (element, "message-price"), ==, "0.03330000");
      g_assert_cmpstr (json_object_get_string_member (element, "remaining-balance"), ==, remaining[i]);
      g_assert_cmpstr (json_object_get_string_member (element, "client-ref"), ==, "order-17");
      g_assert_cmpstr (json_object_get_string_member (element, "network"), ==, "23410");
    }
  g_assert_cmpfloat_with_epsilon (relay_sandbox_server_get_balance (f->server), 9.9001, 1e-9);

  balance = send_form (f, "GET", "account/get-balance", NULL, API_KEY ":" API_SECRET);
  g_assert_cmpstr (balance->body, ==, "{\"value\":9.9001,\"autoReload\":false}");

  for (guint len = 159; len <= 162; len++)
    {
      g_autofree char *chunk = g_strnfill (len, 'y');
      g_autofree char *params = g_strdup_printf ("from=Relay&to=447700900001&text=%s", chunk);
      g_autoptr(Reply) r = send_sms (f, params);
      g_autoptr(JsonObject) a = parse_json (r);

      g_assert_cmpstr (json_object_get_string_member (a, "message-count"), ==, len <= 160 ? "1" : "2");
    }

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *params = g_strdup_printf ("from=Relay&to=447700900001&%s", rows[i].params);
      g_autoptr(Reply) r = send_sms (f, params);
      g_autoptr(JsonObject) a = parse_json (r);

      g_assert_cmpstr (json_object_get_string_member (a, "message-count"), ==, rows[i].parts);
    }

  /* Plain GSM-7 text sent as unicode is still UCS-2: 71 characters → 2 parts. */
  {
    g_autofree char *chunk = g_strnfill (71, 'z');
    g_autofree char *params = g_strdup_printf ("from=Relay&to=447700900001&type=unicode&text=%s", chunk);
    g_autoptr(Reply) r = send_sms (f, params);
    g_autoptr(JsonObject) a = parse_json (r);

    g_assert_cmpstr (json_object_get_string_member (a, "message-count"), ==, "2");
  }
}

static GPtrArray *
read_log (Fixture *f)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *objects = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  if (!g_file_get_contents (f->messages_path, &contents, NULL, &error))
    {
      g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
      return objects;
    }

  g_assert_true (contents[0] == '\0' || g_str_has_suffix (contents, "\n"));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      json_parser_load_from_data (parser, lines[i], -1, &error);
      g_assert_no_error (error);
      g_ptr_array_add (objects, json_object_ref (json_node_get_object (json_parser_get_root (parser))));
    }

  return objects;
}

static void
test_messages_log (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *text = g_strnfill (200, 'q');
  g_autofree char *form = g_strdup_printf ("from=Relay&to=%%2B447700900001&client-ref=ref-%%22x%%22&text=%s", text);
  g_autoptr(Reply) two_parts = send_sms (f, form);
  g_autoptr(Reply) unicode = send_sms (f, "from=447700900999&to=447700900002&type=unicode&text=%D0%9F%D1%80%D0%B8%D0%B2%D0%B5%D1%82%0A%22ok%22");
  g_autoptr(Reply) refused = send_sms (f, "from=Relay&to=447700900002");
  g_autoptr(JsonObject) answer = parse_json (two_parts);
  g_autoptr(GPtrArray) log = read_log (f);
  JsonObject *line;

  assert_sms_status (refused, "2", "Missing text param");
  g_assert_nonnull (strstr (unicode->body, "\"status\":\"0\""));
  g_assert_cmpuint (log->len, ==, 2);
  g_assert_cmpuint (relay_sandbox_server_get_message_count (f->server), ==, 2);

  line = g_ptr_array_index (log, 0);
  g_assert_cmpstr (json_object_get_string_member (line, "message-id"), ==,
                   json_object_get_string_member (sms_element (answer, 0), "message-id"));
  g_assert_cmpstr (json_object_get_string_member (line, "to"), ==, "447700900001");
  g_assert_cmpstr (json_object_get_string_member (line, "from"), ==, "Relay");
  g_assert_cmpstr (json_object_get_string_member (line, "text"), ==, text);
  g_assert_cmpstr (json_object_get_string_member (line, "type"), ==, "text");
  g_assert_cmpstr (json_object_get_string_member (line, "client-ref"), ==, "ref-\"x\"");
  g_assert_cmpint (json_object_get_int_member (line, "part"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (line, "parts"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (line, "price"), ==, "0.06660000");

  line = g_ptr_array_index (log, 1);
  g_assert_cmpstr (json_object_get_string_member (line, "text"), ==, "Привет\n\"ok\"");
  g_assert_cmpstr (json_object_get_string_member (line, "type"), ==, "unicode");
  g_assert_true (json_object_get_null_member (line, "client-ref"));
  g_assert_cmpint (json_object_get_int_member (line, "parts"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (line, "price"), ==, "0.03330000");

  /* A new path while serving takes effect at once. */
  {
    g_autofree char *second = g_build_filename (f->tmpdir, "second.jsonl", NULL);
    g_autofree char *contents = NULL;
    g_autoptr(Reply) reply = NULL;
    g_autoptr(GPtrArray) again = NULL;

    relay_sandbox_server_set_messages_path (f->server, second);
    reply = send_sms (f, "from=Relay&to=447700900003&text=second");
    g_assert_true (g_file_get_contents (second, &contents, NULL, NULL));
    g_assert_nonnull (strstr (contents, "\"text\":\"second\""));
    g_assert_true (g_str_has_suffix (contents, "\n"));
    g_assert_true (strchr (contents, '\n')[1] == '\0');
    again = read_log (f);
    g_assert_cmpuint (again->len, ==, 2);
    relay_sandbox_server_set_messages_path (f->server, f->messages_path);
    g_unlink (second);
  }
}

/* --- Rate limit ---------------------------------------------------------- */

static guint
throttle_wait (Reply *reply)
{
  g_autoptr(JsonObject) answer = parse_json (reply);
  JsonObject *element = sms_element (answer, 0);
  const char *text;
  guint wait = 0;

  g_assert_cmpstr (json_object_get_string_member (element, "status"), ==, "1");
  text = json_object_get_string_member (element, "error-text");
  g_assert_cmpint (sscanf (text, "Throughput Rate Exceeded - please wait [ %u ] and retry", &wait), ==, 1);
  g_assert_true (g_str_has_suffix (text, " ] and retry"));

  return wait;
}

static void
test_rate_limit (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(Reply) throttled = NULL;
  g_autoptr(Reply) other_credential = NULL;
  g_autoptr(Reply) after = NULL;
  g_autoptr(GPtrArray) access = NULL;
  g_autoptr(RelayOAuth1Request) oauth_sms = NULL;
  g_autoptr(GPtrArray) log = NULL;
  guint wait;

  relay_sandbox_server_set_rate_limit (f->server, 5);
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(Reply) reply = send_sms (f, "from=Relay&to=447700900001&text=hi");
      g_autoptr(JsonObject) answer = parse_json (reply);

      g_assert_cmpstr (json_object_get_string_member (sms_element (answer, 0), "status"), ==, "0");
    }

  /* All five came at T0: the window opens a window later. */
  throttled = send_sms (f, "from=Relay&to=447700900001&text=hi");
  wait = throttle_wait (throttled);
  g_assert_cmpuint (wait, ==, WINDOW / MS);
  g_assert_cmpuint (relay_sandbox_server_get_message_count (f->server), ==, 5);
  g_assert_cmpfloat_with_epsilon (relay_sandbox_server_get_balance (f->server), 10.0 - 5 * 0.0333, 1e-9);

  /* The limit is per credential: an OAuth client is not affected. */
  access = sign_in (f);
  oauth_sms = oauth_request (f, "POST", "sms/json", relay_params_get (access, "oauth_token"),
                             relay_params_get (access, "oauth_token_secret"));
  relay_oauth1_request_add_form (oauth_sms, "from", "Relay");
  relay_oauth1_request_add_form (oauth_sms, "to", "447700900001");
  relay_oauth1_request_add_form (oauth_sms, "text", "hi");
  other_credential = send_request (f, oauth_sms);
  {
    g_autoptr(JsonObject) answer = parse_json (other_credential);

    g_assert_cmpstr (json_object_get_string_member (sms_element (answer, 0), "status"), ==, "0");
  }

  /* Waiting as told is enough, and needed. */
  relay_clock_advance (f->clock, wait * MS - 1);
  {
    g_autoptr(Reply) early = send_sms (f, "from=Relay&to=447700900001&text=hi");

    g_assert_cmpuint (throttle_wait (early), ==, 1);
  }
  relay_clock_advance (f->clock, 1);
  after = send_sms (f, "from=Relay&to=447700900001&text=hi");
  {
    g_autoptr(JsonObject) answer = parse_json (after);

    g_assert_cmpstr (json_object_get_string_member (sms_element (answer, 0), "status"), ==, "0");
  }

  log = read_log (f);
  g_assert_cmpuint (log->len, ==, 7);
}

static gboolean
is_throttled (Reply *reply)
{
  return strstr (reply->body, "\"status\":\"1\"") != NULL;
}

/* A client pacing itself at exactly the limit, one request every
 * 1/limit s of simulated time, is never throttled; a burst on top of
 * that is, as soon as the window is full, until it moves. */
static void
test_rate_paced (Fixture       *f,
                 gconstpointer  data)
{
  const guint limit = 20;
  const guint total = 2 * limit + 5;
  guint throttled = 0;

  relay_sandbox_server_set_rate_limit (f->server, limit);
  relay_sandbox_server_set_balance (f->server, 100);
  for (guint i = 0; i < total; i++)
    {
      g_autoptr(Reply) reply = NULL;
      g_autoptr(JsonObject) answer = NULL;

      if (i > 0)
        relay_clock_advance (f->clock, G_USEC_PER_SEC / limit);
      reply = send_sms (f, "from=Relay&to=447700900001&text=paced");
      answer = parse_json (reply);
      g_assert_cmpstr (json_object_get_string_member (sms_element (answer, 0), "status"), ==, "0");
    }
  g_assert_cmpuint (relay_sandbox_server_get_message_count (f->server), ==, total);

  for (guint i = 0; i < limit; i++)
    {
      g_autoptr(Reply) reply = send_sms (f, "from=Relay&to=447700900001&text=burst");

      throttled += is_throttled (reply);
    }
  /* The window held limit - 1 paced requests: one of the burst fits. */
  g_assert_cmpuint (throttled, ==, limit - 1);
  g_assert_cmpuint (relay_sandbox_server_get_message_count (f->server), ==, total + 1);
}

/* At the default 30 per second, 30 requests spread over most of a
 * simulated second pass, the 31st within that second is throttled, and
 * it passes when the first leaves the window. */
static void
test_rate_window (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Reply) last = NULL;
  g_autoptr(Reply) again = NULL;

  g_assert_cmpuint (RELAY_SANDBOX_DEFAULT_RATE_LIMIT, ==, 30);
  for (guint i = 0; i < 30; i++)
    {
      g_autoptr(Reply) reply = NULL;

      if (i > 0)
        relay_clock_advance (f->clock, 30 * MS);
      reply = send_sms (f, "from=Relay&to=447700900001&text=window");
      g_assert_false (is_throttled (reply));
    }

  /* At T0 + 940 ms; the first request leaves the window at T0 + 950 ms. */
  relay_clock_advance (f->clock, 70 * MS);
  last = send_sms (f, "from=Relay&to=447700900001&text=window");
  g_assert_true (is_throttled (last));
  g_assert_cmpuint (throttle_wait (last), ==, 10);
  g_assert_cmpuint (relay_sandbox_server_get_message_count (f->server), ==, 30);

  relay_clock_advance (f->clock, 10 * MS);
  again = send_sms (f, "from=Relay&to=447700900001&text=window");
  g_assert_false (is_throttled (again));
  g_assert_cmpuint (relay_sandbox_server_get_message_count (f->server), ==, 31);
}

/* 1000 messages at 200 per second, many in flight at once, from a client
 * that keeps to the limit over any one-second window (as queued; on a
 * loaded machine the wire may bunch them) and retries status 1 after the
 * wait it names: each message is logged exactly once. */
#define BULK_TOTAL 1000
#define BULK_RATE  200

typedef struct
{
  Fixture  *f;
  gint64    start;
  gint64    sent[BULK_TOTAL];
  guint     next;
  guint     accepted;
  guint     throttled;
} Bulk;

typedef struct
{
  Bulk        *bulk;
  SoupMessage *msg;
  guint        index;
} BulkItem;

static void bulk_send (Bulk  *bulk,
                       guint  index);

static gboolean
bulk_retry_cb (gpointer data)
{
  BulkItem *item = data;

  bulk_send (item->bulk, item->index);
  g_free (item);

  return G_SOURCE_REMOVE;
}

static void
bulk_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      data)
{
  BulkItem *item = data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  guint wait = 0;
  const char *throttle;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (item->msg), ==, 200);
  g_clear_object (&item->msg);
  body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  if (strstr (body, "\"status\":\"0\"") != NULL)
    {
      item->bulk->accepted++;
      g_free (item);
      return;
    }

  throttle = strstr (body, "please wait [ ");
  g_assert_nonnull (throttle);
  g_assert_cmpint (sscanf (throttle, "please wait [ %u ]", &wait), ==, 1);
  item->bulk->throttled++;
  g_timeout_add (wait, bulk_retry_cb, item);
}

static void
bulk_send (Bulk  *bulk,
           guint  index)
{
  g_autofree char *uri = url (bulk->f, "sms/json");
  char *form = g_strdup_printf ("api_key=" API_KEY "&api_secret=" API_SECRET
                                "&from=Relay&to=447700900001&text=bulk&client-ref=m-%u", index);
  g_autoptr(GBytes) body = g_bytes_new_take (form, strlen (form));
  BulkItem *item = g_new0 (BulkItem, 1);

  item->bulk = bulk;
  item->index = index;
  item->msg = soup_message_new ("POST", uri);
  soup_message_set_request_body_from_bytes (item->msg, RELAY_FORM_CONTENT_TYPE, body);
  soup_session_send_and_read_async (bulk->f->session, item->msg, G_PRIORITY_DEFAULT, NULL,
                                    bulk_done_cb, item);
}

static gboolean
bulk_tick_cb (gpointer data)
{
  Bulk *bulk = data;
  gint64 now = g_get_monotonic_time ();

  while (bulk->next < BULK_TOTAL)
    {
      guint i = bulk->next;
      gint64 due = bulk->start + (gint64) i * G_USEC_PER_SEC / BULK_RATE;

      if (i >= BULK_RATE)
        due = MAX (due, bulk->sent[i - BULK_RATE] + G_USEC_PER_SEC);
      if (now < due)
        break;

      bulk->sent[i] = g_get_monotonic_time ();
      bulk->next++;
      bulk_send (bulk, i);
    }

  return bulk->next < BULK_TOTAL ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
test_rate_bulk (Fixture       *f,
                gconstpointer  data)
{
  g_autofree Bulk *bulk = g_new0 (Bulk, 1);
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(GHashTable) refs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 start, elapsed;

  g_object_unref (f->session);
  /* No I/O timeout of its own: on a loaded machine under ASan an answer
   * took longer than 10 s; a hang still ends at meson's test timeout. */
  f->session = soup_session_new_with_options ("timeout", 0, "max-conns", 64, "max-conns-per-host", 64, NULL);
  /* The client side of this one keeps real time (its timing is only
   * reported, never asserted), so the sandbox does too. */
  relay_sandbox_server_set_clock (f->server, NULL);
  relay_sandbox_server_set_rate_limit (f->server, BULK_RATE);
  relay_sandbox_server_set_balance (f->server, 100);
  bulk->f = f;

  start = bulk->start = g_get_monotonic_time ();
  if (bulk_tick_cb (bulk))
    g_timeout_add (1, bulk_tick_cb, bulk);
  while (bulk->accepted < BULK_TOTAL)
    g_main_context_iteration (NULL, TRUE);
  elapsed = g_get_monotonic_time () - start;

  g_test_message ("%d messages at %d/s: %.3f s (ideal %.3f s, ratio %.3f), %u throttled and retried",
                  BULK_TOTAL, BULK_RATE, elapsed / 1e6, (BULK_TOTAL - 1) / (double) BULK_RATE,
                  elapsed / 1e6 / ((BULK_TOTAL - 1) / (double) BULK_RATE), bulk->throttled);
  g_assert_cmpuint (relay_sandbox_server_get_message_count (f->server), ==, BULK_TOTAL);

  log = read_log (f);
  g_assert_cmpuint (log->len, ==, BULK_TOTAL);
  for (guint i = 0; i < log->len; i++)
    {
      JsonObject *line = g_ptr_array_index (log, i);

      g_assert_true (g_hash_table_add (refs, g_strdup (json_object_get_string_member (line, "client-ref"))));
    }
  for (guint i = 0; i < BULK_TOTAL; i++)
    {
      g_autofree char *ref = g_strdup_printf ("m-%u", i);

      g_assert_true (g_hash_table_contains (refs, ref));
    }
}

/* --- Faults -------------------------------------------------------------- */

static void
add_fault (Fixture    *f,
           const char *spec)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (relay_sandbox_server_add_fault (f->server, spec, &error));
  g_assert_no_error (error);
}

static void
test_fault_specs (Fixture       *f,
                  gconstpointer  data)
{
  static const char * const bad[] = {
    "", "sms/json=http-500", "/sms/json", "/sms/json=", "/sms/json=teapot", "/sms/json=http-500@0",
    "/sms/json=http-500@x", "/sms/json=http-500:3", "/sms/json=slow", "/sms/json=slow:abc",
    "/sms/json=problem:nonsense", "/sms/json=http-429", "/sms/json=throttle:0", "=http-500",
    "/sms/json=slow:-5", "/sms/json=http-500@-1",
  };
  static const char * const good[] = {
    "/sms/json=http-500", "/sms/json=non-json@3", "/sms/json=truncated", "/sms/json=slow:10@1",
    "/oauth/access_token=problem:token_rejected", "/oauth/request_token=unconfirmed@1",
    "/sms/json=http-429:5", "/sms/json=throttle", "/sms/json=throttle:250@2",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("spec “%s”", bad[i]);
      g_assert_false (relay_sandbox_server_add_fault (f->server, bad[i], &error));
      g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
      g_assert_true (g_str_has_prefix (error->message, "Fault “"));
      g_assert_true (g_str_has_suffix (error->message, "."));
    }

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RelaySandboxServer) other = relay_sandbox_server_new ();

      g_assert_true (relay_sandbox_server_add_fault (other, good[i], &error));
      g_assert_no_error (error);
    }
}

static void
test_fault_http (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(Reply) e500 = NULL;
  g_autoptr(Reply) html = NULL;
  g_autoptr(Reply) r429 = NULL;
  g_autoptr(Reply) normal = NULL;
  g_autoptr(Reply) throttled = NULL;
  g_autoptr(Reply) balance = NULL;

  add_fault (f, "/sms/json=http-500@1");
  add_fault (f, "/sms/json=non-json@1");
  add_fault (f, "/sms/json=http-429:7@1");
  add_fault (f, "/sms/json=throttle:250@1");
  add_fault (f, "/account/get-balance=http-500");

  e500 = send_sms (f, "from=Relay&to=447700900001&text=hi");
  g_assert_cmpuint (e500->status, ==, 500);
  html = send_sms (f, "from=Relay&to=447700900001&text=hi");
  g_assert_cmpuint (html->status, ==, 200);
  g_assert_cmpstr (html->content_type, ==, "text/html");
  g_assert_true (g_str_has_prefix (html->body, "<!DOCTYPE html>"));
  r429 = send_sms (f, "from=Relay&to=447700900001&text=hi");
  g_assert_cmpuint (r429->status, ==, 429);
  g_assert_cmpstr (r429->retry_after, ==, "7");
  throttled = send_sms (f, "from=Relay&to=447700900001&text=hi");
  g_assert_cmpuint (throttle_wait (throttled), ==, 250);

  /* Each fault was used up; nothing was charged or logged meanwhile. */
  g_assert_cmpuint (relay_sandbox_server_get_message_count (f->server), ==, 0);
  normal = send_sms (f, "from=Relay&to=447700900001&text=hi");
  {
    g_autoptr(JsonObject) answer = parse_json (normal);

    g_assert_cmpstr (json_object_get_string_member (sms_element (answer, 0), "status"), ==, "0");
  }

  /* Without @COUNT a fault never runs out. */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(Reply) reply = send_form (f, "GET", "account/get-balance", NULL, API_KEY ":" API_SECRET);

      g_assert_cmpuint (reply->status, ==, 500);
    }
  (void) balance;
}

static void
test_fault_truncated (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Reply) cut = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *uri = url (f, "account/get-balance");
  g_autofree char *full = NULL;
  gsize full_len;

  add_fault (f, "/account/get-balance=truncated@1");
  msg = soup_message_new ("GET", uri);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                "Basic cmVsYXktc2FuZGJveC1hcGkta2V5OnJlbGF5LXNhbmRib3gtYXBpLXNlY3JldA==");
  cut = send_message (f, msg);
  g_assert_cmpuint (cut->status, ==, 200);
  full = g_strdup ("{\"value\":10.0,\"autoReload\":false}");
  full_len = strlen (full);
  g_assert_cmpuint (cut->len, ==, full_len / 2);
  g_assert_cmpint (soup_message_headers_get_content_length (soup_message_get_response_headers (msg)), ==,
                   full_len / 2);
  g_assert_true (strncmp (cut->body, full, cut->len) == 0);
  g_assert_false (json_parser_load_from_data (parser, cut->body, cut->len, &error));
}

static void
test_fault_oauth (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) unconfirmed = NULL;
  g_autoptr(GPtrArray) confirmed = NULL;
  g_autoptr(GPtrArray) request_token = NULL;
  g_autoptr(Reply) problem = NULL;
  g_autoptr(Reply) retry = NULL;
  g_autofree char *verifier = NULL;

  add_fault (f, "/oauth/request_token=unconfirmed@1");
  add_fault (f, "/oauth/access_token=problem:timestamp_refused@1");

  unconfirmed = get_request_token (f, CALLBACK);
  g_assert_nonnull (relay_params_get (unconfirmed, "oauth_token"));
  g_assert_null (relay_params_get (unconfirmed, "oauth_callback_confirmed"));
  confirmed = get_request_token (f, CALLBACK);
  g_assert_cmpstr (relay_params_get (confirmed, "oauth_callback_confirmed"), ==, "true");

  request_token = g_ptr_array_ref (confirmed);
  verifier = approve (f, relay_params_get (request_token, "oauth_token"));
  problem = exchange (f, request_token, verifier);
  assert_problem (problem, "timestamp_refused");
  retry = exchange (f, request_token, verifier);
  g_assert_cmpuint (retry->status, ==, 200);
}

typedef struct
{
  Fixture *f;
  Reply   *reply;
  gint64   done;
} Pending;

static void
pending_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      data)
{
  Pending *pending = data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  g_assert_no_error (error);
  pending->reply = g_new0 (Reply, 1);
  pending->reply->body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  pending->done = TRUE;
}

static void
test_fault_slow (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(SoupMessage) slow = NULL;
  g_autoptr(Reply) quick = NULL;
  g_autofree char *uri = url (f, "sms/json");
  g_autoptr(GBytes) body = NULL;
  Pending pending = { f, NULL, 0 };
  const char *form = "api_key=" API_KEY "&api_secret=" API_SECRET "&from=Relay&to=447700900001&text=slow";

  add_fault (f, "/sms/json=slow:1500@1");
  slow = soup_message_new ("POST", uri);
  body = g_bytes_new_static (form, strlen (form));
  soup_message_set_request_body_from_bytes (slow, RELAY_FORM_CONTENT_TYPE, body);
  soup_session_send_and_read_async (f->session, slow, G_PRIORITY_DEFAULT, NULL, pending_cb, &pending);

  /* Let the slow request reach the server first. */
  while (relay_sandbox_server_get_message_count (f->server) == 0)
    g_main_context_iteration (NULL, TRUE);

  /* The main loop is not blocked: another request is answered first. */
  quick = send_sms (f, "from=Relay&to=447700900001&text=quick");
  g_assert_cmpuint (quick->status, ==, 200);
  g_assert_null (pending.reply);

  /* The slow one is answered 1.5 s of simulated time later, not before. */
  relay_clock_advance (f->clock, 1500 * MS - 1);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (pending.reply);
  relay_clock_advance (f->clock, 1);
  while (pending.reply == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (soup_message_get_status (slow), ==, 200);
  g_assert_nonnull (strstr (pending.reply->body, "\"status\":\"0\""));
  reply_free (pending.reply);
}

typedef struct
{
  RelayClock *clock;
  char       *base;        /* set by the worker once listening */
  gboolean    stop;
  GMainContext *context;
} SandboxWorker;

static gpointer
sandbox_worker_thread (gpointer data)
{
  SandboxWorker *worker = data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(RelaySandboxServer) server = relay_sandbox_server_new ();
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (context);
  relay_sandbox_server_set_clock (server, worker->clock);
  g_assert_true (relay_sandbox_server_add_fault (server, "/sms/json=slow:2000@1", &error));
  g_assert_true (relay_sandbox_server_listen (server, 0, &error));
  g_assert_no_error (error);
  worker->context = g_main_context_ref (context);
  g_atomic_pointer_set (&worker->base, relay_sandbox_server_get_base_uri (server));

  while (!g_atomic_int_get (&worker->stop))
    g_main_context_iteration (context, TRUE);

  g_assert_cmpuint (relay_sandbox_server_get_message_count (server), ==, 1);
  g_assert_finalize_object (g_steal_pointer (&server));
  g_main_context_pop_thread_default (context);

  return NULL;
}

typedef struct
{
  char  *uri;
  char  *body;
  guint  status;
} BlockingPost;

/* A client on its own thread, with a blocking session. */
static gpointer
blocking_post_thread (gpointer data)
{
  BlockingPost *post = data;
  const char *form = "api_key=" API_KEY "&api_secret=" API_SECRET "&from=Relay&to=447700900001&text=worker";
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 30, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", post->uri);
  g_autoptr(GBytes) body = g_bytes_new_static (form, strlen (form));
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_set_request_body_from_bytes (msg, RELAY_FORM_CONTENT_TYPE, body);
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  post->status = soup_message_get_status (msg);
  post->body = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));

  return NULL;
}

/* The sandbox on a worker thread with its own main context: it serves
 * there, and the timeout of a slow answer fires there too, while no one
 * runs the global default context. */
static void
test_worker_thread (void)
{
  g_autoptr(GMainContext) mine = g_main_context_new ();
  g_autoptr(RelayClock) clock = relay_clock_new_manual (T0);
  SandboxWorker worker = { clock, NULL, FALSE, NULL };
  BlockingPost post = { NULL, NULL, 0 };
  GThread *thread = g_thread_new ("sandbox", sandbox_worker_thread, &worker);
  GThread *client;

  /* This thread runs a context of its own, so the clock only wakes
   * the others: nothing can run on the wrong thread by accident. */
  g_main_context_push_thread_default (mine);

  while (g_atomic_pointer_get (&worker.base) == NULL)
    g_thread_yield ();
  post.uri = g_strconcat (worker.base, "sms/json", NULL);
  client = g_thread_new ("client", blocking_post_thread, &post);

  /* The slow answer is held: its timeout is armed. */
  while (relay_clock_get_n_armed (clock) == 0)
    g_usleep (1000);
  g_assert_cmpint (relay_clock_get_next_deadline (clock), ==, T0 + 2000 * MS);
  relay_clock_advance (clock, 2000 * MS - 1);
  g_assert_cmpuint (relay_clock_get_n_armed (clock), ==, 1);
  relay_clock_advance (clock, 1);
  g_thread_join (client);

  g_assert_cmpuint (post.status, ==, 200);
  g_assert_nonnull (strstr (post.body, "\"status\":\"0\""));

  g_atomic_int_set (&worker.stop, TRUE);
  g_main_context_wakeup (worker.context);
  g_thread_join (thread);
  g_main_context_unref (worker.context);
  g_free (worker.base);
  g_free (post.uri);
  g_free (post.body);
  g_main_context_pop_thread_default (mine);
}

/* --- HTTP hygiene -------------------------------------------------------- */

static void
test_http_limits (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *huge = g_strnfill (70 * 1024, 'a');
  g_autofree char *form = g_strdup_printf ("api_key=" API_KEY "&api_secret=" API_SECRET
                                           "&from=Relay&to=447700900001&text=%s", huge);
  g_autoptr(Reply) big = send_form (f, "POST", "sms/json", form, NULL);
  g_autoptr(Reply) missing = send_form (f, "GET", "sms/jsonx", NULL, NULL);
  g_autoptr(Reply) prefix = send_form (f, "GET", "oauth/request_token/more", NULL, NULL);
  g_autoptr(Reply) put = send_form (f, "PUT", "sms/json", NULL, NULL);
  g_autoptr(Reply) post_balance = send_form (f, "POST", "account/get-balance", "a=b", NULL);
  g_autoptr(Reply) after = send_sms (f, "from=Relay&to=447700900001&text=hi");

  g_assert_cmpuint (big->status, ==, 413);
  g_assert_cmpuint (missing->status, ==, 404);
  g_assert_cmpuint (prefix->status, ==, 404);
  g_assert_cmpuint (put->status, ==, 405);
  g_assert_cmpuint (post_balance->status, ==, 405);
  g_assert_cmpuint (after->status, ==, 200);
  g_assert_cmpuint (relay_sandbox_server_get_message_count (f->server), ==, 1);
}

/* --- Logging -------------------------------------------------------------- */

static GString *captured_log;

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
      {
        if (fields[i].length < 0)
          g_string_append (captured_log, fields[i].value);
        else
          g_string_append_len (captured_log, fields[i].value, fields[i].length);
        g_string_append_c (captured_log, '\n');
      }

  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (level, fields, n_fields, data);

  return G_LOG_WRITER_HANDLED;
}

/* Debug logging is on, yet no secret, token secret or verifier appears. */
static void
test_no_secrets_logged (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) request_token = NULL;
  g_autoptr(GPtrArray) access = NULL;
  g_autoptr(RelayOAuth1Request) sms = NULL;
  g_autoptr(Reply) reply = NULL;
  g_autoptr(Reply) api = NULL;
  g_autofree char *verifier = NULL;
  gboolean was_enabled = g_log_get_debug_enabled ();

  g_string_truncate (captured_log, 0);
  g_log_set_debug_enabled (TRUE);

  request_token = get_request_token (f, CALLBACK);
  verifier = approve (f, relay_params_get (request_token, "oauth_token"));
  reply = exchange (f, request_token, verifier);
  g_assert_cmpuint (reply->status, ==, 200);
  access = parse_form (reply->body);
  sms = oauth_request (f, "POST", "sms/json", relay_params_get (access, "oauth_token"),
                       relay_params_get (access, "oauth_token_secret"));
  relay_oauth1_request_add_form (sms, "from", "Relay");
  relay_oauth1_request_add_form (sms, "to", "447700900001");
  relay_oauth1_request_add_form (sms, "text", "hi");
  g_clear_pointer (&reply, reply_free);
  reply = send_request (f, sms);
  g_assert_cmpuint (reply->status, ==, 200);
  api = send_sms (f, "from=Relay&to=447700900001&text=hi");
  g_assert_cmpuint (api->status, ==, 200);

  g_log_set_debug_enabled (was_enabled);

  g_assert_nonnull (strstr (captured_log->str, "sandbox: issued an access token"));
  g_assert_null (strstr (captured_log->str, SECRET));
  g_assert_null (strstr (captured_log->str, API_SECRET));
  g_assert_null (strstr (captured_log->str, verifier));
  g_assert_null (strstr (captured_log->str, relay_params_get (request_token, "oauth_token_secret")));
  g_assert_null (strstr (captured_log->str, relay_params_get (access, "oauth_token_secret")));
  g_assert_null (strstr (captured_log->str, relay_params_get (access, "oauth_token")));
}

/* --- The executable ------------------------------------------------------ */

static void
test_executable (void)
{
  const char *path = g_getenv ("RELAY_SANDBOX");
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  guint port = 0;
  char rest = 0;

  if (path == NULL)
    {
      g_test_skip ("RELAY_SANDBOX is not set");
      return;
    }

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, path, "--port", "0",
                              "--rate-limit", "0", "--balance", "1.5", "--auto-approve", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_cmpint (sscanf (line, "Listening on http://127.0.0.1:%u/%c", &port, &rest), ==, 1);
  g_assert_cmpuint (port, >, 0);
  g_assert_cmpuint (port, <, 65536);

  /* It really serves (a separate process: a blocking call is fine). */
  uri = g_strdup_printf ("http://127.0.0.1:%u/account/get-balance?api_key=" API_KEY "&api_secret=" API_SECRET, port);
  session = soup_session_new ();
  msg = soup_message_new ("GET", uri);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                   "{\"value\":1.5,\"autoReload\":false}", strlen ("{\"value\":1.5,\"autoReload\":false}"));

  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

static void
test_executable_usage (void)
{
  static const char * const bad[][5] = {
    { "--no-such-option", NULL },
    { "--port", "70000", NULL },
    { "--rate-limit", "-1", NULL },
    { "--balance", "lots", NULL },
    { "--fault", "/sms/json=teapot", NULL },
    { "--fault", "sms", NULL },
    { "--auto-approve", "--auto-deny", NULL },
    { "--consumer-key", "k", NULL },
    { "extra", NULL },
    { "--signature-secret", "", NULL },
    { "--signature-method", "md5", NULL },
    { "--signature-secret", "s", "--signature-method", "sha384" },
  };
  const char *path = g_getenv ("RELAY_SANDBOX");

  if (path == NULL)
    {
      g_test_skip ("RELAY_SANDBOX is not set");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GPtrArray) argv = g_ptr_array_new ();
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_ptr_array_add (argv, (gpointer) path);
      for (guint j = 0; bad[i][j] != NULL; j++)
        g_ptr_array_add (argv, (gpointer) bad[i][j]);
      g_ptr_array_add (argv, NULL);

      process = g_subprocess_newv ((const char * const *) argv->pdata,
                                   G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
      g_assert_no_error (error);
      g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
      g_assert_no_error (error);
      g_test_message ("%s → %s", bad[i][0], err);
      g_assert_true (g_subprocess_get_if_exited (process));
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 2);
      g_assert_cmpstr (out, ==, "");
      g_assert_true (g_str_has_prefix (err, "relay-sandbox: "));
      g_assert_true (g_str_has_suffix (err, "\n"));
      g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);
    }

  /* A messages file that cannot be opened is a runtime failure (1). */
  {
    g_autoptr(GSubprocess) process = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                                path, "--messages", "/nonexistent-relay-dir/messages.jsonl", NULL);
    g_assert_no_error (error);
    g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
    g_assert_no_error (error);
    g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
    g_assert_cmpstr (out, ==, "");
    g_assert_true (g_str_has_prefix (err, "relay-sandbox: Cannot open the messages file"));
    g_assert_true (g_str_has_suffix (err, ".\n"));
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  captured_log = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);

#define ADD(path, func) g_test_add ("/relay/sandbox/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("three-legged", test_three_legged);
  ADD ("signature-methods", test_signature_methods);
  ADD ("wrong-signature", test_wrong_signature);
  ADD ("replayed-nonce", test_replayed_nonce);
  ADD ("stale-timestamp", test_stale_timestamp);
  ADD ("unknown-credentials", test_unknown_credentials);
  ADD ("reused-verifier", test_reused_verifier);
  ADD ("unauthorized-token", test_unauthorized_token);
  ADD ("deny", test_deny);
  ADD ("unknown-page-token", test_unknown_page_token);
  ADD ("oob", test_oob);
  ADD ("authenticate", test_authenticate_endpoint);
  ADD ("auto-answers", test_auto_answers);
  ADD ("legacy", test_legacy);
  ADD ("legacy-callback", test_legacy_callback);
  ADD ("oauth-get", test_oauth_get);
  ADD ("api-key", test_api_key);
  ADD ("status-codes", test_status_codes);
  ADD ("multipart", test_multipart);
  ADD ("messages-log", test_messages_log);
  ADD ("rate-limit", test_rate_limit);
  ADD ("rate-paced", test_rate_paced);
  ADD ("rate-window", test_rate_window);
  ADD ("rate-bulk", test_rate_bulk);
  ADD ("fault-specs", test_fault_specs);
  ADD ("fault-http", test_fault_http);
  ADD ("fault-truncated", test_fault_truncated);
  ADD ("fault-oauth", test_fault_oauth);
  ADD ("fault-slow", test_fault_slow);
  g_test_add_func ("/relay/sandbox/worker-thread", test_worker_thread);
  ADD ("http-limits", test_http_limits);
  ADD ("no-secrets-logged", test_no_secrets_logged);

#undef ADD

  g_test_add_func ("/relay/sandbox/executable", test_executable);
  g_test_add_func ("/relay/sandbox/executable-usage", test_executable_usage);

  return g_test_run ();
}
