/* relay-cli-bulk.c — send and price --csv FILE --template T
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n.h>
#include <stdio.h>

#include "relay-bulk-estimate.h"
#include "relay-cli.h"
#include "relay-cli-deliver.h"
#include "relay-delivery.h"
#include "relay-nexmo-client.h"
#include "relay-phone.h"
#include "relay-price-estimate.h"
#include "relay-recipient-import.h"
#include "relay-sms-check.h"
#include "relay-store.h"
#include "relay-store-blocklist.h"
#include "relay-template.h"

/* A list's rows: those to send and those skipped, both as history rows
 * (the skipped ones not-sent with the reason, never queued). */
typedef struct
{
  GPtrArray *send;     /* RelayStoreMessage */
  GPtrArray *skipped;  /* RelayStoreMessage, by line */
} Bulk;

static void
bulk_clear (Bulk *bulk)
{
  g_clear_pointer (&bulk->send, g_ptr_array_unref);
  g_clear_pointer (&bulk->skipped, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Bulk, bulk_clear)

static gboolean
is_blocked (const char *number,
            gpointer    data)
{
  return data != NULL && g_hash_table_contains (data, number);
}

static void
add_skipped (Bulk       *bulk,
             const char *account_id,
             const char *from,
             const char *to,
             const char *text,
             guint       line,
             char       *why)
{
  RelayStoreMessage *row = relay_store_message_new (account_id, from, to != NULL ? to : "", text != NULL ? text : "");

  row->state = RELAY_MESSAGE_STATE_NOT_SENT;
  row->error = why;
  row->row = line;
  g_ptr_array_add (bulk->skipped, row);
}

static int
compare_line (gconstpointer a,
              gconstpointer b)
{
  const RelayStoreMessage *ra = *(RelayStoreMessage * const *) a;
  const RelayStoreMessage *rb = *(RelayStoreMessage * const *) b;

  return (ra->row > rb->row) - (ra->row < rb->row);
}

/* Reads @path and expands @template_text for each row; returns the exit
 * status of a failure (said on stderr), 0 when @bulk is filled. */
static int
read_list (const char  *account_id,
           const char  *from,
           const char  *path,
           const char  *template_text,
           const char  *column,
           const char  *default_country,
           GHashTable  *blocked,
           Bulk        *bulk)
{
  g_autoptr(RelayTemplate) template = NULL;
  g_autoptr(RelayImport) import = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_auto(GStrv) unknown = NULL;
  RelayImportOptions options = { 0 };
  gsize length;

  if (!(template = relay_template_parse (template_text, &error)))
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, _("The template given with --template is not valid: %s"), error->message);

  if (!g_file_get_contents (path, &data, &length, &error))
    return relay_cli_fail (RELAY_CLI_EXIT_FAILURE, "%s", error->message);

  options.default_country = default_country;
  options.phone_column = column;
  options.is_blocked = is_blocked;
  options.is_blocked_data = blocked;
  if (!(import = relay_import_new_from_csv (data, length, &options, &error)))
    return relay_cli_fail (RELAY_CLI_EXIT_FAILURE, _("%s cannot be read as a list of recipients: %s"), path, error->message);

  /* A placeholder naming no column is a mistake in every row. */
  unknown = relay_template_check_columns (template, import);
  if (unknown != NULL && unknown[0] != NULL)
    {
      g_autofree char *names = g_strjoinv ("}, {", unknown);

      return relay_cli_fail (RELAY_CLI_EXIT_FAILURE,
                             _("The template names {%s}, which is not a column of %s; nothing was queued."),
                             names, path);
    }

  bulk->send = g_ptr_array_new_full (relay_import_get_n_rows (import), (GDestroyNotify) relay_store_message_free);
  bulk->skipped = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_store_message_free);

  for (guint i = 0; i < relay_import_get_n_skipped (import); i++)
    {
      const RelayImportSkipped *skipped = relay_import_get_skipped (import, i);
      g_autofree char *reason = relay_import_skipped_to_string (skipped);
      char *why;

      if (skipped->reason == RELAY_IMPORT_SKIP_INVALID)
        why = g_strdup_printf (_("“%s” is not a phone number: %s"), skipped->cell, reason);
      else
        why = g_steal_pointer (&reason);
      add_skipped (bulk, account_id, from, skipped->number != NULL ? skipped->number : skipped->cell,
                   NULL, skipped->line, why);
    }

  for (guint i = 0; i < relay_import_get_n_rows (import); i++)
    {
      RelayTemplateProblem problem = { 0 };
      g_autofree char *text = relay_template_expand (template, import, i, &problem);
      const char *number = relay_import_get_number (import, i);
      guint line = relay_import_get_line (import, i);
      g_autofree char *bad_text = NULL;
      RelayStoreMessage *row;

      if (problem.kind == RELAY_TEMPLATE_PROBLEM_EMPTY_CELL)
        {
          add_skipped (bulk, account_id, from, number, text, line,
                       g_strdup_printf (_("The cell for “{%s}” is empty in this row."), problem.placeholder));
          continue;
        }
      if (text == NULL || *text == '\0')
        {
          add_skipped (bulk, account_id, from, number, text, line, g_strdup (_("The message of this row is empty.")));
          continue;
        }
      if ((bad_text = relay_sms_check_text (text)) != NULL)
        {
          add_skipped (bulk, account_id, from, number, text, line, g_steal_pointer (&bad_text));
          continue;
        }

      row = relay_delivery_new_row (account_id, from, number, text, FALSE);
      row->row = line;
      g_ptr_array_add (bulk->send, row);
    }

  g_ptr_array_sort (bulk->skipped, compare_line);

  return 0;
}

