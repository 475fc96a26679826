/* relay-to-field.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The send page's To field: a text view of phone numbers in a card. */

#define RELAY_TO_FIELD_NUMBER_TAG "relay-number"

void  relay_to_field_setup      (GtkTextView *view);
void  relay_to_field_set_error  (GtkTextView *view,
                                 GtkWidget   *label,
                                 gboolean     error);

G_END_DECLS
