/* tc-account-keyring.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The keyring half of the account store: one libsecret item per account, keyed by the
 * account's id, holding a small JSON text with the SecretKey and token. Every libsecret
 * answer is turned into a TC_ACCOUNT_STORE_ERROR the UI can act on.
 *
 * libsecret 0.20 with gnome-keyring, as observed (see tests/test-accounts.c):
 *   - no Secret Service on the bus: G_DBUS_ERROR_SERVICE_UNKNOWN ("not provided by any
 *     .service files"); no session bus at all: G_IO_ERROR_FAILED ("Cannot autolaunch
 *     D-Bus without X11 $DISPLAY") or G_IO_ERROR_NOT_FOUND ("Could not connect");
 *   - store into a locked collection whose unlock prompt was declined or could not be
 *     shown: SECRET_ERROR_IS_LOCKED;
 *   - lookup of an item in a locked collection: NULL *without* an error, exactly like an
 *     item that does not exist, and clear: FALSE without an error. So when lookup finds
 *     nothing or clear removes nothing, the store asks the service whether a matching item
 *     or the default collection is locked before calling the secret missing;
 *   - no default collection and no prompter to create one: G_DBUS_ERROR_UNKNOWN_METHOD
 *     ("Object does not exist at path …/collection/login") from store.
 * In the Flatpak, libsecret keeps the items in the app's own file, whose key the desktop's
 * Secret portal hands over, and the Secret Service itself is out of reach; a lookup or
 * clear that found nothing there found no item. The portal's failures come as
 * G_IO_ERROR_FAILED ("user interaction failed"); without a portal libsecret uses the
 * Secret Service after all, and fails as when none is running.
 * A prompt dismissed by the user is not an error to libsecret; should a Secret Service
 * answer with G_IO_ERROR_CANCELLED although our cancellable was not cancelled, that too is
 * treated as a keyring left locked.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <string.h>

#include "tc-account-keyring.h"
#include "tc-account-store-private.h"
#include "tc-json.h"

static const SecretSchema account_schema = {
  "io.github.imprint.Imprint", SECRET_SCHEMA_NONE,
  {
    { "account-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

typedef enum {
  KEYRING_STORE,
  KEYRING_LOOKUP,
  KEYRING_CLEAR,
} KeyringAction;

static gboolean
is_no_keyring_error (const GError *error)
{
  if (error->domain == G_DBUS_ERROR) {
    switch (error->code) {
    case G_DBUS_ERROR_SERVICE_UNKNOWN:
    case G_DBUS_ERROR_NAME_HAS_NO_OWNER:
    case G_DBUS_ERROR_NO_SERVER:
    case G_DBUS_ERROR_DISCONNECTED:
    case G_DBUS_ERROR_SPAWN_EXEC_FAILED:
    case G_DBUS_ERROR_SPAWN_FORK_FAILED:
    case G_DBUS_ERROR_SPAWN_CHILD_EXITED:
    case G_DBUS_ERROR_SPAWN_CHILD_SIGNALED:
    case G_DBUS_ERROR_SPAWN_FAILED:
    case G_DBUS_ERROR_SPAWN_SETUP_FAILED:
    case G_DBUS_ERROR_SPAWN_CONFIG_INVALID:
    case G_DBUS_ERROR_SPAWN_SERVICE_INVALID:
    case G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND:
    case G_DBUS_ERROR_SPAWN_PERMISSIONS_INVALID:
    case G_DBUS_ERROR_SPAWN_FILE_INVALID:
    case G_DBUS_ERROR_SPAWN_NO_MEMORY:
      return TRUE;
    default:
      return FALSE;
    }
  }

  /* libsecret's own calls fail in G_DBUS_ERROR or SECRET_ERROR; a G_IO_ERROR comes from
   * connecting to the session bus (no bus, or none that can be started). */
  if (error->domain == G_IO_ERROR) {
    switch (error->code) {
    case G_IO_ERROR_FAILED:
    case G_IO_ERROR_NOT_FOUND:
    case G_IO_ERROR_CONNECTION_REFUSED:
    case G_IO_ERROR_CLOSED:
    case G_IO_ERROR_BROKEN_PIPE:
    case G_IO_ERROR_NOT_CONNECTED:
    case G_IO_ERROR_PERMISSION_DENIED:
    case G_IO_ERROR_INVALID_ARGUMENT:
      return TRUE;
    default:
      return FALSE;
    }
  }

  return FALSE;
}

