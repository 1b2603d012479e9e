/* imprint-account-editor.h: add or edit an account
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tc-account-store.h"

G_BEGIN_DECLS

#define IMPRINT_TYPE_ACCOUNT_EDITOR (imprint_account_editor_get_type ())

G_DECLARE_FINAL_TYPE (ImprintAccountEditor, imprint_account_editor, IMPRINT, ACCOUNT_EDITOR, AdwWindow)

/* @pacer: (nullable): the application's, for the connection test
 * @account: (nullable): the account to edit, or %NULL to add one */
ImprintAccountEditor *imprint_account_editor_new           (GtkWindow      *parent,
                                                            TcAccountStore *store,
                                                            SoupSession    *session,
                                                            TcPacer        *pacer,
                                                            TcAccount      *account);
/* The first problem in the form, or %NULL when it can be saved. */
const char           *imprint_account_editor_get_problem   (ImprintAccountEditor *self);
/* The inline result of the last connection test or save ("" while none). */
const char           *imprint_account_editor_get_status    (ImprintAccountEditor *self);

G_END_DECLS
