/* test-send-results.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "relay-application.h"
#include "relay-bulk-item.h"
#include "relay-bulk-model.h"
#include "relay-credential-store.h"
#include "relay-history-row.h"
#include "relay-message-state.h"
#include "relay-result-list.h"
#include "relay-result-row.h"
#include "relay-sandbox-server.h"
#include "relay-send-page.h"
#include "relay-welcome-page.h"
#include "relay-window.h"
#include "relay-test-util.h"
#include "../relay-test-env.h"
#include "../relay-test-messages.h"

/* The results of a send (issue 10, item 6), in the real window against
 * the in-process sandbox: one line per recipient as the sandbox's
 * --messages log has it (state, parts, price) and an exact total; Send
 * with the message just sent asks first; editing starts a new message;
 * the results scroll into view and no toast covers them or Sign In.
 * The results are saved as screenshots at 360 and 1280 px, light and
 * dark. */

#define WAIT_MS 20000

/* 187 GSM-7 characters: two parts each. */
#define LONG_TEXT "Results of the Relay test suite, long enough to need two parts: " \
                  "the price of each recipient is the price of both, and the total " \
                  "is their exact sum here, to the last of its eight decimals."

typedef struct
{
  RelayApplication *app;
  RelayWindow      *window;
  GtkWidget        *root;
  char             *tmpdir;
  char             *log_path;
} Fixture;

static RelayApplication *the_app;

/* conditions */

static gboolean
page_is_welcome (gpointer data)
{
  return g_strcmp0 (relay_window_get_page (((Fixture *) data)->window), "welcome") == 0;
}

static gboolean
page_is_send (gpointer data)
{
  return g_strcmp0 (relay_window_get_page (((Fixture *) data)->window), "send") == 0;
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

static RelaySendPage *
send_page (Fixture *f)
{
  return RELAY_SEND_PAGE (relay_test_need_widget (f->root, "send-page"));
}

static RelayResultList *
result_list (Fixture *f)
{
  return relay_send_page_get_result_list (send_page (f));
}

static GListModel *
results (Fixture *f)
{
  return relay_result_list_get_model (result_list (f));
}

/* Every line final and the send over. */
static gboolean
send_done (gpointer data)
{
  Fixture *f = data;
  GListModel *model = results (f);

  if (relay_send_page_get_sending (send_page (f)) || g_list_model_get_n_items (model) == 0)
    return FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(RelayResultItem) item = g_list_model_get_item (model, i);

      if (!relay_sms_state_is_final (relay_result_item_get_state (item)))
        return FALSE;
    }

  return TRUE;
}

/* The price list is in memory: the estimate line gives an amount. The
 * answers to a send carry no currency; the list does. */
static gboolean
estimate_priced (gpointer data)
{
  Fixture *f = data;
  GtkWidget *label = relay_test_find_widget (f->root, "estimate");

  return label != NULL && gtk_widget_get_visible (label)
         && g_str_has_prefix (gtk_label_get_label (GTK_LABEL (label)), "About ");
}

static gboolean
first_sent_and_failed (gpointer data)
{
  Fixture *f = data;
  RelayResultList *list = result_list (f);

  return relay_result_list_count (list, RELAY_SMS_STATE_SENT) >= 1 &&
         relay_result_list_count (list, RELAY_SMS_STATE_FAILED) >= 1;
}

static gboolean
repeat_dialog_shown (gpointer data)
{
  return relay_test_find_dialog ("confirm-repeat") != NULL;
}

static gboolean
toast_shown (gpointer data)
{
  return relay_test_find_toast (((Fixture *) data)->root) != NULL;
}

/* The rows the list view shows, in order. */
static void
collect_rows (GtkWidget *widget,
              GPtrArray *rows)
{
  if (RELAY_IS_RESULT_ROW (widget) && gtk_widget_get_mapped (widget))
    {
      g_ptr_array_add (rows, widget);
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_rows (child, rows);
}

static GtkWidget *
shown_row_of (Fixture         *f,
              RelayResultItem *item)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_rows (f->root, rows);
  for (guint i = 0; i < rows->len; i++)
    if (relay_result_row_get_item (rows->pdata[i]) == item)
      return rows->pdata[i];

  return NULL;
}

/* screenshots (as test-first-day.c takes them) */

static void
scroll_to_end (GtkWidget *scroller)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));

  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment));
}

static GtkWidget *page_scroller (Fixture *f);

/* The page scrolled to its end, as after a send, and the results' own
 * list to its start or its end. */