/* Inside the Flatpak, libsecret reaches the keyring through the desktop's Secret portal. */
static gboolean
in_flatpak (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}

static GError *
locked_error_new (const char *details)
{
  /* In the sandbox the portal asks the system to unlock the keyring; Passwords and Keys
   * never shows the app's own items. */
  if (in_flatpak ())
    return tc_account_store_error_new (TC_ACCOUNT_STORE_ERROR_LOCKED, NULL, details,
                                       _("The keyring is locked. Try again, and unlock it "
                                         "when the system asks for your password."));
  return tc_account_store_error_new (TC_ACCOUNT_STORE_ERROR_LOCKED, NULL, details,
                                     _("The keyring is locked. Unlock it when asked, or in "
                                       "Passwords and Keys, then try again."));
}

/* The file libsecret keeps the sandbox's items in (under ~/.var/app/<id>/data), which
 * Passwords and Keys does not show: when it cannot be read (damaged, or locked with a key
 * the portal no longer hands over), removing it is what the user can do. */
static char *
flatpak_failed_summary (KeyringAction  action,
                        const char    *account_name)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "keyrings",
                                            "default.keyring", NULL);

  switch (action) {
  case KEYRING_STORE:
    /* Translators: an account's name, then the path of a file. */
    return g_strdup_printf (_("The keyring could not save the SecretKey of “%s”. Try again; "
                              "if it keeps failing, Imprint’s own keyring file (%s) may be "
                              "damaged: remove it, then enter the SecretKeys of your accounts "
                              "again."), account_name, path);
  case KEYRING_LOOKUP:
    /* Translators: an account's name, then the path of a file. */
    return g_strdup_printf (_("The keyring could not read the SecretKey of “%s”. Try again; "
                              "if it keeps failing, Imprint’s own keyring file (%s) may be "
                              "damaged: remove it, then enter the SecretKeys of your accounts "
                              "again."), account_name, path);
  case KEYRING_CLEAR:
  default:
    /* Translators: an account's name, then the path of a file. */
    return g_strdup_printf (_("The keyring could not remove the SecretKey of “%s”. Try "
                              "again; if it keeps failing, Imprint’s own keyring file (%s) may "
                              "be damaged: remove it, then enter the SecretKeys of your "
                              "accounts again."), account_name, path);
  }
}

static GError *
secret_missing_error_new (const char *account_name)
{
  g_autofree char *summary =
    g_strdup_printf (_("The keyring no longer holds the SecretKey of “%s”. Edit the account "
                       "and enter it again."), account_name);

  return tc_account_store_error_new (TC_ACCOUNT_STORE_ERROR_SECRET_MISSING, NULL, NULL, summary);
}

/* Turns a libsecret error (transfer full) into one the UI can act on. Cancellation by our
 * own cancellable stays G_IO_ERROR_CANCELLED. */
