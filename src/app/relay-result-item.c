/* relay-result-item.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n.h>

#include "relay-error-text.h"
#include "relay-message-state.h"
#include "relay-result-item.h"

/* What happened to the message of one recipient: sending, then its
 * outcome. Updated in place as the send reports progress, so a list of
 * them costs O(1) per update whatever its length. */
struct _RelayResultItem
{
  GObject        parent_instance;

  char          *recipient;
  char          *currency;
  char         **message_ids;
  char          *reason;
  RelayAmount    price;
  guint          parts;
  RelaySmsState  state;
};

G_DEFINE_FINAL_TYPE (RelayResultItem, relay_result_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RECIPIENT,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
relay_result_item_finalize (GObject *object)
{
  RelayResultItem *self = (RelayResultItem *)object;

  g_clear_pointer (&self->recipient, g_free);
  g_clear_pointer (&self->currency, g_free);
  g_clear_pointer (&self->message_ids, g_strfreev);
  g_clear_pointer (&self->reason, g_free);

  G_OBJECT_CLASS (relay_result_item_parent_class)->finalize (object);
}

static void
relay_result_item_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  RelayResultItem *self = RELAY_RESULT_ITEM (object);

  switch (prop_id)
    {
    case PROP_RECIPIENT:
      g_value_set_string (value, self->recipient);
      break;

    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_result_item_class_init (RelayResultItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = relay_result_item_finalize;
  object_class->get_property = relay_result_item_get_property;

  properties[PROP_RECIPIENT] =
    g_param_spec_string ("recipient", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * RelayResultItem:state:
   *
   * The #RelaySmsState; notified whenever the outcome changes.
   */
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL,
                      RELAY_SMS_STATE_QUEUED, RELAY_SMS_STATE_UNCERTAIN, RELAY_SMS_STATE_SENDING,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
relay_result_item_init (RelayResultItem *self)
{
  self->state = RELAY_SMS_STATE_SENDING;
  self->price = RELAY_RESULT_PRICE_UNKNOWN;
}

/**
 * relay_result_item_new:
 * @recipient: the number
 * @currency: (nullable): the account's currency, when known
 *
 * Returns: (transfer full): an item saying "Sending…"
 */
RelayResultItem *
relay_result_item_new (const char *recipient,
                       const char *currency)
{
  RelayResultItem *self;

  g_return_val_if_fail (recipient != NULL, NULL);

  self = g_object_new (RELAY_TYPE_RESULT_ITEM, NULL);
  self->recipient = g_strdup (recipient);
  self->currency = g_strdup (currency);

  return self;
}

const char *
relay_result_item_get_recipient (RelayResultItem *self)
{
  g_return_val_if_fail (RELAY_IS_RESULT_ITEM (self), NULL);

  return self->recipient;
}

const char *
relay_result_item_get_currency (RelayResultItem *self)
{
  g_return_val_if_fail (RELAY_IS_RESULT_ITEM (self), NULL);

  return self->currency;
}

/**
 * relay_result_item_set_currency:
 * @currency: (nullable): the currency of the prices, once known
 */
void
relay_result_item_set_currency (RelayResultItem *self,
                                const char      *currency)
{
  g_return_if_fail (RELAY_IS_RESULT_ITEM (self));

  if (g_strcmp0 (self->currency, currency) == 0)
    return;

  g_free (self->currency);
  self->currency = g_strdup (currency);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

RelaySmsState
relay_result_item_get_state (RelayResultItem *self)
{
  g_return_val_if_fail (RELAY_IS_RESULT_ITEM (self), RELAY_SMS_STATE_SENDING);

  return self->state;
}

guint
relay_result_item_get_parts (RelayResultItem *self)
{
  g_return_val_if_fail (RELAY_IS_RESULT_ITEM (self), 0);

  return self->parts;
}

/**
 * relay_result_item_get_price:
 *
 * Returns: what the provider charged, 0 for a message it never took,
 *   or %RELAY_RESULT_PRICE_UNKNOWN while sending or when no answer said
 */
RelayAmount
relay_result_item_get_price (RelayResultItem *self)
{
  g_return_val_if_fail (RELAY_IS_RESULT_ITEM (self), RELAY_RESULT_PRICE_UNKNOWN);

  return self->price;
}

/**
 * relay_result_item_get_message_ids:
 *
 * Returns: (nullable) (transfer none): the provider's ids of the parts
 */
const char * const *
relay_result_item_get_message_ids (RelayResultItem *self)
{
  g_return_val_if_fail (RELAY_IS_RESULT_ITEM (self), NULL);

  return (const char * const *) self->message_ids;
}

/**
 * relay_result_item_get_reason:
 *
 * Returns: (nullable): why it was not (or maybe not) sent, one sentence
 */
const char *
relay_result_item_get_reason (RelayResultItem *self)
{
  g_return_val_if_fail (RELAY_IS_RESULT_ITEM (self), NULL);

  return self->reason;
}

/**
 * relay_result_item_set_outcome:
 * @result: the outcome of this recipient's message
 *
 * Takes @result's state, parts, price, ids and error sentence.
 */
void
relay_result_item_set_outcome (RelayResultItem      *self,
                               const RelaySmsResult *result)
{
  g_return_if_fail (RELAY_IS_RESULT_ITEM (self));
  g_return_if_fail (result != NULL);

  self->state = result->state;
  self->parts = result->parts;
  g_clear_pointer (&self->message_ids, g_strfreev);
  if (result->message_ids != NULL && result->message_ids[0] != NULL)
    self->message_ids = g_strdupv (result->message_ids);
  g_clear_pointer (&self->reason, g_free);

  /* The answer prices what the provider took; nothing taken costs
   * nothing; no answer is not a price. */
  if (result->parts > 0)
    self->price = relay_amount_from_double (result->price);
  else if (result->state == RELAY_SMS_STATE_FAILED || result->state == RELAY_SMS_STATE_NOT_SENT)
    self->price = 0;
  else
    self->price = RELAY_RESULT_PRICE_UNKNOWN;

  switch (result->state)
    {
    case RELAY_SMS_STATE_NOT_SENT:
      if (result->error != NULL && !relay_error_is_cancelled (result->error) &&
          !g_error_matches (result->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        self->reason = relay_error_text (result->error);
      else
        self->reason = g_strdup (_("Sending was cancelled before this message went out."));
      break;

    case RELAY_SMS_STATE_FAILED:
    case RELAY_SMS_STATE_UNCERTAIN:
      if (result->error != NULL)
        self->reason = relay_error_text (result->error);
      break;

    case RELAY_SMS_STATE_QUEUED:
    case RELAY_SMS_STATE_SENDING:
    case RELAY_SMS_STATE_SENT:
    default:
      break;
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/**
 * relay_result_item_to_result:
 *
 * Returns: (transfer full): the item as an outcome (recipient, state,
 *   parts, price, ids), for comparing with what the provider logged
 */
RelaySmsResult *
relay_result_item_to_result (RelayResultItem *self)
{
  RelaySmsResult *result;

  g_return_val_if_fail (RELAY_IS_RESULT_ITEM (self), NULL);

  result = g_new0 (RelaySmsResult, 1);
  result->to = g_strdup (self->recipient);
  result->state = self->state;
  result->parts = self->parts;
  result->message_ids = g_strdupv (self->message_ids);
  result->price = self->price >= 0 ? (double) self->price / RELAY_AMOUNT_SCALE : 0;
  result->status = -1;

  return result;
}

/* The state as every list words and draws it (relay-message-state.c). */
const char *
relay_result_item_get_state_label (RelayResultItem *self)
{
  g_return_val_if_fail (RELAY_IS_RESULT_ITEM (self), NULL);

  return relay_message_state_label (relay_message_state_from_sms (self->state));
}

const char *
relay_result_item_get_icon_name (RelayResultItem *self)
{
  g_return_val_if_fail (RELAY_IS_RESULT_ITEM (self), NULL);

  return relay_message_state_icon_name (relay_message_state_from_sms (self->state));
}

const char *
relay_result_item_get_style_class (RelayResultItem *self)
{
  g_return_val_if_fail (RELAY_IS_RESULT_ITEM (self), NULL);

  return relay_message_state_style_class (relay_message_state_from_sms (self->state));
}

/**
 * relay_result_item_dup_line:
 *
 * Returns: (transfer full): the state, parts and price as one line:
 *   "Sent · 1 part · 0.0333 EUR"
 */
char *
relay_result_item_dup_line (RelayResultItem *self)
{
  GString *line;

  g_return_val_if_fail (RELAY_IS_RESULT_ITEM (self), NULL);

  line = g_string_new (relay_result_item_get_state_label (self));

  if (self->state == RELAY_SMS_STATE_QUEUED || self->state == RELAY_SMS_STATE_SENDING)
    return g_string_free (line, FALSE);

  if (self->parts > 0)
    {
      g_string_append (line, " · ");
      g_string_append_printf (line, ngettext ("%u part", "%u parts", self->parts), self->parts);
    }

  /* A message the provider never took costs nothing: no price to say. */
  if (self->parts > 0 || self->price < 0)
    {
      g_autofree char *price = relay_message_format_price (self->price, self->currency);

      g_string_append (line, " · ");
      g_string_append (line, price);
    }

  return g_string_free (line, FALSE);
}

/**
 * relay_result_item_dup_accessible_label:
 *
 * Returns: (transfer full): the recipient, the line and the reason, for
 *   screen readers
 */
char *
relay_result_item_dup_accessible_label (RelayResultItem *self)
{
  g_autofree char *line = NULL;

  g_return_val_if_fail (RELAY_IS_RESULT_ITEM (self), NULL);

  line = relay_result_item_dup_line (self);
  if (self->reason != NULL)
    /* Translators: a result row for screen readers: the number, its state line, why */
    return g_strdup_printf (_("%s: %s. %s"), self->recipient, line, self->reason);

  /* Translators: a result row for screen readers: the number, its state line */
  return g_strdup_printf (_("%s: %s"), self->recipient, line);
}
