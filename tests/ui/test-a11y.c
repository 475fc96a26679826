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
#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <string.h>

#include "relay-a11y-util.h"
#include "relay-application.h"
#include "relay-bulk-blocked-dialog.h"
#include "relay-bulk-page.h"
#include "relay-history-page.h"
#include "relay-preferences-window.h"
#include "relay-result-item.h"
#include "relay-send-page.h"
#include "relay-test-util.h"
#include "relay-waiting-page.h"
#include "relay-welcome-page.h"
#include "relay-window.h"
#include "../relay-test-env.h"

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
  relay_a11y_settle ();
  light = relay_a11y_snapshot (window);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  relay_a11y_settle ();
  g_assert_true (adw_style_manager_get_dark (style));
  dark = relay_a11y_snapshot (window);
  g_test_message ("luminance light %.2f dark %.2f",
                  relay_a11y_luminance (light), relay_a11y_luminance (dark));
  g_assert_cmpfloat (relay_a11y_luminance (dark), <, 0.4);
  g_assert_cmpfloat (relay_a11y_luminance (light), >, 0.6);

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  a11y = g_settings_new ("org.gnome.desktop.a11y.interface");
  g_settings_set_boolean (a11y, "high-contrast", TRUE);
  relay_a11y_settle ();
  g_assert_true (adw_style_manager_get_high_contrast (style));
  contrast = relay_a11y_snapshot (window);
  g_assert_cmpuint (relay_a11y_count_differences (light, contrast), >, 0);
  relay_a11y_save (contrast, "a11y-sample-high-contrast");

  g_settings_set_boolean (a11y, "high-contrast", FALSE);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  relay_a11y_settle ();
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The real window. */

static RelayApplication *the_app;

/* Only ever the test schema: clearing it cannot harm a user's items. */
static const SecretSchema credential_schema = {
  RELAY_TEST_SCHEMA_NAME, SECRET_SCHEMA_NONE, { { NULL, 0 } }
};

static void
clear_keyring (void)
{
  g_autoptr(GError) error = NULL;

  secret_password_clear_sync (&credential_schema, NULL, &error, NULL);
  g_assert_no_error (error);
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

  relay_a11y_iterate_until (on_page, &wait, 20000);
  if (!on_page (&wait))
    g_error ("the window shows page “%s”, not “%s”", relay_window_get_page (window), page);
  relay_a11y_settle ();
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
  if (!relay_a11y_tab_reaches (focused, relay_test_need_widget (root, name)))
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
  relay_a11y_settle ();
  clear_keyring ();
}

