/* relay-test-wait.h — waiting for one async result in a test
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Header-only, like relay-test-messages.h, so that every test program
 * shares it without a library of its own.
 */

#pragma once

#include <gio/gio.h>

/* A GAsyncReadyCallback that keeps the result in *(GAsyncResult **) @user_data. */
static inline void
relay_test_result_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Runs the default main context until relay_test_result_cb() filled @slot. */
static inline GAsyncResult *
relay_test_wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}
