/* tc-history-store.c: TcHistory, the list model over the history database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading is tc-history-rows.c: the rows of the reader's snapshot, a page at a time, and
 * the overlay of the changes not in it yet.
 *
 * Writing. Every change is made in the model at once and then handed to one worker thread
 * (a GThreadPool of one) that owns the writing connection and commits each change, synced,
 * before its callback says it is durable (tc-history-db.c). Until then the change lies over
 * the snapshot: entries added but not in it ("extras", shown where their time puts them),
 * ids removed but still in it ("hidden"), or a clear (the whole snapshot hidden). Once no
 * write is in flight, the snapshot is taken again and what it now holds leaves the overlay,
 * without moving a row. A write that fails stays in the overlay: what the user sees is
 * kept in memory. Only another program's writes (the other build) change the count behind
 * our back; they are shown as one items-changed over everything, at the next snapshot.
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "tc-history-store-private.h"

#define CREATING   G_STRINGIFY (3)   /* TC_HISTORY_OUTCOME_CREATING, in SQL */

G_STATIC_ASSERT (TC_HISTORY_OUTCOME_CREATING == 3);

/* Jobs for the worker */

typedef enum {
  JOB_LOAD,
  JOB_PUT,
  JOB_DELETE,
  JOB_CLEAR,
  JOB_EXPIRE,
  JOB_FLUSH,
  JOB_MAX_PAGES,
} JobKind;

typedef struct {
  JobKind    kind;
  EntryData  data;       /* PUT: a snapshot; DELETE: data.id */
  gint64     cutoff;     /* LOAD, EXPIRE: entries created before are removed */
  guint      max_pages;  /* MAX_PAGES */
  GTask     *task;       /* without a source object: see job_new() */
  GTask     *outer;      /* the caller's task (not a reference: task holds one) */
} Job;

typedef struct {
  char      *notice;
  char      *set_aside;
  guint      n_unreadable;
  gboolean   replaced;   /* a damaged file was set aside after the first rows were shown */
} LoadResult;

static void
load_result_free (LoadResult *result)
{
  g_free (result->notice);
  g_free (result->set_aside);
  g_free (result);
}

static gboolean opened_cb (gpointer data);

/* An idle on the caller's context, never g_main_context_invoke(): that would call it right
 * here, on the worker, whenever the main thread is between iterations. */
static void
post_opened (GTask *outer)
{
  GSource *idle = g_idle_source_new ();

  g_source_set_priority (idle, G_PRIORITY_DEFAULT);
  g_source_set_callback (idle, opened_cb, g_object_ref (outer), g_object_unref);
  g_source_attach (idle, g_task_get_context (outer));
  g_source_unref (idle);
}

static void
run_job (gpointer data,
         gpointer user_data)
{
  Job *job = data;
  HistoryDb *db = user_data;
  GError *error = NULL;
  gboolean ok = TRUE;

  switch (job->kind) {
  case JOB_LOAD: {
    LoadResult *result;
    gboolean was_damaged;

    if (!history_db_open (db, &error) ||
        (job->cutoff != G_MININT64 && !history_db_expire (db, job->cutoff, &error))) {
      g_task_return_error (job->task, error);
      break;
    }
    /* The first rows go on screen now; the whole file is checked meanwhile. */
    was_damaged = history_db_was_set_aside (db);
    post_opened (job->outer);
    if (!history_db_verify (db, &error)) {
      g_task_return_error (job->task, error);
      break;
    }
    result = g_new0 (LoadResult, 1);
    result->notice = history_db_steal_notice (db);
    result->set_aside = g_strdup (history_db_get_set_aside_path (db));
    result->n_unreadable = history_db_get_unreadable_count (db);
    result->replaced = history_db_was_set_aside (db) && !was_damaged;
    g_task_return_pointer (job->task, result, (GDestroyNotify) load_result_free);
    break;
  }
  case JOB_PUT:
    ok = history_db_put (db, &job->data, &error);
    break;
  case JOB_DELETE:
    ok = history_db_delete (db, job->data.id, &error);
    break;
  case JOB_CLEAR:
    ok = history_db_clear (db, &error);
    break;
  case JOB_EXPIRE:
    ok = history_db_expire (db, job->cutoff, &error);
    break;
  case JOB_MAX_PAGES:
    if (history_db_open (db, NULL))
      history_db_set_max_pages (db, job->max_pages);
    break;
  case JOB_FLUSH:
  default:
    break;
  }
  if (job->kind != JOB_LOAD) {
    if (ok)
      g_task_return_boolean (job->task, TRUE);
    else
      g_task_return_error (job->task, error);
  }

  entry_data_clear (&job->data);
  g_clear_object (&job->task);
  g_free (job);
}

