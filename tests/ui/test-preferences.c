/* test-preferences.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <adwaita.h>
#include <string.h>

#include "relay-application.h"
#include "relay-credential-store.h"
#include "relay-phone.h"
#include "relay-preferences-window.h"
#include "relay-sandbox-server.h"
#include "relay-send-notifier.h"
#include "relay-send-page.h"
#include "relay-welcome-page.h"
#include "relay-window.h"
#include "relay-test-util.h"
#include "../relay-test-env.h"

/* Issue 10, items 9 and 10, in the real application: Preferences for
 * people (Advanced per provider, URLs checked as typed and saved only
 * when valid, nothing selected on open, the sandbox's endpoints in
 * sandbox mode), the shortcuts window's single Enter, the About
 * window's links equal to the metainfo's, and the desktop notification
 * of a long send that ends unfocused, received by a notification
 * server this test runs on its private session bus. Screenshots of
 * every state at 360 and 1280 px, light and dark. Runs in the order
 * added: the sandbox starts in /relay/preferences/sandbox. */

#define WAIT_MS 20000

static RelayApplication *the_app;

/* helpers */

static RelayWindow *
the_window (void)
{
  GtkWindow *window;

  g_application_activate (G_APPLICATION (the_app));
  window = gtk_application_get_active_window (GTK_APPLICATION (the_app));
  g_assert_true (RELAY_IS_WINDOW (window));
  relay_test_wait_shown (GTK_WIDGET (window));

  return RELAY_WINDOW (window);
}

static GtkWidget *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return GTK_WIDGET (window);
    }

  return NULL;
}

static GtkWidget *
open_preferences (void)
{
  GtkWidget *preferences;

  the_window ();
  g_action_group_activate_action (G_ACTION_GROUP (the_app), "preferences", NULL);
  preferences = find_toplevel (RELAY_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  relay_test_wait_shown (preferences);
  relay_test_wait_transitions (preferences);

  return preferences;
}

/* @window at 360 and 1280 px wide, light and dark: four PNGs named
 * BASE-WIDTH-SCHEME.png under the build folder's screenshots/. A mapped
 * window keeps its size on X11 without a window manager: hide it, set
 * the size, show it again. */
static void
shoot (GtkWidget  *window,
       const char *base)
{
  static const int widths[] = { 360, 1280 };

  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    {
      g_autofree char *sized = NULL;

      if (!relay_test_has_width (window, widths[w]))
        relay_test_resize (window, widths[w], 720);
      if (!relay_test_wait_width (window, widths[w], 3000))
        g_test_message ("%s: width %d, not %d", base, gtk_widget_get_width (window), widths[w]);

      sized = g_strdup_printf ("%s-%d", base, widths[w]);
      relay_test_screenshot_light_dark (window, sized);
    }
}

static void
close_window (GtkWidget *window)
{
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  relay_test_drain ();
  g_assert_null (window);
}

/* Any text under @widget with a selection: the GtkText of every entry
 * and entry row. */
static GtkWidget *
find_selection (GtkWidget *widget)
{
  int start, end;

  if (GTK_IS_TEXT (widget) &&
      gtk_editable_get_selection_bounds (GTK_EDITABLE (widget), &start, &end))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_selection (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* tests */

/* What counts as a base URL. */
static void
test_check_url (void)
{
  static const struct { const char *text; gboolean valid; } cases[] = {
    { "https://rest.nexmo.com", TRUE },
    { "https://dashboard.nexmo.com/oauth/", TRUE },
    { "http://127.0.0.1:8080", TRUE },
    { "HTTPS://Rest.Nexmo.com/", TRUE },
    { "", FALSE },
    { "rest.nexmo.com", FALSE },
    { "ftp://rest.nexmo.com", FALSE },
    { "file:///etc/passwd", FALSE },
    { "https://", FALSE },
    { "https:///path", FALSE },
    { "https://rest nexmo.com", FALSE },
    { " https://rest.nexmo.com", FALSE },
    { "javascript:alert(1)", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *why = NULL;
      gboolean valid = relay_preferences_check_url (cases[i].text, &why);

      g_test_message ("“%s”: %s", cases[i].text, why ? why : "valid");
      g_assert_cmpint (valid, ==, cases[i].valid);
      g_assert_true ((why == NULL) == valid);
    }
}

/* Item 9: the window opens with nothing selected and no text field
 * focused; request details sit under Advanced, in the provider's
 * expander row, closed. */
static void
test_open (void)
{
  GtkWidget *preferences = open_preferences ();
  GtkWidget *advanced = relay_test_need_widget (preferences, "preferences-advanced");
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (preferences));
  GtkWidget *selected = find_selection (preferences);

  g_test_message ("focus on open: %s", focus ? G_OBJECT_TYPE_NAME (focus) : "nothing");
  g_assert_null (selected);
  g_assert_false (focus != NULL && (GTK_IS_EDITABLE (focus) || gtk_widget_get_ancestor (focus, GTK_TYPE_EDITABLE)));

  g_assert_true (ADW_IS_EXPANDER_ROW (advanced));
  g_assert_false (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (advanced)));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (advanced)), ==, "Nexmo (Vonage)");
  /* Timeout, methods and endpoints are inside it. */
  for (const char * const *name = (const char * const[]) { "preferences-oauth-base", "preferences-rest-base",
                                                           "preferences-request-method",
                                                           "preferences-signature-method",
                                                           "preferences-timeout", NULL };
       *name != NULL; name++)
    {
      GtkWidget *row = relay_test_need_widget (preferences, *name);

      g_assert_true (gtk_widget_is_ancestor (row, advanced));
      g_assert_false (gtk_widget_get_mapped (row));
    }
  g_assert_true (gtk_widget_get_mapped (relay_test_need_widget (preferences, "preferences-confirm-cost")));
  shoot (preferences, "preferences");

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (advanced), TRUE);
  relay_test_wait_transitions (preferences);
  g_assert_true (gtk_widget_get_mapped (relay_test_need_widget (preferences, "preferences-rest-base")));
  g_assert_null (find_selection (preferences));
  shoot (preferences, "preferences-advanced");

  close_window (preferences);
}

