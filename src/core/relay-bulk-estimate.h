/* relay-bulk-estimate.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "relay-price-estimate.h"
#include "relay-recipient-import.h"
#include "relay-template.h"

G_BEGIN_DECLS

RelayPriceEstimate *relay_price_estimate_new_for_texts (RelayPriceList    *list,
                                                        const char *const *to,
                                                        const char *const *texts,
                                                        gsize              n,
                                                        gboolean           unicode,
                                                        gboolean           with_lines);
RelayPriceEstimate *relay_bulk_estimate_new            (RelayPriceList    *list,
                                                        RelayTemplate     *template,
                                                        RelayImport       *import,
                                                        gboolean           unicode,
                                                        gboolean           with_lines);
RelayPriceEstimate *relay_bulk_estimate_new_for_row    (RelayPriceList    *list,
                                                        RelayTemplate     *template,
                                                        RelayImport       *import,
                                                        guint              row,
                                                        gboolean           unicode);

G_END_DECLS
