/* relay-store-message.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "relay-store-message.h"

#include "relay-oauth1-signature.h"

G_DEFINE_BOXED_TYPE (RelayStoreMessage, relay_store_message,
                     relay_store_message_copy, relay_store_message_free)

/* The names of the states, as stored and as relay-cli prints them. */
static const char * const state_names[] = {
  [RELAY_MESSAGE_STATE_QUEUED] = "queued",
  [RELAY_MESSAGE_STATE_SENDING] = "sending",
  [RELAY_MESSAGE_STATE_SENT] = "sent",
  [RELAY_MESSAGE_STATE_FAILED] = "failed",
  [RELAY_MESSAGE_STATE_NOT_SENT] = "not-sent",
  [RELAY_MESSAGE_STATE_UNCERTAIN] = "uncertain",
};

G_STATIC_ASSERT (G_N_ELEMENTS (state_names) == RELAY_MESSAGE_STATE_LAST + 1);

/**
 * relay_store_message_new:
 *
 * A message not yet recorded: no id, state queued, no Nexmo status.
 */
RelayStoreMessage *
relay_store_message_new (const char *account,
                         const char *sender,
                         const char *recipient,
                         const char *text)
{
  RelayStoreMessage *self = g_new0 (RelayStoreMessage, 1);

  self->account = g_strdup (account);
  self->sender = g_strdup (sender);
  self->recipient = g_strdup (recipient);
  self->text = g_strdup (text);
  self->status = -1;
  self->state = RELAY_MESSAGE_STATE_QUEUED;

  return self;
}

RelayStoreMessage *
relay_store_message_copy (const RelayStoreMessage *self)
{
  RelayStoreMessage *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->account = g_strdup (self->account);
  copy->sender = g_strdup (self->sender);
  copy->recipient = g_strdup (self->recipient);
  copy->text = g_strdup (self->text);
  copy->encoding = g_strdup (self->encoding);
  copy->client_ref = g_strdup (self->client_ref);
  copy->message_ids = g_strdupv (self->message_ids);
  copy->price = g_strdup (self->price);
  copy->currency = g_strdup (self->currency);
  copy->network = g_strdup (self->network);
  copy->error = g_strdup (self->error);
  copy->delivery = g_strdup (self->delivery);

  return copy;
}

void
relay_store_message_free (RelayStoreMessage *self)
{
  if (self == NULL)
    return;

  g_free (self->account);
  g_free (self->sender);
  g_free (self->recipient);
  g_free (self->text);
  g_free (self->encoding);
  g_free (self->client_ref);
  g_strfreev (self->message_ids);
  g_free (self->price);
  g_free (self->currency);
  g_free (self->network);
  g_free (self->error);
  g_free (self->delivery);
  g_free (self);
}

const char *
relay_message_state_to_string (RelayMessageState state)
{
  g_return_val_if_fail (state <= RELAY_MESSAGE_STATE_LAST, NULL);

  return state_names[state];
}

gboolean
relay_message_state_from_string (const char        *text,
                                 RelayMessageState *state)
{
  g_return_val_if_fail (state != NULL, FALSE);

  if (text == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (state_names); i++)
    {
      if (g_str_equal (text, state_names[i]))
        {
          *state = (RelayMessageState) i;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * relay_client_ref_new:
 *
 * Returns: (transfer full): "relay-" and 128 bits from the kernel's
 *   CSPRNG as 32 hex digits: 38 characters, unique without a registry.
 */
char *
relay_client_ref_new (void)
{
  g_autofree char *random = relay_oauth1_make_nonce ();

  return g_strconcat ("relay-", random, NULL);
}

/* Nexmo takes up to 40 characters; Relay also keeps them printable and
 * free of anything a CSV or a terminal would treat specially. */
gboolean
relay_client_ref_is_valid (const char *client_ref)
{
  gsize len;

  if (client_ref == NULL)
    return FALSE;

  len = strlen (client_ref);
  if (len == 0 || len > RELAY_CLIENT_REF_MAX)
    return FALSE;

  for (const char *p = client_ref; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
        return FALSE;
    }

  return TRUE;
}
