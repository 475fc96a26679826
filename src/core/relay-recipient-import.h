/* relay-recipient-import.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "relay-phone.h"

G_BEGIN_DECLS

#define RELAY_IMPORT_ERROR (relay_import_error_quark ())

/**
 * RelayImportError:
 * @RELAY_IMPORT_ERROR_EMPTY: no row at all
 * @RELAY_IMPORT_ERROR_NO_PHONE_COLUMN: no column holds phone numbers
 * @RELAY_IMPORT_ERROR_UNKNOWN_COLUMN: the phone column asked for is not
 *   a column name of the header
 *
 * Errors of the import as a whole; the CSV and vCard parsers' errors
 * (RELAY_CSV_ERROR, RELAY_VCARD_ERROR) pass through unchanged.
 */
typedef enum
{
  RELAY_IMPORT_ERROR_EMPTY,
  RELAY_IMPORT_ERROR_NO_PHONE_COLUMN,
  RELAY_IMPORT_ERROR_UNKNOWN_COLUMN,
} RelayImportError;

/**
 * RelayImportBlockedFunc:
 * @number: a normalised number (international digits, no '+')
 * @data: the options' @is_blocked_data
 *
 * Returns: whether @number is on the do-not-contact list
 */
typedef gboolean (*RelayImportBlockedFunc) (const char *number,
                                            gpointer    data);

/**
 * RelayImportOptions:
 * @default_country: (nullable): country calling code for national
 *   numbers ("44"), %NULL for none
 * @phone_column: (nullable): header name of the phone column, %NULL to
 *   detect it
 * @is_blocked: (nullable): the do-not-contact predicate
 * @is_blocked_data: its data; must stay valid as long as the import
 *   (relay_import_set_phone_column() asks again)
 *
 * Options of an import, copied by it (except @is_blocked_data).
 * A zeroed struct (or %NULL) means: no default country, detect the
 * column, block nothing.
 */
typedef struct
{
  const char             *default_country;
  const char             *phone_column;
  RelayImportBlockedFunc  is_blocked;
  gpointer                is_blocked_data;
} RelayImportOptions;

/**
 * RelayImportSkipReason:
 * @RELAY_IMPORT_SKIP_INVALID: the phone cell does not normalise
 * @RELAY_IMPORT_SKIP_DUPLICATE: an earlier row has the same number
 * @RELAY_IMPORT_SKIP_BLOCKED: the number is on the do-not-contact list
 * @RELAY_IMPORT_SKIP_MISSING: the row has no phone cell, or it is empty
 */
typedef enum
{
  RELAY_IMPORT_SKIP_INVALID,
  RELAY_IMPORT_SKIP_DUPLICATE,
  RELAY_IMPORT_SKIP_BLOCKED,
  RELAY_IMPORT_SKIP_MISSING,
  RELAY_IMPORT_N_SKIP_REASONS,
} RelayImportSkipReason;

/**
 * RelayImportSkipped:
 * @line: 1-based line where the row starts (for vCard: the TEL's line)
 * @reason: why the row is not sent to
 * @problem: for %RELAY_IMPORT_SKIP_INVALID, what is wrong with the number
 * @duplicate_of: for %RELAY_IMPORT_SKIP_DUPLICATE, the line of the row kept
 * @cell: the phone cell as written ("" when missing)
 * @number: (nullable): the normalised number (duplicate, blocked)
 */
typedef struct
{
  guint                  line;
  RelayImportSkipReason  reason;
  RelayPhoneProblem      problem;
  guint                  duplicate_of;
  const char            *cell;
  const char            *number;
} RelayImportSkipped;

#define RELAY_TYPE_IMPORT (relay_import_get_type ())

G_DECLARE_FINAL_TYPE (RelayImport, relay_import, RELAY, IMPORT, GObject)

GQuark       relay_import_error_quark        (void);

RelayImport *relay_import_new_from_csv       (const char                *data,
                                              gsize                      length,
                                              const RelayImportOptions  *options,
                                              GError                   **error);
RelayImport *relay_import_new_from_vcard     (const char                *data,
                                              gsize                      length,
                                              const RelayImportOptions  *options,
                                              GError                   **error);
RelayImport *relay_import_new_from_text      (const char                *pasted,
                                              gssize                     length,
                                              const RelayImportOptions  *options,
                                              GError                   **error);

guint        relay_import_get_n_columns      (RelayImport  *self);
const char  *relay_import_get_column_name    (RelayImport  *self,
                                              guint         column);
gboolean     relay_import_is_vcard           (const char   *data,
                                              gsize         length);
int          relay_import_find_column        (RelayImport  *self,
                                              const char   *name);
int          relay_import_find_column_key    (RelayImport  *self,
                                              const char   *key);
char        *relay_import_column_key         (const char   *name);
gboolean     relay_import_get_has_header     (RelayImport  *self);
char         relay_import_get_delimiter      (RelayImport  *self);
guint        relay_import_get_phone_column   (RelayImport  *self);
void         relay_import_set_phone_column   (RelayImport  *self,
                                              guint         column);

guint        relay_import_get_n_records      (RelayImport  *self);
guint        relay_import_get_n_rows         (RelayImport  *self);
const char  *relay_import_get_number         (RelayImport  *self,
                                              guint         row);
guint        relay_import_get_line           (RelayImport  *self,
                                              guint         row);
const char  *relay_import_get_field          (RelayImport  *self,
                                              guint         row,
                                              guint         column);

guint                     relay_import_get_n_skipped   (RelayImport           *self);
const RelayImportSkipped *relay_import_get_skipped     (RelayImport           *self,
                                                        guint                  index);
guint                     relay_import_count_skipped   (RelayImport           *self,
                                                        RelayImportSkipReason  reason);
const char               *relay_import_get_skipped_field (RelayImport         *self,
                                                          guint                index,
                                                          guint                column);
char                     *relay_import_skipped_to_string (const RelayImportSkipped *skipped);
const char               *relay_import_skip_reason_to_string (RelayImportSkipReason reason);

G_END_DECLS
