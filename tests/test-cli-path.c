/* test-cli-path.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The whole command-line path, end to end: relay-cli login → accounts →
 * send → balance → logout against relay-sandbox processes, with the
 * session's gnome-keyring, for each way of signing in. Along the way no
 * secret may reach stdout or stderr, and nothing but gnome-keyring's own
 * files may appear in HOME or the XDG directories.
 */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "relay-credential-store.h"
#include "relay-sandbox-server.h"
#include "relay-test-env.h"

typedef enum
{
  PATH_CALLBACK,
  PATH_OOB,
  PATH_LEGACY,
  PATH_API_KEY,
} PathKind;

typedef struct
{
  GSubprocess *process;
  char        *base;
  char        *oauth_base;
  char        *rest_base;
  char        *log_path;
} Sandbox;

typedef struct
{
  char       *tmpdir;
  Sandbox     a;
  Sandbox     b;
  GString    *transcript;   /* every stdout and stderr of relay-cli */
  GPtrArray  *secrets;      /* what must never appear in it */
  GHashTable *before;       /* HOME and XDG files before the case */
  gboolean    debug;        /* run relay-cli with G_MESSAGES_DEBUG=all */
} Fixture;

#define TO_NUMBER   "447700900123"
#define LONG_TEXT   "This message is long enough to need two parts of a concatenated SMS: " \
                    "one hundred and sixty GSM-7 characters fit in a single part, but this " \
                    "one keeps going for a while longer, past that limit."
#define UNICODE_TEXT "Grüße aus Relay ✓ — 你好"

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
sandbox_start (Fixture    *f,
               Sandbox    *s,
               const char *name,
               const char *extra)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *messages_arg = NULL;
  const char *sandbox = g_getenv ("RELAY_SANDBOX");

  g_assert_nonnull (sandbox);
  s->log_path = g_build_filename (f->tmpdir, name, NULL);
  messages_arg = g_strconcat ("--messages=", s->log_path, NULL);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  s->process = g_subprocess_launcher_spawn (launcher, &error, sandbox, "--port=0", messages_arg,
                                            extra, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (s->process));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "Listening on http://127.0.0.1:"));
  s->base = g_strdup (line + strlen ("Listening on "));
  s->oauth_base = g_strconcat (s->base, "oauth/", NULL);
  s->rest_base = g_strndup (s->base, strlen (s->base) - 1);
}

static void
sandbox_stop (Sandbox *s)
{
  if (s->process != NULL)
    {
      g_subprocess_force_exit (s->process);
      g_subprocess_wait (s->process, NULL, NULL);
    }
  g_clear_object (&s->process);
  g_clear_pointer (&s->base, g_free);
  g_clear_pointer (&s->oauth_base, g_free);
  g_clear_pointer (&s->rest_base, g_free);
  if (s->log_path != NULL)
    g_unlink (s->log_path);
  g_clear_pointer (&s->log_path, g_free);
}

/* HOME and the XDG base directories, file by file: size and mtime. */
static void
snapshot_dir (GHashTable *files,
              const char *path,
              guint       depth)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (depth > 12 || !(dir = g_dir_open (path, 0, NULL)))
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      GStatBuf st;

      if (g_lstat (child, &st) != 0)
        continue;
      g_hash_table_replace (files, g_strdup (child),
                            g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
                                             (gint64) st.st_size, (gint64) st.st_mtime));
      if (S_ISDIR (st.st_mode))
        snapshot_dir (files, child, depth + 1);
    }
}

static GHashTable *
snapshot (void)
{
  const char *vars[] = { "HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME" };
  GHashTable *files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    if (g_getenv (vars[i]) != NULL)
      snapshot_dir (files, g_getenv (vars[i]), 0);

  return files;
}

/* Only gnome-keyring's own keyrings/ and Relay's history database
 * (relay.db, its -wal and -shm, in $XDG_DATA_HOME/relay) may change. */
