/* imprint-recent-image-row.h: an image the form asked for, as its history entry shows it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tc-history.h"

G_BEGIN_DECLS

#define IMPRINT_TYPE_RECENT_IMAGE_ROW (imprint_recent_image_row_get_type ())

G_DECLARE_FINAL_TYPE (ImprintRecentImageRow, imprint_recent_image_row, IMPRINT, RECENT_IMAGE_ROW,
                      AdwActionRow)

/*
 * Properties:
 *   "entry"  TcHistoryEntry  the stored entry, which the image tracker updates (construct-only)
 *
 * Signals:
 *   "finished" (gboolean ok)  the entry reached its final state (once): %TRUE when the
 *                             image is ready
 *   "copied"                  Copy Image ID put the ID on the clipboard
 */

GtkWidget      *imprint_recent_image_row_new       (TcHistoryEntry        *entry);
TcHistoryEntry *imprint_recent_image_row_get_entry (ImprintRecentImageRow *self);

G_END_DECLS
