/* imprint-instance-picker.h: a dialog that lists a region's instances and lets the user
 * choose one to image
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tc-client.h"
#include "tc-models.h"

G_BEGIN_DECLS

/**
 * ImprintPickerState:
 * @IMPRINT_PICKER_STATE_LOADING: the list is being fetched
 * @IMPRINT_PICKER_STATE_READY: the region's instances are listed
 * @IMPRINT_PICKER_STATE_EMPTY: the region has no instances
 * @IMPRINT_PICKER_STATE_ERROR: the list could not be fetched; *Retry* is offered, over
 *   the list from before when a refresh failed
 */
typedef enum {
  IMPRINT_PICKER_STATE_LOADING,
  IMPRINT_PICKER_STATE_READY,
  IMPRINT_PICKER_STATE_EMPTY,
  IMPRINT_PICKER_STATE_ERROR,
} ImprintPickerState;

#define IMPRINT_TYPE_PICKER_STATE (imprint_picker_state_get_type ())
GType imprint_picker_state_get_type (void) G_GNUC_CONST;

#define IMPRINT_TYPE_INSTANCE_PICKER (imprint_instance_picker_get_type ())

G_DECLARE_FINAL_TYPE (ImprintInstancePicker, imprint_instance_picker, IMPRINT, INSTANCE_PICKER, AdwWindow)

ImprintInstancePicker *imprint_instance_picker_new                (GtkWindow             *parent,
                                                                   TcClient              *client,
                                                                   const char            *region,
                                                                   gboolean               force_poweroff);

gboolean               imprint_instance_picker_get_force_poweroff (ImprintInstancePicker *self);
void                   imprint_instance_picker_set_force_poweroff (ImprintInstancePicker *self,
                                                                   gboolean               force_poweroff);
ImprintPickerState     imprint_instance_picker_get_state          (ImprintInstancePicker *self);
double                 imprint_instance_picker_get_progress       (ImprintInstancePicker *self);
void                   imprint_instance_picker_set_search_text    (ImprintInstancePicker *self,
                                                                   const char            *text);
gboolean               imprint_instance_picker_select_instance    (ImprintInstancePicker *self,
                                                                   const char            *instance_id);
void                   imprint_instance_picker_refresh            (ImprintInstancePicker *self);
void                   imprint_instance_picker_set_several        (ImprintInstancePicker *self,
                                                                   gboolean               several);

G_END_DECLS
