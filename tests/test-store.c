/* test-store.c — the SQLite history and outbox
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "relay-store.h"
#include "relay-store-blocklist.h"

typedef struct
{
  char       *dir;
  char       *path;
  RelayStore *store;
} Fixture;

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Runs the main context until an async call has called back. */
static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return g_steal_pointer (slot);
}

#define CALL(store, call, ...)                                                 \
  ({                                                                           \
    GAsyncResult *slot_ = NULL;                                                \
    call (store, __VA_ARGS__, NULL, result_cb, &slot_);                        \
    wait_for (&slot_);                                                         \
  })

static gboolean
store_open (RelayStore  *store,
            GError     **error)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  relay_store_open_async (store, NULL, result_cb, &slot);
  result = wait_for (&slot);

  return relay_store_open_finish (store, result, error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("relay-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "sub", "relay.db", NULL);
  f->store = relay_store_new (f->path);
  g_assert_true (store_open (f->store, &error));
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_remove (path);
      return;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      remove_tree (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->store != NULL)
    g_assert_finalize_object (f->store);
  remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static GPtrArray *
make_messages (const char *account,
               guint       n)
{
  GPtrArray *messages = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_store_message_free);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *to = g_strdup_printf ("4477009%05u", i);
      g_autofree char *text = g_strdup_printf ("Hello number %u from the club", i);
      RelayStoreMessage *m = relay_store_message_new (account, "Relay", to, text);

      m->encoding = g_strdup ("GSM-7");
      m->parts = 1;
      g_ptr_array_add (messages, m);
    }

  return messages;
}

static void
enqueue (RelayStore *store,
         GPtrArray  *messages)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = CALL (store, relay_store_enqueue_async, messages);
  g_assert_true (relay_store_enqueue_finish (store, result, &error));
  g_assert_no_error (error);
}

static GPtrArray *
query (RelayStore            *store,
       const RelayStoreQuery *q)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *rows;

  result = CALL (store, relay_store_query_async, q);
  rows = relay_store_query_finish (store, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (rows);

  return rows;
}

static gint64
count (RelayStore            *store,
       const RelayStoreQuery *q)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n;

  result = CALL (store, relay_store_count_async, q);
  n = relay_store_count_finish (store, result, &error);
  g_assert_no_error (error);

  return n;
}

static gboolean
begin_send (RelayStore  *store,
            gint64       id,
            GError     **error)
{
  g_autoptr(GAsyncResult) result = CALL (store, relay_store_begin_send_async, id);

  return relay_store_begin_send_finish (store, result, error);
}

static gboolean
record (RelayStore         *store,
        RelayStoreMessage  *outcome,
        GError            **error)
{
  g_autoptr(GAsyncResult) result = CALL (store, relay_store_record_async, outcome);

  return relay_store_record_finish (store, result, error);
}

static gint64
set_delivery (RelayStore *store,
              const char *message_id,
              const char *status,
              gint64      at_us)
{
  g_autoptr(GAsyncResult) result = CALL (store, relay_store_set_delivery_async, message_id, status, at_us);
  g_autoptr(GError) error = NULL;
  gint64 id = relay_store_set_delivery_finish (store, result, &error);

  g_assert_no_error (error);
  return id;
}

/* The status lands on the row that holds any of its parts' ids, and
 * nowhere else; an unknown id changes nothing. */
static void
test_delivery (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) messages = make_messages ("api:k@h", 2);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  RelayStoreQuery q = { .state = -1 };

  enqueue (f->store, messages);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(RelayStoreMessage) outcome = relay_store_message_copy (messages->pdata[i]);

      g_assert_true (begin_send (f->store, outcome->id, &error));
      outcome->state = RELAY_MESSAGE_STATE_SENT;
      outcome->parts = 2;
      outcome->message_ids = i == 0 ? g_strsplit ("AAAA0001 AAAA0002", " ", 0) : g_strsplit ("AAAA00011", " ", 0);
      g_assert_true (record (f->store, outcome, &error));
      g_assert_no_error (error);
    }

  g_assert_cmpint (set_delivery (f->store, "AAAA0002", "delivered", 5 * G_USEC_PER_SEC), ==,
                   ((RelayStoreMessage *) messages->pdata[0])->id);
  g_assert_cmpint (set_delivery (f->store, "AAAA000", "failed", 6 * G_USEC_PER_SEC), ==, 0);
  g_assert_cmpint (set_delivery (f->store, "AAAA00011", "expired", 7 * G_USEC_PER_SEC), ==,
                   ((RelayStoreMessage *) messages->pdata[1])->id);

  rows = query (f->store, &q);
  g_assert_cmpuint (rows->len, ==, 2);
  /* newest first */
  g_assert_cmpstr (((RelayStoreMessage *) rows->pdata[1])->delivery, ==, "delivered");
  g_assert_cmpint (((RelayStoreMessage *) rows->pdata[1])->delivery_at, ==, 5 * G_USEC_PER_SEC);
  g_assert_cmpstr (((RelayStoreMessage *) rows->pdata[0])->delivery, ==, "expired");
  g_assert_cmpint (((RelayStoreMessage *) rows->pdata[0])->delivery_at, ==, 7 * G_USEC_PER_SEC);
}

static GPtrArray *
outbox (RelayStore *store)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *rows;

  relay_store_outbox_async (store, NULL, result_cb, &slot);
  result = wait_for (&slot);
  rows = relay_store_outbox_finish (store, result, &error);
  g_assert_no_error (error);

  return rows;
}

static gboolean
decide (RelayStore          *store,
        const gint64        *ids,
        guint                n_ids,
        RelayStoreDecision   decision,
        GArray             **new_ids,
        GError             **error)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  relay_store_decide_async (store, ids, n_ids, decision, NULL, result_cb, &slot);
  result = wait_for (&slot);

  return relay_store_decide_finish (store, result, new_ids, error);
}

/* Opens the file with SQLite directly, as another program would. */
static sqlite3 *
raw_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);

  return db;
}

static char *
raw_text (sqlite3    *db,
          const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return text;
}

