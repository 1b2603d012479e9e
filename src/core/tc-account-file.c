/* tc-account-file.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The accounts file, $XDG_CONFIG_HOME/imprint/accounts.json: everything about an account
 * but its secrets. Read and written in a worker thread, written atomically and durably,
 * kept private to its owner. A file this build cannot read is reported and never
 * overwritten. Every write reads the file again and applies one change to what it holds
 * then, because another build of Imprint may share the file and have written it since.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tc-account-file.h"
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

  return tc_account_store_error_new (TC_ACCOUNT_STORE_ERROR_FILE, NULL, details, summary);
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
 * tc_account_file_parse:
 * @path: the file's path, for the error's text
 *
 * Returns: (transfer full) (element-type TcAccount): the accounts in the file's text
 *   @data, or %NULL with the reason
 */
GPtrArray *
tc_account_file_parse (const char  *path,
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

/* A missing file is an empty list. */
static GPtrArray *
read_accounts (const char  *path,
               gboolean    *missing,
               GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data = NULL;
  GStatBuf st;
  gsize len = 0;

  if (g_stat (path, &st) == 0 && st.st_size > ACCOUNTS_FILE_MAX_SIZE) {
    g_propagate_error (error, damaged_error_new (path, "file too large"));
    return NULL;
  }

  if (!g_file_get_contents (path, &data, &len, &local_error)) {
    /* No file yet: no accounts yet. */
    if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
      if (missing != NULL)
        *missing = TRUE;
      return g_ptr_array_new_with_free_func (g_object_unref);
    }
    g_propagate_error (error, file_error_new (path, FILE_UNREADABLE, local_error->message));
    return NULL;
  }

  return tc_account_file_parse (path, data, len, error);
}

GPtrArray *
tc_account_file_read (const char  *path,
                      gboolean    *missing,
                      GError     **error)
{
  if (missing != NULL)
    *missing = FALSE;
  return read_accounts (path, missing, error);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *path = task_data;
  GError *error = NULL;
  GPtrArray *accounts;

  tighten_permissions (path);
  accounts = read_accounts (path, NULL, &error);
  if (accounts == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, accounts, (GDestroyNotify) g_ptr_array_unref);
}

/* The worker thread's tasks have no source object: the thread drops its reference after
 * the callback may already have run, and it must not be the one to finalize the store. */
void
tc_account_file_read_async (const char          *path,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, tc_account_file_read_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, load_thread);
}

GPtrArray *
tc_account_file_read_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_account_file_read_async, NULL);

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

/**
 * tc_account_file_serialize:
 * @accounts: (element-type TcAccount): what the file is to hold, in this order
 *
 * Returns: (transfer full): the file's text. Only non-secret settings go in.
 */
GBytes *
tc_account_file_serialize (GPtrArray *accounts)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  gsize len = 0;
  char *text;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, ACCOUNTS_FILE_VERSION);
  json_builder_set_member_name (builder, "accounts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < accounts->len; i++)
    add_account_json (builder, g_ptr_array_index (accounts, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &len);
  return g_bytes_new_take (text, len);
}

typedef struct {
  char      *path;
  TcAccount *changed;     /* nullable: the account to add, or to put in place of its id */
  char      *removed_id;  /* nullable: the account to leave out */
} UpdateData;

static void
update_data_free (UpdateData *data)
{
  g_free (data->path);
  g_clear_object (&data->changed);
  g_free (data->removed_id);
  g_free (data);
}

/* Other copies of Imprint (a stable and a development build) write the same file. Each
 * holds this lock on its folder from reading the file to renaming the new one over it, so
 * neither can write between the other's read and write and lose what it saved. Where no
 * lock can be had (NFS refuses flock() on a folder opened for reading), the write goes on
 * without one: the read just before it still keeps what the other wrote until then. So it
 * does when the other holds the lock for longer than LOCK_WAIT_MS (stopped in a debugger,
 * or stuck on a stalled disk): a save that waited for ever could not even be cancelled.
 * Returns: the descriptor to close, or -1. */
#define LOCK_WAIT_MS 5000
#define LOCK_STEP_MS 50

static int
lock_folder (const char *dir)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  for (guint waited = 0; fd >= 0; waited += LOCK_STEP_MS) {
    if (flock (fd, LOCK_EX | LOCK_NB) == 0)
      return fd;
    if ((errno != EWOULDBLOCK && errno != EINTR) || waited >= LOCK_WAIT_MS) {
      g_debug ("Could not lock %s: %s", dir, g_strerror (errno));
      close (fd);
      fd = -1;
      break;
    }
    g_usleep (LOCK_STEP_MS * 1000);
  }
  return fd;
}

