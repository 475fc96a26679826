/* test-history.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <adwaita.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>

#include "relay-application.h"
#include "relay-credential-store.h"
#include "relay-history-page.h"
#include "relay-history-row.h"
#include "relay-send-page.h"
#include "relay-sandbox-server.h"
#include "relay-store.h"
#include "relay-store-export.h"
#include "relay-welcome-page.h"
#include "relay-window.h"
#include "relay-test-util.h"
#include "../relay-test-env.h"

/* The History page of the real window over a store seeded before the
 * window opens, in a data folder of the test's own: rows, search,
 * filters, the detail view and its actions, Clear History, and a
 * damaged database file. */

#define WAIT_MS 20000

static RelayApplication *the_app;
static char *data_home;

/* store seeding */

typedef struct
{
  gboolean  done;
  gboolean  ok;
  gint64    count;
  GError   *error;
} Wait;

static void
bool_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Wait *wait = user_data;
  GTask *task = G_TASK (result);
  gpointer tag = g_task_get_source_tag (task);

  if (tag == relay_store_open_async)
    wait->ok = relay_store_open_finish (RELAY_STORE (object), result, &wait->error);
  else if (tag == relay_store_enqueue_async)
    wait->ok = relay_store_enqueue_finish (RELAY_STORE (object), result, &wait->error);
  else if (tag == relay_store_begin_send_async)
    wait->ok = relay_store_begin_send_finish (RELAY_STORE (object), result, &wait->error);
  else if (tag == relay_store_record_async)
    wait->ok = relay_store_record_finish (RELAY_STORE (object), result, &wait->error);
  else if (tag == relay_store_count_async)
    {
      wait->count = relay_store_count_finish (RELAY_STORE (object), result, &wait->error);
      wait->ok = wait->count >= 0;
    }
  else
    g_assert_not_reached ();
  wait->done = TRUE;
}

static gboolean
wait_done (gpointer data)
{
  return ((Wait *) data)->done;
}

static void
finish (Wait *wait)
{
  relay_test_assert_wait (wait_done, wait, WAIT_MS);
  g_assert_no_error (wait->error);
  g_assert_true (wait->ok);
  *wait = (Wait) { 0 };
}

static void
record (RelayStore        *store,
        RelayStoreMessage *message,
        RelayMessageState  state,
        const char        *message_id,
        const char        *error)
{
  g_autoptr(RelayStoreMessage) outcome = relay_store_message_copy (message);
  Wait wait = { 0 };

  relay_store_begin_send_async (store, message->id, NULL, bool_done_cb, &wait);
  finish (&wait);

  outcome->state = state;
  if (message_id != NULL)
    {
      const char *ids[] = { message_id, NULL };

      g_strfreev (outcome->message_ids);
      outcome->message_ids = g_strdupv ((char **) ids);
      outcome->price = g_strdup ("0.03330000");
      outcome->currency = g_strdup ("EUR");
      outcome->network = g_strdup ("23410");
      outcome->status = 0;
    }
  else
    {
      outcome->status = 4;
      outcome->error = g_strdup (error);
    }
  outcome->sent_at = g_get_real_time ();
  relay_store_record_async (store, outcome, NULL, bool_done_cb, &wait);
  finish (&wait);
}

static void
enqueue (RelayStore *store,
         GPtrArray  *messages)
{
  Wait wait = { 0 };

  relay_store_enqueue_async (store, messages, NULL, bool_done_cb, &wait);
  finish (&wait);
}

static gint64
count (RelayStore *store,
       const char *account)
{
  RelayStoreQuery query = { .account = (char *) account, .state = -1 };
  Wait wait = { 0 };
  gint64 n;

  relay_store_count_async (store, &query, NULL, bool_done_cb, &wait);
  relay_test_assert_wait (wait_done, &wait, WAIT_MS);
  g_assert_no_error (wait.error);
  n = wait.count;
  return n;
}

/* Three messages, as an earlier run of Relay would have left them. */
static void
seed_store (void)
{
  g_autoptr(RelayStore) store = relay_store_new (NULL);
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_store_message_free);
  Wait wait = { 0 };

  relay_store_open_async (store, NULL, bool_done_cb, &wait);
  finish (&wait);

  g_ptr_array_add (messages, relay_store_message_new ("api:test@example", "Relay", "447700900001",
                                                      "Hello Alice\nThis line is not in the list"));
  g_ptr_array_add (messages, relay_store_message_new ("api:test@example", "Relay", "447700900002",
                                                      "Meeting moved to three"));
  g_ptr_array_add (messages, relay_store_message_new ("api:test@example", "Relay", "447700900003",
                                                      "Your parcel arrived"));
  enqueue (store, messages);

  record (store, messages->pdata[0], RELAY_MESSAGE_STATE_SENT, "0A0000000123ABCD", NULL);
  record (store, messages->pdata[1], RELAY_MESSAGE_STATE_FAILED, NULL, "The provider refused the number.");
  record (store, messages->pdata[2], RELAY_MESSAGE_STATE_SENT, "0A0000000456EF01", NULL);
}

static char *
db_path (void)
{
  return g_build_filename (data_home, "relay", "relay.db", NULL);
}

static void
remove_db (void)
{
  g_autofree char *path = db_path ();
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_remove (path);
  g_remove (wal);
  g_remove (shm);
}

/* window */

typedef struct
{
  RelayWindow      *window;
  GtkWidget        *root;
  RelayHistoryPage *page;
} Fixture;

static gboolean
window_gone (gpointer data)
{
  return ((Fixture *) data)->window == NULL;
}

static gboolean
page_is (Fixture    *f,
         const char *name)
{
  return g_strcmp0 (relay_window_get_page (f->window), name) == 0;
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
store_settled (gpointer data)
{
  Fixture *f = data;

  return relay_window_get_store (f->window) != NULL ||
         gtk_revealer_get_reveal_child (GTK_REVEALER (gtk_widget_get_parent (relay_test_need_widget (f->root, "history-banner")))) ;
}

static void
open_window (Fixture *f)
{
  g_application_activate (G_APPLICATION (the_app));
  f->window = RELAY_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (the_app)));
  g_assert_true (RELAY_IS_WINDOW (f->window));
  f->root = GTK_WIDGET (f->window);
  f->page = RELAY_HISTORY_PAGE (relay_test_need_widget (f->root, "history-page"));
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);

  relay_test_assert_wait (start_done, f, WAIT_MS);
  relay_test_assert_wait (page_is_welcome, f, WAIT_MS);
  relay_test_assert_wait (store_settled, f, WAIT_MS);
}

