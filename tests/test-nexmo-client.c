/* test-nexmo-client.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Nexmo client against the in-process sandbox over loopback: both
 * credential kinds, multipart, unicode, pacing, throttling and every
 * fault, each checked against the sandbox's messages log. The sandbox
 * and the clients whose timing matters run on one manual clock: rates,
 * retry waits and slow answers are counted in simulated time.
 */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "relay-http.h"
#include "relay-nexmo-client.h"
#include "relay-oauth1-error.h"
#include "relay-oauth1-params.h"
#include "relay-oauth1-request.h"
#include "relay-sandbox-server.h"
#include "relay-test-messages.h"

/* A whole second, so that HTTP-dates count exactly. */
#define T0 (G_GINT64_CONSTANT (1792567650) * G_USEC_PER_SEC)
#define MS (G_USEC_PER_SEC / 1000)

typedef struct
{
  RelayClock         *clock;
  RelaySandboxServer *sandbox;
  char               *base;
  char               *tmpdir;
  char               *log_path;
} Fixture;

/* Runs the default main context until *@done. */
static void
wait_for (gboolean *done)
{
  while (!*done)
    g_main_context_iteration (NULL, TRUE);
}

/* Runs the default main context until @cond holds, without moving the
 * clock: for what needs only I/O. */
#define WAIT_UNTIL(cond) \
  G_STMT_START { while (!(cond)) g_main_context_iteration (NULL, TRUE); } G_STMT_END

/* Dispatches what is ready, without blocking. */
static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Lets @us of simulated time pass, then what it made ready run. */
static void
advance (Fixture *fixture,
         gint64   us)
{
  relay_clock_advance (fixture->clock, us);
  drain ();
}

/* Runs until *@done, moving the clock to the next timeout whenever
 * nothing else is ready: for tests that count outcomes, not times. */
static void
drive (Fixture  *fixture,
       gboolean *done)
{
  while (!*done)
    {
      gint64 next;

      if (g_main_context_iteration (NULL, FALSE))
        continue;
      next = relay_clock_get_next_deadline (fixture->clock);
      if (next >= 0)
        relay_clock_advance (fixture->clock, next - relay_clock_get_now (fixture->clock));
      else
        g_main_context_iteration (NULL, TRUE);
    }
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmpdir = g_dir_make_tmp ("relay-nexmo-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->log_path = g_build_filename (fixture->tmpdir, "messages.jsonl", NULL);

  fixture->clock = relay_clock_new_manual (T0);
  fixture->sandbox = relay_sandbox_server_new ();
  relay_sandbox_server_set_clock (fixture->sandbox, fixture->clock);
  relay_sandbox_server_set_auto_approve (fixture->sandbox, TRUE);
  relay_sandbox_server_set_messages_path (fixture->sandbox, fixture->log_path);
  relay_sandbox_server_listen (fixture->sandbox, 0, &error);
  g_assert_no_error (error);
  fixture->base = relay_sandbox_server_get_base_uri (fixture->sandbox);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_assert_finalize_object (fixture->sandbox);
  g_assert_finalize_object (fixture->clock);
  g_unlink (fixture->log_path);
  g_rmdir (fixture->tmpdir);
  g_free (fixture->log_path);
  g_free (fixture->tmpdir);
  g_free (fixture->base);
}

static void
add_fault (Fixture    *fixture,
           const char *spec)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (relay_sandbox_server_add_fault (fixture->sandbox, spec, &error));
  g_assert_no_error (error);
}

static RelayProvider *
sandbox_provider (Fixture *fixture)
{
  g_autofree char *oauth_base = g_strconcat (fixture->base, "oauth/", NULL);
  g_autofree char *rest_base = g_strndup (fixture->base, strlen (fixture->base) - 1);

  return relay_provider_new (oauth_base, rest_base);
}

static RelayAccount *
api_key_account (RelayProvider *provider,
                 const char    *secret)
{
  RelayAccount *account = relay_account_new_api_key (provider, RELAY_SANDBOX_DEFAULT_API_KEY);

  relay_account_set_secret (account, secret);
  return account;
}

typedef struct
{
  gboolean  done;
  GBytes   *body;
  GError   *error;
} Call;

static void
call_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Call *call = user_data;

  call->body = relay_http_send_finish (SOUP_SESSION (object), result, &call->error);
  call->done = TRUE;
}

static GBytes *
call_oauth (SoupSession  *session,
            const char   *method,
            const char   *uri,
            const char   *token,
            const char   *token_secret,
            const char   *callback,
            const char   *verifier)
{
  g_autoptr(RelayOAuth1Request) request = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  Call call = { FALSE, NULL, NULL };

  request = relay_oauth1_request_new (method, uri, &error);
  g_assert_no_error (error);
  relay_oauth1_request_set_consumer (request, RELAY_SANDBOX_DEFAULT_CONSUMER_KEY,
                                     RELAY_SANDBOX_DEFAULT_CONSUMER_SECRET);
  relay_oauth1_request_set_token (request, token, token_secret);
  relay_oauth1_request_set_callback (request, callback);
  relay_oauth1_request_set_verifier (request, verifier);
  g_assert_true (relay_oauth1_request_sign (request, &error));
  message = relay_http_message_new_signed (request, &error);
  g_assert_no_error (error);

  relay_http_send_async (session, message, NULL, call_cb, &call);
  wait_for (&call.done);
  g_assert_no_error (call.error);

  return call.body;
}

/* The three-legged flow by hand, out of band, against the auto-approving
 * sandbox: request token, authorize page (read the verifier), access token. */
