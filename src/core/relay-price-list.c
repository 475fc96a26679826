/* relay-price-list.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The provider's SMS price list (Nexmo's Pricing API answers), read
 * strictly, and the lookup of a number's country and network in it.
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relay-price-list.h"
#include "relay-json-guard.h"

/* E.164 numbers have at most 15 digits. */
#define MAX_NUMBER 15
#define MAX_DIALING_PREFIX 6
#define MAX_COUNTRIES 1000
#define MAX_NETWORKS 1000
#define MAX_RANGES 100000

/* The countries that share one dialing prefix (US and CA share 1). */
typedef struct
{
  char        *label;       /* "GB", or "US/CA" */
  GPtrArray   *countries;   /* RelayPriceCountry, not owned */
  RelayAmount  min;         /* over every network of them, -1 when none */
  RelayAmount  max;
  gboolean     has_ranges;
} PrefixGroup;

/* What one number prefix of a `ranges` list names. */
typedef struct
{
  RelayPriceCountry *country;
  RelayPriceNetwork *network;   /* NULL when two networks claim it */
  RelayAmount        min;
  RelayAmount        max;
} RangeEntry;

struct _RelayPriceList
{
  gatomicrefcount  ref_count;
  char            *currency;
  GPtrArray       *countries;   /* RelayPriceCountry */
  GHashTable      *prefixes;    /* dialing prefix → PrefixGroup */
  GHashTable      *ranges;      /* number prefix → RangeEntry */
  guint            max_prefix;
  guint            max_range;
};

G_DEFINE_BOXED_TYPE (RelayPriceList, relay_price_list, relay_price_list_ref, relay_price_list_unref)
G_DEFINE_QUARK (relay-price-error-quark, relay_price_error)

static void
network_free (gpointer data)
{
  RelayPriceNetwork *network = data;

  g_free (network->code);
  g_free (network->name);
  g_strfreev (network->ranges);
  g_free (network);
}

static void
country_free (gpointer data)
{
  RelayPriceCountry *country = data;

  g_free (country->code);
  g_free (country->name);
  g_free (country->prefix);
  g_clear_pointer (&country->networks, g_ptr_array_unref);
  g_free (country);
}

static void
group_free (gpointer data)
{
  PrefixGroup *group = data;

  g_free (group->label);
  g_ptr_array_unref (group->countries);
  g_free (group);
}

static gboolean
malformed (GError    **error,
           const char *what)
{
  g_set_error (error, RELAY_PRICE_ERROR, RELAY_PRICE_ERROR_MALFORMED,
               _("The provider’s price list could not be read: %s"), what);
  return FALSE;
}

static gboolean
all_digits (const char *text,
            gsize       min,
            gsize       max)
{
  gsize len = strlen (text);

  if (len < min || len > max)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;

  return TRUE;
}

static gboolean
all_upper (const char *text,
           gsize       len)
{
  if (strlen (text) != len)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isupper (text[i]))
      return FALSE;

  return TRUE;
}

/* A member that, when present and not null, is a string. */
static gboolean
get_string (JsonObject  *object,
            const char  *name,
            const char **value)
{
  JsonNode *node = json_object_get_member (object, name);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;

  *value = json_node_get_string (node);
  return TRUE;
}

static gboolean
get_price (JsonObject  *object,
           const char  *name,
           gboolean     required,
           RelayAmount *price,
           GError     **error)
{
  const char *text;

  *price = -1;
  if (!get_string (object, name, &text))
    {
      g_autofree char *what = g_strdup_printf (_("“%s” is not a decimal text."), name);
      return malformed (error, what);
    }
  if (text == NULL && !required)
    return TRUE;
  if (text == NULL || !relay_amount_parse (text, price))
    {
      g_autofree char *what = g_strdup_printf (_("“%s” is not a price."), name);
      return malformed (error, what);
    }

  return TRUE;
}

static gboolean
check_currency (RelayPriceList  *self,
                const char      *currency,
                GError         **error)
{
  if (currency == NULL || !all_upper (currency, 3))
    return malformed (error, _("a currency is missing or not a currency code."));

  if (self->currency == NULL)
    self->currency = g_strdup (currency);
  else if (strcmp (self->currency, currency) != 0)
    return malformed (error, _("it mixes currencies."));

  return TRUE;
}

