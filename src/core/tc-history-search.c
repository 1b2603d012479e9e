/* tc-history-search.c: the search text of the reader's snapshot, in memory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Why. A search keystroke must be answered within a frame, over 100,000 records. In
 * SQLite a search reads an index entry per record: about 10 ms for 100,000 on a quiet
 * machine and twice that on a busy one, before any text is compared. Here the folded
 * search text of every record lies in one buffer, newest first, each record ended by a
 * NUL, and a search is one memmem() pass over it (a few milliseconds): the records found
 * come out in the model's order. It costs about the size of the text (some 13 MB for
 * 100,000 records).
 *
 * The buffer is read from the reader's snapshot, a slice at a time from an idle of the
 * store, so the main thread never waits for all of it at once; a search asked for before
 * it is complete reads the rest there and then. A new snapshot makes a new one.
 */
#define _GNU_SOURCE   /* memmem() */
#include "config.h"

#include <string.h>

#include "tc-history-private.h"

typedef struct {
  gint64  rowid;
  gint64  created;
  guint32 end;       /* offset just past the record's text and its NUL */
  guint   region;    /* in regions */
} Record;

struct _HistorySearch
{
  GString      *text;
  GArray       *records;   /* Record, newest first: the order of the model */
  GPtrArray    *regions;   /* the regions of the records, each once */
  GHashTable   *region_index;  /* region → its place in regions + 1 */
  sqlite3_stmt *stmt;      /* NULL once every record is read */
};

/* @reader holds the snapshot. */
HistorySearch *
history_search_new (sqlite3 *reader)
{
  HistorySearch *self = g_new0 (HistorySearch, 1);

  self->text = g_string_new (NULL);
  self->records = g_array_new (FALSE, FALSE, sizeof (Record));
  self->regions = g_ptr_array_new_with_free_func (g_free);
  self->region_index = g_hash_table_new (g_str_hash, g_str_equal);
  /* The index that holds the search text, walked newest first; only rows of the same
   * time are sorted among themselves, so each step stays short. */
  if (sqlite3_prepare_v2 (reader, "SELECT rowid, created, search, coalesce (region, '') "
                          "FROM entries INDEXED BY entries_by_time "
                          "ORDER BY created DESC, rowid DESC", -1, &self->stmt, NULL) != SQLITE_OK)
    g_clear_pointer (&self->stmt, sqlite3_finalize);
  return self;
}

void
history_search_free (HistorySearch *self)
{
  sqlite3_finalize (self->stmt);
  g_string_free (self->text, TRUE);
  g_array_unref (self->records);
  g_hash_table_unref (self->region_index);
  g_ptr_array_unref (self->regions);
  g_free (self);
}

static guint
region_of (HistorySearch *self,
           const char    *region)
{
  guint place = GPOINTER_TO_UINT (g_hash_table_lookup (self->region_index, region));

  if (place == 0) {
    g_ptr_array_add (self->regions, g_strdup (region));
    place = self->regions->len;
    g_hash_table_insert (self->region_index, self->regions->pdata[place - 1],
                         GUINT_TO_POINTER (place));
  }
  return place - 1;
}

/* Reads records for about @budget_us µs (every one left when negative); TRUE once all are
 * read. */
gboolean
history_search_read (HistorySearch *self,
                     gint64         budget_us)
{
  gint64 until = g_get_monotonic_time () + budget_us;
  guint n = 0;

  while (self->stmt != NULL) {
    Record record;

    if (sqlite3_step (self->stmt) != SQLITE_ROW) {
      g_clear_pointer (&self->stmt, sqlite3_finalize);
      break;
    }
    record.rowid = sqlite3_column_int64 (self->stmt, 0);
    record.created = sqlite3_column_int64 (self->stmt, 1);
    g_string_append_len (self->text, (const char *) sqlite3_column_text (self->stmt, 2),
                         sqlite3_column_bytes (self->stmt, 2));
    g_string_append_c (self->text, '\0');
    record.end = (guint32) self->text->len;
    record.region = region_of (self, (const char *) sqlite3_column_text (self->stmt, 3));
    g_array_append_val (self->records, record);
    if (budget_us >= 0 && ++n % 256 == 0 && g_get_monotonic_time () >= until)
      break;
  }
  return self->stmt == NULL;
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

/* The records created at @cutoff or after whose text holds @folded, or whose region's
 * name does (广州 finds the records of ap-guangzhou: they keep the code): their positions
 * in the snapshot's order (guint), newest first. Reads whatever is not read yet. */
GArray *
history_search_find (HistorySearch *self,
                     const char    *folded,
                     gint64         cutoff)
{
  GArray *found = g_array_new (FALSE, FALSE, sizeof (guint));
  GArray *in_regions = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree gboolean *named = NULL;
  gboolean any = FALSE;
  size_t length = strlen (folded);
  const Record *records;
  const char *start, *end;
  guint i = 0;

  history_search_read (self, -1);
  records = (const Record *) (gpointer) self->records->data;
  start = self->text->str;
  end = start + self->text->len;
  while (length > 0 && start < end) {
    const char *hit = memmem (start, (size_t) (end - start), folded, length);
    guint32 offset;

    if (hit == NULL)
      break;
    /* The record it is in: the first that ends after it (a NUL ends each, and no search
     * holds one, so a hit never spans two). */
    offset = (guint32) (hit - self->text->str);
    while (records[i].end <= offset)
      i++;
    if (records[i].created < cutoff)
      break;   /* and every one after it */
    g_array_append_val (found, i);
    start = self->text->str + records[i].end;
    i++;
  }

  /* The regions are few: their names are looked at once each, the records once. */
  named = g_new0 (gboolean, self->regions->len);
  for (guint r = 0; r < self->regions->len; r++)
    any |= named[r] = tc_history_region_name_matches (self->regions->pdata[r], folded);
  for (i = 0; any && i < self->records->len && records[i].created >= cutoff; i++) {
    if (named[records[i].region])
      g_array_append_val (in_regions, i);
  }
  return merge (found, in_regions);
}

gint64
history_search_get_rowid (HistorySearch *self,
                          guint          position)
{
  return g_array_index (self->records, Record, position).rowid;
}

gint64
history_search_get_created (HistorySearch *self,
                            guint          position)
{
  return g_array_index (self->records, Record, position).created;
}
