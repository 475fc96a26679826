/* relay-sandbox-sms.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sandbox's REST side: /sms/json and /account/get-balance, answered
 * the way Nexmo answers, with a per-credential rate limit and a message
 * log of one JSON line per accepted message.
 */

#define G_LOG_DOMAIN "Relay"

#include <errno.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#include "relay-oauth1-params.h"
#include "relay-oauth1-signature.h"
#include "relay-sandbox-private.h"
#include "relay-sms-text.h"

/* Arrival times on a busy loopback jitter by a few milliseconds; a client
 * that paces itself at the limit must not be throttled for that. */
#define RATE_WINDOW_USEC (G_USEC_PER_SEC - 50 * 1000)

#define MAX_CLIENT_REF 100

typedef enum
{
  STATUS_OK = 0,
  STATUS_THROTTLED = 1,
  STATUS_MISSING_PARAMS = 2,
  STATUS_INVALID_PARAMS = 3,
  STATUS_INVALID_CREDENTIALS = 4,
  STATUS_INVALID_MESSAGE = 6,
  STATUS_QUOTA_EXCEEDED = 9,
  STATUS_MESSAGE_TOO_LONG = 12,
  STATUS_INVALID_SENDER = 15,
} SmsStatus;

static char *
format_amount (gint64 units)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT ".%08" G_GINT64_FORMAT,
                          units / RELAY_SANDBOX_UNITS_PER_EUR,
                          units % RELAY_SANDBOX_UNITS_PER_EUR);
}

static void
reply_json (SoupServerMessage *msg,
            guint              http_status,
            JsonBuilder       *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  relay_sandbox_reply (msg, http_status, "application/json", text);
}

static void
reply_sms_error (SoupServerMessage *msg,
                 SmsStatus          status,
                 const char        *error_text)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *code = g_strdup_printf ("%d", status);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "message-count");
  json_builder_add_string_value (builder, "1");
  json_builder_set_member_name (builder, "messages");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "error-text");
  json_builder_add_string_value (builder, error_text);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  g_debug ("sandbox: SMS refused with status %d", status);
  reply_json (msg, SOUP_STATUS_OK, builder);
}

/**
 * relay_sandbox_reply_throttled:
 * @wait_ms: milliseconds until the client may send again
 *
 * Nexmo's status 1 answer.
 */
void
relay_sandbox_reply_throttled (SoupServerMessage *msg,
                               guint              wait_ms)
{
  g_autofree char *text = g_strdup_printf ("Throughput Rate Exceeded - please wait [ %u ] and retry",
                                           wait_ms);

  reply_sms_error (msg, STATUS_THROTTLED, text);
}

/* A sliding one-second window of accepted requests per credential. */
static gboolean
rate_allow (RelaySandboxServer *self,
            const char         *credential,
            guint              *wait_ms)
{
  gint64 now = relay_clock_get_now (self->clock);
  GQueue *window;
  gint64 *stamp;

  if (self->rate_limit == 0)
    return TRUE;

  window = g_hash_table_lookup (self->windows, credential);
  if (window == NULL)
    {
      window = g_queue_new ();
      g_hash_table_insert (self->windows, g_strdup (credential), window);
    }

  while (!g_queue_is_empty (window) && *(gint64 *) g_queue_peek_head (window) <= now - RATE_WINDOW_USEC)
    g_free (g_queue_pop_head (window));

  if (g_queue_get_length (window) >= self->rate_limit)
    {
      gint64 wait = *(gint64 *) g_queue_peek_head (window) + RATE_WINDOW_USEC - now;

      *wait_ms = MAX (1, (guint) ((wait + 999) / 1000));
      return FALSE;
    }

  stamp = g_new (gint64, 1);
  *stamp = now;
  g_queue_push_tail (window, stamp);

  return TRUE;
}

/*
 * Authenticates an SMS or balance request. On success @credential names
 * the caller for the rate limit. On failure an answer is already set when
 * OAuth failed, otherwise @status says which SMS status to answer.
 */
