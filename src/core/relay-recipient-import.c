/* relay-recipient-import.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Recipients of a bulk send, from a CSV file, vCards or pasted text.
 *
 * Every record's cells are kept, as written, in one string chunk (cell
 * texts NUL-separated, located by 32-bit offsets): 100,000 rows of five
 * columns take a few MiB, not a million small allocations. Records with
 * no cell or only blank cells are ignored (spreadsheets end with
 * ",,,," lines).
 *
 * The phone column is the one named by the options (by its header
 * name, or "column N" for a file without header); otherwise the
 * first-row cell whose name is a phone column's (phone, mobile, tel,
 * Handy, téléphone …, compared without case, accents, spaces or signs)
 * and which is not itself a number; otherwise the column where most
 * values (of the first 1,000 rows) are numbers. The first row is a
 * header when its phone cell is not a number; without one, the columns
 * are named "column 1", "column 2" …
 *
 * Validation in file order: a row without a phone cell is skipped as
 * missing, one whose number does not normalise as invalid, one on the
 * do-not-contact list as blocked; of the rows left, a number seen in an
 * earlier row is skipped as a duplicate of that row's line.
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "relay-csv.h"
#include "relay-recipient-import.h"
#include "relay-recipient-list.h"
#include "relay-vcard.h"

#define DETECT_SAMPLE 1000

typedef struct
{
  guint line;
  guint first_cell;
  guint n_cells;
} Record;

typedef struct
{
  guint record;
  guint number;   /* offset in numbers */
} Row;

typedef struct
{
  guint                 record;
  RelayImportSkipReason reason;
  RelayPhoneProblem     problem;
  guint                 duplicate_of;
  guint                 number;   /* offset in numbers, G_MAXUINT for none */
} Skip;

struct _RelayImport
{
  GObject                 parent_instance;

  /* options */
  char                   *default_country;
  RelayImportBlockedFunc  is_blocked;
  gpointer                is_blocked_data;

  /* the records, as written */
  GString                *chunk;
  GArray                 *offsets;     /* guint32 per cell */
  GArray                 *records;     /* Record, without the header */
  GPtrArray              *column_names;
  GPtrArray              *column_keys;   /* the names as relay_import_column_key() makes them */
  gboolean                has_header;
  char                    delimiter;
  guint                   n_columns;

  /* validation */
  guint                   phone_column;
  GString                *numbers;
  GArray                 *rows;        /* Row */
  GArray                 *skips;       /* Skip */
  GArray                 *skipped;     /* RelayImportSkipped, pointing into the above */
  guint                   counts[RELAY_IMPORT_N_SKIP_REASONS];
};

G_DEFINE_FINAL_TYPE (RelayImport, relay_import, G_TYPE_OBJECT)

G_DEFINE_QUARK (relay-import-error-quark, relay_import_error)

static void
relay_import_finalize (GObject *object)
{
  RelayImport *self = (RelayImport *) object;

  g_free (self->default_country);
  g_string_free (self->chunk, TRUE);
  g_array_unref (self->offsets);
  g_array_unref (self->records);
  g_ptr_array_unref (self->column_names);
  g_ptr_array_unref (self->column_keys);
  g_string_free (self->numbers, TRUE);
  g_array_unref (self->rows);
  g_array_unref (self->skips);
  g_array_unref (self->skipped);

  G_OBJECT_CLASS (relay_import_parent_class)->finalize (object);
}

static void
relay_import_class_init (RelayImportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = relay_import_finalize;
}

static void
relay_import_init (RelayImport *self)
{
  self->chunk = g_string_sized_new (4096);
  self->offsets = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->records = g_array_new (FALSE, FALSE, sizeof (Record));
  self->column_names = g_ptr_array_new_with_free_func (g_free);
  self->column_keys = g_ptr_array_new_with_free_func (g_free);
  self->numbers = g_string_new (NULL);
  self->rows = g_array_new (FALSE, FALSE, sizeof (Row));
  self->skips = g_array_new (FALSE, FALSE, sizeof (Skip));
  self->skipped = g_array_new (FALSE, FALSE, sizeof (RelayImportSkipped));
  self->delimiter = ',';
}

