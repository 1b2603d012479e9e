/* test-accounts.c: accounts, their file and their keyring items
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under tests/keyring-session.sh, in a private D-Bus session and HOME: against a real
 * gnome-keyring-daemon (IMPRINT_TEST_KEYRING=session), with no Secret Service at all
 * (none), with none but libsecret's file backend as in the Flatpak (none, with
 * SECRET_BACKEND=file), inside a stand-in Flatpak sandbox with no Secret portal or a failing
 * one (none, under flatpak-sandbox.sh), with a login keyring that was never unlocked
 * (locked), or with no keyring yet (empty). Run by hand without it, the keyring tests skip
 * rather than touch the keyring of whoever runs them.
 *
 * What libsecret 0.20 and gnome-keyring 42 do when the keyring is locked and the unlock
 * prompt cannot be shown (there is no prompter on the test bus, as when the user dismisses
 * it): store fails with SECRET_ERROR_IS_LOCKED; lookup returns NULL without an error, and
 * clear returns FALSE without an error, both as if there were no item.
 * /imprint/accounts/keyring/locked checks that the store still tells "locked" from
 * "missing".
 */
#include "config.h"

#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tc-account-store.h"
#include "tc-error.h"
#include "test-util.h"

/* The store's schema, written out again so the test checks what really lands in the
 * keyring. */
static const SecretSchema test_schema = {
  "io.github.imprint.Imprint", SECRET_SCHEMA_NONE,
  {
    { "account-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

#define NO_KEYRING_MESSAGE \
  "No keyring is running. Install and start GNOME Keyring (or another Secret Service) and " \
  "try again; the demo works without one."
#define FLATPAK_NO_KEYRING_MESSAGE \
  "Imprint reaches the keyring through the desktop’s Secret portal, which is not " \
  "available. Install xdg-desktop-portal and a keyring that provides the portal, such as " \
  "GNOME Keyring or KWallet, then try again; the demo works without one."
#define FLATPAK_PORTAL_FAILED_MESSAGE \
  "The desktop’s Secret portal could not open the keyring for Imprint. Make sure the " \
  "keyring is set up and unlocked, then try again."
#define LOCKED_MESSAGE \
  "The keyring is locked. Unlock it when asked, or in Passwords and Keys, then try again."

/* Fixture: a store on a file of its own */

typedef struct {
  char           *dir;
  char           *path;
  TcAccountStore *store;
  GArray         *changes;  /* guint[3]: position, removed, added */
} Fixture;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *fixture)
{
  guint change[3] = { position, removed, added };

  g_array_append_vals (fixture->changes, change, 3);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  static guint counter;
  g_autofree char *name = g_strdup_printf ("imprint-test-%u", ++counter);

  /* Under XDG_CONFIG_HOME, so the secret scan walks it too. The folder does not exist
   * yet: the store makes it. */
  fixture->dir = g_build_filename (g_get_user_config_dir (), name, NULL);
  fixture->path = g_build_filename (fixture->dir, "accounts.json", NULL);
  fixture->store = tc_account_store_new (fixture->path);
  fixture->changes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_signal_connect (fixture->store, "items-changed", G_CALLBACK (items_changed_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->store);
  g_array_unref (fixture->changes);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static void
assert_changes (Fixture *fixture,
                guint    n,
                ...)
{
  va_list args;

  g_assert_cmpuint (fixture->changes->len, ==, 3 * n);
  va_start (args, n);
  for (guint i = 0; i < 3 * n; i++)
    g_assert_cmpuint (g_array_index (fixture->changes, guint, i), ==, va_arg (args, guint));
  va_end (args);
  g_array_set_size (fixture->changes, 0);
}

/* Waiting for the store */

typedef struct {
  gboolean       done;
  gboolean       ok;
  TcCredentials *credentials;
  GError        *error;
} Result;

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Result *r = user_data;

  r->ok = tc_account_store_load_finish (TC_ACCOUNT_STORE (object), result, &r->error);
  r->done = TRUE;
}

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Result *r = user_data;

  r->ok = tc_account_store_save_finish (TC_ACCOUNT_STORE (object), result, &r->error);
  r->done = TRUE;
}

static void
remove_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Result *r = user_data;

  r->ok = tc_account_store_remove_finish (TC_ACCOUNT_STORE (object), result, &r->error);
  r->done = TRUE;
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Result *r = user_data;

  r->credentials = tc_account_store_lookup_credentials_finish (TC_ACCOUNT_STORE (object),
                                                               result, &r->error);
  r->ok = r->credentials != NULL;
  r->done = TRUE;
}

static void
keep_secret_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Result *r = user_data;

  r->credentials = tc_account_store_keep_secret_finish (TC_ACCOUNT_STORE (object), result,
                                                        &r->error);
  r->ok = r->credentials != NULL;
  r->done = TRUE;
}

static TcCredentials *
keep_secret (TcAccountStore  *store,
             TcAccount       *account,
             const char      *secret_id,
             const char      *token,
             GError         **error)
{
  Result r = { 0 };

  tc_account_store_keep_secret_async (store, account, secret_id, token, NULL, keep_secret_cb, &r);
  test_wait_until (&r.done, 30);
  g_assert_true (r.ok == (r.error == NULL));
  if (r.error != NULL)
    g_propagate_error (error, r.error);
  return r.credentials;
}

static gboolean
load (TcAccountStore  *store,
      GError         **error)
{
  Result r = { 0 };

  tc_account_store_load_async (store, NULL, load_cb, &r);
  test_wait_until (&r.done, 30);
  g_assert_true (r.ok == (r.error == NULL));
  if (r.error != NULL)
    g_propagate_error (error, r.error);
  return r.ok;
}

static gboolean
save (TcAccountStore  *store,
      TcAccount       *account,
      TcCredentials   *credentials,
      GCancellable    *cancellable,
      GError         **error)
{
  Result r = { 0 };

  tc_account_store_save_async (store, account, credentials, cancellable, save_cb, &r);
  test_wait_until (&r.done, 30);
  g_assert_true (r.ok == (r.error == NULL));
  if (r.error != NULL)
    g_propagate_error (error, r.error);
  return r.ok;
}

static gboolean
remove_account (TcAccountStore  *store,
                TcAccount       *account,
                GError         **error)
{
  Result r = { 0 };

  tc_account_store_remove_async (store, account, NULL, remove_cb, &r);
  test_wait_until (&r.done, 30);
  g_assert_true (r.ok == (r.error == NULL));
  if (r.error != NULL)
    g_propagate_error (error, r.error);
  return r.ok;
}

static TcCredentials *
lookup (TcAccountStore  *store,
        TcAccount       *account,
        GError         **error)
{
  Result r = { 0 };

  tc_account_store_lookup_credentials_async (store, account, NULL, lookup_cb, &r);
  test_wait_until (&r.done, 30);
  g_assert_true (r.ok == (r.error == NULL));
  if (r.error != NULL)
    g_propagate_error (error, r.error);
  return r.credentials;
}

static TcAccount *
add_account (Fixture    *fixture,
             const char *name,
             const char *secret_id,
             const char *secret_key,
             const char *token)
{
  g_autoptr(TcAccount) account = tc_account_new (name, secret_id);
  g_autoptr(TcCredentials) credentials = tc_credentials_new (secret_id, secret_key, token);
  g_autoptr(GError) error = NULL;
  TcAccount *stored;

  save (fixture->store, account, credentials, NULL, &error);
  g_assert_no_error (error);
  stored = tc_account_store_find_by_id (fixture->store, tc_account_get_id (account));
  g_assert_nonnull (stored);
  g_assert_true (stored != account);
  return stored;
}

static void
assert_credentials (TcAccountStore *store,
                    TcAccount      *account,
                    const char     *secret_key,
                    const char     *token)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TcCredentials) credentials = lookup (store, account, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (tc_credentials_get_secret_id (credentials), ==,
                   tc_account_get_secret_id (account));
  g_assert_cmpstr (tc_credentials_get_secret_key (credentials), ==, secret_key);
  g_assert_cmpstr (tc_credentials_get_token (credentials), ==, token);
}

static const char *
name_at (TcAccountStore *store,
         guint           position)
{
  g_autoptr(TcAccount) account = g_list_model_get_item (G_LIST_MODEL (store), position);

  g_assert_nonnull (account);
  return tc_account_get_name (account);
}

static char *
read_file (const char *path,
           gsize      *len)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, len, &error);
  g_assert_no_error (error);
  return contents;
}

/* The keyring, seen from outside the store */

static GList *
keyring_items (const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretService) service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  g_autoptr(GHashTable) attributes = NULL;
  GList *items;

  g_assert_no_error (error);
  attributes = secret_attributes_build (&test_schema, "account-id", id, NULL);
  items = secret_service_search_sync (service, &test_schema, attributes, SECRET_SEARCH_ALL,
                                      NULL, &error);
  g_assert_no_error (error);
  return items;
}

/* The label of the only keyring item for @id. */
static char *
dup_keyring_label (const char *id)
{
  GList *items = keyring_items (id);
  char *label;

  g_assert_cmpuint (g_list_length (items), ==, 1);
  label = secret_item_get_label (items->data);
  g_list_free_full (items, g_object_unref);
  return label;
}

static guint
count_keyring_items (const char *id)
{
  GList *items = keyring_items (id);
  guint n = g_list_length (items);

  g_list_free_full (items, g_object_unref);
  return n;
}

/* Tests that need no keyring */

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           GPtrArray  *notified)
{
  g_ptr_array_add (notified, g_strdup (pspec->name));
}

