/* relay-send-page.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "relay-account.h"
#include "relay-nexmo-client.h"
#include "relay-result-list.h"
#include "relay-store.h"

G_BEGIN_DECLS

#define RELAY_TYPE_SEND_PAGE (relay_send_page_get_type ())

G_DECLARE_FINAL_TYPE (RelaySendPage, relay_send_page, RELAY, SEND_PAGE, GtkWidget)

void          relay_send_page_bind_settings    (RelaySendPage *self,
                                                GSettings     *settings);
RelayAccount *relay_send_page_get_account      (RelaySendPage *self);
RelayNexmoClient *relay_send_page_get_client  (RelaySendPage *self);
void          relay_send_page_set_account      (RelaySendPage *self,
                                                RelayAccount  *account);
gboolean      relay_send_page_get_can_send     (RelaySendPage *self);
gboolean      relay_send_page_get_sending      (RelaySendPage *self);
const char   *relay_send_page_get_balance      (RelaySendPage *self);
void          relay_send_page_send             (RelaySendPage *self);
void          relay_send_page_cancel           (RelaySendPage *self);
void          relay_send_page_fill             (RelaySendPage *self,
                                                const char    *recipients,
                                                const char    *text);
void          relay_send_page_refresh_balance  (RelaySendPage *self);
RelayStore   *relay_send_page_get_store        (RelaySendPage *self);
RelayResultList *relay_send_page_get_result_list (RelaySendPage *self);
void          relay_send_page_set_store        (RelaySendPage *self,
                                                RelayStore    *store);
gboolean      relay_send_page_send_rows        (RelaySendPage *self,
                                                GPtrArray     *rows);

G_END_DECLS
