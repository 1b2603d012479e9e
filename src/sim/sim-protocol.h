/* sim-protocol.h: the two protocols the simulator's server dispatches to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each protocol reads a request in three steps: prepare (just enough to know the action,
 * before faults are drawn), process (authenticate, then run the action against the cloud)
 * and render (the answer's bytes, success or error). The server picks a protocol by path
 * and knows nothing else about either.
 */
#pragma once

#include "sim-request.h"

G_BEGIN_DECLS

typedef struct {
  const char *name;                       /* as SimServer::served reports it */
  void      (*prepare) (SimRequest *req);
  void      (*process) (SimRequest *req);
  GBytes   *(*render)  (SimRequest *req);
} SimProtocol;

/* sim-api3.c */
void           sim_api3_prepare            (SimRequest   *req);
void           sim_api3_process            (SimRequest   *req);
GBytes        *sim_api3_render             (SimRequest   *req);

/* sim-legacy.c */
void           sim_legacy_prepare          (SimRequest   *req);
void           sim_legacy_process          (SimRequest   *req);
GBytes        *sim_legacy_render           (SimRequest   *req);

G_END_DECLS
