/* relay-sandbox-server.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A local Nexmo-compatible provider: OAuth 1.0a token endpoints with an
 * authorize page, the SMS and balance REST calls, and injectable faults.
 * This file owns the object, routing, faults and the shared reply helpers;
 * relay-sandbox-oauth.c and relay-sandbox-sms.c hold the endpoints.
 */

#define G_LOG_DOMAIN "Relay"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "relay-loopback.h"
#include "relay-oauth1-params.h"
#include "relay-sandbox-private.h"

/* Seconds a connection may idle, or take to send one request. */
#define RELAY_SANDBOX_IDLE_TIMEOUT 60

typedef struct
{
  RelaySandboxServer *self;
  SoupServerMessage  *msg;
  GSource            *source;
  gulong              disconnected_id;
} DelayedReply;

G_DEFINE_FINAL_TYPE (RelaySandboxServer, relay_sandbox_server, G_TYPE_OBJECT)

typedef void (*RouteFunc) (RelaySandboxServer *self,
                           SoupServerMessage  *msg);

static void
handle_request_token (RelaySandboxServer *self,
                      SoupServerMessage  *msg)
{
  relay_sandbox_handle_request_token (self, msg, FALSE);
}

static const struct {
  const char *path;
  const char *allow;
  RouteFunc   func;
} routes[] = {
  { "/oauth/request_token", "GET, POST", handle_request_token },
  { "/oauth/authorize", "GET, POST", relay_sandbox_handle_authorize },
  { "/oauth/authenticate", "GET, POST", relay_sandbox_handle_authorize },
  { "/oauth/access_token", "GET, POST", relay_sandbox_handle_access_token },
  { "/sms/json", "GET, POST", relay_sandbox_handle_sms },
  { "/account/get-balance", "GET", relay_sandbox_handle_balance },
  { "/account/get-full-pricing/outbound/sms", "GET", relay_sandbox_handle_full_pricing },
  { "/account/get-pricing/outbound/sms", "GET", relay_sandbox_handle_country_pricing },
  { "/account/get-prefix-pricing/outbound/sms", "GET", relay_sandbox_handle_prefix_pricing },
  { "/account/settings", "POST", relay_sandbox_handle_settings },
  { "/v2/reports/records", "GET", relay_sandbox_handle_reports },
};

/**
 * relay_sandbox_reply:
 *
 * Sets a complete answer; @body is copied.
 */
void
relay_sandbox_reply (SoupServerMessage *msg,
                     guint              status,
                     const char        *content_type,
                     const char        *body)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, strlen (body));
}

/**
 * relay_sandbox_reply_problem:
 * @extra: (nullable): more form-encoded parameters, already encoded
 *
 * The OAuth Problem Reporting answer: `oauth_problem=…&oauth_problem_advice=…`.
 */
void
relay_sandbox_reply_problem (SoupServerMessage *msg,
                             guint              status,
                             const char        *problem,
                             const char        *advice,
                             const char        *extra)
{
  g_autoptr(GPtrArray) params = relay_params_new ();
  g_autofree char *body = NULL;
  g_autofree char *joined = NULL;

  relay_params_add (params, "oauth_problem", problem);
  if (advice != NULL)
    relay_params_add (params, "oauth_problem_advice", advice);
  body = relay_params_to_form (params);
  if (extra != NULL)
    joined = g_strconcat (body, "&", extra, NULL);

  g_debug ("sandbox: %s answered with oauth_problem=%s",
           g_uri_get_path (soup_server_message_get_uri (msg)), problem);
  relay_sandbox_reply (msg, status, RELAY_FORM_CONTENT_TYPE, joined != NULL ? joined : body);
}

gboolean
relay_sandbox_is_form (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *type = soup_message_headers_get_content_type (headers, NULL);

  return type != NULL && g_ascii_strcasecmp (type, RELAY_FORM_CONTENT_TYPE) == 0;
}

/**
 * relay_sandbox_collect_params:
 *
 * Appends the query parameters and, for a form body, the body parameters,
 * each decoded once, in order, duplicates kept.
 */
