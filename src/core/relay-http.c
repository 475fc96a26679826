/* relay-http.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relay-clock.h"
#include "relay-http.h"
#include "relay-proxy-resolver.h"
#include "relay-oauth1-error.h"
#include "relay-oauth1-params.h"
#include "relay-oauth1-token.h"
#include "relay-oauth1-uri.h"

#define READ_CHUNK 16384

G_DEFINE_QUARK (relay-http-error-quark, relay_http_error)

typedef struct
{
  SoupMessage  *message;
  GInputStream *stream;
  GByteArray   *body;
  gsize         max_body;
  /* oauth_acceptable_timestamps of a timestamp_refused answer, or 0 */
  gint64        acceptable_from;
  gint64        acceptable_to;
  /* The whole request's deadline, on the session's clock: libsoup's
   * timeout restarts with every byte, so a provider that drips its
   * answer would hold the request for ever. */
  GSource      *deadline;
  guint         deadline_seconds;
  gboolean      timed_out;
  /* Cancelled by the caller's cancellable or by the deadline. */
  GCancellable *cancellable;
  GCancellable *caller_cancellable;
  gulong        cancel_id;
  /* Whether the whole request went out (SoupMessage::wrote-body): the
   * provider may have acted on it, whatever happens afterwards. */
  gboolean      written;
  gulong        wrote_body_id;
} SendData;

/* A Basic Authorization header holds the API secret (base64 is no
 * cover): once the request is over, nothing of it stays in memory. */
static void
wipe_authorization (SoupMessage *message)
{
  SoupMessageHeaders *headers;
  const char *value;

  if (message == NULL)
    return;

  headers = soup_message_get_request_headers (message);
  value = soup_message_headers_get_one (headers, "Authorization");
  if (value != NULL && g_ascii_strncasecmp (value, "Basic ", 6) == 0)
    {
      explicit_bzero ((char *) value, strlen (value));
      soup_message_headers_remove (headers, "Authorization");
    }
}

static void
send_data_free (SendData *data)
{
  relay_clock_source_clear (&data->deadline);
  if (data->caller_cancellable != NULL)
    g_cancellable_disconnect (data->caller_cancellable, data->cancel_id);
  g_clear_object (&data->caller_cancellable);
  g_clear_object (&data->cancellable);
  g_clear_signal_handler (&data->wrote_body_id, data->message);
  wipe_authorization (data->message);
  g_clear_object (&data->message);
  g_clear_object (&data->stream);
  g_clear_pointer (&data->body, g_byte_array_unref);
  g_free (data);
}

static char *
describe_host (SoupMessage *message)
{
  GUri *uri = soup_message_get_uri (message);

  if (g_uri_get_port (uri) > 0)
    return g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));

  return g_strdup (g_uri_get_host (uri));
}

/* Turns a transport failure into one sentence for people, saying
 * whether the request went out: "Could not reach" only when it did not,
 * since a request that was written may have been acted on, and sending
 * it again could send (and charge) twice. */
static GError *
map_transport_error (SendData *data,
                     GError   *error)
{
  SoupMessage *message = data->message;
  g_autofree char *host = describe_host (message);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && !data->timed_out)
    return g_error_copy (error);

  if (data->timed_out || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      guint seconds = data->deadline_seconds;

      if (data->written)
        return g_error_new (RELAY_HTTP_ERROR, RELAY_HTTP_ERROR_TIMEOUT,
                            g_dngettext (GETTEXT_PACKAGE,
                                         "%s received the request but did not answer in time (%u second); it may have been acted on.",
                                         "%s received the request but did not answer in time (%u seconds); it may have been acted on.",
                                         seconds),
                            host, seconds);
      return g_error_new (RELAY_HTTP_ERROR, RELAY_HTTP_ERROR_TIMEOUT,
                          g_dngettext (GETTEXT_PACKAGE,
                                       "%s did not take the request in time (%u second); it was not sent.",
                                       "%s did not take the request in time (%u seconds); it was not sent.",
                                       seconds),
                          host, seconds);
    }

  if (error->domain == G_TLS_ERROR || soup_message_get_tls_peer_certificate_errors (message) != 0)
    return g_error_new (RELAY_HTTP_ERROR, RELAY_HTTP_ERROR_TLS,
                        _("The certificate of %s is not trusted, so Relay did not send anything to it."),
                        host);

  if (data->written)
    return g_error_new (RELAY_HTTP_ERROR, RELAY_HTTP_ERROR_NO_ANSWER,
                        _("%s received the request, but its answer could not be read (%s); it may have been acted on."),
                        host, error->message);

  return g_error_new (RELAY_HTTP_ERROR, RELAY_HTTP_ERROR_UNREACHABLE,
                      _("Could not reach %s: %s"), host, error->message);
}

