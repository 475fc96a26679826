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

  self = relay_price_estimate_new_empty (list, (guint) n, with_lines);
  for (gsize i = 0; i < n; i++)
    relay_price_estimate_add (self, to[i], relay_price_parts_for_text (texts[i], unicode));

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
  g_autoptr(GString) text = g_string_new (NULL);
  RelayPriceEstimate *self;
  guint n;

  g_return_val_if_fail (list != NULL, NULL);
  g_return_val_if_fail (template != NULL, NULL);
  g_return_val_if_fail (RELAY_IS_IMPORT (import), NULL);

  /* One row at a time through one buffer: no string per row. */
  n = relay_import_get_n_rows (import);
  self = relay_price_estimate_new_empty (list, n, with_lines);
  for (guint i = 0; i < n; i++)
    {
      g_string_truncate (text, 0);
      relay_template_expand_into (template, import, i, text, NULL);
      relay_price_estimate_add (self, relay_import_get_number (import, i),
                                relay_price_parts_for_text (text->str, unicode));
    }

  return self;
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
