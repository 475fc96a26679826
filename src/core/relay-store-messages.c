/* relay-store-messages.c — the store's operations on messages
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relay-store-private.h"


static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

RelayStoreMessage *
relay_store_row_to_message (sqlite3_stmt *stmt)
{
  RelayStoreMessage *m = g_new0 (RelayStoreMessage, 1);
  g_autofree char *ids = NULL;

  m->id = sqlite3_column_int64 (stmt, 0);
  m->account = column_text (stmt, 1);
  m->sender = column_text (stmt, 2);
  m->recipient = column_text (stmt, 3);
  m->text = column_text (stmt, 4);
  m->encoding = column_text (stmt, 5);
  m->parts = (guint) sqlite3_column_int (stmt, 6);
  m->client_ref = column_text (stmt, 7);
  ids = column_text (stmt, 8);
  m->message_ids = ids != NULL && *ids != '\0' ? g_strsplit (ids, " ", 0) : g_new0 (char *, 1);
  m->price = column_text (stmt, 9);
  m->currency = column_text (stmt, 10);
  m->network = column_text (stmt, 11);
  m->status = sqlite3_column_type (stmt, 12) == SQLITE_NULL ? -1 : sqlite3_column_int (stmt, 12);
  m->error = column_text (stmt, 13);
  if (!relay_message_state_from_string ((const char *) sqlite3_column_text (stmt, 14), &m->state))
    m->state = RELAY_MESSAGE_STATE_UNCERTAIN;
  m->delivery = column_text (stmt, 15);
  m->queued_at = sqlite3_column_int64 (stmt, 16);
  m->sent_at = sqlite3_column_int64 (stmt, 17);
  m->row = sqlite3_column_int64 (stmt, 18);
  m->delivery_at = sqlite3_column_int64 (stmt, 19);

  return m;
}

GPtrArray *
relay_store_worker_collect (RelayStoreWorker  *w,
              sqlite3_stmt      *stmt,
              GError           **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_store_message_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, relay_store_row_to_message (stmt));

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      relay_store_set_error (error, relay_store_worker_get_db (w), rc,
                             relay_store_worker_get_path (w));
      return NULL;
    }

  return g_steal_pointer (&rows);
}

static gboolean
begin (RelayStoreWorker  *w,
       GError           **error)
{
  return relay_store_worker_exec (w, "BEGIN IMMEDIATE", error);
}

static gboolean
commit (RelayStoreWorker  *w,
        GError           **error)
{
  if (relay_store_worker_exec (w, "COMMIT", error))
    return TRUE;

  relay_store_worker_rollback (w);
  return FALSE;
}

static gint64
changes (RelayStoreWorker *w)
{
  return sqlite3_changes64 (relay_store_worker_get_db (w));
}

/* Hands the rows of processes that died back: those they were sending
 * may have reached the provider, those they had queued may be resumed.
 * Rows of living processes (another relay-cli, the window) stay theirs. */
gboolean
relay_store_worker_release_dead (RelayStoreWorker  *w,
                                 GError           **error)
{
  g_autoptr(GPtrArray) dead = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  if (!begin (w, error))
    return FALSE;

  stmt = relay_store_worker_prepare (w,
                                     "SELECT DISTINCT owner FROM messages"
                                     " WHERE state IN ('queued', 'sending') AND owner IS NOT NULL"
                                     " AND owner != ?1",
                                     error);
  if (stmt == NULL)
    goto failed;
  bind_text (stmt, 1, relay_store_worker_get_owner (w));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *owner = (const char *) sqlite3_column_text (stmt, 0);

      if (!relay_store_owner_is_alive (owner))
        g_ptr_array_add (dead, g_strdup (owner));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      relay_store_set_error (error, relay_store_worker_get_db (w), rc, relay_store_worker_get_path (w));
      goto failed;
    }

  for (guint i = 0; i < dead->len; i++)
    {
      stmt = relay_store_worker_prepare (w,
                                         "UPDATE messages SET state = 'uncertain', owner = NULL,"
                                         " decided = 0, error = ?2"
                                         " WHERE state = 'sending' AND owner = ?1",
                                         error);
      if (stmt == NULL)
        goto failed;
      bind_text (stmt, 1, dead->pdata[i]);
      bind_text (stmt, 2, _("Relay stopped while it was sending this message, so it may have been sent."));
      if (!relay_store_worker_step_done (w, stmt, error))
        goto failed;

      stmt = relay_store_worker_prepare (w,
                                         "UPDATE messages SET owner = NULL"
                                         " WHERE state = 'queued' AND owner = ?1",
                                         error);
      if (stmt == NULL)
        goto failed;
      bind_text (stmt, 1, dead->pdata[i]);
      if (!relay_store_worker_step_done (w, stmt, error))
        goto failed;
    }

  return commit (w, error);

