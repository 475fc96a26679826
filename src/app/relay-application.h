/* relay-application.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "relay-sandbox-server.h"

G_BEGIN_DECLS

#define RELAY_TYPE_APPLICATION (relay_application_get_type ())

G_DECLARE_FINAL_TYPE (RelayApplication, relay_application, RELAY, APPLICATION, AdwApplication)

RelayApplication   *relay_application_new              (void);
gboolean            relay_application_start_sandbox    (RelayApplication  *self,
                                                        GError           **error);
gboolean            relay_application_get_use_sandbox  (RelayApplication  *self);
gboolean            relay_application_ensure_sandbox   (RelayApplication  *self);
const char         *relay_application_get_sandbox_uri  (RelayApplication  *self);
RelaySandboxServer *relay_application_get_sandbox      (RelayApplication  *self);
GSettings          *relay_application_get_settings     (RelayApplication  *self);
int                 relay_application_get_exit_status  (RelayApplication  *self);

G_END_DECLS
