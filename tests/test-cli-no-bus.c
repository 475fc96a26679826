/* test-cli-no-bus.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Without a session bus, every keyring command of relay-cli fails at
 * once with the one "no keyring" sentence: with DBUS_SESSION_BUS_ADDRESS
 * naming a socket that does not exist, and with it unset (where GDBus
 * would otherwise autolaunch a bus of its own when a display is there,
 * and with it a keyring daemon that is not the user's). The display of
 * the harness, when there is one, is kept to offer that temptation.
 */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "relay-sandbox-server.h"

/* Only detects a hang; the test asserts on what relay-cli says. */
#define HANG_S 20

typedef enum
{
  BUS_MISSING_SOCKET,
  BUS_UNSET,
} BusKind;

typedef struct
{
  RelaySandboxServer *sandbox;
  char               *rest_base;
  char               *home;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;

  f->sandbox = relay_sandbox_server_new ();
  relay_sandbox_server_listen (f->sandbox, 0, &error);
  g_assert_no_error (error);
  base = relay_sandbox_server_get_base_uri (f->sandbox);
  f->rest_base = g_strndup (base, strlen (base) - 1);
  f->home = g_dir_make_tmp ("relay-cli-no-bus-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->home, 0, NULL);

  /* Nothing written: no keyring file, no settings, no autolaunched bus. */
  g_assert_nonnull (dir);
  g_assert_cmpstr (g_dir_read_name (dir), ==, NULL);
  g_rmdir (f->home);
  g_free (f->home);
  g_free (f->rest_base);
  g_clear_object (&f->sandbox);
}

typedef struct
{
  GAsyncResult *result;
  gboolean      hung;
} Wait;

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  ((Wait *) user_data)->result = g_object_ref (result);
}

static gboolean
hang_cb (gpointer user_data)
{
  ((Wait *) user_data)->hung = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs relay-cli with @args and @input on stdin in the @kind of missing
 * bus; returns its exit status and stderr. */
static int
run_cli (Fixture            *f,
         BusKind             kind,
         const char         *input,
         char              **err,
         const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  Wait wait = { NULL, FALSE };
  guint hang_id;

  g_subprocess_launcher_setenv (launcher, "HOME", f->home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", f->home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", f->home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", f->home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", f->home, TRUE);
  /* no "bus" socket in it */
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", f->home, TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "memory", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "RELAY_TEST_PRIVATE_BUS");
  if (kind == BUS_MISSING_SOCKET)
    g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/relay-bus", TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");

  g_ptr_array_add (argv, (gpointer) g_getenv ("RELAY_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8_async (process, input, NULL, communicate_cb, &wait);
  hang_id = g_timeout_add_seconds (HANG_S, hang_cb, &wait);
  while (wait.result == NULL && !wait.hung)
    g_main_context_iteration (NULL, TRUE);

  if (wait.hung)
    {
      g_subprocess_force_exit (process);
      g_error ("relay-cli %s is still waiting after %d s: a keyring call hangs without a bus",
               args[0], HANG_S);
    }
  g_source_remove (hang_id);

  g_subprocess_communicate_utf8_finish (process, wait.result, &out, err, &error);
  g_assert_no_error (error);
  g_clear_object (&wait.result);

  return g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
}

#define READ_SENTENCE "relay-cli: No keyring is available, so Relay cannot read your sign-in.\n"
#define STORE_SENTENCE "relay-cli: No keyring is available, so Relay cannot store your sign-in; nothing was saved.\n"

static void
test_commands (Fixture       *f,
               gconstpointer  data)
{
  BusKind kind = GPOINTER_TO_INT (data);
  const char *accounts[] = { "accounts", NULL };
  const char *logout[] = { "logout", NULL };
  const char *send[] = { "send", "--to", "447700900001", "--text", "Hello", NULL };
  const char *login[] = { "login", "--api-key", RELAY_SANDBOX_DEFAULT_API_KEY, "--rest-base", f->rest_base, NULL };
  struct {
    const char *const *args;
    const char        *input;
    const char        *sentence;
  } runs[] = {
    { accounts, NULL, READ_SENTENCE },
    { logout, NULL, READ_SENTENCE },
    { send, NULL, READ_SENTENCE },
    { login, RELAY_SANDBOX_DEFAULT_API_SECRET "\n", STORE_SENTENCE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      g_autofree char *err = NULL;
      int status = run_cli (f, kind, runs[i].input, &err, runs[i].args);

      g_test_message ("relay-cli %s: exit %d, %s", runs[i].args[0], status, err);
      g_assert_cmpint (status, ==, 1);
      g_assert_cmpstr (err, ==, runs[i].sentence);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/relay/cli-no-bus/missing-socket", Fixture, GINT_TO_POINTER (BUS_MISSING_SOCKET),
              fixture_set_up, test_commands, fixture_tear_down);
  g_test_add ("/relay/cli-no-bus/unset", Fixture, GINT_TO_POINTER (BUS_UNSET),
              fixture_set_up, test_commands, fixture_tear_down);

  return g_test_run ();
}
