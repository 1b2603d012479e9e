/* imprint-images-page-private.h: what the tests reach of the Images view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "imprint-images-page.h"

G_BEGIN_DECLS

GListModel *imprint_images_page_get_shown       (ImprintImagesPage *self);
const char *imprint_images_page_get_view        (ImprintImagesPage *self);
const char *imprint_images_page_get_quota_text  (ImprintImagesPage *self);
const char *imprint_images_page_get_problem     (ImprintImagesPage *self);
gboolean    imprint_images_page_choose          (ImprintImagesPage *self,
                                                 const char        *image_id,
                                                 gboolean           chosen);
guint       imprint_images_page_get_n_chosen    (ImprintImagesPage *self);

G_END_DECLS
