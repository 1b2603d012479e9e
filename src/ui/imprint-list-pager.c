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
 */
#include "config.h"

#include "imprint-list-pager.h"

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

/* The end of what is listed is within half a screenful of the view's bottom edge, and the
 * list may have more: the part is full. A view not allocated yet (no page) waits. */
static gboolean
wants_more (ImprintListPager *self)
{
  double page;

  if (self->adjustment == NULL || g_list_model_get_n_items (self->shown) < get_size (self))
    return FALSE;
  page = gtk_adjustment_get_page_size (self->adjustment);
  return page > 0 &&
         gtk_adjustment_get_value (self->adjustment) + 1.5 * page >=
         gtk_adjustment_get_upper (self->adjustment);
}

static gboolean
grow_cb (gpointer data)
{
  ImprintListPager *self = data;
  guint size;

  self->grow_id = 0;
  if (!wants_more (self))
    return G_SOURCE_REMOVE;

  size = get_size (self) + IMPRINT_LIST_PAGER_STEP;
  if (gtk_adjustment_get_value (self->adjustment) <= gtk_adjustment_get_lower (self->adjustment))
    self->first = size;
  set_size (self, size);
  return G_SOURCE_REMOVE;
}

/* The adjustment changes while the view is allocated, when its model must not change:
 * the part comes in an idle, after the frame. */
static void
adjustment_changed_cb (ImprintListPager *self)
{
  if (self->grow_id == 0 && wants_more (self))
    self->grow_id = g_idle_add (grow_cb, self);
}

static void
imprint_list_pager_dispose (GObject *object)
{
  ImprintListPager *self = IMPRINT_LIST_PAGER (object);

  imprint_list_pager_set_adjustment (self, NULL);
  g_clear_handle_id (&self->grow_id, g_source_remove);
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
  set_size (self, self->first);
  gtk_slice_list_model_set_model (self->slice, model);
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
  if (vadjustment != NULL) {
    g_signal_connect_swapped (vadjustment, "changed", G_CALLBACK (adjustment_changed_cb), self);
    g_signal_connect_swapped (vadjustment, "value-changed", G_CALLBACK (adjustment_changed_cb),
                              self);
  }
  adjustment_changed_cb (self);
}

/* Back to the first part (a search, another order), at the top: the rows beyond it go.
 * The view is scrolled up first: with the items around the row it held in place removed,
 * GTK 4.8 kept a row for an item that went, shown (test-history-page's "long"), and a view
 * left scrolled past its end it moves back while allocating its rows. */
void
imprint_list_pager_reset (ImprintListPager *self)
{
  g_return_if_fail (IMPRINT_IS_LIST_PAGER (self));

  if (self->adjustment != NULL)
    gtk_adjustment_set_value (self->adjustment, gtk_adjustment_get_lower (self->adjustment));
  set_size (self, self->first);
}

/* The item at @position of the whole list is listed (to select it, to scroll to it). */
void
imprint_list_pager_reach (ImprintListPager *self,
                          guint             position)
{
  g_return_if_fail (IMPRINT_IS_LIST_PAGER (self));

  if (position >= get_size (self))
    set_size (self, position + IMPRINT_LIST_PAGER_STEP);
}
