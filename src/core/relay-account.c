/* relay-account.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "relay-account.h"

/* What one sign-in stored: a provider profile and a consumer key (OAuth)
 * or an API key, with the secrets while they are in use. */
struct _RelayAccount
{
  GObject           parent_instance;

  /* owned references */
  RelayProvider    *provider;

  /* identity, not secret */
  RelayAccountKind  kind;
  RelayNexmoSigMethod sig_method;
  char             *key;
  char             *id;
  char             *name;       /* the user's label, or NULL */
  gint64            last_used;
  gint64            clock_offset;

  /* secrets, wiped on release */
  char             *secret;
  char             *token;
  char             *token_secret;
  char             *signature_secret;
};

G_DEFINE_FINAL_TYPE (RelayAccount, relay_account, G_TYPE_OBJECT)

static void
wipe (char **secret)
{
  if (*secret != NULL)
    {
      explicit_bzero (*secret, strlen (*secret));
      g_clear_pointer (secret, g_free);
    }
}

static void
relay_account_finalize (GObject *object)
{
  RelayAccount *self = (RelayAccount *)object;

  relay_account_forget_secrets (self);
  g_clear_object (&self->provider);
  g_clear_pointer (&self->key, g_free);
  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);

  G_OBJECT_CLASS (relay_account_parent_class)->finalize (object);
}

static void
relay_account_class_init (RelayAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = relay_account_finalize;
}

static void
relay_account_init (RelayAccount *self)
{
}

static RelayAccount *
account_new (RelayProvider    *provider,
             RelayAccountKind  kind,
             const char       *key)
{
  RelayAccount *self = g_object_new (RELAY_TYPE_ACCOUNT, NULL);
  g_autofree char *host = relay_provider_get_host (provider);

  self->provider = g_object_ref (provider);
  self->kind = kind;
  self->key = g_strdup (key);
  /* The id names the provider and the key, never a secret:
   * "oauth:KEY@HOST" or "api:KEY@HOST". A signed account is the same
   * Nexmo account as the API key's, so it shares its id (and signing in
   * with the signature secret replaces the plain item). */
  self->id = g_strdup_printf ("%s:%s@%s", kind == RELAY_ACCOUNT_OAUTH ? "oauth" : "api", key, host);

  return self;
}

/**
 * relay_account_new_oauth:
 *
 * Returns: (transfer full): an OAuth account without secrets yet
 */
RelayAccount *
relay_account_new_oauth (RelayProvider *provider,
                         const char    *consumer_key)
{
  g_return_val_if_fail (RELAY_IS_PROVIDER (provider), NULL);
  g_return_val_if_fail (consumer_key != NULL && *consumer_key != '\0', NULL);

  return account_new (provider, RELAY_ACCOUNT_OAUTH, consumer_key);
}

/**
 * relay_account_new_api_key:
 *
 * Returns: (transfer full): an API-key account without its secret yet
 */
RelayAccount *
relay_account_new_api_key (RelayProvider *provider,
                           const char    *api_key)
{
  g_return_val_if_fail (RELAY_IS_PROVIDER (provider), NULL);
  g_return_val_if_fail (api_key != NULL && *api_key != '\0', NULL);

  return account_new (provider, RELAY_ACCOUNT_API_KEY, api_key);
}

/**
 * relay_account_new_signed:
 * @method: how the signature secret signs SMS requests
 *
 * Returns: (transfer full): an account whose SMS requests carry a
 *   signature instead of the API secret, without its secrets yet
 */
RelayAccount *
relay_account_new_signed (RelayProvider       *provider,
                          const char          *api_key,
                          RelayNexmoSigMethod  method)
{
  RelayAccount *self;

  g_return_val_if_fail (RELAY_IS_PROVIDER (provider), NULL);
  g_return_val_if_fail (api_key != NULL && *api_key != '\0', NULL);
  g_return_val_if_fail (method > RELAY_NEXMO_SIG_NONE && method <= RELAY_NEXMO_SIG_SHA512, NULL);

  self = account_new (provider, RELAY_ACCOUNT_SIGNED, api_key);
  self->sig_method = method;

  return self;
}

const char *
relay_account_get_id (RelayAccount *self)
{
  g_return_val_if_fail (RELAY_IS_ACCOUNT (self), NULL);

  return self->id;
}

