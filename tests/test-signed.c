/* test-signed.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An account with a signature secret against the in-process sandbox
 * over loopback: SMS signed with each of the five methods (and no
 * api_secret on the wire), a wrong secret or method answered with
 * status 14, a slow clock corrected from the answer's Date, the balance
 * still read with the API secret, and the sandbox's own refusals of
 * stale timestamps and of sig together with api_secret.
 */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "relay-http.h"
#include "relay-nexmo-client.h"
#include "relay-nexmo-sig.h"
#include "relay-oauth1-params.h"
#include "relay-sandbox-server.h"
#include "relay-test-messages.h"

#define SIGNATURE_SECRET "relay-signature-secret-\xC3\xA9"
#define TEXT             "Tea & cake = 5 \xE2\x82\xAC?"

typedef struct
{
  RelaySandboxServer *sandbox;
  char               *base;
  char               *tmpdir;
  char               *log_path;
} Fixture;

typedef struct
{
  gboolean   done;
  GPtrArray *results;
  GError    *error;
} Send;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmpdir = g_dir_make_tmp ("relay-signed-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->log_path = g_build_filename (fixture->tmpdir, "messages.jsonl", NULL);

  /* The real clock on both sides: the answer's Date header (written by
   * libsoup) must agree with the sandbox's window. Nothing here is
   * timed. */
  fixture->sandbox = relay_sandbox_server_new ();
  relay_sandbox_server_set_messages_path (fixture->sandbox, fixture->log_path);
  relay_sandbox_server_set_signature_secret (fixture->sandbox, SIGNATURE_SECRET, RELAY_NEXMO_SIG_MD5HASH);
  relay_sandbox_server_listen (fixture->sandbox, 0, &error);
  g_assert_no_error (error);
  fixture->base = relay_sandbox_server_get_base_uri (fixture->sandbox);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_assert_finalize_object (fixture->sandbox);
  g_unlink (fixture->log_path);
  g_rmdir (fixture->tmpdir);
  g_free (fixture->log_path);
  g_free (fixture->tmpdir);
  g_free (fixture->base);
}

static RelayAccount *
signed_account (Fixture             *fixture,
                RelayNexmoSigMethod  method,
                const char          *signature_secret)
{
  g_autofree char *rest_base = g_strndup (fixture->base, strlen (fixture->base) - 1);
  g_autoptr(RelayProvider) provider = relay_provider_new (NULL, rest_base);
  RelayAccount *account = relay_account_new_signed (provider, RELAY_SANDBOX_DEFAULT_API_KEY, method);

  relay_account_set_secret (account, RELAY_SANDBOX_DEFAULT_API_SECRET);
  relay_account_set_signature_secret (account, signature_secret);
  g_assert_true (relay_account_is_complete (account));

  return account;
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Send *send = user_data;

  send->results = relay_nexmo_client_send_finish (RELAY_NEXMO_CLIENT (object), result, &send->error);
  send->done = TRUE;
}