static void
list_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GPtrArray **accounts = user_data;
  g_autoptr(GError) error = NULL;

  *accounts = relay_credential_store_list_finish (result, &error);
  g_assert_no_error (error);
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
  guint *pending = user_data;

  relay_credential_store_delete_finish (result, NULL);
  (*pending)--;
}

static gboolean
none_pending (gpointer data)
{
  return *(guint *) data == 0;
}

/* Forgets the accounts the test signed in with (the test schema only). */
static void
clear_keyring (void)
{
  g_autoptr(GPtrArray) accounts = NULL;
  guint pending;

  relay_credential_store_list_async (relay_credential_store_get_sandbox (), NULL, list_done_cb, &accounts);
  relay_test_assert_wait (listed, &accounts, WAIT_MS);
  pending = accounts->len;
  for (guint i = 0; i < accounts->len; i++)
    relay_credential_store_delete_async (relay_credential_store_get_sandbox (),
                                         relay_account_get_id (g_ptr_array_index (accounts, i)),
                                         NULL, delete_done_cb, &pending);
  relay_test_assert_wait (none_pending, &pending, WAIT_MS);
  g_settings_reset (relay_application_get_settings (the_app), "last-account");
}

static void
close_window (Fixture *f)
{
  gtk_window_close (GTK_WINDOW (f->window));
  relay_test_assert_wait (window_gone, f, WAIT_MS);
  clear_keyring ();
}

static void
sign_in (Fixture *f)
{
  relay_welcome_page_set_kind (RELAY_WELCOME_PAGE (relay_test_need_widget (f->root, "welcome-page")),
                               RELAY_ACCOUNT_API_KEY);
  g_assert_true (gtk_widget_activate_action (f->root, "win.sign-in", NULL));
  relay_test_assert_wait (page_is_send, f, WAIT_MS);
}

static AdwViewStack *
view_stack (Fixture *f)
{
  return adw_view_switcher_title_get_stack (ADW_VIEW_SWITCHER_TITLE (relay_test_need_widget (f->root, "view-switcher-title")));
}

static void
show_history (Fixture *f)
{
  adw_view_stack_set_visible_child_name (view_stack (f), "history");
  relay_test_wait_for_frames (f->root);
}

/* The rows the list shows, "recipient|first line|state", in order. */
static void
collect_rows (GtkWidget *widget,
              GString   *out)
{
  if (RELAY_IS_HISTORY_ROW (widget) && gtk_widget_get_mapped (widget))
    {
      const char *recipient = relay_test_get_label (widget, "history-row-recipient");
      const char *text = relay_test_get_label (widget, "history-row-text");
      GtkWidget *icon = relay_test_need_widget (widget, "history-row-state");

      g_string_append_printf (out, "%s|%s|%s\n", recipient, text,
                              gtk_widget_get_tooltip_text (icon) != NULL ? gtk_widget_get_tooltip_text (icon) : "");
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_rows (child, out);
}

typedef struct
{
  GtkWidget *chooser;
  GFile     *file;
} ChooserWait;

/* The file dialog fills in its folder and name as it loads. */
static gboolean
chooser_has_file (gpointer data)
{
  ChooserWait *wait = data;
  g_autoptr(GFile) chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (wait->chooser));

  return chosen != NULL && g_file_equal (chosen, wait->file);
}

static char *
rows (Fixture *f)
{
  GString *out = g_string_new (NULL);

  relay_test_wait_for_frames (f->root);
  collect_rows (relay_test_need_widget (f->root, "history-list"), out);
  return g_string_free (out, FALSE);
}

typedef struct
{
  Fixture    *f;
  const char *expected;
} RowsWait;

static gboolean
rows_are (gpointer data)
{
  RowsWait *wait = data;
  g_autofree char *shown = rows (wait->f);

  return g_strcmp0 (shown, wait->expected) == 0 &&
         g_strcmp0 (relay_history_page_get_view (wait->f->page), "list") == 0;
}

static void
assert_rows (Fixture    *f,
             const char *expected)
{
  RowsWait wait = { f, expected };

  if (!relay_test_wait_until (rows_are, &wait, WAIT_MS))
    {
      g_autofree char *shown = rows (f);

      g_assert_cmpstr (shown, ==, expected);
      g_assert_cmpstr (relay_history_page_get_view (f->page), ==, "list");
    }
}

typedef struct
{
  Fixture    *f;
  const char *view;
} ViewWait;

static gboolean
view_is (gpointer data)
{
  ViewWait *wait = data;

  return g_strcmp0 (relay_history_page_get_view (wait->f->page), wait->view) == 0;
}

static void
assert_view (Fixture    *f,
             const char *view)
{
  ViewWait wait = { f, view };

  relay_test_wait_until (view_is, &wait, WAIT_MS);
  g_assert_cmpstr (relay_history_page_get_view (f->page), ==, view);
}

static gboolean
toast_is (gpointer data)
{
  RowsWait *wait = data;

  return g_strcmp0 (relay_window_get_last_toast (wait->f->window), wait->expected) == 0;
}

static void
assert_toast (Fixture    *f,
              const char *text)
{
  RowsWait wait = { f, text };

  relay_test_wait_until (toast_is, &wait, WAIT_MS);
  g_assert_cmpstr (relay_window_get_last_toast (f->window), ==, text);
}

static gboolean
toast_has (gpointer data)
{
  RowsWait *wait = data;
  const char *toast = relay_window_get_last_toast (wait->f->window);

  return toast != NULL && strstr (toast, wait->expected) != NULL;
}

static void
assert_toast_has (Fixture    *f,
                  const char *part)
{
  RowsWait wait = { f, part };

  if (!relay_test_wait_until (toast_has, &wait, WAIT_MS))
    g_error ("the last toast “%s” does not say “%s”", relay_window_get_last_toast (f->window), part);
}

static GtkWidget *
find_file_chooser (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (int tries = 0; tries < 100; tries++)
    {
      for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
        {
          g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

          if (GTK_IS_FILE_CHOOSER_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
            return GTK_WIDGET (window);
        }
      relay_test_iterate (50);
    }

  return NULL;
}

/* The position of @recipient's row in the model. */
static guint
position_of (Fixture    *f,
             const char *recipient)
{
  GListModel *model = G_LIST_MODEL (relay_history_page_get_model (f->page));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(RelayHistoryItem) item = g_list_model_get_item (model, i);
      const RelayStoreMessage *message = relay_history_item_get_message (item);

      if (message != NULL && g_strcmp0 (message->recipient, recipient) == 0)
        return i;
    }

  g_error ("no row for %s", recipient);
}

/* The HIG's smallest phone width: the page must fit 360 pixels. */
static void
assert_fits_narrow (Fixture *f)
{
  int minimum;

  gtk_widget_measure (f->root, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);
}