/* TcHistory */

G_DEFINE_FINAL_TYPE_WITH_CODE (TcHistory, tc_history, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      history_rows_list_model_init))

enum {
  PROP_0,
  PROP_PATH,
  PROP_TEMPORARY,
  PROP_PROBLEM,
  PROP_UNREADABLE_COUNT,
  PROP_LOADED,
  PROP_RETENTION_DAYS,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* GObject */

static void
tc_history_constructed (GObject *object)
{
  TcHistory *self = TC_HISTORY (object);

  G_OBJECT_CLASS (tc_history_parent_class)->constructed (object);

  if (self->temporary) {
    /* In the user's runtime folder (a tmpfs, private to the user), gone with the object. */
    g_autofree char *dir = g_build_filename (g_get_user_runtime_dir (), "imprint-demo-XXXXXX",
                                             NULL);

    if (g_mkdtemp_full (dir, 0700) == NULL)
      g_warning ("Could not make a folder for the demo's history: %s", g_strerror (errno));
    self->file = g_build_filename (dir, "history.db", NULL);
  } else {
    if (self->path == NULL)
      self->path = g_build_filename (g_get_user_data_dir (), "imprint", "history.db", NULL);
    self->file = g_strdup (self->path);
  }

  self->db = history_db_new (self->file);
  /* One thread of its own, started now: the writes stay in order, the connection on one
   * thread, and the load starts at once. */
  self->pool = g_thread_pool_new (run_job, self->db, 1, TRUE, NULL);
}

static void
tc_history_finalize (GObject *object)
{
  TcHistory *self = TC_HISTORY (object);

  /* Every job's task holds a reference on the history until its callback ran, so the
   * queue is empty. */
  g_thread_pool_free (self->pool, FALSE, TRUE);
  g_clear_handle_id (&self->tail_id, g_source_remove);
  history_rows_index_snapshot (self, FALSE);
  g_clear_pointer (&self->reader, sqlite3_close_v2);
  history_db_free (self->db);

  if (self->temporary) {
    g_autofree char *dir = g_path_get_dirname (self->file);
    const char *suffixes[] = { "", "-wal", "-shm" };

    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++) {
      g_autofree char *file = g_strconcat (self->file, suffixes[i], NULL);

      g_unlink (file);
    }
    g_rmdir (dir);
  }

  history_rows_forget_live (self);
  g_hash_table_unref (self->pages);
  g_hash_table_unref (self->kept);
  g_hash_table_unref (self->live);
  g_ptr_array_unref (self->extras);
  g_hash_table_unref (self->hidden);
  g_clear_pointer (&self->events, g_array_unref);
  g_free (self->search);
  g_free (self->path);
  g_free (self->file);
  g_free (self->problem);
  g_free (self->notice);
  g_free (self->corrupt_copy);

  G_OBJECT_CLASS (tc_history_parent_class)->finalize (object);
}

