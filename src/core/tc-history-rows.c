/* tc-history-rows.c: the rows TcHistory shows, read from its snapshot
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The model is paged from the database, never loaded whole: the main thread has a
 * connection of its own that only reads and holds one snapshot (a read transaction, which
 * WAL keeps still while the worker writes). Its count is n_items; an item is read with its
 * page of PAGE_SIZE rows, newest first, and a few pages are cached. A search is the same
 * pages, of the rows the snapshot's search text in memory finds (tc-history-search.c): a
 * search never waits for SQLite to walk every record. An entry is one object for as long
 * as anyone holds it (a table by id with weak references), so rows, the tracker and the
 * create page see the same changes.
 *
 * The changes not written yet lie over the snapshot (see tc-history-store.c): "events"
 * say where each extra goes and which of the snapshot's rows are hidden, by rank.
 */
#include "config.h"

#include "tc-history-store-private.h"

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

/* Reading */

/* The one way queries are made. In @sql, SHOWN is the condition on the rows the model
 * shows without a search (?1 the retention cutoff) and BY_TIME the index that walks them
 * newest first (its entries are ordered by time, then rowid, as the model). */
sqlite3_stmt *
history_rows_query (TcHistory  *self,
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
void
history_rows_index_snapshot (TcHistory *self,
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

/* With a search: the snapshot's rows it finds, as positions in self->index. */
static GArray *
ensure_found (TcHistory *self)
{
  if (self->found == NULL && self->index == NULL)
    history_rows_index_snapshot (self, TRUE);
  if (self->found == NULL && self->index == NULL)   /* no reader */
    self->found = g_array_new (FALSE, FALSE, sizeof (guint));
  if (self->found == NULL)
    self->found = history_search_find (self->index, self->search, self->cutoff);
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
    sqlite3_stmt *stmt = history_rows_query (self, "SELECT count(*) FROM entries BY_TIME WHERE SHOWN "
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
  sqlite3_stmt *stmt = history_rows_query (self, "SELECT created, rowid FROM entries WHERE id = ?3 AND SHOWN");
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

/* Before the history goes: the entries that outlive it no longer tell it. */
void
history_rows_forget_live (TcHistory *self)
{
  GHashTableIter iter;
  gpointer entry;

  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, NULL, &entry))
    g_object_weak_unref (entry, entry_gone_cb, self);
}

void
history_rows_make_live (TcHistory      *self,
                        TcHistoryEntry *entry)
{
  g_hash_table_insert (self->live, tc_history_entry_get_data (entry)->id, entry);
  g_object_weak_ref (G_OBJECT (entry), entry_gone_cb, self);
}

/* The entry of a row just read: the object already made for it, if any (it may hold
 * changes not written yet). (transfer full) */
TcHistoryEntry *
history_rows_entry_for_row (TcHistory    *self,
                            sqlite3_stmt *stmt)
{
  TcHistoryEntry *entry = g_hash_table_lookup (self->live, sqlite3_column_text (stmt, 0));
  EntryData *data;

  if (entry != NULL)
    return g_object_ref (entry);
  data = history_db_read_row (stmt);
  entry = tc_history_entry_new_stored (data);
  g_free (data);
  history_rows_make_live (self, entry);
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
void
history_rows_ensure_events (TcHistory *self)
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
    self->n_snapshot = query_count (history_rows_query (self, "SELECT count(*) FROM entries BY_TIME "
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

void
history_rows_invalidate (TcHistory *self)
{
  g_clear_pointer (&self->events, g_array_unref);
}

/* A new snapshot, search or retention: every row may be elsewhere. */
void
history_rows_forget_rows (TcHistory *self)
{
  g_clear_pointer (&self->found, g_array_unref);
  g_hash_table_remove_all (self->pages);
  self->n_snapshot = G_MAXUINT;
  self->n_all = G_MAXUINT;
  history_rows_invalidate (self);
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
    sqlite3_stmt *stmt = history_rows_query (self, "SELECT " HISTORY_DB_COLUMNS " FROM entries "
                                "WHERE rowid = ?3");

    if (g_hash_table_size (self->pages) >= MAX_PAGES)
      g_hash_table_remove_all (self->pages);
    page = g_ptr_array_new_with_free_func (g_object_unref);
    for (guint i = index * PAGE_SIZE; stmt != NULL && i < MIN (found->len, (index + 1) * PAGE_SIZE); i++) {
      sqlite3_bind_int64 (stmt, 3, history_search_get_rowid (self->index,
                                                             g_array_index (found, guint, i)));
      if (sqlite3_step (stmt) == SQLITE_ROW)
        g_ptr_array_add (page, history_rows_entry_for_row (self, stmt));
      sqlite3_reset (stmt);
    }
    sqlite3_finalize (stmt);
    g_hash_table_insert (self->pages, GUINT_TO_POINTER (index), page);
  } else if (page == NULL) {
    /* The rowids from the index alone, then those rows: an offset far down costs only
     * index entries. */
    sqlite3_stmt *stmt = history_rows_query (self, "SELECT " HISTORY_DB_COLUMNS " FROM entries WHERE rowid IN "
                                "(SELECT rowid FROM entries BY_TIME WHERE SHOWN "
                                "ORDER BY created DESC, rowid DESC LIMIT " G_STRINGIFY (PAGE_SIZE)
                                " OFFSET ?3) ORDER BY created DESC, rowid DESC");

    if (g_hash_table_size (self->pages) >= MAX_PAGES)
      g_hash_table_remove_all (self->pages);
    page = g_ptr_array_new_with_free_func (g_object_unref);
    if (stmt != NULL) {
      sqlite3_bind_int64 (stmt, 3, (gint64) index * PAGE_SIZE);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_ptr_array_add (page, history_rows_entry_for_row (self, stmt));
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

  history_rows_ensure_events (self);
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
gboolean
history_rows_position_of (TcHistory      *self,
                          TcHistoryEntry *entry,
                          guint          *position)
{
  const EntryData *data = tc_history_entry_get_data (entry);
  guint rank;
  int before = 0;   /* extras before it, less the hidden rows before it */

  history_rows_ensure_events (self);
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
  sqlite3_stmt *stmt = history_rows_query (self, "SELECT count(*) FROM entries WHERE id = ?3");

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 3, id, -1, SQLITE_STATIC);
  return query_count (stmt) > 0;
}

/* The rows not announced yet, all of them (before any change) or a CHUNK (in time). */
void
history_rows_announce (TcHistory *self,
                       guint      n)
{
  guint position;

  n = MIN (n, self->tail);
  if (n == 0)
    return;
  history_rows_ensure_events (self);
  position = self->n_items - self->tail;
  self->tail -= n;
  if (self->tail == 0)
    g_clear_handle_id (&self->tail_id, g_source_remove);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, n);
}

void
history_rows_announce_tail (TcHistory *self)
{
  history_rows_announce (self, G_MAXUINT);
}

static gboolean
tail_cb (gpointer data)
{
  TcHistory *self = data;

  if (self->tail <= CHUNK) {
    self->tail_id = 0;
    history_rows_announce_tail (self);
    return G_SOURCE_REMOVE;
  }
  history_rows_announce (self, CHUNK);
  return G_SOURCE_CONTINUE;
}

/* A new snapshot: what it holds leaves the overlay. @reset: say everything changed (a new
 * file); else only when the count moved behind our back (another program wrote). */
void
history_rows_refresh (TcHistory *self,
                      gboolean   reset)
{
  guint old_n;

  if (self->reader == NULL)
    return;
  history_rows_announce_tail (self);
  history_rows_ensure_events (self);
  old_n = self->n_items;

  history_rows_index_snapshot (self, FALSE);
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
  history_rows_forget_rows (self);
  history_rows_index_snapshot (self, TRUE);
  history_rows_ensure_events (self);
  if (reset && self->n_items > FIRST_ROWS) {
    self->tail = self->n_items - FIRST_ROWS;
    self->tail_id = g_timeout_add_full (G_PRIORITY_LOW, 50, tail_cb, self, NULL);
    history_rows_replace_all (self, old_n, FIRST_ROWS);
  } else if (reset || self->n_items != old_n) {
    history_rows_replace_all (self, old_n, self->n_items);
  }
}

/* Every row may be another: told as two changes, everything removed and then everything
 * added, never as one. GTK 4.8's list view, when a row it follows (the focus, its anchor)
 * is among the removed, looks for that row's item among the added ones, one
 * g_list_model_get_item() each: 100,000 page reads for a search keystroke. The two come
 * in the same call, so no frame is drawn between them. */
void
history_rows_replace_all (TcHistory *self,
                          guint      old_n,
                          guint      new_n)
{
  if (old_n > 0) {
    self->emptied = TRUE;   /* what the first change says, to whoever asks meanwhile */
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, 0);
    self->emptied = FALSE;
  }
  if (new_n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, new_n);
}

void
history_rows_open_reader (TcHistory *self)
{
  history_rows_ensure_events (self);   /* what the model says now, before the new file */
  history_rows_index_snapshot (self, FALSE);
  g_clear_pointer (&self->reader, sqlite3_close_v2);
  self->reader = history_db_open_reader (self->file);
  history_rows_refresh (self, TRUE);
}

/* The list model (TcHistory implements it: tc-history-store.c) */

static GType
tc_history_get_item_type (GListModel *model)
{
  return TC_TYPE_HISTORY_ENTRY;
}

guint
history_rows_get_n_items (GListModel *model)
{
  TcHistory *self = TC_HISTORY (model);

  if (self->emptied)
    return 0;
  history_rows_ensure_events (self);
  return self->n_items - MIN (self->tail, self->n_items);
}

static gpointer
tc_history_get_item (GListModel *model,
                     guint       position)
{
  TcHistory *self = TC_HISTORY (model);
  TcHistoryEntry *entry;
  guint rank;

  if (position >= history_rows_get_n_items (model))
    return NULL;
  entry = walk (self, position, &rank);
  if (entry == NULL)
    entry = row_at (self, rank);
  return entry != NULL ? g_object_ref (entry) : NULL;
}

void
history_rows_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = tc_history_get_item_type;
  iface->get_n_items = history_rows_get_n_items;
  iface->get_item = tc_history_get_item;
}


/* The load is complete: the first frames are long past, and the next part need not wait
 * for its time. A history of less than FIRST_ROWS + CHUNK is then whole in the model. */
void
history_rows_loaded (TcHistory *self)
{
  history_rows_announce (self, CHUNK);
}
