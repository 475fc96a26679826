/* relay-credential-store.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Relay"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>
#include <string.h>

#include "relay-credential-store.h"
#include "relay-oauth1-params.h"

G_DEFINE_QUARK (relay-credential-error-quark, relay_credential_error)

/* Attributes are public (stored unencrypted): identity and endpoints only.
 * The item's secret holds every secret of the account, form-encoded. A
 * store copies this with its own schema name. */
static const SecretSchema credential_schema = {
  RELAY_CREDENTIAL_SCHEMA_NAME, SECRET_SCHEMA_NONE,
  {
    { "id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "key", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "oauth-base", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "rest-base", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "reports-base", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "signature-method", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "sms-method", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "token-method", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "authorization-mode", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "use-authenticate", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "basic-auth", SECRET_SCHEMA_ATTRIBUTE_STRING },
    /* A signed account's method (md5hash, …); its secret is not here. */
    { "sms-signature", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "last-used", SECRET_SCHEMA_ATTRIBUTE_STRING },
    /* The same moment in microseconds: "most recently used" must tell
     * apart two uses within one second. */
    { "last-used-us", SECRET_SCHEMA_ATTRIBUTE_STRING },
    /* The name the user gave the account; absent means the default. */
    { "name", SECRET_SCHEMA_ATTRIBUTE_STRING },
    /* "true" on accounts of `relay --sandbox`: only a sandbox store (see
     * relay_credential_store_get_sandbox()) reads or lists them. */
    { "sandbox", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

struct _RelayCredentialStore
{
  GObject       parent_instance;

  char         *schema_name;
  SecretSchema  schema;
  gboolean      sandbox;
};

G_DEFINE_FINAL_TYPE (RelayCredentialStore, relay_credential_store, G_TYPE_OBJECT)

static void
relay_credential_store_finalize (GObject *object)
{
  RelayCredentialStore *self = (RelayCredentialStore *) object;

  g_free (self->schema_name);

  G_OBJECT_CLASS (relay_credential_store_parent_class)->finalize (object);
}

static void
relay_credential_store_class_init (RelayCredentialStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = relay_credential_store_finalize;
}

static void
relay_credential_store_init (RelayCredentialStore *self)
{
}

/**
 * relay_credential_store_new:
 * @schema_name: the libsecret schema of this store's items:
 *   %RELAY_CREDENTIAL_SCHEMA_NAME for the user's accounts,
 *   %RELAY_CREDENTIAL_TEST_SCHEMA_NAME in tests
 *
 * A store sees, changes and deletes only items of its own schema.
 */
RelayCredentialStore *
relay_credential_store_new (const char *schema_name)
{
  RelayCredentialStore *self;

  g_return_val_if_fail (schema_name != NULL && *schema_name != '\0', NULL);

  self = g_object_new (RELAY_TYPE_CREDENTIAL_STORE, NULL);
  self->schema_name = g_strdup (schema_name);
  self->schema = credential_schema;
  self->schema.name = self->schema_name;

  return self;
}

/**
 * relay_credential_store_get_default:
 *
 * The store of the user's accounts; or, only when the environment variable
 * RELAY_CREDENTIAL_SCHEMA names it exactly, of the test schema, so that a
 * test run of relay or relay-cli can never see, change or delete the
 * user's real items, and no other value can redirect Relay.
 *
 * Returns: (transfer none): the process's store
 */
RelayCredentialStore *
relay_credential_store_get_default (void)
{
  static RelayCredentialStore *store;

  if (g_once_init_enter (&store))
    {
      const char *wanted = g_getenv ("RELAY_CREDENTIAL_SCHEMA");
      const char *name = RELAY_CREDENTIAL_SCHEMA_NAME;

      if (g_strcmp0 (wanted, RELAY_CREDENTIAL_TEST_SCHEMA_NAME) == 0)
        name = RELAY_CREDENTIAL_TEST_SCHEMA_NAME;
      else if (wanted != NULL)
        g_warning ("RELAY_CREDENTIAL_SCHEMA may only be %s; ignoring it",
                   RELAY_CREDENTIAL_TEST_SCHEMA_NAME);
      g_once_init_leave (&store, relay_credential_store_new (name));
    }

  return store;
}

/**
 * relay_credential_store_get_sandbox:
 *
 * The store of the sandbox's accounts (`relay --sandbox`): the default
 * store's schema, but its items carry sandbox="true", which only this
 * store reads; the default store never lists or loads them. Saving a
 * sandbox account replaces the sandbox items of the same key and kind
 * from earlier runs (each run listens on another port), so the keyring
 * keeps one item, not one per run.
 *
 * Returns: (transfer none): the process's sandbox store
 */
RelayCredentialStore *
relay_credential_store_get_sandbox (void)
{
  static RelayCredentialStore *store;

  if (g_once_init_enter (&store))
    {
      RelayCredentialStore *sandbox;

      sandbox = relay_credential_store_new (relay_credential_store_get_schema_name (relay_credential_store_get_default ()));
      sandbox->sandbox = TRUE;
      g_once_init_leave (&store, sandbox);
    }

  return store;
}

/* Whether this store may show the item of @attributes. */
static gboolean
store_owns (RelayCredentialStore *self,
            GHashTable           *attributes)
{
  return self->sandbox == (g_strcmp0 (g_hash_table_lookup (attributes, "sandbox"), "true") == 0);
}

const char *
relay_credential_store_get_schema_name (RelayCredentialStore *self)
{
  g_return_val_if_fail (RELAY_IS_CREDENTIAL_STORE (self), NULL);

  return self->schema_name;
}

/* Searches when a found item vanishes before it is read. */
#define MAX_LOAD_SEARCHES 3

static const SecretSchema *
schema (GTask *task)
{
  return &RELAY_CREDENTIAL_STORE (g_task_get_source_object (task))->schema;
}

static const char *const kind_names[] = {
  [RELAY_ACCOUNT_OAUTH] = "oauth",
  [RELAY_ACCOUNT_API_KEY] = "api",
  [RELAY_ACCOUNT_SIGNED] = "signed",
};

static const char *const modes[] = {
  [RELAY_AUTHORIZATION_CALLBACK] = "callback",
  [RELAY_AUTHORIZATION_OOB] = "oob",
  [RELAY_AUTHORIZATION_LEGACY] = "legacy",
};

typedef struct
{
  RelayAccount *account;    /* save: the account; load: the result */
  GHashTable   *attributes; /* the new attributes */
  char         *secret;     /* wiped on free */
  char         *label;
  GList        *old;        /* GHashTable * of items to prune */
  gint64        used_us;    /* load: when the item was last used */
  char         *wanted_id;  /* load: the account asked for, or NULL */
  GObject      *item;       /* load: the item read (SecretRetrievable) */
  guint         searches;   /* load, list: searches so far */
  GList        *locked;     /* locked items or collection to unlock (owned) */
  gboolean      unlock_asked; /* the Secret Service was asked to unlock once */
  void        (*after_unlock) (GTask *task);
} StoreOp;

static void
store_op_free (StoreOp *op)
{
  g_clear_object (&op->account);
  g_clear_pointer (&op->attributes, g_hash_table_unref);
  if (op->secret != NULL)
    explicit_bzero (op->secret, strlen (op->secret));
  g_clear_pointer (&op->secret, g_free);
  g_clear_pointer (&op->label, g_free);
  g_clear_pointer (&op->wanted_id, g_free);
  g_clear_object (&op->item);
  g_list_free_full (op->old, (GDestroyNotify) g_hash_table_unref);
  g_list_free_full (op->locked, g_object_unref);
  g_free (op);
}

static StoreOp *
task_op (GTask *task)
{
  StoreOp *op = g_task_get_task_data (task);

  if (op == NULL)
    {
      op = g_new0 (StoreOp, 1);
      g_task_set_task_data (task, op, (GDestroyNotify) store_op_free);
    }

  return op;
}

/* Locked is not absent: the items are there, Relay may not read them. */
static GError *
locked_error (void)
{
  return g_error_new_literal (RELAY_CREDENTIAL_ERROR, RELAY_CREDENTIAL_ERROR_LOCKED,
                              _("The keyring is locked, so Relay cannot use your sign-in. Unlock it with its "
                                "password (when your desktop asks, or in Passwords and Keys) and try again."));
}

/* Every keyring failure means the same to the user: Relay cannot keep the
 * sign-in. The cause goes to the debug log (it never holds a secret). */
static GError *
map_error (GError       *error,
           GCancellable *cancellable)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      g_cancellable_is_cancelled (cancellable))
    return g_error_copy (error);

  g_debug ("Keyring error: %s (%s, %d)", error->message,
           g_quark_to_string (error->domain), error->code);

  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    return locked_error ();

  return g_error_new_literal (RELAY_CREDENTIAL_ERROR, RELAY_CREDENTIAL_ERROR_UNAVAILABLE,
                              _("No keyring is available, so Relay cannot store your sign-in; nothing was saved."));
}

static GError *
unavailable_on_read (GError       *error,
                     GCancellable *cancellable)
{
  GError *mapped = map_error (error, cancellable);

  if (g_error_matches (mapped, RELAY_CREDENTIAL_ERROR, RELAY_CREDENTIAL_ERROR_UNAVAILABLE))
    {
      g_free (mapped->message);
      mapped->message = g_strdup (_("No keyring is available, so Relay cannot read your sign-in."));
    }

  return mapped;
}

/* Whether there is a session bus to ask, without starting one. With
 * neither DBUS_SESSION_BUS_ADDRESS nor $XDG_RUNTIME_DIR/bus, GDBus
 * autolaunches a new bus through dbus-launch, whose freshly activated
 * keyring has no unlocked collection: the call then waits for a prompt
 * until D-Bus gives up (25 s), and leaves a stray bus and keyring daemon
 * behind. No bus means no keyring, at once. */
static gboolean
session_bus_reachable (GError **error)
{
  const char *address = g_getenv ("DBUS_SESSION_BUS_ADDRESS");
  g_autofree char *socket = NULL;

  if (address != NULL && *address != '\0')
    return TRUE;

  socket = g_build_filename (g_get_user_runtime_dir (), "bus", NULL);
  if (g_file_test (socket, G_FILE_TEST_EXISTS))
    return TRUE;

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       "no session bus: DBUS_SESSION_BUS_ADDRESS is unset and $XDG_RUNTIME_DIR/bus is missing");
  return FALSE;
}

/* Keeps a reference to each locked one of @items (SecretItem; other
 * backends have no locks) in @op, to unlock; returns how many. */
static guint
collect_locked (StoreOp *op,
                GList   *items)
{
  guint count = 0;

  for (GList *l = items; l != NULL; l = l->next)
    if (SECRET_IS_ITEM (l->data) && secret_item_get_locked (l->data))
      {
        op->locked = g_list_prepend (op->locked, g_object_ref (l->data));
        count++;
      }

  return count;
}

static void
unlock_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StoreOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GList *unlocked = NULL;
  guint wanted = g_list_length (op->locked);
  gint count;

  count = secret_service_unlock_finish (NULL, result, &unlocked, &error);
  g_list_free_full (unlocked, g_object_unref);
  g_list_free_full (g_steal_pointer (&op->locked), g_object_unref);

  if (g_task_return_error_if_cancelled (task))
    return;

  /* Dismissed, or no prompt could be shown (no display, no prompter):
   * the items stay locked, and that is what the user is told. */
  if (error != NULL || count < 0 || (guint) count < wanted)
    {
      g_debug ("The keyring was not unlocked (%u of %u unlocked%s%s)", MAX (count, 0), wanted,
               error != NULL ? ": " : "", error != NULL ? error->message : "");
      g_task_return_error (task, locked_error ());
      return;
    }

  op->after_unlock (g_steal_pointer (&task));
}

