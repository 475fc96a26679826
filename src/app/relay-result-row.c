/* relay-result-row.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n.h>

#include "relay-result-row.h"

/* One recipient's line in a result list: state icon, number, "Sent ·
 * 1 part · 0.0333 EUR", why it was not sent, and a Copy button for the
 * message ids. Follows its item as the send goes on; list views recycle
 * it for other items. */
struct _RelayResultRow
{
  GtkWidget        parent_instance;

  /* template widgets */
  GtkWidget       *box;
  GtkImage        *state_icon;
  GtkLabel        *recipient_label;
  GtkLabel        *line_label;
  GtkLabel        *reason_label;
  GtkWidget       *copy_button;

  /* owned references */
  RelayResultItem *item;
  gulong           notify_handler;
  char            *style_class;
};

G_DEFINE_FINAL_TYPE (RelayResultRow, relay_result_row, GTK_TYPE_WIDGET)

enum {
  COPIED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update (RelayResultRow *self)
{
  g_autofree char *line = NULL;
  g_autofree char *accessible = NULL;
  g_autofree char *copy_label = NULL;
  g_autofree char *tooltip = NULL;
  const char * const *ids;
  const char *reason;
  const char *style_class;

  if (self->item == NULL)
    return;

  line = relay_result_item_dup_line (self->item);
  accessible = relay_result_item_dup_accessible_label (self->item);
  reason = relay_result_item_get_reason (self->item);
  ids = relay_result_item_get_message_ids (self->item);
  style_class = relay_result_item_get_style_class (self->item);

  gtk_label_set_label (self->recipient_label, relay_result_item_get_recipient (self->item));
  gtk_label_set_label (self->line_label, line);
  gtk_label_set_label (self->reason_label, reason != NULL ? reason : "");
  gtk_widget_set_visible (GTK_WIDGET (self->reason_label), reason != NULL);

  gtk_image_set_from_icon_name (self->state_icon, relay_result_item_get_icon_name (self->item));
  if (self->style_class != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_icon), self->style_class);
  gtk_widget_add_css_class (GTK_WIDGET (self->state_icon), style_class);
  g_free (self->style_class);
  self->style_class = g_strdup (style_class);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->state_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, relay_result_item_get_state_label (self->item),
                                  -1);

  gtk_widget_set_visible (self->copy_button, ids != NULL);
  if (ids != NULL)
    {
      g_autofree char *joined = g_strjoinv (", ", (char **) ids);
      guint n = g_strv_length ((char **) ids);

      /* Translators: the Copy button of a result; %s is the number */
      copy_label = g_strdup_printf (ngettext ("Copy the message ID of %s", "Copy the message IDs of %s", n),
                                    relay_result_item_get_recipient (self->item));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->copy_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, copy_label,
                                      -1);
      /* Translators: the tooltip of a result's Copy button; %s is the id(s) */
      tooltip = g_strdup_printf (ngettext ("Copy message ID %s", "Copy message IDs %s", n), joined);
      gtk_widget_set_tooltip_text (self->copy_button, tooltip);
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
}

static void
copy_clicked_cb (RelayResultRow *self)
{
  const char * const *ids;
  g_autofree char *joined = NULL;

  if (self->item == NULL || (ids = relay_result_item_get_message_ids (self->item)) == NULL)
    return;

  joined = g_strjoinv ("\n", (char **) ids);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), joined);
  g_signal_emit (self, signals[COPIED], 0, g_strv_length ((char **) ids));
}

static void
relay_result_row_dispose (GObject *object)
{
  RelayResultRow *self = (RelayResultRow *)object;

  relay_result_row_set_item (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_RESULT_ROW);

  G_OBJECT_CLASS (relay_result_row_parent_class)->dispose (object);
}

static void
relay_result_row_finalize (GObject *object)
{
  RelayResultRow *self = (RelayResultRow *)object;

  g_clear_pointer (&self->style_class, g_free);

  G_OBJECT_CLASS (relay_result_row_parent_class)->finalize (object);
}

static void
relay_result_row_class_init (RelayResultRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_result_row_dispose;
  object_class->finalize = relay_result_row_finalize;

  /**
   * RelayResultRow::copied:
   * @self: the row
   * @n_ids: how many message ids went to the clipboard
   */
  signals[COPIED] =
    g_signal_new ("copied",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/relaysms/Relay/relay-result-row.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayResultRow, box);
  gtk_widget_class_bind_template_child (widget_class, RelayResultRow, state_icon);
  gtk_widget_class_bind_template_child (widget_class, RelayResultRow, recipient_label);
  gtk_widget_class_bind_template_child (widget_class, RelayResultRow, line_label);
  gtk_widget_class_bind_template_child (widget_class, RelayResultRow, reason_label);
  gtk_widget_class_bind_template_child (widget_class, RelayResultRow, copy_button);
  gtk_widget_class_bind_template_callback (widget_class, copy_clicked_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
relay_result_row_init (RelayResultRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
relay_result_row_new (void)
{
  return g_object_new (RELAY_TYPE_RESULT_ROW, NULL);
}

/**
 * relay_result_row_set_item:
 * @item: (nullable): the item to show, %NULL when unbound
 */
void
relay_result_row_set_item (RelayResultRow  *self,
                           RelayResultItem *item)
{
  g_return_if_fail (RELAY_IS_RESULT_ROW (self));
  g_return_if_fail (item == NULL || RELAY_IS_RESULT_ITEM (item));

  if (self->item == item)
    return;

  if (self->item != NULL)
    g_clear_signal_handler (&self->notify_handler, self->item);
  g_set_object (&self->item, item);
  if (item != NULL)
    self->notify_handler = g_signal_connect_object (item, "notify::state", G_CALLBACK (update),
                                                    self, G_CONNECT_SWAPPED);
  update (self);
}

/**
 * relay_result_row_get_item:
 *
 * Returns: (transfer none) (nullable): the item shown
 */
RelayResultItem *
relay_result_row_get_item (RelayResultRow *self)
{
  g_return_val_if_fail (RELAY_IS_RESULT_ROW (self), NULL);

  return self->item;
}
