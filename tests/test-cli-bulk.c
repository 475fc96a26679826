/* test-cli-bulk.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * relay-cli send --csv FILE --template T against the relay-sandbox
 * binary over loopback, an account in the test keyring and a history in
 * a throwaway XDG_DATA_HOME: every row's outcome matches the sandbox's
 * --messages log by client-ref (none lost, none doubled), skipped rows
 * come with their line and reason, blocked numbers never reach the
 * sandbox, --dry-run and --max-cost queue nothing, --json streams, and
 * a send killed with SIGKILL completes with "resume" without duplicates.
 */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "relay-test-cli.h"
#include "relay-test-env.h"
#include "relay-test-messages.h"

typedef struct
{
  GSubprocess *sandbox;
  char        *rest_base;
  char        *tmpdir;
  char        *data_home;
  char        *log_path;
  char        *csv_path;
  char        *account_id;
} Fixture;

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* Starts the relay-sandbox binary with @extra options. */
static void
start_sandbox (Fixture            *fixture,
               const char * const *extra)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  g_ptr_array_add (argv, g_strdup (g_getenv ("RELAY_SANDBOX")));
  g_assert_nonnull (argv->pdata[0]);
  g_ptr_array_add (argv, g_strdup ("--port=0"));
  g_ptr_array_add (argv, g_strdup ("--balance=1000"));
  g_ptr_array_add (argv, g_strdup_printf ("--messages=%s", fixture->log_path));
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (extra[i]));
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  fixture->sandbox = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fixture->sandbox));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line, "Listening on http://127.0.0.1:"));
  fixture->rest_base = g_strndup (line + strlen ("Listening on "), strlen (line) - strlen ("Listening on ") - 1);
  fixture->account_id = relay_test_store_account (fixture->rest_base, RELAY_SANDBOX_DEFAULT_API_SECRET);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmpdir = g_dir_make_tmp ("relay-cli-bulk-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->data_home = g_build_filename (fixture->tmpdir, "data", NULL);
  fixture->log_path = g_build_filename (fixture->tmpdir, "messages.jsonl", NULL);
  fixture->csv_path = g_build_filename (fixture->tmpdir, "members.csv", NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf %s", fixture->tmpdir);

  if (fixture->account_id != NULL)
    relay_test_forget_account (fixture->account_id);
  if (fixture->sandbox != NULL)
    {
      g_subprocess_force_exit (fixture->sandbox);
      g_subprocess_wait (fixture->sandbox, NULL, NULL);
    }
  g_clear_object (&fixture->sandbox);
  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
  g_free (fixture->tmpdir);
  g_free (fixture->data_home);
  g_free (fixture->log_path);
  g_free (fixture->csv_path);
  g_free (fixture->rest_base);
  g_free (fixture->account_id);
}

static gboolean
need_keyring (void)
{
  const char *unsafe = relay_test_keyring_unsafe ();

  if (unsafe != NULL)
    {
      g_test_skip (unsafe);
      return FALSE;
    }

  return TRUE;
}

static GSubprocess *
spawn_cli (Fixture           *fixture,
           const char *const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", fixture->data_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "C", TRUE);

  return relay_test_cli_spawn (launcher, args);
}

static void
run_cli (Fixture           *fixture,
         RelayTestRun      *run,
         const char *const *args)
{
  g_autoptr(GSubprocess) process = spawn_cli (fixture, args);

  relay_test_cli_communicate (process, run);
}

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

static guint
history_length (Fixture *fixture)
{
  g_autoptr(JsonNode) history = read_history (fixture);

  return json_array_get_length (json_node_get_array (history));
}

static GPtrArray *
read_log (Fixture *fixture)
{
  return relay_test_messages_read_log (fixture->log_path);
}

static guint
log_length (Fixture *fixture)
{
  g_autoptr(GPtrArray) entries = read_log (fixture);

  return entries->len;
}

/* The log entry of @client_ref; fails when the log holds it twice. */
static JsonObject *
logged_once (GPtrArray  *entries,
             const char *client_ref)
{
  JsonObject *found = NULL;

  for (guint i = 0; i < entries->len; i++)
    {
      JsonObject *entry = json_node_get_object (entries->pdata[i]);

      if (g_strcmp0 (json_object_get_string_member_with_default (entry, "client-ref", NULL), client_ref) == 0)
        {
          g_assert_null (found);
          found = entry;
        }
    }

  return found;
}

static JsonObject *
element_of_row (JsonArray *messages,
                gint64     row)
{
  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      JsonObject *m = json_array_get_object_element (messages, i);

      if (json_object_get_int_member (m, "row") == row)
        return m;
    }

  return NULL;
}