static void
assert_description (GtkWidget  *row,
                    const char *expected)
{
  if (expected == NULL)
    {
      g_assert_false (gtk_test_accessible_has_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
    }
  else
    {
      g_autofree char *differs = NULL;

      g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
      differs = gtk_test_accessible_check_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                                    expected);
      if (differs != NULL)
        g_error ("accessible description: %s, not “%s”", differs, expected);
    }
}

/* Item 9: a URL is checked as typed; an invalid one is marked, says
 * why to assistive technology, and never reaches GSettings. */
static void
test_invalid_url (void)
{
  GSettings *settings = relay_application_get_settings (the_app);
  GtkWidget *preferences = open_preferences ();
  GtkWidget *rest = relay_test_need_widget (preferences, "preferences-rest-base");
  GtkWidget *oauth = relay_test_need_widget (preferences, "preferences-oauth-base");
  static const char *invalid[] = { "ftp://rest.example.com", "https://", "rest.example.com", "", NULL };
  g_autofree char *saved = NULL;

  g_settings_reset (settings, "rest-base");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (rest)), ==, "https://rest.nexmo.com");
  g_assert_false (gtk_widget_has_css_class (rest, "error"));
  assert_description (rest, NULL);

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (relay_test_need_widget (preferences, "preferences-advanced")), TRUE);
  relay_test_wait_transitions (preferences);

  for (guint i = 0; invalid[i] != NULL; i++)
    {
      g_autofree char *why = NULL;
      g_autofree char *stored = NULL;

      g_assert_false (relay_preferences_check_url (invalid[i], &why));
      gtk_editable_set_text (GTK_EDITABLE (rest), invalid[i]);
      g_assert_true (gtk_widget_has_css_class (rest, "error"));
      assert_description (rest, why);
      /* Also in words, below the row. */
      g_assert_true (gtk_widget_get_mapped (relay_test_need_widget (preferences, "preferences-rest-base-problem")));
      g_assert_cmpstr (relay_test_get_label (preferences, "preferences-rest-base-problem"), ==, why);
      stored = g_settings_get_string (settings, "rest-base");
      g_assert_cmpstr (stored, ==, "https://rest.nexmo.com");
    }

  gtk_editable_set_text (GTK_EDITABLE (rest), "ftp://rest.example.com");
  g_assert_false (gtk_widget_has_css_class (oauth, "error"));
  shoot (preferences, "preferences-invalid-url");

  /* Valid again: saved, and the mark goes. */
  gtk_editable_set_text (GTK_EDITABLE (rest), "http://127.0.0.1:9");
  g_assert_false (gtk_widget_has_css_class (rest, "error"));
  assert_description (rest, NULL);
  g_assert_false (gtk_widget_get_mapped (relay_test_need_widget (preferences, "preferences-rest-base-problem")));
  saved = g_settings_get_string (settings, "rest-base");
  g_assert_cmpstr (saved, ==, "http://127.0.0.1:9");

  /* A change from elsewhere shows. */
  g_settings_reset (settings, "rest-base");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (rest)), ==, "https://rest.nexmo.com");

  close_window (preferences);
}

