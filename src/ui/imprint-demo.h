/* imprint-demo.h: the demo, a simulated Tencent Cloud inside the app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns everything the demo needs and nothing real touches: the in-process simulator on a
 * loopback port, an account whose keys are the simulator's own (never in the keyring), its
 * client, its history in memory and the tracker that follows its images. Dropping the last
 * reference ends the demo: the simulator stops listening and all of it goes.
 */
#pragma once

#include <libsoup/soup.h>

#include "tc-image-tracker.h"
#include "tc-account.h"
#include "tc-client.h"
#include "tc-history.h"
#include "tc-pacer.h"

G_BEGIN_DECLS

#define IMPRINT_TYPE_DEMO (imprint_demo_get_type ())
G_DECLARE_FINAL_TYPE (ImprintDemo, imprint_demo, IMPRINT, DEMO, GObject)

/* NULL with the reason when the simulator cannot listen. */
ImprintDemo    *imprint_demo_new         (SoupSession  *session,
                                          TcPacer      *pacer,
                                          GError      **error);
TcAccount      *imprint_demo_get_account (ImprintDemo  *self);
TcClient       *imprint_demo_get_client  (ImprintDemo  *self);
TcHistory      *imprint_demo_get_history (ImprintDemo  *self);
TcImageTracker *imprint_demo_get_tracker (ImprintDemo  *self);

G_END_DECLS