/* Takes @task. Asks the Secret Service to unlock what collect_locked()
 * kept (on a desktop, its prompter asks for the keyring's password), then
 * goes on with @next, which searches again: what was read of locked
 * items may be incomplete. Asks once per operation; still locked after
 * that, the operation fails with RELAY_CREDENTIAL_ERROR_LOCKED. */
static void
unlock_then (GTask  *task,
             void  (*next) (GTask *task))
{
  StoreOp *op = g_task_get_task_data (task);

  if (op->unlock_asked)
    {
      g_list_free_full (g_steal_pointer (&op->locked), g_object_unref);
      g_task_return_error (task, locked_error ());
      g_object_unref (task);
      return;
    }

  g_debug ("%u keyring object(s) are locked; asking to unlock them", g_list_length (op->locked));
  op->unlock_asked = TRUE;
  op->after_unlock = next;
  secret_service_unlock (NULL, op->locked, g_task_get_cancellable (task), unlock_cb, task);
}

static GHashTable *
new_attributes (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* Only the schema's own attributes, as libsecret validates them. */
static GHashTable *
schema_attributes (GHashTable *all)
{
  GHashTable *attributes = new_attributes ();

  for (guint i = 0; credential_schema.attributes[i].name != NULL; i++)
    {
      const char *value = g_hash_table_lookup (all, credential_schema.attributes[i].name);

      if (value != NULL)
        g_hash_table_insert (attributes, g_strdup (credential_schema.attributes[i].name), g_strdup (value));
    }

  return attributes;
}

static gboolean
attributes_equal (GHashTable *a,
                  GHashTable *b)
{
  GHashTableIter iter;
  gpointer key, value;

  if (g_hash_table_size (a) != g_hash_table_size (b))
    return FALSE;

  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_strcmp0 (value, g_hash_table_lookup (b, key)) != 0)
      return FALSE;

  return TRUE;
}

