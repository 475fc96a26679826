/* relay-window-bulk.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window's part in "Send to List": a file dropped anywhere on the
 * window opens on that page, which follows the shown account, its
 * client (one pacer with the send page), the store and the balance.
 */

#define G_LOG_DOMAIN "Relay"

#include "relay-window-private.h"

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         RelayWindow   *self)
{
  /* Only once signed in: the page needs an account to send. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "send") != 0)
    return FALSE;

  if (!relay_bulk_page_drop (self->bulk_page, value))
    return FALSE;

  adw_view_stack_set_visible_child_name (self->view_stack, "bulk");
  return TRUE;
}

/* A list started or ended: one send at a time; once it ended, the
 * header's balance and the History follow what was charged and sent. */
static void
sending_cb (RelayWindow *self)
{
  _relay_window_update_actions (self);
  if (!relay_bulk_page_get_sending (self->bulk_page))
    {
      relay_send_page_refresh_balance (self->send_page);
      relay_history_page_reload (self->history_page);
    }
}

void
_relay_window_bulk_setup (RelayWindow *self)
{
  GtkDropTarget *target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  GType types[] = { GDK_TYPE_FILE_LIST, G_TYPE_FILE };

  gtk_drop_target_set_gtypes (target, types, G_N_ELEMENTS (types));
  gtk_event_controller_set_name (GTK_EVENT_CONTROLLER (target), "bulk-drop");
  g_signal_connect_object (target, "drop", G_CALLBACK (drop_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));

  relay_bulk_page_bind_settings (self->bulk_page, self->settings);
  g_signal_connect_object (self->bulk_page, "notify::sending", G_CALLBACK (sending_cb),
                           self, G_CONNECT_SWAPPED);
}

/* Call when the account, the store or the balance changed. */
void
_relay_window_bulk_update (RelayWindow *self)
{
  relay_bulk_page_set_account (self->bulk_page, self->account,
                               self->account != NULL ? relay_send_page_get_client (self->send_page) : NULL);
  relay_bulk_page_set_store (self->bulk_page, self->store);
}
