/* test-callback-listener.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every rule of the hardened loopback listener (oauth1-notes §6.2), with a
 * real SoupSession and raw sockets for requests a browser would not send.
 */

#include <libsoup/soup.h>
#include <string.h>

#include "relay-callback-listener.h"
#include "relay-oauth-flow.h"

#define TOKEN "hh5s93j4hdidpola"

typedef struct
{
  guint   port;
  char   *request;
  char   *response;
  gboolean done;
} RawRequest;

static gpointer
raw_thread (gpointer user_data)
{
  RawRequest *raw = user_data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  char buffer[4096];
  gssize n;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", raw->port, NULL, NULL);
  if (connection != NULL)
    {
      GOutputStream *os = g_io_stream_get_output_stream (G_IO_STREAM (connection));
      GInputStream *is = g_io_stream_get_input_stream (G_IO_STREAM (connection));

      g_output_stream_write_all (os, raw->request, strlen (raw->request), NULL, NULL, NULL);
      while ((n = g_input_stream_read (is, buffer, sizeof buffer, NULL, NULL)) > 0)
        g_string_append_len (out, buffer, n);
      raw->response = g_string_free (g_steal_pointer (&out), FALSE);
    }

  g_atomic_int_set (&raw->done, TRUE);
  g_main_context_wakeup (NULL);

  return NULL;
}

/* Sends @request on a fresh connection while the main loop serves it.
 * Returns NULL when the connection was refused. */
static char *
raw_request (guint       port,
             const char *request)
{
  RawRequest raw = { port, (char *) request, NULL, FALSE };
  GThread *thread = g_thread_new ("raw", raw_thread, &raw);

  while (!g_atomic_int_get (&raw.done))
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);

  return raw.response;
}

static char *
raw_get (RelayCallbackListener *listener,
         const char            *target)
{
  guint port = relay_callback_listener_get_port (listener);
  g_autofree char *request = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
                                              "Connection: close\r\n\r\n", target, port);

  return raw_request (port, request);
}

static guint
status_of (const char *response)
{
  g_assert_nonnull (response);
  g_assert_true (g_str_has_prefix (response, "HTTP/1.1 "));
  return (guint) g_ascii_strtoull (response + 9, NULL, 10);
}

typedef struct
{
  char     *verifier;
  GError   *error;
  gboolean  done;
} Waiter;

static void
waiter_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Waiter *waiter = user_data;

  waiter->verifier = relay_callback_listener_wait_finish (RELAY_CALLBACK_LISTENER (object),
                                                          result, &waiter->error);
  waiter->done = TRUE;
}

static RelayCallbackListener *
start_listener (Waiter       *waiter,
                GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  RelayCallbackListener *listener = relay_callback_listener_new (TOKEN);

  g_assert_true (relay_callback_listener_start (listener, &error));
  g_assert_no_error (error);
  relay_callback_listener_wait_async (listener, cancellable, waiter_cb, waiter);

  return listener;
}

static void
run_until_done (Waiter *waiter)
{
  while (!waiter->done)
    g_main_context_iteration (NULL, TRUE);
}

static void
assert_port_closed (guint port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) connection = NULL;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_null (connection);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
}

static void
waiter_clear (Waiter *waiter)
{
  g_clear_pointer (&waiter->verifier, g_free);
  g_clear_error (&waiter->error);
}

