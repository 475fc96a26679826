/* test-history-delivery.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Delivery status in the real window against the application's sandbox
 * (delivery delay 0, so no time has to pass): Check Delivery in the
 * detail view, and the refresh of recent messages when the window opens
 * with the "check-delivery" preference on.
 */

#include <adwaita.h>
#include <glib/gstdio.h>

#include "relay-application.h"
#include "relay-credential-store.h"
#include "relay-history-page.h"
#include "relay-history-row.h"
#include "relay-sandbox-server.h"
#include "relay-send-page.h"
#include "relay-welcome-page.h"
#include "relay-window.h"
#include "relay-test-util.h"
#include "../relay-test-env.h"

#define WAIT_MS 20000

static RelayApplication *the_app;

typedef struct
{
  RelayWindow *window;
  GtkWidget   *root;
} Fixture;

static gboolean
window_gone (gpointer data)
{
  return ((Fixture *) data)->window == NULL;
}

static gboolean
start_done (gpointer data)
{
  return !relay_window_get_starting (((Fixture *) data)->window);
}

static gboolean
store_open (gpointer data)
{
  return relay_window_get_store (((Fixture *) data)->window) != NULL;
}

static gboolean
page_is_send (gpointer data)
{
  return g_strcmp0 (relay_window_get_page (((Fixture *) data)->window), "send") == 0;
}

static gboolean
page_is_welcome (gpointer data)
{
  return g_strcmp0 (relay_window_get_page (((Fixture *) data)->window), "welcome") == 0;
}

static void
open_window (Fixture *f)
{
  g_application_activate (G_APPLICATION (the_app));
  f->window = RELAY_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (the_app)));
  g_assert_true (RELAY_IS_WINDOW (f->window));
  f->root = GTK_WIDGET (f->window);
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);

  relay_test_assert_wait (start_done, f, WAIT_MS);
  relay_test_assert_wait (store_open, f, WAIT_MS);
}

static void
close_window (Fixture *f)
{
  gtk_window_close (GTK_WINDOW (f->window));
  relay_test_assert_wait (window_gone, f, WAIT_MS);
}

static void
list_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GPtrArray **) user_data = relay_credential_store_list_finish (result, NULL);
}

static gboolean
listed (gpointer data)
{
  return *(GPtrArray **) data != NULL;
}

static void
delete_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  relay_credential_store_delete_finish (result, NULL);
  (*(guint *) user_data)--;
}

static gboolean
none_pending (gpointer data)
{
  return *(guint *) data == 0;
}

static void
clear_store (RelayCredentialStore *store)
{
  g_autoptr(GPtrArray) accounts = NULL;
  guint pending;

  relay_credential_store_list_async (store, NULL, list_done_cb, &accounts);
  relay_test_assert_wait (listed, &accounts, WAIT_MS);
  pending = accounts->len;
  for (guint i = 0; i < accounts->len; i++)
    relay_credential_store_delete_async (store, relay_account_get_id (g_ptr_array_index (accounts, i)),
                                         NULL, delete_done_cb, &pending);
  relay_test_assert_wait (none_pending, &pending, WAIT_MS);
}

/* The window runs on the sandbox, whose accounts live apart. */
static void
clear_keyring (void)
{
  clear_store (relay_credential_store_get_default ());
  clear_store (relay_credential_store_get_sandbox ());
  g_settings_reset (relay_application_get_settings (the_app), "last-account");
}

static void
sign_in (Fixture *f)
{
  relay_test_assert_wait (page_is_welcome, f, WAIT_MS);
  relay_welcome_page_set_kind (RELAY_WELCOME_PAGE (relay_test_need_widget (f->root, "welcome-page")),
                               RELAY_ACCOUNT_API_KEY);
  g_assert_true (gtk_widget_activate_action (f->root, "win.sign-in", NULL));
  relay_test_assert_wait (page_is_send, f, WAIT_MS);
}

static void
count_recorded (guint *recorded)
{
  (*recorded)++;
}

static gboolean
recorded_twice (gpointer data)
{
  return *(guint *) data >= 2;
}

static gboolean
not_sending (gpointer data)
{
  Fixture *f = data;

  return !relay_send_page_get_sending (RELAY_SEND_PAGE (relay_test_need_widget (f->root, "send-page")));
}

/* One message from the window: queued, then recorded as sent. */
static void
send_one (Fixture    *f,
          const char *to)
{
  guint recorded = 0;
  gulong id;

  id = g_signal_connect_swapped (relay_test_need_widget (f->root, "send-page"), "recorded",
                                 G_CALLBACK (count_recorded), &recorded);
  relay_test_set_text (f->root, "to", to);
  relay_test_set_text (f->root, "text", "Did it arrive?");
  g_assert_true (gtk_widget_activate_action (f->root, "win.send", NULL));
  relay_test_assert_wait (recorded_twice, &recorded, WAIT_MS);
  relay_test_assert_wait (not_sending, f, WAIT_MS);
  g_signal_handler_disconnect (relay_test_need_widget (f->root, "send-page"), id);
}

