/* test-credential-store.c
 *
 * Copyright 2026 The Relay authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The keyring store against a real gnome-keyring in the test's private
 * D-Bus session (build-aux/test starts it), and without any Secret
 * Service at all.
 */

#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <string.h>

#include "relay-credential-store.h"
#include "relay-test-env.h"

/* Only ever the test schema: deleting its items cannot harm a user's. */
static const SecretSchema probe_schema = {
  RELAY_CREDENTIAL_TEST_SCHEMA_NAME, SECRET_SCHEMA_NONE,
  { { "id", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } }
};

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

/* Made with the test schema by main (): every case works on it. */
static RelayCredentialStore *test_store;

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
save (RelayAccount  *account,
      GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  relay_credential_store_save_async (test_store, account, NULL, result_cb, &result);
  return relay_credential_store_save_finish (wait_result (&result), error);
}

static RelayAccount *
load (const char  *id,
      GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  relay_credential_store_load_async (test_store, id, NULL, result_cb, &result);
  return relay_credential_store_load_finish (wait_result (&result), error);
}

static GPtrArray *
list (GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  relay_credential_store_list_async (test_store, NULL, result_cb, &result);
  return relay_credential_store_list_finish (wait_result (&result), error);
}

static gboolean
delete (const char  *id,
        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  relay_credential_store_delete_async (test_store, id, NULL, result_cb, &result);
  return relay_credential_store_delete_finish (wait_result (&result), error);
}

/* Every item of Relay's schema, straight from the Secret Service. */
static GList *
raw_items (void)
{
  g_autoptr(GHashTable) none = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  GList *items;

  g_autoptr(GAsyncResult) result = NULL;

  /* The async call: libsecret 0.20.5's _sync wrapper leaks a little per
   * item, which the sanitizer run would report. */
  secret_password_searchv (&probe_schema, none,
                           SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS,
                           NULL, result_cb, &result);
  items = secret_password_search_finish (wait_result (&result), &error);
  g_assert_no_error (error);
  return items;
}

static void
clear_all (void)
{
  GList *items = raw_items ();

  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (l->data);
      g_autoptr(GHashTable) match = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GError) error = NULL;

      g_hash_table_insert (match, "id", g_hash_table_lookup (attributes, "id"));
      secret_password_clearv_sync (&probe_schema, match, NULL, &error);
      g_assert_no_error (error);
    }
  g_list_free_full (items, g_object_unref);
}

static gboolean
need_keyring (void)
{
  const char *unsafe = relay_test_keyring_unsafe ();

  if (unsafe != NULL)
    {
      g_test_skip (unsafe);
      return FALSE;
    }
  g_assert_cmpstr (relay_credential_store_get_schema_name (test_store), ==, RELAY_CREDENTIAL_TEST_SCHEMA_NAME);
  clear_all ();
  return TRUE;
}

static RelayAccount *
oauth_account (const char *rest_base,
               const char *key)
{
  g_autoptr(RelayProvider) provider = relay_provider_new ("http://127.0.0.1:9/oauth/", rest_base);
  RelayAccount *account = relay_account_new_oauth (provider, key);

  relay_provider_set_authorization_mode (provider, RELAY_AUTHORIZATION_OOB);
  relay_provider_set_token_method (provider, "GET");
  relay_provider_set_signature_method (provider, RELAY_OAUTH1_HMAC_SHA256);
  relay_account_set_secret (account, "consumer-secret&=+ é");
  relay_account_set_token (account, "access-token", "token-secret%20x");

  return account;
}