failed:
  relay_store_worker_rollback (w);
  return FALSE;
}

/* enqueue */

/* Rows per INSERT statement while queuing: one statement for many rows
 * costs a fraction of the CPU of as many statements, and the queue of a
 * large send is what the first request waits for. */
#define ENQUEUE_ROWS_PER_STATEMENT 32

/* Inserts @n messages from @first with one statement, taking each new
 * row's id (matched by its unique client-ref: RETURNING gives the rows
 * in no promised order). */
static gboolean
insert_rows (RelayStoreWorker   *w,
             RelayStoreMessage **first,
             guint               n,
             gint64              now,
             GError            **error)
{
  g_autoptr(GString) sql = g_string_new ("INSERT INTO messages (account, sender, recipient, body,"
                                         " encoding, parts, client_ref, state, queued_at, source_row,"
                                         " owner) VALUES ");
  sqlite3_stmt *stmt;
  guint found = 0;
  int rc;

  for (guint i = 0; i < n; i++)
    g_string_append (sql, i == 0 ? "(?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)"
                                 : ", (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)");
  g_string_append (sql, " RETURNING id, client_ref");

  stmt = relay_store_worker_prepare (w, sql->str, error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      RelayStoreMessage *m = first[i];
      int base = (int) i * 10;

      bind_text (stmt, base + 1, m->account);
      bind_text (stmt, base + 2, m->sender);
      bind_text (stmt, base + 3, m->recipient);
      bind_text (stmt, base + 4, m->text);
      bind_text (stmt, base + 5, m->encoding);
      sqlite3_bind_int (stmt, base + 6, (int) m->parts);
      bind_text (stmt, base + 7, m->client_ref);
      sqlite3_bind_int64 (stmt, base + 8, now);
      if (m->row > 0)
        sqlite3_bind_int64 (stmt, base + 9, m->row);
      else
        sqlite3_bind_null (stmt, base + 9);
      bind_text (stmt, base + 10, relay_store_worker_get_owner (w));
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *client_ref = (const char *) sqlite3_column_text (stmt, 1);

      for (guint i = 0; i < n; i++)
        if (g_strcmp0 (first[i]->client_ref, client_ref) == 0)
          {
            first[i]->id = sqlite3_column_int64 (stmt, 0);
            found++;
            break;
          }
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      relay_store_set_error (error, relay_store_worker_get_db (w), rc, relay_store_worker_get_path (w));
      return FALSE;
    }
  /* Two of them with the same client-ref would have failed as UNIQUE. */
  g_assert (found == n);

  return TRUE;
}

