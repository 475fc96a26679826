/* test-e2e-cli.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * relay-cli login without --no-browser: GIO opens the authorize URL with
 * the test browser (headless chromium), which clicks Authorize on the
 * relay-sandbox page; the callback completes the sign-in, the credential
 * lands in gnome-keyring, relay-cli send sends one message and the
 * sandbox logs it exactly once.
 */

#define G_LOG_DOMAIN "Relay"

#include <string.h>

#include "relay-e2e-util.h"

static RelayE2eFixture *fixture;

static void
assert_no_secret (const char *output)
{
  g_assert_null (strstr (output, RELAY_E2E_SANDBOX_SECRET));
  g_assert_null (strstr (output, "oauth_verifier"));
  g_assert_null (strstr (output, "oauth_token_secret"));
}

static void
test_default_browser (void)
{
  g_autoptr(GAppInfo) http = g_app_info_get_default_for_uri_scheme ("http");
  g_autoptr(GAppInfo) https = g_app_info_get_default_for_uri_scheme ("https");

  g_assert_nonnull (http);
  g_assert_nonnull (https);
  g_assert_cmpstr (g_app_info_get_id (http), ==, "relay-test-browser.desktop");
  g_assert_cmpstr (g_app_info_get_id (https), ==, "relay-test-browser.desktop");
}

static void
login_args (const char **argv,
            char      **oauth_base,
            char      **rest_base)
{
  relay_e2e_fixture_start_sandbox (fixture, NULL);
  *oauth_base = relay_e2e_fixture_endpoint (fixture, "oauth/");
  *rest_base = g_strndup (fixture->sandbox_url, strlen (fixture->sandbox_url) - 1);

  argv[0] = g_getenv ("RELAY_CLI");
  argv[1] = "login";
  argv[2] = "--oauth-base";
  argv[3] = *oauth_base;
  argv[4] = "--rest-base";
  argv[5] = *rest_base;
  argv[6] = "--consumer-key";
  argv[7] = RELAY_E2E_SANDBOX_KEY;
  argv[8] = NULL;
  g_assert_nonnull (argv[0]);
}

/* The person clicks Deny: login fails with one sentence, nothing is stored. */
static void
test_login_denied (void)
{
  const char *deny[] = { "RELAY_TEST_BROWSER_CLICK=deny", NULL };
  const char *argv[9];
  const char *last_line;
  g_autofree char *oauth_base = NULL;
  g_autofree char *rest_base = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  relay_e2e_clear_keyring ();
  login_args (argv, &oauth_base, &rest_base);

  g_assert_false (relay_e2e_run (argv, deny, RELAY_E2E_SANDBOX_SECRET "\n", &out, &err, 120));

  relay_e2e_wait_browser (fixture, 60);
  g_assert_null (strstr (out, "Signed in"));
  /* ends with one sentence on one line (after "Waiting for the browser…") */
  g_assert_true (g_str_has_suffix (err, ".\n"));
  err[strlen (err) - 1] = '\0';
  last_line = strrchr (err, '\n') ? strrchr (err, '\n') + 1 : err;
  g_assert_true (g_str_has_prefix (last_line, "relay-cli: "));
  g_assert_nonnull (strstr (last_line, "denied"));
  assert_no_secret (out);
  assert_no_secret (err);
  g_assert_cmpuint (relay_e2e_count_keyring_items (RELAY_E2E_SANDBOX_KEY), ==, 0);
}

static void
test_login_send (void)
{
  const char *cli = g_getenv ("RELAY_CLI");
  const char *to = "447700900123";
  const char *login[9];
  g_autofree char *oauth_base = NULL;
  g_autofree char *rest_base = NULL;
  g_autofree char *text = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gboolean ok;

  relay_e2e_clear_keyring ();
  login_args (login, &oauth_base, &rest_base);

  ok = relay_e2e_run (login, NULL, RELAY_E2E_SANDBOX_SECRET "\n", &out, &err, 120);
  g_assert_true (ok);
  g_assert_nonnull (strstr (out, "Signed in"));
  assert_no_secret (out);
  assert_no_secret (err);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  relay_e2e_wait_browser (fixture, 60);
  g_assert_cmpuint (relay_e2e_count_keyring_items (RELAY_E2E_SANDBOX_KEY), ==, 1);

  text = g_strdup_printf ("Hello from the Relay e2e test %08x", g_test_rand_int ());
  {
    const char *argv[] = { cli, "send", "--from", "Relay", "--to", to, "--text", text, NULL };

    ok = relay_e2e_run (argv, NULL, NULL, &out, &err, 60);
    g_assert_true (ok);
    assert_no_secret (out);
    assert_no_secret (err);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  g_assert_cmpuint (relay_e2e_count_messages (fixture, to, text), ==, 1);

  {
    const char *argv[] = { cli, "logout", NULL };

    ok = relay_e2e_run (argv, NULL, NULL, &out, &err, 60);
    g_assert_true (ok);
  }
  g_assert_cmpuint (relay_e2e_count_keyring_items (RELAY_E2E_SANDBOX_KEY), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  int status;

  /* before g_test_init: GLib caches the XDG folders on first use */
  fixture = relay_e2e_fixture_new ();

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/relay/e2e-cli/default-browser", test_default_browser);
  g_test_add_func ("/relay/e2e-cli/login-denied", test_login_denied);
  g_test_add_func ("/relay/e2e-cli/login-send", test_login_send);

  status = g_test_run ();
  relay_e2e_fixture_free (fixture, status != 0);

  return status;
}
