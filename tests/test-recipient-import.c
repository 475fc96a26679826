/* test-recipient-import.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Recipients from CSV, vCard and pasted text: header and phone column
 * detection, normalisation, duplicates, the do-not-contact list, lines
 * of skipped rows, and a different phone column.
 */

#include <string.h>

#include "relay-csv.h"
#include "relay-recipient-import.h"

static RelayImport *
import_csv (const char               *csv,
            const RelayImportOptions *options)
{
  g_autoptr(GError) error = NULL;
  RelayImport *import = relay_import_new_from_csv (csv, strlen (csv), options, &error);

  g_assert_no_error (error);
  g_assert_nonnull (import);
  return import;
}

static gboolean
blocked (const char *number,
         gpointer    data)
{
  return g_strv_contains (data, number);
}

static void
test_csv (void)
{
  const char *const block[] = { "447700900005", NULL };
  RelayImportOptions options = { "44", NULL, blocked, (gpointer) block };
  const char *csv =
    "\xef\xbb\xbf" "Name;Mobile;Note\r\n"                 /* 1 */
    "Ann;07700 900001;\"first\r\nvisit\"\r\n"             /* 2-3 */
    "Bob;+44 (0)7700 900002;\r\n"                         /* 4 */
    "Cy;0044 7700 900001;dup of Ann\r\n"                  /* 5 */
    "Di;not a number;\r\n"                                /* 6 */
    "Ed;;\r\n"                                            /* 7 */
    ";;\r\n"                                              /* 8: blank, ignored */
    "Fay;07700 900005;blocked\r\n"                        /* 9 */
    "Gus\r\n"                                             /* 10: short row */
    "Hal;+1 555 201 0123;\"x;y\"";                        /* 11 */
  g_autoptr(RelayImport) import = import_csv (csv, &options);
  const RelayImportSkipped *skipped;

  g_assert_cmpint (relay_import_get_delimiter (import), ==, ';');
  g_assert_true (relay_import_get_has_header (import));
  g_assert_cmpuint (relay_import_get_n_columns (import), ==, 3);
  g_assert_cmpstr (relay_import_get_column_name (import, 1), ==, "Mobile");
  g_assert_cmpuint (relay_import_get_phone_column (import), ==, 1);
  g_assert_cmpint (relay_import_find_column (import, " note "), ==, 2);
  g_assert_cmpint (relay_import_find_column (import, "NAME"), ==, 0);
  g_assert_cmpint (relay_import_find_column (import, "phone"), ==, -1);

  g_assert_cmpuint (relay_import_get_n_records (import), ==, 8);
  g_assert_cmpuint (relay_import_get_n_rows (import), ==, 3);
  g_assert_cmpstr (relay_import_get_number (import, 0), ==, "447700900001");
  g_assert_cmpuint (relay_import_get_line (import, 0), ==, 2);
  g_assert_cmpstr (relay_import_get_field (import, 0, 2), ==, "first\r\nvisit");
  g_assert_cmpstr (relay_import_get_number (import, 1), ==, "447700900002");
  g_assert_cmpuint (relay_import_get_line (import, 1), ==, 4);
  g_assert_cmpstr (relay_import_get_number (import, 2), ==, "15552010123");
  g_assert_cmpuint (relay_import_get_line (import, 2), ==, 11);
  g_assert_cmpstr (relay_import_get_field (import, 2, 2), ==, "x;y");

  g_assert_cmpuint (relay_import_get_n_skipped (import), ==, 5);
  g_assert_cmpuint (relay_import_count_skipped (import, RELAY_IMPORT_SKIP_DUPLICATE), ==, 1);
  g_assert_cmpuint (relay_import_count_skipped (import, RELAY_IMPORT_SKIP_INVALID), ==, 1);
  g_assert_cmpuint (relay_import_count_skipped (import, RELAY_IMPORT_SKIP_MISSING), ==, 2);
  g_assert_cmpuint (relay_import_count_skipped (import, RELAY_IMPORT_SKIP_BLOCKED), ==, 1);

  skipped = relay_import_get_skipped (import, 0);
  g_assert_cmpuint (skipped->line, ==, 5);
  g_assert_cmpint (skipped->reason, ==, RELAY_IMPORT_SKIP_DUPLICATE);
  g_assert_cmpuint (skipped->duplicate_of, ==, 2);
  g_assert_cmpstr (skipped->number, ==, "447700900001");
  g_assert_cmpstr (skipped->cell, ==, "0044 7700 900001");
  g_assert_cmpstr (relay_import_get_skipped_field (import, 0, 0), ==, "Cy");
  g_assert_cmpstr (relay_import_get_skipped_field (import, 0, 2), ==, "dup of Ann");
  g_assert_cmpstr (relay_import_get_skipped_field (import, 4, 2), ==, "");
  {
    g_autofree char *why = relay_import_skipped_to_string (skipped);

    g_assert_nonnull (strstr (why, "line 2"));
  }
  skipped = relay_import_get_skipped (import, 1);
  g_assert_cmpuint (skipped->line, ==, 6);
  g_assert_cmpint (skipped->reason, ==, RELAY_IMPORT_SKIP_INVALID);
  g_assert_cmpint (skipped->problem, ==, RELAY_PHONE_BAD_CHARACTER);
  g_assert_null (skipped->number);
  skipped = relay_import_get_skipped (import, 2);
  g_assert_cmpuint (skipped->line, ==, 7);
  g_assert_cmpint (skipped->reason, ==, RELAY_IMPORT_SKIP_MISSING);
  skipped = relay_import_get_skipped (import, 3);
  g_assert_cmpuint (skipped->line, ==, 9);
  g_assert_cmpint (skipped->reason, ==, RELAY_IMPORT_SKIP_BLOCKED);
  g_assert_cmpstr (skipped->number, ==, "447700900005");
  skipped = relay_import_get_skipped (import, 4);
  g_assert_cmpuint (skipped->line, ==, 10);
  g_assert_cmpint (skipped->reason, ==, RELAY_IMPORT_SKIP_MISSING);
  g_assert_cmpstr (skipped->cell, ==, "");
}

