/* relay-sandbox-pricing.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sandbox's Pricing API: /account/get-full-pricing/outbound/sms,
 * /account/get-pricing/outbound/sms?country=CC and
 * /account/get-prefix-pricing/outbound/sms?prefix=P, answered from a
 * built-in fixture in Nexmo's shape (EUR), one request a second per
 * credential. The SMS handler charges by the same fixture, so that an
 * estimate and the price actually charged agree.
 */

#define G_LOG_DOMAIN "Relay"

#include <json-glib/json-glib.h>
#include <string.h>

#include "relay-oauth1-params.h"
#include "relay-oauth1-signature.h"
#include "relay-price-list.h"
#include "relay-sandbox-private.h"

/*
 * Fifteen countries as the Pricing API lists them. GB's defaultPrice is
 * below every one of its networks (as Nexmo's was, nexmo-cli #57); US and
 * CA share the prefix 1, and only CA's networks have ranges; JM's 1876 is
 * longer than 1; DE's networks have ranges.
 */
static const char fixture[] =
  "{\"count\":15,\"countries\":["
  "{\"countryCode\":\"GB\",\"countryName\":\"United Kingdom\",\"countryDisplayName\":\"United "
  "Kingdom\",\"currency\":\"EUR\",\"defaultPrice\":\"0.03140000\",\"dialingPrefix\":\"44\",\"netw"
  "orks\":[{\"type\":\"mobile\",\"price\":\"0.03330000\",\"currency\":\"EUR\",\"mcc\":\"234\",\"mnc\":"
  "\"10\",\"networkCode\":\"23410\",\"networkName\":\"Telefonica UK Limited\"},{\"type\":\"mobil"
  "e\",\"price\":\"0.03400000\",\"currency\":\"EUR\",\"mcc\":\"234\",\"mnc\":\"15\",\"networkCode\":\"2"
  "3415\",\"networkName\":\"Vodafone Limited\"},{\"type\":\"mobile\",\"price\":\"0.03500000\",\"c"
  "urrency\":\"EUR\",\"mcc\":\"234\",\"mnc\":\"20\",\"networkCode\":\"23420\",\"networkName\":\"Hutch"
  "ison 3G UK Ltd\"},{\"type\":\"mobile\",\"price\":\"0.03600000\",\"currency\":\"EUR\",\"mcc\":\"2"
  "34\",\"mnc\":\"30\",\"networkCode\":\"23430\",\"networkName\":\"EE Limited\"}]},"
  "{\"countryCode\":\"US\",\"countryName\":\"United States\",\"countryDisplayName\":\"United S"
  "tates of America\",\"currency\":\"EUR\",\"defaultPrice\":\"0.00730000\",\"dialingPrefix\":\""
  "1\",\"networks\":[{\"type\":\"mobile\",\"price\":\"0.00730000\",\"currency\":\"EUR\",\"mcc\":\"310"
  "\",\"mnc\":\"004\",\"networkCode\":\"310004\",\"networkName\":\"Verizon Wireless\"},{\"type\":\""
  "mobile\",\"price\":\"0.00790000\",\"currency\":\"EUR\",\"mcc\":\"310\",\"mnc\":\"260\",\"networkCo"
  "de\":\"310260\",\"networkName\":\"T-Mobile USA\"},{\"type\":\"mobile\",\"price\":\"0.00810000\""
  ",\"currency\":\"EUR\",\"mcc\":\"310\",\"mnc\":\"410\",\"networkCode\":\"310410\",\"networkName\":\""
  "AT&T Mobility\"}]},"
  "{\"countryCode\":\"CA\",\"countryName\":\"Canada\",\"countryDisplayName\":\"Canada\",\"curren"
  "cy\":\"EUR\",\"defaultPrice\":\"0.00710000\",\"dialingPrefix\":\"1\",\"networks\":[{\"type\":\"m"
  "obile\",\"price\":\"0.00710000\",\"currency\":\"EUR\",\"mcc\":\"302\",\"mnc\":\"610\",\"networkCod"
  "e\":\"302610\",\"networkName\":\"Bell Mobility\",\"ranges\":[\"1204\",\"1416\",\"1418\"]},{\"typ"
  "e\":\"mobile\",\"price\":\"0.00750000\",\"currency\":\"EUR\",\"mcc\":\"302\",\"mnc\":\"720\",\"netwo"
  "rkCode\":\"302720\",\"networkName\":\"Rogers Communications\",\"ranges\":[\"1514\",\"1604\",\""
  "1647\"]}]},"
  "{\"countryCode\":\"JM\",\"countryName\":\"Jamaica\",\"countryDisplayName\":\"Jamaica\",\"curr"
  "ency\":\"EUR\",\"defaultPrice\":\"0.09500000\",\"dialingPrefix\":\"1876\",\"networks\":[{\"typ"
  "e\":\"mobile\",\"price\":\"0.09500000\",\"currency\":\"EUR\",\"mcc\":\"338\",\"mnc\":\"050\",\"netwo"
  "rkCode\":\"338050\",\"networkName\":\"Digicel Jamaica\"},{\"type\":\"mobile\",\"price\":\"0.10"
  "200000\",\"currency\":\"EUR\",\"mcc\":\"338\",\"mnc\":\"180\",\"networkCode\":\"338180\",\"network"
  "Name\":\"Cable & Wireless Jamaica\"}]},"
  "{\"countryCode\":\"DE\",\"countryName\":\"Germany\",\"countryDisplayName\":\"Germany\",\"curr"
  "ency\":\"EUR\",\"defaultPrice\":\"0.07500000\",\"dialingPrefix\":\"49\",\"networks\":[{\"type\""
  ":\"mobile\",\"price\":\"0.07500000\",\"currency\":\"EUR\",\"mcc\":\"262\",\"mnc\":\"01\",\"networkC"
  "ode\":\"26201\",\"networkName\":\"Telekom Deutschland GmbH\",\"ranges\":[\"49151\",\"49160\","
  "\"49170\",\"49171\",\"49175\"]},{\"type\":\"mobile\",\"price\":\"0.07800000\",\"currency\":\"EUR\""
  ",\"mcc\":\"262\",\"mnc\":\"02\",\"networkCode\":\"26202\",\"networkName\":\"Vodafone GmbH\",\"ran"
  "ges\":[\"49152\",\"49162\",\"49172\",\"49173\",\"49174\"]},{\"type\":\"mobile\",\"price\":\"0.0720"
  "0000\",\"currency\":\"EUR\",\"mcc\":\"262\",\"mnc\":\"03\",\"networkCode\":\"26203\",\"networkName"
  "\":\"Telefonica Germany GmbH & Co. oHG\",\"ranges\":[\"49157\",\"49159\",\"49163\",\"49176\","
  "\"49177\",\"49178\",\"49179\"]}]},"
  "{\"countryCode\":\"FR\",\"countryName\":\"France\",\"countryDisplayName\":\"France\",\"curren"
  "cy\":\"EUR\",\"defaultPrice\":\"0.06950000\",\"dialingPrefix\":\"33\",\"networks\":[{\"type\":\""
  "mobile\",\"price\":\"0.06950000\",\"currency\":\"EUR\",\"mcc\":\"208\",\"mnc\":\"01\",\"networkCod"
  "e\":\"20801\",\"networkName\":\"Orange France\"},{\"type\":\"mobile\",\"price\":\"0.07050000\","
  "\"currency\":\"EUR\",\"mcc\":\"208\",\"mnc\":\"10\",\"networkCode\":\"20810\",\"networkName\":\"SFR"
  "\"},{\"type\":\"mobile\",\"price\":\"0.07100000\",\"currency\":\"EUR\",\"mcc\":\"208\",\"mnc\":\"20\""
  ",\"networkCode\":\"20820\",\"networkName\":\"Bouygues Telecom\"},{\"type\":\"mobile\",\"price"
  "\":\"0.06800000\",\"currency\":\"EUR\",\"mcc\":\"208\",\"mnc\":\"15\",\"networkCode\":\"20815\",\"ne"
  "tworkName\":\"Free Mobile\"}]},"
  "{\"countryCode\":\"ES\",\"countryName\":\"Spain\",\"countryDisplayName\":\"Spain\",\"currency"
  "\":\"EUR\",\"defaultPrice\":\"0.07200000\",\"dialingPrefix\":\"34\",\"networks\":[{\"type\":\"mo"
  "bile\",\"price\":\"0.07200000\",\"currency\":\"EUR\",\"mcc\":\"214\",\"mnc\":\"01\",\"networkCode\""
  ":\"21401\",\"networkName\":\"Vodafone Spain\"},{\"type\":\"mobile\",\"price\":\"0.07300000\",\""
  "currency\":\"EUR\",\"mcc\":\"214\",\"mnc\":\"03\",\"networkCode\":\"21403\",\"networkName\":\"Oran"
  "ge Spain\"},{\"type\":\"mobile\",\"price\":\"0.07400000\",\"currency\":\"EUR\",\"mcc\":\"214\",\"m"
  "nc\":\"07\",\"networkCode\":\"21407\",\"networkName\":\"Telefonica Moviles Espana\"}]},"
  "{\"countryCode\":\"IT\",\"countryName\":\"Italy\",\"countryDisplayName\":\"Italy\",\"currency"
  "\":\"EUR\",\"defaultPrice\":\"0.07600000\",\"dialingPrefix\":\"39\",\"networks\":[{\"type\":\"mo"
  "bile\",\"price\":\"0.07600000\",\"currency\":\"EUR\",\"mcc\":\"222\",\"mnc\":\"01\",\"networkCode\""
  ":\"22201\",\"networkName\":\"Telecom Italia Mobile\"},{\"type\":\"mobile\",\"price\":\"0.0770"
  "0000\",\"currency\":\"EUR\",\"mcc\":\"222\",\"mnc\":\"10\",\"networkCode\":\"22210\",\"networkName"
  "\":\"Vodafone Italia\"}]},"
  "{\"countryCode\":\"NL\",\"countryName\":\"Netherlands\",\"countryDisplayName\":\"Netherland"
  "s\",\"currency\":\"EUR\",\"defaultPrice\":\"0.09100000\",\"dialingPrefix\":\"31\",\"networks\":"
  "[{\"type\":\"mobile\",\"price\":\"0.09100000\",\"currency\":\"EUR\",\"mcc\":\"204\",\"mnc\":\"04\",\""
  "networkCode\":\"20404\",\"networkName\":\"Vodafone Libertel B.V.\"},{\"type\":\"mobile\",\"p"
  "rice\":\"0.09300000\",\"currency\":\"EUR\",\"mcc\":\"204\",\"mnc\":\"08\",\"networkCode\":\"20408\""
  ",\"networkName\":\"KPN Mobile\"},{\"type\":\"mobile\",\"price\":\"0.09200000\",\"currency\":\"E"
  "UR\",\"mcc\":\"204\",\"mnc\":\"16\",\"networkCode\":\"20416\",\"networkName\":\"T-Mobile Netherl"
  "ands\"}]},"
  "{\"countryCode\":\"IE\",\"countryName\":\"Ireland\",\"countryDisplayName\":\"Ireland\",\"curr"
  "ency\":\"EUR\",\"defaultPrice\":\"0.05900000\",\"dialingPrefix\":\"353\",\"networks\":[{\"type"
  "\":\"mobile\",\"price\":\"0.05900000\",\"currency\":\"EUR\",\"mcc\":\"272\",\"mnc\":\"01\",\"network"
  "Code\":\"27201\",\"networkName\":\"Vodafone Ireland\"},{\"type\":\"mobile\",\"price\":\"0.0610"
  "0000\",\"currency\":\"EUR\",\"mcc\":\"272\",\"mnc\":\"05\",\"networkCode\":\"27205\",\"networkName"
  "\":\"Three Ireland\"}]},"
  "{\"countryCode\":\"PT\",\"countryName\":\"Portugal\",\"countryDisplayName\":\"Portugal\",\"cu"
  "rrency\":\"EUR\",\"defaultPrice\":\"0.03900000\",\"dialingPrefix\":\"351\",\"networks\":[{\"ty"
  "pe\":\"mobile\",\"price\":\"0.03900000\",\"currency\":\"EUR\",\"mcc\":\"268\",\"mnc\":\"01\",\"netwo"
  "rkCode\":\"26801\",\"networkName\":\"Vodafone Portugal\"},{\"type\":\"mobile\",\"price\":\"0.0"
  "4000000\",\"currency\":\"EUR\",\"mcc\":\"268\",\"mnc\":\"06\",\"networkCode\":\"26806\",\"networkN"
  "ame\":\"MEO\"}]},"
  "{\"countryCode\":\"AT\",\"countryName\":\"Austria\",\"countryDisplayName\":\"Austria\",\"curr"
  "ency\":\"EUR\",\"defaultPrice\":\"0.06500000\",\"dialingPrefix\":\"43\",\"networks\":[{\"type\""
  ":\"mobile\",\"price\":\"0.06500000\",\"currency\":\"EUR\",\"mcc\":\"232\",\"mnc\":\"01\",\"networkC"
  "ode\":\"23201\",\"networkName\":\"A1 Telekom Austria\"},{\"type\":\"mobile\",\"price\":\"0.066"
  "00000\",\"currency\":\"EUR\",\"mcc\":\"232\",\"mnc\":\"03\",\"networkCode\":\"23203\",\"networkNam"
  "e\":\"Magenta Telekom\"}]},"
  "{\"countryCode\":\"CH\",\"countryName\":\"Switzerland\",\"countryDisplayName\":\"Switzerlan"
  "d\",\"currency\":\"EUR\",\"defaultPrice\":\"0.05100000\",\"dialingPrefix\":\"41\",\"networks\":"
  "[{\"type\":\"mobile\",\"price\":\"0.05100000\",\"currency\":\"EUR\",\"mcc\":\"228\",\"mnc\":\"01\",\""
  "networkCode\":\"22801\",\"networkName\":\"Swisscom\"},{\"type\":\"mobile\",\"price\":\"0.05200"
  "000\",\"currency\":\"EUR\",\"mcc\":\"228\",\"mnc\":\"02\",\"networkCode\":\"22802\",\"networkName\""
  ":\"Sunrise\"}]},"
  "{\"countryCode\":\"BE\",\"countryName\":\"Belgium\",\"countryDisplayName\":\"Belgium\",\"curr"
  "ency\":\"EUR\",\"defaultPrice\":\"0.08400000\",\"dialingPrefix\":\"32\",\"networks\":[{\"type\""
  ":\"mobile\",\"price\":\"0.08400000\",\"currency\":\"EUR\",\"mcc\":\"206\",\"mnc\":\"01\",\"networkC"
  "ode\":\"20601\",\"networkName\":\"Proximus\"},{\"type\":\"mobile\",\"price\":\"0.08600000\",\"cu"
  "rrency\":\"EUR\",\"mcc\":\"206\",\"mnc\":\"10\",\"networkCode\":\"20610\",\"networkName\":\"Orange"
  " Belgium\"}]},"
  "{\"countryCode\":\"SE\",\"countryName\":\"Sweden\",\"countryDisplayName\":\"Sweden\",\"curren"
  "cy\":\"EUR\",\"defaultPrice\":\"0.06300000\",\"dialingPrefix\":\"46\",\"networks\":[{\"type\":\""
  "mobile\",\"price\":\"0.06300000\",\"currency\":\"EUR\",\"mcc\":\"240\",\"mnc\":\"01\",\"networkCod"
  "e\":\"24001\",\"networkName\":\"Telia Sverige\"},{\"type\":\"mobile\",\"price\":\"0.06400000\","
  "\"currency\":\"EUR\",\"mcc\":\"240\",\"mnc\":\"07\",\"networkCode\":\"24007\",\"networkName\":\"Tel"
  "e2 Sverige\"}]}"
  "]}";

