/* test-nexmo-parse.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pure Nexmo answer parsers and status sentences.
 */

#include <string.h>

#include "relay-nexmo-client.h"

static const int known_statuses[] = {
  1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 14, 15, 22, 23, 29, 32, 33,
};

#define ONE_PART \
  "{\"message-count\": \"1\", \"messages\": [{\"to\": \"447700900000\", " \
  "\"message-id\": \"0A0000000123ABCD1\", \"status\": \"0\", " \
  "\"remaining-balance\": \"3.14159265\", \"message-price\": \"0.03330000\", " \
  "\"network\": \"23410\", \"client-ref\": \"relay-abc-1\"}]}"

#define THREE_PARTS \
  "{\"message-count\": \"3\", \"messages\": [" \
  "{\"to\": \"447700900000\", \"message-id\": \"id-1\", \"status\": \"0\", " \
  "\"remaining-balance\": \"9.90\", \"message-price\": \"0.10\", \"network\": \"23410\"}," \
  "{\"to\": \"447700900000\", \"message-id\": \"id-2\", \"status\": \"0\", " \
  "\"remaining-balance\": \"9.80\", \"message-price\": \"0.10\", \"network\": \"23410\"}," \
  "{\"to\": \"447700900000\", \"message-id\": \"id-3\", \"status\": \"0\", " \
  "\"remaining-balance\": \"9.70\", \"message-price\": \"0.10\", \"network\": \"23410\"}]}"

static void
test_status_sentences (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_nonnull (relay_nexmo_status_describe (0));

  for (guint i = 0; i < G_N_ELEMENTS (known_statuses); i++)
    {
      int status = known_statuses[i];
      const char *sentence = relay_nexmo_status_describe (status);
      g_autoptr(GError) error = relay_nexmo_status_to_error (status, NULL);
      g_autofree char *number = g_strdup_printf ("%d", status);

      g_assert_nonnull (sentence);
      g_assert_true (relay_nexmo_status_is_known (status));
      g_assert_true (g_str_has_suffix (sentence, "."));
      g_assert_true (g_ascii_isupper (sentence[0]));
      /* One sentence per code, not a shared generic one. */
      g_assert_false (g_hash_table_contains (seen, sentence));
      g_hash_table_add (seen, (gpointer) sentence);

      g_assert_error (error, RELAY_NEXMO_ERROR, status);
      g_assert_nonnull (strstr (error->message, number));
      g_assert_nonnull (strstr (error->message, sentence));
    }

  /* The enum carries the numbers themselves. */
  g_assert_cmpint (RELAY_NEXMO_ERROR_NON_WHITELISTED_DESTINATION, ==, 29);
  g_assert_cmpint (RELAY_NEXMO_ERROR_NUMBER_DEACTIVATED, ==, 33);
}

static void
test_status_unknown (void)
{
  static const int unknown[] = { 10, 13, 16, 42, 99, 1000, 1001 };

  for (guint i = 0; i < G_N_ELEMENTS (unknown); i++)
    {
      g_autoptr(GError) error = relay_nexmo_status_to_error (unknown[i], "Something odd");
      g_autofree char *number = g_strdup_printf ("status %d", unknown[i]);

      g_assert_false (relay_nexmo_status_is_known (unknown[i]));
      g_assert_cmpstr (relay_nexmo_status_describe (unknown[i]), ==,
                       "The provider refused the message with a status Relay does not know.");
      g_assert_error (error, RELAY_NEXMO_ERROR, RELAY_NEXMO_ERROR_UNKNOWN);
      g_assert_nonnull (strstr (error->message, number));
      g_assert_nonnull (strstr (error->message, "Something odd"));
    }
}

static void
test_error_text_quoted_safely (void)
{
  g_autofree char *long_text = g_strnfill (1000, 'x');
  g_autoptr(GError) error = relay_nexmo_status_to_error (2, "Missing\nto\x01 param");
  g_autoptr(GError) long_error = relay_nexmo_status_to_error (3, long_text);

  g_assert_error (error, RELAY_NEXMO_ERROR, RELAY_NEXMO_ERROR_MISSING_PARAMS);
  g_assert_null (strchr (error->message, '\n'));
  g_assert_null (strchr (error->message, '\x01'));
  g_assert_nonnull (strstr (error->message, "Missing to  param"));
  g_assert_cmpuint (strlen (long_error->message), <, 400);
}

