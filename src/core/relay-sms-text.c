/* relay-sms-text.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <string.h>

#include "relay-sms-text.h"

#define GSM7_SINGLE 160
#define GSM7_MULTI  153
#define UCS2_SINGLE 70
#define UCS2_MULTI  67

/* GSM 03.38 default alphabet, in table order, as UTF-8. ESC (0x1B) is
 * absent: it only introduces the extension table. */
static const char *const gsm7_basic =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

/* Extension table characters, which cost ESC plus one septet. */
static const char *const gsm7_extension = "\f^{}\\[~]|€";

/* Septets per character for U+0000..U+00FF (0 = not in GSM-7), built once
 * from the tables above; the few characters beyond Latin-1 (Greek
 * capitals, €) are looked up in a short list. The counter runs on every
 * keystroke, so this must not walk the tables. */
static guint8 latin1_cost[256];
static gunichar wide_chars[16];
static guint8 wide_cost[16];
static guint n_wide;

static void
add_table (const char *table,
           guint8      cost)
{
  for (const char *p = table; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 256)
        {
          latin1_cost[c] = cost;
        }
      else
        {
          g_assert (n_wide < G_N_ELEMENTS (wide_chars));
          wide_chars[n_wide] = c;
          wide_cost[n_wide] = cost;
          n_wide++;
        }
    }
}

static void
ensure_tables (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      add_table (gsm7_basic, 1);
      add_table (gsm7_extension, 2);
      g_once_init_leave (&initialized, 1);
    }
}

/**
 * relay_sms_text_is_gsm7:
 * @c: a character
 * @septets: (out) (optional): 1 for the default alphabet, 2 for the
 *   extension table
 *
 * Returns: %TRUE when @c can be sent in GSM-7
 */
gboolean
relay_sms_text_is_gsm7 (gunichar  c,
                        guint    *septets)
{
  guint cost = 0;

  ensure_tables ();

  if (c < 256)
    {
      cost = c != 0 ? latin1_cost[c] : 0;
    }
  else
    {
      for (guint i = 0; i < n_wide; i++)
        if (wide_chars[i] == c)
          {
            cost = wide_cost[i];
            break;
          }
    }

  if (septets != NULL)
    *septets = cost;

  return cost > 0;
}

const char *
relay_sms_encoding_to_string (RelaySmsEncoding encoding)
{
  return encoding == RELAY_SMS_ENCODING_GSM7 ? "GSM-7" : "UCS-2";
}

static guint
unit_cost (RelaySmsEncoding encoding,
           gunichar         c)
{
  guint septets;

  if (encoding == RELAY_SMS_ENCODING_UCS2)
    return c > 0xFFFF ? 2 : 1;

  relay_sms_text_is_gsm7 (c, &septets);
  return septets;
}

/* Walks @text once in its encoding, calling @cut at each part boundary
 * when @per_part is given; returns the number of parts. */
static guint
count_parts (const char       *text,
             RelaySmsEncoding  encoding,
             guint             per_part,
             GPtrArray        *pieces)
{
  const char *start = text;
  guint parts = 0;
  guint used = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      guint cost = unit_cost (encoding, g_utf8_get_char (p));

      if (used + cost > per_part)
        {
          if (pieces != NULL)
            g_ptr_array_add (pieces, g_strndup (start, p - start));
          start = p;
          parts++;
          used = 0;
        }
      used += cost;
    }

  if (used > 0)
    {
      if (pieces != NULL)
        g_ptr_array_add (pieces, g_strdup (start));
      parts++;
    }

  return parts;
}

/**
 * relay_sms_text_analyze:
 * @text: UTF-8 text (invalid UTF-8 is counted as UCS-2 replacement
 *   characters, never read past its end)
 * @info: (out): the result
 */
void
relay_sms_text_analyze (const char   *text,
                        RelaySmsInfo *info)
{
  g_autofree char *valid = NULL;
  guint gsm_units = 0;
  guint ucs_units = 0;
  gboolean gsm7 = TRUE;
  guint single, multi;

  g_return_if_fail (info != NULL);

  memset (info, 0, sizeof *info);
  if (text == NULL)
    text = "";

  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      guint septets;

      info->characters++;
      ucs_units += c > 0xFFFF ? 2 : 1;
      if (gsm7 && relay_sms_text_is_gsm7 (c, &septets))
        gsm_units += septets;
      else
        gsm7 = FALSE;
    }

  info->encoding = gsm7 ? RELAY_SMS_ENCODING_GSM7 : RELAY_SMS_ENCODING_UCS2;
  info->units = gsm7 ? gsm_units : ucs_units;
  single = gsm7 ? GSM7_SINGLE : UCS2_SINGLE;
  multi = gsm7 ? GSM7_MULTI : UCS2_MULTI;

  if (info->units == 0)
    {
      info->parts = 0;
      info->per_part = single;
      info->limit = single;
    }
  else if (info->units <= single)
    {
      info->parts = 1;
      info->per_part = single;
      info->limit = single;
    }
  else
    {
      info->parts = count_parts (text, info->encoding, multi, NULL);
      info->per_part = multi;
      info->limit = multi * info->parts;
    }
}

/**
 * relay_sms_text_split:
 * @text: UTF-8 text
 * @info: (out) (optional): the analysis of @text
 *
 * Splits @text into the parts a provider sends.
 *
 * Returns: (transfer full): a %NULL-terminated array of parts
 */
char **
relay_sms_text_split (const char   *text,
                      RelaySmsInfo *info)
{
  g_autofree char *valid = NULL;
  RelaySmsInfo local;
  GPtrArray *pieces = g_ptr_array_new ();

  if (text == NULL)
    text = "";
  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);

  relay_sms_text_analyze (text, &local);
  if (local.parts == 1)
    g_ptr_array_add (pieces, g_strdup (text));
  else if (local.parts > 1)
    count_parts (text, local.encoding, local.per_part, pieces);
  g_ptr_array_add (pieces, NULL);

  if (info != NULL)
    *info = local;

  return (char **) g_ptr_array_free (pieces, FALSE);
}