/* Welcome (both kinds, Advanced open) and waiting: names and Tab. */
static void
test_welcome_waiting (void)
{
  RelayWindow *window = open_window ();
  GtkWidget *root = GTK_WIDGET (window);
  RelayWelcomePage *welcome = RELAY_WELCOME_PAGE (relay_test_need_widget (root, "welcome-page"));
  g_autoptr(GPtrArray) focused = NULL;

  assert_all_named (root, "welcome");

  /* keyboard only: Tab reaches every field and Sign in */
  focused = relay_a11y_tab_walk (root);
  g_test_message ("Tab visits %u widgets on the welcome page", focused->len);
  assert_tab_reaches (focused, root, "consumer-key");
  assert_tab_reaches (focused, root, "consumer-secret");
  assert_tab_reaches (focused, root, "sign-in-button");
  assert_all_reachable (root, "welcome");

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (relay_test_need_widget (root, "advanced")), TRUE);
  relay_a11y_settle ();
  assert_all_named (root, "welcome (advanced)");
  g_clear_pointer (&focused, g_ptr_array_unref);
  focused = relay_a11y_tab_walk (root);
  assert_tab_reaches (focused, root, "oauth-base");
  assert_tab_reaches (focused, root, "rest-base");
  assert_all_reachable (root, "welcome (advanced)");

  relay_welcome_page_set_kind (welcome, RELAY_ACCOUNT_API_KEY);
  relay_a11y_settle ();
  assert_all_named (root, "welcome (API key)");
  g_clear_pointer (&focused, g_ptr_array_unref);
  focused = relay_a11y_tab_walk (root);
  assert_tab_reaches (focused, root, "api-key");
  assert_tab_reaches (focused, root, "api-secret");
  assert_tab_reaches (focused, root, "sign-in-button");

  relay_welcome_page_set_kind (welcome, RELAY_ACCOUNT_SIGNED);
  relay_a11y_settle ();
  assert_all_named (root, "welcome (signed)");
  g_clear_pointer (&focused, g_ptr_array_unref);
  focused = relay_a11y_tab_walk (root);
  assert_tab_reaches (focused, root, "kind-signed");
  assert_tab_reaches (focused, root, "signed-api-key");
  assert_tab_reaches (focused, root, "signed-api-secret");
  assert_tab_reaches (focused, root, "signature-secret");
  assert_tab_reaches (focused, root, "signature-method");
  assert_tab_reaches (focused, root, "sign-in-button");
  assert_all_reachable (root, "welcome (signed)");
  relay_welcome_page_set_kind (welcome, RELAY_ACCOUNT_OAUTH);
  relay_a11y_settle ();

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

  relay_welcome_page_set_kind (RELAY_WELCOME_PAGE (relay_test_need_widget (root, "welcome-page")),
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

  relay_test_set_text (root, "from", "Relay");
  relay_test_set_text (root, "to", "447700900001");
  relay_test_set_text (root, "text", "Hello");
  relay_a11y_settle ();

  assert_all_named (root, "send");
  focused = relay_a11y_tab_walk (root);
  g_test_message ("Tab visits %u widgets on the send page", focused->len);
  assert_tab_reaches (focused, root, "from");
  assert_tab_reaches (focused, root, "to");
  assert_tab_reaches (focused, root, "text");
  assert_tab_reaches (focused, root, "send-button");
  assert_all_reachable (root, "send");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  relay_a11y_settle ();
  light = relay_a11y_snapshot (root);

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  relay_a11y_settle ();
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
  relay_a11y_settle ();
  g_assert_true (adw_style_manager_get_high_contrast (style));
  contrast = relay_a11y_snapshot (root);
  relay_a11y_save (contrast, "a11y-send-high-contrast");
  g_assert_cmpuint (relay_a11y_count_differences (light, contrast), >, 0);
  assert_all_named (root, "send (high contrast)");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  relay_a11y_settle ();
  contrast_dark = relay_a11y_snapshot (root);
  relay_a11y_save (contrast_dark, "a11y-send-high-contrast-dark");
  g_assert_cmpfloat (relay_a11y_luminance (contrast_dark), <, 0.4);

  g_settings_reset (a11y, "high-contrast");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  relay_a11y_settle ();

  close_window (window);
}

static gboolean
results_final (gpointer data)
{
  GListModel *results = relay_test_results (data);
  g_autoptr(GObject) item = g_list_model_get_item (results, 1);

  return item != NULL && relay_sms_state_is_final (relay_result_item_get_state (RELAY_RESULT_ITEM (item))) &&
         !relay_send_page_get_sending (RELAY_SEND_PAGE (relay_test_need_widget (data, "send-page")));
}

/* Send results (issue 10, item 6): each line and its Copy button named,
 * Tab reaches the Copy buttons. */
static void
test_results (void)
{
  RelayWindow *window = open_send_page ();
  GtkWidget *root = GTK_WIDGET (window);
  g_autoptr(GPtrArray) focused = NULL;
  GtkWidget *copy;

  relay_test_set_text (root, "from", "Relay");
  relay_test_set_text (root, "to", "447700900001\n447700900002");
  relay_test_set_text (root, "text", "Hello");
  gtk_widget_activate_action (root, "win.send", NULL);
  relay_a11y_iterate_until (results_final, root, 20000);
  g_assert_true (results_final (root));
  relay_a11y_settle ();

  assert_all_named (root, "send results");
  copy = relay_test_need_widget (root, "result-copy-button");
  g_assert_true (gtk_widget_get_visible (copy));
  focused = relay_a11y_tab_walk (root);
  if (!relay_a11y_tab_reaches (focused, copy))
    g_test_fail_printf ("Tab does not reach a result's Copy button");
  assert_all_reachable (root, "send results");

  close_window (window);
}

