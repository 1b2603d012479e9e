/* tc-history-store.c: TcHistory, the list model over the history database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The model lives on the main thread: an array of entries, oldest first (position p of
 * the model is index len - 1 - p), and a table by id. Every change is made there at once
 * and then handed to one worker thread (a GThreadPool of one), which owns the database
 * connection and runs the writes in the order they were asked for, each committed and
 * synced before its callback says it is durable (tc-history-db.c). So the UI thread never
 * waits for the disk, and the model is what the user sees even when the disk refuses.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "tc-history-private.h"

/* The newest entries, read and shown first, so the view has rows before the rest is
 * read. */
#define FIRST_PAGE 200

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
  GTask     *task;       /* without a source object: see push_job() */
  GTask     *outer;      /* LOAD: the caller's task (not a reference: task holds one) */
} Job;

typedef struct {
  GPtrArray  *entries;   /* TcHistoryEntry, oldest first */
  GHashTable *by_id;
  char       *notice;
  char       *set_aside;
  guint       n_unreadable;
} LoadResult;

static void
load_result_free (LoadResult *result)
{
  g_clear_pointer (&result->entries, g_ptr_array_unref);
  g_clear_pointer (&result->by_id, g_hash_table_unref);
  g_free (result->notice);
  g_free (result->set_aside);
  g_free (result);
}

static LoadResult *
load (HistoryDb  *db,
      gint64      cutoff,
      guint       offset,
      int         limit,
      GError    **error)
{
  g_autoptr(GPtrArray) rows = history_db_load (db, cutoff, offset, limit, error);
  LoadResult *result;

  if (rows == NULL)
    return NULL;

  result = g_new0 (LoadResult, 1);
  result->entries = g_ptr_array_new_full (rows->len, g_object_unref);
  result->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < rows->len; i++) {
    TcHistoryEntry *entry = tc_history_entry_new_stored (g_ptr_array_index (rows, i));
    const char *id = tc_history_entry_get_id (entry);

    g_ptr_array_add (result->entries, entry);
    g_hash_table_insert (result->by_id, (gpointer) id, entry);
  }
  result->notice = history_db_steal_notice (db);
  result->set_aside = g_strdup (history_db_get_set_aside_path (db));
  result->n_unreadable = history_db_get_unreadable_count (db);
  return result;
}

typedef struct {
  GTask      *outer;
  LoadResult *result;
  GPtrArray  *copies;   /* EntryData of the first page, as read */
} FirstPage;

static void
first_page_free (gpointer data)
{
  FirstPage *page = data;

  g_object_unref (page->outer);
  g_ptr_array_unref (page->copies);
  if (page->result != NULL)
    load_result_free (page->result);
  g_free (page);
}

static gboolean first_page_cb (gpointer data);

