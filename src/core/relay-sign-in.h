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

RelaySignIn            *relay_sign_in_new                  (RelayAccount         *account);
RelayAccount           *relay_sign_in_get_account          (RelaySignIn          *self);
RelayAuthorizationMode  relay_sign_in_get_mode             (RelaySignIn          *self);
const char             *relay_sign_in_get_authorize_uri    (RelaySignIn          *self);
gboolean                relay_sign_in_get_complete         (RelaySignIn          *self);
void                    relay_sign_in_set_callback_timeout (RelaySignIn          *self,
                                                            guint                 seconds);

/* Step 1. An API key is verified (a balance call, answered by the strict
 * parser) and the sign-in is complete; an OAuth app gets its request
 * token and relay_sign_in_get_authorize_uri() is the page to open. */
void                    relay_sign_in_begin_async          (RelaySignIn          *self,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean                relay_sign_in_begin_finish         (RelaySignIn          *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

/* Step 2, for OAuth: the callback mode waits for the browser, the oob
 * mode takes the pasted @verifier, the legacy mode goes on at once.
 * Resolves at once for a sign-in that is already complete. */
void                    relay_sign_in_complete_async       (RelaySignIn          *self,
                                                            const char           *verifier,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean                relay_sign_in_complete_finish      (RelaySignIn          *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

void                    relay_sign_in_cancel               (RelaySignIn          *self);

G_END_DECLS
