/* relay-history-page.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "relay-history-detail.h"
#include "relay-history-export.h"
#include "relay-history-page.h"
#include "relay-history-row.h"
#include "relay-message-state.h"

/* The History page: a list of what was sent, newest first, read lazily
 * from the store, with filters and search; a detail view of one message
 * with Send Again, Copy Message ID and Delete; Export to CSV and Clear
 * History. It never writes history itself, it only reads and deletes. */
struct _RelayHistoryPage
{
  GtkWidget             parent_instance;

  /* template widgets */
  GtkStack             *page_stack;
  GtkSearchEntry       *search_entry;
  GtkMenuButton        *menu_button;
  GtkDropDown          *account_dropdown;
  GtkStringList        *account_list;
  GtkDropDown          *state_dropdown;
  GtkDropDown          *date_dropdown;
  GtkStack             *content_stack;
  GtkListView          *list_view;
  AdwStatusPage        *status_page;
  RelayHistoryDetail   *detail;

  /* owned references */
  RelayStore           *store;
  RelayHistoryModel    *model;
  GCancellable         *cancellable;
  GPtrArray            *account_ids;    /* char*, in the order of account_list after "All" */
  RelayStoreMessage    *shown;          /* the message of the detail view */
  RelayHistoryItem     *pending;        /* an item the detail waits for */
  GtkFileChooserNative *chooser;
  GHashTable           *bound;          /* GtkListItem*, those bound to a row */

  /* state */
  char                 *unavailable;
  gboolean              keep_history;
  gboolean              filling_accounts;
  gboolean              shown_in_outbox;  /* the shown message waits for the user's word */
};

G_DEFINE_FINAL_TYPE (RelayHistoryPage, relay_history_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_KEEP_HISTORY,
  N_PROPS
};

enum {
  TOAST,
  SEND_AGAIN,
  DECIDED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The state drop-down's entries, in its order. */
static const int filter_states[] = {
  -1,
  RELAY_MESSAGE_STATE_SENT,
  RELAY_MESSAGE_STATE_FAILED,
  RELAY_MESSAGE_STATE_NOT_SENT,
  RELAY_MESSAGE_STATE_UNCERTAIN,
  RELAY_MESSAGE_STATE_QUEUED,
  RELAY_MESSAGE_STATE_SENDING,
};

/* The drop-downs' buttons ellipsize their choice, so the filters fit a
 * narrow window; their lists show choices whole. */
static const char ellipsized_item_ui[] =
  "<interface><template class='GtkListItem'><property name='child'>"
  "<object class='GtkLabel'><property name='xalign'>0</property>"
  "<property name='ellipsize'>end</property>"
  "<binding name='label'><lookup name='string' type='GtkStringObject'>"
  "<lookup name='item'>GtkListItem</lookup></lookup></binding>"
  "</object></property></template></interface>";

static const char whole_item_ui[] =
  "<interface><template class='GtkListItem'><property name='child'>"
  "<object class='GtkLabel'><property name='xalign'>0</property>"
  "<binding name='label'><lookup name='string' type='GtkStringObject'>"
  "<lookup name='item'>GtkListItem</lookup></lookup></binding>"
  "</object></property></template></interface>";

static void
set_factories (GtkDropDown *dropdown)
{
  g_autoptr(GBytes) ellipsized = g_bytes_new_static (ellipsized_item_ui, sizeof ellipsized_item_ui - 1);
  g_autoptr(GBytes) whole = g_bytes_new_static (whole_item_ui, sizeof whole_item_ui - 1);
  g_autoptr(GtkListItemFactory) factory = gtk_builder_list_item_factory_new_from_bytes (NULL, ellipsized);
  g_autoptr(GtkListItemFactory) list_factory = gtk_builder_list_item_factory_new_from_bytes (NULL, whole);

  gtk_drop_down_set_factory (dropdown, factory);
  gtk_drop_down_set_list_factory (dropdown, list_factory);
}

static void
toast (RelayHistoryPage *self,
       const char       *text)
{
  g_signal_emit (self, signals[TOAST], 0, text);
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static gboolean
has_filter (RelayHistoryPage *self)
{
  return *gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0' ||
         gtk_drop_down_get_selected (self->account_dropdown) > 0 ||
         gtk_drop_down_get_selected (self->state_dropdown) > 0 ||
         gtk_drop_down_get_selected (self->date_dropdown) > 0;
}

/* Midnight today, or @days ago from now, in µs since the epoch. */
static gint64
since_for_date (guint choice)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  switch (choice)
    {
    case 1:
      {
        g_autoptr(GDateTime) midnight =
          g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                 g_date_time_get_day_of_month (now), 0, 0, 0);

        return g_date_time_to_unix (midnight) * G_USEC_PER_SEC;
      }
    case 2:
      return g_get_real_time () - 7 * G_TIME_SPAN_DAY;
    case 3:
      return g_get_real_time () - 30 * G_TIME_SPAN_DAY;
    default:
      return 0;
    }
}

