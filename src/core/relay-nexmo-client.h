/* relay-nexmo-client.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "relay-account.h"

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
} RelayNexmoError;

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
 *
 * The outcome for one recipient.
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
} RelaySmsResult;

typedef struct
{
  double   value;
  gboolean auto_reload;
} RelayBalance;

GQuark          relay_nexmo_error_quark        (void);
const char     *relay_nexmo_status_describe    (int                   status);
void            relay_sms_result_free          (RelaySmsResult       *result);

/* Pure parsers (also the fuzz targets). */
RelaySmsResult *relay_nexmo_parse_sms_answer   (const char           *json,
                                                gssize                len,
                                                GError              **error);
gboolean        relay_nexmo_parse_balance      (const char           *json,
                                                gssize                len,
                                                RelayBalance         *balance,
                                                GError              **error);

#define RELAY_TYPE_NEXMO_CLIENT (relay_nexmo_client_get_type ())

G_DECLARE_FINAL_TYPE (RelayNexmoClient, relay_nexmo_client, RELAY, NEXMO_CLIENT, GObject)

RelayNexmoClient *relay_nexmo_client_new          (RelayAccount         *account);
RelayAccount     *relay_nexmo_client_get_account  (RelayNexmoClient     *self);
void              relay_nexmo_client_set_rate     (RelayNexmoClient     *self,
                                                   guint                 per_second);

/* Sends @text from @from to every number in @to, concurrently under the
 * rate; "progress" is emitted once per finished recipient. Resolves with
 * a GPtrArray of RelaySmsResult in the order of @to (each recipient sent
 * at most once, none dropped); fails only on cancellation. */
void              relay_nexmo_client_send_async   (RelayNexmoClient     *self,
                                                   const char           *from,
                                                   const char *const    *to,
                                                   const char           *text,
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