/* When an item was last used, in microseconds; items written before
 * "last-used-us" existed have only seconds. */
static gint64
attributes_used_us (GHashTable *attributes)
{
  const char *value;
  guint64 used;

  value = g_hash_table_lookup (attributes, "last-used-us");
  if (value != NULL && g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT64, &used, NULL))
    return (gint64) used;

  value = g_hash_table_lookup (attributes, "last-used");
  if (value != NULL && g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT64 / G_USEC_PER_SEC, &used, NULL))
    return (gint64) used * G_USEC_PER_SEC;

  return 0;
}

static GQuark
used_us_quark (void)
{
  return g_quark_from_static_string ("relay-credential-store-used-us");
}

static GHashTable *
account_attributes (RelayCredentialStore *self,
                    RelayAccount         *account,
                    gint64                used_us)
{
  RelayProvider *provider = relay_account_get_provider (account);
  GHashTable *attributes = new_attributes ();
  RelayAuthorizationMode mode = relay_provider_get_authorization_mode (provider);

#define SET(name, value) g_hash_table_insert (attributes, g_strdup (name), g_strdup (value))
  SET ("id", relay_account_get_id (account));
  SET ("kind", kind_names[relay_account_get_kind (account)]);
  SET ("key", relay_account_get_key (account));
  SET ("oauth-base", relay_provider_get_oauth_base (provider));
  SET ("rest-base", relay_provider_get_rest_base (provider));
  SET ("reports-base", relay_provider_get_reports_base (provider));
  SET ("signature-method", relay_oauth1_signature_method_to_string (relay_provider_get_signature_method (provider)));
  SET ("sms-method", relay_provider_get_sms_method (provider));
  SET ("token-method", relay_provider_get_token_method (provider));
  SET ("authorization-mode", mode < G_N_ELEMENTS (modes) ? modes[mode] : "callback");
  SET ("use-authenticate", relay_provider_get_use_authenticate (provider) ? "true" : "false");
  SET ("basic-auth", relay_provider_get_basic_auth (provider) ? "true" : "false");
  if (relay_account_get_kind (account) == RELAY_ACCOUNT_SIGNED)
    SET ("sms-signature", relay_nexmo_sig_method_to_string (relay_account_get_sig_method (account)));
  if (relay_account_get_name (account) != NULL)
    SET ("name", relay_account_get_name (account));
  if (self->sandbox)
    SET ("sandbox", "true");
#undef SET
  g_hash_table_insert (attributes, g_strdup ("last-used"),
                       g_strdup_printf ("%" G_GINT64_FORMAT, used_us / G_USEC_PER_SEC));
  g_hash_table_insert (attributes, g_strdup ("last-used-us"), g_strdup_printf ("%" G_GINT64_FORMAT, used_us));

  return attributes;
}

