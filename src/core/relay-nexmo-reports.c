/* relay-nexmo-reports.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Delivery status through Vonage's Reports API: Nexmo sends receipts
 * only to a public webhook, which a desktop has not, so Relay asks
 * `GET {reports-base}/v2/reports/records?account_id=KEY&product=SMS&
 * direction=outbound&id=MESSAGE_ID` with HTTP Basic (key and secret).
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relay-json-guard.h"
#include "relay-http.h"
#include "relay-nexmo-reports.h"
#include "relay-oauth1-params.h"
#include "relay-oauth1-uri.h"

/* More records than this for one message id is not an answer about it. */
#define MAX_RECORDS 1000
/* Longer strings than this in a record are not the provider's. */
#define MAX_FIELD   1024

G_DEFINE_QUARK (relay-reports-error-quark, relay_reports_error)

static const char * const statuses[] = {
  "accepted", "delivered", "buffered", "expired", "failed", "rejected", "unknown",
};

/**
 * relay_delivery_status_is_valid:
 *
 * Returns: %TRUE when @status is one of the receipt statuses
 */
gboolean
relay_delivery_status_is_valid (const char *status)
{
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    if (g_strcmp0 (status, statuses[i]) == 0)
      return TRUE;

  return FALSE;
}

/**
 * relay_delivery_status_is_final:
 *
 * Returns: %TRUE when @status no longer changes: delivered, expired,
 *   failed or rejected
 */
gboolean
relay_delivery_status_is_final (const char *status)
{
  return g_strcmp0 (status, "delivered") == 0 || g_strcmp0 (status, "expired") == 0 ||
         g_strcmp0 (status, "failed") == 0 || g_strcmp0 (status, "rejected") == 0;
}

/**
 * relay_delivery_record_get_time:
 *
 * Returns: when the record's status was reached (finalized, else
 *   received) or, when it names neither, now: µs since the epoch
 */
gint64
relay_delivery_record_get_time (const RelayDeliveryRecord *record)
{
  g_return_val_if_fail (record != NULL, 0);

  if (record->finalized_at > 0)
    return record->finalized_at;
  if (record->received_at > 0)
    return record->received_at;

  return g_get_real_time ();
}

void
relay_delivery_record_free (RelayDeliveryRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->message_id);
  g_free (record->status);
  g_free (record->error_description);
  g_free (record->to);
  g_free (record->client_ref);
  g_free (record->network);
  g_free (record->price);
  g_free (record->currency);
  g_free (record);
}

RelayDeliveryRecord *
relay_delivery_record_copy (const RelayDeliveryRecord *record)
{
  RelayDeliveryRecord *copy;

  if (record == NULL)
    return NULL;

  copy = g_memdup2 (record, sizeof *record);
  copy->message_id = g_strdup (record->message_id);
  copy->status = g_strdup (record->status);
  copy->error_description = g_strdup (record->error_description);
  copy->to = g_strdup (record->to);
  copy->client_ref = g_strdup (record->client_ref);
  copy->network = g_strdup (record->network);
  copy->price = g_strdup (record->price);
  copy->currency = g_strdup (record->currency);

  return copy;
}

/**
 * relay_delivery_record_to_json:
 *
 * `{"message_id", "status", "to", "client_ref", "network",
 * "received_at", "finalized_at" (ISO 8601 UTC or null), "error_code"
 * (a number or null), "error", "price", "currency"}`, for `relay-cli
 * status --json`.
 *
 * Returns: (transfer full): the object
 */
JsonNode *
relay_delivery_record_to_json (const RelayDeliveryRecord *record)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (record != NULL, NULL);

  json_builder_begin_object (builder);
  relay_json_add_string (builder, "message_id", record->message_id);
  relay_json_add_string (builder, "status", record->status);
  relay_json_add_string (builder, "to", record->to);
  relay_json_add_string (builder, "client_ref", record->client_ref);
  relay_json_add_string (builder, "network", record->network);
  relay_json_add_time (builder, "received_at", record->received_at);
  relay_json_add_time (builder, "finalized_at", record->finalized_at);
  json_builder_set_member_name (builder, "error_code");
  if (record->error_code >= 0)
    json_builder_add_int_value (builder, record->error_code);
  else
    json_builder_add_null_value (builder);
  relay_json_add_string (builder, "error", record->error_description);
  relay_json_add_string (builder, "price", record->price);
  relay_json_add_string (builder, "currency", record->currency);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static gpointer
