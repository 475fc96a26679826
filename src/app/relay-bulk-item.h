/* relay-bulk-item.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define RELAY_TYPE_BULK_ITEM (relay_bulk_item_get_type ())

G_DECLARE_FINAL_TYPE (RelayBulkItem, relay_bulk_item, RELAY, BULK_ITEM, GObject)

RelayBulkItem *relay_bulk_item_new            (guint          index,
                                               guint          line);
guint          relay_bulk_item_get_index      (RelayBulkItem *self);
guint          relay_bulk_item_get_line       (RelayBulkItem *self);
const char    *relay_bulk_item_get_number     (RelayBulkItem *self);
const char    *relay_bulk_item_get_name       (RelayBulkItem *self);
const char    *relay_bulk_item_get_state      (RelayBulkItem *self);
const char    *relay_bulk_item_get_icon_name  (RelayBulkItem *self);
const char    *relay_bulk_item_get_style_class (RelayBulkItem *self);
const char    *relay_bulk_item_get_detail     (RelayBulkItem *self);
const char    *relay_bulk_item_get_message_id (RelayBulkItem *self);
const char    *relay_bulk_item_get_price      (RelayBulkItem *self);
void           relay_bulk_item_set_row        (RelayBulkItem *self,
                                               const char    *number,
                                               const char    *name);
void           relay_bulk_item_set_outcome    (RelayBulkItem *self,
                                               const char    *state,
                                               const char    *icon_name,
                                               const char    *style_class,
                                               const char    *parts,
                                               const char    *price,
                                               const char    *message_id,
                                               const char    *detail);

G_END_DECLS
