/* test-vcard.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * vCard 2.1, 3.0 and 4.0: names, numbers, folding, escapes, groups,
 * parameters, quoted-printable, and errors with their line.
 */

#include <string.h>

#include "relay-vcard.h"

/* "name|tel|type@line" per entry, joined with "\n" ("-" for NULL). */
static char *
parse (const char *data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = relay_vcard_parse (data, strlen (data), &error);
  GString *out = g_string_new (NULL);

  if (entries == NULL)
    {
      g_string_printf (out, "ERROR %d: %s", error->code, error->message);
      return g_string_free (out, FALSE);
    }
  for (guint i = 0; i < entries->len; i++)
    {
      const RelayVcardEntry *e = g_ptr_array_index (entries, i);

      if (i > 0)
        g_string_append_c (out, '\n');
      g_string_append_printf (out, "%s|%s|%s@%u", e->name ? e->name : "-",
                              e->tel ? e->tel : "-", e->type ? e->type : "-", e->line);
    }

  return g_string_free (out, FALSE);
}

static void
assert_parse (const char *data,
              const char *expected)
{
  g_autofree char *result = parse (data);

  g_assert_cmpstr (result, ==, expected);
}

static void
assert_error (const char *data,
              int         code,
              const char *fragment)
{
  g_autofree char *result = parse (data);
  g_autofree char *prefix = g_strdup_printf ("ERROR %d: ", code);

  g_test_message ("%s", result);
  g_assert_true (g_str_has_prefix (result, prefix));
  g_assert_nonnull (strstr (result, fragment));
}

static void
test_versions (void)
{
  assert_parse ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Smith\r\nN:Smith;Ann;;;\r\n"
                "TEL;TYPE=CELL,voice:+44 7700 900123\r\nTEL;TYPE=home:020 7946 0000\r\nEND:VCARD\r\n",
                "Ann Smith|+44 7700 900123|cell,voice@5\nAnn Smith|020 7946 0000|home@6");
  assert_parse ("BEGIN:VCARD\nVERSION:4.0\nFN:Bob\nTEL;VALUE=uri;TYPE=\"cell,text\":tel:+1-555-201-0123;ext=5\nEND:VCARD\n",
                "Bob|+1-555-201-0123|cell,text@4");
  assert_parse ("BEGIN:VCARD\nVERSION:2.1\nN:Doe;John\nTEL;CELL;PREF:0170 1234567\nEND:VCARD\n",
                "John Doe|0170 1234567|cell,pref@4");
  /* Several cards, one without a number, one without a name. */
  assert_parse ("BEGIN:VCARD\nFN:A\nEND:VCARD\nBEGIN:VCARD\nTEL:123\nEND:VCARD\n",
                "A|-|-@1\n-|123|-@5");
  /* Lower case, blank lines, groups and parameters after TYPE. */
  assert_parse ("\n\nbegin:vcard\nitem1.TEL;type=CELL;pref=1:+33 6 12 34 56 78\nitem1.X-ABLabel:mobile\n"
                "fn:Zoé\nend:vcard\n\n",
                "Zoé|+33 6 12 34 56 78|cell@4");
  assert_parse ("\xef\xbb\xbf" "BEGIN:VCARD\r\nFN:Bom\r\nTEL:1\r\nEND:VCARD", "Bom|1|-@3");
}

static void
test_folding (void)
{
  /* CRLF or LF then one space or tab continues the line. */
  assert_parse ("BEGIN:VCARD\r\nFN:Anne-Marie\r\n  de la Fontaine\r\nTEL;TYPE=ce\r\n\tll:+44 7700\r\n  900123\r\nEND:VCARD\r\n",
                "Anne-Marie de la Fontaine|+44 7700 900123|cell@4");
  assert_parse ("BEGIN:VCARD\nFN:Fo\n ld\nTEL:1\nEND:VCARD\n", "Fold|1|-@4");
}

static void
test_escapes (void)
{
  assert_parse ("BEGIN:VCARD\nFN:Smith\\, Jo\\; Dr.\\nLine\\\\two\nTEL:1\nEND:VCARD\n",
                "Smith, Jo; Dr.\nLine\\two|1|-@3");
  assert_parse ("BEGIN:VCARD\nN:O\\;Neil;Pat;J.;Dr.;Jr.\nTEL:2\nEND:VCARD\n",
                "Dr. Pat J. O;Neil Jr.|2|-@3");
  /* FN wins over N, an empty FN does not. */
  assert_parse ("BEGIN:VCARD\nN:Doe;Jane\nFN:\nTEL:3\nEND:VCARD\n", "Jane Doe|3|-@4");
  assert_parse ("BEGIN:VCARD\nTEL:tel:+4930123\nEND:VCARD\n", "-|+4930123|-@2");
}

