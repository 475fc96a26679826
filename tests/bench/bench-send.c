/* bench-send.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not a test: sends N messages (default 1000) to an in-process sandbox
 * limited to RATE per second (default 200), with the client paced at the
 * same rate, and prints the wall time against the ideal N / RATE seconds
 * and the lost and duplicated messages found in the sandbox's messages
 * log. The sandbox runs in its own thread with its own main context, as
 * a separate provider would. Never fails on timing.
 *
 * With --history, the messages go through RelayDelivery and a history
 * store, as the window's and relay-cli's sends do: all recipients queued
 * in one transaction first, each row marked sending (durably) before its
 * request may leave, and each outcome recorded as it comes; timed until
 * the last outcome is on disk. The store's rows are checked against the
 * outcomes; a row in the wrong state fails the benchmark.
 *
 *   bench-send [--count N] [--rate RATE] [--history]
 */

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "relay-delivery.h"
#include "relay-nexmo-client.h"
#include "relay-sandbox-server.h"
#include "relay-store.h"

typedef struct
{
  GMutex              mutex;
  GCond               cond;
  GMainLoop          *loop;
  char               *base;
  char               *log_path;
  guint               rate;
} Provider;

static gpointer
provider_thread (gpointer user_data)
{
  Provider *provider = user_data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(RelaySandboxServer) sandbox = NULL;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (context);
  sandbox = relay_sandbox_server_new ();
  relay_sandbox_server_set_rate_limit (sandbox, provider->rate);
  relay_sandbox_server_set_balance (sandbox, 1000000.0);
  relay_sandbox_server_set_messages_path (sandbox, provider->log_path);
  if (!relay_sandbox_server_listen (sandbox, 0, &error))
    g_error ("The sandbox could not listen: %s", error->message);

  g_mutex_lock (&provider->mutex);
  provider->loop = g_main_loop_new (context, FALSE);
  provider->base = relay_sandbox_server_get_base_uri (sandbox);
  g_cond_signal (&provider->cond);
  g_mutex_unlock (&provider->mutex);

  g_main_loop_run (provider->loop);

  g_clear_object (&sandbox);
  g_main_context_pop_thread_default (context);
  return NULL;
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

typedef struct
{
  gboolean   done;
  GPtrArray *results;
  GError    *error;
} Send;

/* The history side of a send. */
typedef struct
{
  GPtrArray *results;    /* RelaySmsResult, as the outcomes came */
  guint      errors;
  gint64     start;
  gint64     queued_at;  /* when the store had every row */
  gint64     last_at;    /* when the last outcome came */
  double     cpu;        /* main-thread CPU seconds in the delivery's signals */
} History;

static double
thread_cpu_s (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
queued_cb (RelayDelivery *delivery,
           guint          n_rows,
           History       *history)
{
  history->queued_at = g_get_monotonic_time ();
}

static void
progress_cb (RelayDelivery     *delivery,
             RelaySmsResult    *result,
             RelayStoreMessage *row,
             guint              done,
             guint              total,
             History           *history)
{
  double cpu0 = thread_cpu_s ();

  g_ptr_array_add (history->results, relay_sms_result_copy (result));
  history->last_at = g_get_monotonic_time ();
  history->cpu += thread_cpu_s () - cpu0;
}

static void
recorded_cb (RelayDelivery     *delivery,
             RelayStoreMessage *row,
             const GError      *error,
             History           *history)
{
  if (error != NULL && history->errors++ < 5)
    g_printerr ("bench-send: history: %s\n", error->message);
}

typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} Wait;

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  wait->done = TRUE;
}

