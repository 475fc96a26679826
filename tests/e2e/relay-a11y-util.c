/* relay-a11y-util.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The accessibility walk of tests/ui/test-a11y.c: which interactive
 * widgets lack an accessible name, what Tab reaches, and renderings to
 * compare styles.
 */

#define G_LOG_DOMAIN "Relay"

#include <string.h>

#include "relay-a11y-util.h"
#include "relay-test-util.h"

/* Widgets a person operates. Their insides (the GtkText of an entry, the
 * toggle of a drop-down) are covered by the outer widget's name. */
static gboolean
is_interactive (GtkWidget *widget)
{
  if (GTK_IS_TEXT_VIEW (widget))
    return gtk_text_view_get_editable (GTK_TEXT_VIEW (widget));

  return GTK_IS_BUTTON (widget) ||         /* toggle, link, … */
         GTK_IS_MENU_BUTTON (widget) ||
         GTK_IS_CHECK_BUTTON (widget) ||
         GTK_IS_SWITCH (widget) ||
         GTK_IS_ENTRY (widget) ||
         GTK_IS_PASSWORD_ENTRY (widget) ||
         GTK_IS_SEARCH_ENTRY (widget) ||
         GTK_IS_SPIN_BUTTON (widget) ||
         GTK_IS_TEXT (widget) ||
         GTK_IS_DROP_DOWN (widget) ||
         GTK_IS_SCALE (widget) ||
         ADW_IS_SPLIT_BUTTON (widget) ||
         ADW_IS_COMBO_ROW (widget) ||
         ADW_IS_ENTRY_ROW (widget);
}

static gboolean
has_text (const char *text)
{
  return text != NULL && *text != '\0';
}

/* a visible, non-empty GtkLabel (or button content) inside @widget */
static gboolean
has_visible_label (GtkWidget *widget)
{
  if (!gtk_widget_get_visible (widget))
    return FALSE;
  if (GTK_IS_LABEL (widget))
    return has_text (gtk_label_get_text (GTK_LABEL (widget)));
  if (ADW_IS_BUTTON_CONTENT (widget))
    return has_text (adw_button_content_get_label (ADW_BUTTON_CONTENT (widget)));

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_visible_label (child))
      return TRUE;

  return FALSE;
}

/* @widget is the activatable widget of a titled AdwActionRow around it */
static gboolean
named_by_row (GtkWidget *widget)
{
  GtkWidget *row = gtk_widget_get_ancestor (widget, ADW_TYPE_ACTION_ROW);

  return row != NULL &&
         adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row)) == widget &&
         has_text (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
}

static void
collect_labels (GtkWidget *widget,
                GPtrArray *labels)
{
  if (GTK_IS_LABEL (widget) && has_text (gtk_label_get_text (GTK_LABEL (widget))))
    g_ptr_array_add (labels, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, labels);
}

/* GTK 4.8 has no getter for relations, and GtkButton points labelled-by at
 * its GtkImage for icon buttons, so "has the relation" is not enough: the
 * relation must name a label with text in the same window. */
static gboolean
labelled_by_text (GtkWidget *widget)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  GtkAccessible *accessible = GTK_ACCESSIBLE (widget);

  if (!gtk_test_accessible_has_relation (accessible, GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return FALSE;

  collect_labels (GTK_WIDGET (gtk_widget_get_root (widget)), labels);
  for (guint i = 0; i < labels->len; i++)
    {
      g_autofree char *differs = gtk_test_accessible_check_relation (accessible,
                                                                    GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                                                    labels->pdata[i], NULL);
      if (differs == NULL)
        return TRUE;
    }

  return FALSE;
}

static gboolean
has_accessible_name (GtkWidget *widget)
{
  GtkAccessible *accessible = GTK_ACCESSIBLE (widget);

  if (labelled_by_text (widget))
    return TRUE;

  if (gtk_test_accessible_has_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL))
    {
      /* set, and not to "" (check_property returns a message when it differs) */
      g_autofree char *differs = gtk_test_accessible_check_property (accessible,
                                                                    GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                                    "");
      if (differs != NULL)
        return TRUE;
    }

  if (has_text (gtk_widget_get_tooltip_text (widget)))
    return TRUE;

  if (ADW_IS_PREFERENCES_ROW (widget))
    return has_text (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)));

  if (GTK_IS_SWITCH (widget) || GTK_IS_DROP_DOWN (widget) || GTK_IS_SCALE (widget) ||
      GTK_IS_SPIN_BUTTON (widget) || GTK_IS_ENTRY (widget) || GTK_IS_PASSWORD_ENTRY (widget) ||
      GTK_IS_SEARCH_ENTRY (widget) || GTK_IS_TEXT (widget) || GTK_IS_TEXT_VIEW (widget))
    return named_by_row (widget);  /* no text of their own: a placeholder is no name */

  return has_visible_label (widget) || named_by_row (widget);
}

