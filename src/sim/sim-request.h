/* sim-request.h: one request to the simulator as a protocol sees it, and its answer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sim-cloud.h"
#include "sim-limits.h"

G_BEGIN_DECLS

/* Tencent's limit on a request body. */
#define SIM_MAX_BODY (10 * 1024 * 1024)

typedef struct {
  SimCloud           *cloud;
  SimLimits          *limits;      /* NULL unless the documented rate limits are enforced */
  SoupServerMessage  *msg;
  GBytes             *body;
  TcProtocol          protocol;
  gboolean            v1;          /* API 3.0's HmacSHA1/256 parameter signing */
  gboolean            lenient;     /* parameters arrived as strings (form or query) */
  gboolean            zh;          /* X-TC-Language: zh-CN */
  char               *action;
  char               *host;        /* the host the client signed, as received */
  char               *request_id;
  char               *secret_id;   /* once the SecretId is known to belong to an account */
  GHashTable         *form;        /* v1 and legacy: name → value, decoded */
  JsonObject         *params;      /* API 3.0 action parameters */
  SimRegion          *region;

  /* The answer. */
  JsonObject         *reply;       /* fields of a success */
  char               *error_code;  /* API 3.0 code, or the legacy codeDesc */
  char               *error_message;
  gint                legacy_code;
} SimRequest;

SimRequest    *sim_request_new             (SimCloud          *cloud,
                                            SimLimits         *limits,
                                            SoupServerMessage *msg);
void           sim_request_free            (SimRequest   *req);

G_GNUC_PRINTF (4, 5)
void           sim_request_fail            (SimRequest   *req,
                                            const char   *code,
                                            gint          legacy_code,
                                            const char   *format,
                                            ...);
gboolean       sim_request_failed          (SimRequest   *req);
/* Fails @req as Tencent answers a request over the rate limit. */
void           sim_request_fail_rate_limited (SimRequest *req);
/* Whether the request is within the documented rate limit (always, unless enforced);
 * when it is not, @req fails with RequestLimitExceeded. Called once the request is
 * authenticated and its action and region are known. */
gboolean       sim_request_admit           (SimRequest   *req);

/* Parses `a=1&b=2` (form encoding: `+` is a space) into @into; FALSE on bad encoding. */
gboolean       sim_form_parse              (const char   *data,
                                            gsize         len,
                                            GHashTable   *into);
/* The signed host without its port ("cvm.api.qcloud.com"). */
char          *sim_host_without_port       (const char   *host);
void           sim_iso8601                 (gint64        timestamp,
                                            char         *buf,
                                            gsize         buf_len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimRequest, sim_request_free)

G_END_DECLS
