/* tc-array-model.h: a GListModel over an array of objects
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TC_TYPE_ARRAY_MODEL (tc_array_model_get_type ())

G_DECLARE_FINAL_TYPE (TcArrayModel, tc_array_model, TC, ARRAY_MODEL, GObject)

TcArrayModel *tc_array_model_new       (GType         item_type,
                                        GPtrArray    *items);
GPtrArray    *tc_array_model_get_items (TcArrayModel *self);
void          tc_array_model_set_items (TcArrayModel *self,
                                        GPtrArray    *items);

G_END_DECLS
