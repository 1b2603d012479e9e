/* tc-types.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tc-types.h"

static const struct {
  const char      *name;
  TcInstanceState  state;
} instance_states[] = {
  { "PENDING", TC_INSTANCE_STATE_PENDING },
  { "LAUNCH_FAILED", TC_INSTANCE_STATE_LAUNCH_FAILED },
  { "RUNNING", TC_INSTANCE_STATE_RUNNING },
  { "STOPPED", TC_INSTANCE_STATE_STOPPED },
  { "STARTING", TC_INSTANCE_STATE_STARTING },
  { "STOPPING", TC_INSTANCE_STATE_STOPPING },
  { "REBOOTING", TC_INSTANCE_STATE_REBOOTING },
  { "SHUTDOWN", TC_INSTANCE_STATE_SHUTDOWN },
  { "TERMINATING", TC_INSTANCE_STATE_TERMINATING },
  { "RESCUE_MODE", TC_INSTANCE_STATE_RESCUE },
  { "ENTER_RESCUE_MODE", TC_INSTANCE_STATE_RESCUE },
  { "EXIT_RESCUE_MODE", TC_INSTANCE_STATE_RESCUE },
  { "SERVICE_LIVE_MIGRATE", TC_INSTANCE_STATE_MIGRATING },
  { "ENTER_SERVICE_LIVE_MIGRATE", TC_INSTANCE_STATE_MIGRATING },
  { "EXIT_SERVICE_LIVE_MIGRATE", TC_INSTANCE_STATE_MIGRATING },
};

TcInstanceState
tc_instance_state_from_api3 (const char *state)
{
  if (state == NULL)
    return TC_INSTANCE_STATE_UNKNOWN;

  for (guint i = 0; i < G_N_ELEMENTS (instance_states); i++) {
    if (strcmp (instance_states[i].name, state) == 0)
      return instance_states[i].state;
  }
  return TC_INSTANCE_STATE_UNKNOWN;
}

/**
 * tc_instance_state_to_api3:
 *
 * Returns: (transfer none): the API 3.0 name of @state (the main one where several map to it)
 */
const char *
tc_instance_state_to_api3 (TcInstanceState state)
{
  for (guint i = 0; i < G_N_ELEMENTS (instance_states); i++) {
    if (instance_states[i].state == state)
      return instance_states[i].name;
  }
  return "UNKNOWN";
}

TcInstanceState
tc_instance_state_from_legacy (gint64 status)
{
  switch (status) {
  case -1: return TC_INSTANCE_STATE_LAUNCH_FAILED;
  case 2:  return TC_INSTANCE_STATE_RUNNING;
  case 3:  return TC_INSTANCE_STATE_PENDING;
  case 4:  return TC_INSTANCE_STATE_STOPPED;
  case 5:
  case 6:  return TC_INSTANCE_STATE_SHUTDOWN;
  case 7:  return TC_INSTANCE_STATE_REBOOTING;
  case 8:  return TC_INSTANCE_STATE_STARTING;
  case 9:  return TC_INSTANCE_STATE_STOPPING;
  case 1:
  case 10: case 11: case 12: case 13: case 14: case 15: case 16:
  case 17: case 18: case 19: case 20:
    return TC_INSTANCE_STATE_BUSY;
  default:
    return TC_INSTANCE_STATE_UNKNOWN;
  }
}

/**
 * tc_instance_state_describe:
 *
 * Returns: (transfer none): the translated name of @state, for badges
 */
const char *
tc_instance_state_describe (TcInstanceState state)
{
  switch (state) {
  case TC_INSTANCE_STATE_PENDING:       return C_("instance state", "Creating");
  case TC_INSTANCE_STATE_LAUNCH_FAILED: return C_("instance state", "Launch failed");
  case TC_INSTANCE_STATE_RUNNING:       return C_("instance state", "Running");
  case TC_INSTANCE_STATE_STOPPED:       return C_("instance state", "Stopped");
  case TC_INSTANCE_STATE_STARTING:      return C_("instance state", "Starting");
  case TC_INSTANCE_STATE_STOPPING:      return C_("instance state", "Stopping");
  case TC_INSTANCE_STATE_REBOOTING:     return C_("instance state", "Rebooting");
  case TC_INSTANCE_STATE_SHUTDOWN:      return C_("instance state", "Shut down");
  case TC_INSTANCE_STATE_TERMINATING:   return C_("instance state", "Terminating");
  case TC_INSTANCE_STATE_RESCUE:        return C_("instance state", "Rescue mode");
  case TC_INSTANCE_STATE_MIGRATING:     return C_("instance state", "Migrating");
  case TC_INSTANCE_STATE_BUSY:          return C_("instance state", "Busy");
  case TC_INSTANCE_STATE_UNKNOWN:
  default:                              return C_("instance state", "Unknown");
  }
}

