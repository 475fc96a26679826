/* relay-store-schema.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "relay-store-schema.h"

#include "relay-store.h"

/* Each step takes the schema from version N to N + 1 and is never edited
 * once released: a database of any earlier version replays the steps it
 * has not seen. tests/store/ keeps a fixture database of every version. */
static const char * const migrations[] = {
  /* 0 → 1: messages and their full-text index. */
  "CREATE TABLE messages ("
  "  id INTEGER PRIMARY KEY,"
  "  account TEXT NOT NULL CHECK (length (account) > 0),"
  "  sender TEXT,"
  "  recipient TEXT NOT NULL CHECK (length (recipient) > 0),"
  "  body TEXT NOT NULL,"
  "  encoding TEXT CHECK (encoding IN ('GSM-7', 'UCS-2')),"
  "  parts INTEGER NOT NULL DEFAULT 0 CHECK (parts >= 0),"
  "  client_ref TEXT NOT NULL UNIQUE CHECK (length (client_ref) BETWEEN 1 AND 40),"
  "  message_ids TEXT,"
  "  price TEXT,"
  "  currency TEXT,"
  "  network TEXT,"
  "  status INTEGER,"
  "  error TEXT,"
  "  state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed',"
  "                                       'not-sent', 'uncertain')),"
  "  delivery TEXT,"
  "  queued_at INTEGER NOT NULL,"
  "  sent_at INTEGER,"
  "  source_row INTEGER,"
  "  owner TEXT,"
  "  decided INTEGER NOT NULL DEFAULT 0 CHECK (decided IN (0, 1))"
  ");"
  "CREATE INDEX messages_by_account ON messages (account, id);"
  "CREATE INDEX messages_by_state ON messages (state, id);"
  /* What was sent to whom never changes once recorded. */
  "CREATE TRIGGER messages_immutable BEFORE UPDATE OF account, recipient, body, client_ref"
  "  ON messages BEGIN SELECT RAISE (ABORT, 'a recorded message cannot be rewritten'); END;"
  /* Substring search over recipient and text: the trigram tokenizer
   * (SQLite 3.34) finds '7700' inside '447700900001'. */
  "CREATE VIRTUAL TABLE messages_search USING fts5 ("
  "  recipient, body, content = 'messages', content_rowid = 'id', tokenize = 'trigram');"
  "CREATE TRIGGER messages_search_insert AFTER INSERT ON messages BEGIN"
  "  INSERT INTO messages_search (rowid, recipient, body)"
  "    VALUES (new.id, new.recipient, new.body);"
  "END;"
  "CREATE TRIGGER messages_search_delete AFTER DELETE ON messages BEGIN"
  "  INSERT INTO messages_search (messages_search, rowid, recipient, body)"
  "    VALUES ('delete', old.id, old.recipient, old.body);"
  "END;",
  /* 1 → 2: when the delivery status was last learned (Reports API). */
  "ALTER TABLE messages ADD COLUMN delivery_at INTEGER;",
  /* 2 → 3: the do-not-contact list, international digits; and the
   * search index of a large queue built after it is queued: while
   * search_paused has a row, new messages are not indexed; their ids
   * wait in search_backlog for the worker (relay-store-search.c), and
   * until then a deletion leaves the index alone. */
  "CREATE TABLE blocked ("
  "  number TEXT PRIMARY KEY CHECK (length (number) BETWEEN 1 AND 15 AND number NOT GLOB '*[^0-9]*'),"
  "  added_at INTEGER NOT NULL,"
  "  source TEXT NOT NULL CHECK (source IN ('hand', 'import', 'history'))"
  ") WITHOUT ROWID;"
  "CREATE TABLE search_backlog ("
  "  first_id INTEGER NOT NULL,"
  "  last_id INTEGER NOT NULL,"
  "  CHECK (first_id <= last_id)"
  ");"
  "CREATE TABLE search_paused (paused INTEGER);"
  "DROP TRIGGER messages_search_insert;"
  "CREATE TRIGGER messages_search_insert AFTER INSERT ON messages"
  "  WHEN NOT EXISTS (SELECT 1 FROM search_paused) BEGIN"
  "  INSERT INTO messages_search (rowid, recipient, body)"
  "    VALUES (new.id, new.recipient, new.body);"
  "END;"
  "DROP TRIGGER messages_search_delete;"
  "CREATE TRIGGER messages_search_delete AFTER DELETE ON messages"
  "  WHEN NOT EXISTS (SELECT 1 FROM search_backlog WHERE old.id BETWEEN first_id AND last_id) BEGIN"
  "  INSERT INTO messages_search (messages_search, rowid, recipient, body)"
  "    VALUES ('delete', old.id, old.recipient, old.body);"
  "END;",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == RELAY_STORE_SCHEMA_VERSION);

int
relay_store_schema_migrate (sqlite3 *db,
                            int      from_version)
{
  g_assert (from_version >= 0 && from_version <= RELAY_STORE_SCHEMA_VERSION);

  for (int version = from_version; version < RELAY_STORE_SCHEMA_VERSION; version++)
    {
      g_autofree char *set_version = NULL;
      int rc;

      rc = sqlite3_exec (db, migrations[version], NULL, NULL, NULL);
      if (rc != SQLITE_OK)
        return rc;

      /* A PRAGMA takes no bound parameter; the number is our own. */
      set_version = g_strdup_printf ("PRAGMA user_version = %d", version + 1);
      rc = sqlite3_exec (db, set_version, NULL, NULL, NULL);
      if (rc != SQLITE_OK)
        return rc;
    }

  return SQLITE_OK;
}