static RelayImport *
import_new (const RelayImportOptions *options)
{
  RelayImport *self = g_object_new (RELAY_TYPE_IMPORT, NULL);

  if (options != NULL)
    {
      if (options->default_country != NULL && *options->default_country != '\0')
        self->default_country = g_strdup (options->default_country);
      self->is_blocked = options->is_blocked;
      self->is_blocked_data = options->is_blocked_data;
    }

  return self;
}

static const char *
cell (RelayImport  *self,
      const Record *record,
      guint         column)
{
  if (column >= record->n_cells)
    return NULL;

  return self->chunk->str + g_array_index (self->offsets, guint32, record->first_cell + column);
}

static gboolean
is_blank (const char *text)
{
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

/* Adds a record of @fields unless all are blank. */
static void
add_record (RelayImport       *self,
            const char *const *fields,
            guint              n_fields,
            guint              line)
{
  Record record = { line, self->offsets->len, n_fields };
  gboolean blank = TRUE;

  for (guint i = 0; i < n_fields && blank; i++)
    blank = is_blank (fields[i]);
  if (blank)
    return;

  for (guint i = 0; i < n_fields; i++)
    {
      guint32 offset = self->chunk->len;

      g_array_append_val (self->offsets, offset);
      g_string_append_len (self->chunk, fields[i], strlen (fields[i]) + 1);
    }
  g_array_append_val (self->records, record);
  self->n_columns = MAX (self->n_columns, n_fields);
}

/* A header name made comparable: lower case, no accents, letters and
 * digits only. */
static char *
fold_name (const char *name)
{
  g_autofree char *decomposed = g_utf8_normalize (name, -1, G_NORMALIZE_NFD);
  g_autofree char *lower = NULL;
  GString *out = g_string_new (NULL);

  if (decomposed == NULL)
    return g_string_free (out, FALSE);
  lower = g_utf8_casefold (decomposed, -1);
  for (const char *p = lower; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/**
 * relay_import_column_key:
 * @name: a column name, a template's placeholder or --column
 *
 * Returns: (transfer full): @name as columns are compared: case
 *   folded, white space around it dropped
 */
char *
relay_import_column_key (const char *name)
{
  g_autofree char *trimmed = g_strstrip (g_utf8_make_valid (name, -1));

  return g_utf8_casefold (trimmed, -1);
}

static gboolean
is_phone_header (const char *name)
{
  static const char *const names[] = {
    "phone", "phonenumber", "phoneno", "mobile", "mobilephone", "mobilenumber",
    "mobileno", "cell", "cellphone", "cellular", "tel", "telephone",
    "telephonenumber", "telno", "number", "msisdn", "to", "recipient",
    "sms", "handy", "handynummer", "mobil", "mobilnummer", "telefon",
    "telefonnummer", "rufnummer", "portable", "movil", "celular", "telefono",
    "cellulare", "numero", "gsm", "e164",
  };
  g_autofree char *folded = fold_name (name);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (strcmp (folded, names[i]) == 0)
      return TRUE;

  return FALSE;
}

static gboolean
normalises (RelayImport *self,
            const char  *text)
{
  g_autofree char *number = NULL;

  if (text == NULL || is_blank (text))
    return FALSE;
  number = relay_phone_normalize (text, self->default_country, NULL);
  return number != NULL;
}

/* For finding the phone column by its values: without a default country
 * a number written with '+' or 00 counts first, so a column of long
 * numeric ids (customer numbers, dates as digits) is not taken for the
 * phone numbers while a column written the international way exists. */
static gboolean
written_international (const char *text)
{
  while (*text == ' ' || *text == '\t')
    text++;

  return *text == '+' || g_str_has_prefix (text, "00");
}

/* Detects (or finds) the phone column and the header, and names the
 * columns. */
static gboolean
find_columns (RelayImport  *self,
              const char   *wanted,
              GError      **error)
{
  const Record *first;
  guint n_records = self->records->len;
  gboolean found = FALSE;

  if (n_records == 0)
    {
      g_set_error (error, RELAY_IMPORT_ERROR, RELAY_IMPORT_ERROR_EMPTY,
                   _("The file holds no recipients."));
      return FALSE;
    }
  first = &g_array_index (self->records, Record, 0);

  if (wanted != NULL)
    {
      g_autofree char *key = relay_import_column_key (wanted);

      for (guint c = 0; c < first->n_cells && !found; c++)
        {
          g_autofree char *name = relay_import_column_key (cell (self, first, c));

          if (strcmp (name, key) == 0)
            {
              self->phone_column = c;
              self->has_header = TRUE;
              found = TRUE;
            }
        }
      /* "column 2" names a column of a file without header. */
      if (!found && g_str_has_prefix (key, "column"))
        {
          const char *digits = key + strlen ("column");
          guint64 n = 0;

          while (*digits == ' ')
            digits++;
          if (g_ascii_string_to_unsigned (digits, 10, 1, self->n_columns, &n, NULL))
            {
              self->phone_column = (guint) n - 1;
              self->has_header = FALSE;
              found = TRUE;
            }
        }
      if (!found)
        {
          g_set_error (error, RELAY_IMPORT_ERROR, RELAY_IMPORT_ERROR_UNKNOWN_COLUMN,
                       _("The first row names no column “%s”."), wanted);
          return FALSE;
        }
    }

  for (guint c = 0; c < first->n_cells && !found; c++)
    {
      const char *name = cell (self, first, c);

      if (is_phone_header (name) && !normalises (self, name))
        {
          self->phone_column = c;
          self->has_header = TRUE;
          found = TRUE;
        }
    }

  if (!found)
    {
      g_autofree guint *counts = g_new0 (guint, MAX (self->n_columns, 1));
      guint best = 0;

      for (guint pass = 0; pass < 2 && counts[best] == 0; pass++)
        {
          /* First pass without a default country: only numbers written
           * with '+' or 00; then any that normalise. */
          gboolean strict = pass == 0 && self->default_country == NULL;

          for (guint r = 0; r < MIN (n_records, DETECT_SAMPLE); r++)
            {
              const Record *record = &g_array_index (self->records, Record, r);

              for (guint c = 0; c < record->n_cells; c++)
                {
                  const char *text = cell (self, record, c);

                  if ((!strict || (text != NULL && written_international (text)))
                      && normalises (self, text))
                    counts[c]++;
                }
            }
          for (guint c = 1; c < self->n_columns; c++)
            if (counts[c] > counts[best])
              best = c;
        }
      if (counts[best] == 0)
        {
          g_set_error (error, RELAY_IMPORT_ERROR, RELAY_IMPORT_ERROR_NO_PHONE_COLUMN,
                       self->default_country == NULL
                       ? _("No column holds phone numbers. National numbers need a default country code.")
                       : _("No column holds phone numbers."));
          return FALSE;
        }
      self->phone_column = best;
      self->has_header = cell (self, first, best) != NULL
                         && !is_blank (cell (self, first, best))
                         && !normalises (self, cell (self, first, best));
    }

  for (guint c = 0; c < self->n_columns; c++)
    {
      const char *name = self->has_header ? cell (self, first, c) : NULL;

      if (name != NULL && !is_blank (name))
        g_ptr_array_add (self->column_names, g_strstrip (g_strdup (name)));
      else
        g_ptr_array_add (self->column_names, g_strdup_printf ("column %u", c + 1));
    }

  if (self->has_header)
    g_array_remove_index (self->records, 0);
  if (self->records->len == 0)
    {
      g_set_error (error, RELAY_IMPORT_ERROR, RELAY_IMPORT_ERROR_EMPTY,
                   _("The file holds no recipients."));
      return FALSE;
    }

  return TRUE;
}

typedef struct
{
  guint64 number;
  guint   record;
} Candidate;

static int
compare_candidates (const void *a,
                    const void *b)
{
  const Candidate *x = a, *y = b;

  if (x->number != y->number)
    return x->number < y->number ? -1 : 1;
  return x->record < y->record ? -1 : x->record > y->record;
}

static guint
append_number (RelayImport *self,
               guint64      number)
{
  guint offset = self->numbers->len;

  g_string_append_printf (self->numbers, "%" G_GUINT64_FORMAT, number);
  g_string_append_c (self->numbers, '\0');
  return offset;
}

/* Validates every record against the phone column. */
static void
validate (RelayImport *self)
{
  guint n = self->records->len;
  g_autofree guint64 *numbers = g_new0 (guint64, MAX (n, 1));
  g_autofree guint *state = g_new0 (guint, MAX (n, 1));   /* 0 ok, else reason + 1 */
  g_autofree guint *extra = g_new0 (guint, MAX (n, 1));   /* problem or first record */
  g_autoptr(GArray) candidates = g_array_sized_new (FALSE, FALSE, sizeof (Candidate), n);

  /* The names are final now; once compared keys, they never change
   * (a template on another thread reads them). */
  if (self->column_keys->len != self->column_names->len)
    for (guint c = self->column_keys->len; c < self->column_names->len; c++)
      g_ptr_array_add (self->column_keys, relay_import_column_key (g_ptr_array_index (self->column_names, c)));

  g_string_truncate (self->numbers, 0);
  g_array_set_size (self->rows, 0);
  g_array_set_size (self->skips, 0);
  g_array_set_size (self->skipped, 0);
  memset (self->counts, 0, sizeof self->counts);

  for (guint r = 0; r < n; r++)
    {
      const Record *record = &g_array_index (self->records, Record, r);
      const char *text = cell (self, record, self->phone_column);
      RelayPhoneProblem problem;
      g_autofree char *number = NULL;

      if (text == NULL || is_blank (text))
        {
          state[r] = RELAY_IMPORT_SKIP_MISSING + 1;
          continue;
        }
      number = relay_phone_normalize (text, self->default_country, &problem);
      if (number == NULL)
        {
          state[r] = RELAY_IMPORT_SKIP_INVALID + 1;
          extra[r] = problem;
          continue;
        }
      numbers[r] = g_ascii_strtoull (number, NULL, 10);
      if (self->is_blocked != NULL && self->is_blocked (number, self->is_blocked_data))
        {
          state[r] = RELAY_IMPORT_SKIP_BLOCKED + 1;
          continue;
        }
      g_array_append_val (candidates, ((Candidate) { numbers[r], r }));
    }

  /* Numbers never start with 0, so digits and integers match one to
   * one: duplicates are equal neighbours once sorted. */
  qsort (candidates->data, candidates->len, sizeof (Candidate), compare_candidates);
  for (guint i = 1; i < candidates->len; i++)
    {
      const Candidate *prev = &g_array_index (candidates, Candidate, i - 1);
      const Candidate *c = &g_array_index (candidates, Candidate, i);

      if (c->number == prev->number)
        {
          state[c->record] = RELAY_IMPORT_SKIP_DUPLICATE + 1;
          extra[c->record] = state[prev->record] == 0 ? prev->record : extra[prev->record];
        }
    }

  for (guint r = 0; r < n; r++)
    {
      if (state[r] == 0)
        {
          Row row = { r, append_number (self, numbers[r]) };

          g_array_append_val (self->rows, row);
        }
      else
        {
          Skip skip = { r, state[r] - 1, RELAY_PHONE_OK, 0, G_MAXUINT };

          if (skip.reason == RELAY_IMPORT_SKIP_INVALID)
            skip.problem = extra[r];
          if (skip.reason == RELAY_IMPORT_SKIP_DUPLICATE)
            skip.duplicate_of = g_array_index (self->records, Record, extra[r]).line;
          if (skip.reason == RELAY_IMPORT_SKIP_DUPLICATE || skip.reason == RELAY_IMPORT_SKIP_BLOCKED)
            skip.number = append_number (self, numbers[r]);
          g_array_append_val (self->skips, skip);
          self->counts[skip.reason]++;
        }
    }

  /* The numbers are written: pointers into them are stable now. */
  g_array_set_size (self->skipped, self->skips->len);
  for (guint i = 0; i < self->skips->len; i++)
    {
      const Skip *skip = &g_array_index (self->skips, Skip, i);
      const Record *record = &g_array_index (self->records, Record, skip->record);
      RelayImportSkipped *out = &g_array_index (self->skipped, RelayImportSkipped, i);
      const char *text = cell (self, record, self->phone_column);

      out->line = record->line;
      out->reason = skip->reason;
      out->problem = skip->problem;
      out->duplicate_of = skip->duplicate_of;
      out->cell = text != NULL ? text : "";
      out->number = skip->number != G_MAXUINT ? self->numbers->str + skip->number : NULL;
    }
}

static RelayImport *
finish (RelayImport               *self,
        const RelayImportOptions  *options,
        GError                   **error)
{
  if (!find_columns (self, options != NULL ? options->phone_column : NULL, error))
    {
      g_object_unref (self);
      return NULL;
    }
  validate (self);
  return self;
}

static RelayImport *
import_csv (const char                *data,
            gsize                      length,
            char                       delimiter,
            const RelayImportOptions  *options,
            GError                   **error)
{
  g_autoptr(RelayCsvReader) reader = relay_csv_reader_new (data, length, error);
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GError) local_error = NULL;
  RelayImport *self;
  guint line;

  if (reader == NULL)
    return NULL;
  if (delimiter != '\0')
    relay_csv_reader_set_delimiter (reader, delimiter);

  self = import_new (options);
  self->delimiter = relay_csv_reader_get_delimiter (reader);

  /* Room for the cells (never more bytes than the file) and a guess at
   * the cells and records, instead of growing them step by step. */
  g_string_free (self->chunk, TRUE);
  self->chunk = g_string_sized_new (length + 1);
  g_array_unref (self->offsets);
  self->offsets = g_array_sized_new (FALSE, FALSE, sizeof (guint32), (guint) MIN (length / 8 + 16, G_MAXUINT / 2));
  g_array_unref (self->records);
  self->records = g_array_sized_new (FALSE, FALSE, sizeof (Record), (guint) MIN (length / 40 + 16, G_MAXUINT / 2));
  while (relay_csv_reader_next_row (reader, &fields, &line, &local_error))
    add_record (self, (const char *const *) fields->pdata, fields->len, line);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      g_object_unref (self);
      return NULL;
    }

  return finish (self, options, error);
}

/**
 * relay_import_new_from_csv:
 * @data: the file's bytes
 * @length: their length
 * @options: (nullable): the options
 * @error: a #GError
 *
 * Returns: (transfer full) (nullable): the import, or %NULL with @error
 */
RelayImport *
relay_import_new_from_csv (const char                *data,
                           gsize                      length,
                           const RelayImportOptions  *options,
                           GError                   **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return import_csv (data, length, '\0', options, error);
}

/**
 * relay_import_new_from_vcard:
 * @data: the file's bytes
 * @length: their length
 * @options: (nullable): the options (a phone column other than "phone"
 *   is an error)
 * @error: a #GError
 *
 * Each telephone number of each card is a row with the columns "name",
 * "phone" and "type"; a card without one is a row missing its phone.
 *
 * Returns: (transfer full) (nullable): the import, or %NULL with @error
 */
RelayImport *
relay_import_new_from_vcard (const char                *data,
                             gsize                      length,
                             const RelayImportOptions  *options,
                             GError                   **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  RelayImport *self;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  entries = relay_vcard_parse (data, length, error);
  if (entries == NULL)
    return NULL;

  self = import_new (options);
  if (options != NULL && options->phone_column != NULL
      && g_ascii_strcasecmp (options->phone_column, "phone") != 0)
    {
      g_set_error (error, RELAY_IMPORT_ERROR, RELAY_IMPORT_ERROR_UNKNOWN_COLUMN,
                   _("vCards have no column “%s”: their columns are name, phone and type."),
                   options->phone_column);
      g_object_unref (self);
      return NULL;
    }

  for (guint i = 0; i < entries->len; i++)
    {
      const RelayVcardEntry *entry = g_ptr_array_index (entries, i);
      const char *fields[3] = {
        entry->name != NULL ? entry->name : "",
        entry->tel != NULL ? entry->tel : "",
        entry->type != NULL ? entry->type : "",
      };
      Record record = { entry->line, self->offsets->len, 3 };

      /* Every entry is a row, even a card without name or number. */
      for (guint f = 0; f < 3; f++)
        {
          guint32 offset = self->chunk->len;

          g_array_append_val (self->offsets, offset);
          g_string_append_len (self->chunk, fields[f], strlen (fields[f]) + 1);
        }
      g_array_append_val (self->records, record);
    }

  self->n_columns = 3;
  self->phone_column = 1;
  g_ptr_array_add (self->column_names, g_strdup ("name"));
  g_ptr_array_add (self->column_names, g_strdup ("phone"));
  g_ptr_array_add (self->column_names, g_strdup ("type"));
  validate (self);

  return self;
}

/**
 * relay_import_new_from_text:
 * @pasted: pasted text
 * @length: its length, or -1 when NUL-terminated
 * @options: (nullable): the options
 * @error: a #GError
 *
 * Text with a tab is a block copied from a spreadsheet: tab-separated
 * rows, read like a CSV file. Other text is a list of numbers, split
 * into cells the way the To field reads it (relay_recipient_list_split():
 * separated by line ends, ',' or ';', maybe quoted) — each one a row of
 * one column, the first maybe a header ("Mobile").
 *
 * Returns: (transfer full) (nullable): the import, or %NULL with @error
 */
RelayImport *
relay_import_new_from_text (const char                *pasted,
                            gssize                     length,
                            const RelayImportOptions  *options,
                            GError                   **error)
{
  g_autoptr(RelayCsvReader) check = NULL;
  g_autoptr(GPtrArray) cells = NULL;
  g_autofree char *text = NULL;
  gsize len;
  RelayImport *self;

  g_return_val_if_fail (pasted != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  len = length >= 0 ? (gsize) length : strlen (pasted);
  if (memchr (pasted, '\t', len) != NULL)
    return import_csv (pasted, len, '\t', options, error);

  /* Checks the encoding the way the CSV reader does: UTF-8 with no NUL
   * byte, so the text is whole as a string. */
  check = relay_csv_reader_new (pasted, len, error);
  if (check == NULL)
    return NULL;

  text = g_strndup (pasted, len);
  cells = relay_recipient_list_split (text);
  self = import_new (options);
  for (guint i = 0; i < cells->len; i++)
    {
      const RelayRecipientCell *pasted_cell = g_ptr_array_index (cells, i);
      const char *fields[1] = { pasted_cell->text };

      add_record (self, fields, 1, pasted_cell->line);
    }

  return finish (self, options, error);
}

guint
relay_import_get_n_columns (RelayImport *self)
{
  g_return_val_if_fail (RELAY_IS_IMPORT (self), 0);

  return self->n_columns;
}

/**
 * relay_import_get_column_name:
 * @self: an import
 * @column: a column, below relay_import_get_n_columns()
 *
 * Returns: the header's name of @column (trimmed), or "column N" (from 1)
 */
const char *
relay_import_get_column_name (RelayImport *self,
                              guint        column)
{
  g_return_val_if_fail (RELAY_IS_IMPORT (self), NULL);
  g_return_val_if_fail (column < self->n_columns, NULL);

  return g_ptr_array_index (self->column_names, column);
}

/**
 * relay_import_is_vcard:
 * @data: a file's bytes
 * @length: their length
 *
 * Returns: whether @data reads as a vCard address book: BEGIN:VCARD after
 *   an optional UTF-8 BOM and white space
 */
gboolean
relay_import_is_vcard (const char *data,
                       gsize       length)
{
  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    data += 3, length -= 3;
  while (length > 0 && g_ascii_isspace (*data))
    data++, length--;

  return length >= 11 && g_ascii_strncasecmp (data, "BEGIN:VCARD", 11) == 0;
}

/**
 * relay_import_find_column:
 * @self: an import
 * @name: a column name
 *
 * Compares without case, white space around ignored. The first of
 * equal names wins.
 *
 * Returns: the column named @name, or -1
 */
int
relay_import_find_column (RelayImport *self,
                          const char  *name)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (RELAY_IS_IMPORT (self), -1);
  g_return_val_if_fail (name != NULL, -1);

  key = relay_import_column_key (name);

  return relay_import_find_column_key (self, key);
}

/**
 * relay_import_find_column_key:
 * @self: an import
 * @key: a name as relay_import_column_key() gives it
 *
 * As relay_import_find_column(), for a name compared many times (a
 * template's placeholder over every row): no allocation.
 *
 * Returns: the column whose name has @key, or -1
 */
int
relay_import_find_column_key (RelayImport *self,
                              const char  *key)
{
  g_return_val_if_fail (RELAY_IS_IMPORT (self), -1);
  g_return_val_if_fail (key != NULL, -1);

  for (guint c = 0; c < self->column_keys->len; c++)
    if (strcmp (g_ptr_array_index (self->column_keys, c), key) == 0)
      return (int) c;

  return -1;
}

gboolean
relay_import_get_has_header (RelayImport *self)
{
  g_return_val_if_fail (RELAY_IS_IMPORT (self), FALSE);

  return self->has_header;
}

/**
 * relay_import_get_delimiter:
 * @self: an import
 *
 * Returns: the CSV delimiter read (',' for vCards and lists)
 */
char
relay_import_get_delimiter (RelayImport *self)
{
  g_return_val_if_fail (RELAY_IS_IMPORT (self), ',');

  return self->delimiter;
}

guint
relay_import_get_phone_column (RelayImport *self)
{
  g_return_val_if_fail (RELAY_IS_IMPORT (self), 0);

  return self->phone_column;
}

/**
 * relay_import_set_phone_column:
 * @self: an import
 * @column: the column holding the numbers
 *
 * Validates every row again with @column. The header stays as it was
 * detected.
 */
void
relay_import_set_phone_column (RelayImport *self,
                               guint        column)
{
  g_return_if_fail (RELAY_IS_IMPORT (self));
  g_return_if_fail (column < self->n_columns);

  self->phone_column = column;
  validate (self);
}

/**
 * relay_import_get_n_records:
 * @self: an import
 *
 * Returns: data rows read (sendable and skipped, without the header)
 */
guint
relay_import_get_n_records (RelayImport *self)
{
  g_return_val_if_fail (RELAY_IS_IMPORT (self), 0);

  return self->records->len;
}

/**
 * relay_import_get_n_rows:
 * @self: an import
 *
 * Returns: rows to send to: valid, not duplicated, not blocked
 */
guint
relay_import_get_n_rows (RelayImport *self)
{
  g_return_val_if_fail (RELAY_IS_IMPORT (self), 0);

  return self->rows->len;
}

/**
 * relay_import_get_number:
 * @self: an import
 * @row: a row, below relay_import_get_n_rows()
 *
 * Returns: the row's number, international digits without '+'
 */
const char *
relay_import_get_number (RelayImport *self,
                         guint        row)
{
  g_return_val_if_fail (RELAY_IS_IMPORT (self), NULL);
  g_return_val_if_fail (row < self->rows->len, NULL);

  return self->numbers->str + g_array_index (self->rows, Row, row).number;
}

/**
 * relay_import_get_line:
 * @self: an import
 * @row: a row, below relay_import_get_n_rows()
 *
 * Returns: the 1-based line of the file where the row starts
 */
guint
relay_import_get_line (RelayImport *self,
                       guint        row)
{
  g_return_val_if_fail (RELAY_IS_IMPORT (self), 0);
  g_return_val_if_fail (row < self->rows->len, 0);

  return g_array_index (self->records, Record, g_array_index (self->rows, Row, row).record).line;
}

/**
 * relay_import_get_field:
 * @self: an import
 * @row: a row, below relay_import_get_n_rows()
 * @column: a column, below relay_import_get_n_columns()
 *
 * Returns: the row's cell as written, "" when the row is shorter
 */
const char *
relay_import_get_field (RelayImport *self,
                        guint        row,
                        guint        column)
{
  const Record *record;
  const char *text;

  g_return_val_if_fail (RELAY_IS_IMPORT (self), NULL);
  g_return_val_if_fail (row < self->rows->len, NULL);
  g_return_val_if_fail (column < self->n_columns, NULL);

  record = &g_array_index (self->records, Record, g_array_index (self->rows, Row, row).record);
  text = cell (self, record, column);
  return text != NULL ? text : "";
}

guint
relay_import_get_n_skipped (RelayImport *self)
{
  g_return_val_if_fail (RELAY_IS_IMPORT (self), 0);

  return self->skipped->len;
}

/**
 * relay_import_get_skipped:
 * @self: an import
 * @index: below relay_import_get_n_skipped()
 *
 * Returns: (transfer none): a skipped row, in file order; valid until
 *   the phone column changes
 */
const RelayImportSkipped *
relay_import_get_skipped (RelayImport *self,
                          guint        index)
{
  g_return_val_if_fail (RELAY_IS_IMPORT (self), NULL);
  g_return_val_if_fail (index < self->skipped->len, NULL);

  return &g_array_index (self->skipped, RelayImportSkipped, index);
}

/**
 * relay_import_get_skipped_field:
 * @self: an import
 * @index: below relay_import_get_n_skipped()
 * @column: a column, below relay_import_get_n_columns()
 *
 * Returns: the skipped row's cell as written, "" when the row is shorter
 *   (for results that list every row with its original columns)
 */
const char *
relay_import_get_skipped_field (RelayImport *self,
                                guint        index,
                                guint        column)
{
  const Record *record;
  const char *text;

  g_return_val_if_fail (RELAY_IS_IMPORT (self), NULL);
  g_return_val_if_fail (index < self->skips->len, NULL);
  g_return_val_if_fail (column < self->n_columns, NULL);

  record = &g_array_index (self->records, Record, g_array_index (self->skips, Skip, index).record);
  text = cell (self, record, column);
  return text != NULL ? text : "";
}

guint
relay_import_count_skipped (RelayImport           *self,
                            RelayImportSkipReason  reason)
{
  g_return_val_if_fail (RELAY_IS_IMPORT (self), 0);
  g_return_val_if_fail (reason < RELAY_IMPORT_N_SKIP_REASONS, 0);

  return self->counts[reason];
}

/**
 * relay_import_skip_reason_to_string:
 * @reason: a reason
 *
 * Returns: a short label, such as "duplicate" (not translated: the CLI's
 *   JSON and CSV use it)
 */
const char *
relay_import_skip_reason_to_string (RelayImportSkipReason reason)
{
  switch (reason)
    {
    case RELAY_IMPORT_SKIP_INVALID:
      return "invalid";
    case RELAY_IMPORT_SKIP_DUPLICATE:
      return "duplicate";
    case RELAY_IMPORT_SKIP_BLOCKED:
      return "blocked";
    case RELAY_IMPORT_SKIP_MISSING:
      return "missing";
    case RELAY_IMPORT_N_SKIP_REASONS:
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * relay_import_skipped_to_string:
 * @skipped: a skipped row
 *
 * Returns: (transfer full): a sentence saying why the row is not sent
 *   to, without its line ("Duplicate of line 4.")
 */
char *
relay_import_skipped_to_string (const RelayImportSkipped *skipped)
{
  g_return_val_if_fail (skipped != NULL, NULL);

  switch (skipped->reason)
    {
    case RELAY_IMPORT_SKIP_INVALID:
      return g_strdup (relay_phone_problem_to_string (skipped->problem));
    case RELAY_IMPORT_SKIP_DUPLICATE:
      return g_strdup_printf (_("The number is a duplicate of line %u."), skipped->duplicate_of);
    case RELAY_IMPORT_SKIP_BLOCKED:
      return g_strdup (_("The number is on the do-not-contact list."));
    case RELAY_IMPORT_SKIP_MISSING:
      return g_strdup (_("The row has no phone number."));
    case RELAY_IMPORT_N_SKIP_REASONS:
    default:
      g_return_val_if_reached (NULL);
    }
}
