/* relay-send-page.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "relay-delivery.h"
#include "relay-error-text.h"
#include "relay-nexmo-client.h"
#include "relay-result-list.h"
#include "relay-send-estimate.h"
#include "relay-send-page.h"
#include "relay-send-state.h"
#include "relay-sms-text.h"
#include "relay-store.h"
#include "relay-to-field.h"

/* Compose and send: From, To, Text with a live counter, and one result
 * row per recipient. The window owns the actions; this page does the
 * work and reports through properties and toasts. */
struct _RelaySendPage
{
  GtkWidget         parent_instance;

  /* template widgets */
  GtkWidget        *compose_box;
  AdwEntryRow      *from_row;
  GtkLabel         *from_hint;
  GtkWidget        *to_label;
  GtkTextView      *to_view;
  GtkLabel         *to_hint;
  GtkTextView      *text_view;
  GtkLabel         *counter_label;
  RelaySendEstimate *estimate;
  GtkWidget        *send_button;
  GtkWidget        *cancel_button;
  GtkProgressBar   *progress_bar;
  GtkWidget        *results_group;
  RelayResultList  *result_list;
  GtkScrolledWindow *scroller;

  /* owned references */
  RelayAccount     *account;
  RelayNexmoClient *client;
  RelayStore       *store;
  GSettings        *settings;
  GCancellable     *send_cancellable;
  GCancellable     *balance_cancellable;
  /* From, To and Text of the last send: the same again asks first. */
  char             *last_send;
  /* RelaySmsResult: each recipient's outcome, in the order they came */
  GPtrArray        *outcomes;

  /* state */
  char             *balance;
  guint             n_results;
  guint             done;
  guint             sent;
  guint             scroll_ticks;
  guint             scroll_tick_id;
  AdwMessageDialog *repeat_dialog;
  guint             can_send : 1;
  guint             repeat_confirmed : 1;
  guint             anchor_results : 1;
};

G_DEFINE_FINAL_TYPE (RelaySendPage, relay_send_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CAN_SEND,
  PROP_SENDING,
  PROP_BALANCE,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  TOAST,
  RECORDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
buffer_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
show_toast (RelaySendPage *self,
            const char    *text)
{
  g_signal_emit (self, signals[TOAST], 0, text);
}

static void
set_hint (GtkLabel   *label,
          const char *problem,
          const char *hint)
{
  gtk_label_set_label (label, problem != NULL ? problem : hint);

  if (problem != NULL)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (label), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
    }
}

static void
set_balance (RelaySendPage *self,
             const char    *balance)
{
  if (g_strcmp0 (self->balance, balance) == 0)
    return;

  g_free (self->balance);
  self->balance = g_strdup (balance);
  relay_send_estimate_set_balance (self->estimate, balance);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BALANCE]);
}

static void
update_state (RelaySendPage *self)
{
  g_autofree char *from_problem = NULL;
  g_autofree char *to_problem = NULL;
  g_autofree char *to_note = NULL;
  g_autofree char *to = buffer_text (self->to_view);
  g_autofree char *text = buffer_text (self->text_view);
  g_autofree char *counter = relay_send_state_format_counter (text);
  g_autofree char *text_problem = relay_send_state_check_text (text);
  g_auto(GStrv) recipients = NULL;
  gboolean sending = self->send_cancellable != NULL;
  gboolean can_send;

  from_problem = relay_send_state_check_sender (gtk_editable_get_text (GTK_EDITABLE (self->from_row)));
  recipients = relay_send_state_check_recipients (to, &to_problem, &to_note);

  set_hint (self->from_hint, from_problem, _("Up to 11 letters and digits, or a phone number"));
  /* An empty To field is not a mistake yet: keep the hint. */
  if (*g_strstrip (to) == '\0')
    g_clear_pointer (&to_problem, g_free);
  set_hint (self->to_hint, to_problem,
            to_note != NULL ? to_note
                            : _("Numbers with country code, one per line or separated by commas, "
                                "or a column pasted from a spreadsheet"));
  relay_to_field_set_error (self->to_view, self->to_label, to_problem != NULL);
  /* An empty message is not a mistake yet: keep the counter. A blank
   * one would be charged: say why Send stays off. */
  set_hint (self->counter_label, *text != '\0' ? text_problem : NULL, counter);
  relay_send_estimate_update (self->estimate, (const char *const *) recipients, text);

  if (from_problem != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->from_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->from_row), "error");

  can_send = self->account != NULL && !sending &&
             from_problem == NULL && recipients != NULL && text_problem == NULL;

  gtk_widget_set_visible (self->cancel_button, sending);
  gtk_widget_set_sensitive (self->compose_box, !sending);

  if (can_send != self->can_send)
    {
      self->can_send = can_send;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_SEND]);
    }
}


