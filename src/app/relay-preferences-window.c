/* relay-preferences-window.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n.h>

#include "relay-amount.h"
#include "relay-preferences-window.h"

/* Provider settings, bound straight to GSettings. None of them is a
 * secret. */
struct _RelayPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* template widgets */
  AdwEntryRow          *oauth_base_row;
  AdwEntryRow          *rest_base_row;
  AdwComboRow          *request_method_row;
  AdwComboRow          *signature_method_row;
  GtkSpinButton        *timeout_spin;
  AdwComboRow          *authorize_endpoint_row;
  AdwComboRow          *authorization_mode_row;
  GtkSwitch            *keep_history_switch;
  AdwEntryRow          *confirm_cost_row;
  GtkSwitch            *check_delivery_switch;

  /* owned references */
  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (RelayPreferencesWindow, relay_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static const char *request_methods[] = { "POST", "GET", NULL };
static const char *signature_methods[] = { "HMAC-SHA1", "HMAC-SHA256", "HMAC-SHA512", "PLAINTEXT", NULL };
static const char *authorize_endpoints[] = { "authorize", "authenticate", NULL };
static const char *authorization_modes[] = { "callback", "oob", "legacy", NULL };

static gboolean
string_to_index (GValue   *value,
                 GVariant *variant,
                 gpointer  user_data)
{
  const char * const *choices = user_data;
  const char *string = g_variant_get_string (variant, NULL);

  for (guint i = 0; choices[i] != NULL; i++)
    {
      if (g_strcmp0 (choices[i], string) == 0)
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }

  g_value_set_uint (value, 0);
  return TRUE;
}

static GVariant *
index_to_string (const GValue       *value,
                 const GVariantType *type,
                 gpointer            user_data)
{
  const char * const *choices = user_data;
  guint index = g_value_get_uint (value);

  if (index >= g_strv_length ((char **)choices))
    return NULL;

  return g_variant_new_string (choices[index]);
}

static void
bind_choice (RelayPreferencesWindow *self,
             const char             *key,
             AdwComboRow            *row,
             const char * const     *choices)
{
  g_settings_bind_with_mapping (self->settings, key, row, "selected", G_SETTINGS_BIND_DEFAULT,
                                string_to_index, index_to_string, (gpointer)choices, NULL);
}

/* An amount Relay cannot read counts as 1.00: show that it is wrong. */
static void
confirm_cost_changed_cb (RelayPreferencesWindow *self)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->confirm_cost_row)));
  RelayAmount amount;

  if (relay_amount_parse (g_strstrip (text), &amount))
    gtk_widget_remove_css_class (GTK_WIDGET (self->confirm_cost_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->confirm_cost_row), "error");
}

static void
relay_preferences_window_dispose (GObject *object)
{
  RelayPreferencesWindow *self = (RelayPreferencesWindow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (relay_preferences_window_parent_class)->dispose (object);
}

static void
relay_preferences_window_class_init (RelayPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/relaysms/Relay/relay-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, oauth_base_row);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, rest_base_row);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, request_method_row);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, signature_method_row);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, timeout_spin);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, authorize_endpoint_row);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, authorization_mode_row);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, keep_history_switch);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, confirm_cost_row);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, check_delivery_switch);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
relay_preferences_window_init (RelayPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * relay_preferences_window_new:
 * @settings: the io.github.relaysms.Relay settings
 *
 * Returns: (transfer full): a preferences window bound to @settings
 */
RelayPreferencesWindow *
relay_preferences_window_new (GSettings *settings)
{
  RelayPreferencesWindow *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (RELAY_TYPE_PREFERENCES_WINDOW, NULL);
  self->settings = g_object_ref (settings);

  g_settings_bind (settings, "oauth-base", self->oauth_base_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "rest-base", self->rest_base_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "timeout", self->timeout_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "keep-history", self->keep_history_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "confirm-cost-above", self->confirm_cost_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (self->confirm_cost_row, "notify::text", G_CALLBACK (confirm_cost_changed_cb), self,
                           G_CONNECT_SWAPPED);
  confirm_cost_changed_cb (self);
  g_settings_bind (settings, "check-delivery", self->check_delivery_switch, "active", G_SETTINGS_BIND_DEFAULT);
  bind_choice (self, "request-method", self->request_method_row, request_methods);
  bind_choice (self, "signature-method", self->signature_method_row, signature_methods);
  bind_choice (self, "authorize-endpoint", self->authorize_endpoint_row, authorize_endpoints);
  bind_choice (self, "authorization-mode", self->authorization_mode_row, authorization_modes);

  return self;
}
