/* relay-cli-logout.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "relay-cli.h"
#include "relay-credential-store.h"

/* Picks the account: --account, else the OAuth account of --consumer-key
 * (and --oauth-base), else the only one. Among several, removing one the
 * user did not name would be a guess: ask which, and remove nothing. */
static int
choose (GPtrArray   *accounts,
        const char  *consumer_key,
        const char  *oauth_base,
        const char **id)
{
  g_autoptr(RelayProvider) wanted = NULL;
  guint matches = 0;

  if (consumer_key == NULL)
    {
      if (accounts->len == 0)
        return relay_cli_fail (RELAY_CLI_EXIT_FAILURE, "%s", _("No account is signed in."));
      if (accounts->len > 1)
        {
          g_autoptr(GString) ids = g_string_new (NULL);

          for (guint i = 0; i < accounts->len; i++)
            {
              if (i > 0)
                g_string_append (ids, ", ");
              g_string_append (ids, relay_account_get_id (g_ptr_array_index (accounts, i)));
            }
          /* Translators: %s is the list of account IDs, separated by commas */
          return relay_cli_fail (RELAY_CLI_EXIT_FAILURE,
                                 _("Several accounts are signed in (%s); choose one with --account ID."),
                                 ids->str);
        }

      *id = relay_account_get_id (g_ptr_array_index (accounts, 0));
      return 0;
    }

  if (oauth_base != NULL)
    wanted = relay_provider_new (oauth_base, NULL);

  for (guint i = 0; i < accounts->len; i++)
    {
      RelayAccount *account = g_ptr_array_index (accounts, i);
      RelayProvider *provider = relay_account_get_provider (account);

      if (relay_account_get_kind (account) != RELAY_ACCOUNT_OAUTH ||
          strcmp (relay_account_get_key (account), consumer_key) != 0)
        continue;
      if (wanted != NULL &&
          strcmp (relay_provider_get_oauth_base (provider), relay_provider_get_oauth_base (wanted)) != 0)
        continue;

      if (matches++ == 0)
        *id = relay_account_get_id (account);
    }

  if (matches == 0)
    return relay_cli_fail (RELAY_CLI_EXIT_FAILURE, _("No signed-in account uses the consumer key “%s”."),
                           consumer_key);
  if (matches > 1)
    return relay_cli_fail (RELAY_CLI_EXIT_FAILURE, "%s",
                           _("Several accounts use this consumer key; choose one with --account ID "
                             "(see “relay-cli accounts”)."));

  return 0;
}

int
relay_cli_logout (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *account_id = NULL;
  g_autofree char *oauth_base = NULL;
  g_autofree char *consumer_key = NULL;
  const char *id = NULL;
  RelayCliWait wait;
  gboolean deleted;
  int status;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account_id, N_("The account to sign out of"), "ID" },
    { "oauth-base", 0, 0, G_OPTION_ARG_STRING, &oauth_base, N_("With --consumer-key: its OAuth base"), "URL" },
    { "consumer-key", 0, 0, G_OPTION_ARG_STRING, &consumer_key, N_("The OAuth account of this consumer key"), "K" },
    { NULL }
  };

  context = g_option_context_new (_("— remove an account’s credentials from the keyring"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Without options, signs out of the only account; with "
                                           "several, name one with --account."));
  if ((status = relay_cli_parse (context, &argc, &argv)) != 0)
    return status;

  if (argc != 1)
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, _("“%s” is not an option of logout."), argv[1]);

  if (account_id != NULL && (consumer_key != NULL || oauth_base != NULL))
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, "%s",
                           _("Give either --account ID or --consumer-key K (with --oauth-base URL)."));
  if (oauth_base != NULL && consumer_key == NULL)
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, "%s", _("--oauth-base needs --consumer-key."));
  if (!relay_cli_check_base ("--oauth-base", oauth_base, &error))
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, "%s", error->message);

  if (account_id != NULL)
    {
      id = account_id;
    }
  else
    {
      if (!(accounts = relay_cli_list_accounts ()))
        return RELAY_CLI_EXIT_FAILURE;
      if ((status = choose (accounts, consumer_key, oauth_base, &id)) != 0)
        return status;
    }

  relay_cli_wait_init (&wait);
  relay_credential_store_delete_async (relay_credential_store_get_default (), id, NULL, relay_cli_wait_cb, &wait);
  deleted = relay_credential_store_delete_finish (relay_cli_wait_run (&wait), &error);
  relay_cli_wait_clear (&wait);

  if (!deleted)
    return relay_cli_fail (RELAY_CLI_EXIT_FAILURE, "%s", error->message);

  printf ("Signed out of %s\n", id);

  return 0;
}
