/* test-cli-login.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * relay-cli login | accounts | logout as a script uses them: against a
 * relay-sandbox process, with the session keyring, secrets on stdin.
 */

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "relay-sandbox-server.h"
#include "relay-test-env.h"

typedef struct
{
  GSubprocess *sandbox;
  char        *base;
  char        *oauth_base;
  char        *rest_base;
} Fixture;

typedef struct
{
  GSubprocess      *process;
  GOutputStream    *stdin_pipe;
  GDataInputStream *stdout_lines;
} Cli;

static const char *
cli_path (void)
{
  const char *path = g_getenv ("RELAY_CLI");

  g_assert_nonnull (path);
  return path;
}

/* The sandbox must not outlive a failed test. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
fixture_start (Fixture            *f,
               const char * const *extra)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  g_ptr_array_add (argv, (gpointer) g_getenv ("RELAY_SANDBOX"));
  g_assert_nonnull (argv->pdata[0]);
  g_ptr_array_add (argv, "--port=0");
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) extra[i]);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  f->sandbox = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (f->sandbox));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line, "Listening on http://127.0.0.1:"));
  f->base = g_strdup (line + strlen ("Listening on "));
  f->oauth_base = g_strconcat (f->base, "oauth/", NULL);
  f->rest_base = g_strndup (f->base, strlen (f->base) - 1);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  fixture_start (f, data);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->sandbox != NULL)
    {
      g_subprocess_force_exit (f->sandbox);
      g_subprocess_wait (f->sandbox, NULL, NULL);
    }
  g_clear_object (&f->sandbox);
  g_clear_pointer (&f->base, g_free);
  g_clear_pointer (&f->oauth_base, g_free);
  g_clear_pointer (&f->rest_base, g_free);
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

static Cli *
cli_spawn (GSubprocessLauncher *launcher,
           const char          *first,
           ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) own = NULL;
  g_autoptr(GError) error = NULL;
  Cli *cli = g_new0 (Cli, 1);
  const char *arg;
  va_list args;

  if (launcher == NULL)
    launcher = own = g_subprocess_launcher_new (0);
  g_subprocess_launcher_set_flags (launcher, G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                             G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                             G_SUBPROCESS_FLAGS_STDERR_PIPE);

  g_ptr_array_add (argv, (gpointer) cli_path ());
  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  cli->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  cli->stdin_pipe = g_subprocess_get_stdin_pipe (cli->process);
  cli->stdout_lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (cli->process));

  return cli;
}

static void
cli_write (Cli        *cli,
           const char *text)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (cli->stdin_pipe, text, strlen (text), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_flush (cli->stdin_pipe, NULL, NULL);
}

/* Reads stdout up to the "Open: " line and returns the URL. */
static char *
cli_read_open (Cli *cli)
{
  g_autoptr(GError) error = NULL;
  char *line;

  while ((line = g_data_input_stream_read_line (cli->stdout_lines, NULL, NULL, &error)) != NULL)
    {
      if (g_str_has_prefix (line, "Open: "))
        {
          char *url = g_strdup (line + strlen ("Open: "));

          g_free (line);
          return url;
        }
      g_free (line);
    }

  g_assert_no_error (error);
  g_assert_not_reached ();
}

/* Closes stdin, waits, and returns the exit status with the rest of
 * stdout and all of stderr. */
static int
cli_finish (Cli   *cli,
            char **out,
            char **err)
{
  g_autoptr(GString) rest = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) err_bytes = NULL;
  g_autoptr(GInputStream) err_stream = NULL;
  char *line;
  int status;

  g_output_stream_close (cli->stdin_pipe, NULL, NULL);
  while ((line = g_data_input_stream_read_line (cli->stdout_lines, NULL, NULL, &error)) != NULL)
    {
      g_string_append_printf (rest, "%s\n", line);
      g_free (line);
    }
  g_assert_no_error (error);

  err_stream = g_object_ref (g_subprocess_get_stderr_pipe (cli->process));
  err_bytes = g_input_stream_read_bytes (err_stream, 65536, NULL, &error);
  g_assert_no_error (error);

  g_subprocess_wait (cli->process, NULL, &error);
  g_assert_no_error (error);
  status = g_subprocess_get_exit_status (cli->process);

  *out = g_string_free (g_steal_pointer (&rest), FALSE);
  *err = g_strndup (g_bytes_get_data (err_bytes, NULL), g_bytes_get_size (err_bytes));

  g_object_unref (cli->stdout_lines);
  g_object_unref (cli->process);
  g_free (cli);

  return status;
}

