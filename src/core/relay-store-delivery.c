/* relay-store-delivery.c — what the Reports API said about a message
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */


#include "relay-store-private.h"

typedef struct
{
  char   *message_id;
  char   *status;
  gint64  at_us;
} Delivery;

static void
delivery_free (Delivery *d)
{
  g_free (d->message_id);
  g_free (d->status);
  g_free (d);
}

static void
set_delivery_job (RelayStore       *self,
                  RelayStoreWorker *w,
                  GTask            *task,
                  gpointer          data)
{
  Delivery *d = data;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  gint64 id = 0;
  int rc;

  if (!relay_store_worker_check_open (w, &error))
    goto failed;

  /* message_ids holds the ids of the parts, separated by spaces: the
   * record of any part names the row. */
  stmt = relay_store_worker_prepare (w,
                                     "UPDATE messages SET delivery = ?2, delivery_at = ?3"
                                     " WHERE instr (' ' || message_ids || ' ', ' ' || ?1 || ' ') > 0"
                                     " RETURNING id",
                                     &error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, d->message_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, d->status, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, d->at_us);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (id == 0)
      id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      relay_store_set_error (&error, relay_store_worker_get_db (w), rc, relay_store_worker_get_path (w));
      goto failed;
    }

  relay_store_return_int (task, id);
  return;

failed:
  relay_store_return_error (task, g_steal_pointer (&error));
}

/**
 * relay_store_set_delivery_async:
 * @message_id: the provider's id of the message or of one of its parts
 * @status: the delivery status ("delivered", …)
 * @at_us: when it was learned (or reached), µs since the epoch
 *
 * Records @status and @at_us on the history row that holds @message_id.
 * Finish with relay_store_set_delivery_finish().
 */
void
relay_store_set_delivery_async (RelayStore          *self,
                                const char          *message_id,
                                const char          *status,
                                gint64               at_us,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  Delivery *d;

  g_return_if_fail (RELAY_IS_STORE (self));
  g_return_if_fail (message_id != NULL && *message_id != '\0');
  g_return_if_fail (status != NULL);

  d = g_new0 (Delivery, 1);
  d->message_id = g_strdup (message_id);
  d->status = g_strdup (status);
  d->at_us = at_us;

  relay_store_run_write (self, set_delivery_job, d, (GDestroyNotify) delivery_free,
                         relay_store_set_delivery_async, cancellable, callback, user_data);
}

/**
 * relay_store_set_delivery_finish:
 *
 * Returns: the id of the row updated, 0 when no row holds the message,
 *   -1 on error
 */
gint64
relay_store_set_delivery_finish (RelayStore    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);

  return g_task_propagate_int (G_TASK (result), error);
}