static void
assert_home_untouched (GHashTable *before)
{
  g_autoptr(GHashTable) after = snapshot ();
  g_autofree char *history_dir = g_build_filename (g_get_user_data_dir (), "relay", NULL);
  g_autofree char *history_db = g_build_filename (history_dir, "relay.db", NULL);
  GHashTableIter iter;
  gpointer path, stamp;

  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, &path, &stamp))
    {
      const char *old = g_hash_table_lookup (before, path);

      if (g_strcmp0 (old, stamp) == 0 ||
          strstr (path, "/keyrings/") != NULL || g_str_has_suffix (path, "/keyrings"))
        continue;
      if (g_str_equal (path, history_dir) || g_str_has_prefix (path, history_db))
        continue;
      g_test_message ("written outside the keyring: %s", (const char *) path);
      g_assert_cmpstr (path, ==, "nothing outside keyrings/");
    }
}

static void
assert_no_secret (Fixture *f)
{
  for (guint i = 0; i < f->secrets->len; i++)
    {
      const char *secret = g_ptr_array_index (f->secrets, i);

      if (strstr (f->transcript->str, secret) != NULL)
        {
          g_test_message ("a secret was printed: secret #%u", i);
          g_assert_not_reached ();
        }
    }
}

static void
assert_one_sentence (const char *err)
{
  g_assert_true (g_str_has_prefix (err, "relay-cli: "));
  g_assert_true (g_str_has_suffix (err, "\n"));
  g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);
}

/* With @debug, relay-cli logs everything (G_MESSAGES_DEBUG=all) to
 * stderr: no secret may show there either. */
static GSubprocess *
cli_spawnv (const char * const *args,
            gboolean            debug)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_ptr_array_add (argv, (gpointer) g_getenv ("RELAY_CLI"));
  g_assert_nonnull (argv->pdata[0]);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (debug)
    g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  return process;
}

/* Runs relay-cli to the end with @input on stdin. */
static int
run (Fixture     *f,
     char       **out,
     char       **err,
     const char  *input,
     ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list ap;

  va_start (ap, input);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  process = cli_spawnv ((const char * const *) args->pdata, f->debug);
  g_subprocess_communicate_utf8 (process, input != NULL ? input : "", NULL, out, err, &error);
  g_assert_no_error (error);
  g_string_append_printf (f->transcript, "%s%s", *out, *err);

  return g_subprocess_get_exit_status (process);
}

static void
write_line (GSubprocess *process,
            const char  *text)
{
  GOutputStream *in = g_subprocess_get_stdin_pipe (process);
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (in, text, strlen (text), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (in, "\n", 1, NULL, NULL, &error);
  g_assert_no_error (error);
}

/* The messages log lines whose "to" and "text" match. */
static guint
count_logged (Sandbox    *s,
              const char *to,
              const char *text,
              guint      *parts,
              char      **type)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  guint found = 0;

  if (!g_file_get_contents (s->log_path, &contents, NULL, NULL))
    return 0;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *object;

      if (*lines[i] == '\0')
        continue;
      g_assert_true (json_parser_load_from_data (parser, lines[i], -1, NULL));
      object = json_node_get_object (json_parser_get_root (parser));
      if (g_strcmp0 (json_object_get_string_member (object, "to"), to) != 0 ||
          g_strcmp0 (json_object_get_string_member (object, "text"), text) != 0)
        continue;
      found++;
      if (parts != NULL)
        *parts = (guint) json_object_get_int_member (object, "parts");
      if (type != NULL)
        {
          g_free (*type);
          *type = g_strdup (json_object_get_string_member (object, "type"));
        }
    }

  return found;
}

/* What the sandbox charged, from its log. */
static double
logged_total (Sandbox *s)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  double total = 0;

  g_assert_true (g_file_get_contents (s->log_path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (*lines[i] == '\0')
        continue;
      g_assert_true (json_parser_load_from_data (parser, lines[i], -1, NULL));
      total += g_ascii_strtod (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)),
                                                              "price"), NULL);
    }

  return total;
}

static GBytes *
fetch (SoupSession  *session,
       SoupMessage  *message,
       guint         expected)
{
  g_autoptr(GError) error = NULL;
  GBytes *body = soup_session_send_and_read (session, message, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, expected);

  return body;
}

