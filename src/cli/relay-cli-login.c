/* relay-cli-login.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "relay-cli.h"
#include "relay-credential-store.h"
#include "relay-http.h"
#include "relay-sign-in.h"

static gboolean
interrupted_cb (gpointer user_data)
{
  relay_sign_in_cancel (user_data);

  return G_SOURCE_CONTINUE;
}

/* Runs the loop for one sign-in step; Ctrl+C (or SIGTERM) cancels the
 * sign-in, which stops the listener. Outside these steps the signals
 * keep their default action, so a prompt can still be interrupted. */
static GAsyncResult *
run_step (RelaySignIn  *sign_in,
          RelayCliWait *wait)
{
  guint sigint_id = g_unix_signal_add (SIGINT, interrupted_cb, sign_in);
  guint sigterm_id = g_unix_signal_add (SIGTERM, interrupted_cb, sign_in);
  GAsyncResult *result = relay_cli_wait_run (wait);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  return result;
}

static int
fail_with (GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return relay_cli_fail (RELAY_CLI_EXIT_FAILURE, "%s", _("Sign-in was cancelled; nothing was saved."));

  return relay_cli_fail (RELAY_CLI_EXIT_FAILURE, "%s", error->message);
}

static int
save_account (RelayAccount *account)
{
  g_autoptr(GError) error = NULL;
  RelayCliWait wait;
  gboolean saved;

  relay_cli_wait_init (&wait);
  relay_credential_store_save_async (relay_credential_store_get_default (), account, NULL, relay_cli_wait_cb, &wait);
  saved = relay_credential_store_save_finish (relay_cli_wait_run (&wait), &error);
  relay_cli_wait_clear (&wait);

  if (!saved)
    return fail_with (error);

  printf ("Signed in\n");
  fflush (stdout);

  return 0;
}

/* Before any secret is read or any provider asked: without a keyring,
 * a sign-in could not be kept, and the browser flow would be for
 * nothing. */
static int
check_keyring (void)
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  RelayCliWait wait;

  relay_cli_wait_init (&wait);
  relay_credential_store_list_async (relay_credential_store_get_default (), NULL, relay_cli_wait_cb, &wait);
  accounts = relay_credential_store_list_finish (relay_cli_wait_run (&wait), &error);
  relay_cli_wait_clear (&wait);

  if (g_error_matches (error, RELAY_CREDENTIAL_ERROR, RELAY_CREDENTIAL_ERROR_UNAVAILABLE))
    return relay_cli_fail (RELAY_CLI_EXIT_FAILURE, "%s",
                           _("No keyring is available, so Relay cannot store your sign-in; nothing was saved."));
  /* Locked, and not unlocked: the sign-in could not be stored either. */
  if (g_error_matches (error, RELAY_CREDENTIAL_ERROR, RELAY_CREDENTIAL_ERROR_LOCKED))
    return relay_cli_fail (RELAY_CLI_EXIT_FAILURE, "%s", error->message);

  return 0;
}

/* An API key is only stored once the provider accepted it (the core's
 * sign-in asks for the balance). With a signature method, a second line
 * holds the signature secret; the balance call does not use it, so only
 * the first SMS shows whether it is right. */
static int
login_api_key (RelayProvider       *provider,
               const char          *api_key,
               RelayNexmoSigMethod  sig_method)
{
  g_autoptr(RelayAccount) account = NULL;
  g_autoptr(RelaySignIn) sign_in = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = relay_cli_read_line (_("API secret: "), TRUE, &error);
  RelayCliWait wait;
  gboolean verified;
  int status;

  if (error != NULL)
    return fail_with (error);
  if (secret == NULL || *secret == '\0')
    return relay_cli_fail (RELAY_CLI_EXIT_FAILURE, "%s", _("No API secret was given; nothing was saved."));
  if ((status = check_keyring ()) != 0)
    return status;

  if (sig_method != RELAY_NEXMO_SIG_NONE)
    {
      g_autofree char *signature_secret = relay_cli_read_line (_("Signature secret: "), TRUE, &error);

      if (error != NULL || signature_secret == NULL || *signature_secret == '\0')
        {
          explicit_bzero (secret, strlen (secret));
          if (error != NULL)
            return fail_with (error);
          return relay_cli_fail (RELAY_CLI_EXIT_FAILURE, "%s",
                                 _("No signature secret was given; nothing was saved."));
        }
      account = relay_account_new_signed (provider, api_key, sig_method);
      relay_account_set_signature_secret (account, signature_secret);
      explicit_bzero (signature_secret, strlen (signature_secret));
    }
  else
    {
      account = relay_account_new_api_key (provider, api_key);
    }

  relay_account_set_secret (account, secret);
  explicit_bzero (secret, strlen (secret));

  sign_in = relay_sign_in_new (account);
  relay_cli_wait_init (&wait);
  relay_sign_in_begin_async (sign_in, NULL, relay_cli_wait_cb, &wait);
  verified = relay_sign_in_begin_finish (sign_in, run_step (sign_in, &wait), &error);
  relay_cli_wait_clear (&wait);

  if (g_error_matches (error, RELAY_HTTP_ERROR, RELAY_HTTP_ERROR_UNAUTHORIZED))
    return relay_cli_fail (RELAY_CLI_EXIT_FAILURE, "%s",
                           _("The provider did not accept the API key and secret; nothing was saved."));
  if (!verified)
    return fail_with (error);

  return save_account (account);
}

