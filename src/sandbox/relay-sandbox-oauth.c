/* relay-sandbox-oauth.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sandbox's OAuth 1.0a side: request verification (signature, nonce,
 * timestamp, token), the token endpoints and the authorize page.
 */

#define G_LOG_DOMAIN "Relay"

#include <string.h>

#include "relay-oauth1-header.h"
#include "relay-oauth1-params.h"
#include "relay-oauth1-signature.h"
#include "relay-oauth1-uri.h"
#include "relay-sandbox-private.h"

#define NONCE_PRUNE_INTERVAL 60

static const char * const protocol_params[] = {
  "oauth_consumer_key", "oauth_token", "oauth_signature_method", "oauth_signature",
  "oauth_timestamp", "oauth_nonce", "oauth_version", "oauth_callback", "oauth_verifier",
};

static const char *
oauth_header (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *header = soup_message_headers_get_one (headers, "Authorization");

  if (header == NULL)
    return NULL;
  while (*header == ' ' || *header == '\t')
    header++;
  if (g_ascii_strncasecmp (header, "OAuth", 5) != 0 ||
      (header[5] != ' ' && header[5] != '\t' && header[5] != '\0'))
    return NULL;

  return header;
}

/**
 * relay_sandbox_basic_credentials:
 * @key: (out): the user part of HTTP Basic credentials
 * @secret: (out): the password part ("" when there is none)
 *
 * Returns: whether @msg came with an `Authorization: Basic` header
 */
gboolean
relay_sandbox_basic_credentials (SoupServerMessage  *msg,
                                 char              **key,
                                 char              **secret)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *header = soup_message_headers_get_one (headers, "Authorization");
  g_autofree guchar *decoded = NULL;
  g_autofree char *text = NULL;
  const char *colon;
  gsize len;

  if (header == NULL || g_ascii_strncasecmp (header, "Basic ", 6) != 0)
    return FALSE;

  decoded = g_base64_decode (header + 6, &len);
  text = g_strndup ((const char *) decoded, len);
  colon = strchr (text, ':');
  *key = colon != NULL ? g_strndup (text, colon - text) : g_strdup (text);
  *secret = g_strdup (colon != NULL ? colon + 1 : "");
  explicit_bzero (text, len);
  if (decoded != NULL)
    explicit_bzero (decoded, len);

  return TRUE;
}

/**
 * relay_sandbox_has_oauth:
 *
 * Returns: %TRUE when the request carries OAuth protocol parameters
 */
gboolean
relay_sandbox_has_oauth (SoupServerMessage *msg,
                         GPtrArray         *params)
{
  return oauth_header (msg) != NULL ||
         relay_params_get (params, "oauth_consumer_key") != NULL ||
         relay_params_get (params, "oauth_signature") != NULL;
}

static gboolean
all_digits (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (; *text != '\0'; text++)
    if (!g_ascii_isdigit (*text))
      return FALSE;
  return TRUE;
}

static void
prune_nonces (RelaySandboxServer *self,
              gint64              now)
{
  GHashTableIter iter;
  gpointer value;

  if (now - self->last_prune < NONCE_PRUNE_INTERVAL)
    return;
  self->last_prune = now;

  g_hash_table_iter_init (&iter, self->nonces);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (GPOINTER_TO_SIZE (value) + RELAY_SANDBOX_TIMESTAMP_SLACK < (gsize) now)
      g_hash_table_iter_remove (&iter);
}

/**
 * relay_sandbox_verify:
 * @params: the query and body parameters; the Authorization header's
 *   protocol parameters are appended to it
 * @need_token: whether an oauth_token of @kind is required
 * @token_out: (out) (optional): the oauth_token when @need_token
 * @http_status: (out): 400 or 401 on failure
 * @advice: (out): oauth_problem_advice on failure
 * @extra: (out): more encoded answer parameters on failure, or %NULL
 *
 * Checks a signed request as RFC 5849 §3.2 asks: each protocol parameter
 * once, a known consumer and signature method, a timestamp within ±300 s,
 * a known token, a valid signature, and a nonce never seen before with
 * the same credentials and timestamp.
 *
 * Returns: %NULL when the request is valid, otherwise the oauth_problem
 */
