/* tc-places.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Zone names follow the console: the region's city and the zone's number, “Guangzhou Zone
 * 3” in English and 广州三区 in Chinese, where the number is a word. The city and the
 * ordinal are translated separately and joined by a translated pattern, so each language
 * orders and spaces them its own way. Disk types use the names of Tencent's CBS documents.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "tc-places.h"

/* The regions Tencent documents, in the console's order: the code, the legacy protocol's
 * short code for it (none for regions newer than that protocol), the name and the city. */
static const struct {
  const char *region;
  const char *legacy;
  const char *name;
  const char *city;
} regions[] = {
  { "ap-guangzhou", "gz", N_("South China (Guangzhou)"), NC_("city", "Guangzhou") },
  { "ap-shanghai", "sh", N_("East China (Shanghai)"), NC_("city", "Shanghai") },
  { "ap-nanjing", "nj", N_("East China (Nanjing)"), NC_("city", "Nanjing") },
  { "ap-beijing", "bj", N_("North China (Beijing)"), NC_("city", "Beijing") },
  { "ap-chengdu", "cd", N_("Southwest China (Chengdu)"), NC_("city", "Chengdu") },
  { "ap-chongqing", "cq", N_("Southwest China (Chongqing)"), NC_("city", "Chongqing") },
  { "ap-hongkong", "hk", N_("Hong Kong, Macau and Taiwan (China) (Hong Kong, China)"), NC_("city", "Hong Kong") },
  { "ap-shanghai-fsi", "shjr", N_("East China (Shanghai Finance)"), NC_("city", "Shanghai Finance") },
  { "ap-shenzhen-fsi", "szjr", N_("South China (Shenzhen Finance)"), NC_("city", "Shenzhen Finance") },
  { "ap-singapore", "sg", N_("Southeast Asia (Singapore)"), NC_("city", "Singapore") },
  { "ap-jakarta", NULL, N_("Southeast Asia (Jakarta)"), NC_("city", "Jakarta") },
  { "ap-bangkok", "th", N_("Southeast Asia (Bangkok)"), NC_("city", "Bangkok") },
  { "ap-seoul", "kr", N_("Northeast Asia (Seoul)"), NC_("city", "Seoul") },
  { "ap-tokyo", "jp", N_("Northeast Asia (Tokyo)"), NC_("city", "Tokyo") },
  { "ap-mumbai", "in", N_("South Asia (Mumbai)"), NC_("city", "Mumbai") },
  { "na-siliconvalley", "usw", N_("US West (Silicon Valley)"), NC_("city", "Silicon Valley") },
  { "na-ashburn", "use", N_("US East (Virginia)"), NC_("city", "Virginia") },
  { "na-toronto", "ca", N_("North America (Toronto)"), NC_("city", "Toronto") },
  { "sa-saopaulo", NULL, N_("South America (São Paulo)"), NC_("city", "São Paulo") },
  { "eu-frankfurt", "de", N_("Europe (Frankfurt)"), NC_("city", "Frankfurt") },
};

/* Zone numbers as the console says them; Tencent's regions have at most eight zones. */
static const char * const zone_numbers[] = {
  NC_("zone", "Zone 1"), NC_("zone", "Zone 2"), NC_("zone", "Zone 3"), NC_("zone", "Zone 4"),
  NC_("zone", "Zone 5"), NC_("zone", "Zone 6"), NC_("zone", "Zone 7"), NC_("zone", "Zone 8"),
  NC_("zone", "Zone 9"), NC_("zone", "Zone 10"),
};

static const struct {
  const char *type;
  const char *name;
} disk_types[] = {
  { "CLOUD_BASIC", N_("Basic Cloud Disk") },
  { "CLOUD_PREMIUM", N_("Premium Cloud Disk") },
  { "CLOUD_SSD", N_("SSD Cloud Disk") },
  { "CLOUD_BSSD", N_("Balanced SSD") },
  { "CLOUD_HSSD", N_("Enhanced SSD") },
  { "CLOUD_TSSD", N_("Tremendous SSD") },
  { "LOCAL_BASIC", N_("Local Disk") },
  { "LOCAL_SSD", N_("Local SSD") },
  { "LOCAL_PRO", N_("Local HDD") },
  { "LOCAL_NVME", N_("Local NVMe SSD") },
};

