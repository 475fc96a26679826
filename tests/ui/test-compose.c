/* test-compose.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The send page's To field and counter under a real display (issue 10,
 * items 7 and 8): a number never wraps across lines at 360 px, every
 * invalid number is named and the field gets the error style (and the
 * invalid state for assistive technologies), a column pasted from a
 * spreadsheet through the real clipboard is read, the first line is
 * whole when the field scrolls, and the counter's sentences. Each state
 * is saved as a screenshot at 360 and 1280 px, light and dark.
 */

#include <adwaita.h>
#include <string.h>

#include "relay-send-page.h"
#include "../relay-test-env.h"
#include "relay-test-util.h"

typedef struct
{
  GtkWidget   *window;
  GtkWidget   *page;
  GtkTextView *to_view;
} Fixture;

/* Numbers of several lengths and groupings, as people write them. */
static const char *const numbers[] = {
  "+44 7700 900123", "+49 151 23456789", "+1 555 010 0199", "+33 6 12 34 56 78",
  "447700900124", "+44 7700-900-125", "+81 90 1234 5678", "+353 85 123 4567",
};

/* screenshots */

/* The window at @width px (and 900 high when it has to be resized). */
static void
resize (Fixture *f,
        int      width)
{
  relay_test_set_width (f->window, width, 900);
  relay_test_wait_for_frames (f->window);
}

/* BASE-WIDTH-SCHEME.png under the build folder's screenshots/. */
static void
shoot (Fixture    *f,
       const char *base)
{
  relay_test_screenshot_widths (f->window, base, 900);
}

/* fixture */

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->window = g_object_ref (adw_window_new ());
  f->page = g_object_new (RELAY_TYPE_SEND_PAGE, NULL);
  adw_window_set_content (ADW_WINDOW (f->window), f->page);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 900);
  gtk_window_present (GTK_WINDOW (f->window));
  relay_test_wait_shown (f->window);
  f->to_view = GTK_TEXT_VIEW (relay_test_need_widget (f->page, "to"));
  /* A valid sender, so that only the To field and the counter speak. */
  relay_test_set_text (f->page, "from", "Relay");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->window);
  relay_test_drain ();
}

static char *
many_numbers (guint       count,
              const char *separator)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < count; i++)
    {
      if (i > 0)
        g_string_append (text, separator);
      g_string_append (text, numbers[i % G_N_ELEMENTS (numbers)]);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static int
iter_y (GtkTextView       *view,
        const GtkTextIter *iter)
{
  GdkRectangle rect;

  gtk_text_view_get_iter_location (view, iter, &rect);
  return rect.y;
}

/* Each number's first and last character lie on the same display line;
 * returns the display lines the text takes. */
static guint
assert_numbers_whole (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  g_autoptr(GHashTable) rows = g_hash_table_new (NULL, NULL);
  GtkTextIter start, end, match_start, match_end;
  guint checked = 0;

  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      gtk_text_buffer_get_start_iter (buffer, &start);
      while (gtk_text_iter_forward_search (&start, numbers[i], 0, &match_start, &match_end, NULL))
        {
          GtkTextIter last = match_end;

          gtk_text_iter_backward_char (&last);
          if (iter_y (view, &match_start) != iter_y (view, &last))
            g_error ("“%s” at offset %d is broken across lines (y %d and %d)", numbers[i],
                     gtk_text_iter_get_offset (&match_start),
                     iter_y (view, &match_start), iter_y (view, &last));
          g_hash_table_add (rows, GINT_TO_POINTER (iter_y (view, &match_start) + 1));
          checked++;
          start = match_end;
        }
    }

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  g_assert_cmpuint (checked, >, 0);

  return g_hash_table_size (rows);
}

/* A number never breaks across lines at 360 px, separated by commas
 * (many per line) or by semicolons without spaces. */
