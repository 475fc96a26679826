/* relay-window.c
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
#include "relay-history-page.h"
#include "relay-send-page.h"
#include "relay-sign-in.h"
#include "relay-waiting-page.h"
#include "relay-welcome-page.h"
#include "relay-window-private.h"

G_DEFINE_FINAL_TYPE (RelayWindow, relay_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STARTING,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
_relay_window_set_page (RelayWindow *self,
                        const char  *name)
{
  gboolean back;

  gtk_stack_set_visible_child_name (self->stack, name);
  gtk_spinner_set_spinning (self->loading_spinner, g_strcmp0 (name, "loading") == 0);
  /* "Add Account" (the welcome page over a signed-in account) has a way
   * back to that account: the Back button, or Escape. */
  back = g_strcmp0 (name, "welcome") == 0 && self->account != NULL;
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), back);
  _relay_window_set_enabled (self, "back", back);
  if (g_strcmp0 (name, "welcome") == 0)
    relay_welcome_page_set_adding (self->welcome_page, self->account != NULL);
  /* Send | History only where an account is at work. */
  adw_view_switcher_title_set_view_switcher_enabled (self->window_title,
                                                     g_strcmp0 (name, "send") == 0);
}

void
_relay_window_toast_error (RelayWindow  *self,
                           const GError *error)
{
  g_autofree char *sentence = NULL;

  if (relay_error_is_cancelled (error))
    return;

  sentence = relay_error_text (error);
  relay_window_add_toast (self, sentence);
}

void
_relay_window_set_enabled (RelayWindow *self,
                           const char  *name,
                           gboolean     enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

void
_relay_window_update_actions (RelayWindow *self)
{
  gboolean signing_in = self->sign_in != NULL;
  const char *uri = relay_window_get_authorize_uri (self);
  gboolean bulk_sending = relay_bulk_page_get_sending (self->bulk_page);
  gboolean sending = relay_send_page_get_sending (self->send_page) || bulk_sending;

  /* One send at a time through the account's client (one pacer). */
  relay_bulk_page_set_busy (self->bulk_page, relay_send_page_get_sending (self->send_page));
  _relay_window_set_enabled (self, "sign-in", !signing_in);
  _relay_window_set_enabled (self, "cancel-sign-in", signing_in);
  _relay_window_set_enabled (self, "copy-link", uri != NULL);
  _relay_window_set_enabled (self, "open-again", uri != NULL);
  _relay_window_set_enabled (self, "continue-sign-in", uri != NULL);
  _relay_window_set_enabled (self, "send",
                                 relay_send_page_get_can_send (self->send_page) && !bulk_sending);
  _relay_window_set_enabled (self, "cancel-send", sending && !bulk_sending);
  _relay_window_set_enabled (self, "sign-out", self->account != NULL && !sending);
  _relay_window_set_enabled (self, "rename-account", self->account != NULL);
  _relay_window_set_enabled (self, "switch-account", !sending && !signing_in);
  _relay_window_set_enabled (self, "refresh-balance", self->account != NULL);
}

void
_relay_window_show_storage_banner (RelayWindow *self)
{
  gtk_revealer_set_reveal_child (self->keyring_revealer, TRUE);
}

void
_relay_window_set_starting (RelayWindow *self,
                            gboolean     starting)
{
  if (self->starting == !!starting)
    return;

  self->starting = !!starting;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STARTING]);
}

/**
 * _relay_window_prefill_sandbox:
 *
 * Fills the welcome page with the sandbox's published credentials, as
 * on the first run of `relay --sandbox`, and hides its way to the
 * sandbox (it is the sandbox already).
 */
void
_relay_window_prefill_sandbox (RelayWindow *self)
{
  relay_welcome_page_prefill (self->welcome_page, RELAY_ACCOUNT_OAUTH,
                              RELAY_SANDBOX_DEFAULT_CONSUMER_KEY,
                              RELAY_SANDBOX_DEFAULT_CONSUMER_SECRET);
  relay_welcome_page_prefill (self->welcome_page, RELAY_ACCOUNT_API_KEY,
                              RELAY_SANDBOX_DEFAULT_API_KEY,
                              RELAY_SANDBOX_DEFAULT_API_SECRET);
  relay_welcome_page_prefill (self->welcome_page, RELAY_ACCOUNT_SIGNED,
                              RELAY_SANDBOX_DEFAULT_API_KEY,
                              RELAY_SANDBOX_DEFAULT_API_SECRET);
  relay_welcome_page_prefill_signature (self->welcome_page, RELAY_SANDBOX_DEFAULT_SIGNATURE_SECRET,
                                        RELAY_NEXMO_SIG_MD5HASH);
  relay_welcome_page_set_sandbox (self->welcome_page, TRUE);
}

