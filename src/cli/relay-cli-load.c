/* relay-cli-load.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n.h>

#include "relay-cli.h"
#include "relay-credential-store.h"

/**
 * relay_cli_check_rest_base:
 *
 * Returns: %TRUE when @rest_base is %NULL or a usable REST base (https,
 *   or http to a loopback host)
 */
gboolean
relay_cli_check_rest_base (const char  *rest_base,
                           GError     **error)
{
  g_autoptr(RelayProvider) provider = NULL;

  if (rest_base == NULL)
    return TRUE;
  if (!relay_cli_check_base ("--rest-base", rest_base, error))
    return FALSE;

  provider = relay_provider_new (NULL, rest_base);
  return relay_provider_validate (provider, error);
}

/* The stored account, with @rest_base (when given) in place of the stored
 * REST base and every other setting kept. */
static RelayAccount *
with_rest_base (RelayAccount *stored,
                const char   *rest_base)
{
  g_autoptr(RelayProvider) provider = relay_provider_copy (relay_account_get_provider (stored));
  RelayAccount *account;

  relay_provider_set_rest_base (provider, rest_base);

  if (relay_account_get_kind (stored) == RELAY_ACCOUNT_OAUTH)
    {
      account = relay_account_new_oauth (provider, relay_account_get_key (stored));
      relay_account_set_token (account, relay_account_get_token (stored),
                               relay_account_get_token_secret (stored));
    }
  else if (relay_account_get_kind (stored) == RELAY_ACCOUNT_SIGNED)
    {
      account = relay_account_new_signed (provider, relay_account_get_key (stored),
                                          relay_account_get_sig_method (stored));
      relay_account_set_signature_secret (account, relay_account_get_signature_secret (stored));
    }
  else
    {
      account = relay_account_new_api_key (provider, relay_account_get_key (stored));
    }
  relay_account_set_secret (account, relay_account_get_secret (stored));
  relay_account_set_clock_offset (account, relay_account_get_clock_offset (stored));
  relay_account_set_last_used (account, relay_account_get_last_used (stored));

  return account;
}

/**
 * relay_cli_load_account:
 * @account_id: (nullable): the account, or %NULL for the only or last used
 * @rest_base: (nullable): a REST base that overrides the stored one
 * @error: a #GError
 *
 * Loads an account with its secrets from the keyring, waiting with a
 * RelayCliWait.
 *
 * Returns: (transfer full) (nullable): the complete account
 */
RelayAccount *
relay_cli_load_account (const char  *account_id,
                        const char  *rest_base,
                        GError     **error)
{
  g_autoptr(RelayAccount) stored = NULL;
  RelayCliWait wait;

  if (account_id != NULL && *account_id == '\0')
    {
      g_set_error (error, RELAY_CREDENTIAL_ERROR, RELAY_CREDENTIAL_ERROR_NOT_FOUND,
                   _("“--account” needs an account ID; “relay-cli accounts” lists them."));
      return NULL;
    }

  relay_cli_wait_init (&wait);
  relay_credential_store_load_async (relay_credential_store_get_default (), account_id, NULL, relay_cli_wait_cb, &wait);
  stored = relay_credential_store_load_finish (relay_cli_wait_run (&wait), error);
  relay_cli_wait_clear (&wait);

  if (stored == NULL)
    return NULL;

  if (!relay_account_is_complete (stored))
    {
      relay_account_forget_secrets (stored);
      g_set_error (error, RELAY_CREDENTIAL_ERROR, RELAY_CREDENTIAL_ERROR_CORRUPT,
                   _("The stored account lacks its secrets; sign in again with “relay-cli login”."));
      return NULL;
    }

  if (rest_base == NULL)
    return g_steal_pointer (&stored);

  {
    RelayAccount *account = with_rest_base (stored, rest_base);

    relay_account_forget_secrets (stored);
    return account;
  }
}