/**
 * tc_image_state_describe:
 *
 * Returns: (transfer none): the translated name of @state, for badges
 */
const char *
tc_image_state_describe (TcImageState state)
{
  switch (state) {
  case TC_IMAGE_STATE_CREATING:     return C_("image state", "Creating");
  case TC_IMAGE_STATE_NORMAL:       return C_("image state", "Ready");
  case TC_IMAGE_STATE_CREATEFAILED: return C_("image state", "Failed");
  case TC_IMAGE_STATE_SYNCING:      return C_("image state", "Copying");
  case TC_IMAGE_STATE_IMPORTING:    return C_("image state", "Importing");
  case TC_IMAGE_STATE_IMPORTFAILED: return C_("image state", "Import failed");
  case TC_IMAGE_STATE_USING:        return C_("image state", "In use");
  case TC_IMAGE_STATE_UNKNOWN:
  default:                          return C_("image state", "Unknown");
  }
}

static const struct {
  const char   *name;
  TcImageState  state;
} image_states[] = {
  { "CREATING", TC_IMAGE_STATE_CREATING },
  { "NORMAL", TC_IMAGE_STATE_NORMAL },
  { "CREATEFAILED", TC_IMAGE_STATE_CREATEFAILED },
  { "SYNCING", TC_IMAGE_STATE_SYNCING },
  { "IMPORTING", TC_IMAGE_STATE_IMPORTING },
  { "IMPORTFAILED", TC_IMAGE_STATE_IMPORTFAILED },
  { "USING", TC_IMAGE_STATE_USING },
};

TcImageState
tc_image_state_from_api3 (const char *state)
{
  if (state == NULL)
    return TC_IMAGE_STATE_UNKNOWN;

  for (guint i = 0; i < G_N_ELEMENTS (image_states); i++) {
    if (strcmp (image_states[i].name, state) == 0)
      return image_states[i].state;
  }
  return TC_IMAGE_STATE_UNKNOWN;
}

const char *
tc_image_state_to_api3 (TcImageState state)
{
  for (guint i = 0; i < G_N_ELEMENTS (image_states); i++) {
    if (image_states[i].state == state)
      return image_states[i].name;
  }
  return "UNKNOWN";
}

/* Legacy `status`: 1 creating, 2 normal, 3 in use, 4 syncing, 5 copying. The legacy API has
 * no failed state: a failed image simply disappears from the list. */
TcImageState
tc_image_state_from_legacy (gint64 status)
{
  switch (status) {
  case 1:  return TC_IMAGE_STATE_CREATING;
  case 2:  return TC_IMAGE_STATE_NORMAL;
  case 3:  return TC_IMAGE_STATE_USING;
  case 4:
  case 5:  return TC_IMAGE_STATE_SYNCING;
  default: return TC_IMAGE_STATE_UNKNOWN;
  }
}

gint64
tc_image_state_to_legacy (TcImageState state)
{
  switch (state) {
  case TC_IMAGE_STATE_CREATING: return 1;
  case TC_IMAGE_STATE_NORMAL:   return 2;
  case TC_IMAGE_STATE_USING:    return 3;
  case TC_IMAGE_STATE_SYNCING:  return 4;
  default:                      return 0;
  }
}

gboolean
tc_image_state_is_final (TcImageState state)
{
  return state == TC_IMAGE_STATE_NORMAL ||
         state == TC_IMAGE_STATE_CREATEFAILED ||
         state == TC_IMAGE_STATE_IMPORTFAILED ||
         state == TC_IMAGE_STATE_USING;
}
