/* tc-history-store.c: TcHistory, the history in memory and the thread that writes it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Memory is the model's truth. The records are plain TcHistoryRecord, newest first (of
 * the same time, the later added first); a TcHistoryEntry is made for a record when someone asks
 * for it (the list, find_by_id) and stays the one object for it as long as anyone holds
 * it. With 100,000 records the process takes a few MB more than the paged store this
 * replaced (bench-history), and a search answers within a frame, where a search in
 * SQLite walks an index entry per record: it is one memmem() over the search index
 * (tc-history-index.c).
 *
 * Loading. The worker reads the newest FIRST_ROWS records and posts them at once (the first
 * rows are on screen while it reads on), then the rest in one go, then checks the whole
 * file: a damaged one is set aside and what could still be read of it replaces what was
 * shown. Another program writing the same database (the other build) is not followed:
 * its records appear at the next load.
 *
 * Writing. Every change is made in memory at once and handed to the one worker thread
 * (a GThreadPool of one) that owns the connection and commits it, synced, before its
 * callback says it is durable (tc-history-db.c). A write that fails keeps the change in
 * memory and sets "problem".
 *
 * Telling the view. The model lists the records, or those the search finds. A change of one
 * record costs what one record does: found by its time, tested against the search, told in
 * one items-changed. A new search or a load's rows make a new list, and show() tells the
 * difference in one items-changed. Every add and change is also "recorded", listed or not.
 */
#define _GNU_SOURCE   /* memmem(), gettid() */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "tc-history-private.h"

/* About a screenful: the first frame makes only the rows it shows. */
#define FIRST_ROWS 48

/* Jobs for the worker */

typedef enum {
  JOB_LOAD,
  JOB_PUT,
  JOB_DELETE,
  JOB_FLUSH,
  JOB_MAX_PAGES,
} JobKind;

typedef struct {
  JobKind          kind;
  TcHistoryRecord *data;    /* PUT: a copy; DELETE: the id in data->id, or NULL */
  gint64           value;   /* LOAD, DELETE without an id: older entries go; MAX_PAGES */
  GTask           *task;    /* without a source object: see push_job() */
  GTask           *outer;   /* the caller's task (not a reference: task holds one) */
} Job;

typedef struct {
  char      *notice;
  char      *set_aside;
  guint      n_unreadable;
} LoadResult;

static void
load_result_free (LoadResult *result)
{
  g_free (result->notice);
  g_free (result->set_aside);
  g_free (result);
}

/* Rows the load posts to the main thread while it goes on. */
typedef struct {
  GTask     *outer;
  GPtrArray *rows;
  gboolean   replace;    /* what the file holds now (a damaged one was replaced) */
  HistoryIndex *index;   /* of every row posted so far, when it is worth the taking */
} Rows;

static gboolean rows_cb (gpointer data);

static void
rows_free (Rows *rows)
{
  g_object_unref (rows->outer);
  g_ptr_array_unref (rows->rows);
  g_clear_pointer (&rows->index, history_index_free);
  g_free (rows);
}

/* An idle on the caller's context, never g_main_context_invoke(): that would call it right
 * here, on the worker, whenever the main thread is between iterations. */
static void
post_rows (Job       *job,
           GPtrArray *found,
           gboolean   replace,
           HistoryIndex     *index)
{
  Rows *rows = g_new0 (Rows, 1);
  GSource *idle = g_idle_source_new ();

  rows->outer = g_object_ref (job->outer);
  rows->rows = found;
  rows->replace = replace;
  rows->index = index;
  g_source_set_priority (idle, G_PRIORITY_DEFAULT);
  g_source_set_callback (idle, rows_cb, rows, (GDestroyNotify) rows_free);
  g_source_attach (idle, g_task_get_context (job->outer));
  g_source_unref (idle);
}