/* Points the welcome page at the in-process sandbox once it listens. */
static void
apply_sandbox (RelayWindow *self,
               const char  *sandbox)
{
  gsize len = strlen (sandbox) - (g_str_has_suffix (sandbox, "/") ? 1 : 0);
  g_autofree char *oauth_base = NULL;

  if (self->sandbox_rest != NULL)
    return;

  self->sandbox_rest = g_strndup (sandbox, len);
  oauth_base = g_strconcat (self->sandbox_rest, "/oauth/", NULL);
  relay_welcome_page_set_endpoints (self->welcome_page, oauth_base, self->sandbox_rest);
}

/* With `--sandbox`, starts the sandbox if it does not listen yet (an
 * early sign-in must never go anywhere else). FALSE when it failed: the
 * application is quitting. */
static gboolean
ensure_sandbox (RelayWindow *self)
{
  RelayApplication *app = RELAY_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  if (app == NULL || !relay_application_get_use_sandbox (app))
    return TRUE;

  if (!relay_application_ensure_sandbox (app))
    return FALSE;

  apply_sandbox (self, relay_application_get_sandbox_uri (app));
  return TRUE;
}

static gboolean
authorize_endpoint_get_mapping (GValue   *value,
                                GVariant *variant,
                                gpointer  user_data)
{
  g_value_set_boolean (value, g_strcmp0 (g_variant_get_string (variant, NULL), "authenticate") == 0);

  return TRUE;
}

/* The provider settings of Preferences, followed as they change; a new
 * sign-in starts from a copy. */
static void
bind_settings_provider (RelayWindow *self)
{
  RelayProvider *provider = relay_provider_new_nexmo ();

  self->settings_provider = provider;
  g_settings_bind (self->settings, "oauth-base", provider, "oauth-base", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "rest-base", provider, "rest-base", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "request-method", provider, "sms-method", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "signature-method", provider, "signature-method", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "authorization-mode", provider, "authorization-mode", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "timeout", provider, "timeout", G_SETTINGS_BIND_GET);
  g_settings_bind_with_mapping (self->settings, "authorize-endpoint",
                                provider, "use-authenticate", G_SETTINGS_BIND_GET,
                                authorize_endpoint_get_mapping, NULL, NULL, NULL);
}

static void
end_sign_in (RelayWindow *self)
{
  if (self->sign_in != NULL)
    {
      relay_sign_in_cancel (self->sign_in);
      g_clear_object (&self->sign_in);
    }

  relay_welcome_page_set_busy (self->welcome_page, FALSE);
  _relay_window_update_actions (self);
}

static void
save_cb (GObject      *object,
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

  if (!g_cancellable_is_cancelled (self->cancellable))
    _relay_window_refresh_accounts (self);
}

static void
sign_in_finished (RelayWindow  *self,
                  RelaySignIn  *sign_in,
                  const GError *error)
{
  g_autoptr(RelayAccount) account = g_object_ref (relay_sign_in_get_account (sign_in));

  end_sign_in (self);

  if (error != NULL)
    {
      g_autofree char *sentence = relay_error_text (error);

      /* On the page until the person acts: a toast would go away, and
       * cover the Sign In button while it lasts. */
      if (relay_error_is_storage_missing (error))
        _relay_window_show_storage_banner (self);
      else if (!relay_error_is_cancelled (error))
        relay_welcome_page_show_error (self->welcome_page, sentence);
      _relay_window_set_page (self, "welcome");
      return;
    }

  relay_welcome_page_clear_secrets (self->welcome_page);
  relay_credential_store_save_async (_relay_window_get_store (self), account, self->cancellable, save_cb, g_object_ref (self));
  _relay_window_show_account (self, account);
  relay_window_add_toast (self, _("Signed in"));
}

typedef struct
{
  RelayWindow *self;
  RelaySignIn *sign_in;
} LaunchData;

static void
launch_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  LaunchData *data = user_data;
  RelayWindow *self = data->self;
  g_autoptr(GError) error = NULL;

  /* The page says that no browser opened only while it still waits for
   * this very sign-in. */
  if (!g_app_info_launch_default_for_uri_finish (result, &error) &&
      !g_cancellable_is_cancelled (self->cancellable) &&
      self->sign_in == data->sign_in &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "waiting") == 0)
    {
      g_debug ("No browser opened: %s", error->message);
      relay_waiting_page_set_browser_failed (self->waiting_page, relay_sign_in_get_authorize_uri (data->sign_in));
    }

  g_object_unref (data->sign_in);
  g_object_unref (data->self);
  g_free (data);
}

/* Opens the authorize link in the default browser. gtk_show_uri() says
 * nothing when that fails (GTK 4.8), so GIO launches it and the waiting
 * page learns whether a browser opened. */
static void
open_uri (RelayWindow *self,
          const char  *uri)
{
  g_autoptr(GdkAppLaunchContext) context = NULL;
  LaunchData *data;

  if (self->uri_launcher != NULL)
    {
      self->uri_launcher (self, uri, self->uri_launcher_data);
      return;
    }

  context = gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (self)));
  data = g_new0 (LaunchData, 1);
  data->self = g_object_ref (self);
  data->sign_in = g_object_ref (self->sign_in);
  g_app_info_launch_default_for_uri_async (uri, G_APP_LAUNCH_CONTEXT (context), self->cancellable,
                                           launch_cb, data);
}