static void
describe (GString   *out,
          GtkWidget *widget)
{
  const char *id = GTK_IS_BUILDABLE (widget) ? gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)) : NULL;
  const char *name = gtk_widget_get_name (widget);
  GtkWidget *row;

  g_string_append (out, G_OBJECT_TYPE_NAME (widget));
  if (has_text (id))
    g_string_append_printf (out, " #%s", id);
  if (has_text (name) && g_strcmp0 (name, G_OBJECT_TYPE_NAME (widget)) != 0)
    g_string_append_printf (out, " %s", name);
  if (GTK_IS_BUTTON (widget) && has_text (gtk_button_get_icon_name (GTK_BUTTON (widget))))
    g_string_append_printf (out, " icon=%s", gtk_button_get_icon_name (GTK_BUTTON (widget)));
  if (gtk_widget_get_parent (widget) != NULL)
    g_string_append_printf (out, " (in %s)", G_OBJECT_TYPE_NAME (gtk_widget_get_parent (widget)));
  row = gtk_widget_get_ancestor (widget, ADW_TYPE_PREFERENCES_ROW);
  if (row != NULL)
    g_string_append_printf (out, " in row \"%s\"",
                            adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
  g_string_append_c (out, '\n');
}

typedef void (*VisitFunc) (GtkWidget *widget,
                           gpointer   data);

/* Parts of libadwaita 1.2 itself that the app cannot name: the close
 * button of a toast has neither a tooltip nor a label there (later
 * releases add one). */
static gboolean
is_library_internal (GtkWidget *widget)
{
  return g_strcmp0 (G_OBJECT_TYPE_NAME (widget), "AdwToastWidget") == 0;
}

/* every mapped interactive widget, not descending into one */
static void
visit_interactive (GtkWidget *widget,
                   VisitFunc  func,
                   gpointer   data)
{
  if (!gtk_widget_get_mapped (widget) || is_library_internal (widget))
    return;

  if (is_interactive (widget))
    {
      func (widget, data);
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    visit_interactive (child, func, data);
}

static void
check_name (GtkWidget *widget,
            gpointer   data)
{
  if (!has_accessible_name (widget))
    describe (data, widget);
}

/* One line per interactive widget on screen without an accessible name. */
char *
relay_a11y_find_unnamed (GtkWidget *root)
{
  GString *out = g_string_new (NULL);

  visit_interactive (root, check_name, out);

  return g_string_free (out, FALSE);
}

guint
relay_a11y_count_lines (const char *text)
{
  guint lines = 0;

  for (const char *p = strchr (text, '\n'); p != NULL; p = strchr (p + 1, '\n'))
    lines++;

  return lines;
}

gboolean
relay_a11y_tab_reaches (GPtrArray *focused,
                        GtkWidget *widget)
{
  for (guint i = 0; i < focused->len; i++)
    {
      GtkWidget *focus = g_ptr_array_index (focused, i);

      if (focus == widget || gtk_widget_is_ancestor (focus, widget))
        return TRUE;
    }

  return FALSE;
}

typedef struct
{
  GPtrArray *focused;
  GString   *out;
} Reach;

static void
check_reached (GtkWidget *widget,
               gpointer   data)
{
  Reach *reach = data;

  /* the title bar's minimize/maximize/close buttons are not in the Tab
   * chain by GTK's design; the keyboard has Alt+F4 and Ctrl+Q for them */
  if (gtk_widget_get_ancestor (widget, GTK_TYPE_WINDOW_CONTROLS) != NULL)
    return;

  /* In a list view Tab reaches one row and the arrow keys the others
   * (a virtualised list of thousands of rows is one Tab stop). */
  if (gtk_widget_get_ancestor (widget, GTK_TYPE_LIST_VIEW) != NULL &&
      relay_a11y_tab_reaches (reach->focused, gtk_widget_get_ancestor (widget, GTK_TYPE_LIST_VIEW)))
    return;

  if (gtk_widget_is_sensitive (widget) && !relay_a11y_tab_reaches (reach->focused, widget))
    describe (reach->out, widget);
}

/* Moves the focus with Tab (gtk_widget_child_focus, as GtkWindow does)
 * round the whole window. Returns: (transfer container): the widgets
 * focused, in order */
GPtrArray *
relay_a11y_tab_walk (GtkWidget *window)
{
  GPtrArray *focused = g_ptr_array_new ();
  GtkWidget *first = NULL;

  gtk_window_set_focus (GTK_WINDOW (window), NULL);

  for (guint step = 0; step < 300; step++)
    {
      GtkWidget *focus;

      if (!gtk_widget_child_focus (window, GTK_DIR_TAB_FORWARD))
        {
          /* past the last widget: GtkWindow wraps around */
          gtk_window_set_focus (GTK_WINDOW (window), NULL);
          if (!gtk_widget_child_focus (window, GTK_DIR_TAB_FORWARD))
            break;
        }

      focus = gtk_root_get_focus (GTK_ROOT (window));
      if (focus == NULL || focus == first)
        break;
      if (first == NULL)
        first = focus;
      g_ptr_array_add (focused, focus);
    }

  return focused;
}

/* The sensitive interactive widgets on screen that Tab never reaches. */
char *
relay_a11y_find_unreachable (GtkWidget *window)
{
  g_autoptr(GPtrArray) focused = relay_a11y_tab_walk (window);
  Reach reach = { focused, g_string_new (NULL) };

  visit_interactive (window, check_reached, &reach);

  return g_string_free (reach.out, FALSE);
}

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

void
relay_a11y_iterate_until (GSourceFunc check,
                          gpointer    data,
                          guint       timeout_ms)
{
  /* Sleeps in the main loop, woken by events or the deadline. */
  relay_test_wait_until (check, data, timeout_ms);
}

/* Runs the main loop until every shown window has finished its
 * transitions (an expander opening, a page changing) and painted the
 * result: layout, style changes, frames. (Not "until idle": a spinner
 * never lets it be idle.) */
void
relay_a11y_settle (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (gtk_widget_get_mapped (window))
        relay_test_wait_transitions (window);
    }
}

