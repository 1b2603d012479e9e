/* tc-json.h: type-checked reads of JSON members (private to the core)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tc-json-reader.h"   /* TC_JSON_MAX_DEPTH */

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

/* For the files still read with json-glib (accounts.json, tccli's): deeper JSON than
 * TC_JSON_MAX_DEPTH is refused before parsing, since json-glib's parser recurses. */
gboolean    tc_json_depth_ok   (const char *data,
                                gsize       len);

G_END_DECLS
