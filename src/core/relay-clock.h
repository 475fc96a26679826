/* relay-clock.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define RELAY_TYPE_CLOCK (relay_clock_get_type ())

G_DECLARE_FINAL_TYPE (RelayClock, relay_clock, RELAY, CLOCK, GObject)

RelayClock *relay_clock_get_default           (void);
RelayClock *relay_clock_new_manual            (gint64        start_us);
gboolean    relay_clock_is_manual             (RelayClock   *self);
gint64      relay_clock_get_now               (RelayClock   *self);
gint64      relay_clock_get_real_time         (RelayClock   *self);
void        relay_clock_advance               (RelayClock   *self,
                                               gint64        us);
guint       relay_clock_get_n_armed           (RelayClock   *self);
gint64      relay_clock_get_next_deadline     (RelayClock   *self);

GSource    *relay_clock_source_new            (RelayClock   *self);
void        relay_clock_source_set_deadline   (GSource      *source,
                                               gint64        deadline_us);
GSource    *relay_clock_timeout_add           (RelayClock   *self,
                                               GMainContext *context,
                                               gint64        delay_us,
                                               GSourceFunc   func,
                                               gpointer      data,
                                               GDestroyNotify notify);
void        relay_clock_source_clear          (GSource     **source);

G_END_DECLS