/* The default country code of imported lists (issue 13, item 1): a
 * calling code or nothing is saved, anything else is marked and kept
 * out of the settings; a change from the Send to List page shows. */
static void
test_default_country (void)
{
  GSettings *settings = relay_application_get_settings (the_app);
  GtkWidget *preferences;
  GtkWidget *row;
  static const char *invalid[] = { "4x", "+", "0", "999", "12345", NULL };
  g_autofree char *stored = NULL;

  g_settings_set_string (settings, "default-country", "");
  preferences = open_preferences ();
  row = relay_test_need_widget (preferences, "preferences-default-country");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "");
  g_assert_false (gtk_widget_has_css_class (row, "error"));

  gtk_editable_set_text (GTK_EDITABLE (row), "44");
  stored = g_settings_get_string (settings, "default-country");
  g_assert_cmpstr (stored, ==, "44");
  g_assert_false (gtk_widget_has_css_class (row, "error"));

  for (guint i = 0; invalid[i] != NULL; i++)
    {
      g_autofree char *kept = NULL;

      g_assert_false (relay_phone_is_country_code (invalid[i]));
      gtk_editable_set_text (GTK_EDITABLE (row), invalid[i]);
      g_assert_true (gtk_widget_has_css_class (row, "error"));
      kept = g_settings_get_string (settings, "default-country");
      g_assert_cmpstr (kept, ==, "44");
    }
  shoot (preferences, "preferences-default-country");

  /* Emptied: no default, saved. */
  gtk_editable_set_text (GTK_EDITABLE (row), " ");
  g_assert_false (gtk_widget_has_css_class (row, "error"));
  g_clear_pointer (&stored, g_free);
  stored = g_settings_get_string (settings, "default-country");
  g_assert_cmpstr (stored, ==, "");

  /* Set on the Send to List page: the row follows. */
  g_settings_set_string (settings, "default-country", "353");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "353");
  g_assert_false (gtk_widget_has_css_class (row, "error"));

  g_settings_set_string (settings, "default-country", "");
  close_window (preferences);
}

/* Item 9: with the sandbox, Advanced shows its endpoints, read-only,
 * under its own name, not Nexmo's. */
static void
test_sandbox (void)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *preferences;
  GtkWidget *advanced;
  const char *uri;
  g_autofree char *rest_base = NULL;
  g_autofree char *oauth_base = NULL;

  g_assert_true (relay_application_start_sandbox (the_app, &error));
  g_assert_no_error (error);
  uri = relay_application_get_sandbox_uri (the_app);
  rest_base = g_strndup (uri, strlen (uri) - (g_str_has_suffix (uri, "/") ? 1 : 0));
  oauth_base = g_strconcat (rest_base, "/oauth/", NULL);

  preferences = open_preferences ();
  advanced = relay_test_need_widget (preferences, "preferences-advanced");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (advanced)), ==, "Sandbox");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (advanced), TRUE);
  relay_test_wait_transitions (preferences);

  g_assert_false (gtk_widget_get_visible (relay_test_need_widget (preferences, "preferences-oauth-base")));
  g_assert_false (gtk_widget_get_visible (relay_test_need_widget (preferences, "preferences-rest-base")));
  g_assert_true (gtk_widget_get_mapped (relay_test_need_widget (preferences, "preferences-sandbox-oauth-base")));
  g_assert_true (gtk_widget_get_mapped (relay_test_need_widget (preferences, "preferences-sandbox-rest-base")));
  g_assert_cmpstr (relay_test_get_label (preferences, "preferences-sandbox-oauth-base"), ==, oauth_base);
  g_assert_cmpstr (relay_test_get_label (preferences, "preferences-sandbox-rest-base"), ==, rest_base);
  shoot (preferences, "preferences-sandbox");

  close_window (preferences);
}