malformed (GError     **error,
           const char  *why)
{
  g_set_error (error, RELAY_REPORTS_ERROR, RELAY_REPORTS_ERROR_MALFORMED,
               _("The delivery report could not be read: %s"), why);
  return NULL;
}

/* A string member: absent and null give %NULL (and TRUE); anything else
 * than a valid UTF-8 string of at most MAX_FIELD bytes is FALSE. */
static gboolean
read_string (JsonObject  *object,
             const char  *name,
             char       **out)
{
  JsonNode *node = json_object_get_member (object, name);
  const char *text;

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;

  text = json_node_get_string (node);
  if (strlen (text) > MAX_FIELD)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return FALSE;

  *out = g_strdup (text);
  return TRUE;
}

/* "2020-06-04T12:21:35+0000" (with a zone; "Z", "+hh:mm" and "+hhmm"). */
static gboolean
read_time (JsonObject *object,
           const char *name,
           gint64     *out)
{
  g_autofree char *text = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GTimeZone) east = g_time_zone_new_offset (3600);
  g_autoptr(GDateTime) in_utc = NULL;
  g_autoptr(GDateTime) in_east = NULL;

  *out = 0;
  if (!read_string (object, name, &text))
    return FALSE;
  if (text == NULL || *text == '\0')
    return TRUE;

  /* A time without a zone would take the default one: read in two
   * zones, it gives two moments, and is refused. */
  in_utc = g_date_time_new_from_iso8601 (text, utc);
  in_east = g_date_time_new_from_iso8601 (text, east);
  if (in_utc == NULL || in_east == NULL || !g_date_time_equal (in_utc, in_east))
    return FALSE;
  if (g_date_time_to_unix (in_utc) <= 0)
    return FALSE;

  *out = g_date_time_to_unix (in_utc) * G_USEC_PER_SEC;
  return TRUE;
}

/* A number: a JSON integer, or a string of digits; absent or null -1. */
static gboolean
read_code (JsonObject *object,
           const char *name,
           int        *out)
{
  JsonNode *node = json_object_get_member (object, name);
  guint64 value;

  *out = -1;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      if (json_node_get_int (node) < 0 || json_node_get_int (node) > 9999)
        return FALSE;
      *out = (int) json_node_get_int (node);
      return TRUE;
    }
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;
  if (*json_node_get_string (node) == '\0')
    return TRUE;
  if (!g_ascii_isdigit (*json_node_get_string (node)) ||
      !g_ascii_string_to_unsigned (json_node_get_string (node), 10, 0, 9999, &value, NULL))
    return FALSE;

  *out = (int) value;
  return TRUE;
}

/* A decimal price: a string of digits with one optional point, or a JSON
 * number (kept as its shortest decimal). */
static gboolean
read_price (JsonObject  *object,
            const char  *name,
            char       **out)
{
  JsonNode *node = json_object_get_member (object, name);
  const char *text;
  gboolean point = FALSE;

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      if (json_node_get_int (node) < 0)
        return FALSE;
      *out = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      return TRUE;
    }
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];
      double value = json_node_get_double (node);

      /* Eight decimals, as Nexmo writes prices in strings. */
      if (!(value >= 0 && value < 1e9))
        return FALSE;
      *out = g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.8f", value));
      return TRUE;
    }
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;

  text = json_node_get_string (node);
  if (!g_ascii_isdigit (*text) || strlen (text) > 32)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '.' && !point && g_ascii_isdigit (p[1]))
        point = TRUE;
      else if (!g_ascii_isdigit (*p))
        return FALSE;
    }

  *out = g_strdup (text);
  return TRUE;
}

