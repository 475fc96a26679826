/* relay-test-cli.h — running relay-cli from a test
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the relay-cli tests share: an account in the test keyring, a
 * relay-cli run to its end while the test's main loop serves the
 * in-process sandbox, and the check that no secret was printed.
 * Header-only, like relay-test-messages.h.
 */

#pragma once

#include <gio/gio.h>
#include <string.h>

#include "relay-credential-store.h"
#include "relay-sandbox-server.h"
#include "relay-test-wait.h"

/* What one relay-cli run said. */
typedef struct
{
  int   status;
  char *out;
  char *err;
} RelayTestRun;

static inline void
relay_test_run_clear (RelayTestRun *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RelayTestRun, relay_test_run_clear)

/* Starts $RELAY_CLI with @args (without the program), through @launcher
 * when given (its environment, its pipes: stdout and stderr piped). */
static inline GSubprocess *
relay_test_cli_spawn (GSubprocessLauncher *launcher,
                      const char *const   *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("RELAY_CLI");
  GSubprocess *process;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  if (launcher != NULL)
    process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  else
    process = g_subprocess_newv ((const char *const *) argv->pdata,
                                 G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                 &error);
  g_assert_no_error (error);

  return process;
}

/* Writes @input (nullable) to @process's stdin and reads its output to
 * its end while the main loop runs (serving the sandbox), and checks
 * that it printed no secret. */
static inline void
relay_test_cli_communicate_input (GSubprocess  *process,
                                  const char   *input,
                                  RelayTestRun *run)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_async (process, input, NULL, relay_test_result_cb, &result);
  g_subprocess_communicate_utf8_finish (process, relay_test_wait_result (&result), &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);

  g_assert_null (strstr (run->out, RELAY_SANDBOX_DEFAULT_API_SECRET));
  g_assert_null (strstr (run->err, RELAY_SANDBOX_DEFAULT_API_SECRET));
}

static inline void
relay_test_cli_communicate (GSubprocess  *process,
                            RelayTestRun *run)
{
  relay_test_cli_communicate_input (process, NULL, run);
}

/* Stores an API-key account of the sandbox whose REST base is
 * @rest_base in the test keyring; returns its id. */
static inline char *
relay_test_store_account (const char *rest_base,
                          const char *secret)
{
  g_autoptr(RelayProvider) provider = relay_provider_new (NULL, rest_base);
  g_autoptr(RelayAccount) account = relay_account_new_api_key (provider, RELAY_SANDBOX_DEFAULT_API_KEY);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  relay_account_set_secret (account, secret);
  relay_credential_store_save_async (relay_credential_store_get_default (), account, NULL,
                                     relay_test_result_cb, &result);
  g_assert_true (relay_credential_store_save_finish (relay_test_wait_result (&result), &error));
  g_assert_no_error (error);

  return g_strdup (relay_account_get_id (account));
}

static inline void
relay_test_forget_account (const char *id)
{
  g_autoptr(GAsyncResult) result = NULL;

  relay_credential_store_delete_async (relay_credential_store_get_default (), id, NULL,
                                       relay_test_result_cb, &result);
  relay_credential_store_delete_finish (relay_test_wait_result (&result), NULL);
}
