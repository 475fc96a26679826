/* relay-bulk-template.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n.h>

#include "relay-bulk-estimate.h"
#include "relay-bulk-page-private.h"

/* The message half of "Send to List": the template with its Insert
 * Column menu, the preview of one row (its text, encoding, parts and
 * cost), and, on a worker thread after each pause in typing, every
 * row's message: which miss a value, and the estimate of the whole
 * list. */

#define ANALYZE_DELAY_MS 200

typedef struct
{
  RelayTemplate      *template;
  RelayImport        *import;
  RelayPriceList     *list;        /* (nullable) */
  guint8             *problems;
  guint               n_problems;
  char               *placeholder; /* the first missing one */
  RelayPriceEstimate *estimate;
} Analysis;

static void
analysis_free (Analysis *analysis)
{
  relay_template_unref (analysis->template);
  g_object_unref (analysis->import);
  g_clear_pointer (&analysis->list, relay_price_list_unref);
  g_free (analysis->problems);
  g_free (analysis->placeholder);
  g_clear_pointer (&analysis->estimate, relay_price_estimate_free);
  g_free (analysis);
}

static char *
buffer_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;

  return TRUE;
}

static void
analyze_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Analysis *analysis = task_data;
  guint n = relay_import_get_n_rows (analysis->import);
  g_autoptr(GString) text = g_string_new (NULL);
  RelayPriceEstimate *estimate = NULL;

  /* One row at a time through one buffer: a string per row made this
   * thread grow its heap while the window drew the new list, and each
   * growth holds the lock the window's own page faults need. */
  analysis->problems = g_new0 (guint8, MAX (n, 1));
  if (analysis->list != NULL)
    estimate = relay_price_estimate_new_empty (analysis->list, n, FALSE);
  for (guint i = 0; i < n; i++)
    {
      RelayTemplateProblem problem = { 0 };

      g_string_truncate (text, 0);
      relay_template_expand_into (analysis->template, analysis->import, i, text, &problem);
      if (estimate != NULL)
        relay_price_estimate_add (estimate, relay_import_get_number (analysis->import, i),
                                  relay_price_parts_for_text (text->str, FALSE));
      if (problem.kind != RELAY_TEMPLATE_PROBLEM_NONE)
        {
          analysis->problems[i] = (guint8) problem.kind;
          if (analysis->n_problems++ == 0)
            analysis->placeholder = g_strdup (problem.placeholder);
        }
      if ((i & 1023) == 0 && g_cancellable_is_cancelled (cancellable))
        break;
    }

  if (estimate != NULL && !g_cancellable_is_cancelled (cancellable))
    analysis->estimate = estimate;
  else if (estimate != NULL)
    relay_price_estimate_free (estimate);

  g_task_return_boolean (task, !g_cancellable_is_cancelled (cancellable));
}

static void
show_estimate (RelayBulkPage *self)
{
  const RelayPriceEstimate *estimate = self->estimate;
  g_autoptr(GString) text = g_string_new (NULL);
  const char *currency;

  if (self->import == NULL)
    return;

  if (estimate == NULL)
    {
      gtk_label_set_label (self->estimate_label,
                           self->template == NULL ? "" : _("No price list yet, so no cost estimate"));
      return;
    }

  currency = relay_price_list_get_currency (estimate->list);
  if (estimate->n_unknown == 0)
    {
      g_autofree char *span = relay_amount_format_span (estimate->min, estimate->max, currency, FALSE);
      g_autofree char *n = _relay_bulk_page_format_count (estimate->n_recipients);

      /* Translators: the estimate of a whole list, "About 98.23 EUR for 2,981 messages" */
      g_string_append_printf (text, ngettext ("About %s for %s message", "About %s for %s messages",
                                              estimate->n_recipients), span, n);
    }
  else
    {
      g_autofree char *known = relay_amount_format (estimate->min);

      g_string_append_printf (text, ngettext ("At least %s %s; no price known for %u of %u recipient",
                                              "At least %s %s; no price known for %u of %u recipients",
                                              estimate->n_recipients),
                              known, currency, estimate->n_unknown, estimate->n_recipients);
    }

  if (self->balance >= 0 && estimate->max > self->balance)
    {
      g_autofree char *balance = relay_amount_format (self->balance);

      g_string_append (text, " · ");
      g_string_append_printf (text, _("more than the balance of %s %s"), balance, currency);
    }

  gtk_label_set_label (self->estimate_label, text->str);
}

