/* relay-waiting-page.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "relay-provider.h"

G_BEGIN_DECLS

#define RELAY_TYPE_WAITING_PAGE (relay_waiting_page_get_type ())

G_DECLARE_FINAL_TYPE (RelayWaitingPage, relay_waiting_page, RELAY, WAITING_PAGE, GtkWidget)

void        relay_waiting_page_reset         (RelayWaitingPage       *self,
                                              RelayAuthorizationMode  mode);
void        relay_waiting_page_set_browser_failed (RelayWaitingPage *self,
                                                   const char       *uri);
gboolean    relay_waiting_page_get_browser_failed (RelayWaitingPage *self);
void        relay_waiting_page_set_busy      (RelayWaitingPage       *self,
                                              gboolean                busy);
char       *relay_waiting_page_dup_verifier  (RelayWaitingPage       *self);

G_END_DECLS
