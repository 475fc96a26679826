/* fuzz-phone.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Phone number normalisation. The first byte picks a default country
 * (none, a valid one, an invalid one), the rest is the number. For any
 * input: either a problem is reported and no number, or a number of 7
 * to 15 digits starting with a country code; and that number written
 * with '+' normalises to itself, whatever the default country.
 */

#include <string.h>

#include "relay-phone.h"

#include "fuzz-common.h"

static const char *const countries[] = { NULL, "44", "1", "39", "7", "36", "49", "225", "999", "", "+44" };

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *input = NULL;
  g_autofree char *number = NULL;
  g_autofree char *plus = NULL;
  const char *country;
  RelayPhoneProblem problem = RELAY_PHONE_OK;

  if (size == 0)
    return 0;
  country = countries[data[0] % G_N_ELEMENTS (countries)];
  input = fuzz_dup_string (data + 1, size - 1);

  number = relay_phone_normalize (input, country, &problem);
  g_assert_nonnull (relay_phone_problem_to_string (problem));
  if (number == NULL)
    {
      g_assert_cmpint (problem, !=, RELAY_PHONE_OK);
      return 0;
    }

  g_assert_cmpint (problem, ==, RELAY_PHONE_OK);
  g_assert_cmpuint (strspn (number, "0123456789"), ==, strlen (number));
  g_assert_cmpuint (strlen (number), >=, 7);
  g_assert_cmpuint (strlen (number), <=, 15);
  g_assert_cmpuint (relay_phone_country_code_length (number), >, 0);

  plus = g_strconcat ("+", number, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (countries); i++)
    {
      g_autofree char *again = relay_phone_normalize (plus, countries[i], &problem);

      g_assert_cmpstr (again, ==, number);
    }

  return 0;
}