static void
shoot (Fixture    *f,
       const char *base,
       gboolean    list_end)
{
  static const int widths[] = { 360, 1280 };
  AdwStyleManager *style = adw_style_manager_get_default ();

  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    {
      relay_test_resize (f->root, widths[w], 800);
      if (!relay_test_wait_width (f->root, widths[w], 3000))
        g_error ("width %d, not %d", gtk_widget_get_width (f->root), widths[w]);

      for (guint dark = 0; dark < 2; dark++)
        {
          g_autofree char *name = g_strdup_printf ("%s-%d-%s.png", base, widths[w], dark ? "dark" : "light");
          GtkWidget *view = relay_result_list_get_view (result_list (f));

          adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                          : ADW_COLOR_SCHEME_FORCE_LIGHT);
          relay_test_wait_for_frames (f->root);
          scroll_to_end (page_scroller (f));
          if (list_end)
            scroll_to_end (gtk_widget_get_ancestor (view, GTK_TYPE_SCROLLED_WINDOW));
          relay_test_wait_transitions (f->root);
          g_free (relay_test_screenshot (f->root, name));
        }
    }

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

/* fixture */

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  RelaySandboxServer *sandbox;
  g_autoptr(GError) error = NULL;
  GSettings *settings;
  GtkWidget *welcome;

  f->app = the_app;
  sandbox = relay_application_get_sandbox (f->app);
  settings = relay_application_get_settings (f->app);
  relay_test_clear_store (relay_credential_store_get_sandbox ());

  f->tmpdir = g_dir_make_tmp ("relay-results-XXXXXX", &error);
  g_assert_no_error (error);
  f->log_path = g_build_filename (f->tmpdir, "messages.jsonl", NULL);
  relay_sandbox_server_set_messages_path (sandbox, f->log_path);

  g_settings_set_int (settings, "window-width", 720);
  g_settings_set_int (settings, "window-height", 860);
  /* This test is about results, not the cost question (test-window). */
  g_settings_set_string (settings, "confirm-cost-above", "100");

  g_application_activate (G_APPLICATION (f->app));
  f->window = RELAY_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (f->app)));
  g_assert_true (RELAY_IS_WINDOW (f->window));
  f->root = GTK_WIDGET (f->window);
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);

  relay_test_wait_shown (f->root);
  relay_test_assert_wait (page_is_welcome, f, WAIT_MS);
  relay_test_assert_wait (start_done, f, WAIT_MS);

  if (data != NULL)
    return;

  welcome = relay_test_need_widget (f->root, "welcome-page");
  relay_welcome_page_set_kind (RELAY_WELCOME_PAGE (welcome), RELAY_ACCOUNT_API_KEY);
  g_assert_true (gtk_widget_activate_action (f->root, "win.sign-in", NULL));
  relay_test_assert_wait (page_is_send, f, WAIT_MS);
  relay_test_set_text (f->root, "from", "Relay");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  RelaySandboxServer *sandbox = relay_application_get_sandbox (f->app);

  if (f->window != NULL)
    gtk_window_close (GTK_WINDOW (f->window));
  relay_test_assert_wait (window_gone, f, WAIT_MS);

  relay_test_clear_store (relay_credential_store_get_sandbox ());
  relay_sandbox_server_clear_faults (sandbox);
  relay_sandbox_server_set_messages_path (sandbox, NULL);
  g_settings_reset (relay_application_get_settings (f->app), "confirm-cost-above");
  g_unlink (f->log_path);
  g_rmdir (f->tmpdir);
  g_clear_pointer (&f->log_path, g_free);
  g_clear_pointer (&f->tmpdir, g_free);
}

static guint
log_count (Fixture *f)
{
  g_autoptr(GPtrArray) entries = relay_test_messages_read_log (f->log_path);

  return entries->len;
}

static void
send_and_wait (Fixture    *f,
               const char *to,
               const char *text)
{
  relay_test_set_text (f->root, "to", to);
  relay_test_set_text (f->root, "text", text);
  g_assert_true (gtk_widget_activate_action (f->root, "win.send", NULL));
  relay_test_assert_wait (send_done, f, WAIT_MS);
  relay_test_drain ();
}

/* tests */

/* A second at the sandbox's 30 messages a second: Cancel after the
 * first answers finds most not yet sent. */
#define N_MIXED 30

/* Sent, failed (HTTP 500) and not sent (Cancel): each line as the
 * sandbox logged it, each state its own icon, the total the exact sum
 * of the logged prices. */
