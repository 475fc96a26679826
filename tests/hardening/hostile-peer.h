/* hostile-peer.h — a provider that misbehaves on purpose
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A one-connection-at-a-time HTTP peer on 127.0.0.1, in its own thread
 * with blocking sockets, for what the sandbox will not do: drip an answer,
 * drop the connection after reading the request, send headers too large,
 * or never read at all. It is the attacker, not a stand-in for Relay's
 * sandbox.
 */

#pragma once

#include <gio/gio.h>
#include <string.h>

typedef enum
{
  HOSTILE_DRIP,           /* read the request, send headers and one byte, hang */
  HOSTILE_CLOSE,          /* read the request, close without a word */
  HOSTILE_HUGE_HEADERS,   /* read the request, answer with 256 KB of headers */
  HOSTILE_NEVER_READ,     /* accept, read nothing, hang */
  HOSTILE_ANSWER,         /* read the request, answer 200 with a body */
} HostileMode;

typedef struct
{
  GSocket     *listener;
  GThread     *thread;
  HostileMode  mode;
  char        *answer;
  guint16      port;
  /* Set by the peer's thread; read with g_atomic_int_get (). */
  int          accepted;
  int          request_read;
  int          answered;
  int          stop;
  char        *request;
} HostilePeer;

static inline gboolean
hostile_read_request (GSocket  *socket,
                      GString  *request)
{
  char buffer[4096];
  gssize n;
  const char *end;
  gsize length = 0;

  while ((end = strstr (request->str, "\r\n\r\n")) == NULL)
    {
      if ((n = g_socket_receive (socket, buffer, sizeof buffer, NULL, NULL)) <= 0)
        return FALSE;
      g_string_append_len (request, buffer, n);
    }

  {
    const char *header = g_strstr_len (request->str, end - request->str, "Content-Length: ");

    if (header != NULL)
      length = g_ascii_strtoull (header + 16, NULL, 10);
  }

  while (request->len < (gsize) (end - request->str) + 4 + length)
    {
      if ((n = g_socket_receive (socket, buffer, sizeof buffer, NULL, NULL)) <= 0)
        return FALSE;
      g_string_append_len (request, buffer, n);
      end = strstr (request->str, "\r\n\r\n");
    }

  return TRUE;
}

static inline void
hostile_send (GSocket    *socket,
              const char *data,
              gsize       len)
{
  while (len > 0)
    {
      gssize n = g_socket_send (socket, data, len, NULL, NULL);

      if (n <= 0)
        return;
      data += n;
      len -= n;
    }
}

static inline void
hostile_hang (HostilePeer *peer)
{
  while (!g_atomic_int_get (&peer->stop))
    g_usleep (10000);
}

static inline gpointer
hostile_thread (gpointer user_data)
{
  HostilePeer *peer = user_data;

  while (!g_atomic_int_get (&peer->stop))
    {
      g_autoptr(GSocket) socket = g_socket_accept (peer->listener, NULL, NULL);
      g_autoptr(GString) request = g_string_new (NULL);

      if (socket == NULL)
        break;
      g_atomic_int_inc (&peer->accepted);

      if (peer->mode == HOSTILE_NEVER_READ)
        {
          hostile_hang (peer);
          break;
        }

      if (!hostile_read_request (socket, request))
        continue;
      g_free (peer->request);
      peer->request = g_strdup (request->str);
      g_atomic_int_inc (&peer->request_read);

      switch (peer->mode)
        {
        case HOSTILE_DRIP:
          {
            static const char head[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                       "Transfer-Encoding: chunked\r\n\r\n1\r\n{\r\n";

            hostile_send (socket, head, sizeof head - 1);
            g_atomic_int_inc (&peer->answered);
            hostile_hang (peer);
          }
          break;

        case HOSTILE_CLOSE:
          break;

        case HOSTILE_HUGE_HEADERS:
          {
            GString *head = g_string_new ("HTTP/1.1 200 OK\r\nX-Filler: ");

            while (head->len < 256 * 1024)
              g_string_append (head, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
            g_string_append (head, "\r\nContent-Length: 2\r\n\r\n{}");
            hostile_send (socket, head->str, head->len);
            g_string_free (head, TRUE);
            g_atomic_int_inc (&peer->answered);
          }
          break;

        case HOSTILE_ANSWER:
          {
            g_autofree char *head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                                     "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                                                     strlen (peer->answer));

            hostile_send (socket, head, strlen (head));
            hostile_send (socket, peer->answer, strlen (peer->answer));
            g_atomic_int_inc (&peer->answered);
          }
          break;

        case HOSTILE_NEVER_READ:
        default:
          break;
        }

      g_socket_shutdown (socket, FALSE, TRUE, NULL);
      g_socket_close (socket, NULL);
    }

  return NULL;
}

static inline HostilePeer *
hostile_peer_new (HostileMode  mode,
                  const char  *answer)
{
  HostilePeer *peer = g_new0 (HostilePeer, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  peer->mode = mode;
  peer->answer = g_strdup (answer != NULL ? answer : "{}");
  peer->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (peer->listener, address, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (peer->listener, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (peer->listener, &error);
  g_assert_no_error (error);
  peer->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  peer->thread = g_thread_new ("hostile-peer", hostile_thread, peer);

  return peer;
}

static inline char *
hostile_peer_get_base (HostilePeer *peer)
{
  return g_strdup_printf ("http://127.0.0.1:%u", peer->port);
}

static inline void
hostile_peer_free (HostilePeer *peer)
{
  g_atomic_int_set (&peer->stop, 1);
  /* Wakes a blocking accept () */
  g_socket_shutdown (peer->listener, TRUE, TRUE, NULL);
  g_socket_close (peer->listener, NULL);
  g_thread_join (peer->thread);
  g_object_unref (peer->listener);
  g_free (peer->answer);
  g_free (peer->request);
  g_free (peer);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HostilePeer, hostile_peer_free)
