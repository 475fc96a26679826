/* relay-window-accounts.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n.h>

#include "relay-credential-store.h"
#include "relay-error-text.h"
#include "relay-window-private.h"

/* The window's accounts: loading the stored one at start, the accounts
 * menu in the header bar, switching, and signing out with a
 * confirmation. */

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(RelayWindow) self = user_data;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMenu) section = g_menu_new ();
  g_autoptr(GMenu) actions = g_menu_new ();
  gboolean current_listed = FALSE;

  accounts = relay_credential_store_list_finish (result, &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    {
      RelayAccount *account = g_ptr_array_index (accounts, i);
      g_autofree char *label = relay_account_dup_label (account);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target_value (item, "win.switch-account",
                                               g_variant_new_string (relay_account_get_id (account)));
      g_menu_append_item (section, item);

      if (self->account != NULL &&
          g_strcmp0 (relay_account_get_id (account), relay_account_get_id (self->account)) == 0)
        current_listed = TRUE;
    }

  /* An account kept for this session only, when the keyring failed. */
  if (self->account != NULL && !current_listed)
    {
      g_autofree char *label = relay_account_dup_label (self->account);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target_value (item, "win.switch-account",
                                               g_variant_new_string (relay_account_get_id (self->account)));
      g_menu_prepend_item (section, item);
    }

  g_menu_append (actions, _("_Add Account…"), "win.add-account");
  g_menu_append (actions, _("_Sign Out…"), "win.sign-out");

  g_menu_remove_all (self->accounts_menu);
  g_menu_append_section (self->accounts_menu, NULL, G_MENU_MODEL (section));
  g_menu_append_section (self->accounts_menu, NULL, G_MENU_MODEL (actions));
}

void
_relay_window_refresh_accounts (RelayWindow *self)
{
  relay_credential_store_list_async (relay_credential_store_get_default (), self->cancellable, list_cb, g_object_ref (self));
}

void
_relay_window_show_account (RelayWindow  *self,
                            RelayAccount *account)
{
  g_autofree char *host = relay_provider_get_host (relay_account_get_provider (account));
  g_autofree char *label = g_strdup_printf ("%s · %s", relay_account_get_key (account), host);

  g_set_object (&self->account, account);
  relay_send_page_set_account (self->send_page, account);
  adw_window_title_set_subtitle (self->window_title, label);
  gtk_widget_set_visible (GTK_WIDGET (self->accounts_button), TRUE);
  g_settings_set_string (self->settings, "last-account", relay_account_get_id (account));
  _relay_window_set_page (self, "send");
  _relay_window_update_actions (self);
  _relay_window_refresh_accounts (self);
}

static void
forget_account (RelayWindow *self)
{
  if (self->account != NULL)
    relay_account_forget_secrets (self->account);

  g_clear_object (&self->account);
  relay_send_page_set_account (self->send_page, NULL);
  adw_window_title_set_subtitle (self->window_title, NULL);
  _relay_window_update_actions (self);
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(RelayWindow) self = user_data;
  g_autoptr(RelayAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  account = relay_credential_store_load_finish (result, &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  /* A sandbox listens on a new port each run: an account stored for an
   * earlier sandbox, or for a real provider, does not belong here. */
  if (account != NULL && self->sandbox_rest != NULL &&
      g_strcmp0 (relay_provider_get_rest_base (relay_account_get_provider (account)),
                 self->sandbox_rest) != 0)
    {
      relay_account_forget_secrets (account);
      g_clear_object (&account);
      g_set_error_literal (&error, RELAY_CREDENTIAL_ERROR, RELAY_CREDENTIAL_ERROR_NOT_FOUND, "");
    }

  if (account != NULL)
    {
      _relay_window_show_account (self, account);
      return;
    }

  if (relay_error_is_storage_missing (error))
    _relay_window_show_storage_banner (self);
  else if (!g_error_matches (error, RELAY_CREDENTIAL_ERROR, RELAY_CREDENTIAL_ERROR_NOT_FOUND))
    _relay_window_toast_error (self, error);

  gtk_widget_set_visible (GTK_WIDGET (self->accounts_button), self->account != NULL);
  _relay_window_set_page (self, "welcome");
}

void
_relay_window_load_account (RelayWindow *self,
                            const char  *account_id)
{
  _relay_window_set_page (self, "loading");
  relay_credential_store_load_async (relay_credential_store_get_default (), account_id, self->cancellable, load_cb, g_object_ref (self));
}

void
_relay_window_add_account_action (GSimpleAction *action,
                                  GVariant      *param,
                                  gpointer       user_data)
{
  _relay_window_set_page (RELAY_WINDOW (user_data), "welcome");
}

void
_relay_window_switch_account_action (GSimpleAction *action,
                                     GVariant      *param,
                                     gpointer       user_data)
{
  RelayWindow *self = RELAY_WINDOW (user_data);
  const char *id = g_variant_get_string (param, NULL);

  if (self->account != NULL && g_strcmp0 (id, relay_account_get_id (self->account)) == 0)
    {
      _relay_window_set_page (self, "send");
      return;
    }

  _relay_window_load_account (self, id);
}

static void
delete_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(RelayWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!relay_credential_store_delete_finish (result, &error) &&
      !g_error_matches (error, RELAY_CREDENTIAL_ERROR, RELAY_CREDENTIAL_ERROR_NOT_FOUND))
    {
      if (relay_error_is_cancelled (error))
        return;
      if (relay_error_is_storage_missing (error))
        _relay_window_show_storage_banner (self);
      else
        {
          _relay_window_toast_error (self, error);
          return;
        }
    }

  forget_account (self);
  g_settings_reset (self->settings, "last-account");
  relay_window_add_toast (self, _("Signed out"));
  _relay_window_load_account (self, NULL);
}

static void
sign_out_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      RelayWindow      *self)
{
  if (g_strcmp0 (response, "sign-out") != 0 || self->account == NULL)
    return;

  relay_credential_store_delete_async (relay_credential_store_get_default (), relay_account_get_id (self->account), self->cancellable,
                                       delete_cb, g_object_ref (self));
}

void
_relay_window_sign_out_action (GSimpleAction *action,
                               GVariant      *param,
                               gpointer       user_data)
{
  RelayWindow *self = RELAY_WINDOW (user_data);
  g_autofree char *label = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (self->account == NULL)
    return;

  label = relay_account_dup_label (self->account);
  /* Translators: %s names an account, e.g. its consumer key */
  body = g_strdup_printf (_("Relay removes the credentials of “%s” from your keyring. You can sign in again at any time."),
                          label);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Sign Out?"), body);
  gtk_widget_set_name (dialog, "sign-out-dialog");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "sign-out", _("_Sign Out"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "sign-out",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (sign_out_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