static void
test_throttle_wait (void)
{
  g_assert_cmpint (relay_nexmo_parse_throttle_wait ("Throughput Rate Exceeded - please wait [ 250 ] and retry"), ==, 250);
  g_assert_cmpint (relay_nexmo_parse_throttle_wait ("wait [1000]"), ==, 1000);
  g_assert_cmpint (relay_nexmo_parse_throttle_wait ("Throughput Rate Exceeded"), ==, -1);
  g_assert_cmpint (relay_nexmo_parse_throttle_wait ("wait [ soon ]"), ==, -1);
  g_assert_cmpint (relay_nexmo_parse_throttle_wait ("wait [ -5 ]"), ==, -1);
  g_assert_cmpint (relay_nexmo_parse_throttle_wait ("wait [ 12"), ==, -1);
  g_assert_cmpint (relay_nexmo_parse_throttle_wait (NULL), ==, -1);
}

static void
test_one_part (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaySmsResult) result = relay_nexmo_parse_sms_answer (ONE_PART, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_no_error (result->error);
  g_assert_cmpstr (result->to, ==, "447700900000");
  g_assert_cmpuint (result->parts, ==, 1);
  g_assert_cmpstr (result->message_ids[0], ==, "0A0000000123ABCD1");
  g_assert_null (result->message_ids[1]);
  g_assert_cmpfloat_with_epsilon (result->price, 0.0333, 1e-9);
  g_assert_cmpfloat_with_epsilon (result->remaining_balance, 3.14159265, 1e-9);
  g_assert_cmpstr (result->network, ==, "23410");
  g_assert_cmpstr (result->client_ref, ==, "relay-abc-1");
  g_assert_cmpint (result->status, ==, 0);
}

static void
test_multipart_sums (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaySmsResult) result = relay_nexmo_parse_sms_answer (THREE_PARTS, strlen (THREE_PARTS), &error);
  const char *const ids[] = { "id-1", "id-2", "id-3", NULL };

  g_assert_no_error (error);
  g_assert_no_error (result->error);
  g_assert_cmpuint (result->parts, ==, 3);
  g_assert_cmpstrv (result->message_ids, ids);
  g_assert_cmpfloat_with_epsilon (result->price, 0.30, 1e-9);
  /* The last part's balance, not the first or a sum. */
  g_assert_cmpfloat_with_epsilon (result->remaining_balance, 9.70, 1e-9);
}

static void
test_partial_failure (void)
{
  const char *json =
    "{\"message-count\": \"2\", \"messages\": ["
    "{\"to\": \"447700900000\", \"message-id\": \"id-1\", \"status\": \"0\", "
    "\"remaining-balance\": \"0.05\", \"message-price\": \"0.05\"},"
    "{\"status\": \"9\", \"error-text\": \"Quota Exceeded - rejected\"}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaySmsResult) result = relay_nexmo_parse_sms_answer (json, -1, &error);

  g_assert_no_error (error);
  g_assert_error (result->error, RELAY_NEXMO_ERROR, RELAY_NEXMO_ERROR_PARTNER_QUOTA_EXCEEDED);
  g_assert_nonnull (strstr (result->error->message, "Nexmo status 9"));
  g_assert_nonnull (strstr (result->error->message, "Quota Exceeded"));
  g_assert_cmpint (result->status, ==, 9);
  g_assert_cmpuint (result->parts, ==, 1);
  g_assert_cmpstr (result->message_ids[0], ==, "id-1");
}

static void
test_refused (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (known_statuses); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"message-count\":\"1\",\"messages\":[{\"status\":\"%d\","
                                               "\"error-text\":\"Provider text\"}]}",
                                               known_statuses[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(RelaySmsResult) result = relay_nexmo_parse_sms_answer (json, -1, &error);

      g_assert_no_error (error);
      g_assert_error (result->error, RELAY_NEXMO_ERROR, known_statuses[i]);
      g_assert_cmpint (result->status, ==, known_statuses[i]);
      g_assert_cmpuint (result->parts, ==, 0);
      g_assert_null (result->message_ids[0]);
    }
}

static void
test_throttled_answer (void)
{
  const char *json = "{\"message-count\":\"1\",\"messages\":[{\"status\":\"1\","
                     "\"error-text\":\"Throughput Rate Exceeded - please wait [ 120 ] and retry\"}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaySmsResult) result = relay_nexmo_parse_sms_answer (json, -1, &error);

  g_assert_no_error (error);
  g_assert_error (result->error, RELAY_NEXMO_ERROR, RELAY_NEXMO_ERROR_THROTTLED);
  g_assert_cmpint (result->retry_after_ms, ==, 120);
}

static void
test_unknown_status_answer (void)
{
  const char *json = "{\"message-count\":\"1\",\"messages\":[{\"status\":\"77\"}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaySmsResult) result = relay_nexmo_parse_sms_answer (json, -1, &error);

  g_assert_no_error (error);
  g_assert_error (result->error, RELAY_NEXMO_ERROR, RELAY_NEXMO_ERROR_UNKNOWN);
  g_assert_nonnull (strstr (result->error->message, "77"));
  g_assert_cmpint (result->status, ==, 77);
}