static void
fill_query (RelayHistoryPage *self,
            RelayStoreQuery  *query)
{
  guint account = gtk_drop_down_get_selected (self->account_dropdown);
  guint state = gtk_drop_down_get_selected (self->state_dropdown);
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  *query = (RelayStoreQuery) { .state = -1 };
  if (account != GTK_INVALID_LIST_POSITION && account > 0 && account - 1 < self->account_ids->len)
    query->account = g_ptr_array_index (self->account_ids, account - 1);
  if (state != GTK_INVALID_LIST_POSITION && state < G_N_ELEMENTS (filter_states))
    query->state = filter_states[state];
  if (*search != '\0')
    query->search = (char *) search;
  query->since_us = since_for_date (gtk_drop_down_get_selected (self->date_dropdown));
}

static void
update_view (RelayHistoryPage *self)
{
  const char *title = NULL;
  const char *description = NULL;
  gboolean usable = self->model != NULL && self->unavailable == NULL && self->keep_history;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.export", usable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.clear", usable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->search_entry), usable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->account_dropdown), usable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->state_dropdown), usable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->date_dropdown), usable);

  /* A detail of a history that is gone or off makes no sense. */
  if (!usable)
    gtk_stack_set_visible_child_name (self->page_stack, "list");

  if (self->unavailable != NULL)
    {
      title = _("History Is Off");
      description = self->unavailable;
    }
  else if (!self->keep_history)
    {
      title = _("History Is Off");
      description = _("Relay does not record the messages it sends. Turn on “Keep History” in Preferences to see them here.");
    }
  else if (self->model == NULL)
    {
      title = _("Opening History…");
    }
  else if (relay_history_model_get_loading (self->model) &&
           g_list_model_get_n_items (G_LIST_MODEL (self->model)) > 0)
    {
      return;
    }
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->model)) == 0)
    {
      if (relay_history_model_get_loading (self->model))
        return;
      if (has_filter (self))
        {
          title = _("No Matching Messages");
          description = _("Try other words or filters.");
        }
      else
        {
          title = _("No Messages Yet");
          description = _("The messages you send appear here.");
        }
    }

  if (title == NULL)
    {
      gtk_stack_set_visible_child_name (self->content_stack, "list");
      return;
    }

  adw_status_page_set_title (self->status_page, title);
  adw_status_page_set_description (self->status_page, description);
  adw_status_page_set_icon_name (self->status_page,
                                 has_filter (self) && usable ? "system-search-symbolic"
                                                             : "document-open-recent-symbolic");
  gtk_stack_set_visible_child_name (self->content_stack, "empty");
}

static void
update_query (RelayHistoryPage *self)
{
  RelayStoreQuery query;

  if (self->model == NULL)
    return;

  fill_query (self, &query);
  relay_history_model_set_query (self->model, &query);
}

/* detail */

