/* test-delivery.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * RelayDelivery against the in-process sandbox over loopback and a real
 * history store in a throwaway folder: new rows are queued before
 * anything leaves, every outcome (sent, failed, not sent, uncertain) is
 * reported and recorded, a full history refuses the send as a whole,
 * and without a store it sends and records nothing.
 */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "relay-delivery.h"
#include "relay-nexmo-client.h"
#include "relay-sandbox-server.h"
#include "relay-store.h"
#include "relay-test-messages.h"
#include "relay-test-wait.h"

typedef struct
{
  RelaySandboxServer *sandbox;
  RelayNexmoClient   *client;
  RelayAccount       *account;
  RelayStore         *store;
  char               *tmpdir;
  char               *log_path;
} Fixture;

/* What the delivery's signals said. */
typedef struct
{
  guint       queued;
  guint       progress;
  guint       last_done;
  guint       recorded;
  guint       record_errors;
  GHashTable *states;      /* client-ref → RelaySmsState + 1 */
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

  fixture->tmpdir = g_dir_make_tmp ("relay-delivery-XXXXXX", &error);
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
  fixture->client = relay_nexmo_client_new (fixture->account);
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
  g_assert_cmpstr (sms->client_ref, ==, row->client_ref);
  g_assert_cmpstr (sms->to, ==, row->recipient);
  g_assert_cmpuint (done, ==, heard->last_done + 1);
  g_assert_cmpuint (done, <=, total);
  /* Once per row. */
  g_assert_false (g_hash_table_contains (heard->states, row->client_ref));
  g_hash_table_insert (heard->states, g_strdup (row->client_ref), GINT_TO_POINTER (sms->state + 1));
  heard->last_done = done;
  heard->progress++;
}

static void
recorded_cb (RelayDelivery     *delivery,
             RelayStoreMessage *row,
             const GError      *error,
             Heard             *heard)
{
  g_assert_nonnull (row);
  heard->recorded++;
  heard->record_errors += error != NULL;
}

static RelayDelivery *
new_delivery (Fixture  *fixture,
              gboolean  with_store,
              Heard    *heard)
{
  RelayDelivery *delivery = relay_delivery_new (fixture->client, with_store ? fixture->store : NULL);

  heard->states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_signal_connect (delivery, "queued", G_CALLBACK (queued_cb), heard);
  g_signal_connect (delivery, "progress", G_CALLBACK (progress_cb), heard);
  g_signal_connect (delivery, "recorded", G_CALLBACK (recorded_cb), heard);

  return delivery;
}

static GPtrArray *
new_rows (Fixture    *fixture,
          guint       n,
          const char *prefix)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_store_message_free);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *to = g_strdup_printf ("%s%03u", prefix, i);

      g_ptr_array_add (rows, relay_delivery_new_row (relay_account_get_id (fixture->account), "Relay",
                                                     to, "Hello from the delivery test", FALSE));
    }

  return rows;
}

static GPtrArray *
send_rows (RelayDelivery  *delivery,
           GPtrArray      *rows,
           GCancellable   *cancellable,
           GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  relay_delivery_send_async (delivery, rows, cancellable, relay_test_result_cb, &result);
  return relay_delivery_send_finish (delivery, relay_test_wait_result (&result), error);
}

/* The store's rows, by client-ref. */
static GHashTable *
read_store (Fixture *fixture)
{
  GHashTable *by_ref = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                              (GDestroyNotify) relay_store_message_free);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  RelayStoreQuery query = { .state = -1 };

  relay_store_query_async (fixture->store, &query, NULL, relay_test_result_cb, &result);
  rows = relay_store_query_finish (fixture->store, relay_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_ptr_array_set_free_func (rows, NULL);
  for (guint i = 0; i < rows->len; i++)
    {
      RelayStoreMessage *row = rows->pdata[i];

      g_hash_table_insert (by_ref, row->client_ref, row);
    }

  return by_ref;
}

/* The sandbox's log entry of @client_ref, or NULL. */
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