static int
login_oauth (RelayProvider *provider,
             const char    *consumer_key,
             gboolean       no_browser,
             guint          timeout)
{
  g_autoptr(RelayAccount) account = relay_account_new_oauth (provider, consumer_key);
  g_autoptr(RelaySignIn) sign_in = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = relay_cli_read_line (_("Consumer secret: "), TRUE, &error);
  g_autofree char *verifier = NULL;
  const char *url;
  RelayAuthorizationMode mode = relay_provider_get_authorization_mode (provider);
  RelayCliWait wait;
  int status;

  if (error != NULL)
    return fail_with (error);
  if (secret == NULL || *secret == '\0')
    return relay_cli_fail (RELAY_CLI_EXIT_FAILURE, "%s", _("No consumer secret was given; nothing was saved."));
  if ((status = check_keyring ()) != 0)
    return status;

  relay_account_set_secret (account, secret);
  explicit_bzero (secret, strlen (secret));

  sign_in = relay_sign_in_new (account);
  if (timeout > 0)
    relay_sign_in_set_callback_timeout (sign_in, timeout);

  relay_cli_wait_init (&wait);
  relay_sign_in_begin_async (sign_in, NULL, relay_cli_wait_cb, &wait);
  if (!relay_sign_in_begin_finish (sign_in, run_step (sign_in, &wait), &error))
    goto out;
  url = relay_sign_in_get_authorize_uri (sign_in);

  /* Scripts read this line: alone, and flushed at once. */
  printf ("Open: %s\n", url);
  fflush (stdout);

  if (!no_browser)
    {
      g_autoptr(GError) launch_error = NULL;

      if (!g_app_info_launch_default_for_uri (url, NULL, &launch_error))
        fprintf (stderr, "%s\n", _("Could not open a web browser; open the address above yourself."));
    }

  if (mode == RELAY_AUTHORIZATION_OOB)
    {
      verifier = relay_cli_read_line (_("Verification code: "), TRUE, &error);
      if (verifier == NULL)
        {
          if (error == NULL)
            g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "");
          goto out;
        }
    }
  else if (mode == RELAY_AUTHORIZATION_LEGACY)
    {
      g_autofree char *line = NULL;

      if (isatty (STDIN_FILENO))
        fprintf (stderr, "%s\n", _("Authorize Relay in the browser, then press Enter."));
      if (!(line = relay_cli_read_line ("", FALSE, &error)))
        {
          if (error == NULL)
            g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "");
          goto out;
        }
    }
  else if (isatty (STDIN_FILENO))
    {
      /* Only for people: scripts get nothing but the outcome on stderr. */
      fprintf (stderr, "%s\n", _("Waiting for the browser…"));
    }

  relay_sign_in_complete_async (sign_in, verifier, NULL, relay_cli_wait_cb, &wait);
  relay_sign_in_complete_finish (sign_in, run_step (sign_in, &wait), &error);
  if (verifier != NULL)
    explicit_bzero (verifier, strlen (verifier));

out:
  relay_cli_wait_clear (&wait);
  relay_sign_in_cancel (sign_in);

  if (error != NULL)
    return fail_with (error);

  return save_account (account);
}

