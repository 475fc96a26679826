/* test-keyring-locked.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A locked keyring (issue 14, item 4): the real gnome-keyring of the
 * test's private session, its default collection locked over D-Bus.
 * Relay must ask to unlock it, and when that fails say that the keyring
 * is locked: never that no account is signed in, never that the account
 * does not exist, and never remove or lose the item.
 *
 * Asking to unlock makes gnome-keyring open a prompt through the system
 * prompter (org.gnome.keyring.SystemPrompter), which D-Bus would start
 * as gcr-prompter on the test's display, where nobody answers it. Each
 * case runs in a subprocess that owns that name itself and refuses every
 * prompt, as a desktop without a working prompter does: the prompt is
 * dismissed at once, and the case counts that Relay did ask. The case
 * then unlocks the collection with its password (build-aux/test-session
 * unlocks the keyring with "relay-test") through gnome-keyring's
 * prompt-free interface, to show that everything works again; and the
 * parent unlocks it again after the subprocess ended, however it ended
 * (a failed assertion aborts), so that later suites find the keyring as
 * they expect. The program runs alone (is_parallel: false).
 */

#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <string.h>

#include "relay-credential-store.h"
#include "relay-test-cli.h"
#include "relay-test-env.h"
#include "relay-test-keyring-lock.h"

#define REST_BASE "http://127.0.0.1:9"
#define OTHER_KEY "locked-out"

static char *
store_account (void)
{
  return relay_test_store_account (REST_BASE, RELAY_SANDBOX_DEFAULT_API_SECRET);
}

static char *
account_id (const char *key)
{
  g_autoptr(RelayProvider) provider = relay_provider_new (NULL, REST_BASE);
  g_autoptr(RelayAccount) account = relay_account_new_api_key (provider, key);

  return g_strdup (relay_account_get_id (account));
}

static void
assert_locked_error (const GError *error)
{
  g_assert_error (error, RELAY_CREDENTIAL_ERROR, RELAY_CREDENTIAL_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, RELAY_TEST_LOCKED_WORDS));
}

/* The store itself: each operation asks to unlock, and fails with the
 * locked error; nothing is lost, and once unlocked all works again. */
