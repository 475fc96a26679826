/* test-nexmo-sig.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Nexmo's signature-secret signing (relay-nexmo-sig): the SDKs' published
 * vectors, the verifier, what relay_nexmo_sig_sign() sends, and a
 * differential test against npm's @vonage/sms verifySignature
 * (tests/helpers/vonage-sig-oracle.js, one node process for the batch).
 */

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "relay-nexmo-sig.h"
#include "relay-oauth1-params.h"

#define N_CASES 400
#define SEED    20261201

typedef struct
{
  RelayNexmoSigMethod  method;
  const char          *sig;
} Vector;

static GPtrArray *
params_of (const char *const *pairs)
{
  GPtrArray *params = relay_params_new ();

  for (guint i = 0; pairs[i] != NULL; i += 2)
    relay_params_add (params, pairs[i], pairs[i + 1]);

  return params;
}

static void
check_vectors (GPtrArray    *params,
               const char   *secret,
               const Vector *vectors,
               guint         n_vectors)
{
  for (guint i = 0; i < n_vectors; i++)
    {
      g_autofree char *sig = relay_nexmo_sig_compute (params, vectors[i].method, secret);
      g_autofree char *upper = g_ascii_strup (vectors[i].sig, -1);

      g_test_message ("%s", relay_nexmo_sig_method_to_string (vectors[i].method));
      g_assert_cmpstr (sig, ==, vectors[i].sig);
      g_assert_true (relay_nexmo_sig_verify (params, vectors[i].method, secret, vectors[i].sig));
      /* PHP sends upper-case hex; the server ignores case. */
      g_assert_true (relay_nexmo_sig_verify (params, vectors[i].method, secret, upper));
      g_assert_false (relay_nexmo_sig_verify (params, vectors[i].method, "abcdf", vectors[i].sig));
    }
}

/* Java SDK RequestSigningTest: a=alphabet, b=bananas and the timestamp
 * 2100 it adds; no api_key in that string. */
static void
test_java_vectors (void)
{
  static const char *const pairs[] = { "b", "bananas", "timestamp", "2100", "a", "alphabet", NULL };
  static const Vector vectors[] = {
    { RELAY_NEXMO_SIG_MD5HASH, "7d43241108912b32cc315b48ce681acf" },
    { RELAY_NEXMO_SIG_MD5, "e0afe267aefd6dd18a848c1681517a19" },
    { RELAY_NEXMO_SIG_SHA1, "b7f749de27b4adcf736cc95c9a7e059a16c85127" },
    { RELAY_NEXMO_SIG_SHA256, "8d1b0428276b6a070578225914c3502cc0687a454dfbbbb370c76a14234cb546" },
  };
  g_autoptr(GPtrArray) params = params_of (pairs);
  g_autofree char *text = relay_nexmo_sig_string (params);

  g_assert_cmpstr (text, ==, "&a=alphabet&b=bananas&timestamp=2100");
  check_vectors (params, "abcde", vectors, G_N_ELEMENTS (vectors));
}

/* PHP SDK SignatureTest: an SMS request with api_key in the string; the
 * md5hash value is the one vonage-notes.md derived independently. */
static void
test_php_vectors (void)
{
  static const char *const pairs[] = {
    "api_key", "fake_api_key", "to", "14155550100", "from", "AcmeInc",
    "text", "Test From Nexmo", "type", "text", "timestamp", "1540924779", NULL,
  };
  static const Vector vectors[] = {
    { RELAY_NEXMO_SIG_MD5HASH, "2af9e28662706a74b5211d557b7a7576" },
    { RELAY_NEXMO_SIG_MD5, "51cdafebb4bbce9525b195c1617cb8d2" },
    { RELAY_NEXMO_SIG_SHA256, "9fec5ef6d0f2b3d2bb7558b6e4042569823cab9ea0dd30503472b7b304601975" },
  };
  g_autoptr(GPtrArray) params = params_of (pairs);
  g_autofree char *text = relay_nexmo_sig_string (params);

  g_assert_cmpstr (text, ==, "&api_key=fake_api_key&from=AcmeInc&text=Test From Nexmo"
                             "&timestamp=1540924779&to=14155550100&type=text");
  check_vectors (params, "71efab63122f1d179f51c46bac838fb5", vectors, G_N_ELEMENTS (vectors));
}

