/* relay-nexmo-parse.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "relay-json-guard.h"
#include "relay-nexmo-client.h"
#include "relay-text-sanitize.h"

/* More elements than this in one answer is not an SMS answer: Nexmo caps
 * concatenated messages far below it. */
#define MAX_PARTS 255

/* Provider-supplied text quoted in a sentence is cut to this length. */
#define MAX_QUOTED 160

G_DEFINE_QUARK (relay-nexmo-error-quark, relay_nexmo_error)

static const struct {
  int         status;
  const char *sentence;
} statuses[] = {
  { 0, N_("The message was accepted.") },
  { 1, N_("The provider is receiving messages faster than your account allows; wait a moment and send again.") },
  { 2, N_("The request lacked a required parameter.") },
  { 3, N_("A parameter of the request was not valid.") },
  { 4, N_("The provider did not accept the credentials; sign in again.") },
  { 5, N_("The provider had an internal error; the message may not have been sent.") },
  { 6, N_("The provider could not process the message.") },
  { 7, N_("The destination number is barred.") },
  { 8, N_("The account is suspended; contact the provider’s support.") },
  { 9, N_("The account does not have enough credit left to send this message.") },
  { 11, N_("The account is not enabled for the REST API.") },
  { 12, N_("The message is too long.") },
  { 14, N_("The request signature was not valid.") },
  { 15, N_("The sender address is not allowed for this account.") },
  { 22, N_("The network code is not valid or not supported.") },
  { 23, N_("The callback URL is not valid.") },
  { 29, N_("The destination number is not on the account’s list of allowed test numbers.") },
  { 32, N_("The account does not allow both a signature and the API secret in one request.") },
  { 33, N_("The destination number has been deactivated and no longer accepts messages.") },
};

static const char *
lookup_sentence (int status)
{
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    if (statuses[i].status == status)
      return statuses[i].sentence;

  return NULL;
}

/**
 * relay_nexmo_status_is_known:
 * @status: a Nexmo SMS status code
 *
 * Returns: %TRUE when Relay has a sentence of its own for @status
 */
gboolean
relay_nexmo_status_is_known (int status)
{
  return lookup_sentence (status) != NULL;
}

/**
 * relay_nexmo_status_describe:
 * @status: a Nexmo SMS status code
 *
 * Returns: (transfer none): one translated sentence for @status; for a
 *   number Relay does not know, a sentence that says so (the error from
 *   relay_nexmo_status_to_error() names the number)
 */
const char *
relay_nexmo_status_describe (int status)
{
  const char *sentence = lookup_sentence (status);

  if (sentence == NULL)
    return _("The provider refused the message with a status Relay does not know.");

  return _(sentence);
}

/**
 * relay_nexmo_status_to_error:
 * @status: a non-zero Nexmo SMS status code
 * @error_text: (nullable): the provider's error-text
 *
 * Returns: (transfer full): a RELAY_NEXMO_ERROR whose code is @status (or
 *   %RELAY_NEXMO_ERROR_UNKNOWN) and whose message names the status, its
 *   meaning and, briefly, what the provider said
 */
GError *
relay_nexmo_status_to_error (int         status,
                             const char *error_text)
{
  const char *sentence = relay_nexmo_status_describe (status);
  g_autofree char *quoted = NULL;
  int code = relay_nexmo_status_is_known (status) && status != 0 ? status : RELAY_NEXMO_ERROR_UNKNOWN;

  if (error_text != NULL && *error_text != '\0')
    {
      GString *clean = g_string_new (NULL);

      /* Quote printable text only, and not too much of it. */
      for (const char *p = error_text; *p != '\0' && clean->len < MAX_QUOTED; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char_validated (p, -1);

          if (c == (gunichar) -1 || c == (gunichar) -2)
            break;
          g_string_append_unichar (clean, g_unichar_isprint (c) ? c : ' ');
        }
      quoted = g_string_free (clean, FALSE);
    }

  if (code == RELAY_NEXMO_ERROR_UNKNOWN)
    {
      if (quoted != NULL)
        return g_error_new (RELAY_NEXMO_ERROR, code,
                            _("Nexmo status %d is not one Relay knows; the provider said “%s”."),
                            status, quoted);
      return g_error_new (RELAY_NEXMO_ERROR, code,
                          _("Nexmo status %d is not one Relay knows; the message was not confirmed as sent."),
                          status);
    }

  if (quoted != NULL)
    return g_error_new (RELAY_NEXMO_ERROR, code, _("Nexmo status %d: %s (“%s”)"),
                        status, sentence, quoted);

  return g_error_new (RELAY_NEXMO_ERROR, code, _("Nexmo status %d: %s"), status, sentence);
}

