/* relay-json-guard.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every JSON document a provider sends goes through here before
 * json-glib sees it. json-glib 1.6 parses arrays and objects by
 * recursion, so `[[[[…` a few hundred kilobytes deep overflows the stack;
 * and it keeps strings as C strings, so a "\u0000" escape silently cuts a
 * value short. Both are refused here, with a scan that does not recurse.
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relay-json-guard.h"

G_DEFINE_QUARK (relay-json-guard-error-quark, relay_json_guard_error)

/* The code unit of the four hex digits at @p (after "\u"), or -1. */
static int
escape_unit (const char *p,
             const char *end)
{
  int unit = 0;

  if (end - p < 4)
    return -1;
  for (guint i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (p[i]);

      if (digit < 0)
        return -1;
      unit = unit * 16 + digit;
    }

  return unit;
}

/**
 * relay_json_guard_check:
 * @json: a document
 * @len: its length in bytes
 * @max_depth: the deepest nesting of arrays and objects allowed
 * @error: a #GError
 *
 * Checks, in one pass and without recursion, that @json is UTF-8 without
 * NUL (raw or escaped in a string) and that its arrays and objects nest
 * at most @max_depth deep. Brackets inside strings do not count. It does
 * not check that @json is valid JSON: json-glib does that afterwards.
 *
 * Returns: %TRUE when @json may be handed to json-glib
 */
gboolean
relay_json_guard_check (const char  *json,
                        gsize        len,
                        guint        max_depth,
                        GError     **error)
{
  const char *end;
  gboolean in_string = FALSE;
  guint depth = 0;

  if (json == NULL || len == 0)
    {
      g_set_error_literal (error, RELAY_JSON_GUARD_ERROR, RELAY_JSON_GUARD_ERROR_EMPTY,
                           _("it is empty."));
      return FALSE;
    }

  if (memchr (json, '\0', len) != NULL || !g_utf8_validate (json, len, NULL))
    {
      g_set_error_literal (error, RELAY_JSON_GUARD_ERROR, RELAY_JSON_GUARD_ERROR_NOT_TEXT,
                           _("it is not text."));
      return FALSE;
    }

  end = json + len;
  for (const char *p = json; p < end; p++)
    {
      if (in_string)
        {
          if (*p == '"')
            {
              in_string = FALSE;
            }
          else if (*p == '\\' && p + 1 < end)
            {
              int unit;

              p++;
              if (*p != 'u')
                continue;
              unit = escape_unit (p + 1, end);
              /* JSON writes every \u with four hex digits; json-glib
               * 1.6 reads fewer into a code unit of no meaning, and can
               * make bytes that are not UTF-8 of it. */
              if (unit < 0)
                {
                  g_set_error_literal (error, RELAY_JSON_GUARD_ERROR, RELAY_JSON_GUARD_ERROR_NOT_TEXT,
                                       _("it holds a \\u escape without its four hex digits."));
                  return FALSE;
                }
              if (unit == 0)
                {
                  g_set_error_literal (error, RELAY_JSON_GUARD_ERROR, RELAY_JSON_GUARD_ERROR_NOT_TEXT,
                                       _("it holds a NUL character."));
                  return FALSE;
                }
              /* json-glib turns a surrogate escape without its other half
               * (a lone DC80) into bytes that are not UTF-8: only a high
               * surrogate directly followed by a low one is text. */
              if (unit >= 0xdc00 && unit <= 0xdfff)
                {
                  g_set_error_literal (error, RELAY_JSON_GUARD_ERROR, RELAY_JSON_GUARD_ERROR_NOT_TEXT,
                                       _("it holds half of a Unicode surrogate pair."));
                  return FALSE;
                }
              if (unit >= 0xd800 && unit <= 0xdbff)
                {
                  int low = (end - p >= 11 && p[5] == '\\' && p[6] == 'u') ? escape_unit (p + 7, end) : -1;

                  if (low < 0xdc00 || low > 0xdfff)
                    {
                      g_set_error_literal (error, RELAY_JSON_GUARD_ERROR, RELAY_JSON_GUARD_ERROR_NOT_TEXT,
                                           _("it holds half of a Unicode surrogate pair."));
                      return FALSE;
                    }
                  /* Past the pair's low half. */
                  p += 10;
                }
            }
          continue;
        }

      switch (*p)
        {
        case '"':
          in_string = TRUE;
          break;

        case '[':
        case '{':
          if (++depth > max_depth)
            {
              g_set_error (error, RELAY_JSON_GUARD_ERROR, RELAY_JSON_GUARD_ERROR_TOO_DEEP,
                           _("it nests deeper than %u levels."), max_depth);
              return FALSE;
            }
          break;

        case ']':
        case '}':
          /* Unbalanced closers are json-glib's to refuse. */
          if (depth > 0)
            depth--;
          break;

        default:
          break;
        }
    }

  return TRUE;
}

/**
 * relay_json_guard_parse:
 * @json: a document from a provider
 * @len: its length, or -1 when nul-terminated
 * @error: a #GError
 *
 * relay_json_guard_check() with %RELAY_JSON_MAX_DEPTH, then json-glib.
 * Use it for every JSON a provider (or any other process) sends.
 *
 * Returns: (transfer full) (nullable): the root node, or %NULL with a
 *   %RELAY_JSON_GUARD_ERROR whose message is a short clause ("it is not
 *   valid JSON (perhaps cut short).") to put after a sentence of one's own
 */
JsonNode *
relay_json_guard_parse (const char  *json,
                        gssize       len,
                        GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  if (json != NULL && len < 0)
    len = strlen (json);

  if (!relay_json_guard_check (json, json != NULL ? (gsize) len : 0, RELAY_JSON_MAX_DEPTH, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, json, len, NULL) ||
      (root = json_parser_get_root (parser)) == NULL)
    {
      g_set_error_literal (error, RELAY_JSON_GUARD_ERROR, RELAY_JSON_GUARD_ERROR_INVALID,
                           _("it is not valid JSON (perhaps cut short)."));
      return NULL;
    }

  return json_node_ref (root);
}

void
relay_json_add_string (JsonBuilder *builder,
                       const char  *name,
                       const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/**
 * relay_json_format_time:
 * @us: µs since the epoch
 *
 * Returns: (transfer full) (nullable): @us in UTC as
 *   2026-12-01T10:00:00Z, or %NULL when it is 0 or less
 */
char *
relay_json_format_time (gint64 us)
{
  g_autoptr(GDateTime) time = NULL;

  if (us <= 0 || (time = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC)) == NULL)
    return NULL;

  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
}

void
relay_json_add_time (JsonBuilder *builder,
                     const char  *name,
                     gint64       us)
{
  g_autofree char *text = relay_json_format_time (us);

  relay_json_add_string (builder, name, text);
}