static void
test_string (void)
{
  static const char *const pairs[] = {
    "sig", "ignored", "text", "a&b=c", "B", "upper", "a", "", "api_key", "k", "\xC3\xA9", "x", NULL,
  };
  g_autoptr(GPtrArray) params = params_of (pairs);
  g_autofree char *text = relay_nexmo_sig_string (params);
  g_autoptr(GPtrArray) none = relay_params_new ();
  g_autofree char *empty = relay_nexmo_sig_string (none);

  /* Byte order (upper case first), sig left out, & and = replaced in
   * values only, empty values kept, nothing encoded. */
  g_assert_cmpstr (text, ==, "&B=upper&a=&api_key=k&text=a_b_c&\xC3\xA9=x");
  g_assert_cmpstr (empty, ==, "");
}

static void
test_methods (void)
{
  static const char *const names[] = { "md5hash", "md5", "sha1", "sha256", "sha512" };
  RelayNexmoSigMethod method = RELAY_NEXMO_SIG_NONE;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_assert_true (relay_nexmo_sig_method_from_string (names[i], &method));
      g_assert_cmpint (method, ==, RELAY_NEXMO_SIG_MD5HASH + i);
      g_assert_cmpstr (relay_nexmo_sig_method_to_string (method), ==, names[i]);
    }

  g_assert_false (relay_nexmo_sig_method_from_string ("MD5HASH", NULL));
  g_assert_false (relay_nexmo_sig_method_from_string ("none", NULL));
  g_assert_false (relay_nexmo_sig_method_from_string ("sha384", NULL));
  g_assert_false (relay_nexmo_sig_method_from_string ("", NULL));
  g_assert_false (relay_nexmo_sig_method_from_string (NULL, NULL));
}

static void
test_verify (void)
{
  static const char *const pairs[] = { "a", "alphabet", "b", "bananas", "timestamp", "2100", NULL };
  g_autoptr(GPtrArray) params = params_of (pairs);
  const char *good = "b7f749de27b4adcf736cc95c9a7e059a16c85127";

  /* A sig among the parameters is not part of what it signs. */
  relay_params_add (params, "sig", good);
  g_assert_true (relay_nexmo_sig_verify (params, RELAY_NEXMO_SIG_SHA1, "abcde", good));
  g_assert_false (relay_nexmo_sig_verify (params, RELAY_NEXMO_SIG_SHA256, "abcde", good));
  g_assert_false (relay_nexmo_sig_verify (params, RELAY_NEXMO_SIG_SHA1, "abcde", NULL));
  g_assert_false (relay_nexmo_sig_verify (params, RELAY_NEXMO_SIG_SHA1, "abcde", ""));
  g_assert_false (relay_nexmo_sig_verify (params, RELAY_NEXMO_SIG_SHA1, "abcde", "b7f749de27b4adcf736cc95c9a7e059a16c8512"));
  g_assert_false (relay_nexmo_sig_verify (params, RELAY_NEXMO_SIG_SHA1, "abcde", "b7f749de27b4adcf736cc95c9a7e059a16c851270"));
  g_assert_false (relay_nexmo_sig_verify (params, RELAY_NEXMO_SIG_NONE, "abcde", good));

  /* Any change to a value breaks it, except & ↔ = ↔ _ (the recipe's
   * own ambiguity). */
  relay_params_add (params, "c", "x&y");
  g_assert_false (relay_nexmo_sig_verify (params, RELAY_NEXMO_SIG_SHA1, "abcde", good));
}

