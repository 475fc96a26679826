/* relay-error-text.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <string.h>
#include <libsecret/secret.h>
#include <libsoup/soup.h>

#include "relay-credential-store.h"
#include "relay-error-text.h"
#include "relay-http.h"
#include "relay-nexmo-client.h"
#include "relay-oauth-flow.h"
#include "relay-oauth1-error.h"
#include "relay-store.h"

/* Turns a GError into one sentence for a toast or a banner. The engine's
 * own domains already carry sentences written for people; errors from
 * GIO, libsoup or libsecret carry text meant for developers, so they get
 * a sentence chosen by their code and their raw text goes to the debug
 * log only. */

static gboolean
is_engine_domain (GQuark domain)
{
  return domain == RELAY_NEXMO_ERROR ||
         domain == RELAY_HTTP_ERROR ||
         domain == RELAY_FLOW_ERROR ||
         domain == RELAY_CREDENTIAL_ERROR ||
         domain == RELAY_OAUTH1_ERROR ||
         domain == RELAY_STORE_ERROR;
}

static const char *
io_error_sentence (int code)
{
  switch (code)
    {
    case G_IO_ERROR_CANCELLED:
      return _("The operation was cancelled.");
    case G_IO_ERROR_TIMED_OUT:
      return _("The provider did not answer in time. Try again, or allow more time in Preferences.");
    case G_IO_ERROR_CONNECTION_REFUSED:
      return _("Relay could not reach the provider. Check the provider address in Preferences.");
    case G_IO_ERROR_HOST_NOT_FOUND:
    case G_IO_ERROR_HOST_UNREACHABLE:
      return _("The provider’s server could not be found. Check your internet connection.");
    case G_IO_ERROR_NETWORK_UNREACHABLE:
      return _("You seem to be offline. Check your internet connection.");
    case G_IO_ERROR_CONNECTION_CLOSED:
    case G_IO_ERROR_PARTIAL_INPUT:
      return _("The connection to the provider broke off. Try again.");
    case G_IO_ERROR_PERMISSION_DENIED:
      return _("Relay is not allowed to do this.");
    default:
      return NULL;
    }
}

/* The host of relay-http.c's "Could not reach %s: %s", read through the
 * same (translated) format, or NULL. */
static char *
unreachable_host (const char *message)
{
  g_auto(GStrv) parts = g_strsplit (g_dgettext (GETTEXT_PACKAGE, "Could not reach %s: %s"), "%s", -1);
  const char *start;
  const char *end;

  if (g_strv_length (parts) != 3 || *parts[1] == '\0' || !g_str_has_prefix (message, parts[0]))
    return NULL;

  start = message + strlen (parts[0]);
  end = strstr (start, parts[1]);
  if (end == NULL || end == start)
    return NULL;

  return g_strndup (start, end - start);
}

/**
 * relay_error_is_cancelled:
 *
 * Returns: whether @error only says the user or a closing window stopped
 *   the operation, which needs no message
 */
gboolean
relay_error_is_cancelled (const GError *error)
{
  return error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/**
 * relay_error_is_storage_missing:
 *
 * Returns: whether @error means that no keyring can hold secrets now
 */
gboolean
relay_error_is_storage_missing (const GError *error)
{
  if (error == NULL)
    return FALSE;

  return g_error_matches (error, RELAY_CREDENTIAL_ERROR, RELAY_CREDENTIAL_ERROR_UNAVAILABLE) ||
         error->domain == G_DBUS_ERROR ||
         error->domain == SECRET_ERROR;
}

/**
 * relay_error_text:
 * @error: a failure from the engine or the libraries below it
 *
 * Returns: (transfer full): one sentence for the user, never raw
 *   library text
 */
char *
relay_error_text (const GError *error)
{
  const char *sentence = NULL;

  g_return_val_if_fail (error != NULL, NULL);

  /* This one quotes GIO's own text after its sentence: keep the host it
   * names, drop the rest. */
  if (g_error_matches (error, RELAY_HTTP_ERROR, RELAY_HTTP_ERROR_UNREACHABLE))
    {
      g_autofree char *host = unreachable_host (error->message);

      g_debug ("Provider unreachable: %s", error->message);
      if (host != NULL)
        /* Translators: %s is a host name and maybe a port, e.g. rest.nexmo.com or 127.0.0.1:37701 */
        return g_strdup_printf (_("Relay could not reach %s. Check that the server is running and that its address in Preferences is right."),
                                host);
      return g_strdup (_("Relay could not reach the provider. Check your internet connection and the provider address."));
    }

  if (is_engine_domain (error->domain) &&
      error->message != NULL && *error->message != '\0')
    return g_strdup (error->message);

  g_debug ("Turning error %s:%d into a sentence: %s",
           g_quark_to_string (error->domain), error->code, error->message);

  if (relay_error_is_storage_missing (error))
    sentence = _("The keyring is not available, so Relay cannot store your credentials.");
  else if (error->domain == G_IO_ERROR)
    sentence = io_error_sentence (error->code);
  else if (error->domain == G_RESOLVER_ERROR)
    sentence = _("The provider’s server could not be found. Check your internet connection.");
  else if (error->domain == G_TLS_ERROR)
    sentence = _("The provider’s secure connection could not be verified.");
  else if (error->domain == SOUP_SESSION_ERROR)
    sentence = _("The provider sent an answer Relay does not understand.");

  if (sentence == NULL)
    sentence = _("Something went wrong while talking to the provider. Try again.");

  return g_strdup (sentence);
}
