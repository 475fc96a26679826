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
#include <sys/resource.h>

#include "relay-application.h"
#include "relay-process.h"
#include "relay-window.h"

/* --- bench-startup hook (tests/bench/bench-startup) ----------------------
 * With RELAY_BENCH_FIRST_FRAME set, print the monotonic time of
 *   "first-frame"         the first painted frame, as
 *                         tests/bench/bench-minimal-window does;
 *   "first-useful-frame"  the first painted frame during whose paint the
 *                         window showed its page usable
 *                         (relay_window_get_page_usable(): welcome or
 *                         send page, no transition, its first field
 *                         mapped with a size);
 *   "settled"             when the start-up work is done
 *                         (RelayWindow:starting: sandbox listening,
 *                         keyring answered),
 * with "first-frame-cpu <microseconds>", the CPU time (user + system) the
 * process had used by its first frame, which load on the machine hardly
 * changes; then quit, so that the peak RSS covers the start-up work too. */
typedef struct
{
  GApplication *app;
  RelayWindow  *window;
  gboolean      painted;
  gboolean      useful;
  gboolean      done;
} BenchHook;

static void
bench_print (const char *what)
{
  printf ("%s %" G_GINT64_FORMAT "\n", what, g_get_monotonic_time ());
  fflush (stdout);
}

static void
bench_print_cpu (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  printf ("first-frame-cpu %" G_GINT64_FORMAT "\n",
          (gint64) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * G_USEC_PER_SEC +
          usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
  fflush (stdout);
}

static void
bench_check_done (BenchHook *hook)
{
  if (hook->done || !hook->useful || relay_window_get_starting (hook->window))
    return;

  hook->done = TRUE;
  bench_print ("settled");
  g_idle_add_once ((GSourceOnceFunc) g_application_quit, hook->app);
}

static void
bench_after_paint_cb (GdkFrameClock *clock,
                      BenchHook     *hook)
{
  /* The paint phase just ended; nothing has changed the widgets since. */
  if (!hook->painted)
    {
      hook->painted = TRUE;
      bench_print ("first-frame");
      bench_print_cpu ();
    }

  if (!hook->useful && relay_window_get_page_usable (hook->window))
    {
      hook->useful = TRUE;
      bench_print ("first-useful-frame");
      g_signal_handlers_disconnect_by_func (clock, bench_after_paint_cb, hook);
    }

  bench_check_done (hook);
}

static void
bench_realize_cb (GtkWidget *window,
                  BenchHook *hook)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (bench_after_paint_cb), hook);
}

static void
bench_window_added_cb (GtkApplication *app,
                       GtkWindow      *window,
                       BenchHook      *hook)
{
  if (!RELAY_IS_WINDOW (window) || hook->window != NULL)
    return;

  hook->window = RELAY_WINDOW (window);
  g_signal_connect (window, "realize", G_CALLBACK (bench_realize_cb), hook);
  g_signal_connect_swapped (window, "notify::starting", G_CALLBACK (bench_check_done), hook);
}
/* --- end of the bench-startup hook ------------------------------------- */

int
main (int   argc,
      char *argv[])
{
  g_autoptr(RelayApplication) app = NULL;
  BenchHook hook = { NULL };
  int status;

  /* Secrets pass through this process: no core, no same-user peeking. */
  relay_process_forbid_core_dumps ();

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Relay"));

  app = relay_application_new ();
  if (g_getenv ("RELAY_BENCH_FIRST_FRAME") != NULL)  /* bench-startup hook */
    {
      hook.app = G_APPLICATION (app);
      g_signal_connect (app, "window-added", G_CALLBACK (bench_window_added_cb), &hook);
    }

  status = g_application_run (G_APPLICATION (app), argc, argv);

  return status != 0 ? status : relay_application_get_exit_status (app);
}
