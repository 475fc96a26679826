/* relay-result-row.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "relay-result-item.h"

G_BEGIN_DECLS

#define RELAY_TYPE_RESULT_ROW (relay_result_row_get_type ())

G_DECLARE_FINAL_TYPE (RelayResultRow, relay_result_row, RELAY, RESULT_ROW, GtkWidget)

GtkWidget       *relay_result_row_new      (void);
void             relay_result_row_set_item (RelayResultRow  *self,
                                            RelayResultItem *item);
RelayResultItem *relay_result_row_get_item (RelayResultRow  *self);

G_END_DECLS
