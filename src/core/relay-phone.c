/* relay-phone.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Phone numbers as people write them, made international digits
 * (E.164 without the '+'):
 *
 * - Separators are dropped: space (also no-break and thin spaces), tab,
 *   '.', '-', '/', '(' and ')'. Any other sign or a letter is refused
 *   (so are extensions such as "ext. 12": an SMS has no extension).
 * - International forms: a leading '+', the international prefix "00",
 *   and "011" when the default country is 1 (North America). A "(0)"
 *   group ("+44 (0)7700 900123") is the trunk prefix printed for
 *   national callers and is dropped in an international number.
 * - Digits alone, without a default country, are international, as the
 *   To field and relay-cli --to take them; starting with 0 they are a
 *   national number that needs the default country. With a default
 *   country, digits that start with its code (and, where the leading 0
 *   stays, have 11 or more digits) are international too, so a
 *   "447700900123" in a British list never becomes 44447700900123; and
 *   with default country 1 more than 11 digits not starting with 1 are
 *   another country's number.
 * - Anything else is a national number of the default country. Its
 *   national trunk prefix is removed once: "0" for
 *   most countries; "8" for 7 (Russia, Kazakhstan); "06" for 36
 *   (Hungary); "1" for 1, where a national number must then have 10
 *   digits with an area code not starting with 0 or 1. Italy (39), Côte
 *   d'Ivoire (225) and the Republic of the Congo (242) keep the leading
 *   0: it is part of their numbers.
 * - The result must start with a country calling code assigned by the
 *   ITU (the table below; the non-geographic codes for freephone,
 *   satellite and networks, 8xx and 979, cannot receive SMS here and are
 *   left out) and have 7 to 15 digits.
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relay-phone.h"

#define MIN_DIGITS 7
#define MAX_DIGITS 15

/* ITU-T E.164 country calling codes in use for geographic areas, in
 * numerical order (one table: relay_phone_is_country_code() reads it). */
static const char *const country_codes[] = {
  "1", "20", "211", "212", "213", "216", "218",
  "220", "221", "222", "223", "224", "225", "226", "227", "228", "229",
  "230", "231", "232", "233", "234", "235", "236", "237", "238", "239",
  "240", "241", "242", "243", "244", "245", "246", "247", "248", "249",
  "250", "251", "252", "253", "254", "255", "256", "257", "258",
  "260", "261", "262", "263", "264", "265", "266", "267", "268", "269",
  "27", "290", "291", "297", "298", "299",
  "30", "31", "32", "33", "34",
  "350", "351", "352", "353", "354", "355", "356", "357", "358", "359",
  "36", "370", "371", "372", "373", "374", "375", "376", "377", "378", "379",
  "380", "381", "382", "383", "385", "386", "387", "389",
  "39", "40", "41", "420", "421", "423", "43", "44", "45", "46", "47", "48", "49",
  "500", "501", "502", "503", "504", "505", "506", "507", "508", "509",
  "51", "52", "53", "54", "55", "56", "57", "58",
  "590", "591", "592", "593", "594", "595", "596", "597", "598", "599",
  "60", "61", "62", "63", "64", "65", "66",
  "670", "672", "673", "674", "675", "676", "677", "678", "679",
  "680", "681", "682", "683", "685", "686", "687", "688", "689",
  "690", "691", "692",
  "7", "81", "82", "84", "850", "852", "853", "855", "856", "86",
  "880", "886",
  "90", "91", "92", "93", "94", "95",
  "960", "961", "962", "963", "964", "965", "966", "967", "968",
  "970", "971", "972", "973", "974", "975", "976", "977",
  "98", "992", "993", "994", "995", "996", "998",
};

