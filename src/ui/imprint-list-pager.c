/* imprint-list-pager.c: a long list shown a part at a time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK 4.8's list and column views keep a row widget for up to 200 items around the row
 * they hold in place, however few fit on screen (GTK_LIST_VIEW_MAX_LIST_ITEMS). So a view
 * over a long list makes 200 rows when it is first shown, and a search that changes what
 * it lists binds 200 rows again: at about half a millisecond a row, several frames.
 *
 * The pager shows the view only the list's first items instead: a part
 * (IMPRINT_LIST_PAGER_STEP) at first, and a part more whenever the end of what is listed
 * comes within half a screenful of the view's bottom edge, one part per main loop iteration,
 * after the frame that showed the last, until it no longer does (as a timeline lists older
 * posts when one scrolls down). A search or a new order starts from the first part again,
 * at the top (imprint_list_pager_reset()): as many parts as the view took at its top, so
 * that a keystroke changes what the rows show and makes no rows, where going back to a
 * single part destroyed those past it and made them again a frame later. Half a screenful
 * ahead, not a whole one: the picker's view, 13 rows high, took 48 rows at its top where
 * 24 do, and a keystroke rebinds every row listed (in bench-stall at 1,000 instances, the
 * UI thread's longest run in a search gap went from 29–35 ms to 20–21). Whoever counts
 * matches counts the whole list, not the part shown.
 *
 * What the view is given lists the first "size" items of the list, a uint property the
 * pager sets: a GtkSliceListModel the pager makes over a list (imprint_list_pager_new()),
 * or a model that is its own part (imprint_list_pager_new_for_part(): the instance
 * picker's list, whose rows stay in place while the search changes what they show, so
 * that nothing can stand in front of it).
 *
 * But a scroll bar over a part stands for the part, and End goes to its last row. A pager
 * told to fill (imprint_list_pager_set_fill(), the picker's) lists everything once the list
 * has been still for FILL_DELAY_MS (no search, no scroll): FILL_STEP rows a frame while GTK
 * makes row widgets for them, then the rest in one step, which makes none (the 200 are
 * made), so the scroll bar stands for the whole list within a second of a keystroke.
 * Listed at once, 10,000 instances took a frame of 104–232 ms of the UI thread, 205 rows
 * made (benchmarks/bench-scroll.c). A keystroke then must not destroy those rows at once
 * either (44–86 ms for 180): the rows the view holds at the top stay listed, showing the
 * new matches, and go a part a frame after it (SHRINK_STEP); those beyond them go at once
 * (they have no widgets). The first keystroke then took 21–25 ms, those after it 8 ms.
 */
#include "config.h"

#include "imprint-list-pager.h"

/* How long the list is still (no search, no scroll) before it is listed whole: a pause
 * in typing, not between two keys. */
#define FILL_DELAY_MS 300
/* Rows listed a frame while filling: GTK 4.8 makes their widgets at once, about 0.9 ms a
 * row of the picker's seven cells, and measures every row it holds again, about 5 ms (a
 * step of 8 took 13 ms of the UI thread at the median, 12 took 16 and 24 took 26). */
#define FILL_STEP     8
/* The rows GTK 4.8's list view holds widgets for around its anchor
 * (GTK_LIST_VIEW_MAX_LIST_ITEMS, 200), a screenful and a margin more: past them, listing
 * more makes no widgets. */
#define VIEW_ROWS     256
/* Rows whose widgets go a frame, after a keystroke on a list listed whole: about 0.3 ms
 * a row. */
#define SHRINK_STEP   16

