/* relay-callback-listener.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "relay-callback-listener.h"
#include "relay-loopback.h"
#include "relay-oauth-flow.h"
#include "relay-oauth1-params.h"
#include "relay-oauth1-signature.h"

#define MAX_TARGET      4096
#define MAX_VERIFIER    256
/* Seconds a connection may stall (say, headers that never end) before
 * it is closed: a stuck client must not hold the listener's sockets. */
#define IO_TIMEOUT      5

typedef enum
{
  STATE_NEW,
  STATE_LISTENING,
  STATE_FINISHING,   /* the outcome is known; the last page is being written */
  STATE_DONE,
} ListenerState;

/* The one-shot loopback listener of RFC 8252 §7.3: it exists for one
 * sign-in, accepts exactly one valid callback and then goes away. */
struct _RelayCallbackListener
{
  GObject            parent_instance;

  /* owned references */
  SoupServer        *server;
  GSocketService    *service;
  SoupServerMessage *final_message;
  GTask             *waiter;
  GSource           *cancel_source;
  GSource           *timeout_source;
  RelayClock        *clock;
  GMainContext      *context;        /* captured by start; every source goes there */

  /* state */
  char              *pending_token;
  char              *verifier;
  GError            *outcome;
  ListenerState      state;
  guint              port;
  guint              timeout;
};

G_DEFINE_FINAL_TYPE (RelayCallbackListener, relay_callback_listener, G_TYPE_OBJECT)

static const char page_already[] =
  "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Relay</title></head>"
  "<body><h1>Already done</h1><p>This sign-in is finished. You can close this tab.</p></body></html>\n";
static const char page_not_found[] =
  "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Relay</title></head>"
  "<body><h1>Not found</h1></body></html>\n";
static const char page_bad_method[] =
  "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Relay</title></head>"
  "<body><h1>Method not allowed</h1></body></html>\n";
static const char page_bad_request[] =
  "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Relay</title></head>"
  "<body><h1>Bad request</h1><p>This is not a valid sign-in answer.</p></body></html>\n";

/* The pages a person sees after approving or denying Relay: small, in
 * GNOME's colours, light or dark as the browser prefers. The style is
 * the only thing the CSP allows, by its hash. */
static const char page_style[] =
  ":root{color-scheme:light dark}"
  "body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;"
  "font-family:Cantarell,\"Noto Sans\",system-ui,sans-serif;background:#fafafa;color:#1e1e1e}"
  "main{box-sizing:border-box;max-width:26rem;margin:1.5rem;padding:2rem 1.5rem;border-radius:12px;"
  "background:#fff;box-shadow:0 1px 3px rgba(0,0,0,.15);text-align:center}"
  ".mark{font-size:2.5rem;line-height:1;margin-bottom:.75rem}"
  ".ok{color:#26a269}.no{color:#c01c28}"
  "h1{font-size:1.5rem;margin:0 0 .75rem}"
  "p{margin:0;line-height:1.5;color:#5e5c64}"
  "@media (prefers-color-scheme:dark){body{background:#242424;color:#fff}"
  "main{background:#383838;box-shadow:none}p{color:#c0bfbc}.ok{color:#8ff0a4}.no{color:#f66151}}";

typedef enum
{
  PAGE_DONE,
  PAGE_ALREADY,
  PAGE_DENIED,
} PageKind;

/* "default-src 'none'; style-src 'sha256-…'" */
static const char *
styled_csp (void)
{
  static char *csp;

  if (g_once_init_enter (&csp))
    {
      guint8 digest[32];
      gsize len = sizeof digest;
      g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
      g_autofree char *hash = NULL;

      g_checksum_update (checksum, (const guchar *) page_style, strlen (page_style));
      g_checksum_get_digest (checksum, digest, &len);
      hash = g_base64_encode (digest, len);
      g_once_init_leave (&csp, g_strdup_printf ("default-src 'none'; style-src 'sha256-%s'", hash));
    }

  return csp;
}