static gboolean
store_open (gpointer data)
{
  return relay_window_get_store (data) != NULL;
}

static void
enqueued_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (relay_store_enqueue_finish (RELAY_STORE (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static gboolean
history_shows_row (gpointer data)
{
  RelayHistoryModel *model = relay_history_page_get_model (data);
  g_autoptr(RelayHistoryItem) item = NULL;

  if (model == NULL || g_list_model_get_n_items (G_LIST_MODEL (model)) == 0)
    return FALSE;
  item = g_list_model_get_item (G_LIST_MODEL (model), 0);
  return relay_history_item_get_loaded (item) &&
         g_strcmp0 (relay_history_page_get_view (data), "list") == 0;
}

static gboolean
history_shows_detail (gpointer data)
{
  return g_strcmp0 (relay_history_page_get_view (data), "detail") == 0;
}

/* History: the list with its filters, then the detail of a message. */
static void
test_history (void)
{
  RelayWindow *window = open_send_page ();
  GtkWidget *root = GTK_WIDGET (window);
  GtkWidget *page = relay_test_need_widget (root, "history-page");
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_store_message_free);
  gboolean enqueued = FALSE;

  relay_a11y_iterate_until (store_open, window, 20000);
  g_assert_nonnull (relay_window_get_store (window));
  g_ptr_array_add (messages, relay_store_message_new ("api:a11y@example", "Relay", "447700900001", "Hello"));
  relay_store_enqueue_async (relay_window_get_store (window), messages, NULL, enqueued_cb, &enqueued);
  relay_a11y_iterate_until (is_true, &enqueued, 20000);
  g_assert_true (enqueued);

  adw_view_stack_set_visible_child_name (adw_view_switcher_title_get_stack (ADW_VIEW_SWITCHER_TITLE (relay_test_need_widget (root, "view-switcher-title"))),
                                         "history");
  relay_a11y_iterate_until (history_shows_row, page, 20000);
  g_assert_true (history_shows_row (page));
  relay_a11y_settle ();
  assert_all_named (root, "history");
  assert_all_reachable (root, "history");

  relay_history_page_show_position (RELAY_HISTORY_PAGE (page), 0);
  relay_a11y_iterate_until (history_shows_detail, page, 20000);
  relay_a11y_settle ();
  assert_all_named (root, "history detail");
  assert_all_reachable (root, "history detail");

  close_window (window);
}

static gboolean
bulk_shows_list (gpointer data)
{
  return g_strcmp0 (relay_bulk_page_get_state (data), "list") == 0;
}

static GtkWidget *
find_blocked_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (RELAY_IS_BULK_BLOCKED_DIALOG (window))
        return GTK_WIDGET (window);
    }

  return NULL;
}

/* Send to List: the empty state, a list with skipped rows, and the
 * do-not-contact dialog. */
