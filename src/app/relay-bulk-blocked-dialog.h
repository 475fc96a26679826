/* relay-bulk-blocked-dialog.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "relay-store.h"

G_BEGIN_DECLS

#define RELAY_TYPE_BULK_BLOCKED_DIALOG (relay_bulk_blocked_dialog_get_type ())

G_DECLARE_FINAL_TYPE (RelayBulkBlockedDialog, relay_bulk_blocked_dialog, RELAY, BULK_BLOCKED_DIALOG, AdwWindow)

RelayBulkBlockedDialog *relay_bulk_blocked_dialog_present (RelayStore  *store,
                                                           GtkWindow   *parent);
guint                   relay_bulk_blocked_dialog_get_n_numbers (RelayBulkBlockedDialog *self);
void                    relay_bulk_blocked_dialog_add     (RelayBulkBlockedDialog *self,
                                                           const char             *number);
void                    relay_bulk_blocked_dialog_import_file (RelayBulkBlockedDialog *self,
                                                               GFile                  *file);

G_END_DECLS
