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
  char                       *reports_base;
  char                       *token_method;
  char                       *sms_method;
  RelayOAuth1SignatureMethod  signature_method;
  RelayAuthorizationMode      authorization_mode;
  guint                       timeout;
  guint                       use_authenticate : 1;
  guint                       basic_auth : 1;
};

G_DEFINE_FINAL_TYPE (RelayProvider, relay_provider, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_OAUTH_BASE,
  PROP_REST_BASE,
  PROP_REPORTS_BASE,
  PROP_TOKEN_METHOD,
  PROP_SMS_METHOD,
  PROP_SIGNATURE_METHOD,
  PROP_AUTHORIZATION_MODE,
  PROP_TIMEOUT,
  PROP_USE_AUTHENTICATE,
  PROP_BASIC_AUTH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The nicks are the values of the GSettings keys, so that
 * g_settings_bind() maps them without a mapping function. */
GType
relay_oauth1_signature_method_get_type (void)
{
  static gsize type_id;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { RELAY_OAUTH1_HMAC_SHA1, "RELAY_OAUTH1_HMAC_SHA1", "HMAC-SHA1" },
        { RELAY_OAUTH1_HMAC_SHA256, "RELAY_OAUTH1_HMAC_SHA256", "HMAC-SHA256" },
        { RELAY_OAUTH1_HMAC_SHA512, "RELAY_OAUTH1_HMAC_SHA512", "HMAC-SHA512" },
        { RELAY_OAUTH1_PLAINTEXT, "RELAY_OAUTH1_PLAINTEXT", "PLAINTEXT" },
        { 0, NULL, NULL }
      };
      GType type = g_enum_register_static (g_intern_static_string ("RelayOAuth1SignatureMethod"), values);

      g_once_init_leave (&type_id, type);
    }

  return type_id;
}

GType
relay_authorization_mode_get_type (void)
{
  static gsize type_id;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { RELAY_AUTHORIZATION_CALLBACK, "RELAY_AUTHORIZATION_CALLBACK", "callback" },
        { RELAY_AUTHORIZATION_OOB, "RELAY_AUTHORIZATION_OOB", "oob" },
        { RELAY_AUTHORIZATION_LEGACY, "RELAY_AUTHORIZATION_LEGACY", "legacy" },
        { 0, NULL, NULL }
      };
      GType type = g_enum_register_static (g_intern_static_string ("RelayAuthorizationMode"), values);

      g_once_init_leave (&type_id, type);
    }

  return type_id;
}

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
  g_clear_pointer (&self->reports_base, g_free);
  g_clear_pointer (&self->token_method, g_free);
  g_clear_pointer (&self->sms_method, g_free);

  G_OBJECT_CLASS (relay_provider_parent_class)->finalize (object);
}

