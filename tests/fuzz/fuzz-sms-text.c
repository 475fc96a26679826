/* fuzz-sms-text.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The live counter and the sandbox both price a text with
 * relay_sms_text_analyze() and cut it with relay_sms_text_split().
 * For any bytes (read up to the first NUL):
 *  - split() reports the same figures as analyze();
 *  - the parts joined give back the text (its g_utf8_make_valid() form
 *    when the input is not valid UTF-8), and no part is empty;
 *  - characters and units match an independent count (UTF-16 code units
 *    from g_utf8_to_utf16() for UCS-2, septets for GSM-7), and GSM-7 is
 *    chosen exactly when every character has a septet cost;
 *  - per_part and limit follow 160/153 (GSM-7) and 70/67 (UCS-2), units
 *    never exceed the limit, no part exceeds per_part, and every part but
 *    the last is full: its next character would not have fitted.
 */

#include <string.h>

#include "relay-sms-text.h"

#include "fuzz-common.h"

static guint
cost_of (RelaySmsEncoding encoding,
         gunichar         c)
{
  guint septets = 0;

  if (encoding == RELAY_SMS_ENCODING_UCS2)
    return c > 0xFFFF ? 2 : 1;

  g_assert_true (relay_sms_text_is_gsm7 (c, &septets));
  g_assert_true (septets == 1 || septets == 2);

  return septets;
}

static guint
units_of (RelaySmsEncoding  encoding,
          const char       *text)
{
  guint units = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    units += cost_of (encoding, g_utf8_get_char (p));

  return units;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *input = fuzz_dup_string (data, size);
  g_autofree char *valid = NULL;
  g_autofree char *joined = NULL;
  g_autofree gunichar2 *utf16 = NULL;
  g_auto(GStrv) parts = NULL;
  RelaySmsInfo analyzed;
  RelaySmsInfo info;
  gboolean all_gsm7 = TRUE;
  glong utf16_len = 0;
  guint single, multi;
  guint n_parts;

  valid = g_utf8_make_valid (input, -1);
  g_assert_true (g_utf8_validate (valid, -1, NULL));

  relay_sms_text_analyze (input, &analyzed);
  parts = relay_sms_text_split (input, &info);
  g_assert_cmpmem (&analyzed, sizeof analyzed, &info, sizeof info);

  n_parts = g_strv_length (parts);
  g_assert_cmpuint (n_parts, ==, info.parts);
  joined = g_strjoinv ("", parts);
  g_assert_cmpstr (joined, ==, valid);
  if (g_utf8_validate (input, -1, NULL))
    g_assert_cmpstr (joined, ==, input);

  g_assert_cmpuint (info.characters, ==, g_utf8_strlen (valid, -1));
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    all_gsm7 = all_gsm7 && relay_sms_text_is_gsm7 (g_utf8_get_char (p), NULL);
  g_assert_cmpint (info.encoding, ==, all_gsm7 ? RELAY_SMS_ENCODING_GSM7 : RELAY_SMS_ENCODING_UCS2);

  if (info.encoding == RELAY_SMS_ENCODING_UCS2)
    {
      utf16 = g_utf8_to_utf16 (valid, -1, NULL, &utf16_len, NULL);
      g_assert_nonnull (utf16);
      g_assert_cmpuint (info.units, ==, (guint) utf16_len);
    }
  g_assert_cmpuint (info.units, ==, units_of (info.encoding, valid));

  single = info.encoding == RELAY_SMS_ENCODING_GSM7 ? 160 : 70;
  multi = info.encoding == RELAY_SMS_ENCODING_GSM7 ? 153 : 67;

  if (info.units == 0)
    {
      g_assert_cmpuint (info.parts, ==, 0);
      g_assert_cmpuint (info.per_part, ==, single);
      g_assert_cmpuint (info.limit, ==, single);
    }
  else if (info.units <= single)
    {
      g_assert_cmpuint (info.parts, ==, 1);
      g_assert_cmpuint (info.per_part, ==, single);
      g_assert_cmpuint (info.limit, ==, single);
    }
  else
    {
      g_assert_cmpuint (info.parts, >=, 2);
      g_assert_cmpuint (info.per_part, ==, multi);
      g_assert_cmpuint (info.limit, ==, multi * info.parts);
      g_assert_cmpuint (info.parts, >=, (info.units + multi - 1) / multi);
    }
  g_assert_cmpuint (info.units, <=, info.limit);

  for (guint i = 0; i < n_parts; i++)
    {
      guint used = units_of (info.encoding, parts[i]);

      g_assert_cmpuint (strlen (parts[i]), >, 0);
      g_assert_cmpuint (used, <=, info.per_part);
      if (i + 1 < n_parts)
        g_assert_cmpuint (used + cost_of (info.encoding, g_utf8_get_char (parts[i + 1])), >, info.per_part);
    }

  return 0;
}
