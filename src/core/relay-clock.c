/* relay-clock.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include "relay-clock.h"

/* Where the core takes its time from: "now" in microseconds and
 * timeouts that fire on a given GMainContext.
 *
 * The default clock is the real monotonic clock (g_get_monotonic_time,
 * and GLib's own ready times). A manual clock stands still until
 * relay_clock_advance() moves it, which fires every timeout that falls
 * due on the way, earliest first (ties in the order they were armed),
 * each at its own deadline, so tests count windows and timeouts instead
 * of timing them. */
struct _RelayClock
{
  GObject    parent_instance;

  /* state (manual clocks only) */
  GMutex     mutex;
  GPtrArray *sources;   /* ClockSource, weak: each removes itself */
  gint64     now;
  guint64    next_seq;
  guint      manual : 1;
};

G_DEFINE_FINAL_TYPE (RelayClock, relay_clock, G_TYPE_OBJECT)

typedef struct
{
  GSource     parent;
  RelayClock *clock;       /* owned */
  gint64      deadline;    /* clock time in µs, -1 when not armed */
  gint64      interval;    /* re-arm after a G_SOURCE_CONTINUE, 0 never */
  guint64     seq;         /* arming order, for equal deadlines */
  gboolean    due;         /* manual: made ready, not dispatched yet */
} ClockSource;

static void
relay_clock_finalize (GObject *object)
{
  RelayClock *self = RELAY_CLOCK (object);

  g_assert (self->sources == NULL || self->sources->len == 0);
  g_clear_pointer (&self->sources, g_ptr_array_unref);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (relay_clock_parent_class)->finalize (object);
}

static void
relay_clock_class_init (RelayClockClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = relay_clock_finalize;
}

static void
relay_clock_init (RelayClock *self)
{
  g_mutex_init (&self->mutex);
}

/**
 * relay_clock_get_default:
 *
 * The process-wide real clock.
 *
 * Returns: (transfer none): the real monotonic clock
 */
RelayClock *
relay_clock_get_default (void)
{
  static RelayClock *clock;

  if (g_once_init_enter (&clock))
    g_once_init_leave (&clock, g_object_new (RELAY_TYPE_CLOCK, NULL));

  return clock;
}

/**
 * relay_clock_new_manual:
 * @start_us: where both its monotonic and its real time start, e.g. a
 *   g_get_real_time() or a fixed date in µs since the epoch
 *
 * A clock for tests that moves only when relay_clock_advance() is called.
 *
 * Returns: (transfer full): a new manual clock
 */
RelayClock *
relay_clock_new_manual (gint64 start_us)
{
  RelayClock *self = g_object_new (RELAY_TYPE_CLOCK, NULL);

  self->manual = TRUE;
  self->now = start_us;
  self->sources = g_ptr_array_new ();

  return self;
}

gboolean
relay_clock_is_manual (RelayClock *self)
{
  g_return_val_if_fail (RELAY_IS_CLOCK (self), FALSE);

  return self->manual;
}

/**
 * relay_clock_get_now:
 *
 * Returns: monotonic time in µs
 */
gint64
relay_clock_get_now (RelayClock *self)
{
  gint64 now;

  g_return_val_if_fail (RELAY_IS_CLOCK (self), 0);

  if (!self->manual)
    return g_get_monotonic_time ();

  g_mutex_lock (&self->mutex);
  now = self->now;
  g_mutex_unlock (&self->mutex);

  return now;
}

/**
 * relay_clock_get_real_time:
 *
 * For converting dates (an HTTP-date) into waits.
 *
 * Returns: wall-clock time in µs since the epoch
 */
gint64
relay_clock_get_real_time (RelayClock *self)
{
  g_return_val_if_fail (RELAY_IS_CLOCK (self), 0);

  return self->manual ? relay_clock_get_now (self) : g_get_real_time ();
}

/* Makes @source's main context dispatch it now. When that context is
 * this thread's (its thread-default, or one it is running), dispatches
 * it before returning; another thread's context is only woken up, so
 * that callbacks always run on their own thread. */
