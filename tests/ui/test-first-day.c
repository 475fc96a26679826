/* test-first-day.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <adwaita.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "relay-application.h"
#include "relay-credential-store.h"
#include "relay-sandbox-server.h"
#include "relay-send-page.h"
#include "relay-welcome-page.h"
#include "relay-window.h"
#include "relay-test-util.h"
#include "../relay-test-env.h"

/* What a first-time user meets (issue 10, items 2–5), in the real
 * window: the welcome page without the sandbox and its way into it, a
 * browser that does not open, sign-in errors that stay on the page, Add
 * Account with a way back, and accounts with names. Every state named
 * is saved as a screenshot at 360 and 1280 px, light and dark. Runs in
 * the order added: the first test starts without the sandbox and
 * starts it; the others use it. */

#define WAIT_MS 20000

typedef struct
{
  RelayApplication *app;
  RelayWindow      *window;
  GtkWidget        *root;
  SoupSession      *browser;
  gboolean          browser_done;
  char             *authorize_uri;
  GBytes           *page;
} Fixture;

static RelayApplication *the_app;

/* conditions */

static gboolean
page_is (Fixture    *f,
         const char *name)
{
  return f->window != NULL && g_strcmp0 (relay_window_get_page (f->window), name) == 0;
}

static gboolean
page_is_welcome (gpointer data)
{
  return page_is (data, "welcome");
}

static gboolean
page_is_send (gpointer data)
{
  return page_is (data, "send");
}

static gboolean
start_done (gpointer data)
{
  return !relay_window_get_starting (((Fixture *) data)->window);
}

static gboolean
window_gone (gpointer data)
{
  return ((Fixture *) data)->window == NULL;
}

static gboolean
browser_failed_shown (gpointer data)
{
  Fixture *f = data;
  GtkWidget *link = relay_test_find_widget (f->root, "authorize-link");

  return page_is (f, "waiting") && gtk_widget_get_visible (link);
}

static gboolean
error_shown (gpointer data)
{
  Fixture *f = data;
  GtkWidget *welcome = relay_test_find_widget (f->root, "welcome-page");

  return page_is (f, "welcome") && relay_welcome_page_get_error (RELAY_WELCOME_PAGE (welcome)) != NULL;
}

/* screenshots */

/* The window at @width px, 800 high when it has to be resized. */
static void
resize (Fixture *f,
        int      width)
{
  if (!relay_test_has_width (f->root, width))
    relay_test_resize (f->root, width, 800);
}

/* The window at 360 and 1280 px wide, light and dark: four PNGs named
 * BASE-WIDTH-SCHEME.png under the build folder's screenshots/. */
static void
shoot (Fixture    *f,
       const char *base)
{
  relay_test_screenshot_widths (f->root, base, 800);
}

/* fixture */

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->app = the_app;
  relay_test_clear_store (relay_credential_store_get_default ());
  relay_test_clear_store (relay_credential_store_get_sandbox ());

  g_settings_set_int (relay_application_get_settings (f->app), "window-width", 720);
  g_settings_set_int (relay_application_get_settings (f->app), "window-height", 860);
  g_settings_reset (relay_application_get_settings (f->app), "last-account");
  if (relay_application_get_sandbox (f->app) != NULL)
    relay_sandbox_server_set_auto_approve (relay_application_get_sandbox (f->app), FALSE);

  g_application_activate (G_APPLICATION (f->app));
  f->window = RELAY_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (f->app)));
  g_assert_true (RELAY_IS_WINDOW (f->window));
  f->root = GTK_WIDGET (f->window);
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);

  relay_test_wait_shown (f->root);
  relay_test_assert_wait (page_is_welcome, f, WAIT_MS);
  relay_test_assert_wait (start_done, f, WAIT_MS);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_close (GTK_WINDOW (f->window));
  relay_test_assert_wait (window_gone, f, WAIT_MS);

  relay_test_clear_store (relay_credential_store_get_default ());
  relay_test_clear_store (relay_credential_store_get_sandbox ());
  g_clear_object (&f->browser);
  g_clear_pointer (&f->authorize_uri, g_free);
  g_clear_pointer (&f->page, g_bytes_unref);
}