static char *
styled_page (PageKind kind)
{
  const char *title;
  const char *text;
  g_autofree char *title_html = NULL;
  g_autofree char *text_html = NULL;

  switch (kind)
    {
    case PAGE_DENIED:
      title = _("Sign-in cancelled");
      text = _("Relay was not authorized. You can close this tab and return to Relay.");
      break;
    case PAGE_ALREADY:
      title = _("Already done");
      text = _("This sign-in is finished. You can close this tab and return to Relay.");
      break;
    case PAGE_DONE:
    default:
      title = _("You are signed in");
      text = _("You can close this tab and return to Relay.");
      break;
    }

  title_html = g_markup_escape_text (title, -1);
  text_html = g_markup_escape_text (text, -1);

  return g_strdup_printf ("<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
                          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                          "<title>Relay</title><style>%s</style></head><body><main>"
                          "<div class=\"mark %s\" aria-hidden=\"true\">%s</div>"
                          "<h1>%s</h1><p>%s</p></main></body></html>\n",
                          /* Translators: the language code of this translation, for the browser's sign-in pages */
                          _("en"),
                          page_style,
                          kind == PAGE_DENIED ? "no" : "ok",
                          kind == PAGE_DENIED ? "\xe2\x9c\x95" : "\xe2\x9c\x93",
                          title_html, text_html);
}

static gboolean
is_printable_ascii (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x21 || (guchar) *p > 0x7e)
      return FALSE;

  return TRUE;
}

/**
 * relay_callback_validate:
 * @method: the request method
 * @path: the request path, still percent-encoded
 * @query: (nullable): the raw query, without "?"
 * @host: (nullable): the Host header
 * @port: the listener's port
 * @content_length: the body length: 0 for no body, -1 for chunked
 * @pending_token: (nullable): the request token the flow waits for
 * @verifier: (out) (optional): the verifier on %RELAY_CALLBACK_ACCEPT
 *
 * The rules of the hardened listener, without I/O: exact path, GET only,
 * the Host of the listener, no body, a bounded request target, exactly one
 * oauth_token equal to @pending_token (constant time) and exactly one
 * printable oauth_verifier. A `denied` parameter naming the pending token
 * is the user's refusal.
 *
 * Returns: the verdict
 */
RelayCallbackVerdict
relay_callback_validate (const char  *method,
                         const char  *path,
                         const char  *query,
                         const char  *host,
                         guint        port,
                         goffset      content_length,
                         const char  *pending_token,
                         char       **verifier)
{
  g_autoptr(GPtrArray) params = relay_params_new ();
  g_autofree char *expected_host = NULL;
  const char *value;
  gsize target_len;

  if (verifier != NULL)
    *verifier = NULL;

  if (path == NULL || strcmp (path, "/callback") != 0)
    return RELAY_CALLBACK_NOT_FOUND;

  if (method == NULL || strcmp (method, "GET") != 0)
    return RELAY_CALLBACK_BAD_METHOD;

  expected_host = g_strdup_printf ("127.0.0.1:%u", port);
  if (host == NULL || port == 0 || strcmp (host, expected_host) != 0)
    return RELAY_CALLBACK_BAD_REQUEST;

  if (content_length != 0)
    return RELAY_CALLBACK_BAD_REQUEST;

  target_len = strlen (path) + (query != NULL ? strlen (query) + 1 : 0);
  if (query == NULL || target_len > MAX_TARGET)
    return RELAY_CALLBACK_BAD_REQUEST;

  if (pending_token == NULL || *pending_token == '\0')
    return RELAY_CALLBACK_BAD_REQUEST;

  if (!relay_params_parse_form (params, query, -1, NULL))
    return RELAY_CALLBACK_BAD_REQUEST;

  /* A refusal must name the pending token too, or any local process could
   * end the sign-in. */
  if (relay_params_count (params, "denied") > 0)
    {
      if (relay_params_count (params, "denied") == 1 &&
          relay_params_count (params, "oauth_verifier") == 0 &&
          relay_constant_time_equal (relay_params_get (params, "denied"), pending_token))
        return RELAY_CALLBACK_DENIED;

      return RELAY_CALLBACK_BAD_REQUEST;
    }

  if (relay_params_count (params, "oauth_token") != 1 ||
      !relay_constant_time_equal (relay_params_get (params, "oauth_token"), pending_token))
    return RELAY_CALLBACK_BAD_REQUEST;

  if (relay_params_count (params, "oauth_verifier") != 1)
    return RELAY_CALLBACK_BAD_REQUEST;

  value = relay_params_get (params, "oauth_verifier");
  if (*value == '\0' || strlen (value) > MAX_VERIFIER || !is_printable_ascii (value))
    return RELAY_CALLBACK_BAD_REQUEST;

  if (verifier != NULL)
    *verifier = g_strdup (value);

  return RELAY_CALLBACK_ACCEPT;
}

