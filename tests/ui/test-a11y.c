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
#include <libsecret/secret.h>
#include <string.h>

#include "relay-application.h"
#include "relay-preferences-window.h"
#include "relay-welcome-page.h"
#include "relay-window.h"

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

static gboolean
tab_reaches (GPtrArray *focused,
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

  if (gtk_widget_is_sensitive (widget) && !tab_reaches (reach->focused, widget))
    describe (reach->out, widget);
}

/* Moves the focus with Tab (gtk_widget_child_focus, as GtkWindow does)
 * round the whole window. Returns: (transfer container): the widgets
 * focused, in order */
static GPtrArray *
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
static char *
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

static gboolean
never (gpointer data)
{
  return FALSE;
}

/* Runs the main loop for a while: layout, style changes, a frame or two.
 * (Not "until idle": a spinner never lets it be idle.) */
static void
settle (void)
{
  iterate_until (never, NULL, 300);
}

static void
relay_a11y_wait_mapped (GtkWidget *widget)
{
  iterate_until (is_mapped, widget, 10000);
  g_assert_true (gtk_widget_get_mapped (widget));
  settle ();
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

/* The real window. */

static RelayApplication *the_app;

static const SecretSchema credential_schema = {
  "io.github.relaysms.Relay.Credential", SECRET_SCHEMA_NONE, { { NULL, 0 } }
};

static void
clear_keyring (void)
{
  g_autoptr(GError) error = NULL;

  secret_password_clear_sync (&credential_schema, NULL, &error, NULL);
  g_assert_no_error (error);
}

static GtkWidget *
find_named (GtkWidget  *root,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
need_named (GtkWidget  *root,
            const char *name)
{
  GtkWidget *widget = find_named (root, name);

  if (widget == NULL)
    g_error ("no widget named “%s”", name);

  return widget;
}

static void
type_text (GtkWidget  *root,
           const char *name,
           const char *text)
{
  GtkWidget *widget = need_named (root, name);

  if (GTK_IS_TEXT_VIEW (widget))
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget)), text, -1);
  else
    gtk_editable_set_text (GTK_EDITABLE (widget), text);
}

typedef struct
{
  RelayWindow *window;
  const char  *page;
} PageWait;

static gboolean
on_page (gpointer data)
{
  PageWait *wait = data;

  return g_strcmp0 (relay_window_get_page (wait->window), wait->page) == 0;
}

static void
wait_page (RelayWindow *window,
           const char  *page)
{
  PageWait wait = { window, page };

  iterate_until (on_page, &wait, 20000);
  if (!on_page (&wait))
    g_error ("the window shows page “%s”, not “%s”", relay_window_get_page (window), page);
  settle ();
}

/* Fails the test (and goes on) listing the page's unnamed widgets. */
static void
assert_all_named (GtkWidget  *root,
                  const char *page)
{
  g_autofree char *offenders = relay_a11y_find_unnamed (root);

  if (*offenders != '\0')
    g_test_fail_printf ("interactive widgets without an accessible name on the %s page:\n%s",
                        page, offenders);
  else
    g_test_message ("%s: every interactive widget has a name", page);
}

static void
assert_all_reachable (GtkWidget  *root,
                      const char *page)
{
  g_autofree char *offenders = relay_a11y_find_unreachable (root);

  if (*offenders != '\0')
    g_test_fail_printf ("widgets Tab does not reach on the %s page:\n%s", page, offenders);
}

static void
assert_tab_reaches (GPtrArray  *focused,
                    GtkWidget  *root,
                    const char *name)
{
  if (!tab_reaches (focused, need_named (root, name)))
    g_test_fail_printf ("Tab does not reach “%s”", name);
}

static void
no_browser (RelayWindow *window,
            const char  *uri,
            gpointer     user_data)
{
}

static RelayWindow *
open_window (void)
{
  RelayWindow *window;

  clear_keyring ();
  g_application_activate (G_APPLICATION (the_app));
  window = RELAY_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (the_app)));
  g_assert_true (RELAY_IS_WINDOW (window));
  relay_window_set_uri_launcher (window, no_browser, NULL);
  relay_a11y_wait_mapped (GTK_WIDGET (window));
  wait_page (window, "welcome");

  return window;
}

static void
close_window (RelayWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  settle ();
  clear_keyring ();
}

/* Welcome (both kinds, Advanced open) and waiting: names and Tab. */
static void
test_welcome_waiting (void)
{
  RelayWindow *window = open_window ();
  GtkWidget *root = GTK_WIDGET (window);
  RelayWelcomePage *welcome = RELAY_WELCOME_PAGE (need_named (root, "welcome-page"));
  g_autoptr(GPtrArray) focused = NULL;

  assert_all_named (root, "welcome");

  /* keyboard only: Tab reaches every field and Sign in */
  focused = relay_a11y_tab_walk (root);
  g_test_message ("Tab visits %u widgets on the welcome page", focused->len);
  assert_tab_reaches (focused, root, "consumer-key");
  assert_tab_reaches (focused, root, "consumer-secret");
  assert_tab_reaches (focused, root, "sign-in-button");
  assert_all_reachable (root, "welcome");

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (need_named (root, "advanced")), TRUE);
  settle ();
  assert_all_named (root, "welcome (advanced)");
  g_clear_pointer (&focused, g_ptr_array_unref);
  focused = relay_a11y_tab_walk (root);
  assert_tab_reaches (focused, root, "oauth-base");
  assert_tab_reaches (focused, root, "rest-base");
  assert_all_reachable (root, "welcome (advanced)");

  relay_welcome_page_set_kind (welcome, RELAY_ACCOUNT_API_KEY);
  settle ();
  assert_all_named (root, "welcome (API key)");
  g_clear_pointer (&focused, g_ptr_array_unref);
  focused = relay_a11y_tab_walk (root);
  assert_tab_reaches (focused, root, "api-key");
  assert_tab_reaches (focused, root, "api-secret");
  assert_tab_reaches (focused, root, "sign-in-button");
  relay_welcome_page_set_kind (welcome, RELAY_ACCOUNT_OAUTH);
  settle ();

  /* Sign in (the sandbox's OAuth credentials are filled in) */
  relay_sandbox_server_set_auto_approve (relay_application_get_sandbox (the_app), FALSE);
  g_assert_true (gtk_widget_activate_action (root, "win.sign-in", NULL));
  wait_page (window, "waiting");
  assert_all_named (root, "waiting");
  assert_all_reachable (root, "waiting");
  g_assert_true (gtk_widget_activate_action (root, "win.cancel-sign-in", NULL));
  wait_page (window, "welcome");

  close_window (window);
}

