/* tc-region-cache.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DescribeRegions answers the same for an account for months, and a new form should show
 * the account's regions at once. So the answers are kept here, by a key that names the
 * account (tc-cvm.c makes it from the SecretId, endpoint and language), and served from
 * here while tc-cvm.c refreshes them behind the scenes. The cache is an object rather than
 * a process global so that it lives and dies with whoever holds it: a TcClient has one of
 * its own, and clients can share one with tc_client_set_region_cache(), as they share a
 * pacer. Main thread only.
 */
#include "config.h"

#include "tc-models.h"
#include "tc-region-cache.h"

struct _TcRegionCache
{
  GObject     parent_instance;

  GHashTable *lists;   /* key → GListModel of TcRegion, never handed out */
};

G_DEFINE_FINAL_TYPE (TcRegionCache, tc_region_cache, G_TYPE_OBJECT)

static void
tc_region_cache_finalize (GObject *object)
{
  TcRegionCache *self = TC_REGION_CACHE (object);

  g_hash_table_unref (self->lists);

  G_OBJECT_CLASS (tc_region_cache_parent_class)->finalize (object);
}

static void
tc_region_cache_class_init (TcRegionCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tc_region_cache_finalize;
}

static void
tc_region_cache_init (TcRegionCache *self)
{
  self->lists = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

TcRegionCache *
tc_region_cache_new (void)
{
  return g_object_new (TC_TYPE_REGION_CACHE, NULL);
}

/* A list of its own for each caller: a GListStore handed out could be changed. */
static GListModel *
copy_regions (GListModel *regions)
{
  GListStore *copy = g_list_store_new (TC_TYPE_REGION);

  for (guint i = 0; i < g_list_model_get_n_items (regions); i++) {
    g_autoptr(GObject) region = g_list_model_get_item (regions, i);

    g_list_store_append (copy, region);
  }
  return G_LIST_MODEL (copy);
}

/**
 * tc_region_cache_lookup:
 * @key: names the account
 *
 * Returns: (transfer full) (nullable): a copy of the regions last stored for @key
 */
GListModel *
tc_region_cache_lookup (TcRegionCache *self,
                        const char    *key)
{
  GListModel *regions;

  g_return_val_if_fail (TC_IS_REGION_CACHE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  regions = g_hash_table_lookup (self->lists, key);
  return regions != NULL ? copy_regions (regions) : NULL;
}

/**
 * tc_region_cache_store:
 * @key: names the account
 * @regions: a #GListModel of #TcRegion, copied
 */
void
tc_region_cache_store (TcRegionCache *self,
                       const char    *key,
                       GListModel    *regions)
{
  g_return_if_fail (TC_IS_REGION_CACHE (self));
  g_return_if_fail (key != NULL);
  g_return_if_fail (G_IS_LIST_MODEL (regions));

  g_hash_table_replace (self->lists, g_strdup (key), copy_regions (regions));
}
