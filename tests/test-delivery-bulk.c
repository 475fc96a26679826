/* test-delivery-bulk.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * RelayDelivery for lists, against the in-process sandbox over loopback
 * and a real history store: rows with their own texts and CSV line
 * numbers, the do-not-contact list (never reached, recorded not sent),
 * Pause / Resume / Cancel and the time left, on a manual RelayClock.
 */

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "relay-delivery.h"
#include "relay-nexmo-client.h"
#include "relay-sandbox-server.h"
#include "relay-store.h"
#include "relay-store-blocklist.h"
#include "relay-test-messages.h"
#include "relay-test-wait.h"

typedef struct
{
  RelaySandboxServer *sandbox;
  RelayNexmoClient   *client;
  RelayAccount       *account;
  RelayStore         *store;
  RelayClock         *clock;
  char               *tmpdir;
  char               *log_path;
} Fixture;

typedef struct
{
  RelayDelivery *delivery;
  guint          queued;
  guint          progress;
  guint          pause_at;   /* pause when this many are done, 0 never */
} Heard;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(RelayProvider) provider = NULL;
  g_autoptr(GAsyncResult) opened = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  g_autofree char *rest_base = NULL;
  g_autofree char *db_path = NULL;

  fixture->tmpdir = g_dir_make_tmp ("relay-delivery-bulk-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->log_path = g_build_filename (fixture->tmpdir, "messages.jsonl", NULL);

  fixture->sandbox = relay_sandbox_server_new ();
  relay_sandbox_server_set_messages_path (fixture->sandbox, fixture->log_path);
  relay_sandbox_server_set_rate_limit (fixture->sandbox, 0);
  relay_sandbox_server_set_balance (fixture->sandbox, 1000.0);
  relay_sandbox_server_listen (fixture->sandbox, 0, &error);
  g_assert_no_error (error);
  base = relay_sandbox_server_get_base_uri (fixture->sandbox);
  rest_base = g_strndup (base, strlen (base) - 1);

  provider = relay_provider_new (NULL, rest_base);
  fixture->account = relay_account_new_api_key (provider, RELAY_SANDBOX_DEFAULT_API_KEY);
  relay_account_set_secret (fixture->account, RELAY_SANDBOX_DEFAULT_API_SECRET);
  fixture->clock = relay_clock_new_manual (G_GINT64_CONSTANT (1000) * G_USEC_PER_SEC);
  fixture->client = relay_nexmo_client_new (fixture->account);
  relay_nexmo_client_set_clock (fixture->client, fixture->clock);
  relay_nexmo_client_set_rate (fixture->client, 0);

  db_path = g_build_filename (fixture->tmpdir, "relay.db", NULL);
  fixture->store = relay_store_new (db_path);
  relay_store_open_async (fixture->store, NULL, relay_test_result_cb, &opened);
  g_assert_true (relay_store_open_finish (fixture->store, relay_test_wait_result (&opened), &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf %s", fixture->tmpdir);

  g_assert_finalize_object (fixture->store);
  g_assert_finalize_object (fixture->client);
  g_assert_finalize_object (fixture->account);
  g_assert_finalize_object (fixture->sandbox);
  g_object_unref (fixture->clock);
  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
  g_free (fixture->tmpdir);
  g_free (fixture->log_path);
}

static void
queued_cb (RelayDelivery *delivery,
           guint          n_rows,
           Heard         *heard)
{
  heard->queued += n_rows;
}

static void
progress_cb (RelayDelivery     *delivery,
             RelaySmsResult    *sms,
             RelayStoreMessage *row,
             guint              done,
             guint              total,
             Heard             *heard)
{
  heard->progress++;
  g_assert_cmpuint (done, ==, heard->progress);
  if (heard->pause_at > 0 && done == heard->pause_at)
    relay_delivery_pause (delivery);
}

static RelayDelivery *
new_delivery (Fixture    *fixture,
              RelayStore *store,
              Heard      *heard)
{
  RelayDelivery *delivery = relay_delivery_new (fixture->client, store);

  relay_delivery_set_clock (delivery, fixture->clock);
  heard->delivery = delivery;
  g_signal_connect (delivery, "queued", G_CALLBACK (queued_cb), heard);
  g_signal_connect (delivery, "progress", G_CALLBACK (progress_cb), heard);

  return delivery;
}

/* Rows as an import makes them: each its own text and CSV line. */
static GPtrArray *
new_rows (Fixture    *fixture,
          guint       n,
          const char *prefix)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_store_message_free);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *to = g_strdup_printf ("%s%03u", prefix, i);
      g_autofree char *text = g_strdup_printf ("Hello member %u, see you Friday", i);
      RelayStoreMessage *row = relay_delivery_new_row (relay_account_get_id (fixture->account), "Relay",
                                                       to, text, FALSE);

      row->row = i + 2;
      g_ptr_array_add (rows, row);
    }

  return rows;
}

