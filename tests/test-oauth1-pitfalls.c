/* test-oauth1-pitfalls.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The GLib, libsoup and libsecret behaviour shared/oauth1-notes.md §5
 * warns about, one test each: it depends on the library versions, so a
 * change shows up here, next to the core code that works around it.
 */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <libsoup/soup.h>
#include <string.h>

#include "relay-oauth1-error.h"
#include "relay-oauth1-params.h"
#include "relay-oauth1-request.h"
#include "relay-oauth1-uri.h"

/* §5.1: g_uri_escape_string (s, NULL, FALSE) is §3.6 encoding. */
static void
test_pitfall_uri_escape (void)
{
  for (guint c = 1; c < 256; c++)
    {
      char text[4] = { 'a', (char) c, 'z', '\0' };
      g_autofree char *ours = relay_percent_encode (text);
      g_autofree char *glib = g_uri_escape_string (text, NULL, FALSE);

      g_assert_cmpstr (ours, ==, glib);
    }
}

/* §5.2: g_uri_parse_params refuses bare names; our parser keeps them. */
static void
test_pitfall_parse_params (void)
{
  static const char *query = "a3=a&a3=2+q&b=%2B&c&d=";
  g_autoptr(GHashTable) table = NULL;
  g_autoptr(GPtrArray) params = relay_params_new ();
  g_autoptr(GError) error = NULL;
  const char *expected[][2] = { { "a3", "a" }, { "a3", "2 q" }, { "b", "+" }, { "c", "" }, { "d", "" } };

  table = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_WWW_FORM, &error);
  g_assert_null (table);
  g_assert_error (error, G_URI_ERROR, G_URI_ERROR_FAILED);

  g_assert_true (relay_params_parse_form (params, query, -1, NULL));
  g_assert_cmpuint (params->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < params->len; i++)
    {
      const RelayParam *param = g_ptr_array_index (params, i);

      g_assert_cmpstr (param->name, ==, expected[i][0]);
      g_assert_cmpstr (param->value, ==, expected[i][1]);
    }

  /* a bad escape fails the whole parse and leaves the list as it was */
  g_clear_error (&error);
  g_assert_false (relay_params_parse_form (params, "x=1&y=%4", -1, &error));
  g_assert_error (error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_MALFORMED);
  g_assert_cmpuint (params->len, ==, G_N_ELEMENTS (expected));
}

/* §5.3: soup_form_decode drops bare names and keeps the last duplicate. */
static void
test_pitfall_soup_form_decode (void)
{
  g_autoptr(GHashTable) form = soup_form_decode ("c2&a3=a&a3=2+q");
  g_autoptr(GPtrArray) params = relay_params_new ();

  g_assert_false (g_hash_table_contains (form, "c2"));
  g_assert_cmpstr (g_hash_table_lookup (form, "a3"), ==, "2 q");
  g_assert_cmpuint (g_hash_table_size (form), ==, 1);

  g_assert_true (relay_params_parse_form (params, "c2&a3=a&a3=2+q", -1, NULL));
  g_assert_cmpuint (params->len, ==, 3);
  g_assert_cmpuint (relay_params_count (params, "a3"), ==, 2);
  g_assert_cmpstr (relay_params_get (params, "c2"), ==, "");
}

/* §5.4: GUri keeps the host's case, an explicit default port, drops IPv6
 * brackets; the base string URI builder repairs each. */
