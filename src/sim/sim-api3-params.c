/* sim-api3-params.c: the parameters of an API 3.0 request, as Tencent checks them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * TC3 requests carry their parameters as JSON, with the documented types; v1 requests, GET
 * and form posts as strings flattened into `Filters.0.Values.1`, which are turned into the
 * same JSON shape first. Every getter answers like Tencent when a parameter is missing, has
 * the wrong type or is out of range, and returns FALSE once the request has failed.
 */
#include "config.h"

#include <string.h>

#include "sim-api3-private.h"
#include "tc-json.h"

void
sim_api3_filter_free (Filter *filter)
{
  g_free (filter->name);
  g_ptr_array_unref (filter->values);
  g_free (filter);
}

gboolean
sim_api3_missing_parameter (SimRequest *req,
                            const char *name)
{
  sim_request_fail (req, "MissingParameter", 4000,
                    T (req, "The request is missing a required parameter `%s`.",
                            "缺少必要参数 `%s`。"),
                    name);
  return FALSE;
}


static gboolean
all_digits (const char *s)
{
  if (*s == '\0')
    return FALSE;
  for (; *s; s++) {
    if (!g_ascii_isdigit (*s))
      return FALSE;
  }
  return TRUE;
}

/* Turns objects whose members are all indexes ("0", "1", …) into arrays, in index order.
 * Takes @node and returns a new tree (the input is only read, never changed in place). */
static JsonNode *
arrays_from_indexes (JsonNode *node)
{
  JsonObject *object;
  g_autoptr(GList) members = NULL;
  gboolean indexes = TRUE;
  JsonNode *result;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return node;

  object = json_node_get_object (node);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    indexes &= all_digits (l->data) && strlen (l->data) < 4;

  if (indexes && members != NULL) {
    JsonArray *array = json_array_new ();
    guint max = 0;

    for (GList *l = members; l != NULL; l = l->next)
      max = MAX (max, (guint) g_ascii_strtoull (l->data, NULL, 10));
    for (guint i = 0; i <= max; i++) {
      char index[16];

      g_snprintf (index, sizeof index, "%u", i);
      if (json_object_has_member (object, index))
        json_array_add_element (array, arrays_from_indexes (json_object_dup_member (object, index)));
    }
    result = json_node_new (JSON_NODE_ARRAY);
    json_node_take_array (result, array);
  } else {
    JsonObject *copy = json_object_new ();

    for (GList *l = members; l != NULL; l = l->next)
      json_object_set_member (copy, l->data,
                              arrays_from_indexes (json_object_dup_member (object, l->data)));
    result = json_node_new (JSON_NODE_OBJECT);
    json_node_take_object (result, copy);
  }

  json_node_unref (node);
  return result;
}

static const char * const common_params[] = {
  "Action", "Region", "Timestamp", "Nonce", "SecretId", "Version", "SignatureMethod",
  "Signature", "Token", "Language", "RequestClient",
};

/* `Filters.0.Values.1=x` → {"Filters": [{"Values": [ , "x"]}]}. */
gboolean
sim_api3_params_from_form (SimRequest *req,
                           gboolean    skip_common)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  GHashTableIter iter;
  gpointer key, value;

  json_node_take_object (root, json_object_new ());

  g_hash_table_iter_init (&iter, req->form);
  while (g_hash_table_iter_next (&iter, &key, &value)) {
    g_auto(GStrv) path = NULL;
    JsonObject *object = json_node_get_object (root);
    gboolean common = FALSE;
    guint n;

    for (guint i = 0; skip_common && i < G_N_ELEMENTS (common_params); i++)
      common |= strcmp (key, common_params[i]) == 0;
    if (common)
      continue;

    /* Real parameters nest three deep (Filters.0.Values.1); a name of a million segments
     * would nest objects deep enough to exhaust the stack when freed. */
    path = g_strsplit (key, ".", 9);
    n = g_strv_length (path);
    if (n > 8) {
      sim_request_fail (req, "InvalidParameter", 4000, "The parameter `%.64s` nests too deep.",
                        (const char *) key);
      return FALSE;
    }
    for (guint i = 0; i + 1 < n; i++) {
      JsonNode *child = json_object_get_member (object, path[i]);

      if (child == NULL) {
        json_object_set_object_member (object, path[i], json_object_new ());
        child = json_object_get_member (object, path[i]);
      }
      if (!JSON_NODE_HOLDS_OBJECT (child) || *path[i] == '\0') {
        sim_request_fail (req, "InvalidParameter", 4000, "The parameter `%s` conflicts with "
                          "another one.", (const char *) key);
        return FALSE;
      }
      object = json_node_get_object (child);
    }
    if (*path[n - 1] == '\0' || json_object_has_member (object, path[n - 1])) {
      sim_request_fail (req, "InvalidParameter", 4000, "The parameter `%s` conflicts with "
                        "another one.", (const char *) key);
      return FALSE;
    }
    json_object_set_string_member (object, path[n - 1], value);
  }

  root = arrays_from_indexes (g_steal_pointer (&root));
  req->params = json_object_ref (json_node_get_object (root));
  return TRUE;
}

