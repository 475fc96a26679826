/* relay-oauth1-token.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * RelayOAuth1Token:
 * @token: oauth_token
 * @secret: oauth_token_secret
 * @extra: every other parameter of the answer, in order
 *
 * A token response (§2.1, §2.3).
 */
typedef struct
{
  char      *token;
  char      *secret;
  GPtrArray *extra;
} RelayOAuth1Token;

/**
 * RelayOAuth1Problem:
 * @code: a #RelayOAuth1Error code
 * @advice: (nullable): oauth_problem_advice
 * @acceptable_from: start of oauth_acceptable_timestamps, or 0
 * @acceptable_to: end of oauth_acceptable_timestamps, or 0
 */
typedef struct
{
  int     code;
  char   *problem;
  char   *advice;
  gint64  acceptable_from;
  gint64  acceptable_to;
} RelayOAuth1Problem;

RelayOAuth1Token   *relay_oauth1_token_parse      (const char          *body,
                                                   gssize               len,
                                                   gboolean             request_token,
                                                   GError             **error);
void                relay_oauth1_token_free       (RelayOAuth1Token    *token);

RelayOAuth1Problem *relay_oauth1_problem_parse    (const char          *body,
                                                   gssize               len);
GError             *relay_oauth1_problem_to_error (RelayOAuth1Problem  *problem);
void                relay_oauth1_problem_free     (RelayOAuth1Problem  *problem);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayOAuth1Token, relay_oauth1_token_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayOAuth1Problem, relay_oauth1_problem_free)

G_END_DECLS