static void
run_job (gpointer data,
         gpointer user_data)
{
  Job *job = data;
  HistoryDb *db = user_data;
  GPtrArray *copies = NULL;
  GError *error = NULL;
  gboolean ok = TRUE;

  switch (job->kind) {
  case JOB_LOAD: {
    g_autoptr(GPtrArray) readable = g_ptr_array_new ();   /* EntryData, borrowed */
    LoadResult *first = load (db, job->cutoff, 0, FIRST_PAGE, &error);
    LoadResult *result = first;

    /* A full first page: show it now (on the main thread), then read the rest. Its data
     * is kept until the file is checked, in case it must be carried over. */
    if (first != NULL && first->entries->len == FIRST_PAGE && job->outer != NULL) {
      FirstPage *page = g_new0 (FirstPage, 1);

      page->outer = g_object_ref (job->outer);
      page->result = first;
      page->copies = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_data_free);
      for (guint i = 0; i < first->entries->len; i++) {
        EntryData *copy = g_new0 (EntryData, 1);

        entry_data_copy (copy, tc_history_entry_get_data (first->entries->pdata[i]));
        g_ptr_array_add (page->copies, copy);
        g_ptr_array_add (readable, copy);
      }
      copies = g_ptr_array_ref (page->copies);
      /* An idle on the caller's context, never g_main_context_invoke(): that would call
       * it right here, on this thread, whenever the main thread is between iterations. */
      {
        GSource *idle = g_idle_source_new ();

        g_source_set_priority (idle, G_PRIORITY_DEFAULT);
        g_source_set_callback (idle, first_page_cb, page, first_page_free);
        g_source_attach (idle, g_task_get_context (job->outer));
        g_source_unref (idle);
      }
      result = load (db, job->cutoff, FIRST_PAGE, -1, &error);
    }
    {
      GError *verify_error = NULL;

      for (guint i = 0; result != NULL && i < result->entries->len; i++)
        g_ptr_array_add (readable, tc_history_entry_get_data (result->entries->pdata[i]));
      /* The whole file is checked now; a damaged one is set aside, and what could be read
       * of it goes into a fresh one. */
      if (!history_db_verify (db, readable, &verify_error)) {
        if (result == NULL) {
          g_clear_error (&error);
          error = verify_error;
        } else {
          g_clear_error (&verify_error);
        }
      } else if (result == NULL && history_db_was_set_aside (db)) {
        g_clear_error (&error);
        result = g_new0 (LoadResult, 1);
        result->entries = g_ptr_array_new_with_free_func (g_object_unref);
        result->by_id = g_hash_table_new (g_str_hash, g_str_equal);
      }
      if (result != NULL) {
        g_free (result->notice);
        result->notice = history_db_steal_notice (db);
        g_free (result->set_aside);
        result->set_aside = g_strdup (history_db_get_set_aside_path (db));
        result->n_unreadable = history_db_get_unreadable_count (db);
      }
    }
    g_clear_pointer (&copies, g_ptr_array_unref);

    if (result != NULL)
      g_task_return_pointer (job->task, result, (GDestroyNotify) load_result_free);
    else
      g_task_return_error (job->task, error);
    goto out;
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
  if (ok)
    g_task_return_boolean (job->task, TRUE);
  else
    g_task_return_error (job->task, error);

out:
  entry_data_clear (&job->data);
  g_clear_object (&job->task);
  g_free (job);
}

/* TcHistory */

struct _TcHistory
{
  GObject      parent_instance;
  char        *path;            /* NULL: temporary */
  gboolean     temporary;
  GPtrArray   *entries;         /* TcHistoryEntry, oldest first: position p is len - 1 - p */
  GHashTable  *by_id;           /* id (the entry's own string) → entry */
  GThreadPool *pool;            /* one thread: the database's jobs, in order */
  HistoryDb   *db;
  char        *problem;
  char        *notice;
  char        *corrupt_copy;
  guint        n_unreadable;
  guint        retention_days;
  guint        clear_epoch;     /* bumped by each clear: a load begun before drops its entries */
  gboolean     loaded;
};

static void tc_history_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TcHistory, tc_history, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      tc_history_list_model_init))

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

static GType
tc_history_get_item_type (GListModel *model)
{
  return TC_TYPE_HISTORY_ENTRY;
}

static guint
tc_history_get_n_items (GListModel *model)
{
  return TC_HISTORY (model)->entries->len;
}

static gpointer
tc_history_get_item (GListModel *model,
                     guint       position)
{
  TcHistory *self = TC_HISTORY (model);

  if (position >= self->entries->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->entries, self->entries->len - 1 - position));
}

static void
tc_history_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = tc_history_get_item_type;
  iface->get_n_items = tc_history_get_n_items;
  iface->get_item = tc_history_get_item;
}

