/* test-cli-send.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * relay-cli send and balance as a user runs them: an account stored in
 * the real keyring of the test's D-Bus session, the in-process sandbox
 * over loopback, the exit status, stdout, stderr and the messages log.
 */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>

#include "relay-credential-store.h"
#include "relay-sandbox-server.h"
#include "relay-test-cli.h"
#include "relay-test-env.h"
#include "relay-test-messages.h"

typedef struct
{
  RelaySandboxServer *sandbox;
  char               *base;
  char               *rest_base;
  char               *tmpdir;
  char               *log_path;
  char               *account_id;
} Fixture;

static gboolean
have_keyring (void)
{
  const char *unsafe = relay_test_keyring_unsafe ();

  if (unsafe != NULL)
    {
      g_test_skip (unsafe);
      return FALSE;
    }
  return TRUE;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmpdir = g_dir_make_tmp ("relay-cli-send-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->log_path = g_build_filename (fixture->tmpdir, "messages.jsonl", NULL);

  fixture->sandbox = relay_sandbox_server_new ();
  relay_sandbox_server_set_messages_path (fixture->sandbox, fixture->log_path);
  relay_sandbox_server_listen (fixture->sandbox, 0, &error);
  g_assert_no_error (error);
  fixture->base = relay_sandbox_server_get_base_uri (fixture->sandbox);
  fixture->rest_base = g_strndup (fixture->base, strlen (fixture->base) - 1);

  if (relay_test_keyring_unsafe () == NULL)
    fixture->account_id = relay_test_store_account (fixture->rest_base, RELAY_SANDBOX_DEFAULT_API_SECRET);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  if (fixture->account_id != NULL)
    relay_test_forget_account (fixture->account_id);
  g_assert_finalize_object (fixture->sandbox);
  g_unlink (fixture->log_path);
  g_rmdir (fixture->tmpdir);
  g_free (fixture->log_path);
  g_free (fixture->tmpdir);
  g_free (fixture->rest_base);
  g_free (fixture->base);
  g_free (fixture->account_id);
}

static void
run_cli (RelayTestRun      *run,
         const char *const *args)
{
  g_autoptr(GSubprocess) process = relay_test_cli_spawn (NULL, args);

  relay_test_cli_communicate (process, run);
}

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++)
    n += *p == '\n';
  return n;
}

static void
test_send_human (Fixture       *fixture,
                 gconstpointer  data)
{
  g_auto(RelayTestRun) run = { 0 };
  g_autofree char *log = NULL;

  if (!have_keyring ())
    return;

  run_cli (&run, (const char *const[]) { "send", "--account", fixture->account_id,
                                         "--to", "+44 7700 900001", "--to", "447700900002",
                                         "--to", "0044 7700 900001",
                                         "--text", "Hello from relay-cli", NULL });
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "447700900001: sent in 1 part (message id "));
  g_assert_nonnull (strstr (run.out, "447700900002: sent in 1 part (message id "));
  g_assert_nonnull (strstr (run.out, "remaining balance"));
  g_assert_cmpuint (relay_sandbox_server_get_message_count (fixture->sandbox), ==, 2);

  g_assert_true (g_file_get_contents (fixture->log_path, &log, NULL, NULL));
  g_assert_cmpuint (count_lines (log), ==, 2);
  g_assert_nonnull (strstr (log, "\"from\":\"Relay\""));
}

static void
test_send_json_unicode (Fixture       *fixture,
                        gconstpointer  data)
{
  g_auto(RelayTestRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strnfill (200, 'x');
  JsonObject *message;

  if (!have_keyring ())
    return;

  /* Without --account: the only stored account serves. */
  run_cli (&run, (const char *const[]) { "send", "--json", "--unicode", "--from", "Tester",
                                         "--to", "447700900003", "--text", text, NULL });
  g_assert_cmpint (run.status, ==, 0);
  root = json_from_string (run.out, &error);
  g_assert_no_error (error);
  message = json_array_get_object_element (json_object_get_array_member (json_node_get_object (root), "messages"), 0);
  g_assert_cmpstr (json_object_get_string_member (message, "to"), ==, "447700900003");
  /* 200 characters as UCS-2: 67 + 67 + 66. */
  g_assert_cmpint (json_object_get_int_member (message, "parts"), ==, 3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (message, "message_ids")), ==, 3);
  g_assert_cmpfloat (g_ascii_strtod (json_object_get_string_member (message, "price"), NULL), >, 0);
  g_assert_cmpint (json_object_get_int_member (message, "status"), ==, 0);
  /* The history row of the recipient (DESIGN.md). */
  g_assert_cmpstr (json_object_get_string_member (message, "state"), ==, "sent");
  g_assert_cmpstr (json_object_get_string_member (message, "encoding"), ==, "UCS-2");
  g_assert_cmpstr (json_object_get_string_member (message, "from"), ==, "Tester");
  g_assert_cmpint (json_object_get_int_member (message, "id"), >, 0);
  g_assert_true (json_node_is_null (json_object_get_member (message, "error")));
  /* No price list saved yet: the answer names no currency, none is
   * guessed. */
  g_assert_true (json_node_is_null (json_object_get_member (message, "currency")));
}

