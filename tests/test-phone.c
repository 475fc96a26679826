/* test-phone.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Phone numbers as written, made international digits: every rule of
 * relay-phone.c, and every refusal.
 */

#include "relay-phone.h"

static void
assert_number (const char *input,
               const char *country,
               const char *expected)
{
  RelayPhoneProblem problem = RELAY_PHONE_BAD_CHARACTER;
  g_autofree char *number = relay_phone_normalize (input, country, &problem);

  g_test_message ("%s (%s)", input, country != NULL ? country : "-");
  g_assert_cmpstr (number, ==, expected);
  g_assert_cmpint (problem, ==, RELAY_PHONE_OK);
}

static void
assert_problem (const char        *input,
                const char        *country,
                RelayPhoneProblem  expected)
{
  RelayPhoneProblem problem = RELAY_PHONE_OK;
  g_autofree char *number = relay_phone_normalize (input, country, &problem);
  /* Some inputs are not UTF-8: the TAP log takes them escaped. */
  g_autofree char *shown = g_strescape (input, NULL);

  g_test_message ("%s (%s)", shown, country != NULL ? country : "-");
  g_assert_null (number);
  g_assert_cmpint (problem, ==, expected);
  g_assert_nonnull (relay_phone_problem_to_string (problem));
}

static void
test_international (void)
{
  assert_number ("+44 7700 900123", NULL, "447700900123");
  assert_number ("+447700900123", "1", "447700900123");
  assert_number ("+44 (0)7700 900123", NULL, "447700900123");
  assert_number ("+44 (0) 7700-900.123", NULL, "447700900123");
  assert_number ("0044 7700 900123", NULL, "447700900123");
  assert_number ("00 49 (0)30 1234567", NULL, "49301234567");
  assert_number ("  +1 (555) 201-0123  ", NULL, "15552010123");
  assert_number ("+33 6 12 34 56 78", NULL, "33612345678");
  assert_number ("+39 06 6988 1234", NULL, "390669881234");
  assert_number ("+1/555/201/0123", NULL, "15552010123");
  /* No-break and thin spaces from spreadsheets and word processors. */
  assert_number ("+44\u00a07700\u202f900123", NULL, "447700900123");
  /* 011 is North America's international prefix, only there. */
  assert_number ("011 44 7700 900123", "1", "447700900123");
  assert_problem ("011 44 7700 900123", "44", RELAY_PHONE_TOO_LONG);
}

static void
test_national (void)
{
  assert_number ("07700 900123", "44", "447700900123");
  assert_number ("(0)7700 900123", "44", "447700900123");
  assert_number ("030 1234567", "49", "49301234567");
  /* A national number without its trunk 0 is taken as it is. */
  assert_number ("7700 900123", "44", "447700900123");
  /* The default country of a number with a country code is not used. */
  assert_number ("+49 30 1234567", "44", "49301234567");
}

static void
test_digits_alone (void)
{
  /* Without a default country, digits are international, as the To
   * field and relay-cli --to take them; with the trunk 0 they are not. */
  assert_number ("447700900123", NULL, "447700900123");
  assert_number ("44 7700 900123", "", "447700900123");
  assert_problem ("07700 900123", NULL, RELAY_PHONE_NO_DEFAULT_COUNTRY);
  /* The default country's own code without the '+' is never doubled. */
  assert_number ("447700900123", "44", "447700900123");
  assert_number ("49 30 1234567", "49", "49301234567");
  /* Italy keeps its 0, so only numbers longer than national ones (which
   * have up to 10 digits) starting with 39 carry the code. */
  assert_number ("39 333 123 4567", "39", "393331234567");
  assert_number ("393 123 4567", "39", "393931234567");
  /* North America: another country's number without its '+'. */
  assert_number ("447700900123", "1", "447700900123");
  assert_problem ("1 555 201 01234", "1", RELAY_PHONE_BAD_NATIONAL_NUMBER);
}

static void
test_country_rules (void)
{
  /* Italy keeps its leading 0. */
  assert_number ("06 6988 1234", "39", "390669881234");
  assert_number ("333 123 4567", "39", "393331234567");
  /* North America: 10 digits, an optional leading 1, area code 2-9. */
  assert_number ("(555) 201-0123", "1", "15552010123");
  assert_number ("1 555 201 0123", "1", "15552010123");
  assert_problem ("555 201 012", "1", RELAY_PHONE_BAD_NATIONAL_NUMBER);
  assert_problem ("155 5201 01234", "1", RELAY_PHONE_BAD_NATIONAL_NUMBER);
  assert_problem ("055 5201 0123", "1", RELAY_PHONE_BAD_NATIONAL_NUMBER);
  /* Russia's trunk prefix is 8, Hungary's 06. */
  assert_number ("8 916 123-45-67", "7", "79161234567");
  assert_number ("06 30 123 4567", "36", "36301234567");
}