static RelayAccount *
oauth_account (Fixture       *fixture,
               RelayProvider *provider)
{
  g_autoptr(SoupSession) session = relay_http_session_new (5);
  g_autoptr(GPtrArray) temp = relay_params_new ();
  g_autoptr(GPtrArray) access = relay_params_new ();
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) page = NULL;
  g_autoptr(GBytes) token_body = NULL;
  g_autofree char *request_token_uri = relay_provider_get_endpoint (provider, RELAY_ENDPOINT_REQUEST_TOKEN);
  g_autofree char *authorize_uri = NULL;
  g_autofree char *access_uri = relay_provider_get_endpoint (provider, RELAY_ENDPOINT_ACCESS_TOKEN);
  g_autofree char *verifier = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) message = NULL;
  RelayAccount *account;
  const char *html, *start, *end;
  Call call = { FALSE, NULL, NULL };

  body = call_oauth (session, "POST", request_token_uri, NULL, NULL, "oob", NULL);
  g_assert_true (relay_params_parse_form (temp, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error));
  g_assert_cmpstr (relay_params_get (temp, "oauth_callback_confirmed"), ==, "true");

  {
    g_autofree char *base = relay_provider_get_endpoint (provider, RELAY_ENDPOINT_AUTHORIZE);
    g_autofree char *token = relay_percent_encode (relay_params_get (temp, "oauth_token"));

    authorize_uri = g_strconcat (base, "?oauth_token=", token, NULL);
  }
  message = soup_message_new ("GET", authorize_uri);
  relay_http_send_async (session, message, NULL, call_cb, &call);
  wait_for (&call.done);
  g_assert_no_error (call.error);
  page = call.body;
  html = g_bytes_get_data (page, NULL);
  start = g_strstr_len (html, g_bytes_get_size (page), "<code id=\"verifier\">");
  g_assert_nonnull (start);
  start += strlen ("<code id=\"verifier\">");
  end = strstr (start, "</code>");
  g_assert_nonnull (end);
  verifier = g_strndup (start, end - start);

  token_body = call_oauth (session, "POST", access_uri, relay_params_get (temp, "oauth_token"),
                           relay_params_get (temp, "oauth_token_secret"), NULL, verifier);
  g_assert_true (relay_params_parse_form (access, g_bytes_get_data (token_body, NULL),
                                          g_bytes_get_size (token_body), &error));

  account = relay_account_new_oauth (provider, RELAY_SANDBOX_DEFAULT_CONSUMER_KEY);
  relay_account_set_secret (account, RELAY_SANDBOX_DEFAULT_CONSUMER_SECRET);
  relay_account_set_token (account, relay_params_get (access, "oauth_token"),
                           relay_params_get (access, "oauth_token_secret"));
  g_assert_true (relay_account_is_complete (account));

  return account;
}

typedef struct
{
  gboolean   done;
  GPtrArray *results;
  GError    *error;
  guint      progress;
} Send;

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Send *send = user_data;

  send->results = relay_nexmo_client_send_finish (RELAY_NEXMO_CLIENT (object), result, &send->error);
  send->done = TRUE;
}

static void
progress_cb (RelayNexmoClient *client,
             gpointer          result,
             guint             done,
             guint             total,
             Send             *send)
{
  g_assert_nonnull (result);
  g_assert_cmpuint (done, ==, send->progress + 1);
  g_assert_cmpuint (done, <=, total);
  send->progress = done;
}

/* Sends and returns the results; the client must not leak. */
static GPtrArray *
send_sms (RelayNexmoClient    *client,
          const char *const   *to,
          const char          *text,
          RelayNexmoSendFlags  flags)
{
  Send send = { FALSE, NULL, NULL, 0 };
  gulong id = g_signal_connect (client, "progress", G_CALLBACK (progress_cb), &send);

  relay_nexmo_client_send_full_async (client, "Relay", to, text, flags, NULL, send_cb, &send);
  wait_for (&send.done);
  g_signal_handler_disconnect (client, id);
  g_assert_no_error (send.error);
  g_assert_nonnull (send.results);
  g_assert_cmpuint (send.results->len, ==, g_strv_length ((char **) to));
  g_assert_cmpuint (send.progress, ==, send.results->len);

  return send.results;
}

static RelaySmsResult *
send_one (RelayNexmoClient    *client,
          const char          *to,
          const char          *text,
          RelayNexmoSendFlags  flags,
          GPtrArray          **keep)
{
  const char *const numbers[] = { to, NULL };

  *keep = send_sms (client, numbers, text, flags);
  return g_ptr_array_index (*keep, 0);
}

/* The sandbox's messages log, one object per accepted message. */
static GPtrArray *
read_log (Fixture *fixture)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  if (!g_file_get_contents (fixture->log_path, &contents, NULL, NULL))
    return entries;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      JsonNode *node;

      if (*lines[i] == '\0')
        continue;
      node = json_from_string (lines[i], &error);
      g_assert_no_error (error);
      g_ptr_array_add (entries, node);
    }

  return entries;
}

static const char *
log_get (GPtrArray  *entries,
         guint       i,
         const char *member)
{
  return json_object_get_string_member (json_node_get_object (g_ptr_array_index (entries, i)), member);
}

static void
assert_sent (const RelaySmsResult *result,
             guint                 parts)
{
  g_assert_no_error (result->error);
  g_assert_cmpint (result->state, ==, RELAY_SMS_STATE_SENT);
  g_assert_cmpint (result->status, ==, 0);
  g_assert_cmpuint (result->parts, ==, parts);
  g_assert_cmpuint (g_strv_length (result->message_ids), ==, parts);
  g_assert_cmpfloat (result->price, >, 0);
  g_assert_nonnull (result->network);
}

static void
test_send_api_key (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(RelayProvider) provider = sandbox_provider (fixture);
  g_autoptr(RelayAccount) account = api_key_account (provider, RELAY_SANDBOX_DEFAULT_API_SECRET);
  RelayNexmoClient *client = relay_nexmo_client_new (account);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) log = NULL;
  RelaySmsResult *result;

  result = send_one (client, "447700900001", "Hello from Relay", 0, &results);
  assert_sent (result, 1);
  g_assert_cmpuint (result->attempts, ==, 1);
  g_assert_cmpfloat (result->remaining_balance, <, RELAY_SANDBOX_DEFAULT_BALANCE);
  g_assert_cmpfloat_with_epsilon (result->remaining_balance + result->price,
                                  RELAY_SANDBOX_DEFAULT_BALANCE, 1e-6);
  g_assert_true (g_str_has_prefix (result->client_ref, relay_nexmo_client_get_client_ref_prefix (client)));

  log = read_log (fixture);
  g_assert_cmpuint (log->len, ==, 1);
  g_assert_cmpstr (log_get (log, 0, "client-ref"), ==, result->client_ref);
  g_assert_cmpstr (log_get (log, 0, "to"), ==, "447700900001");
  g_assert_cmpstr (log_get (log, 0, "from"), ==, "Relay");
  g_assert_cmpstr (log_get (log, 0, "type"), ==, "text");
  g_assert_cmpstr (log_get (log, 0, "message-id"), ==, result->message_ids[0]);

  g_assert_finalize_object (client);
}

static void
test_send_api_key_basic_get (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(RelayProvider) provider = sandbox_provider (fixture);
  g_autoptr(RelayAccount) account = NULL;
  RelayNexmoClient *client;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) results2 = NULL;

  relay_provider_set_basic_auth (provider, TRUE);
  account = api_key_account (provider, RELAY_SANDBOX_DEFAULT_API_SECRET);
  client = relay_nexmo_client_new (account);
  assert_sent (send_one (client, "447700900002", "Basic auth", 0, &results), 1);

  /* GET with the parameters in the query, as in the seed sample. */
  relay_provider_set_sms_method (provider, "GET");
  assert_sent (send_one (client, "447700900003", "Sent with GET & a query", 0, &results2), 1);
  g_assert_cmpuint (relay_sandbox_server_get_message_count (fixture->sandbox), ==, 2);

  g_assert_finalize_object (client);
}