static void
test_open_creates (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autofree char *version = NULL;
  g_autofree char *journal = NULL;
  g_autofree char *vacuum = NULL;
  GStatBuf st;
  sqlite3 *db;

  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpstr (relay_store_get_path (f->store), ==, f->path);

  db = raw_open (f->path);
  version = raw_text (db, "PRAGMA user_version");
  journal = raw_text (db, "PRAGMA journal_mode");
  vacuum = raw_text (db, "PRAGMA auto_vacuum");
  g_assert_cmpstr (version, ==, G_STRINGIFY (RELAY_STORE_SCHEMA_VERSION));
  g_assert_cmpstr (journal, ==, "wal");
  g_assert_cmpstr (vacuum, ==, "2");  /* incremental */
  sqlite3_close (db);
}

static void
test_default_path (void)
{
  g_autofree char *path = relay_store_default_path ();
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "relay", "relay.db", NULL);

  g_assert_cmpstr (path, ==, expected);
}

static void
test_enqueue_and_query (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) messages = make_messages ("api:key@127.0.0.1", 3);
  g_autoptr(GPtrArray) rows = NULL;
  RelayStoreMessage *m, *newest;
  RelayStoreQuery q = { .state = -1 };

  enqueue (f->store, messages);

  for (guint i = 0; i < messages->len; i++)
    {
      m = messages->pdata[i];
      g_assert_cmpint (m->id, >, 0);
      g_assert_cmpint (m->queued_at, >, 0);
      g_assert_true (relay_client_ref_is_valid (m->client_ref));
      g_assert_cmpuint (strlen (m->client_ref), <=, RELAY_CLIENT_REF_MAX);
      if (i > 0)
        g_assert_cmpstr (m->client_ref, !=, ((RelayStoreMessage *) messages->pdata[i - 1])->client_ref);
    }

  rows = query (f->store, &q);
  g_assert_cmpuint (rows->len, ==, 3);
  newest = rows->pdata[0];
  m = messages->pdata[2];
  g_assert_cmpint (newest->id, ==, m->id);
  g_assert_cmpstr (newest->account, ==, "api:key@127.0.0.1");
  g_assert_cmpstr (newest->sender, ==, "Relay");
  g_assert_cmpstr (newest->recipient, ==, m->recipient);
  g_assert_cmpstr (newest->text, ==, m->text);
  g_assert_cmpstr (newest->encoding, ==, "GSM-7");
  g_assert_cmpuint (newest->parts, ==, 1);
  g_assert_cmpstr (newest->client_ref, ==, m->client_ref);
  g_assert_cmpint (newest->state, ==, RELAY_MESSAGE_STATE_QUEUED);
  g_assert_cmpint (newest->status, ==, -1);
  g_assert_null (newest->error);
  g_assert_cmpint (newest->sent_at, ==, 0);
  g_assert_cmpuint (g_strv_length (newest->message_ids), ==, 0);
  g_assert_cmpint (count (f->store, &q), ==, 3);
}

static void
test_enqueue_is_atomic (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) messages = make_messages ("api:key@127.0.0.1", 3);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  RelayStoreQuery q = { .state = -1 };
  RelayStoreMessage *last = messages->pdata[2];

  /* The third one repeats the first one's client-ref: nothing is kept. */
  ((RelayStoreMessage *) messages->pdata[0])->client_ref = g_strdup ("relay-same");
  last->client_ref = g_strdup ("relay-same");

  result = CALL (f->store, relay_store_enqueue_async, messages);
  g_assert_false (relay_store_enqueue_finish (f->store, result, &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_FAILED);
  g_assert_cmpint (count (f->store, &q), ==, 0);
  for (guint i = 0; i < messages->len; i++)
    g_assert_cmpint (((RelayStoreMessage *) messages->pdata[i])->id, ==, 0);
}

