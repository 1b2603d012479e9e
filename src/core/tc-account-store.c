/* tc-account-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two places hold an account. accounts.json keeps what is not secret; the keyring keeps one
 * item per account, keyed by the account's id and holding a small JSON text with the
 * SecretKey and token. Saving stores the keyring item first and then rewrites the file, so
 * a keyring that refuses leaves everything as it was. When the file write fails after the
 * keyring accepted, the error is reported and the new keyring item stays behind: it is
 * keyed by the account's id, holds nothing the user did not just ask to keep, and the next
 * save of that account overwrites it.
 *
 * Operations that write the file (and the load they need first) run one at a time, in the
 * order they were asked for, so a slow write can never overtake a later one.
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
 * A prompt dismissed by the user is not an error to libsecret; should a Secret Service
 * answer with G_IO_ERROR_CANCELLED although our cancellable was not cancelled, that too is
 * treated as a keyring left locked.
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <string.h>
#include <sys/stat.h>

#include "tc-account-store.h"
#include "tc-account-store-private.h"
#include "tc-json.h"

/* The format of accounts.json:
 *
 *   {"version": 1,
 *    "accounts": [{"id", "name", "secret_id", "region", "protocol": "api3"|"legacy",
 *                  "endpoint", "legacy_cvm_endpoint", "legacy_image_endpoint"}]}
 *
 * To change it, raise ACCOUNTS_FILE_VERSION and teach tc_account_store_parse_file() to read every older
 * version into the current in-memory form (for example, "if (version < 2) rename the old
 * member"); the next save then writes the new format. A file with a version higher than
 * this build knows is refused and left untouched, so an older Imprint never loses what a
 * newer one wrote. */
#define ACCOUNTS_FILE_VERSION 1

/* accounts.json is a few hundred bytes per account; anything bigger is not ours. */
#define ACCOUNTS_FILE_MAX_SIZE (4 * 1024 * 1024)

static const SecretSchema account_schema = {
  "io.github.imprint.Imprint", SECRET_SCHEMA_NONE,
  {
    { "account-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

/* Errors */

typedef struct {
  char *details;
  char *field;
} TcAccountStoreErrorPrivate;

static void
tc_account_store_error_private_init (TcAccountStoreErrorPrivate *priv)
{
}

static void
tc_account_store_error_private_copy (const TcAccountStoreErrorPrivate *src,
                                     TcAccountStoreErrorPrivate       *dest)
{
  dest->details = g_strdup (src->details);
  dest->field = g_strdup (src->field);
}

static void
tc_account_store_error_private_clear (TcAccountStoreErrorPrivate *priv)
{
  g_clear_pointer (&priv->details, g_free);
  g_clear_pointer (&priv->field, g_free);
}

G_DEFINE_EXTENDED_ERROR (TcAccountStoreError, tc_account_store_error)

/**
 * tc_account_store_error_get_details:
 *
 * Returns: (transfer none) (nullable): the underlying keyring or system message of a
 *   %TC_ACCOUNT_STORE_ERROR (for KEYRING_FAILED and FILE also appended to its message);
 *   %NULL when there is none
 */
const char *
tc_account_store_error_get_details (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != TC_ACCOUNT_STORE_ERROR)
    return NULL;
  return tc_account_store_error_get_private (error)->details;
}

/**
 * tc_account_store_error_get_field:
 *
 * Returns: (transfer none) (nullable): the property name of the field an INVALID or
 *   NAME_TAKEN error is about
 */
const char *
tc_account_store_error_get_field (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != TC_ACCOUNT_STORE_ERROR)
    return NULL;
  return tc_account_store_error_get_private (error)->field;
}

/* @summary says what happened and what to do; @details (nullable) is kept apart for a
 * "Details" section and, where it helps (a keyring failure without a known cause, a file
 * problem), appended to the message. Neither ever holds a secret. */
static GError *
store_error_new (TcAccountStoreError  code,
                 const char          *field,
                 const char          *details,
                 const char          *summary)
{
  GError *error;
  TcAccountStoreErrorPrivate *priv;
  gboolean append = code == TC_ACCOUNT_STORE_ERROR_KEYRING_FAILED ||
                    code == TC_ACCOUNT_STORE_ERROR_FILE;
  /* Details come from elsewhere: json-glib's parse errors quote the damaged file, half a
   * character included (found by tests/fuzz/fuzz-accounts). They are shown: repaired. */
  g_autofree char *valid_details = details ? g_utf8_make_valid (details, -1) : NULL;

  details = valid_details;
  if (append && details != NULL && *details != '\0') {
    /* TRANSLATORS: the first %s is a complete sentence saying what went wrong; the
     * second is a technical message from the keyring or the system. */
    g_autofree char *message = g_strdup_printf (_("%s Details: %s"), summary, details);

    error = g_error_new_literal (TC_ACCOUNT_STORE_ERROR, code, message);
  } else {
    error = g_error_new_literal (TC_ACCOUNT_STORE_ERROR, code, summary);
  }

  priv = tc_account_store_error_get_private (error);
  priv->field = g_strdup (field);
  priv->details = details && *details ? g_strdup (details) : NULL;
  return error;
}

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

static GError *
locked_error_new (const char *details)
{
  return store_error_new (TC_ACCOUNT_STORE_ERROR_LOCKED, NULL, details,
                          _("The keyring is locked. Unlock it when asked, or in Passwords "
                            "and Keys, then try again."));
}

static GError *
secret_missing_error_new (const char *account_name)
{
  g_autofree char *summary =
    g_strdup_printf (_("The keyring no longer holds the SecretKey of “%s”. Edit the account "
                       "and enter it again."), account_name);

  return store_error_new (TC_ACCOUNT_STORE_ERROR_SECRET_MISSING, NULL, NULL, summary);
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

  if (is_no_keyring_error (original))
    return store_error_new (TC_ACCOUNT_STORE_ERROR_NO_KEYRING, NULL, original->message,
                            _("No keyring is running. Install and start GNOME Keyring (or "
                              "another Secret Service) and try again; the demo works "
                              "without one."));

  if (g_error_matches (original, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    return locked_error_new (original->message);

  /* No default collection: gnome-keyring wanted to ask for a new keyring's password and
   * could not. */
  if (action == KEYRING_STORE &&
      (g_error_matches (original, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD) ||
       g_error_matches (original, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT) ||
       g_error_matches (original, SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT)))
    return store_error_new (TC_ACCOUNT_STORE_ERROR_KEYRING_FAILED, NULL, original->message,
                            _("There is no keyring to save into yet. Create one (usually "
                              "called “Login”) in Passwords and Keys, then try again."));

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

  return store_error_new (TC_ACCOUNT_STORE_ERROR_KEYRING_FAILED, NULL, original->message,
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

/* Names */

/* Names are compared the way a person reads them: "Work", "work" and " work " are one. */
static char *
name_key (const char *name)
{
  g_autofree char *stripped = g_strstrip (g_strdup (name ? name : ""));
  g_autofree char *normalized = g_utf8_normalize (stripped, -1, G_NORMALIZE_ALL_COMPOSE);

  return g_utf8_casefold (normalized ? normalized : stripped, -1);
}

static gboolean
has_whitespace (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char_validated (p, -1);

    if (c == (gunichar) -1 || c == (gunichar) -2)
      return TRUE;
    if (g_unichar_isspace (c) || c == 0x200B || c == 0xFEFF)
      return TRUE;
  }
  return FALSE;
}

/* TcAccountStore */

struct _TcAccountStore
{
  GObject    parent_instance;
  char      *path;
  GPtrArray  *accounts;  /* TcAccount, sorted by name: the objects handed out */
  GHashTable *saved;     /* id → TcAccount: private copies, as last read or written */
  gboolean    loaded;    /* the file has been read (or found missing) */
  GQueue      pending;   /* GTask: file operations waiting for their turn */
  GTask      *current;   /* the file operation under way */
};

static void tc_account_store_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TcAccountStore, tc_account_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      tc_account_store_list_model_init))

static GType
tc_account_store_get_item_type (GListModel *model)
{
  return TC_TYPE_ACCOUNT;
}

static guint
tc_account_store_get_n_items (GListModel *model)
{
  return TC_ACCOUNT_STORE (model)->accounts->len;
}

static gpointer
tc_account_store_get_item (GListModel *model,
                           guint       position)
{
  TcAccountStore *self = TC_ACCOUNT_STORE (model);

  if (position >= self->accounts->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->accounts, position));
}

static void
tc_account_store_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = tc_account_store_get_item_type;
  iface->get_n_items = tc_account_store_get_n_items;
  iface->get_item = tc_account_store_get_item;
}

