/* relay-oauth1-error.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relay-oauth1-error.h"

G_DEFINE_QUARK (relay-oauth1-error-quark, relay_oauth1_error)

static const struct {
  RelayOAuth1Error  code;
  const char       *problem;
  const char       *sentence;
} problems[] = {
  { RELAY_OAUTH1_ERROR_VERSION_REJECTED, "version_rejected",
    N_("The provider does not accept this OAuth version.") },
  { RELAY_OAUTH1_ERROR_PARAMETER_ABSENT, "parameter_absent",
    N_("The provider says a required OAuth parameter is missing.") },
  { RELAY_OAUTH1_ERROR_PARAMETER_REJECTED, "parameter_rejected",
    N_("The provider rejected a parameter of the request.") },
  { RELAY_OAUTH1_ERROR_TIMESTAMP_REFUSED, "timestamp_refused",
    N_("The provider refused the request time; check that this computer’s clock is correct.") },
  { RELAY_OAUTH1_ERROR_NONCE_USED, "nonce_used",
    N_("The provider saw this request before (nonce already used).") },
  { RELAY_OAUTH1_ERROR_SIGNATURE_METHOD_REJECTED, "signature_method_rejected",
    N_("The provider does not accept this signature method; choose another in Preferences.") },
  { RELAY_OAUTH1_ERROR_SIGNATURE_INVALID, "signature_invalid",
    N_("The provider says the request signature is invalid; check the consumer secret.") },
  { RELAY_OAUTH1_ERROR_CONSUMER_KEY_UNKNOWN, "consumer_key_unknown",
    N_("The provider does not know this consumer key.") },
  { RELAY_OAUTH1_ERROR_CONSUMER_KEY_REJECTED, "consumer_key_rejected",
    N_("The provider rejected this consumer key; the app may be disabled.") },
  { RELAY_OAUTH1_ERROR_CONSUMER_KEY_REFUSED, "consumer_key_refused",
    N_("The provider refused this consumer key for now; try again later.") },
  { RELAY_OAUTH1_ERROR_TOKEN_USED, "token_used",
    N_("This token was already used; sign in again.") },
  { RELAY_OAUTH1_ERROR_TOKEN_EXPIRED, "token_expired",
    N_("Your sign-in has expired; sign in again.") },
  { RELAY_OAUTH1_ERROR_TOKEN_REVOKED, "token_revoked",
    N_("Access for Relay was revoked; sign in again.") },
  { RELAY_OAUTH1_ERROR_TOKEN_REJECTED, "token_rejected",
    N_("The provider rejected the token; sign in again.") },
  { RELAY_OAUTH1_ERROR_VERIFIER_INVALID, "verifier_invalid",
    N_("The verification code is not valid; sign in again.") },
  { RELAY_OAUTH1_ERROR_ADDITIONAL_AUTHORIZATION_REQUIRED, "additional_authorization_required",
    N_("The provider needs more authorization for this request; sign in again.") },
  { RELAY_OAUTH1_ERROR_PERMISSION_UNKNOWN, "permission_unknown",
    N_("The provider does not know the permission that was asked for.") },
  { RELAY_OAUTH1_ERROR_PERMISSION_DENIED, "permission_denied",
    N_("The provider denied permission for this request.") },
  { RELAY_OAUTH1_ERROR_USER_REFUSED, "user_refused",
    N_("Authorization was denied in the browser.") },
};

/**
 * relay_oauth1_problem_to_string:
 *
 * Returns: (nullable): the oauth_problem value for @code, or %NULL when
 *   @code is a local error
 */
const char *
relay_oauth1_problem_to_string (RelayOAuth1Error code)
{
  for (guint i = 0; i < G_N_ELEMENTS (problems); i++)
    if (problems[i].code == code)
      return problems[i].problem;

  return NULL;
}

gboolean
relay_oauth1_problem_from_string (const char       *problem,
                                  RelayOAuth1Error *code)
{
  g_return_val_if_fail (problem != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (problems); i++)
    if (strcmp (problems[i].problem, problem) == 0)
      {
        if (code != NULL)
          *code = problems[i].code;
        return TRUE;
      }

  return FALSE;
}

/**
 * relay_oauth1_problem_describe:
 *
 * Returns: a translated sentence for an oauth_problem code
 */
const char *
relay_oauth1_problem_describe (RelayOAuth1Error code)
{
  for (guint i = 0; i < G_N_ELEMENTS (problems); i++)
    if (problems[i].code == code)
      return _(problems[i].sentence);

  return _("The provider rejected the request.");
}