static void
test_states (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) messages = make_messages ("api:key@127.0.0.1", 4);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  RelayStoreMessage *sent = messages->pdata[0];
  RelayStoreMessage *failed = messages->pdata[1];
  RelayStoreMessage *uncertain = messages->pdata[2];
  RelayStoreMessage *cancelled = messages->pdata[3];
  RelayStoreQuery q = { .state = -1 };
  g_autoptr(RelayStoreMessage) outcome = NULL;

  enqueue (f->store, messages);

  /* queued → sending → sent, with the provider's fields. */
  g_assert_true (begin_send (f->store, sent->id, &error));
  g_assert_no_error (error);
  g_assert_false (begin_send (f->store, sent->id, &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE);
  g_clear_error (&error);

  outcome = relay_store_message_copy (sent);
  outcome->state = RELAY_MESSAGE_STATE_SENT;
  outcome->message_ids = g_strsplit ("0A0000001 0A0000002", " ", 0);
  outcome->parts = 2;
  outcome->price = g_strdup ("0.06660000");
  outcome->currency = g_strdup ("EUR");
  outcome->network = g_strdup ("23410");
  outcome->status = 0;
  g_assert_true (record (f->store, outcome, &error));
  g_assert_no_error (error);

  /* Once sent, nothing may record it again. */
  outcome->state = RELAY_MESSAGE_STATE_FAILED;
  g_assert_false (record (f->store, outcome, &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE);
  g_clear_error (&error);
  g_clear_pointer (&outcome, relay_store_message_free);

  /* Once an outcome is recorded, it is final: an uncertain message is
   * never turned into not sent afterwards. */
  g_assert_true (begin_send (f->store, uncertain->id, &error));
  outcome = relay_store_message_copy (uncertain);
  outcome->state = RELAY_MESSAGE_STATE_UNCERTAIN;
  outcome->error = g_strdup ("No answer came.");
  g_assert_true (record (f->store, outcome, &error));
  outcome->state = RELAY_MESSAGE_STATE_NOT_SENT;
  g_assert_false (record (f->store, outcome, &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE);
  g_clear_error (&error);
  g_clear_pointer (&outcome, relay_store_message_free);

  g_assert_true (begin_send (f->store, failed->id, &error));
  outcome = relay_store_message_copy (failed);
  outcome->state = RELAY_MESSAGE_STATE_FAILED;
  outcome->status = 7;
  outcome->error = g_strdup ("The number is barred.");
  g_assert_true (record (f->store, outcome, &error));
  g_clear_pointer (&outcome, relay_store_message_free);

  outcome = relay_store_message_copy (cancelled);
  outcome->state = RELAY_MESSAGE_STATE_NOT_SENT;
  outcome->error = g_strdup ("Cancelled before it was sent.");
  g_assert_true (record (f->store, outcome, &error));
  g_clear_pointer (&outcome, relay_store_message_free);

  /* Queued and sending are not outcomes. */
  outcome = relay_store_message_copy (cancelled);
  outcome->state = RELAY_MESSAGE_STATE_SENDING;
  g_assert_false (record (f->store, outcome, &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE);
  g_clear_error (&error);
  g_assert_false (begin_send (f->store, 999999, &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  rows = query (f->store, &q);
  g_assert_cmpuint (rows->len, ==, 4);
  /* newest first: cancelled, uncertain, failed, sent */
  g_assert_cmpint (((RelayStoreMessage *) rows->pdata[0])->state, ==, RELAY_MESSAGE_STATE_NOT_SENT);
  g_assert_cmpint (((RelayStoreMessage *) rows->pdata[1])->state, ==, RELAY_MESSAGE_STATE_UNCERTAIN);
  g_assert_cmpint (((RelayStoreMessage *) rows->pdata[2])->state, ==, RELAY_MESSAGE_STATE_FAILED);
  g_assert_cmpint (((RelayStoreMessage *) rows->pdata[2])->status, ==, 7);
  g_assert_cmpstr (((RelayStoreMessage *) rows->pdata[2])->error, ==, "The number is barred.");
  {
    RelayStoreMessage *row = rows->pdata[3];

    g_assert_cmpint (row->state, ==, RELAY_MESSAGE_STATE_SENT);
    g_assert_cmpuint (g_strv_length (row->message_ids), ==, 2);
    g_assert_cmpstr (row->message_ids[1], ==, "0A0000002");
    g_assert_cmpuint (row->parts, ==, 2);
    g_assert_cmpstr (row->price, ==, "0.06660000");
    g_assert_cmpstr (row->currency, ==, "EUR");
    g_assert_cmpstr (row->network, ==, "23410");
    g_assert_cmpint (row->status, ==, 0);
    g_assert_cmpint (row->sent_at, >=, row->queued_at);
  }

  q.state = RELAY_MESSAGE_STATE_SENT;
  g_assert_cmpint (count (f->store, &q), ==, 1);
}

/* Rows written as if by a process that is gone: pid numbers above the
 * kernel's pid_max never belong to a living process. */
static void
plant_dead_rows (const char *path)
{
  sqlite3 *db = raw_open (path);
  char *errmsg = NULL;

  sqlite3_exec (db,
                "INSERT INTO messages (account, recipient, body, client_ref, state, queued_at, owner)"
                " VALUES ('api:k@h', '447700900001', 'was sending', 'relay-dead-1', 'sending', 1, '99999999:5'),"
                "        ('api:k@h', '447700900002', 'was queued', 'relay-dead-2', 'queued', 2, '99999999:5'),"
                "        ('api:k@h', '447700900003', 'other process', 'relay-live-3', 'queued', 3, '1:0')",
                NULL, NULL, &errmsg);
  g_assert_null (errmsg);
  sqlite3_close (db);
}

static void
test_recovery (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) claimed = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  RelayStoreMessage *m;

  plant_dead_rows (f->path);

  /* The process that was sending is dead: its sending row may have been
   * sent (uncertain), its queued row may be resumed. pid 1 is alive. */
  rows = outbox (f->store);
  g_assert_cmpuint (rows->len, ==, 2);
  m = rows->pdata[0];
  g_assert_cmpstr (m->client_ref, ==, "relay-dead-1");
  g_assert_cmpint (m->state, ==, RELAY_MESSAGE_STATE_UNCERTAIN);
  g_assert_nonnull (m->error);
  m = rows->pdata[1];
  g_assert_cmpstr (m->client_ref, ==, "relay-dead-2");
  g_assert_cmpint (m->state, ==, RELAY_MESSAGE_STATE_QUEUED);

  /* Claiming takes the queued row only; never the uncertain one, never
   * another living process's. */
  result = CALL (f->store, relay_store_claim_async, NULL);
  claimed = relay_store_claim_finish (f->store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claimed->len, ==, 1);
  m = claimed->pdata[0];
  g_assert_cmpstr (m->client_ref, ==, "relay-dead-2");
  g_assert_true (begin_send (f->store, m->id, &error));
  g_assert_no_error (error);

  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = outbox (f->store);
  g_assert_cmpuint (rows->len, ==, 1);
}

/* Killed with SIGKILL in the middle of a send: the row it was sending is
 * uncertain for the next process, the ones it had queued resumable. */
static void
test_killed_while_sending (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  if (g_test_subprocess ())
    {
      g_autoptr(GPtrArray) messages = make_messages ("api:key@127.0.0.1", 3);

      store = relay_store_new (g_getenv ("RELAY_TEST_STORE_PATH"));
      g_assert_true (store_open (store, &error));
      enqueue (store, messages);
      g_assert_true (begin_send (store, ((RelayStoreMessage *) messages->pdata[0])->id, &error));
      raise (SIGKILL);
      g_assert_not_reached ();
    }

  /* main() chose the path before any thread existed (setenv is not
   * thread-safe); the child inherits it. */
  path = g_strdup (g_getenv ("RELAY_TEST_STORE_PATH"));
  dir = g_path_get_dirname (path);

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_failed ();

  store = relay_store_new (path);
  g_assert_true (store_open (store, &error));
  g_assert_no_error (error);
  rows = outbox (store);
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_cmpint (((RelayStoreMessage *) rows->pdata[0])->state, ==, RELAY_MESSAGE_STATE_UNCERTAIN);
  g_assert_cmpint (((RelayStoreMessage *) rows->pdata[1])->state, ==, RELAY_MESSAGE_STATE_QUEUED);
  g_assert_cmpint (((RelayStoreMessage *) rows->pdata[2])->state, ==, RELAY_MESSAGE_STATE_QUEUED);

  g_assert_finalize_object (g_steal_pointer (&store));
  remove_tree (dir);
}

static void
test_decisions (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GArray) new_ids = NULL;
  g_autoptr(GError) error = NULL;
  RelayStoreQuery q = { .state = -1 };
  gint64 uncertain_id, queued_id, ids[2];

  plant_dead_rows (f->path);
  rows = outbox (f->store);
  uncertain_id = ((RelayStoreMessage *) rows->pdata[0])->id;
  queued_id = ((RelayStoreMessage *) rows->pdata[1])->id;

  /* All or nothing: a queued row cannot be marked as sent. */
  ids[0] = uncertain_id;
  ids[1] = queued_id;
  g_assert_false (decide (f->store, ids, 2, RELAY_STORE_DECISION_MARK_SENT, NULL, &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE);
  g_clear_error (&error);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = outbox (f->store);
  g_assert_cmpuint (rows->len, ==, 2);

  /* Retry makes a new queued row with a new client-ref; the uncertain
   * one keeps its record and leaves the outbox. */
  g_assert_true (decide (f->store, &uncertain_id, 1, RELAY_STORE_DECISION_RETRY, &new_ids, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (new_ids->len, ==, 1);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = outbox (f->store);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpint (((RelayStoreMessage *) rows->pdata[1])->id, ==, g_array_index (new_ids, gint64, 0));
  g_assert_cmpstr (((RelayStoreMessage *) rows->pdata[1])->client_ref, !=, "relay-dead-1");
  g_assert_cmpstr (((RelayStoreMessage *) rows->pdata[1])->text, ==, "was sending");

  /* A decided row is not decided twice. */
  g_assert_false (decide (f->store, &uncertain_id, 1, RELAY_STORE_DECISION_MARK_SENT, NULL, &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE);
  g_clear_error (&error);

  /* Discarding a queued row: not-sent, with the reason. */
  g_assert_true (decide (f->store, &queued_id, 1, RELAY_STORE_DECISION_DISCARD, NULL, &error));
  g_assert_no_error (error);

  history = query (f->store, &q);
  for (guint i = 0; i < history->len; i++)
    {
      RelayStoreMessage *m = history->pdata[i];

      if (m->id == uncertain_id)
        g_assert_cmpint (m->state, ==, RELAY_MESSAGE_STATE_UNCERTAIN);
      else if (m->id == queued_id)
        {
          g_assert_cmpint (m->state, ==, RELAY_MESSAGE_STATE_NOT_SENT);
          g_assert_nonnull (m->error);
        }
    }
  g_assert_cmpint (count (f->store, &q), ==, 4);
}

static void
test_mark_sent (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  RelayStoreQuery q = { .state = RELAY_MESSAGE_STATE_SENT };
  gint64 id;

  plant_dead_rows (f->path);
  rows = outbox (f->store);
  id = ((RelayStoreMessage *) rows->pdata[0])->id;
  g_assert_true (decide (f->store, &id, 1, RELAY_STORE_DECISION_MARK_SENT, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f->store, &q), ==, 1);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = outbox (f->store);
  g_assert_cmpuint (rows->len, ==, 1);
}

/* One or two characters: the trigram index cannot serve them, so the
 * search reads only the newest RELAY_STORE_SHORT_SEARCH_ROWS messages,
 * and pages and counts within them. */
static void
test_short_search (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) old = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_store_message_free);
  g_autoptr(GPtrArray) filler = make_messages ("api:a@h", RELAY_STORE_SHORT_SEARCH_ROWS);
  g_autoptr(GPtrArray) recent = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_store_message_free);
  g_autoptr(GPtrArray) rows = NULL;
  RelayStoreQuery q = { .state = -1 };

  g_ptr_array_add (old, relay_store_message_new ("api:a@h", "Relay", "15550000001", "xq long ago"));
  g_ptr_array_add (old, relay_store_message_new ("api:b@h", "Relay", "15550000002", "xq also long ago"));
  enqueue (f->store, old);
  enqueue (f->store, filler);
  g_ptr_array_add (recent, relay_store_message_new ("api:a@h", "Relay", "15550000003", "xq today"));
  g_ptr_array_add (recent, relay_store_message_new ("api:b@h", "Relay", "15550000004", "today xq again"));
  g_ptr_array_add (recent, relay_store_message_new ("api:a@h", "Relay", "15550000005", "nothing here"));
  enqueue (f->store, recent);

  /* Only the recent matches: the old ones are beyond the newest rows. */
  q.search = "xq";
  rows = query (f->store, &q);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpstr (((RelayStoreMessage *) rows->pdata[0])->recipient, ==, "15550000004");
  g_assert_cmpstr (((RelayStoreMessage *) rows->pdata[1])->recipient, ==, "15550000003");
  g_assert_cmpint (count (f->store, &q), ==, 2);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Paged like any other list, and with the other filters. */
  q.limit = 1;
  q.offset = 1;
  rows = query (f->store, &q);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (((RelayStoreMessage *) rows->pdata[0])->recipient, ==, "15550000003");
  g_clear_pointer (&rows, g_ptr_array_unref);
  q.limit = 0;
  q.offset = 0;
  q.account = "api:b@h";
  g_assert_cmpint (count (f->store, &q), ==, 1);
  q.account = NULL;

  /* Nothing matches: an empty answer (read from the newest rows only). */
  q.search = "zz";
  g_assert_cmpint (count (f->store, &q), ==, 0);
  rows = query (f->store, &q);
  g_assert_cmpuint (rows->len, ==, 0);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* With a longer word the index serves, the whole history counts. */
  q.search = "xq long";
  g_assert_cmpint (count (f->store, &q), ==, 2);
  rows = query (f->store, &q);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpstr (((RelayStoreMessage *) rows->pdata[0])->recipient, ==, "15550000002");
  q.search = "15550000001";
  g_assert_cmpint (count (f->store, &q), ==, 1);
}

static void
test_search_and_filters (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) a = make_messages ("api:a@h", 30);
  g_autoptr(GPtrArray) b = make_messages ("api:b@h", 5);
  g_autoptr(GPtrArray) odd = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_store_message_free);
  g_autoptr(GPtrArray) rows = NULL;
  RelayStoreQuery q = { .state = -1 };
  const char *hostile[] = { "\"", "%", "_", "'", "a\"b", "NEAR(", "* OR 1", "-", "\\", ")", NULL };

  g_ptr_array_add (odd, relay_store_message_new ("api:a@h", NULL, "15550001111",
                                                 "Grüße, 100% sicher: \"Probe\" mit_unterstrich"));
  enqueue (f->store, a);
  enqueue (f->store, b);
  enqueue (f->store, odd);

  q.account = "api:b@h";
  g_assert_cmpint (count (f->store, &q), ==, 5);
  q.account = NULL;

  /* A part of a number, through the trigram index. */
  q.search = "7700900012";
  rows = query (f->store, &q);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (((RelayStoreMessage *) rows->pdata[0])->recipient, ==, "447700900012");
  g_clear_pointer (&rows, g_ptr_array_unref);

  q.search = "900003";
  g_assert_cmpint (count (f->store, &q), ==, 2);  /* in both accounts */

  /* Words of the text, any case, all of them. */
  q.search = "NUMBER 29 club";
  rows = query (f->store, &q);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (((RelayStoreMessage *) rows->pdata[0])->text, ==, "Hello number 29 from the club");
  g_clear_pointer (&rows, g_ptr_array_unref);

  q.search = "grüße";
  g_assert_cmpint (count (f->store, &q), ==, 1);
  q.search = "100%";
  g_assert_cmpint (count (f->store, &q), ==, 1);
  q.search = "_";
  g_assert_cmpint (count (f->store, &q), ==, 1);
  q.search = "\"Probe\"";
  g_assert_cmpint (count (f->store, &q), ==, 1);
  q.search = "nowhere";
  g_assert_cmpint (count (f->store, &q), ==, 0);

  /* Search syntax and SQL from the user are text, never commands. */
  for (guint i = 0; hostile[i] != NULL; i++)
    {
      q.search = (char *) hostile[i];
      g_clear_pointer (&rows, g_ptr_array_unref);
      rows = query (f->store, &q);
      g_assert_cmpint (count (f->store, &q), ==, rows->len);
    }
  g_clear_pointer (&rows, g_ptr_array_unref);
  q.search = NULL;

  /* Paging newest first, by id and by offset, gives the same rows. */
  q.account = "api:a@h";
  q.limit = 10;
  rows = query (f->store, &q);
  g_assert_cmpuint (rows->len, ==, 10);
  q.before_id = ((RelayStoreMessage *) rows->pdata[9])->id;
  {
    g_autoptr(GPtrArray) next = query (f->store, &q);
    RelayStoreQuery by_offset = { .account = "api:a@h", .state = -1, .limit = 10, .offset = 10 };
    g_autoptr(GPtrArray) same = query (f->store, &by_offset);

    g_assert_cmpuint (next->len, ==, 10);
    g_assert_cmpint (((RelayStoreMessage *) next->pdata[0])->id, <, q.before_id);
    for (guint i = 0; i < next->len; i++)
      g_assert_cmpint (((RelayStoreMessage *) next->pdata[i])->id, ==,
                       ((RelayStoreMessage *) same->pdata[i])->id);
  }

  /* Since: nothing is newer than the future. */
  q.before_id = 0;
  q.limit = 0;
  q.since_us = g_get_real_time () + (gint64) G_USEC_PER_SEC * 3600;
  g_assert_cmpint (count (f->store, &q), ==, 0);
  q.since_us = 1;
  g_assert_cmpint (count (f->store, &q), ==, 31);
}

static void
test_delete_and_clear (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) messages = make_messages ("api:a@h", 3);
  g_autoptr(RelayStoreMessage) outcome = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  RelayStoreQuery q = { .state = -1 };
  gint64 queued_id, sent_id;

  enqueue (f->store, messages);
  sent_id = ((RelayStoreMessage *) messages->pdata[0])->id;
  queued_id = ((RelayStoreMessage *) messages->pdata[1])->id;
  g_assert_true (begin_send (f->store, sent_id, &error));
  outcome = relay_store_message_copy (messages->pdata[0]);
  outcome->state = RELAY_MESSAGE_STATE_SENT;
  g_assert_true (record (f->store, outcome, &error));
  g_assert_no_error (error);

  /* What still waits to be sent is not history to delete. */
  {
    gint64 ids[] = { sent_id, queued_id };

    result = CALL (f->store, relay_store_delete_async, ids, 2);
    g_assert_false (relay_store_delete_finish (f->store, result, &error));
    g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE);
    g_clear_error (&error);
    g_clear_object (&result);
    g_assert_cmpint (count (f->store, &q), ==, 3);
  }

  result = CALL (f->store, relay_store_delete_async, &sent_id, 1);
  g_assert_true (relay_store_delete_finish (f->store, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpint (count (f->store, &q), ==, 2);

  result = CALL (f->store, relay_store_clear_async, NULL);
  g_assert_true (relay_store_clear_finish (f->store, result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f->store, &q), ==, 2);  /* both still queued */
}

static void
test_corrupt (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("relay-store-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "relay.db", NULL);
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) messages = make_messages ("api:a@h", 1);
  char garbage[8192];

  memset (garbage, 'x', sizeof garbage);
  g_assert_true (g_file_set_contents (path, garbage, sizeof garbage, NULL));

  store = relay_store_new (path);
  g_assert_false (store_open (store, &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);

  /* Nothing works on a store that did not open; nothing crashes. */
  result = CALL (store, relay_store_enqueue_async, messages);
  g_assert_false (relay_store_enqueue_finish (store, result, &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_CLOSED);
  g_clear_object (&result);

  g_assert_finalize_object (g_steal_pointer (&store));
  remove_tree (dir);
}

static void
test_too_new (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("relay-store-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "relay.db", NULL);
  g_autoptr(RelayStore) store = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE future (x); PRAGMA user_version = 99",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = relay_store_new (path);
  g_assert_false (store_open (store, &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_TOO_NEW);

  g_assert_finalize_object (g_steal_pointer (&store));
  remove_tree (dir);
}

static void
test_full (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GPtrArray) messages = make_messages ("api:a@h", 2000);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  RelayStoreQuery q = { .state = -1 };

  result = CALL (f->store, relay_store_set_max_pages_async, 12);
  g_assert_true (relay_store_set_max_pages_finish (f->store, result, &error));
  g_clear_object (&result);

  result = CALL (f->store, relay_store_enqueue_async, messages);
  g_assert_false (relay_store_enqueue_finish (f->store, result, &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_FULL);
  g_assert_cmpint (count (f->store, &q), ==, 0);
}

typedef struct
{
  RelayStore *store;
  guint       pending;
  guint       failed;
  guint       refused;
} Writes;

static void
write_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Writes *writes = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (g_async_result_is_tagged (result, relay_store_begin_send_async))
    ok = relay_store_begin_send_finish (writes->store, result, &error);
  else
    ok = relay_store_record_finish (writes->store, result, &error);
  if (!ok)
    {
      writes->failed++;
      if (g_error_matches (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE))
        writes->refused++;
    }
  writes->pending--;
}

/* Writes queued faster than the disk commits them share a commit, and
 * each still gets its own answer: a refused one among them changes
 * nothing for the others. */
static void
test_grouped_writes (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) messages = make_messages ("api:a@h", 600);
  Writes writes = { f->store, 0, 0, 0 };
  RelayStoreQuery sent = { .state = RELAY_MESSAGE_STATE_SENT };
  RelayStoreQuery sending = { .state = RELAY_MESSAGE_STATE_SENDING };

  enqueue (f->store, messages);

  for (guint i = 0; i < messages->len; i++)
    {
      RelayStoreMessage *m = messages->pdata[i];

      writes.pending += 2;
      relay_store_begin_send_async (f->store, m->id, NULL, write_cb, &writes);
      m->state = RELAY_MESSAGE_STATE_SENT;
      m->status = 0;
      relay_store_record_async (f->store, m, NULL, write_cb, &writes);
      /* Every tenth row is recorded a second time, which an outcome
       * already recorded refuses. */
      if (i % 10 == 0)
        {
          m->state = RELAY_MESSAGE_STATE_FAILED;
          writes.pending++;
          relay_store_record_async (f->store, m, NULL, write_cb, &writes);
        }
    }
  while (writes.pending > 0)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (writes.failed, ==, 60);
  g_assert_cmpuint (writes.refused, ==, 60);
  g_assert_cmpint (count (f->store, &sent), ==, 600);
  g_assert_cmpint (count (f->store, &sending), ==, 0);
}

/* The do-not-contact list */

static guint
block (RelayStore         *store,
       const char * const *numbers,
       RelayBlockSource    source,
       GError            **error)
{
  g_autoptr(GAsyncResult) result = CALL (store, relay_store_block_async, numbers, source);
  guint n = G_MAXUINT;

  if (!relay_store_block_finish (store, result, &n, error))
    return G_MAXUINT;

  return n;
}

static guint
unblock (RelayStore         *store,
         const char * const *numbers)
{
  g_autoptr(GAsyncResult) result = CALL (store, relay_store_unblock_async, numbers);
  g_autoptr(GError) error = NULL;
  guint n = G_MAXUINT;

  g_assert_true (relay_store_unblock_finish (store, result, &n, &error));
  g_assert_no_error (error);

  return n;
}

static GPtrArray *
list_blocked (RelayStore *store)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *list;

  relay_store_list_blocked_async (store, NULL, result_cb, &slot);
  result = wait_for (&slot);
  list = relay_store_list_blocked_finish (store, result, &error);
  g_assert_no_error (error);

  return list;
}

static gboolean
is_blocked (RelayStore *store,
            const char *number)
{
  g_autoptr(GAsyncResult) result = CALL (store, relay_store_contains_blocked_async, number);
  g_autoptr(GError) error = NULL;
  gboolean contains = -1;

  g_assert_true (relay_store_contains_blocked_finish (store, result, &contains, &error));
  g_assert_no_error (error);

  return contains;
}

static GHashTable *
blocked_snapshot (RelayStore *store)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GHashTable *set;

  relay_store_blocked_snapshot_async (store, NULL, result_cb, &slot);
  result = wait_for (&slot);
  set = relay_store_blocked_snapshot_finish (store, result, &error);
  g_assert_no_error (error);

  return set;
}

static void
test_blocklist (Fixture       *f,
                gconstpointer  data)
{
  const char * const first[] = { "447700900001", "447700900002", NULL };
  const char * const again[] = { "447700900002", "15551234567", NULL };
  const char * const bad[] = { "447700900003", "+447700900004", NULL };
  const char * const too_long[] = { "1234567890123456", NULL };
  const char * const gone[] = { "447700900001", "447700900099", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GHashTable) set = NULL;
  RelayBlockedNumber *b;
  gint64 before = g_get_real_time ();

  g_assert_false (is_blocked (f->store, "447700900001"));
  g_assert_cmpuint (block (f->store, first, RELAY_BLOCK_SOURCE_HAND, &error), ==, 2);
  g_assert_no_error (error);
  /* A number already there keeps its source and date. */
  g_assert_cmpuint (block (f->store, again, RELAY_BLOCK_SOURCE_IMPORT, &error), ==, 1);
  g_assert_no_error (error);

  /* One bad number and nothing changes. */
  g_assert_cmpuint (block (f->store, bad, RELAY_BLOCK_SOURCE_HAND, &error), ==, G_MAXUINT);
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "+447700900004"));
  g_clear_error (&error);
  g_assert_cmpuint (block (f->store, too_long, RELAY_BLOCK_SOURCE_HAND, &error), ==, G_MAXUINT);
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_false (is_blocked (f->store, "447700900003"));

  list = list_blocked (f->store);
  g_assert_cmpuint (list->len, ==, 3);
  b = list->pdata[0];
  g_assert_cmpstr (b->number, ==, "15551234567");
  g_assert_cmpint (b->source, ==, RELAY_BLOCK_SOURCE_IMPORT);
  g_assert_cmpint (b->added_at, >=, before);
  b = list->pdata[2];
  g_assert_cmpstr (b->number, ==, "447700900002");
  g_assert_cmpint (b->source, ==, RELAY_BLOCK_SOURCE_HAND);

  set = blocked_snapshot (f->store);
  g_assert_cmpuint (g_hash_table_size (set), ==, 3);
  g_assert_true (g_hash_table_contains (set, "447700900001"));
  g_assert_false (g_hash_table_contains (set, "447700900003"));

  g_assert_cmpuint (unblock (f->store, gone), ==, 1);
  g_assert_false (is_blocked (f->store, "447700900001"));
  g_assert_true (is_blocked (f->store, "447700900002"));
  /* The snapshot does not follow. */
  g_assert_true (g_hash_table_contains (set, "447700900001"));

  /* It survives a reopen. */
  g_assert_finalize_object (g_steal_pointer (&f->store));
  f->store = relay_store_new (f->path);
  g_assert_true (store_open (f->store, &error));
  g_assert_no_error (error);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = list_blocked (f->store);
  g_assert_cmpuint (list->len, ==, 2);

  g_assert_true (relay_blocked_number_is_valid ("1"));
  g_assert_false (relay_blocked_number_is_valid (""));
  g_assert_false (relay_blocked_number_is_valid ("44 7700"));
  g_assert_false (relay_blocked_number_is_valid (NULL));
}