RelayAccountKind
relay_account_get_kind (RelayAccount *self)
{
  g_return_val_if_fail (RELAY_IS_ACCOUNT (self), RELAY_ACCOUNT_OAUTH);

  return self->kind;
}

/**
 * relay_account_has_api_key:
 *
 * Returns: %TRUE for the kinds that hold an API key and secret (every
 *   call but a signed account's SMS uses them)
 */
gboolean
relay_account_has_api_key (RelayAccount *self)
{
  g_return_val_if_fail (RELAY_IS_ACCOUNT (self), FALSE);

  return self->kind == RELAY_ACCOUNT_API_KEY || self->kind == RELAY_ACCOUNT_SIGNED;
}

/**
 * relay_account_get_sig_method:
 *
 * Returns: how SMS requests are signed, %RELAY_NEXMO_SIG_NONE unless the
 *   account is %RELAY_ACCOUNT_SIGNED
 */
RelayNexmoSigMethod
relay_account_get_sig_method (RelayAccount *self)
{
  g_return_val_if_fail (RELAY_IS_ACCOUNT (self), RELAY_NEXMO_SIG_NONE);

  return self->sig_method;
}

/**
 * relay_account_get_provider:
 *
 * Returns: (transfer none): the provider profile
 */
RelayProvider *
relay_account_get_provider (RelayAccount *self)
{
  g_return_val_if_fail (RELAY_IS_ACCOUNT (self), NULL);

  return self->provider;
}

/**
 * relay_account_get_key:
 *
 * Returns: the consumer key or the API key (public identifiers)
 */
const char *
relay_account_get_key (RelayAccount *self)
{
  g_return_val_if_fail (RELAY_IS_ACCOUNT (self), NULL);

  return self->key;
}

/**
 * relay_account_dup_label:
 *
 * Returns: (transfer full): a name for people, also the keyring item label
 */
char *
relay_account_dup_label (RelayAccount *self)
{
  g_autofree char *host = NULL;

  g_return_val_if_fail (RELAY_IS_ACCOUNT (self), NULL);

  host = relay_provider_get_host (self->provider);
  if (self->kind == RELAY_ACCOUNT_OAUTH)
    /* Translators: the keyring label; %s are a consumer key and a host name */
    return g_strdup_printf (_("Relay: %s on %s (OAuth)"), self->key, host);

  if (self->kind == RELAY_ACCOUNT_SIGNED)
    /* Translators: the keyring label; %s are an API key and a host name */
    return g_strdup_printf (_("Relay: %s on %s (API key and signature secret)"), self->key, host);

  /* Translators: the keyring label; %s are an API key and a host name */
  return g_strdup_printf (_("Relay: %s on %s (API key)"), self->key, host);
}

/**
 * relay_account_get_name:
 *
 * Returns: (nullable): the name the user gave the account, or %NULL
 */
const char *
relay_account_get_name (RelayAccount *self)
{
  g_return_val_if_fail (RELAY_IS_ACCOUNT (self), NULL);

  return self->name;
}

/**
 * relay_account_set_name:
 * @name: (nullable): a name for people; %NULL or blank for the default
 */
void
relay_account_set_name (RelayAccount *self,
                        const char   *name)
{
  g_autofree char *stripped = NULL;

  g_return_if_fail (RELAY_IS_ACCOUNT (self));

  if (name != NULL)
    stripped = g_strstrip (g_strdup (name));
  g_free (self->name);
  self->name = stripped != NULL && *stripped != '\0' ? g_steal_pointer (&stripped) : NULL;
}

/**
 * relay_account_dup_display_name:
 *
 * Returns: (transfer full): the user's name for the account, or else the
 *   provider's name and the key's last four characters ("Nexmo · …a1b2")
 */
char *
relay_account_dup_display_name (RelayAccount *self)
{
  g_autofree char *host = NULL;
  const char *provider;
  const char *tail;
  glong len;

  g_return_val_if_fail (RELAY_IS_ACCOUNT (self), NULL);

  if (self->name != NULL)
    return g_strdup (self->name);

  host = relay_provider_get_host (self->provider);
  if (g_str_has_suffix (host, "nexmo.com") || g_str_has_suffix (host, "vonage.com"))
    provider = "Nexmo";
  else if (g_str_has_prefix (host, "127.0.0.1") || g_str_has_prefix (host, "localhost") ||
           g_str_has_prefix (host, "[::1]"))
    /* Translators: the provider's name of a local sandbox, in account names */
    provider = _("Sandbox");
  else
    provider = host;

  len = g_utf8_strlen (self->key, -1);
  tail = len > 4 ? g_utf8_offset_to_pointer (self->key, len - 4) : self->key;

  /* Translators: an account's default name: a provider and the last
   * characters of its key, e.g. "Nexmo · …a1b2" */
  return g_strdup_printf (_("%s · …%s"), provider, tail);
}

