/* relay-pricing.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The account's SMS price list: fetched from the Pricing API no faster
 * than it allows (one request a second; 429 answers wait as told), kept
 * for a day in $XDG_CACHE_HOME/relay/, and served from there when the
 * network is not.
 */

#define G_LOG_DOMAIN "Relay"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "relay-http.h"
#include "relay-oauth1-params.h"
#include "relay-pricing.h"
#include "relay-json-guard.h"

#define FULL_PATH    "/account/get-full-pricing/outbound/sms"
#define COUNTRY_PATH "/account/get-pricing/outbound/sms"
#define CACHE_VERSION 1

struct _RelayPricing
{
  GObject         parent_instance;

  /* owned references */
  RelayAccount   *account;
  RelayClock     *clock;
  SoupSession    *session;
  GMainContext   *context;
  RelayPriceList *list;
  GQueue          queue;        /* Request waiting for its turn */
  GSource        *timer;
  GPtrArray      *refreshes;    /* GTask waiting for the running refresh */
  char           *cache_dir;

  /* state */
  gint64          fetched_at;   /* Unix seconds the list was fetched, 0 none */
  gint64          next_at;      /* clock time the next request may leave */
  gint64          ensured_at;   /* clock time relay_pricing_ensure() last fetched */
  guint           in_flight : 1;
  guint           loading : 1;
  guint           cache_loaded : 1;
};

G_DEFINE_FINAL_TYPE (RelayPricing, relay_pricing, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LIST,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* One request of the Pricing API, paced with the others. */
typedef struct
{
  GTask       *task;
  char        *uri;
  GPtrArray   *params;
  SoupMessage *message;
  guint        attempts;
} Request;

static void pump (RelayPricing *self);

static void
request_free (Request *request)
{
  g_clear_object (&request->task);
  g_free (request->uri);
  g_clear_pointer (&request->params, g_ptr_array_unref);
  g_clear_object (&request->message);
  g_free (request);
}

static gint64
real_now_s (RelayPricing *self)
{
  return relay_clock_get_real_time (self->clock) / G_USEC_PER_SEC;
}

static void
set_list (RelayPricing   *self,
          RelayPriceList *list,
          gint64          fetched_at)
{
  if (list != NULL)
    relay_price_list_ref (list);
  g_clear_pointer (&self->list, relay_price_list_unref);
  self->list = list;
  self->fetched_at = fetched_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIST]);
}

static gboolean
timer_cb (gpointer user_data)
{
  RelayPricing *self = user_data;

  relay_clock_source_clear (&self->timer);
  pump (self);

  return G_SOURCE_REMOVE;
}

static void
request_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Request *request = user_data;
  RelayPricing *self = g_task_get_source_object (request->task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  g_object_ref (self);
  self->in_flight = FALSE;

  body = relay_http_send_finish (SOUP_SESSION (object), result, &error);
  if (body == NULL &&
      g_error_matches (error, RELAY_HTTP_ERROR, RELAY_HTTP_ERROR_THROTTLED) &&
      request->attempts < RELAY_PRICING_MAX_ATTEMPTS &&
      !g_cancellable_is_cancelled (g_task_get_cancellable (request->task)))
    {
      gint64 wait_s = relay_http_get_retry_after_at (request->message, real_now_s (self));
      gint64 wait_us = MAX (wait_s, 1) * G_USEC_PER_SEC;

      g_debug ("Pricing request throttled; trying again in %" G_GINT64_FORMAT " s", wait_us / G_USEC_PER_SEC);
      self->next_at = MAX (self->next_at, relay_clock_get_now (self->clock) + wait_us);
      g_queue_push_head (&self->queue, request);
    }
  else
    {
      if (body != NULL)
        g_task_return_pointer (request->task, g_steal_pointer (&body), (GDestroyNotify) g_bytes_unref);
      else
        g_task_return_error (request->task, g_steal_pointer (&error));
      request_free (request);
    }

  pump (self);
  g_object_unref (self);
}

