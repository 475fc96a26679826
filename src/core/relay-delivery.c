/* relay-delivery.c — one send through the outbox
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n-lib.h>

#include <string.h>

#include "relay-delivery.h"
#include "relay-sms-text.h"
#include "relay-store-blocklist.h"
#include "relay-store-outcome.h"

/* Rows handed to the client and not yet answered: enough to keep the
 * pacer busy at any rate it allows, few enough that a long list costs
 * the client (and Pause) nothing. Whole groups go at once. */
#define FEED_WINDOW 256

/**
 * RelayDelivery:
 *
 * Sends history rows through a #RelayNexmoClient and the outbox of a
 * #RelayStore: new rows are queued in one transaction before anything
 * leaves, each row becomes sending (durably) before its request may be
 * written, and each outcome — sent, failed, not sent or uncertain — is
 * recorded as soon as the client reports it. Without a store it sends
 * the same way and records nothing. The window and relay-cli both send
 * through it.
 */
struct _RelayDelivery
{
  GObject           parent_instance;

  /* owned references */
  RelayNexmoClient *client;
  RelayStore       *store;
  GTask            *task;       /* the running send */
  GPtrArray        *rows;       /* RelayStoreMessage, in the order given */
  GHashTable       *by_ref;     /* client-ref → RelayStoreMessage (borrowed) */
  GHashTable       *reported;   /* client-refs with an outcome */
  GHashTable       *blocked;    /* the do-not-contact list, or NULL */
  char             *currency;   /* the account's, from its price list, or NULL */
  GPtrArray        *groups;     /* GPtrArray of rows: one client send each */
  GPtrArray        *fresh;      /* new rows waiting to be queued */
  GSource          *cancel_source;
  RelayClock       *clock;

  /* state */
  gulong            progress_id;
  guint             sends;      /* client sends running */
  guint             pending;    /* store calls running */
  guint             done;
  guint             n_fresh;    /* rows queued by this send */
  guint             next_group; /* the first group not handed to the client */
  guint             outstanding; /* rows handed to the client, unanswered */
  gint64            started_us; /* on the clock, when sending started */
  guint             done_at_start;
  guint             blocked_set : 1;
  guint             paused : 1;
};

G_DEFINE_FINAL_TYPE (RelayDelivery, relay_delivery, G_TYPE_OBJECT)

enum {
  QUEUED,
  PROGRESS,
  RECORDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
maybe_finish (RelayDelivery *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->task == NULL || self->sends > 0 || self->pending > 0)
    return;
  /* Paused, or between groups. */
  if (self->groups != NULL && self->next_group < self->groups->len)
    return;

  g_clear_signal_handler (&self->progress_id, self->client);
  relay_nexmo_client_set_gate (self->client, NULL, NULL, NULL);
  relay_nexmo_client_set_paused (self->client, FALSE);
  if (self->cancel_source != NULL)
    {
      g_source_destroy (self->cancel_source);
      g_clear_pointer (&self->cancel_source, g_source_unref);
    }
  g_clear_pointer (&self->groups, g_ptr_array_unref);

  task = g_steal_pointer (&self->task);
  g_task_return_pointer (task, g_ptr_array_ref (self->rows), (GDestroyNotify) g_ptr_array_unref);
}

typedef struct
{
  RelayDelivery     *delivery;
  RelayStoreMessage *row;       /* borrowed from the delivery's rows */
} Record;

static void
record_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Record *record = user_data;
  g_autoptr(RelayDelivery) self = record->delivery;
  g_autoptr(GError) error = NULL;

  if (!relay_store_record_finish (RELAY_STORE (object), result, &error))
    g_debug ("Outcome not recorded: %s", error->message);
  g_signal_emit (self, signals[RECORDED], 0, record->row, error);
  g_free (record);

  self->pending--;
  maybe_finish (self);
}

/* Takes one recipient's outcome into its row and into the store. */
static void
take_outcome (RelayDelivery        *self,
              RelayStoreMessage    *row,
              const RelaySmsResult *sms)
{
  if (!g_hash_table_add (self->reported, row->client_ref))
    return;

  relay_store_message_take_outcome (row, sms);
  /* The answer names no currency; the account's price list does, and
   * the provider charges in it. Without one the price stays bare. */
  if (row->price != NULL && self->currency != NULL)
    row->currency = g_strdup (self->currency);
  self->done++;
  g_signal_emit (self, signals[PROGRESS], 0, sms, row, self->done, self->rows->len);

  if (self->store != NULL && row->id > 0)
    {
      Record *record = g_new0 (Record, 1);

      record->delivery = g_object_ref (self);
      record->row = row;
      self->pending++;
      relay_store_record_async (self->store, row, NULL, record_cb, record);
    }
}