/* Runs relay-cli with @input on stdin and nothing else to do. */
static int
run (char       **out,
     char       **err,
     const char  *input,
     const char  *first,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) cli_path ());
  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input != NULL ? input : "", NULL, out, err, &error);
  g_assert_no_error (error);

  return g_subprocess_get_exit_status (process);
}

static char *
fetch (const char *url,
       guint      *status)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  if (status != NULL)
    *status = soup_message_get_status (message);

  return g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

static void
assert_one_sentence (const char *err)
{
  g_assert_true (g_str_has_prefix (err, "relay-cli: "));
  g_assert_true (g_str_has_suffix (err, "\n"));
  g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);
}

static void
assert_no_accounts (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run (&out, &err, NULL, "accounts", "--json", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "[]\n");
}

static void
test_oauth_callback (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *url = NULL;
  g_autofree char *page = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *id = NULL;
  Cli *cli;
  guint status;

  if (!need_keyring ())
    return;

  cli = cli_spawn (NULL, "login", "--oauth-base", f->oauth_base, "--rest-base", f->rest_base,
                   "--consumer-key", RELAY_SANDBOX_DEFAULT_CONSUMER_KEY, "--no-browser", NULL);
  cli_write (cli, RELAY_SANDBOX_DEFAULT_CONSUMER_SECRET "\n");
  url = cli_read_open (cli);
  g_assert_true (g_str_has_prefix (url, f->oauth_base));

  /* The browser: the sandbox approves and redirects to the listener. */
  page = fetch (url, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (strstr (page, "close this tab"));

  g_assert_cmpint (cli_finish (cli, &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, "Signed in\n");
  g_assert_null (strstr (err, RELAY_SANDBOX_DEFAULT_CONSUMER_SECRET));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (&out, &err, NULL, "accounts", NULL), ==, 0);
  id = g_strdup_printf ("oauth:%s@%s", RELAY_SANDBOX_DEFAULT_CONSUMER_KEY, f->rest_base + strlen ("http://"));
  g_assert_true (g_str_has_prefix (out, id));
  g_assert_null (strstr (out, "secret"));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (&out, &err, NULL, "accounts", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"kind\":\"oauth\""));
  g_assert_null (strstr (out, "secret\""));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (&out, &err, NULL, "logout", "--consumer-key", RELAY_SANDBOX_DEFAULT_CONSUMER_KEY,
                        "--oauth-base", f->oauth_base, NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "Signed out"));
  assert_no_accounts ();

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (&out, &err, NULL, "logout", NULL), ==, 1);
  assert_one_sentence (err);
}

static void
test_oob (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *url = NULL;
  g_autofree char *page = NULL;
  g_autofree char *line = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *start;
  Cli *cli;

  if (!need_keyring ())
    return;

  cli = cli_spawn (NULL, "login", "--oauth-base", f->oauth_base, "--rest-base", f->rest_base,
                   "--consumer-key", RELAY_SANDBOX_DEFAULT_CONSUMER_KEY, "--no-browser", "--oob", NULL);
  cli_write (cli, RELAY_SANDBOX_DEFAULT_CONSUMER_SECRET "\n");
  url = cli_read_open (cli);
  page = fetch (url, NULL);
  start = strstr (page, "<code id=\"verifier\">");
  g_assert_nonnull (start);
  start += strlen ("<code id=\"verifier\">");
  line = g_strdup_printf ("%.*s\n", (int) (strchr (start, '<') - start), start);
  cli_write (cli, line);

  g_assert_cmpint (cli_finish (cli, &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, "Signed in\n");

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (&out, &err, NULL, "logout", NULL), ==, 0);
  assert_no_accounts ();
}