/* Once the account's price list is saved (relay-cli price), recorded
 * prices carry its currency, read from disk without a request. */
static void
test_send_currency (Fixture       *fixture,
                    gconstpointer  data)
{
  g_auto(RelayTestRun) price = { 0 };
  g_auto(RelayTestRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *message;

  if (!have_keyring ())
    return;

  run_cli (&price, (const char *const[]) { "price", "--to", "447700900004", "--text", "Hi", NULL });
  g_assert_cmpint (price.status, ==, 0);
  run_cli (&run, (const char *const[]) { "send", "--json", "--from", "Tester",
                                         "--to", "447700900004", "--text", "Hi", NULL });
  g_assert_cmpint (run.status, ==, 0);
  root = json_from_string (run.out, &error);
  g_assert_no_error (error);
  message = json_array_get_object_element (json_object_get_array_member (json_node_get_object (root), "messages"), 0);
  g_assert_cmpstr (json_object_get_string_member (message, "state"), ==, "sent");
  g_assert_cmpstr (json_object_get_string_member (message, "currency"), ==, "EUR");
}

static void
test_rest_base_override (Fixture       *fixture,
                         gconstpointer  data)
{
  g_auto(RelayTestRun) down = { 0 };
  g_auto(RelayTestRun) run = { 0 };
  g_autofree char *stale_id = NULL;

  if (!have_keyring ())
    return;

  /* An account stored with a REST base where nobody listens. */
  stale_id = relay_test_store_account ("http://127.0.0.1:9", RELAY_SANDBOX_DEFAULT_API_SECRET);
  run_cli (&down, (const char *const[]) { "send", "--account", stale_id,
                                          "--to", "447700900004", "--text", "Nowhere", NULL });
  g_assert_cmpint (down.status, ==, 1);
  g_assert_true (g_str_has_prefix (down.err, "relay-cli: 447700900004: Could not reach 127.0.0.1:9"));
  g_assert_cmpuint (count_lines (down.err), ==, 1);

  run_cli (&run, (const char *const[]) { "send", "--account", stale_id, "--rest-base", fixture->rest_base,
                                         "--to", "447700900004", "--text", "Overridden", NULL });
  relay_test_forget_account (stale_id);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpuint (relay_sandbox_server_get_message_count (fixture->sandbox), ==, 1);
}

static void
test_send_failures (Fixture       *fixture,
                    gconstpointer  data)
{
  g_auto(RelayTestRun) run = { 0 };
  g_autofree char *bad_id = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;

  if (!have_keyring ())
    return;

  /* One recipient fails (HTTP 500), the other is sent: exit 1 and one
   * sentence for the failure only. */
  g_assert_true (relay_sandbox_server_add_fault (fixture->sandbox, "/sms/json=http-500@1", &error));
  relay_sandbox_server_set_rate_limit (fixture->sandbox, 0);
  run_cli (&run, (const char *const[]) { "send", "--account", fixture->account_id, "--rate", "1",
                                         "--to", "447700900005", "--to", "447700900006",
                                         "--text", "Half", NULL });
  g_assert_cmpint (run.status, ==, 1);
  lines = g_strsplit (run.err, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_assert_true (g_str_has_prefix (lines[0], "relay-cli: 447700900005: "));
  g_assert_nonnull (strstr (lines[0], "HTTP 500"));
  g_assert_nonnull (strstr (run.out, "447700900006: sent in 1 part"));
  g_assert_cmpuint (relay_sandbox_server_get_message_count (fixture->sandbox), ==, 1);

  /* A wrong stored secret: Nexmo status 4 named with its meaning. */
  {
    g_auto(RelayTestRun) wrong = { 0 };

    bad_id = relay_test_store_account (fixture->base, "not-the-secret");
    g_assert_cmpstr (bad_id, ==, fixture->account_id);
    run_cli (&wrong, (const char *const[]) { "send", "--to", "447700900007", "--text", "Denied", NULL });
    g_assert_cmpint (wrong.status, ==, 1);
    g_assert_nonnull (strstr (wrong.err, "Nexmo status 4: The provider did not accept the credentials"));
    g_assert_null (strstr (wrong.err, "not-the-secret"));
    g_assert_cmpuint (count_lines (wrong.err), ==, 1);
  }
}

static void
test_usage (Fixture       *fixture,
            gconstpointer  data)
{
  static const struct { const char *args[8]; const char *needle; } cases[] = {
    { { "send", "--text", "no recipient", NULL }, "--to" },
    { { "send", "--to", "447700900008", NULL }, "--text" },
    { { "send", "--to", "447700900008", "--text", "", NULL }, "--text" },
    { { "send", "--to", "not a number", "--text", "x", NULL }, "international phone number" },
    { { "send", "--to", "447700900008", "--text", "x", "--rest-base", "http://rest.example.com", NULL }, "HTTPS" },
    { { "send", "--to", "447700900008", "--text", "x", "stray", NULL }, "stray" },
    { { "send", "--bogus", NULL }, "bogus" },
    { { "balance", "--rest-base", "ftp://127.0.0.1", NULL }, "ftp" },
    { { "balance", "extra", NULL }, "extra" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(RelayTestRun) run = { 0 };

      run_cli (&run, cases[i].args);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_true (g_str_has_prefix (run.err, "relay-cli: "));
      g_assert_nonnull (strstr (run.err, cases[i].needle));
      g_assert_cmpuint (count_lines (run.err), ==, 1);
    }

  g_assert_cmpuint (relay_sandbox_server_get_message_count (fixture->sandbox), ==, 0);
}

/* Refused before anything is sent (or charged), with a stored account
 * that would otherwise send: a blank message, a sender ID the window
 * refuses too, and a number the shell split at its spaces. */
static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  static const struct { const char *args[10]; const char *needle; } cases[] = {
    { { "send", "--to", "447700900010", "--text", "   ", NULL }, "only blank space" },
    { { "send", "--to", "447700900010", "--text", " \t\n\u00A0", NULL }, "only blank space" },
    { { "send", "--to", "447700900010", "--text", "x", "--from", "ABCDEFGHIJKL", NULL }, "at most 11 characters" },
    { { "send", "--to", "447700900010", "--text", "x", "--from", "1234567890123456", NULL }, "at most 15 digits" },
    { { "send", "--to", "447700900010", "--text", "x", "--from", "My Shop", NULL }, "only the letters A to Z and digits" },
    { { "send", "--to", "+44", "7700", "900000", "--text", "x", NULL }, "split by spaces" },
    { { "send", "--text", "x", "--to=+44", "7700", "900000", NULL }, "split by spaces" },
  };
  g_autofree char *log = NULL;

  if (!have_keyring ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(RelayTestRun) run = { 0 };

      run_cli (&run, cases[i].args);
      g_test_message ("case %u: %s", i, run.err);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_true (g_str_has_prefix (run.err, "relay-cli: "));
      g_assert_nonnull (strstr (run.err, cases[i].needle));
      g_assert_cmpuint (count_lines (run.err), ==, 1);
    }

  /* A valid sender ID at the limit still goes out. */
  {
    g_auto(RelayTestRun) run = { 0 };

    run_cli (&run, (const char *const[]) { "send", "--to", "447700900010", "--text", " x ",
                                           "--from", "ABCDEFGHIJK", NULL });
    g_assert_cmpint (run.status, ==, 0);
  }

  /* The sandbox's log holds that one message and nothing else. */
  g_assert_cmpuint (relay_sandbox_server_get_message_count (fixture->sandbox), ==, 1);
  g_assert_true (g_file_get_contents (fixture->log_path, &log, NULL, NULL));
  g_assert_cmpuint (count_lines (log), ==, 1);
  g_assert_nonnull (strstr (log, "\"from\":\"ABCDEFGHIJK\""));
}

/* Without --account, logout removes the only account; among several it
 * names them and removes none. */
static void
test_logout_several (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto(RelayTestRun) several = { 0 };
  g_auto(RelayTestRun) listed = { 0 };
  g_auto(RelayTestRun) named = { 0 };
  g_auto(RelayTestRun) only = { 0 };
  g_auto(RelayTestRun) none = { 0 };
  g_autofree char *other_id = NULL;
  g_autofree char *signed_out = NULL;

  if (!have_keyring ())
    return;

  other_id = relay_test_store_account ("http://127.0.0.1:9", RELAY_SANDBOX_DEFAULT_API_SECRET);
  g_assert_cmpstr (other_id, !=, fixture->account_id);

  run_cli (&several, (const char *const[]) { "logout", NULL });
  g_assert_cmpint (several.status, ==, 1);
  g_assert_cmpstr (several.out, ==, "");
  g_assert_true (g_str_has_prefix (several.err, "relay-cli: "));
  g_assert_cmpuint (count_lines (several.err), ==, 1);
  g_assert_nonnull (strstr (several.err, "--account"));
  g_assert_nonnull (strstr (several.err, fixture->account_id));
  g_assert_nonnull (strstr (several.err, other_id));

  run_cli (&listed, (const char *const[]) { "accounts", NULL });
  g_assert_cmpint (listed.status, ==, 0);
  g_assert_nonnull (strstr (listed.out, fixture->account_id));
  g_assert_nonnull (strstr (listed.out, other_id));

  run_cli (&named, (const char *const[]) { "logout", "--account", other_id, NULL });
  g_assert_cmpint (named.status, ==, 0);

  /* One account left: logout without options still takes it. */
  run_cli (&only, (const char *const[]) { "logout", NULL });
  g_assert_cmpint (only.status, ==, 0);
  signed_out = g_strdup_printf ("Signed out of %s\n", fixture->account_id);
  g_assert_cmpstr (only.out, ==, signed_out);

  run_cli (&none, (const char *const[]) { "accounts", "--json", NULL });
  g_assert_cmpstr (none.out, ==, "[]\n");
}

/* Each command's --help names the command in its usage line. */
static void
test_help (Fixture       *fixture,
           gconstpointer  data)
{
  static const char *const commands[] = { "sign", "login", "accounts", "logout", "send", "balance" };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(RelayTestRun) run = { 0 };
      g_autofree char *usage = g_strdup_printf ("Usage:\n  relay-cli %s [OPTION…]", commands[i]);

      run_cli (&run, (const char *const[]) { commands[i], "--help", NULL });
      g_assert_cmpint (run.status, ==, 0);
      g_assert_true (g_str_has_prefix (run.out, usage));
    }
}

static void
test_unknown_account (Fixture       *fixture,
                      gconstpointer  data)
{
  g_auto(RelayTestRun) run = { 0 };
  g_auto(RelayTestRun) balance = { 0 };

  if (!have_keyring ())
    return;

  run_cli (&run, (const char *const[]) { "send", "--account", "api:nobody@127.0.0.1:1",
                                         "--to", "447700900009", "--text", "x", NULL });
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (g_str_has_prefix (run.err, "relay-cli: "));
  g_assert_cmpuint (count_lines (run.err), ==, 1);

  run_cli (&balance, (const char *const[]) { "balance", "--account", "api:nobody@127.0.0.1:1", NULL });
  g_assert_cmpint (balance.status, ==, 1);
  g_assert_cmpuint (relay_sandbox_server_get_message_count (fixture->sandbox), ==, 0);
}

static void
test_balance (Fixture       *fixture,
              gconstpointer  data)
{
  g_auto(RelayTestRun) human = { 0 };
  g_auto(RelayTestRun) json = { 0 };
  g_auto(RelayTestRun) broken = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_keyring ())
    return;

  relay_sandbox_server_set_balance (fixture->sandbox, 12.5);
  run_cli (&human, (const char *const[]) { "balance", "--account", fixture->account_id, NULL });
  g_assert_cmpint (human.status, ==, 0);
  g_assert_cmpstr (human.out, ==, "Balance: 12.50 (automatic reload off)\n");

  run_cli (&json, (const char *const[]) { "balance", "--json", NULL });
  g_assert_cmpint (json.status, ==, 0);
  root = json_from_string (json.out, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (json_node_get_object (root), "value"), 12.5, 1e-9);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (root), "autoReload"));

  g_assert_true (relay_sandbox_server_add_fault (fixture->sandbox, "/account/get-balance=truncated@1", &error));
  run_cli (&broken, (const char *const[]) { "balance", NULL });
  g_assert_cmpint (broken.status, ==, 1);
  g_assert_nonnull (strstr (broken.err, "could not be read"));
  g_assert_cmpstr (broken.out, ==, "");
}

