/* relay-send-estimate.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "relay-send-estimate.h"

/* The cost of the composed message, under the send page's counter:
 * "About 0.10 EUR for 3 recipients · balance 9.90 EUR", from the saved
 * price list (never a request per keystroke), with a warning above the
 * balance, and the question before a send above the threshold set in
 * Preferences or above the balance. */
struct _RelaySendEstimate
{
  GtkWidget              parent_instance;

  /* template widgets */
  GtkLabel              *label;

  /* owned references */
  RelayPricing          *pricing;
  RelayPriceEstimate    *estimate;
  GStrv                  recipients;

  /* state */
  guint                  parts;
  RelayAmount            balance;     /* -1 while unknown */
  RelaySendEstimateFunc  func;
  gpointer               func_data;
  guint                  warning : 1;
  guint                  confirmed : 1;
};

G_DEFINE_FINAL_TYPE (RelaySendEstimate, relay_send_estimate, GTK_TYPE_WIDGET)

static void
recompute (RelaySendEstimate *self)
{
  RelayPriceList *list = self->pricing != NULL ? relay_pricing_get_list (self->pricing) : NULL;
  g_autoptr(GString) text = NULL;
  const RelayPriceEstimate *estimate;
  const char *currency;
  gint64 age;
  guint n;

  g_clear_pointer (&self->estimate, relay_price_estimate_free);
  self->warning = FALSE;

  n = self->recipients != NULL ? g_strv_length (self->recipients) : 0;
  if (self->pricing == NULL || n == 0 || self->parts == 0)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->label), FALSE);
      gtk_label_set_label (self->label, "");
      return;
    }

  /* Not fetched yet, or offline without a saved list: say so rather
   * than show nothing. */
  if (list == NULL)
    {
      gtk_label_set_label (self->label, _("No price list yet, so no cost estimate"));
      gtk_widget_remove_css_class (GTK_WIDGET (self->label), "warning");
      gtk_widget_add_css_class (GTK_WIDGET (self->label), "dim-label");
      gtk_widget_set_visible (GTK_WIDGET (self->label), TRUE);
      return;
    }

  self->estimate = relay_price_estimate_new (list, (const char *const *) self->recipients, n,
                                             self->parts, FALSE);
  estimate = self->estimate;
  currency = relay_price_list_get_currency (list);
  text = g_string_new (NULL);

  if (estimate->n_unknown == 0)
    {
      g_autofree char *span = relay_amount_format_span (estimate->min, estimate->max, currency, TRUE);

      g_string_append_printf (text, ngettext ("About %s for %u recipient", "About %s for %u recipients", n),
                              span, n);
    }
  else
    {
      g_autofree char *known = relay_amount_format_short (estimate->min);

      g_string_append_printf (text, ngettext ("At least %s %s; no price known for %u of %u recipient",
                                              "At least %s %s; no price known for %u of %u recipients", n),
                              known, currency, estimate->n_unknown, n);
    }

  if (self->balance >= 0)
    {
      g_autofree char *balance = relay_amount_format (self->balance);

      g_string_append (text, " · ");
      if (estimate->max > self->balance)
        {
          self->warning = TRUE;
          g_string_append_printf (text, _("more than the balance of %s %s"), balance, currency);
        }
      else
        g_string_append_printf (text, _("balance %s %s"), balance, currency);
    }

  /* Offline for more than a day: say how old the prices are. */
  age = relay_pricing_get_age (self->pricing);
  if (age >= RELAY_PRICING_MAX_AGE_S)
    {
      guint days = (guint) (age / RELAY_PRICING_MAX_AGE_S);

      g_string_append (text, " · ");
      g_string_append_printf (text, ngettext ("prices from %u day ago", "prices from %u days ago", days), days);
    }

  gtk_label_set_label (self->label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->label), TRUE);
  if (self->warning)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->label), "warning");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->label), "warning");
      gtk_widget_add_css_class (GTK_WIDGET (self->label), "dim-label");
    }
}

static void
list_changed_cb (RelaySendEstimate *self)
{
  recompute (self);
}

static void
response_cb (AdwMessageDialog  *dialog,
             const char        *response,
             RelaySendEstimate *self)
{
  RelaySendEstimateFunc func = self->func;
  gpointer data = self->func_data;

  self->func = NULL;
  self->func_data = NULL;
  if (g_strcmp0 (response, "send") != 0 || func == NULL)
    return;

  self->confirmed = TRUE;
  func (data);
  self->confirmed = FALSE;
}