static void
test_legacy (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *url = NULL;
  g_autofree char *page = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  Cli *cli;

  if (!need_keyring ())
    return;

  cli = cli_spawn (NULL, "login", "--oauth-base", f->oauth_base, "--rest-base", f->rest_base,
                   "--consumer-key", RELAY_SANDBOX_DEFAULT_CONSUMER_KEY, "--no-browser", "--legacy", NULL);
  cli_write (cli, RELAY_SANDBOX_DEFAULT_CONSUMER_SECRET "\n");
  url = cli_read_open (cli);
  page = fetch (url, NULL);
  g_assert_nonnull (strstr (page, "authorized"));
  cli_write (cli, "\n");

  g_assert_cmpint (cli_finish (cli, &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, "Signed in\n");

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (&out, &err, NULL, "logout", NULL), ==, 0);
}

static void
test_denied (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *url = NULL;
  g_autofree char *page = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  Cli *cli;

  if (!need_keyring ())
    return;

  cli = cli_spawn (NULL, "login", "--oauth-base", f->oauth_base, "--rest-base", f->rest_base,
                   "--consumer-key", RELAY_SANDBOX_DEFAULT_CONSUMER_KEY, "--no-browser", NULL);
  cli_write (cli, RELAY_SANDBOX_DEFAULT_CONSUMER_SECRET "\n");
  url = cli_read_open (cli);
  page = fetch (url, NULL);

  g_assert_cmpint (cli_finish (cli, &out, &err), ==, 1);
  g_assert_cmpstr (out, ==, "");
  assert_one_sentence (err);
  g_assert_nonnull (strstr (err, "denied"));
  assert_no_accounts ();
}

static void
test_listener_timeout (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (!need_keyring ())
    return;

  g_assert_cmpint (run (&out, &err, RELAY_SANDBOX_DEFAULT_CONSUMER_SECRET "\n", "login",
                        "--oauth-base", f->oauth_base, "--rest-base", f->rest_base,
                        "--consumer-key", RELAY_SANDBOX_DEFAULT_CONSUMER_KEY, "--no-browser",
                        "--timeout", "1", NULL), ==, 1);
  g_assert_true (g_str_has_prefix (out, "Open: "));
  assert_one_sentence (err);
  g_assert_nonnull (strstr (err, "in time"));
  assert_no_accounts ();
}

static void
test_api_key (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (!need_keyring ())
    return;

  /* A wrong secret is refused by the provider and not stored. */
  g_assert_cmpint (run (&out, &err, "wrong-secret\n", "login", "--api-key", RELAY_SANDBOX_DEFAULT_API_KEY,
                        "--rest-base", f->rest_base, NULL), ==, 1);
  assert_one_sentence (err);
  g_assert_null (strstr (err, "wrong-secret"));
  assert_no_accounts ();

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (&out, &err, RELAY_SANDBOX_DEFAULT_API_SECRET "\n", "login",
                        "--api-key", RELAY_SANDBOX_DEFAULT_API_KEY, "--rest-base", f->rest_base, NULL), ==, 0);
  g_assert_cmpstr (out, ==, "Signed in\n");

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (&out, &err, NULL, "accounts", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"kind\":\"api\""));
  g_assert_null (strstr (out, RELAY_SANDBOX_DEFAULT_API_SECRET));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (&out, &err, NULL, "logout", NULL), ==, 0);
  assert_no_accounts ();
}

/* A secret longer than the line buffer is refused whole, never cut and
 * tried: one sentence, nothing stored, nothing of it echoed. */
static void
test_long_secret (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *secret = g_strnfill (5000, 's');
  g_autofree char *input = g_strconcat (secret, "\n", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (!need_keyring ())
    return;

  g_assert_cmpint (run (&out, &err, input, "login", "--api-key", RELAY_SANDBOX_DEFAULT_API_KEY,
                        "--rest-base", f->rest_base, NULL), ==, 1);
  g_assert_cmpstr (out, ==, "");
  assert_one_sentence (err);
  g_assert_nonnull (strstr (err, "longer than 4095 bytes"));
  g_assert_null (strstr (err, "sss"));
  assert_no_accounts ();

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (&out, &err, input, "login", "--oauth-base", f->oauth_base, "--rest-base", f->rest_base,
                        "--consumer-key", RELAY_SANDBOX_DEFAULT_CONSUMER_KEY, "--no-browser", NULL), ==, 1);
  g_assert_cmpstr (out, ==, "");
  assert_one_sentence (err);
  g_assert_nonnull (strstr (err, "longer than 4095 bytes"));
  assert_no_accounts ();
}

