/* relay-proxy-resolver.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define RELAY_TYPE_PROXY_RESOLVER (relay_proxy_resolver_get_type ())

G_DECLARE_FINAL_TYPE (RelayProxyResolver, relay_proxy_resolver, RELAY, PROXY_RESOLVER, GObject)

GProxyResolver *relay_proxy_resolver_new         (GProxyResolver *inner);
GProxyResolver *relay_proxy_resolver_get_default (void);

G_END_DECLS
