/* relay-nexmo-client.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n-lib.h>

#include "relay-http.h"
#include "relay-nexmo-client.h"
#include "relay-nexmo-pacer.h"
#include "relay-nexmo-settings.h"
#include "relay-nexmo-signed.h"
#include "relay-proxy-resolver.h"
#include "relay-oauth1-params.h"
#include "relay-oauth1-signature.h"
#include "relay-sms-text.h"

/* A wait longer than this is not worth holding a send for. */
#define MAX_WAIT_MS     60000
/* The backoff when a throttled answer names no wait. */
#define BASE_BACKOFF_MS 250

typedef enum
{
  RECIPIENT_QUEUED,
  RECIPIENT_IN_FLIGHT,
  RECIPIENT_DONE,
} RecipientState;

typedef struct _Batch Batch;

typedef struct
{
  Batch          *batch;
  guint           index;
  RecipientState  state;
  SoupMessage    *message;
  /* Cancelled only while nothing of the request was written. */
  GCancellable   *cancellable;
  /* The current request was handed to a connection ("starting"): from
   * then on the provider may have it. */
  guint           written : 1;
  /* The client's gate let it through. */
  guint           gated : 1;
} Recipient;

struct _Batch
{
  GTask     *task;
  GPtrArray *results;
  Recipient *recipients;
  GSource   *cancel_source;
  char      *from;
  char      *text;
  gboolean   unicode;
  guint      total;
  guint      done;
  guint      busy : 1;
  guint      stopping : 1;
};

/* Sends SMS and reads the balance for one account. Every send goes
 * through one pacer, so that all batches of this client together stay
 * under the rate. */
struct _RelayNexmoClient
{
  GObject        parent_instance;

  /* owned references */
  RelayAccount  *account;
  SoupSession   *session;
  GMainContext  *context;
  RelayNexmoPacer *pacer;
  RelayClock    *clock;

  /* state */
  guint          timeout;
  char          *ref_prefix;
  guint64        ref_counter;
  guint          follow_limit : 1;
  guint          limit_asked : 1;
  guint          rate_set : 1;
  guint          limit_pending : 1;
  guint          paused : 1;
  RelayNexmoGateFunc gate_func;
  gpointer       gate_data;
  GDestroyNotify gate_destroy;
};

G_DEFINE_FINAL_TYPE (RelayNexmoClient, relay_nexmo_client, G_TYPE_OBJECT)

static void recipient_start (gpointer      item,
                             gpointer      user_data);
static void sent_cb         (GObject      *object,
                             GAsyncResult *res,
                             gpointer      user_data);

