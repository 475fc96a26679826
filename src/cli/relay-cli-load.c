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

typedef struct
{
  GMainLoop    *loop;
  RelayAccount *account;
  GError       *error;
} LoadData;

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  LoadData *data = user_data;

  data->account = relay_credential_store_load_finish (result, &data->error);
  g_main_loop_quit (data->loop);
}

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

  provider = relay_provider_new (NULL, rest_base);
  return relay_provider_validate (provider, error);
}

/* The stored account, with @rest_base (when given) in place of the stored
 * REST base and every other setting kept. */
static RelayAccount *
with_rest_base (RelayAccount *stored,
                const char   *rest_base)
{
  RelayProvider *old = relay_account_get_provider (stored);
  g_autoptr(RelayProvider) provider = relay_provider_new (relay_provider_get_oauth_base (old), rest_base);
  RelayAccount *account;

  relay_provider_set_token_method (provider, relay_provider_get_token_method (old));
  relay_provider_set_sms_method (provider, relay_provider_get_sms_method (old));
  relay_provider_set_signature_method (provider, relay_provider_get_signature_method (old));
  relay_provider_set_authorization_mode (provider, relay_provider_get_authorization_mode (old));
  relay_provider_set_timeout (provider, relay_provider_get_timeout (old));
  relay_provider_set_use_authenticate (provider, relay_provider_get_use_authenticate (old));
  relay_provider_set_basic_auth (provider, relay_provider_get_basic_auth (old));

  if (relay_account_get_kind (stored) == RELAY_ACCOUNT_OAUTH)
    {
      account = relay_account_new_oauth (provider, relay_account_get_key (stored));
      relay_account_set_token (account, relay_account_get_token (stored),
                               relay_account_get_token_secret (stored));
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
 * Loads an account with its secrets from the keyring, waiting in a main
 * loop.
 *
 * Returns: (transfer full) (nullable): the complete account
 */
RelayAccount *
relay_cli_load_account (const char  *account_id,
                        const char  *rest_base,
                        GError     **error)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(RelayAccount) stored = NULL;
  LoadData data = { loop, NULL, NULL };

  if (account_id != NULL && *account_id == '\0')
    {
      g_set_error (error, RELAY_CREDENTIAL_ERROR, RELAY_CREDENTIAL_ERROR_NOT_FOUND,
                   _("“--account” needs an account ID; “relay-cli accounts” lists them."));
      return NULL;
    }

  relay_credential_store_load_async (account_id, NULL, load_cb, &data);
  g_main_loop_run (loop);

  if (data.account == NULL)
    {
      g_propagate_error (error, data.error);
      return NULL;
    }
  stored = data.account;

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
