/* tc-image-job.h: one Check or Create Image, from the last look at the instance to the
 * history entry the tracker follows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tc-client.h"
#include "tc-cvm.h"
#include "tc-history.h"
#include "tc-models.h"

G_BEGIN_DECLS

typedef enum {
  TC_IMAGE_JOB_PENDING,     /* not started */
  TC_IMAGE_JOB_REFRESHING,  /* looking at the instance once more */
  TC_IMAGE_JOB_SENDING,     /* CreateImage (or its dry run) is out */
  TC_IMAGE_JOB_SUCCEEDED,   /* the check passed, or the image is being made */
  TC_IMAGE_JOB_FAILED,      /* refused, before sending or by the server: see the error */
  TC_IMAGE_JOB_CANCELLED,   /* nothing is recorded */
} TcImageJobState;

#define TC_TYPE_IMAGE_JOB_STATE (tc_image_job_state_get_type ())
GType tc_image_job_state_get_type (void) G_GNUC_CONST;

#define TC_TYPE_IMAGE_JOB (tc_image_job_get_type ())

G_DECLARE_FINAL_TYPE (TcImageJob, tc_image_job, TC, IMAGE_JOB, GObject)

/*
 * A job runs once. It looks at the instance again (an instance that started since it was
 * chosen is refused here, not by the server), sends CreateImage in the client's protocol
 * (a dry run for a check), and records the answer in the history: the checks for an image
 * and then its Create go to one entry (the "attempt"). A Create that was accepted is
 * recorded as CREATING, which is what TcImageTracker follows until the image is ready or
 * failed; the job is done then. A refusal before sending (the instance is gone or in a
 * state that forbids imaging) is not recorded: nothing was sent.
 *
 * Properties (read-only; each notifies once, when it is known):
 *   "state"     TcImageJobState  what the job is doing; the one property to watch
 *   "instance"  TcInstance       the instance as last fetched (the one given, then fresh)
 *   "entry"     TcHistoryEntry   the stored entry the answer went to (nullable: none was
 *                                recorded)
 * The error, the server's answer and the sentence to tell the user have getters; they are
 * set before "state" turns final.
 */

TcImageJob      *tc_image_job_new           (TcClient             *client,
                                             const char           *region,
                                             TcInstance           *instance,
                                             const TcImageRequest *request,
                                             gboolean              check);
/* Where the answer is recorded: @attempt_id is the entry of the checks sent for this
 * image so far (nullable); it is continued when it is still a check of the same account
 * and region. Without a history nothing is recorded (and nothing followed). */
void             tc_image_job_set_history   (TcImageJob           *self,
                                             TcHistory            *history,
                                             const char           *account_id,
                                             const char           *account_name,
                                             const char           *attempt_id);

void             tc_image_job_run_async     (TcImageJob           *self,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean         tc_image_job_run_finish    (TcImageJob           *self,
                                             GAsyncResult         *result,
                                             GError              **error);

TcImageJobState  tc_image_job_get_state     (TcImageJob           *self);
gboolean         tc_image_job_is_check      (TcImageJob           *self);
TcHistory       *tc_image_job_get_history   (TcImageJob           *self);
TcClient        *tc_image_job_get_client    (TcImageJob           *self);
const char      *tc_image_job_get_region    (TcImageJob           *self);
const TcImageRequest *tc_image_job_get_request (TcImageJob        *self);
TcInstance      *tc_image_job_get_instance  (TcImageJob           *self);
TcHistoryEntry  *tc_image_job_get_entry     (TcImageJob           *self);
/* Once SUCCEEDED: what CreateImage answered (the image ID, never for the legacy API). */
const TcCreateResult *tc_image_job_get_result (TcImageJob         *self);
/* Once FAILED: why. */
const GError    *tc_image_job_get_error     (TcImageJob           *self);
/* Whether the job asked for @request in @region (every field the user can change). */
gboolean         tc_image_job_asks_for      (TcImageJob           *self,
                                             const char           *region,
                                             const TcImageRequest *request);
/* Once final (not CANCELLED): one translated sentence saying how it ended, for a toast. */
const char      *tc_image_job_get_summary   (TcImageJob           *self);

G_END_DECLS
