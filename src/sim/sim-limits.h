/* sim-limits.h: Tencent's per-second request limits, enforced when asked
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SimLimits SimLimits;

SimLimits     *sim_limits_new              (void);
void           sim_limits_free             (SimLimits    *self);
guint          sim_limits_get_rate         (const char   *action);
gboolean       sim_limits_admit            (SimLimits    *self,
                                            const char   *action,
                                            const char   *region,
                                            const char   *secret_id,
                                            gint64        now);

G_END_DECLS