static void
test_mixed (Fixture       *f,
            gconstpointer  data)
{
  RelaySandboxServer *sandbox = relay_application_get_sandbox (f->app);
  g_autoptr(GString) to = g_string_new (NULL);
  g_autoptr(GPtrArray) outcomes = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_sms_result_free);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *amount = NULL;
  g_autofree char *expected_total = NULL;
  guint counts[RELAY_SMS_STATE_UNCERTAIN + 1];
  GListModel *model;
  RelayAmount sum = 0;
  guint n_unknown = 0;
  const char *currency = NULL;

  g_assert_true (relay_sandbox_server_add_fault (sandbox, "/sms/json=http-500@1", &error));
  g_assert_true (relay_sandbox_server_add_fault (sandbox, "/sms/json=slow:150", &error));
  g_assert_no_error (error);

  for (guint i = 0; i < N_MIXED; i++)
    g_string_append_printf (to, "4477009007%02u\n", i);
  relay_test_set_text (f->root, "to", to->str);
  relay_test_set_text (f->root, "text", LONG_TEXT);
  /* On a busy machine the list may come after a short send: wait for it,
   * so the lines carry the currency. */
  relay_test_assert_wait (estimate_priced, f, WAIT_MS);
  g_assert_true (gtk_widget_activate_action (f->root, "win.send", NULL));
  relay_test_assert_wait (first_sent_and_failed, f, WAIT_MS);
  g_assert_true (gtk_widget_activate_action (f->root, "win.cancel-send", NULL));
  relay_test_assert_wait (send_done, f, WAIT_MS);
  relay_test_drain ();

  model = results (f);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_MIXED);
  entries = relay_test_messages_read_log (f->log_path);

  for (guint i = 0; i < N_MIXED; i++)
    {
      g_autoptr(RelayResultItem) item = g_list_model_get_item (model, i);
      RelaySmsResult *outcome = relay_result_item_to_result (item);
      g_autofree char *line = relay_result_item_dup_line (item);
      JsonObject *entry = relay_test_messages_find (entries, outcome);

      g_ptr_array_add (outcomes, outcome);
      g_test_message ("%s: %s", relay_result_item_get_recipient (item), line);
      currency = relay_result_item_get_currency (item);

      switch (relay_result_item_get_state (item))
        {
        case RELAY_SMS_STATE_SENT:
          {
            RelayAmount logged;
            g_autofree char *price = NULL;
            g_autofree char *expected = NULL;

            g_assert_nonnull (entry);
            g_assert_true (relay_amount_parse (json_object_get_string_member (entry, "price"), &logged));
            g_assert_cmpint (relay_result_item_get_price (item), ==, logged);
            g_assert_cmpint (relay_result_item_get_parts (item), ==, json_object_get_int_member (entry, "parts"));
            g_assert_cmpuint (relay_result_item_get_parts (item), ==, 2);
            price = relay_amount_format (logged);
            expected = g_strdup_printf ("Sent · 2 parts · %s\u00a0%s", price, currency);
            g_assert_cmpstr (line, ==, expected);
            g_assert_cmpstr (relay_result_item_get_icon_name (item), ==, "emblem-ok-symbolic");
            g_assert_null (relay_result_item_get_reason (item));
            g_assert_true (relay_amount_add (sum, logged, &sum));
          }
          break;

        case RELAY_SMS_STATE_FAILED:
          g_assert_null (entry);
          g_assert_cmpstr (line, ==, "Failed");
          g_assert_cmpstr (relay_result_item_get_icon_name (item), ==, "dialog-error-symbolic");
          g_assert_nonnull (strstr (relay_result_item_get_reason (item), "HTTP 500"));
          g_assert_cmpint (relay_result_item_get_price (item), ==, 0);
          break;

        case RELAY_SMS_STATE_NOT_SENT:
          g_assert_null (entry);
          g_assert_cmpstr (line, ==, "Not sent");
          /* Neutral: nothing went wrong with it, nothing happened. */
          g_assert_cmpstr (relay_result_item_get_icon_name (item), ==, "action-unavailable-symbolic");
          g_assert_cmpstr (relay_result_item_get_style_class (item), ==, "dim-label");
          g_assert_cmpstr (relay_result_item_get_reason (item), ==,
                           "Sending was cancelled before this message went out.");
          break;

        case RELAY_SMS_STATE_QUEUED:
        case RELAY_SMS_STATE_SENDING:
        case RELAY_SMS_STATE_UNCERTAIN:
        default:
          g_assert_not_reached ();
        }
    }

  /* The same, message by message, as the log (nothing logged unshown). */
  relay_test_messages_compare (f->log_path, outcomes, counts);
  g_assert_cmpuint (counts[RELAY_SMS_STATE_SENT], >=, 1);
  g_assert_cmpuint (counts[RELAY_SMS_STATE_FAILED], ==, 1);
  g_assert_cmpuint (counts[RELAY_SMS_STATE_NOT_SENT], >=, 1);
  g_assert_cmpuint (counts[RELAY_SMS_STATE_SENT] + counts[RELAY_SMS_STATE_FAILED] +
                    counts[RELAY_SMS_STATE_NOT_SENT], ==, N_MIXED);

  /* The currency is the price list's, which the sandbox names. */
  g_assert_cmpstr (currency, ==, "EUR");
  g_assert_cmpint (relay_result_list_get_total (result_list (f), &n_unknown), ==, sum);
  g_assert_cmpuint (n_unknown, ==, 0);
  amount = relay_amount_format (sum);
  expected_total = g_strdup_printf ("%u sent · 1 failed · %u not sent · %s\u00a0EUR",
                                    counts[RELAY_SMS_STATE_SENT], counts[RELAY_SMS_STATE_NOT_SENT], amount);
  g_assert_cmpstr (relay_result_list_get_total_text (result_list (f)), ==, expected_total);
  g_assert_cmpstr (relay_test_get_label (f->root, "results-total"), ==, expected_total);

  /* The rows on screen show their item: the first is in view. */
  {
    g_autoptr(RelayResultItem) item = g_list_model_get_item (model, 0);
    GtkWidget *row = shown_row_of (f, item);
    g_autofree char *line = relay_result_item_dup_line (item);

    g_assert_nonnull (row);
    g_assert_cmpstr (relay_test_get_label (row, "result-recipient"), ==, relay_result_item_get_recipient (item));
    g_assert_cmpstr (relay_test_get_label (row, "result-line"), ==, line);
    g_assert_cmpstr (gtk_image_get_icon_name (GTK_IMAGE (relay_test_need_widget (row, "result-state-icon"))), ==,
                     relay_result_item_get_icon_name (item));
    g_assert_true (gtk_widget_get_visible (relay_test_need_widget (row, "result-copy-button")) ==
                   (relay_result_item_get_message_ids (item) != NULL));
  }

  shoot (f, "send-results-mixed", FALSE);
  shoot (f, "send-results-mixed-end", TRUE);
}

