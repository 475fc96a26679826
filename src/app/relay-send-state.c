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
#include "relay-recipient-list.h"
#include "relay-send-state.h"
#include "relay-sms-check.h"
#include "relay-sms-text.h"

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

/* At most this many invalid cells are named; the rest are counted. */
#define MAX_LISTED_CELLS  5
/* A cell is shown up to this many characters. */
#define MAX_SHOWN_CHARS   24

static char *
format_cell (const RelayRecipientCell *cell,
             gboolean                  with_line)
{
  g_autoptr(GString) shown = g_string_new (NULL);
  glong length = g_utf8_strlen (cell->text, -1);

  /* Whole characters only, and a quoted cell's line breaks as spaces. */
  for (const char *p = cell->text; *p != '\0' && shown->len < 4 * MAX_SHOWN_CHARS; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_utf8_strlen (shown->str, -1) >= MAX_SHOWN_CHARS - 1 && length > MAX_SHOWN_CHARS)
        {
          g_string_append (shown, "…");
          break;
        }
      g_string_append_unichar (shown, c == '\n' || c == '\r' ? ' ' : c);
    }

  if (with_line)
    /* Translators: a cell of the To field that is not a phone number,
     * and the line it is on */
    return g_strdup_printf (_("“%s” (line %u)"), shown->str, cell->line);

  /* Translators: a cell of the To field that is not a phone number */
  return g_strdup_printf (_("“%s”"), shown->str);
}

static char *
format_invalid (const RelayRecipientList *list)
{
  g_autoptr(GString) cells = g_string_new (NULL);
  gboolean with_line = list->n_lines > 1;
  guint n = list->invalid->len;
  guint listed = MIN (n, MAX_LISTED_CELLS);

  if (n == 1)
    {
      g_autofree char *cell = format_cell (g_ptr_array_index (list->invalid, 0), with_line);

      /* Translators: %s is what the user typed as a phone number, maybe
       * with its line: “12ab” (line 2) */
      return g_strdup_printf (_("%s is not a phone number: use 7 to 15 digits with the country code."),
                              cell);
    }

  for (guint i = 0; i < listed; i++)
    {
      g_autofree char *cell = format_cell (g_ptr_array_index (list->invalid, i), with_line);

      if (i > 0)
        /* Translators: between the invalid numbers of a list */
        g_string_append (cells, _(", "));
      g_string_append (cells, cell);
    }

  if (n > listed)
    {
      g_autofree char *named = g_string_free (g_steal_pointer (&cells), FALSE);

      cells = g_string_new (NULL);
      /* Translators: %s is a list of invalid numbers, %u how many more
       * there are */
      g_string_printf (cells, ngettext ("%s and %u more", "%s and %u more", n - listed),
                       named, n - listed);
    }

  /* Translators: %u is the number of invalid numbers (2 or more), %s
   * lists them: “12ab” (line 2), “+” (line 5) */
  return g_strdup_printf (ngettext ("%u number is not valid: %s. Use 7 to 15 digits with the country code.",
                                    "%u numbers are not valid: %s. Use 7 to 15 digits with the country code.",
                                    n),
                          n, cells->str);
}

/**
 * relay_send_state_check_recipients:
 * @text: (nullable): the To field's text: numbers one per line, or
 *   separated by commas or semicolons, or cells pasted from a spreadsheet
 * @problem: (out) (optional): a sentence when @text is not valid, naming
 *   every cell that is not a number (the first few, then how many more)
 * @note: (out) (optional): a sentence for a valid @text whose column
 *   heading was skipped, %NULL otherwise
 *
 * Each number is 7 to 15 digits in international format, optionally
 * written with a leading "+" and with spaces, dashes or dots between the
 * digits. Empty cells are skipped; a number given twice is kept once.
 * See relay_recipient_list_parse() for how the text is split.
 *
 * Returns: (transfer full) (nullable): the numbers as digits only, in the
 *   order given, or %NULL with @problem set
 */
GStrv
relay_send_state_check_recipients (const char  *text,
                                   char       **problem,
                                   char       **note)
{
  g_autoptr(RelayRecipientList) list = relay_recipient_list_parse (text);
  guint count = g_strv_length (list->numbers);

  if (problem != NULL)
    *problem = NULL;
  if (note != NULL)
    *note = NULL;

  if (list->invalid->len > 0)
    {
      if (problem != NULL)
        *problem = format_invalid (list);
      return NULL;
    }

  if (count == 0)
    {
      if (problem != NULL)
        *problem = g_strdup (_("Enter at least one phone number."));
      return NULL;
    }

  if (list->heading != NULL && note != NULL)
    {
      g_autofree char *heading = format_cell (list->heading, FALSE);

      /* Translators: %u is how many numbers were read, %s a column
       * heading such as “Phone” pasted with them */
      *note = g_strdup_printf (ngettext ("%u number; the column heading %s was skipped.",
                                         "%u numbers; the column heading %s was skipped.",
                                         count),
                               count, heading);
    }

  return g_steal_pointer (&list->numbers);
}

