/* test-cli-block.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * relay-cli block / unblock / blocked on a history in a throwaway
 * XDG_DATA_HOME: numbers normalised, one bad number changes nothing;
 * and relay-cli send never reaches a blocked number (the in-process
 * sandbox's --messages log), with an account in the test keyring.
 */

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "relay-sandbox-server.h"
#include "relay-test-cli.h"
#include "relay-test-env.h"
#include "relay-test-messages.h"

typedef struct
{
  char *tmpdir;
  char *data_home;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmpdir = g_dir_make_tmp ("relay-cli-block-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->data_home = g_build_filename (fixture->tmpdir, "data", NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf %s", fixture->tmpdir);

  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
  g_free (fixture->tmpdir);
  g_free (fixture->data_home);
}

static void
run_cli (Fixture           *fixture,
         RelayTestRun      *run,
         const char *const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", fixture->data_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "C", TRUE);
  process = relay_test_cli_spawn (launcher, args);
  relay_test_cli_communicate (process, run);
}

/* relay-cli blocked --json, as number → source. */
static GHashTable *
read_blocked (Fixture *fixture)
{
  const char *args[] = { "blocked", "--json", NULL };
  g_auto(RelayTestRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  GHashTable *blocked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  JsonArray *array;

  run_cli (fixture, &run, args);
  g_assert_cmpint (run.status, ==, 0);
  root = json_from_string (run.out, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *entry = json_array_get_object_element (array, i);

      g_assert_true (g_str_has_suffix (json_object_get_string_member (entry, "added_at"), "Z"));
      g_hash_table_insert (blocked, g_strdup (json_object_get_string_member (entry, "number")),
                           g_strdup (json_object_get_string_member (entry, "source")));
    }

  return blocked;
}

static void
test_block_unblock (Fixture       *fixture,
                    gconstpointer  data)
{
  const char *block[] = { "block", "+44 7700 900123", "07700 900124", "--default-country", "44", NULL };
  const char *again[] = { "block", "447700900123", NULL };
  const char *bad[] = { "block", "+44 7700 900125", "12ab", "07700 900126", NULL };
  const char *unblock[] = { "unblock", "+447700900123", "447700900999", NULL };
  const char *none[] = { "block", NULL };
  const char *human[] = { "blocked", NULL };
  g_auto(RelayTestRun) run = { 0 };
  g_auto(RelayTestRun) run2 = { 0 };
  g_auto(RelayTestRun) run3 = { 0 };
  g_auto(RelayTestRun) run4 = { 0 };
  g_auto(RelayTestRun) run5 = { 0 };
  g_auto(RelayTestRun) run6 = { 0 };
  g_autoptr(GHashTable) blocked = NULL;

  /* Empty before anything. */
  blocked = read_blocked (fixture);
  g_assert_cmpuint (g_hash_table_size (blocked), ==, 0);
  g_clear_pointer (&blocked, g_hash_table_unref);

  run_cli (fixture, &run, block);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "Added 2 numbers to the do-not-contact list.\n");
  blocked = read_blocked (fixture);
  g_assert_cmpuint (g_hash_table_size (blocked), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (blocked, "447700900123"), ==, "hand");
  g_assert_cmpstr (g_hash_table_lookup (blocked, "447700900124"), ==, "hand");
  g_clear_pointer (&blocked, g_hash_table_unref);

  run_cli (fixture, &run2, again);
  g_assert_cmpint (run2.status, ==, 0);
  g_assert_nonnull (strstr (run2.out, "1 number was on it already."));

  /* Each bad number named; nothing changed, not even the good one. */
  run_cli (fixture, &run3, bad);
  g_assert_cmpint (run3.status, ==, 1);
  g_assert_nonnull (strstr (run3.err, "“12ab” is not a phone number"));
  g_assert_nonnull (strstr (run3.err, "“07700 900126” is not a phone number"));
  g_assert_nonnull (strstr (run3.err, "Nothing was changed."));
  g_assert_null (strstr (run3.err, "900125"));
  blocked = read_blocked (fixture);
  g_assert_cmpuint (g_hash_table_size (blocked), ==, 2);
  g_assert_false (g_hash_table_contains (blocked, "447700900125"));
  g_clear_pointer (&blocked, g_hash_table_unref);

  run_cli (fixture, &run4, unblock);
  g_assert_cmpint (run4.status, ==, 0);
  g_assert_cmpstr (run4.out, ==, "Removed 1 number from the do-not-contact list.\n1 number was not on it.\n");
  blocked = read_blocked (fixture);
  g_assert_cmpuint (g_hash_table_size (blocked), ==, 1);
  g_assert_true (g_hash_table_contains (blocked, "447700900124"));

  run_cli (fixture, &run5, human);
  g_assert_cmpint (run5.status, ==, 0);
  g_assert_true (g_str_has_prefix (run5.out, "447700900124\t"));
  g_assert_true (g_str_has_suffix (run5.out, "\thand\n"));

  run_cli (fixture, &run6, none);
  g_assert_cmpint (run6.status, ==, 2);
  g_assert_cmpstr (run6.out, ==, "");
}

/* A single send never reaches a blocked number and says so. */
static void
test_send_skips_blocked (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(RelaySandboxServer) sandbox = relay_sandbox_server_new ();
  g_autofree char *log_path = g_build_filename (fixture->tmpdir, "messages.jsonl", NULL);
  g_autofree char *base = NULL;
  g_autofree char *rest_base = NULL;
  g_autofree char *account_id = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  const char *block[] = { "block", "+447700900302", NULL };
  g_auto(RelayTestRun) blocked_run = { 0 };
  g_auto(RelayTestRun) run = { 0 };
  JsonArray *messages;

  if (relay_test_keyring_unsafe () != NULL)
    {
      g_test_skip (relay_test_keyring_unsafe ());
      return;
    }

  relay_sandbox_server_set_messages_path (sandbox, log_path);
  relay_sandbox_server_set_rate_limit (sandbox, 0);
  relay_sandbox_server_set_balance (sandbox, 100.0);
  relay_sandbox_server_listen (sandbox, 0, &error);
  g_assert_no_error (error);
  base = relay_sandbox_server_get_base_uri (sandbox);
  rest_base = g_strndup (base, strlen (base) - 1);
  account_id = relay_test_store_account (rest_base, RELAY_SANDBOX_DEFAULT_API_SECRET);

  run_cli (fixture, &blocked_run, block);
  g_assert_cmpint (blocked_run.status, ==, 0);

  {
    const char *send[] = { "send", "--account", account_id, "--to", "+447700900301", "--to", "+447700900302",
                           "--text", "Surgery closed on Friday", "--json", NULL };

    run_cli (fixture, &run, send);
  }
  relay_test_forget_account (account_id);

  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "447700900302: not sent: This number is on the do-not-contact list"));
  root = json_from_string (run.out, &error);
  g_assert_no_error (error);
  messages = json_object_get_array_member (json_node_get_object (root), "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 0), "state"), ==, "sent");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 1), "state"), ==, "not-sent");
  g_assert_nonnull (strstr (json_object_get_string_member (json_array_get_object_element (messages, 1), "error"),
                            "on the do-not-contact list"));

  entries = relay_test_messages_read_log (log_path);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (entries->pdata[0]), "to"), ==, "447700900301");
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/relay/cli-block/block-unblock", Fixture, NULL, fixture_setup, test_block_unblock, fixture_teardown);
  g_test_add ("/relay/cli-block/send-skips-blocked", Fixture, NULL, fixture_setup, test_send_skips_blocked, fixture_teardown);

  return g_test_run ();
}
