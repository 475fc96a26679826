/* relay-bulk-page.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n.h>

#include "relay-bulk-blocked-dialog.h"
#include "relay-bulk-item.h"
#include "relay-bulk-page-private.h"
#include "relay-message-state.h"
#include "relay-store-blocklist.h"

/* The import half of "Send to List": a file from the dialog, a drop
 * or a paste is read asynchronously and parsed on a worker thread (a
 * RelayImport is never changed once the main thread has it: another
 * phone column or default country parses again), then shown as a
 * summary, the skipped rows and the recipients, both in column views
 * over RelayBulkModel. */

G_DEFINE_FINAL_TYPE (RelayBulkPage, relay_bulk_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STATE,
  PROP_SENDING,
  N_PROPS
};

enum {
  TOAST,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct
{
  GBytes          *data;
  RelayBulkSource  kind;
  char            *default_country;
  int              phone_column;    /* -1 to detect */
  GHashTable      *blocked;         /* (nullable) numbers */
} ParseJob;

static void
parse_job_free (ParseJob *job)
{
  g_bytes_unref (job->data);
  g_free (job->default_country);
  g_clear_pointer (&job->blocked, g_hash_table_unref);
  g_free (job);
}

/* The options' is_blocked: a snapshot of the store's list, read-only
 * on the worker thread. */
static gboolean
is_blocked (const char *number,
            gpointer    data)
{
  return g_hash_table_contains (data, number);
}

char *
_relay_bulk_page_format_count (guint n)
{
  /* Thousands separated as the locale does ("2,981", "2.981"). */
  return g_strdup_printf ("%'u", n);
}

void
_relay_bulk_page_toast (RelayBulkPage *self,
                        const char    *text)
{
  g_signal_emit (self, signals[TOAST], 0, text);
}

static void
set_state (RelayBulkPage *self,
           const char    *state)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), state) == 0)
    return;

  /* The list comes in at once: a crossfade draws both pages at part
   * opacity for some twelve frames, and with software rendering each
   * of those frames of a page this size took 20-30 ms. */
  if (g_str_equal (state, "list"))
    gtk_stack_set_visible_child_full (self->stack, state, GTK_STACK_TRANSITION_TYPE_NONE);
  else
    gtk_stack_set_visible_child_name (self->stack, state);
  gtk_spinner_set_spinning (self->spinner, g_str_equal (state, "loading"));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
show_error (RelayBulkPage *self,
            const char    *text)
{
  gtk_label_set_label (self->error_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
  set_state (self, self->import != NULL ? "list" : "empty");
  if (self->import != NULL)
    _relay_bulk_page_toast (self, text);
}

void
_relay_bulk_page_update_actions (RelayBulkPage *self)
{
  gboolean sending = self->send_cancellable != NULL;
  gboolean ready = self->import != NULL && self->template != NULL && self->client != NULL && !self->busy &&
                   relay_import_get_n_rows (self->import) > 0 && !sending && self->analysis_id == 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bulk.send", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bulk.open", !sending);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bulk.paste", !sending);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bulk.close", !sending && self->import != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bulk.cancel", sending);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bulk.pause", sending && !self->paused);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bulk.resume", sending && self->paused);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bulk.export", self->import != NULL && !sending);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bulk.blocked", self->store != NULL);

  gtk_widget_set_visible (self->send_button, !sending);
  gtk_widget_set_visible (self->cancel_button, sending);
  gtk_widget_set_visible (self->pause_button, sending && !self->paused);
  gtk_widget_set_visible (self->resume_button, sending && self->paused);
  gtk_widget_set_sensitive (GTK_WIDGET (self->column_dropdown), !sending);
  gtk_widget_set_sensitive (GTK_WIDGET (self->country_entry), !sending);
  gtk_text_view_set_editable (self->template_view, !sending);
}

static char *
describe_import (RelayImport *import)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *rows = _relay_bulk_page_format_count (relay_import_get_n_rows (import));
  guint n_skipped = relay_import_get_n_skipped (import);
  guint invalid = relay_import_count_skipped (import, RELAY_IMPORT_SKIP_INVALID);
  guint missing = relay_import_count_skipped (import, RELAY_IMPORT_SKIP_MISSING);
  guint duplicate = relay_import_count_skipped (import, RELAY_IMPORT_SKIP_DUPLICATE);
  guint blocked = relay_import_count_skipped (import, RELAY_IMPORT_SKIP_BLOCKED);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  g_string_append_printf (text, ngettext ("%s recipient", "%s recipients", relay_import_get_n_rows (import)), rows);
  if (n_skipped == 0)
    return g_string_free (g_steal_pointer (&text), FALSE);

  if (invalid > 0)
    /* Translators: part of "19 skipped: 12 not valid, 5 duplicates, …" */
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u not valid", "%u not valid", invalid), invalid));
  if (missing > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u without a number", "%u without a number", missing), missing));
  if (duplicate > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u duplicate", "%u duplicates", duplicate), duplicate));
  if (blocked > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u on the do-not-contact list",
                                                       "%u on the do-not-contact list", blocked), blocked));
  g_ptr_array_add (parts, NULL);

  {
    g_autofree char *skipped = _relay_bulk_page_format_count (n_skipped);
    g_autofree char *list = g_strjoinv (", ", (char **) parts->pdata);

    g_string_append (text, " · ");
    /* Translators: "19 skipped: 12 not valid, 5 duplicates" */
    g_string_append_printf (text, _("%s skipped: %s"), skipped, list);
  }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static int
find_name_column (RelayImport *import)
{
  guint phone = relay_import_get_phone_column (import);

  for (guint i = 0; i < relay_import_get_n_columns (import); i++)
    {
      g_autofree char *name = g_utf8_strdown (relay_import_get_column_name (import, i), -1);

      if (i != phone && (strstr (name, "name") != NULL || g_str_equal (name, "fn")))
        return (int) i;
    }

  return -1;
}

