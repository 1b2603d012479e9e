/* imprint-instance-list.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Why not GtkFilterListModel and GtkSingleSelection: GTK 4.8's list view keeps about 200 rows
 * bound around what is on screen, and keeps a row's widgets only while the *same item* stays
 * there. A search changes most of the items in that window, so with a filter model every
 * keystroke destroyed and rebuilt up to 200 rows of cells: 15 to 60 ms a keystroke over
 * 10,000 instances, and frames of 85 to 190 ms after it (benchmarks/bench-filter.c). GTK 4.8
 * also cannot make one row of a GtkColumnView unselectable (GtkColumnViewRow came in 4.12).
 *
 * So this model keeps its row objects in place and changes which instance each one shows;
 * only rows added or removed at the end are items-changed, and only rows the view has bound
 * hear of their change. A row object is made only when the view first asks for it.
 *
 * GTK 4.8's list view makes the widgets of every row it will keep (up to 200) as soon as the
 * rows are added, about 0.7 ms a row of seven cells here, and binds them all again at every
 * search. Given its view's adjustment, the list lists only a part of what matches, a part
 * more as the view is scrolled to its end (ImprintListPager drives its "size"): a search,
 * a new order or a new listing starts again from its first part, so a keystroke binds
 * about a screenful of rows, not 200; once the search is still, every match is listed, a
 * part a frame, so that the scroll bar stands for all of them. The selected row is always
 * listed. Whoever counts counts the matches (imprint_instance_list_get_n_matches()), not
 * the rows listed. The search itself is one memmem() pass over the case-folded keys each
 * instance was made with, laid end to end by the sort (ImprintSearchKeys). The selection
 * lives here too, and refuses what the caller's predicate refuses (the rules, for the
 * picker).
 *
 * Why not GtkSortListModel either: given a region's 100,000 instances in one splice it made
 * a sort key for each and sorted them all before the next frame, a stall of over a second
 * (benchmarks/bench-stall.c). Here the order is made by a merge sort that runs in slices of
 * a few milliseconds between frames (imprint-instance-sort.c), with the caller's sorter (the column view's, whose
 * columns compare keys made with the instances); the rows move to the new order only once
 * it is whole, in one step. A small list is sorted at once.
 */
#define _GNU_SOURCE   /* memmem() */
#include "config.h"

#include <string.h>

#include "imprint-instance-list.h"
#include "imprint-instance-sort.h"
#include "imprint-list-pager.h"
#include "tc-array-model.h"

/* ImprintInstanceRow */

struct _ImprintInstanceRow
{
  GObject              parent_instance;

  ImprintInstanceList *list;       /* not a reference: the list owns its rows */
  guint                position;
  guint                watchers;
  TcInstance          *shown;      /* not a reference: what the watchers last heard of */
};

G_DEFINE_FINAL_TYPE (ImprintInstanceRow, imprint_instance_row, G_TYPE_OBJECT)

enum {
  ROW_PROP_0,
  ROW_PROP_INSTANCE,
  ROW_N_PROPS
};

static GParamSpec *row_properties[ROW_N_PROPS];

