/* fuzz-recipients.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The To field's text, as typed or pasted from a spreadsheet, read by
 * relay_recipient_list_parse(). For any bytes (read up to the first NUL):
 *  - every number is 7 to 15 ASCII digits, and none is given twice;
 *  - every invalid cell is valid UTF-8, not empty, without blank space
 *    around it, not a number, on a line from 1 to the input's last;
 *  - a skipped heading has no digit;
 *  - the numbers written one per line read back as the same numbers,
 *    with nothing invalid and no heading.
 */

#include <string.h>

#include "relay-recipient-list.h"

#include "fuzz-common.h"

static guint
count_lines (const char *text)
{
  guint lines = 1;

  for (const char *p = text; *p != '\0'; p++)
    if (*p == '\n' || (*p == '\r' && p[1] != '\n'))
      lines++;

  return lines;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *input = fuzz_dup_string (data, size);
  g_autoptr(RelayRecipientList) list = relay_recipient_list_parse (input);
  g_autoptr(RelayRecipientList) again = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *joined = NULL;
  guint lines = count_lines (input);

  g_assert_nonnull (list);
  g_assert_nonnull (list->numbers);
  g_assert_nonnull (list->invalid);

  for (guint i = 0; list->numbers[i] != NULL; i++)
    {
      const char *number = list->numbers[i];
      size_t length = strlen (number);

      g_assert_true (length >= 7 && length <= 15);
      for (size_t j = 0; j < length; j++)
        g_assert_true (g_ascii_isdigit (number[j]));
      g_assert_false (g_hash_table_contains (seen, number));
      g_hash_table_add (seen, (gpointer) number);
    }

  for (guint i = 0; i < list->invalid->len; i++)
    {
      const RelayRecipientCell *cell = g_ptr_array_index (list->invalid, i);
      size_t length = strlen (cell->text);

      g_assert_true (g_utf8_validate (cell->text, -1, NULL));
      g_assert_true (length > 0);
      g_assert_false (g_ascii_isspace (cell->text[0]));
      g_assert_false (g_ascii_isspace (cell->text[length - 1]));
      g_assert_false (relay_recipient_is_number (cell->text, NULL));
      g_assert_true (cell->line >= 1 && cell->line <= lines);
    }

  if (list->heading != NULL)
    {
      g_assert_true (g_utf8_validate (list->heading->text, -1, NULL));
      for (const char *p = list->heading->text; *p != '\0'; p++)
        g_assert_false (g_ascii_isdigit (*p));
      g_assert_true (list->heading->line >= 1 && list->heading->line <= lines);
    }

  joined = g_strjoinv ("\n", list->numbers);
  again = relay_recipient_list_parse (joined);
  g_assert_cmpuint (again->invalid->len, ==, 0);
  g_assert_null (again->heading);
  g_assert_cmpuint (g_strv_length (again->numbers), ==, g_strv_length (list->numbers));
  for (guint i = 0; list->numbers[i] != NULL; i++)
    g_assert_cmpstr (again->numbers[i], ==, list->numbers[i]);

  return 0;
}
