/* fuzz-common.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What every fuzz target shares: a critical or a warning from GLib is a
 * finding (as G_DEBUG=fatal-criticals makes it in the test suites), so
 * it aborts and libFuzzer keeps the input.
 */

#include <string.h>

#include "relay-oauth1-params.h"

#include "fuzz-common.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);

  return 0;
}

/* A nul-terminated copy of the input; embedded NUL bytes are kept, so a
 * function that reads up to the first one sees a prefix. */
char *
fuzz_dup_string (const uint8_t *data,
                 size_t         size)
{
  char *copy = g_malloc (size + 1);

  if (size > 0)
    memcpy (copy, data, size);
  copy[size] = '\0';

  return copy;
}

void
fuzz_assert_params_equal (GPtrArray *a,
                          GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);

  for (guint i = 0; i < a->len; i++)
    {
      const RelayParam *pa = g_ptr_array_index (a, i);
      const RelayParam *pb = g_ptr_array_index (b, i);

      g_assert_cmpstr (pa->name, ==, pb->name);
      g_assert_cmpstr (pa->value, ==, pb->value);
    }
}