gboolean
relay_sandbox_collect_params (SoupServerMessage  *msg,
                              GPtrArray          *params,
                              GError            **error)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));

  if (query != NULL && !relay_params_parse_form (params, query, -1, error))
    return FALSE;

  if (relay_sandbox_is_form (msg))
    {
      SoupMessageBody *body = soup_server_message_get_request_body (msg);
      g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
      gsize len;
      const char *data = g_bytes_get_data (bytes, &len);

      if (len > 0 && !relay_params_parse_form (params, data, len, error))
        return FALSE;
    }

  return TRUE;
}

static void
delayed_reply_free (gpointer data)
{
  DelayedReply *delayed = data;

  relay_clock_source_clear (&delayed->source);
  if (delayed->disconnected_id != 0)
    g_signal_handler_disconnect (delayed->msg, delayed->disconnected_id);
  g_object_unref (delayed->msg);
  g_free (delayed);
}

static gboolean
delayed_reply_cb (gpointer data)
{
  DelayedReply *delayed = data;
  SoupServerMessage *msg = g_object_ref (delayed->msg);

  g_clear_pointer (&delayed->source, g_source_unref);
  g_ptr_array_remove_fast (delayed->self->delayed, delayed);
  soup_server_message_unpause (msg);
  g_object_unref (msg);

  return G_SOURCE_REMOVE;
}

static void
delayed_disconnected_cb (SoupServerMessage *msg,
                         DelayedReply      *delayed)
{
  g_ptr_array_remove_fast (delayed->self->delayed, delayed);
}

static void
delay_reply (RelaySandboxServer *self,
             SoupServerMessage  *msg,
             guint               ms)
{
  DelayedReply *delayed = g_new0 (DelayedReply, 1);

  delayed->self = self;
  delayed->msg = g_object_ref (msg);
  delayed->source = relay_clock_timeout_add (self->clock, self->context, (gint64) ms * 1000,
                                             delayed_reply_cb, delayed, NULL);
  delayed->disconnected_id = g_signal_connect (msg, "disconnected",
                                               G_CALLBACK (delayed_disconnected_cb), delayed);
  g_ptr_array_add (self->delayed, delayed);
  soup_server_message_pause (msg);
}

static RelaySandboxFault *
take_fault (RelaySandboxServer *self,
            const char         *path)
{
  for (guint i = 0; i < self->faults->len; i++)
    {
      RelaySandboxFault *fault = g_ptr_array_index (self->faults, i);

      if (fault->remaining == 0 || strcmp (fault->path, path) != 0)
        continue;
      if (fault->remaining > 0)
        fault->remaining--;
      return fault;
    }

  return NULL;
}

static void
truncate_response (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autofree char *content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_body_truncate (body);
  soup_server_message_set_response (msg, content_type != NULL ? content_type : "application/json",
                                    SOUP_MEMORY_COPY, data, len / 2);
}

