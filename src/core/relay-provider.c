/* relay-provider.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relay-oauth1-uri.h"
#include "relay-provider.h"

/* A provider profile: where the OAuth and REST endpoints live and how to
 * talk to them. Nothing here is secret. */
struct _RelayProvider
{
  GObject                     parent_instance;

  char                       *oauth_base;
  char                       *rest_base;
  char                       *token_method;
  char                       *sms_method;
  RelayOAuth1SignatureMethod  signature_method;
  RelayAuthorizationMode      authorization_mode;
  guint                       timeout;
  guint                       use_authenticate : 1;
  guint                       basic_auth : 1;
};

G_DEFINE_FINAL_TYPE (RelayProvider, relay_provider, G_TYPE_OBJECT)

static const char *const endpoint_paths[] = {
  [RELAY_ENDPOINT_REQUEST_TOKEN] = "request_token",
  [RELAY_ENDPOINT_AUTHORIZE] = "authorize",
  [RELAY_ENDPOINT_AUTHENTICATE] = "authenticate",
  [RELAY_ENDPOINT_ACCESS_TOKEN] = "access_token",
  [RELAY_ENDPOINT_SMS] = "/sms/json",
  [RELAY_ENDPOINT_BALANCE] = "/account/get-balance",
};

static char *
with_trailing_slash (const char *base)
{
  return g_str_has_suffix (base, "/") ? g_strdup (base) : g_strconcat (base, "/", NULL);
}

static char *
without_trailing_slash (const char *base)
{
  gsize len = strlen (base);

  while (len > 0 && base[len - 1] == '/')
    len--;

  return g_strndup (base, len);
}

static void
relay_provider_finalize (GObject *object)
{
  RelayProvider *self = (RelayProvider *)object;

  g_clear_pointer (&self->oauth_base, g_free);
  g_clear_pointer (&self->rest_base, g_free);
  g_clear_pointer (&self->token_method, g_free);
  g_clear_pointer (&self->sms_method, g_free);

  G_OBJECT_CLASS (relay_provider_parent_class)->finalize (object);
}

static void
relay_provider_class_init (RelayProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = relay_provider_finalize;
}

static void
relay_provider_init (RelayProvider *self)
{
  self->token_method = g_strdup ("POST");
  self->sms_method = g_strdup ("POST");
  self->signature_method = RELAY_OAUTH1_HMAC_SHA1;
  self->authorization_mode = RELAY_AUTHORIZATION_CALLBACK;
  self->timeout = 30;
}

/**
 * relay_provider_new:
 * @oauth_base: (nullable): base URL of the OAuth endpoints, or %NULL for Nexmo's
 * @rest_base: (nullable): base URL of the REST API, or %NULL for Nexmo's
 *
 * Returns: (transfer full): a provider profile
 */
RelayProvider *
relay_provider_new (const char *oauth_base,
                    const char *rest_base)
{
  RelayProvider *self = g_object_new (RELAY_TYPE_PROVIDER, NULL);

  self->oauth_base = with_trailing_slash (oauth_base != NULL && *oauth_base != '\0'
                                          ? oauth_base : RELAY_NEXMO_OAUTH_BASE);
  self->rest_base = without_trailing_slash (rest_base != NULL && *rest_base != '\0'
                                            ? rest_base : RELAY_NEXMO_REST_BASE);

  return self;
}

RelayProvider *
relay_provider_new_nexmo (void)
{
  return relay_provider_new (NULL, NULL);
}

/**
 * relay_provider_copy:
 *
 * Returns: (transfer full): an independent copy of @self
 */
RelayProvider *
relay_provider_copy (RelayProvider *self)
{
  RelayProvider *copy;

  g_return_val_if_fail (RELAY_IS_PROVIDER (self), NULL);

  copy = relay_provider_new (self->oauth_base, self->rest_base);
  relay_provider_set_token_method (copy, self->token_method);
  relay_provider_set_sms_method (copy, self->sms_method);
  copy->signature_method = self->signature_method;
  copy->authorization_mode = self->authorization_mode;
  copy->timeout = self->timeout;
  copy->use_authenticate = self->use_authenticate;
  copy->basic_auth = self->basic_auth;

  return copy;
}

/**
 * relay_provider_validate:
 *
 * Both bases must be absolute http(s) URLs, and https unless the host is
 * loopback.
 *
 * Returns: %TRUE when the profile is usable
 */
gboolean
relay_provider_validate (RelayProvider  *self,
                         GError        **error)
{
  const char *bases[] = { self->oauth_base, self->rest_base };

  g_return_val_if_fail (RELAY_IS_PROVIDER (self), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (bases); i++)
    {
      g_autoptr(GUri) uri = relay_oauth1_parse_uri (bases[i], error);

      if (uri == NULL || !relay_uri_check_secure (uri, error))
        return FALSE;
    }

  return TRUE;
}

const char *
relay_provider_get_oauth_base (RelayProvider *self)
{
  g_return_val_if_fail (RELAY_IS_PROVIDER (self), NULL);

  return self->oauth_base;
}

const char *
relay_provider_get_rest_base (RelayProvider *self)
{
  g_return_val_if_fail (RELAY_IS_PROVIDER (self), NULL);

  return self->rest_base;
}

