/* relay-welcome-page.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "relay-welcome-page.h"

/* The first-run page: what Relay does, and the credentials to sign in
 * with. It only collects; the window runs the sign-in. */
struct _RelayWelcomePage
{
  GtkWidget        parent_instance;

  /* template widgets */
  GtkWidget       *scroller;
  GtkStack        *kind_stack;
  GtkToggleButton *oauth_toggle;
  GtkToggleButton *api_key_toggle;
  GtkToggleButton *signed_toggle;
  AdwEntryRow     *consumer_key_row;
  AdwEntryRow     *consumer_secret_row;
  AdwEntryRow     *api_key_row;
  AdwEntryRow     *api_secret_row;
  AdwEntryRow     *signed_key_row;
  AdwEntryRow     *signed_secret_row;
  AdwEntryRow     *signature_secret_row;
  AdwComboRow     *signature_method_row;
  AdwExpanderRow  *advanced_row;
  AdwEntryRow     *oauth_base_row;
  AdwEntryRow     *rest_base_row;
  GtkWidget       *sign_in_button;
  GtkStack        *button_stack;
  GtkSpinner      *spinner;
  GtkLabel        *title_label;
  GtkWidget       *keys_label;
  GtkWidget       *sandbox_button;
  GtkRevealer     *error_revealer;
  GtkLabel        *error_label;
};

G_DEFINE_FINAL_TYPE (RelayWelcomePage, relay_welcome_page, GTK_TYPE_WIDGET)

/* The stack pages, by RelayAccountKind. */
static const char *const kind_pages[] = {
  [RELAY_ACCOUNT_OAUTH] = "oauth",
  [RELAY_ACCOUNT_API_KEY] = "api-key",
  [RELAY_ACCOUNT_SIGNED] = "signed",
};

