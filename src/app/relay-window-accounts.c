/* relay-window-accounts.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n.h>
#include <string.h>

#include "relay-credential-store.h"
#include "relay-error-text.h"
#include "relay-window-private.h"

/* The window's accounts: loading the stored one at start, the accounts
 * menu in the header bar, switching, and signing out with a
 * confirmation. */

/**
 * _relay_window_get_store:
 *
 * Returns: (transfer none): the keyring store of this window's accounts:
 *   with `--sandbox` the sandbox's own, which a plain `relay` never reads
 */
RelayCredentialStore *
_relay_window_get_store (RelayWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (RELAY_IS_APPLICATION (app) && relay_application_get_use_sandbox (RELAY_APPLICATION (app)))
    return relay_credential_store_get_sandbox ();

  return relay_credential_store_get_default ();
}

static gboolean
is_sandbox (RelayWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return RELAY_IS_APPLICATION (app) && relay_application_get_use_sandbox (RELAY_APPLICATION (app));
}

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
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();
  g_auto(GStrv) id_list = NULL;
  g_auto(GStrv) label_list = NULL;
  gboolean current_listed = FALSE;

  accounts = relay_credential_store_list_finish (result, &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    {
      RelayAccount *account = g_ptr_array_index (accounts, i);
      g_autofree char *label = NULL;
      g_autoptr(GMenuItem) item = NULL;

      /* An earlier sandbox listened on another port: it is gone. */
      if (is_sandbox (self) && self->sandbox_rest != NULL &&
          g_strcmp0 (relay_provider_get_rest_base (relay_account_get_provider (account)), self->sandbox_rest) != 0)
        continue;

      label = relay_account_dup_display_name (account);
      item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target_value (item, "win.switch-account",
                                               g_variant_new_string (relay_account_get_id (account)));
      g_menu_append_item (section, item);
      g_strv_builder_add (ids, relay_account_get_id (account));
      g_strv_builder_add (labels, label);

      if (self->account != NULL &&
          g_strcmp0 (relay_account_get_id (account), relay_account_get_id (self->account)) == 0)
        current_listed = TRUE;
    }

  /* An account kept for this session only, when the keyring failed. */
  if (self->account != NULL && !current_listed)
    {
      g_autofree char *label = relay_account_dup_display_name (self->account);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target_value (item, "win.switch-account",
                                               g_variant_new_string (relay_account_get_id (self->account)));
      g_menu_prepend_item (section, item);
      g_strv_builder_add (ids, relay_account_get_id (self->account));
      g_strv_builder_add (labels, label);
    }

  id_list = g_strv_builder_end (ids);
  label_list = g_strv_builder_end (labels);
  relay_history_page_set_accounts (self->history_page, (const char *const *) id_list,
                                   (const char *const *) label_list);

  g_menu_append (actions, _("_Add Account…"), "win.add-account");
  g_menu_append (actions, _("_Rename Account…"), "win.rename-account");
  g_menu_append (actions, _("_Sign Out…"), "win.sign-out");

  g_menu_remove_all (self->accounts_menu);
  g_menu_append_section (self->accounts_menu, NULL, G_MENU_MODEL (section));
  g_menu_append_section (self->accounts_menu, NULL, G_MENU_MODEL (actions));
}

void
_relay_window_refresh_accounts (RelayWindow *self)
{
  relay_credential_store_list_async (_relay_window_get_store (self), self->cancellable, list_cb, g_object_ref (self));
}

static void
set_subtitle (RelayWindow  *self,
              RelayAccount *account)
{
  g_autofree char *label = relay_account_dup_display_name (account);

  adw_view_switcher_title_set_subtitle (self->window_title, label);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->window_title), label);
}

static void
mark_current (RelayWindow *self)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "switch-account");

  g_simple_action_set_state (G_SIMPLE_ACTION (action),
                             g_variant_new_string (self->account != NULL ? relay_account_get_id (self->account) : ""));
}

