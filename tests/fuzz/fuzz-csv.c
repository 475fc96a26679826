/* fuzz-csv.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CSV reader and writer: for any bytes the reader reads without an
 * error, writing its records with relay_csv_append_field() and reading
 * that again (same delimiter) gives the same records, line ends inside
 * fields, empty fields and empty records included; and every record's
 * line is at least the one before.
 */

#include "relay-csv.h"

#include "fuzz-common.h"

static GPtrArray *
read_rows (const char *data,
           gsize       size,
           char       *delimiter)
{
  g_autoptr(RelayCsvReader) reader = relay_csv_reader_new (data, size, NULL);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *fields = NULL;
  guint line, last_line = 0;

  if (reader == NULL)
    return NULL;
  if (*delimiter != '\0')
    relay_csv_reader_set_delimiter (reader, *delimiter);
  *delimiter = relay_csv_reader_get_delimiter (reader);

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  while (relay_csv_reader_next_row (reader, &fields, &line, &error))
    {
      g_assert_cmpuint (line, >, last_line);
      last_line = line;
      g_ptr_array_add (rows, fields);
      fields = NULL;
    }
  g_clear_pointer (&fields, g_ptr_array_unref);
  if (error != NULL)
    return NULL;

  return g_steal_pointer (&rows);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  char delimiter = '\0';
  g_autoptr(GPtrArray) first = read_rows ((const char *) data, size, &delimiter);
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GString) written = NULL;

  if (first == NULL)
    return 0;

  written = g_string_new (NULL);
  for (guint r = 0; r < first->len; r++)
    {
      GPtrArray *fields = g_ptr_array_index (first, r);

      for (guint f = 0; f < fields->len; f++)
        relay_csv_append_field (written, g_ptr_array_index (fields, f), delimiter);
      relay_csv_end_row (written);
    }

  second = read_rows (written->str, written->len, &delimiter);
  g_assert_nonnull (second);
  g_assert_cmpuint (second->len, ==, first->len);
  for (guint r = 0; r < first->len; r++)
    {
      GPtrArray *a = g_ptr_array_index (first, r);
      GPtrArray *b = g_ptr_array_index (second, r);

      g_assert_cmpuint (a->len, ==, b->len);
      for (guint f = 0; f < a->len; f++)
        g_assert_cmpstr (g_ptr_array_index (a, f), ==, g_ptr_array_index (b, f));
    }

  return 0;
}