/* What the file is to hold: what it holds now, with the one change applied. Accounts
 * another copy of Imprint added or changed stay as it wrote them. */
static GPtrArray *
apply_update (GPtrArray  *on_disk,
              UpdateData *data)
{
  GPtrArray *accounts = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean replaced = FALSE;

  for (guint i = 0; i < on_disk->len; i++) {
    TcAccount *account = g_ptr_array_index (on_disk, i);
    const char *id = tc_account_get_id (account);

    if (data->removed_id != NULL && g_str_equal (id, data->removed_id))
      continue;
    if (data->changed != NULL && g_str_equal (id, tc_account_get_id (data->changed))) {
      account = data->changed;
      replaced = TRUE;
    }
    g_ptr_array_add (accounts, g_object_ref (account));
  }
  if (data->changed != NULL && !replaced)
    g_ptr_array_add (accounts, g_object_ref (data->changed));
  return accounts;
}

static void
update_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  UpdateData *data = task_data;
  g_autofree char *dir = g_path_get_dirname (data->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) on_disk = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GBytes) contents = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;
  int lock;

  if (g_mkdir_with_parents (dir, 0700) != 0) {
    int saved_errno = errno;
    g_autofree char *display = g_filename_display_name (dir);
    g_autofree char *details = g_strdup_printf ("%s: %s", display, g_strerror (saved_errno));

    g_task_return_error (task, file_error_new (data->path, FILE_UNWRITABLE, details));
    return;
  }
  tighten_permissions (data->path);

  lock = lock_folder (dir);

  /* Read again: the copy in memory may be older than what another copy of Imprint wrote
   * since. A file that cannot be read now is reported and left alone, as on loading. */
  on_disk = read_accounts (data->path, NULL, &error);
  if (on_disk == NULL) {
    if (lock >= 0)
      close (lock);
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  accounts = apply_update (on_disk, data);
  contents = tc_account_file_serialize (accounts);
  text = g_bytes_unref_to_data (g_steal_pointer (&contents), &len);

  /* A temporary file renamed over the old one: a crash leaves either the old file or the
   * new one, never half of one. */
  if (!g_file_set_contents_full (data->path, text, (gssize) len,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &error)) {
    if (lock >= 0)
      close (lock);
    g_task_return_error (task, file_error_new (data->path, FILE_UNWRITABLE, error->message));
    return;
  }
  if (lock >= 0)
    close (lock);

  g_task_return_pointer (task, g_steal_pointer (&accounts), (GDestroyNotify) g_ptr_array_unref);
}

/**
 * tc_account_file_update_async:
 * @changed: (nullable): an account to add, or to replace the one with its id
 * @removed_id: (nullable): the id of an account to remove
 *
 * Reads the file again, applies the one change to what it holds now and writes the result,
 * in a worker thread. It cannot be cancelled: once the keyring has changed, the file
 * follows, or the two would disagree.
 */
void
tc_account_file_update_async (const char          *path,
                              TcAccount           *changed,
                              const char          *removed_id,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, callback, user_data);
  UpdateData *data = g_new0 (UpdateData, 1);

  data->path = g_strdup (path);
  /* A copy of its own: the thread reads it while the caller's may change. */
  data->changed = changed != NULL ? tc_account_copy (changed) : NULL;
  data->removed_id = g_strdup (removed_id);
  g_task_set_source_tag (task, tc_account_file_update_async);
  g_task_set_task_data (task, data, (GDestroyNotify) update_data_free);
  g_task_run_in_thread (task, update_thread);
}

/**
 * tc_account_file_update_finish:
 *
 * Returns: (transfer full) (element-type TcAccount): what the file holds now, the other
 *   copies' changes included, or %NULL with the reason
 */
GPtrArray *
tc_account_file_update_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_account_file_update_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
