/* fuzz-nexmo-json.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Nexmo client reads every SMS and balance answer with
 * relay_nexmo_parse_sms_answer() and relay_nexmo_parse_balance(). For
 * any body:
 *  - each returns a result or a RELAY_NEXMO_ERROR, never both, with a
 *    non-empty UTF-8 sentence and a code the header declares;
 *  - a recipient that succeeded has a NULL-terminated list of message
 *    IDs, one per part, at least one; a recipient that failed carries a
 *    RELAY_NEXMO_ERROR of its own;
 *  - every string handed back is valid UTF-8 and prices are finite;
 *  - relay_nexmo_status_describe() has a sentence for any status.
 */

#include <math.h>
#include <string.h>

#include "relay-nexmo-client.h"

#include "fuzz-common.h"

static void
assert_nexmo_error (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_true (error->domain == RELAY_NEXMO_ERROR);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpuint (strlen (error->message), >, 0);
  g_assert_true ((error->code >= RELAY_NEXMO_ERROR_THROTTLED &&
                  error->code <= RELAY_NEXMO_ERROR_NUMBER_DEACTIVATED) ||
                 error->code == RELAY_NEXMO_ERROR_UNKNOWN ||
                 error->code == RELAY_NEXMO_ERROR_MALFORMED);
}

static void
assert_optional_utf8 (const char *text)
{
  if (text != NULL)
    g_assert_true (g_utf8_validate (text, -1, NULL));
}

static void
check_sms_answer (const char *json,
                  size_t      size)
{
  g_autoptr(RelaySmsResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = relay_nexmo_parse_sms_answer (json, size, &error);
  if (result == NULL)
    {
      assert_nexmo_error (error);
      return;
    }

  g_assert_no_error (error);
  assert_optional_utf8 (result->to);
  assert_optional_utf8 (result->network);
  assert_optional_utf8 (result->client_ref);
  g_assert_true (isfinite (result->price));
  g_assert_true (isfinite (result->remaining_balance));

  if (result->error != NULL)
    {
      assert_nexmo_error (result->error);
      return;
    }

  g_assert_nonnull (result->message_ids);
  g_assert_cmpuint (result->parts, >=, 1);
  g_assert_cmpuint (g_strv_length (result->message_ids), ==, result->parts);
  for (guint i = 0; result->message_ids[i] != NULL; i++)
    g_assert_true (g_utf8_validate (result->message_ids[i], -1, NULL));
}

static void
check_balance (const char *json,
               size_t      size)
{
  g_autoptr(GError) error = NULL;
  RelayBalance balance = { 0, };

  if (!relay_nexmo_parse_balance (json, size, &balance, &error))
    {
      assert_nexmo_error (error);
      return;
    }

  g_assert_no_error (error);
  g_assert_true (isfinite (balance.value));
  g_assert_true (balance.auto_reload == TRUE || balance.auto_reload == FALSE);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *sentence;
  int status = 0;

  if (size >= 2)
    status = (int) (gint16) (data[0] << 8 | data[1]);
  sentence = relay_nexmo_status_describe (status);
  g_assert_nonnull (sentence);
  g_assert_true (g_utf8_validate (sentence, -1, NULL));

  check_sms_answer ((const char *) data, size);
  check_balance ((const char *) data, size);

  return 0;
}
