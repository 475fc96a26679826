/* relay-oauth-flow.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relay-callback-listener.h"
#include "relay-http.h"
#include "relay-oauth-flow.h"
#include "relay-oauth1-error.h"
#include "relay-oauth1-params.h"
#include "relay-oauth1-token.h"

#define MAX_VERIFIER 256

typedef enum
{
  FLOW_NEW,
  FLOW_BEGINNING,
  FLOW_BEGUN,
  FLOW_EXCHANGING,
  FLOW_DONE,
  FLOW_FAILED,
} FlowState;

/* One three-legged sign-in: request token → authorize → access token.
 * Each flow runs once; after any failure the user starts a new one. */
struct _RelayOAuthFlow
{
  GObject                 parent_instance;

  /* owned references */
  RelayAccount           *account;
  SoupSession            *session;
  RelayCallbackListener  *listener;
  GCancellable           *cancellable;
  GPtrArray              *extra;

  /* state; the request token secret is wiped when done */
  char                   *request_token;
  char                   *request_secret;
  FlowState               state;
  guint                   callback_timeout;
};

G_DEFINE_FINAL_TYPE (RelayOAuthFlow, relay_oauth_flow, G_TYPE_OBJECT)

G_DEFINE_QUARK (relay-flow-error-quark, relay_flow_error)

/* Ties a caller's cancellable to the flow's own, for one operation. */
typedef struct
{
  GCancellable *caller;
  gulong        handler;
} OpData;

