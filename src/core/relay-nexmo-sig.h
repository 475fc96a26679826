/* relay-nexmo-sig.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * RelayNexmoSigMethod:
 * @RELAY_NEXMO_SIG_NONE: not a signed account
 * @RELAY_NEXMO_SIG_MD5HASH: MD5 of the string with the secret appended
 *   ("MD5 hash", the dashboard's default)
 * @RELAY_NEXMO_SIG_MD5: HMAC-MD5 keyed with the secret
 * @RELAY_NEXMO_SIG_SHA1: HMAC-SHA1
 * @RELAY_NEXMO_SIG_SHA256: HMAC-SHA256
 * @RELAY_NEXMO_SIG_SHA512: HMAC-SHA512
 *
 * How Nexmo's signature secret signs a request (the `sig` parameter).
 */
typedef enum
{
  RELAY_NEXMO_SIG_NONE,
  RELAY_NEXMO_SIG_MD5HASH,
  RELAY_NEXMO_SIG_MD5,
  RELAY_NEXMO_SIG_SHA1,
  RELAY_NEXMO_SIG_SHA256,
  RELAY_NEXMO_SIG_SHA512,
} RelayNexmoSigMethod;

/* The window the signed timestamp must fall in, either side of the
 * provider's clock (as the Java SDK verifies). */
#define RELAY_NEXMO_SIG_WINDOW 300

gboolean    relay_nexmo_sig_method_from_string (const char           *name,
                                                RelayNexmoSigMethod  *method);
const char *relay_nexmo_sig_method_to_string   (RelayNexmoSigMethod   method);
char       *relay_nexmo_sig_string             (GPtrArray            *params);
char       *relay_nexmo_sig_compute            (GPtrArray            *params,
                                                RelayNexmoSigMethod   method,
                                                const char           *secret);
gboolean    relay_nexmo_sig_verify             (GPtrArray            *params,
                                                RelayNexmoSigMethod   method,
                                                const char           *secret,
                                                const char           *sig);
void        relay_nexmo_sig_sign               (GPtrArray            *params,
                                                RelayNexmoSigMethod   method,
                                                const char           *secret,
                                                gint64                timestamp);

G_END_DECLS
