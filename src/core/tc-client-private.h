/* tc-client-private.h: the client's knob that only the tests turn
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application keeps the documented retry policy; the tests shorten the back-off so
 * that retries take milliseconds and give up sooner.
 */
#pragma once

#include "tc-client.h"

G_BEGIN_DECLS

void           tc_client_set_retry         (TcClient       *self,
                                            guint           max_attempts,
                                            guint           base_delay_ms);

G_END_DECLS
