/* tc-account-file.h: the accounts file, without the keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Used by the account store, and by the fuzzer (tests/fuzz), which feeds the real parser
 * arbitrary bytes. Errors are TC_ACCOUNT_STORE_ERROR_FILE.
 */
#pragma once

#include <gio/gio.h>

#include "tc-account.h"

G_BEGIN_DECLS

GPtrArray *tc_account_file_parse        (const char           *path,
                                         const char           *data,
                                         gsize                 len,
                                         GError              **error);
/* In the calling thread. A missing file is an empty list, and sets *@missing. */
GPtrArray *tc_account_file_read         (const char           *path,
                                         gboolean             *missing,
                                         GError              **error);
/* A missing file is an empty list. */
void       tc_account_file_read_async   (const char           *path,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
GPtrArray *tc_account_file_read_finish  (GAsyncResult         *result,
                                         GError              **error);
GBytes    *tc_account_file_serialize    (GPtrArray            *accounts);
/* Applies one change to what the file holds now, and returns that: other builds of
 * Imprint share the file. */
void       tc_account_file_update_async  (const char           *path,
                                          TcAccount            *changed,
                                          const char           *removed_id,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
GPtrArray *tc_account_file_update_finish (GAsyncResult         *result,
                                          GError              **error);

G_END_DECLS
