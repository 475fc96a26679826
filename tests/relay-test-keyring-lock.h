/* relay-test-keyring-lock.h — locking the test session's keyring
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Locks and unlocks the default collection of the real gnome-keyring in
 * the private test session, over D-Bus, and plays the system prompter
 * (org.gnome.keyring.SystemPrompter) so that asking to unlock never
 * starts gcr-prompter on the test's display, where nobody would answer:
 * every prompt fails to begin, so gnome-keyring dismisses it at once,
 * as on a desktop without a working prompter; relay_test_prompts counts
 * the prompts asked for. Unlocking takes the keyring's password
 * (build-aux/test-session gives it "relay-test") through gnome-keyring's
 * prompt-free interface. A program that locks runs alone
 * (is_parallel: false) and unlocks whatever happens (see
 * test-keyring-locked.c). Header-only, like relay-test-cli.h.
 */

#pragma once

#include <gio/gio.h>
#include <string.h>

#include "relay-credential-store.h"

#define RELAY_TEST_SECRETS_NAME "org.freedesktop.secrets"
#define RELAY_TEST_SECRETS_PATH "/org/freedesktop/secrets"
#define RELAY_TEST_PROMPTER_NAME "org.gnome.keyring.SystemPrompter"
#define RELAY_TEST_PROMPTER_PATH "/org/gnome/keyring/Prompter"
/* The password the test harness gave the keyring. */
#define RELAY_TEST_KEYRING_PASSWORD "relay-test"
#define RELAY_TEST_LOCKED_WORDS "keyring is locked"

static G_GNUC_UNUSED GDBusConnection *relay_test_lock_bus;
static G_GNUC_UNUSED guint relay_test_prompts;

static G_GNUC_UNUSED const char relay_test_prompter_xml[] =
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
static inline void
relay_test_prompter_call (GDBusConnection       *connection,
               const char            *sender,
               const char            *path,
               const char            *interface,
               const char            *method,
               GVariant              *parameters,
               GDBusMethodInvocation *invocation,
               gpointer               user_data)
{
  if (g_strcmp0 (method, "BeginPrompting") == 0)
    relay_test_prompts++;
  g_dbus_method_invocation_return_dbus_error (invocation, "org.freedesktop.DBus.Error.NotSupported",
                                              "No prompt can be shown in this test");
}

static G_GNUC_UNUSED gboolean relay_test_prompter_owned;
static G_GNUC_UNUSED gboolean relay_test_prompter_lost;

static inline void
relay_test_prompter_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  relay_test_prompter_owned = TRUE;
}

static inline void
relay_test_prompter_lost_cb (GDBusConnection *connection,
              const char      *name,
              gpointer         user_data)
{
  relay_test_prompter_lost = TRUE;
}

