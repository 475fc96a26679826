/* test-clock.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * RelayClock: the manual clock fires due timeouts in deadline order at
 * their own deadlines, including those armed on the way; sources on
 * another thread's context run on that thread.
 */

#include "relay-clock.h"

#define T0 (G_GINT64_CONSTANT (1000) * G_USEC_PER_SEC)

typedef struct
{
  RelayClock *clock;
  GArray     *fired;   /* gint64 clock times */
  GString    *order;
} Log;

typedef struct
{
  Log  *log;
  char  name;
  guint again;         /* times to fire again, by G_SOURCE_CONTINUE */
} Timer;

static gboolean
timer_cb (gpointer data)
{
  Timer *timer = data;
  gint64 now = relay_clock_get_now (timer->log->clock);

  g_array_append_val (timer->log->fired, now);
  g_string_append_c (timer->log->order, timer->name);

  if (timer->again == 0)
    return G_SOURCE_REMOVE;
  timer->again--;
  return G_SOURCE_CONTINUE;
}

static gint64
fired_at (Log   *log,
          guint  i)
{
  return g_array_index (log->fired, gint64, i);
}

static void
test_real (void)
{
  RelayClock *clock = relay_clock_get_default ();

  /* One shared real clock; what it reads is not asserted (no test
   * depends on the time of the machine). */
  g_assert_true (clock == relay_clock_get_default ());
  g_assert_false (relay_clock_is_manual (clock));
}

static void
test_order (void)
{
  Log log = { relay_clock_new_manual (T0), g_array_new (FALSE, FALSE, sizeof (gint64)), g_string_new (NULL) };
  Timer a = { &log, 'a', 0 }, b = { &log, 'b', 0 }, c = { &log, 'c', 2 }, d = { &log, 'd', 0 };
  GSource *sa, *sb, *sc, *sd;

  g_assert_true (relay_clock_is_manual (log.clock));
  g_assert_cmpint (relay_clock_get_now (log.clock), ==, T0);
  g_assert_cmpint (relay_clock_get_real_time (log.clock), ==, T0);

  /* Armed out of order; b and d share a deadline and keep their order;
   * c fires every 100 ms three times. */
  sa = relay_clock_timeout_add (log.clock, NULL, 300, timer_cb, &a, NULL);
  sb = relay_clock_timeout_add (log.clock, NULL, 200, timer_cb, &b, NULL);
  sc = relay_clock_timeout_add (log.clock, NULL, 100, timer_cb, &c, NULL);
  sd = relay_clock_timeout_add (log.clock, NULL, 200, timer_cb, &d, NULL);
  g_assert_cmpuint (relay_clock_get_n_armed (log.clock), ==, 4);
  g_assert_cmpint (relay_clock_get_next_deadline (log.clock), ==, T0 + 100);

  /* Nothing fires by itself, however long the loop runs. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpstr (log.order->str, ==, "");

  relay_clock_advance (log.clock, 199);
  g_assert_cmpstr (log.order->str, ==, "c");
  g_assert_cmpint (relay_clock_get_now (log.clock), ==, T0 + 199);

  relay_clock_advance (log.clock, 1000);
  g_assert_cmpstr (log.order->str, ==, "cbdcac");
  g_assert_cmpint (fired_at (&log, 0), ==, T0 + 100);
  g_assert_cmpint (fired_at (&log, 1), ==, T0 + 200);
  g_assert_cmpint (fired_at (&log, 2), ==, T0 + 200);
  g_assert_cmpint (fired_at (&log, 3), ==, T0 + 200);
  g_assert_cmpint (fired_at (&log, 4), ==, T0 + 300);
  g_assert_cmpint (fired_at (&log, 5), ==, T0 + 300);
  g_assert_cmpint (relay_clock_get_now (log.clock), ==, T0 + 1199);
  g_assert_cmpuint (relay_clock_get_n_armed (log.clock), ==, 0);
  g_assert_cmpint (relay_clock_get_next_deadline (log.clock), ==, -1);

  /* A cleared timeout never fires. */
  relay_clock_source_clear (&sa);
  g_assert_null (sa);
  sa = relay_clock_timeout_add (log.clock, NULL, 10, timer_cb, &a, NULL);
  relay_clock_source_clear (&sa);
  relay_clock_advance (log.clock, 100);
  g_assert_cmpstr (log.order->str, ==, "cbdcac");

  relay_clock_source_clear (&sb);
  relay_clock_source_clear (&sc);
  relay_clock_source_clear (&sd);
  g_assert_finalize_object (log.clock);
  g_array_unref (log.fired);
  g_string_free (log.order, TRUE);
}

typedef struct
{
  RelayClock   *clock;
  GMainContext *context;
  GThread      *fired_on;
  gboolean      ready;
} Worker;

static gboolean
worker_timer_cb (gpointer data)
{
  Worker *worker = data;

  g_atomic_pointer_set (&worker->fired_on, g_thread_self ());
  return G_SOURCE_REMOVE;
}

static gpointer
worker_thread (gpointer data)
{
  Worker *worker = data;
  g_autoptr(GSource) source = NULL;

  g_main_context_push_thread_default (worker->context);
  source = relay_clock_timeout_add (worker->clock, NULL, G_USEC_PER_SEC, worker_timer_cb, worker, NULL);
  g_atomic_int_set (&worker->ready, TRUE);
  while (g_atomic_pointer_get (&worker->fired_on) == NULL)
    g_main_context_iteration (worker->context, TRUE);
  g_main_context_pop_thread_default (worker->context);

  return NULL;
}

static void
test_other_thread (void)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  Worker worker = { relay_clock_new_manual (T0), context, NULL, FALSE };
  GThread *thread = g_thread_new ("clock", worker_thread, &worker);

  while (!g_atomic_int_get (&worker.ready))
    g_thread_yield ();
  relay_clock_advance (worker.clock, G_USEC_PER_SEC);
  g_thread_join (thread);

  /* On the worker's thread, not on the one that moved the clock. */
  g_assert_true (worker.fired_on == thread);
  g_assert_finalize_object (worker.clock);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/relay/clock/real", test_real);
  g_test_add_func ("/relay/clock/order", test_order);
  g_test_add_func ("/relay/clock/other-thread", test_other_thread);

  return g_test_run ();
}
