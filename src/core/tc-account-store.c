/* tc-account-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two places hold an account. accounts.json keeps what is not secret; the keyring keeps one
 * item per account, keyed by the account's id and holding a small JSON text with the
 * SecretKey and token. Saving stores the keyring item first and then rewrites the file, so
 * a keyring that refuses leaves everything as it was. When the file write fails after the
 * keyring accepted, the keyring is put back before the error is reported: an edited
 * account's item gets the secret it held before (the file still has the old SecretId, which
 * must not meet the new SecretKey), a new account's item is deleted (no account refers to
 * it, so Remove would never find it).
 *
 * Operations that write the file (and the load they need first) run one at a time, in the
 * order they were asked for, so a slow write can never overtake a later one.
 *
 * Another copy of Imprint may share the file: a stable and a development build installed
 * side by side both use $XDG_CONFIG_HOME/imprint/accounts.json. So a write never puts the
 * list in memory over the file: it reads the file again and applies only its own change
 * (tc_account_file_update_async()), and the list then follows what the file holds. A file
 * monitor brings in the other copy's changes between writes, too.
 *
 * The parts live apart: tc-account-file.c reads and writes the file, tc-account-keyring.c
 * the keyring items, tc-account-store-follow.c follows the file when another copy changes
 * it; this file keeps the list model and decides the order of things.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tc-account-file.h"
#include "tc-account-keyring.h"
#include "tc-account-store.h"
#include "tc-account-store-private.h"

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
tc_account_store_dispose (GObject *object)
{
  TcAccountStore *self = TC_ACCOUNT_STORE (object);

  tc_account_store_unwatch_file (self);

  G_OBJECT_CLASS (tc_account_store_parent_class)->dispose (object);
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
  G_OBJECT_CLASS (klass)->dispose = tc_account_store_dispose;
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
  g_propagate_error (error, tc_account_store_error_new (TC_ACCOUNT_STORE_ERROR_INVALID, field, NULL,
                                                        summary));
  return FALSE;
}

static gboolean
invalid (GError     **error,
         const char  *field,
         const char  *summary)
{
  g_propagate_error (error, tc_account_store_error_new (TC_ACCOUNT_STORE_ERROR_INVALID, field, NULL,
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
  g_propagate_error (error, tc_account_store_error_new (TC_ACCOUNT_STORE_ERROR_NAME_TAKEN, "name", NULL,
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

/* Model changes */

static void
replace_all (TcAccountStore *self,
             GPtrArray      *accounts)
{
  guint removed = self->accounts->len;

  g_ptr_array_sort (accounts, compare_accounts_cb);
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

void
tc_account_store_apply_save (TcAccountStore *self,
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

void
tc_account_store_apply_remove (TcAccountStore *self,
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
  gboolean       existed;      /* save: the store had the account before */
  TcCredentials *previous;     /* save: what the keyring held for it, put back if the file
                                * cannot be written (so the two never disagree) */
  GError        *error;        /* save: the file's failure, reported once the keyring is
                                * back as it was */
} Op;

static void
op_free (Op *op)
{
  g_clear_object (&op->account);
  g_clear_pointer (&op->credentials, tc_credentials_unref);
  g_clear_pointer (&op->previous, tc_credentials_unref);
  g_clear_error (&op->error);
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

  accounts = tc_account_file_read_finish (result, &error);
  if (accounts == NULL) {
    op_return_error (task, error);
    return;
  }

  replace_all (self, accounts);
  tc_account_store_drop_older_refreshes (self);
  tc_account_store_watch_file (self);
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
    tc_account_file_read_async (self->path, g_task_get_cancellable (task), op_read_cb,
                                g_object_ref (task));
  else
    op_loaded (task);
}

static void save_store_secret (GTask *task);

/* The keyring is as it was before the save; the save's failure is reported now. */
static void
save_undone_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!(op->existed ? tc_account_keyring_store_finish (result, &error)
                     : tc_account_keyring_clear_finish (result, &error)))
    g_warning ("Could not undo the keyring's part of a save: %s", error->message);
  op_return_error (task, g_steal_pointer (&op->error));
}

static void
save_written_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TcAccountStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  g_autoptr(GPtrArray) accounts = tc_account_file_update_finish (result, &error);

  if (accounts == NULL) {
    TcAccount *stored = tc_account_store_find_by_id (self, tc_account_get_id (op->account));

    /* The keyring already holds the new secret, the file the old account (or none): put
     * the keyring back, so that neither a new SecretKey with the old SecretId nor the item
     * of an account that was never saved is left behind. */
    op->error = error;
    if (op->kind == OP_SAVE && op->existed && op->previous != NULL && stored != NULL)
      tc_account_keyring_store_async (stored, op->previous, NULL, save_undone_cb, g_object_ref (task));
    else if (op->kind == OP_SAVE && !op->existed)
      tc_account_keyring_clear_async (op->account, NULL, save_undone_cb, g_object_ref (task));
    else
      op_return_error (task, g_steal_pointer (&op->error));
    return;
  }

  /* The file holds this change and whatever another copy of Imprint saved since the last
   * read: the list shows both. */
  tc_account_store_sync_with_file (self, accounts);
  tc_account_store_drop_older_refreshes (self);
  op_return_success (task);
}

