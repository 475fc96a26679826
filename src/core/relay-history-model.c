/* relay-history-model.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "relay-history-model.h"

/* Rows read at a time; a view showing 20 rows reads one or two pages. */
#define PAGE_SIZE 50

/* Pages kept after the view let go of their items. */
#define CACHED_PAGES 16

/* The first count stops here, so that the first rows show at once; the
 * rest is counted afterwards and appended. Counting a million rows, or
 * every hit of a common word, takes from a tenth of a second to a second
 * (more when the file is not in the page cache). A multiple of PAGE_SIZE. */
#define FIRST_COUNT (20 * PAGE_SIZE)

struct _RelayHistoryItem
{
  GObject            parent_instance;

  RelayStoreMessage *message;
};

G_DEFINE_FINAL_TYPE (RelayHistoryItem, relay_history_item, G_TYPE_OBJECT)

enum {
  ITEM_PROP_0,
  ITEM_PROP_MESSAGE,
  ITEM_PROP_LOADED,
  N_ITEM_PROPS
};

static GParamSpec *item_properties[N_ITEM_PROPS];

static void
relay_history_item_finalize (GObject *object)
{
  RelayHistoryItem *self = (RelayHistoryItem *) object;

  g_clear_pointer (&self->message, relay_store_message_free);

  G_OBJECT_CLASS (relay_history_item_parent_class)->finalize (object);
}

static void
relay_history_item_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  RelayHistoryItem *self = RELAY_HISTORY_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_MESSAGE:
      g_value_set_boxed (value, self->message);
      break;

    case ITEM_PROP_LOADED:
      g_value_set_boolean (value, self->message != NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_history_item_class_init (RelayHistoryItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = relay_history_item_finalize;
  object_class->get_property = relay_history_item_get_property;

  /**
   * RelayHistoryItem:message: (nullable)
   *
   * The row, once its page was read.
   */
  item_properties[ITEM_PROP_MESSAGE] =
    g_param_spec_boxed ("message", NULL, NULL, RELAY_TYPE_STORE_MESSAGE,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  item_properties[ITEM_PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_ITEM_PROPS, item_properties);
}

static void
relay_history_item_init (RelayHistoryItem *self)
{
}

static void
relay_history_item_take_message (RelayHistoryItem  *self,
                                 RelayStoreMessage *message)
{
  g_assert (self->message == NULL);

  self->message = message;
  g_object_notify_by_pspec (G_OBJECT (self), item_properties[ITEM_PROP_MESSAGE]);
  g_object_notify_by_pspec (G_OBJECT (self), item_properties[ITEM_PROP_LOADED]);
}

const RelayStoreMessage *
relay_history_item_get_message (RelayHistoryItem *self)
{
  g_return_val_if_fail (RELAY_IS_HISTORY_ITEM (self), NULL);

  return self->message;
}

gboolean
relay_history_item_get_loaded (RelayHistoryItem *self)
{
  g_return_val_if_fail (RELAY_IS_HISTORY_ITEM (self), FALSE);

  return self->message != NULL;
}

/* The model. */

typedef struct
{
  guint      index;
  GPtrArray *items;   /* RelayHistoryItem, PAGE_SIZE or fewer */
  gboolean   loaded;
} Page;

struct _RelayHistoryModel
{
  GObject          parent_instance;

  /* owned references */
  RelayStore      *store;
  RelayStoreQuery  query;
  GCancellable    *cancellable;
  GHashTable      *pages;       /* page index → Page */
  GQueue           recent;      /* page indexes, most recently used first */

  /* state */
  guint            n_items;
  guint            generation;  /* bumped on every reload: older answers are dropped */
  guint            pages_read;
  gboolean         loading;
  guint            rest_source; /* counts the rest if no page is asked for */
  gboolean         rest_pending;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RelayHistoryModel, relay_history_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_LOADING,
  PROP_PAGES_READ,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  RelayHistoryModel *self;
  guint              generation;
  guint              page;
  gboolean           capped;   /* a count that stopped at FIRST_COUNT */
} Request;

static void
page_free (Page *page)
{
  g_ptr_array_unref (page->items);
  g_free (page);
}

static void
set_loading (RelayHistoryModel *self,
             gboolean           loading)
{
  if (self->loading == loading)
    return;

  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* Drops the least recently used pages beyond CACHED_PAGES; items a view
 * still holds live on with it. */
static void
touch_page (RelayHistoryModel *self,
            guint              index)
{
  g_queue_remove (&self->recent, GUINT_TO_POINTER (index));
  g_queue_push_head (&self->recent, GUINT_TO_POINTER (index));

  while (g_queue_get_length (&self->recent) > CACHED_PAGES)
    {
      guint old = GPOINTER_TO_UINT (g_queue_pop_tail (&self->recent));

      g_hash_table_remove (self->pages, GUINT_TO_POINTER (old));
    }
}

static void start_rest_count (RelayHistoryModel *self);

static void
page_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Request *request = user_data;
  RelayHistoryModel *self = request->self;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  Page *page;

  rows = relay_store_query_finish (RELAY_STORE (object), result, &error);

  if (request->generation == self->generation
      && (page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (request->page))) != NULL)
    {
      if (rows == NULL)
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_warning ("Cannot read history rows: %s", error->message);
          /* Let a later request try again. */
          g_hash_table_remove (self->pages, GUINT_TO_POINTER (request->page));
          g_queue_remove (&self->recent, GUINT_TO_POINTER (request->page));
        }
      else
        {
          page->loaded = TRUE;
          /* Rows that appeared or went since the count stay placeholders
           * until the next reload. */
          for (guint i = 0; i < page->items->len && i < rows->len; i++)
            relay_history_item_take_message (page->items->pdata[i], g_steal_pointer (&rows->pdata[i]));
        }

      /* The first rows are there: now the long count may hold the
       * worker. */
      start_rest_count (self);
    }

  g_object_unref (self);
  g_free (request);
}