static void
sign_in_with_api_key (Fixture *f)
{
  GtkWidget *welcome = relay_test_find_widget (f->root, "welcome-page");

  relay_welcome_page_set_kind (RELAY_WELCOME_PAGE (welcome), RELAY_ACCOUNT_API_KEY);
  g_assert_true (gtk_widget_activate_action (f->root, "win.sign-in", NULL));
  relay_test_assert_wait (page_is_send, f, WAIT_MS);
}

static const char *
subtitle (Fixture *f)
{
  GtkWidget *title = relay_test_find_widget (f->root, "view-switcher-title");

  return adw_view_switcher_title_get_subtitle (ADW_VIEW_SWITCHER_TITLE (title));
}

/* A label showing @text somewhere under @widget. */
static GtkLabel *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0 &&
      gtk_widget_get_mapped (widget))
    return GTK_LABEL (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *label = find_label (child, text);

      if (label != NULL)
        return label;
    }

  return NULL;
}

static AdwMessageDialog *
find_dialog (const char *name)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && g_strcmp0 (gtk_widget_get_name (GTK_WIDGET (window)), name) == 0)
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

/* tests */

/* Item 4: without the sandbox, the welcome page says where the keys
 * come from and offers the sandbox, which starts in this process. */
static void
test_no_sandbox (Fixture       *f,
                 gconstpointer  data)
{
  GtkWidget *keys = relay_test_find_widget (f->root, "keys-label");
  GtkWidget *try = relay_test_find_widget (f->root, "try-sandbox-button");
  GtkWidget *banner = relay_test_find_widget (f->root, "sandbox-banner");

  g_assert_null (relay_application_get_sandbox (f->app));
  g_assert_true (gtk_widget_get_mapped (keys));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (keys)), "href=\"https://dashboard.nexmo.com/settings\""));
  g_assert_true (gtk_widget_get_mapped (try));
  g_assert_false (gtk_widget_get_visible (relay_test_find_widget (f->root, "back-button")));
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (gtk_widget_get_parent (banner))));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (relay_test_find_widget (f->root, "consumer-key"))), ==, "");
  shoot (f, "welcome-no-sandbox");

  g_assert_true (gtk_widget_activate_action (f->root, "win.try-sandbox", NULL));
  g_assert_nonnull (relay_application_get_sandbox (f->app));
  g_assert_true (relay_application_get_use_sandbox (f->app));
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (gtk_widget_get_parent (banner))));
  g_assert_false (gtk_widget_get_visible (keys));
  g_assert_false (gtk_widget_get_visible (try));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (relay_test_find_widget (f->root, "consumer-key"))),
                   ==, RELAY_SANDBOX_DEFAULT_CONSUMER_KEY);
  g_assert_true (g_str_has_prefix (gtk_editable_get_text (GTK_EDITABLE (relay_test_find_widget (f->root, "rest-base"))),
                                   relay_application_get_sandbox_uri (f->app)) ||
                 g_str_has_prefix (relay_application_get_sandbox_uri (f->app),
                                   gtk_editable_get_text (GTK_EDITABLE (relay_test_find_widget (f->root, "rest-base")))));
  shoot (f, "welcome-sandbox-tried");

  /* And it works: signing in reaches the send page. */
  sign_in_with_api_key (f);
}

/* Item 3: no browser opens (GIO knows no handler for http here); the
 * page says so, and shows the link with Copy and Open Again. */
static void
test_no_browser (Fixture       *f,
                 gconstpointer  data)
{
  GtkWidget *link;
  const char *uri;

  g_assert_true (gtk_widget_activate_action (f->root, "win.sign-in", NULL));
  relay_test_assert_wait (browser_failed_shown, f, WAIT_MS);

  uri = relay_window_get_authorize_uri (f->window);
  link = relay_test_find_widget (f->root, "authorize-link");
  g_assert_nonnull (uri);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (link)), ==, uri);
  g_assert_true (gtk_label_get_selectable (GTK_LABEL (link)));
  g_assert_true (gtk_widget_get_mapped (relay_test_find_widget (f->root, "copy-link-button")));
  g_assert_true (gtk_widget_get_mapped (relay_test_find_widget (f->root, "open-again-button")));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (relay_test_find_widget (f->root, "waiting-status"))),
                   ==, "No Browser Opened");
  shoot (f, "waiting-no-browser");

  /* Open Again tries again, and says so again. */
  g_assert_true (gtk_widget_activate_action (f->root, "win.open-again", NULL));
  relay_test_assert_wait (browser_failed_shown, f, WAIT_MS);

  g_assert_true (gtk_widget_activate_action (f->root, "win.cancel-sign-in", NULL));
  relay_test_assert_wait (page_is_welcome, f, WAIT_MS);
  /* Cancelling is not an error. */
  g_assert_null (relay_welcome_page_get_error (RELAY_WELCOME_PAGE (relay_test_find_widget (f->root, "welcome-page"))));
}

