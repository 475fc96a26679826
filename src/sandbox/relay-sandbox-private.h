/* relay-sandbox-private.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared between the files of the sandbox server: its instance struct and
 * the handlers each file contributes.
 */

#pragma once

#include <libsoup/soup.h>

#include "relay-clock.h"
#include "relay-nexmo-sig.h"
#include "relay-oauth1-request.h"
#include "relay-sandbox-server.h"

G_BEGIN_DECLS

#define RELAY_SANDBOX_MAX_BODY        (64 * 1024)
#define RELAY_SANDBOX_TIMESTAMP_SLACK 300
#define RELAY_SANDBOX_UNITS_PER_EUR   G_GINT64_CONSTANT (100000000)
#define RELAY_SANDBOX_PART_PRICE      G_GINT64_CONSTANT (3330000)      /* 0.0333 EUR */
#define RELAY_SANDBOX_NETWORK         "23410"
#define RELAY_SANDBOX_MAX_CHARACTERS  3200

typedef enum
{
  RELAY_SANDBOX_FAULT_HTTP_500,
  RELAY_SANDBOX_FAULT_NON_JSON,
  RELAY_SANDBOX_FAULT_TRUNCATED,
  RELAY_SANDBOX_FAULT_SLOW,
  RELAY_SANDBOX_FAULT_PROBLEM,
  RELAY_SANDBOX_FAULT_UNCONFIRMED,
  RELAY_SANDBOX_FAULT_HTTP_429,
  RELAY_SANDBOX_FAULT_HTTP_429_DATE,
  RELAY_SANDBOX_FAULT_HTTP_429_BAD,
  RELAY_SANDBOX_FAULT_THROTTLE,
  RELAY_SANDBOX_FAULT_DELIVERY_FAILED,
  RELAY_SANDBOX_FAULT_DELIVERY_EXPIRED,
  RELAY_SANDBOX_FAULT_DELIVERY_REJECTED,
} RelaySandboxFaultKind;

typedef struct
{
  char                  *path;
  RelaySandboxFaultKind  kind;
  char                  *problem;
  guint                  arg;
  int                    remaining;     /* -1: every request */
} RelaySandboxFault;

typedef enum
{
  RELAY_SANDBOX_TOKEN_REQUEST,
  RELAY_SANDBOX_TOKEN_ACCESS,
} RelaySandboxTokenKind;

typedef enum
{
  RELAY_SANDBOX_TOKEN_PENDING,
  RELAY_SANDBOX_TOKEN_AUTHORIZED,
  RELAY_SANDBOX_TOKEN_DENIED,
  RELAY_SANDBOX_TOKEN_USED,
} RelaySandboxTokenState;

typedef struct
{
  RelaySandboxTokenKind   kind;
  RelaySandboxTokenState  state;
  char                   *secret;
  char                   *callback;
  char                   *verifier;
} RelaySandboxToken;

struct _RelaySandboxServer
{
  GObject         parent_instance;

  /* owned references */
  SoupServer     *server;
  GSocketService *service;
  GHashTable     *tokens;           /* token → RelaySandboxToken */
  GHashTable     *nonces;           /* "key&token&timestamp&nonce" → timestamp */
  GHashTable     *windows;          /* credential → GQueue of arrival times (µs) */
  GHashTable     *message_ids;      /* set of issued message IDs */
  GHashTable     *reports;          /* message ID → its delivery record */
  GPtrArray      *faults;           /* RelaySandboxFault */
  GPtrArray      *delayed;          /* answers held back by slow faults */
  RelayClock     *clock;            /* rate windows and slow faults */
  GMainContext   *context;          /* captured by listen; every source goes there */

  /* configuration */
  char           *consumer_key;
  char           *consumer_secret;
  char           *api_key;
  char           *api_secret;
  char           *signature_secret;
  RelayNexmoSigMethod signature_method;
  char           *messages_path;
  guint           rate_limit;
  guint           delivery_delay;   /* ms from accepted to its final status */
  const char     *delivery_outcome; /* set by a delivery-* fault for one request */
  guint           auto_approve : 1;
  guint           auto_deny : 1;
  guint           legacy : 1;

