/* bench-history.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not a test: the history store with a million messages. Builds the
 * database once through the store's own API (enqueue in large batches;
 * the outcomes are then written in bulk on a second connection, which
 * touches no indexed text), keeps it in --cache-dir keyed by the schema
 * version and the row count, and measures:
 *
 *   (a) opening the History: a new RelayStore on the file, open, the
 *       model's count and its first page, median of --runs runs, with the
 *       file in the page cache (warm) and dropped from it (cold);
 *   (b) full-text search: relay_store_query with .search and limit 50, and
 *       the count the model asks for, over realistic queries;
 *   (c) scrolling: a view of 20 rows scrolled 10,000 rows down; it fails
 *       when the model reads more than the visible rows plus a page;
 *   (d) memory: VmRSS and VmHWM of a process with the model open on the
 *       big store and on an empty one (each in a fresh process);
 *   (e) recording: main-thread CPU time per message for enqueue,
 *       begin_send and record, callbacks included.
 *
 * Prints figures and ratios to their targets and never fails on timing;
 * it fails (exit 1) only when a result is wrong.
 *
 *   bench-history [--count N] [--cache-dir DIR] [--runs N]
 */

#define _GNU_SOURCE

#include <fcntl.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "relay-history-model.h"
#include "relay-store.h"

#define ACCOUNT_A "relay-sandbox-api-key"
#define ACCOUNT_B "acme-marketing"
#define N_RECIPIENTS 20000
#define BATCH 20000
#define VISIBLE 20

static gboolean failed;

#define CHECK(cond, ...) \
  G_STMT_START { \
    if (!(cond)) \
      { \
        fprintf (stderr, "bench-history: wrong: " __VA_ARGS__); \
        fputc ('\n', stderr); \
        failed = TRUE; \
      } \
  } G_STMT_END

static const char *const words[] = {
  "your", "order", "has", "been", "shipped", "and", "will", "arrive", "tomorrow",
  "between", "the", "meeting", "is", "moved", "to", "at", "please", "confirm",
  "reply", "with", "code", "appointment", "reminder", "for", "delivery",
  "confirmed", "thank", "you", "visit", "our", "store", "today", "offer",
  "ends", "soon", "invoice", "payment", "received", "balance", "account",
  "verification", "expires", "in", "minutes", "do", "not", "share", "it",
  "table", "booked", "dinner", "evening", "parcel", "collect", "from",
  "pharmacy", "prescription", "ready", "school", "closed", "weather", "alert",
  "train", "delayed", "platform", "ticket", "refund", "processed", "welcome",
  "back", "we", "miss", "you", "garden", "centre", "opening", "hours",
  "Monday", "Friday", "weekend", "sale", "percent", "discount", "members",
  "only", "newsletter", "update", "password", "changed", "contact", "us",
  "if", "this", "was", "you", "insurance", "renewal", "due", "next", "week",
};

/* Found in about one message in 100,000. */
#define RARE_WORD "zanzibar"

static guint64
rng_next (guint64 *state)
{
  /* xorshift64*: reproducible across runs, unlike g_random. */
  *state ^= *state >> 12;
  *state ^= *state << 25;
  *state ^= *state >> 27;
  return *state * 2685821657736338717ULL;
}

static char *
recipient_for (guint n)
{
  return g_strdup_printf ("4477009%05u", n % 100000);
}

static char *
make_text (guint64 *rng)
{
  GString *text = g_string_new (NULL);
  guint length = 20 + rng_next (rng) % 281;

  if (rng_next (rng) % 100000 == 0)
    g_string_append (text, RARE_WORD " ");
  while (text->len < length)
    {
      guint64 r = rng_next (rng);

      if (text->len > 0)
        g_string_append_c (text, ' ');
      if (r % 17 == 0)
        g_string_append_printf (text, "%06u", (guint) (r >> 20) % 1000000);
      else
        g_string_append (text, words[(r >> 8) % G_N_ELEMENTS (words)]);
    }
  g_string_truncate (text, length);
  while (text->len > 0 && text->str[text->len - 1] == ' ')
    g_string_truncate (text, text->len - 1);

  return g_string_free (text, FALSE);
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static double
thread_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *values,
            double  p)
{
  guint index;

  g_array_sort (values, compare_double);
  index = (guint) (p * (values->len - 1) + 0.5);
  return g_array_index (values, double, index);
}