/* GTK 4.8's column view builds the widgets of up to about 200 rows in
 * the frame its model is set: for a list of 100,000 that frame took
 * 117-150 ms (seven cells a row, two views). The views get their rows
 * through a slice that grows by REVEAL_STEP rows a frame until it is
 * past what a view builds, then shows them all; a short list is whole
 * at once. The models themselves always hold every row. */
#define REVEAL_STEP 8
#define REVEAL_WHOLE 240

static void
stop_reveal (RelayBulkPage *self)
{
  if (self->reveal_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->reveal_tick);
  self->reveal_tick = 0;
  self->list_pending = FALSE;
  g_clear_object (&self->recipients_slice);
  g_clear_object (&self->skipped_slice);
}

static gboolean
grow_slice (GtkSliceListModel *slice)
{
  guint size = gtk_slice_list_model_get_size (slice);

  if (size >= REVEAL_WHOLE)
    {
      gtk_slice_list_model_set_size (slice, G_MAXUINT);
      return FALSE;
    }
  gtk_slice_list_model_set_size (slice, size + REVEAL_STEP);
  return TRUE;
}

static gboolean
reveal_tick_cb (GtkWidget     *widget,
                GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  RelayBulkPage *self = RELAY_BULK_PAGE (widget);
  gboolean more = FALSE;

  if (self->recipients_slice != NULL)
    more |= grow_slice (self->recipients_slice);
  if (self->skipped_slice != NULL)
    more |= grow_slice (self->skipped_slice);
  if (more)
    return G_SOURCE_CONTINUE;

  self->reveal_tick = 0;
  return G_SOURCE_REMOVE;
}

static void
show_import (RelayBulkPage *self)
{
  g_autofree char *summary = describe_import (self->import);
  g_autoptr(GtkStringList) columns = gtk_string_list_new (NULL);
  guint n_skipped = relay_import_get_n_skipped (self->import);
  int name_column = find_name_column (self->import);
  g_autoptr(GtkNoSelection) recipients = NULL;
  g_autoptr(GtkNoSelection) skipped = NULL;

  gtk_label_set_label (self->summary_label, summary);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);

  for (guint i = 0; i < relay_import_get_n_columns (self->import); i++)
    gtk_string_list_append (columns, relay_import_get_column_name (self->import, i));
  self->setting_column = TRUE;
  gtk_drop_down_set_model (self->column_dropdown, G_LIST_MODEL (columns));
  gtk_drop_down_set_selected (self->column_dropdown, relay_import_get_phone_column (self->import));
  self->setting_column = FALSE;

  g_clear_object (&self->model);
  g_clear_object (&self->skipped_model);
  self->model = relay_bulk_model_new_recipients (self->import, name_column);
  self->skipped_model = relay_bulk_model_new_skipped (self->import);
  /* The views see the rows a few frames at a time (see reveal_tick_cb),
   * from when the list shows. */
  stop_reveal (self);
  self->recipients_slice = gtk_slice_list_model_new (g_object_ref (G_LIST_MODEL (self->model)), 0, 0);
  self->skipped_slice = gtk_slice_list_model_new (g_object_ref (G_LIST_MODEL (self->skipped_model)), 0, 0);
  recipients = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->recipients_slice)));
  skipped = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->skipped_slice)));
  gtk_column_view_set_model (self->recipients_view, GTK_SELECTION_MODEL (recipients));
  gtk_column_view_set_model (self->skipped_view, GTK_SELECTION_MODEL (skipped));

  gtk_column_view_column_set_visible (self->name_column, name_column >= 0);
  if (name_column >= 0)
    gtk_column_view_column_set_title (self->name_column,
                                      relay_import_get_column_name (self->import, (guint) name_column));

  {
    g_autofree char *count = _relay_bulk_page_format_count (n_skipped);
    g_autofree char *label = g_strdup_printf (ngettext ("%s skipped row", "%s skipped rows", n_skipped), count);

    gtk_label_set_label (self->skipped_label, label);
  }
  gtk_widget_set_visible (GTK_WIDGET (self->skipped_expander), n_skipped > 0);

  gtk_adjustment_set_upper (self->preview_adjustment, MAX (relay_import_get_n_rows (self->import), 1));
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->result_label), FALSE);

  _relay_bulk_page_update_columns (self);
  /* The page stays on "Reading the list" until every row is checked
   * with the message (a fraction of a second for 100,000): the list
   * then appears with its preview, problems and estimate in one frame
   * rather than in a frame that draws the page and another that draws
   * most of it again. */
  self->list_pending = TRUE;
  _relay_bulk_page_analyze_at_once (self);
  _relay_bulk_page_update_actions (self);
}

/**
 * _relay_bulk_page_show_list:
 *
 * Shows an imported list once its first check has ended (or could not
 * start); the rows then appear a few a frame.
 */
void
_relay_bulk_page_show_list (RelayBulkPage *self)
{
  if (!self->list_pending)
    return;

  self->list_pending = FALSE;
  if (self->recipients_slice != NULL && self->reveal_tick == 0)
    {
      gtk_slice_list_model_set_size (self->recipients_slice, REVEAL_STEP);
      gtk_slice_list_model_set_size (self->skipped_slice, REVEAL_STEP);
      self->reveal_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), reveal_tick_cb, NULL, NULL);
    }
  set_state (self, "list");
}