static RelayDeliveryRecord *
parse_record (JsonObject  *object,
              GError     **error)
{
  g_autoptr(RelayDeliveryRecord) record = g_new0 (RelayDeliveryRecord, 1);

  if (!read_string (object, "message_id", &record->message_id) || record->message_id == NULL ||
      *record->message_id == '\0')
    return malformed (error, _("a record has no “message_id”."));
  if (!read_string (object, "status", &record->status) || record->status == NULL)
    return malformed (error, _("a record has no “status”."));
  if (!relay_delivery_status_is_valid (record->status))
    return malformed (error, _("a record’s “status” is none of accepted, delivered, buffered, expired, failed, rejected or unknown."));
  if (!read_time (object, "date_received", &record->received_at))
    return malformed (error, _("a record’s “date_received” is not a time with its zone."));
  if (!read_time (object, "date_finalized", &record->finalized_at))
    return malformed (error, _("a record’s “date_finalized” is not a time with its zone."));
  if (!read_code (object, "error_code", &record->error_code))
    return malformed (error, _("a record’s “error_code” is not a number."));
  if (!read_price (object, "total_price", &record->price))
    return malformed (error, _("a record’s “total_price” is not an amount."));
  if (!read_string (object, "error_code_description", &record->error_description) ||
      !read_string (object, "to", &record->to) ||
      !read_string (object, "client_ref", &record->client_ref) ||
      !read_string (object, "network", &record->network) ||
      !read_string (object, "currency", &record->currency))
    return malformed (error, _("a record has a field that is not text."));

  return g_steal_pointer (&record);
}

/**
 * relay_nexmo_parse_report:
 * @json: the answer's body
 * @len: its length, or -1 when nul-terminated
 * @message_id: the message asked about
 *
 * Strict: an object with a "records" array whose elements are objects;
 * the record of @message_id must have a known status, times with their
 * zone, a numeric error code and text fields that are text. Records of
 * other messages are checked too.
 *
 * Returns: (transfer full) (nullable): the record of @message_id, or
 *   %NULL with %RELAY_REPORTS_ERROR_NOT_FOUND when there is none yet
 */
RelayDeliveryRecord *
relay_nexmo_parse_report (const char  *json,
                          gssize       len,
                          const char  *message_id,
                          GError     **error)
{
  g_autoptr(RelayDeliveryRecord) found = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonNode *records;
  JsonArray *array;

  g_return_val_if_fail (message_id != NULL, NULL);

  if (!(root = relay_json_guard_parse (json, len, &local_error)))
    return malformed (error, local_error->message);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return malformed (error, _("it is not a JSON object."));

  records = json_object_get_member (json_node_get_object (root), "records");
  if (records == NULL || !JSON_NODE_HOLDS_ARRAY (records))
    return malformed (error, _("it has no “records” list."));

  array = json_node_get_array (records);
  if (json_array_get_length (array) > MAX_RECORDS)
    return malformed (error, _("it has too many records."));

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autoptr(RelayDeliveryRecord) record = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return malformed (error, _("a record is not an object."));
      if (!(record = parse_record (json_node_get_object (node), error)))
        return NULL;
      if (found == NULL && g_ascii_strcasecmp (record->message_id, message_id) == 0)
        found = g_steal_pointer (&record);
    }

  if (found == NULL)
    {
      g_set_error (error, RELAY_REPORTS_ERROR, RELAY_REPORTS_ERROR_NOT_FOUND,
                   _("The provider has no delivery record of message %s yet."), message_id);
      return NULL;
    }

  return g_steal_pointer (&found);
}

/**
 * relay_nexmo_message_id_is_valid:
 *
 * Returns: %TRUE when @message_id looks like a Nexmo message ID: 1 to 64
 *   letters, digits and dashes
 */