/* The user at the authorize page: press Authorize; returns the page after it. */
static char *
press_authorize (Sandbox    *s,
                 const char *url)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) get = soup_message_new ("GET", url);
  g_autoptr(SoupMessage) post = NULL;
  g_autoptr(GBytes) page = fetch (session, get, 200);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(GBytes) form = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *action = g_strconcat (s->oauth_base, "authorize", NULL);
  g_autofree char *body = NULL;

  g_assert_nonnull (g_strstr_len (g_bytes_get_data (page, NULL), g_bytes_get_size (page), "id=\"authorize\""));
  query = g_uri_parse_params (strchr (url, '?') + 1, -1, "&", G_URI_PARAMS_NONE, NULL);
  g_assert_nonnull (query);
  escaped = g_uri_escape_string (g_hash_table_lookup (query, "oauth_token"), NULL, FALSE);
  body = g_strconcat ("oauth_token=", escaped, "&action=authorize", NULL);
  form = g_bytes_new (body, strlen (body));

  post = soup_message_new ("POST", action);
  soup_message_set_request_body_from_bytes (post, "application/x-www-form-urlencoded", form);
  answer = fetch (session, post, 200);

  return g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static RelayAccount *
load_account (const char *id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  RelayAccount *account;

  relay_credential_store_load_async (relay_credential_store_get_default (), id, NULL, loaded_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  account = relay_credential_store_load_finish (result, &error);
  g_assert_no_error (error);

  return account;
}

/* Signs in one way and returns the new account's ID. */
static char *
login (Fixture  *f,
       Sandbox  *s,
       PathKind  kind)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *url = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *mode = kind == PATH_OOB ? "--oob" : kind == PATH_LEGACY ? "--legacy" : "--no-browser";
  const char *args[] = { "login", "--oauth-base", s->oauth_base, "--rest-base", s->rest_base,
                         "--consumer-key", RELAY_SANDBOX_DEFAULT_CONSUMER_KEY, "--no-browser", mode, NULL };
  g_autoptr(RelayAccount) account = NULL;

  if (kind == PATH_API_KEY)
    {
      f->debug = TRUE;
      g_assert_cmpint (run (f, &out, &err, RELAY_SANDBOX_DEFAULT_API_SECRET "\n", "login",
                            "--api-key", RELAY_SANDBOX_DEFAULT_API_KEY, "--rest-base", s->rest_base,
                            NULL), ==, 0);
      f->debug = FALSE;
    }
  else
    {
      g_autoptr(GBytes) rest = NULL;

      process = cli_spawnv (args, TRUE);
      write_line (process, RELAY_SANDBOX_DEFAULT_CONSUMER_SECRET);
      lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
      line = g_data_input_stream_read_line (lines, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (line);
      g_assert_true (g_str_has_prefix (line, "Open: "));
      url = g_strdup (line + strlen ("Open: "));
      g_string_append_printf (f->transcript, "%s\n", line);
      g_assert_true (g_str_has_prefix (url, s->oauth_base));

      if (kind == PATH_CALLBACK)
        {
          /* The browser: the sandbox approves and redirects to the listener. */
          g_autoptr(SoupSession) session = soup_session_new ();
          g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
          g_autoptr(GBytes) page = fetch (session, message, 200);
          g_autoptr(GHashTable) query = NULL;
          const char *landed = g_uri_get_query (soup_message_get_uri (message));

          g_assert_nonnull (g_strstr_len (g_bytes_get_data (page, NULL), g_bytes_get_size (page), "close this tab"));
          g_assert_cmpstr (g_uri_get_path (soup_message_get_uri (message)), ==, "/callback");
          query = g_uri_parse_params (landed, -1, "&", G_URI_PARAMS_NONE, NULL);
          g_assert_nonnull (g_hash_table_lookup (query, "oauth_verifier"));
          g_ptr_array_add (f->secrets, g_strdup (g_hash_table_lookup (query, "oauth_verifier")));
        }
      else if (kind == PATH_OOB)
        {
          g_autofree char *page = press_authorize (s, url);
          const char *start = strstr (page, "<code id=\"verifier\">");
          g_autofree char *verifier = NULL;

          g_assert_nonnull (start);
          start += strlen ("<code id=\"verifier\">");
          verifier = g_strndup (start, strchr (start, '<') - start);
          g_assert_cmpuint (strlen (verifier), >, 8);
          g_ptr_array_add (f->secrets, g_strdup (verifier));
          write_line (process, verifier);
        }
      else
        {
          g_autofree char *page = press_authorize (s, url);

          g_assert_nonnull (strstr (page, "authorized"));
          write_line (process, "");
        }

      g_output_stream_close (g_subprocess_get_stdin_pipe (process), NULL, NULL);
      rest = g_input_stream_read_bytes (G_INPUT_STREAM (lines), 65536, NULL, &error);
      g_assert_no_error (error);
      out = g_strndup (g_bytes_get_data (rest, NULL), g_bytes_get_size (rest));
      g_clear_pointer (&rest, g_bytes_unref);
      rest = g_input_stream_read_bytes (g_subprocess_get_stderr_pipe (process), 65536, NULL, &error);
      g_assert_no_error (error);
      err = g_strndup (g_bytes_get_data (rest, NULL), g_bytes_get_size (rest));
      g_string_append_printf (f->transcript, "%s%s", out, err);
      g_subprocess_wait (process, NULL, &error);
      g_assert_no_error (error);
      if (g_subprocess_get_exit_status (process) != 0)
        g_test_message ("login failed: %s", err);
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
    }

  g_assert_cmpstr (out, ==, "Signed in\n");

  /* The keyring holds what must stay secret: remember it to look for it. */
  account = load_account (NULL);
  if (kind == PATH_API_KEY)
    {
      g_assert_cmpint (relay_account_get_kind (account), ==, RELAY_ACCOUNT_API_KEY);
    }
  else
    {
      g_assert_cmpint (relay_account_get_kind (account), ==, RELAY_ACCOUNT_OAUTH);
      g_assert_nonnull (relay_account_get_token_secret (account));
      g_assert_cmpstr (relay_account_get_token_secret (account), !=, "");
      g_ptr_array_add (f->secrets, g_strdup (relay_account_get_token_secret (account)));
    }

  return g_strdup (relay_account_get_id (account));
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);

  return json_node_copy (json_parser_get_root (parser));
}