  /* state */
  int             messages_fd;
  gint64          balance;          /* in 1e-8 EUR */
  gint64          last_prune;
  guint           message_count;
  guint           pricing_requests;
  guint           port;
};

RelaySandboxFault *relay_sandbox_fault_parse           (const char          *spec,
                                                        GError             **error);
void               relay_sandbox_fault_free            (gpointer             data);

void               relay_sandbox_reply                 (SoupServerMessage   *msg,
                                                        guint                status,
                                                        const char          *content_type,
                                                        const char          *body);
void               relay_sandbox_reply_problem         (SoupServerMessage   *msg,
                                                        guint                status,
                                                        const char          *problem,
                                                        const char          *advice,
                                                        const char          *extra);
gboolean           relay_sandbox_collect_params        (SoupServerMessage   *msg,
                                                        GPtrArray           *params,
                                                        GError             **error);
gboolean           relay_sandbox_is_form               (SoupServerMessage   *msg);

const char        *relay_sandbox_verify                (RelaySandboxServer  *self,
                                                        SoupServerMessage   *msg,
                                                        GPtrArray           *params,
                                                        gboolean             need_token,
                                                        RelaySandboxTokenKind kind,
                                                        char               **token_out,
                                                        guint               *http_status,
                                                        char               **advice,
                                                        char               **extra);
gboolean           relay_sandbox_verify_or_reply       (RelaySandboxServer  *self,
                                                        SoupServerMessage   *msg,
                                                        GPtrArray           *params,
                                                        gboolean             need_token,
                                                        RelaySandboxTokenKind kind,
                                                        char               **token_out);
gboolean           relay_sandbox_has_oauth             (SoupServerMessage   *msg,
                                                        GPtrArray           *params);
gboolean           relay_sandbox_basic_credentials     (SoupServerMessage   *msg,
                                                        char               **key,
                                                        char               **secret);

void               relay_sandbox_handle_request_token  (RelaySandboxServer  *self,
                                                        SoupServerMessage   *msg,
                                                        gboolean             unconfirmed);
void               relay_sandbox_handle_access_token   (RelaySandboxServer  *self,
                                                        SoupServerMessage   *msg);
void               relay_sandbox_handle_authorize      (RelaySandboxServer  *self,
                                                        SoupServerMessage   *msg);
void               relay_sandbox_handle_sms            (RelaySandboxServer  *self,
                                                        SoupServerMessage   *msg);
void               relay_sandbox_handle_balance        (RelaySandboxServer  *self,
                                                        SoupServerMessage   *msg);
gboolean           relay_sandbox_authenticate_signed   (RelaySandboxServer  *self,
                                                        GPtrArray           *params,
                                                        char               **credential,
                                                        int                 *status,
                                                        const char         **error_text);
const char        *relay_sandbox_auth_name             (SoupServerMessage   *msg,
                                                        GPtrArray           *params);
void               relay_sandbox_handle_settings       (RelaySandboxServer  *self,
                                                        SoupServerMessage   *msg);
void               relay_sandbox_handle_reports        (RelaySandboxServer  *self,
                                                        SoupServerMessage   *msg);
void               relay_sandbox_reports_note          (RelaySandboxServer  *self,
                                                        const char          *id,
                                                        const char          *to,
                                                        const char          *client_ref,
                                                        const char          *price,
                                                        const char          *network);
void               relay_sandbox_report_free           (gpointer             data);
void               relay_sandbox_reply_throttled       (SoupServerMessage   *msg,
                                                        guint                wait_ms);

/* relay-sandbox-pricing.c */
gint64             relay_sandbox_pricing_part_price    (const char          *to,
                                                        const char         **network);
void               relay_sandbox_handle_full_pricing   (RelaySandboxServer  *self,
                                                        SoupServerMessage   *msg);
void               relay_sandbox_handle_country_pricing (RelaySandboxServer *self,
                                                        SoupServerMessage   *msg);
void               relay_sandbox_handle_prefix_pricing (RelaySandboxServer  *self,
                                                        SoupServerMessage   *msg);

G_END_DECLS
