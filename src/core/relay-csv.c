/* relay-csv.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * RFC 4180 comma-separated values, read strictly and written minimally.
 *
 * Reading: UTF-8 only (a UTF-8 byte order mark is skipped; UTF-16,
 * invalid UTF-8 and NUL are refused with the line). Records end at CRLF,
 * LF or a lone CR; the last may have no line end. A field that starts
 * with '"' is quoted: it runs to the next lone '"', holds delimiters and
 * line ends, and '""' in it is one quote; only a delimiter, a line end or
 * the end of data may follow it. A '"' inside an unquoted field and an
 * unterminated quoted field are errors. An empty line is a record with no
 * field (as Python's csv module reads it). The delimiter is ',', ';' or
 * TAB, sniffed from the first records: the one whose count outside
 * quotes is the same on most of them.
 *
 * Writing: a field is quoted when it holds the delimiter, '"', CR or LF,
 * starts or ends with white space or starts with a byte order mark, or is
 * the empty first field of a record (which would otherwise write an empty
 * line); records end with CRLF.
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relay-csv.h"

#define SNIFF_RECORDS 20
#define SNIFF_BYTES   65536

struct _RelayCsvReader
{
  char    *data;
  gsize    length;
  gsize    pos;
  guint    line;
  char     delimiter;
  GString *field;
};

G_DEFINE_QUARK (relay-csv-error-quark, relay_csv_error)

static guint
count_lines (const char *data,
             gsize       end)
{
  guint line = 1;

  for (gsize i = 0; i < end; i++)
    {
      if (data[i] == '\n')
        line++;
      else if (data[i] == '\r')
        {
          if (i + 1 < end && data[i + 1] == '\n')
            i++;
          line++;
        }
    }

  return line;
}

/* Counts each candidate delimiter outside quotes in the first records
 * and picks the one whose count is steady and not zero. */
static char
sniff_delimiter (const char *data,
                 gsize       length)
{
  static const char candidates[] = { ',', ';', '\t' };
  guint counts[G_N_ELEMENTS (candidates)][SNIFF_RECORDS] = { { 0 } };
  guint n_records = 0;
  gboolean quoted = FALSE;
  gboolean blank = TRUE;
  char best = ',';
  guint best_steady = 0, best_total = 0;

  length = MIN (length, SNIFF_BYTES);
  for (gsize i = 0; i < length && n_records < SNIFF_RECORDS; i++)
    {
      char c = data[i];

      if (c == '"')
        quoted = !quoted;
      else if (!quoted && (c == '\r' || c == '\n'))
        {
          if (!blank)
            n_records++;
          blank = TRUE;
          continue;
        }
      else if (!quoted)
        {
          for (guint k = 0; k < G_N_ELEMENTS (candidates); k++)
            if (c == candidates[k])
              counts[k][n_records]++;
        }
      blank = FALSE;
    }
  if (!blank && n_records < SNIFF_RECORDS)
    n_records++;

  for (guint k = 0; k < G_N_ELEMENTS (candidates); k++)
    {
      guint steady = 0, total = 0;

      if (n_records == 0 || counts[k][0] == 0)
        continue;
      for (guint r = 0; r < n_records; r++)
        {
          if (counts[k][r] == counts[k][0])
            steady++;
          total += counts[k][r];
        }
      if (steady > best_steady || (steady == best_steady && total > best_total))
        {
          best = candidates[k];
          best_steady = steady;
          best_total = total;
        }
    }

  return best;
}

/**
 * relay_csv_reader_new:
 * @data: the file's bytes
 * @length: their length
 * @error: a #GError
 *
 * Checks the encoding and sniffs the delimiter. @data is copied.
 *
 * Returns: (transfer full) (nullable): a reader, or %NULL with @error set
 */