static gboolean
load (Job       *job,
      HistoryDb *db,
      GError   **error)
{
  LoadResult *result;
  g_autoptr(GPtrArray) first = NULL;
  GPtrArray *rows;
  HistoryIndex *index;
  gboolean replaced = FALSE;

  if (!history_db_open (db, error) ||
      (job->value != G_MININT64 && !history_db_delete (db, NULL, job->value, error)))
    return FALSE;
  /* One read transaction: the two parts are of the same file, whoever writes meanwhile.
   * The search index is made here, oldest first (the main thread has a copy of the first
   * part). */
  history_db_read_transaction (db, TRUE);
  first = history_db_read (db, job->value, 0, FIRST_ROWS);
  post_rows (job, g_ptr_array_copy (first, (GCopyFunc) history_record_dup, NULL), FALSE, NULL);
  rows = history_db_read (db, job->value, FIRST_ROWS, -1);
  index = history_index_add (history_index_add (NULL, rows), first);
  post_rows (job, rows, FALSE, index);
  history_db_read_transaction (db, FALSE);
  if (!history_db_verify (db, &replaced, error))
    return FALSE;
  if (replaced)
    post_rows (job, history_db_read (db, job->value, 0, -1), TRUE, NULL);

  result = g_new0 (LoadResult, 1);
  result->notice = history_db_steal_notice (db, &result->set_aside, &result->n_unreadable);
  g_task_return_pointer (job->task, result, (GDestroyNotify) load_result_free);
  return TRUE;
}

static void
run_job (gpointer data,
         gpointer user_data)
{
  static _Thread_local gboolean yields;
  Job *job = data;
  HistoryDb *db = user_data;
  GError *error = NULL;
  gboolean ok = TRUE;

  /* The worker's work (an import, a load of 100,000 records) is never in a hurry: on a
   * busy machine the UI thread gets the core first, and draws its frames on time. */
  if (!yields) {
    setpriority (PRIO_PROCESS, (id_t) gettid (), 10);
    yields = TRUE;
  }

  switch (job->kind) {
  case JOB_LOAD:
    ok = load (job, db, &error);
    break;
  case JOB_PUT:
    ok = history_db_put (db, job->data, &error);
    break;
  case JOB_DELETE:
    ok = history_db_delete (db, job->data ? job->data->id : NULL, job->value, &error);
    break;
  case JOB_MAX_PAGES:
    if (history_db_open (db, NULL))
      history_db_set_max_pages (db, (guint) job->value);
    break;
  case JOB_FLUSH:
  default:
    break;
  }
  if (!ok)
    g_task_return_error (job->task, error);
  else if (job->kind != JOB_LOAD)
    g_task_return_boolean (job->task, TRUE);

  g_clear_pointer (&job->data, history_record_free);
  g_clear_object (&job->task);
  g_free (job);
}

/* TcHistory */

struct _TcHistory
{
  GObject      parent_instance;
  char        *path;            /* NULL: temporary */
  char        *file;            /* the database (a private folder's, for a temporary one) */
  GThreadPool *pool;            /* one thread: the database's writes, in order */
  HistoryDb   *db;

  GPtrArray   *records;         /* TcHistoryRecord, newest first */
  GPtrArray   *shown;           /* what the model lists: records itself, or the search's */
  char        *search;          /* folded; NULL: every record */
  HistoryIndex *index;          /* the search's; NULL: to be made */
  gboolean     changed;         /* since the load began, or there were records before */
  gint64       cutoff;          /* retention: records created before are gone */
  GHashTable  *live;            /* id → entry (weak): one object per record */
  GHashTable  *kept;            /* id → entry: added or asked for by id */
  GHashTable  *added;           /* ids added while loading (the file's rows give way) */
  gboolean     cleared;         /* while loading: the file's rows are not wanted */

  char        *problem;
  LoadResult  *said;            /* by the last load; NULL: not loaded */
  guint        retention_days;
};

static void tc_history_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TcHistory, tc_history, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      tc_history_list_model_init))