static void
imprint_instance_row_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  switch (prop_id) {
  case ROW_PROP_INSTANCE:
    g_value_set_object (value, imprint_instance_row_get_instance (IMPRINT_INSTANCE_ROW (object)));
    break;

  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
imprint_instance_row_class_init (ImprintInstanceRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = imprint_instance_row_get_property;

  row_properties[ROW_PROP_INSTANCE] =
    g_param_spec_object ("instance", NULL, NULL, TC_TYPE_INSTANCE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, ROW_N_PROPS, row_properties);
}

static void
imprint_instance_row_init (ImprintInstanceRow *self)
{
}

/**
 * imprint_instance_row_watch:
 *
 * Asks to be told (with "notify::instance") when the row comes to show another instance.
 */
void
imprint_instance_row_watch (ImprintInstanceRow *self)
{
  g_return_if_fail (IMPRINT_IS_INSTANCE_ROW (self));

  if (self->watchers++ == 0)
    self->shown = imprint_instance_row_get_instance (self);
}

void
imprint_instance_row_unwatch (ImprintInstanceRow *self)
{
  g_return_if_fail (IMPRINT_IS_INSTANCE_ROW (self));
  g_return_if_fail (self->watchers > 0);

  if (--self->watchers == 0)
    self->shown = NULL;
}

/* How long a slice of sorting may take: a frame is 16.7 ms, and it has more to do. Up to
 * SORT_AT_ONCE instances (a millisecond or two) are sorted in one go, whatever the clock
 * says: a busy machine must not make a small list's order come later. */
#define SORT_SLICE_USEC 4000
#define SORT_AT_ONCE    2000

/* ImprintInstanceList */

struct _ImprintInstanceList
{
  GObject                parent_instance;

  GtkSorter             *sorter;         /* the order, or NULL for the order given */
  GPtrArray             *owner;          /* TcInstance (references): keeps them alive */
  GPtrArray             *all;            /* the owner's instances, sorted */
  ImprintSearchKeys     *keys;           /* the search key of each, in the same order */
  GPtrArray             *visible;        /* TcInstance matching the search (borrowed) */
  GPtrArray             *rows;           /* ImprintInstanceRow or NULL until asked for: the
                                          * first n_rows are listed, the rest wait to be
                                          * used again */
  guint                  n_rows;
  guint                  size;           /* how many matches to list at most, the selected
                                          * row aside */
  ImprintListPager      *pager;          /* sets the size as the view is scrolled, or NULL */
  ImprintInstanceSort   *sort;           /* the order being made, or NULL */
  guint                  sort_source;
  TcArrayModel          *instances;      /* the visible instances, for callers that want
                                          * them rather than the rows */
  char                  *needle;         /* case-folded search text, "" for all */

  guint                  selected;       /* a position, or GTK_INVALID_LIST_POSITION */
  TcInstance            *selected_instance;
  ImprintSelectableFunc  selectable;
  gpointer               selectable_data;

  GPtrArray             *ticked;         /* TcInstance (references), in the order ticked */
  GHashTable            *ticked_ids;     /* the instance ID of each → its TcInstance */
};

enum {
  LIST_SIGNAL_TICKS_CHANGED,
  LIST_N_SIGNALS
};

static guint list_signals[LIST_N_SIGNALS];

enum {
  LIST_PROP_0,
  LIST_PROP_SORTING,
  LIST_PROP_SIZE,
  LIST_N_PROPS
};

static GParamSpec *list_properties[LIST_N_PROPS];

static void imprint_instance_list_list_model_init (GListModelInterface *iface);
static void imprint_instance_list_selection_model_init (GtkSelectionModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ImprintInstanceList, imprint_instance_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      imprint_instance_list_list_model_init)
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SELECTION_MODEL,
                                                      imprint_instance_list_selection_model_init))

/**
 * imprint_instance_row_get_instance:
 *
 * Returns: (transfer none) (nullable): the instance the row shows now
 */
TcInstance *
imprint_instance_row_get_instance (ImprintInstanceRow *self)
{
  g_return_val_if_fail (IMPRINT_IS_INSTANCE_ROW (self), NULL);

  if (self->list == NULL || self->position >= self->list->n_rows)
    return NULL;

  return g_ptr_array_index (self->list->visible, self->position);
}

/* How many rows to list: the part asked for, and the selected row whatever the part. */
static guint
n_listed (ImprintInstanceList *self)
{
  guint n = self->size;

  if (self->selected != GTK_INVALID_LIST_POSITION)
    n = MAX (n, self->selected + 1);
  return MIN (n, self->visible->len);
}

/* Lists as many rows as n_listed() says, from @old_n listed; tells the list view. The
 * rows kept show what they did. */
static void
relist (ImprintInstanceList *self,
        guint                old_n)
{
  guint n = n_listed (self);
  guint kept = MIN (old_n, n);

  if (n == old_n)
    return;
  if (self->rows->len < n)
    g_ptr_array_set_size (self->rows, n);
  self->n_rows = n;
  g_list_model_items_changed (G_LIST_MODEL (self), kept, old_n - kept, n - kept);
}

/* A new search, order or listing: its first part. */
static void
restart_part (ImprintInstanceList *self)
{
  if (self->pager != NULL)
    imprint_list_pager_reset (self->pager);
}

