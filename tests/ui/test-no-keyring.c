/* test-no-keyring.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <adwaita.h>

#include "relay-application.h"
#include "relay-welcome-page.h"
#include "relay-window.h"
#include "relay-test-util.h"
#include "../relay-test-env.h"

/* Without any session bus there is no Secret Service: signing in must
 * still work for the session, and a banner must say that nothing was
 * stored. tests/ui/meson.build runs this with no usable bus address. */

#define WAIT_MS 20000

static gboolean
page_is_send (gpointer data)
{
  return g_strcmp0 (relay_window_get_page (data), "send") == 0;
}

static gboolean
page_is_welcome (gpointer data)
{
  return g_strcmp0 (relay_window_get_page (data), "welcome") == 0;
}

static gboolean
banner_revealed (gpointer data)
{
  GtkWidget *banner = relay_test_find_widget (data, "keyring-banner");

  return gtk_revealer_get_reveal_child (GTK_REVEALER (gtk_widget_get_parent (banner)));
}

static void
test_sign_in_without_keyring (void)
{
  g_autoptr(RelayApplication) app = relay_application_new ();
  g_autoptr(GError) error = NULL;
  RelayWindow *window;
  GtkWidget *root;
  GtkWidget *welcome;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (relay_application_start_sandbox (app, &error));
  g_assert_no_error (error);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  relay_test_disable_animations ();

  g_application_activate (G_APPLICATION (app));
  window = RELAY_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  root = GTK_WIDGET (window);
  relay_test_assert_wait (page_is_welcome, window, WAIT_MS);

  /* Looking for a stored account already finds no keyring. */
  relay_test_assert_wait (banner_revealed, root, WAIT_MS);
  g_assert_true (gtk_widget_activate_action (root, "win.dismiss-banner", NULL));
  g_assert_false (banner_revealed (root));

  welcome = relay_test_find_widget (root, "welcome-page");
  relay_welcome_page_set_kind (RELAY_WELCOME_PAGE (welcome), RELAY_ACCOUNT_API_KEY);
  g_assert_true (gtk_widget_activate_action (root, "win.sign-in", NULL));

  /* Storing fails too: the banner returns, and the session goes on. */
  relay_test_assert_wait (page_is_send, window, WAIT_MS);
  relay_test_assert_wait (banner_revealed, root, WAIT_MS);
  g_free (relay_test_screenshot (root, "no-keyring.png"));

  /* The account works for this session. */
  g_assert_true (gtk_widget_get_visible (relay_test_find_widget (root, "accounts-button")));

  g_assert_true (gtk_widget_activate_action (root, "win.dismiss-banner", NULL));
  g_assert_false (banner_revealed (root));

  gtk_window_destroy (GTK_WINDOW (window));
  relay_test_drain ();
}

int
main (int   argc,
      char *argv[])
{
  relay_test_require_display ();
  relay_test_private_data_home ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/relay/no-keyring/sign-in", test_sign_in_without_keyring);

  return g_test_run ();
}
