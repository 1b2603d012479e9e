/* tc-region-cache.h: the region lists an application has been given, per account
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TC_TYPE_REGION_CACHE (tc_region_cache_get_type ())

G_DECLARE_FINAL_TYPE (TcRegionCache, tc_region_cache, TC, REGION_CACHE, GObject)

TcRegionCache *tc_region_cache_new    (void);
GListModel    *tc_region_cache_lookup (TcRegionCache *self,
                                       const char    *key);
void           tc_region_cache_store  (TcRegionCache *self,
                                       const char    *key,
                                       GListModel    *regions);

G_END_DECLS
