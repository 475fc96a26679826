/* fuzz-percent-decode.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * relay_percent_decode() against a reference decoder written here from
 * RFC 3986 §2.1 (same answer, same refusals), and the round trips:
 *  - decode (encode (decode (x))) == decode (x), byte for byte;
 *  - encode (d) uses only unreserved characters and uppercase "%XX",
 *    and equals g_uri_escape_string (d, NULL, FALSE) (shared notes §5.1).
 * The first input byte picks plus_is_space; the rest is the text.
 */

#include <string.h>

#include "relay-oauth1-error.h"
#include "relay-oauth1-params.h"

#include "fuzz-common.h"

static int
reference_hex (char c)
{
  static const char digits[] = "0123456789abcdef";
  const char *hit = c != '\0' ? strchr (digits, g_ascii_tolower (c)) : NULL;

  return hit != NULL ? (int) (hit - digits) : -1;
}

/* Returns FALSE where a decoder must refuse: a '%' without two hex
 * digits, an escape for NUL, or a raw NUL byte. */
static gboolean
reference_decode (const char *text,
                  size_t      size,
                  gboolean    plus_is_space,
                  GString    *out)
{
  for (size_t i = 0; i < size; i++)
    {
      if (text[i] == '\0')
        return FALSE;

      if (text[i] == '%')
        {
          int hi, lo;

          if (size - i < 3)
            return FALSE;
          hi = reference_hex (text[i + 1]);
          lo = reference_hex (text[i + 2]);
          if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
            return FALSE;
          g_string_append_c (out, (char) (hi * 16 + lo));
          i += 2;
        }
      else if (text[i] == '+' && plus_is_space)
        g_string_append_c (out, ' ');
      else
        g_string_append_c (out, text[i]);
    }

  return TRUE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *decoded = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *glib_encoded = NULL;
  g_autofree char *decoded_again = NULL;
  g_autofree char *encoded_again = NULL;
  gboolean plus_is_space;
  const char *text;
  gboolean accepted;
  gsize decoded_len = 0;
  gsize again_len = 0;

  if (size == 0)
    return 0;

  plus_is_space = (data[0] & 1) != 0;
  text = (const char *) data + 1;
  size--;

  accepted = reference_decode (text, size, plus_is_space, expected);
  decoded = relay_percent_decode (text, size, plus_is_space, &decoded_len, &error);

  if (!accepted)
    {
      g_assert_null (decoded);
      g_assert_error (error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_MALFORMED);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }

  g_assert_no_error (error);
  g_assert_nonnull (decoded);
  g_assert_cmpuint (decoded_len, ==, expected->len);
  g_assert_cmpmem (decoded, decoded_len, expected->str, expected->len);
  g_assert_cmpuint (strlen (decoded), ==, decoded_len);

  encoded = relay_percent_encode (decoded);
  glib_encoded = g_uri_escape_string (decoded, NULL, FALSE);
  g_assert_cmpstr (encoded, ==, glib_encoded);
  for (const char *p = encoded; *p != '\0'; p++)
    {
      if (*p == '%')
        {
          g_assert_true (g_ascii_isxdigit (p[1]) && !g_ascii_islower (p[1]));
          g_assert_true (g_ascii_isxdigit (p[2]) && !g_ascii_islower (p[2]));
          p += 2;
        }
      else
        g_assert_true (g_ascii_isalnum (*p) || strchr ("-._~", *p) != NULL);
    }

  /* Encoded text never holds '+', so both decoding modes agree on it. */
  decoded_again = relay_percent_decode (encoded, -1, !plus_is_space, &again_len, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (decoded_again, again_len, decoded, decoded_len);

  encoded_again = relay_percent_encode (decoded_again);
  g_assert_cmpstr (encoded_again, ==, encoded);

  return 0;
}
