/* relay-recipient-list.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * RelayRecipientCell:
 * @text: the cell as written, without blank space around it or the
 *   quotes of a quoted cell
 * @line: the line it starts on, from 1
 */
typedef struct
{
  char  *text;
  guint  line;
} RelayRecipientCell;

/**
 * RelayRecipientList:
 * @numbers: the valid numbers as digits only, each once, in the order
 *   given
 * @invalid: (element-type RelayRecipientCell): every cell that is not a
 *   phone number, in the order given
 * @heading: (nullable): a column heading ("Phone") that was skipped
 * @n_lines: the lines that have a cell
 *
 * The To field's text read the way a person pastes it: one number per
 * line or a column or row copied from a spreadsheet (cells separated by
 * new lines, tabs, commas or semicolons; CRLF line ends; quoted cells;
 * empty cells ignored: see relay_recipient_list_split()).
 */
typedef struct
{
  GStrv      numbers;
  GPtrArray *invalid;
  RelayRecipientCell *heading;
  guint      n_lines;
} RelayRecipientList;

GPtrArray          *relay_recipient_list_split      (const char         *text);
RelayRecipientList *relay_recipient_list_parse      (const char         *text);
void                relay_recipient_list_free       (RelayRecipientList *list);
gboolean            relay_recipient_is_number       (const char         *cell,
                                                     GString            *digits);
gboolean            relay_recipient_is_number_char  (gunichar            c);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayRecipientList, relay_recipient_list_free)

G_END_DECLS