static void
enqueue_job (RelayStore       *self,
             RelayStoreWorker *w,
             GTask            *task,
             gpointer          data)
{
  GPtrArray *messages = data;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time ();
  gboolean defer_search;

  if (!relay_store_worker_check_open (w, &error) || !begin (w, &error))
    goto failed;

  for (guint i = 0; i < messages->len; i++)
    {
      RelayStoreMessage *m = messages->pdata[i];

      if (m->client_ref == NULL)
        m->client_ref = relay_client_ref_new ();
      if (!relay_client_ref_is_valid (m->client_ref))
        {
          g_set_error (&error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_FAILED,
                       _("The client reference of the message to %s is not valid."),
                       m->recipient);
          goto rolled_back;
        }
    }

  /* A large queue is indexed for search later (relay-store-search.c). */
  defer_search = messages->len >= relay_store_worker_get_defer_rows (w);
  if (defer_search && !relay_store_worker_exec (w, "INSERT INTO search_paused VALUES (1)", &error))
    goto rolled_back;

  for (guint i = 0; i < messages->len; i += ENQUEUE_ROWS_PER_STATEMENT)
    {
      guint n = MIN (ENQUEUE_ROWS_PER_STATEMENT, messages->len - i);

      if (!insert_rows (w, (RelayStoreMessage **) messages->pdata + i, n, now, &error))
        goto rolled_back;
    }

  if (defer_search)
    {
      gint64 first = G_MAXINT64, last = 0;
      sqlite3_stmt *stmt;

      for (guint i = 0; i < messages->len; i++)
        {
          first = MIN (first, ((RelayStoreMessage *) messages->pdata[i])->id);
          last = MAX (last, ((RelayStoreMessage *) messages->pdata[i])->id);
        }
      if (!relay_store_worker_exec (w, "DELETE FROM search_paused", &error)
          || (stmt = relay_store_worker_prepare (w, "INSERT INTO search_backlog (first_id, last_id) VALUES (?1, ?2)",
                                                 &error)) == NULL)
        goto rolled_back;
      sqlite3_bind_int64 (stmt, 1, first);
      sqlite3_bind_int64 (stmt, 2, last);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          relay_store_set_error (&error, relay_store_worker_get_db (w), sqlite3_reset (stmt),
                                 relay_store_worker_get_path (w));
          goto rolled_back;
        }
      sqlite3_reset (stmt);
    }

  if (!commit (w, &error))
    goto failed;
  if (defer_search)
    relay_store_worker_set_search_backlog (w, TRUE);

  for (guint i = 0; i < messages->len; i++)
    {
      RelayStoreMessage *m = messages->pdata[i];

      m->queued_at = now;
      m->state = RELAY_MESSAGE_STATE_QUEUED;
    }

  relay_store_return_boolean (task, TRUE);
  return;

rolled_back:
  relay_store_worker_rollback (w);
failed:
  for (guint i = 0; i < messages->len; i++)
    ((RelayStoreMessage *) messages->pdata[i])->id = 0;
  relay_store_return_error (task, g_steal_pointer (&error));
}

void
relay_store_enqueue_async (RelayStore          *self,
                           GPtrArray           *messages,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_STORE (self));
  g_return_if_fail (messages != NULL);

  relay_store_run (self, enqueue_job, g_ptr_array_ref (messages),
                   (GDestroyNotify) g_ptr_array_unref, relay_store_enqueue_async,
                   cancellable, callback, user_data);
}

gboolean
relay_store_enqueue_finish (RelayStore    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return relay_store_boolean_finish (self, result, relay_store_enqueue_async, error);
}

/* One row's state, to tell NOT_FOUND from STATE. */
static gboolean
explain_refusal (RelayStoreWorker  *w,
                 gint64             id,
                 GError           **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = relay_store_worker_prepare (w, "SELECT state FROM messages WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE,
                 _("Message %lld is %s, so that cannot be done with it."),
                 (long long) id, (const char *) sqlite3_column_text (stmt, 0));
  else if (rc == SQLITE_DONE)
    g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND,
                 _("There is no message %lld in the history."), (long long) id);
  else
    relay_store_set_error (error, relay_store_worker_get_db (w), rc, relay_store_worker_get_path (w));
  sqlite3_reset (stmt);

  return FALSE;
}

/* begin_send */

