/* relay-sandbox-reports.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sandbox's account settings (POST /account/settings) and Reports API
 * (GET /v2/reports/records): every accepted message part has a record
 * that says "accepted", then, once the delivery delay has passed on the
 * sandbox's clock, "delivered" (or what a delivery-* fault named).
 */

#define G_LOG_DOMAIN "Relay"

#include <json-glib/json-glib.h>
#include <string.h>

#include "relay-oauth1-params.h"
#include "relay-oauth1-signature.h"
#include "relay-sandbox-private.h"
#include "relay-json-guard.h"

typedef struct
{
  char   *to;
  char   *client_ref;
  char   *price;
  char   *network;
  char   *outcome;       /* the final status */
  gint64  accepted_at;   /* the clock's monotonic time */
  gint64  received_at;   /* the clock's real time, µs */
} Report;

void
relay_sandbox_report_free (gpointer data)
{
  Report *report = data;

  g_free (report->to);
  g_free (report->client_ref);
  g_free (report->price);
  g_free (report->network);
  g_free (report->outcome);
  g_free (report);
}

/**
 * relay_sandbox_reports_note:
 * @id: the message id of one accepted part
 *
 * Starts the record of one accepted part, with the outcome of the
 * pending delivery-* fault, or "delivered".
 */
void
relay_sandbox_reports_note (RelaySandboxServer *self,
                            const char         *id,
                            const char         *to,
                            const char         *client_ref,
                            const char         *price,
                            const char         *network)
{
  Report *report = g_new0 (Report, 1);

  report->to = g_strdup (to);
  report->client_ref = g_strdup (client_ref);
  report->price = g_strdup (price);
  report->network = g_strdup (network);
  report->outcome = g_strdup (self->delivery_outcome != NULL ? self->delivery_outcome : "delivered");
  report->accepted_at = relay_clock_get_now (self->clock);
  report->received_at = relay_clock_get_real_time (self->clock);
  g_hash_table_replace (self->reports, g_strdup (id), report);
}

static gboolean
is_api_credential (RelaySandboxServer *self,
                   const char         *key,
                   const char         *secret)
{
  /* Both comparisons, always. */
  return key != NULL && secret != NULL &&
         (relay_constant_time_equal (key, self->api_key) &
          relay_constant_time_equal (secret, self->api_secret));
}

static void
reply_unauthorized (SoupServerMessage *msg)
{
  relay_sandbox_reply (msg, SOUP_STATUS_UNAUTHORIZED, "application/json",
                       "{\"error-code\":\"401\",\"error-code-label\":\"authentication failed\"}");
}

void
relay_sandbox_handle_settings (RelaySandboxServer *self,
                               SoupServerMessage  *msg)
{
  g_autoptr(GPtrArray) params = relay_params_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *body = NULL;
  gboolean allowed;

  if (strcmp (soup_server_message_get_method (msg), SOUP_METHOD_POST) != 0)
    {
      relay_sandbox_reply (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "text/plain", "Method Not Allowed\n");
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "POST");
      return;
    }

  if (!relay_sandbox_collect_params (msg, params, &error))
    {
      reply_unauthorized (msg);
      return;
    }

  if (relay_sandbox_has_oauth (msg, params))
    {
      if (!relay_sandbox_verify_or_reply (self, msg, params, TRUE, RELAY_SANDBOX_TOKEN_ACCESS, NULL))
        return;
      allowed = TRUE;
    }
  else if (relay_sandbox_basic_credentials (msg, &key, &secret))
    allowed = is_api_credential (self, key, secret);
  else
    allowed = is_api_credential (self, relay_params_get (params, "api_key"),
                                 relay_params_get (params, "api_secret"));

  if (!allowed)
    {
      reply_unauthorized (msg);
      return;
    }

  /* An unlimited sandbox says what Nexmo says by default. */
  body = g_strdup_printf ("{\"mo-callback-url\":\"\",\"dr-callback-url\":\"\","
                          "\"max-outbound-request\":%u,\"max-inbound-request\":30,"
                          "\"max-calls-per-second\":30}",
                          self->rate_limit > 0 ? self->rate_limit : RELAY_SANDBOX_DEFAULT_RATE_LIMIT);
  relay_sandbox_reply (msg, SOUP_STATUS_OK, "application/json", body);
}

static void
reply_problem_json (SoupServerMessage *msg,
                    guint              status,
                    const char        *title,
                    const char        *detail)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "https://developer.nexmo.com/api-errors#reports");
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, title);
  json_builder_set_member_name (builder, "detail");
  json_builder_add_string_value (builder, detail);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  relay_sandbox_reply (msg, status, "application/json", text);
}

static char *
format_time (gint64 us)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);

  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%S+0000");
}