static GError *
keyring_error (GError        *error,
               KeyringAction  action,
               const char    *account_name,
               GCancellable  *cancellable)
{
  g_autoptr(GError) original = error;
  g_autofree char *summary = NULL;

  if (g_error_matches (original, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    if (g_cancellable_is_cancelled (cancellable))
      return g_steal_pointer (&original);
    return locked_error_new (NULL);
  }

  if (g_dbus_error_is_remote_error (original))
    g_dbus_error_strip_remote_error (original);

  if (in_flatpak ()) {
    /* What the portal answers when it could not hand over the key, for instance because
     * the keyring it keeps the key in is missing or stayed locked. */
    if (g_error_matches (original, G_IO_ERROR, G_IO_ERROR_FAILED))
      return tc_account_store_error_new (TC_ACCOUNT_STORE_ERROR_KEYRING_FAILED, NULL,
                                         original->message,
                                         _("The desktop’s Secret portal could not open the "
                                           "keyring for Imprint. Make sure the keyring is set "
                                           "up and unlocked, then try again."));
    /* Without the portal, libsecret turns to the Secret Service, which the sandbox does
     * not let the app reach. */
    if (is_no_keyring_error (original))
      return tc_account_store_error_new (TC_ACCOUNT_STORE_ERROR_NO_KEYRING, NULL,
                                         original->message,
                                         _("Imprint reaches the keyring through the desktop’s "
                                           "Secret portal, which is not available. Install "
                                           "xdg-desktop-portal and a keyring that provides the "
                                           "portal, such as GNOME Keyring or KWallet, then try "
                                           "again; the demo works without one."));
  }

  if (is_no_keyring_error (original))
    return tc_account_store_error_new (TC_ACCOUNT_STORE_ERROR_NO_KEYRING, NULL,
                                       original->message,
                                       _("No keyring is running. Install and start GNOME "
                                         "Keyring (or another Secret Service) and try again; "
                                         "the demo works without one."));

  if (g_error_matches (original, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    return locked_error_new (original->message);

  /* In the sandbox the items are in a file only the app sees: a damaged one is the user's
   * to remove; other failures (a full disk, a read-only home) only say what failed, as
   * removing the file would lose every SecretKey for nothing. */
  if (in_flatpak ()) {
    if (g_error_matches (original, SECRET_ERROR, SECRET_ERROR_INVALID_FILE_FORMAT))
      summary = flatpak_failed_summary (action, account_name);
    else if (action == KEYRING_STORE)
      summary = g_strdup_printf (_("The keyring could not save the SecretKey of “%s”. "
                                   "Try again."), account_name);
    else if (action == KEYRING_LOOKUP)
      summary = g_strdup_printf (_("The keyring could not read the SecretKey of “%s”. "
                                   "Try again."), account_name);
    else
      summary = g_strdup_printf (_("The keyring could not remove the SecretKey of “%s”. "
                                   "Try again."), account_name);
    return tc_account_store_error_new (TC_ACCOUNT_STORE_ERROR_KEYRING_FAILED, NULL,
                                       original->message, summary);
  }

  /* No default collection: gnome-keyring wanted to ask for a new keyring's password and
   * could not. */
  if (action == KEYRING_STORE &&
      (g_error_matches (original, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD) ||
       g_error_matches (original, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT) ||
       g_error_matches (original, SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT)))
    return tc_account_store_error_new (TC_ACCOUNT_STORE_ERROR_KEYRING_FAILED, NULL,
                                       original->message,
                                       _("There is no keyring to save into yet. Create one "
                                         "(usually called “Login”) in Passwords and Keys, then "
                                         "try again."));

  switch (action) {
  case KEYRING_STORE:
    summary = g_strdup_printf (_("The keyring could not save the SecretKey of “%s”. Try "
                                 "again; if it keeps failing, check the keyring in "
                                 "Passwords and Keys."), account_name);
    break;
  case KEYRING_LOOKUP:
    summary = g_strdup_printf (_("The keyring could not read the SecretKey of “%s”. Try "
                                 "again; if it keeps failing, check the keyring in "
                                 "Passwords and Keys."), account_name);
    break;
  case KEYRING_CLEAR:
  default:
    summary = g_strdup_printf (_("The keyring could not remove the SecretKey of “%s”. Try "
                                 "again; if it keeps failing, check the keyring in "
                                 "Passwords and Keys."), account_name);
    break;
  }

  return tc_account_store_error_new (TC_ACCOUNT_STORE_ERROR_KEYRING_FAILED, NULL, original->message,
                                     summary);
}

/* Secrets in memory */

static void
wipe_string (char *str)
{
  if (str != NULL)
    memset (str, 0, strlen (str));
}

static void
wipe_gstring (GString *str)
{
  memset (str->str, 0, str->allocated_len);
  g_string_free (str, TRUE);
}

static void
append_json_string (GString    *out,
                    const char *value)
{
  g_string_append_c (out, '"');
  for (const char *p = value; *p != '\0'; p++) {
    guchar c = (guchar) *p;

    if (c == '"' || c == '\\') {
      g_string_append_c (out, '\\');
      g_string_append_c (out, (char) c);
    } else if (c < 0x20) {
      g_string_append_printf (out, "\\u%04x", c);
    } else {
      g_string_append_c (out, (char) c);
    }
  }
  g_string_append_c (out, '"');
}

/* The keyring item's text: {"secret_key": "…", "token": "…"}. Built by hand in a buffer
 * sized up front, so no copy of the secret is left behind by a reallocation; wipe it with
 * wipe_gstring(). */
static GString *
secret_text_new (TcCredentials *credentials)
{
  const char *key = tc_credentials_get_secret_key (credentials);
  const char *token = tc_credentials_get_token (credentials);
  gsize size = 64 + 6 * strlen (key) + (token ? 6 * strlen (token) : 0);
  GString *text = g_string_sized_new (size);

  g_string_append (text, "{\"secret_key\": ");
  append_json_string (text, key);
  if (token != NULL && *token != '\0') {
    g_string_append (text, ", \"token\": ");
    append_json_string (text, token);
  }
  g_string_append (text, "}");
  g_assert (text->allocated_len >= size);
  return text;
}

static void
wipe_member (JsonObject *object,
             const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    wipe_string ((char *) json_node_get_string (node));
}

/* Reads the keyring item's text; NULL when it is not what secret_text_new() writes. The
 * parser's own copies of the strings are wiped before they are freed (its scanner's
 * temporary buffers cannot be reached). */
static TcCredentials *
credentials_from_secret_text (const char *secret_id,
                              const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  TcCredentials *credentials = NULL;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;

  root = json_parser_get_root (parser);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root)) {
    JsonObject *object = json_node_get_object (root);
    const char *key = tc_json_get_string (object, "secret_key");
    const char *token = tc_json_get_string (object, "token");

    if (key != NULL && *key != '\0')
      credentials = tc_credentials_new (secret_id, key, token);

    wipe_member (object, "secret_key");
    wipe_member (object, "token");
  }

  return credentials;
}




/* Whether a keyring item is really gone, or hidden in a locked collection */

typedef enum {
  PROBE_ABSENT,
  PROBE_PRESENT,
  PROBE_LOCKED,
} ProbeResult;

typedef struct {
  SecretService *service;
  char          *id;
} ProbeData;

static void
probe_data_free (ProbeData *data)
{
  g_clear_object (&data->service);
  g_free (data->id);
  g_free (data);
}

/* Takes @error. */
static void
probe_return_error (GTask  *task,
                    GError *error)
{
  /* The libsecret call before the probe worked without the Secret Service: libsecret
   * keeps the items in a file of the app's own, as in the Flatpak, where none is ever
   * locked. */
  if (is_no_keyring_error (error)) {
    g_error_free (error);
    g_task_return_int (task, PROBE_ABSENT);
  } else {
    g_task_return_error (task, error);
  }
}

static void
probe_alias_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GError) error = NULL;

  collection = secret_collection_for_alias_finish (result, &error);
  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }

  /* With the collection locked, gnome-keyring does not even list its items. */
  if (collection != NULL && secret_collection_get_locked (collection))
    g_task_return_int (task, PROBE_LOCKED);
  else
    g_task_return_int (task, PROBE_ABSENT);
}

