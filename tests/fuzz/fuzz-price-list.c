/* fuzz-price-list.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Relay reads the provider's price list with relay_price_list_parse()
 * and estimates from it. For any body:
 *  - it returns a list or a RELAY_PRICE_ERROR_MALFORMED with a non-empty
 *    UTF-8 sentence, never both;
 *  - a list has one three-letter currency, at least one country, each
 *    with a two-letter code, a dialing prefix of digits, and prices that
 *    are not negative;
 *  - matching any number from the input never crashes and gives a
 *    price span (min ≤ max) exactly when it says the price is known;
 *  - an estimate's totals are the sums of its lines.
 * And for any text, an amount that parses formats back to itself.
 */

#include <string.h>

#include "relay-amount.h"
#include "relay-price-estimate.h"

#include "fuzz-common.h"

static void
check_amount (const uint8_t *data,
              size_t         size)
{
  g_autofree char *text = fuzz_dup_string (data, MIN (size, 32));
  g_autofree char *formatted = NULL;
  RelayAmount amount, again;

  if (!relay_amount_parse (text, &amount))
    return;

  g_assert_cmpint (amount, >=, 0);
  formatted = relay_amount_format (amount);
  g_assert_true (relay_amount_parse (formatted, &again));
  g_assert_cmpint (again, ==, amount);
}

static void
check_list (RelayPriceList *list,
            const uint8_t  *data,
            size_t          size)
{
  const char *to[8];
  char numbers[8][16];
  guint n = 0;
  g_autoptr(RelayPriceEstimate) estimate = NULL;
  RelayAmount min = 0, max = 0;

  g_assert_cmpuint (strlen (relay_price_list_get_currency (list)), ==, 3);
  g_assert_cmpuint (relay_price_list_get_n_countries (list), >, 0);
  for (guint i = 0; i < relay_price_list_get_n_countries (list); i++)
    {
      RelayPriceCountry *country = relay_price_list_get_country (list, i);

      g_assert_cmpuint (strlen (country->code), ==, 2);
      g_assert_cmpuint (strlen (country->prefix), >, 0);
      for (guint j = 0; j < country->networks->len; j++)
        g_assert_cmpint (((RelayPriceNetwork *) g_ptr_array_index (country->networks, j))->price, >=, 0);
    }

  /* Numbers made of the input's digits, each a country's prefix first. */
  for (guint i = 0; i < relay_price_list_get_n_countries (list) && n < G_N_ELEMENTS (to); i++)
    {
      RelayPriceCountry *country = relay_price_list_get_country (list, i);
      gsize len = strlen (country->prefix);

      memcpy (numbers[n], country->prefix, len);
      for (gsize k = 0; len < 12 && k < size; k++)
        numbers[n][len++] = '0' + data[(k + i) % size] % 10;
      numbers[n][len] = '\0';
      to[n] = numbers[n];
      n++;
    }

  for (guint i = 0; i < n; i++)
    {
      RelayPriceMatch match;

      if (relay_price_list_match (list, to[i], &match))
        {
          g_assert_nonnull (match.country);
          g_assert_cmpint (match.min, >=, 0);
          g_assert_cmpint (match.min, <=, match.max);
        }
      else
        g_assert_cmpint (match.max, ==, -1);
    }

  estimate = relay_price_estimate_new (list, to, n, size % 8, TRUE);
  for (guint i = 0; i < estimate->lines->len; i++)
    {
      const RelayPriceLine *line = &g_array_index (estimate->lines, RelayPriceLine, i);

      /* Totals saturate at RELAY_AMOUNT_MAX, as the estimate's do. */
      if (line->min >= 0)
        {
          if (!relay_amount_add (min, line->min, &min))
            min = RELAY_AMOUNT_MAX;
          if (!relay_amount_add (max, line->max, &max))
            max = RELAY_AMOUNT_MAX;
        }
    }
  g_assert_cmpint (min, ==, estimate->min);
  g_assert_cmpint (max, ==, estimate->max);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(RelayPriceList) list = NULL;
  g_autoptr(GError) error = NULL;

  check_amount (data, size);

  list = relay_price_list_parse ((const char *) data, size, &error);
  if (list == NULL)
    {
      g_assert_error (error, RELAY_PRICE_ERROR, RELAY_PRICE_ERROR_MALFORMED);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_cmpuint (strlen (error->message), >, 0);
      return 0;
    }

  g_assert_no_error (error);
  check_list (list, data, size);

  return 0;
}