static void
show_history (Fixture *f)
{
  AdwViewStack *stack = adw_view_switcher_title_get_stack (ADW_VIEW_SWITCHER_TITLE (relay_test_need_widget (f->root, "view-switcher-title")));

  adw_view_stack_set_visible_child_name (stack, "history");
  relay_test_wait_for_frames (f->root);
}

typedef struct
{
  Fixture    *f;
  const char *name;
  const char *prefix;
} LabelWait;

/* The first mapped widget @name under the root whose label (a GtkLabel,
 * or an AdwActionRow's subtitle) starts with @prefix. */
static gboolean
find_label (GtkWidget  *widget,
            const char *name,
            const char *prefix)
{
  if (gtk_widget_get_mapped (widget) && g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    {
      const char *text = NULL;

      if (GTK_IS_LABEL (widget))
        text = gtk_label_get_label (GTK_LABEL (widget));
      else if (ADW_IS_ACTION_ROW (widget))
        text = adw_action_row_get_subtitle (ADW_ACTION_ROW (widget));
      if (text != NULL && strstr (text, prefix) != NULL)
        return TRUE;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (find_label (child, name, prefix))
      return TRUE;

  return FALSE;
}

static gboolean
label_shows (gpointer data)
{
  LabelWait *wait = data;

  return find_label (wait->f->root, wait->name, wait->prefix);
}

static gboolean
view_is_detail (gpointer data)
{
  RelayHistoryPage *page = RELAY_HISTORY_PAGE (relay_test_need_widget (((Fixture *) data)->root, "history-page"));

  return g_strcmp0 (relay_history_page_get_view (page), "detail") == 0;
}

static gboolean
view_is_list (gpointer data)
{
  RelayHistoryPage *page = RELAY_HISTORY_PAGE (relay_test_need_widget (((Fixture *) data)->root, "history-page"));

  return g_strcmp0 (relay_history_page_get_view (page), "list") == 0;
}

/* Check Delivery in the detail view asks the sandbox, shows
 * "Delivered" with its time there, and in the row once back. */
static void
test_check_delivery (void)
{
  Fixture f = { 0 };
  RelayHistoryPage *page;
  LabelWait detail = { &f, "history-detail-delivery", "Delivered — " };
  LabelWait row = { &f, "history-row-time", "Delivered · " };
  LabelWait not_yet = { &f, "history-row-time", "Delivered" };

  open_window (&f);
  sign_in (&f);
  send_one (&f, "447700900051");

  show_history (&f);
  page = RELAY_HISTORY_PAGE (relay_test_need_widget (f.root, "history-page"));
  relay_test_assert_wait (view_is_list, &f, WAIT_MS);
  /* Nothing was asked yet (the preference is off). */
  relay_test_iterate (200);
  g_assert_false (label_shows (&not_yet));

  relay_history_page_show_position (page, 0);
  relay_test_assert_wait (view_is_detail, &f, WAIT_MS);
  relay_test_wait_for_frames (f.root);
  g_assert_true (gtk_widget_activate (relay_test_need_widget (f.root, "history-check-delivery")));
  relay_test_assert_wait (label_shows, &detail, WAIT_MS);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "history.back", NULL));
  relay_test_assert_wait (view_is_list, &f, WAIT_MS);
  relay_test_assert_wait (label_shows, &row, WAIT_MS);

  close_window (&f);
  clear_keyring ();
}

/* With the preference on, opening the window refreshes the account's
 * recent messages without a click. */
static void
test_refresh_on_open (void)
{
  GSettings *settings = relay_application_get_settings (the_app);
  Fixture f = { 0 };
  LabelWait row = { &f, "history-row-time", "Delivered · " };

  open_window (&f);
  sign_in (&f);
  send_one (&f, "447700900052");
  close_window (&f);

  g_settings_set_boolean (settings, "check-delivery", TRUE);
  open_window (&f);
  relay_test_assert_wait (page_is_send, &f, WAIT_MS);
  show_history (&f);
  relay_test_assert_wait (label_shows, &row, WAIT_MS);

  close_window (&f);
  g_settings_reset (settings, "check-delivery");
  clear_keyring ();
}

int
main (int   argc,
      char *argv[])
{
  int status;

  relay_test_require_display ();
  relay_test_require_keyring ();
  relay_test_private_data_home ();

  g_test_init (&argc, &argv, NULL);

  the_app = relay_test_application_new (TRUE);
  relay_test_disable_animations ();
  /* Final at once: the test never waits for time to pass. */
  relay_sandbox_server_set_delivery_delay (relay_application_get_sandbox (the_app), 0);

  g_test_add_func ("/relay/history-delivery/check-delivery", test_check_delivery);
  g_test_add_func ("/relay/history-delivery/refresh-on-open", test_refresh_on_open);

  status = g_test_run ();
  g_clear_object (&the_app);

  return status;
}