static void
screenshots (Fixture    *f,
             const char *name)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  int widths[] = { 360, 1280 };

  for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
    for (guint dark = 0; dark < 2; dark++)
      {
        g_autofree char *file = g_strdup_printf ("history-%s-%d%s.png", name, widths[i],
                                                 dark ? "-dark" : "");

        adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                        : ADW_COLOR_SCHEME_FORCE_LIGHT);
        gtk_window_set_default_size (GTK_WINDOW (f->window), widths[i], 760);
        relay_test_wait_for_frames (f->root);
        g_free (relay_test_screenshot (f->root, file));
      }

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 720, 860);
  relay_test_wait_for_frames (f->root);
}

/* tests */

static const char all_rows[] =
  "447700900003|Your parcel arrived|Sent\n"
  "447700900002|Meeting moved to three|Failed\n"
  "447700900001|Hello Alice|Sent\n";

static void
test_history (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  GtkWidget *search;
  GtkWidget *chooser;
  AdwMessageDialog *dialog;
  GSettings *settings = relay_application_get_settings (the_app);
  g_autofree char *to = NULL;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  clear_keyring ();
  remove_db ();
  seed_store ();
  open_window (f);
  g_assert_nonnull (relay_window_get_store (f->window));
  sign_in (f);
  show_history (f);

  /* Newest first, the first line only, the state named. */
  assert_rows (f, all_rows);
  assert_fits_narrow (f);
  screenshots (f, "list");

  /* Search narrows the list as one types. */
  search = relay_test_need_widget (f->root, "history-search");
  gtk_editable_set_text (GTK_EDITABLE (search), "parcel");
  assert_rows (f, "447700900003|Your parcel arrived|Sent\n");
  gtk_editable_set_text (GTK_EDITABLE (search), "4477009000");
  assert_rows (f, all_rows);
  gtk_editable_set_text (GTK_EDITABLE (search), "nothing like this");
  assert_view (f, "empty");
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (relay_test_need_widget (f->root, "history-status"))),
                   ==, "No Matching Messages");
  gtk_editable_set_text (GTK_EDITABLE (search), "");
  assert_rows (f, all_rows);

  /* The state filter: Failed is the third entry. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (relay_test_need_widget (f->root, "history-state")), 2);
  assert_rows (f, "447700900002|Meeting moved to three|Failed\n");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (relay_test_need_widget (f->root, "history-state")), 0);
  /* Today holds them all. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (relay_test_need_widget (f->root, "history-date")), 1);
  assert_rows (f, all_rows);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (relay_test_need_widget (f->root, "history-date")), 0);
  assert_rows (f, all_rows);

  /* The detail shows everything stored. */
  relay_history_page_show_position (f->page, position_of (f, "447700900001"));
  assert_view (f, "detail");
  g_assert_cmpstr (relay_test_get_label (f->root, "history-detail-ids"), ==, "0A0000000123ABCD");
  g_assert_cmpstr (relay_test_get_label (f->root, "history-detail-price"), ==, "0.0333\u00a0EUR");
  g_assert_cmpstr (relay_test_get_label (f->root, "history-detail-to"), ==, "447700900001");
  g_assert_cmpstr (relay_test_get_label (f->root, "history-detail-text"), ==,
                   "Hello Alice\nThis line is not in the list");
  g_assert_true (g_str_has_prefix (relay_test_get_label (f->root, "history-detail-client-ref"), "relay-"));
  assert_fits_narrow (f);
  screenshots (f, "detail");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "history.copy-id", NULL));
  assert_toast (f, "Message ID copied");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "history.back", NULL));
  assert_rows (f, all_rows);

  /* Ctrl+F: from the detail, back to the list with the search focused. */
  relay_history_page_show_position (f->page, position_of (f, "447700900001"));
  assert_view (f, "detail");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "history.search", NULL));
  assert_rows (f, all_rows);
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), search));

  /* Export writes what the filters show, as RFC 4180 CSV. */
  {
    g_autofree char *path = g_build_filename (data_home, "relay-history.csv", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autoptr(GString) header = g_string_new (NULL);
    g_autofree char *csv = NULL;
    g_autofree char *cwd = NULL;

    relay_store_csv_header (header);
    /* Through the file dialog, as a person would: without the portal,
     * GtkFileChooserNative shows GTK's own dialog, which starts in the
     * current folder with the suggested name. */
    cwd = g_get_current_dir ();
    g_assert_no_errno (g_chdir (data_home));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "history.export", NULL));
    chooser = find_file_chooser ();
    g_assert_nonnull (chooser);
    g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (chooser)) == GTK_WINDOW (f->window));
    relay_test_wait_shown (GTK_WIDGET (chooser));
    {
      ChooserWait wait = { chooser, file };

      relay_test_assert_wait (chooser_has_file, &wait, WAIT_MS);
    }
    gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
    assert_toast (f, "Exported 3 messages");
    g_assert_no_errno (g_chdir (cwd));
    g_assert_true (g_file_get_contents (path, &csv, NULL, NULL));
    g_assert_true (g_str_has_prefix (csv, header->str));
    g_assert_nonnull (strstr (csv, "\"Hello Alice\nThis line is not in the list\""));
    g_assert_nonnull (strstr (csv, "447700900002"));
    g_assert_true (g_str_has_suffix (csv, "\r\n"));
    g_remove (path);
  }

  /* The account filter: the signed-in account sent none of these. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (relay_test_need_widget (f->root, "history-account")), 1);
  assert_view (f, "empty");
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (relay_test_need_widget (f->root, "history-status"))),
                   ==, "No Matching Messages");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (relay_test_need_widget (f->root, "history-account")), 0);
  assert_rows (f, all_rows);
  relay_history_page_show_position (f->page, position_of (f, "447700900001"));
  assert_view (f, "detail");

  /* Send Again fills the send page and shows it, and sends nothing. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "history.send-again", NULL));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (view_stack (f)), ==, "send");
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (relay_test_need_widget (f->root, "to")));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  to = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_cmpstr (to, ==, "447700900001");
  g_assert_cmpuint (relay_sandbox_server_get_message_count (relay_application_get_sandbox (the_app)), ==, 0);

  /* Delete removes the failed row. */
  show_history (f);
  relay_history_page_show_position (f->page, position_of (f, "447700900002"));
  assert_view (f, "detail");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "history.delete", NULL));
  assert_toast (f, "Message deleted");
  assert_rows (f, "447700900003|Your parcel arrived|Sent\n"
                  "447700900001|Hello Alice|Sent\n");

  /* Clear History asks first; Cancel keeps everything. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "history.clear", NULL));
  dialog = relay_test_find_dialog ("clear-history-dialog");
  g_assert_nonnull (dialog);
  relay_test_wait_shown (GTK_WIDGET (dialog));
  adw_message_dialog_response (dialog, "cancel");
  relay_test_drain ();
  assert_rows (f, "447700900003|Your parcel arrived|Sent\n"
                  "447700900001|Hello Alice|Sent\n");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "history.clear", NULL));
  dialog = relay_test_find_dialog ("clear-history-dialog");
  g_assert_nonnull (dialog);
  relay_test_wait_shown (GTK_WIDGET (dialog));
  adw_message_dialog_response (dialog, "clear");
  assert_toast (f, "History cleared");
  assert_view (f, "empty");
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (relay_test_need_widget (f->root, "history-status"))),
                   ==, "No Messages Yet");
  screenshots (f, "empty");

  /* A message still waiting to be sent cannot be deleted, and says why. */
  {
    g_autoptr(GPtrArray) waiting = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_store_message_free);

    g_ptr_array_add (waiting, relay_store_message_new ("api:test@example", "Relay", "447700900004", "Still waiting"));
    enqueue (relay_window_get_store (f->window), waiting);
    relay_history_page_reload (f->page);
    assert_rows (f, "447700900004|Still waiting|Queued\n");
    relay_history_page_show_position (f->page, 0);
    assert_view (f, "detail");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "history.delete", NULL));
    assert_toast_has (f, "still waits to be sent, so it was not deleted.");
    g_assert_cmpstr (relay_history_page_get_view (f->page), ==, "detail");
    g_assert_cmpint (count (relay_window_get_store (f->window), NULL), ==, 1);
  }

  /* Keep History off: the page says so. */
  g_settings_set_boolean (settings, "keep-history", FALSE);
  assert_view (f, "empty");
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (relay_test_need_widget (f->root, "history-status"))),
                   ==, "History Is Off");
  g_settings_reset (settings, "keep-history");

  close_window (f);
}