static gboolean
authenticate (RelaySandboxServer  *self,
              SoupServerMessage   *msg,
              GPtrArray           *params,
              char               **credential,
              SmsStatus           *status,
              const char         **error_text)
{
  g_autofree char *key = NULL;
  g_autofree char *secret = NULL;

  *credential = NULL;

  if (relay_sandbox_has_oauth (msg, params))
    {
      g_autofree char *token = NULL;

      if (!relay_sandbox_verify_or_reply (self, msg, params, TRUE, RELAY_SANDBOX_TOKEN_ACCESS, &token))
        {
          *error_text = NULL;
          return FALSE;
        }

      *credential = g_strconcat ("oauth:", token, NULL);
      return TRUE;
    }

  if (!relay_sandbox_basic_credentials (msg, &key, &secret))
    {
      if (relay_params_get (params, "api_key") == NULL)
        {
          *status = STATUS_MISSING_PARAMS;
          *error_text = "Missing api_key";
          return FALSE;
        }
      if (relay_params_get (params, "api_secret") == NULL)
        {
          *status = STATUS_MISSING_PARAMS;
          *error_text = "Missing api_secret";
          return FALSE;
        }
      key = g_strdup (relay_params_get (params, "api_key"));
      secret = g_strdup (relay_params_get (params, "api_secret"));
    }

  /* Evaluate both comparisons: no early exit on the key alone. */
  if (!(relay_constant_time_equal (key, self->api_key) &
        relay_constant_time_equal (secret, self->api_secret)))
    {
      *status = STATUS_INVALID_CREDENTIALS;
      *error_text = "Bad Credentials";
      return FALSE;
    }

  *credential = g_strconcat ("api:", key, NULL);
  return TRUE;
}

/* E.164 digits, an optional leading '+' dropped. */
static char *
normalize_number (const char *text,
                  guint       min,
                  guint       max)
{
  gsize len;

  if (*text == '+')
    text++;
  len = strlen (text);
  if (len < min || len > max)
    return NULL;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (text[i]))
      return NULL;

  return g_strdup (text);
}

static gboolean
valid_sender (const char *from)
{
  g_autofree char *number = normalize_number (from, 1, 15);
  guint alnum = 0;
  gboolean letter = FALSE;

  if (number != NULL)
    return TRUE;

  /* Alphanumeric sender IDs: spaces are ignored, at most 11 characters. */
  for (const char *p = from; *p != '\0'; p++)
    {
      if (*p == ' ')
        continue;
      if (!g_ascii_isalnum (*p))
        return FALSE;
      letter |= g_ascii_isalpha (*p);
      alnum++;
    }

  return letter && alnum >= 1 && alnum <= 11;
}

/*
 * Parts as the network sends them. type=text sends GSM-7: characters
 * outside it arrive as '?', so they are counted as such. type=unicode
 * sends UCS-2 even for plain GSM-7 text.
 */
static guint
count_parts (const char *text,
             gboolean    unicode)
{
  g_auto(GStrv) parts = NULL;
  RelaySmsInfo info;

  if (!unicode)
    {
      GString *gsm = g_string_new (NULL);

      for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);

          if (relay_sms_text_is_gsm7 (c, NULL))
            g_string_append_unichar (gsm, c);
          else
            g_string_append_c (gsm, '?');
        }
      parts = relay_sms_text_split (gsm->str, &info);
      g_string_free (gsm, TRUE);
      return g_strv_length (parts);
    }

  parts = relay_sms_text_split (text, &info);
  if (info.encoding == RELAY_SMS_ENCODING_UCS2)
    return g_strv_length (parts);
  else
    {
      glong units = 0;

      g_free (g_utf8_to_utf16 (text, -1, NULL, &units, NULL));
      return units <= 70 ? 1 : (guint) ((units + 66) / 67);
    }
}

static char *
new_message_id (RelaySandboxServer *self)
{
  for (;;)
    {
      g_autofree char *nonce = relay_oauth1_make_nonce ();
      char *id = g_ascii_strup (nonce, 16);

      if (!g_hash_table_contains (self->message_ids, id))
        {
          g_hash_table_add (self->message_ids, g_strdup (id));
          return id;
        }
      g_free (id);
    }
}