static void
add_record (RelaySandboxServer *self,
            JsonBuilder        *builder,
            const char         *id,
            Report             *report)
{
  gboolean final = relay_clock_get_now (self->clock) - report->accepted_at >= (gint64) self->delivery_delay * 1000;
  const char *status = final ? report->outcome : "accepted";
  g_autofree char *received = format_time (report->received_at);
  g_autofree char *finalized = final ? format_time (report->received_at + (gint64) self->delivery_delay * 1000) : NULL;
  g_autofree char *latency = final ? g_strdup_printf ("%u", self->delivery_delay) : NULL;
  const char *code = !final ? NULL : strcmp (status, "delivered") == 0 ? "0"
                     : strcmp (status, "expired") == 0 ? "5" : strcmp (status, "rejected") == 0 ? "6" : "1";
  const char *description = !final ? NULL : strcmp (status, "delivered") == 0 ? "Delivered"
                            : strcmp (status, "expired") == 0 ? "Expired"
                            : strcmp (status, "rejected") == 0 ? "Rejected" : "Unknown";

  json_builder_begin_object (builder);
  relay_json_add_string (builder, "account_id", self->api_key);
  relay_json_add_string (builder, "message_id", id);
  relay_json_add_string (builder, "client_ref", report->client_ref);
  relay_json_add_string (builder, "direction", "outbound");
  relay_json_add_string (builder, "from", "Relay");
  relay_json_add_string (builder, "to", report->to);
  relay_json_add_string (builder, "network", report->network);
  relay_json_add_string (builder, "network_name", "Sandbox Mobile");
  relay_json_add_string (builder, "country", "GB");
  relay_json_add_string (builder, "country_name", "United Kingdom");
  relay_json_add_string (builder, "date_received", received);
  relay_json_add_string (builder, "date_finalized", finalized);
  relay_json_add_string (builder, "latency", latency);
  relay_json_add_string (builder, "status", status);
  relay_json_add_string (builder, "error_code", code);
  relay_json_add_string (builder, "error_code_description", description);
  relay_json_add_string (builder, "currency", "EUR");
  relay_json_add_string (builder, "total_price", report->price);
  json_builder_end_object (builder);
}

void
relay_sandbox_handle_reports (RelaySandboxServer *self,
                              SoupServerMessage  *msg)
{
  g_autoptr(GPtrArray) params = relay_params_new ();
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *text = NULL;
  g_autofree char *request_id = NULL;
  const char *id;
  Report *report;

  if (!relay_sandbox_basic_credentials (msg, &key, &secret) || !is_api_credential (self, key, secret))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Basic realm=\"reports\"");
      reply_problem_json (msg, SOUP_STATUS_UNAUTHORIZED, "Unauthorized",
                          "You did not provide correct credentials.");
      return;
    }

  if (!relay_sandbox_collect_params (msg, params, &error))
    {
      reply_problem_json (msg, SOUP_STATUS_BAD_REQUEST, "Bad Request", "The query is not valid.");
      return;
    }
  if (g_strcmp0 (relay_params_get (params, "account_id"), key) != 0)
    {
      reply_problem_json (msg, SOUP_STATUS_FORBIDDEN, "Forbidden",
                          "account_id must be the API key the request authenticates with.");
      return;
    }
  if (g_strcmp0 (relay_params_get (params, "product"), "SMS") != 0 ||
      g_strcmp0 (relay_params_get (params, "direction"), "outbound") != 0)
    {
      reply_problem_json (msg, SOUP_STATUS_BAD_REQUEST, "Bad Request",
                          "The sandbox has records of product SMS, direction outbound only.");
      return;
    }
  if ((id = relay_params_get (params, "id")) == NULL || *id == '\0')
    {
      reply_problem_json (msg, SOUP_STATUS_BAD_REQUEST, "Bad Request",
                          "Give id, or date_start and date_end (the sandbox takes id only).");
      return;
    }

  request_id = relay_oauth1_make_nonce ();
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  relay_json_add_string (builder, "request_id", request_id);
  relay_json_add_string (builder, "request_status", "SUCCESS");
  relay_json_add_string (builder, "product", "SMS");
  relay_json_add_string (builder, "account_id", key);
  relay_json_add_string (builder, "direction", "outbound");
  relay_json_add_string (builder, "id", id);
  json_builder_set_member_name (builder, "include_message");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_set_member_name (builder, "records");
  json_builder_begin_array (builder);
  if ((report = g_hash_table_lookup (self->reports, id)) != NULL)
    add_record (self, builder, id, report);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "items_count");
  json_builder_add_int_value (builder, report != NULL ? 1 : 0);
  json_builder_end_object (builder);

  generator = json_generator_new ();
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  relay_sandbox_reply (msg, SOUP_STATUS_OK, "application/json", text);
}
