/* imprint-instance-picker-private.h: what the tests read of the picker beyond its
 * properties
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The form only opens the picker and hears which instance was chosen; the tests also look
 * at the list as searched and sorted, and at the selection.
 */
#pragma once

#include "imprint-instance-picker.h"

G_BEGIN_DECLS

GListModel *imprint_instance_picker_get_model    (ImprintInstancePicker *self);
TcInstance *imprint_instance_picker_get_selected (ImprintInstancePicker *self);
GPtrArray  *imprint_instance_picker_get_ticked   (ImprintInstancePicker *self);
gboolean    imprint_instance_picker_set_ticked   (ImprintInstancePicker *self,
                                                  const char            *instance_id,
                                                  gboolean               ticked);

G_END_DECLS
