/* imprint-page-bin.h: the page of a GtkStack, asked its width at a height without cost
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define IMPRINT_TYPE_PAGE_BIN (imprint_page_bin_get_type ())

G_DECLARE_FINAL_TYPE (ImprintPageBin, imprint_page_bin, IMPRINT, PAGE_BIN, AdwBin)

G_END_DECLS
