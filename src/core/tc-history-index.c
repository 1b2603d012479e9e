/* tc-history-index.c: the History's search, in memory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A search keystroke over 100,000 records must be answered within a frame, and a two-
 * character query such as 广州 is common, which SQLite's trigram full-text index cannot
 * match. So the store keeps this index beside its records instead of asking the database.
 */
#define _GNU_SOURCE   /* memmem() */
#include "config.h"

#include <string.h>

#include "tc-history-private.h"

/* The search index: every record's folded search text in one buffer, each ended by a NUL
 * (a search holds none, so a hit never spans two), and the region of each, by its place
 * among the (few) regions. A search is one memmem() pass over it. The buffer holds the
 * records oldest first, the reverse of theirs, so that what changes most, the newest
 * records, is at its end: a new record is appended, and a change of one moves only the
 * text of those newer than it. The load's worker makes it; a new set of records makes it
 * again at the next search. Positions in the calls below are the records' (newest first). */
struct _HistoryIndex {
  GString    *text;
  GArray     *ends;      /* guint32: where each record's text ends (past its NUL) */
  GArray     *places;    /* guint16: each record's region, as its place in regions */
  GPtrArray  *regions;   /* interned, each once */
};

void
history_index_free (HistoryIndex *index)
{
  g_string_free (index->text, TRUE);
  g_array_unref (index->ends);
  g_array_unref (index->places);
  g_ptr_array_unref (index->regions);
  g_free (index);
}

/* Record @at changes: its text goes (@remove), @record's comes (if any). */
void
history_index_splice (HistoryIndex    *index,
                      guint            at,
                      gboolean         remove,
                      TcHistoryRecord *record)
{
  guint i = index->ends->len - (remove ? 1 : 0) - at;   /* in the buffer's order */
  guint32 start = i > 0 ? g_array_index (index->ends, guint32, i - 1) : 0;
  guint32 removed = remove ? g_array_index (index->ends, guint32, i) - start : 0;
  const char *text = record ? history_record_get_search (record) : NULL;
  guint32 added = text ? (guint32) strlen (text) + 1 : 0;

  if (remove) {
    g_string_erase (index->text, start, removed);
    g_array_remove_index (index->ends, i);
    g_array_remove_index (index->places, i);
  }
  if (record != NULL) {
    guint16 place = 0;

    while (place < index->regions->len && index->regions->pdata[place] != record->region)
      place++;
    if (place == index->regions->len)
      g_ptr_array_add (index->regions, (gpointer) record->region);
    g_string_insert_len (index->text, start, text, added);
    g_array_insert_val (index->ends, i, (guint32) { start + added });
    g_array_insert_val (index->places, i, place);
  }
  /* The newer records moved by the difference (modulo 2³², as guint32 does). */
  for (i += record != NULL; i < index->ends->len; i++)
    g_array_index (index->ends, guint32, i) += added - removed;
}

/* The index of @records, or @records added to @index (newer than its own). */
HistoryIndex *
history_index_add (HistoryIndex *index,
                   GPtrArray    *records)
{
  if (index == NULL) {
    index = g_new0 (HistoryIndex, 1);
    index->text = g_string_new (NULL);
    index->ends = g_array_new (FALSE, FALSE, sizeof (guint32));
    index->places = g_array_new (FALSE, FALSE, sizeof (guint16));
    index->regions = g_ptr_array_new ();
  }
  for (guint i = records->len; i > 0; i--)
    history_index_splice (index, 0, FALSE, records->pdata[i - 1]);
  return index;
}

/* The records the search finds, in their order: its text in a record's search text, or
 * the name of its region (广州 finds ap-guangzhou); @records itself when @folded is NULL. */
GPtrArray *
history_index_find (HistoryIndex *index,
                    GPtrArray    *records,
                    const char   *folded)
{
  GPtrArray *found;
  g_autofree guint8 *hit = NULL;
  g_autofree gboolean *named = NULL;
  const guint32 *ends;
  const char *text, *start, *end;
  gsize length;
  guint i = 0, n = records->len;

  if (folded == NULL)
    return g_ptr_array_ref (records);

  hit = g_new0 (guint8, n);
  named = g_new0 (gboolean, index->regions->len);
  ends = (const guint32 *) (gpointer) index->ends->data;
  text = start = index->text->str;
  end = text + index->text->len;
  length = strlen (folded);
  while (start < end) {
    const char *at = memmem (start, (gsize) (end - start), folded, length);

    if (at == NULL)
      break;
    while (ends[i] <= (guint32) (at - text))
      i++;
    hit[i] = TRUE;
    start = text + ends[i++];
  }
  for (guint r = 0; r < index->regions->len; r++)
    named[r] = tc_history_region_name_matches (index->regions->pdata[r], folded);
  found = g_ptr_array_new ();   /* the records own them */
  for (i = n; i > 0; i--) {
    if (hit[i - 1] || named[g_array_index (index->places, guint16, i - 1)])
      g_ptr_array_add (found, records->pdata[n - i]);
  }
  return found;
}
