/* relay-window-delivery.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window's part in delivery status: one RelayDeliveryChecker for
 * the shown account, offered to the History page's Check Delivery, and
 * with the "check-delivery" preference on, one background refresh of
 * that account's recent messages when the window shows it.
 */

#define G_LOG_DOMAIN "Relay"

#include "relay-window-private.h"

static void
updated_cb (RelayDeliveryChecker *checker,
            gint64                id,
            RelayWindow          *self)
{
  relay_history_page_reload (self->history_page);
}

/* The sandbox listens on a new port each run: its accounts ask it for
 * delivery records too. */
static void
follow_sandbox (RelayWindow  *self,
                RelayAccount *account)
{
  RelayProvider *provider = relay_account_get_provider (account);

  if (self->sandbox_rest != NULL &&
      g_strcmp0 (relay_provider_get_rest_base (provider), self->sandbox_rest) == 0)
    relay_provider_set_reports_base (provider, self->sandbox_rest);
}

/**
 * _relay_window_update_delivery:
 *
 * Call when the store opened or the shown account changed.
 */
void
_relay_window_update_delivery (RelayWindow *self)
{
  if (self->store == NULL)
    return;

  if (self->delivery_checker == NULL)
    {
      self->delivery_checker = relay_delivery_checker_new (self->store);
      g_signal_connect_object (self->delivery_checker, "updated", G_CALLBACK (updated_cb), self, 0);
      relay_history_page_set_delivery_checker (self->history_page, self->delivery_checker);
    }

  if (self->account != NULL)
    follow_sandbox (self, self->account);
  relay_delivery_checker_set_account (self->delivery_checker, self->account);

  /* Once per account and window, and only when the user chose to pay
   * for it. */
  if (self->account != NULL &&
      g_settings_get_boolean (self->settings, "check-delivery") &&
      g_strcmp0 (self->delivery_refreshed, relay_account_get_id (self->account)) != 0)
    {
      g_free (self->delivery_refreshed);
      self->delivery_refreshed = g_strdup (relay_account_get_id (self->account));
      relay_delivery_checker_refresh_recent (self->delivery_checker);
    }
}
