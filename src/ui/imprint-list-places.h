/* imprint-list-places.h: a list whose rows stay in place while their items change
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define IMPRINT_TYPE_LIST_PLACE (imprint_list_place_get_type ())

G_DECLARE_FINAL_TYPE (ImprintListPlace, imprint_list_place, IMPRINT, LIST_PLACE, GObject)

gpointer            imprint_list_place_get_item (ImprintListPlace *self);

#define IMPRINT_TYPE_LIST_PLACES (imprint_list_places_get_type ())

G_DECLARE_FINAL_TYPE (ImprintListPlaces, imprint_list_places, IMPRINT, LIST_PLACES, GObject)

ImprintListPlaces  *imprint_list_places_new     (GListModel       *model);

G_END_DECLS
