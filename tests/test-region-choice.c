/* test-region-choice.c: which region the image form opens in, per account
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tc-region-choice.h"
#include "test-util.h"

/* Chooses @region with @account, as the form does when the user picks it. */
static GVariant *
use (GVariant   *remembered,
     const char *account,
     const char *region,
     const char *default_region)
{
  GVariant *next = g_variant_ref_sink (tc_region_choice_remember (remembered, account, region,
                                                                  default_region, NULL));

  g_clear_pointer (&remembered, g_variant_unref);
  return next;
}

static void
assert_pick (GVariant   *remembered,
             const char *account,
             const char *default_region,
             const char *expected)
{
  g_autofree char *region = tc_region_choice_pick (remembered, account, default_region);

  g_assert_cmpstr (region, ==, expected);
}

/* A new account opens in its own Default Region, however much another was used. */
static void
test_default_region (void)
{
  GVariant *remembered = NULL;

  assert_pick (NULL, "a", "ap-singapore", "ap-singapore");
  assert_pick (NULL, "a", "", NULL);
  assert_pick (NULL, "a", NULL, NULL);

  remembered = use (remembered, "b", "ap-guangzhou", "ap-shanghai");
  assert_pick (remembered, "a", "ap-singapore", "ap-singapore");
  assert_pick (remembered, "b", "ap-shanghai", "ap-guangzhou");
  g_variant_unref (remembered);
}

/* Each account opens where it was used last. */
static void
test_per_account (void)
{
  GVariant *remembered = NULL;

  remembered = use (remembered, "a", "ap-tokyo", "ap-singapore");
  remembered = use (remembered, "b", "ap-beijing", "ap-guangzhou");
  remembered = use (remembered, "a", "ap-seoul", "ap-singapore");
  assert_pick (remembered, "a", "ap-singapore", "ap-seoul");
  assert_pick (remembered, "b", "ap-guangzhou", "ap-beijing");
  g_assert_cmpuint (g_variant_n_children (remembered), ==, 2);
  g_variant_unref (remembered);
}

/* Changing an account's Default Region is meant: the form follows it, until the user
 * picks another region again. An account with no Default Region keeps its last one. */
static void
test_default_changed (void)
{
  GVariant *remembered = NULL;

  remembered = use (remembered, "a", "ap-tokyo", "ap-singapore");
  assert_pick (remembered, "a", "na-siliconvalley", "na-siliconvalley");
  remembered = use (remembered, "a", "ap-tokyo", "na-siliconvalley");
  assert_pick (remembered, "a", "na-siliconvalley", "ap-tokyo");

  remembered = use (remembered, "c", "ap-hongkong", NULL);
  assert_pick (remembered, "c", NULL, "ap-hongkong");
  assert_pick (remembered, "c", "", "ap-hongkong");
  g_variant_unref (remembered);
}

/* Removed accounts are forgotten; what is not the expected type is ignored. */
static void
test_forget_and_garbage (void)
{
  const char * const keep[] = { "a", NULL };
  GVariant *remembered = use (NULL, "gone", "ap-tokyo", "ap-tokyo");
  g_autoptr(GVariant) kept = NULL;
  g_autoptr(GVariant) garbage = g_variant_ref_sink (g_variant_new_string ("ap-guangzhou"));

  kept = g_variant_ref_sink (tc_region_choice_remember (remembered, "a", "ap-seoul", "ap-seoul", keep));
  g_assert_cmpuint (g_variant_n_children (kept), ==, 1);
  assert_pick (kept, "gone", "ap-singapore", "ap-singapore");
  assert_pick (kept, "a", "ap-seoul", "ap-seoul");

  assert_pick (garbage, "a", "ap-singapore", "ap-singapore");
  g_variant_unref (remembered);
  remembered = g_variant_ref_sink (tc_region_choice_remember (garbage, "a", "ap-seoul", "ap-seoul", NULL));
  g_assert_cmpuint (g_variant_n_children (remembered), ==, 1);
  g_variant_unref (remembered);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/imprint/region-choice/default-region", test_default_region);
  g_test_add_func ("/imprint/region-choice/per-account", test_per_account);
  g_test_add_func ("/imprint/region-choice/default-changed", test_default_changed);
  g_test_add_func ("/imprint/region-choice/forget-and-garbage", test_forget_and_garbage);

  return g_test_run ();
}
