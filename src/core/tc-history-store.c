/* tc-history-store.c: TcHistory, the list model over the history database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading. The model is paged from the database, never loaded whole: the main thread has
 * a connection of its own that only reads and holds one snapshot (a read transaction,
 * which WAL keeps still while the worker writes). Its count is n_items; an item is read
 * with its page of PAGE_SIZE rows, newest first, and a few pages are cached. A search is
 * the same pages, of the rows the snapshot's search text in memory finds
 * (tc-history-search.c): a search never waits for SQLite to walk every record. An entry is one object for as long as anyone holds it (a table by id with weak
 * references), so rows, the tracker and the create page see the same changes.
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

#include "tc-history-private.h"
#include "tc-places.h"

#define PAGE_SIZE  64
#define MAX_PAGES  16
/* A file opened is announced in parts: its newest FIRST_ROWS at once, the rest CHUNK at a
 * time after the first frames. GTK 4.8's list view makes a row widget for up to 200
 * items around what it shows, whatever fits the screen (about half a millisecond each),
 * and a list view's cost also grows with the count it is told (about 2 µs a row): the
 * first frame makes only a screenful of rows, and each part after it stays within a
 * frame. */
#define FIRST_ROWS 48
#define CHUNK      10000
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

typedef struct {
  guint           rank;    /* where in the snapshot's rows (matching the search) it goes */
  guint           order;   /* extras of the same rank keep their order */
  TcHistoryEntry *extra;   /* an entry added; NULL: the snapshot's row at rank is hidden */
} Event;

struct _TcHistory
{
  GObject      parent_instance;
  char        *path;            /* NULL: temporary */
  char        *file;            /* the database (a private folder's, for a temporary one) */
  gboolean     temporary;
  GThreadPool *pool;            /* one thread: the database's writes, in order */
  HistoryDb   *db;
  sqlite3     *reader;          /* main thread; holds the snapshot */

  char        *search;          /* folded; NULL: every entry */
  gint64       cutoff;          /* retention: entries created before are gone */
  GHashTable  *live;            /* id → entry (weak): one object per entry */
  GHashTable  *kept;            /* id → entry: added, changed or asked for by id */
  GPtrArray   *extras;          /* added, not in the snapshot: newest first */
  GHashTable  *hidden;          /* ids removed, still in the snapshot */
  gboolean     cleared;         /* a clear not yet written: the snapshot is hidden */
  guint        n_writes;        /* writes in flight */
  GArray      *events;          /* Event by rank; NULL: to be worked out again */
  guint        n_items;         /* valid with events */
  guint        n_snapshot;      /* rows of the snapshot shown; G_MAXUINT: to be counted */
  guint        n_all;           /* the same without the search */
  guint        tail;            /* rows at the end not announced yet (see FIRST_ROWS) */
  guint        tail_id;
  GHashTable  *pages;           /* page index → GPtrArray of entries */
  HistorySearch *index;         /* the snapshot's search text; NULL until a snapshot */
  guint        index_id;        /* reads it, a slice at a time */
  GArray      *found;           /* with a search: what it finds in index; NULL: not yet */

