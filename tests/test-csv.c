/* test-csv.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The RFC 4180 reader and writer: quoting, line ends, byte order marks,
 * delimiter sniffing, line numbers and errors.
 */

#include <string.h>

#include "relay-csv.h"

/* Reads @data and returns its rows as "a|b|c@line" strings joined by
 * "\n" ("" for an empty record); "ERROR n: message" on an error. */
static char *
read_all (const char *data,
          gssize      length,
          char        delimiter)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayCsvReader) reader = NULL;
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  guint line;

  reader = relay_csv_reader_new (data, length >= 0 ? (gsize) length : strlen (data), &error);
  if (reader == NULL)
    return g_strdup_printf ("ERROR %d: %s", error->code, error->message);
  if (delimiter != '\0')
    relay_csv_reader_set_delimiter (reader, delimiter);

  while (relay_csv_reader_next_row (reader, &fields, &line, &error))
    {
      if (out->len > 0)
        g_string_append_c (out, '\n');
      for (guint i = 0; i < fields->len; i++)
        {
          if (i > 0)
            g_string_append_c (out, '|');
          g_string_append (out, g_ptr_array_index (fields, i));
        }
      g_string_append_printf (out, "@%u", line);
    }
  if (error != NULL)
    return g_strdup_printf ("ERROR %d: %s", error->code, error->message);

  return g_strdup (out->str);
}

static void
assert_rows (const char *data,
             const char *expected)
{
  g_autofree char *rows = read_all (data, -1, '\0');

  g_assert_cmpstr (rows, ==, expected);
}

static void
assert_error (const char *data,
              gssize      length,
              int         code,
              const char *fragment)
{
  g_autofree char *rows = read_all (data, length, '\0');
  g_autofree char *prefix = g_strdup_printf ("ERROR %d: ", code);

  g_test_message ("%s", rows);
  g_assert_true (g_str_has_prefix (rows, prefix));
  g_assert_nonnull (strstr (rows, fragment));
}

static void
test_basic (void)
{
  assert_rows ("", "");
  assert_rows ("a,b,c", "a|b|c@1");
  assert_rows ("a,b,c\n", "a|b|c@1");
  assert_rows ("a,b\r\nc,d\r\n", "a|b@1\nc|d@2");
  assert_rows ("a,b\rc,d", "a|b@1\nc|d@2");
  assert_rows ("a,b\n\nc,d\n", "a|b@1\n@2\nc|d@3");
  assert_rows ("a,,\n,b,", "a||@1\n|b|@2");
  assert_rows ("a, b ,c ", "a| b |c @1");
  assert_rows (",", "|@1");
  assert_rows ("a,\n", "a|@1");
}

static void
test_quoted (void)
{
  assert_rows ("\"a,b\",c", "a,b|c@1");
  assert_rows ("\"say \"\"hi\"\"\",x", "say \"hi\"|x@1");
  assert_rows ("\"\"", "@1");
  assert_rows ("\"\",\"\"", "|@1");
  assert_rows ("\"\"\"\"", "\"@1");
  /* Line ends inside quotes are kept as written, and counted. */
  assert_rows ("\"one\ntwo\",x\ny,z", "one\ntwo|x@1\ny|z@3");
  assert_rows ("\"one\r\ntwo\r\nthree\",x\r\ny,z\r\n", "one\r\ntwo\r\nthree|x@1\ny|z@4");
  assert_rows ("\"a\rb\",x\ry", "a\rb|x@1\ny@3");
  assert_rows ("\"\n\n\n\"\n\"last\"", "\n\n\n@1\nlast@5");
  assert_rows ("x,\"a,\"\"b\"\"\nc\"", "x|a,\"b\"\nc@1");
  assert_rows ("\"ünïcødé ☎\",🙂", "ünïcødé ☎|🙂@1");
}