static void
test_failures (Fixture       *f,
               gconstpointer  data)
{
  static const char *const usage[][8] = {
    { "login", NULL },
    { "login", "--consumer-key", "k", "--api-key", "a", NULL },
    { "login", "--consumer-key", "k", "--oob", "--legacy", NULL },
    { "login", "--api-key", "a", "--oob", NULL },
    { "login", "--consumer-key", "k", "--oauth-base", "http://example.com/oauth/", NULL },
    { "login", "--consumer-key", "k", "stray", NULL },
    { "logout", "--oauth-base", "http://127.0.0.1:1/", NULL },
    { "accounts", "extra", NULL },
    { "login", "--api-key", "a", "--signature-method", "sha384", NULL },
    { "login", "--consumer-key", "k", "--signature-method", "md5", NULL },
  };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (usage); i++)
    {
      g_autoptr(GPtrArray) argv = g_ptr_array_new ();
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GError) error = NULL;

      g_ptr_array_add (argv, (gpointer) cli_path ());
      for (guint j = 0; usage[i][j] != NULL; j++)
        g_ptr_array_add (argv, (gpointer) usage[i][j]);
      g_ptr_array_add (argv, NULL);

      process = g_subprocess_newv ((const char * const *) argv->pdata,
                                   G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                   G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
      g_assert_no_error (error);
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
      g_subprocess_communicate_utf8 (process, "", NULL, &out, &err, &error);
      g_assert_no_error (error);
      g_test_message ("usage %u: %s", i, err);
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 2);
      assert_one_sentence (err);
    }

  /* No secret on stdin. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (&out, &err, "", "login", "--oauth-base", f->oauth_base, "--rest-base", f->rest_base,
                        "--consumer-key", "k", "--no-browser", NULL), ==, 1);
  assert_one_sentence (err);

  /* The provider is down. */
  fixture_tear_down (f, NULL);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (&out, &err, "secret\n", "login", "--oauth-base", "http://127.0.0.1:1/oauth/",
                        "--rest-base", "http://127.0.0.1:1", "--consumer-key", "k", "--no-browser", NULL), ==, 1);
  g_assert_cmpstr (out, ==, "");
  assert_one_sentence (err);
  g_assert_nonnull (strstr (err, "Could not reach"));
}

static void
test_no_keyring (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree char *home = g_dir_make_tmp ("relay-cli-nokeyring-XXXXXX", &error);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  Cli *cli;

  g_assert_no_error (error);
  g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "memory", TRUE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/relay-bus", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");

  cli = cli_spawn (launcher, "login", "--oauth-base", f->oauth_base, "--rest-base", f->rest_base,
                   "--consumer-key", RELAY_SANDBOX_DEFAULT_CONSUMER_KEY, "--no-browser", NULL);
  cli_write (cli, RELAY_SANDBOX_DEFAULT_CONSUMER_SECRET "\n");

  /* Issue 14, item 4: refused before the browser flow starts (no
   * "Open:" line, no request token asked for), not after it. */
  g_assert_cmpint (cli_finish (cli, &out, &err), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpstr (err, ==, "relay-cli: No keyring is available, so Relay cannot store your sign-in; "
                            "nothing was saved.\n");

  dir = g_dir_open (home, 0, NULL);
  g_assert_cmpstr (g_dir_read_name (dir), ==, NULL);
  g_rmdir (home);
}

#define SIGNATURE_SECRET "relay-cli-signature-secret"

/* An API key with a signature secret: two lines on stdin, stored as a
 * signed account, SMS sent with sig and never api_secret; a wrong
 * signature secret passes the sign-in (the balance call does not use
 * it) and the send then says status 14. */