static void
tc_account_store_finalize (GObject *object)
{
  TcAccountStore *self = TC_ACCOUNT_STORE (object);

  /* Every queued operation holds a reference on the store. */
  g_assert (self->current == NULL);
  g_assert (g_queue_is_empty (&self->pending));

  g_free (self->path);
  g_ptr_array_unref (self->accounts);
  g_hash_table_unref (self->saved);

  G_OBJECT_CLASS (tc_account_store_parent_class)->finalize (object);
}

static void
tc_account_store_class_init (TcAccountStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tc_account_store_finalize;
}

static void
tc_account_store_init (TcAccountStore *self)
{
  self->accounts = g_ptr_array_new_with_free_func (g_object_unref);
  self->saved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_queue_init (&self->pending);
}

/**
 * tc_account_store_new:
 * @path: (nullable): the accounts file, or %NULL for
 *   `$XDG_CONFIG_HOME/imprint/accounts.json`
 *
 * Returns: (transfer full): an empty store; call tc_account_store_load_async() to read it
 */
TcAccountStore *
tc_account_store_new (const char *path)
{
  TcAccountStore *self = g_object_new (TC_TYPE_ACCOUNT_STORE, NULL);

  if (path != NULL)
    self->path = g_strdup (path);
  else
    self->path = g_build_filename (g_get_user_config_dir (), "imprint", "accounts.json", NULL);
  return self;
}

/**
 * tc_account_store_get_path:
 *
 * Returns: (transfer none): the accounts file this store reads and writes
 */
const char *
tc_account_store_get_path (TcAccountStore *self)
{
  g_return_val_if_fail (TC_IS_ACCOUNT_STORE (self), NULL);

  return self->path;
}

static int
compare_accounts (TcAccount *a,
                  TcAccount *b)
{
  int cmp = g_utf8_collate (tc_account_get_name (a), tc_account_get_name (b));

  if (cmp != 0)
    return cmp;
  return g_strcmp0 (tc_account_get_id (a), tc_account_get_id (b));
}

static int
compare_accounts_cb (gconstpointer a,
                     gconstpointer b)
{
  return compare_accounts (*(TcAccount **) a, *(TcAccount **) b);
}

static guint
sorted_position (TcAccountStore *self,
                 TcAccount      *account)
{
  guint i;

  for (i = 0; i < self->accounts->len; i++) {
    if (compare_accounts (account, g_ptr_array_index (self->accounts, i)) < 0)
      break;
  }
  return i;
}

static gboolean
find_position (TcAccountStore *self,
               const char     *id,
               guint          *position)
{
  for (guint i = 0; i < self->accounts->len; i++) {
    if (g_strcmp0 (tc_account_get_id (g_ptr_array_index (self->accounts, i)), id) == 0) {
      *position = i;
      return TRUE;
    }
  }
  return FALSE;
}

