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
#include "relay-delivery.h"
#include "relay-nexmo-client.h"
#include "relay-pricing.h"
#include "relay-store.h"
#include "relay-amount.h"
#include "relay-store-blocklist.h"
#include "relay-store-export.h"

/* relay-cli's side of the deliveries (one per account): the rows in
 * the order given, each outcome as it comes, and how the user stopped
 * it. The sending and recording is RelayDelivery's. */
struct _RelayCliDelivery
{
  RelayStore   *store;
  GCancellable *cancellable;
  GMainLoop    *loop;
  GHashTable   *index;      /* client-ref → position in all_rows + 1 */
  GHashTable   *outcomes;   /* client-ref → RelaySmsResult */
  GPtrArray    *all_rows;   /* every row given, in order */
  GHashTable   *blocked;    /* the do-not-contact list, when given */
  GPtrArray    *skipped;    /* rows not sent to at all (a bulk import's) */
  guint         streamed;   /* elements printed with stream */
  gboolean      stream;     /* --json, one element per line as it comes */
  gboolean      summary;    /* a bulk send's closing line */
  char         *record_error;
  GError       *queue_error;
  gboolean      json;
  guint         interrupts;
  guint         sends;      /* deliveries running */
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
  self->index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->outcomes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) relay_sms_result_free);
  self->all_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_store_message_free);
  self->json = json;
  self->skipped = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_store_message_free);

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
  g_clear_pointer (&self->index, g_hash_table_unref);
  g_clear_pointer (&self->outcomes, g_hash_table_unref);
  g_clear_pointer (&self->all_rows, g_ptr_array_unref);
  g_clear_pointer (&self->blocked, g_hash_table_unref);
  g_clear_pointer (&self->skipped, g_ptr_array_unref);
  g_clear_error (&self->queue_error);
  g_free (self->record_error);
  g_free (self);
}

/* Keeps a copy of @row in all_rows, found by its client-ref. */
static void
add_row (RelayCliDelivery        *self,
         const RelayStoreMessage *row)
{
  g_ptr_array_add (self->all_rows, relay_store_message_copy (row));
  g_hash_table_replace (self->index, g_strdup (row->client_ref), GUINT_TO_POINTER (self->all_rows->len));
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
  if (self->sends == 0)
    g_main_loop_quit (self->loop);
}

static void
recorded_cb (RelayDelivery     *delivery,
             RelayStoreMessage *row,
             const GError      *error,
             RelayCliDelivery  *self)
{
  if (error != NULL && self->record_error == NULL)
    self->record_error = g_strdup (error->message);
}

/* With stream: `{"messages": [` before the first element, then one
 * element a line (after the first, with a leading comma), flushed, so
 * that a reader sees each row's outcome as soon as it is final;
 * relay_cli_delivery_run() closes the document with `]}`. */
static void
stream_element (RelayCliDelivery        *self,
                const RelayStoreMessage *row)
{
  g_autoptr(JsonNode) node = relay_store_message_to_json (row);
  g_autofree char *text = json_to_string (node, FALSE);

  printf ("%s%s\n", self->streamed++ == 0 ? "{\"messages\": [\n" : ",", text);
  fflush (stdout);
}

/* Each outcome as soon as it is known: printed at once (with --json,
 * only what was not sent, on stderr), and kept for --json. */
static void
progress_cb (RelayDelivery     *delivery,
             RelaySmsResult    *sms,
             RelayStoreMessage *row,
             guint              done,
             guint              total,
             RelayCliDelivery  *self)
{
  guint position = GPOINTER_TO_UINT (g_hash_table_lookup (self->index, row->client_ref));

  g_hash_table_replace (self->outcomes, g_strdup (sms->client_ref), relay_sms_result_copy (sms));
  if (!self->json || sms->state != RELAY_SMS_STATE_SENT)
    print_human (sms);
  if (position > 0)
    {
      relay_store_message_free (self->all_rows->pdata[position - 1]);
      self->all_rows->pdata[position - 1] = relay_store_message_copy (row);
    }
  if (self->stream)
    stream_element (self, row);
}