static void
begin_send_job (RelayStore       *self,
                RelayStoreWorker *w,
                GTask            *task,
                gpointer          data)
{
  gint64 id = *(gint64 *) data;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;

  if (!relay_store_worker_check_open (w, &error))
    goto failed;

  stmt = relay_store_worker_prepare (w,
                                     "UPDATE messages SET state = 'sending'"
                                     " WHERE id = ?1 AND state = 'queued' AND owner = ?2",
                                     &error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, id);
  bind_text (stmt, 2, relay_store_worker_get_owner (w));
  if (!relay_store_worker_step_done (w, stmt, &error))
    goto failed;

  if (changes (w) != 1)
    {
      explain_refusal (w, id, &error);
      goto failed;
    }

  relay_store_return_boolean (task, TRUE);
  return;

failed:
  relay_store_return_error (task, g_steal_pointer (&error));
}

void
relay_store_begin_send_async (RelayStore          *self,
                              gint64               id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_STORE (self));

  relay_store_run_write (self, begin_send_job, g_memdup2 (&id, sizeof id), g_free,
                         relay_store_begin_send_async, cancellable, callback, user_data);
}

gboolean
relay_store_begin_send_finish (RelayStore    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return relay_store_boolean_finish (self, result, relay_store_begin_send_async, error);
}

/* record */

static void
record_job (RelayStore       *self,
            RelayStoreWorker *w,
            GTask            *task,
            gpointer          data)
{
  RelayStoreMessage *m = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *ids = NULL;
  const char *sql;
  sqlite3_stmt *stmt;

  if (!relay_store_worker_check_open (w, &error))
    goto failed;

  /* Which states each outcome may follow. A row marked sending becomes
   * not-sent only on its owner's word that the request never left; a
   * process that died while sending leaves it uncertain instead. */
  switch (m->state)
    {
    case RELAY_MESSAGE_STATE_SENT:
    case RELAY_MESSAGE_STATE_UNCERTAIN:
      sql = "UPDATE messages SET state = ?3, message_ids = ?4, price = ?5, currency = ?6,"
            " network = ?7, status = ?8, error = ?9, parts = max (parts, ?10), sent_at = ?11,"
            " owner = NULL, decided = 0"
            " WHERE id = ?1 AND owner = ?2 AND state = 'sending'";
      break;

    case RELAY_MESSAGE_STATE_FAILED:
      sql = "UPDATE messages SET state = ?3, message_ids = ?4, price = ?5, currency = ?6,"
            " network = ?7, status = ?8, error = ?9, parts = max (parts, ?10), sent_at = ?11,"
            " owner = NULL"
            " WHERE id = ?1 AND owner = ?2 AND state IN ('queued', 'sending')";
      break;

    case RELAY_MESSAGE_STATE_NOT_SENT:
      /* Only the owner records this, and only it knows that a row it
       * marked sending was stopped before its request was written. */
      sql = "UPDATE messages SET state = ?3, message_ids = ?4, price = ?5, currency = ?6,"
            " network = ?7, status = ?8, error = ?9, parts = max (parts, ?10), sent_at = ?11,"
            " owner = NULL"
            " WHERE id = ?1 AND owner = ?2 AND state IN ('queued', 'sending')";
      break;

    case RELAY_MESSAGE_STATE_QUEUED:
    case RELAY_MESSAGE_STATE_SENDING:
    default:
      g_set_error (&error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE,
                   _("Message %lld cannot be recorded as %s."),
                   (long long) m->id, relay_message_state_to_string (m->state));
      goto failed;
    }

  stmt = relay_store_worker_prepare (w, sql, &error);
  if (stmt == NULL)
    goto failed;

  if (m->message_ids != NULL)
    ids = g_strjoinv (" ", m->message_ids);

  sqlite3_bind_int64 (stmt, 1, m->id);
  bind_text (stmt, 2, relay_store_worker_get_owner (w));
  bind_text (stmt, 3, relay_message_state_to_string (m->state));
  bind_text (stmt, 4, ids != NULL && *ids != '\0' ? ids : NULL);
  bind_text (stmt, 5, m->price);
  bind_text (stmt, 6, m->currency);
  bind_text (stmt, 7, m->network);
  if (m->status >= 0)
    sqlite3_bind_int (stmt, 8, m->status);
  else
    sqlite3_bind_null (stmt, 8);
  bind_text (stmt, 9, m->error);
  sqlite3_bind_int (stmt, 10, (int) m->parts);
  if (m->state == RELAY_MESSAGE_STATE_SENT)
    sqlite3_bind_int64 (stmt, 11, m->sent_at > 0 ? m->sent_at : g_get_real_time ());
  else
    sqlite3_bind_null (stmt, 11);

  if (!relay_store_worker_step_done (w, stmt, &error))
    goto failed;

  if (changes (w) != 1)
    {
      explain_refusal (w, m->id, &error);
      goto failed;
    }

  relay_store_return_boolean (task, TRUE);
  return;

failed:
  relay_store_return_error (task, g_steal_pointer (&error));
}

