/* relay-store-export.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "relay-store-message.h"

G_BEGIN_DECLS

/* "2026-12-01T10:00:01Z", or NULL for 0. */

/* The row as DESIGN.md's history object. */
JsonNode *relay_store_message_to_json (const RelayStoreMessage  *message);

/* RFC 4180: the header line, and one record per message, CRLF-ended,
 * every field quoted where it must be. Same fields and order as JSON. */
void      relay_store_csv_header      (GString                  *out);
void      relay_store_csv_record      (GString                  *out,
                                       const RelayStoreMessage  *message);

G_END_DECLS
