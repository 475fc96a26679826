/* test-cli-outbox.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The outbox as relay-cli uses it: a send killed with SIGKILL at many
 * moments and resumed each time loses no message and sends none twice;
 * a full history fails a send before anything leaves; a corrupt history
 * file does not stop a send. An account in the real keyring of the
 * test's D-Bus session, the in-process sandbox over loopback, and a
 * history in a throwaway XDG_DATA_HOME.
 */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>

#include "relay-credential-store.h"
#include "relay-nexmo-client.h"
#include "relay-sandbox-server.h"
#include "relay-store.h"
#include "relay-test-cli.h"
#include "relay-test-env.h"
#include "relay-test-messages.h"

#define N_RECIPIENTS 200
#define N_KILLS      50

typedef struct
{
  RelaySandboxServer *sandbox;
  char               *rest_base;
  char               *tmpdir;
  char               *data_home;
  char               *log_path;
  char               *account_id;
  char               *config_home;  /* set: relay-cli reads its settings from a key file there */
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;

  fixture->tmpdir = g_dir_make_tmp ("relay-cli-outbox-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->data_home = g_build_filename (fixture->tmpdir, "data", NULL);
  g_assert_cmpint (g_mkdir (fixture->data_home, 0700), ==, 0);
  fixture->log_path = g_build_filename (fixture->tmpdir, "messages.jsonl", NULL);

  fixture->sandbox = relay_sandbox_server_new ();
  relay_sandbox_server_set_messages_path (fixture->sandbox, fixture->log_path);
  relay_sandbox_server_set_rate_limit (fixture->sandbox, 0);
  relay_sandbox_server_set_balance (fixture->sandbox, 1000.0);
  relay_sandbox_server_listen (fixture->sandbox, 0, &error);
  g_assert_no_error (error);
  base = relay_sandbox_server_get_base_uri (fixture->sandbox);
  fixture->rest_base = g_strndup (base, strlen (base) - 1);

  fixture->account_id = relay_test_store_account (fixture->rest_base, RELAY_SANDBOX_DEFAULT_API_SECRET);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *command = NULL;

  relay_test_forget_account (fixture->account_id);
  g_assert_finalize_object (fixture->sandbox);

  command = g_strdup_printf ("rm -rf %s", fixture->tmpdir);
  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
  g_free (fixture->tmpdir);
  g_free (fixture->data_home);
  g_free (fixture->log_path);
  g_free (fixture->rest_base);
  g_free (fixture->account_id);
  g_free (fixture->config_home);
}

static GSubprocess *
spawn_cli (Fixture           *fixture,
           const char *const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", fixture->data_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "C", TRUE);
  if (fixture->config_home != NULL)
    {
      g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
      g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", fixture->config_home, TRUE);
    }

  return relay_test_cli_spawn (launcher, args);
}

/* Runs relay-cli with @args to its end while the main loop serves the
 * sandbox. */
static void
run_cli (Fixture           *fixture,
         RelayTestRun      *run,
         const char *const *args)
{
  g_autoptr(GSubprocess) process = spawn_cli (fixture, args);

  relay_test_cli_communicate (process, run);
}

static const char *const *
send_args (guint         n,
           const char   *first,
           GPtrArray   **keep)
{
  GPtrArray *args = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (args, g_strdup ("send"));
  /* As fast as resume's default pace: a send spread over seconds, so
   * that kills chosen by the count of accepted messages land inside it
   * even when this test is slow to notice the count. */
  g_ptr_array_add (args, g_strdup ("--rate"));
  g_ptr_array_add (args, g_strdup ("30"));
  g_ptr_array_add (args, g_strdup ("--text"));
  g_ptr_array_add (args, g_strdup ("Crash safety"));
  for (guint i = 0; i < n; i++)
    {
      g_ptr_array_add (args, g_strdup ("--to"));
      g_ptr_array_add (args, g_strdup_printf ("%s%03u", first, i));
    }
  g_ptr_array_add (args, NULL);
  *keep = args;

  return (const char *const *) args->pdata;
}

/* The whole history, as relay-cli history --json prints it. */
static JsonNode *
read_history (Fixture *fixture)
{
  g_auto(RelayTestRun) run = { 0 };
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  run_cli (fixture, &run, (const char *const[]) { "history", "--json", NULL });
  g_assert_cmpint (run.status, ==, 0);
  root = json_from_string (run.out, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));

  return root;
}

typedef struct
{
  RelaySandboxServer *sandbox;
  guint               target;
  guint               offset_ms;
  gint64              reached_at;
  gboolean            exited;
} KillWatch;