static void
test_account_new_destroy (void)
{
  g_autoptr(GPtrArray) notified = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(TcAccount) other = tc_account_new ("other", NULL);
  g_autoptr(TcAccount) copy = NULL;
  g_autoptr(TcCredentials) credentials = tc_credentials_new ("AKIDexample1234", "key", NULL);
  g_autoptr(TcClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *masked = NULL;
  g_autofree char *id = NULL;
  TcAccount *account = tc_account_new ("default", "AKIDexample1234");
  guint protocol = 99;

  g_assert_true (g_uuid_string_is_valid (tc_account_get_id (account)));
  g_assert_cmpstr (tc_account_get_id (account), !=, tc_account_get_id (other));
  g_assert_cmpstr (tc_account_get_name (account), ==, "default");
  g_assert_cmpstr (tc_account_get_secret_id (account), ==, "AKIDexample1234");
  g_assert_cmpstr (tc_account_get_secret_id (other), ==, "");
  g_assert_cmpstr (tc_account_get_region (account), ==, "ap-guangzhou");
  g_assert_cmpint (tc_account_get_protocol (account), ==, TC_PROTOCOL_API3);
  g_assert_cmpstr (tc_account_get_endpoint (account), ==, TC_API3_DEFAULT_ENDPOINT);
  g_assert_cmpstr (tc_account_get_legacy_cvm_endpoint (account), ==, TC_LEGACY_DEFAULT_CVM_ENDPOINT);
  g_assert_cmpstr (tc_account_get_legacy_image_endpoint (account), ==,
                   TC_LEGACY_DEFAULT_IMAGE_ENDPOINT);

  masked = tc_account_dup_masked_secret_id (account);
  g_assert_cmpstr (masked, ==, "••••1234");
  g_clear_pointer (&masked, g_free);
  g_object_get (account, "masked-secret-id", &masked, "protocol", &protocol, "id", &id, NULL);
  g_assert_cmpstr (masked, ==, "••••1234");
  g_assert_cmpuint (protocol, ==, TC_PROTOCOL_API3);
  g_assert_cmpstr (id, ==, tc_account_get_id (account));

  /* Notify only on change, and the masked SecretId follows the SecretId. */
  g_signal_connect (account, "notify", G_CALLBACK (notify_cb), notified);
  tc_account_set_name (account, "default");
  tc_account_set_region (account, "ap-guangzhou");
  tc_account_set_protocol (account, TC_PROTOCOL_API3);
  tc_account_set_endpoint (account, TC_API3_DEFAULT_ENDPOINT);
  g_object_set (account, "secret-id", "AKIDexample1234", NULL);
  g_assert_cmpuint (notified->len, ==, 0);

  tc_account_set_name (account, "work");
  tc_account_set_secret_id (account, "AKIDother5678");
  tc_account_set_region (account, "ap-shanghai");
  g_object_set (account, "protocol", (guint) TC_PROTOCOL_LEGACY, NULL);
  tc_account_set_endpoint (account, "https://cvm.intl.tencentcloudapi.com/");
  tc_account_set_legacy_cvm_endpoint (account, "https://cvm.example.com/v2/index.php");
  tc_account_set_legacy_image_endpoint (account, "https://image.example.com/v2/index.php");
  g_assert_cmpuint (notified->len, ==, 8);
  g_assert_cmpstr (g_ptr_array_index (notified, 0), ==, "name");
  g_assert_cmpstr (g_ptr_array_index (notified, 1), ==, "secret-id");
  g_assert_cmpstr (g_ptr_array_index (notified, 2), ==, "masked-secret-id");
  g_assert_cmpstr (g_ptr_array_index (notified, 3), ==, "region");
  g_assert_cmpstr (g_ptr_array_index (notified, 4), ==, "protocol");
  g_assert_cmpstr (g_ptr_array_index (notified, 5), ==, "endpoint");
  g_assert_cmpstr (g_ptr_array_index (notified, 6), ==, "legacy-cvm-endpoint");
  g_assert_cmpstr (g_ptr_array_index (notified, 7), ==, "legacy-image-endpoint");
  g_signal_handlers_disconnect_by_func (account, notify_cb, notified);

  copy = tc_account_copy (account);
  g_assert_cmpstr (tc_account_get_id (copy), ==, tc_account_get_id (account));
  g_assert_cmpstr (tc_account_get_name (copy), ==, "work");
  g_assert_cmpstr (tc_account_get_secret_id (copy), ==, "AKIDother5678");
  g_assert_cmpstr (tc_account_get_region (copy), ==, "ap-shanghai");
  g_assert_cmpint (tc_account_get_protocol (copy), ==, TC_PROTOCOL_LEGACY);
  g_assert_cmpstr (tc_account_get_endpoint (copy), ==, "https://cvm.intl.tencentcloudapi.com/");
  g_assert_cmpstr (tc_account_get_legacy_cvm_endpoint (copy), ==,
                   "https://cvm.example.com/v2/index.php");
  g_assert_cmpstr (tc_account_get_legacy_image_endpoint (copy), ==,
                   "https://image.example.com/v2/index.php");

  client = tc_account_create_client (account, NULL, NULL, credentials, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tc_client_get_protocol (client), ==, TC_PROTOCOL_LEGACY);
  g_assert_true (tc_client_get_credentials (client) == credentials);
  g_clear_object (&client);

  tc_account_set_endpoint (account, "http://example.com/");
  client = tc_account_create_client (account, NULL, NULL, credentials, &error);
  g_assert_error (error, TC_ERROR, TC_ERROR_BAD_ENDPOINT);
  g_assert_null (client);
  g_clear_error (&error);

  tc_account_set_endpoint (account, "http://127.0.0.1:8080/");
  tc_account_set_legacy_image_endpoint (account, "ftp://image.example.com/");
  client = tc_account_create_client (account, NULL, NULL, credentials, &error);
  g_assert_error (error, TC_ERROR, TC_ERROR_BAD_ENDPOINT);
  g_assert_null (client);

  g_assert_finalize_object (account);
}

static void
test_store_new_destroy (void)
{
  TcAccountStore *store = tc_account_store_new (NULL);
  g_autofree char *expected = g_build_filename (g_get_user_config_dir (), "imprint",
                                                "accounts.json", NULL);

  g_assert_true (G_IS_LIST_MODEL (store));
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (store)) == TC_TYPE_ACCOUNT);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (store), 0));
  g_assert_cmpstr (tc_account_store_get_path (store), ==, expected);
  g_assert_null (tc_account_store_find_by_id (store, "nothing"));
  g_assert_null (tc_account_store_find_by_name (store, "default"));

  g_assert_finalize_object (store);
}

static void
test_missing_file (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (load (fixture->store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 0);
  g_assert_cmpuint (fixture->changes->len, ==, 0);
  /* Reading creates nothing. */
  g_assert_false (g_file_test (fixture->dir, G_FILE_TEST_EXISTS));
}

static void
write_accounts_file (Fixture    *fixture,
                     const char *contents)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (fixture->dir, 0700), ==, 0);
  g_file_set_contents (fixture->path, contents, -1, &error);
  g_assert_no_error (error);
}

/* Writes @contents, then checks that loading fails with @message_part, that saving and
 * removing refuse, and that the file stays byte for byte as it was. */
static void
check_unreadable_file (Fixture    *fixture,
                       const char *contents,
                       const char *message_part)
{
  g_autoptr(TcAccount) account = tc_account_new ("new", "AKIDnew");
  g_autoptr(TcCredentials) credentials = tc_credentials_new ("AKIDnew", "keyNew", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;
  gsize len = 0;

  write_accounts_file (fixture, contents);

  g_assert_false (load (fixture->store, &error));
  g_assert_error (error, TC_ACCOUNT_STORE_ERROR, TC_ACCOUNT_STORE_ERROR_FILE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_assert_nonnull (strstr (error->message, message_part));
  g_assert_nonnull (tc_account_store_error_get_details (error));
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 0);

  /* Saving would have to overwrite the file: it refuses, before the keyring. */
  g_assert_false (save (fixture->store, account, credentials, NULL, &error));
  g_assert_error (error, TC_ACCOUNT_STORE_ERROR, TC_ACCOUNT_STORE_ERROR_FILE);
  g_clear_error (&error);
  g_assert_false (remove_account (fixture->store, account, &error));
  g_assert_error (error, TC_ACCOUNT_STORE_ERROR, TC_ACCOUNT_STORE_ERROR_FILE);
  g_clear_error (&error);

  after = read_file (fixture->path, &len);
  g_assert_cmpmem (after, len, contents, strlen (contents));
}

static void
test_corrupt_file (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char * const damaged[] = {
    "{\"version\": 1, \"accounts\": [{\"id\": \"a\", \"name\": ",
    "not json at all",
    "[]",
    "{\"accounts\": []}",
    "{\"version\": \"one\", \"accounts\": []}",
    "{\"version\": 1}",
    "{\"version\": 1, \"accounts\": [42]}",
    "{\"version\": 1, \"accounts\": [{\"name\": \"x\", \"secret_id\": \"AKID\"}]}",
    "{\"version\": 1, \"accounts\": [{\"id\": \"a\", \"name\": \"x\", \"secret_id\": \"AKID\","
    " \"protocol\": \"api4\"}]}",
    "{\"version\": 1, \"accounts\": [{\"id\": \"a\", \"name\": \"x\", \"secret_id\": \"AKID\"},"
    " {\"id\": \"a\", \"name\": \"y\", \"secret_id\": \"AKID\"}]}",
    /* Hostile: a version beyond any integer, and a SecretId whose escaped lone surrogate
     * json-glib turns into bytes that are not UTF-8 (it cannot be anyone's SecretId). */
    "{\"version\": 1e999, \"accounts\": []}",
    "{\"version\": -1e19, \"accounts\": []}",
    "{\"version\": 1, \"accounts\": [{\"id\": \"a\", \"name\": \"x\","
    " \"secret_id\": \"AKID\\udc00z\"}]}",
  };

  /* json-glib's message quotes this string cut inside “账” (found by fuzzing): the
   * message and its details are shown, so they must be valid UTF-8. */
  static const char half_character[] =
    "{\n  \"vro\" : \"htps://cvm.qcloud.com/v2\xe8\xb4\xa6\xe5\x8f\xb7=,\n\"s \n";
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (damaged); i++)
    check_unreadable_file (fixture, damaged[i], "is damaged and could not be read");

  write_accounts_file (fixture, half_character);
  g_assert_false (load (fixture->store, &error));
  g_assert_error (error, TC_ACCOUNT_STORE_ERROR, TC_ACCOUNT_STORE_ERROR_FILE);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_true (g_utf8_validate (tc_account_store_error_get_details (error), -1, NULL));

  /* Nothing reached the keyring on the way. */
  g_assert_cmpuint (fixture->changes->len, ==, 0);
}