enum {
  PROP_0,
  PROP_PROBLEM,
  PROP_RETENTION_DAYS,
  PROP_N_ENTRIES,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

enum {
  SIGNAL_RECORDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Entries: one object per record */

static void
entry_gone_cb (gpointer  data,
               GObject  *object)
{
  TcHistory *self = data;
  const char *id = tc_history_entry_get_record ((TcHistoryEntry *) object)->id;

  if (g_hash_table_lookup (self->live, id) == object)
    g_hash_table_remove (self->live, id);
}

static void
make_live (TcHistory      *self,
           TcHistoryEntry *entry)
{
  g_hash_table_insert (self->live, (gpointer) tc_history_entry_get_record (entry)->id, entry);
  g_object_weak_ref (G_OBJECT (entry), entry_gone_cb, self);
}

/* (transfer full): the object of @record, made now if nobody holds one */
static TcHistoryEntry *
entry_for (TcHistory       *self,
           TcHistoryRecord *record)
{
  TcHistoryEntry *entry = g_hash_table_lookup (self->live, record->id);

  if (entry != NULL)
    return g_object_ref (entry);
  entry = tc_history_entry_new_stored (record);
  make_live (self, entry);
  return entry;
}

/* The first of @list (newest first) created at @created or before, by halves. */
static guint
first_at (GPtrArray *list,
          gint64     created)
{
  guint lo = 0, hi = list->len;

  while (lo < hi) {
    guint mid = lo + (hi - lo) / 2;

    if (((TcHistoryRecord *) list->pdata[mid])->created > created)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* The record @id and where it is: among those of the time @entry (or the entry alive, as
 * the one a caller changes or removes is) has, else in a pass. Neither ever changes. */
static TcHistoryRecord *
find_record (TcHistory      *self,
             const char     *id,
             TcHistoryEntry *entry,
             guint          *index)
{
  const TcHistoryRecord *known;

  entry = entry ? entry : g_hash_table_lookup (self->live, id);
  known = entry ? tc_history_entry_get_record (entry) : NULL;
  for (guint i = known ? first_at (self->records, known->created) : 0; i < self->records->len;
       i++) {
    TcHistoryRecord *record = self->records->pdata[i];

    if (known != NULL && record->created != known->created)
      break;
    if (g_str_equal (record->id, id)) {
      if (index != NULL)
        *index = i;
      return record;
    }
  }
  return NULL;
}

/* Telling the view */

/* Where record @at is in the list shown (TRUE), or would be. The list holds some of the
 * records, in their order: by halves on the time, then those of the same time before it. */
static gboolean
place (TcHistory *self,
       guint      at,
       guint     *position)
{
  TcHistoryRecord *record = self->records->pdata[at];
  guint p = first_at (self->shown, record->created);

  for (guint i = first_at (self->records, record->created); i < at; i++)
    p += p < self->shown->len && self->shown->pdata[p] == self->records->pdata[i];
  *position = p;
  return p < self->shown->len && self->shown->pdata[p] == record;
}

/* Record @at came (in the records already), changed in place (@remove, @record) or goes
 * (@remove, removed from the records here), as history_index_splice() says: the list shown
 * follows it, in one items-changed. */
static void
record_changed (TcHistory       *self,
                guint            at,
                gboolean         remove,
                TcHistoryRecord *record)
{
  guint position;
  gboolean was = place (self, at, &position) && remove;
  gboolean now = record != NULL && history_record_matches (record, self->search);

  if (self->index != NULL)
    history_index_splice (self->index, at, remove, record);
  if (record == NULL)
    g_ptr_array_remove_index (self->records, at);
  if (self->shown != self->records && was && !now)
    g_ptr_array_remove_index (self->shown, position);
  else if (self->shown != self->records && now && !was)
    g_ptr_array_insert (self->shown, (int) position, record);
  self->changed = TRUE;
  if (was || now)
    g_list_model_items_changed (G_LIST_MODEL (self), position, was, now);
  if (!remove || record == NULL)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_N_ENTRIES]);
}

/* The records from @n on (the oldest) go, those shown in one items-changed; the search
 * index is made again at the next search. */
static void
truncate_records (TcHistory *self,
                  guint      n)
{
  guint position, removed;

  if (n >= self->records->len)
    return;
  place (self, n, &position);
  removed = self->shown->len - position;
  for (guint i = n; i < self->records->len; i++)
    g_hash_table_remove (self->kept, ((TcHistoryRecord *) self->records->pdata[i])->id);
  if (self->shown != self->records)
    g_ptr_array_set_size (self->shown, (int) position);
  g_ptr_array_set_size (self->records, (int) n);
  g_clear_pointer (&self->index, history_index_free);
  self->changed = TRUE;
  if (removed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), position, removed, 0);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_N_ENTRIES]);
}