static void
test_sign (void)
{
  static const char *const pairs[] = {
    "from", "", "to", "447700900001", "text", "Hi & bye = ciao", "api_key", "k",
    "api_secret", "must-go", "timestamp", "1", "sig", "old", NULL,
  };
  g_autoptr(GPtrArray) params = params_of (pairs);
  const char *sig;

  relay_nexmo_sig_sign (params, RELAY_NEXMO_SIG_SHA512, "s3cret", 1764547200);

  g_assert_null (relay_params_get (params, "api_secret"));
  g_assert_null (relay_params_get (params, "from"));
  g_assert_cmpuint (relay_params_count (params, "timestamp"), ==, 1);
  g_assert_cmpuint (relay_params_count (params, "sig"), ==, 1);
  g_assert_cmpstr (relay_params_get (params, "timestamp"), ==, "1764547200");
  /* The values sent are unchanged. */
  g_assert_cmpstr (relay_params_get (params, "text"), ==, "Hi & bye = ciao");
  sig = relay_params_get (params, "sig");
  g_assert_cmpuint (strlen (sig), ==, 128);
  g_assert_cmpuint (strspn (sig, "0123456789abcdef"), ==, 128);
  g_assert_true (relay_nexmo_sig_verify (params, RELAY_NEXMO_SIG_SHA512, "s3cret", sig));
}

/* Differential: generated parameter sets, signed by Relay, verified by
 * @vonage/sms. */

static const char *const names[] = {
  "to", "from", "text", "type", "client-ref", "ttl", "callback", "status-report-req",
  "a", "B", "b", "z", "_x", "udh", "\xC3\xA9t\xC3\xA9", "\xE5\x95\xA6",
};
static const char *const values[] = {
  "", "", "a&b", "x=y", "&=&", "==", "&", "\xC3\xA9", "\xF0\x9F\x98\x80 party", "Hello World",
  "+447700900001", "a+b%20c", "line\nbreak", "tab\there", "\xE4\xBD\xA0\xE5\xA5\xBD&\xE4\xB8\x96=\xE7\x95\x8C",
  "quote\"s'", "back\\slash", "<tag>", "0", "unicode",
};
static const char *const secrets[] = {
  "abcde", "71efab63122f1d179f51c46bac838fb5", "s\303\251cret", "with space & = signs", "x",
};

static char *
random_value (GRand *rand)
{
  if (g_rand_int_range (rand, 0, 4) > 0)
    return g_strdup (values[g_rand_int_range (rand, 0, G_N_ELEMENTS (values))]);

  {
    GString *out = g_string_new (NULL);
    guint len = g_rand_int_range (rand, 1, 40);

    for (guint i = 0; i < len; i++)
      g_string_append_c (out, (char) g_rand_int_range (rand, 0x20, 0x7f));
    return g_string_free (out, FALSE);
  }
}

static const char *
find_oracle_modules (void)
{
  const char *modules = g_getenv ("RELAY_NODE_MODULES");
  g_autofree char *package = NULL;

  if (modules == NULL)
    return NULL;
  package = g_build_filename (modules, "@vonage", "sms", "package.json", NULL);

  return g_file_test (package, G_FILE_TEST_IS_REGULAR) ? modules : NULL;
}

