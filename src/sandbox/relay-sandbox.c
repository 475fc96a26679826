/* relay-sandbox.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * relay-sandbox: serves a RelaySandboxServer on 127.0.0.1 until SIGINT or
 * SIGTERM.
 */

#define G_LOG_DOMAIN "Relay"

#include <glib-unix.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "relay-sandbox-server.h"

#define EXIT_USAGE 2

static int
fail (int         status,
      const char *message)
{
  fprintf (stderr, "relay-sandbox: %s\n", message);
  return status;
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RelaySandboxServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base_uri = NULL;
  g_autofree char *consumer_key = NULL;
  g_autofree char *consumer_secret = NULL;
  g_autofree char *api_key = NULL;
  g_autofree char *api_secret = NULL;
  g_autofree char *signature_secret = NULL;
  g_autofree char *signature_method = NULL;
  g_autofree char *balance = NULL;
  g_autofree char *messages = NULL;
  g_auto(GStrv) faults = NULL;
  gboolean auto_approve = FALSE;
  gboolean auto_deny = FALSE;
  gboolean legacy = FALSE;
  RelayNexmoSigMethod sig_method = RELAY_NEXMO_SIG_MD5HASH;
  int port = 0;
  int rate_limit = RELAY_SANDBOX_DEFAULT_RATE_LIMIT;
  int delivery_delay = RELAY_SANDBOX_DEFAULT_DELIVERY_DELAY;
  const GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1 (default: chosen by the kernel)", "N" },
    { "consumer-key", 0, 0, G_OPTION_ARG_STRING, &consumer_key,
      "OAuth consumer key (default: " RELAY_SANDBOX_DEFAULT_CONSUMER_KEY ")", "K" },
    { "consumer-secret", 0, 0, G_OPTION_ARG_STRING, &consumer_secret,
      "OAuth consumer secret (default: " RELAY_SANDBOX_DEFAULT_CONSUMER_SECRET ")", "S" },
    { "api-key", 0, 0, G_OPTION_ARG_STRING, &api_key,
      "API key (default: " RELAY_SANDBOX_DEFAULT_API_KEY ")", "K" },
    { "api-secret", 0, 0, G_OPTION_ARG_STRING, &api_secret,
      "API secret (default: " RELAY_SANDBOX_DEFAULT_API_SECRET ")", "S" },
    { "signature-secret", 0, 0, G_OPTION_ARG_STRING, &signature_secret,
      "Signature secret of the API key: SMS requests may carry sig instead of api_secret", "S" },
    { "signature-method", 0, 0, G_OPTION_ARG_STRING, &signature_method,
      "How the signature secret signs: md5hash (default), md5, sha1, sha256 or sha512", "M" },
    { "rate-limit", 0, 0, G_OPTION_ARG_INT, &rate_limit,
      "SMS requests per second and credential, 0 for no limit (default: 30)", "PER_SECOND" },
    { "auto-approve", 0, 0, G_OPTION_ARG_NONE, &auto_approve,
      "Approve every authorization without showing the page", NULL },
    { "auto-deny", 0, 0, G_OPTION_ARG_NONE, &auto_deny,
      "Deny every authorization without showing the page", NULL },
    { "balance", 0, 0, G_OPTION_ARG_STRING, &balance, "Account balance in EUR (default: 10.0)", "AMOUNT" },
    { "messages", 0, 0, G_OPTION_ARG_FILENAME, &messages,
      "Append one JSON line per accepted message to FILE", "FILE" },
    { "legacy", 0, 0, G_OPTION_ARG_NONE, &legacy,
      "OAuth 1.0 as in the Nexmo PHP sample: no callback confirmation, no verifier", NULL },
    { "delivery-delay", 0, 0, G_OPTION_ARG_INT, &delivery_delay,
      "Milliseconds from a message's acceptance to \"delivered\" in /v2/reports/records (default: 2000)", "MS" },
    { "fault", 0, 0, G_OPTION_ARG_STRING_ARRAY, &faults,
      "Inject a fault: PATH=KIND[:ARG][@COUNT] (repeatable)", "SPEC" },
    { NULL }
  };

  setlocale (LC_ALL, "");

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                "A local Nexmo-compatible provider for Relay: OAuth 1.0a endpoints\n"
                                "under /oauth/, SMS at /sms/json, the balance at /account/get-balance,\n"
                                "the limits at /account/settings, delivery records at /v2/reports/records,\n"
                                "served on 127.0.0.1 only. Its credentials are fake sandbox values.");
  g_option_context_set_description (context,
                                    "Fault kinds: http-500, non-json, truncated, slow:MS, problem:NAME,\n"
                                    "unconfirmed, http-429:SECONDS, http-429-date:SECONDS, http-429-bad,\n"
                                    "throttle[:MS], delivery-failed, delivery-expired, delivery-rejected\n"
                                    "(on /sms/json: what that request sends ends so in /v2/reports/records).\n"
                                    "Example: --fault /sms/json=http-500@2");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fail (EXIT_USAGE, error->message);

  if (argc > 1)
    return fail (EXIT_USAGE, "Unexpected argument; see --help.");
  if (port < 0 || port > 65535)
    return fail (EXIT_USAGE, "--port must be between 0 and 65535.");
  if (delivery_delay < 0 || delivery_delay > 86400000)
    return fail (EXIT_USAGE, "--delivery-delay must be between 0 and 86400000 milliseconds.");
  if (rate_limit < 0)
    return fail (EXIT_USAGE, "--rate-limit must be 0 (no limit) or a positive number.");
  if (auto_approve && auto_deny)
    return fail (EXIT_USAGE, "--auto-approve and --auto-deny exclude each other.");
  if ((consumer_key == NULL) != (consumer_secret == NULL) ||
      (consumer_key != NULL && *consumer_key == '\0'))
    return fail (EXIT_USAGE, "--consumer-key and --consumer-secret go together and must not be empty.");
  if ((api_key == NULL) != (api_secret == NULL) ||
      (api_key != NULL && (*api_key == '\0' || *api_secret == '\0')))
    return fail (EXIT_USAGE, "--api-key and --api-secret go together and must not be empty.");

  if (signature_secret != NULL && *signature_secret == '\0')
    return fail (EXIT_USAGE, "--signature-secret must not be empty.");
  if (signature_method != NULL && signature_secret == NULL)
    return fail (EXIT_USAGE, "--signature-method needs --signature-secret.");
  if (signature_method != NULL && !relay_nexmo_sig_method_from_string (signature_method, &sig_method))
    return fail (EXIT_USAGE, "--signature-method must be md5hash, md5, sha1, sha256 or sha512.");

  server = relay_sandbox_server_new ();

  if (balance != NULL)
    {
      char *end = NULL;
      double amount = g_ascii_strtod (balance, &end);

      if (end == balance || *end != '\0' || !isfinite (amount) || amount < 0 || amount >= 1e9)
        return fail (EXIT_USAGE, "--balance must be an amount in EUR such as 10.0.");
      relay_sandbox_server_set_balance (server, amount);
    }

  for (guint i = 0; faults != NULL && faults[i] != NULL; i++)
    if (!relay_sandbox_server_add_fault (server, faults[i], &error))
      return fail (EXIT_USAGE, error->message);

  if (consumer_key != NULL)
    relay_sandbox_server_set_consumer (server, consumer_key, consumer_secret);
  if (api_key != NULL)
    relay_sandbox_server_set_api_key (server, api_key, api_secret);
  if (signature_secret != NULL)
    relay_sandbox_server_set_signature_secret (server, signature_secret, sig_method);
  relay_sandbox_server_set_rate_limit (server, rate_limit);
  relay_sandbox_server_set_delivery_delay (server, (guint) delivery_delay);
  relay_sandbox_server_set_auto_approve (server, auto_approve);
  relay_sandbox_server_set_auto_deny (server, auto_deny);
  relay_sandbox_server_set_legacy (server, legacy);
  relay_sandbox_server_set_messages_path (server, messages);

  if (!relay_sandbox_server_listen (server, port, &error))
    return fail (EXIT_FAILURE, error->message);

  base_uri = relay_sandbox_server_get_base_uri (server);
  printf ("Listening on %s\n", base_uri);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);

  return EXIT_SUCCESS;
}
