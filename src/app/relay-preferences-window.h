/* relay-preferences-window.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define RELAY_TYPE_PREFERENCES_WINDOW (relay_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (RelayPreferencesWindow, relay_preferences_window, RELAY, PREFERENCES_WINDOW, AdwPreferencesWindow)

RelayPreferencesWindow *relay_preferences_window_new             (GSettings              *settings);
void                    relay_preferences_window_set_sandbox_uri (RelayPreferencesWindow *self,
                                                                  const char             *uri);

gboolean                relay_preferences_check_url              (const char             *text,
                                                                  char                  **why);

G_END_DECLS
