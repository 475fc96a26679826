/* relay-store-blocklist.c — the do-not-contact list
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n-lib.h>

#include "relay-store-blocklist.h"
#include "relay-store-private.h"

/* E.164: at most 15 digits. */
#define MAX_DIGITS 15

static const char * const source_names[] = { "hand", "import", "history" };

const char *
relay_block_source_to_string (RelayBlockSource source)
{
  g_return_val_if_fail (source <= RELAY_BLOCK_SOURCE_HISTORY, NULL);

  return source_names[source];
}

gboolean
relay_block_source_from_string (const char       *string,
                                RelayBlockSource *source)
{
  for (guint i = 0; i < G_N_ELEMENTS (source_names); i++)
    if (g_strcmp0 (string, source_names[i]) == 0)
      {
        *source = (RelayBlockSource) i;
        return TRUE;
      }

  return FALSE;
}

void
relay_blocked_number_free (RelayBlockedNumber *blocked)
{
  if (blocked == NULL)
    return;

  g_free (blocked->number);
  g_free (blocked);
}

/**
 * relay_blocked_number_is_valid:
 *
 * Returns: whether @number is international digits (1 to 15 of them,
 *   no sign, no spaces) as the list keeps them
 */
gboolean
relay_blocked_number_is_valid (const char *number)
{
  gsize n = 0;

  if (number == NULL)
    return FALSE;

  for (const char *p = number; *p != '\0'; p++, n++)
    if (!g_ascii_isdigit (*p) || n >= MAX_DIGITS)
      return FALSE;

  return n > 0;
}

static gboolean
check_numbers (GStrv     numbers,
               GError  **error)
{
  for (guint i = 0; numbers[i] != NULL; i++)
    if (!relay_blocked_number_is_valid (numbers[i]))
      {
        g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_FAILED,
                     _("“%s” is not a phone number in international digits."), numbers[i]);
        return FALSE;
      }

  return TRUE;
}

/* block and unblock */

typedef struct
{
  GStrv            numbers;
  RelayBlockSource source;
  gboolean         remove;
} Change;

static void
change_free (Change *c)
{
  g_strfreev (c->numbers);
  g_free (c);
}

static void
change_job (RelayStore       *self,
            RelayStoreWorker *w,
            GTask            *task,
            gpointer          data)
{
  Change *c = data;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  gint64 now = g_get_real_time ();
  guint changed = 0;

  if (!relay_store_worker_check_open (w, &error) || !check_numbers (c->numbers, &error)
      || !relay_store_worker_exec (w, "BEGIN IMMEDIATE", &error))
    goto failed;

  if (c->remove)
    stmt = relay_store_worker_prepare (w, "DELETE FROM blocked WHERE number = ?1", &error);
  else
    stmt = relay_store_worker_prepare (w,
                                       "INSERT INTO blocked (number, added_at, source) VALUES (?1, ?2, ?3)"
                                       " ON CONFLICT (number) DO NOTHING",
                                       &error);
  if (stmt == NULL)
    goto rolled_back;

  for (guint i = 0; c->numbers[i] != NULL; i++)
    {
      sqlite3_bind_text (stmt, 1, c->numbers[i], -1, SQLITE_TRANSIENT);
      if (!c->remove)
        {
          sqlite3_bind_int64 (stmt, 2, now);
          sqlite3_bind_text (stmt, 3, relay_block_source_to_string (c->source), -1, SQLITE_STATIC);
        }
      if (!relay_store_worker_step_done (w, stmt, &error))
        goto rolled_back;
      changed += (guint) sqlite3_changes (relay_store_worker_get_db (w));
    }

  if (!relay_store_worker_exec (w, "COMMIT", &error))
    goto rolled_back;

  relay_store_return_int (task, changed);
  return;

rolled_back:
  relay_store_worker_rollback (w);
failed:
  relay_store_return_error (task, g_steal_pointer (&error));
}

static void
run_change (RelayStore          *self,
            const char * const  *numbers,
            RelayBlockSource     source,
            gboolean             remove,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  Change *c = g_new0 (Change, 1);

  c->numbers = g_strdupv ((char **) numbers);
  c->source = source;
  c->remove = remove;
  relay_store_run (self, change_job, c, (GDestroyNotify) change_free, source_tag,
                   cancellable, callback, user_data);
}

static gboolean
change_finish (RelayStore    *self,
               GAsyncResult  *result,
               gpointer       source_tag,
               guint         *n_changed,
               GError       **error)
{
  gint64 n;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  n = g_task_propagate_int (G_TASK (result), error);
  if (n < 0)
    return FALSE;
  if (n_changed != NULL)
    *n_changed = (guint) n;

  return TRUE;
}

/**
 * relay_store_block_async:
 * @numbers: (array zero-terminated=1): international digits
 * @source: how the numbers came
 */
