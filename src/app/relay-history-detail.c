/* relay-history-detail.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "relay-delivery-checker.h"
#include "relay-history-detail.h"
#include "relay-history-row.h"
#include "relay-store-blocklist.h"
#include "relay-window.h"

/* Everything stored about one message: its text, state and sentence,
 * ids, price, network, status, client-ref and times. Its buttons
 * activate the History page's actions (history.back, .send-again,
 * .copy-id, .delete, and for rows waiting in the outbox .send-now,
 * .mark-sent and .discard). */
struct _RelayHistoryDetail
{
  GtkWidget   parent_instance;

  /* template widgets */
  GtkWidget  *box;
  GtkLabel   *title_label;
  GtkLabel   *text_label;
  GtkListBox *list;
  GtkWidget  *send_now_button;
  GtkWidget  *mark_sent_button;
  GtkWidget  *discard_button;

  /* owned references */
  RelayDeliveryChecker *checker;
  RelayStoreMessage    *message;
  GCancellable         *cancellable;
  char                 *delivery_error;
};

G_DEFINE_FINAL_TYPE (RelayHistoryDetail, relay_history_detail, GTK_TYPE_WIDGET)

static void check_delivery_action   (GtkWidget          *widget,
                                     const char         *action_name,
                                     GVariant           *parameter);
static void update_delivery         (RelayHistoryDetail *self);
static void add_delivery_row        (RelayHistoryDetail *self);

static void
add_detail_row (RelayHistoryDetail *self,
                const char         *name,
                const char         *title,
                const char         *value)
{
  GtkWidget *row;

  if (value == NULL || *value == '\0')
    return;

  row = adw_action_row_new ();
  gtk_widget_set_name (row, name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_widget_add_css_class (row, "property");
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_append (self->list, row);
}

static char *
format_full_time (gint64 us)
{
  g_autoptr(GDateTime) when = NULL;

  if (us <= 0)
    return NULL;

  when = g_date_time_new_from_unix_local (us / G_USEC_PER_SEC);
  /* Translators: a date and time in the detail view, see g_date_time_format() */
  return when != NULL ? g_date_time_format (when, _("%-d %B %Y, %H:%M:%S")) : NULL;
}

static void
relay_history_detail_dispose (GObject *object)
{
  RelayHistoryDetail *self = RELAY_HISTORY_DETAIL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->checker);
  g_clear_pointer (&self->message, relay_store_message_free);
  g_clear_pointer (&self->delivery_error, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (object), RELAY_TYPE_HISTORY_DETAIL);

  G_OBJECT_CLASS (relay_history_detail_parent_class)->dispose (object);
}

typedef struct
{
  GtkWidget *self;
  char      *number;
} BlockData;

static void
block_data_free (BlockData *data)
{
  g_object_unref (data->self);
  g_free (data->number);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BlockData, block_data_free)

static void
block_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(BlockData) data = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GtkRoot *root = gtk_widget_get_root (data->self);

  if (!relay_store_block_finish (RELAY_STORE (object), result, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup (error->message);
    }
  else
    /* Translators: %s is a phone number */
    text = g_strdup_printf (_("%s is on the do-not-contact list"), data->number);

  if (RELAY_IS_WINDOW (root))
    relay_window_add_toast (RELAY_WINDOW (root), text);
}

/* "Never Send to This Number": asked first, then on the store's
 * do-not-contact list, which every later send honours. */
static void
block_response_cb (AdwMessageDialog   *dialog,
                   const char         *response,
                   RelayHistoryDetail *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  RelayStore *store = RELAY_IS_WINDOW (root) ? relay_window_get_store (RELAY_WINDOW (root)) : NULL;
  const char *numbers[2] = { NULL, NULL };
  BlockData *data;

  if (g_strcmp0 (response, "block") != 0 || self->message == NULL || store == NULL)
    return;

  numbers[0] = self->message->recipient;
  data = g_new0 (BlockData, 1);
  data->self = g_object_ref (GTK_WIDGET (self));
  data->number = g_strdup (self->message->recipient);
  relay_store_block_async (store, numbers, RELAY_BLOCK_SOURCE_HISTORY, self->cancellable,
                           block_cb, data);
}

