/* test-history-model.c — the lazy GListModel over the history
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>

#include "relay-history-model.h"

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return g_steal_pointer (slot);
}

static void
wait_loaded (RelayHistoryModel *model)
{
  while (relay_history_model_get_loading (model))
    g_main_context_iteration (NULL, TRUE);
}

static void
wait_item (RelayHistoryItem *item)
{
  while (!relay_history_item_get_loaded (item))
    g_main_context_iteration (NULL, TRUE);
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  guint *changes = user_data;

  changes[0]++;
  changes[1] = removed;
  changes[2] = added;
}

static void
test_paging (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("relay-history-model-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "relay.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(RelayStore) store = relay_store_new (path);
  g_autoptr(RelayHistoryModel) model = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_store_message_free);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(RelayHistoryItem) first = NULL;
  g_autoptr(RelayHistoryItem) last = NULL;
  g_autoptr(RelayHistoryItem) again = NULL;
  GAsyncResult *slot = NULL;
  RelayStoreQuery query = { .state = -1 };
  guint changes[3] = { 0, };
  guint page;

  relay_store_open_async (store, NULL, result_cb, &slot);
  result = wait_for (&slot);
  g_assert_true (relay_store_open_finish (store, result, &error));
  g_clear_object (&result);

  for (guint i = 0; i < 120; i++)
    {
      g_autofree char *to = g_strdup_printf ("4477009%05u", i);

      g_ptr_array_add (messages, relay_store_message_new ("api:a@h", NULL, to, i % 2 ? "odd" : "even"));
    }
  relay_store_enqueue_async (store, messages, NULL, result_cb, &slot);
  result = wait_for (&slot);
  g_assert_true (relay_store_enqueue_finish (store, result, &error));
  g_clear_object (&result);

  model = relay_history_model_new (store);
  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), changes);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  relay_history_model_set_query (model, &query);
  wait_loaded (model);
  g_assert_cmpuint (changes[0], ==, 1);
  g_assert_cmpuint (changes[2], ==, 120);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 120);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == RELAY_TYPE_HISTORY_ITEM);

  /* Nothing is read until a view asks; then one page per page asked. */
  page = relay_history_model_get_page_size (model);
  g_assert_cmpuint (relay_history_model_get_pages_read (model), ==, 0);
  first = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_false (relay_history_item_get_loaded (first));
  wait_item (first);
  g_assert_cmpstr (relay_history_item_get_message (first)->recipient, ==, "447700900119");
  for (guint i = 1; i < page; i++)
    {
      g_autoptr(RelayHistoryItem) item = g_list_model_get_item (G_LIST_MODEL (model), i);

      g_assert_true (relay_history_item_get_loaded (item));
    }
  g_assert_cmpuint (relay_history_model_get_pages_read (model), ==, 1);

  last = g_list_model_get_item (G_LIST_MODEL (model), 119);
  wait_item (last);
  g_assert_cmpstr (relay_history_item_get_message (last)->recipient, ==, "447700900000");
  g_assert_cmpuint (relay_history_model_get_pages_read (model), ==, 2);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), 120));

  again = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_true (again == first);
  g_assert_cmpuint (relay_history_model_get_pages_read (model), ==, 2);

  /* A new query replaces every item. */
  query.search = "odd";
  relay_history_model_set_query (model, &query);
  wait_loaded (model);
  g_assert_cmpuint (changes[0], ==, 2);
  g_assert_cmpuint (changes[1], ==, 120);
  g_assert_cmpuint (changes[2], ==, 60);
  {
    g_autoptr(RelayHistoryItem) item = g_list_model_get_item (G_LIST_MODEL (model), 59);

    wait_item (item);
    g_assert_cmpstr (relay_history_item_get_message (item)->text, ==, "odd");
  }

  g_assert_finalize_object (g_steal_pointer (&model));
  g_assert_finalize_object (g_steal_pointer (&store));
  g_remove (wal);
  g_remove (shm);
  g_remove (path);
  g_rmdir (dir);
}

/* Many rows: the first thousand are counted and shown at once, the rest
 * is appended when counted, and the rows shown stay as they were. */
static void
test_count_in_two_steps (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("relay-history-model-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "relay.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(RelayStore) store = relay_store_new (path);
  g_autoptr(RelayHistoryModel) model = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_store_message_free);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(RelayHistoryItem) first = NULL;
  g_autoptr(RelayHistoryItem) still = NULL;
  g_autoptr(RelayHistoryItem) last = NULL;
  GAsyncResult *slot = NULL;
  RelayStoreQuery query = { .state = -1, .search = "even" };
  guint changes[3] = { 0, };

  relay_store_open_async (store, NULL, result_cb, &slot);
  result = wait_for (&slot);
  g_assert_true (relay_store_open_finish (store, result, &error));
  g_clear_object (&result);

  for (guint i = 0; i < 2500; i++)
    {
      g_autofree char *to = g_strdup_printf ("4477009%05u", i);

      g_ptr_array_add (messages, relay_store_message_new ("api:a@h", NULL, to, i % 2 ? "odd" : "even"));
    }
  relay_store_enqueue_async (store, messages, NULL, result_cb, &slot);
  result = wait_for (&slot);
  g_assert_true (relay_store_enqueue_finish (store, result, &error));
  g_clear_object (&result);

  model = relay_history_model_new (store);
  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), changes);
  relay_history_model_set_query (model, &query);
  wait_loaded (model);
  g_assert_cmpuint (changes[0], ==, 1);
  g_assert_cmpuint (changes[2], ==, 1000);
  first = g_list_model_get_item (G_LIST_MODEL (model), 0);
  wait_item (first);
  g_assert_cmpstr (relay_history_item_get_message (first)->recipient, ==, "447700902498");

  while (changes[0] < 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (changes[1], ==, 0);
  g_assert_cmpuint (changes[2], ==, 250);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1250);
  still = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_true (still == first);
  last = g_list_model_get_item (G_LIST_MODEL (model), 1249);
  wait_item (last);
  g_assert_cmpstr (relay_history_item_get_message (last)->recipient, ==, "447700900000");

  g_assert_finalize_object (g_steal_pointer (&model));
  g_assert_finalize_object (g_steal_pointer (&store));
  g_remove (wal);
  g_remove (shm);
  g_remove (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/relay/history-model/paging", test_paging);
  g_test_add_func ("/relay/history-model/count-in-two-steps", test_count_in_two_steps);

  return g_test_run ();
}