/**
 * tc_account_store_find_by_id:
 *
 * Returns: (transfer none) (nullable): the stored account with this id
 */
TcAccount *
tc_account_store_find_by_id (TcAccountStore *self,
                             const char     *id)
{
  guint position;

  g_return_val_if_fail (TC_IS_ACCOUNT_STORE (self), NULL);

  if (id == NULL || !find_position (self, id, &position))
    return NULL;
  return g_ptr_array_index (self->accounts, position);
}

/* The settings of @account as last saved: changes made to a stored object without saving
 * it are neither written to the file by the next save of another account nor counted. */
static TcAccount *
saved_settings (TcAccountStore *self,
                TcAccount      *account)
{
  TcAccount *saved = g_hash_table_lookup (self->saved, tc_account_get_id (account));

  return saved != NULL ? saved : account;
}

static TcAccount *
find_by_name_except (TcAccountStore *self,
                     const char     *name,
                     const char     *except_id)
{
  g_autofree char *key = name_key (name);

  for (guint i = 0; i < self->accounts->len; i++) {
    TcAccount *account = g_ptr_array_index (self->accounts, i);
    g_autofree char *other = NULL;

    if (except_id != NULL && g_strcmp0 (tc_account_get_id (account), except_id) == 0)
      continue;
    other = name_key (tc_account_get_name (saved_settings (self, account)));
    if (g_str_equal (key, other))
      return account;
  }
  return NULL;
}

/**
 * tc_account_store_find_by_name:
 *
 * Names match regardless of case and surrounding spaces, as they do for uniqueness.
 *
 * Returns: (transfer none) (nullable): the stored account with this name
 */
TcAccount *
tc_account_store_find_by_name (TcAccountStore *self,
                               const char     *name)
{
  g_return_val_if_fail (TC_IS_ACCOUNT_STORE (self), NULL);

  if (name == NULL)
    return NULL;
  return find_by_name_except (self, name, NULL);
}

/* Validation */

static gboolean
validate_endpoint (const char  *url,
                   const char  *field,
                   const char  *label,
                   GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *summary = NULL;

  if (tc_endpoint_validate (url, &local_error))
    return TRUE;

  /* TRANSLATORS: "%s: %s" is the name of an endpoint field, then what is wrong with it
   * and how to fix it. */
  summary = g_strdup_printf (_("%s: %s"), label, local_error->message);
  g_propagate_error (error, store_error_new (TC_ACCOUNT_STORE_ERROR_INVALID, field, NULL,
                                             summary));
  return FALSE;
}

static gboolean
invalid (GError     **error,
         const char  *field,
         const char  *summary)
{
  g_propagate_error (error, store_error_new (TC_ACCOUNT_STORE_ERROR_INVALID, field, NULL,
                                             summary));
  return FALSE;
}

static gboolean
validate_fields (TcAccount      *account,
                 TcCredentials  *credentials,
                 GError        **error)
{
  g_autofree char *name = g_strstrip (g_strdup (tc_account_get_name (account)));
  const char *secret_id = tc_account_get_secret_id (account);
  const char *region = tc_account_get_region (account);

  if (*name == '\0')
    return invalid (error, "name",
                    _("Enter a name for the account, for example “default”."));

  if (secret_id == NULL || *secret_id == '\0')
    return invalid (error, "secret-id",
                    _("Enter the SecretId. You find it in the Tencent Cloud console under "
                      "Access Management, API Keys."));
  if (has_whitespace (secret_id))
    return invalid (error, "secret-id",
                    _("The SecretId contains spaces or line breaks. Copy it again without "
                      "them."));

  if (credentials != NULL) {
    const char *key = tc_credentials_get_secret_key (credentials);
    const char *token = tc_credentials_get_token (credentials);

    if (key == NULL || *key == '\0')
      return invalid (error, "secret-key",
                      _("Enter the SecretKey. The Tencent Cloud console shows it next to "
                        "the SecretId."));
    if (has_whitespace (key))
      return invalid (error, "secret-key",
                      _("The SecretKey contains spaces or line breaks. Copy it again without "
                        "them."));
    if (token != NULL && has_whitespace (token))
      return invalid (error, "token",
                      _("The session token contains spaces or line breaks. Copy it again "
                        "without them."));
  }

  if (region == NULL || *region == '\0' || has_whitespace (region))
    return invalid (error, "region",
                    _("Choose a default region, for example ap-guangzhou."));

  return validate_endpoint (tc_account_get_endpoint (account), "endpoint",
                            _("API 3.0 endpoint"), error) &&
         validate_endpoint (tc_account_get_legacy_cvm_endpoint (account),
                            "legacy-cvm-endpoint", _("Legacy instance endpoint"), error) &&
         validate_endpoint (tc_account_get_legacy_image_endpoint (account),
                            "legacy-image-endpoint", _("Legacy image endpoint"), error);
}

static gboolean
validate_name_free (TcAccountStore  *self,
                    TcAccount       *account,
                    GError         **error)
{
  g_autofree char *summary = NULL;

  if (find_by_name_except (self, tc_account_get_name (account),
                           tc_account_get_id (account)) == NULL)
    return TRUE;

  summary = g_strdup_printf (_("There is already an account named “%s”. Choose another "
                               "name."), tc_account_get_name (account));
  g_propagate_error (error, store_error_new (TC_ACCOUNT_STORE_ERROR_NAME_TAKEN, "name", NULL,
                                             summary));
  return FALSE;
}

/**
 * tc_account_store_validate:
 * @credentials: (nullable): the secrets as typed, or %NULL to leave them out
 *
 * Returns: %TRUE when tc_account_store_save_async() would accept @account (as far as
 *   can be known without the keyring), else %FALSE with %TC_ACCOUNT_STORE_ERROR_INVALID or
 *   %TC_ACCOUNT_STORE_ERROR_NAME_TAKEN
 */
