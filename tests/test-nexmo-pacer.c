/* test-nexmo-pacer.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The send pacer on its own: the rate on average and in every second,
 * catching up after a stall, restarting after idling, the hold after a
 * throttled answer, and removal.
 */

#include "relay-nexmo-pacer.h"

typedef struct
{
  GArray          *times;   /* gint64 start times */
  GPtrArray       *items;   /* started items, in order */
  guint            stall_at;
  guint            stall_ms;
  RelayNexmoPacer *pacer;
  gpointer         retry_item;
  guint            retry_ms;
} Record;

static void
record_start (gpointer item,
              gpointer user_data)
{
  Record *record = user_data;
  gint64 now = g_get_monotonic_time ();

  g_array_append_val (record->times, now);
  g_ptr_array_add (record->items, item);

  /* A busy main loop, as a loaded machine has. */
  if (record->stall_ms > 0 && record->times->len == record->stall_at)
    g_usleep (record->stall_ms * 1000);

  if (item == record->retry_item)
    {
      record->retry_item = NULL;
      relay_nexmo_pacer_retry (record->pacer, item, record->retry_ms);
    }
}

static void
record_init (Record *record)
{
  record->times = g_array_new (FALSE, FALSE, sizeof (gint64));
  record->items = g_ptr_array_new ();
}

static void
record_clear (Record *record)
{
  g_array_unref (record->times);
  g_ptr_array_unref (record->items);
}

static gint64
at (Record *record,
    guint   i)
{
  return g_array_index (record->times, gint64, i);
}

static void
wait_started (Record *record,
              guint   n)
{
  while (record->times->len < n)
    g_main_context_iteration (NULL, TRUE);
}

/* No one-second span holds more than @rate starts. */
static void
assert_window (Record *record,
               guint   rate)
{
  for (guint i = rate; i < record->times->len; i++)
    g_assert_cmpint (at (record, i) - at (record, i - rate), >=, G_USEC_PER_SEC);
}

static void
test_rate (void)
{
  Record record = { 0 };
  RelayNexmoPacer *pacer;
  gint64 start;

  record_init (&record);
  pacer = relay_nexmo_pacer_new (NULL, 100, record_start, &record);
  g_assert_cmpuint (relay_nexmo_pacer_get_rate (pacer), ==, 100);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < 150; i++)
    relay_nexmo_pacer_push (pacer, GUINT_TO_POINTER (i + 1));
  /* The first starts at once, the others wait for their turn. */
  g_assert_cmpuint (record.times->len, ==, 1);
  g_assert_cmpuint (relay_nexmo_pacer_get_queued (pacer), ==, 149);
  wait_started (&record, 150);

  for (guint i = 0; i < 150; i++)
    {
      /* In order, and never before its slot on the 10 ms grid. */
      g_assert_cmpuint (GPOINTER_TO_UINT (g_ptr_array_index (record.items, i)), ==, i + 1);
      g_assert_cmpint (at (&record, i), >=, start + i * 10000);
    }
  assert_window (&record, 100);
  g_assert_cmpint (at (&record, 149) - start, <, 3 * G_USEC_PER_SEC);

  relay_nexmo_pacer_free (pacer);
  record_clear (&record);
}

static void
test_catch_up (void)
{
  Record record = { 0 };
  RelayNexmoPacer *pacer;
  gint64 start;

  record_init (&record);
  record.stall_at = 10;
  record.stall_ms = 200;
  pacer = relay_nexmo_pacer_new (NULL, 100, record_start, &record);

  /* 50 at 100/s take 0.49 s; a 200 ms stall is made up afterwards. */
  start = g_get_monotonic_time ();
  for (guint i = 0; i < 50; i++)
    relay_nexmo_pacer_push (pacer, GUINT_TO_POINTER (i + 1));
  wait_started (&record, 50);

  g_assert_cmpint (at (&record, 49) - start, <, 680 * 1000);
  g_assert_cmpint (at (&record, 49) - start, >=, 490 * 1000);
  assert_window (&record, 100);

  relay_nexmo_pacer_free (pacer);
  record_clear (&record);
}

static void
test_window_after_stall (void)
{
  Record record = { 0 };
  RelayNexmoPacer *pacer;

  record_init (&record);
  record.stall_at = 1;
  record.stall_ms = 1500;
  pacer = relay_nexmo_pacer_new (NULL, 10, record_start, &record);

  /* After 1.5 s stalled, the grid is 15 behind but only 10 may start
   * in any second. */
  for (guint i = 0; i < 25; i++)
    relay_nexmo_pacer_push (pacer, GUINT_TO_POINTER (i + 1));
  wait_started (&record, 25);
  assert_window (&record, 10);

  relay_nexmo_pacer_free (pacer);
  record_clear (&record);
}

