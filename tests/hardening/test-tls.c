/* test-tls.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * TLS against a local HTTPS provider with a self-signed certificate
 * (issue 6, item 5), through Relay's own HTTP layer: the session from
 * relay_http_session_new() refuses it with one clear sentence before a
 * single request reaches the server; with that certificate as the trust
 * anchor (a GTlsDatabase set on the session by this test) the same
 * signed request goes through. The certificate is made fresh for each
 * run with openssl.
 */

#include <errno.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "relay-http.h"
#include "relay-oauth1-request.h"

typedef struct
{
  char            *dir;
  char            *cert_path;
  char            *key_path;
  SoupServer      *server;
  char            *base_uri;
  guint            requests;
  char            *authorization;
} Fixture;

typedef struct
{
  GMainLoop *loop;
  GBytes    *body;
  GError    *error;
} SendState;

static void
server_cb (SoupServer        *server,
           SoupServerMessage *message,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Fixture *fixture = user_data;
  static const char answer[] = "{\"value\": 3.14, \"autoReload\": false}";
  const char *authorization;

  fixture->requests++;
  authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (message),
                                                "Authorization");
  g_free (fixture->authorization);
  fixture->authorization = g_strdup (authorization);

  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_STATIC,
                                    answer, strlen (answer));
}

static void
make_certificate (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  int status = 0;
  const char *argv[] = {
    "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
    "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
    "-addext", "subjectAltName=IP:127.0.0.1",
    "-keyout", fixture->key_path, "-out", fixture->cert_path, NULL
  };

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                NULL, NULL, NULL, &output, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  fixture->dir = g_dir_make_tmp ("relay-tls-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->cert_path = g_build_filename (fixture->dir, "cert.pem", NULL);
  fixture->key_path = g_build_filename (fixture->dir, "key.pem", NULL);
  make_certificate (fixture);

  certificate = g_tls_certificate_new_from_files (fixture->cert_path, fixture->key_path, &error);
  g_assert_no_error (error);

  fixture->server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_handler (fixture->server, NULL, server_cb, fixture, NULL);
  soup_server_listen_local (fixture->server, 0,
                            SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (fixture->server);
  g_assert_nonnull (uris);
  fixture->base_uri = g_strdup_printf ("https://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  g_assert_no_errno (g_remove (fixture->cert_path));
  g_assert_no_errno (g_remove (fixture->key_path));
  g_assert_no_errno (g_rmdir (fixture->dir));
  g_free (fixture->cert_path);
  g_free (fixture->key_path);
  g_free (fixture->dir);
  g_free (fixture->base_uri);
  g_free (fixture->authorization);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  SendState *state = user_data;

  state->body = relay_http_send_finish (SOUP_SESSION (object), result, &state->error);
  g_main_loop_quit (state->loop);
}

/* Sends a signed balance call over @session; returns the body or sets @error. */
static GBytes *
send_signed (Fixture      *fixture,
             SoupSession  *session,
             GError      **error)
{
  g_autoptr(RelayOAuth1Request) request = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *uri = g_strconcat (fixture->base_uri, "/account/get-balance", NULL);
  SendState state = { 0, };

  request = relay_oauth1_request_new ("GET", uri, &local_error);
  g_assert_no_error (local_error);
  relay_oauth1_request_set_consumer (request, "dpf43f3p2l4k3l03", "kd94hf93k423kf44");
  relay_oauth1_request_set_token (request, "nnch734d00sl2jdk", "pfkkdhi9sl3r4s00");
  g_assert_true (relay_oauth1_request_sign (request, &local_error));
  g_assert_no_error (local_error);
  message = relay_http_message_new_signed (request, &local_error);
  g_assert_no_error (local_error);

  state.loop = g_main_loop_new (NULL, FALSE);
  relay_http_send_async (session, message, NULL, send_cb, &state);
  g_main_loop_run (state.loop);
  g_main_loop_unref (state.loop);

  if (state.error != NULL)
    g_propagate_error (error, state.error);

  return state.body;
}

static void
test_self_signed_refused (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(SoupSession) session = relay_http_session_new (10);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = send_signed (fixture, session, &error);
  g_assert_null (body);
  g_assert_error (error, RELAY_HTTP_ERROR, RELAY_HTTP_ERROR_TLS);
  g_test_message ("refused: %s", error->message);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_nonnull (strstr (error->message, "not trusted"));
  g_assert_null (strchr (error->message, '\n'));
  g_assert_null (strstr (error->message, "kd94hf93k423kf44"));

  /* Nothing signed ever reached the untrusted server. */
  g_assert_cmpuint (fixture->requests, ==, 0);
}

static void
test_trust_anchor (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(SoupSession) session = relay_http_session_new (10);
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  database = g_tls_file_database_new (fixture->cert_path, &error);
  g_assert_no_error (error);
  soup_session_set_tls_database (session, database);

  body = send_signed (fixture, session, &error);
  g_assert_no_error (error);
  g_assert_nonnull (body);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                   "{\"value\": 3.14, \"autoReload\": false}", 36);
  g_assert_cmpuint (fixture->requests, ==, 1);
  g_assert_true (g_str_has_prefix (fixture->authorization, "OAuth "));
}

/* Another trust anchor does not make this certificate acceptable. */
static void
test_other_anchor_refused (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(SoupSession) session = relay_http_session_new (10);
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  Fixture other = { 0, };

  other.dir = g_dir_make_tmp ("relay-tls-XXXXXX", &error);
  g_assert_no_error (error);
  other.cert_path = g_build_filename (other.dir, "cert.pem", NULL);
  other.key_path = g_build_filename (other.dir, "key.pem", NULL);
  make_certificate (&other);
  database = g_tls_file_database_new (other.cert_path, &error);
  g_assert_no_error (error);
  soup_session_set_tls_database (session, database);

  body = send_signed (fixture, session, &error);
  g_assert_null (body);
  g_assert_error (error, RELAY_HTTP_ERROR, RELAY_HTTP_ERROR_TLS);
  g_assert_cmpuint (fixture->requests, ==, 0);

  g_assert_no_errno (g_remove (other.cert_path));
  g_assert_no_errno (g_remove (other.key_path));
  g_assert_no_errno (g_rmdir (other.dir));
  g_free (other.cert_path);
  g_free (other.key_path);
  g_free (other.dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/relay/hardening/tls/self-signed-refused", Fixture, NULL,
              fixture_set_up, test_self_signed_refused, fixture_tear_down);
  g_test_add ("/relay/hardening/tls/trust-anchor", Fixture, NULL,
              fixture_set_up, test_trust_anchor, fixture_tear_down);
  g_test_add ("/relay/hardening/tls/other-anchor-refused", Fixture, NULL,
              fixture_set_up, test_other_anchor_refused, fixture_tear_down);

  return g_test_run ();
}