static void
tc_history_constructed (GObject *object)
{
  TcHistory *self = TC_HISTORY (object);

  G_OBJECT_CLASS (tc_history_parent_class)->constructed (object);

  if (self->path == NULL && !self->temporary)
    self->path = g_build_filename (g_get_user_data_dir (), "imprint", "history.db", NULL);

  self->db = history_db_new (self->path);
  /* One thread of its own, started now: the writes stay in order, the connection on one
   * thread, and the load starts at once (a shared pool's thread is spawned on demand
   * through GLib's spawner thread, which cost tens of ms before the first rows). */
  self->pool = g_thread_pool_new (run_job, self->db, 1, TRUE, NULL);
}

static void
tc_history_finalize (GObject *object)
{
  TcHistory *self = TC_HISTORY (object);

  /* Every job's task holds a reference on the history until its callback ran, so the
   * queue is empty. */
  g_thread_pool_free (self->pool, FALSE, TRUE);
  history_db_free (self->db);

  g_hash_table_unref (self->by_id);
  g_ptr_array_unref (self->entries);
  g_free (self->path);
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
  self->entries = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
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
 * Returns: (transfer full): an empty history kept in memory only
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

static gint64
retention_cutoff (TcHistory *self)
{
  if (self->retention_days == 0)
    return G_MININT64;
  return g_get_real_time () - (gint64) self->retention_days * 24 * 3600 * G_USEC_PER_SEC;
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

static TcHistoryEntry *
entry_at (TcHistory *self,
          guint      index)
{
  return g_ptr_array_index (self->entries, index);
}

static gint64
created_at (TcHistory *self,
            guint      index)
{
  return tc_history_entry_get_data (entry_at (self, index))->created;
}

/* Where an entry created at @created goes: after every entry created at or before it. */
static guint
insertion_index (TcHistory *self,
                 gint64     created)
{
  guint lo = 0, hi = self->entries->len;

  while (lo < hi) {
    guint mid = lo + (hi - lo) / 2;

    if (created_at (self, mid) <= created)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

static gboolean
find_index (TcHistory      *self,
            TcHistoryEntry *entry,
            guint          *index)
{
  gint64 created = tc_history_entry_get_data (entry)->created;
  guint lo = 0, hi = self->entries->len;

  if (g_hash_table_lookup (self->by_id, tc_history_entry_get_id (entry)) != entry)
    return FALSE;

  while (lo < hi) {
    guint mid = lo + (hi - lo) / 2;

    if (created_at (self, mid) < created)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (guint i = lo; i < self->entries->len && created_at (self, i) == created; i++) {
    if (entry_at (self, i) == entry) {
      *index = i;
      return TRUE;
    }
  }
  return FALSE;
}

static guint
position_of (TcHistory *self,
             guint      index)
{
  return self->entries->len - 1 - index;
}

static void write_done_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data);

/* The worker must never drop the last reference to the history: finalizing it there
 * would wait for the worker itself. So the job's task has no source object; it carries
 * the caller's task to @done, which runs on this thread. */
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
  job->cutoff = retention_cutoff (self);
  job->task = g_task_new (NULL, NULL, done ? done : write_done_cb,
                          task != NULL ? g_object_ref (task) : NULL);
  job->outer = task;
  g_task_set_source_tag (job->task, job_new);
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
  TcHistory *self;
  GError *error = NULL;

  if (task == NULL) {
    g_task_propagate_boolean (G_TASK (result), NULL);
    return;
  }

  self = g_task_get_source_object (task);
  if (!g_task_propagate_boolean (G_TASK (result), &error)) {
    set_problem (self, error->message);
    g_task_return_error (task, error);
    return;
  }

  if (g_task_get_source_tag (task) != tc_history_flush_async)
    set_problem (self, NULL);
  g_task_return_boolean (task, TRUE);
}

/* Adds the loaded entries to those already in the model (added before the load
 * finished): those objects stay, and a loaded entry with the same id is dropped. */
static void
merge_loaded (TcHistory  *self,
              LoadResult *loaded)
{
  g_autoptr(GPtrArray) incoming = g_steal_pointer (&loaded->entries);
  g_autoptr(GHashTable) by_id = g_steal_pointer (&loaded->by_id);
  g_autoptr(GPtrArray) old_entries = NULL;
  g_autoptr(GHashTable) dropped = g_hash_table_new (NULL, NULL);
  GPtrArray *merged;
  guint n_old = self->entries->len;
  guint i = 0, j = 0;
  gboolean older = TRUE;

  if (n_old == 0) {
    g_ptr_array_unref (self->entries);
    self->entries = g_steal_pointer (&incoming);
    g_hash_table_unref (self->by_id);
    self->by_id = g_steal_pointer (&by_id);
    if (self->entries->len > 0)
      g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, self->entries->len);
    return;
  }

  for (guint k = 0; k < n_old; k++) {
    TcHistoryEntry *entry = entry_at (self, k);
    TcHistoryEntry *twin = g_hash_table_lookup (by_id, tc_history_entry_get_id (entry));

    if (twin != NULL)
      g_hash_table_add (dropped, twin);
    /* The key must be the string of the entry that stays. */
    g_hash_table_replace (by_id, (gpointer) tc_history_entry_get_id (entry), entry);
  }

  merged = g_ptr_array_new_full (n_old + incoming->len, g_object_unref);
  while (i < incoming->len || j < n_old) {
    TcHistoryEntry *in = i < incoming->len ? g_ptr_array_index (incoming, i) : NULL;
    TcHistoryEntry *cur = j < n_old ? entry_at (self, j) : NULL;

    if (in != NULL && g_hash_table_contains (dropped, in)) {
      i++;
      continue;
    }
    if (in != NULL && (cur == NULL || tc_history_entry_get_data (in)->created <=
                                      tc_history_entry_get_data (cur)->created)) {
      if (j > 0)
        older = FALSE;
      g_ptr_array_add (merged, g_object_ref (in));
      i++;
    } else {
      g_ptr_array_add (merged, g_object_ref (cur));
      j++;
    }
  }

  old_entries = g_steal_pointer (&self->entries);
  self->entries = merged;
  g_hash_table_unref (self->by_id);
  self->by_id = g_steal_pointer (&by_id);

  if (merged->len == n_old)
    return;
  if (older)
    g_list_model_items_changed (G_LIST_MODEL (self), n_old, 0, merged->len - n_old);
  else
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n_old, merged->len);
}

static gboolean
first_page_cb (gpointer data)
{
  FirstPage *page = data;
  TcHistory *self = g_task_get_source_object (page->outer);
  guint epoch = GPOINTER_TO_UINT (g_task_get_task_data (page->outer));

  if (!g_cancellable_is_cancelled (g_task_get_cancellable (page->outer)) &&
      epoch == self->clear_epoch)
    merge_loaded (self, page->result);
  return G_SOURCE_REMOVE;
}

static void
load_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TcHistory *self = g_task_get_source_object (task);
  guint epoch = GPOINTER_TO_UINT (g_task_get_task_data (task));
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

  /* A clear since the load began covers everything the load read. */
  if (epoch == self->clear_epoch)
    merge_loaded (self, loaded);

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

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_history_load_async);
  g_task_set_task_data (task, GUINT_TO_POINTER (self->clear_epoch), NULL);
  push_job (self, JOB_LOAD, task, NULL, load_done_cb);
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

