/* imprint-shutdown-dialog.h: asking before running instances are shut down to be imaged
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tc-models.h"

G_BEGIN_DECLS

AdwMessageDialog *imprint_shutdown_dialog_new (GtkWindow  *parent,
                                               TcInstance *instance,
                                               guint       n_running);

G_END_DECLS