/* The result of a step of @sign_in, unless it was cancelled or is no
 * longer the window's sign-in. */
static gboolean
sign_in_step_is_current (RelayWindow  *self,
                         RelaySignIn  *sign_in,
                         const GError *error)
{
  if (relay_error_is_cancelled (error))
    return FALSE;

  return self->sign_in == sign_in;
}

static void
sign_in_complete_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(RelayWindow) self = user_data;
  RelaySignIn *sign_in = RELAY_SIGN_IN (object);
  g_autoptr(GError) error = NULL;

  relay_sign_in_complete_finish (sign_in, result, &error);
  if (sign_in_step_is_current (self, sign_in, error))
    sign_in_finished (self, sign_in, error);
}

static void
sign_in_begin_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(RelayWindow) self = user_data;
  RelaySignIn *sign_in = RELAY_SIGN_IN (object);
  g_autoptr(GError) error = NULL;
  const char *uri;

  relay_sign_in_begin_finish (sign_in, result, &error);
  if (!sign_in_step_is_current (self, sign_in, error))
    return;

  /* An API key is proven already. */
  if (error != NULL || relay_sign_in_get_complete (sign_in))
    {
      sign_in_finished (self, sign_in, error);
      return;
    }

  uri = relay_sign_in_get_authorize_uri (sign_in);
  relay_waiting_page_reset (self->waiting_page, relay_sign_in_get_mode (sign_in));
  _relay_window_set_page (self, "waiting");
  _relay_window_update_actions (self);
  open_uri (self, uri);

  /* In callback mode the browser brings the verifier back by itself. */
  if (relay_sign_in_get_mode (sign_in) == RELAY_AUTHORIZATION_CALLBACK && self->sign_in == sign_in)
    relay_sign_in_complete_async (sign_in, NULL, self->cancellable,
                                  sign_in_complete_cb, g_object_ref (self));
}

static void
sign_in_action (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  RelayWindow *self = RELAY_WINDOW (user_data);
  g_autoptr(RelayAccount) account = NULL;
  g_autofree char *problem = NULL;

  if (self->sign_in != NULL || !ensure_sandbox (self))
    return;

  /* The account chosen here wins over a stored one still loading. */
  self->load_serial++;

  account = relay_welcome_page_build_account (self->welcome_page, self->settings_provider, &problem);
  if (account == NULL)
    {
      relay_window_add_toast (self, problem);
      return;
    }

  self->sign_in = relay_sign_in_new (account);
  relay_welcome_page_set_busy (self->welcome_page, TRUE);
  _relay_window_update_actions (self);
  relay_sign_in_begin_async (self->sign_in, self->cancellable,
                             sign_in_begin_cb, g_object_ref (self));
}

static void
cancel_sign_in_action (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  RelayWindow *self = RELAY_WINDOW (user_data);

  end_sign_in (self);
  _relay_window_set_page (self, "welcome");
}

static void
continue_sign_in_action (GSimpleAction *action,
                         GVariant      *param,
                         gpointer       user_data)
{
  RelayWindow *self = RELAY_WINDOW (user_data);
  g_autofree char *verifier = NULL;
  RelayAuthorizationMode mode;

  if (self->sign_in == NULL || relay_sign_in_get_authorize_uri (self->sign_in) == NULL)
    return;

  mode = relay_sign_in_get_mode (self->sign_in);
  if (mode == RELAY_AUTHORIZATION_CALLBACK)
    return;

  verifier = relay_waiting_page_dup_verifier (self->waiting_page);
  if (mode == RELAY_AUTHORIZATION_OOB && verifier == NULL)
    {
      relay_window_add_toast (self, _("Enter the verification code the provider showed you."));
      return;
    }

  relay_waiting_page_set_busy (self->waiting_page, TRUE);
  _relay_window_set_enabled (self, "continue-sign-in", FALSE);
  relay_sign_in_complete_async (self->sign_in, verifier, self->cancellable,
                                sign_in_complete_cb, g_object_ref (self));
}

static void
copy_link_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  RelayWindow *self = RELAY_WINDOW (user_data);
  const char *uri = relay_window_get_authorize_uri (self);

  if (uri == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), uri);
  relay_window_add_toast (self, _("Link copied"));
}

static void
open_again_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  RelayWindow *self = RELAY_WINDOW (user_data);
  const char *uri = relay_window_get_authorize_uri (self);

  if (uri == NULL)
    return;

  relay_waiting_page_reset (self->waiting_page, relay_sign_in_get_mode (self->sign_in));
  open_uri (self, uri);
}

static void
send_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  RelayWindow *self = RELAY_WINDOW (user_data);

  if (g_strcmp0 (relay_window_get_page (self), "send") == 0)
    relay_send_page_send (self->send_page);
}

static void
cancel_send_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  relay_send_page_cancel (RELAY_WINDOW (user_data)->send_page);
}

