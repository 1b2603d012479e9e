/* tc-client.h: signed, asynchronous calls to the CVM API in either protocol
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "tc-answer.h"
#include "tc-credentials.h"
#include "tc-pacer.h"
#include "tc-region-cache.h"
#include "tc-types.h"

G_BEGIN_DECLS

#define TC_API3_DEFAULT_ENDPOINT         "https://cvm.tencentcloudapi.com/"
#define TC_LEGACY_DEFAULT_CVM_ENDPOINT   "https://cvm.api.qcloud.com/v2/index.php"
#define TC_LEGACY_DEFAULT_IMAGE_ENDPOINT "https://image.api.qcloud.com/v2/index.php"
#define TC_MAX_BODY_SIZE                 ((gsize) 8 * 1024 * 1024)

typedef enum {
  TC_CALL_DEFAULT = 0,
  TC_CALL_RETRY   = 1 << 0,  /* send a read again on transient failures (never a write) */
} TcCallFlags;

#define TC_TYPE_CLIENT (tc_client_get_type ())

G_DECLARE_FINAL_TYPE (TcClient, tc_client, TC, CLIENT, GObject)

SoupSession   *tc_client_new_session       (void);

TcClient      *tc_client_new               (SoupSession    *session,
                                            TcProtocol      protocol,
                                            TcCredentials  *credentials);

TcProtocol     tc_client_get_protocol      (TcClient       *self);
TcCredentials *tc_client_get_credentials   (TcClient       *self);
void           tc_client_set_pacer         (TcClient       *self,
                                            TcPacer        *pacer);
void           tc_client_set_region_cache  (TcClient       *self,
                                            TcRegionCache  *cache);
TcRegionCache *tc_client_get_region_cache  (TcClient       *self);

const char    *tc_client_get_endpoint      (TcClient       *self);
gboolean       tc_client_set_endpoint      (TcClient       *self,
                                            const char     *url,
                                            GError        **error);
gboolean       tc_client_set_legacy_endpoints (TcClient    *self,
                                            const char     *cvm_url,
                                            const char     *image_url,
                                            GError        **error);
const char    *tc_client_get_language      (TcClient       *self);
void           tc_client_set_language      (TcClient       *self,
                                            const char     *language);
void           tc_client_set_deadline      (TcClient       *self,
                                            guint           seconds);

void           tc_client_call_async        (TcClient       *self,
                                            const char     *action,
                                            const char     *region,
                                            JsonObject     *params,
                                            TcCallFlags     flags,
                                            GCancellable   *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer        user_data);
TcAnswer      *tc_client_call_finish       (TcClient       *self,
                                            GAsyncResult   *result,
                                            GError        **error);

gboolean       tc_endpoint_validate        (const char     *url,
                                            GError        **error);
const char    *tc_language_for_locale      (void);

G_END_DECLS
