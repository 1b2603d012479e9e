/* imprint-copy-dialog.h: choose the regions a ready image is copied to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tc-client.h"
#include "tc-history.h"

G_BEGIN_DECLS

#define IMPRINT_TYPE_COPY_DIALOG (imprint_copy_dialog_get_type ())

G_DECLARE_FINAL_TYPE (ImprintCopyDialog, imprint_copy_dialog, IMPRINT, COPY_DIALOG, AdwWindow)

/*
 * Signals:
 *   "toast" (const char *text)  a sentence for a toast, naming the image: the copies are
 *                               under way (the dialog closes), or, when the dialog was
 *                               closed while copying, why they were not made
 */

/* @history: (nullable): where the copies are recorded. */
ImprintCopyDialog *imprint_copy_dialog_new             (GtkWindow         *parent,
                                                        TcClient          *client,
                                                        TcHistory         *history,
                                                        const char        *account_id,
                                                        const char        *account_name,
                                                        const char        *region,
                                                        const char        *image_id,
                                                        const char        *image_name);

G_END_DECLS