static Page *
ensure_page (RelayHistoryModel *self,
             guint              index)
{
  RelayStoreQuery query = self->query;
  Request *request;
  Page *page;
  guint first, count;

  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
  if (page != NULL)
    {
      touch_page (self, index);
      return page;
    }

  first = index * PAGE_SIZE;
  count = MIN (PAGE_SIZE, self->n_items - first);

  page = g_new0 (Page, 1);
  page->index = index;
  page->items = g_ptr_array_new_full (count, g_object_unref);
  for (guint i = 0; i < count; i++)
    g_ptr_array_add (page->items, g_object_new (RELAY_TYPE_HISTORY_ITEM, NULL));
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (index), page);
  touch_page (self, index);

  request = g_new0 (Request, 1);
  request->self = g_object_ref (self);
  request->generation = self->generation;
  request->page = index;

  query.offset = first;
  query.limit = count;
  relay_store_query_async (self->store, &query, self->cancellable, page_read_cb, request);

  self->pages_read++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGES_READ]);

  return page;
}

static GType
relay_history_model_get_item_type (GListModel *model)
{
  return RELAY_TYPE_HISTORY_ITEM;
}

static guint
relay_history_model_get_n_items (GListModel *model)
{
  return RELAY_HISTORY_MODEL (model)->n_items;
}

static gpointer
relay_history_model_get_item (GListModel *model,
                              guint       position)
{
  RelayHistoryModel *self = RELAY_HISTORY_MODEL (model);
  Page *page;

  if (position >= self->n_items)
    return NULL;

  page = ensure_page (self, position / PAGE_SIZE);
  if (position % PAGE_SIZE >= page->items->len)
    return NULL;

  return g_object_ref (page->items->pdata[position % PAGE_SIZE]);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = relay_history_model_get_item_type;
  iface->get_n_items = relay_history_model_get_n_items;
  iface->get_item = relay_history_model_get_item;
}

static void count_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data);

static void
start_rest_count (RelayHistoryModel *self)
{
  RelayStoreQuery query = self->query;
  Request *rest;

  g_clear_handle_id (&self->rest_source, g_source_remove);
  if (!self->rest_pending)
    return;
  self->rest_pending = FALSE;

  rest = g_new0 (Request, 1);
  rest->self = g_object_ref (self);
  rest->generation = self->generation;
  query.limit = 0;
  query.offset = 0;
  relay_store_count_async (self->store, &query, self->cancellable, count_cb, rest);
}

static gboolean
rest_timeout_cb (gpointer user_data)
{
  RelayHistoryModel *self = user_data;

  self->rest_source = 0;
  start_rest_count (self);

  return G_SOURCE_REMOVE;
}

static void
count_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Request *request = user_data;
  RelayHistoryModel *self = request->self;
  g_autoptr(GError) error = NULL;
  gint64 total;

  total = relay_store_count_finish (RELAY_STORE (object), result, &error);

  if (request->generation == self->generation)
    {
      guint before = self->n_items;

      if (total < 0)
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_warning ("Cannot count history rows: %s", error->message);
          total = request->capped ? 0 : before;
        }

      if (!request->capped && total >= before)
        {
          /* The rest of a count that stopped at FIRST_COUNT: the rows
           * shown stay, the others are appended. */
          self->n_items = (guint) MIN (total, (gint64) G_MAXUINT);
          if (self->n_items > before)
            g_list_model_items_changed (G_LIST_MODEL (self), before, 0, self->n_items - before);
        }
      else
        {
          g_hash_table_remove_all (self->pages);
          g_queue_clear (&self->recent);
          self->n_items = (guint) MIN (total, (gint64) G_MAXUINT);
          set_loading (self, FALSE);
          g_list_model_items_changed (G_LIST_MODEL (self), 0, before, self->n_items);
        }

      /* The rest is counted once the view's first page came (the worker
       * does one thing at a time, and the first rows matter more), or
       * after a moment when no view asks for rows. */
      if (request->capped && total >= FIRST_COUNT)
        {
          self->rest_pending = TRUE;
          g_clear_handle_id (&self->rest_source, g_source_remove);
          self->rest_source = g_timeout_add (100, rest_timeout_cb, self);
        }
    }

  g_object_unref (self);
  g_free (request);
}

