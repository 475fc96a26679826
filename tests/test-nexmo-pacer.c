/* test-nexmo-pacer.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The send pacer on its own: the rate on average and in every second,
 * catching up after a stall, restarting after idling, the hold after a
 * throttled answer, and removal. All on a manual clock: every start
 * time is counted exactly, whatever the load of the machine.
 */

#include "relay-nexmo-pacer.h"

/* Any start: only differences matter. */
#define T0 (1000 * G_USEC_PER_SEC)
#define MS (G_USEC_PER_SEC / 1000)

typedef struct
{
  RelayClock      *clock;
  GArray          *times;   /* gint64 start times */
  GPtrArray       *items;   /* started items, in order */
  guint            stall_at;
  guint            stall_ms;
  gint64           cost_us;  /* every start's own time */
  RelayNexmoPacer *pacer;
  gpointer         retry_item;
  guint            retry_ms;
} Record;

static void
record_start (gpointer item,
              gpointer user_data)
{
  Record *record = user_data;
  gint64 now = relay_clock_get_now (record->clock);

  g_array_append_val (record->times, now);
  g_ptr_array_add (record->items, item);

  /* A busy main loop, as a loaded machine has: time passes while the
   * start runs. */
  if (record->stall_ms > 0 && record->times->len == record->stall_at)
    relay_clock_advance (record->clock, record->stall_ms * MS);
  if (record->cost_us > 0)
    relay_clock_advance (record->clock, record->cost_us);

  if (item == record->retry_item)
    {
      record->retry_item = NULL;
      relay_nexmo_pacer_retry (record->pacer, item, record->retry_ms);
    }
}

static void
record_init (Record *record)
{
  record->clock = relay_clock_new_manual (T0);
  record->times = g_array_new (FALSE, FALSE, sizeof (gint64));
  record->items = g_ptr_array_new ();
}

static void
record_clear (Record *record)
{
  g_array_unref (record->times);
  g_ptr_array_unref (record->items);
  g_object_unref (record->clock);
}

static gint64
at (Record *record,
    guint   i)
{
  return g_array_index (record->times, gint64, i);
}

static RelayNexmoPacer *
pacer_new (Record *record,
           guint   rate)
{
  RelayNexmoPacer *pacer = relay_nexmo_pacer_new (NULL, rate, record_start, record);

  relay_nexmo_pacer_set_clock (pacer, record->clock);
  record->pacer = pacer;

  return pacer;
}

/* Lets @us of simulated time pass. */
static void
advance (Record *record,
         gint64  us)
{
  relay_clock_advance (record->clock, us);
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
  pacer = pacer_new (&record, 100);
  g_assert_cmpuint (relay_nexmo_pacer_get_rate (pacer), ==, 100);

  start = relay_clock_get_now (record.clock);
  for (guint i = 0; i < 150; i++)
    relay_nexmo_pacer_push (pacer, GUINT_TO_POINTER (i + 1));
  /* The first starts at once, the others wait for their turn. */
  g_assert_cmpuint (record.times->len, ==, 1);
  g_assert_cmpuint (relay_nexmo_pacer_get_queued (pacer), ==, 149);

  /* Nothing more before the second slot. */
  advance (&record, 10 * MS - 1);
  g_assert_cmpuint (record.times->len, ==, 1);
  advance (&record, 1);
  g_assert_cmpuint (record.times->len, ==, 2);

  advance (&record, 10 * G_USEC_PER_SEC);
  g_assert_cmpuint (record.times->len, ==, 150);
  g_assert_cmpuint (relay_nexmo_pacer_get_queued (pacer), ==, 0);
  for (guint i = 0; i < 150; i++)
    {
      /* In order, each exactly on its slot of the 10 ms grid. */
      g_assert_cmpuint (GPOINTER_TO_UINT (g_ptr_array_index (record.items, i)), ==, i + 1);
      g_assert_cmpint (at (&record, i), ==, start + i * 10 * MS);
    }
  assert_window (&record, 100);

  relay_nexmo_pacer_free (pacer);
  record_clear (&record);
}

