/* relay-store.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "relay-store-message.h"

G_BEGIN_DECLS

#define RELAY_STORE_ERROR (relay_store_error_quark ())

typedef enum
{
  RELAY_STORE_ERROR_UNAVAILABLE,  /* the file cannot be opened or created */
  RELAY_STORE_ERROR_CORRUPT,      /* not a database, or a damaged one */
  RELAY_STORE_ERROR_TOO_NEW,      /* written by a newer Relay */
  RELAY_STORE_ERROR_FULL,         /* the disk (or the page limit) is full */
  RELAY_STORE_ERROR_NOT_FOUND,    /* no such message */
  RELAY_STORE_ERROR_STATE,        /* the message is not in a state that allows this */
  RELAY_STORE_ERROR_CLOSED,       /* the store was not opened, or failed to open */
  RELAY_STORE_ERROR_FAILED,       /* any other SQLite error */
} RelayStoreError;

/* The schema version this build writes (PRAGMA user_version). */
#define RELAY_STORE_SCHEMA_VERSION 3

/* A search whose words are all shorter than three characters (which the
 * full-text index cannot serve) looks only at the newest this many
 * messages (by id), so that it never reads the whole history. */
#define RELAY_STORE_SHORT_SEARCH_ROWS 10000

/**
 * RelayStoreQuery:
 * @account: (nullable): only this account
 * @search: (nullable): words that must occur in the recipient or text
 * @state: a state, or -1 for any
 * @since_us: only rows queued at or after this time (µs since the epoch), 0 for all
 * @before_id: only rows older than this id (for paging newest first), 0 for none
 * @limit: at most this many rows, 0 for no limit
 * @offset: skip this many rows first
 *
 * Which history rows to read; rows come newest first.
 */
typedef struct _RelayStoreQuery
{
  char   *account;
  char   *search;
  int     state;
  gint64  since_us;
  gint64  before_id;
  guint   limit;
  guint   offset;
} RelayStoreQuery;

#define RELAY_TYPE_STORE (relay_store_get_type ())

G_DECLARE_FINAL_TYPE (RelayStore, relay_store, RELAY, STORE, GObject)

GQuark       relay_store_error_quark         (void);

char        *relay_store_default_path        (void);

RelayStore  *relay_store_new                 (const char           *path);
const char  *relay_store_get_path            (RelayStore           *self);

/* Opens (creating it and its folder when missing), migrates to
 * RELAY_STORE_SCHEMA_VERSION, and recovers what a dead process left:
 * rows it was sending become uncertain, rows it had queued become
 * resumable. Every other call fails with CLOSED until this succeeded. */
void         relay_store_open_async          (RelayStore           *self,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean     relay_store_open_finish         (RelayStore           *self,
                                              GAsyncResult         *result,
                                              GError              **error);

/* Records @messages (RelayStoreMessage) in one transaction, state queued,
 * owned by this process; sets each message's id and queued_at. Nothing is
 * recorded when any of them cannot be. */
void         relay_store_enqueue_async       (RelayStore           *self,
                                              GPtrArray            *messages,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean     relay_store_enqueue_finish      (RelayStore           *self,
                                              GAsyncResult         *result,
                                              GError              **error);

/* queued → sending, durably, before the request may leave. Fails with
 * STATE unless the row is queued and this process may send it. */
void         relay_store_begin_send_async    (RelayStore           *self,
                                              gint64                id,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean     relay_store_begin_send_finish   (RelayStore           *self,
                                              GAsyncResult         *result,
                                              GError              **error);

/* Records the outcome of a message this process queued or was sending:
 * @outcome's state (sent, failed, not-sent or uncertain) and the
 * provider's fields. Not-sent after sending is the owner's word that the
 * request never left; a recorded outcome is final. */
void         relay_store_record_async        (RelayStore           *self,
                                              RelayStoreMessage    *outcome,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean     relay_store_record_finish       (RelayStore           *self,
                                              GAsyncResult         *result,
                                              GError              **error);

/* History, newest first: a GPtrArray of RelayStoreMessage. */
void         relay_store_query_async         (RelayStore           *self,
                                              const RelayStoreQuery *query,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
GPtrArray   *relay_store_query_finish        (RelayStore           *self,
                                              GAsyncResult         *result,
                                              GError              **error);

/* How many rows @query would give without its limit and offset. */
void         relay_store_count_async         (RelayStore           *self,
                                              const RelayStoreQuery *query,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gint64       relay_store_count_finish        (RelayStore           *self,
                                              GAsyncResult         *result,
                                              GError              **error);
/* The same, but stops at @cap; finish with relay_store_count_finish(). */
void         relay_store_count_at_most_async (RelayStore           *self,
                                              const RelayStoreQuery *query,
                                              guint                 cap,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);

/* The outbox, oldest first: rows queued that no living process owns, and
 * uncertain rows nobody has decided on yet. */
void         relay_store_outbox_async        (RelayStore           *self,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
GPtrArray   *relay_store_outbox_finish       (RelayStore           *self,
                                              GAsyncResult         *result,
                                              GError              **error);

/* Takes the resumable queued rows (of @account, or all when NULL) for
 * this process to send, oldest first; never an uncertain row. */
void         relay_store_claim_async         (RelayStore           *self,
                                              const char           *account,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
GPtrArray   *relay_store_claim_finish        (RelayStore           *self,
                                              GAsyncResult         *result,
                                              GError              **error);

typedef enum
{
  RELAY_STORE_DECISION_DISCARD,    /* queued → not-sent; uncertain stays uncertain, leaves the outbox */
  RELAY_STORE_DECISION_MARK_SENT,  /* uncertain → sent, on the user's word */
  RELAY_STORE_DECISION_RETRY,      /* uncertain → a new queued row with a new client-ref */
} RelayStoreDecision;

/* The user's decision on outbox rows; every id must be in the outbox, or
 * nothing changes. RETRY returns the new rows' ids in @new_ids. */
void         relay_store_decide_async        (RelayStore           *self,
                                              const gint64         *ids,
                                              guint                 n_ids,
                                              RelayStoreDecision    decision,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean     relay_store_decide_finish       (RelayStore           *self,
                                              GAsyncResult         *result,
                                              GArray              **new_ids,
                                              GError              **error);

/* Deletes history rows that are not waiting to be sent (queued, sending
 * or undecided uncertain rows are refused with STATE). */
void         relay_store_delete_async        (RelayStore           *self,
                                              const gint64         *ids,
                                              guint                 n_ids,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean     relay_store_delete_finish       (RelayStore           *self,
                                              GAsyncResult         *result,
                                              GError              **error);

/* Deletes the finished history of @account (all accounts when NULL) and
 * gives the space back to the file system. The outbox stays. */
void         relay_store_clear_async         (RelayStore           *self,
                                              const char           *account,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean     relay_store_clear_finish        (RelayStore           *self,
                                              GAsyncResult         *result,
                                              GError              **error);

/* Records a delivery status (see relay-nexmo-reports.h) on the row that
 * holds @message_id; finishes with its row id, 0 when there is none. */
void         relay_store_set_delivery_async  (RelayStore           *self,
                                              const char           *message_id,
                                              const char           *status,
                                              gint64                at_us,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gint64       relay_store_set_delivery_finish (RelayStore           *self,
                                              GAsyncResult         *result,
                                              GError              **error);

/* For tests of a full disk: caps the database at @pages pages. */
void         relay_store_set_max_pages_async (RelayStore           *self,
                                              guint                 pages,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean     relay_store_set_max_pages_finish (RelayStore          *self,
                                              GAsyncResult         *result,
                                              GError              **error);

G_END_DECLS