RelayCsvReader *
relay_csv_reader_new (const char  *data,
                      gsize        length,
                      GError     **error)
{
  RelayCsvReader *self;
  const char *end = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length >= 2 && (((guchar) data[0] == 0xFF && (guchar) data[1] == 0xFE)
                      || ((guchar) data[0] == 0xFE && (guchar) data[1] == 0xFF)))
    {
      g_set_error (error, RELAY_CSV_ERROR, RELAY_CSV_ERROR_ENCODING,
                   _("The file is in UTF-16: save it as CSV in UTF-8 and try again."));
      return NULL;
    }
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      length -= 3;
    }

  if (!g_utf8_validate_len (data, length, &end))
    {
      g_set_error (error, RELAY_CSV_ERROR, RELAY_CSV_ERROR_ENCODING,
                   _("Line %u: the file is not UTF-8 text: save it as CSV in UTF-8 and try again."),
                   count_lines (data, end - data));
      return NULL;
    }

  self = g_new0 (RelayCsvReader, 1);
  self->data = g_strndup (data != NULL ? data : "", length);
  self->length = length;
  self->line = 1;
  self->field = g_string_sized_new (64);
  self->delimiter = sniff_delimiter (self->data, self->length);

  return self;
}

void
relay_csv_reader_free (RelayCsvReader *self)
{
  if (self == NULL)
    return;

  g_free (self->data);
  g_string_free (self->field, TRUE);
  g_free (self);
}

char
relay_csv_reader_get_delimiter (RelayCsvReader *self)
{
  g_return_val_if_fail (self != NULL, ',');

  return self->delimiter;
}

/**
 * relay_csv_reader_set_delimiter:
 * @self: a reader
 * @delimiter: the field delimiter (not '"', CR or LF)
 *
 * Sets the delimiter of the records still to read.
 */
void
relay_csv_reader_set_delimiter (RelayCsvReader *self,
                                char            delimiter)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (delimiter != '"' && delimiter != '\r' && delimiter != '\n' && delimiter != '\0');

  self->delimiter = delimiter;
}

/* Consumes the line end at pos (CRLF, LF or CR). */
static void
eat_line_end (RelayCsvReader *self)
{
  if (self->data[self->pos] == '\r' && self->pos + 1 < self->length
      && self->data[self->pos + 1] == '\n')
    self->pos++;
  self->pos++;
  self->line++;
}

static void
push_field (RelayCsvReader *self,
            GPtrArray      *fields)
{
  g_ptr_array_add (fields, g_strndup (self->field->str, self->field->len));
  g_string_truncate (self->field, 0);
}

/**
 * relay_csv_reader_next_row:
 * @self: a reader
 * @fields_out: (inout): where to put the fields: when *@fields_out is
 *   %NULL a new array (freeing its strings) is made, otherwise it is
 *   emptied and reused
 * @line_out: (out) (optional): the 1-based line the record starts on
 * @error: a #GError
 *
 * Reads one record. An empty line is a record of no fields.
 *
 * Returns: %TRUE with a record, %FALSE at the end of data (@error
 *   unset) or on an error (@error set; reading cannot go on)
 */
