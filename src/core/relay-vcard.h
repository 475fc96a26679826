/* relay-vcard.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RELAY_VCARD_ERROR (relay_vcard_error_quark ())

/**
 * RelayVcardError:
 * @RELAY_VCARD_ERROR_ENCODING: not UTF-8
 * @RELAY_VCARD_ERROR_SYNTAX: a line that is no property, a BEGIN:VCARD
 *   without END:VCARD or the other way round, a property outside a card
 * @RELAY_VCARD_ERROR_EMPTY: no card at all
 */
typedef enum
{
  RELAY_VCARD_ERROR_ENCODING,
  RELAY_VCARD_ERROR_SYNTAX,
  RELAY_VCARD_ERROR_EMPTY,
} RelayVcardError;

/**
 * RelayVcardEntry:
 * @name: FN, else N made readable ("Given Family"), else %NULL
 * @tel: (nullable): the telephone number as written (a tel: URI's
 *   number without "tel:"), %NULL for a card without TEL
 * @type: (nullable): the TEL's TYPE parameters, lower case, comma-joined
 * @line: the 1-based line where the TEL property starts (the card's
 *   BEGIN line for a card without TEL)
 *
 * One telephone number of a card: a card with three TELs gives three
 * entries with the same name, a card with none gives one with @tel %NULL.
 */
typedef struct
{
  char  *name;
  char  *tel;
  char  *type;
  guint  line;
} RelayVcardEntry;

GQuark     relay_vcard_error_quark (void);

GPtrArray *relay_vcard_parse       (const char  *data,
                                    gsize        length,
                                    GError     **error);
void       relay_vcard_entry_free  (RelayVcardEntry *entry);
char      *relay_vcard_write       (GPtrArray   *entries);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayVcardEntry, relay_vcard_entry_free)

G_END_DECLS