static void feed (RelayDelivery *self);

/* An outcome of a row that never reached the client. */
static void
not_sent (RelayDelivery     *self,
          RelayStoreMessage *row,
          GError            *error)
{
  RelaySmsResult sms = { 0 };

  sms.to = row->recipient;
  sms.client_ref = row->client_ref;
  sms.state = RELAY_SMS_STATE_NOT_SENT;
  sms.status = 0;
  sms.retry_after_ms = -1;
  sms.error = error;
  take_outcome (self, row, &sms);
  g_clear_error (&sms.error);
}

static GError *
cancelled_error (RelayStoreMessage *row)
{
  return g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                      _("Sending was cancelled before the message to %s went out; it was not sent."),
                      row->recipient);
}

static void
progress_cb (RelayNexmoClient *client,
             gpointer          result,
             guint             done,
             guint             total,
             RelayDelivery    *self)
{
  const RelaySmsResult *sms = result;
  RelayStoreMessage *row;

  /* Another send of the same client. */
  if (sms == NULL || sms->client_ref == NULL ||
      (row = g_hash_table_lookup (self->by_ref, sms->client_ref)) == NULL)
    return;

  if (g_hash_table_contains (self->reported, row->client_ref))
    return;
  take_outcome (self, row, sms);
  if (self->outstanding > 0)
    self->outstanding--;
  feed (self);
}

typedef struct
{
  RelayDelivery *delivery;
  GTask         *task;
} Gate;

static void
begin_send_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Gate *gate = user_data;
  RelayDelivery *self = gate->delivery;
  GError *error = NULL;

  if (relay_store_begin_send_finish (RELAY_STORE (object), result, &error))
    g_task_return_boolean (gate->task, TRUE);
  else
    g_task_return_error (gate->task, error);

  g_object_unref (gate->task);
  g_free (gate);

  self->pending--;
  maybe_finish (self);
  g_object_unref (self);
}

/* Before a recipient's request may leave: its row becomes sending,
 * durably, or it is not sent. */
static void
gate_cb (RelayNexmoClient     *client,
         const RelaySmsResult *recipient,
         GTask                *task,
         gpointer              user_data)
{
  RelayDelivery *self = user_data;
  RelayStoreMessage *row = NULL;
  Gate *gate;

  if (recipient->client_ref != NULL)
    row = g_hash_table_lookup (self->by_ref, recipient->client_ref);

  if (self->store == NULL || row == NULL || row->id <= 0)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  gate = g_new0 (Gate, 1);
  gate->delivery = g_object_ref (self);
  gate->task = task;
  self->pending++;
  relay_store_begin_send_async (self->store, row->id, NULL, begin_send_cb, gate);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(RelayDelivery) self = user_data;
  g_autoptr(GPtrArray) results = NULL;

  /* Every outcome was reported through "progress", a cancelled send's
   * too; the store may still be writing them. */
  results = relay_nexmo_client_send_finish (RELAY_NEXMO_CLIENT (object), result, NULL);
  self->sends--;
  maybe_finish (self);
}

/* Hands the next groups to the client while fewer than FEED_WINDOW of
 * its rows wait for their answer, unless paused or stopped. */
static void
feed (RelayDelivery *self)
{
  GCancellable *cancellable;

  if (self->task == NULL || self->groups == NULL || self->paused)
    return;

  /* Stopped: cancelled_cb() ends the rows not handed over. */
  cancellable = g_task_get_cancellable (self->task);
  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    return;

  while (self->next_group < self->groups->len && self->outstanding < FEED_WINDOW)
    {
      GPtrArray *group = self->groups->pdata[self->next_group++];
      RelayStoreMessage *first = group->pdata[0];
      g_autoptr(GPtrArray) to = g_ptr_array_sized_new (group->len + 1);
      g_autoptr(GPtrArray) refs = g_ptr_array_sized_new (group->len + 1);

      for (guint j = 0; j < group->len; j++)
        {
          RelayStoreMessage *row = group->pdata[j];

          g_ptr_array_add (to, row->recipient);
          g_ptr_array_add (refs, row->client_ref);
        }
      g_ptr_array_add (to, NULL);
      g_ptr_array_add (refs, NULL);

      self->outstanding += group->len;
      self->sends++;
      relay_nexmo_client_send_refs_async (self->client, first->sender,
                                          (const char *const *) to->pdata,
                                          (const char *const *) refs->pdata, first->text,
                                          g_strcmp0 (first->encoding, "UCS-2") == 0 ? RELAY_NEXMO_SEND_UNICODE
                                                                                    : RELAY_NEXMO_SEND_NONE,
                                          cancellable, send_cb, g_object_ref (self));
    }
}