gint64
relay_account_get_last_used (RelayAccount *self)
{
  g_return_val_if_fail (RELAY_IS_ACCOUNT (self), 0);

  return self->last_used;
}

void
relay_account_set_last_used (RelayAccount *self,
                             gint64        unix_time)
{
  g_return_if_fail (RELAY_IS_ACCOUNT (self));

  self->last_used = unix_time;
}

gint64
relay_account_get_clock_offset (RelayAccount *self)
{
  g_return_val_if_fail (RELAY_IS_ACCOUNT (self), 0);

  return self->clock_offset;
}

/**
 * relay_account_set_clock_offset:
 *
 * Seconds to add to the local clock for oauth_timestamp, learned when the
 * provider refused a timestamp.
 */
void
relay_account_set_clock_offset (RelayAccount *self,
                                gint64        seconds)
{
  g_return_if_fail (RELAY_IS_ACCOUNT (self));

  self->clock_offset = seconds;
}

/**
 * relay_account_set_secret:
 * @secret: the consumer secret (OAuth) or the API secret
 */
void
relay_account_set_secret (RelayAccount *self,
                          const char   *secret)
{
  g_return_if_fail (RELAY_IS_ACCOUNT (self));

  wipe (&self->secret);
  self->secret = g_strdup (secret);
}

/**
 * relay_account_set_token:
 *
 * Sets the OAuth access token and its secret.
 */
void
relay_account_set_token (RelayAccount *self,
                         const char   *token,
                         const char   *token_secret)
{
  g_return_if_fail (RELAY_IS_ACCOUNT (self));

  wipe (&self->token);
  wipe (&self->token_secret);
  self->token = g_strdup (token);
  self->token_secret = g_strdup (token_secret);
}

/**
 * relay_account_set_signature_secret:
 * @signature_secret: the secret that signs a signed account's SMS
 */
void
relay_account_set_signature_secret (RelayAccount *self,
                                    const char   *signature_secret)
{
  g_return_if_fail (RELAY_IS_ACCOUNT (self));

  wipe (&self->signature_secret);
  self->signature_secret = g_strdup (signature_secret);
}

const char *
relay_account_get_signature_secret (RelayAccount *self)
{
  g_return_val_if_fail (RELAY_IS_ACCOUNT (self), NULL);

  return self->signature_secret;
}

const char *
relay_account_get_secret (RelayAccount *self)
{
  g_return_val_if_fail (RELAY_IS_ACCOUNT (self), NULL);

  return self->secret;
}

const char *
relay_account_get_token (RelayAccount *self)
{
  g_return_val_if_fail (RELAY_IS_ACCOUNT (self), NULL);

  return self->token;
}

const char *
relay_account_get_token_secret (RelayAccount *self)
{
  g_return_val_if_fail (RELAY_IS_ACCOUNT (self), NULL);

  return self->token_secret;
}

/**
 * relay_account_is_complete:
 *
 * Returns: %TRUE when the account holds every secret its kind needs to
 *   make calls
 */
gboolean
relay_account_is_complete (RelayAccount *self)
{
  g_return_val_if_fail (RELAY_IS_ACCOUNT (self), FALSE);

  if (self->secret == NULL)
    return FALSE;

  if (self->kind == RELAY_ACCOUNT_SIGNED)
    return self->signature_secret != NULL && *self->signature_secret != '\0';

  return self->kind == RELAY_ACCOUNT_API_KEY || (self->token != NULL && self->token_secret != NULL);
}

void
relay_account_forget_secrets (RelayAccount *self)
{
  g_return_if_fail (RELAY_IS_ACCOUNT (self));

  wipe (&self->secret);
  wipe (&self->token);
  wipe (&self->token_secret);
  wipe (&self->signature_secret);
}