  char        *problem;
  char        *notice;
  char        *corrupt_copy;
  guint        n_unreadable;
  guint        retention_days;
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

/* Reading */

/* The one way queries are made. In @sql, SHOWN is the condition on the rows the model
 * shows without a search (?1 the retention cutoff) and BY_TIME the index that walks them
 * newest first (its entries are ordered by time, then rowid, as the model). */
static sqlite3_stmt *
query (TcHistory  *self,
       const char *sql)
{
  g_autoptr(GString) text = g_string_new (sql);
  sqlite3_stmt *stmt = NULL;

  g_string_replace (text, "SHOWN", "created >= ?1", 0);
  g_string_replace (text, "BY_TIME", "INDEXED BY entries_by_created", 0);
  if (self->reader == NULL ||
      sqlite3_prepare_v2 (self->reader, text->str, -1, &stmt, NULL) != SQLITE_OK) {
    sqlite3_finalize (stmt);
    return NULL;
  }
  sqlite3_bind_int64 (stmt, 1, self->cutoff);
  return stmt;
}

/* The one number a count query answers; 0 when it cannot be read. */
static guint
query_count (sqlite3_stmt *stmt)
{
  guint n = 0;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    n = (guint) sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static gboolean
index_cb (gpointer data)
{
  TcHistory *self = data;

  if (!history_search_read (self->index, 3000))
    return G_SOURCE_CONTINUE;
  self->index_id = 0;
  return G_SOURCE_REMOVE;
}

/* The search text of a new snapshot, read in slices while nobody searches. Dropped before
 * the reader's transaction ends: a statement still reading would keep it open. */
static void
index_snapshot (TcHistory *self,
                gboolean   snapshot)
{
  g_clear_handle_id (&self->index_id, g_source_remove);
  g_clear_pointer (&self->index, history_search_free);
  g_clear_pointer (&self->found, g_array_unref);
  if (snapshot && self->reader != NULL) {
    self->index = history_search_new (self->reader);
    self->index_id = g_idle_add_full (G_PRIORITY_LOW, index_cb, self, NULL);
  }
}

/* The positions in both sorted lists, once each, in order; takes both. */
static GArray *
merge (GArray *a,
       GArray *b)
{
  GArray *both = g_array_sized_new (FALSE, FALSE, sizeof (guint), a->len + b->len);
  guint i = 0, j = 0;

  while (i < a->len || j < b->len) {
    guint x = i < a->len ? g_array_index (a, guint, i) : G_MAXUINT;
    guint y = j < b->len ? g_array_index (b, guint, j) : G_MAXUINT;
    guint next = MIN (x, y);

    g_array_append_val (both, next);
    i += x == next;
    j += y == next;
  }
  g_array_unref (a);
  g_array_unref (b);
  return both;
}

/* With a search: the snapshot's rows it finds, as positions in self->index. */
static GArray *
ensure_found (TcHistory *self)
{
  if (self->found == NULL && self->index == NULL)
    index_snapshot (self, TRUE);
  if (self->found == NULL && self->index == NULL)   /* no reader */
    self->found = g_array_new (FALSE, FALSE, sizeof (guint));
  if (self->found == NULL) {
    g_auto(GStrv) regions = tc_places_dup_region_codes ();

    self->found = history_search_find (self->index, self->search, self->cutoff);
    /* And the entries of every region whose name holds it (广州 finds ap-guangzhou). */
    for (guint i = 0; regions[i] != NULL; i++) {
      if (tc_history_region_name_matches (regions[i], self->search))
        self->found = merge (self->found, history_search_find_region (self->index, regions[i],
                                                                      self->cutoff));
    }
  }
  return self->found;
}

/* How many shown rows are newer than (@created, @rowid). */
static guint
rank_after (TcHistory *self,
            gint64     created,
            gint64     rowid)
{
  GArray *found;
  guint lo = 0, hi;

  if (self->search == NULL) {
    sqlite3_stmt *stmt = query (self, "SELECT count(*) FROM entries BY_TIME WHERE SHOWN "
                                "AND (created, rowid) > (?3, ?4)");

    if (stmt != NULL) {
      sqlite3_bind_int64 (stmt, 3, created);
      sqlite3_bind_int64 (stmt, 4, rowid);
    }
    return query_count (stmt);
  }
  /* What was found is newest first: the first not newer, by halves. */
  found = ensure_found (self);
  hi = found->len;
  while (lo < hi) {
    guint mid = lo + (hi - lo) / 2, at = g_array_index (found, guint, mid);
    gint64 c = history_search_get_created (self->index, at);

    if (c > created || (c == created && history_search_get_rowid (self->index, at) > rowid))
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* Where the snapshot's row of @id is among the rows shown; FALSE when it is not shown. */
static gboolean
rank_of_id (TcHistory  *self,
            const char *id,
            guint      *rank)
{
  sqlite3_stmt *stmt = query (self, "SELECT created, rowid FROM entries WHERE id = ?3 AND SHOWN");
  gint64 created, rowid;
  GArray *found;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 3, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW) {
    sqlite3_finalize (stmt);
    return FALSE;
  }
  created = sqlite3_column_int64 (stmt, 0);
  rowid = sqlite3_column_int64 (stmt, 1);
  sqlite3_finalize (stmt);
  *rank = rank_after (self, created, rowid);
  if (self->search == NULL)
    return TRUE;
  found = ensure_found (self);
  return *rank < found->len &&
         history_search_get_rowid (self->index, g_array_index (found, guint, *rank)) == rowid;
}

static void
entry_gone_cb (gpointer  data,
               GObject  *object)
{
  TcHistory *self = data;
  const char *id = tc_history_entry_get_data ((TcHistoryEntry *) object)->id;

  if (g_hash_table_lookup (self->live, id) == object)
    g_hash_table_remove (self->live, id);
}

static void
make_live (TcHistory      *self,
           TcHistoryEntry *entry)
{
  g_hash_table_insert (self->live, tc_history_entry_get_data (entry)->id, entry);
  g_object_weak_ref (G_OBJECT (entry), entry_gone_cb, self);
}

/* The entry of a row just read: the object already made for it, if any (it may hold
 * changes not written yet). (transfer full) */
static TcHistoryEntry *
entry_for_row (TcHistory    *self,
               sqlite3_stmt *stmt)
{
  TcHistoryEntry *entry = g_hash_table_lookup (self->live, sqlite3_column_text (stmt, 0));
  EntryData *data;

  if (entry != NULL)
    return g_object_ref (entry);
  data = history_db_read_row (stmt);
  entry = tc_history_entry_new_stored (data);
  g_free (data);
  make_live (self, entry);
  return entry;
}

static gboolean
entry_shown (TcHistory      *self,
             TcHistoryEntry *entry)
{
  return tc_history_entry_get_data (entry)->created >= self->cutoff &&
         tc_history_entry_matches (entry, self->search);
}

static int
compare_events (gconstpointer a,
                gconstpointer b)
{
  const Event *x = a, *y = b;

  if (x->rank != y->rank)
    return x->rank < y->rank ? -1 : 1;
  if ((x->extra == NULL) != (y->extra == NULL))
    return x->extra != NULL ? -1 : 1;   /* an extra goes before the row at its rank */
  return x->order < y->order ? -1 : x->order > y->order;
}

static TcHistoryEntry *row_at (TcHistory *self,
                               guint      rank);

/* Where the overlay meets the snapshot, and so how many items there are. */
static void
ensure_events (TcHistory *self)
{
  gboolean snapshot = self->reader != NULL && !self->cleared;
  guint n = 0;

  if (self->events != NULL)
    return;
  self->events = g_array_new (FALSE, FALSE, sizeof (Event));
  /* The one count over the whole file, made once per snapshot and search. */
  if (snapshot && self->n_snapshot == G_MAXUINT && self->search != NULL)
    self->n_snapshot = ensure_found (self)->len;
  if (snapshot && self->n_snapshot == G_MAXUINT)
    self->n_snapshot = query_count (query (self, "SELECT count(*) FROM entries BY_TIME "
                                           "WHERE SHOWN"));
  if (snapshot)
    n = self->n_snapshot;

  for (guint i = 0; i < self->extras->len; i++) {
    TcHistoryEntry *extra = self->extras->pdata[i];
    Event event = { 0, i, extra };

    if (!entry_shown (self, extra))
      continue;
    if (snapshot)
      event.rank = rank_after (self, tc_history_entry_get_data (extra)->created, G_MAXINT64);
    g_array_append_val (self->events, event);
    n++;
  }

  if (snapshot && g_hash_table_size (self->hidden) > 0) {
    GHashTableIter iter;
    gpointer id;

    g_hash_table_iter_init (&iter, self->hidden);
    while (g_hash_table_iter_next (&iter, &id, NULL)) {
      Event event = { 0, 0, NULL };

      if (rank_of_id (self, id, &event.rank)) {
        g_array_append_val (self->events, event);
        n--;
      }
    }
  }
  g_array_sort (self->events, compare_events);
  self->n_items = n;
}

static void
invalidate (TcHistory *self)
{
  g_clear_pointer (&self->events, g_array_unref);
}

/* A new snapshot, search or retention: every row may be elsewhere. */
static void
forget_rows (TcHistory *self)
{
  g_clear_pointer (&self->found, g_array_unref);
  g_hash_table_remove_all (self->pages);
  self->n_snapshot = G_MAXUINT;
  self->n_all = G_MAXUINT;
  invalidate (self);
}

/* The row at @rank in the snapshot (matching the search), from its page. */
static TcHistoryEntry *
row_at (TcHistory *self,
        guint      rank)
{
  guint index = rank / PAGE_SIZE;
  GPtrArray *page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));

  if (page == NULL && self->search != NULL) {
    GArray *found = ensure_found (self);
    sqlite3_stmt *stmt = query (self, "SELECT " HISTORY_DB_COLUMNS " FROM entries "
                                "WHERE rowid = ?3");

    if (g_hash_table_size (self->pages) >= MAX_PAGES)
      g_hash_table_remove_all (self->pages);
    page = g_ptr_array_new_with_free_func (g_object_unref);
    for (guint i = index * PAGE_SIZE; stmt != NULL && i < MIN (found->len, (index + 1) * PAGE_SIZE); i++) {
      sqlite3_bind_int64 (stmt, 3, history_search_get_rowid (self->index,
                                                             g_array_index (found, guint, i)));
      if (sqlite3_step (stmt) == SQLITE_ROW)
        g_ptr_array_add (page, entry_for_row (self, stmt));
      sqlite3_reset (stmt);
    }
    sqlite3_finalize (stmt);
    g_hash_table_insert (self->pages, GUINT_TO_POINTER (index), page);
  } else if (page == NULL) {
    /* The rowids from the index alone, then those rows: an offset far down costs only
     * index entries. */
    sqlite3_stmt *stmt = query (self, "SELECT " HISTORY_DB_COLUMNS " FROM entries WHERE rowid IN "
                                "(SELECT rowid FROM entries BY_TIME WHERE SHOWN "
                                "ORDER BY created DESC, rowid DESC LIMIT " G_STRINGIFY (PAGE_SIZE)
                                " OFFSET ?3) ORDER BY created DESC, rowid DESC");

    if (g_hash_table_size (self->pages) >= MAX_PAGES)
      g_hash_table_remove_all (self->pages);
    page = g_ptr_array_new_with_free_func (g_object_unref);
    if (stmt != NULL) {
      sqlite3_bind_int64 (stmt, 3, (gint64) index * PAGE_SIZE);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_ptr_array_add (page, entry_for_row (self, stmt));
      sqlite3_finalize (stmt);
    }
    g_hash_table_insert (self->pages, GUINT_TO_POINTER (index), page);
  }
  return rank % PAGE_SIZE < page->len ? page->pdata[rank % PAGE_SIZE] : NULL;
}

/* The item at @position: an extra, or else the snapshot's row at *rank. */
static TcHistoryEntry *
walk (TcHistory *self,
      guint      position,
      guint     *rank)
{
  guint s = 0, m = 0;

  ensure_events (self);
  for (guint i = 0; i < self->events->len; i++) {
    const Event *event = &g_array_index (self->events, Event, i);

    if (position < m + (event->rank - s)) {
      *rank = s + (position - m);
      return NULL;
    }
    m += event->rank - s;
    s = event->rank;
    if (event->extra != NULL && m++ == position)
      return event->extra;
    if (event->extra == NULL)
      s++;
  }
  *rank = s + (position - m);
  return NULL;
}

/* Where @entry is in the model now, if it is shown. */
static gboolean
position_of (TcHistory      *self,
             TcHistoryEntry *entry,
             guint          *position)
{
  const EntryData *data = tc_history_entry_get_data (entry);
  guint rank;
  int before = 0;   /* extras before it, less the hidden rows before it */

  ensure_events (self);
  for (guint i = 0; i < self->events->len; i++) {
    const Event *event = &g_array_index (self->events, Event, i);

    if (event->extra == entry) {
      *position = (guint) ((int) event->rank + before);
      return TRUE;
    }
    before += event->extra != NULL ? 1 : -1;
  }
  if (self->reader == NULL || self->cleared || g_hash_table_contains (self->hidden, data->id) ||
      g_hash_table_lookup (self->live, data->id) != entry || !rank_of_id (self, data->id, &rank))
    return FALSE;

  /* Extras before it, hidden rows before it. */
  *position = rank;
  for (guint i = 0; i < self->events->len; i++) {
    const Event *event = &g_array_index (self->events, Event, i);

    if (event->extra != NULL && event->rank <= rank)
      (*position)++;
    else if (event->extra == NULL && event->rank < rank)
      (*position)--;
  }
  return TRUE;
}

static gboolean
row_exists (TcHistory  *self,
            const char *id)
{
  sqlite3_stmt *stmt = query (self, "SELECT count(*) FROM entries WHERE id = ?3");

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 3, id, -1, SQLITE_STATIC);
  return query_count (stmt) > 0;
}

