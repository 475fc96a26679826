/* test-price-list.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Exact amounts, the strict reading of the Pricing API's answers, and
 * the estimate: the longest dialing prefix, ranges, a shared prefix,
 * defaultPrice never alone, unknown countries said and not guessed.
 */

#include <string.h>

#include "relay-price-estimate.h"
#include "relay-price-list.h"

#define NET(code, price, extra) \
  "{\"type\":\"mobile\",\"price\":\"" price "\",\"currency\":\"EUR\",\"mcc\":\"" code "\"," \
  "\"networkCode\":\"" code "\",\"networkName\":\"Net " code "\"" extra "}"

#define COUNTRY(cc, prefix, def, networks) \
  "{\"countryCode\":\"" cc "\",\"countryName\":\"" cc "\",\"countryDisplayName\":\"" cc "\"," \
  "\"currency\":\"EUR\",\"defaultPrice\":\"" def "\",\"dialingPrefix\":\"" prefix "\"," \
  "\"networks\":[" networks "]}"

/* The shapes of the Pricing API: GB's defaultPrice below its networks
 * (nexmo-cli #57), US and CA sharing 1 (CA with ranges), JM's 1876
 * inside 1, DE with ranges on every network, XK without networks. */
static const char full_list[] =
  "{\"count\":6,\"countries\":["
  COUNTRY ("GB", "44", "0.03140000",
           NET ("23410", "0.03330000", "") "," NET ("23415", "0.03400000", "") ","
           NET ("23430", "0.03600000", "")) ","
  COUNTRY ("US", "1", "0.00730000",
           NET ("310004", "0.00730000", "") "," NET ("310410", "0.00810000", "")) ","
  COUNTRY ("CA", "1", "0.00710000",
           NET ("302610", "0.00710000", ",\"ranges\":[\"1204\",\"1416\"]") ","
           NET ("302720", "0.00750000", ",\"ranges\":[\"1514\",\"14165\"]")) ","
  COUNTRY ("JM", "1876", "0.09500000",
           NET ("338050", "0.09500000", "") "," NET ("338180", "0.10200000", "")) ","
  COUNTRY ("DE", "49", "0.07500000",
           NET ("26201", "0.07500000", ",\"ranges\":[\"49151\",\"49160\"]") ","
           NET ("26203", "0.07200000", ",\"ranges\":[\"49157\",\"49176\"]")) ","
  COUNTRY ("XK", "383", "0.05000000", "")
  "]}";

static RelayPriceList *
load_full (void)
{
  g_autoptr(GError) error = NULL;
  RelayPriceList *list = relay_price_list_parse (full_list, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (list);
  return list;
}

static void
test_amount_parse (void)
{
  static const struct { const char *text; RelayAmount amount; } good[] = {
    { "0.03330000", 3330000 },
    { "0", 0 },
    { "1", 100000000 },
    { "9.90", 990000000 },
    { "0.00000001", 1 },
    { "0.100000000000", 10000000 },
    { "9999999999.99999999", G_GINT64_CONSTANT (999999999999999999) },
  };
  static const char *const bad[] = {
    "", ".", "1.", ".5", "-0.01", "+1", "1e300", "1E2", "0x1p4", "0x10", " 1", "1 ", "1,5",
    "NaN", "inf", "0.000000001", "10000000000", "1.2.3", "١",
  };
  RelayAmount amount;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_assert_true (relay_amount_parse (good[i].text, &amount));
      g_assert_cmpint (amount, ==, good[i].amount);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      amount = 42;
      g_assert_false (relay_amount_parse (bad[i], &amount));
      g_assert_cmpint (amount, ==, 42);
    }
  g_assert_false (relay_amount_parse (NULL, &amount));
}

