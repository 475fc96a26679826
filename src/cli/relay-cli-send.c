/* relay-cli-send.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n.h>
#include <string.h>

#include "relay-cli.h"
#include "relay-cli-deliver.h"
#include "relay-delivery.h"
#include "relay-nexmo-client.h"
#include "relay-sms-check.h"
#include "relay-store.h"

/* Whether @stray, left over after parsing, is what the shell made of an
 * unquoted "--to +44 7700 900000": digits (maybe with the dashes or dots
 * people write) right after a --to value in @args, the command line as
 * given. */
static gboolean
is_split_number (char       **args,
                 const char  *stray)
{
  gboolean digit = FALSE;

  for (const char *p = stray; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        digit = TRUE;
      else if (*p != '-' && *p != '.')
        return FALSE;
    }
  if (!digit)
    return FALSE;

  for (guint i = 1; args[i] != NULL; i++)
    if (args[i] == stray &&
        (g_str_has_prefix (args[i - 1], "--to=") ||
         (i >= 2 && strcmp (args[i - 2], "--to") == 0)))
      return TRUE;

  return FALSE;
}

int
relay_cli_send (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RelayAccount) account = NULL;
  g_autoptr(RelayNexmoClient) client = NULL;
  g_autoptr(GPtrArray) numbers = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(RelayCliDelivery) delivery = NULL;
  g_autoptr(GHashTable) blocked = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *account_id = NULL;
  g_autofree char *rest_base = NULL;
  g_autofree char *from = NULL;
  g_autofree char *text = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *max_cost = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *template_text = NULL;
  g_autofree char *column = NULL;
  g_autofree char *default_country = NULL;
  g_autofree char **args = NULL;
  g_auto(GStrv) to = NULL;
  gboolean unicode = FALSE;
  gboolean json = FALSE;
  gboolean dry_run = FALSE;
  int rate = -1;
  int status;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account_id, N_("The account to send from (see “relay-cli accounts”)"), "ID" },
    { "rest-base", 0, 0, G_OPTION_ARG_STRING, &rest_base, N_("REST base URL, instead of the stored one"), "URL" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, N_("Sender ID (default “Relay”)"), "F" },
    { "to", 0, 0, G_OPTION_ARG_STRING_ARRAY, &to, N_("Recipient number, international format (repeatable)"), "NUMBER" },
    { "text", 0, 0, G_OPTION_ARG_STRING, &text, N_("The message"), "T" },
    { "unicode", 0, 0, G_OPTION_ARG_NONE, &unicode, N_("Send as Unicode even when GSM-7 would do"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print every recipient’s outcome as JSON"), NULL },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, N_("Print the cost estimate; send and queue nothing"), NULL },
    { "max-cost", 0, 0, G_OPTION_ARG_STRING, &max_cost, N_("Send nothing when the estimate may be above AMOUNT"), "AMOUNT" },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv, N_("Send to every row of a CSV file (header row first)"), "FILE" },
    { "template", 0, 0, G_OPTION_ARG_STRING, &template_text, N_("The message for --csv; {column} is that column of the row"), "T" },
    { "column", 0, 0, G_OPTION_ARG_STRING, &column, N_("The column of --csv that holds the phone numbers (detected when absent)"), "NAME" },
    { "default-country", 0, 0, G_OPTION_ARG_STRING, &default_country, N_("Country calling code for numbers written without one (44)"), "CC" },
    { "rate", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &rate, N_("Requests per second (0: no limit)"), "N" },
    { NULL }
  };

  context = g_option_context_new (_("— send an SMS"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Sends one text to each --to number with the stored credentials."));
  args = g_memdup2 (argv, (argc + 1) * sizeof (char *));
  if ((status = relay_cli_parse (context, &argc, &argv)) != 0)
    return status;

  if (argc > 1 && is_split_number (args, argv[1]))
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE,
                           _("“%s” looks like part of a phone number split by spaces; "
                             "quote the number (--to \"+44 7700 900000\") or remove its spaces."), argv[1]);
  if (argc > 1)
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, _("“%s” is not an option of send; put the message in --text."), argv[1]);
  if (csv != NULL && ((to != NULL && to[0] != NULL) || text != NULL || unicode))
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, _("--csv takes the recipients and --template the message: leave out --to, --text and --unicode."));
  if (csv == NULL && (template_text != NULL || column != NULL || default_country != NULL))
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, _("--template, --column and --default-country go with --csv FILE."));
  /* What a list and single numbers share. */
  if (from != NULL && *from == '\0')
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, _("The sender ID given with --from is empty."));
  if (from != NULL && (problem = relay_sms_check_sender (from)) != NULL)
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, "%s", problem);
  if (rate < -1 || rate > 10000)
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, _("--rate takes a number of requests per second from 0 to 10000."));
  if (!relay_cli_check_rest_base (rest_base, &error))
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, "%s", error->message);
  if (csv != NULL)
    return relay_cli_send_csv (account_id, rest_base, from, csv, template_text, column, default_country,
                               json, dry_run, max_cost, rate);
  if (to == NULL || to[0] == NULL)
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, _("Give at least one recipient with --to NUMBER."));
  if (text == NULL || *text == '\0')
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, _("Give the message with --text T."));
  if (!g_utf8_validate (text, -1, NULL))
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, _("The message is not valid UTF-8 text."));
  if ((problem = relay_sms_check_text (text)) != NULL)
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, "%s", problem);

  numbers = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; to[i] != NULL; i++)
    {
      char *number = relay_nexmo_normalize_number (to[i], &error);

      if (number == NULL)
        return relay_cli_fail (RELAY_CLI_EXIT_USAGE, "%s", error->message);

      /* The same number twice is a slip, not a wish to pay twice. */
      if (g_ptr_array_find_with_equal_func (numbers, number, g_str_equal, NULL))
        g_free (number);
      else
        g_ptr_array_add (numbers, number);
    }

  if (!(account = relay_cli_load_account (account_id, rest_base, &error)))
    return relay_cli_fail (RELAY_CLI_EXIT_FAILURE, "%s", error->message);

  /* The cost is told, or checked, before anything is queued. */
  if (dry_run || max_cost != NULL)
    {
      gboolean proceed;

      status = relay_cli_price_check (account, numbers, text, unicode, json, dry_run, max_cost, &proceed);
      if (!proceed)
        return status;
    }

  /* Every message is a row before anything leaves; without a usable
   * history file, or with "Keep history" off, Relay still sends. */
  if (!relay_cli_keep_history ())
    {
      relay_cli_fail (0, "%s", _("History is off (the “Keep history” preference): these messages are not recorded."));
      blocked = relay_cli_load_blocked ();
    }
  else if (!(store = relay_cli_try_open_store (&error)))
    {
      relay_cli_fail (0, _("History is off: %s"), error->message);
      g_clear_error (&error);
    }

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_store_message_free);
  for (guint i = 0; i < numbers->len; i++)
    g_ptr_array_add (rows, relay_delivery_new_row (relay_account_get_id (account),
                                                   from != NULL ? from : "Relay",
                                                   numbers->pdata[i], text, unicode));

  client = relay_nexmo_client_new (account);
  /* The account's own limit, unless --rate overrides it. */
  relay_nexmo_client_set_follow_account_limit (client, TRUE);
  if (rate >= 0)
    relay_nexmo_client_set_rate (client, (guint) rate);

  delivery = relay_cli_delivery_new (store, json);
  relay_cli_delivery_set_blocked (delivery, blocked);
  relay_cli_delivery_send (delivery, client, rows);
  status = relay_cli_delivery_run (delivery);
  relay_account_forget_secrets (account);

  return status;
}
