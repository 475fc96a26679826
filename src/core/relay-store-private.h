/* relay-store-private.h — shared by the store's files, not for callers
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>
#include <sys/types.h>

#include "relay-store.h"

G_BEGIN_DECLS

/* The columns of a history row, in the order relay_store_row_to_message reads. */
#define RELAY_STORE_COLUMNS "id, account, sender, recipient, body, encoding, parts, client_ref, " \
                            "message_ids, price, currency, network, status, error, state, " \
                            "delivery, queued_at, sent_at, source_row, delivery_at"

typedef struct _RelayStoreWorker RelayStoreWorker;

/* Runs on the worker thread; returns its result through @task. */
typedef void (*RelayStoreJobFunc) (RelayStore       *self,
                                   RelayStoreWorker *worker,
                                   GTask            *task,
                                   gpointer          data);

void          relay_store_run                 (RelayStore          *self,
                                               RelayStoreJobFunc    func,
                                               gpointer             data,
                                               GDestroyNotify       free_data,
                                               gpointer             source_tag,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
void          relay_store_run_write           (RelayStore          *self,
                                               RelayStoreJobFunc    func,
                                               gpointer             data,
                                               GDestroyNotify       free_data,
                                               gpointer             source_tag,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
/* For jobs: the result, handed to the task on the caller's context once
 * the job is over, so that the worker never holds the last reference. */
void          relay_store_return_boolean      (GTask               *task,
                                               gboolean             value);
void          relay_store_return_int          (GTask               *task,
                                               gint64               value);
void          relay_store_return_pointer      (GTask               *task,
                                               gpointer             value,
                                               GDestroyNotify       value_free);
void          relay_store_return_error        (GTask               *task,
                                               GError              *error);
gboolean      relay_store_boolean_finish      (RelayStore          *self,
                                               GAsyncResult        *result,
                                               gpointer             source_tag,
                                               GError             **error);

void          relay_store_set_error           (GError             **error,
                                               sqlite3             *db,
                                               int                  rc,
                                               const char          *path);

char         *relay_store_owner_for_pid       (pid_t                pid);
gboolean      relay_store_owner_is_alive      (const char          *owner);

sqlite3      *relay_store_worker_get_db       (RelayStoreWorker    *w);
const char   *relay_store_worker_get_owner    (RelayStoreWorker    *w);
const char   *relay_store_worker_get_path     (RelayStoreWorker    *w);
gboolean      relay_store_worker_check_open   (RelayStoreWorker    *w,
                                               GError             **error);
sqlite3_stmt *relay_store_worker_prepare      (RelayStoreWorker    *w,
                                               const char          *sql,
                                               GError             **error);
gboolean      relay_store_worker_exec         (RelayStoreWorker    *w,
                                               const char          *sql,
                                               GError             **error);
gboolean      relay_store_worker_step_done    (RelayStoreWorker    *w,
                                               sqlite3_stmt        *stmt,
                                               GError             **error);
void          relay_store_worker_rollback     (RelayStoreWorker    *w);
GPtrArray    *relay_store_worker_collect      (RelayStoreWorker    *w,
                                               sqlite3_stmt        *stmt,
                                               GError             **error);
RelayStoreMessage *relay_store_row_to_message (sqlite3_stmt        *stmt);
gboolean      relay_store_worker_release_dead (RelayStoreWorker    *w,
                                               GError             **error);

/* The search index of large queues (relay-store-search.c). */
#define RELAY_STORE_DEFER_SEARCH_ROWS 25000
GAsyncQueue  *relay_store_worker_get_queue    (RelayStoreWorker    *w);
guint         relay_store_worker_get_defer_rows (RelayStoreWorker  *w);
void          relay_store_worker_set_search_backlog (RelayStoreWorker *w,
                                               gboolean             backlog);
gboolean      relay_store_worker_get_search_backlog (RelayStoreWorker *w);
void          relay_store_worker_check_search_backlog (RelayStoreWorker *w);
gpointer      relay_store_worker_next         (RelayStoreWorker    *w);
void          relay_store_worker_search_catch_up (RelayStoreWorker *w);

G_END_DECLS