/* A file and folder left open to others (an older build, a restored backup) are made the
 * user's alone as soon as they are read, without a save. */
static void
test_loose_permissions (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  write_accounts_file (fixture, "{\"version\": 1, \"accounts\": []}");
  g_assert_cmpint (g_chmod (fixture->dir, 0755), ==, 0);
  g_assert_cmpint (g_chmod (fixture->path, 0644), ==, 0);

  g_assert_true (load (fixture->store, &error));
  g_assert_no_error (error);

  g_assert_cmpint (g_stat (fixture->dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (fixture->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
test_newer_version (Fixture       *fixture,
                    gconstpointer  data)
{
  check_unreadable_file (fixture,
                         "{\"version\": 2, \"accounts\": [], \"profiles\": {\"new\": true}}",
                         "was written by a newer version of Imprint");
}

static void
test_invalid_fields (Fixture       *fixture,
                     gconstpointer  data)
{
  static const struct {
    const char *property;
    const char *value;
    const char *secret_key;
    const char *token;
    const char *field;
    const char *message_part;
  } cases[] = {
    { "name", "", "key", NULL, "name", "Enter a name" },
    { "name", "  \t", "key", NULL, "name", "Enter a name" },
    { "secret-id", "", "key", NULL, "secret-id", "Enter the SecretId" },
    { "secret-id", "AKID 123", "key", NULL, "secret-id", "SecretId contains spaces" },
    { "secret-id", "AKID123\n", "key", NULL, "secret-id", "SecretId contains spaces" },
    { NULL, NULL, "", NULL, "secret-key", "Enter the SecretKey" },
    { NULL, NULL, "key\n", NULL, "secret-key", "SecretKey contains spaces" },
    { NULL, NULL, "k\u3000ey", NULL, "secret-key", "SecretKey contains spaces" },
    { NULL, NULL, "key", "tok en", "token", "session token contains spaces" },
    { "region", "", "key", NULL, "region", "Choose a default region" },
    { "endpoint", "http://cvm.tencentcloudapi.com/", "key", NULL, "endpoint",
      "API 3.0 endpoint: The endpoint must start with https://" },
    { "endpoint", "not a url", "key", NULL, "endpoint", "API 3.0 endpoint: " },
    { "legacy-cvm-endpoint", "", "key", NULL, "legacy-cvm-endpoint", "Legacy instance endpoint: " },
    { "legacy-image-endpoint", "https://user@image.example.com/", "key", NULL,
      "legacy-image-endpoint", "Legacy image endpoint: " },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(TcAccount) account = tc_account_new ("default", "AKIDvalid");
    g_autoptr(TcCredentials) credentials = tc_credentials_new ("AKIDvalid", cases[i].secret_key,
                                                               cases[i].token);
    g_autoptr(GError) error = NULL;

    if (cases[i].property != NULL)
      g_object_set (account, cases[i].property, cases[i].value, NULL);

    g_assert_false (tc_account_store_validate (fixture->store, account, credentials, &error));
    g_assert_error (error, TC_ACCOUNT_STORE_ERROR, TC_ACCOUNT_STORE_ERROR_INVALID);
    g_assert_cmpstr (tc_account_store_error_get_field (error), ==, cases[i].field);
    g_clear_error (&error);

    g_assert_false (save (fixture->store, account, credentials, NULL, &error));
    g_assert_error (error, TC_ACCOUNT_STORE_ERROR, TC_ACCOUNT_STORE_ERROR_INVALID);
    g_assert_cmpstr (tc_account_store_error_get_field (error), ==, cases[i].field);
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, cases[i].message_part));
  }

  /* A loopback http:// endpoint (the simulator) is fine, and so is no token. */
  {
    g_autoptr(TcAccount) account = tc_account_new ("sim", "AKIDsim");
    g_autoptr(TcCredentials) credentials = tc_credentials_new ("AKIDsim", "keySim", NULL);
    g_autoptr(GError) error = NULL;

    tc_account_set_endpoint (account, "http://127.0.0.1:4567/");
    g_assert_true (tc_account_store_validate (fixture->store, account, credentials, &error));
    g_assert_no_error (error);
    g_assert_true (tc_account_store_validate (fixture->store, account, NULL, &error));
    g_assert_no_error (error);
  }

  /* Nothing was written or added. */
  g_assert_false (g_file_test (fixture->dir, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (fixture->changes->len, ==, 0);
}

/* No Secret Service */

static void
test_no_keyring (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(TcAccount) account = tc_account_new ("default", "AKIDnokeyring");
  g_autoptr(TcCredentials) credentials = tc_credentials_new ("AKIDnokeyring", "keyNoKeyring", NULL);
  g_autoptr(TcCredentials) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  TcAccount *stored;

  g_assert_false (save (fixture->store, account, credentials, NULL, &error));
  g_assert_error (error, TC_ACCOUNT_STORE_ERROR, TC_ACCOUNT_STORE_ERROR_NO_KEYRING);
  g_assert_cmpstr (error->message, ==, NO_KEYRING_MESSAGE);
  g_test_message ("details: %s", tc_account_store_error_get_details (error));
  g_assert_nonnull (tc_account_store_error_get_details (error));
  g_clear_error (&error);

  /* Nothing is written as a fallback. */
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 0);

  /* An account saved earlier still loads, and then explains that its secret is out of reach. */
  contents = g_strdup_printf ("{\"version\": 1, \"accounts\": [{\"id\": \"%s\", \"name\": "
                              "\"default\", \"secret_id\": \"AKIDnokeyring\"}]}",
                              tc_account_get_id (account));
  write_accounts_file (fixture, contents);
  g_assert_true (load (fixture->store, &error));
  g_assert_no_error (error);
  stored = tc_account_store_find_by_id (fixture->store, tc_account_get_id (account));
  g_assert_nonnull (stored);

  found = lookup (fixture->store, stored, &error);
  g_assert_null (found);
  g_assert_error (error, TC_ACCOUNT_STORE_ERROR, TC_ACCOUNT_STORE_ERROR_NO_KEYRING);
  g_assert_cmpstr (error->message, ==, NO_KEYRING_MESSAGE);
  g_clear_error (&error);

  /* Removing needs the keyring too: the account stays until its secret can go with it. */
  g_assert_false (remove_account (fixture->store, stored, &error));
  g_assert_error (error, TC_ACCOUNT_STORE_ERROR, TC_ACCOUNT_STORE_ERROR_NO_KEYRING);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 1);

  /* Editing without retyping the SecretKey needs it from the keyring. */
  tc_account_set_region (account, "ap-beijing");
  g_assert_false (save (fixture->store, account, NULL, NULL, &error));
  g_assert_error (error, TC_ACCOUNT_STORE_ERROR, TC_ACCOUNT_STORE_ERROR_NO_KEYRING);
  g_assert_cmpstr (tc_account_get_region (stored), ==, "ap-guangzhou");
}

/* libsecret's file backend */

/* As inside the Flatpak: libsecret keeps the items in the app's own file
 * (SECRET_BACKEND=file) and no Secret Service is on the bus. An item that is not in the
 * file is missing, and removing an account without one works. */
static void
test_file_backend (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(TcCredentials) found = NULL;
  g_autoptr(TcCredentials) kept = NULL;
  g_autoptr(TcAccount) ghost = tc_account_new ("ghost", "AKIDghost");
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  char *password;
  TcAccount *stored;

  stored = add_account (fixture, "filed", "AKIDfiled", "keyFiled", NULL);
  assert_credentials (fixture->store, stored, "keyFiled", NULL);

  /* The item goes, as when the portal's key for the app changes. */
  g_assert_true (secret_password_clear_sync (&test_schema, NULL, &error,
                                             "account-id", tc_account_get_id (stored),
                                             NULL));
  g_assert_no_error (error);

  found = lookup (fixture->store, stored, &error);
  g_assert_null (found);
  g_assert_error (error, TC_ACCOUNT_STORE_ERROR, TC_ACCOUNT_STORE_ERROR_SECRET_MISSING);
  g_assert_cmpstr (error->message, ==, "The keyring no longer holds the SecretKey of “filed”. "
                                       "Edit the account and enter it again.");
  g_clear_error (&error);

  kept = keep_secret (fixture->store, stored, "AKIDfiled", NULL, &error);
  g_assert_null (kept);
  g_assert_error (error, TC_ACCOUNT_STORE_ERROR, TC_ACCOUNT_STORE_ERROR_SECRET_MISSING);
  g_clear_error (&error);

  g_assert_true (remove_account (fixture->store, stored, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 0);
  g_assert_true (remove_account (fixture->store, ghost, &error));
  g_assert_no_error (error);

  /* An account whose item is there takes it along. */
  stored = add_account (fixture, "again", "AKIDagain", "keyAgain", NULL);
  id = g_strdup (tc_account_get_id (stored));
  g_assert_true (remove_account (fixture->store, stored, &error));
  g_assert_no_error (error);
  password = secret_password_lookup_sync (&test_schema, NULL, &error, "account-id", id, NULL);
  g_assert_no_error (error);
  g_assert_null (password);
}

/* In the Flatpak, where the keyring is reached through the Secret portal */

/* Passwords and Keys shows the Secret Service's items, never those of the sandbox's own
 * keyring file: a message inside the sandbox does not send the user there. */
static void
assert_not_seahorse (const GError *error)
{
  g_assert_null (strstr (error->message, "Passwords and Keys"));
}

/* Saving, reading and removing all fail, each with what the Flatpak needs: without a
 * Secret portal libsecret falls back on the Secret Service, which the sandbox cannot
 * reach; a portal that fails the request (its keyring missing or left locked) is no
 * missing keyring. */
static void
test_flatpak (Fixture       *fixture,
              gconstpointer  data)
{
  gboolean portal_fails = g_strcmp0 (g_getenv ("IMPRINT_TEST_SECRET_PORTAL"), "failing") == 0;
  gint code = portal_fails ? TC_ACCOUNT_STORE_ERROR_KEYRING_FAILED
                           : TC_ACCOUNT_STORE_ERROR_NO_KEYRING;
  const char *message = portal_fails ? FLATPAK_PORTAL_FAILED_MESSAGE : FLATPAK_NO_KEYRING_MESSAGE;
  g_autoptr(TcAccount) account = tc_account_new ("default", "AKIDflatpak");
  g_autoptr(TcCredentials) credentials = tc_credentials_new ("AKIDflatpak", "keyFlatpak", NULL);
  g_autoptr(TcCredentials) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  TcAccount *stored;

  g_assert_false (save (fixture->store, account, credentials, NULL, &error));
  g_test_message ("%s (details: %s)", error->message, tc_account_store_error_get_details (error));
  g_assert_error (error, TC_ACCOUNT_STORE_ERROR, code);
  g_assert_true (g_str_has_prefix (error->message, message));
  assert_not_seahorse (error);
  g_assert_nonnull (tc_account_store_error_get_details (error));
  g_clear_error (&error);
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));

  contents = g_strdup_printf ("{\"version\": 1, \"accounts\": [{\"id\": \"%s\", \"name\": "
                              "\"default\", \"secret_id\": \"AKIDflatpak\"}]}",
                              tc_account_get_id (account));
  write_accounts_file (fixture, contents);
  g_assert_true (load (fixture->store, &error));
  g_assert_no_error (error);
  stored = tc_account_store_find_by_id (fixture->store, tc_account_get_id (account));
  g_assert_nonnull (stored);

  found = lookup (fixture->store, stored, &error);
  g_assert_null (found);
  g_assert_error (error, TC_ACCOUNT_STORE_ERROR, code);
  g_assert_true (g_str_has_prefix (error->message, message));
  assert_not_seahorse (error);
  g_clear_error (&error);

  /* The item may still be in the keyring file: the account stays. */
  g_assert_false (remove_account (fixture->store, stored, &error));
  g_assert_error (error, TC_ACCOUNT_STORE_ERROR, code);
  g_assert_true (g_str_has_prefix (error->message, message));
  assert_not_seahorse (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 1);
}

/* The sandbox's keyring file cannot be read (damaged, or locked with a key the portal no
 * longer hands over; SECRET_FILE_TEST_PASSWORD stands in for the portal's key): saving,
 * reading and removing fail, and each says to remove that file, which only the app sees. */
static void
test_flatpak_damaged_file (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(TcAccount) account = tc_account_new ("default", "AKIDdamaged");
  g_autoptr(TcCredentials) credentials = tc_credentials_new ("AKIDdamaged", "keyDamaged", NULL);
  g_autoptr(TcCredentials) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *keyring = g_build_filename (g_get_user_config_dir (), "damaged.keyring", NULL);
  g_autofree char *contents = NULL;
  const char *prefixes[] = {
    "The keyring could not save the SecretKey of “default”. Try again; if it keeps failing, "
    "Imprint’s own keyring file (",
    "The keyring could not read the SecretKey of “default”. Try again; if it keeps failing, "
    "Imprint’s own keyring file (",
    "The keyring could not remove the SecretKey of “default”. Try again; if it keeps "
    "failing, Imprint’s own keyring file (",
  };
  TcAccount *stored;

  /* libsecret reads where its file is when it is first used, which is below. */
  g_assert_true (g_file_set_contents (keyring, "GnomeKeyring\n\r\0\n\x7f damaged", 25, NULL));
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);

  g_assert_false (save (fixture->store, account, credentials, NULL, &error));
  g_test_message ("%s (details: %s)", error->message, tc_account_store_error_get_details (error));
  g_assert_error (error, TC_ACCOUNT_STORE_ERROR, TC_ACCOUNT_STORE_ERROR_KEYRING_FAILED);
  g_assert_true (g_str_has_prefix (error->message, prefixes[0]));
  assert_not_seahorse (error);
  g_clear_error (&error);

  contents = g_strdup_printf ("{\"version\": 1, \"accounts\": [{\"id\": \"%s\", \"name\": "
                              "\"default\", \"secret_id\": \"AKIDdamaged\"}]}",
                              tc_account_get_id (account));
  write_accounts_file (fixture, contents);
  g_assert_true (load (fixture->store, &error));
  g_assert_no_error (error);
  stored = tc_account_store_find_by_id (fixture->store, tc_account_get_id (account));
  g_assert_nonnull (stored);

  found = lookup (fixture->store, stored, &error);
  g_assert_null (found);
  g_assert_error (error, TC_ACCOUNT_STORE_ERROR, TC_ACCOUNT_STORE_ERROR_KEYRING_FAILED);
  g_assert_true (g_str_has_prefix (error->message, prefixes[1]));
  assert_not_seahorse (error);
  g_clear_error (&error);

  g_assert_false (remove_account (fixture->store, stored, &error));
  g_assert_error (error, TC_ACCOUNT_STORE_ERROR, TC_ACCOUNT_STORE_ERROR_KEYRING_FAILED);
  g_assert_true (g_str_has_prefix (error->message, prefixes[2]));
  assert_not_seahorse (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 1);
}