/* The key of a message: the same From, To and Text is the same send. */
static char *
compose_key (RelaySendPage *self)
{
  g_autofree char *to = buffer_text (self->to_view);
  g_autofree char *text = buffer_text (self->text_view);
  g_auto(GStrv) recipients = relay_send_state_parse_recipients (to, NULL);
  g_autofree char *joined = recipients != NULL ? g_strjoinv ("\n", recipients) : g_strdup ("");

  return g_strjoin ("\x1f", gtk_editable_get_text (GTK_EDITABLE (self->from_row)), joined, text, NULL);
}

static void
clear_results (RelaySendPage *self)
{
  relay_result_list_clear (self->result_list);
  self->anchor_results = FALSE;
  self->n_results = 0;
  g_ptr_array_set_size (self->outcomes, 0);
  gtk_widget_set_visible (self->results_group, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
}

/* Brings the progress and the results into view once laid out: the
 * page scrolls to its end, or to the results' top when they are taller
 * than the window. A few frames, as rows are added and measured. */
static gboolean
scroll_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  RelaySendPage *self = RELAY_SEND_PAGE (widget);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  GtkWidget *content = gtk_scrolled_window_get_child (self->scroller);
  GtkWidget *first = gtk_widget_get_visible (GTK_WIDGET (self->progress_bar))
                     ? GTK_WIDGET (self->progress_bar) : self->results_group;
  graphene_rect_t bounds;
  double end, top;

  if (gtk_widget_get_visible (self->results_group) &&
      gtk_widget_compute_bounds (first, content, &bounds))
    {
      /* The bounds are in the view, which the content scrolls under. */
      top = gtk_adjustment_get_value (adjustment) + bounds.origin.y - 12;

      end = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);
      gtk_adjustment_set_value (adjustment, MAX (0, MIN (top, end)));
    }

  if (++self->scroll_ticks < 4)
    return G_SOURCE_CONTINUE;

  self->scroll_tick_id = 0;
  return G_SOURCE_REMOVE;
}

static void
schedule_scroll (RelaySendPage *self)
{
  self->scroll_ticks = 0;
  if (self->scroll_tick_id == 0)
    self->scroll_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), scroll_tick_cb, NULL, NULL);
}

/* The results stay in view as the page above them changes (the balance,
 * the estimate), until the person scrolls or starts a new message. */
static void
scroll_to_results (RelaySendPage *self)
{
  self->anchor_results = TRUE;
  schedule_scroll (self);
}

static void
adjustment_changed_cb (RelaySendPage *self)
{
  if (self->anchor_results)
    schedule_scroll (self);
}

static gboolean
scrolled_cb (RelaySendPage *self)
{
  self->anchor_results = FALSE;
  return FALSE;
}

/* The provider's answers to a send name no currency; its price list does. */
static const char *
price_currency (RelaySendPage *self)
{
  const RelayPriceEstimate *estimate = relay_send_estimate_get_estimate (self->estimate);

  return estimate != NULL ? relay_price_list_get_currency (estimate->list) : NULL;
}

/* A new send: one "Sending…" line per recipient. */
static void
start_results (RelaySendPage      *self,
               const char * const *recipients,
               guint               n_recipients)
{
  clear_results (self);
  relay_result_list_set_items (self->result_list, recipients, n_recipients, price_currency (self));
  self->n_results = n_recipients;
  gtk_widget_set_visible (self->results_group, TRUE);
}

