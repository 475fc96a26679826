/* relay-store-message.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The life of one message to one recipient. */
typedef enum
{
  RELAY_MESSAGE_STATE_QUEUED,     /* recorded, not yet handed to the network */
  RELAY_MESSAGE_STATE_SENDING,    /* its request may be on the wire */
  RELAY_MESSAGE_STATE_SENT,       /* the provider accepted it */
  RELAY_MESSAGE_STATE_FAILED,     /* the provider refused it */
  RELAY_MESSAGE_STATE_NOT_SENT,   /* it never left: cancelled, discarded, skipped */
  RELAY_MESSAGE_STATE_UNCERTAIN,  /* it may have reached the provider; no answer came */
} RelayMessageState;

#define RELAY_MESSAGE_STATE_LAST RELAY_MESSAGE_STATE_UNCERTAIN

/* The longest client-ref Nexmo accepts. */
#define RELAY_CLIENT_REF_MAX 40

/**
 * RelayStoreMessage:
 *
 * One row of the history: one message to one recipient. Times are µs
 * since the epoch, 0 when not yet known; @price is the provider's decimal
 * string, never a float. Nothing in it is secret.
 */
typedef struct
{
  gint64             id;
  char              *account;
  char              *sender;
  char              *recipient;
  char              *text;
  char              *encoding;     /* "GSM-7" or "UCS-2" */
  guint              parts;
  char              *client_ref;
  char             **message_ids;
  char              *price;
  char              *currency;
  char              *network;
  int                status;       /* the Nexmo status, -1 when none came */
  char              *error;        /* the sentence, when not sent */
  RelayMessageState  state;
  char              *delivery;
  gint64             queued_at;
  gint64             sent_at;
  gint64             row;          /* the source row of a bulk send, 0 for none */
  gint64             delivery_at;  /* when @delivery was last learned, 0 for never */
} RelayStoreMessage;

#define RELAY_TYPE_STORE_MESSAGE (relay_store_message_get_type ())

GType              relay_store_message_get_type    (void) G_GNUC_CONST;
RelayStoreMessage *relay_store_message_new         (const char              *account,
                                                    const char              *sender,
                                                    const char              *recipient,
                                                    const char              *text);
RelayStoreMessage *relay_store_message_copy        (const RelayStoreMessage *self);
void               relay_store_message_free        (RelayStoreMessage       *self);

const char        *relay_message_state_to_string   (RelayMessageState        state);
gboolean           relay_message_state_from_string (const char              *text,
                                                    RelayMessageState       *state);

/* A fresh client-ref: "relay-" and 32 lowercase hex digits from the CSPRNG. */
char              *relay_client_ref_new            (void);
gboolean           relay_client_ref_is_valid       (const char              *client_ref);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayStoreMessage, relay_store_message_free)

G_END_DECLS
