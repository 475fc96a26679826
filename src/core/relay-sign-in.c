/* relay-sign-in.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n-lib.h>

#include "relay-nexmo-client.h"
#include "relay-oauth-flow.h"
#include "relay-sign-in.h"

/* One attempt to sign in, shared by the window and relay-cli: an API
 * key is proven by asking for the balance; an OAuth app goes through
 * the flow (request token, browser, access token). A failed or
 * cancelled attempt forgets the account's secrets; a complete one
 * leaves the account ready to store. One step runs at a time. */
struct _RelaySignIn
{
  GObject         parent_instance;

  /* owned references */
  RelayAccount   *account;
  RelayOAuthFlow *flow;
  GCancellable   *cancellable;
  GSource        *caller_source;

  /* state */
  char           *authorize_uri;
  guint           callback_timeout;
  guint           busy : 1;
  guint           complete : 1;
  guint           failed : 1;
};

G_DEFINE_FINAL_TYPE (RelaySignIn, relay_sign_in, G_TYPE_OBJECT)

static gboolean
caller_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  RelaySignIn *self = user_data;

  g_clear_pointer (&self->caller_source, g_source_unref);
  relay_sign_in_cancel (self);

  return G_SOURCE_REMOVE;
}

/* The caller's cancellable stops the whole sign-in, like
 * relay_sign_in_cancel(), from a source in the task's context (never
 * from inside the cancellable's handler). */
static GTask *
step_new (RelaySignIn         *self,
          GCancellable        *cancellable,
          gpointer             source_tag,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  self->busy = TRUE;

  if (cancellable != NULL)
    {
      self->caller_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (self->caller_source, G_SOURCE_FUNC (caller_cancelled_cb), self, NULL);
      g_source_attach (self->caller_source, g_task_get_context (task));
    }

  return task;
}

/* Ends the running step with @error (taken), or with success. */
static void
step_return (RelaySignIn *self,
             GTask       *task,
             GError      *error)
{
  self->busy = FALSE;
  if (self->caller_source != NULL)
    {
      g_source_destroy (self->caller_source);
      g_clear_pointer (&self->caller_source, g_source_unref);
    }

  if (error == NULL && g_cancellable_is_cancelled (self->cancellable))
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Sign-in was cancelled."));

  if (error != NULL)
    {
      /* A failed attempt keeps no secret in memory. */
      self->failed = TRUE;
      relay_account_forget_secrets (self->account);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
balance_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelaySignIn *self = g_task_get_source_object (task);
  GError *error = NULL;
  RelayBalance balance;

  if (relay_nexmo_client_balance_finish (RELAY_NEXMO_CLIENT (object), result, &balance, &error))
    self->complete = TRUE;

  step_return (self, task, error);
}

static void
begin_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelaySignIn *self = g_task_get_source_object (task);
  GError *error = NULL;

  self->authorize_uri = relay_oauth_flow_begin_finish (RELAY_OAUTH_FLOW (object), result, &error);
  step_return (self, task, error);
}

static void
complete_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelaySignIn *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (relay_oauth_flow_complete_finish (RELAY_OAUTH_FLOW (object), result, &error))
    self->complete = TRUE;

  step_return (self, task, error);
}

static void
relay_sign_in_dispose (GObject *object)
{
  RelaySignIn *self = (RelaySignIn *)object;

  /* Steps hold a reference, so none is running. */
  g_assert (!self->busy);

  relay_sign_in_cancel (self);
  g_clear_object (&self->flow);

  G_OBJECT_CLASS (relay_sign_in_parent_class)->dispose (object);
}

static void
relay_sign_in_finalize (GObject *object)
{
  RelaySignIn *self = (RelaySignIn *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->account);
  g_clear_pointer (&self->authorize_uri, g_free);

  G_OBJECT_CLASS (relay_sign_in_parent_class)->finalize (object);
}

static void
relay_sign_in_class_init (RelaySignInClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = relay_sign_in_dispose;
  object_class->finalize = relay_sign_in_finalize;
}

static void
relay_sign_in_init (RelaySignIn *self)
{
  self->cancellable = g_cancellable_new ();
}

/**
 * relay_sign_in_new:
 * @account: a new account holding its secret (API secret or consumer
 *   secret); on success an OAuth account also holds its token
 *
 * Returns: (transfer full): a sign-in for @account, not yet begun
 */
RelaySignIn *
relay_sign_in_new (RelayAccount *account)
{
  RelaySignIn *self;

  g_return_val_if_fail (RELAY_IS_ACCOUNT (account), NULL);

  self = g_object_new (RELAY_TYPE_SIGN_IN, NULL);
  self->account = g_object_ref (account);

  return self;
}