void
relay_store_record_async (RelayStore          *self,
                          RelayStoreMessage   *outcome,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_STORE (self));
  g_return_if_fail (outcome != NULL && outcome->id > 0);

  relay_store_run_write (self, record_job, relay_store_message_copy (outcome),
                         (GDestroyNotify) relay_store_message_free, relay_store_record_async,
                         cancellable, callback, user_data);
}

gboolean
relay_store_record_finish (RelayStore    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return relay_store_boolean_finish (self, result, relay_store_record_async, error);
}

/* query and count */

static RelayStoreQuery *
query_copy (const RelayStoreQuery *query)
{
  RelayStoreQuery *copy = g_new0 (RelayStoreQuery, 1);

  if (query != NULL)
    *copy = *query;
  else
    copy->state = -1;
  copy->account = g_strdup (copy->account);
  copy->search = g_strdup (copy->search);

  return copy;
}

static void
query_free (RelayStoreQuery *query)
{
  g_free (query->account);
  g_free (query->search);
  g_free (query);
}

/* A word as an FTS5 string: inside double quotes, quotes doubled. */
static void
append_fts_phrase (GString    *match,
                   const char *word)
{
  if (match->len > 0)
    g_string_append_c (match, ' ');
  g_string_append_c (match, '"');
  for (const char *p = word; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (match, '"');
      g_string_append_c (match, *p);
    }
  g_string_append_c (match, '"');
}

