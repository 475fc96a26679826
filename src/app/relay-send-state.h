/* relay-send-state.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "relay-nexmo-client.h"

G_BEGIN_DECLS

/* Pure "model → view state" helpers of the send page: no widgets, so
 * tests can call them without a display. Every returned sentence is
 * translated and meant for the user. */

char      *relay_send_state_check_sender      (const char           *from);
char      *relay_send_state_check_text        (const char           *text);
GStrv      relay_send_state_parse_recipients  (const char           *text,
                                               char                **problem);
GStrv      relay_send_state_check_recipients  (const char           *text,
                                               char                **problem,
                                               char                **note);
char      *relay_send_state_format_counter    (const char           *text);
char      *relay_send_state_format_balance    (double                value);
char      *relay_send_state_format_summary    (GPtrArray            *results,
                                               guint                 total);

G_END_DECLS
