/* relay-nexmo-settings.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "relay-account.h"

G_BEGIN_DECLS

/**
 * RelayAccountSettings:
 * @max_outbound_request: messages per second the account may send
 * @max_inbound_request: inbound messages per second, 0 when not given
 * @max_calls_per_second: calls per second, 0 when not given
 *
 * What `POST /account/settings` (with an empty body: nothing changed)
 * answers about the account's limits.
 */
typedef struct
{
  guint max_outbound_request;
  guint max_inbound_request;
  guint max_calls_per_second;
} RelayAccountSettings;

/* More than this is no real account's limit: treated as malformed. */
#define RELAY_NEXMO_MAX_ACCOUNT_RATE 10000

gboolean relay_nexmo_parse_settings        (const char            *json,
                                            gssize                 len,
                                            RelayAccountSettings  *settings,
                                            GError               **error);

void     relay_nexmo_settings_fetch_async  (SoupSession           *session,
                                            RelayAccount          *account,
                                            GCancellable          *cancellable,
                                            GAsyncReadyCallback    callback,
                                            gpointer               user_data);
gboolean relay_nexmo_settings_fetch_finish (GAsyncResult          *result,
                                            RelayAccountSettings  *settings,
                                            GError               **error);

G_END_DECLS
