/* relay-history-model.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "relay-store.h"

G_BEGIN_DECLS

#define RELAY_TYPE_HISTORY_ITEM (relay_history_item_get_type ())

G_DECLARE_FINAL_TYPE (RelayHistoryItem, relay_history_item, RELAY, HISTORY_ITEM, GObject)

/* The row, or NULL while its page is still being read. */
const RelayStoreMessage *relay_history_item_get_message (RelayHistoryItem *self);
gboolean                 relay_history_item_get_loaded  (RelayHistoryItem *self);

#define RELAY_TYPE_HISTORY_MODEL (relay_history_model_get_type ())

G_DECLARE_FINAL_TYPE (RelayHistoryModel, relay_history_model, RELAY, HISTORY_MODEL, GObject)

/* A GListModel of RelayHistoryItem over the store, newest first, that
 * reads rows a page at a time when a view asks for them: an item is a
 * placeholder until its page arrives, then notifies "message". */
RelayHistoryModel *relay_history_model_new              (RelayStore            *store);
void               relay_history_model_set_query        (RelayHistoryModel     *self,
                                                         const RelayStoreQuery *query);
void               relay_history_model_reload           (RelayHistoryModel     *self);
guint              relay_history_model_get_page_size    (RelayHistoryModel     *self);
guint              relay_history_model_get_pages_read   (RelayHistoryModel     *self);
gboolean           relay_history_model_get_loading      (RelayHistoryModel     *self);

G_END_DECLS