static GPtrArray *
list_accounts (void)
{
  GPtrArray *accounts = NULL;

  relay_credential_store_list_async (relay_credential_store_get_sandbox (), NULL, list_done_cb, &accounts);
  relay_test_assert_wait (listed, &accounts, WAIT_MS);
  return accounts;
}

/* Sign Out offers to delete that account's history, and only its. */
static void
test_sign_out_delete (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GPtrArray) mine = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_store_message_free);
  AdwMessageDialog *dialog;
  RelayStore *store;
  const char *id;

  clear_keyring ();
  remove_db ();
  seed_store ();
  open_window (f);
  sign_in (f);
  store = relay_window_get_store (f->window);
  g_assert_nonnull (store);

  /* The window stores the account in the background. */
  for (int i = 0; i < 200; i++)
    {
      g_clear_pointer (&accounts, g_ptr_array_unref);
      accounts = list_accounts ();
      if (accounts->len == 1)
        break;
      relay_test_iterate (50);
    }
  g_assert_cmpuint (accounts->len, ==, 1);
  id = relay_account_get_id (g_ptr_array_index (accounts, 0));
  g_ptr_array_add (mine, relay_store_message_new (id, "Relay", "447700900009", "Mine"));
  enqueue (store, mine);
  record (store, mine->pdata[0], RELAY_MESSAGE_STATE_SENT, "0A00000000000009", NULL);
  g_assert_cmpint (count (store, id), ==, 1);

  g_assert_true (gtk_widget_activate_action (f->root, "win.sign-out", NULL));
  dialog = relay_test_find_dialog ("sign-out-dialog");
  g_assert_nonnull (dialog);
  g_assert_true (adw_message_dialog_has_response (dialog, "sign-out-delete"));
  relay_test_wait_shown (GTK_WIDGET (dialog));
  adw_message_dialog_response (dialog, "sign-out-delete");
  relay_test_assert_wait (page_is_welcome, f, WAIT_MS);

  g_assert_cmpint (count (store, id), ==, 0);
  g_assert_cmpint (count (store, "api:test@example"), ==, 3);

  close_window (f);
}

/* A long history is exported a page at a time, every row once. */
static void
test_export_long (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_store_message_free);
  g_autofree char *path = g_build_filename (data_home, "long.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;
  guint records = 0;

  clear_keyring ();
  remove_db ();
  open_window (f);
  for (guint i = 0; i < 2500; i++)
    {
      g_autofree char *to = g_strdup_printf ("4477009%05u", i);

      g_ptr_array_add (messages, relay_store_message_new ("api:test@example", "Relay", to, "Bulk"));
    }
  enqueue (relay_window_get_store (f->window), messages);

  relay_history_page_export_to_file (f->page, file);
  assert_toast (f, "Exported 2500 messages");
  g_assert_true (g_file_get_contents (path, &csv, NULL, NULL));
  lines = g_strsplit (csv, "\r\n", -1);
  for (guint i = 1; lines[i] != NULL && *lines[i] != '\0'; i++)
    {
      char *to = strstr (lines[i], "4477009");

      g_assert_nonnull (to);
      g_assert_true (g_hash_table_add (seen, g_strndup (to, 12)));
      records++;
    }
  g_assert_cmpuint (records, ==, 2500);
  g_remove (path);

  close_window (f);
  remove_db ();
}

/* A damaged file: a banner says history is off, and Relay works on. */
static void
test_corrupt (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  g_autofree char *path = db_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;
  const char *banner;

  clear_keyring ();
  remove_db ();
  g_assert_no_errno (g_mkdir_with_parents (dir, 0700));
  g_file_set_contents (path, "This is not an SQLite database, not at all. It is damaged text.\n"
                             "This is not an SQLite database, not at all. It is damaged text.\n",
                       -1, &error);
  g_assert_no_error (error);

  open_window (f);
  g_assert_null (relay_window_get_store (f->window));
  banner = relay_test_get_label (f->root, "history-banner-label");
  g_assert_true (g_str_has_prefix (banner, "History is off: "));
  g_assert_cmpuint (strlen (banner), >, strlen ("History is off: ") + 10);

  sign_in (f);
  show_history (f);
  assert_view (f, "empty");
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (relay_test_need_widget (f->root, "history-status"))),
                   ==, "History Is Off");
  g_free (relay_test_screenshot (f->root, "history-corrupt.png"));

  close_window (f);
  remove_db ();
}

/* sends through the outbox */

static const char *
account_id (Fixture *f)
{
  RelaySendPage *page = RELAY_SEND_PAGE (relay_test_need_widget (f->root, "send-page"));

  g_assert_nonnull (relay_send_page_get_account (page));
  return relay_account_get_id (relay_send_page_get_account (page));
}

/* The sandbox's --messages log: client-ref → message id, and how many
 * times each client-ref was accepted. */
