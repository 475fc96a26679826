/* test-pricing.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * RelayPricing against the in-process sandbox over loopback: the
 * sandbox's fixture, one request a second on a manual clock, 429 with
 * Retry-After, the cache (age, a day's expiry, offline, a damaged file)
 * and the sandbox charging what the estimate says.
 */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/stat.h>

#include "relay-http.h"
#include "relay-price-estimate.h"
#include "relay-pricing.h"
#include "relay-sandbox-server.h"
#include "hardening/hostile-peer.h"

/* A whole second, so that ages count exactly. */
#define T0 (G_GINT64_CONSTANT (1792567650) * G_USEC_PER_SEC)
#define MS (G_USEC_PER_SEC / 1000)

#define WAIT_UNTIL(cond) \
  G_STMT_START { while (!(cond)) g_main_context_iteration (NULL, TRUE); } G_STMT_END

typedef struct
{
  RelayClock         *clock;
  RelaySandboxServer *sandbox;
  char               *rest_base;
  char               *cache_dir;
  RelayAccount       *account;
} Fixture;

static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static RelayAccount *
new_account (const char *rest_base)
{
  g_autoptr(RelayProvider) provider = relay_provider_new (NULL, rest_base);
  RelayAccount *account = relay_account_new_api_key (provider, RELAY_SANDBOX_DEFAULT_API_KEY);

  relay_account_set_secret (account, RELAY_SANDBOX_DEFAULT_API_SECRET);
  return account;
}

static RelayPricing *
new_pricing (Fixture    *fixture,
             const char *rest_base)
{
  g_autoptr(RelayAccount) account = new_account (rest_base != NULL ? rest_base : fixture->rest_base);
  RelayPricing *pricing = relay_pricing_new (account);

  relay_pricing_set_clock (pricing, fixture->clock);
  relay_pricing_set_cache_dir (pricing, fixture->cache_dir);
  return pricing;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;

  fixture->cache_dir = g_dir_make_tmp ("relay-pricing-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->clock = relay_clock_new_manual (T0);
  fixture->sandbox = relay_sandbox_server_new ();
  relay_sandbox_server_set_clock (fixture->sandbox, fixture->clock);
  relay_sandbox_server_listen (fixture->sandbox, 0, &error);
  g_assert_no_error (error);
  base = relay_sandbox_server_get_base_uri (fixture->sandbox);
  fixture->rest_base = g_strndup (base, strlen (base) - 1);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->cache_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->cache_dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (fixture->cache_dir);
  drain ();
  g_assert_finalize_object (fixture->sandbox);
  g_assert_finalize_object (fixture->clock);
  g_free (fixture->cache_dir);
  g_free (fixture->rest_base);
}

static RelayPriceList *
get_list (RelayPricing  *pricing,
          GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  relay_pricing_get_list_async (pricing, NULL, result_cb, &result);
  WAIT_UNTIL (result != NULL);
  return relay_pricing_get_list_finish (pricing, result, error);
}

static void
test_fixture (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(RelayPricing) pricing = new_pricing (fixture, NULL);
  g_autoptr(RelayPriceList) list = NULL;
  g_autoptr(GError) error = NULL;
  RelayPriceCountry *gb, *us, *ca;
  guint with_ranges = 0;

  list = get_list (pricing, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (relay_sandbox_server_get_pricing_requests (fixture->sandbox), ==, 1);
  g_assert_cmpstr (relay_price_list_get_currency (list), ==, "EUR");
  g_assert_cmpuint (relay_price_list_get_n_countries (list), >=, 12);

  /* GB: defaultPrice below every network. */
  gb = relay_price_list_find_country (list, "GB");
  for (guint i = 0; i < gb->networks->len; i++)
    g_assert_cmpint (gb->default_price, <, ((RelayPriceNetwork *) g_ptr_array_index (gb->networks, i))->price);

  /* US and CA share 1; some networks have ranges. */
  us = relay_price_list_find_country (list, "US");
  ca = relay_price_list_find_country (list, "CA");
  g_assert_cmpstr (us->prefix, ==, "1");
  g_assert_cmpstr (ca->prefix, ==, "1");
  for (guint i = 0; i < relay_price_list_get_n_countries (list); i++)
    {
      RelayPriceCountry *country = relay_price_list_get_country (list, i);

      for (guint j = 0; j < country->networks->len; j++)
        with_ranges += ((RelayPriceNetwork *) g_ptr_array_index (country->networks, j))->ranges != NULL;
    }
  g_assert_cmpuint (with_ranges, >, 0);
  g_assert_true (relay_pricing_is_fresh (pricing));
  g_assert_cmpint (relay_pricing_get_age (pricing), ==, 0);
}

/* Three requests at once leave one a second, on the manual clock. */
static void
test_pacing (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(RelayPricing) pricing = new_pricing (fixture, NULL);
  GAsyncResult *results[3] = { NULL, NULL, NULL };
  const char *countries[] = { "GB", "de", "CA" };

  for (guint i = 0; i < 3; i++)
    relay_pricing_fetch_country_async (pricing, countries[i], NULL, result_cb, &results[i]);

  WAIT_UNTIL (results[0] != NULL);
  drain ();
  g_assert_cmpuint (relay_sandbox_server_get_pricing_requests (fixture->sandbox), ==, 1);
  g_assert_null (results[1]);
  g_assert_cmpuint (relay_clock_get_n_armed (fixture->clock), ==, 1);
  g_assert_cmpint (relay_clock_get_next_deadline (fixture->clock), ==, T0 + G_USEC_PER_SEC);

  relay_clock_advance (fixture->clock, G_USEC_PER_SEC - 1);
  drain ();
  g_assert_cmpuint (relay_sandbox_server_get_pricing_requests (fixture->sandbox), ==, 1);

  relay_clock_advance (fixture->clock, 1);
  WAIT_UNTIL (results[1] != NULL);
  drain ();
  g_assert_cmpuint (relay_sandbox_server_get_pricing_requests (fixture->sandbox), ==, 2);
  g_assert_null (results[2]);

  relay_clock_advance (fixture->clock, G_USEC_PER_SEC);
  WAIT_UNTIL (results[2] != NULL);
  g_assert_cmpuint (relay_sandbox_server_get_pricing_requests (fixture->sandbox), ==, 3);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RelayPriceList) list = relay_pricing_fetch_country_finish (pricing, results[i], &error);

      g_assert_no_error (error);
      g_assert_cmpuint (relay_price_list_get_n_countries (list), ==, 1);
      g_assert_cmpint (g_ascii_strcasecmp (relay_price_list_get_country (list, 0)->code, countries[i]), ==, 0);
      g_object_unref (results[i]);
    }
}

