/* test-sign-in.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The core's sign-in, which the window and relay-cli share, against the
 * in-process sandbox over loopback: API keys proven by the balance call
 * and its strict parser, the OAuth flow out of band, and cancellation.
 * No keyring is involved: storing the account is the caller's part.
 */

#include <gio/gio.h>
#include <string.h>

#include "relay-http.h"
#include "relay-nexmo-client.h"
#include "relay-sandbox-server.h"
#include "relay-sign-in.h"

typedef struct
{
  RelaySandboxServer *sandbox;
  char               *base;
} Fixture;

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
}

/* Runs the default main context until the step is done. */
static GAsyncResult *
wait_run (Wait *wait)
{
  g_clear_object (&wait->result);
  while (wait->result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return wait->result;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->sandbox = relay_sandbox_server_new ();
  relay_sandbox_server_set_auto_approve (fixture->sandbox, TRUE);
  relay_sandbox_server_listen (fixture->sandbox, 0, &error);
  g_assert_no_error (error);
  fixture->base = relay_sandbox_server_get_base_uri (fixture->sandbox);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_assert_finalize_object (fixture->sandbox);
  g_free (fixture->base);
}

static RelayProvider *
sandbox_provider (Fixture *fixture)
{
  g_autofree char *oauth_base = g_strconcat (fixture->base, "oauth/", NULL);

  return relay_provider_new (oauth_base, fixture->base);
}

static RelayAccount *
api_key_account (Fixture    *fixture,
                 const char *secret)
{
  g_autoptr(RelayProvider) provider = sandbox_provider (fixture);
  RelayAccount *account = relay_account_new_api_key (provider, RELAY_SANDBOX_DEFAULT_API_KEY);

  relay_account_set_secret (account, secret);
  return account;
}

static RelayAccount *
oauth_account (Fixture                *fixture,
               RelayAuthorizationMode  mode)
{
  g_autoptr(RelayProvider) provider = sandbox_provider (fixture);
  RelayAccount *account;

  relay_provider_set_authorization_mode (provider, mode);
  account = relay_account_new_oauth (provider, RELAY_SANDBOX_DEFAULT_CONSUMER_KEY);
  relay_account_set_secret (account, RELAY_SANDBOX_DEFAULT_CONSUMER_SECRET);
  return account;
}

/* Runs the first step; returns its outcome with @error. */
static gboolean
begin (RelaySignIn   *sign_in,
       GCancellable  *cancellable,
       GError       **error)
{
  Wait wait = { NULL };
  gboolean ok;

  relay_sign_in_begin_async (sign_in, cancellable, wait_cb, &wait);
  ok = relay_sign_in_begin_finish (sign_in, wait_run (&wait), error);
  g_clear_object (&wait.result);

  return ok;
}

static gboolean
complete (RelaySignIn   *sign_in,
          const char    *verifier,
          GCancellable  *cancellable,
          GError       **error)
{
  Wait wait = { NULL };
  gboolean ok;

  relay_sign_in_complete_async (sign_in, verifier, cancellable, wait_cb, &wait);
  ok = relay_sign_in_complete_finish (sign_in, wait_run (&wait), error);
  g_clear_object (&wait.result);

  return ok;
}

static void
test_api_key (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(RelayAccount) account = api_key_account (fixture, RELAY_SANDBOX_DEFAULT_API_SECRET);
  RelaySignIn *sign_in = relay_sign_in_new (account);
  g_autoptr(GError) error = NULL;

  g_assert_true (begin (sign_in, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (relay_sign_in_get_complete (sign_in));
  g_assert_null (relay_sign_in_get_authorize_uri (sign_in));

  /* Nothing is left to do, and callers may still ask. */
  g_assert_true (complete (sign_in, NULL, NULL, &error));
  g_assert_no_error (error);

  g_assert_finalize_object (sign_in);
  g_assert_true (relay_account_is_complete (account));
}

static void
test_api_key_refused (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(RelayAccount) account = api_key_account (fixture, "wrong-secret");
  RelaySignIn *sign_in = relay_sign_in_new (account);
  g_autoptr(GError) error = NULL;

  g_assert_false (begin (sign_in, NULL, &error));
  g_assert_nonnull (error);
  g_assert_null (strstr (error->message, "wrong-secret"));
  g_assert_false (relay_sign_in_get_complete (sign_in));

  /* A failed attempt keeps no secret in memory. */
  g_assert_null (relay_account_get_secret (account));

  g_assert_finalize_object (sign_in);
}

/* The answer must be a balance by the core's parser, not any JSON
 * object: an answer that is not one is refused. */
static void
test_api_key_malformed (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(RelayAccount) account = api_key_account (fixture, RELAY_SANDBOX_DEFAULT_API_SECRET);
  RelaySignIn *sign_in = relay_sign_in_new (account);
  g_autoptr(GError) error = NULL;

  g_assert_true (relay_sandbox_server_add_fault (fixture->sandbox, "/account/get-balance=non-json@1", &error));
  g_assert_no_error (error);

  g_assert_false (begin (sign_in, NULL, &error));
  g_assert_error (error, RELAY_NEXMO_ERROR, RELAY_NEXMO_ERROR_MALFORMED);
  g_assert_null (relay_account_get_secret (account));

  g_assert_finalize_object (sign_in);
}

/* The verifier from the sandbox's authorize page (auto-approving). */
static char *
fetch_verifier (const char *uri)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) message = soup_message_new ("GET", uri);
  g_autoptr(GBytes) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *html = NULL;
  const char *start, *end;
  Wait wait = { NULL };

  /* The sandbox runs in this thread: wait in the main context. */
  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL, wait_cb, &wait);
  page = soup_session_send_and_read_finish (session, wait_run (&wait), &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  html = g_strndup (g_bytes_get_data (page, NULL), g_bytes_get_size (page));
  start = strstr (html, "<code id=\"verifier\">");
  g_assert_nonnull (start);
  start += strlen ("<code id=\"verifier\">");
  end = strstr (start, "</code>");
  g_assert_nonnull (end);

  return g_strndup (start, end - start);
}

static void
test_oauth_oob (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(RelayAccount) account = oauth_account (fixture, RELAY_AUTHORIZATION_OOB);
  RelaySignIn *sign_in = relay_sign_in_new (account);
  g_autoptr(GError) error = NULL;
  g_autofree char *verifier = NULL;
  const char *uri;

  g_assert_true (begin (sign_in, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (relay_sign_in_get_complete (sign_in));
  uri = relay_sign_in_get_authorize_uri (sign_in);
  g_assert_nonnull (uri);
  g_assert_true (g_str_has_prefix (uri, fixture->base));

  verifier = fetch_verifier (uri);
  g_assert_true (complete (sign_in, verifier, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (relay_sign_in_get_complete (sign_in));

  g_assert_finalize_object (sign_in);
  g_assert_true (relay_account_is_complete (account));
  g_assert_nonnull (relay_account_get_token (account));
}

/* The caller's cancellable stops the wait for the browser; the step
 * ends cancelled and the consumer secret is forgotten. */
static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(RelayAccount) account = oauth_account (fixture, RELAY_AUTHORIZATION_CALLBACK);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  RelaySignIn *sign_in = relay_sign_in_new (account);
  g_autoptr(GError) error = NULL;
  Wait wait = { NULL };

  g_assert_true (begin (sign_in, cancellable, &error));
  g_assert_no_error (error);
  g_assert_nonnull (relay_sign_in_get_authorize_uri (sign_in));

  relay_sign_in_complete_async (sign_in, NULL, cancellable, wait_cb, &wait);
  g_cancellable_cancel (cancellable);
  g_assert_false (relay_sign_in_complete_finish (sign_in, wait_run (&wait), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_object (&wait.result);

  g_assert_false (relay_sign_in_get_complete (sign_in));
  g_assert_null (relay_account_get_secret (account));
  g_assert_finalize_object (sign_in);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/relay/sign-in/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("api-key", test_api_key);
  ADD ("api-key-refused", test_api_key_refused);
  ADD ("api-key-malformed", test_api_key_malformed);
  ADD ("oauth-oob", test_oauth_oob);
  ADD ("cancel", test_cancel);

#undef ADD

  return g_test_run ();
}