static void
collect_shortcuts (GtkWidget *widget,
                   GPtrArray *found)
{
  /* The window's search page holds copies: only the section's count. */
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget) && gtk_widget_get_ancestor (widget, GTK_TYPE_SHORTCUTS_SECTION) != NULL)
    g_ptr_array_add (found, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_shortcuts (child, found);
}

/* Item 10: one "Ctrl Enter" for Send, never "KP_Enter"; the keypad
 * key still sends. */
static void
test_shortcuts (void)
{
  RelayWindow *window = the_window ();
  g_auto(GStrv) send = gtk_application_get_accels_for_action (GTK_APPLICATION (the_app), "win.send");
  g_autoptr(GPtrArray) shortcuts = g_ptr_array_new ();
  GtkWidget *overlay;
  guint enter = 0;

  g_assert_true (g_strv_contains ((const char * const *) send, "<Control>Return"));
  g_assert_true (g_strv_contains ((const char * const *) send, "<Control>KP_Enter"));

  overlay = GTK_WIDGET (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  g_assert_nonnull (overlay);
  g_action_group_activate_action (G_ACTION_GROUP (the_app), "shortcuts", NULL);
  relay_test_wait_shown (overlay);

  collect_shortcuts (overlay, shortcuts);
  g_assert_cmpuint (shortcuts->len, >, 0);
  for (guint i = 0; i < shortcuts->len; i++)
    {
      g_autofree char *accelerator = NULL;
      g_autofree char *action = NULL;
      g_autofree char *title = NULL;
      g_auto(GStrv) accels = NULL;

      g_object_get (shortcuts->pdata[i], "accelerator", &accelerator, "action-name", &action, "title", &title, NULL);
      /* What the window draws: its accelerator, or every accelerator
       * of its action. */
      if (accelerator != NULL)
        accels = g_strsplit (accelerator, " ", -1);
      else if (action != NULL)
        accels = gtk_application_get_accels_for_action (GTK_APPLICATION (the_app), action);
      g_assert_nonnull (accels);

      for (guint a = 0; accels[a] != NULL; a++)
        {
          guint key = 0;
          GdkModifierType mods = 0;

          g_test_message ("%s: %s", title, accels[a]);
          g_assert_true (gtk_accelerator_parse (accels[a], &key, &mods));
          g_assert_cmpuint (key, !=, GDK_KEY_KP_Enter);
          if (key == GDK_KEY_Return)
            {
              enter++;
              g_assert_cmpstr (title, ==, "Send");
            }
        }
    }
  g_assert_cmpuint (enter, ==, 1);

  shoot (overlay, "shortcuts");
  gtk_window_close (GTK_WINDOW (overlay));
  relay_test_drain ();
}

/* The <url type="TYPE"> of the built metainfo. */
static char *
metainfo_url (const char *type)
{
  const char *path = g_getenv ("RELAY_TEST_METAINFO");
  g_autofree char *text = NULL;
  g_autofree char *open = g_strdup_printf ("<url type=\"%s\">", type);
  g_autoptr(GError) error = NULL;
  const char *start, *end;

  g_assert_nonnull (path);
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  start = strstr (text, open);
  g_assert_nonnull (start);
  start += strlen (open);
  end = strstr (start, "</url>");
  g_assert_nonnull (end);

  return g_strndup (start, end - start);
}

/* Item 10: About links to the website and the issue tracker, the
 * metainfo's own. */
static void
test_about (void)
{
  g_autofree char *homepage = metainfo_url ("homepage");
  g_autofree char *bugtracker = metainfo_url ("bugtracker");
  GtkWidget *about;

  the_window ();
  g_action_group_activate_action (G_ACTION_GROUP (the_app), "about", NULL);
  about = find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  relay_test_wait_shown (about);

  g_assert_true (g_str_has_prefix (homepage, "https://"));
  g_assert_cmpstr (adw_about_window_get_website (ADW_ABOUT_WINDOW (about)), ==, homepage);
  g_assert_cmpstr (adw_about_window_get_issue_url (ADW_ABOUT_WINDOW (about)), ==, bugtracker);

  shoot (about, "about");
  close_window (about);
}

/* The notification server: org.freedesktop.Notifications, owned by
 * this process on a connection of its own. */

static const char notifications_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='Notify'>"
  "      <arg type='s' direction='in'/><arg type='u' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='as' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "      <arg type='u' direction='out'/>"
  "    </method>"
  "    <method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "    <method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "    <method name='GetServerInformation'>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "    </method>"
  "    <signal name='NotificationClosed'><arg type='u'/><arg type='u'/></signal>"
  "    <signal name='ActionInvoked'><arg type='u'/><arg type='s'/></signal>"
  "  </interface>"
  "</node>";

typedef struct
{
  GDBusConnection *connection;
  guint            registration;
  guint            owner;
  gboolean         owned;
  guint            n_notify;
  guint            n_close;
  guint            closed_id;
  char            *summary;
  char            *body;
} Server;

static Server server;

static void
server_method_cb (GDBusConnection       *connection,
                  const char            *sender,
                  const char            *path,
                  const char            *interface,
                  const char            *method,
                  GVariant              *parameters,
                  GDBusMethodInvocation *invocation,
                  gpointer               user_data)
{
  if (g_str_equal (method, "Notify"))
    {
      const char *summary, *body;

      g_variant_get_child (parameters, 3, "&s", &summary);
      g_variant_get_child (parameters, 4, "&s", &body);
      g_free (server.summary);
      g_free (server.body);
      server.summary = g_strdup (summary);
      server.body = g_strdup (body);
      server.n_notify++;
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", 100 + server.n_notify));
    }
  else if (g_str_equal (method, "CloseNotification"))
    {
      g_variant_get (parameters, "(u)", &server.closed_id);
      server.n_close++;
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else if (g_str_equal (method, "GetCapabilities"))
    {
      const char *caps[] = { "body", NULL };

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
  else
    {
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ssss)", "relay-test", "Relay", "1", "1.2"));
    }
}

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  server.owned = TRUE;
}

static gboolean
server_owned (gpointer data)
{
  return server.owned;
}

/* GLib 2.74 picks the notification backend once, when the application
 * registers (gnotificationbackend.c, extension point
 * "gnotification-backend"): the portal (priority 110) only in a sandbox
 * or with GTK_USE_PORTAL=1; else "gtk" (100), org.gtk.Notifications,
 * when that name has an owner on the session bus; else "freedesktop"
 * (0), org.freedesktop.Notifications, always. The private session bus
 * of session-run.sh has no org.gtk.Notifications, so it is the last:
 * the one this server answers. */
static gboolean
start_server (GError **error)
{
  static const GDBusInterfaceVTable vtable = { server_method_cb, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) node = g_dbus_node_info_new_for_xml (notifications_xml, error);
  g_autofree char *address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, error);
  g_autoptr(GVariant) owner = NULL;
  gboolean has_owner = TRUE;

  if (node == NULL || address == NULL)
    return FALSE;

  server.connection = g_dbus_connection_new_for_address_sync (address,
                                                              G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                              G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                              NULL, NULL, error);
  if (server.connection == NULL)
    return FALSE;

  owner = g_dbus_connection_call_sync (server.connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", "org.gtk.Notifications"), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, error);
  if (owner == NULL)
    return FALSE;
  g_variant_get (owner, "(b)", &has_owner);
  g_assert_false (has_owner);

  server.registration = g_dbus_connection_register_object (server.connection, "/org/freedesktop/Notifications",
                                                           node->interfaces[0], &vtable, NULL, NULL, error);
  if (server.registration == 0)
    return FALSE;
  server.owner = g_bus_own_name_on_connection (server.connection, "org.freedesktop.Notifications",
                                               G_BUS_NAME_OWNER_FLAGS_NONE, name_acquired_cb, NULL, NULL, NULL);
  relay_test_assert_wait (server_owned, NULL, WAIT_MS);

  return TRUE;
}

static void
round_trip_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, NULL);

  g_assert_nonnull (reply);
  *(gboolean *) user_data = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

