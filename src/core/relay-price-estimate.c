/* relay-price-estimate.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a send will cost: parts × price per recipient, added up as a span
 * from the cheapest to the dearest networks the recipients may be on.
 */

#define G_LOG_DOMAIN "Relay"

#include "relay-price-estimate.h"
#include "relay-sms-text.h"
#include "relay-json-guard.h"

/**
 * relay_price_parts_for_text:
 * @text: the message
 * @unicode: whether it is sent as Unicode even when GSM-7 would do
 *
 * Returns: the parts the message is billed as
 */
guint
relay_price_parts_for_text (const char *text,
                            gboolean    unicode)
{
  RelaySmsInfo info;

  relay_sms_text_analyze (text, &info);
  if (unicode && info.encoding == RELAY_SMS_ENCODING_GSM7 && info.characters > 0)
    {
      /* GSM-7 text has no surrogate pairs: one UTF-16 unit a character. */
      return info.characters <= 70 ? 1 : (info.characters + 66) / 67;
    }

  return info.parts;
}

static void
line_clear (gpointer data)
{
  RelayPriceLine *line = data;

  g_free (line->to);
}

static RelayAmount
saturating_add (RelayAmount a,
                RelayAmount b)
{
  RelayAmount sum;

  return relay_amount_add (a, b, &sum) ? sum : RELAY_AMOUNT_MAX;
}

static RelayAmount
saturating_mul (RelayAmount a,
                guint       times)
{
  RelayAmount product;

  return relay_amount_mul (a, times, &product) ? product : RELAY_AMOUNT_MAX;
}

/**
 * relay_price_estimate_new_empty:
 * @list: the price list
 * @n_reserved: how many recipients are going to be added (room for their
 *   lines is made at once)
 * @with_lines: whether to keep one #RelayPriceLine per recipient
 *
 * An estimate of no recipient yet: relay_price_estimate_add() adds them.
 *
 * Returns: (transfer full): the estimate
 */
RelayPriceEstimate *
relay_price_estimate_new_empty (RelayPriceList *list,
                                guint           n_reserved,
                                gboolean        with_lines)
{
  RelayPriceEstimate *self;

  g_return_val_if_fail (list != NULL, NULL);

  self = g_new0 (RelayPriceEstimate, 1);
  self->list = relay_price_list_ref (list);
  if (with_lines)
    {
      self->lines = g_array_sized_new (FALSE, TRUE, sizeof (RelayPriceLine), n_reserved);
      g_array_set_clear_func (self->lines, line_clear);
    }

  return self;
}

/**
 * relay_price_estimate_add:
 * @self: an estimate
 * @to: the recipient, E.164 digits
 * @parts: the parts of the recipient's message
 *
 * Adds the cost of one recipient (a line, when @self keeps them); one
 * whose network is not in the price list counts as unknown.
 */
void
relay_price_estimate_add (RelayPriceEstimate *self,
                          const char         *to,
                          guint               parts)
{
  RelayPriceMatch match;
  gboolean known;
  RelayAmount min = -1, max = -1;

  g_return_if_fail (self != NULL);
  g_return_if_fail (to != NULL);

  known = relay_price_list_match (self->list, to, &match);
  self->n_recipients++;
  if (known)
    {
      min = saturating_mul (match.min, parts);
      max = saturating_mul (match.max, parts);
      self->min = saturating_add (self->min, min);
      self->max = saturating_add (self->max, max);
    }
  else
    self->n_unknown++;

  if (self->lines != NULL)
    {
      RelayPriceLine line = {
        .to = g_strdup (to),
        .country = match.country,
        .network = match.network,
        .parts = parts,
        .min = min,
        .max = max,
      };

      g_array_append_val (self->lines, line);
    }
}

/**
 * relay_price_estimate_new:
 * @list: the price list
 * @to: the recipients, E.164 digits
 * @n_to: how many, or -1 when @to is %NULL-terminated
 * @parts: parts of the message
 * @with_lines: whether to keep one #RelayPriceLine per recipient
 *
 * Returns: (transfer full): the estimate
 */
RelayPriceEstimate *
relay_price_estimate_new (RelayPriceList    *list,
                          const char *const *to,
                          gssize             n_to,
                          guint              parts,
                          gboolean           with_lines)
{
  RelayPriceEstimate *self;
  guint n;

  g_return_val_if_fail (list != NULL, NULL);
  g_return_val_if_fail (to != NULL || n_to == 0, NULL);

  n = n_to >= 0 ? (guint) n_to : g_strv_length ((char **) to);

  self = relay_price_estimate_new_empty (list, n, with_lines);
  for (guint i = 0; i < n; i++)
    relay_price_estimate_add (self, to[i], parts);

  return self;
}

void
relay_price_estimate_free (RelayPriceEstimate *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->lines, g_array_unref);
  relay_price_list_unref (self->list);
  g_free (self);
}

/**
 * relay_price_estimate_is_complete:
 *
 * Returns: %TRUE when every recipient's price is known
 */
gboolean
relay_price_estimate_is_complete (const RelayPriceEstimate *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->n_unknown == 0;
}

static void
add_amount (JsonBuilder *builder,
            const char  *name,
            RelayAmount  amount)
{
  json_builder_set_member_name (builder, name);
  if (amount < 0)
    json_builder_add_null_value (builder);
  else
    {
      g_autofree char *text = relay_amount_format (amount);

      json_builder_add_string_value (builder, text);
    }
}

/**
 * relay_price_estimate_to_json:
 * @balance: the account's balance, or -1 when not known
 * @age_s: age of the price list in seconds
 *
 * The object `relay-cli price --json` prints: amounts as decimal
 * strings; "max" is null when a recipient's price is unknown, since the
 * total could then be anything.
 *
 * Returns: (transfer full): the object
 */
JsonNode *
relay_price_estimate_to_json (const RelayPriceEstimate *self,
                              RelayAmount               balance,
                              gint64                    age_s)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (builder);
  relay_json_add_string (builder, "currency", relay_price_list_get_currency (self->list));
  add_amount (builder, "min", self->min);
  add_amount (builder, "max", self->n_unknown == 0 ? self->max : -1);
  add_amount (builder, "balance", balance);
  json_builder_set_member_name (builder, "price_list_age_s");
  json_builder_add_int_value (builder, MAX (age_s, 0));
  json_builder_set_member_name (builder, "recipients");
  json_builder_begin_array (builder);
  for (guint i = 0; self->lines != NULL && i < self->lines->len; i++)
    {
      const RelayPriceLine *line = &g_array_index (self->lines, RelayPriceLine, i);

      json_builder_begin_object (builder);
      relay_json_add_string (builder, "to", line->to);
      relay_json_add_string (builder, "country", line->country);
      relay_json_add_string (builder, "network", line->network);
      json_builder_set_member_name (builder, "parts");
      json_builder_add_int_value (builder, line->parts);
      add_amount (builder, "min", line->min);
      add_amount (builder, "max", line->max);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
