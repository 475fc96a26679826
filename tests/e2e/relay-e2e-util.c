/* relay-e2e-util.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "relay-e2e-util.h"
#include "../relay-test-env.h"

/* Only ever the test schema: clearing it cannot harm a user's items. */
static const SecretSchema credential_schema = {
  RELAY_TEST_SCHEMA_NAME, SECRET_SCHEMA_NONE,
  {
    { NULL, 0 },
  }
};

/* A child ends with the test, even when an assertion aborts it: a
 * leftover sandbox would hold meson's pipes open until the test timeout. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static GSubprocessLauncher *
new_launcher (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);

  return launcher;
}

static void
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

/**
 * relay_e2e_fixture_new:
 *
 * Makes a temporary folder and registers relay-test-browser.py as the
 * default http and https handler in a private XDG_DATA_HOME and
 * XDG_CONFIG_HOME, for this process and the processes it starts. Call it
 * before anything reads the XDG folders (before g_test_init and gtk_init):
 * GLib caches them on first use.
 */
RelayE2eFixture *
relay_e2e_fixture_new (void)
{
  RelayE2eFixture *fixture = NULL;
  g_autofree char *data_home = NULL;
  g_autofree char *config_home = NULL;
  g_autofree char *applications = NULL;
  g_autofree char *desktop = NULL;
  g_autofree char *entry = NULL;
  g_autoptr(GError) error = NULL;
  const char *builddir;

  /* What these tests cannot run without makes the program one SKIP. */
  relay_test_require_keyring ();
  {
    const char *chromium = g_getenv ("RELAY_TEST_CHROMIUM");
    const char *driver = g_getenv ("RELAY_TEST_CHROMEDRIVER");

    if (!g_file_test (chromium != NULL ? chromium : "/usr/bin/chromium", G_FILE_TEST_IS_EXECUTABLE) ||
        !g_file_test (driver != NULL ? driver : "/usr/bin/chromedriver", G_FILE_TEST_IS_EXECUTABLE))
      relay_test_skip_all ("chromium or chromedriver is not installed (apt-get install chromium chromium-driver)");
  }

  fixture = g_new0 (RelayE2eFixture, 1);
  fixture->tmpdir = g_dir_make_tmp ("relay-e2e-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->browser_log = g_build_filename (fixture->tmpdir, "browser.log", NULL);
  fixture->messages = g_build_filename (fixture->tmpdir, "messages.jsonl", NULL);

  /* G_TEST_BUILDDIR is build/tests; the entry is configured in build/tests/e2e */
  builddir = g_getenv ("G_TEST_BUILDDIR");
  g_assert_nonnull (builddir);
  desktop = g_build_filename (builddir, "e2e", "relay-test-browser.desktop", NULL);
  g_file_get_contents (desktop, &entry, NULL, &error);
  g_assert_no_error (error);

  data_home = g_build_filename (fixture->tmpdir, "data", NULL);
  config_home = g_build_filename (fixture->tmpdir, "config", NULL);
  applications = g_build_filename (data_home, "applications", NULL);
  write_file (applications, "relay-test-browser.desktop", entry);
  write_file (config_home, "mimeapps.list",
              "[Default Applications]\n"
              "x-scheme-handler/http=relay-test-browser.desktop\n"
              "x-scheme-handler/https=relay-test-browser.desktop\n");

  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  g_setenv ("RELAY_TEST_BROWSER_LOG", fixture->browser_log, TRUE);

  return fixture;
}

static void
remove_tree (GFile *dir)
{
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;
  GFile *child;

  children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL &&
         g_file_enumerator_iterate (children, &info, &child, NULL, NULL) &&
         info != NULL)
    {
      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        remove_tree (child);
      else
        g_file_delete (child, NULL, NULL);
    }
  g_file_delete (dir, NULL, NULL);
}

/* @keep_files: keep the folder (logs, messages) for debugging a failure */
void
relay_e2e_fixture_free (RelayE2eFixture *fixture,
                        gboolean         keep_files)
{
  g_autoptr(GFile) dir = NULL;

  if (fixture->sandbox != NULL)
    {
      g_subprocess_send_signal (fixture->sandbox, SIGTERM);
      g_subprocess_wait (fixture->sandbox, NULL, NULL);
      g_clear_object (&fixture->sandbox);
    }

  if (!keep_files)
    {
      dir = g_file_new_for_path (fixture->tmpdir);
      remove_tree (dir);
    }
  else
    g_printerr ("kept %s for debugging\n", fixture->tmpdir);

  g_free (fixture->tmpdir);
  g_free (fixture->browser_log);
  g_free (fixture->messages);
  g_free (fixture->sandbox_url);
  g_free (fixture);
}

/**
 * relay_e2e_fixture_start_sandbox:
 *
 * Unless it is already running, starts $RELAY_SANDBOX with `--messages` in the fixture's folder and the
 * @extra_args (a %NULL-terminated array, or %NULL), and reads its first
 * line for the URL.
 */