enum {
  PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_ACCOUNT,
  PROP_RATE,
  PROP_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Requests in flight at once: an eighth of a second of the rate, at
 * least 32 and at most 128. Each request holds its place from its turn
 * through the durable "sending" mark to the provider's answer, so at
 * 1000/s a fixed 32 would cap the rate whenever that takes over 32 ms;
 * with no rate at all (0) the 32 keep libsoup's queue, whose cost grows
 * with its length, short (2,000 recipients at --rate 0 took 62 s). */
#define MIN_IN_FLIGHT 32
#define MAX_IN_FLIGHT 128

static guint
in_flight_for_rate (guint per_second)
{
  if (per_second == 0)
    return MIN_IN_FLIGHT;

  return CLAMP (per_second / 8, MIN_IN_FLIGHT, MAX_IN_FLIGHT);
}

/* A new session for the current timeout. Requests in flight keep the
 * session they started on (their tasks hold it); connections kept alive
 * by the old one go with it, so no request after a change runs on a
 * connection made with the old timeout. */
static void
reset_session (RelayNexmoClient *self)
{
  g_autofree char *user_agent = g_strdup_printf ("Relay/%s ", PACKAGE_VERSION);

  g_clear_object (&self->session);
  self->session = soup_session_new_with_options ("timeout", self->timeout,
                                                 "idle-timeout", 60,
                                                 "max-conns", MAX_IN_FLIGHT + 32,
                                                 "max-conns-per-host", MAX_IN_FLIGHT,
                                                 "user-agent", user_agent,
                                                 "proxy-resolver", relay_proxy_resolver_get_default (),
                                                 NULL);
}

static void
provider_timeout_cb (RelayNexmoClient *self,
                     GParamSpec       *pspec,
                     RelayProvider    *provider)
{
  guint timeout = relay_provider_get_timeout (provider);

  if (timeout == self->timeout)
    return;

  g_debug ("Network timeout is now %u s", timeout);
  self->timeout = timeout;
  reset_session (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

static void
relay_nexmo_client_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  RelayNexmoClient *self = RELAY_NEXMO_CLIENT (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;

    case PROP_RATE:
      g_value_set_uint (value, relay_nexmo_client_get_rate (self));
      break;

    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_nexmo_client_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  RelayNexmoClient *self = RELAY_NEXMO_CLIENT (object);

  switch (prop_id)
    {
    case PROP_RATE:
      relay_nexmo_client_set_rate (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_nexmo_client_dispose (GObject *object)
{
  RelayNexmoClient *self = (RelayNexmoClient *)object;

  /* Batches hold a reference through their task, so nothing is queued. */
  g_assert (self->pacer == NULL || relay_nexmo_pacer_get_queued (self->pacer) == 0);

  g_clear_pointer (&self->pacer, relay_nexmo_pacer_free);
  relay_nexmo_client_set_gate (self, NULL, NULL, NULL);
  g_clear_object (&self->clock);
  g_clear_object (&self->session);
  g_clear_object (&self->account);

  G_OBJECT_CLASS (relay_nexmo_client_parent_class)->dispose (object);
}

static void
relay_nexmo_client_finalize (GObject *object)
{
  RelayNexmoClient *self = (RelayNexmoClient *)object;

  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->ref_prefix, g_free);

  G_OBJECT_CLASS (relay_nexmo_client_parent_class)->finalize (object);
}

static void
relay_nexmo_client_class_init (RelayNexmoClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = relay_nexmo_client_dispose;
  object_class->finalize = relay_nexmo_client_finalize;
  object_class->get_property = relay_nexmo_client_get_property;
  object_class->set_property = relay_nexmo_client_set_property;

  /**
   * RelayNexmoClient:account:
   *
   * The account this client sends for; its provider names the
   * endpoints, the request method and the timeout.
   */
  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL,
                         RELAY_TYPE_ACCOUNT,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * RelayNexmoClient:rate:
   *
   * Requests per second across all sends, 0 for no limit.
   */
  properties[PROP_RATE] =
    g_param_spec_uint ("rate", NULL, NULL,
                       0, G_MAXUINT, RELAY_NEXMO_DEFAULT_RATE,
                       (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  /**
   * RelayNexmoClient:timeout:
   *
   * How many seconds a request waits for an answer: the provider's
   * #RelayProvider:timeout, followed as soon as it changes. Requests
   * started after a change use the new value.
   */
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       1, G_MAXUINT, 30,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RelayNexmoClient::progress:
   * @self: the client
   * @result: (type gpointer): the RelaySmsResult of the recipient that
   *   just finished (transfer none)
   * @done: recipients finished so far in this send
   * @total: recipients in this send
   *
   * Emitted once per recipient as soon as its outcome is known, with
   * its final #RelaySmsState in @result; also for every recipient of a
   * cancelled send (not-sent, or the answer to a request already
   * written).
   */
  signals[PROGRESS] = g_signal_new ("progress",
                                    G_TYPE_FROM_CLASS (klass),
                                    G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 3,
                                    G_TYPE_POINTER, G_TYPE_UINT, G_TYPE_UINT);
}

static void
relay_nexmo_client_init (RelayNexmoClient *self)
{
  g_autofree char *nonce = relay_oauth1_make_nonce ();

  self->context = g_main_context_ref_thread_default ();
  self->clock = g_object_ref (relay_clock_get_default ());
  /* Unique per client; with the counter, unique per recipient. */
  self->ref_prefix = g_strdup_printf ("relay-%.12s", nonce);
}

/**
 * relay_nexmo_client_new:
 * @account: a complete account (secrets loaded)
 *
 * Returns: (transfer full): a client that sends through @account's
 *   provider with its timeout, at %RELAY_NEXMO_DEFAULT_RATE requests per
 *   second
 */
RelayNexmoClient *
relay_nexmo_client_new (RelayAccount *account)
{
  RelayNexmoClient *self;
  RelayProvider *provider;

  g_return_val_if_fail (RELAY_IS_ACCOUNT (account), NULL);

  self = g_object_new (RELAY_TYPE_NEXMO_CLIENT, NULL);
  self->account = g_object_ref (account);
  self->pacer = relay_nexmo_pacer_new (self->context, RELAY_NEXMO_DEFAULT_RATE, recipient_start, self);
  /* Never more requests at once than the session has connections for
   * the host: the rest would only wait in libsoup's queue. */
  relay_nexmo_pacer_set_max_in_flight (self->pacer, in_flight_for_rate (RELAY_NEXMO_DEFAULT_RATE));

  provider = relay_account_get_provider (account);
  self->timeout = relay_provider_get_timeout (provider);
  reset_session (self);
  g_signal_connect_object (provider, "notify::timeout",
                           G_CALLBACK (provider_timeout_cb), self, G_CONNECT_SWAPPED);

  return self;
}

RelayAccount *
relay_nexmo_client_get_account (RelayNexmoClient *self)
{
  g_return_val_if_fail (RELAY_IS_NEXMO_CLIENT (self), NULL);

  return self->account;
}

/**
 * relay_nexmo_client_set_rate:
 * @per_second: requests per second across all sends, 0 for no limit
 */
void
relay_nexmo_client_set_rate (RelayNexmoClient *self,
                             guint             per_second)
{
  g_return_if_fail (RELAY_IS_NEXMO_CLIENT (self));

  self->rate_set = TRUE;
  if (relay_nexmo_pacer_get_rate (self->pacer) == per_second)
    return;

  relay_nexmo_pacer_set_rate (self->pacer, per_second);
  relay_nexmo_pacer_set_max_in_flight (self->pacer, in_flight_for_rate (per_second));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE]);
}

static void
limit_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(RelayNexmoClient) self = user_data;
  g_autoptr(GError) error = NULL;
  RelayAccountSettings settings;
  guint rate = RELAY_NEXMO_DEFAULT_RATE;

  if (relay_nexmo_settings_fetch_finish (result, &settings, &error))
    {
      rate = settings.max_outbound_request;
      g_debug ("Sending at the account's limit of %u per second", rate);
    }
  else
    g_debug ("The account's limit is unknown (%s); sending at %u per second",
             error->message, rate);

  /* A rate the caller set meanwhile wins. */
  if (!self->rate_set)
    {
      relay_nexmo_client_set_rate (self, rate);
      self->rate_set = FALSE;
    }
  self->limit_pending = FALSE;
  relay_nexmo_pacer_hold (self->pacer, self->paused);
}

/**
 * relay_nexmo_client_set_paused:
 * @paused: %TRUE to start no new request until unpaused
 *
 * Requests already on their way finish and report as usual; the
 * recipients still waiting for their turn wait, then go on at the rate.
 */
void
relay_nexmo_client_set_paused (RelayNexmoClient *self,
                               gboolean          paused)
{
  g_return_if_fail (RELAY_IS_NEXMO_CLIENT (self));

  self->paused = !!paused;
  relay_nexmo_pacer_hold (self->pacer, self->paused || self->limit_pending);
}

/**
 * relay_nexmo_client_set_follow_account_limit:
 * @follow: %TRUE to send at the account's own limit
 *
 * With @follow, the first send of this client asks the account's limit
 * (`POST /account/settings`, max-outbound-request) and starts nothing
 * until the answer came; from then on the client sends at that rate, or
 * at %RELAY_NEXMO_DEFAULT_RATE when the call failed. A rate set with
 * relay_nexmo_client_set_rate() wins. Set it before the first send.
 */
void
relay_nexmo_client_set_follow_account_limit (RelayNexmoClient *self,
                                             gboolean          follow)
{
  g_return_if_fail (RELAY_IS_NEXMO_CLIENT (self));

  self->follow_limit = !!follow;
}

static void
maybe_ask_limit (RelayNexmoClient *self)
{
  if (!self->follow_limit || self->limit_asked || self->rate_set)
    return;

  self->limit_asked = TRUE;
  self->limit_pending = TRUE;
  relay_nexmo_pacer_hold (self->pacer, TRUE);
  relay_nexmo_settings_fetch_async (self->session, self->account, NULL, limit_cb, g_object_ref (self));
}

/**
 * relay_nexmo_client_set_clock:
 * @clock: (nullable): where rate control and retry waits take their time
 *   from, %NULL for the real clock
 *
 * For tests; set it before sending.
 */
void
relay_nexmo_client_set_clock (RelayNexmoClient *self,
                              RelayClock       *clock)
{
  g_return_if_fail (RELAY_IS_NEXMO_CLIENT (self));

  g_set_object (&self->clock, (clock != NULL ? clock : relay_clock_get_default ()));
  relay_nexmo_pacer_set_clock (self->pacer, self->clock);
}

guint
relay_nexmo_client_get_rate (RelayNexmoClient *self)
{
  g_return_val_if_fail (RELAY_IS_NEXMO_CLIENT (self), 0);

  return relay_nexmo_pacer_get_rate (self->pacer);
}

/**
 * relay_nexmo_client_get_client_ref_prefix:
 *
 * Every client-ref this client sends is this prefix, "-" and a number.
 */
/**
 * relay_nexmo_client_get_timeout:
 *
 * Returns: the seconds a request waits, as #RelayNexmoClient:timeout
 */
guint
relay_nexmo_client_get_timeout (RelayNexmoClient *self)
{
  g_return_val_if_fail (RELAY_IS_NEXMO_CLIENT (self), 0);

  return self->timeout;
}

const char *
relay_nexmo_client_get_client_ref_prefix (RelayNexmoClient *self)
{
  g_return_val_if_fail (RELAY_IS_NEXMO_CLIENT (self), NULL);

  return self->ref_prefix;
}

/**
 * relay_nexmo_client_set_gate:
 * @func: (nullable): called before each recipient's first request, or
 *   %NULL for none
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data when the gate is replaced
 *
 * Sets the gate every recipient of later sends passes on its turn,
 * before anything of it is written: the outbox records it as sending
 * there. Without a gate, recipients go out at once.
 */
void
relay_nexmo_client_set_gate (RelayNexmoClient   *self,
                             RelayNexmoGateFunc  func,
                             gpointer            user_data,
                             GDestroyNotify      destroy)
{
  g_return_if_fail (RELAY_IS_NEXMO_CLIENT (self));

  if (self->gate_destroy != NULL)
    self->gate_destroy (self->gate_data);
  self->gate_func = func;
  self->gate_data = user_data;
  self->gate_destroy = destroy;
}

static RelayNexmoClient *
batch_client (Batch *batch)
{
  return g_task_get_source_object (batch->task);
}

static void
batch_free (Batch *batch)
{
  for (guint i = 0; i < batch->total; i++)
    {
      g_clear_object (&batch->recipients[i].message);
      g_clear_object (&batch->recipients[i].cancellable);
    }
  if (batch->cancel_source != NULL)
    {
      g_source_destroy (batch->cancel_source);
      g_source_unref (batch->cancel_source);
    }
  g_clear_pointer (&batch->results, g_ptr_array_unref);
  g_clear_object (&batch->task);
  g_free (batch->recipients);
  g_free (batch->from);
  g_free (batch->text);
  g_free (batch);
}

static void
batch_maybe_complete (Batch *batch)
{
  if (batch->busy || batch->done < batch->total)
    return;

  if (!g_task_return_error_if_cancelled (batch->task))
    g_task_return_pointer (batch->task, g_steal_pointer (&batch->results),
                           (GDestroyNotify) g_ptr_array_unref);
  batch_free (batch);
}

/* Reports the recipient's final @state (taking @error, which may be
 * %NULL only for a sent one) at once, and completes the batch when it
 * was the last. */
static void
recipient_finish (Recipient     *recipient,
                  RelaySmsState  state,
                  GError        *error)
{
  Batch *batch = recipient->batch;
  RelaySmsResult *result = g_ptr_array_index (batch->results, recipient->index);

  g_assert (recipient->state != RECIPIENT_DONE);
  g_assert (relay_sms_state_is_final (state));
  g_assert ((state == RELAY_SMS_STATE_SENT) == (error == NULL));

  g_clear_error (&result->error);
  result->error = error;
  result->state = state;

  /* Its slot may start the next one; before anything below can end the
   * batch (and with it, perhaps, the client). */
  if (recipient->state == RECIPIENT_IN_FLIGHT)
    relay_nexmo_pacer_done (batch_client (batch)->pacer);
  recipient->state = RECIPIENT_DONE;
  g_clear_object (&recipient->message);
  g_clear_object (&recipient->cancellable);
  batch->done++;
  g_signal_emit (batch_client (batch), signals[PROGRESS], 0, result, batch->done, batch->total);
  batch_maybe_complete (batch);
}

static void
recipient_fail (Recipient *recipient,
                GError    *error)
{
  recipient_finish (recipient, RELAY_SMS_STATE_FAILED, error);
}

static void
recipient_not_sent (Recipient *recipient)
{
  RelaySmsResult *result = g_ptr_array_index (recipient->batch->results, recipient->index);

  recipient_finish (recipient, RELAY_SMS_STATE_NOT_SENT,
                    g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                 _("Sending was cancelled before the message to %s went out; it was not sent."),
                                 result->to));
}

/* The request may have reached the provider, but no answer says so:
 * never sent again, and reported with its client-ref. */
static void
recipient_uncertain (Recipient  *recipient,
                     int         code,
                     const char *why)
{
  RelaySmsResult *result = g_ptr_array_index (recipient->batch->results, recipient->index);

  recipient_finish (recipient, RELAY_SMS_STATE_UNCERTAIN,
                    g_error_new (RELAY_NEXMO_ERROR, code,
                                 _("%s The message to %s may have been sent (client-ref %s), so Relay did not send it again."),
                                 why, result->to, result->client_ref));
}

static void
message_starting_cb (SoupMessage *message,
                     Recipient   *recipient)
{
  recipient->written = TRUE;
}


/* Signs the recipient's message, again with a fresh nonce when the
 * provider refused the timestamp; relay_http_message_new_for_account()
 * takes the account's (corrected) clock offset. */
static SoupMessage *
build_sms (gpointer   user_data,
           gint64     clock_offset,
           GError   **error)
{
  Recipient *recipient = user_data;
  Batch *batch = recipient->batch;
  RelayNexmoClient *self = batch_client (batch);
  RelaySmsResult *result = g_ptr_array_index (batch->results, recipient->index);
  RelayProvider *provider = relay_account_get_provider (self->account);
  g_autoptr(GPtrArray) params = relay_params_new ();
  g_autofree char *uri = relay_provider_get_endpoint (provider, RELAY_ENDPOINT_SMS);
  SoupMessage *message;

  if (batch->from != NULL)
    relay_params_add (params, "from", batch->from);
  relay_params_add (params, "to", result->to);
  relay_params_add (params, "text", batch->text);
  if (batch->unicode)
    relay_params_add (params, "type", "unicode");
  relay_params_add (params, "client-ref", result->client_ref);

  if (relay_account_get_kind (self->account) == RELAY_ACCOUNT_SIGNED)
    message = relay_nexmo_signed_message_new (self->account, relay_provider_get_sms_method (provider), uri, params,
                                              relay_clock_get_real_time (self->clock) / G_USEC_PER_SEC + clock_offset,
                                              error);
  else
    message = relay_http_message_new_for_account (self->account,
                                                  relay_provider_get_sms_method (provider),
                                                  uri, params, error);
  if (message != NULL)
    {
      result->attempts++;
      recipient->written = FALSE;
      g_signal_connect (message, "starting", G_CALLBACK (message_starting_cb), recipient);
    }

  return message;
}

/* The pacer's turn for @item: sign and send. Never finishes the
 * recipient before returning (a GTask returned at once calls back from
 * an idle), so the pacer is never freed under itself. */
static void
recipient_write (Recipient *recipient)
{
  RelayNexmoClient *self = batch_client (recipient->batch);

  relay_http_send_signed_async (self->session, self->account, build_sms, recipient, NULL,
                                recipient->cancellable, sent_cb, recipient);
}

static void
gate_done_cb (GObject      *object,
              GAsyncResult *res,
              gpointer      user_data)
{
  Recipient *recipient = user_data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (res), &error))
    {
      if (error == NULL)
        error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, _("The message could not be recorded before sending."));
      recipient_finish (recipient, RELAY_SMS_STATE_NOT_SENT, error);
      return;
    }