typedef struct
{
  RelaySandboxServer *sandbox;
  GSubprocess        *process;
  guint               after;
  int                 signum;
  gboolean            sent;
} Interrupt;

/* Interrupts relay-cli once the sandbox has accepted @after messages: a
 * state, not a delay. */
static gboolean
interrupt_cb (gpointer user_data)
{
  Interrupt *interrupt = user_data;

  if (relay_sandbox_server_get_message_count (interrupt->sandbox) < interrupt->after)
    return G_SOURCE_CONTINUE;

  g_subprocess_send_signal (interrupt->process, interrupt->signum);
  interrupt->sent = TRUE;
  return G_SOURCE_REMOVE;
}

/* Like run_cli(), sending @signum once @after messages were accepted. */
static void
run_cli_interrupted (Fixture           *fixture,
                     RelayTestRun      *run,
                     const char *const *args,
                     int                signum,
                     guint              after)
{
  Interrupt interrupt = { fixture->sandbox, NULL, after, signum, FALSE };
  guint source;

  interrupt.process = relay_test_cli_spawn (NULL, args);
  source = g_timeout_add (5, interrupt_cb, &interrupt);
  /* It ends by itself, after the signal, not of it. */
  relay_test_cli_communicate (interrupt.process, run);
  if (!interrupt.sent)
    g_source_remove (source);
  g_assert_true (interrupt.sent);
  g_clear_object (&interrupt.process);
}

