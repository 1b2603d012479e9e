/* imprint-instance-sort.h: instances sorted a few milliseconds at a time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tc-models.h"

G_BEGIN_DECLS

typedef struct _ImprintInstanceSort ImprintInstanceSort;

ImprintInstanceSort *imprint_instance_sort_new     (GPtrArray            *owner);
void                 imprint_instance_sort_free    (ImprintInstanceSort  *sort);
void                 imprint_instance_sort_restart (ImprintInstanceSort  *sort);
gboolean             imprint_instance_sort_step    (ImprintInstanceSort  *sort,
                                                    GtkSorter            *sorter,
                                                    gint64                deadline);
guint                imprint_instance_sort_get_n   (ImprintInstanceSort  *sort);
void                 imprint_instance_sort_finish  (ImprintInstanceSort  *sort,
                                                    GPtrArray           **owner,
                                                    GPtrArray           **sorted,
                                                    GPtrArray           **keys);
void                 imprint_instance_release      (GPtrArray            *owner);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImprintInstanceSort, imprint_instance_sort_free)

G_END_DECLS