static void
test_send_oauth (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(RelayProvider) provider = sandbox_provider (fixture);
  g_autoptr(RelayAccount) account = oauth_account (fixture, provider);
  RelayNexmoClient *client = relay_nexmo_client_new (account);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) results2 = NULL;
  g_autoptr(GPtrArray) log = NULL;

  assert_sent (send_one (client, "447700900004", "Signed with OAuth 1.0a", 0, &results), 1);

  relay_provider_set_sms_method (provider, "GET");
  assert_sent (send_one (client, "447700900005", "Signed GET: a+b=c & 100%", 0, &results2), 1);

  log = read_log (fixture);
  g_assert_cmpuint (log->len, ==, 2);
  g_assert_cmpstr (log_get (log, 1, "text"), ==, "Signed GET: a+b=c & 100%");

  g_assert_finalize_object (client);
}

static void
test_multipart (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(RelayProvider) provider = sandbox_provider (fixture);
  g_autoptr(RelayAccount) account = api_key_account (provider, RELAY_SANDBOX_DEFAULT_API_SECRET);
  RelayNexmoClient *client = relay_nexmo_client_new (account);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) log = NULL;
  g_autofree char *text = g_strnfill (400, 'm');
  RelaySmsResult *result;
  double part_price;

  /* 400 GSM-7 characters: 153 + 153 + 94. */
  result = send_one (client, "447700900006", text, 0, &results);
  assert_sent (result, 3);
  part_price = result->price / 3;
  g_assert_cmpfloat (part_price, >, 0);
  g_assert_cmpfloat_with_epsilon (RELAY_SANDBOX_DEFAULT_BALANCE - result->remaining_balance,
                                  result->price, 1e-6);
  g_assert_cmpstr (result->message_ids[0], !=, result->message_ids[1]);

  log = read_log (fixture);
  g_assert_cmpuint (log->len, ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (g_ptr_array_index (log, 0)), "parts"), ==, 3);

  g_assert_finalize_object (client);
}

static void
test_unicode_auto (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(RelayProvider) provider = sandbox_provider (fixture);
  g_autoptr(RelayAccount) account = api_key_account (provider, RELAY_SANDBOX_DEFAULT_API_SECRET);
  RelayNexmoClient *client = relay_nexmo_client_new (account);
  g_autoptr(GPtrArray) r1 = NULL;
  g_autoptr(GPtrArray) r2 = NULL;
  g_autoptr(GPtrArray) r3 = NULL;
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(GString) long_ucs = g_string_new (NULL);

  for (guint i = 0; i < 71; i++)
    g_string_append (long_ucs, "ж");

  assert_sent (send_one (client, "447700900007", "Grüße ΔΦΓΩ {€} ÆØÅ", 0, &r1), 1);
  assert_sent (send_one (client, "447700900007", "Привет 😀", 0, &r2), 1);
  /* 71 UCS-2 characters take two parts of 67. */
  assert_sent (send_one (client, "447700900007", long_ucs->str, RELAY_NEXMO_SEND_UNICODE, &r3), 2);

  log = read_log (fixture);
  g_assert_cmpuint (log->len, ==, 3);
  /* Greek capitals and € are in GSM-7: no need for unicode. */
  g_assert_cmpstr (log_get (log, 0, "type"), ==, "text");
  g_assert_cmpstr (log_get (log, 1, "type"), ==, "unicode");
  g_assert_cmpstr (log_get (log, 1, "text"), ==, "Привет 😀");
  g_assert_cmpstr (log_get (log, 2, "type"), ==, "unicode");

  g_assert_finalize_object (client);
}

/* A client on the fixture's clock. */
static RelayNexmoClient *
clocked_client (Fixture      *fixture,
                RelayAccount *account)
{
  RelayNexmoClient *client = relay_nexmo_client_new (account);

  relay_nexmo_client_set_clock (client, fixture->clock);
  return client;
}

/* Moves the clock from one timeout to the next up to @limit, and after
 * each waits until one more recipient is done: every request reaches the
 * sandbox at the simulated time it went out, however slow the machine.
 * A request that never finishes (throttled, say) hangs the test. */
static void
step_sends (Fixture *fixture,
            guint   *done,
            gint64   limit)
{
  gint64 next;

  while ((next = relay_clock_get_next_deadline (fixture->clock)) >= 0 && next <= limit)
    {
      guint before = *done;

      relay_clock_advance (fixture->clock, next - relay_clock_get_now (fixture->clock));
      WAIT_UNTIL (*done > before);
    }
  relay_clock_advance (fixture->clock, MAX (0, limit - relay_clock_get_now (fixture->clock)));
  drain ();
}

static void
count_progress (RelayNexmoClient *client,
                gpointer          result,
                guint             done,
                guint             total,
                guint            *count)
{
  (*count)++;
}

/* 40 recipients at 30/s, against a sandbox that allows 30/s on the same
 * clock: 30 go in the first simulated second, the 31st exactly when it
 * is over, the rest by the end of the second one; none is throttled
 * (that would show as a second attempt). */
static void
test_concurrent_rate (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(RelayProvider) provider = sandbox_provider (fixture);
  g_autoptr(RelayAccount) account = api_key_account (provider, RELAY_SANDBOX_DEFAULT_API_SECRET);
  RelayNexmoClient *client = clocked_client (fixture, account);
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) refs = g_hash_table_new (g_str_hash, g_str_equal);
  Send send = { FALSE, NULL, NULL, 0 };
  const guint n = 40;
  guint done = 0;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (numbers, g_strdup_printf ("4477009%05u", i));
  g_ptr_array_add (numbers, NULL);

  g_assert_cmpuint (relay_nexmo_client_get_rate (client), ==, RELAY_NEXMO_DEFAULT_RATE);
  g_signal_connect (client, "progress", G_CALLBACK (count_progress), &done);
  relay_nexmo_client_send_async (client, "Relay", (const char *const *) numbers->pdata, "Rate test",
                                 NULL, send_cb, &send);

  /* The first goes at once; the others wait for simulated time. */
  WAIT_UNTIL (done == 1);
  drain ();
  g_assert_cmpuint (relay_sandbox_server_get_message_count (fixture->sandbox), ==, 1);

  step_sends (fixture, &done, T0 + G_USEC_PER_SEC - 1);
  g_assert_cmpuint (done, ==, 30);
  g_assert_cmpuint (relay_sandbox_server_get_message_count (fixture->sandbox), ==, 30);

  step_sends (fixture, &done, T0 + G_USEC_PER_SEC);
  g_assert_cmpuint (done, ==, 31);
  g_assert_cmpuint (relay_sandbox_server_get_message_count (fixture->sandbox), ==, 31);

  step_sends (fixture, &done, T0 + 2 * G_USEC_PER_SEC);
  WAIT_UNTIL (send.done);
  g_assert_no_error (send.error);
  g_assert_cmpuint (done, ==, n);

  for (guint i = 0; i < n; i++)
    {
      RelaySmsResult *result = g_ptr_array_index (send.results, i);

      g_assert_cmpstr (result->to, ==, g_ptr_array_index (numbers, i));
      assert_sent (result, 1);
      g_assert_cmpuint (result->attempts, ==, 1);
      g_assert_true (g_hash_table_add (refs, result->client_ref));
    }

  /* Each recipient exactly once, under the client-ref it was given. */
  log = read_log (fixture);
  g_assert_cmpuint (log->len, ==, n);
  for (guint i = 0; i < log->len; i++)
    g_assert_true (g_hash_table_remove (refs, log_get (log, i, "client-ref")));
  g_assert_cmpuint (g_hash_table_size (refs), ==, 0);
  g_ptr_array_unref (send.results);

  g_assert_finalize_object (client);
}