/* A 429 waits for its Retry-After before the same request goes again. */
static void
test_throttled (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(RelayPricing) pricing = new_pricing (fixture, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (relay_sandbox_server_add_fault (fixture->sandbox,
                                                 "/account/get-full-pricing/outbound/sms=http-429:3@1",
                                                 &error));
  g_assert_no_error (error);

  relay_pricing_refresh_async (pricing, NULL, result_cb, &result);
  WAIT_UNTIL (relay_clock_get_n_armed (fixture->clock) == 1);
  g_assert_cmpint (relay_clock_get_next_deadline (fixture->clock), ==, T0 + 3 * G_USEC_PER_SEC);
  g_assert_cmpuint (relay_sandbox_server_get_pricing_requests (fixture->sandbox), ==, 0);

  relay_clock_advance (fixture->clock, 3 * G_USEC_PER_SEC - 1);
  drain ();
  g_assert_null (result);
  g_assert_cmpuint (relay_sandbox_server_get_pricing_requests (fixture->sandbox), ==, 0);

  relay_clock_advance (fixture->clock, 1);
  WAIT_UNTIL (result != NULL);
  g_assert_true (relay_pricing_refresh_finish (pricing, result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (relay_sandbox_server_get_pricing_requests (fixture->sandbox), ==, 1);
  g_assert_nonnull (relay_pricing_get_list (pricing));
}

/* The sandbox itself allows one request a second per key, and checks
 * the key and secret in the query or as HTTP basic. */
static void
test_sandbox_limits (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  const char *const paths[] = {
    "/account/get-pricing/outbound/sms?country=GB&api_key=" RELAY_SANDBOX_DEFAULT_API_KEY
      "&api_secret=" RELAY_SANDBOX_DEFAULT_API_SECRET,
    "/account/get-pricing/outbound/sms?country=GB&api_key=" RELAY_SANDBOX_DEFAULT_API_KEY
      "&api_secret=" RELAY_SANDBOX_DEFAULT_API_SECRET,
    "/account/get-pricing/outbound/sms?country=GB&api_key=" RELAY_SANDBOX_DEFAULT_API_KEY
      "&api_secret=wrong",
    "/account/get-prefix-pricing/outbound/sms?prefix=1",
  };
  const guint expected[] = { 200, 429, 401, 200 };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *uri = g_strconcat (fixture->rest_base, paths[i], NULL);
      g_autoptr(SoupMessage) message = soup_message_new ("GET", uri);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GError) error = NULL;

      if (i == 3)
        {
          g_autofree char *pair = g_base64_encode ((const guchar *) RELAY_SANDBOX_DEFAULT_API_KEY ":"
                                                   RELAY_SANDBOX_DEFAULT_API_SECRET,
                                                   strlen (RELAY_SANDBOX_DEFAULT_API_KEY ":"
                                                           RELAY_SANDBOX_DEFAULT_API_SECRET));
          g_autofree char *header = g_strconcat ("Basic ", pair, NULL);

          relay_clock_advance (fixture->clock, G_USEC_PER_SEC);
          soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", header);
        }

      soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL, result_cb, &result);
      WAIT_UNTIL (result != NULL);
      body = soup_session_send_and_read_finish (session, result, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (soup_message_get_status (message), ==, expected[i]);
      if (expected[i] == 429)
        g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (message), "Retry-After"),
                         ==, "1");
      if (i == 3)
        {
          g_autoptr(RelayPriceList) list = relay_price_list_parse (g_bytes_get_data (body, NULL),
                                                                   g_bytes_get_size (body), &error);

          g_assert_no_error (error);
          g_assert_cmpuint (relay_price_list_get_n_countries (list), ==, 2);
        }
    }
}