static void
test_validate (void)
{
  static const struct {
    const char *method, *path, *query, *host;
    goffset length;
    RelayCallbackVerdict verdict;
  } rows[] = {
    { "GET", "/callback", "oauth_token=" TOKEN "&oauth_verifier=v1", "127.0.0.1:4000", 0, RELAY_CALLBACK_ACCEPT },
    { "GET", "/callback", "oauth_verifier=v1&oauth_token=" TOKEN "&extra=1", "127.0.0.1:4000", 0, RELAY_CALLBACK_ACCEPT },
    { "GET", "/callback/x", "oauth_token=" TOKEN "&oauth_verifier=v1", "127.0.0.1:4000", 0, RELAY_CALLBACK_NOT_FOUND },
    { "GET", "/callbackx", "oauth_token=" TOKEN "&oauth_verifier=v1", "127.0.0.1:4000", 0, RELAY_CALLBACK_NOT_FOUND },
    { "GET", "/Callback", "oauth_token=" TOKEN "&oauth_verifier=v1", "127.0.0.1:4000", 0, RELAY_CALLBACK_NOT_FOUND },
    { "GET", "/favicon.ico", NULL, "127.0.0.1:4000", 0, RELAY_CALLBACK_NOT_FOUND },
    { "POST", "/callback", "oauth_token=" TOKEN "&oauth_verifier=v1", "127.0.0.1:4000", 0, RELAY_CALLBACK_BAD_METHOD },
    { "HEAD", "/callback", "oauth_token=" TOKEN "&oauth_verifier=v1", "127.0.0.1:4000", 0, RELAY_CALLBACK_BAD_METHOD },
    { "get", "/callback", "oauth_token=" TOKEN "&oauth_verifier=v1", "127.0.0.1:4000", 0, RELAY_CALLBACK_BAD_METHOD },
    { "GET", "/callback", "oauth_token=" TOKEN "&oauth_verifier=v1", "localhost:4000", 0, RELAY_CALLBACK_BAD_REQUEST },
    { "GET", "/callback", "oauth_token=" TOKEN "&oauth_verifier=v1", "127.0.0.1:4001", 0, RELAY_CALLBACK_BAD_REQUEST },
    { "GET", "/callback", "oauth_token=" TOKEN "&oauth_verifier=v1", "127.0.0.1", 0, RELAY_CALLBACK_BAD_REQUEST },
    { "GET", "/callback", "oauth_token=" TOKEN "&oauth_verifier=v1", NULL, 0, RELAY_CALLBACK_BAD_REQUEST },
    { "GET", "/callback", "oauth_token=" TOKEN "&oauth_verifier=v1", "127.0.0.1:4000", 5, RELAY_CALLBACK_BAD_REQUEST },
    { "GET", "/callback", "oauth_token=" TOKEN "&oauth_verifier=v1", "127.0.0.1:4000", -1, RELAY_CALLBACK_BAD_REQUEST },
    { "GET", "/callback", NULL, "127.0.0.1:4000", 0, RELAY_CALLBACK_BAD_REQUEST },
    { "GET", "/callback", "oauth_token=wrong&oauth_verifier=v1", "127.0.0.1:4000", 0, RELAY_CALLBACK_BAD_REQUEST },
    { "GET", "/callback", "oauth_token=" TOKEN "x&oauth_verifier=v1", "127.0.0.1:4000", 0, RELAY_CALLBACK_BAD_REQUEST },
    { "GET", "/callback", "oauth_token=&oauth_verifier=v1", "127.0.0.1:4000", 0, RELAY_CALLBACK_BAD_REQUEST },
    { "GET", "/callback", "oauth_verifier=v1", "127.0.0.1:4000", 0, RELAY_CALLBACK_BAD_REQUEST },
    { "GET", "/callback", "oauth_token=" TOKEN "&oauth_token=" TOKEN "&oauth_verifier=v1", "127.0.0.1:4000", 0, RELAY_CALLBACK_BAD_REQUEST },
    { "GET", "/callback", "oauth_token=" TOKEN "&oauth_verifier=v1&oauth_verifier=v2", "127.0.0.1:4000", 0, RELAY_CALLBACK_BAD_REQUEST },
    { "GET", "/callback", "oauth_token=" TOKEN "&oauth_verifier=", "127.0.0.1:4000", 0, RELAY_CALLBACK_BAD_REQUEST },
    { "GET", "/callback", "oauth_token=" TOKEN, "127.0.0.1:4000", 0, RELAY_CALLBACK_BAD_REQUEST },
    { "GET", "/callback", "oauth_token=" TOKEN "&oauth_verifier=a%20b", "127.0.0.1:4000", 0, RELAY_CALLBACK_BAD_REQUEST },
    { "GET", "/callback", "oauth_token=" TOKEN "&oauth_verifier=%C3%A9", "127.0.0.1:4000", 0, RELAY_CALLBACK_BAD_REQUEST },
    { "GET", "/callback", "oauth_token=" TOKEN "&oauth_verifier=%00x", "127.0.0.1:4000", 0, RELAY_CALLBACK_BAD_REQUEST },
    { "GET", "/callback", "oauth_token=" TOKEN "&oauth_verifier=%ZZ", "127.0.0.1:4000", 0, RELAY_CALLBACK_BAD_REQUEST },
    { "GET", "/callback", "denied=" TOKEN, "127.0.0.1:4000", 0, RELAY_CALLBACK_DENIED },
    { "GET", "/callback", "denied=someone-else", "127.0.0.1:4000", 0, RELAY_CALLBACK_BAD_REQUEST },
    { "GET", "/callback", "denied=" TOKEN "&denied=" TOKEN, "127.0.0.1:4000", 0, RELAY_CALLBACK_BAD_REQUEST },
    { "GET", "/callback", "denied=" TOKEN "&oauth_token=" TOKEN "&oauth_verifier=v1", "127.0.0.1:4000", 0, RELAY_CALLBACK_BAD_REQUEST },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *verifier = NULL;
      RelayCallbackVerdict verdict;

      verdict = relay_callback_validate (rows[i].method, rows[i].path, rows[i].query, rows[i].host,
                                         4000, rows[i].length, TOKEN, &verifier);
      g_test_message ("row %u: %s %s?%s", i, rows[i].method, rows[i].path, rows[i].query);
      g_assert_cmpint (verdict, ==, rows[i].verdict);
      if (verdict == RELAY_CALLBACK_ACCEPT)
        g_assert_cmpstr (verifier, ==, "v1");
      else
        g_assert_null (verifier);
    }

  /* Nothing pending, no port: nothing is accepted. */
  g_assert_cmpint (relay_callback_validate ("GET", "/callback", "oauth_token=&oauth_verifier=v", "127.0.0.1:4000",
                                            4000, 0, NULL, NULL), ==, RELAY_CALLBACK_BAD_REQUEST);
  g_assert_cmpint (relay_callback_validate ("GET", "/callback", "oauth_token=" TOKEN "&oauth_verifier=v",
                                            "127.0.0.1:0", 0, 0, TOKEN, NULL), ==, RELAY_CALLBACK_BAD_REQUEST);
}