static gboolean
is_method (const char *value)
{
  return g_strcmp0 (value, "GET") == 0 || g_strcmp0 (value, "POST") == 0;
}

/* Rebuilds an account (without secrets) from an item's attributes. */
static RelayAccount *
account_from_attributes (GHashTable *attributes)
{
  const char *kind = g_hash_table_lookup (attributes, "kind");
  const char *key = g_hash_table_lookup (attributes, "key");
  const char *value;
  g_autoptr(RelayProvider) provider = NULL;
  RelayOAuth1SignatureMethod method;
  RelayNexmoSigMethod sig_method = RELAY_NEXMO_SIG_NONE;
  RelayAccount *account;
  guint64 last_used;

  if (key == NULL || *key == '\0' ||
      (g_strcmp0 (kind, "oauth") != 0 && g_strcmp0 (kind, "api") != 0 && g_strcmp0 (kind, "signed") != 0))
    return NULL;
  if (g_strcmp0 (kind, "signed") == 0 &&
      !relay_nexmo_sig_method_from_string (g_hash_table_lookup (attributes, "sms-signature"), &sig_method))
    return NULL;

  provider = relay_provider_new (g_hash_table_lookup (attributes, "oauth-base"),
                                 g_hash_table_lookup (attributes, "rest-base"));
  /* Absent on items stored before it existed: Nexmo's. */
  relay_provider_set_reports_base (provider, g_hash_table_lookup (attributes, "reports-base"));

  value = g_hash_table_lookup (attributes, "signature-method");
  if (value != NULL && relay_oauth1_signature_method_from_string (value, &method))
    relay_provider_set_signature_method (provider, method);
  if (is_method ((value = g_hash_table_lookup (attributes, "sms-method"))))
    relay_provider_set_sms_method (provider, value);
  if (is_method ((value = g_hash_table_lookup (attributes, "token-method"))))
    relay_provider_set_token_method (provider, value);
  value = g_hash_table_lookup (attributes, "authorization-mode");
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    if (g_strcmp0 (value, modes[i]) == 0)
      relay_provider_set_authorization_mode (provider, i);
  relay_provider_set_use_authenticate (provider,
                                       g_strcmp0 (g_hash_table_lookup (attributes, "use-authenticate"), "true") == 0);
  relay_provider_set_basic_auth (provider, g_strcmp0 (g_hash_table_lookup (attributes, "basic-auth"), "true") == 0);

  if (g_strcmp0 (kind, "oauth") == 0)
    account = relay_account_new_oauth (provider, key);
  else if (sig_method != RELAY_NEXMO_SIG_NONE)
    account = relay_account_new_signed (provider, key, sig_method);
  else
    account = relay_account_new_api_key (provider, key);

  relay_account_set_name (account, g_hash_table_lookup (attributes, "name"));

  value = g_hash_table_lookup (attributes, "last-used");
  if (value != NULL && g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT64, &last_used, NULL))
    relay_account_set_last_used (account, (gint64) last_used);

  return account;
}

