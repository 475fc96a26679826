/* relay-cli-deliver.c — sending outbox rows, for send and resume
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "relay-cli.h"
#include "relay-cli-deliver.h"
#include "relay-nexmo-client.h"
#include "relay-sms-text.h"
#include "relay-store.h"
#include "relay-store-export.h"
#include "relay-store-outcome.h"

/* One delivery: the rows by client-ref, each outcome as it comes, the
 * store calls still running, and how the user stopped it. */
struct _RelayCliDelivery
{
  RelayStore   *store;
  GCancellable *cancellable;
  GMainLoop    *loop;
  GHashTable   *rows;       /* client-ref → RelayStoreMessage (borrowed) */
  GHashTable   *outcomes;   /* client-ref → RelaySmsResult */
  GPtrArray    *all_rows;   /* every row given, in order */
  char         *record_error;
  gboolean      json;
  guint         interrupts;
  guint         sends;      /* sends running */
  guint         pending;    /* store calls running */
  guint         stopped_waiting : 1;
};

RelayCliDelivery *
relay_cli_delivery_new (RelayStore *store,
                        gboolean    json)
{
  RelayCliDelivery *self = g_new0 (RelayCliDelivery, 1);

  self->store = store != NULL ? g_object_ref (store) : NULL;
  self->cancellable = g_cancellable_new ();
  self->loop = g_main_loop_new (NULL, FALSE);
  self->rows = g_hash_table_new (g_str_hash, g_str_equal);
  self->outcomes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) relay_sms_result_free);
  self->all_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_store_message_free);
  self->json = json;

  return self;
}

void
relay_cli_delivery_free (RelayCliDelivery *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->outcomes, g_hash_table_unref);
  g_clear_pointer (&self->all_rows, g_ptr_array_unref);
  g_free (self->record_error);
  g_free (self);
}

/**
 * relay_cli_delivery_new_row:
 *
 * Returns: (transfer full): a row to queue, with its own client-ref, its
 *   encoding and its number of parts
 */