gboolean
tc_account_store_validate (TcAccountStore  *self,
                           TcAccount       *account,
                           TcCredentials   *credentials,
                           GError         **error)
{
  g_return_val_if_fail (TC_IS_ACCOUNT_STORE (self), FALSE);
  g_return_val_if_fail (TC_IS_ACCOUNT (account), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return validate_fields (account, credentials, error) &&
         validate_name_free (self, account, error);
}

/* Reading and writing accounts.json */

typedef enum {
  FILE_DAMAGED,
  FILE_NEWER,
  FILE_UNREADABLE,
  FILE_UNWRITABLE,
} FileProblem;

static GError *
file_error_new (const char  *path,
                FileProblem  problem,
                const char  *details)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *summary = NULL;

  switch (problem) {
  case FILE_DAMAGED:
    summary = g_strdup_printf (_("The accounts file “%s” is damaged and could not be read. "
                                 "It was left unchanged; repair it or move it away, then try "
                                 "again."), display);
    break;
  case FILE_NEWER:
    summary = g_strdup_printf (_("The accounts file “%s” was written by a newer version of "
                                 "Imprint. Update Imprint to use these accounts; the file was "
                                 "left unchanged."), display);
    break;
  case FILE_UNREADABLE:
    summary = g_strdup_printf (_("The accounts file “%s” could not be read. Check that you "
                                 "may read it, then try again."), display);
    break;
  case FILE_UNWRITABLE:
  default:
    summary = g_strdup_printf (_("The accounts file “%s” could not be saved. Check that there "
                                 "is free space and that you may write to its folder, then "
                                 "try again."), display);
    break;
  }

  return store_error_new (TC_ACCOUNT_STORE_ERROR_FILE, NULL, details, summary);
}

static GError *
damaged_error_new (const char *path,
                   const char *details)
{
  return file_error_new (path, FILE_DAMAGED, details);
}

static const char *
protocol_to_string (TcProtocol protocol)
{
  return protocol == TC_PROTOCOL_LEGACY ? "legacy" : "api3";
}

static gboolean
protocol_from_string (const char *text,
                      TcProtocol *protocol)
{
  if (text == NULL || g_str_equal (text, "api3")) {
    *protocol = TC_PROTOCOL_API3;
    return TRUE;
  }
  if (g_str_equal (text, "legacy")) {
    *protocol = TC_PROTOCOL_LEGACY;
    return TRUE;
  }
  return FALSE;
}

static TcAccount *
account_from_json (JsonObject  *object,
                   guint        index,
                   char       **problem)
{
  const char *id = tc_json_get_string (object, "id");
  const char *name = tc_json_get_string (object, "name");
  const char *secret_id = tc_json_get_string (object, "secret_id");
  const char *region = tc_json_get_string (object, "region");
  const char *endpoint = tc_json_get_string (object, "endpoint");
  const char *cvm = tc_json_get_string (object, "legacy_cvm_endpoint");
  const char *image = tc_json_get_string (object, "legacy_image_endpoint");
  TcProtocol protocol;
  TcAccount *account;

  if (id == NULL || *id == '\0') {
    *problem = g_strdup_printf ("accounts[%u]: no \"id\"", index);
    return NULL;
  }
  if (name == NULL || secret_id == NULL) {
    *problem = g_strdup_printf ("accounts[%u]: no \"%s\"", index,
                                name == NULL ? "name" : "secret_id");
    return NULL;
  }
  if (!protocol_from_string (tc_json_get_string (object, "protocol"), &protocol)) {
    *problem = g_strdup_printf ("accounts[%u]: unknown \"protocol\"", index);
    return NULL;
  }

  account = tc_account_new (name, secret_id);
  g_object_set (account, "id", id, "protocol", (guint) protocol, NULL);
  if (region != NULL)
    tc_account_set_region (account, region);
  if (endpoint != NULL)
    tc_account_set_endpoint (account, endpoint);
  if (cvm != NULL)
    tc_account_set_legacy_cvm_endpoint (account, cvm);
  if (image != NULL)
    tc_account_set_legacy_image_endpoint (account, image);
  return account;
}

/**
 * tc_account_store_parse_file:
 * @path: the file's path, for the error's text
 *
 * Returns: (transfer full) (element-type TcAccount): the accounts in the file's text
 *   @data, or %NULL with the reason
 */
GPtrArray *
tc_account_store_parse_file (const char  *path,
                             const char  *data,
                             gsize        len,
                             GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) parse_error = NULL;
  JsonObject *root;
  JsonArray *array;
  gint64 version = 0;

  if (!tc_json_depth_ok (data, len)) {
    g_propagate_error (error, damaged_error_new (path, "nested too deeply"));
    return NULL;
  }
  if (!json_parser_load_from_data (parser, data, (gssize) len, &parse_error)) {
    g_propagate_error (error, damaged_error_new (path, parse_error->message));
    return NULL;
  }
  if (json_parser_get_root (parser) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))) {
    g_propagate_error (error, damaged_error_new (path, "not a JSON object"));
    return NULL;
  }

  root = json_node_get_object (json_parser_get_root (parser));
  if (!tc_json_get_int (root, "version", &version) || version < 1) {
    g_propagate_error (error, damaged_error_new (path, "no valid \"version\""));
    return NULL;
  }
  if (version > ACCOUNTS_FILE_VERSION) {
    g_autofree char *details = g_strdup_printf ("version %" G_GINT64_FORMAT, version);

    g_propagate_error (error, file_error_new (path, FILE_NEWER, details));
    return NULL;
  }
  /* Older versions would be migrated here; version 1 is the first. */

  array = tc_json_get_array (root, "accounts");
  if (array == NULL) {
    g_propagate_error (error, damaged_error_new (path, "no \"accounts\" list"));
    return NULL;
  }

  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonNode *node = json_array_get_element (array, i);
    g_autofree char *problem = NULL;
    TcAccount *account;

    if (!JSON_NODE_HOLDS_OBJECT (node)) {
      problem = g_strdup_printf ("accounts[%u]: not an object", i);
      g_propagate_error (error, damaged_error_new (path, problem));
      return NULL;
    }

    account = account_from_json (json_node_get_object (node), i, &problem);
    if (account == NULL) {
      g_propagate_error (error, damaged_error_new (path, problem));
      return NULL;
    }
    g_ptr_array_add (accounts, account);

    if (!g_hash_table_add (ids, (gpointer) tc_account_get_id (account))) {
      problem = g_strdup_printf ("accounts[%u]: duplicate \"id\"", i);
      g_propagate_error (error, damaged_error_new (path, problem));
      return NULL;
    }
  }

  g_ptr_array_sort (accounts, compare_accounts_cb);
  return g_steal_pointer (&accounts);
}