const char *
relay_sandbox_verify (RelaySandboxServer     *self,
                      SoupServerMessage      *msg,
                      GPtrArray              *params,
                      gboolean                need_token,
                      RelaySandboxTokenKind   kind,
                      char                  **token_out,
                      guint                  *http_status,
                      char                  **advice,
                      char                  **extra)
{
  g_autoptr(GPtrArray) header_params = relay_params_new ();
  g_autoptr(GPtrArray) signed_params = relay_params_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *base_string = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *nonce_key = NULL;
  const char *header = oauth_header (msg);
  const char *consumer_key, *method_name, *signature, *timestamp, *nonce, *version, *token;
  RelaySandboxToken *stored = NULL;
  RelayOAuth1SignatureMethod method;
  gint64 now = relay_oauth1_now ();
  gint64 when;

  *http_status = SOUP_STATUS_UNAUTHORIZED;
  *advice = NULL;
  *extra = NULL;

  if (header != NULL && !relay_oauth1_parse_authorization (header, header_params, NULL, &error))
    {
      *http_status = SOUP_STATUS_BAD_REQUEST;
      *advice = g_strdup (error->message);
      return "parameter_rejected";
    }
  for (guint i = 0; i < header_params->len; i++)
    {
      const RelayParam *param = g_ptr_array_index (header_params, i);

      relay_params_add (params, param->name, param->value);
    }

  for (guint i = 0; i < G_N_ELEMENTS (protocol_params); i++)
    if (relay_params_count (params, protocol_params[i]) > 1)
      {
        *http_status = SOUP_STATUS_BAD_REQUEST;
        *advice = g_strdup_printf ("The request names %s more than once.", protocol_params[i]);
        return "parameter_rejected";
      }

  {
    const char *required[] = { "oauth_consumer_key", "oauth_signature_method", "oauth_signature",
                               "oauth_timestamp", "oauth_nonce", need_token ? "oauth_token" : NULL };

    for (guint i = 0; i < G_N_ELEMENTS (required) && required[i] != NULL; i++)
      if (relay_params_get (params, required[i]) == NULL)
        {
          *advice = g_strdup_printf ("The request lacks %s.", required[i]);
          *extra = g_strdup_printf ("oauth_parameters_absent=%s", required[i]);
          return "parameter_absent";
        }
  }

  consumer_key = relay_params_get (params, "oauth_consumer_key");
  method_name = relay_params_get (params, "oauth_signature_method");
  signature = relay_params_get (params, "oauth_signature");
  timestamp = relay_params_get (params, "oauth_timestamp");
  nonce = relay_params_get (params, "oauth_nonce");
  version = relay_params_get (params, "oauth_version");
  token = relay_params_get (params, "oauth_token");

  if (version != NULL && strcmp (version, "1.0") != 0)
    {
      *http_status = SOUP_STATUS_BAD_REQUEST;
      *advice = g_strdup ("Only OAuth 1.0 (oauth_version=1.0) is supported.");
      *extra = g_strdup ("oauth_acceptable_versions=1.0-1.0");
      return "version_rejected";
    }

  if (!relay_oauth1_signature_method_from_string (method_name, &method))
    {
      *advice = g_strdup ("Use HMAC-SHA1, HMAC-SHA256, HMAC-SHA512 or PLAINTEXT.");
      return "signature_method_rejected";
    }

  if (!relay_constant_time_equal (consumer_key, self->consumer_key))
    {
      *advice = g_strdup ("The consumer key is not registered with this sandbox.");
      return "consumer_key_unknown";
    }

  if (!all_digits (timestamp) || strlen (timestamp) > 12 ||
      (when = g_ascii_strtoll (timestamp, NULL, 10)) < now - RELAY_SANDBOX_TIMESTAMP_SLACK ||
      when > now + RELAY_SANDBOX_TIMESTAMP_SLACK)
    {
      *advice = g_strdup ("The timestamp is more than 300 seconds away from the server's clock.");
      *extra = g_strdup_printf ("oauth_acceptable_timestamps=%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT,
                                now - RELAY_SANDBOX_TIMESTAMP_SLACK,
                                now + RELAY_SANDBOX_TIMESTAMP_SLACK);
      return "timestamp_refused";
    }

  if (need_token)
    {
      stored = g_hash_table_lookup (self->tokens, token);
      if (stored == NULL || stored->kind != kind)
        {
          *advice = g_strdup (kind == RELAY_SANDBOX_TOKEN_ACCESS
                              ? "The access token is unknown; sign in again."
                              : "The request token is unknown.");
          return "token_rejected";
        }
    }

  for (guint i = 0; i < params->len; i++)
    {
      const RelayParam *param = g_ptr_array_index (params, i);

      if (strcmp (param->name, "oauth_signature") != 0)
        relay_params_add (signed_params, param->name, param->value);
    }
  base_string = relay_oauth1_base_string (soup_server_message_get_method (msg),
                                          soup_server_message_get_uri (msg), signed_params);
  expected = relay_oauth1_sign (method, base_string, self->consumer_secret,
                                stored != NULL ? stored->secret : NULL);
  if (!relay_constant_time_equal (signature, expected))
    {
      *advice = g_strdup ("The signature does not match the request.");
      return "signature_invalid";
    }

  nonce_key = g_strdup_printf ("%s&%s&%s&%s", consumer_key, token != NULL ? token : "",
                               timestamp, nonce);
  if (g_hash_table_contains (self->nonces, nonce_key))
    {
      *advice = g_strdup ("This nonce was already used.");
      return "nonce_used";
    }
  prune_nonces (self, now);
  g_hash_table_insert (self->nonces, g_steal_pointer (&nonce_key), GSIZE_TO_POINTER ((gsize) when));

  if (token_out != NULL)
    *token_out = g_strdup (token);

  return NULL;
}

