/* relay-oauth1-request.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "relay-oauth1-signature.h"

G_BEGIN_DECLS

/**
 * RelayOAuth1Placement:
 * @RELAY_OAUTH1_PLACEMENT_HEADER: protocol parameters in the Authorization header (§3.5.1)
 * @RELAY_OAUTH1_PLACEMENT_BODY: appended to the form body (§3.5.2)
 * @RELAY_OAUTH1_PLACEMENT_QUERY: appended to the query (§3.5.3)
 */
typedef enum
{
  RELAY_OAUTH1_PLACEMENT_HEADER,
  RELAY_OAUTH1_PLACEMENT_BODY,
  RELAY_OAUTH1_PLACEMENT_QUERY,
} RelayOAuth1Placement;

#define RELAY_FORM_CONTENT_TYPE "application/x-www-form-urlencoded"

#define RELAY_TYPE_OAUTH1_REQUEST (relay_oauth1_request_get_type ())

G_DECLARE_FINAL_TYPE (RelayOAuth1Request, relay_oauth1_request, RELAY, OAUTH1_REQUEST, GObject)

RelayOAuth1Request *relay_oauth1_request_new                  (const char                 *method,
                                                               const char                 *uri,
                                                               GError                    **error);
void                relay_oauth1_request_set_consumer         (RelayOAuth1Request         *self,
                                                               const char                 *key,
                                                               const char                 *secret);
void                relay_oauth1_request_set_token            (RelayOAuth1Request         *self,
                                                               const char                 *token,
                                                               const char                 *secret);
void                relay_oauth1_request_set_signature_method (RelayOAuth1Request         *self,
                                                               RelayOAuth1SignatureMethod  method);
void                relay_oauth1_request_set_callback         (RelayOAuth1Request         *self,
                                                               const char                 *callback);
void                relay_oauth1_request_set_verifier         (RelayOAuth1Request         *self,
                                                               const char                 *verifier);
void                relay_oauth1_request_set_realm            (RelayOAuth1Request         *self,
                                                               const char                 *realm);
void                relay_oauth1_request_set_nonce            (RelayOAuth1Request         *self,
                                                               const char                 *nonce);
void                relay_oauth1_request_set_timestamp        (RelayOAuth1Request         *self,
                                                               const char                 *timestamp);
void                relay_oauth1_request_set_clock_offset     (RelayOAuth1Request         *self,
                                                               gint64                      seconds);
void                relay_oauth1_request_set_include_version  (RelayOAuth1Request         *self,
                                                               gboolean                    include);
void                relay_oauth1_request_set_placement        (RelayOAuth1Request         *self,
                                                               RelayOAuth1Placement        placement);
void                relay_oauth1_request_add_form             (RelayOAuth1Request         *self,
                                                               const char                 *name,
                                                               const char                 *value);
void                relay_oauth1_request_set_body             (RelayOAuth1Request         *self,
                                                               const char                 *content_type,
                                                               GBytes                     *body);
gboolean            relay_oauth1_request_sign                 (RelayOAuth1Request         *self,
                                                               GError                    **error);

const char         *relay_oauth1_request_get_method           (RelayOAuth1Request         *self);
GUri               *relay_oauth1_request_get_uri              (RelayOAuth1Request         *self);
const char         *relay_oauth1_request_get_content_type     (RelayOAuth1Request         *self);
GBytes             *relay_oauth1_request_get_body             (RelayOAuth1Request         *self);
const char         *relay_oauth1_request_get_base_string      (RelayOAuth1Request         *self);
const char         *relay_oauth1_request_get_signature        (RelayOAuth1Request         *self);
const char         *relay_oauth1_request_get_authorization    (RelayOAuth1Request         *self);
const char         *relay_oauth1_request_get_nonce            (RelayOAuth1Request         *self);
GPtrArray          *relay_oauth1_request_get_oauth_params     (RelayOAuth1Request         *self);

G_END_DECLS