static char *
account_secret (RelayAccount *account)
{
  g_autoptr(GPtrArray) params = relay_params_new ();
  char *text;

  if (relay_account_get_kind (account) == RELAY_ACCOUNT_OAUTH)
    {
      relay_params_add (params, "consumer_secret", relay_account_get_secret (account));
      relay_params_add (params, "token", relay_account_get_token (account));
      relay_params_add (params, "token_secret", relay_account_get_token_secret (account));
    }
  else
    {
      relay_params_add (params, "api_secret", relay_account_get_secret (account));
      if (relay_account_get_kind (account) == RELAY_ACCOUNT_SIGNED)
        relay_params_add (params, "signature_secret", relay_account_get_signature_secret (account));
    }

  text = relay_params_to_form (params);
  for (guint i = 0; i < params->len; i++)
    {
      RelayParam *param = g_ptr_array_index (params, i);

      explicit_bzero (param->value, strlen (param->value));
    }

  return text;
}

static gboolean
account_take_secret (RelayAccount *account,
                     const char   *text)
{
  g_autoptr(GPtrArray) params = relay_params_new ();
  gboolean ok = FALSE;

  if (text == NULL || !relay_params_parse_form (params, text, -1, NULL))
    return FALSE;

  if (relay_account_get_kind (account) == RELAY_ACCOUNT_OAUTH)
    {
      const char *secret = relay_params_get (params, "consumer_secret");
      const char *token = relay_params_get (params, "token");
      const char *token_secret = relay_params_get (params, "token_secret");

      if (secret != NULL && token != NULL && *token != '\0' && token_secret != NULL)
        {
          relay_account_set_secret (account, secret);
          relay_account_set_token (account, token, token_secret);
          ok = TRUE;
        }
    }
  else if (relay_account_get_kind (account) == RELAY_ACCOUNT_SIGNED)
    {
      const char *secret = relay_params_get (params, "api_secret");
      const char *signature_secret = relay_params_get (params, "signature_secret");

      if (secret != NULL && signature_secret != NULL && *signature_secret != '\0')
        {
          relay_account_set_secret (account, secret);
          relay_account_set_signature_secret (account, signature_secret);
          ok = TRUE;
        }
    }
  else if (relay_params_get (params, "api_secret") != NULL)
    {
      relay_account_set_secret (account, relay_params_get (params, "api_secret"));
      ok = TRUE;
    }

  for (guint i = 0; i < params->len; i++)
    {
      RelayParam *param = g_ptr_array_index (params, i);

      explicit_bzero (param->value, strlen (param->value));
    }

  return ok;
}

static GHashTable *
id_attributes (RelayCredentialStore *self,
               const char           *account_id)
{
  GHashTable *attributes = new_attributes ();

  if (account_id != NULL)
    g_hash_table_insert (attributes, g_strdup ("id"), g_strdup (account_id));
  if (self->sandbox)
    g_hash_table_insert (attributes, g_strdup ("sandbox"), g_strdup ("true"));

  return attributes;
}

/* Removes the older items of one account, one at a time; failing to prune
 * leaves a stale item that loses to the newer one, so it is not fatal. */
static void
prune_next (GTask *task);

static void
prune_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_clear_finish (result, &error) && error != NULL)
    g_debug ("Could not remove an older keyring item: %s", error->message);

  prune_next (g_steal_pointer (&task));
}

static void
prune_next (GTask *task)
{
  StoreOp *op = g_task_get_task_data (task);
  GHashTable *old;

  while (op->old != NULL)
    {
      old = op->old->data;
      op->old = g_list_delete_link (op->old, op->old);

      if (!attributes_equal (old, op->attributes))
        {
          secret_password_clearv (schema (task), old, g_task_get_cancellable (task), prune_cb, task);
          g_hash_table_unref (old);
          return;
        }
      g_hash_table_unref (old);
    }

  if (g_task_get_source_tag (task) == relay_credential_store_load_async)
    g_task_return_pointer (task, g_object_ref (op->account), g_object_unref);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StoreOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      if (g_task_get_source_tag (task) == relay_credential_store_load_async)
        {
          /* The account was read; only marking it used failed. */
          g_debug ("Could not mark the account used: %s", error->message);
          g_task_return_pointer (task, g_object_ref (op->account), g_object_unref);
          return;
        }

      g_task_return_error (task, map_error (error, g_task_get_cancellable (task)));
      return;
    }

  prune_next (g_steal_pointer (&task));
}

static void
store (GTask *task)
{
  StoreOp *op = g_task_get_task_data (task);

  secret_password_storev (schema (task), op->attributes, SECRET_COLLECTION_DEFAULT, op->label,
                          op->secret, g_task_get_cancellable (task), store_cb, task);
}

static void save_search (GTask *task);

static void
save_search_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StoreOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, map_error (error, g_task_get_cancellable (task)));
      return;
    }

  g_list_free_full (g_steal_pointer (&op->old), (GDestroyNotify) g_hash_table_unref);
  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) all = secret_retrievable_get_attributes (l->data);

      op->old = g_list_prepend (op->old, schema_attributes (all));
    }
  /* A locked older item would stay beside the new one. (A locked
   * default collection is libsecret's to unlock when storing: it asks,
   * and fails with SECRET_ERROR_IS_LOCKED when that was dismissed.) */
  if (collect_locked (op, items) > 0)
    {
      g_list_free_full (items, g_object_unref);
      unlock_then (g_steal_pointer (&task), save_search);
      return;
    }
  g_list_free_full (items, g_object_unref);

  store (g_steal_pointer (&task));
}