static void
probe_search_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ProbeData *data = g_task_get_task_data (task);
  GList *items;
  GError *error = NULL;
  gboolean locked = FALSE;
  gboolean found;

  items = secret_service_search_finish (data->service, result, &error);
  if (error != NULL) {
    probe_return_error (task, error);
    return;
  }

  found = items != NULL;
  for (GList *l = items; l != NULL; l = l->next)
    locked |= secret_item_get_locked (l->data);
  g_list_free_full (items, g_object_unref);

  if (locked) {
    g_task_return_int (task, PROBE_LOCKED);
    return;
  }
  if (found) {
    g_task_return_int (task, PROBE_PRESENT);
    return;
  }

  secret_collection_for_alias (data->service, SECRET_COLLECTION_DEFAULT,
                               SECRET_COLLECTION_NONE, g_task_get_cancellable (task),
                               probe_alias_cb, g_object_ref (task));
}

static void
probe_service_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ProbeData *data = g_task_get_task_data (task);
  g_autoptr(GHashTable) attributes = NULL;
  GError *error = NULL;

  data->service = secret_service_get_finish (result, &error);
  if (data->service == NULL) {
    probe_return_error (task, error);
    return;
  }

  attributes = secret_attributes_build (&account_schema, "account-id", data->id, NULL);
  secret_service_search (data->service, &account_schema, attributes, SECRET_SEARCH_ALL,
                         g_task_get_cancellable (task), probe_search_cb, g_object_ref (task));
}

