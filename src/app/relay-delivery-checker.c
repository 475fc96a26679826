/* relay-delivery-checker.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n.h>

#include "relay-delivery-checker.h"
#include "relay-http.h"
#include "relay-nexmo-pacer.h"

/* Asks the Reports API (a paid Vonage product, so only when the user
 * asked: Check Delivery, or the "check-delivery" preference) whether the
 * messages of the window's account arrived, at most
 * RELAY_DELIVERY_CHECK_RATE requests per second, and records each answer
 * on its history row. Emits "updated" with the row's id afterwards. */
struct _RelayDeliveryChecker
{
  GObject          parent_instance;

  /* owned references */
  RelayStore      *store;
  RelayAccount    *account;
  SoupSession     *session;
  RelayNexmoPacer *pacer;
  GCancellable    *cancellable;   /* cancelled when the account changes */

  /* state */
  guint            pending;
};

G_DEFINE_FINAL_TYPE (RelayDeliveryChecker, relay_delivery_checker, G_TYPE_OBJECT)

enum {
  UPDATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  char         *message_id;
  RelayAccount *account;
} Check;

static void
check_free (Check *check)
{
  g_free (check->message_id);
  g_clear_object (&check->account);
  g_free (check);
}

static void start_cb (gpointer item,
                      gpointer user_data);

static void
relay_delivery_checker_dispose (GObject *object)
{
  RelayDeliveryChecker *self = RELAY_DELIVERY_CHECKER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->account);
  g_clear_object (&self->store);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (relay_delivery_checker_parent_class)->dispose (object);
}

static void
relay_delivery_checker_finalize (GObject *object)
{
  RelayDeliveryChecker *self = RELAY_DELIVERY_CHECKER (object);

  /* Queued checks hold a reference: none is left. */
  g_clear_pointer (&self->pacer, relay_nexmo_pacer_free);

  G_OBJECT_CLASS (relay_delivery_checker_parent_class)->finalize (object);
}