static void
test_validate_bounds (void)
{
  g_autoptr(GString) query = g_string_new ("oauth_token=" TOKEN "&oauth_verifier=");
  g_autoptr(GString) long_query = g_string_new ("oauth_token=" TOKEN "&oauth_verifier=v&pad=");

  for (guint i = 0; i < 256; i++)
    g_string_append_c (query, 'v');
  g_assert_cmpint (relay_callback_validate ("GET", "/callback", query->str, "127.0.0.1:1", 1, 0, TOKEN, NULL),
                   ==, RELAY_CALLBACK_ACCEPT);
  g_string_append_c (query, 'v');
  g_assert_cmpint (relay_callback_validate ("GET", "/callback", query->str, "127.0.0.1:1", 1, 0, TOKEN, NULL),
                   ==, RELAY_CALLBACK_BAD_REQUEST);

  while (long_query->len < 4096 - strlen ("/callback?"))
    g_string_append_c (long_query, 'x');
  g_assert_cmpint (relay_callback_validate ("GET", "/callback", long_query->str, "127.0.0.1:1", 1, 0, TOKEN, NULL),
                   ==, RELAY_CALLBACK_ACCEPT);
  g_string_append_c (long_query, 'x');
  g_assert_cmpint (relay_callback_validate ("GET", "/callback", long_query->str, "127.0.0.1:1", 1, 0, TOKEN, NULL),
                   ==, RELAY_CALLBACK_BAD_REQUEST);
}

