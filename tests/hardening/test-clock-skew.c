/* test-clock-skew.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Clock skew (issue 6, item 6). A provider on 127.0.0.1, written here,
 * refuses any OAuth request whose oauth_timestamp is more than 300 s from
 * its own clock with `oauth_problem=timestamp_refused`, with or without
 * `oauth_acceptable_timestamps`, and records the nonce and timestamp of
 * every request. Relay's clock is set two hours slow through the
 * account's clock offset. Relay must correct the offset and retry once,
 * with a new nonce, both for the request token of the sign-in and for a
 * signed REST call; a provider that keeps refusing gets exactly one
 * retry.
 */

#include <libsoup/soup.h>
#include <string.h>

#include "relay-account.h"
#include "relay-nexmo-client.h"
#include "relay-oauth-flow.h"
#include "relay-oauth1-error.h"
#include "relay-oauth1-header.h"
#include "relay-oauth1-params.h"

#define SKEW   (-2 * 60 * 60)
#define WINDOW 300

typedef struct
{
  SoupServer *server;
  char       *base;
  GPtrArray  *nonces;
  GArray     *timestamps;
  guint       forced_refusals;
  gboolean    give_window;
} Provider;

typedef struct
{
  GMainLoop *loop;
  char      *uri;
  gboolean   ok;
  GError    *error;
  double     balance;
} Outcome;

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
refuse (SoupServerMessage *message,
        Provider          *provider,
        gint64             now)
{
  g_autofree char *body = NULL;

  if (provider->give_window)
    body = g_strdup_printf ("oauth_problem=timestamp_refused&oauth_acceptable_timestamps=%"
                            G_GINT64_FORMAT "-%" G_GINT64_FORMAT, now - WINDOW, now + WINDOW);
  else
    body = g_strdup ("oauth_problem=timestamp_refused");

  soup_server_message_set_status (message, SOUP_STATUS_UNAUTHORIZED, NULL);
  soup_server_message_set_response (message, "application/x-www-form-urlencoded",
                                    SOUP_MEMORY_COPY, body, strlen (body));
}

static void
provider_cb (SoupServer        *server,
             SoupServerMessage *message,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  static const char token_answer[] =
    "oauth_token=hh5s93j4hdidpola&oauth_token_secret=hdhd0244k9j7ao03&oauth_callback_confirmed=true";
  static const char balance_answer[] = "{\"value\": 3.14, \"autoReload\": false}";
  Provider *provider = user_data;
  g_autoptr(GPtrArray) params = relay_params_new ();
  const char *authorization;
  const char *nonce, *timestamp;
  gint64 now = now_seconds ();
  gint64 when;

  authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (message),
                                                "Authorization");
  if (authorization == NULL || !relay_oauth1_parse_authorization (authorization, params, NULL, NULL) ||
      (nonce = relay_params_get (params, "oauth_nonce")) == NULL ||
      (timestamp = relay_params_get (params, "oauth_timestamp")) == NULL)
    {
      soup_server_message_set_status (message, SOUP_STATUS_BAD_REQUEST, NULL);
      return;
    }

  when = g_ascii_strtoll (timestamp, NULL, 10);
  g_ptr_array_add (provider->nonces, g_strdup (nonce));
  g_array_append_val (provider->timestamps, when);

  if (provider->forced_refusals > 0 || when < now - WINDOW || when > now + WINDOW)
    {
      if (provider->forced_refusals > 0)
        provider->forced_refusals--;
      refuse (message, provider, now);
      return;
    }

  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  if (g_str_has_suffix (path, "/request_token"))
    soup_server_message_set_response (message, "application/x-www-form-urlencoded",
                                      SOUP_MEMORY_STATIC, token_answer, strlen (token_answer));
  else
    soup_server_message_set_response (message, "application/json",
                                      SOUP_MEMORY_STATIC, balance_answer, strlen (balance_answer));
}