static gboolean
flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets loopback traffic happen for a moment of real time (no clock of
 * the delivery moves): what could start, would. */
static void
spin (void)
{
  gboolean over = FALSE;

  g_timeout_add (150, flag_cb, &over);
  while (!over)
    g_main_context_iteration (NULL, TRUE);
}

/* Moves the manual clock a pacer step at a time until @n outcomes. */
static void
drive_until (Fixture *fixture,
             Heard   *heard,
             guint    n)
{
  while (heard->progress < n)
    {
      spin ();
      if (heard->progress < n)
        relay_clock_advance (fixture->clock, G_USEC_PER_SEC / 10);
    }
}

static guint
log_count (Fixture *fixture)
{
  g_autoptr(GPtrArray) entries = relay_test_messages_read_log (fixture->log_path);

  return entries->len;
}

static JsonObject *
logged (GPtrArray  *entries,
        const char *client_ref)
{
  for (guint i = 0; i < entries->len; i++)
    {
      JsonObject *entry = json_node_get_object (entries->pdata[i]);

      if (g_strcmp0 (json_object_get_string_member_with_default (entry, "client-ref", NULL), client_ref) == 0)
        return entry;
    }

  return NULL;
}

static GPtrArray *
read_store (Fixture *fixture)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  RelayStoreQuery query = { .state = -1 };
  GPtrArray *rows;

  relay_store_query_async (fixture->store, &query, NULL, relay_test_result_cb, &result);
  rows = relay_store_query_finish (fixture->store, relay_test_wait_result (&result), &error);
  g_assert_no_error (error);

  return rows;
}

static RelayStoreMessage *
find_row (GPtrArray  *rows,
          const char *client_ref)
{
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (((RelayStoreMessage *) rows->pdata[i])->client_ref, client_ref) == 0)
      return rows->pdata[i];

  return NULL;
}

/* Waits until no row is sending: every request that started has its
 * outcome recorded. (A request that passed the pacer asked the store to
 * mark its row sending before this query, which the store answers in
 * order.) */
static void
settle (Fixture *fixture)
{
  for (;;)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      RelayStoreQuery query = { .state = RELAY_MESSAGE_STATE_SENDING };
      gint64 n;

      spin ();
      relay_store_count_async (fixture->store, &query, NULL, relay_test_result_cb, &result);
      n = relay_store_count_finish (fixture->store, relay_test_wait_result (&result), &error);
      g_assert_no_error (error);
      if (n == 0)
        return;
    }
}

static void
block (Fixture            *fixture,
       const char * const *numbers)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  relay_store_block_async (fixture->store, numbers, RELAY_BLOCK_SOURCE_HAND, NULL, relay_test_result_cb, &result);
  g_assert_true (relay_store_block_finish (fixture->store, relay_test_wait_result (&result), NULL, &error));
  g_assert_no_error (error);
}

/* A blocked number is queued (the list is the user's record) but
 * recorded not sent with the reason, and never reaches the provider. */