static void
test_refused (void)
{
  assert_problem ("", NULL, RELAY_PHONE_EMPTY);
  assert_problem (" -() ", "44", RELAY_PHONE_EMPTY);
  assert_problem ("+", NULL, RELAY_PHONE_EMPTY);
  assert_problem ("00", NULL, RELAY_PHONE_EMPTY);
  assert_problem ("+44 7700 900123 ext 4", NULL, RELAY_PHONE_BAD_CHARACTER);
  assert_problem ("0800-FLOWERS", "44", RELAY_PHONE_BAD_CHARACTER);
  assert_problem ("44+7700900123", NULL, RELAY_PHONE_BAD_CHARACTER);
  assert_problem ("++447700900123", NULL, RELAY_PHONE_BAD_CHARACTER);
  assert_problem ("+44 7700 900123#", NULL, RELAY_PHONE_BAD_CHARACTER);
  assert_problem ("+44 ７７００ 900123", NULL, RELAY_PHONE_BAD_CHARACTER);
  assert_problem ("\xff\xfe", NULL, RELAY_PHONE_BAD_CHARACTER);
  assert_problem ("+44 123", NULL, RELAY_PHONE_TOO_SHORT);
  assert_problem ("+1234567890123456", NULL, RELAY_PHONE_TOO_LONG);
  assert_problem ("07700 900123", NULL, RELAY_PHONE_NO_DEFAULT_COUNTRY);
  assert_problem ("07700 900123", "", RELAY_PHONE_NO_DEFAULT_COUNTRY);
  assert_problem ("07700 900123", "999", RELAY_PHONE_BAD_DEFAULT_COUNTRY);
  assert_problem ("07700 900123", "+44", RELAY_PHONE_BAD_DEFAULT_COUNTRY);
  assert_problem ("+999 123 4567", NULL, RELAY_PHONE_BAD_COUNTRY_CODE);
  assert_problem ("+0 123 4567", NULL, RELAY_PHONE_BAD_COUNTRY_CODE);
  assert_problem ("+800 1234 5678", NULL, RELAY_PHONE_BAD_COUNTRY_CODE);
  /* 15 digits is the most E.164 allows. */
  assert_number ("+49 123456789012 3", NULL, "491234567890123");
  assert_number ("+44 12345", NULL, "4412345");
}

static void
test_country_codes (void)
{
  const char *valid[] = { "1", "7", "20", "44", "49", "211", "225", "380", "420", "599", "692", "886", "998" };
  const char *invalid[] = { "0", "2", "28", "42", "80", "210", "259", "384", "800", "808", "870", "999", "4444", "" };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    g_assert_true (relay_phone_is_country_code (valid[i]));
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    g_assert_false (relay_phone_is_country_code (invalid[i]));

  g_assert_cmpuint (relay_phone_country_code_length ("15552010123"), ==, 1);
  g_assert_cmpuint (relay_phone_country_code_length ("447700900123"), ==, 2);
  g_assert_cmpuint (relay_phone_country_code_length ("3531234567"), ==, 3);
  g_assert_cmpuint (relay_phone_country_code_length ("999"), ==, 0);
  g_assert_cmpuint (relay_phone_country_code_length ("2"), ==, 0);
}

static void
test_idempotent (void)
{
  const char *inputs[] = { "+44 (0)7700 900123", "011 33 6 12 34 56 78", "(555) 201-0123", "06 6988 1234" };
  const char *countries[] = { NULL, "1", "1", "39" };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autofree char *once = relay_phone_normalize (inputs[i], countries[i], NULL);
      g_autofree char *plus = g_strconcat ("+", once, NULL);
      g_autofree char *twice = relay_phone_normalize (plus, "44", NULL);

      g_assert_nonnull (once);
      g_assert_cmpstr (once, ==, twice);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/relay/phone/international", test_international);
  g_test_add_func ("/relay/phone/national", test_national);
  g_test_add_func ("/relay/phone/digits-alone", test_digits_alone);
  g_test_add_func ("/relay/phone/country-rules", test_country_rules);
  g_test_add_func ("/relay/phone/refused", test_refused);
  g_test_add_func ("/relay/phone/country-codes", test_country_codes);
  g_test_add_func ("/relay/phone/idempotent", test_idempotent);

  return g_test_run ();
}
