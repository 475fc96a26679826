/* test-request-deadline.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 14, items 2 and 9: a provider that drips its answer held a send
 * for ever (libsoup's timeout restarts on every byte), and a connection
 * that failed after the request was written read "Could not reach …",
 * which invites a second, paid send. Each request now has a deadline on
 * the session's RelayClock (here a manual one), and the error says
 * whether the request went out.
 */

#include <string.h>

#include "relay-http.h"
#include "relay-nexmo-client.h"

#include "hostile-peer.h"

#define T0 (G_GINT64_CONSTANT (1800000000) * G_USEC_PER_SEC)
#define TIMEOUT_SECONDS 30

typedef struct
{
  gboolean  done;
  GBytes   *body;
  GError   *error;
} Sent;

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Sent *sent = user_data;

  sent->body = relay_http_send_finish (SOUP_SESSION (object), result, &sent->error);
  sent->done = TRUE;
}

static void
wait_for (int *counter)
{
  while (g_atomic_int_get (counter) == 0)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
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

static SoupSession *
clocked_session (RelayClock *clock)
{
  SoupSession *session = relay_http_session_new (TIMEOUT_SECONDS);

  relay_http_session_set_clock (session, clock);
  return session;
}

static void
start_post (SoupSession  *session,
            const char   *base,
            GBytes       *body,
            Sent         *sent)
{
  g_autofree char *uri = g_strconcat (base, "/sms/json", NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("POST", uri);

  soup_message_set_request_body_from_bytes (message, "application/x-www-form-urlencoded", body);
  relay_http_send_async (session, message, NULL, sent_cb, sent);
}

static void
finish (Sent *sent)
{
  while (!sent->done)
    g_main_context_iteration (NULL, TRUE);
}

/* One byte, then nothing: the deadline ends it, and since the provider
 * had the whole request, it may have acted on it. */
static void
test_drip_ends_at_deadline (void)
{
  g_autoptr(RelayClock) clock = relay_clock_new_manual (T0);
  g_autoptr(SoupSession) session = clocked_session (clock);
  g_autoptr(HostilePeer) peer = hostile_peer_new (HOSTILE_DRIP, NULL);
  g_autofree char *base = hostile_peer_get_base (peer);
  g_autoptr(GBytes) body = g_bytes_new_static ("to=447700900000&text=hi", 23);
  Sent sent = { 0, };

  start_post (session, base, body, &sent);
  wait_for (&peer->answered);
  spin (20);
  g_assert_false (sent.done);

  relay_clock_advance (clock, TIMEOUT_SECONDS * G_USEC_PER_SEC - 1);
  spin (5);
  g_assert_false (sent.done);

  relay_clock_advance (clock, 1);
  finish (&sent);
  g_assert_null (sent.body);
  g_assert_error (sent.error, RELAY_HTTP_ERROR, RELAY_HTTP_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (sent.error->message, "received the request"));
  g_assert_nonnull (strstr (sent.error->message, "may have been acted on"));
  g_assert_null (strstr (sent.error->message, "Could not reach"));
  g_clear_error (&sent.error);
}

/* The peer never reads, so a body larger than the sockets' buffers
 * never goes out: at the deadline, it was not sent. */
static void
test_unwritten_at_deadline (void)
{
  g_autoptr(RelayClock) clock = relay_clock_new_manual (T0);
  g_autoptr(SoupSession) session = clocked_session (clock);
  g_autoptr(HostilePeer) peer = hostile_peer_new (HOSTILE_NEVER_READ, NULL);
  g_autofree char *base = hostile_peer_get_base (peer);
  g_autofree char *big = g_strnfill (32 * 1024 * 1024, 'a');
  g_autoptr(GBytes) body = g_bytes_new_take (g_steal_pointer (&big), 32 * 1024 * 1024);
  Sent sent = { 0, };

  start_post (session, base, body, &sent);
  wait_for (&peer->accepted);
  spin (50);
  g_assert_false (sent.done);

  relay_clock_advance (clock, TIMEOUT_SECONDS * G_USEC_PER_SEC);
  finish (&sent);
  g_assert_error (sent.error, RELAY_HTTP_ERROR, RELAY_HTTP_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (sent.error->message, "it was not sent"));
  g_clear_error (&sent.error);
}

/* Closed after reading the request, or headers past libsoup's limit:
 * the request went out, so not "Could not reach". */
static void
test_failure_after_write (void)
{
  static const HostileMode modes[] = { HOSTILE_CLOSE, HOSTILE_HUGE_HEADERS };

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr(RelayClock) clock = relay_clock_new_manual (T0);
      g_autoptr(SoupSession) session = clocked_session (clock);
      g_autoptr(HostilePeer) peer = hostile_peer_new (modes[i], NULL);
      g_autofree char *base = hostile_peer_get_base (peer);
      g_autoptr(GBytes) body = g_bytes_new_static ("to=447700900000&text=hi", 23);
      Sent sent = { 0, };

      start_post (session, base, body, &sent);
      finish (&sent);
      g_test_message ("mode %u: %s", modes[i], sent.error != NULL ? sent.error->message : "(none)");
      g_assert_error (sent.error, RELAY_HTTP_ERROR, RELAY_HTTP_ERROR_NO_ANSWER);
      g_assert_nonnull (strstr (sent.error->message, "may have been acted on"));
      g_assert_null (strstr (sent.error->message, "Could not reach"));
      g_clear_error (&sent.error);
    }
}

/* Nothing listens: nothing was sent, and the sentence says so. */
static void
test_unreachable_not_sent (void)
{
  g_autoptr(RelayClock) clock = relay_clock_new_manual (T0);
  g_autoptr(SoupSession) session = clocked_session (clock);
  g_autoptr(GBytes) body = g_bytes_new_static ("to=447700900000&text=hi", 23);
  g_autofree char *base = NULL;
  Sent sent = { 0, };

  {
    /* A port that was just free. */
    HostilePeer *peer = hostile_peer_new (HOSTILE_CLOSE, NULL);

    base = hostile_peer_get_base (peer);
    hostile_peer_free (peer);
  }

  start_post (session, base, body, &sent);
  finish (&sent);
  g_assert_error (sent.error, RELAY_HTTP_ERROR, RELAY_HTTP_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (sent.error->message, "Could not reach"));
  g_clear_error (&sent.error);
}

typedef struct
{
  gboolean   done;
  GPtrArray *results;
  GError    *error;
} Send;

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Send *send = user_data;

  send->results = relay_nexmo_client_send_finish (RELAY_NEXMO_CLIENT (object), result, &send->error);
  send->done = TRUE;
}

