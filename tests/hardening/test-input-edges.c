/* test-input-edges.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 14, item 8: relay-cli at the edges of its input, as a hostile or
 * careless local user drives it. None of these needs the keyring: each is
 * refused (or handled) before an account is loaded.
 */

#include <gio/gio.h>
#include <string.h>

#include "hostile-peer.h"
#include "relay-oauth1-error.h"
#include "relay-oauth1-request.h"
#include "relay-oauth1-token.h"

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs relay-cli with @args, @input (of @input_len bytes) on standard
 * input and @locale (or the test's own) as LC_ALL. */
static void
run_cli_full (Run               *run,
              const char        *locale,
              const char        *input,
              gsize              input_len,
              const char *const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) stdin_bytes = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("RELAY_CLI");

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (locale != NULL)
    g_subprocess_launcher_setenv (launcher, "LC_ALL", locale, TRUE);
  /* Nothing here may reach a keyring or a network. */
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);

  stdin_bytes = g_bytes_new (input != NULL ? input : "", input != NULL ? input_len : 0);
  g_subprocess_communicate (process, stdin_bytes, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  run->out = g_strndup (g_bytes_get_size (out) > 0 ? g_bytes_get_data (out, NULL) : "", g_bytes_get_size (out));
  run->err = g_strndup (g_bytes_get_size (err) > 0 ? g_bytes_get_data (err, NULL) : "", g_bytes_get_size (err));
}

static void
run_cli (Run               *run,
         const char *const *args)
{
  run_cli_full (run, NULL, NULL, 0, args);
}

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++)
    n += *p == '\n';
  return n;
}

/* One sentence on one line of stderr, printable, nothing on stdout. */
static void
assert_refused (const Run  *run,
                int         status,
                const char *needle)
{
  g_test_message ("stderr: %.300s", run->err);
  g_assert_cmpint (run->status, ==, status);
  g_assert_cmpstr (run->out, ==, "");
  g_assert_true (g_str_has_prefix (run->err, "relay-cli: "));
  g_assert_cmpuint (count_lines (run->err), ==, 1);
  for (const char *p = run->err; *p != '\0'; p++)
    g_assert_true (*p == '\n' || !g_ascii_iscntrl (*p));
  if (needle != NULL)
    g_assert_nonnull (strstr (run->err, needle));
}

static void
test_sign_timestamp_and_nonce (void)
{
  static const struct { const char *args[8]; const char *needle; } cases[] = {
    { { "sign", "--consumer-key", "k", "--timestamp", "12ab", "https://example.com/", NULL }, "--timestamp 12ab" },
    { { "sign", "--consumer-key", "k", "--timestamp", "-5", "https://example.com/", NULL }, "--timestamp -5" },
    { { "sign", "--consumer-key", "k", "--timestamp", "", "https://example.com/", NULL }, "--timestamp" },
    { { "sign", "--consumer-key", "k", "--timestamp", "+5", "https://example.com/", NULL }, "--timestamp +5" },
    { { "sign", "--consumer-key", "k", "--timestamp", "99999999999999999999", "https://example.com/", NULL }, "--timestamp" },
    { { "sign", "--consumer-key", "k", "--nonce", "", "https://example.com/", NULL }, "--nonce" },
  };
  g_auto(Run) good = { 0, };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) run = { 0, };

      run_cli (&run, cases[i].args);
      assert_refused (&run, 2, cases[i].needle);
    }

  run_cli (&good, (const char *const[]) { "sign", "--consumer-key", "k", "--timestamp", "137131200",
                                          "--nonce", "n", "https://example.com/", NULL });
  g_assert_cmpint (good.status, ==, 0);
  g_assert_nonnull (strstr (good.out, "oauth_timestamp%3D137131200"));
}

static void
test_empty_bases (void)
{
  static const struct { const char *args[8]; const char *needle; } cases[] = {
    { { "login", "--api-key", "k", "--rest-base", "", NULL }, "--rest-base" },
    { { "login", "--consumer-key", "k", "--oauth-base", "", NULL }, "--oauth-base" },
    { { "login", "--consumer-key", "k", "--rest-base", "", NULL }, "--rest-base" },
    { { "balance", "--rest-base", "", NULL }, "--rest-base" },
    { { "send", "--rest-base", "", "--to", "447700900000", "--text", "x", NULL }, "--rest-base" },
    { { "logout", "--consumer-key", "k", "--oauth-base", "", NULL }, "--oauth-base" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) run = { 0, };

      run_cli_full (&run, NULL, "secret\n", 7, cases[i].args);
      assert_refused (&run, 2, cases[i].needle);
    }
}