/**
 * relay_send_state_parse_recipients:
 * @text: (nullable): the To field's text
 * @problem: (out) (optional): a sentence when @text is not valid
 *
 * Like relay_send_state_check_recipients(), without the note.
 *
 * Returns: (transfer full) (nullable): the numbers as digits only, in the
 *   order given, or %NULL with @problem set
 */
GStrv
relay_send_state_parse_recipients (const char  *text,
                                   char       **problem)
{
  return relay_send_state_check_recipients (text, problem, NULL);
}

static gboolean
joins_previous (gunichar c)
{
  /* Combining marks (with variation selectors), emoji skin tones and
   * tag characters (subdivision flags) belong to the character before. */
  return g_unichar_ismark (c) ||
         (c >= 0x1F3FB && c <= 0x1F3FF) ||
         (c >= 0xE0020 && c <= 0xE007F);
}

static gboolean
is_regional_indicator (gunichar c)
{
  return c >= 0x1F1E6 && c <= 0x1F1FF;
}

/* The character (with what joins it: a combining accent, a variation
 * selector, a skin tone, a zero-width-joined emoji, the second letter
 * of a flag) that first needs UCS-2, or NULL for a GSM-7 text. */
static char *
first_unicode_character (const char *text)
{
  const char *base = text;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      const char *end;
      guint joined = 0;

      if (!joins_previous (c))
        base = p;
      if (relay_sms_text_is_gsm7 (c, NULL))
        continue;

      /* From the start of its cluster to the end of it, a handful of
       * characters at most. */
      end = g_utf8_next_char (p);
      if (is_regional_indicator (c) && is_regional_indicator (g_utf8_get_char (end)))
        end = g_utf8_next_char (end);
      while (*end != '\0' && joined < 16)
        {
          gunichar next = g_utf8_get_char (end);
          const char *after = g_utf8_next_char (end);

          if (joins_previous (next))
            end = after;
          else if (next == 0x200D && *after != '\0')
            end = g_utf8_next_char (after);
          else
            break;
          joined++;
        }

      return g_strndup (base, end - base);
    }

  return NULL;
}

static char *
format_unicode_reason (const char *text,
                       guint       per_part)
{
  g_autofree char *character = first_unicode_character (text);
  gunichar c;

  if (character == NULL)
    return NULL;

  c = g_utf8_get_char (character);
  if (!g_unichar_isgraph (c) || g_unichar_ismark (c))
    /* Translators: an invisible character forces Unicode; %04X is its
     * code point in hex, %u the characters one message then holds */
    return g_strdup_printf (ngettext ("The invisible character U+%04X needs Unicode: %u character per message",
                                      "The invisible character U+%04X needs Unicode: %u characters per message",
                                      per_part),
                            c, per_part);

  /* Translators: %s is the first character that is not in the GSM
   * alphabet, %u the characters one message then holds */
  return g_strdup_printf (ngettext ("“%s” needs Unicode: %u character per message",
                                    "“%s” needs Unicode: %u characters per message",
                                    per_part),
                          character, per_part);
}

/**
 * relay_send_state_format_counter:
 * @text: (nullable): the message text
 *
 * The count is in the units a message holds: GSM-7 characters of the
 * extension table (€, [, ]…) count two, and in Unicode (UCS-2) an emoji
 * outside the basic plane counts two. When the text needs Unicode, a
 * second line names the first character that does.
 *
 * Returns: (transfer full): the live counter, like
 *   "31 of 160 characters · 1 message", or a neutral hint for an empty
 *   text
 */
char *
relay_send_state_format_counter (const char *text)
{
  g_autoptr(GString) counter = g_string_new (NULL);
  g_autofree char *valid = NULL;
  RelaySmsInfo info;

  if (text == NULL)
    text = "";
  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);

  relay_sms_text_analyze (text, &info);

  if (info.parts == 0)
    /* Translators: the counter under an empty message */
    return g_strdup (_("Up to 160 characters per message"));

  /* Translators: the message counter: units used of the units the
   * messages hold; the plural follows the second number */
  g_string_printf (counter, ngettext ("%u of %u character", "%u of %u characters", info.limit),
                   info.units, info.limit);
  g_string_append (counter, " · ");
  /* Translators: how many SMS a text is sent as */
  g_string_append_printf (counter, ngettext ("%u message", "%u messages", info.parts), info.parts);

  if (info.encoding == RELAY_SMS_ENCODING_UCS2)
    {
      g_autofree char *reason = format_unicode_reason (text, info.per_part);

      if (reason != NULL)
        {
          g_string_append_c (counter, '\n');
          g_string_append (counter, reason);
        }
    }

  return g_string_free (g_steal_pointer (&counter), FALSE);
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
