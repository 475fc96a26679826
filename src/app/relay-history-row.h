/* relay-history-row.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "relay-history-model.h"

G_BEGIN_DECLS

#define RELAY_TYPE_HISTORY_ROW (relay_history_row_get_type ())

G_DECLARE_FINAL_TYPE (RelayHistoryRow, relay_history_row, RELAY, HISTORY_ROW, GtkWidget)

GtkWidget  *relay_history_row_new             (void);
void        relay_history_row_set_item        (RelayHistoryRow   *self,
                                               RelayHistoryItem  *item);

/* Pure helpers, shared with the detail view. */
const char *relay_history_state_icon          (RelayMessageState  state);
const char *relay_history_state_label         (RelayMessageState  state);
char       *relay_history_format_time         (gint64             us,
                                               gint64             now_us);
char       *relay_history_first_line          (const char        *text);
char       *relay_history_format_price        (const RelayStoreMessage *message);

G_END_DECLS
