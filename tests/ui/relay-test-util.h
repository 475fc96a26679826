/* relay-test-util.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "relay-application.h"
#include "relay-credential-store.h"

G_BEGIN_DECLS

typedef gboolean (*RelayTestCondition) (gpointer data);

gboolean   relay_test_wait_until     (RelayTestCondition  condition,
                                      gpointer            data,
                                      guint               timeout_ms);
void       relay_test_iterate        (guint               ms);
void       relay_test_wait_for_frames (GtkWidget         *widget);
void       relay_test_wait_shown     (GtkWidget          *window);
void       relay_test_disable_animations (void);
gboolean   relay_test_transitions_done (gpointer          widget);
void       relay_test_wait_transitions (GtkWidget        *widget);
void       relay_test_drain           (void);
GtkWidget *relay_test_find_widget    (GtkWidget          *root,
                                      const char         *name);
GtkWidget *relay_test_find_toast     (GtkWidget          *root);
GtkWidget *relay_test_need_widget    (GtkWidget          *root,
                                      const char         *name);
void       relay_test_set_text       (GtkWidget          *root,
                                      const char         *name,
                                      const char         *text);
const char *relay_test_get_label     (GtkWidget          *root,
                                      const char         *name);
char      *relay_test_screenshot     (GtkWidget          *widget,
                                      const char         *basename);
GListModel *relay_test_results       (GtkWidget          *root);
char      *relay_test_result_line    (GtkWidget          *root,
                                      guint               position);

RelayApplication *relay_test_application_new (gboolean          with_sandbox);
GPtrArray *relay_test_list_accounts  (RelayCredentialStore *store);
void       relay_test_clear_store    (RelayCredentialStore *store);
gboolean   relay_test_has_width      (GtkWidget          *window,
                                      int                 width);
void       relay_test_resize         (GtkWidget          *window,
                                      int                 width,
                                      int                 height);
gboolean   relay_test_wait_width     (GtkWidget          *window,
                                      int                 width,
                                      guint               timeout_ms);
void       relay_test_set_width      (GtkWidget          *window,
                                      int                 width,
                                      int                 height);
void       relay_test_screenshot_widths (GtkWidget       *window,
                                         const char      *base,
                                         int              height);
AdwMessageDialog *relay_test_find_dialog (const char      *name);
void       relay_test_screenshot_light_dark (GtkWidget     *widget,
                                             const char    *base);

#define relay_test_assert_wait(cond, data, ms) \
  g_assert_true (relay_test_wait_until ((cond), (data), (ms)))

G_END_DECLS