/* Which message's place in the outbox is being looked up. */
typedef struct
{
  RelayHistoryPage *page;
  gint64            id;
} ShownOutbox;

static void
shown_outbox_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ShownOutbox *shown = user_data;
  g_autoptr(RelayHistoryPage) self = shown->page;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = shown->id;

  g_free (shown);
  rows = relay_store_outbox_finish (RELAY_STORE (object), result, &error);
  if (rows == NULL)
    {
      if (!is_cancelled (error))
        g_debug ("Outbox not read: %s", error->message);
      return;
    }

  /* Another message is shown by now. */
  if (self->shown == NULL || self->shown->id != id)
    return;

  for (guint i = 0; i < rows->len; i++)
    if (((RelayStoreMessage *) rows->pdata[i])->id == id)
      self->shown_in_outbox = TRUE;
  relay_history_detail_set_outbox (self->detail, self->shown->state, self->shown_in_outbox);
}

static void
show_message (RelayHistoryPage        *self,
              const RelayStoreMessage *message)
{
  gboolean has_ids = message->message_ids != NULL && message->message_ids[0] != NULL;

  g_clear_pointer (&self->shown, relay_store_message_free);
  self->shown = relay_store_message_copy (message);
  relay_history_detail_set_message (self->detail, message);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.copy-id", has_ids);
  gtk_stack_set_visible_child_name (self->page_stack, "detail");

  /* A queued or uncertain message may wait for the user's word. */
  self->shown_in_outbox = FALSE;
  relay_history_detail_set_outbox (self->detail, message->state, FALSE);
  if (self->store != NULL &&
      (message->state == RELAY_MESSAGE_STATE_QUEUED || message->state == RELAY_MESSAGE_STATE_UNCERTAIN))
    {
      ShownOutbox *shown = g_new0 (ShownOutbox, 1);

      shown->page = g_object_ref (self);
      shown->id = message->id;
      relay_store_outbox_async (self->store, self->cancellable, shown_outbox_cb, shown);
    }
}

static void
pending_cb (RelayHistoryItem *item,
            GParamSpec       *pspec,
            RelayHistoryPage *self)
{
  const RelayStoreMessage *message = relay_history_item_get_message (item);

  if (item != self->pending || message == NULL)
    return;

  g_signal_handlers_disconnect_by_func (item, pending_cb, self);
  g_clear_object (&self->pending);
  show_message (self, message);
}

static void
show_item (RelayHistoryPage *self,
           RelayHistoryItem *item)
{
  if (self->pending != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->pending, pending_cb, self);
      g_clear_object (&self->pending);
    }

  if (relay_history_item_get_message (item) != NULL)
    {
      show_message (self, relay_history_item_get_message (item));
      return;
    }

  /* Its page is still being read. */
  self->pending = g_object_ref (item);
  g_signal_connect_object (item, "notify::message", G_CALLBACK (pending_cb), self, 0);
}

/* callbacks */

/* Room below the last row, as the send page keeps below its results:
 * scrolled to the end, the page's toasts cover no row. The list view
 * recycles its rows, so the room is the last row's bottom margin (its
 * highlight and clicks stop at its border, not in the room). */
#define TOAST_ROOM 96

static void
update_room (RelayHistoryPage *self,
             GtkListItem      *list_item)
{
  GListModel *model = self->list_view != NULL ? G_LIST_MODEL (gtk_list_view_get_model (self->list_view)) : NULL;
  GtkWidget *child = gtk_list_item_get_child (list_item);
  GtkWidget *row = child != NULL ? gtk_widget_get_parent (child) : NULL;
  guint n = model != NULL ? g_list_model_get_n_items (model) : 0;
  gboolean last = n > 0 && gtk_list_item_get_position (list_item) == n - 1;

  if (row != NULL)
    gtk_widget_set_margin_bottom (row, last ? TOAST_ROOM : 0);
}