gboolean
sim_api3_params_from_json (SimRequest *req)
{
  gsize len;
  const char *data = g_bytes_get_data (req->body, &len);
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  /* An empty body is an action without parameters. */
  if (len == 0 || (len == 2 && memcmp (data, "{}", 2) == 0)) {
    req->params = json_object_new ();
    return TRUE;
  }

  if (!tc_json_depth_ok (data, len) || !g_utf8_validate (data, (gssize) len, NULL)) {
    sim_request_fail (req, "InvalidParameter", 4000, "%s",
                      T (req, "The request body is not valid JSON.", "请求体不是合法的 JSON。"));
    return FALSE;
  }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) len, &error)) {
    sim_request_fail (req, "InvalidParameter", 4000, "%s (%s)",
                      T (req, "The request body is not valid JSON.", "请求体不是合法的 JSON。"),
                      error->message);
    return FALSE;
  }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)) {
    sim_request_fail (req, "InvalidParameter", 4000, "%s",
                      T (req, "The request body must be a JSON object.",
                              "请求体必须是 JSON 对象。"));
    return FALSE;
  }

  req->params = json_object_ref (json_node_get_object (root));
  return TRUE;
}

JsonNode *
sim_api3_member (JsonObject *object,
                 const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && !JSON_NODE_HOLDS_NULL (node) ? node : NULL;
}

gboolean
sim_api3_wrong_type (SimRequest *req,
                     const char *name,
                     const char *expected)
{
  sim_request_fail (req, "InvalidParameterValue", 4000,
                    T (req, "The value of parameter `%s` must be %s.",
                            "参数 `%s` 的值必须是%s。"),
                    name, expected);
  return FALSE;
}

gboolean
sim_api3_get_int (SimRequest *req,
                  JsonObject *object,
                  const char *name,
                  gint64      default_value,
                  gint64     *out)
{
  JsonNode *node = sim_api3_member (object, name);

  *out = default_value;
  if (node == NULL)
    return TRUE;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64) {
    *out = json_node_get_int (node);
    return TRUE;
  }
  if (req->lenient && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING &&
      g_ascii_string_to_signed (json_node_get_string (node), 10, G_MININT32, G_MAXINT32,
                                out, NULL))
    return TRUE;

  return sim_api3_wrong_type (req, name, T (req, "an integer", "整数"));
}

/* Stores the string, or NULL when the parameter is absent. */
gboolean
sim_api3_get_string (SimRequest  *req,
                     JsonObject  *object,
                     const char  *name,
                     const char **out)
{
  JsonNode *node = sim_api3_member (object, name);

  *out = NULL;
  if (node == NULL)
    return TRUE;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING) {
    *out = json_node_get_string (node);
    return TRUE;
  }
  return sim_api3_wrong_type (req, name, T (req, "a string", "字符串"));
}

gboolean
sim_api3_get_bool (SimRequest *req,
                   JsonObject *object,
                   const char *name,
                   gboolean   *out)
{
  JsonNode *node = sim_api3_member (object, name);
  const char *text;

  *out = FALSE;
  if (node == NULL)
    return TRUE;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN) {
    *out = json_node_get_boolean (node);
    return TRUE;
  }
  if (req->lenient && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING) {
    text = json_node_get_string (node);
    if (g_ascii_strcasecmp (text, "true") == 0 || strcmp (text, "1") == 0) {
      *out = TRUE;
      return TRUE;
    }
    if (g_ascii_strcasecmp (text, "false") == 0 || strcmp (text, "0") == 0)
      return TRUE;
  }
  return sim_api3_wrong_type (req, name, T (req, "a boolean", "布尔值"));
}

/* ForcePoweroff and Sysprep: documented as the strings "true" and "false". */
gboolean
sim_api3_get_string_bool (SimRequest *req,
                          const char *name,
                          gboolean   *out)
{
  const char *text;

  *out = FALSE;
  if (!sim_api3_get_string (req, req->params, name, &text))
    return FALSE;
  if (text == NULL || strcmp (text, "false") == 0 || strcmp (text, "FALSE") == 0)
    return TRUE;
  if (strcmp (text, "true") == 0 || strcmp (text, "TRUE") == 0) {
    *out = TRUE;
    return TRUE;
  }
  return sim_api3_wrong_type (req, name, T (req, "the string \"true\" or \"false\"",
                                                 "字符串 \"true\" 或 \"false\""));
}

