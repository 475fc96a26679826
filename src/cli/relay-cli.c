/* relay-cli.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "relay-cli.h"
#include "relay-process.h"
#include "relay-text-sanitize.h"

/* The longest sentence relay-cli prints, in characters. */
#define RELAY_CLI_MAX_SENTENCE 1000

static const struct {
  const char          *name;
  RelayCliCommandFunc  func;
  const char          *summary;
} commands[] = {
  { "sign", relay_cli_sign, N_("Print the OAuth 1.0a signature of a request") },
  { "login", relay_cli_login, N_("Sign in and keep the credentials in the keyring") },
  { "accounts", relay_cli_accounts, N_("List the signed-in accounts") },
  { "logout", relay_cli_logout, N_("Remove an account’s credentials from the keyring") },
  { "send", relay_cli_send, N_("Send an SMS with the stored credentials") },
  { "balance", relay_cli_balance, N_("Show the account balance") },
  { "price", relay_cli_price, N_("Estimate what sending would cost") },
  { "history", relay_cli_history, N_("Show or export the messages Relay sent") },
  { "outbox", relay_cli_outbox, N_("List and decide on messages that were not sent") },
  { "status", relay_cli_status, N_("Show whether a message was delivered (Reports API)") },
  { "resume", relay_cli_resume, N_("Send the queued messages a stopped send left behind") },
  { "block", relay_cli_block, N_("Put numbers on the do-not-contact list") },
  { "unblock", relay_cli_unblock, N_("Take numbers off the do-not-contact list") },
  { "blocked", relay_cli_blocked, N_("List the do-not-contact list") },
};

/**
 * relay_cli_fail:
 *
 * Prints one sentence to stderr and returns @status, so that commands can
 * `return relay_cli_fail (…)`.
 */
int
relay_cli_fail (int         status,
                const char *format,
                ...)
{
  g_autofree char *message = NULL;
  g_autofree char *clean = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* Sentences quote arguments and the provider's words: one line, no
   * control characters, and a huge argument loses its middle. */
  clean = relay_text_sanitize_middle (message, RELAY_CLI_MAX_SENTENCE);
  fprintf (stderr, "relay-cli: %s\n", clean);

  return status;
}

/**
 * relay_cli_parse:
 *
 * Parses options; a parse error is a usage error.
 *
 * Returns: 0 on success, otherwise the exit status
 */
/* Arguments converted to UTF-8, kept for the life of the process:
 * commands read them (argv[1], …) after parsing. */
static GPtrArray *converted_args;

/**
 * relay_cli_parse:
 *
 * Parses options; a parse error is a usage error. Every argument is
 * UTF-8 afterwards, whatever the locale: UTF-8 as given (in the C locale
 * GOption would refuse "é"), else converted from the locale's character
 * set, else refused.
 *
 * Returns: 0 on success, otherwise the exit status
 */
int
relay_cli_parse (GOptionContext   *context,
                 int              *argc,
                 char           ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("relay-cli %s", (*argv)[0]);
  g_autofree char *ctype = NULL;
  gboolean switched;
  gboolean parsed;

  for (int i = 0; i < *argc; i++)
    {
      char *arg;

      if (g_utf8_validate ((*argv)[i], -1, NULL))
        continue;

      if (!(arg = g_locale_to_utf8 ((*argv)[i], -1, NULL, NULL, NULL)))
        return relay_cli_fail (RELAY_CLI_EXIT_USAGE,
                               _("Argument %d is not text in UTF-8 or in this locale’s character set."),
                               i + 1);
      if (converted_args == NULL)
        converted_args = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (converted_args, arg);
      (*argv)[i] = arg;
    }

  /* GOption converts STRING options from the locale's character set:
   * parse under a UTF-8 LC_CTYPE, since the arguments are UTF-8 now. */
  ctype = g_strdup (setlocale (LC_CTYPE, NULL));
  switched = !g_get_charset (NULL) && setlocale (LC_CTYPE, "C.UTF-8") != NULL;

  /* GOption's --help names the program in its usage line: name the
   * command too ("Usage: relay-cli send [OPTION…]"). */
  g_set_prgname (name);
  parsed = g_option_context_parse (context, argc, argv, &error);
  g_set_prgname ("relay-cli");

  if (switched)
    setlocale (LC_CTYPE, ctype);

  if (!parsed)
    return relay_cli_fail (RELAY_CLI_EXIT_USAGE, "%s", error->message);

  return 0;
}

static void
print_usage (FILE *out)
{
  fprintf (out, "%s\n", _("Usage: relay-cli COMMAND [OPTION…]"));
  fprintf (out, "\n%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "\n%s\n", _("Run “relay-cli COMMAND --help” for the options of a command."));
}

int
main (int    argc,
      char **argv)
{
  /* Secrets pass through this process: no core, no same-user peeking. */
  relay_process_forbid_core_dumps ();

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("relay-cli");

  /* Scripts read stdout ("Open: ", --json): debug logging
   * (G_MESSAGES_DEBUG) must never land there. */
  g_log_writer_default_set_use_stderr (TRUE);

  if (argc < 2)
    {
      print_usage (stderr);
      return RELAY_CLI_EXIT_USAGE;
    }

  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 || strcmp (argv[1], "help") == 0)
    {
      print_usage (stdout);
      return 0;
    }

  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("relay-cli %s\n", PACKAGE_VERSION);
      return 0;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].func (argc - 1, argv + 1);

  return relay_cli_fail (RELAY_CLI_EXIT_USAGE,
                         _("“%s” is not a command; run “relay-cli --help” for the list."),
                         argv[1]);
}
