/* relay-sandbox-sig.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sandbox's side of Nexmo's signed SMS requests: `sig` checked with
 * the signature secret of its API key (all five methods), the timestamp
 * within ±5 minutes of its clock, status 14 "Invalid Signature" for
 * either failure and 32 when a request brings both sig and api_secret.
 * Empty values are signed as "&name=", as @vonage/sms verifySignature,
 * PHP and Python do (the Java SDK leaves them out).
 */

#define G_LOG_DOMAIN "Relay"

#include <string.h>

#include "relay-nexmo-sig.h"
#include "relay-oauth1-params.h"
#include "relay-oauth1-signature.h"
#include "relay-sandbox-private.h"

#define STATUS_MISSING_PARAMS       2
#define STATUS_INVALID_CREDENTIALS  4
#define STATUS_INVALID_SIGNATURE   14
#define STATUS_SIG_AND_SECRET      32

/**
 * relay_sandbox_server_set_signature_secret:
 * @secret: (nullable): the signature secret of the sandbox's API key, or
 *   %NULL for none (signed requests are then refused)
 * @method: how it signs
 */
void
relay_sandbox_server_set_signature_secret (RelaySandboxServer  *self,
                                           const char          *secret,
                                           RelayNexmoSigMethod  method)
{
  g_return_if_fail (RELAY_IS_SANDBOX_SERVER (self));
  g_return_if_fail (secret == NULL || (method > RELAY_NEXMO_SIG_NONE && method <= RELAY_NEXMO_SIG_SHA512));

  g_free (self->signature_secret);
  self->signature_secret = g_strdup (secret);
  self->signature_method = secret != NULL ? method : RELAY_NEXMO_SIG_NONE;
}

static gboolean
timestamp_in_window (RelaySandboxServer *self,
                     const char         *timestamp)
{
  gint64 now = relay_clock_get_real_time (self->clock) / G_USEC_PER_SEC;
  gint64 when;

  if (timestamp == NULL || *timestamp == '\0' || strlen (timestamp) > 12 ||
      strspn (timestamp, "0123456789") != strlen (timestamp))
    return FALSE;

  when = g_ascii_strtoll (timestamp, NULL, 10);

  return when >= now - RELAY_NEXMO_SIG_WINDOW && when <= now + RELAY_NEXMO_SIG_WINDOW;
}

/**
 * relay_sandbox_authenticate_signed:
 * @params: the request's parameters, with a `sig`
 * @credential: (out): on success, names the caller for the rate limit
 *   (the same as the API key's unsigned requests)
 * @status: (out): on failure, the SMS status to answer
 * @error_text: (out): on failure, its error-text
 *
 * Returns: %TRUE when the request is signed with the API key's
 *   signature secret and a fresh timestamp
 */
gboolean
relay_sandbox_authenticate_signed (RelaySandboxServer  *self,
                                   GPtrArray           *params,
                                   char               **credential,
                                   int                 *status,
                                   const char         **error_text)
{
  const char *key = relay_params_get (params, "api_key");
  gboolean valid;

  *credential = NULL;

  if (relay_params_get (params, "api_secret") != NULL)
    {
      *status = STATUS_SIG_AND_SECRET;
      *error_text = "Cannot use both sig and api_secret";
      return FALSE;
    }

  if (key == NULL)
    {
      *status = STATUS_MISSING_PARAMS;
      *error_text = "Missing api_key";
      return FALSE;
    }

  if (!relay_constant_time_equal (key, self->api_key))
    {
      *status = STATUS_INVALID_CREDENTIALS;
      *error_text = "Bad Credentials";
      return FALSE;
    }

  /* Both checks always run: the answer does not tell which failed. */
  valid = self->signature_secret != NULL &&
          relay_nexmo_sig_verify (params, self->signature_method, self->signature_secret,
                                  relay_params_get (params, "sig"));
  valid &= timestamp_in_window (self, relay_params_get (params, "timestamp"));
  if (!valid)
    {
      g_debug ("sandbox: signed request refused (signature or timestamp)");
      *status = STATUS_INVALID_SIGNATURE;
      *error_text = "Invalid Signature";
      return FALSE;
    }

  *credential = g_strconcat ("api:", key, NULL);
  return TRUE;
}

/**
 * relay_sandbox_auth_name:
 *
 * Returns: how a request authenticated, for the messages log: "oauth",
 *   "basic", "sig" or "api_secret" (never a secret itself)
 */
const char *
relay_sandbox_auth_name (SoupServerMessage *msg,
                         GPtrArray         *params)
{
  const char *header;

  if (relay_sandbox_has_oauth (msg, params))
    return "oauth";
  if (relay_params_get (params, "sig") != NULL)
    return "sig";
  header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");
  if (header != NULL && g_ascii_strncasecmp (header, "Basic ", 6) == 0)
    return "basic";

  return "api_secret";
}
