/* relay-nexmo-signed.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The SMS requests of an account with a signature secret: api_key,
 * timestamp and sig instead of api_secret (relay-nexmo-sig.c has the
 * recipe), and the clock correction for a provider whose clock differs.
 */

#define G_LOG_DOMAIN "Relay"

#include <string.h>

#include "relay-http.h"
#include "relay-nexmo-signed.h"
#include "relay-oauth1-params.h"
#include "relay-oauth1-uri.h"

/**
 * relay_nexmo_signed_message_new:
 * @account: a complete %RELAY_ACCOUNT_SIGNED account
 * @method: "GET" (parameters in the query) or "POST" (a form body)
 * @uri: the endpoint
 * @params: (element-type RelayParam): the request's parameters, unencoded
 * @timestamp: Unix seconds, corrected by the account's clock offset
 * @error: a #GError
 *
 * Builds a request signed with the signature secret: @params with
 * api_key, timestamp and sig added, never the API secret (neither as a
 * parameter nor as HTTP Basic).
 *
 * Returns: (transfer full) (nullable): the message
 */
SoupMessage *
relay_nexmo_signed_message_new (RelayAccount  *account,
                                const char    *method,
                                const char    *uri,
                                GPtrArray     *params,
                                gint64         timestamp,
                                GError       **error)
{
  g_autoptr(GPtrArray) all = relay_params_new ();
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GUri) guri = NULL;
  g_autofree char *form = NULL;
  g_autofree char *full = NULL;
  gboolean is_get;

  g_return_val_if_fail (RELAY_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (relay_account_get_kind (account) == RELAY_ACCOUNT_SIGNED, NULL);
  g_return_val_if_fail (relay_account_get_signature_secret (account) != NULL, NULL);
  g_return_val_if_fail (method != NULL && uri != NULL, NULL);

  is_get = g_ascii_strcasecmp (method, "GET") == 0;

  for (guint i = 0; params != NULL && i < params->len; i++)
    {
      const RelayParam *param = g_ptr_array_index (params, i);

      relay_params_add (all, param->name, param->value);
    }
  relay_params_add (all, "api_key", relay_account_get_key (account));
  relay_nexmo_sig_sign (all, relay_account_get_sig_method (account),
                        relay_account_get_signature_secret (account), timestamp);

  form = relay_params_to_form (all);
  full = is_get ? g_strconcat (uri, strchr (uri, '?') != NULL ? "&" : "?", form, NULL)
                : g_strdup (uri);
  if (!(guri = g_uri_parse (full, SOUP_HTTP_URI_FLAGS, error)) ||
      !relay_uri_check_secure (guri, error))
    return NULL;

  message = soup_message_new_from_uri (is_get ? "GET" : "POST", guri);
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept",
                                "application/json");
  if (!is_get)
    {
      gsize len = strlen (form);
      g_autoptr(GBytes) body = g_bytes_new_take (g_steal_pointer (&form), len);

      soup_message_set_request_body_from_bytes (message, "application/x-www-form-urlencoded", body);
    }

  return g_steal_pointer (&message);
}

/**
 * relay_nexmo_signed_skew:
 * @account: the account that signed
 * @answer: the message whose answer refused the signature (status 14)
 * @local_now: the clock that signed, Unix seconds, uncorrected
 * @offset: (out): the corrected clock offset
 *
 * Nexmo answers a timestamp outside its window with the same status 14
 * as a wrong signature, so the answer's Date header tells them apart:
 * when it puts the provider's clock at least %RELAY_NEXMO_SIGNED_SKEW
 * seconds from the signing clock, the account's clock is off and one
 * more request with @offset may succeed (nothing was accepted).
 *
 * Returns: %TRUE when the account's clock offset should become @offset
 */
gboolean
relay_nexmo_signed_skew (RelayAccount *account,
                         SoupMessage  *answer,
                         gint64        local_now,
                         gint64       *offset)
{
  const char *date;

  g_return_val_if_fail (RELAY_IS_ACCOUNT (account), FALSE);
  g_return_val_if_fail (offset != NULL, FALSE);

  if (relay_account_get_kind (account) != RELAY_ACCOUNT_SIGNED || answer == NULL)
    return FALSE;

  date = soup_message_headers_get_one (soup_message_get_response_headers (answer), "Date");
  if (!relay_http_clock_offset_for_refusal (local_now, 0, 0, date, offset))
    return FALSE;

  return ABS (*offset - relay_account_get_clock_offset (account)) >= RELAY_NEXMO_SIGNED_SKEW;
}
