/* relay-nexmo-pacer.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include "relay-nexmo-pacer.h"
#include "relay-clock.h"

/* Slots lie on a fixed grid of 1/rate steps, so a late timer never
 * slows the average: after a stall the pacer catches up, as far as a
 * sliding one-second window of the last @rate starts allows. So no
 * second ever holds more than @rate starts, and a steady stream holds
 * exactly @rate. An idle pacer starts a new grid when work arrives. */
struct _RelayNexmoPacer
{
  /* owned references */
  GMainContext        *context;
  RelayClock          *clock;
  GSource             *source;       /* a clock source */

  /* the owner's */
  RelayNexmoPacerFunc  start;
  gpointer             user_data;

  /* state */
  GQueue               queue;
  guint                rate;
  gint64               next_slot_us;
  gint64              *started_us;   /* ring of the last @rate start times */
  guint                started_len;
  guint                started_head;
  /* Started and not yet done (relay_nexmo_pacer_done()), and the most
   * allowed at once (0: no bound): past libsoup's connections, requests
   * only wait in its queue, which costs time for each one queued. */
  guint                in_flight;
  guint                max_in_flight;
  gboolean             held;
};

static void pump (RelayNexmoPacer *self);

static gboolean
source_cb (gpointer user_data)
{
  pump (user_data);

  return G_SOURCE_CONTINUE;
}

/**
 * relay_nexmo_pacer_new:
 * @context: (nullable): where the timer runs, %NULL for the default
 * @per_second: starts per second, 0 for no limit
 * @start: called for each item in turn
 * @user_data: data for @start
 *
 * Returns: (transfer full): a new pacer
 */
RelayNexmoPacer *
relay_nexmo_pacer_new (GMainContext        *context,
                       guint                per_second,
                       RelayNexmoPacerFunc  start,
                       gpointer             user_data)
{
  RelayNexmoPacer *self;

  g_return_val_if_fail (start != NULL, NULL);

  self = g_new0 (RelayNexmoPacer, 1);
  self->context = context != NULL ? g_main_context_ref (context) : g_main_context_ref_thread_default ();
  self->start = start;
  self->user_data = user_data;
  self->rate = per_second;
  g_queue_init (&self->queue);
  relay_nexmo_pacer_set_clock (self, NULL);

  return self;
}

/**
 * relay_nexmo_pacer_set_clock:
 * @clock: (nullable): where the pacer takes its time from, %NULL for
 *   the real clock
 *
 * Set it before pushing work: the window restarts on the new clock.
 */
void
relay_nexmo_pacer_set_clock (RelayNexmoPacer *self,
                             RelayClock      *clock)
{
  g_return_if_fail (self != NULL);

  if (clock == NULL)
    clock = relay_clock_get_default ();
  if (self->clock == clock)
    return;

  g_set_object (&self->clock, clock);
  relay_clock_source_clear (&self->source);
  self->source = relay_clock_source_new (clock);
  g_source_set_static_name (self->source, "[relay] nexmo pacer");
  /* A slot is a moment: answers and outcomes can wait behind it. */
  g_source_set_priority (self->source, G_PRIORITY_HIGH);
  g_source_set_callback (self->source, source_cb, self, NULL);
  g_source_attach (self->source, self->context);

  self->next_slot_us = 0;
  g_clear_pointer (&self->started_us, g_free);
  self->started_len = 0;
  self->started_head = 0;
  pump (self);
}

void
relay_nexmo_pacer_free (RelayNexmoPacer *self)
{
  if (self == NULL)
    return;

  relay_clock_source_clear (&self->source);
  g_clear_object (&self->clock);
  g_main_context_unref (self->context);
  g_queue_clear (&self->queue);
  g_free (self->started_us);
  g_free (self);
}

void
relay_nexmo_pacer_set_rate (RelayNexmoPacer *self,
                            guint            per_second)
{
  g_return_if_fail (self != NULL);

  if (self->rate == per_second)
    return;

  self->rate = per_second;
  g_clear_pointer (&self->started_us, g_free);
  self->started_len = 0;
  self->started_head = 0;
  pump (self);
}

guint
relay_nexmo_pacer_get_rate (RelayNexmoPacer *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->rate;
}

guint
relay_nexmo_pacer_get_queued (RelayNexmoPacer *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->queue.length;
}

/* When the window allows the next start, or 0 when it allows one now. */
static gint64
window_opens_at (RelayNexmoPacer *self,
                 gint64           now)
{
  gint64 oldest;

  if (self->rate == 0 || self->started_len < self->rate)
    return 0;

  oldest = self->started_us[self->started_head];
  return oldest + G_USEC_PER_SEC > now ? oldest + G_USEC_PER_SEC : 0;
}

