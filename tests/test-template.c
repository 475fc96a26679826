/* test-template.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Message templates: placeholders, brace escapes, errors with their
 * character, expansion per row with missing columns and empty cells,
 * previews and the estimate of per-row texts.
 */

#include <string.h>

#include "relay-bulk-estimate.h"
#include "relay-template.h"

static RelayImport *
import_of (const char *csv)
{
  g_autoptr(GError) error = NULL;
  RelayImport *import = relay_import_new_from_csv (csv, strlen (csv), NULL, &error);

  g_assert_no_error (error);
  return import;
}

static void
assert_parse_error (const char *text,
                    int         code,
                    const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayTemplate) template = relay_template_parse (text, &error);

  g_assert_null (template);
  g_assert_error (error, RELAY_TEMPLATE_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, fragment));
}

static void
test_parse (void)
{
  g_autoptr(RelayTemplate) template = NULL;
  const char * const *names;

  template = relay_template_parse ("Hi {first_name}, {{not}} {  Last Name }. {FIRST_NAME}!", NULL);
  g_assert_nonnull (template);
  names = relay_template_get_placeholders (template);
  g_assert_cmpstr (names[0], ==, "first_name");
  g_assert_cmpstr (names[1], ==, "Last Name");
  g_assert_null (names[2]);
  g_assert_true (relay_template_has_placeholders (template));
  g_clear_pointer (&template, relay_template_unref);

  template = relay_template_parse ("", NULL);
  g_assert_nonnull (template);
  g_assert_null (relay_template_get_placeholders (template)[0]);
  g_assert_false (relay_template_has_placeholders (template));
}

static void
test_errors (void)
{
  assert_parse_error ("Hello {name", RELAY_TEMPLATE_ERROR_UNCLOSED, "character 7");
  assert_parse_error ("Grüße {a {b}", RELAY_TEMPLATE_ERROR_UNCLOSED, "character 7");
  assert_parse_error ("x{}", RELAY_TEMPLATE_ERROR_EMPTY_PLACEHOLDER, "character 2");
  assert_parse_error ("x{ \t }", RELAY_TEMPLATE_ERROR_EMPTY_PLACEHOLDER, "character 2");
  assert_parse_error ("☺ :-}", RELAY_TEMPLATE_ERROR_LONE_CLOSE, "character 5");
  assert_parse_error ("{a}}", RELAY_TEMPLATE_ERROR_LONE_CLOSE, "character 4");
  assert_parse_error ("{{{", RELAY_TEMPLATE_ERROR_UNCLOSED, "character 3");
  assert_parse_error ("Hi \xe9 {name}", RELAY_TEMPLATE_ERROR_ENCODING, "UTF-8");
}

static void
test_expand (void)
{
  g_autoptr(RelayImport) import = import_of ("Phone,First Name,Town\n"
                                             "+447700900001,Ann,\"Bath, UK\"\n"
                                             "+447700900002,,York\n");
  g_autoptr(RelayTemplate) template = relay_template_parse ("Hi {first name} from { town }: {{ok}}", NULL);
  g_autoptr(RelayTemplate) unknown = relay_template_parse ("Hi {first name}, {surname}", NULL);
  RelayTemplateProblem problem;
  g_auto(GStrv) missing = NULL;
  g_autofree char *one = NULL;
  g_autofree char *two = NULL;
  g_autofree char *three = NULL;

  g_assert_cmpuint (relay_import_get_n_rows (import), ==, 2);

  one = relay_template_expand (template, import, 0, &problem);
  g_assert_cmpstr (one, ==, "Hi Ann from Bath, UK: {ok}");
  g_assert_cmpint (problem.kind, ==, RELAY_TEMPLATE_PROBLEM_NONE);

  two = relay_template_expand (template, import, 1, &problem);
  g_assert_cmpstr (two, ==, "Hi  from York: {ok}");
  g_assert_cmpint (problem.kind, ==, RELAY_TEMPLATE_PROBLEM_EMPTY_CELL);
  g_assert_cmpstr (problem.placeholder, ==, "first name");

  three = relay_template_expand (unknown, import, 0, &problem);
  g_assert_cmpstr (three, ==, "Hi Ann, {surname}");
  g_assert_cmpint (problem.kind, ==, RELAY_TEMPLATE_PROBLEM_UNKNOWN_COLUMN);
  g_assert_cmpstr (problem.placeholder, ==, "surname");

  missing = relay_template_check_columns (unknown, import);
  g_assert_cmpstr (missing[0], ==, "surname");
  g_assert_null (missing[1]);
  g_clear_pointer (&missing, g_strfreev);
  missing = relay_template_check_columns (template, import);
  g_assert_null (missing[0]);
}