static void
tc_history_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  TcHistory *self = TC_HISTORY (object);

  switch (prop_id) {
  case PROP_PATH:
    g_value_set_string (value, self->path);
    break;
  case PROP_TEMPORARY:
    g_value_set_boolean (value, self->temporary);
    break;
  case PROP_PROBLEM:
    g_value_set_string (value, self->problem);
    break;
  case PROP_UNREADABLE_COUNT:
    g_value_set_uint (value, self->n_unreadable);
    break;
  case PROP_LOADED:
    g_value_set_boolean (value, self->loaded);
    break;
  case PROP_RETENTION_DAYS:
    g_value_set_uint (value, self->retention_days);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tc_history_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  TcHistory *self = TC_HISTORY (object);

  switch (prop_id) {
  case PROP_PATH:
    self->path = g_value_dup_string (value);
    break;
  case PROP_TEMPORARY:
    self->temporary = g_value_get_boolean (value);
    break;
  case PROP_RETENTION_DAYS:
    tc_history_set_retention_days (self, g_value_get_uint (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tc_history_class_init (TcHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = tc_history_constructed;
  object_class->finalize = tc_history_finalize;
  object_class->get_property = tc_history_get_property;
  object_class->set_property = tc_history_set_property;

  props[PROP_PATH] = g_param_spec_string ("path", NULL, NULL, NULL, construct);
  props[PROP_TEMPORARY] = g_param_spec_boolean ("temporary", NULL, NULL, FALSE, construct);
  props[PROP_PROBLEM] = g_param_spec_string ("problem", NULL, NULL, NULL, ro);
  props[PROP_UNREADABLE_COUNT] =
    g_param_spec_uint ("unreadable-count", NULL, NULL, 0, G_MAXUINT, 0, ro);
  props[PROP_LOADED] = g_param_spec_boolean ("loaded", NULL, NULL, FALSE, ro);
  props[PROP_RETENTION_DAYS] =
    g_param_spec_uint ("retention-days", NULL, NULL, 0, G_MAXUINT / 2, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
tc_history_init (TcHistory *self)
{
  self->cutoff = G_MININT64;
  self->n_snapshot = G_MAXUINT;
  self->n_all = G_MAXUINT;
  self->live = g_hash_table_new (g_str_hash, g_str_equal);
  self->kept = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->extras = g_ptr_array_new_with_free_func (g_object_unref);
  self->hidden = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * tc_history_new:
 * @path: (nullable): the database, or %NULL for `$XDG_DATA_HOME/imprint/history.db`
 *
 * Returns: (transfer full): an empty history; call tc_history_load_async() to read it
 */
TcHistory *
tc_history_new (const char *path)
{
  return g_object_new (TC_TYPE_HISTORY, "path", path, NULL);
}

/**
 * tc_history_new_temporary:
 *
 * Returns: (transfer full): an empty history that is gone with the object
 */
TcHistory *
tc_history_new_temporary (void)
{
  return g_object_new (TC_TYPE_HISTORY, "temporary", TRUE, NULL);
}

/**
 * tc_history_get_path:
 *
 * Returns: (transfer none) (nullable): the database file; %NULL for a temporary history
 */
const char *
tc_history_get_path (TcHistory *self)
{
  g_return_val_if_fail (TC_IS_HISTORY (self), NULL);
  return self->path;
}

static void
set_problem (TcHistory  *self,
             const char *problem)
{
  if (g_strcmp0 (self->problem, problem) == 0)
    return;
  g_free (self->problem);
  self->problem = g_strdup (problem);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PROBLEM]);
}

/* Jobs */

static void write_done_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data);

/* The worker must never drop the last reference to the history: finalizing it there
 * would wait for the worker itself. So the job's task has no source object; it carries
 * the caller's task (which has) to @done, on this thread. */
static Job *
job_new (TcHistory           *self,
         JobKind              kind,
         GTask               *task,
         const EntryData     *data,
         GAsyncReadyCallback  done)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  if (data != NULL)
    entry_data_copy (&job->data, data);
  job->cutoff = self->cutoff;
  job->task = g_task_new (NULL, NULL, done ? done : write_done_cb, g_object_ref (task));
  job->outer = task;
  g_task_set_source_tag (job->task, job_new);
  if (kind != JOB_LOAD && kind != JOB_FLUSH && kind != JOB_MAX_PAGES)
    self->n_writes++;
  return job;
}

static void
push_job (TcHistory           *self,
          JobKind              kind,
          GTask               *task,
          const EntryData     *data,
          GAsyncReadyCallback  done)
{
  g_thread_pool_push (self->pool, job_new (self, kind, task, data, done), NULL);
}

static void
write_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TcHistory *self = g_task_get_source_object (task);
  gpointer tag = g_task_get_source_tag (task);
  GError *error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);

  if (tag != tc_history_flush_async && tag != tc_history_set_max_pages) {
    self->n_writes--;
    /* A clear is written (or failed, and what the file holds shows again). */
    if (tag == tc_history_clear_async)
      self->cleared = FALSE;
    if (self->n_writes == 0 || tag == tc_history_clear_async)
      history_rows_refresh (self, FALSE);
    if (ok)
      set_problem (self, NULL);
  }
  if (!ok) {
    set_problem (self, error->message);
    g_task_return_error (task, error);
    return;
  }
  g_task_return_boolean (task, TRUE);
}

static GTask *
task_new (TcHistory           *self,
          gpointer             tag,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, tag);
  return task;
}

