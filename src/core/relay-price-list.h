/* relay-price-list.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "relay-amount.h"

G_BEGIN_DECLS

#define RELAY_PRICE_ERROR (relay_price_error_quark ())

typedef enum
{
  RELAY_PRICE_ERROR_MALFORMED,     /* the answer is not a price list */
  RELAY_PRICE_ERROR_NO_LIST,       /* no list: none cached and none fetched */
  RELAY_PRICE_ERROR_UNKNOWN,       /* a recipient's price is not known */
} RelayPriceError;

/**
 * RelayPriceNetwork:
 * @code: the network code (MCC and MNC, "23410")
 * @name: (nullable): the network's name
 * @price: the price of one part
 * @ranges: (nullable) (array zero-terminated=1): number prefixes that
 *   belong to this network
 */
typedef struct
{
  char         *code;
  char         *name;
  RelayAmount   price;
  char        **ranges;
} RelayPriceNetwork;

/**
 * RelayPriceCountry:
 * @code: ISO 3166 code ("GB")
 * @name: (nullable): its display name
 * @prefix: the dialing prefix ("44")
 * @default_price: the provider's defaultPrice, or -1; never used alone
 * @networks: (element-type RelayPriceNetwork): its networks
 */
typedef struct
{
  char         *code;
  char         *name;
  char         *prefix;
  RelayAmount   default_price;
  GPtrArray    *networks;
} RelayPriceCountry;

/**
 * RelayPriceMatch:
 * @country: (nullable): the country code, "US/CA" when a shared prefix
 *   could not be told apart, %NULL when unknown (owned by the list)
 * @network: (nullable): the network code when a range named it (owned
 *   by the list)
 * @min: price of one part on the cheapest network it may be on, or -1
 * @max: price of one part on the dearest, or -1 when unknown
 */
typedef struct
{
  const char  *country;
  const char  *network;
  RelayAmount  min;
  RelayAmount  max;
} RelayPriceMatch;

typedef struct _RelayPriceList RelayPriceList;

#define RELAY_TYPE_PRICE_LIST (relay_price_list_get_type ())

GType              relay_price_list_get_type       (void) G_GNUC_CONST;
GQuark             relay_price_error_quark         (void);

RelayPriceList    *relay_price_list_parse          (const char      *json,
                                                    gssize           len,
                                                    GError         **error);
RelayPriceList    *relay_price_list_new_from_node  (JsonNode        *node,
                                                    GError         **error);
RelayPriceList    *relay_price_list_ref            (RelayPriceList  *self);
void               relay_price_list_unref          (RelayPriceList  *self);
const char        *relay_price_list_get_currency   (RelayPriceList  *self);
guint              relay_price_list_get_n_countries (RelayPriceList *self);
RelayPriceCountry *relay_price_list_get_country    (RelayPriceList  *self,
                                                    guint            index);
RelayPriceCountry *relay_price_list_find_country   (RelayPriceList  *self,
                                                    const char      *code);
gboolean           relay_price_list_match          (RelayPriceList  *self,
                                                    const char      *number,
                                                    RelayPriceMatch *match);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayPriceList, relay_price_list_unref)

G_END_DECLS