static void
test_two_sends_share_rate (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(RelayProvider) provider = sandbox_provider (fixture);
  g_autoptr(RelayAccount) account = api_key_account (provider, RELAY_SANDBOX_DEFAULT_API_SECRET);
  RelayNexmoClient *client = clocked_client (fixture, account);
  g_autoptr(GPtrArray) first = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) second = g_ptr_array_new_with_free_func (g_free);
  Send a = { FALSE, NULL, NULL, 0 }, b = { FALSE, NULL, NULL, 0 };
  guint done = 0;

  for (guint i = 0; i < 20; i++)
    {
      g_ptr_array_add (first, g_strdup_printf ("4477009011%02u", i));
      g_ptr_array_add (second, g_strdup_printf ("4477009012%02u", i));
    }
  g_ptr_array_add (first, NULL);
  g_ptr_array_add (second, NULL);

  /* Two sends at once (two windows of the app, say) share the account's
   * rate: of 40 requests at 30/s, 30 go in the first simulated second. */
  g_signal_connect (client, "progress", G_CALLBACK (count_progress), &done);
  relay_nexmo_client_send_async (client, "Relay", (const char *const *) first->pdata, "First",
                                 NULL, send_cb, &a);
  relay_nexmo_client_send_async (client, "Relay", (const char *const *) second->pdata, "Second",
                                 NULL, send_cb, &b);
  WAIT_UNTIL (done == 1);
  step_sends (fixture, &done, T0 + G_USEC_PER_SEC - 1);
  g_assert_cmpuint (done, ==, 30);
  g_assert_cmpuint (relay_sandbox_server_get_message_count (fixture->sandbox), ==, 30);
  g_assert_false (a.done && b.done);

  step_sends (fixture, &done, T0 + 2 * G_USEC_PER_SEC);
  WAIT_UNTIL (a.done && b.done);

  g_assert_no_error (a.error);
  g_assert_no_error (b.error);
  for (guint i = 0; i < 20; i++)
    {
      assert_sent (g_ptr_array_index (a.results, i), 1);
      assert_sent (g_ptr_array_index (b.results, i), 1);
    }
  g_assert_cmpuint (relay_sandbox_server_get_message_count (fixture->sandbox), ==, 40);
  g_ptr_array_unref (a.results);
  g_ptr_array_unref (b.results);

  g_assert_finalize_object (client);
}

static void
test_concurrent_overlap (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(RelayProvider) provider = sandbox_provider (fixture);
  g_autoptr(RelayAccount) account = api_key_account (provider, RELAY_SANDBOX_DEFAULT_API_SECRET);
  RelayNexmoClient *client = clocked_client (fixture, account);
  const char *const numbers[] = {
    "447700900101", "447700900102", "447700900103", "447700900104", "447700900105",
    "447700900106", "447700900107", "447700900108", NULL
  };
  Send send = { FALSE, NULL, NULL, 0 };

  /* Every answer takes 400 ms: one after another they would take 3.2 s
   * of simulated time; the client has all 8 in flight at once, so they
   * are all answered 400 ms after they went out. */
  add_fault (fixture, "/sms/json=slow:400@8");
  relay_sandbox_server_set_rate_limit (fixture->sandbox, 0);
  relay_nexmo_client_set_rate (client, 0);

  relay_nexmo_client_send_async (client, "Relay", numbers, "Concurrent", NULL, send_cb, &send);
  WAIT_UNTIL (relay_clock_get_n_armed (fixture->clock) == 8);
  g_assert_cmpint (relay_clock_get_next_deadline (fixture->clock), ==, T0 + 400 * MS);

  advance (fixture, 400 * MS - 1);
  g_assert_false (send.done);
  advance (fixture, 1);
  WAIT_UNTIL (send.done);
  g_assert_no_error (send.error);

  for (guint i = 0; i < send.results->len; i++)
    assert_sent (g_ptr_array_index (send.results, i), 1);
  g_assert_cmpint (relay_clock_get_now (fixture->clock), ==, T0 + 400 * MS);
  g_assert_cmpuint (relay_sandbox_server_get_message_count (fixture->sandbox), ==, 8);
  g_ptr_array_unref (send.results);

  g_assert_finalize_object (client);
}

/* Waits until the client armed a retry, and checks it waits @wait_us. */
static void
assert_retry_armed (Fixture *fixture,
                    gint64   wait_us)
{
  WAIT_UNTIL (relay_clock_get_n_armed (fixture->clock) == 1);
  g_assert_cmpint (relay_clock_get_next_deadline (fixture->clock), ==,
                   relay_clock_get_now (fixture->clock) + wait_us);
}

static void
test_throttle_retried (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(RelayProvider) provider = sandbox_provider (fixture);
  g_autoptr(RelayAccount) account = api_key_account (provider, RELAY_SANDBOX_DEFAULT_API_SECRET);
  RelayNexmoClient *client = clocked_client (fixture, account);
  const char *const numbers[] = { "447700900201", NULL };
  Send send = { FALSE, NULL, NULL, 0 };
  g_autoptr(GPtrArray) log = NULL;
  RelaySmsResult *result;

  /* Two "please wait [ 300 ]" answers: the third attempt goes through,
   * exactly after the two named waits. */
  add_fault (fixture, "/sms/json=throttle:300@2");
  relay_nexmo_client_send_async (client, "Relay", numbers, "Throttled twice", NULL, send_cb, &send);
  assert_retry_armed (fixture, 300 * MS);
  advance (fixture, 300 * MS - 1);
  g_assert_cmpuint (relay_clock_get_n_armed (fixture->clock), ==, 1);
  advance (fixture, 1);
  assert_retry_armed (fixture, 300 * MS);
  advance (fixture, 300 * MS);
  WAIT_UNTIL (send.done);
  g_assert_no_error (send.error);
  g_assert_cmpint (relay_clock_get_now (fixture->clock), ==, T0 + 600 * MS);

  result = g_ptr_array_index (send.results, 0);
  assert_sent (result, 1);
  g_assert_cmpuint (result->attempts, ==, 3);

  log = read_log (fixture);
  g_assert_cmpuint (log->len, ==, 1);
  g_assert_cmpstr (log_get (log, 0, "client-ref"), ==, result->client_ref);
  g_ptr_array_unref (send.results);

  g_assert_finalize_object (client);
}

