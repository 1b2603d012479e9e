/* tc-places.h: the names people read for Tencent's codes of regions, zones and disk types
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The API names things by code (`ap-guangzhou`, `ap-guangzhou-3`, `CLOUD_PREMIUM`); the
 * console shows “South China (Guangzhou)”, “Guangzhou Zone 3” (广州三区) and “Premium
 * Cloud Disk” (高性能云硬盘). These give the console's names, translated, for the codes
 * Tencent documents, and the code itself for any other, so nothing is ever hidden.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The region's full name, e.g. “South China (Guangzhou)”; @region itself when unknown. */
const char *tc_places_region_name    (const char *region);
/* The region's city, e.g. “Guangzhou”: what tells it from the others where its full name
 * does not fit; @region itself when unknown. */
const char *tc_places_region_city    (const char *region);
/* Every region with a name: its codes, in the console's order. */
GStrv       tc_places_dup_region_codes (void);
/* The code of a legacy short region code ("gz" is `ap-guangzhou`); NULL when unknown. */
const char *tc_places_region_from_legacy_code (const char *code);
/* The zone's name, e.g. “Guangzhou Zone 3”; @zone itself when its region or number is
 * unknown. */
char       *tc_places_zone_name      (const char *zone);
/* The disk type's name, e.g. “Premium Cloud Disk”; @type itself when unknown. */
const char *tc_places_disk_type_name (const char *type);

G_END_DECLS
