/* bench-minimal-window.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The yardstick of bench-startup: the smallest libadwaita application a
 * GNOME app can be (AdwApplication, AdwApplicationWindow, a header bar and
 * a label). With RELAY_BENCH_FIRST_FRAME set it prints
 * "first-frame <g_get_monotonic_time>" and "first-frame-cpu <CPU time
 * used, microseconds>" after its first painted frame and quits, as
 * `relay` does.
 */

#define G_LOG_DOMAIN "Relay"

#include <adwaita.h>
#include <stdio.h>
#include <sys/resource.h>

static gboolean
close_window_cb (gpointer user_data)
{
  gtk_window_destroy (GTK_WINDOW (user_data));
  return G_SOURCE_REMOVE;
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  struct rusage usage;

  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, user_data);

  printf ("first-frame %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  getrusage (RUSAGE_SELF, &usage);
  printf ("first-frame-cpu %" G_GINT64_FORMAT "\n",
          (gint64) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * G_USEC_PER_SEC +
          usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
  fflush (stdout);
  g_idle_add (close_window_cb, user_data);
}

static void
realize_cb (GtkWidget *window,
            gpointer   user_data)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), window);
}

static void
activate_cb (GApplication *app,
             gpointer      user_data)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *label = gtk_label_new ("Hello");

  gtk_widget_set_vexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), label);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_title (GTK_WINDOW (window), "Minimal");
  /* Relay's own default size (window-width, window-height in
   * data/io.github.relaysms.Relay.gschema.xml): pixels cost the same to
   * both, so the ratio measures the app, not the window area. */
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 720);

  if (g_getenv ("RELAY_BENCH_FIRST_FRAME") != NULL)
    g_signal_connect (window, "realize", G_CALLBACK (realize_cb), NULL);

  gtk_window_present (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(AdwApplication) app = NULL;

  app = adw_application_new ("io.github.relaysms.RelayBench", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