/**
 * relay_sandbox_verify_or_reply:
 *
 * Verifies the request's OAuth signature (and token of @kind when
 * @need_token); when it fails, replies with the problem as Nexmo does.
 *
 * Returns: whether the request may go on
 */
gboolean
relay_sandbox_verify_or_reply (RelaySandboxServer     *self,
                               SoupServerMessage      *msg,
                               GPtrArray              *params,
                               gboolean                need_token,
                               RelaySandboxTokenKind   kind,
                               char                  **token_out)
{
  g_autofree char *advice = NULL;
  g_autofree char *extra = NULL;
  const char *problem;
  guint status;

  problem = relay_sandbox_verify (self, msg, params, need_token, kind, token_out,
                                  &status, &advice, &extra);
  if (problem != NULL)
    {
      relay_sandbox_reply_problem (msg, status, problem, advice, extra);
      return FALSE;
    }

  return TRUE;
}

static gboolean
verify_or_reply (RelaySandboxServer     *self,
                 SoupServerMessage      *msg,
                 GPtrArray              *params,
                 gboolean                need_token,
                 RelaySandboxTokenKind   kind,
                 char                  **token_out)
{
  g_autoptr(GError) error = NULL;

  if (!relay_sandbox_collect_params (msg, params, &error))
    {
      relay_sandbox_reply_problem (msg, SOUP_STATUS_BAD_REQUEST, "parameter_rejected",
                                   error->message, NULL);
      return FALSE;
    }

  return relay_sandbox_verify_or_reply (self, msg, params, need_token, kind, token_out);
}

static gboolean
valid_callback (const char *callback)
{
  g_autoptr(GUri) uri = g_uri_parse (callback, G_URI_FLAGS_ENCODED, NULL);

  return uri != NULL &&
         (g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0 ||
          g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0) &&
         g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0';
}