/* Sends TEXT to one number and returns its result. */
static RelaySmsResult *
send_one (RelayAccount *account)
{
  g_autoptr(RelayNexmoClient) client = relay_nexmo_client_new (account);
  const char *to[] = { "447700900001", NULL };
  Send send = { FALSE, NULL, NULL };
  RelaySmsResult *result;

  relay_nexmo_client_send_async (client, "Relay", to, TEXT, NULL, send_cb, &send);
  while (!send.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (send.error);
  g_assert_cmpuint (send.results->len, ==, 1);
  result = relay_sms_result_copy (g_ptr_array_index (send.results, 0));
  g_ptr_array_unref (send.results);

  return result;
}

static GPtrArray *
read_log (Fixture *fixture)
{
  return relay_test_messages_read_log (fixture->log_path);
}

static void
test_send (Fixture       *fixture,
           gconstpointer  data)
{
  for (RelayNexmoSigMethod method = RELAY_NEXMO_SIG_MD5HASH; method <= RELAY_NEXMO_SIG_SHA512; method++)
    {
      g_autoptr(RelayAccount) account = signed_account (fixture, method, SIGNATURE_SECRET);
      g_autoptr(RelaySmsResult) result = NULL;
      g_autoptr(GPtrArray) log = NULL;
      JsonObject *entry;

      g_test_message ("method %s", relay_nexmo_sig_method_to_string (method));
      relay_sandbox_server_set_signature_secret (fixture->sandbox, SIGNATURE_SECRET, method);
      result = send_one (account);
      g_assert_no_error (result->error);
      g_assert_cmpint (result->state, ==, RELAY_SMS_STATE_SENT);
      g_assert_cmpuint (result->attempts, ==, 1);

      log = read_log (fixture);
      g_assert_cmpuint (log->len, ==, method);
      entry = json_node_get_object (g_ptr_array_index (log, log->len - 1));
      /* Signed, not with the API secret; the text as it was written. */
      g_assert_cmpstr (json_object_get_string_member (entry, "auth"), ==, "sig");
      g_assert_cmpstr (json_object_get_string_member (entry, "text"), ==, TEXT);
    }
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(RelayAccount) wrong_secret = signed_account (fixture, RELAY_NEXMO_SIG_MD5HASH, "not-the-secret");
  g_autoptr(RelayAccount) wrong_method = signed_account (fixture, RELAY_NEXMO_SIG_SHA256, SIGNATURE_SECRET);
  RelayAccount *accounts[] = { wrong_secret, wrong_method };
  g_autoptr(GPtrArray) log = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (accounts); i++)
    {
      g_autoptr(RelaySmsResult) result = send_one (accounts[i]);

      g_assert_cmpint (result->state, ==, RELAY_SMS_STATE_FAILED);
      g_assert_error (result->error, RELAY_NEXMO_ERROR, RELAY_NEXMO_ERROR_INVALID_SIGNATURE);
      g_assert_cmpint (result->status, ==, 14);
      g_assert_cmpuint (result->parts, ==, 0);
      /* The clocks agree, so the refusal is not retried. */
      g_assert_cmpuint (result->attempts, ==, 1);
      g_assert_cmpint (relay_account_get_clock_offset (accounts[i]), ==, 0);
      g_assert_null (strstr (result->error->message, "not-the-secret"));
    }

  log = read_log (fixture);
  g_assert_cmpuint (log->len, ==, 0);
  g_assert_cmpfloat (relay_sandbox_server_get_balance (fixture->sandbox), ==, RELAY_SANDBOX_DEFAULT_BALANCE);
}

/* A clock two hours slow: refused once, corrected from the answer's
 * Date header, signed again and accepted. */
static void
test_skew (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(RelayAccount) account = signed_account (fixture, RELAY_NEXMO_SIG_MD5HASH, SIGNATURE_SECRET);
  g_autoptr(RelaySmsResult) result = NULL;
  g_autoptr(GPtrArray) log = NULL;
  gint64 offset;

  relay_account_set_clock_offset (account, -2 * 60 * 60);
  result = send_one (account);
  g_assert_no_error (result->error);
  g_assert_cmpint (result->state, ==, RELAY_SMS_STATE_SENT);
  g_assert_cmpuint (result->attempts, ==, 2);
  offset = relay_account_get_clock_offset (account);
  g_assert_cmpint (offset, >=, -RELAY_NEXMO_SIG_WINDOW);
  g_assert_cmpint (offset, <=, RELAY_NEXMO_SIG_WINDOW);

  log = read_log (fixture);
  g_assert_cmpuint (log->len, ==, 1);
}

typedef struct
{
  gboolean      done;
  RelayBalance  balance;
  gboolean      ok;
  GError       *error;
} Balance;

static void
balance_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Balance *balance = user_data;

  balance->ok = relay_nexmo_client_balance_finish (RELAY_NEXMO_CLIENT (object), result,
                                                   &balance->balance, &balance->error);
  balance->done = TRUE;
}

/* The signature covers SMS only: the balance is read with the API
 * secret, whatever the signature secret. */