/* 31 sends at 30/s need exactly two one-second windows: 30 in the
 * first, the 31st when the first second is over. */
static void
test_two_windows (void)
{
  Record record = { 0 };
  RelayNexmoPacer *pacer;
  gint64 start;

  record_init (&record);
  pacer = pacer_new (&record, 30);
  start = relay_clock_get_now (record.clock);
  for (guint i = 0; i < 31; i++)
    relay_nexmo_pacer_push (pacer, GUINT_TO_POINTER (i + 1));

  advance (&record, G_USEC_PER_SEC - 1);
  g_assert_cmpuint (record.times->len, ==, 30);
  g_assert_cmpuint (relay_nexmo_pacer_get_queued (pacer), ==, 1);
  advance (&record, 1);
  g_assert_cmpuint (record.times->len, ==, 31);
  g_assert_cmpint (at (&record, 30), ==, start + G_USEC_PER_SEC);
  assert_window (&record, 30);

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
  pacer = pacer_new (&record, 100);

  /* 50 at 100/s take 0.49 s; a 200 ms stall while the 10th starts is
   * made up at once (the 11th to 30th were due), then the grid goes on. */
  start = relay_clock_get_now (record.clock);
  for (guint i = 0; i < 50; i++)
    relay_nexmo_pacer_push (pacer, GUINT_TO_POINTER (i + 1));
  advance (&record, 10 * G_USEC_PER_SEC);

  g_assert_cmpuint (record.times->len, ==, 50);
  g_assert_cmpint (at (&record, 9), ==, start + 90 * MS);
  for (guint i = 10; i < 30; i++)
    g_assert_cmpint (at (&record, i), ==, start + 290 * MS);
  for (guint i = 30; i < 50; i++)
    g_assert_cmpint (at (&record, i), ==, start + i * 10 * MS);
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
  record.stall_at = 2;
  record.stall_ms = 1500;
  pacer = pacer_new (&record, 10);

  /* The 2nd start takes 1.5 s: the grid is 15 behind but only 10 may
   * start in any second, counted from when that start returned. */
  for (guint i = 0; i < 25; i++)
    relay_nexmo_pacer_push (pacer, GUINT_TO_POINTER (i + 1));
  advance (&record, 10 * G_USEC_PER_SEC);
  g_assert_cmpuint (record.times->len, ==, 25);
  assert_window (&record, 10);
  g_assert_cmpint (at (&record, 1), ==, T0 + 100 * MS);
  for (guint i = 2; i < 25; i++)
    g_assert_cmpint (at (&record, i), ==, T0 + (i < 11 ? 1600 : i < 21 ? 2600 : 3600) * MS);

  relay_nexmo_pacer_free (pacer);
  record_clear (&record);
}

static void
test_start_cost (void)
{
  Record record = { 0 };
  RelayNexmoPacer *pacer;

  record_init (&record);
  record.cost_us = 5 * MS;
  pacer = pacer_new (&record, 10);

  /* Each start takes 5 ms of the 100 ms slot. At a steady full rate
   * each one-second window follows the last; if the window counted
   * from when each start returned, every window would begin 5 ms
   * later than the one before and the list would fall behind the
   * grid (the 11th at 1.005 s, the 41st at 4.02 s). */
  for (guint i = 0; i < 45; i++)
    relay_nexmo_pacer_push (pacer, GUINT_TO_POINTER (i + 1));
  advance (&record, 10 * G_USEC_PER_SEC);
  g_assert_cmpuint (record.times->len, ==, 45);
  for (guint i = 0; i < 45; i++)
    g_assert_cmpint (at (&record, i), ==, T0 + i * 100 * MS);
  assert_window (&record, 10);

  relay_nexmo_pacer_free (pacer);
  record_clear (&record);
}

