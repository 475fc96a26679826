/* relay-cli-sign.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "relay-cli.h"
#include "relay-oauth1-request.h"

static const char *const http_methods[] = {
  "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", NULL
};

static void
print_json (RelayOAuth1Request *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "base_string");
  json_builder_add_string_value (builder, relay_oauth1_request_get_base_string (request));
  json_builder_set_member_name (builder, "signature");
  json_builder_add_string_value (builder, relay_oauth1_request_get_signature (request));
  json_builder_set_member_name (builder, "authorization");
  json_builder_add_string_value (builder, relay_oauth1_request_get_authorization (request));
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
}

int
relay_cli_sign (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RelayOAuth1Request) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *method = NULL;
  g_autofree char *signature_method = NULL;
  g_autofree char *consumer_key = NULL;
  g_autofree char *consumer_secret = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token_secret = NULL;
  g_autofree char *nonce = NULL;
  g_autofree char *timestamp = NULL;
  g_autofree char *realm = NULL;
  g_autofree char *callback = NULL;
  g_autofree char *verifier = NULL;
  g_auto(GStrv) forms = NULL;
  g_autofree char *upper = NULL;
  gboolean json = FALSE;
  RelayOAuth1SignatureMethod sig_method = RELAY_OAUTH1_HMAC_SHA1;
  int status;
  /* FILENAME options take the bytes as given: STRING ones go through the
   * locale, so in the C locale "--form text=é" would be refused. What is
   * signed is the bytes; everything printed is percent-encoded ASCII. */
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object"), NULL },
    { "method", 0, 0, G_OPTION_ARG_FILENAME, &method, N_("HTTP method (GET, or POST with --form)"), "M" },
    { "signature-method", 0, 0, G_OPTION_ARG_FILENAME, &signature_method,
      N_("HMAC-SHA1 (default), HMAC-SHA256, HMAC-SHA512 or PLAINTEXT"), "S" },
    { "consumer-key", 0, 0, G_OPTION_ARG_FILENAME, &consumer_key, N_("Consumer key"), "K" },
    { "consumer-secret", 0, 0, G_OPTION_ARG_FILENAME, &consumer_secret, N_("Consumer secret"), "S" },
    { "token", 0, 0, G_OPTION_ARG_FILENAME, &token, N_("Token"), "T" },
    { "token-secret", 0, 0, G_OPTION_ARG_FILENAME, &token_secret, N_("Token secret"), "TS" },
    { "nonce", 0, 0, G_OPTION_ARG_FILENAME, &nonce, N_("Nonce (generated when not given)"), "N" },
    { "timestamp", 0, 0, G_OPTION_ARG_FILENAME, &timestamp, N_("Timestamp (now when not given)"), "T" },
    { "realm", 0, 0, G_OPTION_ARG_FILENAME, &realm, N_("Realm for the Authorization header"), "R" },
    { "callback", 0, 0, G_OPTION_ARG_FILENAME, &callback, N_("oauth_callback"), "URL" },
    { "verifier", 0, 0, G_OPTION_ARG_FILENAME, &verifier, N_("oauth_verifier"), "V" },
    { "form", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &forms,
      N_("One form body parameter, unencoded (repeatable)"), "NAME=VALUE" },
    { NULL }
  };

  context = g_option_context_new (_("URL — sign one OAuth 1.0a request"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Prints the signature base string, the signature and the "
                                  "Authorization header for a request."));
  if ((status = relay_cli_parse (context, &argc, &argv)) != 0)
    return status;

  if (argc != 2)
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE,
                           argc < 2 ? _("Give the URL to sign.") : _("Give exactly one URL to sign."));

  if (consumer_key == NULL || *consumer_key == '\0')
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, _("A consumer key is required (--consumer-key)."));

  upper = g_ascii_strup (method != NULL ? method : (forms != NULL ? "POST" : "GET"), -1);
  if (!g_strv_contains (http_methods, upper))
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE,
                           _("“%s” is not a known HTTP method; use GET, POST, PUT, DELETE, PATCH, HEAD or OPTIONS."),
                           method);

  if (signature_method != NULL &&
      !relay_oauth1_signature_method_from_string (signature_method, &sig_method))
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE,
                           _("“%s” is not a signature method; use HMAC-SHA1, HMAC-SHA256, HMAC-SHA512 or PLAINTEXT."),
                           signature_method);

  /* oauth_timestamp is seconds since the epoch; an empty nonce is none. */
  if (timestamp != NULL && !relay_cli_check_timestamp (timestamp))
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE,
                           _("“--timestamp %s” is not a number of seconds since 1970 (digits only)."),
                           timestamp);
  if (nonce != NULL && *nonce == '\0')
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, "%s",
                           _("“--nonce” needs a value; leave it out to have one generated."));

  if (!(request = relay_oauth1_request_new (upper, argv[1], &error)))
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, "%s", error->message);

  relay_oauth1_request_set_consumer (request, consumer_key, consumer_secret);
  relay_oauth1_request_set_token (request, token, token_secret);
  relay_oauth1_request_set_signature_method (request, sig_method);
  relay_oauth1_request_set_nonce (request, nonce);
  relay_oauth1_request_set_timestamp (request, timestamp);
  relay_oauth1_request_set_realm (request, realm);
  relay_oauth1_request_set_callback (request, callback);
  relay_oauth1_request_set_verifier (request, verifier);

  for (guint i = 0; forms != NULL && forms[i] != NULL; i++)
    {
      const char *eq = strchr (forms[i], '=');
      g_autofree char *name = NULL;

      if (eq == NULL || eq == forms[i])
        return relay_cli_fail (RELAY_CLI_EXIT_USAGE,
                               _("“--form %s” must have the form NAME=VALUE."), forms[i]);

      name = g_strndup (forms[i], eq - forms[i]);
      relay_oauth1_request_add_form (request, name, eq + 1);
    }

  if (!relay_oauth1_request_sign (request, &error))
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, "%s", error->message);

  if (json)
    {
      print_json (request);
    }
  else
    {
      printf ("Base string: %s\n", relay_oauth1_request_get_base_string (request));
      printf ("Signature: %s\n", relay_oauth1_request_get_signature (request));
      printf ("Authorization: %s\n", relay_oauth1_request_get_authorization (request));
    }

  return 0;
}
