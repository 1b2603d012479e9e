/* sim-faults.h: the faults a simulator injects, parsed from KIND[:action=A][,rate=R]…
 * (also count=N: at most N times; skip=N: not the first N matching requests; ms=M)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

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

typedef struct _SimFaults SimFaults;

/* @seed decides which requests a fault with rate=R hits, so a run can be repeated. */
SimFaults    *sim_faults_new             (guint         seed);
void          sim_faults_free            (SimFaults    *self);
/* Appends the fault @spec describes; FALSE with @error saying what is wrong with it. */
gboolean      sim_faults_add             (SimFaults    *self,
                                          const char   *spec,
                                          GError      **error);
void          sim_faults_clear           (SimFaults    *self);
/* The fault that replaces or changes the answer to @action (NONE when none fires), and in
 * @extra_ms the delay of every latency fault that fired plus the ms= of the chosen one. */
SimFaultKind  sim_faults_pick            (SimFaults    *self,
                                          const char   *action,
                                          guint        *extra_ms);
/* Whether an image-fail fault fires for a CreateImage that makes an image. */
gboolean      sim_faults_take_image_fail (SimFaults    *self);
/* "latency", "drop", …; NULL for NONE. */
const char   *sim_fault_kind_name        (SimFaultKind  kind);

G_END_DECLS