/* Through the Nexmo client: a request the provider took but never
 * answered is "may have been sent", never retried and never "failed". */
static void
test_send_uncertain (void)
{
  g_autoptr(HostilePeer) peer = hostile_peer_new (HOSTILE_CLOSE, NULL);
  g_autofree char *base = hostile_peer_get_base (peer);
  g_autoptr(RelayProvider) provider = relay_provider_new (NULL, base);
  g_autoptr(RelayAccount) account = relay_account_new_api_key (provider, "key");
  g_autoptr(RelayNexmoClient) client = NULL;
  const char *const numbers[] = { "447700900000", NULL };
  Send send = { 0, };
  RelaySmsResult *result;

  relay_account_set_secret (account, "not-a-real-secret");
  client = relay_nexmo_client_new (account);
  relay_nexmo_client_send_async (client, "Relay", numbers, "hi", NULL, send_cb, &send);
  while (!send.done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_no_error (send.error);
  result = g_ptr_array_index (send.results, 0);
  g_test_message ("%s", result->error != NULL ? result->error->message : "(none)");
  g_assert_cmpint (result->state, ==, RELAY_SMS_STATE_UNCERTAIN);
  g_assert_nonnull (strstr (result->error->message, "may have been sent"));
  g_assert_null (strstr (result->error->message, "Could not reach"));
  g_assert_cmpuint (result->attempts, ==, 1);
  g_assert_cmpint (g_atomic_int_get (&peer->request_read), ==, 1);
  g_ptr_array_unref (send.results);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/relay/request-deadline/drip-ends-at-deadline", test_drip_ends_at_deadline);
  g_test_add_func ("/relay/request-deadline/unwritten-at-deadline", test_unwritten_at_deadline);
  g_test_add_func ("/relay/request-deadline/failure-after-write", test_failure_after_write);
  g_test_add_func ("/relay/request-deadline/unreachable-not-sent", test_unreachable_not_sent);
  g_test_add_func ("/relay/request-deadline/send-uncertain", test_send_uncertain);

  return g_test_run ();
}