/* The model lists @shown (taken) from now on: one change, of the rows between those that
 * stay at both ends. (The History view's rows stay in place and show what their place
 * lists now: see imprint-list-places.c.) */
static void
show (TcHistory *self,
      GPtrArray *shown)
{
  g_autoptr(GPtrArray) old = g_steal_pointer (&self->shown);
  guint n_old = old->len, n_new = shown->len, p = 0, s = 0;

  while (p < MIN (n_old, n_new) && old->pdata[p] == shown->pdata[p])
    p++;
  while (s < MIN (n_old, n_new) - p && old->pdata[n_old - 1 - s] == shown->pdata[n_new - 1 - s])
    s++;
  self->shown = shown;
  if (n_old - p - s > 0 || n_new - p - s > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), p, n_old - p - s, n_new - p - s);
}

/* What is shown is found again (tc-history-index.c). */
static void
refresh (TcHistory *self)
{
  if (self->search != NULL && self->index == NULL)
    self->index = history_index_add (NULL, self->records);
  show (self, history_index_find (self->index, self->records, self->search));
}

/* GObject */

static void
tc_history_finalize (GObject *object)
{
  TcHistory *self = TC_HISTORY (object);
  GHashTableIter iter;
  gpointer entry;

  /* Every job's task holds a reference on the history until its callback ran, so the
   * queue is empty. */
  g_thread_pool_free (self->pool, FALSE, TRUE);
  history_db_free (self->db);

  if (self->path == NULL) {
    g_autofree char *dir = g_path_get_dirname (self->file);
    const char *suffixes[] = { "", "-wal", "-shm" };

    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++) {
      g_autofree char *file = g_strconcat (self->file, suffixes[i], NULL);

      g_unlink (file);
    }
    g_rmdir (dir);
  }

  /* The entries that outlive the history no longer tell it. */
  g_hash_table_remove_all (self->kept);
  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, NULL, &entry))
    g_object_weak_unref (entry, entry_gone_cb, self);
  g_hash_table_unref (self->kept);
  g_hash_table_unref (self->live);
  g_clear_pointer (&self->added, g_hash_table_unref);
  g_ptr_array_unref (self->shown);
  g_ptr_array_unref (self->records);
  g_clear_pointer (&self->index, history_index_free);
  g_free (self->search);
  g_free (self->path);
  g_free (self->file);
  g_free (self->problem);
  g_clear_pointer (&self->said, load_result_free);

  G_OBJECT_CLASS (tc_history_parent_class)->finalize (object);
}

static void
tc_history_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  TcHistory *self = TC_HISTORY (object);

  if (prop_id == PROP_PROBLEM)
    g_value_set_string (value, self->problem);
  else if (prop_id == PROP_RETENTION_DAYS)
    g_value_set_uint (value, self->retention_days);
  else if (prop_id == PROP_N_ENTRIES)
    g_value_set_uint (value, self->records->len);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
tc_history_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  if (prop_id == PROP_RETENTION_DAYS)
    tc_history_set_retention_days (TC_HISTORY (object), g_value_get_uint (value));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