  recipient->gated = TRUE;
  /* Stopped while waiting at the gate: nothing was written. */
  if (g_cancellable_is_cancelled (recipient->cancellable))
    {
      recipient_not_sent (recipient);
      return;
    }

  recipient_write (recipient);
}

static void
recipient_start (gpointer item,
                 gpointer user_data)
{
  RelayNexmoClient *self = user_data;
  Recipient *recipient = item;
  RelaySmsResult *result = g_ptr_array_index (recipient->batch->results, recipient->index);

  recipient->state = RECIPIENT_IN_FLIGHT;
  result->state = RELAY_SMS_STATE_SENDING;
  /* Its own cancellable: a stop withdraws only requests not yet written. */
  g_clear_object (&recipient->cancellable);
  recipient->cancellable = g_cancellable_new ();
  if (recipient->batch->stopping ||
      g_cancellable_is_cancelled (g_task_get_cancellable (recipient->batch->task)))
    g_cancellable_cancel (recipient->cancellable);

  /* The gate first, once: its task is returned from the gate's own
   * callback or an idle, never before this returns. */
  if (self->gate_func != NULL && !recipient->gated &&
      !g_cancellable_is_cancelled (recipient->cancellable))
    {
      GTask *task = g_task_new (self, NULL, gate_done_cb, recipient);

      g_task_set_source_tag (task, recipient_start);
      self->gate_func (self, result, task, self->gate_data);
      return;
    }

  recipient_write (recipient);
}

