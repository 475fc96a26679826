/* test-flow.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The whole sign-in against the in-process sandbox over loopback: the
 * three ways to finish authorizing, and every fault ending in a clear
 * error with nothing stored.
 */

#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <libsoup/soup.h>
#include <string.h>

#include "relay-credential-store.h"
#include "relay-http.h"
#include "relay-oauth-flow.h"
#include "relay-oauth1-error.h"
#include "relay-sandbox-server.h"
#include "relay-test-env.h"

typedef struct
{
  RelaySandboxServer *sandbox;
  RelayProvider      *provider;
  RelayAccount       *account;
  SoupSession        *browser;
  char               *base;
} Fixture;

/* Only ever the test schema: clearing it cannot harm a user's items. */
static const SecretSchema probe_schema = {
  RELAY_CREDENTIAL_TEST_SCHEMA_NAME, SECRET_SCHEMA_NONE,
  { { "id", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } }
};

/* Children of g_test_trap_subprocess() choose their own bus: they must
 * not connect to the real one in set-up. */
static gboolean
have_keyring (void)
{
  return relay_test_keyring_unsafe () == NULL && !g_test_subprocess ();
}

static guint
stored_items (void)
{
  g_autoptr(GHashTable) none = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  GList *items;
  guint n;

  if (!have_keyring ())
    return 0;

  items = secret_password_searchv_sync (&probe_schema, none, SECRET_SEARCH_ALL, NULL, &error);
  g_assert_no_error (error);
  n = g_list_length (items);
  g_list_free_full (items, g_object_unref);

  return n;
}

