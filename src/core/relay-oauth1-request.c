/* relay-oauth1-request.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relay-oauth1-error.h"
#include "relay-oauth1-header.h"
#include "relay-oauth1-params.h"
#include "relay-oauth1-request.h"
#include "relay-oauth1-uri.h"

struct _RelayOAuth1Request
{
  GObject                     parent_instance;

  /* what to sign */
  char                       *method;
  GUri                       *uri;
  char                       *content_type;
  GBytes                     *body;
  GPtrArray                  *form;

  /* credentials and protocol parameters */
  char                       *consumer_key;
  char                       *consumer_secret;
  char                       *token;
  char                       *token_secret;
  char                       *callback;
  char                       *verifier;
  char                       *realm;
  char                       *nonce;
  char                       *timestamp;
  gint64                      clock_offset;
  RelayOAuth1SignatureMethod  signature_method;
  RelayOAuth1Placement        placement;
  guint                       include_version : 1;

  /* results of relay_oauth1_request_sign() */
  GPtrArray                  *oauth_params;
  char                       *base_string;
  char                       *signature;
  char                       *authorization;
  GUri                       *signed_uri;
  GBytes                     *signed_body;
  char                       *used_nonce;
};

G_DEFINE_FINAL_TYPE (RelayOAuth1Request, relay_oauth1_request, G_TYPE_OBJECT)

static void
clear_secret (char **secret)
{
  if (*secret != NULL)
    {
      explicit_bzero (*secret, strlen (*secret));
      g_clear_pointer (secret, g_free);
    }
}

static void
clear_results (RelayOAuth1Request *self)
{
  g_clear_pointer (&self->oauth_params, g_ptr_array_unref);
  g_clear_pointer (&self->base_string, g_free);
  clear_secret (&self->signature);
  clear_secret (&self->authorization);
  g_clear_pointer (&self->signed_uri, g_uri_unref);
  g_clear_pointer (&self->signed_body, g_bytes_unref);
  g_clear_pointer (&self->used_nonce, g_free);
}

static gboolean
is_form_content_type (const char *content_type)
{
  gsize len = strlen (RELAY_FORM_CONTENT_TYPE);

  if (content_type == NULL)
    return FALSE;

  while (*content_type == ' ' || *content_type == '\t')
    content_type++;

  if (g_ascii_strncasecmp (content_type, RELAY_FORM_CONTENT_TYPE, len) != 0)
    return FALSE;

  content_type += len;
  while (*content_type == ' ' || *content_type == '\t')
    content_type++;

  return *content_type == '\0' || *content_type == ';';
}

static void
relay_oauth1_request_finalize (GObject *object)
{
  RelayOAuth1Request *self = (RelayOAuth1Request *)object;

  clear_results (self);
  g_clear_pointer (&self->method, g_free);
  g_clear_pointer (&self->uri, g_uri_unref);
  g_clear_pointer (&self->content_type, g_free);
  g_clear_pointer (&self->body, g_bytes_unref);
  g_clear_pointer (&self->form, g_ptr_array_unref);
  g_clear_pointer (&self->consumer_key, g_free);
  clear_secret (&self->consumer_secret);
  g_clear_pointer (&self->token, g_free);
  clear_secret (&self->token_secret);
  g_clear_pointer (&self->callback, g_free);
  clear_secret (&self->verifier);
  g_clear_pointer (&self->realm, g_free);
  g_clear_pointer (&self->nonce, g_free);
  g_clear_pointer (&self->timestamp, g_free);

  G_OBJECT_CLASS (relay_oauth1_request_parent_class)->finalize (object);
}

static void
relay_oauth1_request_class_init (RelayOAuth1RequestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = relay_oauth1_request_finalize;
}

static void
relay_oauth1_request_init (RelayOAuth1Request *self)
{
  self->signature_method = RELAY_OAUTH1_HMAC_SHA1;
  self->placement = RELAY_OAUTH1_PLACEMENT_HEADER;
}