static void
copied_cb (RelaySendPage *self,
           guint          n_ids)
{
  show_toast (self, n_ids == 1 ? _("Message ID copied") : _("Message IDs copied"));
}

/* Editing after a send starts a new message: the old results go. */
static void
fields_changed_cb (RelaySendPage *self)
{
  self->repeat_confirmed = FALSE;

  if (self->send_cancellable == NULL && gtk_widget_get_visible (self->results_group))
    {
      g_autofree char *key = compose_key (self);

      if (g_strcmp0 (key, self->last_send) != 0)
        clear_results (self);
    }

  update_state (self);
}

static void
update_progress (RelaySendPage *self)
{
  g_autofree char *text = NULL;
  guint total = self->n_results;

  if (self->send_cancellable != NULL && g_cancellable_is_cancelled (self->send_cancellable))
    /* Translators: after Cancel, while the messages already on their way get their answers */
    text = g_strdup_printf (_("Stopping… %u of %u sent"), self->sent, total);
  else
    /* Translators: progress while sending, e.g. "2 of 5 sent" */
    text = g_strdup_printf (_("%u of %u sent"), self->sent, total);
  gtk_progress_bar_set_text (self->progress_bar, text);
  gtk_progress_bar_set_fraction (self->progress_bar, total > 0 ? (double)self->done / total : 0);
}

static void
progress_cb (RelayDelivery     *delivery,
             RelaySmsResult    *sms,
             RelayStoreMessage *message,
             guint              done,
             guint              total,
             RelaySendPage     *self)
{
  /* A send of an account the page no longer shows. */
  if (sms == NULL || sms->to == NULL || relay_delivery_get_client (delivery) != self->client)
    return;

  g_ptr_array_add (self->outcomes, relay_sms_result_copy (sms));
  self->done = MIN (done, self->n_results);
  if (sms->state == RELAY_SMS_STATE_SENT)
    self->sent++;
  update_progress (self);

  /* The header follows the last message the provider accepted (a
   * partly sent one was charged too). */
  if (sms->parts > 0)
    {
      g_autofree char *text = relay_send_state_format_balance (sms->remaining_balance);

      set_balance (self, text);
    }

  /* Fill in this recipient's line as soon as its outcome is known. */
  relay_result_list_update (self->result_list, sms);
}

static void
balance_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(RelaySendPage) self = user_data;
  g_autoptr(GError) error = NULL;
  RelayBalance balance = { 0 };

  if (!relay_nexmo_client_balance_finish (RELAY_NEXMO_CLIENT (object), result, &balance, &error))
    {
      if (!relay_error_is_cancelled (error))
        g_debug ("Balance not refreshed: %s", error->message);
      return;
    }

  if (self->client == RELAY_NEXMO_CLIENT (object))
    {
      g_autofree char *text = relay_send_state_format_balance (balance.value);

      set_balance (self, text);
    }
}

/* The send ended: every row and the balance already show what
 * happened, cancelled or not, as the outcomes came one by one. */
static void
finish_send (RelaySendPage *self,
             const GError  *error)
{
  g_autofree char *summary = NULL;

  g_clear_object (&self->send_cancellable);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SENDING]);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
  gtk_widget_set_sensitive (self->cancel_button, TRUE);

  if (error != NULL && !relay_error_is_cancelled (error))
    {
      summary = relay_error_text (error);
      relay_result_list_set_message (self->result_list, summary);
    }
  else
    summary = relay_send_state_format_summary (self->outcomes, self->n_results);

  /* The price list may have come while sending. */
  if (price_currency (self) != NULL)
    relay_result_list_set_currency (self->result_list, price_currency (self));
  show_toast (self, summary);
  update_state (self);
  scroll_to_results (self);
  relay_send_page_refresh_balance (self);
}

