/* imprint-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tc-image-tracker.h"
#include "tc-history.h"
#include "tc-image-batch.h"
#include "tc-image-job.h"

G_BEGIN_DECLS

#define IMPRINT_TYPE_APPLICATION (imprint_application_get_type ())

G_DECLARE_FINAL_TYPE (ImprintApplication, imprint_application, IMPRINT, APPLICATION, AdwApplication)

ImprintApplication *imprint_application_new         (const char         *application_id);

TcHistory          *imprint_application_get_history (ImprintApplication *self);
TcImageTracker     *imprint_application_get_tracker (ImprintApplication *self);
void                imprint_application_follow_batch (ImprintApplication *self,
                                                      TcImageBatch       *batch);
void                imprint_application_cancel_batches (ImprintApplication *self,
                                                        TcClient           *client);
void                imprint_application_hold_request (void);
void                imprint_application_release_request (void);
void                imprint_application_notify_request (TcImageJob        *job);

G_END_DECLS
