/* fuzz-token-response.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A provider's token answer is the first thing Relay reads from the
 * network during sign-in. For any body, in both modes (request token,
 * which must confirm the callback, and access token):
 *  - relay_oauth1_token_parse() returns a token or a RELAY_OAUTH1_ERROR
 *    with a UTF-8 sentence, never both;
 *  - a token has a non-empty oauth_token and an oauth_token_secret equal
 *    to the ones an independent parse of the body finds, and keeps every
 *    other parameter in order in @extra;
 *  - a request token is returned only with oauth_callback_confirmed=true;
 *  - an answer naming oauth_problem becomes that problem's error;
 *  - an error that is not the provider's own problem text does not
 *    depend on the token secret (so it cannot quote it).
 * relay_oauth1_problem_parse() / _to_error(): a known code, an ordered
 * timestamp window, and an error in the same domain and code.
 */

#include <string.h>

#include "relay-oauth1-error.h"
#include "relay-oauth1-params.h"
#include "relay-oauth1-token.h"

#include "fuzz-common.h"

static void
check_problem (const char *body,
               size_t      size)
{
  g_autoptr(RelayOAuth1Problem) problem = relay_oauth1_problem_parse (body, size);
  g_autoptr(GPtrArray) params = relay_params_new ();
  g_autoptr(GError) error = NULL;
  gboolean parsed;

  parsed = relay_params_parse_form (params, body, size, NULL);
  if (!parsed || relay_params_get (params, "oauth_problem") == NULL)
    {
      g_assert_null (problem);
      return;
    }

  g_assert_nonnull (problem);
  g_assert_cmpstr (problem->problem, ==, relay_params_get (params, "oauth_problem"));
  g_assert_cmpstr (problem->advice, ==, relay_params_get (params, "oauth_problem_advice"));
  g_assert_cmpint (problem->acceptable_from, >=, 0);
  g_assert_cmpint (problem->acceptable_from, <=, problem->acceptable_to);

  if (problem->code == RELAY_OAUTH1_ERROR_UNKNOWN_PROBLEM)
    {
      g_assert_false (relay_oauth1_problem_from_string (problem->problem, NULL));
    }
  else
    {
      g_assert_cmpint (problem->code, >=, RELAY_OAUTH1_ERROR_VERSION_REJECTED);
      g_assert_cmpint (problem->code, <=, RELAY_OAUTH1_ERROR_USER_REFUSED);
      g_assert_cmpstr (relay_oauth1_problem_to_string (problem->code), ==, problem->problem);
    }

  error = relay_oauth1_problem_to_error (problem);
  g_assert_error (error, RELAY_OAUTH1_ERROR, problem->code);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpuint (strlen (error->message), >, 0);
}

/* The sentence for a refused answer must not depend on the token
 * secret in it: the same answer with another secret gets the same one. */
static void
assert_error_ignores_secret (GPtrArray *params,
                             gboolean   request_token)
{
  g_autoptr(GPtrArray) other = relay_params_new ();
  g_autoptr(RelayOAuth1Token) token = NULL;
  g_autoptr(RelayOAuth1Token) other_token = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) other_error = NULL;
  g_autofree char *body = relay_params_to_form (params);
  g_autofree char *other_body = NULL;

  for (guint i = 0; i < params->len; i++)
    {
      const RelayParam *param = g_ptr_array_index (params, i);

      relay_params_add (other, param->name,
                        strcmp (param->name, "oauth_token_secret") == 0 ? "0ther-s3cret" : param->value);
    }
  other_body = relay_params_to_form (other);

  token = relay_oauth1_token_parse (body, -1, request_token, &error);
  other_token = relay_oauth1_token_parse (other_body, -1, request_token, &other_error);
  g_assert_null (token);
  g_assert_null (other_token);
  g_assert_nonnull (error);
  g_assert_nonnull (other_error);
  g_assert_cmpint (error->code, ==, other_error->code);
  g_assert_cmpstr (error->message, ==, other_error->message);
}

static void
check_token (const char *body,
             size_t      size,
             gboolean    request_token)
{
  g_autoptr(RelayOAuth1Token) token = NULL;
  g_autoptr(RelayOAuth1Problem) problem = NULL;
  g_autoptr(GPtrArray) params = relay_params_new ();
  g_autoptr(GError) error = NULL;
  guint extra = 0;

  token = relay_oauth1_token_parse (body, size, request_token, &error);
  problem = relay_oauth1_problem_parse (body, size);

  if (token == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == RELAY_OAUTH1_ERROR);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      if (problem != NULL)
        {
          g_assert_cmpint (error->code, ==, problem->code);
        }
      else if (relay_params_parse_form (params, body, size, NULL) &&
               relay_params_get (params, "oauth_token_secret") != NULL)
        {
          assert_error_ignores_secret (params, request_token);
        }
      return;
    }

  g_assert_no_error (error);
  g_assert_null (problem);
  g_assert_true (relay_params_parse_form (params, body, size, NULL));
  g_assert_cmpuint (relay_params_count (params, "oauth_token"), ==, 1);
  g_assert_cmpuint (relay_params_count (params, "oauth_token_secret"), ==, 1);
  g_assert_cmpstr (token->token, ==, relay_params_get (params, "oauth_token"));
  g_assert_cmpstr (token->secret, ==, relay_params_get (params, "oauth_token_secret"));
  g_assert_cmpstr (token->token, !=, "");
  if (request_token)
    g_assert_cmpstr (relay_params_get (params, "oauth_callback_confirmed"), ==, "true");

  g_assert_nonnull (token->extra);
  for (guint i = 0; i < params->len; i++)
    {
      const RelayParam *param = g_ptr_array_index (params, i);
      const RelayParam *kept;

      g_assert_cmpuint (relay_params_count (params, param->name), ==, 1);
      if (strcmp (param->name, "oauth_token") == 0 ||
          strcmp (param->name, "oauth_token_secret") == 0)
        continue;

      g_assert_cmpuint (extra, <, token->extra->len);
      kept = g_ptr_array_index (token->extra, extra++);
      g_assert_cmpstr (kept->name, ==, param->name);
      g_assert_cmpstr (kept->value, ==, param->value);
    }
  g_assert_cmpuint (extra, ==, token->extra->len);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *body = (const char *) data;

  check_problem (body, size);
  check_token (body, size, TRUE);
  check_token (body, size, FALSE);

  return 0;
}
