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

#define SECRETS_NAME "org.freedesktop.secrets"
#define SECRETS_PATH "/org/freedesktop/secrets"
#define PROMPTER_NAME "org.gnome.keyring.SystemPrompter"
#define PROMPTER_PATH "/org/gnome/keyring/Prompter"
/* The password the test harness gave the keyring. */
#define KEYRING_PASSWORD "relay-test"
#define LOCKED_WORDS "keyring is locked"

static GDBusConnection *bus;
static guint prompts;

static const char prompter_xml[] =
  "<node>"
  "  <interface name='org.gnome.keyring.internal.Prompter'>"
  "    <method name='BeginPrompting'><arg type='o' direction='in'/></method>"
  "    <method name='PerformPrompt'>"
  "      <arg type='o' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/><arg type='s' direction='in'/>"
  "    </method>"
  "    <method name='StopPrompting'><arg type='o' direction='in'/></method>"
  "  </interface>"
  "</node>";

/* A prompter that can show nothing: every prompt fails to begin. */
static void
prompter_call (GDBusConnection       *connection,
               const char            *sender,
               const char            *path,
               const char            *interface,
               const char            *method,
               GVariant              *parameters,
               GDBusMethodInvocation *invocation,
               gpointer               user_data)
{
  if (g_strcmp0 (method, "BeginPrompting") == 0)
    prompts++;
  g_dbus_method_invocation_return_dbus_error (invocation, "org.freedesktop.DBus.Error.NotSupported",
                                              "No prompt can be shown in this test");
}

static gboolean prompter_owned;
static gboolean prompter_lost;

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  prompter_owned = TRUE;
}

static void
name_lost_cb (GDBusConnection *connection,
              const char      *name,
              gpointer         user_data)
{
  prompter_lost = TRUE;
}

/* NULL when this process now is the system prompter, else why not. */
static const char *
own_prompter (void)
{
  static const GDBusInterfaceVTable vtable = { prompter_call, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = g_dbus_node_info_new_for_xml (prompter_xml, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (bus, PROMPTER_PATH, info->interfaces[0], &vtable, NULL, NULL, &error);
  g_assert_no_error (error);

  g_bus_own_name_on_connection (bus, PROMPTER_NAME, G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE,
                                name_acquired_cb, name_lost_cb, NULL, NULL);
  while (!prompter_owned && !prompter_lost)
    g_main_context_iteration (NULL, TRUE);

  return prompter_owned ? NULL : "another system prompter runs on this bus: a prompt could wait for an answer";
}

static GVariant *
secrets_call (const char         *path,
              const char         *interface,
              const char         *method,
              GVariant           *parameters,
              const GVariantType *reply_type)
{
  g_autoptr(GError) error = NULL;
  GVariant *reply;

  reply = g_dbus_connection_call_sync (bus, SECRETS_NAME, path, interface, method, parameters, reply_type,
                                       G_DBUS_CALL_FLAGS_NONE, 10000, NULL, &error);
  g_assert_no_error (error);
  return reply;
}

/* The collection Relay stores into. */
static char *
default_collection (void)
{
  g_autoptr(GVariant) reply = secrets_call (SECRETS_PATH, "org.freedesktop.Secret.Service", "ReadAlias",
                                            g_variant_new ("(s)", "default"), G_VARIANT_TYPE ("(o)"));
  char *path;

  g_variant_get (reply, "(o)", &path);
  g_assert_cmpstr (path, !=, "/");
  return path;
}

static gboolean
collection_locked (void)
{
  g_autofree char *collection = default_collection ();
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;

  reply = secrets_call (collection, "org.freedesktop.DBus.Properties", "Get",
                        g_variant_new ("(ss)", "org.freedesktop.Secret.Collection", "Locked"),
                        G_VARIANT_TYPE ("(v)"));
  g_variant_get (reply, "(v)", &value);
  return g_variant_get_boolean (value);
}

static void
lock_keyring (void)
{
  g_autofree char *collection = default_collection ();
  const char *paths[] = { collection, NULL };
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *prompt = NULL;
  g_autofree const char **locked = NULL;

  reply = secrets_call (SECRETS_PATH, "org.freedesktop.Secret.Service", "Lock",
                        g_variant_new ("(^ao)", paths), G_VARIANT_TYPE ("(aoo)"));
  g_variant_get (reply, "(^a&oo)", &locked, &prompt);
  g_assert_cmpstr (prompt, ==, "/");
  g_assert_true (collection_locked ());
}

/* Without a prompt: gnome-keyring's own interface takes the password. */
static void
unlock_keyring (void)
{
  g_autofree char *collection = default_collection ();
  g_autoptr(GVariant) session_reply = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) output = NULL;
  g_autofree char *session = NULL;

  if (!collection_locked ())
    return;

  session_reply = secrets_call (SECRETS_PATH, "org.freedesktop.Secret.Service", "OpenSession",
                                g_variant_new ("(sv)", "plain", g_variant_new_string ("")),
                                G_VARIANT_TYPE ("(vo)"));
  g_variant_get (session_reply, "(vo)", &output, &session);
  reply = secrets_call (SECRETS_PATH, "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface",
                        "UnlockWithMasterPassword",
                        g_variant_new ("(o(o@ay@ays))", collection, session,
                                       g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "", 0, 1),
                                       g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, KEYRING_PASSWORD,
                                                                  strlen (KEYRING_PASSWORD), 1),
                                       "text/plain"),
                        NULL);
  g_clear_pointer (&reply, g_variant_unref);
  reply = secrets_call (session, "org.freedesktop.Secret.Session", "Close", NULL, NULL);

  if (collection_locked ())
    g_error ("The keyring stays locked: later suites will fail. Its password is not “" KEYRING_PASSWORD "”?");
}