static JsonNode *
fixture_node (void)
{
  static JsonNode *node;

  if (g_once_init_enter (&node))
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      gboolean parsed = json_parser_load_from_data (parser, fixture, -1, NULL);

      g_assert (parsed);
      g_once_init_leave (&node, json_node_ref (json_parser_get_root (parser)));
    }

  return node;
}

static RelayPriceList *
fixture_list (void)
{
  static RelayPriceList *list;

  if (g_once_init_enter (&list))
    {
      RelayPriceList *parsed = relay_price_list_new_from_node (fixture_node (), NULL);

      g_assert (parsed != NULL);
      g_once_init_leave (&list, parsed);
    }

  return list;
}

/**
 * relay_sandbox_pricing_part_price:
 * @to: the recipient, digits
 * @network: (out): the network it is charged as
 *
 * What the sandbox charges for one part to @to: its network's price in
 * the fixture (by range, else the country's first network), or the flat
 * %RELAY_SANDBOX_PART_PRICE for a country the fixture lacks.
 *
 * Returns: the price in 1e-8 EUR
 */
gint64
relay_sandbox_pricing_part_price (const char  *to,
                                  const char **network)
{
  RelayPriceList *list = fixture_list ();
  RelayPriceCountry *country;
  RelayPriceNetwork *first;
  RelayPriceMatch match;
  g_auto(GStrv) codes = NULL;

  *network = RELAY_SANDBOX_NETWORK;
  if (!relay_price_list_match (list, to, &match))
    return RELAY_SANDBOX_PART_PRICE;

  if (match.network != NULL)
    {
      *network = match.network;
      return match.max;
    }

  /* US/CA without a range: the first country's first network. */
  codes = g_strsplit (match.country, "/", 2);
  country = relay_price_list_find_country (list, codes[0]);
  first = g_ptr_array_index (country->networks, 0);
  *network = first->code;

  return first->price;
}