static void
provider_set_up (Provider      *provider,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  provider->nonces = g_ptr_array_new_with_free_func (g_free);
  provider->timestamps = g_array_new (FALSE, FALSE, sizeof (gint64));
  provider->give_window = TRUE;
  provider->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (provider->server, NULL, provider_cb, provider, NULL);
  soup_server_listen_local (provider->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (provider->server);
  provider->base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

static void
provider_tear_down (Provider      *provider,
                    gconstpointer  data)
{
  soup_server_disconnect (provider->server);
  g_clear_object (&provider->server);
  g_ptr_array_unref (provider->nonces);
  g_array_unref (provider->timestamps);
  g_free (provider->base);
}

static RelayAccount *
skewed_account (Provider *provider,
                gboolean  with_token)
{
  g_autofree char *oauth_base = g_strconcat (provider->base, "/oauth/", NULL);
  g_autoptr(RelayProvider) profile = relay_provider_new (oauth_base, provider->base);
  RelayAccount *account = relay_account_new_oauth (profile, "dpf43f3p2l4k3l03");

  relay_account_set_secret (account, "kd94hf93k423kf44");
  if (with_token)
    relay_account_set_token (account, "nnch734d00sl2jdk", "pfkkdhi9sl3r4s00");
  relay_account_set_clock_offset (account, SKEW);

  return account;
}

/* Two requests, two nonces, and the second one inside the window. */
static void
assert_one_retry (Provider *provider)
{
  gint64 now = now_seconds ();
  gint64 second;

  g_assert_cmpuint (provider->nonces->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (provider->nonces, 0), !=,
                   g_ptr_array_index (provider->nonces, 1));
  second = g_array_index (provider->timestamps, gint64, 1);
  g_assert_cmpint (second, >=, now - WINDOW);
  g_assert_cmpint (second, <=, now + WINDOW);
  g_assert_cmpint (g_array_index (provider->timestamps, gint64, 0), <, now - WINDOW);
}

static void
begin_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->uri = relay_oauth_flow_begin_finish (RELAY_OAUTH_FLOW (object), result, &outcome->error);
  g_main_loop_quit (outcome->loop);
}

static void
run_begin (RelayOAuthFlow *flow,
           Outcome        *outcome)
{
  outcome->loop = g_main_loop_new (NULL, FALSE);
  relay_oauth_flow_begin_async (flow, NULL, begin_cb, outcome);
  g_main_loop_run (outcome->loop);
  g_main_loop_unref (outcome->loop);
  relay_oauth_flow_cancel (flow);
}

static void
test_request_token (Provider      *provider,
                    gconstpointer  data)
{
  g_autoptr(RelayAccount) account = NULL;
  g_autoptr(RelayOAuthFlow) flow = NULL;
  Outcome outcome = { 0, };

  provider->give_window = GPOINTER_TO_INT (data);
  account = skewed_account (provider, FALSE);
  flow = relay_oauth_flow_new (account);
  run_begin (flow, &outcome);

  g_assert_no_error (outcome.error);
  g_assert_nonnull (outcome.uri);
  g_assert_nonnull (strstr (outcome.uri, "oauth_token=hh5s93j4hdidpola"));
  assert_one_retry (provider);

  /* The account keeps the corrected offset for its next requests. */
  g_assert_cmpint (relay_account_get_clock_offset (account), >, SKEW + WINDOW);
  g_free (outcome.uri);
}

static void
test_retry_only_once (Provider      *provider,
                      gconstpointer  data)
{
  g_autoptr(RelayAccount) account = NULL;
  g_autoptr(RelayOAuthFlow) flow = NULL;
  Outcome outcome = { 0, };

  provider->forced_refusals = G_MAXUINT;
  account = skewed_account (provider, FALSE);
  flow = relay_oauth_flow_new (account);
  run_begin (flow, &outcome);

  g_assert_null (outcome.uri);
  g_assert_error (outcome.error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_TIMESTAMP_REFUSED);
  g_assert_cmpuint (provider->nonces->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (provider->nonces, 0), !=,
                   g_ptr_array_index (provider->nonces, 1));
  g_clear_error (&outcome.error);
}

static void
balance_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Outcome *outcome = user_data;
  RelayBalance balance = { 0, };

  outcome->ok = relay_nexmo_client_balance_finish (RELAY_NEXMO_CLIENT (object), result,
                                                   &balance, &outcome->error);
  outcome->balance = balance.value;
  g_main_loop_quit (outcome->loop);
}

static void
test_signed_rest_call (Provider      *provider,
                       gconstpointer  data)
{
  g_autoptr(RelayAccount) account = NULL;
  g_autoptr(RelayNexmoClient) client = NULL;
  Outcome outcome = { 0, };

  account = skewed_account (provider, TRUE);
  client = relay_nexmo_client_new (account);
  outcome.loop = g_main_loop_new (NULL, FALSE);
  relay_nexmo_client_balance_async (client, NULL, balance_cb, &outcome);
  g_main_loop_run (outcome.loop);
  g_main_loop_unref (outcome.loop);

  g_assert_no_error (outcome.error);
  g_assert_true (outcome.ok);
  g_assert_cmpfloat_with_epsilon (outcome.balance, 3.14, 1e-9);
  assert_one_retry (provider);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/relay/hardening/clock-skew/request-token-window", Provider, GINT_TO_POINTER (TRUE),
              provider_set_up, test_request_token, provider_tear_down);
  g_test_add ("/relay/hardening/clock-skew/request-token-date", Provider, GINT_TO_POINTER (FALSE),
              provider_set_up, test_request_token, provider_tear_down);
  g_test_add ("/relay/hardening/clock-skew/retry-only-once", Provider, NULL,
              provider_set_up, test_retry_only_once, provider_tear_down);
  g_test_add ("/relay/hardening/clock-skew/signed-rest-call", Provider, NULL,
              provider_set_up, test_signed_rest_call, provider_tear_down);

  return g_test_run ();
}
