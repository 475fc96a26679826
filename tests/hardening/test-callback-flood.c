/* test-callback-flood.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sign-in listener under attack (issue 6, item 4). While a real
 * RelayCallbackListener waits for its callback, flood-callback.py (a
 * separate process) sends it 10,000 hostile requests: wrong paths,
 * methods, hosts and tokens, denials with a wrong token, oversized URLs
 * and headers, bodies, slow partial requests and garbage, each bounded in
 * time, with probes that must be answered promptly. Then:
 *  - the flow is still waiting (nothing hostile ended or completed it);
 *  - this process grew by less than 5 MB of resident memory;
 *  - the real callback completes it with the right verifier, and the
 *    port is closed afterwards.
 */

#include <gio/gio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "relay-callback-listener.h"

#define PENDING_TOKEN  "hh5s93j4hdidpola"
#define VERIFIER       "hfdp7dh39dks9884"
#define FLOOD_REQUESTS "10000"
#define WARM_UP_REQUESTS "500"
#define MAX_GROWTH_KB  (5 * 1024)

typedef struct
{
  GMainLoop *loop;
  char      *verifier;
  GError    *error;
  gboolean   finished;
  char      *flood_output;
  gboolean   flood_done;
  gboolean   flood_ok;
  guint      callback_status;
  gboolean   callback_done;
  gsize      peak_rss_kb;
  gsize      rss_before;
  gsize      rss_after;
} FloodState;

static gsize
read_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "\nVmRSS:");
  g_assert_nonnull (line);

  return (gsize) g_ascii_strtoull (line + strlen ("\nVmRSS:"), NULL, 10);
}

static gboolean
sample_rss_cb (gpointer user_data)
{
  FloodState *state = user_data;

  state->peak_rss_kb = MAX (state->peak_rss_kb, read_rss_kb ());

  return G_SOURCE_CONTINUE;
}

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  FloodState *state = user_data;

  state->verifier = relay_callback_listener_wait_finish (RELAY_CALLBACK_LISTENER (object),
                                                         result, &state->error);
  state->finished = TRUE;
  g_main_loop_quit (state->loop);
}

static void
flood_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GSubprocess *flood = G_SUBPROCESS (object);
  FloodState *state = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (flood, result, &state->flood_output, NULL, &error);
  g_assert_no_error (error);
  state->flood_ok = g_subprocess_get_successful (flood);
  state->flood_done = TRUE;
  g_main_loop_quit (state->loop);
}

static void
callback_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  FloodState *state = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  g_assert_no_error (error);
  state->callback_status = soup_message_get_status (soup_session_get_async_result_message (SOUP_SESSION (object), result));
  state->callback_done = TRUE;
  if (state->finished)
    g_main_loop_quit (state->loop);
}

/* Runs flood-callback.py against @port for @count requests, sampling
 * this process's RSS, and lets the server settle afterwards. */
static void
run_flood (FloodState *state,
           guint       port,
           const char *count)
{
  g_autoptr(GSubprocess) flood = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;
  g_autofree char *port_text = NULL;
  gint64 settle_deadline;
  guint sampler;

  state->flood_done = FALSE;
  state->rss_before = read_rss_kb ();
  state->peak_rss_kb = MAX (state->peak_rss_kb, state->rss_before);
  sampler = g_timeout_add (100, sample_rss_cb, state);

  script = g_test_build_filename (G_TEST_DIST, "hardening", "flood-callback.py", NULL);
  port_text = g_strdup_printf ("%u", port);
  flood = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                            script, port_text, count, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (flood, NULL, NULL, flood_cb, state);

  while (!state->flood_done)
    g_main_loop_run (state->loop);

  /* Let the server notice the connections the flood closed. */
  settle_deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < settle_deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (10 * 1000);
    }

  g_source_remove (sampler);
  state->rss_after = read_rss_kb ();
  g_test_message ("%s requests: %s", count,
                  state->flood_output != NULL ? g_strchomp (state->flood_output) : "(no summary)");
}

static void
test_flood (void)
{
  g_autoptr(RelayCallbackListener) listener = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GSocketClient) client = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *expected_uri = NULL;
  g_autofree char *callback_uri = NULL;
  FloodState state = { 0, };
  gsize rss_start, rss_before, rss_after;
  guint port;

  state.loop = g_main_loop_new (NULL, FALSE);

  listener = relay_callback_listener_new (PENDING_TOKEN);
  g_assert_true (relay_callback_listener_start (listener, &error));
  g_assert_no_error (error);
  port = relay_callback_listener_get_port (listener);
  g_assert_cmpuint (port, >, 0);
  uri = relay_callback_listener_get_uri (listener);
  expected_uri = g_strdup_printf ("http://127.0.0.1:%u/callback", port);
  g_assert_true (g_str_has_prefix (uri, expected_uri));

  relay_callback_listener_wait_async (listener, NULL, wait_cb, &state);

  /* A short warm-up first: buffers and pools reach their working size,
   * so the growth measured next is what the flood leaves behind. */
  run_flood (&state, port, WARM_UP_REQUESTS);
  g_assert_true (state.flood_ok);
  g_assert_false (state.finished);
  rss_start = state.rss_before;
  g_clear_pointer (&state.flood_output, g_free);

  run_flood (&state, port, FLOOD_REQUESTS);
  rss_before = state.rss_before;
  rss_after = state.rss_after;

  g_test_message ("RSS at start %" G_GSIZE_FORMAT " KiB, after the warm-up %" G_GSIZE_FORMAT
                  " KiB, after the flood %" G_GSIZE_FORMAT " KiB (peak %" G_GSIZE_FORMAT
                  " KiB): growth %" G_GSSIZE_FORMAT " KiB over the flood, %" G_GSSIZE_FORMAT
                  " KiB since the start",
                  rss_start, rss_before, rss_after, state.peak_rss_kb,
                  (gssize) rss_after - (gssize) rss_before, (gssize) rss_after - (gssize) rss_start);

  /* Nothing hostile may end the flow, and the listener stayed responsive. */
  g_assert_false (state.finished);
  g_assert_true (state.flood_done);
  g_assert_true (state.flood_ok);
  g_assert_cmpint ((gssize) rss_after - (gssize) rss_before, <, MAX_GROWTH_KB);

  session = soup_session_new ();
  callback_uri = g_strdup_printf ("%s?oauth_token=%s&oauth_verifier=%s",
                                  expected_uri, PENDING_TOKEN, VERIFIER);
  message = soup_message_new ("GET", callback_uri);
  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL, callback_cb, &state);

  while (!state.finished || !state.callback_done)
    g_main_loop_run (state.loop);

  g_assert_no_error (state.error);
  g_assert_cmpstr (state.verifier, ==, VERIFIER);
  g_assert_cmpuint (state.callback_status, ==, SOUP_STATUS_OK);

  /* One-shot: the port is closed once the flow is done. */
  client = g_socket_client_new ();
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_null (connection);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);

  g_free (state.verifier);
  g_free (state.flood_output);
  g_main_loop_unref (state.loop);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/relay/hardening/callback-flood", test_flood);

  return g_test_run ();
}
