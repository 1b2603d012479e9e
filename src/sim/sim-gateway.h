/* sim-gateway.h: what the gateway and the network do to the simulator's answers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "sim-faults.h"
#include "sim-request.h"

G_BEGIN_DECLS

typedef struct _SimGateway SimGateway;

SimGateway *sim_gateway_new        (void);
void        sim_gateway_free       (SimGateway        *self);
/* Pauses @msg, whose answer is already set; after @delay_ms, in @context, sends it, or
 * with @kind DROP closes the connection, or with TRUNCATED sends the first half of @body
 * under a Content-Length promising all of it. STALL holds it until close_all(). */
void        sim_gateway_hold       (SimGateway        *self,
                                    GMainContext      *context,
                                    SoupServerMessage *msg,
                                    SimFaultKind       kind,
                                    GBytes            *body,
                                    guint              delay_ms);
/* Closes every held connection, so a client waiting on a stall sees EOF. */
void        sim_gateway_close_all  (SimGateway        *self);
/* The answer of a fault that replaces the API's (http-500, http-503, html,
 * malformed-json, oversized), with its HTTP status and content type. */
GBytes     *sim_gateway_fault_body (SimRequest        *req,
                                    SimFaultKind       kind,
                                    guint             *status,
                                    const char       **content_type);

G_END_DECLS
