/* relay-test-loopback.h — a loopback server on a manual clock
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server the loopback tests talk to: a SoupServer with the test's
 * handler, served by relay_loopback_serve() on a free 127.0.0.1 port,
 * its time limits on a manual RelayClock started at
 * RELAY_TEST_LOOPBACK_T0. Header-only, like relay-test-cli.h.
 */

#pragma once

#include "relay-loopback.h"

#define RELAY_TEST_LOOPBACK_T0 (G_GINT64_CONSTANT (1800000000) * G_USEC_PER_SEC)

typedef struct
{
  RelayClock     *clock;
  SoupServer     *server;
  GSocketService *service;
  guint           port;
} RelayTestLoopback;

static inline void
relay_test_loopback_start (RelayTestLoopback     *loopback,
                           SoupServerCallback     handler,
                           gpointer               handler_data,
                           guint                  idle_seconds)
{
  g_autoptr(GError) error = NULL;

  loopback->clock = relay_clock_new_manual (RELAY_TEST_LOOPBACK_T0);
  loopback->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (loopback->server, NULL, handler, handler_data, NULL);
  loopback->service = relay_loopback_serve (loopback->server, 0, &loopback->port, &error);
  g_assert_no_error (error);
  relay_loopback_set_clock (loopback->service, loopback->clock, g_main_context_default ());
  relay_loopback_set_idle_timeout (loopback->service, loopback->server, loopback->clock,
                                   g_main_context_default (), idle_seconds);
}

static inline void
relay_test_loopback_stop (RelayTestLoopback *loopback)
{
  relay_loopback_stop (g_steal_pointer (&loopback->service));
  g_clear_object (&loopback->server);
  g_clear_object (&loopback->clock);
}