/* Status 1 or HTTP 429: nothing was accepted, so sending again is safe.
 * The whole client holds off for the wait (the rate is the account's),
 * and the recipient goes first when it ends. */
static void
recipient_retry (Recipient *recipient,
                 gint64     wait_ms,
                 GError    *error)
{
  RelaySmsResult *result = g_ptr_array_index (recipient->batch->results, recipient->index);
  RelayNexmoClient *self = batch_client (recipient->batch);

  g_clear_object (&recipient->message);

  /* Refused, so nothing went out; and no new request after a stop. */
  if (recipient->batch->stopping)
    {
      g_error_free (error);
      recipient_not_sent (recipient);
      return;
    }

  if (result->attempts >= RELAY_NEXMO_MAX_ATTEMPTS)
    {
      g_error_free (error);
      recipient_fail (recipient,
                      g_error_new (RELAY_NEXMO_ERROR, RELAY_NEXMO_ERROR_THROTTLED,
                                   _("The provider was still too busy after %u attempts, so nothing was sent to %s; try again later."),
                                   result->attempts, result->to));
      return;
    }

  if (wait_ms < 0)
    wait_ms = (gint64) BASE_BACKOFF_MS << MIN (result->attempts - 1, 5);

  if (wait_ms > MAX_WAIT_MS)
    {
      g_error_free (error);
      recipient_fail (recipient,
                      g_error_new (RELAY_NEXMO_ERROR, RELAY_NEXMO_ERROR_THROTTLED,
                                   _("The provider asked to wait %u seconds before sending again, so nothing was sent to %s; try again later."),
                                   (guint) ((wait_ms + 999) / 1000), result->to));
      return;
    }

  g_debug ("Throttled sending %s (attempt %u), waiting %" G_GINT64_FORMAT " ms",
           result->client_ref, result->attempts, wait_ms);
  g_error_free (error);

  recipient->state = RECIPIENT_QUEUED;
  result->state = RELAY_SMS_STATE_QUEUED;
  relay_nexmo_pacer_retry (self->pacer, recipient, (guint) wait_ms);
  relay_nexmo_pacer_done (self->pacer);
}