static void
test_detect_by_values (void)
{
  /* No header: the column where numbers are, named "column N". */
  g_autoptr(RelayImport) import = import_csv ("Ann,+447700900001,12\nBob,+447700900002,13\nCy,x,14\n", NULL);

  g_assert_false (relay_import_get_has_header (import));
  g_assert_cmpuint (relay_import_get_phone_column (import), ==, 1);
  g_assert_cmpstr (relay_import_get_column_name (import, 0), ==, "column 1");
  g_assert_cmpuint (relay_import_get_n_rows (import), ==, 2);
  g_assert_cmpuint (relay_import_get_line (import, 0), ==, 1);
  g_clear_object (&import);

  /* A header whose names say nothing; the first row is a header because
   * its cell in the phone column is no number. */
  import = import_csv ("who,reach me at\nAnn,+447700900001\nBob,+447700900002\n", NULL);
  g_assert_true (relay_import_get_has_header (import));
  g_assert_cmpuint (relay_import_get_phone_column (import), ==, 1);
  g_assert_cmpstr (relay_import_get_column_name (import, 1), ==, "reach me at");
  g_assert_cmpuint (relay_import_get_line (import, 0), ==, 2);
  g_clear_object (&import);

  /* Header names in other languages, without case and accents. */
  import = import_csv ("Nom\tTÉLÉPHONE\tNuméro client\n Léa\t+33612345678\t+33612345679\n", NULL);
  g_assert_cmpuint (relay_import_get_phone_column (import), ==, 1);
  g_clear_object (&import);
  import = import_csv ("Handy-Nummer,Name\n+49 170 1234567,Jo\n", NULL);
  g_assert_cmpuint (relay_import_get_phone_column (import), ==, 0);
  g_assert_true (relay_import_get_has_header (import));
}

static void
test_named_column (void)
{
  RelayImportOptions options = { NULL, " home ", NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayImport) import = NULL;
  const char *csv = "mobile,home\n+447700900001,+442079460001\n+447700900002,+442079460001\n";

  import = import_csv (csv, &options);
  g_assert_cmpuint (relay_import_get_phone_column (import), ==, 1);
  g_assert_cmpuint (relay_import_get_n_rows (import), ==, 1);
  g_assert_cmpuint (relay_import_count_skipped (import, RELAY_IMPORT_SKIP_DUPLICATE), ==, 1);

  /* Choosing another column validates again. */
  relay_import_set_phone_column (import, 0);
  g_assert_cmpuint (relay_import_get_n_rows (import), ==, 2);
  g_assert_cmpuint (relay_import_get_n_skipped (import), ==, 0);
  g_assert_cmpstr (relay_import_get_number (import, 1), ==, "447700900002");
  g_clear_object (&import);

  /* Without a header, "column N" names the column. */
  options.phone_column = "Column 2";
  import = import_csv ("+447700900001,+447700900002\n+447700900003,+447700900002\n", &options);
  g_assert_false (relay_import_get_has_header (import));
  g_assert_cmpuint (relay_import_get_phone_column (import), ==, 1);
  g_assert_cmpuint (relay_import_get_n_rows (import), ==, 1);
  g_assert_cmpuint (relay_import_get_n_records (import), ==, 2);
  g_clear_object (&import);

  options.phone_column = "column 3";
  import = relay_import_new_from_csv (csv, strlen (csv), &options, &error);
  g_assert_null (import);
  g_assert_error (error, RELAY_IMPORT_ERROR, RELAY_IMPORT_ERROR_UNKNOWN_COLUMN);
  g_clear_error (&error);

  options.phone_column = "fax";
  import = relay_import_new_from_csv (csv, strlen (csv), &options, &error);
  g_assert_null (import);
  g_assert_error (error, RELAY_IMPORT_ERROR, RELAY_IMPORT_ERROR_UNKNOWN_COLUMN);
}

