/* test-loopback-keepalive.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 14: the loopback server of relay-sandbox and the callback
 * listener answered one request per connection and then closed it
 * without saying so, although HTTP/1.1 connections persist by default:
 * a second request on the connection, or a pipelined one, got no answer.
 * Each answer must either announce "Connection: close" and end the
 * connection, or leave it open and answer the next request too. And a
 * request whose length two parsers could read differently (how requests
 * are smuggled) is refused, and its connection closed.
 */

#include <string.h>

#include "relay-test-loopback.h"

typedef struct
{
  RelayTestLoopback loop;
  guint           handled;
} Fixture;

static void
echo_path_cb (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  Fixture *f = user_data;
  g_autofree char *body = g_strdup_printf ("answer to %s", path);
  gsize length = strlen (body);

  f->handled++;
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_TAKE, g_steal_pointer (&body), length);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  /* The limits stay in force: nothing here waits that long. */
  relay_test_loopback_start (&f->loop, echo_path_cb, f, 10);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  relay_test_loopback_stop (&f->loop);
}

static void
spin (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_usleep (1000);
}

static void
connected_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  *(GSocketConnection **) user_data = g_socket_client_connect_finish (G_SOCKET_CLIENT (object), result, &error);
  g_assert_no_error (error);
}

/* A plain TCP client: the test writes and reads the bytes itself. */
static GSocketConnection *
connect_to (Fixture *f)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, f->loop.port);
  GSocketConnection *connection = NULL;

  g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (address), NULL, connected_cb, &connection);
  while (connection == NULL)
    g_main_context_iteration (NULL, TRUE);

  return connection;
}

static void
send_text (GSocketConnection *connection,
           const char        *text)
{
  GSocket *socket = g_socket_connection_get_socket (connection);

  g_assert_cmpint (g_socket_send (socket, text, strlen (text), NULL, NULL), ==, (gssize) strlen (text));
}

typedef struct
{
  GString  *buffer;   /* read, not yet taken as a response */
  gboolean  eof;
} Reader;

/* Reads what the server sends until @done holds or it closes; the
 * server's main loop runs meanwhile. Bounded: a server that neither
 * answers nor closes ends the loop too. */
static void
read_until (GSocketConnection *connection,
            Reader            *reader,
            gboolean         (*done) (Reader *reader))
{
  GSocket *socket = g_socket_connection_get_socket (connection);

  for (guint i = 0; i < 3000 && !reader->eof && !done (reader); i++)
    {
      char chunk[1024];
      gssize n;

      spin ();
      if (!g_socket_condition_check (socket, G_IO_IN | G_IO_HUP | G_IO_ERR))
        continue;
      n = g_socket_receive (socket, chunk, sizeof chunk, NULL, NULL);
      if (n <= 0)
        reader->eof = TRUE;
      else
        g_string_append_len (reader->buffer, chunk, n);
    }
}

/* The length of the first complete response in @reader, or 0. */
static gsize
response_length (Reader *reader)
{
  const char *end = strstr (reader->buffer->str, "\r\n\r\n");
  g_autofree char *head = NULL;
  SoupMessageHeaders *headers;
  goffset length;

  if (end == NULL)
    return 0;

  head = g_strndup (reader->buffer->str, end + 2 - reader->buffer->str);
  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_assert_true (soup_headers_parse_response (head, strlen (head), headers, NULL, NULL, NULL));
  length = soup_message_headers_get_content_length (headers);
  soup_message_headers_unref (headers);

  if (reader->buffer->len < (gsize) (end + 4 - reader->buffer->str) + length)
    return 0;
  return (end + 4 - reader->buffer->str) + length;
}

static gboolean
has_response (Reader *reader)
{
  return response_length (reader) > 0;
}

typedef struct
{
  guint  status;
  char  *body;
  gboolean close;   /* said "Connection: close" */
} Response;

static void
response_clear (Response *response)
{
  g_free (response->body);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Response, response_clear)

/* Takes the first response out of @reader, which must hold one. */
static void
take_response (Reader   *reader,
               Response *response)
{
  gsize length = response_length (reader);
  const char *end = strstr (reader->buffer->str, "\r\n\r\n");
  SoupMessageHeaders *headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autofree char *head = NULL;

  g_assert_cmpuint (length, >, 0);
  head = g_strndup (reader->buffer->str, end + 2 - reader->buffer->str);
  g_assert_true (soup_headers_parse_response (head, strlen (head), headers, NULL, &response->status, NULL));
  response->close = soup_message_headers_header_contains (headers, "Connection", "close");
  response->body = g_strndup (end + 4, length - (end + 4 - reader->buffer->str));
  soup_message_headers_unref (headers);
  g_string_erase (reader->buffer, 0, length);
}

/* After an answer that said "Connection: close", the server sends
 * nothing more and ends the connection. */
static void
assert_closed_after (GSocketConnection *connection,
                     Reader            *reader)
{
  read_until (connection, reader, has_response);
  g_assert_cmpstr (reader->buffer->str, ==, "");
  g_assert_true (reader->eof);
}

/* A second request on a connection whose first answer kept it open is
 * answered; where the answer said it closes, it closes. */