static void
relay_delivery_checker_class_init (RelayDeliveryCheckerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = relay_delivery_checker_dispose;
  object_class->finalize = relay_delivery_checker_finalize;

  /**
   * RelayDeliveryChecker::updated:
   * @self: the checker
   * @id: the history row whose delivery status was recorded
   */
  signals[UPDATED] = g_signal_new ("updated",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
relay_delivery_checker_init (RelayDeliveryChecker *self)
{
  self->cancellable = g_cancellable_new ();
  self->pacer = relay_nexmo_pacer_new (NULL, RELAY_DELIVERY_CHECK_RATE, start_cb, self);
}

/**
 * relay_delivery_checker_new:
 * @store: (nullable): where answers are recorded
 *
 * Returns: (transfer full): a checker without an account
 */
RelayDeliveryChecker *
relay_delivery_checker_new (RelayStore *store)
{
  RelayDeliveryChecker *self = g_object_new (RELAY_TYPE_DELIVERY_CHECKER, NULL);

  g_return_val_if_fail (store == NULL || RELAY_IS_STORE (store), NULL);

  g_set_object (&self->store, store);
  return self;
}

/**
 * relay_delivery_checker_set_account:
 * @account: (nullable): the complete account whose messages may be
 *   checked, or %NULL
 *
 * Checks of another account still waiting end cancelled.
 */
void
relay_delivery_checker_set_account (RelayDeliveryChecker *self,
                                    RelayAccount         *account)
{
  g_return_if_fail (RELAY_IS_DELIVERY_CHECKER (self));

  if (account == self->account)
    return;

  g_cancellable_cancel (self->cancellable);
  g_object_unref (self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_set_object (&self->account, account);
  g_clear_object (&self->session);
  if (account != NULL)
    self->session = relay_http_session_new (relay_provider_get_timeout (relay_account_get_provider (account)));
}

RelayAccount *
relay_delivery_checker_get_account (RelayDeliveryChecker *self)
{
  g_return_val_if_fail (RELAY_IS_DELIVERY_CHECKER (self), NULL);

  return self->account;
}

/**
 * relay_delivery_checker_set_clock:
 * @clock: (nullable): where the pacing takes its time from
 */
void
relay_delivery_checker_set_clock (RelayDeliveryChecker *self,
                                  RelayClock           *clock)
{
  g_return_if_fail (RELAY_IS_DELIVERY_CHECKER (self));

  relay_nexmo_pacer_set_clock (self->pacer, clock);
}

/**
 * relay_delivery_checker_get_pending:
 *
 * Returns: checks queued or on their way
 */
guint
relay_delivery_checker_get_pending (RelayDeliveryChecker *self)
{
  g_return_val_if_fail (RELAY_IS_DELIVERY_CHECKER (self), 0);

  return self->pending;
}

static void
task_done (GTask *task)
{
  RelayDeliveryChecker *self = g_task_get_source_object (task);

  self->pending--;
}

static void
recorded_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelayDeliveryChecker *self = g_task_get_source_object (task);
  RelayDeliveryRecord *record = g_object_get_data (G_OBJECT (task), "record");
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = relay_store_set_delivery_finish (RELAY_STORE (object), result, &error);
  if (id < 0)
    g_warning ("The delivery status could not be recorded: %s", error->message);

  task_done (task);
  g_task_return_pointer (task, relay_delivery_record_copy (record),
                         (GDestroyNotify) relay_delivery_record_free);
  if (id > 0)
    g_signal_emit (self, signals[UPDATED], 0, id);
}

static void
fetched_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelayDeliveryChecker *self = g_task_get_source_object (task);
  RelayDeliveryRecord *record;
  GError *error = NULL;

  record = relay_nexmo_reports_fetch_finish (result, &error);
  if (record == NULL)
    {
      task_done (task);
      g_task_return_error (task, error);
      return;
    }

  g_object_set_data_full (G_OBJECT (task), "record", record, (GDestroyNotify) relay_delivery_record_free);
  if (self->store == NULL)
    {
      task_done (task);
      g_task_return_pointer (task, relay_delivery_record_copy (record),
                             (GDestroyNotify) relay_delivery_record_free);
      return;
    }

  relay_store_set_delivery_async (self->store, record->message_id, record->status, relay_delivery_record_get_time (record),
                                  NULL, recorded_cb, g_object_ref (task));
}

/* The pacer's turn for one check. */
static void
start_cb (gpointer item,
          gpointer user_data)
{
  RelayDeliveryChecker *self = g_object_ref (user_data);
  GTask *task = item;
  Check *check = g_task_get_task_data (task);

  if (!g_task_return_error_if_cancelled (task))
    relay_nexmo_reports_fetch_async (self->session, check->account, check->message_id,
                                     g_task_get_cancellable (task), fetched_cb, g_object_ref (task));
  else
    task_done (task);

  /* The last reference to the checker (and its pacer) may go with the
   * task: never within the pacer's turn. */
  g_idle_add_once ((GSourceOnceFunc) g_object_unref, task);
  g_idle_add_once ((GSourceOnceFunc) g_object_unref, self);
}

/**
 * relay_delivery_checker_check_async:
 * @message: a history row with at least one message id
 *
 * Asks for @message's delivery status on its turn and records the
 * answer. Fails with a sentence when the row has no message id, or
 * belongs to another account than the checker's.
 */
void
relay_delivery_checker_check_async (RelayDeliveryChecker    *self,
                                    const RelayStoreMessage *message,
                                    GCancellable            *cancellable,
                                    GAsyncReadyCallback      callback,
                                    gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  Check *check;

  g_return_if_fail (RELAY_IS_DELIVERY_CHECKER (self));
  g_return_if_fail (message != NULL);

  /* Without a cancellable of the caller's, a new account cancels it. */
  task = g_task_new (self, cancellable != NULL ? cancellable : self->cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_delivery_checker_check_async);

  if (message->message_ids == NULL || message->message_ids[0] == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                               _("This message has no message ID, so the provider has no delivery status for it."));
      return;
    }
  if (self->account == NULL || g_strcmp0 (relay_account_get_id (self->account), message->account) != 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "%s",
                               _("Switch to the account that sent this message to check its delivery."));
      return;
    }

  check = g_new0 (Check, 1);
  check->message_id = g_strdup (message->message_ids[0]);
  check->account = g_object_ref (self->account);
  g_task_set_task_data (task, check, (GDestroyNotify) check_free);

  self->pending++;
  relay_nexmo_pacer_push (self->pacer, g_steal_pointer (&task));
}