/* Stopped: the rows the client never had are not sent; it stops its
 * own (see relay_delivery_send_async()). */
static gboolean
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  RelayDelivery *self = user_data;

  if (self->groups != NULL)
    {
      for (; self->next_group < self->groups->len; self->next_group++)
        {
          GPtrArray *group = self->groups->pdata[self->next_group];

          for (guint j = 0; j < group->len; j++)
            not_sent (self, group->pdata[j], cancelled_error (group->pdata[j]));
        }
    }
  /* The client withdraws the rows it holds (paused or not) itself. */
  maybe_finish (self);

  return G_SOURCE_REMOVE;
}

/* Hands the rows to the client: one request batch per sender, encoding
 * and text, fed a window at a time. Rows on the do-not-contact list
 * never reach it. */
static void
start_sending (RelayDelivery *self)
{
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GCancellable *cancellable = g_task_get_cancellable (self->task);

  /* Stopped while the rows were being queued: none went out, and the
   * client would not report them. */
  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    {
      for (guint i = 0; i < self->rows->len; i++)
        not_sent (self, self->rows->pdata[i], cancelled_error (self->rows->pdata[i]));
      maybe_finish (self);
      return;
    }

  self->groups = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  self->next_group = 0;
  self->outstanding = 0;
  for (guint i = 0; i < self->rows->len; i++)
    {
      RelayStoreMessage *row = self->rows->pdata[i];
      g_autofree char *key = NULL;
      GPtrArray *group;

      if (self->blocked != NULL && g_hash_table_contains (self->blocked, row->recipient))
        {
          not_sent (self, row, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                                                    _("This number is on the do-not-contact list; nothing was sent to it.")));
          continue;
        }

      key = g_strdup_printf ("%s%c%s%c%s", row->sender != NULL ? row->sender : "", 0x1f,
                             row->encoding != NULL ? row->encoding : "", 0x1f, row->text);
      group = g_hash_table_lookup (groups, key);
      if (group == NULL)
        {
          group = g_ptr_array_new ();
          g_hash_table_insert (groups, g_steal_pointer (&key), group);
          g_ptr_array_add (self->groups, group);
        }
      g_ptr_array_add (group, row);
    }

  if (self->store != NULL)
    relay_nexmo_client_set_gate (self->client, gate_cb, self, NULL);
  else
    relay_nexmo_client_set_gate (self->client, NULL, NULL, NULL);
  self->progress_id = g_signal_connect (self->client, "progress", G_CALLBACK (progress_cb), self);
  relay_nexmo_client_set_paused (self->client, self->paused);

  if (cancellable != NULL)
    {
      self->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (self->cancel_source, G_SOURCE_FUNC (cancelled_cb), self, NULL);
      g_source_attach (self->cancel_source, g_main_context_get_thread_default ());
    }

  self->started_us = relay_clock_get_now (self->clock);
  self->done_at_start = self->done;
  feed (self);
  maybe_finish (self);
}

static void
enqueue_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(RelayDelivery) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;

  if (!relay_store_enqueue_finish (RELAY_STORE (object), result, &error))
    {
      /* Nothing was recorded, so nothing is sent. */
      task = g_steal_pointer (&self->task);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_signal_emit (self, signals[QUEUED], 0, self->n_fresh);
  start_sending (self);
}

/* Every message is a row before it leaves: all the new ones in one
 * transaction, so that a full disk refuses the send as a whole. */
static void
enqueue_fresh (RelayDelivery *self)
{
  g_autoptr(GPtrArray) fresh = g_steal_pointer (&self->fresh);

  if (fresh != NULL && fresh->len > 0)
    {
      self->n_fresh = fresh->len;
      relay_store_enqueue_async (self->store, fresh, NULL, enqueue_cb, g_object_ref (self));
      return;
    }

  start_sending (self);
}

