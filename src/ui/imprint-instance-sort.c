/* imprint-instance-sort.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A region's instances sorted a few milliseconds at a time, between frames, for
 * ImprintInstanceList: a bottom-up merge sort that can stop after any element and go on
 * later. Each pass merges pairs of sorted runs from one buffer into the other, doubling
 * their length; a merge keeps the left run's item first when two compare equal, so the
 * sort is stable. The comparisons are the caller's GtkSorter's, on the main thread (the
 * column view's sorter can change at any click); its columns compare keys the instances
 * were made with. Last, the search keys are read out in order, which touches every
 * instance too.
 */
#include "config.h"

#include <string.h>

#include "imprint-instance-sort.h"

struct _ImprintInstanceSort {
  GPtrArray *owner;    /* keeps the items alive (references) */
  GPtrArray *items;    /* the owner's, in the order they came; sorted once done */
  GString   *keys;     /* the search key of each sorted item, made last: see
                        * ImprintSearchKeys */
  GArray    *ends;
  gpointer  *from;     /* the last pass's output: every item, in runs of width */
  gpointer  *to;
  gpointer  *scratch;
  guint      n;
  guint      width;
  guint      lo;       /* the pair of runs being merged: [lo, lo + width), [lo + width, hi) */
  guint      i, j, k;  /* next of the left run, of the right, and where it goes */
};

static void
sort_begin (ImprintInstanceSort *sort)
{
  sort->n = sort->items->len;
  sort->from = sort->items->pdata;
  sort->to = sort->scratch = g_new (gpointer, MAX (sort->n, 1));
  sort->width = 1;
  sort->lo = sort->i = sort->k = 0;
  sort->j = MIN (1, sort->n);
}

static void
clear_keys (ImprintInstanceSort *sort)
{
  if (sort->keys != NULL)
    g_string_free (g_steal_pointer (&sort->keys), TRUE);
  g_clear_pointer (&sort->ends, g_array_unref);
}

ImprintSearchKeys *
imprint_search_keys_new (void)
{
  ImprintSearchKeys *keys = g_new0 (ImprintSearchKeys, 1);

  keys->text = g_strdup ("");
  return keys;
}

void
imprint_search_keys_free (ImprintSearchKeys *keys)
{
  g_free (keys->text);
  g_free (keys->ends);
  g_free (keys);
}

/**
 * imprint_instance_sort_new:
 * @owner: #TcInstance references, in any order; the sort holds a reference to the array
 *
 * Returns: (transfer full): a sort of the instances of @owner, not begun
 */
ImprintInstanceSort *
imprint_instance_sort_new (GPtrArray *owner)
{
  ImprintInstanceSort *sort = g_new0 (ImprintInstanceSort, 1);

  sort->owner = g_ptr_array_ref (owner);
  /* The copy borrows what the owner holds (it came with the owner's free function). */
  sort->items = g_ptr_array_copy (owner, NULL, NULL);
  g_ptr_array_set_free_func (sort->items, NULL);
  sort_begin (sort);
  return sort;
}

void
imprint_instance_sort_free (ImprintInstanceSort *sort)
{
  g_clear_pointer (&sort->owner, imprint_instance_release);
  g_clear_pointer (&sort->items, g_ptr_array_unref);
  clear_keys (sort);
  g_free (sort->scratch);
  g_free (sort);
}

/**
 * imprint_instance_sort_restart:
 *
 * Starts again, from every item where the last pass left it: the order asked for changed.
 */
void
imprint_instance_sort_restart (ImprintInstanceSort *sort)
{
  if (sort->from != sort->items->pdata)
    memcpy (sort->items->pdata, sort->from, sort->n * sizeof (gpointer));
  g_free (sort->scratch);
  clear_keys (sort);
  sort_begin (sort);
}

/**
 * imprint_instance_sort_step:
 * @sorter: (nullable): the order; %NULL keeps the owner's
 * @deadline: when to stop, in g_get_monotonic_time()'s time
 *
 * Merges, then reads the search keys, until done or until @deadline has passed.
 *
 * Returns: whether it is done
 */
