/* relay-history-export.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "relay-store.h"

G_BEGIN_DECLS

/* Writes the rows of @query (its limit and offset ignored) to @file as
 * CSV (RFC 4180, UTF-8, a header line), a page at a time; the file
 * replaces an earlier one only once complete. */
void     relay_history_export_async  (RelayStore            *store,
                                      const RelayStoreQuery *query,
                                      GFile                 *file,
                                      GCancellable          *cancellable,
                                      GAsyncReadyCallback    callback,
                                      gpointer               user_data);
gboolean relay_history_export_finish (RelayStore            *store,
                                      GAsyncResult          *result,
                                      guint                 *count,
                                      GError               **error);

G_END_DECLS