void
relay_store_block_async (RelayStore          *self,
                         const char * const  *numbers,
                         RelayBlockSource     source,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_STORE (self));
  g_return_if_fail (numbers != NULL);
  g_return_if_fail (source <= RELAY_BLOCK_SOURCE_HISTORY);

  run_change (self, numbers, source, FALSE, relay_store_block_async,
              cancellable, callback, user_data);
}

gboolean
relay_store_block_finish (RelayStore    *self,
                          GAsyncResult  *result,
                          guint         *n_added,
                          GError       **error)
{
  return change_finish (self, result, relay_store_block_async, n_added, error);
}

void
relay_store_unblock_async (RelayStore          *self,
                           const char * const  *numbers,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_STORE (self));
  g_return_if_fail (numbers != NULL);

  run_change (self, numbers, RELAY_BLOCK_SOURCE_HAND, TRUE, relay_store_unblock_async,
              cancellable, callback, user_data);
}

gboolean
relay_store_unblock_finish (RelayStore    *self,
                            GAsyncResult  *result,
                            guint         *n_removed,
                            GError       **error)
{
  return change_finish (self, result, relay_store_unblock_async, n_removed, error);
}

/* list and snapshot */

static void
list_job (RelayStore       *self,
          RelayStoreWorker *w,
          GTask            *task,
          gpointer          data)
{
  gboolean as_set = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GHashTable) set = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (!relay_store_worker_check_open (w, &error)
      || (stmt = relay_store_worker_prepare (w, "SELECT number, added_at, source FROM blocked ORDER BY number",
                                             &error)) == NULL)
    goto failed;

  if (as_set)
    set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  else
    list = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_blocked_number_free);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *number = (const char *) sqlite3_column_text (stmt, 0);

      if (as_set)
        g_hash_table_add (set, g_strdup (number));
      else
        {
          RelayBlockedNumber *b = g_new0 (RelayBlockedNumber, 1);

          b->number = g_strdup (number);
          b->added_at = sqlite3_column_int64 (stmt, 1);
          if (!relay_block_source_from_string ((const char *) sqlite3_column_text (stmt, 2), &b->source))
            b->source = RELAY_BLOCK_SOURCE_HAND;
          g_ptr_array_add (list, b);
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      relay_store_set_error (&error, relay_store_worker_get_db (w), rc, relay_store_worker_get_path (w));
      goto failed;
    }

  if (as_set)
    relay_store_return_pointer (task, g_steal_pointer (&set), (GDestroyNotify) g_hash_table_unref);
  else
    relay_store_return_pointer (task, g_steal_pointer (&list), (GDestroyNotify) g_ptr_array_unref);
  return;

failed:
  relay_store_return_error (task, g_steal_pointer (&error));
}

void
relay_store_list_blocked_async (RelayStore          *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_STORE (self));

  relay_store_run (self, list_job, GINT_TO_POINTER (FALSE), NULL, relay_store_list_blocked_async,
                   cancellable, callback, user_data);
}

GPtrArray *
relay_store_list_blocked_finish (RelayStore    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == relay_store_list_blocked_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
relay_store_blocked_snapshot_async (RelayStore          *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_STORE (self));

  relay_store_run (self, list_job, GINT_TO_POINTER (TRUE), NULL, relay_store_blocked_snapshot_async,
                   cancellable, callback, user_data);
}

GHashTable *
relay_store_blocked_snapshot_finish (RelayStore    *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == relay_store_blocked_snapshot_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* contains */

static void
contains_job (RelayStore       *self,
              RelayStoreWorker *w,
              GTask            *task,
              gpointer          data)
{
  const char *number = data;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (!relay_store_worker_check_open (w, &error)
      || (stmt = relay_store_worker_prepare (w, "SELECT 1 FROM blocked WHERE number = ?1", &error)) == NULL)
    {
      relay_store_return_error (task, g_steal_pointer (&error));
      return;
    }

  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      relay_store_set_error (&error, relay_store_worker_get_db (w), rc, relay_store_worker_get_path (w));
      relay_store_return_error (task, g_steal_pointer (&error));
      return;
    }

  relay_store_return_int (task, rc == SQLITE_ROW ? 1 : 0);
}

void
relay_store_contains_blocked_async (RelayStore          *self,
                                    const char          *number,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_STORE (self));
  g_return_if_fail (number != NULL);

  relay_store_run (self, contains_job, g_strdup (number), g_free, relay_store_contains_blocked_async,
                   cancellable, callback, user_data);
}

gboolean
relay_store_contains_blocked_finish (RelayStore    *self,
                                     GAsyncResult  *result,
                                     gboolean      *contains,
                                     GError       **error)
{
  gint64 n;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == relay_store_contains_blocked_async, FALSE);

  n = g_task_propagate_int (G_TASK (result), error);
  if (n < 0)
    return FALSE;
  if (contains != NULL)
    *contains = n > 0;

  return TRUE;
}