/**
 * relay_oauth1_request_new:
 * @method: an HTTP method token such as "GET" or "POST"
 * @uri: the absolute URI exactly as it will be sent
 * @error: a #GError
 *
 * Returns: (transfer full) (nullable): a request to sign
 */
RelayOAuth1Request *
relay_oauth1_request_new (const char  *method,
                          const char  *uri,
                          GError     **error)
{
  g_autoptr(RelayOAuth1Request) self = NULL;
  g_autoptr(GUri) parsed = NULL;

  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (uri != NULL, NULL);

  if (*method == '\0' || strspn (method, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") != strlen (method))
    {
      g_autofree char *shown = g_utf8_make_valid (method, -1);

      g_set_error (error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_INVALID_METHOD,
                   _("“%s” is not an HTTP method."), shown);
      return NULL;
    }

  if (!(parsed = relay_oauth1_parse_uri (uri, error)))
    return NULL;

  self = g_object_new (RELAY_TYPE_OAUTH1_REQUEST, NULL);
  self->method = g_ascii_strup (method, -1);
  self->uri = g_steal_pointer (&parsed);

  return g_steal_pointer (&self);
}

#define SETTER(field)                                   \
  g_return_if_fail (RELAY_IS_OAUTH1_REQUEST (self));    \
  clear_secret (&self->field);                          \
  self->field = g_strdup (field)

void
relay_oauth1_request_set_consumer (RelayOAuth1Request *self,
                                   const char         *key,
                                   const char         *secret)
{
  g_return_if_fail (RELAY_IS_OAUTH1_REQUEST (self));

  g_free (self->consumer_key);
  self->consumer_key = g_strdup (key);
  clear_secret (&self->consumer_secret);
  self->consumer_secret = g_strdup (secret);
}

void
relay_oauth1_request_set_token (RelayOAuth1Request *self,
                                const char         *token,
                                const char         *secret)
{
  g_return_if_fail (RELAY_IS_OAUTH1_REQUEST (self));

  g_free (self->token);
  self->token = g_strdup (token);
  clear_secret (&self->token_secret);
  self->token_secret = g_strdup (secret);
}

void
relay_oauth1_request_set_signature_method (RelayOAuth1Request         *self,
                                           RelayOAuth1SignatureMethod  method)
{
  g_return_if_fail (RELAY_IS_OAUTH1_REQUEST (self));

  self->signature_method = method;
}

void
relay_oauth1_request_set_callback (RelayOAuth1Request *self,
                                   const char         *callback)
{
  SETTER (callback);
}

void
relay_oauth1_request_set_verifier (RelayOAuth1Request *self,
                                   const char         *verifier)
{
  SETTER (verifier);
}

void
relay_oauth1_request_set_realm (RelayOAuth1Request *self,
                                const char         *realm)
{
  SETTER (realm);
}

/**
 * relay_oauth1_request_set_nonce:
 *
 * Fixes the nonce, for tests and published vectors; by default every
 * relay_oauth1_request_sign() draws a fresh one from the CSPRNG.
 */
void
relay_oauth1_request_set_nonce (RelayOAuth1Request *self,
                                const char         *nonce)
{
  SETTER (nonce);
}

/**
 * relay_oauth1_request_set_timestamp:
 *
 * Fixes oauth_timestamp; by default it is the current time plus the clock
 * offset.
 */
void
relay_oauth1_request_set_timestamp (RelayOAuth1Request *self,
                                    const char         *timestamp)
{
  SETTER (timestamp);
}

/**
 * relay_oauth1_request_set_clock_offset:
 *
 * Seconds to add to the local clock, learned from a provider that refused
 * a timestamp.
 */
void
relay_oauth1_request_set_clock_offset (RelayOAuth1Request *self,
                                       gint64              seconds)
{
  g_return_if_fail (RELAY_IS_OAUTH1_REQUEST (self));

  self->clock_offset = seconds;
}

void
relay_oauth1_request_set_include_version (RelayOAuth1Request *self,
                                          gboolean            include)
{
  g_return_if_fail (RELAY_IS_OAUTH1_REQUEST (self));

  self->include_version = !!include;
}

void
relay_oauth1_request_set_placement (RelayOAuth1Request   *self,
                                    RelayOAuth1Placement  placement)
{
  g_return_if_fail (RELAY_IS_OAUTH1_REQUEST (self));

  self->placement = placement;
}

static void
wipe_and_free (gpointer data)
{
  explicit_bzero (data, strlen (data));
  g_free (data);
}

/* The body of the parameters added with relay_oauth1_request_add_form(). */
static void
ensure_form_body (RelayOAuth1Request *self)
{
  char *encoded;

  if (self->body != NULL || self->form == NULL)
    return;

  encoded = relay_params_to_form (self->form);
  /* A form body may carry api_secret: wiped when its last user lets go. */
  self->body = g_bytes_new_with_free_func (encoded, strlen (encoded), wipe_and_free, encoded);
}

/**
 * relay_oauth1_request_add_form:
 * @name: the raw (unencoded) name
 * @value: the raw (unencoded) value
 *
 * Appends one parameter to an application/x-www-form-urlencoded body.
 */
void
relay_oauth1_request_add_form (RelayOAuth1Request *self,
                               const char         *name,
                               const char         *value)
{
  g_return_if_fail (RELAY_IS_OAUTH1_REQUEST (self));
  g_return_if_fail (name != NULL);

  if (self->form == NULL)
    self->form = relay_params_new ();
  relay_params_add (self->form, name, value);

  /* Encoded once, when first needed (ensure_form_body()): encoding the
   * whole body again on every add made many parameters quadratic. */
  g_clear_pointer (&self->body, g_bytes_unref);
  g_free (self->content_type);
  self->content_type = g_strdup (RELAY_FORM_CONTENT_TYPE);
}

/**
 * relay_oauth1_request_set_body:
 * @content_type: (nullable): the Content-Type of @body
 * @body: (nullable): the exact body bytes
 *
 * Sets the body as sent. Its parameters are signed only when
 * @content_type is application/x-www-form-urlencoded.
 */
void
relay_oauth1_request_set_body (RelayOAuth1Request *self,
                               const char         *content_type,
                               GBytes             *body)
{
  g_return_if_fail (RELAY_IS_OAUTH1_REQUEST (self));

  g_clear_pointer (&self->form, g_ptr_array_unref);
  g_clear_pointer (&self->body, g_bytes_unref);
  g_free (self->content_type);
  self->content_type = g_strdup (content_type);
  self->body = body != NULL ? g_bytes_ref (body) : NULL;
}

static GPtrArray *
build_oauth_params (RelayOAuth1Request *self)
{
  GPtrArray *params = relay_params_new ();

  relay_params_add (params, "oauth_consumer_key", self->consumer_key);
  if (self->token != NULL && *self->token != '\0')
    relay_params_add (params, "oauth_token", self->token);
  relay_params_add (params, "oauth_signature_method",
                    relay_oauth1_signature_method_to_string (self->signature_method));
  if (self->timestamp != NULL)
    {
      relay_params_add (params, "oauth_timestamp", self->timestamp);
    }
  else
    {
      char now[24];

      g_snprintf (now, sizeof now, "%" G_GINT64_FORMAT, relay_oauth1_now () + self->clock_offset);
      relay_params_add (params, "oauth_timestamp", now);
    }
  relay_params_add (params, "oauth_nonce", self->used_nonce);
  if (self->include_version)
    relay_params_add (params, "oauth_version", "1.0");
  if (self->callback != NULL)
    relay_params_add (params, "oauth_callback", self->callback);
  if (self->verifier != NULL)
    relay_params_add (params, "oauth_verifier", self->verifier);

  return params;
}

static gboolean
collect_request_params (RelayOAuth1Request  *self,
                        GPtrArray           *params,
                        GError             **error)
{
  const char *query = g_uri_get_query (self->uri);
  g_autoptr(GError) local_error = NULL;

  ensure_form_body (self);
  if (query != NULL && !relay_params_parse_form (params, query, -1, &local_error))
    {
      g_set_error (error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_INVALID_URI,
                   _("The query of the URL is not valid: %s"), local_error->message);
      return FALSE;
    }

  if (self->body != NULL && is_form_content_type (self->content_type))
    {
      gsize len;
      const char *data = g_bytes_get_data (self->body, &len);

      if (!relay_params_parse_form (params, data, len, &local_error))
        {
          g_set_error (error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_MALFORMED,
                       _("The form body is not valid: %s"), local_error->message);
          return FALSE;
        }
    }

  /* oauth_signature is never signed, wherever it appears (§3.4.1.3.1). */
  for (guint i = params->len; i > 0; i--)
    {
      const RelayParam *param = g_ptr_array_index (params, i - 1);

      if (strcmp (param->name, "oauth_signature") == 0)
        g_ptr_array_remove_index (params, i - 1);
    }

  return TRUE;
}

static GUri *
uri_with_query (GUri       *uri,
                const char *extra)
{
  const char *query = g_uri_get_query (uri);
  g_autofree char *joined = NULL;

  joined = query != NULL && *query != '\0' ? g_strconcat (query, "&", extra, NULL) : g_strdup (extra);

  return g_uri_build (g_uri_get_flags (uri),
                      g_uri_get_scheme (uri),
                      g_uri_get_userinfo (uri),
                      g_uri_get_host (uri),
                      g_uri_get_port (uri),
                      g_uri_get_path (uri),
                      joined,
                      g_uri_get_fragment (uri));
}

/**
 * relay_oauth1_request_sign:
 * @self: a #RelayOAuth1Request
 * @error: a #GError
 *
 * Collects the query, form-body and protocol parameters, builds the base
 * string, signs it, and places the protocol parameters as configured.
 * Each call uses a fresh nonce unless one was fixed.
 *
 * Returns: %TRUE on success
 */
gboolean
relay_oauth1_request_sign (RelayOAuth1Request  *self,
                           GError             **error)
{
  g_autoptr(GPtrArray) params = NULL;
  g_autoptr(GPtrArray) signed_params = NULL;
  g_autofree char *protocol = NULL;

  g_return_val_if_fail (RELAY_IS_OAUTH1_REQUEST (self), FALSE);

  clear_results (self);

  if (self->consumer_key == NULL || *self->consumer_key == '\0')
    {
      g_set_error (error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_PARAMETER_ABSENT,
                   _("A consumer key is needed to sign a request."));
      return FALSE;
    }

  if (self->placement == RELAY_OAUTH1_PLACEMENT_BODY && !is_form_content_type (self->content_type))
    {
      g_set_error (error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_MALFORMED,
                   _("OAuth parameters can go in the body only of a form-encoded request."));
      return FALSE;
    }

  params = relay_params_new ();
  if (!collect_request_params (self, params, error))
    return FALSE;

  self->used_nonce = self->nonce != NULL ? g_strdup (self->nonce) : relay_oauth1_make_nonce ();
  self->oauth_params = build_oauth_params (self);

  /* Sign over a borrowed view of both lists rather than copies: this is
   * the hot path of every request. */
  signed_params = g_ptr_array_sized_new (params->len + self->oauth_params->len);
  for (guint i = 0; i < params->len; i++)
    g_ptr_array_add (signed_params, g_ptr_array_index (params, i));
  for (guint i = 0; i < self->oauth_params->len; i++)
    g_ptr_array_add (signed_params, g_ptr_array_index (self->oauth_params, i));

  self->base_string = relay_oauth1_base_string (self->method, self->uri, signed_params);
  self->signature = relay_oauth1_sign (self->signature_method, self->base_string,
                                       self->consumer_secret, self->token_secret);
  relay_params_add (self->oauth_params, "oauth_signature", self->signature);

  switch (self->placement)
    {
    case RELAY_OAUTH1_PLACEMENT_HEADER:
      self->authorization = relay_oauth1_build_authorization (self->realm, self->oauth_params);
      break;

    case RELAY_OAUTH1_PLACEMENT_QUERY:
      protocol = relay_params_to_form (self->oauth_params);
      self->signed_uri = uri_with_query (self->uri, protocol);
      break;

    case RELAY_OAUTH1_PLACEMENT_BODY:
      {
        gsize len = 0;
        const char *data = self->body != NULL ? g_bytes_get_data (self->body, &len) : NULL;
        GString *body = g_string_new_len (data, len);

        protocol = relay_params_to_form (self->oauth_params);
        if (body->len > 0)
          g_string_append_c (body, '&');
        g_string_append (body, protocol);
        self->signed_body = g_string_free_to_bytes (body);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  return TRUE;
}

const char *
relay_oauth1_request_get_method (RelayOAuth1Request *self)
{
  g_return_val_if_fail (RELAY_IS_OAUTH1_REQUEST (self), NULL);

  return self->method;
}

/**
 * relay_oauth1_request_get_uri:
 *
 * Returns: (transfer none): the URI to send: after signing with the query
 *   placement it carries the protocol parameters
 */
GUri *
relay_oauth1_request_get_uri (RelayOAuth1Request *self)
{
  g_return_val_if_fail (RELAY_IS_OAUTH1_REQUEST (self), NULL);

  return self->signed_uri != NULL ? self->signed_uri : self->uri;
}

const char *
relay_oauth1_request_get_content_type (RelayOAuth1Request *self)
{
  g_return_val_if_fail (RELAY_IS_OAUTH1_REQUEST (self), NULL);

  return self->content_type;
}

/**
 * relay_oauth1_request_get_body:
 *
 * Returns: (transfer none) (nullable): the body to send
 */
GBytes *
relay_oauth1_request_get_body (RelayOAuth1Request *self)
{
  g_return_val_if_fail (RELAY_IS_OAUTH1_REQUEST (self), NULL);

  ensure_form_body (self);
  return self->signed_body != NULL ? self->signed_body : self->body;
}

const char *
relay_oauth1_request_get_base_string (RelayOAuth1Request *self)
{
  g_return_val_if_fail (RELAY_IS_OAUTH1_REQUEST (self), NULL);

  return self->base_string;
}

const char *
relay_oauth1_request_get_signature (RelayOAuth1Request *self)
{
  g_return_val_if_fail (RELAY_IS_OAUTH1_REQUEST (self), NULL);

  return self->signature;
}

/**
 * relay_oauth1_request_get_authorization:
 *
 * Returns: (nullable): the Authorization header value after signing with
 *   the header placement
 */
const char *
relay_oauth1_request_get_authorization (RelayOAuth1Request *self)
{
  g_return_val_if_fail (RELAY_IS_OAUTH1_REQUEST (self), NULL);

  return self->authorization;
}

/**
 * relay_oauth1_request_get_nonce:
 *
 * Returns: (nullable): the nonce used by the last signature
 */
const char *
relay_oauth1_request_get_nonce (RelayOAuth1Request *self)
{
  g_return_val_if_fail (RELAY_IS_OAUTH1_REQUEST (self), NULL);

  return self->used_nonce;
}

/**
 * relay_oauth1_request_get_oauth_params:
 *
 * Returns: (transfer none) (nullable): the protocol parameters of the last
 *   signature, oauth_signature last
 */
GPtrArray *
relay_oauth1_request_get_oauth_params (RelayOAuth1Request *self)
{
  g_return_val_if_fail (RELAY_IS_OAUTH1_REQUEST (self), NULL);

  return self->oauth_params;
}