/* Waiting on the main context for one callback. */

typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} Wait;

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  wait->done = TRUE;
}

static GAsyncResult *
wait_for (Wait *wait)
{
  while (!wait->done)
    g_main_context_iteration (NULL, TRUE);
  return wait->result;
}

static RelayStore *
open_store (const char *path)
{
  RelayStore *store = relay_store_new (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  Wait wait = { 0 };

  relay_store_open_async (store, NULL, wait_cb, &wait);
  result = wait_for (&wait);
  if (!relay_store_open_finish (store, result, &error))
    {
      fprintf (stderr, "bench-history: %s\n", error->message);
      exit (1);
    }

  return store;
}

/* Building the database. */

static void
unlink_database (const char *path)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}

static void
exec_or_die (sqlite3    *db,
             const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      fprintf (stderr, "bench-history: %s: %s\n", sql, message);
      exit (1);
    }
}

static void
build_database (const char *path,
                guint       count)
{
  g_autoptr(RelayStore) store = NULL;
  g_autofree char *partial = g_strconcat (path, ".partial", NULL);
  g_autofree char *update = NULL;
  guint64 rng = 0x5eed5eed5eedULL;
  double start = now_ms ();
  sqlite3 *db;

  unlink_database (partial);

  store = open_store (partial);
  for (guint done = 0; done < count; )
    {
      g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_store_message_free);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      Wait wait = { 0 };

      for (guint i = 0; i < BATCH && done + i < count; i++)
        {
          g_autofree char *recipient = recipient_for ((guint) (rng_next (&rng) % N_RECIPIENTS));
          g_autofree char *text = make_text (&rng);
          RelayStoreMessage *m = relay_store_message_new (i % 7 == 0 ? ACCOUNT_B : ACCOUNT_A,
                                                          "Relay", recipient, text);

          m->encoding = g_strdup ("GSM-7");
          m->parts = strlen (text) <= 160 ? 1 : (guint) (strlen (text) + 152) / 153;
          g_ptr_array_add (batch, m);
        }
      relay_store_enqueue_async (store, batch, NULL, wait_cb, &wait);
      result = wait_for (&wait);
      if (!relay_store_enqueue_finish (store, result, &error))
        {
          fprintf (stderr, "bench-history: %s\n", error->message);
          exit (1);
        }
      done += batch->len;
      fprintf (stderr, "\rbuilding %s: %u rows, %.0f s", path, done, (now_ms () - start) / 1000);
    }
  fputc ('\n', stderr);
  g_clear_object (&store);

  /* The outcomes, as recording each would have left them: 86% sent, 7%
   * failed, 4% not sent, 3% uncertain and decided; queued over two years. */
  if (sqlite3_open (partial, &db) != SQLITE_OK)
    {
      fprintf (stderr, "bench-history: cannot open %s\n", partial);
      exit (1);
    }
  update = g_strdup_printf (
    "BEGIN;"
    "UPDATE messages SET queued_at = %" G_GINT64_FORMAT " + id * 63000000, owner = NULL,"
    "  state = CASE WHEN id %% 100 < 86 THEN 'sent' WHEN id %% 100 < 93 THEN 'failed'"
    "               WHEN id %% 100 < 97 THEN 'not-sent' ELSE 'uncertain' END,"
    "  decided = CASE WHEN id %% 100 >= 97 THEN 1 ELSE 0 END;"
    "UPDATE messages SET sent_at = queued_at + 1500000, status = 0, price = '0.03330000',"
    "  currency = 'EUR', network = '23410', message_ids = printf ('0B00000%%09X', id)"
    "  WHERE state = 'sent';"
    "UPDATE messages SET status = 9, error = 'The account has not enough credit.'"
    "  WHERE state = 'failed';"
    "COMMIT;"
    "PRAGMA wal_checkpoint (TRUNCATE);",
    g_get_real_time () - (gint64) count * 63000000);
  exec_or_die (db, update);
  sqlite3_close (db);

  if (g_rename (partial, path) != 0)
    {
      fprintf (stderr, "bench-history: cannot rename %s\n", partial);
      exit (1);
    }
  fprintf (stderr, "built in %.0f s\n", (now_ms () - start) / 1000);
}