static void
test_binds_loopback (void)
{
  g_autoptr(RelayCallbackListener) a = relay_callback_listener_new (TOKEN);
  g_autoptr(RelayCallbackListener) b = relay_callback_listener_new (TOKEN);
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *expected = NULL;

  g_assert_null (relay_callback_listener_get_uri (a));
  g_assert_true (relay_callback_listener_start (a, &error));
  g_assert_no_error (error);
  g_assert_true (relay_callback_listener_start (b, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (relay_callback_listener_get_port (a), >, 0);
  g_assert_cmpuint (relay_callback_listener_get_port (a), !=, relay_callback_listener_get_port (b));

  uri = relay_callback_listener_get_uri (a);
  expected = g_strdup_printf ("http://127.0.0.1:%u/callback", relay_callback_listener_get_port (a));
  g_assert_cmpstr (uri, ==, expected);

  /* Started twice is refused. */
  g_assert_false (relay_callback_listener_start (a, &error));
  g_assert_error (error, RELAY_FLOW_ERROR, RELAY_FLOW_ERROR_STATE);

  relay_callback_listener_stop (a);
  relay_callback_listener_stop (b);
  assert_port_closed (relay_callback_listener_get_port (a));
  g_assert_finalize_object (g_steal_pointer (&a));
  g_assert_finalize_object (g_steal_pointer (&b));
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GBytes **body = user_data;
  g_autoptr(GError) error = NULL;

  *body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  g_assert_no_error (error);
}

static void
test_success (void)
{
  Waiter waiter = { 0 };
  g_autoptr(RelayCallbackListener) listener = start_listener (&waiter, NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *uri = relay_callback_listener_get_uri (listener);
  g_autofree char *full = g_strconcat (uri, "?oauth_token=" TOKEN "&oauth_verifier=%3Cb%3Ehi", NULL);
  SoupMessageHeaders *headers;
  guint port = relay_callback_listener_get_port (listener);
  const char *text;

  message = soup_message_new ("GET", full);
  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL, send_cb, &body);
  while (body == NULL)
    g_main_context_iteration (NULL, TRUE);
  run_until_done (&waiter);

  g_assert_no_error (waiter.error);
  g_assert_cmpstr (waiter.verifier, ==, "<b>hi");

  g_assert_cmpuint (soup_message_get_status (message), ==, 200);
  headers = soup_message_get_response_headers (message);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Content-Type"), ==, "text/html; charset=utf-8");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Cache-Control"), ==, "no-store");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Referrer-Policy"), ==, "no-referrer");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "X-Content-Type-Options"), ==, "nosniff");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Connection"), ==, "close");

  /* The page reflects nothing of the request. */
  text = g_bytes_get_data (body, NULL);

  /* A styled page, and the CSP allows exactly its one style by hash:
   * nothing else, no 'unsafe-inline'. */
  {
    const char *csp = soup_message_headers_get_one (headers, "Content-Security-Policy");
    const char *start = strstr (text, "<style>");
    const char *end = strstr (text, "</style>");
    g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
    guint8 digest[32];
    gsize len = sizeof digest;
    g_autofree char *hash = NULL;
    g_autofree char *expected = NULL;

    g_assert_nonnull (start);
    g_assert_nonnull (end);
    start += strlen ("<style>");
    g_checksum_update (checksum, (const guchar *) start, end - start);
    g_checksum_get_digest (checksum, digest, &len);
    hash = g_base64_encode (digest, len);
    expected = g_strdup_printf ("default-src 'none'; style-src 'sha256-%s'", hash);
    g_assert_cmpstr (csp, ==, expected);
    g_assert_nonnull (strstr (text, "<h1>You are signed in</h1>"));
    g_assert_nonnull (strstr (text, "<html lang=\"en\">"));
  }

  g_assert_nonnull (strstr (text, "close this tab"));
  g_assert_null (strstr (text, "<b>hi"));
  g_assert_null (strstr (text, TOKEN));

  /* One-shot: the port is closed now. */
  assert_port_closed (port);

  waiter_clear (&waiter);
  g_clear_object (&message);
  g_clear_object (&session);
  g_assert_finalize_object (g_steal_pointer (&listener));
}

static void
test_not_found (void)
{
  const char *targets[] = {
    "/callback/x?oauth_token=" TOKEN "&oauth_verifier=v",
    "/callbackx?oauth_token=" TOKEN "&oauth_verifier=v",
    "/favicon.ico",
    "/",
    "/callback%2F?oauth_token=" TOKEN "&oauth_verifier=v",
  };
  Waiter waiter = { 0 };
  g_autoptr(RelayCallbackListener) listener = start_listener (&waiter, NULL);
  g_autofree char *ok = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      g_autofree char *response = raw_get (listener, targets[i]);

      g_assert_cmpuint (status_of (response), ==, 404);
      g_assert_nonnull (strstr (response, "Cache-Control: no-store"));
      g_assert_false (waiter.done);
    }

  ok = raw_get (listener, "/callback?oauth_token=" TOKEN "&oauth_verifier=v9");
  g_assert_cmpuint (status_of (ok), ==, 200);
  run_until_done (&waiter);
  g_assert_no_error (waiter.error);
  g_assert_cmpstr (waiter.verifier, ==, "v9");
  waiter_clear (&waiter);
}

static void
test_method (void)
{
  const char *methods[] = { "POST", "PUT", "DELETE", "HEAD", "OPTIONS" };
  Waiter waiter = { 0 };
  g_autoptr(RelayCallbackListener) listener = start_listener (&waiter, NULL);
  guint port = relay_callback_listener_get_port (listener);

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      g_autofree char *request = g_strdup_printf ("%s /callback?oauth_token=" TOKEN "&oauth_verifier=v HTTP/1.1\r\n"
                                                  "Host: 127.0.0.1:%u\r\nConnection: close\r\n\r\n",
                                                  methods[i], port);
      g_autofree char *response = raw_request (port, request);

      g_assert_cmpuint (status_of (response), ==, 405);
      g_assert_nonnull (strstr (response, "\r\nAllow: GET\r\n"));
      g_assert_false (waiter.done);
    }

  relay_callback_listener_stop (listener);
  run_until_done (&waiter);
  g_assert_error (waiter.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (waiter.verifier);
  assert_port_closed (port);
  waiter_clear (&waiter);
}