/* The file names every account's SecretId and endpoints: only its owner may read it.
 * New files and folders are made that way; one left by an older build, a copied home or
 * a restored backup may be open to others, so both are tightened whenever the file is
 * read or written. Someone else's file cannot be changed, and is still read. */
static void
tighten_permissions (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  GStatBuf st;

  if (g_stat (dir, &st) == 0 && S_ISDIR (st.st_mode) && (st.st_mode & 077) != 0 &&
      g_chmod (dir, st.st_mode & 0700) != 0)
    g_debug ("Could not make %s private: %s", dir, g_strerror (errno));
  if (g_stat (path, &st) == 0 && S_ISREG (st.st_mode) && (st.st_mode & 077) != 0 &&
      g_chmod (path, st.st_mode & 0700) != 0)
    g_debug ("Could not make %s private: %s", path, g_strerror (errno));
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  GPtrArray *accounts;
  GStatBuf st;
  gsize len = 0;

  tighten_permissions (path);
  if (g_stat (path, &st) == 0 && st.st_size > ACCOUNTS_FILE_MAX_SIZE) {
    g_task_return_error (task, damaged_error_new (path, "file too large"));
    return;
  }

  if (!g_file_get_contents (path, &data, &len, &error)) {
    if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
      /* No file yet: no accounts yet. */
      g_task_return_pointer (task, g_ptr_array_new_with_free_func (g_object_unref),
                             (GDestroyNotify) g_ptr_array_unref);
      return;
    }
    g_task_return_error (task, file_error_new (path, FILE_UNREADABLE, error->message));
    return;
  }

  accounts = tc_account_store_parse_file (path, data, len, &error);
  if (accounts == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, accounts, (GDestroyNotify) g_ptr_array_unref);
}

/* The worker thread's tasks have no source object: the thread drops its reference after
 * the callback may already have run, and it must not be the one to finalize the store. */
static void
read_file_async (const char          *path,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, read_file_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, load_thread);
}

static GPtrArray *
read_file_finish (GAsyncResult  *result,
                  GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
add_account_json (JsonBuilder *builder,
                  TcAccount   *account)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, tc_account_get_id (account));
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, tc_account_get_name (account));
  json_builder_set_member_name (builder, "secret_id");
  json_builder_add_string_value (builder, tc_account_get_secret_id (account));
  json_builder_set_member_name (builder, "region");
  json_builder_add_string_value (builder, tc_account_get_region (account));
  json_builder_set_member_name (builder, "protocol");
  json_builder_add_string_value (builder, protocol_to_string (tc_account_get_protocol (account)));
  json_builder_set_member_name (builder, "endpoint");
  json_builder_add_string_value (builder, tc_account_get_endpoint (account));
  json_builder_set_member_name (builder, "legacy_cvm_endpoint");
  json_builder_add_string_value (builder, tc_account_get_legacy_cvm_endpoint (account));
  json_builder_set_member_name (builder, "legacy_image_endpoint");
  json_builder_add_string_value (builder, tc_account_get_legacy_image_endpoint (account));
  json_builder_end_object (builder);
}

/* The file's text with @changed in place of the stored account with its id (or added),
 * and without the account whose id is @removed_id. Only non-secret settings go in. */
static GBytes *
serialize_accounts (TcAccountStore *self,
                    TcAccount      *changed,
                    const char     *removed_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  gboolean replaced = FALSE;
  gsize len = 0;
  char *text;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, ACCOUNTS_FILE_VERSION);
  json_builder_set_member_name (builder, "accounts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->accounts->len; i++) {
    TcAccount *account = saved_settings (self, g_ptr_array_index (self->accounts, i));
    const char *id = tc_account_get_id (account);

    if (removed_id != NULL && g_str_equal (id, removed_id))
      continue;
    if (changed != NULL && g_str_equal (id, tc_account_get_id (changed))) {
      account = changed;
      replaced = TRUE;
    }
    add_account_json (builder, account);
  }
  if (changed != NULL && !replaced)
    add_account_json (builder, changed);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &len);
  return g_bytes_new_take (text, len);
}

typedef struct {
  char   *path;
  GBytes *contents;
} WriteData;

static void
write_data_free (WriteData *data)
{
  g_free (data->path);
  g_bytes_unref (data->contents);
  g_free (data);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WriteData *data = task_data;
  g_autofree char *dir = g_path_get_dirname (data->path);
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  const char *contents = g_bytes_get_data (data->contents, &len);

  if (g_mkdir_with_parents (dir, 0700) != 0) {
    int saved_errno = errno;
    g_autofree char *display = g_filename_display_name (dir);
    g_autofree char *details = g_strdup_printf ("%s: %s", display, g_strerror (saved_errno));

    g_task_return_error (task, file_error_new (data->path, FILE_UNWRITABLE, details));
    return;
  }
  tighten_permissions (data->path);

  /* A temporary file renamed over the old one: a crash leaves either the old file or the
   * new one, never half of one. */
  if (!g_file_set_contents_full (data->path, contents, (gssize) len,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &error)) {
    g_task_return_error (task, file_error_new (data->path, FILE_UNWRITABLE, error->message));
    return;
  }

  g_task_return_boolean (task, TRUE);
}

