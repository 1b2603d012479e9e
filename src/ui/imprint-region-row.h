/* imprint-region-row.h: the region chooser of the image form
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tc-client.h"
#include "tc-models.h"

G_BEGIN_DECLS

#define IMPRINT_TYPE_REGION_ROW (imprint_region_row_get_type ())

G_DECLARE_FINAL_TYPE (ImprintRegionRow, imprint_region_row, IMPRINT, REGION_ROW, AdwComboRow)

/*
 * Properties:
 *   "region"   string   the chosen region's code (read-write; notifies when the user
 *                       chooses another)
 *   "builtin"  boolean  the list is Imprint's built-in one, because Tencent Cloud's could
 *                       not be loaded (read-only; notifies)
 */

/* Shows the built-in list at once, then asks @client for the regions it serves. */
void        imprint_region_row_load       (ImprintRegionRow *self,
                                           TcClient         *client);
const char *imprint_region_row_get_region (ImprintRegionRow *self);
/* Chooses @region; one the list does not know (a private deployment's) is added, named
 * by its code. */
void        imprint_region_row_set_region (ImprintRegionRow *self,
                                           const char       *region);
gboolean    imprint_region_row_get_builtin (ImprintRegionRow *self);

/* How a region is named in the UI: Imprint's own name for it in the UI's language when it
 * has one, else the server's name, else its code. */
char             *imprint_region_display_name (TcRegion *region);

typedef gboolean (*ImprintRegionFilter) (TcRegion *region,
                                         gpointer  data);

/* Makes @store (of TcRegion) hold the regions of @regions that @keep accepts, moving
 * nothing: a region in both stays where it is (renamed if the server names it otherwise),
 * one @regions lacks is removed, one it adds comes at the end. A list that comes a moment
 * after the first one (the server's after the built-in one) never moves the row under the
 * pointer, nor makes it another region's. */
void              imprint_region_store_update (GListStore          *store,
                                               GListModel          *regions,
                                               ImprintRegionFilter  keep,
                                               gpointer             data);

G_END_DECLS
