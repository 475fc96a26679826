/* relay-sandbox-server.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "relay-clock.h"
#include "relay-nexmo-sig.h"

G_BEGIN_DECLS

#define RELAY_SANDBOX_DEFAULT_CONSUMER_KEY    "relay-sandbox-key"
#define RELAY_SANDBOX_DEFAULT_CONSUMER_SECRET "relay-sandbox-secret"
#define RELAY_SANDBOX_DEFAULT_API_KEY         "relay-sandbox-api-key"
#define RELAY_SANDBOX_DEFAULT_API_SECRET      "relay-sandbox-api-secret"
/* What relay --sandbox gives its in-process sandbox (md5hash); the
 * relay-sandbox program has a signature secret only when given one. */
#define RELAY_SANDBOX_DEFAULT_SIGNATURE_SECRET "relay-sandbox-signature-secret"
#define RELAY_SANDBOX_DEFAULT_RATE_LIMIT      30
#define RELAY_SANDBOX_DEFAULT_BALANCE         10.0
#define RELAY_SANDBOX_DEFAULT_DELIVERY_DELAY  2000

#define RELAY_TYPE_SANDBOX_SERVER (relay_sandbox_server_get_type ())

G_DECLARE_FINAL_TYPE (RelaySandboxServer, relay_sandbox_server, RELAY, SANDBOX_SERVER, GObject)

RelaySandboxServer *relay_sandbox_server_new                (void);
void                relay_sandbox_server_set_consumer       (RelaySandboxServer  *self,
                                                             const char          *key,
                                                             const char          *secret);
void                relay_sandbox_server_set_api_key        (RelaySandboxServer  *self,
                                                             const char          *key,
                                                             const char          *secret);
void                relay_sandbox_server_set_signature_secret (RelaySandboxServer *self,
                                                             const char          *secret,
                                                             RelayNexmoSigMethod  method);
void                relay_sandbox_server_set_rate_limit     (RelaySandboxServer  *self,
                                                             guint                per_second);
void                relay_sandbox_server_set_delivery_delay (RelaySandboxServer  *self,
                                                             guint                ms);
void                relay_sandbox_server_set_clock          (RelaySandboxServer  *self,
                                                             RelayClock          *clock);
void                relay_sandbox_server_set_auto_approve   (RelaySandboxServer  *self,
                                                             gboolean             auto_approve);
void                relay_sandbox_server_set_auto_deny      (RelaySandboxServer  *self,
                                                             gboolean             auto_deny);
void                relay_sandbox_server_set_balance        (RelaySandboxServer  *self,
                                                             double               balance);
void                relay_sandbox_server_set_messages_path  (RelaySandboxServer  *self,
                                                             const char          *path);
void                relay_sandbox_server_set_legacy         (RelaySandboxServer  *self,
                                                             gboolean             legacy);
gboolean            relay_sandbox_server_add_fault          (RelaySandboxServer  *self,
                                                             const char          *spec,
                                                             GError             **error);
void                relay_sandbox_server_clear_faults       (RelaySandboxServer  *self);
gboolean            relay_sandbox_server_listen             (RelaySandboxServer  *self,
                                                             guint                port,
                                                             GError             **error);
char               *relay_sandbox_server_get_base_uri       (RelaySandboxServer  *self);
guint               relay_sandbox_server_get_message_count  (RelaySandboxServer  *self);
double              relay_sandbox_server_get_balance        (RelaySandboxServer  *self);
guint               relay_sandbox_server_get_pricing_requests (RelaySandboxServer *self);

G_END_DECLS