/* The model. */

static void
wait_counted (RelayHistoryModel *model)
{
  while (relay_history_model_get_loading (model))
    g_main_context_iteration (NULL, TRUE);
}

/* The model counts the first rows, shows them, then counts the rest. */
static void
wait_n_items (RelayHistoryModel *model,
              guint              n)
{
  while (g_list_model_get_n_items (G_LIST_MODEL (model)) != n)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
range_loaded (RelayHistoryModel *model,
              guint              first,
              guint              n)
{
  for (guint i = first; i < first + n && i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    {
      g_autoptr(RelayHistoryItem) item = g_list_model_get_item (G_LIST_MODEL (model), i);

      if (item == NULL || !relay_history_item_get_loaded (item))
        return FALSE;
    }
  return TRUE;
}

/* Like a list view: holds the visible items and waits until they show. */
static void
show_range (RelayHistoryModel *model,
            guint              first,
            guint              n)
{
  while (!range_loaded (model, first, n))
    g_main_context_iteration (NULL, TRUE);
}

static void
drop_from_page_cache (const char *path)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      int fd = open (file, O_RDONLY);

      if (fd < 0)
        continue;
      fdatasync (fd);
      posix_fadvise (fd, 0, 0, POSIX_FADV_DONTNEED);
      close (fd);
    }
}

/* (a) */
static void
bench_open (const char *path,
            guint       count,
            int         runs,
            gboolean    cold)
{
  g_autoptr(GArray) total = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) open_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) count_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) page_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) full_ms = g_array_new (FALSE, FALSE, sizeof (double));

  for (int run = 0; run < runs; run++)
    {
      g_autoptr(RelayStore) store = NULL;
      g_autoptr(RelayHistoryModel) model = NULL;
      double t0, t1, t2, t3, t4;

      if (cold)
        drop_from_page_cache (path);

      t0 = now_ms ();
      store = open_store (path);
      t1 = now_ms ();
      model = relay_history_model_new (store);
      relay_history_model_set_query (model, NULL);
      wait_counted (model);
      t2 = now_ms ();
      show_range (model, 0, VISIBLE);
      t3 = now_ms ();
      wait_n_items (model, count);
      t4 = now_ms ();

      CHECK (range_loaded (model, 0, VISIBLE), "the first rows went away");
      g_array_append_val (total, (double) { t3 - t0 });
      g_array_append_val (open_ms, (double) { t1 - t0 });
      g_array_append_val (count_ms, (double) { t2 - t1 });
      g_array_append_val (page_ms, (double) { t3 - t2 });
      g_array_append_val (full_ms, (double) { t4 - t0 });

      g_clear_object (&model);
      g_clear_object (&store);
      /* Let the callbacks of the cancelled model run out. */
      while (g_main_context_iteration (NULL, FALSE));
    }

  printf ("(a) open → first %d rows, %s page cache, %d runs: median %.1f ms (min %.1f, max %.1f; target < 100 ms, %.2fx)\n"
          "    of which open %.1f ms, first count %.1f ms, first page %.1f ms (medians); "
          "all %u rows counted at %.1f ms\n",
          VISIBLE, cold ? "cold" : "warm", runs, percentile (total, 0.5),
          percentile (total, 0.0), percentile (total, 1.0), percentile (total, 0.5) / 100.0,
          percentile (open_ms, 0.5), percentile (count_ms, 0.5), percentile (page_ms, 0.5),
          count, percentile (full_ms, 0.5));
}

