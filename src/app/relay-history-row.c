/* relay-history-row.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n.h>
#include <string.h>

#include "relay-delivery-checker.h"
#include "relay-history-row.h"
#include "relay-message-state.h"

/* One line of the History list: state icon, recipient, the text's first
 * line, time and price. It follows its item, a placeholder until the
 * model's page arrives. */
struct _RelayHistoryRow
{
  GtkWidget         parent_instance;

  /* template widgets */
  GtkWidget        *box;
  GtkImage         *state_icon;
  GtkLabel         *recipient_label;
  GtkLabel         *text_label;
  GtkLabel         *time_label;
  GtkLabel         *price_label;

  /* owned references */
  RelayHistoryItem *item;
  gulong            notify_handler;

  /* state */
  const char       *style_class;
};

G_DEFINE_FINAL_TYPE (RelayHistoryRow, relay_history_row, GTK_TYPE_WIDGET)

/* The state as every list words and draws it (relay-message-state.c). */
const char *
relay_history_state_icon (RelayMessageState state)
{
  return relay_message_state_icon_name (state);
}

const char *
relay_history_state_label (RelayMessageState state)
{
  return relay_message_state_label (state);
}

/**
 * relay_history_format_time:
 * @us: µs since the epoch, 0 for none
 * @now_us: the present, in the same unit
 *
 * Returns: local time: "Just now" or minutes ago within the hour, the
 *   time of day today, "Yesterday", the day within the year, else a date
 */
char *
relay_history_format_time (gint64 us,
                           gint64 now_us)
{
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = NULL;
  gint64 ago;
  int days;

  if (us <= 0)
    return g_strdup ("");

  when = g_date_time_new_from_unix_local (us / G_USEC_PER_SEC);
  now = g_date_time_new_from_unix_local (now_us / G_USEC_PER_SEC);
  if (when == NULL || now == NULL)
    return g_strdup ("");

  ago = now_us - us;
  if (ago >= 0 && ago < G_TIME_SPAN_MINUTE)
    return g_strdup (_("Just now"));
  if (ago >= 0 && ago < G_TIME_SPAN_HOUR)
    {
      int minutes = (int) (ago / (G_TIME_SPAN_MINUTE));

      return g_strdup_printf (ngettext ("%d minute ago", "%d minutes ago", minutes),
                              minutes);
    }

  /* Whole local days between the two dates (a day of a clock change
   * has 23 or 25 hours). */
  {
    g_autoptr(GDateTime) today = g_date_time_new_local (g_date_time_get_year (now),
                                                        g_date_time_get_month (now),
                                                        g_date_time_get_day_of_month (now), 0, 0, 0);
    g_autoptr(GDateTime) day = g_date_time_new_local (g_date_time_get_year (when),
                                                      g_date_time_get_month (when),
                                                      g_date_time_get_day_of_month (when), 0, 0, 0);

    GTimeSpan span = g_date_time_difference (today, day);

    days = span >= 0 ? (int) ((span + 12 * G_TIME_SPAN_HOUR) / G_TIME_SPAN_DAY)
                     : -(int) ((-span + 12 * G_TIME_SPAN_HOUR) / G_TIME_SPAN_DAY);
  }

  if (days == 0)
    return g_date_time_format (when, "%H:%M");
  if (days == 1)
    return g_strdup (_("Yesterday"));
  if (g_date_time_get_year (now) == g_date_time_get_year (when))
    /* Translators: a day within this year, see g_date_time_format() */
    return g_date_time_format (when, _("%-d %b"));

  /* Translators: a date of an earlier year, see g_date_time_format() */
  return g_date_time_format (when, _("%-d %b %Y"));
}

char *
relay_history_first_line (const char *text)
{
  const char *end;

  if (text == NULL)
    return g_strdup ("");

  end = strchr (text, '\n');
  return end != NULL ? g_strndup (text, end - text) : g_strdup (text);
}

/* "0.0333 EUR", written as every list writes a price, or NULL when no
 * price is known. */