static void
forward_cancel_cb (GCancellable *caller,
                   gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static OpData *
op_data_new (RelayOAuthFlow *self,
             GCancellable   *caller)
{
  OpData *op = g_new0 (OpData, 1);

  if (caller != NULL)
    {
      op->caller = g_object_ref (caller);
      op->handler = g_cancellable_connect (caller, G_CALLBACK (forward_cancel_cb),
                                           g_object_ref (self->cancellable), g_object_unref);
    }

  return op;
}

static void
op_data_free (OpData *op)
{
  if (op->caller != NULL)
    {
      g_cancellable_disconnect (op->caller, op->handler);
      g_object_unref (op->caller);
    }
  g_free (op);
}

static void
wipe_request_token (RelayOAuthFlow *self)
{
  if (self->request_secret != NULL)
    explicit_bzero (self->request_secret, strlen (self->request_secret));
  g_clear_pointer (&self->request_secret, g_free);
  g_clear_pointer (&self->request_token, g_free);
}

static void
fail (RelayOAuthFlow *self,
      GTask          *task,
      GError         *error)
{
  self->state = FLOW_FAILED;
  wipe_request_token (self);
  if (self->listener != NULL)
    relay_callback_listener_stop (self->listener);
  g_task_return_error (task, error);
}

/**
 * relay_oauth_flow_build_authorize_url:
 * @endpoint: the authorize (or authenticate) URL, possibly with a query
 * @token: the request token
 *
 * Returns: (transfer full): @endpoint with `oauth_token=` appended to the
 *   query it already has
 */
char *
relay_oauth_flow_build_authorize_url (const char *endpoint,
                                      const char *token)
{
  g_autofree char *encoded = NULL;
  g_autofree char *base = NULL;
  const char *hash;
  const char *query;
  const char *separator;

  g_return_val_if_fail (endpoint != NULL, NULL);
  g_return_val_if_fail (token != NULL, NULL);

  encoded = relay_percent_encode (token);
  hash = strchr (endpoint, '#');
  base = hash != NULL ? g_strndup (endpoint, hash - endpoint) : g_strdup (endpoint);
  query = strchr (base, '?');

  if (query == NULL)
    separator = "?";
  else if (query[1] == '\0' || g_str_has_suffix (base, "&"))
    separator = "";
  else
    separator = "&";

  return g_strconcat (base, separator, "oauth_token=", encoded, hash, NULL);
}

static RelayOAuth1Request *
new_token_request (RelayOAuthFlow  *self,
                   RelayEndpoint    endpoint,
                   GError         **error)
{
  RelayProvider *provider = relay_account_get_provider (self->account);
  g_autofree char *uri = relay_provider_get_endpoint (provider, endpoint);
  g_autoptr(RelayOAuth1Request) request = NULL;

  request = relay_oauth1_request_new (relay_provider_get_token_method (provider), uri, error);
  if (request == NULL)
    return NULL;

  relay_oauth1_request_set_consumer (request, relay_account_get_key (self->account),
                                     relay_account_get_secret (self->account));
  relay_oauth1_request_set_signature_method (request, relay_provider_get_signature_method (provider));
  relay_oauth1_request_set_clock_offset (request, relay_account_get_clock_offset (self->account));

  return g_steal_pointer (&request);
}

/* What a token request needs to be signed again, with a new nonce, when
 * the provider refuses its timestamp. */
typedef struct
{
  RelayOAuthFlow *flow;
  RelayEndpoint   endpoint;
  char           *verifier;
} TokenBuild;

static TokenBuild *
token_build_new (RelayOAuthFlow *self,
                 RelayEndpoint   endpoint,
                 const char     *verifier)
{
  TokenBuild *build = g_new0 (TokenBuild, 1);

  build->flow = g_object_ref (self);
  build->endpoint = endpoint;
  build->verifier = g_strdup (verifier);

  return build;
}

static void
token_build_free (TokenBuild *build)
{
  if (build->verifier != NULL)
    explicit_bzero (build->verifier, strlen (build->verifier));
  g_free (build->verifier);
  g_object_unref (build->flow);
  g_free (build);
}

static SoupMessage *
build_token_message (gpointer   user_data,
                     gint64     clock_offset,
                     GError   **error)
{
  TokenBuild *build = user_data;
  RelayOAuthFlow *self = build->flow;
  RelayProvider *provider = relay_account_get_provider (self->account);
  g_autoptr(RelayOAuth1Request) request = NULL;

  if (!(request = new_token_request (self, build->endpoint, error)))
    return NULL;

  relay_oauth1_request_set_clock_offset (request, clock_offset);

  if (build->endpoint == RELAY_ENDPOINT_ACCESS_TOKEN)
    {
      relay_oauth1_request_set_token (request, self->request_token, self->request_secret);
      relay_oauth1_request_set_verifier (request, build->verifier);
    }
  else if (self->listener != NULL)
    {
      g_autofree char *uri = relay_callback_listener_get_uri (self->listener);

      relay_oauth1_request_set_callback (request, uri);
    }
  else if (relay_provider_get_authorization_mode (provider) == RELAY_AUTHORIZATION_OOB)
    {
      relay_oauth1_request_set_callback (request, "oob");
    }

  if (!relay_oauth1_request_sign (request, error))
    return NULL;

  return relay_http_message_new_signed (request, error);
}

static void
request_token_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelayOAuthFlow *self = g_task_get_source_object (task);
  RelayProvider *provider = relay_account_get_provider (self->account);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayOAuth1Token) token = NULL;
  g_autofree char *endpoint = NULL;
  gboolean legacy;

  body = relay_http_send_signed_finish (SOUP_SESSION (object), result, NULL, &error);
  if (body == NULL)
    {
      fail (self, task, g_steal_pointer (&error));
      return;
    }

  legacy = relay_provider_get_authorization_mode (provider) == RELAY_AUTHORIZATION_LEGACY;
  token = relay_oauth1_token_parse (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                    !legacy, &error);
  if (token == NULL)
    {
      fail (self, task, g_steal_pointer (&error));
      return;
    }

  self->request_token = g_strdup (token->token);
  self->request_secret = g_strdup (token->secret);
  if (self->listener != NULL)
    relay_callback_listener_set_pending_token (self->listener, self->request_token);

  endpoint = relay_provider_get_endpoint (provider,
                                          relay_provider_get_use_authenticate (provider)
                                          ? RELAY_ENDPOINT_AUTHENTICATE
                                          : RELAY_ENDPOINT_AUTHORIZE);
  self->state = FLOW_BEGUN;
  g_debug ("Request token received; waiting for authorization");
  g_task_return_pointer (task, relay_oauth_flow_build_authorize_url (endpoint, self->request_token), g_free);
}