int
relay_cli_login (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RelayProvider) provider = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *oauth_base = NULL;
  g_autofree char *rest_base = NULL;
  g_autofree char *reports_base = NULL;
  g_autofree char *consumer_key = NULL;
  g_autofree char *api_key = NULL;
  g_autofree char *token_method = NULL;
  g_autofree char *signature_method = NULL;
  RelayNexmoSigMethod sig_method = RELAY_NEXMO_SIG_NONE;
  gboolean no_browser = FALSE;
  gboolean oob = FALSE;
  gboolean legacy = FALSE;
  gboolean authenticate = FALSE;
  int timeout = 0;
  int status;
  const GOptionEntry entries[] = {
    { "oauth-base", 0, 0, G_OPTION_ARG_STRING, &oauth_base, N_("Base URL of the OAuth endpoints"), "URL" },
    { "rest-base", 0, 0, G_OPTION_ARG_STRING, &rest_base, N_("Base URL of the REST API"), "URL" },
    { "reports-base", 0, 0, G_OPTION_ARG_STRING, &reports_base, N_("Base URL of the Reports API (delivery status)"), "URL" },
    { "consumer-key", 0, 0, G_OPTION_ARG_STRING, &consumer_key, N_("Consumer key of the OAuth app"), "K" },
    { "api-key", 0, 0, G_OPTION_ARG_STRING, &api_key, N_("Sign in with an API key instead"), "K" },
    { "signature-method", 0, 0, G_OPTION_ARG_STRING, &signature_method,
      N_("With --api-key: sign SMS with the signature secret (md5hash, md5, sha1, sha256 or sha512)"), "M" },
    { "no-browser", 0, 0, G_OPTION_ARG_NONE, &no_browser, N_("Only print the address to open"), NULL },
    { "oob", 0, 0, G_OPTION_ARG_NONE, &oob, N_("Type the verification code instead of a callback"), NULL },
    { "legacy", 0, 0, G_OPTION_ARG_NONE, &legacy, N_("OAuth 1.0 without verifier: press Enter once authorized"), NULL },
    { "authenticate", 0, 0, G_OPTION_ARG_NONE, &authenticate, N_("Use the authenticate endpoint"), NULL },
    { "token-method", 0, 0, G_OPTION_ARG_STRING, &token_method, N_("POST (default) or GET for token requests"), "M" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, N_("Seconds to wait for the browser (default 600)"), "SECONDS" },
    { NULL }
  };

  context = g_option_context_new (_("— sign in and keep the credentials in the keyring"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Reads the consumer secret (or API secret) from the terminal without echo, "
                                  "or from standard input when it is not a terminal. With --signature-method "
                                  "it reads two lines: the API secret, then the signature secret."));
  if ((status = relay_cli_parse (context, &argc, &argv)) != 0)
    return status;

  if (argc != 1)
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, _("“%s” is not an option of login."), argv[1]);

  if ((consumer_key == NULL) == (api_key == NULL) ||
      (consumer_key != NULL && *consumer_key == '\0') || (api_key != NULL && *api_key == '\0'))
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, "%s",
                           _("Give either --consumer-key K (OAuth) or --api-key K."));

  if (!relay_cli_check_key (api_key != NULL ? "--api-key" : "--consumer-key",
                            api_key != NULL ? api_key : consumer_key, &error) ||
      !relay_cli_check_base ("--oauth-base", oauth_base, &error) ||
      !relay_cli_check_base ("--rest-base", rest_base, &error))
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, "%s", error->message);

  if (oob && legacy)
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, "%s", _("--oob and --legacy cannot be combined."));

  if (api_key != NULL && (oob || legacy || no_browser || oauth_base != NULL || authenticate || token_method != NULL))
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, "%s",
                           _("--api-key takes only --rest-base; the other options are for OAuth."));

  if (signature_method != NULL && api_key == NULL)
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, "%s", _("--signature-method goes with --api-key."));

  if (signature_method != NULL && !relay_nexmo_sig_method_from_string (signature_method, &sig_method))
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, "%s",
                           _("--signature-method must be md5hash, md5, sha1, sha256 or sha512, "
                             "as chosen in the dashboard's API settings."));

  if (timeout < 0)
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, "%s", _("--timeout must be a positive number of seconds."));

  if (token_method != NULL && strcmp (token_method, "GET") != 0 && strcmp (token_method, "POST") != 0)
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, "%s", _("--token-method must be GET or POST."));

  provider = relay_provider_new (oauth_base, rest_base);
  relay_provider_set_reports_base (provider, reports_base);
  if (!relay_provider_validate (provider, &error))
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, "%s", error->message);

  if (api_key != NULL)
    return login_api_key (provider, api_key, sig_method);

  relay_provider_set_authorization_mode (provider, oob ? RELAY_AUTHORIZATION_OOB
                                                 : legacy ? RELAY_AUTHORIZATION_LEGACY
                                                          : RELAY_AUTHORIZATION_CALLBACK);
  relay_provider_set_use_authenticate (provider, authenticate);
  if (token_method != NULL)
    relay_provider_set_token_method (provider, token_method);

  return login_oauth (provider, consumer_key, no_browser, (guint) timeout);
}
