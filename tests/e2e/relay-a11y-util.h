/* relay-a11y-util.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* One line ("Type #id name (in Parent)") per interactive widget on screen
 * under @root that has no accessible name. */
char       *relay_a11y_find_unnamed       (GtkWidget   *root);
guint       relay_a11y_count_lines        (const char  *text);

/* Tab, as GtkWindow moves it, round @window: the widgets focused. */
GPtrArray  *relay_a11y_tab_walk           (GtkWidget   *window);
gboolean    relay_a11y_tab_reaches        (GPtrArray   *focused,
                                           GtkWidget   *widget);
/* One line per sensitive interactive widget on screen Tab never reaches. */
char       *relay_a11y_find_unreachable   (GtkWidget   *window);

void        relay_a11y_iterate_until      (GSourceFunc  check,
                                           gpointer     data,
                                           guint        timeout_ms);
void        relay_a11y_settle             (void);
void        relay_a11y_wait_mapped        (GtkWidget   *widget);

GdkTexture *relay_a11y_snapshot           (GtkWidget   *widget);
void        relay_a11y_save               (GdkTexture  *texture,
                                           const char  *name);
double      relay_a11y_luminance          (GdkTexture  *texture);
guint       relay_a11y_count_differences  (GdkTexture  *a,
                                           GdkTexture  *b);

G_END_DECLS