static void
snapshot_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(RelayDelivery) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  GHashTable *blocked;

  blocked = relay_store_blocked_snapshot_finish (RELAY_STORE (object), result, &error);
  if (blocked == NULL)
    {
      /* Without the list, nobody can tell who must not be reached:
       * nothing is queued, nothing sent. */
      g_clear_pointer (&self->fresh, g_ptr_array_unref);
      task = g_steal_pointer (&self->task);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_clear_pointer (&self->blocked, g_hash_table_unref);
  self->blocked = blocked;
  enqueue_fresh (self);
}

static void
relay_delivery_dispose (GObject *object)
{
  RelayDelivery *self = RELAY_DELIVERY (object);

  g_assert (self->task == NULL);

  g_clear_object (&self->client);
  g_clear_object (&self->store);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (relay_delivery_parent_class)->dispose (object);
}

static void
relay_delivery_finalize (GObject *object)
{
  RelayDelivery *self = RELAY_DELIVERY (object);

  g_clear_pointer (&self->by_ref, g_hash_table_unref);
  g_clear_pointer (&self->reported, g_hash_table_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->blocked, g_hash_table_unref);
  g_clear_pointer (&self->fresh, g_ptr_array_unref);
  g_clear_pointer (&self->currency, g_free);

  G_OBJECT_CLASS (relay_delivery_parent_class)->finalize (object);
}

static void
relay_delivery_class_init (RelayDeliveryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = relay_delivery_dispose;
  object_class->finalize = relay_delivery_finalize;

  /**
   * RelayDelivery::queued:
   * @self: the delivery
   * @n_rows: how many new rows the store took
   *
   * Emitted once the new rows are in the store, before any leaves.
   */
  signals[QUEUED] =
    g_signal_new ("queued",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);

  /**
   * RelayDelivery::progress:
   * @self: the delivery
   * @result: the client's RelaySmsResult (transfer none)
   * @row: the recipient's RelayStoreMessage, with the outcome taken
   *   in (transfer none)
   * @done: rows with an outcome so far
   * @total: rows in the delivery
   *
   * Emitted once per row, as soon as its outcome is known.
   */
  signals[PROGRESS] =
    g_signal_new ("progress",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_POINTER, G_TYPE_POINTER, G_TYPE_UINT, G_TYPE_UINT);

  /**
   * RelayDelivery::recorded:
   * @self: the delivery
   * @row: the RelayStoreMessage whose outcome the store answered for
   * @error: (nullable): the GError when it could not be recorded
   *
   * Emitted when the store recorded (or failed to record) an outcome.
   */
  signals[RECORDED] =
    g_signal_new ("recorded",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_POINTER);
}

static void
relay_delivery_init (RelayDelivery *self)
{
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_store_message_free);
  self->by_ref = g_hash_table_new (g_str_hash, g_str_equal);
  self->reported = g_hash_table_new (g_str_hash, g_str_equal);
  self->clock = g_object_ref (relay_clock_get_default ());
}

/**
 * relay_delivery_new:
 * @client: the client of the rows' account
 * @store: (nullable): the opened history, or %NULL to send without
 *   recording anything
 */
RelayDelivery *
relay_delivery_new (RelayNexmoClient *client,
                    RelayStore       *store)
{
  RelayDelivery *self;

  g_return_val_if_fail (RELAY_IS_NEXMO_CLIENT (client), NULL);
  g_return_val_if_fail (store == NULL || RELAY_IS_STORE (store), NULL);

  self = g_object_new (RELAY_TYPE_DELIVERY, NULL);
  self->client = g_object_ref (client);
  self->store = store != NULL ? g_object_ref (store) : NULL;

  return self;
}

RelayNexmoClient *
relay_delivery_get_client (RelayDelivery *self)
{
  g_return_val_if_fail (RELAY_IS_DELIVERY (self), NULL);

  return self->client;
}

RelayStore *
relay_delivery_get_store (RelayDelivery *self)
{
  g_return_val_if_fail (RELAY_IS_DELIVERY (self), NULL);

  return self->store;
}

/**
 * relay_delivery_new_row:
 * @unicode: send as UCS-2 even when GSM-7 would do
 *
 * Returns: (transfer full): a row to send, with its own client-ref, its
 *   encoding and its number of parts
 */