gboolean
imprint_instance_sort_step (ImprintInstanceSort *sort,
                            GtkSorter           *sorter,
                            gint64               deadline)
{
  guint count = 0;

  while (sorter != NULL && sort->width < sort->n) {
    guint mid = MIN (sort->lo + sort->width, sort->n);
    guint hi = MIN (sort->lo + 2 * (gsize) sort->width, sort->n);

    while (sort->k < hi) {
      if (sort->i < mid &&
          (sort->j >= hi ||
           gtk_sorter_compare (sorter, sort->from[sort->j], sort->from[sort->i]) != GTK_ORDERING_SMALLER))
        sort->to[sort->k++] = sort->from[sort->i++];
      else
        sort->to[sort->k++] = sort->from[sort->j++];

      if (++count % 256 == 0 && g_get_monotonic_time () >= deadline)
        return FALSE;
    }

    sort->lo = hi;
    if (sort->lo >= sort->n) {
      gpointer *swap = sort->from;

      sort->from = sort->to;
      sort->to = swap;
      sort->width *= 2;
      sort->lo = 0;
    }
    sort->i = sort->k = sort->lo;
    sort->j = MIN (sort->lo + sort->width, sort->n);
  }

  if (sort->from != sort->items->pdata) {
    memcpy (sort->items->pdata, sort->from, sort->n * sizeof (gpointer));
    sort->from = sort->items->pdata;
  }

  /* The keys the search reads, in order, as a part of the work too: reading them touches
   * every instance, scattered in memory. */
  if (sort->keys == NULL) {
    sort->keys = g_string_sized_new (sort->n * 48);
    sort->ends = g_array_sized_new (FALSE, FALSE, sizeof (guint32), sort->n);
  }
  while (sort->ends->len < sort->n) {
    const char *key = tc_instance_get_search_key (sort->items->pdata[sort->ends->len]);
    guint32 end;

    g_string_append_len (sort->keys, key, (gssize) strlen (key) + 1);
    end = (guint32) (sort->keys->len - 1);
    g_array_append_val (sort->ends, end);
    if (++count % 256 == 0 && g_get_monotonic_time () >= deadline)
      return FALSE;
  }
  return TRUE;
}

/**
 * imprint_instance_sort_get_n:
 *
 * Returns: how many instances are sorted
 */
guint
imprint_instance_sort_get_n (ImprintInstanceSort *sort)
{
  return sort->n;
}

/**
 * imprint_instance_sort_finish:
 * @owner: (out) (transfer full): the references that keep the instances alive
 * @sorted: (out) (transfer full): the instances, in order, borrowed from @owner
 * @keys: (out) (transfer full): the search key of each, in the same order
 *
 * Hands over what a sort made, once imprint_instance_sort_step() said it is done.
 */
void
imprint_instance_sort_finish (ImprintInstanceSort  *sort,
                              GPtrArray           **owner,
                              GPtrArray           **sorted,
                              ImprintSearchKeys   **keys)
{
  ImprintSearchKeys *made;

  g_return_if_fail (sort->ends != NULL && sort->ends->len == sort->n);

  made = g_new0 (ImprintSearchKeys, 1);
  made->len = sort->keys->len;
  made->text = g_string_free (g_steal_pointer (&sort->keys), FALSE);
  made->n = sort->ends->len;
  made->ends = (guint32 *) (void *) g_array_free (g_steal_pointer (&sort->ends), FALSE);
  *owner = g_steal_pointer (&sort->owner);
  *sorted = g_steal_pointer (&sort->items);
  *keys = made;
}

static gpointer
release_thread (gpointer data)
{
  g_ptr_array_unref (data);
  return NULL;
}

/**
 * imprint_instance_release:
 * @owner: (transfer full): references to instances
 *
 * Drops the references. The last reference to 100,000 instances frees over a million
 * blocks, a few hundred milliseconds: a thread of its own does that, not the UI thread.
 * Whoever else holds an instance holds a reference.
 */
void
imprint_instance_release (GPtrArray *owner)
{
  if (owner->len < 1000)
    g_ptr_array_unref (owner);
  else
    g_thread_unref (g_thread_new ("imprint-release", release_thread, owner));
}