static void
probe_async (const char          *id,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  ProbeData *data = g_new0 (ProbeData, 1);

  data->id = g_strdup (id);
  g_task_set_source_tag (task, probe_async);
  g_task_set_task_data (task, data, (GDestroyNotify) probe_data_free);
  secret_service_get (SECRET_SERVICE_NONE, cancellable, probe_service_cb, g_object_ref (task));
}

static ProbeResult
probe_finish (GAsyncResult  *result,
              GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize value = g_task_propagate_int (G_TASK (result), &local_error);

  if (local_error != NULL) {
    g_propagate_error (error, g_steal_pointer (&local_error));
    return PROBE_ABSENT;
  }
  return (ProbeResult) value;
}


/* Store */

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const char *name = g_task_get_task_data (task);
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, keyring_error (error, KEYRING_STORE, name,
                                              g_task_get_cancellable (task)));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * tc_account_keyring_store_async:
 *
 * Stores the SecretKey and token of @credentials as @account's item. Storing an item with
 * the same attributes replaces it, so an account keeps one item, whose label follows its
 * name. libsecret copies the secret at once, and the copy made here is wiped.
 */
void
tc_account_keyring_store_async (TcAccount           *account,
                                TcCredentials       *credentials,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autofree char *label = NULL;
  GString *secret;

  g_task_set_source_tag (task, tc_account_keyring_store_async);
  g_task_set_task_data (task, g_strdup (tc_account_get_name (account)), g_free);

  /* TRANSLATORS: the label of the keyring item, shown in Passwords and Keys; %s is the
   * account's name. */
  label = g_strdup_printf (_("Imprint: %s (Tencent Cloud)"), tc_account_get_name (account));
  secret = secret_text_new (credentials);
  secret_password_store (&account_schema, SECRET_COLLECTION_DEFAULT, label, secret->str,
                         cancellable, stored_cb, g_object_ref (task),
                         "account-id", tc_account_get_id (account),
                         NULL);
  wipe_gstring (secret);
}

gboolean
tc_account_keyring_store_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_account_keyring_store_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Clear */

typedef struct {
  char *id;
  char *name;
} ItemData;

static void
item_data_free (ItemData *data)
{
  g_free (data->id);
  g_free (data->name);
  g_free (data);
}

static ItemData *
item_data_new (GTask     *task,
               TcAccount *account)
{
  ItemData *data = g_new0 (ItemData, 1);

  data->id = g_strdup (tc_account_get_id (account));
  data->name = g_strdup (tc_account_get_name (account));
  g_task_set_task_data (task, data, (GDestroyNotify) item_data_free);
  return data;
}

static void
clear_probed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ItemData *data = g_task_get_task_data (task);
  GError *error = NULL;
  ProbeResult probe = probe_finish (result, &error);

  if (error != NULL) {
    g_task_return_error (task, keyring_error (error, KEYRING_CLEAR, data->name,
                                              g_task_get_cancellable (task)));
    return;
  }

  switch (probe) {
  case PROBE_LOCKED:
    g_task_return_error (task, locked_error_new (NULL));
    break;
  case PROBE_PRESENT:
    g_task_return_error (task, keyring_error (g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS,
                                                                   "the item is still there"),
                                              KEYRING_CLEAR, data->name,
                                              g_task_get_cancellable (task)));
    break;
  case PROBE_ABSENT:
  default:
    /* There was no item to remove: nothing secret is left behind. */
    g_task_return_boolean (task, TRUE);
    break;
  }
}

