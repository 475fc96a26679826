/* relay-result-item.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "relay-amount.h"
#include "relay-nexmo-client.h"

G_BEGIN_DECLS

/* A price not known: not charged yet said, or no answer came. */
#define RELAY_RESULT_PRICE_UNKNOWN ((RelayAmount) -1)

#define RELAY_TYPE_RESULT_ITEM (relay_result_item_get_type ())

G_DECLARE_FINAL_TYPE (RelayResultItem, relay_result_item, RELAY, RESULT_ITEM, GObject)

RelayResultItem    *relay_result_item_new             (const char           *recipient,
                                                       const char           *currency);
const char         *relay_result_item_get_recipient   (RelayResultItem      *self);
const char         *relay_result_item_get_currency    (RelayResultItem      *self);
void                relay_result_item_set_currency    (RelayResultItem      *self,
                                                       const char           *currency);
RelaySmsState       relay_result_item_get_state       (RelayResultItem      *self);
guint               relay_result_item_get_parts       (RelayResultItem      *self);
RelayAmount         relay_result_item_get_price       (RelayResultItem      *self);
const char * const *relay_result_item_get_message_ids (RelayResultItem      *self);
const char         *relay_result_item_get_reason      (RelayResultItem      *self);
void                relay_result_item_set_outcome     (RelayResultItem      *self,
                                                       const RelaySmsResult *result);
RelaySmsResult     *relay_result_item_to_result       (RelayResultItem      *self);

const char         *relay_result_item_get_state_label (RelayResultItem      *self);
const char         *relay_result_item_get_icon_name   (RelayResultItem      *self);
const char         *relay_result_item_get_style_class (RelayResultItem      *self);
char               *relay_result_item_dup_line        (RelayResultItem      *self);
char               *relay_result_item_dup_accessible_label (RelayResultItem *self);

G_END_DECLS