static void
test_wrap (Fixture       *f,
           gconstpointer  data)
{
  const char *separators[] = { ", ", ",", "; ", " , " };

  resize (f, 360);
  /* The field is narrow: a line holds two or three numbers. */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->to_view)), <, 360);

  for (guint i = 0; i < G_N_ELEMENTS (separators); i++)
    for (guint count = 3; count <= 24; count += 7)
      {
        g_autofree char *text = many_numbers (count, separators[i]);
        guint rows;

        relay_test_set_text (f->page, "to", text);
        relay_test_wait_for_frames (f->window);
        rows = assert_numbers_whole (f->to_view);
        /* The text did wrap: the check measured something. */
        g_assert_cmpuint (rows, >, 1);
      }

  /* Typed key by key, then edited in the middle: each edit marks its
   * own line again, and the numbers stay whole. */
  {
    g_autofree char *text = many_numbers (12, ", ");
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (f->to_view);
    GtkTextIter start, end;

    relay_test_set_text (f->page, "to", "");
    for (const char *p = text; *p != '\0'; p++)
      gtk_text_buffer_insert_at_cursor (buffer, p, 1);
    relay_test_wait_for_frames (f->window);
    g_assert_cmpuint (assert_numbers_whole (f->to_view), >, 1);

    /* Delete the first number and its comma: every number moves. */
    gtk_text_buffer_get_iter_at_offset (buffer, &start, 0);
    gtk_text_buffer_get_iter_at_offset (buffer, &end, strlen (numbers[0]) + 2);
    gtk_text_buffer_delete (buffer, &start, &end);
    relay_test_wait_for_frames (f->window);
    assert_numbers_whole (f->to_view);
  }

  /* Something too long to be a number still wraps, inside the field. */
  {
    g_autofree char *digits = g_strnfill (80, '7');
    GdkRectangle rect;
    GtkTextIter end;

    relay_test_set_text (f->page, "to", digits);
    relay_test_wait_for_frames (f->window);
    gtk_text_buffer_get_end_iter (gtk_text_view_get_buffer (f->to_view), &end);
    gtk_text_view_get_iter_location (f->to_view, &end, &rect);
    g_assert_cmpint (rect.y, >, 0);
    g_assert_cmpint (rect.x, <, gtk_widget_get_width (GTK_WIDGET (f->to_view)));
  }

  {
    g_autofree char *text = many_numbers (24, ", ");

    relay_test_set_text (f->page, "to", text);
    shoot (f, "compose-to-many");
    resize (f, 360);
    assert_numbers_whole (f->to_view);
  }
}

static gboolean
has_invalid_state (GtkWidget *widget)
{
  return gtk_test_accessible_has_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_INVALID);
}

static void
assert_error_style (Fixture  *f,
                    gboolean  error)
{
  GtkWidget *view = GTK_WIDGET (f->to_view);
  GtkWidget *card = gtk_widget_get_parent (view);
  GtkWidget *hint = relay_test_need_widget (f->page, "to-hint");
  GtkWidget *label = gtk_widget_get_prev_sibling (card);

  g_assert_true (GTK_IS_SCROLLED_WINDOW (card));
  g_assert_true (GTK_IS_LABEL (label));
  g_assert_cmpint (gtk_widget_has_css_class (card, "error"), ==, error);
  g_assert_cmpint (gtk_widget_has_css_class (view, "error"), ==, error);
  g_assert_cmpint (gtk_widget_has_css_class (label, "error"), ==, error);
  g_assert_cmpint (gtk_widget_has_css_class (hint, "error"), ==, error);
  g_assert_cmpint (has_invalid_state (view), ==, error);
  if (error)
    gtk_test_accessible_assert_state (view, GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE);
  /* The field is described by its hint, which holds the sentence. */
  gtk_test_accessible_assert_relation (view, GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, hint, NULL);
}

/* Every invalid number is named, with its line, and the field looks
 * like From does with a bad sender: red text, title and hint. */
