/* relay-amount.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relay-amount.h"

/* Integer digits an amount may have: ten billion is no price. */
#define MAX_INTEGER_DIGITS 10

/**
 * relay_amount_parse:
 * @text: a decimal such as "0.03330000", "1" or "9.90"
 * @amount: (out): the amount
 *
 * Reads a plain non-negative decimal: digits, optionally a point and
 * more digits. Anything else is refused, so that a provider's "1e300",
 * "0x1p4", "-0.01", " 1", "1." or "NaN" never becomes a price. Digits
 * past the eighth decimal must be zeros (they could not be kept exactly).
 *
 * Returns: %TRUE when @text is such a decimal
 */
gboolean
relay_amount_parse (const char  *text,
                    RelayAmount *amount)
{
  RelayAmount units = 0;
  RelayAmount fraction = 0;
  const char *p = text;
  guint integer_digits = 0;
  guint decimals = 0;

  g_return_val_if_fail (amount != NULL, FALSE);

  if (text == NULL)
    return FALSE;

  for (; g_ascii_isdigit (*p); p++)
    {
      if (++integer_digits > MAX_INTEGER_DIGITS)
        return FALSE;
      units = units * 10 + (*p - '0');
    }
  if (integer_digits == 0)
    return FALSE;

  if (*p == '.')
    {
      p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      for (; g_ascii_isdigit (*p); p++)
        {
          if (decimals < RELAY_AMOUNT_DECIMALS)
            fraction = fraction * 10 + (*p - '0');
          else if (*p != '0')
            return FALSE;
          decimals++;
        }
      for (; decimals < RELAY_AMOUNT_DECIMALS; decimals++)
        fraction *= 10;
    }

  if (*p != '\0')
    return FALSE;

  *amount = units * RELAY_AMOUNT_SCALE + fraction;
  return TRUE;
}

static char *
format_decimals (RelayAmount amount,
                 guint       min_decimals)
{
  gboolean negative = amount < 0;
  guint64 magnitude = negative ? -(guint64) amount : (guint64) amount;
  char digits[RELAY_AMOUNT_DECIMALS + 1];
  guint len = RELAY_AMOUNT_DECIMALS;

  g_snprintf (digits, sizeof digits, "%08" G_GUINT64_FORMAT,
              magnitude % (guint64) RELAY_AMOUNT_SCALE);
  while (len > min_decimals && digits[len - 1] == '0')
    len--;
  digits[len] = '\0';

  return g_strdup_printf ("%s%" G_GUINT64_FORMAT "%s%s", negative ? "-" : "",
                          magnitude / (guint64) RELAY_AMOUNT_SCALE,
                          len > 0 ? "." : "", digits);
}

/**
 * relay_amount_format:
 *
 * The exact amount with at least two decimals and no trailing zeros past
 * them: "0.0999", "9.90", "12.00".
 *
 * Returns: (transfer full): the text
 */
char *
relay_amount_format (RelayAmount amount)
{
  return format_decimals (amount, 2);
}

/**
 * relay_amount_format_short:
 *
 * The amount for a glance: rounded half up to cents ("0.10"), or exact
 * when that would show a non-zero amount as "0.00".
 *
 * Returns: (transfer full): the text
 */
char *
relay_amount_format_short (RelayAmount amount)
{
  const RelayAmount cent = RELAY_AMOUNT_SCALE / 100;
  RelayAmount rounded;

  if (amount < 0)
    return format_decimals (amount, 2);
  rounded = (amount + cent / 2) / cent * cent;
  if (rounded == 0 && amount != 0)
    return format_decimals (amount, 2);

  return format_decimals (rounded, 2);
}

/**
 * relay_amount_from_double:
 *
 * For the one amount Nexmo answers as a JSON number, the balance:
 * rounded to the nearest 1e-8.
 *
 * Returns: the amount, or 0 for what is not a finite amount
 */
RelayAmount
relay_amount_from_double (double value)
{
  const double limit = (double) (RELAY_AMOUNT_MAX / RELAY_AMOUNT_SCALE);
  double scaled;

  /* NaN fails both comparisons. */
  if (!(value > -limit && value < limit))
    return 0;

  scaled = value * (double) RELAY_AMOUNT_SCALE;
  return (RelayAmount) (scaled < 0 ? scaled - 0.5 : scaled + 0.5);
}

/**
 * relay_amount_mul:
 * @result: (out): @amount × @times
 *
 * Returns: %FALSE when the product passes %RELAY_AMOUNT_MAX
 */
gboolean
relay_amount_mul (RelayAmount  amount,
                  guint        times,
                  RelayAmount *result)
{
  g_return_val_if_fail (result != NULL, FALSE);

  if (amount < 0 || (times > 0 && amount > RELAY_AMOUNT_MAX / times))
    return FALSE;

  *result = amount * times;
  return TRUE;
}

/**
 * relay_amount_add:
 * @result: (out): @a + @b
 *
 * Returns: %FALSE when the sum passes %RELAY_AMOUNT_MAX
 */
gboolean
relay_amount_add (RelayAmount  a,
                  RelayAmount  b,
                  RelayAmount *result)
{
  g_return_val_if_fail (result != NULL, FALSE);

  if (a < 0 || b < 0 || a > RELAY_AMOUNT_MAX - b)
    return FALSE;

  *result = a + b;
  return TRUE;
}

/**
 * relay_amount_format_span:
 * @currency: the currency's code
 * @rounded: whether to write the amounts as relay_amount_format_short()
 *   does, for a glance, rather than exactly
 *
 * Returns: "0.10 EUR" when @min and @max read the same, else
 *   "0.10–0.12 EUR"
 */
char *
relay_amount_format_span (RelayAmount  min,
                          RelayAmount  max,
                          const char  *currency,
                          gboolean     rounded)
{
  g_autofree char *low = rounded ? relay_amount_format_short (min) : relay_amount_format (min);
  g_autofree char *high = rounded ? relay_amount_format_short (max) : relay_amount_format (max);

  if (g_strcmp0 (low, high) == 0)
    return g_strdup_printf ("%s %s", low, currency);

  /* Translators: a span of money, "0.10–0.12 EUR" */
  return g_strdup_printf (_("%s–%s %s"), low, high, currency);
}