static void
test_pitfall_guri_host_port (void)
{
  static const struct { const char *uri, *host; int port; const char *path, *base; } rows[] = {
    { "HTTP://EXAMPLE.COM:80/r%20v/X", "EXAMPLE.COM", 80, "/r%20v/X", "http://example.com/r%20v/X" },
    { "https://Example.com:443", "Example.com", 443, "/", "https://example.com/" },
    { "http://[::1]:8080/p%2Fq", "::1", 8080, "/p%2Fq", "http://[::1]:8080/p%2Fq" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(GUri) soup = g_uri_parse (rows[i].uri, SOUP_HTTP_URI_FLAGS, NULL);
      g_autoptr(GUri) ours = relay_oauth1_parse_uri (rows[i].uri, NULL);
      g_autofree char *base = NULL;

      g_assert_nonnull (soup);
      g_assert_cmpstr (g_uri_get_host (soup), ==, rows[i].host);
      g_assert_cmpint (g_uri_get_port (soup), ==, rows[i].port);
      g_assert_cmpstr (g_uri_get_path (soup), ==, rows[i].path);

      g_assert_nonnull (ours);
      base = relay_oauth1_base_string_uri (ours);
      g_assert_cmpstr (base, ==, rows[i].base);
    }
}

/* §5.5: with G_URI_FLAGS_NONE the path is decoded; we sign the encoded
 * path, and it is exactly the path libsoup sends. */
static void
test_pitfall_encoded_path (void)
{
  g_autoptr(GUri) decoded = g_uri_parse ("http://example.com/a%7Eb/r%20v/p%2Fq", G_URI_FLAGS_NONE, NULL);
  g_autoptr(RelayOAuth1Request) request = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *wire = NULL;
  g_autofree char *signed_uri = NULL;
  const char *base;

  g_assert_cmpstr (g_uri_get_path (decoded), ==, "/a~b/r v/p/q");

  request = relay_oauth1_request_new ("GET", "https://example.com/a%7Eb/r%20v/p%2Fq?x=%2B", NULL);
  relay_oauth1_request_set_consumer (request, "ck", "cs");
  relay_oauth1_request_set_placement (request, RELAY_OAUTH1_PLACEMENT_QUERY);
  g_assert_true (relay_oauth1_request_sign (request, NULL));
  base = relay_oauth1_request_get_base_string (request);
  g_assert_true (g_str_has_prefix (base, "GET&https%3A%2F%2Fexample.com%2Fa~b%2Fr%2520v%2Fp%252Fq&"));

  message = soup_message_new_from_uri ("GET", relay_oauth1_request_get_uri (request));
  g_assert_cmpstr (g_uri_get_path (soup_message_get_uri (message)), ==, "/a~b/r%20v/p%2Fq");
  wire = g_uri_to_string (soup_message_get_uri (message));
  signed_uri = g_uri_to_string (relay_oauth1_request_get_uri (request));
  g_assert_cmpstr (wire, ==, signed_uri);
}

/* §5.6: libsecret with no session bus fails with G_IO_ERROR_FAILED rather
 * than storing anywhere else. Runs in a child without a bus. */
static void
test_pitfall_libsecret_no_bus (void)
{
  static const SecretSchema schema = {
    "io.github.relaysms.Relay.Test", SECRET_SCHEMA_NONE,
    { { "case", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } },
  };

  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *runtime = g_dir_make_tmp ("relay-test-XXXXXX", NULL);

      g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
      g_unsetenv ("DISPLAY");
      g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);
      g_assert_false (secret_password_store_sync (&schema, SECRET_COLLECTION_DEFAULT, "Relay test",
                                                  "not-a-secret", NULL, &error, "case", "no-bus", NULL));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
      g_rmdir (runtime);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/relay/oauth1-pitfalls/uri-escape", test_pitfall_uri_escape);
  g_test_add_func ("/relay/oauth1-pitfalls/parse-params", test_pitfall_parse_params);
  g_test_add_func ("/relay/oauth1-pitfalls/soup-form-decode", test_pitfall_soup_form_decode);
  g_test_add_func ("/relay/oauth1-pitfalls/guri-host-port", test_pitfall_guri_host_port);
  g_test_add_func ("/relay/oauth1-pitfalls/encoded-path", test_pitfall_encoded_path);
  g_test_add_func ("/relay/oauth1-pitfalls/libsecret-no-bus", test_pitfall_libsecret_no_bus);

  return g_test_run ();
}
