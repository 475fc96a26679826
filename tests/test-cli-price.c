/* test-cli-price.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * relay-cli price, send --dry-run and send --max-cost as a user runs them:
 * an account in the real keyring of the test's D-Bus session, the
 * in-process sandbox over loopback, and its messages log, which shows
 * that nothing was sent when nothing may be.
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

/* Runs relay-cli with @args while the main loop serves the sandbox. */
static void
run_cli (RelayTestRun      *run,
         const char *const *args)
{
  g_autoptr(GSubprocess) process = relay_test_cli_spawn (NULL, args);

  relay_test_cli_communicate (process, run);
}

static guint
logged_messages (Fixture *fixture)
{
  g_autofree char *log = NULL;
  guint n = 0;

  if (!g_file_get_contents (fixture->log_path, &log, NULL, NULL))
    return 0;
  for (const char *p = log; *p != '\0'; p++)
    n += *p == '\n';
  return n;
}

static guint
history_rows (void)
{
  g_auto(RelayTestRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  run_cli (&run, (const char *const[]) { "history", "--json", NULL });
  g_assert_cmpint (run.status, ==, 0);
  root = json_from_string (run.out, &error);
  g_assert_no_error (error);
  return json_array_get_length (json_node_get_array (root));
}

static JsonObject *
parse_object (const char *text,
              JsonNode  **root)
{
  g_autoptr(GError) error = NULL;

  *root = json_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (*root));
  return json_node_get_object (*root);
}

static void
test_price_json (Fixture       *fixture,
                 gconstpointer  data)
{
  g_auto(RelayTestRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *object, *recipient;
  JsonArray *recipients;
  const char *const names[] = { "currency", "min", "max", "balance", "price_list_age_s", "recipients" };

  if (!have_keyring ())
    return;

  run_cli (&run, (const char *const[]) { "price", "--account", fixture->account_id, "--json",
                                         "--to", "447700900001", "--to", "+44 7700 900002",
                                         "--to", "447700900003", "--text", "Hello", NULL });
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  object = parse_object (run.out, &root);

  /* Exactly the members of DESIGN.md, in its order. */
  members = json_object_get_members (object);
  g_assert_cmpuint (g_list_length (members), ==, G_N_ELEMENTS (names));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_cmpstr (g_list_nth_data (members, i), ==, names[i]);

  g_assert_cmpstr (json_object_get_string_member (object, "currency"), ==, "EUR");
  /* 3 × 0.0333 exactly; GB's defaultPrice (0.0314) is not the minimum. */
  g_assert_cmpstr (json_object_get_string_member (object, "min"), ==, "0.0999");
  g_assert_cmpstr (json_object_get_string_member (object, "max"), ==, "0.108");
  g_assert_cmpstr (json_object_get_string_member (object, "balance"), ==, "10.00");
  g_assert_cmpint (json_object_get_int_member (object, "price_list_age_s"), >=, 0);
  g_assert_cmpint (json_object_get_int_member (object, "price_list_age_s"), <, 3600);
  recipients = json_object_get_array_member (object, "recipients");
  g_assert_cmpuint (json_array_get_length (recipients), ==, 3);
  recipient = json_array_get_object_element (recipients, 1);
  g_assert_cmpstr (json_object_get_string_member (recipient, "to"), ==, "447700900002");
  g_assert_cmpstr (json_object_get_string_member (recipient, "country"), ==, "GB");
  g_assert_true (json_node_is_null (json_object_get_member (recipient, "network")));
  g_assert_cmpint (json_object_get_int_member (recipient, "parts"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (recipient, "min"), ==, "0.0333");
  g_assert_cmpstr (json_object_get_string_member (recipient, "max"), ==, "0.036");

  g_assert_cmpuint (relay_sandbox_server_get_message_count (fixture->sandbox), ==, 0);
  g_assert_cmpuint (logged_messages (fixture), ==, 0);
}

static void
test_price_human (Fixture       *fixture,
                  gconstpointer  data)
{
  g_auto(RelayTestRun) run = { 0 };
  g_auto(RelayTestRun) again = { 0 };
  g_autofree char *text = g_strnfill (200, 'x');

  if (!have_keyring ())
    return;

  run_cli (&run, (const char *const[]) { "price", "--to", "491511234567", "--to", "14165550100",
                                         "--to", "12125550100", "--to", "99912345678",
                                         "--text", text, NULL });
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "491511234567: DE, network 26201, 2 parts, 0.15 EUR\n"));
  g_assert_nonnull (strstr (run.out, "14165550100: CA, network 302610, 2 parts, 0.0142 EUR\n"));
  g_assert_nonnull (strstr (run.out, "12125550100: US/CA, 2 parts, 0.0142–0.0162 EUR\n"));
  g_assert_nonnull (strstr (run.out, "99912345678: country not in the price list, no price known\n"));
  g_assert_nonnull (strstr (run.out, "Estimate: unknown; at least 0.1784 EUR, and 1 recipient has no known price\n"));
  g_assert_nonnull (strstr (run.out, "Balance: 10.00 EUR\n"));

  /* The list is kept: a second estimate asks the provider nothing. */
  g_assert_cmpuint (relay_sandbox_server_get_pricing_requests (fixture->sandbox), ==, 1);
  run_cli (&again, (const char *const[]) { "price", "--to", "447700900001", "--text", "Hi", NULL });
  g_assert_cmpint (again.status, ==, 0);
  g_assert_nonnull (strstr (again.out, "Estimate: 0.0333–0.036 EUR for 1 recipient\n"));
  g_assert_cmpuint (relay_sandbox_server_get_pricing_requests (fixture->sandbox), ==, 1);
}

