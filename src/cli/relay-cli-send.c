/* relay-cli-send.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "relay-cli.h"
#include "relay-nexmo-client.h"
#include "relay-sms-check.h"

/* One send: each recipient's outcome as it comes (a copy, by number),
 * and how the user stopped it. */
typedef struct
{
  GCancellable *cancellable;
  GHashTable   *outcomes;
  gboolean      json;
  guint         interrupts;
  RelayCliWait  wait;
} SendData;

static void
print_human (const RelaySmsResult *result)
{
  g_autofree char *ids = result->message_ids != NULL ? g_strjoinv (", ", result->message_ids) : NULL;

  switch (result->state)
    {
    case RELAY_SMS_STATE_SENT:
      printf (g_dngettext (GETTEXT_PACKAGE, "%s: sent in %u part (message id %s)\n",
                           "%s: sent in %u parts (message ids %s)\n", result->parts),
              result->to, result->parts, ids);
      printf (_("  price %.8g, remaining balance %.8g, network %s, client-ref %s\n"),
              result->price, result->remaining_balance,
              result->network != NULL ? result->network : _("unknown"), result->client_ref);
      fflush (stdout);
      break;

    case RELAY_SMS_STATE_NOT_SENT:
      relay_cli_fail (0, _("%s: not sent: sending was stopped before this message went out."), result->to);
      break;

    case RELAY_SMS_STATE_UNCERTAIN:
      relay_cli_fail (0, _("%s: may have been sent: %s"), result->to, result->error->message);
      break;

    case RELAY_SMS_STATE_FAILED:
    default:
      /* A partly sent message names the parts that went out. */
      if (result->parts > 0)
        relay_cli_fail (0, _("%s: %s (%u parts were sent: message ids %s, client-ref %s)"),
                        result->to, result->error->message, result->parts, ids, result->client_ref);
      else
        relay_cli_fail (0, "%s: %s", result->to, result->error->message);
      break;
    }
}

/* Each outcome as soon as it is known: printed at once (with --json,
 * only what was not sent, on stderr), and kept for the summary and
 * --json. */
static void
progress_cb (RelayNexmoClient *client,
             gpointer          result,
             guint             done,
             guint             total,
             SendData         *data)
{
  const RelaySmsResult *sms = result;

  g_hash_table_replace (data->outcomes, g_strdup (sms->to), relay_sms_result_copy (sms));
  if (!data->json || sms->state != RELAY_SMS_STATE_SENT)
    print_human (sms);
}

/* SIGINT or SIGTERM: stop sending, and wait for the answers to the
 * requests already written; a second one stops waiting. */
static gboolean
interrupted_cb (gpointer user_data)
{
  SendData *data = user_data;

  if (data->interrupts++ == 0)
    {
      relay_cli_fail (0, "%s", _("Stopping: no further message is sent; waiting for the answers to those already on their way (interrupt again to stop waiting)."));
      g_cancellable_cancel (data->cancellable);
    }
  else
    g_main_loop_quit (data->wait.loop);

  return G_SOURCE_CONTINUE;
}

/* The outcome of @to, or, when the user stopped waiting, what is known:
 * a recipient still queued or on its way may have been sent. */
static RelaySmsResult *
take_outcome (SendData   *data,
              const char *to)
{
  RelaySmsResult *result = g_hash_table_lookup (data->outcomes, to);

  if (result == NULL)
    {
      result = g_new0 (RelaySmsResult, 1);
      result->to = g_strdup (to);
      result->state = RELAY_SMS_STATE_UNCERTAIN;
      result->error = g_error_new_literal (RELAY_NEXMO_ERROR, RELAY_NEXMO_ERROR_UNKNOWN_OUTCOME,
                                           _("relay-cli stopped waiting for the provider’s answer."));
      g_hash_table_insert (data->outcomes, g_strdup (to), result);
      print_human (result);
    }

  return result;
}

static void
print_json (GPtrArray *results)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonArray) messages = json_array_new ();
  g_autofree char *text = NULL;

  for (guint i = 0; i < results->len; i++)
    json_array_add_element (messages, relay_sms_result_to_json (g_ptr_array_index (results, i)));

  json_object_set_array_member (object, "messages", g_steal_pointer (&messages));
  json_node_set_object (root, object);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
}

/* Whether @stray, left over after parsing, is what the shell made of an
 * unquoted "--to +44 7700 900000": digits (maybe with the dashes or dots
 * people write) right after a --to value in @args, the command line as
 * given. */
static gboolean
is_split_number (char       **args,
                 const char  *stray)
{
  gboolean digit = FALSE;

  for (const char *p = stray; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        digit = TRUE;
      else if (*p != '-' && *p != '.')
        return FALSE;
    }
  if (!digit)
    return FALSE;

  for (guint i = 1; args[i] != NULL; i++)
    if (args[i] == stray &&
        (g_str_has_prefix (args[i - 1], "--to=") ||
         (i >= 2 && strcmp (args[i - 2], "--to") == 0)))
      return TRUE;

  return FALSE;
}

