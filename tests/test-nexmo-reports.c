/* test-nexmo-reports.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The strict parsers of the account settings and of Reports API
 * records, on answers in the shape Vonage documents and on broken ones.
 */

#include <string.h>

#include "relay-nexmo-client.h"
#include "relay-nexmo-reports.h"
#include "relay-nexmo-settings.h"

/* The documented example record (Reports API, "Get records by date"). */
#define RECORD(status, finalized) \
  "{\"account_id\":\"abcd1234\",\"message_id\":\"12000000E506AC66\",\"client_ref\":null," \
  "\"direction\":\"outbound\",\"from\":\"Acme Inc.\",\"to\":\"447700123456\",\"network\":\"23410\"," \
  "\"network_name\":\"Telefonica UK Limited\",\"country\":\"GB\",\"country_name\":\"United Kingdom\"," \
  "\"date_received\":\"2020-06-04T12:21:35+0000\",\"date_finalized\":" finalized "," \
  "\"latency\":\"2274\",\"status\":\"" status "\",\"error_code\":\"0\"," \
  "\"error_code_description\":\"Delivered\",\"currency\":\"EUR\",\"total_price\":\"0.03330000\"}"

#define ANSWER(records) \
  "{\"request_id\":\"r\",\"request_status\":\"SUCCESS\",\"product\":\"SMS\",\"records\":[" records "]}"

