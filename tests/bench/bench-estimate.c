/* bench-estimate.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Estimating 10,000 recipients against a price list the size of
 * Nexmo's (240 countries, 5 networks each, 20 of them with ranges):
 * the median of 21 runs, with per-recipient lines (relay-cli price) and
 * without (the send page, at every keystroke), against the 50 ms target.
 * Also the time to read the list. Not a test: it prints figures.
 */

#include <stdio.h>
#include <string.h>

#include "relay-price-estimate.h"

#define N_COUNTRIES  240
#define N_NETWORKS   5
#define N_RANGED     20
#define N_RANGES     200
#define N_RECIPIENTS 10000
#define RUNS         21
#define TARGET_MS    50.0

static char *
make_list (void)
{
  GString *json = g_string_new (NULL);

  g_string_append_printf (json, "{\"count\":%d,\"countries\":[", N_COUNTRIES);
  for (guint c = 0; c < N_COUNTRIES; c++)
    {
      /* Prefixes of one to three digits, like the real ones. */
      guint prefix = c < 9 ? c + 1 : c < 90 ? 10 + c : 100 + c * 3;

      g_string_append_printf (json,
                              "%s{\"countryCode\":\"%c%c\",\"countryName\":\"Country %u\","
                              "\"countryDisplayName\":\"Country %u\",\"currency\":\"EUR\","
                              "\"defaultPrice\":\"0.03000000\",\"dialingPrefix\":\"%u\",\"networks\":[",
                              c > 0 ? "," : "", 'A' + c / 26, 'A' + c % 26, c, c, prefix);
      for (guint n = 0; n < N_NETWORKS; n++)
        {
          g_string_append_printf (json,
                                  "%s{\"type\":\"mobile\",\"price\":\"0.0%u%u500000\",\"currency\":\"EUR\","
                                  "\"mcc\":\"%03u\",\"mnc\":\"%02u\",\"networkCode\":\"%03u%02u\","
                                  "\"networkName\":\"Network %u\"",
                                  n > 0 ? "," : "", 1 + c % 9, n, 200 + c, n, 200 + c, n, n);
          if (c < N_RANGED)
            {
              g_string_append (json, ",\"ranges\":[");
              for (guint r = 0; r < N_RANGES / N_NETWORKS; r++)
                g_string_append_printf (json, "%s\"%u%u%02u\"", r > 0 ? "," : "", prefix, n, r);
              g_string_append (json, "]");
            }
          g_string_append (json, "}");
        }
      g_string_append (json, "]}");
    }
  g_string_append (json, "]}");

  return g_string_free (json, FALSE);
}

static int
compare (const void *a,
         const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median_ms (RelayPriceList     *list,
           const char *const  *to,
           gboolean            with_lines,
           guint              *unknown)
{
  double runs[RUNS];

  for (guint i = 0; i < RUNS; i++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(RelayPriceEstimate) estimate = NULL;
      guint parts = relay_price_parts_for_text ("The meeting moved to 3 pm, see you there!", FALSE);

      estimate = relay_price_estimate_new (list, to, N_RECIPIENTS, parts, with_lines);
      runs[i] = (g_get_monotonic_time () - start) / 1000.0;
      *unknown = estimate->n_unknown;
    }
  qsort (runs, RUNS, sizeof runs[0], compare);

  return runs[RUNS / 2];
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *json = make_list ();
  g_autoptr(RelayPriceList) list = NULL;
  g_autoptr(GPtrArray) to = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (12);
  g_autoptr(GError) error = NULL;
  gint64 start;
  double parse_ms, lines_ms, bare_ms;
  guint unknown = 0;

  start = g_get_monotonic_time ();
  list = relay_price_list_parse (json, -1, &error);
  parse_ms = (g_get_monotonic_time () - start) / 1000.0;
  if (list == NULL)
    {
      fprintf (stderr, "The generated list does not parse: %s\n", error->message);
      return 1;
    }

  /* Numbers in every country, some in ranges, one in a hundred unknown
   * (no country code starts with 0). */
  for (guint i = 0; i < N_RECIPIENTS; i++)
    {
      RelayPriceCountry *country = relay_price_list_get_country (list, g_rand_int_range (rand, 0, N_COUNTRIES));

      if (i % 100 == 99)
        g_ptr_array_add (to, g_strdup_printf ("0%011u", g_rand_int_range (rand, 0, 999999999)));
      else
        g_ptr_array_add (to, g_strdup_printf ("%s%09u", country->prefix, g_rand_int_range (rand, 0, 999999999)));
    }

  lines_ms = median_ms (list, (const char *const *) to->pdata, TRUE, &unknown);
  bare_ms = median_ms (list, (const char *const *) to->pdata, FALSE, &unknown);

  printf ("price list: %d countries, %zu bytes, read in %.1f ms\n", N_COUNTRIES, strlen (json), parse_ms);
  printf ("estimate of %d recipients (%u unknown), median of %d runs:\n", N_RECIPIENTS, unknown, RUNS);
  printf ("  with a line per recipient (relay-cli price): %.2f ms (%.0f%% of the %.0f ms target)\n",
          lines_ms, 100 * lines_ms / TARGET_MS, TARGET_MS);
  printf ("  totals only (the send page):                 %.2f ms (%.0f%% of the %.0f ms target)\n",
          bare_ms, 100 * bare_ms / TARGET_MS, TARGET_MS);

  return 0;
}