static gboolean
apply_fault (RelaySandboxServer *self,
             SoupServerMessage  *msg,
             RelaySandboxFault  *fault,
             RouteFunc           func)
{
  g_autofree char *text = NULL;

  g_debug ("sandbox: fault on %s", fault->path);

  switch (fault->kind)
    {
    case RELAY_SANDBOX_FAULT_HTTP_500:
      relay_sandbox_reply (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "text/plain",
                           "Internal Server Error (sandbox fault)\n");
      return TRUE;

    case RELAY_SANDBOX_FAULT_NON_JSON:
      relay_sandbox_reply (msg, SOUP_STATUS_OK, "text/html; charset=utf-8",
                           "<!DOCTYPE html>\n<html><head><title>Maintenance</title></head>"
                           "<body><p>The service is down for maintenance.</p></body></html>\n");
      return TRUE;

    case RELAY_SANDBOX_FAULT_PROBLEM:
      relay_sandbox_reply_problem (msg, SOUP_STATUS_UNAUTHORIZED, fault->problem,
                                   "Injected by a sandbox fault.", NULL);
      return TRUE;

    case RELAY_SANDBOX_FAULT_HTTP_429:
      text = g_strdup_printf ("%u", fault->arg);
      relay_sandbox_reply (msg, 429, "text/plain", "Too Many Requests\n");
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", text);
      return TRUE;

    case RELAY_SANDBOX_FAULT_HTTP_429_DATE:
      {
        g_autoptr(GDateTime) date = g_date_time_new_from_unix_utc (relay_clock_get_real_time (self->clock) / G_USEC_PER_SEC
                                                                   + fault->arg);

        text = soup_date_time_to_string (date, SOUP_DATE_HTTP);
      }
      relay_sandbox_reply (msg, 429, "text/plain", "Too Many Requests\n");
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", text);
      return TRUE;

    case RELAY_SANDBOX_FAULT_HTTP_429_BAD:
      relay_sandbox_reply (msg, 429, "text/plain", "Too Many Requests\n");
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", "soon");
      return TRUE;

    case RELAY_SANDBOX_FAULT_THROTTLE:
      relay_sandbox_reply_throttled (msg, fault->arg);
      return TRUE;

    case RELAY_SANDBOX_FAULT_DELIVERY_FAILED:
    case RELAY_SANDBOX_FAULT_DELIVERY_EXPIRED:
    case RELAY_SANDBOX_FAULT_DELIVERY_REJECTED:
      /* What this request sends ends so, after the delivery delay. */
      self->delivery_outcome = fault->kind == RELAY_SANDBOX_FAULT_DELIVERY_FAILED ? "failed"
                               : fault->kind == RELAY_SANDBOX_FAULT_DELIVERY_EXPIRED ? "expired" : "rejected";
      func (self, msg);
      self->delivery_outcome = NULL;
      return TRUE;

    case RELAY_SANDBOX_FAULT_UNCONFIRMED:
      if (func == handle_request_token)
        {
          relay_sandbox_handle_request_token (self, msg, TRUE);
          return TRUE;
        }
      return FALSE;

    case RELAY_SANDBOX_FAULT_TRUNCATED:
      func (self, msg);
      truncate_response (msg);
      return TRUE;

    case RELAY_SANDBOX_FAULT_SLOW:
      func (self, msg);
      delay_reply (self, msg, fault->arg);
      return TRUE;

    default:
      g_assert_not_reached ();
    }
}

static void
early_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupEncoding encoding = soup_message_headers_get_encoding (headers);

  if (encoding == SOUP_ENCODING_CHUNKED ||
      (encoding == SOUP_ENCODING_CONTENT_LENGTH &&
       soup_message_headers_get_content_length (headers) > RELAY_SANDBOX_MAX_BODY))
    {
      /* Drop the body as it arrives instead of keeping it in memory. */
      soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Connection", "close");
      relay_sandbox_reply (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "text/plain",
                           "Request bodies are limited to 64 KiB and need a Content-Length.\n");
    }
}

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  RelaySandboxServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  RelaySandboxFault *fault;
  guint i;

  if (soup_server_message_get_status (msg) != 0)
    return;

  if (soup_server_message_get_request_body (msg)->length > RELAY_SANDBOX_MAX_BODY)
    {
      relay_sandbox_reply (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "text/plain",
                           "Request bodies are limited to 64 KiB.\n");
      return;
    }

  for (i = 0; i < G_N_ELEMENTS (routes); i++)
    if (strcmp (routes[i].path, path) == 0)
      break;

  if (i == G_N_ELEMENTS (routes))
    {
      relay_sandbox_reply (msg, SOUP_STATUS_NOT_FOUND, "text/plain", "Not Found\n");
      return;
    }

  if (strcmp (method, SOUP_METHOD_GET) != 0 &&
      !(strcmp (method, SOUP_METHOD_POST) == 0 && strstr (routes[i].allow, "POST") != NULL))
    {
      relay_sandbox_reply (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "text/plain",
                           "Method Not Allowed\n");
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Allow", routes[i].allow);
      return;
    }

  g_debug ("sandbox: %s %s", method, path);

  fault = take_fault (self, path);
  if (fault != NULL && apply_fault (self, msg, fault, routes[i].func))
    return;

  routes[i].func (self, msg);
}

