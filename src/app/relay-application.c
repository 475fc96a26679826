/* relay-application.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n.h>

#include "relay-application.h"
#include "relay-preferences-window.h"
#include "relay-sandbox-server.h"
#include "relay-window.h"

struct _RelayApplication
{
  AdwApplication      parent_instance;

  /* owned references */
  GSettings          *settings;
  RelaySandboxServer *sandbox;

  /* state */
  char               *sandbox_uri;
  int                 exit_status;
  guint               use_sandbox : 1;
};

G_DEFINE_FINAL_TYPE (RelayApplication, relay_application, ADW_TYPE_APPLICATION)

static RelayWindow *
get_window (RelayApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  return RELAY_IS_WINDOW (window) ? RELAY_WINDOW (window) : NULL;
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  RelayApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Closing the windows cancels their work before the loop stops. */
  for (GList *l = windows; l != NULL; l = windows)
    {
      windows = l->next;
      gtk_window_close (l->data);
    }

  g_application_quit (G_APPLICATION (self));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  RelayApplication *self = user_data;
  RelayPreferencesWindow *preferences;

  preferences = relay_preferences_window_new (self->settings);
  /* With `--sandbox`, new sign-ins go to the sandbox: show its endpoints. */
  if (self->use_sandbox && relay_application_ensure_sandbox (self))
    relay_preferences_window_set_sandbox_uri (preferences, self->sandbox_uri);
  gtk_window_set_transient_for (GTK_WINDOW (preferences), GTK_WINDOW (get_window (self)));
  gtk_window_set_application (GTK_WINDOW (preferences), GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  RelayApplication *self = user_data;
  const char *developers[] = { "The Relay authors", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "application-name", _("Relay"),
                        "application-icon", APP_ID,
                        "developer-name", "The Relay authors",
                        "developers", developers,
                        "version", PACKAGE_VERSION,
                        "comments", _("Send SMS through your Nexmo (Vonage) account"),
                        "copyright", "© 2026 The Relay authors",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* The metainfo's homepage and bugtracker (meson.build) */
                        "website", PACKAGE_WEBSITE,
                        "issue-url", PACKAGE_ISSUE_URL,
                        /* Translators: your names, one per line */
                        "translator-credits", _("translator-credits"),
                        "transient-for", get_window (self),
                        "modal", TRUE,
                        NULL);
  gtk_widget_set_name (about, "about-window");
  gtk_window_present (GTK_WINDOW (about));
}

static void
shortcuts_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  RelayApplication *self = user_data;
  RelayWindow *window = get_window (self);

  if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "preferences", preferences_action },
  { "about", about_action },
  { "shortcuts", shortcuts_action },
};

static gint
relay_application_handle_local_options (GApplication *app,
                                        GVariantDict *options)
{
  RelayApplication *self = RELAY_APPLICATION (app);

  if (g_variant_dict_contains (options, "sandbox"))
    {
      g_autoptr(GError) error = NULL;

      /* The sandbox lives in this process, so this process must be the
       * primary instance: a running Relay would not know the sandbox. */
      if (!g_application_register (app, NULL, &error))
        {
          g_printerr (_("relay: Could not start: %s\n"), error->message);
          return 1;
        }

      if (g_application_get_is_remote (app))
        {
          g_printerr ("%s\n", _("relay: Relay is already running; quit it to try the sandbox."));
          return 1;
        }

      /* It starts once the window's first frame is on screen
       * (relay_application_ensure_sandbox()), not before. */
      self->use_sandbox = TRUE;
    }

  return G_APPLICATION_CLASS (relay_application_parent_class)->handle_local_options (app, options);
}

static void
relay_application_startup (GApplication *app)
{
  RelayApplication *self = RELAY_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *send_accels[] = { "<Control>Return", "<Control>KP_Enter", NULL };
  static const char *help_accels[] = { "<Control>question", NULL };

  G_APPLICATION_CLASS (relay_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.send", send_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay", help_accels);
}

static void
relay_application_activate (GApplication *app)
{
  RelayApplication *self = RELAY_APPLICATION (app);
  RelayWindow *window = get_window (self);

  if (window == NULL)
    window = relay_window_new (self);

  gtk_window_present (GTK_WINDOW (window));
}

static void
relay_application_dispose (GObject *object)
{
  RelayApplication *self = (RelayApplication *)object;

  g_clear_object (&self->sandbox);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->sandbox_uri, g_free);

  G_OBJECT_CLASS (relay_application_parent_class)->dispose (object);
}