static void
relay_send_estimate_dispose (GObject *object)
{
  RelaySendEstimate *self = (RelaySendEstimate *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_SEND_ESTIMATE);
  g_clear_object (&self->pricing);

  G_OBJECT_CLASS (relay_send_estimate_parent_class)->dispose (object);
}

static void
relay_send_estimate_finalize (GObject *object)
{
  RelaySendEstimate *self = (RelaySendEstimate *)object;

  g_clear_pointer (&self->estimate, relay_price_estimate_free);
  g_clear_pointer (&self->recipients, g_strfreev);

  G_OBJECT_CLASS (relay_send_estimate_parent_class)->finalize (object);
}

static void
relay_send_estimate_class_init (RelaySendEstimateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_send_estimate_dispose;
  object_class->finalize = relay_send_estimate_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/relaysms/Relay/relay-send-estimate.ui");
  gtk_widget_class_bind_template_child (widget_class, RelaySendEstimate, label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
relay_send_estimate_init (RelaySendEstimate *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->balance = -1;
}

/**
 * relay_send_estimate_set_account:
 * @account: (nullable): the account whose prices apply
 *
 * Reads the account's saved price list and, when it is missing or a day
 * old, fetches one in the background.
 */
void
relay_send_estimate_set_account (RelaySendEstimate *self,
                                 RelayAccount      *account)
{
  g_return_if_fail (RELAY_IS_SEND_ESTIMATE (self));
  g_return_if_fail (account == NULL || RELAY_IS_ACCOUNT (account));

  if (self->pricing != NULL)
    g_signal_handlers_disconnect_by_func (self->pricing, list_changed_cb, self);
  g_clear_object (&self->pricing);
  self->balance = -1;

  if (account != NULL)
    {
      self->pricing = relay_pricing_new (account);
      g_signal_connect_object (self->pricing, "notify::list", G_CALLBACK (list_changed_cb), self,
                               G_CONNECT_SWAPPED);
      relay_pricing_ensure (self->pricing);
    }

  recompute (self);
}

/**
 * relay_send_estimate_get_pricing:
 *
 * Returns: (transfer none) (nullable): the account's prices
 */
RelayPricing *
relay_send_estimate_get_pricing (RelaySendEstimate *self)
{
  g_return_val_if_fail (RELAY_IS_SEND_ESTIMATE (self), NULL);

  return self->pricing;
}

/**
 * relay_send_estimate_set_balance:
 * @balance: (nullable): the balance as the header bar shows it ("9.90")
 */
void
relay_send_estimate_set_balance (RelaySendEstimate *self,
                                 const char        *balance)
{
  RelayAmount amount = -1;

  g_return_if_fail (RELAY_IS_SEND_ESTIMATE (self));

  if (balance != NULL && !relay_amount_parse (balance, &amount))
    amount = -1;
  if (amount == self->balance)
    return;

  self->balance = amount;
  recompute (self);
}

/**
 * relay_send_estimate_update:
 * @recipients: (nullable): the recipients as E.164 digits
 * @text: the message
 *
 * Estimates again from the list in memory; never asks the network.
 */
void
relay_send_estimate_update (RelaySendEstimate *self,
                            const char *const *recipients,
                            const char        *text)
{
  g_return_if_fail (RELAY_IS_SEND_ESTIMATE (self));

  g_clear_pointer (&self->recipients, g_strfreev);
  self->recipients = g_strdupv ((char **) recipients);
  self->parts = relay_price_parts_for_text (text != NULL ? text : "", FALSE);
  /* A list that aged past a day in a long session is fetched again (in
   * the background, and not at every keystroke when offline). */
  if (self->pricing != NULL)
    relay_pricing_ensure (self->pricing);
  recompute (self);
}

/**
 * relay_send_estimate_get_estimate:
 *
 * Returns: (nullable): the estimate shown, %NULL without a list or
 *   without recipients
 */
const RelayPriceEstimate *
relay_send_estimate_get_estimate (RelaySendEstimate *self)
{
  g_return_val_if_fail (RELAY_IS_SEND_ESTIMATE (self), NULL);

  return self->estimate;
}

const char *
relay_send_estimate_get_text (RelaySendEstimate *self)
{
  g_return_val_if_fail (RELAY_IS_SEND_ESTIMATE (self), NULL);

  return gtk_label_get_label (self->label);
}

/**
 * relay_send_estimate_get_warning:
 *
 * Returns: %TRUE when the estimate may be more than the balance
 */
gboolean
relay_send_estimate_get_warning (RelaySendEstimate *self)
{
  g_return_val_if_fail (RELAY_IS_SEND_ESTIMATE (self), FALSE);

  return self->warning;
}

/**
 * relay_send_estimate_get_threshold:
 * @settings: (nullable): the application's settings
 *
 * Returns: the "confirm-cost-above" preference, or 1.00 when it holds
 *   no amount
 */
RelayAmount
relay_send_estimate_get_threshold (GSettings *settings)
{
  g_autofree char *text = NULL;
  RelayAmount threshold;

  if (settings == NULL)
    return RELAY_SEND_ESTIMATE_DEFAULT_THRESHOLD;

  text = g_settings_get_string (settings, "confirm-cost-above");
  if (!relay_amount_parse (g_strstrip (text), &threshold))
    return RELAY_SEND_ESTIMATE_DEFAULT_THRESHOLD;

  return threshold;
}

/**
 * relay_send_estimate_question_for:
 * @estimate: (nullable): the estimate of a send
 * @balance: the account's balance, or -1 when not known
 * @threshold: the amount above which to ask
 *
 * Returns: (transfer full) (nullable): why a send of @estimate needs a
 *   confirmation (one sentence a reason), or %NULL when it needs none
 */
char *
relay_send_estimate_question_for (const RelayPriceEstimate *estimate,
                                  RelayAmount               balance,
                                  RelayAmount               threshold)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const char *currency;
  g_autofree char *high = NULL;

  /* No list yet: nothing can be asked. */
  if (estimate == NULL)
    return NULL;

  currency = relay_price_list_get_currency (estimate->list);
  high = relay_amount_format (estimate->max);

  if (estimate->n_unknown > 0)
    g_string_append_printf (text, ngettext ("The price of %u recipient is not known.",
                                            "The price of %u recipients is not known.",
                                            estimate->n_unknown),
                            estimate->n_unknown);

  if (balance >= 0 && estimate->max > balance)
    {
      g_autofree char *balance_text = relay_amount_format (balance);

      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append_printf (text, _("It may cost up to %s %s, more than the balance of %s %s."),
                              high, currency, balance_text, currency);
    }
  else if (estimate->max > threshold)
    {
      g_autofree char *limit = relay_amount_format (threshold);

      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append_printf (text, _("It may cost up to %s %s, above the %s %s set in Preferences."),
                              high, currency, limit, currency);
    }

  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

/**
 * relay_send_estimate_get_question:
 * @threshold: the amount above which to ask
 *
 * Returns: (transfer full) (nullable): why the send needs a confirmation
 *   (one sentence a reason), or %NULL when it needs none
 */
char *
relay_send_estimate_get_question (RelaySendEstimate *self,
                                  RelayAmount        threshold)
{
  g_return_val_if_fail (RELAY_IS_SEND_ESTIMATE (self), NULL);

  return relay_send_estimate_question_for (self->estimate, self->balance, threshold);
}

/**
 * relay_send_estimate_confirm:
 * @settings: (nullable): the application's settings (the threshold)
 * @func: called once the person confirmed in the dialog
 * @user_data: data for @func
 *
 * Before a send: whether it may go now. When the estimate is above the
 * threshold or the balance, or a price is unknown, it asks first in a
 * dialog and returns %FALSE; "Send" there calls @func, in which this
 * returns %TRUE once.
 *
 * Returns: %TRUE when the send may go now
 */
gboolean
relay_send_estimate_confirm (RelaySendEstimate     *self,
                             GSettings             *settings,
                             RelaySendEstimateFunc  func,
                             gpointer               user_data)
{
  g_autofree char *question = NULL;
  GtkRoot *root;
  AdwMessageDialog *dialog;

  g_return_val_if_fail (RELAY_IS_SEND_ESTIMATE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  if (self->confirmed)
    return TRUE;

  question = relay_send_estimate_get_question (self, relay_send_estimate_get_threshold (settings));
  if (question == NULL)
    return TRUE;

  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       _("Send These Messages?"), question));
  gtk_widget_set_name (GTK_WIDGET (dialog), "confirm-cost");
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "send", _("_Send"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "send", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (response_cb), self, 0);

  self->func = func;
  self->func_data = user_data;
  gtk_window_present (GTK_WINDOW (dialog));

  return FALSE;
}