static void
show_problems (RelayBulkPage *self)
{
  g_autofree char *n = NULL;
  g_autofree char *text = NULL;

  if (self->n_problems == 0)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->problems_label), FALSE);
      return;
    }

  n = _relay_bulk_page_format_count (self->n_problems);
  /* Translators: "12 rows have no value for {first_name}" */
  text = g_strdup_printf (ngettext ("%s row has no value for {%s}", "%s rows have no value for {%s}",
                                    self->n_problems),
                          n, self->problem_placeholder != NULL ? self->problem_placeholder : "");
  gtk_label_set_label (self->problems_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->problems_label), TRUE);
}

static void
analyze_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  RelayBulkPage *self = RELAY_BULK_PAGE (object);
  Analysis *analysis = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), NULL) ||
      GPOINTER_TO_UINT (user_data) != self->analysis_serial ||
      analysis->import != self->import)
    return;

  g_free (self->problems);
  self->problems = g_steal_pointer (&analysis->problems);
  self->n_problems = analysis->n_problems;
  g_free (self->problem_placeholder);
  self->problem_placeholder = g_steal_pointer (&analysis->placeholder);
  g_clear_pointer (&self->estimate, relay_price_estimate_free);
  self->estimate = g_steal_pointer (&analysis->estimate);

  if (self->model != NULL)
    relay_bulk_model_set_problems (self->model, self->problems, relay_import_get_n_rows (self->import));
  show_problems (self);
  show_estimate (self);
  _relay_bulk_page_update_actions (self);
  _relay_bulk_page_show_list (self);
}

static gboolean
analyze_now (gpointer data)
{
  RelayBulkPage *self = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = buffer_text (self->template_view);
  g_autoptr(GTask) task = NULL;
  RelayPriceList *list;
  Analysis *analysis;

  self->analysis_id = 0;
  self->analysis_serial++;
  g_clear_pointer (&self->template, relay_template_unref);
  g_clear_pointer (&self->estimate, relay_price_estimate_free);
  self->n_problems = 0;
  g_clear_pointer (&self->problems, g_free);

  if (self->import == NULL)
    goto out;

  if (is_blank (text))
    {
      gtk_label_set_label (self->problems_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->problems_label), FALSE);
      gtk_label_set_label (self->estimate_label, _("Write the message to see what it costs"));
      goto out;
    }

  self->template = relay_template_parse (text, &error);
  if (self->template == NULL)
    {
      gtk_label_set_label (self->problems_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->problems_label), TRUE);
      gtk_label_set_label (self->estimate_label, "");
      goto out;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->problems_label), FALSE);

  analysis = g_new0 (Analysis, 1);
  analysis->template = relay_template_ref (self->template);
  analysis->import = g_object_ref (self->import);
  list = self->pricing != NULL ? relay_pricing_get_list (self->pricing) : NULL;
  analysis->list = list != NULL ? relay_price_list_ref (list) : NULL;

  task = g_task_new (self, self->cancellable, analyze_cb, GUINT_TO_POINTER (self->analysis_serial));
  g_task_set_source_tag (task, analyze_now);
  g_task_set_task_data (task, analysis, (GDestroyNotify) analysis_free);
  g_task_run_in_thread (task, analyze_thread);

  if (self->model != NULL)
    relay_bulk_model_set_problems (self->model, NULL, 0);
  _relay_bulk_page_update_preview (self);
  _relay_bulk_page_update_actions (self);
  /* analyze_cb shows a new list. */
  return G_SOURCE_REMOVE;

out:
  if (self->model != NULL)
    relay_bulk_model_set_problems (self->model, NULL, 0);
  _relay_bulk_page_update_preview (self);
  _relay_bulk_page_update_actions (self);
  _relay_bulk_page_show_list (self);

  return G_SOURCE_REMOVE;
}

/**
 * _relay_bulk_page_analyze_at_once:
 *
 * Reads the template again and checks every row with it now (a new
 * list).
 */
void
_relay_bulk_page_analyze_at_once (RelayBulkPage *self)
{
  g_clear_handle_id (&self->analysis_id, g_source_remove);
  analyze_now (self);
}

/**
 * _relay_bulk_page_analyze:
 *
 * Reads the template again and checks every row with it, soon.
 */
void
_relay_bulk_page_analyze (RelayBulkPage *self)
{
  g_clear_handle_id (&self->analysis_id, g_source_remove);
  /* While a new list shows, at once; while typing, after a pause. */
  if (self->template == NULL && self->import != NULL)
    analyze_now (self);
  else
    self->analysis_id = g_timeout_add (ANALYZE_DELAY_MS, analyze_now, self);
  _relay_bulk_page_update_actions (self);
}

static void
template_changed_cb (RelayBulkPage *self)
{
  g_clear_handle_id (&self->analysis_id, g_source_remove);
  self->analysis_id = g_timeout_add (ANALYZE_DELAY_MS, analyze_now, self);
  _relay_bulk_page_update_actions (self);
  _relay_bulk_page_update_preview (self);
}

