/* tc-account-keyring.h: an account's SecretKey and token in the keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Used by the account store only, which decides when to call these; each reports in
 * TC_ACCOUNT_STORE_ERROR and leaves G_IO_ERROR_CANCELLED for its own cancellation.
 */
#pragma once

#include <gio/gio.h>

#include "tc-account.h"
#include "tc-credentials.h"

G_BEGIN_DECLS

void           tc_account_keyring_store_async   (TcAccount           *account,
                                                 TcCredentials       *credentials,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean       tc_account_keyring_store_finish  (GAsyncResult        *result,
                                                 GError             **error);
void           tc_account_keyring_lookup_async  (TcAccount           *account,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
TcCredentials *tc_account_keyring_lookup_finish (GAsyncResult        *result,
                                                 GError             **error);
void           tc_account_keyring_clear_async   (TcAccount           *account,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean       tc_account_keyring_clear_finish  (GAsyncResult        *result,
                                                 GError             **error);

G_END_DECLS