/* 30 numbers at 10/s against slow answers: cancelled after two, most
 * are never attempted. */
static const char *const *
halfway_args (gboolean json)
{
  static GPtrArray *args[2];
  guint k = json ? 1 : 0;

  if (args[k] == NULL)
    {
      args[k] = g_ptr_array_new ();
      g_ptr_array_add (args[k], (gpointer) "send");
      if (json)
        g_ptr_array_add (args[k], (gpointer) "--json");
      g_ptr_array_add (args[k], (gpointer) "--rate");
      g_ptr_array_add (args[k], (gpointer) "10");
      g_ptr_array_add (args[k], (gpointer) "--text");
      g_ptr_array_add (args[k], (gpointer) "Half-way");
      for (guint i = 0; i < 30; i++)
        {
          g_ptr_array_add (args[k], (gpointer) "--to");
          g_ptr_array_add (args[k], g_strdup_printf ("4477009008%02u", i));
        }
      g_ptr_array_add (args[k], NULL);
    }

  return (const char *const *) args[k]->pdata;
}

static void
assert_halfway (RelayTestRun *run,
                GPtrArray    *outcomes,
                guint         counts[RELAY_SMS_STATE_UNCERTAIN + 1])
{
  g_autofree char *summary = NULL;

  g_test_message ("stderr: %s", run->err);
  g_assert_cmpuint (outcomes->len, ==, 30);
  g_assert_cmpuint (counts[RELAY_SMS_STATE_SENT], >=, 2);
  g_assert_cmpuint (counts[RELAY_SMS_STATE_NOT_SENT], >=, 1);
  g_assert_cmpuint (counts[RELAY_SMS_STATE_UNCERTAIN], ==, 0);
  g_assert_cmpuint (counts[RELAY_SMS_STATE_FAILED], ==, 0);

  /* Not everything was sent: exit 1, and a line that says what. */
  g_assert_cmpint (run->status, ==, 1);
  g_assert_true (g_str_has_prefix (run->err, "relay-cli: Stopping: "));
  summary = g_strdup_printf ("relay-cli: Sent %u of 30 messages: 0 failed, %u not sent, 0 may have been sent.\n",
                             counts[RELAY_SMS_STATE_SENT], counts[RELAY_SMS_STATE_NOT_SENT]);
  g_assert_true (g_str_has_suffix (run->err, summary));
}

