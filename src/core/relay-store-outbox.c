/* relay-store-outbox.c — what waits to be sent, and the user's decisions
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n-lib.h>

#include "relay-store-private.h"

#define IN_OUTBOX "((state = 'queued' AND owner IS NULL) OR (state = 'uncertain' AND decided = 0))"

/* outbox */

static void
outbox_job (RelayStore       *self,
            RelayStoreWorker *w,
            GTask            *task,
            gpointer          data)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  GPtrArray *rows;

  if (!relay_store_worker_check_open (w, &error)
      || !relay_store_worker_release_dead (w, &error)
      || (stmt = relay_store_worker_prepare (w,
                                             "SELECT " RELAY_STORE_COLUMNS " FROM messages"
                                             " WHERE state IN ('queued', 'uncertain') AND " IN_OUTBOX
                                             " ORDER BY id",
                                             &error)) == NULL
      || (rows = relay_store_worker_collect (w, stmt, &error)) == NULL)
    {
      relay_store_return_error (task, g_steal_pointer (&error));
      return;
    }

  relay_store_return_pointer (task, rows, (GDestroyNotify) g_ptr_array_unref);
}

void
relay_store_outbox_async (RelayStore          *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_STORE (self));

  relay_store_run (self, outbox_job, NULL, NULL, relay_store_outbox_async,
                   cancellable, callback, user_data);
}

GPtrArray *
relay_store_outbox_finish (RelayStore    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* claim */

static void
claim_job (RelayStore       *self,
           RelayStoreWorker *w,
           GTask            *task,
           gpointer          data)
{
  const char *account = data;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  GPtrArray *rows;

  if (!relay_store_worker_check_open (w, &error)
      || !relay_store_worker_release_dead (w, &error)
      || !relay_store_worker_exec (w, "BEGIN IMMEDIATE", &error))
    goto failed;

  stmt = relay_store_worker_prepare (w,
                                     "UPDATE messages SET owner = ?1"
                                     " WHERE state = 'queued' AND owner IS NULL"
                                     " AND (?2 IS NULL OR account = ?2)",
                                     &error);
  if (stmt == NULL)
    goto rolled_back;
  sqlite3_bind_text (stmt, 1, relay_store_worker_get_owner (w), -1, SQLITE_TRANSIENT);
  if (account != NULL)
    sqlite3_bind_text (stmt, 2, account, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 2);
  if (!relay_store_worker_step_done (w, stmt, &error))
    goto rolled_back;

  stmt = relay_store_worker_prepare (w,
                                     "SELECT " RELAY_STORE_COLUMNS " FROM messages"
                                     " WHERE state = 'queued' AND owner = ?1"
                                     " AND (?2 IS NULL OR account = ?2) ORDER BY id",
                                     &error);
  if (stmt == NULL)
    goto rolled_back;
  sqlite3_bind_text (stmt, 1, relay_store_worker_get_owner (w), -1, SQLITE_TRANSIENT);
  if (account != NULL)
    sqlite3_bind_text (stmt, 2, account, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 2);
  rows = relay_store_worker_collect (w, stmt, &error);
  if (rows == NULL)
    goto rolled_back;

  if (!relay_store_worker_exec (w, "COMMIT", &error))
    {
      g_ptr_array_unref (rows);
      goto rolled_back;
    }

  relay_store_return_pointer (task, rows, (GDestroyNotify) g_ptr_array_unref);
  return;

rolled_back:
  relay_store_worker_rollback (w);
failed:
  relay_store_return_error (task, g_steal_pointer (&error));
}

void
relay_store_claim_async (RelayStore          *self,
                         const char          *account,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_STORE (self));

  relay_store_run (self, claim_job, g_strdup (account), g_free, relay_store_claim_async,
                   cancellable, callback, user_data);
}

