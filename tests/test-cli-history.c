/* test-cli-history.c — relay-cli history, history export and outbox
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

typedef struct
{
  char *data_home;
  char *db;
} Fixture;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs relay-cli with the fixture's data folder and nothing else of the
 * user's: no keyring or network is needed for the history. */
static void
cli (Fixture    *f,
     Run        *run,
     const char *first,
     ...)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  va_list args;

  g_ptr_array_add (argv, (char *) g_getenv ("RELAY_CLI"));
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", f->data_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "C", TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *fixture = g_test_build_filename (G_TEST_DIST, "store", "relay-v1.db", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  f->data_home = g_dir_make_tmp ("relay-cli-history-XXXXXX", &error);
  g_assert_no_error (error);
  dir = g_build_filename (f->data_home, "relay", NULL);
  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  f->db = g_build_filename (dir, "relay.db", NULL);

  if (data != NULL)
    {
      g_assert_true (g_file_get_contents (fixture, &contents, &length, &error));
      g_assert_true (g_file_set_contents (f->db, contents, length, &error));
    }
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *dir = g_path_get_dirname (f->db);
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_remove (path);
    }
  g_rmdir (dir);
  g_rmdir (f->data_home);
  g_free (f->db);
  g_free (f->data_home);
}

static JsonArray *
parse_array (const char *text,
             JsonParser *parser)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));

  return json_node_get_array (root);
}

static void
test_history (Fixture       *f,
              gconstpointer  data)
{
  g_auto(Run) run = { 0, };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *rows;
  JsonObject *sent, *uncertain;

  cli (f, &run, "history", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "2\t"));
  g_assert_nonnull (strstr (run.out, "\tuncertain\t447700900002\t-\tFixture in flight\n"));
  g_assert_nonnull (strstr (run.out, "\tsent\t447700900001\t0.03330000 EUR\tFixture message\n"));
  run_clear (&run);

  cli (f, &run, "history", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  rows = parse_array (run.out, parser);
  g_assert_cmpuint (json_array_get_length (rows), ==, 2);
  uncertain = json_array_get_object_element (rows, 0);
  sent = json_array_get_object_element (rows, 1);
  g_assert_cmpint (json_object_get_int_member (sent, "id"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (sent, "account"), ==, "api:fixture@127.0.0.1");
  g_assert_cmpstr (json_object_get_string_member (sent, "from"), ==, "Relay");
  g_assert_cmpstr (json_object_get_string_member (sent, "to"), ==, "447700900001");
  g_assert_cmpstr (json_object_get_string_member (sent, "state"), ==, "sent");
  g_assert_cmpstr (json_object_get_string_member (sent, "price"), ==, "0.03330000");
  g_assert_cmpstr (json_object_get_string_member (sent, "currency"), ==, "EUR");
  g_assert_cmpint (json_object_get_int_member (sent, "status"), ==, 0);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (sent, "message_ids"), 0),
                   ==, "0C000000FIXTURE1");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (sent, "queued_at"), "Z"));
  g_assert_true (json_object_get_null_member (sent, "row"));
  g_assert_cmpstr (json_object_get_string_member (uncertain, "state"), ==, "uncertain");
  g_assert_true (json_object_get_null_member (uncertain, "sent_at"));
  g_assert_true (json_object_get_null_member (uncertain, "status"));
  run_clear (&run);

  cli (f, &run, "history", "--json", "--state", "sent", NULL);
  rows = parse_array (run.out, parser);
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  run_clear (&run);

  cli (f, &run, "history", "--json", "--search", "in flight", NULL);
  rows = parse_array (run.out, parser);
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 0), "to"),
                   ==, "447700900002");
  run_clear (&run);

  cli (f, &run, "history", "--json", "--limit", "1", NULL);
  rows = parse_array (run.out, parser);
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  run_clear (&run);

  cli (f, &run, "history", "--json", "--since", "2999-01-01T00:00:00Z", NULL);
  rows = parse_array (run.out, parser);
  g_assert_cmpuint (json_array_get_length (rows), ==, 0);
  run_clear (&run);

  cli (f, &run, "history", "--json", "--account", "api:other@127.0.0.1", NULL);
  rows = parse_array (run.out, parser);
  g_assert_cmpuint (json_array_get_length (rows), ==, 0);
}

