/* relay-cli-resume.c — relay-cli resume [--account ID] [--json]
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n.h>
#include <stdio.h>

#include "relay-cli.h"
#include "relay-cli-deliver.h"
#include "relay-nexmo-client.h"
#include "relay-store.h"

int
relay_cli_resume (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(RelayCliDelivery) delivery = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GPtrArray) clients = NULL;
  g_autoptr(GHashTable) by_account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *account_id = NULL;
  gboolean json = FALSE;
  RelayCliWait wait;
  int status;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account_id, N_("Only the messages of this account (see “relay-cli accounts”)"), "ID" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print every recipient’s outcome as JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— send the queued messages"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Sends the messages a stopped send left queued, with the stored "
                                           "credentials of their accounts. Messages that may have been sent "
                                           "are never sent again; “relay-cli outbox” lists them."));
  if ((status = relay_cli_parse (context, &argc, &argv)) != 0)
    return status;
  if (argc > 1)
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, _("“%s” is not an option of resume."), argv[1]);

  if (!(store = relay_cli_open_store ()))
    return RELAY_CLI_EXIT_FAILURE;

  relay_cli_wait_init (&wait);
  relay_store_claim_async (store, account_id, NULL, relay_cli_wait_cb, &wait);
  rows = relay_store_claim_finish (store, relay_cli_wait_run (&wait), &error);
  relay_cli_wait_clear (&wait);
  if (rows == NULL)
    return relay_cli_fail (RELAY_CLI_EXIT_FAILURE, "%s", error->message);

  if (rows->len == 0)
    {
      fprintf (stderr, "%s\n", _("Nothing to resume: no message is waiting to be sent."));
      return 0;
    }

  /* One client per account, in the order their rows were queued. */
  by_account = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  accounts = g_ptr_array_new ();
  for (guint i = 0; i < rows->len; i++)
    {
      RelayStoreMessage *row = rows->pdata[i];
      GPtrArray *group = g_hash_table_lookup (by_account, row->account);

      if (group == NULL)
        {
          group = g_ptr_array_new ();
          g_hash_table_insert (by_account, g_strdup (row->account), group);
          g_ptr_array_add (accounts, row->account);
        }
      g_ptr_array_add (group, row);
    }

  delivery = relay_cli_delivery_new (store, json);
  clients = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < accounts->len; i++)
    {
      GPtrArray *group = g_hash_table_lookup (by_account, accounts->pdata[i]);
      g_autoptr(RelayAccount) account = NULL;
      g_autoptr(GError) load_error = NULL;
      RelayNexmoClient *client;

      /* Left queued: a later resume may have the credentials. */
      if (!(account = relay_cli_load_account (accounts->pdata[i], NULL, &load_error)))
        {
          g_autofree char *why = g_strdup_printf (_("%s The message stays queued."), load_error->message);

          relay_cli_delivery_skip (delivery, group, why);
          continue;
        }

      client = relay_nexmo_client_new (account);
      relay_nexmo_client_set_follow_account_limit (client, TRUE);
      g_ptr_array_add (clients, client);
      relay_cli_delivery_send (delivery, client, group);
    }

  status = relay_cli_delivery_run (delivery);
  for (guint i = 0; i < clients->len; i++)
    relay_account_forget_secrets (relay_nexmo_client_get_account (clients->pdata[i]));

  return status;
}