struct _ImprintListPager
{
  GObject            parent_instance;
  GListModel        *shown;       /* lists the first "size" items: the pager's slice, or the
                                   * part it was made for, which owns the pager (no
                                   * reference) */
  GtkSliceListModel *slice;       /* the pager's own, or NULL */
  guint              first;       /* the size the view took at its top: a part, and those its
                                   * first screenful asked for */
  GtkAdjustment     *adjustment;
  guint              grow_id;
  gboolean           fill;        /* list everything once still */
  guint              fill_id;     /* the wait for the list to be still */
  gboolean           filling;     /* a part a frame, to everything */
  gboolean           shrinking;   /* a part a frame, back to the first */
  gboolean           laying_out;  /* the last step changed the rows: the next one waits for
                                   * the view to allocate them ("changed") */
};

G_DEFINE_FINAL_TYPE (ImprintListPager, imprint_list_pager, G_TYPE_OBJECT)

static guint
get_size (ImprintListPager *self)
{
  guint size;

  g_object_get (self->shown, "size", &size, NULL);
  return size;
}

static void
set_size (ImprintListPager *self,
          guint             size)
{
  g_object_set (self->shown, "size", size, NULL);
}

/* The end of what is listed is within half a screenful of the view's bottom edge. */
static gboolean
near_end (ImprintListPager *self)
{
  double page = gtk_adjustment_get_page_size (self->adjustment);

  return gtk_adjustment_get_value (self->adjustment) + 1.5 * page >=
         gtk_adjustment_get_upper (self->adjustment);
}

/* The position of the first row on screen, as the scroll bar says. */
static guint
top_position (ImprintListPager *self)
{
  double upper = gtk_adjustment_get_upper (self->adjustment);
  double value = gtk_adjustment_get_value (self->adjustment) -
                 gtk_adjustment_get_lower (self->adjustment);

  if (upper <= 0)
    return 0;
  return (guint) (g_list_model_get_n_items (self->shown) * (value / upper));
}

/* The size the next step lists: a part more when the end is near (or while filling),
 * everything once GTK has made its rows, a part less while shrinking; the size there is
 * when nothing is to change. A view not allocated yet (no page) waits, and so does a view
 * that has not yet allocated the rows of the last step. */
static guint
next_size (ImprintListPager *self)
{
  guint size = get_size (self);
  guint n = g_list_model_get_n_items (self->shown);

  if (self->adjustment == NULL || self->laying_out ||
      gtk_adjustment_get_page_size (self->adjustment) <= 0)
    return size;

  /* Scrolled near the end, the rows there come first. */
  if (n >= size && near_end (self)) {
    self->shrinking = FALSE;
    if (self->filling && size >= top_position (self) + VIEW_ROWS)
      return G_MAXUINT;
    return size + (self->filling ? FILL_STEP : IMPRINT_LIST_PAGER_STEP);
  }
  if (self->shrinking) {
    size = MIN (size, n);
    return size > self->first ? MAX (self->first, size - MIN (size, SHRINK_STEP)) : self->first;
  }
  if (self->filling && n >= size)
    return size >= top_position (self) + VIEW_ROWS ? G_MAXUINT : size + FILL_STEP;
  return size;
}

/* Sets the size; when that changed the rows listed, the next step waits for the view to
 * allocate them. */
static void
step_to (ImprintListPager *self,
         guint             size)
{
  guint n = g_list_model_get_n_items (self->shown);

  set_size (self, size);
  if (g_list_model_get_n_items (self->shown) != n && self->adjustment != NULL)
    self->laying_out = TRUE;
}

static gboolean
grow_cb (gpointer data)
{
  ImprintListPager *self = data;
  guint size, next;

  self->grow_id = 0;
  size = get_size (self);
  next = next_size (self);
  if (next == size) {
    if (self->shrinking && size <= self->first)
      self->shrinking = FALSE;
    return G_SOURCE_REMOVE;
  }

  /* The size the view took at its top, by itself (not filling, not going back to it). */
  if (!self->filling && !self->shrinking && next > size &&
      gtk_adjustment_get_value (self->adjustment) <= gtk_adjustment_get_lower (self->adjustment))
    self->first = next;
  if (next == G_MAXUINT)
    self->filling = FALSE;
  if (self->shrinking && next <= self->first)
    self->shrinking = FALSE;
  step_to (self, next);
  return G_SOURCE_REMOVE;
}