static void
exited_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  KillWatch *watch = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  watch->exited = TRUE;
}

/* Starts @args and kills it with SIGKILL once the sandbox has accepted
 * @target messages in all, plus @offset_ms; or lets it end by itself
 * first. Returns whether it was killed. The offset is no assertion on
 * time: it only spreads the moments of the kills. */
static gboolean
run_and_kill (Fixture           *fixture,
              const char *const *args,
              guint              target,
              guint              offset_ms)
{
  g_autoptr(GSubprocess) process = spawn_cli (fixture, args);
  KillWatch watch = { fixture->sandbox, target, offset_ms, 0, FALSE };
  gboolean killed = FALSE;

  /* Nobody reads its output: keep the pipes from filling. */
  g_subprocess_communicate_utf8_async (process, NULL, NULL, NULL, NULL);
  g_subprocess_wait_async (process, NULL, exited_cb, &watch);

  while (!watch.exited)
    {
      if (relay_sandbox_server_get_message_count (fixture->sandbox) >= target)
        {
          if (watch.reached_at == 0)
            watch.reached_at = g_get_monotonic_time ();
          if (g_get_monotonic_time () - watch.reached_at >= (gint64) offset_ms * 1000)
            {
              g_subprocess_force_exit (process);
              killed = TRUE;
              break;
            }
        }
      g_main_context_iteration (NULL, FALSE);
      if (!watch.exited)
        g_usleep (200);
    }

  while (!watch.exited)
    g_main_context_iteration (NULL, TRUE);

  if (killed)
    {
      /* It died of the signal, not by itself. */
      killed = g_subprocess_get_if_signaled (process);
      if (killed)
        g_assert_cmpint (g_subprocess_get_term_sig (process), ==, SIGKILL);
    }

  return killed;
}

