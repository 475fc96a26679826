/* relay-store.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <unistd.h>

#include "relay-store-private.h"
#include "relay-store-schema.h"

/* The worker's side: touched only on the worker thread once it runs. */
struct _RelayStoreWorker
{
  GAsyncQueue *queue;
  GThread     *thread;
  sqlite3     *db;
  GHashTable  *statements;  /* SQL text → sqlite3_stmt, prepared once */
  char        *path;
  char        *owner;
  gboolean     search_backlog;  /* rows wait for the search index */
  guint        defer_rows;      /* queues this long are indexed later */
};

struct _RelayStore
{
  GObject           parent_instance;

  RelayStoreWorker *worker;
  char             *path;
};

G_DEFINE_TYPE (RelayStore, relay_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (relay-store-error-quark, relay_store_error)

/* Pushed to the queue to end the worker. */
static int quit_marker;
#define QUIT_JOB ((gpointer) &quit_marker)

typedef enum
{
  RESULT_NONE,
  RESULT_BOOLEAN,
  RESULT_INT,
  RESULT_POINTER,
  RESULT_ERROR,
} ResultKind;

typedef struct
{
  RelayStoreJobFunc  func;
  gpointer           data;
  GDestroyNotify     free_data;
  gboolean           groupable;  /* a write that may share a transaction */

  /* What the job returned, delivered on the task's context. */
  ResultKind         kind;
  gboolean           boolean;
  gint64             integer;
  gpointer           pointer;
  GDestroyNotify     pointer_free;
  GError            *error;
} Job;

static void
job_free (Job *job)
{
  if (job->free_data != NULL)
    job->free_data (job->data);
  if (job->pointer != NULL && job->pointer_free != NULL)
    job->pointer_free (job->pointer);
  g_clear_error (&job->error);
  g_free (job);
}

static Job *
task_job (GTask *task)
{
  Job *job = g_task_get_task_data (task);

  g_assert (job->kind == RESULT_NONE);

  return job;
}

void
relay_store_return_boolean (GTask    *task,
                            gboolean  value)
{
  Job *job = task_job (task);

  job->kind = RESULT_BOOLEAN;
  job->boolean = value;
}

void
relay_store_return_int (GTask  *task,
                        gint64  value)
{
  Job *job = task_job (task);

  job->kind = RESULT_INT;
  job->integer = value;
}

void
relay_store_return_pointer (GTask          *task,
                            gpointer        value,
                            GDestroyNotify  value_free)
{
  Job *job = task_job (task);

  job->kind = RESULT_POINTER;
  job->pointer = value;
  job->pointer_free = value_free;
}

void
relay_store_return_error (GTask  *task,
                          GError *error)
{
  Job *job = task_job (task);

  job->kind = RESULT_ERROR;
  job->error = error;
}

/* On the task's own context: returns the job's result (the callback runs
 * at once) and drops the worker's reference there, never on the worker. */
static gboolean
deliver_cb (gpointer data)
{
  GTask *task = data;
  Job *job = g_task_get_task_data (task);

  switch (job->kind)
    {
    case RESULT_BOOLEAN:
      g_task_return_boolean (task, job->boolean);
      break;

    case RESULT_INT:
      g_task_return_int (task, job->integer);
      break;

    case RESULT_POINTER:
      g_task_return_pointer (task, g_steal_pointer (&job->pointer), job->pointer_free);
      break;

    case RESULT_ERROR:
      g_task_return_error (task, g_steal_pointer (&job->error));
      break;

    case RESULT_NONE:
    default:
      g_assert_not_reached ();
    }

  g_object_unref (task);

  return G_SOURCE_REMOVE;
}

/* "PID:START" where START is the process's start time in clock ticks
 * since boot (/proc/PID/stat field 22): a pid the kernel reuses for
 * another process does not match. */
static gboolean
process_start_time (pid_t    pid,
                    guint64 *start)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *contents = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return FALSE;

  /* The command name may hold spaces and parentheses: skip to the last ')'. */
  after_name = strrchr (contents, ')');
  if (after_name == NULL)
    return FALSE;

  fields = g_strsplit (after_name + 1, " ", 0);
  /* fields[0] is empty, fields[1] is field 3 (state), so field 22 is [20]. */
  if (g_strv_length (fields) < 21)
    return FALSE;

  return g_ascii_string_to_unsigned (fields[20], 10, 0, G_MAXUINT64, start, NULL);
}