static void
test_send_records (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = new_rows (fixture, 12, "4477009001");
  g_autoptr(RelayDelivery) delivery = NULL;
  g_autoptr(GPtrArray) done = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GHashTable) stored = NULL;
  g_autoptr(GError) error = NULL;
  Heard heard = { 0 };

  delivery = new_delivery (fixture, TRUE, &heard);
  done = send_rows (delivery, rows, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (done);

  g_assert_cmpuint (heard.queued, ==, rows->len);
  g_assert_cmpuint (heard.progress, ==, rows->len);
  g_assert_cmpuint (heard.recorded, ==, rows->len);
  g_assert_cmpuint (heard.record_errors, ==, 0);
  /* Recorded gates and outcomes leave the client free again. */
  g_assert_cmpuint (done->len, ==, rows->len);

  entries = relay_test_messages_read_log (fixture->log_path);
  g_assert_cmpuint (entries->len, ==, rows->len);
  stored = read_store (fixture);
  g_assert_cmpuint (g_hash_table_size (stored), ==, rows->len);

  for (guint i = 0; i < done->len; i++)
    {
      RelayStoreMessage *row = done->pdata[i];
      RelayStoreMessage *given = rows->pdata[i];
      RelayStoreMessage *kept = g_hash_table_lookup (stored, row->client_ref);
      JsonObject *entry = logged (entries, row->client_ref);

      /* In the order given, each with its id and outcome. */
      g_assert_cmpstr (row->client_ref, ==, given->client_ref);
      g_assert_cmpint (row->id, >, 0);
      g_assert_cmpint (row->state, ==, RELAY_MESSAGE_STATE_SENT);
      g_assert_nonnull (entry);
      g_assert_cmpstr (json_object_get_string_member (entry, "to"), ==, row->recipient);

      g_assert_nonnull (kept);
      g_assert_cmpint (kept->id, ==, row->id);
      g_assert_cmpint (kept->state, ==, RELAY_MESSAGE_STATE_SENT);
      g_assert_nonnull (kept->message_ids);
      g_assert_cmpstr (kept->message_ids[0], ==, json_object_get_string_member (entry, "message-id"));
      g_assert_nonnull (kept->price);
      g_assert_cmpint (kept->sent_at, >, 0);
    }

  g_hash_table_unref (heard.states);
}

/* A recorded price carries the currency of the account's price list,
 * which the delivery was given; without one it stays bare, never a
 * guess. */
static void
test_currency (Fixture       *fixture,
               gconstpointer  data)
{
  const char *currencies[] = { "EUR", NULL };

  for (guint c = 0; c < G_N_ELEMENTS (currencies); c++)
    {
      g_autofree char *prefix = g_strdup_printf ("447700902%u", c);
      g_autoptr(GPtrArray) rows = new_rows (fixture, 3, prefix);
      g_autoptr(RelayDelivery) delivery = NULL;
      g_autoptr(GPtrArray) done = NULL;
      g_autoptr(GHashTable) stored = NULL;
      g_autoptr(GError) error = NULL;
      Heard heard = { 0 };

      delivery = new_delivery (fixture, TRUE, &heard);
      relay_delivery_set_currency (delivery, currencies[c]);
      done = send_rows (delivery, rows, NULL, &error);
      g_assert_no_error (error);
      stored = read_store (fixture);
      for (guint i = 0; i < done->len; i++)
        {
          RelayStoreMessage *row = done->pdata[i];
          RelayStoreMessage *kept = g_hash_table_lookup (stored, row->client_ref);

          g_assert_cmpint (row->state, ==, RELAY_MESSAGE_STATE_SENT);
          g_assert_nonnull (kept->price);
          g_assert_cmpstr (row->currency, ==, currencies[c]);
          g_assert_cmpstr (kept->currency, ==, currencies[c]);
        }
      g_hash_table_unref (heard.states);
    }
}

static void
test_outcomes (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = new_rows (fixture, 6, "4477009002");
  g_autoptr(RelayDelivery) delivery = NULL;
  g_autoptr(GPtrArray) done = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GHashTable) stored = NULL;
  g_autoptr(GError) error = NULL;
  guint counts[RELAY_MESSAGE_STATE_LAST + 1] = { 0, };
  Heard heard = { 0 };

  /* One answer the client cannot read: that message may have been
   * sent. */
  g_assert_true (relay_sandbox_server_add_fault (fixture->sandbox, "/sms/json=non-json@1", &error));
  g_assert_no_error (error);

  delivery = new_delivery (fixture, TRUE, &heard);
  done = send_rows (delivery, rows, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (heard.recorded, ==, rows->len);

  stored = read_store (fixture);
  for (guint i = 0; i < done->len; i++)
    {
      RelayStoreMessage *row = done->pdata[i];
      RelayStoreMessage *kept = g_hash_table_lookup (stored, row->client_ref);

      g_assert_nonnull (kept);
      g_assert_cmpint (kept->state, ==, row->state);
      g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (heard.states, row->client_ref)), >, 0);
      counts[kept->state]++;
      if (kept->state == RELAY_MESSAGE_STATE_UNCERTAIN)
        g_assert_nonnull (kept->error);
    }
  g_assert_cmpuint (counts[RELAY_MESSAGE_STATE_UNCERTAIN], ==, 1);
  g_assert_cmpuint (counts[RELAY_MESSAGE_STATE_SENT], ==, rows->len - 1);

  /* The rest went once each; the unreadable one is never sent again. */
  entries = relay_test_messages_read_log (fixture->log_path);
  g_assert_cmpuint (entries->len, >=, rows->len - 1);
  g_assert_cmpuint (entries->len, <=, rows->len);

  /* A provider that refuses: failed, with its status and sentence. */
  g_clear_pointer (&done, g_ptr_array_unref);
  g_clear_pointer (&rows, g_ptr_array_unref);
  g_clear_object (&delivery);
  g_hash_table_unref (heard.states);
  memset (&heard, 0, sizeof heard);
  relay_sandbox_server_set_balance (fixture->sandbox, 0.0);
  rows = new_rows (fixture, 3, "4477009003");
  delivery = new_delivery (fixture, TRUE, &heard);
  done = send_rows (delivery, rows, NULL, &error);
  g_assert_no_error (error);
  g_hash_table_unref (stored);
  stored = read_store (fixture);
  for (guint i = 0; i < done->len; i++)
    {
      RelayStoreMessage *kept = g_hash_table_lookup (stored, ((RelayStoreMessage *) done->pdata[i])->client_ref);

      g_assert_cmpint (kept->state, ==, RELAY_MESSAGE_STATE_FAILED);
      g_assert_cmpint (kept->status, >, 0);
      g_assert_nonnull (kept->error);
    }

  g_hash_table_unref (heard.states);
}