static void
clear_store (void)
{
  g_autoptr(GHashTable) none = g_hash_table_new (g_str_hash, g_str_equal);

  if (have_keyring ())
    while (secret_password_clearv_sync (&probe_schema, none, NULL, NULL))
      ;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *oauth_base = NULL;
  g_autofree char *rest_base = NULL;

  f->sandbox = relay_sandbox_server_new ();
  relay_sandbox_server_set_auto_approve (f->sandbox, TRUE);
  g_assert_true (relay_sandbox_server_listen (f->sandbox, 0, &error));
  g_assert_no_error (error);
  f->base = relay_sandbox_server_get_base_uri (f->sandbox);

  oauth_base = g_strconcat (f->base, "oauth/", NULL);
  rest_base = g_strndup (f->base, strlen (f->base) - 1);
  f->provider = relay_provider_new (oauth_base, rest_base);
  relay_provider_set_timeout (f->provider, 5);
  f->account = relay_account_new_oauth (f->provider, RELAY_SANDBOX_DEFAULT_CONSUMER_KEY);
  relay_account_set_secret (f->account, RELAY_SANDBOX_DEFAULT_CONSUMER_SECRET);
  f->browser = soup_session_new ();

  clear_store ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  clear_store ();
  g_clear_object (&f->browser);
  g_clear_object (&f->account);
  g_clear_object (&f->provider);
  g_clear_object (&f->sandbox);
  g_clear_pointer (&f->base, g_free);
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static char *
begin (RelayOAuthFlow  *flow,
       GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  relay_oauth_flow_begin_async (flow, NULL, result_cb, &result);
  return relay_oauth_flow_begin_finish (flow, wait_result (&result), error);
}

/* What a browser does: GET, following redirects (to the callback). */
static char *
browse (Fixture     *f,
        const char  *method,
        const char  *url,
        const char  *form,
        guint       *status)
{
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (message);
  if (form != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (form, strlen (form));

      soup_message_set_request_body_from_bytes (message, "application/x-www-form-urlencoded", bytes);
    }
  soup_session_send_and_read_async (f->browser, message, G_PRIORITY_DEFAULT, NULL, result_cb, &result);
  body = soup_session_send_and_read_finish (f->browser, wait_result (&result), &error);
  g_assert_no_error (error);
  if (status != NULL)
    *status = soup_message_get_status (message);

  return g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

typedef struct
{
  GAsyncResult *result;
} Pending;

static void
complete_start (RelayOAuthFlow *flow,
                const char     *verifier,
                Pending        *pending)
{
  pending->result = NULL;
  relay_oauth_flow_complete_async (flow, verifier, NULL, result_cb, &pending->result);
}

static gboolean
complete_finish (RelayOAuthFlow  *flow,
                 Pending         *pending,
                 GError         **error)
{
  gboolean ok = relay_oauth_flow_complete_finish (flow, wait_result (&pending->result), error);

  g_clear_object (&pending->result);
  return ok;
}

static gboolean
save (RelayAccount  *account,
      GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  relay_credential_store_save_async (relay_credential_store_get_default (), account, NULL, result_cb, &result);
  return relay_credential_store_save_finish (wait_result (&result), error);
}

/* A completed flow: store it, read it back, and check it works. */
static void
assert_signed_in (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(RelayAccount) loaded = NULL;
  g_autoptr(SoupSession) session = relay_http_session_new (5);
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *uri = relay_provider_get_endpoint (f->provider, RELAY_ENDPOINT_BALANCE);

  g_assert_true (relay_account_is_complete (f->account));

  /* The access token signs a real call. */
  message = relay_http_message_new_for_account (f->account, "GET", uri, NULL, &error);
  g_assert_no_error (error);
  relay_http_send_async (session, message, NULL, result_cb, &result);
  body = relay_http_send_finish (session, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (g_bytes_get_data (body, NULL), "value"));
  g_clear_object (&result);

  if (!have_keyring ())
    {
      g_test_skip (relay_test_keyring_unsafe ());
      return;
    }

  g_assert_true (save (f->account, &error));
  g_assert_no_error (error);
  relay_credential_store_load_async (relay_credential_store_get_default (), relay_account_get_id (f->account), NULL, result_cb, &result);
  loaded = relay_credential_store_load_finish (wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (relay_account_get_token (loaded), ==, relay_account_get_token (f->account));
  g_assert_cmpstr (relay_account_get_token_secret (loaded), ==, relay_account_get_token_secret (f->account));
}

static void
assert_port_closed (guint port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (port, >, 0);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_null (connection);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
}

static void
test_callback_auto_approve (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(RelayOAuthFlow) flow = relay_oauth_flow_new (f->account);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *page = NULL;
  Pending pending;
  guint port;

  url = begin (flow, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (url, f->base));
  g_assert_nonnull (strstr (url, "/oauth/authorize?oauth_token="));
  port = relay_oauth_flow_get_callback_port (flow);
  g_assert_cmpuint (port, >, 0);

  complete_start (flow, NULL, &pending);
  page = browse (f, "GET", url, NULL, NULL);
  g_assert_nonnull (strstr (page, "close this tab"));
  g_assert_true (complete_finish (flow, &pending, &error));
  g_assert_no_error (error);

  assert_port_closed (port);
  assert_signed_in (f);

  /* A flow runs once. */
  complete_start (flow, NULL, &pending);
  g_assert_false (complete_finish (flow, &pending, &error));
  g_assert_error (error, RELAY_FLOW_ERROR, RELAY_FLOW_ERROR_STATE);
}

static void
test_callback_form_get_tokens (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(RelayOAuthFlow) flow = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *page = NULL;
  g_autofree char *done = NULL;
  g_autofree char *form = NULL;
  g_autofree char *action = NULL;
  const char *token;
  Pending pending;

  relay_sandbox_server_set_auto_approve (f->sandbox, FALSE);
  relay_provider_set_token_method (f->provider, "GET");
  relay_provider_set_use_authenticate (f->provider, TRUE);
  flow = relay_oauth_flow_new (f->account);

  url = begin (flow, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (url, "/oauth/authenticate?oauth_token="));

  complete_start (flow, NULL, &pending);
  page = browse (f, "GET", url, NULL, NULL);
  g_assert_nonnull (strstr (page, "id=\"authorize\""));

  /* Press Authorize: POST the form; the 303 leads to the callback. */
  token = strstr (url, "oauth_token=") + strlen ("oauth_token=");
  form = g_strconcat ("oauth_token=", token, "&action=authorize", NULL);
  action = g_strndup (url, strchr (url, '?') - url);
  done = browse (f, "POST", action, form, NULL);
  g_assert_nonnull (strstr (done, "close this tab"));

  g_assert_true (complete_finish (flow, &pending, &error));
  g_assert_no_error (error);
  assert_signed_in (f);
}

static void
test_oob (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(RelayOAuthFlow) flow = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *page = NULL;
  g_autofree char *verifier = NULL;
  g_autofree char *padded = NULL;
  const char *start;
  Pending pending;

  relay_provider_set_authorization_mode (f->provider, RELAY_AUTHORIZATION_OOB);
  flow = relay_oauth_flow_new (f->account);

  url = begin (flow, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (relay_oauth_flow_get_callback_port (flow), ==, 0);

  page = browse (f, "GET", url, NULL, NULL);
  start = strstr (page, "<code id=\"verifier\">");
  g_assert_nonnull (start);
  start += strlen ("<code id=\"verifier\">");
  verifier = g_strndup (start, strchr (start, '<') - start);

  /* An empty paste changes nothing; the user may paste again. */
  complete_start (flow, "  ", &pending);
  g_assert_false (complete_finish (flow, &pending, &error));
  g_assert_error (error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_VERIFIER_INVALID);
  g_clear_error (&error);

  /* Pasted with stray spaces, as people do. */
  padded = g_strconcat (" ", verifier, "\n", NULL);
  complete_start (flow, padded, &pending);
  g_assert_true (complete_finish (flow, &pending, &error));
  g_assert_no_error (error);
  assert_signed_in (f);
}

static void
test_legacy (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(RelayOAuthFlow) flow = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *page = NULL;
  Pending pending;

  relay_sandbox_server_set_legacy (f->sandbox, TRUE);
  relay_provider_set_authorization_mode (f->provider, RELAY_AUTHORIZATION_LEGACY);
  flow = relay_oauth_flow_new (f->account);

  url = begin (flow, &error);
  g_assert_no_error (error);
  page = browse (f, "GET", url, NULL, NULL);
  g_assert_nonnull (strstr (page, "authorized"));

  complete_start (flow, NULL, &pending);
  g_assert_true (complete_finish (flow, &pending, &error));
  g_assert_no_error (error);
  assert_signed_in (f);
}

static void
test_wrong_token_ignored (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(RelayOAuthFlow) flow = relay_oauth_flow_new (f->account);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *forged = NULL;
  g_autofree char *page = NULL;
  g_autofree char *real = NULL;
  Pending pending;
  guint status;

  url = begin (flow, &error);
  g_assert_no_error (error);
  complete_start (flow, NULL, &pending);

  forged = g_strdup_printf ("http://127.0.0.1:%u/callback?oauth_token=forged&oauth_verifier=guess",
                            relay_oauth_flow_get_callback_port (flow));
  page = browse (f, "GET", forged, NULL, &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_null (pending.result);

  real = browse (f, "GET", url, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (complete_finish (flow, &pending, &error));
  g_assert_no_error (error);
  assert_signed_in (f);
}

static void
test_denied (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(RelayOAuthFlow) flow = relay_oauth_flow_new (f->account);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *page = NULL;
  Pending pending;

  relay_sandbox_server_set_auto_approve (f->sandbox, FALSE);
  relay_sandbox_server_set_auto_deny (f->sandbox, TRUE);

  url = begin (flow, &error);
  g_assert_no_error (error);
  complete_start (flow, NULL, &pending);
  page = browse (f, "GET", url, NULL, NULL);
  g_assert_false (complete_finish (flow, &pending, &error));
  g_assert_error (error, RELAY_FLOW_ERROR, RELAY_FLOW_ERROR_DENIED);
  g_assert_false (relay_account_is_complete (f->account));
  g_assert_cmpuint (stored_items (), ==, 0);
  assert_port_closed (relay_oauth_flow_get_callback_port (flow));
}

static void
test_listener_timeout (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(RelayOAuthFlow) flow = relay_oauth_flow_new (f->account);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  Pending pending;

  relay_oauth_flow_set_callback_timeout (flow, 1);
  url = begin (flow, &error);
  g_assert_no_error (error);
  complete_start (flow, NULL, &pending);
  g_assert_false (complete_finish (flow, &pending, &error));
  g_assert_error (error, RELAY_FLOW_ERROR, RELAY_FLOW_ERROR_TIMED_OUT);
  g_assert_false (relay_account_is_complete (f->account));
  assert_port_closed (relay_oauth_flow_get_callback_port (flow));
}

static gboolean
cancel_cb (gpointer user_data)
{
  relay_oauth_flow_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(RelayOAuthFlow) flow = relay_oauth_flow_new (f->account);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  Pending pending;

  url = begin (flow, &error);
  g_assert_no_error (error);
  complete_start (flow, NULL, &pending);
  g_timeout_add (50, cancel_cb, flow);
  g_assert_false (complete_finish (flow, &pending, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_port_closed (relay_oauth_flow_get_callback_port (flow));
}

static void
test_provider_down (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, NULL);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(RelayProvider) provider = NULL;
  g_autoptr(RelayAccount) account = NULL;
  g_autoptr(RelayOAuthFlow) flow = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  g_autofree char *url = NULL;
  guint port;

  /* A port that was just free: nobody listens there. */
  g_assert_true (g_socket_bind (socket, any, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);

  base = g_strdup_printf ("http://127.0.0.1:%u/oauth/", port);
  provider = relay_provider_new (base, "http://127.0.0.1:1");
  account = relay_account_new_oauth (provider, "key");
  relay_account_set_secret (account, "secret");
  flow = relay_oauth_flow_new (account);

  url = begin (flow, &error);
  g_assert_null (url);
  g_assert_error (error, RELAY_HTTP_ERROR, RELAY_HTTP_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, "Could not reach"));
  assert_port_closed (relay_oauth_flow_get_callback_port (flow));
}

static void
add_fault (Fixture    *f,
           const char *spec)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (relay_sandbox_server_add_fault (f->sandbox, spec, &error));
  g_assert_no_error (error);
}

/* Each fault on request_token: an error with a sentence, nothing kept. */
static void
test_request_token_faults (Fixture       *f,
                           gconstpointer  data)
{
  static const struct {
    const char *fault;
    const char *domain;
    int         code;
  } rows[] = {
    { "http-500", "relay-http-error-quark", RELAY_HTTP_ERROR_STATUS },
    { "non-json", NULL, 0 },
    { "truncated", NULL, 0 },
    { "unconfirmed", "relay-oauth1-error-quark", RELAY_OAUTH1_ERROR_CALLBACK_NOT_CONFIRMED },
    { "slow:3000", "relay-http-error-quark", RELAY_HTTP_ERROR_TIMEOUT },
  };

  relay_provider_set_timeout (f->provider, 1);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(RelayOAuthFlow) flow = relay_oauth_flow_new (f->account);
      g_autoptr(GError) error = NULL;
      g_autofree char *spec = g_strdup_printf ("/oauth/request_token=%s@1", rows[i].fault);
      g_autofree char *url = NULL;

      g_test_message ("fault %s", rows[i].fault);
      add_fault (f, spec);
      url = begin (flow, &error);
      g_assert_null (url);
      g_assert_nonnull (error);
      g_test_message ("→ %s", error->message);
      if (rows[i].domain != NULL)
        g_assert_error (error, g_quark_from_string (rows[i].domain), rows[i].code);
      g_assert_cmpuint (strlen (error->message), >, 10);
      g_assert_false (relay_account_is_complete (f->account));
      assert_port_closed (relay_oauth_flow_get_callback_port (flow));
    }

  g_assert_cmpuint (stored_items (), ==, 0);
}

static void
test_problems (Fixture       *f,
               gconstpointer  data)
{
  for (RelayOAuth1Error code = RELAY_OAUTH1_ERROR_VERSION_REJECTED;
       code <= RELAY_OAUTH1_ERROR_USER_REFUSED; code++)
    {
      g_autoptr(RelayOAuthFlow) flow = relay_oauth_flow_new (f->account);
      g_autoptr(GError) error = NULL;
      /* A refused timestamp is retried once with a corrected clock, so
       * only a second refusal reaches the caller. */
      guint count = code == RELAY_OAUTH1_ERROR_TIMESTAMP_REFUSED ? 2 : 1;
      g_autofree char *spec = g_strdup_printf ("/oauth/request_token=problem:%s@%u",
                                               relay_oauth1_problem_to_string (code), count);
      g_autofree char *url = NULL;

      add_fault (f, spec);
      url = begin (flow, &error);
      g_assert_null (url);
      g_assert_error (error, RELAY_OAUTH1_ERROR, (int) code);
      g_assert_cmpstr (error->message, !=, "");
    }
}

/* One refused timestamp on each leg is recovered from: the request token
 * and the access token (same verifier, new nonce) are asked for again
 * once, and the sign-in completes. */
static void
test_timestamp_refused_once (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(RelayOAuthFlow) flow = relay_oauth_flow_new (f->account);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *page = NULL;
  Pending pending;

  add_fault (f, "/oauth/request_token=problem:timestamp_refused@1");
  add_fault (f, "/oauth/access_token=problem:timestamp_refused@1");
  url = begin (flow, &error);
  g_assert_no_error (error);
  g_assert_nonnull (url);

  complete_start (flow, NULL, &pending);
  page = browse (f, "GET", url, NULL, NULL);
  g_assert_true (complete_finish (flow, &pending, &error));
  g_assert_no_error (error);
  assert_signed_in (f);
}

/* A failed exchange burns the verifier: the second attempt is refused
 * locally and nothing is sent twice. */
static void
test_exchange_failure_no_retry (Fixture       *f,
                                gconstpointer  data)
{
  static const char *const faults[] = { "http-500", "truncated", "problem:token_rejected", "slow:3000" };

  relay_provider_set_timeout (f->provider, 1);

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autoptr(RelayOAuthFlow) flow = relay_oauth_flow_new (f->account);
      g_autoptr(GError) error = NULL;
      g_autofree char *spec = g_strdup_printf ("/oauth/access_token=%s@1", faults[i]);
      g_autofree char *url = NULL;
      g_autofree char *page = NULL;
      Pending pending;

      g_test_message ("fault %s", faults[i]);
      add_fault (f, spec);
      url = begin (flow, &error);
      g_assert_no_error (error);
      complete_start (flow, NULL, &pending);
      page = browse (f, "GET", url, NULL, NULL);
      g_assert_false (complete_finish (flow, &pending, &error));
      g_assert_nonnull (error);
      g_test_message ("→ %s", error->message);
      g_clear_error (&error);

      complete_start (flow, NULL, &pending);
      g_assert_false (complete_finish (flow, &pending, &error));
      g_assert_error (error, RELAY_FLOW_ERROR, RELAY_FLOW_ERROR_STATE);
      g_assert_false (relay_account_is_complete (f->account));
    }

  g_assert_cmpuint (stored_items (), ==, 0);
}

static void
test_wrong_secret (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(RelayOAuthFlow) flow = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  relay_account_set_secret (f->account, "not-the-secret");
  flow = relay_oauth_flow_new (f->account);
  url = begin (flow, &error);
  g_assert_null (url);
  g_assert_error (error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_SIGNATURE_INVALID);
}

/* The flow succeeds, but the keyring is gone: a clear error and no file. */
static void
test_keyring_unavailable (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(RelayOAuthFlow) flow = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *page = NULL;
  g_autofree char *home = NULL;
  g_autoptr(GDir) dir = NULL;
  Pending pending;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  home = g_dir_make_tmp ("relay-flow-nokeyring-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("HOME", home, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", home, TRUE);
  g_setenv ("XDG_RUNTIME_DIR", home, TRUE);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/relay-flow-bus", TRUE);
  g_unsetenv ("DISPLAY");

  flow = relay_oauth_flow_new (f->account);
  url = begin (flow, &error);
  g_assert_no_error (error);
  complete_start (flow, NULL, &pending);
  page = browse (f, "GET", url, NULL, NULL);
  g_assert_true (complete_finish (flow, &pending, &error));

  g_assert_false (save (f->account, &error));
  g_assert_error (error, RELAY_CREDENTIAL_ERROR, RELAY_CREDENTIAL_ERROR_UNAVAILABLE);
  g_assert_nonnull (strstr (error->message, "No keyring is available"));

  dir = g_dir_open (home, 0, NULL);
  g_assert_cmpstr (g_dir_read_name (dir), ==, NULL);
  g_rmdir (home);
}

static void
test_authorize_url (void)
{
  static const struct { const char *endpoint, *token, *url; } rows[] = {
    { "https://p.example/oauth/authorize", "abc", "https://p.example/oauth/authorize?oauth_token=abc" },
    { "https://p.example/authorize?app=1", "abc", "https://p.example/authorize?app=1&oauth_token=abc" },
    { "https://p.example/authorize?", "abc", "https://p.example/authorize?oauth_token=abc" },
    { "https://p.example/authorize?a=1&", "abc", "https://p.example/authorize?a=1&oauth_token=abc" },
    { "https://p.example/authorize#frag", "abc", "https://p.example/authorize?oauth_token=abc#frag" },
    { "https://p.example/authorize", "a b/c+", "https://p.example/authorize?oauth_token=a%20b%2Fc%2B" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *url = relay_oauth_flow_build_authorize_url (rows[i].endpoint, rows[i].token);

      g_assert_cmpstr (url, ==, rows[i].url);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/relay/flow/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/relay/flow/authorize-url", test_authorize_url);
  ADD ("callback-auto-approve", test_callback_auto_approve);
  ADD ("callback-form-get-tokens", test_callback_form_get_tokens);
  ADD ("oob", test_oob);
  ADD ("legacy", test_legacy);
  ADD ("wrong-token-ignored", test_wrong_token_ignored);
  ADD ("denied", test_denied);
  ADD ("listener-timeout", test_listener_timeout);
  ADD ("cancel", test_cancel);
  ADD ("provider-down", test_provider_down);
  ADD ("request-token-faults", test_request_token_faults);
  ADD ("problems", test_problems);
  ADD ("timestamp-refused-once", test_timestamp_refused_once);
  ADD ("exchange-failure-no-retry", test_exchange_failure_no_retry);
  ADD ("wrong-secret", test_wrong_secret);
  ADD ("keyring-unavailable", test_keyring_unavailable);

  return g_test_run ();
}
