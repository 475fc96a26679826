/* relay-phone.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * RelayPhoneProblem:
 * @RELAY_PHONE_OK: the number is valid
 * @RELAY_PHONE_EMPTY: nothing but separators
 * @RELAY_PHONE_BAD_CHARACTER: a letter or a sign other than the separators
 *   (space . - / ( )) and one leading '+'
 * @RELAY_PHONE_TOO_SHORT: fewer than 7 digits with the country code
 * @RELAY_PHONE_TOO_LONG: more than 15 digits (E.164)
 * @RELAY_PHONE_NO_DEFAULT_COUNTRY: a national number and no default country
 * @RELAY_PHONE_BAD_COUNTRY_CODE: the digits start with no ITU country code
 * @RELAY_PHONE_BAD_DEFAULT_COUNTRY: the default country is not a country code
 * @RELAY_PHONE_BAD_NATIONAL_NUMBER: a national number of the wrong shape
 *   for its country (North America: 10 digits, area code not 0 or 1)
 *
 * Why relay_phone_normalize() refused a number.
 */
typedef enum
{
  RELAY_PHONE_OK,
  RELAY_PHONE_EMPTY,
  RELAY_PHONE_BAD_CHARACTER,
  RELAY_PHONE_TOO_SHORT,
  RELAY_PHONE_TOO_LONG,
  RELAY_PHONE_NO_DEFAULT_COUNTRY,
  RELAY_PHONE_BAD_COUNTRY_CODE,
  RELAY_PHONE_BAD_DEFAULT_COUNTRY,
  RELAY_PHONE_BAD_NATIONAL_NUMBER,
} RelayPhoneProblem;

char        *relay_phone_normalize             (const char        *input,
                                                const char        *default_country,
                                                RelayPhoneProblem *problem);
const char  *relay_phone_problem_to_string     (RelayPhoneProblem  problem);
guint        relay_phone_country_code_length   (const char        *digits);
gboolean     relay_phone_is_country_code       (const char        *code);

G_END_DECLS