static void
test_interrupt_json (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto(RelayTestRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) outcomes = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_sms_result_free);
  guint counts[RELAY_SMS_STATE_UNCERTAIN + 1];
  JsonArray *messages;

  if (!have_keyring ())
    return;

  g_assert_true (relay_sandbox_server_add_fault (fixture->sandbox, "/sms/json=slow:100", &error));
  run_cli_interrupted (fixture, &run, halfway_args (TRUE), SIGINT, 2);

  /* Every recipient, in order, with its state. */
  root = json_from_string (run.out, &error);
  g_assert_no_error (error);
  messages = json_object_get_array_member (json_node_get_object (root), "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 30);
  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      JsonObject *message = json_array_get_object_element (messages, i);
      JsonArray *ids = json_object_get_array_member (message, "message_ids");
      RelaySmsResult *outcome = g_new0 (RelaySmsResult, 1);
      g_autofree char *to = g_strdup_printf ("4477009008%02u", i);

      outcome->to = g_strdup (json_object_get_string_member (message, "to"));
      g_assert_cmpstr (outcome->to, ==, to);
      outcome->client_ref = g_strdup (json_object_get_string_member (message, "client_ref"));
      g_assert_true (relay_test_messages_state_from_string (json_object_get_string_member (message, "state"),
                                                            &outcome->state));
      if (json_array_get_length (ids) > 0)
        {
          outcome->message_ids = g_new0 (char *, 2);
          outcome->message_ids[0] = g_strdup (json_array_get_string_element (ids, 0));
        }
      /* Anything not sent says why. */
      g_assert_true ((outcome->state == RELAY_SMS_STATE_SENT) == json_node_is_null (json_object_get_member (message, "error")));
      g_ptr_array_add (outcomes, outcome);
    }

  relay_test_messages_compare (fixture->log_path, outcomes, counts);
  assert_halfway (&run, outcomes, counts);

  /* With --json too, what was not sent is said on stderr, one line each. */
  {
    g_auto(GStrv) lines = g_strsplit (run.err, "\n", -1);
    guint not_sent = 0;

    for (guint i = 0; lines[i] != NULL; i++)
      not_sent += strstr (lines[i], ": not sent: ") != NULL;
    g_assert_cmpuint (not_sent, ==, counts[RELAY_SMS_STATE_NOT_SENT]);
  }
}

