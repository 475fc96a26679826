/* relay-store-export.c — history rows as JSON and as CSV
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "relay-store-export.h"
#include "relay-csv.h"
#include "relay-json-guard.h"

/* The fields of a row, in order, for both formats. */
static const char * const fields[] = {
  "id", "account", "from", "to", "text", "encoding", "parts", "client_ref",
  "message_ids", "price", "currency", "network", "status", "error", "state",
  "delivery", "queued_at", "sent_at", "row",
};

JsonNode *
relay_store_message_to_json (const RelayStoreMessage *m)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (m != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, m->id);
  relay_json_add_string (builder, "account", m->account);
  relay_json_add_string (builder, "from", m->sender);
  relay_json_add_string (builder, "to", m->recipient);
  relay_json_add_string (builder, "text", m->text);
  relay_json_add_string (builder, "encoding", m->encoding);
  json_builder_set_member_name (builder, "parts");
  json_builder_add_int_value (builder, m->parts);
  relay_json_add_string (builder, "client_ref", m->client_ref);
  json_builder_set_member_name (builder, "message_ids");
  json_builder_begin_array (builder);
  for (guint i = 0; m->message_ids != NULL && m->message_ids[i] != NULL; i++)
    json_builder_add_string_value (builder, m->message_ids[i]);
  json_builder_end_array (builder);
  relay_json_add_string (builder, "price", m->price);
  relay_json_add_string (builder, "currency", m->currency);
  relay_json_add_string (builder, "network", m->network);
  json_builder_set_member_name (builder, "status");
  if (m->status >= 0)
    json_builder_add_int_value (builder, m->status);
  else
    json_builder_add_null_value (builder);
  relay_json_add_string (builder, "error", m->error);
  relay_json_add_string (builder, "state", relay_message_state_to_string (m->state));
  relay_json_add_string (builder, "delivery", m->delivery);
  relay_json_add_time (builder, "queued_at", m->queued_at);
  relay_json_add_time (builder, "sent_at", m->sent_at);
  json_builder_set_member_name (builder, "row");
  if (m->row > 0)
    json_builder_add_int_value (builder, m->row);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* One field through the one CSV writer (relay-csv.c): quoted where it
 * must be; an empty field is a null. The first field (the id) is never
 * empty. */
static void
csv_field (GString    *out,
           const char *value,
           gboolean    first)
{
  g_assert (!first || (value != NULL && *value != '\0'));

  relay_csv_append_field (out, value, ',');
}

void
relay_store_csv_header (GString *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    csv_field (out, fields[i], i == 0);
  relay_csv_end_row (out);
}

void
relay_store_csv_record (GString                 *out,
                        const RelayStoreMessage *m)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, m->id);
  g_autofree char *parts = g_strdup_printf ("%u", m->parts);
  g_autofree char *ids = m->message_ids != NULL ? g_strjoinv (" ", m->message_ids) : NULL;
  g_autofree char *status = m->status >= 0 ? g_strdup_printf ("%d", m->status) : NULL;
  g_autofree char *queued = relay_json_format_time (m->queued_at);
  g_autofree char *sent = relay_json_format_time (m->sent_at);
  g_autofree char *row = m->row > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, m->row) : NULL;
  const char *values[] = {
    id, m->account, m->sender, m->recipient, m->text, m->encoding, parts, m->client_ref,
    ids, m->price, m->currency, m->network, status, m->error,
    relay_message_state_to_string (m->state), m->delivery, queued, sent, row,
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (values) == G_N_ELEMENTS (fields));

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    csv_field (out, values[i], i == 0);
  relay_csv_end_row (out);
}