/* A queue of RELAY_STORE_DEFER_SEARCH_ROWS (25,000) rows or more is
 * indexed for search after it is queued, by the idle worker, the next
 * process, or the first search; deleting a row not yet indexed leaves
 * the index sound. */
static void
test_deferred_search (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) messages = make_messages ("api:key@host", 25000);
  g_autoptr(GError) error = NULL;
  g_autofree char *backlog = NULL;
  g_autofree char *victim = NULL;
  RelayStoreQuery q = { .state = -1, .search = "4477009011" };
  RelayStoreQuery gone = { .state = -1, .search = "4477009000" };
  sqlite3 *db;
  guint tries = 0;

  enqueue (f->store, messages);
  g_assert_finalize_object (g_steal_pointer (&f->store));

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  backlog = raw_text (db, "SELECT count(*) FROM search_backlog");
  g_test_message ("backlog ranges after the queue: %s", backlog);
  /* A row of the backlog's first chunk goes, before it is indexed. */
  victim = raw_text (db, "SELECT id FROM messages WHERE recipient = '447700900005'");
  g_assert_nonnull (victim);
  {
    g_autofree char *sql = g_strdup_printf ("DELETE FROM messages WHERE id = %s", victim);

    g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  }
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO messages_search (messages_search) VALUES ('integrity-check')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  /* The next process indexes the rest when idle. */
  f->store = relay_store_new (f->path);
  g_assert_true (store_open (f->store, &error));
  g_assert_no_error (error);
  /* The idle worker indexes it; a search would have waited for it. */
  while (tries++ < 200)
    {
      g_autofree char *left = NULL;

      g_usleep (300 * 1000);
      g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
      left = raw_text (db, "SELECT count(*) FROM search_backlog");
      sqlite3_close (db);
      if (g_strcmp0 (left, "0") == 0)
        break;
    }
  g_assert_cmpint (count (f->store, &q), ==, 100);
  g_assert_cmpint (count (f->store, &gone), ==, 99);

  g_assert_finalize_object (g_steal_pointer (&f->store));
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_clear_pointer (&backlog, g_free);
  backlog = raw_text (db, "SELECT count(*) FROM search_backlog");
  g_assert_cmpstr (backlog, ==, "0");
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO messages_search (messages_search) VALUES ('integrity-check')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  f->store = relay_store_new (f->path);
  g_assert_true (store_open (f->store, &error));

  /* A search right after a large queue finds its rows. */
  g_clear_pointer (&messages, g_ptr_array_unref);
  messages = make_messages ("api:other@host", 25000);
  for (guint i = 0; i < messages->len; i++)
    {
      RelayStoreMessage *m = messages->pdata[i];

      g_free (m->recipient);
      m->recipient = g_strdup_printf ("3361234%05u", i);
    }
  enqueue (f->store, messages);
  q.search = "336123424";
  g_assert_cmpint (count (f->store, &q), ==, 1000);
}

