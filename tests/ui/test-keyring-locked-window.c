/* test-keyring-locked-window.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window over a locked keyring (issue 14, item 4): a returning user
 * whose keyring stays locked sees a page that says so, with a button to
 * unlock, never the welcome page as if no account existed; once the
 * keyring is unlocked, that button brings the account back. The keyring
 * is the session's real one, locked over D-Bus; this program plays the
 * system prompter that refuses every prompt (see
 * relay-test-keyring-lock.h). The case runs in a subprocess, and the
 * parent unlocks the keyring afterwards however it ended.
 */

#include <adwaita.h>

#include "relay-application.h"
#include "relay-window.h"
#include "relay-test-util.h"
#include "../relay-test-cli.h"
#include "../relay-test-env.h"
#include "../relay-test-keyring-lock.h"

#define WAIT_MS 20000
#define REST_BASE "http://127.0.0.1:9"

static gboolean
page_is_locked (gpointer data)
{
  return g_strcmp0 (relay_window_get_page (data), "locked") == 0;
}

static gboolean
page_is_send (gpointer data)
{
  return g_strcmp0 (relay_window_get_page (data), "send") == 0;
}

static char *
account_id (void)
{
  g_autoptr(RelayProvider) provider = relay_provider_new (NULL, REST_BASE);
  g_autoptr(RelayAccount) account = relay_account_new_api_key (provider, RELAY_SANDBOX_DEFAULT_API_KEY);

  return g_strdup (relay_account_get_id (account));
}

static void
locked_window (void)
{
  g_autoptr(RelayApplication) app = relay_application_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = relay_test_store_account (REST_BASE, RELAY_SANDBOX_DEFAULT_API_SECRET);
  const char *reason = relay_test_own_prompter ();
  RelayWindow *window;
  GtkWidget *root;
  guint asked;

  if (reason != NULL)
    g_error ("%s", reason);

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  relay_test_disable_animations ();
  g_settings_set_string (relay_application_get_settings (app), "last-account", id);
  g_settings_set_int (relay_application_get_settings (app), "window-width", 720);
  g_settings_set_int (relay_application_get_settings (app), "window-height", 640);

  relay_test_lock_keyring ();
  asked = relay_test_prompts;

  g_application_activate (G_APPLICATION (app));
  window = RELAY_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  root = GTK_WIDGET (window);

  /* Relay asked to unlock; refused, it says the keyring is locked. */
  relay_test_assert_wait (page_is_locked, window, WAIT_MS);
  g_assert_cmpuint (relay_test_prompts, >, asked);
  g_assert_cmpstr (relay_window_get_page (window), !=, "welcome");
  relay_test_wait_for_frames (root);
  g_assert_true (gtk_widget_get_mapped (relay_test_need_widget (root, "locked-page")));
  g_assert_true (gtk_widget_get_mapped (relay_test_need_widget (root, "unlock-keyring")));
  g_assert_false (gtk_widget_get_mapped (relay_test_need_widget (root, "welcome-page")));
  g_free (relay_test_screenshot (root, "keyring-locked.png"));
  g_assert_cmpuint (relay_test_keyring_items (id), ==, 1);

  /* Still locked: Unlock asks again, and the page stays. */
  asked = relay_test_prompts;
  g_assert_true (gtk_widget_activate_action (root, "win.unlock-keyring", NULL));
  relay_test_assert_wait (page_is_locked, window, WAIT_MS);
  relay_test_iterate (200);
  relay_test_assert_wait (page_is_locked, window, WAIT_MS);

  /* Unlocked (as the desktop's prompt would): the account comes back. */
  relay_test_unlock_keyring ();
  g_assert_true (gtk_widget_activate_action (root, "win.unlock-keyring", NULL));
  relay_test_assert_wait (page_is_send, window, WAIT_MS);
  g_assert_cmpuint (relay_test_prompts, >, asked);

  gtk_window_destroy (GTK_WINDOW (window));
  relay_test_drain ();
  relay_test_forget_account (id);
}

static void
test_locked (void)
{
  g_autofree char *id = account_id ();

  if (g_test_subprocess ())
    {
      locked_window ();
      return;
    }

  if (!relay_test_trap_locked ())
    return;

  relay_test_forget_account (id);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  relay_test_require_display ();
  relay_test_require_keyring ();
  relay_test_private_data_home ();
  if (!relay_test_lock_init (&error))
    relay_test_skip_all (error->message);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/relay/keyring-locked-window/locked", test_locked);

  return g_test_run ();
}