static void
test_host (void)
{
  Waiter waiter = { 0 };
  g_autoptr(RelayCallbackListener) listener = start_listener (&waiter, NULL);
  guint port = relay_callback_listener_get_port (listener);
  const char *hosts[] = { "localhost:", "evil.example:", "127.0.0.1", "127.0.0.1:1", "[::1]:" };

  for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
    {
      g_autofree char *host = strcmp (hosts[i], "127.0.0.1") == 0
                              ? g_strdup (hosts[i]) : g_strdup_printf ("%s%u", hosts[i], port);
      g_autofree char *request = g_strdup_printf ("GET /callback?oauth_token=" TOKEN "&oauth_verifier=v HTTP/1.1\r\n"
                                                  "Host: %s\r\nConnection: close\r\n\r\n", host);
      g_autofree char *response = raw_request (port, request);

      g_assert_cmpuint (status_of (response), ==, 400);
      g_assert_false (waiter.done);
    }

  relay_callback_listener_stop (listener);
  run_until_done (&waiter);
  g_assert_error (waiter.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  waiter_clear (&waiter);
}

static void
test_body (void)
{
  Waiter waiter = { 0 };
  g_autoptr(RelayCallbackListener) listener = start_listener (&waiter, NULL);
  guint port = relay_callback_listener_get_port (listener);
  g_autofree char *with_length = NULL;
  g_autofree char *chunked = NULL;
  g_autofree char *response = NULL;
  g_autofree char *ok = NULL;

  /* A huge announced body that is never sent: the answer must come from
   * the headers alone, or this would hang. */
  with_length = g_strdup_printf ("GET /callback?oauth_token=" TOKEN "&oauth_verifier=v HTTP/1.1\r\n"
                                 "Host: 127.0.0.1:%u\r\nContent-Length: 100000000\r\n"
                                 "Connection: close\r\n\r\n", port);
  response = raw_request (port, with_length);
  g_assert_cmpuint (status_of (response), ==, 400);
  g_clear_pointer (&response, g_free);

  chunked = g_strdup_printf ("GET /callback?oauth_token=" TOKEN "&oauth_verifier=v HTTP/1.1\r\n"
                             "Host: 127.0.0.1:%u\r\nTransfer-Encoding: chunked\r\n"
                             "Connection: close\r\n\r\n", port);
  response = raw_request (port, chunked);
  g_assert_cmpuint (status_of (response), ==, 400);
  g_assert_false (waiter.done);

  ok = raw_get (listener, "/callback?oauth_token=" TOKEN "&oauth_verifier=v");
  g_assert_cmpuint (status_of (ok), ==, 200);
  run_until_done (&waiter);
  g_assert_no_error (waiter.error);
  waiter_clear (&waiter);
}

static void
test_long_target (void)
{
  Waiter waiter = { 0 };
  g_autoptr(RelayCallbackListener) listener = start_listener (&waiter, NULL);
  g_autoptr(GString) target = g_string_new ("/callback?oauth_token=" TOKEN "&oauth_verifier=v&pad=");
  g_autofree char *response = NULL;

  while (target->len <= 4096)
    g_string_append_c (target, 'x');
  response = raw_get (listener, target->str);
  g_assert_cmpuint (status_of (response), ==, 400);
  g_assert_false (waiter.done);

  relay_callback_listener_stop (listener);
  run_until_done (&waiter);
  waiter_clear (&waiter);
}

/* The listener's timeouts run on a manual clock in these tests. */
#define T0 (G_GINT64_CONSTANT (1000) * G_USEC_PER_SEC)
/* IO_TIMEOUT in relay-callback-listener.c */
#define STALL_SECONDS 5

typedef struct
{
  guint     port;
  gboolean  closed_by_server;
  gboolean  done;
} Stall;

/* Headers that never end: the listener must hang up on its own, after
 * STALL_SECONDS of simulated time. This client's own patience (15 s of
 * real time) only keeps a broken listener from hanging the test. */
static gpointer
stall_thread (gpointer user_data)
{
  static const char partial[] = "GET /callback?oauth_token=" TOKEN " HTTP/1.1\r\nHost: 127.0.0.1";
  Stall *stall = user_data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  char buffer[256];
  gssize n;

  g_socket_client_set_timeout (client, 15);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", stall->port, NULL, NULL);
  if (connection != NULL)
    {
      g_autoptr(GError) error = NULL;

      g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                 partial, strlen (partial), NULL, NULL, NULL);
      while ((n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                       buffer, sizeof buffer, NULL, &error)) > 0)
        ;
      stall->closed_by_server = n == 0 || !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
    }
  g_atomic_int_set (&stall->done, TRUE);
  g_main_context_wakeup (NULL);

  return NULL;
}