static void
test_amount_format (void)
{
  static const struct { RelayAmount amount; const char *exact; const char *glance; } cases[] = {
    { 9990000, "0.0999", "0.10" },
    { 990000000, "9.90", "9.90" },
    { 0, "0.00", "0.00" },
    { 1, "0.00000001", "0.00000001" },
    { 100000000, "1.00", "1.00" },
    { 3330000, "0.0333", "0.03" },
    { 50000000 + 500000, "0.505", "0.51" },
  };
  RelayAmount sum = 0;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *exact = relay_amount_format (cases[i].amount);
      g_autofree char *glance = relay_amount_format_short (cases[i].amount);

      g_assert_cmpstr (exact, ==, cases[i].exact);
      g_assert_cmpstr (glance, ==, cases[i].glance);
    }

  /* Exact where binary fractions are not: 0.1 added ten times is 1. */
  for (guint i = 0; i < 10; i++)
    g_assert_true (relay_amount_add (sum, 10000000, &sum));
  g_assert_cmpint (sum, ==, RELAY_AMOUNT_SCALE);
  g_assert_false (relay_amount_add (RELAY_AMOUNT_MAX, 1, &sum));
  g_assert_false (relay_amount_mul (RELAY_AMOUNT_MAX, 2, &sum));
  g_assert_true (relay_amount_mul (3330000, 3, &sum));
  g_assert_cmpint (sum, ==, 9990000);
  g_assert_cmpint (relay_amount_from_double (9.9001), ==, 990010000);
  g_assert_cmpint (relay_amount_from_double (0.1 + 0.2), ==, 30000000);
}

static void
test_parse_country (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayPriceList) list = NULL;
  RelayPriceCountry *country;
  RelayPriceNetwork *network;

  /* One country, as get-pricing?country=GB answers. */
  list = relay_price_list_parse (COUNTRY ("GB", "44", "0.03140000",
                                          NET ("23410", "0.03330000", "") ","
                                          NET ("23420", "0.03500000", "")), -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (relay_price_list_get_currency (list), ==, "EUR");
  g_assert_cmpuint (relay_price_list_get_n_countries (list), ==, 1);
  country = relay_price_list_get_country (list, 0);
  g_assert_cmpstr (country->code, ==, "GB");
  g_assert_cmpstr (country->prefix, ==, "44");
  g_assert_cmpint (country->default_price, ==, 3140000);
  g_assert_cmpuint (country->networks->len, ==, 2);
  network = g_ptr_array_index (country->networks, 1);
  g_assert_cmpstr (network->code, ==, "23420");
  g_assert_cmpstr (network->name, ==, "Net 23420");
  g_assert_cmpint (network->price, ==, 3500000);
  g_assert_null (network->ranges);
  g_assert_true (relay_price_list_find_country (list, "GB") == country);
  g_assert_null (relay_price_list_find_country (list, "FR"));
}

static void
test_parse_full (void)
{
  g_autoptr(RelayPriceList) list = load_full ();
  RelayPriceCountry *ca = relay_price_list_find_country (list, "CA");
  RelayPriceNetwork *network = g_ptr_array_index (ca->networks, 1);

  g_assert_cmpuint (relay_price_list_get_n_countries (list), ==, 6);
  g_assert_cmpstr (network->ranges[0], ==, "1514");
  g_assert_cmpstr (network->ranges[1], ==, "14165");
  g_assert_null (network->ranges[2]);
  g_assert_cmpuint (relay_price_list_find_country (list, "XK")->networks->len, ==, 0);
}

