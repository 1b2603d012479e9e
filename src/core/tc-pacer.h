/* tc-pacer.h: keeps every request under Tencent's documented rate limits
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define TC_TYPE_PACER (tc_pacer_get_type ())

G_DECLARE_FINAL_TYPE (TcPacer, tc_pacer, TC, PACER, GObject)

TcPacer  *tc_pacer_new          (void);

guint     tc_pacer_get_rate     (const char *action);

gint64    tc_pacer_reserve      (TcPacer    *self,
                                 const char *action,
                                 const char *region,
                                 const char *secret_id,
                                 gint64      now);

G_END_DECLS