static void
reply_json_node (SoupServerMessage *msg,
                 JsonNode          *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  relay_sandbox_reply (msg, SOUP_STATUS_OK, "application/json", text);
}

static void
reply_error (SoupServerMessage *msg,
             guint              status,
             const char        *label)
{
  g_autofree char *body = g_strdup_printf ("{\"error-code\":\"%u\",\"error-code-label\":\"%s\"}",
                                           status, label);

  relay_sandbox_reply (msg, status, "application/json", body);
}

/* api_key/api_secret in the query or HTTP basic, or an OAuth access
 * token. Answers the refusal itself and returns NULL. */
static char *
authenticate (RelaySandboxServer *self,
              SoupServerMessage  *msg,
              GPtrArray          *params)
{
  g_autofree char *key = NULL;
  g_autofree char *secret = NULL;
  gboolean valid;

  if (relay_sandbox_has_oauth (msg, params))
    {
      g_autofree char *token = NULL;

      if (!relay_sandbox_verify_or_reply (self, msg, params, TRUE, RELAY_SANDBOX_TOKEN_ACCESS, &token))
        return NULL;

      return g_strconcat ("pricing:oauth:", token, NULL);
    }

  if (!relay_sandbox_basic_credentials (msg, &key, &secret))
    {
      key = g_strdup (relay_params_get (params, "api_key"));
      secret = g_strdup (relay_params_get (params, "api_secret"));
    }

  valid = key != NULL && secret != NULL &&
          (relay_constant_time_equal (key, self->api_key) &
           relay_constant_time_equal (secret, self->api_secret));
  if (secret != NULL)
    explicit_bzero (secret, strlen (secret));
  if (!valid)
    {
      reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "authentication failed");
      return NULL;
    }

  return g_strconcat ("pricing:api:", key, NULL);
}

