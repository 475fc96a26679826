/* test-proxy-and-url.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 14, item 6: with http_proxy set and no no_proxy, `relay-cli
 * balance` on an http://127.0.0.1 account sent
 * GET http://127.0.0.1:…/account/get-balance?api_key=…&api_secret=… to
 * the proxy. Loopback never goes through a proxy, and the API secret is
 * never in a URL.
 */

#include <string.h>

#include "relay-http.h"
#include "relay-nexmo-client.h"
#include "relay-proxy-resolver.h"

#include "hostile-peer.h"

#define SECRET "hygiene-secret-3f9a"

static void
assert_direct (GProxyResolver *resolver,
               const char     *uri)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) proxies = g_proxy_resolver_lookup (resolver, uri, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (proxies), ==, 1);
  g_assert_cmpstr (proxies[0], ==, "direct://");
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(char ***) user_data = g_proxy_resolver_lookup_finish (G_PROXY_RESOLVER (object), result, NULL);
}

static void
test_loopback_direct (void)
{
  g_autoptr(GProxyResolver) proxy = g_simple_proxy_resolver_new ("http://127.0.0.1:3128", NULL);
  g_autoptr(GProxyResolver) resolver = relay_proxy_resolver_new (proxy);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) remote = NULL;
  g_auto(GStrv) async_loopback = NULL;

  assert_direct (resolver, "http://127.0.0.1:8080/account/get-balance");
  assert_direct (resolver, "http://127.1.2.3/sms/json");
  assert_direct (resolver, "http://[::1]:8080/sms/json");
  assert_direct (resolver, "http://localhost:8080/sms/json");
  assert_direct (resolver, "http://LOCALHOST/");

  /* Anything else asks the system's settings. */
  remote = g_proxy_resolver_lookup (resolver, "https://rest.nexmo.com/sms/json", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (remote[0], ==, "http://127.0.0.1:3128");

  g_proxy_resolver_lookup_async (resolver, "http://127.0.0.1:1/", NULL, lookup_cb, &async_loopback);
  while (async_loopback == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (async_loopback[0], ==, "direct://");
}

static void
balance_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Relay's sessions use it: with http_proxy naming a peer that would
 * record the request, a balance on a loopback account goes straight to
 * the provider, and the proxy sees nothing. */
static void
test_sessions_skip_proxy (void)
{
  g_autoptr(HostilePeer) proxy_peer = hostile_peer_new (HOSTILE_ANSWER, "{\"value\": \"9.99\"}");
  g_autoptr(HostilePeer) provider_peer = hostile_peer_new (HOSTILE_ANSWER, "{\"value\": \"1.5\"}");
  g_autofree char *proxy_base = hostile_peer_get_base (proxy_peer);
  g_autofree char *provider_base = hostile_peer_get_base (provider_peer);
  g_autoptr(RelayProvider) provider = relay_provider_new (NULL, provider_base);
  g_autoptr(RelayAccount) account = relay_account_new_api_key (provider, "key");
  g_autoptr(RelayNexmoClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) system = NULL;
  RelayBalance balance = { 0, };

  g_setenv ("http_proxy", proxy_base, TRUE);
  g_unsetenv ("no_proxy");
  g_unsetenv ("NO_PROXY");
  system = g_proxy_resolver_lookup (g_proxy_resolver_get_default (), "http://127.0.0.1:1/", NULL, NULL);
  if (system == NULL || g_strcmp0 (system[0], proxy_base) != 0)
    {
      g_test_skip ("the system's proxy resolver ignores http_proxy here, so nothing would use the proxy");
      g_unsetenv ("http_proxy");
      return;
    }

  relay_account_set_secret (account, SECRET);
  client = relay_nexmo_client_new (account);
  relay_nexmo_client_balance_async (client, NULL, balance_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (relay_nexmo_client_balance_finish (client, result, &balance, &error));
  g_assert_no_error (error);
  g_unsetenv ("http_proxy");

  g_assert_cmpfloat (balance.value, ==, 1.5);
  g_assert_cmpint (g_atomic_int_get (&proxy_peer->accepted), ==, 0);
  g_assert_cmpint (g_atomic_int_get (&provider_peer->request_read), ==, 1);
  g_assert_null (strstr (provider_peer->request, SECRET));
}

static void
test_secret_not_in_url (void)
{
  g_autoptr(RelayProvider) provider = relay_provider_new (NULL, "http://127.0.0.1:9");
  g_autoptr(RelayAccount) account = relay_account_new_api_key (provider, "key");
  g_autoptr(SoupMessage) balance = NULL;
  g_autoptr(SoupMessage) sms = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *pair = g_base64_encode ((const guchar *) "key:" SECRET, strlen ("key:" SECRET));
  const char *authorization;

  relay_account_set_secret (account, SECRET);

  balance = relay_http_message_new_for_account (account, "GET", "http://127.0.0.1:9/account/get-balance",
                                                NULL, &error);
  g_assert_no_error (error);
  uri = g_uri_to_string (soup_message_get_uri (balance));
  g_assert_null (strstr (uri, SECRET));
  g_assert_null (strstr (uri, "api_secret"));
  authorization = soup_message_headers_get_one (soup_message_get_request_headers (balance), "Authorization");
  expected = g_strconcat ("Basic ", pair, NULL);
  g_assert_cmpstr (authorization, ==, expected);

  /* A POST keeps its secret in the body, as /sms/json wants it. */
  {
    g_autofree char *sms_uri = NULL;

    sms = relay_http_message_new_for_account (account, "POST", "http://127.0.0.1:9/sms/json", NULL, &error);
    g_assert_no_error (error);
    sms_uri = g_uri_to_string (soup_message_get_uri (sms));
    g_assert_null (strstr (sms_uri, SECRET));
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/relay/proxy-and-url/loopback-direct", test_loopback_direct);
  g_test_add_func ("/relay/proxy-and-url/sessions-skip-proxy", test_sessions_skip_proxy);
  g_test_add_func ("/relay/proxy-and-url/secret-not-in-url", test_secret_not_in_url);

  return g_test_run ();
}