static void
test_quoted_printable (void)
{
  assert_parse ("BEGIN:VCARD\nVERSION:2.1\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=\n=C3=BCller\n"
                "TEL;CELL:+49 170 1234567\nEND:VCARD\n",
                "Jürgen Müller|+49 170 1234567|cell@5");
  assert_parse ("BEGIN:VCARD\nFN;QUOTED-PRINTABLE:Ren=E9\nTEL:1\nEND:VCARD\n", "René|1|-@3");

  /* A long value of many soft line breaks reads in linear time. */
  {
    g_autoptr(GString) card = g_string_new ("BEGIN:VCARD\nFN;ENCODING=QUOTED-PRINTABLE:");
    g_autoptr(GPtrArray) entries = NULL;
    const RelayVcardEntry *entry;

    for (guint i = 0; i < 50000; i++)
      g_string_append (card, "ab=\n");
    g_string_append (card, "c\nTEL:1\nEND:VCARD\n");
    entries = relay_vcard_parse (card->str, card->len, NULL);
    g_assert_nonnull (entries);
    entry = g_ptr_array_index (entries, 0);
    g_assert_cmpuint (strlen (entry->name), ==, 100001);
    g_assert_cmpuint (entry->line, ==, 50003);
  }
}

static void
test_errors (void)
{
  assert_error ("", RELAY_VCARD_ERROR_EMPTY, "no vCard");
  assert_error ("name,phone\nAnn,123\n", RELAY_VCARD_ERROR_SYNTAX, "Line 1:");
  assert_error ("BEGIN:VCARD\nFN:A\nno colon here\nEND:VCARD\n", RELAY_VCARD_ERROR_SYNTAX, "Line 3:");
  assert_error ("BEGIN:VCARD\nFN:A\n\nBEGIN:VCARD\nEND:VCARD\n", RELAY_VCARD_ERROR_SYNTAX, "Line 4:");
  assert_error ("BEGIN:VCARD\nFN:A\nEND:VCARD\nBEGIN:VCARD\nFN:\n B\n", RELAY_VCARD_ERROR_SYNTAX, "Line 4:");
  assert_error ("BEGIN:VCARD\nFN:A\nEND:VCARD\nTEL:1\n", RELAY_VCARD_ERROR_SYNTAX, "Line 4:");
  assert_error ("BEGIN:VCARD\nFN:\xe9\nEND:VCARD\n", RELAY_VCARD_ERROR_ENCODING, "Line 2:");
}

static void
test_write (void)
{
  const char *data = "BEGIN:VCARD\nFN:Smith\\, Jo\\nX\nTEL;TYPE=cell:+44 7700 900123\nTEL:a\\;b\nEND:VCARD\n"
                     "BEGIN:VCARD\nN:Doe;Jane\nEND:VCARD\n";
  g_autoptr(GPtrArray) first = relay_vcard_parse (data, strlen (data), NULL);
  g_autofree char *written = NULL;
  g_autoptr(GPtrArray) second = NULL;

  g_assert_nonnull (first);
  g_assert_cmpuint (first->len, ==, 3);
  written = relay_vcard_write (first);
  g_assert_nonnull (strstr (written, "FN:Smith\\, Jo\\nX\r\n"));
  g_assert_nonnull (strstr (written, "TEL;TYPE=\"cell\";VALUE=uri:tel:+44 7700 900123\r\n"));
  g_assert_nonnull (strstr (written, "TEL:a\\;b\r\n"));
  second = relay_vcard_parse (written, strlen (written), NULL);
  g_assert_nonnull (second);
  g_assert_cmpuint (second->len, ==, first->len);
  for (guint i = 0; i < first->len; i++)
    {
      const RelayVcardEntry *a = g_ptr_array_index (first, i);
      const RelayVcardEntry *b = g_ptr_array_index (second, i);

      g_assert_cmpstr (a->name, ==, b->name);
      g_assert_cmpstr (a->tel, ==, b->tel);
      g_assert_cmpstr (a->type, ==, b->type);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/relay/vcard/versions", test_versions);
  g_test_add_func ("/relay/vcard/folding", test_folding);
  g_test_add_func ("/relay/vcard/escapes", test_escapes);
  g_test_add_func ("/relay/vcard/quoted-printable", test_quoted_printable);
  g_test_add_func ("/relay/vcard/errors", test_errors);
  g_test_add_func ("/relay/vcard/write", test_write);

  return g_test_run ();
}