GPtrArray *
relay_store_claim_finish (RelayStore    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* decide */

typedef struct
{
  GArray             *ids;
  RelayStoreDecision  decision;
} Decision;

static void
decision_free (Decision *d)
{
  g_array_unref (d->ids);
  g_free (d);
}

/* On the worker, inside the transaction: one outbox row's decision. */
static gboolean
decide_one (RelayStoreWorker    *w,
            gint64               id,
            RelayStoreDecision   decision,
            GArray              *new_ids,
            GError             **error)
{
  g_autofree char *state = NULL;
  g_autofree char *client_ref = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = relay_store_worker_prepare (w,
                                     "SELECT state FROM messages WHERE id = ?1 AND " IN_OUTBOX,
                                     error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    state = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      relay_store_set_error (error, relay_store_worker_get_db (w), rc, relay_store_worker_get_path (w));
      return FALSE;
    }
  if (state == NULL)
    {
      g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE,
                   _("Message %lld is not in the outbox."), (long long) id);
      return FALSE;
    }

  switch (decision)
    {
    case RELAY_STORE_DECISION_DISCARD:
      stmt = relay_store_worker_prepare (w,
                                         "UPDATE messages SET"
                                         " state = CASE state WHEN 'queued' THEN 'not-sent' ELSE state END,"
                                         " error = CASE state WHEN 'queued' THEN ?2 ELSE error END,"
                                         " decided = 1"
                                         " WHERE id = ?1",
                                         error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_text (stmt, 2, _("Discarded before it was sent."), -1, SQLITE_TRANSIENT);
      return relay_store_worker_step_done (w, stmt, error);

    case RELAY_STORE_DECISION_MARK_SENT:
      if (!g_str_equal (state, "uncertain"))
        {
          g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE,
                       _("Message %lld was never sent, so it cannot be marked as sent."),
                       (long long) id);
          return FALSE;
        }
      stmt = relay_store_worker_prepare (w,
                                         "UPDATE messages SET state = 'sent', decided = 1, error = ?2"
                                         " WHERE id = ?1",
                                         error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_text (stmt, 2, _("Marked as sent by you."), -1, SQLITE_TRANSIENT);
      return relay_store_worker_step_done (w, stmt, error);

    case RELAY_STORE_DECISION_RETRY:
      if (!g_str_equal (state, "uncertain"))
        {
          g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE,
                       _("Message %lld is still queued; resume the outbox to send it."),
                       (long long) id);
          return FALSE;
        }
      /* A new row with its own client-ref: the old one keeps its record. */
      client_ref = relay_client_ref_new ();
      stmt = relay_store_worker_prepare (w,
                                         "INSERT INTO messages (account, sender, recipient, body,"
                                         " encoding, parts, client_ref, state, queued_at, source_row)"
                                         " SELECT account, sender, recipient, body, encoding, parts,"
                                         " ?2, 'queued', ?3, source_row FROM messages WHERE id = ?1",
                                         error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_text (stmt, 2, client_ref, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, g_get_real_time ());
      if (!relay_store_worker_step_done (w, stmt, error))
        return FALSE;
      {
        gint64 new_id = sqlite3_last_insert_rowid (relay_store_worker_get_db (w));

        g_array_append_val (new_ids, new_id);
      }
      stmt = relay_store_worker_prepare (w, "UPDATE messages SET decided = 1 WHERE id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      return relay_store_worker_step_done (w, stmt, error);

    default:
      g_assert_not_reached ();
    }
}

static void
decide_job (RelayStore       *self,
            RelayStoreWorker *w,
            GTask            *task,
            gpointer          data)
{
  Decision *d = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) new_ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (!relay_store_worker_check_open (w, &error)
      || !relay_store_worker_release_dead (w, &error)
      || !relay_store_worker_exec (w, "BEGIN IMMEDIATE", &error))
    goto failed;

  for (guint i = 0; i < d->ids->len; i++)
    {
      if (!decide_one (w, g_array_index (d->ids, gint64, i), d->decision, new_ids, &error))
        {
          relay_store_worker_rollback (w);
          goto failed;
        }
    }

  if (!relay_store_worker_exec (w, "COMMIT", &error))
    {
      relay_store_worker_rollback (w);
      goto failed;
    }

  relay_store_return_pointer (task, g_steal_pointer (&new_ids), (GDestroyNotify) g_array_unref);
  return;

failed:
  relay_store_return_error (task, g_steal_pointer (&error));
}

void
relay_store_decide_async (RelayStore          *self,
                          const gint64        *ids,
                          guint                n_ids,
                          RelayStoreDecision   decision,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  Decision *d;

  g_return_if_fail (RELAY_IS_STORE (self));
  g_return_if_fail (ids != NULL || n_ids == 0);
  g_return_if_fail (decision <= RELAY_STORE_DECISION_RETRY);

  d = g_new0 (Decision, 1);
  d->ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_ids);
  g_array_append_vals (d->ids, ids, n_ids);
  d->decision = decision;

  relay_store_run (self, decide_job, d, (GDestroyNotify) decision_free, relay_store_decide_async,
                   cancellable, callback, user_data);
}

gboolean
relay_store_decide_finish (RelayStore    *self,
                           GAsyncResult  *result,
                           GArray       **new_ids,
                           GError       **error)
{
  g_autoptr(GArray) ids = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  ids = g_task_propagate_pointer (G_TASK (result), error);
  if (ids == NULL)
    return FALSE;

  if (new_ids != NULL)
    *new_ids = g_steal_pointer (&ids);

  return TRUE;
}

/* delete and clear */