static void
test_dry_run (Fixture       *fixture,
              gconstpointer  data)
{
  g_auto(RelayTestRun) run = { 0 };
  g_auto(RelayTestRun) human = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  guint rows;

  if (!have_keyring ())
    return;

  rows = history_rows ();
  run_cli (&run, (const char *const[]) { "send", "--dry-run", "--json", "--to", "447700900001",
                                         "--to", "447700900002", "--text", "Hello", NULL });
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  object = parse_object (run.out, &root);
  g_assert_cmpstr (json_object_get_string_member (object, "min"), ==, "0.0666");
  g_assert_cmpstr (json_object_get_string_member (object, "max"), ==, "0.072");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "recipients")), ==, 2);

  run_cli (&human, (const char *const[]) { "send", "--dry-run", "--to", "447700900001",
                                           "--text", "Hello", NULL });
  g_assert_cmpint (human.status, ==, 0);
  g_assert_nonnull (strstr (human.out, "Estimate: 0.0333–0.036 EUR for 1 recipient\n"));

  /* Sent nothing, queued nothing. */
  g_assert_cmpuint (relay_sandbox_server_get_message_count (fixture->sandbox), ==, 0);
  g_assert_cmpuint (logged_messages (fixture), ==, 0);
  g_assert_cmpfloat (relay_sandbox_server_get_balance (fixture->sandbox), ==, 10.0);
  g_assert_cmpuint (history_rows (), ==, rows);
}

static void
test_max_cost (Fixture       *fixture,
               gconstpointer  data)
{
  g_auto(RelayTestRun) above = { 0 };
  g_auto(RelayTestRun) unknown = { 0 };
  g_auto(RelayTestRun) malformed = { 0 };
  g_auto(RelayTestRun) within = { 0 };
  guint rows;

  if (!have_keyring ())
    return;

  rows = history_rows ();
  /* Up to 0.072 EUR may be charged: above 0.07, refused. */
  run_cli (&above, (const char *const[]) { "send", "--max-cost", "0.07", "--to", "447700900001",
                                           "--to", "447700900002", "--text", "Hello", NULL });
  g_assert_cmpint (above.status, ==, 1);
  g_assert_cmpstr (above.out, ==, "");
  g_assert_nonnull (strstr (above.err, "The estimate is up to 0.072 EUR, above --max-cost 0.07 EUR; nothing was sent."));

  /* An unknown price cannot be kept under any cap. */
  run_cli (&unknown, (const char *const[]) { "send", "--max-cost", "100", "--to", "99912345678",
                                             "--text", "Hello", NULL });
  g_assert_cmpint (unknown.status, ==, 1);
  g_assert_nonnull (strstr (unknown.err, "The price of 1 recipient is not known"));

  run_cli (&malformed, (const char *const[]) { "send", "--max-cost", "1e3", "--to", "447700900001",
                                               "--text", "Hello", NULL });
  g_assert_cmpint (malformed.status, ==, 2);
  g_assert_nonnull (strstr (malformed.err, "--max-cost takes an amount such as 1.50, not “1e3”."));

  g_assert_cmpuint (relay_sandbox_server_get_message_count (fixture->sandbox), ==, 0);
  g_assert_cmpuint (logged_messages (fixture), ==, 0);
  g_assert_cmpuint (history_rows (), ==, rows);

  /* Exactly at the cap is within it: sent, and charged what was said. */
  run_cli (&within, (const char *const[]) { "send", "--max-cost", "0.072", "--to", "447700900001",
                                            "--to", "447700900002", "--text", "Hello", NULL });
  g_assert_cmpstr (within.err, ==, "");
  g_assert_cmpint (within.status, ==, 0);
  g_assert_cmpuint (logged_messages (fixture), ==, 2);
  g_assert_cmpuint (history_rows (), ==, rows + 2);
  g_assert_cmpfloat_with_epsilon (relay_sandbox_server_get_balance (fixture->sandbox), 10.0 - 2 * 0.0333, 1e-9);
}