/* Turns a non-2xx answer into one sentence; oauth_problem answers become
 * RELAY_OAUTH1_ERROR with the problem's code. */
static GError *
map_status (SoupMessage *message,
            GByteArray  *body)
{
  guint status = soup_message_get_status (message);
  g_autoptr(RelayOAuth1Problem) problem = NULL;
  g_autofree char *host = describe_host (message);

  if (body != NULL && body->len > 0)
    problem = relay_oauth1_problem_parse ((const char *) body->data, body->len);
  if (problem != NULL)
    return relay_oauth1_problem_to_error (problem);

  if (SOUP_STATUS_IS_REDIRECTION (status))
    return g_error_new (RELAY_HTTP_ERROR, RELAY_HTTP_ERROR_REDIRECT,
                        _("%s tried to redirect the request elsewhere; Relay does not follow redirects."),
                        host);

  if (status == SOUP_STATUS_UNAUTHORIZED)
    return g_error_new (RELAY_HTTP_ERROR, RELAY_HTTP_ERROR_UNAUTHORIZED,
                        _("%s did not accept the credentials; sign in again."), host);

  if (status == 429)
    return g_error_new (RELAY_HTTP_ERROR, RELAY_HTTP_ERROR_THROTTLED,
                        _("%s is receiving too many requests; wait a moment and try again."), host);

  return g_error_new (RELAY_HTTP_ERROR, RELAY_HTTP_ERROR_STATUS,
                      _("%s answered with an error (HTTP %u %s)."),
                      host, status, soup_status_get_phrase (status));
}

static void read_next (GTask *task);

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = NULL;
  guint status;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      g_task_return_error (task, map_transport_error (data, error));
      return;
    }

  if (g_bytes_get_size (chunk) > 0)
    {
      if (data->body->len + g_bytes_get_size (chunk) > data->max_body)
        {
          g_task_return_new_error (task, RELAY_HTTP_ERROR, RELAY_HTTP_ERROR_TOO_LARGE,
                                   _("The provider’s answer is too large."));
          return;
        }
      g_byte_array_append (data->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
      read_next (g_steal_pointer (&task));
      return;
    }

  status = soup_message_get_status (data->message);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      GError *failure = map_status (data->message, data->body);

      if (g_error_matches (failure, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_TIMESTAMP_REFUSED))
        {
          g_autoptr(RelayOAuth1Problem) problem = NULL;

          problem = relay_oauth1_problem_parse ((const char *) data->body->data, data->body->len);
          if (problem != NULL)
            {
              data->acceptable_from = problem->acceptable_from;
              data->acceptable_to = problem->acceptable_to;
            }
        }

      g_task_return_error (task, failure);
      return;
    }

  g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&data->body)),
                         (GDestroyNotify) g_bytes_unref);
}

static void
read_next (GTask *task)
{
  SendData *data = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (data->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   data->cancellable, read_cb, task);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (data->stream == NULL)
    {
      g_task_return_error (task, map_transport_error (data, error));
      return;
    }

  read_next (g_steal_pointer (&task));
}

/**
 * relay_http_session_new:
 * @timeout_seconds: I/O timeout for every request
 *
 * A session with strict TLS (the system trust store; nothing can accept a
 * bad certificate) and an explicit timeout.
 *
 * Returns: (transfer full): a new session
 */
SoupSession *
relay_http_session_new (guint timeout_seconds)
{
  g_autofree char *user_agent = g_strdup_printf ("Relay/%s ", PACKAGE_VERSION);

  return soup_session_new_with_options ("timeout", timeout_seconds,
                                        "idle-timeout", 60,
                                        "user-agent", user_agent,
                                        "proxy-resolver", relay_proxy_resolver_get_default (),
                                        NULL);
}

