/* relay-oauth1-uri.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "relay-oauth1-error.h"
#include "relay-oauth1-params.h"
#include "relay-oauth1-uri.h"

/* GString rounds this up to 512 bytes: enough for a typical request, and
 * below glibc's 1 KiB large-chunk size, whose allocation consolidates the
 * fast bins every time. */
#define SIGNING_BUFFER_SIZE 500

/**
 * relay_oauth1_parse_uri:
 * @uri: an absolute http or https URI
 * @error: a #GError
 *
 * Parses @uri for signing and sending. It must be absolute, http or
 * https, with a host and, when given, a port from 1 to 65535.
 *
 * Returns: (transfer full) (nullable): the parsed URI
 */
/* Error messages quote the URL as given, made valid UTF-8 and without
 * the user name or password it may carry ("https://…@host/"). */
static char *
describe_uri (const char *uri)
{
  g_autofree char *valid = g_utf8_make_valid (uri, -1);
  gsize scheme_len = strspn (valid, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
  const char *authority = scheme_len > 0 && g_ascii_isalpha (valid[0]) &&
                          strncmp (valid + scheme_len, "://", 3) == 0 ? valid + scheme_len + 3 : valid;
  const char *authority_end = authority + strcspn (authority, "/?#");
  const char *at = g_strrstr_len (authority, authority_end - authority, "@");

  if (at == NULL)
    return g_steal_pointer (&valid);

  return g_strdup_printf ("%.*s…%s", (int) (authority - valid), valid, at);
}

/* A host name (after IDNA) of letters, digits, '-', '.' and '_', or an IP
 * address. GUri decodes escapes in the host, so "%40" would otherwise
 * put an '@' into the base string URI. */
static gboolean
host_is_valid (const char *host)
{
  static const char allowed[] =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._";
  g_autofree char *ascii = NULL;

  /* An IPv6 zone ("fe80::1%25eth0") names a link of this computer, never a
   * provider, and does not survive the base string URI. */
  if (strchr (host, '%') != NULL)
    return FALSE;

  if (g_hostname_is_ip_address (host))
    return TRUE;

  ascii = g_hostname_to_ascii (host);

  return ascii != NULL && *ascii != '\0' && strspn (ascii, allowed) == strlen (ascii);
}

GUri *
relay_oauth1_parse_uri (const char  *uri,
                        GError     **error)
{
  g_autoptr(GUri) parsed = NULL;
  const char *scheme;
  const char *host;

  g_return_val_if_fail (uri != NULL, NULL);

  /* G_URI_FLAGS_ENCODED keeps path, query and fragment exactly as written,
   * so the path we sign is the path on the wire. */
  parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED, NULL);
  if (parsed == NULL)
    {
      g_autofree char *shown = describe_uri (uri);

      g_set_error (error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_INVALID_URI,
                   _("“%s” is not a valid URL."), shown);
      return NULL;
    }

  scheme = g_uri_get_scheme (parsed);
  host = g_uri_get_host (parsed);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    {
      g_autofree char *shown = describe_uri (uri);

      g_set_error (error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_INVALID_URI,
                   _("“%s” is not an http or https URL."), shown);
      return NULL;
    }

  if (host == NULL || *host == '\0')
    {
      g_autofree char *shown = describe_uri (uri);

      g_set_error (error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_INVALID_URI,
                   _("“%s” has no host name."), shown);
      return NULL;
    }

  if (!host_is_valid (host))
    {
      g_autofree char *shown = describe_uri (uri);

      g_set_error (error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_INVALID_URI,
                   _("“%s” has an invalid host name."), shown);
      return NULL;
    }

  /* GUri takes "host:0" as port 0; no server listens there. */
  if (g_uri_get_port (parsed) == 0)
    {
      g_autofree char *shown = describe_uri (uri);

      g_set_error (error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_INVALID_URI,
                   _("“%s” has an invalid port."), shown);
      return NULL;
    }

  if (g_uri_get_userinfo (parsed) != NULL)
    {
      g_autofree char *shown = describe_uri (uri);

      g_set_error (error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_INVALID_URI,
                   _("“%s” must not contain a user name or password."), shown);
      return NULL;
    }

  return g_steal_pointer (&parsed);
}

/**
 * relay_oauth1_base_string_uri:
 *
 * RFC 5849 §3.4.1.2: lowercase scheme and host, the port only when it is
 * not the scheme's default, IPv6 literals in brackets, the path exactly as
 * sent ("/" when empty), no query and no fragment.
 *
 * Returns: (transfer full): the base string URI
 */
char *
relay_oauth1_base_string_uri (GUri *uri)
{
  g_autofree char *scheme = NULL;
  g_autofree char *host = NULL;
  const char *path;
  GString *out;
  int port;

  g_return_val_if_fail (uri != NULL, NULL);

  scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  port = g_uri_get_port (uri);
  path = g_uri_get_path (uri);

  out = g_string_new (scheme);
  g_string_append (out, "://");
  if (strchr (host, ':') != NULL)
    g_string_append_printf (out, "[%s]", host);
  else
    g_string_append (out, host);

  if (port > 0 &&
      !(port == 80 && strcmp (scheme, "http") == 0) &&
      !(port == 443 && strcmp (scheme, "https") == 0))
    g_string_append_printf (out, ":%d", port);

  g_string_append (out, path != NULL && *path != '\0' ? path : "/");

  return g_string_free (out, FALSE);
}

/**
 * relay_oauth1_base_string:
 * @method: the HTTP method (uppercased here)
 * @uri: the request URI
 * @params: every signed parameter (query, form body and oauth_*)
 *
 * Returns: (transfer full): the §3.4.1 signature base string
 */
char *
relay_oauth1_base_string (const char *method,
                          GUri       *uri,
                          GPtrArray  *params)
{
  g_autofree char *base_uri = NULL;
  GString *out;

  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (params != NULL, NULL);

  base_uri = relay_oauth1_base_string_uri (uri);

  /* uppercase after encoding: escapes are uppercase hex already */
  out = g_string_sized_new (SIGNING_BUFFER_SIZE);
  relay_percent_encode_append (out, method, strlen (method));
  for (gsize i = 0; i < out->len; i++)
    out->str[i] = g_ascii_toupper (out->str[i]);
  g_string_append_c (out, '&');
  relay_percent_encode_append (out, base_uri, strlen (base_uri));
  g_string_append_c (out, '&');
  relay_params_append_normalized_encoded (out, params);

  return g_string_free (out, FALSE);
}

/**
 * relay_uri_is_loopback:
 *
 * Returns: %TRUE when the host of @uri is an IP literal in 127.0.0.0/8 or
 *   ::1 (names such as "localhost" are not trusted to resolve there)
 */
gboolean
relay_uri_is_loopback (GUri *uri)
{
  g_autoptr(GInetAddress) address = NULL;
  const char *host;

  g_return_val_if_fail (uri != NULL, FALSE);

  host = g_uri_get_host (uri);
  if (host == NULL)
    return FALSE;

  address = g_inet_address_new_from_string (host);

  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * relay_uri_check_secure:
 *
 * Plain http:// is refused for any host but loopback.
 *
 * Returns: %TRUE when @uri may carry credentials
 */
gboolean
relay_uri_check_secure (GUri    *uri,
                        GError **error)
{
  g_return_val_if_fail (uri != NULL, FALSE);

  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 || relay_uri_is_loopback (uri))
    return TRUE;

  g_set_error (error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_INSECURE_URI,
               _("Relay only talks to %s over HTTPS; plain HTTP is allowed for this computer (127.0.0.1) alone."),
               g_uri_get_host (uri));
  return FALSE;
}
