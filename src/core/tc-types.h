/* tc-types.h: small enums shared by the core, the simulator and the UI
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  TC_PROTOCOL_API3,    /* API 3.0, TC3-HMAC-SHA256, JSON */
  TC_PROTOCOL_LEGACY,  /* API 2.0, /v2/index.php, HmacSHA1/256 query */
} TcProtocol;

typedef enum {
  TC_INSTANCE_STATE_UNKNOWN,
  TC_INSTANCE_STATE_PENDING,
  TC_INSTANCE_STATE_LAUNCH_FAILED,
  TC_INSTANCE_STATE_RUNNING,
  TC_INSTANCE_STATE_STOPPED,
  TC_INSTANCE_STATE_STARTING,
  TC_INSTANCE_STATE_STOPPING,
  TC_INSTANCE_STATE_REBOOTING,
  TC_INSTANCE_STATE_SHUTDOWN,
  TC_INSTANCE_STATE_TERMINATING,
  TC_INSTANCE_STATE_RESCUE,        /* entering, in or leaving rescue mode */
  TC_INSTANCE_STATE_MIGRATING,     /* service live migration */
  TC_INSTANCE_STATE_BUSY,          /* legacy states with an operation under way */
} TcInstanceState;

typedef enum {
  TC_IMAGE_STATE_UNKNOWN,
  TC_IMAGE_STATE_CREATING,
  TC_IMAGE_STATE_NORMAL,
  TC_IMAGE_STATE_CREATEFAILED,
  TC_IMAGE_STATE_SYNCING,
  TC_IMAGE_STATE_IMPORTING,
  TC_IMAGE_STATE_IMPORTFAILED,
  TC_IMAGE_STATE_USING,
} TcImageState;

TcInstanceState  tc_instance_state_from_api3    (const char      *state);
const char      *tc_instance_state_to_api3      (TcInstanceState  state);
TcInstanceState  tc_instance_state_from_legacy  (gint64           status);
const char      *tc_instance_state_describe     (TcInstanceState  state);

TcImageState     tc_image_state_from_api3       (const char      *state);
const char      *tc_image_state_to_api3         (TcImageState     state);
TcImageState     tc_image_state_from_legacy     (gint64           status);
gint64           tc_image_state_to_legacy       (TcImageState     state);
gboolean         tc_image_state_is_final        (TcImageState     state);
const char      *tc_image_state_describe        (TcImageState     state);

G_END_DECLS