/* The rows not announced yet, all of them (before any change) or a CHUNK (in time). */
static void
announce (TcHistory *self,
          guint      n)
{
  guint position;

  n = MIN (n, self->tail);
  if (n == 0)
    return;
  ensure_events (self);
  position = self->n_items - self->tail;
  self->tail -= n;
  if (self->tail == 0)
    g_clear_handle_id (&self->tail_id, g_source_remove);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, n);
}

static void
announce_tail (TcHistory *self)
{
  announce (self, G_MAXUINT);
}

static gboolean
tail_cb (gpointer data)
{
  TcHistory *self = data;

  if (self->tail <= CHUNK) {
    self->tail_id = 0;
    announce_tail (self);
    return G_SOURCE_REMOVE;
  }
  announce (self, CHUNK);
  return G_SOURCE_CONTINUE;
}

/* A new snapshot: what it holds leaves the overlay. @reset: say everything changed (a new
 * file); else only when the count moved behind our back (another program wrote). */
static void
refresh (TcHistory *self,
         gboolean   reset)
{
  guint old_n;

  if (self->reader == NULL)
    return;
  announce_tail (self);
  ensure_events (self);
  old_n = self->n_items;

  index_snapshot (self, FALSE);
  sqlite3_exec (self->reader, "COMMIT", NULL, NULL, NULL);
  sqlite3_exec (self->reader, "BEGIN", NULL, NULL, NULL);
  /* While a clear is not written, an entry added after it stays an extra, whatever the
   * snapshot shows. */
  if (!self->cleared) {
    GHashTableIter iter;
    gpointer id;

    for (guint i = self->extras->len; i > 0; i--) {
      if (row_exists (self, tc_history_entry_get_id (self->extras->pdata[i - 1])))
        g_ptr_array_remove_index (self->extras, i - 1);
    }
    g_hash_table_iter_init (&iter, self->hidden);
    while (g_hash_table_iter_next (&iter, &id, NULL)) {
      if (!row_exists (self, id))
        g_hash_table_iter_remove (&iter);
    }
  }
  forget_rows (self);
  index_snapshot (self, TRUE);
  ensure_events (self);
  if (reset && self->n_items > FIRST_ROWS) {
    self->tail = self->n_items - FIRST_ROWS;
    self->tail_id = g_timeout_add_full (G_PRIORITY_LOW, 50, tail_cb, self, NULL);
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, FIRST_ROWS);
  } else if (reset || self->n_items != old_n) {
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, self->n_items);
  }
}