/* With gnome-keyring */

static void
test_add (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *contents = NULL;
  g_autofree char *label = NULL;
  JsonObject *entry;
  TcAccount *stored;
  GStatBuf st;
  gsize len = 0;

  g_assert_true (load (fixture->store, &error));
  stored = add_account (fixture, "default", "AKIDadd000000001", "keyAdd0001", "tokenAdd0001");
  assert_changes (fixture, 1, 0, 0, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 1);
  g_assert_true (tc_account_store_find_by_name (fixture->store, "default") == stored);
  g_assert_true (tc_account_store_find_by_name (fixture->store, " Default ") == stored);

  /* The folder and the file are the user's alone. */
  g_assert_cmpint (g_stat (fixture->dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (fixture->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  contents = read_file (fixture->path, &len);
  g_assert_null (strstr (contents, "keyAdd0001"));
  g_assert_null (strstr (contents, "tokenAdd0001"));
  json_parser_load_from_data (parser, contents, (gssize) len, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)),
                                               "version"), ==, 1);
  entry = json_array_get_object_element (json_object_get_array_member (
    json_node_get_object (json_parser_get_root (parser)), "accounts"), 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "id"), ==, tc_account_get_id (stored));
  g_assert_cmpstr (json_object_get_string_member (entry, "name"), ==, "default");
  g_assert_cmpstr (json_object_get_string_member (entry, "secret_id"), ==, "AKIDadd000000001");
  g_assert_cmpstr (json_object_get_string_member (entry, "region"), ==, "ap-guangzhou");
  g_assert_cmpstr (json_object_get_string_member (entry, "protocol"), ==, "api3");
  g_assert_cmpstr (json_object_get_string_member (entry, "endpoint"), ==, TC_API3_DEFAULT_ENDPOINT);
  g_assert_cmpstr (json_object_get_string_member (entry, "legacy_cvm_endpoint"), ==,
                   TC_LEGACY_DEFAULT_CVM_ENDPOINT);
  g_assert_cmpstr (json_object_get_string_member (entry, "legacy_image_endpoint"), ==,
                   TC_LEGACY_DEFAULT_IMAGE_ENDPOINT);
  g_assert_cmpuint (json_object_get_size (entry), ==, 8);

  assert_credentials (fixture->store, stored, "keyAdd0001", "tokenAdd0001");

  /* One keyring item, labelled for people. */
  label = dup_keyring_label (tc_account_get_id (stored));
  g_assert_cmpstr (label, ==, "Imprint: default (Tencent Cloud)");
}

