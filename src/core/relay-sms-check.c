/* relay-sms-check.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the window and relay-cli refuse before anything is sent (and
 * charged): one rule each, in one place.
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relay-sms-check.h"

#define SENDER_MAX_ALNUM   11
#define SENDER_MAX_DIGITS  15

/**
 * relay_sms_check_sender:
 * @from: (nullable): the sender ID as given
 *
 * A sender ID is either a number of up to 15 digits or up to 11 letters
 * and digits (an alphanumeric sender ID).
 *
 * Returns: (transfer full) (nullable): %NULL when @from is valid,
 *   otherwise a sentence saying what is wrong
 */
char *
relay_sms_check_sender (const char *from)
{
  gboolean all_digits = TRUE;
  gsize len;

  if (from == NULL || *from == '\0')
    return g_strdup (_("Enter a sender ID: up to 11 letters and digits, or a phone number."));

  len = strlen (from);

  for (const char *p = from; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p))
        return g_strdup (_("A sender ID may contain only the letters A to Z and digits."));
      if (!g_ascii_isdigit (*p))
        all_digits = FALSE;
    }

  if (all_digits && len > SENDER_MAX_DIGITS)
    return g_strdup (_("A numeric sender ID has at most 15 digits."));

  if (!all_digits && len > SENDER_MAX_ALNUM)
    return g_strdup (_("An alphanumeric sender ID has at most 11 characters."));

  return NULL;
}

/**
 * relay_sms_text_is_blank:
 * @text: (nullable): UTF-8 text
 *
 * Returns: %TRUE when @text is empty or holds only white space (spaces,
 *   tabs, line breaks, no-break and other Unicode spaces)
 */
gboolean
relay_sms_text_is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;

  g_return_val_if_fail (g_utf8_validate (text, -1, NULL), FALSE);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;

  return TRUE;
}

/**
 * relay_sms_check_text:
 * @text: (nullable): the message, UTF-8
 *
 * A message must say something: an empty one, or one of only white
 * space, would still be charged.
 *
 * Returns: (transfer full) (nullable): %NULL when @text can be sent,
 *   otherwise a sentence saying why not
 */
char *
relay_sms_check_text (const char *text)
{
  if (text == NULL || *text == '\0')
    return g_strdup (_("Write a message to send."));

  if (relay_sms_text_is_blank (text))
    return g_strdup (_("The message is only blank space; write something to send."));

  return NULL;
}