static void
test_stalled_request (void)
{
  Waiter waiter = { 0 };
  g_autoptr(RelayClock) clock = relay_clock_new_manual (T0);
  g_autoptr(RelayCallbackListener) listener = relay_callback_listener_new (TOKEN);
  g_autoptr(GError) error = NULL;
  Stall stall = { 0, FALSE, FALSE };
  GThread *thread;
  g_autofree char *ok = NULL;

  relay_callback_listener_set_clock (listener, clock);
  g_assert_true (relay_callback_listener_start (listener, &error));
  relay_callback_listener_wait_async (listener, NULL, waiter_cb, &waiter);
  /* The flow's timeout is armed; the stalled connection's comes with it. */
  g_assert_cmpuint (relay_clock_get_n_armed (clock), ==, 1);
  stall.port = relay_callback_listener_get_port (listener);
  thread = g_thread_new ("stall", stall_thread, &stall);
  while (relay_clock_get_n_armed (clock) < 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (relay_clock_get_next_deadline (clock), ==, T0 + STALL_SECONDS * G_USEC_PER_SEC);

  relay_clock_advance (clock, STALL_SECONDS * G_USEC_PER_SEC - 1);
  g_assert_false (g_atomic_int_get (&stall.done));
  relay_clock_advance (clock, 1);
  while (!g_atomic_int_get (&stall.done))
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);

  g_assert_true (stall.closed_by_server);
  g_assert_false (waiter.done);

  /* The flow is not consumed: the real callback still completes it. */
  ok = raw_get (listener, "/callback?oauth_token=" TOKEN "&oauth_verifier=right");
  g_assert_cmpuint (status_of (ok), ==, 200);
  run_until_done (&waiter);
  g_assert_no_error (waiter.error);
  g_assert_cmpstr (waiter.verifier, ==, "right");
  waiter_clear (&waiter);
}

static void
test_wrong_token_then_right (void)
{
  const char *bad[] = {
    "/callback?oauth_token=wrong&oauth_verifier=v",
    "/callback?oauth_token=" TOKEN "&oauth_token=" TOKEN "&oauth_verifier=v",
    "/callback?oauth_token=" TOKEN "&oauth_verifier=v&oauth_verifier=w",
    "/callback?oauth_token=" TOKEN "&oauth_verifier=",
    "/callback?oauth_token=" TOKEN,
    "/callback?oauth_token=" TOKEN "&oauth_verifier=%01",
    "/callback?denied=not-the-token",
    "/callback?oauth_token=%3Cscript%3Emarker%3C%2Fscript%3E&oauth_verifier=v",
  };
  Waiter waiter = { 0 };
  g_autoptr(RelayCallbackListener) listener = start_listener (&waiter, NULL);
  g_autofree char *ok = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *response = raw_get (listener, bad[i]);

      g_assert_cmpuint (status_of (response), ==, 400);
      g_assert_null (strstr (response, "marker"));
      g_assert_false (waiter.done);
    }

  ok = raw_get (listener, "/callback?oauth_token=" TOKEN "&oauth_verifier=right");
  g_assert_cmpuint (status_of (ok), ==, 200);
  run_until_done (&waiter);
  g_assert_no_error (waiter.error);
  g_assert_cmpstr (waiter.verifier, ==, "right");
  waiter_clear (&waiter);
}

static void
test_denied (void)
{
  Waiter waiter = { 0 };
  g_autoptr(RelayCallbackListener) listener = start_listener (&waiter, NULL);
  guint port = relay_callback_listener_get_port (listener);
  g_autofree char *response = raw_get (listener, "/callback?denied=" TOKEN);

  g_assert_cmpuint (status_of (response), ==, 200);
  g_assert_nonnull (strstr (response, "not authorized"));
  run_until_done (&waiter);
  g_assert_error (waiter.error, RELAY_FLOW_ERROR, RELAY_FLOW_ERROR_DENIED);
  g_assert_null (waiter.verifier);
  assert_port_closed (port);
  waiter_clear (&waiter);
}

/* Wrong guesses are ignored, however many: they must not let a local
 * process end the user's sign-in, and the real callback still completes. */
