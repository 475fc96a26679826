/* relay-delivery-checker.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "relay-account.h"
#include "relay-clock.h"
#include "relay-nexmo-reports.h"
#include "relay-store.h"

G_BEGIN_DECLS

/* Reports API requests per second: the checks of one window together. */
#define RELAY_DELIVERY_CHECK_RATE 2
/* The window refreshes messages sent this recently when it opens. */
#define RELAY_DELIVERY_RECENT_US  (24 * G_TIME_SPAN_HOUR)

#define RELAY_TYPE_DELIVERY_CHECKER (relay_delivery_checker_get_type ())

G_DECLARE_FINAL_TYPE (RelayDeliveryChecker, relay_delivery_checker, RELAY, DELIVERY_CHECKER, GObject)

RelayDeliveryChecker *relay_delivery_checker_new            (RelayStore           *store);
void                  relay_delivery_checker_set_account    (RelayDeliveryChecker *self,
                                                             RelayAccount         *account);
RelayAccount         *relay_delivery_checker_get_account    (RelayDeliveryChecker *self);
void                  relay_delivery_checker_set_clock      (RelayDeliveryChecker *self,
                                                             RelayClock           *clock);
void                  relay_delivery_checker_check_async    (RelayDeliveryChecker *self,
                                                             const RelayStoreMessage *message,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
RelayDeliveryRecord  *relay_delivery_checker_check_finish   (RelayDeliveryChecker *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);
void                  relay_delivery_checker_refresh_recent (RelayDeliveryChecker *self);
guint                 relay_delivery_checker_get_pending    (RelayDeliveryChecker *self);

const char           *relay_delivery_label                  (const char           *status);
char                 *relay_delivery_describe               (const RelayStoreMessage *message);

G_END_DECLS
