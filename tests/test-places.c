/* test-places.c: regions, zones and disk types by the names the console uses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   test-places [--language zh_CN|zh_TW]
 *
 * In English by default; with --language, the catalogs this build compiled (build/po) are
 * bound under that LANGUAGE, as a user's session would set it.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "tc-places.h"

static const char *language = "en";

typedef struct {
  const char *en, *zh_CN, *zh_TW;
} Names;

static const char *
in_language (const Names *names)
{
  if (g_str_equal (language, "zh_CN"))
    return names->zh_CN;
  if (g_str_equal (language, "zh_TW"))
    return names->zh_TW;
  return names->en;
}

static void
test_zones (void)
{
  static const struct {
    const char *zone;
    Names       names;
  } cases[] = {
    { "ap-guangzhou-3", { "Guangzhou Zone 3", "广州三区", "廣州三區" } },
    { "ap-shanghai-2", { "Shanghai Zone 2", "上海二区", "上海二區" } },
    { "na-siliconvalley-1", { "Silicon Valley Zone 1", "硅谷一区", "矽谷一區" } },
    { "ap-shanghai-fsi-1", { "Shanghai Finance Zone 1", "上海金融一区", "上海金融一區" } },
    { "ap-beijing-10", { "Beijing Zone 10", "北京十区", "北京十區" } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *name = tc_places_zone_name (cases[i].zone);

    g_assert_cmpstr (name, ==, in_language (&cases[i].names));
  }

  /* What is not a known region and zone number stays as the API said it. */
  {
    static const char * const unknown[] = {
      "ap-guangzhou-0", "ap-guangzhou-11", "ap-guangzhou-3a", "ap-guangzhou-",
      "ap-atlantis-1", "ap-guangzhou", "", "-1", "ap-guangzhou-99999999999999999999",
    };

    for (guint i = 0; i < G_N_ELEMENTS (unknown); i++) {
      g_autofree char *name = tc_places_zone_name (unknown[i]);

      g_assert_cmpstr (name, ==, unknown[i]);
    }
  }
}

static void
test_regions (void)
{
  static const Names guangzhou = { "South China (Guangzhou)", "华南地区（广州）", "華南地區（廣州）" };
  static const Names guangzhou_city = { "Guangzhou", "广州", "廣州" };

  g_assert_cmpstr (tc_places_region_name ("ap-guangzhou"), ==, in_language (&guangzhou));
  g_assert_cmpstr (tc_places_region_name ("ap-atlantis"), ==, "ap-atlantis");
  g_assert_null (tc_places_region_name (NULL));
  /* Its city, where the whole name does not fit. */
  g_assert_cmpstr (tc_places_region_city ("ap-guangzhou"), ==, in_language (&guangzhou_city));
  g_assert_cmpstr (tc_places_region_city ("ap-atlantis"), ==, "ap-atlantis");
  g_assert_null (tc_places_region_city (NULL));
  /* The legacy protocol's short codes, from the same table. */
  g_assert_cmpstr (tc_places_region_from_legacy_code ("gz"), ==, "ap-guangzhou");
  g_assert_cmpstr (tc_places_region_from_legacy_code ("bj"), ==, "ap-beijing");
  g_assert_null (tc_places_region_from_legacy_code ("xx"));
  g_assert_null (tc_places_region_from_legacy_code (NULL));
}

static void
test_disk_types (void)
{
  static const struct {
    const char *type;
    Names       names;
  } cases[] = {
    { "CLOUD_PREMIUM", { "Premium Cloud Disk", "高性能云硬盘", "高性能雲硬碟" } },
    { "CLOUD_SSD", { "SSD Cloud Disk", "SSD 云硬盘", "SSD 雲硬碟" } },
    { "CLOUD_BSSD", { "Balanced SSD", "通用型 SSD 云硬盘", "通用型 SSD 雲硬碟" } },
    { "LOCAL_BASIC", { "Local Disk", "本地硬盘", "本地硬碟" } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpstr (tc_places_disk_type_name (cases[i].type), ==, in_language (&cases[i].names));
  g_assert_cmpstr (tc_places_disk_type_name ("CLOUD_FUTURE"), ==, "CLOUD_FUTURE");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *po = NULL;

  if (argc == 3 && g_str_equal (argv[1], "--language")) {
    language = argv[2];
    argc -= 2;
  }
  g_setenv ("LANGUAGE", language, TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  po = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
  bindtextdomain (GETTEXT_PACKAGE, po);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  g_test_add_func ("/imprint/places/zones", test_zones);
  g_test_add_func ("/imprint/places/regions", test_regions);
  g_test_add_func ("/imprint/places/disk-types", test_disk_types);
  return g_test_run ();
}
