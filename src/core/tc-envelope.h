/* tc-envelope.h: reading API 3.0 and legacy API 2.0 response envelopes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

JsonObject *tc_envelope_parse_api3    (GBytes      *body,
                                       guint        http_status,
                                       const char  *content_type,
                                       GError     **error);
JsonObject *tc_envelope_parse_legacy  (GBytes      *body,
                                       guint        http_status,
                                       const char  *content_type,
                                       GError     **error);

G_END_DECLS