gboolean
relay_nexmo_message_id_is_valid (const char *message_id)
{
  gsize len = message_id != NULL ? strlen (message_id) : 0;

  if (len == 0 || len > 64)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (message_id[i]) && message_id[i] != '-')
      return FALSE;

  return TRUE;
}

/**
 * relay_nexmo_reports_uri:
 *
 * Returns: (transfer full): the records URL for @message_id of
 *   @account, under its provider's reports base
 */
char *
relay_nexmo_reports_uri (RelayAccount *account,
                         const char   *message_id)
{
  g_autoptr(GPtrArray) params = relay_params_new ();
  g_autofree char *query = NULL;

  g_return_val_if_fail (RELAY_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (message_id != NULL, NULL);

  relay_params_add (params, "account_id", relay_account_get_key (account));
  relay_params_add (params, "product", "SMS");
  relay_params_add (params, "direction", "outbound");
  relay_params_add (params, "id", message_id);
  query = relay_params_to_form (params);

  return g_strconcat (relay_provider_get_reports_base (relay_account_get_provider (account)),
                      "/v2/reports/records?", query, NULL);
}

static SoupMessage *
new_message (RelayAccount  *account,
             const char    *message_id,
             GError       **error)
{
  g_autofree char *uri = relay_nexmo_reports_uri (account, message_id);
  g_autofree char *pair = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *header = NULL;
  g_autoptr(GUri) guri = NULL;
  SoupMessage *message;

  if (!(guri = relay_oauth1_parse_uri (uri, error)) || !relay_uri_check_secure (guri, error))
    return NULL;

  message = soup_message_new_from_uri ("GET", guri);
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", "application/json");

  pair = g_strconcat (relay_account_get_key (account), ":", relay_account_get_secret (account), NULL);
  encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
  header = g_strconcat ("Basic ", encoded, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", header);
  explicit_bzero (pair, strlen (pair));
  explicit_bzero (encoded, strlen (encoded));
  explicit_bzero (header, strlen (header));

  return message;
}

static void
fetch_cb (GObject      *object,
          GAsyncResult *res,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  RelayDeliveryRecord *record;

  body = relay_http_send_finish (SOUP_SESSION (object), res, &error);
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  record = relay_nexmo_parse_report (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                     g_task_get_task_data (task), &error);
  if (record == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, record, (GDestroyNotify) relay_delivery_record_free);
}

/**
 * relay_nexmo_reports_fetch_async:
 * @session: the session to send on
 * @account: a complete account with an API key and secret
 * @message_id: the message (its first part's id)
 *
 * Asks the Reports API for the delivery record of @message_id. Accounts
 * signed in with OAuth have no API secret to ask with: they fail with
 * %RELAY_REPORTS_ERROR_UNSUPPORTED.
 */
void
relay_nexmo_reports_fetch_async (SoupSession         *session,
                                 RelayAccount        *account,
                                 const char          *message_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (RELAY_IS_ACCOUNT (account));
  g_return_if_fail (message_id != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_nexmo_reports_fetch_async);
  g_task_set_task_data (task, g_strdup (message_id), g_free);

  if (relay_account_get_kind (account) == RELAY_ACCOUNT_OAUTH || relay_account_get_secret (account) == NULL)
    {
      g_task_return_new_error (task, RELAY_REPORTS_ERROR, RELAY_REPORTS_ERROR_UNSUPPORTED,
                               _("Delivery status needs an account signed in with an API key and secret."));
      return;
    }
  if (!relay_nexmo_message_id_is_valid (message_id))
    {
      g_task_return_new_error (task, RELAY_REPORTS_ERROR, RELAY_REPORTS_ERROR_NOT_FOUND,
                               _("“%s” is not a message ID."), message_id);
      return;
    }

  if (!(message = new_message (account, message_id, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  relay_http_send_async (session, message, cancellable, fetch_cb, g_steal_pointer (&task));
}

/**
 * relay_nexmo_reports_fetch_finish:
 *
 * Returns: (transfer full) (nullable): the record
 */
RelayDeliveryRecord *
relay_nexmo_reports_fetch_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