static RelayPriceNetwork *
parse_network (RelayPriceList  *self,
               JsonNode        *node,
               GError         **error)
{
  g_autoptr(GStrvBuilder) ranges = NULL;
  RelayPriceNetwork *network;
  JsonObject *object;
  JsonNode *ranges_node;
  const char *code, *name, *currency;
  RelayAmount price;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      malformed (error, _("a network is not an object."));
      return NULL;
    }
  object = json_node_get_object (node);

  if (!get_string (object, "networkCode", &code) || code == NULL || *code == '\0' || strlen (code) > 16)
    {
      malformed (error, _("a network has no network code."));
      return NULL;
    }
  if (!get_string (object, "networkName", &name) || !get_string (object, "currency", &currency))
    {
      malformed (error, _("a network’s name or currency is not text."));
      return NULL;
    }
  if (currency != NULL && !check_currency (self, currency, error))
    return NULL;
  if (!get_price (object, "price", TRUE, &price, error))
    return NULL;

  ranges_node = json_object_get_member (object, "ranges");
  if (ranges_node != NULL && !JSON_NODE_HOLDS_NULL (ranges_node))
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (ranges_node))
        {
          malformed (error, _("a network’s ranges are not a list."));
          return NULL;
        }
      array = json_node_get_array (ranges_node);
      if (json_array_get_length (array) > MAX_RANGES)
        {
          malformed (error, _("a network has too many ranges."));
          return NULL;
        }
      ranges = g_strv_builder_new ();
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *range = json_array_get_element (array, i);
          g_autofree char *digits = NULL;

          /* Ranges are number prefixes, as text or as a JSON integer. */
          if (JSON_NODE_HOLDS_VALUE (range) && json_node_get_value_type (range) == G_TYPE_STRING)
            digits = g_strdup (json_node_get_string (range));
          else if (JSON_NODE_HOLDS_VALUE (range) && json_node_get_value_type (range) == G_TYPE_INT64 &&
                   json_node_get_int (range) > 0)
            digits = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (range));

          if (digits == NULL || !all_digits (digits, 1, MAX_NUMBER))
            {
              malformed (error, _("a network range is not a number prefix."));
              return NULL;
            }
          g_strv_builder_add (ranges, digits);
        }
    }

  network = g_new0 (RelayPriceNetwork, 1);
  network->code = g_strdup (code);
  network->name = g_strdup (name);
  network->price = price;
  network->ranges = ranges != NULL ? g_strv_builder_end (ranges) : NULL;

  return network;
}

/* Returns FALSE with @error set for a malformed country, and FALSE with
 * no error for one that cannot be matched (no dialing prefix): skipped. */
