/* relay-loopback.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "relay-clock.h"

G_BEGIN_DECLS

GSocketService *relay_loopback_serve (SoupServer      *server,
                                      guint            port,
                                      guint           *bound_port,
                                      GError         **error);
void            relay_loopback_stop  (GSocketService  *service);
void            relay_loopback_set_clock (GSocketService *service,
                                          RelayClock     *clock,
                                          GMainContext   *context);
void            relay_loopback_set_idle_timeout (GSocketService *service,
                                                 SoupServer     *server,
                                                 RelayClock     *clock,
                                                 GMainContext   *context,
                                                 guint           seconds);
void            relay_loopback_set_stall_timeout (GSocketService *service,
                                                  RelayClock     *clock,
                                                  GMainContext   *context,
                                                  guint           seconds);

G_END_DECLS
