/* relay-message-state.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "relay-amount.h"
#include "relay-nexmo-client.h"
#include "relay-store-message.h"

G_BEGIN_DECLS

const char        *relay_message_state_label       (RelayMessageState  state);
const char        *relay_message_state_icon_name   (RelayMessageState  state);
const char        *relay_message_state_style_class (RelayMessageState  state);
RelayMessageState  relay_message_state_from_sms    (RelaySmsState      state);

char              *relay_message_format_price      (RelayAmount        price,
                                                    const char        *currency);
char              *relay_message_format_price_text (const char        *price,
                                                    const char        *currency);

G_END_DECLS