/* A call from the application's own connection to the server, after
 * whatever the application sent before: once answered, the server has
 * seen every earlier Notify, and the application has the answers to
 * them (GLib withdraws a notification by the id the server answered;
 * before that answer it cannot). */
static void
round_trip (void)
{
  GDBusConnection *app_bus = g_application_get_dbus_connection (G_APPLICATION (the_app));
  gboolean done = FALSE;

  g_assert_nonnull (app_bus);
  relay_test_drain ();
  g_dbus_connection_call (app_bus, "org.freedesktop.Notifications", "/org/freedesktop/Notifications",
                          "org.freedesktop.Notifications", "GetServerInformation", NULL,
                          G_VARIANT_TYPE ("(ssss)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, round_trip_cb, &done);
  relay_test_assert_wait (flag_set, &done, WAIT_MS);
  relay_test_drain ();
}

/* the send */

typedef struct
{
  RelayWindow   *window;
  RelaySendPage *page;
  RelayClock    *clock;
  GtkWidget     *other;  /* a window of another application, focused */
} Send;

static gboolean
page_is_send (gpointer data)
{
  return g_strcmp0 (relay_window_get_page (data), "send") == 0;
}

static gboolean
page_is_welcome (gpointer data)
{
  return g_strcmp0 (relay_window_get_page (data), "welcome") == 0 && !relay_window_get_starting (data);
}

static gboolean
send_over (gpointer data)
{
  return !relay_send_page_get_sending (data);
}

static gboolean
notified (gpointer data)
{
  return server.n_notify >= GPOINTER_TO_UINT (data);
}

static gboolean
closed (gpointer data)
{
  return server.n_close >= GPOINTER_TO_UINT (data);
}

static gboolean
is_active (gpointer data)
{
  return gtk_window_is_active (data);
}

static gboolean
is_inactive (gpointer data)
{
  return !gtk_window_is_active (data);
}

/* Gives the focus to another window, as a person turning to another
 * application would. */
static void
leave (Send *s)
{
  if (s->other == NULL)
    {
      s->other = gtk_window_new ();
      gtk_window_set_title (GTK_WINDOW (s->other), "Another application");
      gtk_window_set_default_size (GTK_WINDOW (s->other), 200, 100);
    }
  gtk_window_present (GTK_WINDOW (s->other));
  relay_test_wait_shown (s->other);
  relay_test_assert_wait (is_inactive, s->window, WAIT_MS);
}

static void
come_back (Send *s)
{
  gtk_widget_set_visible (s->other, FALSE);
  gtk_window_present (GTK_WINDOW (s->window));
  relay_test_assert_wait (is_active, s->window, WAIT_MS);
}

/* Sends @text to @n numbers; @lasting moves the window's clock past the
 * length of a long send while it runs. */
static void
send (Send       *s,
      guint       n,
      const char *text,
      gboolean    lasting)
{
  g_autoptr(GString) to = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (to, "4477009001%02u\n", i);
  relay_test_set_text (GTK_WIDGET (s->window), "from", "Relay");
  relay_test_set_text (GTK_WIDGET (s->window), "to", to->str);
  relay_test_set_text (GTK_WIDGET (s->window), "text", text);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (s->window), "win.send", NULL));
  g_assert_true (relay_send_page_get_sending (s->page));
  if (lasting)
    relay_clock_advance (s->clock, RELAY_SEND_NOTIFIER_MIN_US + G_USEC_PER_SEC);
  relay_test_assert_wait (send_over, s->page, WAIT_MS);
  relay_test_drain ();
}

