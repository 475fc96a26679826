/* relay-store-outcome.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include "relay-store-outcome.h"

/**
 * relay_store_message_take_outcome:
 * @row: the row of @result's recipient
 * @result: the outcome the client reported
 *
 * Takes @result's state, message ids, parts, price, network, status
 * and error sentence into @row, ready for relay_store_record_async().
 */
void
relay_store_message_take_outcome (RelayStoreMessage    *row,
                                  const RelaySmsResult *result)
{
  static const RelayMessageState states[] = {
    [RELAY_SMS_STATE_QUEUED] = RELAY_MESSAGE_STATE_QUEUED,
    [RELAY_SMS_STATE_SENDING] = RELAY_MESSAGE_STATE_SENDING,
    [RELAY_SMS_STATE_SENT] = RELAY_MESSAGE_STATE_SENT,
    [RELAY_SMS_STATE_FAILED] = RELAY_MESSAGE_STATE_FAILED,
    [RELAY_SMS_STATE_NOT_SENT] = RELAY_MESSAGE_STATE_NOT_SENT,
    [RELAY_SMS_STATE_UNCERTAIN] = RELAY_MESSAGE_STATE_UNCERTAIN,
  };

  g_return_if_fail (row != NULL);
  g_return_if_fail (result != NULL);
  g_return_if_fail ((guint) result->state < G_N_ELEMENTS (states));

  /* The client says not-sent only for a request it never wrote, also
   * after the row was marked sending: the store takes its word. */
  row->state = states[result->state];

  g_strfreev (row->message_ids);
  row->message_ids = g_strdupv (result->message_ids);
  row->parts = MAX (row->parts, result->parts);
  g_clear_pointer (&row->price, g_free);
  if (result->parts > 0)
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      /* Until the client keeps the provider's decimal string. */
      row->price = g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.8f", result->price));
    }
  /* The provider names no currency in its answer. */
  g_clear_pointer (&row->currency, g_free);
  g_free (row->network);
  row->network = g_strdup (result->network);
  row->status = (result->parts > 0 || result->status != 0) ? result->status : -1;
  g_free (row->error);
  row->error = result->error != NULL ? g_strdup (result->error->message) : NULL;
  row->sent_at = row->state == RELAY_MESSAGE_STATE_SENT ? g_get_real_time () : 0;
}
