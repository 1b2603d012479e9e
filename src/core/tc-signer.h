/* tc-signer.h: Tencent Cloud request signing (TC3-HMAC-SHA256 and HmacSHA1/256 query)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  TC_HMAC_SHA1,
  TC_HMAC_SHA256,
} TcHmacMethod;

/* TC3-HMAC-SHA256, step by step, so the simulator can verify what it received with the
 * very same code that the client signs with. */

char  *tc3_hex_sha256             (const guint8 *data,
                                   gsize         len);
char  *tc3_canonical_request      (const char   *method,
                                   const char   *path,
                                   const char   *canonical_query,
                                   const char   *canonical_headers,
                                   const char   *signed_headers,
                                   const guint8 *payload,
                                   gsize         payload_len);
char  *tc3_date                   (gint64        timestamp);
char  *tc3_credential_scope       (const char   *date,
                                   const char   *service);
char  *tc3_string_to_sign         (gint64        timestamp,
                                   const char   *credential_scope,
                                   const char   *canonical_request);
char  *tc3_signature              (const char   *secret_key,
                                   const char   *date,
                                   const char   *service,
                                   const char   *string_to_sign);

/**
 * Tc3Signed:
 *
 * Everything TC3 signing produces for one request with `content-type;host` signed, the
 * way Imprint and Tencent's SDKs send it.
 */
typedef struct {
  char *canonical_request;
  char *credential_scope;
  char *string_to_sign;
  char *signature;
  char *authorization;
} Tc3Signed;

Tc3Signed *tc3_sign               (const char   *secret_id,
                                   const char   *secret_key,
                                   const char   *service,
                                   const char   *method,
                                   const char   *host,
                                   const char   *path,
                                   const char   *canonical_query,
                                   const char   *content_type,
                                   const guint8 *payload,
                                   gsize         payload_len,
                                   gint64        timestamp);
void       tc3_signed_free        (Tc3Signed    *signed_);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Tc3Signed, tc3_signed_free)

/* HmacSHA1 / HmacSHA256 query signing (legacy API 2.0 and API 3.0's v1 scheme).
 * @params maps parameter names to raw values; it is sorted by name in byte order. */

GTree        *tc_query_params_new       (void);
char         *tc_query_string_to_sign   (const char   *method,
                                         const char   *host,
                                         const char   *path,
                                         GTree        *params);
char         *tc_query_signature        (TcHmacMethod  method,
                                         const char   *secret_key,
                                         const char   *string_to_sign);
gboolean      tc_hmac_method_from_name  (const char   *name,
                                         TcHmacMethod *method);
const char   *tc_hmac_method_to_name    (TcHmacMethod  method);

gboolean      tc_signature_equal        (const char   *a,
                                         const char   *b);

G_END_DECLS