static void
test_cancelled (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = new_rows (fixture, 5, "4477009004");
  g_autoptr(RelayDelivery) delivery = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) done = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GHashTable) stored = NULL;
  g_autoptr(GError) error = NULL;
  Heard heard = { 0 };

  /* Stopped before anything left: queued, then recorded as not sent. */
  delivery = new_delivery (fixture, TRUE, &heard);
  g_cancellable_cancel (cancellable);
  done = send_rows (delivery, rows, cancellable, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (heard.queued, ==, rows->len);
  g_assert_cmpuint (heard.progress, ==, rows->len);

  entries = relay_test_messages_read_log (fixture->log_path);
  g_assert_cmpuint (entries->len, ==, 0);
  stored = read_store (fixture);
  g_assert_cmpuint (g_hash_table_size (stored), ==, rows->len);
  for (guint i = 0; i < done->len; i++)
    {
      RelayStoreMessage *kept = g_hash_table_lookup (stored, ((RelayStoreMessage *) done->pdata[i])->client_ref);

      g_assert_cmpint (kept->state, ==, RELAY_MESSAGE_STATE_NOT_SENT);
      g_assert_nonnull (kept->error);
    }

  g_hash_table_unref (heard.states);
}

static void
test_full (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = new_rows (fixture, 400, "447700901");
  g_autoptr(RelayDelivery) delivery = NULL;
  g_autoptr(GAsyncResult) capped = NULL;
  g_autoptr(GPtrArray) done = NULL;
  g_autoptr(GHashTable) stored = NULL;
  g_autoptr(GError) error = NULL;
  Heard heard = { 0 };

  /* No page more: the rows cannot be queued, so none leaves. */
  relay_store_set_max_pages_async (fixture->store, 1, NULL, relay_test_result_cb, &capped);
  g_assert_true (relay_store_set_max_pages_finish (fixture->store, relay_test_wait_result (&capped), &error));
  g_assert_no_error (error);

  delivery = new_delivery (fixture, TRUE, &heard);
  done = send_rows (delivery, rows, NULL, &error);
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_FULL);
  g_assert_null (done);
  g_assert_cmpuint (heard.queued, ==, 0);
  g_assert_cmpuint (heard.progress, ==, 0);
  if (g_file_test (fixture->log_path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GPtrArray) entries = relay_test_messages_read_log (fixture->log_path);

      g_assert_cmpuint (entries->len, ==, 0);
    }
  stored = read_store (fixture);
  g_assert_cmpuint (g_hash_table_size (stored), ==, 0);

  g_hash_table_unref (heard.states);
}

static void
test_no_store (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = new_rows (fixture, 4, "4477009005");
  g_autoptr(RelayDelivery) delivery = NULL;
  g_autoptr(GPtrArray) done = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GHashTable) stored = NULL;
  g_autoptr(GError) error = NULL;
  Heard heard = { 0 };

  delivery = new_delivery (fixture, FALSE, &heard);
  done = send_rows (delivery, rows, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (heard.queued, ==, 0);
  g_assert_cmpuint (heard.recorded, ==, 0);
  g_assert_cmpuint (heard.progress, ==, rows->len);

  entries = relay_test_messages_read_log (fixture->log_path);
  g_assert_cmpuint (entries->len, ==, rows->len);
  for (guint i = 0; i < done->len; i++)
    {
      RelayStoreMessage *row = done->pdata[i];

      g_assert_cmpint (row->id, ==, 0);
      g_assert_cmpint (row->queued_at, >, 0);
      g_assert_cmpint (row->state, ==, RELAY_MESSAGE_STATE_SENT);
      g_assert_nonnull (logged (entries, row->client_ref));
    }

  stored = read_store (fixture);
  g_assert_cmpuint (g_hash_table_size (stored), ==, 0);

  g_hash_table_unref (heard.states);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/relay/delivery/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("send-records", test_send_records);
  ADD ("outcomes", test_outcomes);
  ADD ("currency", test_currency);
  ADD ("cancelled", test_cancelled);
  ADD ("full", test_full);
  ADD ("no-store", test_no_store);

  return g_test_run ();
}