static void
test_keys_refused (void)
{
  static const char *const keys[] = { "ab\ncd", "ab\rcd", "ab cd", "ab\033[2Jcd", "ab\tcd" };
  g_autofree char *long_key = g_strnfill (300, 'k');

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_auto(Run) api = { 0, };
      g_auto(Run) consumer = { 0, };

      run_cli_full (&api, NULL, "secret\n", 7,
                    (const char *const[]) { "login", "--api-key", keys[i], "--rest-base", "http://127.0.0.1:9", NULL });
      assert_refused (&api, 2, "--api-key");
      run_cli_full (&consumer, NULL, "secret\n", 7,
                    (const char *const[]) { "login", "--consumer-key", keys[i], "--oauth-base", "http://127.0.0.1:9/", NULL });
      assert_refused (&consumer, 2, "--consumer-key");
    }

  {
    g_auto(Run) run = { 0, };

    run_cli_full (&run, NULL, "secret\n", 7,
                  (const char *const[]) { "login", "--api-key", long_key, "--rest-base", "http://127.0.0.1:9", NULL });
    assert_refused (&run, 2, "--api-key");
  }
}

static void
test_stdin_secret (void)
{
  static const char with_nul[] = "sec\0ret\n";
  g_autofree char *too_long = g_strnfill (5000, 's');
  g_auto(Run) nul = { 0, };
  g_auto(Run) lengthy = { 0, };
  g_auto(Run) at_limit = { 0, };
  g_autofree char *limit = g_strnfill (4095, 's');
  g_autofree char *limit_line = g_strconcat (limit, "\n", NULL);

  /* Port 9 (discard) on loopback: nothing listens, so a secret that got
   * through would fail with "Could not reach", not with the line. */
  run_cli_full (&nul, NULL, with_nul, sizeof with_nul - 1,
                (const char *const[]) { "login", "--api-key", "k", "--rest-base", "http://127.0.0.1:9", NULL });
  assert_refused (&nul, 1, "NUL");

  run_cli_full (&lengthy, NULL, too_long, strlen (too_long),
                (const char *const[]) { "login", "--api-key", "k", "--rest-base", "http://127.0.0.1:9", NULL });
  assert_refused (&lengthy, 1, "longer than 4095 bytes");

  /* 4,095 bytes is a line, and goes on to the provider. */
  run_cli_full (&at_limit, NULL, limit_line, strlen (limit_line),
                (const char *const[]) { "login", "--api-key", "k", "--rest-base", "http://127.0.0.1:9", NULL });
  g_assert_cmpint (at_limit.status, ==, 1);
  g_assert_null (strstr (at_limit.err, "longer than"));
  g_assert_null (strstr (at_limit.err, limit));
}

static void
test_echoed_argument_cut (void)
{
  /* Just under the kernel's limit for one argument (128 KiB). */
  g_autofree char *huge = g_strnfill (130000, 'x');
  g_autofree char *hostile = g_strconcat ("\033]0;pwned\007\r\nFAKE LINE: sent OK", huge, NULL);
  g_auto(Run) stray = { 0, };
  g_auto(Run) option = { 0, };
  g_auto(Run) command = { 0, };

  run_cli (&stray, (const char *const[]) { "balance", hostile, NULL });
  assert_refused (&stray, 2, "is not an option of balance.");
  g_assert_cmpuint (strlen (stray.err), <, 4096);
  g_assert_null (strstr (stray.err, "\r"));

  run_cli (&option, (const char *const[]) { "send", huge, "--to", "447700900000", NULL });
  assert_refused (&option, 2, "put the message in --text.");
  g_assert_cmpuint (strlen (option.err), <, 4096);

  run_cli (&command, (const char *const[]) { hostile, NULL });
  assert_refused (&command, 2, "relay-cli --help");
  g_assert_cmpuint (strlen (command.err), <, 4096);
}

static void
test_utf8_arguments_in_c_locale (void)
{
  g_auto(Run) run = { 0, };
  g_auto(Run) latin1 = { 0, };

  /* Refused for the number, which comes after the text was read: the
   * text itself got through. */
  run_cli_full (&run, "C", NULL, 0,
                (const char *const[]) { "send", "--text", "h\xC3\xA9llo \xE2\x82\xAC", "--to", "12", NULL });
  assert_refused (&run, 2, "international phone number");
  g_assert_null (strstr (run.err, "conversion"));

  /* Bytes that are not UTF-8 (nor ASCII, in the C locale) are named. */
  run_cli_full (&latin1, "C", NULL, 0,
                (const char *const[]) { "send", "--text", "h\xE9llo", "--to", "12", NULL });
  assert_refused (&latin1, 2, "Argument 3");
}

static void
test_sign_many_forms (void)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_auto(Run) run = { 0, };

  g_ptr_array_add (args, g_strdup ("sign"));
  g_ptr_array_add (args, g_strdup ("--consumer-key"));
  g_ptr_array_add (args, g_strdup ("k"));
  for (guint i = 0; i < 20000; i++)
    {
      g_ptr_array_add (args, g_strdup ("--form"));
      g_ptr_array_add (args, g_strdup_printf ("p%u=v%u", i, i));
    }
  g_ptr_array_add (args, g_strdup ("https://example.com/x"));
  g_ptr_array_add (args, NULL);

  run_cli (&run, (const char *const *) args->pdata);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "p19999%3Dv19999"));
}