static RelayWindow *
open_send_page (void)
{
  RelayWindow *window = open_window ();
  GtkWidget *root = GTK_WIDGET (window);

  relay_welcome_page_set_kind (RELAY_WELCOME_PAGE (need_named (root, "welcome-page")),
                               RELAY_ACCOUNT_API_KEY);
  g_assert_true (gtk_widget_activate_action (root, "win.sign-in", NULL));
  wait_page (window, "send");

  return window;
}

/* Send: names, Tab through the form, then dark and high contrast. */
static void
test_send (void)
{
  RelayWindow *window = open_send_page ();
  GtkWidget *root = GTK_WIDGET (window);
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autoptr(GSettings) a11y = g_settings_new ("org.gnome.desktop.a11y.interface");
  g_autoptr(GPtrArray) focused = NULL;
  g_autoptr(GdkTexture) light = NULL;
  g_autoptr(GdkTexture) dark = NULL;
  g_autoptr(GdkTexture) contrast = NULL;
  g_autoptr(GdkTexture) contrast_dark = NULL;

  type_text (root, "from", "Relay");
  type_text (root, "to", "447700900001");
  type_text (root, "text", "Hello");
  settle ();

  assert_all_named (root, "send");
  focused = relay_a11y_tab_walk (root);
  g_test_message ("Tab visits %u widgets on the send page", focused->len);
  assert_tab_reaches (focused, root, "from");
  assert_tab_reaches (focused, root, "to");
  assert_tab_reaches (focused, root, "text");
  assert_tab_reaches (focused, root, "send-button");
  assert_all_reachable (root, "send");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  settle ();
  light = relay_a11y_snapshot (root);

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  settle ();
  g_assert_true (adw_style_manager_get_dark (style));
  dark = relay_a11y_snapshot (root);
  relay_a11y_save (dark, "a11y-send-dark");
  g_test_message ("send page luminance: light %.2f, dark %.2f",
                  relay_a11y_luminance (light), relay_a11y_luminance (dark));
  g_assert_cmpfloat (relay_a11y_luminance (dark), <, 0.4);
  g_assert_cmpfloat (relay_a11y_luminance (light), >, 0.6);
  assert_all_named (root, "send (dark)");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_settings_set_boolean (a11y, "high-contrast", TRUE);
  settle ();
  g_assert_true (adw_style_manager_get_high_contrast (style));
  contrast = relay_a11y_snapshot (root);
  relay_a11y_save (contrast, "a11y-send-high-contrast");
  g_assert_cmpuint (relay_a11y_count_differences (light, contrast), >, 0);
  assert_all_named (root, "send (high contrast)");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  settle ();
  contrast_dark = relay_a11y_snapshot (root);
  relay_a11y_save (contrast_dark, "a11y-send-high-contrast-dark");
  g_assert_cmpfloat (relay_a11y_luminance (contrast_dark), <, 0.4);

  g_settings_reset (a11y, "high-contrast");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  settle ();

  close_window (window);
}

static GtkWidget *
find_preferences (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (RELAY_IS_PREFERENCES_WINDOW (window))
        return GTK_WIDGET (window);
    }

  return NULL;
}

static void
test_preferences (void)
{
  RelayWindow *window = open_window ();
  GtkWidget *preferences;

  g_action_group_activate_action (G_ACTION_GROUP (the_app), "preferences", NULL);
  preferences = find_preferences ();
  g_assert_nonnull (preferences);
  relay_a11y_wait_mapped (preferences);

  assert_all_named (preferences, "preferences");
  assert_all_reachable (preferences, "preferences");

  gtk_window_destroy (GTK_WINDOW (preferences));
  close_window (window);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  /* follow the GSettings a11y keys, not the host's portal */
  g_setenv ("ADW_DISABLE_PORTAL", "1", TRUE);
  /* GTK's test accessibility backend keeps every property and relation
   * (GTK_A11Y=none, as the other ui tests use, keeps none) */
  g_setenv ("GTK_A11Y", "test", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  /* like relay --sandbox, in this process (see tests/ui/test-window.c) */
  the_app = relay_application_new ();
  g_application_set_flags (G_APPLICATION (the_app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (relay_application_start_sandbox (the_app, &error));
  g_assert_true (g_application_register (G_APPLICATION (the_app), NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/relay/a11y/walker-catches-unnamed", test_walker_catches_unnamed);
  g_test_add_func ("/relay/a11y/styles-apply", test_styles_apply);
  g_test_add_func ("/relay/a11y/welcome-waiting", test_welcome_waiting);
  g_test_add_func ("/relay/a11y/send", test_send);
  g_test_add_func ("/relay/a11y/preferences", test_preferences);

  status = g_test_run ();
  g_clear_object (&the_app);

  return status;
}
