/* bench-bulk-send.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not a test: a bulk send of N messages (default 100,000), each with its
 * own text and CSV line as relay-cli send --csv makes them, through
 * RelayDelivery and a history store to the relay-sandbox binary started
 * with --rate-limit RATE (default 1000). The client follows the
 * account's max-outbound-request, which the sandbox reports from
 * --rate-limit, as relay-cli does. Prints the wall time (from the call
 * to the last outcome on disk, queuing included) against the ideal
 * N / RATE seconds (target: 1.02x at most), the time to queue every row,
 * and the messages lost or doubled by client-ref in the sandbox's
 * --messages log. Fails only on lost or doubled messages or rows in the
 * wrong state, never on timing.
 *
 *   bench-bulk-send [--count N] [--rate RATE] [--sandbox PATH]
 */

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "relay-delivery.h"
#include "relay-nexmo-client.h"
#include "relay-sandbox-server.h"
#include "relay-store.h"

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
  gint64        started_at;
  gint64        queued_at;
  guint         done;
  guint         total;
  gint64        next_report;
} Run;

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;

  run->result = g_object_ref (result);
  g_main_loop_quit (run->loop);
}

static void
queued_cb (RelayDelivery *delivery,
           guint          n_rows,
           Run           *run)
{
  run->queued_at = g_get_monotonic_time ();
  fprintf (stderr, "  %u rows queued after %.2f s\n", n_rows, (run->queued_at - run->started_at) / 1e6);
}

static void
progress_cb (RelayDelivery     *delivery,
             RelaySmsResult    *sms,
             RelayStoreMessage *row,
             guint              done,
             guint              total,
             Run               *run)
{
  gint64 now = g_get_monotonic_time ();

  run->done = done;
  if (now >= run->next_report)
    {
      gint64 eta = relay_delivery_get_eta (delivery);

      fprintf (stderr, "  %u of %u after %.1f s; %.1f s left\n", done, total,
               (now - run->started_at) / 1e6, eta >= 0 ? eta / 1e6 : -1.0);
      run->next_report = now + 10 * G_USEC_PER_SEC;
    }
}

