/* relay-history-detail.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "relay-delivery-checker.h"
#include "relay-store-message.h"

G_BEGIN_DECLS

#define RELAY_TYPE_HISTORY_DETAIL (relay_history_detail_get_type ())

G_DECLARE_FINAL_TYPE (RelayHistoryDetail, relay_history_detail, RELAY, HISTORY_DETAIL, GtkWidget)

void relay_history_detail_set_message (RelayHistoryDetail      *self,
                                       const RelayStoreMessage *message);
void relay_history_detail_set_outbox  (RelayHistoryDetail      *self,
                                       RelayMessageState        state,
                                       gboolean                 in_outbox);
void relay_history_detail_set_delivery_checker (RelayHistoryDetail      *self,
                                                RelayDeliveryChecker    *checker);

G_END_DECLS