static void
test_list_order (Fixture       *fixture,
                 gconstpointer  data)
{
  add_account (fixture, "zeta", "AKIDzeta", "keyZeta", NULL);
  add_account (fixture, "alpha", "AKIDalpha", "keyAlpha", NULL);
  add_account (fixture, "mid", "AKIDmid", "keyMid", NULL);
  add_account (fixture, "beta", "AKIDbeta", "keyBeta", NULL);
  assert_changes (fixture, 4,
                  0, 0, 1,
                  0, 0, 1,
                  1, 0, 1,
                  1, 0, 1);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 4);
  g_assert_cmpstr (name_at (fixture->store, 0), ==, "alpha");
  g_assert_cmpstr (name_at (fixture->store, 1), ==, "beta");
  g_assert_cmpstr (name_at (fixture->store, 2), ==, "mid");
  g_assert_cmpstr (name_at (fixture->store, 3), ==, "zeta");
}

static void
test_edit (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GPtrArray) notified = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(TcAccount) edit = NULL;
  g_autoptr(TcCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  TcAccount *stored;

  stored = add_account (fixture, "work", "AKIDwork00000001", "keyWorkOld", "tokenWorkOld");
  add_account (fixture, "home", "AKIDhome", "keyHome", NULL);
  g_array_set_size (fixture->changes, 0);

  edit = tc_account_copy (stored);
  tc_account_set_secret_id (edit, "AKIDwork00000002");
  tc_account_set_region (edit, "ap-hongkong");
  tc_account_set_protocol (edit, TC_PROTOCOL_LEGACY);
  tc_account_set_legacy_cvm_endpoint (edit, "https://cvm.example.com/v2/index.php");
  credentials = tc_credentials_new ("AKIDwork00000002", "keyWorkNew", NULL);

  g_signal_connect (stored, "notify", G_CALLBACK (notify_cb), notified);
  g_assert_true (save (fixture->store, edit, credentials, NULL, &error));
  g_assert_no_error (error);
  g_signal_handlers_disconnect_by_func (stored, notify_cb, notified);

  /* The same object, changed in place, still in its place. */
  g_assert_true (tc_account_store_find_by_id (fixture->store, tc_account_get_id (edit)) == stored);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 2);
  assert_changes (fixture, 1, 1, 1, 1);
  g_assert_cmpuint (notified->len, ==, 5);
  g_assert_cmpstr (tc_account_get_secret_id (stored), ==, "AKIDwork00000002");
  g_assert_cmpstr (tc_account_get_region (stored), ==, "ap-hongkong");
  g_assert_cmpint (tc_account_get_protocol (stored), ==, TC_PROTOCOL_LEGACY);

  contents = read_file (fixture->path, NULL);
  g_assert_nonnull (strstr (contents, "\"legacy\""));
  g_assert_nonnull (strstr (contents, "ap-hongkong"));
  g_assert_null (strstr (contents, "AKIDwork00000001"));

  /* The new secret replaced the old one, token and all. */
  assert_credentials (fixture->store, stored, "keyWorkNew", NULL);
  g_assert_cmpuint (count_keyring_items (tc_account_get_id (stored)), ==, 1);

  /* Editing without retyping the SecretKey keeps the one in the keyring. */
  tc_account_set_region (edit, "ap-seoul");
  g_assert_true (save (fixture->store, edit, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (tc_account_get_region (stored), ==, "ap-seoul");
  assert_credentials (fixture->store, stored, "keyWorkNew", NULL);
}

/* The file cannot be written (here: a folder stands where it goes, which stops root too)
 * after the keyring took the new secret: the keyring is put back. An edited account keeps
 * its old SecretKey, which goes with the SecretId the file still has; a new account leaves
 * no item behind that no account refers to. */
static void
test_file_fails_after_keyring (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(TcAccount) edit = NULL;
  g_autoptr(TcAccount) fresh = tc_account_new ("fresh", "AKIDfresh");
  g_autoptr(TcCredentials) changed = tc_credentials_new ("AKIDwork00000002", "keyWorkNew", NULL);
  g_autoptr(TcCredentials) fresh_credentials = tc_credentials_new ("AKIDfresh", "keyFresh", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *blocker = g_build_filename (fixture->path, "blocker", NULL);
  TcAccount *stored;

  stored = add_account (fixture, "work", "AKIDwork00000001", "keyWorkOld", "tokenWorkOld");
  g_assert_cmpint (g_unlink (fixture->path), ==, 0);
  g_assert_cmpint (g_mkdir (fixture->path, 0700), ==, 0);
  g_assert_true (g_file_set_contents (blocker, "", 0, NULL));

  edit = tc_account_copy (stored);
  tc_account_set_secret_id (edit, "AKIDwork00000002");
  g_assert_false (save (fixture->store, edit, changed, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpstr (tc_account_get_secret_id (stored), ==, "AKIDwork00000001");
  assert_credentials (fixture->store, stored, "keyWorkOld", "tokenWorkOld");
  g_assert_cmpuint (count_keyring_items (tc_account_get_id (stored)), ==, 1);

  g_assert_false (save (fixture->store, fresh, fresh_credentials, NULL, &error));
  g_assert_nonnull (error);
  g_assert_null (tc_account_store_find_by_id (fixture->store, tc_account_get_id (fresh)));
  g_assert_cmpuint (count_keyring_items (tc_account_get_id (fresh)), ==, 0);

  g_assert_cmpint (g_unlink (blocker), ==, 0);
  g_assert_cmpint (g_rmdir (fixture->path), ==, 0);
}

/* The editor tests and saves an edit that left the SecretKey empty with the same
 * credentials: the SecretId as typed, the saved SecretKey, and the token as typed or, when
 * none was, the saved one. */
static void
test_keep_secret (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(TcCredentials) kept = NULL;
  g_autoptr(TcCredentials) retyped = NULL;
  g_autoptr(TcCredentials) gone = NULL;
  g_autoptr(TcAccount) edit = NULL;
  g_autoptr(GError) error = NULL;
  TcAccount *stored;

  stored = add_account (fixture, "keep", "AKIDkeep0000001", "keyKeep", "tokenKeep");

  kept = keep_secret (fixture->store, stored, "AKIDkeep0000002", "", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tc_credentials_get_secret_id (kept), ==, "AKIDkeep0000002");
  g_assert_cmpstr (tc_credentials_get_secret_key (kept), ==, "keyKeep");
  g_assert_cmpstr (tc_credentials_get_token (kept), ==, "tokenKeep");

  retyped = keep_secret (fixture->store, stored, "AKIDkeep0000001", "tokenNew", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tc_credentials_get_secret_key (retyped), ==, "keyKeep");
  g_assert_cmpstr (tc_credentials_get_token (retyped), ==, "tokenNew");

  /* Saving without credentials keeps the SecretKey and the token alike. */
  edit = tc_account_copy (stored);
  tc_account_set_secret_id (edit, "AKIDkeep0000003");
  g_assert_true (save (fixture->store, edit, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_credentials (fixture->store, stored, "keyKeep", "tokenKeep");

  /* With the keyring item gone, there is nothing to keep, and the editor says so. */
  g_assert_true (remove_account (fixture->store, stored, &error));
  g_assert_no_error (error);
  gone = keep_secret (fixture->store, edit, "AKIDkeep0000003", NULL, &error);
  g_assert_null (gone);
  g_assert_error (error, TC_ACCOUNT_STORE_ERROR, TC_ACCOUNT_STORE_ERROR_SECRET_MISSING);
}

static void
test_rename (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(TcAccount) edit = NULL;
  g_autoptr(TcCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  TcAccount *stored;

  stored = add_account (fixture, "alpha", "AKIDrename", "keyRename", "tokenRename");
  add_account (fixture, "beta", "AKIDbeta", "keyBeta", NULL);
  add_account (fixture, "gamma", "AKIDgamma", "keyGamma", NULL);
  g_array_set_size (fixture->changes, 0);

  edit = tc_account_copy (stored);
  tc_account_set_name (edit, "omega");
  credentials = tc_credentials_new ("AKIDrename", "keyRename", "tokenRename");
  g_assert_true (save (fixture->store, edit, credentials, NULL, &error));
  g_assert_no_error (error);

  /* It moved from first to last. */
  assert_changes (fixture, 2, 0, 1, 0, 2, 0, 1);
  g_assert_cmpstr (name_at (fixture->store, 0), ==, "beta");
  g_assert_cmpstr (name_at (fixture->store, 1), ==, "gamma");
  g_assert_cmpstr (name_at (fixture->store, 2), ==, "omega");
  g_assert_true (tc_account_store_find_by_name (fixture->store, "omega") == stored);
  g_assert_null (tc_account_store_find_by_name (fixture->store, "alpha"));

  /* Still one keyring item for the account, now labelled with the new name. */
  assert_credentials (fixture->store, stored, "keyRename", "tokenRename");
  label = dup_keyring_label (tc_account_get_id (stored));
  g_assert_cmpstr (label, ==, "Imprint: omega (Tencent Cloud)");
  g_clear_pointer (&label, g_free);

  /* Renaming without the secret at hand moves the label too. */
  tc_account_set_name (edit, "delta");
  g_assert_true (save (fixture->store, edit, NULL, NULL, &error));
  g_assert_no_error (error);
  label = dup_keyring_label (tc_account_get_id (stored));
  g_assert_cmpstr (label, ==, "Imprint: delta (Tencent Cloud)");
  assert_credentials (fixture->store, stored, "keyRename", "tokenRename");
  g_assert_cmpstr (name_at (fixture->store, 1), ==, "delta");
}

static void
test_remove (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TcAccountStore) reloaded = NULL;
  g_autofree char *id = NULL;
  g_autofree char *contents = NULL;
  TcAccount *stored;

  add_account (fixture, "keep", "AKIDkeep", "keyKeep", NULL);
  stored = add_account (fixture, "drop", "AKIDdrop", "keyDrop", "tokenDrop");
  id = g_strdup (tc_account_get_id (stored));
  g_assert_cmpuint (count_keyring_items (id), ==, 1);
  g_array_set_size (fixture->changes, 0);

  g_assert_true (remove_account (fixture->store, stored, &error));
  g_assert_no_error (error);
  assert_changes (fixture, 1, 0, 1, 0);
  g_assert_null (tc_account_store_find_by_id (fixture->store, id));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 1);
  g_assert_cmpuint (count_keyring_items (id), ==, 0);

  contents = read_file (fixture->path, NULL);
  g_assert_null (strstr (contents, id));
  g_assert_null (strstr (contents, "drop"));

  /* Removing what is already gone is not an error. */
  {
    g_autoptr(TcAccount) ghost = tc_account_new ("ghost", "AKIDghost");

    g_assert_true (remove_account (fixture->store, ghost, &error));
    g_assert_no_error (error);
  }

  reloaded = tc_account_store_new (fixture->path);
  g_assert_true (load (reloaded, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reloaded)), ==, 1);
  g_assert_cmpstr (name_at (reloaded, 0), ==, "keep");
}

static void
test_name_taken (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(TcAccount) twin = tc_account_new ("Work ", "AKIDtwin");
  g_autoptr(TcCredentials) credentials = tc_credentials_new ("AKIDtwin", "keyTwin", NULL);
  g_autoptr(TcAccount) rename = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  TcAccount *other;

  add_account (fixture, "work", "AKIDwork", "keyWork", NULL);
  other = add_account (fixture, "play", "AKIDplay", "keyPlay", NULL);
  before = read_file (fixture->path, NULL);
  g_array_set_size (fixture->changes, 0);

  g_assert_false (tc_account_store_validate (fixture->store, twin, credentials, &error));
  g_assert_error (error, TC_ACCOUNT_STORE_ERROR, TC_ACCOUNT_STORE_ERROR_NAME_TAKEN);
  g_clear_error (&error);

  g_assert_false (save (fixture->store, twin, credentials, NULL, &error));
  g_assert_error (error, TC_ACCOUNT_STORE_ERROR, TC_ACCOUNT_STORE_ERROR_NAME_TAKEN);
  g_assert_cmpstr (error->message, ==,
                   "There is already an account named “Work ”. Choose another name.");
  g_assert_cmpstr (tc_account_store_error_get_field (error), ==, "name");
  g_clear_error (&error);

  /* Renaming onto another account's name is refused as well. */
  rename = tc_account_copy (other);
  tc_account_set_name (rename, "WORK");
  g_assert_false (save (fixture->store, rename, credentials, NULL, &error));
  g_assert_error (error, TC_ACCOUNT_STORE_ERROR, TC_ACCOUNT_STORE_ERROR_NAME_TAKEN);
  g_clear_error (&error);

  /* Neither reached the keyring or the file; an account keeps its own name. */
  g_assert_cmpuint (count_keyring_items (tc_account_get_id (twin)), ==, 0);
  after = read_file (fixture->path, NULL);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (fixture->changes->len, ==, 0);
  g_assert_cmpstr (tc_account_get_name (other), ==, "play");
  tc_account_set_name (rename, "play");
  g_assert_true (tc_account_store_validate (fixture->store, rename, NULL, &error));
  g_assert_no_error (error);

  /* A new account without a SecretKey cannot be saved. */
  g_clear_object (&rename);
  rename = tc_account_new ("fresh", "AKIDfresh");
  g_assert_false (save (fixture->store, rename, NULL, NULL, &error));
  g_assert_error (error, TC_ACCOUNT_STORE_ERROR, TC_ACCOUNT_STORE_ERROR_INVALID);
  g_assert_cmpstr (tc_account_store_error_get_field (error), ==, "secret-key");
}

static void
test_secret_missing (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(TcCredentials) found = NULL;
  g_autoptr(TcAccount) edit = NULL;
  g_autoptr(GError) error = NULL;
  TcAccount *stored;

  stored = add_account (fixture, "vanishing", "AKIDvanish", "keyVanish", NULL);

  /* Someone removes the item in Passwords and Keys. */
  g_assert_true (secret_password_clear_sync (&test_schema, NULL, &error,
                                             "account-id", tc_account_get_id (stored),
                                             NULL));
  g_assert_no_error (error);

  found = lookup (fixture->store, stored, &error);
  g_assert_null (found);
  g_assert_error (error, TC_ACCOUNT_STORE_ERROR, TC_ACCOUNT_STORE_ERROR_SECRET_MISSING);
  g_assert_cmpstr (error->message, ==, "The keyring no longer holds the SecretKey of “vanishing”. "
                                       "Edit the account and enter it again.");
  g_clear_error (&error);

  /* An edit that keeps "the secret in the keyring" cannot; one that brings it can. */
  edit = tc_account_copy (stored);
  tc_account_set_region (edit, "ap-tokyo");
  g_assert_false (save (fixture->store, edit, NULL, NULL, &error));
  g_assert_error (error, TC_ACCOUNT_STORE_ERROR, TC_ACCOUNT_STORE_ERROR_SECRET_MISSING);
  g_clear_error (&error);
  g_assert_cmpstr (tc_account_get_region (stored), ==, "ap-guangzhou");

  {
    g_autoptr(TcCredentials) credentials = tc_credentials_new ("AKIDvanish", "keyBack", NULL);

    g_assert_true (save (fixture->store, edit, credentials, NULL, &error));
    g_assert_no_error (error);
  }
  assert_credentials (fixture->store, stored, "keyBack", NULL);

  /* Removing an account whose item is already gone works. */
  g_assert_true (secret_password_clear_sync (&test_schema, NULL, &error,
                                             "account-id", tc_account_get_id (stored),
                                             NULL));
  g_assert_true (remove_account (fixture->store, stored, &error));
  g_assert_no_error (error);
}

static void
test_restart (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(TcAccountStore) restarted = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first_id = NULL;
  TcAccount *first, *second;

  first = add_account (fixture, "first", "AKIDfirst", "keyFirst", "tokenFirst");
  tc_account_set_region (first, "will-not-be-saved");  /* the store's object, not saved */
  second = add_account (fixture, "second", "AKIDsecond", "keySecond", NULL);
  first_id = g_strdup (tc_account_get_id (first));

  /* A new store on the same file: the application, started again. */
  restarted = tc_account_store_new (fixture->path);
  g_assert_true (load (restarted, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (restarted)), ==, 2);

  first = tc_account_store_find_by_id (restarted, first_id);
  g_assert_nonnull (first);
  g_assert_cmpstr (tc_account_get_name (first), ==, "first");
  g_assert_cmpstr (tc_account_get_region (first), ==, "ap-guangzhou");
  assert_credentials (restarted, first, "keyFirst", "tokenFirst");

  second = tc_account_store_find_by_name (restarted, "second");
  g_assert_nonnull (second);
  assert_credentials (restarted, second, "keySecond", NULL);

  /* Loading again replaces the contents in one change. */
  g_assert_true (load (fixture->store, &error));
  assert_changes (fixture, 3, 0, 0, 1, 1, 0, 1, 0, 2, 2);

  g_assert_finalize_object (g_steal_pointer (&restarted));
}

static void
test_concurrent (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(TcAccountStore) reloaded = NULL;
  g_autoptr(GError) error = NULL;
  Result results[4] = { { 0 } };
  g_autoptr(TcAccount) a = tc_account_new ("one", "AKIDone");
  g_autoptr(TcAccount) b = tc_account_new ("two", "AKIDtwo");
  g_autoptr(TcAccount) c = tc_account_new ("three", "AKIDthree");
  g_autoptr(TcCredentials) credentials = tc_credentials_new ("AKID", "keyConcurrent", NULL);

  /* Four requests at once, none waiting for the other: each sees the one before it. */
  tc_account_store_save_async (fixture->store, a, credentials, NULL, save_cb, &results[0]);
  tc_account_store_save_async (fixture->store, b, credentials, NULL, save_cb, &results[1]);
  tc_account_store_save_async (fixture->store, c, credentials, NULL, save_cb, &results[2]);
  tc_account_store_remove_async (fixture->store, b, NULL, remove_cb, &results[3]);
  for (guint i = 0; i < G_N_ELEMENTS (results); i++) {
    test_wait_until (&results[i].done, 30);
    g_assert_no_error (results[i].error);
    g_assert_true (results[i].ok);
  }

  reloaded = tc_account_store_new (fixture->path);
  g_assert_true (load (reloaded, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reloaded)), ==, 2);
  g_assert_cmpstr (name_at (reloaded, 0), ==, "one");
  g_assert_cmpstr (name_at (reloaded, 1), ==, "three");
  g_assert_cmpuint (count_keyring_items (tc_account_get_id (b)), ==, 0);

  remove_account (fixture->store, tc_account_store_find_by_name (fixture->store, "one"), &error);
  remove_account (fixture->store, tc_account_store_find_by_name (fixture->store, "three"), &error);
  g_assert_no_error (error);
}

/* A stable and a development build (app IDs with and without .Devel) share one
 * accounts.json, each with a store of its own: each saves its own change on top of what the
 * other wrote, so nothing either saved is lost, and each list shows the other's accounts. */
typedef struct {
  TcAccountStore *store;
  const char     *name;
} NameShown;

static gboolean
name_shown (gpointer data)
{
  NameShown *shown = data;

  return tc_account_store_find_by_name (shown->store, shown->name) != NULL;
}

/* The other build holding the folder's lock for ever (stopped in a debugger, stuck on a
 * stalled disk) delays a save, but does not stop it: the editor cannot be closed while a
 * save runs. */
static void
test_lock_held (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  g_autoptr(TcAccountStore) reloaded = NULL;
  g_autoptr(GError) error = NULL;
  int held;

  g_assert_true (load (fixture->store, &error));
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  held = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  g_assert_cmpint (held, >=, 0);
  g_assert_cmpint (flock (held, LOCK_EX), ==, 0);

  add_account (fixture, "while-locked", "AKIDlocked", "keyLocked", NULL);

  reloaded = tc_account_store_new (fixture->path);
  g_assert_true (load (reloaded, &error));
  g_assert_nonnull (tc_account_store_find_by_name (reloaded, "while-locked"));
  close (held);
}

static void
test_two_builds (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(TcAccountStore) other = tc_account_store_new (fixture->path);
  g_autoptr(TcAccountStore) reloaded = NULL;
  g_autoptr(TcAccount) y = tc_account_new ("y", "AKIDtwoY");
  g_autoptr(TcCredentials) y_credentials = tc_credentials_new ("AKIDtwoY", "keyTwoY", NULL);
  g_autoptr(TcAccount) edit = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  NameShown renamed = { other, "x renamed" };
  TcAccount *x, *y_in_other;

  g_assert_true (load (fixture->store, &error));
  g_assert_true (load (other, &error));

  x = add_account (fixture, "x", "AKIDtwoX", "keyTwoX", NULL);
  g_assert_true (save (other, y, y_credentials, NULL, &error));
  g_assert_no_error (error);

  edit = tc_account_copy (x);
  tc_account_set_name (edit, "x renamed");
  g_assert_true (save (fixture->store, edit, NULL, NULL, &error));
  g_assert_no_error (error);

  /* The file has both, the rename included. */
  reloaded = tc_account_store_new (fixture->path);
  g_assert_true (load (reloaded, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reloaded)), ==, 2);
  g_assert_cmpstr (name_at (reloaded, 0), ==, "x renamed");
  g_assert_cmpstr (name_at (reloaded, 1), ==, "y");
  g_clear_object (&reloaded);

  /* The store that saved last shows the other's account at once; the other one follows
   * the file when it changes, without saving anything. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 2);
  g_assert_nonnull (tc_account_store_find_by_name (fixture->store, "y"));
  test_wait_for (name_shown, &renamed);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (other)), ==, 2);
  g_assert_null (tc_account_store_find_by_name (other, "x"));

  /* Both reach both secrets; none is in the file. */
  y_in_other = tc_account_store_find_by_name (other, "y");
  assert_credentials (other, tc_account_store_find_by_name (other, "x renamed"), "keyTwoX", NULL);
  assert_credentials (fixture->store, tc_account_store_find_by_name (fixture->store, "y"),
                      "keyTwoY", NULL);
  contents = read_file (fixture->path, NULL);
  g_assert_null (strstr (contents, "keyTwo"));
  g_clear_pointer (&contents, g_free);

  /* A removal in one is not undone by the other's next save. */
  g_assert_true (remove_account (other, y_in_other, &error));
  g_assert_no_error (error);
  tc_account_set_region (edit, "ap-hongkong");
  g_assert_true (save (fixture->store, edit, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 1);
  g_assert_cmpstr (name_at (fixture->store, 0), ==, "x renamed");
  reloaded = tc_account_store_new (fixture->path);
  g_assert_true (load (reloaded, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reloaded)), ==, 1);
  g_assert_cmpstr (tc_account_get_region (tc_account_store_find_by_name (reloaded, "x renamed")),
                   ==, "ap-hongkong");

  remove_account (fixture->store, tc_account_store_find_by_name (fixture->store, "x renamed"),
                  &error);
  g_assert_no_error (error);
  g_assert_finalize_object (g_steal_pointer (&reloaded));
  g_assert_finalize_object (g_steal_pointer (&other));
}

static void
test_cancelled (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(TcAccount) account = tc_account_new ("cancelled", "AKIDcancel");
  g_autoptr(TcCredentials) credentials = tc_credentials_new ("AKIDcancel", "keyCancel", NULL);
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (save (fixture->store, account, credentials, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (count_keyring_items (tc_account_get_id (account)), ==, 0);
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (fixture->changes->len, ==, 0);
}

static gboolean
contains (const char *haystack,
          gsize       len,
          const char *needle)
{
  gsize needle_len = strlen (needle);

  for (gsize i = 0; needle_len <= len && i <= len - needle_len; i++) {
    if (memcmp (haystack + i, needle, needle_len) == 0)
      return TRUE;
  }
  return FALSE;
}

/* Every file under the test's tree: HOME, the XDG folders, the bus and keyring logs. */
static void
find_in_files (const char *path,
               const char *needle,
               GPtrArray  *found,
               guint      *n_keyrings)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return;

  if (S_ISDIR (st.st_mode)) {
    g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL) {
      g_autofree char *child = g_build_filename (path, name, NULL);

      find_in_files (child, needle, found, n_keyrings);
    }
  } else if (S_ISREG (st.st_mode)) {
    g_autofree char *contents = NULL;
    gsize len = 0;

    if (g_str_has_suffix (path, ".keyring") && n_keyrings != NULL)
      (*n_keyrings)++;
    if (g_file_get_contents (path, &contents, &len, NULL) &&
        contains (contents, len, needle))
      g_ptr_array_add (found, g_strdup (path));
  }
}

static void
assert_nowhere_on_disk (const char *secret,
                        guint      *n_keyrings)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  const char *root = g_getenv ("IMPRINT_TEST_ROOT");

  g_assert_nonnull (root);
  find_in_files (root, secret, found, n_keyrings);
  /* XDG folders set outside the tree would be walked too. */
  find_in_files (g_get_home_dir (), secret, found, NULL);
  find_in_files (g_get_user_config_dir (), secret, found, NULL);
  find_in_files (g_get_user_data_dir (), secret, found, NULL);
  find_in_files (g_get_user_cache_dir (), secret, found, NULL);
  find_in_files (g_get_user_state_dir (), secret, found, NULL);

  for (guint i = 0; i < found->len; i++)
    g_test_message ("found a secret in %s", (char *) g_ptr_array_index (found, i));
  g_assert_cmpuint (found->len, ==, 0);
}

static void
test_secret_scan (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *secret_key = "SK-imprint-scan-7f3a9c2e41d8b605";
  const char *new_secret_key = "SK-imprint-scan-second-0b1e2d3c4f";
  const char *token = "TOK-imprint-scan-e5d4c3b2a1908f7e";
  g_autoptr(TcCredentials) credentials = NULL;
  g_autoptr(TcAccount) edit = NULL;
  g_autoptr(TcAccountStore) restarted = NULL;
  g_autoptr(GError) error = NULL;
  TcAccount *stored;
  guint n_keyrings = 0;

  /* The whole flow: add, edit, rename, restart and read back, add another. */
  stored = add_account (fixture, "scanned", "AKIDscan00000001", secret_key, token);
  edit = tc_account_copy (stored);
  tc_account_set_region (edit, "ap-singapore");
  credentials = tc_credentials_new ("AKIDscan00000001", new_secret_key, token);
  g_assert_true (save (fixture->store, edit, credentials, NULL, &error));
  tc_account_set_name (edit, "renamed");
  g_assert_true (save (fixture->store, edit, NULL, NULL, &error));
  g_assert_no_error (error);
  add_account (fixture, "second", "AKIDscan00000002", secret_key, NULL);

  restarted = tc_account_store_new (fixture->path);
  g_assert_true (load (restarted, &error));
  assert_credentials (restarted, tc_account_store_find_by_name (restarted, "renamed"),
                      new_secret_key, token);

  /* They are in the keyring... */
  assert_credentials (fixture->store, stored, new_secret_key, token);

  /* ...and nowhere on disk, not even in plain text inside the keyring's own file. */
  assert_nowhere_on_disk (secret_key, &n_keyrings);
  g_assert_cmpuint (n_keyrings, >=, 1);
  assert_nowhere_on_disk (new_secret_key, NULL);
  assert_nowhere_on_disk (token, NULL);

  /* The SecretId is not secret, and the scan does find what is there. */
  {
    g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);

    find_in_files (g_getenv ("IMPRINT_TEST_ROOT"), "AKIDscan00000001", found, NULL);
    g_assert_cmpuint (found->len, >=, 1);
  }

  g_assert_finalize_object (g_steal_pointer (&restarted));
}

