/* relay-delivery.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "relay-clock.h"
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

void               relay_delivery_set_blocked (RelayDelivery        *self,
                                               GHashTable           *blocked);
void               relay_delivery_set_currency (RelayDelivery       *self,
                                                const char          *currency);
void               relay_delivery_set_clock   (RelayDelivery        *self,
                                               RelayClock           *clock);
void               relay_delivery_pause       (RelayDelivery        *self);
void               relay_delivery_resume      (RelayDelivery        *self);
gboolean           relay_delivery_is_paused   (RelayDelivery        *self);
guint              relay_delivery_get_done    (RelayDelivery        *self,
                                               guint                *total);
gint64             relay_delivery_get_eta     (RelayDelivery        *self);

G_END_DECLS