static void
test_bulk (void)
{
  RelayWindow *window = open_send_page ();
  GtkWidget *root = GTK_WIDGET (window);
  GtkWidget *page = relay_test_need_widget (root, "bulk-page");
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = g_dir_make_tmp ("relay-a11y-XXXXXX", &error);
  g_autofree char *path = g_build_filename (tmpdir, "list.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GtkWidget *dialog;

  g_assert_true (g_file_set_contents (path, "name,phone\nAnn,+447700900001\nBob,oops\n", -1, &error));
  relay_a11y_iterate_until (store_open, window, 20000);
  adw_view_stack_set_visible_child_name (adw_view_switcher_title_get_stack (ADW_VIEW_SWITCHER_TITLE (relay_test_need_widget (root, "view-switcher-title"))),
                                         "bulk");
  relay_a11y_settle ();
  assert_all_named (root, "send to list (empty)");
  assert_all_reachable (root, "send to list (empty)");

  relay_bulk_page_load_file (RELAY_BULK_PAGE (page), file);
  relay_a11y_iterate_until (bulk_shows_list, page, 20000);
  gtk_expander_set_expanded (GTK_EXPANDER (relay_test_need_widget (root, "bulk-skipped")), TRUE);
  relay_a11y_settle ();
  assert_all_named (root, "send to list");
  assert_all_reachable (root, "send to list");

  g_assert_true (gtk_widget_activate_action (page, "bulk.blocked", NULL));
  dialog = find_blocked_dialog ();
  g_assert_nonnull (dialog);
  relay_a11y_wait_mapped (dialog);
  assert_all_named (dialog, "do-not-contact list");
  assert_all_reachable (dialog, "do-not-contact list");
  gtk_window_destroy (GTK_WINDOW (dialog));

  g_unlink (path);
  g_rmdir (tmpdir);
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

/* Issue 10, item 11: the pages and states added since, each with every
 * interactive widget named and reachable with Tab, and its actions
 * reachable from the keyboard. */

static gboolean
has_error (gpointer data)
{
  return relay_welcome_page_get_error (data) != NULL;
}

/* Activates @name as the keyboard does (Space or Enter on the focused
 * widget), after checking that Tab reaches it. A button then clicks
 * after a short press: callers wait for the outcome. */
static void
press (GtkWidget  *root,
       const char *name)
{
  g_autoptr(GPtrArray) focused = relay_a11y_tab_walk (root);
  GtkWidget *widget = relay_test_need_widget (root, name);

  assert_tab_reaches (focused, root, name);
  g_assert_true (gtk_widget_activate (widget));
}

typedef struct
{
  RelayWelcomePage *welcome;
  RelayAccountKind  kind;
} KindWait;

static gboolean
kind_is (gpointer data)
{
  KindWait *wait = data;

  return relay_welcome_page_get_kind (wait->welcome) == wait->kind;
}

static gboolean
has_no_error (gpointer data)
{
  return relay_welcome_page_get_error (data) == NULL;
}

/* The welcome page with each kind of credentials, chosen from the
 * keyboard: its toggles, fields and Sign In. */
static void
test_welcome_kinds (void)
{
  RelayWindow *window = open_window ();
  GtkWidget *root = GTK_WIDGET (window);
  RelayWelcomePage *welcome = RELAY_WELCOME_PAGE (relay_test_need_widget (root, "welcome-page"));
  static const struct { const char *toggle; RelayAccountKind kind; const char *fields[4]; } kinds[] = {
    { "kind-api-key", RELAY_ACCOUNT_API_KEY, { "api-key", "api-secret", NULL } },
    { "kind-signed", RELAY_ACCOUNT_SIGNED, { "signed-api-key", "signed-api-secret", "signature-secret", "signature-method" } },
    { "kind-oauth", RELAY_ACCOUNT_OAUTH, { "consumer-key", "consumer-secret", NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *page = g_strdup_printf ("welcome (%s)", kinds[i].toggle);
      g_autoptr(GPtrArray) focused = NULL;
      KindWait wait = { welcome, kinds[i].kind };

      press (root, kinds[i].toggle);
      relay_a11y_iterate_until (kind_is, &wait, 20000);
      relay_a11y_settle ();
      g_assert_cmpint (relay_welcome_page_get_kind (welcome), ==, kinds[i].kind);
      assert_all_named (root, page);
      assert_all_reachable (root, page);
      focused = relay_a11y_tab_walk (root);
      for (guint f = 0; f < G_N_ELEMENTS (kinds[i].fields) && kinds[i].fields[f] != NULL; f++)
        assert_tab_reaches (focused, root, kinds[i].fields[f]);
      assert_tab_reaches (focused, root, "sign-in-button");
    }

  close_window (window);
}

/* Add Account: a page with Back, reachable with Tab, which returns to
 * the account. */
static void
test_add_account (void)
{
  RelayWindow *window = open_send_page ();
  GtkWidget *root = GTK_WIDGET (window);

  g_assert_true (gtk_widget_activate_action (root, "win.add-account", NULL));
  wait_page (window, "welcome");
  assert_all_named (root, "add account");
  assert_all_reachable (root, "add account");
  press (root, "back-button");
  wait_page (window, "send");

  close_window (window);
}

/* The waiting page when no browser opened: the link, Copy, Open Again
 * and Cancel. */
static void
test_no_browser_opened (void)
{
  RelayWindow *window = open_window ();
  GtkWidget *root = GTK_WIDGET (window);
  g_autoptr(GPtrArray) focused = NULL;

  relay_sandbox_server_set_auto_approve (relay_application_get_sandbox (the_app), FALSE);
  g_assert_true (gtk_widget_activate_action (root, "win.sign-in", NULL));
  wait_page (window, "waiting");
  g_assert_nonnull (relay_window_get_authorize_uri (window));
  /* What the window does when GIO finds no browser (test-first-day
   * reaches it for real). */
  relay_waiting_page_set_browser_failed (RELAY_WAITING_PAGE (relay_test_need_widget (root, "waiting-page")),
                                         relay_window_get_authorize_uri (window));
  relay_a11y_settle ();
  g_assert_true (gtk_widget_get_mapped (relay_test_need_widget (root, "authorize-link")));

  assert_all_named (root, "waiting (no browser)");
  assert_all_reachable (root, "waiting (no browser)");
  focused = relay_a11y_tab_walk (root);
  assert_tab_reaches (focused, root, "copy-link-button");
  assert_tab_reaches (focused, root, "open-again-button");
  assert_tab_reaches (focused, root, "cancel-sign-in-button");

  press (root, "cancel-sign-in-button");
  wait_page (window, "welcome");
  close_window (window);
}

/* The inline sign-in error, and its Dismiss. */
static void
test_sign_in_error (void)
{
  RelayWindow *window = open_window ();
  GtkWidget *root = GTK_WIDGET (window);
  RelayWelcomePage *welcome = RELAY_WELCOME_PAGE (relay_test_need_widget (root, "welcome-page"));

  relay_welcome_page_set_kind (welcome, RELAY_ACCOUNT_API_KEY);
  relay_test_set_text (root, "api-secret", "not-the-secret");
  g_assert_true (gtk_widget_activate_action (root, "win.sign-in", NULL));
  relay_a11y_iterate_until (has_error, welcome, 20000);
  g_assert_nonnull (relay_welcome_page_get_error (welcome));
  relay_a11y_settle ();

  assert_all_named (root, "welcome (sign-in error)");
  assert_all_reachable (root, "welcome (sign-in error)");
  press (root, "sign-in-error-dismiss");
  relay_a11y_iterate_until (has_no_error, welcome, 20000);
  g_assert_null (relay_welcome_page_get_error (welcome));

  close_window (window);
}

static gboolean
menu_has_action (GMenuModel *menu,
                 const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *name = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &name) &&
          g_strcmp0 (name, action) == 0)
        return TRUE;
      if (section != NULL && menu_has_action (section, action))
        return TRUE;
    }

  return FALSE;
}

static GtkWidget *
find_named_toplevel (const char *name)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (g_strcmp0 (gtk_widget_get_name (window), name) == 0)
        return window;
    }

  return NULL;
}