tc_history_class_init (TcHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tc_history_finalize;
  object_class->get_property = tc_history_get_property;
  object_class->set_property = tc_history_set_property;

  props[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_RETENTION_DAYS] =
    g_param_spec_uint ("retention-days", NULL, NULL, 0, G_MAXUINT / 2, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Every entry, whatever the search: a load's entries come with it, even those the search
   * does not list. */
  props[PROP_N_ENTRIES] =
    g_param_spec_uint ("n-entries", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /* An entry was added or changed, whether the search lists it or not (items-changed
   * speaks only of what is listed). */
  signals[SIGNAL_RECORDED] =
    g_signal_new ("recorded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, TC_TYPE_HISTORY_ENTRY);
}

static void
tc_history_init (TcHistory *self)
{
  self->cutoff = G_MININT64;
  self->records = g_ptr_array_new_with_free_func ((GDestroyNotify) history_record_free);
  self->shown = g_ptr_array_ref (self->records);
  self->live = g_hash_table_new (g_str_hash, g_str_equal);
  self->kept = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

/* The list model */

static GType
tc_history_get_item_type (GListModel *model)
{
  return TC_TYPE_HISTORY_ENTRY;
}

static guint
tc_history_get_n_items (GListModel *model)
{
  return TC_HISTORY (model)->shown->len;
}

static gpointer
tc_history_get_item (GListModel *model,
                     guint       position)
{
  TcHistory *self = TC_HISTORY (model);

  /* Not kept: it goes when the view lets go of it. */
  return position < self->shown->len ? entry_for (self, self->shown->pdata[position]) : NULL;
}

static void
tc_history_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = tc_history_get_item_type;
  iface->get_n_items = tc_history_get_n_items;
  iface->get_item = tc_history_get_item;
}

TcHistory *
tc_history_new (const char *path)
{
  TcHistory *self = g_object_new (TC_TYPE_HISTORY, NULL);

  self->path = path ? g_strdup (path)
                    : g_build_filename (g_get_user_data_dir (), "imprint", "history.db", NULL);
  self->file = g_strdup (self->path);
  self->db = history_db_new (self->file);
  /* One thread of its own, started now: the writes stay in order, the connection on one
   * thread, and the load starts at once. */
  self->pool = g_thread_pool_new (run_job, self->db, 1, TRUE, NULL);
  return self;
}

/* In the user's runtime folder (a tmpfs, private to the user), gone with the object. */
TcHistory *
tc_history_new_temporary (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_runtime_dir (), "imprint-demo-XXXXXX",
                                           NULL);
  g_autofree char *file = NULL;
  TcHistory *self;

  if (g_mkdtemp_full (dir, 0700) == NULL)
    g_warning ("Could not make a folder for the demo's history: %s", g_strerror (errno));
  file = g_build_filename (dir, "history.db", NULL);
  self = tc_history_new (file);
  g_clear_pointer (&self->path, g_free);   /* temporary: no path of its own */
  return self;
}

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

static void
write_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TcHistory *self = g_task_get_source_object (task);
  JobKind kind = GPOINTER_TO_INT (g_task_get_task_data (G_TASK (result)));
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error)) {
    set_problem (self, error->message);
    g_task_return_error (task, error);
    return;
  }
  if (kind == JOB_PUT || kind == JOB_DELETE)
    set_problem (self, NULL);
  g_task_return_boolean (task, TRUE);
}

static void load_done_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data);

/* Queues a job; @callback is called on this thread when it is done (a write: durable),
 * with a task tagged tc_history_load_async or tc_history_write_finish. The worker must
 * never drop the last reference to the history: finalizing it there would wait for the
 * worker itself. So the job's task has no source object; it carries the caller's task
 * (which has) back to this thread. */
static void
push_job (TcHistory             *self,
          JobKind                kind,
          const TcHistoryRecord *data,
          gint64                 value,
          GCancellable          *cancellable,
          GAsyncReadyCallback    callback,
          gpointer               user_data)
{
  Job *job = g_new0 (Job, 1);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, kind == JOB_LOAD ? (gpointer) tc_history_load_async
                                                : (gpointer) tc_history_write_finish);
  job->kind = kind;
  job->data = data ? history_record_dup (data) : NULL;
  job->value = value;
  job->task = g_task_new (NULL, NULL, kind == JOB_LOAD ? load_done_cb : write_done_cb, task);
  job->outer = task;
  g_task_set_source_tag (job->task, push_job);
  g_task_set_task_data (job->task, GINT_TO_POINTER (kind), NULL);
  g_thread_pool_push (self->pool, job, NULL);
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

/* @rows (the file's) and @old (in memory) in one list, newest first; but those added
 * meanwhile (kept as they are) and, with @replace, the file's instead of every other. */