static char *
row_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static void
set_row_error (AdwEntryRow *row,
               gboolean     error)
{
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

static GtkToggleButton *
kind_toggle (RelayWelcomePage *self,
             RelayAccountKind  kind)
{
  switch (kind)
    {
    case RELAY_ACCOUNT_API_KEY:
      return self->api_key_toggle;
    case RELAY_ACCOUNT_SIGNED:
      return self->signed_toggle;
    case RELAY_ACCOUNT_OAUTH:
    default:
      return self->oauth_toggle;
    }
}

static void
kind_changed_cb (RelayWelcomePage *self)
{
  gboolean oauth = relay_welcome_page_get_kind (self) == RELAY_ACCOUNT_OAUTH;

  /* The API-key kinds talk to the REST API only. */
  gtk_widget_set_visible (GTK_WIDGET (self->oauth_base_row), oauth);
}

/* Only the toggle that became active says which kind was chosen. The
 * group first deactivates the previous toggle, while the new one is not
 * active yet: reading the toggles then, and setting them again, left two
 * pressed (issue 10, item 1). So a deactivation changes nothing, and
 * nothing here sets a toggle. */
static void
kind_toggled_cb (RelayWelcomePage *self,
                 GtkToggleButton  *toggle)
{
  if (!gtk_toggle_button_get_active (toggle))
    return;

  for (RelayAccountKind kind = RELAY_ACCOUNT_OAUTH; kind < G_N_ELEMENTS (kind_pages); kind++)
    if (toggle == kind_toggle (self, kind))
      gtk_stack_set_visible_child_name (self->kind_stack, kind_pages[kind]);
}

static void
entry_activated_cb (RelayWelcomePage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.sign-in", NULL);
}

static void
relay_welcome_page_dispose (GObject *object)
{
  RelayWelcomePage *self = (RelayWelcomePage *)object;
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_WELCOME_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (relay_welcome_page_parent_class)->dispose (object);
}

static void
relay_welcome_page_class_init (RelayWelcomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_welcome_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/relaysms/Relay/relay-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayWelcomePage, scroller);
  gtk_widget_class_bind_template_child (widget_class, RelayWelcomePage, kind_stack);
  gtk_widget_class_bind_template_child (widget_class, RelayWelcomePage, oauth_toggle);
  gtk_widget_class_bind_template_child (widget_class, RelayWelcomePage, api_key_toggle);
  gtk_widget_class_bind_template_child (widget_class, RelayWelcomePage, signed_toggle);
  gtk_widget_class_bind_template_child (widget_class, RelayWelcomePage, consumer_key_row);
  gtk_widget_class_bind_template_child (widget_class, RelayWelcomePage, consumer_secret_row);
  gtk_widget_class_bind_template_child (widget_class, RelayWelcomePage, api_key_row);
  gtk_widget_class_bind_template_child (widget_class, RelayWelcomePage, api_secret_row);
  gtk_widget_class_bind_template_child (widget_class, RelayWelcomePage, signed_key_row);
  gtk_widget_class_bind_template_child (widget_class, RelayWelcomePage, signed_secret_row);
  gtk_widget_class_bind_template_child (widget_class, RelayWelcomePage, signature_secret_row);
  gtk_widget_class_bind_template_child (widget_class, RelayWelcomePage, signature_method_row);
  gtk_widget_class_bind_template_child (widget_class, RelayWelcomePage, advanced_row);
  gtk_widget_class_bind_template_child (widget_class, RelayWelcomePage, oauth_base_row);
  gtk_widget_class_bind_template_child (widget_class, RelayWelcomePage, rest_base_row);
  gtk_widget_class_bind_template_child (widget_class, RelayWelcomePage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, RelayWelcomePage, button_stack);
  gtk_widget_class_bind_template_child (widget_class, RelayWelcomePage, spinner);
  gtk_widget_class_bind_template_child (widget_class, RelayWelcomePage, title_label);
  gtk_widget_class_bind_template_child (widget_class, RelayWelcomePage, keys_label);
  gtk_widget_class_bind_template_child (widget_class, RelayWelcomePage, sandbox_button);
  gtk_widget_class_bind_template_child (widget_class, RelayWelcomePage, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, RelayWelcomePage, error_label);
  gtk_widget_class_bind_template_callback (widget_class, relay_welcome_page_clear_error);
  gtk_widget_class_bind_template_callback (widget_class, kind_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, kind_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
relay_welcome_page_init (RelayWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The button's child is a stack (label or spinner), so name it here. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->sign_in_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sign In"),
                                  -1);
  relay_welcome_page_set_endpoints (self, NULL, NULL);
}

RelayAccountKind
relay_welcome_page_get_kind (RelayWelcomePage *self)
{
  const char *name;

  g_return_val_if_fail (RELAY_IS_WELCOME_PAGE (self), RELAY_ACCOUNT_OAUTH);

  name = gtk_stack_get_visible_child_name (self->kind_stack);
  for (RelayAccountKind kind = RELAY_ACCOUNT_OAUTH; kind < G_N_ELEMENTS (kind_pages); kind++)
    if (g_strcmp0 (name, kind_pages[kind]) == 0)
      return kind;

  return RELAY_ACCOUNT_OAUTH;
}

void
relay_welcome_page_set_kind (RelayWelcomePage *self,
                             RelayAccountKind  kind)
{
  g_return_if_fail (RELAY_IS_WELCOME_PAGE (self));
  g_return_if_fail (kind < G_N_ELEMENTS (kind_pages));

  /* The group releases the other toggle; "toggled" shows the page. */
  gtk_toggle_button_set_active (kind_toggle (self, kind), TRUE);
  gtk_stack_set_visible_child_name (self->kind_stack, kind_pages[kind]);
}

/**
 * relay_welcome_page_set_endpoints:
 * @oauth_base: (nullable): OAuth base URL, %NULL for Nexmo's
 * @rest_base: (nullable): REST base URL, %NULL for Nexmo's
 *
 * Fills the "Advanced" fields.
 */
void
relay_welcome_page_set_endpoints (RelayWelcomePage *self,
                                  const char       *oauth_base,
                                  const char       *rest_base)
{
  g_return_if_fail (RELAY_IS_WELCOME_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->oauth_base_row),
                         oauth_base != NULL && *oauth_base != '\0'
                         ? oauth_base : RELAY_NEXMO_OAUTH_BASE);
  gtk_editable_set_text (GTK_EDITABLE (self->rest_base_row),
                         rest_base != NULL && *rest_base != '\0'
                         ? rest_base : RELAY_NEXMO_REST_BASE);
}

/**
 * relay_welcome_page_prefill:
 *
 * Fills in credentials that are not a user's secret (the built-in
 * sandbox's published defaults) and shows that kind.
 */
