/* relay-sign-in.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include "relay-nexmo-client.h"
#include "relay-oauth-flow.h"
#include "relay-sign-in.h"

/* One attempt to sign in, without widgets: an API key is proven by
 * asking for the balance; an OAuth app goes through the flow (request
 * token, browser, access token). The window listens to ::authorize and
 * ::finished. After relay_sign_in_cancel() nothing is emitted. */
struct _RelaySignIn
{
  GObject         parent_instance;

  /* owned references */
  RelayAccount   *account;
  RelayOAuthFlow *flow;
  GCancellable   *cancellable;

  /* state */
  char           *authorize_uri;
  guint           started : 1;
  guint           finished : 1;
};

G_DEFINE_FINAL_TYPE (RelaySignIn, relay_sign_in, G_TYPE_OBJECT)

enum {
  AUTHORIZE,
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
finish (RelaySignIn  *self,
        const GError *error)
{
  if (g_cancellable_is_cancelled (self->cancellable) || self->finished)
    return;

  self->finished = TRUE;
  g_signal_emit (self, signals[FINISHED], 0, error);

  /* A failed attempt keeps no secret in memory. */
  if (error != NULL)
    relay_account_forget_secrets (self->account);
}

static void
balance_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(RelaySignIn) self = user_data;
  g_autoptr(GError) error = NULL;
  RelayBalance balance;

  relay_nexmo_client_balance_finish (RELAY_NEXMO_CLIENT (object), result, &balance, &error);
  finish (self, error);
}

static void
complete_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(RelaySignIn) self = user_data;
  g_autoptr(GError) error = NULL;

  relay_oauth_flow_complete_finish (RELAY_OAUTH_FLOW (object), result, &error);
  finish (self, error);
}

static void
begin_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(RelaySignIn) self = user_data;
  g_autoptr(GError) error = NULL;

  self->authorize_uri = relay_oauth_flow_begin_finish (RELAY_OAUTH_FLOW (object), result, &error);
  if (self->authorize_uri == NULL)
    {
      finish (self, error);
      return;
    }

  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  g_signal_emit (self, signals[AUTHORIZE], 0, self->authorize_uri);

  /* In callback mode the browser brings the verifier back by itself. */
  if (relay_sign_in_get_mode (self) == RELAY_AUTHORIZATION_CALLBACK &&
      !g_cancellable_is_cancelled (self->cancellable))
    relay_oauth_flow_complete_async (self->flow, NULL, self->cancellable,
                                     complete_cb, g_object_ref (self));
}

static void
relay_sign_in_dispose (GObject *object)
{
  RelaySignIn *self = (RelaySignIn *)object;

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

  /**
   * RelaySignIn::authorize:
   * @self: the sign-in
   * @uri: the authorize URL to open in the browser
   *
   * The provider handed out a request token; the user approves next.
   */
  signals[AUTHORIZE] =
    g_signal_new ("authorize",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * RelaySignIn::finished:
   * @self: the sign-in
   * @error: (nullable): why it failed, or %NULL when the account is
   *   complete
   *
   * Emitted once, unless the sign-in was cancelled.
   */
  signals[FINISHED] =
    g_signal_new ("finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
relay_sign_in_init (RelaySignIn *self)
{
  self->cancellable = g_cancellable_new ();
}

/**
 * relay_sign_in_new:
 * @account: a new account holding its secret
 *
 * Returns: (transfer full): a sign-in for @account, not yet started
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
 * Returns: (nullable): the authorize URL once ::authorize was emitted
 */
const char *
relay_sign_in_get_authorize_uri (RelaySignIn *self)
{
  g_return_val_if_fail (RELAY_IS_SIGN_IN (self), NULL);

  return self->authorize_uri;
}

void
relay_sign_in_start (RelaySignIn *self)
{
  g_return_if_fail (RELAY_IS_SIGN_IN (self));
  g_return_if_fail (!self->started);

  self->started = TRUE;

  if (relay_account_get_kind (self->account) == RELAY_ACCOUNT_API_KEY)
    {
      g_autoptr(RelayNexmoClient) client = relay_nexmo_client_new (self->account);

      /* Asking for the balance proves the key and secret work. */
      relay_nexmo_client_balance_async (client, self->cancellable, balance_cb, g_object_ref (self));
      return;
    }

  self->flow = relay_oauth_flow_new (self->account);
  relay_oauth_flow_begin_async (self->flow, self->cancellable, begin_cb, g_object_ref (self));
}

/**
 * relay_sign_in_continue:
 * @verifier: (nullable): the pasted verifier (oob), or %NULL (legacy)
 *
 * Finishes an oob or legacy authorization once the user is back.
 */
void
relay_sign_in_continue (RelaySignIn *self,
                        const char  *verifier)
{
  g_return_if_fail (RELAY_IS_SIGN_IN (self));
  g_return_if_fail (self->flow != NULL && self->authorize_uri != NULL);

  relay_oauth_flow_complete_async (self->flow, verifier, self->cancellable,
                                   complete_cb, g_object_ref (self));
}

/**
 * relay_sign_in_cancel:
 *
 * Stops listening and requesting at once and forgets the secrets; no
 * signal follows.
 */
void
relay_sign_in_cancel (RelaySignIn *self)
{
  g_return_if_fail (RELAY_IS_SIGN_IN (self));

  if (self->finished || g_cancellable_is_cancelled (self->cancellable))
    return;

  g_cancellable_cancel (self->cancellable);
  if (self->flow != NULL)
    relay_oauth_flow_cancel (self->flow);
  relay_account_forget_secrets (self->account);
}