static GPtrArray *
merge_rows (TcHistory *self,
            GPtrArray *old,
            GPtrArray *rows,
            gboolean   replace)
{
  GPtrArray *records;
  guint i = 0, j = 0;

  /* The usual case, the rest of the file after its first rows with nothing added
   * meanwhile: they follow, with no look at each of (say) 100,000 records on this thread. */
  if (!replace && g_hash_table_size (self->added) == 0 &&
      (old->len == 0 || rows->len == 0 ||
       ((TcHistoryRecord *) old->pdata[old->len - 1])->created >=
       ((TcHistoryRecord *) rows->pdata[0])->created)) {
    /* A new array: the one shown may be @old itself, and show() compares the two. */
    records = g_ptr_array_sized_new (old->len + rows->len);
    g_ptr_array_extend (records, old, NULL, NULL);
    g_ptr_array_extend (records, rows, NULL, NULL);
    return records;
  }

  records = g_ptr_array_new_full (old->len + rows->len, NULL);
  while (i < old->len || j < rows->len) {
    TcHistoryRecord *a = i < old->len ? old->pdata[i] : NULL;
    TcHistoryRecord *b = j < rows->len ? rows->pdata[j] : NULL;

    if (a != NULL && replace && !g_hash_table_contains (self->added, a->id)) {
      g_hash_table_remove (self->kept, a->id);
      history_record_free (a);
      i++;
    } else if (b != NULL && g_hash_table_contains (self->added, b->id)) {
      history_record_free (b);
      j++;
    } else if (a != NULL && (b == NULL || a->created >= b->created)) {
      g_ptr_array_add (records, a);
      i++;
    } else {
      g_ptr_array_add (records, b);
      j++;
    }
  }
  return records;
}

/* The file's rows join the records, unless the load was cancelled or the history cleared
 * meanwhile. */
static gboolean
rows_cb (gpointer data)
{
  Rows *posted = data;
  TcHistory *self = g_task_get_source_object (posted->outer);
  g_autoptr(GPtrArray) old = NULL;

  if (g_cancellable_is_cancelled (g_task_get_cancellable (posted->outer)) || self->cleared)
    return G_SOURCE_REMOVE;
  /* The records move from the two lists to the new one. */
  old = g_steal_pointer (&self->records);
  g_ptr_array_set_free_func (old, NULL);
  g_ptr_array_set_free_func (posted->rows, NULL);
  self->records = merge_rows (self, old, posted->rows, posted->replace);
  g_ptr_array_set_free_func (self->records, (GDestroyNotify) history_record_free);
  /* The worker's index is of the rows it read: theirs alone, unchanged since. */
  g_clear_pointer (&self->index, history_index_free);
  if (posted->index != NULL && !self->changed)
    self->index = g_steal_pointer (&posted->index);
  refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_N_ENTRIES]);
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

  self->cleared = FALSE;
  g_clear_pointer (&self->added, g_hash_table_unref);
  loaded = g_task_propagate_pointer (G_TASK (result), &error);
  if (loaded == NULL) {
    g_task_return_error (task, error);
    return;
  }
  if (g_task_return_error_if_cancelled (task)) {
    load_result_free (loaded);
    return;
  }
  g_clear_pointer (&self->said, load_result_free);
  self->said = loaded;
  g_task_return_boolean (task, TRUE);
}

void
tc_history_load_async (TcHistory           *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GHashTableIter iter;
  gpointer id;

  g_return_if_fail (TC_IS_HISTORY (self));

  /* What is in memory now stays as it is. */
  self->changed = self->records->len > 0;
  g_clear_pointer (&self->added, g_hash_table_unref);
  self->added = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_iter_init (&iter, self->kept);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    g_hash_table_add (self->added, g_strdup (id));
  push_job (self, JOB_LOAD, NULL, self->cutoff, cancellable, callback, user_data);
}

/* Every write's task has this tag. */
gboolean
tc_history_write_finish (TcHistory     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return task_finish (self, result, tc_history_write_finish, error);
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
  return self->said != NULL;
}