static void
position_cb (GtkListItem      *list_item,
             GParamSpec       *pspec,
             RelayHistoryPage *self)
{
  update_room (self, list_item);
}

/* A row removed from the end leaves the one before it last, where it
 * was: no position changes to say so. */
static void
rows_changed_cb (RelayHistoryPage *self)
{
  GHashTableIter iter;
  gpointer list_item;

  g_hash_table_iter_init (&iter, self->bound);
  while (g_hash_table_iter_next (&iter, &list_item, NULL))
    update_room (self, list_item);
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          RelayHistoryPage         *self)
{
  gtk_list_item_set_child (list_item, relay_history_row_new ());
  g_signal_connect_object (list_item, "notify::position", G_CALLBACK (position_cb), self, 0);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item,
         RelayHistoryPage         *self)
{
  relay_history_row_set_item (RELAY_HISTORY_ROW (gtk_list_item_get_child (list_item)),
                              gtk_list_item_get_item (list_item));
  g_hash_table_add (self->bound, list_item);
  update_room (self, list_item);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           RelayHistoryPage         *self)
{
  relay_history_row_set_item (RELAY_HISTORY_ROW (gtk_list_item_get_child (list_item)), NULL);
  g_hash_table_remove (self->bound, list_item);
  update_room (self, list_item);
}

static void
search_changed_cb (RelayHistoryPage *self)
{
  update_query (self);
}

static void
filter_changed_cb (RelayHistoryPage *self)
{
  if (!self->filling_accounts)
    update_query (self);
}

static void
activate_cb (RelayHistoryPage *self,
             guint             position)
{
  relay_history_page_show_position (self, position);
}

static void
model_changed_cb (RelayHistoryPage *self)
{
  update_view (self);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  RelayHistoryPage *self = RELAY_HISTORY_PAGE (widget);

  gtk_stack_set_visible_child_name (self->page_stack, "list");
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  RelayHistoryPage *self = RELAY_HISTORY_PAGE (widget);

  gtk_stack_set_visible_child_name (self->page_stack, "list");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

typedef struct
{
  RelayHistoryPage   *page;
  RelayStoreDecision  decision;
} Decide;

static void
decide_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Decide *decide = user_data;
  g_autoptr(RelayHistoryPage) self = decide->page;
  RelayStoreDecision decision = decide->decision;
  g_autoptr(GError) error = NULL;

  g_free (decide);
  if (!relay_store_decide_finish (RELAY_STORE (object), result, NULL, &error))
    {
      if (!is_cancelled (error))
        toast (self, error->message);
      return;
    }

  switch (decision)
    {
    case RELAY_STORE_DECISION_MARK_SENT:
      toast (self, _("Marked as sent"));
      break;

    case RELAY_STORE_DECISION_DISCARD:
      toast (self, _("Message discarded"));
      break;

    case RELAY_STORE_DECISION_RETRY:
    default:
      /* The new row waits in the outbox; the window sends it. */
      gtk_widget_activate_action (GTK_WIDGET (self), "win.outbox-send", NULL);
      break;
    }

  g_clear_pointer (&self->shown, relay_store_message_free);
  gtk_stack_set_visible_child_name (self->page_stack, "list");
  relay_history_page_reload (self);
  g_signal_emit (self, signals[DECIDED], 0);
}

/* The user's word on the shown message, which waits in the outbox. */
static void
decide (RelayHistoryPage   *self,
        RelayStoreDecision  decision)
{
  Decide *data;

  if (self->shown == NULL || self->store == NULL || !self->shown_in_outbox)
    return;

  data = g_new0 (Decide, 1);
  data->page = g_object_ref (self);
  data->decision = decision;
  relay_store_decide_async (self->store, &self->shown->id, 1, decision, self->cancellable,
                            decide_cb, data);
}

static void
send_again_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        RelayHistoryPage *self)
{
  if (g_strcmp0 (response, "send") == 0)
    decide (self, RELAY_STORE_DECISION_RETRY);
}

