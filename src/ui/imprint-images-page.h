/* imprint-images-page.h: the custom images of the current account and region
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tc-client.h"
#include "tc-history.h"

G_BEGIN_DECLS

#define IMPRINT_TYPE_IMAGES_PAGE (imprint_images_page_get_type ())

G_DECLARE_FINAL_TYPE (ImprintImagesPage, imprint_images_page, IMPRINT, IMAGES_PAGE, GtkWidget)

/*
 * Properties:
 *   "client"  TcClient  the account's client (nullable)
 *   "region"  char*     the region shown (nullable)
 *
 * Signals:
 *   "toast" (const char *text)  something to tell the user in a toast (plain text)
 *   "images-changed"            images were deleted: the quota has room again
 *
 * The page lists its region's images when it is first shown, and again whenever it is
 * shown for another client or region.
 */

TcClient   *imprint_images_page_get_client      (ImprintImagesPage *self);
void        imprint_images_page_set_client      (ImprintImagesPage *self,
                                                 TcClient          *client);
void        imprint_images_page_set_account     (ImprintImagesPage *self,
                                                 TcHistory         *history,
                                                 const char        *account_id,
                                                 const char        *account_name);
const char *imprint_images_page_get_region      (ImprintImagesPage *self);
void        imprint_images_page_set_region      (ImprintImagesPage *self,
                                                 const char        *region);
void        imprint_images_page_focus_search    (ImprintImagesPage *self);
/* Shows @toast (transfer full) over the list, above the bar of actions. */
void        imprint_images_page_add_toast       (ImprintImagesPage *self,
                                                 AdwToast          *toast);
/* Lists the region's images again. */
void        imprint_images_page_refresh         (ImprintImagesPage *self);


G_END_DECLS