void
relay_e2e_fixture_start_sandbox (RelayE2eFixture    *fixture,
                                 const char * const *extra_args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = new_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *err_path = g_build_filename (fixture->tmpdir, "sandbox.err", NULL);
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  const char *sandbox = g_getenv ("RELAY_SANDBOX");
  const char *prefix = "Listening on ";

  g_assert_nonnull (sandbox);
  if (fixture->sandbox != NULL)
    return;  /* one sandbox serves all the tests of a program */

  g_ptr_array_add (argv, (char *) sandbox);
  g_ptr_array_add (argv, (char *) "--messages");
  g_ptr_array_add (argv, fixture->messages);
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) extra_args[i]);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_set_stderr_file_path (launcher, err_path);
  fixture->sandbox = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                                   &error);
  g_assert_no_error (error);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fixture->sandbox));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, prefix));
  fixture->sandbox_url = g_strdup (line + strlen (prefix));
  g_assert_true (g_str_has_prefix (fixture->sandbox_url, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (fixture->sandbox_url, "/"));
  g_test_message ("sandbox at %s", fixture->sandbox_url);
}

/* @path without a leading slash, e.g. "oauth/" */
char *
relay_e2e_fixture_endpoint (RelayE2eFixture *fixture,
                            const char      *path)
{
  g_assert_nonnull (fixture->sandbox_url);
  return g_strconcat (fixture->sandbox_url, path, NULL);
}

typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} Waiter;

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Waiter *waiter = user_data;

  waiter->result = g_object_ref (result);
  waiter->done = TRUE;
}

static gboolean
waiter_done (gpointer data)
{
  return ((Waiter *) data)->done;
}

static gboolean
e2e_poll_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
e2e_timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/**
 * relay_e2e_wait_until:
 *
 * Iterates the default main context until @check returns %TRUE or
 * @timeout_seconds pass.
 *
 * Returns: %FALSE on timeout
 */