static void
send_done_cb (GObject      *object,
              GAsyncResult *res,
              gpointer      user_data)
{
  RelayCliDelivery *self = user_data;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  rows = relay_delivery_send_finish (RELAY_DELIVERY (object), res, &error);
  if (rows == NULL && self->queue_error == NULL)
    self->queue_error = g_steal_pointer (&error);
  self->sends--;
  maybe_quit (self);
}

/* The currency of the account's saved price list (`relay-cli price`
 * or the window saves it), read from disk without a request; %NULL
 * when none is saved. */
static char *
saved_currency (RelayAccount *account)
{
  g_autoptr(RelayPricing) pricing = relay_pricing_new (account);
  RelayPriceList *list;

  if (!relay_pricing_load_cache (pricing, NULL) || (list = relay_pricing_get_list (pricing)) == NULL)
    return NULL;

  return g_strdup (relay_price_list_get_currency (list));
}

/**
 * relay_cli_delivery_send:
 * @client: the client of the rows' account
 * @rows: (element-type RelayStoreMessage) (transfer none): rows of that
 *   account: new ones (queued first when the delivery has a store), or
 *   rows queued and claimed by this process (id > 0)
 *
 * Starts sending @rows through a #RelayDelivery; run
 * relay_cli_delivery_run() to wait for them.
 */
void
relay_cli_delivery_send (RelayCliDelivery *self,
                         RelayNexmoClient *client,
                         GPtrArray        *rows)
{
  g_autoptr(RelayDelivery) delivery = relay_delivery_new (client, self->store);
  g_autofree char *currency = saved_currency (relay_nexmo_client_get_account (client));

  for (guint i = 0; i < rows->len; i++)
    add_row (self, rows->pdata[i]);

  if (self->blocked != NULL)
    relay_delivery_set_blocked (delivery, self->blocked);
  relay_delivery_set_currency (delivery, currency);
  g_signal_connect (delivery, "progress", G_CALLBACK (progress_cb), self);
  g_signal_connect (delivery, "recorded", G_CALLBACK (recorded_cb), self);
  self->sends++;
  /* The task holds the delivery until it is over. */
  relay_delivery_send_async (delivery, rows, self->cancellable, send_done_cb, self);
}

/**
 * relay_cli_delivery_set_blocked:
 * @blocked: (transfer none): the do-not-contact list, for a delivery
 *   without a store (with one, the store's list is read when sending)
 */
void
relay_cli_delivery_set_blocked (RelayCliDelivery *self,
                                GHashTable       *blocked)
{
  g_clear_pointer (&self->blocked, g_hash_table_unref);
  self->blocked = blocked != NULL ? g_hash_table_ref (blocked) : NULL;
}

/**
 * relay_cli_load_blocked:
 *
 * The do-not-contact list for a send that records nothing: read from
 * the history file when there is one (never creating it).
 *
 * Returns: (transfer full) (nullable): the set of numbers, or %NULL
 *   when there is no history file or it cannot be read (said on stderr)
 */
GHashTable *
relay_cli_load_blocked (void)
{
  g_autofree char *path = relay_store_default_path ();
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(GError) error = NULL;
  GHashTable *blocked = NULL;
  RelayCliWait wait;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;

  if ((store = relay_cli_try_open_store (&error)) != NULL)
    {
      relay_cli_wait_init (&wait);
      relay_store_blocked_snapshot_async (store, NULL, relay_cli_wait_cb, &wait);
      blocked = relay_store_blocked_snapshot_finish (store, relay_cli_wait_run (&wait), &error);
      relay_cli_wait_clear (&wait);
    }
  if (blocked == NULL)
    relay_cli_fail (0, _("The do-not-contact list could not be read: %s"), error->message);

  return blocked;
}

/**
 * relay_cli_delivery_set_stream:
 *
 * With --json: print each element of "messages" as its outcome is
 * final, rather than all at the end (the whole output stays one JSON
 * document), and close with a summary line on stderr (sent, failed,
 * skipped, cost). For bulk sends.
 */
void
relay_cli_delivery_set_stream (RelayCliDelivery *self,
                               gboolean          stream)
{
  self->stream = stream && self->json;
  self->summary = TRUE;
}