/* Stores a new array of the strings, or NULL when the parameter is absent. */
gboolean
sim_api3_get_string_array (SimRequest  *req,
                           JsonObject  *object,
                           const char  *name,
                           GPtrArray  **out)
{
  JsonNode *node = sim_api3_member (object, name);
  JsonArray *array;
  g_autoptr(GPtrArray) strings = NULL;

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return sim_api3_wrong_type (req, name, T (req, "an array of strings", "字符串数组"));

  array = json_node_get_array (node);
  strings = g_ptr_array_new ();
  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonNode *element = json_array_get_element (array, i);

    if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
      return sim_api3_wrong_type (req, name, T (req, "an array of strings", "字符串数组"));
    g_ptr_array_add (strings, (gpointer) json_node_get_string (element));
  }
  *out = g_steal_pointer (&strings);
  return TRUE;
}

/* Fails @req with the reason a rule of tc-rules gave, after the parameter's name. */
gboolean
sim_api3_rule_refused (SimRequest *req,
                       const char *code,
                       const char *field,
                       TcVerdict  *verdict)
{
  if (field != NULL)
    sim_request_fail (req, code, 4000, "%s: %s", field, verdict->message);
  else
    sim_request_fail (req, code, 4000, "%s", verdict->message);
  return FALSE;
}

/* Answers a dry run that passed every check as Tencent does: with an error. */
void
sim_api3_dry_run_passed (SimRequest *req)
{
  sim_request_fail (req, "DryRunOperation", 0, "%s",
                    T (req, "DryRun Operation. It indicates that the request would have "
                            "succeeded, but the DryRun parameter was used.",
                            "DryRun 操作，代表请求将会是成功的，只是多传了 DryRun 参数。"));
}

gboolean
sim_api3_limit_exceeded (SimRequest *req,
                         const char *what)
{
  sim_request_fail (req, "InvalidParameterValue.LimitExceeded", 4000, "%s", what);
  return FALSE;
}

gboolean
sim_api3_get_filters (SimRequest  *req,
                      GPtrArray  **out)
{
  JsonNode *node = sim_api3_member (req->params, "Filters");
  JsonArray *array;
  g_autoptr(GPtrArray) filters = NULL;

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return sim_api3_wrong_type (req, "Filters", T (req, "an array of {Name, Values}", "{Name, Values} 数组"));

  array = json_node_get_array (node);
  if (json_array_get_length (array) > 10)
    return sim_api3_limit_exceeded (req, "At most 10 filters are allowed.");

  filters = g_ptr_array_new_with_free_func ((GDestroyNotify) sim_api3_filter_free);
  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonNode *element = json_array_get_element (array, i);
    JsonObject *object;
    const char *name;
    GPtrArray *values;
    Filter *filter;

    if (!JSON_NODE_HOLDS_OBJECT (element))
      return sim_api3_wrong_type (req, "Filters", T (req, "an array of {Name, Values}",
                                                          "{Name, Values} 数组"));
    object = json_node_get_object (element);
    if (!sim_api3_get_string (req, object, "Name", &name) ||
        !sim_api3_get_string_array (req, object, "Values", &values))
      return FALSE;
    if (name == NULL)
      return sim_api3_missing_parameter (req, "Filters.Name");
    if (values == NULL || values->len == 0) {
      g_clear_pointer (&values, g_ptr_array_unref);
      return sim_api3_missing_parameter (req, "Filters.Values");
    }
    if (values->len > 5) {
      g_ptr_array_unref (values);
      return sim_api3_limit_exceeded (req, "A filter takes at most 5 values.");
    }

    filter = g_new0 (Filter, 1);
    filter->name = g_strdup (name);
    filter->values = g_ptr_array_new_with_free_func (g_free);
    for (guint v = 0; v < values->len; v++)
      g_ptr_array_add (filter->values, g_strdup (values->pdata[v]));
    g_ptr_array_unref (values);
    g_ptr_array_add (filters, filter);
  }
  *out = g_steal_pointer (&filters);
  return TRUE;
}

gboolean
sim_api3_get_page (SimRequest *req,
                   gint64     *offset,
                   gint64     *limit)
{
  if (!sim_api3_get_int (req, req->params, "Offset", 0, offset) ||
      !sim_api3_get_int (req, req->params, "Limit", 20, limit))
    return FALSE;

  if (*offset < 0) {
    sim_request_fail (req, "InvalidParameterValue", 4000,
                      T (req, "Offset must be 0 or more, not %" G_GINT64_FORMAT ".",
                              "Offset 不能小于 0（当前 %" G_GINT64_FORMAT "）。"),
                      *offset);
    return FALSE;
  }
  if (*limit < 1 || *limit > 100) {
    sim_request_fail (req, "InvalidParameterValue.LimitExceeded", 4000,
                      T (req, "Limit must be from 1 to 100, not %" G_GINT64_FORMAT ".",
                              "Limit 取值范围为 1 到 100（当前 %" G_GINT64_FORMAT "）。"),
                      *limit);
    return FALSE;
  }
  return TRUE;
}

gboolean
sim_api3_is_resource_id (const char *id,
                         const char *prefix)
{
  gsize len = strlen (prefix);

  if (!g_str_has_prefix (id, prefix) || strlen (id) != len + 8)
    return FALSE;
  for (const char *p = id + len; *p; p++) {
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p))
      return FALSE;
  }
  return TRUE;
}

