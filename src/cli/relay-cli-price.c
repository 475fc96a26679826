/* relay-cli-price.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * relay-cli price, and the estimate behind send --dry-run and --max-cost.
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "relay-cli.h"
#include "relay-nexmo-client.h"
#include "relay-price-estimate.h"
#include "relay-pricing.h"
#include "relay-sms-check.h"

/* Error messages from GIO end without a full stop; a sentence follows. */
static char *
sentence (const char *message)
{
  gsize len = strlen (message);

  if (len > 0 && (message[len - 1] == '.' || message[len - 1] == '?' || message[len - 1] == '!'))
    return g_strdup (message);

  return g_strconcat (message, ".", NULL);
}

static char *
describe_age (gint64 age_s)
{
  if (age_s < 60 * 60)
    return g_strdup_printf (ngettext ("%d minute old", "%d minutes old", (gulong) (age_s / 60)),
                            (int) (age_s / 60));
  if (age_s < 48 * 60 * 60)
    return g_strdup_printf (ngettext ("%d hour old", "%d hours old", (gulong) (age_s / 3600)),
                            (int) (age_s / 3600));

  return g_strdup_printf (ngettext ("%d day old", "%d days old", (gulong) (age_s / 86400)),
                          (int) (age_s / 86400));
}

static void
print_text (const RelayPriceEstimate *estimate,
            RelayAmount               balance,
            gint64                    age_s)
{
  const char *currency = relay_price_list_get_currency (estimate->list);
  g_autofree char *age = describe_age (age_s);

  for (guint i = 0; i < estimate->lines->len; i++)
    {
      const RelayPriceLine *line = &g_array_index (estimate->lines, RelayPriceLine, i);
      g_autofree char *span = NULL;

      if (line->min < 0)
        {
          if (line->country != NULL)
            printf (_("%s: %s, no price known for this country\n"), line->to, line->country);
          else
            printf (_("%s: country not in the price list, no price known\n"), line->to);
          continue;
        }

      span = relay_amount_format_span (line->min, line->max, currency, FALSE);
      if (line->network != NULL)
        printf (ngettext ("%s: %s, network %s, %u part, %s\n", "%s: %s, network %s, %u parts, %s\n",
                          line->parts),
                line->to, line->country, line->network, line->parts, span);
      else
        printf (ngettext ("%s: %s, %u part, %s\n", "%s: %s, %u parts, %s\n", line->parts),
                line->to, line->country, line->parts, span);
    }

  if (estimate->n_unknown == 0)
    {
      g_autofree char *span = relay_amount_format_span (estimate->min, estimate->max, currency, FALSE);

      printf (ngettext ("Estimate: %s for %u recipient\n", "Estimate: %s for %u recipients\n",
                        estimate->n_recipients),
              span, estimate->n_recipients);
    }
  else
    {
      g_autofree char *known = relay_amount_format (estimate->min);

      printf (ngettext ("Estimate: unknown; at least %s %s, and %u recipient has no known price\n",
                        "Estimate: unknown; at least %s %s, and %u recipients have no known price\n",
                        estimate->n_unknown),
              known, currency, estimate->n_unknown);
    }

  if (balance >= 0)
    {
      g_autofree char *text = relay_amount_format (balance);

      printf (_("Balance: %s %s\n"), text, currency);
    }
  printf (_("Price list: %s\n"), age);
}

/**
 * relay_cli_price_list:
 * @balance: (out): the balance, -1 when unknown
 * @age_s: (out): the list's age
 *
 * Returns: (transfer full) (nullable): the account's price list
 */
RelayPriceList *
relay_cli_price_list (RelayAccount  *account,
                      RelayAmount   *balance,
                      gint64        *age_s,
                      GError       **error)
{
  g_autoptr(RelayPricing) pricing = relay_pricing_new (account);
  g_autoptr(RelayNexmoClient) client = relay_nexmo_client_new (account);
  g_autoptr(RelayPriceList) list = NULL;
  g_autoptr(GError) balance_error = NULL;
  RelayBalance value = { 0, FALSE };
  RelayCliWait wait;
  gboolean ok;

  relay_cli_wait_init (&wait);
  relay_pricing_get_list_async (pricing, NULL, relay_cli_wait_cb, &wait);
  list = relay_pricing_get_list_finish (pricing, relay_cli_wait_run (&wait), error);
  relay_cli_wait_clear (&wait);
  if (list == NULL)
    return NULL;
  *age_s = relay_pricing_get_age (pricing);

  relay_cli_wait_init (&wait);
  relay_nexmo_client_balance_async (client, NULL, relay_cli_wait_cb, &wait);
  ok = relay_nexmo_client_balance_finish (client, relay_cli_wait_run (&wait), &value, &balance_error);
  relay_cli_wait_clear (&wait);
  if (!ok)
    g_debug ("No balance for the estimate: %s", balance_error->message);
  *balance = ok ? relay_amount_from_double (value.value) : -1;

  return g_steal_pointer (&list);
}