static void
test_errors (void)
{
  static const struct {
    const char *data;
    GQuark (*domain) (void);
    int code;
  } cases[] = {
    { "", relay_import_error_quark, RELAY_IMPORT_ERROR_EMPTY },
    { "\n\n,,\n", relay_import_error_quark, RELAY_IMPORT_ERROR_EMPTY },
    /* A header and nothing else. */
    { "name,mobile\n\n", relay_import_error_quark, RELAY_IMPORT_ERROR_EMPTY },
    { "name,town\nAnn,Bath\n", relay_import_error_quark, RELAY_IMPORT_ERROR_NO_PHONE_COLUMN },
    /* National numbers without a default country are no numbers. */
    { "who,what\n07700900001,x\n", relay_import_error_quark, RELAY_IMPORT_ERROR_NO_PHONE_COLUMN },
    { "phone\n+447700900001\n\"x\n", relay_csv_error_quark, RELAY_CSV_ERROR_UNTERMINATED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RelayImport) import = relay_import_new_from_csv (cases[i].data, strlen (cases[i].data), NULL, &error);

      g_assert_null (import);
      g_assert_error (error, cases[i].domain (), cases[i].code);
    }
}

static void
test_no_default_country (void)
{
  /* The header names the column: its national numbers are listed as
   * invalid, saying why. */
  g_autoptr(RelayImport) import = import_csv ("phone\n07700900001\n", NULL);
  const RelayImportSkipped *skipped;

  g_assert_cmpuint (relay_import_get_n_rows (import), ==, 0);
  skipped = relay_import_get_skipped (import, 0);
  g_assert_cmpint (skipped->reason, ==, RELAY_IMPORT_SKIP_INVALID);
  g_assert_cmpint (skipped->problem, ==, RELAY_PHONE_NO_DEFAULT_COUNTRY);
  g_assert_cmpuint (skipped->line, ==, 2);
  g_clear_object (&import);

  /* Digits alone are international, as the To field takes them (a
   * spreadsheet drops the '+'); no header, so the first row is a row. */
  import = import_csv ("Ann,447700900001\nBob,447700900002\n", NULL);
  g_assert_false (relay_import_get_has_header (import));
  g_assert_cmpuint (relay_import_get_phone_column (import), ==, 1);
  g_assert_cmpuint (relay_import_get_n_rows (import), ==, 2);
  g_assert_cmpstr (relay_import_get_number (import, 0), ==, "447700900001");
  g_clear_object (&import);

  /* A column of long numeric ids beside numbers written with '+': the
   * numbers are the phone column, though the ids would normalise too. */
  import = import_csv ("20260001,Ann,+44 7700 900001\n20260002,Bob,+44 7700 900002\n20260003,Cy,+44 7700 900003\n", NULL);
  g_assert_cmpuint (relay_import_get_phone_column (import), ==, 2);
  g_assert_cmpuint (relay_import_get_n_rows (import), ==, 3);
}

static void
test_own_country_code (void)
{
  /* A British list with default country 44 where some cells already
   * carry the 44 without '+': never 44447700900001. */
  RelayImportOptions options = { "44", NULL, NULL, NULL };
  g_autoptr(RelayImport) import = import_csv ("phone\n07700 900001\n447700900002\n7700 900003\n", &options);

  g_assert_cmpuint (relay_import_get_n_rows (import), ==, 3);
  g_assert_cmpstr (relay_import_get_number (import, 0), ==, "447700900001");
  g_assert_cmpstr (relay_import_get_number (import, 1), ==, "447700900002");
  g_assert_cmpstr (relay_import_get_number (import, 2), ==, "447700900003");
}