/**
 * relay_nexmo_parse_throttle_wait:
 * @error_text: (nullable): an error-text such as
 *   "Throughput Rate Exceeded - please wait [ 250 ] and retry"
 *
 * Returns: the wait the text names in milliseconds, or -1 when it names none
 */
gint64
relay_nexmo_parse_throttle_wait (const char *error_text)
{
  const char *open;
  const char *close;
  g_autofree char *inner = NULL;
  guint64 ms;

  if (error_text == NULL || !(open = strchr (error_text, '[')) || !(close = strchr (open, ']')))
    return -1;

  inner = g_strstrip (g_strndup (open + 1, close - open - 1));
  if (!g_ascii_string_to_unsigned (inner, 10, 0, 24 * 3600 * 1000, &ms, NULL))
    return -1;

  return (gint64) ms;
}

void
relay_sms_result_free (RelaySmsResult *result)
{
  if (result == NULL)
    return;

  g_free (result->to);
  g_strfreev (result->message_ids);
  g_free (result->network);
  g_free (result->client_ref);
  g_clear_error (&result->error);
  g_free (result);
}

/**
 * relay_sms_result_copy:
 * @result: a result
 *
 * Returns: (transfer full): a deep copy of @result
 */
RelaySmsResult *
relay_sms_result_copy (const RelaySmsResult *result)
{
  RelaySmsResult *copy;

  g_return_val_if_fail (result != NULL, NULL);

  copy = g_memdup2 (result, sizeof *result);
  copy->to = g_strdup (result->to);
  copy->message_ids = g_strdupv (result->message_ids);
  copy->network = g_strdup (result->network);
  copy->client_ref = g_strdup (result->client_ref);
  copy->error = result->error != NULL ? g_error_copy (result->error) : NULL;

  return copy;
}

/**
 * relay_sms_state_to_string:
 * @state: a #RelaySmsState
 *
 * Returns: the state's name: "queued", "sending", "sent", "failed",
 *   "not-sent" or "uncertain" (not translated: for JSON and the store)
 */
const char *
relay_sms_state_to_string (RelaySmsState state)
{
  switch (state)
    {
    case RELAY_SMS_STATE_QUEUED:
      return "queued";
    case RELAY_SMS_STATE_SENDING:
      return "sending";
    case RELAY_SMS_STATE_SENT:
      return "sent";
    case RELAY_SMS_STATE_FAILED:
      return "failed";
    case RELAY_SMS_STATE_NOT_SENT:
      return "not-sent";
    case RELAY_SMS_STATE_UNCERTAIN:
      return "uncertain";
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * relay_sms_state_is_final:
 *
 * Returns: %TRUE when @state no longer changes
 */
gboolean
relay_sms_state_is_final (RelaySmsState state)
{
  return state != RELAY_SMS_STATE_QUEUED && state != RELAY_SMS_STATE_SENDING;
}

static gboolean
malformed (GError     **error,
           const char  *detail)
{
  g_set_error (error, RELAY_NEXMO_ERROR, RELAY_NEXMO_ERROR_MALFORMED,
               _("The provider’s answer could not be read: %s"), detail);
  return FALSE;
}

/* Nexmo sends every value as a JSON string; this returns it, or NULL
 * (with @error set) when the member is absent and @required, or not a
 * string. */
static gboolean
get_string (JsonObject  *object,
            const char  *name,
            gboolean     required,
            const char **out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autofree char *detail = NULL;

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (!required)
        return TRUE;
      detail = g_strdup_printf (_("“%s” is missing."), name);
      return malformed (error, detail);
    }

  /* json-glib 1.6 turns a lone surrogate escape ("\ud83d") into bytes
   * that are not UTF-8: such a value is no string either. */
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
      !g_utf8_validate (json_node_get_string (node), -1, NULL))
    {
      detail = g_strdup_printf (_("“%s” is not a string."), name);
      return malformed (error, detail);
    }

  *out = json_node_get_string (node);
  return TRUE;
}

