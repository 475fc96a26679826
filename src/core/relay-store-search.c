/* relay-store-search.c — the search index of large queues, built later
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The trigram index costs far more than the row itself (100,000 rows
 * queued in one transaction took 30 s with it, 3 s without), and a bulk
 * send waits for its queue before the first message leaves. So an
 * enqueue of RELAY_STORE_DEFER_SEARCH_ROWS rows or more leaves them out
 * of the index (search_paused, see relay-store-schema.c) and notes
 * their ids in search_backlog; the worker indexes them, a chunk per
 * transaction, whenever it has had nothing else to do for a moment —
 * after the send, or in the next process that opens the history. A
 * search that comes first waits for the rest of the backlog to be
 * indexed, so it never misses a row.
 */

#include "relay-store-private.h"

/* Rows indexed per transaction. */
#define CHUNK 500

/* How long the worker waits for a job before indexing a chunk. */
#define IDLE_US (100 * 1000)

/* On the worker, after opening: whether rows wait for the index. */
void
relay_store_worker_check_search_backlog (RelayStoreWorker *w)
{
  sqlite3_stmt *stmt = relay_store_worker_prepare (w, "SELECT EXISTS (SELECT 1 FROM search_backlog)", NULL);

  relay_store_worker_set_search_backlog (w, stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW &&
                                            sqlite3_column_int (stmt, 0) != 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
}

/* Indexes the next chunk of the backlog in a transaction of its own;
 * clears the flag once nothing is left, or on an error (the next open
 * tries again). */
static void
index_chunk (RelayStoreWorker *w)
{
  sqlite3 *db = relay_store_worker_get_db (w);
  sqlite3_stmt *stmt;
  gint64 rowid, first, last, upto;
  gboolean ok = FALSE;

  if (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    {
      relay_store_worker_set_search_backlog (w, FALSE);
      return;
    }

  stmt = relay_store_worker_prepare (w, "SELECT rowid, first_id, last_id FROM search_backlog"
                                        " ORDER BY first_id LIMIT 1", NULL);
  if (stmt == NULL)
    goto out;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
      relay_store_worker_set_search_backlog (w, FALSE);
      return;
    }
  rowid = sqlite3_column_int64 (stmt, 0);
  first = sqlite3_column_int64 (stmt, 1);
  last = sqlite3_column_int64 (stmt, 2);
  sqlite3_reset (stmt);
  upto = MIN (last, first + CHUNK - 1);

  /* Rows deleted meanwhile are simply not there. */
  stmt = relay_store_worker_prepare (w, "INSERT INTO messages_search (rowid, recipient, body)"
                                        " SELECT id, recipient, body FROM messages"
                                        " WHERE id BETWEEN ?1 AND ?2", NULL);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_int64 (stmt, 1, first);
  sqlite3_bind_int64 (stmt, 2, upto);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      goto out;
    }
  sqlite3_reset (stmt);

  if (upto == last)
    stmt = relay_store_worker_prepare (w, "DELETE FROM search_backlog WHERE rowid = ?1", NULL);
  else
    stmt = relay_store_worker_prepare (w, "UPDATE search_backlog SET first_id = ?2 WHERE rowid = ?1", NULL);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_int64 (stmt, 1, rowid);
  if (upto != last)
    sqlite3_bind_int64 (stmt, 2, upto + 1);
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_reset (stmt);

out:
  if (ok && sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
    return;

  g_debug ("The search index could not take queued rows: %s", sqlite3_errmsg (db));
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  relay_store_worker_set_search_backlog (w, FALSE);
}

/* On the worker: the next job, indexing the backlog while idle. */
gpointer
relay_store_worker_next (RelayStoreWorker *w)
{
  GAsyncQueue *queue = relay_store_worker_get_queue (w);

  while (relay_store_worker_get_search_backlog (w))
    {
      gpointer item = g_async_queue_timeout_pop (queue, IDLE_US);

      if (item != NULL)
        return item;
      index_chunk (w);
    }

  return g_async_queue_pop (queue);
}

/* On the worker, outside any transaction: indexes the whole backlog. */
void
relay_store_worker_search_catch_up (RelayStoreWorker *w)
{
  while (relay_store_worker_get_search_backlog (w))
    index_chunk (w);
}