static gboolean
open_store (RelayStore *store)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Run run = { loop, NULL, 0, 0, 0, 0, 0 };
  g_autoptr(GError) error = NULL;
  gboolean ok;

  relay_store_open_async (store, NULL, done_cb, &run);
  g_main_loop_run (loop);
  ok = relay_store_open_finish (store, run.result, &error);
  g_object_unref (run.result);
  if (!ok)
    g_printerr ("The history cannot be opened: %s\n", error->message);

  return ok;
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sandbox_path = NULL;
  g_autofree char *tmpdir = NULL;
  g_autofree char *log_path = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *messages_arg = NULL;
  g_autofree char *rate_arg = NULL;
  g_autofree char *line = NULL;
  g_autofree char *rest_base = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *command = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) sandbox = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(RelayProvider) provider = NULL;
  g_autoptr(RelayAccount) account = NULL;
  g_autoptr(RelayNexmoClient) client = NULL;
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(RelayDelivery) delivery = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) done = NULL;
  g_autoptr(GHashTable) logged = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_auto(GStrv) lines = NULL;
  int count = 100000;
  int rate = 1000;
  guint lost = 0, doubled = 0, strangers = 0, sent = 0, other = 0;
  double seconds, ideal, cpu;
  Run run = { 0 };
  const GOptionEntry entries[] = {
    { "count", 0, 0, G_OPTION_ARG_INT, &count, "Messages to send (default 100000)", "N" },
    { "rate", 0, 0, G_OPTION_ARG_INT, &rate, "The sandbox's --rate-limit (default 1000)", "RATE" },
    { "sandbox", 0, 0, G_OPTION_ARG_FILENAME, &sandbox_path, "The relay-sandbox binary (default: $RELAY_SANDBOX)", "PATH" },
    { NULL }
  };

  context = g_option_context_new ("— time a bulk send against the sandbox");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || count < 1 || rate < 1)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "--count and --rate take positive numbers");
      return 2;
    }
  if (sandbox_path == NULL)
    sandbox_path = g_strdup (g_getenv ("RELAY_SANDBOX"));
  if (sandbox_path == NULL)
    {
      g_printerr ("Give the relay-sandbox binary with --sandbox PATH or RELAY_SANDBOX\n");
      return 77;
    }

  tmpdir = g_dir_make_tmp ("relay-bench-bulk-XXXXXX", &error);
  g_assert_no_error (error);
  log_path = g_build_filename (tmpdir, "messages.jsonl", NULL);
  db_path = g_build_filename (tmpdir, "relay.db", NULL);

  /* The provider, a process of its own. */
  messages_arg = g_strdup_printf ("--messages=%s", log_path);
  rate_arg = g_strdup_printf ("--rate-limit=%d", rate);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  sandbox = g_subprocess_launcher_spawn (launcher, &error, sandbox_path, "--port=0", "--balance=100000000",
                                         rate_arg, messages_arg, NULL);
  if (sandbox == NULL)
    g_error ("%s", error->message);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sandbox));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  if (line == NULL || !g_str_has_prefix (line, "Listening on http://127.0.0.1:"))
    g_error ("The sandbox did not start");
  rest_base = g_strndup (line + strlen ("Listening on "), strlen (line) - strlen ("Listening on ") - 1);

  provider = relay_provider_new (NULL, rest_base);
  account = relay_account_new_api_key (provider, RELAY_SANDBOX_DEFAULT_API_KEY);
  relay_account_set_secret (account, RELAY_SANDBOX_DEFAULT_API_SECRET);
  client = relay_nexmo_client_new (account);
  relay_nexmo_client_set_follow_account_limit (client, TRUE);

  store = relay_store_new (db_path);
  if (!open_store (store))
    return 1;

  rows = g_ptr_array_new_full (count, (GDestroyNotify) relay_store_message_free);
  for (int i = 0; i < count; i++)
    {
      g_autofree char *to = g_strdup_printf ("44770%07d", i);
      g_autofree char *text = g_strdup_printf ("Hello Member %d, your appointment is on Friday at 10:00.", i);
      RelayStoreMessage *row = relay_delivery_new_row (relay_account_get_id (account), "Relay", to, text, FALSE);

      row->row = i + 2;
      g_ptr_array_add (rows, row);
    }

  g_print ("Sending %d messages, each its own text, to relay-sandbox --rate-limit %d (ideal %.1f s)\n",
           count, rate, (double) count / rate);
  loop = g_main_loop_new (NULL, FALSE);
  run.loop = loop;
  delivery = relay_delivery_new (client, store);
  g_signal_connect (delivery, "queued", G_CALLBACK (queued_cb), &run);
  g_signal_connect (delivery, "progress", G_CALLBACK (progress_cb), &run);
  cpu = cpu_seconds ();
  run.started_at = g_get_monotonic_time ();
  run.next_report = run.started_at + 10 * G_USEC_PER_SEC;
  relay_delivery_send_async (delivery, rows, NULL, done_cb, &run);
  g_main_loop_run (loop);
  seconds = (g_get_monotonic_time () - run.started_at) / 1e6;
  cpu = cpu_seconds () - cpu;
  done = relay_delivery_send_finish (delivery, run.result, &error);
  g_clear_object (&run.result);
  if (done == NULL)
    g_error ("The send failed: %s", error->message);

  g_subprocess_send_signal (sandbox, SIGTERM);
  g_subprocess_wait (sandbox, NULL, NULL);

  /* The log, by client-ref. */
  logged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!g_file_get_contents (log_path, &contents, NULL, &error))
    g_error ("%s", error->message);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = NULL;
      const char *ref;

      if (*lines[i] == '\0')
        continue;
      node = json_from_string (lines[i], NULL);
      ref = node != NULL ? json_object_get_string_member_with_default (json_node_get_object (node), "client-ref", NULL) : NULL;
      if (ref == NULL)
        strangers++;
      else if (!g_hash_table_insert (logged, g_strdup (ref), GUINT_TO_POINTER (1)))
        doubled++;
    }
  for (guint i = 0; i < done->len; i++)
    {
      RelayStoreMessage *row = done->pdata[i];

      if (row->state == RELAY_MESSAGE_STATE_SENT)
        {
          sent++;
          if (!g_hash_table_contains (logged, row->client_ref))
            lost++;
        }
      else
        other++;
    }

  ideal = (double) count / rate;
  g_print ("Total: %.2f s for %d messages (ideal %.1f s): %.3fx the ideal (target 1.02x)\n",
           seconds, count, ideal, seconds / ideal);
  g_print ("Queued every row in one transaction in %.2f s; CPU (this process) %.1f s\n",
           (run.queued_at - run.started_at) / 1e6, cpu);
  g_print ("Sent %u, other outcomes %u; sandbox log %u entries: lost %u, doubled %u, unknown %u\n",
           sent, other, g_hash_table_size (logged), lost, doubled, strangers);

  command = g_strdup_printf ("rm -rf %s", tmpdir);
  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);

  return (lost > 0 || doubled > 0 || other > 0) ? 1 : 0;
}
