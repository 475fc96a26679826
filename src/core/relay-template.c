/* relay-template.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Message templates of a bulk send: "Hello {first name}, …". A
 * placeholder is '{', a column name, '}'; the name is trimmed and
 * compared with the import's column names without case. "{{" and "}}"
 * are one brace each. An unclosed '{' (or one with another '{' before
 * its '}'), an empty placeholder and a lone '}' are errors that say at
 * which character.
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relay-template.h"

typedef struct
{
  gboolean  placeholder;
  char     *text;         /* the literal text, or the trimmed name */
  char     *key;          /* a placeholder's relay_import_column_key() */
} Segment;

struct _RelayTemplate
{
  gatomicrefcount  ref_count;
  GArray          *segments;      /* Segment */
  GPtrArray       *placeholders;  /* unique names (first spelling), NULL-terminated */
  GHashTable      *seen;          /* their case-folded names */
};

G_DEFINE_QUARK (relay-template-error-quark, relay_template_error)

static void
segment_clear (gpointer data)
{
  g_free (((Segment *) data)->text);
  g_free (((Segment *) data)->key);
}

RelayTemplate *
relay_template_ref (RelayTemplate *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
relay_template_unref (RelayTemplate *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_array_unref (self->segments);
  g_ptr_array_unref (self->placeholders);
  g_hash_table_unref (self->seen);
  g_free (self);
}

static void
add_segment (RelayTemplate *self,
             gboolean       placeholder,
             GString       *text)
{
  Segment segment = { placeholder, g_strndup (text->str, text->len), NULL };

  g_string_truncate (text, 0);
  if (placeholder)
    segment.key = relay_import_column_key (segment.text);
  g_array_append_val (self->segments, segment);

  if (placeholder)
    {
      if (!g_hash_table_add (self->seen, g_strdup (segment.key)))
        return;
      g_ptr_array_insert (self->placeholders, self->placeholders->len - 1, g_strdup (segment.text));
    }
}

static guint
char_position (const char *text,
               const char *p)
{
  return (guint) g_utf8_strlen (text, p - text) + 1;
}

/**
 * relay_template_parse:
 * @text: the message template (UTF-8)
 * @error: a #GError
 *
 * Returns: (transfer full) (nullable): the template, or %NULL with @error
 */
RelayTemplate *
relay_template_parse (const char  *text,
                      GError     **error)
{
  g_autoptr(RelayTemplate) self = NULL;
  g_autoptr(GString) literal = g_string_new (NULL);

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, RELAY_TEMPLATE_ERROR, RELAY_TEMPLATE_ERROR_ENCODING,
                   _("The message is not UTF-8 text."));
      return NULL;
    }

  self = g_new0 (RelayTemplate, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->segments = g_array_new (FALSE, FALSE, sizeof (Segment));
  g_array_set_clear_func (self->segments, segment_clear);
  self->placeholders = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->placeholders, NULL);
  self->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '{' && p[1] == '{')
        {
          g_string_append_c (literal, '{');
          p++;
        }
      else if (*p == '}' && p[1] == '}')
        {
          g_string_append_c (literal, '}');
          p++;
        }
      else if (*p == '}')
        {
          g_set_error (error, RELAY_TEMPLATE_ERROR, RELAY_TEMPLATE_ERROR_LONE_CLOSE,
                       _("The “}” at character %u closes no placeholder: write “}}” for a brace."),
                       char_position (text, p));
          return NULL;
        }
      else if (*p == '{')
        {
          const char *end = p + 1 + strcspn (p + 1, "{}");
          g_autofree char *name = NULL;

          if (*end != '}')
            {
              g_set_error (error, RELAY_TEMPLATE_ERROR, RELAY_TEMPLATE_ERROR_UNCLOSED,
                           _("The placeholder at character %u has no closing “}”: write “{{” for a brace."),
                           char_position (text, p));
              return NULL;
            }
          name = g_strstrip (g_strndup (p + 1, end - p - 1));
          if (*name == '\0')
            {
              g_set_error (error, RELAY_TEMPLATE_ERROR, RELAY_TEMPLATE_ERROR_EMPTY_PLACEHOLDER,
                           _("The placeholder at character %u names no column."),
                           char_position (text, p));
              return NULL;
            }
          if (literal->len > 0)
            add_segment (self, FALSE, literal);
          g_string_assign (literal, name);
          add_segment (self, TRUE, literal);
          p = end;
        }
      else
        g_string_append_c (literal, *p);
    }

  if (literal->len > 0)
    add_segment (self, FALSE, literal);

  return g_steal_pointer (&self);
}

/**
 * relay_template_get_placeholders:
 * @self: a template
 *
 * Returns: (transfer none): the column names the template uses, each
 *   once (names equal but for case are one), in order of appearance
 */
const char * const *
relay_template_get_placeholders (RelayTemplate *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return (const char * const *) self->placeholders->pdata;
}

gboolean
relay_template_has_placeholders (RelayTemplate *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->placeholders->len > 1;
}

/**
 * relay_template_check_columns:
 * @self: a template
 * @import: the recipients
 *
 * Returns: (transfer full): the placeholders naming no column of
 *   @import (an empty list when all do)
 */