/* (b) */
static const char *const searches[] = {
  "7700912",            /* part of a number */
  "0091234",
  "447700900017",       /* a whole number */
  "12345",              /* digits in numbers and in texts */
  "meeting",            /* a word */
  "pharmacy",
  "invoice",
  "prescription",
  "refund",
  "delivery confirmed", /* two words */
  "train delayed",
  "parcel collect",
  "garden centre",
  "verification code",
  RARE_WORD,            /* a rare word */
  "zanzib",
  "xylophone",          /* nothing */
  "ok",                 /* two characters: LIKE */
  "us",
  "42",
  "qx",                 /* two characters found nowhere: LIKE reads every row */
  "meeting at",         /* a word and a short one */
  "the",                /* a word in most texts */
};

static void
bench_search (RelayStore *store)
{
  g_autoptr(GArray) query_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) count_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) first_ms = g_array_new (FALSE, FALSE, sizeof (double));

  printf ("(b) search, limit 50, warm: query ms, first count ms (the model's, up to 1000), "
          "full count ms, rows counted\n");
  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    {
      RelayStoreQuery query = { .search = (char *) searches[i], .state = -1, .limit = 50 };
      g_autoptr(GPtrArray) rows = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GAsyncResult) counted = NULL;
      g_autoptr(GAsyncResult) first = NULL;
      Wait wait = { 0 }, wait_count = { 0 }, wait_first = { 0 };
      double t0, t1, t2, t3, best = G_MAXDOUBLE, best_count = G_MAXDOUBLE, best_first = G_MAXDOUBLE;
      gint64 first_total = -1;
      gint64 total = -1;

      /* Best of three, as typing repeats a query's prefix. */
      for (int round = 0; round < 3; round++)
        {
          g_clear_pointer (&rows, g_ptr_array_unref);
          g_clear_object (&result);
          g_clear_object (&counted);
          g_clear_object (&first);
          wait = (Wait) { 0 };
          wait_count = (Wait) { 0 };
          wait_first = (Wait) { 0 };

          t0 = now_ms ();
          relay_store_query_async (store, &query, NULL, wait_cb, &wait);
          result = wait_for (&wait);
          t1 = now_ms ();
          query.limit = 0;
          relay_store_count_async (store, &query, NULL, wait_cb, &wait_count);
          counted = wait_for (&wait_count);
          t2 = now_ms ();
          relay_store_count_at_most_async (store, &query, 1000, NULL, wait_cb, &wait_first);
          first = wait_for (&wait_first);
          t3 = now_ms ();
          query.limit = 50;
          first_total = relay_store_count_finish (store, first, NULL);

          rows = relay_store_query_finish (store, result, &error);
          total = relay_store_count_finish (store, counted, &error);
          best = MIN (best, t1 - t0);
          best_count = MIN (best_count, t2 - t1);
          best_first = MIN (best_first, t3 - t2);
        }

      CHECK (rows != NULL && total >= 0, "search %s: %s", searches[i], error ? error->message : "?");
      if (rows == NULL)
        continue;
      CHECK (rows->len == MIN (50, total), "search %s gave %u rows of %" G_GINT64_FORMAT,
             searches[i], rows->len, total);
      CHECK (first_total == MIN (1000, total), "search %s: first count %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT,
             searches[i], first_total, total);
      for (guint r = 0; r < rows->len; r++)
        {
          const RelayStoreMessage *m = rows->pdata[r];
          g_auto(GStrv) parts = g_strsplit (searches[i], " ", 0);

          for (guint p = 0; parts[p] != NULL; p++)
            CHECK (strstr (m->recipient, parts[p]) != NULL || strcasestr (m->text, parts[p]) != NULL,
                   "search %s found message %" G_GINT64_FORMAT " without %s", searches[i], m->id, parts[p]);
        }

      g_array_append_val (query_ms, best);
      g_array_append_val (count_ms, best_count);
      g_array_append_val (first_ms, best_first);
      printf ("    %-22s %8.1f %9.1f %9.1f %9" G_GINT64_FORMAT "\n", searches[i], best, best_first, best_count, total);
    }

  printf ("    query: median %.1f ms, p95 %.1f ms (target median < 20 ms, %.2fx); "
          "first count: median %.1f ms, p95 %.1f ms; full count: median %.1f ms, p95 %.1f ms\n",
          percentile (query_ms, 0.5), percentile (query_ms, 0.95), percentile (query_ms, 0.5) / 20.0,
          percentile (first_ms, 0.5), percentile (first_ms, 0.95),
          percentile (count_ms, 0.5), percentile (count_ms, 0.95));
}