char *
relay_store_owner_for_pid (pid_t pid)
{
  guint64 start = 0;

  if (!process_start_time (pid, &start))
    start = 0;

  return g_strdup_printf ("%d:%" G_GUINT64_FORMAT, (int) pid, start);
}

gboolean
relay_store_owner_is_alive (const char *owner)
{
  g_auto(GStrv) parts = NULL;
  guint64 pid = 0, start = 0, now_start = 0;

  if (owner == NULL)
    return FALSE;

  parts = g_strsplit (owner, ":", 2);
  if (g_strv_length (parts) != 2
      || !g_ascii_string_to_unsigned (parts[0], 10, 1, G_MAXINT, &pid, NULL)
      || !g_ascii_string_to_unsigned (parts[1], 10, 0, G_MAXUINT64, &start, NULL))
    return FALSE;

  if (process_start_time ((pid_t) pid, &now_start))
    return start == 0 || now_start == start;

  /* No /proc: fall back to asking the kernel whether the pid exists. */
  return kill ((pid_t) pid, 0) == 0 || errno == EPERM;
}

/* Maps an SQLite failure to a sentence in RELAY_STORE_ERROR. */
void
relay_store_set_error (GError     **error,
                       sqlite3     *db,
                       int          rc,
                       const char  *path)
{
  const char *detail = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  switch (rc & 0xFF)
    {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_CORRUPT,
                   _("The history database %s is damaged, so Relay cannot use it. Move the file away and Relay starts a new one."),
                   path);
      break;

    case SQLITE_FULL:
      g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_FULL,
                   _("There is no space left for the history database %s."),
                   path);
      break;

    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_IOERR:
    case SQLITE_AUTH:
      g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_UNAVAILABLE,
                   _("Relay cannot read or write its history database %s (%s)."),
                   path, detail);
      break;

    default:
      g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_FAILED,
                   _("The history database %s failed: %s."),
                   path, detail);
      break;
    }
}

static void
worker_close (RelayStoreWorker *w)
{
  g_clear_pointer (&w->statements, g_hash_table_unref);
  if (w->db != NULL)
    {
      sqlite3_close_v2 (w->db);
      w->db = NULL;
    }
}

static void
run_job (RelayStoreWorker *w,
         GTask            *task)
{
  Job *job = g_task_get_task_data (task);

  /* A job cancelled before it started did nothing; one that started
   * reports what it did, cancelled or not. */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    relay_store_return_error (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                         "Operation was cancelled"));
  else
    job->func (g_task_get_source_object (task), w, task, job->data);
}

static void
deliver (GTask *task)
{
  g_main_context_invoke_full (g_task_get_context (task), g_task_get_priority (task),
                              deliver_cb, task, NULL);
}

/* At most this many writes share one commit. */
#define MAX_GROUP 256

/* Group commit: the writes that queued up while the disk was busy with
 * the last commit share one transaction, so a send marking rows sending
 * and recording outcomes at hundreds a second pays one fsync per group,
 * not per row. Nobody hears of a write before its commit is durable; when
 * the commit fails, every write of the group fails with it. */