static void
refresh_balance_action (GSimpleAction *action,
                        GVariant      *param,
                        gpointer       user_data)
{
  relay_send_page_refresh_balance (RELAY_WINDOW (user_data)->send_page);
}

static void
dismiss_banner_action (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  gtk_revealer_set_reveal_child (RELAY_WINDOW (user_data)->keyring_revealer, FALSE);
}

static void
send_toast_cb (RelayWindow *self,
               const char  *text)
{
  relay_window_add_toast (self, text);
}

static void
send_again_cb (RelayWindow *self,
               const char  *recipient,
               const char  *text)
{
  relay_send_page_fill (self->send_page, recipient, text);
  adw_view_stack_set_visible_child_name (self->view_stack, "send");
}

static void check_outbox   (RelayWindow *self);
static void recheck_outbox (RelayWindow *self);

static void
view_changed_cb (RelayWindow *self)
{
  /* The History reloads when it is shown (history_mapped_cb). */
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "history") != 0)
    recheck_outbox (self);
}

/* What was sent since the History was last shown appears: it reloads
 * whenever it comes on screen, and only then. */
static void
history_mapped_cb (RelayWindow *self)
{
  relay_history_page_reload (self->history_page);
}

/* The banners follow decisions taken elsewhere (History, relay-cli). */
static void
recheck_outbox (RelayWindow *self)
{
  if (gtk_revealer_get_reveal_child (self->outbox_revealer) ||
      gtk_revealer_get_reveal_child (self->uncertain_revealer))
    check_outbox (self);
}

static gboolean
reload_history_cb (gpointer user_data)
{
  RelayWindow *self = user_data;

  self->reload_id = 0;
  /* Hidden, it waits to be shown (history_mapped_cb). */
  if (gtk_widget_get_mapped (GTK_WIDGET (self->history_page)))
    relay_history_page_reload (self->history_page);
  recheck_outbox (self);
  return G_SOURCE_REMOVE;
}

/* The send page recorded rows or an outcome: the History shows them,
 * once per burst of outcomes. */
static void
send_recorded_cb (RelayWindow *self)
{
  if (self->reload_id == 0)
    self->reload_id = g_idle_add (reload_history_cb, self);
}

static void
outbox_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(RelayWindow) self = user_data;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  guint uncertain = 0;

  rows = relay_store_outbox_finish (RELAY_STORE (object), result, &error);
  if (self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;
  if (rows == NULL)
    {
      g_debug ("Outbox not read: %s", error->message);
      return;
    }

  g_array_set_size (self->outbox_queued, 0);
  for (guint i = 0; i < rows->len; i++)
    {
      RelayStoreMessage *row = rows->pdata[i];

      if (row->state == RELAY_MESSAGE_STATE_QUEUED)
        g_array_append_val (self->outbox_queued, row->id);
      else if (row->state == RELAY_MESSAGE_STATE_UNCERTAIN)
        uncertain++;
    }

  if (self->outbox_queued->len > 0)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u message was not sent",
                                                            "%u messages were not sent",
                                                            self->outbox_queued->len),
                                               self->outbox_queued->len);

      gtk_label_set_label (self->outbox_label, text);
    }
  gtk_revealer_set_reveal_child (self->outbox_revealer, self->outbox_queued->len > 0);

  if (uncertain > 0)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u message may have been sent",
                                                            "%u messages may have been sent",
                                                            uncertain),
                                               uncertain);

      gtk_label_set_label (self->uncertain_label, text);
    }
  gtk_revealer_set_reveal_child (self->uncertain_revealer, uncertain > 0);
}

/* Rows a closed or killed Relay left behind: offered, never sent
 * without the user's word. */
static void
check_outbox (RelayWindow *self)
{
  if (self->store == NULL)
    return;

  relay_store_outbox_async (self->store, self->cancellable, outbox_cb, g_object_ref (self));
}

static void
claim_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(RelayWindow) self = user_data;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  rows = relay_store_claim_finish (RELAY_STORE (object), result, &error);
  if (self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;

  if (rows == NULL)
    relay_window_add_toast (self, error->message);
  else if (rows->len > 0 && !relay_send_page_send_rows (self->send_page, rows))
    /* Claimed but not sendable now: they stay queued for the next start. */
    g_debug ("Claimed outbox rows not sent");
  else if (rows->len > 0)
    adw_view_stack_set_visible_child_name (self->view_stack, "send");

  check_outbox (self);
}

static void
outbox_send_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  RelayWindow *self = RELAY_WINDOW (user_data);
  RelayAccount *account = relay_send_page_get_account (self->send_page);

  if (self->store == NULL)
    return;

  if (account == NULL)
    {
      relay_window_add_toast (self, _("Sign in to send these messages."));
      return;
    }

  if (relay_send_page_get_sending (self->send_page) || relay_bulk_page_get_sending (self->bulk_page))
    {
      relay_window_add_toast (self, _("Wait until the current message is sent, then try again."));
      return;
    }

  relay_store_claim_async (self->store, relay_account_get_id (account), self->cancellable,
                           claim_cb, g_object_ref (self));
}

