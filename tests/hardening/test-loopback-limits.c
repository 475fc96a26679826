/* test-loopback-limits.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 14, item 7: relay-sandbox never closed idle connections, so one
 * client could hold all its file descriptors; and out of descriptors,
 * GSocketService retried accept() at once and warned each time (100 %
 * CPU, a flood of warnings; the callback listener wrote 161 KB of them).
 * The loopback server Relay's sandbox and listener share now closes idle
 * and slow connections, and pauses after a failed accept.
 */

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <string.h>
#include <sys/resource.h>

#include "relay-test-loopback.h"

#define IDLE_SECONDS 10

static guint accept_failed_logs;
static guint accept_again_logs;

static GLogWriterOutput
count_writer (GLogLevelFlags   level,
              const GLogField *fields,
              gsize            n_fields,
              gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (strcmp (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0)
      {
        const char *message = fields[i].value;

        if (strstr (message, "cannot accept") != NULL || strstr (message, "fail:") != NULL)
          accept_failed_logs++;
        if (strstr (message, "accepts connections again") != NULL)
          accept_again_logs++;
      }

  return g_log_writer_default (level, fields, n_fields, user_data);
}

static void
hello_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "hello", 5);
}

typedef struct
{
  RelayTestLoopback loop;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  relay_test_loopback_start (&f->loop, hello_cb, NULL, IDLE_SECONDS);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  relay_test_loopback_stop (&f->loop);
}

static void
spin (guint n)
{
  for (guint i = 0; i < n; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (1000);
    }
}

static GSocket *
connect_to (Fixture *f)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, f->loop.port);
  g_autoptr(GError) error = NULL;
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);

  if (socket == NULL)
    return NULL;
  if (!g_socket_connect (socket, address, NULL, &error))
    {
      g_object_unref (socket);
      return NULL;
    }
  return socket;
}

static void
send_text (GSocket    *socket,
           const char *text)
{
  g_assert_cmpint (g_socket_send (socket, text, strlen (text), NULL, NULL), ==, (gssize) strlen (text));
}

/* Whether the server closed @socket (reads EOF), pumping the server's
 * main loop meanwhile. */
static gboolean
closed_by_server (GSocket *socket)
{
  for (guint i = 0; i < 2000; i++)
    {
      char buffer[512];
      gssize n;

      spin (1);
      if (!g_socket_condition_check (socket, G_IO_IN | G_IO_HUP | G_IO_ERR))
        continue;
      n = g_socket_receive (socket, buffer, sizeof buffer, NULL, NULL);
      if (n <= 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
answered (GSocket *socket)
{
  GString *reply = g_string_new (NULL);
  gboolean ok = FALSE;

  for (guint i = 0; i < 2000 && !ok; i++)
    {
      char buffer[512];
      gssize n;

      spin (1);
      if (!g_socket_condition_check (socket, G_IO_IN))
        continue;
      if ((n = g_socket_receive (socket, buffer, sizeof buffer, NULL, NULL)) <= 0)
        break;
      g_string_append_len (reply, buffer, n);
      ok = strstr (reply->str, "hello") != NULL;
    }
  g_string_free (reply, TRUE);

  return ok;
}

static void
test_idle_closed (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GSocket) idle = connect_to (f);
  g_autoptr(GSocket) slow = connect_to (f);

  g_assert_nonnull (idle);
  g_assert_nonnull (slow);
  /* Headers that never end. */
  send_text (slow, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
  spin (50);

  relay_clock_advance (f->loop.clock, IDLE_SECONDS * G_USEC_PER_SEC - 1);
  spin (20);
  g_assert_false (g_socket_condition_check (idle, G_IO_IN | G_IO_HUP));
  g_assert_false (g_socket_condition_check (slow, G_IO_IN | G_IO_HUP));

  relay_clock_advance (f->loop.clock, 1);
  g_assert_true (closed_by_server (idle));
  g_assert_true (closed_by_server (slow));
}

static guint
count_open_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* Out of descriptors: one message, a pause on the clock, no retries in
 * the meantime; when descriptors are free again, accepting resumes. */
static void
test_accept_backs_off (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSocket) late = NULL;
  struct rlimit saved, tight;
  guint armed;
  int reserve;

  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &saved), ==, 0);
  tight = saved;
  tight.rlim_cur = count_open_fds () + 16;
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &tight), ==, 0);
  reserve = open ("/dev/null", O_RDONLY);
  g_assert_cmpint (reserve, >=, 0);

  /* Fill the table: the kernel completes connections the server cannot
   * accept (the backlog), and each client holds a descriptor. */
  for (;;)
    {
      GSocket *client = connect_to (f);

      if (client == NULL)
        break;
      g_ptr_array_add (clients, client);
      spin (1);
    }
  /* Every descriptor is in use: free one for a last client, whose
   * connection the server then cannot accept. */
  g_assert_cmpuint (clients->len, >, 1);
  close (reserve);
  spin (20);
  late = connect_to (f);
  g_assert_nonnull (late);
  spin (20);
  armed = relay_clock_get_n_armed (f->loop.clock);

  /* Plenty of main loop, no clock: GSocketService would have retried
   * (and warned) thousands of times by now. */
  spin (300);
  g_assert_cmpuint (accept_failed_logs, ==, 1);
  g_assert_cmpuint (relay_clock_get_n_armed (f->loop.clock), >=, 1);
  g_assert_cmpuint (relay_clock_get_n_armed (f->loop.clock), ==, armed);

  g_ptr_array_set_size (clients, 0);
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &saved), ==, 0);
  relay_clock_advance (f->loop.clock, 2 * G_USEC_PER_SEC);
  spin (50);
  g_assert_cmpuint (accept_again_logs, ==, 1);

  /* The connection that waited is served. */
  send_text (late, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  g_assert_true (answered (late));
}

int
main (int    argc,
      char **argv)
{
  g_log_set_writer_func (count_writer, NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/relay/loopback-limits/idle-closed", Fixture, NULL, fixture_setup, test_idle_closed, fixture_teardown);
  g_test_add ("/relay/loopback-limits/accept-backs-off", Fixture, NULL, fixture_setup, test_accept_backs_off,
              fixture_teardown);

  return g_test_run ();
}
