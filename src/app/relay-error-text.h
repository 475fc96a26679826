/* relay-error-text.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *relay_error_text                (const GError *error);
gboolean  relay_error_is_cancelled        (const GError *error);
gboolean  relay_error_is_storage_missing  (const GError *error);

G_END_DECLS