/**
 * relay_http_message_new_signed:
 * @request: a request signed with relay_oauth1_request_sign()
 * @error: a #GError
 *
 * Builds the message for exactly the URI that was signed. Plain http is
 * refused unless the host is loopback, and redirects are never followed.
 *
 * Returns: (transfer full) (nullable): the message
 */
SoupMessage *
relay_http_message_new_signed (RelayOAuth1Request  *request,
                               GError             **error)
{
  g_autoptr(SoupMessage) message = NULL;
  GUri *uri;
  GBytes *body;
  const char *authorization;

  g_return_val_if_fail (RELAY_IS_OAUTH1_REQUEST (request), NULL);

  uri = relay_oauth1_request_get_uri (request);
  if (!relay_uri_check_secure (uri, error))
    return NULL;

  message = soup_message_new_from_uri (relay_oauth1_request_get_method (request), uri);
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept",
                                "application/json, application/x-www-form-urlencoded");

  authorization = relay_oauth1_request_get_authorization (request);
  if (authorization != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (message),
                                  "Authorization", authorization);

  body = relay_oauth1_request_get_body (request);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (message,
                                              relay_oauth1_request_get_content_type (request),
                                              body);

  return g_steal_pointer (&message);
}

static char *
append_query (const char *uri,
              const char *query)
{
  if (query == NULL || *query == '\0')
    return g_strdup (uri);

  return g_strconcat (uri, strchr (uri, '?') != NULL ? "&" : "?", query, NULL);
}

/**
 * relay_http_message_new_for_account:
 * @account: a complete account
 * @method: "GET" (parameters in the query) or "POST" (a form body)
 * @uri: the endpoint
 * @params: (nullable): request parameters, unencoded
 * @error: a #GError
 *
 * Authenticates the call the way the account's kind needs: an OAuth
 * signature with the access token, or api_key/api_secret (parameters, or
 * HTTP Basic when the provider asks for it).
 *
 * Returns: (transfer full) (nullable): the message
 */
