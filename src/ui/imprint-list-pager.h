/* imprint-list-pager.h: a long list shown a part at a time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define IMPRINT_LIST_PAGER_STEP 24

#define IMPRINT_TYPE_LIST_PAGER (imprint_list_pager_get_type ())

G_DECLARE_FINAL_TYPE (ImprintListPager, imprint_list_pager, IMPRINT, LIST_PAGER, GObject)

ImprintListPager *imprint_list_pager_new            (GListModel       *model);
ImprintListPager *imprint_list_pager_new_for_part   (GListModel       *part);
GListModel       *imprint_list_pager_get_shown      (ImprintListPager *self);
void              imprint_list_pager_set_model      (ImprintListPager *self,
                                                     GListModel       *model);
void              imprint_list_pager_set_adjustment (ImprintListPager *self,
                                                     GtkAdjustment    *vadjustment);
void              imprint_list_pager_set_fill       (ImprintListPager *self,
                                                     gboolean          fill);
void              imprint_list_pager_reset          (ImprintListPager *self);
void              imprint_list_pager_reach          (ImprintListPager *self,
                                                     guint             position);

G_END_DECLS
