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
#include "relay-send-state.h"
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

/* The counter and the To field's sentences, with German plurals. */
static void
test_compose_in_german (void)
{
  g_autofree char *long_gsm = g_strnfill (161, 'a');
  const struct { const char *text; const char *counter; } counters[] = {
    { "", "Bis zu 160 Zeichen pro Nachricht" },
    { "Hallo", "5 von 160 Zeichen · 1 Nachricht" },
    { long_gsm, "161 von 306 Zeichen · 2 Nachrichten" },
    { "Bis gleich 😀", "13 von 70 Zeichen · 1 Nachricht\n„😀“ erfordert Unicode: 70 Zeichen pro Nachricht" },
    { "a\tb", "3 von 70 Zeichen · 1 Nachricht\nDas unsichtbare Zeichen U+0009 erfordert Unicode: 70 Zeichen pro Nachricht" },
  };
  const struct { const char *to; const char *problem; } invalid[] = {
    { "12ab", "„12ab“ ist keine Telefonnummer: Verwenden Sie 7 bis 15 Ziffern mit Ländervorwahl." },
    { "447700900001\n12ab\n+",
      "2 Nummern sind ungültig: „12ab“ (Zeile 2), „+“ (Zeile 3). Verwenden Sie 7 bis 15 Ziffern mit Ländervorwahl." },
    { "1\n2\n3\n4\n5\n6",
      "6 Nummern sind ungültig: „1“ (Zeile 1), „2“ (Zeile 2), „3“ (Zeile 3), „4“ (Zeile 4), „5“ (Zeile 5) "
      "und 1 weitere. Verwenden Sie 7 bis 15 Ziffern mit Ländervorwahl." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (counters); i++)
    {
      g_autofree char *counter = relay_send_state_format_counter (counters[i].text);

      g_assert_cmpstr (counter, ==, counters[i].counter);
    }

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autofree char *problem = NULL;
      g_auto(GStrv) numbers = relay_send_state_parse_recipients (invalid[i].to, &problem);

      g_assert_null (numbers);
      g_assert_cmpstr (problem, ==, invalid[i].problem);
    }

  {
    g_autofree char *problem = NULL;
    g_autofree char *note = NULL;
    g_auto(GStrv) numbers = relay_send_state_check_recipients ("Telefon\n447700900001\n447700900002",
                                                               &problem, &note);

    g_assert_nonnull (numbers);
    g_assert_cmpstr (note, ==, "2 Nummern; die Spaltenüberschrift „Telefon“ wurde übersprungen.");
  }
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
  g_test_add_func ("/relay/german/compose", test_compose_in_german);

  return g_test_run ();
}