/* A word as a LIKE pattern matching it anywhere, with \ as the escape. */
static char *
like_pattern (const char *word)
{
  GString *pattern = g_string_new ("%");

  for (const char *p = word; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  g_string_append_c (pattern, '%');

  return g_string_free (pattern, FALSE);
}

/* Builds "SELECT <what> FROM messages WHERE …" from fixed fragments and
 * binds the values, so that no text from outside is ever part of SQL.
 * Words of three characters or more go to the trigram index, shorter
 * ones (which it cannot find) to LIKE. A search of short words only has
 * no index to read, so it looks at the newest RELAY_STORE_SHORT_SEARCH_ROWS
 * messages (a range of the primary key), never at the whole history.
 *
 * A search reads the index newest first and joins each hit to its row
 * (SQLite flattens the subquery and FTS5 gives rowids in descending
 * order), so a page of 50 stops after 50 hits; "id IN (SELECT rowid …)"
 * collected every hit first, which took a quarter of a second for a
 * common word among a million messages. */
static sqlite3_stmt *
prepare_query (RelayStoreWorker       *w,
               const RelayStoreQuery  *q,
               gboolean                count,
               guint                   cap,
               GError                **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GString) match = g_string_new (NULL);
  g_autoptr(GPtrArray) likes = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) words = NULL;
  sqlite3_stmt *stmt;
  gboolean full_count;
  int index = 1;

  if (q->search != NULL)
    {
      words = g_strsplit_set (q->search, " \t\r\n", 0);
      for (guint i = 0; words[i] != NULL; i++)
        {
          if (*words[i] == '\0' || !g_utf8_validate (words[i], -1, NULL))
            continue;
          if (g_utf8_strlen (words[i], -1) >= 3)
            append_fts_phrase (match, words[i]);
          else
            g_ptr_array_add (likes, like_pattern (words[i]));
        }
    }

  /* Rows queued in a large batch wait for the index: it catches up
   * first, so that a search never misses them (relay-store-search.c). */
  if (match->len > 0)
    relay_store_worker_search_catch_up (w);

  /* A capped count stops after @cap rows. A full count reads every hit
   * in the index's own order, which is several times faster than
   * newest first: from the index alone when nothing else filters. */
  full_count = count && cap == 0;
  if (full_count && match->len > 0 && q->account == NULL && q->state < 0
      && q->since_us <= 0 && likes->len == 0)
    g_string_append (sql, "SELECT count(*) FROM messages_search WHERE messages_search MATCH ?");
  else
    {
      g_string_append (sql, !count ? "SELECT " RELAY_STORE_COLUMNS " FROM "
                            : cap > 0 ? "SELECT count(*) FROM (SELECT 1 FROM "
                            : "SELECT count(*) FROM ");
      if (match->len > 0 && !full_count)
        g_string_append (sql, "(SELECT rowid AS hit FROM messages_search WHERE messages_search MATCH ?"
                              " ORDER BY rowid DESC) CROSS JOIN messages ON messages.id = hit");
      else
        g_string_append (sql, "messages");
      g_string_append (sql, " WHERE 1");
      if (match->len > 0 && full_count)
        g_string_append (sql, " AND id IN (SELECT rowid FROM messages_search WHERE messages_search MATCH ?)");
    }
  if (q->account != NULL)
    g_string_append (sql, " AND account = ?");
  if (q->state >= 0)
    g_string_append (sql, " AND state = ?");
  if (q->since_us > 0)
    g_string_append (sql, " AND queued_at >= ?");
  if (!count && q->before_id > 0)
    g_string_append (sql, " AND id < ?");
  if (match->len == 0 && likes->len > 0)
    g_string_append (sql, " AND id > (SELECT coalesce (max (id), 0) FROM messages) - ?");
  for (guint i = 0; i < likes->len; i++)
    g_string_append (sql, " AND (recipient LIKE ? ESCAPE '\\' OR body LIKE ? ESCAPE '\\')");
  if (!count)
    {
      g_string_append (sql, match->len > 0 ? " ORDER BY hit DESC" : " ORDER BY id DESC");
      if (q->limit > 0 || q->offset > 0)
        g_string_append (sql, " LIMIT ? OFFSET ?");
    }
  else if (cap > 0)
    g_string_append (sql, " LIMIT ?)");

  stmt = relay_store_worker_prepare (w, sql->str, error);
  if (stmt == NULL)
    return NULL;

  if (match->len > 0 && !full_count)
    bind_text (stmt, index++, match->str);
  if (q->account != NULL)
    bind_text (stmt, index++, q->account);
  if (q->state >= 0)
    bind_text (stmt, index++, relay_message_state_to_string ((RelayMessageState) q->state));
  if (q->since_us > 0)
    sqlite3_bind_int64 (stmt, index++, q->since_us);
  if (!count && q->before_id > 0)
    sqlite3_bind_int64 (stmt, index++, q->before_id);
  if (match->len == 0 && likes->len > 0)
    sqlite3_bind_int64 (stmt, index++, RELAY_STORE_SHORT_SEARCH_ROWS);
  if (match->len > 0 && full_count)
    bind_text (stmt, index++, match->str);
  for (guint i = 0; i < likes->len; i++)
    {
      bind_text (stmt, index++, likes->pdata[i]);
      bind_text (stmt, index++, likes->pdata[i]);
    }
  if (!count && (q->limit > 0 || q->offset > 0))
    {
      sqlite3_bind_int64 (stmt, index++, q->limit > 0 ? (gint64) q->limit : -1);
      sqlite3_bind_int64 (stmt, index++, q->offset);
    }
  else if (count && cap > 0)
    sqlite3_bind_int64 (stmt, index++, cap);

  return stmt;
}