char *
relay_history_format_price (const RelayStoreMessage *message)
{
  return relay_message_format_price_text (message->price, message->currency);
}

static void
update (RelayHistoryRow *self)
{
  const RelayStoreMessage *message = NULL;
  g_autofree char *first = NULL;
  g_autofree char *time = NULL;
  g_autofree char *price = NULL;
  const char *state;

  if (self->item != NULL)
    message = relay_history_item_get_message (self->item);

  if (message == NULL)
    {
      if (self->style_class != NULL)
        gtk_widget_remove_css_class (GTK_WIDGET (self->state_icon), self->style_class);
      self->style_class = NULL;
      gtk_image_set_from_icon_name (self->state_icon, "content-loading-symbolic");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->state_icon), NULL);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->state_icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Loading"), -1);
      gtk_label_set_label (self->recipient_label, "");
      gtk_label_set_label (self->text_label, "");
      gtk_label_set_label (self->time_label, "");
      gtk_label_set_label (self->price_label, "");
      return;
    }

  state = relay_history_state_label (message->state);
  first = relay_history_first_line (message->text);
  time = relay_history_format_time (message->sent_at > 0 ? message->sent_at : message->queued_at,
                                    g_get_real_time ());
  price = relay_history_format_price (message);
  if (message->delivery != NULL)
    {
      g_autofree char *when = relay_history_format_time (message->delivery_at, g_get_real_time ());

      /* Translators: a delivery status and when it was learned, e.g. "Delivered · 10:02" */
      g_free (time);
      time = *when != '\0' ? g_strdup_printf (_("%s · %s"), relay_delivery_label (message->delivery), when)
                           : g_strdup (relay_delivery_label (message->delivery));
    }

  gtk_image_set_from_icon_name (self->state_icon, relay_history_state_icon (message->state));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->state_icon), state);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->state_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, state, -1);
  if (self->style_class != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_icon), self->style_class);
  self->style_class = relay_message_state_style_class (message->state);
  gtk_widget_add_css_class (GTK_WIDGET (self->state_icon), self->style_class);

  gtk_label_set_label (self->recipient_label, message->recipient);
  gtk_label_set_label (self->text_label, first);
  gtk_label_set_label (self->time_label, time);
  gtk_label_set_label (self->price_label, price != NULL ? price : "");
  gtk_widget_set_visible (GTK_WIDGET (self->price_label), price != NULL);
}

static void
message_cb (RelayHistoryRow *self)
{
  update (self);
}

static void
relay_history_row_dispose (GObject *object)
{
  RelayHistoryRow *self = RELAY_HISTORY_ROW (object);

  relay_history_row_set_item (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_HISTORY_ROW);

  G_OBJECT_CLASS (relay_history_row_parent_class)->dispose (object);
}

static void
relay_history_row_class_init (RelayHistoryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_history_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/relaysms/Relay/relay-history-row.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayHistoryRow, box);
  gtk_widget_class_bind_template_child (widget_class, RelayHistoryRow, state_icon);
  gtk_widget_class_bind_template_child (widget_class, RelayHistoryRow, recipient_label);
  gtk_widget_class_bind_template_child (widget_class, RelayHistoryRow, text_label);
  gtk_widget_class_bind_template_child (widget_class, RelayHistoryRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, RelayHistoryRow, price_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
relay_history_row_init (RelayHistoryRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
relay_history_row_new (void)
{
  return g_object_new (RELAY_TYPE_HISTORY_ROW, NULL);
}

void
relay_history_row_set_item (RelayHistoryRow  *self,
                            RelayHistoryItem *item)
{
  g_return_if_fail (RELAY_IS_HISTORY_ROW (self));
  g_return_if_fail (item == NULL || RELAY_IS_HISTORY_ITEM (item));

  if (self->item == item)
    return;

  if (self->item != NULL)
    g_clear_signal_handler (&self->notify_handler, self->item);
  g_set_object (&self->item, item);
  if (item != NULL)
    self->notify_handler = g_signal_connect_swapped (item, "notify::message",
                                                     G_CALLBACK (message_cb), self);

  update (self);
}