static void
set_selected (ImprintInstanceList *self,
              guint                position)
{
  guint old = self->selected;

  if (old == position)
    return;

  self->selected = position;
  if (position != GTK_INVALID_LIST_POSITION)
    g_set_object (&self->selected_instance, g_ptr_array_index (self->visible, position));
  else
    g_clear_object (&self->selected_instance);
  /* A row chosen beyond the part (a refresh keeps the choice) is listed at once. */
  relist (self, self->n_rows);

  if (old == GTK_INVALID_LIST_POSITION)
    gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), position, 1);
  else if (position == GTK_INVALID_LIST_POSITION)
    gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), old, 1);
  else
    gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), MIN (old, position),
                                           MAX (old, position) - MIN (old, position) + 1);
}

/* Applies the needle to every instance's search key, then tells the watched rows what they
 * show now and the list view how many rows there are. */
static void
refilter (ImprintInstanceList *self)
{
  const char *needle = self->needle;
  gsize needle_len = strlen (needle);
  /* No search: every instance, in the same array (it is never changed in place). */
  g_autoptr(GPtrArray) visible = *needle ? g_ptr_array_new () : g_ptr_array_ref (self->all);
  const char *text = self->keys->text;
  const char *at = text, *end = text + self->keys->len, *hit;
  guint old_n = self->n_rows;
  guint old_selected = self->selected;
  guint selected = GTK_INVALID_LIST_POSITION;
  guint new_n, kept, key = 0;

  if (*needle == '\0' && self->selected_instance != NULL)
    g_ptr_array_find (self->all, self->selected_instance, &selected);
  /* One pass over the keys: a match lies within one key (no needle holds their NUL), and
   * the next is looked for from the key after it. */
  while (*needle != '\0' && (hit = memmem (at, (gsize) (end - at), needle, needle_len)) != NULL) {
    TcInstance *instance;

    while (self->keys->ends[key] < (gsize) (hit - text))
      key++;
    instance = g_ptr_array_index (self->all, key);
    if (instance == self->selected_instance)
      selected = visible->len;
    g_ptr_array_add (visible, instance);
    at = text + self->keys->ends[key] + 1;
    key++;
  }

  g_ptr_array_unref (self->visible);
  self->visible = g_ptr_array_ref (visible);

  self->selected = selected;
  if (selected == GTK_INVALID_LIST_POSITION)
    g_clear_object (&self->selected_instance);
  /* Until the view hears of the rows that come or go, it knows of those kept. */
  new_n = n_listed (self);
  kept = MIN (old_n, new_n);
  self->n_rows = kept;

  /* The rows that stay and are shown get their new instances; only the tail comes or
   * goes. */
  for (guint i = 0; i < kept; i++) {
    ImprintInstanceRow *row = g_ptr_array_index (self->rows, i);
    TcInstance *instance = g_ptr_array_index (visible, i);

    if (row != NULL && row->watchers > 0 && row->shown != instance) {
      row->shown = instance;
      g_object_notify_by_pspec (G_OBJECT (row), row_properties[ROW_PROP_INSTANCE]);
    }
  }

  relist (self, old_n);

  /* A kept row may now show, or no longer show, the selected instance. */
  if (old_selected != selected) {
    if (old_selected != GTK_INVALID_LIST_POSITION && old_selected < kept)
      gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), old_selected, 1);
    if (selected != GTK_INVALID_LIST_POSITION && selected < kept)
      gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), selected, 1);
  }

  tc_array_model_set_items (self->instances, visible);
}

/* A new listing: the ticks move to the instances now listed under the same IDs, in the
 * order they were ticked; what is gone, or can no longer be imaged, is no longer ticked. */
static void
retick (ImprintInstanceList *self)
{
  g_autoptr(GHashTable) found = NULL;
  g_autoptr(GPtrArray) old = NULL;

  if (self->ticked->len == 0)
    return;

  found = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < self->all->len; i++) {
    TcInstance *instance = g_ptr_array_index (self->all, i);

    if (g_hash_table_contains (self->ticked_ids, tc_instance_get_id (instance)))
      g_hash_table_insert (found, (gpointer) tc_instance_get_id (instance), instance);
  }

  old = g_steal_pointer (&self->ticked);
  self->ticked = g_ptr_array_new_with_free_func (g_object_unref);
  g_hash_table_remove_all (self->ticked_ids);
  for (guint i = 0; i < old->len; i++) {
    TcInstance *now = g_hash_table_lookup (found, tc_instance_get_id (g_ptr_array_index (old, i)));

    if (!imprint_instance_list_can_select (self, now))
      continue;
    g_ptr_array_add (self->ticked, g_object_ref (now));
    g_hash_table_insert (self->ticked_ids, (gpointer) tc_instance_get_id (now), now);
  }
  g_signal_emit (self, list_signals[LIST_SIGNAL_TICKS_CHANGED], 0);
}

