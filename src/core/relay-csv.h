/* relay-csv.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RELAY_CSV_ERROR (relay_csv_error_quark ())

/**
 * RelayCsvError:
 * @RELAY_CSV_ERROR_ENCODING: not UTF-8 (UTF-16, invalid bytes, NUL)
 * @RELAY_CSV_ERROR_QUOTE: a quote inside an unquoted field
 * @RELAY_CSV_ERROR_UNTERMINATED: a quoted field runs to the end of data
 * @RELAY_CSV_ERROR_AFTER_QUOTE: a character other than a delimiter or a
 *   line end after a closing quote
 */
typedef enum
{
  RELAY_CSV_ERROR_ENCODING,
  RELAY_CSV_ERROR_QUOTE,
  RELAY_CSV_ERROR_UNTERMINATED,
  RELAY_CSV_ERROR_AFTER_QUOTE,
} RelayCsvError;

typedef struct _RelayCsvReader RelayCsvReader;

GQuark          relay_csv_error_quark          (void);

RelayCsvReader *relay_csv_reader_new           (const char      *data,
                                                gsize            length,
                                                GError         **error);
void            relay_csv_reader_free          (RelayCsvReader  *self);
char            relay_csv_reader_get_delimiter (RelayCsvReader  *self);
void            relay_csv_reader_set_delimiter (RelayCsvReader  *self,
                                                char             delimiter);
gboolean        relay_csv_reader_next_row      (RelayCsvReader  *self,
                                                GPtrArray      **fields_out,
                                                guint           *line_out,
                                                GError         **error);

void            relay_csv_append_field         (GString         *out,
                                                const char      *field,
                                                char             delimiter);
void            relay_csv_end_row              (GString         *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayCsvReader, relay_csv_reader_free)

G_END_DECLS