SoupMessage *
relay_http_message_new_for_account (RelayAccount  *account,
                                    const char    *method,
                                    const char    *uri,
                                    GPtrArray     *params,
                                    GError       **error)
{
  RelayProvider *provider;
  g_autoptr(RelayOAuth1Request) request = NULL;
  g_autoptr(GPtrArray) all = relay_params_new ();
  g_autofree char *query = NULL;
  g_autofree char *full_uri = NULL;
  gboolean is_get;
  gboolean basic;

  g_return_val_if_fail (RELAY_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (uri != NULL, NULL);

  provider = relay_account_get_provider (account);
  is_get = g_ascii_strcasecmp (method, "GET") == 0;
  /* A GET would carry api_secret in its URL, which proxies, server logs
   * and error messages keep: the account endpoints take HTTP Basic. */
  basic = relay_account_has_api_key (account) &&
          (relay_provider_get_basic_auth (provider) || is_get);

  for (guint i = 0; params != NULL && i < params->len; i++)
    {
      const RelayParam *param = g_ptr_array_index (params, i);

      relay_params_add (all, param->name, param->value);
    }

  if (relay_account_has_api_key (account) && !basic)
    {
      relay_params_add (all, "api_key", relay_account_get_key (account));
      relay_params_add (all, "api_secret", relay_account_get_secret (account));
    }

  if (is_get)
    {
      query = relay_params_to_form (all);
      full_uri = append_query (uri, query);
    }

  if (!(request = relay_oauth1_request_new (method, is_get ? full_uri : uri, error)))
    return NULL;

  if (!is_get)
    for (guint i = 0; i < all->len; i++)
      {
        const RelayParam *param = g_ptr_array_index (all, i);

        relay_oauth1_request_add_form (request, param->name, param->value);
      }

  if (relay_account_get_kind (account) == RELAY_ACCOUNT_OAUTH)
    {
      relay_oauth1_request_set_consumer (request, relay_account_get_key (account),
                                         relay_account_get_secret (account));
      relay_oauth1_request_set_token (request, relay_account_get_token (account),
                                      relay_account_get_token_secret (account));
      relay_oauth1_request_set_signature_method (request, relay_provider_get_signature_method (provider));
      relay_oauth1_request_set_clock_offset (request, relay_account_get_clock_offset (account));
      if (!relay_oauth1_request_sign (request, error))
        return NULL;

      return relay_http_message_new_signed (request, error);
    }
  else
    {
      g_autoptr(SoupMessage) message = NULL;
      GUri *guri = relay_oauth1_request_get_uri (request);

      if (!relay_uri_check_secure (guri, error))
        return NULL;

      message = soup_message_new_from_uri (relay_oauth1_request_get_method (request), guri);
      soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
      soup_message_headers_replace (soup_message_get_request_headers (message), "Accept",
                                    "application/json");
      if (relay_oauth1_request_get_body (request) != NULL)
        soup_message_set_request_body_from_bytes (message,
                                                  relay_oauth1_request_get_content_type (request),
                                                  relay_oauth1_request_get_body (request));

      if (basic)
        {
          g_autofree char *pair = g_strconcat (relay_account_get_key (account), ":",
                                               relay_account_get_secret (account), NULL);
          g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
          g_autofree char *header = g_strconcat ("Basic ", encoded, NULL);

          soup_message_headers_replace (soup_message_get_request_headers (message),
                                        "Authorization", header);
          explicit_bzero (pair, strlen (pair));
          explicit_bzero (header, strlen (header));
        }

      return g_steal_pointer (&message);
    }
}

static void
forward_cancel (GCancellable *caller,
                GCancellable *own)
{
  g_cancellable_cancel (own);
}

static void
wrote_body_cb (SendData *data)
{
  data->written = TRUE;
}

static gboolean
deadline_cb (gpointer user_data)
{
  SendData *data = user_data;

  g_debug ("Request to %s passed its %u s deadline",
           g_uri_get_host (soup_message_get_uri (data->message)), data->deadline_seconds);
  data->timed_out = TRUE;
  g_cancellable_cancel (data->cancellable);
  g_clear_pointer (&data->deadline, g_source_unref);

  return G_SOURCE_REMOVE;
}

/**
 * relay_http_session_set_clock:
 * @session: a session
 * @clock: (nullable): the clock its requests' deadlines run on, %NULL
 *   for the real one
 *
 * Every request sent with relay_http_send_async() ends, with
 * %RELAY_HTTP_ERROR_TIMEOUT or %RELAY_HTTP_ERROR_NO_ANSWER, when the
 * session's #SoupSession:timeout has passed on @clock since it started:
 * the timeout is the whole request's limit, not only the idle one.
 */
void
relay_http_session_set_clock (SoupSession *session,
                              RelayClock  *clock)
{
  g_return_if_fail (SOUP_IS_SESSION (session));

  g_object_set_data_full (G_OBJECT (session), "relay-http-clock",
                          clock != NULL ? g_object_ref (clock) : NULL, g_object_unref);
}

/**
 * relay_http_session_get_clock:
 *
 * Returns: (transfer none): the clock of relay_http_session_set_clock(),
 *   or the default one
 */
RelayClock *
relay_http_session_get_clock (SoupSession *session)
{
  RelayClock *clock;

  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);

  clock = g_object_get_data (G_OBJECT (session), "relay-http-clock");
  return clock != NULL ? clock : relay_clock_get_default ();
}

/**
 * relay_http_message_set_max_body:
 * @max_body: the largest answer relay_http_send_async() reads for
 *   @message, in bytes
 *
 * For the few answers that are rightly larger than %RELAY_HTTP_MAX_BODY,
 * such as a provider's whole price list.
 */
void
relay_http_message_set_max_body (SoupMessage *message,
                                 gsize        max_body)
{
  g_return_if_fail (SOUP_IS_MESSAGE (message));
  g_return_if_fail (max_body > 0);

  g_object_set_data (G_OBJECT (message), "relay-http-max-body", GSIZE_TO_POINTER (max_body));
}

/**
 * relay_http_send_async:
 *
 * Sends @message and reads its whole body (up to %RELAY_HTTP_MAX_BODY,
 * or what relay_http_message_set_max_body() allowed),
 * within the session's timeout as a whole (see
 * relay_http_session_set_clock()).
 */
