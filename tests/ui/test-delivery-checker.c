/* test-delivery-checker.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window's delivery checker without a window: messages sent through
 * the in-process sandbox, a store in a folder of the test's own, and one
 * manual clock, so the background refresh's pacing is counted in
 * simulated time.
 */

#include <glib/gstdio.h>
#include <string.h>

#include "relay-delivery-checker.h"
#include "relay-nexmo-client.h"
#include "relay-nexmo-pacer.h"
#include "relay-sandbox-server.h"
#include "relay-store.h"

#define T0 (G_GINT64_CONSTANT (1792567650) * G_USEC_PER_SEC)
#define MS (G_USEC_PER_SEC / 1000)

#define WAIT_UNTIL(cond) \
  G_STMT_START { while (!(cond)) g_main_context_iteration (NULL, TRUE); } G_STMT_END

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  WAIT_UNTIL (*slot != NULL);
  return g_steal_pointer (slot);
}

static void
count_cb (RelayDeliveryChecker *checker,
          gint64                id,
          guint                *count)
{
  (*count)++;
}

/* Sends to @n recipients at once (rate 0) and records each as sent. */
static void
send_and_record (RelayStore   *store,
                 RelayAccount *account,
                 guint         n)
{
  g_autoptr(RelayNexmoClient) client = relay_nexmo_client_new (account);
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_store_message_free);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i++)
    {
      RelayStoreMessage *row;

      g_ptr_array_add (numbers, g_strdup_printf ("4477009001%02u", i));
      row = relay_store_message_new (relay_account_get_id (account), "Relay", numbers->pdata[i], "Arrived?");
      row->encoding = g_strdup ("GSM-7");
      row->parts = 1;
      g_ptr_array_add (rows, row);
    }
  g_ptr_array_add (numbers, NULL);

  relay_store_enqueue_async (store, rows, NULL, result_cb, &result);
  g_assert_true (relay_store_enqueue_finish (store, wait_result (&result), &error));
  g_clear_object (&result);

  relay_nexmo_client_set_rate (client, 0);
  relay_nexmo_client_send_async (client, "Relay", (const char *const *) numbers->pdata, "Arrived?",
                                 NULL, result_cb, &result);
  results = relay_nexmo_client_send_finish (client, wait_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  for (guint i = 0; i < n; i++)
    {
      RelayStoreMessage *row = rows->pdata[i];
      RelaySmsResult *sms = results->pdata[i];

      relay_store_begin_send_async (store, row->id, NULL, result_cb, &result);
      g_assert_true (relay_store_begin_send_finish (store, wait_result (&result), &error));
      g_clear_object (&result);
      row->state = RELAY_MESSAGE_STATE_SENT;
      row->message_ids = g_strdupv (sms->message_ids);
      row->sent_at = g_get_real_time ();
      relay_store_record_async (store, row, NULL, result_cb, &result);
      g_assert_true (relay_store_record_finish (store, wait_result (&result), &error));
      g_assert_no_error (error);
      g_clear_object (&result);
    }
}

static GPtrArray *
all_rows (RelayStore *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  RelayStoreQuery query = { .state = -1 };
  GPtrArray *rows;

  relay_store_query_async (store, &query, NULL, result_cb, &result);
  rows = relay_store_query_finish (store, wait_result (&result), &error);
  g_assert_no_error (error);

  return rows;
}

/* The refresh asks for the rows not final yet, one every 500 ms of the
 * clock (2 per second), and records each answer. */
static void
test_refresh_paced (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("relay-checker-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "relay.db", NULL);
  g_autoptr(RelayClock) clock = relay_clock_new_manual (T0);
  g_autoptr(RelaySandboxServer) sandbox = relay_sandbox_server_new ();
  g_autoptr(RelayStore) store = relay_store_new (path);
  g_autoptr(RelayDeliveryChecker) checker = NULL;
  g_autoptr(RelayProvider) provider = NULL;
  g_autoptr(RelayAccount) account = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *base = NULL;
  g_autofree char *rest = NULL;
  guint updated = 0;

  relay_sandbox_server_set_clock (sandbox, clock);
  relay_sandbox_server_set_delivery_delay (sandbox, 0);
  relay_sandbox_server_set_rate_limit (sandbox, 0);
  g_assert_true (relay_sandbox_server_listen (sandbox, 0, &error));
  base = relay_sandbox_server_get_base_uri (sandbox);
  rest = g_strndup (base, strlen (base) - 1);
  provider = relay_provider_new (NULL, rest);
  relay_provider_set_reports_base (provider, rest);
  account = relay_account_new_api_key (provider, RELAY_SANDBOX_DEFAULT_API_KEY);
  relay_account_set_secret (account, RELAY_SANDBOX_DEFAULT_API_SECRET);

  relay_store_open_async (store, NULL, result_cb, &result);
  g_assert_true (relay_store_open_finish (store, wait_result (&result), &error));
  g_clear_object (&result);

  send_and_record (store, account, 5);
  /* One already final: not asked again. */
  rows = all_rows (store);
  relay_store_set_delivery_async (store, ((RelayStoreMessage *) rows->pdata[0])->message_ids[0],
                                  "expired", T0, NULL, result_cb, &result);
  g_assert_cmpint (relay_store_set_delivery_finish (store, wait_result (&result), &error), >, 0);
  g_clear_object (&result);
  g_clear_pointer (&rows, g_ptr_array_unref);

  checker = relay_delivery_checker_new (store);
  relay_delivery_checker_set_clock (checker, clock);
  relay_delivery_checker_set_account (checker, account);
  g_signal_connect (checker, "updated", G_CALLBACK (count_cb), &updated);

  relay_delivery_checker_refresh_recent (checker);
  WAIT_UNTIL (relay_delivery_checker_get_pending (checker) == 4);
  WAIT_UNTIL (updated == 1);
  for (guint i = 2; i <= 4; i++)
    {
      /* The next one waits for its slot, 500 ms after the last. */
      g_assert_cmpint (relay_clock_get_next_deadline (clock), ==,
                       relay_clock_get_now (clock) + 500 * MS);
      relay_clock_advance (clock, 500 * MS - 1);
      g_assert_cmpuint (updated, ==, i - 1);
      relay_clock_advance (clock, 1);
      WAIT_UNTIL (updated == i);
    }
  WAIT_UNTIL (relay_delivery_checker_get_pending (checker) == 0);

  rows = all_rows (store);
  g_assert_cmpuint (rows->len, ==, 5);
  for (guint i = 0; i < rows->len; i++)
    {
      RelayStoreMessage *row = rows->pdata[i];

      g_assert_cmpstr (row->delivery, ==, i == 0 ? "expired" : "delivered");
      g_assert_cmpint (row->delivery_at, >, 0);
    }

  /* Another account's message is not asked with this one's secret. */
  {
    RelayStoreMessage *other = rows->pdata[0];
    g_autoptr(RelayDeliveryRecord) record = NULL;

    g_free (other->account);
    other->account = g_strdup ("api:someone-else@127.0.0.1");
    relay_delivery_checker_check_async (checker, other, NULL, result_cb, &result);
    record = relay_delivery_checker_check_finish (checker, wait_result (&result), &error);
    g_assert_null (record);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
    g_clear_error (&error);
  }

  g_clear_object (&checker);
  g_clear_object (&store);
  g_remove (path);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_remove (wal);
    g_remove (shm);
  }
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/relay/delivery-checker/refresh-paced", test_refresh_paced);

  return g_test_run ();
}
