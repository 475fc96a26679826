/* test-hostile-answers.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 14, items 1, 3 and 8: what a hostile provider can put in an
 * answer. Deep nesting that overflowed json-glib's recursive parser,
 * escape sequences and line breaks in ids, networks and advice that
 * reached the terminal raw, amounts strtod reads but Nexmo never writes,
 * and NUL hidden in a JSON string.
 */

#include <string.h>

#include "relay-json-guard.h"
#include "relay-nexmo-client.h"
#include "relay-oauth1-error.h"
#include "relay-oauth1-token.h"
#include "relay-text-sanitize.h"

#define SENT_PART(id, price, network) \
  "{\"message-count\": \"1\", \"messages\": [{\"to\": \"447700900000\", \"message-id\": \"" id "\", " \
  "\"status\": \"0\", \"remaining-balance\": \"9.90\", \"message-price\": \"" price "\", " \
  "\"network\": \"" network "\"}]}"

/* `{"value":` + @depth `[` + @depth `]` + `}`: the answer of issue 14. */
static char *
nested_answer (guint depth)
{
  GString *text = g_string_new ("{\"value\":");

  for (guint i = 0; i < depth; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < depth; i++)
    g_string_append_c (text, ']');
  g_string_append_c (text, '}');

  return g_string_free (text, FALSE);
}

static void
assert_malformed (const GError *error)
{
  g_assert_error (error, RELAY_NEXMO_ERROR, RELAY_NEXMO_ERROR_MALFORMED);
  g_assert_true (g_str_has_suffix (error->message, "."));
}

static void
test_deep_nesting_refused (void)
{
  g_autofree char *deep = nested_answer (100000);
  g_autoptr(GError) balance_error = NULL;
  g_autoptr(GError) sms_error = NULL;
  g_autoptr(RelaySmsResult) result = NULL;
  RelayBalance balance = { 0, };

  /* Before the guard, json-glib recursed 100,000 deep: SIGSEGV. */
  g_assert_false (relay_nexmo_parse_balance (deep, -1, &balance, &balance_error));
  assert_malformed (balance_error);
  g_assert_nonnull (strstr (balance_error->message, "64"));

  result = relay_nexmo_parse_sms_answer (deep, -1, &sms_error);
  g_assert_null (result);
  assert_malformed (sms_error);
}

