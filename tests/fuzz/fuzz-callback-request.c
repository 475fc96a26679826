/* fuzz-callback-request.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * relay_callback_validate() decides, for every request that reaches the
 * sign-in listener on 127.0.0.1, whether it completes the sign-in. Any
 * local process can send one, so for any request:
 *  - the verdict is one of the five, and the same when asked twice;
 *  - a verifier comes back only with ACCEPT, and then it is non-empty
 *    printable ASCII, and the request was a GET (or HEAD) of exactly
 *    /callback, to Host 127.0.0.1:<port>, without a body, whose query
 *    (read by an independent parse) has exactly one oauth_token, equal to
 *    the pending token, and exactly one oauth_verifier, equal to it;
 *  - a request for another path never completes or ends the flow.
 *
 * Input: byte 0 holds flags (bit 0: no query, bit 1: no Host header,
 * bits 2-3: body length -1, 0, 1 or 4096), bytes 1-2 the port, then
 * method, path, query, host and pending token separated by '\n'. An
 * empty host or token field means the right one, so the fuzzer reaches
 * the accepting path easily.
 */

#include <string.h>

#include "relay-callback-listener.h"
#include "relay-oauth1-params.h"

#include "fuzz-common.h"

#define DEFAULT_TOKEN "hh5s93j4hdidpola"

static gboolean
is_printable_ascii (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (*p < 0x21 || *p > 0x7E)
      return FALSE;

  return TRUE;
}

static void
check_accepted (const char *method,
                const char *path,
                const char *query,
                const char *host,
                guint       port,
                goffset     content_length,
                const char *pending_token,
                const char *verifier)
{
  g_autoptr(GPtrArray) params = relay_params_new ();
  g_autofree char *expected_host = g_strdup_printf ("127.0.0.1:%u", port);

  g_assert_nonnull (verifier);
  g_assert_cmpuint (strlen (verifier), >, 0);
  g_assert_true (is_printable_ascii (verifier));

  g_assert_true (strcmp (method, "GET") == 0 || strcmp (method, "HEAD") == 0);
  g_assert_cmpstr (path, ==, "/callback");
  g_assert_cmpstr (host, ==, expected_host);
  g_assert_cmpint (content_length, <=, 0);

  g_assert_nonnull (query);
  g_assert_true (relay_params_parse_form (params, query, -1, NULL));
  g_assert_cmpuint (relay_params_count (params, "oauth_token"), ==, 1);
  g_assert_cmpuint (relay_params_count (params, "oauth_verifier"), ==, 1);
  g_assert_cmpstr (relay_params_get (params, "oauth_token"), ==, pending_token);
  g_assert_cmpstr (relay_params_get (params, "oauth_verifier"), ==, verifier);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const goffset lengths[] = { -1, 0, 1, 4096 };
  g_autofree char *fields_text = NULL;
  g_autofree char *right_host = NULL;
  g_autofree char *verifier = NULL;
  g_autofree char *verifier_again = NULL;
  g_auto(GStrv) fields = NULL;
  RelayCallbackVerdict verdict;
  RelayCallbackVerdict verdict_again;
  const char *method, *path, *query, *host, *token;
  goffset content_length;
  guint n_fields;
  guint port;
  guint8 flags;

  if (size < 3)
    return 0;

  flags = data[0];
  port = (guint) data[1] << 8 | data[2];
  content_length = lengths[(flags >> 2) & 3];
  fields_text = fuzz_dup_string (data + 3, size - 3);
  fields = g_strsplit (fields_text, "\n", 5);
  n_fields = g_strv_length (fields);
  right_host = g_strdup_printf ("127.0.0.1:%u", port);

  method = n_fields > 0 ? fields[0] : "GET";
  path = n_fields > 1 ? fields[1] : "/callback";
  query = n_fields > 2 ? fields[2] : "";
  host = n_fields > 3 && fields[3][0] != '\0' ? fields[3] : right_host;
  token = n_fields > 4 && fields[4][0] != '\0' ? fields[4] : DEFAULT_TOKEN;
  if (flags & 1)
    query = NULL;
  if (flags & 2)
    host = NULL;

  verdict = relay_callback_validate (method, path, query, host, port, content_length,
                                     token, &verifier);
  verdict_again = relay_callback_validate (method, path, query, host, port, content_length,
                                           token, &verifier_again);
  g_assert_cmpint (verdict, ==, verdict_again);
  g_assert_cmpstr (verifier, ==, verifier_again);

  switch (verdict)
    {
    case RELAY_CALLBACK_ACCEPT:
      check_accepted (method, path, query, host, port, content_length, token, verifier);
      break;

    case RELAY_CALLBACK_DENIED:
      g_assert_null (verifier);
      g_assert_cmpstr (path, ==, "/callback");
      break;

    case RELAY_CALLBACK_NOT_FOUND:
    case RELAY_CALLBACK_BAD_METHOD:
    case RELAY_CALLBACK_BAD_REQUEST:
      g_assert_null (verifier);
      break;

    default:
      g_assert_not_reached ();
    }

  return 0;
}