/* A new listing has new objects: the selection moves to the instance listed under the same
 * ID, the row clicked while the listing was being sorted too, unless it is gone or can no
 * longer be imaged (refilter() then clears it). */
static void
reselect (ImprintInstanceList *self)
{
  const char *id;

  if (self->selected_instance == NULL || g_ptr_array_find (self->all, self->selected_instance, NULL))
    return;

  id = tc_instance_get_id (self->selected_instance);
  for (guint i = 0; i < self->all->len; i++) {
    TcInstance *instance = g_ptr_array_index (self->all, i);

    if (g_strcmp0 (tc_instance_get_id (instance), id) == 0) {
      if (imprint_instance_list_can_select (self, instance))
        g_set_object (&self->selected_instance, instance);
      return;
    }
  }
}

/* Shows the sorted instances as every instance there is. The old ones live until the rows
 * have moved off them. */
static void
set_all (ImprintInstanceList *self,
         ImprintInstanceSort *sort)
{
  GPtrArray *old_owner = g_steal_pointer (&self->owner);
  g_autoptr(GPtrArray) old_all = g_steal_pointer (&self->all);
  g_autoptr(ImprintSearchKeys) old_keys = g_steal_pointer (&self->keys);

  restart_part (self);
  imprint_instance_sort_finish (sort, &self->owner, &self->all, &self->keys);
  reselect (self);
  refilter (self);
  retick (self);
  imprint_instance_release (old_owner);
}

/* A slice of the sort; the sorted instances are shown once it is done. */
static gboolean
sort_slice (ImprintInstanceList *self)
{
  g_autoptr(ImprintInstanceSort) sort = NULL;
  gboolean at_once = imprint_instance_sort_get_n (self->sort) <= SORT_AT_ONCE;

  if (!imprint_instance_sort_step (self->sort, self->sorter,
                                   at_once ? G_MAXINT64 : g_get_monotonic_time () + SORT_SLICE_USEC))
    return FALSE;

  sort = g_steal_pointer (&self->sort);
  set_all (self, sort);
  g_object_notify_by_pspec (G_OBJECT (self), list_properties[LIST_PROP_SORTING]);
  return TRUE;
}

static gboolean
sort_slice_cb (gpointer user_data)
{
  ImprintInstanceList *self = user_data;

  if (!sort_slice (self))
    return G_SOURCE_CONTINUE;
  self->sort_source = 0;
  return G_SOURCE_REMOVE;
}

/* Sorts the instances of @owner and shows them when they are in order: a first slice at
 * once, the rest between frames. */
static void
start_sort (ImprintInstanceList *self,
            GPtrArray           *owner)
{
  gboolean was_sorting = self->sort != NULL;

  g_clear_pointer (&self->sort, imprint_instance_sort_free);
  self->sort = imprint_instance_sort_new (owner);
  if (sort_slice (self)) {
    g_clear_handle_id (&self->sort_source, g_source_remove);
    if (was_sorting)
      g_object_notify_by_pspec (G_OBJECT (self), list_properties[LIST_PROP_SORTING]);
    return;
  }

  /* Below the frame clock's priorities: a slice never keeps a frame waiting. */
  if (self->sort_source == 0)
    self->sort_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, sort_slice_cb, self, NULL);
  if (!was_sorting)
    g_object_notify_by_pspec (G_OBJECT (self), list_properties[LIST_PROP_SORTING]);
}

static void
sorter_changed_cb (GtkSorter           *sorter,
                   GtkSorterChange      change,
                   ImprintInstanceList *self)
{
  /* A sort under way starts again in the new order; else the instances shown are sorted
   * again. */
  if (self->sort != NULL) {
    imprint_instance_sort_restart (self->sort);
    return;
  }
  start_sort (self, self->owner);
}

/* GListModel */

static GType
list_get_item_type (GListModel *model)
{
  return IMPRINT_TYPE_INSTANCE_ROW;
}

static guint
list_get_n_items (GListModel *model)
{
  return IMPRINT_INSTANCE_LIST (model)->n_rows;
}