static void
send_ok (Fixture    *f,
         Sandbox    *s,
         const char *text,
         guint       expected_parts,
         const char *expected_type)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *type = NULL;
  guint parts = 0;

  g_assert_cmpint (run (f, &out, &err, NULL, "send", "--to", TO_NUMBER, "--text", text, NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_true (g_str_has_prefix (out, TO_NUMBER ": sent in "));
  g_assert_cmpuint (count_logged (s, TO_NUMBER, text, &parts, &type), ==, 1);
  g_assert_cmpuint (parts, ==, expected_parts);
  g_assert_cmpstr (type, ==, expected_type);
}

static void
test_path (Fixture       *f,
           gconstpointer  data)
{
  PathKind kind = GPOINTER_TO_INT (data);
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *id = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *expected = NULL;
  JsonArray *messages;
  double balance;

  if (f->before == NULL)
    return;

  id = login (f, &f->a, kind);

  /* accounts: the new account, by ID, with no secret. */
  g_assert_cmpint (run (f, &out, &err, NULL, "accounts", NULL), ==, 0);
  expected = g_strdup_printf ("%s\t%s\t%s\n", id, kind == PATH_API_KEY ? "api" : "oauth", f->a.rest_base);
  g_assert_cmpstr (out, ==, expected);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* send: once each, and the sandbox logged each exactly once. */
  send_ok (f, &f->a, "Hello from the command-line path test", 1, "text");
  send_ok (f, &f->a, LONG_TEXT, 2, "text");
  send_ok (f, &f->a, UNICODE_TEXT, 1, "unicode");

  /* balance: what the sandbox charged is gone. */
  g_assert_cmpint (run (f, &out, &err, NULL, "balance", NULL), ==, 0);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("Balance: %.2f (automatic reload off)\n",
                              RELAY_SANDBOX_DEFAULT_BALANCE - logged_total (&f->a));
  g_assert_cmpstr (out, ==, expected);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* --json answers are JSON. */
  g_assert_cmpint (run (f, &out, &err, NULL, "send", "--json", "--to", TO_NUMBER,
                        "--text", "As JSON, please", NULL), ==, 0);
  root = parse_json (out);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  messages = json_object_get_array_member (json_node_get_object (root), "messages");
  g_assert_nonnull (messages);
  g_assert_cmpuint (json_array_get_length (messages), ==, 1);
  g_assert_cmpuint (count_logged (&f->a, TO_NUMBER, "As JSON, please", NULL, NULL), ==, 1);
  g_clear_pointer (&root, json_node_unref);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (f, &out, &err, NULL, "balance", "--json", NULL), ==, 0);
  root = parse_json (out);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  balance = json_object_get_double_member (json_node_get_object (root), "value");
  g_assert_cmpfloat_with_epsilon (balance, RELAY_SANDBOX_DEFAULT_BALANCE - logged_total (&f->a), 1e-9);
  g_assert_cmpfloat (balance, <, RELAY_SANDBOX_DEFAULT_BALANCE);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* logout, and then nothing is sent. */
  g_assert_cmpint (run (f, &out, &err, NULL, "logout", NULL), ==, 0);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("Signed out of %s\n", id);
  g_assert_cmpstr (out, ==, expected);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (f, &out, &err, NULL, "send", "--to", TO_NUMBER, "--text", "Not sent", NULL), ==, 1);
  g_assert_cmpstr (out, ==, "");
  assert_one_sentence (err);
  g_assert_nonnull (strstr (err, "No account"));
  g_assert_cmpuint (count_logged (&f->a, TO_NUMBER, "Not sent", NULL, NULL), ==, 0);

  assert_no_secret (f);
  assert_home_untouched (f->before);
}

