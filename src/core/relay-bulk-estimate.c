/* relay-bulk-estimate.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The cost of a bulk send, where every recipient has a message of its
 * own (a template's expansion) and so its own number of parts.
 */

#define G_LOG_DOMAIN "Relay"

#include "relay-bulk-estimate.h"

static void
line_clear (gpointer data)
{
  g_free (((RelayPriceLine *) data)->to);
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
 * relay_price_estimate_new_for_texts:
 * @list: the price list
 * @to: (array length=n): the recipients, E.164 digits
 * @texts: (array length=n): each recipient's message
 * @n: how many
 * @unicode: whether the messages are sent as Unicode
 * @with_lines: whether to keep one #RelayPriceLine per recipient
 *
 * Like relay_price_estimate_new() with each recipient's own parts.
 *
 * Returns: (transfer full): the estimate
 */
RelayPriceEstimate *
relay_price_estimate_new_for_texts (RelayPriceList    *list,
                                    const char *const *to,
                                    const char *const *texts,
                                    gsize              n,
                                    gboolean           unicode,
                                    gboolean           with_lines)
{
  RelayPriceEstimate *self;

  g_return_val_if_fail (list != NULL, NULL);
  g_return_val_if_fail (n == 0 || (to != NULL && texts != NULL), NULL);
  g_return_val_if_fail (n <= G_MAXUINT, NULL);

  self = g_new0 (RelayPriceEstimate, 1);
  self->list = relay_price_list_ref (list);
  self->n_recipients = (guint) n;
  if (with_lines)
    {
      self->lines = g_array_sized_new (FALSE, TRUE, sizeof (RelayPriceLine), (guint) n);
      g_array_set_clear_func (self->lines, line_clear);
    }

  for (gsize i = 0; i < n; i++)
    {
      RelayPriceMatch match;
      guint parts = relay_price_parts_for_text (texts[i], unicode);
      gboolean known = relay_price_list_match (list, to[i], &match);
      RelayAmount min = -1, max = -1;

      if (known)
        {
          min = saturating_mul (match.min, parts);
          max = saturating_mul (match.max, parts);
          self->min = saturating_add (self->min, min);
          self->max = saturating_add (self->max, max);
        }
      else
        self->n_unknown++;

      if (with_lines)
        {
          RelayPriceLine line = {
            .to = g_strdup (to[i]),
            .country = match.country,
            .network = match.network,
            .parts = parts,
            .min = min,
            .max = max,
          };

          g_array_append_val (self->lines, line);
        }
    }

  return self;
}

/**
 * relay_bulk_estimate_new:
 * @list: the price list
 * @template: the message template
 * @import: the recipients
 * @unicode: whether the messages are sent as Unicode
 * @with_lines: whether to keep one #RelayPriceLine per row
 *
 * Returns: (transfer full): the estimate of sending every row of
 *   @import its expansion of @template
 */
RelayPriceEstimate *
relay_bulk_estimate_new (RelayPriceList *list,
                         RelayTemplate  *template,
                         RelayImport    *import,
                         gboolean        unicode,
                         gboolean        with_lines)
{
  guint n;
  g_autofree const char **to = NULL;
  g_autoptr(GPtrArray) texts = NULL;

  g_return_val_if_fail (list != NULL, NULL);
  g_return_val_if_fail (template != NULL, NULL);
  g_return_val_if_fail (RELAY_IS_IMPORT (import), NULL);

  n = relay_import_get_n_rows (import);
  to = g_new0 (const char *, MAX (n, 1));
  texts = g_ptr_array_new_full (n, g_free);
  for (guint i = 0; i < n; i++)
    {
      to[i] = relay_import_get_number (import, i);
      g_ptr_array_add (texts, relay_template_expand (template, import, i, NULL));
    }

  return relay_price_estimate_new_for_texts (list, to, (const char *const *) texts->pdata,
                                             n, unicode, with_lines);
}

/**
 * relay_bulk_estimate_new_for_row:
 * @list: the price list
 * @template: the message template
 * @import: the recipients
 * @row: a row of @import (below relay_import_get_n_rows())
 * @unicode: whether the message is sent as Unicode
 *
 * The cost of one row's message, for its preview.
 *
 * Returns: (transfer full): the estimate, with its one line
 */
RelayPriceEstimate *
relay_bulk_estimate_new_for_row (RelayPriceList *list,
                                 RelayTemplate  *template,
                                 RelayImport    *import,
                                 guint           row,
                                 gboolean        unicode)
{
  g_autofree char *text = NULL;
  const char *to[1];
  const char *texts[1];

  g_return_val_if_fail (list != NULL, NULL);
  g_return_val_if_fail (template != NULL, NULL);
  g_return_val_if_fail (RELAY_IS_IMPORT (import), NULL);
  g_return_val_if_fail (row < relay_import_get_n_rows (import), NULL);

  text = relay_template_expand (template, import, row, NULL);
  to[0] = relay_import_get_number (import, row);
  texts[0] = text;

  return relay_price_estimate_new_for_texts (list, to, texts, 1, unicode, TRUE);
}
