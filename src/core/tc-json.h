/* tc-json.h: type-checked reads of JSON members (private to the core)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

const char *tc_json_get_string (JsonObject *object,
                                const char *member);
char       *tc_json_dup_text   (JsonObject *object,
                                const char *member);
gboolean    tc_json_get_int    (JsonObject *object,
                                const char *member,
                                gint64     *value);
JsonArray  *tc_json_get_array  (JsonObject *object,
                                const char *member);
JsonObject *tc_json_get_object (JsonObject *object,
                                const char *member);

/* Deeper JSON than this is refused before parsing: no CVM request or answer nests past a
 * handful of levels, and json-glib's parser recurses. */
#define TC_JSON_MAX_DEPTH 64

gboolean    tc_json_depth_ok   (const char *data,
                                gsize       len);

G_END_DECLS