/* Unlocks the login keyring again through gnome-keyring's own interface, on the bus
 * connection libsecret uses (the secret travels in a "plain" session, as a test may). */
static void
unlock_keyring (const char *collection_path)
{
  const char *password = g_getenv ("IMPRINT_TEST_KEYRING_PASSWORD");
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char *session = NULL;
  g_autoptr(GVariant) output = NULL;

  g_assert_nonnull (password);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
                                       "org.freedesktop.Secret.Service", "OpenSession",
                                       g_variant_new ("(sv)", "plain", g_variant_new_string ("")),
                                       G_VARIANT_TYPE ("(vo)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(v&o)", &output, &session);

  g_clear_pointer (&reply, g_variant_unref);
  reply = g_dbus_connection_call_sync (
    bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
    "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface", "UnlockWithMasterPassword",
    g_variant_new ("(o(o@ay@ays))", collection_path, session,
                   g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "", 0, 1),
                   g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, password, strlen (password), 1),
                   "text/plain"),
    NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
}

static void
test_locked (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(TcCredentials) found = NULL;
  g_autoptr(TcAccount) edit = NULL;
  g_autoptr(TcAccount) fresh = tc_account_new ("fresh", "AKIDfresh");
  g_autoptr(TcCredentials) credentials = tc_credentials_new ("AKIDlocked", "keyLockedNew", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *collection_path = NULL;
  GList *objects;
  TcAccount *stored;

  stored = add_account (fixture, "locked", "AKIDlocked", "keyLocked", NULL);
  before = read_file (fixture->path, NULL);

  /* Lock the default collection, as the screen lock or the user would. No prompter can
   * answer on the test bus, so every unlock request ends unanswered. */
  service = secret_service_get_sync (SECRET_SERVICE_LOAD_COLLECTIONS, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (collection);
  collection_path = g_strdup (g_dbus_proxy_get_object_path (G_DBUS_PROXY (collection)));
  objects = g_list_append (NULL, collection);
  secret_service_lock_sync (service, objects, NULL, NULL, &error);
  g_list_free (objects);
  g_assert_no_error (error);

  /* libsecret's lookup returns "nothing" here; the store must not call that missing. */
  found = lookup (fixture->store, stored, &error);
  g_assert_null (found);
  g_assert_error (error, TC_ACCOUNT_STORE_ERROR, TC_ACCOUNT_STORE_ERROR_LOCKED);
  g_assert_cmpstr (error->message, ==, LOCKED_MESSAGE);
  g_clear_error (&error);

  /* Storing fails with SECRET_ERROR_IS_LOCKED underneath; the file stays as it was. */
  edit = tc_account_copy (stored);
  tc_account_set_region (edit, "ap-mumbai");
  g_assert_false (save (fixture->store, edit, credentials, NULL, &error));
  g_assert_error (error, TC_ACCOUNT_STORE_ERROR, TC_ACCOUNT_STORE_ERROR_LOCKED);
  g_assert_cmpstr (error->message, ==, LOCKED_MESSAGE);
  g_test_message ("details: %s", tc_account_store_error_get_details (error));
  g_clear_error (&error);
  g_assert_false (save (fixture->store, fresh, credentials, NULL, &error));
  g_assert_error (error, TC_ACCOUNT_STORE_ERROR, TC_ACCOUNT_STORE_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_false (save (fixture->store, edit, NULL, NULL, &error));
  g_assert_error (error, TC_ACCOUNT_STORE_ERROR, TC_ACCOUNT_STORE_ERROR_LOCKED);
  g_clear_error (&error);

  /* libsecret's clear removes nothing and says nothing; the account is not removed. */
  g_assert_false (remove_account (fixture->store, stored, &error));
  g_assert_error (error, TC_ACCOUNT_STORE_ERROR, TC_ACCOUNT_STORE_ERROR_LOCKED);
  g_clear_error (&error);

  after = read_file (fixture->path, NULL);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpstr (tc_account_get_region (stored), ==, "ap-guangzhou");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 1);

  /* Unlocked again, everything is where it was. */
  unlock_keyring (collection_path);
  assert_credentials (fixture->store, stored, "keyLocked", NULL);
  g_assert_true (remove_account (fixture->store, stored, &error));
  g_assert_no_error (error);
}

/* The login keyring exists but was never unlocked in this session (the daemon started
 * without its password), and no prompter can unlock it. gnome-keyring then does not even
 * list the items in it: libsecret's lookup finds nothing, and only the collection's state
 * tells "locked" from "missing". */
static void
test_locked_at_start (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(TcAccount) account = tc_account_new ("default", "AKIDlockedstart");
  g_autoptr(TcCredentials) credentials = tc_credentials_new ("AKIDlockedstart", "keyLocked", NULL);
  g_autoptr(TcCredentials) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *after = NULL;
  TcAccount *stored;

  g_assert_false (save (fixture->store, account, credentials, NULL, &error));
  g_assert_error (error, TC_ACCOUNT_STORE_ERROR, TC_ACCOUNT_STORE_ERROR_LOCKED);
  g_assert_cmpstr (error->message, ==, LOCKED_MESSAGE);
  g_test_message ("details: %s", tc_account_store_error_get_details (error));
  g_clear_error (&error);
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));

  /* An account saved in an earlier session. */
  contents = g_strdup_printf ("{\"version\": 1, \"accounts\": [{\"id\": \"%s\", \"name\": "
                              "\"default\", \"secret_id\": \"AKIDlockedstart\"}]}",
                              tc_account_get_id (account));
  write_accounts_file (fixture, contents);
  g_assert_true (load (fixture->store, &error));
  stored = tc_account_store_find_by_id (fixture->store, tc_account_get_id (account));
  g_assert_nonnull (stored);

  found = lookup (fixture->store, stored, &error);
  g_assert_null (found);
  g_assert_error (error, TC_ACCOUNT_STORE_ERROR, TC_ACCOUNT_STORE_ERROR_LOCKED);
  g_assert_cmpstr (error->message, ==, LOCKED_MESSAGE);
  g_clear_error (&error);

  g_assert_false (remove_account (fixture->store, stored, &error));
  g_assert_error (error, TC_ACCOUNT_STORE_ERROR, TC_ACCOUNT_STORE_ERROR_LOCKED);
  g_clear_error (&error);

  after = read_file (fixture->path, NULL);
  g_assert_cmpstr (after, ==, contents);
}

