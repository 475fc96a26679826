/* relay-message-state.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n.h>

#include "relay-message-state.h"

/* How every list of the window (the send page's results, History, a
 * bulk list) words and draws the state of one message, so that a state
 * reads the same wherever it shows. A message the provider may have
 * taken is never worded as failed or not sent. */

typedef struct
{
  const char *label;
  const char *icon_name;
  const char *style_class;
} StateLook;

static const StateLook looks[] = {
  /* Translators: the state of a message waiting for its turn */
  [RELAY_MESSAGE_STATE_QUEUED] = { N_("Queued"), "document-open-recent-symbolic", "dim-label" },
  /* Translators: the state of a message whose request is on its way */
  [RELAY_MESSAGE_STATE_SENDING] = { N_("Sending…"), "mail-send-symbolic", "dim-label" },
  /* Translators: the state of a message the provider accepted */
  [RELAY_MESSAGE_STATE_SENT] = { N_("Sent"), "emblem-ok-symbolic", "success" },
  /* Translators: the state of a message the provider refused */
  [RELAY_MESSAGE_STATE_FAILED] = { N_("Failed"), "dialog-error-symbolic", "error" },
  /* Translators: the state of a message that never left: cancelled,
   * discarded or skipped */
  [RELAY_MESSAGE_STATE_NOT_SENT] = { N_("Not sent"), "action-unavailable-symbolic", "dim-label" },
  /* Translators: the state of a message that may have reached the
   * provider, with no answer to say so */
  [RELAY_MESSAGE_STATE_UNCERTAIN] = { N_("May have been sent"), "dialog-warning-symbolic", "warning" },
};

G_STATIC_ASSERT (G_N_ELEMENTS (looks) == RELAY_MESSAGE_STATE_LAST + 1);

/* The send loop's states and the history's are the same list. */
G_STATIC_ASSERT ((int) RELAY_SMS_STATE_QUEUED == (int) RELAY_MESSAGE_STATE_QUEUED);
G_STATIC_ASSERT ((int) RELAY_SMS_STATE_SENDING == (int) RELAY_MESSAGE_STATE_SENDING);
G_STATIC_ASSERT ((int) RELAY_SMS_STATE_SENT == (int) RELAY_MESSAGE_STATE_SENT);
G_STATIC_ASSERT ((int) RELAY_SMS_STATE_FAILED == (int) RELAY_MESSAGE_STATE_FAILED);
G_STATIC_ASSERT ((int) RELAY_SMS_STATE_NOT_SENT == (int) RELAY_MESSAGE_STATE_NOT_SENT);
G_STATIC_ASSERT ((int) RELAY_SMS_STATE_UNCERTAIN == (int) RELAY_MESSAGE_STATE_UNCERTAIN);

static const StateLook *
look (RelayMessageState state)
{
  /* A state from a newer database reads as one that may have been sent:
   * never as failed or not sent. */
  if ((guint) state >= G_N_ELEMENTS (looks))
    return &looks[RELAY_MESSAGE_STATE_UNCERTAIN];

  return &looks[state];
}

/**
 * relay_message_state_label:
 *
 * Returns: the state in sentence case: "Sent", "May have been sent"
 */
const char *
relay_message_state_label (RelayMessageState state)
{
  return _(look (state)->label);
}

/**
 * relay_message_state_icon_name:
 *
 * Returns: the symbolic icon that stands for the state
 */
const char *
relay_message_state_icon_name (RelayMessageState state)
{
  return look (state)->icon_name;
}

/**
 * relay_message_state_style_class:
 *
 * Returns: the style class of the state's icon: "success", "error",
 *   "warning", or "dim-label" for a state that is neither
 */
const char *
relay_message_state_style_class (RelayMessageState state)
{
  return look (state)->style_class;
}

RelayMessageState
relay_message_state_from_sms (RelaySmsState state)
{
  return (RelayMessageState) state;
}

/**
 * relay_message_format_price:
 * @price: the exact amount, negative when not known
 * @currency: (nullable): the currency code, when known
 *
 * Returns: (transfer full): "0.0333 EUR" (exact, a no-break space
 *   before the code), or "price unknown"
 */
char *
relay_message_format_price (RelayAmount  price,
                            const char  *currency)
{
  g_autofree char *amount = NULL;

  if (price < 0)
    return g_strdup (_("price unknown"));

  amount = relay_amount_format (price);
  if (currency == NULL || *currency == '\0')
    return g_steal_pointer (&amount);

  /* Translators: an amount and its currency code, e.g. "0.0333 EUR",
   * joined by a no-break space so that a line never ends between them */
  return g_strdup_printf (_("%s\u00a0%s"), amount, currency);
}

/**
 * relay_message_format_price_text:
 * @price: (nullable): the provider's decimal string, as the history keeps it
 * @currency: (nullable): the currency code, when known
 *
 * Returns: (transfer full) (nullable): the price as
 *   relay_message_format_price() writes it, the provider's text as it
 *   came when it is not an amount Relay can read, or %NULL for none
 */
char *
relay_message_format_price_text (const char *price,
                                 const char *currency)
{
  RelayAmount amount;

  if (price == NULL || *price == '\0')
    return NULL;

  if (relay_amount_parse (price, &amount) && amount >= 0)
    return relay_message_format_price (amount, currency);

  /* Money is never guessed: show what the provider said. */
  if (currency == NULL || *currency == '\0')
    return g_strdup (price);

  return g_strdup_printf (_("%s\u00a0%s"), price, currency);
}