static void
block_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  RelayHistoryDetail *self = RELAY_HISTORY_DETAIL (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  if (self->message == NULL || self->message->recipient == NULL)
    return;

  body = g_strdup_printf (_("Relay will not send to %s again, from a list or on its own. "
                            "The number can be taken off the do-not-contact list on the Send to List page."),
                          self->message->recipient);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       _("Never Send to This Number?"), body));
  gtk_widget_set_name (GTK_WIDGET (dialog), "history-block-dialog");
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "block", _("_Never Send"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "block", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (block_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
relay_history_detail_class_init (RelayHistoryDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_history_detail_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/relaysms/Relay/relay-history-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayHistoryDetail, box);
  gtk_widget_class_bind_template_child (widget_class, RelayHistoryDetail, title_label);
  gtk_widget_class_bind_template_child (widget_class, RelayHistoryDetail, text_label);
  gtk_widget_class_bind_template_child (widget_class, RelayHistoryDetail, list);
  gtk_widget_class_bind_template_child (widget_class, RelayHistoryDetail, send_now_button);
  gtk_widget_class_bind_template_child (widget_class, RelayHistoryDetail, mark_sent_button);
  gtk_widget_class_bind_template_child (widget_class, RelayHistoryDetail, discard_button);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_install_action (widget_class, "detail.check-delivery", NULL, check_delivery_action);
  gtk_widget_class_install_action (widget_class, "detail.block", NULL, block_action);
}

static void
relay_history_detail_init (RelayHistoryDetail *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.check-delivery", FALSE);
}

/**
 * relay_history_detail_set_message:
 * @message: the row to show
 */
void
relay_history_detail_set_message (RelayHistoryDetail      *self,
                                  const RelayStoreMessage *message)
{
  g_autofree char *state = NULL;
  g_autofree char *ids = NULL;
  g_autofree char *price = NULL;
  g_autofree char *status = NULL;
  g_autofree char *parts = NULL;
  g_autofree char *queued = NULL;
  g_autofree char *sent = NULL;
  GtkWidget *child;

  g_return_if_fail (RELAY_IS_HISTORY_DETAIL (self));
  g_return_if_fail (message != NULL);

  if (message != self->message)
    {
      if (self->message == NULL || self->message->id != message->id)
        g_clear_pointer (&self->delivery_error, g_free);
      g_clear_pointer (&self->message, relay_store_message_free);
      self->message = relay_store_message_copy (message);
    }
  update_delivery (self);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);

  if (message->error != NULL && *message->error != '\0')
    state = g_strdup_printf ("%s — %s", relay_history_state_label (message->state), message->error);
  else
    state = g_strdup (relay_history_state_label (message->state));
  if (message->message_ids != NULL && message->message_ids[0] != NULL)
    ids = g_strjoinv (", ", message->message_ids);
  price = relay_history_format_price (message);
  if (message->status >= 0)
    status = g_strdup_printf ("%d", message->status);
  if (message->parts > 0)
    /* Translators: the parts of an SMS and its encoding, e.g. “2 parts, GSM-7” */
    parts = g_strdup_printf (ngettext ("%u part, %s", "%u parts, %s", message->parts),
                             message->parts, message->encoding != NULL ? message->encoding : "");
  queued = format_full_time (message->queued_at);
  sent = format_full_time (message->sent_at);

  gtk_label_set_label (self->title_label, message->recipient);
  gtk_label_set_label (self->text_label, message->text);

  add_detail_row (self, "history-detail-state", _("State"), state);
  add_detail_row (self, "history-detail-to", _("To"), message->recipient);
  add_detail_row (self, "history-detail-from", _("From"), message->sender);
  add_detail_row (self, "history-detail-account", _("Account"), message->account);
  add_detail_row (self, "history-detail-ids", _("Message IDs"), ids);
  add_detail_row (self, "history-detail-price", _("Price"), price);
  add_detail_row (self, "history-detail-network", _("Network"), message->network);
  add_detail_row (self, "history-detail-status", _("Status Code"), status);
  add_detail_row (self, "history-detail-parts", _("Parts"), parts);
  add_detail_row (self, "history-detail-client-ref", _("Client Reference"), message->client_ref);
  add_detail_row (self, "history-detail-queued", _("Queued"), queued);
  add_detail_row (self, "history-detail-sent", _("Sent"), sent);
  add_delivery_row (self);
}

