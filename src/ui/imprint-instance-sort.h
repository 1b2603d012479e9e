/* imprint-instance-sort.h: instances sorted a few milliseconds at a time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tc-models.h"

G_BEGIN_DECLS

typedef struct _ImprintInstanceSort ImprintInstanceSort;

/* The search keys of sorted instances, one after another in one block, each ended by a
 * NUL: a search is one memmem() pass over the block rather than a strstr() call per
 * instance, whose setup cost more than the scan (an instance ID over 100,000 instances:
 * 14 ms of strstr()). */
typedef struct {
  char    *text;
  gsize    len;
  guint32 *ends;       /* where each key's NUL is in @text */
  guint    n;
} ImprintSearchKeys;

ImprintSearchKeys   *imprint_search_keys_new       (void);
void                 imprint_search_keys_free      (ImprintSearchKeys    *keys);

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
                                                    ImprintSearchKeys   **keys);
void                 imprint_instance_release      (GPtrArray            *owner);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImprintInstanceSort, imprint_instance_sort_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImprintSearchKeys, imprint_search_keys_free)

G_END_DECLS