static void
send_again_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  RelayHistoryPage *self = RELAY_HISTORY_PAGE (widget);
  GtkWidget *dialog;

  if (self->shown == NULL)
    return;

  /* A message that may have been sent is sent again only on the
   * user's word, once asked. */
  if (self->shown->state != RELAY_MESSAGE_STATE_UNCERTAIN || !self->shown_in_outbox)
    {
      g_signal_emit (self, signals[SEND_AGAIN], 0, self->shown->recipient, self->shown->text);
      return;
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                   _("Send Again?"),
                                   _("This message may have been sent already. If it was, the recipient gets it twice."));
  gtk_widget_set_name (dialog, "send-again-dialog");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "send", _("Send _Again"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "send",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (send_again_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
send_now_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  RelayHistoryPage *self = RELAY_HISTORY_PAGE (widget);

  if (self->shown == NULL || !self->shown_in_outbox || self->shown->state != RELAY_MESSAGE_STATE_QUEUED)
    return;

  /* The window sends the account's queued messages. */
  gtk_widget_activate_action (widget, "win.outbox-send", NULL);
}

static void
mark_sent_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  RelayHistoryPage *self = RELAY_HISTORY_PAGE (widget);

  if (self->shown != NULL && self->shown->state == RELAY_MESSAGE_STATE_UNCERTAIN)
    decide (self, RELAY_STORE_DECISION_MARK_SENT);
}

static void
discard_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  decide (RELAY_HISTORY_PAGE (widget), RELAY_STORE_DECISION_DISCARD);
}

static void
copy_id_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  RelayHistoryPage *self = RELAY_HISTORY_PAGE (widget);
  g_autofree char *ids = NULL;

  if (self->shown == NULL || self->shown->message_ids == NULL || self->shown->message_ids[0] == NULL)
    return;

  ids = g_strjoinv ("\n", self->shown->message_ids);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), ids);
  toast (self, g_strv_length (self->shown->message_ids) == 1 ? _("Message ID copied")
                                                              : _("Message IDs copied"));
}

static void
delete_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(RelayHistoryPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!relay_store_delete_finish (RELAY_STORE (object), result, &error))
    {
      if (!is_cancelled (error))
        toast (self, error->message);
      return;
    }

  toast (self, _("Message deleted"));
  g_clear_pointer (&self->shown, relay_store_message_free);
  gtk_stack_set_visible_child_name (self->page_stack, "list");
  relay_history_page_reload (self);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  RelayHistoryPage *self = RELAY_HISTORY_PAGE (widget);

  if (self->shown == NULL || self->store == NULL)
    return;

  relay_store_delete_async (self->store, &self->shown->id, 1, self->cancellable,
                            delete_cb, g_object_ref (self));
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(RelayHistoryPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!relay_store_clear_finish (RELAY_STORE (object), result, &error))
    {
      if (!is_cancelled (error))
        toast (self, error->message);
      return;
    }

  toast (self, _("History cleared"));
  relay_history_page_reload (self);
}

static void
clear_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   RelayHistoryPage *self)
{
  if (g_strcmp0 (response, "clear") != 0 || self->store == NULL)
    return;

  relay_store_clear_async (self->store, NULL, self->cancellable, clear_cb, g_object_ref (self));
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  RelayHistoryPage *self = RELAY_HISTORY_PAGE (widget);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                   _("Clear History?"),
                                   _("Relay deletes the history of every account from this computer. Messages waiting to be sent stay."));
  gtk_widget_set_name (dialog, "clear-history-dialog");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "clear", _("C_lear History"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "clear",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (clear_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* export */

static void
export_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(RelayHistoryPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *sentence = NULL;
  guint count = 0;

  if (!relay_history_export_finish (RELAY_STORE (object), result, &count, &error))
    {
      if (is_cancelled (error))
        return;
      sentence = g_strdup_printf (_("The history could not be exported: %s"), error->message);
    }
  else
    {
      sentence = g_strdup_printf (ngettext ("Exported %u message", "Exported %u messages", count),
                                  count);
    }

  toast (self, sentence);
}

static void
chooser_response_cb (GtkNativeDialog  *chooser,
                     int               response,
                     RelayHistoryPage *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);

  if (file != NULL)
    relay_history_page_export_to_file (self, file);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  RelayHistoryPage *self = RELAY_HISTORY_PAGE (widget);

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Export History"),
                                               GTK_WINDOW (gtk_widget_get_root (widget)),
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  /* Translators: the suggested file name of an exported history */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), _("relay-history.csv"));
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* overrides */