gboolean
relay_csv_reader_next_row (RelayCsvReader  *self,
                           GPtrArray      **fields_out,
                           guint           *line_out,
                           GError         **error)
{
  const char *data;
  GPtrArray *fields;
  char delimiter;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (fields_out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->pos >= self->length)
    return FALSE;

  if (*fields_out == NULL)
    *fields_out = g_ptr_array_new_with_free_func (g_free);
  fields = *fields_out;
  g_ptr_array_set_size (fields, 0);
  g_string_truncate (self->field, 0);

  data = self->data;
  delimiter = self->delimiter;
  if (line_out != NULL)
    *line_out = self->line;

  if (data[self->pos] == '\r' || data[self->pos] == '\n')
    {
      eat_line_end (self);
      return TRUE;
    }

  for (;;)
    {
      /* At the start of a field. */
      if (self->pos < self->length && data[self->pos] == '"')
        {
          guint quote_line = self->line;

          self->pos++;
          for (;;)
            {
              gsize run = self->pos;

              while (run < self->length && data[run] != '"' && data[run] != '\r' && data[run] != '\n')
                run++;
              g_string_append_len (self->field, data + self->pos, run - self->pos);
              self->pos = run;

              if (self->pos >= self->length)
                {
                  g_set_error (error, RELAY_CSV_ERROR, RELAY_CSV_ERROR_UNTERMINATED,
                               _("Line %u: a quoted field has no closing quote."), quote_line);
                  self->pos = self->length;
                  return FALSE;
                }
              if (data[self->pos] == '"')
                {
                  if (self->pos + 1 < self->length && data[self->pos + 1] == '"')
                    {
                      g_string_append_c (self->field, '"');
                      self->pos += 2;
                      continue;
                    }
                  self->pos++;
                  break;
                }

              /* A line end inside the field, kept as written. */
              g_string_append_c (self->field, data[self->pos]);
              if (data[self->pos] == '\r' && self->pos + 1 < self->length
                  && data[self->pos + 1] == '\n')
                {
                  g_string_append_c (self->field, '\n');
                  self->pos++;
                }
              self->pos++;
              self->line++;
            }

          if (self->pos < self->length && data[self->pos] != delimiter
              && data[self->pos] != '\r' && data[self->pos] != '\n')
            {
              g_set_error (error, RELAY_CSV_ERROR, RELAY_CSV_ERROR_AFTER_QUOTE,
                           _("Line %u: a quoted field goes on after its closing quote: a quote inside a quoted field must be doubled."),
                           self->line);
              self->pos = self->length;
              return FALSE;
            }
        }
      else
        {
          gsize run = self->pos;

          while (run < self->length && data[run] != delimiter && data[run] != '"'
                 && data[run] != '\r' && data[run] != '\n')
            run++;
          g_string_append_len (self->field, data + self->pos, run - self->pos);
          self->pos = run;

          if (self->pos < self->length && data[self->pos] == '"')
            {
              g_set_error (error, RELAY_CSV_ERROR, RELAY_CSV_ERROR_QUOTE,
                           _("Line %u: a field holds a quote but does not start with one: put the whole field in quotes and double the quote."),
                           self->line);
              self->pos = self->length;
              return FALSE;
            }
        }

      push_field (self, fields);

      if (self->pos >= self->length)
        return TRUE;
      if (data[self->pos] == delimiter)
        {
          self->pos++;
          continue;
        }

      eat_line_end (self);
      return TRUE;
    }
}

/**
 * relay_csv_append_field:
 * @out: the text being written
 * @field: (nullable): the field's value (%NULL writes an empty field)
 * @delimiter: the field delimiter
 *
 * Appends one field, after a delimiter unless it starts a record (when
 * @out is empty or ends with a line end), quoted only where it must be.
 * End each record with relay_csv_end_row().
 */
void
relay_csv_append_field (GString    *out,
                        const char *field,
                        char        delimiter)
{
  gboolean first;
  gboolean quote;
  gsize len;

  g_return_if_fail (out != NULL);

  first = out->len == 0 || out->str[out->len - 1] == '\n';
  if (!first)
    g_string_append_c (out, delimiter);

  if (field == NULL)
    field = "";
  len = strlen (field);

  quote = (first && len == 0)
       || (len > 0 && (g_ascii_isspace (field[0]) || g_ascii_isspace (field[len - 1])))
       || g_str_has_prefix (field, "\xEF\xBB\xBF");
  for (const char *p = field; !quote && *p != '\0'; p++)
    quote = *p == delimiter || *p == '"' || *p == '\r' || *p == '\n';

  if (!quote)
    {
      g_string_append_len (out, field, len);
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = field; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/**
 * relay_csv_end_row:
 * @out: the text being written
 *
 * Ends a record (CRLF, as RFC 4180 says).
 */
void
relay_csv_end_row (GString *out)
{
  g_return_if_fail (out != NULL);

  g_string_append (out, "\r\n");
}
