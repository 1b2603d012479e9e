/* imprint-instance-columns.h: the instance picker's columns: titles, sorters, cells, and
 * which give way in a narrow window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "imprint-instance-cell.h"

G_BEGIN_DECLS

void imprint_instance_columns_add (GtkColumnView              *view,
                                   ImprintInstanceCellContext *context,
                                   GtkColumnViewColumn        *columns[IMPRINT_N_INSTANCE_COLUMNS]);
void imprint_instance_columns_fit (GtkColumnViewColumn        *columns[IMPRINT_N_INSTANCE_COLUMNS],
                                   ImprintInstanceCellContext *context,
                                   int                         width);

G_END_DECLS