static void
test_errors (void)
{
  assert_error ("a,b\nc\"d,e\n", -1, RELAY_CSV_ERROR_QUOTE, "Line 2:");
  assert_error ("a,\"b\"c\n", -1, RELAY_CSV_ERROR_AFTER_QUOTE, "Line 1:");
  assert_error ("a,\"b\" ,c\n", -1, RELAY_CSV_ERROR_AFTER_QUOTE, "Line 1:");
  assert_error ("a, \"b\",c\n", -1, RELAY_CSV_ERROR_QUOTE, "Line 1:");
  assert_error ("a\nb\n\"c\nd\ne", -1, RELAY_CSV_ERROR_UNTERMINATED, "Line 3:");
  /* After a multi-line field, the line of the error is the physical one. */
  assert_error ("\"x\ny\nz\",1\nq\"r\n", -1, RELAY_CSV_ERROR_QUOTE, "Line 4:");
  assert_error ("\"x\r\ny\" z\n", -1, RELAY_CSV_ERROR_AFTER_QUOTE, "Line 2:");
  assert_error ("\xff\xfe" "a\0,\0", 6, RELAY_CSV_ERROR_ENCODING, "UTF-16");
  assert_error ("\xfe\xff\0a\0,", 6, RELAY_CSV_ERROR_ENCODING, "UTF-16");
  assert_error ("a,b\nc,d\ne,\xe9t\xe9\n", -1, RELAY_CSV_ERROR_ENCODING, "Line 3:");
  assert_error ("a,b\r\nc\0d", 8, RELAY_CSV_ERROR_ENCODING, "Line 2:");
}

static void
test_bom (void)
{
  assert_rows ("\xef\xbb\xbfphone,name\n1,x", "phone|name@1\n1|x@2");
  assert_rows ("\xef\xbb\xbf", "");
  /* Only the first one is a byte order mark. */
  assert_rows ("\xef\xbb\xbf\xef\xbb\xbf" "a", "\xef\xbb\xbf" "a@1");
}

static char
sniff (const char *data)
{
  g_autoptr(RelayCsvReader) reader = relay_csv_reader_new (data, strlen (data), NULL);

  g_assert_nonnull (reader);
  return relay_csv_reader_get_delimiter (reader);
}

static void
test_sniff (void)
{
  g_assert_cmpint (sniff ("a,b,c\n1,2,3\n"), ==, ',');
  g_assert_cmpint (sniff ("a;b;c\n1;2;3\n"), ==, ';');
  g_assert_cmpint (sniff ("a\tb\tc\n1\t2\t3\n"), ==, '\t');
  g_assert_cmpint (sniff ("phone\n+447700900123\n"), ==, ',');
  g_assert_cmpint (sniff (""), ==, ',');
  /* Commas in decimal numbers and quoted fields do not count. */
  g_assert_cmpint (sniff ("name;price;phone\n\"Smith, Jo\";1,50;+44 7700 900123\n\"Doe, A\";2,00;+44\n"), ==, ';');
  g_assert_cmpint (sniff ("\"a;b;c;d\",x\n\"e;f;g\",y\n"), ==, ',');
  g_assert_cmpint (sniff ("\"a,b,c\"\tx\n\"d,e\"\ty\n"), ==, '\t');
  /* A quoted line end does not end a record while sniffing. */
  g_assert_cmpint (sniff ("\"a\nb;c;d;e\";x\n1;y\n"), ==, ';');
  /* The steadiest count wins over the most frequent. */
  g_assert_cmpint (sniff ("a;b,c,d,e\nf;g\nh;i,j\nk;l\n"), ==, ';');

  {
    g_autofree char *rows = read_all ("a;\"b;c\";d\n1;2;3", -1, '\0');

    g_assert_cmpstr (rows, ==, "a|b;c|d@1\n1|2|3@2");
  }
  {
    g_autofree char *rows = read_all ("a;b,c\n", -1, ',');

    g_assert_cmpstr (rows, ==, "a;b|c@1");
  }
}

