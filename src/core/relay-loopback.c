/* relay-loopback.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include "relay-loopback.h"

/* A burst of connections must queue rather than be reset; GSocket's
 * default backlog is 10. */
#define LISTEN_BACKLOG 256

#define STALL_KEY "relay-stall-timeout"

/* Closes connections still open @seconds after they were accepted, on
 * @clock's time. */
typedef struct
{
  RelayClock   *clock;
  GMainContext *context;
  guint         seconds;
  GPtrArray    *watchdogs;   /* GSource, one per live connection */
} StallTimeout;

static void
stall_timeout_free (gpointer data)
{
  StallTimeout *stall = data;

  for (guint i = 0; i < stall->watchdogs->len; i++)
    g_source_destroy (g_ptr_array_index (stall->watchdogs, i));
  g_ptr_array_unref (stall->watchdogs);
  g_object_unref (stall->clock);
  g_main_context_unref (stall->context);
  g_free (stall);
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static gboolean
stall_cb (gpointer data)
{
  g_autoptr(GSocketConnection) connection = g_weak_ref_get (data);

  if (connection != NULL)
    {
      g_debug ("Loopback server closed a stalled connection");
      g_socket_shutdown (g_socket_connection_get_socket (connection), TRUE, TRUE, NULL);
    }

  return G_SOURCE_REMOVE;
}

static void
watch_connection (StallTimeout      *stall,
                  GSocketConnection *connection)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  /* Forget the watchdogs that fired. */
  for (guint i = stall->watchdogs->len; i > 0; i--)
    if (g_source_is_destroyed (g_ptr_array_index (stall->watchdogs, i - 1)))
      g_ptr_array_remove_index_fast (stall->watchdogs, i - 1);

  g_weak_ref_init (ref, connection);
  g_ptr_array_add (stall->watchdogs,
                   relay_clock_timeout_add (stall->clock, stall->context,
                                            (gint64) stall->seconds * G_USEC_PER_SEC,
                                            stall_cb, ref, weak_ref_free));
}

#define IDLE_KEY "relay-idle-timeout"

typedef struct _IdleTimeout IdleTimeout;
static void idle_arm (IdleTimeout *idle,
                      GSocket     *socket);

#define ACCEPT_KEY "relay-acceptor"

/* The first pause after a failed accept, and the longest. */
#define BACKOFF_FIRST_MS 50
#define BACKOFF_MAX_MS 2000

/* Accepts connections one after another. GSocketService retries a failed
 * accept at once and warns each time: out of file descriptors, that is
 * 100 % CPU and a flood of warnings. Here a failure pauses accepting,
 * longer each time (on a RelayClock), and is logged once per run of
 * failures. */
typedef struct
{
  GSocketListener *listener;   /* not owned: the service owns this */
  SoupServer      *server;
  gulong           started_id; /* on server: one_request_cb */
  GCancellable    *cancellable;
  RelayClock      *clock;
  GMainContext    *context;
  GSource         *backoff;
  guint            backoff_ms;
  guint            failures;
} Acceptor;

static void
acceptor_clear (gpointer data)
{
  Acceptor *acceptor = data;

  relay_clock_source_clear (&acceptor->backoff);
  g_clear_object (&acceptor->cancellable);
  g_clear_object (&acceptor->server);
  g_clear_object (&acceptor->clock);
  g_clear_pointer (&acceptor->context, g_main_context_unref);
}

static void
acceptor_release (gpointer data)
{
  g_rc_box_release_full (data, acceptor_clear);
}

/* The service's object data: it stops accepting with the service. */
static void
acceptor_stop (gpointer data)
{
  Acceptor *acceptor = data;

  g_cancellable_cancel (acceptor->cancellable);
  relay_clock_source_clear (&acceptor->backoff);
  acceptor->listener = NULL;
  if (acceptor->server != NULL)
    g_clear_signal_handler (&acceptor->started_id, acceptor->server);
  /* An accept still pending keeps the acceptor until its callback, but
   * nothing it points to: the server and the clock go with the service. */
  g_clear_object (&acceptor->server);
  g_clear_object (&acceptor->clock);
  acceptor_release (acceptor);
}