/* An answer Relay cannot read: the message may have been sent, with a
 * warning icon, and its price is not guessed. */
static void
test_uncertain (Fixture       *f,
                gconstpointer  data)
{
  RelaySandboxServer *sandbox = relay_application_get_sandbox (f->app);
  g_autoptr(RelayResultItem) item = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  guint n_unknown = 0;

  g_assert_true (relay_sandbox_server_add_fault (sandbox, "/sms/json=non-json@1", &error));
  g_assert_no_error (error);
  send_and_wait (f, "447700900841", "Did it go?");

  item = g_list_model_get_item (results (f), 0);
  line = relay_result_item_dup_line (item);
  g_assert_cmpint (relay_result_item_get_state (item), ==, RELAY_SMS_STATE_UNCERTAIN);
  g_assert_cmpstr (line, ==, "May have been sent · price unknown");
  g_assert_cmpstr (relay_result_item_get_icon_name (item), ==, "dialog-warning-symbolic");
  g_assert_cmpstr (relay_result_item_get_style_class (item), ==, "warning");
  g_assert_cmpint (relay_result_item_get_price (item), ==, RELAY_RESULT_PRICE_UNKNOWN);
  g_assert_cmpint (relay_result_list_get_total (result_list (f), &n_unknown), ==, 0);
  g_assert_cmpuint (n_unknown, ==, 1);
  g_assert_cmpstr (relay_result_list_get_total_text (result_list (f)), ==,
                   "0 sent · 1 may have been sent · 0.00\u00a0EUR + price unknown");
  shoot (f, "send-results-uncertain", FALSE);
}