/* (c) */
static void
bench_scroll (RelayStore *store,
              guint       count)
{
  g_autoptr(RelayHistoryModel) model = relay_history_model_new (store);
  guint page = relay_history_model_get_page_size (model);
  guint distance = MIN (10000, count - VISIBLE);
  guint steps = 0, worst_step = 0, start_pages;
  double t0, jump;

  relay_history_model_set_query (model, NULL);
  wait_counted (model);
  show_range (model, 0, VISIBLE);
  wait_n_items (model, count);
  start_pages = relay_history_model_get_pages_read (model);
  CHECK (start_pages * page <= VISIBLE + page,
         "showing the first %d rows read %u pages", VISIBLE, start_pages);

  t0 = now_ms ();
  /* Wheel steps of 3 rows, now and then a page of 20 at once. */
  for (guint top = 0; top < distance; steps++)
    {
      guint before = relay_history_model_get_pages_read (model);
      guint read;

      top = MIN (distance, top + (steps % 10 == 9 ? VISIBLE : 3));
      show_range (model, top, VISIBLE);
      read = relay_history_model_get_pages_read (model);
      worst_step = MAX (worst_step, read - before);
      /* Everything read so far covers at most the rows shown and a page. */
      CHECK (read * page <= top + VISIBLE + page,
             "at row %u the model had read %u pages (%u rows)", top, read, read * page);
    }
  printf ("(c) scrolling %u rows in %u steps, %d visible: %u pages of %u read, at most %u per step, "
          "%.2f ms per step: within visible + a page\n",
          distance, steps, VISIBLE, relay_history_model_get_pages_read (model), page, worst_step,
          (now_ms () - t0) / steps);

  /* A jump to the middle, as dragging the scroll bar does. */
  t0 = now_ms ();
  show_range (model, count / 2, VISIBLE);
  jump = now_ms () - t0;
  printf ("    jump to row %u: %.1f ms\n", count / 2, jump);
}

static long
status_kib (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
      || (line = strstr (status, field)) == NULL)
    return -1;
  return strtol (line + strlen (field) + 1, NULL, 10);
}

/* (d), in a process of its own: prints "RSS HWM" in KiB. */
static int
memory_probe (const char *path,
              guint       count)
{
  g_autoptr(RelayStore) store = open_store (path);
  g_autoptr(RelayHistoryModel) model = relay_history_model_new (store);
  guint n;

  relay_history_model_set_query (model, NULL);
  wait_counted (model);
  wait_n_items (model, count);
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  for (guint top = 0; top + VISIBLE <= MIN (n, 2000); top += VISIBLE)
    show_range (model, top, VISIBLE);
  printf ("%ld %ld %u\n", status_kib ("VmRSS:"), status_kib ("VmHWM:"), n);

  return 0;
}

