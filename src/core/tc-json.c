/* tc-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Servers send nulls, numbers as strings and the odd missing field; every read here checks
 * the type instead of letting json-glib warn.
 */
#include "config.h"

#include <stdlib.h>

#include "tc-json.h"

const char *
tc_json_get_string (JsonObject *object,
                    const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gboolean
tc_json_get_int (JsonObject *object,
                 const char *member,
                 gint64     *value)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64) {
    *value = json_node_get_int (node);
    return TRUE;
  }
  if (type == G_TYPE_DOUBLE) {
    *value = (gint64) json_node_get_double (node);
    return TRUE;
  }
  if (type == G_TYPE_STRING) {
    const char *str = json_node_get_string (node);
    char *end = NULL;
    gint64 v = g_ascii_strtoll (str, &end, 10);

    if (end != str && *end == '\0') {
      *value = v;
      return TRUE;
    }
  }
  return FALSE;
}

JsonArray *
tc_json_get_array (JsonObject *object,
                   const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

JsonObject *
tc_json_get_object (JsonObject *object,
                    const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/**
 * tc_json_depth_ok:
 *
 * Whether @data nests arrays and objects at most %TC_JSON_MAX_DEPTH deep. Brackets inside
 * strings do not count. A linear scan, cheap next to parsing.
 */
gboolean
tc_json_depth_ok (const char *data,
                  gsize       len)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < len; i++) {
    char c = data[i];

    if (in_string) {
      if (c == '\\')
        i++;
      else if (c == '"')
        in_string = FALSE;
    } else if (c == '"') {
      in_string = TRUE;
    } else if (c == '{' || c == '[') {
      if (++depth > TC_JSON_MAX_DEPTH)
        return FALSE;
    } else if ((c == '}' || c == ']') && depth > 0) {
      depth--;
    }
  }
  return TRUE;
}