/* Takes @task. */
static void
save_search (GTask *task)
{
  RelayCredentialStore *self = g_task_get_source_object (task);
  StoreOp *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) search = id_attributes (self, relay_account_get_id (op->account));

  /* A sandbox's earlier runs had other ports, so other ids. */
  if (self->sandbox)
    {
      g_hash_table_remove (search, "id");
      g_hash_table_insert (search, g_strdup ("kind"), g_strdup (kind_names[relay_account_get_kind (op->account)]));
      g_hash_table_insert (search, g_strdup ("key"), g_strdup (relay_account_get_key (op->account)));
    }
  secret_password_searchv (&self->schema, search, SECRET_SEARCH_ALL, g_task_get_cancellable (task),
                           save_search_cb, task);
}

void
relay_credential_store_save_async (RelayCredentialStore *self,
                                   RelayAccount        *account,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  StoreOp *op;
  gint64 now;

  g_return_if_fail (RELAY_IS_CREDENTIAL_STORE (self));
  g_return_if_fail (RELAY_IS_ACCOUNT (account));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_credential_store_save_async);

  if (!relay_account_is_complete (account))
    {
      g_task_return_new_error (task, RELAY_CREDENTIAL_ERROR, RELAY_CREDENTIAL_ERROR_CORRUPT,
                               _("The sign-in is incomplete, so nothing was saved."));
      return;
    }

  if (!session_bus_reachable (&error))
    {
      g_task_return_error (task, map_error (error, cancellable));
      return;
    }

  now = g_get_real_time ();
  relay_account_set_last_used (account, now / G_USEC_PER_SEC);

  op = g_new0 (StoreOp, 1);
  op->account = g_object_ref (account);
  op->attributes = account_attributes (self, account, now);
  op->secret = account_secret (account);
  op->label = relay_account_dup_label (account);
  g_task_set_task_data (task, op, (GDestroyNotify) store_op_free);

  save_search (g_steal_pointer (&task));
}

gboolean
relay_credential_store_save_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result) && RELAY_IS_CREDENTIAL_STORE (g_task_get_source_object (G_TASK (result))), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gint
compare_last_used (gconstpointer a,
                   gconstpointer b)
{
  gint64 la = *(gint64 *) g_object_get_qdata (*(GObject **) a, used_us_quark ());
  gint64 lb = *(gint64 *) g_object_get_qdata (*(GObject **) b, used_us_quark ());

  return la < lb ? 1 : la > lb ? -1 : 0;
}

static void list_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data);

/* Takes @task; its data counts the searches made. */
static void
list_search (GTask *task)
{
  RelayCredentialStore *self = g_task_get_source_object (task);
  g_autoptr(GHashTable) search = id_attributes (self, NULL);

  task_op (task)->searches++;
  secret_password_searchv (&self->schema, search, SECRET_SEARCH_ALL, g_task_get_cancellable (task),
                           list_cb, task);
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL && task_op (task)->searches < MAX_LOAD_SEARCHES &&
      !g_cancellable_is_cancelled (g_task_get_cancellable (task)) &&
      !g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    {
      /* An item found went before its attributes were read (another
       * process, or this one, stored an account and pruned the older
       * item): search again, rather than call the keyring unavailable. */
      g_debug ("Keyring search failed (%s); searching again", error->message);
      list_search (g_steal_pointer (&task));
      return;
    }
  if (error != NULL)
    {
      g_task_return_error (task, unavailable_on_read (error, g_task_get_cancellable (task)));
      return;
    }

  /* A locked item may not even show its attributes: unlock, then list
   * afresh; never leave it out as if it were not there. */
  if (collect_locked (task_op (task), items) > 0)
    {
      g_list_free_full (items, g_object_unref);
      unlock_then (g_steal_pointer (&task), list_search);
      return;
    }

  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (l->data);
      RelayAccount *account;

      if (!store_owns (g_task_get_source_object (task), attributes))
        continue;
      account = account_from_attributes (attributes);

      if (account != NULL)
        {
          gint64 used_us = attributes_used_us (attributes);

          g_object_set_qdata_full (G_OBJECT (account), used_us_quark (),
                                   g_memdup2 (&used_us, sizeof used_us), g_free);
          g_ptr_array_add (accounts, account);
        }
    }
  g_list_free_full (items, g_object_unref);

  g_ptr_array_sort (accounts, compare_last_used);

  /* One entry per account, the newest item wins. */
  for (guint i = 0; i < accounts->len;)
    {
      const char *id = relay_account_get_id (g_ptr_array_index (accounts, i));

      if (g_hash_table_contains (seen, id))
        {
          g_ptr_array_remove_index (accounts, i);
          continue;
        }
      g_hash_table_add (seen, (gpointer) id);
      i++;
    }
  g_hash_table_remove_all (seen);

  g_task_return_pointer (task, g_steal_pointer (&accounts), (GDestroyNotify) g_ptr_array_unref);
}

