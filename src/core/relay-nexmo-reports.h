/* relay-nexmo-reports.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "relay-account.h"

G_BEGIN_DECLS

#define RELAY_REPORTS_ERROR (relay_reports_error_quark ())

typedef enum
{
  RELAY_REPORTS_ERROR_NOT_FOUND,    /* no record of that message (yet) */
  RELAY_REPORTS_ERROR_MALFORMED,    /* not the Reports API's answer */
  RELAY_REPORTS_ERROR_UNSUPPORTED,  /* the account has no API key and secret */
} RelayReportsError;

/**
 * RelayDeliveryRecord:
 * @message_id: the message (part) it is about
 * @status: "accepted", "delivered", "buffered", "expired", "failed",
 *   "rejected" or "unknown"
 * @received_at: when the provider received it, microseconds since the
 *   epoch, 0 when not given
 * @finalized_at: when it reached its final status, 0 when not (yet) given
 * @error_code: the receipt's error code, -1 when none was given
 * @error_description: (nullable): the provider's words for it
 * @to: (nullable): the recipient
 * @client_ref: (nullable): the client-ref sent with it
 * @network: (nullable): the network code
 * @price: (nullable): the total price, a decimal string
 * @currency: (nullable): its currency
 *
 * One Reports API record of an outbound SMS.
 */
typedef struct
{
  char   *message_id;
  char   *status;
  gint64  received_at;
  gint64  finalized_at;
  int     error_code;
  char   *error_description;
  char   *to;
  char   *client_ref;
  char   *network;
  char   *price;
  char   *currency;
} RelayDeliveryRecord;

GQuark               relay_reports_error_quark        (void);
gboolean             relay_delivery_status_is_valid   (const char                *status);
gboolean             relay_delivery_status_is_final   (const char                *status);
gint64               relay_delivery_record_get_time   (const RelayDeliveryRecord *record);
void                 relay_delivery_record_free       (RelayDeliveryRecord       *record);
RelayDeliveryRecord *relay_delivery_record_copy       (const RelayDeliveryRecord *record);
JsonNode            *relay_delivery_record_to_json    (const RelayDeliveryRecord *record);

RelayDeliveryRecord *relay_nexmo_parse_report         (const char                *json,
                                                       gssize                     len,
                                                       const char                *message_id,
                                                       GError                   **error);

gboolean             relay_nexmo_message_id_is_valid  (const char                *message_id);
char                *relay_nexmo_reports_uri          (RelayAccount              *account,
                                                       const char                *message_id);
void                 relay_nexmo_reports_fetch_async  (SoupSession               *session,
                                                       RelayAccount              *account,
                                                       const char                *message_id,
                                                       GCancellable              *cancellable,
                                                       GAsyncReadyCallback        callback,
                                                       gpointer                   user_data);
RelayDeliveryRecord *relay_nexmo_reports_fetch_finish (GAsyncResult              *result,
                                                       GError                   **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayDeliveryRecord, relay_delivery_record_free)

G_END_DECLS
