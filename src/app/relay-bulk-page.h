/* relay-bulk-page.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "relay-account.h"
#include "relay-bulk-model.h"
#include "relay-clock.h"
#include "relay-nexmo-client.h"
#include "relay-recipient-import.h"
#include "relay-store.h"

G_BEGIN_DECLS

#define RELAY_TYPE_BULK_PAGE (relay_bulk_page_get_type ())

G_DECLARE_FINAL_TYPE (RelayBulkPage, relay_bulk_page, RELAY, BULK_PAGE, GtkWidget)

void            relay_bulk_page_bind_settings   (RelayBulkPage     *self,
                                                 GSettings         *settings);
void            relay_bulk_page_set_account     (RelayBulkPage     *self,
                                                 RelayAccount      *account,
                                                 RelayNexmoClient  *client);
void            relay_bulk_page_set_store       (RelayBulkPage     *self,
                                                 RelayStore        *store);
void            relay_bulk_page_set_balance     (RelayBulkPage     *self,
                                                 const char        *balance);
void            relay_bulk_page_load_file       (RelayBulkPage     *self,
                                                 GFile             *file);
void            relay_bulk_page_load_text       (RelayBulkPage     *self,
                                                 const char        *text);
gboolean        relay_bulk_page_drop            (RelayBulkPage     *self,
                                                 const GValue      *value);
const char     *relay_bulk_page_get_state       (RelayBulkPage     *self);
RelayImport    *relay_bulk_page_get_import      (RelayBulkPage     *self);
RelayBulkModel *relay_bulk_page_get_model       (RelayBulkPage     *self);
guint           relay_bulk_page_get_n_problems  (RelayBulkPage     *self);
gboolean        relay_bulk_page_get_sending     (RelayBulkPage     *self);
gboolean        relay_bulk_page_get_paused      (RelayBulkPage     *self);
void            relay_bulk_page_leave           (RelayBulkPage     *self);
void            relay_bulk_page_set_busy        (RelayBulkPage     *self,
                                                 gboolean           busy);
void            relay_bulk_page_set_clock       (RelayBulkPage     *self,
                                                 RelayClock        *clock);
void            relay_bulk_page_export_async    (RelayBulkPage     *self,
                                                 GFile             *file,
                                                 GCancellable      *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer           user_data);
gboolean        relay_bulk_page_export_finish   (RelayBulkPage     *self,
                                                 GAsyncResult      *result,
                                                 GError           **error);

G_END_DECLS
