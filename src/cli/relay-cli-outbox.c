/* relay-cli-outbox.c — relay-cli outbox [discard|mark-sent|retry ID…]
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n.h>
#include <stdio.h>

#include "relay-cli.h"
#include "relay-store.h"

static int
decide (RelayStoreDecision   decision,
        int                  argc,
        char               **argv)
{
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) new_ids = NULL;
  g_autoptr(GError) error = NULL;
  RelayCliWait wait;
  gboolean done;

  if (argc < 1)
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, _("Name the messages by their ID (relay-cli outbox lists them)."));

  for (int i = 0; i < argc; i++)
    {
      guint64 id;

      if (!g_ascii_string_to_unsigned (argv[i], 10, 1, G_MAXINT64, &id, NULL))
        return relay_cli_fail (RELAY_CLI_EXIT_USAGE, _("“%s” is not a message ID."), argv[i]);
      g_array_append_vals (ids, &(gint64) { (gint64) id }, 1);
    }

  if (!(store = relay_cli_open_store ()))
    return RELAY_CLI_EXIT_FAILURE;

  relay_cli_wait_init (&wait);
  relay_store_decide_async (store, (const gint64 *) (gpointer) ids->data, ids->len, decision,
                            NULL, relay_cli_wait_cb, &wait);
  done = relay_store_decide_finish (store, relay_cli_wait_run (&wait), &new_ids, &error);
  relay_cli_wait_clear (&wait);

  /* All or nothing: one ID that is not in the outbox changes none. */
  if (!done)
    return relay_cli_fail (RELAY_CLI_EXIT_FAILURE, _("%s Nothing was changed."), error->message);

  switch (decision)
    {
    case RELAY_STORE_DECISION_DISCARD:
      printf (ngettext ("Discarded %u message.\n", "Discarded %u messages.\n", ids->len), ids->len);
      break;

    case RELAY_STORE_DECISION_MARK_SENT:
      printf (ngettext ("Marked %u message as sent.\n", "Marked %u messages as sent.\n", ids->len), ids->len);
      break;

    case RELAY_STORE_DECISION_RETRY:
      for (guint i = 0; i < new_ids->len; i++)
        printf ("%" G_GINT64_FORMAT "\n", g_array_index (new_ids, gint64, i));
      fprintf (stderr, ngettext ("Queued %u message again with a new client reference; “relay-cli resume” sends it.\n",
                                 "Queued %u messages again with new client references; “relay-cli resume” sends them.\n",
                                 new_ids->len),
               new_ids->len);
      break;

    default:
      g_assert_not_reached ();
    }

  return 0;
}

int
relay_cli_outbox (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  gboolean json = FALSE;
  RelayCliWait wait;
  int status;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON array"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("[discard|mark-sent|retry ID…] — messages waiting for you"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Lists the messages that were queued but not sent, and those "
                                           "that may have been sent (no answer came). Relay never sends "
                                           "those again by itself:\n"
                                           "  discard ID…    never send a queued message; forget an uncertain one\n"
                                           "  mark-sent ID…  an uncertain message did arrive\n"
                                           "  retry ID…      queue an uncertain message again, to send with “resume”"));
  if ((status = relay_cli_parse (context, &argc, &argv)) != 0)
    return status;

  if (argc >= 2)
    {
      if (g_str_equal (argv[1], "discard"))
        return decide (RELAY_STORE_DECISION_DISCARD, argc - 2, argv + 2);
      if (g_str_equal (argv[1], "mark-sent"))
        return decide (RELAY_STORE_DECISION_MARK_SENT, argc - 2, argv + 2);
      if (g_str_equal (argv[1], "retry"))
        return decide (RELAY_STORE_DECISION_RETRY, argc - 2, argv + 2);
      return relay_cli_fail (RELAY_CLI_EXIT_USAGE,
                             _("“%s” is not an outbox action; use discard, mark-sent or retry."), argv[1]);
    }

  if (!(store = relay_cli_open_store ()))
    return RELAY_CLI_EXIT_FAILURE;

  relay_cli_wait_init (&wait);
  relay_store_outbox_async (store, NULL, relay_cli_wait_cb, &wait);
  rows = relay_store_outbox_finish (store, relay_cli_wait_run (&wait), &error);
  relay_cli_wait_clear (&wait);
  if (rows == NULL)
    return relay_cli_fail (RELAY_CLI_EXIT_FAILURE, "%s", error->message);

  if (json)
    relay_cli_print_rows_json (rows);
  else if (rows->len == 0)
    fprintf (stderr, "%s\n", _("The outbox is empty."));
  else
    relay_cli_print_rows (rows);

  return 0;
}