static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  GtkWidget *from = relay_test_need_widget (f->page, "from");
  g_autofree char *many = NULL;

  assert_error_style (f, FALSE);

  relay_test_set_text (f->page, "to", "+44 7700 900123\n12ab\n+49 151 23456789\n\n+\n");
  g_assert_cmpstr (relay_test_get_label (f->page, "to-hint"), ==,
                   "2 numbers are not valid: “12ab” (line 2), “+” (line 5). "
                   "Use 7 to 15 digits with the country code.");
  assert_error_style (f, TRUE);

  /* From with a bad sender has the same class on its row, and the
   * same colour as the To field's numbers. */
  relay_test_set_text (f->page, "from", "Relay Sender!");
  g_assert_true (gtk_widget_has_css_class (from, "error"));
  {
    GdkRGBA from_color, to_color;

    relay_test_wait_for_frames (f->window);
    gtk_style_context_get_color (gtk_widget_get_style_context (from), &from_color);
    gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (f->to_view)), &to_color);
    g_assert_true (gdk_rgba_equal (&from_color, &to_color));
  }
  relay_test_set_text (f->page, "from", "Relay");
  g_assert_false (gtk_widget_has_css_class (from, "error"));

  shoot (f, "compose-to-errors");

  /* Many mistakes: the first five, then how many more. */
  many = many_numbers (6, "\nxx\n");
  relay_test_set_text (f->page, "to", many);
  g_assert_cmpstr (relay_test_get_label (f->page, "to-hint"), ==,
                   "5 numbers are not valid: “xx” (line 2), “xx” (line 4), “xx” (line 6), “xx” (line 8), "
                   "“xx” (line 10). Use 7 to 15 digits with the country code.");
  relay_test_set_text (f->page, "to", "1\n2\n3\n4\n5\n6\n7\n");
  g_assert_nonnull (strstr (relay_test_get_label (f->page, "to-hint"), "and 2 more"));
  shoot (f, "compose-to-many-errors");

  /* Fixed: the style and the invalid state go. */
  relay_test_set_text (f->page, "to", "+44 7700 900123\n+49 151 23456789");
  g_assert_cmpstr (relay_test_get_label (f->page, "to-hint"), ==,
                   "Numbers with country code, one per line or separated by commas, or a column pasted from a spreadsheet");
  assert_error_style (f, FALSE);
  {
    GdkRGBA from_color, to_color;

    relay_test_set_text (f->page, "from", "Relay Sender!");
    relay_test_wait_for_frames (f->window);
    gtk_style_context_get_color (gtk_widget_get_style_context (from), &from_color);
    gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (f->to_view)), &to_color);
    g_assert_false (gdk_rgba_equal (&from_color, &to_color));
    relay_test_set_text (f->page, "from", "Relay");
  }

  /* An empty field is not a mistake yet. */
  relay_test_set_text (f->page, "to", "");
  assert_error_style (f, FALSE);
}

static char *
to_text (Fixture *f)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (f->to_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gboolean
to_not_empty (gpointer data)
{
  Fixture *f = data;
  g_autofree char *text = to_text (f);

  return *text != '\0';
}

/* A column copied from a spreadsheet, through the real clipboard and the
 * text view's own paste: the heading skipped and said, CRLF, a quoted
 * cell, empty cells, a trailing tab. */
static void
test_paste (Fixture       *f,
            gconstpointer  data)
{
  /* The second number with the no-break spaces of a formatted cell. */
  const char *column = "Phone\r\n+44 7700 900001\r\n\"+44\u00A07700\u00A0900002\"\r\n\r\n447700900003\t\r\n";
  const char *row = "447700900004\t447700900005\t\t+44 7700 900006";
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (f->to_view));
  g_autofree char *pasted = NULL;

  gtk_widget_grab_focus (GTK_WIDGET (f->to_view));
  gdk_clipboard_set_text (clipboard, column);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->to_view), "clipboard.paste", NULL));
  relay_test_assert_wait (to_not_empty, f, 30000);
  relay_test_drain ();

  pasted = to_text (f);
  g_assert_cmpstr (pasted, ==, column);
  g_assert_cmpstr (relay_test_get_label (f->page, "to-hint"), ==,
                   "3 numbers; the column heading “Phone” was skipped.");
  assert_error_style (f, FALSE);
  shoot (f, "compose-to-pasted");

  /* A row, pasted with Ctrl+V's signal over a selection of everything. */
  {
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (f->to_view);
    GtkTextIter start, end;
    g_autofree char *text = NULL;

    relay_test_set_text (f->page, "to", "");
    gdk_clipboard_set_text (clipboard, row);
    g_signal_emit_by_name (f->to_view, "paste-clipboard");
    relay_test_assert_wait (to_not_empty, f, 30000);
    relay_test_drain ();
    gtk_text_buffer_get_bounds (buffer, &start, &end);
    text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    g_assert_cmpstr (text, ==, row);
    g_assert_cmpstr (relay_test_get_label (f->page, "to-hint"), ==,
                     "Numbers with country code, one per line or separated by commas, or a column pasted from a spreadsheet");
    assert_error_style (f, FALSE);
  }
}

/* The space a line keeps from the card's top and bottom edges. */
#define CARD_INSET 6

typedef struct
{
  Fixture *f;
  int      line;
} LineWait;

/* Whether @line is whole in the field: inside the text view (not cut by
 * its scrolling) and CARD_INSET or more inside the card's edges. */