/* The history took the new rows, or an outcome. */
static void
queued_cb (RelayDelivery *delivery,
           guint          n_rows,
           RelaySendPage *self)
{
  g_signal_emit (self, signals[RECORDED], 0);
}

static void
recorded_cb (RelayDelivery     *delivery,
             RelayStoreMessage *row,
             const GError      *error,
             RelaySendPage     *self)
{
  /* It stays on the page: the history misses this message. */
  if (error != NULL)
    relay_result_list_set_message (self->result_list, error->message);
  g_signal_emit (self, signals[RECORDED], 0);
}

/* Nothing could be recorded, so nothing was sent. */
static void
refuse_send (RelaySendPage *self,
             const GError  *error)
{
  /* Translators: %s is why the message could not be recorded, e.g. the disk is full */
  g_autofree char *text = g_strdup_printf (_("%s Nothing was sent."), error->message);
  /* The bar above the lines says why; each line says it briefly. */
  g_autoptr(GError) brief = g_error_new_literal (RELAY_STORE_ERROR,
                                                 error->domain == RELAY_STORE_ERROR ? error->code : 0,
                                                 _("It could not be recorded, so it was not sent."));
  GListModel *model = relay_result_list_get_model (self->result_list);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(RelayResultItem) item = g_list_model_get_item (model, i);
      RelaySmsResult sms = { 0 };

      if (relay_sms_state_is_final (relay_result_item_get_state (item)))
        continue;
      sms.to = (char *) relay_result_item_get_recipient (item);
      sms.state = RELAY_SMS_STATE_NOT_SENT;
      sms.error = brief;
      sms.status = -1;
      relay_result_list_update (self->result_list, &sms);
    }
  g_clear_object (&self->send_cancellable);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SENDING]);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
  update_state (self);
  /* A lasting problem: on the page, not in a toast that goes away. */
  relay_result_list_set_message (self->result_list, text);
  show_toast (self, text);
  scroll_to_results (self);
}

static void
delivery_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(RelaySendPage) self = user_data;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  RelayDelivery *delivery = RELAY_DELIVERY (object);

  rows = relay_delivery_send_finish (delivery, result, &error);

  /* The account changed or the page went away meanwhile. */
  if (relay_delivery_get_client (delivery) != self->client || self->send_cancellable == NULL)
    return;

  if (rows == NULL)
    refuse_send (self, error);
  else
    finish_send (self, NULL);
}

/* Sends @rows through a delivery: new rows (queued first when @store
 * is set), or rows of @store's outbox claimed by this process. */
static void
deliver (RelaySendPage *self,
         RelayStore    *store,
         GPtrArray     *rows)
{
  g_autoptr(RelayDelivery) delivery = relay_delivery_new (self->client, store);

  relay_delivery_set_currency (delivery, price_currency (self));
  g_signal_connect_object (delivery, "progress", G_CALLBACK (progress_cb), self, 0);
  g_signal_connect_object (delivery, "queued", G_CALLBACK (queued_cb), self, 0);
  g_signal_connect_object (delivery, "recorded", G_CALLBACK (recorded_cb), self, 0);
  relay_delivery_send_async (delivery, rows, self->send_cancellable, delivery_cb, g_object_ref (self));
}

/* The request settings of Preferences, followed by the account's
 * provider (and through it by the client) as soon as they change. */
static void
bind_provider (RelaySendPage *self)
{
  RelayProvider *provider;

  if (self->settings == NULL || self->account == NULL)
    return;

  provider = relay_account_get_provider (self->account);
  g_settings_bind (self->settings, "request-method", provider, "sms-method", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "signature-method", provider, "signature-method", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "timeout", provider, "timeout", G_SETTINGS_BIND_GET);
}

static void
unbind_provider (RelaySendPage *self)
{
  RelayProvider *provider;

  if (self->settings == NULL || self->account == NULL)
    return;

  provider = relay_account_get_provider (self->account);
  g_settings_unbind (provider, "sms-method");
  g_settings_unbind (provider, "signature-method");
  g_settings_unbind (provider, "timeout");
}

