/* tc-account-store-private.h: reading accounts.json's text, without the file or the keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the fuzzer (tests/fuzz), which feeds the store's real parser arbitrary bytes.
 */
#pragma once

#include "tc-account-store.h"

G_BEGIN_DECLS

GPtrArray *tc_account_store_parse_file (const char  *path,
                                        const char  *data,
                                        gsize        len,
                                        GError     **error);

G_END_DECLS
