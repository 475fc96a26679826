/* test-cli-sign.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `relay-cli sign` as DESIGN.md specifies it, run as a real process
 * (RELAY_CLI) with G_DEBUG=fatal-criticals inherited from the test
 * environment, so a critical would abort it and fail the exit-code checks.
 */

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "relay-oauth1-request.h"

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static char *
bytes_to_string (GBytes *bytes)
{
  gsize len = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &len) : NULL;

  return len > 0 ? g_strndup (data, len) : g_strdup ("");
}

static void
run_cli_env (Run                *run,
             const char         *locale,
             const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  const char *cli = g_getenv ("RELAY_CLI");

  if (cli == NULL)
    g_error ("RELAY_CLI is not set; run this test with meson test");

  g_ptr_array_add (argv, (gpointer) cli);
  g_ptr_array_add (argv, (gpointer) "sign");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "G_DEBUG", "fatal-criticals", TRUE);
  if (locale != NULL)
    g_subprocess_launcher_setenv (launcher, "LC_ALL", locale, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);

  /* a crash or abort is a signal, never an exit status */
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  run->out = bytes_to_string (out);
  run->err = bytes_to_string (err);
}

static void
run_cli (Run                *run,
         const char * const *args)
{
  run_cli_env (run, NULL, args);
}

#define RUN(run, ...) run_cli (run, (const char * const[]) { __VA_ARGS__, NULL })

static char *
line_value (const char *out,
            const char *label)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  g_autofree char *prefix = g_strconcat (label, ": ", NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return g_strdup (lines[i] + strlen (prefix));

  g_error ("no “%s” line in: %s", label, out);
}

/* RFC 5849 §1.2 (a), V5 of the notes */
static void
test_text_output (void)
{
  g_auto(Run) spaced = { 0, };
  g_auto(Run) equals = { 0, };
  g_autofree char *signature = NULL;
  g_autofree char *base = NULL;
  g_autofree char *header = NULL;

  /* both option spellings: "--opt value" and "--opt=value" */
  run_cli (&spaced, (const char * const[]) {
    "--method", "POST", "--consumer-key", "dpf43f3p2l4k3l03", "--consumer-secret", "kd94hf93k423kf44",
    "--callback", "http://printer.example.com/ready", "--nonce", "wIjqoS", "--timestamp", "137131200",
    "https://photos.example.net/initiate", NULL });
  run_cli (&equals, (const char * const[]) {
    "--method=POST", "--consumer-key=dpf43f3p2l4k3l03", "--consumer-secret=kd94hf93k423kf44",
    "--callback=http://printer.example.com/ready", "--nonce=wIjqoS", "--timestamp=137131200",
    "https://photos.example.net/initiate", NULL });

  g_assert_cmpint (spaced.status, ==, 0);
  g_assert_cmpstr (spaced.err, ==, "");
  g_assert_cmpint (equals.status, ==, 0);
  g_assert_cmpstr (equals.out, ==, spaced.out);

  base = line_value (spaced.out, "Base string");
  signature = line_value (spaced.out, "Signature");
  header = line_value (spaced.out, "Authorization");
  g_assert_cmpstr (base, ==,
                   "POST&https%3A%2F%2Fphotos.example.net%2Finitiate&oauth_callback%3Dhttp%253A%252F%252F"
                   "printer.example.com%252Fready%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3DwIjqoS"
                   "%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131200");
  g_assert_cmpstr (signature, ==, "74KNZJeDHnMBp0EMJ9ZHt/XKycU=");
  g_assert_true (g_str_has_prefix (header, "OAuth "));
  g_assert_nonnull (strstr (header, "oauth_signature=\"74KNZJeDHnMBp0EMJ9ZHt%2FXKycU%3D\""));
  g_assert_nonnull (strstr (header, "oauth_callback=\"http%3A%2F%2Fprinter.example.com%2Fready\""));

  /* the secret is never printed */
  g_assert_null (strstr (spaced.out, "kd94hf93k423kf44"));
}