static void
relay_history_page_dispose (GObject *object)
{
  RelayHistoryPage *self = RELAY_HISTORY_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  if (self->pending != NULL)
    g_signal_handlers_disconnect_by_func (self->pending, pending_cb, self);
  g_clear_object (&self->pending);

  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_HISTORY_PAGE);

  g_clear_object (&self->model);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (relay_history_page_parent_class)->dispose (object);
}

static void
relay_history_page_finalize (GObject *object)
{
  RelayHistoryPage *self = RELAY_HISTORY_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->account_ids, g_ptr_array_unref);
  g_clear_pointer (&self->bound, g_hash_table_unref);
  g_clear_pointer (&self->shown, relay_store_message_free);
  g_clear_pointer (&self->unavailable, g_free);

  G_OBJECT_CLASS (relay_history_page_parent_class)->finalize (object);
}

static void
relay_history_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  RelayHistoryPage *self = RELAY_HISTORY_PAGE (object);

  switch (prop_id)
    {
    case PROP_KEEP_HISTORY:
      g_value_set_boolean (value, self->keep_history);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_history_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  RelayHistoryPage *self = RELAY_HISTORY_PAGE (object);

  switch (prop_id)
    {
    case PROP_KEEP_HISTORY:
      if (self->keep_history != g_value_get_boolean (value))
        {
          self->keep_history = g_value_get_boolean (value);
          update_view (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_history_page_class_init (RelayHistoryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_history_page_dispose;
  object_class->finalize = relay_history_page_finalize;
  object_class->get_property = relay_history_page_get_property;
  object_class->set_property = relay_history_page_set_property;

  /**
   * RelayHistoryPage:keep-history:
   *
   * Whether Relay records messages (the "keep-history" setting); when
   * not, the page says history is off.
   */
  properties[PROP_KEEP_HISTORY] =
    g_param_spec_boolean ("keep-history", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RelayHistoryPage::toast:
   * @text: a sentence
   *
   * Asks the window to show @text as a toast.
   */
  signals[TOAST] =
    g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * RelayHistoryPage::send-again:
   * @recipient: the number
   * @text: the message
   *
   * Asks the window to put @recipient and @text into the send page.
   */
  signals[SEND_AGAIN] =
    g_signal_new ("send-again", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  /**
   * RelayHistoryPage::decided:
   * @self: the page
   *
   * Emitted when the user decided on a message of the outbox (the
   * window's banners follow).
   */
  signals[DECIDED] =
    g_signal_new ("decided", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (RELAY_TYPE_HISTORY_DETAIL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/relaysms/Relay/relay-history-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayHistoryPage, page_stack);
  gtk_widget_class_bind_template_child (widget_class, RelayHistoryPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RelayHistoryPage, menu_button);
  gtk_widget_class_bind_template_child (widget_class, RelayHistoryPage, account_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RelayHistoryPage, account_list);
  gtk_widget_class_bind_template_child (widget_class, RelayHistoryPage, state_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RelayHistoryPage, date_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RelayHistoryPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, RelayHistoryPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, RelayHistoryPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, RelayHistoryPage, detail);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, activate_cb);

  gtk_widget_class_install_action (widget_class, "history.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "history.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "history.send-again", NULL, send_again_action);
  gtk_widget_class_install_action (widget_class, "history.copy-id", NULL, copy_id_action);
  gtk_widget_class_install_action (widget_class, "history.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "history.send-now", NULL, send_now_action);
  gtk_widget_class_install_action (widget_class, "history.mark-sent", NULL, mark_sent_action);
  gtk_widget_class_install_action (widget_class, "history.discard", NULL, discard_action);
  gtk_widget_class_install_action (widget_class, "history.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "history.clear", NULL, clear_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "history.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "history.search", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
relay_history_page_init (RelayHistoryPage *self)
{
  GtkListItemFactory *factory;

  self->keep_history = TRUE;
  self->cancellable = g_cancellable_new ();
  self->account_ids = g_ptr_array_new_with_free_func (g_free);
  self->bound = g_hash_table_new (NULL, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_string_list_append (self->account_list, _("All accounts"));
  /* The states as every list words them, after "All states". */
  for (guint i = 1; i < G_N_ELEMENTS (filter_states); i++)
    gtk_string_list_append (GTK_STRING_LIST (gtk_drop_down_get_model (self->state_dropdown)),
                            relay_message_state_label (filter_states[i]));
  set_factories (self->account_dropdown);
  set_factories (self->state_dropdown);
  set_factories (self->date_dropdown);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);

  update_view (self);
}

/* public */

void
relay_history_page_bind_settings (RelayHistoryPage *self,
                                  GSettings        *settings)
{
  g_return_if_fail (RELAY_IS_HISTORY_PAGE (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  g_settings_bind (settings, "keep-history", self, "keep-history", G_SETTINGS_BIND_GET);
}

/**
 * relay_history_page_set_store:
 * @store: (nullable): an open store
 *
 * Shows the history of @store.
 */
void
relay_history_page_set_store (RelayHistoryPage *self,
                              RelayStore       *store)
{
  g_return_if_fail (RELAY_IS_HISTORY_PAGE (self));
  g_return_if_fail (store == NULL || RELAY_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;

  g_clear_pointer (&self->unavailable, g_free);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, model_changed_cb, self);
  g_clear_object (&self->model);

  if (store != NULL)
    {
      g_autoptr(GtkNoSelection) selection = NULL;

      self->model = relay_history_model_new (store);
      g_signal_connect_object (self->model, "items-changed", G_CALLBACK (model_changed_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->model, "notify::loading", G_CALLBACK (model_changed_cb),
                               self, G_CONNECT_SWAPPED);
      selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
      gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
      g_signal_connect_object (selection, "items-changed", G_CALLBACK (rows_changed_cb),
                               self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
      update_query (self);
    }
  else
    {
      gtk_list_view_set_model (self->list_view, NULL);
    }

  update_view (self);
}

/**
 * relay_history_page_set_unavailable:
 * @sentence: why the store could not be opened
 *
 * Says that history is off, and why.
 */
void
relay_history_page_set_unavailable (RelayHistoryPage *self,
                                    const char       *sentence)
{
  g_return_if_fail (RELAY_IS_HISTORY_PAGE (self));
  g_return_if_fail (sentence != NULL);

  relay_history_page_set_store (self, NULL);
  g_free (self->unavailable);
  self->unavailable = g_strdup (sentence);
  update_view (self);
}

/**
 * relay_history_page_set_accounts:
 * @ids: the account ids the window knows
 * @labels: their labels, as many
 *
 * Fills the account filter; the chosen account stays chosen while it is
 * still listed.
 */
void
relay_history_page_set_accounts (RelayHistoryPage  *self,
                                 const char *const *ids,
                                 const char *const *labels)
{
  g_autofree char *chosen = NULL;
  guint selected = gtk_drop_down_get_selected (self->account_dropdown);
  guint keep = 0;
  guint n;

  g_return_if_fail (RELAY_IS_HISTORY_PAGE (self));
  g_return_if_fail (g_strv_length ((char **) ids) == g_strv_length ((char **) labels));

  if (selected != GTK_INVALID_LIST_POSITION && selected > 0 && selected - 1 < self->account_ids->len)
    chosen = g_strdup (g_ptr_array_index (self->account_ids, selected - 1));

  self->filling_accounts = TRUE;
  g_ptr_array_set_size (self->account_ids, 0);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->account_list));
  gtk_string_list_splice (self->account_list, 1, n - 1, labels);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_ptr_array_add (self->account_ids, g_strdup (ids[i]));
      if (g_strcmp0 (ids[i], chosen) == 0)
        keep = i + 1;
    }
  gtk_drop_down_set_selected (self->account_dropdown, keep);
  self->filling_accounts = FALSE;

  if ((chosen != NULL) != (keep > 0))
    update_query (self);
}

/**
 * relay_history_page_reload:
 *
 * Reads the history again, after it changed.
 */
void
relay_history_page_reload (RelayHistoryPage *self)
{
  g_return_if_fail (RELAY_IS_HISTORY_PAGE (self));

  if (self->model != NULL)
    update_query (self);
}

/**
 * relay_history_page_get_model:
 *
 * Returns: (nullable) (transfer none): the list's model, once a store is set
 */
RelayHistoryModel *
relay_history_page_get_model (RelayHistoryPage *self)
{
  g_return_val_if_fail (RELAY_IS_HISTORY_PAGE (self), NULL);

  return self->model;
}

/**
 * relay_history_page_get_view:
 *
 * Returns: "list", "empty" or "detail"
 */
const char *
relay_history_page_get_view (RelayHistoryPage *self)
{
  g_return_val_if_fail (RELAY_IS_HISTORY_PAGE (self), NULL);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->page_stack), "detail") == 0)
    return "detail";

  return gtk_stack_get_visible_child_name (self->content_stack);
}

/**
 * relay_history_page_show_position:
 *
 * Opens the detail view of the row at @position, as a click does.
 */
void
relay_history_page_show_position (RelayHistoryPage *self,
                                  guint             position)
{
  g_autoptr(RelayHistoryItem) item = NULL;

  g_return_if_fail (RELAY_IS_HISTORY_PAGE (self));

  if (self->model == NULL)
    return;

  item = g_list_model_get_item (G_LIST_MODEL (self->model), position);
  if (item != NULL)
    show_item (self, item);
}

/**
 * relay_history_page_export_to_file:
 * @file: where to write
 *
 * Writes the rows the filters show to @file as CSV (RFC 4180, UTF-8,
 * with a header line) without blocking, then says so in a toast.
 */
void
relay_history_page_export_to_file (RelayHistoryPage *self,
                                   GFile            *file)
{
  RelayStoreQuery query;

  g_return_if_fail (RELAY_IS_HISTORY_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->store == NULL)
    return;

  fill_query (self, &query);
  relay_history_export_async (self->store, &query, file, self->cancellable,
                              export_cb, g_object_ref (self));
}

/**
 * relay_history_page_show_state:
 * @state: a RelayMessageState, or -1 for any
 *
 * Shows the list filtered by @state (the uncertain banner's Show
 * History shows the messages that may have been sent).
 */
void
relay_history_page_show_state (RelayHistoryPage *self,
                               int               state)
{
  g_return_if_fail (RELAY_IS_HISTORY_PAGE (self));

  for (guint i = 0; i < G_N_ELEMENTS (filter_states); i++)
    if (filter_states[i] == state)
      gtk_drop_down_set_selected (self->state_dropdown, i);
  gtk_stack_set_visible_child_name (self->page_stack, "list");
}

/**
 * relay_history_page_set_delivery_checker:
 * @checker: (nullable): what the detail view's Check Delivery asks
 */
void
relay_history_page_set_delivery_checker (RelayHistoryPage     *self,
                                         RelayDeliveryChecker *checker)
{
  g_return_if_fail (RELAY_IS_HISTORY_PAGE (self));

  relay_history_detail_set_delivery_checker (self->detail, checker);
}
