/* relay-welcome-page.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "relay-account.h"

G_BEGIN_DECLS

#define RELAY_TYPE_WELCOME_PAGE (relay_welcome_page_get_type ())

G_DECLARE_FINAL_TYPE (RelayWelcomePage, relay_welcome_page, RELAY, WELCOME_PAGE, GtkWidget)

RelayAccountKind  relay_welcome_page_get_kind       (RelayWelcomePage  *self);
void              relay_welcome_page_set_kind       (RelayWelcomePage  *self,
                                                     RelayAccountKind   kind);
void              relay_welcome_page_set_endpoints  (RelayWelcomePage  *self,
                                                     const char        *oauth_base,
                                                     const char        *rest_base);
void              relay_welcome_page_prefill        (RelayWelcomePage  *self,
                                                     RelayAccountKind   kind,
                                                     const char        *key,
                                                     const char        *secret);
void              relay_welcome_page_prefill_signature (RelayWelcomePage *self,
                                                     const char        *signature_secret,
                                                     RelayNexmoSigMethod method);
void              relay_welcome_page_set_sandbox    (RelayWelcomePage  *self,
                                                   gboolean           sandbox);
void              relay_welcome_page_set_adding     (RelayWelcomePage  *self,
                                                   gboolean           adding);
void              relay_welcome_page_show_error     (RelayWelcomePage  *self,
                                                   const char        *text);
void              relay_welcome_page_clear_error    (RelayWelcomePage  *self);
const char       *relay_welcome_page_get_error      (RelayWelcomePage  *self);
void              relay_welcome_page_set_busy       (RelayWelcomePage  *self,
                                                     gboolean           busy);
void              relay_welcome_page_clear_secrets  (RelayWelcomePage  *self);
RelayAccount     *relay_welcome_page_build_account  (RelayWelcomePage  *self,
                                                     RelayProvider     *settings_provider,
                                                     char             **problem);

G_END_DECLS