static void
decide_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(RelayWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!relay_store_decide_finish (RELAY_STORE (object), result, NULL, &error) &&
      !relay_error_is_cancelled (error))
    relay_window_add_toast (self, error->message);

  if (self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;

  send_recorded_cb (self);
  check_outbox (self);
}

static void
outbox_discard_action (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  RelayWindow *self = RELAY_WINDOW (user_data);

  if (self->store == NULL || self->outbox_queued->len == 0)
    return;

  relay_store_decide_async (self->store, (const gint64 *) (gpointer) self->outbox_queued->data,
                            self->outbox_queued->len, RELAY_STORE_DECISION_DISCARD,
                            self->cancellable, decide_cb, g_object_ref (self));
}

static void
outbox_show_history_action (GSimpleAction *action,
                            GVariant      *param,
                            gpointer       user_data)
{
  RelayWindow *self = RELAY_WINDOW (user_data);

  relay_history_page_show_state (self->history_page, RELAY_MESSAGE_STATE_UNCERTAIN);
  adw_view_stack_set_visible_child_name (self->view_stack, "history");
}

static void
store_open_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(RelayWindow) self = user_data;
  g_autoptr(RelayStore) store = RELAY_STORE (object);
  g_autoptr(GError) error = NULL;

  gboolean opened = relay_store_open_finish (store, result, &error);

  /* The window closed while the store opened: nothing to show it in. */
  if (self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;

  if (!opened)
    {
      g_autofree char *sentence = NULL;
      g_autofree char *banner = NULL;

      if (relay_error_is_cancelled (error))
        return;

      sentence = relay_error_text (error);
      g_message ("History is off: %s", error->message);
      /* Translators: %s is a sentence saying why, e.g. that the file is damaged */
      banner = g_strdup_printf (_("History is off: %s"), sentence);
      gtk_label_set_label (self->history_banner_label, banner);
      gtk_revealer_set_reveal_child (self->history_revealer, TRUE);
      relay_history_page_set_unavailable (self->history_page, sentence);
      return;
    }

  self->store = g_steal_pointer (&store);
  relay_history_page_set_store (self->history_page, self->store);
  relay_send_page_set_store (self->send_page, self->store);
  _relay_window_bulk_update (self);
  _relay_window_update_delivery (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
  check_outbox (self);
}

/* The history database, on the store's worker thread: the main loop
 * never waits for the disk, and a store that cannot open only turns
 * history off. */
static void
open_store (RelayWindow *self)
{
  RelayStore *store = relay_store_new (NULL);

  relay_store_open_async (store, self->cancellable, store_open_cb, g_object_ref (self));
}

static void
send_state_cb (RelayWindow *self)
{
  _relay_window_update_actions (self);
}

static void
balance_cb (RelayWindow *self)
{
  const char *balance = relay_send_page_get_balance (self->send_page);

  gtk_label_set_label (self->balance_label, balance != NULL ? balance : "");
  relay_bulk_page_set_balance (self->bulk_page, balance);
  gtk_widget_set_visible (GTK_WIDGET (self->balance_label), balance != NULL);
  if (balance != NULL)
    {
      g_autofree char *description = g_strdup_printf (_("Remaining balance: %s"), balance);

      gtk_accessible_update_property (GTK_ACCESSIBLE (self->balance_label),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                      -1);
    }
}

static void
back_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  RelayWindow *self = RELAY_WINDOW (user_data);

  if (self->account == NULL || self->sign_in != NULL ||
      g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "welcome") != 0)
    return;

  _relay_window_set_page (self, "send");
}

/* The welcome page's "Try the Sandbox": what `relay --sandbox` does, in
 * this window. */
static void
try_sandbox_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  RelayWindow *self = RELAY_WINDOW (user_data);
  RelayApplication *app = RELAY_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autoptr(GError) error = NULL;

  if (app == NULL || self->sign_in != NULL)
    return;

  if (!relay_application_start_sandbox (app, &error))
    {
      _relay_window_toast_error (self, error);
      return;
    }

  _relay_window_prefill_sandbox (self);
  gtk_revealer_set_reveal_child (self->sandbox_revealer, TRUE);
  apply_sandbox (self, relay_application_get_sandbox_uri (app));
  /* The sandbox's accounts live in their own store: the real account
   * stays in the keyring, but this window now works with the sandbox. */
  _relay_window_forget_account (self);
  gtk_widget_set_visible (GTK_WIDGET (self->accounts_button), FALSE);
  _relay_window_set_page (self, "welcome");
}