/* Offline, the saved list still estimates, and says how old it is. */
static void
test_offline (Fixture       *fixture,
              gconstpointer  data)
{
  g_auto(RelayTestRun) online = { 0 };
  g_auto(RelayTestRun) offline = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  if (!have_keyring ())
    return;

  run_cli (&online, (const char *const[]) { "price", "--to", "447700900001", "--text", "Hi", NULL });
  g_assert_cmpint (online.status, ==, 0);

  g_assert_finalize_object (g_steal_pointer (&fixture->sandbox));
  run_cli (&offline, (const char *const[]) { "price", "--json", "--to", "447700900001", "--text", "Hi", NULL });
  g_assert_cmpint (offline.status, ==, 0);
  object = parse_object (offline.out, &root);
  g_assert_cmpstr (json_object_get_string_member (object, "max"), ==, "0.036");
  g_assert_true (json_node_is_null (json_object_get_member (object, "balance")));
  g_assert_true (json_object_has_member (object, "price_list_age_s"));
  fixture->sandbox = relay_sandbox_server_new ();
}

/* No list at all (never fetched, provider unreachable): no estimate,
 * and so nothing sent, never a guess. */
static void
test_no_price_list (Fixture       *fixture,
                    gconstpointer  data)
{
  g_auto(RelayTestRun) dry = { 0 };
  g_auto(RelayTestRun) capped = { 0 };
  g_autofree char *down_id = NULL;
  guint rows;

  if (!have_keyring ())
    return;

  rows = history_rows ();
  down_id = relay_test_store_account ("http://127.0.0.1:9", RELAY_SANDBOX_DEFAULT_API_SECRET);
  run_cli (&dry, (const char *const[]) { "send", "--dry-run", "--account", down_id, "--to", "447700900001",
                                         "--text", "Hello", NULL });
  g_assert_cmpint (dry.status, ==, 1);
  g_assert_cmpstr (dry.out, ==, "");
  g_assert_true (g_str_has_prefix (dry.err, "relay-cli: Could not estimate the cost: "));
  g_assert_true (g_str_has_suffix (dry.err, ". Nothing was sent.\n"));

  run_cli (&capped, (const char *const[]) { "send", "--max-cost", "5", "--account", down_id,
                                            "--to", "447700900001", "--text", "Hello", NULL });
  g_assert_cmpint (capped.status, ==, 1);
  g_assert_true (g_str_has_suffix (capped.err, ". Nothing was sent.\n"));
  relay_test_forget_account (down_id);

  g_assert_cmpuint (relay_sandbox_server_get_message_count (fixture->sandbox), ==, 0);
  g_assert_cmpuint (history_rows (), ==, rows);
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  relay_test_require_keyring ();
  /* A private history and price list cache for relay-cli too. */
  relay_test_private_data_home ();
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/relay/cli-price/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("price-json", test_price_json);
  ADD ("price-human", test_price_human);
  ADD ("dry-run", test_dry_run);
  ADD ("max-cost", test_max_cost);
  ADD ("offline", test_offline);
  ADD ("no-price-list", test_no_price_list);

#undef ADD

  return g_test_run ();
}