void
relay_welcome_page_prefill (RelayWelcomePage *self,
                            RelayAccountKind  kind,
                            const char       *key,
                            const char       *secret)
{
  AdwEntryRow *key_row;
  AdwEntryRow *secret_row;

  g_return_if_fail (RELAY_IS_WELCOME_PAGE (self));

  key_row = kind == RELAY_ACCOUNT_OAUTH ? self->consumer_key_row
          : kind == RELAY_ACCOUNT_SIGNED ? self->signed_key_row : self->api_key_row;
  secret_row = kind == RELAY_ACCOUNT_OAUTH ? self->consumer_secret_row
             : kind == RELAY_ACCOUNT_SIGNED ? self->signed_secret_row : self->api_secret_row;
  gtk_editable_set_text (GTK_EDITABLE (key_row), key != NULL ? key : "");
  gtk_editable_set_text (GTK_EDITABLE (secret_row), secret != NULL ? secret : "");
}

/**
 * relay_welcome_page_set_sandbox:
 * @sandbox: whether the page signs in to the in-process sandbox
 *
 * Without the sandbox, the page says where the keys come from (the
 * provider's dashboard) and offers to try the sandbox instead.
 */
void
relay_welcome_page_set_sandbox (RelayWelcomePage *self,
                                gboolean          sandbox)
{
  g_return_if_fail (RELAY_IS_WELCOME_PAGE (self));

  gtk_widget_set_visible (self->keys_label, !sandbox);
  gtk_widget_set_visible (self->sandbox_button, !sandbox);
}

/**
 * relay_welcome_page_show_error:
 * @text: one sentence: why the last sign-in failed
 *
 * Shows why signing in failed, above the form, until the person
 * dismisses it or signs in again.
 */
void
relay_welcome_page_show_error (RelayWelcomePage *self,
                               const char       *text)
{
  g_return_if_fail (RELAY_IS_WELCOME_PAGE (self));

  gtk_label_set_label (self->error_label, text);
  gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
}

/**
 * relay_welcome_page_clear_error:
 */
void
relay_welcome_page_clear_error (RelayWelcomePage *self)
{
  g_return_if_fail (RELAY_IS_WELCOME_PAGE (self));

  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
}

/**
 * relay_welcome_page_get_error:
 *
 * Returns: (nullable): the sign-in problem shown, or %NULL
 */
const char *
relay_welcome_page_get_error (RelayWelcomePage *self)
{
  g_return_val_if_fail (RELAY_IS_WELCOME_PAGE (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->error_revealer))
    return NULL;

  return gtk_label_get_label (self->error_label);
}

/**
 * relay_welcome_page_set_adding:
 * @adding: whether an account is signed in already
 *
 * The page over a signed-in account adds another one: it says so.
 */
void
relay_welcome_page_set_adding (RelayWelcomePage *self,
                               gboolean          adding)
{
  g_return_if_fail (RELAY_IS_WELCOME_PAGE (self));

  gtk_label_set_label (self->title_label, adding ? _("Add Account") : _("Welcome to Relay"));
}

/**
 * relay_welcome_page_prefill_signature:
 * @signature_secret: (nullable): a signature secret that is not a
 *   user's secret (the built-in sandbox's)
 * @method: its method
 *
 * Fills in the signed kind's signature fields.
 */
void
relay_welcome_page_prefill_signature (RelayWelcomePage    *self,
                                      const char          *signature_secret,
                                      RelayNexmoSigMethod  method)
{
  g_return_if_fail (RELAY_IS_WELCOME_PAGE (self));
  g_return_if_fail (method > RELAY_NEXMO_SIG_NONE && method <= RELAY_NEXMO_SIG_SHA512);

  gtk_editable_set_text (GTK_EDITABLE (self->signature_secret_row),
                         signature_secret != NULL ? signature_secret : "");
  adw_combo_row_set_selected (self->signature_method_row, method - RELAY_NEXMO_SIG_MD5HASH);
}