#define MEMBERS \
  "name,phone,club\r\n" \
  "Ann,+44 7700 900001,Chess\r\n" \
  "Bob,07700 900002,Chess\r\n" \
  "Cy,12ab,Chess\r\n" \
  "Di,+447700900001,Chess\r\n" \
  "Ed,+447700900005,\r\n" \
  "\"Fay, Jr.\",+447700900006,\"Go, \"\"fast\"\"\"\r\n" \
  "Gus,+447700900007,Chess\r\n"

#define TEMPLATE "Hi {name}, {club} night is Friday"

static void
test_send (Fixture       *fixture,
           gconstpointer  data)
{
  g_auto(RelayTestRun) block = { 0 };
  g_auto(RelayTestRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) history = NULL;
  JsonArray *messages;
  const struct {
    gint64      row;
    const char *state;
    const char *to;
    const char *text;
    const char *error;
  } expected[] = {
    { 2, "sent", "447700900001", "Hi Ann, Chess night is Friday", NULL },
    { 3, "sent", "447700900002", "Hi Bob, Chess night is Friday", NULL },
    { 4, "not-sent", NULL, NULL, "“12ab” is not a phone number" },
    { 5, "not-sent", NULL, NULL, "duplicate of line 2" },
    { 6, "not-sent", NULL, NULL, "“{club}” is empty" },
    { 7, "sent", "447700900006", "Hi Fay, Jr., Go, \"fast\" night is Friday", NULL },
    { 8, "not-sent", NULL, NULL, "do-not-contact list" },
  };

  if (!need_keyring ())
    return;
  start_sandbox (fixture, (const char *const[]) { "--rate-limit=0", NULL });
  g_assert_true (g_file_set_contents (fixture->csv_path, MEMBERS, -1, &error));

  run_cli (fixture, &block, (const char *const[]) { "block", "+447700900007", NULL });
  g_assert_cmpint (block.status, ==, 0);

  run_cli (fixture, &run, (const char *const[]) { "send", "--csv", fixture->csv_path, "--template", TEMPLATE,
                                                  "--default-country", "44", "--json", NULL });
  g_test_message ("%s", run.err);
  g_assert_cmpint (run.status, ==, 0);
  root = json_from_string (run.out, &error);
  g_assert_no_error (error);
  messages = json_object_get_array_member (json_node_get_object (root), "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, G_N_ELEMENTS (expected));
  g_assert_nonnull (strstr (run.err, "Sent 3, failed 0, not sent 0, may have been sent 0, skipped 4; cost "));

  entries = read_log (fixture);
  g_assert_cmpuint (entries->len, ==, 3);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      JsonObject *m = element_of_row (messages, expected[i].row);

      g_assert_nonnull (m);
      g_assert_cmpstr (json_object_get_string_member (m, "state"), ==, expected[i].state);
      if (expected[i].error == NULL)
        {
          JsonObject *entry = logged_once (entries, json_object_get_string_member (m, "client_ref"));

          g_assert_nonnull (entry);
          g_assert_cmpstr (json_object_get_string_member (m, "to"), ==, expected[i].to);
          g_assert_cmpstr (json_object_get_string_member (entry, "to"), ==, expected[i].to);
          g_assert_cmpstr (json_object_get_string_member (entry, "text"), ==, expected[i].text);
          g_assert_cmpstr (json_object_get_string_member (m, "text"), ==, expected[i].text);
          g_assert_true (json_object_get_null_member (m, "error"));
        }
      else
        {
          g_test_message ("line %" G_GINT64_FORMAT ": %s", expected[i].row, json_object_get_string_member (m, "error"));
          g_assert_nonnull (strstr (json_object_get_string_member (m, "error"), expected[i].error));
        }
    }

  /* The blocked number never reached the sandbox. */
  for (guint i = 0; i < entries->len; i++)
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (entries->pdata[i]), "to"), !=, "447700900007");

  /* The history keeps the rows sent, each with its line. */
  history = read_history (fixture);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (history)), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *h = json_array_get_object_element (json_node_get_array (history), i);
      gint64 line = json_object_get_int_member (h, "row");

      g_assert_true (line == 2 || line == 3 || line == 7);
    }
}

