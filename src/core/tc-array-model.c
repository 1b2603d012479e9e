/* tc-array-model.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Why not GListStore: it keeps its items in a GSequence, a node allocated per item and a
 * tree to balance. A region's 100,000 instances, put in one at the end of a listing, took
 * tens of milliseconds of the UI thread to store and as many to free again, only to be
 * read once, in order. Pages of items become an array by moving pointers, and an array is
 * read in place.
 */
#include "config.h"

#include "tc-array-model.h"

struct _TcArrayModel
{
  GObject    parent_instance;

  GType      item_type;
  GPtrArray *items;   /* of item_type; the array keeps them alive (its own free function) */
};

static void tc_array_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TcArrayModel, tc_array_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      tc_array_model_list_model_init))

static GType
array_get_item_type (GListModel *model)
{
  return TC_ARRAY_MODEL (model)->item_type;
}

static guint
array_get_n_items (GListModel *model)
{
  return TC_ARRAY_MODEL (model)->items->len;
}

static gpointer
array_get_item (GListModel *model,
                guint       position)
{
  GPtrArray *items = TC_ARRAY_MODEL (model)->items;

  return position < items->len ? g_object_ref (g_ptr_array_index (items, position)) : NULL;
}

static void
tc_array_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = array_get_item_type;
  iface->get_n_items = array_get_n_items;
  iface->get_item = array_get_item;
}

static void
tc_array_model_finalize (GObject *object)
{
  g_ptr_array_unref (TC_ARRAY_MODEL (object)->items);

  G_OBJECT_CLASS (tc_array_model_parent_class)->finalize (object);
}

static void
tc_array_model_class_init (TcArrayModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tc_array_model_finalize;
}

static void
tc_array_model_init (TcArrayModel *self)
{
}

/**
 * tc_array_model_new:
 * @item_type: the type of the items, a #GObject type
 * @items: (nullable): the items, of @item_type; the model holds a reference to the array,
 *   which must keep them alive and is not to change while the model shows it
 *
 * Returns: (transfer full): a model of @items, or an empty one
 */
TcArrayModel *
tc_array_model_new (GType      item_type,
                    GPtrArray *items)
{
  TcArrayModel *self;

  g_return_val_if_fail (g_type_is_a (item_type, G_TYPE_OBJECT), NULL);

  self = g_object_new (TC_TYPE_ARRAY_MODEL, NULL);
  self->item_type = item_type;
  self->items = items != NULL ? g_ptr_array_ref (items) : g_ptr_array_new ();
  return self;
}

/**
 * tc_array_model_get_items:
 *
 * Returns: (transfer none): the array the model shows, not to be changed
 */
GPtrArray *
tc_array_model_get_items (TcArrayModel *self)
{
  g_return_val_if_fail (TC_IS_ARRAY_MODEL (self), NULL);

  return self->items;
}

/**
 * tc_array_model_set_items:
 * @items: what the model shows from now on, as tc_array_model_new() takes it
 *
 * Tells of the change as every item removed and every new one added.
 */
void
tc_array_model_set_items (TcArrayModel *self,
                          GPtrArray    *items)
{
  guint removed;

  g_return_if_fail (TC_IS_ARRAY_MODEL (self));
  g_return_if_fail (items != NULL);

  removed = self->items->len;
  g_ptr_array_ref (items);
  g_ptr_array_unref (self->items);
  self->items = items;
  if (removed > 0 || items->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, items->len);
}