static void
respond (SoupServerMessage *message,
         guint              status,
         const char        *page)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (message);

  soup_server_message_set_status (message, status, NULL);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "Content-Security-Policy", "default-src 'none'");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Connection", "close");
  if (status == SOUP_STATUS_METHOD_NOT_ALLOWED)
    soup_message_headers_replace (headers, "Allow", "GET");
  soup_server_message_set_response (message, "text/html; charset=utf-8", SOUP_MEMORY_STATIC,
                                    page, strlen (page));
}

static void
respond_styled (SoupServerMessage *message,
                PageKind           kind)
{
  g_autofree char *page = styled_page (kind);

  respond (message, SOUP_STATUS_OK, "");
  soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                "Content-Security-Policy", styled_csp ());
  soup_server_message_set_response (message, "text/html; charset=utf-8", SOUP_MEMORY_COPY,
                                    page, strlen (page));
}

static void
stop_listening (RelayCallbackListener *self)
{
  relay_clock_source_clear (&self->timeout_source);
  relay_loopback_stop (g_steal_pointer (&self->service));
  if (self->server != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->server, self);
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }
  g_clear_object (&self->final_message);
}

/* Hands the outcome to the waiter, if both are there. */
static void
deliver (RelayCallbackListener *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->state != STATE_DONE || self->waiter == NULL)
    return;

  task = g_steal_pointer (&self->waiter);
  if (self->cancel_source != NULL)
    {
      g_source_destroy (self->cancel_source);
      g_clear_pointer (&self->cancel_source, g_source_unref);
    }

  if (self->outcome != NULL)
    g_task_return_error (task, g_error_copy (self->outcome));
  else
    g_task_return_pointer (task, g_steal_pointer (&self->verifier), g_free);
}

/* Ends the listener with @error (owned) or with the stored verifier. */
static void
finish (RelayCallbackListener *self,
        GError                *error)
{
  if (self->state == STATE_DONE)
    {
      g_clear_error (&error);
      return;
    }

  if (error != NULL)
    {
      g_clear_error (&self->outcome);
      self->outcome = error;
    }

  self->state = STATE_DONE;
  stop_listening (self);
  g_debug ("Callback listener stopped");
  deliver (self);
}

static gboolean
finish_idle_cb (gpointer user_data)
{
  RelayCallbackListener *self = user_data;

  finish (self, NULL);

  return G_SOURCE_REMOVE;
}

/* The server must not be torn down inside its own signal: finish from an
 * idle callback once the last page is written. */
static void
request_done_cb (SoupServer            *server,
                 SoupServerMessage     *message,
                 RelayCallbackListener *self)
{
  if (self->state == STATE_FINISHING && message == self->final_message)
    {
      g_autoptr(GSource) idle = g_idle_source_new ();

      g_clear_object (&self->final_message);
      g_source_set_static_name (idle, "[relay] callback listener finish");
      g_source_set_callback (idle, finish_idle_cb, g_object_ref (self), g_object_unref);
      g_source_attach (idle, self->context);
    }
}

/* Once the outcome is known, the page for it is written before the
 * listener closes, so the browser sees it. */