static void
test_depth_limit (void)
{
  g_autofree char *at_limit = nested_answer (RELAY_JSON_MAX_DEPTH - 1);
  g_autofree char *past_limit = nested_answer (RELAY_JSON_MAX_DEPTH);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  /* The outer object is one level: 63 arrays inside it make 64. */
  root = relay_json_guard_parse (at_limit, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (root);

  g_assert_null (relay_json_guard_parse (past_limit, -1, &error));
  g_assert_error (error, RELAY_JSON_GUARD_ERROR, RELAY_JSON_GUARD_ERROR_TOO_DEEP);
}

static void
test_brackets_in_strings (void)
{
  g_autofree char *brackets = g_strnfill (10000, '[');
  g_autofree char *answer = g_strdup_printf ("{\"value\": \"1.5\", \"note\": \"%s\\\"{{{\"}", brackets);
  g_autoptr(GError) error = NULL;
  RelayBalance balance = { 0, };

  /* Brackets inside a string, after an escaped quote, are text. */
  g_assert_true (relay_nexmo_parse_balance (answer, -1, &balance, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (balance.value, ==, 1.5);
}

static void
test_nul_escape_refused (void)
{
  static const char *const answers[] = {
    SENT_PART ("0A00\\u0000\\u001b[2J", "0.10", "23410"),
    SENT_PART ("0A00", "0.10", "234\\u000010"),
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaySmsResult) ok = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(RelaySmsResult) result = relay_nexmo_parse_sms_answer (answers[i], -1, &local_error);

      if (result != NULL)
        g_error ("answer %u was accepted: %s", i, answers[i]);
      assert_malformed (local_error);
    }

  /* Escapes json-glib 1.6 would make bytes that are not UTF-8 of (both
   * found by fuzz-nexmo-reports): half of a surrogate pair, and a \u
   * without four hex digits ("\ude8t"), which it reads into a code unit
   * of no meaning. A whole pair and a whole escape are text. */
  {
    static const char *const refused[] = {
      "{\"a\": \"x\\udc80y\"}",
      "{\"a\": \"x\\ud83d\"}",
      "{\"a\": \"x\\ud83dy\"}",
      "{\"a\": \"x\\ud83d\\u0041\"}",
      "{\"a\": \"x\\ud83d\\ud83d\"}",
      "{\"a\": \"x\\ude8true\"}",
      "{\"a\": \"x\\u41\"}",
      "{\"a\": \"x\\u\"}",
      "{\"a\": \"x\\u00g0\"}",
      "{\"a\": \"x\\u004",
    };
    static const char *const text[] = {
      "{\"a\": \"\\ud83d\\ude00\"}",
      "{\"a\": \"\\u00e9\"}",
    };

    for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
      {
        g_autoptr(GError) local_error = NULL;

        g_assert_false (relay_json_guard_check (refused[i], strlen (refused[i]), 64, &local_error));
        g_assert_error (local_error, RELAY_JSON_GUARD_ERROR, RELAY_JSON_GUARD_ERROR_NOT_TEXT);
      }
    for (guint i = 0; i < G_N_ELEMENTS (text); i++)
      {
        g_assert_true (relay_json_guard_check (text[i], strlen (text[i]), 64, &error));
        g_assert_no_error (error);
      }
  }

  /* An escaped backslash followed by "u0000" is no NUL. */
  g_assert_true (relay_json_guard_check ("{\"a\": \"\\\\u0000\"}", 16, 64, &error));
  g_assert_no_error (error);
  ok = relay_nexmo_parse_sms_answer (SENT_PART ("0A00", "0.10", "23410"), -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ok);
}

static void
test_ids_and_networks_validated (void)
{
  static const char *const answers[] = {
    SENT_PART ("\\u001b]0;pwned\\u0007", "0.10", "23410"),
    SENT_PART ("0A00\\r\\nFAKE LINE: sent OK", "0.10", "23410"),
    SENT_PART ("0A00 1", "0.10", "23410"),
    SENT_PART ("0A00", "0.10", "23410\\u001b[31m"),
    SENT_PART ("0A00", "0.10", "23410\\r\\nFAKE LINE: sent OK"),
    SENT_PART ("0A00", "0.10", "Vodafone"),
    /* recipient and client-ref are printed too */
    "{\"message-count\": \"1\", \"messages\": [{\"to\": \"4477\\u001b[2J\", \"message-id\": \"0A00\", "
    "\"status\": \"0\", \"remaining-balance\": \"9.90\", \"message-price\": \"0.10\"}]}",
    "{\"message-count\": \"1\", \"messages\": [{\"client-ref\": \"relay-1\\nFAKE\", \"message-id\": \"0A00\", "
    "\"status\": \"0\", \"remaining-balance\": \"9.90\", \"message-price\": \"0.10\"}]}",
  };
  g_autofree char *long_id = g_strnfill (65, 'A');
  g_autofree char *long_answer = g_strdup_printf (SENT_PART ("%s", "0.10", "23410"), long_id);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelaySmsResult) good = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(RelaySmsResult) result = relay_nexmo_parse_sms_answer (answers[i], -1, &local_error);

      if (result != NULL)
        g_error ("answer %u was accepted: %s", i, answers[i]);
      assert_malformed (local_error);
    }

  g_assert_null (relay_nexmo_parse_sms_answer (long_answer, -1, &error));
  assert_malformed (error);
  g_clear_error (&error);

  /* Nexmo's own shapes still pass: hex ids, UUIDs, MCC+MNC. */
  good = relay_nexmo_parse_sms_answer (SENT_PART ("aaaaaaaa-bbbb-cccc-dddd-0123456789ab", "0.10", "310260"),
                                       -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (good->message_ids[0], ==, "aaaaaaaa-bbbb-cccc-dddd-0123456789ab");
  g_assert_cmpstr (good->network, ==, "310260");
}

static void
test_amounts_strict (void)
{
  static const char *const prices[] = {
    "0x1p4", "1e300", "1e2", "1E-2", "inf", "nan", "+1", " 1", "1 ", ".5", "5.", "0x10",
    "1000000000000000", "1.5.5", "--1", "", "١",
  };
  static const char *const balances[] = {
    "{\"value\": 1e300}",
    "{\"value\": -1e300}",
    "{\"value\": \"0x1p4\"}",
    "{\"value\": \"1e300\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (prices); i++)
    {
      g_autofree char *answer = g_strdup_printf (SENT_PART ("0A00", "%s", "23410"), prices[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(RelaySmsResult) result = relay_nexmo_parse_sms_answer (answer, -1, &error);

      if (result != NULL)
        g_error ("price “%s” was accepted", prices[i]);
      assert_malformed (error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (balances); i++)
    {
      g_autoptr(GError) error = NULL;
      RelayBalance balance = { 0, };

      if (relay_nexmo_parse_balance (balances[i], -1, &balance, &error))
        g_error ("balance %s was accepted", balances[i]);
      assert_malformed (error);
    }
}

static void
assert_printable (const char *text)
{
  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069))
        g_error ("U+%04X in “%s”", c, text);
    }
}

static void
test_problem_advice_bounded (void)
{
  GString *advice = g_string_new ("oauth_problem=signature_invalid&oauth_problem_advice=");
  g_autoptr(RelayOAuth1Problem) problem = NULL;
  g_autoptr(RelayOAuth1Problem) unknown = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) unknown_error = NULL;
  g_autofree char *body = NULL;

  /* 650 KB of ESC sequences, line breaks and a forged line. */
  while (advice->len < 650 * 1024)
    g_string_append (advice, "%1B%5B2J%1B%5D0%3Bpwned%07%0D%0AFAKE%20LINE%3A%20sent%20OK%E2%80%AE");
  body = g_string_free (advice, FALSE);

  problem = relay_oauth1_problem_parse (body, -1);
  g_assert_nonnull (problem);
  error = relay_oauth1_problem_to_error (problem);
  g_assert_error (error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_SIGNATURE_INVALID);
  assert_printable (error->message);
  g_assert_cmpuint (g_utf8_strlen (error->message, -1), <, 600);

  unknown = relay_oauth1_problem_parse ("oauth_problem=%1B%5B31mnew%0Aproblem", -1);
  g_assert_nonnull (unknown);
  unknown_error = relay_oauth1_problem_to_error (unknown);
  assert_printable (unknown_error->message);
}

static void
test_sanitize (void)
{
  g_autofree char *lines = relay_text_sanitize ("a\r\nFAKE\tb", -1, 0);
  g_autofree char *escapes = relay_text_sanitize ("\033[2J\033]0;t\007\302\233x\342\200\256", -1, 0);
  g_autofree char *bad = relay_text_sanitize ("a\377b", -1, 0);
  g_autofree char *cut = relay_text_sanitize ("ééééé", -1, 3);
  g_autofree char *long_arg = g_strnfill (128 * 1024, 'x');
  g_autofree char *sentence = g_strdup_printf ("“%s” is not an option of send.", long_arg);
  g_autofree char *middle = relay_text_sanitize_middle (sentence, 300);

  g_assert_cmpstr (lines, ==, "a FAKE b");
  g_assert_cmpstr (escapes, ==, "\\u001B[2J\\u001B]0;t\\u0007\\u009Bx\\u202E");
  g_assert_cmpstr (bad, ==, "a\357\277\275b");
  g_assert_cmpstr (cut, ==, "ééé…");
  g_assert_cmpint (g_utf8_strlen (middle, -1), ==, 300);
  g_assert_true (g_str_has_suffix (middle, "is not an option of send."));
  g_assert_true (g_str_has_prefix (middle, "“xxx"));

  g_assert_true (relay_text_is_token ("0A0000001234", 64, "-"));
  g_assert_false (relay_text_is_token ("", 64, "-"));
  g_assert_false (relay_text_is_token ("0A\n", 64, "-"));
  g_assert_false (relay_text_is_token ("0A-", 64, NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/relay/hostile-answers/deep-nesting-refused", test_deep_nesting_refused);
  g_test_add_func ("/relay/hostile-answers/depth-limit", test_depth_limit);
  g_test_add_func ("/relay/hostile-answers/brackets-in-strings", test_brackets_in_strings);
  g_test_add_func ("/relay/hostile-answers/nul-escape-refused", test_nul_escape_refused);
  g_test_add_func ("/relay/hostile-answers/ids-and-networks-validated", test_ids_and_networks_validated);
  g_test_add_func ("/relay/hostile-answers/amounts-strict", test_amounts_strict);
  g_test_add_func ("/relay/hostile-answers/problem-advice-bounded", test_problem_advice_bounded);
  g_test_add_func ("/relay/hostile-answers/sanitize", test_sanitize);

  return g_test_run ();
}