static void
test_bad_input (Fixture       *f,
                gconstpointer  data)
{
  const char *cases[][4] = {
    { "history", "--state", "Sent", NULL },
    { "history", "--since", "last week", NULL },
    { "history", "--limit", "-1", NULL },
    { "history", "extra", NULL },
    { "history", "export", NULL },
    { "outbox", "forget", "1", NULL },
    { "outbox", "discard", NULL },
    { "outbox", "discard", "x1", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) run = { 0, };

      cli (f, &run, cases[i][0], cases[i][1], cases[i][2], cases[i][3], NULL);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_true (g_str_has_prefix (run.err, "relay-cli: "));
      g_assert_cmpuint (strchr (run.err, '\n') - run.err + 1, ==, strlen (run.err));
    }
}

static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  g_auto(Run) run = { 0, };
  g_autofree char *path = g_build_filename (f->data_home, "history.csv", NULL);
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;
  GStatBuf st;

  cli (f, &run, "history", "export", path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_get_contents (path, &csv, NULL, NULL));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 077, ==, 0);

  /* RFC 4180: CRLF records, a header row of the JSON fields, quoting. */
  lines = g_strsplit (csv, "\r\n", 0);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_cmpstr (lines[0], ==, "id,account,from,to,text,encoding,parts,client_ref,message_ids,price,"
                                 "currency,network,status,error,state,delivery,queued_at,sent_at,row");
  g_assert_true (g_str_has_prefix (lines[1], "2,api:fixture@127.0.0.1,Relay,447700900002,Fixture in flight,"));
  g_assert_nonnull (strstr (lines[1], ",\"Relay stopped while it was sending this message, so it may have been sent.\",uncertain,"));
  g_assert_nonnull (strstr (lines[2], ",0C000000FIXTURE1,0.03330000,EUR,23410,0,,sent,"));
  g_assert_cmpstr (lines[3], ==, "");
  g_remove (path);
  run_clear (&run);

  /* A folder that does not exist: a sentence, and nothing written. */
  cli (f, &run, "history", "export", "/nonexistent-relay-folder/x.csv", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (g_str_has_prefix (run.err, "relay-cli: Cannot write /nonexistent-relay-folder/x.csv"));
}

static void
test_outbox (Fixture       *f,
             gconstpointer  data)
{
  g_auto(Run) run = { 0, };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *rows;

  cli (f, &run, "outbox", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  rows = parse_array (run.out, parser);
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (rows, 0), "id"), ==, 2);
  run_clear (&run);

  /* The sent message is not in the outbox: nothing changes. */
  cli (f, &run, "outbox", "mark-sent", "2", "1", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "Message 1 is not in the outbox. Nothing was changed."));
  run_clear (&run);
  cli (f, &run, "history", "--json", "--state", "uncertain", NULL);
  rows = parse_array (run.out, parser);
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  run_clear (&run);

  /* Retry queues a copy with a new client-ref and prints its ID. */
  cli (f, &run, "outbox", "retry", "2", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "3\n");
  run_clear (&run);
  cli (f, &run, "outbox", "--json", NULL);
  rows = parse_array (run.out, parser);
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  {
    JsonObject *row = json_array_get_object_element (rows, 0);

    g_assert_cmpint (json_object_get_int_member (row, "id"), ==, 3);
    g_assert_cmpstr (json_object_get_string_member (row, "state"), ==, "queued");
    g_assert_cmpstr (json_object_get_string_member (row, "text"), ==, "Fixture in flight");
  }
  run_clear (&run);

  cli (f, &run, "outbox", "discard", "3", NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  cli (f, &run, "outbox", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, "The outbox is empty."));
  run_clear (&run);
  cli (f, &run, "history", "--json", "--state", "not-sent", NULL);
  rows = parse_array (run.out, parser);
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
}

static void
test_unreadable (Fixture       *f,
                 gconstpointer  data)
{
  g_auto(Run) run = { 0, };

  g_assert_true (g_file_set_contents (f->db, "this is not a database, not even close to one", -1, NULL));
  cli (f, &run, "history", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "is damaged"));
  g_assert_cmpstr (run.out, ==, "");
}

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  g_auto(Run) run = { 0, };

  cli (f, &run, "history", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "[]\n");
  g_assert_true (g_file_test (f->db, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("RELAY_CLI") == NULL)
    {
      g_printerr ("RELAY_CLI is not set; run this through meson test.\n");
      return 77;
    }

#define ADD(path, func, with_fixture) \
  g_test_add ("/relay/cli-history/" path, Fixture, with_fixture ? "v1" : NULL, \
              fixture_set_up, func, fixture_tear_down)
  ADD ("history", test_history, TRUE);
  ADD ("bad-input", test_bad_input, TRUE);
  ADD ("export", test_export, TRUE);
  ADD ("outbox", test_outbox, TRUE);
  ADD ("unreadable", test_unreadable, FALSE);
  ADD ("empty", test_empty, FALSE);
#undef ADD

  return g_test_run ();
}
