/* relay-account.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "relay-nexmo-sig.h"
#include "relay-provider.h"

G_BEGIN_DECLS

typedef enum
{
  RELAY_ACCOUNT_OAUTH,
  RELAY_ACCOUNT_API_KEY,
  RELAY_ACCOUNT_SIGNED,     /* API key, SMS signed with the signature secret */
} RelayAccountKind;

#define RELAY_TYPE_ACCOUNT (relay_account_get_type ())

G_DECLARE_FINAL_TYPE (RelayAccount, relay_account, RELAY, ACCOUNT, GObject)

RelayAccount     *relay_account_new_oauth         (RelayProvider *provider,
                                                   const char    *consumer_key);
RelayAccount     *relay_account_new_api_key       (RelayProvider *provider,
                                                   const char    *api_key);
RelayAccount     *relay_account_new_signed        (RelayProvider *provider,
                                                   const char    *api_key,
                                                   RelayNexmoSigMethod method);
const char       *relay_account_get_id            (RelayAccount  *self);
RelayAccountKind  relay_account_get_kind          (RelayAccount  *self);
gboolean          relay_account_has_api_key       (RelayAccount  *self);
RelayNexmoSigMethod relay_account_get_sig_method  (RelayAccount  *self);
RelayProvider    *relay_account_get_provider      (RelayAccount  *self);
const char       *relay_account_get_key           (RelayAccount  *self);
char             *relay_account_dup_label         (RelayAccount  *self);
const char       *relay_account_get_name          (RelayAccount  *self);
void              relay_account_set_name          (RelayAccount  *self,
                                                   const char    *name);
char             *relay_account_dup_display_name  (RelayAccount  *self);
gint64            relay_account_get_last_used     (RelayAccount  *self);
void              relay_account_set_last_used     (RelayAccount  *self,
                                                   gint64         unix_time);
gint64            relay_account_get_clock_offset  (RelayAccount  *self);
void              relay_account_set_clock_offset  (RelayAccount  *self,
                                                   gint64         seconds);

/* Secrets live in memory only while in use; the keyring holds them. */
void              relay_account_set_secret        (RelayAccount  *self,
                                                   const char    *secret);
void              relay_account_set_token         (RelayAccount  *self,
                                                   const char    *token,
                                                   const char    *token_secret);
void              relay_account_set_signature_secret (RelayAccount *self,
                                                   const char    *signature_secret);
const char       *relay_account_get_signature_secret (RelayAccount *self);
const char       *relay_account_get_secret        (RelayAccount  *self);
const char       *relay_account_get_token         (RelayAccount  *self);
const char       *relay_account_get_token_secret  (RelayAccount  *self);
gboolean          relay_account_is_complete       (RelayAccount  *self);
void              relay_account_forget_secrets    (RelayAccount  *self);

G_END_DECLS
