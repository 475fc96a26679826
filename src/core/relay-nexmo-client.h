/* relay-nexmo-client.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "relay-account.h"
#include "relay-clock.h"

G_BEGIN_DECLS

#define RELAY_NEXMO_ERROR (relay_nexmo_error_quark ())

/* The Nexmo SMS API status codes, with their numbers. */
typedef enum
{
  RELAY_NEXMO_ERROR_THROTTLED = 1,
  RELAY_NEXMO_ERROR_MISSING_PARAMS = 2,
  RELAY_NEXMO_ERROR_INVALID_PARAMS = 3,
  RELAY_NEXMO_ERROR_INVALID_CREDENTIALS = 4,
  RELAY_NEXMO_ERROR_INTERNAL_ERROR = 5,
  RELAY_NEXMO_ERROR_INVALID_MESSAGE = 6,
  RELAY_NEXMO_ERROR_NUMBER_BARRED = 7,
  RELAY_NEXMO_ERROR_PARTNER_ACCOUNT_BARRED = 8,
  RELAY_NEXMO_ERROR_PARTNER_QUOTA_EXCEEDED = 9,
  RELAY_NEXMO_ERROR_NOT_ENABLED_FOR_REST = 11,
  RELAY_NEXMO_ERROR_MESSAGE_TOO_LONG = 12,
  RELAY_NEXMO_ERROR_INVALID_SIGNATURE = 14,
  RELAY_NEXMO_ERROR_INVALID_SENDER_ADDRESS = 15,
  RELAY_NEXMO_ERROR_INVALID_NETWORK_CODE = 22,
  RELAY_NEXMO_ERROR_INVALID_CALLBACK_URL = 23,
  RELAY_NEXMO_ERROR_NON_WHITELISTED_DESTINATION = 29,
  RELAY_NEXMO_ERROR_SIGNATURE_AND_API_SECRET_DISALLOWED = 32,
  RELAY_NEXMO_ERROR_NUMBER_DEACTIVATED = 33,
  RELAY_NEXMO_ERROR_UNKNOWN = 1000,     /* any other status: the number is in the message */
  RELAY_NEXMO_ERROR_MALFORMED = 1001,   /* not JSON, truncated, missing fields */
  RELAY_NEXMO_ERROR_UNKNOWN_OUTCOME = 1002, /* sent, but no answer came: not resent */
} RelayNexmoError;

/**
 * RelaySmsState:
 * @RELAY_SMS_STATE_QUEUED: waiting for its turn
 * @RELAY_SMS_STATE_SENDING: its request is on its way
 * @RELAY_SMS_STATE_SENT: the provider accepted every part
 * @RELAY_SMS_STATE_FAILED: the provider refused it, or it could not be
 *   sent (a partly sent message is failed, with the accepted parts kept)
 * @RELAY_SMS_STATE_NOT_SENT: never attempted: cancelled before its
 *   request was written
 * @RELAY_SMS_STATE_UNCERTAIN: its request may have reached the provider
 *   but no answer came (timeout, dropped connection, unreadable answer);
 *   it may have been sent and is never sent again
 *
 * Where one recipient stands. The names (relay_sms_state_to_string())
 * are those of the history store's rows.
 */
typedef enum
{
  RELAY_SMS_STATE_QUEUED,
  RELAY_SMS_STATE_SENDING,
  RELAY_SMS_STATE_SENT,
  RELAY_SMS_STATE_FAILED,
  RELAY_SMS_STATE_NOT_SENT,
  RELAY_SMS_STATE_UNCERTAIN,
} RelaySmsState;

/**
 * RelaySmsResult:
 * @to: the recipient
 * @message_ids: (array zero-terminated=1): one id per part
 * @parts: number of parts sent
 * @price: total price of the parts
 * @remaining_balance: the balance after the last part
 * @network: the network code
 * @client_ref: the client-ref that was sent
 * @error: (nullable): why this recipient failed
 * @status: the Nexmo status of the first refused part, 0 when none was
 * @retry_after_ms: for status 1, the wait the provider named, else -1
 * @attempts: requests made for this recipient (throttled ones included)
 * @state: where the recipient stands; final once reported
 *
 * The outcome for one recipient. A recipient may be partly sent: @parts
 * and @message_ids count the accepted parts even when @error is set.
 * %RELAY_NEXMO_ERROR_UNKNOWN_OUTCOME and %RELAY_NEXMO_ERROR_MALFORMED
 * mean the provider may have sent the message; Relay never resends it.
 */
typedef struct
{
  char    *to;
  char   **message_ids;
  guint    parts;
  double   price;
  double   remaining_balance;
  char    *network;
  char    *client_ref;
  GError  *error;
  int      status;
  gint64   retry_after_ms;
  guint    attempts;
  RelaySmsState state;
} RelaySmsResult;

typedef struct
{
  double   value;
  gboolean auto_reload;
} RelayBalance;

GQuark          relay_nexmo_error_quark        (void);
const char     *relay_nexmo_status_describe    (int                   status);
gboolean        relay_nexmo_status_is_known    (int                   status);
void            relay_sms_result_free          (RelaySmsResult       *result);
RelaySmsResult *relay_sms_result_copy          (const RelaySmsResult *result);
const char     *relay_sms_state_to_string      (RelaySmsState         state);
gboolean        relay_sms_state_is_final       (RelaySmsState         state);
GError         *relay_nexmo_status_to_error    (int                   status,
                                                const char           *error_text);