static void
test_parse_malformed (void)
{
  static const char *const answers[] = {
    "",
    "not json",
    "[1, 2]",
    "{\"count\":1,\"countries\":[",
    "{\"count\":1,\"countries\":{}}",
    "{\"count\":0,\"countries\":[]}",
    /* prices that are not plain decimal strings */
    COUNTRY ("GB", "44", "0.03", NET ("23410", "0x1p4", "")),
    COUNTRY ("GB", "44", "0.03", NET ("23410", "1e300", "")),
    COUNTRY ("GB", "44", "0.03", NET ("23410", "-0.0333", "")),
    COUNTRY ("GB", "44", "0.03", NET ("23410", "", "")),
    COUNTRY ("GB", "44", "NaN", NET ("23410", "0.0333", "")),
    "{\"countryCode\":\"GB\",\"currency\":\"EUR\",\"dialingPrefix\":\"44\","
    "\"networks\":[{\"networkCode\":\"23410\",\"price\":0.0333}]}",
    "{\"countryCode\":\"GB\",\"currency\":\"EUR\",\"dialingPrefix\":\"44\","
    "\"networks\":[{\"networkCode\":\"23410\"}]}",
    /* the rest of the shape */
    "{\"countryCode\":\"GB\",\"currency\":\"EURO\",\"dialingPrefix\":\"44\",\"networks\":[]}",
    "{\"countryCode\":\"gb\",\"currency\":\"EUR\",\"dialingPrefix\":\"44\",\"networks\":[]}",
    "{\"countryCode\":\"GB\",\"currency\":\"EUR\",\"dialingPrefix\":\"4a\",\"networks\":[]}",
    "{\"countryCode\":\"GB\",\"currency\":\"EUR\",\"dialingPrefix\":\"44\",\"networks\":{}}",
    "{\"countryCode\":\"GB\",\"currency\":\"EUR\",\"dialingPrefix\":\"44\",\"networks\":[1]}",
    COUNTRY ("GB", "44", "0.03", NET ("23410", "0.0333", ",\"ranges\":[\"44a\"]")),
    COUNTRY ("GB", "44", "0.03", NET ("23410", "0.0333", ",\"ranges\":\"447\"")),
    "{\"countryCode\":\"GB\",\"currency\":\"EUR\",\"dialingPrefix\":\"44\","
    "\"networks\":[{\"networkCode\":\"23410\",\"price\":\"0.03\",\"currency\":\"USD\"}]}",
    "{\"count\":2,\"countries\":[" COUNTRY ("GB", "44", "0.03", "") "]}",
    "{\"count\":2,\"countries\":[" COUNTRY ("GB", "44", "0.03", "") "," COUNTRY ("GB", "44", "0.03", "") "]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RelayPriceList) list = relay_price_list_parse (answers[i], -1, &error);

      if (list != NULL)
        g_error ("accepted answer %u: %s", i, answers[i]);
      g_assert_error (error, RELAY_PRICE_ERROR, RELAY_PRICE_ERROR_MALFORMED);
    }

  /* Nested deeper than json-glib's recursion can take: refused before
   * it parses, with a sentence that says why. */
  {
    g_autoptr(GString) deep = g_string_new ("{\"count\":1,\"countries\":");
    g_autoptr(GError) error = NULL;
    g_autoptr(RelayPriceList) list = NULL;

    for (guint i = 0; i < 100000; i++)
      g_string_append_c (deep, '[');
    for (guint i = 0; i < 100000; i++)
      g_string_append_c (deep, ']');
    g_string_append_c (deep, '}');
    list = relay_price_list_parse (deep->str, deep->len, &error);
    g_assert_null (list);
    g_assert_error (error, RELAY_PRICE_ERROR, RELAY_PRICE_ERROR_MALFORMED);
    g_assert_nonnull (strstr (error->message, "deeper than 64"));
  }

  /* Not text. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (relay_price_list_parse ("{\"a\":\0}", 7, &error));
    g_assert_error (error, RELAY_PRICE_ERROR, RELAY_PRICE_ERROR_MALFORMED);
  }
}

static void
assert_match (RelayPriceList *list,
              const char     *number,
              gboolean        known,
              const char     *country,
              const char     *network,
              RelayAmount     min,
              RelayAmount     max)
{
  RelayPriceMatch match;

  g_assert_cmpint (relay_price_list_match (list, number, &match), ==, known);
  g_assert_cmpstr (match.country, ==, country);
  g_assert_cmpstr (match.network, ==, network);
  g_assert_cmpint (match.min, ==, min);
  g_assert_cmpint (match.max, ==, max);
}

static void
test_match (void)
{
  g_autoptr(RelayPriceList) list = load_full ();

  /* defaultPrice (0.0314) is never the price: the networks' span is. */
  assert_match (list, "447700900001", TRUE, "GB", NULL, 3330000, 3600000);
  assert_match (list, "+447700900001", TRUE, "GB", NULL, 3330000, 3600000);
  /* The longest dialing prefix wins: 1876 is Jamaica, not US/CA. */
  assert_match (list, "18765550100", TRUE, "JM", NULL, 9500000, 10200000);
  /* A range names CA and its network; the longest range wins. */
  assert_match (list, "12045550100", TRUE, "CA", "302610", 710000, 710000);
  assert_match (list, "14165550100", TRUE, "CA", "302720", 750000, 750000);
  assert_match (list, "14161550100", TRUE, "CA", "302610", 710000, 710000);
  /* No range: the span over both countries that share 1. */
  assert_match (list, "12125550100", TRUE, "US/CA", NULL, 710000, 810000);
  /* Ranges on every network; a number outside them spans the country. */
  assert_match (list, "491511234567", TRUE, "DE", "26201", 7500000, 7500000);
  assert_match (list, "491761234567", TRUE, "DE", "26203", 7200000, 7200000);
  assert_match (list, "49301234567", TRUE, "DE", NULL, 7200000, 7500000);
  /* Unknown: said, not guessed. */
  assert_match (list, "999123456", FALSE, NULL, NULL, -1, -1);
  assert_match (list, "38344123456", FALSE, "XK", NULL, -1, -1);
  assert_match (list, "44abc", FALSE, NULL, NULL, -1, -1);
  assert_match (list, "", FALSE, NULL, NULL, -1, -1);
  assert_match (list, "4477009000011234", FALSE, NULL, NULL, -1, -1);
}