static void
delete_job (RelayStore       *self,
            RelayStoreWorker *w,
            GTask            *task,
            gpointer          data)
{
  GArray *ids = data;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;

  if (!relay_store_worker_check_open (w, &error)
      || !relay_store_worker_exec (w, "BEGIN IMMEDIATE", &error))
    goto failed;

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);

      stmt = relay_store_worker_prepare (w,
                                         "DELETE FROM messages WHERE id = ?1 AND NOT"
                                         " (state IN ('queued', 'sending')"
                                         "  OR (state = 'uncertain' AND decided = 0))",
                                         &error);
      if (stmt == NULL)
        goto rolled_back;
      sqlite3_bind_int64 (stmt, 1, id);
      if (!relay_store_worker_step_done (w, stmt, &error))
        goto rolled_back;
      if (sqlite3_changes64 (relay_store_worker_get_db (w)) != 1)
        {
          g_set_error (&error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE,
                       _("Message %lld is not in the history or still waits to be sent, so it was not deleted."),
                       (long long) id);
          goto rolled_back;
        }
    }

  if (!relay_store_worker_exec (w, "COMMIT", &error))
    goto rolled_back;

  relay_store_worker_exec (w, "PRAGMA incremental_vacuum", NULL);
  relay_store_return_boolean (task, TRUE);
  return;

rolled_back:
  relay_store_worker_rollback (w);
failed:
  relay_store_return_error (task, g_steal_pointer (&error));
}

void
relay_store_delete_async (RelayStore          *self,
                          const gint64        *ids,
                          guint                n_ids,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GArray *copy;

  g_return_if_fail (RELAY_IS_STORE (self));
  g_return_if_fail (ids != NULL || n_ids == 0);

  copy = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_ids);
  g_array_append_vals (copy, ids, n_ids);

  relay_store_run (self, delete_job, copy, (GDestroyNotify) g_array_unref, relay_store_delete_async,
                   cancellable, callback, user_data);
}

gboolean
relay_store_delete_finish (RelayStore    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return relay_store_boolean_finish (self, result, relay_store_delete_async, error);
}

static void
clear_job (RelayStore       *self,
           RelayStoreWorker *w,
           GTask            *task,
           gpointer          data)
{
  const char *account = data;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;

  if (!relay_store_worker_check_open (w, &error))
    goto failed;

  stmt = relay_store_worker_prepare (w,
                                     "DELETE FROM messages WHERE (?1 IS NULL OR account = ?1) AND NOT"
                                     " (state IN ('queued', 'sending')"
                                     "  OR (state = 'uncertain' AND decided = 0))",
                                     &error);
  if (stmt == NULL)
    goto failed;
  if (account != NULL)
    sqlite3_bind_text (stmt, 1, account, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 1);
  if (!relay_store_worker_step_done (w, stmt, &error))
    goto failed;

  /* Give the pages back and fold the log into the file, so that what was
   * cleared is gone from the disk's view of the database too. */
  relay_store_worker_exec (w, "PRAGMA incremental_vacuum", NULL);
  relay_store_worker_exec (w, "PRAGMA wal_checkpoint(TRUNCATE)", NULL);

  relay_store_return_boolean (task, TRUE);
  return;

failed:
  relay_store_return_error (task, g_steal_pointer (&error));
}

void
relay_store_clear_async (RelayStore          *self,
                         const char          *account,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_STORE (self));

  relay_store_run (self, clear_job, g_strdup (account), g_free, relay_store_clear_async,
                   cancellable, callback, user_data);
}

gboolean
relay_store_clear_finish (RelayStore    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return relay_store_boolean_finish (self, result, relay_store_clear_async, error);
}

static void
max_pages_job (RelayStore       *self,
               RelayStoreWorker *w,
               GTask            *task,
               gpointer          data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  /* A PRAGMA takes no bound parameter; the number is an integer. */
  sql = g_strdup_printf ("PRAGMA max_page_count = %u", GPOINTER_TO_UINT (data));
  if (!relay_store_worker_check_open (w, &error) || !relay_store_worker_exec (w, sql, &error))
    {
      relay_store_return_error (task, g_steal_pointer (&error));
      return;
    }

  relay_store_return_boolean (task, TRUE);
}

void
relay_store_set_max_pages_async (RelayStore          *self,
                                 guint                pages,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_STORE (self));

  relay_store_run (self, max_pages_job, GUINT_TO_POINTER (pages), NULL,
                   relay_store_set_max_pages_async, cancellable, callback, user_data);
}

gboolean
relay_store_set_max_pages_finish (RelayStore    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return relay_store_boolean_finish (self, result, relay_store_set_max_pages_async, error);
}