static void
run_group (RelayStoreWorker *w,
           GPtrArray        *group)
{
  g_autoptr(GError) error = NULL;
  guint done = 0;
  int rc;

  if (sqlite3_exec (w->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK)
    {
      while (done < group->len)
        {
          GTask *task = group->pdata[done++];

          run_job (w, task);
          /* SQLite ended the transaction after an error (a full disk):
           * the writes before this one are gone with it. */
          if (sqlite3_get_autocommit (w->db))
            {
              Job *job = g_task_get_task_data (task);

              error = job->kind == RESULT_ERROR ? g_error_copy (job->error)
                      : g_error_new (RELAY_STORE_ERROR, RELAY_STORE_ERROR_FAILED,
                                     _("The history database %s failed: %s."),
                                     w->path, sqlite3_errstr (SQLITE_ABORT));
              break;
            }
        }

      if (error == NULL && (rc = sqlite3_exec (w->db, "COMMIT", NULL, NULL, NULL)) != SQLITE_OK)
        {
          relay_store_set_error (&error, w->db, rc, w->path);
          sqlite3_exec (w->db, "ROLLBACK", NULL, NULL, NULL);
        }

      for (guint i = 0; error != NULL && i < done; i++)
        {
          Job *job = g_task_get_task_data (group->pdata[i]);

          if (job->kind != RESULT_ERROR)
            {
              job->kind = RESULT_ERROR;
              job->error = g_error_copy (error);
            }
        }
    }

  for (guint i = 0; i < done; i++)
    deliver (group->pdata[i]);

  /* What the group could not take runs on its own. */
  for (guint i = done; i < group->len; i++)
    {
      run_job (w, group->pdata[i]);
      deliver (group->pdata[i]);
    }
}

static gpointer
worker_thread (gpointer data)
{
  RelayStoreWorker *w = data;
  gpointer held = NULL;

  for (;;)
    {
      gpointer item = held != NULL ? held : relay_store_worker_next (w);
      GTask *task;
      Job *job;

      held = NULL;
      if (item == QUIT_JOB)
        break;

      task = item;
      job = g_task_get_task_data (task);

      if (job->groupable && w->db != NULL)
        {
          g_autoptr(GPtrArray) group = g_ptr_array_new ();

          g_ptr_array_add (group, task);
          while (group->len < MAX_GROUP && (held = g_async_queue_try_pop (w->queue)) != NULL)
            {
              if (held == QUIT_JOB || !((Job *) g_task_get_task_data (held))->groupable)
                break;
              g_ptr_array_add (group, g_steal_pointer (&held));
            }

          if (group->len > 1)
            {
              run_group (w, group);
              continue;
            }
        }

      run_job (w, task);
      deliver (task);
    }

  worker_close (w);
  g_async_queue_unref (w->queue);
  g_free (w->path);
  g_free (w->owner);
  g_free (w);

  return NULL;
}

static void
relay_store_finalize (GObject *object)
{
  RelayStore *self = (RelayStore *) object;
  GThread *thread = self->worker->thread;

  /* Every task holds a reference on the store until it was delivered on
   * its own context, so the queue is empty here and the worker idle: it
   * frees its own side once it reads the marker. */
  g_async_queue_push (self->worker->queue, QUIT_JOB);
  self->worker = NULL;
  g_thread_join (thread);

  g_free (self->path);

  G_OBJECT_CLASS (relay_store_parent_class)->finalize (object);
}

static void
relay_store_class_init (RelayStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = relay_store_finalize;
}

static void
relay_store_init (RelayStore *self)
{
}

/**
 * relay_store_default_path:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/relay/relay.db` (inside
 *   Flatpak, GLib points XDG_DATA_HOME at the app's own data folder)
 */
char *
relay_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "relay", "relay.db", NULL);
}

/**
 * relay_store_new:
 * @path: (nullable): the database file, or %NULL for the default path
 *
 * A store that does nothing until relay_store_open_async().
 */
RelayStore *
relay_store_new (const char *path)
{
  RelayStore *self = g_object_new (RELAY_TYPE_STORE, NULL);
  RelayStoreWorker *w = g_new0 (RelayStoreWorker, 1);

  self->path = path != NULL ? g_strdup (path) : relay_store_default_path ();

  w->queue = g_async_queue_new ();
  w->path = g_strdup (self->path);
  w->owner = relay_store_owner_for_pid (getpid ());
  w->defer_rows = RELAY_STORE_DEFER_SEARCH_ROWS;
  w->thread = g_thread_new ("relay-store", worker_thread, w);
  self->worker = w;

  return self;
}

const char *
relay_store_get_path (RelayStore *self)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  return self->path;
}

static void
queue_job (RelayStore          *self,
           RelayStoreJobFunc    func,
           gpointer             data,
           GDestroyNotify       free_data,
           gboolean             groupable,
           gpointer             source_tag,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  GTask *task;
  Job *job;

  job = g_new0 (Job, 1);
  job->func = func;
  job->data = data;
  job->free_data = free_data;
  job->groupable = groupable;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_set_check_cancellable (task, FALSE);

  g_async_queue_push (self->worker->queue, task);
}

/* Queues @func to run on the worker with @data; the task returns its
 * result from there. Writes report what they did even when cancelled
 * once started, so the caller never believes a recorded row was not. */
void
relay_store_run (RelayStore          *self,
                 RelayStoreJobFunc    func,
                 gpointer             data,
                 GDestroyNotify       free_data,
                 gpointer             source_tag,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  queue_job (self, func, data, free_data, FALSE, source_tag, cancellable, callback, user_data);
}

