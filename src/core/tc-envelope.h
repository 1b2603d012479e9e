/* tc-envelope.h: reading API 3.0 and legacy API 2.0 response envelopes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tc-answer.h"

G_BEGIN_DECLS

TcAnswer *tc_envelope_read (TcProtocol    protocol,
                            GBytes       *body,
                            guint         http_status,
                            const char   *content_type,
                            GError      **error);

G_END_DECLS
