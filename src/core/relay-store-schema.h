/* relay-store-schema.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* Brings a database from @from_version to RELAY_STORE_SCHEMA_VERSION,
 * inside the caller's transaction. Returns an SQLite result code. */
int relay_store_schema_migrate (sqlite3 *db,
                                int      from_version);

G_END_DECLS