/**
 * tc_history_find_by_id:
 *
 * Returns: (transfer none) (nullable): the stored entry with this id
 */
TcHistoryEntry *
tc_history_find_by_id (TcHistory  *self,
                       const char *id)
{
  g_return_val_if_fail (TC_IS_HISTORY (self), NULL);

  if (id == NULL)
    return NULL;
  return g_hash_table_lookup (self->by_id, id);
}

void
tc_history_add_async (TcHistory           *self,
                      TcHistoryEntry      *entry,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const EntryData *data;
  guint index;

  g_return_if_fail (TC_IS_HISTORY (self));
  g_return_if_fail (TC_IS_HISTORY_ENTRY (entry));
  g_return_if_fail (!tc_history_entry_is_sealed (entry));
  g_return_if_fail (g_hash_table_lookup (self->by_id, tc_history_entry_get_id (entry)) == NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = task_new (self, tc_history_add_async, cancellable, callback, user_data);
  data = tc_history_entry_get_data (entry);

  tc_history_entry_seal (entry);
  index = insertion_index (self, data->created);
  g_ptr_array_insert (self->entries, (int) index, g_object_ref (entry));
  g_hash_table_insert (self->by_id, data->id, entry);
  g_list_model_items_changed (G_LIST_MODEL (self), position_of (self, index), 0, 1);

  push_job (self, JOB_PUT, task, data, NULL);
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
  guint index;

  g_return_if_fail (TC_IS_HISTORY (self));
  g_return_if_fail (TC_IS_HISTORY_ENTRY (changes));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = task_new (self, tc_history_update_async, cancellable, callback, user_data);

  stored = g_hash_table_lookup (self->by_id, tc_history_entry_get_id (changes));
  if (stored == NULL) {
    g_task_return_error (task, not_found_error_new ());
    return;
  }

  /* The same object, so rows bound to it follow; items-changed too, so filter and sort
   * models look at it again. */
  if (tc_history_entry_take_changes (stored, changes) && find_index (self, stored, &index))
    g_list_model_items_changed (G_LIST_MODEL (self), position_of (self, index), 1, 1);

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
  g_autoptr(TcHistoryEntry) removed = NULL;
  guint index, position;

  g_return_if_fail (TC_IS_HISTORY (self));
  g_return_if_fail (TC_IS_HISTORY_ENTRY (entry));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = task_new (self, tc_history_remove_async, cancellable, callback, user_data);

  if (!find_index (self, entry, &index)) {
    g_task_return_error (task, not_found_error_new ());
    return;
  }

  removed = g_object_ref (entry);
  position = position_of (self, index);
  g_hash_table_remove (self->by_id, tc_history_entry_get_id (entry));
  g_ptr_array_remove_index (self->entries, index);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);

  push_job (self, JOB_DELETE, task, &(EntryData) { .id = (char *) tc_history_entry_get_id (removed) },
            NULL);
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
  g_autoptr(GPtrArray) old_entries = NULL;

  g_return_if_fail (TC_IS_HISTORY (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = task_new (self, tc_history_clear_async, cancellable, callback, user_data);

  self->clear_epoch++;
  old_entries = g_steal_pointer (&self->entries);
  self->entries = g_ptr_array_new_with_free_func (g_object_unref);
  g_hash_table_remove_all (self->by_id);
  if (old_entries->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_entries->len, 0);

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
  gint64 cutoff;
  guint n_expired = 0;

  g_return_if_fail (TC_IS_HISTORY (self));

  days = MIN (days, G_MAXUINT / 2);
  if (self->retention_days == days)
    return;
  self->retention_days = days;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RETENTION_DAYS]);

  if (!self->loaded || days == 0)
    return;

  /* The oldest entries are at the start of the array, at the end of the model. */
  cutoff = retention_cutoff (self);
  while (n_expired < self->entries->len && created_at (self, n_expired) < cutoff)
    n_expired++;
  if (n_expired == 0)
    return;

  for (guint i = 0; i < n_expired; i++)
    g_hash_table_remove (self->by_id, tc_history_entry_get_id (entry_at (self, i)));
  g_ptr_array_remove_range (self->entries, 0, n_expired);
  g_list_model_items_changed (G_LIST_MODEL (self), self->entries->len, n_expired, 0);

  push_job (self, JOB_EXPIRE, NULL, NULL, NULL);
}

void
tc_history_set_max_pages (TcHistory *self,
                          guint      max_pages)
{
  Job *job;

  g_return_if_fail (TC_IS_HISTORY (self));

  job = job_new (self, JOB_MAX_PAGES, NULL, NULL, NULL);
  job->max_pages = max_pages;
  g_thread_pool_push (self->pool, job, NULL);
}