static void
max_pages_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (relay_store_set_max_pages_finish (RELAY_STORE (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static gboolean
store_open (gpointer data)
{
  return relay_window_get_store (((Fixture *) data)->window) != NULL;
}

/* A full disk: nothing is recorded, so nothing is sent, and the page
 * says so in a bar that stays above the lines, not only in a toast. */
static void
test_not_recorded (Fixture       *f,
                   gconstpointer  data)
{
  RelayStore *store;
  g_autoptr(GString) to = g_string_new (NULL);
  g_autofree char *text = g_strnfill (600, 'x');
  GtkWidget *message = relay_test_need_widget (f->root, "results-message");
  GListModel *model;
  gboolean done = FALSE;

  /* The window opens its history in the background. */
  relay_test_assert_wait (store_open, f, WAIT_MS);
  store = relay_window_get_store (f->window);
  /* No page more than the database has now (this window's connection). */
  relay_store_set_max_pages_async (store, 1, NULL, max_pages_cb, &done);
  relay_test_assert_wait (is_true, &done, WAIT_MS);

  for (guint i = 0; i < 20; i++)
    g_string_append_printf (to, "4477009008%02u\n", i);
  send_and_wait (f, to->str, text);

  g_assert_cmpuint (log_count (f), ==, 0);
  g_assert_true (g_str_has_suffix (relay_result_list_get_message (result_list (f)), " Nothing was sent."));
  g_assert_true (gtk_widget_get_mapped (message));
  g_assert_cmpstr (relay_test_get_label (f->root, "results-message-label"), ==,
                   relay_result_list_get_message (result_list (f)));
  model = results (f);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(RelayResultItem) item = g_list_model_get_item (model, i);

      g_assert_cmpint (relay_result_item_get_state (item), ==, RELAY_SMS_STATE_NOT_SENT);
      g_assert_cmpstr (relay_result_item_get_icon_name (item), ==, "action-unavailable-symbolic");
      g_assert_cmpstr (relay_result_item_get_reason (item), ==, "It could not be recorded, so it was not sent.");
    }
  g_assert_cmpstr (relay_result_list_get_total_text (result_list (f)), ==, "0 sent · 20 not sent · 0.00\u00a0EUR");
  shoot (f, "send-results-not-recorded", FALSE);

  /* It stays until the person starts a new message. */
  relay_test_set_text (f->root, "text", "Shorter");
  g_assert_null (relay_result_list_get_message (result_list (f)));
}

/* A Copy button puts the ids on the clipboard. */
static void
read_text_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(char **) user_data = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
  if (*(char **) user_data == NULL)
    *(char **) user_data = g_strdup ("");
}

static gboolean
text_read (gpointer data)
{
  return *(char **) data != NULL;
}

static void
test_copy (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(RelayResultItem) item = NULL;
  g_autofree char *copied = NULL;
  GtkWidget *row;
  GtkWidget *button;

  send_and_wait (f, "447700900801", "Copy my id");
  item = g_list_model_get_item (results (f), 0);
  g_assert_nonnull (relay_result_item_get_message_ids (item));
  row = shown_row_of (f, item);
  g_assert_nonnull (row);
  button = relay_test_need_widget (row, "result-copy-button");
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_widget_get_focusable (button) || gtk_widget_get_can_focus (button));

  g_signal_emit_by_name (button, "clicked");
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (button), NULL, read_text_cb, &copied);
  relay_test_assert_wait (text_read, &copied, WAIT_MS);
  g_assert_cmpstr (copied, ==, relay_result_item_get_message_ids (item)[0]);
  g_assert_cmpstr (relay_window_get_last_toast (f->window), ==, "Message ID copied");

  /* Enter on the row (the list's activation) copies too. */
  gdk_clipboard_set_text (gtk_widget_get_clipboard (button), "");
  relay_window_add_toast (f->window, "Not copied yet");
  g_assert_true (gtk_widget_activate_action (relay_result_list_get_view (result_list (f)),
                                             "list.activate-item", "u", 0));
  g_clear_pointer (&copied, g_free);
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (button), NULL, read_text_cb, &copied);
  relay_test_assert_wait (text_read, &copied, WAIT_MS);
  g_assert_cmpstr (copied, ==, relay_result_item_get_message_ids (item)[0]);
  g_assert_cmpstr (relay_window_get_last_toast (f->window), ==, "Message ID copied");
}

/* Send with the message just sent asks; Cancel sends nothing, Send
 * Again sends once, and Send while sending does nothing. */