/* Amounts larger than this are no SMS price or balance. */
#define MAX_AMOUNT 1e12
#define MAX_AMOUNT_DIGITS 32

/* A decimal as Nexmo writes amounts: "0.03330000", "-1.5". Nothing that
 * strtod would also take: no exponent, hex float, "inf", "nan", spaces or
 * leading "+". */
static gboolean
parse_decimal (const char *text,
               gboolean    allow_negative,
               double     *out)
{
  const char *p = text;
  double value;

  if (text == NULL || strlen (text) > MAX_AMOUNT_DIGITS)
    return FALSE;

  if (*p == '-')
    {
      if (!allow_negative)
        return FALSE;
      p++;
    }

  if (!g_ascii_isdigit (*p))
    return FALSE;
  while (g_ascii_isdigit (*p))
    p++;
  if (*p == '.')
    {
      p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
    }
  if (*p != '\0')
    return FALSE;

  value = g_ascii_strtod (text, NULL);
  if (!isfinite (value) || fabs (value) > MAX_AMOUNT)
    return FALSE;

  *out = value;
  return TRUE;
}

static gboolean
get_count (JsonObject  *object,
           const char  *name,
           guint64      max,
           guint64     *out,
           GError     **error)
{
  const char *text;

  if (!get_string (object, name, TRUE, &text, error))
    return FALSE;

  if (!g_ascii_string_to_unsigned (text, 10, 0, max, out, NULL))
    {
      g_autofree char *detail = g_strdup_printf (_("“%s” is not a number."), name);
      return malformed (error, detail);
    }

  return TRUE;
}

static JsonNode *
parse_root (const char  *json,
            gssize       len,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;

  /* The guard refuses deep nesting, NUL and non-UTF-8 before json-glib
   * runs; its message is the clause after "could not be read:". */
  if (!(root = relay_json_guard_parse (json, len, &local_error)))
    {
      malformed (error, local_error->message);
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      malformed (error, _("it is not a JSON object."));
      return NULL;
    }

  return g_steal_pointer (&root);
}

/* Nexmo's ids are 16 to 36 hex digits and dashes; networks are an MCC
 * and MNC; numbers are international, without "+". */
#define MAX_MESSAGE_ID 64
#define MAX_NETWORK_DIGITS 8
#define MAX_NUMBER_DIGITS 20
/* Nexmo takes client-refs of up to 100 characters; Relay's own are
 * letters, digits and dashes. */
#define MAX_CLIENT_REF 100
#define CLIENT_REF_EXTRA "-_.:@+/=~"

static gboolean
is_digits (const char *text,
           gsize       max_len)
{
  gsize len = strlen (text);

  if (len == 0 || len > max_len)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;

  return TRUE;
}

static gboolean
bad_field (GError     **error,
           const char  *name)
{
  g_autofree char *detail = g_strdup_printf (_("“%s” is not valid."), name);

  return malformed (error, detail);
}

/**
 * relay_nexmo_parse_sms_answer:
 * @json: the body of a /sms/json answer
 * @len: its length, or -1 when nul-terminated
 * @error: a #GError
 *
 * Reads an SMS answer, one element per part. The parts that were
 * accepted are summed (ids, count, price; the remaining balance is the
 * last part's); the first part that was refused becomes the result's
 * @error, with its status in @status (and, for status 1, the wait the
 * provider named in @retry_after_ms).
 *
 * Returns: (transfer full) (nullable): the result, or %NULL with
 *   %RELAY_NEXMO_ERROR_MALFORMED when the answer is not a well-formed
 *   SMS answer (not JSON, cut short, wrong types, counts that disagree)
 */
