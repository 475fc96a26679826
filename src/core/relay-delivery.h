/* relay-delivery.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "relay-nexmo-client.h"
#include "relay-store.h"

G_BEGIN_DECLS

#define RELAY_TYPE_DELIVERY (relay_delivery_get_type ())

G_DECLARE_FINAL_TYPE (RelayDelivery, relay_delivery, RELAY, DELIVERY, GObject)

RelayDelivery     *relay_delivery_new         (RelayNexmoClient     *client,
                                               RelayStore           *store);
RelayNexmoClient  *relay_delivery_get_client  (RelayDelivery        *self);
RelayStore        *relay_delivery_get_store   (RelayDelivery        *self);

RelayStoreMessage *relay_delivery_new_row     (const char           *account_id,
                                               const char           *from,
                                               const char           *to,
                                               const char           *text,
                                               gboolean              unicode);

void               relay_delivery_send_async  (RelayDelivery        *self,
                                               GPtrArray            *rows,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
GPtrArray         *relay_delivery_send_finish (RelayDelivery        *self,
                                               GAsyncResult         *result,
                                               GError              **error);

GPtrArray         *relay_delivery_get_rows    (RelayDelivery        *self);

G_END_DECLS