static void
test_repeat (Fixture       *f,
             gconstpointer  data)
{
  AdwMessageDialog *dialog;

  send_and_wait (f, "447700900811\n447700900812", "Only once, please");
  g_assert_cmpuint (log_count (f), ==, 2);

  /* The composed message stays; the same Send asks. */
  g_assert_true (relay_send_page_get_can_send (send_page (f)));
  g_assert_true (gtk_widget_activate_action (f->root, "win.send", NULL));
  relay_test_assert_wait (repeat_dialog_shown, NULL, WAIT_MS);
  dialog = relay_test_find_dialog ("confirm-repeat");
  relay_test_wait_shown (GTK_WIDGET (dialog));
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, "Send the Same Message Again?");
  g_test_message ("%s", adw_message_dialog_get_body (dialog));
  g_assert_true (g_str_has_prefix (adw_message_dialog_get_body (dialog),
                                   "This message was just sent to these 2 recipients. Sending it again is charged again. It may cost up to "));
  g_assert_true (g_str_has_suffix (adw_message_dialog_get_body (dialog), " EUR."));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  relay_test_screenshot_light_dark (GTK_WIDGET (dialog), "send-results-repeat-dialog");

  /* A second press while it asks opens nothing more. */
  gtk_widget_activate_action (f->root, "win.send", NULL);
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  relay_test_drain ();
  g_assert_null (relay_test_find_dialog ("confirm-repeat"));
  g_assert_false (relay_send_page_get_sending (send_page (f)));
  g_assert_cmpuint (log_count (f), ==, 2);
  /* Cancel keeps the results of the last send. */
  g_assert_cmpuint (g_list_model_get_n_items (results (f)), ==, 2);

  g_assert_true (gtk_widget_activate_action (f->root, "win.send", NULL));
  relay_test_assert_wait (repeat_dialog_shown, NULL, WAIT_MS);
  dialog = relay_test_find_dialog ("confirm-repeat");
  relay_test_wait_shown (GTK_WIDGET (dialog));
  adw_message_dialog_response (dialog, "send");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_true (relay_send_page_get_sending (send_page (f)));

  /* A double click while sending sends nothing more. */
  gtk_widget_activate_action (f->root, "win.send", NULL);
  gtk_widget_activate_action (f->root, "win.send", NULL);
  g_assert_null (relay_test_find_dialog ("confirm-repeat"));
  relay_test_assert_wait (send_done, f, WAIT_MS);
  relay_test_drain ();
  g_assert_null (relay_test_find_dialog ("confirm-repeat"));
  g_assert_cmpuint (log_count (f), ==, 4);
}

/* Editing the text, the recipients or the sender after a send clears
 * its results. */
static void
test_clear_on_edit (Fixture       *f,
                    gconstpointer  data)
{
  GtkWidget *group = relay_test_need_widget (f->root, "results");

  send_and_wait (f, "447700900821", "First message");
  g_assert_true (gtk_widget_get_visible (group));
  g_assert_cmpuint (g_list_model_get_n_items (results (f)), ==, 1);
  relay_test_set_text (f->root, "text", "Second message");
  g_assert_cmpuint (g_list_model_get_n_items (results (f)), ==, 0);
  g_assert_false (gtk_widget_get_visible (group));
  g_assert_cmpstr (relay_result_list_get_total_text (result_list (f)), ==, "");

  /* A new message: no question. */
  send_and_wait (f, "447700900821", "Second message");
  g_assert_null (relay_test_find_dialog ("confirm-repeat"));
  g_assert_cmpuint (log_count (f), ==, 2);
  relay_test_set_text (f->root, "to", "447700900822");
  g_assert_cmpuint (g_list_model_get_n_items (results (f)), ==, 0);

  send_and_wait (f, "447700900822", "Second message");
  g_assert_cmpuint (log_count (f), ==, 3);
  relay_test_set_text (f->root, "from", "RelayTwo");
  g_assert_cmpuint (g_list_model_get_n_items (results (f)), ==, 0);
  g_assert_false (gtk_widget_get_visible (group));
}

/* @widget's bounds in the window's coordinates. */
static graphene_rect_t
bounds_in_window (Fixture   *f,
                  GtkWidget *widget)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (widget, f->root, &bounds));
  return bounds;
}

static void
assert_apart (const char            *what,
              const graphene_rect_t *a,
              const graphene_rect_t *b)
{
  g_test_message ("%s %.0f,%.0f %.0fx%.0f; toast %.0f,%.0f %.0fx%.0f", what,
                  a->origin.x, a->origin.y, a->size.width, a->size.height,
                  b->origin.x, b->origin.y, b->size.width, b->size.height);
  if (graphene_rect_intersection (a, b, NULL))
    g_error ("the toast covers the %s", what);
}