static const GActionEntry win_actions[] = {
  { "sign-in", sign_in_action },
  { "cancel-sign-in", cancel_sign_in_action },
  { "continue-sign-in", continue_sign_in_action },
  { "copy-link", copy_link_action },
  { "open-again", open_again_action },
  { "send", send_action },
  { "cancel-send", cancel_send_action },
  { "refresh-balance", refresh_balance_action },
  { "add-account", _relay_window_add_account_action },
  { "switch-account", _relay_window_switch_account_action, "s", "''" },
  { "rename-account", _relay_window_rename_account_action },
  { "back", back_action },
  { "try-sandbox", try_sandbox_action },
  { "sign-out", _relay_window_sign_out_action },
  { "dismiss-banner", dismiss_banner_action },
  { "unlock-keyring", _relay_window_unlock_keyring_action },
  { "outbox-send", outbox_send_action },
  { "outbox-discard", outbox_discard_action },
  { "outbox-show-history", outbox_show_history_action },
};

static gboolean
relay_window_close_request (GtkWindow *window)
{
  RelayWindow *self = RELAY_WINDOW (window);
  gboolean maximized = gtk_window_is_maximized (window);
  int width, height;

  g_cancellable_cancel (self->cancellable);
  if (self->sign_in != NULL)
    relay_sign_in_cancel (self->sign_in);
  relay_send_page_cancel (self->send_page);
  relay_bulk_page_leave (self->bulk_page);

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_boolean (self->settings, "window-maximized", maximized);
  if (!maximized && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }

  return GTK_WINDOW_CLASS (relay_window_parent_class)->close_request (window);
}

/* The start-up work that must not delay the first frame: building the
 * shortcuts window; with `--sandbox`, starting the sandbox; then asking
 * the keyring for the last account's secrets. Runs once that frame is on
 * screen. */
static gboolean
start_idle_cb (gpointer user_data)
{
  RelayWindow *self = user_data;
  g_autofree char *last = NULL;

  /* Closed (cancelled) or already disposed (no cancellable) meanwhile. */
  if (self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable))
    return G_SOURCE_REMOVE;

  /* Not in gtk/help-overlay.ui, which GtkApplication would build for
   * every window before its first frame. */
  if (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (self)) == NULL)
    {
      g_autoptr(GtkBuilder) builder =
        gtk_builder_new_from_resource ("/io/github/relaysms/Relay/relay-shortcuts.ui");

      gtk_application_window_set_help_overlay (GTK_APPLICATION_WINDOW (self),
                                               GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
    }

  open_store (self);

  if (!ensure_sandbox (self))
    {
      _relay_window_set_starting (self, FALSE);
      return G_SOURCE_REMOVE;
    }

  last = g_settings_get_string (self->settings, "last-account");
  _relay_window_load_start_account (self, last);

  return G_SOURCE_REMOVE;
}

static void
first_frame_cb (GdkFrameClock *clock,
                RelayWindow   *self)
{
  g_clear_signal_handler (&self->first_frame_handler, clock);
  self->start_scheduled = TRUE;
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, start_idle_cb, g_object_ref (self), g_object_unref);
}

static void
relay_window_map (GtkWidget *widget)
{
  RelayWindow *self = RELAY_WINDOW (widget);

  GTK_WIDGET_CLASS (relay_window_parent_class)->map (widget);

  /* Once: the first frame shows the page before any slow work starts. */
  if (!self->start_scheduled && self->first_frame_handler == 0 && self->settings != NULL)
    self->first_frame_handler = g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
                                                  G_CALLBACK (first_frame_cb), self);
}

static void
relay_window_unmap (GtkWidget *widget)
{
  RelayWindow *self = RELAY_WINDOW (widget);

  g_clear_signal_handler (&self->first_frame_handler, gtk_widget_get_frame_clock (widget));

  GTK_WIDGET_CLASS (relay_window_parent_class)->unmap (widget);
}

/* Runs once the window knows its application (a GtkWindow gets it only
 * after construction). Everything here is local and quick: the first
 * frame must already show the page the person will use. */
static void
setup (RelayWindow      *self,
       RelayApplication *app)
{
  g_autofree char *oauth_base = NULL;
  g_autofree char *rest_base = NULL;
  g_autofree char *last = NULL;

  self->settings = g_object_ref (relay_application_get_settings (app));
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  bind_settings_provider (self);
  relay_send_page_bind_settings (self->send_page, self->settings);
  relay_history_page_bind_settings (self->history_page, self->settings);
  _relay_window_bulk_setup (self);

  oauth_base = g_settings_get_string (self->settings, "oauth-base");
  rest_base = g_settings_get_string (self->settings, "rest-base");
  relay_welcome_page_set_endpoints (self->welcome_page, oauth_base, rest_base);

  /* The sandbox's published credentials are known before it listens;
   * its address follows when it does (apply_sandbox()). */
  if (relay_application_get_use_sandbox (app))
    {
      _relay_window_prefill_sandbox (self);
      gtk_revealer_set_reveal_child (self->sandbox_revealer, TRUE);
      if (relay_application_get_sandbox_uri (app) != NULL)
        apply_sandbox (self, relay_application_get_sandbox_uri (app));
    }

  _relay_window_update_actions (self);

  last = g_settings_get_string (self->settings, "last-account");
  _relay_window_show_start_page (self, last);
}