static void
test_crash_resume (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) keep = NULL;
  g_autoptr(GRand) rand = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GHashTable) logged = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) recipients = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonNode) history = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(RelayTestRun) final = { 0 };
  g_auto(RelayTestRun) outbox = { 0 };
  const char *const *args;
  guint32 seed = (guint32) g_test_rand_int ();
  guint killed = 0;
  gboolean queued = FALSE;
  guint sends = 0;
  guint counts[RELAY_MESSAGE_STATE_LAST + 1] = { 0, };
  JsonArray *rows;

  g_test_message ("seed %u", seed);
  rand = g_rand_new_with_seed (seed);

  /* Answers late enough that kills land between the request and its
   * answer, too. */
  g_assert_true (relay_sandbox_server_add_fault (fixture->sandbox, "/sms/json=slow:15", &error));
  g_assert_no_error (error);

  args = send_args (N_RECIPIENTS, "447700911", &keep);
  for (guint i = 0; i < N_KILLS; i++)
    {
      const char *const resume[] = { "resume", NULL };
      guint count = relay_sandbox_server_get_message_count (fixture->sandbox);
      /* The moment, by state: a few more accepted messages (or none),
       * then a small random offset. */
      guint target = count + (guint) g_rand_int_range (rand, 0, 4);
      guint offset = (guint) g_rand_int_range (rand, 0, 8);

      killed += run_and_kill (fixture, queued ? resume : args, target, offset);
      sends += !queued;

      /* Killed before its rows were queued (one transaction), the send
       * sent nothing and is run again. */
      if (!queued)
        {
          g_autoptr(JsonNode) rows_now = read_history (fixture);

          queued = json_array_get_length (json_node_get_array (rows_now)) > 0;
          if (!queued)
            g_assert_cmpuint (relay_sandbox_server_get_message_count (fixture->sandbox), ==, 0);
          else
            g_assert_cmpuint (json_array_get_length (json_node_get_array (rows_now)), ==, N_RECIPIENTS);
        }
    }
  g_test_message ("%u of %u runs were killed (%u of them sends); %u messages accepted before the last resume",
                  killed, N_KILLS, sends, relay_sandbox_server_get_message_count (fixture->sandbox));
  /* Each run goes on sending while the kill is on its way (more of
   * them on a loaded machine or under ASan), so the last runs may find
   * the outbox empty and end by themselves; the test only needs enough
   * kills in the middle of sending. */
  g_assert_cmpuint (killed, >=, N_KILLS / 4);

  /* A resume that completes sends what is left. */
  run_cli (fixture, &final, (const char *const[]) { "resume", "--json", NULL });
  g_test_message ("final resume: %d\n%s", final.status, final.err);
  g_assert_cmpint (final.status, ==, 0);
  if (*final.out != '\0')
    {
      g_autoptr(JsonNode) root = json_from_string (final.out, &error);
      JsonArray *messages;

      g_assert_no_error (error);
      messages = json_object_get_array_member (json_node_get_object (root), "messages");
      g_test_message ("the final resume sent %u", json_array_get_length (messages));
      for (guint i = 0; i < json_array_get_length (messages); i++)
        {
          JsonObject *message = json_array_get_object_element (messages, i);

          g_assert_cmpstr (json_object_get_string_member (message, "state"), ==, "sent");
          g_assert_cmpint (json_object_get_int_member (message, "id"), >, 0);
        }
    }

  /* The log: no client-ref twice. */
  entries = relay_test_messages_read_log (fixture->log_path);
  for (guint i = 0; i < entries->len; i++)
    {
      JsonObject *entry = json_node_get_object (entries->pdata[i]);
      const char *ref = json_object_get_string_member_with_default (entry, "client-ref", NULL);

      g_assert_nonnull (ref);
      g_assert_false (g_hash_table_contains (logged, ref));
      g_hash_table_insert (logged, (gpointer) ref, entry);
    }

  /* The history: one row per recipient; sent exactly once, or listed as
   * uncertain or not sent. */
  history = read_history (fixture);
  rows = json_node_get_array (history);
  g_assert_cmpuint (json_array_get_length (rows), ==, N_RECIPIENTS);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      const char *to = json_object_get_string_member (row, "to");
      const char *ref = json_object_get_string_member (row, "client_ref");
      JsonObject *entry = g_hash_table_lookup (logged, ref);
      RelayMessageState state;

      g_assert_true (relay_message_state_from_string (json_object_get_string_member (row, "state"), &state));
      g_assert_false (g_hash_table_contains (recipients, to));
      g_hash_table_add (recipients, (gpointer) to);
      counts[state]++;

      switch (state)
        {
        case RELAY_MESSAGE_STATE_SENT:
          g_assert_nonnull (entry);
          g_assert_cmpstr (json_object_get_string_member (entry, "to"), ==, to);
          g_assert_cmpstr (json_object_get_string_member (entry, "message-id"), ==,
                           json_array_get_string_element (json_object_get_array_member (row, "message_ids"), 0));
          break;

        case RELAY_MESSAGE_STATE_UNCERTAIN:
          /* At most once: the log has each client-ref once at most. */
          break;

        case RELAY_MESSAGE_STATE_NOT_SENT:
          g_assert_null (entry);
          break;

        case RELAY_MESSAGE_STATE_QUEUED:
        case RELAY_MESSAGE_STATE_SENDING:
        case RELAY_MESSAGE_STATE_FAILED:
        default:
          g_error ("%s (%s) ended %s", to, ref, relay_message_state_to_string (state));
        }
    }
  g_test_message ("sent %u, uncertain %u, not sent %u", counts[RELAY_MESSAGE_STATE_SENT],
                  counts[RELAY_MESSAGE_STATE_UNCERTAIN], counts[RELAY_MESSAGE_STATE_NOT_SENT]);
  g_assert_cmpuint (counts[RELAY_MESSAGE_STATE_SENT], >, 0);

  /* Every accepted message belongs to a row. */
  for (guint i = 0; i < entries->len; i++)
    {
      JsonObject *entry = json_node_get_object (entries->pdata[i]);
      gboolean found = FALSE;

      for (guint j = 0; j < json_array_get_length (rows) && !found; j++)
        found = g_strcmp0 (json_object_get_string_member (json_array_get_object_element (rows, j), "client_ref"),
                           json_object_get_string_member (entry, "client-ref")) == 0;
      g_assert_true (found);
    }

  /* Nothing is left to resume; the uncertain rows wait for the user. */
  run_cli (fixture, &outbox, (const char *const[]) { "resume", NULL });
  g_assert_cmpint (outbox.status, ==, 0);
  g_assert_cmpstr (outbox.out, ==, "");
  g_assert_true (g_str_has_prefix (outbox.err, "Nothing to resume"));
}