void
_relay_bulk_page_template_init (RelayBulkPage *self)
{
  g_signal_connect_object (gtk_text_view_get_buffer (self->template_view), "changed",
                           G_CALLBACK (template_changed_cb), self, G_CONNECT_SWAPPED);
}

/**
 * _relay_bulk_page_update_preview:
 *
 * Shows the message of the row the spin button names, as it will be
 * sent: text, encoding, parts and cost.
 */
void
_relay_bulk_page_update_preview (RelayBulkPage *self)
{
  g_autoptr(RelayTemplate) template = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GString) info = NULL;
  RelayTemplatePreview preview = { 0 };
  RelayPriceList *list;
  guint row;

  if (self->import == NULL || relay_import_get_n_rows (self->import) == 0)
    {
      gtk_label_set_label (self->preview_label, "");
      gtk_label_set_label (self->preview_info, "");
      return;
    }

  row = (guint) gtk_spin_button_get_value_as_int (self->preview_spin);
  row = CLAMP (row, 1, relay_import_get_n_rows (self->import)) - 1;

  /* The preview follows every keystroke; the whole list waits. */
  text = buffer_text (self->template_view);
  template = relay_template_parse (text, NULL);
  if (template == NULL)
    {
      gtk_label_set_label (self->preview_label, text);
      gtk_label_set_label (self->preview_info, "");
      return;
    }

  relay_template_preview (template, self->import, row, &preview);
  gtk_label_set_label (self->preview_label, preview.text);

  info = g_string_new (NULL);
  /* Translators: "To 447700900001 (line 3)" */
  g_string_append_printf (info, _("To %s (line %u)"), relay_import_get_number (self->import, row),
                          relay_import_get_line (self->import, row));
  g_string_append (info, " · ");
  g_string_append (info, preview.info.encoding == RELAY_SMS_ENCODING_UCS2 ? "UCS-2" : "GSM-7");
  g_string_append (info, " · ");
  g_string_append_printf (info, ngettext ("%u character", "%u characters", preview.info.characters),
                          preview.info.characters);
  g_string_append (info, " · ");
  g_string_append_printf (info, ngettext ("%u part", "%u parts", MAX (preview.info.parts, 1)),
                          MAX (preview.info.parts, 1));

  list = self->pricing != NULL ? relay_pricing_get_list (self->pricing) : NULL;
  if (list != NULL)
    {
      const char *to = relay_import_get_number (self->import, row);
      g_autoptr(RelayPriceEstimate) estimate = relay_price_estimate_new (list, &to, 1, MAX (preview.info.parts, 1), FALSE);

      g_string_append (info, " · ");
      if (estimate->n_unknown > 0)
        g_string_append (info, _("price not known"));
      else
        {
          g_autofree char *span = relay_amount_format_span (estimate->min, estimate->max,
                                                 relay_price_list_get_currency (list), FALSE);

          /* Translators: the cost of one message, "about 0.0333 EUR" */
          g_string_append_printf (info, _("about %s"), span);
        }
    }

  if (preview.problem.kind != RELAY_TEMPLATE_PROBLEM_NONE)
    {
      /* The sentence has one "%s" for the placeholder's name. */
      g_auto(GStrv) halves = g_strsplit (relay_template_problem_to_string (preview.problem.kind), "%s", 2);

      g_string_append (info, " · ");
      g_string_append (info, halves[0]);
      if (halves[1] != NULL)
        {
          g_string_append (info, preview.problem.placeholder != NULL ? preview.problem.placeholder : "");
          g_string_append (info, halves[1]);
        }
      gtk_widget_add_css_class (GTK_WIDGET (self->preview_info), "warning");
    }
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->preview_info), "warning");

  gtk_label_set_label (self->preview_info, info->str);
  relay_template_preview_clear (&preview);
}

/* The Insert Column menu: one item per column of the list. */
void
_relay_bulk_page_update_columns (RelayBulkPage *self)
{
  g_menu_remove_all (self->insert_menu);
  if (self->import == NULL)
    return;

  for (guint i = 0; i < relay_import_get_n_columns (self->import); i++)
    {
      const char *name = relay_import_get_column_name (self->import, i);
      g_autoptr(GMenuItem) item = g_menu_item_new (name, NULL);

      g_menu_item_set_action_and_target_value (item, "bulk.insert-column", g_variant_new_string (name));
      g_menu_append_item (self->insert_menu, item);
    }
}

void
_relay_bulk_page_insert_column (RelayBulkPage *self,
                                const char    *name)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->template_view);
  g_autofree char *placeholder = g_strdup_printf ("{%s}", name);

  gtk_text_buffer_insert_at_cursor (buffer, placeholder, -1);
  gtk_widget_grab_focus (GTK_WIDGET (self->template_view));
}