RelaySmsResult *
relay_nexmo_parse_sms_answer (const char  *json,
                              gssize       len,
                              GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(RelaySmsResult) result = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  JsonObject *object;
  JsonNode *messages;
  JsonArray *array;
  guint64 count;

  if (!(root = parse_root (json, len, error)))
    return NULL;

  object = json_node_get_object (root);
  if (!get_count (object, "message-count", MAX_PARTS, &count, error))
    return NULL;

  messages = json_object_get_member (object, "messages");
  if (messages == NULL || !JSON_NODE_HOLDS_ARRAY (messages))
    {
      malformed (error, _("“messages” is not a list."));
      return NULL;
    }

  array = json_node_get_array (messages);
  if (count == 0 || json_array_get_length (array) != count)
    {
      malformed (error, _("“message-count” does not match the messages."));
      return NULL;
    }

  result = g_new0 (RelaySmsResult, 1);
  result->retry_after_ms = -1;
  ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < count; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *part;
      const char *to, *message_id, *balance, *price, *network, *client_ref, *error_text;
      guint64 status;
      double value;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          malformed (error, _("a message is not a JSON object."));
          return NULL;
        }
      part = json_node_get_object (node);

      if (!get_count (part, "status", G_MAXINT, &status, error) ||
          !get_string (part, "to", FALSE, &to, error) ||
          !get_string (part, "client-ref", FALSE, &client_ref, error) ||
          !get_string (part, "error-text", FALSE, &error_text, error) ||
          !get_string (part, "network", FALSE, &network, error))
        return NULL;

      if (network != NULL && *network == '\0')
        network = NULL;
      if (client_ref != NULL && *client_ref == '\0')
        client_ref = NULL;

      /* What is printed and stored must look like what it is: digits for
       * numbers and networks, a short token for ids and references. */
      if (to != NULL && !is_digits (to, MAX_NUMBER_DIGITS))
        {
          bad_field (error, "to");
          return NULL;
        }
      if (network != NULL && !is_digits (network, MAX_NETWORK_DIGITS))
        {
          bad_field (error, "network");
          return NULL;
        }
      if (client_ref != NULL && !relay_text_is_token (client_ref, MAX_CLIENT_REF, CLIENT_REF_EXTRA))
        {
          bad_field (error, "client-ref");
          return NULL;
        }

      if (to != NULL)
        {
          if (result->to != NULL && strcmp (result->to, to) != 0)
            {
              malformed (error, _("the parts name different recipients."));
              return NULL;
            }
          if (result->to == NULL)
            result->to = g_strdup (to);
        }
      if (client_ref != NULL && result->client_ref == NULL)
        result->client_ref = g_strdup (client_ref);

      if (status != 0)
        {
          if (result->error == NULL)
            {
              result->status = (int) status;
              result->error = relay_nexmo_status_to_error ((int) status, error_text);
              if (status == RELAY_NEXMO_ERROR_THROTTLED)
                result->retry_after_ms = relay_nexmo_parse_throttle_wait (error_text);
            }
          continue;
        }

      if (!get_string (part, "message-id", TRUE, &message_id, error) ||
          !get_string (part, "remaining-balance", TRUE, &balance, error) ||
          !get_string (part, "message-price", TRUE, &price, error))
        return NULL;

      if (!relay_text_is_token (message_id, MAX_MESSAGE_ID, "-"))
        {
          bad_field (error, "message-id");
          return NULL;
        }
      g_ptr_array_add (ids, g_strdup (message_id));

      if (!parse_decimal (price, FALSE, &value))
        {
          bad_field (error, "message-price");
          return NULL;
        }
      result->price += value;

      if (!parse_decimal (balance, TRUE, &value))
        {
          bad_field (error, "remaining-balance");
          return NULL;
        }
      result->remaining_balance = value;

      if (network != NULL && result->network == NULL)
        result->network = g_strdup (network);
      result->parts++;
    }

  g_ptr_array_add (ids, NULL);
  result->message_ids = (char **) g_ptr_array_free (g_steal_pointer (&ids), FALSE);
  result->state = result->error == NULL ? RELAY_SMS_STATE_SENT : RELAY_SMS_STATE_FAILED;

  return g_steal_pointer (&result);
}

/**
 * relay_nexmo_parse_balance:
 * @json: the body of a /account/get-balance answer
 * @len: its length, or -1 when nul-terminated
 * @balance: (out): the balance
 * @error: a #GError
 *
 * Reads `{"value": 3.14, "autoReload": false}`.
 *
 * Returns: %TRUE on success, else %RELAY_NEXMO_ERROR_MALFORMED
 */