static int
find_region (const char *region)
{
  for (guint i = 0; region != NULL && i < G_N_ELEMENTS (regions); i++) {
    if (strcmp (regions[i].region, region) == 0)
      return (int) i;
  }
  return -1;
}

/**
 * tc_places_dup_region_codes:
 *
 * Returns: (transfer full): the codes of every region tc_places_region_name() names
 */
GStrv
tc_places_dup_region_codes (void)
{
  GStrv codes = g_new0 (char *, G_N_ELEMENTS (regions) + 1);

  for (guint i = 0; i < G_N_ELEMENTS (regions); i++)
    codes[i] = g_strdup (regions[i].region);
  return codes;
}

/**
 * tc_places_region_name:
 *
 * Returns: (transfer none): the translated name of @region, or @region when unknown
 */
const char *
tc_places_region_name (const char *region)
{
  int i = find_region (region);

  return i >= 0 ? g_dgettext (GETTEXT_PACKAGE, regions[i].name) : region;
}

/**
 * tc_places_region_city:
 *
 * Returns: (transfer none): the translated city of @region (“Guangzhou”, “Shanghai
 *   Finance”), or @region when unknown
 */
const char *
tc_places_region_city (const char *region)
{
  int i = find_region (region);

  return i >= 0 ? g_dpgettext2 (GETTEXT_PACKAGE, "city", regions[i].city) : region;
}

/**
 * tc_places_region_from_legacy_code:
 *
 * Returns: (transfer none) (nullable): the `ap-guangzhou`-style code of a legacy short
 *   region code such as `gz`, or %NULL when unknown
 */
const char *
tc_places_region_from_legacy_code (const char *code)
{
  for (guint i = 0; code != NULL && i < G_N_ELEMENTS (regions); i++) {
    if (regions[i].legacy != NULL && strcmp (regions[i].legacy, code) == 0)
      return regions[i].region;
  }
  return NULL;
}

/**
 * tc_places_zone_name:
 *
 * Returns: (transfer full): the translated name of @zone (`ap-guangzhou-3`), or a copy of
 *   @zone when its region or number is unknown
 */
char *
tc_places_zone_name (const char *zone)
{
  const char *dash;
  g_autofree char *region = NULL;
  char *end = NULL;
  guint64 number;
  int i;

  g_return_val_if_fail (zone != NULL, NULL);

  dash = strrchr (zone, '-');
  if (dash == NULL || !g_ascii_isdigit (dash[1]))
    return g_strdup (zone);
  number = g_ascii_strtoull (dash + 1, &end, 10);
  if (*end != '\0' || number < 1 || number > G_N_ELEMENTS (zone_numbers))
    return g_strdup (zone);
  region = g_strndup (zone, dash - zone);
  i = find_region (region);
  if (i < 0)
    return g_strdup (zone);

  /* TRANSLATORS: a zone's name as the console shows it: %1$s is the city (“Guangzhou”),
   * %2$s the zone's number (“Zone 3”), together “Guangzhou Zone 3”. Chinese joins them
   * without a space: 广州三区. */
  return g_strdup_printf (C_("zone name", "%1$s %2$s"),
                          g_dpgettext2 (GETTEXT_PACKAGE, "city", regions[i].city),
                          g_dpgettext2 (GETTEXT_PACKAGE, "zone", zone_numbers[number - 1]));
}

/**
 * tc_places_disk_type_name:
 *
 * Returns: (transfer none): the translated name of the disk type, or @type when unknown
 */
const char *
tc_places_disk_type_name (const char *type)
{
  for (guint i = 0; type != NULL && i < G_N_ELEMENTS (disk_types); i++) {
    if (strcmp (disk_types[i].type, type) == 0)
      return g_dgettext (GETTEXT_PACKAGE, disk_types[i].name);
  }
  return type;
}