/* How many items of the test schema carry @id: locked or not, straight
 * from the Secret Service. */
static guint
raw_items (const char *id)
{
  g_autoptr(GVariantBuilder) match = g_variant_builder_new (G_VARIANT_TYPE ("a{ss}"));
  g_autoptr(GVariant) reply = NULL;
  g_autofree const char **unlocked = NULL;
  g_autofree const char **locked = NULL;

  g_variant_builder_add (match, "{ss}", "xdg:schema", RELAY_CREDENTIAL_TEST_SCHEMA_NAME);
  g_variant_builder_add (match, "{ss}", "id", id);
  reply = secrets_call (SECRETS_PATH, "org.freedesktop.Secret.Service", "SearchItems",
                        g_variant_new ("(a{ss})", match), G_VARIANT_TYPE ("(aoao)"));
  g_variant_get (reply, "(^a&o^a&o)", &unlocked, &locked);

  return g_strv_length ((char **) unlocked) + g_strv_length ((char **) locked);
}

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
  g_assert_nonnull (strstr (error->message, LOCKED_WORDS));
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
  lock_keyring ();

  {
    g_autoptr(GAsyncResult) result = NULL;

    asked = prompts;
    relay_credential_store_load_async (store, id, NULL, relay_test_result_cb, &result);
    account = relay_credential_store_load_finish (relay_test_wait_result (&result), &error);
    g_assert_null (account);
    assert_locked_error (error);
    g_assert_cmpuint (prompts, >, asked);
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

    asked = prompts;
    relay_credential_store_list_async (store, NULL, relay_test_result_cb, &result);
    accounts = relay_credential_store_list_finish (relay_test_wait_result (&result), &error);
    g_assert_null (accounts);
    assert_locked_error (error);
    g_assert_cmpuint (prompts, >, asked);
    g_clear_error (&error);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;

    asked = prompts;
    relay_credential_store_delete_async (store, id, NULL, relay_test_result_cb, &result);
    g_assert_false (relay_credential_store_delete_finish (relay_test_wait_result (&result), &error));
    assert_locked_error (error);
    g_assert_cmpuint (prompts, >, asked);
    g_clear_error (&error);
  }
  {
    g_autoptr(GAsyncResult) result = NULL;

    /* Storing (signing in, renaming) needs the collection unlocked. */
    asked = prompts;
    relay_credential_store_save_async (store, other, NULL, relay_test_result_cb, &result);
    g_assert_false (relay_credential_store_save_finish (relay_test_wait_result (&result), &error));
    assert_locked_error (error);
    g_assert_cmpuint (prompts, >, asked);
    g_clear_error (&error);
  }

  g_assert_true (collection_locked ());
  g_assert_cmpuint (raw_items (id), ==, 1);
  g_assert_cmpuint (raw_items (relay_account_get_id (other)), ==, 0);

  /* Unlocked, the same store reads it again. */
  unlock_keyring ();
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
  g_assert_cmpuint (raw_items (id), ==, 0);
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

  lock_keyring ();

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(RelayTestRun) run = { 0 };
      guint asked = prompts;

      g_test_message ("relay-cli %s %s", commands[i][0], commands[i][1] != NULL ? commands[i][1] : "");
      run_cli (&run, g_str_equal (commands[i][0], "login") ? "not-the-secret\n" : NULL, commands[i]);
      g_assert_cmpint (run.status, !=, 0);
      g_assert_nonnull (strstr (run.err, LOCKED_WORDS));
      g_assert_null (strstr (run.err, "No account is signed in"));
      g_assert_null (strstr (run.err, "No stored account"));
      g_assert_cmpstr (run.out, ==, "");
      /* It asked the Secret Service to unlock, which prompts. */
      g_assert_cmpuint (prompts, >, asked);
      /* Still locked, and the item still there. */
      g_assert_true (collection_locked ());
      g_assert_cmpuint (raw_items (id), ==, 1);
    }

  /* Unlocked, the same commands find the account. */
  unlock_keyring ();
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
    g_assert_cmpuint (raw_items (id), ==, 0);
  }
}

static gboolean
prompter_running (void)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean owned;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", PROMPTER_NAME), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  g_assert_nonnull (reply);
  g_variant_get (reply, "(b)", &owned);
  return owned;
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
      const char *reason = own_prompter ();

      if (reason != NULL)
        g_error ("%s", reason);
      ((GTestFunc) data) ();
      return;
    }

  if (prompter_running ())
    {
      g_test_skip ("a system prompter already runs on this bus: a prompt could wait for an answer");
      return;
    }
  g_assert_false (collection_locked ());

  g_test_trap_subprocess (NULL, 90 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);

  unlock_keyring ();
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

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (bus == NULL)
    relay_test_skip_all (error->message);

  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/relay/keyring-locked/store", (gconstpointer) test_store, locked_case);
  g_test_add_data_func ("/relay/keyring-locked/cli", (gconstpointer) test_cli, locked_case);

  return g_test_run ();
}