static void
finish_after (RelayCallbackListener *self,
              SoupServerMessage     *message,
              GError                *error)
{
  g_clear_error (&self->outcome);
  self->outcome = error;
  self->state = STATE_FINISHING;
  relay_clock_source_clear (&self->timeout_source);
  if (message != NULL)
    g_set_object (&self->final_message, message);
}

/* Answers 400 and closes the connection without reading the body: the
 * connection is taken from the server, which would otherwise read it. */
static void
reject_early (SoupServerMessage *message,
              const char        *page)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (message);
  g_autofree char *response = NULL;

  if (stream == NULL)
    return;

  response = g_strdup_printf ("HTTP/1.1 400 Bad Request\r\n"
                              "Content-Type: text/html; charset=utf-8\r\n"
                              "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                              "Cache-Control: no-store\r\n"
                              "Referrer-Policy: no-referrer\r\n"
                              "Content-Security-Policy: default-src 'none'\r\n"
                              "X-Content-Type-Options: nosniff\r\n"
                              "Connection: close\r\n\r\n%s",
                              strlen (page), page);
  g_output_stream_write_all (g_io_stream_get_output_stream (stream), response, strlen (response),
                             NULL, NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
}

static void
early_handler_cb (SoupServer        *server,
                  SoupServerMessage *message,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  RelayCallbackListener *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);
  GUri *uri = soup_server_message_get_uri (message);
  const char *raw_query = g_uri_get_query (uri);
  gsize target_len = strlen (g_uri_get_path (uri)) + (raw_query != NULL ? strlen (raw_query) + 1 : 0);

  /* Refuse bodies before they are read. */
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED ||
      soup_message_headers_get_content_length (headers) > 0 ||
      target_len > MAX_TARGET)
    {
      g_object_ref (self);
      reject_early (message, self->state == STATE_LISTENING ? page_bad_request : page_already);
      g_object_unref (self);
    }
}

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *message,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  RelayCallbackListener *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);
  GUri *uri = soup_server_message_get_uri (message);
  g_autofree char *verifier = NULL;
  RelayCallbackVerdict verdict;
  goffset length = 0;

  if (soup_server_message_get_status (message) != 0)
    return;

  if (self->state != STATE_LISTENING)
    {
      respond_styled (message, PAGE_ALREADY);
      return;
    }

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED)
    length = -1;
  else if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    length = soup_message_headers_get_content_length (headers);

  verdict = relay_callback_validate (soup_server_message_get_method (message),
                                     g_uri_get_path (uri),
                                     g_uri_get_query (uri),
                                     soup_message_headers_get_one (headers, "Host"),
                                     self->port,
                                     length,
                                     self->pending_token,
                                     &verifier);

  switch (verdict)
    {
    case RELAY_CALLBACK_ACCEPT:
      respond_styled (message, PAGE_DONE);
      self->verifier = g_steal_pointer (&verifier);
      finish_after (self, message, NULL);
      return;

    case RELAY_CALLBACK_DENIED:
      respond_styled (message, PAGE_DENIED);
      finish_after (self, message,
                    g_error_new (RELAY_FLOW_ERROR, RELAY_FLOW_ERROR_DENIED,
                                 _("Authorization was denied in the browser, so Relay is not signed in.")));
      return;

    case RELAY_CALLBACK_NOT_FOUND:
      respond (message, SOUP_STATUS_NOT_FOUND, page_not_found);
      break;

    case RELAY_CALLBACK_BAD_METHOD:
      respond (message, SOUP_STATUS_METHOD_NOT_ALLOWED, page_bad_method);
      break;

    case RELAY_CALLBACK_BAD_REQUEST:
    default:
      respond (message, SOUP_STATUS_BAD_REQUEST, page_bad_request);
      break;
    }

  /* Invalid requests never end the flow: a local process that floods the
   * port cannot cancel the user's sign-in, and a wrong token is ignored. */
  g_debug ("Callback listener: rejected a request (%d)", verdict);
}

