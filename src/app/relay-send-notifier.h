/* relay-send-notifier.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "relay-clock.h"
#include "relay-send-page.h"

G_BEGIN_DECLS

/* A send that lasts at least this long (on the notifier's RelayClock)
 * and ends while its window is not focused gets a desktop
 * notification: long enough that the person may have turned to
 * something else, short sends stay quiet. */
#define RELAY_SEND_NOTIFIER_MIN_US (5 * G_USEC_PER_SEC)

/* The notification's id within the application (see
 * g_application_send_notification()). */
#define RELAY_SEND_NOTIFIER_ID "send-finished"

#define RELAY_TYPE_SEND_NOTIFIER (relay_send_notifier_get_type ())

G_DECLARE_FINAL_TYPE (RelaySendNotifier, relay_send_notifier, RELAY, SEND_NOTIFIER, GObject)

RelaySendNotifier *relay_send_notifier_new       (GtkWindow         *window,
                                                  RelaySendPage     *page);
void               relay_send_notifier_set_clock (RelaySendNotifier *self,
                                                  RelayClock        *clock);
gboolean           relay_send_notifier_get_shown (RelaySendNotifier *self);

G_END_DECLS