/* @widget lies whole inside the scrolled window's view. */
static void
assert_in_view (Fixture   *f,
                GtkWidget *scroller,
                GtkWidget *widget)
{
  graphene_rect_t view = bounds_in_window (f, scroller);
  graphene_rect_t bounds = bounds_in_window (f, widget);

  g_test_message ("view %.0f–%.0f, widget %.0f–%.0f", view.origin.y, view.origin.y + view.size.height,
                  bounds.origin.y, bounds.origin.y + bounds.size.height);
  g_assert_cmpfloat (bounds.origin.y, >=, view.origin.y);
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, view.origin.y + view.size.height + 0.5);
}

/* The page's own scrolled window (the results have one inside it). */
static GtkWidget *
page_scroller (Fixture *f)
{
  GtkWidget *scroller = gtk_widget_get_first_child (GTK_WIDGET (send_page (f)));

  g_assert_true (GTK_IS_SCROLLED_WINDOW (scroller));
  return scroller;
}

/* In a window too short for the form and the results, the page scrolls
 * to the results when the send ends, and the toast it shows covers
 * neither the last row nor the total. */
static void
test_in_view (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(RelayResultItem) last = NULL;
  GtkWidget *results_group = relay_test_need_widget (f->root, "results");
  GtkWidget *scroller = page_scroller (f);
  GtkWidget *total = relay_test_need_widget (f->root, "results-total");
  GtkWidget *toast;
  GtkWidget *row;
  graphene_rect_t toast_bounds, bounds;

  relay_test_resize (f->root, 720, 560);
  g_assert_nonnull (scroller);
  send_and_wait (f, "447700900831\n447700900832\n447700900833", "Where are my results?");
  relay_test_assert_wait (toast_shown, f, WAIT_MS);
  relay_test_wait_for_frames (f->root);
  relay_test_wait_for_frames (f->root);

  {
    GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));

    g_test_message ("page scrolled to %.0f of %.0f (page %.0f)", gtk_adjustment_get_value (adjustment),
                    gtk_adjustment_get_upper (adjustment), gtk_adjustment_get_page_size (adjustment));
  }
  last = g_list_model_get_item (results (f), 2);
  row = shown_row_of (f, last);
  g_assert_nonnull (row);
  assert_in_view (f, scroller, results_group);
  assert_in_view (f, scroller, row);

  toast = relay_test_find_toast (f->root);
  toast_bounds = bounds_in_window (f, toast);
  bounds = bounds_in_window (f, row);
  assert_apart ("last result row", &bounds, &toast_bounds);
  bounds = bounds_in_window (f, total);
  assert_apart ("total line", &bounds, &toast_bounds);

  /* Toasts go by themselves, soon. */
  g_assert_cmpuint (adw_toast_get_timeout (relay_window_get_toast (f->window)), <=, 3);
}

/* On the welcome page, scrolled to its end, a toast leaves Sign In
 * visible. */
static void
test_sign_in_visible (Fixture       *f,
                      gconstpointer  data)
{
  GtkWidget *button = relay_test_need_widget (f->root, "sign-in-button");
  GtkWidget *scroller = gtk_widget_get_ancestor (button, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  graphene_rect_t toast_bounds, bounds;

  relay_test_resize (f->root, 360, 560);
  relay_test_set_text (f->root, "consumer-secret", "");
  g_assert_true (gtk_widget_activate_action (f->root, "win.sign-in", NULL));
  relay_test_assert_wait (toast_shown, f, WAIT_MS);
  relay_test_wait_for_frames (f->root);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment));
  relay_test_wait_for_frames (f->root);

  assert_in_view (f, scroller, button);
  toast_bounds = bounds_in_window (f, relay_test_find_toast (f->root));
  bounds = bounds_in_window (f, button);
  assert_apart ("Sign In button", &bounds, &toast_bounds);
}

/* What the send page's result row shows for @state: its word (the line
 * up to its first " · "), its icon and the icon's style class. */
static void
result_row_look (RelayMessageState   state,
                 char              **word,
                 char              **icon_name,
                 char              **line)
{
  g_autoptr(RelayResultItem) item = relay_result_item_new ("447700900001", "EUR");
  GtkWidget *row = g_object_ref_sink (relay_result_row_new ());
  char *ids[] = { (char *) "0A0000000000CE11", NULL };
  RelaySmsResult result = { 0 };
  GtkWidget *icon;
  const char *text;
  const char *dot;

  result.state = (RelaySmsState) state;
  if (state == RELAY_MESSAGE_STATE_SENT)
    {
      result.parts = 1;
      result.price = 0.0333;
      result.message_ids = ids;
    }
  relay_result_item_set_outcome (item, &result);
  relay_result_row_set_item (RELAY_RESULT_ROW (row), item);

  icon = relay_test_need_widget (row, "result-state-icon");
  text = gtk_label_get_label (GTK_LABEL (relay_test_need_widget (row, "result-line")));
  dot = strstr (text, " · ");
  *word = dot != NULL ? g_strndup (text, dot - text) : g_strdup (text);
  *icon_name = g_strdup (gtk_image_get_icon_name (GTK_IMAGE (icon)));
  g_assert_true (gtk_widget_has_css_class (icon, relay_message_state_style_class (state)));
  *line = g_strdup (text);

  relay_result_row_set_item (RELAY_RESULT_ROW (row), NULL);
  g_object_unref (row);
}