static void
test_send_json_rows (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) keep = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) history = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *const *base = send_args (3, "447700912", &keep);
  g_auto(RelayTestRun) run = { 0 };
  JsonArray *messages;

  for (guint i = 0; base[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) base[i]);
  g_ptr_array_add (args, (gpointer) "--json");
  g_ptr_array_add (args, NULL);

  run_cli (fixture, &run, (const char *const *) args->pdata);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  root = json_from_string (run.out, &error);
  g_assert_no_error (error);
  messages = json_object_get_array_member (json_node_get_object (root), "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 3);

  /* Each element is that recipient's history row, as history prints it. */
  history = read_history (fixture);
  entries = relay_test_messages_read_log (fixture->log_path);
  g_assert_cmpuint (entries->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *message = json_array_get_object_element (messages, i);
      g_autofree char *to = g_strdup_printf ("447700912%03u", i);
      gboolean found = FALSE;

      g_assert_cmpstr (json_object_get_string_member (message, "to"), ==, to);
      g_assert_cmpstr (json_object_get_string_member (message, "state"), ==, "sent");
      g_assert_cmpstr (json_object_get_string_member (message, "account"), ==, fixture->account_id);
      g_assert_cmpstr (json_object_get_string_member (message, "encoding"), ==, "GSM-7");
      g_assert_true (json_node_is_null (json_object_get_member (message, "currency")));
      g_assert_nonnull (json_object_get_string_member (message, "sent_at"));
      for (guint j = 0; j < json_array_get_length (json_node_get_array (history)); j++)
        {
          JsonObject *row = json_array_get_object_element (json_node_get_array (history), j);

          if (json_object_get_int_member (row, "id") != json_object_get_int_member (message, "id"))
            continue;
          found = TRUE;
          g_assert_true (json_node_equal (json_object_get_member (row, "client_ref"),
                                          json_object_get_member (message, "client_ref")));
          g_assert_true (json_node_equal (json_object_get_member (row, "message_ids"),
                                          json_object_get_member (message, "message_ids")));
          g_assert_true (json_node_equal (json_object_get_member (row, "price"),
                                          json_object_get_member (message, "price")));
          g_assert_true (json_node_equal (json_object_get_member (row, "state"),
                                          json_object_get_member (message, "state")));
        }
      g_assert_true (found);
    }
}

static void
test_corrupt_history (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *dir = g_build_filename (fixture->data_home, "relay", NULL);
  g_autofree char *path = g_build_filename (dir, "relay.db", NULL);
  g_autofree char *garbage = g_strnfill (8192, 'x');
  g_autoptr(GPtrArray) keep = NULL;
  g_auto(RelayTestRun) run = { 0 };
  g_auto(RelayTestRun) resume = { 0 };
  g_auto(GStrv) lines = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, garbage, -1, NULL));

  run_cli (fixture, &run, send_args (2, "447700913", &keep));
  g_test_message ("%s", run.err);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpuint (relay_sandbox_server_get_message_count (fixture->sandbox), ==, 2);
  g_assert_nonnull (strstr (run.out, "447700913000: sent in 1 part"));
  /* Said once, in one sentence. */
  lines = g_strsplit (run.err, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_assert_true (g_str_has_prefix (lines[0], "relay-cli: History is off: "));

  /* The file is left as it was, for the user to look at. */
  {
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, garbage);
  }

  /* resume needs the history: it says so and fails. */
  run_cli (fixture, &resume, (const char *const[]) { "resume", NULL });
  g_assert_cmpint (resume.status, ==, 1);
  g_assert_true (g_str_has_prefix (resume.err, "relay-cli: "));
}

/* "Keep history" off (the window's preference, in the settings relay-cli
 * shares with it): send stores nothing, says so once, and still sends. */
static void
test_keep_history_off (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *settings_dir = NULL;
  g_autofree char *keyfile = NULL;
  g_autofree char *db = g_build_filename (fixture->data_home, "relay", "relay.db", NULL);
  g_autoptr(GPtrArray) keep = NULL;
  g_autoptr(GPtrArray) keep2 = NULL;
  g_auto(RelayTestRun) run = { 0 };
  g_auto(RelayTestRun) on = { 0 };
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonNode) history = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;

  /* relay-cli reads the preference only where the schema is compiled. */
  if (g_settings_schema_source_get_default () != NULL)
    schema = g_settings_schema_source_lookup (g_settings_schema_source_get_default (),
                                              "io.github.relaysms.Relay", TRUE);
  if (schema == NULL)
    {
      g_test_skip ("the settings schema is not compiled (GSETTINGS_SCHEMA_DIR)");
      return;
    }

  fixture->config_home = g_build_filename (fixture->tmpdir, "config", NULL);
  settings_dir = g_build_filename (fixture->config_home, "glib-2.0", "settings", NULL);
  keyfile = g_build_filename (settings_dir, "keyfile", NULL);
  g_assert_cmpint (g_mkdir_with_parents (settings_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (keyfile, "[io/github/relaysms/Relay]\nkeep-history=false\n", -1, NULL));

  run_cli (fixture, &run, send_args (3, "447700916", &keep));
  g_test_message ("%s", run.err);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpuint (relay_sandbox_server_get_message_count (fixture->sandbox), ==, 3);
  g_assert_nonnull (strstr (run.out, "447700916002: sent in 1 part"));
  lines = g_strsplit (run.err, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_assert_true (g_str_has_prefix (lines[0], "relay-cli: History is off"));
  /* Nothing was stored: not even the file was made. */
  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));

  /* Back on: the next send is recorded (the control case). */
  g_assert_true (g_file_set_contents (keyfile, "[io/github/relaysms/Relay]\nkeep-history=true\n", -1, NULL));
  run_cli (fixture, &on, send_args (2, "447700917", &keep2));
  g_assert_cmpint (on.status, ==, 0);
  g_assert_cmpstr (on.err, ==, "");
  history = read_history (fixture);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (history)), ==, 2);
}