gboolean
relay_e2e_wait_until (GSourceFunc check,
                      gpointer    data,
                      guint       timeout_seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (timeout_seconds, e2e_timeout_cb, &timed_out);
  /* Some checks look at other processes and files, which wake no main
   * loop: look again every 20 ms (a poll interval, not a delay). */
  guint poll = g_timeout_add (20, e2e_poll_cb, NULL);

  while (!check (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);
  g_source_remove (poll);

  return check (data);
}

/**
 * relay_e2e_run:
 *
 * Runs @argv with @extra_env ("NAME=VALUE" strings, or %NULL) added to
 * the environment and @input on its standard input, iterating the default
 * main context meanwhile, and kills it after @timeout_seconds.
 *
 * Returns: %TRUE when it exited with status 0
 */
gboolean
relay_e2e_run (const char * const  *argv,
               const char * const  *extra_env,
               const char          *input,
               char               **out_stdout,
               char               **out_stderr,
               guint                timeout_seconds)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  Waiter waiter = { FALSE, NULL };
  gboolean ok;

  launcher = new_launcher (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                          G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                          G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (guint i = 0; extra_env != NULL && extra_env[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (extra_env[i], "=", 2);

      g_assert_nonnull (pair[1]);
      g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8_async (process, input, NULL, communicate_cb, &waiter);
  if (!relay_e2e_wait_until (waiter_done, &waiter, timeout_seconds))
    {
      g_test_message ("%s %s did not finish in %u s", argv[0], argv[1], timeout_seconds);
      g_subprocess_force_exit (process);
      relay_e2e_wait_until (waiter_done, &waiter, 10);
    }

  g_subprocess_communicate_utf8_finish (process, waiter.result, &out, &err, &error);
  g_clear_object (&waiter.result);
  g_assert_no_error (error);

  ok = g_subprocess_get_if_exited (process) && g_subprocess_get_exit_status (process) == 0;
  {
    /* the test log gets no URL query: "Open: …?oauth_token=…" */
    g_autoptr(GRegex) query = g_regex_new ("\\?\\S*", 0, 0, NULL);
    g_autofree char *shown_out = g_regex_replace_literal (query, out, -1, 0, "?…", 0, NULL);
    g_autofree char *shown_err = g_regex_replace_literal (query, err, -1, 0, "?…", 0, NULL);

    g_test_message ("%s %s exited %s; stdout: %s; stderr: %s", argv[0], argv[1],
                    ok ? "successfully" : "with failure", shown_out, shown_err);
  }

  if (out_stdout != NULL)
    *out_stdout = g_steal_pointer (&out);
  if (out_stderr != NULL)
    *out_stderr = g_steal_pointer (&err);

  return ok;
}

static gboolean
browser_finished (gpointer data)
{
  RelayE2eFixture *fixture = data;
  g_autofree char *log = NULL;

  return g_file_get_contents (fixture->browser_log, &log, NULL, NULL) &&
         strstr (log, "] done: ") != NULL;
}

static gboolean
process_gone (gpointer data)
{
  g_autofree char *stat_path = g_strdup_printf ("/proc/%s/stat", (const char *) data);
  g_autofree char *stat = NULL;
  const char *state;

  if (!g_file_get_contents (stat_path, &stat, NULL, NULL))
    return TRUE;

  /* "pid (comm) S …": a zombie (Z) has ended; only its parent can reap it */
  state = strrchr (stat, ')');
  return state != NULL && state[1] == ' ' && state[2] == 'Z';
}

static void
assert_pids_gone (const char *log,
                  const char *marker)
{
  for (const char *p = strstr (log, marker); p != NULL; p = strstr (p + 1, marker))
    {
      g_autofree char *pid = g_strndup (p + strlen (marker),
                                        strspn (p + strlen (marker), "0123456789"));

      if (!relay_e2e_wait_until (process_gone, pid, 20))
        g_error ("process %s (%s) is still running", pid, marker);
    }
}

/**
 * relay_e2e_wait_browser:
 *
 * Waits until relay-test-browser.py has finished, asserts that it reached
 * the callback page, that it and chromedriver (with its chromium) are
 * gone, and that its log holds no token.
 */
void
relay_e2e_wait_browser (RelayE2eFixture *fixture,
                        guint            timeout_seconds)
{
  g_autofree char *log = NULL;

  if (!relay_e2e_wait_until (browser_finished, fixture, timeout_seconds))
    {
      g_file_get_contents (fixture->browser_log, &log, NULL, NULL);
      g_error ("the test browser did not finish in %u s; its log: %s",
               timeout_seconds, log ? log : "(none: it was never launched)");
    }

  g_file_get_contents (fixture->browser_log, &log, NULL, NULL);
  g_test_message ("browser log:\n%s", log);
  /* the next run starts a fresh log */
  {
    g_autofree char *kept = g_strdup_printf ("%s.%u", fixture->browser_log, ++fixture->browser_runs);
    g_assert_cmpint (g_rename (fixture->browser_log, kept), ==, 0);
  }
  g_assert_nonnull (strstr (log, "] clicked #"));
  g_assert_nonnull (strstr (log, "callback page shown"));
  g_assert_nonnull (strstr (log, "] done: ok"));
  g_assert_null (strstr (log, "oauth_token"));
  g_assert_null (strstr (log, "oauth_verifier"));
  g_assert_null (strstr (log, RELAY_E2E_SANDBOX_SECRET));

  /* no process left behind: the script itself, chromedriver and its group */
  assert_pids_gone (log, "chromedriver pid ");
  for (const char *p = strchr (log, '['); p != NULL; p = strchr (p + 1, '['))
    {
      g_autofree char *pid = g_strndup (p + 1, strspn (p + 1, "0123456789"));

      if (*pid != '\0' && !relay_e2e_wait_until (process_gone, pid, 20))
        g_error ("the test browser (pid %s) is still running", pid);
    }
}

/**
 * relay_e2e_count_messages:
 *
 * Returns: how many lines of the sandbox's --messages file are a message
 *   to @to with exactly @text
 */
guint
relay_e2e_count_messages (RelayE2eFixture *fixture,
                          const char      *to,
                          const char      *text)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  guint count = 0;

  if (!g_file_get_contents (fixture->messages, &contents, NULL, NULL))
    return 0;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonObject *object;

      if (*lines[i] == '\0')
        continue;

      json_parser_load_from_data (parser, lines[i], -1, &error);
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
      object = json_node_get_object (json_parser_get_root (parser));

      if (g_strcmp0 (json_object_get_string_member_with_default (object, "to", ""), to) == 0 &&
          g_strcmp0 (json_object_get_string_member_with_default (object, "text", ""), text) == 0)
        count++;
    }

  return count;
}

/**
 * relay_e2e_count_keyring_items:
 *
 * Returns: how many Relay credential items in the keyring are OAuth
 *   accounts (attribute kind=oauth) with attribute key=@consumer_key and a
 *   non-empty secret. The secret itself is never printed.
 */
guint
relay_e2e_count_keyring_items (const char *consumer_key)
{
  g_autoptr(GError) error = NULL;
  GList *items;
  guint count = 0;

  items = secret_password_search_sync (&credential_schema,
                                       SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK |
                                       SECRET_SEARCH_LOAD_SECRETS,
                                       NULL, &error, NULL);
  g_assert_no_error (error);

  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (l->data);
      g_autoptr(SecretValue) value = NULL;
      const char *text;

      if (g_strcmp0 (g_hash_table_lookup (attributes, "kind"), "oauth") != 0 ||
          g_strcmp0 (g_hash_table_lookup (attributes, "key"), consumer_key) != 0)
        continue;

      value = secret_retrievable_retrieve_secret_sync (l->data, NULL, &error);
      g_assert_no_error (error);
      text = value != NULL ? secret_value_get_text (value) : NULL;
      if (text != NULL && *text != '\0')
        count++;
    }
  g_list_free_full (items, g_object_unref);

  return count;
}

/* Removes every Relay credential, so that each test starts signed out. */
void
relay_e2e_clear_keyring (void)
{
  g_autoptr(GError) error = NULL;

  secret_password_clear_sync (&credential_schema, NULL, &error, NULL);
  if (error != NULL)
    g_error ("The e2e tests need a D-Bus session with an unlocked Secret Service "
             "(gnome-keyring; see tests/e2e/README.md): %s", error->message);
}
