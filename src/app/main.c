/* main.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>

#include "relay-application.h"

/* --- bench-startup hook (tests/bench/bench-startup) ----------------------
 * With RELAY_BENCH_FIRST_FRAME set, print the monotonic time of the first
 * painted frame and quit, as tests/bench/bench-minimal-window does. */
static void
bench_after_paint_cb (GdkFrameClock *clock,
                      GApplication  *app)
{
  g_signal_handlers_disconnect_by_func (clock, bench_after_paint_cb, app);
  printf ("first-frame %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  fflush (stdout);
  g_idle_add_once ((GSourceOnceFunc) g_application_quit, app);
}

static void
bench_realize_cb (GtkWidget    *window,
                  GApplication *app)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (bench_after_paint_cb), app);
}

static void
bench_window_added_cb (GtkApplication *app,
                       GtkWindow      *window)
{
  g_signal_connect (window, "realize", G_CALLBACK (bench_realize_cb), app);
}
/* --- end of the bench-startup hook ------------------------------------- */

int
main (int   argc,
      char *argv[])
{
  g_autoptr(RelayApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Relay"));

  app = relay_application_new ();
  if (g_getenv ("RELAY_BENCH_FIRST_FRAME") != NULL)  /* bench-startup hook */
    g_signal_connect (app, "window-added", G_CALLBACK (bench_window_added_cb), NULL);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