static void
test_settings (void)
{
  RelayAccountSettings settings = { 7, 7, 7 };
  g_autoptr(GError) error = NULL;
  const char *bad[] = {
    "", "[]", "null", "{}", "not json",
    "{\"max-outbound-request\":0}",
    "{\"max-outbound-request\":-3}",
    "{\"max-outbound-request\":2.5}",
    "{\"max-outbound-request\":\"\"}",
    "{\"max-outbound-request\":\"+5\"}",
    "{\"max-outbound-request\":\"5x\"}",
    "{\"max-outbound-request\":true}",
    "{\"max-outbound-request\":[30]}",
    "{\"max-outbound-request\":10001}",
    "{\"max-outbound-request\":30,\"max-inbound-request\":\"many\"}",
    "{\"max-outbound-request\":30,\"max-calls-per-second\":{}}",
  };

  g_assert_true (relay_nexmo_parse_settings ("{\"mo-callback-url\":\"\",\"dr-callback-url\":\"https://x/\","
                                             "\"max-outbound-request\":30,\"max-inbound-request\":20,"
                                             "\"max-calls-per-second\":5}", -1, &settings, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (settings.max_outbound_request, ==, 30);
  g_assert_cmpuint (settings.max_inbound_request, ==, 20);
  g_assert_cmpuint (settings.max_calls_per_second, ==, 5);

  /* Numbers as strings, and the other limits absent. */
  g_assert_true (relay_nexmo_parse_settings ("{\"max-outbound-request\":\"1\"}", -1, &settings, &error));
  g_assert_cmpuint (settings.max_outbound_request, ==, 1);
  g_assert_cmpuint (settings.max_inbound_request, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      RelayAccountSettings untouched = { 9, 9, 9 };

      g_assert_false (relay_nexmo_parse_settings (bad[i], -1, &untouched, &error));
      g_assert_error (error, RELAY_NEXMO_ERROR, RELAY_NEXMO_ERROR_MALFORMED);
      g_assert_cmpuint (untouched.max_outbound_request, ==, 9);
      g_clear_error (&error);
    }

  /* Not nul-terminated: only @len bytes count. */
  g_assert_true (relay_nexmo_parse_settings ("{\"max-outbound-request\":4}garbage", 26, &settings, &error));
  g_assert_cmpuint (settings.max_outbound_request, ==, 4);
}

static void
test_report_documented (void)
{
  g_autoptr(RelayDeliveryRecord) record = NULL;
  g_autoptr(RelayDeliveryRecord) copy = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  record = relay_nexmo_parse_report (ANSWER (RECORD ("delivered", "\"2020-06-04T12:21:37+0000\"")), -1,
                                     "12000000E506AC66", &error);
  g_assert_no_error (error);
  g_assert_nonnull (record);
  g_assert_cmpstr (record->message_id, ==, "12000000E506AC66");
  g_assert_cmpstr (record->status, ==, "delivered");
  g_assert_cmpint (record->received_at, ==, G_GINT64_CONSTANT (1591273295) * G_USEC_PER_SEC);
  g_assert_cmpint (record->finalized_at, ==, G_GINT64_CONSTANT (1591273297) * G_USEC_PER_SEC);
  g_assert_cmpint (record->error_code, ==, 0);
  g_assert_cmpstr (record->error_description, ==, "Delivered");
  g_assert_cmpstr (record->to, ==, "447700123456");
  g_assert_null (record->client_ref);
  g_assert_cmpstr (record->network, ==, "23410");
  g_assert_cmpstr (record->price, ==, "0.03330000");
  g_assert_cmpstr (record->currency, ==, "EUR");
  g_assert_true (relay_delivery_status_is_final (record->status));

  copy = relay_delivery_record_copy (record);
  node = relay_delivery_record_to_json (copy);
  json = json_to_string (node, FALSE);
  g_assert_cmpstr (json, ==,
                   "{\"message_id\":\"12000000E506AC66\",\"status\":\"delivered\",\"to\":\"447700123456\","
                   "\"client_ref\":null,\"network\":\"23410\",\"received_at\":\"2020-06-04T12:21:35Z\","
                   "\"finalized_at\":\"2020-06-04T12:21:37Z\",\"error_code\":0,\"error\":\"Delivered\","
                   "\"price\":\"0.03330000\",\"currency\":\"EUR\"}");
}

static void
test_report_statuses (void)
{
  const char *statuses[] = { "accepted", "delivered", "buffered", "expired", "failed", "rejected", "unknown" };
  const gboolean final[] = { FALSE, TRUE, FALSE, TRUE, TRUE, TRUE, FALSE };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"records\":[{\"message_id\":\"ABC\",\"status\":\"%s\","
                                               "\"date_received\":\"2026-12-01T10:00:00Z\","
                                               "\"date_finalized\":null,\"error_code\":%s}]}",
                                               statuses[i], final[i] ? "\"5\"" : "null");
      g_autoptr(RelayDeliveryRecord) record = NULL;
      g_autoptr(GError) error = NULL;

      record = relay_nexmo_parse_report (json, -1, "abc", &error);
      g_assert_no_error (error);
      g_assert_cmpstr (record->status, ==, statuses[i]);
      g_assert_cmpint (relay_delivery_status_is_final (record->status), ==, final[i]);
      g_assert_cmpint (record->error_code, ==, final[i] ? 5 : -1);
      g_assert_cmpint (record->finalized_at, ==, 0);
      g_assert_true (relay_delivery_status_is_valid (statuses[i]));
    }

  g_assert_false (relay_delivery_status_is_valid ("Delivered"));
  g_assert_false (relay_delivery_status_is_valid (NULL));
}

static void
test_report_not_found (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (relay_nexmo_parse_report (ANSWER (""), -1, "12000000E506AC66", &error));
  g_assert_error (error, RELAY_REPORTS_ERROR, RELAY_REPORTS_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "12000000E506AC66"));
  g_clear_error (&error);

  /* Another message's record answers nothing about this one. */
  g_assert_null (relay_nexmo_parse_report (ANSWER (RECORD ("delivered", "null")), -1, "12000000E506AC67", &error));
  g_assert_error (error, RELAY_REPORTS_ERROR, RELAY_REPORTS_ERROR_NOT_FOUND);
}

