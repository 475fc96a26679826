/* relay-store-outcome.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "relay-nexmo-client.h"
#include "relay-store-message.h"

G_BEGIN_DECLS

void relay_store_message_take_outcome (RelayStoreMessage    *row,
                                       const RelaySmsResult *result);

G_END_DECLS
