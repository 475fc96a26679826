/* relay-bulk-blocked-dialog.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n.h>

#include "relay-bulk-blocked-dialog.h"
#include "relay-phone.h"
#include "relay-store-blocklist.h"

/* The do-not-contact list, from the "Send to List" page: the numbers
 * in the store, one to add (normalised as an import would: +44…, or
 * national with the default country) and the selected one to remove. */
struct _RelayBulkBlockedDialog
{
  AdwWindow       parent_instance;

  /* template widgets */
  GtkEntry       *entry;
  GtkLabel       *error_label;
  GtkListView    *list_view;
  GtkLabel       *count_label;
  GtkWidget      *remove_button;

  /* owned references */
  RelayStore     *store;
  GtkStringList  *numbers;
  GtkSingleSelection *selection;
  GCancellable   *cancellable;
};

G_DEFINE_FINAL_TYPE (RelayBulkBlockedDialog, relay_bulk_blocked_dialog, ADW_TYPE_WINDOW)

static void
show_error (RelayBulkBlockedDialog *self,
            const char             *text)
{
  gtk_label_set_label (self->error_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);
}

static void
update_count (RelayBulkBlockedDialog *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->numbers));
  g_autofree char *text = g_strdup_printf (ngettext ("%u number", "%u numbers", n), n);

  gtk_label_set_label (self->count_label, text);
  gtk_widget_set_sensitive (self->remove_button,
                            gtk_single_selection_get_selected (self->selection) != GTK_INVALID_LIST_POSITION);
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(RelayBulkBlockedDialog) self = user_data;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) strings = NULL;

  list = relay_store_list_blocked_finish (RELAY_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (list == NULL)
    {
      show_error (self, error->message);
      return;
    }

  strings = g_ptr_array_new ();
  for (guint i = 0; i < list->len; i++)
    g_ptr_array_add (strings, ((RelayBlockedNumber *) list->pdata[i])->number);
  g_ptr_array_add (strings, NULL);
  gtk_string_list_splice (self->numbers, 0, g_list_model_get_n_items (G_LIST_MODEL (self->numbers)),
                          (const char *const *) strings->pdata);
  update_count (self);
}

static void
reload (RelayBulkBlockedDialog *self)
{
  relay_store_list_blocked_async (self->store, self->cancellable, list_cb, g_object_ref (self));
}

static void
changed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(RelayBulkBlockedDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (g_task_get_source_tag (G_TASK (result)) == relay_store_block_async)
    ok = relay_store_block_finish (RELAY_STORE (object), result, NULL, &error);
  else
    ok = relay_store_unblock_finish (RELAY_STORE (object), result, NULL, &error);

  if (!ok && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_error (self, error->message);
  reload (self);
}

static void
add_cb (RelayBulkBlockedDialog *self)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry)));

  relay_bulk_blocked_dialog_add (self, text);
}

static void
remove_cb (RelayBulkBlockedDialog *self)
{
  guint position = gtk_single_selection_get_selected (self->selection);
  const char *numbers[2] = { NULL, NULL };

  if (position == GTK_INVALID_LIST_POSITION)
    return;

  numbers[0] = gtk_string_list_get_string (self->numbers, position);
  relay_store_unblock_async (self->store, numbers, self->cancellable, changed_cb, g_object_ref (self));
}

static void
relay_bulk_blocked_dialog_dispose (GObject *object)
{
  RelayBulkBlockedDialog *self = (RelayBulkBlockedDialog *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_BULK_BLOCKED_DIALOG);
  g_clear_object (&self->selection);
  g_clear_object (&self->numbers);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (relay_bulk_blocked_dialog_parent_class)->dispose (object);
}

static void
relay_bulk_blocked_dialog_class_init (RelayBulkBlockedDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_bulk_blocked_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/relaysms/Relay/relay-bulk-blocked-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayBulkBlockedDialog, entry);
  gtk_widget_class_bind_template_child (widget_class, RelayBulkBlockedDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, RelayBulkBlockedDialog, list_view);
  gtk_widget_class_bind_template_child (widget_class, RelayBulkBlockedDialog, count_label);
  gtk_widget_class_bind_template_child (widget_class, RelayBulkBlockedDialog, remove_button);
  gtk_widget_class_bind_template_callback (widget_class, add_cb);
  gtk_widget_class_bind_template_callback (widget_class, remove_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
relay_bulk_blocked_dialog_init (RelayBulkBlockedDialog *self)
{
  g_autoptr(GBytes) bytes = NULL;
  static const char factory_ui[] =
    "<?xml version='1.0' encoding='UTF-8'?><interface><template class='GtkListItem'>"
    "<property name='child'><object class='GtkLabel'><property name='xalign'>0</property>"
    "<property name='margin-start'>12</property><property name='margin-top'>6</property>"
    "<property name='margin-bottom'>6</property><style><class name='numeric'/></style>"
    "<binding name='label'><lookup name='string' type='GtkStringObject'><lookup name='item'>GtkListItem</lookup>"
    "</lookup></binding></object></property></template></interface>";
  g_autoptr(GtkListItemFactory) factory = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->numbers = gtk_string_list_new (NULL);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->numbers)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "notify::selected", G_CALLBACK (update_count), self, G_CONNECT_SWAPPED);
  bytes = g_bytes_new_static (factory_ui, sizeof factory_ui - 1);
  factory = gtk_builder_list_item_factory_new_from_bytes (NULL, bytes);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  update_count (self);
}

/**
 * relay_bulk_blocked_dialog_present:
 * @store: the store that keeps the list
 * @parent: (nullable): the window it belongs to
 *
 * Returns: (transfer none): the dialog shown
 */
RelayBulkBlockedDialog *
relay_bulk_blocked_dialog_present (RelayStore *store,
                                   GtkWindow  *parent)
{
  RelayBulkBlockedDialog *self;

  g_return_val_if_fail (RELAY_IS_STORE (store), NULL);

  self = g_object_new (RELAY_TYPE_BULK_BLOCKED_DIALOG, "transient-for", parent, NULL);
  gtk_widget_set_name (GTK_WIDGET (self), "blocked-dialog");
  self->store = g_object_ref (store);
  reload (self);
  gtk_window_present (GTK_WINDOW (self));

  return self;
}

guint
relay_bulk_blocked_dialog_get_n_numbers (RelayBulkBlockedDialog *self)
{
  g_return_val_if_fail (RELAY_IS_BULK_BLOCKED_DIALOG (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->numbers));
}

/**
 * relay_bulk_blocked_dialog_add:
 * @number: a number as typed: "+44 7700 900123", or national with the
 *   default country set
 */
void
relay_bulk_blocked_dialog_add (RelayBulkBlockedDialog *self,
                               const char             *number)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.relaysms.Relay");
  g_autofree char *country = g_settings_get_string (settings, "default-country");
  g_autofree char *digits = NULL;
  RelayPhoneProblem problem = RELAY_PHONE_OK;
  const char *numbers[2] = { NULL, NULL };

  g_return_if_fail (RELAY_IS_BULK_BLOCKED_DIALOG (self));

  digits = relay_phone_normalize (number, country[0] != '\0' ? country : NULL, &problem);
  if (digits == NULL)
    {
      show_error (self, relay_phone_problem_to_string (problem));
      return;
    }

  show_error (self, NULL);
  numbers[0] = digits;
  relay_store_block_async (self->store, numbers, RELAY_BLOCK_SOURCE_HAND, self->cancellable,
                           changed_cb, g_object_ref (self));
  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
}