/* delivery status */

static void
check_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(RelayHistoryDetail) self = user_data;
  g_autoptr(RelayDeliveryRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  record = relay_delivery_checker_check_finish (RELAY_DELIVERY_CHECKER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->message == NULL)
    return;

  g_clear_pointer (&self->delivery_error, g_free);
  if (record == NULL)
    self->delivery_error = g_strdup (error->message);
  else if (self->message->message_ids != NULL &&
           g_strv_contains ((const char *const *) self->message->message_ids, record->message_id))
    {
      g_free (self->message->delivery);
      self->message->delivery = g_strdup (record->status);
      self->message->delivery_at = record->finalized_at > 0 ? record->finalized_at
                                   : record->received_at > 0 ? record->received_at : g_get_real_time ();
    }

  relay_history_detail_set_message (self, self->message);
}

/* detail.check-delivery: asks the shown message's delivery status and
 * shows the answer (or why there is none). */
static void
check_delivery_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  RelayHistoryDetail *self = RELAY_HISTORY_DETAIL (widget);

  if (self->checker == NULL || self->message == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_object_unref (self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_pointer (&self->delivery_error, g_free);
  gtk_widget_action_set_enabled (widget, "detail.check-delivery", FALSE);
  relay_delivery_checker_check_async (self->checker, self->message, self->cancellable,
                                      check_cb, g_object_ref (self));
}

static void
update_delivery (RelayHistoryDetail *self)
{
  gboolean has_ids = self->message != NULL && self->message->message_ids != NULL &&
                     self->message->message_ids[0] != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.check-delivery", self->checker != NULL && has_ids);
}

static void
add_delivery_row (RelayHistoryDetail *self)
{
  g_autofree char *delivery = NULL;

  if (self->message == NULL)
    return;

  delivery = relay_delivery_describe (self->message);
  if (self->delivery_error != NULL)
    add_detail_row (self, "history-detail-delivery", _("Delivery"), self->delivery_error);
  else
    add_detail_row (self, "history-detail-delivery", _("Delivery"), delivery);
}

/**
 * relay_history_detail_set_delivery_checker:
 * @checker: (nullable): what Check Delivery asks, or %NULL to offer no
 *   Check Delivery
 */
void
relay_history_detail_set_delivery_checker (RelayHistoryDetail   *self,
                                           RelayDeliveryChecker *checker)
{
  g_return_if_fail (RELAY_IS_HISTORY_DETAIL (self));
  g_return_if_fail (checker == NULL || RELAY_IS_DELIVERY_CHECKER (checker));

  g_set_object (&self->checker, checker);
  update_delivery (self);
}

/**
 * relay_history_detail_set_outbox:
 * @state: the shown message's state
 * @in_outbox: whether it waits in the outbox for the user's word
 *
 * Offers what the user may decide on a message waiting in the outbox:
 * a queued one is sent now or discarded, an uncertain one marked as
 * sent or discarded (Send Again asks first).
 */
void
relay_history_detail_set_outbox (RelayHistoryDetail *self,
                                 RelayMessageState   state,
                                 gboolean            in_outbox)
{
  g_return_if_fail (RELAY_IS_HISTORY_DETAIL (self));

  gtk_widget_set_visible (self->send_now_button, in_outbox && state == RELAY_MESSAGE_STATE_QUEUED);
  gtk_widget_set_visible (self->mark_sent_button, in_outbox && state == RELAY_MESSAGE_STATE_UNCERTAIN);
  gtk_widget_set_visible (self->discard_button, in_outbox);
}