void
relay_oauth_flow_begin_async (RelayOAuthFlow      *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(RelayOAuth1Request) request = NULL;
  g_autoptr(GError) error = NULL;
  RelayProvider *provider;
  RelayAuthorizationMode mode;

  g_return_if_fail (RELAY_IS_OAUTH_FLOW (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_oauth_flow_begin_async);

  if (self->state != FLOW_NEW)
    {
      g_task_return_new_error (task, RELAY_FLOW_ERROR, RELAY_FLOW_ERROR_STATE,
                               _("This sign-in was already started; start a new one."));
      return;
    }
  self->state = FLOW_BEGINNING;
  g_task_set_task_data (task, op_data_new (self, cancellable), (GDestroyNotify) op_data_free);

  provider = relay_account_get_provider (self->account);
  mode = relay_provider_get_authorization_mode (provider);

  if (relay_account_get_secret (self->account) == NULL)
    {
      fail (self, task, g_error_new (RELAY_FLOW_ERROR, RELAY_FLOW_ERROR_STATE,
                                     _("The consumer secret is missing.")));
      return;
    }

  /* A bad endpoint fails before anything listens. */
  if (!relay_provider_validate (provider, &error) ||
      !(request = new_token_request (self, RELAY_ENDPOINT_REQUEST_TOKEN, &error)))
    {
      fail (self, task, g_steal_pointer (&error));
      return;
    }

  /* The listener runs before the provider learns its address. */
  if (mode == RELAY_AUTHORIZATION_CALLBACK)
    {
      self->listener = relay_callback_listener_new (NULL);
      relay_callback_listener_set_timeout (self->listener, self->callback_timeout);
      if (!relay_callback_listener_start (self->listener, &error))
        {
          fail (self, task, g_steal_pointer (&error));
          return;
        }
    }

  relay_http_send_signed_async (self->session, self->account, build_token_message,
                                token_build_new (self, RELAY_ENDPOINT_REQUEST_TOKEN, NULL),
                                (GDestroyNotify) token_build_free, self->cancellable,
                                request_token_cb, g_steal_pointer (&task));
}

/**
 * relay_oauth_flow_begin_finish:
 *
 * Returns: (transfer full) (nullable): the URL to open in the browser
 */
char *
relay_oauth_flow_begin_finish (RelayOAuthFlow  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
access_token_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelayOAuthFlow *self = g_task_get_source_object (task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayOAuth1Token) token = NULL;

  body = relay_http_send_signed_finish (SOUP_SESSION (object), result, NULL, &error);
  if (body != NULL)
    token = relay_oauth1_token_parse (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                      FALSE, &error);
  if (token == NULL)
    {
      /* Never again with this verifier: the provider may have used it. */
      fail (self, task, g_steal_pointer (&error));
      return;
    }

  if (*token->secret == '\0')
    {
      fail (self, task, g_error_new (RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_MISSING_TOKEN,
                                     _("The provider’s answer has no token secret.")));
      return;
    }

  relay_account_set_token (self->account, token->token, token->secret);
  g_clear_pointer (&self->extra, g_ptr_array_unref);
  self->extra = g_steal_pointer (&token->extra);
  wipe_request_token (self);
  self->state = FLOW_DONE;
  g_debug ("Access token received");
  g_task_return_boolean (task, TRUE);
}

static void
exchange (RelayOAuthFlow *self,
          GTask          *task,
          const char     *verifier)
{
  self->state = FLOW_EXCHANGING;

  relay_http_send_signed_async (self->session, self->account, build_token_message,
                                token_build_new (self, RELAY_ENDPOINT_ACCESS_TOKEN, verifier),
                                (GDestroyNotify) token_build_free, self->cancellable,
                                access_token_cb, task);
}

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelayOAuthFlow *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *verifier = NULL;

  verifier = relay_callback_listener_wait_finish (RELAY_CALLBACK_LISTENER (object), result, &error);
  if (verifier == NULL)
    {
      fail (self, task, g_steal_pointer (&error));
      return;
    }

  exchange (self, g_steal_pointer (&task), verifier);
  explicit_bzero (verifier, strlen (verifier));
}

static gboolean
verifier_is_valid (const char *verifier)
{
  gsize len = strlen (verifier);

  if (len == 0 || len > MAX_VERIFIER)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    if ((guchar) verifier[i] < 0x21 || (guchar) verifier[i] > 0x7e)
      return FALSE;

  return TRUE;
}

