/* tc-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Servers send nulls, numbers as strings and the odd missing field; every read here checks
 * the type instead of letting json-glib warn. json-glib checks that its input is UTF-8, but
 * an escaped lone surrogate ("\udc00") still comes out as bytes that are not: exact values
 * with such bytes are refused, and text meant to be shown is repaired. Numbers out of
 * range are refused rather than cast.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "tc-json.h"

static const char *
raw_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/**
 * tc_json_get_string:
 *
 * For values that must be exact (IDs, codes, keys): a string that is not valid UTF-8
 * cannot be right, and reads as absent.
 *
 * Returns: (transfer none) (nullable): the member's string, when it is valid UTF-8
 */
const char *
tc_json_get_string (JsonObject *object,
                    const char *member)
{
  const char *value = raw_string (object, member);

  return value != NULL && g_utf8_validate (value, -1, NULL) ? value : NULL;
}

/**
 * tc_json_dup_text:
 *
 * For text that is only shown (names, descriptions, messages): invalid UTF-8 is replaced
 * by U+FFFD, so what reaches a model or a widget is always valid.
 *
 * Returns: (transfer full) (nullable): a valid UTF-8 copy of the member's string
 */
char *
tc_json_dup_text (JsonObject *object,
                  const char *member)
{
  const char *value = raw_string (object, member);

  return value != NULL ? g_utf8_make_valid (value, -1) : NULL;
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
    double d = json_node_get_double (node);

    /* 1e999 parses as infinity and 1e19 is beyond gint64: casting either is undefined.
     * A fraction is cut off as before; -2^63 and 2^63 are exact doubles. */
    if (!isfinite (d) || d < -9223372036854775808.0 ||
        d >= 9223372036854775808.0)
      return FALSE;
    *value = (gint64) d;
    return TRUE;
  }
  if (type == G_TYPE_STRING) {
    const char *str = json_node_get_string (node);
    char *end = NULL;
    gint64 v;

    errno = 0;
    v = g_ascii_strtoll (str, &end, 10);
    if (end != str && *end == '\0' && errno == 0) {
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