static int
compare_code (const void *a,
              const void *b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/**
 * relay_phone_is_country_code:
 * @code: digits
 *
 * Returns: whether @code is an ITU country calling code (see above)
 */
gboolean
relay_phone_is_country_code (const char *code)
{
  g_return_val_if_fail (code != NULL, FALSE);

  return bsearch (&code, country_codes, G_N_ELEMENTS (country_codes),
                  sizeof (country_codes[0]), compare_code) != NULL;
}

/**
 * relay_phone_country_code_length:
 * @digits: international digits
 *
 * Returns: the length of the country calling code @digits start with
 *   (1 to 3), or 0 when they start with none
 */
guint
relay_phone_country_code_length (const char *digits)
{
  g_return_val_if_fail (digits != NULL, 0);

  /* Country codes are a prefix code: at most one length matches. */
  for (guint len = 1; len <= 3; len++)
    {
      char code[4];

      if (strlen (digits) < len)
        return 0;
      memcpy (code, digits, len);
      code[len] = '\0';
      if (relay_phone_is_country_code (code))
        return len;
    }

  return 0;
}

static gboolean
is_separator (gunichar c)
{
  return c == ' ' || c == '\t' || c == '.' || c == '-' || c == '/'
      || c == '(' || c == ')'
      || c == 0x00A0 || c == 0x2009 || c == 0x202F || c == 0x2007;
}

/* The trunk prefix a national number of @country starts with, "" for
 * countries whose numbers keep their leading 0. */
static const char *
trunk_prefix (const char *country)
{
  if (strcmp (country, "1") == 0)
    return "1";
  if (strcmp (country, "7") == 0)
    return "8";
  if (strcmp (country, "36") == 0)
    return "06";
  if (strcmp (country, "39") == 0 || strcmp (country, "225") == 0
      || strcmp (country, "242") == 0)
    return "";
  return "0";
}

static char *
fail (RelayPhoneProblem *problem,
      RelayPhoneProblem  why)
{
  if (problem != NULL)
    *problem = why;
  return NULL;
}

/**
 * relay_phone_normalize:
 * @input: a phone number as written
 * @default_country: (nullable): the country calling code of national
 *   numbers, such as "44"
 * @problem: (out) (optional): why it was refused, %RELAY_PHONE_OK when not
 *
 * Makes @input international digits by the rules at the top of this
 * file: "+44 (0)7700 900123", "0044 7700 900123" and, with
 * @default_country "44", "07700 900123" all give "447700900123".
 *
 * Returns: (transfer full) (nullable): the digits, or %NULL
 */
char *
relay_phone_normalize (const char        *input,
                       const char        *default_country,
                       RelayPhoneProblem *problem)
{
  g_autoptr(GString) digits = NULL;
  gboolean plus = FALSE;
  gboolean international;
  const char *p;

  if (problem != NULL)
    *problem = RELAY_PHONE_OK;
  g_return_val_if_fail (input != NULL, NULL);

  if (!g_utf8_validate (input, -1, NULL))
    return fail (problem, RELAY_PHONE_BAD_CHARACTER);

  digits = g_string_new (NULL);
  for (p = input; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= '0' && c <= '9')
        g_string_append_c (digits, (char) c);
      else if (c == '+' && digits->len == 0 && !plus)
        plus = TRUE;
      else if (c == '(' && p[1] == '0' && p[2] == ')')
        {
          /* "(0)": kept for now, dropped below when international. */
          g_string_append_c (digits, 'T');
          p += 2;
        }
      else if (!is_separator (c))
        return fail (problem, RELAY_PHONE_BAD_CHARACTER);
    }

  if (digits->len == 0)
    return fail (problem, RELAY_PHONE_EMPTY);

  international = plus;
  if (!plus && g_str_has_prefix (digits->str, "00"))
    {
      g_string_erase (digits, 0, 2);
      international = TRUE;
    }
  else if (!plus && default_country != NULL && strcmp (default_country, "1") == 0
           && g_str_has_prefix (digits->str, "011"))
    {
      g_string_erase (digits, 0, 3);
      international = TRUE;
    }

  /* The "(0)" marker: dropped in international numbers, the digit 0 in
   * national ones (where it is the trunk prefix, removed below). */
  for (gsize i = 0; i < digits->len; i++)
    if (digits->str[i] == 'T')
      {
        if (international)
          g_string_erase (digits, i--, 1);
        else
          digits->str[i] = '0';
      }

  if (digits->len == 0)
    return fail (problem, RELAY_PHONE_EMPTY);

  if (!international && (default_country == NULL || *default_country == '\0'))
    {
      /* Digits alone are international, as relay-cli --to and the To
       * field take them (a spreadsheet often drops the '+'); a national
       * number, with its trunk 0, needs the country. */
      if (digits->str[0] == '0')
        return fail (problem, RELAY_PHONE_NO_DEFAULT_COUNTRY);
      international = TRUE;
    }

  if (!international)
    {
      const char *trunk;

      if (strspn (default_country, "0123456789") != strlen (default_country)
          || !relay_phone_is_country_code (default_country))
        return fail (problem, RELAY_PHONE_BAD_DEFAULT_COUNTRY);

      trunk = trunk_prefix (default_country);
      if (strcmp (default_country, "1") == 0)
        {
          /* More than "1" and 10 digits, not starting with 1: another
           * country's number without its '+'. */
          if (digits->len > 11 && digits->str[0] != '1')
            international = TRUE;
          else
            {
              if (digits->len == 11 && digits->str[0] == '1')
                g_string_erase (digits, 0, 1);
              if (digits->len != 10 || digits->str[0] == '0' || digits->str[0] == '1')
                return fail (problem, RELAY_PHONE_BAD_NATIONAL_NUMBER);
            }
        }
      else if (*trunk != '\0' && g_str_has_prefix (digits->str, trunk))
        {
          g_string_erase (digits, 0, strlen (trunk));
        }
      else if (g_str_has_prefix (digits->str, default_country)
               && (*trunk != '\0' || digits->len >= 11))
        {
          /* The country's own code without the '+' ("447700900123" in a
           * British list), never prefixed twice. Where national numbers
           * have a trunk prefix, a national number written without it
           * does not start with the country code in practice; where the
           * 0 stays (Italy), only a number longer than any national one. */
          international = TRUE;
        }

      if (!international)
        g_string_prepend (digits, default_country);
    }

  if (digits->len > MAX_DIGITS)
    return fail (problem, RELAY_PHONE_TOO_LONG);
  if (relay_phone_country_code_length (digits->str) == 0)
    return fail (problem, RELAY_PHONE_BAD_COUNTRY_CODE);
  if (digits->len < MIN_DIGITS)
    return fail (problem, RELAY_PHONE_TOO_SHORT);

  return g_string_free (g_steal_pointer (&digits), FALSE);
}

