/* relay-window-private.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "relay-bulk-page.h"
#include "relay-credential-store.h"
#include "relay-history-page.h"
#include "relay-send-notifier.h"
#include "relay-send-page.h"
#include "relay-sign-in.h"
#include "relay-waiting-page.h"
#include "relay-welcome-page.h"
#include "relay-window.h"

G_BEGIN_DECLS

/* The one main window: a stack of pages (loading, welcome, waiting,
 * send) and the actions that move between them. Sign-in, keyring and
 * account work happen here; sending happens in the send page. */
struct _RelayWindow
{
  AdwApplicationWindow  parent_instance;

  /* template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwViewSwitcherTitle *window_title;
  GtkMenuButton        *accounts_button;
  GtkButton            *back_button;
  GtkLabel             *balance_label;
  GtkRevealer          *sandbox_revealer;
  GtkRevealer          *keyring_revealer;
  GtkRevealer          *history_revealer;
  GtkRevealer          *outbox_revealer;
  GtkLabel             *outbox_label;
  GtkRevealer          *uncertain_revealer;
  GtkLabel             *uncertain_label;
  GArray               *outbox_queued;   /* gint64 ids of queued outbox rows */
  guint                 reload_id;
  GtkLabel             *history_banner_label;
  GtkStack             *stack;
  GtkSpinner           *loading_spinner;
  RelayWelcomePage     *welcome_page;
  RelayWaitingPage     *waiting_page;
  AdwViewStack         *view_stack;
  RelaySendPage        *send_page;
  RelayHistoryPage     *history_page;
  RelayBulkPage        *bulk_page;

  /* owned references */
  GSettings            *settings;
  GCancellable         *cancellable;
  RelayProvider        *settings_provider;
  RelaySignIn          *sign_in;
  RelayAccount         *account;
  GMenu                *accounts_menu;
  RelayStore           *store;          /* the history, once it opened */
  RelayDeliveryChecker *delivery_checker; /* once the store opened */
  RelaySendNotifier    *send_notifier;

  /* state */
  AdwToast             *toast;
  gulong                first_frame_handler;
  guint                 load_serial;
  guint                 starting : 1;
  guint                 start_scheduled : 1;
  char                 *sandbox_rest;
  char                 *delivery_refreshed; /* the account whose recent messages were checked */
  char                 *last_toast;
  RelayUriLauncher      uri_launcher;
  gpointer              uri_launcher_data;
};

void _relay_window_set_page                (RelayWindow   *self,
                                           const char    *name);
void _relay_window_set_enabled             (RelayWindow   *self,
                                           const char    *name,
                                           gboolean       enabled);
void _relay_window_update_actions          (RelayWindow   *self);
void _relay_window_toast_error             (RelayWindow   *self,
                                           const GError  *error);
void _relay_window_show_storage_banner     (RelayWindow   *self);
void _relay_window_prefill_sandbox         (RelayWindow   *self);
void _relay_window_forget_account          (RelayWindow   *self);
void _relay_window_set_starting            (RelayWindow   *self,
                                           gboolean       starting);

/* relay-window-bulk.c */
void _relay_window_bulk_setup              (RelayWindow   *self);
void _relay_window_bulk_update             (RelayWindow   *self);

/* relay-window-accounts.c */
RelayCredentialStore *_relay_window_get_store (RelayWindow   *self);
void _relay_window_refresh_accounts        (RelayWindow   *self);
void _relay_window_update_delivery         (RelayWindow   *self);
void _relay_window_show_account            (RelayWindow   *self,
                                           RelayAccount  *account);
void _relay_window_show_start_page         (RelayWindow   *self,
                                           const char    *last_id);
void _relay_window_load_start_account      (RelayWindow   *self,
                                           const char    *last_id);
void _relay_window_load_account            (RelayWindow   *self,
                                           const char    *account_id);
void _relay_window_unlock_keyring_action   (GSimpleAction *action,
                                           GVariant      *param,
                                           gpointer       user_data);
void _relay_window_add_account_action      (GSimpleAction *action,
                                           GVariant      *param,
                                           gpointer       user_data);
void _relay_window_switch_account_action   (GSimpleAction *action,
                                           GVariant      *param,
                                           gpointer       user_data);
void _relay_window_rename_account_action  (GSimpleAction *action,
                                           GVariant      *param,
                                           gpointer       user_data);
void _relay_window_sign_out_action         (GSimpleAction *action,
                                           GVariant      *param,
                                           gpointer       user_data);

G_END_DECLS