void
_relay_window_show_account (RelayWindow  *self,
                            RelayAccount *account)
{
  g_set_object (&self->account, account);
  relay_send_page_set_account (self->send_page, account);
  _relay_window_bulk_update (self);
  _relay_window_update_delivery (self);
  set_subtitle (self, account);
  mark_current (self);
  gtk_widget_set_visible (GTK_WIDGET (self->accounts_button), TRUE);
  /* A plain `relay` must not come back to a sandbox's account. */
  if (!is_sandbox (self))
    g_settings_set_string (self->settings, "last-account", relay_account_get_id (account));
  _relay_window_set_page (self, "send");
  _relay_window_update_actions (self);
  _relay_window_refresh_accounts (self);
}

void
_relay_window_forget_account (RelayWindow *self)
{
  if (self->account != NULL)
    relay_account_forget_secrets (self->account);

  g_clear_object (&self->account);
  relay_send_page_set_account (self->send_page, NULL);
  _relay_window_bulk_update (self);
  _relay_window_update_delivery (self);
  adw_view_switcher_title_set_subtitle (self->window_title, NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->window_title), NULL);
  mark_current (self);
  _relay_window_update_actions (self);
}

typedef struct
{
  RelayWindow *self;
  guint        serial;
  gboolean     start;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_object_unref (data->self);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoadData, load_data_free)

static void
show_loaded (RelayWindow  *self,
             RelayAccount *account,
             const GError *error)
{
  g_autoptr(GError) not_here = NULL;

  /* A sandbox listens on a new port each run: an account stored for an
   * earlier sandbox, or for a real provider, does not belong here. */
  if (account != NULL && self->sandbox_rest != NULL &&
      g_strcmp0 (relay_provider_get_rest_base (relay_account_get_provider (account)),
                 self->sandbox_rest) != 0)
    {
      relay_account_forget_secrets (account);
      account = NULL;
      not_here = g_error_new_literal (RELAY_CREDENTIAL_ERROR, RELAY_CREDENTIAL_ERROR_NOT_FOUND, "");
      error = not_here;
    }

  if (account != NULL)
    {
      _relay_window_show_account (self, account);
      return;
    }

  /* Locked is not signed out: the account is there, and the page says
   * how to reach it. Over an account already at work, a toast. */
  if (g_error_matches (error, RELAY_CREDENTIAL_ERROR, RELAY_CREDENTIAL_ERROR_LOCKED))
    {
      if (self->account != NULL)
        {
          _relay_window_toast_error (self, error);
          _relay_window_set_page (self, "send");
        }
      else
        {
          gtk_widget_set_visible (GTK_WIDGET (self->accounts_button), FALSE);
          _relay_window_set_page (self, "locked");
        }
      return;
    }

  if (relay_error_is_storage_missing (error))
    _relay_window_show_storage_banner (self);
  else if (!g_error_matches (error, RELAY_CREDENTIAL_ERROR, RELAY_CREDENTIAL_ERROR_NOT_FOUND))
    _relay_window_toast_error (self, error);

  /* The start page named an account the keyring no longer has. */
  if (self->account == NULL)
    adw_view_switcher_title_set_subtitle (self->window_title, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->accounts_button), self->account != NULL);
  _relay_window_set_page (self, "welcome");
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(LoadData) data = user_data;
  RelayWindow *self = data->self;
  g_autoptr(RelayAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  account = relay_credential_store_load_finish (result, &error);

  /* The window closed, or the person moved on (signed in, switched)
   * while the keyring answered: this answer is not wanted any more. */
  if (g_cancellable_is_cancelled (self->cancellable) || data->serial != self->load_serial)
    {
      if (account != NULL)
        relay_account_forget_secrets (account);
    }
  else
    show_loaded (self, account, error);

  if (data->start)
    _relay_window_set_starting (self, FALSE);
}

static void
load (RelayWindow *self,
      const char  *account_id,
      gboolean     start)
{
  LoadData *data = g_new0 (LoadData, 1);

  data->self = g_object_ref (self);
  data->serial = ++self->load_serial;
  data->start = start;
  relay_credential_store_load_async (_relay_window_get_store (self), account_id,
                                     self->cancellable, load_cb, data);
}