static void
relay_window_dispose (GObject *object)
{
  RelayWindow *self = (RelayWindow *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->sign_in != NULL)
    {
      relay_sign_in_cancel (self->sign_in);
      g_clear_object (&self->sign_in);
    }

  /* The shortcuts window points back at this one: it goes first. */
  if (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (self)) != NULL)
    {
      g_autoptr(GtkWindow) overlay =
        g_object_ref (GTK_WINDOW (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (self))));

      gtk_application_window_set_help_overlay (GTK_APPLICATION_WINDOW (self), NULL);
      gtk_window_destroy (overlay);
    }

  g_clear_object (&self->send_notifier);
  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_WINDOW);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->accounts_menu);
  g_clear_object (&self->settings_provider);
  g_clear_object (&self->settings);
  g_clear_object (&self->delivery_checker);
  g_clear_object (&self->store);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  g_clear_pointer (&self->outbox_queued, g_array_unref);
  if (self->account != NULL)
    relay_account_forget_secrets (self->account);
  g_clear_object (&self->account);

  G_OBJECT_CLASS (relay_window_parent_class)->dispose (object);
}

static void
relay_window_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  RelayWindow *self = RELAY_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STARTING:
      g_value_set_boolean (value, self->starting);
      break;

    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_window_finalize (GObject *object)
{
  RelayWindow *self = (RelayWindow *)object;

  g_clear_weak_pointer (&self->toast);
  g_clear_pointer (&self->last_toast, g_free);
  g_clear_pointer (&self->sandbox_rest, g_free);
  g_clear_pointer (&self->delivery_refreshed, g_free);

  G_OBJECT_CLASS (relay_window_parent_class)->finalize (object);
}

static void
relay_window_class_init (RelayWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = relay_window_dispose;
  object_class->finalize = relay_window_finalize;
  object_class->get_property = relay_window_get_property;
  widget_class->map = relay_window_map;
  widget_class->unmap = relay_window_unmap;
  window_class->close_request = relay_window_close_request;

  /**
   * RelayWindow:starting:
   *
   * %TRUE from the first frame until the start-up work is done: the
   * sandbox of `--sandbox` listens and the keyring has answered for the
   * last account (its secrets are loaded, or it is gone).
   */
  properties[PROP_STARTING] =
    g_param_spec_boolean ("starting", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * RelayWindow:store: (nullable)
   *
   * The history, once it opened after the first frame; %NULL before,
   * and for good when it could not open (history is off).
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, RELAY_TYPE_STORE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (RELAY_TYPE_WELCOME_PAGE);
  g_type_ensure (RELAY_TYPE_WAITING_PAGE);
  g_type_ensure (RELAY_TYPE_SEND_PAGE);
  g_type_ensure (RELAY_TYPE_HISTORY_PAGE);
  g_type_ensure (RELAY_TYPE_BULK_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/relaysms/Relay/relay-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, accounts_button);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, balance_label);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, sandbox_revealer);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, back_button);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, keyring_revealer);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, history_revealer);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, history_banner_label);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, outbox_revealer);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, outbox_label);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, uncertain_revealer);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, uncertain_label);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, history_page);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, waiting_page);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, send_page);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, bulk_page);
  gtk_widget_class_bind_template_callback (widget_class, send_state_cb);
  gtk_widget_class_bind_template_callback (widget_class, send_toast_cb);
  gtk_widget_class_bind_template_callback (widget_class, send_recorded_cb);
  gtk_widget_class_bind_template_callback (widget_class, balance_cb);
  gtk_widget_class_bind_template_callback (widget_class, send_again_cb);
  gtk_widget_class_bind_template_callback (widget_class, view_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, history_mapped_cb);


  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel-send", NULL);
}

static void
relay_window_init (RelayWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* In the window's action map, so that they are also exported on the
   * session bus (org.gtk.Actions) for scripts and the e2e tests. */
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions,
                                   G_N_ELEMENTS (win_actions), self);

  self->starting = TRUE;
  self->cancellable = g_cancellable_new ();
  self->outbox_queued = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->accounts_menu = g_menu_new ();
  gtk_menu_button_set_menu_model (self->accounts_button, G_MENU_MODEL (self->accounts_menu));
  self->send_notifier = relay_send_notifier_new (GTK_WINDOW (self), self->send_page);
}

RelayWindow *
relay_window_new (RelayApplication *application)
{
  RelayWindow *self;

  g_return_val_if_fail (RELAY_IS_APPLICATION (application), NULL);

  self = g_object_new (RELAY_TYPE_WINDOW,
                       "application", application,
                       NULL);
  setup (self, application);

  return self;
}

/**
 * relay_window_get_page:
 *
 * Returns: the visible page: "loading", "welcome", "waiting" or "send"
 */