static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ParseJob *job = task_data;
  RelayImportOptions options = { 0 };
  g_autoptr(RelayImport) import = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data = g_bytes_get_data (job->data, &length);

  options.default_country = job->default_country;
  if (job->blocked != NULL)
    {
      options.is_blocked = is_blocked;
      options.is_blocked_data = job->blocked;
    }

  switch (job->kind)
    {
    case RELAY_BULK_SOURCE_VCARD:
      import = relay_import_new_from_vcard (data, length, &options, &error);
      break;
    case RELAY_BULK_SOURCE_TEXT:
      import = relay_import_new_from_text (data, (gssize) length, &options, &error);
      break;
    case RELAY_BULK_SOURCE_CSV:
    default:
      import = relay_import_new_from_csv (data, length, &options, &error);
      break;
    }

  if (import == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Before the main thread sees it: it never changes afterwards. */
  if (job->phone_column >= 0 && (guint) job->phone_column < relay_import_get_n_columns (import))
    relay_import_set_phone_column (import, (guint) job->phone_column);

  g_task_return_pointer (task, g_steal_pointer (&import), g_object_unref);
}

static void
parse_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  RelayBulkPage *self = RELAY_BULK_PAGE (object);
  g_autoptr(RelayImport) import = NULL;
  g_autoptr(GError) error = NULL;

  import = g_task_propagate_pointer (G_TASK (result), &error);
  if (GPOINTER_TO_UINT (user_data) != self->import_serial || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (import == NULL)
    {
      /* Translators: %s says why, e.g. "The file is not UTF-8 text." */
      g_autofree char *text = g_strdup_printf (_("This list cannot be read. %s"), error->message);

      show_error (self, text);
      return;
    }

  g_set_object (&self->import, import);
  _relay_bulk_page_reset_send (self);
  show_import (self);
}

static void
start_parse (RelayBulkPage *self,
             GHashTable    *blocked)
{
  g_autoptr(GTask) task = NULL;
  ParseJob *job = g_new0 (ParseJob, 1);
  g_autofree char *country = NULL;

  country = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->country_entry))));
  job->data = g_bytes_ref (self->source);
  job->kind = self->source_kind;
  job->default_country = country[0] != '\0' ? g_steal_pointer (&country) : NULL;
  job->phone_column = self->pending_column;
  job->blocked = blocked != NULL ? g_hash_table_ref (blocked) : NULL;

  task = g_task_new (self, self->cancellable, parse_cb, GUINT_TO_POINTER (self->import_serial));
  g_task_set_source_tag (task, start_parse);
  g_task_set_task_data (task, job, (GDestroyNotify) parse_job_free);
  g_task_run_in_thread (task, parse_thread);
}

static void
snapshot_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(RelayBulkPage) self = user_data;
  g_autoptr(GHashTable) blocked = NULL;
  g_autoptr(GError) error = NULL;

  blocked = relay_store_blocked_snapshot_finish (RELAY_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (blocked == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The do-not-contact list cannot be read. %s"), error->message);

      show_error (self, text);
      return;
    }

  start_parse (self, blocked);
}

/* Parses self->source again (a new source, phone column or default
 * country), with the do-not-contact list as the store has it now. */
static void
parse_source (RelayBulkPage *self,
              int            phone_column)
{
  if (self->source == NULL)
    return;

  self->pending_column = phone_column;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->import_serial++;
  if (self->import == NULL)
    set_state (self, "loading");

  if (self->store != NULL)
    relay_store_blocked_snapshot_async (self->store, self->cancellable, snapshot_cb, g_object_ref (self));
  else
    start_parse (self, NULL);
}

static void
set_source (RelayBulkPage   *self,
            GBytes          *bytes,
            RelayBulkSource  kind,
            const char      *name)
{
  g_clear_pointer (&self->source, g_bytes_unref);
  self->source = g_bytes_ref (bytes);
  self->source_kind = kind;
  g_free (self->source_name);
  self->source_name = g_strdup (name);
  /* A new list: the phone column is detected again. */
  g_clear_object (&self->import);
  parse_source (self, -1);
}

static RelayBulkSource
guess_kind (GFile  *file,
            GBytes *bytes)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *lower = g_utf8_strdown (name != NULL ? name : "", -1);
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  if (g_str_has_suffix (lower, ".vcf") || g_str_has_suffix (lower, ".vcard") ||
      relay_import_is_vcard (data, length))
    return RELAY_BULK_SOURCE_VCARD;

  return RELAY_BULK_SOURCE_CSV;
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(RelayBulkPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *name = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, &length, NULL, &error))
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: %s is the system's reason, e.g. "No such file or directory" */
      text = g_strdup_printf (_("The file cannot be opened: %s"), error->message);
      show_error (self, text);
      return;
    }

  bytes = g_bytes_new_take (contents, length);
  name = g_file_get_basename (G_FILE (object));
  set_source (self, bytes, guess_kind (G_FILE (object), bytes), name);
}

static void
open_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  RelayBulkPage   *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        relay_bulk_page_load_file (self, file);
    }
  g_object_unref (dialog);
}