/* Splits an account id, "oauth:KEY@HOST" or "api:KEY@HOST" (see
 * relay-account.c), into its key and host. */
static gboolean
parse_account_id (const char  *id,
                  char       **key,
                  char       **host)
{
  const char *colon = strchr (id, ':');
  const char *at = strrchr (id, '@');

  if (colon == NULL || at == NULL || at <= colon + 1 || at[1] == '\0' ||
      (strncmp (id, "oauth:", colon + 1 - id) != 0 && strncmp (id, "api:", colon + 1 - id) != 0))
    return FALSE;

  *key = g_strndup (colon + 1, at - colon - 1);
  *host = g_strdup (at + 1);
  return TRUE;
}

/**
 * _relay_window_show_start_page:
 * @last_id: the "last-account" setting, "" when none
 *
 * Shows at once, without asking the keyring, the page this start will
 * use: the send page of the last account, named in the header bar, its
 * secrets still to load (#RelaySendPage has no account yet, so Send
 * waits for them), or else the welcome page. With a sandbox, only an
 * account of this very sandbox comes back.
 */
void
_relay_window_show_start_page (RelayWindow *self,
                               const char  *last_id)
{
  g_autofree char *key = NULL;
  g_autofree char *host = NULL;
  gboolean returning;
  RelayApplication *app = RELAY_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  returning = last_id != NULL && parse_account_id (last_id, &key, &host);

  if (returning && app != NULL && relay_application_get_use_sandbox (app))
    {
      g_autoptr(RelayProvider) sandbox = NULL;
      g_autofree char *sandbox_host = NULL;

      if (self->sandbox_rest != NULL)
        {
          sandbox = relay_provider_new (NULL, self->sandbox_rest);
          sandbox_host = relay_provider_get_host (sandbox);
        }
      returning = g_strcmp0 (host, sandbox_host) == 0;
    }

  if (returning)
    {
      g_autofree char *rest = g_strconcat ("https://", host, NULL);
      g_autoptr(RelayProvider) provider = relay_provider_new (NULL, rest);
      g_autoptr(RelayAccount) named = relay_account_new_api_key (provider, key);

      /* The stored name arrives with the keyring's answer. */
      set_subtitle (self, named);
      gtk_widget_set_visible (GTK_WIDGET (self->accounts_button), TRUE);
      _relay_window_set_page (self, "send");
    }
  else
    {
      _relay_window_set_page (self, "welcome");
    }
}

/**
 * _relay_window_load_start_account:
 *
 * After the first frame: asks the keyring for the last account (or the
 * most recent one) and shows it when found, or the welcome page.
 */
void
_relay_window_load_start_account (RelayWindow *self,
                                  const char  *last_id)
{
  /* The setting names a plain run's account; a sandbox takes its own
   * most recent one (of this very sandbox, see show_loaded()). */
  if (is_sandbox (self))
    last_id = NULL;
  load (self, last_id != NULL && *last_id != '\0' ? last_id : NULL, TRUE);
}

void
_relay_window_load_account (RelayWindow *self,
                            const char  *account_id)
{
  _relay_window_set_page (self, "loading");
  load (self, account_id, FALSE);
}

/* The locked page's button: the keyring asks for its password again
 * (through the desktop's prompt) while the account loads. */
void
_relay_window_unlock_keyring_action (GSimpleAction *action,
                                     GVariant      *param,
                                     gpointer       user_data)
{
  RelayWindow *self = RELAY_WINDOW (user_data);
  g_autofree char *last = g_settings_get_string (self->settings, "last-account");

  _relay_window_load_account (self, !is_sandbox (self) && *last != '\0' ? last : NULL);
}

