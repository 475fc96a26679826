/* relay-test-util.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <adwaita.h>

#include "relay-send-page.h"
#include "relay-test-util.h"

/* How long a keyring call may take (the session's keyring daemon). */
#define STORE_WAIT_MS 20000

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/**
 * relay_test_wait_until:
 *
 * Runs the default main context until @condition holds or @timeout_ms
 * passes.
 *
 * Returns: whether @condition held in time
 */
gboolean
relay_test_wait_until (RelayTestCondition  condition,
                       gpointer            data,
                       guint               timeout_ms)
{
  gboolean timed_out = FALSE;
  gboolean held;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  /* The answer is the one seen when the loop stopped: asking again could
   * see a later state (a reply that arrived since, for "nothing ready"). */
  while (!(held = condition (data)) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);

  return held;
}

/**
 * relay_test_disable_animations:
 *
 * Turns GTK's (and so libadwaita's) animations off: revealers, expanders
 * and page transitions then end at once, and a test never sees a widget
 * half-way. Call it once GTK is initialised.
 */
void
relay_test_disable_animations (void)
{
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
}

static gboolean
transitions_done_under (GtkWidget *widget)
{
  if (GTK_IS_REVEALER (widget) &&
      gtk_revealer_get_reveal_child (GTK_REVEALER (widget)) !=
      gtk_revealer_get_child_revealed (GTK_REVEALER (widget)))
    return FALSE;
  if (GTK_IS_STACK (widget) && gtk_stack_get_transition_running (GTK_STACK (widget)))
    return FALSE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (!transitions_done_under (child))
      return FALSE;

  return TRUE;
}

/**
 * relay_test_transitions_done:
 *
 * Returns: whether every revealer (expanders, banners) under @widget has
 *   reached the state it was asked for and no stack is changing pages
 */
gboolean
relay_test_transitions_done (gpointer widget)
{
  return transitions_done_under (GTK_WIDGET (widget));
}

/* Waits for relay_test_transitions_done(), then for the frames that show
 * the result; the deadline only catches a transition that never ends. */
void
relay_test_wait_transitions (GtkWidget *widget)
{
  relay_test_assert_wait (relay_test_transitions_done, widget, 30000);
  relay_test_wait_for_frames (widget);
}

static gboolean
nothing_ready (gpointer data)
{
  return !g_main_context_pending (NULL);
}

/**
 * relay_test_drain:
 *
 * Runs the default main context until nothing in it is ready to run:
 * every reaction already queued (idles, signals, replies that arrived)
 * has happened. Use it before asserting that something did not happen.
 */