static void
test_malformed (void)
{
  static const char *const answers[] = {
    "",
    "not json",
    "<html><body>Internal Server Error</body></html>",
    "[]",
    "\"a string\"",
    "null",
    "{}",
    "{\"message-count\": 1, \"messages\": []}",
    "{\"message-count\": \"1\"}",
    "{\"message-count\": \"1\", \"messages\": {}}",
    "{\"message-count\": \"0\", \"messages\": []}",
    "{\"message-count\": \"2\", \"messages\": [{\"status\": \"4\"}]}",
    "{\"message-count\": \"1\", \"messages\": [{\"status\": \"4\"}, {\"status\": \"4\"}]}",
    "{\"message-count\": \"-1\", \"messages\": []}",
    "{\"message-count\": \"1x\", \"messages\": [{\"status\": \"4\"}]}",
    "{\"message-count\": \"1\", \"messages\": [\"status\"]}",
    "{\"message-count\": \"1\", \"messages\": [{\"status\": 0}]}",
    "{\"message-count\": \"1\", \"messages\": [{}]}",
    "{\"message-count\": \"1\", \"messages\": [{\"status\": \"zero\"}]}",
    "{\"message-count\": \"1\", \"messages\": [{\"status\": \"0\", \"remaining-balance\": \"1\", \"message-price\": \"1\"}]}",
    "{\"message-count\": \"1\", \"messages\": [{\"status\": \"0\", \"message-id\": \"\", \"remaining-balance\": \"1\", \"message-price\": \"1\"}]}",
    "{\"message-count\": \"1\", \"messages\": [{\"status\": \"0\", \"message-id\": \"a\", \"remaining-balance\": \"1\", \"message-price\": \"cheap\"}]}",
    "{\"message-count\": \"1\", \"messages\": [{\"status\": \"0\", \"message-id\": \"a\", \"remaining-balance\": \"1\", \"message-price\": \"-0.5\"}]}",
    "{\"message-count\": \"1\", \"messages\": [{\"status\": \"0\", \"message-id\": \"a\", \"remaining-balance\": \"nan\", \"message-price\": \"0.5\"}]}",
    "{\"message-count\": \"1\", \"messages\": [{\"status\": \"0\", \"message-id\": \"a\", \"remaining-balance\": 1.0, \"message-price\": \"0.5\"}]}",
    "{\"message-count\": \"1\", \"messages\": [{\"status\": \"0\", \"message-id\": 7, \"remaining-balance\": \"1\", \"message-price\": \"0.5\"}]}",
    "{\"message-count\": \"1\", \"messages\": [{\"status\": \"4\", \"error-text\": []}]}",
    /* a lone surrogate escape, which json-glib turns into bytes that are not UTF-8 */
    "{\"message-count\": \"1\", \"messages\": [{\"status\": \"0\", \"message-id\": \"0\\ud83du\", \"remaining-balance\": \"1\", \"message-price\": \"0.5\"}]}",
    "{\"message-count\": \"2\", \"messages\": [{\"to\": \"1\", \"status\": \"4\"}, {\"to\": \"2\", \"status\": \"4\"}]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RelaySmsResult) result = relay_nexmo_parse_sms_answer (answers[i], -1, &error);

      if (result != NULL)
        g_error ("answer %u was accepted: %s", i, answers[i]);
      g_assert_error (error, RELAY_NEXMO_ERROR, RELAY_NEXMO_ERROR_MALFORMED);
      g_assert_true (g_str_has_suffix (error->message, "."));
    }
}

static void
test_truncated (void)
{
  gsize len = strlen (THREE_PARTS);

  /* Every cut of a good answer is refused, none crashes. */
  for (gsize cut = 0; cut < len; cut++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RelaySmsResult) result = relay_nexmo_parse_sms_answer (THREE_PARTS, cut, &error);

      g_assert_null (result);
      g_assert_error (error, RELAY_NEXMO_ERROR, RELAY_NEXMO_ERROR_MALFORMED);
    }
}

static void
test_binary (void)
{
  const char with_nul[] = "{\"message-count\": \"1\"\0, \"messages\": []}";
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;
  RelayBalance balance;

  g_assert_null (relay_nexmo_parse_sms_answer (with_nul, sizeof with_nul - 1, &error));
  g_assert_error (error, RELAY_NEXMO_ERROR, RELAY_NEXMO_ERROR_MALFORMED);
  g_assert_false (relay_nexmo_parse_balance ("{\"value\": \xff}", -1, &balance, &error2));
  g_assert_error (error2, RELAY_NEXMO_ERROR, RELAY_NEXMO_ERROR_MALFORMED);
}