static void
test_report_malformed (void)
{
  const char *bad[] = {
    "", "not json", "[]", "{}", "{\"records\":{}}", "{\"records\":null}",
    ANSWER ("1"),
    ANSWER ("{}"),
    ANSWER ("{\"message_id\":\"ABC\"}"),
    ANSWER ("{\"message_id\":\"ABC\",\"status\":\"Delivered\"}"),
    ANSWER ("{\"message_id\":\"ABC\",\"status\":\"read\"}"),
    ANSWER ("{\"message_id\":\"ABC\",\"status\":7}"),
    ANSWER ("{\"message_id\":12,\"status\":\"delivered\"}"),
    ANSWER ("{\"message_id\":\"\",\"status\":\"delivered\"}"),
    /* a time without its zone would be read in the local one */
    ANSWER ("{\"message_id\":\"ABC\",\"status\":\"delivered\",\"date_received\":\"2020-06-04T12:21:35\"}"),
    ANSWER ("{\"message_id\":\"ABC\",\"status\":\"delivered\",\"date_received\":\"yesterday\"}"),
    ANSWER ("{\"message_id\":\"ABC\",\"status\":\"delivered\",\"date_finalized\":1591273297}"),
    ANSWER ("{\"message_id\":\"ABC\",\"status\":\"delivered\",\"error_code\":\"x1\"}"),
    ANSWER ("{\"message_id\":\"ABC\",\"status\":\"delivered\",\"error_code\":-1}"),
    ANSWER ("{\"message_id\":\"ABC\",\"status\":\"delivered\",\"error_code\":1.5}"),
    ANSWER ("{\"message_id\":\"ABC\",\"status\":\"delivered\",\"total_price\":\"-0.1\"}"),
    ANSWER ("{\"message_id\":\"ABC\",\"status\":\"delivered\",\"total_price\":\"0.1.2\"}"),
    ANSWER ("{\"message_id\":\"ABC\",\"status\":\"delivered\",\"to\":[\"4477\"]}"),
    ANSWER ("{\"message_id\":\"ABC\",\"status\":\"delivered\",\"error_code_description\":\"a\\u001b[2Jb\"}"),
    /* a broken record of another message spoils the answer */
    ANSWER ("{\"message_id\":\"ABC\",\"status\":\"delivered\"},{\"message_id\":\"DEF\",\"status\":\"??\"}"),
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", bad[i]);
      g_assert_null (relay_nexmo_parse_report (bad[i], -1, "ABC", &error));
      g_assert_error (error, RELAY_REPORTS_ERROR, RELAY_REPORTS_ERROR_MALFORMED);
    }

  /* Numbers where Vonage sometimes sends them are fine. */
  {
    g_autoptr(RelayDeliveryRecord) record = NULL;
    g_autoptr(GError) error = NULL;

    record = relay_nexmo_parse_report (ANSWER ("{\"message_id\":\"ABC\",\"status\":\"failed\",\"error_code\":4,"
                                               "\"total_price\":0.0333,\"date_received\":\"2026-12-01T10:00:00+01:00\"}"),
                                       -1, "ABC", &error);
    g_assert_no_error (error);
    g_assert_cmpint (record->error_code, ==, 4);
    g_assert_cmpstr (record->price, ==, "0.03330000");
    g_assert_cmpint (record->received_at, ==, G_GINT64_CONSTANT (1796115600) * G_USEC_PER_SEC);
  }
}

static void
test_message_id (void)
{
  g_assert_true (relay_nexmo_message_id_is_valid ("0C000000FIXTURE1"));
  g_assert_true (relay_nexmo_message_id_is_valid ("aaaaaaaa-bbbb-cccc-dddd-0123456789ab"));
  g_assert_false (relay_nexmo_message_id_is_valid (""));
  g_assert_false (relay_nexmo_message_id_is_valid (NULL));
  g_assert_false (relay_nexmo_message_id_is_valid ("a b"));
  g_assert_false (relay_nexmo_message_id_is_valid ("a&id=b"));
  g_assert_false (relay_nexmo_message_id_is_valid ("ä"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/relay/nexmo-reports/settings", test_settings);
  g_test_add_func ("/relay/nexmo-reports/documented", test_report_documented);
  g_test_add_func ("/relay/nexmo-reports/statuses", test_report_statuses);
  g_test_add_func ("/relay/nexmo-reports/not-found", test_report_not_found);
  g_test_add_func ("/relay/nexmo-reports/malformed", test_report_malformed);
  g_test_add_func ("/relay/nexmo-reports/message-id", test_message_id);

  return g_test_run ();
}