static gboolean
parse_country (RelayPriceList     *self,
               JsonNode           *node,
               RelayPriceCountry **out,
               GError            **error)
{
  g_autoptr(GPtrArray) networks = g_ptr_array_new_with_free_func (network_free);
  RelayPriceCountry *country;
  JsonObject *object;
  JsonNode *prefix_node;
  JsonNode *networks_node;
  g_autofree char *prefix = NULL;
  const char *code, *name, *display_name, *currency;
  RelayAmount default_price;

  *out = NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return malformed (error, _("a country is not an object."));
  object = json_node_get_object (node);

  if (!get_string (object, "countryCode", &code) || code == NULL || !all_upper (code, 2))
    return malformed (error, _("a country has no country code."));
  if (!get_string (object, "countryName", &name) ||
      !get_string (object, "countryDisplayName", &display_name) ||
      !get_string (object, "currency", &currency))
    return malformed (error, _("a country’s name or currency is not text."));
  if (!check_currency (self, currency, error))
    return FALSE;
  if (!get_price (object, "defaultPrice", FALSE, &default_price, error))
    return FALSE;

  prefix_node = json_object_get_member (object, "dialingPrefix");
  if (prefix_node != NULL && JSON_NODE_HOLDS_VALUE (prefix_node) &&
      json_node_get_value_type (prefix_node) == G_TYPE_STRING)
    prefix = g_strdup (json_node_get_string (prefix_node));
  else if (prefix_node != NULL && JSON_NODE_HOLDS_VALUE (prefix_node) &&
           json_node_get_value_type (prefix_node) == G_TYPE_INT64 &&
           json_node_get_int (prefix_node) > 0)
    prefix = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (prefix_node));
  else if (prefix_node != NULL && !JSON_NODE_HOLDS_NULL (prefix_node))
    return malformed (error, _("a dialing prefix is not a number."));

  if (prefix != NULL && *prefix != '\0' && !all_digits (prefix, 1, MAX_DIALING_PREFIX))
    return malformed (error, _("a dialing prefix is not a number."));

  networks_node = json_object_get_member (object, "networks");
  if (networks_node != NULL && !JSON_NODE_HOLDS_NULL (networks_node))
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (networks_node))
        return malformed (error, _("a country’s networks are not a list."));
      array = json_node_get_array (networks_node);
      if (json_array_get_length (array) > MAX_NETWORKS)
        return malformed (error, _("a country has too many networks."));
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          RelayPriceNetwork *network = parse_network (self, json_array_get_element (array, i), error);

          if (network == NULL)
            return FALSE;
          g_ptr_array_add (networks, network);
        }
    }

  /* Nothing can reach a country without a prefix; skip it. */
  if (prefix == NULL || *prefix == '\0')
    return FALSE;

  country = g_new0 (RelayPriceCountry, 1);
  country->code = g_strdup (code);
  country->name = g_strdup (display_name != NULL ? display_name : name);
  country->prefix = g_steal_pointer (&prefix);
  country->default_price = default_price;
  country->networks = g_steal_pointer (&networks);
  *out = country;

  return TRUE;
}

static void
widen (RelayAmount *min,
       RelayAmount *max,
       RelayAmount  price)
{
  if (*min < 0 || price < *min)
    *min = price;
  if (*max < 0 || price > *max)
    *max = price;
}

static void
index_range (RelayPriceList    *self,
             RelayPriceCountry *country,
             RelayPriceNetwork *network,
             const char        *range)
{
  RangeEntry *entry = g_hash_table_lookup (self->ranges, range);

  if (entry == NULL)
    {
      entry = g_new0 (RangeEntry, 1);
      entry->country = country;
      entry->network = network;
      entry->min = entry->max = network->price;
      g_hash_table_insert (self->ranges, g_strdup (range), entry);
      self->max_range = MAX (self->max_range, strlen (range));
      return;
    }

  /* Two networks claim the prefix: it costs what either costs. */
  if (entry->network != network)
    entry->network = NULL;
  widen (&entry->min, &entry->max, network->price);
}

static void
build_index (RelayPriceList *self)
{
  self->prefixes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, group_free);
  self->ranges = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < self->countries->len; i++)
    {
      RelayPriceCountry *country = g_ptr_array_index (self->countries, i);
      PrefixGroup *group = g_hash_table_lookup (self->prefixes, country->prefix);

      if (group == NULL)
        {
          group = g_new0 (PrefixGroup, 1);
          group->label = g_strdup (country->code);
          group->countries = g_ptr_array_new ();
          group->min = group->max = -1;
          g_hash_table_insert (self->prefixes, country->prefix, group);
          self->max_prefix = MAX (self->max_prefix, strlen (country->prefix));
        }
      else
        {
          char *label = g_strconcat (group->label, "/", country->code, NULL);

          g_free (group->label);
          group->label = label;
        }
      g_ptr_array_add (group->countries, country);

      for (guint j = 0; j < country->networks->len; j++)
        {
          RelayPriceNetwork *network = g_ptr_array_index (country->networks, j);

          widen (&group->min, &group->max, network->price);
          for (guint k = 0; network->ranges != NULL && network->ranges[k] != NULL; k++)
            {
              index_range (self, country, network, network->ranges[k]);
              group->has_ranges = TRUE;
            }
        }
    }
}