static void
log_message (RelaySandboxServer *self,
             const char         *first_id,
             const char         *to,
             const char         *from,
             const char         *text,
             const char         *type,
             const char         *client_ref,
             const char         *auth,
             guint               parts,
             gint64              price)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *price_text = format_amount (price);
  g_autofree char *line = NULL;
  gsize len, done = 0;

  if (self->messages_fd < 0)
    return;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "message-id");
  json_builder_add_string_value (builder, first_id);
  json_builder_set_member_name (builder, "to");
  json_builder_add_string_value (builder, to);
  json_builder_set_member_name (builder, "from");
  json_builder_add_string_value (builder, from);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, text);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);
  json_builder_set_member_name (builder, "client-ref");
  if (client_ref != NULL)
    json_builder_add_string_value (builder, client_ref);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "auth");
  json_builder_add_string_value (builder, auth);
  json_builder_set_member_name (builder, "part");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "parts");
  json_builder_add_int_value (builder, parts);
  json_builder_set_member_name (builder, "price");
  json_builder_add_string_value (builder, price_text);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  line = json_generator_to_data (generator, &len);
  line = g_realloc (line, len + 2);
  line[len++] = '\n';
  line[len] = '\0';

  /* One write(2) on an O_APPEND descriptor: lines never interleave. */
  while (done < len)
    {
      ssize_t n = write (self->messages_fd, line + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          g_warning ("Cannot write to the messages file: %s", g_strerror (errno));
          return;
        }
      done += n;
    }
}

/* The checks in the order Nexmo reports them. */
static SmsStatus
validate (GPtrArray   *params,
          char       **to,
          const char **error_text)
{
  const char *from = relay_params_get (params, "from");
  const char *to_param = relay_params_get (params, "to");
  const char *text = relay_params_get (params, "text");
  const char *type = relay_params_get (params, "type");
  const char *client_ref = relay_params_get (params, "client-ref");

  *to = NULL;

#define REFUSE(status, message) G_STMT_START { *error_text = message; return status; } G_STMT_END

  if (from == NULL || *from == '\0')
    REFUSE (STATUS_MISSING_PARAMS, "Missing from param");
  if (to_param == NULL || *to_param == '\0')
    REFUSE (STATUS_MISSING_PARAMS, "Missing to param");
  if (type != NULL && strcmp (type, "text") != 0 && strcmp (type, "unicode") != 0)
    REFUSE (STATUS_INVALID_PARAMS, "Invalid message type");
  if (text == NULL)
    REFUSE (STATUS_MISSING_PARAMS, "Missing text param");
  if (!(*to = normalize_number (to_param, 7, 15)))
    REFUSE (STATUS_INVALID_PARAMS, "Invalid to address");
  if (client_ref != NULL &&
      (!g_utf8_validate (client_ref, -1, NULL) || g_utf8_strlen (client_ref, -1) > MAX_CLIENT_REF))
    REFUSE (STATUS_INVALID_PARAMS, "Invalid client-ref param");
  if (!g_utf8_validate (from, -1, NULL) || !valid_sender (from))
    REFUSE (STATUS_INVALID_SENDER, "Illegal Sender Address - rejected");
  if (*text == '\0' || !g_utf8_validate (text, -1, NULL))
    REFUSE (STATUS_INVALID_MESSAGE, "Invalid Message");
  if (g_utf8_strlen (text, -1) > RELAY_SANDBOX_MAX_CHARACTERS)
    REFUSE (STATUS_MESSAGE_TOO_LONG, "Message too long");

#undef REFUSE

  return STATUS_OK;
}