static void
test_balance (void)
{
  static const struct { const char *json; double value; gboolean auto_reload; } good[] = {
    { "{\"value\": 3.14, \"autoReload\": false}", 3.14, FALSE },
    { "{\"value\": 10, \"autoReload\": true}", 10.0, TRUE },
    { "{\"value\": -0.5}", -0.5, FALSE },
    { "{\"value\": \"2.50\", \"autoReload\": null}", 2.5, FALSE },
  };
  static const char *const bad[] = {
    "", "3.14", "[]", "{}", "{\"value\": \"lots\"}", "{\"value\": true}", "{\"value\": null}",
    "{\"value\": {}}", "{\"value\": 1, \"autoReload\": \"no\"}", "{\"value\": 3.1",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      RelayBalance balance = { -1, TRUE };

      g_assert_true (relay_nexmo_parse_balance (good[i].json, -1, &balance, &error));
      g_assert_no_error (error);
      g_assert_cmpfloat_with_epsilon (balance.value, good[i].value, 1e-9);
      g_assert_cmpint (balance.auto_reload, ==, good[i].auto_reload);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      RelayBalance balance;

      g_assert_false (relay_nexmo_parse_balance (bad[i], -1, &balance, &error));
      g_assert_error (error, RELAY_NEXMO_ERROR, RELAY_NEXMO_ERROR_MALFORMED);
    }
}

static void
test_normalize_number (void)
{
  static const struct { const char *in, *out; } good[] = {
    { "447700900123", "447700900123" },
    { "+44 7700 900123", "447700900123" },
    { "0044-7700-900123", "447700900123" },
    { " +1 (555) 010.0199", "15550100199" },
  };
  static const char *const bad[] = {
    "", "+", "12345", "1234567890123456", "07700900123", "44770090012a", "+44 7700 900123; rm",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *number = relay_nexmo_normalize_number (good[i].in, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (number, ==, good[i].out);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *number = relay_nexmo_normalize_number (bad[i], &error);

      g_assert_null (number);
      g_assert_error (error, RELAY_NEXMO_ERROR, RELAY_NEXMO_ERROR_INVALID_PARAMS);
    }
}

static void
test_to_json (void)
{
  g_autoptr(RelaySmsResult) result = relay_nexmo_parse_sms_answer (THREE_PARTS, -1, NULL);
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  JsonArray *ids;

  result->client_ref = g_strdup ("relay-x-9");
  node = relay_sms_result_to_json (result);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "to"), ==, "447700900000");
  g_assert_cmpstr (json_object_get_string_member (object, "client-ref"), ==, "relay-x-9");
  g_assert_cmpint (json_object_get_int_member (object, "parts"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (object, "price"), ==, "0.30000000");
  g_assert_cmpstr (json_object_get_string_member (object, "remaining-balance"), ==, "9.70000000");
  ids = json_object_get_array_member (object, "message-ids");
  g_assert_cmpuint (json_array_get_length (ids), ==, 3);
  g_assert_cmpstr (json_array_get_string_element (ids, 2), ==, "id-3");
  g_assert_false (json_object_has_member (object, "error"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/relay/nexmo-parse/status-sentences", test_status_sentences);
  g_test_add_func ("/relay/nexmo-parse/status-unknown", test_status_unknown);
  g_test_add_func ("/relay/nexmo-parse/error-text-quoted-safely", test_error_text_quoted_safely);
  g_test_add_func ("/relay/nexmo-parse/throttle-wait", test_throttle_wait);
  g_test_add_func ("/relay/nexmo-parse/one-part", test_one_part);
  g_test_add_func ("/relay/nexmo-parse/multipart-sums", test_multipart_sums);
  g_test_add_func ("/relay/nexmo-parse/partial-failure", test_partial_failure);
  g_test_add_func ("/relay/nexmo-parse/refused", test_refused);
  g_test_add_func ("/relay/nexmo-parse/throttled-answer", test_throttled_answer);
  g_test_add_func ("/relay/nexmo-parse/unknown-status-answer", test_unknown_status_answer);
  g_test_add_func ("/relay/nexmo-parse/malformed", test_malformed);
  g_test_add_func ("/relay/nexmo-parse/truncated", test_truncated);
  g_test_add_func ("/relay/nexmo-parse/binary", test_binary);
  g_test_add_func ("/relay/nexmo-parse/balance", test_balance);
  g_test_add_func ("/relay/nexmo-parse/normalize-number", test_normalize_number);
  g_test_add_func ("/relay/nexmo-parse/to-json", test_to_json);

  return g_test_run ();
}
