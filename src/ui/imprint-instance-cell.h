/* imprint-instance-cell.h: one cell of the instance picker's columns, following the row it
 * is bound to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "imprint-instance-cell-context.h"
#include "imprint-instance-list.h"

G_BEGIN_DECLS

typedef enum {
  IMPRINT_INSTANCE_COLUMN_NAME,
  IMPRINT_INSTANCE_COLUMN_ID,
  IMPRINT_INSTANCE_COLUMN_STATE,
  IMPRINT_INSTANCE_COLUMN_OS,
  IMPRINT_INSTANCE_COLUMN_ZONE,
  IMPRINT_INSTANCE_COLUMN_TYPE,
  IMPRINT_INSTANCE_COLUMN_IP,
  IMPRINT_N_INSTANCE_COLUMNS
} ImprintInstanceColumn;

#define IMPRINT_TYPE_INSTANCE_CELL (imprint_instance_cell_get_type ())

G_DECLARE_FINAL_TYPE (ImprintInstanceCell, imprint_instance_cell, IMPRINT, INSTANCE_CELL, GtkWidget)

GtkWidget          *imprint_instance_cell_new          (ImprintInstanceCellContext *context,
                                                        ImprintInstanceColumn       column);
ImprintInstanceRow *imprint_instance_cell_get_row      (ImprintInstanceCell        *self);
void                imprint_instance_cell_set_row      (ImprintInstanceCell        *self,
                                                        ImprintInstanceRow         *row);
void                imprint_instance_cell_catch_up     (ImprintInstanceCell        *self);
gboolean            imprint_instance_cell_is_on_screen (ImprintInstanceCell        *self);

GtkListItemFactory *imprint_instance_cell_factory_new  (ImprintInstanceCellContext *context,
                                                        ImprintInstanceColumn       column);

G_END_DECLS