static void
open_reader (TcHistory *self)
{
  ensure_events (self);   /* what the model says now, before the new file */
  index_snapshot (self, FALSE);
  g_clear_pointer (&self->reader, sqlite3_close_v2);
  self->reader = history_db_open_reader (self->file);
  refresh (self, TRUE);
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
  TcHistory *self = TC_HISTORY (model);

  ensure_events (self);
  return self->n_items - MIN (self->tail, self->n_items);
}

static gpointer
tc_history_get_item (GListModel *model,
                     guint       position)
{
  TcHistory *self = TC_HISTORY (model);
  TcHistoryEntry *entry;
  guint rank;

  if (position >= tc_history_get_n_items (model))
    return NULL;
  entry = walk (self, position, &rank);
  if (entry == NULL)
    entry = row_at (self, rank);
  return entry != NULL ? g_object_ref (entry) : NULL;
}

static void
tc_history_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = tc_history_get_item_type;
  iface->get_n_items = tc_history_get_n_items;
  iface->get_item = tc_history_get_item;
}

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
  GHashTableIter iter;
  gpointer entry;

  /* Every job's task holds a reference on the history until its callback ran, so the
   * queue is empty. */
  g_thread_pool_free (self->pool, FALSE, TRUE);
  g_clear_handle_id (&self->tail_id, g_source_remove);
  index_snapshot (self, FALSE);
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

  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, NULL, &entry))
    g_object_weak_unref (entry, entry_gone_cb, self);
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
      refresh (self, FALSE);
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
    open_reader (self);
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
    open_reader (self);
  /* The first frames are long past: the next part need not wait for its time. A history
   * of less than FIRST_ROWS + CHUNK is then whole in the model. */
  announce (self, CHUNK);

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

  stmt = query (self, "SELECT " HISTORY_DB_COLUMNS " FROM entries WHERE id = ?3 AND SHOWN");
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 3, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    entry = entry_for_row (self, stmt);
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
  stmt = self->cleared ? NULL : query (self, "SELECT " HISTORY_DB_COLUMNS " FROM entries "
                                       "WHERE outcome = " CREATING " AND SHOWN");
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW) {
    TcHistoryEntry *entry = entry_for_row (self, stmt);

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
  announce_tail (self);

  /* Newest first; of the same time, the later addition first. */
  created = tc_history_entry_get_data (entry)->created;
  while (index < self->extras->len &&
         tc_history_entry_get_data (self->extras->pdata[index])->created > created)
    index++;
  tc_history_entry_seal (entry);
  g_ptr_array_insert (self->extras, (int) index, g_object_ref (entry));
  make_live (self, entry);
  keep (self, entry);
  invalidate (self);
  if (position_of (self, entry, &position))
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
  announce_tail (self);

  stored = tc_history_find_by_id (self, tc_history_entry_get_id (changes));
  if (stored == NULL) {
    g_task_return_error (task, not_found_error_new ());
    return;
  }

  /* The same object, so rows bound to it follow; items-changed too, so a view looks at
   * it again. */
  if (tc_history_entry_take_changes (stored, changes) && position_of (self, stored, &position))
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
  announce_tail (self);

  id = g_strdup (tc_history_entry_get_id (entry));
  if (tc_history_find_by_id (self, id) != entry) {
    g_task_return_error (task, not_found_error_new ());
    return;
  }

  shown = position_of (self, entry, &position);
  if (!g_ptr_array_remove (self->extras, entry))
    g_hash_table_add (self->hidden, g_strdup (id));
  g_hash_table_remove (self->kept, id);
  invalidate (self);
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
  announce_tail (self);

  old_n = tc_history_get_n_items (G_LIST_MODEL (self));
  self->cleared = TRUE;
  g_ptr_array_set_size (self->extras, 0);
  g_hash_table_remove_all (self->hidden);
  g_hash_table_remove_all (self->kept);
  forget_rows (self);
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
  announce_tail (self);
  old_n = tc_history_get_n_items (G_LIST_MODEL (self));
  n_all = self->search == NULL ? self->n_snapshot : self->n_all;
  g_free (self->search);
  self->search = g_steal_pointer (&folded);
  forget_rows (self);
  self->n_all = n_all;   /* the same snapshot */
  if (self->search == NULL)
    self->n_snapshot = n_all;
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n,
                              tc_history_get_n_items (G_LIST_MODEL (self)));
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
    return tc_history_get_n_items (G_LIST_MODEL (self));
  ensure_events (self);
  search = g_steal_pointer (&self->search);
  events = g_steal_pointer (&self->events);
  n_items = self->n_items;
  n_snapshot = self->n_snapshot;
  self->n_snapshot = self->n_all;
  ensure_events (self);
  n = self->n_items;
  self->n_all = self->n_snapshot;
  invalidate (self);
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
  announce_tail (self);
  old_n = tc_history_get_n_items (G_LIST_MODEL (self));
  self->cutoff = g_get_real_time () - (gint64) days * 24 * 3600 * G_USEC_PER_SEC;
  forget_rows (self);
  n = tc_history_get_n_items (G_LIST_MODEL (self));
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
