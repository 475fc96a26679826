/* relay-test-messages.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a send reported, recipient by recipient, against what the
 * sandbox accepted (its --messages log). Header-only, so that the core,
 * cli and ui tests share it without a library of their own.
 */

#pragma once

#include <json-glib/json-glib.h>
#include <string.h>

#include "relay-nexmo-client.h"

/* The log's entries (one JSON object per accepted message). */
static inline GPtrArray *
relay_test_messages_read_log (const char *path)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return entries;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      JsonNode *node;

      if (*lines[i] == '\0')
        continue;
      node = json_from_string (lines[i], &error);
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      g_ptr_array_add (entries, node);
    }

  return entries;
}

static inline gboolean
relay_test_messages_state_from_string (const char    *name,
                                       RelaySmsState *state)
{
  for (RelaySmsState s = RELAY_SMS_STATE_QUEUED; s <= RELAY_SMS_STATE_UNCERTAIN; s++)
    if (g_strcmp0 (relay_sms_state_to_string (s), name) == 0)
      {
        *state = s;
        return TRUE;
      }

  return FALSE;
}

/* The log entry of @outcome: by client-ref when it has one, else by
 * recipient (the tests never send twice to one number). */
static inline JsonObject *
relay_test_messages_find (GPtrArray            *entries,
                          const RelaySmsResult *outcome)
{
  JsonObject *found = NULL;

  for (guint i = 0; i < entries->len; i++)
    {
      JsonObject *entry = json_node_get_object (g_ptr_array_index (entries, i));
      const char *key = outcome->client_ref != NULL ? "client-ref" : "to";
      const char *want = outcome->client_ref != NULL ? outcome->client_ref : outcome->to;

      if (g_strcmp0 (json_object_get_string_member_with_default (entry, key, NULL), want) == 0)
        {
          /* Each message is in the log once at most. */
          g_assert_null (found);
          found = entry;
        }
    }

  return found;
}

/**
 * relay_test_messages_compare:
 * @log_path: the sandbox's --messages file, fresh for this send
 * @outcomes: (element-type RelaySmsResult): one per recipient, with
 *   @to, @state, the first message id when sent, and @client_ref when
 *   the caller shows it
 * @counts: (out caller-allocates) (array fixed-size=6): outcomes per
 *   #RelaySmsState
 *
 * Message by message: every accepted message (in the log) is shown as
 * sent with its id, or as may-have-been-sent; nothing shown as sent is
 * missing from the log; nothing not sent or failed is in it.
 */
static inline void
relay_test_messages_compare (const char *log_path,
                             GPtrArray  *outcomes,
                             guint       counts[RELAY_SMS_STATE_UNCERTAIN + 1])
{
  g_autoptr(GPtrArray) entries = relay_test_messages_read_log (log_path);
  guint matched = 0;

  memset (counts, 0, sizeof (guint) * (RELAY_SMS_STATE_UNCERTAIN + 1));

  for (guint i = 0; i < outcomes->len; i++)
    {
      const RelaySmsResult *outcome = g_ptr_array_index (outcomes, i);
      JsonObject *entry = relay_test_messages_find (entries, outcome);

      g_test_message ("%s (%s): %s%s", outcome->to,
                      outcome->client_ref != NULL ? outcome->client_ref : "no client-ref",
                      relay_sms_state_to_string (outcome->state),
                      entry != NULL ? ", in the log" : "");
      g_assert_true (relay_sms_state_is_final (outcome->state));
      counts[outcome->state]++;

      switch (outcome->state)
        {
        case RELAY_SMS_STATE_SENT:
          g_assert_nonnull (entry);
          g_assert_cmpstr (json_object_get_string_member (entry, "to"), ==, outcome->to);
          g_assert_nonnull (outcome->message_ids);
          g_assert_cmpstr (json_object_get_string_member (entry, "message-id"), ==, outcome->message_ids[0]);
          break;

        case RELAY_SMS_STATE_FAILED:
        case RELAY_SMS_STATE_NOT_SENT:
          g_assert_null (entry);
          break;

        case RELAY_SMS_STATE_UNCERTAIN:
        default:
          break;
        }

      matched += entry != NULL;
    }

  /* Nothing in the log that no recipient accounts for. */
  g_assert_cmpuint (matched, ==, entries->len);
}
