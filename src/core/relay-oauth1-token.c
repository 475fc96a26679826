/* relay-oauth1-token.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relay-oauth1-error.h"
#include "relay-oauth1-params.h"
#include "relay-oauth1-token.h"
#include "relay-text-sanitize.h"

/* An unknown oauth_problem is named in the sentence, this long at most. */
#define RELAY_OAUTH1_MAX_PROBLEM_NAME 64

/* The longest token or token secret accepted, in bytes (real ones are
 * tens of bytes). */
#define RELAY_OAUTH1_MAX_TOKEN 1024

void
relay_oauth1_token_free (RelayOAuth1Token *token)
{
  if (token == NULL)
    return;

  g_free (token->token);
  if (token->secret != NULL)
    explicit_bzero (token->secret, strlen (token->secret));
  g_free (token->secret);
  g_clear_pointer (&token->extra, g_ptr_array_unref);
  g_free (token);
}

/**
 * relay_oauth1_token_parse:
 * @body: a form-encoded token response
 * @len: length of @body, or -1
 * @request_token: whether this answers a temporary-credentials request,
 *   which must confirm the callback
 * @error: a #GError
 *
 * An answer that carries oauth_problem becomes that problem's error.
 *
 * Returns: (transfer full) (nullable): the token
 */
RelayOAuth1Token *
relay_oauth1_token_parse (const char  *body,
                          gssize       len,
                          gboolean     request_token,
                          GError     **error)
{
  g_autoptr(RelayOAuth1Problem) problem = NULL;
  g_autoptr(GPtrArray) params = relay_params_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GHashTable) seen = NULL;
  RelayOAuth1Token *token;
  const char *confirmed;

  g_return_val_if_fail (body != NULL || len == 0, NULL);

  if ((problem = relay_oauth1_problem_parse (body, len)))
    {
      g_propagate_error (error, relay_oauth1_problem_to_error (problem));
      return NULL;
    }

  if (!relay_params_parse_form (params, body, len, &local_error))
    {
      g_set_error (error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_MALFORMED,
                   _("The provider’s token answer could not be read."));
      return NULL;
    }

  /* One pass with a set: counting each name again made an answer of
   * many parameters quadratic. */
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < params->len; i++)
    {
      RelayParam *param = g_ptr_array_index (params, i);

      if (!g_hash_table_add (seen, param->name))
        {
          g_set_error (error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_MALFORMED,
                       _("The provider’s token answer repeats a parameter."));
          return NULL;
        }
    }

  if (relay_params_count (params, "oauth_token") != 1 ||
      relay_params_count (params, "oauth_token_secret") != 1 ||
      *relay_params_get (params, "oauth_token") == '\0')
    {
      g_set_error (error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_MISSING_TOKEN,
                   _("The provider’s answer has no token."));
      return NULL;
    }

  /* Tokens go into URLs, headers and the keyring: a 900 KB one is no
   * token. */
  if (strlen (relay_params_get (params, "oauth_token")) > RELAY_OAUTH1_MAX_TOKEN ||
      strlen (relay_params_get (params, "oauth_token_secret")) > RELAY_OAUTH1_MAX_TOKEN)
    {
      g_set_error (error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_MALFORMED,
                   _("The provider’s token is longer than %d bytes, so Relay refused it."),
                   RELAY_OAUTH1_MAX_TOKEN);
      return NULL;
    }

  confirmed = relay_params_get (params, "oauth_callback_confirmed");
  if (request_token && g_strcmp0 (confirmed, "true") != 0)
    {
      g_set_error (error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_CALLBACK_NOT_CONFIRMED,
                   _("The provider did not confirm the callback address (OAuth 1.0a is required)."));
      return NULL;
    }

  token = g_new0 (RelayOAuth1Token, 1);
  token->extra = relay_params_new ();
  for (guint i = 0; i < params->len; i++)
    {
      RelayParam *param = g_ptr_array_index (params, i);

      if (strcmp (param->name, "oauth_token") == 0)
        token->token = g_strdup (param->value);
      else if (strcmp (param->name, "oauth_token_secret") == 0)
        token->secret = g_strdup (param->value);
      else
        relay_params_add (token->extra, param->name, param->value);

      explicit_bzero (param->value, strlen (param->value));
    }

  return token;
}

