/* sim-api3-private.h: what the simulator's API 3.0 files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sim-api3.c reads and authenticates a request and dispatches it to an action
 * (sim-api3-actions.c; DeleteImages and SyncImages in sim-api3-images.c), which reads its
 * parameters with sim-api3-params.c. Each getter
 * returns FALSE once it has failed the request, so an action only returns.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "sim-request.h"
#include "tc-rules.h"

G_BEGIN_DECLS

/* A message in the request's language. */
#define T(r, en_text, zh_text) ((r)->zh ? (zh_text) : (en_text))

typedef struct {
  char      *name;
  GPtrArray *values;   /* char* */
} Filter;

/* sim-api3-params.c */
void        sim_api3_filter_free          (Filter      *filter);
gboolean    sim_api3_missing_parameter    (SimRequest  *req,
                                           const char  *name);
gboolean    sim_api3_params_from_form     (SimRequest  *req,
                                           gboolean     skip_common);
gboolean    sim_api3_params_from_json     (SimRequest  *req);
JsonNode   *sim_api3_member               (JsonObject  *object,
                                           const char  *name);
gboolean    sim_api3_wrong_type           (SimRequest  *req,
                                           const char  *name,
                                           const char  *expected);
gboolean    sim_api3_get_int              (SimRequest  *req,
                                           JsonObject  *object,
                                           const char  *name,
                                           gint64       default_value,
                                           gint64      *out);
gboolean    sim_api3_get_string           (SimRequest  *req,
                                           JsonObject  *object,
                                           const char  *name,
                                           const char **out);
gboolean    sim_api3_get_bool             (SimRequest  *req,
                                           JsonObject  *object,
                                           const char  *name,
                                           gboolean    *out);
gboolean    sim_api3_get_string_bool      (SimRequest  *req,
                                           const char  *name,
                                           gboolean    *out);
gboolean    sim_api3_get_string_array     (SimRequest  *req,
                                           JsonObject  *object,
                                           const char  *name,
                                           GPtrArray  **out);
gboolean    sim_api3_limit_exceeded       (SimRequest  *req,
                                           const char  *what);
gboolean    sim_api3_rule_refused         (SimRequest  *req,
                                           const char  *code,
                                           const char  *field,
                                           TcVerdict   *verdict);
void        sim_api3_dry_run_passed       (SimRequest  *req);
gboolean    sim_api3_get_filters          (SimRequest  *req,
                                           GPtrArray  **out);
gboolean    sim_api3_get_page             (SimRequest  *req,
                                           gint64      *offset,
                                           gint64      *limit);
gboolean    sim_api3_is_resource_id       (const char  *id,
                                           const char  *prefix);

/* sim-api3-actions.c */
void        sim_api3_describe_regions     (SimRequest  *req);
void        sim_api3_describe_instances   (SimRequest  *req);
void        sim_api3_describe_images      (SimRequest  *req);
void        sim_api3_describe_image_quota (SimRequest  *req);
void        sim_api3_create_image         (SimRequest  *req);

/* sim-api3-images.c */
void        sim_api3_delete_images        (SimRequest  *req);
void        sim_api3_sync_images          (SimRequest  *req);

G_END_DECLS
