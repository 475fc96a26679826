/* test-history-format.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <gtk/gtk.h>

#include "relay-history-row.h"

/* The History rows' pure helpers: times, first lines, prices, state
 * icons and labels. No display; a fixed "now" and time zone. */

/* 2026-12-01 10:00:00 UTC */
#define NOW ((gint64) 1796119200 * G_USEC_PER_SEC)

static void
assert_time (gint64      us,
             const char *expected)
{
  g_autofree char *text = relay_history_format_time (us, NOW);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_time (void)
{
  assert_time (0, "");
  assert_time (NOW, "Just now");
  assert_time (NOW - 59 * G_USEC_PER_SEC, "Just now");
  assert_time (NOW - G_TIME_SPAN_MINUTE, "1 minute ago");
  assert_time (NOW - 42 * G_TIME_SPAN_MINUTE, "42 minutes ago");
  assert_time (NOW - 2 * G_TIME_SPAN_HOUR, "08:00");
  assert_time (NOW - 10 * G_TIME_SPAN_HOUR, "00:00");
  assert_time (NOW - 11 * G_TIME_SPAN_HOUR, "Yesterday");
  assert_time (NOW - 3 * G_TIME_SPAN_DAY, "28 Nov");
  assert_time (NOW - 400 * G_TIME_SPAN_DAY, "27 Oct 2025");
  /* Across a new year. */
  {
    gint64 new_year = NOW + 31 * G_TIME_SPAN_DAY;
    g_autofree char *yesterday = relay_history_format_time (new_year - 11 * G_TIME_SPAN_HOUR, new_year);
    g_autofree char *earlier = relay_history_format_time (new_year - 3 * G_TIME_SPAN_DAY, new_year);

    g_assert_cmpstr (yesterday, ==, "Yesterday");
    g_assert_cmpstr (earlier, ==, "29 Dec 2026");
  }
  /* A clock set back: no "ago" for the future. */
  assert_time (NOW + G_TIME_SPAN_HOUR, "11:00");
  assert_time (NOW + G_TIME_SPAN_DAY, "2 Dec");
}

static void
test_first_line (void)
{
  g_autofree char *a = relay_history_first_line ("Hello\nworld");
  g_autofree char *b = relay_history_first_line ("One line");
  g_autofree char *c = relay_history_first_line ("\nafter");
  g_autofree char *d = relay_history_first_line (NULL);

  g_assert_cmpstr (a, ==, "Hello");
  g_assert_cmpstr (b, ==, "One line");
  g_assert_cmpstr (c, ==, "");
  g_assert_cmpstr (d, ==, "");
}

static void
assert_price (const char *price,
              const char *currency,
              const char *expected)
{
  RelayStoreMessage message = { .price = (char *) price, .currency = (char *) currency };
  g_autofree char *text = relay_history_format_price (&message);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_price (void)
{
  assert_price (NULL, "EUR", NULL);
  assert_price ("", "EUR", NULL);
  /* As every list writes a price: exact, a no-break space before the code. */
  assert_price ("0.03330000", "EUR", "0.0333\u00a0EUR");
  assert_price ("0.10000000", "EUR", "0.10\u00a0EUR");
  assert_price ("1.00", NULL, "1.00");
  assert_price ("12", "USD", "12.00\u00a0USD");
  assert_price ("0.05", "", "0.05");
  /* What Relay cannot read as an amount shows as the provider said it. */
  assert_price ("1e3", "EUR", "1e3\u00a0EUR");
}

static void
test_states (void)
{
  g_autoptr(GHashTable) icons = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) labels = g_hash_table_new (g_str_hash, g_str_equal);

  /* Every state has an icon and a label of its own. */
  for (int state = 0; state <= RELAY_MESSAGE_STATE_LAST; state++)
    {
      g_assert_true (g_hash_table_add (icons, (gpointer) relay_history_state_icon (state)));
      g_assert_true (g_hash_table_add (labels, (gpointer) relay_history_state_label (state)));
    }
  g_assert_cmpstr (relay_history_state_label (RELAY_MESSAGE_STATE_UNCERTAIN), ==, "May have been sent");
  g_assert_cmpstr (relay_history_state_icon (RELAY_MESSAGE_STATE_SENT), ==, "emblem-ok-symbolic");
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("TZ", "UTC", TRUE);
  g_setenv ("LC_ALL", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/relay/history-format/time", test_time);
  g_test_add_func ("/relay/history-format/first-line", test_first_line);
  g_test_add_func ("/relay/history-format/price", test_price);
  g_test_add_func ("/relay/history-format/states", test_states);

  return g_test_run ();
}