static void
relay_send_page_dispose (GObject *object)
{
  RelaySendPage *self = (RelaySendPage *)object;
  GtkWidget *child;

  g_cancellable_cancel (self->send_cancellable);
  g_cancellable_cancel (self->balance_cancellable);
  g_clear_object (&self->send_cancellable);
  g_clear_object (&self->balance_cancellable);
  g_clear_weak_pointer (&self->repeat_dialog);
  if (self->scroll_tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->scroll_tick_id);
  self->scroll_tick_id = 0;
  g_clear_object (&self->client);
  g_clear_object (&self->store);
  unbind_provider (self);
  g_clear_object (&self->account);
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_SEND_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (relay_send_page_parent_class)->dispose (object);
}

static void
relay_send_page_finalize (GObject *object)
{
  RelaySendPage *self = (RelaySendPage *)object;

  g_clear_pointer (&self->last_send, g_free);
  g_clear_pointer (&self->outcomes, g_ptr_array_unref);
  g_clear_pointer (&self->balance, g_free);

  G_OBJECT_CLASS (relay_send_page_parent_class)->finalize (object);
}

static void
relay_send_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  RelaySendPage *self = RELAY_SEND_PAGE (object);

  switch (prop_id)
    {
    case PROP_CAN_SEND:
      g_value_set_boolean (value, self->can_send);
      break;

    case PROP_SENDING:
      g_value_set_boolean (value, relay_send_page_get_sending (self));
      break;

    case PROP_BALANCE:
      g_value_set_string (value, self->balance);
      break;

    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_send_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  RelaySendPage *self = RELAY_SEND_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      relay_send_page_set_store (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_send_page_class_init (RelaySendPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_send_page_dispose;
  object_class->finalize = relay_send_page_finalize;
  object_class->get_property = relay_send_page_get_property;
  object_class->set_property = relay_send_page_set_property;

  properties[PROP_CAN_SEND] =
    g_param_spec_boolean ("can-send", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SENDING] =
    g_param_spec_boolean ("sending", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BALANCE] =
    g_param_spec_string ("balance", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * RelaySendPage:store: (nullable)
   *
   * The history whose outbox every send goes through while the
   * "keep-history" setting is on; %NULL sends without recording.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, RELAY_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RelaySendPage::toast:
   * @self: the page
   * @text: one sentence
   *
   * Asks the window to show @text as a toast.
   */
  signals[TOAST] =
    g_signal_new ("toast",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * RelaySendPage::recorded:
   * @self: the page
   *
   * Emitted when the store took new rows or an outcome: the history
   * changed.
   */
  signals[RECORDED] =
    g_signal_new ("recorded",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (RELAY_TYPE_SEND_ESTIMATE);
  g_type_ensure (RELAY_TYPE_RESULT_LIST);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/relaysms/Relay/relay-send-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RelaySendPage, compose_box);
  gtk_widget_class_bind_template_child (widget_class, RelaySendPage, from_row);
  gtk_widget_class_bind_template_child (widget_class, RelaySendPage, from_hint);
  gtk_widget_class_bind_template_child (widget_class, RelaySendPage, to_label);
  gtk_widget_class_bind_template_child (widget_class, RelaySendPage, to_view);
  gtk_widget_class_bind_template_child (widget_class, RelaySendPage, to_hint);
  gtk_widget_class_bind_template_child (widget_class, RelaySendPage, text_view);
  gtk_widget_class_bind_template_child (widget_class, RelaySendPage, counter_label);
  gtk_widget_class_bind_template_child (widget_class, RelaySendPage, estimate);
  gtk_widget_class_bind_template_child (widget_class, RelaySendPage, send_button);
  gtk_widget_class_bind_template_child (widget_class, RelaySendPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, RelaySendPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, RelaySendPage, results_group);
  gtk_widget_class_bind_template_child (widget_class, RelaySendPage, result_list);
  gtk_widget_class_bind_template_child (widget_class, RelaySendPage, scroller);
  gtk_widget_class_bind_template_callback (widget_class, fields_changed_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
relay_send_page_init (RelaySendPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  relay_to_field_setup (self->to_view);
  g_signal_connect_object (self->result_list, "copied", G_CALLBACK (copied_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scroller), "changed",
                           G_CALLBACK (adjustment_changed_cb), self, G_CONNECT_SWAPPED);
  {
    GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);

    gtk_event_controller_set_propagation_phase (scroll, GTK_PHASE_CAPTURE);
    g_signal_connect_object (scroll, "scroll", G_CALLBACK (scrolled_cb), self, G_CONNECT_SWAPPED);
    gtk_widget_add_controller (GTK_WIDGET (self->scroller), scroll);
  }
  self->outcomes = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_sms_result_free);

  g_signal_connect_object (gtk_text_view_get_buffer (self->to_view), "changed",
                           G_CALLBACK (fields_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (self->text_view), "changed",
                           G_CALLBACK (fields_changed_cb), self, G_CONNECT_SWAPPED);

  update_state (self);
}

/**
 * relay_send_page_bind_settings:
 *
 * Keeps From in the "sender-id" key and binds the request settings
 * (method, signature method, timeout) to the account's provider.
 */
void
relay_send_page_bind_settings (RelaySendPage *self,
                               GSettings     *settings)
{
  g_return_if_fail (RELAY_IS_SEND_PAGE (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  unbind_provider (self);
  g_set_object (&self->settings, settings);
  g_settings_bind (settings, "sender-id", self->from_row, "text", G_SETTINGS_BIND_DEFAULT);
  bind_provider (self);
}

/**
 * relay_send_page_get_client:
 *
 * Returns: (transfer none) (nullable): the client of the current account
 */
RelayNexmoClient *
relay_send_page_get_client (RelaySendPage *self)
{
  g_return_val_if_fail (RELAY_IS_SEND_PAGE (self), NULL);

  return self->client;
}

RelayAccount *
relay_send_page_get_account (RelaySendPage *self)
{
  g_return_val_if_fail (RELAY_IS_SEND_PAGE (self), NULL);

  return self->account;
}

/**
 * relay_send_page_set_account:
 * @account: (nullable): a complete account, or %NULL after signing out
 */
void
relay_send_page_set_account (RelaySendPage *self,
                             RelayAccount  *account)
{
  g_return_if_fail (RELAY_IS_SEND_PAGE (self));
  g_return_if_fail (account == NULL || RELAY_IS_ACCOUNT (account));

  if (self->account == account)
    return;

  if (self->send_cancellable != NULL)
    {
      g_cancellable_cancel (self->send_cancellable);
      g_clear_object (&self->send_cancellable);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SENDING]);
    }

  g_cancellable_cancel (self->balance_cancellable);
  g_clear_object (&self->balance_cancellable);
  g_clear_object (&self->client);
  unbind_provider (self);
  g_set_object (&self->account, account);
  bind_provider (self);
  relay_send_estimate_set_account (self->estimate, account);

  if (account != NULL)
    {
      self->client = relay_nexmo_client_new (account);
      relay_nexmo_client_set_follow_account_limit (self->client, TRUE);
    }

  clear_results (self);
  set_balance (self, NULL);
  update_state (self);
  relay_send_page_refresh_balance (self);
}

gboolean
relay_send_page_get_can_send (RelaySendPage *self)
{
  g_return_val_if_fail (RELAY_IS_SEND_PAGE (self), FALSE);

  return self->can_send;
}

gboolean
relay_send_page_get_sending (RelaySendPage *self)
{
  g_return_val_if_fail (RELAY_IS_SEND_PAGE (self), FALSE);

  return self->send_cancellable != NULL;
}

/**
 * relay_send_page_get_balance:
 *
 * Returns: (nullable): the remaining balance as text, or %NULL while
 *   unknown
 */
const char *
relay_send_page_get_balance (RelaySendPage *self)
{
  g_return_val_if_fail (RELAY_IS_SEND_PAGE (self), NULL);

  return self->balance;
}

static void
repeat_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    RelaySendPage    *self)
{
  g_clear_weak_pointer (&self->repeat_dialog);
  if (g_strcmp0 (response, "send") != 0)
    return;

  /* Until the send starts or a field changes: the cost question may
   * come next and call back. */
  self->repeat_confirmed = TRUE;
  relay_send_page_send (self);
}

/* Sending the same message to the same numbers again costs again: a
 * double click must not, so ask, with Cancel the default. */
static void
ask_repeat (RelaySendPage *self)
{
  g_autofree char *to = buffer_text (self->to_view);
  g_auto(GStrv) recipients = relay_send_state_parse_recipients (to, NULL);
  const RelayPriceEstimate *estimate = relay_send_estimate_get_estimate (self->estimate);
  guint n = recipients != NULL ? g_strv_length (recipients) : 0;
  g_autoptr(GString) body = g_string_new (NULL);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  AdwMessageDialog *dialog;

  g_string_printf (body, ngettext ("This message was just sent to this recipient. Sending it again is charged again.",
                                   "This message was just sent to these %u recipients. Sending it again is charged again.",
                                   n),
                   n);
  if (estimate != NULL && estimate->n_unknown == 0)
    {
      g_autofree char *high = relay_amount_format (estimate->max);

      g_string_append_c (body, ' ');
      /* Translators: the amount and currency of sending again */
      g_string_append_printf (body, _("It may cost up to %s %s."),
                              high, relay_price_list_get_currency (estimate->list));
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       _("Send the Same Message Again?"), body->str));
  gtk_widget_set_name (GTK_WIDGET (dialog), "confirm-repeat");
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "send", _("Send _Again"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "send", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (repeat_response_cb), self, 0);
  g_set_weak_pointer (&self->repeat_dialog, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * relay_send_page_send:
 *
 * Sends the composed message to every recipient; does nothing unless
 * #RelaySendPage:can-send is %TRUE.
 */
void
relay_send_page_send (RelaySendPage *self)
{
  g_autofree char *to = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) recipients = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *key = NULL;
  RelayStore *store = NULL;
  const char *from;

  g_return_if_fail (RELAY_IS_SEND_PAGE (self));

  if (!self->can_send || self->repeat_dialog != NULL)
    return;

  /* The very message just sent: a double click, or a second thought? */
  key = compose_key (self);
  if (!self->repeat_confirmed && g_strcmp0 (key, self->last_send) == 0)
    {
      ask_repeat (self);
      return;
    }

  /* Above the threshold or the balance: ask first (relay-send-estimate.c). */
  if (!relay_send_estimate_confirm (self->estimate, self->settings,
                                    (RelaySendEstimateFunc) relay_send_page_send, self))
    return;

  self->repeat_confirmed = FALSE;
  g_free (self->last_send);
  self->last_send = g_steal_pointer (&key);

  to = buffer_text (self->to_view);
  text = buffer_text (self->text_view);
  from = gtk_editable_get_text (GTK_EDITABLE (self->from_row));
  recipients = relay_send_state_parse_recipients (to, NULL);
  g_assert (recipients != NULL);

  start_results (self, (const char * const *) recipients, g_strv_length (recipients));

  self->done = 0;
  self->sent = 0;
  update_progress (self);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), self->n_results > 1);

  gtk_widget_set_sensitive (self->cancel_button, TRUE);
  self->send_cancellable = g_cancellable_new ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SENDING]);
  update_state (self);

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_store_message_free);
  for (guint i = 0; recipients[i] != NULL; i++)
    g_ptr_array_add (rows, relay_delivery_new_row (relay_account_get_id (self->account), from,
                                                   recipients[i], text, FALSE));

  /* Every message is a row before it leaves, while history is kept. */
  if (self->settings == NULL || g_settings_get_boolean (self->settings, "keep-history"))
    store = self->store;
  deliver (self, store, rows);
  scroll_to_results (self);
}

