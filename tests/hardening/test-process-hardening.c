/* test-process-hardening.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 14, item 5: relay-cli stayed dumpable (PR_GET_DUMPABLE = 1), so
 * a core of a crash held api_secret, and any process of the same user
 * could read its memory. relay-cli (and relay) now make themselves not
 * dumpable, unless RELAY_ALLOW_CORE_DUMPS=1 asks for cores.
 *
 * Seen from outside, as the kernel enforces it: another process of the
 * same (unprivileged) user may read /proc/PID/environ of a dumpable
 * process, and may not once it is not dumpable.
 */

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <grp.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "relay-process.h"

#define NOBODY 65534

static void
become_nobody (gpointer user_data)
{
  if (getuid () == 0)
    {
      if (setgroups (0, NULL) != 0 || setgid (NOBODY) != 0 || setuid (NOBODY) != 0)
        _exit (127);
    }
}

/* Whether a process of the same user as @pid may read its environ. */
static gboolean
same_user_can_peek (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/environ", (int) pid);
  pid_t child;
  int status;

  child = fork ();
  g_assert_cmpint (child, >=, 0);
  if (child == 0)
    {
      int fd;

      become_nobody (NULL);
      fd = open (path, O_RDONLY);
      _exit (fd >= 0 ? 0 : (errno == EACCES || errno == EPERM) ? 1 : 2);
    }

  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), !=, 2);

  return WEXITSTATUS (status) == 0;
}

/* relay-cli waiting for a secret on standard input, as nobody when the
 * test runs as root (root may read anything). */
static gboolean
cli_can_be_peeked (gboolean allow_cores)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  GOutputStream *input;
  const char *cli = g_getenv ("RELAY_CLI");
  gboolean peeked;
  struct stat st;

  g_assert_nonnull (cli);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, become_nobody, NULL, NULL);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent", TRUE);
  if (allow_cores)
    g_subprocess_launcher_setenv (launcher, "RELAY_ALLOW_CORE_DUMPS", "1", TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "RELAY_ALLOW_CORE_DUMPS");
  process = g_subprocess_launcher_spawn (launcher, &error, cli, "login", "--api-key", "k",
                                         "--rest-base", "http://127.0.0.1:9", NULL);
  g_assert_no_error (error);

  /* relay-cli sets itself up before it reads: wait until it sleeps,
   * blocked on standard input. */
  path = g_strdup_printf ("/proc/%s/wchan", g_subprocess_get_identifier (process));
  for (guint i = 0; i < 5000; i++)
    {
      g_autofree char *stat_path = g_strdup_printf ("/proc/%s/stat", g_subprocess_get_identifier (process));
      g_autofree char *stat_text = NULL;

      if (g_file_get_contents (stat_path, &stat_text, NULL, NULL))
        {
          const char *state = strrchr (stat_text, ')');

          if (state != NULL && state[2] == 'S')
            break;
        }
      g_usleep (1000);
    }
  g_assert_cmpint (stat (path, &st), ==, 0);

  peeked = same_user_can_peek (atoi (g_subprocess_get_identifier (process)));

  input = g_subprocess_get_stdin_pipe (process);
  g_output_stream_close (input, NULL, NULL);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);

  return peeked;
}

static void
test_cli_not_dumpable (void)
{
  if (getuid () != 0 && getuid () == NOBODY)
    {
      g_test_skip ("runs as nobody already; cannot tell a same-user peek from a foreign one");
      return;
    }
  if (getuid () != 0)
    {
      g_test_skip ("needs root to run relay-cli and the peeking process as one unprivileged user");
      return;
    }

  /* The control: with cores allowed, the same user may peek. */
  g_assert_true (cli_can_be_peeked (TRUE));
  g_assert_false (cli_can_be_peeked (FALSE));
}

static void
test_in_process (void)
{
  if (g_test_subprocess ())
    {
      g_unsetenv ("RELAY_ALLOW_CORE_DUMPS");
      g_assert_true (relay_process_forbid_core_dumps ());
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/relay/process-hardening/cli-not-dumpable", test_cli_not_dumpable);
  g_test_add_func ("/relay/process-hardening/in-process", test_in_process);

  return g_test_run ();
}