static void
op_write (GTask *task)
{
  TcAccountStore *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);

  /* Once the keyring has changed, the file follows even if the caller has lost interest:
   * stopping half-way would leave the two disagreeing. */
  if (op->kind == OP_SAVE)
    tc_account_file_update_async (self->path, op->account, NULL, save_written_cb,
                                  g_object_ref (task));
  else
    tc_account_file_update_async (self->path, NULL, tc_account_get_id (op->account),
                                  save_written_cb, g_object_ref (task));
}

static void
save_stored_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!tc_account_keyring_store_finish (result, &error)) {
    op_return_error (task, error);
    return;
  }

  op_write (task);
}

static void
save_store_secret (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  tc_account_keyring_store_async (op->account, op->credentials, g_task_get_cancellable (task),
                                  save_stored_cb, g_object_ref (task));
  g_clear_pointer (&op->credentials, tc_credentials_unref);
}

static void
save_kept_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  op->credentials = tc_account_store_keep_secret_finish (TC_ACCOUNT_STORE (object), result, &error);
  if (op->credentials == NULL) {
    op_return_error (task, error);
    return;
  }

  save_store_secret (task);
}

static void remove_clear_secret (GTask *task);

/* What the keyring holds for the account now, to be put back if the file cannot be
 * written; nothing to put back when there is none. */
static void
save_previous_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  op->previous = tc_account_keyring_lookup_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    op_return_error (task, g_steal_pointer (&error));
    return;
  }
  save_store_secret (task);
}

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
    op->existed = stored != NULL;
    if (op->credentials != NULL && stored != NULL) {
      tc_account_keyring_lookup_async (stored, g_task_get_cancellable (task), save_previous_cb,
                                       g_object_ref (task));
    } else if (op->credentials != NULL) {
      save_store_secret (task);
    } else if (stored != NULL) {
      tc_account_store_keep_secret_async (self, stored, tc_account_get_secret_id (op->account),
                                          NULL, g_task_get_cancellable (task), save_kept_cb,
                                          g_object_ref (task));
    } else {
      op_return_error (task, tc_account_store_error_new (TC_ACCOUNT_STORE_ERROR_INVALID, "secret-key",
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

/* Remove */

static void
remove_cleared_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!tc_account_keyring_clear_finish (result, &error)) {
    op_return_error (task, error);
    return;
  }

  op_write (task);
}

static void
remove_clear_secret (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  tc_account_keyring_clear_async (op->account, g_task_get_cancellable (task), remove_cleared_cb,
                                  g_object_ref (task));
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

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  TcCredentials *credentials = tc_account_keyring_lookup_finish (result, &error);

  if (credentials == NULL)
    g_task_return_error (task, error);
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

  g_return_if_fail (TC_IS_ACCOUNT_STORE (self));
  g_return_if_fail (TC_IS_ACCOUNT (account));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_account_store_lookup_credentials_async);
  tc_account_keyring_lookup_async (account, cancellable, lookup_cb, g_object_ref (task));
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

/* Keeping the saved secret */

typedef struct {
  char *secret_id;
  char *token;
} KeepData;

static void
keep_data_free (KeepData *data)
{
  g_free (data->secret_id);
  g_free (data->token);
  g_free (data);
}

static void
keep_looked_up_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KeepData *data = g_task_get_task_data (task);
  g_autoptr(TcCredentials) saved = NULL;
  GError *error = NULL;
  const char *token;

  saved = tc_account_keyring_lookup_finish (result, &error);
  if (saved == NULL) {
    g_task_return_error (task, error);
    return;
  }

  token = data->token != NULL && *data->token != '\0' ? data->token : tc_credentials_get_token (saved);
  g_task_return_pointer (task,
                         tc_credentials_new (data->secret_id, tc_credentials_get_secret_key (saved),
                                             token),
                         (GDestroyNotify) tc_credentials_unref);
}

/**
 * tc_account_store_keep_secret_async:
 * @account: a stored account
 * @secret_id: the SecretId as edited
 * @token: (nullable): the token as edited; %NULL or empty keeps the saved one
 *
 * The credentials an edit ends with when its SecretKey was left empty: @secret_id, the
 * SecretKey in the keyring, and @token, or the saved token when none was typed. Testing
 * the edited keys and saving them both go through here, so the two cannot disagree.
 */
void
tc_account_store_keep_secret_async (TcAccountStore      *self,
                                    TcAccount           *account,
                                    const char          *secret_id,
                                    const char          *token,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  KeepData *data;

  g_return_if_fail (TC_IS_ACCOUNT_STORE (self));
  g_return_if_fail (TC_IS_ACCOUNT (account));
  g_return_if_fail (secret_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_account_store_keep_secret_async);
  data = g_new0 (KeepData, 1);
  data->secret_id = g_strdup (secret_id);
  data->token = g_strdup (token);
  g_task_set_task_data (task, data, (GDestroyNotify) keep_data_free);
  tc_account_keyring_lookup_async (account, cancellable, keep_looked_up_cb, g_object_ref (task));
}

/**
 * tc_account_store_keep_secret_finish:
 *
 * Returns: (transfer full) (nullable): the credentials, or %NULL with the keyring's error
 */
TcCredentials *
tc_account_store_keep_secret_finish (TcAccountStore  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  g_return_val_if_fail (TC_IS_ACCOUNT_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        tc_account_store_keep_secret_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
