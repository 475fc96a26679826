/* test-a11y.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Accessibility walk of the real window (issue 5 item 5): on each page
 * (welcome, waiting, send, preferences) every interactive widget that is
 * on screen has an accessible name; the welcome page can be completed with
 * Tab alone; the send page survives the dark and high-contrast styles
 * (screenshots under the build folder).
 */

#define G_LOG_DOMAIN "Relay"

#include <adwaita.h>
#include <string.h>

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
  row = gtk_widget_get_ancestor (widget, ADW_TYPE_PREFERENCES_ROW);
  if (row != NULL)
    g_string_append_printf (out, " in row \"%s\"",
                            adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
  g_string_append_c (out, '\n');
}

typedef void (*VisitFunc) (GtkWidget *widget,
                           gpointer   data);

/* every mapped interactive widget, not descending into one */
static void
visit_interactive (GtkWidget *widget,
                   VisitFunc  func,
                   gpointer   data)
{
  if (!gtk_widget_get_mapped (widget))
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
static char *
relay_a11y_find_unnamed (GtkWidget *root)
{
  GString *out = g_string_new (NULL);

  visit_interactive (root, check_name, out);

  return g_string_free (out, FALSE);
}

static guint
relay_a11y_count_lines (const char *text)
{
  guint lines = 0;

  for (const char *p = strchr (text, '\n'); p != NULL; p = strchr (p + 1, '\n'))
    lines++;

  return lines;
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

  if (!gtk_widget_is_sensitive (widget))
    return;

  for (guint i = 0; i < reach->focused->len; i++)
    {
      GtkWidget *focus = g_ptr_array_index (reach->focused, i);

      if (focus == widget || gtk_widget_is_ancestor (focus, widget))
        return;
    }

  describe (reach->out, widget);
}

/* Moves the focus with Tab (gtk_widget_child_focus, as GtkWindow does)
 * round the whole window, and lists the sensitive interactive widgets on
 * screen that it never reached. */
static char *
relay_a11y_find_unreachable (GtkWidget *window)
{
  g_autoptr(GPtrArray) focused = g_ptr_array_new ();
  Reach reach = { focused, g_string_new (NULL) };
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

  visit_interactive (window, check_reached, &reach);

  return g_string_free (reach.out, FALSE);
}

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static void
iterate_until (GSourceFunc check,
               gpointer    data,
               guint       timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * 1000;

  while (!check (data) && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (5000);
}

static void
relay_a11y_wait_mapped (GtkWidget *widget)
{
  iterate_until (is_mapped, widget, 10000);
  g_assert_true (gtk_widget_get_mapped (widget));
  /* let layout and the first frame settle */
  for (guint i = 0; i < 20; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (5000);
    }
}

/* Renders @widget as it is on screen now. */
static GdkTexture *
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
static void
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
static double
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
static guint
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

static void
settle (void)
{
  for (guint i = 0; i < 30; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (10000);
    }
}

/* The walker must be able to fail: a window with one unnamed icon button
 * and named widgets of every kind it accepts. */
static void
test_walker_catches_unnamed (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *label = gtk_label_new ("Recipient");
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *bad = gtk_button_new_from_icon_name ("edit-copy-symbolic");
  GtkWidget *tooltip = gtk_button_new_from_icon_name ("edit-copy-symbolic");
  GtkWidget *aria = gtk_button_new_from_icon_name ("edit-copy-symbolic");
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *row_switch = gtk_switch_new ();
  GtkWidget *lone_switch = gtk_switch_new ();
  GtkWidget *entry_row = adw_entry_row_new ();
  g_autofree char *offenders = NULL;

  gtk_widget_set_name (bad, "unnamed-copy");
  gtk_widget_set_tooltip_text (tooltip, "Copy link");
  gtk_accessible_update_property (GTK_ACCESSIBLE (aria), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  "Copy link", -1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  label, NULL, -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), "Use GET");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), row_switch);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), row_switch);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry_row), "Consumer key");
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  gtk_list_box_append (GTK_LIST_BOX (list), entry_row);

  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), gtk_button_new_with_label ("Sign in"));
  gtk_box_append (GTK_BOX (box), gtk_check_button_new_with_label ("Unicode"));
  gtk_box_append (GTK_BOX (box), bad);
  gtk_box_append (GTK_BOX (box), tooltip);
  gtk_box_append (GTK_BOX (box), aria);
  gtk_box_append (GTK_BOX (box), list);
  gtk_box_append (GTK_BOX (box), lone_switch);
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
  relay_a11y_wait_mapped (window);

  offenders = relay_a11y_find_unnamed (window);
  g_test_message ("offenders: %s", offenders);
  g_assert_nonnull (strstr (offenders, "GtkButton unnamed-copy"));
  g_assert_nonnull (strstr (offenders, "GtkSwitch"));
  /* exactly the two: the icon button and the switch outside a row */
  g_assert_cmpuint (relay_a11y_count_lines (offenders), ==, 2);

  /* Tab reaches everything but nothing hidden */
  g_clear_pointer (&offenders, g_free);
  offenders = relay_a11y_find_unreachable (window);
  g_assert_cmpstr (offenders, ==, "");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Dark and high contrast reach the widgets: renderings of a sample window
 * change the way they should. */
static void
test_styles_apply (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  g_autoptr(GSettings) a11y = NULL;
  g_autoptr(GdkTexture) light = NULL;
  g_autoptr(GdkTexture) dark = NULL;
  g_autoptr(GdkTexture) contrast = NULL;

  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), gtk_button_new_with_label ("Send"));
  gtk_box_append (GTK_BOX (box), gtk_entry_new ());
  adw_window_set_content (ADW_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 320, 200);
  gtk_window_present (GTK_WINDOW (window));
  relay_a11y_wait_mapped (window);

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  settle ();
  light = relay_a11y_snapshot (window);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  settle ();
  g_assert_true (adw_style_manager_get_dark (style));
  dark = relay_a11y_snapshot (window);
  g_test_message ("luminance light %.2f dark %.2f",
                  relay_a11y_luminance (light), relay_a11y_luminance (dark));
  g_assert_cmpfloat (relay_a11y_luminance (dark), <, 0.4);
  g_assert_cmpfloat (relay_a11y_luminance (light), >, 0.6);

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  a11y = g_settings_new ("org.gnome.desktop.a11y.interface");
  g_settings_set_boolean (a11y, "high-contrast", TRUE);
  settle ();
  g_assert_true (adw_style_manager_get_high_contrast (style));
  contrast = relay_a11y_snapshot (window);
  g_assert_cmpuint (relay_a11y_count_differences (light, contrast), >, 0);
  relay_a11y_save (contrast, "a11y-sample-high-contrast");

  g_settings_set_boolean (a11y, "high-contrast", FALSE);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  settle ();
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  /* follow the GSettings a11y keys, not the host's portal */
  g_setenv ("ADW_DISABLE_PORTAL", "1", TRUE);
  /* GTK's test accessibility backend keeps every property and relation
   * (GTK_A11Y=none, as the other ui tests use, keeps none) */
  g_setenv ("GTK_A11Y", "test", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/relay/a11y/walker-catches-unnamed", test_walker_catches_unnamed);
  g_test_add_func ("/relay/a11y/styles-apply", test_styles_apply);

  return g_test_run ();
}
