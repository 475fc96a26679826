/* relay-cli-balance.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "relay-cli.h"
#include "relay-nexmo-client.h"

int
relay_cli_balance (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RelayAccount) account = NULL;
  g_autoptr(RelayNexmoClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *account_id = NULL;
  g_autofree char *rest_base = NULL;
  gboolean json = FALSE;
  RelayBalance balance = { 0, FALSE };
  RelayCliWait wait;
  gboolean ok;
  int status;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account_id, N_("The account (see “relay-cli accounts”)"), "ID" },
    { "rest-base", 0, 0, G_OPTION_ARG_STRING, &rest_base, N_("REST base URL, instead of the stored one"), "URL" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the parsed answer as JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— show the account balance"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = relay_cli_parse (context, &argc, &argv)) != 0)
    return status;

  if (argc > 1)
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, _("“%s” is not an option of balance."), argv[1]);
  if (!relay_cli_check_rest_base (rest_base, &error))
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, "%s", error->message);

  if (!(account = relay_cli_load_account (account_id, rest_base, &error)))
    return relay_cli_fail (RELAY_CLI_EXIT_FAILURE, "%s", error->message);

  client = relay_nexmo_client_new (account);
  relay_cli_wait_init (&wait);
  relay_nexmo_client_balance_async (client, NULL, relay_cli_wait_cb, &wait);
  ok = relay_nexmo_client_balance_finish (client, relay_cli_wait_run (&wait), &balance, &error);
  relay_cli_wait_clear (&wait);
  relay_account_forget_secrets (account);

  if (!ok)
    return relay_cli_fail (RELAY_CLI_EXIT_FAILURE, "%s", error->message);

  if (json)
    {
      char value[G_ASCII_DTOSTR_BUF_SIZE];

      /* Nexmo's own shape; the number without binary noise (json-glib
       * would print 9.9001 as 9.9001000000000001). */
      printf ("{\"value\":%s,\"autoReload\":%s}\n",
              g_ascii_formatd (value, sizeof value, "%.10g", balance.value),
              balance.auto_reload ? "true" : "false");
    }
  else
    {
      printf (_("Balance: %.2f (automatic reload %s)\n"), balance.value,
              balance.auto_reload ? _("on") : _("off"));
    }

  return 0;
}
