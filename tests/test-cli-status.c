/* test-cli-status.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * relay-cli status and login --reports-base as a user runs them: an
 * account stored in the real keyring of the test's D-Bus session, the
 * in-process sandbox over loopback on a manual clock (the delivery
 * delay passes when the test says so), a private history.
 */

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "relay-credential-store.h"
#include "relay-sandbox-server.h"
#include "relay-test-cli.h"
#include "relay-test-env.h"

#define T0 (G_GINT64_CONSTANT (1792567650) * G_USEC_PER_SEC)

typedef struct
{
  RelayClock         *clock;
  RelaySandboxServer *sandbox;
  char               *base;
  char               *account_id;
} Fixture;

/* Runs relay-cli with @args (and @input on stdin) while the main loop
 * serves the sandbox; with @debug, Relay's debug messages on stderr. */
static void
run_cli_full (RelayTestRun      *run,
              const char        *input,
              gboolean           debug,
              const char *const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;

  if (debug)
    g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "Relay", TRUE);
  process = relay_test_cli_spawn (launcher, args);
  relay_test_cli_communicate_input (process, input != NULL ? input : "", run);
}

static void
run_cli (RelayTestRun               *run,
         const char *const *args)
{
  run_cli_full (run, NULL, FALSE, args);
}

/* Signs in with the sandbox as both the REST and the reports base. */
static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *rest_base = NULL;
  g_autoptr(RelayProvider) provider = NULL;
  g_autoptr(RelayAccount) account = NULL;
  g_auto(RelayTestRun) login = { 0 };

  fixture->clock = relay_clock_new_manual (T0);
  fixture->sandbox = relay_sandbox_server_new ();
  relay_sandbox_server_set_clock (fixture->sandbox, fixture->clock);
  relay_sandbox_server_listen (fixture->sandbox, 0, &error);
  g_assert_no_error (error);
  fixture->base = relay_sandbox_server_get_base_uri (fixture->sandbox);
  rest_base = g_strndup (fixture->base, strlen (fixture->base) - 1);

  provider = relay_provider_new (NULL, rest_base);
  account = relay_account_new_api_key (provider, RELAY_SANDBOX_DEFAULT_API_KEY);
  fixture->account_id = g_strdup (relay_account_get_id (account));

  run_cli_full (&login, RELAY_SANDBOX_DEFAULT_API_SECRET "\n", FALSE,
                (const char *const[]) { "login", "--api-key", RELAY_SANDBOX_DEFAULT_API_KEY,
                                        "--rest-base", rest_base, "--reports-base", rest_base, NULL });
  g_assert_cmpstr (login.err, ==, "");
  g_assert_cmpint (login.status, ==, 0);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  relay_test_forget_account (fixture->account_id);
  g_assert_finalize_object (fixture->sandbox);
  g_assert_finalize_object (fixture->clock);
  g_free (fixture->base);
  g_free (fixture->account_id);
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

/* Sends one message and returns its first part's id. */
static char *
send_one (Fixture *fixture)
{
  g_auto(RelayTestRun) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *message;

  run_cli (&run, (const char *const[]) { "send", "--json", "--to", "447700900001", "--text", "Did it arrive?", NULL });
  g_assert_cmpint (run.status, ==, 0);
  message = json_array_get_object_element (json_object_get_array_member (parse_object (run.out, &root), "messages"), 0);
  g_assert_cmpstr (json_object_get_string_member (message, "state"), ==, "sent");

  return g_strdup (json_array_get_string_element (json_object_get_array_member (message, "message_ids"), 0));
}

static const char *
history_delivery (JsonNode **root)
{
  g_auto(RelayTestRun) run = { 0 };
  g_autoptr(GError) error = NULL;
  JsonNode *delivery;

  run_cli (&run, (const char *const[]) { "history", "--json", NULL });
  g_assert_cmpint (run.status, ==, 0);
  *root = json_from_string (run.out, &error);
  g_assert_no_error (error);
  delivery = json_object_get_member (json_array_get_object_element (json_node_get_array (*root), 0), "delivery");
  g_assert_nonnull (delivery);

  return JSON_NODE_HOLDS_NULL (delivery) ? NULL : json_node_get_string (delivery);
}

/* accepted, then (after the sandbox's delivery delay on its clock)
 * delivered; each answer lands on the history row. */