void
relay_a11y_wait_mapped (GtkWidget *widget)
{
  relay_a11y_iterate_until (is_mapped, widget, 10000);
  g_assert_true (gtk_widget_get_mapped (widget));
  relay_a11y_settle ();
}

/* Renders @widget as it is on screen now. */
GdkTexture *
relay_a11y_snapshot (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

/* Saves @texture as build/tests/screenshots/@name.png */
void
relay_a11y_save (GdkTexture *texture,
                 const char *name)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "screenshots", NULL);
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("saved %s", path);
}

/* Mean relative luminance, 0 (black) to 1 (white). */
double
relay_a11y_luminance (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  gsize stride = (gsize) width * 4;
  g_autofree guchar *data = g_malloc (stride * height);
  double sum = 0;

  /* CAIRO_FORMAT_ARGB32: B, G, R, A in memory on little-endian */
  gdk_texture_download (texture, data, stride);
  for (gsize i = 0; i < stride * height; i += 4)
    {
      guint32 pixel = *(guint32 *) (data + i);
      double r = ((pixel >> 16) & 0xff) / 255.0;
      double g = ((pixel >> 8) & 0xff) / 255.0;
      double b = (pixel & 0xff) / 255.0;

      sum += 0.2126 * r + 0.7152 * g + 0.0722 * b;
    }

  return sum / ((double) width * height);
}

/* How many pixels differ between two same-sized renderings. */
guint
relay_a11y_count_differences (GdkTexture *a,
                              GdkTexture *b)
{
  int width = gdk_texture_get_width (a);
  int height = gdk_texture_get_height (a);
  gsize stride = (gsize) width * 4;
  g_autofree guchar *da = NULL;
  g_autofree guchar *db = NULL;
  guint count = 0;

  if (width != gdk_texture_get_width (b) || height != gdk_texture_get_height (b))
    return G_MAXUINT;

  da = g_malloc (stride * height);
  db = g_malloc (stride * height);
  gdk_texture_download (a, da, stride);
  gdk_texture_download (b, db, stride);
  for (gsize i = 0; i < stride * height; i += 4)
    if (memcmp (da + i, db + i, 4) != 0)
      count++;

  return count;
}
