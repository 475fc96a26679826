/* relay-recipient-list.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <string.h>

#include "relay-recipient-list.h"

#define NUMBER_MIN_DIGITS  7
#define NUMBER_MAX_DIGITS  15

static void
cell_free (gpointer data)
{
  RelayRecipientCell *cell = data;

  if (cell == NULL)
    return;

  g_free (cell->text);
  g_free (cell);
}

static RelayRecipientCell *
cell_new (const char *text,
          guint       line)
{
  RelayRecipientCell *cell = g_new0 (RelayRecipientCell, 1);

  cell->text = g_strdup (text);
  cell->line = line;

  return cell;
}

/**
 * relay_recipient_is_number_char:
 * @c: a character
 *
 * What relay_recipient_is_number() reads as part of a number besides a
 * leading "+": ASCII digits, and what is written between them without
 * being part of the number: ASCII space, dash and dot, and what text
 * copied from a web page or a word processor brings along: no-break and
 * thin spaces, typographic dashes and invisible format characters
 * (zero-width spaces, direction marks).
 *
 * Returns: whether @c may stand in a number
 */
gboolean
relay_recipient_is_number_char (gunichar c)
{
  if (g_ascii_isdigit (c) || c == ' ' || c == '-' || c == '.')
    return TRUE;
  if (c < 0x80)
    return FALSE;

  switch (g_unichar_type (c))
    {
    case G_UNICODE_SPACE_SEPARATOR:
    case G_UNICODE_DASH_PUNCTUATION:
    case G_UNICODE_FORMAT:
      return TRUE;
    default:
      return FALSE;
    }
}

/**
 * relay_recipient_is_number:
 * @cell: one cell (UTF-8)
 * @digits: (nullable): receives the digits of @cell
 *
 * A number is 7 to 15 ASCII digits in international format, optionally
 * written with a leading "+" and with spaces, dashes or dots between the
 * digits (also no-break spaces, typographic dashes and invisible format
 * characters, as copied text has them).
 *
 * Returns: whether @cell is a phone number
 */
gboolean
relay_recipient_is_number (const char *cell,
                           GString    *digits)
{
  gboolean started = FALSE;
  guint n = 0;

  if (digits != NULL)
    g_string_truncate (digits, 0);

  for (const char *q = cell; *q != '\0'; q = g_utf8_next_char (q))
    {
      gunichar c = g_utf8_get_char (q);

      if (g_ascii_isdigit (c))
        {
          if (digits != NULL)
            g_string_append_c (digits, c);
          n++;
          started = TRUE;
        }
      else if (c == '+' && !started)
        {
          started = TRUE;
        }
      else if (!relay_recipient_is_number_char (c))
        {
          return FALSE;
        }
    }

  return n >= NUMBER_MIN_DIGITS && n <= NUMBER_MAX_DIGITS;
}

static gboolean
is_separator (char c)
{
  return c == ',' || c == ';' || c == '\t' || c == '\n' || c == '\r';
}

/* Reads a quoted cell's content from just after its opening quote: ""
 * stands for one quote. Returns the position after the closing quote, or
 * NULL when the quote is never closed (the quote is then plain text). */
static const char *
read_quoted (const char *p,
             GString    *cell,
             guint      *lines)
{
  guint n_lines = 0;

  for (; *p != '\0'; p++)
    {
      if (*p == '"')
        {
          if (p[1] != '"')
            {
              *lines += n_lines;
              return p + 1;
            }
          p++;
        }
      else if (*p == '\n' || (*p == '\r' && p[1] != '\n'))
        n_lines++;

      g_string_append_c (cell, *p);
    }

  return NULL;
}

static gboolean
looks_like_heading (const char *text)
{
  gboolean letters = FALSE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isdigit (c))
        return FALSE;
      if (g_unichar_isalpha (c))
        letters = TRUE;
    }

  return letters;
}

