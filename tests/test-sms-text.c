/* test-sms-text.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GSM-7 / UCS-2 detection and part counting, at the boundaries.
 */

#include <string.h>

#include "relay-sms-text.h"

static char *
repeat (const char *unit,
        guint       times)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < times; i++)
    g_string_append (out, unit);

  return g_string_free (out, FALSE);
}

static void
assert_info (const char       *text,
             RelaySmsEncoding  encoding,
             guint             characters,
             guint             units,
             guint             parts,
             guint             per_part)
{
  RelaySmsInfo info;

  relay_sms_text_analyze (text, &info);
  g_assert_cmpint (info.encoding, ==, encoding);
  g_assert_cmpuint (info.characters, ==, characters);
  g_assert_cmpuint (info.units, ==, units);
  g_assert_cmpuint (info.parts, ==, parts);
  g_assert_cmpuint (info.per_part, ==, per_part);
  g_assert_cmpuint (info.limit, ==, per_part * MAX (parts, 1));
}

/* Splits @text and checks every piece against the encoding's budget and
 * that the pieces join back to @text. */
static void
assert_split_joins (const char *text)
{
  RelaySmsInfo info;
  g_auto(GStrv) pieces = relay_sms_text_split (text, &info);
  g_autofree char *joined = g_strjoinv ("", pieces);

  g_assert_cmpstr (joined, ==, text);
  g_assert_cmpuint (g_strv_length (pieces), ==, info.parts);

  for (guint i = 0; pieces[i] != NULL; i++)
    {
      RelaySmsInfo piece;

      g_assert_true (g_utf8_validate (pieces[i], -1, NULL));
      relay_sms_text_analyze (pieces[i], &piece);
      g_assert_cmpuint (piece.units, <=, info.per_part);
      g_assert_cmpuint (piece.units, >, 0);
    }
}

static void
test_gsm7_basic (void)
{
  guint septets = 0;

  assert_info ("", RELAY_SMS_ENCODING_GSM7, 0, 0, 0, 160);
  assert_info ("Hello, world!", RELAY_SMS_ENCODING_GSM7, 13, 13, 1, 160);
  /* Accented letters of the default alphabet stay GSM-7. */
  assert_info ("Ça où éè ÄÖÑÜ ñ à", RELAY_SMS_ENCODING_GSM7, 17, 17, 1, 160);
  assert_info ("@£$¥ΔΦΓΛΩΠΨΣΘΞ\n\r", RELAY_SMS_ENCODING_GSM7, 16, 16, 1, 160);

  g_assert_true (relay_sms_text_is_gsm7 ('A', &septets));
  g_assert_cmpuint (septets, ==, 1);
  g_assert_true (relay_sms_text_is_gsm7 (g_utf8_get_char ("£"), &septets));
  g_assert_cmpuint (septets, ==, 1);
}

static void
test_gsm7_extension (void)
{
  static const char *const extension[] = { "€", "[", "]", "{", "}", "\\", "^", "~", "|", "\f" };
  guint septets = 0;

  for (guint i = 0; i < G_N_ELEMENTS (extension); i++)
    {
      g_assert_true (relay_sms_text_is_gsm7 (g_utf8_get_char (extension[i]), &septets));
      g_assert_cmpuint (septets, ==, 2);
      assert_info (extension[i], RELAY_SMS_ENCODING_GSM7, 1, 2, 1, 160);
    }

  assert_info ("Price: 5€ [net]", RELAY_SMS_ENCODING_GSM7, 15, 18, 1, 160);
}

static void
test_ucs2_switch (void)
{
  guint septets = 7;

  /* Lowercase ç is not in the default alphabet (only Ç is). */
  g_assert_false (relay_sms_text_is_gsm7 (g_utf8_get_char ("ç"), &septets));
  g_assert_cmpuint (septets, ==, 0);
  assert_info ("garçon", RELAY_SMS_ENCODING_UCS2, 6, 6, 1, 70);
  assert_info ("Привет", RELAY_SMS_ENCODING_UCS2, 6, 6, 1, 70);
  /* One non-GSM character switches the whole text, extension characters
   * then cost one unit like any other. */
  assert_info ("€€ ж", RELAY_SMS_ENCODING_UCS2, 4, 4, 1, 70);
  g_assert_false (relay_sms_text_is_gsm7 (0, NULL));
}

static void
test_gsm7_boundaries (void)
{
  g_autofree char *t160 = repeat ("a", 160);
  g_autofree char *t161 = repeat ("a", 161);
  g_autofree char *t306 = repeat ("a", 306);
  g_autofree char *t307 = repeat ("a", 307);
  g_autofree char *e80 = repeat ("€", 80);
  g_autofree char *e81 = repeat ("€", 81);

  assert_info (t160, RELAY_SMS_ENCODING_GSM7, 160, 160, 1, 160);
  assert_info (t161, RELAY_SMS_ENCODING_GSM7, 161, 161, 2, 153);
  assert_info (t306, RELAY_SMS_ENCODING_GSM7, 306, 306, 2, 153);
  assert_info (t307, RELAY_SMS_ENCODING_GSM7, 307, 307, 3, 153);
  assert_info (e80, RELAY_SMS_ENCODING_GSM7, 80, 160, 1, 160);
  /* 162 septets: 76 escapes fit in 153 (152), the other 5 in part two. */
  assert_info (e81, RELAY_SMS_ENCODING_GSM7, 81, 162, 2, 153);
}