static GAsyncResult *
wait_for (Wait *wait)
{
  while (!wait->done)
    g_main_context_iteration (NULL, TRUE);
  return wait->result;
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Send *send = user_data;

  send->results = relay_nexmo_client_send_finish (RELAY_NEXMO_CLIENT (object), result, &send->error);
  send->done = TRUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) options = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GThread) thread = NULL;
  g_autoptr(RelayProvider) profile = NULL;
  g_autoptr(RelayAccount) account = NULL;
  g_autoptr(RelayNexmoClient) client = NULL;
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *tmpdir = NULL;
  g_autofree char *oauth_base = NULL;
  g_autofree char *rest_base = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(RelayDelivery) delivery = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_store_message_free);
  g_autofree char *store_path = NULL;
  int count = 1000;
  int rate = 200;
  gboolean with_history = FALSE;
  History history = { 0 };
  double enqueue_s = 0, send_s = 0;
  Provider provider = { 0 };
  Send send = { FALSE, NULL, NULL };
  gboolean history_failed = FALSE;
  guint failed = 0, retried = 0, lost = 0, duplicated = 0, logged = 0;
  gint64 start;
  double wall, ideal;
  const GOptionEntry entries[] = {
    { "count", 0, 0, G_OPTION_ARG_INT, &count, "Messages to send (default 1000)", "N" },
    { "rate", 0, 0, G_OPTION_ARG_INT, &rate, "Sandbox limit and client rate per second (default 200)", "RATE" },
    { "history", 0, 0, G_OPTION_ARG_NONE, &with_history, "Record every message in a history store", NULL },
    { NULL }
  };

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("bench-send: %s\n", error->message);
      return 2;
    }
  if (count < 1 || count > 100000 || rate < 1 || rate > 10000)
    {
      g_printerr ("bench-send: --count takes 1 to 100000 and --rate 1 to 10000.\n");
      return 2;
    }

  tmpdir = g_dir_make_tmp ("relay-bench-XXXXXX", &error);
  g_assert_no_error (error);
  provider.log_path = g_build_filename (tmpdir, "messages.jsonl", NULL);
  provider.rate = rate;
  g_mutex_init (&provider.mutex);
  g_cond_init (&provider.cond);

  g_mutex_lock (&provider.mutex);
  thread = g_thread_new ("sandbox", provider_thread, &provider);
  while (provider.base == NULL)
    g_cond_wait (&provider.cond, &provider.mutex);
  g_mutex_unlock (&provider.mutex);

  oauth_base = g_strconcat (provider.base, "oauth/", NULL);
  rest_base = g_strndup (provider.base, strlen (provider.base) - 1);
  profile = relay_provider_new (oauth_base, rest_base);
  account = relay_account_new_api_key (profile, RELAY_SANDBOX_DEFAULT_API_KEY);
  relay_account_set_secret (account, RELAY_SANDBOX_DEFAULT_API_SECRET);
  client = relay_nexmo_client_new (account);
  relay_nexmo_client_set_rate (client, (guint) rate);

  for (int i = 0; i < count; i++)
    g_ptr_array_add (numbers, g_strdup_printf ("44770%07d", i));
  g_ptr_array_add (numbers, NULL);

  if (with_history)
    {
      Wait wait = { 0 };
      g_autoptr(GAsyncResult) opened = NULL;

      store_path = g_build_filename (tmpdir, "history.db", NULL);
      store = relay_store_new (store_path);
      relay_store_open_async (store, NULL, wait_cb, &wait);
      opened = wait_for (&wait);
      if (!relay_store_open_finish (store, opened, &error))
        g_error ("The history store could not be opened: %s", error->message);

      history.results = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_sms_result_free);
      delivery = relay_delivery_new (client, store);
      g_signal_connect (delivery, "queued", G_CALLBACK (queued_cb), &history);
      g_signal_connect (delivery, "progress", G_CALLBACK (progress_cb), &history);
      g_signal_connect (delivery, "recorded", G_CALLBACK (recorded_cb), &history);
      for (int i = 0; i < count; i++)
        g_ptr_array_add (rows, relay_delivery_new_row (RELAY_SANDBOX_DEFAULT_API_KEY, "Relay",
                                                       numbers->pdata[i], "Benchmark message", FALSE));
    }

  start = g_get_monotonic_time ();
  if (with_history)
    {
      Wait wait = { 0 };
      g_autoptr(GAsyncResult) sent = NULL;
      g_autoptr(GPtrArray) done = NULL;
      double cpu0 = thread_cpu_s ();

      history.start = start;
      relay_delivery_send_async (delivery, rows, NULL, wait_cb, &wait);
      history.cpu += thread_cpu_s () - cpu0;
      sent = wait_for (&wait);
      wall = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
      done = relay_delivery_send_finish (delivery, sent, &send.error);
      if (done == NULL)
        g_error ("The messages could not be queued: %s", send.error->message);
      enqueue_s = (history.queued_at - start) / (double) G_USEC_PER_SEC;
      send_s = (history.last_at - start) / (double) G_USEC_PER_SEC;
      send.results = g_ptr_array_ref (history.results);
    }
  else
    {
      relay_nexmo_client_send_async (client, "Relay", (const char *const *) numbers->pdata,
                                     "Benchmark message", NULL, send_cb, &send);
      while (!send.done)
        g_main_context_iteration (NULL, TRUE);
      wall = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
    }
  g_assert_no_error (send.error);

  for (guint i = 0; i < send.results->len; i++)
    {
      RelaySmsResult *result = g_ptr_array_index (send.results, i);

      if (result->error != NULL)
        failed++;
      retried += result->attempts > 1 ? result->attempts - 1 : 0;
      g_hash_table_insert (seen, g_strdup (result->client_ref), GUINT_TO_POINTER (0));
    }

  g_main_context_invoke (g_main_loop_get_context (provider.loop), quit_cb, provider.loop);
  g_thread_join (g_steal_pointer (&thread));

  /* Every client-ref must be in the log exactly once. */
  if (g_file_get_contents (provider.log_path, &contents, NULL, NULL))
    lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines != NULL && lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = NULL;
      const char *ref;
      gpointer seen_count;

      if (*lines[i] == '\0')
        continue;
      logged++;
      node = json_from_string (lines[i], NULL);
      ref = node != NULL && JSON_NODE_HOLDS_OBJECT (node)
            ? json_object_get_string_member_with_default (json_node_get_object (node), "client-ref", NULL)
            : NULL;
      if (ref == NULL || !g_hash_table_lookup_extended (seen, ref, NULL, &seen_count))
        continue;
      if (GPOINTER_TO_UINT (seen_count) > 0)
        duplicated++;
      g_hash_table_insert (seen, g_strdup (ref), GUINT_TO_POINTER (GPOINTER_TO_UINT (seen_count) + 1));
    }
  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, seen);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      if (GPOINTER_TO_UINT (value) == 0)
        lost++;
  }

  ideal = count / (double) rate;
  printf ("messages:    %d at %d/s (sandbox limit %d/s)%s\n", count, rate, rate,
          with_history ? ", with history" : "");
  printf ("wall time:   %.3f s (ideal %.3f s, ratio %.3fx, target <= 1.05x)\n", wall, ideal, wall / ideal);
  if (with_history)
    {
      g_autoptr(GAsyncResult) counted = NULL;
      RelayStoreQuery sent_query = { .state = RELAY_MESSAGE_STATE_SENT };
      Wait wait = { 0 };
      gint64 sent_rows;
      guint sent = 0;

      for (guint i = 0; i < send.results->len; i++)
        sent += ((RelaySmsResult *) g_ptr_array_index (send.results, i))->state == RELAY_SMS_STATE_SENT;
      relay_store_count_async (store, &sent_query, NULL, wait_cb, &wait);
      counted = wait_for (&wait);
      sent_rows = relay_store_count_finish (store, counted, &error);

      printf ("history:     enqueue %.3f s (in the wall time), send done at %.3f s, last outcome on disk at %.3f s\n",
              enqueue_s, send_s, wall);
      printf ("             main-thread CPU in the delivery's signals: %.3f ms per message\n",
              history.cpu * 1000 / count);
      printf ("             %" G_GINT64_FORMAT " rows sent of %u results sent, %u store errors\n",
              sent_rows, sent, history.errors);
      if (sent_rows != sent || history.errors > 0)
        {
          g_printerr ("bench-send: the history does not match what was sent.\n");
          history_failed = TRUE;
        }
    }
  printf ("logged:      %u\n", logged);
  printf ("lost:        %u\n", lost);
  printf ("duplicated:  %u\n", duplicated);
  printf ("failed:      %u\n", failed);
  printf ("retries:     %u (throttled requests sent again)\n", retried);
  {
    struct rusage usage;
    g_autofree char *loadavg = NULL;

    getrusage (RUSAGE_SELF, &usage);
    printf ("cpu time:    %.3f s (client and sandbox together)\n",
            usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
            (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6);
    /* A wall time far above the ideal with few retries means the machine
     * was busy: compare the load with the number of cores. */
    if (g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL))
      printf ("load:        %s", loadavg);
  }

  g_ptr_array_unref (send.results);
  if (with_history)
    {
      const char *suffixes[] = { "", "-wal", "-shm" };

      g_clear_object (&store);
      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *file = g_strconcat (store_path, suffixes[i], NULL);

          g_unlink (file);
        }
      g_ptr_array_unref (history.results);
    }
  g_unlink (provider.log_path);
  g_rmdir (tmpdir);
  g_free (provider.log_path);
  g_free (provider.base);
  g_main_loop_unref (provider.loop);
  g_mutex_clear (&provider.mutex);
  g_cond_clear (&provider.cond);

  return history_failed ? 1 : 0;
}
