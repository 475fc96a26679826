/* bench-import.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Importing 100,000 recipients from CSV (issue 13: under 1 s and under
 * 100 MiB of RSS). The file has five columns (id, first name, phone,
 * town, note) with national, international and "(0)" numbers, 5 %
 * invalid, 10 % duplicates, 1 % on the do-not-contact list and one note
 * in 50 a quoted cell over several lines with commas and quotes. The
 * import (read, detect, normalise, deduplicate, check the list) runs 5
 * times: the median and the fastest are printed, and the RSS growth of
 * holding one import (VmRSS from /proc/self/status) and the peak during
 * it (VmHWM). Not a test: it prints figures, and fails only on wrong
 * counts.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "relay-recipient-import.h"

#define N_ROWS    100000
#define RUNS      5
#define TARGET_S  1.0
#define TARGET_MB 100.0

static const char *const towns[] = { "Bath", "York", "St Ives, Cornwall", "Llanfair PG", "Ely" };
static const char *const names[] = { "Ann", "Bob", "Zoë", "Łukasz", "Ngozi", "José", "Mei" };

static char *
make_csv (gsize *length,
          guint *expect_rows,
          guint *expect_invalid,
          guint *expect_duplicates,
          guint *expect_blocked)
{
  GString *csv = g_string_sized_new (N_ROWS * 64);
  GRand *rand = g_rand_new_with_seed (13);
  GArray *sent = g_array_new (FALSE, FALSE, sizeof (guint));

  *expect_rows = *expect_invalid = *expect_duplicates = *expect_blocked = 0;
  g_string_append (csv, "id,First Name,Mobile,Town,Note\r\n");
  for (guint i = 0; i < N_ROWS; i++)
    {
      guint kind = g_rand_int_range (rand, 0, 100);
      guint subscriber = 900000 + i;
      char phone[64];

      if (kind < 5)
        {
          g_snprintf (phone, sizeof phone, "07700 9%05u x", i % 100000);
          (*expect_invalid)++;
        }
      else if (kind < 15 && sent->len > 0)
        {
          /* An earlier row's number, written another way. */
          guint earlier = 900000 + g_array_index (sent, guint, g_rand_int_range (rand, 0, sent->len));

          g_snprintf (phone, sizeof phone, "+44 (0)7%03u %06u", earlier / 1000000 + 700, earlier % 1000000);
          (*expect_duplicates)++;
        }
      else if (kind < 16)
        {
          g_snprintf (phone, sizeof phone, "+4479%08u", i);
          (*expect_blocked)++;
        }
      else
        {
          switch (i % 3)
            {
            case 0:
              g_snprintf (phone, sizeof phone, "07%03u %06u", subscriber / 1000000 + 700, subscriber % 1000000);
              break;
            case 1:
              g_snprintf (phone, sizeof phone, "+44 7%03u %06u", subscriber / 1000000 + 700, subscriber % 1000000);
              break;
            default:
              g_snprintf (phone, sizeof phone, "0044-7%03u-%06u", subscriber / 1000000 + 700, subscriber % 1000000);
              break;
            }
          g_array_append_val (sent, i);
          (*expect_rows)++;
        }

      g_string_append_printf (csv, "%u,%s,%s,", i + 1, names[i % G_N_ELEMENTS (names)], phone);
      if (strchr (towns[i % G_N_ELEMENTS (towns)], ',') != NULL)
        g_string_append_printf (csv, "\"%s\",", towns[i % G_N_ELEMENTS (towns)]);
      else
        g_string_append_printf (csv, "%s,", towns[i % G_N_ELEMENTS (towns)]);
      if (i % 50 == 0)
        g_string_append (csv, "\"Allergies: none,\r\nbring \"\"card\"\"\r\nand ID\"\r\n");
      else
        g_string_append (csv, "Reminder for Tuesday\r\n");
    }

  g_rand_free (rand);
  g_array_unref (sent);
  *length = csv->len;
  return g_string_free (csv, FALSE);
}

static gboolean
is_blocked (const char *number,
            gpointer    data)
{
  /* The blocked rows' numbers: 4479 then eight digits. */
  return g_str_has_prefix (number, "4479");
}

static double
status_mib (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, field);
  if (line == NULL)
    return -1;
  return g_ascii_strtod (line + strlen (field) + 1, NULL) / 1024.0;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
main (int   argc,
      char *argv[])
{
  RelayImportOptions options = { "44", NULL, is_blocked, NULL };
  guint rows, invalid, duplicates, blocked;
  gsize length;
  g_autofree char *csv = make_csv (&length, &rows, &invalid, &duplicates, &blocked);
  double times[RUNS];
  double rss_before, rss_after, hwm_before, hwm_after;
  gboolean ok = TRUE;

  /* The memory run first, so that no earlier import's freed pages hide
   * the growth. */
  rss_before = status_mib ("VmRSS:");
  hwm_before = status_mib ("VmHWM:");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(RelayImport) import = relay_import_new_from_csv (csv, length, &options, &error);

    g_assert_no_error (error);
    rss_after = status_mib ("VmRSS:");
    hwm_after = status_mib ("VmHWM:");

    if (relay_import_get_n_rows (import) != rows
        || relay_import_count_skipped (import, RELAY_IMPORT_SKIP_INVALID) != invalid
        || relay_import_count_skipped (import, RELAY_IMPORT_SKIP_DUPLICATE) != duplicates
        || relay_import_count_skipped (import, RELAY_IMPORT_SKIP_BLOCKED) != blocked
        || relay_import_get_n_records (import) != N_ROWS)
      {
        g_printerr ("wrong counts: %u rows (expected %u), %u invalid (%u), %u duplicates (%u), %u blocked (%u)\n",
                    relay_import_get_n_rows (import), rows,
                    relay_import_count_skipped (import, RELAY_IMPORT_SKIP_INVALID), invalid,
                    relay_import_count_skipped (import, RELAY_IMPORT_SKIP_DUPLICATE), duplicates,
                    relay_import_count_skipped (import, RELAY_IMPORT_SKIP_BLOCKED), blocked);
        ok = FALSE;
      }
  }

  for (guint run = 0; run < RUNS; run++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(RelayImport) import = relay_import_new_from_csv (csv, length, &options, NULL);

      times[run] = (g_get_monotonic_time () - start) / 1e6;
      g_assert_nonnull (import);
    }
  qsort (times, RUNS, sizeof times[0], compare_doubles);

  printf ("import of %u rows (%.1f MiB of CSV; %u to send, %u invalid, %u duplicates, %u blocked):\n",
          N_ROWS, length / 1048576.0, rows, invalid, duplicates, blocked);
  printf ("  time: median %.3f s, fastest %.3f s of %d runs (target < %.1f s) %s\n",
          times[RUNS / 2], times[0], RUNS, TARGET_S, times[RUNS / 2] < TARGET_S ? "ok" : "OVER");
  printf ("  RSS growth holding the import: %.1f MiB, peak growth during it: %.1f MiB (target < %.0f MiB) %s\n",
          rss_after - rss_before, MAX (hwm_after - hwm_before, 0),
          TARGET_MB, MAX (rss_after - rss_before, hwm_after - hwm_before) < TARGET_MB ? "ok" : "OVER");

  return ok ? 0 : 1;
}