/* Without --json: a line per row, the skipped ones with their line,
 * and the summary. */
static void
test_send_text (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(RelayTestRun) run = { 0 };
  g_autoptr(GError) error = NULL;

  if (!need_keyring ())
    return;
  start_sandbox (fixture, (const char *const[]) { "--rate-limit=0", NULL });
  g_assert_true (g_file_set_contents (fixture->csv_path, MEMBERS, -1, &error));

  run_cli (fixture, &run, (const char *const[]) { "send", "--csv", fixture->csv_path, "--template", TEMPLATE,
                                                  "--column", "phone", NULL });
  g_test_message ("%s\n%s", run.out, run.err);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "447700900001: sent in 1 part"));
  g_assert_nonnull (strstr (run.out, "Sent 3, failed 0, not sent 0, may have been sent 0, skipped 4; cost "));
  /* Without a default country the national number is skipped. */
  g_assert_nonnull (strstr (run.err, "Line 3: skipped: "));
  g_assert_nonnull (strstr (run.err, "Line 4: skipped: “12ab” is not a phone number"));
  g_assert_nonnull (strstr (run.err, "Line 6: skipped: The cell for “{club}” is empty"));
  g_assert_cmpuint (log_length (fixture), ==, 4 - 1);
}

/* Mistakes found before anything is queued. */
static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_auto(RelayTestRun) unknown = { 0 };
  g_auto(RelayTestRun) column = { 0 };
  g_auto(RelayTestRun) missing = { 0 };
  g_auto(RelayTestRun) both = { 0 };
  g_auto(RelayTestRun) cap = { 0 };
  g_auto(RelayTestRun) none = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *nowhere = g_build_filename (fixture->tmpdir, "nowhere.csv", NULL);

  if (!need_keyring ())
    return;
  start_sandbox (fixture, (const char *const[]) { "--rate-limit=0", NULL });
  g_assert_true (g_file_set_contents (fixture->csv_path, MEMBERS, -1, &error));

  run_cli (fixture, &unknown, (const char *const[]) { "send", "--csv", fixture->csv_path,
                                                      "--template", "Hi {nickname}", NULL });
  g_assert_cmpint (unknown.status, ==, 1);
  g_assert_nonnull (strstr (unknown.err, "{nickname}"));

  run_cli (fixture, &column, (const char *const[]) { "send", "--csv", fixture->csv_path, "--column", "mobile",
                                                     "--template", TEMPLATE, NULL });
  g_assert_cmpint (column.status, ==, 1);

  run_cli (fixture, &missing, (const char *const[]) { "send", "--csv", nowhere, "--template", TEMPLATE, NULL });
  g_assert_cmpint (missing.status, ==, 1);

  run_cli (fixture, &both, (const char *const[]) { "send", "--csv", fixture->csv_path, "--template", TEMPLATE,
                                                   "--text", "Hello", NULL });
  g_assert_cmpint (both.status, ==, 2);

  /* Three rows at 0.0333 each is above 0.05. */
  run_cli (fixture, &cap, (const char *const[]) { "send", "--csv", fixture->csv_path, "--template", TEMPLATE,
                                                  "--default-country", "44", "--max-cost", "0.05", NULL });
  g_test_message ("%s", cap.err);
  g_assert_cmpint (cap.status, ==, 1);
  g_assert_nonnull (strstr (cap.err, "above --max-cost"));

  /* Not one row to send to. */
  g_assert_true (g_file_set_contents (fixture->csv_path, "name,phone\nAnn,12ab\nBob,\n", -1, &error));
  run_cli (fixture, &none, (const char *const[]) { "send", "--csv", fixture->csv_path, "--template", "Hi {name}",
                                                   "--column", "phone", "--json", NULL });
  g_test_message ("%s", none.err);
  g_assert_cmpint (none.status, ==, 1);
  g_assert_nonnull (strstr (none.err, "No row of the list could be sent to"));
  {
    g_autoptr(JsonNode) root = json_from_string (none.out, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (root), "messages")), ==, 2);
  }

  g_assert_cmpuint (log_length (fixture), ==, 0);
  g_assert_cmpuint (history_length (fixture), ==, 0);
}

