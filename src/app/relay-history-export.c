/* relay-history-export.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include "relay-history-export.h"
#include "relay-store-export.h"

/* Rows read and written at a time: a long history never sits in memory
 * whole. */
#define EXPORT_PAGE 1000

typedef struct
{
  RelayStore      *store;
  GOutputStream   *out;
  GBytes          *pending;
  RelayStoreQuery  query;
  guint            count;
  GError          *error;   /* kept while the stream is abandoned */
} Export;

static void next (GTask *task);

static void
export_free (Export *export)
{
  g_object_unref (export->store);
  g_clear_object (&export->out);
  g_clear_pointer (&export->pending, g_bytes_unref);
  g_free (export->query.account);
  g_free (export->query.search);
  g_clear_error (&export->error);
  g_free (export);
}

static void
closed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Export *export = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  g_output_stream_close_finish (G_OUTPUT_STREAM (object), result, &error);
  if (export->error != NULL)
    g_task_return_error (task, g_steal_pointer (&export->error));
  else if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/* Gives up: closing with a cancelled cancellable drops the temporary
 * file, so an earlier file stays as it was. */
static void
fail (GTask  *task,
      GError *error)
{
  Export *export = g_task_get_task_data (task);
  g_autoptr(GCancellable) abort = g_cancellable_new ();

  if (export->out == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  export->error = error;
  g_cancellable_cancel (abort);
  g_output_stream_close_async (export->out, G_PRIORITY_DEFAULT, abort, closed_cb, task);
}

static void
written_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  Export *export = g_task_get_task_data (task);
  GError *error = NULL;

  g_clear_pointer (&export->pending, g_bytes_unref);
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    fail (task, error);
  else
    next (task);
}

static void
write_text (GTask   *task,
       GString *text)
{
  Export *export = g_task_get_task_data (task);

  export->pending = g_string_free_to_bytes (text);
  g_output_stream_write_all_async (export->out,
                                   g_bytes_get_data (export->pending, NULL),
                                   g_bytes_get_size (export->pending),
                                   G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                   written_cb, task);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  Export *export = g_task_get_task_data (task);
  g_autoptr(GPtrArray) rows = NULL;
  GError *error = NULL;
  GString *csv;

  rows = relay_store_query_finish (RELAY_STORE (object), result, &error);
  if (rows == NULL)
    {
      fail (task, error);
      return;
    }

  if (rows->len == 0)
    {
      g_output_stream_close_async (export->out, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                   closed_cb, task);
      return;
    }

  csv = g_string_new (NULL);
  for (guint i = 0; i < rows->len; i++)
    relay_store_csv_record (csv, g_ptr_array_index (rows, i));
  export->count += rows->len;
  /* Rows come newest first, by id: the next page is older than this. */
  export->query.before_id = ((RelayStoreMessage *) g_ptr_array_index (rows, rows->len - 1))->id;
  write_text (task, csv);
}

static void
next (GTask *task)
{
  Export *export = g_task_get_task_data (task);

  relay_store_query_async (export->store, &export->query, g_task_get_cancellable (task),
                           read_cb, task);
}

static void
replaced_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  Export *export = g_task_get_task_data (task);
  GError *error = NULL;
  GString *header;

  export->out = G_OUTPUT_STREAM (g_file_replace_finish (G_FILE (object), result, &error));
  if (export->out == NULL)
    {
      fail (task, error);
      return;
    }

  header = g_string_new (NULL);
  relay_store_csv_header (header);
  write_text (task, header);
}

void
relay_history_export_async (RelayStore            *store,
                            const RelayStoreQuery *query,
                            GFile                 *file,
                            GCancellable          *cancellable,
                            GAsyncReadyCallback    callback,
                            gpointer               user_data)
{
  GTask *task;
  Export *export;

  g_return_if_fail (RELAY_IS_STORE (store));
  g_return_if_fail (query != NULL);
  g_return_if_fail (G_IS_FILE (file));

  export = g_new0 (Export, 1);
  export->store = g_object_ref (store);
  export->query = *query;
  export->query.account = g_strdup (query->account);
  export->query.search = g_strdup (query->search);
  export->query.limit = EXPORT_PAGE;
  export->query.offset = 0;
  export->query.before_id = 0;

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_history_export_async);
  g_task_set_task_data (task, export, (GDestroyNotify) export_free);

  g_file_replace_async (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, G_PRIORITY_DEFAULT,
                        cancellable, replaced_cb, task);
}

/**
 * relay_history_export_finish:
 * @count: (out) (optional): how many rows were written
 */
gboolean
relay_history_export_finish (RelayStore    *store,
                             GAsyncResult  *result,
                             guint         *count,
                             GError       **error)
{
  Export *export;

  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  export = g_task_get_task_data (G_TASK (result));
  if (count != NULL)
    *count = export->count;

  return g_task_propagate_boolean (G_TASK (result), error);
}
