/* tc-history-store-private.h: TcHistory, shared by the store and its rows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tc-history-store.c makes the object, writes (its worker thread) and loads;
 * tc-history-rows.c reads the rows it shows from the snapshot, under the overlay of the
 * changes not written yet. Main thread only.
 */
#pragma once

#include "tc-history-private.h"

G_BEGIN_DECLS

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
  gboolean     emptied;         /* between the two changes of history_rows_replace_all() */
  GArray      *found;           /* with a search: what it finds in index; NULL: not yet */

  char        *problem;
  char        *notice;
  char        *corrupt_copy;
  guint        n_unreadable;
  guint        retention_days;
  gboolean     loaded;
};

/* tc-history-rows.c. In @sql, SHOWN is the condition on the rows shown without a search
 * and BY_TIME the index that walks them newest first; ?1 is bound to the cutoff. */
sqlite3_stmt   *history_rows_query           (TcHistory      *self,
                                              const char     *sql);
void            history_rows_open_reader     (TcHistory      *self);
/* A new snapshot; @reset: say that everything changed (a new file). */
void            history_rows_refresh         (TcHistory      *self,
                                              gboolean        reset);
void            history_rows_index_snapshot  (TcHistory      *self,
                                              gboolean        snapshot);
void            history_rows_forget_live     (TcHistory      *self);
void            history_rows_make_live       (TcHistory      *self,
                                              TcHistoryEntry *entry);
/* (transfer full) */
TcHistoryEntry *history_rows_entry_for_row   (TcHistory      *self,
                                              sqlite3_stmt   *stmt);
void            history_rows_ensure_events   (TcHistory      *self);
void            history_rows_invalidate      (TcHistory      *self);
void            history_rows_forget_rows     (TcHistory      *self);
gboolean        history_rows_position_of     (TcHistory      *self,
                                              TcHistoryEntry *entry,
                                              guint          *position);
void            history_rows_announce        (TcHistory      *self,
                                              guint           n);
void            history_rows_announce_tail   (TcHistory      *self);
void            history_rows_loaded          (TcHistory      *self);
void            history_rows_replace_all     (TcHistory      *self,
                                              guint           old_n,
                                              guint           new_n);
guint           history_rows_get_n_items     (GListModel     *model);
void            history_rows_list_model_init (GListModelInterface *iface);

G_END_DECLS