static void
test_cache (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(RelayPricing) pricing = new_pricing (fixture, NULL);
  g_autoptr(RelayPricing) later = NULL;
  g_autoptr(RelayPricing) offline = NULL;
  g_autoptr(RelayPriceList) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *name = NULL;
  GStatBuf info;

  list = get_list (pricing, &error);
  g_assert_no_error (error);
  g_clear_pointer (&list, relay_price_list_unref);

  /* One file per provider host, private, without the secret. */
  path = relay_pricing_get_cache_path (pricing);
  name = g_path_get_basename (path);
  g_assert_true (g_str_has_prefix (name, "pricing-127.0.0.1_"));
  g_assert_cmpint (g_stat (path, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_null (strstr (contents, RELAY_SANDBOX_DEFAULT_API_SECRET));
  g_assert_null (strstr (contents, RELAY_SANDBOX_DEFAULT_API_KEY));

  /* Ten minutes later another instance serves the saved list. */
  relay_clock_advance (fixture->clock, 600 * G_USEC_PER_SEC);
  later = new_pricing (fixture, NULL);
  list = get_list (later, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (relay_sandbox_server_get_pricing_requests (fixture->sandbox), ==, 1);
  g_assert_cmpint (relay_pricing_get_age (later), ==, 600);
  g_assert_true (relay_pricing_is_fresh (later));
  g_clear_pointer (&list, relay_price_list_unref);

  /* A day old: fetched again. */
  relay_clock_advance (fixture->clock, (gint64) (24 * 60 * 60 - 600) * G_USEC_PER_SEC);
  g_assert_false (relay_pricing_is_fresh (later));
  list = get_list (later, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (relay_sandbox_server_get_pricing_requests (fixture->sandbox), ==, 2);
  g_assert_cmpint (relay_pricing_get_age (later), ==, 0);
  g_clear_pointer (&list, relay_price_list_unref);

  /* Two days later and offline (the sandbox gone): the saved list
   * serves, with its age. */
  relay_clock_advance (fixture->clock, (gint64) 2 * 24 * 60 * 60 * G_USEC_PER_SEC);
  g_assert_finalize_object (g_steal_pointer (&fixture->sandbox));
  offline = new_pricing (fixture, NULL);
  list = get_list (offline, &error);
  g_assert_no_error (error);
  g_assert_nonnull (list);
  g_assert_cmpint (relay_pricing_get_age (offline), ==, 2 * 24 * 60 * 60);
  g_assert_false (relay_pricing_is_fresh (offline));
  fixture->sandbox = relay_sandbox_server_new ();
}

static void
test_cache_corrupt (Fixture       *fixture,
                    gconstpointer  data)
{
  static const char *const damaged[] = {
    "",
    "{\"version\":1,\"fetched_at\":1792567650,\"pricing\":{\"count\":1,\"countries\":[",
    ("{\"version\":1,\"fetched_at\":1792567650,\"pricing\":{\"countryCode\":\"GB\",\"currency\":\"EUR\","
     "\"dialingPrefix\":\"44\",\"networks\":[{\"networkCode\":\"23410\",\"price\":\"1e300\"}]}}"),
    "{\"version\":2,\"fetched_at\":1792567650,\"pricing\":{}}",
    "{\"version\":1,\"fetched_at\":\"yesterday\",\"pricing\":{}}",
    "\xff\xfe garbage",
  };

  for (guint i = 0; i < G_N_ELEMENTS (damaged); i++)
    {
      g_autoptr(RelayPricing) pricing = new_pricing (fixture, NULL);
      g_autoptr(RelayPriceList) list = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *path = relay_pricing_get_cache_path (pricing);

      g_assert_true (g_file_set_contents (path, damaged[i], -1, NULL));
      g_assert_false (relay_pricing_load_cache (pricing, &error));
      g_assert_error (error, RELAY_PRICE_ERROR, RELAY_PRICE_ERROR_MALFORMED);
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
      g_assert_null (relay_pricing_get_list (pricing));
      g_clear_error (&error);

      /* And the next estimate fetches a good list instead. */
      g_assert_true (g_file_set_contents (path, damaged[i], -1, NULL));
      relay_clock_advance (fixture->clock, G_USEC_PER_SEC);
      list = get_list (pricing, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (relay_sandbox_server_get_pricing_requests (fixture->sandbox), ==, i + 1);
      g_assert_true (relay_pricing_load_cache (pricing, NULL));
    }
}

/* Offline without a saved list: an error, never a guess. */
static void
test_no_list (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(RelayPricing) pricing = NULL;
  g_autoptr(RelayPriceList) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *rest_base = NULL;

  /* A port that refuses connections: bound, never listening. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any, FALSE, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  rest_base = g_strdup_printf ("http://127.0.0.1:%u",
                               g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  pricing = new_pricing (fixture, rest_base);
  list = get_list (pricing, &error);
  g_assert_null (list);
  g_assert_error (error, RELAY_HTTP_ERROR, RELAY_HTTP_ERROR_UNREACHABLE);
  g_assert_cmpint (relay_pricing_get_age (pricing), ==, -1);
}

/* What the sandbox charges is what the estimate said. */
static void
test_charge_matches (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(RelayPricing) pricing = new_pricing (fixture, NULL);
  g_autoptr(RelayPriceList) list = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;
  const char *const numbers[] = { "491511234567", "14165550100", "447700900001", "12125550100" };

  list = get_list (pricing, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      g_autofree char *uri = g_strdup_printf ("%s/sms/json?api_key=%s&api_secret=%s&from=Relay&to=%s&text=Hi",
                                              fixture->rest_base, RELAY_SANDBOX_DEFAULT_API_KEY,
                                              RELAY_SANDBOX_DEFAULT_API_SECRET, numbers[i]);
      g_autoptr(SoupMessage) message = soup_message_new ("GET", uri);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(RelayPriceEstimate) estimate = NULL;
      JsonObject *element;
      RelayAmount charged;

      soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL, result_cb, &result);
      WAIT_UNTIL (result != NULL);
      body = soup_session_send_and_read_finish (session, result, &error);
      g_assert_no_error (error);
      root = json_from_string (g_bytes_get_data (body, NULL), &error);
      g_assert_no_error (error);
      element = json_array_get_object_element (json_object_get_array_member (json_node_get_object (root),
                                                                             "messages"), 0);
      g_assert_true (relay_amount_parse (json_object_get_string_member (element, "message-price"), &charged));

      estimate = relay_price_estimate_new (list, &numbers[i], 1, 1, TRUE);
      g_assert_cmpint (charged, >=, estimate->min);
      g_assert_cmpint (charged, <=, estimate->max);
      if (g_array_index (estimate->lines, RelayPriceLine, 0).network != NULL)
        {
          g_assert_cmpint (charged, ==, estimate->min);
          g_assert_cmpstr (json_object_get_string_member (element, "network"), ==,
                           g_array_index (estimate->lines, RelayPriceLine, 0).network);
        }
    }
}

/* A whole price list in Nexmo's size class: every country with a dozen
 * networks and their number ranges, several MiB, far past the 1 MiB an
 * SMS answer may have. */
static void
test_large_list (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GString) body = g_string_new ("{\"count\":600,\"countries\":[");
  g_autoptr(HostilePeer) peer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayPricing) pricing = NULL;
  g_autoptr(RelayPriceList) list = NULL;
  g_autofree char *rest_base = NULL;

  for (guint c = 0; c < 600; c++)
    {
      /* prefixes 200..799, two letters from the index */
      g_string_append_printf (body, "%s{\"countryCode\":\"%c%c\",\"countryName\":\"Country %u\","
                              "\"countryDisplayName\":\"Country %u\",\"currency\":\"EUR\","
                              "\"defaultPrice\":\"0.05000000\",\"dialingPrefix\":\"%u\",\"networks\":[",
                              c > 0 ? "," : "", 'A' + c / 26, 'A' + c % 26, c, c, 200 + c);
      for (guint n = 0; n < 12; n++)
        {
          g_string_append_printf (body, "%s{\"type\":\"mobile\",\"price\":\"0.0%u000000\",\"currency\":\"EUR\","
                                  "\"mcc\":\"%u\",\"mnc\":\"%02u\",\"networkCode\":\"%u%02u\","
                                  "\"networkName\":\"Network %u of country %u\",\"ranges\":[",
                                  n > 0 ? "," : "", 1 + n % 9, 200 + c, n, 200 + c, n, n, c);
          for (guint r = 0; r < 20; r++)
            g_string_append_printf (body, "%s\"%u%02u%02u\"", r > 0 ? "," : "", 200 + c, n, r);
          g_string_append (body, "]}");
        }
      g_string_append (body, "]}");
    }
  g_string_append (body, "]}");
  g_test_message ("price list of %zu bytes", body->len);
  g_assert_cmpuint (body->len, >, 2 * RELAY_HTTP_MAX_BODY);

  /* A plain peer that answers every request with the list (libsoup
   * 3.2's own server leaks each accepted socket). */
  peer = hostile_peer_new (HOSTILE_ANSWER, body->str);
  rest_base = hostile_peer_get_base (peer);

  pricing = new_pricing (fixture, rest_base);
  list = get_list (pricing, &error);
  g_assert_no_error (error);
  g_assert_nonnull (list);
  g_assert_cmpuint (relay_price_list_find_country (list, "AA")->networks->len, ==, 12);
  g_assert_nonnull (strstr (peer->request, "GET /account/get-full-pricing/outbound/sms"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/relay/pricing/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("fixture", test_fixture);
  ADD ("pacing", test_pacing);
  ADD ("throttled", test_throttled);
  ADD ("sandbox-limits", test_sandbox_limits);
  ADD ("cache", test_cache);
  ADD ("cache-corrupt", test_cache_corrupt);
  ADD ("no-list", test_no_list);
  ADD ("charge-matches", test_charge_matches);
  ADD ("large-list", test_large_list);

  return g_test_run ();
}
