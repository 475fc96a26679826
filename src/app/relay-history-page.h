/* relay-history-page.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "relay-delivery-checker.h"
#include "relay-history-model.h"
#include "relay-store.h"

G_BEGIN_DECLS

#define RELAY_TYPE_HISTORY_PAGE (relay_history_page_get_type ())

G_DECLARE_FINAL_TYPE (RelayHistoryPage, relay_history_page, RELAY, HISTORY_PAGE, GtkWidget)

void               relay_history_page_bind_settings  (RelayHistoryPage   *self,
                                                      GSettings          *settings);
void               relay_history_page_set_store      (RelayHistoryPage   *self,
                                                      RelayStore         *store);
void               relay_history_page_set_unavailable (RelayHistoryPage  *self,
                                                      const char         *sentence);
void               relay_history_page_set_accounts   (RelayHistoryPage   *self,
                                                      const char *const  *ids,
                                                      const char *const  *labels);
void               relay_history_page_reload         (RelayHistoryPage   *self);
void               relay_history_page_set_delivery_checker (RelayHistoryPage     *self,
                                                            RelayDeliveryChecker *checker);
RelayHistoryModel *relay_history_page_get_model      (RelayHistoryPage   *self);
const char        *relay_history_page_get_view       (RelayHistoryPage   *self);
void               relay_history_page_show_position  (RelayHistoryPage   *self,
                                                      guint               position);
void               relay_history_page_export_to_file (RelayHistoryPage   *self,
                                                      GFile              *file);
void               relay_history_page_show_state     (RelayHistoryPage   *self,
                                                      int                 state);

G_END_DECLS