static void
relay_application_class_init (RelayApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = relay_application_dispose;

  app_class->handle_local_options = relay_application_handle_local_options;
  app_class->startup = relay_application_startup;
  app_class->activate = relay_application_activate;
}

static void
relay_application_init (RelayApplication *self)
{
  static const GOptionEntry entries[] = {
    { "sandbox", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
      N_("Try Relay with a built-in provider on this computer; no message is really sent"), NULL },
    { NULL }
  };

  self->settings = g_settings_new (APP_ID);
  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}

RelayApplication *
relay_application_new (void)
{
  return g_object_new (RELAY_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "resource-base-path", "/io/github/relaysms/Relay",
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}

/**
 * relay_application_start_sandbox:
 *
 * Starts a Nexmo-compatible provider in this process on 127.0.0.1 and
 * points new sign-ins at it. Idempotent.
 *
 * Returns: %TRUE when the sandbox listens
 */
gboolean
relay_application_start_sandbox (RelayApplication  *self,
                                 GError           **error)
{
  g_autoptr(RelaySandboxServer) sandbox = NULL;

  g_return_val_if_fail (RELAY_IS_APPLICATION (self), FALSE);

  if (self->sandbox != NULL)
    return TRUE;

  sandbox = relay_sandbox_server_new ();
  relay_sandbox_server_set_signature_secret (sandbox, RELAY_SANDBOX_DEFAULT_SIGNATURE_SECRET,
                                             RELAY_NEXMO_SIG_MD5HASH);
  if (!relay_sandbox_server_listen (sandbox, 0, error))
    return FALSE;

  self->sandbox = g_steal_pointer (&sandbox);
  self->use_sandbox = TRUE;
  self->sandbox_uri = relay_sandbox_server_get_base_uri (self->sandbox);
  g_debug ("Sandbox listening on %s", self->sandbox_uri);

  return TRUE;
}

/**
 * relay_application_get_sandbox_uri:
 *
 * Returns: (nullable): the in-process sandbox's base URI,
 *   "http://127.0.0.1:PORT/", or %NULL without a sandbox
 */
const char *
relay_application_get_sandbox_uri (RelayApplication *self)
{
  g_return_val_if_fail (RELAY_IS_APPLICATION (self), NULL);

  return self->sandbox_uri;
}

/**
 * relay_application_get_sandbox:
 *
 * Returns: (transfer none) (nullable): the in-process sandbox, if any
 */
RelaySandboxServer *
relay_application_get_sandbox (RelayApplication *self)
{
  g_return_val_if_fail (RELAY_IS_APPLICATION (self), NULL);

  return self->sandbox;
}

GSettings *
relay_application_get_settings (RelayApplication *self)
{
  g_return_val_if_fail (RELAY_IS_APPLICATION (self), NULL);

  return self->settings;
}

/**
 * relay_application_get_use_sandbox:
 *
 * Returns: whether this process runs with the in-process sandbox
 *   (`--sandbox`, or relay_application_start_sandbox()), started or
 *   still to start
 */
gboolean
relay_application_get_use_sandbox (RelayApplication *self)
{
  g_return_val_if_fail (RELAY_IS_APPLICATION (self), FALSE);

  return self->use_sandbox;
}

/**
 * relay_application_ensure_sandbox:
 *
 * Starts the sandbox that `--sandbox` asked for, unless it listens
 * already. When it cannot start, says why on stderr and quits with
 * status 1: a sandbox window must never talk to a real provider.
 *
 * Returns: %TRUE when the sandbox listens
 */
gboolean
relay_application_ensure_sandbox (RelayApplication *self)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (RELAY_IS_APPLICATION (self), FALSE);
  g_return_val_if_fail (self->use_sandbox, FALSE);

  if (self->sandbox != NULL)
    return TRUE;

  if (relay_application_start_sandbox (self, &error))
    return TRUE;

  g_printerr (_("relay: The sandbox could not start: %s\n"), error->message);
  self->exit_status = 1;
  g_action_group_activate_action (G_ACTION_GROUP (self), "quit", NULL);

  return FALSE;
}

/**
 * relay_application_get_exit_status:
 *
 * Returns: the status the process ends with after g_application_run()
 *   returned 0: 1 when the sandbox could not start
 */
int
relay_application_get_exit_status (RelayApplication *self)
{
  g_return_val_if_fail (RELAY_IS_APPLICATION (self), 1);

  return self->exit_status;
}