static void
test_blocked (Fixture       *fixture,
              gconstpointer  data)
{
  const char * const numbers[] = { "447700900001", NULL };
  g_autoptr(GPtrArray) rows = new_rows (fixture, 4, "447700900");
  g_autoptr(RelayDelivery) delivery = NULL;
  g_autoptr(GPtrArray) done = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Heard heard = { 0 };

  block (fixture, numbers);
  g_assert_cmpstr (((RelayStoreMessage *) rows->pdata[1])->recipient, ==, "447700900001");

  delivery = new_delivery (fixture, fixture->store, &heard);
  relay_delivery_send_async (delivery, rows, NULL, relay_test_result_cb, &result);
  done = relay_delivery_send_finish (delivery, relay_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (heard.queued, ==, 4);
  g_assert_cmpuint (heard.progress, ==, 4);

  entries = relay_test_messages_read_log (fixture->log_path);
  g_assert_cmpuint (entries->len, ==, 3);
  stored = read_store (fixture);
  g_assert_cmpuint (stored->len, ==, 4);
  for (guint i = 0; i < done->len; i++)
    {
      RelayStoreMessage *row = done->pdata[i];
      RelayStoreMessage *kept = find_row (stored, row->client_ref);

      g_assert_nonnull (kept);
      g_assert_cmpint (kept->row, ==, i + 2);
      if (i == 1)
        {
          g_assert_cmpint (row->state, ==, RELAY_MESSAGE_STATE_NOT_SENT);
          g_assert_cmpint (kept->state, ==, RELAY_MESSAGE_STATE_NOT_SENT);
          g_assert_nonnull (strstr (kept->error, "do-not-contact list"));
          g_assert_null (logged (entries, row->client_ref));
        }
      else
        {
          JsonObject *entry = logged (entries, row->client_ref);

          g_assert_cmpint (kept->state, ==, RELAY_MESSAGE_STATE_SENT);
          g_assert_nonnull (entry);
          /* Each row with its own text. */
          g_assert_cmpstr (json_object_get_string_member (entry, "text"), ==, row->text);
        }
    }
}

/* Without a store, a list the caller holds serves. */
static void
test_blocked_given (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = new_rows (fixture, 3, "447700900");
  g_autoptr(GHashTable) blocked = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(RelayDelivery) delivery = NULL;
  g_autoptr(GPtrArray) done = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Heard heard = { 0 };

  g_hash_table_add (blocked, (gpointer) "447700900000");
  g_hash_table_add (blocked, (gpointer) "447700900002");
  delivery = new_delivery (fixture, NULL, &heard);
  relay_delivery_set_blocked (delivery, blocked);
  relay_delivery_send_async (delivery, rows, NULL, relay_test_result_cb, &result);
  done = relay_delivery_send_finish (delivery, relay_test_wait_result (&result), &error);
  g_assert_no_error (error);

  g_assert_cmpint (((RelayStoreMessage *) done->pdata[0])->state, ==, RELAY_MESSAGE_STATE_NOT_SENT);
  g_assert_cmpint (((RelayStoreMessage *) done->pdata[1])->state, ==, RELAY_MESSAGE_STATE_SENT);
  g_assert_cmpint (((RelayStoreMessage *) done->pdata[2])->state, ==, RELAY_MESSAGE_STATE_NOT_SENT);
  g_assert_cmpuint (log_count (fixture), ==, 1);
}

/* Pause stops new requests (those on their way finish and are
 * recorded); Resume goes on at the rate; nothing is lost or doubled. */
static void
test_pause_resume (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = new_rows (fixture, 30, "4477009004");
  g_autoptr(RelayDelivery) delivery = NULL;
  g_autoptr(GPtrArray) done = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Heard heard = { 0 };
  guint paused_at, total = 0;

  relay_nexmo_client_set_rate (fixture->client, 10);
  delivery = new_delivery (fixture, fixture->store, &heard);
  heard.pause_at = 5;
  relay_delivery_send_async (delivery, rows, NULL, relay_test_result_cb, &result);
  g_assert_cmpint (relay_delivery_get_eta (delivery), ==, -1);

  drive_until (fixture, &heard, 5);
  g_assert_true (relay_delivery_is_paused (delivery));
  g_assert_cmpint (relay_delivery_get_eta (delivery), ==, -1);
  /* Those on their way finish and are recorded. */
  settle (fixture);
  paused_at = heard.progress;
  g_assert_cmpuint (paused_at, <, 30);
  g_assert_cmpuint (log_count (fixture), ==, paused_at);

  /* Ten seconds of the clock: nothing starts. */
  for (guint i = 0; i < 20; i++)
    {
      relay_clock_advance (fixture->clock, G_USEC_PER_SEC / 2);
      spin ();
    }
  settle (fixture);
  g_assert_cmpuint (heard.progress, ==, paused_at);
  g_assert_cmpuint (log_count (fixture), ==, paused_at);
  g_assert_null (result);
  g_assert_cmpuint (relay_delivery_get_done (delivery, &total), ==, paused_at);
  g_assert_cmpuint (total, ==, 30);

  /* Resumed: the rest at 10 a second. */
  heard.pause_at = 0;
  relay_delivery_resume (delivery);
  g_assert_false (relay_delivery_is_paused (delivery));
  g_assert_cmpint (relay_delivery_get_eta (delivery), ==, (gint64) (30 - paused_at) * G_USEC_PER_SEC / 10);
  drive_until (fixture, &heard, 30);
  done = relay_delivery_send_finish (delivery, relay_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (relay_delivery_get_eta (delivery), ==, 0);

  entries = relay_test_messages_read_log (fixture->log_path);
  g_assert_cmpuint (entries->len, ==, 30);
  stored = read_store (fixture);
  for (guint i = 0; i < done->len; i++)
    {
      RelayStoreMessage *row = done->pdata[i];
      JsonObject *entry = logged (entries, row->client_ref);

      g_assert_cmpint (row->state, ==, RELAY_MESSAGE_STATE_SENT);
      g_assert_nonnull (entry);
      g_assert_cmpstr (json_object_get_string_member (entry, "text"), ==, row->text);
      g_assert_cmpint (find_row (stored, row->client_ref)->state, ==, RELAY_MESSAGE_STATE_SENT);
    }
}

/* Cancelled while paused: nothing more leaves, every row waiting is
 * recorded not sent. */
static void
test_cancel_paused (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = new_rows (fixture, 400, "447700");
  g_autoptr(RelayDelivery) delivery = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) done = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Heard heard = { 0 };
  guint not_sent = 0;

  relay_nexmo_client_set_rate (fixture->client, 10);
  delivery = new_delivery (fixture, fixture->store, &heard);
  relay_delivery_pause (delivery);
  relay_delivery_send_async (delivery, rows, cancellable, relay_test_result_cb, &result);
  while (heard.queued == 0)
    g_main_context_iteration (NULL, TRUE);
  for (guint i = 0; i < 5; i++)
    {
      relay_clock_advance (fixture->clock, G_USEC_PER_SEC);
      spin ();
    }
  g_assert_cmpuint (heard.progress, ==, 0);
  g_assert_cmpuint (log_count (fixture), ==, 0);

  g_cancellable_cancel (cancellable);
  done = relay_delivery_send_finish (delivery, relay_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (heard.progress, ==, 400);
  g_assert_cmpuint (log_count (fixture), ==, 0);
  stored = read_store (fixture);
  g_assert_cmpuint (stored->len, ==, 400);
  for (guint i = 0; i < stored->len; i++)
    not_sent += ((RelayStoreMessage *) stored->pdata[i])->state == RELAY_MESSAGE_STATE_NOT_SENT;
  g_assert_cmpuint (not_sent, ==, 400);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/relay/delivery-bulk/blocked", Fixture, NULL, fixture_setup, test_blocked, fixture_teardown);
  g_test_add ("/relay/delivery-bulk/blocked-given", Fixture, NULL, fixture_setup, test_blocked_given, fixture_teardown);
  g_test_add ("/relay/delivery-bulk/pause-resume", Fixture, NULL, fixture_setup, test_pause_resume, fixture_teardown);
  g_test_add ("/relay/delivery-bulk/cancel-paused", Fixture, NULL, fixture_setup, test_cancel_paused, fixture_teardown);

  return g_test_run ();
}