/* Like relay_store_run() for a job that writes without a transaction of
 * its own (one statement, or a few that may commit together): the
 * worker may commit it together with the writes queued right after it. */
void
relay_store_run_write (RelayStore          *self,
                       RelayStoreJobFunc    func,
                       gpointer             data,
                       GDestroyNotify       free_data,
                       gpointer             source_tag,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  queue_job (self, func, data, free_data, TRUE, source_tag, cancellable, callback, user_data);
}

void
relay_store_worker_set_search_backlog (RelayStoreWorker *w,
                                       gboolean          backlog)
{
  w->search_backlog = backlog;
}

gboolean
relay_store_worker_get_search_backlog (RelayStoreWorker *w)
{
  return w->search_backlog && w->db != NULL;
}

guint
relay_store_worker_get_defer_rows (RelayStoreWorker *w)
{
  return w->defer_rows;
}

/**
 * relay_store_set_search_defer_rows:
 * @rows: queues of this many rows or more are indexed for search after
 *   they are queued (see relay-store-search.c)
 *
 * For tests; call it before relay_store_open_async().
 */
void
relay_store_set_search_defer_rows (RelayStore *self,
                                   guint       rows)
{
  g_return_if_fail (RELAY_IS_STORE (self));
  g_return_if_fail (rows > 0);

  self->worker->defer_rows = rows;
}

GAsyncQueue *
relay_store_worker_get_queue (RelayStoreWorker *w)
{
  return w->queue;
}

/* On the worker: a cached prepared statement, reset and unbound. */
sqlite3_stmt *
relay_store_worker_prepare (RelayStoreWorker  *w,
                            const char        *sql,
                            GError           **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = g_hash_table_lookup (w->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (w->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      relay_store_set_error (error, w->db, rc, w->path);
      return NULL;
    }

  g_hash_table_insert (w->statements, g_strdup (sql), stmt);

  return stmt;
}

sqlite3 *
relay_store_worker_get_db (RelayStoreWorker *w)
{
  return w->db;
}

const char *
relay_store_worker_get_owner (RelayStoreWorker *w)
{
  return w->owner;
}

const char *
relay_store_worker_get_path (RelayStoreWorker *w)
{
  return w->path;
}

gboolean
relay_store_worker_check_open (RelayStoreWorker  *w,
                               GError           **error)
{
  if (w->db != NULL)
    return TRUE;

  g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_CLOSED,
               _("The history database %s is not open."), w->path);
  return FALSE;
}

/* Runs a statement without results; SQLITE_DONE becomes TRUE. */
gboolean
relay_store_worker_exec (RelayStoreWorker  *w,
                         const char        *sql,
                         GError           **error)
{
  int rc = sqlite3_exec (w->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      relay_store_set_error (error, w->db, rc, w->path);
      return FALSE;
    }

  return TRUE;
}

/* Steps @stmt, which gives no row, and resets it for its next use. */
gboolean
relay_store_worker_step_done (RelayStoreWorker  *w,
                              sqlite3_stmt      *stmt,
                              GError           **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      relay_store_set_error (error, w->db, rc, w->path);
      return FALSE;
    }

  return TRUE;
}

/* Ends the open transaction without its changes; there is nothing to
 * say when that fails too (SQLite has rolled back by itself then). */
void
relay_store_worker_rollback (RelayStoreWorker *w)
{
  sqlite3_exec (w->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Runs @sql, which gives one row of one integer, into @value. */
static gboolean
query_int (RelayStoreWorker  *w,
           const char        *sql,
           int               *value,
           GError           **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = relay_store_worker_prepare (w, sql, error);
  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      relay_store_set_error (error, w->db, rc, w->path);
      return FALSE;
    }

  *value = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);

  return TRUE;
}

/* The file and its folder are the user's alone; the -wal and -shm files
 * SQLite makes take the database file's mode. */
static gboolean
create_file (const char  *path,
             GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_UNAVAILABLE,
                   _("Relay cannot create the folder %s for its history (%s)."),
                   dir, g_strerror (saved));
      return FALSE;
    }

  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_UNAVAILABLE,
                   _("Relay cannot read or write its history database %s (%s)."),
                   path, g_strerror (saved));
      return FALSE;
    }
  close (fd);

  return TRUE;
}