/* Every schema version Relay ever wrote opens with its rows intact:
 * tests/store/relay-vN.db was written by the Relay of schema N (see
 * tests/store/README), with one sent row and one row it was sending
 * when it was killed. */
static void
test_fixtures (void)
{
  for (int version = 1; version <= RELAY_STORE_SCHEMA_VERSION; version++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *name = g_strdup_printf ("relay-v%d.db", version);
      g_autofree char *fixture = g_test_build_filename (G_TEST_DIST, "store", name, NULL);
      g_autofree char *contents = NULL;
      g_autofree char *dir = g_dir_make_tmp ("relay-store-XXXXXX", &error);
      g_autofree char *path = g_build_filename (dir, "relay.db", NULL);
      g_autoptr(RelayStore) store = NULL;
      g_autoptr(GPtrArray) rows = NULL;
      g_autoptr(GPtrArray) pending = NULL;
      RelayStoreQuery q = { .state = -1, .search = "900001" };
      gsize length;

      g_assert_true (g_file_get_contents (fixture, &contents, &length, &error));
      g_assert_true (g_file_set_contents (path, contents, length, &error));

      store = relay_store_new (path);
      g_assert_true (store_open (store, &error));
      g_assert_no_error (error);

      rows = query (store, &q);
      g_assert_cmpuint (rows->len, ==, 1);
      g_assert_cmpstr (((RelayStoreMessage *) rows->pdata[0])->text, ==, "Fixture message");
      g_assert_cmpint (((RelayStoreMessage *) rows->pdata[0])->state, ==, RELAY_MESSAGE_STATE_SENT);
      g_assert_cmpstr (((RelayStoreMessage *) rows->pdata[0])->price, ==, "0.03330000");
      pending = outbox (store);
      g_assert_cmpuint (pending->len, ==, 1);
      g_assert_cmpint (((RelayStoreMessage *) pending->pdata[0])->state, ==, RELAY_MESSAGE_STATE_UNCERTAIN);

      /* Every version takes a delivery status (v1 by its migration). */
      g_assert_null (((RelayStoreMessage *) rows->pdata[0])->delivery);
      g_assert_cmpint (((RelayStoreMessage *) rows->pdata[0])->delivery_at, ==, 0);
      g_assert_cmpint (set_delivery (store, "0C000000FIXTURE1", "delivered", G_GINT64_CONSTANT (1792567650) * G_USEC_PER_SEC),
                       ==, ((RelayStoreMessage *) rows->pdata[0])->id);
      g_clear_pointer (&rows, g_ptr_array_unref);
      rows = query (store, &q);
      g_assert_cmpstr (((RelayStoreMessage *) rows->pdata[0])->delivery, ==, "delivered");
      g_assert_cmpint (((RelayStoreMessage *) rows->pdata[0])->delivery_at, ==, G_GINT64_CONSTANT (1792567650) * G_USEC_PER_SEC);

      /* Every version has the do-not-contact list (v1 and v2 by their
       * migration); from v3 on the fixture holds one number. */
      {
        const char * const numbers[] = { "447700900005", NULL };
        g_autoptr(GPtrArray) blocked = NULL;

        g_assert_cmpint (is_blocked (store, "447700900099"), ==, version >= 3);
        g_assert_cmpuint (block (store, numbers, RELAY_BLOCK_SOURCE_HISTORY, &error), ==, 1);
        g_assert_no_error (error);
        blocked = list_blocked (store);
        g_assert_cmpuint (blocked->len, ==, version >= 3 ? 2 : 1);
      }

      g_assert_finalize_object (g_steal_pointer (&store));
      remove_tree (dir);
    }
}

