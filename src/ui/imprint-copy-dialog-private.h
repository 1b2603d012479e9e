/* imprint-copy-dialog-private.h: what the tests reach of the copy dialog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "imprint-copy-dialog.h"

G_BEGIN_DECLS

/* Ticks or unticks @region, as a click on its row would; FALSE when it is not offered. */
gboolean           imprint_copy_dialog_choose          (ImprintCopyDialog *self,
                                                        const char        *region,
                                                        gboolean           chosen);
/* What stopped the last attempt, as the dialog shows it; NULL when nothing. */
const char        *imprint_copy_dialog_get_problem     (ImprintCopyDialog *self);

G_END_DECLS