static void
sent_cb (GObject      *object,
         GAsyncResult *res,
         gpointer      user_data)
{
  Recipient *recipient = user_data;
  RelaySmsResult *result = g_ptr_array_index (recipient->batch->results, recipient->index);
  g_autoptr(RelaySmsResult) parsed = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  RelayAccount *account = batch_client (recipient->batch)->account;
  gint64 retry_after;
  gint64 offset;

  g_clear_object (&recipient->message);
  body = relay_http_send_signed_finish (SOUP_SESSION (object), res, &recipient->message, &error);
  if (body == NULL)
    {
      if (g_error_matches (error, RELAY_HTTP_ERROR, RELAY_HTTP_ERROR_THROTTLED))
        {
          gint64 now = relay_clock_get_real_time (batch_client (recipient->batch)->clock);

          retry_after = relay_http_get_retry_after_at (recipient->message, now / G_USEC_PER_SEC);
          recipient_retry (recipient, retry_after >= 0 ? retry_after * 1000 : -1,
                           g_steal_pointer (&error));
        }
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Only a stop cancels, and only before the request was
           * written; should libsoup have started it meanwhile, the
           * provider may have it. */
          if (recipient->written)
            recipient_uncertain (recipient, RELAY_NEXMO_ERROR_UNKNOWN_OUTCOME,
                                 _("Sending was cancelled while the request was on its way."));
          else
            recipient_not_sent (recipient);
        }
      else if (g_error_matches (error, RELAY_HTTP_ERROR, RELAY_HTTP_ERROR_NO_ANSWER) ||
               (recipient->written &&
                (g_error_matches (error, RELAY_HTTP_ERROR, RELAY_HTTP_ERROR_TIMEOUT) ||
                 g_error_matches (error, RELAY_HTTP_ERROR, RELAY_HTTP_ERROR_UNREACHABLE))))
        /* No answer after the request went out (a timeout or a dropped
         * connection); before that, it simply failed. */
        recipient_uncertain (recipient, RELAY_NEXMO_ERROR_UNKNOWN_OUTCOME, error->message);
      else if (g_error_matches (error, RELAY_HTTP_ERROR, RELAY_HTTP_ERROR_TOO_LARGE))
        recipient_uncertain (recipient, RELAY_NEXMO_ERROR_MALFORMED, error->message);
      else
        recipient_fail (recipient, g_steal_pointer (&error));
      return;
    }

  parsed = relay_nexmo_parse_sms_answer (g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  if (parsed == NULL)
    {
      recipient_uncertain (recipient, RELAY_NEXMO_ERROR_MALFORMED, error->message);
      return;
    }

  if (parsed->status == RELAY_NEXMO_ERROR_THROTTLED && parsed->parts == 0)
    {
      recipient_retry (recipient, parsed->retry_after_ms, g_steal_pointer (&parsed->error));
      return;
    }

  /* A signed request refused for the clock: correct it, sign again. */
  if (parsed->status == RELAY_NEXMO_ERROR_INVALID_SIGNATURE && parsed->parts == 0 &&
      relay_nexmo_signed_skew (account, recipient->message,
                               relay_clock_get_real_time (batch_client (recipient->batch)->clock) / G_USEC_PER_SEC,
                               &offset))
    {
      g_debug ("Signature refused; clock offset now %" G_GINT64_FORMAT " s, signing again", offset);
      relay_account_set_clock_offset (account, offset);
      recipient_retry (recipient, 0, g_steal_pointer (&parsed->error));
      return;
    }

  /* Keep what was sent; take what the provider answered. */
  g_strfreev (result->message_ids);
  result->message_ids = g_steal_pointer (&parsed->message_ids);
  result->parts = parsed->parts;
  result->price = parsed->price;
  result->remaining_balance = parsed->remaining_balance;
  result->status = parsed->status;
  result->retry_after_ms = parsed->retry_after_ms;
  g_free (result->network);
  result->network = g_steal_pointer (&parsed->network);
  if (parsed->error == NULL)
    recipient_finish (recipient, RELAY_SMS_STATE_SENT, NULL);
  else
    recipient_fail (recipient, g_steal_pointer (&parsed->error));
}