static void
write_file_async (const char          *path,
                  GBytes              *contents,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, callback, user_data);
  WriteData *data = g_new0 (WriteData, 1);

  data->path = g_strdup (path);
  data->contents = g_bytes_ref (contents);
  g_task_set_source_tag (task, write_file_async);
  g_task_set_task_data (task, data, (GDestroyNotify) write_data_free);
  g_task_run_in_thread (task, write_thread);
}

static gboolean
write_file_finish (GAsyncResult  *result,
                   GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Model changes */

static void
replace_all (TcAccountStore *self,
             GPtrArray      *accounts)
{
  guint removed = self->accounts->len;

  g_ptr_array_unref (self->accounts);
  self->accounts = g_ptr_array_ref (accounts);
  self->loaded = TRUE;

  g_hash_table_remove_all (self->saved);
  for (guint i = 0; i < accounts->len; i++) {
    TcAccount *account = g_ptr_array_index (accounts, i);

    g_hash_table_insert (self->saved, g_strdup (tc_account_get_id (account)),
                         tc_account_copy (account));
  }

  if (removed > 0 || accounts->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, accounts->len);
}

static void
copy_settings (TcAccount *dest,
               TcAccount *src)
{
  g_object_freeze_notify (G_OBJECT (dest));
  tc_account_set_name (dest, tc_account_get_name (src));
  tc_account_set_secret_id (dest, tc_account_get_secret_id (src));
  tc_account_set_region (dest, tc_account_get_region (src));
  tc_account_set_protocol (dest, tc_account_get_protocol (src));
  tc_account_set_endpoint (dest, tc_account_get_endpoint (src));
  tc_account_set_legacy_cvm_endpoint (dest, tc_account_get_legacy_cvm_endpoint (src));
  tc_account_set_legacy_image_endpoint (dest, tc_account_get_legacy_image_endpoint (src));
  g_object_thaw_notify (G_OBJECT (dest));
}

static void
apply_save (TcAccountStore *self,
            TcAccount      *account)
{
  guint old_position, new_position;

  g_hash_table_insert (self->saved, g_strdup (tc_account_get_id (account)),
                       tc_account_copy (account));

  if (!find_position (self, tc_account_get_id (account), &old_position)) {
    TcAccount *added = tc_account_copy (account);

    new_position = sorted_position (self, added);
    g_ptr_array_insert (self->accounts, (int) new_position, added);
    g_list_model_items_changed (G_LIST_MODEL (self), new_position, 0, 1);
    return;
  }

  {
    /* The stored object stays the same one, so views bound to it follow the edit. */
    g_autoptr(TcAccount) stored = g_object_ref (g_ptr_array_index (self->accounts, old_position));

    copy_settings (stored, account);
    g_ptr_array_remove_index (self->accounts, old_position);
    new_position = sorted_position (self, stored);
    g_ptr_array_insert (self->accounts, (int) new_position, g_object_ref (stored));

    if (new_position == old_position) {
      g_list_model_items_changed (G_LIST_MODEL (self), old_position, 1, 1);
    } else {
      g_list_model_items_changed (G_LIST_MODEL (self), old_position, 1, 0);
      g_list_model_items_changed (G_LIST_MODEL (self), new_position, 0, 1);
    }
  }
}

static void
apply_remove (TcAccountStore *self,
              const char     *id)
{
  guint position;

  g_hash_table_remove (self->saved, id);
  if (find_position (self, id, &position)) {
    g_ptr_array_remove_index (self->accounts, position);
    g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  }
}

/* File operations, one at a time */

typedef enum {
  OP_LOAD,
  OP_SAVE,
  OP_REMOVE,
} OpKind;

typedef struct {
  OpKind         kind;
  TcAccount     *account;      /* save: a private copy of the caller's; remove: its id */
  TcCredentials *credentials;  /* save: nullable */
} Op;

static void
op_free (Op *op)
{
  g_clear_object (&op->account);
  g_clear_pointer (&op->credentials, tc_credentials_unref);
  g_free (op);
}

static void op_start (GTask *task);

static void
run_next (TcAccountStore *self)
{
  while (self->current == NULL && !g_queue_is_empty (&self->pending)) {
    self->current = g_queue_pop_head (&self->pending);
    op_start (self->current);
  }
}

static void
enqueue (TcAccountStore *self,
         GTask          *task)
{
  g_queue_push_tail (&self->pending, g_object_ref (task));
  run_next (self);
}

/* Every operation ends through one of these two, which let the next one start. */
static void
op_return_error (GTask  *task,
                 GError *error)
{
  g_autoptr(GTask) owned = g_object_ref (task);
  TcAccountStore *self = g_task_get_source_object (owned);

  g_assert (self->current == owned);
  g_task_return_error (owned, error);
  g_clear_object (&self->current);
  run_next (self);
}

static void
op_return_success (GTask *task)
{
  g_autoptr(GTask) owned = g_object_ref (task);
  TcAccountStore *self = g_task_get_source_object (owned);

  g_assert (self->current == owned);
  g_task_return_boolean (owned, TRUE);
  g_clear_object (&self->current);
  run_next (self);
}

static void op_loaded (GTask *task);

static void
op_read_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TcAccountStore *self = g_task_get_source_object (task);
  g_autoptr(GPtrArray) accounts = NULL;
  GError *error = NULL;

  accounts = read_file_finish (result, &error);
  if (accounts == NULL) {
    op_return_error (task, error);
    return;
  }

  replace_all (self, accounts);
  op_loaded (task);
}

