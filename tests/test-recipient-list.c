/* test-recipient-list.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * relay_recipient_list_parse(): the To field's text split into cells the
 * way a person pastes it, each invalid cell with its line.
 */

#include <locale.h>

#include "relay-recipient-list.h"

static char *
describe_invalid (const RelayRecipientList *list)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < list->invalid->len; i++)
    {
      const RelayRecipientCell *cell = g_ptr_array_index (list->invalid, i);

      g_string_append_printf (text, "%s%s@%u", i > 0 ? "|" : "", cell->text, cell->line);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_cells (void)
{
  const struct {
    const char *text;
    const char *numbers;
    const char *invalid;
    const char *heading;
    guint       lines;
  } cases[] = {
    { NULL, "", "", NULL, 0 },
    { "", "", "", NULL, 0 },
    { " \t , ; \r\n \n", "", "", NULL, 0 },
    { "447700900001", "447700900001", "", NULL, 1 },
    { "+44 7700 900001,44-7700-900.002", "447700900001|447700900002", "", NULL, 1 },
    /* CRLF, lone CR and LF each end one line. */
    { "12\r\n34\r56\n78", "", "12@1|34@2|56@3|78@4", NULL, 4 },
    /* Tabs and semicolons separate cells of one line; empty ones go. */
    { "447700900001\t\t12;;34\t", "447700900001", "12@1|34@1", NULL, 1 },
    /* A number given twice is kept once, in its first place. */
    { "447700900002\n447700900001\n+44 7700 900002", "447700900002|447700900001", "", NULL, 3 },
    /* Quoted cells: quotes go, "" is one quote, a line break inside
     * counts, a separator inside is text. */
    { "\"447700900001\"\n\"a \"\"b\"\"\"\n\"1,\n2\"\n34", "447700900001", "a \"b\"@2|1,\n2@3|34@5", NULL, 4 },
    /* A quote never closed is plain text. */
    { "\"447700900001\n447700900002", "447700900002", "\"447700900001@1", NULL, 2 },
    /* A column heading: one cell with letters and no digit, then more
     * lines. It does not count as a line with numbers. */
    { "Phone\r\n447700900001\r\n", "447700900001", "", "Phone", 1 },
    { "\xEF\xBB\xBF" "Mobile\n\n447700900001\n12", "447700900001", "12@4", "Mobile", 2 },
    /* Not headings: a row of two, a digit in it, alone, or no letter. */
    { "Name\tPhone\n447700900001", "447700900001", "Name@1|Phone@1", NULL, 2 },
    { "Phone 2\n447700900001", "447700900001", "Phone 2@1", NULL, 2 },
    { "Phone", "", "Phone@1", NULL, 1 },
    { "---\n447700900001", "447700900001", "---@1", NULL, 2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RelayRecipientList) list = relay_recipient_list_parse (cases[i].text);
      g_autofree char *numbers = g_strjoinv ("|", list->numbers);
      g_autofree char *invalid = describe_invalid (list);

      g_test_message ("case %u: %s", i, cases[i].text);
      g_assert_cmpstr (numbers, ==, cases[i].numbers);
      g_assert_cmpstr (invalid, ==, cases[i].invalid);
      g_assert_cmpstr (list->heading != NULL ? list->heading->text : NULL, ==, cases[i].heading);
      g_assert_cmpuint (list->n_lines, ==, cases[i].lines);
    }
}

static void
test_is_number (void)
{
  g_autoptr(GString) digits = g_string_new (NULL);

  g_assert_true (relay_recipient_is_number ("+44 7700-900.001", digits));
  g_assert_cmpstr (digits->str, ==, "447700900001");
  g_assert_true (relay_recipient_is_number ("1234567", NULL));
  g_assert_false (relay_recipient_is_number ("123456", NULL));
  g_assert_false (relay_recipient_is_number ("1234567890123456", NULL));
  g_assert_false (relay_recipient_is_number ("44+7700900001", NULL));
  g_assert_false (relay_recipient_is_number ("447700900001x", NULL));
  g_assert_false (relay_recipient_is_number ("+", NULL));
  g_assert_false (relay_recipient_is_number ("+4477009000+01", NULL));

  /* Copied text: no-break and narrow no-break spaces, an en dash, a
   * hyphen, direction marks and a zero-width space around or
   * between the digits. */
  g_assert_true (relay_recipient_is_number ("+44\u00A07700\u202F900001", digits));
  g_assert_cmpstr (digits->str, ==, "447700900001");
  g_assert_true (relay_recipient_is_number ("44\u20137700\u2010900001", digits));
  g_assert_cmpstr (digits->str, ==, "447700900001");
  g_assert_true (relay_recipient_is_number ("\u200E+44 7700 900001\u200F", digits));
  g_assert_cmpstr (digits->str, ==, "447700900001");
  g_assert_true (relay_recipient_is_number ("\u200B447700900001", NULL));
  /* Other digits and letters are still not a number. */
  g_assert_false (relay_recipient_is_number ("\u0664\u0664\u0667\u0667\u0660\u0660\u0669\u0660\u0660", NULL));
  g_assert_false (relay_recipient_is_number ("4477009000\u00B901", NULL));
  g_assert_false (relay_recipient_is_number ("447700900001\u2026", NULL));
  g_assert_false (relay_recipient_is_number ("", NULL));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/relay/recipient-list/cells", test_cells);
  g_test_add_func ("/relay/recipient-list/is-number", test_is_number);

  return g_test_run ();
}
