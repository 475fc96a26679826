/* relay-cli-deliver.h
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

/* Sending outbox rows through the gate and recording each outcome: the
 * common part of relay-cli send and resume. */
typedef struct _RelayCliDelivery RelayCliDelivery;

RelayCliDelivery  *relay_cli_delivery_new     (RelayStore        *store,
                                               gboolean           json);
void               relay_cli_delivery_free    (RelayCliDelivery  *self);
void               relay_cli_delivery_send    (RelayCliDelivery  *self,
                                               RelayNexmoClient  *client,
                                               GPtrArray         *rows);
void               relay_cli_delivery_set_blocked (RelayCliDelivery *self,
                                               GHashTable        *blocked);
GHashTable        *relay_cli_load_blocked     (void);
void               relay_cli_delivery_set_stream (RelayCliDelivery *self,
                                               gboolean           stream);
void               relay_cli_delivery_add_skipped (RelayCliDelivery *self,
                                               const RelayStoreMessage *row);
void               relay_cli_delivery_skip    (RelayCliDelivery  *self,
                                               GPtrArray         *rows,
                                               const char        *why);
int                relay_cli_delivery_run     (RelayCliDelivery  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayCliDelivery, relay_cli_delivery_free)

G_END_DECLS