static void
reply_token (SoupServerMessage *msg,
             const char        *token,
             const char        *secret,
             gboolean           confirmed)
{
  g_autoptr(GPtrArray) answer = relay_params_new ();
  g_autofree char *body = NULL;

  relay_params_add (answer, "oauth_token", token);
  relay_params_add (answer, "oauth_token_secret", secret);
  if (confirmed)
    relay_params_add (answer, "oauth_callback_confirmed", "true");
  body = relay_params_to_form (answer);
  relay_sandbox_reply (msg, SOUP_STATUS_OK, RELAY_FORM_CONTENT_TYPE, body);
}

void
relay_sandbox_handle_request_token (RelaySandboxServer *self,
                                    SoupServerMessage  *msg,
                                    gboolean            unconfirmed)
{
  g_autoptr(GPtrArray) params = relay_params_new ();
  RelaySandboxToken *token;
  const char *callback;
  char *key;

  if (!verify_or_reply (self, msg, params, FALSE, RELAY_SANDBOX_TOKEN_REQUEST, NULL))
    return;

  callback = relay_params_get (params, "oauth_callback");
  if (callback == NULL && !self->legacy)
    {
      relay_sandbox_reply_problem (msg, SOUP_STATUS_UNAUTHORIZED, "parameter_absent",
                                   "A request token needs oauth_callback (a URL or oob).",
                                   "oauth_parameters_absent=oauth_callback");
      return;
    }

  if (callback != NULL && strcmp (callback, "oob") != 0 && !valid_callback (callback))
    {
      relay_sandbox_reply_problem (msg, SOUP_STATUS_BAD_REQUEST, "parameter_rejected",
                                   "oauth_callback must be an absolute http(s) URL or oob.", NULL);
      return;
    }

  token = g_new0 (RelaySandboxToken, 1);
  token->kind = RELAY_SANDBOX_TOKEN_REQUEST;
  token->state = RELAY_SANDBOX_TOKEN_PENDING;
  token->secret = relay_oauth1_make_nonce ();
  token->callback = g_strdup (callback);
  key = relay_oauth1_make_nonce ();
  g_hash_table_insert (self->tokens, key, token);

  g_debug ("sandbox: issued a request token");
  reply_token (msg, key, token->secret, !self->legacy && !unconfirmed);
}

void
relay_sandbox_handle_access_token (RelaySandboxServer *self,
                                   SoupServerMessage  *msg)
{
  g_autoptr(GPtrArray) params = relay_params_new ();
  g_autofree char *request_token = NULL;
  RelaySandboxToken *token;
  RelaySandboxToken *access;
  const char *verifier;
  char *key;

  if (!verify_or_reply (self, msg, params, TRUE, RELAY_SANDBOX_TOKEN_REQUEST, &request_token))
    return;

  token = g_hash_table_lookup (self->tokens, request_token);
  g_assert (token != NULL);

  switch (token->state)
    {
    case RELAY_SANDBOX_TOKEN_PENDING:
      relay_sandbox_reply_problem (msg, SOUP_STATUS_UNAUTHORIZED, "token_rejected",
                                   "The request token has not been authorized.", NULL);
      return;

    case RELAY_SANDBOX_TOKEN_DENIED:
      relay_sandbox_reply_problem (msg, SOUP_STATUS_UNAUTHORIZED, "token_rejected",
                                   "The user denied access.", NULL);
      return;

    case RELAY_SANDBOX_TOKEN_USED:
      relay_sandbox_reply_problem (msg, SOUP_STATUS_UNAUTHORIZED, "token_rejected",
                                   "The request token was already exchanged.", NULL);
      return;

    case RELAY_SANDBOX_TOKEN_AUTHORIZED:
    default:
      break;
    }

  if (!self->legacy)
    {
      verifier = relay_params_get (params, "oauth_verifier");
      if (verifier == NULL)
        {
          relay_sandbox_reply_problem (msg, SOUP_STATUS_UNAUTHORIZED, "parameter_absent",
                                       "The access token request lacks oauth_verifier.",
                                       "oauth_parameters_absent=oauth_verifier");
          return;
        }

      /* A wrong verifier burns the request token: no guessing. */
      if (!relay_constant_time_equal (verifier, token->verifier))
        {
          token->state = RELAY_SANDBOX_TOKEN_USED;
          relay_sandbox_reply_problem (msg, SOUP_STATUS_UNAUTHORIZED, "verifier_invalid",
                                       "The verifier does not match; start again.", NULL);
          return;
        }
    }

  token->state = RELAY_SANDBOX_TOKEN_USED;

  access = g_new0 (RelaySandboxToken, 1);
  access->kind = RELAY_SANDBOX_TOKEN_ACCESS;
  access->state = RELAY_SANDBOX_TOKEN_AUTHORIZED;
  access->secret = relay_oauth1_make_nonce ();
  key = relay_oauth1_make_nonce ();
  g_hash_table_insert (self->tokens, key, access);

  g_debug ("sandbox: issued an access token");
  reply_token (msg, key, access->secret, FALSE);
}