static void
relay_sandbox_server_dispose (GObject *object)
{
  RelaySandboxServer *self = (RelaySandboxServer *)object;

  relay_loopback_stop (g_steal_pointer (&self->service));
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_pointer (&self->delayed, g_ptr_array_unref);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (relay_sandbox_server_parent_class)->dispose (object);
}

static void
relay_sandbox_server_finalize (GObject *object)
{
  RelaySandboxServer *self = (RelaySandboxServer *)object;

  g_clear_pointer (&self->tokens, g_hash_table_unref);
  g_clear_pointer (&self->nonces, g_hash_table_unref);
  g_clear_pointer (&self->windows, g_hash_table_unref);
  g_clear_object (&self->clock);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->message_ids, g_hash_table_unref);
  g_clear_pointer (&self->reports, g_hash_table_unref);
  g_clear_pointer (&self->faults, g_ptr_array_unref);
  g_clear_pointer (&self->consumer_key, g_free);
  g_clear_pointer (&self->consumer_secret, g_free);
  g_clear_pointer (&self->api_key, g_free);
  g_clear_pointer (&self->api_secret, g_free);
  g_clear_pointer (&self->signature_secret, g_free);
  g_clear_pointer (&self->messages_path, g_free);
  if (self->messages_fd >= 0)
    close (self->messages_fd);

  G_OBJECT_CLASS (relay_sandbox_server_parent_class)->finalize (object);
}

static void
relay_sandbox_server_class_init (RelaySandboxServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = relay_sandbox_server_dispose;
  object_class->finalize = relay_sandbox_server_finalize;
}

static void
token_free (gpointer data)
{
  RelaySandboxToken *token = data;

  g_free (token->secret);
  g_free (token->callback);
  g_free (token->verifier);
  g_free (token);
}

static void
window_free (gpointer data)
{
  g_queue_free_full (data, g_free);
}

static void
relay_sandbox_server_init (RelaySandboxServer *self)
{
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, token_free);
  self->nonces = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->windows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, window_free);
  self->message_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->reports = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, relay_sandbox_report_free);
  self->delivery_delay = RELAY_SANDBOX_DEFAULT_DELIVERY_DELAY;
  self->faults = g_ptr_array_new_with_free_func (relay_sandbox_fault_free);
  self->delayed = g_ptr_array_new_with_free_func (delayed_reply_free);
  self->consumer_key = g_strdup (RELAY_SANDBOX_DEFAULT_CONSUMER_KEY);
  self->consumer_secret = g_strdup (RELAY_SANDBOX_DEFAULT_CONSUMER_SECRET);
  self->api_key = g_strdup (RELAY_SANDBOX_DEFAULT_API_KEY);
  self->api_secret = g_strdup (RELAY_SANDBOX_DEFAULT_API_SECRET);
  self->rate_limit = RELAY_SANDBOX_DEFAULT_RATE_LIMIT;
  self->clock = g_object_ref (relay_clock_get_default ());
  self->balance = (gint64) (RELAY_SANDBOX_DEFAULT_BALANCE * RELAY_SANDBOX_UNITS_PER_EUR);
  self->messages_fd = -1;
}

/**
 * relay_sandbox_server_new:
 *
 * Creates a sandbox with the default credentials, a rate limit of 30
 * requests per second and a balance of 10 EUR. Call
 * relay_sandbox_server_listen() to serve.
 *
 * Returns: (transfer full): a new #RelaySandboxServer
 */
RelaySandboxServer *
relay_sandbox_server_new (void)
{
  return g_object_new (RELAY_TYPE_SANDBOX_SERVER, NULL);
}

void
relay_sandbox_server_set_consumer (RelaySandboxServer *self,
                                   const char         *key,
                                   const char         *secret)
{
  g_return_if_fail (RELAY_IS_SANDBOX_SERVER (self));
  g_return_if_fail (key != NULL && *key != '\0');
  g_return_if_fail (secret != NULL);

  g_free (self->consumer_key);
  g_free (self->consumer_secret);
  self->consumer_key = g_strdup (key);
  self->consumer_secret = g_strdup (secret);
}

