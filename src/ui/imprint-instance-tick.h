/* imprint-instance-tick.h: the picker's column of check boxes, to choose several instances
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "imprint-instance-list.h"

G_BEGIN_DECLS

GtkColumnViewColumn *imprint_instance_tick_column_new (ImprintInstanceList *list);

G_END_DECLS