static gpointer
list_get_item (GListModel *model,
               guint       position)
{
  ImprintInstanceList *self = IMPRINT_INSTANCE_LIST (model);
  ImprintInstanceRow *row;

  if (position >= self->n_rows)
    return NULL;

  row = g_ptr_array_index (self->rows, position);
  if (row == NULL) {
    row = g_object_new (IMPRINT_TYPE_INSTANCE_ROW, NULL);
    row->list = self;
    row->position = position;
    g_ptr_array_index (self->rows, position) = row;
  }
  return g_object_ref (row);
}

static void
imprint_instance_list_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = list_get_item_type;
  iface->get_n_items = list_get_n_items;
  iface->get_item = list_get_item;
}

/* GtkSelectionModel: one row at most, and only one the predicate accepts. */

static gboolean
list_is_selected (GtkSelectionModel *model,
                  guint              position)
{
  return IMPRINT_INSTANCE_LIST (model)->selected == position;
}

static GtkBitset *
list_get_selection_in_range (GtkSelectionModel *model,
                             guint              position,
                             guint              n_items)
{
  ImprintInstanceList *self = IMPRINT_INSTANCE_LIST (model);
  GtkBitset *result = gtk_bitset_new_empty ();

  if (self->selected != GTK_INVALID_LIST_POSITION &&
      self->selected >= position && self->selected - position < n_items)
    gtk_bitset_add (result, self->selected);

  return result;
}

static gboolean
list_select_item (GtkSelectionModel *model,
                  guint              position,
                  gboolean           unselect_rest)
{
  ImprintInstanceList *self = IMPRINT_INSTANCE_LIST (model);

  if (position >= self->visible->len)
    return FALSE;

  if (self->selectable != NULL &&
      !self->selectable (g_ptr_array_index (self->visible, position), self->selectable_data))
    return FALSE;

  set_selected (self, position);
  return TRUE;
}

static gboolean
list_unselect_item (GtkSelectionModel *model,
                    guint              position)
{
  ImprintInstanceList *self = IMPRINT_INSTANCE_LIST (model);

  if (self->selected != position)
    return FALSE;

  set_selected (self, GTK_INVALID_LIST_POSITION);
  return TRUE;
}

static gboolean
list_unselect_all (GtkSelectionModel *model)
{
  set_selected (IMPRINT_INSTANCE_LIST (model), GTK_INVALID_LIST_POSITION);
  return TRUE;
}

static void
imprint_instance_list_selection_model_init (GtkSelectionModelInterface *iface)
{
  iface->is_selected = list_is_selected;
  iface->get_selection_in_range = list_get_selection_in_range;
  iface->select_item = list_select_item;
  iface->unselect_item = list_unselect_item;
  iface->unselect_all = list_unselect_all;
}

/* GObject */

static void
row_free (gpointer row)
{
  if (row != NULL)
    g_object_unref (row);
}

