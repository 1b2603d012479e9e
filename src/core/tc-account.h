/* tc-account.h: one Tencent Cloud account, like a tccli profile
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An account holds only what is not secret: its name, SecretId, default region, protocol
 * and endpoints. The SecretKey and session token live in the keyring (TcAccountStore).
 */
#pragma once

#include <libsoup/soup.h>

#include "tc-client.h"
#include "tc-types.h"

G_BEGIN_DECLS

#define TC_TYPE_ACCOUNT (tc_account_get_type ())

G_DECLARE_FINAL_TYPE (TcAccount, tc_account, TC, ACCOUNT, GObject)

/*
 * Properties (all read-write, notify only on change):
 *   "id"                     string  stable identifier (a UUID); the keyring item's key
 *   "name"                   string  unique among accounts, like a tccli profile name
 *   "secret-id"              string
 *   "region"                 string  default region, e.g. "ap-guangzhou"
 *   "protocol"               uint    TcProtocol
 *   "endpoint"               string  API 3.0 endpoint URL
 *   "legacy-cvm-endpoint"    string  legacy API 2.0 instance endpoint URL
 *   "legacy-image-endpoint"  string  legacy API 2.0 image endpoint URL
 *   "masked-secret-id"       string  read-only: the SecretId with all but its last 4 hidden
 */
TcAccount   *tc_account_new                   (const char *name,
                                               const char *secret_id);
TcAccount   *tc_account_copy                  (TcAccount  *self);
const char  *tc_account_get_id                (TcAccount  *self);
const char  *tc_account_get_name              (TcAccount  *self);
void         tc_account_set_name              (TcAccount  *self,
                                               const char *name);
const char  *tc_account_get_secret_id         (TcAccount  *self);
void         tc_account_set_secret_id         (TcAccount  *self,
                                               const char *secret_id);
const char  *tc_account_get_region            (TcAccount  *self);
void         tc_account_set_region            (TcAccount  *self,
                                               const char *region);
TcProtocol   tc_account_get_protocol          (TcAccount  *self);
void         tc_account_set_protocol          (TcAccount  *self,
                                               TcProtocol  protocol);
const char  *tc_account_get_endpoint          (TcAccount  *self);
void         tc_account_set_endpoint          (TcAccount  *self,
                                               const char *endpoint);
const char  *tc_account_get_legacy_cvm_endpoint   (TcAccount  *self);
void         tc_account_set_legacy_cvm_endpoint   (TcAccount  *self,
                                                   const char *endpoint);
const char  *tc_account_get_legacy_image_endpoint (TcAccount  *self);
void         tc_account_set_legacy_image_endpoint (TcAccount  *self,
                                                   const char *endpoint);
char        *tc_account_dup_masked_secret_id  (TcAccount  *self);

/* A client for this account with these secrets; fails only for an unusable endpoint. */
TcClient    *tc_account_create_client         (TcAccount      *self,
                                               SoupSession    *session,
                                               TcPacer        *pacer,
                                               TcCredentials  *credentials,
                                               GError        **error);

G_END_DECLS
