/* relay-bulk-blocked-dialog.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n.h>
#include <string.h>

#include "relay-bulk-blocked-dialog.h"
#include "relay-phone.h"
#include "relay-recipient-import.h"
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
  GtkLabel       *status_label;
  GtkListView    *list_view;
  GtkLabel       *count_label;
  GtkWidget      *remove_button;

  /* owned references */
  RelayStore     *store;
  GtkStringList  *numbers;
  GtkSingleSelection *selection;
  GCancellable   *cancellable;
  GtkNativeDialog *chooser;
};

/* An import: the file's name for the sentence, then what the parse
 * found. */
typedef struct
{
  char       *name;
  char       *default_country;
  GBytes     *data;
  GPtrArray  *numbers;
  guint       n_skipped;
} ImportJob;

static void
import_job_free (ImportJob *job)
{
  g_free (job->name);
  g_free (job->default_country);
  g_clear_pointer (&job->data, g_bytes_unref);
  g_clear_pointer (&job->numbers, g_ptr_array_unref);
  g_free (job);
}

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
show_status (RelayBulkBlockedDialog *self,
             const char             *text)
{
  gtk_label_set_label (self->status_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL);
}

static void
import_block_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelayBulkBlockedDialog *self = g_task_get_source_object (task);
  ImportJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *added_text = NULL;
  g_autofree char *text = NULL;
  guint added = 0;

  if (!relay_store_block_finish (RELAY_STORE (object), result, &added, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
      return;
    }

  /* Translators: %u new numbers, then the file's name */
  added_text = g_strdup_printf (ngettext ("Added %u number from “%s”.", "Added %u numbers from “%s”.", added),
                                added, job->name);
  if (job->n_skipped > 0)
    /* Translators: the sentence before, then how many rows of the file had no valid number */
    text = g_strdup_printf (ngettext ("%s %u row was skipped: it holds no valid number.",
                                      "%s %u rows were skipped: they hold no valid number.",
                                      job->n_skipped),
                            added_text, job->n_skipped);
  show_status (self, text != NULL ? text : added_text);
  reload (self);
}

static void
import_parse_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  ImportJob *job = task_data;
  RelayImportOptions options = { 0 };
  g_autoptr(RelayImport) import = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data = g_bytes_get_data (job->data, &length);

  options.default_country = job->default_country;
  /* A vCard address book or a table. */
  if (relay_import_is_vcard (data, length))
    import = relay_import_new_from_vcard (data, length, &options, &error);
  else
    import = relay_import_new_from_csv (data, length, &options, &error);

  if (import == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  job->numbers = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < relay_import_get_n_rows (import); i++)
    g_ptr_array_add (job->numbers, g_strdup (relay_import_get_number (import, i)));
  g_ptr_array_add (job->numbers, NULL);
  /* Duplicates within the file are no loss; the rest had no number. */
  job->n_skipped = relay_import_get_n_skipped (import)
                   - relay_import_count_skipped (import, RELAY_IMPORT_SKIP_DUPLICATE);
  g_task_return_boolean (task, TRUE);
}

static void
import_parsed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  RelayBulkBlockedDialog *self = RELAY_BULK_BLOCKED_DIALOG (object);
  ImportJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Translators: %s is the file's name, then why it cannot be read */
          g_autofree char *text = g_strdup_printf (_("“%s” cannot be read. %s"), job->name, error->message);

          show_error (self, text);
        }
      return;
    }

  if (job->numbers->len <= 1)
    {
      /* Translators: %s is the file's name */
      g_autofree char *text = g_strdup_printf (_("“%s” holds no valid phone number: nothing was added."), job->name);

      show_error (self, text);
      return;
    }

  relay_store_block_async (self->store, (const char * const *) job->numbers->pdata, RELAY_BLOCK_SOURCE_IMPORT,
                           self->cancellable, import_block_cb, g_object_ref (G_TASK (result)));
}

static void
import_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(RelayBulkBlockedDialog) self = user_data;
  g_autoptr(GSettings) settings = g_settings_new ("io.github.relaysms.Relay");
  g_autofree char *country = g_settings_get_string (settings, "default-country");
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  ImportJob *job;
  gsize length = 0;

  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, &length, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
      return;
    }

  job = g_new0 (ImportJob, 1);
  job->name = g_file_get_basename (G_FILE (object));
  job->default_country = country[0] != '\0' ? g_steal_pointer (&country) : NULL;
  job->data = g_bytes_new_take (g_steal_pointer (&contents), length);
  task = g_task_new (self, self->cancellable, import_parsed_cb, NULL);
  g_task_set_source_tag (task, relay_bulk_blocked_dialog_import_file);
  g_task_set_task_data (task, job, (GDestroyNotify) import_job_free);
  g_task_run_in_thread (task, import_parse_thread);
}

static void
chooser_response_cb (RelayBulkBlockedDialog *self,
                     int                     response,
                     GtkNativeDialog        *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        relay_bulk_blocked_dialog_import_file (self, file);
    }
  g_clear_object (&self->chooser);
}

static void
import_cb (RelayBulkBlockedDialog *self)
{
  g_autoptr(GtkFileFilter) lists = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Import Numbers Not to Contact"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), NULL);
  gtk_file_filter_set_name (lists, _("Lists and address books"));
  gtk_file_filter_add_mime_type (lists, "text/csv");
  gtk_file_filter_add_mime_type (lists, "text/tab-separated-values");
  gtk_file_filter_add_mime_type (lists, "text/vcard");
  gtk_file_filter_add_mime_type (lists, "text/x-vcard");
  gtk_file_filter_add_suffix (lists, "csv");
  gtk_file_filter_add_suffix (lists, "tsv");
  gtk_file_filter_add_suffix (lists, "vcf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), lists);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  g_signal_connect_object (chooser, "response", G_CALLBACK (chooser_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (self->chooser);
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
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
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
  gtk_widget_class_bind_template_child (widget_class, RelayBulkBlockedDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, RelayBulkBlockedDialog, list_view);
  gtk_widget_class_bind_template_child (widget_class, RelayBulkBlockedDialog, count_label);
  gtk_widget_class_bind_template_child (widget_class, RelayBulkBlockedDialog, remove_button);
  gtk_widget_class_bind_template_callback (widget_class, add_cb);
  gtk_widget_class_bind_template_callback (widget_class, remove_cb);
  gtk_widget_class_bind_template_callback (widget_class, import_cb);
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
  show_status (self, NULL);
  numbers[0] = digits;
  relay_store_block_async (self->store, numbers, RELAY_BLOCK_SOURCE_HAND, self->cancellable,
                           changed_cb, g_object_ref (self));
  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
}

/**
 * relay_bulk_blocked_dialog_import_file:
 * @file: a CSV, TSV or vCard file
 *
 * Puts every valid number of @file on the list (as imported), and says
 * how many were added and how many rows held no number.
 */
void
relay_bulk_blocked_dialog_import_file (RelayBulkBlockedDialog *self,
                                       GFile                  *file)
{
  g_return_if_fail (RELAY_IS_BULK_BLOCKED_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));

  show_error (self, NULL);
  show_status (self, NULL);
  g_file_load_contents_async (file, self->cancellable, import_loaded_cb, g_object_ref (self));
}