char **
relay_template_check_columns (RelayTemplate *self,
                              RelayImport   *import)
{
  GPtrArray *unknown = g_ptr_array_new ();

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (RELAY_IS_IMPORT (import), NULL);

  for (guint i = 0; i + 1 < self->placeholders->len; i++)
    {
      const char *name = g_ptr_array_index (self->placeholders, i);

      if (relay_import_find_column (import, name) < 0)
        g_ptr_array_add (unknown, g_strdup (name));
    }
  g_ptr_array_add (unknown, NULL);

  return (char **) g_ptr_array_free (unknown, FALSE);
}

/**
 * relay_template_expand_into:
 * @self: a template
 * @import: the recipients
 * @row: a row of @import (below relay_import_get_n_rows())
 * @out: where the row's message is appended
 * @problem_out: (out) (optional): the first problem of the row
 *
 * Puts the row's cells (as written) in the placeholders. A placeholder
 * naming no column stays as written ("{name}"), an empty cell gives "";
 * @problem_out says so. Allocates nothing when @out is large enough,
 * so a list of 100,000 rows can be checked with one buffer.
 */
void
relay_template_expand_into (RelayTemplate        *self,
                            RelayImport          *import,
                            guint                 row,
                            GString              *out,
                            RelayTemplateProblem *problem_out)
{
  RelayTemplateProblem problem = { RELAY_TEMPLATE_PROBLEM_NONE, NULL };

  g_return_if_fail (self != NULL);
  g_return_if_fail (RELAY_IS_IMPORT (import));
  g_return_if_fail (row < relay_import_get_n_rows (import));
  g_return_if_fail (out != NULL);

  for (guint i = 0; i < self->segments->len; i++)
    {
      const Segment *segment = &g_array_index (self->segments, Segment, i);
      int column;
      const char *value;

      if (!segment->placeholder)
        {
          g_string_append (out, segment->text);
          continue;
        }

      column = relay_import_find_column_key (import, segment->key);
      if (column < 0)
        {
          if (problem.kind == RELAY_TEMPLATE_PROBLEM_NONE)
            problem = (RelayTemplateProblem) { RELAY_TEMPLATE_PROBLEM_UNKNOWN_COLUMN, segment->text };
          g_string_append_c (out, '{');
          g_string_append (out, segment->text);
          g_string_append_c (out, '}');
          continue;
        }

      value = relay_import_get_field (import, row, (guint) column);
      if (value[strspn (value, " \t\r\n")] == '\0' && problem.kind == RELAY_TEMPLATE_PROBLEM_NONE)
        problem = (RelayTemplateProblem) { RELAY_TEMPLATE_PROBLEM_EMPTY_CELL, segment->text };
      g_string_append (out, value);
    }

  if (problem_out != NULL)
    *problem_out = problem;
}

/**
 * relay_template_expand:
 * @self: a template
 * @import: the recipients
 * @row: a row of @import (below relay_import_get_n_rows())
 * @problem_out: (out) (optional): the first problem of the row
 *
 * As relay_template_expand_into(), into a string of its own.
 *
 * Returns: (transfer full): the row's message
 */
char *
relay_template_expand (RelayTemplate        *self,
                       RelayImport          *import,
                       guint                 row,
                       RelayTemplateProblem *problem_out)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (RELAY_IS_IMPORT (import), NULL);
  g_return_val_if_fail (row < relay_import_get_n_rows (import), NULL);

  out = g_string_new (NULL);
  relay_template_expand_into (self, import, row, out, problem_out);

  return g_string_free (out, FALSE);
}

/**
 * relay_template_preview:
 * @self: a template
 * @import: the recipients
 * @row: a row of @import
 * @preview: (out caller-allocates): the row's message, its encoding and
 *   parts and its problem; free with relay_template_preview_clear()
 */
void
relay_template_preview (RelayTemplate        *self,
                        RelayImport          *import,
                        guint                 row,
                        RelayTemplatePreview *preview)
{
  g_return_if_fail (preview != NULL);

  memset (preview, 0, sizeof *preview);
  preview->text = relay_template_expand (self, import, row, &preview->problem);
  if (preview->text != NULL)
    relay_sms_text_analyze (preview->text, &preview->info);
}

void
relay_template_preview_clear (RelayTemplatePreview *preview)
{
  g_return_if_fail (preview != NULL);

  g_clear_pointer (&preview->text, g_free);
}

/**
 * relay_template_problem_to_string:
 * @kind: a problem
 *
 * Returns: a sentence with one "%s" for the placeholder's name
 */
const char *
relay_template_problem_to_string (RelayTemplateProblemKind kind)
{
  switch (kind)
    {
    case RELAY_TEMPLATE_PROBLEM_NONE:
      return _("The message is complete.");
    case RELAY_TEMPLATE_PROBLEM_UNKNOWN_COLUMN:
      return _("The placeholder “{%s}” names no column.");
    case RELAY_TEMPLATE_PROBLEM_EMPTY_CELL:
      return _("The cell for “{%s}” is empty in this row.");
    default:
      g_return_val_if_reached (NULL);
    }
}