void
relay_http_send_async (SoupSession         *session,
                       SoupMessage         *message,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SendData *data;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (SOUP_IS_MESSAGE (message));

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_http_send_async);
  /* The deadline's error, not a bare "cancelled", when it cut the
   * request short. */
  g_task_set_check_cancellable (task, FALSE);

  data = g_new0 (SendData, 1);
  data->message = g_object_ref (message);
  data->body = g_byte_array_new ();
  data->max_body = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (message), "relay-http-max-body"));
  if (data->max_body == 0)
    data->max_body = RELAY_HTTP_MAX_BODY;
  data->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      data->caller_cancellable = g_object_ref (cancellable);
      data->cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (forward_cancel),
                                               data->cancellable, NULL);
    }
  data->wrote_body_id = g_signal_connect_swapped (message, "wrote-body", G_CALLBACK (wrote_body_cb), data);
  data->deadline_seconds = soup_session_get_timeout (session);
  if (data->deadline_seconds > 0)
    data->deadline = relay_clock_timeout_add (relay_http_session_get_clock (session), NULL,
                                              (gint64) data->deadline_seconds * G_USEC_PER_SEC,
                                              deadline_cb, data, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);

  soup_session_send_async (session, message, G_PRIORITY_DEFAULT, data->cancellable,
                           send_cb, g_steal_pointer (&task));
}

/**
 * relay_http_send_finish:
 *
 * Returns: (transfer full) (nullable): the body of a 2xx answer; any other
 *   answer is an error with a sentence (RELAY_OAUTH1_ERROR for
 *   oauth_problem answers, RELAY_HTTP_ERROR otherwise)
 */
GBytes *
relay_http_send_finish (SoupSession   *session,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, session), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * relay_http_parse_retry_after:
 * @value: (nullable): a Retry-After value
 * @now: the local real time, in seconds since the epoch
 *
 * Reads both forms of RFC 9110 section 10.2.3: delay-seconds ("120") and
 * an HTTP-date ("Wed, 21 Oct 2026 07:28:00 GMT", and the obsolete forms
 * libsoup reads), which counts from @now; a date already past means 0.
 *
 * Returns: the wait in seconds, at most an hour, or -1 when @value is
 *   missing, malformed or longer than an hour
 */
gint64
relay_http_parse_retry_after (const char *value,
                              gint64      now)
{
  g_autoptr(GDateTime) date = NULL;
  guint64 seconds;
  gint64 wait;

  if (value == NULL)
    return -1;

  if (g_ascii_isdigit (*value))
    return g_ascii_string_to_unsigned (value, 10, 0, 3600, &seconds, NULL) ? (gint64) seconds : -1;

  if (!(date = soup_date_time_new_from_http_string (value)))
    return -1;

  wait = MAX (0, g_date_time_to_unix (date) - now);

  return wait <= 3600 ? wait : -1;
}

/**
 * relay_http_get_retry_after_at:
 * @now: the local real time, in seconds since the epoch
 *
 * Returns: the Retry-After of an answer in seconds (see
 *   relay_http_parse_retry_after()), or -1
 */
gint64
relay_http_get_retry_after_at (SoupMessage *message,
                               gint64       now)
{
  g_return_val_if_fail (SOUP_IS_MESSAGE (message), -1);

  return relay_http_parse_retry_after (soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                                     "Retry-After"),
                                       now);
}

/**
 * relay_http_clock_offset_for_refusal:
 * @local_now: the local clock, in seconds since the epoch
 * @acceptable_from: start of oauth_acceptable_timestamps, or 0
 * @acceptable_to: end of oauth_acceptable_timestamps, or 0
 * @date_header: (nullable): the Date header of the answer
 * @offset: (out): seconds to add to the local clock
 *
 * The clock offset that puts oauth_timestamp where a provider that
 * answered timestamp_refused wants it: the middle of its window when it
 * gave one, else its own clock from the Date header.
 *
 * Returns: %FALSE when the answer says nothing about the provider's clock
 */
gboolean
relay_http_clock_offset_for_refusal (gint64      local_now,
                                     gint64      acceptable_from,
                                     gint64      acceptable_to,
                                     const char *date_header,
                                     gint64     *offset)
{
  g_autoptr(GDateTime) date = NULL;

  g_return_val_if_fail (offset != NULL, FALSE);

  if (acceptable_from > 0 && acceptable_to >= acceptable_from)
    {
      *offset = acceptable_from + (acceptable_to - acceptable_from) / 2 - local_now;
      return TRUE;
    }

  if (date_header != NULL && (date = soup_date_time_new_from_http_string (date_header)) != NULL)
    {
      *offset = g_date_time_to_unix (date) - local_now;
      return TRUE;
    }

  return FALSE;
}