static void
add_filter (GtkFileChooser *chooser,
            const char     *name,
            const char     *const *types,
            const char     *const *patterns)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  for (guint i = 0; types != NULL && types[i] != NULL; i++)
    gtk_file_filter_add_mime_type (filter, types[i]);
  for (guint i = 0; patterns != NULL && patterns[i] != NULL; i++)
    gtk_file_filter_add_pattern (filter, patterns[i]);
  gtk_file_chooser_add_filter (chooser, filter);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  RelayBulkPage *self = RELAY_BULK_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *dialog;
  static const char *const all_types[] = { "text/csv", "text/tab-separated-values", "text/vcard",
                                           "text/x-vcard", "text/directory", NULL };
  static const char *const all_patterns[] = { "*.csv", "*.tsv", "*.txt", "*.vcf", NULL };
  static const char *const csv_types[] = { "text/csv", "text/tab-separated-values", NULL };
  static const char *const csv_patterns[] = { "*.csv", "*.tsv", "*.txt", NULL };
  static const char *const vcard_types[] = { "text/vcard", "text/x-vcard", "text/directory", NULL };
  static const char *const vcard_patterns[] = { "*.vcf", NULL };

  /* Inside Flatpak, GtkFileChooserNative is the file chooser portal. */
  dialog = gtk_file_chooser_native_new (_("Open a List of Recipients"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  add_filter (GTK_FILE_CHOOSER (dialog), _("Lists (CSV, TSV, vCard)"), all_types, all_patterns);
  add_filter (GTK_FILE_CHOOSER (dialog), _("Spreadsheets (CSV, TSV)"), csv_types, csv_patterns);
  add_filter (GTK_FILE_CHOOSER (dialog), _("Address books (vCard)"), vcard_types, vcard_patterns);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (open_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
paste_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(RelayBulkPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);

  if (text == NULL || *g_strstrip (text) == '\0')
    {
      _relay_bulk_page_toast (self, _("The clipboard holds no rows to paste"));
      return;
    }

  relay_bulk_page_load_text (self, text);
}

static void
paste_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL, paste_cb, g_object_ref (widget));
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  RelayBulkPage *self = RELAY_BULK_PAGE (widget);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  _relay_bulk_page_reset_send (self);
  g_clear_object (&self->import);
  g_clear_pointer (&self->source, g_bytes_unref);
  gtk_column_view_set_model (self->recipients_view, NULL);
  gtk_column_view_set_model (self->skipped_view, NULL);
  stop_reveal (self);
  g_clear_object (&self->model);
  g_clear_object (&self->skipped_model);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  set_state (self, "empty");
  _relay_bulk_page_update_actions (self);
}

static void
simple_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  RelayBulkPage *self = RELAY_BULK_PAGE (widget);

  if (g_str_equal (action_name, "bulk.send"))
    _relay_bulk_page_send (self);
  else if (g_str_equal (action_name, "bulk.pause"))
    _relay_bulk_page_pause (self);
  else if (g_str_equal (action_name, "bulk.resume"))
    _relay_bulk_page_resume (self);
  else if (g_str_equal (action_name, "bulk.cancel"))
    _relay_bulk_page_cancel (self);
  else if (g_str_equal (action_name, "bulk.export"))
    _relay_bulk_page_export_dialog (self);
  else if (g_str_equal (action_name, "bulk.insert-column"))
    _relay_bulk_page_insert_column (self, g_variant_get_string (param, NULL));
}

static void
blocked_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  RelayBulkPage *self = RELAY_BULK_PAGE (widget);

  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->store == NULL)
    return;
  relay_bulk_blocked_dialog_present (self->store, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL);
}

static void
column_changed_cb (RelayBulkPage *self)
{
  if (self->setting_column || self->import == NULL)
    return;
  if (gtk_drop_down_get_selected (self->column_dropdown) == relay_import_get_phone_column (self->import))
    return;

  /* Validate every row again by the new column. */
  parse_source (self, (int) gtk_drop_down_get_selected (self->column_dropdown));
}

static void
country_activate_cb (RelayBulkPage *self)
{
  /* Validate every row again, in the column the person chose. */
  if (self->import != NULL)
    parse_source (self, (int) relay_import_get_phone_column (self->import));
}

static void
preview_changed_cb (RelayBulkPage *self)
{
  _relay_bulk_page_update_preview (self);
}

static void
relay_bulk_copy_id_cb (GtkListItem *list_item,
                       GtkButton   *button)
{
  RelayBulkItem *item = gtk_list_item_get_item (list_item);
  const char *id;

  if (item == NULL || (id = relay_bulk_item_get_message_id (item)) == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)), id);
}

/* The label columns use a signal factory, not a builder one: a column
 * view keeps about 200 rows alive, so showing a list builds 200 cells
 * per column at once, and a GtkBuilder (with expression watches) per
 * cell was half of the main thread's stall when 100,000 rows arrived.
 * The factory's data is the RelayBulkItem property the label shows. */
static void
label_cell_setup_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *list_item,
                     gpointer                  data)
{
  gboolean numeric = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "relay-numeric"));
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1 : 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (list_item, label);
}

static void
label_cell_sync (RelayBulkItem *item,
                 GParamSpec    *pspec,
                 GtkLabel      *label)
{
  g_autofree char *text = NULL;

  g_object_get (item, g_param_spec_get_name (pspec), &text, NULL);
  gtk_label_set_label (label, text);
}

static void
label_cell_bind_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *list_item,
                    gpointer                  data)
{
  const char *property = data;
  GObject *item = gtk_list_item_get_item (list_item);
  GtkWidget *label = gtk_list_item_get_child (list_item);
  g_autofree char *signal = g_strconcat ("notify::", property, NULL);

  if (item == NULL)
    return;

  label_cell_sync (RELAY_BULK_ITEM (item), g_object_class_find_property (G_OBJECT_GET_CLASS (item), property),
                   GTK_LABEL (label));
  g_signal_connect_object (item, signal, G_CALLBACK (label_cell_sync), label, 0);
}

static void
label_cell_unbind_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *list_item,
                      gpointer                  data)
{
  GObject *item = gtk_list_item_get_item (list_item);
  GtkWidget *label = gtk_list_item_get_child (list_item);

  if (item != NULL)
    g_signal_handlers_disconnect_by_func (item, label_cell_sync, label);
}

