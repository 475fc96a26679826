/* relay-delivery.c — one send through the outbox
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n-lib.h>

#include "relay-delivery.h"
#include "relay-sms-text.h"
#include "relay-store-outcome.h"

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

  /* state */
  gulong            progress_id;
  guint             sends;      /* client sends running */
  guint             pending;    /* store calls running */
  guint             done;
  guint             n_fresh;    /* rows queued by this send */
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

  g_clear_signal_handler (&self->progress_id, self->client);
  relay_nexmo_client_set_gate (self->client, NULL, NULL, NULL);

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

  take_outcome (self, row, sms);
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

/* Hands the rows to the client: one request batch per sender, encoding
 * and text. */
static void
start_sending (RelayDelivery *self)
{
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  GCancellable *cancellable = g_task_get_cancellable (self->task);

  /* Stopped while the rows were being queued: none went out, and the
   * client would not report them. */
  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    {
      for (guint i = 0; i < self->rows->len; i++)
        {
          RelayStoreMessage *row = self->rows->pdata[i];
          RelaySmsResult sms = { 0 };

          sms.to = row->recipient;
          sms.client_ref = row->client_ref;
          sms.state = RELAY_SMS_STATE_NOT_SENT;
          sms.status = 0;
          sms.retry_after_ms = -1;
          sms.error = g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                   _("Sending was cancelled before the message to %s went out; it was not sent."),
                                   row->recipient);
          take_outcome (self, row, &sms);
          g_clear_error (&sms.error);
        }
      maybe_finish (self);
      return;
    }

  for (guint i = 0; i < self->rows->len; i++)
    {
      RelayStoreMessage *row = self->rows->pdata[i];
      g_autofree char *key = g_strdup_printf ("%s%c%s%c%s", row->sender != NULL ? row->sender : "", 0x1f,
                                              row->encoding != NULL ? row->encoding : "", 0x1f, row->text);
      GPtrArray *group = g_hash_table_lookup (groups, key);

      if (group == NULL)
        {
          group = g_ptr_array_new ();
          g_hash_table_insert (groups, g_steal_pointer (&key), group);
          g_ptr_array_add (order, group);
        }
      g_ptr_array_add (group, row);
    }

  if (self->store != NULL)
    relay_nexmo_client_set_gate (self->client, gate_cb, self, NULL);
  else
    relay_nexmo_client_set_gate (self->client, NULL, NULL, NULL);
  self->progress_id = g_signal_connect (self->client, "progress", G_CALLBACK (progress_cb), self);

  for (guint i = 0; i < order->len; i++)
    {
      GPtrArray *group = order->pdata[i];
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

      self->sends++;
      relay_nexmo_client_send_refs_async (self->client, first->sender,
                                          (const char *const *) to->pdata,
                                          (const char *const *) refs->pdata, first->text,
                                          g_strcmp0 (first->encoding, "UCS-2") == 0 ? RELAY_NEXMO_SEND_UNICODE
                                                                                    : RELAY_NEXMO_SEND_NONE,
                                          cancellable, send_cb, g_object_ref (self));
    }

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

static void
relay_delivery_dispose (GObject *object)
{
  RelayDelivery *self = RELAY_DELIVERY (object);

  g_assert (self->task == NULL);

  g_clear_object (&self->client);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (relay_delivery_parent_class)->dispose (object);
}

static void
relay_delivery_finalize (GObject *object)
{
  RelayDelivery *self = RELAY_DELIVERY (object);

  g_clear_pointer (&self->by_ref, g_hash_table_unref);
  g_clear_pointer (&self->reported, g_hash_table_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

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
 * queued. One send at a time.
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

  /* Every message is a row before it leaves: all the new ones in one
   * transaction, so that a full disk refuses the send as a whole. */
  if (fresh->len > 0)
    {
      self->n_fresh = fresh->len;
      relay_store_enqueue_async (self->store, fresh, NULL, enqueue_cb, g_object_ref (self));
      return;
    }

  start_sending (self);
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
