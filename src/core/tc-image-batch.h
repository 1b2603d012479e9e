/* tc-image-batch.h: images of several instances at once, each with its own progress,
 * history entry and retry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tc-batch-plan.h"
#include "tc-client.h"
#include "tc-cvm-request.h"
#include "tc-history.h"

G_BEGIN_DECLS

typedef enum {
  TC_BATCH_WAITING,   /* not sent yet */
  TC_BATCH_SENDING,   /* its CreateImage is out */
  TC_BATCH_CREATING,  /* accepted: the image is being made (its entry is followed) */
  TC_BATCH_READY,     /* the image is ready */
  TC_BATCH_FAILED,    /* refused, or the image failed: see the message; can be retried */
} TcBatchState;

#define TC_TYPE_IMAGE_BATCH (tc_image_batch_get_type ())
G_DECLARE_FINAL_TYPE (TcImageBatch, tc_image_batch, TC, IMAGE_BATCH, GObject)

/*
 * A batch sends one TcImageJob per item of a plan whose names have no problem, a few at a
 * time (the client's pacer keeps CreateImage under Tencent's limit). Each accepted image
 * is recorded in the history like any other, and followed there by TcImageTracker; the
 * batch watches the entries to know how each ended.
 *
 * Signals:
 *   "item-changed" (guint index)  an item's state or message changed
 *   "finished"                    every item is READY or FAILED (again after a retry)
 *   "cancelled"                   tc_image_batch_cancel() stopped it: no signal follows
 */

/* @plan: (element-type TcBatchItem): what tc_batch_plan() made, without problems;
 * @options: the description, options and tags every image gets (its instance and name
 * are the plan's). */
TcImageBatch *tc_image_batch_new          (TcClient             *client,
                                           const char           *region,
                                           GPtrArray            *plan,
                                           const TcImageRequest *options);
void          tc_image_batch_set_history  (TcImageBatch         *self,
                                           TcHistory            *history,
                                           const char           *account_id,
                                           const char           *account_name);
/* Sends every WAITING item. */
void          tc_image_batch_start        (TcImageBatch         *self);
/* Every FAILED item is WAITING again, and sent. */
void          tc_image_batch_retry_failed (TcImageBatch         *self);
void          tc_image_batch_retry        (TcImageBatch         *self,
                                           guint                 index);
/* Stops the batch for good, quietly: what is out is cancelled, nothing more is sent or
 * followed, and it never finishes. "cancelled" says so, once. For work whose place is
 * gone (the demo, left while its batch ran). */
void          tc_image_batch_cancel       (TcImageBatch         *self);
gboolean      tc_image_batch_is_cancelled (TcImageBatch         *self);
gboolean      tc_image_batch_is_batched   (TcHistoryEntry       *entry);

const char   *tc_image_batch_get_region   (TcImageBatch         *self);
TcClient     *tc_image_batch_get_client   (TcImageBatch         *self);
guint         tc_image_batch_get_n_items  (TcImageBatch         *self);
/* The name the item's image was given. */
const char   *tc_image_batch_get_name     (TcImageBatch         *self,
                                           guint                 index);
TcBatchState  tc_image_batch_get_state    (TcImageBatch         *self,
                                           guint                 index);
TcInstance   *tc_image_batch_get_instance (TcImageBatch         *self,
                                           guint                 index);
/* Why a FAILED item failed (translated), else %NULL. */
const char   *tc_image_batch_get_message  (TcImageBatch         *self,
                                           guint                 index);
/* The history entry of the item's last attempt, once recorded. */
TcHistoryEntry *tc_image_batch_get_entry  (TcImageBatch         *self,
                                           guint                 index);
guint         tc_image_batch_count        (TcImageBatch         *self,
                                           TcBatchState          state);
gboolean      tc_image_batch_is_finished  (TcImageBatch         *self);
/* "7 of 8 images ready; 1 failed", for the notification that sums the batch up. */
char         *tc_image_batch_dup_summary  (TcImageBatch         *self);

G_END_DECLS