static void
test_two_requests (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GSocketConnection) connection = connect_to (f);
  Reader reader = { g_string_new (NULL), FALSE };
  g_auto(Response) first = { 0 };

  send_text (connection, "GET /first HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  read_until (connection, &reader, has_response);
  take_response (&reader, &first);
  g_assert_cmpuint (first.status, ==, 200);
  g_assert_cmpstr (first.body, ==, "answer to /first");

  if (first.close)
    {
      assert_closed_after (connection, &reader);
    }
  else
    {
      g_auto(Response) second = { 0 };

      /* Kept open: then it must serve the next request. */
      send_text (connection, "GET /second HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      read_until (connection, &reader, has_response);
      take_response (&reader, &second);
      g_assert_cmpuint (second.status, ==, 200);
      g_assert_cmpstr (second.body, ==, "answer to /second");
    }

  g_string_free (reader.buffer, TRUE);
}

/* Two requests in one write: the first answer comes whole and first; the
 * second either follows or the first said the connection closes (the
 * client then sends it again on a new one), never a silent close. */
static void
test_pipelined (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GSocketConnection) connection = connect_to (f);
  Reader reader = { g_string_new (NULL), FALSE };
  g_auto(Response) first = { 0 };

  send_text (connection,
             "GET /one HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
             "GET /two HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  read_until (connection, &reader, has_response);
  take_response (&reader, &first);
  g_assert_cmpuint (first.status, ==, 200);
  g_assert_cmpstr (first.body, ==, "answer to /one");

  if (first.close)
    {
      assert_closed_after (connection, &reader);
      g_assert_cmpuint (f->handled, ==, 1);
    }
  else
    {
      g_auto(Response) second = { 0 };

      read_until (connection, &reader, has_response);
      take_response (&reader, &second);
      g_assert_cmpuint (second.status, ==, 200);
      g_assert_cmpstr (second.body, ==, "answer to /two");
    }

  g_string_free (reader.buffer, TRUE);
}

/* Requests whose end two parsers could place differently: refused with
 * 400 before any handler runs, and the connection closed, so whatever
 * follows is never read as a request. */
static void
test_ambiguous_length (Fixture       *f,
                       gconstpointer  data)
{
  const char *const requests[] = {
    /* Chunked says the body is empty; the length says it has 5 bytes. */
    "POST /a HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
    "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    "POST /a HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"
    "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    /* Two lengths. */
    "POST /a HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1\r\nContent-Length: 40\r\n\r\n"
    "xGET /smuggled HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    "POST /a HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1, 1\r\n\r\nx",
    /* Not a number. */
    "POST /a HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: +1\r\n\r\nx",
    "POST /a HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0x10\r\n\r\n0123456789abcdef",
    /* A coding after chunked, or none that says where the body ends. */
    "POST /a HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n"
    "0\r\n\r\n",
    "POST /a HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    {
      g_autoptr(GSocketConnection) connection = connect_to (f);
      Reader reader = { g_string_new (NULL), FALSE };
      g_auto(Response) answer = { 0 };

      g_test_message ("request %u", i);
      send_text (connection, requests[i]);
      read_until (connection, &reader, has_response);
      take_response (&reader, &answer);
      g_assert_cmpuint (answer.status, >=, 400);
      g_assert_cmpuint (answer.status, <, 600);
      g_assert_true (answer.close);
      assert_closed_after (connection, &reader);
      g_string_free (reader.buffer, TRUE);
    }

  g_assert_cmpuint (f->handled, ==, 0);

  /* A plain POST with one length is served as before. */
  {
    g_autoptr(GSocketConnection) connection = connect_to (f);
    Reader reader = { g_string_new (NULL), FALSE };
    g_auto(Response) answer = { 0 };

    send_text (connection, "POST /plain HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\nok");
    read_until (connection, &reader, has_response);
    take_response (&reader, &answer);
    g_assert_cmpuint (answer.status, ==, 200);
    g_assert_cmpstr (answer.body, ==, "answer to /plain");
    g_string_free (reader.buffer, TRUE);
  }
  {
    g_autoptr(GSocketConnection) connection = connect_to (f);
    Reader reader = { g_string_new (NULL), FALSE };
    g_auto(Response) answer = { 0 };

    send_text (connection, "POST /chunked HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                           "2\r\nok\r\n0\r\n\r\n");
    read_until (connection, &reader, has_response);
    take_response (&reader, &answer);
    g_assert_cmpuint (answer.status, ==, 200);
    g_assert_cmpstr (answer.body, ==, "answer to /chunked");
    g_string_free (reader.buffer, TRUE);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/relay/loopback-keepalive/two-requests", Fixture, NULL, fixture_setup, test_two_requests,
              fixture_teardown);
  g_test_add ("/relay/loopback-keepalive/pipelined", Fixture, NULL, fixture_setup, test_pipelined,
              fixture_teardown);
  g_test_add ("/relay/loopback-keepalive/ambiguous-length", Fixture, NULL, fixture_setup, test_ambiguous_length,
              fixture_teardown);

  return g_test_run ();
}
