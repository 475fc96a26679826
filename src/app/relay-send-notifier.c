/* relay-send-notifier.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n.h>

#include "relay-send-notifier.h"

/* Watches a send page: when a long send (RELAY_SEND_NOTIFIER_MIN_US or
 * more on the clock) ends while the window is not focused, sends a
 * desktop notification with the send's summary, the sentence the page
 * also shows as a toast; withdraws it as soon as the window is focused
 * again, since the window then shows the same. Uses only the page's
 * existing "sending" property and "toast" signal. */
struct _RelaySendNotifier
{
  GObject        parent_instance;

  /* weak references */
  GtkWindow     *window;
  RelaySendPage *page;

  /* owned references */
  RelayClock    *clock;

  /* state */
  char          *summary;      /* the latest toast of the current send */
  gint64         started_us;
  guint          finish_id;
  guint          sending : 1;
  guint          shown : 1;
};

G_DEFINE_FINAL_TYPE (RelaySendNotifier, relay_send_notifier, G_TYPE_OBJECT)

static GApplication *
get_application (RelaySendNotifier *self)
{
  GtkApplication *app = self->window != NULL ? gtk_window_get_application (self->window) : NULL;

  return app != NULL ? G_APPLICATION (app) : NULL;
}

static void
withdraw (RelaySendNotifier *self)
{
  GApplication *app = get_application (self);

  if (self->shown && app != NULL)
    g_application_withdraw_notification (app, RELAY_SEND_NOTIFIER_ID);
  self->shown = FALSE;
}

/* Runs once the page finished reacting to the end of the send: its
 * summary toast, emitted right after "sending" turned off, is known. */
static gboolean
finish_cb (gpointer user_data)
{
  RelaySendNotifier *self = user_data;
  GApplication *app = get_application (self);
  gint64 lasted = relay_clock_get_now (self->clock) - self->started_us;
  g_autoptr(GNotification) notification = NULL;

  self->finish_id = 0;

  if (app == NULL || self->summary == NULL || lasted < RELAY_SEND_NOTIFIER_MIN_US ||
      gtk_window_is_active (self->window))
    return G_SOURCE_REMOVE;

  notification = g_notification_new (_("Sending Finished"));
  g_notification_set_body (notification, self->summary);
  g_application_send_notification (app, RELAY_SEND_NOTIFIER_ID, notification);
  self->shown = TRUE;
  g_debug ("Notified the end of a send that lasted %" G_GINT64_FORMAT " ms", lasted / 1000);

  return G_SOURCE_REMOVE;
}

static void
sending_cb (RelaySendNotifier *self)
{
  gboolean sending = relay_send_page_get_sending (self->page);

  if (sending == self->sending)
    return;
  self->sending = sending;

  if (sending)
    {
      /* A new send: the last one's notification is old news. */
      withdraw (self);
      g_clear_handle_id (&self->finish_id, g_source_remove);
      g_clear_pointer (&self->summary, g_free);
      self->started_us = relay_clock_get_now (self->clock);
    }
  else if (self->finish_id == 0)
    {
      self->finish_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, finish_cb, self, NULL);
    }
}

static void
toast_cb (RelaySendNotifier *self,
          const char        *text)
{
  if (self->sending || self->finish_id != 0)
    {
      g_free (self->summary);
      self->summary = g_strdup (text);
    }
}

static void
active_cb (RelaySendNotifier *self)
{
  if (gtk_window_is_active (self->window))
    withdraw (self);
}

static void
relay_send_notifier_dispose (GObject *object)
{
  RelaySendNotifier *self = (RelaySendNotifier *)object;

  g_clear_handle_id (&self->finish_id, g_source_remove);
  g_clear_weak_pointer (&self->window);
  g_clear_weak_pointer (&self->page);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (relay_send_notifier_parent_class)->dispose (object);
}

static void
relay_send_notifier_finalize (GObject *object)
{
  RelaySendNotifier *self = (RelaySendNotifier *)object;

  g_free (self->summary);

  G_OBJECT_CLASS (relay_send_notifier_parent_class)->finalize (object);
}

static void
relay_send_notifier_class_init (RelaySendNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = relay_send_notifier_dispose;
  object_class->finalize = relay_send_notifier_finalize;
}

static void
relay_send_notifier_init (RelaySendNotifier *self)
{
  self->clock = g_object_ref (relay_clock_get_default ());
}

/**
 * relay_send_notifier_new:
 * @window: the window @page is in
 * @page: the page whose sends to follow
 *
 * Returns: (transfer full): a notifier; keep it as long as @window
 */
RelaySendNotifier *
relay_send_notifier_new (GtkWindow     *window,
                         RelaySendPage *page)
{
  RelaySendNotifier *self;

  g_return_val_if_fail (GTK_IS_WINDOW (window), NULL);
  g_return_val_if_fail (RELAY_IS_SEND_PAGE (page), NULL);

  self = g_object_new (RELAY_TYPE_SEND_NOTIFIER, NULL);
  g_set_weak_pointer (&self->window, window);
  g_set_weak_pointer (&self->page, page);
  g_signal_connect_object (page, "notify::sending", G_CALLBACK (sending_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "toast", G_CALLBACK (toast_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (window, "notify::is-active", G_CALLBACK (active_cb), self, G_CONNECT_SWAPPED);

  return self;
}

/**
 * relay_send_notifier_set_clock:
 * @clock: (nullable): what a send's length is measured on; %NULL for
 *   the real monotonic clock
 */
void
relay_send_notifier_set_clock (RelaySendNotifier *self,
                               RelayClock        *clock)
{
  g_return_if_fail (RELAY_IS_SEND_NOTIFIER (self));
  g_return_if_fail (clock == NULL || RELAY_IS_CLOCK (clock));

  if (clock == NULL)
    clock = relay_clock_get_default ();
  g_set_object (&self->clock, clock);
}

/**
 * relay_send_notifier_get_shown:
 *
 * Returns: whether a notification is out and not withdrawn yet
 */
gboolean
relay_send_notifier_get_shown (RelaySendNotifier *self)
{
  g_return_val_if_fail (RELAY_IS_SEND_NOTIFIER (self), FALSE);

  return self->shown;
}