static gboolean
timeout_cb (gpointer user_data)
{
  RelayCallbackListener *self = user_data;

  g_clear_pointer (&self->timeout_source, g_source_unref);
  finish (self, g_error_new (RELAY_FLOW_ERROR, RELAY_FLOW_ERROR_TIMED_OUT,
                             _("Nobody came back from the browser in time; start signing in again.")));

  return G_SOURCE_REMOVE;
}

static gboolean
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  RelayCallbackListener *self = user_data;
  GError *error = NULL;

  g_clear_pointer (&self->cancel_source, g_source_unref);
  g_cancellable_set_error_if_cancelled (cancellable, &error);
  g_object_ref (self);
  finish (self, error);
  /* finish() does not deliver if the state was already DONE */
  deliver (self);
  g_object_unref (self);

  return G_SOURCE_REMOVE;
}

static void
relay_callback_listener_dispose (GObject *object)
{
  RelayCallbackListener *self = (RelayCallbackListener *)object;

  stop_listening (self);
  if (self->cancel_source != NULL)
    {
      g_source_destroy (self->cancel_source);
      g_clear_pointer (&self->cancel_source, g_source_unref);
    }

  G_OBJECT_CLASS (relay_callback_listener_parent_class)->dispose (object);
}

static void
relay_callback_listener_finalize (GObject *object)
{
  RelayCallbackListener *self = (RelayCallbackListener *)object;

  g_assert (self->waiter == NULL);

  if (self->verifier != NULL)
    explicit_bzero (self->verifier, strlen (self->verifier));
  g_clear_pointer (&self->verifier, g_free);
  g_clear_pointer (&self->pending_token, g_free);
  g_clear_error (&self->outcome);
  g_clear_object (&self->clock);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (relay_callback_listener_parent_class)->finalize (object);
}

static void
relay_callback_listener_class_init (RelayCallbackListenerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = relay_callback_listener_dispose;
  object_class->finalize = relay_callback_listener_finalize;
}

static void
relay_callback_listener_init (RelayCallbackListener *self)
{
  self->timeout = RELAY_CALLBACK_DEFAULT_TIMEOUT;
  self->clock = g_object_ref (relay_clock_get_default ());
}

static void
arm_timeout (RelayCallbackListener *self)
{
  relay_clock_source_clear (&self->timeout_source);
  self->timeout_source = relay_clock_timeout_add (self->clock, self->context,
                                                  (gint64) self->timeout * G_USEC_PER_SEC,
                                                  timeout_cb, self, NULL);
}

/**
 * relay_callback_listener_set_clock:
 * @clock: (nullable): where the flow and stall timeouts take their time
 *   from, %NULL for the real clock
 *
 * For tests; set it before starting.
 */
void
relay_callback_listener_set_clock (RelayCallbackListener *self,
                                   RelayClock            *clock)
{
  g_return_if_fail (RELAY_IS_CALLBACK_LISTENER (self));
  g_return_if_fail (self->state == STATE_NEW);

  g_set_object (&self->clock, (clock != NULL ? clock : relay_clock_get_default ()));
}

/**
 * relay_callback_listener_new:
 * @pending_token: (nullable): the request token, or %NULL to set it later
 *   (the listener must run before the request token is asked for)
 *
 * Returns: (transfer full): a listener that is not listening yet
 */
RelayCallbackListener *
relay_callback_listener_new (const char *pending_token)
{
  RelayCallbackListener *self = g_object_new (RELAY_TYPE_CALLBACK_LISTENER, NULL);

  self->pending_token = g_strdup (pending_token);

  return self;
}

void
relay_callback_listener_set_pending_token (RelayCallbackListener *self,
                                           const char            *pending_token)
{
  g_return_if_fail (RELAY_IS_CALLBACK_LISTENER (self));

  g_free (self->pending_token);
  self->pending_token = g_strdup (pending_token);
}

/**
 * relay_callback_listener_set_timeout:
 * @seconds: how long to wait for the browser, counted from start
 */