RelayStoreMessage *
relay_delivery_new_row (const char *account_id,
                        const char *from,
                        const char *to,
                        const char *text,
                        gboolean    unicode)
{
  RelayStoreMessage *row;
  RelaySmsInfo info;

  g_return_val_if_fail (account_id != NULL, NULL);
  g_return_val_if_fail (to != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  row = relay_store_message_new (account_id, from, to, text);
  relay_sms_text_analyze (text, &info);
  if (unicode && info.encoding != RELAY_SMS_ENCODING_UCS2)
    {
      /* The same characters as UCS-2: 70 in one part, else 67 a part. */
      info.encoding = RELAY_SMS_ENCODING_UCS2;
      info.parts = info.characters <= 70 ? 1 : (info.characters + 66) / 67;
    }
  row->encoding = g_strdup (info.encoding == RELAY_SMS_ENCODING_UCS2 ? "UCS-2" : "GSM-7");
  row->parts = MAX (info.parts, 1);
  row->client_ref = relay_client_ref_new ();

  return row;
}

/**
 * relay_delivery_send_async:
 * @rows: (element-type RelayStoreMessage) (transfer none): rows of the
 *   client's account, each with its own client-ref: new rows (id 0),
 *   which are queued first when there is a store, or rows this process
 *   queued or claimed (the window's Send Now, relay-cli resume)
 * @cancellable: (nullable): stops the send: rows not yet on their way
 *   end not sent, those already written wait for their answer
 *
 * Sends @rows, reporting each outcome through "progress" and
 * recording it. Resolves once every outcome is known and in the store;
 * fails, having sent nothing, only when the new rows could not be
 * queued (or the do-not-contact list could not be read). One send at a
 * time. A row whose number is on the do-not-contact list (read from the
 * store, or given with relay_delivery_set_blocked()) is recorded not
 * sent and never reaches the client. Rows are handed to the client a
 * window at a time, so a list of any length can be paused
 * (relay_delivery_pause()).
 */
void
relay_delivery_send_async (RelayDelivery       *self,
                           GPtrArray           *rows,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GPtrArray) fresh = NULL;

  g_return_if_fail (RELAY_IS_DELIVERY (self));
  g_return_if_fail (rows != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (self->task == NULL);
  for (guint i = 0; i < rows->len; i++)
    g_return_if_fail (relay_client_ref_is_valid (((RelayStoreMessage *) rows->pdata[i])->client_ref));

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, relay_delivery_send_async);
  /* The outcomes matter even when cancelled. */
  g_task_set_check_cancellable (self->task, FALSE);

  g_ptr_array_set_size (self->rows, 0);
  g_hash_table_remove_all (self->by_ref);
  g_hash_table_remove_all (self->reported);
  self->done = 0;

  fresh = g_ptr_array_new ();
  for (guint i = 0; i < rows->len; i++)
    {
      RelayStoreMessage *row = relay_store_message_copy (rows->pdata[i]);

      if (row->id <= 0)
        {
          if (self->store != NULL)
            g_ptr_array_add (fresh, row);
          else if (row->queued_at == 0)
            row->queued_at = g_get_real_time ();
        }
      g_ptr_array_add (self->rows, row);
      g_hash_table_replace (self->by_ref, row->client_ref, row);
    }

  self->fresh = g_steal_pointer (&fresh);

  /* The do-not-contact list first, unless the caller gave it. */
  if (self->store != NULL && !self->blocked_set)
    {
      relay_store_blocked_snapshot_async (self->store, NULL, snapshot_cb, g_object_ref (self));
      return;
    }

  enqueue_fresh (self);
}

/**
 * relay_delivery_send_finish:
 *
 * Returns: (transfer container) (element-type RelayStoreMessage): the
 *   rows, in the order given, each with its outcome; %NULL with @error
 *   when they could not be queued (nothing was sent)
 */