static void
op_start (GTask *task)
{
  TcAccountStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error)) {
    op_return_error (task, error);
    return;
  }

  /* Saving or removing before the file was read would overwrite what it holds. */
  if (op->kind == OP_LOAD || !self->loaded)
    read_file_async (self->path, g_task_get_cancellable (task), op_read_cb, g_object_ref (task));
  else
    op_loaded (task);
}

static void save_store_secret (GTask *task);

static void
save_written_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TcAccountStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!write_file_finish (result, &error)) {
    op_return_error (task, error);
    return;
  }

  if (op->kind == OP_SAVE)
    apply_save (self, op->account);
  else
    apply_remove (self, tc_account_get_id (op->account));
  op_return_success (task);
}

static void
op_write (GTask *task)
{
  TcAccountStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GBytes) contents = NULL;

  if (op->kind == OP_SAVE)
    contents = serialize_accounts (self, op->account, NULL);
  else
    contents = serialize_accounts (self, NULL, tc_account_get_id (op->account));

  /* Once the keyring has changed, the file follows even if the caller has lost interest:
   * stopping half-way would leave the two disagreeing. */
  write_file_async (self->path, contents, save_written_cb, g_object_ref (task));
}

static void
save_stored_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error)) {
    op_return_error (task, keyring_error (error, KEYRING_STORE,
                                          tc_account_get_name (op->account),
                                          g_task_get_cancellable (task)));
    return;
  }

  op_write (task);
}

static void
save_store_secret (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  g_autofree char *label = NULL;
  GString *secret;

  /* TRANSLATORS: the label of the keyring item, shown in Passwords and Keys; %s is the
   * account's name. */
  label = g_strdup_printf (_("Imprint: %s (Tencent Cloud)"), tc_account_get_name (op->account));

  /* Storing an item with the same attributes replaces it, so an account keeps one item,
   * whose label follows its name. libsecret copies the secret at once. */
  secret = secret_text_new (op->credentials);
  secret_password_store (&account_schema, SECRET_COLLECTION_DEFAULT, label, secret->str,
                         g_task_get_cancellable (task), save_stored_cb, g_object_ref (task),
                         "account-id", tc_account_get_id (op->account),
                         NULL);
  wipe_gstring (secret);
  g_clear_pointer (&op->credentials, tc_credentials_unref);
}

static void
save_looked_up_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  TcAccountStore *self = TC_ACCOUNT_STORE (object);
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  op->credentials = tc_account_store_lookup_credentials_finish (self, result, &error);
  if (op->credentials == NULL) {
    op_return_error (task, error);
    return;
  }

  save_store_secret (task);
}

static void remove_clear_secret (GTask *task);

static void
op_loaded (GTask *task)
{
  TcAccountStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;
  TcAccount *stored;

  switch (op->kind) {
  case OP_LOAD:
    op_return_success (task);
    break;

  case OP_SAVE:
    if (!validate_name_free (self, op->account, &error)) {
      op_return_error (task, error);
      return;
    }

    stored = tc_account_store_find_by_id (self, tc_account_get_id (op->account));
    if (op->credentials != NULL) {
      save_store_secret (task);
    } else if (stored != NULL) {
      tc_account_store_lookup_credentials_async (self, stored, g_task_get_cancellable (task),
                                                 save_looked_up_cb, g_object_ref (task));
    } else {
      op_return_error (task, store_error_new (TC_ACCOUNT_STORE_ERROR_INVALID, "secret-key",
                                              NULL,
                                              _("Enter the SecretKey. The Tencent Cloud "
                                                "console shows it next to the SecretId.")));
    }
    break;

  case OP_REMOVE:
    remove_clear_secret (task);
    break;

  default:
    g_assert_not_reached ();
  }
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
    g_task_return_error (task, error);
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
    g_task_return_error (task, error);
    return;
  }

  attributes = secret_attributes_build (&account_schema, "account-id", data->id, NULL);
  secret_service_search (data->service, &account_schema, attributes, SECRET_SEARCH_ALL,
                         g_task_get_cancellable (task), probe_search_cb, g_object_ref (task));
}

static void
probe_async (TcAccountStore      *self,
             const char          *id,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  ProbeData *data = g_new0 (ProbeData, 1);

  data->id = g_strdup (id);
  g_task_set_source_tag (task, probe_async);
  g_task_set_task_data (task, data, (GDestroyNotify) probe_data_free);
  secret_service_get (SECRET_SERVICE_NONE, cancellable, probe_service_cb, g_object_ref (task));
}

static ProbeResult
probe_finish (TcAccountStore  *self,
              GAsyncResult    *result,
              GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize value = g_task_propagate_int (G_TASK (result), &local_error);

  if (local_error != NULL) {
    g_propagate_error (error, g_steal_pointer (&local_error));
    return PROBE_ABSENT;
  }
  return (ProbeResult) value;
}

/* Remove */

static void
remove_probed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  TcAccountStore *self = TC_ACCOUNT_STORE (object);
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;
  ProbeResult probe = probe_finish (self, result, &error);

  if (error != NULL) {
    op_return_error (task, keyring_error (error, KEYRING_CLEAR,
                                          tc_account_get_name (op->account),
                                          g_task_get_cancellable (task)));
    return;
  }

  switch (probe) {
  case PROBE_LOCKED:
    op_return_error (task, locked_error_new (NULL));
    break;
  case PROBE_PRESENT:
    op_return_error (task, keyring_error (g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS,
                                                               "the item is still there"),
                                          KEYRING_CLEAR, tc_account_get_name (op->account),
                                          g_task_get_cancellable (task)));
    break;
  case PROBE_ABSENT:
  default:
    /* There was no item to remove: nothing secret is left behind. */
    op_write (task);
    break;
  }
}