static gboolean
add_country (RelayPriceList  *self,
             JsonNode        *node,
             GError         **error)
{
  RelayPriceCountry *country = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!parse_country (self, node, &country, &local_error))
    {
      if (local_error == NULL)
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (relay_price_list_find_country (self, country->code) != NULL)
    {
      country_free (country);
      return malformed (error, _("a country appears twice."));
    }

  g_ptr_array_add (self->countries, country);
  return TRUE;
}

static RelayPriceList *
price_list_new (void)
{
  RelayPriceList *self = g_new0 (RelayPriceList, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->countries = g_ptr_array_new_with_free_func (country_free);

  return self;
}

/**
 * relay_price_list_new_from_node:
 * @node: a parsed answer of get-full-pricing, get-prefix-pricing
 *   (`{count, countries}`) or get-pricing (one country)
 * @error: a #GError
 *
 * Returns: (transfer full) (nullable): the list, or
 *   %RELAY_PRICE_ERROR_MALFORMED
 */
RelayPriceList *
relay_price_list_new_from_node (JsonNode  *node,
                                GError   **error)
{
  g_autoptr(RelayPriceList) self = price_list_new ();
  JsonObject *object;
  JsonNode *countries;

  g_return_val_if_fail (node != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      malformed (error, _("it is not a JSON object."));
      return NULL;
    }
  object = json_node_get_object (node);
  countries = json_object_get_member (object, "countries");

  if (countries == NULL)
    {
      if (!add_country (self, node, error))
        return NULL;
    }
  else
    {
      JsonNode *count = json_object_get_member (object, "count");
      JsonArray *array;
      guint n;

      if (!JSON_NODE_HOLDS_ARRAY (countries))
        {
          malformed (error, _("“countries” is not a list."));
          return NULL;
        }
      array = json_node_get_array (countries);
      n = json_array_get_length (array);
      if (n > MAX_COUNTRIES)
        {
          malformed (error, _("it has too many countries."));
          return NULL;
        }

      /* A count that disagrees means a cut or mangled answer. */
      if (count != NULL && !JSON_NODE_HOLDS_NULL (count))
        {
          gint64 value = -1;
          guint64 parsed;

          if (JSON_NODE_HOLDS_VALUE (count) && json_node_get_value_type (count) == G_TYPE_INT64)
            value = json_node_get_int (count);
          else if (JSON_NODE_HOLDS_VALUE (count) && json_node_get_value_type (count) == G_TYPE_STRING &&
                   g_ascii_string_to_unsigned (json_node_get_string (count), 10, 0, MAX_COUNTRIES, &parsed, NULL))
            value = (gint64) parsed;
          if (value != n)
            {
              malformed (error, _("“count” does not match the countries."));
              return NULL;
            }
        }

      for (guint i = 0; i < n; i++)
        if (!add_country (self, json_array_get_element (array, i), error))
          return NULL;
    }

  if (self->countries->len == 0)
    {
      malformed (error, _("it names no country."));
      return NULL;
    }

  build_index (self);
  return g_steal_pointer (&self);
}

/**
 * relay_price_list_parse:
 * @json: an answer of the Pricing API
 * @len: its length, or -1 when nul-terminated
 * @error: a #GError
 *
 * Prices must be decimal strings ("0.03330000"); every currency in the
 * answer must be the same.
 *
 * Returns: (transfer full) (nullable): the list, or
 *   %RELAY_PRICE_ERROR_MALFORMED
 */
RelayPriceList *
relay_price_list_parse (const char  *json,
                        gssize       len,
                        GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) guard_error = NULL;
  JsonNode *root;

  if (json == NULL)
    {
      malformed (error, _("it is empty."));
      return NULL;
    }
  if (len < 0)
    len = strlen (json);
  if (len == 0)
    {
      malformed (error, _("it is empty."));
      return NULL;
    }
  if (!g_utf8_validate (json, len, NULL) || memchr (json, '\0', len) != NULL)
    {
      malformed (error, _("it is not text."));
      return NULL;
    }
  /* json-glib recurses: refuse deep nesting before it sees it. */
  if (!relay_json_guard_check (json, len, RELAY_JSON_MAX_DEPTH, &guard_error))
    {
      malformed (error, guard_error->message);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, json, len, NULL))
    {
      malformed (error, _("it is not valid JSON (perhaps cut short)."));
      return NULL;
    }
  if (!(root = json_parser_get_root (parser)))
    {
      malformed (error, _("it is empty."));
      return NULL;
    }

  return relay_price_list_new_from_node (root, error);
}

