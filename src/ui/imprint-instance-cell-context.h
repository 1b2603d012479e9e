/* imprint-instance-cell-context.h: what all the instance picker's cells share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tc-models.h"
#include "tc-types.h"

G_BEGIN_DECLS

#define IMPRINT_TYPE_INSTANCE_CELL_CONTEXT (imprint_instance_cell_context_get_type ())

G_DECLARE_FINAL_TYPE (ImprintInstanceCellContext, imprint_instance_cell_context, IMPRINT, INSTANCE_CELL_CONTEXT, GObject)

ImprintInstanceCellContext *imprint_instance_cell_context_new         (TcProtocol                  protocol);
const char                 *imprint_instance_cell_context_refusal     (ImprintInstanceCellContext *self,
                                                                       TcInstanceState             state);
const char                 *imprint_instance_cell_context_zone_name   (ImprintInstanceCellContext *self,
                                                                       const char                 *zone);
const char                 *imprint_instance_cell_context_get_separator (ImprintInstanceCellContext *self);
gboolean                    imprint_instance_cell_context_get_narrow  (ImprintInstanceCellContext *self);
void                        imprint_instance_cell_context_set_narrow  (ImprintInstanceCellContext *self,
                                                                       gboolean                    narrow);
void                        imprint_instance_cell_context_set_pace    (ImprintInstanceCellContext *self,
                                                                       GtkWidget                  *widget);
void                        imprint_instance_cell_context_wait        (ImprintInstanceCellContext *self,
                                                                       gpointer                    cell);
void                        imprint_instance_cell_context_forget      (ImprintInstanceCellContext *self,
                                                                       gpointer                    cell);
void                        imprint_instance_cell_context_catch_up    (ImprintInstanceCellContext *self);

G_END_DECLS
