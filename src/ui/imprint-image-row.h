/* imprint-image-row.h: one custom image in the Images view, with a check to choose it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tc-models.h"

G_BEGIN_DECLS

#define IMPRINT_TYPE_IMAGE_ROW (imprint_image_row_get_type ())

G_DECLARE_FINAL_TYPE (ImprintImageRow, imprint_image_row, IMPRINT, IMAGE_ROW, AdwActionRow)

/*
 * Signals:
 *   "toggled" (gboolean chosen)  the user ticked or unticked the image
 */

/* @source: (nullable): the instance the image was made from, as the history knows it.
 * @choosable: FALSE hides the check (an account that cannot delete or copy). */
GtkWidget  *imprint_image_row_new         (TcImage         *image,
                                           const char      *source,
                                           gboolean         choosable,
                                           gboolean         chosen);
TcImage    *imprint_image_row_get_image   (ImprintImageRow *self);
/* Why the image cannot be deleted, as the row says it; NULL when it can. */
const char *imprint_image_row_get_blocked (ImprintImageRow *self);

G_END_DECLS