/**
 * relay_phone_problem_to_string:
 * @problem: a problem
 *
 * Returns: a sentence saying what is wrong with the number
 */
const char *
relay_phone_problem_to_string (RelayPhoneProblem problem)
{
  switch (problem)
    {
    case RELAY_PHONE_OK:
      return _("The number is valid.");
    case RELAY_PHONE_EMPTY:
      return _("The phone number is empty.");
    case RELAY_PHONE_BAD_CHARACTER:
      return _("The phone number holds a letter or sign other than digits, a leading +, spaces, dots, dashes, slashes and brackets.");
    case RELAY_PHONE_TOO_SHORT:
      return _("The phone number is too short: it needs at least 7 digits with the country code.");
    case RELAY_PHONE_TOO_LONG:
      return _("The phone number is too long: international numbers have at most 15 digits.");
    case RELAY_PHONE_NO_DEFAULT_COUNTRY:
      return _("The phone number has no country code: write it with + and the country code, or set a default country code.");
    case RELAY_PHONE_BAD_COUNTRY_CODE:
      return _("The phone number does not start with a country calling code.");
    case RELAY_PHONE_BAD_DEFAULT_COUNTRY:
      return _("The default country code is not a country calling code.");
    case RELAY_PHONE_BAD_NATIONAL_NUMBER:
      return _("The national phone number does not have the length or shape numbers of that country have.");
    default:
      g_return_val_if_reached (NULL);
    }
}