static void
reply_page (SoupServerMessage *msg,
            guint              status,
            const char        *title,
            const char        *content)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autofree char *page = NULL;

  page = g_strdup_printf ("<!DOCTYPE html>\n"
                          "<html lang=\"en\">\n"
                          "<head>\n"
                          "<meta charset=\"utf-8\">\n"
                          "<meta name=\"viewport\" content=\"width=device-width\">\n"
                          "<title>%s</title>\n"
                          "<style>\n"
                          "body { font-family: Cantarell, sans-serif; max-width: 32em; margin: 4em auto; padding: 0 1em; }\n"
                          "button { font-size: 1em; padding: .5em 1.5em; margin-right: .5em; }\n"
                          "#authorize { background: #3584e4; color: white; border: none; border-radius: 6px; }\n"
                          "code { font-size: 1.4em; user-select: all; }\n"
                          "</style>\n"
                          "</head>\n"
                          "<body>\n"
                          "<h1>%s</h1>\n"
                          "%s"
                          "<p><small>Relay sandbox — a local Nexmo-compatible provider.</small></p>\n"
                          "</body>\n"
                          "</html>\n",
                          title, title, content);

  relay_sandbox_reply (msg, status, "text/html; charset=utf-8", page);
  soup_message_headers_replace (headers, "Content-Security-Policy",
                                "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
  soup_message_headers_replace (headers, "X-Frame-Options", "DENY");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
}

static void
reply_authorize_form (SoupServerMessage *msg,
                      const char        *path,
                      const char        *token)
{
  g_autofree char *escaped = g_markup_escape_text (token, -1);
  g_autofree char *content = NULL;

  content = g_strdup_printf ("<p><strong>Relay</strong> asks to send SMS and read the balance "
                             "of your Nexmo sandbox account.</p>\n"
                             "<form method=\"post\" action=\"%s\">\n"
                             "<input type=\"hidden\" name=\"oauth_token\" value=\"%s\">\n"
                             "<button id=\"authorize\" name=\"action\" value=\"authorize\" type=\"submit\">Authorize</button>\n"
                             "<button id=\"deny\" name=\"action\" value=\"deny\" type=\"submit\">Deny</button>\n"
                             "</form>\n",
                             path, escaped);
  reply_page (msg, SOUP_STATUS_OK, "Authorize Relay", content);
}

static char *
callback_with (const char *callback,
               GPtrArray  *extra)
{
  g_autoptr(GUri) uri = g_uri_parse (callback, G_URI_FLAGS_ENCODED, NULL);
  g_autoptr(GUri) joined = NULL;
  g_autofree char *encoded = relay_params_to_form (extra);
  g_autofree char *query = NULL;
  const char *old = g_uri_get_query (uri);

  query = old != NULL && *old != '\0' ? g_strconcat (old, "&", encoded, NULL) : g_strdup (encoded);
  joined = g_uri_build (g_uri_get_flags (uri), g_uri_get_scheme (uri), g_uri_get_userinfo (uri),
                        g_uri_get_host (uri), g_uri_get_port (uri), g_uri_get_path (uri),
                        query, g_uri_get_fragment (uri));

  return g_uri_to_string (joined);
}