static void
browser_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Fixture *f = user_data;

  f->page = soup_session_send_and_read_finish (SOUP_SESSION (object), result, NULL);
  f->browser_done = TRUE;
}

static gboolean
browser_finished (gpointer data)
{
  return ((Fixture *) data)->browser_done;
}

static void
record_uri (RelayWindow *window,
            const char  *uri,
            gpointer     user_data)
{
  Fixture *f = user_data;

  g_free (f->authorize_uri);
  f->authorize_uri = g_strdup (uri);
}

static gboolean
uri_recorded (gpointer data)
{
  return ((Fixture *) data)->authorize_uri != NULL;
}

/* The browser's page, kept next to the screenshots as BASE.html and,
 * drawn by headless chromium where it is installed, as
 * BASE-WIDTH-SCHEME.png. */
static void
save_page (GBytes     *page,
           const char *base)
{
  static const int widths[] = { 360, 1280 };
  g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "screenshots", NULL);
  g_autofree char *name = g_strconcat (base, ".html", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *uri = NULL;
  g_autofree char *chromium = g_find_program_in_path ("chromium");
  g_autoptr(GError) error = NULL;

  g_assert_no_errno (g_mkdir_with_parents (dir, 0755));
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (page, NULL), g_bytes_get_size (page), &error));
  g_assert_no_error (error);

  if (chromium == NULL)
    {
      g_test_message ("No chromium: %s not drawn", name);
      return;
    }

  uri = g_filename_to_uri (path, NULL, &error);
  g_assert_no_error (error);
  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    for (guint dark = 0; dark < 2; dark++)
      {
        g_autofree char *size = g_strdup_printf ("--window-size=%d,600", widths[w]);
        g_autofree char *png = g_strdup_printf ("%s/%s-%d-%s.png", dir, base, widths[w], dark ? "dark" : "light");
        g_autofree char *shot = g_strconcat ("--screenshot=", png, NULL);
        const char *argv[] = {
          chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
          size, dark ? "--blink-settings=preferredColorScheme=0" : "--blink-settings=preferredColorScheme=1",
          shot, uri, NULL
        };
        int status = 0;

        if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                           NULL, NULL, NULL, NULL, &status, &error) ||
            !g_spawn_check_wait_status (status, &error))
          {
            g_test_message ("chromium did not draw %s: %s", png, error->message);
            g_clear_error (&error);
            continue;
          }
        g_test_message ("Screenshot: %s", png);
      }
}

/* Item 3: a wrong secret, and a denial in the browser, stay on the
 * page until the person acts. */