static void
test_throttle_gives_up (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(RelayProvider) provider = sandbox_provider (fixture);
  g_autoptr(RelayAccount) account = api_key_account (provider, RELAY_SANDBOX_DEFAULT_API_SECRET);
  RelayNexmoClient *client = clocked_client (fixture, account);
  const char *const numbers[] = { "447700900202", NULL };
  Send send = { FALSE, NULL, NULL, 0 };
  g_autoptr(GPtrArray) results = NULL;
  RelaySmsResult *result;

  add_fault (fixture, "/sms/json=throttle:20@50");
  relay_nexmo_client_send_async (client, "Relay", numbers, "Always throttled", NULL, send_cb, &send);
  drive (fixture, &send.done);
  g_assert_no_error (send.error);
  results = g_steal_pointer (&send.results);
  result = g_ptr_array_index (results, 0);
  /* Four waits between five attempts: the 20 ms named, or the pacer's
   * next slot when that is later. */
  g_assert_cmpint (relay_clock_get_now (fixture->clock) - T0, ==, 4 * MAX (20 * MS, G_USEC_PER_SEC / RELAY_NEXMO_DEFAULT_RATE));
  g_assert_error (result->error, RELAY_NEXMO_ERROR, RELAY_NEXMO_ERROR_THROTTLED);
  g_assert_nonnull (strstr (result->error->message, "5 attempts"));
  g_assert_cmpuint (result->attempts, ==, RELAY_NEXMO_MAX_ATTEMPTS);
  g_assert_cmpuint (result->parts, ==, 0);
  g_assert_cmpuint (relay_sandbox_server_get_message_count (fixture->sandbox), ==, 0);

  g_assert_finalize_object (client);
}

/* One answer 429 with @fault's Retry-After: the second attempt waits
 * @wait_us of simulated time and goes through. */
static void
assert_http_429 (Fixture    *fixture,
                 const char *fault,
                 gint64      wait_us)
{
  g_autoptr(RelayProvider) provider = sandbox_provider (fixture);
  g_autoptr(RelayAccount) account = api_key_account (provider, RELAY_SANDBOX_DEFAULT_API_SECRET);
  RelayNexmoClient *client = clocked_client (fixture, account);
  const char *const numbers[] = { "447700900203", NULL };
  Send send = { FALSE, NULL, NULL, 0 };
  RelaySmsResult *result;

  add_fault (fixture, fault);
  relay_nexmo_client_send_async (client, "Relay", numbers, "After Retry-After", NULL, send_cb, &send);
  assert_retry_armed (fixture, wait_us);
  advance (fixture, wait_us - 1);
  g_assert_cmpuint (relay_sandbox_server_get_message_count (fixture->sandbox), ==, 0);
  advance (fixture, 1);
  WAIT_UNTIL (send.done);
  g_assert_no_error (send.error);

  result = g_ptr_array_index (send.results, 0);
  assert_sent (result, 1);
  g_assert_cmpuint (result->attempts, ==, 2);
  g_assert_cmpuint (relay_sandbox_server_get_message_count (fixture->sandbox), ==, 1);
  g_ptr_array_unref (send.results);

  g_assert_finalize_object (client);
}

static void
test_http_429 (Fixture       *fixture,
               gconstpointer  data)
{
  assert_http_429 (fixture, "/sms/json=http-429:1@1", G_USEC_PER_SEC);
}

/* Retry-After: <the sandbox's clock + 7 s, as an HTTP-date>. */
static void
test_http_429_date (Fixture       *fixture,
                    gconstpointer  data)
{
  assert_http_429 (fixture, "/sms/json=http-429-date:7@1", 7 * G_USEC_PER_SEC);
}

/* Retry-After: soon — the client's own first backoff, 250 ms. */
static void
test_http_429_bad (Fixture       *fixture,
                   gconstpointer  data)
{
  assert_http_429 (fixture, "/sms/json=http-429-bad@1", 250 * MS);
}

/* A fault on the one request for one recipient, which must fail on its
 * only attempt; afterwards the sandbox holds @logged messages. */
static void
assert_fault (Fixture     *fixture,
              const char  *spec,
              guint        timeout,
              GQuark       domain,
              int          code,
              guint        spin_ms,
              guint        logged)
{
  g_autoptr(RelayProvider) provider = sandbox_provider (fixture);
  g_autoptr(RelayAccount) account = NULL;
  RelayNexmoClient *client;
  g_autoptr(GPtrArray) results = NULL;
  RelaySmsResult *result;

  if (timeout > 0)
    relay_provider_set_timeout (provider, timeout);
  account = api_key_account (provider, RELAY_SANDBOX_DEFAULT_API_SECRET);
  client = relay_nexmo_client_new (account);
  add_fault (fixture, spec);

  result = send_one (client, "447700900300", "Fault", 0, &results);
  g_assert_error (result->error, domain, code);
  /* No answer, or one that cannot be read: the provider may have it. */
  if (domain == RELAY_NEXMO_ERROR &&
      (code == RELAY_NEXMO_ERROR_UNKNOWN_OUTCOME || code == RELAY_NEXMO_ERROR_MALFORMED))
    g_assert_cmpint (result->state, ==, RELAY_SMS_STATE_UNCERTAIN);
  else
    g_assert_cmpint (result->state, ==, RELAY_SMS_STATE_FAILED);
  g_assert_cmpuint (result->attempts, ==, 1);
  g_assert_cmpuint (result->parts, ==, 0);
  g_assert_true (g_str_has_suffix (result->error->message, "."));
  if (domain == RELAY_NEXMO_ERROR)
    g_assert_nonnull (strstr (result->error->message, result->client_ref));

  g_assert_finalize_object (client);

  /* Nothing is ever sent twice: let any late answer arrive, then count. */
  advance (fixture, spin_ms * MS);
  g_assert_cmpuint (relay_sandbox_server_get_message_count (fixture->sandbox), ==, logged);
}

static void
test_http_500 (Fixture       *fixture,
               gconstpointer  data)
{
  assert_fault (fixture, "/sms/json=http-500@1", 0, RELAY_HTTP_ERROR, RELAY_HTTP_ERROR_STATUS, 100, 0);
}