RelayStoreMessage *
relay_cli_delivery_new_row (const char *account_id,
                            const char *from,
                            const char *to,
                            const char *text,
                            gboolean    unicode)
{
  RelayStoreMessage *row = relay_store_message_new (account_id, from, to, text);
  RelaySmsInfo info;

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

static void
print_human (const RelaySmsResult *result)
{
  g_autofree char *ids = result->message_ids != NULL ? g_strjoinv (", ", result->message_ids) : NULL;

  switch (result->state)
    {
    case RELAY_SMS_STATE_SENT:
      printf (g_dngettext (GETTEXT_PACKAGE, "%s: sent in %u part (message id %s)\n",
                           "%s: sent in %u parts (message ids %s)\n", result->parts),
              result->to, result->parts, ids);
      printf (_("  price %.8g, remaining balance %.8g, network %s, client-ref %s\n"),
              result->price, result->remaining_balance,
              result->network != NULL ? result->network : _("unknown"), result->client_ref);
      fflush (stdout);
      break;

    case RELAY_SMS_STATE_NOT_SENT:
      /* Stopped by the user, or refused by the outbox (e.g. a full disk). */
      if (g_error_matches (result->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        relay_cli_fail (0, _("%s: not sent: sending was stopped before this message went out."), result->to);
      else
        relay_cli_fail (0, _("%s: not sent: %s"), result->to, result->error->message);
      break;

    case RELAY_SMS_STATE_UNCERTAIN:
      relay_cli_fail (0, _("%s: may have been sent: %s"), result->to, result->error->message);
      break;

    case RELAY_SMS_STATE_FAILED:
    default:
      /* A partly sent message names the parts that went out. */
      if (result->parts > 0)
        relay_cli_fail (0, _("%s: %s (%u parts were sent: message ids %s, client-ref %s)"),
                        result->to, result->error->message, result->parts, ids, result->client_ref);
      else
        relay_cli_fail (0, "%s: %s", result->to, result->error->message);
      break;
    }
}

static void
maybe_quit (RelayCliDelivery *self)
{
  if (self->sends == 0 && self->pending == 0)
    g_main_loop_quit (self->loop);
}

static void
record_cb (GObject      *object,
           GAsyncResult *res,
           gpointer      user_data)
{
  RelayCliDelivery *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!relay_store_record_finish (RELAY_STORE (object), res, &error) && self->record_error == NULL)
    self->record_error = g_strdup (error->message);
  self->pending--;
  maybe_quit (self);
}

/* Takes @result's outcome into its row, and into the store. */
static void
apply_outcome (RelayCliDelivery     *self,
               RelayStoreMessage    *row,
               const RelaySmsResult *result)
{
  relay_store_message_take_outcome (row, result);

  if (self->store != NULL && row->id > 0)
    {
      self->pending++;
      relay_store_record_async (self->store, row, NULL, record_cb, self);
    }
}

/* Each outcome as soon as it is known: printed at once (with --json,
 * only what was not sent, on stderr), recorded, and kept for --json. */
static void
progress_cb (RelayNexmoClient *client,
             gpointer          result,
             guint             done,
             guint             total,
             RelayCliDelivery *self)
{
  const RelaySmsResult *sms = result;
  RelayStoreMessage *row = g_hash_table_lookup (self->rows, sms->client_ref);

  g_hash_table_replace (self->outcomes, g_strdup (sms->client_ref), relay_sms_result_copy (sms));
  if (!self->json || sms->state != RELAY_SMS_STATE_SENT)
    print_human (sms);
  if (row != NULL)
    apply_outcome (self, row, sms);
}

typedef struct
{
  RelayCliDelivery *delivery;
  GTask            *task;
  char             *client_ref;
} Gate;

static void
begin_send_cb (GObject      *object,
               GAsyncResult *res,
               gpointer      user_data)
{
  Gate *gate = user_data;
  GError *error = NULL;

  if (relay_store_begin_send_finish (RELAY_STORE (object), res, &error))
    g_task_return_boolean (gate->task, TRUE);
  else
    g_task_return_error (gate->task, error);

  gate->delivery->pending--;
  g_object_unref (gate->task);
  g_free (gate->client_ref);
  g_free (gate);
}

/* Before a recipient's request may leave: its row becomes sending,
 * durably, or it is not sent. */
static void
gate_cb (RelayNexmoClient     *client,
         const RelaySmsResult *recipient,
         GTask                *task,
         gpointer              user_data)
{
  RelayCliDelivery *self = user_data;
  RelayStoreMessage *row = g_hash_table_lookup (self->rows, recipient->client_ref);
  Gate *gate;

  if (row == NULL || row->id <= 0)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  gate = g_new0 (Gate, 1);
  gate->delivery = self;
  gate->task = task;
  gate->client_ref = g_strdup (recipient->client_ref);
  self->pending++;
  relay_store_begin_send_async (self->store, row->id, NULL, begin_send_cb, gate);
}

static void
send_done_cb (GObject      *object,
              GAsyncResult *res,
              gpointer      user_data)
{
  RelayCliDelivery *self = user_data;
  g_autoptr(GPtrArray) results = NULL;

  /* Every outcome was reported already (a cancelled send too); the
   * client's other batches may still report theirs. */
  results = relay_nexmo_client_send_finish (RELAY_NEXMO_CLIENT (object), res, NULL);
  self->sends--;
  maybe_quit (self);
}

/**
 * relay_cli_delivery_send:
 * @client: the client of the rows' account
 * @rows: (element-type RelayStoreMessage) (transfer none): rows of that
 *   account, queued and owned by this process when the delivery has a
 *   store (id > 0), else not stored
 *
 * Starts sending @rows, one batch per sender and text; run
 * relay_cli_delivery_run() to wait for them.
 */
void
relay_cli_delivery_send (RelayCliDelivery *self,
                         RelayNexmoClient *client,
                         GPtrArray        *rows)
{
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();

  if (self->store != NULL)
    relay_nexmo_client_set_gate (client, gate_cb, self, NULL);
  else
    relay_nexmo_client_set_gate (client, NULL, NULL, NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      RelayStoreMessage *row = relay_store_message_copy (rows->pdata[i]);
      g_autofree char *key = g_strdup_printf ("%s%c%s%c%s", row->sender != NULL ? row->sender : "", 0x1f,
                                              row->encoding != NULL ? row->encoding : "", 0x1f, row->text);
      GPtrArray *group = g_hash_table_lookup (groups, key);

      g_ptr_array_add (self->all_rows, row);
      g_hash_table_replace (self->rows, row->client_ref, row);
      if (group == NULL)
        {
          group = g_ptr_array_new ();
          g_hash_table_insert (groups, g_strdup (key), group);
          g_ptr_array_add (order, group);
        }
      g_ptr_array_add (group, row);
    }

  /* Once per client: a delivery sends each account's rows in one call. */
  g_signal_connect (client, "progress", G_CALLBACK (progress_cb), self);
  for (guint i = 0; i < order->len; i++)
    {
      GPtrArray *group = order->pdata[i];
      RelayStoreMessage *first = group->pdata[0];
      g_autoptr(GPtrArray) to = g_ptr_array_new ();
      g_autoptr(GPtrArray) refs = g_ptr_array_new ();

      for (guint j = 0; j < group->len; j++)
        {
          RelayStoreMessage *row = group->pdata[j];

          g_ptr_array_add (to, row->recipient);
          g_ptr_array_add (refs, row->client_ref);
        }
      g_ptr_array_add (to, NULL);
      g_ptr_array_add (refs, NULL);

      self->sends++;
      /* Each batch holds the client through its task. */
      relay_nexmo_client_send_refs_async (client, first->sender,
                                          (const char *const *) to->pdata,
                                          (const char *const *) refs->pdata, first->text,
                                          g_strcmp0 (first->encoding, "UCS-2") == 0 ? RELAY_NEXMO_SEND_UNICODE
                                                                                    : RELAY_NEXMO_SEND_NONE,
                                          self->cancellable, send_done_cb, self);
    }
}

/* Marks @rows, which could not be sent at all (e.g. their account
 * cannot be loaded), as not sent now; they stay queued for a later
 * resume. */
void
relay_cli_delivery_skip (RelayCliDelivery *self,
                         GPtrArray        *rows,
                         const char       *why)
{
  for (guint i = 0; i < rows->len; i++)
    {
      RelayStoreMessage *row = relay_store_message_copy (rows->pdata[i]);
      RelaySmsResult *result = g_new0 (RelaySmsResult, 1);

      result->to = g_strdup (row->recipient);
      result->client_ref = g_strdup (row->client_ref);
      result->retry_after_ms = -1;
      result->state = RELAY_SMS_STATE_NOT_SENT;
      result->error = g_error_new_literal (RELAY_NEXMO_ERROR, RELAY_NEXMO_ERROR_UNKNOWN, why);
      g_free (row->error);
      row->error = g_strdup (why);
      g_ptr_array_add (self->all_rows, row);
      g_hash_table_replace (self->rows, row->client_ref, row);
      g_hash_table_replace (self->outcomes, g_strdup (row->client_ref), result);
      print_human (result);
    }
}

/* SIGINT or SIGTERM: stop sending, and wait for the answers to the
 * requests already written; a second one stops waiting. */
static gboolean
interrupted_cb (gpointer user_data)
{
  RelayCliDelivery *self = user_data;

  if (self->interrupts++ == 0)
    {
      relay_cli_fail (0, "%s", _("Stopping: no further message is sent; waiting for the answers to those already on their way (interrupt again to stop waiting)."));
      g_cancellable_cancel (self->cancellable);
    }
  else
    {
      self->stopped_waiting = TRUE;
      g_main_loop_quit (self->loop);
    }

  return G_SOURCE_CONTINUE;
}

static void
print_json (GPtrArray *rows)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonArray) messages = json_array_new ();
  g_autofree char *text = NULL;

  for (guint i = 0; i < rows->len; i++)
    json_array_add_element (messages, relay_store_message_to_json (g_ptr_array_index (rows, i)));

  json_object_set_array_member (object, "messages", g_steal_pointer (&messages));
  json_node_set_object (root, object);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
}

