/* relay-amount.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Money as an exact count of 1e-8 of a currency unit: Nexmo's prices
 * carry eight decimals ("0.03330000"), so sums and products of them are
 * exact. Never a double. */
typedef gint64 RelayAmount;

#define RELAY_AMOUNT_SCALE    G_GINT64_CONSTANT (100000000)
#define RELAY_AMOUNT_DECIMALS 8
/* Large enough for any bill, small enough that no sum of a few million
 * of them overflows. */
#define RELAY_AMOUNT_MAX      (G_GINT64_CONSTANT (10000000000) * RELAY_AMOUNT_SCALE)

gboolean  relay_amount_parse        (const char   *text,
                                     RelayAmount  *amount);
char     *relay_amount_format       (RelayAmount   amount);
char     *relay_amount_format_short (RelayAmount   amount);
char     *relay_amount_format_span  (RelayAmount   min,
                                     RelayAmount   max,
                                     const char   *currency,
                                     gboolean      rounded);
RelayAmount relay_amount_from_double (double       value);
gboolean  relay_amount_mul          (RelayAmount   amount,
                                     guint         times,
                                     RelayAmount  *result);
gboolean  relay_amount_add          (RelayAmount   a,
                                     RelayAmount   b,
                                     RelayAmount  *result);

G_END_DECLS
