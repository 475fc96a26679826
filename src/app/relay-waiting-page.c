/* relay-waiting-page.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "relay-waiting-page.h"

/* Shown while the user approves Relay in the browser. In callback mode
 * the browser comes back by itself; in oob mode the user pastes the
 * verifier; in legacy mode the user confirms with a button. */
struct _RelayWaitingPage
{
  GtkWidget               parent_instance;

  /* template widgets */
  AdwStatusPage          *status_page;
  GtkSpinner             *spinner;
  GtkWidget              *verifier_group;
  AdwEntryRow            *verifier_row;
  GtkButton              *continue_button;
  GtkLabel               *link_label;
  GtkWidget              *open_again_button;

  /* state */
  RelayAuthorizationMode  mode;
};

G_DEFINE_FINAL_TYPE (RelayWaitingPage, relay_waiting_page, GTK_TYPE_WIDGET)

static void
verifier_activated_cb (RelayWaitingPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.continue-sign-in", NULL);
}

static void
relay_waiting_page_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), RELAY_TYPE_WAITING_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (relay_waiting_page_parent_class)->dispose (object);
}

static void
relay_waiting_page_class_init (RelayWaitingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_waiting_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/relaysms/Relay/relay-waiting-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayWaitingPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, RelayWaitingPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, RelayWaitingPage, verifier_group);
  gtk_widget_class_bind_template_child (widget_class, RelayWaitingPage, verifier_row);
  gtk_widget_class_bind_template_child (widget_class, RelayWaitingPage, continue_button);
  gtk_widget_class_bind_template_child (widget_class, RelayWaitingPage, link_label);
  gtk_widget_class_bind_template_child (widget_class, RelayWaitingPage, open_again_button);
  gtk_widget_class_bind_template_callback (widget_class, verifier_activated_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
relay_waiting_page_init (RelayWaitingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  relay_waiting_page_reset (self, RELAY_AUTHORIZATION_CALLBACK);
}

/**
 * relay_waiting_page_reset:
 * @mode: how the provider finishes authorization
 *
 * Prepares the page for a new sign-in.
 */
void
relay_waiting_page_reset (RelayWaitingPage       *self,
                          RelayAuthorizationMode  mode)
{
  const char *description;

  g_return_if_fail (RELAY_IS_WAITING_PAGE (self));

  self->mode = mode;

  switch (mode)
    {
    case RELAY_AUTHORIZATION_OOB:
      description = _("Approve Relay in your browser, then enter the verification code the provider shows.");
      gtk_button_set_label (self->continue_button, _("_Continue"));
      break;

    case RELAY_AUTHORIZATION_LEGACY:
      description = _("Approve Relay in your browser, then come back here.");
      gtk_button_set_label (self->continue_button, _("I Have _Authorized Relay"));
      break;

    case RELAY_AUTHORIZATION_CALLBACK:
    default:
      description = _("Approve Relay in your browser. Relay continues by itself when you are done.");
      break;
    }

  adw_status_page_set_title (self->status_page, _("Waiting for Your Browser…"));
  adw_status_page_set_description (self->status_page, description);
  gtk_label_set_label (self->link_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->link_label), FALSE);
  gtk_widget_set_visible (self->open_again_button, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->verifier_row), "");
  gtk_widget_set_visible (self->verifier_group, mode == RELAY_AUTHORIZATION_OOB);
  gtk_widget_set_visible (GTK_WIDGET (self->continue_button), mode != RELAY_AUTHORIZATION_CALLBACK);
  relay_waiting_page_set_busy (self, mode == RELAY_AUTHORIZATION_CALLBACK);
}

/**
 * relay_waiting_page_set_browser_failed:
 * @uri: the authorization link
 *
 * No browser opened: the page says so and shows the link itself, to
 * copy into any browser or to open again.
 */
void
relay_waiting_page_set_browser_failed (RelayWaitingPage *self,
                                       const char       *uri)
{
  g_return_if_fail (RELAY_IS_WAITING_PAGE (self));
  g_return_if_fail (uri != NULL);

  adw_status_page_set_title (self->status_page, _("No Browser Opened"));
  adw_status_page_set_description (self->status_page,
                                   _("Relay could not open a web browser. Open this link in a browser to approve Relay, then come back here."));
  gtk_label_set_label (self->link_label, uri);
  gtk_widget_set_visible (GTK_WIDGET (self->link_label), TRUE);
  gtk_widget_set_visible (self->open_again_button, TRUE);
}

/**
 * relay_waiting_page_get_browser_failed:
 *
 * Returns: whether the page says that no browser opened
 */
gboolean
relay_waiting_page_get_browser_failed (RelayWaitingPage *self)
{
  g_return_val_if_fail (RELAY_IS_WAITING_PAGE (self), FALSE);

  return gtk_widget_get_visible (GTK_WIDGET (self->link_label));
}

/**
 * relay_waiting_page_set_busy:
 *
 * Spins while Relay waits for the browser or exchanges the token.
 */
void
relay_waiting_page_set_busy (RelayWaitingPage *self,
                             gboolean          busy)
{
  g_return_if_fail (RELAY_IS_WAITING_PAGE (self));

  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_widget_set_sensitive (self->verifier_group, !busy);
}

/**
 * relay_waiting_page_dup_verifier:
 *
 * Returns: (transfer full) (nullable): the pasted verifier, trimmed, or
 *   %NULL when the mode has none or the field is empty
 */
char *
relay_waiting_page_dup_verifier (RelayWaitingPage *self)
{
  g_autofree char *verifier = NULL;

  g_return_val_if_fail (RELAY_IS_WAITING_PAGE (self), NULL);

  if (self->mode != RELAY_AUTHORIZATION_OOB)
    return NULL;

  verifier = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->verifier_row))));
  if (*verifier == '\0')
    return NULL;

  return g_steal_pointer (&verifier);
}