static gboolean
set_true (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_idle_restart (void)
{
  Record record = { 0 };
  RelayNexmoPacer *pacer;
  gboolean idle_over = FALSE;
  gint64 pushed;

  record_init (&record);
  pacer = relay_nexmo_pacer_new (NULL, 10, record_start, &record);
  relay_nexmo_pacer_push (pacer, GUINT_TO_POINTER (1));

  g_timeout_add (500, set_true, &idle_over);
  while (!idle_over)
    g_main_context_iteration (NULL, TRUE);

  /* Idle time is not owed: the grid restarts when the work comes, so
   * the next ones keep to steps from there instead of bursting. */
  pushed = g_get_monotonic_time ();
  for (guint i = 0; i < 4; i++)
    relay_nexmo_pacer_push (pacer, GUINT_TO_POINTER (i + 2));
  g_assert_cmpuint (record.times->len, ==, 2);
  g_assert_cmpint (at (&record, 1) - pushed, <, 50 * 1000);
  wait_started (&record, 5);
  for (guint i = 2; i < 5; i++)
    g_assert_cmpint (at (&record, i), >=, pushed + (i - 1) * 100 * 1000);

  relay_nexmo_pacer_free (pacer);
  record_clear (&record);
}

static void
test_retry_holds (void)
{
  Record record = { 0 };
  RelayNexmoPacer *pacer;
  gpointer a = GUINT_TO_POINTER (1), b = GUINT_TO_POINTER (2);

  record_init (&record);
  pacer = relay_nexmo_pacer_new (NULL, 0, record_start, &record);
  record.pacer = pacer;
  record.retry_item = a;
  record.retry_ms = 300;

  /* a is "throttled" as it starts: everything waits 300 ms, then a goes
   * first, then b. */
  relay_nexmo_pacer_push (pacer, a);
  relay_nexmo_pacer_push (pacer, b);
  wait_started (&record, 3);

  g_assert_true (g_ptr_array_index (record.items, 0) == a);
  g_assert_true (g_ptr_array_index (record.items, 1) == a);
  g_assert_true (g_ptr_array_index (record.items, 2) == b);
  g_assert_cmpint (at (&record, 1) - at (&record, 0), >=, 300 * 1000);
  g_assert_cmpint (at (&record, 2), >=, at (&record, 1));

  relay_nexmo_pacer_free (pacer);
  record_clear (&record);
}

static void
test_remove (void)
{
  Record record = { 0 };
  RelayNexmoPacer *pacer;
  gboolean later = FALSE;

  record_init (&record);
  pacer = relay_nexmo_pacer_new (NULL, 5, record_start, &record);

  for (guint i = 0; i < 3; i++)
    relay_nexmo_pacer_push (pacer, GUINT_TO_POINTER (i + 1));
  g_assert_cmpuint (record.times->len, ==, 1);
  g_assert_true (relay_nexmo_pacer_remove (pacer, GUINT_TO_POINTER (3)));
  g_assert_false (relay_nexmo_pacer_remove (pacer, GUINT_TO_POINTER (3)));
  g_assert_false (relay_nexmo_pacer_remove (pacer, GUINT_TO_POINTER (1)));

  g_timeout_add (600, set_true, &later);
  while (!later)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (record.times->len, ==, 2);
  g_assert_cmpuint (relay_nexmo_pacer_get_queued (pacer), ==, 0);

  /* Freeing with work queued drops it without starting it. */
  relay_nexmo_pacer_push (pacer, GUINT_TO_POINTER (4));
  relay_nexmo_pacer_push (pacer, GUINT_TO_POINTER (5));
  relay_nexmo_pacer_free (pacer);
  g_assert_cmpuint (record.times->len, <=, 3);
  record_clear (&record);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/relay/nexmo-pacer/rate", test_rate);
  g_test_add_func ("/relay/nexmo-pacer/catch-up", test_catch_up);
  g_test_add_func ("/relay/nexmo-pacer/window-after-stall", test_window_after_stall);
  g_test_add_func ("/relay/nexmo-pacer/idle-restart", test_idle_restart);
  g_test_add_func ("/relay/nexmo-pacer/retry-holds", test_retry_holds);
  g_test_add_func ("/relay/nexmo-pacer/remove", test_remove);

  return g_test_run ();
}
