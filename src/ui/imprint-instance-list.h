/* imprint-instance-list.h: the instance picker's searchable, selectable list model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tc-models.h"

G_BEGIN_DECLS

/* ImprintInstanceRow: one row of the list, for good: a row is a place in the list, and the
 * search changes which instance it shows. The list view then keeps its row widgets and only
 * their text changes. A row tells of the change ("notify::instance") only while watched:
 * bind watches it, unbind stops, and the thousands of rows nobody shows cost nothing. */

#define IMPRINT_TYPE_INSTANCE_ROW (imprint_instance_row_get_type ())

G_DECLARE_FINAL_TYPE (ImprintInstanceRow, imprint_instance_row, IMPRINT, INSTANCE_ROW, GObject)

TcInstance          *imprint_instance_row_get_instance       (ImprintInstanceRow *self);
void                 imprint_instance_row_watch              (ImprintInstanceRow *self);
void                 imprint_instance_row_unwatch            (ImprintInstanceRow *self);

/* ImprintInstanceList: a GtkSelectionModel of ImprintInstanceRow over the instances given,
 * in a sorter's order, narrowed by a search over name, ID and private IP, with a single
 * selection that refuses what @selectable refuses, and ticks: several instances chosen at once,
 * kept by ID whatever the search or a new listing shows ("ticks-changed"). Given its view's
 * adjustment it lists the matches a part at a time, more as the view is scrolled: its
 * items are the rows listed, imprint_instance_list_get_n_matches() counts every match. */

typedef gboolean (*ImprintSelectableFunc) (TcInstance *instance,
                                           gpointer    user_data);

#define IMPRINT_TYPE_INSTANCE_LIST (imprint_instance_list_get_type ())

G_DECLARE_FINAL_TYPE (ImprintInstanceList, imprint_instance_list, IMPRINT, INSTANCE_LIST, GObject)

ImprintInstanceList *imprint_instance_list_new               (GtkSorter             *sorter,
                                                              ImprintSelectableFunc  selectable,
                                                              gpointer               user_data);
void                 imprint_instance_list_set_instances     (ImprintInstanceList   *self,
                                                              GListModel            *instances);
void                 imprint_instance_list_set_adjustment    (ImprintInstanceList   *self,
                                                              GtkAdjustment         *vadjustment);
void                 imprint_instance_list_reach             (ImprintInstanceList   *self,
                                                              guint                  position);
gboolean             imprint_instance_list_is_sorting        (ImprintInstanceList   *self);
guint                imprint_instance_list_get_n_matches     (ImprintInstanceList   *self);
guint                imprint_instance_list_get_n_all         (ImprintInstanceList   *self);
gboolean             imprint_instance_list_set_search        (ImprintInstanceList   *self,
                                                              const char            *text);
GListModel          *imprint_instance_list_get_instances     (ImprintInstanceList   *self);
TcInstance          *imprint_instance_list_get_instance      (ImprintInstanceList   *self,
                                                              guint                  position);
TcInstance          *imprint_instance_list_get_selected      (ImprintInstanceList   *self);
guint                imprint_instance_list_find              (ImprintInstanceList   *self,
                                                              const char            *instance_id);
gboolean             imprint_instance_list_set_ticked        (ImprintInstanceList   *self,
                                                              TcInstance            *instance,
                                                              gboolean               ticked);
gboolean             imprint_instance_list_can_select        (ImprintInstanceList   *self,
                                                              TcInstance            *instance);
gboolean             imprint_instance_list_is_ticked         (ImprintInstanceList   *self,
                                                              TcInstance            *instance);
GPtrArray           *imprint_instance_list_get_ticked        (ImprintInstanceList   *self);
void                 imprint_instance_list_untick_all        (ImprintInstanceList   *self);

G_END_DECLS