static void
test_vcard (void)
{
  const char *vcf =
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nTEL;TYPE=cell:07700 900001\r\nTEL;TYPE=work:07700 900001\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Bob\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:4.0\r\nN:Doe;Cy\r\nTEL;VALUE=uri:tel:+1-555-201-0123\r\nEND:VCARD\r\n";
  RelayImportOptions options = { "44", NULL, NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayImport) import = relay_import_new_from_vcard (vcf, strlen (vcf), &options, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (relay_import_get_n_columns (import), ==, 3);
  g_assert_cmpint (relay_import_find_column (import, "Name"), ==, 0);
  g_assert_cmpuint (relay_import_get_n_rows (import), ==, 2);
  g_assert_cmpstr (relay_import_get_field (import, 0, 0), ==, "Ann");
  g_assert_cmpstr (relay_import_get_field (import, 0, 2), ==, "cell");
  g_assert_cmpuint (relay_import_get_line (import, 0), ==, 4);
  g_assert_cmpstr (relay_import_get_number (import, 1), ==, "15552010123");
  g_assert_cmpstr (relay_import_get_field (import, 1, 0), ==, "Cy Doe");
  g_assert_cmpuint (relay_import_count_skipped (import, RELAY_IMPORT_SKIP_DUPLICATE), ==, 1);
  g_assert_cmpuint (relay_import_get_skipped (import, 0)->line, ==, 5);
  g_assert_cmpuint (relay_import_get_skipped (import, 0)->duplicate_of, ==, 4);
  g_assert_cmpuint (relay_import_count_skipped (import, RELAY_IMPORT_SKIP_MISSING), ==, 1);
  g_assert_cmpuint (relay_import_get_skipped (import, 1)->line, ==, 7);
}

static void
test_text (void)
{
  RelayImportOptions options = { "44", NULL, NULL, NULL };
  g_autoptr(RelayImport) list = NULL;
  g_autoptr(RelayImport) block = NULL;

  /* A pasted column with its header, and numbers separated by , and ;. */
  list = relay_import_new_from_text ("Mobile\r\n07700 900001\r\n07700 900002, +33 6 12 34 56 78;\n\n07700 900001\n", -1,
                                     &options, NULL);
  g_assert_nonnull (list);
  g_assert_true (relay_import_get_has_header (list));
  g_assert_cmpuint (relay_import_get_n_rows (list), ==, 3);
  g_assert_cmpstr (relay_import_get_number (list, 2), ==, "33612345678");
  g_assert_cmpuint (relay_import_get_line (list, 2), ==, 3);
  g_assert_cmpuint (relay_import_count_skipped (list, RELAY_IMPORT_SKIP_DUPLICATE), ==, 1);
  g_assert_cmpuint (relay_import_get_skipped (list, 0)->line, ==, 5);

  /* Cells are read the way the To field reads them: a byte order mark
   * skipped, quotes around a cell dropped, a line break inside one
   * counted. */
  g_clear_object (&list);
  list = relay_import_new_from_text ("\xEF\xBB\xBF" "Phone\n\"+44 7700\n900003\";\"07700 900004\"\n07700 900005", -1,
                                     &options, NULL);
  g_assert_nonnull (list);
  g_assert_true (relay_import_get_has_header (list));
  g_assert_cmpstr (relay_import_get_column_name (list, 0), ==, "Phone");
  g_assert_cmpuint (relay_import_get_n_skipped (list), ==, 1);
  g_assert_cmpuint (relay_import_get_skipped (list, 0)->line, ==, 2);
  g_assert_cmpuint (relay_import_get_n_rows (list), ==, 2);
  g_assert_cmpstr (relay_import_get_number (list, 0), ==, "447700900004");
  g_assert_cmpuint (relay_import_get_line (list, 0), ==, 3);
  g_assert_cmpuint (relay_import_get_line (list, 1), ==, 4);

  /* A block copied from a spreadsheet: tab-separated. */
  block = relay_import_new_from_text ("Name\tPhone\nAnn, Dr.\t07700 900001\nBob\t07700 900002", -1, &options, NULL);
  g_assert_nonnull (block);
  g_assert_cmpuint (relay_import_get_n_rows (block), ==, 2);
  g_assert_cmpstr (relay_import_get_field (block, 0, 0), ==, "Ann, Dr.");
}

static void
test_finalize (void)
{
  RelayImport *import = import_csv ("phone\n+447700900001\n", NULL);

  g_assert_finalize_object (import);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/relay/recipient-import/csv", test_csv);
  g_test_add_func ("/relay/recipient-import/detect-by-values", test_detect_by_values);
  g_test_add_func ("/relay/recipient-import/named-column", test_named_column);
  g_test_add_func ("/relay/recipient-import/errors", test_errors);
  g_test_add_func ("/relay/recipient-import/no-default-country", test_no_default_country);
  g_test_add_func ("/relay/recipient-import/own-country-code", test_own_country_code);
  g_test_add_func ("/relay/recipient-import/vcard", test_vcard);
  g_test_add_func ("/relay/recipient-import/text", test_text);
  g_test_add_func ("/relay/recipient-import/finalize", test_finalize);

  return g_test_run ();
}