static GHashTable *
read_log (const char  *path,
          GHashTable **times)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  *times = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return ids;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *object;
      const char *ref;

      if (lines[i][0] == '\0')
        continue;
      g_assert_true (json_parser_load_from_data (parser, lines[i], -1, NULL));
      object = json_node_get_object (json_parser_get_root (parser));
      ref = json_object_get_string_member_with_default (object, "client-ref", NULL);
      if (ref == NULL)
        continue;
      g_hash_table_replace (ids, g_strdup (ref),
                            g_strdup (json_object_get_string_member (object, "message-id")));
      g_hash_table_replace (*times, g_strdup (ref),
                            GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (*times, ref)) + 1));
    }

  return ids;
}

static guint
times_accepted (const char *log,
                const char *client_ref)
{
  g_autoptr(GHashTable) times = NULL;
  GHashTable *ids = read_log (log, &times);
  guint accepted = GPOINTER_TO_UINT (g_hash_table_lookup (times, client_ref));

  g_hash_table_unref (ids);

  return accepted;
}

static char *
row_state (const char *client_ref)
{
  g_autofree char *path = db_path ();
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *state = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT state FROM messages WHERE client_ref = ?", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, client_ref, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    state = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return state;
}

typedef struct
{
  const char *client_ref;
  const char *state;
} StateWait;

static gboolean
state_is (gpointer data)
{
  StateWait *wait = data;
  g_autofree char *state = row_state (wait->client_ref);

  return g_strcmp0 (state, wait->state) == 0;
}

static void
assert_state (const char *client_ref,
              const char *state)
{
  StateWait wait = { client_ref, state };

  if (!relay_test_wait_until (state_is, &wait, WAIT_MS))
    {
      g_autofree char *now = row_state (client_ref);

      g_assert_cmpstr (now, ==, state);
    }
}

static void
count_recorded (guint *recorded)
{
  (*recorded)++;
}

static gboolean
at_least (gpointer data)
{
  guint *pair = data;

  return pair[0] >= pair[1];
}

typedef struct
{
  GPtrArray *rows;
  GError    *error;
  gboolean   done;
} QueryWait;

static void
query_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  QueryWait *wait = user_data;

  wait->rows = relay_store_query_finish (RELAY_STORE (object), result, &wait->error);
  wait->done = TRUE;
}

static gboolean
query_done (gpointer data)
{
  return ((QueryWait *) data)->done;
}

static GPtrArray *
query_account (RelayStore *store,
               const char *account)
{
  RelayStoreQuery query = { 0 };
  QueryWait wait = { 0 };

  query.account = (char *) account;
  query.state = -1;
  relay_store_query_async (store, &query, NULL, query_done_cb, &wait);
  relay_test_assert_wait (query_done, &wait, WAIT_MS);
  g_assert_no_error (wait.error);
  g_assert_nonnull (wait.rows);

  return wait.rows;
}

static gboolean
not_sending (gpointer data)
{
  Fixture *f = data;

  return !relay_send_page_get_sending (RELAY_SEND_PAGE (relay_test_need_widget (f->root, "send-page")));
}

static gboolean
model_has_two (gpointer data)
{
  Fixture *f = data;

  return g_list_model_get_n_items (G_LIST_MODEL (relay_history_page_get_model (f->page))) == 2;
}

/* A send from the window: one row per recipient, queued before it left,
 * with the message ids the sandbox gave each client-ref. */
static void
test_send_records (void)
{
  RelaySandboxServer *sandbox = relay_application_get_sandbox (the_app);
  g_autofree char *log = g_build_filename (data_home, "messages.log", NULL);
  g_autoptr(GHashTable) times = NULL;
  g_autoptr(GHashTable) ids = NULL;
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  Fixture f = { 0 };
  guint recorded[2] = { 0, 3 };
  Wait wait = { 0 };

  remove_db ();
  g_remove (log);
  relay_sandbox_server_set_messages_path (sandbox, log);
  open_window (&f);
  g_assert_nonnull (relay_window_get_store (f.window));
  sign_in (&f);

  g_signal_connect_swapped (relay_test_need_widget (f.root, "send-page"), "recorded",
                            G_CALLBACK (count_recorded), &recorded[0]);
  relay_test_set_text (f.root, "to", "447700900011, 447700900012");
  relay_test_set_text (f.root, "text", "Through the outbox");
  g_assert_true (gtk_widget_activate_action (f.root, "win.send", NULL));
  /* The rows, then each of the two outcomes. */
  relay_test_assert_wait (at_least, recorded, WAIT_MS);
  relay_test_assert_wait (not_sending, &f, WAIT_MS);

  /* The History is not on screen: it did not reload for the outcomes
   * (given the time a reload takes, it would have by now)... */
  relay_test_iterate (500);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (relay_history_page_get_model (f.page))), ==, 0);
  /* ...and shows them as soon as it is. */
  show_history (&f);
  relay_test_assert_wait (model_has_two, &f, WAIT_MS);

  store = relay_store_new (NULL);
  relay_store_open_async (store, NULL, bool_done_cb, &wait);
  relay_test_assert_wait (wait_done, &wait, WAIT_MS);
  g_assert_true (wait.ok);
  rows = query_account (store, account_id (&f));
  g_assert_cmpuint (rows->len, ==, 2);

  ids = read_log (log, &times);
  g_assert_cmpuint (g_hash_table_size (ids), ==, 2);
  for (guint i = 0; i < rows->len; i++)
    {
      RelayStoreMessage *row = rows->pdata[i];

      g_assert_cmpint (row->state, ==, RELAY_MESSAGE_STATE_SENT);
      g_assert_cmpstr (row->text, ==, "Through the outbox");
      g_assert_cmpstr (row->encoding, ==, "GSM-7");
      g_assert_cmpuint (row->parts, ==, 1);
      g_assert_nonnull (row->price);
      g_assert_nonnull (row->message_ids);
      g_assert_cmpstr (row->message_ids[0], ==, g_hash_table_lookup (ids, row->client_ref));
      g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (times, row->client_ref)), ==, 1);
    }
  g_assert_cmpstr (((RelayStoreMessage *) rows->pdata[0])->recipient, !=,
                   ((RelayStoreMessage *) rows->pdata[1])->recipient);

  g_clear_object (&store);
  relay_sandbox_server_set_messages_path (sandbox, NULL);
  close_window (&f);
  remove_db ();
  g_remove (log);
}