void
relay_callback_listener_set_timeout (RelayCallbackListener *self,
                                     guint                  seconds)
{
  g_return_if_fail (RELAY_IS_CALLBACK_LISTENER (self));
  g_return_if_fail (seconds > 0);

  self->timeout = seconds;
  if (self->timeout_source != NULL)
    arm_timeout (self);
}

/**
 * relay_callback_listener_start:
 *
 * Listens on 127.0.0.1 on a port the kernel picks, and starts the timeout.
 *
 * Returns: %TRUE when listening
 */
gboolean
relay_callback_listener_start (RelayCallbackListener  *self,
                               GError                **error)
{
  g_autoptr(SoupServer) server = NULL;

  g_return_val_if_fail (RELAY_IS_CALLBACK_LISTENER (self), FALSE);

  if (self->state != STATE_NEW)
    {
      g_set_error (error, RELAY_FLOW_ERROR, RELAY_FLOW_ERROR_STATE,
                   _("This sign-in listener was already used."));
      return FALSE;
    }

  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = g_main_context_ref_thread_default ();
  server = soup_server_new ("server-header", NULL, NULL);
  soup_server_add_early_handler (server, NULL, early_handler_cb, self, NULL);
  soup_server_add_handler (server, NULL, handler_cb, self, NULL);

  if (!(self->service = relay_loopback_serve (server, 0, &self->port, error)))
    return FALSE;
  relay_loopback_set_stall_timeout (self->service, self->clock, self->context, IO_TIMEOUT);
  relay_loopback_set_clock (self->service, self->clock, self->context);

  g_signal_connect (server, "request-finished", G_CALLBACK (request_done_cb), self);
  g_signal_connect (server, "request-aborted", G_CALLBACK (request_done_cb), self);

  self->server = g_steal_pointer (&server);
  self->state = STATE_LISTENING;
  arm_timeout (self);

  return TRUE;
}

/**
 * relay_callback_listener_get_uri:
 *
 * Returns: (transfer full) (nullable): the oauth_callback,
 *   `http://127.0.0.1:PORT/callback`, once started
 */
char *
relay_callback_listener_get_uri (RelayCallbackListener *self)
{
  g_return_val_if_fail (RELAY_IS_CALLBACK_LISTENER (self), NULL);

  if (self->port == 0)
    return NULL;

  return g_strdup_printf ("http://127.0.0.1:%u/callback", self->port);
}

guint
relay_callback_listener_get_port (RelayCallbackListener *self)
{
  g_return_val_if_fail (RELAY_IS_CALLBACK_LISTENER (self), 0);

  return self->port;
}

void
relay_callback_listener_wait_async (RelayCallbackListener *self,
                                    GCancellable          *cancellable,
                                    GAsyncReadyCallback    callback,
                                    gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RELAY_IS_CALLBACK_LISTENER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_callback_listener_wait_async);

  if (self->waiter != NULL || self->state == STATE_NEW)
    {
      g_task_return_new_error (task, RELAY_FLOW_ERROR, RELAY_FLOW_ERROR_STATE,
                               _("The sign-in listener is not waiting for the browser."));
      return;
    }

  self->waiter = g_steal_pointer (&task);

  if (cancellable != NULL && self->state != STATE_DONE)
    {
      self->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (self->cancel_source, G_SOURCE_FUNC (cancelled_cb), self, NULL);
      g_source_attach (self->cancel_source, self->context);
    }

  deliver (self);
}

/**
 * relay_callback_listener_wait_finish:
 *
 * Returns: (transfer full) (nullable): the verifier
 */
char *
relay_callback_listener_wait_finish (RelayCallbackListener  *self,
                                     GAsyncResult           *result,
                                     GError                **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * relay_callback_listener_stop:
 *
 * Stops listening at once; a waiter gets %G_IO_ERROR_CANCELLED.
 */
void
relay_callback_listener_stop (RelayCallbackListener *self)
{
  g_return_if_fail (RELAY_IS_CALLBACK_LISTENER (self));

  g_object_ref (self);
  finish (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                     _("Sign-in was cancelled.")));
  g_object_unref (self);
}
