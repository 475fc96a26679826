/* relay-cli-status.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * relay-cli status MESSAGE-ID [--account ID] [--json]: the delivery
 * status from the Reports API, recorded on the history row.
 */

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "relay-cli.h"
#include "relay-http.h"
#include "relay-nexmo-reports.h"
#include "relay-store.h"

static void
record_in_history (const RelayDeliveryRecord *record)
{
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(GError) error = NULL;
  RelayCliWait wait;
  gint64 id;

  /* The answer stands without a history; only say why it is not kept. */
  if (!(store = relay_cli_try_open_store (&error)))
    {
      relay_cli_fail (0, _("History is off: %s"), error->message);
      return;
    }

  relay_cli_wait_init (&wait);
  relay_store_set_delivery_async (store, record->message_id, record->status, relay_delivery_record_get_time (record),
                                  NULL, relay_cli_wait_cb, &wait);
  id = relay_store_set_delivery_finish (store, relay_cli_wait_run (&wait), &error);
  relay_cli_wait_clear (&wait);
  if (id < 0)
    relay_cli_fail (0, _("The delivery status could not be recorded in the history: %s"), error->message);
}

static void
print_json (const RelayDeliveryRecord *record)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = relay_delivery_record_to_json (record);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
}

static void
print_text (const RelayDeliveryRecord *record)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (relay_delivery_record_get_time (record) / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = g_date_time_to_local (utc);
  g_autofree char *when = g_date_time_format (local, "%Y-%m-%d %H:%M:%S %Z");

  /* TRANSLATORS: message id, delivery status (untranslated, as the
   * provider names it: delivered, failed, …) and the time */
  printf (_("%s: %s at %s\n"), record->message_id, record->status, when);
  if (record->error_code > 0)
    printf (_("Error %d: %s\n"), record->error_code,
            record->error_description != NULL ? record->error_description : _("no description"));
}

int
relay_cli_status (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RelayAccount) account = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(RelayDeliveryRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *account_id = NULL;
  gboolean json = FALSE;
  RelayCliWait wait;
  int status;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account_id, N_("The account that sent it (see “relay-cli accounts”)"), "ID" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the delivery record as JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("MESSAGE-ID — show whether a message was delivered"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Asks Vonage’s Reports API (a paid product) for the delivery status of one message."));
  if ((status = relay_cli_parse (context, &argc, &argv)) != 0)
    return status;

  if (argc < 2)
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, "%s", _("Give the message ID, as “relay-cli history” shows it."));
  if (argc > 2)
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, _("“%s” is not an option of status; give one message ID."), argv[2]);
  if (!relay_nexmo_message_id_is_valid (argv[1]))
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE,
                           _("“%s” is not a message ID: it has letters, digits and dashes only."), argv[1]);

  if (!(account = relay_cli_load_account (account_id, NULL, &error)))
    return relay_cli_fail (RELAY_CLI_EXIT_FAILURE, "%s", error->message);

  session = relay_http_session_new (relay_provider_get_timeout (relay_account_get_provider (account)));
  relay_cli_wait_init (&wait);
  relay_nexmo_reports_fetch_async (session, account, argv[1], NULL, relay_cli_wait_cb, &wait);
  record = relay_nexmo_reports_fetch_finish (relay_cli_wait_run (&wait), &error);
  relay_cli_wait_clear (&wait);
  relay_account_forget_secrets (account);

  if (record == NULL)
    return relay_cli_fail (RELAY_CLI_EXIT_FAILURE, "%s", error->message);

  record_in_history (record);

  if (json)
    print_json (record);
  else
    print_text (record);

  return 0;
}