static RelayPriceEstimate *
estimate (RelayAccount  *account,
          GPtrArray     *numbers,
          const char    *text,
          gboolean       unicode,
          RelayAmount   *balance,
          gint64        *age_s,
          GError       **error)
{
  g_autoptr(RelayPriceList) list = relay_cli_price_list (account, balance, age_s, error);

  if (list == NULL)
    return NULL;

  return relay_price_estimate_new (list, (const char *const *) numbers->pdata, numbers->len,
                                   relay_price_parts_for_text (text, unicode), TRUE);
}

/* @rows: (nullable): the CSV line of each recipient, for "row" */
static void
print_estimate (const RelayPriceEstimate *estimate,
                const guint              *rows,
                RelayAmount               balance,
                gint64                    age_s,
                gboolean                  json)
{
  if (json)
    {
      g_autoptr(JsonNode) root = relay_price_estimate_to_json (estimate, balance, age_s);
      g_autofree char *text = NULL;

      if (rows != NULL)
        {
          JsonArray *recipients = json_object_get_array_member (json_node_get_object (root), "recipients");

          for (guint i = 0; recipients != NULL && i < json_array_get_length (recipients); i++)
            json_object_set_int_member (json_array_get_object_element (recipients, i), "row", rows[i]);
        }
      text = json_to_string (root, FALSE);

      printf ("%s\n", text);
    }
  else
    print_text (estimate, balance, age_s);
}

/**
 * relay_cli_price_check:
 * @numbers: the normalized recipients
 * @dry_run: print the estimate and stop
 * @max_cost: (nullable): refuse when the estimate may pass it
 * @proceed: (out): whether the send may go on
 *
 * For send --dry-run and --max-cost.
 *
 * Returns: the exit status when it must not go on
 */
int
relay_cli_price_check (RelayAccount *account,
                       GPtrArray    *numbers,
                       const char   *text,
                       gboolean      unicode,
                       gboolean      json,
                       gboolean      dry_run,
                       const char   *max_cost,
                       gboolean     *proceed)
{
  g_autoptr(RelayPriceEstimate) result = NULL;
  g_autoptr(GError) error = NULL;
  RelayAmount balance = -1;
  gint64 age_s = 0;

  *proceed = FALSE;
  if (max_cost != NULL && !relay_amount_parse (max_cost, &(RelayAmount) { 0 }))
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE,
                           _("--max-cost takes an amount such as 1.50, not “%s”."), max_cost);

  if (!(result = estimate (account, numbers, text, unicode, &balance, &age_s, &error)))
    {
      g_autofree char *reason = sentence (error->message);

      return relay_cli_fail (RELAY_CLI_EXIT_FAILURE, _("Could not estimate the cost: %s Nothing was sent."),
                             reason);
    }

  return relay_cli_price_decide (result, NULL, balance, age_s, json, dry_run, max_cost, proceed);
}

/**
 * relay_cli_price_decide:
 * @rows: (nullable): the CSV line of each recipient of @result
 *
 * The end of send --dry-run and --max-cost, once @result is known.
 */
int
relay_cli_price_decide (const RelayPriceEstimate *result,
                        const guint              *rows,
                        RelayAmount               balance,
                        gint64                    age_s,
                        gboolean                  json,
                        gboolean                  dry_run,
                        const char               *max_cost,
                        gboolean                 *proceed)
{
  RelayAmount limit = -1;

  *proceed = FALSE;
  if (max_cost != NULL && !relay_amount_parse (max_cost, &limit))
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE,
                           _("--max-cost takes an amount such as 1.50, not “%s”."), max_cost);

  if (dry_run)
    {
      print_estimate (result, rows, balance, age_s, json);
      return 0;
    }

  if (result->n_unknown > 0)
    return relay_cli_fail (RELAY_CLI_EXIT_FAILURE,
                           ngettext ("The price of %u recipient is not known, so the cost may be above --max-cost; nothing was sent.",
                                     "The price of %u recipients is not known, so the cost may be above --max-cost; nothing was sent.",
                                     result->n_unknown),
                           result->n_unknown);

  if (result->max > limit)
    {
      g_autofree char *high = relay_amount_format (result->max);
      g_autofree char *cap = relay_amount_format (limit);
      const char *currency = relay_price_list_get_currency (result->list);

      return relay_cli_fail (RELAY_CLI_EXIT_FAILURE,
                             _("The estimate is up to %s %s, above --max-cost %s %s; nothing was sent."),
                             high, currency, cap, currency);
    }

  *proceed = TRUE;
  return 0;
}