static void
test_many_wrong_tokens (void)
{
  Waiter waiter = { 0 };
  g_autoptr(RelayCallbackListener) listener = start_listener (&waiter, NULL);
  g_autofree char *ok = NULL;

  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *response = raw_get (listener, "/callback?oauth_token=guess&oauth_verifier=v");

      g_assert_cmpuint (status_of (response), ==, 400);
      g_assert_false (waiter.done);
    }

  ok = raw_get (listener, "/callback?oauth_token=" TOKEN "&oauth_verifier=late");
  g_assert_cmpuint (status_of (ok), ==, 200);
  run_until_done (&waiter);
  g_assert_no_error (waiter.error);
  g_assert_cmpstr (waiter.verifier, ==, "late");
  waiter_clear (&waiter);
}

static void
test_timeout (void)
{
  Waiter waiter = { 0 };
  g_autoptr(RelayCallbackListener) listener = relay_callback_listener_new (TOKEN);
  g_autoptr(RelayClock) clock = relay_clock_new_manual (T0);
  g_autoptr(GError) error = NULL;
  guint port;

  /* The default: ten minutes of simulated time, not a moment less. */
  relay_callback_listener_set_clock (listener, clock);
  g_assert_true (relay_callback_listener_start (listener, &error));
  port = relay_callback_listener_get_port (listener);
  relay_callback_listener_wait_async (listener, NULL, waiter_cb, &waiter);
  relay_clock_advance (clock, RELAY_CALLBACK_DEFAULT_TIMEOUT * G_USEC_PER_SEC - 1);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_false (waiter.done);
  relay_clock_advance (clock, 1);
  run_until_done (&waiter);

  g_assert_error (waiter.error, RELAY_FLOW_ERROR, RELAY_FLOW_ERROR_TIMED_OUT);
  assert_port_closed (port);
  waiter_clear (&waiter);
  g_assert_finalize_object (g_steal_pointer (&listener));
}

static void
test_cancel (void)
{
  Waiter waiter = { 0 };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(RelayCallbackListener) listener = start_listener (&waiter, cancellable);
  guint port = relay_callback_listener_get_port (listener);

  g_cancellable_cancel (cancellable);
  run_until_done (&waiter);
  g_assert_error (waiter.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_port_closed (port);
  waiter_clear (&waiter);
  g_assert_finalize_object (g_steal_pointer (&listener));
}

static void
test_outcome_before_wait (void)
{
  g_autoptr(RelayCallbackListener) listener = relay_callback_listener_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *response = NULL;
  Waiter waiter = { 0 };

  g_assert_true (relay_callback_listener_start (listener, &error));

  /* No token pending yet: nothing is accepted. */
  response = raw_get (listener, "/callback?oauth_token=&oauth_verifier=v");
  g_assert_cmpuint (status_of (response), ==, 400);
  g_clear_pointer (&response, g_free);

  relay_callback_listener_set_pending_token (listener, TOKEN);
  response = raw_get (listener, "/callback?oauth_token=" TOKEN "&oauth_verifier=early");
  g_assert_cmpuint (status_of (response), ==, 200);

  /* The verifier waits for the waiter. */
  relay_callback_listener_wait_async (listener, NULL, waiter_cb, &waiter);
  run_until_done (&waiter);
  g_assert_no_error (waiter.error);
  g_assert_cmpstr (waiter.verifier, ==, "early");
  waiter_clear (&waiter);
}

/* A shorter timeout, set after start, moves the deadline. */
static void
test_set_timeout (void)
{
  Waiter waiter = { 0 };
  g_autoptr(RelayCallbackListener) listener = relay_callback_listener_new (TOKEN);
  g_autoptr(RelayClock) clock = relay_clock_new_manual (T0);
  g_autoptr(GError) error = NULL;

  relay_callback_listener_set_clock (listener, clock);
  g_assert_true (relay_callback_listener_start (listener, &error));
  relay_callback_listener_wait_async (listener, NULL, waiter_cb, &waiter);
  relay_clock_advance (clock, 10 * G_USEC_PER_SEC);
  relay_callback_listener_set_timeout (listener, 30);
  g_assert_cmpint (relay_clock_get_next_deadline (clock), ==, T0 + 40 * G_USEC_PER_SEC);
  relay_clock_advance (clock, 30 * G_USEC_PER_SEC);
  run_until_done (&waiter);
  g_assert_error (waiter.error, RELAY_FLOW_ERROR, RELAY_FLOW_ERROR_TIMED_OUT);
  waiter_clear (&waiter);
}

typedef struct
{
  RelayClock *clock;
  guint       port;        /* set by the worker once listening */
  Waiter      waiter;
} Worker;

/* A listener on a worker thread with its own main context: its callback
 * page, the idle that finishes it and its timeouts must all run there,
 * not on the global default context that nobody runs here. */
static gpointer
worker_thread (gpointer user_data)
{
  Worker *worker = user_data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(RelayCallbackListener) listener = relay_callback_listener_new (TOKEN);
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (context);
  relay_callback_listener_set_clock (listener, worker->clock);
  g_assert_true (relay_callback_listener_start (listener, &error));
  relay_callback_listener_wait_async (listener, NULL, waiter_cb, &worker->waiter);
  g_atomic_int_set (&worker->port, relay_callback_listener_get_port (listener));

  while (!worker->waiter.done)
    g_main_context_iteration (context, TRUE);

  g_main_context_pop_thread_default (context);
  g_clear_object (&listener);

  return NULL;
}

static char *
worker_get (guint       port,
            const char *target)
{
  g_autofree char *request = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
                                              "Connection: close\r\n\r\n", target, port);
  RawRequest raw = { port, request, NULL, FALSE };

  /* On this thread: the worker serves while this one blocks. */
  raw_thread (&raw);
  return raw.response;
}