static void accept_next (Acceptor *acceptor);

/* Whether @value is one Content-Length: digits only, and no list (two
 * headers, or "5, 6", arrive as a list). */
static gboolean
is_one_length (const char *value)
{
  guint64 length;

  if (value == NULL || *value == '\0')
    return FALSE;
  for (const char *c = value; *c != '\0'; c++)
    if (!g_ascii_isdigit (*c))
      return FALSE;

  return g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT64, &length, NULL);
}

/* Refuses, before any body is read, a request whose length is ambiguous:
 * Content-Length and Transfer-Encoding together, a transfer coding other
 * than chunked alone, or a Content-Length that is not one number. Two
 * parsers reading such a request differently is how requests are
 * smuggled; libsoup 3.2 takes the chunked body of the first kind and the
 * first of two lengths. */
static void
check_length_cb (SoupServerMessage *msg,
                 gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *encoding = soup_message_headers_get_list (headers, "Transfer-Encoding");
  const char *length = soup_message_headers_get_list (headers, "Content-Length");
  const char *why = NULL;

  if (encoding != NULL && length != NULL)
    why = "both Content-Length and Transfer-Encoding";
  else if (encoding != NULL && g_ascii_strcasecmp (encoding, "chunked") != 0)
    why = "a transfer coding other than chunked";
  else if (length != NULL && !is_one_length (length))
    why = "a Content-Length that is not one number";

  if (why == NULL)
    return;

  g_debug ("Loopback server refused a request with %s", why);
  soup_server_message_set_status (msg, SOUP_STATUS_BAD_REQUEST, NULL);
}

/* libsoup keeps a connection open for a next request only when it
 * accepted the connection itself (soup_server_listen(), which Relay
 * avoids, see relay_loopback_serve()); it closes every connection handed
 * to soup_server_accept_iostream() after its first answer, without
 * saying so: an HTTP/1.1 client then sends its next request, or already
 * sent it pipelined, into a connection about to close. Every answer says
 * "Connection: close", so each request gets its answer and clients open
 * a new connection for the next one. */
static void
one_request_cb (SoupServer        *server,
                SoupServerMessage *msg,
                gpointer           user_data)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
  g_signal_connect (msg, "got-headers", G_CALLBACK (check_length_cb), NULL);
}

static gboolean
backoff_cb (gpointer data)
{
  Acceptor *acceptor = data;

  accept_next (acceptor);

  return G_SOURCE_REMOVE;
}

static void
handle_connection (Acceptor          *acceptor,
                   GSocketConnection *connection)
{
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (connection, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);
  g_autoptr(GError) error = NULL;
  StallTimeout *stall = g_object_get_data (G_OBJECT (acceptor->listener), STALL_KEY);

  IdleTimeout *idle = g_object_get_data (G_OBJECT (acceptor->listener), IDLE_KEY);

  if (stall != NULL)
    watch_connection (stall, connection);
  if (idle != NULL)
    idle_arm (idle, g_socket_connection_get_socket (connection));

  if (local == NULL || remote == NULL ||
      !soup_server_accept_iostream (acceptor->server, G_IO_STREAM (connection), local, remote, &error))
    g_debug ("Loopback server dropped a connection: %s",
             error != NULL ? error->message : "no address");
}