void
relay_welcome_page_set_busy (RelayWelcomePage *self,
                             gboolean          busy)
{
  g_return_if_fail (RELAY_IS_WELCOME_PAGE (self));

  /* A new attempt: the last one's problem is history. */
  if (busy)
    relay_welcome_page_clear_error (self);
  gtk_widget_set_sensitive (self->scroller, !busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_stack_set_visible_child_name (self->button_stack, busy ? "spinner" : "label");
}

/**
 * relay_welcome_page_clear_secrets:
 *
 * Empties the secret fields once a sign-in no longer needs them.
 */
void
relay_welcome_page_clear_secrets (RelayWelcomePage *self)
{
  g_return_if_fail (RELAY_IS_WELCOME_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->consumer_secret_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->api_secret_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->signed_secret_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->signature_secret_row), "");
}

/**
 * relay_welcome_page_build_account:
 * @settings_provider: the provider settings from Preferences (methods,
 *   timeout, authorization mode); its endpoints are not used
 * @problem: (out): a sentence when a field is missing or wrong
 *
 * Returns: (transfer full) (nullable): a new account with its secret set,
 *   or %NULL with @problem set and the first bad field focused
 */
RelayAccount *
relay_welcome_page_build_account (RelayWelcomePage  *self,
                                  RelayProvider     *settings_provider,
                                  char             **problem)
{
  g_autoptr(RelayProvider) provider = NULL;
  g_autoptr(RelayAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *oauth_base = NULL;
  g_autofree char *rest_base = NULL;
  g_autofree char *signature_secret = NULL;
  RelayAccountKind kind;
  gboolean oauth;
  AdwEntryRow *key_row;
  AdwEntryRow *secret_row;

  g_return_val_if_fail (RELAY_IS_WELCOME_PAGE (self), NULL);
  g_return_val_if_fail (RELAY_IS_PROVIDER (settings_provider), NULL);
  g_return_val_if_fail (problem != NULL, NULL);

  *problem = NULL;
  kind = relay_welcome_page_get_kind (self);
  oauth = kind == RELAY_ACCOUNT_OAUTH;
  key_row = oauth ? self->consumer_key_row
          : kind == RELAY_ACCOUNT_SIGNED ? self->signed_key_row : self->api_key_row;
  secret_row = oauth ? self->consumer_secret_row
             : kind == RELAY_ACCOUNT_SIGNED ? self->signed_secret_row : self->api_secret_row;
  key = row_text (key_row);
  secret = g_strdup (gtk_editable_get_text (GTK_EDITABLE (secret_row)));
  oauth_base = row_text (self->oauth_base_row);
  rest_base = row_text (self->rest_base_row);

  set_row_error (key_row, *key == '\0');
  set_row_error (secret_row, *secret == '\0');

  if (*key == '\0')
    {
      *problem = g_strdup (oauth ? _("Enter the consumer key of your OAuth app.")
                                 : _("Enter your API key."));
      gtk_widget_grab_focus (GTK_WIDGET (key_row));
      return NULL;
    }

  if (*secret == '\0')
    {
      *problem = g_strdup (oauth ? _("Enter the consumer secret of your OAuth app.")
                                 : _("Enter your API secret."));
      gtk_widget_grab_focus (GTK_WIDGET (secret_row));
      return NULL;
    }

  if (kind == RELAY_ACCOUNT_SIGNED)
    {
      signature_secret = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->signature_secret_row)));
      set_row_error (self->signature_secret_row, *signature_secret == '\0');
      if (*signature_secret == '\0')
        {
          *problem = g_strdup (_("Enter your signature secret."));
          gtk_widget_grab_focus (GTK_WIDGET (self->signature_secret_row));
          return NULL;
        }
    }

  provider = relay_provider_copy (settings_provider);
  relay_provider_set_oauth_base (provider, oauth_base);
  relay_provider_set_rest_base (provider, rest_base);

  if (!relay_provider_validate (provider, &error))
    {
      *problem = g_strdup (error->message);
      adw_expander_row_set_expanded (self->advanced_row, TRUE);
      return NULL;
    }

  if (oauth)
    account = relay_account_new_oauth (provider, key);
  else if (kind == RELAY_ACCOUNT_SIGNED)
    {
      account = relay_account_new_signed (provider, key,
                                          RELAY_NEXMO_SIG_MD5HASH + adw_combo_row_get_selected (self->signature_method_row));
      relay_account_set_signature_secret (account, signature_secret);
      explicit_bzero (signature_secret, strlen (signature_secret));
    }
  else
    {
      account = relay_account_new_api_key (provider, key);
    }
  relay_account_set_secret (account, secret);

  return g_steal_pointer (&account);
}