void
relay_sandbox_server_set_api_key (RelaySandboxServer *self,
                                  const char         *key,
                                  const char         *secret)
{
  g_return_if_fail (RELAY_IS_SANDBOX_SERVER (self));
  g_return_if_fail (key != NULL && *key != '\0');
  g_return_if_fail (secret != NULL && *secret != '\0');

  g_free (self->api_key);
  g_free (self->api_secret);
  self->api_key = g_strdup (key);
  self->api_secret = g_strdup (secret);
}

/**
 * relay_sandbox_server_set_delivery_delay:
 * @ms: milliseconds, on the sandbox's clock, from a message's acceptance
 *   to its final delivery status in /v2/reports/records
 */
void
relay_sandbox_server_set_delivery_delay (RelaySandboxServer *self,
                                         guint               ms)
{
  g_return_if_fail (RELAY_IS_SANDBOX_SERVER (self));

  self->delivery_delay = ms;
}

/**
 * relay_sandbox_server_set_rate_limit:
 * @per_second: SMS requests allowed per credential in any one-second
 *   window; 0 for no limit
 */
void
relay_sandbox_server_set_rate_limit (RelaySandboxServer *self,
                                     guint               per_second)
{
  g_return_if_fail (RELAY_IS_SANDBOX_SERVER (self));

  self->rate_limit = per_second;
}

/**
 * relay_sandbox_server_set_clock:
 * @clock: (nullable): where the rate windows and slow faults take their
 *   time from, %NULL for the real clock
 *
 * For tests; set it before listening.
 */
void
relay_sandbox_server_set_clock (RelaySandboxServer *self,
                                RelayClock         *clock)
{
  g_return_if_fail (RELAY_IS_SANDBOX_SERVER (self));

  g_set_object (&self->clock, (clock != NULL ? clock : relay_clock_get_default ()));
  g_hash_table_remove_all (self->windows);
}

void
relay_sandbox_server_set_auto_approve (RelaySandboxServer *self,
                                       gboolean            auto_approve)
{
  g_return_if_fail (RELAY_IS_SANDBOX_SERVER (self));

  self->auto_approve = !!auto_approve;
}

void
relay_sandbox_server_set_auto_deny (RelaySandboxServer *self,
                                    gboolean            auto_deny)
{
  g_return_if_fail (RELAY_IS_SANDBOX_SERVER (self));

  self->auto_deny = !!auto_deny;
}

/**
 * relay_sandbox_server_set_balance:
 * @balance: the account balance in EUR, kept to 1e-8
 */
void
relay_sandbox_server_set_balance (RelaySandboxServer *self,
                                  double              balance)
{
  g_return_if_fail (RELAY_IS_SANDBOX_SERVER (self));
  g_return_if_fail (isfinite (balance) && balance >= 0 && balance < 1e9);

  self->balance = llround (balance * RELAY_SANDBOX_UNITS_PER_EUR);
}

double
relay_sandbox_server_get_balance (RelaySandboxServer *self)
{
  g_return_val_if_fail (RELAY_IS_SANDBOX_SERVER (self), 0);

  return (double) self->balance / RELAY_SANDBOX_UNITS_PER_EUR;
}

static gboolean
open_messages (RelaySandboxServer  *self,
               GError             **error)
{
  int fd;

  if (self->messages_fd >= 0)
    close (self->messages_fd);
  self->messages_fd = -1;

  if (self->messages_path == NULL)
    return TRUE;

  fd = open (self->messages_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Cannot open the messages file “%s”: %s.",
                   self->messages_path, g_strerror (saved));
      return FALSE;
    }

  self->messages_fd = fd;
  return TRUE;
}

/**
 * relay_sandbox_server_set_messages_path:
 * @path: (nullable): a file to append one JSON line per accepted message
 *
 * The file is opened by relay_sandbox_server_listen(), which fails when
 * it cannot be; set while listening, it is opened at once (a failure is
 * logged and the log is off).
 */
void
relay_sandbox_server_set_messages_path (RelaySandboxServer *self,
                                        const char         *path)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (RELAY_IS_SANDBOX_SERVER (self));

  g_free (self->messages_path);
  self->messages_path = g_strdup (path);

  if (self->server != NULL && !open_messages (self, &error))
    g_warning ("%s", error->message);
}