/* Starts the next request when its turn has come; one at a time. */
static void
pump (RelayPricing *self)
{
  GError *error = NULL;
  Request *request;
  gint64 now;

  if (self->in_flight || self->timer != NULL || g_queue_is_empty (&self->queue))
    return;

  now = relay_clock_get_now (self->clock);
  if (now < self->next_at)
    {
      self->timer = relay_clock_timeout_add (self->clock, self->context, self->next_at - now,
                                             timer_cb, self, NULL);
      return;
    }

  request = g_queue_pop_head (&self->queue);
  if (g_task_return_error_if_cancelled (request->task))
    {
      request_free (request);
      pump (self);
      return;
    }

  g_clear_object (&request->message);
  request->message = relay_http_message_new_for_account (self->account, "GET", request->uri,
                                                         request->params, &error);
  if (request->message == NULL)
    {
      g_task_return_error (request->task, error);
      request_free (request);
      pump (self);
      return;
    }
  /* Every country with every network, some with number ranges: far more
   * than the kilobyte of an SMS answer. */
  relay_http_message_set_max_body (request->message, RELAY_PRICING_MAX_BODY);

  request->attempts++;
  self->in_flight = TRUE;
  self->next_at = now + RELAY_PRICING_INTERVAL_US;
  relay_http_send_async (self->session, request->message, g_task_get_cancellable (request->task),
                         request_cb, request);
}

static void
enqueue (RelayPricing        *self,
         const char          *path,
         GPtrArray           *params,
         gpointer             source_tag,
         GCancellable        *cancellable,
         GAsyncReadyCallback  callback,
         gpointer             user_data)
{
  Request *request = g_new0 (Request, 1);
  RelayProvider *provider = relay_account_get_provider (self->account);

  request->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (request->task, source_tag);
  request->uri = g_strconcat (relay_provider_get_rest_base (provider), path, NULL);
  request->params = params != NULL ? g_ptr_array_ref (params) : NULL;

  g_queue_push_tail (&self->queue, request);
  pump (self);
}

static char *
cache_file_name (RelayPricing *self)
{
  g_autofree char *host = relay_provider_get_host (relay_account_get_provider (self->account));
  GString *name = g_string_new ("pricing-");

  /* The host (and port) only: nothing of the account's credentials. */
  for (const char *p = host; *p != '\0'; p++)
    g_string_append_c (name, g_ascii_isalnum (*p) || *p == '.' || *p == '-' ? g_ascii_tolower (*p) : '_');
  g_string_append (name, ".json");

  return g_string_free (name, FALSE);
}

static gboolean
save_cache (RelayPricing  *self,
            GBytes        *body,
            gint64         fetched_at,
            GError       **error)
{
  g_autofree char *path = relay_pricing_get_cache_path (self);
  g_autofree char *head = g_strdup_printf ("{\"version\":%d,\"fetched_at\":%" G_GINT64_FORMAT ",\"pricing\":",
                                           CACHE_VERSION, fetched_at);
  g_autoptr(GString) text = g_string_new (head);

  if (g_mkdir_with_parents (self->cache_dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create %s: %s"), self->cache_dir, g_strerror (saved));
      return FALSE;
    }

  g_string_append_len (text, g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_string_append (text, "}\n");

  /* A reader sees the old file or the new one, never half of it. */
  return g_file_set_contents_full (path, text->str, text->len,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

static RelayPriceList *
read_cache (const char  *path,
            gint64      *fetched_at,
            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autofree char *text = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;
  JsonNode *root, *node;
  gsize len;

  if (!g_file_get_contents (path, &text, &len, error))
    return NULL;

  if (!g_utf8_validate (text, len, NULL) ||
      !relay_json_guard_check (text, len, RELAY_JSON_MAX_DEPTH, NULL) ||
      !json_parser_load_from_data (parser, text, len, NULL) ||
      !(root = json_parser_get_root (parser)) ||
      !JSON_NODE_HOLDS_OBJECT (root))
    goto corrupt;

  object = json_node_get_object (root);
  node = json_object_get_member (object, "version");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) != CACHE_VERSION)
    goto corrupt;

  node = json_object_get_member (object, "fetched_at");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) <= 0)
    goto corrupt;
  *fetched_at = json_node_get_int (node);

  node = json_object_get_member (object, "pricing");
  if (node != NULL)
    {
      RelayPriceList *list = relay_price_list_new_from_node (node, &local_error);

      if (list != NULL)
        return list;
    }

corrupt:
  g_set_error (error, RELAY_PRICE_ERROR, RELAY_PRICE_ERROR_MALFORMED,
               _("The saved price list %s is damaged; it will be fetched again."), path);
  return NULL;
}