/* Entries */

TcHistoryEntry *
tc_history_find_by_id (TcHistory  *self,
                       const char *id)
{
  TcHistoryEntry *entry;
  TcHistoryRecord *record;

  g_return_val_if_fail (TC_IS_HISTORY (self), NULL);

  if (id == NULL)
    return NULL;
  entry = g_hash_table_lookup (self->kept, id);
  if (entry != NULL || (record = find_record (self, id, NULL, NULL)) == NULL)
    return entry;
  entry = entry_for (self, record);
  g_hash_table_insert (self->kept, g_strdup (id), entry);
  return entry;
}

GPtrArray *
tc_history_list_unfinished (TcHistory *self)
{
  GPtrArray *list = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (TC_IS_HISTORY (self), list);

  for (guint i = 0; i < self->records->len; i++) {
    TcHistoryRecord *record = self->records->pdata[i];

    if (record->outcome == TC_HISTORY_OUTCOME_CREATING)
      g_ptr_array_add (list, entry_for (self, record));
  }
  return list;
}

GHashTable *
tc_history_dup_image_sources (TcHistory  *self,
                              const char *region)
{
  GHashTable *sources = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *interned = g_intern_string (region);

  g_return_val_if_fail (TC_IS_HISTORY (self), sources);

  for (guint i = 0; i < self->records->len; i++) {
    TcHistoryRecord *record = self->records->pdata[i];
    const char *instance = record->instance_name && *record->instance_name
                           ? record->instance_name : record->instance_id;

    if (record->region == interned && record->kind == TC_HISTORY_KIND_CREATE &&
        record->image_id != NULL && instance != NULL &&
        !g_hash_table_contains (sources, record->image_id))
      g_hash_table_insert (sources, g_strdup (record->image_id), g_strdup (instance));
  }
  return sources;
}

void
tc_history_add_async (TcHistory           *self,
                      TcHistoryEntry      *entry,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  TcHistoryRecord *record;
  guint index;

  g_return_if_fail (TC_IS_HISTORY (self));
  g_return_if_fail (TC_IS_HISTORY_ENTRY (entry));
  g_return_if_fail (!tc_history_entry_is_sealed (entry));
  /* Not a copy of a stored one (the same id and time). */
  g_return_if_fail (!find_record (self, tc_history_entry_get_record (entry)->id, entry, NULL));

  tc_history_entry_seal (entry);
  record = history_record_dup (tc_history_entry_get_record (entry));
  /* Newest first; of the same time, the later addition first. */
  index = first_at (self->records, record->created);
  g_ptr_array_insert (self->records, (int) index, record);
  make_live (self, entry);
  g_hash_table_replace (self->kept, g_strdup (record->id), g_object_ref (entry));
  if (self->added != NULL)
    g_hash_table_add (self->added, g_strdup (record->id));
  /* "recorded" first: the count has grown by this one before the model says so. */
  g_signal_emit (self, signals[SIGNAL_RECORDED], 0, entry);
  record_changed (self, index, FALSE, record);

  push_job (self, JOB_PUT, record, 0, cancellable, callback, user_data);
}

static void
report_not_found (TcHistory           *self,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_task_report_new_error (self, callback, user_data, tc_history_write_finish, TC_HISTORY_ERROR,
                           TC_HISTORY_ERROR_NOT_FOUND, "%s",
                           _("This history entry has been removed."));
}

void
tc_history_update_async (TcHistory           *self,
                         TcHistoryEntry      *changes,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  TcHistoryEntry *stored;
  TcHistoryRecord *record, *updated;
  guint index;

  g_return_if_fail (TC_IS_HISTORY (self));
  g_return_if_fail (TC_IS_HISTORY_ENTRY (changes));

  record = find_record (self, tc_history_entry_get_record (changes)->id, NULL, &index);
  if (record == NULL) {
    report_not_found (self, callback, user_data);
    return;
  }

  /* The record takes every field but its time (it stays where it is); the entry follows. */
  updated = history_record_dup (tc_history_entry_get_record (changes));
  history_record_normalize (updated);
  updated->created = record->created;
  if (!history_record_equal (record, updated)) {
    TcHistoryRecord old = *record;

    *record = *updated;
    *updated = old;
    stored = g_hash_table_lookup (self->live, record->id);
    if (stored != NULL)
      tc_history_entry_take_record (stored, record);
    /* Listed before and after, a view looks at it again; or it comes or goes. */
    record_changed (self, index, TRUE, record);
    stored = entry_for (self, record);
    g_signal_emit (self, signals[SIGNAL_RECORDED], 0, stored);
    g_object_unref (stored);
  }
  history_record_free (updated);
  push_job (self, JOB_PUT, record, 0, cancellable, callback, user_data);
}