static void
test_sign_in_errors (Fixture       *f,
                     gconstpointer  data)
{
  GtkWidget *welcome = relay_test_find_widget (f->root, "welcome-page");
  g_autoptr(SoupMessage) message = NULL;

  relay_test_set_text (f->root, "api-secret", "not-the-secret");
  relay_welcome_page_set_kind (RELAY_WELCOME_PAGE (welcome), RELAY_ACCOUNT_API_KEY);
  g_assert_true (gtk_widget_activate_action (f->root, "win.sign-in", NULL));
  relay_test_assert_wait (error_shown, f, WAIT_MS);
  g_assert_true (g_str_has_suffix (relay_welcome_page_get_error (RELAY_WELCOME_PAGE (welcome)),
                                   " did not accept the credentials; sign in again."));
  g_assert_true (gtk_widget_get_mapped (relay_test_find_widget (f->root, "sign-in-error")));
  shoot (f, "sign-in-error");

  /* Still there later: it is not a toast. Dismiss hides it. */
  relay_test_iterate (200);
  g_assert_nonnull (relay_welcome_page_get_error (RELAY_WELCOME_PAGE (welcome)));
  g_signal_emit_by_name (relay_test_find_widget (f->root, "sign-in-error-dismiss"), "clicked");
  g_assert_null (relay_welcome_page_get_error (RELAY_WELCOME_PAGE (welcome)));

  /* Denied in the browser. */
  relay_sandbox_server_set_auto_deny (relay_application_get_sandbox (f->app), TRUE);
  relay_window_set_uri_launcher (f->window, record_uri, f);
  relay_welcome_page_set_kind (RELAY_WELCOME_PAGE (welcome), RELAY_ACCOUNT_OAUTH);
  g_assert_true (gtk_widget_activate_action (f->root, "win.sign-in", NULL));
  relay_test_assert_wait (uri_recorded, f, WAIT_MS);
  f->browser = soup_session_new ();
  message = soup_message_new ("GET", f->authorize_uri);
  soup_session_send_and_read_async (f->browser, message, G_PRIORITY_DEFAULT, NULL, browser_done_cb, f);
  relay_test_assert_wait (error_shown, f, WAIT_MS);
  relay_test_assert_wait (browser_finished, f, WAIT_MS);
  relay_sandbox_server_set_auto_deny (relay_application_get_sandbox (f->app), FALSE);

  g_assert_nonnull (strstr (relay_welcome_page_get_error (RELAY_WELCOME_PAGE (welcome)), "denied"));
  shoot (f, "sign-in-denied");

  /* The browser's page: styled, and it says to return to Relay. */
  g_assert_nonnull (f->page);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (f->page, NULL), g_bytes_get_size (f->page), "return to Relay"));
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (f->page, NULL), g_bytes_get_size (f->page), "<style>"));
  save_page (f->page, "browser-cancelled");

  /* Signing in again clears it. */
  relay_welcome_page_set_kind (RELAY_WELCOME_PAGE (welcome), RELAY_ACCOUNT_API_KEY);
  relay_test_set_text (f->root, "api-secret", RELAY_SANDBOX_DEFAULT_API_SECRET);
  g_assert_true (gtk_widget_activate_action (f->root, "win.sign-in", NULL));
  g_assert_null (relay_welcome_page_get_error (RELAY_WELCOME_PAGE (welcome)));
  relay_test_assert_wait (page_is_send, f, WAIT_MS);
}

/* Item 4: Add Account is a page with a way back, Back or Escape, and
 * in sandbox mode its fields hold the sandbox's credentials again. */
static void
test_add_account (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GtkShortcutAction) escape_action = NULL;
  gboolean alt_left = FALSE;
  g_autoptr(GListModel) controllers = NULL;
  GtkWidget *back = relay_test_find_widget (f->root, "back-button");

  sign_in_with_api_key (f);
  g_assert_false (gtk_widget_get_visible (back));

  g_assert_true (gtk_widget_activate_action (f->root, "win.add-account", NULL));
  g_assert_true (page_is (f, "welcome"));
  g_assert_true (gtk_widget_get_mapped (back));
  g_assert_true (find_label (f->root, "Add Account") != NULL);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (relay_test_find_widget (f->root, "api-secret"))),
                   ==, RELAY_SANDBOX_DEFAULT_API_SECRET);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (relay_test_find_widget (f->root, "consumer-secret"))),
                   ==, RELAY_SANDBOX_DEFAULT_CONSUMER_SECRET);
  shoot (f, "add-account");

  /* Back returns to the account. */
  g_signal_emit_by_name (back, "clicked");
  g_assert_true (page_is (f, "send"));
  g_assert_false (gtk_widget_get_visible (back));

  /* Escape is bound to the same action on the window. */
  controllers = gtk_widget_observe_controllers (f->root);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
          g_autofree char *action = gtk_shortcut_action_to_string (gtk_shortcut_get_action (shortcut));

          if (g_strcmp0 (action, "action(win.back)") != 0)
            continue;
          if (g_strcmp0 (trigger, "Escape") == 0 && escape_action == NULL)
            escape_action = g_object_ref (gtk_shortcut_get_action (shortcut));
          else if (g_strcmp0 (trigger, "<Alt>Left") == 0)
            alt_left = TRUE;
        }
    }
  g_assert_nonnull (escape_action);
  g_assert_true (alt_left);

  g_assert_true (gtk_widget_activate_action (f->root, "win.add-account", NULL));
  g_assert_true (page_is (f, "welcome"));
  g_assert_true (gtk_shortcut_action_activate (escape_action, GTK_SHORTCUT_ACTION_EXCLUSIVE, f->root, NULL));
  g_assert_true (page_is (f, "send"));

  /* Without an account there is nowhere to go back to. */
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (f->root), "back"));
}

