/* relay-callback-listener.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "relay-clock.h"

G_BEGIN_DECLS

#define RELAY_CALLBACK_DEFAULT_TIMEOUT (10 * 60)

#define RELAY_TYPE_CALLBACK_LISTENER (relay_callback_listener_get_type ())

G_DECLARE_FINAL_TYPE (RelayCallbackListener, relay_callback_listener, RELAY, CALLBACK_LISTENER, GObject)

/* The verdict on one request to the listener; pure, for tests and fuzzing. */
typedef enum
{
  RELAY_CALLBACK_ACCEPT,        /* the right token and one verifier: finish */
  RELAY_CALLBACK_DENIED,        /* the user declined: finish with an error */
  RELAY_CALLBACK_NOT_FOUND,     /* 404, flow untouched */
  RELAY_CALLBACK_BAD_METHOD,    /* 405 with Allow: GET */
  RELAY_CALLBACK_BAD_REQUEST,   /* 400: Host, body, size, parameters, token */
} RelayCallbackVerdict;

RelayCallbackVerdict   relay_callback_validate          (const char             *method,
                                                         const char             *path,
                                                         const char             *query,
                                                         const char             *host,
                                                         guint                   port,
                                                         goffset                 content_length,
                                                         const char             *pending_token,
                                                         char                  **verifier);

RelayCallbackListener *relay_callback_listener_new      (const char             *pending_token);
gboolean               relay_callback_listener_start    (RelayCallbackListener  *self,
                                                         GError                **error);
char                  *relay_callback_listener_get_uri  (RelayCallbackListener  *self);
guint                  relay_callback_listener_get_port (RelayCallbackListener  *self);
void                   relay_callback_listener_set_pending_token (RelayCallbackListener *self,
                                                         const char             *pending_token);
void                   relay_callback_listener_set_timeout (RelayCallbackListener *self,
                                                         guint                   seconds);
void                   relay_callback_listener_set_clock (RelayCallbackListener *self,
                                                         RelayClock             *clock);
/* Resolves with the verifier after the first valid callback; errors on
 * denial, timeout, too many bad attempts, or cancellation. The listener
 * stops listening in every case. */
void                   relay_callback_listener_wait_async  (RelayCallbackListener *self,
                                                         GCancellable           *cancellable,
                                                         GAsyncReadyCallback     callback,
                                                         gpointer                user_data);
char                  *relay_callback_listener_wait_finish (RelayCallbackListener *self,
                                                         GAsyncResult           *result,
                                                         GError                **error);
void                   relay_callback_listener_stop     (RelayCallbackListener  *self);

G_END_DECLS