/* Item 10: a long send that ends while the window is not focused is
 * notified with its summary; focusing the window withdraws it. A short
 * one, or one that ends focused, is not notified. */
static void
test_notification (void)
{
  GSettings *settings = relay_application_get_settings (the_app);
  g_autoptr(RelayClock) clock = relay_clock_new_manual (1000 * G_USEC_PER_SEC);
  Send s = { 0 };
  const char *toast;

  if (!server.owned)
    {
      g_test_skip ("no notification server on the session bus");
      return;
    }

  g_settings_set_string (settings, "confirm-cost-above", "1000");
  s.window = the_window ();
  s.page = RELAY_SEND_PAGE (relay_test_need_widget (GTK_WIDGET (s.window), "send-page"));
  s.clock = clock;
  relay_window_set_clock (s.window, clock);
  relay_test_assert_wait (page_is_welcome, s.window, WAIT_MS);
  /* This window opened before the sandbox: its fields, as "Try the
   * Sandbox" fills them. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (s.window), "win.try-sandbox", NULL));
  relay_welcome_page_set_kind (RELAY_WELCOME_PAGE (relay_test_need_widget (GTK_WIDGET (s.window), "welcome-page")),
                               RELAY_ACCOUNT_API_KEY);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (s.window), "win.sign-in", NULL));
  relay_test_assert_wait (page_is_send, s.window, WAIT_MS);
  relay_test_assert_wait (is_active, s.window, WAIT_MS);

  /* Long, and unfocused: notified. */
  leave (&s);
  send (&s, 12, "Long and away", TRUE);
  relay_test_assert_wait (notified, GUINT_TO_POINTER (1), WAIT_MS);
  round_trip ();
  toast = relay_window_get_last_toast (s.window);
  g_test_message ("Notify: “%s” / “%s”", server.summary, server.body);
  g_assert_cmpstr (server.summary, ==, "Sending Finished");
  g_assert_cmpstr (server.body, ==, toast);
  g_assert_nonnull (strstr (server.body, "12"));
  g_assert_cmpuint (server.n_close, ==, 0);

  /* Back in the window: withdrawn. */
  come_back (&s);
  relay_test_assert_wait (closed, GUINT_TO_POINTER (1), WAIT_MS);
  g_assert_cmpuint (server.closed_id, ==, 101);

  /* Long, but focused: the window says it, nothing else. */
  send (&s, 12, "Long and here", TRUE);
  round_trip ();
  g_assert_cmpuint (server.n_notify, ==, 1);

  /* Short, unfocused: not worth a notification. */
  leave (&s);
  send (&s, 2, "Short and away", FALSE);
  round_trip ();
  g_assert_cmpuint (server.n_notify, ==, 1);

  come_back (&s);
  gtk_window_destroy (GTK_WINDOW (s.other));
  relay_window_set_clock (s.window, NULL);
  g_settings_reset (settings, "confirm-cost-above");
  relay_test_drain ();
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  relay_test_require_display ();
  relay_test_private_data_home ();
  relay_test_require_keyring ();
  g_test_init (&argc, &argv, NULL);

  /* The notification backend is chosen when the application registers:
   * the server must own its name first, and the portal stay out. */
  g_unsetenv ("GTK_USE_PORTAL");
  g_unsetenv ("GNOTIFICATION_BACKEND");
  if (g_getenv ("RELAY_TEST_PRIVATE_BUS") == NULL)
    g_test_message ("not on a private session bus: no notification server");
  else if (!start_server (&error))
    g_error ("notification server: %s", error->message);

  the_app = relay_test_application_new (FALSE);

  relay_test_clear_store (relay_credential_store_get_default ());
  relay_test_clear_store (relay_credential_store_get_sandbox ());

  relay_test_disable_animations ();
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);

  g_test_add_func ("/relay/preferences/check-url", test_check_url);
  g_test_add_func ("/relay/preferences/open", test_open);
  g_test_add_func ("/relay/preferences/invalid-url", test_invalid_url);
  g_test_add_func ("/relay/preferences/sandbox", test_sandbox);
  g_test_add_func ("/relay/preferences/default-country", test_default_country);
  g_test_add_func ("/relay/details/shortcuts", test_shortcuts);
  g_test_add_func ("/relay/details/about", test_about);
  g_test_add_func ("/relay/details/notification", test_notification);

  status = g_test_run ();

  relay_test_clear_store (relay_credential_store_get_default ());
  relay_test_clear_store (relay_credential_store_get_sandbox ());
  g_clear_object (&the_app);

  return status;
}