static GtkListItemFactory *
label_factory (const char *property,
               gboolean    numeric)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_object_set_data (G_OBJECT (factory), "relay-numeric", GINT_TO_POINTER (numeric));
  /* property is a static string */
  g_signal_connect (factory, "setup", G_CALLBACK (label_cell_setup_cb), (gpointer) property);
  g_signal_connect (factory, "bind", G_CALLBACK (label_cell_bind_cb), (gpointer) property);
  g_signal_connect (factory, "unbind", G_CALLBACK (label_cell_unbind_cb), (gpointer) property);

  return factory;
}

/* The state and message-id cells, built in code for the same reason.
 * Neither sets a tooltip on every cell: setting one makes GTK ask the
 * display where the pointer is (a round trip to the X server per cell,
 * the other half of the stall), so the state cell has one only when
 * its row has a detail, and the copy button answers query-tooltip. */
static void
state_cell_setup_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *list_item,
                     gpointer                  data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *image = g_object_new (GTK_TYPE_IMAGE, "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_set_halign (box, GTK_ALIGN_START);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (box), image);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_item_set_child (list_item, box);
}

static void
state_cell_sync (RelayBulkItem *item,
                 GParamSpec    *pspec,
                 GtkWidget     *box)
{
  GtkWidget *image = gtk_widget_get_first_child (box);
  GtkWidget *label = gtk_widget_get_next_sibling (image);
  const char *detail = relay_bulk_item_get_detail (item);
  const char *style_class = relay_bulk_item_get_style_class (item);
  const char *shown_class = g_object_get_data (G_OBJECT (image), "relay-style-class");

  gtk_image_set_from_icon_name (GTK_IMAGE (image), relay_bulk_item_get_icon_name (item));
  if (g_strcmp0 (shown_class, style_class) != 0)
    {
      if (shown_class != NULL)
        gtk_widget_remove_css_class (image, shown_class);
      if (style_class != NULL)
        gtk_widget_add_css_class (image, style_class);
      /* A copy: the item may change or go before the cell does. */
      g_object_set_data_full (G_OBJECT (image), "relay-style-class", g_strdup (style_class), g_free);
    }
  gtk_label_set_label (GTK_LABEL (label), relay_bulk_item_get_state (item));
  if (detail != NULL && detail[0] != '\0')
    {
      if (g_strcmp0 (gtk_widget_get_tooltip_text (box), detail) != 0)
        gtk_widget_set_tooltip_text (box, detail);
    }
  else if (gtk_widget_get_tooltip_text (box) != NULL)
    gtk_widget_set_tooltip_text (box, NULL);
}

static void
state_cell_bind_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *list_item,
                    gpointer                  data)
{
  GObject *item = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);

  if (item == NULL)
    return;

  state_cell_sync (RELAY_BULK_ITEM (item), NULL, box);
  g_signal_connect_object (item, "notify::state", G_CALLBACK (state_cell_sync), box, 0);
  g_signal_connect_object (item, "notify::icon-name", G_CALLBACK (state_cell_sync), box, 0);
  g_signal_connect_object (item, "notify::style-class", G_CALLBACK (state_cell_sync), box, 0);
  g_signal_connect_object (item, "notify::detail", G_CALLBACK (state_cell_sync), box, 0);
}

static void
state_cell_unbind_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *list_item,
                      gpointer                  data)
{
  GObject *item = gtk_list_item_get_item (list_item);

  if (item != NULL)
    g_signal_handlers_disconnect_by_func (item, state_cell_sync, gtk_list_item_get_child (list_item));
}

static gboolean
copy_query_tooltip_cb (GtkWidget  *button,
                       int         x,
                       int         y,
                       gboolean    keyboard,
                       GtkTooltip *tooltip,
                       gpointer    data)
{
  gtk_tooltip_set_text (tooltip, _("Copy Message ID"));
  return TRUE;
}

static void
id_cell_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  gpointer                  data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *button = gtk_button_new_from_icon_name ("edit-copy-symbolic");

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_width_chars (GTK_LABEL (label), 12);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "relay-bulk-copy");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Copy Message ID"), -1);
  gtk_widget_set_has_tooltip (button, TRUE);
  g_signal_connect (button, "query-tooltip", G_CALLBACK (copy_query_tooltip_cb), NULL);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (relay_bulk_copy_id_cb), list_item);
  gtk_widget_set_visible (button, FALSE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), button);
  gtk_list_item_set_child (list_item, box);
}

static void
id_cell_sync (RelayBulkItem *item,
              GParamSpec    *pspec,
              GtkWidget     *box)
{
  GtkWidget *label = gtk_widget_get_first_child (box);
  const char *id = relay_bulk_item_get_message_id (item);

  gtk_label_set_label (GTK_LABEL (label), id);
  gtk_widget_set_visible (gtk_widget_get_next_sibling (label), id != NULL && id[0] != '\0');
}

static void
id_cell_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 gpointer                  data)
{
  GObject *item = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);

  if (item == NULL)
    return;

  id_cell_sync (RELAY_BULK_ITEM (item), NULL, box);
  g_signal_connect_object (item, "notify::message-id", G_CALLBACK (id_cell_sync), box, 0);
}

static void
id_cell_unbind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *list_item,
                   gpointer                  data)
{
  GObject *item = gtk_list_item_get_item (list_item);

  if (item != NULL)
    g_signal_handlers_disconnect_by_func (item, id_cell_sync, gtk_list_item_get_child (list_item));
}

static GtkListItemFactory *
cell_factory (GCallback setup,
              GCallback bind,
              GCallback unbind)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", setup, NULL);
  g_signal_connect (factory, "bind", bind, NULL);
  g_signal_connect (factory, "unbind", unbind, NULL);

  return factory;
}

/* The width a column needs for @samples (and its title), fixed so that
 * the column view never measures the column's cells again: without
 * it, each label a result or a scrolled-in row changes makes the view
 * measure every cell of its column (about 200) to find the width. */