typedef struct
{
  RelayAccount       *account;
  RelayHttpBuildFunc  build;
  gpointer            build_data;
  GDestroyNotify      build_data_free;
  SoupMessage        *message;
  guint               attempts;
} SignedData;

static void
signed_data_free (SignedData *data)
{
  if (data->build_data_free != NULL)
    data->build_data_free (data->build_data);
  g_clear_object (&data->account);
  g_clear_object (&data->message);
  g_free (data);
}

static void signed_start (GTask *task);

static void
signed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignedData *data = g_task_get_task_data (task);
  SendData *sent = g_task_get_task_data (G_TASK (result));
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  const char *date;
  gint64 offset;

  body = relay_http_send_finish (SOUP_SESSION (object), result, &error);
  if (body != NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&body), (GDestroyNotify) g_bytes_unref);
      return;
    }

  /* A refused timestamp means nothing was accepted, so one more try
   * with a corrected clock (and a fresh nonce) is safe. */
  date = soup_message_headers_get_one (soup_message_get_response_headers (data->message), "Date");
  if (data->attempts == 1 &&
      g_error_matches (error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_TIMESTAMP_REFUSED) &&
      relay_http_clock_offset_for_refusal (g_get_real_time () / G_USEC_PER_SEC,
                                           sent->acceptable_from, sent->acceptable_to,
                                           date, &offset))
    {
      g_debug ("Timestamp refused; clock offset now %" G_GINT64_FORMAT " s, retrying once", offset);
      relay_account_set_clock_offset (data->account, offset);
      signed_start (g_steal_pointer (&task));
      return;
    }

  g_task_return_error (task, g_steal_pointer (&error));
}

static void
signed_start (GTask *task)
{
  SignedData *data = g_task_get_task_data (task);
  GError *error = NULL;

  g_clear_object (&data->message);
  data->message = data->build (data->build_data, relay_account_get_clock_offset (data->account), &error);
  if (data->message == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  data->attempts++;
  relay_http_send_async (g_task_get_source_object (task), data->message,
                         g_task_get_cancellable (task), signed_cb, task);
}

/**
 * relay_http_send_signed_async:
 * @session: a session
 * @account: the account whose clock offset signs the requests
 * @build: builds a freshly signed message for a clock offset
 * @build_data: data for @build
 * @build_data_free: (nullable): frees @build_data when done
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Like relay_http_send_async(), for a message that @build can sign
 * again. When the provider refuses the timestamp, the account's clock
 * offset is corrected (from oauth_acceptable_timestamps, else from the
 * answer's Date header) and a new message, with a new nonce, is sent
 * exactly once more.
 */
void
relay_http_send_signed_async (SoupSession         *session,
                              RelayAccount        *account,
                              RelayHttpBuildFunc   build,
                              gpointer             build_data,
                              GDestroyNotify       build_data_free,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  SignedData *data;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (RELAY_IS_ACCOUNT (account));
  g_return_if_fail (build != NULL);

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_http_send_signed_async);

  data = g_new0 (SignedData, 1);
  data->account = g_object_ref (account);
  data->build = build;
  data->build_data = build_data;
  data->build_data_free = build_data_free;
  g_task_set_task_data (task, data, (GDestroyNotify) signed_data_free);

  signed_start (task);
}

/**
 * relay_http_send_signed_finish:
 * @message: (out) (optional) (transfer full): the last message sent, or %NULL
 *   when none could be built
 *
 * Returns: (transfer full) (nullable): the body of a 2xx answer, as
 *   relay_http_send_finish()
 */
GBytes *
relay_http_send_signed_finish (SoupSession   *session,
                               GAsyncResult  *result,
                               SoupMessage  **message,
                               GError       **error)
{
  SignedData *data;

  g_return_val_if_fail (g_task_is_valid (result, session), NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (message != NULL)
    *message = data->message != NULL ? g_object_ref (data->message) : NULL;

  return g_task_propagate_pointer (G_TASK (result), error);
}