/**
 * relay_send_page_send_rows:
 * @rows: (element-type RelayStoreMessage): rows of the current account,
 *   queued in the page's store and claimed by this process
 *
 * Sends outbox rows (the window's Send Now); their outcomes are
 * recorded like those of a new send. Returns %FALSE, sending nothing,
 * while a send is running or without an account or a store.
 */
gboolean
relay_send_page_send_rows (RelaySendPage *self,
                           GPtrArray     *rows)
{
  g_return_val_if_fail (RELAY_IS_SEND_PAGE (self), FALSE);
  g_return_val_if_fail (rows != NULL, FALSE);

  if (self->send_cancellable != NULL || self->client == NULL || self->store == NULL || rows->len == 0)
    return FALSE;

  {
    g_autofree const char **recipients = g_new0 (const char *, rows->len + 1);

    for (guint i = 0; i < rows->len; i++)
      recipients[i] = ((RelayStoreMessage *) rows->pdata[i])->recipient;
    start_results (self, recipients, rows->len);
  }

  self->done = 0;
  self->sent = 0;
  update_progress (self);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), self->n_results > 1);

  gtk_widget_set_sensitive (self->cancel_button, TRUE);
  self->send_cancellable = g_cancellable_new ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SENDING]);
  update_state (self);

  deliver (self, self->store, rows);
  scroll_to_results (self);
  return TRUE;
}

