/* sim-private.h: what the simulator's files share (not installed, not for the app)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sim-fleet.h"
#include "sim-server.h"

G_BEGIN_DECLS

/* Tencent's limit on a request body. */
#define SIM_MAX_BODY (10 * 1024 * 1024)

typedef enum {
  SIM_FAULT_NONE,
  SIM_FAULT_LATENCY,
  SIM_FAULT_RATE_LIMIT,
  SIM_FAULT_INTERNAL_ERROR,
  SIM_FAULT_HTTP_500,
  SIM_FAULT_HTTP_503,
  SIM_FAULT_HTML,
  SIM_FAULT_MALFORMED_JSON,
  SIM_FAULT_TRUNCATED,
  SIM_FAULT_OVERSIZED,
  SIM_FAULT_DROP,
  SIM_FAULT_STALL,
  SIM_FAULT_IMAGE_FAIL,
} SimFaultKind;

typedef struct {
  SimFaultKind  kind;
  char         *action;     /* NULL: every action */
  double        rate;       /* 0 … 1 */
  gint64        count;      /* -1: no limit */
  guint         ms;
  guint64       fired;
} SimFault;

typedef struct _SimLimits SimLimits;

typedef struct {
  char *secret_key;
  char *token;              /* NULL: permanent keys */
} SimAccount;

struct _SimServer {
  GObject       parent_instance;

  guint         seed;
  guint         n_instances;
  double        image_delay;
  guint         latency;
  guint         quota;
  gint64        time_offset;

  SoupServer   *soup;
  GMainContext *context;
  guint         port;

  GHashTable   *accounts;   /* SecretId → SimAccount* */
  GHashTable   *nonces;     /* SecretId → GHashTable of the Nonces it used (legacy) */
  SimFleet     *fleet;
  GPtrArray    *faults;     /* SimFault* */
  GRand        *fault_rand; /* decides rate=R, seeded from the seed */
  GRand        *id_rand;    /* IDs of new images, seeded from the seed */
  GHashTable   *counts;     /* action → request count */
  guint         total_count;
  gint64        next_task_id;
  GList        *pending;    /* SimPending*: answers waiting for latency, stalls */
  SimLimits    *limits;     /* NULL unless the documented rate limits are enforced */
  guint         connections; /* connections accepted since listening began */
};

/* One request as the protocol code sees it, and the answer it builds. */
typedef struct {
  SimServer          *server;
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

/* sim-server.c */
gint64         sim_server_now              (SimServer    *self);
const SimAccount *sim_server_lookup_account (SimServer   *self,
                                             const char  *secret_id);
/* Remembers a legacy Nonce; FALSE when @secret_id already used it. */
gboolean       sim_server_use_nonce        (SimServer    *self,
                                            const char   *secret_id,
                                            const char   *nonce);
/* Whether the request is within the documented rate limit (always, unless enforced);
 * when it is not, @req fails with RequestLimitExceeded. Called once the request is
 * authenticated and its action and region are known. */
gboolean       sim_server_admit            (SimServer    *self,
                                            SimRequest   *req);
/* Fails @req as Tencent answers a request over the rate limit. */
void           sim_request_fail_rate_limited (SimRequest *req);
/* Whether an image-fail fault fires for this CreateImage. */
gboolean       sim_server_take_image_fail  (SimServer    *self);
SimImage      *sim_server_create_image     (SimServer    *self,
                                            SimRegion    *region,
                                            SimInstance  *instance,
                                            const char   *name,
                                            const char   *description);

G_GNUC_PRINTF (4, 5)
void           sim_request_fail            (SimRequest   *req,
                                            const char   *code,
                                            gint          legacy_code,
                                            const char   *format,
                                            ...);
gboolean       sim_request_failed          (SimRequest   *req);
/* Parses `a=1&b=2` (form encoding: `+` is a space) into @into; FALSE on bad encoding. */
gboolean       sim_form_parse              (const char   *data,
                                            gsize         len,
                                            GHashTable   *into);
/* The signed host without its port ("cvm.api.qcloud.com"). */
char          *sim_host_without_port       (const char   *host);
void           sim_iso8601                 (gint64        timestamp,
                                            char         *buf,
                                            gsize         buf_len);

/* sim-limits.c */
SimLimits     *sim_limits_new              (void);
void           sim_limits_free             (SimLimits    *self);
guint          sim_limits_get_rate         (const char   *action);
gboolean       sim_limits_admit            (SimLimits    *self,
                                            const char   *action,
                                            const char   *region,
                                            const char   *secret_id,
                                            gint64        now);

/* sim-api3.c */
void           sim_api3_prepare            (SimRequest   *req);
void           sim_api3_process            (SimRequest   *req);
GBytes        *sim_api3_render             (SimRequest   *req);

/* sim-legacy.c */
void           sim_legacy_prepare          (SimRequest   *req);
void           sim_legacy_process          (SimRequest   *req);
GBytes        *sim_legacy_render           (SimRequest   *req);

G_END_DECLS
