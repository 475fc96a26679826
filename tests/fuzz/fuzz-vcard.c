/* fuzz-vcard.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The vCard reader and writer: for any bytes the reader accepts, its
 * entries written as normalised vCard 4.0 (relay_vcard_write()) read
 * back as the same names, numbers and types; every name and number is
 * UTF-8 without CR, trimmed, and every entry has a line.
 */

#include <string.h>

#include "relay-vcard.h"

#include "fuzz-common.h"

static void
check_text (const char *text)
{
  if (text == NULL)
    return;
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_null (strchr (text, '\r'));
  g_assert_false (g_ascii_isspace (text[0]));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) first = relay_vcard_parse ((const char *) data, size, NULL);
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *written = NULL;

  if (first == NULL)
    return 0;

  for (guint i = 0; i < first->len; i++)
    {
      const RelayVcardEntry *e = g_ptr_array_index (first, i);

      check_text (e->name);
      check_text (e->tel);
      check_text (e->type);
      g_assert_cmpuint (e->line, >, 0);
    }

  written = relay_vcard_write (first);
  second = relay_vcard_parse (written, strlen (written), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (second->len, ==, first->len);
  for (guint i = 0; i < first->len; i++)
    {
      const RelayVcardEntry *a = g_ptr_array_index (first, i);
      const RelayVcardEntry *b = g_ptr_array_index (second, i);

      g_assert_cmpstr (a->name, ==, b->name);
      g_assert_cmpstr (a->tel, ==, b->tel);
      g_assert_cmpstr (a->type, ==, b->type);
    }

  return 0;
}
