/* relay-preferences-window.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n.h>
#include <string.h>

#include "relay-amount.h"
#include "relay-phone.h"
#include "relay-preferences-window.h"

/* Provider settings, bound to GSettings; none of them is a secret.
 * What only a developer needs (endpoints, request details, timeout)
 * sits under "Advanced", in an expander row named after the provider.
 * Endpoint URLs are checked as typed and saved only once valid; with
 * the in-process sandbox, its endpoints are shown instead, read-only. */
struct _RelayPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* template widgets */
  AdwPreferencesGroup  *advanced_group;
  AdwExpanderRow       *provider_row;
  AdwEntryRow          *oauth_base_row;
  GtkWidget            *oauth_base_icon;
  GtkWidget            *oauth_base_problem_row;
  GtkLabel             *oauth_base_problem;
  AdwEntryRow          *rest_base_row;
  GtkWidget            *rest_base_icon;
  GtkWidget            *rest_base_problem_row;
  GtkLabel             *rest_base_problem;
  AdwActionRow         *sandbox_oauth_row;
  AdwActionRow         *sandbox_rest_row;
  AdwComboRow          *request_method_row;
  AdwComboRow          *signature_method_row;
  GtkSpinButton        *timeout_spin;
  AdwComboRow          *authorize_endpoint_row;
  AdwComboRow          *authorization_mode_row;
  GtkSwitch            *keep_history_switch;
  AdwEntryRow          *confirm_cost_row;
  AdwEntryRow          *default_country_row;
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

/**
 * relay_preferences_check_url:
 * @text: what the person typed
 * @why: (out) (optional) (transfer full): one sentence saying what is
 *   wrong, when it is
 *
 * A base URL Relay can use: http or https, with a host.
 *
 * Returns: whether @text is one
 */
gboolean
relay_preferences_check_url (const char  *text,
                             char       **why)
{
  g_autoptr(GUri) uri = NULL;
  const char *message = NULL;
  const char *scheme;

  if (text == NULL || *text == '\0')
    message = _("Enter a URL, such as https://rest.nexmo.com.");
  else if (strpbrk (text, " \t\n\r") != NULL ||
           (uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL)) == NULL)
    message = _("This is not a URL: it must look like https://rest.nexmo.com.");
  else if ((scheme = g_uri_get_scheme (uri)) == NULL ||
           (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0))
    message = _("The URL must start with https:// or http://.");
  else if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    message = _("The URL needs a host name after “//”.");

  if (why != NULL)
    *why = g_strdup (message);

  return message == NULL;
}

/* Saves @row's URL once it is valid; until then the row says why not
 * (error style, an icon with the reason as tooltip, the reason in a
 * line below the row and as the row's accessible description) and
 * GSettings keeps the last good one. */
static void
check_url_row (RelayPreferencesWindow *self,
               AdwEntryRow            *row)
{
  gboolean oauth = row == self->oauth_base_row;
  GtkWidget *icon = oauth ? self->oauth_base_icon : self->rest_base_icon;
  GtkWidget *problem_row = oauth ? self->oauth_base_problem_row : self->rest_base_problem_row;
  GtkLabel *problem = oauth ? self->oauth_base_problem : self->rest_base_problem;
  const char *key = oauth ? "oauth-base" : "rest-base";
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  g_autofree char *why = NULL;

  if (relay_preferences_check_url (text, &why))
    {
      g_autofree char *saved = g_settings_get_string (self->settings, key);

      gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
      gtk_widget_set_visible (icon, FALSE);
      gtk_widget_set_tooltip_text (icon, NULL);
      gtk_widget_set_visible (problem_row, FALSE);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      if (g_strcmp0 (saved, text) != 0)
        g_settings_set_string (self->settings, key, text);
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      gtk_widget_set_visible (icon, TRUE);
      gtk_widget_set_tooltip_text (icon, why);
      gtk_label_set_label (problem, why);
      /* Shown only where the row itself is. */
      gtk_widget_set_visible (problem_row, gtk_widget_get_visible (GTK_WIDGET (row)));
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, why, -1);
    }
}

static void
url_row_changed_cb (AdwEntryRow            *row,
                    GParamSpec             *pspec,
                    RelayPreferencesWindow *self)
{
  check_url_row (self, row);
}