static void
accepted_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Acceptor *acceptor = user_data;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = g_socket_listener_accept_finish (G_SOCKET_LISTENER (object), result, NULL, &error);
  if (g_cancellable_is_cancelled (acceptor->cancellable) || acceptor->listener == NULL)
    {
      acceptor_release (acceptor);
      return;
    }

  if (connection == NULL)
    {
      acceptor->backoff_ms = acceptor->backoff_ms == 0 ? BACKOFF_FIRST_MS
                                                       : MIN (acceptor->backoff_ms * 2, BACKOFF_MAX_MS);
      if (acceptor->failures++ == 0)
        g_message ("Loopback server cannot accept connections (%s); trying again with pauses",
                   error->message);
      else
        g_debug ("Loopback server still cannot accept (%s); next try in %u ms",
                 error->message, acceptor->backoff_ms);

      /* The pause keeps the reference until it fires. */
      relay_clock_source_clear (&acceptor->backoff);
      acceptor->backoff = relay_clock_timeout_add (acceptor->clock, acceptor->context,
                                                   (gint64) acceptor->backoff_ms * 1000,
                                                   backoff_cb, acceptor, acceptor_release);
      return;
    }

  if (acceptor->failures > 0)
    g_message ("Loopback server accepts connections again after %u failed attempts", acceptor->failures);
  acceptor->failures = 0;
  acceptor->backoff_ms = 0;

  handle_connection (acceptor, connection);
  accept_next (acceptor);
  acceptor_release (acceptor);
}

static void
accept_next (Acceptor *acceptor)
{
  if (acceptor->listener == NULL)
    return;

  g_socket_listener_accept_async (acceptor->listener, acceptor->cancellable, accepted_cb,
                                  g_rc_box_acquire (acceptor));
}

/**
 * relay_loopback_serve:
 * @server: the server whose handlers answer
 * @port: the port, or 0 for one the kernel picks
 * @bound_port: (out): the port listened on
 * @error: a #GError
 *
 * Listens on 127.0.0.1 only and hands every accepted connection to
 * @server, for one request each (see one_request_cb()), refusing requests
 * of ambiguous length (see check_length_cb()). Relay accepts connections itself rather than through
 * soup_server_listen(): libsoup 3.2's own accept path (SoupListener)
 * keeps one reference too many on every GSocket that g_socket_accept()
 * returns, so each connection leaks one, which a flood of requests turns
 * into megabytes. Upstream fixed it in libsoup commit b545d5f0
 * ("soup-listener: Plug a leak"), first released in libsoup 3.4.0;
 * Debian 12 ships 3.2. Since nothing in Relay's unit and integration
 * suites listens through libsoup any more, build-aux/lsan.supp has no
 * entry for that leak: one there would hide a real one.
 *
 * Returns: (transfer full) (nullable): the service; end it with
 *   relay_loopback_stop()
 */
GSocketService *
relay_loopback_serve (SoupServer  *server,
                      guint        port,
                      guint       *bound_port,
                      GError     **error)
{
  g_autoptr(GSocketService) service = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  Acceptor *acceptor;

  g_return_val_if_fail (SOUP_IS_SERVER (server), NULL);
  g_return_val_if_fail (port <= 65535, NULL);
  g_return_val_if_fail (bound_port != NULL, NULL);

  /* The service is only the listener: Relay accepts (see Acceptor). */
  service = g_socket_service_new ();
  g_socket_service_stop (service);
  g_socket_listener_set_backlog (G_SOCKET_LISTENER (service), LISTEN_BACKLOG);
  address = g_inet_socket_address_new_from_string ("127.0.0.1", port);
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, &local, error))
    return NULL;

  acceptor = g_rc_box_new0 (Acceptor);
  acceptor->listener = G_SOCKET_LISTENER (service);
  acceptor->server = g_object_ref (server);
  acceptor->started_id = g_signal_connect (server, "request-started", G_CALLBACK (one_request_cb), NULL);
  acceptor->cancellable = g_cancellable_new ();
  acceptor->clock = g_object_ref (relay_clock_get_default ());
  acceptor->context = g_main_context_ref_thread_default ();
  g_object_set_data_full (G_OBJECT (service), ACCEPT_KEY, acceptor, acceptor_stop);
  accept_next (acceptor);
  *bound_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));

  return g_steal_pointer (&service);
}

