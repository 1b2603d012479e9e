/* imprint-instance-name-cell.h: the instance picker's name cell: the name, the ID and
 * address under it in a narrow window, and why the instance cannot be imaged
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define IMPRINT_TYPE_INSTANCE_NAME_CELL (imprint_instance_name_cell_get_type ())

G_DECLARE_FINAL_TYPE (ImprintInstanceNameCell, imprint_instance_name_cell, IMPRINT, INSTANCE_NAME_CELL, GtkWidget)

GtkWidget *imprint_instance_name_cell_new        (void);
void       imprint_instance_name_cell_show       (ImprintInstanceNameCell *self,
                                                  const char              *name,
                                                  const char              *details,
                                                  const char              *reason);
void       imprint_instance_name_cell_set_narrow (ImprintInstanceNameCell *self,
                                                  gboolean                 narrow);

G_END_DECLS
