/* tc-credentials.h: a SecretId, SecretKey and optional session token
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define TC_TYPE_CREDENTIALS (tc_credentials_get_type ())

typedef struct _TcCredentials TcCredentials;

GType           tc_credentials_get_type       (void) G_GNUC_CONST;
TcCredentials  *tc_credentials_new            (const char    *secret_id,
                                               const char    *secret_key,
                                               const char    *token);
TcCredentials  *tc_credentials_ref            (TcCredentials *self);
void            tc_credentials_unref          (TcCredentials *self);
const char     *tc_credentials_get_secret_id  (TcCredentials *self);
const char     *tc_credentials_get_secret_key (TcCredentials *self);
const char     *tc_credentials_get_token      (TcCredentials *self);
char           *tc_credentials_mask_secret_id (const char    *secret_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcCredentials, tc_credentials_unref)

G_END_DECLS