/**
 * relay_loopback_set_stall_timeout:
 * @service: a service from relay_loopback_serve()
 * @clock: where the timeout takes its time from
 * @context: where it fires
 * @seconds: the timeout
 *
 * Closes each connection accepted from now on once it has been open for
 * @seconds, so that a client sending a request that never ends cannot
 * hold a socket for good. For servers that answer one quick request per
 * connection (the sign-in callback).
 */
void
relay_loopback_set_stall_timeout (GSocketService *service,
                                  RelayClock     *clock,
                                  GMainContext   *context,
                                  guint           seconds)
{
  StallTimeout *stall;

  g_return_if_fail (G_IS_SOCKET_SERVICE (service));
  g_return_if_fail (RELAY_IS_CLOCK (clock));
  g_return_if_fail (context != NULL);
  g_return_if_fail (seconds > 0);

  stall = g_new0 (StallTimeout, 1);
  stall->clock = g_object_ref (clock);
  stall->context = g_main_context_ref (context);
  stall->seconds = seconds;
  stall->watchdogs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_source_unref);
  g_object_set_data_full (G_OBJECT (service), STALL_KEY, stall, stall_timeout_free);
}

/**
 * relay_loopback_stop:
 * @service: (transfer full) (nullable): a service from relay_loopback_serve()
 *
 * Stops accepting, closes the listening socket at once, and drops @service.
 */
/* Closes a connection that sends nothing for @seconds, or takes longer
 * than that to send one request, on @clock's time. The handler's own time
 * (an answer held back on purpose) does not count. */
struct _IdleTimeout
{
  SoupServer   *server;
  RelayClock   *clock;
  GMainContext *context;
  guint         seconds;
  GHashTable   *watchdogs;   /* GSocket (weak) → GSource */
  gulong        handler_ids[3];
};

static void socket_gone (gpointer  data,
                         GObject  *where_the_socket_was);

static gboolean
idle_cb (gpointer data)
{
  GSocket *socket = data;

  g_debug ("Loopback server closed an idle or slow connection");
  g_socket_shutdown (socket, TRUE, TRUE, NULL);

  return G_SOURCE_REMOVE;
}

static void
idle_disarm (IdleTimeout *idle,
             GSocket     *socket)
{
  GSource *source = g_hash_table_lookup (idle->watchdogs, socket);

  if (source != NULL)
    g_source_destroy (source);
}

static void
idle_arm (IdleTimeout *idle,
          GSocket     *socket)
{
  GSource *source;

  if (socket == NULL)
    return;

  if (!g_hash_table_contains (idle->watchdogs, socket))
    g_object_weak_ref (G_OBJECT (socket), socket_gone, idle);

  source = relay_clock_timeout_add (idle->clock, idle->context,
                                    (gint64) idle->seconds * G_USEC_PER_SEC,
                                    idle_cb, socket, NULL);
  idle_disarm (idle, socket);
  g_hash_table_insert (idle->watchdogs, socket, source);
}

static void
socket_gone (gpointer  data,
             GObject  *where_the_socket_was)
{
  IdleTimeout *idle = data;

  idle_disarm (idle, (GSocket *) where_the_socket_was);
  g_hash_table_remove (idle->watchdogs, where_the_socket_was);
}

/* A request began: it must be read within the timeout. */
static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    IdleTimeout       *idle)
{
  idle_arm (idle, soup_server_message_get_socket (msg));
}

/* Read: the handler takes the time it needs. */
static void
request_read_cb (SoupServer        *server,
                 SoupServerMessage *msg,
                 IdleTimeout       *idle)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  if (socket != NULL)
    idle_disarm (idle, socket);
}