/* The accounts menu, opened from the keyboard, with Rename and its
 * dialog. */
static void
test_accounts_menu (void)
{
  RelayWindow *window = open_send_page ();
  GtkWidget *root = GTK_WIDGET (window);
  GtkWidget *button = relay_test_need_widget (root, "accounts-button");
  GtkWidget *dialog;
  GtkPopover *popover;
  g_autofree char *offenders = NULL;
  g_autoptr(GPtrArray) focused = NULL;

  press (root, "accounts-button");
  popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));
  relay_a11y_wait_mapped (GTK_WIDGET (popover));
  g_assert_true (menu_has_action (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button)), "win.rename-account"));
  offenders = relay_a11y_find_unnamed (GTK_WIDGET (popover));
  if (*offenders != '\0')
    g_test_fail_printf ("unnamed in the accounts menu:\n%s", offenders);
  gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
  relay_a11y_settle ();

  g_assert_true (gtk_widget_activate_action (root, "win.rename-account", NULL));
  dialog = find_named_toplevel ("rename-dialog");
  g_assert_nonnull (dialog);
  relay_a11y_wait_mapped (dialog);
  assert_all_named (dialog, "rename dialog");
  assert_all_reachable (dialog, "rename dialog");
  focused = relay_a11y_tab_walk (dialog);
  assert_tab_reaches (focused, dialog, "account-name");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  relay_a11y_settle ();

  close_window (window);
}