/**
 * relay_send_page_set_store:
 * @store: (nullable): the opened history, or %NULL when history is off
 *
 * Sends through @store's outbox from now on (while "keep-history" is
 * on).
 */
void
relay_send_page_set_store (RelaySendPage *self,
                           RelayStore    *store)
{
  g_return_if_fail (RELAY_IS_SEND_PAGE (self));
  g_return_if_fail (store == NULL || RELAY_IS_STORE (store));

  if (g_set_object (&self->store, store))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

/**
 * relay_send_page_get_store:
 *
 * Returns: (transfer none) (nullable): the history the page sends through
 */
RelayStore *
relay_send_page_get_store (RelaySendPage *self)
{
  g_return_val_if_fail (RELAY_IS_SEND_PAGE (self), NULL);

  return self->store;
}

/**
 * relay_send_page_cancel:
 *
 * Stops a send in progress: recipients not yet sent are not sent, and
 * the messages already on their way keep their rows until their answers
 * say whether they were sent.
 */
void
relay_send_page_cancel (RelaySendPage *self)
{
  g_return_if_fail (RELAY_IS_SEND_PAGE (self));

  if (self->send_cancellable == NULL)
    return;

  g_cancellable_cancel (self->send_cancellable);
  gtk_widget_set_sensitive (self->cancel_button, FALSE);
  update_progress (self);
}

/**
 * relay_send_page_fill:
 * @recipients: the To field's new text
 * @text: the message's new text
 *
 * Puts a message into the form (History's Send Again) without sending
 * it; the person reviews it and presses Send.
 */
void
relay_send_page_fill (RelaySendPage *self,
                      const char    *recipients,
                      const char    *text)
{
  g_return_if_fail (RELAY_IS_SEND_PAGE (self));
  g_return_if_fail (recipients != NULL);
  g_return_if_fail (text != NULL);

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->to_view), recipients, -1);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text, -1);
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

/**
 * relay_send_page_refresh_balance:
 *
 * Asks the provider for the remaining balance; #RelaySendPage:balance
 * changes when it answers.
 */
void
relay_send_page_refresh_balance (RelaySendPage *self)
{
  g_return_if_fail (RELAY_IS_SEND_PAGE (self));

  if (self->client == NULL)
    return;

  g_cancellable_cancel (self->balance_cancellable);
  g_clear_object (&self->balance_cancellable);
  self->balance_cancellable = g_cancellable_new ();

  relay_nexmo_client_balance_async (self->client, self->balance_cancellable,
                                    balance_cb, g_object_ref (self));
}

/**
 * relay_send_page_get_result_list:
 *
 * Returns: (transfer none): the results of the last send
 */
RelayResultList *
relay_send_page_get_result_list (RelaySendPage *self)
{
  g_return_val_if_fail (RELAY_IS_SEND_PAGE (self), NULL);

  return self->result_list;
}