static void
test_non_json (Fixture       *fixture,
               gconstpointer  data)
{
  assert_fault (fixture, "/sms/json=non-json@1", 0, RELAY_NEXMO_ERROR, RELAY_NEXMO_ERROR_MALFORMED, 100, 0);
}

static void
test_truncated (Fixture       *fixture,
                gconstpointer  data)
{
  /* The sandbox accepted the message and cut its answer: it was sent
   * once, and Relay says the outcome is unsure instead of resending. */
  assert_fault (fixture, "/sms/json=truncated@1", 0, RELAY_NEXMO_ERROR, RELAY_NEXMO_ERROR_MALFORMED, 100, 1);
}

static void
test_slow_timeout (Fixture       *fixture,
                   gconstpointer  data)
{
  /* The answer comes after 2.5 s, the timeout is 1 s: the message went
   * out, so the outcome is unknown and it is not sent again. */
  assert_fault (fixture, "/sms/json=slow:2500@1", 1, RELAY_NEXMO_ERROR, RELAY_NEXMO_ERROR_UNKNOWN_OUTCOME,
                2000, 1);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

/* The provider's settings are properties that notify only on change,
 * with the GSettings values as enum nicks. */
static void
test_provider_properties (void)
{
  g_autoptr(RelayProvider) provider = relay_provider_new (NULL, "http://127.0.0.1:9/");
  g_autoptr(RelayProvider) copy = NULL;
  g_autofree char *rest_base = NULL;
  GValue value = G_VALUE_INIT;
  guint notified = 0;

  g_signal_connect (provider, "notify::timeout", G_CALLBACK (count_notify), &notified);
  g_object_set (provider, "timeout", 30, NULL);
  g_assert_cmpuint (notified, ==, 0);
  g_object_set (provider, "timeout", 7, NULL);
  g_object_set (provider, "timeout", 7, NULL);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpuint (relay_provider_get_timeout (provider), ==, 7);

  g_object_get (provider, "rest-base", &rest_base, NULL);
  g_assert_cmpstr (rest_base, ==, "http://127.0.0.1:9");

  /* What g_settings_bind() does with a string key and an enum property. */
  g_value_init (&value, RELAY_TYPE_OAUTH1_SIGNATURE_METHOD);
  g_value_set_enum (&value, g_enum_get_value_by_nick (g_type_class_peek (RELAY_TYPE_OAUTH1_SIGNATURE_METHOD),
                                                      "HMAC-SHA256")->value);
  g_object_set_property (G_OBJECT (provider), "signature-method", &value);
  g_value_unset (&value);
  g_assert_cmpint (relay_provider_get_signature_method (provider), ==, RELAY_OAUTH1_HMAC_SHA256);
  g_object_set (provider, "authorization-mode", RELAY_AUTHORIZATION_OOB, "sms-method", "GET", NULL);

  copy = relay_provider_copy (provider);
  g_assert_cmpuint (relay_provider_get_timeout (copy), ==, 7);
  g_assert_cmpstr (relay_provider_get_rest_base (copy), ==, "http://127.0.0.1:9");
  g_assert_cmpstr (relay_provider_get_sms_method (copy), ==, "GET");
  g_assert_cmpint (relay_provider_get_signature_method (copy), ==, RELAY_OAUTH1_HMAC_SHA256);
  g_assert_cmpint (relay_provider_get_authorization_mode (copy), ==, RELAY_AUTHORIZATION_OOB);

  relay_provider_set_rest_base (copy, "http://127.0.0.1:10/");
  g_assert_cmpstr (relay_provider_get_rest_base (copy), ==, "http://127.0.0.1:10");
  g_assert_cmpstr (relay_provider_get_rest_base (provider), ==, "http://127.0.0.1:9");
}

/* A client made with the default timeout follows its provider: the same
 * slow answer (2.5 s) is received while the timeout is 30 s, and runs
 * into the timeout sentence once the provider says 1 s, on the client
 * that already exists and already holds a connection. */
static void
test_timeout_follows_provider (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(RelayProvider) provider = sandbox_provider (fixture);
  g_autoptr(RelayAccount) account = api_key_account (provider, RELAY_SANDBOX_DEFAULT_API_SECRET);
  RelayNexmoClient *client = relay_nexmo_client_new (account);
  g_autoptr(GPtrArray) r1 = NULL;
  g_autoptr(GPtrArray) r2 = NULL;
  RelaySmsResult *result;
  guint notified = 0;
  guint timeout = 0;

  g_assert_cmpuint (relay_nexmo_client_get_timeout (client), ==, 30);
  g_signal_connect (client, "notify::timeout", G_CALLBACK (count_notify), &notified);

  /* The sandbox's 2.5 s pass on the test's clock, at once. */
  add_fault (fixture, "/sms/json=slow:2500@1");
  {
    const char *const numbers[] = { "447700900310", NULL };
    Send send = { FALSE, NULL, NULL, 0 };

    relay_nexmo_client_send_async (client, "Relay", numbers, "Slow but in time", NULL, send_cb, &send);
    drive (fixture, &send.done);
    g_assert_no_error (send.error);
    r1 = g_steal_pointer (&send.results);
    result = g_ptr_array_index (r1, 0);
  }
  assert_sent (result, 1);

  relay_provider_set_timeout (provider, 1);
  g_assert_cmpuint (notified, ==, 1);
  g_object_get (client, "timeout", &timeout, NULL);
  g_assert_cmpuint (timeout, ==, 1);

  /* The test's clock stands still: the answer never comes, and the
   * client's own (real) timeout of 1 s ends the wait. */
  add_fault (fixture, "/sms/json=slow:2500@1");
  result = send_one (client, "447700900311", "Too slow now", 0, &r2);
  g_assert_error (result->error, RELAY_NEXMO_ERROR, RELAY_NEXMO_ERROR_UNKNOWN_OUTCOME);
  g_assert_nonnull (strstr (result->error->message, "did not answer in time (1 second)"));
  g_assert_nonnull (strstr (result->error->message, "may have been sent"));
  g_assert_cmpuint (result->attempts, ==, 1);

  g_assert_finalize_object (client);

  /* Changing the provider after the client is gone is harmless. */
  relay_provider_set_timeout (provider, 2);

  /* Let the late answer arrive: both went out once, none twice. */
  advance (fixture, 2500 * 1000);
  WAIT_UNTIL (relay_sandbox_server_get_message_count (fixture->sandbox) >= 2);
  g_assert_cmpuint (relay_sandbox_server_get_message_count (fixture->sandbox), ==, 2);
}

static void
test_oauth_problem (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(RelayProvider) provider = sandbox_provider (fixture);
  g_autoptr(RelayAccount) account = oauth_account (fixture, provider);
  g_autoptr(RelayAccount) forged = NULL;
  RelayNexmoClient *client = relay_nexmo_client_new (account);
  RelayNexmoClient *forged_client;
  g_autoptr(GPtrArray) r1 = NULL;
  g_autoptr(GPtrArray) r2 = NULL;
  RelaySmsResult *result;

  add_fault (fixture, "/sms/json=problem:token_rejected@1");
  result = send_one (client, "447700900400", "Rejected token", 0, &r1);
  g_assert_error (result->error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_TOKEN_REJECTED);
  g_assert_cmpuint (result->attempts, ==, 1);

  /* A real one: the sandbox verifies the signature made with a wrong
   * token secret. */
  forged = relay_account_new_oauth (provider, RELAY_SANDBOX_DEFAULT_CONSUMER_KEY);
  relay_account_set_secret (forged, RELAY_SANDBOX_DEFAULT_CONSUMER_SECRET);
  relay_account_set_token (forged, relay_account_get_token (account), "not-the-token-secret");
  forged_client = relay_nexmo_client_new (forged);
  result = send_one (forged_client, "447700900401", "Forged", 0, &r2);
  g_assert_error (result->error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_SIGNATURE_INVALID);
  g_assert_cmpuint (relay_sandbox_server_get_message_count (fixture->sandbox), ==, 0);

  g_assert_finalize_object (client);
  g_assert_finalize_object (forged_client);
}

/* An account whose clock is two hours slow: the sandbox refuses the
 * timestamp with its window, the client corrects the offset and sends
 * once more with a new nonce, and exactly one message is logged. A
 * provider that refuses twice gets no third request. */
static void
test_clock_skew (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(RelayProvider) provider = sandbox_provider (fixture);
  g_autoptr(RelayAccount) account = oauth_account (fixture, provider);
  RelayNexmoClient *client = relay_nexmo_client_new (account);
  g_autoptr(GPtrArray) r1 = NULL;
  g_autoptr(GPtrArray) r2 = NULL;
  RelaySmsResult *result;

  relay_account_set_clock_offset (account, -2 * 60 * 60);
  result = send_one (client, "447700900410", "Slow clock", 0, &r1);
  assert_sent (result, 1);
  g_assert_cmpuint (result->attempts, ==, 2);
  g_assert_cmpint (ABS (relay_account_get_clock_offset (account)), <=, 60);
  g_assert_cmpuint (relay_sandbox_server_get_message_count (fixture->sandbox), ==, 1);

  add_fault (fixture, "/sms/json=problem:timestamp_refused@2");
  result = send_one (client, "447700900411", "Refused twice", 0, &r2);
  g_assert_error (result->error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_TIMESTAMP_REFUSED);
  g_assert_cmpuint (result->attempts, ==, 2);
  g_assert_cmpuint (relay_sandbox_server_get_message_count (fixture->sandbox), ==, 1);

  g_assert_finalize_object (client);
}

static void
test_invalid_credentials (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(RelayProvider) provider = sandbox_provider (fixture);
  g_autoptr(RelayAccount) account = api_key_account (provider, "wrong-secret");
  RelayNexmoClient *client = relay_nexmo_client_new (account);
  g_autoptr(GPtrArray) results = NULL;
  RelaySmsResult *result;

  result = send_one (client, "447700900402", "Wrong secret", 0, &results);
  g_assert_error (result->error, RELAY_NEXMO_ERROR, RELAY_NEXMO_ERROR_INVALID_CREDENTIALS);
  g_assert_nonnull (strstr (result->error->message, "Nexmo status 4"));
  g_assert_null (strstr (result->error->message, "wrong-secret"));
  g_assert_cmpuint (relay_sandbox_server_get_message_count (fixture->sandbox), ==, 0);

  g_assert_finalize_object (client);
}

static void
test_provider_down (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayProvider) provider = NULL;
  g_autoptr(RelayAccount) account = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autofree char *rest_base = NULL;
  RelayNexmoClient *client;
  RelaySmsResult *result;
  guint16 port;

  /* A port that was just free and is closed again. */
  g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &bound, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_listener_close (listener);

  rest_base = g_strdup_printf ("http://127.0.0.1:%u", port);
  provider = relay_provider_new (NULL, rest_base);
  account = api_key_account (provider, RELAY_SANDBOX_DEFAULT_API_SECRET);
  client = relay_nexmo_client_new (account);

  result = send_one (client, "447700900500", "Nobody home", 0, &results);
  g_assert_error (result->error, RELAY_HTTP_ERROR, RELAY_HTTP_ERROR_UNREACHABLE);
  g_assert_cmpuint (result->attempts, ==, 1);

  g_assert_finalize_object (client);
}