/* gnome-keyring runs, but no keyring was ever created and no prompter can ask for the new
 * one's password: libsecret's store fails with G_DBUS_ERROR_UNKNOWN_METHOD ("Object does
 * not exist at path …/collection/login"). */
static void
test_no_default_keyring (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(TcAccount) account = tc_account_new ("default", "AKIDnodefault");
  g_autoptr(TcCredentials) credentials = tc_credentials_new ("AKIDnodefault", "keyNoDefault", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (save (fixture->store, account, credentials, NULL, &error));
  g_assert_error (error, TC_ACCOUNT_STORE_ERROR, TC_ACCOUNT_STORE_ERROR_KEYRING_FAILED);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message,
                                   "There is no keyring to save into yet. Create one (usually "
                                   "called “Login”) in Passwords and Keys, then try again. "
                                   "Details: "));
  g_assert_nonnull (tc_account_store_error_get_details (error));
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
}

static void
test_not_in_session (void)
{
  g_test_skip ("run through tests/keyring-session.sh, which gives the test its own keyring");
}

int
main (int   argc,
      char *argv[])
{
  const char *mode = g_getenv ("IMPRINT_TEST_KEYRING");
  int status;

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/imprint/accounts/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/imprint/accounts/account/new-destroy", test_account_new_destroy);

  if (g_strcmp0 (mode, "session") == 0) {
    g_test_add_func ("/imprint/accounts/store/new-destroy", test_store_new_destroy);
    ADD ("file/missing", test_missing_file);
    ADD ("file/corrupt", test_corrupt_file);
    ADD ("file/newer-version", test_newer_version);
    ADD ("file/loose-permissions", test_loose_permissions);
    ADD ("validate/invalid-fields", test_invalid_fields);
    ADD ("keyring/add", test_add);
    ADD ("keyring/list-order", test_list_order);
    ADD ("keyring/edit", test_edit);
    ADD ("keyring/keep-secret", test_keep_secret);
    ADD ("keyring/file-fails-after-keyring", test_file_fails_after_keyring);
    ADD ("keyring/rename", test_rename);
    ADD ("keyring/remove", test_remove);
    ADD ("keyring/name-taken", test_name_taken);
    ADD ("keyring/secret-missing", test_secret_missing);
    ADD ("keyring/restart", test_restart);
    ADD ("keyring/concurrent", test_concurrent);
    ADD ("keyring/cancelled", test_cancelled);
    ADD ("keyring/two-builds", test_two_builds);
    ADD ("keyring/lock-held", test_lock_held);
    ADD ("keyring/secret-scan", test_secret_scan);
    ADD ("keyring/locked", test_locked);
  } else if (g_strcmp0 (mode, "none") == 0 && g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS) &&
             g_strcmp0 (g_getenv ("SECRET_BACKEND"), "file") == 0) {
    ADD ("flatpak/damaged-keyring-file", test_flatpak_damaged_file);
  } else if (g_strcmp0 (mode, "none") == 0 && g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS)) {
    ADD ("flatpak/save-lookup-remove", test_flatpak);
  } else if (g_strcmp0 (mode, "none") == 0 && g_strcmp0 (g_getenv ("SECRET_BACKEND"), "file") == 0) {
    ADD ("file-keyring/save-lookup-remove", test_file_backend);
  } else if (g_strcmp0 (mode, "none") == 0) {
    g_test_add_func ("/imprint/accounts/no-keyring/store-new-destroy", test_store_new_destroy);
    ADD ("no-keyring/file-missing", test_missing_file);
    ADD ("no-keyring/file-corrupt", test_corrupt_file);
    ADD ("no-keyring/loose-permissions", test_loose_permissions);
    ADD ("no-keyring/invalid-fields", test_invalid_fields);
    ADD ("no-keyring/save-lookup-remove", test_no_keyring);
  } else if (g_strcmp0 (mode, "locked") == 0) {
    ADD ("locked-keyring/save-lookup-remove", test_locked_at_start);
  } else if (g_strcmp0 (mode, "empty") == 0) {
    ADD ("no-default-keyring/save", test_no_default_keyring);
  } else {
    g_test_add_func ("/imprint/accounts/keyring", test_not_in_session);
  }
#undef ADD

  status = g_test_run ();

  /* Let libsecret drop its connection to the service. */
  secret_service_disconnect ();
  return status;
}