static void
test_json_output (void)
{
  g_auto(Run) text = { 0, };
  g_auto(Run) json = { 0, };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *header = NULL;
  JsonObject *object;

  /* RFC 5849 §3.1 (V4): query, form body with a bare name, realm, token */
#define V4_ARGS \
  "--consumer-key", "9djdj82h48djs9d2", "--consumer-secret", "j49sk3j29djd", \
  "--token", "kkk9d7dh3k39sjv7", "--token-secret", "dh893hdasih9", "--nonce", "7d8f3e4a", \
  "--timestamp", "137131201", "--realm", "Example", "--form", "c2=", "--form", "a3=2 q", \
  "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b"
  RUN (&text, V4_ARGS);
  RUN (&json, "--json", V4_ARGS);
#undef V4_ARGS

  g_assert_cmpint (json.status, ==, 0);
  g_assert_cmpstr (json.err, ==, "");
  node = json_from_string (json.out, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  object = json_node_get_object (node);
  g_assert_cmpuint (json_object_get_size (object), ==, 3);

  g_assert_cmpint (text.status, ==, 0);
  base = line_value (text.out, "Base string");
  signature = line_value (text.out, "Signature");
  header = line_value (text.out, "Authorization");
  g_assert_cmpstr (json_object_get_string_member (object, "base_string"), ==, base);
  g_assert_cmpstr (json_object_get_string_member (object, "signature"), ==, signature);
  g_assert_cmpstr (json_object_get_string_member (object, "authorization"), ==, header);

  g_assert_cmpstr (signature, ==, "r6/TJjbCOr97/+UU0NsvSne7s5g=");
  g_assert_true (g_str_has_prefix (header, "OAuth realm=\"Example\", "));
  g_assert_true (g_str_has_prefix (base, "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da"));
}

/* Every signature method gives what the library gives for the same
 * request, and GET is the default without --form. */
static void
test_signature_methods (void)
{
  static const char *const methods[] = { "HMAC-SHA1", "HMAC-SHA256", "HMAC-SHA512", "PLAINTEXT" };

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      g_auto(Run) run = { 0, };
      g_autoptr(RelayOAuth1Request) request = NULL;
      g_autofree char *signature = NULL;
      g_autofree char *base = NULL;
      RelayOAuth1SignatureMethod method;

      RUN (&run, "--signature-method", methods[i], "--consumer-key", "ck", "--consumer-secret", "c s",
           "--token", "tk", "--token-secret", "t&s", "--nonce", "n", "--timestamp", "1700000000",
           "--verifier", "v", "https://rest.nexmo.com/sms/json?from=Relay&to=447700900000&text=Hi+%C3%A9");
      g_assert_cmpint (run.status, ==, 0);
      signature = line_value (run.out, "Signature");
      base = line_value (run.out, "Base string");

      g_assert_true (relay_oauth1_signature_method_from_string (methods[i], &method));
      request = relay_oauth1_request_new ("GET", "https://rest.nexmo.com/sms/json?from=Relay&to=447700900000&text=Hi+%C3%A9", NULL);
      relay_oauth1_request_set_signature_method (request, method);
      relay_oauth1_request_set_consumer (request, "ck", "c s");
      relay_oauth1_request_set_token (request, "tk", "t&s");
      relay_oauth1_request_set_nonce (request, "n");
      relay_oauth1_request_set_timestamp (request, "1700000000");
      relay_oauth1_request_set_verifier (request, "v");
      g_assert_true (relay_oauth1_request_sign (request, NULL));

      g_assert_cmpstr (base, ==, relay_oauth1_request_get_base_string (request));
      g_assert_cmpstr (signature, ==, relay_oauth1_request_get_signature (request));
      g_assert_true (g_str_has_prefix (base, "GET&"));
      if (method == RELAY_OAUTH1_PLAINTEXT)
        g_assert_cmpstr (signature, ==, "c%20s&t%26s");
    }
}

/* A raw non-ASCII --form value, also in the C locale (V9, 啦啦 and æåø
 * without oauth_version). */
static void
test_form_locale (void)
{
  static const char *const locales[] = { "C", "C.UTF-8" };
  g_autoptr(RelayOAuth1Request) request = relay_oauth1_request_new ("POST", "http://i.b/path", NULL);
  const char *expected;

  relay_oauth1_request_set_consumer (request, "client_key", NULL);
  relay_oauth1_request_set_nonce (request, "abc");
  relay_oauth1_request_set_timestamp (request, "123");
  relay_oauth1_request_add_form (request, "status", "\xC3\xA6\xC3\xA5\xC3\xB8");
  g_assert_true (relay_oauth1_request_sign (request, NULL));
  expected = relay_oauth1_request_get_signature (request);

  for (guint i = 0; i < G_N_ELEMENTS (locales); i++)
    {
      g_auto(Run) run = { 0, };
      g_autofree char *signature = NULL;

      run_cli_env (&run, locales[i], (const char * const[]) {
        "--consumer-key", "client_key", "--nonce", "abc", "--timestamp", "123",
        "--form", "status=\xC3\xA6\xC3\xA5\xC3\xB8", "http://i.b/path", NULL });
      g_assert_cmpstr (run.err, ==, "");
      g_assert_cmpint (run.status, ==, 0);
      signature = line_value (run.out, "Signature");
      g_assert_cmpstr (signature, ==, expected);
      g_assert_nonnull (strstr (run.out, "status%3D%25C3%25A6%25C3%25A5%25C3%25B8"));
    }
}

