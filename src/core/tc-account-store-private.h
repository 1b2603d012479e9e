/* tc-account-store-private.h: what the account store's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store (tc-account-store.c) joins the accounts file (tc-account-file.c) and the
 * keyring (tc-account-keyring.c); all three report in TC_ACCOUNT_STORE_ERROR. The store's
 * instance is shared with tc-account-store-follow.c, which follows the file when another
 * copy of Imprint changes it.
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

struct _TcAccountStore
{
  GObject    parent_instance;
  char      *path;
  GPtrArray  *accounts;  /* TcAccount, sorted by name: the objects handed out */
  GHashTable *saved;     /* id → TcAccount: private copies, as last read or written */
  gboolean    loaded;    /* the file has been read (or found missing) */
  GQueue      pending;   /* GTask: file operations waiting for their turn */
  GTask      *current;   /* the file operation under way */

  GFileMonitor *monitor;       /* the file, for changes another copy of Imprint makes */
  guint         generation;    /* counts the file operations that changed the list */
  gboolean      refreshing;    /* a read after a change on disk is under way */
  gboolean      refresh_again; /* the file changed again during that read */
};

/* tc-account-store.c: one account's change to the list; an account that stays keeps its object. */
void     tc_account_store_apply_save           (TcAccountStore *self,
                                                TcAccount      *account);
void     tc_account_store_apply_remove         (TcAccountStore *self,
                                                const char     *id);

/* tc-account-store-follow.c: the list follows what the file holds. */
void     tc_account_store_sync_with_file       (TcAccountStore *self,
                                                GPtrArray      *accounts);
void     tc_account_store_watch_file           (TcAccountStore *self);
void     tc_account_store_unwatch_file         (TcAccountStore *self);
void     tc_account_store_drop_older_refreshes (TcAccountStore *self);

G_END_DECLS