static void
test_nothing_to_resume (Fixture       *fixture,
                        gconstpointer  data)
{
  g_auto(RelayTestRun) run = { 0 };
  g_auto(RelayTestRun) usage = { 0 };

  run_cli (fixture, &run, (const char *const[]) { "resume", "--json", NULL });
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_cmpstr (run.err, ==, "Nothing to resume: no message is waiting to be sent.\n");

  run_cli (fixture, &usage, (const char *const[]) { "resume", "now", NULL });
  g_assert_cmpint (usage.status, ==, 2);
  g_assert_cmpuint (relay_sandbox_server_get_message_count (fixture->sandbox), ==, 0);
}

static void
test_resume_groups (Fixture       *fixture,
                    gconstpointer  data)
{
  g_auto(RelayTestRun) first = { 0 };
  g_auto(RelayTestRun) second = { 0 };
  g_auto(RelayTestRun) retry = { 0 };
  g_auto(RelayTestRun) resume = { 0 };
  g_auto(RelayTestRun) again = { 0 };
  g_autoptr(JsonNode) history = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) retry_args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GHashTable) texts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  JsonArray *rows;
  JsonArray *messages;

  /* Three messages with no readable answer, in two texts: uncertain,
   * then queued again by the user's retry. */
  g_assert_true (relay_sandbox_server_add_fault (fixture->sandbox, "/sms/json=non-json@3", &error));
  g_assert_no_error (error);
  run_cli (fixture, &first, (const char *const[]) { "send", "--to", "447700916000", "--to", "447700916001",
                                                    "--text", "First text", NULL });
  g_assert_cmpint (first.status, ==, 1);
  run_cli (fixture, &second, (const char *const[]) { "send", "--to", "447700916002",
                                                     "--text", "Second text", NULL });
  g_assert_cmpint (second.status, ==, 1);

  history = read_history (fixture);
  rows = json_node_get_array (history);
  g_assert_cmpuint (json_array_get_length (rows), ==, 3);
  g_ptr_array_add (retry_args, g_strdup ("outbox"));
  g_ptr_array_add (retry_args, g_strdup ("retry"));
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);

      g_assert_cmpstr (json_object_get_string_member (row, "state"), ==, "uncertain");
      g_ptr_array_add (retry_args, g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (row, "id")));
    }
  g_ptr_array_add (retry_args, NULL);
  run_cli (fixture, &retry, (const char *const *) retry_args->pdata);
  g_assert_cmpint (retry.status, ==, 0);

  /* resume sends both texts, each row with its own new client-ref. */
  run_cli (fixture, &resume, (const char *const[]) { "resume", "--json", "--account", fixture->account_id, NULL });
  g_test_message ("%s", resume.err);
  g_assert_cmpint (resume.status, ==, 0);
  g_assert_cmpstr (resume.err, ==, "");
  root = json_from_string (resume.out, &error);
  g_assert_no_error (error);
  messages = json_object_get_array_member (json_node_get_object (root), "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 3);
  entries = relay_test_messages_read_log (fixture->log_path);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *message = json_array_get_object_element (messages, i);
      const char *ref = json_object_get_string_member (message, "client_ref");
      guint logged = 0;

      g_assert_cmpstr (json_object_get_string_member (message, "state"), ==, "sent");
      g_hash_table_add (texts, (gpointer) json_object_get_string_member (message, "text"));
      for (guint j = 0; j < 3; j++)
        g_assert_cmpstr (ref, !=, json_object_get_string_member (json_array_get_object_element (rows, j),
                                                                 "client_ref"));
      for (guint j = 0; j < entries->len; j++)
        {
          JsonObject *entry = json_node_get_object (entries->pdata[j]);

          if (g_strcmp0 (json_object_get_string_member (entry, "client-ref"), ref) == 0)
            {
              logged++;
              g_assert_cmpstr (json_object_get_string_member (entry, "text"), ==,
                               json_object_get_string_member (message, "text"));
            }
        }
      g_assert_cmpuint (logged, ==, 1);
    }
  g_assert_cmpuint (g_hash_table_size (texts), ==, 2);

  run_cli (fixture, &again, (const char *const[]) { "resume", NULL });
  g_assert_cmpint (again.status, ==, 0);
  g_assert_true (g_str_has_prefix (again.err, "Nothing to resume"));
}