static gboolean
batch_cancelled_cb (GCancellable *cancellable,
                    gpointer      user_data)
{
  Batch *batch = user_data;
  RelayNexmoClient *self = batch_client (batch);

  /* Queued recipients were never sent (again); requests not yet
   * written are withdrawn and end through their cancelled callbacks;
   * written ones bring their answer, so that what the provider accepted
   * is reported as sent. */
  batch->busy = TRUE;
  batch->stopping = TRUE;
  for (guint i = 0; i < batch->total; i++)
    {
      Recipient *recipient = &batch->recipients[i];

      if (recipient->state == RECIPIENT_QUEUED)
        {
          relay_nexmo_pacer_remove (self->pacer, recipient);
          recipient_not_sent (recipient);
        }
      else if (recipient->state == RECIPIENT_IN_FLIGHT && !recipient->written)
        g_cancellable_cancel (recipient->cancellable);
    }
  batch->busy = FALSE;

  g_clear_pointer (&batch->cancel_source, g_source_unref);
  batch_maybe_complete (batch);

  return G_SOURCE_REMOVE;
}

/**
 * relay_nexmo_client_send_full_async:
 * @self: a client
 * @from: (nullable): the sender ID, or %NULL to let the provider refuse
 *   or choose
 * @to: (array zero-terminated=1): international numbers, digits only
 * @text: the message (UTF-8)
 * @flags: #RelayNexmoSendFlags
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the results
 * @user_data: data for @callback
 *
 * Like relay_nexmo_client_send_async(), with flags.
 */