static void
relay_history_model_dispose (GObject *object)
{
  RelayHistoryModel *self = (RelayHistoryModel *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->rest_source, g_source_remove);
  self->rest_pending = FALSE;
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_queue_clear (&self->recent);

  G_OBJECT_CLASS (relay_history_model_parent_class)->dispose (object);
}

static void
relay_history_model_finalize (GObject *object)
{
  RelayHistoryModel *self = (RelayHistoryModel *) object;

  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_free (self->query.account);
  g_free (self->query.search);

  G_OBJECT_CLASS (relay_history_model_parent_class)->finalize (object);
}

static void
relay_history_model_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  RelayHistoryModel *self = RELAY_HISTORY_MODEL (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    case PROP_PAGES_READ:
      g_value_set_uint (value, self->pages_read);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_history_model_class_init (RelayHistoryModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = relay_history_model_dispose;
  object_class->finalize = relay_history_model_finalize;
  object_class->get_property = relay_history_model_get_property;

  /**
   * RelayHistoryModel:loading:
   *
   * Whether the model is counting the rows of a new query. It turns
   * %FALSE once the first rows (at most 1000) are counted; when there
   * are more, they are counted afterwards and appended to the model.
   */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * RelayHistoryModel:pages-read:
   *
   * How many pages were asked of the store so far.
   */
  properties[PROP_PAGES_READ] =
    g_param_spec_uint ("pages-read", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
relay_history_model_init (RelayHistoryModel *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) page_free);
  self->cancellable = g_cancellable_new ();
  self->query.state = -1;
}

RelayHistoryModel *
relay_history_model_new (RelayStore *store)
{
  RelayHistoryModel *self;

  g_return_val_if_fail (RELAY_IS_STORE (store), NULL);

  self = g_object_new (RELAY_TYPE_HISTORY_MODEL, NULL);
  self->store = g_object_ref (store);

  return self;
}

/**
 * relay_history_model_reload:
 *
 * Counts the rows again and replaces every item (after a send, a delete,
 * or a change of query). Items of the old rows stay as they were.
 */
void
relay_history_model_reload (RelayHistoryModel *self)
{
  Request *request;
  RelayStoreQuery query;

  g_return_if_fail (RELAY_IS_HISTORY_MODEL (self));

  self->generation++;
  set_loading (self, TRUE);
  g_clear_handle_id (&self->rest_source, g_source_remove);
  self->rest_pending = FALSE;

  request = g_new0 (Request, 1);
  request->self = g_object_ref (self);
  request->generation = self->generation;
  request->capped = TRUE;

  query = self->query;
  query.limit = 0;
  query.offset = 0;
  relay_store_count_at_most_async (self->store, &query, FIRST_COUNT, self->cancellable,
                                   count_cb, request);
}

void
relay_history_model_set_query (RelayHistoryModel     *self,
                               const RelayStoreQuery *query)
{
  g_return_if_fail (RELAY_IS_HISTORY_MODEL (self));

  g_free (self->query.account);
  g_free (self->query.search);
  if (query != NULL)
    self->query = *query;
  else
    self->query = (RelayStoreQuery) { .state = -1 };
  self->query.account = g_strdup (self->query.account);
  self->query.search = g_strdup (self->query.search);
  /* Paging is the model's own. */
  self->query.limit = 0;
  self->query.offset = 0;
  self->query.before_id = 0;

  relay_history_model_reload (self);
}

guint
relay_history_model_get_page_size (RelayHistoryModel *self)
{
  return PAGE_SIZE;
}

guint
relay_history_model_get_pages_read (RelayHistoryModel *self)
{
  g_return_val_if_fail (RELAY_IS_HISTORY_MODEL (self), 0);

  return self->pages_read;
}

gboolean
relay_history_model_get_loading (RelayHistoryModel *self)
{
  g_return_val_if_fail (RELAY_IS_HISTORY_MODEL (self), FALSE);

  return self->loading;
}
