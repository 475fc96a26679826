/* relay-bulk-send.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n.h>

#include "relay-bulk-page-private.h"
#include "relay-csv.h"
#include "relay-message-state.h"
#include "relay-send-estimate.h"

/* The sending half of "Send to List": the questions before (rows that
 * miss a value, the cost of the whole list), the rows built on a
 * worker thread and handed to one RelayDelivery, which queues them all
 * in one transaction before the first leaves; each outcome goes into
 * the recipients view as it comes, with the progress and the time
 * left; at the end a summary with the exact cost; Export Results. */

typedef struct
{
  RelayTemplate *template;
  RelayImport   *import;
  char          *account;
  char          *from;
  guint8        *problems;     /* (nullable) rows to leave out */
  GPtrArray     *rows;
  GHashTable    *by_ref;
} BuildJob;

static void
build_job_free (BuildJob *job)
{
  relay_template_unref (job->template);
  g_object_unref (job->import);
  g_free (job->account);
  g_free (job->from);
  g_free (job->problems);
  g_clear_pointer (&job->rows, g_ptr_array_unref);
  g_clear_pointer (&job->by_ref, g_hash_table_unref);
  g_free (job);
}

static void
build_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  BuildJob *job = task_data;
  guint n = relay_import_get_n_rows (job->import);

  job->rows = g_ptr_array_new_full (n, (GDestroyNotify) relay_store_message_free);
  job->by_ref = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = NULL;
      RelayStoreMessage *row;

      if (job->problems != NULL && job->problems[i] != 0)
        continue;

      text = relay_template_expand (job->template, job->import, i, NULL);
      row = relay_delivery_new_row (job->account, job->from, relay_import_get_number (job->import, i),
                                    text, FALSE);
      row->row = relay_import_get_line (job->import, i);
      g_ptr_array_add (job->rows, row);
      g_hash_table_insert (job->by_ref, row->client_ref, GUINT_TO_POINTER (i + 1));
    }

  g_task_return_boolean (task, TRUE);
}

static char *
format_left (gint64 seconds)
{
  if (seconds < 60)
    return g_strdup (_("less than a minute left"));
  if (seconds < 3600)
    {
      guint minutes = (guint) ((seconds + 30) / 60);

      return g_strdup_printf (ngettext ("about %u minute left", "about %u minutes left", minutes), minutes);
    }
  else
    {
      guint hours = (guint) ((seconds + 1800) / 3600);

      return g_strdup_printf (ngettext ("about %u hour left", "about %u hours left", hours), hours);
    }
}

static void
update_progress (RelayBulkPage *self)
{
  g_autofree char *done = _relay_bulk_page_format_count (self->done);
  g_autofree char *total = _relay_bulk_page_format_count (self->total);
  g_autofree char *text = NULL;

  if (self->send_cancellable != NULL && g_cancellable_is_cancelled (self->send_cancellable))
    /* Translators: after Cancel, "Stopping… 1,204 of 2,981" */
    text = g_strdup_printf (_("Stopping… %s of %s"), done, total);
  else if (self->paused)
    /* Translators: "Paused · 1,204 of 2,981" */
    text = g_strdup_printf (_("Paused · %s of %s"), done, total);
  else if (self->delivery != NULL && self->done < self->total &&
           relay_delivery_get_eta (self->delivery) >= 0)
    {
      g_autofree char *eta = format_left (relay_delivery_get_eta (self->delivery) / G_USEC_PER_SEC);

      /* Translators: "1,204 of 2,981 · about 1 minute left" */
      text = g_strdup_printf (_("%s of %s · %s"), done, total, eta);
    }
  else
    /* Translators: "0 of 2,981" */
    text = g_strdup_printf (_("%s of %s"), done, total);

  gtk_progress_bar_set_text (self->progress_bar, text);
  gtk_progress_bar_set_fraction (self->progress_bar, self->total > 0 ? (double) self->done / self->total : 0);
}