/* Keep History off: the window sends and stores nothing. */
static void
test_send_keep_history_off (void)
{
  RelaySandboxServer *sandbox = relay_application_get_sandbox (the_app);
  GSettings *settings = relay_application_get_settings (the_app);
  guint before = relay_sandbox_server_get_message_count (sandbox);
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  Fixture f = { 0 };
  Wait wait = { 0 };

  remove_db ();
  g_settings_set_boolean (settings, "keep-history", FALSE);
  open_window (&f);
  sign_in (&f);

  relay_test_set_text (f.root, "to", "447700900013");
  relay_test_set_text (f.root, "text", "Not remembered");
  g_assert_true (gtk_widget_activate_action (f.root, "win.send", NULL));
  g_assert_false (not_sending (&f));
  relay_test_assert_wait (not_sending, &f, WAIT_MS);
  relay_test_drain ();
  g_assert_cmpuint (relay_sandbox_server_get_message_count (sandbox), ==, before + 1);

  store = relay_store_new (NULL);
  relay_store_open_async (store, NULL, bool_done_cb, &wait);
  relay_test_assert_wait (wait_done, &wait, WAIT_MS);
  g_assert_true (wait.ok);
  rows = query_account (store, NULL);
  g_assert_cmpuint (rows->len, ==, 0);

  g_clear_object (&store);
  g_settings_reset (settings, "keep-history");
  close_window (&f);
  remove_db ();
}

/* Rows a killed Relay left: a queued one of this account, a queued one
 * of another account, and one it was sending (uncertain). */
static void
plant_dead_rows (const char *account)
{
  g_autoptr(RelayStore) store = relay_store_new (NULL);
  g_autofree char *path = db_path ();
  Wait wait = { 0 };
  sqlite3 *db = NULL;
  char *errmsg = NULL;

  relay_store_open_async (store, NULL, bool_done_cb, &wait);
  relay_test_assert_wait (wait_done, &wait, WAIT_MS);
  g_assert_true (wait.ok);
  g_clear_object (&store);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  {
    g_autofree char *sql =
      g_strdup_printf ("INSERT INTO messages (account, sender, recipient, body, encoding, parts, client_ref, state, queued_at, owner)"
                       " VALUES ('%1$s', 'Relay', '447700900021', 'Left behind', 'GSM-7', 1, 'relay-dead-queued', 'queued', 1, '99999999:5'),"
                       "        ('api:other@example', 'Relay', '447700900022', 'Not mine', 'GSM-7', 1, 'relay-dead-other', 'queued', 2, '99999999:5'),"
                       "        ('%1$s', 'Relay', '447700900023', 'Maybe sent', 'GSM-7', 1, 'relay-dead-sending', 'sending', 3, '99999999:5')",
                       account);

    sqlite3_exec (db, sql, NULL, NULL, &errmsg);
  }
  g_assert_null (errmsg);
  sqlite3_close (db);
}

typedef struct
{
  Fixture    *f;
  const char *name;
  gboolean    revealed;
  const char *label;
  const char *label_name;
} BannerWait;

static gboolean
banner_is (gpointer data)
{
  BannerWait *wait = data;
  GtkWidget *banner = relay_test_need_widget (wait->f->root, wait->name);

  if (gtk_revealer_get_reveal_child (GTK_REVEALER (gtk_widget_get_parent (banner))) != wait->revealed)
    return FALSE;

  return wait->label == NULL || g_strcmp0 (relay_test_get_label (wait->f->root, wait->label_name), wait->label) == 0;
}

static void
assert_banner (Fixture    *f,
               const char *name,
               gboolean    revealed,
               const char *label_name,
               const char *label)
{
  BannerWait wait = { f, name, revealed, label, label_name };

  if (!relay_test_wait_until (banner_is, &wait, WAIT_MS))
    {
      g_assert_cmpint (gtk_revealer_get_reveal_child (GTK_REVEALER (gtk_widget_get_parent (relay_test_need_widget (f->root, name)))), ==, revealed);
      if (label != NULL)
        g_assert_cmpstr (relay_test_get_label (f->root, label_name), ==, label);
    }
}

/* On start, what a killed Relay left: Send Now sends this account's
 * queued row exactly once, Discard makes the rest not-sent, and the
 * uncertain row is never sent. */
static void
test_outbox_banner (void)
{
  RelaySandboxServer *sandbox = relay_application_get_sandbox (the_app);
  g_autofree char *log = g_build_filename (data_home, "messages.log", NULL);
  Fixture f = { 0 };

  g_autofree char *account = NULL;

  /* The account's id, as the window names it. */
  remove_db ();
  open_window (&f);
  sign_in (&f);
  account = g_strdup (account_id (&f));
  close_window (&f);
  g_assert_null (strchr (account, '\''));

  remove_db ();
  g_remove (log);
  plant_dead_rows (account);
  relay_sandbox_server_set_messages_path (sandbox, log);
  open_window (&f);

  assert_banner (&f, "outbox-banner", TRUE, "outbox-banner-label", "2 messages were not sent");
  assert_banner (&f, "uncertain-banner", TRUE, "uncertain-banner-label", "1 message may have been sent");

  sign_in (&f);
  g_assert_true (gtk_widget_activate_action (f.root, "win.outbox-send", NULL));
  assert_state ("relay-dead-queued", "sent");
  relay_test_assert_wait (not_sending, &f, WAIT_MS);
  /* Only the other account's row is left to offer. */
  assert_banner (&f, "outbox-banner", TRUE, "outbox-banner-label", "1 message was not sent");
  g_assert_cmpuint (times_accepted (log, "relay-dead-queued"), ==, 1);

  g_assert_true (gtk_widget_activate_action (f.root, "win.outbox-discard", NULL));
  assert_state ("relay-dead-other", "not-sent");
  assert_banner (&f, "outbox-banner", FALSE, NULL, NULL);

  /* Send Now again has nothing to send. */
  g_assert_true (gtk_widget_activate_action (f.root, "win.outbox-send", NULL));
  relay_test_drain ();

  assert_banner (&f, "uncertain-banner", TRUE, NULL, NULL);
  g_assert_true (gtk_widget_activate_action (f.root, "win.outbox-show-history", NULL));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (view_stack (&f)), ==, "history");

  relay_test_drain ();
  g_assert_cmpuint (times_accepted (log, "relay-dead-queued"), ==, 1);
  g_assert_cmpuint (times_accepted (log, "relay-dead-other"), ==, 0);
  g_assert_cmpuint (times_accepted (log, "relay-dead-sending"), ==, 0);
  {
    g_autofree char *state = row_state ("relay-dead-sending");

    g_assert_cmpstr (state, ==, "uncertain");
  }

  relay_sandbox_server_set_messages_path (sandbox, NULL);
  close_window (&f);
  remove_db ();
  g_remove (log);
}

typedef struct
{
  Fixture    *f;
  const char *name;
} ShownWait;

static gboolean
button_shown (gpointer data)
{
  ShownWait *wait = data;

  return gtk_widget_get_visible (relay_test_need_widget (wait->f->root, wait->name));
}

