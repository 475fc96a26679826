/* relay-sign-in.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "relay-account.h"

G_BEGIN_DECLS

#define RELAY_TYPE_SIGN_IN (relay_sign_in_get_type ())

G_DECLARE_FINAL_TYPE (RelaySignIn, relay_sign_in, RELAY, SIGN_IN, GObject)

RelaySignIn            *relay_sign_in_new                (RelayAccount *account);
RelayAccount           *relay_sign_in_get_account        (RelaySignIn  *self);
RelayAuthorizationMode  relay_sign_in_get_mode           (RelaySignIn  *self);
const char             *relay_sign_in_get_authorize_uri  (RelaySignIn  *self);
void                    relay_sign_in_start              (RelaySignIn  *self);
void                    relay_sign_in_continue           (RelaySignIn  *self,
                                                          const char   *verifier);
void                    relay_sign_in_cancel             (RelaySignIn  *self);

G_END_DECLS