static void
send_via (Fixture    *f,
          const char *account,
          const char *rest_base,
          const char *text)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_ptr_array_add (args, "send");
  if (account != NULL)
    {
      g_ptr_array_add (args, "--account");
      g_ptr_array_add (args, (gpointer) account);
    }
  if (rest_base != NULL)
    {
      g_ptr_array_add (args, "--rest-base");
      g_ptr_array_add (args, (gpointer) rest_base);
    }
  g_ptr_array_add (args, "--to");
  g_ptr_array_add (args, TO_NUMBER);
  g_ptr_array_add (args, "--text");
  g_ptr_array_add (args, (gpointer) text);
  g_ptr_array_add (args, NULL);

  process = cli_spawnv ((const char * const *) args->pdata, FALSE);
  g_subprocess_communicate_utf8 (process, "", NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_string_append_printf (f->transcript, "%s%s", out, err);
  if (g_subprocess_get_exit_status (process) != 0)
    g_test_message ("send failed: %s", err);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

/* Which sandbox logged @text, once: 'a', 'b', or 0. */
static char
landed (Fixture    *f,
        const char *text)
{
  guint a = count_logged (&f->a, TO_NUMBER, text, NULL, NULL);
  guint b = count_logged (&f->b, TO_NUMBER, text, NULL, NULL);

  g_assert_cmpuint (a + b, ==, 1);

  return a == 1 ? 'a' : 'b';
}

static void
test_two_accounts (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *oauth_id = NULL;
  g_autofree char *api_id = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (f->before == NULL)
    return;

  /* OAuth at sandbox a, the API key at sandbox b. */
  oauth_id = login (f, &f->a, PATH_CALLBACK);
  api_id = login (f, &f->b, PATH_API_KEY);
  g_assert_cmpstr (oauth_id, !=, api_id);

  g_assert_cmpint (run (f, &out, &err, NULL, "accounts", "--json", NULL), ==, 0);
  root = parse_json (out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 2);

  send_via (f, oauth_id, NULL, "one: picked OAuth");
  g_assert_cmpint (landed (f, "one: picked OAuth"), ==, 'a');
  send_via (f, NULL, NULL, "two: last used, OAuth");
  g_assert_cmpint (landed (f, "two: last used, OAuth"), ==, 'a');
  send_via (f, api_id, NULL, "three: picked the API key");
  g_assert_cmpint (landed (f, "three: picked the API key"), ==, 'b');
  send_via (f, NULL, NULL, "four: last used, API key");
  g_assert_cmpint (landed (f, "four: last used, API key"), ==, 'b');
  send_via (f, oauth_id, NULL, "five: OAuth again");
  g_assert_cmpint (landed (f, "five: OAuth again"), ==, 'a');
  send_via (f, NULL, NULL, "six: last used, OAuth again");
  g_assert_cmpint (landed (f, "six: last used, OAuth again"), ==, 'a');

  /* An unknown --account is named, not taken for "nobody signed in". */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (f, &out, &err, NULL, "send", "--account", "api:nobody@127.0.0.1:1",
                        "--to", TO_NUMBER, "--text", "eight: nobody", NULL), ==, 1);
  g_assert_cmpstr (out, ==, "");
  assert_one_sentence (err);
  g_assert_nonnull (strstr (err, "api:nobody@127.0.0.1:1"));
  g_assert_null (strstr (err, "signed in"));
  g_assert_cmpuint (count_logged (&f->a, TO_NUMBER, "eight: nobody", NULL, NULL) +
                    count_logged (&f->b, TO_NUMBER, "eight: nobody", NULL, NULL), ==, 0);

  /* An empty --account is refused with its own sentence, for send and balance. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (f, &out, &err, NULL, "send", "--account", "",
                        "--to", TO_NUMBER, "--text", "nine: empty account", NULL), ==, 1);
  g_assert_cmpstr (out, ==, "");
  assert_one_sentence (err);
  g_assert_nonnull (strstr (err, "--account"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (f, &out, &err, NULL, "balance", "--account=", NULL), ==, 1);
  assert_one_sentence (err);
  g_assert_nonnull (strstr (err, "--account"));
  g_assert_cmpuint (count_logged (&f->a, TO_NUMBER, "nine: empty account", NULL, NULL) +
                    count_logged (&f->b, TO_NUMBER, "nine: empty account", NULL, NULL), ==, 0);

  /* --rest-base beats the stored one: both sandboxes know the API key. */
  send_via (f, api_id, f->a.rest_base, "seven: API key, other REST base");
  g_assert_cmpint (landed (f, "seven: API key, other REST base"), ==, 'a');

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (f, &out, &err, NULL, "logout", "--account", oauth_id, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (f, &out, &err, NULL, "logout", "--account", api_id, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (f, &out, &err, NULL, "accounts", "--json", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "[]\n");

  assert_no_secret (f);
  assert_home_untouched (f->before);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  PathKind kind = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  f->transcript = g_string_new (NULL);
  f->secrets = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (f->secrets, g_strdup (RELAY_SANDBOX_DEFAULT_CONSUMER_SECRET));
  g_ptr_array_add (f->secrets, g_strdup (RELAY_SANDBOX_DEFAULT_API_SECRET));

  if (relay_test_keyring_unsafe () != NULL)
    {
      g_test_skip (relay_test_keyring_unsafe ());
      return;
    }

  f->tmpdir = g_dir_make_tmp ("relay-cli-path-XXXXXX", &error);
  g_assert_no_error (error);
  sandbox_start (f, &f->a, "a.jsonl", kind == PATH_OOB ? NULL
                                      : kind == PATH_LEGACY ? "--legacy" : "--auto-approve");
  if (kind == PATH_CALLBACK)
    sandbox_start (f, &f->b, "b.jsonl", NULL);

  /* The keyring starts empty, even after another test failed half-way. */
  for (guint i = 0; i < 20; i++)
    {
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
      g_assert_cmpint (run (f, &out, &err, NULL, "accounts", "--json", NULL), ==, 0);
      if (strcmp (out, "[]\n") == 0)
        break;
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
      g_assert_cmpint (run (f, &out, &err, NULL, "logout", NULL), ==, 0);
    }
  g_assert_cmpstr (out, ==, "[]\n");

  f->before = snapshot ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  /* Leave the keyring as it was found, even after a failure. */
  for (guint i = 0; f->before != NULL && i < 4; i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      if (run (f, &out, &err, NULL, "logout", NULL) != 0)
        break;
    }

  sandbox_stop (&f->a);
  sandbox_stop (&f->b);
  if (f->tmpdir != NULL)
    g_rmdir (f->tmpdir);
  g_clear_pointer (&f->tmpdir, g_free);
  g_clear_pointer (&f->before, g_hash_table_unref);
  g_clear_pointer (&f->secrets, g_ptr_array_unref);
  g_string_free (f->transcript, TRUE);
}

int
main (int    argc,
      char **argv)
{
  relay_test_require_keyring ();
  g_test_init (&argc, &argv, NULL);

#define ADD(path, kind, func) \
  g_test_add ("/relay/cli-path/" path, Fixture, GINT_TO_POINTER (kind), fixture_set_up, func, fixture_tear_down)

  ADD ("oauth-callback", PATH_CALLBACK, test_path);
  ADD ("oauth-oob", PATH_OOB, test_path);
  ADD ("oauth-legacy", PATH_LEGACY, test_path);
  ADD ("api-key", PATH_API_KEY, test_path);
  ADD ("two-accounts", PATH_CALLBACK, test_two_accounts);

  return g_test_run ();
}