static void
test_balance (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(RelayAccount) account = signed_account (fixture, RELAY_NEXMO_SIG_SHA1, "unused-here");
  g_autoptr(RelayNexmoClient) client = relay_nexmo_client_new (account);
  Balance balance = { FALSE, { 0 }, FALSE, NULL };

  relay_nexmo_client_balance_async (client, NULL, balance_cb, &balance);
  while (!balance.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (balance.error);
  g_assert_true (balance.ok);
  g_assert_cmpfloat (balance.balance.value, ==, RELAY_SANDBOX_DEFAULT_BALANCE);

  relay_account_set_secret (account, "wrong-api-secret");
  balance.done = FALSE;
  relay_nexmo_client_balance_async (client, NULL, balance_cb, &balance);
  while (!balance.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (balance.ok);
  g_assert_nonnull (balance.error);
  g_clear_error (&balance.error);
}

typedef struct
{
  gboolean  done;
  GBytes   *body;
  GError   *error;
} Call;

static void
call_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Call *call = user_data;

  call->body = relay_http_send_finish (SOUP_SESSION (object), result, &call->error);
  call->done = TRUE;
}

/* Posts @params to /sms/json and returns the first message's status
 * (the sandbox runs on this thread's main context: never block it). */
static int
post_sms (Fixture   *fixture,
          GPtrArray *params)
{
  g_autoptr(SoupSession) session = relay_http_session_new (10);
  Call call = { FALSE, NULL, NULL };
  g_autofree char *uri = g_strconcat (fixture->base, "sms/json", NULL);
  g_autofree char *form = relay_params_to_form (params);
  g_autoptr(SoupMessage) message = soup_message_new ("POST", uri);
  g_autoptr(GBytes) request = g_bytes_new (form, strlen (form));
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *first;

  soup_message_set_request_body_from_bytes (message, "application/x-www-form-urlencoded", request);
  relay_http_send_async (session, message, NULL, call_cb, &call);
  while (!call.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (call.error);
  body = call.body;
  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  g_assert_no_error (error);
  first = json_array_get_object_element (json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                                                       "messages"), 0);

  return (int) g_ascii_strtoll (json_object_get_string_member (first, "status"), NULL, 10);
}

static GPtrArray *
sms_params (void)
{
  GPtrArray *params = relay_params_new ();

  relay_params_add (params, "api_key", RELAY_SANDBOX_DEFAULT_API_KEY);
  relay_params_add (params, "from", "Relay");
  relay_params_add (params, "to", "447700900002");
  relay_params_add (params, "text", "a&b=c");

  return params;
}

static void
test_sandbox_refusals (Fixture       *fixture,
                       gconstpointer  data)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(GPtrArray) fresh = sms_params ();
  g_autoptr(GPtrArray) stale = sms_params ();
  g_autoptr(GPtrArray) future = sms_params ();
  g_autoptr(GPtrArray) both = sms_params ();
  g_autoptr(GPtrArray) upper = sms_params ();
  g_autoptr(GPtrArray) tampered = sms_params ();
  g_autoptr(GPtrArray) log = NULL;
  RelayParam *sig;

  relay_sandbox_server_set_signature_secret (fixture->sandbox, SIGNATURE_SECRET, RELAY_NEXMO_SIG_SHA512);

  relay_nexmo_sig_sign (fresh, RELAY_NEXMO_SIG_SHA512, SIGNATURE_SECRET, now);
  g_assert_cmpint (post_sms (fixture, fresh), ==, 0);

  /* Upper-case hex is the same signature. */
  relay_nexmo_sig_sign (upper, RELAY_NEXMO_SIG_SHA512, SIGNATURE_SECRET, now);
  sig = g_ptr_array_index (upper, upper->len - 1);
  g_assert_cmpstr (sig->name, ==, "sig");
  for (char *p = sig->value; *p != '\0'; p++)
    *p = g_ascii_toupper (*p);
  g_assert_cmpint (post_sms (fixture, upper), ==, 0);

  /* Correctly signed, but outside ±5 minutes. */
  relay_nexmo_sig_sign (stale, RELAY_NEXMO_SIG_SHA512, SIGNATURE_SECRET, now - 2 * RELAY_NEXMO_SIG_WINDOW);
  g_assert_cmpint (post_sms (fixture, stale), ==, 14);
  relay_nexmo_sig_sign (future, RELAY_NEXMO_SIG_SHA512, SIGNATURE_SECRET, now + 2 * RELAY_NEXMO_SIG_WINDOW);
  g_assert_cmpint (post_sms (fixture, future), ==, 14);

  /* A value changed after signing. */
  relay_nexmo_sig_sign (tampered, RELAY_NEXMO_SIG_SHA512, SIGNATURE_SECRET, now);
  relay_params_add (tampered, "client-ref", "added-later");
  g_assert_cmpint (post_sms (fixture, tampered), ==, 14);

  /* Both a signature and the API secret. */
  relay_nexmo_sig_sign (both, RELAY_NEXMO_SIG_SHA512, SIGNATURE_SECRET, now);
  relay_params_add (both, "api_secret", RELAY_SANDBOX_DEFAULT_API_SECRET);
  g_assert_cmpint (post_sms (fixture, both), ==, 32);

  log = read_log (fixture);
  g_assert_cmpuint (log->len, ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/relay/signed/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("send", test_send);
  ADD ("refused", test_refused);
  ADD ("skew", test_skew);
  ADD ("balance", test_balance);
  ADD ("sandbox-refusals", test_sandbox_refusals);

  return g_test_run ();
}
