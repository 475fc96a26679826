/* test-hostile-cli.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 14, items 1 and 3, as a user met them: relay-cli balance and
 * send against a provider that answers with 100,000 levels of nesting
 * (SIGSEGV before), or with escape sequences and forged lines in its
 * message-id, network and error text. An account in the real keyring of
 * the test session; the provider is a hostile peer on loopback.
 */

#include <gio/gio.h>
#include <string.h>

#include "hostile-peer.h"
#include "relay-credential-store.h"
#include "relay-test-env.h"

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

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static char *
store_account (const char *rest_base)
{
  g_autoptr(RelayProvider) provider = relay_provider_new (NULL, rest_base);
  g_autoptr(RelayAccount) account = relay_account_new_api_key (provider, "hostile-key");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  relay_account_set_secret (account, "hostile-secret");
  relay_credential_store_save_async (relay_credential_store_get_default (), account, NULL, result_cb, &result);
  g_assert_true (relay_credential_store_save_finish (wait_result (&result), &error));
  g_assert_no_error (error);

  return g_strdup (relay_account_get_id (account));
}

static void
forget_account (const char *id)
{
  g_autoptr(GAsyncResult) result = NULL;

  relay_credential_store_delete_async (relay_credential_store_get_default (), id, NULL, result_cb, &result);
  relay_credential_store_delete_finish (wait_result (&result), NULL);
}

static void
run_cli (Run               *run,
         const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("RELAY_CLI");

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char *const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  /* Exited, not killed by a signal (SIGSEGV before the JSON guard). */
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  if (run->out == NULL)
    run->out = g_strdup ("");
  if (run->err == NULL)
    run->err = g_strdup ("");
}

static void
assert_no_control (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (*p != '\n' && g_ascii_iscntrl (*p))
      g_error ("control character 0x%02x in “%s”", (guchar) *p, text);
  g_assert_null (strstr (text, "\nFAKE LINE"));
  g_assert_false (g_str_has_prefix (text, "FAKE LINE"));
}

static void
test_deep_json (void)
{
  GString *deep = g_string_new ("{\"value\":");
  g_autoptr(HostilePeer) peer = NULL;
  g_autofree char *base = NULL;
  g_autofree char *id = NULL;
  g_autofree char *answer = NULL;
  g_auto(Run) balance = { 0, };
  g_auto(Run) send = { 0, };

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');
  answer = g_string_free (deep, FALSE);

  peer = hostile_peer_new (HOSTILE_ANSWER, answer);
  base = hostile_peer_get_base (peer);
  id = store_account (base);

  run_cli (&balance, (const char *const[]) { "balance", "--account", id, NULL });
  g_test_message ("balance: %d %s", balance.status, balance.err);
  g_assert_cmpint (balance.status, ==, 1);
  g_assert_nonnull (strstr (balance.err, "could not be read"));

  run_cli (&send, (const char *const[]) { "send", "--account", id, "--to", "447700900000", "--text", "hi", NULL });
  g_test_message ("send: %d %s %s", send.status, send.out, send.err);
  g_assert_cmpint (send.status, !=, 0);

  forget_account (id);
}

static void
test_forged_lines (void)
{
  static const char answer[] =
    "{\"message-count\": \"1\", \"messages\": [{\"to\": \"447700900000\", "
    "\"message-id\": \"0A00\\u001b]0;pwned\\u0007\\r\\nFAKE LINE: sent OK\", \"status\": \"0\", "
    "\"remaining-balance\": \"9.90\", \"message-price\": \"0.10\", \"network\": \"23410\\u001b[2J\"}]}";
  static const char refused[] =
    "{\"message-count\": \"1\", \"messages\": [{\"status\": \"7\", "
    "\"error-text\": \"barred\\u001b[2J\\r\\nFAKE LINE: sent OK\"}]}";
  const char *const answers[] = { answer, refused };

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(HostilePeer) peer = hostile_peer_new (HOSTILE_ANSWER, answers[i]);
      g_autofree char *base = hostile_peer_get_base (peer);
      g_autofree char *id = store_account (base);
      g_auto(Run) send = { 0, };

      run_cli (&send, (const char *const[]) { "send", "--account", id, "--to", "447700900000", "--text", "hi", NULL });
      g_test_message ("send %u: %d out=%s err=%s", i, send.status, send.out, send.err);
      g_assert_cmpint (send.status, !=, 0);
      assert_no_control (send.out);
      assert_no_control (send.err);
      forget_account (id);
    }
}

int
main (int    argc,
      char **argv)
{
  relay_test_require_keyring ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/relay/hostile-cli/deep-json", test_deep_json);
  g_test_add_func ("/relay/hostile-cli/forged-lines", test_forged_lines);

  return g_test_run ();
}