void
relay_nexmo_client_send_full_async (RelayNexmoClient    *self,
                                    const char          *from,
                                    const char *const   *to,
                                    const char          *text,
                                    RelayNexmoSendFlags  flags,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  relay_nexmo_client_send_refs_async (self, from, to, NULL, text, flags,
                                      cancellable, callback, user_data);
}

/**
 * relay_nexmo_client_send_refs_async:
 * @client_refs: (nullable) (array zero-terminated=1): the client-ref of
 *   each recipient in @to, as long as @to; %NULL for refs of the client's
 *
 * Like relay_nexmo_client_send_full_async(), with the caller's
 * client-refs (those of its outbox rows).
 */
void
relay_nexmo_client_send_refs_async (RelayNexmoClient    *self,
                                    const char          *from,
                                    const char *const   *to,
                                    const char *const   *client_refs,
                                    const char          *text,
                                    RelayNexmoSendFlags  flags,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  RelaySmsInfo info;
  Batch *batch;

  g_return_if_fail (RELAY_IS_NEXMO_CLIENT (self));
  g_return_if_fail (to != NULL);
  g_return_if_fail (text != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (client_refs == NULL || g_strv_length ((char **) client_refs) == g_strv_length ((char **) to));

  relay_sms_text_analyze (text, &info);

  batch = g_new0 (Batch, 1);
  batch->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (batch->task, relay_nexmo_client_send_refs_async);
  batch->from = g_strdup (from);
  batch->text = g_strdup (text);
  batch->unicode = (flags & RELAY_NEXMO_SEND_UNICODE) != 0 || info.encoding == RELAY_SMS_ENCODING_UCS2;
  batch->total = g_strv_length ((char **) to);
  batch->recipients = g_new0 (Recipient, batch->total);
  batch->results = g_ptr_array_new_full (batch->total, (GDestroyNotify) relay_sms_result_free);

  for (guint i = 0; i < batch->total; i++)
    {
      RelaySmsResult *result = g_new0 (RelaySmsResult, 1);

      result->to = g_strdup (to[i]);
      if (client_refs != NULL)
        result->client_ref = g_strdup (client_refs[i]);
      else
        result->client_ref = g_strdup_printf ("%s-%" G_GUINT64_FORMAT, self->ref_prefix, ++self->ref_counter);
      result->retry_after_ms = -1;
      result->state = RELAY_SMS_STATE_QUEUED;
      g_ptr_array_add (batch->results, result);
      batch->recipients[i].batch = batch;
      batch->recipients[i].index = i;
    }

  if (g_task_return_error_if_cancelled (batch->task))
    {
      batch_free (batch);
      return;
    }

  if (cancellable != NULL)
    {
      batch->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (batch->cancel_source, G_SOURCE_FUNC (batch_cancelled_cb), batch, NULL);
      g_source_attach (batch->cancel_source, self->context);
    }

  maybe_ask_limit (self);
  batch->busy = TRUE;
  for (guint i = 0; i < batch->total; i++)
    {
      batch->recipients[i].state = RECIPIENT_QUEUED;
      relay_nexmo_pacer_push (self->pacer, &batch->recipients[i]);
    }
  batch->busy = FALSE;
  batch_maybe_complete (batch);
}

void
relay_nexmo_client_send_async (RelayNexmoClient    *self,
                               const char          *from,
                               const char *const   *to,
                               const char          *text,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  relay_nexmo_client_send_full_async (self, from, to, text, RELAY_NEXMO_SEND_NONE,
                                      cancellable, callback, user_data);
}

/**
 * relay_nexmo_client_send_finish:
 *
 * Returns: (transfer container) (element-type RelaySmsResult): one result
 *   per recipient, in order; %NULL only when cancelled
 */
GPtrArray *
relay_nexmo_client_send_finish (RelayNexmoClient  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (RELAY_IS_NEXMO_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static SoupMessage *
build_balance (gpointer   user_data,
               gint64     clock_offset,
               GError   **error)
{
  RelayNexmoClient *self = user_data;
  g_autofree char *uri = NULL;

  uri = relay_provider_get_endpoint (relay_account_get_provider (self->account), RELAY_ENDPOINT_BALANCE);

  return relay_http_message_new_for_account (self->account, "GET", uri, NULL, error);
}

static void
balance_cb (GObject      *object,
            GAsyncResult *res,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  RelayBalance *balance = g_new0 (RelayBalance, 1);

  body = relay_http_send_signed_finish (SOUP_SESSION (object), res, NULL, &error);
  if (body == NULL ||
      !relay_nexmo_parse_balance (g_bytes_get_data (body, NULL), g_bytes_get_size (body), balance, &error))
    {
      g_free (balance);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, balance, g_free);
}

void
relay_nexmo_client_balance_async (RelayNexmoClient    *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RELAY_IS_NEXMO_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_nexmo_client_balance_async);

  relay_http_send_signed_async (self->session, self->account, build_balance,
                                g_object_ref (self), g_object_unref,
                                cancellable, balance_cb, g_steal_pointer (&task));
}

/**
 * relay_nexmo_client_balance_finish:
 * @balance: (out): the balance
 *
 * Returns: %TRUE on success
 */
gboolean
relay_nexmo_client_balance_finish (RelayNexmoClient  *self,
                                   GAsyncResult      *result,
                                   RelayBalance      *balance,
                                   GError           **error)
{
  g_autofree RelayBalance *value = NULL;

  g_return_val_if_fail (RELAY_IS_NEXMO_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (balance != NULL, FALSE);

  if (!(value = g_task_propagate_pointer (G_TASK (result), error)))
    return FALSE;

  *balance = *value;
  return TRUE;
}