/* Preferences with Advanced open and an invalid URL: every row named,
 * reachable, and the invalid one says why. */
static void
test_preferences_advanced (void)
{
  RelayWindow *window = open_window ();
  GtkWidget *preferences;
  GtkWidget *advanced;
  GtkWidget *rest;
  g_autoptr(GPtrArray) focused = NULL;

  /* Without the sandbox, where the endpoints are editable. */
  preferences = GTK_WIDGET (relay_preferences_window_new (relay_application_get_settings (the_app)));
  gtk_window_set_transient_for (GTK_WINDOW (preferences), GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (preferences));
  relay_a11y_wait_mapped (preferences);

  advanced = relay_test_need_widget (preferences, "preferences-advanced");
  focused = relay_a11y_tab_walk (preferences);
  assert_tab_reaches (focused, preferences, "preferences-advanced");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (advanced), TRUE);
  relay_a11y_settle ();

  rest = relay_test_need_widget (preferences, "preferences-rest-base");
  gtk_editable_set_text (GTK_EDITABLE (rest), "ftp://rest.example.com");
  relay_a11y_settle ();
  g_assert_true (gtk_widget_has_css_class (rest, "error"));
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (rest), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));

  assert_all_named (preferences, "preferences (advanced, invalid URL)");
  assert_all_reachable (preferences, "preferences (advanced, invalid URL)");
  g_clear_pointer (&focused, g_ptr_array_unref);
  focused = relay_a11y_tab_walk (preferences);
  assert_tab_reaches (focused, preferences, "preferences-oauth-base");
  assert_tab_reaches (focused, preferences, "preferences-rest-base");
  assert_tab_reaches (focused, preferences, "preferences-timeout");
  assert_tab_reaches (focused, preferences, "preferences-signature-method");

  /* Never saved; put the text back as it was. */
  g_settings_reset (relay_application_get_settings (the_app), "rest-base");
  gtk_window_destroy (GTK_WINDOW (preferences));
  close_window (window);
}

int
main (int    argc,
      char **argv)
{
  int status;

  /* follow the GSettings a11y keys, not the host's portal */
  g_setenv ("ADW_DISABLE_PORTAL", "1", TRUE);
  /* GTK's test accessibility backend keeps every property and relation
   * (GTK_A11Y=none, as the other ui tests use, keeps none) */
  g_setenv ("GTK_A11Y", "test", TRUE);

  relay_test_require_display ();
  relay_test_private_data_home ();
  relay_test_require_keyring ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  relay_test_disable_animations ();

  /* like relay --sandbox, in this process (see tests/ui/test-window.c) */
  the_app = relay_test_application_new (TRUE);

  g_test_add_func ("/relay/a11y/walker-catches-unnamed", test_walker_catches_unnamed);
  g_test_add_func ("/relay/a11y/styles-apply", test_styles_apply);
  g_test_add_func ("/relay/a11y/welcome-waiting", test_welcome_waiting);
  g_test_add_func ("/relay/a11y/send", test_send);
  g_test_add_func ("/relay/a11y/history", test_history);
  g_test_add_func ("/relay/a11y/results", test_results);

  g_test_add_func ("/relay/a11y/bulk", test_bulk);
  g_test_add_func ("/relay/a11y/preferences", test_preferences);
  g_test_add_func ("/relay/a11y/welcome-kinds", test_welcome_kinds);
  g_test_add_func ("/relay/a11y/add-account", test_add_account);
  g_test_add_func ("/relay/a11y/no-browser-opened", test_no_browser_opened);
  g_test_add_func ("/relay/a11y/sign-in-error", test_sign_in_error);
  g_test_add_func ("/relay/a11y/accounts-menu", test_accounts_menu);
  g_test_add_func ("/relay/a11y/preferences-advanced", test_preferences_advanced);

  status = g_test_run ();
  g_clear_object (&the_app);

  return status;
}
