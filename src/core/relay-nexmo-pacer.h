/* relay-nexmo-pacer.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "relay-clock.h"

G_BEGIN_DECLS

/* Starts queued items no faster than a rate, on a main context timer
 * (never by sleeping). Internal to the Nexmo client; public for tests. */
typedef struct _RelayNexmoPacer RelayNexmoPacer;

/* Called for each item as its turn comes; must not free the pacer. */
typedef void (*RelayNexmoPacerFunc) (gpointer item,
                                     gpointer user_data);

RelayNexmoPacer *relay_nexmo_pacer_new       (GMainContext        *context,
                                              guint                per_second,
                                              RelayNexmoPacerFunc  start,
                                              gpointer             user_data);
void             relay_nexmo_pacer_free      (RelayNexmoPacer     *self);
void             relay_nexmo_pacer_set_clock (RelayNexmoPacer     *self,
                                              RelayClock          *clock);
void             relay_nexmo_pacer_set_rate  (RelayNexmoPacer     *self,
                                              guint                per_second);
guint            relay_nexmo_pacer_get_rate  (RelayNexmoPacer     *self);
void             relay_nexmo_pacer_push      (RelayNexmoPacer     *self,
                                              gpointer             item);
void             relay_nexmo_pacer_retry     (RelayNexmoPacer     *self,
                                              gpointer             item,
                                              guint                wait_ms);
gboolean         relay_nexmo_pacer_remove    (RelayNexmoPacer     *self,
                                              gpointer             item);
void             relay_nexmo_pacer_hold      (RelayNexmoPacer     *self,
                                              gboolean             held);
guint            relay_nexmo_pacer_get_queued (RelayNexmoPacer    *self);
void             relay_nexmo_pacer_set_max_in_flight (RelayNexmoPacer *self,
                                                      guint            max_in_flight);
void             relay_nexmo_pacer_done      (RelayNexmoPacer     *self);
guint            relay_nexmo_pacer_get_in_flight (RelayNexmoPacer *self);

G_END_DECLS