static gboolean
task_finish (TcHistory     *self,
             GAsyncResult  *result,
             gpointer       tag,
             GError       **error)
{
  g_return_val_if_fail (TC_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Loading */

static gboolean
opened_cb (gpointer data)
{
  GTask *task = data;
  TcHistory *self = g_task_get_source_object (task);

  if (!g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    history_rows_open_reader (self);
  return G_SOURCE_REMOVE;
}

static void
load_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TcHistory *self = g_task_get_source_object (task);
  LoadResult *loaded;
  GError *error = NULL;

  loaded = g_task_propagate_pointer (G_TASK (result), &error);
  if (loaded == NULL) {
    g_task_return_error (task, error);
    return;
  }
  if (g_task_return_error_if_cancelled (task)) {
    load_result_free (loaded);
    return;
  }

  /* The file shown was damaged: what could be read of it is in a fresh one now. */
  if (loaded->replaced || self->reader == NULL)
    history_rows_open_reader (self);
  history_rows_loaded (self);

  g_free (self->notice);
  self->notice = g_steal_pointer (&loaded->notice);
  g_free (self->corrupt_copy);
  self->corrupt_copy = g_steal_pointer (&loaded->set_aside);
  if (self->n_unreadable != loaded->n_unreadable) {
    self->n_unreadable = loaded->n_unreadable;
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_UNREADABLE_COUNT]);
  }
  if (!self->loaded) {
    self->loaded = TRUE;
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LOADED]);
  }

  load_result_free (loaded);
  g_task_return_boolean (task, TRUE);
}

void
tc_history_load_async (TcHistory           *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TC_IS_HISTORY (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = task_new (self, tc_history_load_async, cancellable, callback, user_data);
  push_job (self, JOB_LOAD, task, NULL, load_done_cb);
}

gboolean
tc_history_load_finish (TcHistory     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  return task_finish (self, result, tc_history_load_async, error);
}

gboolean
tc_history_is_loaded (TcHistory *self)
{
  g_return_val_if_fail (TC_IS_HISTORY (self), FALSE);
  return self->loaded;
}

/* Entries */

static TcHistoryEntry *
find_extra (TcHistory  *self,
            const char *id)
{
  for (guint i = 0; i < self->extras->len; i++) {
    if (g_str_equal (tc_history_entry_get_id (self->extras->pdata[i]), id))
      return self->extras->pdata[i];
  }
  return NULL;
}

static void
keep (TcHistory      *self,
      TcHistoryEntry *entry)
{
  g_hash_table_replace (self->kept, g_strdup (tc_history_entry_get_id (entry)),
                        g_object_ref (entry));
}

/**
 * tc_history_find_by_id:
 *
 * Returns: (transfer none) (nullable): the stored entry with this id; it stays with the
 *   history until removed
 */
TcHistoryEntry *
tc_history_find_by_id (TcHistory  *self,
                       const char *id)
{
  g_autoptr(TcHistoryEntry) entry = NULL;
  TcHistoryEntry *extra;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TC_IS_HISTORY (self), NULL);

  if (id == NULL)
    return NULL;
  extra = find_extra (self, id);
  if (extra != NULL)
    return extra;
  if (self->cleared || g_hash_table_contains (self->hidden, id))
    return NULL;

  stmt = history_rows_query (self, "SELECT " HISTORY_DB_COLUMNS " FROM entries WHERE id = ?3 AND SHOWN");
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 3, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    entry = history_rows_entry_for_row (self, stmt);
  sqlite3_finalize (stmt);
  if (entry == NULL)
    return NULL;
  keep (self, entry);
  return entry;
}