/* One request a second per credential; above it, 429 and Retry-After. */
static gboolean
allow (RelaySandboxServer *self,
       SoupServerMessage  *msg,
       const char         *credential)
{
  gint64 now = relay_clock_get_now (self->clock);
  GQueue *window = g_hash_table_lookup (self->windows, credential);
  gint64 *last;

  if (window == NULL)
    {
      window = g_queue_new ();
      g_hash_table_insert (self->windows, g_strdup (credential), window);
    }

  last = g_queue_peek_head (window);
  if (last != NULL && now - *last < G_USEC_PER_SEC)
    {
      g_autofree char *wait = g_strdup_printf ("%" G_GINT64_FORMAT,
                                               (*last + G_USEC_PER_SEC - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);

      reply_error (msg, 429, "too many requests");
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", wait);
      return FALSE;
    }

  if (last == NULL)
    {
      last = g_new (gint64, 1);
      g_queue_push_head (window, last);
    }
  *last = now;

  return TRUE;
}

/* Returns the query parameters, or NULL with the refusal answered. */
static GPtrArray *
begin (RelaySandboxServer *self,
       SoupServerMessage  *msg)
{
  g_autoptr(GPtrArray) params = relay_params_new ();
  g_autofree char *credential = NULL;

  if (!relay_sandbox_collect_params (msg, params, NULL))
    {
      reply_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed request parameters");
      return NULL;
    }
  if (!(credential = authenticate (self, msg, params)))
    return NULL;
  if (!allow (self, msg, credential))
    return NULL;

  self->pricing_requests++;
  return g_steal_pointer (&params);
}

void
relay_sandbox_handle_full_pricing (RelaySandboxServer *self,
                                   SoupServerMessage  *msg)
{
  g_autoptr(GPtrArray) params = begin (self, msg);

  if (params != NULL)
    reply_json_node (msg, fixture_node ());
}

void
relay_sandbox_handle_country_pricing (RelaySandboxServer *self,
                                      SoupServerMessage  *msg)
{
  g_autoptr(GPtrArray) params = begin (self, msg);
  JsonArray *countries;
  const char *code;

  if (params == NULL)
    return;

  code = relay_params_get (params, "country");
  if (code == NULL || *code == '\0')
    {
      reply_error (msg, SOUP_STATUS_BAD_REQUEST, "missing country");
      return;
    }

  countries = json_object_get_array_member (json_node_get_object (fixture_node ()), "countries");
  for (guint i = 0; i < json_array_get_length (countries); i++)
    {
      JsonNode *country = json_array_get_element (countries, i);

      if (g_ascii_strcasecmp (json_object_get_string_member (json_node_get_object (country), "countryCode"),
                              code) == 0)
        {
          reply_json_node (msg, country);
          return;
        }
    }

  reply_error (msg, SOUP_STATUS_BAD_REQUEST, "unknown country");
}

void
relay_sandbox_handle_prefix_pricing (RelaySandboxServer *self,
                                     SoupServerMessage  *msg)
{
  g_autoptr(GPtrArray) params = begin (self, msg);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *countries;
  const char *prefix;
  guint count = 0;

  if (params == NULL)
    return;

  prefix = relay_params_get (params, "prefix");
  if (prefix == NULL || *prefix == '\0')
    {
      reply_error (msg, SOUP_STATUS_BAD_REQUEST, "missing prefix");
      return;
    }

  countries = json_object_get_array_member (json_node_get_object (fixture_node ()), "countries");
  for (guint i = 0; i < json_array_get_length (countries); i++)
    if (strcmp (json_object_get_string_member (json_array_get_object_element (countries, i), "dialingPrefix"),
                prefix) == 0)
      count++;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, count);
  json_builder_set_member_name (builder, "countries");
  json_builder_begin_array (builder);
  for (guint i = 0; i < json_array_get_length (countries); i++)
    {
      JsonNode *country = json_array_get_element (countries, i);

      if (strcmp (json_object_get_string_member (json_node_get_object (country), "dialingPrefix"),
                  prefix) == 0)
        json_builder_add_value (builder, json_node_ref (country));
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  reply_json_node (msg, root);
}

/**
 * relay_sandbox_server_get_pricing_requests:
 *
 * Returns: Pricing API requests answered with prices so far
 */
guint
relay_sandbox_server_get_pricing_requests (RelaySandboxServer *self)
{
  g_return_val_if_fail (RELAY_IS_SANDBOX_SERVER (self), 0);

  return self->pricing_requests;
}