static void
cleared_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ItemData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (secret_password_clear_finish (result, &error)) {
    g_task_return_boolean (task, TRUE);
    return;
  }
  if (error != NULL) {
    g_task_return_error (task, keyring_error (error, KEYRING_CLEAR, data->name,
                                              g_task_get_cancellable (task)));
    return;
  }

  /* Nothing was removed: gone already, or out of reach in a locked collection. */
  probe_async (data->id, g_task_get_cancellable (task), clear_probed_cb, g_object_ref (task));
}

/**
 * tc_account_keyring_clear_async:
 *
 * Removes @account's item. An item that was not there is success; one that stays out of
 * reach in a locked keyring is %TC_ACCOUNT_STORE_ERROR_LOCKED.
 */
void
tc_account_keyring_clear_async (TcAccount           *account,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  ItemData *data;

  g_task_set_source_tag (task, tc_account_keyring_clear_async);
  data = item_data_new (task, account);
  secret_password_clear (&account_schema, cancellable, cleared_cb, g_object_ref (task),
                         "account-id", data->id,
                         NULL);
}

gboolean
tc_account_keyring_clear_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_account_keyring_clear_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Lookup */

typedef struct {
  char *id;
  char *name;
  char *secret_id;
} LookupData;

static void
lookup_data_free (LookupData *data)
{
  g_free (data->id);
  g_free (data->name);
  g_free (data->secret_id);
  g_free (data);
}

static void
lookup_probed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LookupData *data = g_task_get_task_data (task);
  GError *error = NULL;
  ProbeResult probe = probe_finish (result, &error);

  if (error != NULL) {
    g_task_return_error (task, keyring_error (error, KEYRING_LOOKUP, data->name,
                                              g_task_get_cancellable (task)));
    return;
  }

  /* An item that is there but was not handed over is one whose unlock was declined. */
  if (probe == PROBE_LOCKED || probe == PROBE_PRESENT)
    g_task_return_error (task, locked_error_new (NULL));
  else
    g_task_return_error (task, secret_missing_error_new (data->name));
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LookupData *data = g_task_get_task_data (task);
  TcCredentials *credentials;
  GError *error = NULL;
  char *password;

  password = secret_password_lookup_finish (result, &error);
  if (error != NULL) {
    g_task_return_error (task, keyring_error (error, KEYRING_LOOKUP, data->name,
                                              g_task_get_cancellable (task)));
    return;
  }

  if (password == NULL) {
    /* libsecret says the same "nothing" for a missing item and a locked one. */
    probe_async (data->id, g_task_get_cancellable (task), lookup_probed_cb, g_object_ref (task));
    return;
  }

  credentials = credentials_from_secret_text (data->secret_id, password);
  secret_password_free (password);

  if (credentials == NULL)
    g_task_return_error (task, secret_missing_error_new (data->name));
  else
    g_task_return_pointer (task, credentials, (GDestroyNotify) tc_credentials_unref);
}

/**
 * tc_account_keyring_lookup_async:
 *
 * Reads the SecretKey and token of @account. Fails with
 * %TC_ACCOUNT_STORE_ERROR_SECRET_MISSING when the item is gone, and with
 * %TC_ACCOUNT_STORE_ERROR_LOCKED when it is out of reach in a locked keyring.
 */
void
tc_account_keyring_lookup_async (TcAccount           *account,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  LookupData *data = g_new0 (LookupData, 1);

  g_task_set_source_tag (task, tc_account_keyring_lookup_async);
  data->id = g_strdup (tc_account_get_id (account));
  data->name = g_strdup (tc_account_get_name (account));
  data->secret_id = g_strdup (tc_account_get_secret_id (account));
  g_task_set_task_data (task, data, (GDestroyNotify) lookup_data_free);

  secret_password_lookup (&account_schema, cancellable, lookup_cb, g_object_ref (task),
                          "account-id", data->id,
                          NULL);
}

/**
 * tc_account_keyring_lookup_finish:
 *
 * Returns: (transfer full) (nullable): @account's SecretId with its SecretKey and token
 */
TcCredentials *
tc_account_keyring_lookup_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_account_keyring_lookup_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