/**
 * relay_cli_normalize_numbers:
 *
 * Returns: (transfer full) (nullable): the numbers in E.164 digits, each
 *   once
 */
GPtrArray *
relay_cli_normalize_numbers (char    **to,
                             GError  **error)
{
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; to[i] != NULL; i++)
    {
      char *number = relay_nexmo_normalize_number (to[i], error);

      if (number == NULL)
        return NULL;

      /* The same number twice is a slip, not a wish to pay twice. */
      if (g_ptr_array_find_with_equal_func (numbers, number, g_str_equal, NULL))
        g_free (number);
      else
        g_ptr_array_add (numbers, number);
    }

  return g_steal_pointer (&numbers);
}

int
relay_cli_price (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RelayAccount) account = NULL;
  g_autoptr(GPtrArray) numbers = NULL;
  g_autoptr(RelayPriceEstimate) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *account_id = NULL;
  g_autofree char *rest_base = NULL;
  g_autofree char *text = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *template_text = NULL;
  g_autofree char *column = NULL;
  g_autofree char *default_country = NULL;
  g_auto(GStrv) to = NULL;
  gboolean unicode = FALSE;
  gboolean json = FALSE;
  RelayAmount balance = -1;
  gint64 age_s = 0;
  int status;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account_id, N_("The account (see “relay-cli accounts”)"), "ID" },
    { "rest-base", 0, 0, G_OPTION_ARG_STRING, &rest_base, N_("REST base URL, instead of the stored one"), "URL" },
    { "to", 0, 0, G_OPTION_ARG_STRING_ARRAY, &to, N_("Recipient number, international format (repeatable)"), "NUMBER" },
    { "text", 0, 0, G_OPTION_ARG_STRING, &text, N_("The message"), "T" },
    { "unicode", 0, 0, G_OPTION_ARG_NONE, &unicode, N_("Send as Unicode even when GSM-7 would do"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the estimate as JSON"), NULL },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv, N_("Send to every row of a CSV file (header row first)"), "FILE" },
    { "template", 0, 0, G_OPTION_ARG_STRING, &template_text, N_("The message for --csv; {column} is that column of the row"), "T" },
    { "column", 0, 0, G_OPTION_ARG_STRING, &column, N_("The column of --csv that holds the phone numbers (detected when absent)"), "NAME" },
    { "default-country", 0, 0, G_OPTION_ARG_STRING, &default_country, N_("Country calling code for numbers written without one (44)"), "CC" },
    { NULL }
  };

  context = g_option_context_new (_("— estimate what sending would cost"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Estimates the cost of sending --text to each --to number from the "
                                  "account’s price list; sends nothing."));
  if ((status = relay_cli_parse (context, &argc, &argv)) != 0)
    return status;

  if (argc > 1)
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, _("“%s” is not an option of price."), argv[1]);
  if (csv != NULL && ((to != NULL && to[0] != NULL) || text != NULL || unicode))
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, _("--csv takes the recipients and --template the message: leave out --to, --text and --unicode."));
  if (csv == NULL && (template_text != NULL || column != NULL || default_country != NULL))
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, _("--template, --column and --default-country go with --csv FILE."));
  if (csv != NULL)
    return relay_cli_price_csv (account_id, rest_base, csv, template_text, column, default_country, json);
  if (to == NULL || to[0] == NULL)
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, _("Give at least one recipient with --to NUMBER."));
  if (text == NULL || *text == '\0')
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, _("Give the message with --text T."));
  if (!g_utf8_validate (text, -1, NULL))
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, _("The message is not valid UTF-8 text."));
  if ((problem = relay_sms_check_text (text)) != NULL)
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, "%s", problem);
  if (!relay_cli_check_rest_base (rest_base, &error))
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, "%s", error->message);
  if (!(numbers = relay_cli_normalize_numbers (to, &error)))
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, "%s", error->message);

  if (!(account = relay_cli_load_account (account_id, rest_base, &error)))
    return relay_cli_fail (RELAY_CLI_EXIT_FAILURE, "%s", error->message);

  result = estimate (account, numbers, text, unicode, &balance, &age_s, &error);
  relay_account_forget_secrets (account);
  if (result == NULL)
    return relay_cli_fail (RELAY_CLI_EXIT_FAILURE, _("Could not estimate the cost: %s"), error->message);

  print_estimate (result, NULL, balance, age_s, json);
  return 0;
}