static void
test_store (void)
{
  RelayCredentialStore *store = relay_credential_store_get_default ();
  g_autofree char *id = store_account ();
  g_autoptr(RelayProvider) provider = relay_provider_new (NULL, REST_BASE);
  g_autoptr(RelayAccount) other = relay_account_new_api_key (provider, OTHER_KEY);
  g_autoptr(RelayAccount) account = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  guint asked;

  relay_account_set_secret (other, "other-secret");
  relay_test_lock_keyring ();

  {
    g_autoptr(GAsyncResult) result = NULL;

    asked = relay_test_prompts;
    relay_credential_store_load_async (store, id, NULL, relay_test_result_cb, &result);
    account = relay_credential_store_load_finish (relay_test_wait_result (&result), &error);
    g_assert_null (account);
    assert_locked_error (error);
    g_assert_cmpuint (relay_test_prompts, >, asked);
    g_clear_error (&error);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;

    /* The most recent account: not "No account is signed in." */
    relay_credential_store_load_async (store, NULL, NULL, relay_test_result_cb, &result);
    account = relay_credential_store_load_finish (relay_test_wait_result (&result), &error);
    g_assert_null (account);
    assert_locked_error (error);
    g_clear_error (&error);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;

    asked = relay_test_prompts;
    relay_credential_store_list_async (store, NULL, relay_test_result_cb, &result);
    accounts = relay_credential_store_list_finish (relay_test_wait_result (&result), &error);
    g_assert_null (accounts);
    assert_locked_error (error);
    g_assert_cmpuint (relay_test_prompts, >, asked);
    g_clear_error (&error);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;

    asked = relay_test_prompts;
    relay_credential_store_delete_async (store, id, NULL, relay_test_result_cb, &result);
    g_assert_false (relay_credential_store_delete_finish (relay_test_wait_result (&result), &error));
    assert_locked_error (error);
    g_assert_cmpuint (relay_test_prompts, >, asked);
    g_clear_error (&error);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;

    /* Storing (signing in, renaming) needs the collection unlocked. */
    asked = relay_test_prompts;
    relay_credential_store_save_async (store, other, NULL, relay_test_result_cb, &result);
    g_assert_false (relay_credential_store_save_finish (relay_test_wait_result (&result), &error));
    assert_locked_error (error);
    g_assert_cmpuint (relay_test_prompts, >, asked);
    g_clear_error (&error);
  }

  g_assert_true (relay_test_keyring_locked ());
  g_assert_cmpuint (relay_test_keyring_items (id), ==, 1);
  g_assert_cmpuint (relay_test_keyring_items (relay_account_get_id (other)), ==, 0);

  /* Unlocked, the same store reads it again. */
  relay_test_unlock_keyring ();
  {
    g_autoptr(GAsyncResult) result = NULL;

    relay_credential_store_load_async (store, id, NULL, relay_test_result_cb, &result);
    account = relay_credential_store_load_finish (relay_test_wait_result (&result), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (relay_account_get_secret (account), ==, RELAY_SANDBOX_DEFAULT_API_SECRET);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;

    relay_credential_store_list_async (store, NULL, relay_test_result_cb, &result);
    accounts = relay_credential_store_list_finish (relay_test_wait_result (&result), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (accounts->len, ==, 1);
    g_assert_cmpstr (relay_account_get_id (g_ptr_array_index (accounts, 0)), ==, id);
  }

  relay_test_forget_account (id);
  g_assert_cmpuint (relay_test_keyring_items (id), ==, 0);
}

static void
run_cli (RelayTestRun      *run,
         const char        *input,
         const char *const *args)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  process = relay_test_cli_spawn (launcher, args);
  relay_test_cli_communicate_input (process, input, run);
}

/* relay-cli while the keyring is locked: the locked sentence and a
 * failure, for every command that needs the keyring. */
static void
test_cli (void)
{
  g_autofree char *id = store_account ();
  const char *const commands[][12] = {
    { "accounts", NULL },
    { "accounts", "--json", NULL },
    { "logout", NULL },
    { "logout", "--account", id, NULL },
    { "balance", NULL },
    { "balance", "--json", NULL },
    { "send", "--to", "447700900001", "--text", "Locked out", NULL },
    { "send", "--json", "--to", "447700900001", "--text", "Locked out", NULL },
    { "status", "0A000000123ABCD1", NULL },
    { "status", "--json", "0A000000123ABCD1", NULL },
    { "login", "--api-key", RELAY_SANDBOX_DEFAULT_API_KEY, "--rest-base", "http://127.0.0.1:9", NULL },
  };

  relay_test_lock_keyring ();

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(RelayTestRun) run = { 0 };
      guint asked = relay_test_prompts;

      g_test_message ("relay-cli %s %s", commands[i][0], commands[i][1] != NULL ? commands[i][1] : "");
      run_cli (&run, g_str_equal (commands[i][0], "login") ? "not-the-secret\n" : NULL, commands[i]);
      g_assert_cmpint (run.status, !=, 0);
      g_assert_nonnull (strstr (run.err, RELAY_TEST_LOCKED_WORDS));
      g_assert_null (strstr (run.err, "No account is signed in"));
      g_assert_null (strstr (run.err, "No stored account"));
      g_assert_cmpstr (run.out, ==, "");
      /* It asked the Secret Service to unlock, which prompts. */
      g_assert_cmpuint (relay_test_prompts, >, asked);
      /* Still locked, and the item still there. */
      g_assert_true (relay_test_keyring_locked ());
      g_assert_cmpuint (relay_test_keyring_items (id), ==, 1);
    }

  /* Unlocked, the same commands find the account. */
  relay_test_unlock_keyring ();
  {
    g_auto(RelayTestRun) run = { 0 };

    run_cli (&run, NULL, (const char *const[]) { "accounts", NULL });
    g_assert_cmpint (run.status, ==, 0);
    g_assert_true (g_str_has_prefix (run.out, id));
  }
  {
    g_auto(RelayTestRun) run = { 0 };

    run_cli (&run, NULL, (const char *const[]) { "logout", "--account", id, NULL });
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpuint (relay_test_keyring_items (id), ==, 0);
  }
}

/* Runs the case @data in a subprocess that is the system prompter; then,
 * however that ended, leaves the keyring unlocked and without the
 * case's items. */
static void
locked_case (gconstpointer data)
{
  g_autofree char *id = account_id (RELAY_SANDBOX_DEFAULT_API_KEY);
  g_autofree char *other = account_id (OTHER_KEY);

  if (g_test_subprocess ())
    {
      const char *reason = relay_test_own_prompter ();

      if (reason != NULL)
        g_error ("%s", reason);
      ((GTestFunc) data) ();
      return;
    }

  if (!relay_test_trap_locked ())
    return;

  relay_test_forget_account (id);
  relay_test_forget_account (other);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  relay_test_require_keyring ();
  relay_test_private_data_home ();

  if (!relay_test_lock_init (&error))
    relay_test_skip_all (error->message);

  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/relay/keyring-locked/store", (gconstpointer) test_store, locked_case);
  g_test_add_data_func ("/relay/keyring-locked/cli", (gconstpointer) test_cli, locked_case);

  return g_test_run ();
}