static void
test_idle_restart (void)
{
  Record record = { 0 };
  RelayNexmoPacer *pacer;
  gint64 pushed;

  record_init (&record);
  pacer = pacer_new (&record, 10);
  relay_nexmo_pacer_push (pacer, GUINT_TO_POINTER (1));
  advance (&record, 500 * MS);

  /* Idle time is not owed: the grid restarts when the work comes, so
   * the next ones keep to steps from there instead of bursting. */
  pushed = relay_clock_get_now (record.clock);
  for (guint i = 0; i < 4; i++)
    relay_nexmo_pacer_push (pacer, GUINT_TO_POINTER (i + 2));
  g_assert_cmpuint (record.times->len, ==, 2);
  g_assert_cmpint (at (&record, 1), ==, pushed);
  advance (&record, 10 * G_USEC_PER_SEC);
  g_assert_cmpuint (record.times->len, ==, 5);
  for (guint i = 2; i < 5; i++)
    g_assert_cmpint (at (&record, i), ==, pushed + (i - 1) * 100 * MS);

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
  pacer = pacer_new (&record, 0);
  record.retry_item = a;
  record.retry_ms = 300;

  /* a is "throttled" as it starts: everything waits 300 ms, then a goes
   * first, then b. */
  relay_nexmo_pacer_push (pacer, a);
  relay_nexmo_pacer_push (pacer, b);
  g_assert_cmpuint (record.times->len, ==, 1);
  advance (&record, 300 * MS - 1);
  g_assert_cmpuint (record.times->len, ==, 1);
  advance (&record, 1);
  g_assert_cmpuint (record.times->len, ==, 3);

  g_assert_true (g_ptr_array_index (record.items, 0) == a);
  g_assert_true (g_ptr_array_index (record.items, 1) == a);
  g_assert_true (g_ptr_array_index (record.items, 2) == b);
  g_assert_cmpint (at (&record, 1) - at (&record, 0), ==, 300 * MS);
  g_assert_cmpint (at (&record, 2), ==, at (&record, 1));

  relay_nexmo_pacer_free (pacer);
  record_clear (&record);
}

static void
test_remove (void)
{
  Record record = { 0 };
  RelayNexmoPacer *pacer;

  record_init (&record);
  pacer = pacer_new (&record, 5);

  for (guint i = 0; i < 3; i++)
    relay_nexmo_pacer_push (pacer, GUINT_TO_POINTER (i + 1));
  g_assert_cmpuint (record.times->len, ==, 1);
  g_assert_true (relay_nexmo_pacer_remove (pacer, GUINT_TO_POINTER (3)));
  g_assert_false (relay_nexmo_pacer_remove (pacer, GUINT_TO_POINTER (3)));
  g_assert_false (relay_nexmo_pacer_remove (pacer, GUINT_TO_POINTER (1)));

  advance (&record, 10 * G_USEC_PER_SEC);
  g_assert_cmpuint (record.times->len, ==, 2);
  g_assert_cmpuint (relay_nexmo_pacer_get_queued (pacer), ==, 0);

  /* Freeing with work queued drops it without starting it. */
  relay_nexmo_pacer_push (pacer, GUINT_TO_POINTER (4));
  relay_nexmo_pacer_push (pacer, GUINT_TO_POINTER (5));
  relay_nexmo_pacer_free (pacer);
  g_assert_cmpuint (record.times->len, ==, 3);
  record_clear (&record);
}

/* Issue 14, item 8: with no rate limit, 2,000 recipients all went to
 * libsoup at once and spent their time in its queue. At most
 * max-in-flight items are started and not done; each done starts the
 * next, at once. */
