/* relay-nexmo-signed.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "relay-account.h"

G_BEGIN_DECLS

/* A signed account's clock is corrected once its answer shows the
 * provider's clock this far (seconds) from the one that signed. */
#define RELAY_NEXMO_SIGNED_SKEW 60

SoupMessage *relay_nexmo_signed_message_new (RelayAccount  *account,
                                             const char    *method,
                                             const char    *uri,
                                             GPtrArray     *params,
                                             gint64         timestamp,
                                             GError       **error);
gboolean     relay_nexmo_signed_skew        (RelayAccount  *account,
                                             SoupMessage   *answer,
                                             gint64         local_now,
                                             gint64        *offset);

G_END_DECLS