/* --dry-run and price --csv: the estimate, a row per recipient. */
static void
test_dry_run (Fixture       *fixture,
              gconstpointer  data)
{
  g_auto(RelayTestRun) dry = { 0 };
  g_auto(RelayTestRun) price = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) root2 = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *recipients;

  if (!need_keyring ())
    return;
  start_sandbox (fixture, (const char *const[]) { "--rate-limit=0", NULL });
  g_assert_true (g_file_set_contents (fixture->csv_path, MEMBERS, -1, &error));

  run_cli (fixture, &dry, (const char *const[]) { "send", "--csv", fixture->csv_path, "--template", TEMPLATE,
                                                  "--default-country", "44", "--dry-run", "--json", NULL });
  g_test_message ("%s", dry.err);
  g_assert_cmpint (dry.status, ==, 0);
  root = json_from_string (dry.out, &error);
  g_assert_no_error (error);
  recipients = json_object_get_array_member (json_node_get_object (root), "recipients");
  g_assert_cmpuint (json_array_get_length (recipients), ==, 4);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (recipients, 0), "row"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (recipients, 0), "to"), ==, "447700900001");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (recipients, 3), "row"), ==, 8);
  g_assert_nonnull (json_object_get_string_member (json_node_get_object (root), "max"));

  run_cli (fixture, &price, (const char *const[]) { "price", "--csv", fixture->csv_path, "--template", TEMPLATE,
                                                    "--default-country", "44", "--json", NULL });
  g_assert_cmpint (price.status, ==, 0);
  root2 = json_from_string (price.out, &error);
  g_assert_no_error (error);
  {
    JsonArray *priced = json_object_get_array_member (json_node_get_object (root2), "recipients");

    g_assert_cmpuint (json_array_get_length (priced), ==, 4);
    for (guint i = 0; i < 4; i++)
      g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (priced, i), "row"), ==,
                       json_object_get_int_member (json_array_get_object_element (recipients, i), "row"));
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root2), "max"), ==,
                     json_object_get_string_member (json_node_get_object (root), "max"));
  }

  g_assert_cmpuint (log_length (fixture), ==, 0);
  g_assert_cmpuint (history_length (fixture), ==, 0);
}

static void
write_list (Fixture *fixture,
            guint    n,
            guint    first)
{
  g_autoptr(GString) csv = g_string_new ("phone;first name\n");
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (csv, "+4477009%05u;Member %u\n", first + i, i);
  g_assert_true (g_file_set_contents (fixture->csv_path, csv->str, csv->len, &error));
}

typedef struct
{
  gboolean exited;
} Exit;

static void
exited_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Exit *exit = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  exit->exited = TRUE;
}

/* --json streams: the first row's element is out while the send goes
 * on, and the whole output is one JSON document. */
static void
test_stream (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GString) document = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  char *line;
  Exit exit = { FALSE };
  JsonArray *messages;

  if (!need_keyring ())
    return;
  /* Five a second, each answer a quarter second late: 20 rows take
   * seconds. */
  start_sandbox (fixture, (const char *const[]) { "--rate-limit=5", "--fault=/sms/json=slow:250", NULL });
  write_list (fixture, 20, 100);

  process = spawn_cli (fixture, (const char *const[]) { "send", "--csv", fixture->csv_path,
                                                        "--template", "Hello {first name}", "--json", NULL });
  g_subprocess_wait_async (process, NULL, exited_cb, &exit);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));

  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "{\"messages\": [");
  g_string_append (document, line);
  g_free (line);

  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_string_append (document, line);
  g_string_append_c (document, '\n');
  /* An element a line (a comma begins all but the first). */
  g_assert_false (g_str_has_prefix (line, ","));
  first = json_from_string (line, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (first), "state"), ==, "sent");
  g_free (line);
  /* Read while most rows are still to go. */
  while (g_main_context_iteration (NULL, FALSE));
  g_assert_false (exit.exited);
  entries = read_log (fixture);
  g_assert_cmpuint (entries->len, <, 20);
  g_clear_pointer (&entries, g_ptr_array_unref);

  while ((line = g_data_input_stream_read_line (out, NULL, NULL, &error)) != NULL)
    {
      g_string_append (document, line);
      g_free (line);
    }
  g_assert_no_error (error);
  while (!exit.exited)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);

  root = json_from_string (document->str, &error);
  g_assert_no_error (error);
  messages = json_object_get_array_member (json_node_get_object (root), "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 20);
  entries = read_log (fixture);
  g_assert_cmpuint (entries->len, ==, 20);
  for (guint i = 0; i < 20; i++)
    {
      JsonObject *m = element_of_row (messages, i + 2);
      g_autofree char *to = g_strdup_printf ("4477009%05u", 100 + i);
      g_autofree char *text = g_strdup_printf ("Hello Member %u", i);
      JsonObject *entry;

      g_assert_nonnull (m);
      g_assert_cmpstr (json_object_get_string_member (m, "to"), ==, to);
      entry = logged_once (entries, json_object_get_string_member (m, "client_ref"));
      g_assert_nonnull (entry);
      g_assert_cmpstr (json_object_get_string_member (entry, "text"), ==, text);
    }
}