/* Item 5 (and 2): accounts have names, the current one is marked, the
 * subtitle is whole at 360 px, and the plain store never sees a
 * sandbox account. */
static void
test_names (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GVariant) state = NULL;
  g_autofree char *expected = NULL;
  GtkWidget *button = relay_test_find_widget (f->root, "accounts-button");
  AdwMessageDialog *dialog;
  GtkWidget *entry;
  GtkPopover *popover;
  GtkLabel *label;
  GMenuModel *menu;
  gboolean listed = FALSE;

  sign_in_with_api_key (f);
  expected = g_strdup_printf ("Sandbox · …%s", RELAY_SANDBOX_DEFAULT_API_KEY + strlen (RELAY_SANDBOX_DEFAULT_API_KEY) - 4);
  g_assert_cmpstr (subtitle (f), ==, expected);

  /* The default name is whole at 360 px: not "relay-sa…". */
  {
    resize (f, 360);
    g_assert_true (relay_test_wait_width (f->root, 360, WAIT_MS));
    relay_test_wait_for_frames (f->root);
    label = find_label (f->root, expected);
    g_assert_nonnull (label);
    g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (label)));
  }
  shoot (f, "account-default-name");

  /* Item 2: stored apart from real accounts, once. The window stores
   * in the background: poll until the keyring agrees. */
  for (guint tries = 0; tries < 200; tries++)
    {
      g_clear_pointer (&accounts, g_ptr_array_unref);
      accounts = relay_test_list_accounts (relay_credential_store_get_sandbox ());
      if (accounts->len == 1)
        break;
      relay_test_iterate (50);
    }
  g_assert_cmpuint (accounts->len, ==, 1);
  g_clear_pointer (&accounts, g_ptr_array_unref);
  accounts = relay_test_list_accounts (relay_credential_store_get_default ());
  g_assert_cmpuint (accounts->len, ==, 0);
  g_clear_pointer (&accounts, g_ptr_array_unref);

  /* The accounts menu names it and marks it. */
  state = g_action_group_get_action_state (G_ACTION_GROUP (f->root), "switch-account");
  g_assert_cmpstr (g_variant_get_string (state, NULL), ==,
                   relay_account_get_id (relay_send_page_get_account (RELAY_SEND_PAGE (relay_test_find_widget (f->root, "send-page")))));
  menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button));
  for (int s = 0; s < g_menu_model_get_n_items (menu); s++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, s, G_MENU_LINK_SECTION);

      for (int i = 0; section != NULL && i < g_menu_model_get_n_items (section); i++)
        {
          g_autofree char *text = NULL;

          if (g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_LABEL, "s", &text) &&
              g_strcmp0 (text, expected) == 0)
            listed = TRUE;
        }
    }
  g_assert_true (listed);

  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));
  relay_test_wait_shown (GTK_WIDGET (popover));
  relay_test_screenshot_light_dark (GTK_WIDGET (popover), "accounts-menu");
  gtk_menu_button_popdown (GTK_MENU_BUTTON (button));

  /* Rename it. */
  g_assert_true (gtk_widget_activate_action (f->root, "win.rename-account", NULL));
  dialog = find_dialog ("rename-dialog");
  g_assert_nonnull (dialog);
  relay_test_wait_shown (GTK_WIDGET (dialog));
  entry = adw_message_dialog_get_extra_child (dialog);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, expected);
  gtk_editable_set_text (GTK_EDITABLE (entry), "Support team");
  relay_test_screenshot_light_dark (GTK_WIDGET (dialog), "rename-dialog");
  adw_message_dialog_response (dialog, "rename");
  relay_test_drain ();
  g_assert_cmpstr (subtitle (f), ==, "Support team");

  /* Stored with the account, not as a secret. */
  for (guint tries = 0; tries < 100; tries++)
    {
      g_clear_pointer (&accounts, g_ptr_array_unref);
      accounts = relay_test_list_accounts (relay_credential_store_get_sandbox ());
      if (accounts->len == 1 &&
          g_strcmp0 (relay_account_get_name (g_ptr_array_index (accounts, 0)), "Support team") == 0)
        break;
      relay_test_iterate (50);
    }
  g_assert_cmpstr (relay_account_get_name (g_ptr_array_index (accounts, 0)), ==,
                   "Support team");

  /* The subtitle is whole at 360 px, never "Suppo…"; the whole name
   * is also its tooltip, for names longer than a header bar. */
  g_assert_cmpstr (gtk_widget_get_tooltip_text (relay_test_find_widget (f->root, "view-switcher-title")),
                   ==, "Support team");
  {
    resize (f, 360);
    g_assert_true (relay_test_wait_width (f->root, 360, WAIT_MS));
    relay_test_wait_for_frames (f->root);
    label = find_label (f->root, "Support team");
    g_assert_nonnull (label);
    g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (label)));
  }
  shoot (f, "account-named");

  /* The Sign Out dialog names it too. */
  g_assert_true (gtk_widget_activate_action (f->root, "win.sign-out", NULL));
  dialog = find_dialog ("sign-out-dialog");
  g_assert_nonnull (dialog);
  relay_test_wait_shown (GTK_WIDGET (dialog));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "“Support team”"));
  relay_test_screenshot_light_dark (GTK_WIDGET (dialog), "sign-out-dialog");
  adw_message_dialog_response (dialog, "cancel");
  relay_test_drain ();
}