void
relay_test_drain (void)
{
  relay_test_assert_wait (nothing_ready, NULL, 30000);
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

/* Lets the main loop run for @ms milliseconds. A fixed delay: prefer a
 * condition (relay_test_wait_until, relay_test_wait_transitions,
 * relay_test_drain); the ui tests no longer use it. */
void
relay_test_iterate (guint ms)
{
  relay_test_wait_until (never, NULL, ms);
}

/**
 * relay_test_find_widget:
 *
 * Returns: (transfer none) (nullable): the first widget named @name
 *   under @root, depth first
 */
GtkWidget *
relay_test_find_widget (GtkWidget  *root,
                        const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = relay_test_find_widget (child, name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
find_mapped_type (GtkWidget  *root,
                  const char *type_name)
{
  if (g_strcmp0 (G_OBJECT_TYPE_NAME (root), type_name) == 0 && gtk_widget_get_mapped (root))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_mapped_type (child, type_name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/**
 * relay_test_find_toast:
 *
 * Returns: (nullable) (transfer none): the toast shown under @root,
 *   if one is (libadwaita's toast widget has no public type)
 */
GtkWidget *
relay_test_find_toast (GtkWidget *root)
{
  return find_mapped_type (root, "AdwToastWidget");
}

/**
 * relay_test_need_widget:
 *
 * Like relay_test_find_widget(), but a missing widget ends the test with
 * its name.
 *
 * Returns: (transfer none): the widget
 */
GtkWidget *
relay_test_need_widget (GtkWidget  *root,
                        const char *name)
{
  GtkWidget *widget = relay_test_find_widget (root, name);

  if (widget == NULL)
    g_error ("the window has no widget named “%s”", name);

  return widget;
}

/* Types @text into the named editable or text view, as a user would. */
void
relay_test_set_text (GtkWidget  *root,
                     const char *name,
                     const char *text)
{
  GtkWidget *widget = relay_test_need_widget (root, name);

  if (GTK_IS_TEXT_VIEW (widget))
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget)), text, -1);
  else
    gtk_editable_set_text (GTK_EDITABLE (widget), text);
}

const char *
relay_test_get_label (GtkWidget  *root,
                      const char *name)
{
  GtkWidget *widget = relay_test_find_widget (root, name);

  g_assert_nonnull (widget);

  if (ADW_IS_ACTION_ROW (widget))
    return adw_action_row_get_subtitle (ADW_ACTION_ROW (widget));

  g_assert_true (GTK_IS_LABEL (widget));
  return gtk_label_get_label (GTK_LABEL (widget));
}

static gboolean
count_frame_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       data)
{
  guint *frames = data;

  (*frames)++;
  return G_SOURCE_CONTINUE;
}

static gboolean
enough_frames (gpointer data)
{
  return *(guint *)data >= 3;
}

/**
 * relay_test_wait_for_frames:
 *
 * Waits until @widget's frame clock has painted a few frames, so that
 * layout and drawing have caught up with the last change.
 */
void
relay_test_wait_for_frames (GtkWidget *widget)
{
  guint frames = 0;
  guint id = gtk_widget_add_tick_callback (widget, count_frame_cb, &frames, NULL);

  gtk_widget_queue_draw (widget);
  g_assert_true (relay_test_wait_until (enough_frames, &frames, 30000));
  gtk_widget_remove_tick_callback (widget, id);
}

static gboolean
widget_is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

/**
 * relay_test_wait_shown:
 *
 * Waits until @window is on screen and has painted, as a person would
 * before answering or closing it. A window destroyed before the window
 * system finished showing it can get that answer later, after it is
 * gone (GTK 4.8 on X11 then hands a freed window to its size handler).
 */
void
relay_test_wait_shown (GtkWidget *window)
{
  relay_test_assert_wait (widget_is_mapped, window, 30000);
  relay_test_wait_for_frames (window);
}

/**
 * relay_test_screenshot:
 * @basename: e.g. "welcome.png"
 *
 * Renders @widget as it is on screen into a PNG under the build folder
 * (G_TEST_BUILDDIR/screenshots).
 *
 * Returns: (transfer full): the file written
 */
char *
relay_test_screenshot (GtkWidget  *widget,
                       const char *basename)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;
  int width, height;

  relay_test_wait_for_frames (widget);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  dir = g_test_build_filename (G_TEST_BUILT, "screenshots", NULL);
  g_assert_no_errno (g_mkdir_with_parents (dir, 0755));
  path = g_build_filename (dir, basename, NULL);

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    g_error ("Nothing to render for %s: mapped %d, drawable %d, %dx%d",
             basename, gtk_widget_get_mapped (widget), gtk_widget_is_drawable (widget), width, height);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));

  g_test_message ("Screenshot: %s", path);

  return g_steal_pointer (&path);
}

/**
 * relay_test_results:
 *
 * Returns: (transfer none): the send page's results, one
 *   #RelayResultItem per recipient (the list view shows only those in
 *   view)
 */
GListModel *
relay_test_results (GtkWidget *root)
{
  GtkWidget *page = relay_test_need_widget (root, "send-page");

  return relay_result_list_get_model (relay_send_page_get_result_list (RELAY_SEND_PAGE (page)));
}

/**
 * relay_test_result_line:
 *
 * Returns: (transfer full) (nullable): the state line of the result at
 *   @position ("Sent · 1 part · 0.0333 EUR"), %NULL when there is none
 */
char *
relay_test_result_line (GtkWidget *root,
                        guint      position)
{
  g_autoptr(RelayResultItem) item = g_list_model_get_item (relay_test_results (root), position);

  return item != NULL ? relay_result_item_dup_line (item) : NULL;
}

/**
 * relay_test_application_new:
 * @with_sandbox: whether to start the in-process sandbox first
 *
 * The application the ui tests share: not unique (a test never finds
 * another instance on the bus), registered.
 *
 * Returns: (transfer full): the application
 */