static void
test_interrupt_human (Fixture       *fixture,
                      gconstpointer  data)
{
  g_auto(RelayTestRun) run = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) outcomes = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_sms_result_free);
  g_auto(GStrv) out_lines = NULL;
  g_auto(GStrv) err_lines = NULL;
  guint counts[RELAY_SMS_STATE_UNCERTAIN + 1];

  if (!have_keyring ())
    return;

  g_assert_true (relay_sandbox_server_add_fault (fixture->sandbox, "/sms/json=slow:100", &error));
  run_cli_interrupted (fixture, &run, halfway_args (FALSE), SIGTERM, 2);

  /* One line per recipient: "TO: sent in 1 part (message id ID)" on
   * stdout, "relay-cli: TO: not sent: …" on stderr. */
  out_lines = g_strsplit (run.out, "\n", -1);
  for (guint i = 0; out_lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      RelaySmsResult *outcome;

      if (!strstr (out_lines[i], ": sent in 1 part (message id "))
        continue;
      fields = g_strsplit_set (out_lines[i], ":() ", -1);
      outcome = g_new0 (RelaySmsResult, 1);
      outcome->to = g_strdup (fields[0]);
      outcome->state = RELAY_SMS_STATE_SENT;
      outcome->message_ids = g_new0 (char *, 2);
      outcome->message_ids[0] = g_strndup (strstr (out_lines[i], "message id ") + strlen ("message id "),
                                           strlen (strstr (out_lines[i], "message id ")) - strlen ("message id ") - 1);
      g_ptr_array_add (outcomes, outcome);
    }

  err_lines = g_strsplit (run.err, "\n", -1);
  for (guint i = 0; err_lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (err_lines[i], ": ", 3);
      RelaySmsResult *outcome;

      if (g_strv_length (fields) < 3 || !g_str_has_prefix (fields[2], "not sent: "))
        continue;
      outcome = g_new0 (RelaySmsResult, 1);
      outcome->to = g_strdup (fields[1]);
      outcome->state = RELAY_SMS_STATE_NOT_SENT;
      g_ptr_array_add (outcomes, outcome);
    }

  relay_test_messages_compare (fixture->log_path, outcomes, counts);
  assert_halfway (&run, outcomes, counts);
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  /* Most cases need the keyring: without the harness's private session
   * the program is one SKIP, not an OK of its few other cases. */
  relay_test_require_keyring ();
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/relay/cli-send/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("send-human", test_send_human);
  ADD ("send-json-unicode", test_send_json_unicode);
  ADD ("send-currency", test_send_currency);
  ADD ("rest-base-override", test_rest_base_override);
  ADD ("send-failures", test_send_failures);
  ADD ("usage", test_usage);
  ADD ("refused", test_refused);
  ADD ("logout-several", test_logout_several);
  ADD ("help", test_help);
  ADD ("unknown-account", test_unknown_account);
  ADD ("balance", test_balance);
  ADD ("interrupt-json", test_interrupt_json);
  ADD ("interrupt-human", test_interrupt_human);

#undef ADD

  return g_test_run ();
}