RelayPriceList *
relay_price_list_ref (RelayPriceList *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
relay_price_list_unref (RelayPriceList *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_clear_pointer (&self->ranges, g_hash_table_unref);
  g_clear_pointer (&self->prefixes, g_hash_table_unref);
  g_ptr_array_unref (self->countries);
  g_free (self->currency);
  g_free (self);
}

/**
 * relay_price_list_get_currency:
 *
 * Returns: the currency of every price in the list ("EUR")
 */
const char *
relay_price_list_get_currency (RelayPriceList *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->currency;
}

guint
relay_price_list_get_n_countries (RelayPriceList *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->countries->len;
}

/**
 * relay_price_list_get_country:
 *
 * Returns: (transfer none): the country at @index, in the answer's order
 */
RelayPriceCountry *
relay_price_list_get_country (RelayPriceList *self,
                              guint           index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->countries->len, NULL);

  return g_ptr_array_index (self->countries, index);
}

/**
 * relay_price_list_find_country:
 * @code: a country code ("GB")
 *
 * Returns: (transfer none) (nullable): the country
 */
RelayPriceCountry *
relay_price_list_find_country (RelayPriceList *self,
                               const char     *code)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (code != NULL, NULL);

  for (guint i = 0; i < self->countries->len; i++)
    {
      RelayPriceCountry *country = g_ptr_array_index (self->countries, i);

      if (strcmp (country->code, code) == 0)
        return country;
    }

  return NULL;
}

static gboolean
group_contains (PrefixGroup       *group,
                RelayPriceCountry *country)
{
  for (guint i = 0; i < group->countries->len; i++)
    if (g_ptr_array_index (group->countries, i) == country)
      return TRUE;

  return FALSE;
}

/**
 * relay_price_list_match:
 * @number: an E.164 number, digits only (a leading '+' is skipped)
 * @match: (out caller-allocates): what the list says of it
 *
 * Finds the number's country by the longest matching dialing prefix,
 * then its network by the longest matching range. Without a range, the
 * price is the span from the cheapest to the dearest network of the
 * country (of every country when several share the prefix); the
 * defaultPrice is never used.
 *
 * Returns: %TRUE when a price is known; otherwise @match says the
 *   country when it is known (a country without networks)
 */
gboolean
relay_price_list_match (RelayPriceList  *self,
                        const char      *number,
                        RelayPriceMatch *match)
{
  char buffer[MAX_NUMBER + 1];
  PrefixGroup *group = NULL;
  gsize len;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (number != NULL, FALSE);
  g_return_val_if_fail (match != NULL, FALSE);

  match->country = NULL;
  match->network = NULL;
  match->min = match->max = -1;

  if (*number == '+')
    number++;
  if (!all_digits (number, 1, MAX_NUMBER))
    return FALSE;
  len = strlen (number);
  memcpy (buffer, number, len + 1);

  for (gsize n = MIN (len, self->max_prefix); n > 0 && group == NULL; n--)
    {
      buffer[n] = '\0';
      group = g_hash_table_lookup (self->prefixes, buffer);
    }
  if (group == NULL)
    return FALSE;

  if (group->has_ranges)
    {
      memcpy (buffer, number, len + 1);
      for (gsize n = MIN (len, self->max_range); n > 0; n--)
        {
          RangeEntry *entry;

          buffer[n] = '\0';
          entry = g_hash_table_lookup (self->ranges, buffer);
          if (entry != NULL && group_contains (group, entry->country))
            {
              match->country = entry->country->code;
              match->network = entry->network != NULL ? entry->network->code : NULL;
              match->min = entry->min;
              match->max = entry->max;
              return TRUE;
            }
        }
    }

  match->country = group->label;
  match->min = group->min;
  match->max = group->max;

  return group->min >= 0;
}