/* The gate as the outbox uses it, with a history that is full: a
 * recipient whose row cannot become sending is not sent, and nothing of
 * it reaches the provider. */
typedef struct
{
  RelayStore *store;
  GHashTable *ids;   /* client-ref → row id */
} GateData;

static void
begin_send_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (relay_store_begin_send_finish (RELAY_STORE (object), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
  g_object_unref (task);
}

static void
gate_cb (RelayNexmoClient     *client,
         const RelaySmsResult *recipient,
         GTask                *task,
         gpointer              user_data)
{
  GateData *gate = user_data;
  gint64 id = *(gint64 *) g_hash_table_lookup (gate->ids, recipient->client_ref);

  relay_store_begin_send_async (gate->store, id, NULL, begin_send_cb, task);
}

static void
test_full_gate (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->tmpdir, "full.db", NULL);
  g_autoptr(RelayStore) store = relay_store_new (path);
  g_autoptr(RelayProvider) provider = relay_provider_new (NULL, fixture->rest_base);
  g_autoptr(RelayAccount) account = relay_account_new_api_key (provider, RELAY_SANDBOX_DEFAULT_API_KEY);
  g_autoptr(RelayNexmoClient) client = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_store_message_free);
  g_autoptr(GPtrArray) to = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) refs = g_ptr_array_new ();
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GAsyncResult) opened = NULL;
  g_autoptr(GAsyncResult) queued = NULL;
  g_autoptr(GAsyncResult) capped = NULL;
  g_autoptr(GAsyncResult) sent = NULL;
  g_autoptr(GError) error = NULL;
  const char *text = "Full";
  GateData gate = { store, ids };
  guint full = 0;

  relay_store_open_async (store, NULL, relay_test_result_cb, &opened);
  g_assert_true (relay_store_open_finish (store, relay_test_wait_result (&opened), &error));
  g_assert_no_error (error);

  /* Enough rows that their state index fills several pages. */
  for (guint i = 0; i < 1500; i++)
    {
      RelayStoreMessage *row = relay_store_message_new (relay_account_get_id (account), "Relay",
                                                        NULL, text);

      row->recipient = g_strdup_printf ("44770091%04u", i);
      row->encoding = g_strdup ("GSM-7");
      row->parts = 1;
      g_ptr_array_add (rows, row);
    }
  relay_store_enqueue_async (store, rows, NULL, relay_test_result_cb, &queued);
  g_assert_true (relay_store_enqueue_finish (store, relay_test_wait_result (&queued), &error));
  g_assert_no_error (error);

  /* No page more: every write that needs one fails with FULL. */
  relay_store_set_max_pages_async (store, 1, NULL, relay_test_result_cb, &capped);
  g_assert_true (relay_store_set_max_pages_finish (store, relay_test_wait_result (&capped), &error));
  g_assert_no_error (error);

  for (guint i = 0; i < rows->len; i++)
    {
      RelayStoreMessage *row = rows->pdata[i];

      g_ptr_array_add (to, g_strdup (row->recipient));
      g_ptr_array_add (refs, row->client_ref);
      g_hash_table_insert (ids, row->client_ref, g_memdup2 (&row->id, sizeof row->id));
    }
  g_ptr_array_add (to, NULL);
  g_ptr_array_add (refs, NULL);

  relay_account_set_secret (account, RELAY_SANDBOX_DEFAULT_API_SECRET);
  client = relay_nexmo_client_new (account);
  relay_nexmo_client_set_rate (client, 0);
  relay_nexmo_client_set_gate (client, gate_cb, &gate, NULL);
  relay_nexmo_client_send_refs_async (client, "Relay", (const char *const *) to->pdata,
                                      (const char *const *) refs->pdata, text,
                                      RELAY_NEXMO_SEND_NONE, NULL, relay_test_result_cb, &sent);
  results = relay_nexmo_client_send_finish (client, relay_test_wait_result (&sent), &error);
  g_assert_no_error (error);

  /* Each row that becomes sending moves its entry of the state index
   * to the last page: sooner or later that needs a page the cap
   * refuses. */
  entries = relay_test_messages_read_log (fixture->log_path);
  for (guint i = 0; i < results->len; i++)
    {
      RelaySmsResult *result = results->pdata[i];
      gboolean logged = FALSE;

      g_assert_cmpstr (result->client_ref, ==, refs->pdata[i]);
      for (guint j = 0; j < entries->len && !logged; j++)
        logged = g_strcmp0 (json_object_get_string_member (json_node_get_object (entries->pdata[j]), "client-ref"),
                            result->client_ref) == 0;

      if (g_error_matches (result->error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_FULL))
        {
          g_assert_cmpint (result->state, ==, RELAY_SMS_STATE_NOT_SENT);
          g_assert_cmpuint (result->attempts, ==, 0);
          g_assert_false (logged);
          full++;
        }
      else
        {
          if (result->error != NULL)
            g_test_message ("%s: %s", result->to, result->error->message);
          g_assert_cmpint (result->state, ==, RELAY_SMS_STATE_SENT);
          g_assert_true (logged);
        }
    }
  g_test_message ("%u of %u refused by the full history", full, results->len);
  g_assert_cmpuint (full, >, 0);
}

