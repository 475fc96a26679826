/* relay-pricing.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "relay-account.h"
#include "relay-clock.h"
#include "relay-price-list.h"

G_BEGIN_DECLS

/* The Pricing API allows one request a second. */
#define RELAY_PRICING_INTERVAL_US   G_USEC_PER_SEC
/* The full list is fetched again after a day. */
#define RELAY_PRICING_MAX_AGE_S     (24 * 60 * 60)
/* relay_pricing_ensure() tries a failed refresh again after this. */
#define RELAY_PRICING_RETRY_US      (G_GINT64_CONSTANT (300) * G_USEC_PER_SEC)
/* Throttled (HTTP 429) requests are tried this often in all. */
#define RELAY_PRICING_MAX_ATTEMPTS  3
/* The largest price list read, in bytes. */
#define RELAY_PRICING_MAX_BODY      (32 * 1024 * 1024)

#define RELAY_TYPE_PRICING (relay_pricing_get_type ())

G_DECLARE_FINAL_TYPE (RelayPricing, relay_pricing, RELAY, PRICING, GObject)

RelayPricing   *relay_pricing_new                 (RelayAccount        *account);
RelayAccount   *relay_pricing_get_account         (RelayPricing        *self);
void            relay_pricing_set_clock           (RelayPricing        *self,
                                                   RelayClock          *clock);
void            relay_pricing_set_cache_dir       (RelayPricing        *self,
                                                   const char          *dir);
char           *relay_pricing_get_cache_path      (RelayPricing        *self);
RelayPriceList *relay_pricing_get_list            (RelayPricing        *self);
gint64          relay_pricing_get_age             (RelayPricing        *self);
gboolean        relay_pricing_is_fresh            (RelayPricing        *self);
gboolean        relay_pricing_load_cache          (RelayPricing        *self,
                                                   GError             **error);
void            relay_pricing_ensure              (RelayPricing        *self);

void            relay_pricing_refresh_async       (RelayPricing        *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean        relay_pricing_refresh_finish      (RelayPricing        *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
void            relay_pricing_get_list_async      (RelayPricing        *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
RelayPriceList *relay_pricing_get_list_finish     (RelayPricing        *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
void            relay_pricing_fetch_country_async (RelayPricing        *self,
                                                   const char          *country,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
RelayPriceList *relay_pricing_fetch_country_finish (RelayPricing       *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

G_END_DECLS