static void
progress_cb (RelayDelivery     *delivery,
             gpointer           sms,
             RelayStoreMessage *message,
             guint              done,
             guint              total,
             RelayBulkPage     *self)
{
  gpointer index;
  RelayAmount price;

  if (delivery != self->delivery || message == NULL || message->client_ref == NULL ||
      !(index = g_hash_table_lookup (self->row_by_ref, message->client_ref)))
    return;

  relay_bulk_model_set_outcome (self->model, GPOINTER_TO_UINT (index) - 1, message);
  if (message->state <= RELAY_MESSAGE_STATE_LAST)
    self->counts[message->state]++;
  if (message->price != NULL && relay_amount_parse (message->price, &price))
    {
      RelayAmount sum;

      if (relay_amount_add (self->cost, price, &sum))
        self->cost = sum;
      if (self->currency == NULL && message->currency != NULL)
        self->currency = g_strdup (message->currency);
    }
  self->done = MIN (done, self->total);
  update_progress (self);
}

static void
recorded_cb (RelayDelivery     *delivery,
             RelayStoreMessage *row,
             const GError      *error,
             RelayBulkPage     *self)
{
  if (error != NULL)
    _relay_bulk_page_toast (self, error->message);
}

static char *
describe_result (RelayBulkPage *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *sent = _relay_bulk_page_format_count (self->counts[RELAY_MESSAGE_STATE_SENT]);
  g_autofree char *cost = NULL;
  RelayPriceList *list = self->pricing != NULL ? relay_pricing_get_list (self->pricing) : NULL;
  const char *currency = self->currency != NULL ? self->currency
                         : list != NULL ? relay_price_list_get_currency (list) : NULL;
  guint failed = self->counts[RELAY_MESSAGE_STATE_FAILED];
  guint not_sent = self->counts[RELAY_MESSAGE_STATE_NOT_SENT] + (self->total - MIN (self->done, self->total));
  guint uncertain = self->counts[RELAY_MESSAGE_STATE_UNCERTAIN];
  guint skipped = relay_import_get_n_skipped (self->import) +
                  (relay_import_get_n_rows (self->import) - self->total);

  /* Translators: the summary after a bulk send, "2,950 sent · 12 failed · …" */
  g_string_append_printf (text, _("%s sent"), sent);
  g_string_append (text, " · ");
  g_string_append_printf (text, _("%u failed"), failed);
  g_string_append (text, " · ");
  g_string_append_printf (text, _("%u not sent"), not_sent);
  if (uncertain > 0)
    /* The words of the send page's total line. */
    g_string_append_printf (text, ngettext (" · %u may have been sent", " · %u may have been sent", uncertain),
                            uncertain);
  g_string_append (text, " · ");
  g_string_append_printf (text, _("%u skipped"), skipped);
  g_string_append (text, " · ");
  cost = relay_message_format_price (self->cost, currency);
  if (uncertain > 0)
    {
      /* A message that may have been sent may have been charged. */
      g_autofree char *known = g_steal_pointer (&cost);

      cost = g_strdup_printf (_("%s + price unknown"), known);
    }
  /* Translators: the exact total charged, "cost 98.2350 EUR" */
  g_string_append_printf (text, _("cost %s"), cost);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
finish_send (RelayBulkPage *self,
             const GError  *error)
{
  g_autofree char *summary = NULL;

  g_clear_object (&self->send_cancellable);
  self->paused = FALSE;
  self->finished = TRUE;
  if (self->model != NULL)
    relay_bulk_model_set_running (self->model, FALSE);

  if (error != NULL)
    {
      /* Translators: %s is why the list could not be queued, e.g. the disk is full */
      summary = g_strdup_printf (_("%s Nothing was sent."), error->message);
    }
  else
    summary = describe_result (self);

  gtk_label_set_label (self->result_label, summary);
  gtk_widget_set_visible (GTK_WIDGET (self->result_label), TRUE);
  update_progress (self);
  /* On this page the summary line says it; a toast there would only
   * cover that line (at 360 px it did). From another page, it tells. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    _relay_bulk_page_toast (self, summary);
  _relay_bulk_page_update_actions (self);
  g_object_notify (G_OBJECT (self), "sending");
}

static void
delivery_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(RelayBulkPage) self = user_data;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  rows = relay_delivery_send_finish (RELAY_DELIVERY (object), result, &error);
  if (RELAY_DELIVERY (object) != self->delivery)
    return;

  finish_send (self, rows == NULL ? error : NULL);
}

static void
build_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  RelayBulkPage *self = RELAY_BULK_PAGE (object);
  BuildJob *job = g_task_get_task_data (G_TASK (result));
  RelayStore *store = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), NULL) || self->send_cancellable == NULL ||
      g_cancellable_is_cancelled (self->send_cancellable) || job->import != self->import)
    {
      if (self->send_cancellable != NULL)
        finish_send (self, NULL);
      return;
    }

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->row_by_ref, g_hash_table_unref);
  self->rows = g_steal_pointer (&job->rows);
  self->row_by_ref = g_steal_pointer (&job->by_ref);
  self->total = self->rows->len;
  self->started_us = g_get_monotonic_time ();
  /* Every row is queued in one transaction before the first leaves. */
  relay_bulk_model_set_running (self->model, TRUE);
  update_progress (self);

  /* Every message is a row before the first leaves, while history is
   * kept: the outbox resumes the list after a quit or a crash. */
  if (self->settings == NULL || g_settings_get_boolean (self->settings, "keep-history"))
    store = self->store;

  g_clear_object (&self->delivery);
  self->delivery = relay_delivery_new (self->client, store);
  if (self->pricing != NULL && relay_pricing_get_list (self->pricing) != NULL &&
      g_strcmp0 (relay_account_get_id (relay_pricing_get_account (self->pricing)),
                 relay_account_get_id (relay_nexmo_client_get_account (self->client))) == 0)
    relay_delivery_set_currency (self->delivery, relay_price_list_get_currency (relay_pricing_get_list (self->pricing)));
  if (self->clock != NULL)
    relay_delivery_set_clock (self->delivery, self->clock);
  g_signal_connect_object (self->delivery, "progress", G_CALLBACK (progress_cb), self, 0);
  g_signal_connect_object (self->delivery, "recorded", G_CALLBACK (recorded_cb), self, 0);
  relay_delivery_send_async (self->delivery, self->rows, self->send_cancellable, delivery_cb, g_object_ref (self));
}

static void
start_send (RelayBulkPage *self)
{
  g_autoptr(GTask) task = NULL;
  BuildJob *job = g_new0 (BuildJob, 1);
  guint n = relay_import_get_n_rows (self->import);

  _relay_bulk_page_reset_send (self);
  self->send_cancellable = g_cancellable_new ();

  job->template = relay_template_ref (self->template);
  job->import = g_object_ref (self->import);
  job->account = g_strdup (relay_account_get_id (self->account));
  job->from = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->from_entry)));
  if (self->skip_problems && self->problems != NULL)
    job->problems = g_memdup2 (self->problems, n);

  relay_bulk_model_clear_outcomes (self->model);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->result_label), FALSE);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_progress_bar_set_text (self->progress_bar, _("Preparing the messages…"));
  _relay_bulk_page_update_actions (self);
  g_object_notify (G_OBJECT (self), "sending");

  task = g_task_new (self, self->send_cancellable, build_cb, NULL);
  g_task_set_source_tag (task, start_send);
  g_task_set_task_data (task, job, (GDestroyNotify) build_job_free);
  g_task_run_in_thread (task, build_thread);
}