static void
query_job (RelayStore       *self,
           RelayStoreWorker *w,
           GTask            *task,
           gpointer          data)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  GPtrArray *rows;

  if (!relay_store_worker_check_open (w, &error)
      || (stmt = prepare_query (w, data, FALSE, 0, &error)) == NULL
      || (rows = relay_store_worker_collect (w, stmt, &error)) == NULL)
    {
      relay_store_return_error (task, g_steal_pointer (&error));
      return;
    }

  relay_store_return_pointer (task, rows, (GDestroyNotify) g_ptr_array_unref);
}

void
relay_store_query_async (RelayStore            *self,
                         const RelayStoreQuery *query,
                         GCancellable          *cancellable,
                         GAsyncReadyCallback    callback,
                         gpointer               user_data)
{
  g_return_if_fail (RELAY_IS_STORE (self));
  g_return_if_fail (query == NULL || query->state < 0 || query->state <= RELAY_MESSAGE_STATE_LAST);

  relay_store_run (self, query_job, query_copy (query), (GDestroyNotify) query_free,
                   relay_store_query_async, cancellable, callback, user_data);
}

GPtrArray *
relay_store_query_finish (RelayStore    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The query of a capped count carries its cap in @limit. */
static void
count_job (RelayStore       *self,
           RelayStoreWorker *w,
           GTask            *task,
           gpointer          data)
{
  RelayStoreQuery *q = data;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  gint64 total;
  int rc;

  if (!relay_store_worker_check_open (w, &error)
      || (stmt = prepare_query (w, q, TRUE, q->limit, &error)) == NULL)
    {
      relay_store_return_error (task, g_steal_pointer (&error));
      return;
    }

  rc = sqlite3_step (stmt);
  total = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : -1;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      relay_store_set_error (&error, relay_store_worker_get_db (w), rc, relay_store_worker_get_path (w));
      relay_store_return_error (task, g_steal_pointer (&error));
      return;
    }

  relay_store_return_int (task, total);
}

void
relay_store_count_async (RelayStore            *self,
                         const RelayStoreQuery *query,
                         GCancellable          *cancellable,
                         GAsyncReadyCallback    callback,
                         gpointer               user_data)
{
  RelayStoreQuery *copy;

  g_return_if_fail (RELAY_IS_STORE (self));

  copy = query_copy (query);
  copy->limit = 0;
  relay_store_run (self, count_job, copy, (GDestroyNotify) query_free,
                   relay_store_count_async, cancellable, callback, user_data);
}

/**
 * relay_store_count_at_most_async:
 * @cap: stop counting here (at least 1)
 *
 * Like relay_store_count_async() but gives at most @cap, reading no more
 * than @cap matching rows: a view can show the first rows of a broad
 * search at once and count the rest later. Finish with
 * relay_store_count_finish().
 */
void
relay_store_count_at_most_async (RelayStore            *self,
                                  const RelayStoreQuery *query,
                                  guint                  cap,
                                  GCancellable          *cancellable,
                                  GAsyncReadyCallback    callback,
                                  gpointer               user_data)
{
  RelayStoreQuery *copy;

  g_return_if_fail (RELAY_IS_STORE (self));
  g_return_if_fail (cap > 0);

  copy = query_copy (query);
  copy->limit = cap;
  relay_store_run (self, count_job, copy, (GDestroyNotify) query_free,
                   relay_store_count_async, cancellable, callback, user_data);
}

gint64
relay_store_count_finish (RelayStore    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);

  return g_task_propagate_int (G_TASK (result), error);
}