static int
column_width (GtkWidget          *view,
              const char         *title,
              int                 extra,
              const char * const *samples)
{
  int widest = 0, width;
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (view, title);

  pango_layout_get_pixel_size (layout, &width, NULL);
  /* the header's sort arrow space and padding */
  widest = width + 24;
  for (guint i = 0; samples != NULL && samples[i] != NULL; i++)
    {
      pango_layout_set_text (layout, samples[i], -1);
      pango_layout_get_pixel_size (layout, &width, NULL);
      widest = MAX (widest, width + extra);
    }

  /* the cell's padding (6 px each side in Adwaita) and a margin */
  return widest + 20;
}

static GtkColumnViewColumn *
add_column (GtkColumnView      *view,
            const char         *title,
            GtkListItemFactory *factory,
            gboolean            expand,
            int                 extra,
            const char * const *samples)
{
  GtkColumnViewColumn *column = gtk_column_view_column_new (title, factory);

  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_fixed_width (column, column_width (GTK_WIDGET (view), title, extra, samples));
  gtk_column_view_append_column (view, column);
  g_object_unref (column);

  return column;
}

static void
setup_views (RelayBulkPage *self)
{
  const char *digits[] = { "0000000", NULL };
  const char *numbers[] = { "+000000000000000", NULL };
  const char *names[] = { "Maximilian Mustermann", NULL };
  const char *states[] = { _("Missing value"), _("Ready"),
                           relay_message_state_label (RELAY_MESSAGE_STATE_QUEUED),
                           relay_message_state_label (RELAY_MESSAGE_STATE_SENDING),
                           relay_message_state_label (RELAY_MESSAGE_STATE_SENT),
                           relay_message_state_label (RELAY_MESSAGE_STATE_FAILED),
                           relay_message_state_label (RELAY_MESSAGE_STATE_NOT_SENT),
                           relay_message_state_label (RELAY_MESSAGE_STATE_UNCERTAIN), NULL };
  const char *parts[] = { "00", NULL };
  const char *prices[] = { "0.00000000 EUR", NULL };
  const char *ids[] = { "000000000000", NULL };
  const char *cells[] = { "+000 0000 000000", NULL };
  const char *reasons[] = { "The number is not a valid phone number", NULL };

  /* Translators: column of the recipients list: the line in the file */
  add_column (self->recipients_view, _("Line"), label_factory ("line", TRUE), FALSE, 0, digits);
  add_column (self->recipients_view, _("Number"), label_factory ("number", FALSE), FALSE, 0, numbers);
  /* The state comes right after the number, so that a narrow window
   * (360 px) still shows how each row went; the icon (16 px) and
   * spacing (6 px). */
  add_column (self->recipients_view, _("State"),
              cell_factory (G_CALLBACK (state_cell_setup_cb), G_CALLBACK (state_cell_bind_cb),
                            G_CALLBACK (state_cell_unbind_cb)),
              FALSE, 22, states);
  self->name_column = add_column (self->recipients_view, _("Name"), label_factory ("name", FALSE), TRUE, 0, names);
  add_column (self->recipients_view, _("Parts"), label_factory ("parts", TRUE), FALSE, 0, parts);
  add_column (self->recipients_view, _("Price"), label_factory ("price", TRUE), FALSE, 0, prices);
  /* the id (12 characters, ellipsized) and the copy button */
  add_column (self->recipients_view, _("Message ID"),
              cell_factory (G_CALLBACK (id_cell_setup_cb), G_CALLBACK (id_cell_bind_cb),
                            G_CALLBACK (id_cell_unbind_cb)),
              FALSE, 48, ids);

  add_column (self->skipped_view, _("Line"), label_factory ("line", TRUE), FALSE, 0, digits);
  /* Translators: column of the skipped rows: the phone cell as written */
  add_column (self->skipped_view, _("Cell"), label_factory ("number", FALSE), FALSE, 0, cells);
  add_column (self->skipped_view, _("Reason"), label_factory ("name", FALSE), TRUE, 0, reasons);
}

static void
relay_bulk_page_dispose (GObject *object)
{
  RelayBulkPage *self = (RelayBulkPage *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  relay_bulk_page_leave (self);
  g_clear_handle_id (&self->analysis_id, g_source_remove);
  if (self->recipients_view != NULL)
    gtk_column_view_set_model (self->recipients_view, NULL);
  if (self->skipped_view != NULL)
    gtk_column_view_set_model (self->skipped_view, NULL);
  stop_reveal (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_BULK_PAGE);
  g_clear_object (&self->delivery);
  g_clear_object (&self->model);
  g_clear_object (&self->skipped_model);
  g_clear_object (&self->import);
  g_clear_object (&self->pricing);
  g_clear_object (&self->client);
  g_clear_object (&self->account);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (relay_bulk_page_parent_class)->dispose (object);
}

static void
relay_bulk_page_finalize (GObject *object)
{
  RelayBulkPage *self = (RelayBulkPage *)object;

  g_clear_pointer (&self->source, g_bytes_unref);
  g_clear_pointer (&self->template, relay_template_unref);
  g_clear_pointer (&self->estimate, relay_price_estimate_free);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->row_by_ref, g_hash_table_unref);
  g_free (self->problems);
  g_free (self->problem_placeholder);
  g_free (self->source_name);
  g_free (self->currency);

  G_OBJECT_CLASS (relay_bulk_page_parent_class)->finalize (object);
}