/**
 * tc_history_list_unfinished:
 *
 * Returns: (transfer container) (element-type TcHistoryEntry): every entry whose image is
 *   still being made, whatever the search
 */
GPtrArray *
tc_history_list_unfinished (TcHistory *self)
{
  GPtrArray *list = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  GHashTableIter iter;
  gpointer value;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TC_IS_HISTORY (self), list);

  /* What this session added or changed (maybe not written yet), then the file's. */
  g_hash_table_iter_init (&iter, self->kept);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    g_hash_table_add (seen, value);
    if (tc_history_entry_get_outcome (value) == TC_HISTORY_OUTCOME_CREATING)
      g_ptr_array_add (list, g_object_ref (value));
  }
  stmt = self->cleared ? NULL : history_rows_query (self, "SELECT " HISTORY_DB_COLUMNS " FROM entries "
                                       "WHERE outcome = " CREATING " AND SHOWN");
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW) {
    TcHistoryEntry *entry = history_rows_entry_for_row (self, stmt);

    if (!g_hash_table_contains (seen, entry) &&
        !g_hash_table_contains (self->hidden, tc_history_entry_get_id (entry)) &&
        tc_history_entry_get_outcome (entry) == TC_HISTORY_OUTCOME_CREATING)
      g_ptr_array_add (list, entry);
    else
      g_object_unref (entry);
  }
  sqlite3_finalize (stmt);
  return list;
}

void
tc_history_add_async (TcHistory           *self,
                      TcHistoryEntry      *entry,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  gint64 created;
  guint index = 0, position;

  g_return_if_fail (TC_IS_HISTORY (self));
  g_return_if_fail (TC_IS_HISTORY_ENTRY (entry));
  g_return_if_fail (!tc_history_entry_is_sealed (entry));
  g_return_if_fail (tc_history_find_by_id (self, tc_history_entry_get_id (entry)) == NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = task_new (self, tc_history_add_async, cancellable, callback, user_data);
  history_rows_announce_tail (self);

  /* Newest first; of the same time, the later addition first. */
  created = tc_history_entry_get_data (entry)->created;
  while (index < self->extras->len &&
         tc_history_entry_get_data (self->extras->pdata[index])->created > created)
    index++;
  tc_history_entry_seal (entry);
  g_ptr_array_insert (self->extras, (int) index, g_object_ref (entry));
  history_rows_make_live (self, entry);
  keep (self, entry);
  history_rows_invalidate (self);
  if (history_rows_position_of (self, entry, &position))
    g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);

  push_job (self, JOB_PUT, task, tc_history_entry_get_data (entry), NULL);
}

gboolean
tc_history_add_finish (TcHistory     *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  return task_finish (self, result, tc_history_add_async, error);
}

static GError *
not_found_error_new (void)
{
  return g_error_new_literal (TC_HISTORY_ERROR, TC_HISTORY_ERROR_NOT_FOUND,
                              _("This history entry has been removed."));
}