static gboolean
probe (const char *self_exe,
       const char *path,
       guint       count,
       long       *rss,
       long       *hwm)
{
  g_autofree char *count_arg = g_strdup_printf ("--count=%u", count);
  const char *argv[] = { self_exe, "--memory-probe", path, count_arg, NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error)
      || !g_spawn_check_wait_status (status, &error)
      || sscanf (out, "%ld %ld", rss, hwm) != 2)
    {
      CHECK (FALSE, "memory probe: %s", error ? error->message : out);
      return FALSE;
    }
  return TRUE;
}

static void
bench_memory (const char *path,
              guint       count,
              const char *empty_path)
{
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  long rss_empty, hwm_empty, rss_big, hwm_big;

  if (!probe (self_exe, empty_path, 0, &rss_empty, &hwm_empty)
      || !probe (self_exe, path, count, &rss_big, &hwm_big))
    return;
  printf ("(d) memory with the model open and 2,000 rows shown: empty store RSS %.1f MiB (peak %.1f), "
          "big store RSS %.1f MiB (peak %.1f): growth %.1f MiB (peak %.1f; target < 30 MiB)\n",
          rss_empty / 1024.0, hwm_empty / 1024.0, rss_big / 1024.0, hwm_big / 1024.0,
          (rss_big - rss_empty) / 1024.0, (hwm_big - hwm_empty) / 1024.0);
}

/* (e) */
typedef struct
{
  RelayStore *store;
  GPtrArray  *messages;
  guint       next;
  guint       recorded;
  guint       errors;
  gboolean    done;
} Recording;

static void begin_next (Recording *rec);

static void
record_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Recording *rec = user_data;
  g_autoptr(GError) error = NULL;

  if (!relay_store_record_finish (rec->store, result, &error))
    rec->errors++;
  rec->recorded++;
  begin_next (rec);
}

static void
begin_send_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Recording *rec = user_data;
  g_autoptr(GError) error = NULL;
  RelayStoreMessage *m = rec->messages->pdata[rec->next - 1];

  if (!relay_store_begin_send_finish (rec->store, result, &error))
    rec->errors++;
  /* What the client's answer gives. */
  m->state = RELAY_MESSAGE_STATE_SENT;
  m->status = 0;
  m->price = g_strdup ("0.03330000");
  m->currency = g_strdup ("EUR");
  m->network = g_strdup ("23410");
  g_strfreev (m->message_ids);
  m->message_ids = g_new0 (char *, 2);
  m->message_ids[0] = g_strdup_printf ("0C0000001%07u", rec->next);
  relay_store_record_async (rec->store, m, NULL, record_cb, rec);
}

static void
begin_next (Recording *rec)
{
  if (rec->next == rec->messages->len)
    {
      rec->done = TRUE;
      return;
    }
  relay_store_begin_send_async (rec->store, ((RelayStoreMessage *) rec->messages->pdata[rec->next++])->id,
                                NULL, begin_send_cb, rec);
}

static void
enqueue_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Recording *rec = user_data;
  g_autoptr(GError) error = NULL;

  if (!relay_store_enqueue_finish (rec->store, result, &error))
    {
      rec->errors++;
      rec->done = TRUE;
      return;
    }
  begin_next (rec);
}

