/* tc-account-store-follow.c: the store follows accounts.json when another copy changes it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A stable and a development build of Imprint installed side by side share
 * $XDG_CONFIG_HOME/imprint/accounts.json, so the file can change under the store. Every write
 * of the store reads the file again and the list then shows what it holds
 * (tc_account_store_sync_with_file()); between writes, a file monitor reads it again after
 * the other copy's change. Such a read runs beside the store's own operations, not in their
 * queue, so it must not undo them: a generation counter, bumped by every operation that set
 * the list from the file, tells a read that began before one of them to drop what it read.
 */
#include "config.h"

#include "tc-account-file.h"
#include "tc-account-store-private.h"

/* Bringing the list in line with the file */

static gboolean
same_settings (TcAccount *a,
               TcAccount *b)
{
  return g_strcmp0 (tc_account_get_name (a), tc_account_get_name (b)) == 0 &&
         g_strcmp0 (tc_account_get_secret_id (a), tc_account_get_secret_id (b)) == 0 &&
         g_strcmp0 (tc_account_get_region (a), tc_account_get_region (b)) == 0 &&
         tc_account_get_protocol (a) == tc_account_get_protocol (b) &&
         g_strcmp0 (tc_account_get_endpoint (a), tc_account_get_endpoint (b)) == 0 &&
         g_strcmp0 (tc_account_get_legacy_cvm_endpoint (a),
                    tc_account_get_legacy_cvm_endpoint (b)) == 0 &&
         g_strcmp0 (tc_account_get_legacy_image_endpoint (a),
                    tc_account_get_legacy_image_endpoint (b)) == 0;
}

/* Brings the list in line with @accounts, what the file holds now, which another copy of
 * Imprint may have changed. Only what differs changes, and accounts that stay keep their
 * objects, so views and the window's current account follow. */
void
tc_account_store_sync_with_file (TcAccountStore *self,
                                 GPtrArray      *accounts)
{
  g_autoptr(GHashTable) on_disk = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < accounts->len; i++) {
    TcAccount *account = g_ptr_array_index (accounts, i);

    g_hash_table_insert (on_disk, (gpointer) tc_account_get_id (account), account);
  }

  for (guint i = self->accounts->len; i > 0; i--) {
    g_autofree char *id = g_strdup (tc_account_get_id (g_ptr_array_index (self->accounts, i - 1)));

    if (!g_hash_table_contains (on_disk, id))
      tc_account_store_apply_remove (self, id);
  }

  for (guint i = 0; i < accounts->len; i++) {
    TcAccount *account = g_ptr_array_index (accounts, i);
    TcAccount *saved = g_hash_table_lookup (self->saved, tc_account_get_id (account));

    if (saved == NULL || !same_settings (saved, account))
      tc_account_store_apply_save (self, account);
  }
}

/* Reading the file again after another copy changed it */

/* Unlike a write's read, this one takes a missing file for no news (NULL without an
 * error), not for an empty list: neither build deletes the file, so it is only away for a
 * moment, renamed by an editor's backup or a sync tool, and taking it for "no accounts"
 * would close every window's account, and the form typed in it. */
static void
follow_read_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GError *error = NULL;
  gboolean missing = FALSE;
  g_autoptr(GPtrArray) accounts = tc_account_file_read (task_data, &missing, &error);

  if (accounts == NULL)
    g_task_return_error (task, error);
  else if (missing)
    g_task_return_pointer (task, NULL, NULL);
  else
    g_task_return_pointer (task, g_steal_pointer (&accounts), (GDestroyNotify) g_ptr_array_unref);
}

typedef struct {
  GWeakRef store;
  guint    generation;
} Refresh;

static void refresh (TcAccountStore *self);

/* The read holds no reference: a store nobody uses any more does not wait for it. */
static void
refresh_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Refresh *data = user_data;
  g_autoptr(TcAccountStore) self = g_weak_ref_get (&data->store);
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;

  accounts = g_task_propagate_pointer (G_TASK (result), &error);
  if (self != NULL) {
    self->refreshing = FALSE;
    /* A file that cannot be read now keeps the list as it is; saving reports it. A
     * missing one too: when it comes back, its return is a change followed in turn. An
     * operation that ran meanwhile read the file itself, later than this. */
    if (error != NULL)
      g_debug ("Not following a change of %s: %s", self->path, error->message);
    else if (accounts == NULL)
      g_debug ("%s is missing: the accounts stay until it is back", self->path);
    else if (self->current == NULL && data->generation == self->generation)
      tc_account_store_sync_with_file (self, accounts);
    if (self->refresh_again) {
      self->refresh_again = FALSE;
      refresh (self);
    }
  }

  g_weak_ref_clear (&data->store);
  g_free (data);
}

static void
refresh (TcAccountStore *self)
{
  g_autoptr(GTask) task = NULL;
  Refresh *data;

  if (self->refreshing) {
    self->refresh_again = TRUE;
    return;
  }

  self->refreshing = TRUE;
  data = g_new0 (Refresh, 1);
  g_weak_ref_init (&data->store, self);
  data->generation = self->generation;
  /* No source object: as for tc_account_file_read_async(), the worker thread's reference
   * must not be the last one. */
  task = g_task_new (NULL, NULL, refresh_read_cb, data);
  g_task_set_source_tag (task, refresh);
  g_task_set_task_data (task, g_strdup (self->path), g_free);
  g_task_run_in_thread (task, follow_read_thread);
}

static void
file_changed_cb (GFileMonitor      *monitor,
                 GFile             *file,
                 GFile             *other_file,
                 GFileMonitorEvent  event,
                 TcAccountStore    *self)
{
  /* A write by another copy ends in a rename over the file; a change in place (by hand)
   * ends with CHANGES_DONE_HINT. Half-written states are not worth a read. */
  switch (event) {
  case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
  case G_FILE_MONITOR_EVENT_CREATED:
  case G_FILE_MONITOR_EVENT_DELETED:
  case G_FILE_MONITOR_EVENT_MOVED_IN:
  case G_FILE_MONITOR_EVENT_MOVED_OUT:
  case G_FILE_MONITOR_EVENT_RENAMED:
    refresh (self);
    break;
  case G_FILE_MONITOR_EVENT_CHANGED:
  case G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED:
  case G_FILE_MONITOR_EVENT_PRE_UNMOUNT:
  case G_FILE_MONITOR_EVENT_UNMOUNTED:
  case G_FILE_MONITOR_EVENT_MOVED:
  default:
    break;
  }
}

/* Once the file has been read: before, there is no list to keep in line. */
void
tc_account_store_watch_file (TcAccountStore *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (self->monitor != NULL)
    return;

  file = g_file_new_for_path (self->path);
  self->monitor = g_file_monitor_file (file, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);
  if (self->monitor == NULL) {
    g_debug ("Cannot follow changes of %s: %s", self->path, error->message);
    return;
  }
  g_signal_connect (self->monitor, "changed", G_CALLBACK (file_changed_cb), self);
}


/* Stops following the file (the store's dispose). */
void
tc_account_store_unwatch_file (TcAccountStore *self)
{
  if (self->monitor == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_file_monitor_cancel (self->monitor);
  g_clear_object (&self->monitor);
}

/* An operation of the store has just set the list from the file: a read after a change on
 * disk that began before it saw older contents and drops them. */
void
tc_account_store_drop_older_refreshes (TcAccountStore *self)
{
  self->generation++;
}
