/* relay-text-sanitize.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Text that came from a provider (or from anyone but Relay) is never
 * written to a terminal or shown in a window as it came: escape and
 * control sequences could forge lines ("sent OK"), retitle the terminal
 * or reorder what is shown, and unbounded text floods both.
 */

#define G_LOG_DOMAIN "Relay"

#include <string.h>

#include "relay-text-sanitize.h"

/* Characters that change how the text around them is shown: C0 and C1
 * controls, DEL, and the bidirectional embedding, override and isolate
 * controls, plus the line and paragraph separators. */
static gboolean
is_hostile (gunichar c)
{
  if (g_unichar_iscntrl (c))
    return TRUE;

  return c == 0x061C || c == 0x200E || c == 0x200F ||
         (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069) ||
         c == 0x2028 || c == 0x2029;
}

static void
append_clean (GString  *out,
              gunichar  c)
{
  if (c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f' ||
      c == 0x2028 || c == 0x2029)
    {
      /* Line breaks become one space, so the text stays on its line. */
      if (out->len > 0 && out->str[out->len - 1] != ' ')
        g_string_append_c (out, ' ');
    }
  else if (is_hostile (c))
    {
      /* Visible, so nobody mistakes the text for the provider's own. */
      g_string_append_printf (out, "\\u%04X", c);
    }
  else
    {
      g_string_append_unichar (out, c);
    }
}

/**
 * relay_text_sanitize:
 * @text: (nullable): text from outside, in any encoding
 * @len: its length in bytes, or -1 when nul-terminated
 * @max_chars: the most characters of @text to keep (0: no bound)
 *
 * Makes @text safe to print on one line of a terminal or a label:
 * line breaks and tabs become one space, other control characters (ESC,
 * BEL, C1, DEL) and bidirectional overrides become visible `\uXXXX`,
 * bytes that are not UTF-8 become U+FFFD, and text past @max_chars is
 * cut with "…".
 *
 * Returns: (transfer full): the safe text; "" for %NULL
 */
char *
relay_text_sanitize (const char *text,
                     gssize      len,
                     gsize       max_chars)
{
  GString *out;
  const char *p;
  const char *end;
  gsize kept = 0;

  if (text == NULL)
    return g_strdup ("");
  if (len < 0)
    len = strlen (text);

  out = g_string_sized_new (MIN ((gsize) len, max_chars > 0 ? max_chars * 4 : (gsize) len) + 8);
  end = text + len;
  for (p = text; p < end; kept++)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      if (max_chars > 0 && kept == max_chars)
        {
          g_string_append (out, "…");
          break;
        }

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_unichar (out, 0xFFFD);
          p++;
          continue;
        }

      append_clean (out, c);
      p = g_utf8_next_char (p);
    }

  return g_string_free (out, FALSE);
}

/**
 * relay_text_sanitize_middle:
 * @text: a sentence that may quote long text from outside
 * @max_chars: the most characters to keep
 *
 * As relay_text_sanitize(), but a text longer than @max_chars loses its
 * middle rather than its end, so a sentence that quotes a huge argument
 * still ends with what it says about it.
 *
 * Returns: (transfer full): the safe text
 */
char *
relay_text_sanitize_middle (const char *text,
                            gsize       max_chars)
{
  g_autofree char *clean = relay_text_sanitize (text, -1, 0);
  glong chars = g_utf8_strlen (clean, -1);
  gsize head, tail;
  const char *tail_start;
  g_autofree char *start = NULL;

  if (max_chars < 8 || chars <= (glong) max_chars)
    return g_steal_pointer (&clean);

  tail = max_chars / 3;
  head = max_chars - tail - 1;
  start = g_utf8_substring (clean, 0, head);
  tail_start = g_utf8_offset_to_pointer (clean, chars - tail);

  return g_strconcat (start, "…", tail_start, NULL);
}

/**
 * relay_text_is_token:
 * @text: (nullable): a value from a provider
 * @max_len: the longest it may be, in bytes
 * @extra: (nullable): characters allowed besides ASCII letters and digits
 *
 * Returns: %TRUE when @text is 1 to @max_len ASCII letters, digits and
 *   @extra characters: what message IDs and network codes look like
 */
gboolean
relay_text_is_token (const char *text,
                     gsize       max_len,
                     const char *extra)
{
  gsize len;

  if (text == NULL || *text == '\0')
    return FALSE;

  len = strlen (text);
  if (len > max_len)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (text[i]) && (extra == NULL || strchr (extra, text[i]) == NULL))
      return FALSE;

  return TRUE;
}