void
relay_credential_store_list_async (RelayCredentialStore *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (RELAY_IS_CREDENTIAL_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_credential_store_list_async);

  if (!session_bus_reachable (&error))
    {
      g_task_return_error (task, unavailable_on_read (error, cancellable));
      return;
    }

  list_search (g_steal_pointer (&task));
}

/**
 * relay_credential_store_list_finish:
 *
 * Returns: (transfer full) (element-type RelayAccount): the accounts,
 *   most recently used first
 */
GPtrArray *
relay_credential_store_list_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result) && RELAY_IS_CREDENTIAL_STORE (g_task_get_source_object (G_TASK (result))), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void load_search (GTask *task);

static void
touch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StoreOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* The account was read; only marking it used failed (perhaps the item
   * was removed meanwhile, which is not undone). */
  if (!secret_item_set_attributes_finish (SECRET_ITEM (object), result, &error))
    g_debug ("Could not mark the account used: %s", error->message);

  g_task_return_pointer (task, g_object_ref (op->account), g_object_unref);
}

static void
retrieve_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StoreOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretValue) value = NULL;
  gint64 now;

  value = secret_retrievable_retrieve_secret_finish (SECRET_RETRIEVABLE (object), result, &error);
  if (value == NULL && op->searches < MAX_LOAD_SEARCHES &&
      !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      /* The item went between the search and the read (another process
       * pruned or replaced it): search again, rather than call the
       * keyring unavailable. */
      g_debug ("The keyring item vanished while it was read (%s); searching again",
               error != NULL ? error->message : "no secret");
      load_search (g_steal_pointer (&task));
      return;
    }
  if (value == NULL)
    {
      if (error == NULL)
        g_set_error_literal (&error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED, "no secret");
      g_task_return_error (task, unavailable_on_read (error, g_task_get_cancellable (task)));
      return;
    }

  if (!account_take_secret (op->account, secret_value_get_text (value)))
    {
      g_task_return_new_error (task, RELAY_CREDENTIAL_ERROR, RELAY_CREDENTIAL_ERROR_CORRUPT,
                               _("The keyring item of %s cannot be read; sign in again."),
                               relay_account_get_id (op->account));
      return;
    }

  /* Mark it used by changing the attributes of the item that was read,
   * never by storing it again: a copy stored after a concurrent sign-out
   * brought the credential back, and two loads at once each stored one
   * (and pruned the other's). Should the item be gone by now, it stays
   * gone. */
  now = MAX (g_get_real_time (), op->used_us + 1);
  relay_account_set_last_used (op->account, now / G_USEC_PER_SEC);
  op->attributes = account_attributes (g_task_get_source_object (task), op->account, now);
  if (SECRET_IS_ITEM (op->item))
    {
      GCancellable *cancellable = g_task_get_cancellable (task);
      const SecretSchema *item_schema = schema (task);

      secret_item_set_attributes (SECRET_ITEM (op->item), item_schema, op->attributes,
                                  cancellable, touch_cb, g_steal_pointer (&task));
      return;
    }

  g_task_return_pointer (task, g_object_ref (op->account), g_object_unref);
}

static void
load_search_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StoreOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SecretRetrievable *best = NULL;
  gint64 best_used = -1;
  guint owned = 0;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL && op->searches < MAX_LOAD_SEARCHES &&
      !g_cancellable_is_cancelled (g_task_get_cancellable (task)) &&
      !g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    {
      /* An item found went before its secret was read (another process
       * pruned or deleted it): search again, rather than call the
       * keyring unavailable. */
      g_debug ("Keyring search failed (%s); searching again", error->message);
      load_search (g_steal_pointer (&task));
      return;
    }
  if (error != NULL)
    {
      g_task_return_error (task, unavailable_on_read (error, g_task_get_cancellable (task)));
      return;
    }

  /* Locked items are there, only closed: unlock them and search again
   * (their secrets were not loaded), never take them for absent. */
  if (collect_locked (op, items) > 0)
    {
      g_list_free_full (items, g_object_unref);
      unlock_then (g_steal_pointer (&task), load_search);
      return;
    }

  /* A search again after a vanished item starts afresh. */
  g_list_free_full (g_steal_pointer (&op->old), (GDestroyNotify) g_hash_table_unref);
  g_clear_object (&op->account);
  op->used_us = 0;

  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (l->data);
      g_autoptr(RelayAccount) account = NULL;

      if (!store_owns (g_task_get_source_object (task), attributes))
        continue;
      owned++;
      account = account_from_attributes (attributes);

      op->old = g_list_prepend (op->old, schema_attributes (attributes));
      if (account != NULL && attributes_used_us (attributes) > best_used)
        {
          best = l->data;
          best_used = attributes_used_us (attributes);
          op->used_us = best_used;
          g_set_object (&op->account, account);
        }
    }

  if (best == NULL && owned == 0 && op->wanted_id != NULL)
    {
      /* Other accounts may well be signed in: name the one that is not. */
      g_task_return_new_error (task, RELAY_CREDENTIAL_ERROR, RELAY_CREDENTIAL_ERROR_NOT_FOUND,
                               _("No stored account is called “%s”."), op->wanted_id);
      g_list_free_full (items, g_object_unref);
      return;
    }

  if (best == NULL)
    {
      g_task_return_new_error (task, RELAY_CREDENTIAL_ERROR, RELAY_CREDENTIAL_ERROR_NOT_FOUND,
                               owned == 0 ? _("No account is signed in.")
                                             : _("The stored sign-in cannot be read; sign in again."));
      g_list_free_full (items, g_object_unref);
      return;
    }

  /* Only the other items of the same account are pruned later. */
  for (GList *l = op->old; l != NULL;)
    {
      GList *next = l->next;

      if (g_strcmp0 (g_hash_table_lookup (l->data, "id"), relay_account_get_id (op->account)) != 0)
        {
          g_hash_table_unref (l->data);
          op->old = g_list_delete_link (op->old, l);
        }
      l = next;
    }

  g_set_object (&op->item, G_OBJECT (best));
  {
    GCancellable *cancellable = g_task_get_cancellable (task);

    secret_retrievable_retrieve_secret (best, cancellable, retrieve_cb, g_steal_pointer (&task));
  }
  g_list_free_full (items, g_object_unref);
}

