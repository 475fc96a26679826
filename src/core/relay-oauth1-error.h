/* relay-oauth1-error.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RELAY_OAUTH1_ERROR (relay_oauth1_error_quark ())

/**
 * RelayOAuth1Error:
 *
 * Local failures come first; then one code per oauth_problem value of the
 * OAuth Problem Reporting extension, which providers send in 400/401
 * answers as `oauth_problem=…&oauth_problem_advice=…`.
 */
typedef enum
{
  RELAY_OAUTH1_ERROR_MALFORMED,                 /* bad encoding, bad syntax */
  RELAY_OAUTH1_ERROR_INVALID_URI,
  RELAY_OAUTH1_ERROR_INVALID_METHOD,
  RELAY_OAUTH1_ERROR_MISSING_TOKEN,             /* token response lacks a required field */
  RELAY_OAUTH1_ERROR_CALLBACK_NOT_CONFIRMED,
  RELAY_OAUTH1_ERROR_INSECURE_URI,              /* http:// to a non-loopback host */
  RELAY_OAUTH1_ERROR_UNKNOWN_PROBLEM,           /* an oauth_problem we do not know */
  RELAY_OAUTH1_ERROR_VERSION_REJECTED,
  RELAY_OAUTH1_ERROR_PARAMETER_ABSENT,
  RELAY_OAUTH1_ERROR_PARAMETER_REJECTED,
  RELAY_OAUTH1_ERROR_TIMESTAMP_REFUSED,
  RELAY_OAUTH1_ERROR_NONCE_USED,
  RELAY_OAUTH1_ERROR_SIGNATURE_METHOD_REJECTED,
  RELAY_OAUTH1_ERROR_SIGNATURE_INVALID,
  RELAY_OAUTH1_ERROR_CONSUMER_KEY_UNKNOWN,
  RELAY_OAUTH1_ERROR_CONSUMER_KEY_REJECTED,
  RELAY_OAUTH1_ERROR_CONSUMER_KEY_REFUSED,
  RELAY_OAUTH1_ERROR_TOKEN_USED,
  RELAY_OAUTH1_ERROR_TOKEN_EXPIRED,
  RELAY_OAUTH1_ERROR_TOKEN_REVOKED,
  RELAY_OAUTH1_ERROR_TOKEN_REJECTED,
  RELAY_OAUTH1_ERROR_VERIFIER_INVALID,
  RELAY_OAUTH1_ERROR_ADDITIONAL_AUTHORIZATION_REQUIRED,
  RELAY_OAUTH1_ERROR_PERMISSION_UNKNOWN,
  RELAY_OAUTH1_ERROR_PERMISSION_DENIED,
  RELAY_OAUTH1_ERROR_USER_REFUSED,
} RelayOAuth1Error;

GQuark       relay_oauth1_error_quark          (void);
const char  *relay_oauth1_problem_to_string    (RelayOAuth1Error code);
gboolean     relay_oauth1_problem_from_string  (const char       *problem,
                                                RelayOAuth1Error *code);
const char  *relay_oauth1_problem_describe     (RelayOAuth1Error code);

G_END_DECLS