/* In process, past what fits on a command line: encoding the body again
 * on every add took minutes here (the test's timeout); once, it is
 * immediate. The body is the same either way. */
static void
test_many_forms_linear (void)
{
  g_autoptr(RelayOAuth1Request) request = relay_oauth1_request_new ("POST", "https://example.com/x", NULL);
  g_autoptr(GError) error = NULL;
  GBytes *body;
  const char *data;
  gsize len;

  relay_oauth1_request_set_consumer (request, "k", "s");
  for (guint i = 0; i < 200000; i++)
    {
      char name[16], value[16];

      g_snprintf (name, sizeof name, "p%u", i);
      g_snprintf (value, sizeof value, "v %u", i);
      relay_oauth1_request_add_form (request, name, value);
    }
  g_assert_true (relay_oauth1_request_sign (request, &error));
  g_assert_no_error (error);

  body = relay_oauth1_request_get_body (request);
  data = g_bytes_get_data (body, &len);
  g_assert_true (g_str_has_prefix (data, "p0=v%200&p1=v%201&"));
  g_assert_nonnull (g_strstr_len (data, len, "&p199999=v%20199999"));
}

static void
test_token_bounds (void)
{
  GString *many = g_string_new ("oauth_token=t&oauth_token_secret=s&oauth_callback_confirmed=true");
  g_autofree char *big_token = g_strnfill (900 * 1024, 't');
  g_autofree char *big = g_strdup_printf ("oauth_token=%s&oauth_token_secret=s&oauth_callback_confirmed=true",
                                          big_token);
  g_autofree char *big_secret = g_strdup_printf ("oauth_token=t&oauth_token_secret=%s", big_token);
  g_autofree char *many_text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) secret_error = NULL;
  g_autoptr(GError) many_error = NULL;
  RelayOAuth1Token *token;

  token = relay_oauth1_token_parse (big, -1, TRUE, &error);
  g_assert_null (token);
  g_assert_error (error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_MALFORMED);
  g_assert_cmpuint (strlen (error->message), <, 200);

  token = relay_oauth1_token_parse (big_secret, -1, FALSE, &secret_error);
  g_assert_null (token);
  g_assert_error (secret_error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_MALFORMED);

  /* 200,000 parameters, one repeated at the end: the check for repeats
   * compared each name with all the others (hours); now it is one pass. */
  for (guint i = 0; i < 200000; i++)
    g_string_append_printf (many, "&x%u=", i);
  g_string_append (many, "&x7=");
  many_text = g_string_free (many, FALSE);
  token = relay_oauth1_token_parse (many_text, -1, TRUE, &many_error);
  g_assert_null (token);
  g_assert_error (many_error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_MALFORMED);
}

/* Issue 14, item 4: without a Secret Service, OAuth login ran the whole
 * browser flow and only then said nothing could be stored. It checks
 * first now: the provider hears nothing. */
static void
test_login_checks_keyring_first (void)
{
  g_autoptr(HostilePeer) provider = hostile_peer_new (HOSTILE_ANSWER,
                                                      "oauth_token=t&oauth_token_secret=s&oauth_callback_confirmed=true");
  g_autofree char *base = hostile_peer_get_base (provider);
  g_autofree char *oauth_base = g_strconcat (base, "/oauth/", NULL);
  g_auto(Run) oauth = { 0, };
  g_auto(Run) api = { 0, };

  run_cli_full (&oauth, NULL, "consumer-secret\n", 16,
                (const char *const[]) { "login", "--consumer-key", "k", "--oauth-base", oauth_base,
                                        "--rest-base", base, "--no-browser", "--oob", NULL });
  assert_refused (&oauth, 1, "No keyring is available");

  run_cli_full (&api, NULL, "api-secret\n", 11,
                (const char *const[]) { "login", "--api-key", "k", "--rest-base", base, NULL });
  assert_refused (&api, 1, "No keyring is available");

  g_assert_cmpint (g_atomic_int_get (&provider->accepted), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/relay/input-edges/sign-timestamp-and-nonce", test_sign_timestamp_and_nonce);
  g_test_add_func ("/relay/input-edges/empty-bases", test_empty_bases);
  g_test_add_func ("/relay/input-edges/keys-refused", test_keys_refused);
  g_test_add_func ("/relay/input-edges/stdin-secret", test_stdin_secret);
  g_test_add_func ("/relay/input-edges/echoed-argument-cut", test_echoed_argument_cut);
  g_test_add_func ("/relay/input-edges/utf8-arguments-in-c-locale", test_utf8_arguments_in_c_locale);
  g_test_add_func ("/relay/input-edges/sign-many-forms", test_sign_many_forms);
  g_test_add_func ("/relay/input-edges/many-forms-linear", test_many_forms_linear);
  g_test_add_func ("/relay/input-edges/token-bounds", test_token_bounds);
  g_test_add_func ("/relay/input-edges/login-checks-keyring-first", test_login_checks_keyring_first);

  return g_test_run ();
}