/* Nonce and timestamp are generated when not given. */
static void
test_generated_nonce (void)
{
  g_auto(Run) first = { 0, };
  g_auto(Run) second = { 0, };
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;
  const char *base_a, *base_b;
  const char *nonce;
  gint64 stamp, before, after;

  before = g_get_real_time () / G_USEC_PER_SEC;
  RUN (&first, "--json", "--consumer-key", "ck", "https://rest.nexmo.com/account/get-balance");
  after = g_get_real_time () / G_USEC_PER_SEC;
  RUN (&second, "--json", "--consumer-key", "ck", "https://rest.nexmo.com/account/get-balance");
  g_assert_cmpint (first.status, ==, 0);
  g_assert_cmpint (second.status, ==, 0);
  a = json_from_string (first.out, NULL);
  b = json_from_string (second.out, NULL);
  base_a = json_object_get_string_member (json_node_get_object (a), "base_string");
  base_b = json_object_get_string_member (json_node_get_object (b), "base_string");
  g_assert_cmpstr (base_a, !=, base_b);

  nonce = strstr (base_a, "oauth_nonce%3D");
  g_assert_nonnull (nonce);
  nonce += strlen ("oauth_nonce%3D");
  g_assert_cmpuint (strspn (nonce, "0123456789abcdef"), ==, 32);

  stamp = g_ascii_strtoll (strstr (base_a, "oauth_timestamp%3D") + strlen ("oauth_timestamp%3D"), NULL, 10);
  /* The time of the run, however long the run took. */
  g_assert_cmpint (stamp, >=, before);
  g_assert_cmpint (stamp, <=, after);
}

/* Bad input: exit status 2 and one line on stderr, nothing on stdout, and
 * never a critical, a crash or an echoed secret. */
static void
test_bad_input (void)
{
  static const char *const cases[][12] = {
    { "--consumer-key", "ck", "not a url" },
    { "--consumer-key", "ck", "ftp://example.com/" },
    { "--consumer-key", "ck", "http://" },
    { "--consumer-key", "ck", "http://example.com:0/" },
    { "--consumer-key", "ck", "http://example.com:99999/" },
    { "--consumer-key", "ck", "http://user:pw@example.com/" },
    { "--consumer-key", "ck", "http://example.com/?a=%zz" },
    { "--consumer-key", "ck", "http://example.com/?a=%00" },
    { "--consumer-key", "ck", "--method", "FETCH", "http://example.com/" },
    { "--consumer-key", "ck", "--method", "", "http://example.com/" },
    { "--consumer-key", "ck", "--method", "G T", "http://example.com/" },
    { "--consumer-key", "ck", "--signature-method", "RSA-SHA1", "http://example.com/" },
    { "--consumer-key", "ck", "--signature-method", "hmac-sha1", "http://example.com/" },
    { "--consumer-secret", "s3cr3t-value", "http://example.com/" },
    { "--consumer-key", "", "--consumer-secret", "s3cr3t-value", "http://example.com/" },
    { "--consumer-key=", "http://example.com/" },
    { "--consumer-key", "ck", "--form", "novalue", "http://example.com/" },
    { "--consumer-key", "ck", "--form", "=value", "http://example.com/" },
    { "--consumer-key", "ck", "--form=", "http://example.com/" },
    { "--consumer-key", "ck" },
    { "--consumer-key", "ck", "http://a.example/", "http://b.example/" },
    { "--consumer-key", "ck", "--bogus", "http://example.com/" },
    { "--consumer-key", "ck", "http://example.com/", "--nonce" },
    { "--consumer-key", "ck", "--token-secret", "s3cr3t-value", "\xFF://example.com/" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) run = { 0, };
      const char *newline;

      run_cli (&run, cases[i]);
      if (run.status != 2)
        g_error ("case %u: exit status %d, stderr: %s", i, run.status, run.err);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_true (g_str_has_prefix (run.err, "relay-cli: "));
      newline = strchr (run.err, '\n');
      g_assert_nonnull (newline);
      g_assert_cmpstr (newline, ==, "\n");
      g_assert_null (strstr (run.err, "CRITICAL"));
      g_assert_null (strstr (run.err, "WARNING"));
      g_assert_null (strstr (run.err, "s3cr3t-value"));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/relay/cli-sign/text-output", test_text_output);
  g_test_add_func ("/relay/cli-sign/json-output", test_json_output);
  g_test_add_func ("/relay/cli-sign/signature-methods", test_signature_methods);
  g_test_add_func ("/relay/cli-sign/form-locale", test_form_locale);
  g_test_add_func ("/relay/cli-sign/generated-nonce", test_generated_nonce);
  g_test_add_func ("/relay/cli-sign/bad-input", test_bad_input);

  return g_test_run ();
}
