/* relay-cli-accounts.c
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
#include "relay-credential-store.h"

static const char *
kind_name (RelayAccount *account)
{
  switch (relay_account_get_kind (account))
    {
    case RELAY_ACCOUNT_OAUTH:
      return "oauth";
    case RELAY_ACCOUNT_SIGNED:
      return "signed";
    case RELAY_ACCOUNT_API_KEY:
    default:
      return "api";
    }
}

static void
print_json (GPtrArray *accounts)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < accounts->len; i++)
    {
      RelayAccount *account = g_ptr_array_index (accounts, i);
      RelayProvider *provider = relay_account_get_provider (account);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, relay_account_get_id (account));
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, kind_name (account));
      if (relay_account_get_kind (account) == RELAY_ACCOUNT_SIGNED)
        {
          json_builder_set_member_name (builder, "signature_method");
          json_builder_add_string_value (builder,
                                         relay_nexmo_sig_method_to_string (relay_account_get_sig_method (account)));
        }
      json_builder_set_member_name (builder, "key");
      json_builder_add_string_value (builder, relay_account_get_key (account));
      json_builder_set_member_name (builder, "oauth_base");
      json_builder_add_string_value (builder, relay_provider_get_oauth_base (provider));
      json_builder_set_member_name (builder, "rest_base");
      json_builder_add_string_value (builder, relay_provider_get_rest_base (provider));
      json_builder_set_member_name (builder, "last_used");
      json_builder_add_int_value (builder, relay_account_get_last_used (account));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
}

/**
 * relay_cli_list_accounts:
 *
 * Returns: (transfer full) (nullable): the stored accounts, most recently
 *   used first, or %NULL after printing why not
 */
GPtrArray *
relay_cli_list_accounts (void)
{
  g_autoptr(GError) error = NULL;
  RelayCliWait wait;
  GPtrArray *accounts;

  relay_cli_wait_init (&wait);
  relay_credential_store_list_async (relay_credential_store_get_default (), NULL, relay_cli_wait_cb, &wait);
  accounts = relay_credential_store_list_finish (relay_cli_wait_run (&wait), &error);
  relay_cli_wait_clear (&wait);

  if (accounts == NULL)
    relay_cli_fail (RELAY_CLI_EXIT_FAILURE, "%s", error->message);

  return accounts;
}

int
relay_cli_accounts (int    argc,
                    char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  gboolean json = FALSE;
  int status;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON array"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— list the signed-in accounts"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("One line per account: its ID, kind and REST base, "
                                           "most recently used first."));
  if ((status = relay_cli_parse (context, &argc, &argv)) != 0)
    return status;

  if (argc != 1)
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, _("“%s” is not an option of accounts."), argv[1]);

  if (!(accounts = relay_cli_list_accounts ()))
    return RELAY_CLI_EXIT_FAILURE;

  if (json)
    {
      print_json (accounts);
      return 0;
    }

  if (accounts->len == 0)
    fprintf (stderr, "%s\n", _("No account is signed in."));

  for (guint i = 0; i < accounts->len; i++)
    {
      RelayAccount *account = g_ptr_array_index (accounts, i);

      printf ("%s\t%s\t%s\n", relay_account_get_id (account),
              kind_name (account),
              relay_provider_get_rest_base (relay_account_get_provider (account)));
    }

  return 0;
}