static void
test_ucs2_boundaries (void)
{
  g_autofree char *t70 = repeat ("ж", 70);
  g_autofree char *t71 = repeat ("ж", 71);
  g_autofree char *t134 = repeat ("ж", 134);
  g_autofree char *t135 = repeat ("ж", 135);

  assert_info (t70, RELAY_SMS_ENCODING_UCS2, 70, 70, 1, 70);
  assert_info (t71, RELAY_SMS_ENCODING_UCS2, 71, 71, 2, 67);
  assert_info (t134, RELAY_SMS_ENCODING_UCS2, 134, 134, 2, 67);
  assert_info (t135, RELAY_SMS_ENCODING_UCS2, 135, 135, 3, 67);
}

static void
test_surrogate_pairs (void)
{
  g_autofree char *e35 = repeat ("😀", 35);
  g_autofree char *e36 = repeat ("😀", 36);
  g_autofree char *a_e40 = NULL;
  g_auto(GStrv) pieces = NULL;
  RelaySmsInfo info;

  assert_info ("😀", RELAY_SMS_ENCODING_UCS2, 1, 2, 1, 70);
  assert_info (e35, RELAY_SMS_ENCODING_UCS2, 35, 70, 1, 70);
  /* 72 units: 33 pairs (66 units) per part, since a pair never straddles. */
  assert_info (e36, RELAY_SMS_ENCODING_UCS2, 36, 72, 2, 67);

  /* "a" + 40 pairs = 81 units: part one holds "a" and 33 pairs (67). */
  {
    g_autofree char *tail = repeat ("😀", 40);

    a_e40 = g_strconcat ("a", tail, NULL);
  }
  pieces = relay_sms_text_split (a_e40, &info);
  g_assert_cmpuint (info.parts, ==, 2);
  g_assert_cmpuint (g_utf8_strlen (pieces[0], -1), ==, 34);
  g_assert_cmpuint (g_utf8_strlen (pieces[1], -1), ==, 7);
  assert_split_joins (a_e40);
  assert_split_joins (e36);
}

static void
test_escape_not_split (void)
{
  g_autofree char *head = repeat ("a", 152);
  g_autofree char *tail = repeat ("a", 10);
  g_autofree char *text = g_strconcat (head, "€", tail, NULL);
  g_auto(GStrv) pieces = NULL;
  RelaySmsInfo info;

  /* 164 septets; the € would take septets 153 and 154 of part one, so it
   * moves whole into part two. */
  pieces = relay_sms_text_split (text, &info);
  g_assert_cmpuint (info.units, ==, 164);
  g_assert_cmpuint (info.parts, ==, 2);
  g_assert_cmpstr (pieces[0], ==, head);
  g_assert_true (g_str_has_prefix (pieces[1], "€"));
  g_assert_null (pieces[2]);
  assert_split_joins (text);
}

static void
test_split_joins (void)
{
  g_autofree char *long_gsm = repeat ("The quick brown fox {jumps} over [the] lazy dog. ", 20);
  g_autofree char *long_ucs = repeat ("Съешь же ещё этих мягких французских булок 😀 ", 12);
  g_auto(GStrv) empty = NULL;
  g_auto(GStrv) one = NULL;

  assert_split_joins (long_gsm);
  assert_split_joins (long_ucs);
  assert_split_joins ("short");

  empty = relay_sms_text_split ("", NULL);
  g_assert_null (empty[0]);
  one = relay_sms_text_split ("one part", NULL);
  g_assert_cmpstr (one[0], ==, "one part");
  g_assert_null (one[1]);
}

static void
test_invalid_utf8 (void)
{
  RelaySmsInfo info;

  /* Never read past the end, never crash: counted as replacement text. */
  relay_sms_text_analyze ("ab\xff\xfe", &info);
  g_assert_cmpint (info.encoding, ==, RELAY_SMS_ENCODING_UCS2);
  g_assert_cmpuint (info.parts, ==, 1);
  relay_sms_text_analyze (NULL, &info);
  g_assert_cmpuint (info.parts, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/relay/sms-text/gsm7-basic", test_gsm7_basic);
  g_test_add_func ("/relay/sms-text/gsm7-extension", test_gsm7_extension);
  g_test_add_func ("/relay/sms-text/ucs2-switch", test_ucs2_switch);
  g_test_add_func ("/relay/sms-text/gsm7-boundaries", test_gsm7_boundaries);
  g_test_add_func ("/relay/sms-text/ucs2-boundaries", test_ucs2_boundaries);
  g_test_add_func ("/relay/sms-text/surrogate-pairs", test_surrogate_pairs);
  g_test_add_func ("/relay/sms-text/escape-not-split", test_escape_not_split);
  g_test_add_func ("/relay/sms-text/split-joins", test_split_joins);
  g_test_add_func ("/relay/sms-text/invalid-utf8", test_invalid_utf8);

  return g_test_run ();
}