void
relay_sandbox_handle_sms (RelaySandboxServer *self,
                          SoupServerMessage  *msg)
{
  g_autoptr(GPtrArray) params = relay_params_new ();
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *credential = NULL;
  g_autofree char *to = NULL;
  g_autofree char *first_id = NULL;
  g_autofree char *count_text = NULL;
  const char *error_text = NULL;
  const char *from, *text, *type, *client_ref;
  gboolean unicode;
  SmsStatus status;
  guint wait_ms = 0;
  guint parts;
  gint64 price;
  gint64 part_price;
  const char *network;

  if (!relay_sandbox_collect_params (msg, params, &error))
    {
      reply_sms_error (msg, STATUS_INVALID_PARAMS, "Malformed request parameters");
      return;
    }

  if (relay_params_get (params, "sig") != NULL && !relay_sandbox_has_oauth (msg, params))
    {
      int sig_status;

      if (!relay_sandbox_authenticate_signed (self, params, &credential, &sig_status, &error_text))
        {
          reply_sms_error (msg, (SmsStatus) sig_status, error_text);
          return;
        }
    }
  else if (!authenticate (self, msg, params, &credential, &status, &error_text))
    {
      if (error_text != NULL)
        reply_sms_error (msg, status, error_text);
      return;
    }

  if (!rate_allow (self, credential, &wait_ms))
    {
      relay_sandbox_reply_throttled (msg, wait_ms);
      return;
    }

  from = relay_params_get (params, "from");
  text = relay_params_get (params, "text");
  type = relay_params_get (params, "type");
  client_ref = relay_params_get (params, "client-ref");
  if (type == NULL)
    type = "text";

  status = validate (params, &to, &error_text);
  if (status != STATUS_OK)
    {
      reply_sms_error (msg, status, error_text);
      return;
    }

  unicode = strcmp (type, "unicode") == 0;
  parts = count_parts (text, unicode);
  part_price = relay_sandbox_pricing_part_price (to, &network);
  price = part_price * parts;
  if (price > self->balance)
    {
      reply_sms_error (msg, STATUS_QUOTA_EXCEEDED, "Partner quota exceeded");
      return;
    }

  builder = json_builder_new ();
  count_text = g_strdup_printf ("%u", parts);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "message-count");
  json_builder_add_string_value (builder, count_text);
  json_builder_set_member_name (builder, "messages");
  json_builder_begin_array (builder);

  for (guint i = 0; i < parts; i++)
    {
      g_autofree char *id = new_message_id (self);
      g_autofree char *remaining = NULL;
      g_autofree char *part_price_text = format_amount (part_price);

      self->balance -= part_price;
      remaining = format_amount (self->balance);
      if (first_id == NULL)
        first_id = g_strdup (id);
      relay_sandbox_reports_note (self, id, to, client_ref, part_price_text, network);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "to");
      json_builder_add_string_value (builder, to);
      json_builder_set_member_name (builder, "message-id");
      json_builder_add_string_value (builder, id);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, "0");
      json_builder_set_member_name (builder, "remaining-balance");
      json_builder_add_string_value (builder, remaining);
      json_builder_set_member_name (builder, "message-price");
      json_builder_add_string_value (builder, part_price_text);
      json_builder_set_member_name (builder, "network");
      json_builder_add_string_value (builder, network);
      if (client_ref != NULL)
        {
          json_builder_set_member_name (builder, "client-ref");
          json_builder_add_string_value (builder, client_ref);
        }
      json_builder_end_object (builder);
    }

  json_builder_end_array (builder);
  json_builder_end_object (builder);

  self->message_count++;
  log_message (self, first_id, to, from, text, type, client_ref,
               relay_sandbox_auth_name (msg, params), parts, price);
  g_debug ("sandbox: accepted a message of %u part(s)", parts);

  reply_json (msg, SOUP_STATUS_OK, builder);
}

static char *
format_balance_value (gint64 units)
{
  g_autofree char *text = format_amount (units);
  gsize len = strlen (text);

  /* 9.93340000 → 9.9334, 10.00000000 → 10.0 */
  while (len > 0 && text[len - 1] == '0' && text[len - 2] != '.')
    text[--len] = '\0';

  return g_steal_pointer (&text);
}

void
relay_sandbox_handle_balance (RelaySandboxServer *self,
                              SoupServerMessage  *msg)
{
  g_autoptr(GPtrArray) params = relay_params_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *credential = NULL;
  g_autofree char *value = NULL;
  g_autofree char *body = NULL;
  const char *error_text = NULL;
  SmsStatus status;

  if (!relay_sandbox_collect_params (msg, params, &error) ||
      !authenticate (self, msg, params, &credential, &status, &error_text))
    {
      if (soup_server_message_get_status (msg) == 0)
        relay_sandbox_reply (msg, SOUP_STATUS_UNAUTHORIZED, "application/json",
                             "{\"error-code\":\"401\",\"error-code-label\":\"authentication failed\"}");
      return;
    }

  value = format_balance_value (self->balance);
  body = g_strdup_printf ("{\"value\":%s,\"autoReload\":false}", value);
  relay_sandbox_reply (msg, SOUP_STATUS_OK, "application/json", body);
}
