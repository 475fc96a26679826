/* relay-cli-io.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "relay-cli.h"

#define MAX_LINE 4096

static struct termios echo_termios;

/* Ctrl+C at a hidden prompt: give the terminal its echo back, then die
 * of the signal as usual. tcsetattr() is async-signal-safe. */
static void
restore_echo_handler (int signum)
{
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &echo_termios);
  signal (signum, SIG_DFL);
  raise (signum);
}

/**
 * relay_cli_read_line:
 * @prompt: shown on stderr when standard input is a terminal
 * @hidden: whether to turn the terminal's echo off (secrets, verifiers)
 * @error: set when the line is longer than 4095 bytes or holds a NUL
 *
 * Reads one line from the terminal, or from standard input when that is
 * not a terminal; never from argv. A longer line is refused whole (and
 * read to its end), never cut: a cut secret would be a wrong one.
 *
 * Returns: (transfer full) (nullable): the line without its newline, or
 *   %NULL at end of input (@error unset) or for a line too long
 */
char *
relay_cli_read_line (const char  *prompt,
                     gboolean     hidden,
                     GError     **error)
{
  char buffer[MAX_LINE];
  gboolean tty = isatty (STDIN_FILENO);
  struct termios quiet;
  struct sigaction action = { 0 }, old_int, old_term;
  gboolean restore = FALSE;
  char *line = NULL;
  gboolean too_long = FALSE;
  gboolean has_nul = FALSE;
  gboolean at_end = FALSE;
  gsize len = 0;

  if (tty)
    {
      fputs (prompt, stderr);
      fflush (stderr);
      if (hidden && tcgetattr (STDIN_FILENO, &echo_termios) == 0)
        {
          action.sa_handler = restore_echo_handler;
          sigemptyset (&action.sa_mask);
          sigaction (SIGINT, &action, &old_int);
          sigaction (SIGTERM, &action, &old_term);
          quiet = echo_termios;
          quiet.c_lflag &= ~(tcflag_t) ECHO;
          quiet.c_lflag |= ECHONL;
          tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
          restore = TRUE;
        }
    }

  /* Byte by byte: fgets() would stop quietly at a NUL, and a secret cut
   * there would be stored as the wrong one. */
  for (;;)
    {
      int c = getc (stdin);

      if (c == EOF)
        {
          if (len == 0 && !too_long && !has_nul)
            at_end = TRUE;
          break;
        }
      if (c == '\n')
        break;
      if (c == '\0')
        has_nul = TRUE;
      else if (len < sizeof buffer - 1)
        buffer[len++] = (char) c;
      else
        too_long = TRUE;
    }
  while (len > 0 && buffer[len - 1] == '\r')
    len--;
  buffer[len] = '\0';
  if (!at_end && !too_long && !has_nul)
    line = g_strdup (buffer);

  if (restore)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &echo_termios);
      sigaction (SIGINT, &old_int, NULL);
      sigaction (SIGTERM, &old_term, NULL);
    }
  explicit_bzero (buffer, sizeof buffer);

  if (too_long)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                 _("The line read is longer than %d bytes, so it was refused; nothing was saved."),
                 MAX_LINE - 1);
  else if (has_nul)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         _("The line read contains a NUL byte, so it was refused; nothing was saved."));

  return line;
}

void
relay_cli_wait_init (RelayCliWait *wait)
{
  wait->loop = g_main_loop_new (NULL, FALSE);
  wait->result = NULL;
}

void
relay_cli_wait_clear (RelayCliWait *wait)
{
  g_clear_object (&wait->result);
  g_clear_pointer (&wait->loop, g_main_loop_unref);
}

/* The GAsyncReadyCallback to pass with a RelayCliWait as user data. */
void
relay_cli_wait_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  RelayCliWait *wait = user_data;

  g_set_object (&wait->result, result);
  g_main_loop_quit (wait->loop);
}

/**
 * relay_cli_wait_run:
 *
 * Runs the main loop until relay_cli_wait_cb() is called.
 *
 * Returns: (transfer none): the result, valid until the next run
 */
GAsyncResult *
relay_cli_wait_run (RelayCliWait *wait)
{
  g_clear_object (&wait->result);
  while (wait->result == NULL)
    g_main_loop_run (wait->loop);

  return wait->result;
}