/* The list or the view changed: the next step, if any, comes in an idle, after the frame
 * (while the view is allocated its model must not change). */
static void
adjustment_changed_cb (ImprintListPager *self)
{
  if (self->grow_id == 0 && next_size (self) != get_size (self))
    self->grow_id = g_idle_add (grow_cb, self);
}

/* The view allocated what the last step listed. */
static void
layout_cb (ImprintListPager *self)
{
  self->laying_out = FALSE;
  adjustment_changed_cb (self);
}

static gboolean
fill_cb (gpointer data)
{
  ImprintListPager *self = data;

  self->fill_id = 0;
  /* After the rows a keystroke left have gone, if they have not yet: the same every time. */
  self->filling = TRUE;
  adjustment_changed_cb (self);
  return G_SOURCE_REMOVE;
}

/* The list is not still: whatever fills it waits until it is again. */
static void
wait_to_fill (ImprintListPager *self)
{
  g_clear_handle_id (&self->fill_id, g_source_remove);
  self->filling = FALSE;
  if (self->fill)
    self->fill_id = g_timeout_add (FILL_DELAY_MS, fill_cb, self);
}

/* A scroll is not a still list: a fill not begun waits for the scrolling to end. */
static void
value_changed_cb (ImprintListPager *self)
{
  if (self->fill_id != 0)
    wait_to_fill (self);
  adjustment_changed_cb (self);
}

static void
imprint_list_pager_dispose (GObject *object)
{
  ImprintListPager *self = IMPRINT_LIST_PAGER (object);

  imprint_list_pager_set_adjustment (self, NULL);
  g_clear_handle_id (&self->grow_id, g_source_remove);
  g_clear_handle_id (&self->fill_id, g_source_remove);
  if (self->shown != NULL)
    g_signal_handlers_disconnect_by_data (self->shown, self);
  self->shown = NULL;
  g_clear_object (&self->slice);

  G_OBJECT_CLASS (imprint_list_pager_parent_class)->dispose (object);
}

static void
imprint_list_pager_class_init (ImprintListPagerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = imprint_list_pager_dispose;
}

static void
imprint_list_pager_init (ImprintListPager *self)
{
  self->first = IMPRINT_LIST_PAGER_STEP;
}

static ImprintListPager *
pager_new (GListModel *shown)
{
  ImprintListPager *self = g_object_new (IMPRINT_TYPE_LIST_PAGER, NULL);

  self->shown = shown;
  g_signal_connect_swapped (shown, "items-changed", G_CALLBACK (adjustment_changed_cb), self);
  set_size (self, self->first);
  return self;
}

/**
 * imprint_list_pager_new:
 * @model: (nullable) (transfer none): the whole list
 *
 * Returns: (transfer full): a pager that shows a part of @model, or of the list given
 *   later (imprint_list_pager_set_model())
 */
ImprintListPager *
imprint_list_pager_new (GListModel *model)
{
  GtkSliceListModel *slice = gtk_slice_list_model_new (NULL, 0, IMPRINT_LIST_PAGER_STEP);
  ImprintListPager *self = pager_new (G_LIST_MODEL (slice));

  self->slice = slice;
  imprint_list_pager_set_model (self, model);
  return self;
}

/**
 * imprint_list_pager_new_for_part:
 * @part: a list model with a uint "size" property: it lists the first "size" items of a
 *   longer list, and owns the pager it gives its "size" to
 *
 * Returns: (transfer full): a pager that sets @part's "size", from the first part
 */
ImprintListPager *
imprint_list_pager_new_for_part (GListModel *part)
{
  GParamSpec *pspec;

  g_return_val_if_fail (G_IS_LIST_MODEL (part), NULL);
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (part), "size");
  g_return_val_if_fail (pspec != NULL && pspec->value_type == G_TYPE_UINT, NULL);

  return pager_new (part);
}

