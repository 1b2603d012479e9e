/* imprint-batch-dialog-private.h: what the tests read of the batch dialog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "imprint-batch-dialog.h"

G_BEGIN_DECLS

/* Whether the region's images and quota were asked for and answered (or failed). */
gboolean      imprint_batch_dialog_is_checked     (ImprintBatchDialog *self);
/* The name the pattern gives the @index-th instance (what was sent, once it was), and its
 * problem (NULL when none). */
const char   *imprint_batch_dialog_get_name       (ImprintBatchDialog *self,
                                                   guint               index);
const char   *imprint_batch_dialog_get_problem    (ImprintBatchDialog *self,
                                                   guint               index);
const char   *imprint_batch_dialog_get_status     (ImprintBatchDialog *self);

G_END_DECLS