static void
relay_pricing_dispose (GObject *object)
{
  RelayPricing *self = (RelayPricing *)object;

  relay_clock_source_clear (&self->timer);

  G_OBJECT_CLASS (relay_pricing_parent_class)->dispose (object);
}

static void
relay_pricing_finalize (GObject *object)
{
  RelayPricing *self = (RelayPricing *)object;

  /* Queued requests hold a reference: none is left here. */
  g_assert (g_queue_is_empty (&self->queue));
  g_clear_pointer (&self->refreshes, g_ptr_array_unref);
  g_clear_pointer (&self->list, relay_price_list_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_object (&self->session);
  g_clear_object (&self->clock);
  g_clear_object (&self->account);
  g_free (self->cache_dir);

  G_OBJECT_CLASS (relay_pricing_parent_class)->finalize (object);
}

static void
relay_pricing_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  RelayPricing *self = RELAY_PRICING (object);

  switch (prop_id)
    {
    case PROP_LIST:
      g_value_set_boxed (value, self->list);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_pricing_class_init (RelayPricingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = relay_pricing_dispose;
  object_class->finalize = relay_pricing_finalize;
  object_class->get_property = relay_pricing_get_property;

  /**
   * RelayPricing:list:
   *
   * The price list in use (cached or fetched), or %NULL.
   */
  properties[PROP_LIST] =
    g_param_spec_boxed ("list", NULL, NULL,
                        RELAY_TYPE_PRICE_LIST,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
relay_pricing_init (RelayPricing *self)
{
  self->clock = g_object_ref (relay_clock_get_default ());
  self->context = g_main_context_ref_thread_default ();
  self->cache_dir = g_build_filename (g_get_user_cache_dir (), "relay", NULL);
  self->refreshes = g_ptr_array_new_with_free_func (g_object_unref);
  g_queue_init (&self->queue);
}

/**
 * relay_pricing_new:
 * @account: the account whose prices these are
 *
 * Returns: (transfer full): a new #RelayPricing
 */
RelayPricing *
relay_pricing_new (RelayAccount *account)
{
  RelayPricing *self;

  g_return_val_if_fail (RELAY_IS_ACCOUNT (account), NULL);

  self = g_object_new (RELAY_TYPE_PRICING, NULL);
  self->account = g_object_ref (account);
  self->session = relay_http_session_new (relay_provider_get_timeout (relay_account_get_provider (account)));

  return self;
}

/**
 * relay_pricing_get_account:
 *
 * Returns: (transfer none): the account
 */
RelayAccount *
relay_pricing_get_account (RelayPricing *self)
{
  g_return_val_if_fail (RELAY_IS_PRICING (self), NULL);

  return self->account;
}

/**
 * relay_pricing_set_clock:
 * @clock: (nullable): the clock that paces requests and dates the list
 */
void
relay_pricing_set_clock (RelayPricing *self,
                         RelayClock   *clock)
{
  g_return_if_fail (RELAY_IS_PRICING (self));

  g_set_object (&self->clock, (clock != NULL ? clock : relay_clock_get_default ()));
}

/**
 * relay_pricing_set_cache_dir:
 * @dir: (nullable): where the list is kept; %NULL for $XDG_CACHE_HOME/relay
 */
void
relay_pricing_set_cache_dir (RelayPricing *self,
                             const char   *dir)
{
  g_return_if_fail (RELAY_IS_PRICING (self));

  g_free (self->cache_dir);
  self->cache_dir = dir != NULL ? g_strdup (dir)
                                : g_build_filename (g_get_user_cache_dir (), "relay", NULL);
  self->cache_loaded = FALSE;
}

/**
 * relay_pricing_get_cache_path:
 *
 * Returns: (transfer full): the file the list is kept in, one per
 *   provider host
 */
char *
relay_pricing_get_cache_path (RelayPricing *self)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (RELAY_IS_PRICING (self), NULL);

  name = cache_file_name (self);
  return g_build_filename (self->cache_dir, name, NULL);
}

/**
 * relay_pricing_get_list:
 *
 * Returns: (transfer none) (nullable): the list in use, or %NULL
 */
RelayPriceList *
relay_pricing_get_list (RelayPricing *self)
{
  g_return_val_if_fail (RELAY_IS_PRICING (self), NULL);

  return self->list;
}

/**
 * relay_pricing_get_age:
 *
 * Returns: seconds since the list in use was fetched, or -1 without one
 */
gint64
relay_pricing_get_age (RelayPricing *self)
{
  g_return_val_if_fail (RELAY_IS_PRICING (self), -1);

  if (self->list == NULL)
    return -1;

  return MAX (0, real_now_s (self) - self->fetched_at);
}

/**
 * relay_pricing_is_fresh:
 *
 * Returns: %TRUE when a list is in use and younger than a day (a list
 *   dated in the future is not)
 */
gboolean
relay_pricing_is_fresh (RelayPricing *self)
{
  gint64 age;

  g_return_val_if_fail (RELAY_IS_PRICING (self), FALSE);

  if (self->list == NULL)
    return FALSE;

  age = real_now_s (self) - self->fetched_at;
  return age >= 0 && age < RELAY_PRICING_MAX_AGE_S;
}

/**
 * relay_pricing_load_cache:
 * @error: a #GError
 *
 * Reads the saved list, fresh or not, and uses it. A damaged file is
 * removed.
 *
 * Returns: %TRUE when a saved list is now in use
 */
gboolean
relay_pricing_load_cache (RelayPricing  *self,
                          GError       **error)
{
  g_autofree char *path = NULL;
  g_autoptr(RelayPriceList) list = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 fetched_at = 0;

  g_return_val_if_fail (RELAY_IS_PRICING (self), FALSE);

  self->cache_loaded = TRUE;
  path = relay_pricing_get_cache_path (self);
  if (!(list = read_cache (path, &fetched_at, &local_error)))
    {
      if (g_error_matches (local_error, RELAY_PRICE_ERROR, RELAY_PRICE_ERROR_MALFORMED))
        g_unlink (path);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  /* A newer list fetched meanwhile wins. */
  if (self->list == NULL || fetched_at > self->fetched_at)
    set_list (self, list, fetched_at);

  return TRUE;
}

static void
finish_refreshes (RelayPricing *self,
                  const GError *error)
{
  g_autoptr(GPtrArray) waiting = g_steal_pointer (&self->refreshes);

  self->refreshes = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < waiting->len; i++)
    {
      GTask *task = g_ptr_array_index (waiting, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

static void
full_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  RelayPricing *self = RELAY_PRICING (object);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) save_error = NULL;
  g_autoptr(RelayPriceList) list = NULL;
  gint64 now;

  body = g_task_propagate_pointer (G_TASK (result), &error);
  if (body != NULL)
    list = relay_price_list_parse (g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);

  if (list != NULL)
    {
      now = real_now_s (self);
      if (!save_cache (self, body, now, &save_error))
        g_debug ("Price list not saved: %s", save_error->message);
      set_list (self, list, now);
    }

  finish_refreshes (self, error);
}

/**
 * relay_pricing_refresh_async:
 *
 * Fetches the full list, saves it and uses it. Refreshes asked for while
 * one runs share its request.
 */
void
relay_pricing_refresh_async (RelayPricing        *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (RELAY_IS_PRICING (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_pricing_refresh_async);
  g_ptr_array_add (self->refreshes, task);

  if (self->refreshes->len == 1)
    enqueue (self, FULL_PATH, NULL, relay_pricing_refresh_async, NULL, full_cb, NULL);
}

gboolean
relay_pricing_refresh_finish (RelayPricing  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
get_list_refreshed_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  RelayPricing *self = RELAY_PRICING (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!relay_pricing_refresh_finish (self, result, &error))
    {
      /* Offline (or refused): an old list still says more than none. */
      if (self->list != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_debug ("Price list not refreshed, using the saved one: %s", error->message);
          g_task_return_pointer (task, relay_price_list_ref (self->list),
                                 (GDestroyNotify) relay_price_list_unref);
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, relay_price_list_ref (self->list),
                         (GDestroyNotify) relay_price_list_unref);
}

/**
 * relay_pricing_get_list_async:
 *
 * The list to estimate with: the saved one while it is younger than a
 * day, else a fetched one, else (offline) the saved one however old —
 * relay_pricing_get_age() tells how old.
 */
void
relay_pricing_get_list_async (RelayPricing        *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RELAY_IS_PRICING (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_pricing_get_list_async);

  if (!self->cache_loaded)
    relay_pricing_load_cache (self, NULL);

  if (relay_pricing_is_fresh (self))
    {
      g_task_return_pointer (task, relay_price_list_ref (self->list),
                             (GDestroyNotify) relay_price_list_unref);
      return;
    }

  relay_pricing_refresh_async (self, cancellable, get_list_refreshed_cb, g_steal_pointer (&task));
}

/**
 * relay_pricing_get_list_finish:
 *
 * Returns: (transfer full) (nullable): the list
 */
RelayPriceList *
relay_pricing_get_list_finish (RelayPricing  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
ensure_refreshed_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!relay_pricing_refresh_finish (RELAY_PRICING (object), result, &error))
    g_debug ("Price list not refreshed: %s", error->message);
}

typedef struct
{
  char   *path;
  gint64  fetched_at;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->path);
  g_free (data);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  RelayPriceList *list;
  GError *error = NULL;

  if ((list = read_cache (data->path, &data->fetched_at, &error)))
    g_task_return_pointer (task, list, (GDestroyNotify) relay_price_list_unref);
  else
    g_task_return_error (task, error);
}

static void
ensure_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  RelayPricing *self = RELAY_PRICING (object);
  g_autoptr(RelayPriceList) list = NULL;
  g_autoptr(GError) error = NULL;
  gint64 fetched_at = ((LoadData *) g_task_get_task_data (G_TASK (result)))->fetched_at;

  self->loading = FALSE;
  self->cache_loaded = TRUE;
  list = g_task_propagate_pointer (G_TASK (result), &error);
  if (list != NULL && (self->list == NULL || fetched_at > self->fetched_at))
    set_list (self, list, fetched_at);
  else if (g_error_matches (error, RELAY_PRICE_ERROR, RELAY_PRICE_ERROR_MALFORMED))
    {
      g_autofree char *path = relay_pricing_get_cache_path (self);

      g_unlink (path);
    }

  relay_pricing_ensure (self);
}

/**
 * relay_pricing_ensure:
 *
 * Makes a list available without waiting: reads the saved one (in a
 * thread) and, when it is missing or a day old, fetches a new one in the
 * background, at most once in %RELAY_PRICING_RETRY_US; cheap enough to
 * call at every change. Watch #RelayPricing:list.
 */
void
relay_pricing_ensure (RelayPricing *self)
{
  g_return_if_fail (RELAY_IS_PRICING (self));

  if (self->loading)
    return;

  if (!self->cache_loaded)
    {
      g_autoptr(GTask) task = g_task_new (self, NULL, ensure_loaded_cb, NULL);
      LoadData *data = g_new0 (LoadData, 1);

      self->loading = TRUE;
      data->path = relay_pricing_get_cache_path (self);
      g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
      g_task_set_source_tag (task, relay_pricing_ensure);
      g_task_run_in_thread (task, load_thread);
      return;
    }

  /* Offline, a caller that ensures at every keystroke must not make a
   * request each time: one try every few minutes. */
  if (!relay_pricing_is_fresh (self) && self->refreshes->len == 0 &&
      (self->ensured_at == 0 ||
       relay_clock_get_now (self->clock) - self->ensured_at >= RELAY_PRICING_RETRY_US))
    {
      self->ensured_at = relay_clock_get_now (self->clock);
      relay_pricing_refresh_async (self, NULL, ensure_refreshed_cb, NULL);
    }
}

static void
country_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  RelayPriceList *list = NULL;

  body = g_task_propagate_pointer (G_TASK (result), &error);
  if (body != NULL)
    list = relay_price_list_parse (g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);

  if (list != NULL)
    g_task_return_pointer (task, list, (GDestroyNotify) relay_price_list_unref);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * relay_pricing_fetch_country_async:
 * @country: an ISO 3166 country code ("GB")
 *
 * Asks for one country's prices (paced with every other request).
 */
void
relay_pricing_fetch_country_async (RelayPricing        *self,
                                   const char          *country,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GPtrArray) params = relay_params_new ();
  GTask *task;

  g_return_if_fail (RELAY_IS_PRICING (self));
  g_return_if_fail (country != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_pricing_fetch_country_async);
  relay_params_add (params, "country", country);
  enqueue (self, COUNTRY_PATH, params, relay_pricing_fetch_country_async, cancellable, country_cb, task);
}

/**
 * relay_pricing_fetch_country_finish:
 *
 * Returns: (transfer full) (nullable): a list of that one country
 */
RelayPriceList *
relay_pricing_fetch_country_finish (RelayPricing  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