static gboolean
line_whole (gpointer data)
{
  LineWait *wait = data;
  GtkTextView *view = wait->f->to_view;
  GtkWidget *card = gtk_widget_get_parent (GTK_WIDGET (view));
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (card));
  graphene_rect_t view_bounds, card_bounds;
  GdkRectangle rect;
  GtkTextIter iter;
  double top, bottom;

  gtk_text_buffer_get_iter_at_line (gtk_text_view_get_buffer (view), &iter, wait->line);
  gtk_text_view_get_iter_location (view, &iter, &rect);
  gtk_text_view_buffer_to_window_coords (view, GTK_TEXT_WINDOW_WIDGET, rect.x, rect.y, &rect.x, &rect.y);

  /* In the window's coordinates: the card's box includes its padding. */
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (view), root, &view_bounds));
  g_assert_true (gtk_widget_compute_bounds (card, root, &card_bounds));
  top = view_bounds.origin.y + rect.y;
  bottom = top + rect.height;

  if (g_getenv ("COMPOSE_DEBUG") != NULL)
    g_printerr ("line %d: %g..%g, view %g+%g, card %g+%g\n", wait->line, top, bottom,
                view_bounds.origin.y, view_bounds.size.height, card_bounds.origin.y, card_bounds.size.height);

  return rect.y >= 0 && rect.y + rect.height <= gtk_widget_get_height (GTK_WIDGET (view)) &&
         top - card_bounds.origin.y >= CARD_INSET &&
         card_bounds.origin.y + card_bounds.size.height - bottom >= CARD_INSET;
}

/* The field scrolls with many numbers; at either end the line with the
 * cursor is whole, clear of the card's edge, never cut by it. */
static void
test_scroll (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *text = many_numbers (20, "\n");
  GtkWidget *view = GTK_WIDGET (f->to_view);
  GtkAdjustment *vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));
  LineWait first = { f, 0 };
  LineWait last = { f, 19 };

  resize (f, 360);
  relay_test_set_text (f->page, "to", text);
  gtk_widget_grab_focus (view);

  /* Ctrl+End, where a paste leaves the cursor: the field scrolls. */
  g_signal_emit_by_name (view, "move-cursor", GTK_MOVEMENT_BUFFER_ENDS, 1, FALSE);
  relay_test_wait_for_frames (f->window);
  if (!relay_test_wait_until (line_whole, &last, 30000))
    g_error ("the last line is cut at the field's bottom");
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment), >, 0);
  g_assert_false (line_whole (&first));
  shoot (f, "compose-to-scrolled-end");

  /* Ctrl+Home: the first line comes back whole, with space above it. */
  resize (f, 360);
  g_signal_emit_by_name (view, "move-cursor", GTK_MOVEMENT_BUFFER_ENDS, -1, FALSE);
  relay_test_wait_for_frames (f->window);
  if (!relay_test_wait_until (line_whole, &first, 30000))
    g_error ("the first line is cut at the field's top");
  shoot (f, "compose-to-scrolled-top");
  g_assert_true (line_whole (&first));
}

/* The counter under the message, in words, with each state shot. */
static void
test_counter (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *long_gsm = g_strnfill (161, 'a');
  const struct { const char *text; const char *counter; const char *shot; } cases[] = {
    { "", "Up to 160 characters per message", "compose-counter-empty" },
    { "Meet at the station at 6, the blue door.", "40 of 160 characters · 1 message", "compose-counter-gsm" },
    { long_gsm, "161 of 306 characters · 2 messages", "compose-counter-parts" },
    { "See you there 😀", "16 of 70 characters · 1 message\n“😀” needs Unicode: 70 characters per message",
      "compose-counter-unicode" },
  };

  relay_test_set_text (f->page, "to", "+44 7700 900123");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      relay_test_set_text (f->page, "text", cases[i].text);
      g_assert_cmpstr (relay_test_get_label (f->page, "counter"), ==, cases[i].counter);
      shoot (f, cases[i].shot);
    }
}

int
main (int   argc,
      char *argv[])
{
  relay_test_require_display ();
  relay_test_private_data_home ();
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, NULL);
  adw_init ();
  relay_test_disable_animations ();

  /* What AdwApplication loads for the window: the page alone has no
   * application. */
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/io/github/relaysms/Relay/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

#define ADD(name, func) \
  g_test_add ("/relay/compose/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("wrap", test_wrap);
  ADD ("errors", test_errors);
  ADD ("paste", test_paste);
  ADD ("scroll", test_scroll);
  ADD ("counter", test_counter);

#undef ADD

  return g_test_run ();
}