/* The question of the send page's "confirm-cost", for the whole list. */
static char *
cost_question (RelayBulkPage *self)
{
  return relay_send_estimate_question_for (self->estimate, self->balance,
                                           relay_send_estimate_get_threshold (self->settings));
}

static void
cost_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  RelayBulkPage    *self)
{
  if (g_strcmp0 (response, "send") != 0)
    return;

  self->confirmed = TRUE;
  _relay_bulk_page_send (self);
  self->confirmed = FALSE;
}

static void
problems_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      RelayBulkPage    *self)
{
  if (g_strcmp0 (response, "skip") == 0)
    self->skip_problems = TRUE;
  else if (g_strcmp0 (response, "send") == 0)
    self->skip_problems = FALSE;
  else
    return;

  /* Asked once per press of Send. */
  self->problems_decided = TRUE;
  _relay_bulk_page_send (self);
  self->problems_decided = FALSE;
}

static AdwMessageDialog *
new_dialog (RelayBulkPage *self,
            const char    *name,
            const char    *heading,
            const char    *body)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       heading, body));
  gtk_widget_set_name (GTK_WIDGET (dialog), name);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");

  return dialog;
}

void
_relay_bulk_page_send (RelayBulkPage *self)
{
  g_autofree char *question = NULL;

  if (self->import == NULL || self->template == NULL || self->client == NULL || self->account == NULL ||
      self->send_cancellable != NULL || self->analysis_id != 0 || self->busy)
    return;

  /* Rows whose message misses a value: counted and asked about first. */
  if (!self->problems_decided)
    {
      self->skip_problems = FALSE;
      if (self->n_problems > 0)
        {
          g_autofree char *n = _relay_bulk_page_format_count (self->n_problems);
          g_autofree char *body = NULL;
          AdwMessageDialog *dialog;

          body = g_strdup_printf (ngettext ("%s row has no value for {%s}; its message would be sent without it.",
                                            "%s rows have no value for {%s}; their messages would be sent without it.",
                                            self->n_problems),
                                  n, self->problem_placeholder != NULL ? self->problem_placeholder : "");
          dialog = new_dialog (self, "bulk-missing-values", _("Some Messages Miss a Value"), body);
          adw_message_dialog_add_responses (dialog,
                                            "cancel", _("_Cancel"),
                                            "send", _("Send _Anyway"),
                                            "skip", _("_Skip Those Rows"),
                                            NULL);
          adw_message_dialog_set_response_appearance (dialog, "skip", ADW_RESPONSE_SUGGESTED);
          g_signal_connect_object (dialog, "response", G_CALLBACK (problems_response_cb), self, 0);
          gtk_window_present (GTK_WINDOW (dialog));
          return;
        }
    }

  /* Above the threshold of Preferences or the balance: the send page's
   * question, for the whole list. */
  if (!self->confirmed && (question = cost_question (self)) != NULL)
    {
      AdwMessageDialog *dialog = new_dialog (self, "confirm-cost", _("Send These Messages?"), question);

      adw_message_dialog_add_responses (dialog,
                                        "cancel", _("_Cancel"),
                                        "send", _("_Send"),
                                        NULL);
      adw_message_dialog_set_response_appearance (dialog, "send", ADW_RESPONSE_SUGGESTED);
      g_signal_connect_object (dialog, "response", G_CALLBACK (cost_response_cb), self, 0);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  start_send (self);
}

void
_relay_bulk_page_pause (RelayBulkPage *self)
{
  if (self->delivery == NULL || self->send_cancellable == NULL || self->paused)
    return;

  relay_delivery_pause (self->delivery);
  self->paused = TRUE;
  update_progress (self);
  _relay_bulk_page_update_actions (self);
}

void
_relay_bulk_page_resume (RelayBulkPage *self)
{
  if (self->delivery == NULL || !self->paused)
    return;

  relay_delivery_resume (self->delivery);
  self->paused = FALSE;
  update_progress (self);
  _relay_bulk_page_update_actions (self);
}

void
_relay_bulk_page_cancel (RelayBulkPage *self)
{
  if (self->send_cancellable == NULL)
    return;

  /* A paused list stops too: what had not left ends not sent. */
  _relay_bulk_page_resume (self);
  g_cancellable_cancel (self->send_cancellable);
  update_progress (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bulk.cancel", FALSE);
}

/* Forgets a finished send (a new list, or before sending again). */
void
_relay_bulk_page_reset_send (RelayBulkPage *self)
{
  if (self->send_cancellable != NULL)
    return;

  g_clear_object (&self->delivery);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->row_by_ref, g_hash_table_unref);
  memset (self->counts, 0, sizeof self->counts);
  self->done = 0;
  self->total = 0;
  self->cost = 0;
  g_clear_pointer (&self->currency, g_free);
  self->paused = FALSE;
  self->finished = FALSE;
}

/* Export Results: the original columns, then what happened. */
static GBytes *
results_csv (RelayBulkPage *self)
{
  RelayImport *import = self->import;
  guint n_columns = relay_import_get_n_columns (import);
  guint phone = relay_import_get_phone_column (import);
  g_autoptr(GString) out = g_string_sized_new (64 * (relay_import_get_n_rows (import) + 1));
  static const char *const extra[] = { "line", "number", "state", "message_ids", "price", "currency", "error" };

  for (guint c = 0; c < n_columns; c++)
    relay_csv_append_field (out, relay_import_get_column_name (import, c), ',');
  for (guint i = 0; i < G_N_ELEMENTS (extra); i++)
    relay_csv_append_field (out, extra[i], ',');
  relay_csv_end_row (out);

  for (guint r = 0; r < relay_import_get_n_rows (import); r++)
    {
      const RelayBulkOutcome *outcome = self->model != NULL ? relay_bulk_model_get_outcome (self->model, r) : NULL;
      g_autofree char *line = g_strdup_printf ("%u", relay_import_get_line (import, r));
      const char *state = outcome != NULL ? relay_message_state_to_string (outcome->state) : "";
      const char *error = outcome != NULL ? outcome->error : NULL;

      /* A row left out for a missing value. */
      if (outcome == NULL && self->finished && self->row_by_ref != NULL)
        {
          state = relay_message_state_to_string (RELAY_MESSAGE_STATE_NOT_SENT);
          error = _("The message misses a value.");
        }

      for (guint c = 0; c < n_columns; c++)
        relay_csv_append_field (out, relay_import_get_field (import, r, c), ',');
      relay_csv_append_field (out, line, ',');
      relay_csv_append_field (out, relay_import_get_number (import, r), ',');
      relay_csv_append_field (out, state, ',');
      relay_csv_append_field (out, outcome != NULL ? outcome->message_ids : NULL, ',');
      relay_csv_append_field (out, outcome != NULL ? outcome->price : NULL, ',');
      relay_csv_append_field (out, outcome != NULL ? outcome->currency : NULL, ',');
      relay_csv_append_field (out, error, ',');
      relay_csv_end_row (out);
    }

  /* Skipped rows: their cells as written and why. */
  for (guint s = 0; s < relay_import_get_n_skipped (import); s++)
    {
      const RelayImportSkipped *skipped = relay_import_get_skipped (import, s);
      g_autofree char *line = g_strdup_printf ("%u", skipped->line);
      g_autofree char *reason = relay_import_skipped_to_string (skipped);

      for (guint c = 0; c < n_columns; c++)
        {
          const char *field = relay_import_get_skipped_field (import, s, c);

          relay_csv_append_field (out, field != NULL ? field : c == phone ? skipped->cell : NULL, ',');
        }
      relay_csv_append_field (out, line, ',');
      relay_csv_append_field (out, skipped->number, ',');
      relay_csv_append_field (out, relay_message_state_to_string (RELAY_MESSAGE_STATE_NOT_SENT), ',');
      relay_csv_append_field (out, NULL, ',');
      relay_csv_append_field (out, NULL, ',');
      relay_csv_append_field (out, NULL, ',');
      relay_csv_append_field (out, reason, ',');
      relay_csv_end_row (out);
    }

  return g_string_free_to_bytes (g_steal_pointer (&out));
}

static void
replace_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * relay_bulk_page_export_async:
 * @file: where to write the results (replaced)
 *
 * Writes the list with what happened to each row as RFC 4180 CSV.
 */
void
relay_bulk_page_export_async (RelayBulkPage       *self,
                              GFile               *file,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_return_if_fail (RELAY_IS_BULK_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_bulk_page_export_async);
  if (self->import == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s", _("No list is open."));
      return;
    }

  bytes = results_csv (self);
  g_task_set_task_data (task, g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       cancellable, replace_cb, g_steal_pointer (&task));
}

gboolean
relay_bulk_page_export_finish (RelayBulkPage  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  RelayBulkPage *self = RELAY_BULK_PAGE (object);
  g_autoptr(GError) error = NULL;

  if (!relay_bulk_page_export_finish (self, result, &error))
    {
      /* Translators: %s is the system's reason */
      g_autofree char *text = g_strdup_printf (_("The results could not be saved: %s"), error->message);

      _relay_bulk_page_toast (self, text);
      return;
    }

  _relay_bulk_page_toast (self, _("Results saved"));
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    RelayBulkPage   *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        relay_bulk_page_export_async (self, file, NULL, export_done_cb, NULL);
    }
  g_object_unref (dialog);
}

void
_relay_bulk_page_export_dialog (RelayBulkPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *dialog;
  g_autofree char *name = NULL;

  dialog = gtk_file_chooser_native_new (_("Export Results"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  if (self->source_name != NULL)
    {
      char *dot = strrchr (self->source_name, '.');
      g_autofree char *stem = dot != NULL ? g_strndup (self->source_name, dot - self->source_name)
                                          : g_strdup (self->source_name);

      /* Translators: the suggested file name, "patients-results.csv" */
      name = g_strdup_printf (_("%s-results.csv"), stem);
    }
  else
    name = g_strdup (_("results.csv"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}