static void
relay_bulk_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  RelayBulkPage *self = RELAY_BULK_PAGE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_string (value, relay_bulk_page_get_state (self));
      break;
    case PROP_SENDING:
      g_value_set_boolean (value, relay_bulk_page_get_sending (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_bulk_page_class_init (RelayBulkPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_bulk_page_dispose;
  object_class->finalize = relay_bulk_page_finalize;
  object_class->get_property = relay_bulk_page_get_property;

  /**
   * RelayBulkPage:state:
   *
   * "empty", "loading" or "list".
   */
  properties[PROP_STATE] =
    g_param_spec_string ("state", NULL, NULL, "empty",
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SENDING] =
    g_param_spec_boolean ("sending", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RelayBulkPage::toast:
   * @text: a transient message for the window to show
   */
  signals[TOAST] =
    g_signal_new ("toast",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (RELAY_TYPE_BULK_ITEM);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/relaysms/Relay/relay-bulk-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayBulkPage, stack);
  gtk_widget_class_bind_template_child (widget_class, RelayBulkPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, RelayBulkPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, RelayBulkPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, RelayBulkPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, RelayBulkPage, column_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RelayBulkPage, country_entry);
  gtk_widget_class_bind_template_child (widget_class, RelayBulkPage, skipped_expander);
  gtk_widget_class_bind_template_child (widget_class, RelayBulkPage, skipped_label);
  gtk_widget_class_bind_template_child (widget_class, RelayBulkPage, skipped_view);
  gtk_widget_class_bind_template_child (widget_class, RelayBulkPage, from_entry);
  gtk_widget_class_bind_template_child (widget_class, RelayBulkPage, insert_button);
  gtk_widget_class_bind_template_child (widget_class, RelayBulkPage, insert_menu);
  gtk_widget_class_bind_template_child (widget_class, RelayBulkPage, template_view);
  gtk_widget_class_bind_template_child (widget_class, RelayBulkPage, problems_label);
  gtk_widget_class_bind_template_child (widget_class, RelayBulkPage, preview_spin);
  gtk_widget_class_bind_template_child (widget_class, RelayBulkPage, preview_adjustment);
  gtk_widget_class_bind_template_child (widget_class, RelayBulkPage, preview_label);
  gtk_widget_class_bind_template_child (widget_class, RelayBulkPage, preview_info);
  gtk_widget_class_bind_template_child (widget_class, RelayBulkPage, estimate_label);
  gtk_widget_class_bind_template_child (widget_class, RelayBulkPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, RelayBulkPage, pause_button);
  gtk_widget_class_bind_template_child (widget_class, RelayBulkPage, resume_button);
  gtk_widget_class_bind_template_child (widget_class, RelayBulkPage, send_button);
  gtk_widget_class_bind_template_child (widget_class, RelayBulkPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, RelayBulkPage, result_label);
  gtk_widget_class_bind_template_child (widget_class, RelayBulkPage, recipients_view);
  gtk_widget_class_bind_template_callback (widget_class, country_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, preview_changed_cb);

  gtk_widget_class_install_action (widget_class, "bulk.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "bulk.paste", NULL, paste_action);
  gtk_widget_class_install_action (widget_class, "bulk.close", NULL, close_action);
  gtk_widget_class_install_action (widget_class, "bulk.send", NULL, simple_action);
  gtk_widget_class_install_action (widget_class, "bulk.pause", NULL, simple_action);
  gtk_widget_class_install_action (widget_class, "bulk.resume", NULL, simple_action);
  gtk_widget_class_install_action (widget_class, "bulk.cancel", NULL, simple_action);
  gtk_widget_class_install_action (widget_class, "bulk.export", NULL, simple_action);
  gtk_widget_class_install_action (widget_class, "bulk.insert-column", "s", simple_action);
  gtk_widget_class_install_action (widget_class, "bulk.blocked", NULL, blocked_action);

  /* Ctrl+V anywhere on the page but in a text field: paste rows. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK, "bulk.paste", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "bulk.open", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
relay_bulk_page_init (RelayBulkPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->balance = -1;
  setup_views (self);
  g_signal_connect_object (self->column_dropdown, "notify::selected", G_CALLBACK (column_changed_cb),
                           self, G_CONNECT_SWAPPED);
  _relay_bulk_page_template_init (self);
  _relay_bulk_page_update_actions (self);
}

/**
 * relay_bulk_page_bind_settings:
 *
 * Keeps From in "sender-id" and the default country code in
 * "default-country", as the send page and relay-cli read them.
 */
void
relay_bulk_page_bind_settings (RelayBulkPage *self,
                               GSettings     *settings)
{
  g_return_if_fail (RELAY_IS_BULK_PAGE (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  g_set_object (&self->settings, settings);
  g_settings_bind (settings, "sender-id", self->from_entry, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "default-country", self->country_entry, "text", G_SETTINGS_BIND_DEFAULT);
}

/**
 * relay_bulk_page_set_account:
 * @account: (nullable): the account sending
 * @client: (nullable): its client, shared with the send page (one pacer)
 */
void
relay_bulk_page_set_account (RelayBulkPage    *self,
                             RelayAccount     *account,
                             RelayNexmoClient *client)
{
  g_return_if_fail (RELAY_IS_BULK_PAGE (self));

  if (self->client == client && self->account == account)
    return;

  /* A send of another account goes on; its outcomes still come. */
  g_set_object (&self->account, account);
  g_set_object (&self->client, client);
  g_clear_object (&self->pricing);
  if (account != NULL)
    {
      self->pricing = relay_pricing_new (account);
      g_signal_connect_object (self->pricing, "notify::list", G_CALLBACK (_relay_bulk_page_analyze),
                               self, G_CONNECT_SWAPPED);
      relay_pricing_ensure (self->pricing);
    }
  _relay_bulk_page_analyze (self);
  _relay_bulk_page_update_actions (self);
}

void
relay_bulk_page_set_store (RelayBulkPage *self,
                           RelayStore    *store)
{
  g_return_if_fail (RELAY_IS_BULK_PAGE (self));

  g_set_object (&self->store, store);
  _relay_bulk_page_update_actions (self);
}

/**
 * relay_bulk_page_set_balance:
 * @balance: (nullable): the balance as the header bar shows it
 */
void
relay_bulk_page_set_balance (RelayBulkPage *self,
                             const char    *balance)
{
  RelayAmount amount = -1;

  g_return_if_fail (RELAY_IS_BULK_PAGE (self));

  if (balance == NULL || !relay_amount_parse (balance, &amount))
    amount = -1;
  self->balance = amount;
}

/**
 * relay_bulk_page_load_file:
 * @file: a CSV, TSV or vCard file
 *
 * Reads and imports @file without blocking the main loop.
 */
void
relay_bulk_page_load_file (RelayBulkPage *self,
                           GFile         *file)
{
  g_return_if_fail (RELAY_IS_BULK_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->send_cancellable != NULL)
    {
      _relay_bulk_page_toast (self, _("A list is being sent; open another once it is done"));
      return;
    }

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->import_serial++;
  set_state (self, "loading");
  g_file_load_contents_async (file, self->cancellable, load_cb, g_object_ref (self));
}

/**
 * relay_bulk_page_load_text:
 * @text: rows pasted from a spreadsheet (tab-separated) or one number
 *   a line
 */
void
relay_bulk_page_load_text (RelayBulkPage *self,
                           const char    *text)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_if_fail (RELAY_IS_BULK_PAGE (self));
  g_return_if_fail (text != NULL);

  if (self->send_cancellable != NULL)
    {
      _relay_bulk_page_toast (self, _("A list is being sent; open another once it is done"));
      return;
    }

  bytes = g_bytes_new (text, strlen (text));
  set_source (self, bytes, RELAY_BULK_SOURCE_TEXT, NULL);
}

/**
 * relay_bulk_page_drop:
 * @value: what was dropped: a GdkFileList, a GFile or a string
 *
 * Returns: whether the page took it
 */
gboolean
relay_bulk_page_drop (RelayBulkPage *self,
                      const GValue  *value)
{
  GFile *file = NULL;

  g_return_val_if_fail (RELAY_IS_BULK_PAGE (self), FALSE);

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *files = gdk_file_list_get_files (g_value_get_boxed (value));

      file = files != NULL ? files->data : NULL;
      g_slist_free (files);
    }
  else if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    file = g_value_get_object (value);
  else if (G_VALUE_HOLDS (value, G_TYPE_STRING) && g_value_get_string (value) != NULL)
    {
      relay_bulk_page_load_text (self, g_value_get_string (value));
      return TRUE;
    }

  if (file == NULL)
    return FALSE;

  relay_bulk_page_load_file (self, file);
  return TRUE;
}

/**
 * relay_bulk_page_get_state:
 *
 * Returns: "empty", "loading" or "list"
 */
const char *
relay_bulk_page_get_state (RelayBulkPage *self)
{
  g_return_val_if_fail (RELAY_IS_BULK_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

RelayImport *
relay_bulk_page_get_import (RelayBulkPage *self)
{
  g_return_val_if_fail (RELAY_IS_BULK_PAGE (self), NULL);

  return self->import;
}

RelayBulkModel *
relay_bulk_page_get_model (RelayBulkPage *self)
{
  g_return_val_if_fail (RELAY_IS_BULK_PAGE (self), NULL);

  return self->model;
}

/**
 * relay_bulk_page_get_n_problems:
 *
 * Returns: rows whose message misses a value (known once the analysis
 *   of the current template ended)
 */
guint
relay_bulk_page_get_n_problems (RelayBulkPage *self)
{
  g_return_val_if_fail (RELAY_IS_BULK_PAGE (self), 0);

  return self->n_problems;
}

gboolean
relay_bulk_page_get_sending (RelayBulkPage *self)
{
  g_return_val_if_fail (RELAY_IS_BULK_PAGE (self), FALSE);

  return self->send_cancellable != NULL;
}

gboolean
relay_bulk_page_get_paused (RelayBulkPage *self)
{
  g_return_val_if_fail (RELAY_IS_BULK_PAGE (self), FALSE);

  return self->paused;
}

/**
 * relay_bulk_page_set_clock:
 * @clock: (nullable): the clock the time left is measured on (tests)
 */
void
relay_bulk_page_set_clock (RelayBulkPage *self,
                           RelayClock    *clock)
{
  g_return_if_fail (RELAY_IS_BULK_PAGE (self));

  g_set_object (&self->clock, clock);
}

/**
 * relay_bulk_page_set_busy:
 * @busy: whether the send page is sending through the same client
 *
 * While it is, Send to List waits.
 */
void
relay_bulk_page_set_busy (RelayBulkPage *self,
                          gboolean       busy)
{
  g_return_if_fail (RELAY_IS_BULK_PAGE (self));

  if (self->busy == !!busy)
    return;

  self->busy = !!busy;
  _relay_bulk_page_update_actions (self);
}

/**
 * relay_bulk_page_leave:
 *
 * The window closes: a list being sent is paused, not cancelled, so
 * that what has not left stays queued for the outbox to offer once
 * this process is gone. Only rows still being built are dropped. The
 * page shows nothing more of that send.
 */
void
relay_bulk_page_leave (RelayBulkPage *self)
{
  g_return_if_fail (RELAY_IS_BULK_PAGE (self));

  if (self->delivery != NULL && self->send_cancellable != NULL)
    {
      relay_delivery_pause (self->delivery);
      g_signal_handlers_disconnect_by_data (self->delivery, self);
      g_clear_object (&self->delivery);
    }
  else if (self->send_cancellable != NULL)
    g_cancellable_cancel (self->send_cancellable);
  g_clear_object (&self->send_cancellable);
}
