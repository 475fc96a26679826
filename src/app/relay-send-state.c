/* relay-send-state.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n.h>
#include <string.h>

#include "relay-error-text.h"
#include "relay-send-state.h"
#include "relay-sms-check.h"
#include "relay-sms-text.h"

#define NUMBER_MIN_DIGITS  7
#define NUMBER_MAX_DIGITS  15

/**
 * relay_send_state_check_sender:
 * @from: the sender ID as typed
 *
 * The rule relay-cli applies too: see relay_sms_check_sender().
 *
 * Returns: (transfer full) (nullable): %NULL when @from is valid,
 *   otherwise a sentence saying what is wrong
 */
char *
relay_send_state_check_sender (const char *from)
{
  return relay_sms_check_sender (from);
}

/**
 * relay_send_state_check_text:
 * @text: (nullable): the message as typed
 *
 * An empty message, or one of only spaces or other blank space, cannot
 * be sent (the provider would charge for it): see relay_sms_check_text().
 *
 * Returns: (transfer full) (nullable): %NULL when @text can be sent,
 *   otherwise a sentence saying why not
 */
char *
relay_send_state_check_text (const char *text)
{
  return relay_sms_check_text (text);
}

static gboolean
is_separator (char c)
{
  return c == ',' || c == ';' || c == '\n' || c == '\r';
}

/**
 * relay_send_state_parse_recipients:
 * @text: numbers separated by commas, semicolons or lines
 * @problem: (out) (optional): a sentence when @text is not valid
 *
 * Each number is 7 to 15 digits in international format, optionally
 * written with a leading "+" and with spaces, dashes or dots between the
 * digits. Empty items are skipped; a number given twice is kept once.
 *
 * Returns: (transfer full) (nullable): the numbers as digits only, in the
 *   order given, or %NULL with @problem set
 */
GStrv
relay_send_state_parse_recipients (const char  *text,
                                   char       **problem)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *p = text != NULL ? text : "";
  guint count = 0;

  if (problem != NULL)
    *problem = NULL;

  while (*p != '\0')
    {
      g_autoptr(GString) digits = g_string_new (NULL);
      g_autofree char *item = NULL;
      const char *start = p;
      gboolean bad = FALSE;

      while (*p != '\0' && !is_separator (*p))
        p++;

      item = g_strstrip (g_strndup (start, p - start));
      if (*p != '\0')
        p++;

      if (*item == '\0')
        continue;

      for (const char *q = item; *q != '\0'; q++)
        {
          if (g_ascii_isdigit (*q))
            g_string_append_c (digits, *q);
          else if (*q == '+' && q == item)
            continue;
          else if (*q == ' ' || *q == '-' || *q == '.')
            continue;
          else
            bad = TRUE;
        }

      if (bad || digits->len < NUMBER_MIN_DIGITS || digits->len > NUMBER_MAX_DIGITS)
        {
          if (problem != NULL)
            /* Translators: %s is what the user typed as a phone number */
            *problem = g_strdup_printf (_("“%s” is not a phone number: use 7 to 15 digits with the country code."),
                                        item);
          return NULL;
        }

      if (g_hash_table_contains (seen, digits->str))
        continue;

      g_hash_table_add (seen, g_strdup (digits->str));
      g_strv_builder_add (builder, digits->str);
      count++;
    }

  if (count == 0)
    {
      if (problem != NULL)
        *problem = g_strdup (_("Enter at least one phone number."));
      return NULL;
    }

  return g_strv_builder_end (builder);
}

/**
 * relay_send_state_format_counter:
 * @text: (nullable): the message text
 *
 * Returns: (transfer full): the live counter, like
 *   "42 / 160 · 1 part · GSM-7"
 */
char *
relay_send_state_format_counter (const char *text)
{
  g_autofree char *parts = NULL;
  RelaySmsInfo info;
  guint limit;

  relay_sms_text_analyze (text != NULL ? text : "", &info);

  /* An empty text still fits one part: show what the first part holds. */
  limit = MAX (info.limit, info.per_part);
  if (limit == 0)
    limit = info.encoding == RELAY_SMS_ENCODING_GSM7 ? 160 : 70;

  /* Translators: the number of SMS parts a message needs */
  parts = g_strdup_printf (ngettext ("%u part", "%u parts", info.parts), info.parts);

  /* Translators: the message counter: units used / units available · parts · encoding */
  return g_strdup_printf (_("%u / %u · %s · %s"),
                          info.units, limit, parts,
                          relay_sms_encoding_to_string (info.encoding));
}

/**
 * relay_send_state_format_balance:
 *
 * Returns: (transfer full): the remaining balance for the header bar
 */
char *
relay_send_state_format_balance (double value)
{
  /* In the account's own currency, which the Nexmo balance answer does
   * not name: Relay shows none rather than guess one (the label's tooltip
   * says what the number is). */
  return g_strdup_printf ("%.2f", value);
}