static void
test_differential (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (SEED);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *node_path = g_find_program_in_path ("node");
  g_autofree char *script = NULL;
  g_autofree char *input = NULL;
  g_autofree char *output = NULL;
  g_autofree char *errors = NULL;
  const char *modules = find_oracle_modules ();
  JsonArray *answers;
  guint with_empty = 0;

  if (node_path == NULL)
    {
      g_test_skip ("node is not installed (build-aux/test installs it)");
      return;
    }
  if (modules == NULL)
    {
      g_test_skip ("@vonage/sms is not installed under RELAY_NODE_MODULES (build-aux/test installs it)");
      return;
    }

  json_builder_begin_array (builder);
  for (guint i = 0; i < N_CASES; i++)
    {
      g_autoptr(GPtrArray) params = relay_params_new ();
      g_autoptr(GPtrArray) changed = relay_params_new ();
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
      RelayNexmoSigMethod method = RELAY_NEXMO_SIG_MD5HASH + i % 5;
      const char *secret = secrets[g_rand_int_range (rand, 0, G_N_ELEMENTS (secrets))];
      g_autofree char *stamp = g_strdup_printf ("%d", g_rand_int_range (rand, 1000000000, G_MAXINT));
      g_autofree char *good = NULL;
      g_autofree char *upper = NULL;
      g_autofree char *bad = NULL;
      guint n = g_rand_int_range (rand, 0, 7);

      relay_params_add (params, "api_key", "relay-oracle");
      relay_params_add (params, "timestamp", stamp);
      for (guint j = 0; j < n; j++)
        {
          const char *name = names[g_rand_int_range (rand, 0, G_N_ELEMENTS (names))];
          g_autofree char *value = NULL;

          /* @vonage/sms takes an object: one value per name. */
          if (!g_hash_table_add (seen, (gpointer) name))
            continue;
          value = random_value (rand);
          with_empty += *value == '\0';
          relay_params_add (params, name, value);
        }

      good = relay_nexmo_sig_compute (params, method, secret);
      upper = g_ascii_strup (good, -1);

      /* The same set with one value changed must not verify. */
      for (guint j = 0; j < params->len; j++)
        {
          RelayParam *param = g_ptr_array_index (params, j);
          g_autofree char *value = j == params->len - 1 ? g_strconcat (param->value, "!", NULL)
                                                        : g_strdup (param->value);

          relay_params_add (changed, param->name, value);
        }
      bad = relay_nexmo_sig_compute (changed, method, secret);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "params");
      json_builder_begin_object (builder);
      for (guint j = 0; j < params->len; j++)
        {
          RelayParam *param = g_ptr_array_index (params, j);

          json_builder_set_member_name (builder, param->name);
          json_builder_add_string_value (builder, param->value);
        }
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "secret");
      json_builder_add_string_value (builder, secret);
      json_builder_set_member_name (builder, "method");
      json_builder_add_string_value (builder, relay_nexmo_sig_method_to_string (method));
      json_builder_set_member_name (builder, "sigs");
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, good);
      json_builder_add_string_value (builder, upper);
      json_builder_add_string_value (builder, bad);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  g_assert_cmpuint (with_empty, >, 20);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  input = json_generator_to_data (generator, NULL);

  script = g_test_build_filename (G_TEST_DIST, "helpers", "vonage-sig-oracle.js", NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "NODE_PATH", modules, TRUE);
  node = g_subprocess_launcher_spawn (launcher, &error, node_path, script, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (node, input, NULL, &output, &errors, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_exit_status (node) == 77)
    {
      g_test_skip (errors);
      return;
    }
  g_assert_cmpstr (errors, ==, "");
  g_assert_cmpint (g_subprocess_get_exit_status (node), ==, 0);

  json_parser_load_from_data (parser, output, -1, &error);
  g_assert_no_error (error);
  answers = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (answers), ==, N_CASES);

  for (guint i = 0; i < N_CASES; i++)
    {
      JsonArray *answer = json_array_get_array_element (answers, i);

      if (!json_array_get_boolean_element (answer, 0) || !json_array_get_boolean_element (answer, 1) ||
          json_array_get_boolean_element (answer, 2))
        g_error ("case %u: @vonage/sms answered %s, %s, %s (want true, true, false)", i,
                 json_array_get_boolean_element (answer, 0) ? "true" : "false",
                 json_array_get_boolean_element (answer, 1) ? "true" : "false",
                 json_array_get_boolean_element (answer, 2) ? "true" : "false");
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/relay/nexmo-sig/java-vectors", test_java_vectors);
  g_test_add_func ("/relay/nexmo-sig/php-vectors", test_php_vectors);
  g_test_add_func ("/relay/nexmo-sig/string", test_string);
  g_test_add_func ("/relay/nexmo-sig/methods", test_methods);
  g_test_add_func ("/relay/nexmo-sig/verify", test_verify);
  g_test_add_func ("/relay/nexmo-sig/sign", test_sign);
  g_test_add_func ("/relay/nexmo-sig/differential", test_differential);

  return g_test_run ();
}
