/* relay-credential-store.h
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "relay-account.h"

G_BEGIN_DECLS

#define RELAY_CREDENTIAL_SCHEMA_NAME "io.github.relaysms.Relay.Credential"
/* Items of this schema only ever hold test accounts; the store uses it when
 * RELAY_CREDENTIAL_SCHEMA names it exactly (test runs), never otherwise. */
#define RELAY_CREDENTIAL_TEST_SCHEMA_NAME RELAY_CREDENTIAL_SCHEMA_NAME ".Test"
#define RELAY_CREDENTIAL_ERROR (relay_credential_error_quark ())

typedef enum
{
  RELAY_CREDENTIAL_ERROR_UNAVAILABLE,  /* no bus, no Secret Service */
  RELAY_CREDENTIAL_ERROR_NOT_FOUND,    /* no such account, or no account at all */
  RELAY_CREDENTIAL_ERROR_CORRUPT,      /* an item Relay cannot read */
  RELAY_CREDENTIAL_ERROR_LOCKED,       /* locked, and unlocking failed or was dismissed */
} RelayCredentialError;

GQuark        relay_credential_error_quark        (void);

#define RELAY_TYPE_CREDENTIAL_STORE (relay_credential_store_get_type ())

G_DECLARE_FINAL_TYPE (RelayCredentialStore, relay_credential_store, RELAY, CREDENTIAL_STORE, GObject)

RelayCredentialStore *relay_credential_store_new             (const char           *schema_name);
RelayCredentialStore *relay_credential_store_get_default     (void);
RelayCredentialStore *relay_credential_store_get_sandbox     (void);
const char           *relay_credential_store_get_schema_name (RelayCredentialStore *self);

/* Every operation that finds its items, or (to store) the default
 * collection, locked first asks the Secret Service to unlock them, which
 * prompts on a desktop; when that fails or is dismissed, it fails with
 * RELAY_CREDENTIAL_ERROR_LOCKED, never as if there were no item. */

/* Stores the account's identity (as attributes) and its secrets (as the
 * item's secret) in one keyring item, replacing an item with the same id. */
void          relay_credential_store_save_async   (RelayCredentialStore *self,
                                                   RelayAccount         *account,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean      relay_credential_store_save_finish  (GAsyncResult         *result,
                                                   GError              **error);

/* Every stored account, without secrets, most recently used first. */
void          relay_credential_store_list_async   (RelayCredentialStore *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
GPtrArray    *relay_credential_store_list_finish  (GAsyncResult         *result,
                                                   GError              **error);

/* One account with its secrets; @account_id NULL means the only, or else
 * the most recently used, account. Marks it used. */
void          relay_credential_store_load_async   (RelayCredentialStore *self,
                                                   const char           *account_id,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
RelayAccount *relay_credential_store_load_finish  (GAsyncResult         *result,
                                                   GError              **error);

/* Removes the account's item(s); NOT_FOUND when there was none. */
void          relay_credential_store_delete_async (RelayCredentialStore *self,
                                                   const char           *account_id,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean      relay_credential_store_delete_finish (GAsyncResult        *result,
                                                   GError              **error);

G_END_DECLS
