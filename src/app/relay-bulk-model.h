/* relay-bulk-model.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "relay-recipient-import.h"
#include "relay-store-message.h"

G_BEGIN_DECLS

/**
 * RelayBulkOutcome:
 * @state: the row's RelayMessageState
 * @parts: parts sent (0 unknown)
 * @price: (nullable): what the provider charged, a decimal string
 * @currency: (nullable): its currency
 * @message_ids: (nullable): the message ids, space-separated
 * @error: (nullable): why it was not sent
 * @client_ref: (nullable): the row's client-ref
 */
typedef struct
{
  RelayMessageState  state;
  guint              parts;
  char              *price;
  char              *currency;
  char              *message_ids;
  char              *error;
  char              *client_ref;
} RelayBulkOutcome;

#define RELAY_TYPE_BULK_MODEL (relay_bulk_model_get_type ())

G_DECLARE_FINAL_TYPE (RelayBulkModel, relay_bulk_model, RELAY, BULK_MODEL, GObject)

RelayBulkModel         *relay_bulk_model_new_recipients (RelayImport        *import,
                                                         int                 name_column);
RelayBulkModel         *relay_bulk_model_new_skipped    (RelayImport        *import);
RelayImport            *relay_bulk_model_get_import     (RelayBulkModel     *self);
void                    relay_bulk_model_set_problems   (RelayBulkModel     *self,
                                                         const guint8       *problems,
                                                         guint               n);
void                    relay_bulk_model_set_outcome    (RelayBulkModel     *self,
                                                         guint               row,
                                                         RelayStoreMessage  *message);
const RelayBulkOutcome *relay_bulk_model_get_outcome    (RelayBulkModel     *self,
                                                         guint               row);
void                    relay_bulk_model_clear_outcomes (RelayBulkModel     *self);
void                    relay_bulk_model_set_running    (RelayBulkModel     *self,
                                                         gboolean            running);
guint                   relay_bulk_model_get_n_live     (RelayBulkModel     *self);

G_END_DECLS
