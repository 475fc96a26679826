/* bench-results.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The send results at bulk size: 10,000 recipients in a RelayResultList
 * in a window, every outcome applied one by one as a send reports them,
 * with a frame drawn every 100 outcomes. Prints the time to add the
 * lines, per outcome, per frame, and the widgets the list made (it
 * must stay virtual). Needs a display. Not a test: it prints figures.
 */

#include <adwaita.h>
#include <stdio.h>

#include "relay-result-list.h"

#define N_RECIPIENTS 10000

static guint frames;

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  frames++;
  return G_SOURCE_CONTINUE;
}

static void
draw (GtkWidget *window)
{
  guint target = frames + 2;

  gtk_widget_queue_draw (window);
  while (frames < target)
    g_main_context_iteration (NULL, TRUE);
}

static guint
count_widgets (GtkWidget *widget)
{
  guint n = 1;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_widgets (child);

  return n;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  GtkWidget *window, *list;
  gint64 start, added, updated;
  double frame_ms = 0;
  guint n_frames = 0;

  gtk_init ();
  adw_init ();
  if (gdk_display_get_default () == NULL)
    {
      g_print ("SKIP: no display\n");
      return 77;
    }

  window = gtk_window_new ();
  list = relay_result_list_new ();
  gtk_window_set_child (GTK_WINDOW (window), list);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 600);
  gtk_widget_add_tick_callback (window, tick_cb, NULL, NULL);
  gtk_window_present (GTK_WINDOW (window));
  draw (window);

  for (guint i = 0; i < N_RECIPIENTS; i++)
    g_ptr_array_add (numbers, g_strdup_printf ("4477009%05u", i));
  g_ptr_array_add (numbers, NULL);

  start = g_get_monotonic_time ();
  relay_result_list_set_items (RELAY_RESULT_LIST (list), (const char * const *) numbers->pdata,
                               N_RECIPIENTS, "EUR");
  draw (window);
  added = g_get_monotonic_time ();

  for (guint i = 0; i < N_RECIPIENTS; i++)
    {
      g_autofree char *id = g_strdup_printf ("1A%08u", i);
      char *ids[] = { id, NULL };
      RelaySmsResult sms = { 0 };

      sms.to = numbers->pdata[i];
      sms.state = i % 10 == 9 ? RELAY_SMS_STATE_FAILED : RELAY_SMS_STATE_SENT;
      sms.parts = sms.state == RELAY_SMS_STATE_SENT ? 1 : 0;
      sms.price = 0.0333;
      sms.message_ids = sms.parts > 0 ? ids : NULL;
      sms.status = -1;
      relay_result_list_update (RELAY_RESULT_LIST (list), &sms);

      if (i % 100 == 99)
        {
          gint64 before = g_get_monotonic_time ();

          draw (window);
          frame_ms += (g_get_monotonic_time () - before) / 1000.0;
          n_frames++;
        }
    }
  updated = g_get_monotonic_time ();

  printf ("lines added:          %d in %.1f ms (with a frame)\n", N_RECIPIENTS, (added - start) / 1000.0);
  printf ("outcomes applied:     %d in %.1f ms, %.1f µs each (frames not counted)\n", N_RECIPIENTS,
          (updated - added) / 1000.0 - frame_ms, ((updated - added) - frame_ms * 1000) / N_RECIPIENTS);
  printf ("frame after 100:      %.2f ms average of %u\n", frame_ms / n_frames, n_frames);
  printf ("widgets in the list:  %u\n", count_widgets (list));
  printf ("total line:           %s\n", relay_result_list_get_total_text (RELAY_RESULT_LIST (list)));

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