static void
assert_button_shown (Fixture    *f,
                     const char *name)
{
  ShownWait wait = { f, name };

  relay_test_wait_until (button_shown, &wait, WAIT_MS);
  g_assert_true (gtk_widget_get_visible (relay_test_need_widget (f->root, name)));
}

typedef struct
{
  Fixture    *f;
  const char *recipient;
} LoadedWait;

static gboolean
row_loaded (gpointer data)
{
  LoadedWait *wait = data;
  GListModel *model = G_LIST_MODEL (relay_history_page_get_model (wait->f->page));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(RelayHistoryItem) item = g_list_model_get_item (model, i);
      const RelayStoreMessage *message = relay_history_item_get_message (item);

      if (message != NULL && g_strcmp0 (message->recipient, wait->recipient) == 0)
        return TRUE;
    }

  return FALSE;
}

/* Opens the detail of @recipient's row once the list has loaded it. */
static void
show_row (Fixture    *f,
          const char *recipient)
{
  LoadedWait wait = { f, recipient };

  relay_test_assert_wait (row_loaded, &wait, WAIT_MS);
  relay_history_page_show_position (f->page, position_of (f, recipient));
  assert_view (f, "detail");
}

static gboolean
model_has_three (gpointer data)
{
  Fixture *f = data;

  return g_list_model_get_n_items (G_LIST_MODEL (relay_history_page_get_model (f->page))) == 3;
}

/* Messages that may have been sent, left by a send whose answers never
 * came: the History's detail offers Mark as Sent and Discard (and Send
 * Again asks first); none of them is ever sent without the user's word. */
static void
test_uncertain_decisions (void)
{
  RelaySandboxServer *sandbox = relay_application_get_sandbox (the_app);
  guint before = relay_sandbox_server_get_message_count (sandbox);
  g_autoptr(RelayStore) store = relay_store_new (NULL);
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_store_message_free);
  AdwMessageDialog *dialog;
  Fixture f = { 0 };
  Wait wait = { 0 };

  remove_db ();
  relay_store_open_async (store, NULL, bool_done_cb, &wait);
  finish (&wait);
  g_ptr_array_add (messages, relay_store_message_new ("api:test@example", "Relay", "447700900031", "Maybe one"));
  g_ptr_array_add (messages, relay_store_message_new ("api:test@example", "Relay", "447700900032", "Maybe two"));
  g_ptr_array_add (messages, relay_store_message_new ("api:test@example", "Relay", "447700900033", "Maybe three"));
  enqueue (store, messages);
  for (guint i = 0; i < messages->len; i++)
    record (store, messages->pdata[i], RELAY_MESSAGE_STATE_UNCERTAIN, NULL, "No answer came.");
  g_clear_object (&store);

  open_window (&f);
  assert_banner (&f, "uncertain-banner", TRUE, "uncertain-banner-label", "3 messages may have been sent");
  /* The banner's Show History: the messages that may have been sent. */
  g_assert_true (gtk_widget_activate_action (f.root, "win.outbox-show-history", NULL));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (view_stack (&f)), ==, "history");
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (relay_test_need_widget (f.root, "history-state"))), ==, 4);
  relay_test_assert_wait (model_has_three, &f, WAIT_MS);

  /* Mark as Sent: the user's word that it went. */
  show_row (&f, "447700900031");
  assert_button_shown (&f, "history-mark-sent");
  assert_button_shown (&f, "history-discard");
  g_assert_false (gtk_widget_get_visible (relay_test_need_widget (f.root, "history-send-now")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.page), "history.mark-sent", NULL));
  assert_toast (&f, "Marked as sent");
  assert_state (((RelayStoreMessage *) messages->pdata[0])->client_ref, "sent");
  assert_banner (&f, "uncertain-banner", TRUE, "uncertain-banner-label", "2 messages may have been sent");

  /* Discard: it stays "may have been sent", and leaves the outbox. */
  assert_view (&f, "list");
  show_row (&f, "447700900032");
  assert_button_shown (&f, "history-discard");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.page), "history.discard", NULL));
  assert_toast (&f, "Message discarded");
  assert_banner (&f, "uncertain-banner", TRUE, "uncertain-banner-label", "1 message may have been sent");
  assert_state (((RelayStoreMessage *) messages->pdata[1])->client_ref, "uncertain");

  /* Send Again asks first; Cancel changes nothing. */
  assert_view (&f, "list");
  show_row (&f, "447700900033");
  assert_button_shown (&f, "history-mark-sent");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.page), "history.send-again", NULL));
  dialog = relay_test_find_dialog ("send-again-dialog");
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "cancel");
  relay_test_drain ();
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (view_stack (&f)), ==, "history");
  assert_state (((RelayStoreMessage *) messages->pdata[2])->client_ref, "uncertain");

  g_assert_cmpuint (relay_sandbox_server_get_message_count (sandbox), ==, before);
  close_window (&f);
  remove_db ();
}

static void
max_pages_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = relay_store_set_max_pages_finish (RELAY_STORE (object), result, &wait->error);
  wait->done = TRUE;
}

/* A full disk: nothing is queued, so nothing leaves, and the window
 * says why. */
static void
test_send_disk_full (void)
{
  RelaySandboxServer *sandbox = relay_application_get_sandbox (the_app);
  guint before = relay_sandbox_server_get_message_count (sandbox);
  g_autoptr(GSettings) settings = g_settings_new ("io.github.relaysms.Relay");
  g_autoptr(GString) to = g_string_new (NULL);
  g_autofree char *text = g_strnfill (600, 'x');
  g_autoptr(GPtrArray) rows = NULL;
  Fixture f = { 0 };
  Wait wait = { 0 };

  remove_db ();
  open_window (&f);
  g_assert_nonnull (relay_window_get_store (f.window));
  sign_in (&f);

  /* No page more than the database has now. */
  relay_store_set_max_pages_async (relay_window_get_store (f.window), 1, NULL, max_pages_cb, &wait);
  finish (&wait);

  /* About 2.7 EUR: no question first (test-send-estimate asks it). */
  g_settings_set_string (settings, "confirm-cost-above", "100");
  for (guint i = 0; i < 20; i++)
    g_string_append_printf (to, "%s4477009001%02u", i > 0 ? ", " : "", i);
  relay_test_set_text (f.root, "to", to->str);
  relay_test_set_text (f.root, "text", text);
  g_assert_true (gtk_widget_activate_action (f.root, "win.send", NULL));
  relay_test_assert_wait (not_sending, &f, WAIT_MS);
  assert_toast_has (&f, "Nothing was sent.");
  relay_test_drain ();
  g_assert_cmpuint (relay_sandbox_server_get_message_count (sandbox), ==, before);

  rows = query_account (relay_window_get_store (f.window), NULL);
  g_assert_cmpuint (rows->len, ==, 0);

  close_window (&f);
  remove_db ();
}

