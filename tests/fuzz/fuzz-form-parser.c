/* fuzz-form-parser.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * relay_params_parse_form() on any bytes. When it accepts the input:
 *  - one parameter per non-empty '&' segment, in order;
 *  - relay_params_to_form() gives text made only of unreserved
 *    characters, "%XX", '=' and '&', and parsing that text gives the
 *    same list back;
 *  - relay_params_normalize() equals a reference built here with GLib's
 *    own escaping and a plain sort, and ignores the order of the list.
 * When it refuses, the list is left as it was and the error is
 * RELAY_OAUTH1_ERROR_MALFORMED with a readable message.
 */

#include <string.h>

#include "relay-oauth1-error.h"
#include "relay-oauth1-params.h"

#include "fuzz-common.h"

static guint
count_segments (const char *text,
                size_t      size)
{
  guint count = 0;
  size_t start = 0;

  for (size_t i = 0; i <= size; i++)
    {
      if (i == size || text[i] == '&')
        {
          if (i > start)
            count++;
          start = i + 1;
        }
    }

  return count;
}

static int
compare_pairs (gconstpointer a,
               gconstpointer b)
{
  const char *const *pa = *(const char *const *const *) a;
  const char *const *pb = *(const char *const *const *) b;
  int cmp = strcmp (pa[0], pb[0]);

  return cmp != 0 ? cmp : strcmp (pa[1], pb[1]);
}

static char *
reference_normalize (GPtrArray *params)
{
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < params->len; i++)
    {
      const RelayParam *param = g_ptr_array_index (params, i);
      char **pair = g_new0 (char *, 3);

      pair[0] = g_uri_escape_string (param->name, NULL, FALSE);
      pair[1] = g_uri_escape_string (param->value, NULL, FALSE);
      g_ptr_array_add (pairs, pair);
    }

  g_ptr_array_sort (pairs, compare_pairs);

  for (guint i = 0; i < pairs->len; i++)
    {
      char **pair = g_ptr_array_index (pairs, i);

      g_string_append_printf (out, "%s%s=%s", i > 0 ? "&" : "", pair[0], pair[1]);
    }

  return g_string_free (out, FALSE);
}

static void
assert_form_alphabet (const char *form)
{
  for (const char *p = form; *p != '\0'; p++)
    {
      if (*p == '%')
        {
          g_assert_true (g_ascii_isxdigit (p[1]) && !g_ascii_islower (p[1]));
          g_assert_true (g_ascii_isxdigit (p[2]) && !g_ascii_islower (p[2]));
          p += 2;
        }
      else
        {
          g_assert_true (g_ascii_isalnum (*p) || strchr ("-._~=&", *p) != NULL);
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;
  g_autoptr(GPtrArray) params = relay_params_new ();
  g_autoptr(GPtrArray) reparsed = relay_params_new ();
  g_autoptr(GPtrArray) reversed = relay_params_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *form = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *normalized_reversed = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *form_again = NULL;
  const RelayParam *sentinel;

  /* A parameter already in the list must survive a refused input. */
  relay_params_add (params, "sentinel", "kept");

  if (!relay_params_parse_form (params, text, size, &error))
    {
      g_assert_error (error, RELAY_OAUTH1_ERROR, RELAY_OAUTH1_ERROR_MALFORMED);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_cmpuint (params->len, ==, 1);
      sentinel = g_ptr_array_index (params, 0);
      g_assert_cmpstr (sentinel->name, ==, "sentinel");
      g_assert_cmpstr (sentinel->value, ==, "kept");
      return 0;
    }

  g_assert_no_error (error);
  g_ptr_array_remove_index (params, 0);
  g_assert_cmpuint (params->len, ==, count_segments (text, size));

  form = relay_params_to_form (params);
  assert_form_alphabet (form);
  g_assert_true (relay_params_parse_form (reparsed, form, -1, &error));
  g_assert_no_error (error);
  fuzz_assert_params_equal (params, reparsed);

  form_again = relay_params_to_form (reparsed);
  g_assert_cmpstr (form, ==, form_again);

  normalized = relay_params_normalize (params);
  expected = reference_normalize (params);
  g_assert_cmpstr (normalized, ==, expected);

  for (guint i = params->len; i > 0; i--)
    {
      const RelayParam *param = g_ptr_array_index (params, i - 1);

      relay_params_add (reversed, param->name, param->value);
    }
  normalized_reversed = relay_params_normalize (reversed);
  g_assert_cmpstr (normalized, ==, normalized_reversed);

  return 0;
}