const char *
relay_window_get_page (RelayWindow *self)
{
  g_return_val_if_fail (RELAY_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

static GtkWidget *
find_named (GtkWidget  *root,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The field a person starts with on @page, or NULL on other pages. */
static GtkWidget *
first_field (RelayWindow *self,
             const char  *page)
{
  if (g_strcmp0 (page, "welcome") == 0)
    {
      RelayAccountKind kind = relay_welcome_page_get_kind (self->welcome_page);

      return find_named (GTK_WIDGET (self->welcome_page),
                         kind == RELAY_ACCOUNT_OAUTH ? "consumer-key"
                         : kind == RELAY_ACCOUNT_SIGNED ? "signed-api-key" : "api-key");
    }

  if (g_strcmp0 (page, "send") == 0)
    return find_named (GTK_WIDGET (self->send_page), "to");

  return NULL;
}

/**
 * relay_window_get_page_usable:
 *
 * Whether the window shows a page a person works on (welcome or send)
 * settled: no page transition runs, and the page's first field (the key
 * of the chosen credential kind, or To) is mapped and laid out with a
 * size, so the next frame the window paints shows it. It says nothing
 * about secrets: the send page of the last account is usable while its
 * secrets load (#RelayWindow:starting), only sending waits for them.
 *
 * tests/bench/bench-startup times the first frame painted in this state.
 *
 * Returns: %TRUE when the page is usable
 */
gboolean
relay_window_get_page_usable (RelayWindow *self)
{
  GtkWidget *field;

  g_return_val_if_fail (RELAY_IS_WINDOW (self), FALSE);

  if (gtk_stack_get_transition_running (self->stack))
    return FALSE;

  field = first_field (self, gtk_stack_get_visible_child_name (self->stack));

  return field != NULL && gtk_widget_get_mapped (field) &&
         gtk_widget_get_width (field) > 0 && gtk_widget_get_height (field) > 0;
}

/**
 * relay_window_get_starting:
 *
 * Returns: the value of #RelayWindow:starting
 */
gboolean
relay_window_get_starting (RelayWindow *self)
{
  g_return_val_if_fail (RELAY_IS_WINDOW (self), FALSE);

  return self->starting;
}

/**
 * relay_window_get_last_toast:
 *
 * Returns: (nullable): the text of the latest toast, for tests
 */
const char *
relay_window_get_last_toast (RelayWindow *self)
{
  g_return_val_if_fail (RELAY_IS_WINDOW (self), NULL);

  return self->last_toast;
}

/**
 * relay_window_get_authorize_uri:
 *
 * Returns: (nullable): the authorize URL while waiting for the browser
 */
const char *
relay_window_get_authorize_uri (RelayWindow *self)
{
  g_return_val_if_fail (RELAY_IS_WINDOW (self), NULL);

  return self->sign_in != NULL ? relay_sign_in_get_authorize_uri (self->sign_in) : NULL;
}

/**
 * relay_window_get_toast:
 *
 * Returns: (transfer none) (nullable): the toast shown, for tests
 */
AdwToast *
relay_window_get_toast (RelayWindow *self)
{
  g_return_val_if_fail (RELAY_IS_WINDOW (self), NULL);

  return self->toast;
}

void
relay_window_add_toast (RelayWindow *self,
                        const char  *text)
{
  AdwToast *toast;

  g_return_if_fail (RELAY_IS_WINDOW (self));
  g_return_if_fail (text != NULL);

  g_free (self->last_toast);
  self->last_toast = g_strdup (text);

  /* The newest news replaces older ones instead of queueing behind them. */
  if (self->toast != NULL)
    adw_toast_dismiss (self->toast);
  g_clear_weak_pointer (&self->toast);

  toast = adw_toast_new (text);
  /* Short: what lasts is shown on the page itself (banners, results). */
  adw_toast_set_timeout (toast, 3);
  g_set_weak_pointer (&self->toast, toast);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/**
 * relay_window_set_uri_launcher:
 * @launcher: (nullable): opens the authorize URL, or %NULL for the
 *   system browser (gtk_show_uri())
 */
void
relay_window_set_uri_launcher (RelayWindow      *self,
                               RelayUriLauncher  launcher,
                               gpointer          user_data)
{
  g_return_if_fail (RELAY_IS_WINDOW (self));

  self->uri_launcher = launcher;
  self->uri_launcher_data = user_data;
}

/**
 * relay_window_get_store:
 *
 * Returns: (nullable) (transfer none): the open history store, or %NULL
 *   while it opens or when history is off (#RelayWindow:store)
 */
RelayStore *
relay_window_get_store (RelayWindow *self)
{
  g_return_val_if_fail (RELAY_IS_WINDOW (self), NULL);

  return self->store;
}

/**
 * relay_window_set_clock:
 * @clock: (nullable): what the length of a send is measured on (a
 *   long send that ends unfocused is notified); %NULL for the real
 *   clock
 */
void
relay_window_set_clock (RelayWindow *self,
                        RelayClock  *clock)
{
  g_return_if_fail (RELAY_IS_WINDOW (self));

  relay_send_notifier_set_clock (self->send_notifier, clock);
}
