/* fuzz-template.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Templates against a second expander written here with GRegex: the
 * text is cut into "{{", "}}", "{name}" and other runs by one regular
 * expression; a lone brace or an empty name is an error. For any input
 * (made valid UTF-8): relay_template_parse() fails exactly when the
 * second expander does, with the same error at the same character, and
 * otherwise both expand the recipient row alike, with the same first
 * problem.
 */

#include <string.h>

#include "relay-template.h"

#include "fuzz-common.h"

static RelayImport *import;
static GRegex *tokens;

static const char csv[] =
  "Phone,Name,Town,Empty,  Spaced Out  ,NAME\n"
  "+447700900123,\"A {name} }} {{\",\"Bath, UK\",,x,second\n";

static void
setup (void)
{
  if (import != NULL)
    return;

  import = relay_import_new_from_csv (csv, strlen (csv), NULL, NULL);
  g_assert_nonnull (import);
  g_assert_cmpuint (relay_import_get_n_rows (import), ==, 1);
  tokens = g_regex_new ("\\{\\{|\\}\\}|\\{[^{}]*\\}|[{}]|[^{}]+", G_REGEX_OPTIMIZE, 0, NULL);
  g_assert_nonnull (tokens);
}

/* The value of a placeholder by a linear search of the header names. */
static const char *
lookup (const char *name)
{
  g_autofree char *key = g_utf8_casefold (name, -1);

  for (guint c = 0; c < relay_import_get_n_columns (import); c++)
    {
      g_autofree char *column = g_utf8_casefold (relay_import_get_column_name (import, c), -1);

      if (strcmp (column, key) == 0)
        return relay_import_get_field (import, 0, c);
    }
  return NULL;
}

/* Returns the expansion, or NULL with the error code and character. */
static char *
naive_expand (const char           *text,
              int                  *code,
              guint                *position,
              RelayTemplateProblem *problem)
{
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  problem->kind = RELAY_TEMPLATE_PROBLEM_NONE;
  problem->placeholder = NULL;

  g_regex_match (tokens, text, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *token = g_match_info_fetch (match, 0);
      int start;

      g_match_info_fetch_pos (match, 0, &start, NULL);
      *position = (guint) g_utf8_strlen (text, start) + 1;

      if (strcmp (token, "{{") == 0)
        g_string_append_c (out, '{');
      else if (strcmp (token, "}}") == 0)
        g_string_append_c (out, '}');
      else if (strcmp (token, "{") == 0)
        {
          *code = RELAY_TEMPLATE_ERROR_UNCLOSED;
          return NULL;
        }
      else if (strcmp (token, "}") == 0)
        {
          *code = RELAY_TEMPLATE_ERROR_LONE_CLOSE;
          return NULL;
        }
      else if (token[0] == '{')
        {
          g_autofree char *name = g_strndup (token + 1, strlen (token) - 2);
          const char *value;

          g_strstrip (name);
          if (*name == '\0')
            {
              *code = RELAY_TEMPLATE_ERROR_EMPTY_PLACEHOLDER;
              return NULL;
            }
          value = lookup (name);
          if (value == NULL)
            {
              if (problem->kind == RELAY_TEMPLATE_PROBLEM_NONE)
                problem->kind = RELAY_TEMPLATE_PROBLEM_UNKNOWN_COLUMN;
              g_string_append_printf (out, "{%s}", name);
            }
          else
            {
              if (*value == '\0' && problem->kind == RELAY_TEMPLATE_PROBLEM_NONE)
                problem->kind = RELAY_TEMPLATE_PROBLEM_EMPTY_CELL;
              g_string_append (out, value);
            }
        }
      else
        g_string_append (out, token);

      g_match_info_next (match, NULL);
    }

  return g_strdup (out->str);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *raw = fuzz_dup_string (data, size);
  g_autofree char *text = g_utf8_make_valid (raw, -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayTemplate) template = relay_template_parse (text, &error);
  RelayTemplateProblem problem, naive_problem;
  g_autofree char *expanded = NULL;
  g_autofree char *naive = NULL;
  int code = -1;
  guint position = 0;

  setup ();
  naive = naive_expand (text, &code, &position, &naive_problem);
  if (naive == NULL)
    {
      g_autofree char *where = g_strdup_printf ("character %u", position);

      g_assert_null (template);
      g_assert_error (error, RELAY_TEMPLATE_ERROR, code);
      g_assert_nonnull (strstr (error->message, where));
      return 0;
    }

  g_assert_no_error (error);
  expanded = relay_template_expand (template, import, 0, &problem);
  g_assert_cmpstr (expanded, ==, naive);
  g_assert_cmpint (problem.kind, ==, naive_problem.kind);
  g_assert_true ((problem.placeholder != NULL) == (problem.kind != RELAY_TEMPLATE_PROBLEM_NONE));

  return 0;
}