static void
window_record (RelayNexmoPacer *self,
               gint64           now)
{
  if (self->rate == 0)
    return;

  if (self->started_us == NULL)
    self->started_us = g_new0 (gint64, self->rate);

  if (self->started_len < self->rate)
    self->started_us[(self->started_head + self->started_len++) % self->rate] = now;
  else
    {
      self->started_us[self->started_head] = now;
      self->started_head = (self->started_head + 1) % self->rate;
    }
}

static void
pump (RelayNexmoPacer *self)
{
  gint64 interval = self->rate > 0 ? G_USEC_PER_SEC / self->rate : 0;

  if (self->held)
    {
      relay_clock_source_set_deadline (self->source, -1);
      return;
    }

  while (!g_queue_is_empty (&self->queue))
    {
      gint64 now = relay_clock_get_now (self->clock);
      gint64 opens = window_opens_at (self, now);
      gint64 returned;

      /* Full: relay_nexmo_pacer_done() pumps again. */
      if (self->max_in_flight > 0 && self->in_flight >= self->max_in_flight)
        {
          relay_clock_source_set_deadline (self->source, -1);
          return;
        }

      if (self->next_slot_us > now || opens > now)
        {
          relay_clock_source_set_deadline (self->source, MAX (self->next_slot_us, opens));
          return;
        }

      self->next_slot_us = MAX (self->next_slot_us + interval, now - G_USEC_PER_SEC);
      self->in_flight++;
      self->start (g_queue_pop_head (&self->queue), self->user_data);
      /* The window counts each start from the moment the pacer let it
       * go, unless start() itself held the loop past the next slot:
       * then the request leaves after that, and counts from then.
       * (Counting every start from when start() returned added its
       * own time to each window, and at a steady full rate windows
       * follow one another: 100,000 messages at 1,000 a second ended
       * 0.2 s behind the grid.) */
      returned = relay_clock_get_now (self->clock);
      window_record (self, returned - now > interval ? returned : now);
    }

  relay_clock_source_set_deadline (self->source, -1);
}

/**
 * relay_nexmo_pacer_push:
 *
 * Queues @item last.
 */
void
relay_nexmo_pacer_push (RelayNexmoPacer *self,
                        gpointer         item)
{
  gint64 now;

  g_return_if_fail (self != NULL);

  now = relay_clock_get_now (self->clock);
  if (g_queue_is_empty (&self->queue) && self->next_slot_us < now)
    self->next_slot_us = now;

  g_queue_push_tail (&self->queue, item);
  pump (self);
}

/**
 * relay_nexmo_pacer_retry:
 * @wait_ms: how long nothing may start
 *
 * Queues @item first, and holds every start for @wait_ms: the provider
 * asked the whole account to wait.
 */
void
relay_nexmo_pacer_retry (RelayNexmoPacer *self,
                         gpointer         item,
                         guint            wait_ms)
{
  g_return_if_fail (self != NULL);

  self->next_slot_us = MAX (self->next_slot_us, relay_clock_get_now (self->clock) + (gint64) wait_ms * 1000);
  g_queue_push_head (&self->queue, item);
  pump (self);
}

/**
 * relay_nexmo_pacer_remove:
 *
 * Returns: %TRUE when @item was queued and now is not
 */
gboolean
relay_nexmo_pacer_remove (RelayNexmoPacer *self,
                          gpointer         item)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return g_queue_remove (&self->queue, item);
}

/**
 * relay_nexmo_pacer_set_max_in_flight:
 * @max_in_flight: the most items started and not yet done, 0 for no
 *   bound
 *
 * With a bound, the owner calls relay_nexmo_pacer_done() once for each
 * item started, when it no longer needs its slot.
 */
void
relay_nexmo_pacer_set_max_in_flight (RelayNexmoPacer *self,
                                     guint            max_in_flight)
{
  g_return_if_fail (self != NULL);

  self->max_in_flight = max_in_flight;
  pump (self);
}

/**
 * relay_nexmo_pacer_done:
 *
 * An item started earlier is done (answered, failed or given back with
 * relay_nexmo_pacer_retry()): its slot may start another.
 */
void
relay_nexmo_pacer_done (RelayNexmoPacer *self)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (self->in_flight > 0);

  self->in_flight--;
  pump (self);
}

guint
relay_nexmo_pacer_get_in_flight (RelayNexmoPacer *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->in_flight;
}

/**
 * relay_nexmo_pacer_hold:
 * @held: %TRUE to start nothing until released
 *
 * While held, items queue but none starts (e.g. until the account's
 * rate is known); releasing starts what is due at the rate.
 */
void
relay_nexmo_pacer_hold (RelayNexmoPacer *self,
                        gboolean         held)
{
  g_return_if_fail (self != NULL);

  self->held = !!held;
  if (!self->held)
    {
      gint64 now = relay_clock_get_now (self->clock);

      if (self->next_slot_us < now)
        self->next_slot_us = now;
    }
  pump (self);
}
