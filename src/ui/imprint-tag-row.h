/* imprint-tag-row.h: one tag of the image form, a key and a value
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define IMPRINT_TYPE_TAG_ROW (imprint_tag_row_get_type ())

G_DECLARE_FINAL_TYPE (ImprintTagRow, imprint_tag_row, IMPRINT, TAG_ROW, GtkListBoxRow)

/*
 * Signals:
 *   "changed"  the key or the value was edited
 *   "remove"   Remove Tag was clicked; the list removes the row
 */

GtkWidget  *imprint_tag_row_new          (const char    *key,
                                          const char    *value);
const char *imprint_tag_row_get_key      (ImprintTagRow *self);
const char *imprint_tag_row_get_value    (ImprintTagRow *self);
/* Marks the key as the entry at fault (@message: %NULL clears it). */
void        imprint_tag_row_set_problem  (ImprintTagRow *self,
                                          const char    *message);
/* Names the row for assistive technologies by its place in the list, from 1. */
void        imprint_tag_row_set_position (ImprintTagRow *self,
                                          guint          position);
void        imprint_tag_row_focus_key    (ImprintTagRow *self);

G_END_DECLS