void
relay_oauth_flow_complete_async (RelayOAuthFlow      *self,
                                 const char          *verifier,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *trimmed = NULL;
  RelayAuthorizationMode mode;

  g_return_if_fail (RELAY_IS_OAUTH_FLOW (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_oauth_flow_complete_async);

  if (self->state != FLOW_BEGUN)
    {
      g_task_return_new_error (task, RELAY_FLOW_ERROR, RELAY_FLOW_ERROR_STATE,
                               self->state == FLOW_NEW || self->state == FLOW_BEGINNING
                               ? _("Sign-in has not reached the browser step yet.")
                               : _("This sign-in is over; start signing in again."));
      return;
    }
  g_task_set_task_data (task, op_data_new (self, cancellable), (GDestroyNotify) op_data_free);

  mode = relay_provider_get_authorization_mode (relay_account_get_provider (self->account));
  switch (mode)
    {
    case RELAY_AUTHORIZATION_CALLBACK:
      self->state = FLOW_EXCHANGING;
      relay_callback_listener_wait_async (self->listener, self->cancellable, wait_cb,
                                          g_steal_pointer (&task));
      break;

    case RELAY_AUTHORIZATION_OOB:
      trimmed = g_strstrip (g_strdup (verifier != NULL ? verifier : ""));
      if (!verifier_is_valid (trimmed))
        {
          /* Nothing was sent: the user may paste the code again. */
          g_task_return_new_error (task, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_VERIFIER_INVALID,
                                   _("The verification code is empty or has characters a code cannot have."));
          return;
        }
      exchange (self, g_steal_pointer (&task), trimmed);
      explicit_bzero (trimmed, strlen (trimmed));
      break;

    case RELAY_AUTHORIZATION_LEGACY:
    default:
      exchange (self, g_steal_pointer (&task), NULL);
      break;
    }
}

gboolean
relay_oauth_flow_complete_finish (RelayOAuthFlow  *self,
                                  GAsyncResult    *result,
                                  GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
relay_oauth_flow_cancel (RelayOAuthFlow *self)
{
  g_return_if_fail (RELAY_IS_OAUTH_FLOW (self));

  g_cancellable_cancel (self->cancellable);
  if (self->listener != NULL)
    relay_callback_listener_stop (self->listener);
  if (self->state != FLOW_DONE)
    {
      self->state = FLOW_FAILED;
      wipe_request_token (self);
    }
}

static void
relay_oauth_flow_dispose (GObject *object)
{
  RelayOAuthFlow *self = (RelayOAuthFlow *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->listener != NULL)
    relay_callback_listener_stop (self->listener);
  g_clear_object (&self->listener);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (relay_oauth_flow_parent_class)->dispose (object);
}

static void
relay_oauth_flow_finalize (GObject *object)
{
  RelayOAuthFlow *self = (RelayOAuthFlow *)object;

  wipe_request_token (self);
  g_clear_object (&self->account);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->extra, g_ptr_array_unref);

  G_OBJECT_CLASS (relay_oauth_flow_parent_class)->finalize (object);
}

static void
relay_oauth_flow_class_init (RelayOAuthFlowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = relay_oauth_flow_dispose;
  object_class->finalize = relay_oauth_flow_finalize;
}

static void
relay_oauth_flow_init (RelayOAuthFlow *self)
{
  self->cancellable = g_cancellable_new ();
  self->callback_timeout = RELAY_CALLBACK_DEFAULT_TIMEOUT;
}

/**
 * relay_oauth_flow_new:
 * @account: an OAuth account with its consumer secret set
 *
 * Returns: (transfer full): a flow that has not begun
 */
RelayOAuthFlow *
relay_oauth_flow_new (RelayAccount *account)
{
  RelayOAuthFlow *self;

  g_return_val_if_fail (RELAY_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (relay_account_get_kind (account) == RELAY_ACCOUNT_OAUTH, NULL);

  self = g_object_new (RELAY_TYPE_OAUTH_FLOW, NULL);
  self->account = g_object_ref (account);
  self->session = relay_http_session_new (relay_provider_get_timeout (relay_account_get_provider (account)));

  return self;
}

/**
 * relay_oauth_flow_get_account:
 *
 * Returns: (transfer none): the account being signed in
 */
RelayAccount *
relay_oauth_flow_get_account (RelayOAuthFlow *self)
{
  g_return_val_if_fail (RELAY_IS_OAUTH_FLOW (self), NULL);

  return self->account;
}

/**
 * relay_oauth_flow_set_callback_timeout:
 * @seconds: how long the loopback listener waits for the browser
 */
void
relay_oauth_flow_set_callback_timeout (RelayOAuthFlow *self,
                                       guint           seconds)
{
  g_return_if_fail (RELAY_IS_OAUTH_FLOW (self));
  g_return_if_fail (seconds > 0);

  self->callback_timeout = seconds;
  if (self->listener != NULL)
    relay_callback_listener_set_timeout (self->listener, seconds);
}

/**
 * relay_oauth_flow_get_extra:
 *
 * Returns: (transfer none) (nullable): the access-token answer's
 *   parameters other than the token and its secret (#RelayParam), once
 *   the flow is done
 */
GPtrArray *
relay_oauth_flow_get_extra (RelayOAuthFlow *self)
{
  g_return_val_if_fail (RELAY_IS_OAUTH_FLOW (self), NULL);

  return self->extra;
}

/**
 * relay_oauth_flow_get_callback_port:
 *
 * Returns: the loopback listener's port in callback mode once begun, or 0
 */
guint
relay_oauth_flow_get_callback_port (RelayOAuthFlow *self)
{
  g_return_val_if_fail (RELAY_IS_OAUTH_FLOW (self), 0);

  return self->listener != NULL ? relay_callback_listener_get_port (self->listener) : 0;
}