/**
 * relay_provider_get_endpoint:
 *
 * Returns: (transfer full): the absolute URL of @endpoint
 */
char *
relay_provider_get_endpoint (RelayProvider *self,
                             RelayEndpoint  endpoint)
{
  g_return_val_if_fail (RELAY_IS_PROVIDER (self), NULL);
  g_return_val_if_fail (endpoint <= RELAY_ENDPOINT_BALANCE, NULL);

  if (endpoint >= RELAY_ENDPOINT_SMS)
    return g_strconcat (self->rest_base, endpoint_paths[endpoint], NULL);

  return g_strconcat (self->oauth_base, endpoint_paths[endpoint], NULL);
}

/**
 * relay_provider_get_host:
 *
 * Returns: (transfer full): "host" or "host:port" of the REST base, to
 *   name accounts
 */
char *
relay_provider_get_host (RelayProvider *self)
{
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (RELAY_IS_PROVIDER (self), NULL);

  uri = g_uri_parse (self->rest_base, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup (self->rest_base);

  if (g_uri_get_port (uri) > 0)
    return g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));

  return g_strdup (g_uri_get_host (uri));
}

RelayOAuth1SignatureMethod
relay_provider_get_signature_method (RelayProvider *self)
{
  g_return_val_if_fail (RELAY_IS_PROVIDER (self), RELAY_OAUTH1_HMAC_SHA1);

  return self->signature_method;
}

void
relay_provider_set_signature_method (RelayProvider              *self,
                                     RelayOAuth1SignatureMethod  method)
{
  g_return_if_fail (RELAY_IS_PROVIDER (self));

  self->signature_method = method;
}

const char *
relay_provider_get_token_method (RelayProvider *self)
{
  g_return_val_if_fail (RELAY_IS_PROVIDER (self), NULL);

  return self->token_method;
}

/**
 * relay_provider_set_token_method:
 * @method: "POST" (default) or "GET", for the request- and access-token calls
 */
void
relay_provider_set_token_method (RelayProvider *self,
                                 const char    *method)
{
  g_return_if_fail (RELAY_IS_PROVIDER (self));
  g_return_if_fail (g_strcmp0 (method, "POST") == 0 || g_strcmp0 (method, "GET") == 0);

  g_free (self->token_method);
  self->token_method = g_strdup (method);
}

const char *
relay_provider_get_sms_method (RelayProvider *self)
{
  g_return_val_if_fail (RELAY_IS_PROVIDER (self), NULL);

  return self->sms_method;
}

/**
 * relay_provider_set_sms_method:
 * @method: "POST" (default, a form body) or "GET" (a query, as in the
 *   Nexmo PHP sample)
 */
void
relay_provider_set_sms_method (RelayProvider *self,
                               const char    *method)
{
  g_return_if_fail (RELAY_IS_PROVIDER (self));
  g_return_if_fail (g_strcmp0 (method, "POST") == 0 || g_strcmp0 (method, "GET") == 0);

  g_free (self->sms_method);
  self->sms_method = g_strdup (method);
}

gboolean
relay_provider_get_use_authenticate (RelayProvider *self)
{
  g_return_val_if_fail (RELAY_IS_PROVIDER (self), FALSE);

  return self->use_authenticate;
}

void
relay_provider_set_use_authenticate (RelayProvider *self,
                                     gboolean       use_authenticate)
{
  g_return_if_fail (RELAY_IS_PROVIDER (self));

  self->use_authenticate = !!use_authenticate;
}

RelayAuthorizationMode
relay_provider_get_authorization_mode (RelayProvider *self)
{
  g_return_val_if_fail (RELAY_IS_PROVIDER (self), RELAY_AUTHORIZATION_CALLBACK);

  return self->authorization_mode;
}

void
relay_provider_set_authorization_mode (RelayProvider          *self,
                                       RelayAuthorizationMode  mode)
{
  g_return_if_fail (RELAY_IS_PROVIDER (self));

  self->authorization_mode = mode;
}

guint
relay_provider_get_timeout (RelayProvider *self)
{
  g_return_val_if_fail (RELAY_IS_PROVIDER (self), 30);

  return self->timeout;
}

/**
 * relay_provider_set_timeout:
 * @seconds: how long one request may wait for the provider
 */
void
relay_provider_set_timeout (RelayProvider *self,
                            guint          seconds)
{
  g_return_if_fail (RELAY_IS_PROVIDER (self));
  g_return_if_fail (seconds > 0);

  self->timeout = seconds;
}

gboolean
relay_provider_get_basic_auth (RelayProvider *self)
{
  g_return_val_if_fail (RELAY_IS_PROVIDER (self), FALSE);

  return self->basic_auth;
}

/**
 * relay_provider_set_basic_auth:
 *
 * For API-key accounts: send the key and secret as an HTTP Basic header
 * instead of api_key/api_secret parameters.
 */
void
relay_provider_set_basic_auth (RelayProvider *self,
                               gboolean       basic_auth)
{
  g_return_if_fail (RELAY_IS_PROVIDER (self));

  self->basic_auth = !!basic_auth;
}
