/* test-bulk-blocked.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The do-not-contact dialog's Import: every valid number of a CSV or
 * vCard file goes on the list as imported, the dialog says how many
 * and how many rows held none, and a file without a number adds
 * nothing and says so. A real store in a throwaway data folder.
 */

#include <glib/gstdio.h>

#include "relay-bulk-blocked-dialog.h"
#include "relay-store-blocklist.h"
#include "relay-test-util.h"
#include "../relay-test-env.h"

#define WAIT_MS 20000

typedef struct
{
  RelayStore             *store;
  RelayBulkBlockedDialog *dialog;
  char                   *dir;
} Fixture;

typedef struct
{
  gboolean    done;
  gboolean    ok;
  GPtrArray  *list;
} Wait;

static void
open_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;
  g_autoptr(GError) error = NULL;

  wait->ok = relay_store_open_finish (RELAY_STORE (object), result, &error);
  g_assert_no_error (error);
  wait->done = TRUE;
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;
  g_autoptr(GError) error = NULL;

  wait->list = relay_store_list_blocked_finish (RELAY_STORE (object), result, &error);
  g_assert_no_error (error);
  wait->done = TRUE;
}

static gboolean
wait_done (gpointer data)
{
  return ((Wait *) data)->done;
}

/* The list in the store as "number:source" strings, in its order. */
static char *
stored_list (Fixture *f)
{
  g_autoptr(GString) text = g_string_new (NULL);
  Wait wait = { 0 };

  relay_store_list_blocked_async (f->store, NULL, list_cb, &wait);
  g_assert_true (relay_test_wait_until (wait_done, &wait, WAIT_MS));
  for (guint i = 0; i < wait.list->len; i++)
    {
      RelayBlockedNumber *blocked = wait.list->pdata[i];

      g_string_append_printf (text, "%s%s:%s", i > 0 ? " " : "", blocked->number,
                              relay_block_source_to_string (blocked->source));
    }
  g_ptr_array_unref (wait.list);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
dialog_lists_two (gpointer data)
{
  return relay_bulk_blocked_dialog_get_n_numbers (data) == 2;
}

static GFile *
write_file (Fixture    *f,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);

  return g_file_new_for_path (path);
}

static gboolean
status_shown (gpointer data)
{
  Fixture *f = data;

  return gtk_widget_get_visible (relay_test_need_widget (GTK_WIDGET (f->dialog), "blocked-status"))
         || gtk_widget_get_visible (relay_test_need_widget (GTK_WIDGET (f->dialog), "blocked-error"));
}

static void
import (Fixture    *f,
        const char *name,
        const char *contents)
{
  g_autoptr(GFile) file = write_file (f, name, contents);

  relay_bulk_blocked_dialog_import_file (f->dialog, file);
  relay_test_assert_wait (status_shown, f, WAIT_MS);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  Wait wait = { 0 };

  f->dir = g_dir_make_tmp ("relay-blocked-XXXXXX", NULL);
  f->store = relay_store_new (NULL);
  relay_store_open_async (f->store, NULL, open_cb, &wait);
  g_assert_true (relay_test_wait_until (wait_done, &wait, WAIT_MS));
  g_assert_true (wait.ok);
  f->dialog = relay_bulk_blocked_dialog_present (f->store, NULL);
  relay_test_wait_shown (GTK_WIDGET (f->dialog));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  const char *numbers[] = { "447700900001", "447700900003", "447700900004", "447700900005", NULL };
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  gtk_window_destroy (GTK_WINDOW (f->dialog));
  relay_store_unblock_async (f->store, numbers, NULL, NULL, NULL);
  relay_test_drain ();
  g_clear_object (&f->store);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static void
test_csv (Fixture       *f,
          gconstpointer  data)
{
  /* Two valid numbers (one written without its '+'), a duplicate, a
   * national number without a default country and a word. */
  import (f, "patients.csv",
          "Name;Mobile\r\n"
          "Ann;+44 7700 900001\r\n"
          "Bob;07700 900002\r\n"
          "\"Doe; Cy\";447700900003\r\n"
          "Ann again;+44 (0)7700 900001\r\n"
          "Eve;call me\r\n");

  g_assert_false (gtk_widget_get_visible (relay_test_need_widget (GTK_WIDGET (f->dialog), "blocked-error")));
  g_assert_cmpstr (relay_test_get_label (GTK_WIDGET (f->dialog), "blocked-status"), ==,
                   "Added 2 numbers from “patients.csv”. 2 rows were skipped: they hold no valid number.");
  g_assert_cmpstr (stored_list (f), ==, "447700900001:import 447700900003:import");
  relay_test_assert_wait (dialog_lists_two, f->dialog, WAIT_MS);

  /* Again: nothing new, the numbers keep their first date and source. */
  import (f, "again.csv", "phone\n+447700900001\n");
  g_assert_cmpstr (relay_test_get_label (GTK_WIDGET (f->dialog), "blocked-status"), ==,
                   "Added 0 numbers from “again.csv”.");
  g_assert_cmpstr (stored_list (f), ==, "447700900001:import 447700900003:import");
}

static void
test_vcard (Fixture       *f,
            gconstpointer  data)
{
  import (f, "contacts.vcf",
          "\xef\xbb\xbf" "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dee\r\nTEL;TYPE=cell:+44 7700\r\n  900004\r\nEND:VCARD\r\n"
          "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Fay\r\nTEL;VALUE=uri:tel:+44-7700-900005\r\nEND:VCARD\r\n");

  g_assert_cmpstr (relay_test_get_label (GTK_WIDGET (f->dialog), "blocked-status"), ==,
                   "Added 2 numbers from “contacts.vcf”.");
  g_assert_cmpstr (stored_list (f), ==, "447700900004:import 447700900005:import");
}

static void
test_nothing (Fixture       *f,
              gconstpointer  data)
{
  /* No number at all: a sentence, nothing added. */
  import (f, "words.csv", "name,phone\nAnn,call me\n");
  g_assert_true (gtk_widget_get_visible (relay_test_need_widget (GTK_WIDGET (f->dialog), "blocked-error")));
  g_assert_false (gtk_widget_get_visible (relay_test_need_widget (GTK_WIDGET (f->dialog), "blocked-status")));
  g_assert_cmpstr (stored_list (f), ==, "");

  /* Not text: the reason, nothing added. */
  import (f, "binary.csv", "\xff\xfe" "p\0h\0o\0n\0e\0");
  g_assert_true (gtk_widget_get_visible (relay_test_need_widget (GTK_WIDGET (f->dialog), "blocked-error")));
  g_assert_cmpstr (stored_list (f), ==, "");
}

int
main (int   argc,
      char *argv[])
{
  relay_test_require_display ();
  relay_test_private_data_home ();
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, NULL);
  adw_init ();
  relay_test_disable_animations ();

#define ADD(name, func) \
  g_test_add ("/relay/bulk-blocked/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("csv", test_csv);
  ADD ("vcard", test_vcard);
  ADD ("nothing", test_nothing);

#undef ADD

  return g_test_run ();
}