void
relay_credential_store_load_async (RelayCredentialStore *self,
                                   const char          *account_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  StoreOp *op;

  g_return_if_fail (RELAY_IS_CREDENTIAL_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_credential_store_load_async);
  op = g_new0 (StoreOp, 1);
  op->wanted_id = g_strdup (account_id);
  g_task_set_task_data (task, op, (GDestroyNotify) store_op_free);

  if (!session_bus_reachable (&error))
    {
      g_task_return_error (task, unavailable_on_read (error, cancellable));
      return;
    }

  load_search (g_steal_pointer (&task));
}

static void
load_search (GTask *task)
{
  StoreOp *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) search = id_attributes (g_task_get_source_object (task), op->wanted_id);

  op->searches++;
  /* Unlocking is asked for explicitly (see unlock_then()): libsecret's
   * SECRET_SEARCH_UNLOCK hands back items still locked when the prompt
   * was dismissed, and says nothing of it. */
  secret_password_searchv (schema (task), search, SECRET_SEARCH_ALL | SECRET_SEARCH_LOAD_SECRETS,
                           g_task_get_cancellable (task), load_search_cb, task);
}

/**
 * relay_credential_store_load_finish:
 *
 * Returns: (transfer full) (nullable): the account with its secrets
 */
RelayAccount *
relay_credential_store_load_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result) && RELAY_IS_CREDENTIAL_STORE (g_task_get_source_object (G_TASK (result))), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StoreOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (secret_password_clear_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else if (error != NULL)
    g_task_return_error (task, unavailable_on_read (error, g_task_get_cancellable (task)));
  else
    g_task_return_new_error (task, RELAY_CREDENTIAL_ERROR, RELAY_CREDENTIAL_ERROR_NOT_FOUND,
                             _("No stored account is called “%s”."), op->wanted_id);
}

static void delete_search (GTask *task);

static void
delete_search_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StoreOp *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) search = NULL;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable = g_task_get_cancellable (task);
  const SecretSchema *item_schema = schema (task);
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, unavailable_on_read (error, cancellable));
      return;
    }

  /* libsecret deletes only unlocked items, and would report a locked
   * one as no item at all. */
  if (collect_locked (op, items) > 0)
    {
      g_list_free_full (items, g_object_unref);
      unlock_then (g_steal_pointer (&task), delete_search);
      return;
    }
  g_list_free_full (items, g_object_unref);

  search = id_attributes (g_task_get_source_object (task), op->wanted_id);
  secret_password_clearv (item_schema, search, cancellable, clear_cb, g_steal_pointer (&task));
}

/* Takes @task. */
static void
delete_search (GTask *task)
{
  StoreOp *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) search = id_attributes (g_task_get_source_object (task), op->wanted_id);

  secret_password_searchv (schema (task), search, SECRET_SEARCH_ALL, g_task_get_cancellable (task),
                           delete_search_cb, task);
}

void
relay_credential_store_delete_async (RelayCredentialStore *self,
                                     const char          *account_id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (RELAY_IS_CREDENTIAL_STORE (self));
  g_return_if_fail (account_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_credential_store_delete_async);
  task_op (task)->wanted_id = g_strdup (account_id);

  if (!session_bus_reachable (&error))
    {
      g_task_return_error (task, unavailable_on_read (error, cancellable));
      return;
    }

  delete_search (g_steal_pointer (&task));
}

gboolean
relay_credential_store_delete_finish (GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result) && RELAY_IS_CREDENTIAL_STORE (g_task_get_source_object (G_TASK (result))), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