/* The estimate of every row to send, each with its own parts. */
static RelayPriceEstimate *
estimate_rows (RelayPriceList *list,
               GPtrArray      *rows)
{
  g_autoptr(GPtrArray) to = g_ptr_array_sized_new (rows->len);
  g_autoptr(GPtrArray) texts = g_ptr_array_sized_new (rows->len);

  for (guint i = 0; i < rows->len; i++)
    {
      RelayStoreMessage *row = rows->pdata[i];

      g_ptr_array_add (to, row->recipient);
      g_ptr_array_add (texts, row->text);
    }

  return relay_price_estimate_new_for_texts (list, (const char *const *) to->pdata,
                                             (const char *const *) texts->pdata, rows->len, FALSE, TRUE);
}

static int
estimate_and_decide (RelayAccount *account,
                     GPtrArray    *rows,
                     gboolean      json,
                     gboolean      dry_run,
                     const char   *max_cost,
                     gboolean     *proceed)
{
  g_autoptr(RelayPriceList) list = NULL;
  g_autoptr(RelayPriceEstimate) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint *lines = g_new0 (guint, rows->len + 1);
  RelayAmount balance = -1;
  gint64 age_s = 0;

  *proceed = FALSE;
  if (!(list = relay_cli_price_list (account, &balance, &age_s, &error)))
    return relay_cli_fail (RELAY_CLI_EXIT_FAILURE, _("Could not estimate the cost: %s Nothing was sent."),
                           error->message);

  result = estimate_rows (list, rows);
  for (guint i = 0; i < rows->len; i++)
    lines[i] = (guint) ((RelayStoreMessage *) rows->pdata[i])->row;

  return relay_cli_price_decide (result, lines, balance, age_s, json, dry_run, max_cost, proceed);
}

static int
check_options (const char *template_text,
               const char *default_country)
{
  if (template_text == NULL || *template_text == '\0')
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, _("Give the message with --template T ({column} is that column of the row)."));
  if (!g_utf8_validate (template_text, -1, NULL))
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, _("The message is not valid UTF-8 text."));
  if (default_country != NULL && !relay_phone_is_country_code (default_country))
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, _("“%s” given with --default-country is not a country calling code."),
                           default_country);

  return 0;
}

/**
 * relay_cli_send_csv:
 *
 * relay-cli send --csv FILE --template T: every row of the list that
 * can be sent to is queued in one transaction before the first message
 * leaves; skipped rows are reported with their line and reason. The
 * options it shares with a send to --to numbers (--from, --rate,
 * --rest-base) are checked by relay_cli_send before it gets here.
 */