/**
 * relay_recipient_list_split:
 * @text: (nullable): pasted text (invalid UTF-8 is read as replacement
 *   characters)
 *
 * Splits @text into cells the way a person pastes a list: one per line
 * or a column or row copied from a spreadsheet (cells separated by new
 * lines, tabs, commas or semicolons; lone CR, LF and CRLF each end a
 * line; quoted cells, where "" is one quote and a separator or line
 * break is text; a leading byte order mark skipped). Cells are trimmed;
 * empty ones are left out.
 *
 * Returns: (transfer full) (element-type RelayRecipientCell): the cells,
 *   in the order given
 */
GPtrArray *
relay_recipient_list_split (const char *text)
{
  GPtrArray *cells = g_ptr_array_new_with_free_func (cell_free);
  g_autofree char *valid = NULL;
  const char *p = text != NULL ? text : "";
  guint line = 1;

  /* Cells are walked character by character: never past the end of a
   * cut sequence. */
  if (!g_utf8_validate (p, -1, NULL))
    p = valid = g_utf8_make_valid (p, -1);

  /* A byte order mark, as some spreadsheets put before a CSV file. */
  if (g_str_has_prefix (p, "\xEF\xBB\xBF"))
    p += 3;

  while (*p != '\0')
    {
      g_autoptr(GString) cell = g_string_new (NULL);
      guint cell_line = line;

      while (*p == ' ')
        p++;

      if (*p == '"')
        {
          g_autoptr(GString) quoted = g_string_new (NULL);
          guint lines = 0;
          const char *after = read_quoted (p + 1, quoted, &lines);

          if (after != NULL)
            {
              g_string_append (cell, quoted->str);
              line += lines;
              p = after;
            }
        }

      while (*p != '\0' && !is_separator (*p))
        g_string_append_c (cell, *p++);

      if (*p == '\r')
        {
          p++;
          if (*p == '\n')
            p++;
          line++;
        }
      else if (*p == '\n')
        {
          p++;
          line++;
        }
      else if (*p != '\0')
        {
          p++;
        }

      g_strstrip (cell->str);
      if (cell->str[0] == '\0')
        continue;

      g_ptr_array_add (cells, cell_new (cell->str, cell_line));
    }

  return cells;
}

/**
 * relay_recipient_list_parse:
 * @text: (nullable): the To field's text (invalid UTF-8 is read as
 *   replacement characters)
 *
 * Splits @text into cells (see relay_recipient_list_split()) and sorts
 * them into numbers and invalid cells. A first line of one cell with
 * letters and no digit, followed by more lines, is a column heading:
 * skipped, and named in @heading so that the page can say so.
 *
 * Returns: (transfer full): the cells read
 */
RelayRecipientList *
relay_recipient_list_parse (const char *text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) cells = relay_recipient_list_split (text);
  g_autoptr(GString) digits = g_string_new (NULL);
  RelayRecipientList *list = g_new0 (RelayRecipientList, 1);
  guint last_line = 0;

  list->invalid = g_ptr_array_new_with_free_func (cell_free);

  for (guint i = 0; i < cells->len; i++)
    {
      RelayRecipientCell *cell = g_ptr_array_index (cells, i);

      if (cell->line != last_line)
        list->n_lines++;
      last_line = cell->line;
    }

  if (cells->len > 1)
    {
      RelayRecipientCell *top = g_ptr_array_index (cells, 0);
      RelayRecipientCell *next = g_ptr_array_index (cells, 1);

      if (next->line > top->line && looks_like_heading (top->text))
        {
          list->heading = g_ptr_array_steal_index (cells, 0);
          list->n_lines--;
        }
    }

  for (guint i = 0; i < cells->len; i++)
    {
      RelayRecipientCell *cell = g_ptr_array_index (cells, i);

      if (!relay_recipient_is_number (cell->text, digits))
        {
          g_ptr_array_add (list->invalid, cell_new (cell->text, cell->line));
          continue;
        }

      if (g_hash_table_contains (seen, digits->str))
        continue;

      g_hash_table_add (seen, g_strdup (digits->str));
      g_strv_builder_add (builder, digits->str);
    }

  list->numbers = g_strv_builder_end (builder);

  return list;
}

void
relay_recipient_list_free (RelayRecipientList *list)
{
  if (list == NULL)
    return;

  g_strfreev (list->numbers);
  g_ptr_array_unref (list->invalid);
  cell_free (list->heading);
  g_free (list);
}
