/* relay-cli-block.c — relay-cli block NUMBER… | unblock NUMBER… | blocked [--json]
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "relay-cli.h"
#include "relay-phone.h"
#include "relay-store.h"
#include "relay-store-blocklist.h"

/**
 * relay_cli_normalize_phone:
 * @input: a number as the user wrote it
 * @default_country: (nullable): the calling code for national numbers;
 *   without it, digits without a + are taken as international
 *
 * Returns: (transfer full) (nullable): international digits, or %NULL
 *   with @error set to a sentence naming @input
 */
char *
relay_cli_normalize_phone (const char  *input,
                           const char  *default_country,
                           GError     **error)
{
  RelayPhoneProblem problem = RELAY_PHONE_OK;
  char *number = relay_phone_normalize (input, default_country, &problem);

  if (number == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 _("“%s” is not a phone number: %s"), input, relay_phone_problem_to_string (problem));

  return number;
}

/* The numbers of @argv, normalised, without repeats; NULL after saying
 * which are not numbers. */
static GPtrArray *
read_numbers (int          argc,
              char       **argv,
              const char  *default_country)
{
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  gboolean bad = FALSE;

  for (int i = 0; i < argc; i++)
    {
      g_autoptr(GError) error = NULL;
      char *number = relay_cli_normalize_phone (argv[i], default_country, &error);

      if (number == NULL)
        {
          relay_cli_fail (0, "%s", error->message);
          bad = TRUE;
        }
      else if (g_ptr_array_find_with_equal_func (numbers, number, g_str_equal, NULL))
        g_free (number);
      else
        g_ptr_array_add (numbers, number);
    }

  if (bad)
    return NULL;

  g_ptr_array_add (numbers, NULL);
  return g_steal_pointer (&numbers);
}

static int
change (gboolean   add,
        int        argc,
        char     **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(GPtrArray) numbers = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *default_country = NULL;
  RelayCliWait wait;
  guint n = 0, given;
  gboolean done;
  int status;
  const GOptionEntry entries[] = {
    { "default-country", 0, 0, G_OPTION_ARG_STRING, &default_country,
      N_("Country calling code for numbers written without one (44)"), "CC" },
    { NULL }
  };

  context = g_option_context_new (add ? _("NUMBER… — never send to these numbers")
                                      : _("NUMBER… — take these numbers off the do-not-contact list"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = relay_cli_parse (context, &argc, &argv)) != 0)
    return status;

  if (argc < 2)
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, _("Give at least one phone number."));
  if (default_country != NULL && !relay_phone_is_country_code (default_country))
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, _("“%s” given with --default-country is not a country calling code."),
                           default_country);

  /* All or nothing: one number that is not one changes none. */
  if (!(numbers = read_numbers (argc - 1, argv + 1, default_country)))
    return relay_cli_fail (RELAY_CLI_EXIT_FAILURE, "%s", _("Nothing was changed."));
  given = numbers->len - 1;

  if (!(store = relay_cli_open_store ()))
    return RELAY_CLI_EXIT_FAILURE;

  relay_cli_wait_init (&wait);
  if (add)
    {
      relay_store_block_async (store, (const char * const *) numbers->pdata, RELAY_BLOCK_SOURCE_HAND,
                               NULL, relay_cli_wait_cb, &wait);
      done = relay_store_block_finish (store, relay_cli_wait_run (&wait), &n, &error);
    }
  else
    {
      relay_store_unblock_async (store, (const char * const *) numbers->pdata, NULL, relay_cli_wait_cb, &wait);
      done = relay_store_unblock_finish (store, relay_cli_wait_run (&wait), &n, &error);
    }
  relay_cli_wait_clear (&wait);

  if (!done)
    return relay_cli_fail (RELAY_CLI_EXIT_FAILURE, _("%s Nothing was changed."), error->message);

  if (add)
    {
      printf (ngettext ("Added %u number to the do-not-contact list.\n",
                        "Added %u numbers to the do-not-contact list.\n", n), n);
      if (n < given)
        printf (ngettext ("%u number was on it already.\n", "%u numbers were on it already.\n", given - n),
                given - n);
    }
  else
    {
      printf (ngettext ("Removed %u number from the do-not-contact list.\n",
                        "Removed %u numbers from the do-not-contact list.\n", n), n);
      if (n < given)
        printf (ngettext ("%u number was not on it.\n", "%u numbers were not on it.\n", given - n),
                given - n);
    }

  return 0;
}

int
relay_cli_block (int    argc,
                 char **argv)
{
  return change (TRUE, argc, argv);
}

int
relay_cli_unblock (int    argc,
                   char **argv)
{
  return change (FALSE, argc, argv);
}

static char *
format_time (gint64 us)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);

  return time != NULL ? g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("");
}

int
relay_cli_blocked (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  gboolean json = FALSE;
  RelayCliWait wait;
  int status;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the list as JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— list the do-not-contact list"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = relay_cli_parse (context, &argc, &argv)) != 0)
    return status;
  if (argc > 1)
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, _("“%s” is not an option of blocked."), argv[1]);

  if (!(store = relay_cli_open_store ()))
    return RELAY_CLI_EXIT_FAILURE;

  relay_cli_wait_init (&wait);
  relay_store_list_blocked_async (store, NULL, relay_cli_wait_cb, &wait);
  list = relay_store_list_blocked_finish (store, relay_cli_wait_run (&wait), &error);
  relay_cli_wait_clear (&wait);
  if (list == NULL)
    return relay_cli_fail (RELAY_CLI_EXIT_FAILURE, "%s", error->message);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < list->len; i++)
        {
          RelayBlockedNumber *b = list->pdata[i];
          g_autofree char *added = format_time (b->added_at);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "number");
          json_builder_add_string_value (builder, b->number);
          json_builder_set_member_name (builder, "added_at");
          json_builder_add_string_value (builder, added);
          json_builder_set_member_name (builder, "source");
          json_builder_add_string_value (builder, relay_block_source_to_string (b->source));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      json_generator_set_root (generator, root);
      text = json_generator_to_data (generator, NULL);
      printf ("%s\n", text);
      return 0;
    }

  for (guint i = 0; i < list->len; i++)
    {
      RelayBlockedNumber *b = list->pdata[i];
      g_autofree char *added = format_time (b->added_at);

      printf ("%s\t%s\t%s\n", b->number, added, relay_block_source_to_string (b->source));
    }

  return 0;
}