static void
test_insecure_refused (void)
{
  g_autoptr(RelayProvider) provider = relay_provider_new (NULL, "http://rest.example.com");
  g_autoptr(RelayAccount) account = api_key_account (provider, RELAY_SANDBOX_DEFAULT_API_SECRET);
  RelayNexmoClient *client = relay_nexmo_client_new (account);
  g_autoptr(GPtrArray) results = NULL;
  RelaySmsResult *result;

  /* Nothing leaves the machine: the secret would travel in clear. */
  result = send_one (client, "447700900501", "Over plain http", 0, &results);
  g_assert_nonnull (result->error);
  g_assert_cmpuint (result->attempts, ==, 0);

  g_assert_finalize_object (client);
}

typedef struct
{
  gboolean     done;
  gboolean     ok;
  RelayBalance balance;
  GError      *error;
} Balance;

static void
balance_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Balance *balance = user_data;

  balance->ok = relay_nexmo_client_balance_finish (RELAY_NEXMO_CLIENT (object), result,
                                                   &balance->balance, &balance->error);
  balance->done = TRUE;
}

static void
get_balance (RelayNexmoClient *client,
             Balance          *balance)
{
  relay_nexmo_client_balance_async (client, NULL, balance_cb, balance);
  wait_for (&balance->done);
}

static void
test_balance (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(RelayProvider) provider = sandbox_provider (fixture);
  g_autoptr(RelayAccount) account = api_key_account (provider, RELAY_SANDBOX_DEFAULT_API_SECRET);
  g_autoptr(RelayAccount) oauth = oauth_account (fixture, provider);
  RelayNexmoClient *client = relay_nexmo_client_new (account);
  RelayNexmoClient *oauth_client = relay_nexmo_client_new (oauth);
  g_autoptr(GPtrArray) results = NULL;
  Balance before = { 0 }, after = { 0 }, signed_balance = { 0 }, broken = { 0 };
  RelaySmsResult *result;

  relay_sandbox_server_set_balance (fixture->sandbox, 3.14);
  get_balance (client, &before);
  g_assert_no_error (before.error);
  g_assert_true (before.ok);
  g_assert_cmpfloat_with_epsilon (before.balance.value, 3.14, 1e-9);

  result = send_one (client, "447700900600", "Costs money", 0, &results);
  assert_sent (result, 1);
  get_balance (client, &after);
  g_assert_no_error (after.error);
  g_assert_cmpfloat_with_epsilon (after.balance.value, result->remaining_balance, 1e-6);
  g_assert_cmpfloat_with_epsilon (after.balance.value, 3.14 - result->price, 1e-6);

  get_balance (oauth_client, &signed_balance);
  g_assert_no_error (signed_balance.error);
  g_assert_cmpfloat_with_epsilon (signed_balance.balance.value, after.balance.value, 1e-9);

  add_fault (fixture, "/account/get-balance=non-json@1");
  get_balance (client, &broken);
  g_assert_false (broken.ok);
  g_assert_error (broken.error, RELAY_NEXMO_ERROR, RELAY_NEXMO_ERROR_MALFORMED);
  g_clear_error (&broken.error);

  g_assert_finalize_object (client);
  g_assert_finalize_object (oauth_client);
}

