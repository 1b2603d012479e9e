/* tc-account-store.h: the accounts, with their secrets in the keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GListModel of TcAccount, sorted by name. Non-secret settings are kept in
 * $XDG_CONFIG_HOME/imprint/accounts.json (with a format version, written atomically);
 * the SecretKey and token only in the keyring through libsecret's asynchronous calls,
 * one item per account, keyed by the account's id. Nothing secret ever touches a file,
 * and there is no fallback to one.
 */
#pragma once

#include <gio/gio.h>

#include "tc-account.h"
#include "tc-credentials.h"

G_BEGIN_DECLS

#define TC_ACCOUNT_STORE_ERROR (tc_account_store_error_quark ())

typedef enum {
  TC_ACCOUNT_STORE_ERROR_NO_KEYRING,     /* no Secret Service on the session bus */
  TC_ACCOUNT_STORE_ERROR_LOCKED,         /* the keyring is locked and was not unlocked */
  TC_ACCOUNT_STORE_ERROR_SECRET_MISSING, /* the account's keyring item has vanished */
  TC_ACCOUNT_STORE_ERROR_KEYRING_FAILED, /* the keyring refused to store or read */
  TC_ACCOUNT_STORE_ERROR_NAME_TAKEN,     /* another account has this name */
  TC_ACCOUNT_STORE_ERROR_INVALID,        /* a required field is missing or malformed */
  TC_ACCOUNT_STORE_ERROR_FILE,           /* accounts.json could not be read or written */
} TcAccountStoreError;

#define TC_TYPE_ACCOUNT_STORE (tc_account_store_get_type ())

G_DECLARE_FINAL_TYPE (TcAccountStore, tc_account_store, TC, ACCOUNT_STORE, GObject)

GQuark          tc_account_store_error_quark   (void);

/* The keyring's own message behind a NO_KEYRING, LOCKED or KEYRING_FAILED error, or the
 * system's behind a FILE error, for a "Details" section; NULL when there is none. */
const char     *tc_account_store_error_get_details (const GError *error);
/* For INVALID and NAME_TAKEN: the property of TcAccount ("name", "secret-id", "region",
 * "endpoint", "legacy-cvm-endpoint", "legacy-image-endpoint") or of the credentials
 * ("secret-key", "token") that is wrong, so the editor can point at it; else NULL. */
const char     *tc_account_store_error_get_field   (const GError *error);

/* @path: (nullable): the accounts file; NULL for $XDG_CONFIG_HOME/imprint/accounts.json */
TcAccountStore *tc_account_store_new           (const char          *path);

/* Reads the accounts file. A missing file is an empty list; a malformed one is an error
 * (the file is left untouched so nothing the user saved is lost). */
void            tc_account_store_load_async    (TcAccountStore      *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean        tc_account_store_load_finish   (TcAccountStore      *self,
                                                GAsyncResult        *result,
                                                GError             **error);

TcAccount      *tc_account_store_find_by_id    (TcAccountStore      *self,
                                                const char          *id);
TcAccount      *tc_account_store_find_by_name  (TcAccountStore      *self,
                                                const char          *name);
const char     *tc_account_store_get_path      (TcAccountStore      *self);

/* The checks save makes before touching the keyring, for validating a form as the user
 * types: required fields, no whitespace in keys, usable endpoints, a name no other account
 * has. @credentials may be NULL to skip the SecretKey and token. */
gboolean        tc_account_store_validate      (TcAccountStore      *self,
                                                TcAccount           *account,
                                                TcCredentials       *credentials,
                                                GError             **error);

/* Adds @account (or, when an account with its id exists, replaces its settings) and
 * stores @credentials' SecretKey and token in the keyring. The keyring goes first: when it
 * fails, nothing changes. Renaming keeps the keyring item (it is keyed by id; its label
 * follows the new name). The store keeps its own TcAccount objects: pass a new account or
 * a tc_account_copy() of a stored one (changing a stored object directly saves nothing). @credentials may be NULL when editing an existing
 * account without retyping its SecretKey: the secret already in the keyring is kept. */
void            tc_account_store_save_async    (TcAccountStore      *self,
                                                TcAccount           *account,
                                                TcCredentials       *credentials,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean        tc_account_store_save_finish   (TcAccountStore      *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* Removes the account and its keyring item. */
void            tc_account_store_remove_async  (TcAccountStore      *self,
                                                TcAccount           *account,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean        tc_account_store_remove_finish (TcAccountStore      *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* Reads the account's secrets from the keyring. */
void            tc_account_store_lookup_credentials_async  (TcAccountStore      *self,
                                                            TcAccount           *account,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
TcCredentials  *tc_account_store_lookup_credentials_finish (TcAccountStore      *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);

/* What an edit that left the SecretKey empty ends with: @secret_id, the SecretKey in the
 * keyring, and @token when one was typed (else the saved token). */
void            tc_account_store_keep_secret_async  (TcAccountStore      *self,
                                                     TcAccount           *account,
                                                     const char          *secret_id,
                                                     const char          *token,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
TcCredentials  *tc_account_store_keep_secret_finish (TcAccountStore      *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

G_END_DECLS