/* Someone else changed (or reset) the setting: show it. */
static void
url_setting_changed_cb (GSettings              *settings,
                        const char             *key,
                        RelayPreferencesWindow *self)
{
  AdwEntryRow *row = g_str_equal (key, "oauth-base") ? self->oauth_base_row : self->rest_base_row;
  g_autofree char *value = g_settings_get_string (settings, key);

  if (g_strcmp0 (value, gtk_editable_get_text (GTK_EDITABLE (row))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (row), value);
}

static void
bind_url (RelayPreferencesWindow *self,
          const char             *key,
          AdwEntryRow            *row)
{
  g_autofree char *value = g_settings_get_string (self->settings, key);
  g_autofree char *signal = g_strconcat ("changed::", key, NULL);

  gtk_editable_set_text (GTK_EDITABLE (row), value);
  check_url_row (self, row);
  g_signal_connect_object (row, "notify::text", G_CALLBACK (url_row_changed_cb), self, 0);
  g_signal_connect_object (self->settings, signal, G_CALLBACK (url_setting_changed_cb), self, 0);
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

/* The country calling code of national numbers in imported lists,
 * shared with the Send to List page: saved only when it is one (or
 * empty), marked as wrong otherwise. */
static void
default_country_changed_cb (RelayPreferencesWindow *self)
{
  GtkWidget *row = GTK_WIDGET (self->default_country_row);
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  g_autofree char *stored = NULL;

  if (*text != '\0' && !relay_phone_is_country_code (text))
    {
      gtk_widget_add_css_class (row, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE, -1);
      return;
    }

  gtk_widget_remove_css_class (row, "error");
  gtk_accessible_reset_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID);
  stored = g_settings_get_string (self->settings, "default-country");
  if (g_strcmp0 (stored, text) != 0)
    g_settings_set_string (self->settings, "default-country", text);
}

static void
default_country_setting_cb (RelayPreferencesWindow *self)
{
  g_autofree char *value = g_settings_get_string (self->settings, "default-country");
  g_autofree char *shown = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->default_country_row))));

  if (g_strcmp0 (value, shown) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->default_country_row), value);
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
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, advanced_group);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, provider_row);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, oauth_base_row);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, oauth_base_icon);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, rest_base_row);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, rest_base_icon);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, oauth_base_problem_row);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, oauth_base_problem);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, rest_base_problem_row);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, rest_base_problem);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, sandbox_oauth_row);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, sandbox_rest_row);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, request_method_row);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, signature_method_row);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, timeout_spin);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, authorize_endpoint_row);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, authorization_mode_row);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, keep_history_switch);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, confirm_cost_row);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, default_country_row);
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

  bind_url (self, "oauth-base", self->oauth_base_row);
  bind_url (self, "rest-base", self->rest_base_row);
  g_settings_bind (settings, "timeout", self->timeout_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "keep-history", self->keep_history_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "confirm-cost-above", self->confirm_cost_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (self->confirm_cost_row, "notify::text", G_CALLBACK (confirm_cost_changed_cb), self,
                           G_CONNECT_SWAPPED);
  confirm_cost_changed_cb (self);
  default_country_setting_cb (self);
  g_signal_connect_object (self->default_country_row, "notify::text", G_CALLBACK (default_country_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::default-country", G_CALLBACK (default_country_setting_cb), self,
                           G_CONNECT_SWAPPED);
  g_settings_bind (settings, "check-delivery", self->check_delivery_switch, "active", G_SETTINGS_BIND_DEFAULT);
  bind_choice (self, "request-method", self->request_method_row, request_methods);
  bind_choice (self, "signature-method", self->signature_method_row, signature_methods);
  bind_choice (self, "authorize-endpoint", self->authorize_endpoint_row, authorize_endpoints);
  bind_choice (self, "authorization-mode", self->authorization_mode_row, authorization_modes);

  return self;
}

/**
 * relay_preferences_window_set_sandbox_uri:
 * @uri: (nullable): the in-process sandbox's base URI
 *   ("http://127.0.0.1:PORT/"), or %NULL without the sandbox
 *
 * With the sandbox, new sign-ins go to it, not to the endpoints in
 * GSettings: "Advanced" then shows the sandbox's endpoints, read-only,
 * under its own name.
 */
void
relay_preferences_window_set_sandbox_uri (RelayPreferencesWindow *self,
                                          const char             *uri)
{
  gboolean sandbox = uri != NULL;

  g_return_if_fail (RELAY_IS_PREFERENCES_WINDOW (self));

  gtk_widget_set_visible (GTK_WIDGET (self->oauth_base_row), !sandbox);
  gtk_widget_set_visible (GTK_WIDGET (self->rest_base_row), !sandbox);
  check_url_row (self, self->oauth_base_row);
  check_url_row (self, self->rest_base_row);
  gtk_widget_set_visible (GTK_WIDGET (self->sandbox_oauth_row), sandbox);
  gtk_widget_set_visible (GTK_WIDGET (self->sandbox_rest_row), sandbox);

  if (sandbox)
    {
      gsize len = strlen (uri) - (g_str_has_suffix (uri, "/") ? 1 : 0);
      g_autofree char *rest_base = g_strndup (uri, len);
      g_autofree char *oauth_base = g_strconcat (rest_base, "/oauth/", NULL);

      adw_action_row_set_subtitle (self->sandbox_oauth_row, oauth_base);
      adw_action_row_set_subtitle (self->sandbox_rest_row, rest_base);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->provider_row), _("Sandbox"));
      adw_expander_row_set_subtitle (self->provider_row,
                                     _("Built into Relay, on this computer: no message is really sent"));
      adw_preferences_group_set_description (self->advanced_group,
                                             _("Relay runs with its sandbox: new sign-ins use the sandbox’s endpoints."));
    }
  else
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->provider_row), _("Nexmo (Vonage)"));
      adw_expander_row_set_subtitle (self->provider_row, _("Endpoints, requests and sign-in"));
      adw_preferences_group_set_description (self->advanced_group,
                                             _("Used for new sign-ins. Accounts keep the endpoints they signed in with."));
    }
}