static gboolean
open_db (RelayStoreWorker  *w,
         GError           **error)
{
  g_autofree char *journal = NULL;
  sqlite3_stmt *stmt;
  int version = 0, tables = 0;
  int rc;

  if (!create_file (w->path, error))
    return FALSE;

  rc = sqlite3_open_v2 (w->path, &w->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                        NULL);
  if (rc != SQLITE_OK)
    {
      relay_store_set_error (error, w->db, rc, w->path);
      return FALSE;
    }

  w->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) sqlite3_finalize);
  sqlite3_busy_timeout (w->db, 5000);

  /* Reading the version is the first read of the file: a file that is
   * not a database fails here. */
  if (!query_int (w, "PRAGMA user_version", &version, error)
      || !query_int (w, "SELECT count(*) FROM sqlite_schema", &tables, error))
    return FALSE;

  if (version > RELAY_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_TOO_NEW,
                   _("The history database %s was written by a newer version of Relay (schema %d; this version knows up to %d), so Relay leaves it alone."),
                   w->path, version, RELAY_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  /* Space from deleted history goes back to the file system on Clear
   * History (incremental vacuum); it must be chosen before any table. */
  if (tables == 0 && !relay_store_worker_exec (w, "PRAGMA auto_vacuum = INCREMENTAL", error))
    return FALSE;

  /* WAL: readers never wait for the sender; synchronous FULL: a commit
   * is on the disk before the request it records may leave. */
  stmt = relay_store_worker_prepare (w, "PRAGMA journal_mode = WAL", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      relay_store_set_error (error, w->db, rc, w->path);
      return FALSE;
    }
  journal = g_ascii_strdown ((const char *) sqlite3_column_text (stmt, 0), -1);
  sqlite3_reset (stmt);
  if (!g_str_equal (journal, "wal"))
    {
      g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_UNAVAILABLE,
                   _("Relay cannot read or write its history database %s (%s)."),
                   w->path, "no write-ahead log");
      return FALSE;
    }

  /* A page cache of up to 16 MiB (SQLite's default is 2 MiB): queuing
   * a list of 100,000 rows in one transaction otherwise spills its pages
   * to the write-ahead log again and again before the commit. The cache
   * only grows with the pages a connection really touches.
   * Temporary storage in memory: it holds the statement journals of
   * multi-row INSERTs (in a file they doubled the time to queue 100,000
   * rows) and the few distinct owners of the outbox; every query orders
   * by a key, so no large sort lands there. */
  if (!relay_store_worker_exec (w, "PRAGMA synchronous = FULL", error)
      || !relay_store_worker_exec (w, "PRAGMA foreign_keys = ON", error)
      || !relay_store_worker_exec (w, "PRAGMA cache_size = -16384", error)
      || !relay_store_worker_exec (w, "PRAGMA temp_store = MEMORY", error))
    return FALSE;

  if (version < RELAY_STORE_SCHEMA_VERSION)
    {
      if (!relay_store_worker_exec (w, "BEGIN IMMEDIATE", error))
        return FALSE;

      /* Another process may have migrated while this one waited. */
      if (!query_int (w, "PRAGMA user_version", &version, error))
        {
          sqlite3_exec (w->db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }

      rc = relay_store_schema_migrate (w->db, version);
      if (rc != SQLITE_OK)
        {
          relay_store_set_error (error, w->db, rc, w->path);
          sqlite3_exec (w->db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }

      if (!relay_store_worker_exec (w, "COMMIT", error))
        {
          sqlite3_exec (w->db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
    }

  if (!relay_store_worker_release_dead (w, error))
    return FALSE;

  relay_store_worker_check_search_backlog (w);
  return TRUE;
}

static void
open_job (RelayStore       *self,
          RelayStoreWorker *w,
          GTask            *task,
          gpointer          data)
{
  g_autoptr(GError) error = NULL;

  if (w->db != NULL)
    {
      relay_store_return_boolean (task, TRUE);
      return;
    }

  if (!open_db (w, &error))
    {
      worker_close (w);
      relay_store_return_error (task, g_steal_pointer (&error));
      return;
    }

  relay_store_return_boolean (task, TRUE);
}

void
relay_store_open_async (RelayStore          *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_STORE (self));

  relay_store_run (self, open_job, NULL, NULL, relay_store_open_async,
                   cancellable, callback, user_data);
}

gboolean
relay_store_open_finish (RelayStore    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
relay_store_boolean_finish (RelayStore    *self,
                            GAsyncResult  *result,
                            gpointer       source_tag,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