gint64          relay_nexmo_parse_throttle_wait (const char          *error_text);
JsonNode       *relay_sms_result_to_json       (const RelaySmsResult *result);
char           *relay_nexmo_normalize_number   (const char           *number,
                                                GError              **error);

/* Pure parsers (also the fuzz targets). */
RelaySmsResult *relay_nexmo_parse_sms_answer   (const char           *json,
                                                gssize                len,
                                                GError              **error);
gboolean        relay_nexmo_parse_balance      (const char           *json,
                                                gssize                len,
                                                RelayBalance         *balance,
                                                GError              **error);

/**
 * RelayNexmoSendFlags:
 * @RELAY_NEXMO_SEND_NONE: type=unicode only when the text leaves GSM-7
 * @RELAY_NEXMO_SEND_UNICODE: always send type=unicode
 */
typedef enum
{
  RELAY_NEXMO_SEND_NONE = 0,
  RELAY_NEXMO_SEND_UNICODE = 1 << 0,
} RelayNexmoSendFlags;

#define RELAY_NEXMO_DEFAULT_RATE 30
#define RELAY_NEXMO_MAX_ATTEMPTS 5

#define RELAY_TYPE_NEXMO_CLIENT (relay_nexmo_client_get_type ())

G_DECLARE_FINAL_TYPE (RelayNexmoClient, relay_nexmo_client, RELAY, NEXMO_CLIENT, GObject)

/**
 * RelayNexmoGateFunc:
 * @client: the client
 * @recipient: the recipient about to be sent (its @to and @client_ref)
 * @task: (transfer full): return a boolean or an error on it, once
 * @user_data: the data given to relay_nexmo_client_set_gate()
 *
 * Called once per recipient, on its turn, before its first request may
 * be written (e.g. to record durably that it is being sent). The
 * request waits for @task; an error ends the recipient not-sent with
 * that error.
 */
typedef void (*RelayNexmoGateFunc) (RelayNexmoClient     *client,
                                    const RelaySmsResult *recipient,
                                    GTask                *task,
                                    gpointer              user_data);

RelayNexmoClient *relay_nexmo_client_new          (RelayAccount         *account);
RelayAccount     *relay_nexmo_client_get_account  (RelayNexmoClient     *self);
void              relay_nexmo_client_set_rate     (RelayNexmoClient     *self,
                                                   guint                 per_second);
guint             relay_nexmo_client_get_rate     (RelayNexmoClient     *self);
void              relay_nexmo_client_set_follow_account_limit (RelayNexmoClient *self,
                                                   gboolean              follow);
guint             relay_nexmo_client_get_timeout  (RelayNexmoClient     *self);
void              relay_nexmo_client_set_clock    (RelayNexmoClient     *self,
                                                   RelayClock           *clock);
const char       *relay_nexmo_client_get_client_ref_prefix (RelayNexmoClient *self);
void              relay_nexmo_client_set_paused   (RelayNexmoClient     *self,
                                                   gboolean              paused);
void              relay_nexmo_client_set_gate     (RelayNexmoClient     *self,
                                                   RelayNexmoGateFunc    func,
                                                   gpointer              user_data,
                                                   GDestroyNotify        destroy);

/* Sends @text from @from to every number in @to, concurrently under the
 * rate. "progress" is emitted once per recipient as soon as its outcome
 * (a final #RelaySmsState) is known, cancelled sends included: that is
 * how a caller learns what a cancelled send did. Cancelling stops the
 * send: recipients whose request was not yet written end not-sent, and
 * requests already written are left to bring their answer (within the
 * timeout), so an accepted message is always reported as sent. Resolves
 * with a GPtrArray of RelaySmsResult in the order of @to (each recipient
 * sent at most once, none dropped), or, when cancelled, with
 * G_IO_ERROR_CANCELLED once every recipient has been reported.
 *
 * Signal "progress" (RelayNexmoClient *client, gpointer result,
 * guint done, guint total): @result is the finished recipient's
 * RelaySmsResult (transfer none: copy what outlives the handler),
 * @done of @total recipients are done. */
void              relay_nexmo_client_send_async   (RelayNexmoClient     *self,
                                                   const char           *from,
                                                   const char *const    *to,
                                                   const char           *text,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
void              relay_nexmo_client_send_full_async (RelayNexmoClient  *self,
                                                   const char           *from,
                                                   const char *const    *to,
                                                   const char           *text,
                                                   RelayNexmoSendFlags   flags,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
/* Like relay_nexmo_client_send_full_async(), sending @client_refs[i]
 * (a parallel array, %NULL for the client's own) with @to[i]. */
void              relay_nexmo_client_send_refs_async (RelayNexmoClient  *self,
                                                   const char           *from,
                                                   const char *const    *to,
                                                   const char *const    *client_refs,
                                                   const char           *text,
                                                   RelayNexmoSendFlags   flags,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
GPtrArray        *relay_nexmo_client_send_finish  (RelayNexmoClient     *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

void              relay_nexmo_client_balance_async  (RelayNexmoClient   *self,
                                                     GCancellable       *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer            user_data);
gboolean          relay_nexmo_client_balance_finish (RelayNexmoClient   *self,
                                                     GAsyncResult       *result,
                                                     RelayBalance       *balance,
                                                     GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaySmsResult, relay_sms_result_free)

G_END_DECLS