void
relay_oauth1_problem_free (RelayOAuth1Problem *problem)
{
  if (problem == NULL)
    return;

  g_free (problem->problem);
  g_free (problem->advice);
  g_free (problem);
}

/**
 * relay_oauth1_problem_parse:
 * @body: an answer body (form-encoded, as the Problem Reporting extension
 *   sends it)
 * @len: length of @body, or -1
 *
 * Returns: (transfer full) (nullable): the problem, or %NULL when @body
 *   names none
 */
RelayOAuth1Problem *
relay_oauth1_problem_parse (const char *body,
                            gssize      len)
{
  g_autoptr(GPtrArray) params = relay_params_new ();
  RelayOAuth1Problem *problem;
  RelayOAuth1Error code;
  const char *name;
  const char *range;

  if (body == NULL || !relay_params_parse_form (params, body, len, NULL))
    return NULL;

  if (!(name = relay_params_get (params, "oauth_problem")))
    return NULL;

  problem = g_new0 (RelayOAuth1Problem, 1);
  problem->problem = g_strdup (name);
  problem->code = relay_oauth1_problem_from_string (name, &code) ? (int) code
                                                                 : RELAY_OAUTH1_ERROR_UNKNOWN_PROBLEM;
  problem->advice = g_strdup (relay_params_get (params, "oauth_problem_advice"));

  if ((range = relay_params_get (params, "oauth_acceptable_timestamps")))
    {
      const char *dash = strchr (range, '-');
      guint64 from, to;

      if (dash != NULL)
        {
          g_autofree char *first = g_strndup (range, dash - range);

          if (g_ascii_string_to_unsigned (first, 10, 0, G_MAXINT64, &from, NULL) &&
              g_ascii_string_to_unsigned (dash + 1, 10, 0, G_MAXINT64, &to, NULL) &&
              from <= to)
            {
              problem->acceptable_from = (gint64) from;
              problem->acceptable_to = (gint64) to;
            }
        }
    }

  return problem;
}

/**
 * relay_oauth1_problem_to_error:
 *
 * Returns: (transfer full): a #RELAY_OAUTH1_ERROR with a sentence for the
 *   user, followed by the provider's advice when it gave one
 */
GError *
relay_oauth1_problem_to_error (RelayOAuth1Problem *problem)
{
  const char *sentence;

  g_return_val_if_fail (problem != NULL, NULL);

  if (problem->code == RELAY_OAUTH1_ERROR_UNKNOWN_PROBLEM)
    sentence = _("The provider rejected the request.");
  else
    sentence = relay_oauth1_problem_describe (problem->code);

  /* The advice and the problem's name are the provider's words: shown
   * on one line, without control characters, and not at length. */
  if (problem->advice != NULL && *problem->advice != '\0')
    {
      /* The sentence ends with its own full stop: drop the advice's. */
      g_autofree char *advice = relay_text_sanitize (problem->advice, -1, RELAY_TEXT_MAX_QUOTED);
      gsize len = strlen (g_strstrip (advice));

      if (len > 1 && advice[len - 1] == '.')
        advice[len - 1] = '\0';

      if (*advice != '\0')
        return g_error_new (RELAY_OAUTH1_ERROR, problem->code, _("%s The provider adds: “%s”."),
                            sentence, advice);
    }

  if (problem->code == RELAY_OAUTH1_ERROR_UNKNOWN_PROBLEM)
    {
      g_autofree char *name = relay_text_sanitize (problem->problem, -1, RELAY_OAUTH1_MAX_PROBLEM_NAME);

      return g_error_new (RELAY_OAUTH1_ERROR, problem->code, _("%s (problem: %s)"),
                          sentence, name);
    }

  return g_error_new_literal (RELAY_OAUTH1_ERROR, problem->code, sentence);
}
