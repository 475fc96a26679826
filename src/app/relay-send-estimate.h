/* relay-send-estimate.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "relay-account.h"
#include "relay-price-estimate.h"
#include "relay-pricing.h"

G_BEGIN_DECLS

/* The threshold when the preference holds no amount. */
#define RELAY_SEND_ESTIMATE_DEFAULT_THRESHOLD (RELAY_AMOUNT_SCALE)

#define RELAY_TYPE_SEND_ESTIMATE (relay_send_estimate_get_type ())

G_DECLARE_FINAL_TYPE (RelaySendEstimate, relay_send_estimate, RELAY, SEND_ESTIMATE, GtkWidget)

/* Called when the person confirmed the send in the dialog. */
typedef void (*RelaySendEstimateFunc) (gpointer user_data);

void                      relay_send_estimate_set_account   (RelaySendEstimate    *self,
                                                             RelayAccount         *account);
RelayPricing             *relay_send_estimate_get_pricing   (RelaySendEstimate    *self);
void                      relay_send_estimate_set_balance   (RelaySendEstimate    *self,
                                                             const char           *balance);
void                      relay_send_estimate_update        (RelaySendEstimate    *self,
                                                             const char *const    *recipients,
                                                             const char           *text);
const RelayPriceEstimate *relay_send_estimate_get_estimate  (RelaySendEstimate    *self);
const char               *relay_send_estimate_get_text      (RelaySendEstimate    *self);
gboolean                  relay_send_estimate_get_warning   (RelaySendEstimate    *self);
RelayAmount               relay_send_estimate_get_threshold (GSettings            *settings);
char                     *relay_send_estimate_get_question  (RelaySendEstimate    *self,
                                                             RelayAmount           threshold);
char                     *relay_send_estimate_question_for  (const RelayPriceEstimate *estimate,
                                                             RelayAmount           balance,
                                                             RelayAmount           threshold);
gboolean                  relay_send_estimate_confirm       (RelaySendEstimate    *self,
                                                             GSettings            *settings,
                                                             RelaySendEstimateFunc func,
                                                             gpointer              user_data);

G_END_DECLS
