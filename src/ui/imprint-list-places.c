/* imprint-list-places.c: a list whose rows stay in place while their items change
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK 4.8's list view keeps a row's widget only while the same item is listed: told that
 * items were removed and others added, it destroys the rows of the removed ones and makes
 * new rows for the added, from the factory, a widget template each. (It gives an old row
 * to a new item only when that row left the 200 items around the view's anchor, which a
 * list shown a part at a time, ImprintListPager, never does.) A search that lists other
 * entries did exactly that, a screenful of rows destroyed and made again per keystroke.
 *
 * ImprintListPlaces lists an ImprintListPlace per position of its model instead, and when
 * the model changes it gives the places their new items ("notify::item"): the only
 * items-changed it says is a change in their number, at the end. A row bound to a place
 * follows its item, and the view keeps its widgets.
 */
#include "config.h"

#include "imprint-list-places.h"

/* ImprintListPlace */

struct _ImprintListPlace
{
  GObject  parent_instance;
  GObject *item;
};

G_DEFINE_FINAL_TYPE (ImprintListPlace, imprint_list_place, G_TYPE_OBJECT)

enum {
  PLACE_PROP_0,
  PLACE_PROP_ITEM,
  PLACE_N_PROPS
};

static GParamSpec *place_properties[PLACE_N_PROPS];

/* Takes @item. */
static void
place_take_item (ImprintListPlace *self,
                 gpointer          item)
{
  if (self->item == item) {
    g_clear_object (&item);
    return;
  }
  g_clear_object (&self->item);
  self->item = item;
  g_object_notify_by_pspec (G_OBJECT (self), place_properties[PLACE_PROP_ITEM]);
}

static void
imprint_list_place_finalize (GObject *object)
{
  g_clear_object (&IMPRINT_LIST_PLACE (object)->item);

  G_OBJECT_CLASS (imprint_list_place_parent_class)->finalize (object);
}

static void
imprint_list_place_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  switch (prop_id) {
  case PLACE_PROP_ITEM:
    g_value_set_object (value, IMPRINT_LIST_PLACE (object)->item);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
imprint_list_place_class_init (ImprintListPlaceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = imprint_list_place_finalize;
  object_class->get_property = imprint_list_place_get_property;

  place_properties[PLACE_PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, G_TYPE_OBJECT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, PLACE_N_PROPS, place_properties);
}

static void
imprint_list_place_init (ImprintListPlace *self)
{
}

/**
 * imprint_list_place_get_item:
 *
 * Returns: (transfer none) (type GObject): the item at this place now
 */
gpointer
imprint_list_place_get_item (ImprintListPlace *self)
{
  g_return_val_if_fail (IMPRINT_IS_LIST_PLACE (self), NULL);

  return self->item;
}

/* ImprintListPlaces */

struct _ImprintListPlaces
{
  GObject     parent_instance;
  GListModel *model;
  GPtrArray  *places;   /* one per item of the model: its place, NULL until asked for */
};

static void imprint_list_places_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ImprintListPlaces, imprint_list_places, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      imprint_list_places_model_init))

static void
place_free (gpointer place)
{
  if (place != NULL)
    g_object_unref (place);
}

/* The items from @position on moved (or, @removed == @added, those changed): the places
 * there get theirs. Only a change in number is told, at the end. */
static void
model_items_changed_cb (ImprintListPlaces *self,
                        guint              position,
                        guint              removed,
                        guint              added,
                        GListModel        *model)
{
  guint n_old = self->places->len;
  guint n_new = g_list_model_get_n_items (model);
  guint end = removed == added ? position + added : n_new;

  g_ptr_array_set_size (self->places, (int) n_new);
  for (guint i = position; i < MIN (end, MIN (n_old, n_new)); i++) {
    ImprintListPlace *place = self->places->pdata[i];

    if (place != NULL)
      place_take_item (place, g_list_model_get_item (model, i));
  }
  if (n_new > n_old)
    g_list_model_items_changed (G_LIST_MODEL (self), n_old, 0, n_new - n_old);
  else if (n_new < n_old)
    g_list_model_items_changed (G_LIST_MODEL (self), n_new, n_old - n_new, 0);
}

static GType
imprint_list_places_get_item_type (GListModel *model)
{
  return IMPRINT_TYPE_LIST_PLACE;
}

static guint
imprint_list_places_get_n_items (GListModel *model)
{
  return IMPRINT_LIST_PLACES (model)->places->len;
}

static gpointer
imprint_list_places_get_item (GListModel *model,
                              guint       position)
{
  ImprintListPlaces *self = IMPRINT_LIST_PLACES (model);
  ImprintListPlace *place;

  if (position >= self->places->len)
    return NULL;
  place = self->places->pdata[position];
  if (place == NULL) {
    place = g_object_new (IMPRINT_TYPE_LIST_PLACE, NULL);
    place->item = g_list_model_get_item (self->model, position);
    self->places->pdata[position] = place;
  }
  return g_object_ref (place);
}

static void
imprint_list_places_model_init (GListModelInterface *iface)
{
  iface->get_item_type = imprint_list_places_get_item_type;
  iface->get_n_items = imprint_list_places_get_n_items;
  iface->get_item = imprint_list_places_get_item;
}

static void
imprint_list_places_dispose (GObject *object)
{
  ImprintListPlaces *self = IMPRINT_LIST_PLACES (object);

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, model_items_changed_cb, self);
  g_clear_object (&self->model);
  g_clear_pointer (&self->places, g_ptr_array_unref);

  G_OBJECT_CLASS (imprint_list_places_parent_class)->dispose (object);
}

static void
imprint_list_places_class_init (ImprintListPlacesClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = imprint_list_places_dispose;
}

static void
imprint_list_places_init (ImprintListPlaces *self)
{
  self->places = g_ptr_array_new_with_free_func (place_free);
}

/**
 * imprint_list_places_new:
 * @model: (transfer none): the items
 */
ImprintListPlaces *
imprint_list_places_new (GListModel *model)
{
  ImprintListPlaces *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);

  self = g_object_new (IMPRINT_TYPE_LIST_PLACES, NULL);
  self->model = g_object_ref (model);
  g_ptr_array_set_size (self->places, (int) g_list_model_get_n_items (model));
  g_signal_connect_swapped (model, "items-changed", G_CALLBACK (model_items_changed_cb), self);
  return self;
}