RelayAccount *
relay_sign_in_get_account (RelaySignIn *self)
{
  g_return_val_if_fail (RELAY_IS_SIGN_IN (self), NULL);

  return self->account;
}

RelayAuthorizationMode
relay_sign_in_get_mode (RelaySignIn *self)
{
  g_return_val_if_fail (RELAY_IS_SIGN_IN (self), RELAY_AUTHORIZATION_CALLBACK);

  return relay_provider_get_authorization_mode (relay_account_get_provider (self->account));
}

/**
 * relay_sign_in_get_authorize_uri:
 *
 * Returns: (nullable): the page to open once an OAuth sign-in has begun,
 *   %NULL before and for API keys
 */
const char *
relay_sign_in_get_authorize_uri (RelaySignIn *self)
{
  g_return_val_if_fail (RELAY_IS_SIGN_IN (self), NULL);

  return self->authorize_uri;
}

/**
 * relay_sign_in_get_complete:
 *
 * Returns: %TRUE once the account is proven (API key) or holds its
 *   access token (OAuth)
 */
gboolean
relay_sign_in_get_complete (RelaySignIn *self)
{
  g_return_val_if_fail (RELAY_IS_SIGN_IN (self), FALSE);

  return self->complete;
}

/**
 * relay_sign_in_set_callback_timeout:
 * @seconds: how long the callback mode waits for the browser
 *
 * Call before relay_sign_in_begin_async().
 */
void
relay_sign_in_set_callback_timeout (RelaySignIn *self,
                                    guint        seconds)
{
  g_return_if_fail (RELAY_IS_SIGN_IN (self));
  g_return_if_fail (seconds > 0);
  g_return_if_fail (self->flow == NULL);

  self->callback_timeout = seconds;
}

void
relay_sign_in_begin_async (RelaySignIn         *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (RELAY_IS_SIGN_IN (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (!self->busy && self->flow == NULL && !self->complete && !self->failed);

  task = step_new (self, cancellable, relay_sign_in_begin_async, callback, user_data);

  if (relay_account_has_api_key (self->account))
    {
      g_autoptr(RelayNexmoClient) client = relay_nexmo_client_new (self->account);

      /* The cheapest authenticated request, and it costs nothing. */
      relay_nexmo_client_balance_async (client, self->cancellable, balance_cb, task);
      return;
    }

  self->flow = relay_oauth_flow_new (self->account);
  if (self->callback_timeout > 0)
    relay_oauth_flow_set_callback_timeout (self->flow, self->callback_timeout);
  relay_oauth_flow_begin_async (self->flow, self->cancellable, begin_cb, task);
}

/**
 * relay_sign_in_begin_finish:
 *
 * Returns: %TRUE when the API key was accepted, or the OAuth
 *   authorization can start; %FALSE with @error otherwise (the secrets
 *   are forgotten)
 */
gboolean
relay_sign_in_begin_finish (RelaySignIn   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (RELAY_IS_SIGN_IN (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == relay_sign_in_begin_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * relay_sign_in_complete_async:
 * @verifier: (nullable): the pasted verifier (oob), else %NULL
 */
void
relay_sign_in_complete_async (RelaySignIn         *self,
                              const char          *verifier,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (RELAY_IS_SIGN_IN (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (!self->busy);
  g_return_if_fail (self->complete || (self->flow != NULL && self->authorize_uri != NULL));

  task = step_new (self, cancellable, relay_sign_in_complete_async, callback, user_data);

  if (self->complete)
    {
      step_return (self, task, NULL);
      g_object_unref (task);
      return;
    }

  relay_oauth_flow_complete_async (self->flow, verifier, self->cancellable, complete_cb, task);
}

/**
 * relay_sign_in_complete_finish:
 *
 * Returns: %TRUE when the account is complete and can be stored
 */
gboolean
relay_sign_in_complete_finish (RelaySignIn   *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (RELAY_IS_SIGN_IN (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == relay_sign_in_complete_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * relay_sign_in_cancel:
 *
 * Stops listening and requesting at once and forgets the secrets; a
 * running step ends with %G_IO_ERROR_CANCELLED. Does nothing once the
 * sign-in is complete or failed.
 */
void
relay_sign_in_cancel (RelaySignIn *self)
{
  g_return_if_fail (RELAY_IS_SIGN_IN (self));

  if (self->complete || self->failed || g_cancellable_is_cancelled (self->cancellable))
    return;

  g_cancellable_cancel (self->cancellable);
  if (self->flow != NULL)
    relay_oauth_flow_cancel (self->flow);
  relay_account_forget_secrets (self->account);
}