/* Killed with SIGKILL in the middle, the list completes with resume:
 * no row lost, none sent twice, uncertain ones left for the user. */
static void
test_crash_resume (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonNode) history = NULL;
  g_autoptr(GHashTable) rows_seen = g_hash_table_new (NULL, NULL);
  g_auto(RelayTestRun) resume = { 0 };
  guint n = 120, sent = 0, uncertain = 0;
  Exit exit = { FALSE };
  JsonArray *rows;

  if (!need_keyring ())
    return;
  start_sandbox (fixture, (const char *const[]) { "--rate-limit=20", "--fault=/sms/json=slow:20", NULL });
  write_list (fixture, n, 500);

  process = spawn_cli (fixture, (const char *const[]) { "send", "--csv", fixture->csv_path,
                                                        "--template", "Reminder for {first name}", NULL });
  g_subprocess_communicate_utf8_async (process, NULL, NULL, NULL, NULL);
  g_subprocess_wait_async (process, NULL, exited_cb, &exit);
  /* Kill it once a handful went out. */
  while (!exit.exited)
    {
      g_autoptr(GPtrArray) now = read_log (fixture);

      if (now->len >= 10)
        {
          g_subprocess_send_signal (process, SIGKILL);
          break;
        }
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  while (!exit.exited)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_subprocess_get_if_signaled (process));
  g_assert_cmpuint (log_length (fixture), <, n);

  run_cli (fixture, &resume, (const char *const[]) { "resume", NULL });
  g_test_message ("resume: %d\n%s", resume.status, resume.err);
  g_assert_cmpint (resume.status, ==, 0);

  entries = read_log (fixture);
  history = read_history (fixture);
  rows = json_node_get_array (history);
  g_assert_cmpuint (json_array_get_length (rows), ==, n);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      const char *state = json_object_get_string_member (row, "state");
      JsonObject *entry = logged_once (entries, json_object_get_string_member (row, "client_ref"));
      gint64 line = json_object_get_int_member (row, "row");

      /* Each CSV line once, kept through the crash. */
      g_assert_cmpint (line, >=, 2);
      g_assert_cmpint (line, <=, n + 1);
      g_assert_false (g_hash_table_contains (rows_seen, GINT_TO_POINTER (line)));
      g_hash_table_add (rows_seen, GINT_TO_POINTER (line));

      if (g_str_equal (state, "sent"))
        {
          g_assert_nonnull (entry);
          sent++;
        }
      else
        {
          /* Killed between its request and the answer: never resent. */
          g_assert_cmpstr (state, ==, "uncertain");
          uncertain++;
        }
    }
  g_test_message ("sent %u, uncertain %u", sent, uncertain);
  g_assert_cmpuint (sent + uncertain, ==, n);
  /* Every accepted message is a row's, once: the sent ones and at most
   * the uncertain ones. */
  g_assert_cmpuint (entries->len, >=, sent);
  g_assert_cmpuint (entries->len, <=, sent + uncertain);
  for (guint i = 0; i < entries->len; i++)
    {
      const char *ref = json_object_get_string_member (json_node_get_object (entries->pdata[i]), "client-ref");
      gboolean found = FALSE;

      for (guint j = 0; j < n && !found; j++)
        found = g_strcmp0 (json_object_get_string_member (json_array_get_object_element (rows, j), "client_ref"), ref) == 0;
      g_assert_true (found);
    }
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/relay/cli-bulk/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("send", test_send);
  ADD ("send-text", test_send_text);
  ADD ("refused", test_refused);
  ADD ("dry-run", test_dry_run);
  ADD ("stream", test_stream);
  ADD ("crash-resume", test_crash_resume);

#undef ADD

  return g_test_run ();
}
