/* relay-cli-history.c — relay-cli history [export FILE]
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>

#include "relay-cli.h"
#include "relay-store.h"
#include "relay-store-export.h"
#include "relay-json-guard.h"

/* Rows are read in pages of this many, so an export of a million rows
 * never holds them all. */
#define PAGE_ROWS 1000

/**
 * relay_cli_try_open_store:
 *
 * Returns: (transfer full) (nullable): the opened history store, or %NULL
 *   with @error set
 */
RelayStore *
relay_cli_try_open_store (GError **error)
{
  g_autoptr(RelayStore) store = relay_store_new (NULL);
  RelayCliWait wait;
  gboolean opened;

  relay_cli_wait_init (&wait);
  relay_store_open_async (store, NULL, relay_cli_wait_cb, &wait);
  opened = relay_store_open_finish (store, relay_cli_wait_run (&wait), error);
  relay_cli_wait_clear (&wait);

  return opened ? g_steal_pointer (&store) : NULL;
}

/**
 * relay_cli_keep_history:
 *
 * Returns: whether the "keep-history" preference (shared with the
 *   window) asks for every message to be recorded; %TRUE when the
 *   settings schema is not installed
 */
gboolean
relay_cli_keep_history (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, "keep-history"))
    return TRUE;

  settings = g_settings_new_full (schema, NULL, NULL);
  return g_settings_get_boolean (settings, "keep-history");
}

/**
 * relay_cli_open_store:
 *
 * Returns: (transfer full) (nullable): the opened history store, or %NULL
 *   after printing why it cannot be used
 */
RelayStore *
relay_cli_open_store (void)
{
  g_autoptr(GError) error = NULL;
  RelayStore *store = relay_cli_try_open_store (&error);

  if (store == NULL)
    relay_cli_fail (RELAY_CLI_EXIT_FAILURE, "%s", error->message);

  return store;
}

GPtrArray *
relay_cli_store_query (RelayStore             *store,
                       const RelayStoreQuery  *query,
                       GError                **error)
{
  RelayCliWait wait;
  GPtrArray *rows;

  relay_cli_wait_init (&wait);
  relay_store_query_async (store, query, NULL, relay_cli_wait_cb, &wait);
  rows = relay_store_query_finish (store, relay_cli_wait_run (&wait), error);
  relay_cli_wait_clear (&wait);

  return rows;
}

void
relay_cli_print_rows_json (GPtrArray *rows)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  JsonArray *array = json_array_sized_new (rows->len);

  for (guint i = 0; i < rows->len; i++)
    json_array_add_element (array, relay_store_message_to_json (rows->pdata[i]));
  json_node_take_array (root, array);

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
}

/* The first line of @text, without control characters, at most @max
 * characters (an ellipsis marks a cut). */
static char *
first_line (const char *text,
            guint       max)
{
  GString *out = g_string_new (NULL);
  guint n = 0;

  for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n' || c == '\r')
        break;
      if (n == max)
        {
          g_string_append (out, "…");
          break;
        }
      g_string_append_unichar (out, g_unichar_iscntrl (c) ? ' ' : c);
      n++;
    }

  return g_string_free (out, FALSE);
}

void
relay_cli_print_rows (GPtrArray *rows)
{
  for (guint i = 0; i < rows->len; i++)
    {
      RelayStoreMessage *m = rows->pdata[i];
      g_autofree char *when = relay_json_format_time (m->queued_at);
      g_autofree char *text = first_line (m->text, 40);
      g_autofree char *price = m->price != NULL
        ? g_strdup_printf ("%s %s", m->price, m->currency != NULL ? m->currency : "")
        : g_strdup ("-");

      printf ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s\t%s\n",
              m->id, when != NULL ? when : "-", relay_message_state_to_string (m->state),
              m->recipient, g_strstrip (price), text);
    }
}

/* "2026-12-01T10:00:00Z", with an offset, or a plain date (midnight,
 * local time). */
static gboolean
parse_since (const char *text,
             gint64     *us)
{
  g_autoptr(GDateTime) time = NULL;

  time = g_date_time_new_from_iso8601 (text, NULL);
  if (time == NULL)
    {
      g_autofree char *midnight = g_strconcat (text, "T00:00:00", NULL);
      g_autoptr(GTimeZone) local = g_time_zone_new_local ();

      time = g_date_time_new_from_iso8601 (midnight, local);
    }
  if (time == NULL)
    return FALSE;

  *us = g_date_time_to_unix (time) * G_USEC_PER_SEC;

  return TRUE;
}