static void
fire (ClockSource *source)
{
  g_autoptr(GMainContext) own = NULL;
  GMainContext *context;

  g_source_set_ready_time ((GSource *) source, 0);

  if (g_source_is_destroyed ((GSource *) source))
    return;

  context = g_source_get_context ((GSource *) source);
  if (context == NULL)
    return;

  own = g_main_context_ref_thread_default ();
  if ((context == own || g_main_context_is_owner (context)) && g_main_context_acquire (context))
    {
      while (source->due && !g_source_is_destroyed ((GSource *) source))
        if (!g_main_context_iteration (context, FALSE))
          break;
      g_main_context_release (context);
    }
  else
    g_main_context_wakeup (context);
}

/**
 * relay_clock_advance:
 * @us: how far, at least 0
 *
 * Moves a manual clock forward. Every timeout due on the way fires in
 * deadline order with the clock standing at its deadline, including
 * timeouts that those callbacks arm within the step. Sources on this
 * thread's context are dispatched before this returns; those on another
 * thread's context are woken up and run there.
 */
void
relay_clock_advance (RelayClock *self,
                     gint64      us)
{
  gint64 target;

  g_return_if_fail (RELAY_IS_CLOCK (self));
  g_return_if_fail (self->manual);
  g_return_if_fail (us >= 0);

  g_mutex_lock (&self->mutex);
  target = self->now + us;

  for (;;)
    {
      ClockSource *next = NULL;

      for (guint i = 0; i < self->sources->len; i++)
        {
          ClockSource *source = g_ptr_array_index (self->sources, i);

          if (source->deadline < 0 || source->due || source->deadline > target
              || g_source_is_destroyed ((GSource *) source))
            continue;
          if (next == NULL || source->deadline < next->deadline
              || (source->deadline == next->deadline && source->seq < next->seq))
            next = source;
        }

      if (next == NULL)
        break;

      self->now = MAX (self->now, next->deadline);
      next->due = TRUE;
      g_source_ref ((GSource *) next);
      g_mutex_unlock (&self->mutex);

      fire (next);
      g_source_unref ((GSource *) next);

      g_mutex_lock (&self->mutex);
    }

  self->now = MAX (self->now, target);
  g_mutex_unlock (&self->mutex);
}

/**
 * relay_clock_get_n_armed:
 *
 * For tests: how many timeouts of a manual clock wait for their
 * deadline (neither disarmed, nor destroyed, nor fired).
 *
 * Returns: the number of armed timeouts
 */
guint
relay_clock_get_n_armed (RelayClock *self)
{
  guint n = 0;

  g_return_val_if_fail (RELAY_IS_CLOCK (self), 0);
  g_return_val_if_fail (self->manual, 0);

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->sources->len; i++)
    {
      ClockSource *source = g_ptr_array_index (self->sources, i);

      n += source->deadline >= 0 && !source->due && !g_source_is_destroyed ((GSource *) source);
    }
  g_mutex_unlock (&self->mutex);

  return n;
}

/**
 * relay_clock_get_next_deadline:
 *
 * For tests: when a manual clock's next timeout falls due.
 *
 * Returns: the earliest armed deadline, or -1 when none is armed
 */
gint64
relay_clock_get_next_deadline (RelayClock *self)
{
  gint64 next = -1;

  g_return_val_if_fail (RELAY_IS_CLOCK (self), -1);
  g_return_val_if_fail (self->manual, -1);

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->sources->len; i++)
    {
      ClockSource *source = g_ptr_array_index (self->sources, i);

      if (source->deadline >= 0 && !source->due && !g_source_is_destroyed ((GSource *) source)
          && (next < 0 || source->deadline < next))
        next = source->deadline;
    }
  g_mutex_unlock (&self->mutex);

  return next;
}

static gboolean
clock_source_dispatch (GSource     *source,
                       GSourceFunc  callback,
                       gpointer     user_data)
{
  ClockSource *self = (ClockSource *) source;
  gboolean again;

  relay_clock_source_set_deadline (source, -1);

  if (callback == NULL)
    return G_SOURCE_REMOVE;

  again = callback (user_data);
  if (again && self->interval > 0 && self->deadline < 0)
    relay_clock_source_set_deadline (source, relay_clock_get_now (self->clock) + self->interval);

  return again;
}

