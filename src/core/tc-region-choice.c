/* tc-region-choice.c: which region the image form opens in for an account
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One region for the whole application let the region last used with any account win over
 * every account's own Default Region: an account set up for Singapore opened in Guangzhou
 * because another account had been used there. The choice is per account now, and the
 * Default Region the account had when the choice was made is kept with it: a user who
 * changes the Default Region in the account editor means it, so the form follows.
 */
#include "config.h"

#include "tc-region-choice.h"

static gboolean
is_empty (const char *text)
{
  return text == NULL || *text == '\0';
}

/**
 * tc_region_choice_pick:
 * @remembered: (nullable): what tc_region_choice_remember() returned last
 * @account_id: the account the form is for
 * @default_region: (nullable): the account's Default Region
 *
 * Returns: (transfer full) (nullable): the region last used with the account, unless its
 *   Default Region changed since; otherwise @default_region (%NULL when it is empty: the
 *   form then opens in the first region it knows)
 */
char *
tc_region_choice_pick (GVariant   *remembered,
                       const char *account_id,
                       const char *default_region)
{
  const char *region = NULL;
  const char *default_then = NULL;

  g_return_val_if_fail (account_id != NULL, NULL);

  if (remembered != NULL && g_variant_is_of_type (remembered, G_VARIANT_TYPE (TC_REGION_CHOICE_TYPE)) &&
      g_variant_lookup (remembered, account_id, "(&s&s)", &region, &default_then) &&
      !is_empty (region) && g_strcmp0 (default_then, is_empty (default_region) ? "" : default_region) == 0)
    return g_strdup (region);

  return is_empty (default_region) ? NULL : g_strdup (default_region);
}

/**
 * tc_region_choice_remember:
 * @remembered: (nullable): what this returned last
 * @account_id: the account the form is for
 * @region: the region the user chose in it
 * @default_region: (nullable): the account's Default Region now
 * @keep_ids: (nullable) (array zero-terminated=1): the accounts that still exist; the
 *   others are forgotten (%NULL keeps every one)
 *
 * Returns: (transfer floating): the remembered choices, with @account_id's replaced
 */
GVariant *
tc_region_choice_remember (GVariant           *remembered,
                           const char         *account_id,
                           const char         *region,
                           const char         *default_region,
                           const char * const *keep_ids)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE (TC_REGION_CHOICE_TYPE));

  g_return_val_if_fail (account_id != NULL, NULL);
  g_return_val_if_fail (region != NULL, NULL);

  if (remembered != NULL && g_variant_is_of_type (remembered, G_VARIANT_TYPE (TC_REGION_CHOICE_TYPE))) {
    GVariantIter iter;
    const char *id;
    GVariant *value;

    g_variant_iter_init (&iter, remembered);
    while (g_variant_iter_next (&iter, "{&s@(ss)}", &id, &value)) {
      if (!g_str_equal (id, account_id) &&
          (keep_ids == NULL || g_strv_contains (keep_ids, id)))
        g_variant_builder_add (&builder, "{s@(ss)}", id, value);
      g_variant_unref (value);
    }
  }

  g_variant_builder_add (&builder, "{s(ss)}", account_id, region,
                         is_empty (default_region) ? "" : default_region);
  return g_variant_builder_end (&builder);
}