/**
 * imprint_list_pager_get_shown:
 *
 * Returns: (transfer none): the part of the list the view shows
 */
GListModel *
imprint_list_pager_get_shown (ImprintListPager *self)
{
  g_return_val_if_fail (IMPRINT_IS_LIST_PAGER (self), NULL);

  return self->shown;
}

/* Another list, for a pager made with one: it starts from its first part. */
void
imprint_list_pager_set_model (ImprintListPager *self,
                              GListModel       *model)
{
  g_return_if_fail (IMPRINT_IS_LIST_PAGER (self));
  g_return_if_fail (self->slice != NULL);
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  if (gtk_slice_list_model_get_model (self->slice) == model)
    return;
  gtk_slice_list_model_set_model (self->slice, NULL);
  self->shrinking = FALSE;
  self->laying_out = FALSE;
  set_size (self, self->first);
  gtk_slice_list_model_set_model (self->slice, model);
  wait_to_fill (self);
}

/**
 * imprint_list_pager_set_fill:
 * @fill: whether to list everything once the list is still
 *
 * Lists the whole list, a part a frame, once it has been still a moment (no search, no
 * scroll), so that the view's scroll bar stands for all of it; a search or a new order
 * starts from the first part again.
 */
void
imprint_list_pager_set_fill (ImprintListPager *self,
                             gboolean          fill)
{
  g_return_if_fail (IMPRINT_IS_LIST_PAGER (self));

  self->fill = !!fill;
  wait_to_fill (self);
}

/**
 * imprint_list_pager_set_adjustment:
 * @vadjustment: (nullable): the view's vertical adjustment, which says where it is scrolled
 */
void
imprint_list_pager_set_adjustment (ImprintListPager *self,
                                   GtkAdjustment    *vadjustment)
{
  g_return_if_fail (IMPRINT_IS_LIST_PAGER (self));
  g_return_if_fail (vadjustment == NULL || GTK_IS_ADJUSTMENT (vadjustment));

  if (self->adjustment == vadjustment)
    return;
  if (self->adjustment != NULL)
    g_signal_handlers_disconnect_by_data (self->adjustment, self);
  g_set_object (&self->adjustment, vadjustment);
  self->laying_out = FALSE;
  if (vadjustment != NULL) {
    g_signal_connect_swapped (vadjustment, "changed", G_CALLBACK (layout_cb), self);
    g_signal_connect_swapped (vadjustment, "value-changed", G_CALLBACK (value_changed_cb), self);
  }
  adjustment_changed_cb (self);
}

/* Back to the first part (a search, another order), at the top: the rows beyond it go.
 * The view is scrolled up first: with the items around the row it held in place removed,
 * GTK 4.8 kept a row for an item that went, shown (test-history-page's "long"), and a view
 * left scrolled past its end it moves back while allocating its rows. A pager that fills
 * keeps the rows the view holds at the top for the frames after, and lets them go a part
 * a frame (see the top of the file). */
void
imprint_list_pager_reset (ImprintListPager *self)
{
  guint size;

  g_return_if_fail (IMPRINT_IS_LIST_PAGER (self));

  if (self->adjustment != NULL)
    gtk_adjustment_set_value (self->adjustment, gtk_adjustment_get_lower (self->adjustment));
  wait_to_fill (self);
  size = MIN (get_size (self), g_list_model_get_n_items (self->shown));
  self->shrinking = self->fill && size > self->first;
  step_to (self, self->shrinking ? MIN (size, VIEW_ROWS) : self->first);
  adjustment_changed_cb (self);
}

/* The item at @position of the whole list is listed (to select it, to scroll to it). */
void
imprint_list_pager_reach (ImprintListPager *self,
                          guint             position)
{
  g_return_if_fail (IMPRINT_IS_LIST_PAGER (self));

  self->shrinking = FALSE;
  if (position >= get_size (self))
    set_size (self, position + IMPRINT_LIST_PAGER_STEP);
}