/**
 * relay_sandbox_server_set_legacy:
 *
 * OAuth 1.0 as in the Nexmo PHP sample: no oauth_callback_confirmed, no
 * verifier; the access token only needs an authorized request token.
 */
void
relay_sandbox_server_set_legacy (RelaySandboxServer *self,
                                 gboolean            legacy)
{
  g_return_if_fail (RELAY_IS_SANDBOX_SERVER (self));

  self->legacy = !!legacy;
}

/**
 * relay_sandbox_server_add_fault:
 * @spec: `PATH=KIND[:ARG][@COUNT]`, e.g. `/sms/json=http-500@2`
 * @error: a #GError
 *
 * Returns: %TRUE when @spec was valid and added
 */
gboolean
relay_sandbox_server_add_fault (RelaySandboxServer  *self,
                                const char          *spec,
                                GError             **error)
{
  RelaySandboxFault *fault;

  g_return_val_if_fail (RELAY_IS_SANDBOX_SERVER (self), FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  if (!(fault = relay_sandbox_fault_parse (spec, error)))
    return FALSE;

  g_ptr_array_add (self->faults, fault);

  return TRUE;
}

/**
 * relay_sandbox_server_clear_faults:
 *
 * Removes every fault, used up or not (a test that stopped half-way
 * leaves none behind for the next one).
 */
void
relay_sandbox_server_clear_faults (RelaySandboxServer *self)
{
  g_return_if_fail (RELAY_IS_SANDBOX_SERVER (self));

  g_ptr_array_set_size (self->faults, 0);
}

/**
 * relay_sandbox_server_listen:
 * @port: the port on 127.0.0.1, or 0 for one chosen by the kernel
 * @error: a #GError
 *
 * Opens the messages file (when set) and starts serving on the
 * thread-default main context.
 *
 * Returns: %TRUE on success
 */
gboolean
relay_sandbox_server_listen (RelaySandboxServer  *self,
                             guint                port,
                             GError             **error)
{
  g_autoptr(SoupServer) server = NULL;

  g_return_val_if_fail (RELAY_IS_SANDBOX_SERVER (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);
  g_return_val_if_fail (port <= 65535, FALSE);

  if (!open_messages (self, error))
    return FALSE;

  self->context = g_main_context_ref_thread_default ();
  server = soup_server_new ("server-header", "relay-sandbox ", NULL);
  soup_server_add_early_handler (server, NULL, early_cb, self, NULL);
  soup_server_add_handler (server, NULL, handler_cb, self, NULL);

  if (!(self->service = relay_loopback_serve (server, port, &self->port, error)))
    return FALSE;
  /* Idle and slow connections go, on the real clock: the test clock
   * counts the sandbox's own timeouts. */
  relay_loopback_set_idle_timeout (self->service, server, relay_clock_get_default (), self->context,
                                   RELAY_SANDBOX_IDLE_TIMEOUT);
  relay_loopback_set_clock (self->service, self->clock, self->context);

  self->server = g_steal_pointer (&server);
  g_debug ("sandbox: listening on 127.0.0.1:%u", self->port);

  return TRUE;
}

/**
 * relay_sandbox_server_get_base_uri:
 *
 * Returns: (transfer full) (nullable): "http://127.0.0.1:PORT/", or %NULL
 *   before listening
 */
char *
relay_sandbox_server_get_base_uri (RelaySandboxServer *self)
{
  g_return_val_if_fail (RELAY_IS_SANDBOX_SERVER (self), NULL);

  if (self->server == NULL)
    return NULL;

  return g_strdup_printf ("http://127.0.0.1:%u/", self->port);
}

/**
 * relay_sandbox_server_get_message_count:
 *
 * Returns: the number of messages accepted (one per request, whatever
 *   its number of parts)
 */
guint
relay_sandbox_server_get_message_count (RelaySandboxServer *self)
{
  g_return_val_if_fail (RELAY_IS_SANDBOX_SERVER (self), 0);

  return self->message_count;
}
