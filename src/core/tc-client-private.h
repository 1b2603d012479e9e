/* tc-client-private.h: the client's knobs and accessors that only the tests use
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application keeps the documented retry policy; the tests shorten the back-off so
 * that retries take milliseconds and give up sooner, and check which pacer a client
 * waits for.
 */
#pragma once

#include "tc-client.h"

G_BEGIN_DECLS

void           tc_client_set_retry         (TcClient       *self,
                                            guint           max_attempts,
                                            guint           base_delay_ms);
TcPacer       *tc_client_get_pacer         (TcClient       *self);

G_END_DECLS