gboolean
relay_nexmo_parse_balance (const char    *json,
                           gssize         len,
                           RelayBalance  *balance,
                           GError       **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonNode *value;
  JsonNode *auto_reload;
  GType type;

  g_return_val_if_fail (balance != NULL, FALSE);

  if (!(root = parse_root (json, len, error)))
    return FALSE;

  object = json_node_get_object (root);
  value = json_object_get_member (object, "value");
  if (value == NULL || !JSON_NODE_HOLDS_VALUE (value))
    return malformed (error, _("“value” is missing."));

  type = json_node_get_value_type (value);
  if (type == G_TYPE_DOUBLE)
    balance->value = json_node_get_double (value);
  else if (type == G_TYPE_INT64)
    balance->value = (double) json_node_get_int (value);
  else if (type != G_TYPE_STRING || !parse_decimal (json_node_get_string (value), TRUE, &balance->value))
    return malformed (error, _("“value” is not a number."));

  if (!isfinite (balance->value) || fabs (balance->value) > MAX_AMOUNT)
    return malformed (error, _("“value” is not a number."));

  balance->auto_reload = FALSE;
  auto_reload = json_object_get_member (object, "autoReload");
  if (auto_reload != NULL && !JSON_NODE_HOLDS_NULL (auto_reload))
    {
      if (!JSON_NODE_HOLDS_VALUE (auto_reload) || json_node_get_value_type (auto_reload) != G_TYPE_BOOLEAN)
        return malformed (error, _("“autoReload” is not true or false."));
      balance->auto_reload = json_node_get_boolean (auto_reload);
    }

  return TRUE;
}

/**
 * relay_sms_result_to_json:
 * @result: a result
 *
 * The parsed answer for one recipient, for `relay-cli send --json` and
 * logs: to, client-ref, message-ids, parts, price and remaining-balance
 * (decimal strings, as Nexmo sends them), network, status, state
 * (relay_sms_state_to_string()), and on failure error.
 *
 * Returns: (transfer full): a JSON object node
 */
static const char *
format_amount (char   *buffer,
               double  value)
{
  return g_ascii_formatd (buffer, G_ASCII_DTOSTR_BUF_SIZE, "%.8f", value);
}

JsonNode *
relay_sms_result_to_json (const RelaySmsResult *result)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  char amount[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (result != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "to");
  json_builder_add_string_value (builder, result->to);
  json_builder_set_member_name (builder, "client-ref");
  json_builder_add_string_value (builder, result->client_ref);
  json_builder_set_member_name (builder, "message-ids");
  json_builder_begin_array (builder);
  for (guint i = 0; result->message_ids != NULL && result->message_ids[i] != NULL; i++)
    json_builder_add_string_value (builder, result->message_ids[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "parts");
  json_builder_add_int_value (builder, result->parts);
  /* Amounts as Nexmo writes them: strings with eight decimals, exact. */
  json_builder_set_member_name (builder, "price");
  json_builder_add_string_value (builder, format_amount (amount, result->price));
  json_builder_set_member_name (builder, "remaining-balance");
  json_builder_add_string_value (builder, format_amount (amount, result->remaining_balance));
  json_builder_set_member_name (builder, "network");
  json_builder_add_string_value (builder, result->network);
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, result->status);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, relay_sms_state_to_string (result->state));
  if (result->error != NULL)
    {
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, result->error->message);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * relay_nexmo_normalize_number:
 * @number: a phone number as a person types it: "+44 7700 900123",
 *   "0044-7700-900123", "447700900123"
 * @error: a #GError
 *
 * Returns: (transfer full) (nullable): the international number as Nexmo
 *   wants it (digits only, no "+"), or %NULL with
 *   %RELAY_NEXMO_ERROR_INVALID_PARAMS and a sentence
 */
char *
relay_nexmo_normalize_number (const char  *number,
                              GError     **error)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  const char *p = number;

  g_return_val_if_fail (number != NULL, NULL);

  while (g_ascii_isspace (*p))
    p++;
  if (*p == '+')
    p++;
  else if (g_str_has_prefix (p, "00"))
    p += 2;

  for (; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
      else if (*p != ' ' && *p != '-' && *p != '.' && *p != '(' && *p != ')')
        break;
    }

  if (*p != '\0' || digits->len < 6 || digits->len > 15 || digits->str[0] == '0')
    {
      g_set_error (error, RELAY_NEXMO_ERROR, RELAY_NEXMO_ERROR_INVALID_PARAMS,
                   _("“%s” is not an international phone number (country code first, for example +447700900123)."),
                   number);
      return NULL;
    }

  return g_string_free (g_steal_pointer (&digits), FALSE);
}