/* NULL when this process now is the system prompter, else why not. */
static inline const char *
relay_test_own_prompter (void)
{
  static const GDBusInterfaceVTable vtable = { relay_test_prompter_call, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = g_dbus_node_info_new_for_xml (relay_test_prompter_xml, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (relay_test_lock_bus, RELAY_TEST_PROMPTER_PATH, info->interfaces[0], &vtable, NULL, NULL, &error);
  g_assert_no_error (error);

  g_bus_own_name_on_connection (relay_test_lock_bus, RELAY_TEST_PROMPTER_NAME, G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE,
                                relay_test_prompter_acquired_cb, relay_test_prompter_lost_cb, NULL, NULL);
  while (!relay_test_prompter_owned && !relay_test_prompter_lost)
    g_main_context_iteration (NULL, TRUE);

  return relay_test_prompter_owned ? NULL : "another system prompter runs on this bus: a prompt could wait for an answer";
}

static inline GVariant *
relay_test_secrets_call (const char         *path,
              const char         *interface,
              const char         *method,
              GVariant           *parameters,
              const GVariantType *reply_type)
{
  g_autoptr(GError) error = NULL;
  GVariant *reply;

  reply = g_dbus_connection_call_sync (relay_test_lock_bus, RELAY_TEST_SECRETS_NAME, path, interface, method, parameters, reply_type,
                                       G_DBUS_CALL_FLAGS_NONE, 10000, NULL, &error);
  g_assert_no_error (error);
  return reply;
}

/* The collection Relay stores into. */
static inline char *
relay_test_default_collection (void)
{
  g_autoptr(GVariant) reply = relay_test_secrets_call (RELAY_TEST_SECRETS_PATH, "org.freedesktop.Secret.Service", "ReadAlias",
                                            g_variant_new ("(s)", "default"), G_VARIANT_TYPE ("(o)"));
  char *path;

  g_variant_get (reply, "(o)", &path);
  g_assert_cmpstr (path, !=, "/");
  return path;
}

static inline gboolean
relay_test_keyring_locked (void)
{
  g_autofree char *collection = relay_test_default_collection ();
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;

  reply = relay_test_secrets_call (collection, "org.freedesktop.DBus.Properties", "Get",
                        g_variant_new ("(ss)", "org.freedesktop.Secret.Collection", "Locked"),
                        G_VARIANT_TYPE ("(v)"));
  g_variant_get (reply, "(v)", &value);
  return g_variant_get_boolean (value);
}

static inline void
relay_test_lock_keyring (void)
{
  g_autofree char *collection = relay_test_default_collection ();
  const char *paths[] = { collection, NULL };
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *prompt = NULL;
  g_autofree const char **locked = NULL;

  reply = relay_test_secrets_call (RELAY_TEST_SECRETS_PATH, "org.freedesktop.Secret.Service", "Lock",
                        g_variant_new ("(^ao)", paths), G_VARIANT_TYPE ("(aoo)"));
  g_variant_get (reply, "(^a&oo)", &locked, &prompt);
  g_assert_cmpstr (prompt, ==, "/");
  g_assert_true (relay_test_keyring_locked ());
}

/* Without a prompt: gnome-keyring's own interface takes the password. */
static inline void
relay_test_unlock_keyring (void)
{
  g_autofree char *collection = relay_test_default_collection ();
  g_autoptr(GVariant) session_reply = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) output = NULL;
  g_autofree char *session = NULL;

  if (!relay_test_keyring_locked ())
    return;

  session_reply = relay_test_secrets_call (RELAY_TEST_SECRETS_PATH, "org.freedesktop.Secret.Service", "OpenSession",
                                g_variant_new ("(sv)", "plain", g_variant_new_string ("")),
                                G_VARIANT_TYPE ("(vo)"));
  g_variant_get (session_reply, "(vo)", &output, &session);
  reply = relay_test_secrets_call (RELAY_TEST_SECRETS_PATH, "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface",
                        "UnlockWithMasterPassword",
                        g_variant_new ("(o(o@ay@ays))", collection, session,
                                       g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "", 0, 1),
                                       g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, RELAY_TEST_KEYRING_PASSWORD,
                                                                  strlen (RELAY_TEST_KEYRING_PASSWORD), 1),
                                       "text/plain"),
                        NULL);
  g_clear_pointer (&reply, g_variant_unref);
  reply = relay_test_secrets_call (session, "org.freedesktop.Secret.Session", "Close", NULL, NULL);

  if (relay_test_keyring_locked ())
    g_error ("The keyring stays locked: later suites will fail. Its password is not “" RELAY_TEST_KEYRING_PASSWORD "”?");
}

/* How many items of the test schema carry @id: locked or not, straight
 * from the Secret Service. */
static inline guint
relay_test_keyring_items (const char *id)
{
  g_autoptr(GVariantBuilder) match = g_variant_builder_new (G_VARIANT_TYPE ("a{ss}"));
  g_autoptr(GVariant) reply = NULL;
  g_autofree const char **unlocked = NULL;
  g_autofree const char **locked = NULL;

  g_variant_builder_add (match, "{ss}", "xdg:schema", RELAY_CREDENTIAL_TEST_SCHEMA_NAME);
  g_variant_builder_add (match, "{ss}", "id", id);
  reply = relay_test_secrets_call (RELAY_TEST_SECRETS_PATH, "org.freedesktop.Secret.Service", "SearchItems",
                        g_variant_new ("(a{ss})", match), G_VARIANT_TYPE ("(aoao)"));
  g_variant_get (reply, "(^a&o^a&o)", &unlocked, &locked);

  return g_strv_length ((char **) unlocked) + g_strv_length ((char **) locked);
}

static inline gboolean
relay_test_prompter_running (void)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean owned;

  reply = g_dbus_connection_call_sync (relay_test_lock_bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", RELAY_TEST_PROMPTER_NAME), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  g_assert_nonnull (reply);
  g_variant_get (reply, "(b)", &owned);
  return owned;
}

/* In a test's parent process: runs the test again in a subprocess (which
 * locks the keyring) and unlocks the keyring after it, whatever became
 * of it. FALSE when the test is skipped instead, as a system prompter
 * already runs; else g_test_trap_assert_passed() and friends tell the
 * subprocess's outcome. */
static inline gboolean
relay_test_trap_locked (void)
{
  if (relay_test_prompter_running ())
    {
      g_test_skip ("a system prompter already runs on this bus: a prompt could wait for an answer");
      return FALSE;
    }
  g_assert_false (relay_test_keyring_locked ());

  g_test_trap_subprocess (NULL, 90 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);

  relay_test_unlock_keyring ();
  return TRUE;
}

/* Connects to the session bus; FALSE (with @error) when there is none. */
static inline gboolean
relay_test_lock_init (GError **error)
{
  relay_test_lock_bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, error);
  return relay_test_lock_bus != NULL;
}
