/* test-delivery-status.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The account's own limit and the delivery status against the
 * in-process sandbox over loopback. The sandbox and the clients share
 * one manual clock: rates, retry waits and the delivery delay are
 * counted in simulated time, never timed.
 */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "relay-http.h"
#include "relay-nexmo-client.h"
#include "relay-nexmo-reports.h"
#include "relay-nexmo-settings.h"
#include "relay-sandbox-server.h"
#include "relay-test-messages.h"

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

static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Runs until *@done, moving the clock to the next timeout whenever
 * nothing else is ready. */
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

  fixture->tmpdir = g_dir_make_tmp ("relay-delivery-status-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->log_path = g_build_filename (fixture->tmpdir, "messages.jsonl", NULL);

  fixture->clock = relay_clock_new_manual (T0);
  fixture->sandbox = relay_sandbox_server_new ();
  relay_sandbox_server_set_clock (fixture->sandbox, fixture->clock);
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

/* The sandbox serves the REST and the reports base alike. */
static RelayAccount *
sandbox_account (Fixture    *fixture,
                 const char *secret)
{
  g_autofree char *base = g_strndup (fixture->base, strlen (fixture->base) - 1);
  g_autoptr(RelayProvider) provider = relay_provider_new (NULL, base);
  RelayAccount *account = relay_account_new_api_key (provider, RELAY_SANDBOX_DEFAULT_API_KEY);

  relay_provider_set_reports_base (provider, base);
  relay_account_set_secret (account, secret);
  return account;
}

static RelayNexmoClient *
clocked_client (Fixture      *fixture,
                RelayAccount *account)
{
  RelayNexmoClient *client = relay_nexmo_client_new (account);

  relay_nexmo_client_set_clock (client, fixture->clock);
  return client;
}

typedef struct
{
  gboolean   done;
  GPtrArray *results;
  GError    *error;
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

typedef struct
{
  guint started;
  guint done;
} Count;

static void
gate_cb (RelayNexmoClient     *client,
         const RelaySmsResult *recipient,
         GTask                *task,
         gpointer              user_data)
{
  Count *count = user_data;

  count->started++;
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
progress_cb (RelayNexmoClient *client,
             gpointer          result,
             guint             done,
             guint             total,
             Count            *count)
{
  count->done++;
}

/* Like drive(), but the clock moves only when every request started so
 * far has its answer: the sandbox sees each request at the simulated
 * moment the client started it. For sends without throttling (a
 * throttled recipient would wait for its retry with its request done). */
static void
drive_settled (Fixture  *fixture,
               gboolean *done,
               Count    *count)
{
  while (!*done)
    {
      gint64 next;

      if (g_main_context_iteration (NULL, FALSE))
        continue;
      next = relay_clock_get_next_deadline (fixture->clock);
      if (count->started == count->done && next >= 0)
        relay_clock_advance (fixture->clock, next - relay_clock_get_now (fixture->clock));
      else
        g_main_context_iteration (NULL, TRUE);
    }
}

static GPtrArray *
send_numbers_full (Fixture          *fixture,
                   RelayNexmoClient *client,
                   guint             n,
                   gboolean          settled)
{
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  Send send = { FALSE, NULL, NULL };
  Count count = { 0, 0 };
  gulong progress_id;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (numbers, g_strdup_printf ("4477009%05u", i));
  g_ptr_array_add (numbers, NULL);

  relay_nexmo_client_set_gate (client, gate_cb, &count, NULL);
  progress_id = g_signal_connect (client, "progress", G_CALLBACK (progress_cb), &count);
  relay_nexmo_client_send_async (client, "Relay", (const char *const *) numbers->pdata, "Paced",
                                 NULL, send_cb, &send);
  if (settled)
    drive_settled (fixture, &send.done, &count);
  else
    drive (fixture, &send.done);
  g_signal_handler_disconnect (client, progress_id);
  relay_nexmo_client_set_gate (client, NULL, NULL, NULL);
  g_assert_no_error (send.error);
  g_assert_cmpuint (send.results->len, ==, n);

  return send.results;
}

static GPtrArray *
send_numbers (Fixture          *fixture,
              RelayNexmoClient *client,
              guint             n)
{
  return send_numbers_full (fixture, client, n, TRUE);
}

/* Every recipient was sent, and the sandbox logged each client-ref
 * exactly once: none dropped, none doubled. */
static guint
assert_each_sent_once (Fixture   *fixture,
                       GPtrArray *results)
{
  g_autoptr(GPtrArray) log = relay_test_messages_read_log (fixture->log_path);
  guint attempts = 0;

  g_assert_cmpuint (log->len, ==, results->len);
  for (guint i = 0; i < results->len; i++)
    {
      RelaySmsResult *result = g_ptr_array_index (results, i);
      guint seen = 0;

      g_assert_no_error (result->error);
      g_assert_cmpint (result->state, ==, RELAY_SMS_STATE_SENT);
      for (guint j = 0; j < log->len; j++)
        seen += g_strcmp0 (json_object_get_string_member (json_node_get_object (g_ptr_array_index (log, j)), "client-ref"),
                           result->client_ref) == 0;
      g_assert_cmpuint (seen, ==, 1);
      attempts += result->attempts;
    }

  return attempts;
}

/* A client that follows the account's limit asks it first, holds its
 * sends until the answer, then paces at it: with the sandbox's limit of
 * 4 per second, 12 messages take 11 slots of 250 ms, none throttled. */
static void
test_follows_limit (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(RelayAccount) account = sandbox_account (fixture, RELAY_SANDBOX_DEFAULT_API_SECRET);
  RelayNexmoClient *client = clocked_client (fixture, account);
  g_autoptr(GPtrArray) results = NULL;

  relay_sandbox_server_set_rate_limit (fixture->sandbox, 4);
  relay_nexmo_client_set_follow_account_limit (client, TRUE);
  g_assert_cmpuint (relay_nexmo_client_get_rate (client), ==, RELAY_NEXMO_DEFAULT_RATE);

  results = send_numbers (fixture, client, 12);
  g_assert_cmpuint (relay_nexmo_client_get_rate (client), ==, 4);
  g_assert_cmpuint (assert_each_sent_once (fixture, results), ==, 12);
  g_assert_cmpint (relay_clock_get_now (fixture->clock) - T0, ==, 11 * 250 * MS);

  /* Asked once per client: a second send goes at once at the rate. */
  g_clear_pointer (&results, g_ptr_array_unref);
  relay_sandbox_server_set_rate_limit (fixture->sandbox, 1);
  relay_clock_advance (fixture->clock, G_USEC_PER_SEC);
  results = send_numbers_full (fixture, client, 2, FALSE);
  g_assert_cmpuint (relay_nexmo_client_get_rate (client), ==, 4);
  g_assert_cmpint (((RelaySmsResult *) results->pdata[1])->state, ==, RELAY_SMS_STATE_SENT);
  g_assert_cmpuint (relay_sandbox_server_get_message_count (fixture->sandbox), ==, 14);

  g_assert_finalize_object (client);
}

/* The account's limit unknown (the settings call fails): the default. */
static void
test_limit_unknown (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(RelayAccount) account = sandbox_account (fixture, RELAY_SANDBOX_DEFAULT_API_SECRET);
  RelayNexmoClient *client = clocked_client (fixture, account);
  g_autoptr(GPtrArray) results = NULL;

  relay_sandbox_server_set_rate_limit (fixture->sandbox, 4);
  add_fault (fixture, "/account/settings=http-500@1");
  relay_nexmo_client_set_follow_account_limit (client, TRUE);
  relay_nexmo_client_set_rate (client, 4);
  relay_nexmo_client_set_rate (client, RELAY_NEXMO_DEFAULT_RATE);
  /* An explicit rate wins: nothing is asked. */
  results = send_numbers (fixture, client, 1);
  g_assert_finalize_object (client);
  g_clear_pointer (&results, g_ptr_array_unref);

  client = clocked_client (fixture, account);
  relay_nexmo_client_set_follow_account_limit (client, TRUE);
  relay_nexmo_client_set_rate (client, 4);
  g_assert_cmpuint (relay_nexmo_client_get_rate (client), ==, 4);
  g_assert_finalize_object (client);

  client = clocked_client (fixture, account);
  relay_nexmo_client_set_follow_account_limit (client, TRUE);
  results = send_numbers (fixture, client, 1);
  g_assert_cmpuint (relay_nexmo_client_get_rate (client), ==, RELAY_NEXMO_DEFAULT_RATE);
  g_assert_finalize_object (client);
}

/* A client faster than the account: the sandbox throttles with its wait
 * hint, and every throttled message is sent again after the wait,
 * exactly once. */
static void
test_throttled_never_dropped (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(RelayAccount) account = sandbox_account (fixture, RELAY_SANDBOX_DEFAULT_API_SECRET);
  RelayNexmoClient *client = clocked_client (fixture, account);
  g_autoptr(GPtrArray) results = NULL;
  guint attempts;

  relay_sandbox_server_set_rate_limit (fixture->sandbox, 5);
  relay_nexmo_client_set_rate (client, 20);

  results = send_numbers_full (fixture, client, 15, FALSE);
  attempts = assert_each_sent_once (fixture, results);
  g_test_message ("15 messages at 20/s against 5/s: %u attempts, %" G_GINT64_FORMAT " ms simulated",
                  attempts, (relay_clock_get_now (fixture->clock) - T0) / MS);
  g_assert_cmpuint (attempts, >, 15);
  g_assert_cmpuint (relay_sandbox_server_get_message_count (fixture->sandbox), ==, 15);
  /* 15 at 5 per second need at least two full windows after the first. */
  g_assert_cmpint (relay_clock_get_now (fixture->clock) - T0, >=, 2 * G_USEC_PER_SEC);

  g_assert_finalize_object (client);
}

typedef struct
{
  gboolean             done;
  RelayDeliveryRecord *record;
  GError              *error;
} Fetch;

static void
fetch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Fetch *fetch = user_data;

  fetch->record = relay_nexmo_reports_fetch_finish (result, &fetch->error);
  fetch->done = TRUE;
}

/* Asks without moving the clock. */
static RelayDeliveryRecord *
fetch (RelayAccount  *account,
       const char    *message_id,
       GError       **error)
{
  g_autoptr(SoupSession) session = relay_http_session_new (5);
  Fetch fetch = { FALSE, NULL, NULL };

  relay_nexmo_reports_fetch_async (session, account, message_id, NULL, fetch_cb, &fetch);
  while (!fetch.done)
    g_main_context_iteration (NULL, TRUE);
  if (fetch.error != NULL)
    g_propagate_error (error, fetch.error);

  return fetch.record;
}

static char *
send_one (Fixture      *fixture,
          RelayAccount *account)
{
  RelayNexmoClient *client = clocked_client (fixture, account);
  g_autoptr(GPtrArray) results = send_numbers (fixture, client, 1);
  RelaySmsResult *result = g_ptr_array_index (results, 0);
  char *id;

  g_assert_cmpint (result->state, ==, RELAY_SMS_STATE_SENT);
  id = g_strdup (result->message_ids[0]);
  g_assert_finalize_object (client);

  return id;
}

/* accepted until the delay has passed on the sandbox's clock, then the
 * final status, finalized at acceptance + delay. */
static void
assert_moves (Fixture    *fixture,
              const char *fault,
              const char *final,
              int         code)
{
  g_autoptr(RelayAccount) account = sandbox_account (fixture, RELAY_SANDBOX_DEFAULT_API_SECRET);
  g_autoptr(RelayDeliveryRecord) before = NULL;
  g_autoptr(RelayDeliveryRecord) still = NULL;
  g_autoptr(RelayDeliveryRecord) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  gint64 sent;

  relay_sandbox_server_set_delivery_delay (fixture->sandbox, 1500);
  if (fault != NULL)
    add_fault (fixture, fault);
  id = send_one (fixture, account);
  sent = relay_clock_get_now (fixture->clock);

  before = fetch (account, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (before->status, ==, "accepted");
  g_assert_cmpstr (before->message_id, ==, id);
  g_assert_cmpint (before->received_at, ==, sent / G_USEC_PER_SEC * G_USEC_PER_SEC);
  g_assert_cmpint (before->finalized_at, ==, 0);
  g_assert_cmpint (before->error_code, ==, -1);
  g_assert_cmpstr (before->to, ==, "447700900000");
  g_assert_cmpstr (before->price, ==, "0.03330000");

  relay_clock_advance (fixture->clock, 1500 * MS - 1);
  drain ();
  still = fetch (account, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (still->status, ==, "accepted");

  relay_clock_advance (fixture->clock, 1);
  drain ();
  after = fetch (account, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (after->status, ==, final);
  g_assert_true (relay_delivery_status_is_final (after->status));
  g_assert_cmpint (after->error_code, ==, code);
  g_assert_cmpint (after->finalized_at, ==, (sent + 1500 * MS) / G_USEC_PER_SEC * G_USEC_PER_SEC);
}

static void
test_report_delivered (Fixture       *fixture,
                       gconstpointer  data)
{
  assert_moves (fixture, NULL, "delivered", 0);
}

static void
test_report_failed (Fixture       *fixture,
                    gconstpointer  data)
{
  assert_moves (fixture, "/sms/json=delivery-failed@1", "failed", 1);
}

static void
test_report_expired (Fixture       *fixture,
                     gconstpointer  data)
{
  assert_moves (fixture, "/sms/json=delivery-expired@1", "expired", 5);
}

static void
test_report_errors (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(RelayAccount) account = sandbox_account (fixture, RELAY_SANDBOX_DEFAULT_API_SECRET);
  g_autoptr(RelayAccount) wrong = sandbox_account (fixture, "not-the-secret");
  g_autoptr(RelayAccount) oauth = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = send_one (fixture, account);

  /* Unknown message */
  g_assert_null (fetch (account, "0000000000000000", &error));
  g_assert_error (error, RELAY_REPORTS_ERROR, RELAY_REPORTS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Wrong secret: HTTP 401, a sentence, no secret in it */
  g_assert_null (fetch (wrong, id, &error));
  g_assert_error (error, RELAY_HTTP_ERROR, RELAY_HTTP_ERROR_UNAUTHORIZED);
  g_assert_null (strstr (error->message, "not-the-secret"));
  g_clear_error (&error);

  /* Not a message id: refused before anything is sent */
  g_assert_null (fetch (account, "a&id=b", &error));
  g_assert_error (error, RELAY_REPORTS_ERROR, RELAY_REPORTS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* OAuth accounts have no API secret to ask with */
  {
    g_autofree char *base = g_strndup (fixture->base, strlen (fixture->base) - 1);
    g_autoptr(RelayProvider) provider = relay_provider_new (NULL, base);

    oauth = relay_account_new_oauth (provider, RELAY_SANDBOX_DEFAULT_CONSUMER_KEY);
    relay_account_set_secret (oauth, RELAY_SANDBOX_DEFAULT_CONSUMER_SECRET);
    relay_account_set_token (oauth, "token", "token-secret");
  }
  g_assert_null (fetch (oauth, id, &error));
  g_assert_error (error, RELAY_REPORTS_ERROR, RELAY_REPORTS_ERROR_UNSUPPORTED);
  g_clear_error (&error);

  /* http:// to another host than loopback is refused */
  relay_provider_set_reports_base (relay_account_get_provider (account), "http://reports.example.com");
  g_assert_null (fetch (account, id, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "HTTPS"));
}

typedef struct
{
  gboolean             done;
  gboolean             ok;
  RelayAccountSettings settings;
  GError              *error;
} Settings;

static void
settings_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Settings *settings = user_data;

  settings->ok = relay_nexmo_settings_fetch_finish (result, &settings->settings, &settings->error);
  settings->done = TRUE;
}

/* The settings answer is Nexmo's shape, and needs the credentials. */
static void
test_settings (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(RelayAccount) account = sandbox_account (fixture, RELAY_SANDBOX_DEFAULT_API_SECRET);
  g_autoptr(RelayAccount) wrong = sandbox_account (fixture, "not-the-secret");
  g_autoptr(SoupSession) session = relay_http_session_new (5);
  Settings good = { FALSE, FALSE, { 0, }, NULL };
  Settings bad = { FALSE, FALSE, { 0, }, NULL };

  relay_sandbox_server_set_rate_limit (fixture->sandbox, 12);
  relay_nexmo_settings_fetch_async (session, account, NULL, settings_cb, &good);
  relay_nexmo_settings_fetch_async (session, wrong, NULL, settings_cb, &bad);
  while (!good.done || !bad.done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_no_error (good.error);
  g_assert_true (good.ok);
  g_assert_cmpuint (good.settings.max_outbound_request, ==, 12);
  g_assert_cmpuint (good.settings.max_inbound_request, ==, 30);
  g_assert_false (bad.ok);
  g_assert_nonnull (bad.error);
  g_clear_error (&bad.error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/relay/delivery-status/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("settings", test_settings);
  ADD ("follows-limit", test_follows_limit);
  ADD ("limit-unknown", test_limit_unknown);
  ADD ("throttled-never-dropped", test_throttled_never_dropped);
  ADD ("report-delivered", test_report_delivered);
  ADD ("report-failed", test_report_failed);
  ADD ("report-expired", test_report_expired);
  ADD ("report-errors", test_report_errors);

#undef ADD

  return g_test_run ();
}
