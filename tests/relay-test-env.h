/* relay-test-env.h — when a test may run at all
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Keyring tests run only on the private D-Bus session that
 * build-aux/test-session started (it exports RELAY_TEST_PRIVATE_BUS as
 * that bus's address) and only with the test schema, so they can never
 * see or delete a user's real items. A program that cannot run says so
 * with an empty TAP plan, which meson counts as one SKIP (a program whose
 * cases are partly skipped would count as OK).
 */

#pragma once

#include <glib.h>
#include <stdlib.h>

#define RELAY_TEST_SCHEMA_NAME "io.github.relaysms.Relay.Credential.Test"

/* NULL when the keyring may be used, else why not. */
static inline const char *
relay_test_keyring_unsafe (void)
{
  const char *private_bus = g_getenv ("RELAY_TEST_PRIVATE_BUS");
  const char *bus = g_getenv ("DBUS_SESSION_BUS_ADDRESS");

  if (private_bus == NULL || *private_bus == '\0')
    return "not in the private D-Bus session of build-aux/test (RELAY_TEST_PRIVATE_BUS is unset)";
  if (g_strcmp0 (bus, private_bus) != 0)
    return "DBUS_SESSION_BUS_ADDRESS is not the private bus build-aux/test started";
  if (g_strcmp0 (g_getenv ("RELAY_CREDENTIAL_SCHEMA"), RELAY_TEST_SCHEMA_NAME) != 0)
    return "RELAY_CREDENTIAL_SCHEMA is not the test schema " RELAY_TEST_SCHEMA_NAME;

  return NULL;
}

/* NULL when GTK can open a display, else why not. */
static inline const char *
relay_test_display_missing (void)
{
  const char *display = g_getenv ("DISPLAY");
  const char *wayland = g_getenv ("WAYLAND_DISPLAY");

  if ((display == NULL || *display == '\0') && (wayland == NULL || *wayland == '\0'))
    return "no display (DISPLAY and WAYLAND_DISPLAY are unset; build-aux/test starts Xvfb)";

  return NULL;
}

/* Skips the whole program; call it before g_test_init (). */
static inline void
relay_test_skip_all (const char *reason)
{
  g_print ("1..0 # SKIP %s\n", reason);
  exit (0);
}

/* Skips the whole program unless it may use the keyring. */
static inline void
relay_test_require_keyring (void)
{
  const char *reason = relay_test_keyring_unsafe ();

  if (reason != NULL)
    relay_test_skip_all (reason);
}

static G_GNUC_UNUSED char *relay_test_data_home_dir;

static inline void
relay_test_remove_data_home (void)
{
  if (relay_test_data_home_dir != NULL)
    {
      const char *argv[] = { "rm", "-rf", relay_test_data_home_dir, NULL };

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
    }
}

/* Gives this test program a fresh, empty XDG_DATA_HOME (and
 * XDG_CACHE_HOME) of its own (the window opens its history there),
 * removed when it exits: no test sees
 * another's history, nor what an earlier, killed run left. Call it before
 * g_test_init (), while no thread exists. */
static inline void
relay_test_private_data_home (void)
{
  relay_test_data_home_dir = g_dir_make_tmp ("relay-test-data-XXXXXX", NULL);
  if (relay_test_data_home_dir == NULL)
    {
      g_printerr ("Cannot make a temporary XDG_DATA_HOME.\n");
      exit (1);
    }
  g_setenv ("XDG_DATA_HOME", relay_test_data_home_dir, TRUE);
  /* The price list cache too. */
  {
    g_autofree char *cache = g_build_filename (relay_test_data_home_dir, "cache", NULL);

    g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  }
  atexit (relay_test_remove_data_home);
}

/* Skips the whole program unless it has a display. */
static inline void
relay_test_require_display (void)
{
  const char *reason = relay_test_display_missing ();

  if (reason != NULL)
    relay_test_skip_all (reason);
}