/**
 * relay_send_state_format_result:
 * @result: the outcome for one recipient
 *
 * Returns: (transfer full): one line for the recipient's result row:
 *   message id(s), parts, price and network, or why it failed
 */
char *
relay_send_state_format_result (const RelaySmsResult *result)
{
  g_autoptr(GString) line = g_string_new (NULL);
  guint n_ids;

  g_return_val_if_fail (result != NULL, NULL);

  switch (result->state)
    {
    case RELAY_SMS_STATE_QUEUED:
    case RELAY_SMS_STATE_SENDING:
      return g_strdup (_("Sending…"));

    case RELAY_SMS_STATE_NOT_SENT:
      return g_strdup (_("Not sent: sending was cancelled before this message went out"));

    case RELAY_SMS_STATE_FAILED:
    case RELAY_SMS_STATE_UNCERTAIN:
      /* Parts the provider accepted were charged: name them. */
      if (result->error != NULL && result->parts > 0 && result->message_ids != NULL)
        {
          g_autofree char *sentence = relay_error_text (result->error);
          g_autofree char *ids = g_strjoinv (", ", result->message_ids);

          /* Translators: a message of which only some parts were accepted; the ids, then why the rest failed */
          return g_strdup_printf (ngettext ("Partly sent (message ID %s): %s",
                                            "Partly sent (message IDs %s): %s",
                                            result->parts),
                                  ids, sentence);
        }
      if (result->error != NULL)
        return relay_error_text (result->error);
      return g_strdup (result->state == RELAY_SMS_STATE_FAILED ? _("Not sent")
                                                               : _("May have been sent"));

    case RELAY_SMS_STATE_SENT:
    default:
      break;
    }

  n_ids = result->message_ids != NULL ? g_strv_length (result->message_ids) : 0;

  if (n_ids > 0)
    {
      g_autofree char *ids = g_strjoinv (", ", result->message_ids);

      /* Translators: %s is one message id, or several separated by commas */
      g_string_append_printf (line, ngettext ("Message ID %s", "Message IDs %s", n_ids), ids);
    }
  else
    g_string_append (line, _("Accepted"));

  g_string_append (line, " · ");
  g_string_append_printf (line, ngettext ("%u part", "%u parts", result->parts), result->parts);

  g_string_append (line, " · ");
  /* Translators: the price of a message in the account's currency,
   * which the Nexmo answer does not name */
  g_string_append_printf (line, _("price %.4f"), result->price);

  if (result->network != NULL && *result->network != '\0')
    {
      g_string_append (line, " · ");
      /* Translators: %s is a mobile network code such as 23410 */
      g_string_append_printf (line, _("network %s"), result->network);
    }

  return g_string_free (g_steal_pointer (&line), FALSE);
}

/**
 * relay_send_state_format_summary:
 * @results: (element-type RelaySmsResult): the outcomes known so far
 * @total: the recipients of the send
 *
 * A recipient without an outcome counts as not sent.
 *
 * Returns: (transfer full): one sentence for a toast
 */
char *
relay_send_state_format_summary (GPtrArray *results,
                                 guint      total)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint sent = 0, failed = 0, not_sent = 0, uncertain = 0;

  g_return_val_if_fail (results != NULL, NULL);

  total = MAX (total, results->len);

  for (guint i = 0; i < results->len; i++)
    {
      const RelaySmsResult *result = g_ptr_array_index (results, i);

      switch (result->state)
        {
        case RELAY_SMS_STATE_SENT:
          sent++;
          break;
        case RELAY_SMS_STATE_UNCERTAIN:
          uncertain++;
          break;
        case RELAY_SMS_STATE_FAILED:
          failed++;
          break;
        default:
          not_sent++;
          break;
        }
    }
  not_sent += total - results->len;

  if (sent == total)
    return g_strdup_printf (ngettext ("Message sent to %u recipient",
                                      "Message sent to %u recipients",
                                      total),
                            total);

  if (not_sent > 0)
    /* Translators: the first number is the messages sent, the second all recipients */
    g_string_printf (text, ngettext ("Sending cancelled: %u of %u message sent",
                                     "Sending cancelled: %u of %u messages sent",
                                     total),
                     sent, total);
  else if (sent == 0 && uncertain == 0)
    g_string_assign (text, ngettext ("The message could not be sent",
                                     "No message could be sent",
                                     total));
  else if (failed > 0)
    /* Translators: the first number is the failures, the second all recipients */
    g_string_printf (text, ngettext ("%u of %u message could not be sent",
                                     "%u of %u messages could not be sent",
                                     total),
                     failed, total);
  else
    /* Translators: the first number is the messages sent, the second all recipients */
    g_string_printf (text, ngettext ("%u of %u message sent",
                                     "%u of %u messages sent",
                                     total),
                     sent, total);

  if (uncertain > 0)
    {
      g_string_append (text, " · ");
      /* Translators: messages whose request went out but got no answer */
      g_string_append_printf (text, ngettext ("%u may have been sent",
                                              "%u may have been sent",
                                              uncertain),
                              uncertain);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}
