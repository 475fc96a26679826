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
 * With --history, every message also goes through the history store as
 * the window's send does: all recipients enqueued in one transaction
 * first, each row marked sending before its request may leave and its
 * outcome recorded after (from the client's "progress" signal), timed
 * until the last outcome is on disk. The store's rows are checked
 * against the results; a row in the wrong state fails the benchmark.
 *
 *   bench-send [--count N] [--rate RATE] [--history]
 */

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

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
  RelayStore *store;
  GPtrArray  *messages;  /* RelayStoreMessage, in the order of the numbers */
  GHashTable *by_number; /* number → index + 1 */
  gboolean   *begun;
  guint       next;      /* the next row to mark sending */
  guint       pending;   /* store calls not yet answered */
  guint       errors;
  gint64      start;
  guint       rate;
  double      cpu;       /* main-thread CPU seconds in the history's calls */
} History;

static double
thread_cpu_s (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
history_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  History *history = user_data;
  g_autoptr(GError) error = NULL;
  double cpu0 = thread_cpu_s ();
  gboolean ok;

  /* begin_send and record both answer with a boolean. */
  if (g_async_result_is_tagged (result, relay_store_begin_send_async))
    ok = relay_store_begin_send_finish (history->store, result, &error);
  else
    ok = relay_store_record_finish (history->store, result, &error);
  if (!ok)
    {
      if (history->errors++ < 5)
        g_printerr ("bench-send: history: %s\n", error->message);
    }
  history->pending--;
  history->cpu += thread_cpu_s () - cpu0;
}

static void
history_begin (History *history,
               guint    index)
{
  RelayStoreMessage *m = history->messages->pdata[index];

  if (history->begun[index])
    return;
  history->begun[index] = TRUE;
  history->pending++;
  relay_store_begin_send_async (history->store, m->id, NULL, history_done_cb, history);
}

/* The client has no store hook here: rows are marked sending at the
 * client's pace, never after their outcome came (see progress_cb). */
static gboolean
history_pace_cb (gpointer user_data)
{
  History *history = user_data;
  gint64 due = (g_get_monotonic_time () - history->start) * history->rate / G_USEC_PER_SEC + 1;
  double cpu0 = thread_cpu_s ();

  while (history->next < history->messages->len && history->next < due)
    history_begin (history, history->next++);
  history->cpu += thread_cpu_s () - cpu0;

  return history->next < history->messages->len ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
progress_cb (RelayNexmoClient *client,
             gpointer          data,
             guint             done,
             guint             total,
             gpointer          user_data)
{
  History *history = user_data;
  RelaySmsResult *result = data;
  g_autoptr(RelayStoreMessage) outcome = NULL;
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (history->by_number, result->to));
  double cpu0 = thread_cpu_s ();

  if (index-- == 0)
    {
      history->errors++;
      return;
    }

  history_begin (history, index);
  outcome = relay_store_message_copy (history->messages->pdata[index]);
  if (!relay_message_state_from_string (relay_sms_state_to_string (result->state), &outcome->state))
    outcome->state = RELAY_MESSAGE_STATE_UNCERTAIN;
  outcome->status = result->status;
  outcome->parts = result->parts;
  outcome->network = g_strdup (result->network);
  outcome->price = result->price > 0 ? g_strdup_printf ("%.8f", result->price) : NULL;
  outcome->currency = result->price > 0 ? g_strdup ("EUR") : NULL;
  if (result->message_ids != NULL)
    {
      g_strfreev (outcome->message_ids);
      outcome->message_ids = g_strdupv (result->message_ids);
    }
  if (result->error != NULL)
    outcome->error = g_strdup (result->error->message);
  history->pending++;
  relay_store_record_async (history->store, outcome, NULL, history_done_cb, history);
  history->cpu += thread_cpu_s () - cpu0;
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

      history.store = store;
      history.messages = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_store_message_free);
      history.by_number = g_hash_table_new (g_str_hash, g_str_equal);
      history.begun = g_new0 (gboolean, count);
      history.rate = (guint) rate;
      g_signal_connect (client, "progress", G_CALLBACK (progress_cb), &history);
    }

  start = g_get_monotonic_time ();
  if (with_history)
    {
      Wait wait = { 0 };
      g_autoptr(GAsyncResult) enqueued = NULL;
      double cpu0 = thread_cpu_s ();

      for (int i = 0; i < count; i++)
        {
          RelayStoreMessage *m = relay_store_message_new (RELAY_SANDBOX_DEFAULT_API_KEY, "Relay",
                                                          numbers->pdata[i], "Benchmark message");

          m->encoding = g_strdup ("GSM-7");
          m->parts = 1;
          g_ptr_array_add (history.messages, m);
          g_hash_table_insert (history.by_number, numbers->pdata[i], GUINT_TO_POINTER (i + 1));
        }
      relay_store_enqueue_async (store, history.messages, NULL, wait_cb, &wait);
      enqueued = wait_for (&wait);
      if (!relay_store_enqueue_finish (store, enqueued, &error))
        g_error ("The messages could not be queued: %s", error->message);
      history.cpu += thread_cpu_s () - cpu0;
      enqueue_s = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
      history.start = g_get_monotonic_time ();
      g_timeout_add (1, history_pace_cb, &history);
    }
  relay_nexmo_client_send_async (client, "Relay", (const char *const *) numbers->pdata,
                                 "Benchmark message", NULL, send_cb, &send);
  while (!send.done)
    g_main_context_iteration (NULL, TRUE);
  send_s = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  while (history.pending > 0)
    g_main_context_iteration (NULL, TRUE);
  wall = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
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
      printf ("             main-thread CPU in the history's calls and callbacks: %.3f ms per message\n",
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
      g_ptr_array_unref (history.messages);
      g_hash_table_unref (history.by_number);
      g_free (history.begun);
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