static void
test_gate_none (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(RelayProvider) provider = relay_provider_new (NULL, fixture->rest_base);
  g_autoptr(RelayAccount) account = relay_account_new_api_key (provider, RELAY_SANDBOX_DEFAULT_API_KEY);
  g_autoptr(RelayNexmoClient) client = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GAsyncResult) sent = NULL;
  g_autoptr(GError) error = NULL;
  const char *to[] = { "447700915000", "447700915001", NULL };
  const char *refs[] = { "relay-test-ref-a", "relay-test-ref-b", NULL };

  /* Without a gate, the caller's client-refs go out as given. */
  relay_account_set_secret (account, RELAY_SANDBOX_DEFAULT_API_SECRET);
  client = relay_nexmo_client_new (account);
  relay_nexmo_client_send_refs_async (client, "Relay", to, refs, "Refs", RELAY_NEXMO_SEND_NONE,
                                      NULL, relay_test_result_cb, &sent);
  results = relay_nexmo_client_send_finish (client, relay_test_wait_result (&sent), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      RelaySmsResult *result = results->pdata[i];

      g_assert_cmpint (result->state, ==, RELAY_SMS_STATE_SENT);
      g_assert_cmpstr (result->client_ref, ==, refs[i]);
    }
  {
    g_autoptr(GPtrArray) entries = relay_test_messages_read_log (fixture->log_path);

    g_assert_cmpuint (entries->len, ==, 2);
    for (guint i = 0; i < 2; i++)
      {
        JsonObject *entry = json_node_get_object (entries->pdata[i]);
        guint k = g_str_equal (json_object_get_string_member (entry, "to"), to[0]) ? 0 : 1;

        g_assert_cmpstr (json_object_get_string_member (entry, "to"), ==, to[k]);
        g_assert_cmpstr (json_object_get_string_member (entry, "client-ref"), ==, refs[k]);
      }
  }
}

/* A gate that answers from an idle, counts its calls per client-ref,
 * and may stop the send while a recipient waits at it. */
typedef struct
{
  GHashTable   *calls;
  GCancellable *stop;
  guint         stop_at;
  guint         total;
} CountingGate;