static int
export (const char *path)
{
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  RelayStoreQuery query = { .state = -1, .limit = PAGE_ROWS };
  guint total = 0;

  if (!(store = relay_cli_open_store ()))
    return RELAY_CLI_EXIT_FAILURE;

  /* The history may hold the user's messages: the file is theirs alone.
   * It is written beside the target and renamed over it when complete. */
  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, &error);
  if (stream == NULL)
    return relay_cli_fail (RELAY_CLI_EXIT_FAILURE, _("Cannot write %s: %s"), path, error->message);

  relay_store_csv_header (out);
  for (;;)
    {
      g_autoptr(GPtrArray) rows = relay_cli_store_query (store, &query, &error);

      if (rows == NULL)
        break;

      for (guint i = 0; i < rows->len; i++)
        relay_store_csv_record (out, rows->pdata[i]);
      total += rows->len;

      if (!g_output_stream_write_all (G_OUTPUT_STREAM (stream), out->str, out->len, NULL, NULL, &error))
        break;
      g_string_truncate (out, 0);

      if (rows->len < PAGE_ROWS)
        break;
      query.before_id = ((RelayStoreMessage *) rows->pdata[rows->len - 1])->id;
    }

  if (error != NULL)
    {
      g_autoptr(GCancellable) abandon = g_cancellable_new ();

      /* A cancelled close leaves the file as it was before. */
      g_cancellable_cancel (abandon);
      g_output_stream_close (G_OUTPUT_STREAM (stream), abandon, NULL);
      return relay_cli_fail (RELAY_CLI_EXIT_FAILURE, _("Cannot write %s: %s"), path, error->message);
    }

  if (!g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, &error))
    return relay_cli_fail (RELAY_CLI_EXIT_FAILURE, _("Cannot write %s: %s"), path, error->message);

  fprintf (stderr, ngettext ("Exported %u message to %s.\n",
                             "Exported %u messages to %s.\n", total),
           total, path);

  return 0;
}

int
relay_cli_history (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *account = NULL;
  g_autofree char *search = NULL;
  g_autofree char *state = NULL;
  g_autofree char *since = NULL;
  RelayStoreQuery query = { .state = -1 };
  gboolean json = FALSE;
  int limit = 0;
  int status;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account, N_("Only the messages of this account"), N_("ID") },
    { "search", 0, 0, G_OPTION_ARG_STRING, &search, N_("Only messages whose number or text holds these words"), N_("WORDS") },
    { "state", 0, 0, G_OPTION_ARG_STRING, &state, N_("Only messages in this state: queued, sending, sent, failed, not-sent or uncertain"), N_("STATE") },
    { "since", 0, 0, G_OPTION_ARG_STRING, &since, N_("Only messages queued at or after this time (ISO 8601)"), N_("TIME") },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("At most this many messages"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON array"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("[export FILE] — show or export the messages Relay sent"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Newest first, one line per message: its ID, when it was "
                                           "queued, its state, the recipient, the price and the "
                                           "first words of the text.\n"
                                           "“history export FILE” writes the whole history as CSV."));
  if ((status = relay_cli_parse (context, &argc, &argv)) != 0)
    return status;

  if (argc >= 2 && g_str_equal (argv[1], "export"))
    {
      if (argc != 3)
        return relay_cli_fail (RELAY_CLI_EXIT_USAGE, _("history export takes one file name."));
      return export (argv[2]);
    }

  if (argc != 1)
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, _("“%s” is not an option of history."), argv[1]);

  if (state != NULL)
    {
      RelayMessageState s;

      if (!relay_message_state_from_string (state, &s))
        return relay_cli_fail (RELAY_CLI_EXIT_USAGE,
                               _("“%s” is not a state; use queued, sending, sent, failed, not-sent or uncertain."),
                               state);
      query.state = (int) s;
    }

  if (since != NULL && !parse_since (since, &query.since_us))
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE,
                           _("“%s” is not a time; write it as 2026-12-01 or 2026-12-01T10:00:00Z."),
                           since);

  if (limit < 0)
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, _("--limit must be a positive number."));

  query.account = account;
  query.search = search;
  query.limit = (guint) limit;

  if (!(store = relay_cli_open_store ()))
    return RELAY_CLI_EXIT_FAILURE;

  rows = relay_cli_store_query (store, &query, &error);
  if (rows == NULL)
    return relay_cli_fail (RELAY_CLI_EXIT_FAILURE, "%s", error->message);

  if (json)
    relay_cli_print_rows_json (rows);
  else if (rows->len == 0)
    fprintf (stderr, "%s\n", _("No message matches."));
  else
    relay_cli_print_rows (rows);

  return 0;
}
