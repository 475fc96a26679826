/* relay-oauth-flow.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "relay-account.h"

G_BEGIN_DECLS

#define RELAY_FLOW_ERROR (relay_flow_error_quark ())

typedef enum
{
  RELAY_FLOW_ERROR_DENIED,        /* the user declined in the browser */
  RELAY_FLOW_ERROR_TIMED_OUT,     /* nobody came back to the callback in time */
  RELAY_FLOW_ERROR_ABORTED,       /* the listener failed while waiting */
  RELAY_FLOW_ERROR_STATE,         /* a call out of order, or a verifier reused */
} RelayFlowError;

#define RELAY_TYPE_OAUTH_FLOW (relay_oauth_flow_get_type ())

G_DECLARE_FINAL_TYPE (RelayOAuthFlow, relay_oauth_flow, RELAY, OAUTH_FLOW, GObject)

GQuark          relay_flow_error_quark                (void);

/* @account: an OAuth account holding the consumer secret; on success it
 * also holds the access token (relay_account_is_complete()). The way to
 * finish authorizing comes from the account's provider
 * (relay_provider_get_authorization_mode()). */
RelayOAuthFlow *relay_oauth_flow_new                  (RelayAccount         *account);
RelayAccount   *relay_oauth_flow_get_account          (RelayOAuthFlow       *self);
void            relay_oauth_flow_set_callback_timeout (RelayOAuthFlow       *self,
                                                       guint                 seconds);

/* Step 1: listener (callback mode) + request token. Resolves with the
 * authorize URL to open in the browser. */
void            relay_oauth_flow_begin_async          (RelayOAuthFlow       *self,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
char           *relay_oauth_flow_begin_finish         (RelayOAuthFlow       *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

/* Step 2: callback mode waits for the browser; oob mode takes the pasted
 * verifier; legacy mode takes NULL once the user confirms they authorized.
 * Then exchanges for the access token (never twice with one verifier). */
void            relay_oauth_flow_complete_async       (RelayOAuthFlow       *self,
                                                       const char           *verifier,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean        relay_oauth_flow_complete_finish      (RelayOAuthFlow       *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

/* Stops listening at once; pending operations end with G_IO_ERROR_CANCELLED. */
void            relay_oauth_flow_cancel               (RelayOAuthFlow       *self);

/* Added by the flow implementation (additive). */
GPtrArray      *relay_oauth_flow_get_extra            (RelayOAuthFlow       *self);
guint           relay_oauth_flow_get_callback_port    (RelayOAuthFlow       *self);
char           *relay_oauth_flow_build_authorize_url  (const char           *endpoint,
                                                       const char           *token);

G_END_DECLS
