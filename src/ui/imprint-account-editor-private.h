/* imprint-account-editor-private.h: what only the tests set on the account editor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "imprint-account-editor.h"

G_BEGIN_DECLS

/* Where tccli keeps its profiles (tests point it elsewhere); NULL means ~/.tccli. */
void                  imprint_account_editor_set_tccli_dir (ImprintAccountEditor *self,
                                                            const char           *dir);

/* Whether the form says the last connection test failed (Save works all the same). */
gboolean              imprint_account_editor_get_test_failed (ImprintAccountEditor *self);

G_END_DECLS