static void
test_headerless (void)
{
  g_autoptr(RelayImport) import = import_of ("Ann;+447700900001\nBob;+447700900002\n");
  g_autoptr(RelayTemplate) template = relay_template_parse ("Dear {Column 1}", NULL);
  g_autofree char *text = NULL;

  g_assert_false (relay_import_get_has_header (import));
  text = relay_template_expand (template, import, 1, NULL);
  g_assert_cmpstr (text, ==, "Dear Bob");
}

static void
test_preview (void)
{
  g_autoptr(RelayImport) import = import_of ("phone,name\n+447700900001,Zoé\n+447700900002,Łukasz\n+447700900003,Bo\n");
  g_autoptr(RelayTemplate) template = relay_template_parse ("Hello {name}, your appointment is tomorrow at 9:00. Reply STOP to opt out. "
                                                            "Bring your card and arrive ten minutes early please, thank you!", NULL);
  RelayTemplatePreview preview;

  relay_template_preview (template, import, 0, &preview);
  g_assert_cmpint (preview.info.encoding, ==, RELAY_SMS_ENCODING_GSM7);
  g_assert_cmpuint (preview.info.parts, ==, 1);
  g_assert_true (g_str_has_prefix (preview.text, "Hello Zoé,"));
  relay_template_preview_clear (&preview);

  relay_template_preview (template, import, 1, &preview);
  g_assert_cmpint (preview.info.encoding, ==, RELAY_SMS_ENCODING_UCS2);
  g_assert_cmpuint (preview.info.parts, ==, 3);
  relay_template_preview_clear (&preview);
  g_assert_null (preview.text);
}

static void
test_estimate (void)
{
  /* GB only, one network at 0.04: the US number's price is unknown. */
  const char *json = "{\"count\":1,\"countries\":[{\"countryCode\":\"GB\",\"countryName\":\"GB\","
                     "\"countryDisplayName\":\"GB\",\"currency\":\"EUR\",\"defaultPrice\":\"0.04000000\","
                     "\"dialingPrefix\":\"44\",\"networks\":[{\"type\":\"mobile\",\"price\":\"0.04000000\","
                     "\"currency\":\"EUR\",\"mcc\":\"234\",\"networkCode\":\"23410\",\"networkName\":\"O2\"}]}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayPriceList) list = NULL;
  g_autoptr(RelayImport) import = import_of ("phone,name\n+447700900001,Zoé\n+447700900002,Łukasz\n+15552010123,Bo\n");
  g_autoptr(RelayTemplate) template = relay_template_parse ("Hello {name}, your appointment is tomorrow at 9:00, "
                                                            "please arrive ten minutes early.", NULL);
  g_autoptr(RelayPriceEstimate) estimate = NULL;

  list = relay_price_list_parse (json, -1, &error);
  g_assert_no_error (error);

  estimate = relay_bulk_estimate_new (list, template, import, FALSE, TRUE);
  g_assert_cmpuint (estimate->n_recipients, ==, 3);
  g_assert_cmpuint (estimate->n_unknown, ==, 1);
  g_assert_cmpuint (g_array_index (estimate->lines, RelayPriceLine, 0).parts, ==, 1);
  g_assert_cmpuint (g_array_index (estimate->lines, RelayPriceLine, 1).parts, ==, 2);
  /* 1 part and 2 parts at 0.04. */
  g_assert_cmpint (estimate->min, ==, 3 * g_array_index (estimate->lines, RelayPriceLine, 0).min);
  g_assert_cmpint (estimate->max, ==, estimate->min);

  /* One row's preview cost: Łukasz's two UCS-2 parts. */
  {
    g_autoptr(RelayPriceEstimate) row = relay_bulk_estimate_new_for_row (list, template, import, 1, FALSE);

    g_assert_cmpuint (row->n_recipients, ==, 1);
    g_assert_cmpuint (g_array_index (row->lines, RelayPriceLine, 0).parts, ==, 2);
    g_assert_cmpint (row->min, ==, 2 * g_array_index (estimate->lines, RelayPriceLine, 0).min);
  }
  /* Sent as Unicode, Zoé's 88 characters need two parts too. */
  {
    g_autoptr(RelayPriceEstimate) row = relay_bulk_estimate_new_for_row (list, template, import, 0, TRUE);

    g_assert_cmpuint (g_array_index (row->lines, RelayPriceLine, 0).parts, ==, 2);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/relay/template/parse", test_parse);
  g_test_add_func ("/relay/template/errors", test_errors);
  g_test_add_func ("/relay/template/expand", test_expand);
  g_test_add_func ("/relay/template/headerless", test_headerless);
  g_test_add_func ("/relay/template/preview", test_preview);
  g_test_add_func ("/relay/template/estimate", test_estimate);

  return g_test_run ();
}
