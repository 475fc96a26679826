/* relay-to-field.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include "relay-recipient-list.h"
#include "relay-to-field.h"

/* A run of digits, spaces, dashes and dots this long or shorter is kept
 * on one line; a longer one (not a number anyway) may wrap, so that it
 * never runs out of the field at 360 px. */
#define MAX_UNBROKEN_CHARS 32

/* Marks every number-like run ("+44 7700 900123") from @start to @end,
 * whole lines, as one that Pango may not break: the wrap mode breaks
 * lines between numbers, after their separators, and never at the
 * spaces inside one. Only the lines an edit touched are marked again, so
 * a keystroke in a long list costs one line. */
static void
tag_numbers (GtkTextBuffer *buffer,
             GtkTextIter   *start,
             GtkTextIter   *end)
{
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (buffer);
  GtkTextTag *tag = gtk_text_tag_table_lookup (table, RELAY_TO_FIELD_NUMBER_TAG);
  g_autofree gunichar *chars = NULL;
  g_autofree char *text = NULL;
  GtkTextIter run_start;
  glong n = 0;
  glong at = 0;

  gtk_text_iter_set_line_offset (start, 0);
  if (!gtk_text_iter_ends_line (end))
    gtk_text_iter_forward_to_line_end (end);
  gtk_text_buffer_remove_tag (buffer, tag, start, end);

  text = gtk_text_buffer_get_slice (buffer, start, end, TRUE);
  chars = g_utf8_to_ucs4_fast (text, -1, &n);
  run_start = *start;

  for (glong i = 0; i < n;)
    {
      glong last_digit = -1;
      glong j = i;

      if (chars[i] != '+' && !g_ascii_isdigit (chars[i]))
        {
          i++;
          continue;
        }

      for (j = i; j < n && (relay_recipient_is_number_char (chars[j]) || (j == i && chars[j] == '+')); j++)
        if (g_ascii_isdigit (chars[j]))
          last_digit = j;

      if (last_digit > i && last_digit - i < MAX_UNBROKEN_CHARS)
        {
          GtkTextIter run_end;

          /* Forward from the last run: no lookup from the buffer's start. */
          gtk_text_iter_forward_chars (&run_start, i - at);
          run_end = run_start;
          gtk_text_iter_forward_chars (&run_end, last_digit + 1 - i);
          gtk_text_buffer_apply_tag (buffer, tag, &run_start, &run_end);
          at = i;
        }

      i = MAX (j, i + 1);
    }
}

static void
inserted_cb (GtkTextBuffer *buffer,
             GtkTextIter   *location,
             const char    *text,
             int            length)
{
  GtkTextIter start = *location;
  GtkTextIter end = *location;

  gtk_text_iter_backward_chars (&start, g_utf8_strlen (text, length));
  tag_numbers (buffer, &start, &end);
}

static void
deleted_cb (GtkTextBuffer *buffer,
            GtkTextIter   *start,
            GtkTextIter   *end)
{
  GtkTextIter line_start = *start;
  GtkTextIter line_end = *start;

  tag_numbers (buffer, &line_start, &line_end);
}

/**
 * relay_to_field_setup:
 * @view: the To field
 *
 * Keeps each number of @view on one line, whatever the field's width.
 */
void
relay_to_field_setup (GtkTextView *view)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_if_fail (GTK_IS_TEXT_VIEW (view));

  buffer = gtk_text_view_get_buffer (view);
  gtk_text_buffer_create_tag (buffer, RELAY_TO_FIELD_NUMBER_TAG,
                              "allow-breaks", FALSE,
                              NULL);
  /* After the default handlers, when the text is in the buffer. */
  g_signal_connect_after (buffer, "insert-text", G_CALLBACK (inserted_cb), NULL);
  g_signal_connect_after (buffer, "delete-range", G_CALLBACK (deleted_cb), NULL);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  tag_numbers (buffer, &start, &end);
}

/**
 * relay_to_field_set_error:
 * @view: the To field
 * @label: the field's title
 * @error: whether the field holds something that is not a number
 *
 * Gives the field the error style of an entry row (red text, title and
 * focus ring) and tells assistive technologies that it is invalid; the
 * sentence itself is in the hint that describes the field.
 */
void
relay_to_field_set_error (GtkTextView *view,
                          GtkWidget   *label,
                          gboolean     error)
{
  GtkWidget *card = gtk_widget_get_ancestor (GTK_WIDGET (view), GTK_TYPE_SCROLLED_WINDOW);
  /* The card first: the view takes its text colour when its own class
   * changes, and by then the card's matches. */
  GtkWidget *widgets[] = { card, GTK_WIDGET (view), label };

  for (guint i = 0; i < G_N_ELEMENTS (widgets); i++)
    {
      if (widgets[i] == NULL)
        continue;
      if (error)
        gtk_widget_add_css_class (widgets[i], "error");
      else
        gtk_widget_remove_css_class (widgets[i], "error");
    }

  if (error)
    gtk_accessible_update_state (GTK_ACCESSIBLE (view),
                                 GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                 -1);
  else
    gtk_accessible_reset_state (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_STATE_INVALID);
}