static gboolean
counting_gate_pass_cb (gpointer user_data)
{
  GTask *task = user_data;

  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static void
counting_gate_cb (RelayNexmoClient     *client,
                  const RelaySmsResult *recipient,
                  GTask                *task,
                  gpointer              user_data)
{
  CountingGate *gate = user_data;
  guint calls = GPOINTER_TO_UINT (g_hash_table_lookup (gate->calls, recipient->client_ref));

  /* Nothing of the recipient has been tried before its gate. */
  g_assert_cmpuint (recipient->attempts, ==, 0);
  g_hash_table_replace (gate->calls, g_strdup (recipient->client_ref), GUINT_TO_POINTER (calls + 1));
  if (++gate->total == gate->stop_at)
    g_cancellable_cancel (gate->stop);
  g_idle_add (counting_gate_pass_cb, task);
}

static void
test_gate_once (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(RelayProvider) provider = relay_provider_new (NULL, fixture->rest_base);
  g_autoptr(RelayAccount) account = relay_account_new_api_key (provider, RELAY_SANDBOX_DEFAULT_API_KEY);
  g_autoptr(RelayNexmoClient) client = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GAsyncResult) sent = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) calls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *to[] = { "447700917000", "447700917001", "447700917002", NULL };
  CountingGate gate = { calls, NULL, 0, 0 };
  guint retried = 0;

  /* The first two requests are throttled and sent again: the gate is
   * passed once per recipient all the same. */
  g_assert_true (relay_sandbox_server_add_fault (fixture->sandbox, "/sms/json=http-429:0@2", &error));
  g_assert_no_error (error);
  relay_account_set_secret (account, RELAY_SANDBOX_DEFAULT_API_SECRET);
  client = relay_nexmo_client_new (account);
  relay_nexmo_client_set_gate (client, counting_gate_cb, &gate, NULL);
  relay_nexmo_client_send_async (client, "Relay", to, "Once", NULL, relay_test_result_cb, &sent);
  results = relay_nexmo_client_send_finish (client, relay_test_wait_result (&sent), &error);
  g_assert_no_error (error);

  for (guint i = 0; i < results->len; i++)
    {
      RelaySmsResult *result = results->pdata[i];

      g_assert_cmpint (result->state, ==, RELAY_SMS_STATE_SENT);
      g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (calls, result->client_ref)), ==, 1);
      retried += result->attempts > 1;
    }
  g_assert_cmpuint (retried, >, 0);
  entries = relay_test_messages_read_log (fixture->log_path);
  g_assert_cmpuint (entries->len, ==, 3);
}

static void
progress_copy_cb (RelayNexmoClient *client,
                  gpointer          result,
                  guint             done,
                  guint             total,
                  GPtrArray        *outcomes)
{
  g_ptr_array_add (outcomes, relay_sms_result_copy (result));
}

static void
test_gate_stop (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(RelayProvider) provider = relay_provider_new (NULL, fixture->rest_base);
  g_autoptr(RelayAccount) account = relay_account_new_api_key (provider, RELAY_SANDBOX_DEFAULT_API_KEY);
  g_autoptr(RelayNexmoClient) client = NULL;
  g_autoptr(GCancellable) stop = g_cancellable_new ();
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) outcomes = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_sms_result_free);
  g_autoptr(GAsyncResult) sent = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) calls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) results = NULL;
  const char *to[] = { "447700918000", "447700918001", "447700918002", "447700918003", NULL };
  CountingGate gate = { calls, stop, 1, 0 };
  guint not_sent = 0;

  /* Stopped while the first recipient waits at its gate: nothing of it
   * is written, and it ends not sent like those never tried. */
  relay_account_set_secret (account, RELAY_SANDBOX_DEFAULT_API_SECRET);
  client = relay_nexmo_client_new (account);
  relay_nexmo_client_set_rate (client, 1);
  relay_nexmo_client_set_gate (client, counting_gate_cb, &gate, NULL);
  g_signal_connect (client, "progress", G_CALLBACK (progress_copy_cb), outcomes);
  relay_nexmo_client_send_async (client, "Relay", to, "Stop", stop, relay_test_result_cb, &sent);
  results = relay_nexmo_client_send_finish (client, relay_test_wait_result (&sent), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (results);

  g_assert_cmpuint (outcomes->len, ==, 4);
  for (guint i = 0; i < outcomes->len; i++)
    {
      RelaySmsResult *result = outcomes->pdata[i];

      g_assert_cmpint (result->state, ==, RELAY_SMS_STATE_NOT_SENT);
      g_assert_cmpuint (result->attempts, ==, 0);
      not_sent++;
    }
  g_assert_cmpuint (not_sent, ==, 4);
  g_assert_cmpuint (gate.total, ==, 1);
  entries = relay_test_messages_read_log (fixture->log_path);
  g_assert_cmpuint (entries->len, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  relay_test_require_keyring ();
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/relay/cli-outbox/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("gate-none", test_gate_none);
  ADD ("full-gate", test_full_gate);
  ADD ("gate-once", test_gate_once);
  ADD ("gate-stop", test_gate_stop);
  ADD ("keep-history-off", test_keep_history_off);
  ADD ("nothing-to-resume", test_nothing_to_resume);
  ADD ("send-json-rows", test_send_json_rows);
  ADD ("corrupt-history", test_corrupt_history);
  ADD ("resume-groups", test_resume_groups);
  ADD ("crash-resume", test_crash_resume);

#undef ADD

  return g_test_run ();
}