static void
bench_record (RelayStore *store,
              guint       n)
{
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_store_message_free);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Recording rec = { store, messages, 0, 0, 0, FALSE };
  guint64 rng = 42;
  double cpu0, wall0, cpu, wall;
  Wait wait = { 0 };

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (texts, make_text (&rng));

  /* From here on, what a send does on the main thread. */
  cpu0 = thread_cpu_ms ();
  wall0 = now_ms ();
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *recipient = recipient_for (i);
      RelayStoreMessage *m = relay_store_message_new (ACCOUNT_A, "Relay", recipient, texts->pdata[i]);

      m->encoding = g_strdup ("GSM-7");
      m->parts = 1;
      g_ptr_array_add (messages, m);
    }
  relay_store_enqueue_async (store, messages, NULL, enqueue_cb, &rec);
  while (!rec.done)
    g_main_context_iteration (NULL, TRUE);
  cpu = thread_cpu_ms () - cpu0;
  wall = now_ms () - wall0;

  CHECK (rec.errors == 0 && rec.recorded == n, "recording: %u errors, %u of %u recorded",
         rec.errors, rec.recorded, n);
  printf ("(e) recording %u messages (enqueue in one batch, then begin_send and record each in turn): "
          "main thread CPU %.3f ms per message (target < 1 ms, %.2fx); wall %.2f ms per message "
          "(the worker's fsyncs)\n",
          n, cpu / n, cpu / n, wall / n);

  /* Leave the cached database as it was. */
  for (guint i = 0; i < messages->len; i++)
    g_array_append_val (ids, ((RelayStoreMessage *) messages->pdata[i])->id);
  relay_store_delete_async (store, (const gint64 *) ids->data, ids->len, NULL, wait_cb, &wait);
  result = wait_for (&wait);
  CHECK (relay_store_delete_finish (store, result, &error), "deleting the recorded rows: %s",
         error ? error->message : "?");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) options = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayStore) store = NULL;
  g_autofree char *cache_dir = NULL;
  g_autofree char *memory_path = NULL;
  g_autofree char *path = NULL;
  g_autofree char *tmpdir = NULL;
  g_autofree char *empty_path = NULL;
  g_autofree char *loadavg = NULL;
  int count = 1000000;
  int runs = 11;
  const GOptionEntry entries[] = {
    { "count", 0, 0, G_OPTION_ARG_INT, &count, "Messages in the store (default 1000000)", "N" },
    { "cache-dir", 0, 0, G_OPTION_ARG_FILENAME, &cache_dir, "Where the generated database is kept (default: the current folder)", "DIR" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs of the open benchmark (default 11)", "N" },
    { "memory-probe", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &memory_path, NULL, NULL },
    { NULL }
  };

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      fprintf (stderr, "bench-history: %s\n", error->message);
      return 2;
    }
  if (memory_path != NULL)
    return memory_probe (memory_path, (guint) MAX (count, 0));
  if (count < 1000 || count > 10000000 || runs < 1 || runs > 1000)
    {
      fprintf (stderr, "bench-history: --count takes 1000 to 10000000 and --runs 1 to 1000.\n");
      return 2;
    }

  path = g_strdup_printf ("%s/bench-history-%d-v%d.db", cache_dir != NULL ? cache_dir : ".",
                          count, RELAY_STORE_SCHEMA_VERSION);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    build_database (path, (guint) count);
  else
    fprintf (stderr, "using %s\n", path);

  if (g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL))
    printf ("load at start: %s", loadavg);
  {
    GStatBuf st;

    if (g_stat (path, &st) == 0)
      printf ("store: %d messages, %.0f MiB, SQLite %s\n", count, st.st_size / 1048576.0, sqlite3_libversion ());
  }

  /* (a) first, before anything else warms this process. */
  bench_open (path, (guint) count, runs, FALSE);
  bench_open (path, (guint) count, runs, TRUE);

  store = open_store (path);
  bench_search (store);
  bench_scroll (store, (guint) count);

  tmpdir = g_dir_make_tmp ("relay-bench-history-XXXXXX", &error);
  g_assert_no_error (error);
  empty_path = g_build_filename (tmpdir, "empty.db", NULL);
  g_clear_object (&store);
  g_object_unref (open_store (empty_path));
  bench_memory (path, (guint) count, empty_path);

  store = open_store (path);
  bench_record (store, 1000);
  g_clear_object (&store);

  unlink_database (empty_path);
  g_rmdir (tmpdir);

  g_clear_pointer (&loadavg, g_free);
  if (g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL))
    printf ("load at end: %s", loadavg);

  if (failed)
    fprintf (stderr, "bench-history: some results were wrong.\n");
  return failed ? 1 : 0;
}
