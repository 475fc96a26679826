/* relay-oauth1-signature.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  RELAY_OAUTH1_HMAC_SHA1,
  RELAY_OAUTH1_HMAC_SHA256,
  RELAY_OAUTH1_HMAC_SHA512,
  RELAY_OAUTH1_PLAINTEXT,
} RelayOAuth1SignatureMethod;

const char *relay_oauth1_signature_method_to_string   (RelayOAuth1SignatureMethod  method);
gboolean    relay_oauth1_signature_method_from_string (const char                 *name,
                                                       RelayOAuth1SignatureMethod *method);

char       *relay_oauth1_signing_key                  (const char                 *consumer_secret,
                                                       const char                 *token_secret);
char       *relay_oauth1_sign                         (RelayOAuth1SignatureMethod  method,
                                                       const char                 *base_string,
                                                       const char                 *consumer_secret,
                                                       const char                 *token_secret);

gboolean    relay_constant_time_equal                 (const char                 *a,
                                                       const char                 *b);
char       *relay_oauth1_make_nonce                   (void);
gint64      relay_oauth1_now                          (void);

G_END_DECLS
