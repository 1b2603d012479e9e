/* tc-copy-job.h: copies of one ready image in other regions, from the dry run to the
 * history entries the tracker follows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tc-client.h"
#include "tc-history.h"

G_BEGIN_DECLS

/* Asks Tencent first (a dry run of SyncImages), then copies the image @image_id of
 * @region to each of @destinations. Each copy is recorded in @history (nullable: nothing
 * is recorded) as an entry of kind COPY, CREATING in its region, which TcImageTracker
 * follows until the copy is ready. A copy the server refused is recorded as
 * REQUEST_FAILED, so the history tells how it ended; a refused dry run records nothing.
 * When SyncImages went out and its answer was lost (TC_ERROR_NO_ANSWER, which the call
 * still fails with) or could not be read, each copy is recorded CREATING without an ID,
 * and the tracker looks for it by its name. */
void       tc_copy_job_run_async  (TcClient            *client,
                                   TcHistory           *history,
                                   const char          *account_id,
                                   const char          *account_name,
                                   const char          *region,
                                   const char          *image_id,
                                   const char          *image_name,
                                   const char * const  *destinations,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
/* Returns: (transfer container) (element-type TcHistoryEntry): the entries recorded, one
 * per destination, or %NULL with @error. */
GPtrArray *tc_copy_job_run_finish (TcClient            *client,
                                   GAsyncResult        *result,
                                   GError             **error);

G_END_DECLS