void
tc_history_remove_async (TcHistory           *self,
                         TcHistoryEntry      *entry,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autofree char *id = NULL;
  guint index;

  g_return_if_fail (TC_IS_HISTORY (self));
  g_return_if_fail (TC_IS_HISTORY_ENTRY (entry));

  id = g_strdup (tc_history_entry_get_record (entry)->id);
  if (tc_history_find_by_id (self, id) != entry || find_record (self, id, entry, &index) == NULL) {
    report_not_found (self, callback, user_data);
    return;
  }

  g_hash_table_remove (self->kept, id);
  record_changed (self, index, TRUE, NULL);
  push_job (self, JOB_DELETE, &(TcHistoryRecord) { .id = id }, 0, cancellable, callback,
            user_data);
}

void
tc_history_clear_async (TcHistory           *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (TC_IS_HISTORY (self));

  self->cleared = self->added != NULL && self->said == NULL;
  truncate_records (self, 0);
  push_job (self, JOB_DELETE, NULL, G_MAXINT64, cancellable, callback, user_data);
}

void
tc_history_flush_async (TcHistory           *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (TC_IS_HISTORY (self));

  push_job (self, JOB_FLUSH, NULL, 0, cancellable, callback, user_data);
}

void
tc_history_set_search (TcHistory  *self,
                       const char *text)
{
  g_autofree char *folded = tc_history_fold_search (text);

  g_return_if_fail (TC_IS_HISTORY (self));

  if (g_strcmp0 (folded, self->search) == 0)
    return;
  g_free (self->search);
  self->search = g_steal_pointer (&folded);
  refresh (self);
}

guint
tc_history_get_n_entries (TcHistory *self)
{
  g_return_val_if_fail (TC_IS_HISTORY (self), 0);
  return self->records->len;
}

/* What the last load said */

guint
tc_history_get_unreadable_count (TcHistory *self)
{
  g_return_val_if_fail (TC_IS_HISTORY (self), 0);
  return self->said ? self->said->n_unreadable : 0;
}

const char *
tc_history_get_corrupt_copy_path (TcHistory *self)
{
  g_return_val_if_fail (TC_IS_HISTORY (self), NULL);
  return self->said ? self->said->set_aside : NULL;
}

char *
tc_history_dup_unreadable_message (TcHistory *self)
{
  g_return_val_if_fail (TC_IS_HISTORY (self), NULL);
  return self->said ? g_strdup (self->said->notice) : NULL;
}

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
  g_return_if_fail (TC_IS_HISTORY (self));

  days = MIN (days, G_MAXUINT / 2);
  if (self->retention_days == days)
    return;
  self->retention_days = days;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RETENTION_DAYS]);
  if (days == 0)
    return;   /* what is gone stays gone */

  /* The oldest records leave the end of the model now, and the file soon. */
  self->cutoff = g_get_real_time () - (gint64) days * 24 * 3600 * G_USEC_PER_SEC;
  truncate_records (self, first_at (self->records, self->cutoff - 1));
  if (self->said != NULL)
    push_job (self, JOB_DELETE, NULL, self->cutoff, NULL, NULL, NULL);
}

void
tc_history_set_max_pages (TcHistory *self,
                          guint      max_pages)
{
  g_return_if_fail (TC_IS_HISTORY (self));

  push_job (self, JOB_MAX_PAGES, NULL, max_pages, NULL, NULL, NULL);
}
