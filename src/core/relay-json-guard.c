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

/* Whether the four characters at @p (after "\u") are 0000. */
static gboolean
is_nul_escape (const char *p,
               const char *end)
{
  if (end - p < 4)
    return FALSE;

  return p[0] == '0' && p[1] == '0' && p[2] == '0' && p[3] == '0';
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
              p++;
              if (*p == 'u' && is_nul_escape (p + 1, end))
                {
                  g_set_error_literal (error, RELAY_JSON_GUARD_ERROR, RELAY_JSON_GUARD_ERROR_NOT_TEXT,
                                       _("it holds a NUL character."));
                  return FALSE;
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
