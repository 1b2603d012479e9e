/* imprint-batch-dialog.h: images of several instances at once: names from a pattern, checked
 * before anything is sent, then each image's progress
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tc-client.h"
#include "tc-cvm-request.h"
#include "tc-history.h"
#include "tc-image-batch.h"

G_BEGIN_DECLS

#define IMPRINT_TYPE_BATCH_DIALOG (imprint_batch_dialog_get_type ())

G_DECLARE_FINAL_TYPE (ImprintBatchDialog, imprint_batch_dialog, IMPRINT, BATCH_DIALOG, AdwWindow)

/* @instances: (element-type TcInstance): the instances to image, in this order;
 * @options: the description, options and tags every image gets;
 * @history: (nullable): where each image is recorded. */
ImprintBatchDialog *imprint_batch_dialog_new (GtkWindow            *parent,
                                              TcClient             *client,
                                              TcHistory            *history,
                                              const char           *account_id,
                                              const char           *account_name,
                                              const char           *region,
                                              GPtrArray            *instances,
                                              const TcImageRequest *options);
ImprintBatchDialog *imprint_batch_dialog_new_for_batch (GtkWindow    *parent,
                                                        TcImageBatch *batch);
/* (nullable): the batch, once Create was pressed */
TcImageBatch       *imprint_batch_dialog_get_batch (ImprintBatchDialog *self);
/* @problem: (nullable): why the form's description or tags, which every image would get,
 * cannot be sent: the dialog says so, and Create stays off. */
void                imprint_batch_dialog_set_form_problem (ImprintBatchDialog *self,
                                                           const char         *problem);

G_END_DECLS
