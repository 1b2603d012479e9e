/* tc-account-store-private.h: what the account store's three files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store (tc-account-store.c) joins the accounts file (tc-account-file.c) and the
 * keyring (tc-account-keyring.c); all three report in TC_ACCOUNT_STORE_ERROR.
 */
#pragma once

#include "tc-account-store.h"

G_BEGIN_DECLS

/* @summary says what happened and what to do; @field (nullable) is the form field at fault;
 * @details (nullable), the keyring's or the system's own words, never a secret. */
GError *tc_account_store_error_new (TcAccountStoreError  code,
                                    const char          *field,
                                    const char          *details,
                                    const char          *summary);

G_END_DECLS