/**
 * relay_cli_delivery_run:
 *
 * Waits for every send and store call, prints --json and the summary.
 * Does not return when the user stopped waiting (the sends are still
 * running): the process exits.
 *
 * Returns: the exit status: 0 when every row was sent
 */
int
relay_cli_delivery_run (RelayCliDelivery *self)
{
  guint counts[RELAY_SMS_STATE_UNCERTAIN + 1] = { 0, };
  guint sigint_id, sigterm_id;
  int exit_status = 0;

  sigint_id = g_unix_signal_add (SIGINT, interrupted_cb, self);
  sigterm_id = g_unix_signal_add (SIGTERM, interrupted_cb, self);
  if (self->sends > 0 || self->pending > 0)
    g_main_loop_run (self->loop);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  for (guint i = 0; i < self->all_rows->len; i++)
    {
      RelayStoreMessage *row = self->all_rows->pdata[i];
      RelaySmsResult *result = g_hash_table_lookup (self->outcomes, row->client_ref);

      /* The user stopped waiting: a recipient still queued or on its
       * way may have been sent (its row is recovered on the next start). */
      if (result == NULL)
        {
          result = g_new0 (RelaySmsResult, 1);
          result->to = g_strdup (row->recipient);
          result->client_ref = g_strdup (row->client_ref);
          result->state = RELAY_SMS_STATE_UNCERTAIN;
          result->error = g_error_new_literal (RELAY_NEXMO_ERROR, RELAY_NEXMO_ERROR_UNKNOWN_OUTCOME,
                                               _("relay-cli stopped waiting for the provider’s answer."));
          g_hash_table_insert (self->outcomes, g_strdup (row->client_ref), result);
          print_human (result);
          row->state = RELAY_MESSAGE_STATE_UNCERTAIN;
          g_free (row->error);
          row->error = g_strdup (result->error->message);
        }
      counts[result->state]++;
    }

  if (self->json)
    print_json (self->all_rows);

  if (self->record_error != NULL)
    relay_cli_fail (0, _("The history could not record every outcome: %s"), self->record_error);

  if (counts[RELAY_SMS_STATE_SENT] != self->all_rows->len)
    exit_status = RELAY_CLI_EXIT_FAILURE;

  /* Stopped half-way, or without an answer: sum up. */
  if (counts[RELAY_SMS_STATE_NOT_SENT] > 0 || counts[RELAY_SMS_STATE_UNCERTAIN] > 0)
    relay_cli_fail (0, _("Sent %u of %u messages: %u failed, %u not sent, %u may have been sent."),
                    counts[RELAY_SMS_STATE_SENT], self->all_rows->len, counts[RELAY_SMS_STATE_FAILED],
                    counts[RELAY_SMS_STATE_NOT_SENT], counts[RELAY_SMS_STATE_UNCERTAIN]);

  /* A stopped wait leaves the sends running: end here, not in their
   * callbacks. */
  if (self->stopped_waiting)
    {
      fflush (stdout);
      fflush (stderr);
      _exit (exit_status);
    }

  return exit_status;
}