GPtrArray *
relay_delivery_send_finish (RelayDelivery  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (RELAY_IS_DELIVERY (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == relay_delivery_send_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * relay_delivery_get_rows:
 *
 * Returns: (transfer none) (element-type RelayStoreMessage): the rows
 *   of the current or last send, with the outcomes known so far
 */
GPtrArray *
relay_delivery_get_rows (RelayDelivery *self)
{
  g_return_val_if_fail (RELAY_IS_DELIVERY (self), NULL);

  return self->rows;
}

/**
 * relay_delivery_set_blocked:
 * @blocked: (nullable) (transfer none): a set of numbers (see
 *   relay_store_blocked_snapshot_async()), or %NULL to read the list
 *   from the store when sending
 *
 * For a caller that holds the do-not-contact list already (an import).
 */
void
relay_delivery_set_blocked (RelayDelivery *self,
                            GHashTable    *blocked)
{
  g_return_if_fail (RELAY_IS_DELIVERY (self));
  g_return_if_fail (self->task == NULL);

  g_clear_pointer (&self->blocked, g_hash_table_unref);
  self->blocked = blocked != NULL ? g_hash_table_ref (blocked) : NULL;
  self->blocked_set = blocked != NULL;
}

/**
 * relay_delivery_set_currency:
 * @currency: (nullable): the currency of the account's price list
 *   (three capital letters), %NULL when no list is known
 *
 * Recorded prices carry it: Nexmo charges in the account's currency
 * and names it in the price list, never in a send's answer.
 */
void
relay_delivery_set_currency (RelayDelivery *self,
                             const char    *currency)
{
  g_return_if_fail (RELAY_IS_DELIVERY (self));
  g_return_if_fail (currency == NULL ||
                    (strlen (currency) == 3 && g_ascii_isupper (currency[0]) &&
                     g_ascii_isupper (currency[1]) && g_ascii_isupper (currency[2])));

  g_free (self->currency);
  self->currency = g_strdup (currency);
}

/**
 * relay_delivery_set_clock:
 * @clock: (nullable): where the time left is measured, %NULL for the
 *   real clock
 */
void
relay_delivery_set_clock (RelayDelivery *self,
                          RelayClock    *clock)
{
  g_return_if_fail (RELAY_IS_DELIVERY (self));

  g_set_object (&self->clock, (clock != NULL ? clock : relay_clock_get_default ()));
}

/**
 * relay_delivery_pause:
 *
 * Starts no new request: those on their way finish and are recorded as
 * usual; the rest wait, queued, until relay_delivery_resume() (or, after
 * a quit, `relay-cli resume`).
 */
void
relay_delivery_pause (RelayDelivery *self)
{
  g_return_if_fail (RELAY_IS_DELIVERY (self));

  if (self->paused)
    return;
  self->paused = TRUE;
  if (self->task != NULL && self->groups != NULL)
    relay_nexmo_client_set_paused (self->client, TRUE);
}

void
relay_delivery_resume (RelayDelivery *self)
{
  g_return_if_fail (RELAY_IS_DELIVERY (self));

  if (!self->paused)
    return;
  self->paused = FALSE;
  if (self->task != NULL && self->groups != NULL)
    {
      /* The rate counts from now: the pause is no debt to make up. */
      self->started_us = relay_clock_get_now (self->clock);
      self->done_at_start = self->done;
      relay_nexmo_client_set_paused (self->client, FALSE);
      feed (self);
      maybe_finish (self);
    }
}

gboolean
relay_delivery_is_paused (RelayDelivery *self)
{
  g_return_val_if_fail (RELAY_IS_DELIVERY (self), FALSE);

  return self->paused;
}

/**
 * relay_delivery_get_done:
 * @total: (out) (optional): rows in the send
 *
 * Returns: rows with an outcome so far
 */
guint
relay_delivery_get_done (RelayDelivery *self,
                         guint         *total)
{
  g_return_val_if_fail (RELAY_IS_DELIVERY (self), 0);

  if (total != NULL)
    *total = self->rows->len;

  return self->done;
}

/**
 * relay_delivery_get_eta:
 *
 * The time left, from the rows without an outcome and the rate they go
 * at: the client's rate, or the rate measured on the clock since
 * sending started (or resumed) when that is slower (throttling, a slow
 * provider). Unknown while paused, before sending started, or before
 * anything came back at an unlimited rate.
 *
 * Returns: µs left, 0 when done, -1 when unknown
 */
gint64
relay_delivery_get_eta (RelayDelivery *self)
{
  guint left, rate, since;
  gint64 elapsed;
  double per_second = 0;

  g_return_val_if_fail (RELAY_IS_DELIVERY (self), -1);

  left = self->rows->len - self->done;
  if (left == 0)
    return 0;
  if (self->paused || self->groups == NULL)
    return -1;

  rate = relay_nexmo_client_get_rate (self->client);
  since = self->done - self->done_at_start;
  elapsed = relay_clock_get_now (self->clock) - self->started_us;
  if (rate > 0)
    per_second = rate;
  /* A measure of at least a second's worth of rows. */
  if (since > 0 && elapsed > 0 && (rate == 0 || since >= rate))
    {
      double measured = since * (double) G_USEC_PER_SEC / (double) elapsed;

      if (per_second == 0 || measured < per_second)
        per_second = measured;
    }
  if (per_second <= 0)
    return -1;

  return (gint64) (left * (double) G_USEC_PER_SEC / per_second);
}
