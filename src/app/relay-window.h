/* relay-window.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "relay-application.h"
#include "relay-clock.h"
#include "relay-store.h"

G_BEGIN_DECLS

#define RELAY_TYPE_WINDOW (relay_window_get_type ())

G_DECLARE_FINAL_TYPE (RelayWindow, relay_window, RELAY, WINDOW, AdwApplicationWindow)

/**
 * RelayUriLauncher:
 * @window: the window that wants @uri opened
 * @uri: the authorize URL
 * @user_data: the data given with the launcher
 *
 * Opens the authorize URL instead of the system browser; tests use it to
 * play the browser.
 */
typedef void (*RelayUriLauncher) (RelayWindow *window,
                                  const char  *uri,
                                  gpointer     user_data);

RelayWindow *relay_window_new                (RelayApplication *application);
const char  *relay_window_get_page           (RelayWindow      *self);
gboolean     relay_window_get_page_usable    (RelayWindow      *self);
gboolean     relay_window_get_starting       (RelayWindow      *self);
const char  *relay_window_get_last_toast     (RelayWindow      *self);
AdwToast    *relay_window_get_toast          (RelayWindow      *self);
const char  *relay_window_get_authorize_uri  (RelayWindow      *self);
RelayStore  *relay_window_get_store          (RelayWindow      *self);
void         relay_window_add_toast          (RelayWindow      *self,
                                              const char       *text);
void         relay_window_set_uri_launcher   (RelayWindow      *self,
                                              RelayUriLauncher  launcher,
                                              gpointer          user_data);
void         relay_window_set_clock          (RelayWindow      *self,
                                              RelayClock       *clock);

G_END_DECLS