static void
test_signed (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("relay-cli-signed-XXXXXX", &error);
  g_autofree char *log_path = g_build_filename (dir, "messages.jsonl", NULL);
  g_autofree char *log_arg = g_strconcat ("--messages=", log_path, NULL);
  const char *const args[] = { "--signature-secret", SIGNATURE_SECRET, "--signature-method", "sha256",
                               log_arg, NULL };
  g_autofree char *log = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_no_error (error);
  if (!need_keyring ())
    return;

  fixture_tear_down (f, NULL);
  fixture_start (f, args);

  /* The signature secret line is required. */
  g_assert_cmpint (run (&out, &err, RELAY_SANDBOX_DEFAULT_API_SECRET "\n", "login",
                        "--api-key", RELAY_SANDBOX_DEFAULT_API_KEY, "--signature-method", "sha256",
                        "--rest-base", f->rest_base, NULL), ==, 1);
  assert_one_sentence (err);
  g_assert_nonnull (strstr (err, "signature secret"));
  assert_no_accounts ();

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (&out, &err, RELAY_SANDBOX_DEFAULT_API_SECRET "\n" SIGNATURE_SECRET "\n", "login",
                        "--api-key", RELAY_SANDBOX_DEFAULT_API_KEY, "--signature-method", "sha256",
                        "--rest-base", f->rest_base, NULL), ==, 0);
  g_assert_cmpstr (out, ==, "Signed in\n");

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (&out, &err, NULL, "accounts", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"kind\":\"signed\""));
  g_assert_nonnull (strstr (out, "\"signature_method\":\"sha256\""));
  g_assert_null (strstr (out, RELAY_SANDBOX_DEFAULT_API_SECRET));
  g_assert_null (strstr (out, SIGNATURE_SECRET));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (&out, &err, NULL, "send", "--to", "447700900001", "--text", "Tea & cake = 5", NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_nonnull (strstr (out, "447700900001: sent in 1 part"));
  g_assert_true (g_file_get_contents (log_path, &log, NULL, NULL));
  g_assert_nonnull (strstr (log, "\"auth\":\"sig\""));
  g_assert_null (strstr (log, "api_secret"));
  g_assert_nonnull (strstr (log, "\"text\":\"Tea & cake = 5\""));

  /* The same key with a wrong signature secret replaces the account. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (&out, &err, RELAY_SANDBOX_DEFAULT_API_SECRET "\nwrong-signature-secret\n", "login",
                        "--api-key", RELAY_SANDBOX_DEFAULT_API_KEY, "--signature-method", "sha256",
                        "--rest-base", f->rest_base, NULL), ==, 0);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (&out, &err, NULL, "send", "--to", "447700900001", "--text", "Hi", NULL), ==, 1);
  g_test_message ("%s", err);
  assert_one_sentence (err);
  g_assert_nonnull (strstr (err, "status 14: The request signature was not valid."));
  g_assert_null (strstr (err, "wrong-signature-secret"));
  g_clear_pointer (&log, g_free);
  g_assert_true (g_file_get_contents (log_path, &log, NULL, NULL));
  /* Still only the first message was accepted. */
  g_assert_true (strchr (log, '\n') == log + strlen (log) - 1);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (&out, &err, NULL, "logout", NULL), ==, 0);
  assert_no_accounts ();

  g_unlink (log_path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  static const char *const legacy[] = { "--auto-approve", "--legacy", NULL };
  static const char *const approve[] = { "--auto-approve", NULL };
  static const char *const deny[] = { "--auto-deny", NULL };

  /* Most cases need the keyring: without the harness's private session
   * the program is one SKIP, not an OK of its few other cases. */
  relay_test_require_keyring ();
  g_test_init (&argc, &argv, NULL);

#define ADD(path, args, func) \
  g_test_add ("/relay/cli-login/" path, Fixture, args, fixture_set_up, func, fixture_tear_down)

  ADD ("oauth-callback", approve, test_oauth_callback);
  ADD ("oob", approve, test_oob);
  ADD ("legacy", legacy, test_legacy);
  ADD ("denied", deny, test_denied);
  ADD ("listener-timeout", approve, test_listener_timeout);
  ADD ("api-key", approve, test_api_key);
  ADD ("failures", approve, test_failures);
  ADD ("long-secret", approve, test_long_secret);
  ADD ("no-keyring", approve, test_no_keyring);
  ADD ("signed", approve, test_signed);

  return g_test_run ();
}
