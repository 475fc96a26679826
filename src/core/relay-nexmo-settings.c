/* relay-nexmo-settings.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The account's own limits: `POST {rest-base}/account/settings` with no
 * setting to change answers them, max-outbound-request among them.
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "relay-json-guard.h"
#include "relay-http.h"
#include "relay-nexmo-client.h"
#include "relay-nexmo-settings.h"

static gboolean
malformed (GError     **error,
           const char  *why)
{
  g_set_error (error, RELAY_NEXMO_ERROR, RELAY_NEXMO_ERROR_MALFORMED,
               _("The provider’s account settings could not be read: %s"), why);
  return FALSE;
}

/* A whole number from 0 to RELAY_NEXMO_MAX_ACCOUNT_RATE, as a JSON
 * number or a string of digits; absent or null is 0 when @optional. */
static gboolean
read_rate (JsonObject *object,
           const char *name,
           gboolean    optional,
           guint      *out)
{
  JsonNode *node = json_object_get_member (object, name);
  guint64 value;

  *out = 0;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return optional;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      if (json_node_get_int (node) < 0 || json_node_get_int (node) > RELAY_NEXMO_MAX_ACCOUNT_RATE)
        return FALSE;
      *out = (guint) json_node_get_int (node);
      return TRUE;

    case G_TYPE_STRING:
      if (!g_ascii_isdigit (*json_node_get_string (node)) ||
          !g_ascii_string_to_unsigned (json_node_get_string (node), 10, 0,
                                       RELAY_NEXMO_MAX_ACCOUNT_RATE, &value, NULL))
        return FALSE;
      *out = (guint) value;
      return TRUE;

    default:
      return FALSE;
    }
}

/**
 * relay_nexmo_parse_settings:
 * @json: the answer's body
 * @len: its length, or -1 when nul-terminated
 * @settings: (out): the limits
 *
 * Strict: an object whose max-outbound-request is a whole number from 1
 * to %RELAY_NEXMO_MAX_ACCOUNT_RATE; the other limits, when present,
 * whole numbers too.
 *
 * Returns: %TRUE when @settings was filled
 */
gboolean
relay_nexmo_parse_settings (const char            *json,
                            gssize                 len,
                            RelayAccountSettings  *settings,
                            GError               **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  RelayAccountSettings parsed = { 0, };
  JsonObject *object;

  g_return_val_if_fail (settings != NULL, FALSE);

  if (!(root = relay_json_guard_parse (json, len, &local_error)))
    return malformed (error, local_error->message);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return malformed (error, _("it is not a JSON object."));
  object = json_node_get_object (root);

  if (!read_rate (object, "max-outbound-request", FALSE, &parsed.max_outbound_request) ||
      parsed.max_outbound_request == 0)
    return malformed (error, _("“max-outbound-request” is not a positive whole number."));
  if (!read_rate (object, "max-inbound-request", TRUE, &parsed.max_inbound_request))
    return malformed (error, _("“max-inbound-request” is not a whole number."));
  if (!read_rate (object, "max-calls-per-second", TRUE, &parsed.max_calls_per_second))
    return malformed (error, _("“max-calls-per-second” is not a whole number."));

  *settings = parsed;
  return TRUE;
}

static SoupMessage *
build_settings (gpointer   user_data,
                gint64     clock_offset,
                GError   **error)
{
  RelayAccount *account = user_data;
  g_autofree char *uri = g_strconcat (relay_provider_get_rest_base (relay_account_get_provider (account)),
                                      "/account/settings", NULL);

  return relay_http_message_new_for_account (account, "POST", uri, NULL, error);
}

static void
settings_cb (GObject      *object,
             GAsyncResult *res,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  RelayAccountSettings *settings = g_new0 (RelayAccountSettings, 1);

  body = relay_http_send_signed_finish (SOUP_SESSION (object), res, NULL, &error);
  if (body == NULL ||
      !relay_nexmo_parse_settings (g_bytes_get_data (body, NULL), g_bytes_get_size (body), settings, &error))
    {
      g_free (settings);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, settings, g_free);
}

/**
 * relay_nexmo_settings_fetch_async:
 * @session: the session to send on
 * @account: a complete account
 *
 * Asks the account's limits, authenticated as the account's kind asks
 * (the API secret, or OAuth).
 */
void
relay_nexmo_settings_fetch_async (SoupSession         *session,
                                  RelayAccount        *account,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (RELAY_IS_ACCOUNT (account));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_nexmo_settings_fetch_async);

  relay_http_send_signed_async (session, account, build_settings,
                                g_object_ref (account), g_object_unref,
                                cancellable, settings_cb, g_steal_pointer (&task));
}

gboolean
relay_nexmo_settings_fetch_finish (GAsyncResult          *result,
                                   RelayAccountSettings  *settings,
                                   GError               **error)
{
  g_autofree RelayAccountSettings *value = NULL;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (settings != NULL, FALSE);

  if (!(value = g_task_propagate_pointer (G_TASK (result), error)))
    return FALSE;

  *settings = *value;
  return TRUE;
}
