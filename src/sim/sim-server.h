/* sim-server.h: a CVM simulator speaking API 3.0 and legacy API 2.0 over loopback HTTP
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tc-types.h"

G_BEGIN_DECLS

#define SIM_TYPE_SERVER (sim_server_get_type ())

G_DECLARE_FINAL_TYPE (SimServer, sim_server, SIM, SERVER, GObject)

#define SIM_DEFAULT_SECRET_ID  "AKIDimprintDEMO0000000000000000000000"
#define SIM_DEFAULT_SECRET_KEY "imprintDEMOsecretKEY0000000000000"

/*
 * Construct properties (all optional):
 *   "seed"              guint    fleet seed (default 1)
 *   "instances"         guint    instances in each region, 0..100000 (default 40)
 *   "image-delay"       double   seconds a new image stays CREATING (default 5)
 *   "latency"           guint    milliseconds added to every answer (default 0)
 *   "quota"             guint    custom-image quota per region (default 10)
 *   "time-offset"       gint64   seconds added to the simulator's clock (default 0)
 *   "rate-limits"       gboolean refuse requests over the documented per-second limits
 *                                with RequestLimitExceeded, as Tencent does (default off)
 * Read-only:
 *   "connections"       guint    connections accepted so far (notified as each arrives)
 */
SimServer  *sim_server_new                (guint         seed,
                                           guint         instances_per_region);

/* Accounts. With none added, the default demo account above is accepted. */
void        sim_server_add_account        (SimServer    *self,
                                           const char   *secret_id,
                                           const char   *secret_key,
                                           const char   *token);

/* Listens on 127.0.0.1:@port (0 picks a free one) in the thread-default main context. */
gboolean    sim_server_listen             (SimServer    *self,
                                           guint         port,
                                           GError      **error);
guint       sim_server_get_port           (SimServer    *self);
/* "http://127.0.0.1:PORT" */
char       *sim_server_get_url            (SimServer    *self);
void        sim_server_disconnect         (SimServer    *self);

/*
 * Faults, written the same way on the command line (--fault SPEC) and in tests:
 *   KIND[:action=ACTION][,rate=R][,count=N][,ms=M]
 * KIND is one of: latency, rate-limit, internal-error, http-500, http-503, html,
 * malformed-json, truncated, oversized, drop, stall, image-fail.
 * action limits it to one action; rate is the share of matching requests (default 1);
 * count is how many times it fires at most (default: no limit); ms is the latency.
 */
gboolean    sim_server_add_fault          (SimServer    *self,
                                           const char   *spec,
                                           GError      **error);
void        sim_server_clear_faults       (SimServer    *self);

void        sim_server_set_time_offset    (SimServer    *self,
                                           gint64        seconds);
void        sim_server_set_image_delay    (SimServer    *self,
                                           double        seconds);
/* The IDs of images made from now on come from @id_seed instead of the fleet seed: the
 * demo passes a new one each session, so two sessions never hand out the same ImageId;
 * tests keep the default and stay deterministic. */
void        sim_server_set_id_seed        (SimServer    *self,
                                           guint32       id_seed);
void        sim_server_set_latency        (SimServer    *self,
                                           guint         milliseconds);
void        sim_server_set_quota          (SimServer    *self,
                                           guint         quota);
void        sim_server_set_rate_limits    (SimServer    *self,
                                           gboolean      enforce);

/* State, for tests and benchmarks. */
guint       sim_server_get_request_count  (SimServer    *self,
                                           const char   *action);
guint       sim_server_get_connection_count (SimServer  *self);
const char *sim_server_find_instance      (SimServer    *self,
                                           const char   *region,
                                           TcInstanceState state);
gboolean    sim_server_set_instance_state (SimServer    *self,
                                           const char   *region,
                                           const char   *instance_id,
                                           TcInstanceState state);
/* The fleet changes while a client lists it: an instance launched at @position of
 * @region's list (past the end: last), whose ID is returned, or one terminated. The
 * instances listed after it move by one. */
const char *sim_server_launch_instance    (SimServer    *self,
                                           const char   *region,
                                           guint         position);
gboolean    sim_server_terminate_instance (SimServer    *self,
                                           const char   *region,
                                           const char   *instance_id);
/* The state of the custom image called @name in @region, or TC_IMAGE_STATE_UNKNOWN. */
TcImageState sim_server_get_image_state   (SimServer    *self,
                                           const char   *region,
                                           const char   *name);
guint       sim_server_count_images       (SimServer    *self,
                                           const char   *region);
/* Makes @n custom images in @region at once, as CreateImage would but past its rate limit
 * and the quota: a region with more images than a page lists. */
void        sim_server_make_images        (SimServer    *self,
                                           const char   *region,
                                           guint         n);

/* Added for tests and tools: the simulator's clock (real time + time-offset, Unix seconds)
 * and the current state of one instance (TC_INSTANCE_STATE_UNKNOWN when not found). */
gint64      sim_server_get_time           (SimServer    *self);
TcInstanceState sim_server_get_instance_state (SimServer *self,
                                           const char   *region,
                                           const char   *instance_id);

G_END_DECLS
