/* relay-cli-check.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Checks of option values that are not the option parser's to make.
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n.h>
#include <string.h>

#include "relay-cli.h"

/* Keys are short tokens; anything longer is a paste gone wrong. */
#define MAX_KEY 256

/**
 * relay_cli_check_base:
 * @option: the option's name, "--rest-base"
 * @value: (nullable): its value
 *
 * An empty base URL is a mistake, not a request for the default: with
 * "--rest-base ''" a sandbox account's credentials went to Nexmo.
 *
 * Returns: %TRUE when @value is %NULL (not given) or not empty
 */
gboolean
relay_cli_check_base (const char  *option,
                      const char  *value,
                      GError     **error)
{
  if (value != NULL && *value == '\0')
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” needs a URL; leave the option out to use the stored or default one."),
                   option);
      return FALSE;
    }

  return TRUE;
}

/**
 * relay_cli_check_key:
 * @option: the option's name, "--api-key"
 * @value: its value
 *
 * Returns: %TRUE when @value is a key: not empty, at most 256 bytes, no
 *   control characters (a newline would end up inside a request)
 */
gboolean
relay_cli_check_key (const char  *option,
                     const char  *value,
                     GError     **error)
{
  gboolean ok = value != NULL && *value != '\0' && strlen (value) <= MAX_KEY &&
                g_utf8_validate (value, -1, NULL);

  for (const char *p = value; ok && *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)) || g_unichar_isspace (g_utf8_get_char (p)))
      ok = FALSE;

  if (!ok)
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 _("“%s” needs a key of at most %d characters without spaces, line breaks or control characters."),
                 option, MAX_KEY);

  return ok;
}

/**
 * relay_cli_check_timestamp:
 * @value: an oauth_timestamp given on the command line
 *
 * Returns: %TRUE when @value is 1 to 19 ASCII digits: seconds since the
 *   epoch, not negative, within 64 bits
 */
gboolean
relay_cli_check_timestamp (const char *value)
{
  guint64 seconds;

  if (value == NULL || !g_ascii_isdigit (*value))
    return FALSE;

  return g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT64, &seconds, NULL);
}