static void
test_estimate (void)
{
  g_autoptr(RelayPriceList) list = load_full ();
  const char *const to[] = { "447700900001", "447700900002", "447700900003", NULL };
  const char *const mixed[] = { "447700900001", "14165550100", "999123456", NULL };
  g_autoptr(RelayPriceEstimate) estimate = NULL;
  g_autoptr(RelayPriceEstimate) partial = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *text = NULL;
  const RelayPriceLine *line;

  /* 3 × 0.0333, exactly 0.0999 (a double sum would not be). */
  estimate = relay_price_estimate_new (list, to, -1, 1, TRUE);
  g_assert_cmpuint (estimate->n_recipients, ==, 3);
  g_assert_cmpuint (estimate->n_unknown, ==, 0);
  g_assert_cmpint (estimate->min, ==, 9990000);
  g_assert_cmpint (estimate->max, ==, 10800000);
  g_assert_true (relay_price_estimate_is_complete (estimate));

  json = relay_price_estimate_to_json (estimate, 990000000, 120);
  text = json_to_string (json, FALSE);
  g_assert_cmpstr (text, ==,
                   "{\"currency\":\"EUR\",\"min\":\"0.0999\",\"max\":\"0.108\",\"balance\":\"9.90\","
                   "\"price_list_age_s\":120,\"recipients\":["
                   "{\"to\":\"447700900001\",\"country\":\"GB\",\"network\":null,\"parts\":1,\"min\":\"0.0333\",\"max\":\"0.036\"},"
                   "{\"to\":\"447700900002\",\"country\":\"GB\",\"network\":null,\"parts\":1,\"min\":\"0.0333\",\"max\":\"0.036\"},"
                   "{\"to\":\"447700900003\",\"country\":\"GB\",\"network\":null,\"parts\":1,\"min\":\"0.0333\",\"max\":\"0.036\"}]}");
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&json, json_node_unref);

  /* Parts multiply; an unknown country leaves the total's max open. */
  partial = relay_price_estimate_new (list, mixed, 3, 3, TRUE);
  g_assert_cmpuint (partial->n_unknown, ==, 1);
  g_assert_false (relay_price_estimate_is_complete (partial));
  g_assert_cmpint (partial->min, ==, 3 * 3330000 + 3 * 750000);
  line = &g_array_index (partial->lines, RelayPriceLine, 1);
  g_assert_cmpstr (line->network, ==, "302720");
  g_assert_cmpint (line->min, ==, 2250000);
  line = &g_array_index (partial->lines, RelayPriceLine, 2);
  g_assert_null (line->country);
  g_assert_cmpint (line->min, ==, -1);
  json = relay_price_estimate_to_json (partial, -1, 0);
  g_assert_true (json_node_is_null (json_object_get_member (json_node_get_object (json), "max")));
  g_assert_true (json_node_is_null (json_object_get_member (json_node_get_object (json), "balance")));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json), "min"), ==, "0.1224");
}

static void
test_parts (void)
{
  g_autofree char *long_text = g_strnfill (200, 'x');

  g_assert_cmpuint (relay_price_parts_for_text ("Hello", FALSE), ==, 1);
  g_assert_cmpuint (relay_price_parts_for_text (long_text, FALSE), ==, 2);
  /* 200 characters as UCS-2: 67 + 67 + 66. */
  g_assert_cmpuint (relay_price_parts_for_text (long_text, TRUE), ==, 3);
  g_assert_cmpuint (relay_price_parts_for_text ("Ünïcödé ✓", FALSE), ==, 1);
  g_assert_cmpuint (relay_price_parts_for_text ("", FALSE), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/relay/price-list/amount-parse", test_amount_parse);
  g_test_add_func ("/relay/price-list/amount-format", test_amount_format);
  g_test_add_func ("/relay/price-list/parse-country", test_parse_country);
  g_test_add_func ("/relay/price-list/parse-full", test_parse_full);
  g_test_add_func ("/relay/price-list/parse-malformed", test_parse_malformed);
  g_test_add_func ("/relay/price-list/match", test_match);
  g_test_add_func ("/relay/price-list/estimate", test_estimate);
  g_test_add_func ("/relay/price-list/parts", test_parts);

  return g_test_run ();
}