/* Answered: the connection may idle for the timeout. */
static void
request_finished_cb (SoupServer        *server,
                     SoupServerMessage *msg,
                     IdleTimeout       *idle)
{
  idle_arm (idle, soup_server_message_get_socket (msg));
}

static void
idle_timeout_free (gpointer data)
{
  IdleTimeout *idle = data;
  GHashTableIter iter;
  gpointer socket, source;

  for (guint i = 0; i < G_N_ELEMENTS (idle->handler_ids); i++)
    g_clear_signal_handler (&idle->handler_ids[i], idle->server);

  g_hash_table_iter_init (&iter, idle->watchdogs);
  while (g_hash_table_iter_next (&iter, &socket, &source))
    {
      g_object_weak_unref (socket, socket_gone, idle);
      g_source_destroy (source);
    }
  g_hash_table_unref (idle->watchdogs);
  g_object_unref (idle->server);
  g_object_unref (idle->clock);
  g_main_context_unref (idle->context);
  g_free (idle);
}

/**
 * relay_loopback_set_idle_timeout:
 * @service: a service from relay_loopback_serve()
 * @server: the server it hands connections to
 * @clock: where the timeout takes its time from
 * @context: where it fires
 * @seconds: how long a connection may send nothing, or take to send one
 *   request
 *
 * Closes idle and slow connections, so one client cannot hold the
 * server's file descriptors. Unlike relay_loopback_set_stall_timeout(),
 * a busy kept-alive connection is never cut.
 */
void
relay_loopback_set_idle_timeout (GSocketService *service,
                                 SoupServer     *server,
                                 RelayClock     *clock,
                                 GMainContext   *context,
                                 guint           seconds)
{
  IdleTimeout *idle;

  g_return_if_fail (G_IS_SOCKET_SERVICE (service));
  g_return_if_fail (SOUP_IS_SERVER (server));
  g_return_if_fail (RELAY_IS_CLOCK (clock));
  g_return_if_fail (context != NULL);
  g_return_if_fail (seconds > 0);

  idle = g_new0 (IdleTimeout, 1);
  idle->server = g_object_ref (server);
  idle->clock = g_object_ref (clock);
  idle->context = g_main_context_ref (context);
  idle->seconds = seconds;
  idle->watchdogs = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_source_unref);
  idle->handler_ids[0] = g_signal_connect (server, "request-started", G_CALLBACK (request_started_cb), idle);
  idle->handler_ids[1] = g_signal_connect (server, "request-read", G_CALLBACK (request_read_cb), idle);
  idle->handler_ids[2] = g_signal_connect (server, "request-finished", G_CALLBACK (request_finished_cb), idle);
  g_object_set_data_full (G_OBJECT (service), IDLE_KEY, idle, idle_timeout_free);
}

/**
 * relay_loopback_set_clock:
 * @service: a service from relay_loopback_serve()
 * @clock: where the pauses after failed accepts take their time from
 * @context: where they fire
 */
void
relay_loopback_set_clock (GSocketService *service,
                          RelayClock     *clock,
                          GMainContext   *context)
{
  Acceptor *acceptor;

  g_return_if_fail (G_IS_SOCKET_SERVICE (service));
  g_return_if_fail (RELAY_IS_CLOCK (clock));
  g_return_if_fail (context != NULL);

  acceptor = g_object_get_data (G_OBJECT (service), ACCEPT_KEY);
  g_return_if_fail (acceptor != NULL);

  g_set_object (&acceptor->clock, clock);
  g_main_context_unref (acceptor->context);
  acceptor->context = g_main_context_ref (context);
}

void
relay_loopback_stop (GSocketService *service)
{
  if (service == NULL)
    return;

  g_object_set_data (G_OBJECT (service), STALL_KEY, NULL);
  g_object_set_data (G_OBJECT (service), ACCEPT_KEY, NULL);
  g_object_set_data (G_OBJECT (service), IDLE_KEY, NULL);
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
  g_object_unref (service);
}