static void
test_round_trip (void)
{
  g_autoptr(RelayAccount) account = NULL;
  g_autoptr(RelayAccount) loaded = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  RelayProvider *provider;
  GList *items;

  if (!need_keyring ())
    return;

  account = oauth_account ("http://127.0.0.1:9", "ck1");
  g_assert_true (save (account, &error));
  g_assert_no_error (error);

  loaded = load (relay_account_get_id (account), &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_cmpstr (relay_account_get_id (loaded), ==, "oauth:ck1@127.0.0.1:9");
  g_assert_cmpint (relay_account_get_kind (loaded), ==, RELAY_ACCOUNT_OAUTH);
  g_assert_cmpstr (relay_account_get_secret (loaded), ==, "consumer-secret&=+ é");
  g_assert_cmpstr (relay_account_get_token (loaded), ==, "access-token");
  g_assert_cmpstr (relay_account_get_token_secret (loaded), ==, "token-secret%20x");
  g_assert_true (relay_account_is_complete (loaded));
  g_assert_cmpint (relay_account_get_last_used (loaded), >, 0);

  provider = relay_account_get_provider (loaded);
  g_assert_cmpstr (relay_provider_get_oauth_base (provider), ==, "http://127.0.0.1:9/oauth/");
  g_assert_cmpstr (relay_provider_get_rest_base (provider), ==, "http://127.0.0.1:9");
  g_assert_cmpint (relay_provider_get_authorization_mode (provider), ==, RELAY_AUTHORIZATION_OOB);
  g_assert_cmpstr (relay_provider_get_token_method (provider), ==, "GET");
  g_assert_cmpint (relay_provider_get_signature_method (provider), ==, RELAY_OAUTH1_HMAC_SHA256);

  /* list carries no secrets */
  accounts = list (&error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 1);
  g_assert_cmpstr (relay_account_get_id (g_ptr_array_index (accounts, 0)), ==, "oauth:ck1@127.0.0.1:9");
  g_assert_null (relay_account_get_secret (g_ptr_array_index (accounts, 0)));
  g_assert_null (relay_account_get_token (g_ptr_array_index (accounts, 0)));

  /* The attributes and the label are public: no secret in them. */
  items = raw_items ();
  g_assert_cmpuint (g_list_length (items), ==, 1);
  {
    g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (items->data);
    g_autofree char *label = secret_retrievable_get_label (items->data);
    GHashTableIter iter;
    gpointer name, value;

    g_assert_cmpstr (g_hash_table_lookup (attributes, "kind"), ==, "oauth");
    g_assert_cmpstr (g_hash_table_lookup (attributes, "key"), ==, "ck1");
    g_assert_nonnull (g_hash_table_lookup (attributes, "last-used"));
    g_assert_nonnull (strstr (label, "ck1"));
    g_hash_table_iter_init (&iter, attributes);
    while (g_hash_table_iter_next (&iter, &name, &value))
      {
        g_assert_null (strstr (value, "consumer-secret"));
        g_assert_null (strstr (value, "token-secret"));
        g_assert_null (strstr (value, "access-token"));
      }
  }
  g_list_free_full (items, g_object_unref);

  g_assert_true (delete (relay_account_get_id (account), &error));
  g_assert_no_error (error);
  g_assert_false (delete (relay_account_get_id (account), &error));
  g_assert_error (error, RELAY_CREDENTIAL_ERROR, RELAY_CREDENTIAL_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_clear_object (&loaded);
  loaded = load (relay_account_get_id (account), &error);
  g_assert_null (loaded);
  g_assert_error (error, RELAY_CREDENTIAL_ERROR, RELAY_CREDENTIAL_ERROR_NOT_FOUND);
  g_clear_error (&error);

  loaded = load (NULL, &error);
  g_assert_null (loaded);
  g_assert_error (error, RELAY_CREDENTIAL_ERROR, RELAY_CREDENTIAL_ERROR_NOT_FOUND);
}

static void
test_api_key (void)
{
  g_autoptr(RelayProvider) provider = relay_provider_new (NULL, "http://127.0.0.1:8");
  g_autoptr(RelayAccount) account = relay_account_new_api_key (provider, "apikey");
  g_autoptr(RelayAccount) loaded = NULL;
  g_autoptr(GError) error = NULL;

  if (!need_keyring ())
    return;

  relay_provider_set_basic_auth (provider, TRUE);
  relay_account_set_secret (account, "api&secret");
  g_assert_true (save (account, &error));
  g_assert_no_error (error);

  loaded = load (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (relay_account_get_id (loaded), ==, "api:apikey@127.0.0.1:8");
  g_assert_cmpint (relay_account_get_kind (loaded), ==, RELAY_ACCOUNT_API_KEY);
  g_assert_cmpstr (relay_account_get_secret (loaded), ==, "api&secret");
  g_assert_null (relay_account_get_token (loaded));
  g_assert_true (relay_provider_get_basic_auth (relay_account_get_provider (loaded)));
  g_assert_true (delete ("api:apikey@127.0.0.1:8", &error));
}

/* A signed account: both secrets in the item's secret, the method (and
 * nothing secret) in its attributes; it replaces the same key's plain
 * API-key item. */
static void
test_signed (void)
{
  g_autoptr(RelayProvider) provider = relay_provider_new (NULL, "http://127.0.0.1:8");
  g_autoptr(RelayAccount) plain = relay_account_new_api_key (provider, "apikey");
  g_autoptr(RelayAccount) account = relay_account_new_signed (provider, "apikey", RELAY_NEXMO_SIG_SHA512);
  g_autoptr(RelayAccount) incomplete = relay_account_new_signed (provider, "apikey", RELAY_NEXMO_SIG_MD5);
  g_autoptr(RelayAccount) loaded = NULL;
  g_autoptr(GError) error = NULL;
  GList *items;

  if (!need_keyring ())
    return;

  relay_account_set_secret (plain, "api-secret-1");
  g_assert_true (save (plain, &error));
  g_assert_no_error (error);

  /* Without its signature secret it is not complete. */
  relay_account_set_secret (incomplete, "api-secret-2");
  g_assert_false (save (incomplete, &error));
  g_assert_error (error, RELAY_CREDENTIAL_ERROR, RELAY_CREDENTIAL_ERROR_CORRUPT);
  g_clear_error (&error);

  relay_account_set_secret (account, "api-secret-2");
  relay_account_set_signature_secret (account, "sig&secret=2");
  g_assert_true (save (account, &error));
  g_assert_no_error (error);

  loaded = load (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (relay_account_get_id (loaded), ==, "api:apikey@127.0.0.1:8");
  g_assert_cmpint (relay_account_get_kind (loaded), ==, RELAY_ACCOUNT_SIGNED);
  g_assert_cmpint (relay_account_get_sig_method (loaded), ==, RELAY_NEXMO_SIG_SHA512);
  g_assert_true (relay_account_has_api_key (loaded));
  g_assert_cmpstr (relay_account_get_secret (loaded), ==, "api-secret-2");
  g_assert_cmpstr (relay_account_get_signature_secret (loaded), ==, "sig&secret=2");

  items = raw_items ();
  g_assert_cmpuint (g_list_length (items), ==, 1);
  {
    g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (items->data);
    g_autofree char *label = secret_retrievable_get_label (items->data);
    GHashTableIter iter;
    gpointer name, value;

    g_assert_cmpstr (g_hash_table_lookup (attributes, "kind"), ==, "signed");
    g_assert_cmpstr (g_hash_table_lookup (attributes, "sms-signature"), ==, "sha512");
    g_assert_null (strstr (label, "secret-2"));
    g_hash_table_iter_init (&iter, attributes);
    while (g_hash_table_iter_next (&iter, &name, &value))
      g_assert_null (strstr (value, "secret"));
  }
  g_list_free_full (items, g_object_unref);

  relay_account_forget_secrets (loaded);
  g_assert_null (relay_account_get_signature_secret (loaded));
  g_assert_true (delete ("api:apikey@127.0.0.1:8", &error));
}

static void
test_replace_and_recent (void)
{
  g_autoptr(RelayAccount) a = oauth_account ("http://127.0.0.1:9", "alpha");
  g_autoptr(RelayAccount) b = oauth_account ("http://127.0.0.1:9", "beta");
  g_autoptr(RelayAccount) loaded = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  GList *items;

  if (!need_keyring ())
    return;

  g_assert_true (save (a, &error));
  g_usleep (1100 * 1000);
  g_assert_true (save (b, &error));
  g_assert_no_error (error);

  /* The only-or-latest rule: beta was stored last. */
  loaded = load (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (relay_account_get_key (loaded), ==, "beta");
  g_clear_object (&loaded);

  /* Loading alpha marks it used, so it becomes the default. */
  g_usleep (1100 * 1000);
  loaded = load ("oauth:alpha@127.0.0.1:9", &error);
  g_assert_no_error (error);
  g_clear_object (&loaded);
  loaded = load (NULL, &error);
  g_assert_cmpstr (relay_account_get_key (loaded), ==, "alpha");

  accounts = list (&error);
  g_assert_cmpuint (accounts->len, ==, 2);
  g_assert_cmpstr (relay_account_get_key (g_ptr_array_index (accounts, 0)), ==, "alpha");
  g_assert_cmpstr (relay_account_get_key (g_ptr_array_index (accounts, 1)), ==, "beta");

  /* Saving again replaces: still one item per account. */
  relay_account_set_token (a, "new-token", "new-secret");
  g_usleep (1100 * 1000);
  g_assert_true (save (a, &error));
  items = raw_items ();
  g_assert_cmpuint (g_list_length (items), ==, 2);
  g_list_free_full (items, g_object_unref);
  g_clear_object (&loaded);
  loaded = load ("oauth:alpha@127.0.0.1:9", &error);
  g_assert_cmpstr (relay_account_get_token (loaded), ==, "new-token");

  clear_all ();
}

/* Issue 14, item 4: loading marked the account used by storing its item
 * again, so a sign-out during a send brought the credential back, and
 * two sends at once left two items (or lost one mid-read). */
static void
test_load_never_resurrects (void)
{
  g_autoptr(RelayAccount) a = oauth_account ("http://127.0.0.1:9", "alpha");
  g_autoptr(GError) error = NULL;

  if (!need_keyring ())
    return;

  for (guint round = 0; round < 10; round++)
    {
      g_autoptr(GAsyncResult) loaded = NULL;
      g_autoptr(GAsyncResult) deleted = NULL;
      g_autoptr(RelayAccount) account = NULL;
      g_autoptr(GError) load_error = NULL;
      GList *items;

      g_assert_true (save (a, &error));
      g_assert_no_error (error);

      /* A send loads the account while the user signs out. */
      relay_credential_store_load_async (test_store, "oauth:alpha@127.0.0.1:9", NULL, result_cb, &loaded);
      relay_credential_store_delete_async (test_store, "oauth:alpha@127.0.0.1:9", NULL, result_cb, &deleted);
      account = relay_credential_store_load_finish (wait_result (&loaded), &load_error);
      g_assert_true (relay_credential_store_delete_finish (wait_result (&deleted), &error));
      g_assert_no_error (error);
      /* Either it was read before the sign-out, or it is gone. */
      if (account == NULL)
        g_assert_error (load_error, RELAY_CREDENTIAL_ERROR, RELAY_CREDENTIAL_ERROR_NOT_FOUND);

      /* Let anything still under way finish, then look. */
      for (guint i = 0; i < 50; i++)
        g_main_context_iteration (NULL, FALSE);
      items = raw_items ();
      if (items != NULL)
        g_error ("round %u: the signed-out account came back", round);
    }
}

static void
test_concurrent_loads (void)
{
  g_autoptr(RelayAccount) a = oauth_account ("http://127.0.0.1:9", "alpha");
  GAsyncResult *results[6] = { NULL, };
  g_autoptr(GError) error = NULL;
  GList *items;

  if (!need_keyring ())
    return;

  g_assert_true (save (a, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    relay_credential_store_load_async (test_store, NULL, NULL, result_cb, &results[i]);
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_autoptr(RelayAccount) account = relay_credential_store_load_finish (wait_result (&results[i]), &error);

      g_assert_no_error (error);
      g_assert_cmpstr (relay_account_get_token_secret (account), ==, "token-secret%20x");
      g_clear_object (&results[i]);
    }

  /* One account, one item. */
  items = raw_items ();
  g_assert_cmpuint (g_list_length (items), ==, 1);
  g_list_free_full (items, g_object_unref);
  clear_all ();
}

static GPtrArray *
list_in (RelayCredentialStore *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *accounts;

  relay_credential_store_list_async (store, NULL, result_cb, &result);
  accounts = relay_credential_store_list_finish (wait_result (&result), &error);
  g_assert_no_error (error);
  return accounts;
}

/* `relay --sandbox` keeps its accounts apart: the default store never
 * lists or loads them, a new run (another port) replaces the item of
 * the last one instead of adding one, and names survive the keyring. */
static void
test_sandbox_apart (void)
{
  RelayCredentialStore *sandbox = relay_credential_store_get_sandbox ();
  g_autoptr(RelayAccount) first = oauth_account ("http://127.0.0.1:37701", "sandbox-key");
  g_autoptr(RelayAccount) second = oauth_account ("http://127.0.0.1:37702", "sandbox-key");
  g_autoptr(RelayAccount) real = oauth_account ("http://127.0.0.1:9", "real-key");
  g_autoptr(RelayAccount) loaded = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  GList *items;

  if (!need_keyring ())
    return;
  if (g_strcmp0 (relay_credential_store_get_schema_name (sandbox), RELAY_CREDENTIAL_TEST_SCHEMA_NAME) != 0)
    {
      g_test_skip ("RELAY_CREDENTIAL_SCHEMA does not name the test schema");
      return;
    }

  g_assert_true (save (real, &error));
  relay_credential_store_save_async (sandbox, first, NULL, result_cb, &result);
  g_assert_true (relay_credential_store_save_finish (wait_result (&result), &error));
  g_clear_object (&result);

  /* A plain store sees only the real account, even as "the latest". */
  accounts = list (&error);
  g_assert_cmpuint (accounts->len, ==, 1);
  g_assert_cmpstr (relay_account_get_key (g_ptr_array_index (accounts, 0)), ==, "real-key");
  g_clear_pointer (&accounts, g_ptr_array_unref);
  loaded = load (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (relay_account_get_key (loaded), ==, "real-key");
  g_clear_object (&loaded);
  loaded = load (relay_account_get_id (first), &error);
  g_assert_error (error, RELAY_CREDENTIAL_ERROR, RELAY_CREDENTIAL_ERROR_NOT_FOUND);
  g_assert_null (loaded);
  g_clear_error (&error);

  /* The next sandbox run, on another port, with a name: one item. */
  relay_account_set_name (second, "  Test bench  ");
  relay_credential_store_save_async (sandbox, second, NULL, result_cb, &result);
  g_assert_true (relay_credential_store_save_finish (wait_result (&result), &error));
  g_clear_object (&result);
  items = raw_items ();
  g_assert_cmpuint (g_list_length (items), ==, 2);
  g_list_free_full (items, g_object_unref);

  accounts = list_in (sandbox);
  g_assert_cmpuint (accounts->len, ==, 1);
  g_assert_cmpstr (relay_account_get_id (g_ptr_array_index (accounts, 0)), ==, relay_account_get_id (second));
  g_assert_cmpstr (relay_account_get_name (g_ptr_array_index (accounts, 0)), ==, "Test bench");
  g_clear_pointer (&accounts, g_ptr_array_unref);

  /* Without a name: the provider and the key's last four characters. */
  {
    g_autofree char *name = relay_account_dup_display_name (real);

    g_assert_cmpstr (name, ==, "Sandbox · …-key");
  }

  clear_all ();
}

/* Uses in quick succession, well within one second, still order the
 * accounts: the last one used is the default. */
static void
test_recent_within_a_second (void)
{
  g_autoptr(RelayAccount) a = oauth_account ("http://127.0.0.1:9", "alpha");
  g_autoptr(RelayAccount) b = oauth_account ("http://127.0.0.1:9", "beta");
  g_autoptr(GError) error = NULL;
  const char *ids[] = { "oauth:alpha@127.0.0.1:9", "oauth:beta@127.0.0.1:9" };
  const char *keys[] = { "alpha", "beta" };

  if (!need_keyring ())
    return;

  g_assert_true (save (a, &error));
  g_assert_true (save (b, &error));
  g_assert_no_error (error);

  for (guint round = 0; round < 6; round++)
    {
      guint pick = round % 2;
      g_autoptr(RelayAccount) loaded = NULL;
      g_autoptr(GPtrArray) accounts = NULL;

      loaded = load (ids[pick], &error);
      g_assert_no_error (error);
      g_clear_object (&loaded);

      loaded = load (NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (relay_account_get_key (loaded), ==, keys[pick]);

      accounts = list (&error);
      g_assert_no_error (error);
      g_assert_cmpuint (accounts->len, ==, 2);
      g_assert_cmpstr (relay_account_get_key (g_ptr_array_index (accounts, 0)), ==, keys[pick]);
      g_assert_cmpstr (relay_account_get_key (g_ptr_array_index (accounts, 1)), ==, keys[1 - pick]);
    }

  clear_all ();
}

static void
test_incomplete (void)
{
  g_autoptr(RelayProvider) provider = relay_provider_new (NULL, NULL);
  g_autoptr(RelayAccount) account = relay_account_new_oauth (provider, "ck");
  g_autoptr(GError) error = NULL;
  GList *items;

  if (!need_keyring ())
    return;

  relay_account_set_secret (account, "cs");
  g_assert_false (save (account, &error));
  g_assert_error (error, RELAY_CREDENTIAL_ERROR, RELAY_CREDENTIAL_ERROR_CORRUPT);
  items = raw_items ();
  g_assert_null (items);
}

static guint
count_files (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint n = 0;

  if (dir == NULL)
    return 1;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      n += g_file_test (child, G_FILE_TEST_IS_DIR) ? 1 + count_files (child) : 1;
    }

  return n;
}

/* Runs in a child: a HOME of its own, then every operation must fail with
 * the one "no keyring" sentence and leave HOME empty. */
static void
check_unavailable (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *home = g_dir_make_tmp ("relay-nokeyring-XXXXXX", &error);
  g_autoptr(RelayAccount) account = oauth_account ("http://127.0.0.1:9", "ck");
  g_autoptr(RelayAccount) loaded = NULL;
  g_autoptr(GPtrArray) accounts = NULL;

  g_assert_no_error (error);
  g_setenv ("HOME", home, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", home, TRUE);
  g_setenv ("XDG_CACHE_HOME", home, TRUE);
  g_setenv ("XDG_RUNTIME_DIR", home, TRUE);
  g_unsetenv ("DISPLAY");

  g_assert_false (save (account, &error));
  g_assert_error (error, RELAY_CREDENTIAL_ERROR, RELAY_CREDENTIAL_ERROR_UNAVAILABLE);
  g_assert_cmpstr (error->message, ==,
                   "No keyring is available, so Relay cannot store your sign-in; nothing was saved.");
  g_clear_error (&error);

  loaded = load (NULL, &error);
  g_assert_null (loaded);
  g_assert_error (error, RELAY_CREDENTIAL_ERROR, RELAY_CREDENTIAL_ERROR_UNAVAILABLE);
  g_clear_error (&error);

  accounts = list (&error);
  g_assert_null (accounts);
  g_assert_error (error, RELAY_CREDENTIAL_ERROR, RELAY_CREDENTIAL_ERROR_UNAVAILABLE);
  g_clear_error (&error);

  g_assert_false (delete ("oauth:ck@127.0.0.1:9", &error));
  g_assert_error (error, RELAY_CREDENTIAL_ERROR, RELAY_CREDENTIAL_ERROR_UNAVAILABLE);

  g_assert_cmpuint (count_files (home), ==, 0);
  g_rmdir (home);
}

static void
test_no_bus (void)
{
  if (g_test_subprocess ())
    {
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/relay-test-bus", TRUE);
      check_unavailable ();
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
test_no_bus_at_all (void)
{
  if (g_test_subprocess ())
    {
      g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
      check_unavailable ();
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
test_no_provider (void)
{
  if (g_test_subprocess ())
    {
      /* A real bus that nobody provides org.freedesktop.secrets on. Kept
       * in a static so LeakSanitizer sees it is deliberately alive. */
      static GTestDBus *bus;

      bus = g_test_dbus_new (G_TEST_DBUS_NONE);
      g_test_dbus_up (bus);
      check_unavailable ();
      /* libsecret keeps its connection: stop the bus without waiting. */
      g_test_dbus_stop (bus);
      /* (not unreffed: finalizing would wait for the connection again) */
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* A store sees only the items of the schema it was made with: two stores
 * of two schemas in one keyring neither list nor delete each other's. */
static void
test_schema_from_constructor (void)
{
  g_autoptr(RelayCredentialStore) other = NULL;
  g_autoptr(RelayAccount) mine = NULL;
  g_autoptr(RelayAccount) theirs = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (!need_keyring ())
    return;

  other = relay_credential_store_new (RELAY_CREDENTIAL_TEST_SCHEMA_NAME ".Other");
  g_assert_cmpstr (relay_credential_store_get_schema_name (other), ==,
                   RELAY_CREDENTIAL_TEST_SCHEMA_NAME ".Other");

  mine = oauth_account ("http://127.0.0.1:9", "mine-key");
  g_assert_true (save (mine, &error));
  g_assert_no_error (error);

  theirs = oauth_account ("http://127.0.0.1:9", "theirs-key");
  relay_credential_store_save_async (other, theirs, NULL, result_cb, &result);
  g_assert_true (relay_credential_store_save_finish (wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  accounts = list (&error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 1);
  g_assert_cmpstr (relay_account_get_key (g_ptr_array_index (accounts, 0)), ==, "mine-key");

  /* Deleting "their" id through the test store finds nothing. */
  g_assert_false (delete (relay_account_get_id (theirs), &error));
  g_assert_error (error, RELAY_CREDENTIAL_ERROR, RELAY_CREDENTIAL_ERROR_NOT_FOUND);
  g_clear_error (&error);

  relay_credential_store_delete_async (other, relay_account_get_id (theirs), NULL, result_cb, &result);
  g_assert_true (relay_credential_store_delete_finish (wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_true (delete (relay_account_get_id (mine), &error));
  g_assert_no_error (error);
}

/* Only the exact test schema name redirects the store; anything else
 * (a typo, the real name with a suffix) is ignored with a warning. */
static void
test_schema_from_environment (void)
{
  if (g_test_subprocess ())
    {
      g_setenv ("RELAY_CREDENTIAL_SCHEMA", RELAY_CREDENTIAL_TEST_SCHEMA_NAME "s", TRUE);
      /* the warning is the point here: not fatal, checked below */
      g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
      g_assert_cmpstr (relay_credential_store_get_schema_name (relay_credential_store_get_default ()), ==, RELAY_CREDENTIAL_SCHEMA_NAME);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*RELAY_CREDENTIAL_SCHEMA may only be " RELAY_CREDENTIAL_TEST_SCHEMA_NAME "; ignoring it*");
}

int
main (int    argc,
      char **argv)
{
  int status;

  /* Outside the harness's private session, the keyring cases cannot run
   * and the program is one SKIP, not an OK of its few other cases. */
  relay_test_require_keyring ();
  g_test_init (&argc, &argv, NULL);
  test_store = relay_credential_store_new (RELAY_CREDENTIAL_TEST_SCHEMA_NAME);

  g_test_add_func ("/relay/credential-store/round-trip", test_round_trip);
  g_test_add_func ("/relay/credential-store/api-key", test_api_key);
  g_test_add_func ("/relay/credential-store/signed", test_signed);
  g_test_add_func ("/relay/credential-store/replace-and-recent", test_replace_and_recent);
  g_test_add_func ("/relay/credential-store/recent-within-a-second", test_recent_within_a_second);
  g_test_add_func ("/relay/credential-store/incomplete", test_incomplete);
  g_test_add_func ("/relay/credential-store/sandbox-apart", test_sandbox_apart);
  g_test_add_func ("/relay/credential-store/load-never-resurrects", test_load_never_resurrects);
  g_test_add_func ("/relay/credential-store/concurrent-loads", test_concurrent_loads);
  g_test_add_func ("/relay/credential-store/unavailable/no-bus", test_no_bus);
  g_test_add_func ("/relay/credential-store/unavailable/no-bus-at-all", test_no_bus_at_all);
  g_test_add_func ("/relay/credential-store/unavailable/no-provider", test_no_provider);
  g_test_add_func ("/relay/credential-store/schema-from-constructor", test_schema_from_constructor);
  g_test_add_func ("/relay/credential-store/schema-from-environment", test_schema_from_environment);

  status = g_test_run ();
  g_clear_object (&test_store);

  return status;
}
