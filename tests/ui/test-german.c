/* test-german.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "relay-application.h"
#include "relay-window.h"
#include "relay-test-util.h"
#include "../relay-test-env.h"

/* With LANGUAGE=de (set by tests/ui/meson.build) the window speaks
 * German, from the catalogue built in the build folder. */

#define WAIT_MS 20000

static gboolean
page_is_welcome (gpointer data)
{
  return g_strcmp0 (relay_window_get_page (data), "welcome") == 0;
}

static void
test_welcome_in_german (void)
{
  g_autoptr(RelayApplication) app = relay_application_new ();
  g_autoptr(GError) error = NULL;
  RelayWindow *window;
  GtkWidget *root;

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

  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (relay_test_find_widget (root, "kind-oauth"))), ==,
                   "_OAuth-Anwendung");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (relay_test_find_widget (root, "kind-api-key"))), ==,
                   "_API-Schlüssel");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (relay_test_find_widget (root, "advanced"))),
                   ==, "Erweitert");

  relay_test_set_text (root, "consumer-secret", "");
  g_assert_true (gtk_widget_activate_action (root, "win.sign-in", NULL));
  g_assert_cmpstr (relay_window_get_last_toast (window), ==,
                   "Geben Sie das Consumer Secret Ihrer OAuth-Anwendung ein.");

  g_free (relay_test_screenshot (root, "welcome-de.png"));

  gtk_window_destroy (GTK_WINDOW (window));
  relay_test_drain ();
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *localedir = NULL;

  /* glibc honours LANGUAGE with C.UTF-8, which always exists. */
  setlocale (LC_ALL, "C.UTF-8");
  localedir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "po", NULL);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  relay_test_require_display ();
  relay_test_private_data_home ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/relay/german/welcome", test_welcome_in_german);

  return g_test_run ();
}
