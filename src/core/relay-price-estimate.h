/* relay-price-estimate.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "relay-price-list.h"

G_BEGIN_DECLS

/**
 * RelayPriceLine:
 * @to: the recipient
 * @country: (nullable): its country (see #RelayPriceMatch), %NULL unknown
 * @network: (nullable): its network when a range named it
 * @parts: parts it is sent in
 * @min: its cheapest cost (@parts × price), or -1 when unknown
 * @max: its dearest cost, or -1 when unknown
 */
typedef struct
{
  char        *to;
  const char  *country;
  const char  *network;
  guint        parts;
  RelayAmount  min;
  RelayAmount  max;
} RelayPriceLine;

/**
 * RelayPriceEstimate:
 * @list: the price list it came from
 * @n_recipients: recipients estimated
 * @n_unknown: recipients whose price is not known (not counted in the
 *   totals, which are then incomplete)
 * @min: the total if every recipient is on its cheapest network
 * @max: the total if every recipient is on its dearest network
 * @lines: (element-type RelayPriceLine) (nullable): one per recipient
 */
typedef struct
{
  RelayPriceList *list;
  guint           n_recipients;
  guint           n_unknown;
  RelayAmount     min;
  RelayAmount     max;
  GArray         *lines;
} RelayPriceEstimate;

guint               relay_price_parts_for_text     (const char               *text,
                                                    gboolean                  unicode);
RelayPriceEstimate *relay_price_estimate_new_empty (RelayPriceList           *list,
                                                    guint                     n_reserved,
                                                    gboolean                  with_lines);
void                relay_price_estimate_add       (RelayPriceEstimate       *self,
                                                    const char               *to,
                                                    guint                     parts);
RelayPriceEstimate *relay_price_estimate_new       (RelayPriceList           *list,
                                                    const char *const        *to,
                                                    gssize                    n_to,
                                                    guint                     parts,
                                                    gboolean                  with_lines);
void                relay_price_estimate_free      (RelayPriceEstimate       *self);
gboolean            relay_price_estimate_is_complete (const RelayPriceEstimate *self);
JsonNode           *relay_price_estimate_to_json   (const RelayPriceEstimate *self,
                                                    RelayAmount               balance,
                                                    gint64                    age_s);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayPriceEstimate, relay_price_estimate_free)

G_END_DECLS
