/* bench-callback.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A benchmark, not a test: the time from the browser's callback request
 * to the access token being stored in the keyring, over N sign-ins
 * against the in-process sandbox (auto-approve). It includes the
 * callback request itself, the access-token exchange and the keyring
 * write. Run it in a D-Bus session with an unlocked gnome-keyring.
 *
 * Usage: bench-callback [N]     (default 50; target: median < 50 ms)
 */

#include <libsoup/soup.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "relay-credential-store.h"
#include "relay-oauth-flow.h"
#include "relay-sandbox-server.h"

/* The benchmark's items never mix with the user's accounts. */
static RelayCredentialStore *
bench_store (void)
{
  static RelayCredentialStore *store;

  if (store == NULL)
    store = relay_credential_store_new (RELAY_CREDENTIAL_TEST_SCHEMA_NAME);

  return store;
}

typedef struct
{
  GAsyncResult *complete;
  GAsyncResult *saved;
  GAsyncResult *fetched;
} Slots;

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

/* One sign-in; returns the milliseconds from callback to stored. */
static double
sign_in_once (RelayProvider *provider,
              SoupSession   *browser)
{
  g_autoptr(RelayAccount) account = relay_account_new_oauth (provider, RELAY_SANDBOX_DEFAULT_CONSUMER_KEY);
  g_autoptr(RelayOAuthFlow) flow = NULL;
  g_autoptr(SoupMessage) authorize = NULL;
  g_autoptr(SoupMessage) callback = NULL;
  g_autoptr(GBytes) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  GAsyncResult *begun = NULL;
  Slots slots = { NULL, NULL, NULL };
  const char *location;
  gint64 start, end;

  relay_account_set_secret (account, RELAY_SANDBOX_DEFAULT_CONSUMER_SECRET);
  flow = relay_oauth_flow_new (account);

  relay_oauth_flow_begin_async (flow, NULL, result_cb, &begun);
  wait_for (&begun);
  url = relay_oauth_flow_begin_finish (flow, begun, &error);
  g_clear_object (&begun);
  if (url == NULL)
    g_error ("begin: %s", error->message);

  /* The provider's answer, without following it: its Location is the
   * callback the browser is about to request. */
  authorize = soup_message_new ("GET", url);
  soup_message_add_flags (authorize, SOUP_MESSAGE_NO_REDIRECT);
  soup_session_send_and_read_async (browser, authorize, G_PRIORITY_DEFAULT, NULL, result_cb, &slots.fetched);
  wait_for (&slots.fetched);
  page = soup_session_send_and_read_finish (browser, slots.fetched, &error);
  g_assert_no_error (error);
  g_clear_object (&slots.fetched);
  location = soup_message_headers_get_one (soup_message_get_response_headers (authorize), "Location");
  g_assert_nonnull (location);

  relay_oauth_flow_complete_async (flow, NULL, NULL, result_cb, &slots.complete);
  callback = soup_message_new ("GET", location);

  start = g_get_monotonic_time ();
  soup_session_send_and_read_async (browser, callback, G_PRIORITY_DEFAULT, NULL, result_cb, &slots.fetched);
  wait_for (&slots.complete);
  if (!relay_oauth_flow_complete_finish (flow, slots.complete, &error))
    g_error ("complete: %s", error->message);
  relay_credential_store_save_async (bench_store (), account, NULL, result_cb, &slots.saved);
  wait_for (&slots.saved);
  if (!relay_credential_store_save_finish (slots.saved, &error))
    g_error ("save: %s", error->message);
  end = g_get_monotonic_time ();

  wait_for (&slots.fetched);
  g_clear_object (&slots.complete);
  g_clear_object (&slots.saved);
  g_clear_object (&slots.fetched);

  return (end - start) / 1000.0;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(RelaySandboxServer) sandbox = relay_sandbox_server_new ();
  g_autoptr(RelayProvider) provider = NULL;
  g_autoptr(SoupSession) browser = soup_session_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  g_autofree char *oauth_base = NULL;
  g_autofree char *rest_base = NULL;
  g_autofree double *times = NULL;
  guint n = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 50;
  double sum = 0;

  if (n == 0)
    n = 50;

  relay_sandbox_server_set_auto_approve (sandbox, TRUE);
  if (!relay_sandbox_server_listen (sandbox, 0, &error))
    g_error ("sandbox: %s", error->message);
  base = relay_sandbox_server_get_base_uri (sandbox);
  oauth_base = g_strconcat (base, "oauth/", NULL);
  rest_base = g_strndup (base, strlen (base) - 1);
  provider = relay_provider_new (oauth_base, rest_base);

  /* Warm up the keyring connection and the sandbox. */
  sign_in_once (provider, browser);

  times = g_new (double, n);
  for (guint i = 0; i < n; i++)
    {
      times[i] = sign_in_once (provider, browser);
      sum += times[i];
    }
  qsort (times, n, sizeof (double), compare_doubles);

  printf ("callback → token stored, %u sign-ins over loopback:\n", n);
  printf ("  median %.2f ms, p95 %.2f ms, mean %.2f ms, min %.2f ms, max %.2f ms (target: median < 50 ms)\n",
          times[n / 2], times[MIN (n - 1, (n * 95 + 99) / 100 - 1)], sum / n, times[0], times[n - 1]);

  return 0;
}