int
relay_cli_send_csv (const char *account_id,
                    const char *rest_base,
                    const char *from,
                    const char *path,
                    const char *template_text,
                    const char *column,
                    const char *default_country,
                    gboolean    json,
                    gboolean    dry_run,
                    const char *max_cost,
                    int         rate)
{
  g_autoptr(RelayAccount) account = NULL;
  g_autoptr(RelayNexmoClient) client = NULL;
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(RelayCliDelivery) delivery = NULL;
  g_autoptr(GHashTable) blocked = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Bulk) bulk = { 0 };
  int status;

  if ((status = check_options (template_text, default_country)) != 0)
    return status;

  if (!(account = relay_cli_load_account (account_id, rest_base, &error)))
    return relay_cli_fail (RELAY_CLI_EXIT_FAILURE, "%s", error->message);

  /* The do-not-contact list, once, for the whole import; a dry run
   * leaves the history as it is. */
  if (dry_run)
    blocked = relay_cli_load_blocked ();
  else if (!relay_cli_keep_history ())
    {
      relay_cli_fail (0, "%s", _("History is off (the “Keep history” preference): these messages are not recorded."));
      blocked = relay_cli_load_blocked ();
    }
  else if (!(store = relay_cli_try_open_store (&error)))
    {
      relay_cli_fail (0, _("History is off: %s"), error->message);
      g_clear_error (&error);
    }
  else
    {
      RelayCliWait wait;

      relay_cli_wait_init (&wait);
      relay_store_blocked_snapshot_async (store, NULL, relay_cli_wait_cb, &wait);
      blocked = relay_store_blocked_snapshot_finish (store, relay_cli_wait_run (&wait), &error);
      relay_cli_wait_clear (&wait);
      if (blocked == NULL)
        return relay_cli_fail (RELAY_CLI_EXIT_FAILURE, _("The do-not-contact list could not be read: %s"), error->message);
    }

  if ((status = read_list (relay_account_get_id (account), from != NULL ? from : "Relay", path,
                           template_text, column, default_country, blocked, &bulk)) != 0)
    return status;

  if (dry_run || max_cost != NULL)
    {
      gboolean proceed;

      status = estimate_and_decide (account, bulk.send, json, dry_run, max_cost, &proceed);
      if (!proceed)
        return status;
    }

  client = relay_nexmo_client_new (account);
  relay_nexmo_client_set_follow_account_limit (client, TRUE);
  if (rate >= 0)
    relay_nexmo_client_set_rate (client, (guint) rate);

  delivery = relay_cli_delivery_new (store, json);
  relay_cli_delivery_set_stream (delivery, TRUE);
  if (blocked != NULL)
    relay_cli_delivery_set_blocked (delivery, blocked);
  for (guint i = 0; i < bulk.skipped->len; i++)
    relay_cli_delivery_add_skipped (delivery, bulk.skipped->pdata[i]);
  if (bulk.send->len > 0)
    relay_cli_delivery_send (delivery, client, bulk.send);
  status = relay_cli_delivery_run (delivery);
  relay_account_forget_secrets (account);

  return status;
}

/**
 * relay_cli_price_csv:
 *
 * relay-cli price --csv FILE --template T: the estimate of the rows
 * that would be sent, each with its CSV line in "row".
 */
int
relay_cli_price_csv (const char *account_id,
                     const char *rest_base,
                     const char *path,
                     const char *template_text,
                     const char *column,
                     const char *default_country,
                     gboolean    json)
{
  g_autoptr(RelayAccount) account = NULL;
  g_autoptr(GHashTable) blocked = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Bulk) bulk = { 0 };
  gboolean proceed;
  int status;

  if ((status = check_options (template_text, default_country)) != 0)
    return status;
  if (!relay_cli_check_rest_base (rest_base, &error))
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, "%s", error->message);

  if (!(account = relay_cli_load_account (account_id, rest_base, &error)))
    return relay_cli_fail (RELAY_CLI_EXIT_FAILURE, "%s", error->message);

  blocked = relay_cli_load_blocked ();
  if ((status = read_list (relay_account_get_id (account), "Relay", path, template_text, column,
                           default_country, blocked, &bulk)) != 0)
    return status;

  for (guint i = 0; !json && i < bulk.skipped->len; i++)
    {
      RelayStoreMessage *row = bulk.skipped->pdata[i];

      relay_cli_fail (0, _("Line %u: skipped: %s"), (guint) row->row, row->error);
    }

  status = estimate_and_decide (account, bulk.send, json, TRUE, NULL, &proceed);
  relay_account_forget_secrets (account);

  return status;
}