static void
imprint_instance_list_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  switch (prop_id) {
  case LIST_PROP_SORTING:
    g_value_set_boolean (value, imprint_instance_list_is_sorting (IMPRINT_INSTANCE_LIST (object)));
    break;

  case LIST_PROP_SIZE:
    g_value_set_uint (value, IMPRINT_INSTANCE_LIST (object)->size);
    break;

  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
imprint_instance_list_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  ImprintInstanceList *self = IMPRINT_INSTANCE_LIST (object);

  switch (prop_id) {
  case LIST_PROP_SIZE:
    if (self->size == g_value_get_uint (value))
      break;
    self->size = g_value_get_uint (value);
    relist (self, self->n_rows);
    g_object_notify_by_pspec (object, pspec);
    break;

  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
imprint_instance_list_dispose (GObject *object)
{
  ImprintInstanceList *self = IMPRINT_INSTANCE_LIST (object);

  g_clear_handle_id (&self->sort_source, g_source_remove);
  g_clear_pointer (&self->sort, imprint_instance_sort_free);
  g_clear_object (&self->pager);
  if (self->sorter != NULL)
    g_signal_handlers_disconnect_by_func (self->sorter, sorter_changed_cb, self);
  g_clear_object (&self->sorter);

  /* Rows the list view still holds outlive the list: they show nothing from now on. */
  for (guint i = 0; i < self->rows->len; i++) {
    ImprintInstanceRow *row = g_ptr_array_index (self->rows, i);

    if (row != NULL)
      row->list = NULL;
  }
  g_clear_object (&self->selected_instance);
  g_hash_table_remove_all (self->ticked_ids);
  g_ptr_array_set_size (self->ticked, 0);
  if (self->instances != NULL) {
    g_autoptr(GPtrArray) none = g_ptr_array_new ();

    /* Whoever still holds the instances model keeps a consistent, empty one. */
    tc_array_model_set_items (self->instances, none);
  }
  g_clear_object (&self->instances);

  G_OBJECT_CLASS (imprint_instance_list_parent_class)->dispose (object);
}

static void
imprint_instance_list_finalize (GObject *object)
{
  ImprintInstanceList *self = IMPRINT_INSTANCE_LIST (object);

  g_ptr_array_unref (self->rows);
  g_ptr_array_unref (self->visible);
  imprint_search_keys_free (self->keys);
  g_ptr_array_unref (self->all);
  imprint_instance_release (self->owner);
  g_free (self->needle);
  g_hash_table_unref (self->ticked_ids);
  g_ptr_array_unref (self->ticked);

  G_OBJECT_CLASS (imprint_instance_list_parent_class)->finalize (object);
}

static void
imprint_instance_list_class_init (ImprintInstanceListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = imprint_instance_list_dispose;
  object_class->finalize = imprint_instance_list_finalize;
  object_class->get_property = imprint_instance_list_get_property;
  object_class->set_property = imprint_instance_list_set_property;

  /* Whether instances given, or the order asked for, are still being sorted: the rows show
   * the instances as they were until then. */
  list_properties[LIST_PROP_SORTING] =
    g_param_spec_boolean ("sorting", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* How many matches are listed at most, the selected row aside: all of them unless set
   * (by the list's ImprintListPager). */
  list_properties[LIST_PROP_SIZE] =
    g_param_spec_uint ("size", NULL, NULL, 0, G_MAXUINT, G_MAXUINT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, LIST_N_PROPS, list_properties);

  /* Which instances are ticked changed: one was (un)ticked, or a listing moved them. */
  list_signals[LIST_SIGNAL_TICKS_CHANGED] =
    g_signal_new ("ticks-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
imprint_instance_list_init (ImprintInstanceList *self)
{
  self->owner = g_ptr_array_new ();
  self->all = g_ptr_array_new ();
  self->keys = imprint_search_keys_new ();
  self->visible = g_ptr_array_new ();
  self->rows = g_ptr_array_new_with_free_func (row_free);
  self->instances = tc_array_model_new (TC_TYPE_INSTANCE, NULL);
  self->needle = g_strdup ("");
  self->selected = GTK_INVALID_LIST_POSITION;
  self->size = G_MAXUINT;
  self->ticked = g_ptr_array_new_with_free_func (g_object_unref);
  self->ticked_ids = g_hash_table_new (g_str_hash, g_str_equal);
}

/**
 * imprint_instance_list_new:
 * @sorter: (nullable): the order to show instances in; %NULL for the order they are given
 * @selectable: (nullable): whether an instance may be selected
 *
 * Returns: (transfer full): an empty list
 */
ImprintInstanceList *
imprint_instance_list_new (GtkSorter             *sorter,
                           ImprintSelectableFunc  selectable,
                           gpointer               user_data)
{
  ImprintInstanceList *self;

  g_return_val_if_fail (sorter == NULL || GTK_IS_SORTER (sorter), NULL);

  self = g_object_new (IMPRINT_TYPE_INSTANCE_LIST, NULL);
  self->selectable = selectable;
  self->selectable_data = user_data;
  if (sorter != NULL) {
    self->sorter = g_object_ref (sorter);
    g_signal_connect (sorter, "changed", G_CALLBACK (sorter_changed_cb), self);
  }
  return self;
}

/**
 * imprint_instance_list_set_adjustment:
 * @vadjustment: (nullable): the vertical adjustment of the list's view; %NULL to list every
 *   match
 *
 * Lists the first part of the matches, a part more whenever the view is scrolled near the
 * end of those listed, and every match once the list is still (see #ImprintListPager).
 */
void
imprint_instance_list_set_adjustment (ImprintInstanceList *self,
                                      GtkAdjustment       *vadjustment)
{
  g_return_if_fail (IMPRINT_IS_INSTANCE_LIST (self));
  g_return_if_fail (vadjustment == NULL || GTK_IS_ADJUSTMENT (vadjustment));

  if (vadjustment == NULL) {
    g_clear_object (&self->pager);
    g_object_set (self, "size", G_MAXUINT, NULL);
    return;
  }
  if (self->pager == NULL) {
    self->pager = imprint_list_pager_new_for_part (G_LIST_MODEL (self));
    /* Every match once the search is still: the scroll bar stands for all of them. */
    imprint_list_pager_set_fill (self->pager, TRUE);
  }
  imprint_list_pager_set_adjustment (self->pager, vadjustment);
}

/**
 * imprint_instance_list_reach:
 *
 * Lists the row at @position of the matches, to tick or scroll to it.
 */
void
imprint_instance_list_reach (ImprintInstanceList *self,
                             guint                position)
{
  g_return_if_fail (IMPRINT_IS_INSTANCE_LIST (self));

  if (self->pager != NULL)
    imprint_list_pager_reach (self->pager, position);
}

/**
 * imprint_instance_list_get_n_matches:
 *
 * Returns: how many instances match the search, listed already or still to come
 */
guint
imprint_instance_list_get_n_matches (ImprintInstanceList *self)
{
  g_return_val_if_fail (IMPRINT_IS_INSTANCE_LIST (self), 0);

  return self->visible->len;
}

/**
 * imprint_instance_list_set_instances:
 * @instances: a #GListModel of #TcInstance: all there are now
 *
 * Shows @instances instead of those before, in the sorter's order, once they are sorted:
 * a small list at once, a large one after a few frames (see #ImprintInstanceList:sorting).
 */
void
imprint_instance_list_set_instances (ImprintInstanceList *self,
                                     GListModel          *instances)
{
  g_autoptr(GPtrArray) owner = NULL;

  g_return_if_fail (IMPRINT_IS_INSTANCE_LIST (self));
  g_return_if_fail (G_IS_LIST_MODEL (instances));

  /* A listing's array is shared as it is: a reference to each of 100,000 instances, each
   * a cache miss, cost 20 to 30 ms. */
  if (TC_IS_ARRAY_MODEL (instances)) {
    owner = g_ptr_array_ref (tc_array_model_get_items (TC_ARRAY_MODEL (instances)));
  } else {
    guint n = g_list_model_get_n_items (instances);

    owner = g_ptr_array_new_full (n, g_object_unref);
    for (guint i = 0; i < n; i++)
      g_ptr_array_add (owner, g_list_model_get_item (instances, i));
  }
  start_sort (self, owner);
}

/**
 * imprint_instance_list_is_sorting:
 *
 * Returns: whether instances given, or the sorter's new order, are still being sorted
 */
gboolean
imprint_instance_list_is_sorting (ImprintInstanceList *self)
{
  g_return_val_if_fail (IMPRINT_IS_INSTANCE_LIST (self), FALSE);

  return self->sort != NULL;
}

/**
 * imprint_instance_list_get_n_all:
 *
 * Returns: how many instances there are, shown or hidden by the search
 */
guint
imprint_instance_list_get_n_all (ImprintInstanceList *self)
{
  g_return_val_if_fail (IMPRINT_IS_INSTANCE_LIST (self), 0);

  return self->all->len;
}

/**
 * imprint_instance_list_set_search:
 * @text: (nullable): what to look for in names, IDs and private IP addresses, in any case
 *
 * Returns: whether the search changed
 */
gboolean
imprint_instance_list_set_search (ImprintInstanceList *self,
                                  const char          *text)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text != NULL ? text : ""));
  g_autofree char *needle = g_utf8_casefold (stripped, -1);

  g_return_val_if_fail (IMPRINT_IS_INSTANCE_LIST (self), FALSE);

  if (strcmp (needle, self->needle) == 0)
    return FALSE;

  g_free (self->needle);
  self->needle = g_steal_pointer (&needle);
  /* The rows beyond the first part go before the others are told what they show now. */
  restart_part (self);
  refilter (self);
  return TRUE;
}

/**
 * imprint_instance_list_get_instances:
 *
 * Returns: (transfer none): the instances the rows show, as a #GListModel of #TcInstance
 */
GListModel *
imprint_instance_list_get_instances (ImprintInstanceList *self)
{
  g_return_val_if_fail (IMPRINT_IS_INSTANCE_LIST (self), NULL);

  return G_LIST_MODEL (self->instances);
}

/**
 * imprint_instance_list_get_instance:
 *
 * Returns: (transfer none) (nullable): the instance the row at @position shows
 */
TcInstance *
imprint_instance_list_get_instance (ImprintInstanceList *self,
                                    guint                position)
{
  g_return_val_if_fail (IMPRINT_IS_INSTANCE_LIST (self), NULL);

  return position < self->visible->len ? g_ptr_array_index (self->visible, position) : NULL;
}

/**
 * imprint_instance_list_get_selected:
 *
 * Returns: (transfer none) (nullable): the selected instance
 */
TcInstance *
imprint_instance_list_get_selected (ImprintInstanceList *self)
{
  g_return_val_if_fail (IMPRINT_IS_INSTANCE_LIST (self), NULL);

  return self->selected_instance;
}

/**
 * imprint_instance_list_find:
 *
 * Returns: the position of the row showing the instance called @instance_id, or
 *   %GTK_INVALID_LIST_POSITION when the search hides it or there is none
 */
guint
imprint_instance_list_find (ImprintInstanceList *self,
                            const char          *instance_id)
{
  g_return_val_if_fail (IMPRINT_IS_INSTANCE_LIST (self), GTK_INVALID_LIST_POSITION);

  for (guint i = 0; i < self->visible->len; i++) {
    if (g_strcmp0 (tc_instance_get_id (g_ptr_array_index (self->visible, i)), instance_id) == 0)
      return i;
  }

  return GTK_INVALID_LIST_POSITION;
}

/* Ticks: several instances chosen at once. Unlike the selection they are kept by ID, so a
 * search that hides a ticked instance, or a refresh, does not untick it. */

/**
 * imprint_instance_list_set_ticked:
 * @ticked: whether @instance is to be among those chosen
 *
 * An instance the list's predicate refuses cannot be ticked.
 *
 * Returns: whether @instance is ticked now
 */
gboolean
imprint_instance_list_set_ticked (ImprintInstanceList *self,
                                  TcInstance          *instance,
                                  gboolean             ticked)
{
  TcInstance *was;

  g_return_val_if_fail (IMPRINT_IS_INSTANCE_LIST (self), FALSE);
  g_return_val_if_fail (TC_IS_INSTANCE (instance), FALSE);

  was = g_hash_table_lookup (self->ticked_ids, tc_instance_get_id (instance));
  if ((was != NULL) == !!ticked)
    return was != NULL;
  if (ticked && !imprint_instance_list_can_select (self, instance))
    return FALSE;

  if (ticked) {
    g_ptr_array_add (self->ticked, g_object_ref (instance));
    g_hash_table_insert (self->ticked_ids, (gpointer) tc_instance_get_id (instance), instance);
  } else {
    g_hash_table_remove (self->ticked_ids, tc_instance_get_id (was));
    g_ptr_array_remove (self->ticked, was);
  }
  g_signal_emit (self, list_signals[LIST_SIGNAL_TICKS_CHANGED], 0);
  return ticked;
}

/* Whether @instance may be selected or ticked: what the list's predicate says. */
gboolean
imprint_instance_list_can_select (ImprintInstanceList *self,
                                  TcInstance          *instance)
{
  g_return_val_if_fail (IMPRINT_IS_INSTANCE_LIST (self), FALSE);

  return instance != NULL &&
         (self->selectable == NULL || self->selectable (instance, self->selectable_data));
}

gboolean
imprint_instance_list_is_ticked (ImprintInstanceList *self,
                                 TcInstance          *instance)
{
  g_return_val_if_fail (IMPRINT_IS_INSTANCE_LIST (self), FALSE);

  return instance != NULL &&
         g_hash_table_contains (self->ticked_ids, tc_instance_get_id (instance));
}

/**
 * imprint_instance_list_get_ticked:
 *
 * Returns: (transfer none) (element-type TcInstance): the ticked instances, in the order
 *   they were ticked, searched for or not
 */
GPtrArray *
imprint_instance_list_get_ticked (ImprintInstanceList *self)
{
  g_return_val_if_fail (IMPRINT_IS_INSTANCE_LIST (self), NULL);

  return self->ticked;
}

void
imprint_instance_list_untick_all (ImprintInstanceList *self)
{
  g_return_if_fail (IMPRINT_IS_INSTANCE_LIST (self));

  if (self->ticked->len == 0)
    return;
  g_hash_table_remove_all (self->ticked_ids);
  g_ptr_array_set_size (self->ticked, 0);
  g_signal_emit (self, list_signals[LIST_SIGNAL_TICKS_CHANGED], 0);
}