/* GIO must find no browser: no default, and the system's chromium
 * taken out of the associations, in this run's private config. */
static void
hide_browsers (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), NULL);
  g_autofree char *path = g_build_filename (dir, "mimeapps.list", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new ("[Removed Associations]\n");
  GList *apps = g_app_info_get_all_for_type ("x-scheme-handler/http");
  GList *secure = g_app_info_get_all_for_type ("x-scheme-handler/https");

  g_string_append (text, "x-scheme-handler/http=");
  for (GList *l = apps; l != NULL; l = l->next)
    g_string_append_printf (text, "%s;", g_app_info_get_id (l->data));
  g_string_append (text, "\nx-scheme-handler/https=");
  for (GList *l = secure; l != NULL; l = l->next)
    g_string_append_printf (text, "%s;", g_app_info_get_id (l->data));
  g_string_append (text, "\n");
  g_list_free_full (apps, g_object_unref);
  g_list_free_full (secure, g_object_unref);

  g_assert_no_errno (g_mkdir_with_parents (dir, 0700));
  g_assert_true (g_file_set_contents (path, text->str, -1, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  relay_test_require_display ();
  relay_test_private_data_home ();
  relay_test_require_keyring ();
  g_test_init (&argc, &argv, NULL);

  /* Only where this run's config folder is private (session-run.sh,
   * build-aux/test): never edit a person's mimeapps.list. */
  if (g_getenv ("RELAY_TEST_PRIVATE_BUS") == NULL)
    {
      g_print ("1..0 # SKIP needs the private session of build-aux/test\n");
      return 77;
    }
  hide_browsers ();

  the_app = relay_test_application_new (FALSE);

  relay_test_disable_animations ();
  /* GNOME's own title bar buttons (org.gnome.desktop.wm.preferences
   * button-layout), which Xvfb's bare X server does not tell GTK. */
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/relay/first-day/no-sandbox", test_no_sandbox);
  ADD ("/relay/first-day/no-browser", test_no_browser);
  ADD ("/relay/first-day/sign-in-errors", test_sign_in_errors);
  ADD ("/relay/first-day/add-account", test_add_account);
  ADD ("/relay/first-day/names", test_names);

#undef ADD

  status = g_test_run ();
  g_clear_object (&the_app);

  return status;
}