RelayDeliveryRecord *
relay_delivery_checker_check_finish (RelayDeliveryChecker  *self,
                                     GAsyncResult          *result,
                                     GError               **error)
{
  g_return_val_if_fail (RELAY_IS_DELIVERY_CHECKER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
background_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(RelayDeliveryRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  record = relay_delivery_checker_check_finish (RELAY_DELIVERY_CHECKER (object), result, &error);
  if (record == NULL)
    g_debug ("Delivery status not refreshed: %s", error->message);
}

static void
recent_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(RelayDeliveryChecker) self = user_data;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  rows = relay_store_query_finish (RELAY_STORE (object), result, &error);
  if (rows == NULL)
    {
      g_debug ("Recent messages not read: %s", error->message);
      return;
    }

  for (guint i = 0; i < rows->len; i++)
    {
      RelayStoreMessage *row = g_ptr_array_index (rows, i);

      if (relay_delivery_status_is_final (row->delivery) ||
          row->message_ids == NULL || row->message_ids[0] == NULL)
        continue;
      relay_delivery_checker_check_async (self, row, self->cancellable, background_cb, NULL);
    }
}

/**
 * relay_delivery_checker_refresh_recent:
 *
 * Checks, in the background and paced, the account's messages sent in
 * the last RELAY_DELIVERY_RECENT_US whose status is not final yet.
 */
void
relay_delivery_checker_refresh_recent (RelayDeliveryChecker *self)
{
  RelayStoreQuery query = { 0, };

  g_return_if_fail (RELAY_IS_DELIVERY_CHECKER (self));

  if (self->store == NULL || self->account == NULL)
    return;

  query.account = (char *) relay_account_get_id (self->account);
  query.state = RELAY_MESSAGE_STATE_SENT;
  query.since_us = g_get_real_time () - RELAY_DELIVERY_RECENT_US;
  query.limit = 500;
  relay_store_query_async (self->store, &query, self->cancellable, recent_cb, g_object_ref (self));
}

/**
 * relay_delivery_label:
 * @status: (nullable): a delivery status
 *
 * Returns: (nullable): its name for people, %NULL for none
 */
const char *
relay_delivery_label (const char *status)
{
  if (status == NULL)
    return NULL;
  if (g_str_equal (status, "accepted"))
    return C_("delivery", "Accepted");
  if (g_str_equal (status, "delivered"))
    return C_("delivery", "Delivered");
  if (g_str_equal (status, "buffered"))
    return C_("delivery", "Buffered");
  if (g_str_equal (status, "expired"))
    return C_("delivery", "Expired");
  if (g_str_equal (status, "failed"))
    return C_("delivery", "Not delivered");
  if (g_str_equal (status, "rejected"))
    return C_("delivery", "Rejected");

  return C_("delivery", "Unknown");
}

/**
 * relay_delivery_describe:
 *
 * Returns: (transfer full) (nullable): "Delivered — 1 December 2026,
 *   10:02:03", or %NULL when no status is known
 */
char *
relay_delivery_describe (const RelayStoreMessage *message)
{
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *time = NULL;
  const char *label;

  g_return_val_if_fail (message != NULL, NULL);

  if ((label = relay_delivery_label (message->delivery)) == NULL)
    return NULL;
  if (message->delivery_at <= 0 ||
      !(when = g_date_time_new_from_unix_local (message->delivery_at / G_USEC_PER_SEC)))
    return g_strdup (label);

  /* Translators: a date and time in the detail view, see g_date_time_format() */
  time = g_date_time_format (when, _("%-d %B %Y, %H:%M:%S"));
  /* Translators: a delivery status and its time, e.g. "Delivered — 1 December 2026, 10:02:03" */
  return g_strdup_printf (_("%s — %s"), label, time);
}
