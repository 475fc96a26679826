/* relay-proxy-resolver.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The system's proxy settings, except for loopback: with http_proxy set
 * and no no_proxy, libsoup sent plain-http calls to 127.0.0.1 (the
 * sandbox, with the API secret in them) through the proxy. A request to
 * this machine never leaves it.
 */

#define G_LOG_DOMAIN "Relay"

#include "relay-oauth1-uri.h"
#include "relay-proxy-resolver.h"

struct _RelayProxyResolver
{
  GObject         parent_instance;
  GProxyResolver *inner;
};

static void relay_proxy_resolver_iface_init (GProxyResolverInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RelayProxyResolver, relay_proxy_resolver, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_PROXY_RESOLVER,
                                                      relay_proxy_resolver_iface_init))

static char **
direct (void)
{
  char **proxies = g_new0 (char *, 2);

  proxies[0] = g_strdup ("direct://");
  return proxies;
}

/* Loopback addresses and names, never resolved through DNS. */
static gboolean
is_loopback (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  const char *host;

  if (parsed == NULL || (host = g_uri_get_host (parsed)) == NULL)
    return FALSE;

  if (g_ascii_strcasecmp (host, "localhost") == 0 || g_str_has_suffix (host, ".localhost"))
    return TRUE;

  return relay_uri_is_loopback (parsed);
}

static gboolean
relay_proxy_resolver_is_supported (GProxyResolver *resolver)
{
  return TRUE;
}

static char **
relay_proxy_resolver_lookup (GProxyResolver  *resolver,
                             const char      *uri,
                             GCancellable    *cancellable,
                             GError         **error)
{
  RelayProxyResolver *self = RELAY_PROXY_RESOLVER (resolver);

  if (is_loopback (uri) || self->inner == NULL)
    return direct ();

  return g_proxy_resolver_lookup (self->inner, uri, cancellable, error);
}

static void
inner_lookup_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char **proxies;

  proxies = g_proxy_resolver_lookup_finish (G_PROXY_RESOLVER (object), result, &error);
  if (proxies == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, proxies, (GDestroyNotify) g_strfreev);
}

static void
relay_proxy_resolver_lookup_async (GProxyResolver      *resolver,
                                   const char          *uri,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  RelayProxyResolver *self = RELAY_PROXY_RESOLVER (resolver);
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);

  g_task_set_source_tag (task, relay_proxy_resolver_lookup_async);

  if (is_loopback (uri) || self->inner == NULL)
    {
      g_task_return_pointer (task, direct (), (GDestroyNotify) g_strfreev);
      return;
    }

  g_proxy_resolver_lookup_async (self->inner, uri, cancellable, inner_lookup_cb, g_steal_pointer (&task));
}

static char **
relay_proxy_resolver_lookup_finish (GProxyResolver  *resolver,
                                    GAsyncResult    *result,
                                    GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, resolver), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
relay_proxy_resolver_iface_init (GProxyResolverInterface *iface)
{
  iface->is_supported = relay_proxy_resolver_is_supported;
  iface->lookup = relay_proxy_resolver_lookup;
  iface->lookup_async = relay_proxy_resolver_lookup_async;
  iface->lookup_finish = relay_proxy_resolver_lookup_finish;
}

static void
relay_proxy_resolver_finalize (GObject *object)
{
  RelayProxyResolver *self = RELAY_PROXY_RESOLVER (object);

  g_clear_object (&self->inner);

  G_OBJECT_CLASS (relay_proxy_resolver_parent_class)->finalize (object);
}

static void
relay_proxy_resolver_class_init (RelayProxyResolverClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = relay_proxy_resolver_finalize;
}

static void
relay_proxy_resolver_init (RelayProxyResolver *self)
{
}

/**
 * relay_proxy_resolver_new:
 * @inner: (nullable): the resolver for every other address, %NULL for
 *   none (always direct)
 *
 * Returns: (transfer full): a resolver that answers "direct://" for
 *   loopback hosts and asks @inner for the rest
 */
GProxyResolver *
relay_proxy_resolver_new (GProxyResolver *inner)
{
  RelayProxyResolver *self = g_object_new (RELAY_TYPE_PROXY_RESOLVER, NULL);

  self->inner = inner != NULL ? g_object_ref (inner) : NULL;
  return G_PROXY_RESOLVER (self);
}

/**
 * relay_proxy_resolver_get_default:
 *
 * Returns: (transfer none): the system's resolver with loopback exempt,
 *   for every session Relay makes
 */
GProxyResolver *
relay_proxy_resolver_get_default (void)
{
  static GProxyResolver *resolver;

  if (g_once_init_enter (&resolver))
    g_once_init_leave (&resolver, relay_proxy_resolver_new (g_proxy_resolver_get_default ()));

  return resolver;
}