static void
test_states_strings (void)
{
  for (RelayMessageState s = 0; s <= RELAY_MESSAGE_STATE_LAST; s++)
    {
      RelayMessageState back = RELAY_MESSAGE_STATE_QUEUED;

      g_assert_true (relay_message_state_from_string (relay_message_state_to_string (s), &back));
      g_assert_cmpint (back, ==, s);
    }
  g_assert_cmpstr (relay_message_state_to_string (RELAY_MESSAGE_STATE_NOT_SENT), ==, "not-sent");
  {
    RelayMessageState unused;

    g_assert_false (relay_message_state_from_string ("Sent", &unused));
    g_assert_false (relay_message_state_from_string (NULL, &unused));
  }

  g_assert_false (relay_client_ref_is_valid (""));
  g_assert_false (relay_client_ref_is_valid ("a b"));
  g_assert_false (relay_client_ref_is_valid ("12345678901234567890123456789012345678901"));
  g_assert_true (relay_client_ref_is_valid ("1234567890123456789012345678901234567890"));
}

/* test-store --write-fixture PATH: writes the fixture of the current
 * schema version (see tests/store/README) and exits as a killed sender
 * would: one message sent, one still sending. */
static int
write_fixture (const char *path)
{
  g_autoptr(RelayStore) store = relay_store_new (path);
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_store_message_free);
  g_autoptr(RelayStoreMessage) outcome = NULL;
  g_autoptr(GError) error = NULL;
  RelayStoreMessage *m;

  if (!store_open (store, &error))
    g_error ("%s", error->message);

  m = relay_store_message_new ("api:fixture@127.0.0.1", "Relay", "447700900001", "Fixture message");
  m->encoding = g_strdup ("GSM-7");
  m->parts = 1;
  g_ptr_array_add (messages, m);
  m = relay_store_message_new ("api:fixture@127.0.0.1", "Relay", "447700900002", "Fixture in flight");
  m->encoding = g_strdup ("GSM-7");
  m->parts = 1;
  g_ptr_array_add (messages, m);
  enqueue (store, messages);

  for (guint i = 0; i < 2; i++)
    if (!begin_send (store, ((RelayStoreMessage *) messages->pdata[i])->id, &error))
      g_error ("%s", error->message);

  outcome = relay_store_message_copy (messages->pdata[0]);
  outcome->state = RELAY_MESSAGE_STATE_SENT;
  outcome->message_ids = g_strsplit ("0C000000FIXTURE1", " ", 0);
  outcome->price = g_strdup ("0.03330000");
  outcome->currency = g_strdup ("EUR");
  outcome->network = g_strdup ("23410");
  outcome->status = 0;
  if (!record (store, outcome, &error))
    g_error ("%s", error->message);

  {
    const char * const numbers[] = { "447700900099", NULL };

    if (block (store, numbers, RELAY_BLOCK_SOURCE_HAND, &error) != 1)
      g_error ("%s", error->message);
  }

  return 0;
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && g_str_equal (argv[1], "--write-fixture"))
    return write_fixture (argv[2]);

  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("RELAY_TEST_STORE_PATH") == NULL)
    {
      g_autofree char *dir = g_dir_make_tmp ("relay-store-kill-XXXXXX", NULL);
      g_autofree char *path = g_build_filename (dir, "relay.db", NULL);

      g_setenv ("RELAY_TEST_STORE_PATH", path, TRUE);
    }

  g_test_add_func ("/relay/store/states-strings", test_states_strings);
  g_test_add_func ("/relay/store/default-path", test_default_path);
  g_test_add ("/relay/store/open-creates", Fixture, NULL, fixture_set_up, test_open_creates, fixture_tear_down);
  g_test_add ("/relay/store/enqueue-and-query", Fixture, NULL, fixture_set_up, test_enqueue_and_query, fixture_tear_down);
  g_test_add ("/relay/store/enqueue-is-atomic", Fixture, NULL, fixture_set_up, test_enqueue_is_atomic, fixture_tear_down);
  g_test_add ("/relay/store/states", Fixture, NULL, fixture_set_up, test_states, fixture_tear_down);
  g_test_add ("/relay/store/recovery", Fixture, NULL, fixture_set_up, test_recovery, fixture_tear_down);
  g_test_add_func ("/relay/store/killed-while-sending", test_killed_while_sending);
  g_test_add ("/relay/store/decisions", Fixture, NULL, fixture_set_up, test_decisions, fixture_tear_down);
  g_test_add ("/relay/store/mark-sent", Fixture, NULL, fixture_set_up, test_mark_sent, fixture_tear_down);
  g_test_add ("/relay/store/search-and-filters", Fixture, NULL, fixture_set_up, test_search_and_filters, fixture_tear_down);
  g_test_add ("/relay/store/short-search", Fixture, NULL, fixture_set_up, test_short_search, fixture_tear_down);
  g_test_add ("/relay/store/delete-and-clear", Fixture, NULL, fixture_set_up, test_delete_and_clear, fixture_tear_down);
  g_test_add_func ("/relay/store/corrupt", test_corrupt);
  g_test_add_func ("/relay/store/too-new", test_too_new);
  g_test_add ("/relay/store/full", Fixture, NULL, fixture_set_up, test_full, fixture_tear_down);
  g_test_add ("/relay/store/grouped-writes", Fixture, NULL, fixture_set_up, test_grouped_writes, fixture_tear_down);
  g_test_add ("/relay/store/delivery", Fixture, NULL, fixture_set_up, test_delivery, fixture_tear_down);
  g_test_add ("/relay/store/deferred-search", Fixture, NULL, fixture_set_up, test_deferred_search, fixture_tear_down);
  g_test_add ("/relay/store/blocklist", Fixture, NULL, fixture_set_up, test_blocklist, fixture_tear_down);
  g_test_add_func ("/relay/store/fixtures", test_fixtures);

  return g_test_run ();
}