void
_relay_window_add_account_action (GSimpleAction *action,
                                  GVariant      *param,
                                  gpointer       user_data)
{
  RelayWindow *self = RELAY_WINDOW (user_data);

  /* A stored account still loading must not take the page back. */
  self->load_serial++;
  /* The last page's toast ("Signed in") says nothing about this one. */
  if (self->toast != NULL)
    adw_toast_dismiss (self->toast);
  /* Signing in cleared the secrets: the sandbox's come back. */
  if (is_sandbox (self))
    _relay_window_prefill_sandbox (self);
  _relay_window_set_page (self, "welcome");
  gtk_widget_grab_focus (GTK_WIDGET (self->welcome_page));
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

  _relay_window_forget_account (self);
  g_settings_reset (self->settings, "last-account");
  relay_window_add_toast (self, _("Signed out"));
  _relay_window_load_account (self, NULL);
}

static void
clear_history_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(RelayWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!relay_store_clear_finish (RELAY_STORE (object), result, &error))
    _relay_window_toast_error (self, error);
  else
    relay_history_page_reload (self->history_page);
}

static void
sign_out_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      RelayWindow      *self)
{
  gboolean delete_history = g_strcmp0 (response, "sign-out-delete") == 0;

  if ((g_strcmp0 (response, "sign-out") != 0 && !delete_history) || self->account == NULL)
    return;

  /* The history goes first: the account id is still at hand, and the
   * outbox (messages still to send) stays either way. */
  if (delete_history && self->store != NULL)
    relay_store_clear_async (self->store, relay_account_get_id (self->account), self->cancellable,
                             clear_history_cb, g_object_ref (self));

  relay_credential_store_delete_async (_relay_window_get_store (self), relay_account_get_id (self->account), self->cancellable,
                                       delete_cb, g_object_ref (self));
}

static void
rename_saved_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(RelayWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!relay_credential_store_save_finish (result, &error))
    {
      if (relay_error_is_cancelled (error))
        return;
      if (relay_error_is_storage_missing (error))
        _relay_window_show_storage_banner (self);
      else
        _relay_window_toast_error (self, error);
    }

  _relay_window_refresh_accounts (self);
}

static void
rename_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    RelayWindow      *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));

  if (g_strcmp0 (response, "rename") != 0 || self->account == NULL)
    return;

  relay_account_set_name (self->account, gtk_editable_get_text (entry));
  set_subtitle (self, self->account);
  relay_credential_store_save_async (_relay_window_get_store (self), self->account, self->cancellable,
                                     rename_saved_cb, g_object_ref (self));
}

static void
rename_entry_activate_cb (GtkEntry         *entry,
                          AdwMessageDialog *dialog)
{
  adw_message_dialog_response (dialog, "rename");
  gtk_window_close (GTK_WINDOW (dialog));
}

/* Names the current account: a label stored with it, shown in the
 * accounts menu, the header bar and the Sign Out dialog. An empty name
 * brings the default back. */
void
_relay_window_rename_account_action (GSimpleAction *action,
                                     GVariant      *param,
                                     gpointer       user_data)
{
  RelayWindow *self = RELAY_WINDOW (user_data);
  g_autofree char *label = NULL;
  GtkWidget *dialog;
  GtkWidget *entry;

  if (self->account == NULL)
    return;

  label = relay_account_dup_display_name (self->account);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Rename Account"),
                                   _("The name shows in the accounts menu and the header bar. Leave it empty for the default name."));
  gtk_widget_set_name (dialog, "rename-dialog");
  entry = gtk_entry_new ();
  gtk_widget_set_name (entry, "account-name");
  gtk_editable_set_text (GTK_EDITABLE (entry), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Account name"), -1);
  g_signal_connect_object (entry, "activate", G_CALLBACK (rename_entry_activate_cb), dialog, 0);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "rename", _("_Rename"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "rename",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "rename");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (rename_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
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

  label = relay_account_dup_display_name (self->account);
  if (self->store != NULL)
    /* Translators: %s names an account, e.g. its consumer key */
    body = g_strdup_printf (_("Relay removes the credentials of “%s” from your keyring. You can sign in again at any time. Its history stays unless you delete it too."),
                            label);
  else
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
  /* A second choice: whether this account's history stays. */
  if (self->store != NULL)
    {
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "sign-out-delete",
                                       _("Sign Out and _Delete History"));
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "sign-out-delete",
                                                  ADW_RESPONSE_DESTRUCTIVE);
    }
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (sign_out_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