static void
clock_source_finalize (GSource *source)
{
  ClockSource *self = (ClockSource *) source;

  if (self->clock->manual)
    {
      g_mutex_lock (&self->clock->mutex);
      g_ptr_array_remove_fast (self->clock->sources, self);
      g_mutex_unlock (&self->clock->mutex);
    }

  g_clear_object (&self->clock);
}

static GSourceFuncs clock_source_funcs = {
  .dispatch = clock_source_dispatch,
  .finalize = clock_source_finalize,
};

/**
 * relay_clock_source_new:
 *
 * A source that fires when @self reaches the deadline set with
 * relay_clock_source_set_deadline(). It fires once per deadline: its
 * dispatch disarms it before calling back, and the callback may arm it
 * again. Not armed at first.
 *
 * Returns: (transfer full): a new, unattached source
 */
GSource *
relay_clock_source_new (RelayClock *self)
{
  ClockSource *source;

  g_return_val_if_fail (RELAY_IS_CLOCK (self), NULL);

  source = (ClockSource *) g_source_new (&clock_source_funcs, sizeof (ClockSource));
  g_source_set_static_name ((GSource *) source, "[relay] clock");
  source->clock = g_object_ref (self);
  source->deadline = -1;

  if (self->manual)
    {
      g_mutex_lock (&self->mutex);
      g_ptr_array_add (self->sources, source);
      g_mutex_unlock (&self->mutex);
    }

  return (GSource *) source;
}

/**
 * relay_clock_source_set_deadline:
 * @source: a source from relay_clock_source_new()
 * @deadline_us: when to fire in the clock's time (a deadline already
 *   past fires at once), or -1 to disarm
 */
void
relay_clock_source_set_deadline (GSource *source,
                                 gint64   deadline_us)
{
  ClockSource *self = (ClockSource *) source;
  RelayClock *clock;
  gboolean due;

  g_return_if_fail (source != NULL);
  g_return_if_fail (source->source_funcs == &clock_source_funcs);

  clock = self->clock;
  if (!clock->manual)
    {
      self->deadline = deadline_us;
      g_source_set_ready_time (source, deadline_us < 0 ? -1 : deadline_us);
      return;
    }

  g_mutex_lock (&clock->mutex);
  self->deadline = deadline_us < 0 ? -1 : deadline_us;
  self->seq = clock->next_seq++;
  due = self->deadline >= 0 && self->deadline <= clock->now;
  self->due = due;
  g_mutex_unlock (&clock->mutex);

  g_source_set_ready_time (source, due ? 0 : -1);
}

/**
 * relay_clock_timeout_add:
 * @context: (nullable): where it fires, %NULL for the thread-default
 *   main context
 * @delay_us: from now, in the clock's time
 * @func: called when due; %G_SOURCE_CONTINUE fires again @delay_us later
 * @data: data for @func
 * @notify: (nullable): frees @data
 *
 * Like g_timeout_add_full(), on @self's time and on @context.
 *
 * Returns: (transfer full): the attached source; remove it with
 *   relay_clock_source_clear()
 */
GSource *
relay_clock_timeout_add (RelayClock     *self,
                         GMainContext   *context,
                         gint64          delay_us,
                         GSourceFunc     func,
                         gpointer        data,
                         GDestroyNotify  notify)
{
  GSource *source;
  g_autoptr(GMainContext) owned = NULL;

  g_return_val_if_fail (RELAY_IS_CLOCK (self), NULL);
  g_return_val_if_fail (func != NULL, NULL);

  if (context == NULL)
    context = owned = g_main_context_ref_thread_default ();

  source = relay_clock_source_new (self);
  ((ClockSource *) source)->interval = MAX (delay_us, 1);
  g_source_set_callback (source, func, data, notify);
  relay_clock_source_set_deadline (source, relay_clock_get_now (self) + MAX (delay_us, 0));
  g_source_attach (source, context);

  return source;
}

/**
 * relay_clock_source_clear:
 * @source: (inout) (nullable): a source, or a pointer to %NULL
 *
 * Destroys and releases *@source, and sets it to %NULL.
 */
void
relay_clock_source_clear (GSource **source)
{
  GSource *old = g_steal_pointer (source);

  if (old == NULL)
    return;

  g_source_destroy (old);
  g_source_unref (old);
}