static void
remove_cleared_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TcAccountStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (secret_password_clear_finish (result, &error)) {
    op_write (task);
    return;
  }
  if (error != NULL) {
    op_return_error (task, keyring_error (error, KEYRING_CLEAR,
                                          tc_account_get_name (op->account),
                                          g_task_get_cancellable (task)));
    return;
  }

  /* Nothing was removed: gone already, or out of reach in a locked collection. */
  probe_async (self, tc_account_get_id (op->account), g_task_get_cancellable (task),
               remove_probed_cb, g_object_ref (task));
}

static void
remove_clear_secret (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  secret_password_clear (&account_schema, g_task_get_cancellable (task), remove_cleared_cb,
                         g_object_ref (task),
                         "account-id", tc_account_get_id (op->account),
                         NULL);
}

/* Public operations */

/**
 * tc_account_store_load_async:
 *
 * Reads the accounts file (again), replacing the store's contents. A missing file is an
 * empty list; a damaged one or one from a newer Imprint is an error and stays untouched,
 * and until it can be read, saving and removing refuse rather than overwrite it.
 */
void
tc_account_store_load_async (TcAccountStore      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Op *op;

  g_return_if_fail (TC_IS_ACCOUNT_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_account_store_load_async);
  g_task_set_check_cancellable (task, FALSE);
  op = g_new0 (Op, 1);
  op->kind = OP_LOAD;
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  enqueue (self, task);
}

gboolean
tc_account_store_load_finish (TcAccountStore  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (TC_IS_ACCOUNT_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_account_store_load_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * tc_account_store_save_async:
 * @account: the settings to keep; the store copies them
 * @credentials: (nullable): the SecretKey and token to keep (their SecretId is not used:
 *   @account's is), or %NULL to keep those already in the keyring for an existing account
 */
void
tc_account_store_save_async (TcAccountStore      *self,
                             TcAccount           *account,
                             TcCredentials       *credentials,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  Op *op;

  g_return_if_fail (TC_IS_ACCOUNT_STORE (self));
  g_return_if_fail (TC_IS_ACCOUNT (account));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_account_store_save_async);
  g_task_set_check_cancellable (task, FALSE);

  if (!validate_fields (account, credentials, &error)) {
    g_task_return_error (task, error);
    return;
  }

  op = g_new0 (Op, 1);
  op->kind = OP_SAVE;
  op->account = tc_account_copy (account);
  op->credentials = credentials ? tc_credentials_ref (credentials) : NULL;
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  enqueue (self, task);
}

gboolean
tc_account_store_save_finish (TcAccountStore  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (TC_IS_ACCOUNT_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_account_store_save_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * tc_account_store_remove_async:
 *
 * Removes the keyring item first, then the account from the file. When the keyring
 * cannot be reached or stays locked, nothing is removed, so no secret is left behind
 * without an account that shows it exists.
 */
void
tc_account_store_remove_async (TcAccountStore      *self,
                               TcAccount           *account,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Op *op;

  g_return_if_fail (TC_IS_ACCOUNT_STORE (self));
  g_return_if_fail (TC_IS_ACCOUNT (account));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_account_store_remove_async);
  g_task_set_check_cancellable (task, FALSE);
  op = g_new0 (Op, 1);
  op->kind = OP_REMOVE;
  op->account = tc_account_copy (account);
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  enqueue (self, task);
}

gboolean
tc_account_store_remove_finish (TcAccountStore  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (TC_IS_ACCOUNT_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_account_store_remove_async,
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
  TcAccountStore *self = TC_ACCOUNT_STORE (object);
  g_autoptr(GTask) task = user_data;
  LookupData *data = g_task_get_task_data (task);
  GError *error = NULL;
  ProbeResult probe = probe_finish (self, result, &error);

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
  TcAccountStore *self = g_task_get_source_object (task);
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
    probe_async (self, data->id, g_task_get_cancellable (task), lookup_probed_cb,
                 g_object_ref (task));
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
 * tc_account_store_lookup_credentials_async:
 *
 * Reads the SecretKey and token of @account from the keyring. Fails with
 * %TC_ACCOUNT_STORE_ERROR_SECRET_MISSING when the item is gone, and with
 * %TC_ACCOUNT_STORE_ERROR_LOCKED when it is out of reach in a locked keyring.
 */
void
tc_account_store_lookup_credentials_async (TcAccountStore      *self,
                                           TcAccount           *account,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LookupData *data;

  g_return_if_fail (TC_IS_ACCOUNT_STORE (self));
  g_return_if_fail (TC_IS_ACCOUNT (account));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_account_store_lookup_credentials_async);
  data = g_new0 (LookupData, 1);
  data->id = g_strdup (tc_account_get_id (account));
  data->name = g_strdup (tc_account_get_name (account));
  data->secret_id = g_strdup (tc_account_get_secret_id (account));
  g_task_set_task_data (task, data, (GDestroyNotify) lookup_data_free);

  secret_password_lookup (&account_schema, cancellable, lookup_cb, g_object_ref (task),
                          "account-id", data->id,
                          NULL);
}

/**
 * tc_account_store_lookup_credentials_finish:
 *
 * Returns: (transfer full) (nullable): the account's SecretId with its SecretKey and token
 */
TcCredentials *
tc_account_store_lookup_credentials_finish (TcAccountStore  *self,
                                            GAsyncResult    *result,
                                            GError         **error)
{
  g_return_val_if_fail (TC_IS_ACCOUNT_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        tc_account_store_lookup_credentials_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