RelayApplication *
relay_test_application_new (gboolean with_sandbox)
{
  g_autoptr(GError) error = NULL;
  RelayApplication *app = relay_application_new ();

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (with_sandbox)
    {
      g_assert_true (relay_application_start_sandbox (app, &error));
      g_assert_no_error (error);
    }
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  return app;
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
store_result_arrived (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

/**
 * relay_test_list_accounts:
 * @store: a credential store
 *
 * Returns: (transfer container): the accounts in @store; listing them
 *   must not fail
 */
GPtrArray *
relay_test_list_accounts (RelayCredentialStore *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *accounts;

  relay_credential_store_list_async (store, NULL, store_result_cb, &result);
  relay_test_assert_wait (store_result_arrived, &result, STORE_WAIT_MS);
  accounts = relay_credential_store_list_finish (result, &error);
  g_assert_no_error (error);

  return accounts;
}

/**
 * relay_test_clear_store:
 * @store: a credential store
 *
 * Deletes every account of @store, waiting for each.
 */
void
relay_test_clear_store (RelayCredentialStore *store)
{
  g_autoptr(GPtrArray) accounts = relay_test_list_accounts (store);

  for (guint i = 0; i < accounts->len; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;

      relay_credential_store_delete_async (store, relay_account_get_id (g_ptr_array_index (accounts, i)),
                                           NULL, store_result_cb, &result);
      relay_test_assert_wait (store_result_arrived, &result, STORE_WAIT_MS);
      relay_credential_store_delete_finish (result, NULL);
    }
}

/**
 * relay_test_screenshot_light_dark:
 * @widget: a dialog, popover or window
 * @base: the file name without "-light.png" / "-dark.png"
 *
 * Screenshots of @widget as it is, in the light and the dark style,
 * once its transitions have ended: BASE-light.png and BASE-dark.png
 * under the build folder's screenshots/.
 */
void
relay_test_screenshot_light_dark (GtkWidget  *widget,
                                  const char *base)
{
  AdwStyleManager *style = adw_style_manager_get_default ();

  for (guint dark = 0; dark < 2; dark++)
    {
      g_autofree char *name = g_strdup_printf ("%s-%s.png", base, dark ? "dark" : "light");

      adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                      : ADW_COLOR_SCHEME_FORCE_LIGHT);
      relay_test_wait_transitions (widget);
      g_free (relay_test_screenshot (widget, name));
    }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

typedef struct
{
  GtkWidget *window;
  int        width;
} WidthWait;

static gboolean
width_reached (gpointer data)
{
  WidthWait *wait = data;

  return relay_test_has_width (wait->window, wait->width);
}

/**
 * relay_test_has_width:
 * @window: a window
 * @width: a width in px
 *
 * Returns: whether @window is @width wide, give or take 12 px (its size
 *   includes its frame: CSD borders on X11)
 */
gboolean
relay_test_has_width (GtkWidget *window,
                      int        width)
{
  return ABS (gtk_widget_get_width (window) - width) <= 12;
}

/**
 * relay_test_resize:
 * @window: a window
 * @width: its new default width
 * @height: its new default height
 *
 * A mapped window keeps its size on X11 without a window manager: hides
 * @window, sets its default size and shows it again.
 */
void
relay_test_resize (GtkWidget *window,
                   int        width,
                   int        height)
{
  gtk_widget_set_visible (window, FALSE);
  relay_test_drain ();
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  relay_test_wait_shown (window);
}

/**
 * relay_test_wait_width:
 * @window: a window
 * @width: a width in px
 * @timeout_ms: how long to wait
 *
 * Returns: whether @window is @width wide (see relay_test_has_width())
 *   within @timeout_ms
 */
gboolean
relay_test_wait_width (GtkWidget *window,
                       int        width,
                       guint      timeout_ms)
{
  WidthWait wait = { window, width };

  return relay_test_wait_until (width_reached, &wait, timeout_ms);
}

/**
 * relay_test_find_dialog:
 * @name: (nullable): the dialog's widget name, %NULL for any
 *
 * Returns: (transfer none) (nullable): the first visible message dialog
 *   named @name
 */
AdwMessageDialog *
relay_test_find_dialog (const char *name)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)) &&
          (name == NULL || g_strcmp0 (gtk_widget_get_name (GTK_WIDGET (window)), name) == 0))
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

/**
 * relay_test_set_width:
 * @window: a window
 * @width: a width in px
 * @height: the default height to give it when it has to be resized
 *
 * Makes @window @width wide (see relay_test_has_width()), resizing it
 * only when it is not; the test fails when the width is not reached
 * within 3 s.
 */
void
relay_test_set_width (GtkWidget *window,
                      int        width,
                      int        height)
{
  if (!relay_test_has_width (window, width))
    relay_test_resize (window, width, height);
  if (!relay_test_wait_width (window, width, 3000))
    g_error ("width %d, not %d", gtk_widget_get_width (window), width);
}

/**
 * relay_test_screenshot_widths:
 * @window: a window
 * @base: the file names' start
 * @height: the default height to give it when it has to be resized
 *
 * @window at 360 and 1280 px wide, light and dark: four PNGs named
 * BASE-WIDTH-SCHEME.png under the build folder's screenshots/.
 */
void
relay_test_screenshot_widths (GtkWidget  *window,
                              const char *base,
                              int         height)
{
  static const int widths[] = { 360, 1280 };

  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    {
      g_autofree char *sized = g_strdup_printf ("%s-%d", base, widths[w]);

      relay_test_set_width (window, widths[w], height);
      relay_test_screenshot_light_dark (window, sized);
    }
}