int
relay_cli_send (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RelayAccount) account = NULL;
  g_autoptr(RelayNexmoClient) client = NULL;
  g_autoptr(GPtrArray) numbers = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GHashTable) outcomes = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *account_id = NULL;
  g_autofree char *rest_base = NULL;
  g_autofree char *from = NULL;
  g_autofree char *text = NULL;
  g_autofree char *problem = NULL;
  g_autofree char **args = NULL;
  g_auto(GStrv) to = NULL;
  gboolean unicode = FALSE;
  gboolean json = FALSE;
  int rate = RELAY_NEXMO_DEFAULT_RATE;
  SendData data = { NULL, };
  guint counts[RELAY_SMS_STATE_UNCERTAIN + 1] = { 0, };
  guint sigint_id, sigterm_id;
  int status;
  int exit_status = 0;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account_id, N_("The account to send from (see “relay-cli accounts”)"), "ID" },
    { "rest-base", 0, 0, G_OPTION_ARG_STRING, &rest_base, N_("REST base URL, instead of the stored one"), "URL" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, N_("Sender ID (default “Relay”)"), "F" },
    { "to", 0, 0, G_OPTION_ARG_STRING_ARRAY, &to, N_("Recipient number, international format (repeatable)"), "NUMBER" },
    { "text", 0, 0, G_OPTION_ARG_STRING, &text, N_("The message"), "T" },
    { "unicode", 0, 0, G_OPTION_ARG_NONE, &unicode, N_("Send as Unicode even when GSM-7 would do"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print every recipient’s outcome as JSON"), NULL },
    { "rate", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &rate, N_("Requests per second (0: no limit)"), "N" },
    { NULL }
  };

  context = g_option_context_new (_("— send an SMS"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Sends one text to each --to number with the stored credentials."));
  args = g_memdup2 (argv, (argc + 1) * sizeof (char *));
  if ((status = relay_cli_parse (context, &argc, &argv)) != 0)
    return status;

  if (argc > 1 && is_split_number (args, argv[1]))
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE,
                           _("“%s” looks like part of a phone number split by spaces; "
                             "quote the number (--to \"+44 7700 900000\") or remove its spaces."), argv[1]);
  if (argc > 1)
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, _("“%s” is not an option of send; put the message in --text."), argv[1]);
  if (to == NULL || to[0] == NULL)
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, _("Give at least one recipient with --to NUMBER."));
  if (text == NULL || *text == '\0')
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, _("Give the message with --text T."));
  if (!g_utf8_validate (text, -1, NULL))
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, _("The message is not valid UTF-8 text."));
  if ((problem = relay_sms_check_text (text)) != NULL)
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, "%s", problem);
  if (from != NULL && *from == '\0')
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, _("The sender ID given with --from is empty."));
  if (from != NULL && (problem = relay_sms_check_sender (from)) != NULL)
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, "%s", problem);
  if (rate < 0 || rate > 10000)
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, _("--rate takes a number of requests per second from 0 to 10000."));
  if (!relay_cli_check_rest_base (rest_base, &error))
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, "%s", error->message);

  numbers = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; to[i] != NULL; i++)
    {
      char *number = relay_nexmo_normalize_number (to[i], &error);

      if (number == NULL)
        return relay_cli_fail (RELAY_CLI_EXIT_USAGE, "%s", error->message);

      /* The same number twice is a slip, not a wish to pay twice. */
      if (g_ptr_array_find_with_equal_func (numbers, number, g_str_equal, NULL))
        g_free (number);
      else
        g_ptr_array_add (numbers, number);
    }
  g_ptr_array_add (numbers, NULL);

  if (!(account = relay_cli_load_account (account_id, rest_base, &error)))
    return relay_cli_fail (RELAY_CLI_EXIT_FAILURE, "%s", error->message);

  client = relay_nexmo_client_new (account);
  relay_nexmo_client_set_rate (client, (guint) rate);

  cancellable = g_cancellable_new ();
  outcomes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) relay_sms_result_free);
  data.cancellable = cancellable;
  data.outcomes = outcomes;
  data.json = json;
  relay_cli_wait_init (&data.wait);
  sigint_id = g_unix_signal_add (SIGINT, interrupted_cb, &data);
  sigterm_id = g_unix_signal_add (SIGTERM, interrupted_cb, &data);
  g_signal_connect (client, "progress", G_CALLBACK (progress_cb), &data);

  relay_nexmo_client_send_full_async (client, from != NULL ? from : "Relay",
                                      (const char *const *) numbers->pdata, text,
                                      unicode ? RELAY_NEXMO_SEND_UNICODE : RELAY_NEXMO_SEND_NONE,
                                      cancellable, relay_cli_wait_cb, &data.wait);
  g_main_loop_run (data.wait.loop);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  relay_account_forget_secrets (account);

  /* The final result adds nothing to the outcomes already reported (a
   * cancelled send is told recipient by recipient). */
  if (data.wait.result != NULL)
    {
      g_autoptr(GPtrArray) final = NULL;

      final = relay_nexmo_client_send_finish (client, data.wait.result, NULL);
    }
  g_signal_handlers_disconnect_by_data (client, &data);

  results = g_ptr_array_new ();
  for (guint i = 0; i < numbers->len - 1; i++)
    {
      RelaySmsResult *result = take_outcome (&data, g_ptr_array_index (numbers, i));

      g_ptr_array_add (results, result);
      counts[result->state]++;
    }

  if (json)
    print_json (results);

  if (counts[RELAY_SMS_STATE_SENT] != results->len)
    exit_status = RELAY_CLI_EXIT_FAILURE;

  /* Stopped half-way, or without an answer: sum up. */
  if (counts[RELAY_SMS_STATE_NOT_SENT] > 0 || counts[RELAY_SMS_STATE_UNCERTAIN] > 0)
    relay_cli_fail (0, _("Sent %u of %u messages: %u failed, %u not sent, %u may have been sent."),
                    counts[RELAY_SMS_STATE_SENT], results->len, counts[RELAY_SMS_STATE_FAILED],
                    counts[RELAY_SMS_STATE_NOT_SENT], counts[RELAY_SMS_STATE_UNCERTAIN]);

  /* A stopped wait leaves the send running: end here, not in its
   * callbacks. */
  if (data.wait.result == NULL)
    {
      fflush (stdout);
      fflush (stderr);
      _exit (exit_status);
    }
  relay_cli_wait_clear (&data.wait);

  return exit_status;
}
