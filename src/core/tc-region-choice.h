/* tc-region-choice.h: which region the image form opens in for an account
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each account remembers the region last used with it; an account never used, or whose
 * Default Region was changed since, opens in its Default Region. A remembered choice is a
 * GVariant of type a{s(ss)}: account ID → (region, the Default Region it was made under),
 * as the "account-regions" setting keeps it.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TC_REGION_CHOICE_TYPE "a{s(ss)}"

char     *tc_region_choice_pick     (GVariant           *remembered,
                                     const char         *account_id,
                                     const char         *default_region);
GVariant *tc_region_choice_remember (GVariant           *remembered,
                                     const char         *account_id,
                                     const char         *region,
                                     const char         *default_region,
                                     const char * const *keep_ids);

G_END_DECLS