/* The three lists that show a message's state (the send page's results,
 * History, a bulk list) word and draw each state the same way, and
 * write a price the same way. */
static void
test_same_words (void)
{
  static const char csv[] = "phone\n447700900001\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayImport) import = relay_import_new_from_csv (csv, strlen (csv), NULL, &error);
  g_autoptr(RelayBulkModel) bulk = NULL;
  g_autoptr(RelayBulkItem) bulk_item = NULL;
  g_autoptr(GHashTable) words = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) icons = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_no_error (error);
  bulk = relay_bulk_model_new_recipients (import, -1);
  bulk_item = g_list_model_get_item (G_LIST_MODEL (bulk), 0);

  for (int state = 0; state <= RELAY_MESSAGE_STATE_LAST; state++)
    {
      RelayStoreMessage message = { 0 };
      g_autofree char *word = NULL;
      g_autofree char *line = NULL;
      g_autofree char *icon_name = NULL;

      result_row_look (state, &word, &icon_name, &line);

      message.state = state;
      message.parts = state == RELAY_MESSAGE_STATE_SENT ? 1 : 0;
      message.price = (char *) "0.03330000";
      message.currency = (char *) "EUR";
      relay_bulk_model_set_outcome (bulk, 0, &message);

      g_test_message ("state %d: %s, %s", state, word, icon_name);
      /* History's rows and detail */
      g_assert_cmpstr (relay_history_state_label (state), ==, word);
      g_assert_cmpstr (relay_history_state_icon (state), ==, icon_name);
      /* a bulk list's rows */
      g_assert_cmpstr (relay_bulk_item_get_state (bulk_item), ==, word);
      g_assert_cmpstr (relay_bulk_item_get_icon_name (bulk_item), ==, icon_name);
      g_assert_cmpstr (relay_bulk_item_get_style_class (bulk_item), ==, relay_message_state_style_class (state));

      if (state == RELAY_MESSAGE_STATE_SENT)
        {
          g_autofree char *history_price = relay_history_format_price (&message);

          g_assert_cmpstr (line, ==, "Sent · 1 part · 0.0333\u00a0EUR");
          g_assert_cmpstr (history_price, ==, "0.0333\u00a0EUR");
          g_assert_cmpstr (relay_bulk_item_get_price (bulk_item), ==, "0.0333\u00a0EUR");
        }

      /* Each state reads and looks unlike the others. */
      g_assert_true (g_hash_table_add (words, (gpointer) relay_message_state_label (state)));
      g_assert_true (g_hash_table_add (icons, (gpointer) relay_message_state_icon_name (state)));
    }

  /* The provider may have taken it: never worded as failed or not sent. */
  g_assert_cmpstr (relay_message_state_label (RELAY_MESSAGE_STATE_UNCERTAIN), ==, "May have been sent");
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

  the_app = relay_test_application_new (TRUE);

  relay_test_disable_animations ();
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);

#define ADD(path, func, signed_in) \
  g_test_add (path, Fixture, signed_in ? NULL : "welcome", fixture_setup, func, fixture_teardown)

  ADD ("/relay/send-results/mixed", test_mixed, TRUE);
  ADD ("/relay/send-results/uncertain", test_uncertain, TRUE);
  ADD ("/relay/send-results/not-recorded", test_not_recorded, TRUE);
  ADD ("/relay/send-results/copy", test_copy, TRUE);
  ADD ("/relay/send-results/repeat", test_repeat, TRUE);
  ADD ("/relay/send-results/clear-on-edit", test_clear_on_edit, TRUE);
  ADD ("/relay/send-results/in-view", test_in_view, TRUE);
  ADD ("/relay/send-results/sign-in-visible", test_sign_in_visible, FALSE);

#undef ADD

  g_test_add_func ("/relay/send-results/same-words", test_same_words);

  status = g_test_run ();
  g_clear_object (&the_app);

  return status;
}