static void
test_reuse (void)
{
  const char *data = "a,b,c\nd\n";
  g_autoptr(RelayCsvReader) reader = relay_csv_reader_new (data, strlen (data), NULL);
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *same = fields;

  g_ptr_array_add (fields, g_strdup ("old"));
  g_assert_true (relay_csv_reader_next_row (reader, &fields, NULL, NULL));
  g_assert_true (fields == same);
  g_assert_cmpuint (fields->len, ==, 3);
  g_assert_true (relay_csv_reader_next_row (reader, &fields, NULL, NULL));
  g_assert_cmpuint (fields->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fields, 0), ==, "d");
  g_assert_false (relay_csv_reader_next_row (reader, &fields, NULL, NULL));
  g_assert_false (relay_csv_reader_next_row (reader, &fields, NULL, NULL));
}

static char *
write_row (const char *const *fields,
           char               delimiter)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; fields[i] != NULL; i++)
    relay_csv_append_field (out, fields[i], delimiter);
  relay_csv_end_row (out);

  return g_string_free (out, FALSE);
}

static void
test_writer (void)
{
  static const struct {
    const char *fields[4];
    char delimiter;
    const char *expected;
  } cases[] = {
    { { "a", "b", "c", NULL }, ',', "a,b,c\r\n" },
    { { "a,b", "c", NULL }, ',', "\"a,b\",c\r\n" },
    { { "a,b", "c;d", NULL }, ';', "a,b;\"c;d\"\r\n" },
    { { "tab\there", "x", NULL }, '\t', "\"tab\there\"\tx\r\n" },
    { { "say \"hi\"", NULL }, ',', "\"say \"\"hi\"\"\"\r\n" },
    { { "two\nlines", "cr\ronly", NULL }, ',', "\"two\nlines\",\"cr\ronly\"\r\n" },
    { { " padded", "x", NULL }, ',', "\" padded\",x\r\n" },
    { { "", NULL }, ',', "\"\"\r\n" },
    { { "", "", NULL }, ',', "\"\",\r\n" },
    { { "a", "", "", NULL }, ',', "a,,\r\n" },
    { { "\xef\xbb\xbf" "bom", NULL }, ',', "\"\xef\xbb\xbf" "bom\"\r\n" },
    { { "ünï☎", NULL }, ',', "ünï☎\r\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *row = write_row (cases[i].fields, cases[i].delimiter);
      g_autoptr(RelayCsvReader) reader = relay_csv_reader_new (row, strlen (row), NULL);
      g_autoptr(GPtrArray) fields = NULL;
      guint n = 0;

      g_assert_cmpstr (row, ==, cases[i].expected);

      /* And it reads back. */
      relay_csv_reader_set_delimiter (reader, cases[i].delimiter);
      g_assert_true (relay_csv_reader_next_row (reader, &fields, NULL, NULL));
      while (cases[i].fields[n] != NULL)
        n++;
      g_assert_cmpuint (fields->len, ==, n);
      for (guint f = 0; f < n; f++)
        g_assert_cmpstr (g_ptr_array_index (fields, f), ==, cases[i].fields[f]);
      g_assert_false (relay_csv_reader_next_row (reader, &fields, NULL, NULL));
    }

  /* Several records: the delimiter goes between fields only. */
  {
    g_autoptr(GString) out = g_string_new (NULL);

    relay_csv_append_field (out, "a", ',');
    relay_csv_append_field (out, NULL, ',');
    relay_csv_end_row (out);
    relay_csv_append_field (out, "multi\nline", ',');
    relay_csv_end_row (out);
    relay_csv_append_field (out, "b", ',');
    relay_csv_end_row (out);
    g_assert_cmpstr (out->str, ==, "a,\r\n\"multi\nline\"\r\nb\r\n");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/relay/csv/basic", test_basic);
  g_test_add_func ("/relay/csv/quoted", test_quoted);
  g_test_add_func ("/relay/csv/errors", test_errors);
  g_test_add_func ("/relay/csv/bom", test_bom);
  g_test_add_func ("/relay/csv/sniff", test_sniff);
  g_test_add_func ("/relay/csv/reuse", test_reuse);
  g_test_add_func ("/relay/csv/writer", test_writer);

  return g_test_run ();
}