static void
test_max_in_flight (void)
{
  Record record = { 0, };
  RelayNexmoPacer *pacer;
  int items[10000];

  record_init (&record);
  pacer = pacer_new (&record, 0);
  relay_nexmo_pacer_set_max_in_flight (pacer, 32);

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    relay_nexmo_pacer_push (pacer, &items[i]);
  g_assert_cmpuint (record.items->len, ==, 32);
  g_assert_cmpuint (relay_nexmo_pacer_get_in_flight (pacer), ==, 32);
  g_assert_cmpuint (relay_nexmo_pacer_get_queued (pacer), ==, G_N_ELEMENTS (items) - 32);

  /* Time alone starts nothing more. */
  advance (&record, 10 * G_USEC_PER_SEC);
  g_assert_cmpuint (record.items->len, ==, 32);

  for (guint done = 0; done < G_N_ELEMENTS (items); done++)
    {
      relay_nexmo_pacer_done (pacer);
      g_assert_cmpuint (relay_nexmo_pacer_get_in_flight (pacer), <=, 32);
      g_assert_cmpuint (record.items->len, ==, MIN (G_N_ELEMENTS (items), 32 + done + 1));
    }
  g_assert_cmpuint (relay_nexmo_pacer_get_in_flight (pacer), ==, 0);
  g_assert_true (g_ptr_array_index (record.items, G_N_ELEMENTS (items) - 1) == &items[G_N_ELEMENTS (items) - 1]);
  /* Nothing started at a later time than the first: no waiting on the
   * clock, only on slots. */
  g_assert_cmpint (at (&record, record.times->len - 1), ==, T0 + 10 * G_USEC_PER_SEC);

  relay_nexmo_pacer_free (pacer);
  record_clear (&record);
}

/* While held (the account's rate not yet known), nothing starts
 * however much time passes; released, the queue goes at the rate set
 * meanwhile, from the moment of release. */
static void
test_hold (void)
{
  Record record = { 0 };
  RelayNexmoPacer *pacer;
  gint64 released;

  record_init (&record);
  pacer = pacer_new (&record, 30);

  relay_nexmo_pacer_hold (pacer, TRUE);
  for (guint i = 0; i < 6; i++)
    relay_nexmo_pacer_push (pacer, GUINT_TO_POINTER (i + 1));
  advance (&record, 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (record.times->len, ==, 0);
  g_assert_cmpint (relay_clock_get_next_deadline (record.clock), <, 0);

  relay_nexmo_pacer_set_rate (pacer, 2);
  released = relay_clock_get_now (record.clock);
  relay_nexmo_pacer_hold (pacer, FALSE);
  g_assert_cmpuint (record.times->len, ==, 1);
  advance (&record, 3 * G_USEC_PER_SEC);
  g_assert_cmpuint (record.times->len, ==, 6);
  for (guint i = 0; i < 6; i++)
    {
      g_assert_cmpint (at (&record, i) - released, ==, i * 500 * MS);
      g_assert_true (g_ptr_array_index (record.items, i) == GUINT_TO_POINTER (i + 1));
    }
  assert_window (&record, 2);

  relay_nexmo_pacer_free (pacer);
  record_clear (&record);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/relay/nexmo-pacer/rate", test_rate);
  g_test_add_func ("/relay/nexmo-pacer/two-windows", test_two_windows);
  g_test_add_func ("/relay/nexmo-pacer/catch-up", test_catch_up);
  g_test_add_func ("/relay/nexmo-pacer/window-after-stall", test_window_after_stall);
  g_test_add_func ("/relay/nexmo-pacer/start-cost", test_start_cost);
  g_test_add_func ("/relay/nexmo-pacer/idle-restart", test_idle_restart);
  g_test_add_func ("/relay/nexmo-pacer/retry-holds", test_retry_holds);
  g_test_add_func ("/relay/nexmo-pacer/remove", test_remove);
  g_test_add_func ("/relay/nexmo-pacer/max-in-flight", test_max_in_flight);
  g_test_add_func ("/relay/nexmo-pacer/hold", test_hold);

  return g_test_run ();
}