void
tc_history_update_async (TcHistory           *self,
                         TcHistoryEntry      *changes,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TcHistoryEntry *stored;
  guint position;

  g_return_if_fail (TC_IS_HISTORY (self));
  g_return_if_fail (TC_IS_HISTORY_ENTRY (changes));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = task_new (self, tc_history_update_async, cancellable, callback, user_data);
  history_rows_announce_tail (self);

  stored = tc_history_find_by_id (self, tc_history_entry_get_id (changes));
  if (stored == NULL) {
    g_task_return_error (task, not_found_error_new ());
    return;
  }

  /* The same object, so rows bound to it follow; items-changed too, so a view looks at
   * it again. */
  if (tc_history_entry_take_changes (stored, changes) && history_rows_position_of (self, stored, &position))
    g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);

  push_job (self, JOB_PUT, task, tc_history_entry_get_data (stored), NULL);
}

gboolean
tc_history_update_finish (TcHistory     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return task_finish (self, result, tc_history_update_async, error);
}

void
tc_history_remove_async (TcHistory           *self,
                         TcHistoryEntry      *entry,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *id = NULL;
  guint position;
  gboolean shown;

  g_return_if_fail (TC_IS_HISTORY (self));
  g_return_if_fail (TC_IS_HISTORY_ENTRY (entry));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = task_new (self, tc_history_remove_async, cancellable, callback, user_data);
  history_rows_announce_tail (self);

  id = g_strdup (tc_history_entry_get_id (entry));
  if (tc_history_find_by_id (self, id) != entry) {
    g_task_return_error (task, not_found_error_new ());
    return;
  }

  shown = history_rows_position_of (self, entry, &position);
  if (!g_ptr_array_remove (self->extras, entry))
    g_hash_table_add (self->hidden, g_strdup (id));
  g_hash_table_remove (self->kept, id);
  history_rows_invalidate (self);
  if (shown)
    g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);

  push_job (self, JOB_DELETE, task, &(EntryData) { .id = id }, NULL);
}

gboolean
tc_history_remove_finish (TcHistory     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return task_finish (self, result, tc_history_remove_async, error);
}