typedef struct
{
  GCancellable *cancellable;
  GPtrArray    *outcomes;
  guint         sent;
  guint         cancel_after;
} Halfway;

/* Keeps every outcome as it comes, and cancels when the
 * @cancel_after-th message was accepted. */
static void
halfway_progress_cb (RelayNexmoClient *client,
                     gpointer          result,
                     guint             done,
                     guint             total,
                     Halfway          *halfway)
{
  const RelaySmsResult *sms = result;

  g_assert_true (relay_sms_state_is_final (sms->state));
  g_assert_cmpuint (done, ==, halfway->outcomes->len + 1);
  g_ptr_array_add (halfway->outcomes, relay_sms_result_copy (sms));

  if (sms->state == RELAY_SMS_STATE_SENT && ++halfway->sent == halfway->cancel_after)
    g_cancellable_cancel (halfway->cancellable);
}

/* Cancelled half-way: every recipient is reported once, as it happens,
 * and what was reported matches the sandbox's log message by message. */
static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(RelayProvider) provider = sandbox_provider (fixture);
  g_autoptr(RelayAccount) account = api_key_account (provider, RELAY_SANDBOX_DEFAULT_API_SECRET);
  RelayNexmoClient *client = clocked_client (fixture, account);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) outcomes = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_sms_result_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  Halfway halfway = { cancellable, outcomes, 0, 1 };
  Send send = { FALSE, NULL, NULL, 0 };
  guint counts[RELAY_SMS_STATE_UNCERTAIN + 1];
  double lowest = G_MAXDOUBLE;

  for (guint i = 0; i < 30; i++)
    g_ptr_array_add (numbers, g_strdup_printf ("4477009007%02u", i));
  g_ptr_array_add (numbers, NULL);

  /* Three windows of ten on the test's clock, which does not move: only
   * what the pacer lets go at once leaves, its answers come as fast as
   * the sandbox gives them, and the cancel (on the first accepted
   * message) lands while the rest wait for a turn that never comes. */
  relay_nexmo_client_set_rate (client, 10);
  g_signal_connect (client, "progress", G_CALLBACK (halfway_progress_cb), &halfway);
  relay_nexmo_client_send_async (client, "Relay", (const char *const *) numbers->pdata, "Cancel me",
                                 cancellable, send_cb, &send);
  wait_for (&send.done);
  g_assert_error (send.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (send.results);
  g_clear_error (&send.error);

  /* Every recipient reported, once, before the send finished. */
  g_assert_cmpuint (outcomes->len, ==, numbers->len - 1);
  for (guint i = 0; i < outcomes->len; i++)
    {
      RelaySmsResult *outcome = g_ptr_array_index (outcomes, i);

      g_assert_true (g_hash_table_add (seen, outcome->to));
      g_assert_true (g_str_has_prefix (outcome->client_ref, relay_nexmo_client_get_client_ref_prefix (client)));
      if (outcome->state == RELAY_SMS_STATE_SENT)
        {
          assert_sent (outcome, 1);
          lowest = MIN (lowest, outcome->remaining_balance);
        }
      else
        g_assert_nonnull (outcome->error);
      if (outcome->state == RELAY_SMS_STATE_NOT_SENT)
        g_assert_error (outcome->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    }

  relay_test_messages_compare (fixture->log_path, outcomes, counts);

  /* Cancelled half-way: the accepted ones answered, the rest never went
   * out, and no request was left without an answer. */
  g_assert_cmpuint (counts[RELAY_SMS_STATE_SENT], >=, halfway.cancel_after);
  g_assert_cmpuint (counts[RELAY_SMS_STATE_NOT_SENT], >=, 1);
  g_assert_cmpuint (counts[RELAY_SMS_STATE_UNCERTAIN], ==, 0);
  g_assert_cmpuint (counts[RELAY_SMS_STATE_FAILED], ==, 0);
  g_assert_cmpuint (relay_sandbox_server_get_message_count (fixture->sandbox), ==, counts[RELAY_SMS_STATE_SENT]);

  /* The last accepted message's balance is the provider's. */
  g_assert_cmpfloat_with_epsilon (lowest, relay_sandbox_server_get_balance (fixture->sandbox), 1e-9);

  g_signal_handlers_disconnect_by_data (client, &halfway);
  g_assert_finalize_object (client);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/relay/nexmo-client/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("send-api-key", test_send_api_key);
  ADD ("send-api-key-basic-get", test_send_api_key_basic_get);
  ADD ("send-oauth", test_send_oauth);
  ADD ("multipart", test_multipart);
  ADD ("unicode-auto", test_unicode_auto);
  ADD ("concurrent-rate", test_concurrent_rate);
  ADD ("concurrent-overlap", test_concurrent_overlap);
  ADD ("two-sends-share-rate", test_two_sends_share_rate);
  ADD ("throttle-retried", test_throttle_retried);
  ADD ("throttle-gives-up", test_throttle_gives_up);
  ADD ("http-429", test_http_429);
  ADD ("http-429-date", test_http_429_date);
  ADD ("http-429-bad", test_http_429_bad);
  ADD ("http-500", test_http_500);
  ADD ("non-json", test_non_json);
  ADD ("truncated", test_truncated);
  ADD ("slow-timeout", test_slow_timeout);
  ADD ("timeout-follows-provider", test_timeout_follows_provider);
  ADD ("oauth-problem", test_oauth_problem);
  ADD ("clock-skew", test_clock_skew);
  ADD ("invalid-credentials", test_invalid_credentials);
  ADD ("balance", test_balance);
  ADD ("cancel", test_cancel);
  g_test_add_func ("/relay/nexmo-client/provider-down", test_provider_down);
  g_test_add_func ("/relay/nexmo-client/provider-properties", test_provider_properties);
  g_test_add_func ("/relay/nexmo-client/insecure-refused", test_insecure_refused);

#undef ADD

  return g_test_run ();
}
