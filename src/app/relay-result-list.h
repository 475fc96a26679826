/* relay-result-list.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "relay-result-item.h"

G_BEGIN_DECLS

#define RELAY_TYPE_RESULT_LIST (relay_result_list_get_type ())

G_DECLARE_FINAL_TYPE (RelayResultList, relay_result_list, RELAY, RESULT_LIST, GtkWidget)

GtkWidget       *relay_result_list_new         (void);
GListModel      *relay_result_list_get_model   (RelayResultList      *self);
void             relay_result_list_clear       (RelayResultList      *self);
void             relay_result_list_set_items   (RelayResultList      *self,
                                                const char * const   *recipients,
                                                gssize                n_recipients,
                                                const char           *currency);
RelayResultItem *relay_result_list_update      (RelayResultList      *self,
                                                const RelaySmsResult *result);
void             relay_result_list_set_currency (RelayResultList     *self,
                                                 const char          *currency);
guint            relay_result_list_count       (RelayResultList      *self,
                                                RelaySmsState         state);
RelayAmount      relay_result_list_get_total   (RelayResultList      *self,
                                                guint                *n_unknown);
const char      *relay_result_list_get_total_text (RelayResultList   *self);
void             relay_result_list_set_message (RelayResultList      *self,
                                                const char           *message);
const char      *relay_result_list_get_message (RelayResultList      *self);
GtkWidget       *relay_result_list_get_view    (RelayResultList      *self);

G_END_DECLS