static void
test_status_json (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *id = send_one (fixture);
  g_auto(RelayTestRun) accepted = { 0 };
  g_auto(RelayTestRun) delivered = { 0 };
  g_auto(RelayTestRun) human = { 0 };
  g_autoptr(JsonNode) root1 = NULL;
  g_autoptr(JsonNode) root2 = NULL;
  g_autoptr(JsonNode) history1 = NULL;
  g_autoptr(JsonNode) history2 = NULL;
  JsonObject *object;

  g_assert_null (history_delivery (&history1));
  g_clear_pointer (&history1, json_node_unref);

  run_cli (&accepted, (const char *const[]) { "status", id, "--json", NULL });
  g_assert_cmpstr (accepted.err, ==, "");
  g_assert_cmpint (accepted.status, ==, 0);
  object = parse_object (accepted.out, &root1);
  g_assert_cmpstr (json_object_get_string_member (object, "message_id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "accepted");
  g_assert_cmpstr (json_object_get_string_member (object, "to"), ==, "447700900001");
  g_assert_true (json_node_is_null (json_object_get_member (object, "finalized_at")));
  g_assert_true (json_node_is_null (json_object_get_member (object, "error_code")));
  g_assert_cmpstr (history_delivery (&history1), ==, "accepted");

  relay_clock_advance (fixture->clock, RELAY_SANDBOX_DEFAULT_DELIVERY_DELAY * (G_USEC_PER_SEC / 1000));

  run_cli (&delivered, (const char *const[]) { "status", "--account", fixture->account_id, "--json", id, NULL });
  g_assert_cmpstr (delivered.err, ==, "");
  g_assert_cmpint (delivered.status, ==, 0);
  object = parse_object (delivered.out, &root2);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "delivered");
  g_assert_cmpint (json_object_get_int_member (object, "error_code"), ==, 0);
  g_assert_false (json_node_is_null (json_object_get_member (object, "finalized_at")));
  g_assert_cmpstr (json_object_get_string_member (object, "price"), ==, "0.03330000");
  g_assert_cmpstr (history_delivery (&history2), ==, "delivered");

  run_cli (&human, (const char *const[]) { "status", id, NULL });
  g_assert_cmpint (human.status, ==, 0);
  g_assert_true (g_str_has_prefix (human.out, id));
  g_assert_nonnull (strstr (human.out, ": delivered at "));
}

static void
test_status_errors (Fixture       *fixture,
                    gconstpointer  data)
{
  const struct {
    const char *args[5];
    int         status;
    const char *sentence;
  } cases[] = {
    { { "status", NULL }, 2, "message ID" },
    { { "status", "a b", NULL }, 2, "is not a message ID" },
    { { "status", "ABC", "DEF", NULL }, 2, "give one message ID" },
    { { "status", "--account", "api:nobody@nowhere", "ABC", NULL }, 1, "nobody" },
    { { "status", "0000000000000000", NULL }, 1, "no delivery record of message 0000000000000000" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(RelayTestRun) run = { 0 };

      run_cli (&run, cases[i].args);
      g_test_message ("%s", run.err);
      g_assert_cmpint (run.status, ==, cases[i].status);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_nonnull (strstr (run.err, cases[i].sentence));
      /* one sentence, one line */
      g_assert_true (g_str_has_suffix (run.err, "\n"));
      g_assert_true (strchr (run.err, '\n') == run.err + strlen (run.err) - 1);
    }
}

/* send asks the account's limit (the sandbox's --rate-limit) and paces
 * at it; the hidden --rate overrides it without asking. */
static void
test_send_follows_limit (Fixture       *fixture,
                         gconstpointer  data)
{
  g_auto(RelayTestRun) follows = { 0 };
  g_auto(RelayTestRun) forced = { 0 };

  relay_sandbox_server_set_rate_limit (fixture->sandbox, 3);
  run_cli_full (&follows, NULL, TRUE,
                (const char *const[]) { "send", "--to", "447700900001", "--text", "Paced", NULL });
  g_assert_cmpint (follows.status, ==, 0);
  g_assert_nonnull (strstr (follows.err, "Sending at the account's limit of 3 per second"));

  run_cli_full (&forced, NULL, TRUE,
                (const char *const[]) { "send", "--rate", "2", "--to", "447700900002", "--text", "Paced", NULL });
  g_assert_cmpint (forced.status, ==, 0);
  g_assert_null (strstr (forced.err, "account's limit"));
  g_assert_cmpuint (relay_sandbox_server_get_message_count (fixture->sandbox), ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  relay_test_require_keyring ();
  relay_test_private_data_home ();
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/relay/cli-status/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("status-json", test_status_json);
  ADD ("status-errors", test_status_errors);
  ADD ("send-follows-limit", test_send_follows_limit);

#undef ADD

  return g_test_run ();
}
