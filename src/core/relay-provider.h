/* relay-provider.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "relay-oauth1-signature.h"

G_BEGIN_DECLS

#define RELAY_NEXMO_OAUTH_BASE "https://dashboard.nexmo.com/oauth/"
#define RELAY_NEXMO_REST_BASE  "https://rest.nexmo.com"
#define RELAY_NEXMO_REPORTS_BASE "https://api.nexmo.com"

typedef enum
{
  RELAY_ENDPOINT_REQUEST_TOKEN,
  RELAY_ENDPOINT_AUTHORIZE,
  RELAY_ENDPOINT_AUTHENTICATE,
  RELAY_ENDPOINT_ACCESS_TOKEN,
  RELAY_ENDPOINT_SMS,
  RELAY_ENDPOINT_BALANCE,
} RelayEndpoint;

/**
 * RelayAuthorizationMode:
 * @RELAY_AUTHORIZATION_CALLBACK: the browser returns to a loopback listener
 * @RELAY_AUTHORIZATION_OOB: the user pastes the verifier (oauth_callback=oob)
 * @RELAY_AUTHORIZATION_LEGACY: OAuth 1.0 without verifier: the user confirms
 */
typedef enum
{
  RELAY_AUTHORIZATION_CALLBACK,
  RELAY_AUTHORIZATION_OOB,
  RELAY_AUTHORIZATION_LEGACY,
} RelayAuthorizationMode;

#define RELAY_TYPE_OAUTH1_SIGNATURE_METHOD (relay_oauth1_signature_method_get_type ())
#define RELAY_TYPE_AUTHORIZATION_MODE      (relay_authorization_mode_get_type ())

GType relay_oauth1_signature_method_get_type (void) G_GNUC_CONST;
GType relay_authorization_mode_get_type      (void) G_GNUC_CONST;

#define RELAY_TYPE_PROVIDER (relay_provider_get_type ())

G_DECLARE_FINAL_TYPE (RelayProvider, relay_provider, RELAY, PROVIDER, GObject)

RelayProvider              *relay_provider_new                      (const char                 *oauth_base,
                                                                     const char                 *rest_base);
RelayProvider              *relay_provider_new_nexmo                (void);
RelayProvider              *relay_provider_copy                     (RelayProvider              *self);
gboolean                    relay_provider_validate                 (RelayProvider              *self,
                                                                     GError                    **error);
const char                 *relay_provider_get_oauth_base           (RelayProvider              *self);
const char                 *relay_provider_get_rest_base            (RelayProvider              *self);
void                        relay_provider_set_oauth_base           (RelayProvider              *self,
                                                                     const char                 *oauth_base);
void                        relay_provider_set_rest_base            (RelayProvider              *self,
                                                                     const char                 *rest_base);
const char                 *relay_provider_get_reports_base         (RelayProvider              *self);
void                        relay_provider_set_reports_base         (RelayProvider              *self,
                                                                     const char                 *reports_base);
char                       *relay_provider_get_endpoint             (RelayProvider              *self,
                                                                     RelayEndpoint               endpoint);
char                       *relay_provider_get_host                 (RelayProvider              *self);

RelayOAuth1SignatureMethod  relay_provider_get_signature_method     (RelayProvider              *self);
void                        relay_provider_set_signature_method     (RelayProvider              *self,
                                                                     RelayOAuth1SignatureMethod  method);
const char                 *relay_provider_get_token_method         (RelayProvider              *self);
void                        relay_provider_set_token_method         (RelayProvider              *self,
                                                                     const char                 *method);
const char                 *relay_provider_get_sms_method           (RelayProvider              *self);
void                        relay_provider_set_sms_method           (RelayProvider              *self,
                                                                     const char                 *method);
gboolean                    relay_provider_get_use_authenticate     (RelayProvider              *self);
void                        relay_provider_set_use_authenticate     (RelayProvider              *self,
                                                                     gboolean                    use_authenticate);
RelayAuthorizationMode      relay_provider_get_authorization_mode   (RelayProvider              *self);
void                        relay_provider_set_authorization_mode   (RelayProvider              *self,
                                                                     RelayAuthorizationMode      mode);
guint                       relay_provider_get_timeout              (RelayProvider              *self);
void                        relay_provider_set_timeout              (RelayProvider              *self,
                                                                     guint                       seconds);
gboolean                    relay_provider_get_basic_auth           (RelayProvider              *self);
void                        relay_provider_set_basic_auth           (RelayProvider              *self,
                                                                     gboolean                    basic_auth);

G_END_DECLS