void
tc_history_clear_async (TcHistory           *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  guint old_n;

  g_return_if_fail (TC_IS_HISTORY (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = task_new (self, tc_history_clear_async, cancellable, callback, user_data);
  history_rows_announce_tail (self);

  old_n = history_rows_get_n_items (G_LIST_MODEL (self));
  self->cleared = TRUE;
  g_ptr_array_set_size (self->extras, 0);
  g_hash_table_remove_all (self->hidden);
  g_hash_table_remove_all (self->kept);
  history_rows_forget_rows (self);
  if (old_n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, 0);

  push_job (self, JOB_CLEAR, task, NULL, NULL);
}

gboolean
tc_history_clear_finish (TcHistory     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return task_finish (self, result, tc_history_clear_async, error);
}

void
tc_history_flush_async (TcHistory           *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TC_IS_HISTORY (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = task_new (self, tc_history_flush_async, cancellable, callback, user_data);
  push_job (self, JOB_FLUSH, task, NULL, NULL);
}

gboolean
tc_history_flush_finish (TcHistory     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return task_finish (self, result, tc_history_flush_async, error);
}

/* Searching */

/**
 * tc_history_set_search:
 * @text: (nullable): what the user typed; %NULL or spaces: every entry
 *
 * From now on the model lists only the entries @text is found in (see
 * tc_history_entry_matches()), in one items-changed.
 */
void
tc_history_set_search (TcHistory  *self,
                       const char *text)
{
  g_autofree char *folded = tc_history_fold_search (text);
  guint old_n, n_all;

  g_return_if_fail (TC_IS_HISTORY (self));

  if (g_strcmp0 (folded, self->search) == 0)
    return;
  history_rows_announce_tail (self);
  old_n = history_rows_get_n_items (G_LIST_MODEL (self));
  n_all = self->search == NULL ? self->n_snapshot : self->n_all;
  g_free (self->search);
  self->search = g_steal_pointer (&folded);
  history_rows_forget_rows (self);
  self->n_all = n_all;   /* the same snapshot */
  if (self->search == NULL)
    self->n_snapshot = n_all;
  history_rows_replace_all (self, old_n, history_rows_get_n_items (G_LIST_MODEL (self)));
}

/* How many entries there are, whatever the search. */
guint
tc_history_get_n_entries (TcHistory *self)
{
  g_autofree char *search = NULL;
  g_autoptr(GArray) events = NULL;
  guint n_items, n_snapshot, n;

  g_return_val_if_fail (TC_IS_HISTORY (self), 0);

  if (self->search == NULL)
    return history_rows_get_n_items (G_LIST_MODEL (self));
  history_rows_ensure_events (self);
  search = g_steal_pointer (&self->search);
  events = g_steal_pointer (&self->events);
  n_items = self->n_items;
  n_snapshot = self->n_snapshot;
  self->n_snapshot = self->n_all;
  history_rows_ensure_events (self);
  n = self->n_items;
  self->n_all = self->n_snapshot;
  history_rows_invalidate (self);
  self->search = g_steal_pointer (&search);
  self->events = g_steal_pointer (&events);
  self->n_items = n_items;
  self->n_snapshot = n_snapshot;
  return n;
}

/* What the last load said */

guint
tc_history_get_unreadable_count (TcHistory *self)
{
  g_return_val_if_fail (TC_IS_HISTORY (self), 0);
  return self->n_unreadable;
}

/**
 * tc_history_get_corrupt_copy_path:
 *
 * Returns: (transfer none) (nullable): where the last load set a damaged file aside
 */
const char *
tc_history_get_corrupt_copy_path (TcHistory *self)
{
  g_return_val_if_fail (TC_IS_HISTORY (self), NULL);
  return self->corrupt_copy;
}

/**
 * tc_history_dup_unreadable_message:
 *
 * Returns: (transfer full) (nullable): a translated sentence saying what the last load
 *   set aside, or %NULL when nothing
 */
char *
tc_history_dup_unreadable_message (TcHistory *self)
{
  g_return_val_if_fail (TC_IS_HISTORY (self), NULL);
  return g_strdup (self->notice);
}

/**
 * tc_history_get_problem:
 *
 * Returns: (transfer none) (nullable): why the last write failed, for the user
 */
const char *
tc_history_get_problem (TcHistory *self)
{
  g_return_val_if_fail (TC_IS_HISTORY (self), NULL);
  return self->problem;
}

/* Retention */

guint
tc_history_get_retention_days (TcHistory *self)
{
  g_return_val_if_fail (TC_IS_HISTORY (self), 0);
  return self->retention_days;
}

void
tc_history_set_retention_days (TcHistory *self,
                               guint      days)
{
  guint old_n, n;

  g_return_if_fail (TC_IS_HISTORY (self));

  days = MIN (days, G_MAXUINT / 2);
  if (self->retention_days == days)
    return;
  self->retention_days = days;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RETENTION_DAYS]);
  if (days == 0)
    return;   /* what is gone stays gone */

  /* The oldest entries leave the end of the model now, and the file soon. */
  history_rows_announce_tail (self);
  old_n = history_rows_get_n_items (G_LIST_MODEL (self));
  self->cutoff = g_get_real_time () - (gint64) days * 24 * 3600 * G_USEC_PER_SEC;
  history_rows_forget_rows (self);
  n = history_rows_get_n_items (G_LIST_MODEL (self));
  if (n < old_n)
    g_list_model_items_changed (G_LIST_MODEL (self), n, old_n - n, 0);
  if (self->loaded) {
    g_autoptr(GTask) task = task_new (self, tc_history_set_retention_days, NULL, NULL, NULL);

    push_job (self, JOB_EXPIRE, task, NULL, NULL);
  }
}

void
tc_history_set_max_pages (TcHistory *self,
                          guint      max_pages)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (TC_IS_HISTORY (self));

  task = task_new (self, tc_history_set_max_pages, NULL, NULL, NULL);
  job = job_new (self, JOB_MAX_PAGES, task, NULL, NULL);
  job->max_pages = max_pages;
  g_thread_pool_push (self->pool, job, NULL);
}