static void
finish_authorize (RelaySandboxServer *self,
                  SoupServerMessage  *msg,
                  const char         *key,
                  RelaySandboxToken  *token,
                  gboolean            approve)
{
  g_autoptr(GPtrArray) extra = relay_params_new ();
  g_autofree char *location = NULL;
  gboolean oob = token->callback == NULL || strcmp (token->callback, "oob") == 0;

  token->state = approve ? RELAY_SANDBOX_TOKEN_AUTHORIZED : RELAY_SANDBOX_TOKEN_DENIED;
  if (approve && !self->legacy)
    token->verifier = relay_oauth1_make_nonce ();

  g_debug ("sandbox: request token %s", approve ? "authorized" : "denied");

  if (oob)
    {
      g_autofree char *content = NULL;

      if (!approve)
        reply_page (msg, SOUP_STATUS_OK, "Access denied",
                    "<p>You denied Relay access. You can close this page.</p>\n");
      else if (self->legacy)
        reply_page (msg, SOUP_STATUS_OK, "Relay is authorized",
                    "<p>You can close this page and return to Relay.</p>\n");
      else
        {
          content = g_strdup_printf ("<p>Enter this code in Relay to finish signing in:</p>\n"
                                     "<p><code id=\"verifier\">%s</code></p>\n", token->verifier);
          reply_page (msg, SOUP_STATUS_OK, "Relay is authorized", content);
        }
      return;
    }

  if (approve)
    {
      relay_params_add (extra, "oauth_token", key);
      if (!self->legacy)
        relay_params_add (extra, "oauth_verifier", token->verifier);
    }
  else
    {
      relay_params_add (extra, "denied", key);
    }

  location = callback_with (token->callback, extra);
  soup_server_message_set_redirect (msg, SOUP_STATUS_SEE_OTHER, location);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
}

void
relay_sandbox_handle_authorize (RelaySandboxServer *self,
                                SoupServerMessage  *msg)
{
  g_autoptr(GPtrArray) params = relay_params_new ();
  g_autoptr(GError) error = NULL;
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  gboolean post = strcmp (soup_server_message_get_method (msg), SOUP_METHOD_POST) == 0;
  RelaySandboxToken *token;
  const char *key;
  const char *action;
  const char *callback;

  if (!relay_sandbox_collect_params (msg, params, &error) ||
      relay_params_count (params, "oauth_token") != 1)
    {
      reply_page (msg, SOUP_STATUS_BAD_REQUEST, "Invalid request",
                  "<p>This page needs exactly one oauth_token.</p>\n");
      return;
    }

  key = relay_params_get (params, "oauth_token");
  token = g_hash_table_lookup (self->tokens, key);
  if (token == NULL || token->kind != RELAY_SANDBOX_TOKEN_REQUEST)
    {
      reply_page (msg, SOUP_STATUS_BAD_REQUEST, "Unknown request",
                  "<p>This authorization request is unknown or has expired. "
                  "Start signing in again from Relay.</p>\n");
      return;
    }

  if (token->state != RELAY_SANDBOX_TOKEN_PENDING)
    {
      reply_page (msg, SOUP_STATUS_BAD_REQUEST, "Already answered",
                  "<p>This authorization request was already answered.</p>\n");
      return;
    }

  /* OAuth 1.0 clients name the callback here rather than at request_token. */
  callback = relay_params_get (params, "oauth_callback");
  if (self->legacy && token->callback == NULL && callback != NULL && valid_callback (callback))
    token->callback = g_strdup (callback);

  if (!post)
    {
      if (self->auto_deny)
        finish_authorize (self, msg, key, token, FALSE);
      else if (self->auto_approve)
        finish_authorize (self, msg, key, token, TRUE);
      else
        reply_authorize_form (msg, path, key);
      return;
    }

  action = relay_params_get (params, "action");
  if (g_strcmp0 (action, "authorize") == 0)
    finish_authorize (self, msg, key, token, TRUE);
  else if (g_strcmp0 (action, "deny") == 0)
    finish_authorize (self, msg, key, token, FALSE);
  else
    reply_page (msg, SOUP_STATUS_BAD_REQUEST, "Invalid request",
                "<p>Choose Authorize or Deny.</p>\n");
}
