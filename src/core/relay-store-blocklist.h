/* relay-store-blocklist.h — the do-not-contact list
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "relay-store.h"

G_BEGIN_DECLS

/* How a number came onto the do-not-contact list. */
typedef enum
{
  RELAY_BLOCK_SOURCE_HAND,     /* typed in (relay-cli block, Preferences) */
  RELAY_BLOCK_SOURCE_IMPORT,   /* from an imported file */
  RELAY_BLOCK_SOURCE_HISTORY,  /* "Never send to this number" on a history row */
} RelayBlockSource;

typedef struct
{
  char             *number;    /* international digits */
  gint64            added_at;  /* µs since the epoch */
  RelayBlockSource  source;
} RelayBlockedNumber;

const char *relay_block_source_to_string   (RelayBlockSource          source);
gboolean    relay_block_source_from_string (const char               *string,
                                            RelayBlockSource         *source);
void        relay_blocked_number_free      (RelayBlockedNumber       *blocked);
gboolean    relay_blocked_number_is_valid  (const char               *number);

/* Adds @numbers (international digits) in one transaction; numbers
 * already on the list keep their date and source. Every number must be
 * valid or nothing changes. Finishes with how many were new. */
void        relay_store_block_async        (RelayStore               *self,
                                            const char * const       *numbers,
                                            RelayBlockSource          source,
                                            GCancellable             *cancellable,
                                            GAsyncReadyCallback       callback,
                                            gpointer                  user_data);
gboolean    relay_store_block_finish       (RelayStore               *self,
                                            GAsyncResult             *result,
                                            guint                    *n_added,
                                            GError                  **error);

/* Removes @numbers in one transaction; finishes with how many were on
 * the list. */
void        relay_store_unblock_async      (RelayStore               *self,
                                            const char * const       *numbers,
                                            GCancellable             *cancellable,
                                            GAsyncReadyCallback       callback,
                                            gpointer                  user_data);
gboolean    relay_store_unblock_finish     (RelayStore               *self,
                                            GAsyncResult             *result,
                                            guint                    *n_removed,
                                            GError                  **error);

/* The list, by number: a GPtrArray of RelayBlockedNumber. */
void        relay_store_list_blocked_async (RelayStore               *self,
                                            GCancellable             *cancellable,
                                            GAsyncReadyCallback       callback,
                                            gpointer                  user_data);
GPtrArray  *relay_store_list_blocked_finish (RelayStore              *self,
                                            GAsyncResult             *result,
                                            GError                  **error);

/* Whether @number is on the list. */
void        relay_store_contains_blocked_async  (RelayStore          *self,
                                                 const char          *number,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean    relay_store_contains_blocked_finish (RelayStore          *self,
                                                 GAsyncResult        *result,
                                                 gboolean            *contains,
                                                 GError             **error);

/* The whole list at once, for many look-ups without a round trip each
 * (an import, a bulk send): a set of numbers (GHashTable of char * keys,
 * g_hash_table_contains()). It does not follow later changes. */
void        relay_store_blocked_snapshot_async  (RelayStore          *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GHashTable *relay_store_blocked_snapshot_finish (RelayStore          *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayBlockedNumber, relay_blocked_number_free)

G_END_DECLS
