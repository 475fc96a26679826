/* fuzz-authorization-header.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sandbox reads every client's Authorization header with
 * relay_oauth1_parse_authorization(). For any header:
 *  - a refusal is a RELAY_OAUTH1_ERROR_MALFORMED with a UTF-8 sentence,
 *    and leaves the caller's list as it was;
 *  - an accepted header gives 1 to 64 parameters, no name twice, and no
 *    realm among them; building it again with
 *    relay_oauth1_build_authorization() and parsing that gives the same
 *    parameters and realm.
 * The same input is also read as a form (names and values of any bytes):
 * built into a header and parsed back, it must give the same list.
 */

#include <string.h>

#include "relay-oauth1-error.h"
#include "relay-oauth1-header.h"
#include "relay-oauth1-params.h"

#include "fuzz-common.h"

#define MAX_HEADER_PARAMS 64

static void
assert_round_trip (const char *realm,
                   GPtrArray  *params)
{
  g_autoptr(GPtrArray) parsed = relay_params_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *header = relay_oauth1_build_authorization (realm, params);
  g_autofree char *parsed_realm = NULL;

  g_assert_true (g_str_has_prefix (header, "OAuth "));
  g_assert_true (relay_oauth1_parse_authorization (header, parsed, &parsed_realm, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (parsed_realm, ==, realm);
  fuzz_assert_params_equal (params, parsed);
}

static void
check_header (const char *header)
{
  g_autoptr(GPtrArray) params = relay_params_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *realm = NULL;
  const RelayParam *sentinel;

  relay_params_add (params, "sentinel", "kept");

  if (!relay_oauth1_parse_authorization (header, params, &realm, &error))
    {
      g_assert_error (error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_MALFORMED);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_cmpuint (params->len, ==, 1);
      sentinel = g_ptr_array_index (params, 0);
      g_assert_cmpstr (sentinel->name, ==, "sentinel");
      g_assert_cmpstr (sentinel->value, ==, "kept");
      return;
    }

  g_assert_no_error (error);
  g_ptr_array_remove_index (params, 0);
  g_assert_cmpuint (params->len, >=, 1);
  g_assert_cmpuint (params->len, <=, MAX_HEADER_PARAMS);

  for (guint i = 0; i < params->len; i++)
    {
      const RelayParam *param = g_ptr_array_index (params, i);

      g_assert_cmpuint (strlen (param->name), >, 0);
      g_assert_cmpint (g_ascii_strcasecmp (param->name, "realm"), !=, 0);
      g_assert_cmpuint (relay_params_count (params, param->name), ==, 1);
    }

  assert_round_trip (realm, params);
}

/* Any list a signer could hand to the builder: named, no repeats, no
 * realm among the parameters, at most the parser's limit. */
static void
check_built (const uint8_t *data,
             size_t         size)
{
  g_autoptr(GPtrArray) form = relay_params_new ();
  g_autoptr(GPtrArray) params = relay_params_new ();
  const char *realm = NULL;

  if (!relay_params_parse_form (form, (const char *) data, size, NULL))
    return;

  for (guint i = 0; i < form->len && params->len < MAX_HEADER_PARAMS; i++)
    {
      const RelayParam *param = g_ptr_array_index (form, i);

      if (g_ascii_strcasecmp (param->name, "realm") == 0)
        {
          if (realm == NULL)
            realm = param->value;
          continue;
        }
      if (*param->name == '\0' || relay_params_count (params, param->name) > 0)
        continue;

      relay_params_add (params, param->name, param->value);
    }

  if (params->len == 0)
    {
      g_autoptr(GPtrArray) parsed = relay_params_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *header = relay_oauth1_build_authorization (realm, params);

      /* A header without parameters carries nothing to verify. */
      g_assert_false (relay_oauth1_parse_authorization (header, parsed, NULL, &error));
      g_assert_error (error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_MALFORMED);
      return;
    }

  assert_round_trip (realm, params);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *header = fuzz_dup_string (data, size);

  check_header (header);
  check_built (data, size);

  return 0;
}
