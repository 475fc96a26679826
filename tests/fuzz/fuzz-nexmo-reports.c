/* fuzz-nexmo-reports.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Relay reads every Reports API answer with relay_nexmo_parse_report()
 * and every account settings answer with relay_nexmo_parse_settings().
 * For any body:
 *  - each returns a result or an error, never both; the error is of the
 *    parser's domain, with a non-empty UTF-8 sentence;
 *  - a record's message id is the one asked for, its status one of the
 *    seven receipt statuses, its text fields UTF-8 without control
 *    characters, its times and error code in range, its price digits
 *    with at most one point;
 *  - a limit is from 1 to RELAY_NEXMO_MAX_ACCOUNT_RATE.
 */

#include <string.h>

#include "relay-nexmo-client.h"
#include "relay-nexmo-reports.h"
#include "relay-nexmo-settings.h"

#include "fuzz-common.h"

static void
assert_sentence (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpuint (strlen (error->message), >, 0);
}

static void
assert_clean (const char *text)
{
  if (text == NULL)
    return;

  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p != '\0'; p++)
    g_assert_true ((guchar) *p >= 0x20 && *p != 0x7f);
}

static void
check_report (const char *json,
              size_t      size)
{
  g_autoptr(RelayDeliveryRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  guint points = 0;

  record = relay_nexmo_parse_report (json, size, "ABC", &error);
  if (record == NULL)
    {
      assert_sentence (error);
      g_assert_true (error->domain == RELAY_REPORTS_ERROR);
      g_assert_true (error->code == RELAY_REPORTS_ERROR_NOT_FOUND ||
                     error->code == RELAY_REPORTS_ERROR_MALFORMED);
      return;
    }

  g_assert_no_error (error);
  g_assert_cmpint (g_ascii_strcasecmp (record->message_id, "ABC"), ==, 0);
  g_assert_true (relay_delivery_status_is_valid (record->status));
  g_assert_cmpint (record->received_at, >=, 0);
  g_assert_cmpint (record->finalized_at, >=, 0);
  g_assert_cmpint (record->error_code, >=, -1);
  g_assert_cmpint (record->error_code, <=, 9999);
  assert_clean (record->message_id);
  assert_clean (record->error_description);
  assert_clean (record->to);
  assert_clean (record->client_ref);
  assert_clean (record->network);
  assert_clean (record->currency);
  if (record->price != NULL)
    {
      for (const char *p = record->price; *p != '\0'; p++)
        {
          g_assert_true (g_ascii_isdigit (*p) || *p == '.');
          points += *p == '.';
        }
      g_assert_cmpuint (points, <=, 1);
    }
}

static void
check_settings (const char *json,
                size_t      size)
{
  g_autoptr(GError) error = NULL;
  RelayAccountSettings settings = { 0, };

  if (!relay_nexmo_parse_settings (json, size, &settings, &error))
    {
      assert_sentence (error);
      g_assert_true (error->domain == RELAY_NEXMO_ERROR);
      g_assert_cmpint (error->code, ==, RELAY_NEXMO_ERROR_MALFORMED);
      return;
    }

  g_assert_no_error (error);
  g_assert_cmpuint (settings.max_outbound_request, >=, 1);
  g_assert_cmpuint (settings.max_outbound_request, <=, RELAY_NEXMO_MAX_ACCOUNT_RATE);
  g_assert_cmpuint (settings.max_inbound_request, <=, RELAY_NEXMO_MAX_ACCOUNT_RATE);
  g_assert_cmpuint (settings.max_calls_per_second, <=, RELAY_NEXMO_MAX_ACCOUNT_RATE);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  check_report ((const char *) data, size);
  check_settings ((const char *) data, size);

  return 0;
}