static gboolean
toast_shown (gpointer data)
{
  return relay_test_find_toast (((Fixture *) data)->root) != NULL;
}

/* The shown row of @recipient, NULL when none is. */
static GtkWidget *
find_row (GtkWidget  *widget,
          const char *recipient)
{
  if (RELAY_IS_HISTORY_ROW (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (relay_test_get_label (widget, "history-row-recipient"), recipient) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, recipient);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
model_has_forty (gpointer data)
{
  Fixture *f = data;

  return g_list_model_get_n_items (G_LIST_MODEL (relay_history_page_get_model (f->page))) == 40;
}

typedef struct
{
  Fixture    *f;
  GtkWidget  *scroller;
  const char *recipient;
} EndWait;

/* Scrolled to the end (which moves while rows are measured), with the
 * last row shown. */
static gboolean
at_end (gpointer data)
{
  EndWait *wait = data;
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (wait->scroller));
  double end = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

  if (gtk_adjustment_get_value (adjustment) < end)
    {
      gtk_adjustment_set_value (adjustment, end);
      return FALSE;
    }

  return find_row (wait->f->root, wait->recipient) != NULL;
}

/* Scrolled to its end, the list keeps room below its last row for the
 * page's own toasts ("Message deleted"): they never cover it. */
static void
test_toast_room (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_store_message_free);
  EndWait wait = { f, NULL, "447700900000" };
  graphene_rect_t row_bounds, toast_bounds, view_bounds;
  GtkWidget *row;

  clear_keyring ();
  remove_db ();
  {
    g_autoptr(RelayStore) store = relay_store_new (NULL);
    Wait done = { 0 };

    relay_store_open_async (store, NULL, bool_done_cb, &done);
    finish (&done);
    /* Oldest first: the first is the list's last row. */
    for (guint i = 0; i < 40; i++)
      {
        g_autofree char *to = g_strdup_printf ("4477009%05u", i);

        g_ptr_array_add (messages, relay_store_message_new ("api:test@example", "Relay", to, "Hello"));
      }
    enqueue (store, messages);
    for (guint i = 0; i < messages->len; i++)
      record (store, messages->pdata[i], RELAY_MESSAGE_STATE_SENT, "0A0000000123ABCD", NULL);
  }
  open_window (f);
  sign_in (f);

  relay_test_resize (f->root, 720, 560);
  show_history (f);
  relay_test_assert_wait (model_has_forty, f, WAIT_MS);
  wait.scroller = gtk_widget_get_ancestor (relay_test_need_widget (f->root, "history-list"),
                                           GTK_TYPE_SCROLLED_WINDOW);
  g_assert_nonnull (wait.scroller);
  /* The room is after the last row, not a strip under the list: at the
   * top, rows fill the view to its bottom. */
  {
    GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (wait.scroller));

    gtk_adjustment_set_value (adjustment, 0);
    relay_test_wait_for_frames (f->root);
    relay_test_wait_for_frames (f->root);
    g_assert_true (gtk_widget_compute_bounds (wait.scroller, f->root, &view_bounds));
    /* 55 px rows: the seventh from the top lies in the view's last 96 px */
    row = find_row (f->root, "447700900033");
    g_assert_nonnull (row);
    g_assert_true (gtk_widget_compute_bounds (row, f->root, &row_bounds));
    g_test_message ("seventh row %.0f–%.0f, view %.0f–%.0f", row_bounds.origin.y,
                    row_bounds.origin.y + row_bounds.size.height,
                    view_bounds.origin.y, view_bounds.origin.y + view_bounds.size.height);
    g_assert_cmpfloat (row_bounds.origin.y, <, view_bounds.origin.y + view_bounds.size.height);
  }
  relay_test_assert_wait (at_end, &wait, WAIT_MS);

  g_signal_emit_by_name (f->page, "toast", "Message deleted");
  relay_test_assert_wait (toast_shown, f, WAIT_MS);
  relay_test_wait_for_frames (f->root);
  relay_test_assert_wait (at_end, &wait, WAIT_MS);
  relay_test_wait_for_frames (f->root);

  row = find_row (f->root, wait.recipient);
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_compute_bounds (row, f->root, &row_bounds));
  g_assert_true (gtk_widget_compute_bounds (relay_test_find_toast (f->root), f->root, &toast_bounds));
  g_assert_true (gtk_widget_compute_bounds (wait.scroller, f->root, &view_bounds));
  g_test_message ("last row %.0f–%.0f, toast %.0f–%.0f, view %.0f–%.0f",
                  row_bounds.origin.y, row_bounds.origin.y + row_bounds.size.height,
                  toast_bounds.origin.y, toast_bounds.origin.y + toast_bounds.size.height,
                  view_bounds.origin.y, view_bounds.origin.y + view_bounds.size.height);
  /* Whole in the view, and clear of the toast. */
  g_assert_cmpfloat (row_bounds.origin.y + row_bounds.size.height, <=, view_bounds.origin.y + view_bounds.size.height + 0.5);
  if (graphene_rect_intersection (&row_bounds, &toast_bounds, NULL))
    g_error ("the toast covers the last row");

  relay_test_resize (f->root, 720, 860);
  close_window (f);
  remove_db ();
}

int
main (int   argc,
      char *argv[])
{
  int status;

  relay_test_require_display ();
  relay_test_require_keyring ();

  /* Before GLib reads it: the store lives in a folder of this test. */
  data_home = g_dir_make_tmp ("relay-test-history-XXXXXX", NULL);
  g_assert_nonnull (data_home);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  g_test_init (&argc, &argv, NULL);

  the_app = relay_test_application_new (TRUE);
  relay_test_disable_animations ();

  g_test_add_func ("/relay/history/window", test_history);
  g_test_add_func ("/relay/history/sign-out-delete", test_sign_out_delete);
  g_test_add_func ("/relay/history/export-long", test_export_long);
  g_test_add_func ("/relay/history/corrupt", test_corrupt);
  g_test_add_func ("/relay/history/send-records", test_send_records);
  g_test_add_func ("/relay/history/send-keep-history-off", test_send_keep_history_off);
  g_test_add_func ("/relay/history/outbox-banner", test_outbox_banner);
  g_test_add_func ("/relay/history/uncertain-decisions", test_uncertain_decisions);
  g_test_add_func ("/relay/history/send-disk-full", test_send_disk_full);
  g_test_add_func ("/relay/history/toast-room", test_toast_room);

  status = g_test_run ();
  g_clear_object (&the_app);

  remove_db ();
  {
    g_autofree char *dir = g_build_filename (data_home, "relay", NULL);

    g_rmdir (dir);
    g_rmdir (data_home);
  }

  return status;
}