static void
test_worker_thread (void)
{
  for (guint succeed = 0; succeed < 2; succeed++)
    {
      g_autoptr(GMainContext) mine = g_main_context_new ();
      g_autoptr(RelayClock) clock = relay_clock_new_manual (T0);
      Worker worker = { clock, 0, { 0 } };
      GThread *thread = g_thread_new ("listener", worker_thread, &worker);
      g_autofree char *wrong = NULL;
      guint port;

      /* This thread runs a context of its own, so the clock only wakes
       * the others: nothing can run on the wrong thread by accident. */
      g_main_context_push_thread_default (mine);

      while ((port = g_atomic_int_get (&worker.port)) == 0)
        g_thread_yield ();

      wrong = worker_get (port, "/callback?oauth_token=wrong&oauth_verifier=v");
      g_assert_cmpuint (status_of (wrong), ==, 400);

      if (succeed)
        {
          /* The page is written, then an idle on the worker's context
           * ends the flow. */
          g_autofree char *ok = worker_get (port, "/callback?oauth_token=" TOKEN "&oauth_verifier=worker");

          g_assert_cmpuint (status_of (ok), ==, 200);
          g_thread_join (thread);
          g_assert_no_error (worker.waiter.error);
          g_assert_cmpstr (worker.waiter.verifier, ==, "worker");
        }
      else
        {
          /* The flow's timeout fires on the worker's context. */
          g_assert_cmpuint (relay_clock_get_n_armed (clock), >=, 1);
          relay_clock_advance (clock, RELAY_CALLBACK_DEFAULT_TIMEOUT * G_USEC_PER_SEC);
          g_thread_join (thread);
          g_assert_error (worker.waiter.error, RELAY_FLOW_ERROR, RELAY_FLOW_ERROR_TIMED_OUT);
        }

      assert_port_closed (port);
      waiter_clear (&worker.waiter);
      g_main_context_pop_thread_default (mine);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/relay/callback-listener/validate", test_validate);
  g_test_add_func ("/relay/callback-listener/validate-bounds", test_validate_bounds);
  g_test_add_func ("/relay/callback-listener/binds-loopback", test_binds_loopback);
  g_test_add_func ("/relay/callback-listener/success", test_success);
  g_test_add_func ("/relay/callback-listener/not-found", test_not_found);
  g_test_add_func ("/relay/callback-listener/method", test_method);
  g_test_add_func ("/relay/callback-listener/host", test_host);
  g_test_add_func ("/relay/callback-listener/body", test_body);
  g_test_add_func ("/relay/callback-listener/long-target", test_long_target);
  g_test_add_func ("/relay/callback-listener/stalled-request", test_stalled_request);
  g_test_add_func ("/relay/callback-listener/wrong-token-then-right", test_wrong_token_then_right);
  g_test_add_func ("/relay/callback-listener/denied", test_denied);
  g_test_add_func ("/relay/callback-listener/many-wrong-tokens", test_many_wrong_tokens);
  g_test_add_func ("/relay/callback-listener/timeout", test_timeout);
  g_test_add_func ("/relay/callback-listener/set-timeout", test_set_timeout);
  g_test_add_func ("/relay/callback-listener/worker-thread", test_worker_thread);
  g_test_add_func ("/relay/callback-listener/cancel", test_cancel);
  g_test_add_func ("/relay/callback-listener/outcome-before-wait", test_outcome_before_wait);

  return g_test_run ();
}