/**
 * relay_cli_delivery_add_skipped:
 * @row: (transfer none): a row never queued (invalid, duplicate,
 *   blocked, an empty placeholder): state not-sent, the reason in its
 *   error, its CSV line in row
 *
 * Reports @row at once; it counts as skipped, not as a failure.
 */
void
relay_cli_delivery_add_skipped (RelayCliDelivery        *self,
                                const RelayStoreMessage *row)
{
  g_ptr_array_add (self->skipped, relay_store_message_copy (row));
  if (self->stream)
    stream_element (self, row);
  else if (!self->json)
    relay_cli_fail (0, _("Line %u: skipped: %s"), (guint) row->row, row->error);
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
      RelayStoreMessage *row;
      RelaySmsResult *result = g_new0 (RelaySmsResult, 1);

      add_row (self, rows->pdata[i]);
      row = g_ptr_array_index (self->all_rows, self->all_rows->len - 1);

      result->to = g_strdup (row->recipient);
      result->client_ref = g_strdup (row->client_ref);
      result->retry_after_ms = -1;
      result->state = RELAY_SMS_STATE_NOT_SENT;
      result->error = g_error_new_literal (RELAY_NEXMO_ERROR, RELAY_NEXMO_ERROR_UNKNOWN, why);
      g_free (row->error);
      row->error = g_strdup (why);
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
  RelayAmount cost = 0, price;
  const char *currency = NULL;
  guint sigint_id, sigterm_id;
  int exit_status = 0;

  sigint_id = g_unix_signal_add (SIGINT, interrupted_cb, self);
  sigterm_id = g_unix_signal_add (SIGTERM, interrupted_cb, self);
  if (self->sends > 0)
    g_main_loop_run (self->loop);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  /* Nothing was recorded, so nothing was sent. */
  if (self->queue_error != NULL)
    {
      if (self->stream)
        {
          printf ("%s]}\n", self->streamed == 0 ? "{\"messages\": [" : "");
          fflush (stdout);
        }
      return relay_cli_fail (RELAY_CLI_EXIT_FAILURE, _("%s Nothing was sent."), self->queue_error->message);
    }

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
          if (self->stream)
            stream_element (self, row);
        }
      counts[result->state]++;
      if (row->price != NULL && relay_amount_parse (row->price, &price))
        {
          relay_amount_add (cost, price, &cost);
          if (currency == NULL)
            currency = row->currency;
        }
    }

  if (self->stream)
    {
      printf ("%s]}\n", self->streamed == 0 ? "{\"messages\": [" : "");
      fflush (stdout);
    }
  else if (self->json && self->skipped->len > 0)
    {
      g_autoptr(GPtrArray) rows = g_ptr_array_new ();

      for (guint i = 0; i < self->skipped->len; i++)
        g_ptr_array_add (rows, self->skipped->pdata[i]);
      for (guint i = 0; i < self->all_rows->len; i++)
        g_ptr_array_add (rows, self->all_rows->pdata[i]);
      print_json (rows);
    }
  else if (self->json)
    print_json (self->all_rows);

  if (self->summary)
    {
      g_autofree char *total = relay_amount_format (cost);

      g_autofree char *amount = currency != NULL ? g_strdup_printf ("%s %s", total, currency) : g_strdup (total);

      /* On stdout unless stdout is the JSON document. */
      fprintf (self->json ? stderr : stdout,
               _("Sent %u, failed %u, not sent %u, may have been sent %u, skipped %u; cost %s.\n"),
               counts[RELAY_SMS_STATE_SENT], counts[RELAY_SMS_STATE_FAILED],
               counts[RELAY_SMS_STATE_NOT_SENT], counts[RELAY_SMS_STATE_UNCERTAIN],
               self->skipped->len, amount);
    }

  if (self->record_error != NULL)
    relay_cli_fail (0, _("The history could not record every outcome: %s"), self->record_error);

  if (counts[RELAY_SMS_STATE_SENT] != self->all_rows->len)
    exit_status = RELAY_CLI_EXIT_FAILURE;
  /* A list none of whose rows could be sent to is a failure too. */
  if (self->all_rows->len == 0 && self->skipped->len > 0)
    exit_status = relay_cli_fail (RELAY_CLI_EXIT_FAILURE, "%s", _("No row of the list could be sent to; nothing was sent."));

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