static void
relay_provider_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  RelayProvider *self = RELAY_PROVIDER (object);

  switch (prop_id)
    {
    case PROP_OAUTH_BASE:
      g_value_set_string (value, self->oauth_base);
      break;

    case PROP_REST_BASE:
      g_value_set_string (value, self->rest_base);
      break;

    case PROP_REPORTS_BASE:
      g_value_set_string (value, self->reports_base);
      break;

    case PROP_TOKEN_METHOD:
      g_value_set_string (value, self->token_method);
      break;

    case PROP_SMS_METHOD:
      g_value_set_string (value, self->sms_method);
      break;

    case PROP_SIGNATURE_METHOD:
      g_value_set_enum (value, self->signature_method);
      break;

    case PROP_AUTHORIZATION_MODE:
      g_value_set_enum (value, self->authorization_mode);
      break;

    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;

    case PROP_USE_AUTHENTICATE:
      g_value_set_boolean (value, self->use_authenticate);
      break;

    case PROP_BASIC_AUTH:
      g_value_set_boolean (value, self->basic_auth);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_provider_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  RelayProvider *self = RELAY_PROVIDER (object);

  switch (prop_id)
    {
    case PROP_OAUTH_BASE:
      relay_provider_set_oauth_base (self, g_value_get_string (value));
      break;

    case PROP_REST_BASE:
      relay_provider_set_rest_base (self, g_value_get_string (value));
      break;

    case PROP_REPORTS_BASE:
      relay_provider_set_reports_base (self, g_value_get_string (value));
      break;

    case PROP_TOKEN_METHOD:
      relay_provider_set_token_method (self, g_value_get_string (value));
      break;

    case PROP_SMS_METHOD:
      relay_provider_set_sms_method (self, g_value_get_string (value));
      break;

    case PROP_SIGNATURE_METHOD:
      relay_provider_set_signature_method (self, g_value_get_enum (value));
      break;

    case PROP_AUTHORIZATION_MODE:
      relay_provider_set_authorization_mode (self, g_value_get_enum (value));
      break;

    case PROP_TIMEOUT:
      relay_provider_set_timeout (self, g_value_get_uint (value));
      break;

    case PROP_USE_AUTHENTICATE:
      relay_provider_set_use_authenticate (self, g_value_get_boolean (value));
      break;

    case PROP_BASIC_AUTH:
      relay_provider_set_basic_auth (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_provider_class_init (RelayProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = relay_provider_finalize;
  object_class->get_property = relay_provider_get_property;
  object_class->set_property = relay_provider_set_property;

  /**
   * RelayProvider:oauth-base:
   *
   * The base URL of the OAuth endpoints, with a trailing slash; an
   * empty value means Nexmo's.
   */
  properties[PROP_OAUTH_BASE] =
    g_param_spec_string ("oauth-base", NULL, NULL,
                         RELAY_NEXMO_OAUTH_BASE,
                         (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  /**
   * RelayProvider:rest-base:
   *
   * The base URL of the REST API, without a trailing slash; an empty
   * value means Nexmo's.
   */
  properties[PROP_REST_BASE] =
    g_param_spec_string ("rest-base", NULL, NULL,
                         RELAY_NEXMO_REST_BASE,
                         (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  /**
   * RelayProvider:reports-base:
   *
   * The base URL of the Reports API (delivery status), without a
   * trailing slash; an empty value means Nexmo's.
   */
  properties[PROP_REPORTS_BASE] =
    g_param_spec_string ("reports-base", NULL, NULL,
                         RELAY_NEXMO_REPORTS_BASE,
                         (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  /**
   * RelayProvider:token-method:
   *
   * "POST" or "GET", for the request- and access-token calls.
   */
  properties[PROP_TOKEN_METHOD] =
    g_param_spec_string ("token-method", NULL, NULL,
                         "POST",
                         (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  /**
   * RelayProvider:sms-method:
   *
   * "POST" or "GET", for sending SMS (the "request-method" key).
   */
  properties[PROP_SMS_METHOD] =
    g_param_spec_string ("sms-method", NULL, NULL,
                         "POST",
                         (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  /**
   * RelayProvider:signature-method:
   *
   * How requests are signed; the nicks are the "signature-method" key's
   * values.
   */
  properties[PROP_SIGNATURE_METHOD] =
    g_param_spec_enum ("signature-method", NULL, NULL,
                       RELAY_TYPE_OAUTH1_SIGNATURE_METHOD,
                       RELAY_OAUTH1_HMAC_SHA1,
                       (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  /**
   * RelayProvider:authorization-mode:
   *
   * How the verifier comes back; the nicks are the
   * "authorization-mode" key's values.
   */
  properties[PROP_AUTHORIZATION_MODE] =
    g_param_spec_enum ("authorization-mode", NULL, NULL,
                       RELAY_TYPE_AUTHORIZATION_MODE,
                       RELAY_AUTHORIZATION_CALLBACK,
                       (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  /**
   * RelayProvider:timeout:
   *
   * How many seconds one request may wait for the provider. Clients
   * made for this provider follow a change at once.
   */
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       1, G_MAXUINT, 30,
                       (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  /**
   * RelayProvider:use-authenticate:
   *
   * Whether the browser opens "authenticate" instead of "authorize".
   */
  properties[PROP_USE_AUTHENTICATE] =
    g_param_spec_boolean ("use-authenticate", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  /**
   * RelayProvider:basic-auth:
   *
   * Whether API-key accounts send their key and secret as an HTTP
   * Basic header.
   */
  properties[PROP_BASIC_AUTH] =
    g_param_spec_boolean ("basic-auth", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
relay_provider_init (RelayProvider *self)
{
  self->token_method = g_strdup ("POST");
  self->sms_method = g_strdup ("POST");
  self->signature_method = RELAY_OAUTH1_HMAC_SHA1;
  self->authorization_mode = RELAY_AUTHORIZATION_CALLBACK;
  self->timeout = 30;
  self->oauth_base = g_strdup (RELAY_NEXMO_OAUTH_BASE);
  self->rest_base = g_strdup (RELAY_NEXMO_REST_BASE);
  self->reports_base = g_strdup (RELAY_NEXMO_REPORTS_BASE);
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

  relay_provider_set_oauth_base (self, oauth_base);
  relay_provider_set_rest_base (self, rest_base);

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

  copy = g_object_new (RELAY_TYPE_PROVIDER, NULL);
  g_free (copy->oauth_base);
  copy->oauth_base = g_strdup (self->oauth_base);
  g_free (copy->rest_base);
  copy->rest_base = g_strdup (self->rest_base);
  g_free (copy->reports_base);
  copy->reports_base = g_strdup (self->reports_base);
  g_free (copy->token_method);
  copy->token_method = g_strdup (self->token_method);
  g_free (copy->sms_method);
  copy->sms_method = g_strdup (self->sms_method);
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
 * All three bases must be absolute http(s) URLs, and https unless the host is
 * loopback.
 *
 * Returns: %TRUE when the profile is usable
 */
gboolean
relay_provider_validate (RelayProvider  *self,
                         GError        **error)
{
  const char *bases[] = { self->oauth_base, self->rest_base, self->reports_base };

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
 * relay_provider_set_oauth_base:
 * @oauth_base: (nullable): base URL of the OAuth endpoints, or %NULL or
 *   "" for Nexmo's
 */
void
relay_provider_set_oauth_base (RelayProvider *self,
                               const char    *oauth_base)
{
  g_autofree char *base = NULL;

  g_return_if_fail (RELAY_IS_PROVIDER (self));

  base = with_trailing_slash (oauth_base != NULL && *oauth_base != '\0'
                              ? oauth_base : RELAY_NEXMO_OAUTH_BASE);
  if (g_strcmp0 (base, self->oauth_base) == 0)
    return;

  g_free (self->oauth_base);
  self->oauth_base = g_steal_pointer (&base);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OAUTH_BASE]);
}

/**
 * relay_provider_set_rest_base:
 * @rest_base: (nullable): base URL of the REST API, or %NULL or "" for
 *   Nexmo's
 */
void
relay_provider_set_rest_base (RelayProvider *self,
                              const char    *rest_base)
{
  g_autofree char *base = NULL;

  g_return_if_fail (RELAY_IS_PROVIDER (self));

  base = without_trailing_slash (rest_base != NULL && *rest_base != '\0'
                                 ? rest_base : RELAY_NEXMO_REST_BASE);
  if (g_strcmp0 (base, self->rest_base) == 0)
    return;

  g_free (self->rest_base);
  self->rest_base = g_steal_pointer (&base);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REST_BASE]);
}

const char *
relay_provider_get_reports_base (RelayProvider *self)
{
  g_return_val_if_fail (RELAY_IS_PROVIDER (self), NULL);

  return self->reports_base;
}

/**
 * relay_provider_set_reports_base:
 * @reports_base: (nullable): base URL of the Reports API, or %NULL or ""
 *   for Nexmo's
 */
void
relay_provider_set_reports_base (RelayProvider *self,
                                 const char    *reports_base)
{
  g_autofree char *base = NULL;

  g_return_if_fail (RELAY_IS_PROVIDER (self));

  base = without_trailing_slash (reports_base != NULL && *reports_base != '\0'
                                 ? reports_base : RELAY_NEXMO_REPORTS_BASE);
  if (g_strcmp0 (base, self->reports_base) == 0)
    return;

  g_free (self->reports_base);
  self->reports_base = g_steal_pointer (&base);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORTS_BASE]);
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

  if (self->signature_method == method)
    return;

  self->signature_method = method;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNATURE_METHOD]);
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

  if (g_strcmp0 (self->token_method, method) == 0)
    return;

  g_free (self->token_method);
  self->token_method = g_strdup (method);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN_METHOD]);
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

  if (g_strcmp0 (self->sms_method, method) == 0)
    return;

  g_free (self->sms_method);
  self->sms_method = g_strdup (method);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SMS_METHOD]);
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

  use_authenticate = !!use_authenticate;
  if (self->use_authenticate == (guint) use_authenticate)
    return;

  self->use_authenticate = use_authenticate;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USE_AUTHENTICATE]);
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

  if (self->authorization_mode == mode)
    return;

  self->authorization_mode = mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTHORIZATION_MODE]);
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

  if (self->timeout == seconds)
    return;

  self->timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
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

  basic_auth = !!basic_auth;
  if (self->basic_auth == (guint) basic_auth)
    return;

  self->basic_auth = basic_auth;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASIC_AUTH]);
}
