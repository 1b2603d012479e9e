/* sim-api3.c: the simulator's API 3.0 (TC3-HMAC-SHA256 and the v1 parameter signing)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Requests are told apart by what they carry: an Authorization header means TC3 (action in
 * X-TC-Action, parameters in the JSON body, or for GET and form posts in the query or form);
 * no Authorization header means the older v1 scheme (every parameter in the query or in an
 * application/x-www-form-urlencoded body, flattened as `Filters.0.Values.1`, signed with
 * HmacSHA1 or HmacSHA256 over `METHOD + host + path + ?` with the host WITHOUT its port,
 * the same rule as the legacy API).
 *
 * Signatures are verified from what was received: the method, the path and query of the
 * request line, the headers the client listed in SignedHeaders (names lowercased, values
 * trimmed; `host` is the Host header, or the authority of an absolute request URI), and the
 * exact body bytes; and they are computed with tc-signer, the client's own code.
 *
 * Parameters sent as JSON must have the documented types (Limit an integer, ForcePoweroff
 * the string "true" or "false", DryRun a boolean…); a wrong type is InvalidParameterValue.
 * Parameters sent as strings (v1, GET, forms) are converted.
 */
#include "config.h"

#include <string.h>

#include "tc-rules.h"
#include "tc-signer.h"

#include "sim-protocol.h"
#include "tc-json.h"

#define API_VERSION      "2017-03-12"
#define MAX_SKEW         300

#define T(r, en_text, zh_text) ((r)->zh ? (zh_text) : (en_text))

typedef struct {
  char      *name;
  GPtrArray *values;   /* char* */
} Filter;

static void
filter_free (Filter *filter)
{
  g_free (filter->name);
  g_ptr_array_unref (filter->values);
  g_free (filter);
}

static const char *
header (SimRequest *req,
        const char *name)
{
  return soup_message_headers_get_one (soup_server_message_get_request_headers (req->msg), name);
}

/* A header value without the white space around it; NULL when absent. */
static char *
header_trimmed (SimRequest *req,
                const char *name)
{
  const char *value = header (req, name);

  return value != NULL ? g_strstrip (g_strdup (value)) : NULL;
}

static gboolean
content_type_is_form (SimRequest *req)
{
  const char *type = header (req, "Content-Type");

  if (type == NULL)
    return FALSE;
  while (g_ascii_isspace (*type))
    type++;
  return g_ascii_strncasecmp (type, "application/x-www-form-urlencoded", 33) == 0;
}

static const char *
raw_query (SimRequest *req)
{
  GUri *uri = soup_server_message_get_uri (req->msg);
  const char *query = uri != NULL ? g_uri_get_query (uri) : NULL;

  return query != NULL ? query : "";
}

static const char *
raw_path (SimRequest *req)
{
  GUri *uri = soup_server_message_get_uri (req->msg);
  const char *path = uri != NULL ? g_uri_get_path (uri) : NULL;

  return path != NULL && *path != '\0' ? path : "/";
}

static const char *
language_of (const char *language)
{
  return language != NULL && g_ascii_strcasecmp (language, "zh-CN") == 0 ? "zh-CN" : "en-US";
}

/* Preparation: the action, the language and, for v1, the parameters. */

void
sim_api3_prepare (SimRequest *req)
{
  const char *method = soup_server_message_get_method (req->msg);
  const char *authorization = header (req, "Authorization");
  g_autofree char *action = header_trimmed (req, "X-TC-Action");
  gsize len;
  const char *body = g_bytes_get_data (req->body, &len);

  req->v1 = authorization == NULL;

  if (!req->v1) {
    req->action = g_steal_pointer (&action);
    req->zh = strcmp (language_of (header (req, "X-TC-Language")), "zh-CN") == 0;
    return;
  }

  /* v1: everything is in the query, or in a form body. */
  req->lenient = TRUE;
  if (!sim_form_parse (raw_query (req), strlen (raw_query (req)), req->form) ||
      (g_strcmp0 (method, "POST") == 0 && len > 0 &&
       !sim_form_parse (body, len, req->form))) {
    sim_request_fail (req, "InvalidParameter", 4000,
                      "The query string or form body is not properly URL-encoded.");
    return;
  }

  req->action = g_strdup (g_hash_table_lookup (req->form, "Action"));
  if (req->action == NULL)
    req->action = g_steal_pointer (&action);
  req->zh = strcmp (language_of (g_hash_table_lookup (req->form, "Language")), "zh-CN") == 0;
}

/* Authentication. */

static gboolean
parse_timestamp (const char *text,
                 gint64     *out)
{
  return text != NULL &&
         g_ascii_string_to_signed (text, 10, 0, G_MAXINT64 / 2, out, NULL);
}

static gboolean
check_skew (SimRequest *req,
            gint64      timestamp)
{
  gint64 now = sim_cloud_now (req->cloud);

  if (ABS (now - timestamp) > MAX_SKEW) {
    sim_request_fail (req, "AuthFailure.SignatureExpire", 0,
                      T (req, "Signature expired. Timestamp is %" G_GINT64_FORMAT
                              ", server time is %" G_GINT64_FORMAT
                              ": the difference must be within 300 seconds.",
                              "签名过期。请求时间戳 %" G_GINT64_FORMAT "，服务器时间 %" G_GINT64_FORMAT
                              "，相差不能超过 300 秒。"),
                      timestamp, now);
    return FALSE;
  }
  return TRUE;
}

static gboolean
check_token (SimRequest       *req,
             const SimAccount *account,
             const char       *token)
{
  gboolean has_token = token != NULL && *token != '\0';

  if ((account->token == NULL && !has_token) ||
      (account->token != NULL && has_token && strcmp (account->token, token) == 0))
    return TRUE;

  sim_request_fail (req, "AuthFailure.TokenFailure", 0, "%s",
                    T (req, "The session token is invalid or has expired.",
                            "临时证书 Token 无效或已过期。"));
  return FALSE;
}

static gboolean
signature_failure (SimRequest *req,
                   const char *detail)
{
  sim_request_fail (req, "AuthFailure.SignatureFailure", 0, "%s%s%s",
                    T (req, "The provided credentials could not be validated. "
                            "Please check your signature is correct.",
                            "请求签名验证失败，请检查您的签名计算是否正确。"),
                    detail != NULL ? " " : "", detail != NULL ? detail : "");
  return FALSE;
}

static gboolean
invalid_authorization (SimRequest *req,
                       const char *detail)
{
  sim_request_fail (req, "AuthFailure.InvalidAuthorization", 0, "%s %s",
                    T (req, "The Authorization header is invalid.",
                            "请求头部的 Authorization 不符合腾讯云标准。"),
                    detail);
  return FALSE;
}

/* `TC3-HMAC-SHA256 Credential=ID/DATE/SERVICE/tc3_request, SignedHeaders=a;b, Signature=hex` */
static gboolean
verify_tc3 (SimRequest *req)
{
  g_autofree char *authorization = header_trimmed (req, "Authorization");
  g_autofree char *timestamp_text = header_trimmed (req, "X-TC-Timestamp");
  g_autofree char *token = header_trimmed (req, "X-TC-Token");
  g_auto(GStrv) parts = NULL;
  g_auto(GStrv) credential = NULL;
  g_auto(GStrv) signed_names = NULL;
  const char *credential_text = NULL, *signed_headers = NULL, *signature = NULL;
  const SimAccount *account;
  gint64 timestamp;
  g_autofree char *date = NULL;
  g_autoptr(GString) canonical_headers = g_string_new (NULL);
  g_autofree char *canonical_request = NULL;
  g_autofree char *scope = NULL;
  g_autofree char *string_to_sign = NULL;
  g_autofree char *expected = NULL;
  gboolean has_host = FALSE, has_content_type = FALSE;
  gsize body_len;
  const guint8 *body = g_bytes_get_data (req->body, &body_len);

  if (!g_str_has_prefix (authorization, "TC3-HMAC-SHA256 "))
    return invalid_authorization (req, "It must start with “TC3-HMAC-SHA256 ”.");

  parts = g_strsplit (authorization + strlen ("TC3-HMAC-SHA256 "), ",", -1);
  for (guint i = 0; parts[i] != NULL; i++) {
    char *part = g_strstrip (parts[i]);

    if (g_str_has_prefix (part, "Credential="))
      credential_text = part + strlen ("Credential=");
    else if (g_str_has_prefix (part, "SignedHeaders="))
      signed_headers = part + strlen ("SignedHeaders=");
    else if (g_str_has_prefix (part, "Signature="))
      signature = part + strlen ("Signature=");
    else
      return invalid_authorization (req, "It has an unknown part.");
  }
  if (credential_text == NULL || signed_headers == NULL || signature == NULL)
    return invalid_authorization (req, "It needs Credential, SignedHeaders and Signature.");

  credential = g_strsplit (credential_text, "/", -1);
  if (g_strv_length (credential) != 4 || *credential[0] == '\0' ||
      strcmp (credential[3], "tc3_request") != 0)
    return invalid_authorization (req, "Credential must read SecretId/date/service/tc3_request.");

  signed_names = g_strsplit (signed_headers, ";", -1);
  for (guint i = 0; signed_names[i] != NULL; i++) {
    const char *name = signed_names[i];

    if (*name == '\0')
      return invalid_authorization (req, "SignedHeaders has an empty name.");
    for (const char *p = name; *p; p++) {
      if (g_ascii_isupper (*p) || g_ascii_isspace (*p))
        return invalid_authorization (req, "SignedHeaders must be lower case, without spaces.");
    }
    has_host |= strcmp (name, "host") == 0;
    has_content_type |= strcmp (name, "content-type") == 0;
  }
  if (!has_host || !has_content_type)
    return invalid_authorization (req, "SignedHeaders must include content-type and host.");

  if (timestamp_text == NULL) {
    sim_request_fail (req, "MissingParameter", 0, "%s",
                      T (req, "The header X-TC-Timestamp is missing.",
                              "缺少 X-TC-Timestamp 头部。"));
    return FALSE;
  }
  if (!parse_timestamp (timestamp_text, &timestamp)) {
    sim_request_fail (req, "InvalidParameterValue", 0,
                      "X-TC-Timestamp must be Unix seconds, not “%s”.", timestamp_text);
    return FALSE;
  }

  account = sim_cloud_lookup_account (req->cloud, credential[0]);
  if (account == NULL) {
    sim_request_fail (req, "AuthFailure.SecretIdNotFound", 0, "%s",
                      T (req, "The SecretId is not found, please ensure that your SecretId is "
                              "correct.",
                              "密钥不存在，请确认您的 SecretId 是否正确。"));
    return FALSE;
  }
  req->secret_id = g_strdup (credential[0]);

  if (!check_skew (req, timestamp))
    return FALSE;

  date = tc3_date (timestamp);
  if (date == NULL || strcmp (date, credential[1]) != 0)
    return signature_failure (req, "The date in the credential scope must be the UTC date of "
                                   "X-TC-Timestamp.");
  if (strcmp (credential[2], "cvm") != 0)
    return signature_failure (req, "The service in the credential scope must be “cvm”.");

  /* The canonical headers, in the order the client listed them, from what was received. */
  for (guint i = 0; signed_names[i] != NULL; i++) {
    const char *name = signed_names[i];
    g_autofree char *value = NULL;

    if (strcmp (name, "host") == 0) {
      value = g_strdup (req->host);
    } else {
      SoupMessageHeaders *received = soup_server_message_get_request_headers (req->msg);
      const char *list = soup_message_headers_get_list (received, name);

      value = g_strstrip (g_strdup (list != NULL ? list : ""));
    }
    g_string_append_printf (canonical_headers, "%s:%s\n", name, value);
  }

  canonical_request = tc3_canonical_request (soup_server_message_get_method (req->msg),
                                             raw_path (req), raw_query (req),
                                             canonical_headers->str, signed_headers,
                                             body, body_len);
  scope = tc3_credential_scope (credential[1], credential[2]);
  string_to_sign = tc3_string_to_sign (timestamp, scope, canonical_request);
  expected = tc3_signature (account->secret_key, credential[1], credential[2], string_to_sign);

  if (!tc_signature_equal (expected, signature))
    return signature_failure (req, NULL);

  return check_token (req, account, token);
}

static gboolean
missing_parameter (SimRequest *req,
                   const char *name)
{
  sim_request_fail (req, "MissingParameter", 4000,
                    T (req, "The request is missing a required parameter `%s`.",
                            "缺少必要参数 `%s`。"),
                    name);
  return FALSE;
}

static gboolean
verify_v1 (SimRequest *req)
{
  const char *secret_id = g_hash_table_lookup (req->form, "SecretId");
  const char *signature = g_hash_table_lookup (req->form, "Signature");
  const char *timestamp_text = g_hash_table_lookup (req->form, "Timestamp");
  const char *method_name = g_hash_table_lookup (req->form, "SignatureMethod");
  const SimAccount *account;
  TcHmacMethod method;
  gint64 timestamp;
  g_autoptr(GTree) params = tc_query_params_new ();
  g_autofree char *host = sim_host_without_port (req->host);
  g_autofree char *string_to_sign = NULL;
  g_autofree char *expected = NULL;
  GHashTableIter iter;
  gpointer key, value;

  if (signature == NULL && secret_id == NULL) {
    sim_request_fail (req, "AuthFailure.InvalidAuthorization", 0, "%s",
                      T (req, "The request is not signed: send an Authorization header "
                              "(TC3-HMAC-SHA256) or the Signature parameter.",
                              "请求未签名：请使用 Authorization 头部（TC3-HMAC-SHA256）"
                              "或 Signature 参数。"));
    return FALSE;
  }
  if (secret_id == NULL)
    return missing_parameter (req, "SecretId");
  if (signature == NULL)
    return missing_parameter (req, "Signature");
  if (timestamp_text == NULL)
    return missing_parameter (req, "Timestamp");
  if (g_hash_table_lookup (req->form, "Nonce") == NULL)
    return missing_parameter (req, "Nonce");
  if (!parse_timestamp (timestamp_text, &timestamp)) {
    sim_request_fail (req, "InvalidParameterValue", 0,
                      "Timestamp must be Unix seconds, not “%s”.", timestamp_text);
    return FALSE;
  }
  if (!tc_hmac_method_from_name (method_name, &method)) {
    sim_request_fail (req, "InvalidParameterValue", 0,
                      "SignatureMethod must be HmacSHA1 or HmacSHA256, not “%s”.", method_name);
    return FALSE;
  }

  account = sim_cloud_lookup_account (req->cloud, secret_id);
  if (account == NULL) {
    sim_request_fail (req, "AuthFailure.SecretIdNotFound", 0, "%s",
                      T (req, "The SecretId is not found, please ensure that your SecretId is "
                              "correct.",
                              "密钥不存在，请确认您的 SecretId 是否正确。"));
    return FALSE;
  }
  req->secret_id = g_strdup (secret_id);

  if (!check_skew (req, timestamp))
    return FALSE;

  g_hash_table_iter_init (&iter, req->form);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_tree_insert (params, g_strdup (key), g_strdup (value));

  string_to_sign = tc_query_string_to_sign (soup_server_message_get_method (req->msg), host,
                                            raw_path (req), params);
  expected = tc_query_signature (method, account->secret_key, string_to_sign);
  if (!tc_signature_equal (expected, signature))
    return signature_failure (req, NULL);

  return check_token (req, account, g_hash_table_lookup (req->form, "Token"));
}

/* Parameters. */


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
static gboolean
params_from_form (SimRequest *req,
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

static gboolean
params_from_json (SimRequest *req)
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

static JsonNode *
member (JsonObject *object,
        const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && !JSON_NODE_HOLDS_NULL (node) ? node : NULL;
}

static gboolean
wrong_type (SimRequest *req,
            const char *name,
            const char *expected)
{
  sim_request_fail (req, "InvalidParameterValue", 4000,
                    T (req, "The value of parameter `%s` must be %s.",
                            "参数 `%s` 的值必须是%s。"),
                    name, expected);
  return FALSE;
}

static gboolean
get_int (SimRequest *req,
         JsonObject *object,
         const char *name,
         gint64      default_value,
         gint64     *out)
{
  JsonNode *node = member (object, name);

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

  return wrong_type (req, name, T (req, "an integer", "整数"));
}

/* Stores the string, or NULL when the parameter is absent. */
static gboolean
get_string (SimRequest  *req,
            JsonObject  *object,
            const char  *name,
            const char **out)
{
  JsonNode *node = member (object, name);

  *out = NULL;
  if (node == NULL)
    return TRUE;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING) {
    *out = json_node_get_string (node);
    return TRUE;
  }
  return wrong_type (req, name, T (req, "a string", "字符串"));
}

static gboolean
get_bool (SimRequest *req,
          JsonObject *object,
          const char *name,
          gboolean   *out)
{
  JsonNode *node = member (object, name);
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
  return wrong_type (req, name, T (req, "a boolean", "布尔值"));
}

/* ForcePoweroff and Sysprep: documented as the strings "true" and "false". */
static gboolean
get_string_bool (SimRequest *req,
                 const char *name,
                 gboolean   *out)
{
  const char *text;

  *out = FALSE;
  if (!get_string (req, req->params, name, &text))
    return FALSE;
  if (text == NULL || strcmp (text, "false") == 0 || strcmp (text, "FALSE") == 0)
    return TRUE;
  if (strcmp (text, "true") == 0 || strcmp (text, "TRUE") == 0) {
    *out = TRUE;
    return TRUE;
  }
  return wrong_type (req, name, T (req, "the string \"true\" or \"false\"",
                                        "字符串 \"true\" 或 \"false\""));
}

/* Stores a new array of the strings, or NULL when the parameter is absent. */
static gboolean
get_string_array (SimRequest  *req,
                  JsonObject  *object,
                  const char  *name,
                  GPtrArray  **out)
{
  JsonNode *node = member (object, name);
  JsonArray *array;
  g_autoptr(GPtrArray) strings = NULL;

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return wrong_type (req, name, T (req, "an array of strings", "字符串数组"));

  array = json_node_get_array (node);
  strings = g_ptr_array_new ();
  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonNode *element = json_array_get_element (array, i);

    if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
      return wrong_type (req, name, T (req, "an array of strings", "字符串数组"));
    g_ptr_array_add (strings, (gpointer) json_node_get_string (element));
  }
  *out = g_steal_pointer (&strings);
  return TRUE;
}

static gboolean
limit_exceeded (SimRequest *req,
                const char *what)
{
  sim_request_fail (req, "InvalidParameterValue.LimitExceeded", 4000, "%s", what);
  return FALSE;
}

static gboolean
get_filters (SimRequest  *req,
             GPtrArray  **out)
{
  JsonNode *node = member (req->params, "Filters");
  JsonArray *array;
  g_autoptr(GPtrArray) filters = NULL;

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return wrong_type (req, "Filters", T (req, "an array of {Name, Values}", "{Name, Values} 数组"));

  array = json_node_get_array (node);
  if (json_array_get_length (array) > 10)
    return limit_exceeded (req, "At most 10 filters are allowed.");

  filters = g_ptr_array_new_with_free_func ((GDestroyNotify) filter_free);
  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonNode *element = json_array_get_element (array, i);
    JsonObject *object;
    const char *name;
    GPtrArray *values;
    Filter *filter;

    if (!JSON_NODE_HOLDS_OBJECT (element))
      return wrong_type (req, "Filters", T (req, "an array of {Name, Values}",
                                                 "{Name, Values} 数组"));
    object = json_node_get_object (element);
    if (!get_string (req, object, "Name", &name) ||
        !get_string_array (req, object, "Values", &values))
      return FALSE;
    if (name == NULL)
      return missing_parameter (req, "Filters.Name");
    if (values == NULL || values->len == 0) {
      g_clear_pointer (&values, g_ptr_array_unref);
      return missing_parameter (req, "Filters.Values");
    }
    if (values->len > 5) {
      g_ptr_array_unref (values);
      return limit_exceeded (req, "A filter takes at most 5 values.");
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

static gboolean
get_page (SimRequest *req,
          gint64     *offset,
          gint64     *limit)
{
  if (!get_int (req, req->params, "Offset", 0, offset) ||
      !get_int (req, req->params, "Limit", 20, limit))
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

static gboolean
is_resource_id (const char *id,
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

/* Actions. */

static void
describe_regions (SimRequest *req)
{
  guint n;
  const SimRegionInfo *infos = sim_region_infos (&n);
  JsonArray *set = json_array_new ();

  for (guint i = 0; i < n; i++) {
    JsonObject *region = json_object_new ();

    json_object_set_string_member (region, "Region", infos[i].id);
    json_object_set_string_member (region, "RegionName",
                                   req->zh ? infos[i].name_zh : infos[i].name_en);
    json_object_set_string_member (region, "RegionState", "AVAILABLE");
    json_array_add_object_element (set, region);
  }

  json_object_set_int_member (req->reply, "TotalCount", n);
  json_object_set_array_member (req->reply, "RegionSet", set);
}

static void
latest_operation (TcInstanceState   state,
                  const char      **operation,
                  const char      **operation_state)
{
  *operation_state = "SUCCESS";
  switch (state) {
  case TC_INSTANCE_STATE_PENDING:
    *operation = "RunInstances";
    *operation_state = "OPERATING";
    break;
  case TC_INSTANCE_STATE_LAUNCH_FAILED:
    *operation = "RunInstances";
    *operation_state = "FAILED";
    break;
  case TC_INSTANCE_STATE_STARTING:
    *operation = "StartInstances";
    *operation_state = "OPERATING";
    break;
  case TC_INSTANCE_STATE_STOPPING:
    *operation = "StopInstances";
    *operation_state = "OPERATING";
    break;
  case TC_INSTANCE_STATE_REBOOTING:
    *operation = "RebootInstances";
    *operation_state = "OPERATING";
    break;
  case TC_INSTANCE_STATE_TERMINATING:
    *operation = "TerminateInstances";
    *operation_state = "OPERATING";
    break;
  case TC_INSTANCE_STATE_STOPPED:
  case TC_INSTANCE_STATE_SHUTDOWN:
    *operation = "StopInstances";
    break;
  case TC_INSTANCE_STATE_RESCUE:
    *operation = "EnterRescueMode";
    break;
  case TC_INSTANCE_STATE_RUNNING:
  case TC_INSTANCE_STATE_MIGRATING:
  case TC_INSTANCE_STATE_BUSY:
  case TC_INSTANCE_STATE_UNKNOWN:
  default:
    *operation = "StartInstances";
    break;
  }
}

static JsonObject *
disk_json (const SimDisk *disk)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "DiskId", disk->id);
  json_object_set_string_member (object, "DiskType", sim_disk_type_name (disk->type));
  json_object_set_int_member (object, "DiskSize", disk->size);
  return object;
}

static JsonObject *
instance_json (SimRegion   *region,
               SimInstance *inst)
{
  guint n;
  const SimInstanceType *type = &sim_instance_types (&n)[inst->type];
  const SimOs *os = &sim_os_table (&n)[inst->os];
  JsonObject *object = json_object_new ();
  JsonObject *placement = json_object_new ();
  JsonArray *private_ips = json_array_new ();
  const char *operation, *operation_state;
  char zone[64], ip[16], created[32];

  sim_zone_name (region->info, inst->zone, zone, sizeof zone);
  json_object_set_string_member (placement, "Zone", zone);
  json_object_set_int_member (placement, "ProjectId", 0);
  json_object_set_object_member (object, "Placement", placement);

  json_object_set_string_member (object, "InstanceId", inst->id);
  json_object_set_string_member (object, "InstanceType", type->name);
  json_object_set_int_member (object, "CPU", type->cpu);
  json_object_set_int_member (object, "Memory", type->memory);
  json_object_set_string_member (object, "RestrictState", "NORMAL");
  json_object_set_string_member (object, "InstanceName", inst->name);
  json_object_set_string_member (object, "InstanceChargeType", "POSTPAID_BY_HOUR");
  json_object_set_object_member (object, "SystemDisk", disk_json (&inst->system_disk));

  if (inst->n_data_disks > 0) {
    JsonArray *disks = json_array_new ();

    for (guint i = 0; i < inst->n_data_disks; i++) {
      JsonObject *disk = disk_json (&inst->data_disks[i]);

      json_object_set_boolean_member (disk, "DeleteWithInstance", TRUE);
      json_object_set_boolean_member (disk, "Encrypt", FALSE);
      json_array_add_object_element (disks, disk);
    }
    json_object_set_array_member (object, "DataDisks", disks);
  } else {
    json_object_set_null_member (object, "DataDisks");
  }

  sim_format_ip (inst->private_ip, ip);
  json_array_add_string_element (private_ips, ip);
  json_object_set_array_member (object, "PrivateIpAddresses", private_ips);
  if (inst->public_ip != 0) {
    JsonArray *public_ips = json_array_new ();

    sim_format_ip (inst->public_ip, ip);
    json_array_add_string_element (public_ips, ip);
    json_object_set_array_member (object, "PublicIpAddresses", public_ips);
  } else {
    json_object_set_null_member (object, "PublicIpAddresses");
  }

  json_object_set_string_member (object, "ImageId", os->image_id);
  json_object_set_string_member (object, "OsName", os->os_name);
  sim_iso8601 (inst->created, created, sizeof created);
  json_object_set_string_member (object, "CreatedTime", created);
  json_object_set_null_member (object, "ExpiredTime");
  json_object_set_string_member (object, "InstanceState", tc_instance_state_to_api3 (inst->state));
  latest_operation (inst->state, &operation, &operation_state);
  json_object_set_string_member (object, "LatestOperation", operation);
  json_object_set_string_member (object, "LatestOperationState", operation_state);
  json_object_set_array_member (object, "Tags", json_array_new ());
  json_object_set_null_member (object, "IPv6Addresses");
  return object;
}

static gboolean
instance_matches (SimRegion   *region,
                  SimInstance *inst,
                  GPtrArray   *filters)
{
  for (guint f = 0; filters != NULL && f < filters->len; f++) {
    Filter *filter = filters->pdata[f];
    gboolean any = FALSE;

    for (guint v = 0; v < filter->values->len && !any; v++) {
      const char *value = filter->values->pdata[v];

      if (strcmp (filter->name, "instance-name") == 0) {
        any = strstr (inst->name, value) != NULL;
      } else if (strcmp (filter->name, "instance-id") == 0) {
        any = strcmp (inst->id, value) == 0;
      } else if (strcmp (filter->name, "instance-state") == 0) {
        any = strcmp (tc_instance_state_to_api3 (inst->state), value) == 0;
      } else if (strcmp (filter->name, "zone") == 0) {
        char zone[64];

        sim_zone_name (region->info, inst->zone, zone, sizeof zone);
        any = strcmp (zone, value) == 0;
      } else if (strcmp (filter->name, "private-ip-address") == 0) {
        char ip[16];

        sim_format_ip (inst->private_ip, ip);
        any = strcmp (ip, value) == 0;
      }
    }
    if (!any)
      return FALSE;
  }
  return TRUE;
}

static gboolean
unknown_filter (SimRequest *req,
                const char *name)
{
  sim_request_fail (req, "InvalidFilter", 4000,
                    T (req, "The filter `%s` is not supported.", "不支持过滤条件 `%s`。"), name);
  return FALSE;
}

static void
describe_instances (SimRequest *req)
{
  static const char * const filter_names[] = {
    "instance-name", "instance-id", "instance-state", "zone", "private-ip-address", NULL
  };
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) filters = NULL;
  JsonArray *set;
  gint64 offset, limit, total = 0;

  if (!get_page (req, &offset, &limit) ||
      !get_string_array (req, req->params, "InstanceIds", &ids) ||
      !get_filters (req, &filters))
    return;

  if (ids != NULL && filters != NULL) {
    sim_request_fail (req, "InvalidParameter", 4000, "%s",
                      T (req, "InstanceIds and Filters cannot be specified at the same time.",
                              "InstanceIds 和 Filters 不能同时指定。"));
    return;
  }
  if (ids != NULL && ids->len > 100) {
    limit_exceeded (req, "At most 100 InstanceIds are allowed.");
    return;
  }
  for (guint i = 0; ids != NULL && i < ids->len; i++) {
    if (!is_resource_id (ids->pdata[i], "ins-")) {
      sim_request_fail (req, "InvalidInstanceId.Malformed", 4000,
                        T (req, "The instance ID `%s` is malformed.", "实例 ID `%s` 格式错误。"),
                        (const char *) ids->pdata[i]);
      return;
    }
  }
  for (guint i = 0; filters != NULL && i < filters->len; i++) {
    Filter *filter = filters->pdata[i];

    if (!g_strv_contains (filter_names, filter->name)) {
      unknown_filter (req, filter->name);
      return;
    }
  }

  set = json_array_new ();
  if (ids != NULL) {
    /* In the order asked, each at most once. */
    g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

    for (guint i = 0; i < ids->len; i++) {
      SimInstance *inst = sim_region_find_instance (req->region, ids->pdata[i]);

      if (inst == NULL || !g_hash_table_add (seen, inst->id))
        continue;
      if (total >= offset && total < offset + limit)
        json_array_add_object_element (set, instance_json (req->region, inst));
      total++;
    }
  } else {
    for (guint i = 0; i < req->region->n_instances; i++) {
      SimInstance *inst = &req->region->instances[i];

      if (!instance_matches (req->region, inst, filters))
        continue;
      if (total >= offset && total < offset + limit)
        json_array_add_object_element (set, instance_json (req->region, inst));
      total++;
    }
  }

  json_object_set_int_member (req->reply, "TotalCount", total);
  json_object_set_array_member (req->reply, "InstanceSet", set);
}

static JsonObject *
image_json (const SimImage *image,
            gboolean        is_public)
{
  JsonObject *object = json_object_new ();
  JsonArray *snapshots = json_array_new ();
  JsonArray *tags = json_array_new ();
  char created[32];

  json_object_set_string_member (object, "ImageId", image->id);
  json_object_set_string_member (object, "OsName", image->os_name);
  json_object_set_string_member (object, "ImageType", is_public ? "PUBLIC_IMAGE" : "PRIVATE_IMAGE");
  sim_iso8601 (image->created, created, sizeof created);
  json_object_set_string_member (object, "CreatedTime", created);
  json_object_set_string_member (object, "ImageName", image->name);
  json_object_set_string_member (object, "ImageDescription", image->description);
  json_object_set_int_member (object, "ImageSize", image->size);
  json_object_set_string_member (object, "Architecture", "x86_64");
  json_object_set_string_member (object, "ImageState", tc_image_state_to_api3 (image->state));
  json_object_set_string_member (object, "Platform", image->platform);
  json_object_set_string_member (object, "ImageCreator", is_public ? "" : "100000000001");
  json_object_set_string_member (object, "ImageSource", is_public ? "OFFICIAL" : "CREATE_IMAGE");
  json_object_set_int_member (object, "SyncPercent",
                              image->state == TC_IMAGE_STATE_CREATING ? 0 : 100);
  json_object_set_boolean_member (object, "IsSupportCloudinit", TRUE);

  for (guint i = 0; i < image->snapshots->len; i++) {
    const SimDisk *disk = &g_array_index (image->snapshots, SimDisk, i);
    JsonObject *snapshot = json_object_new ();

    json_object_set_string_member (snapshot, "SnapshotId", disk->id);
    json_object_set_string_member (snapshot, "DiskUsage", i == 0 ? "SYSTEM_DISK" : "DATA_DISK");
    json_object_set_int_member (snapshot, "DiskSize", disk->size);
    json_array_add_object_element (snapshots, snapshot);
  }
  json_object_set_array_member (object, "SnapshotSet", snapshots);

  for (guint i = 0; i < image->tags->len; i++) {
    const SimTag *tag = &g_array_index (image->tags, SimTag, i);
    JsonObject *pair = json_object_new ();

    json_object_set_string_member (pair, "Key", tag->key);
    json_object_set_string_member (pair, "Value", tag->value);
    json_array_add_object_element (tags, pair);
  }
  json_object_set_array_member (object, "Tags", tags);
  json_object_set_string_member (object, "LicenseType", "TencentCloud");
  json_object_set_boolean_member (object, "ImageDeprecated", FALSE);
  return object;
}

static gboolean
image_matches (const SimImage *image,
               gboolean        is_public,
               GPtrArray      *filters,
               GPtrArray      *ids)
{
  if (ids != NULL && !g_ptr_array_find_with_equal_func (ids, image->id, g_str_equal, NULL))
    return FALSE;

  for (guint f = 0; filters != NULL && f < filters->len; f++) {
    Filter *filter = filters->pdata[f];
    gboolean any = FALSE;

    for (guint v = 0; v < filter->values->len && !any; v++) {
      const char *value = filter->values->pdata[v];

      if (strcmp (filter->name, "image-type") == 0)
        any = strcmp (value, is_public ? "PUBLIC_IMAGE" : "PRIVATE_IMAGE") == 0;
      else if (strcmp (filter->name, "image-name") == 0)
        any = strstr (image->name, value) != NULL;
      else if (strcmp (filter->name, "image-id") == 0)
        any = strcmp (image->id, value) == 0;
      else if (strcmp (filter->name, "image-state") == 0)
        any = strcmp (tc_image_state_to_api3 (image->state), value) == 0;
      else if (strcmp (filter->name, "platform") == 0)
        any = strcmp (image->platform, value) == 0;
    }
    if (!any)
      return FALSE;
  }
  return TRUE;
}

static void
describe_images (SimRequest *req)
{
  static const char * const filter_names[] = {
    "image-type", "image-name", "image-id", "image-state", "platform", NULL
  };
  static const char * const image_types[] = {
    "PRIVATE_IMAGE", "PUBLIC_IMAGE", "SHARED_IMAGE", "MARKET_IMAGE", NULL
  };
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) filters = NULL;
  JsonArray *set;
  gint64 offset, limit, total = 0;

  if (!get_page (req, &offset, &limit) ||
      !get_string_array (req, req->params, "ImageIds", &ids) ||
      !get_filters (req, &filters))
    return;

  if (ids != NULL && filters != NULL) {
    sim_request_fail (req, "InvalidParameter", 4000, "%s",
                      T (req, "ImageIds and Filters cannot be specified at the same time.",
                              "ImageIds 和 Filters 不能同时指定。"));
    return;
  }
  if (ids != NULL && ids->len > 100) {
    limit_exceeded (req, "At most 100 ImageIds are allowed.");
    return;
  }
  for (guint i = 0; ids != NULL && i < ids->len; i++) {
    if (!is_resource_id (ids->pdata[i], "img-")) {
      sim_request_fail (req, "InvalidImageId.Malformed", 4000,
                        T (req, "The image ID `%s` is malformed.", "镜像 ID `%s` 格式错误。"),
                        (const char *) ids->pdata[i]);
      return;
    }
  }
  for (guint i = 0; filters != NULL && i < filters->len; i++) {
    Filter *filter = filters->pdata[i];

    if (!g_strv_contains (filter_names, filter->name)) {
      unknown_filter (req, filter->name);
      return;
    }
    for (guint v = 0; strcmp (filter->name, "image-type") == 0 && v < filter->values->len; v++) {
      if (!g_strv_contains (image_types, filter->values->pdata[v])) {
        sim_request_fail (req, "InvalidParameterValue", 4000,
                          "The image-type filter takes PRIVATE_IMAGE, PUBLIC_IMAGE, "
                          "SHARED_IMAGE or MARKET_IMAGE, not `%s`.",
                          (const char *) filter->values->pdata[v]);
        return;
      }
    }
  }

  set = json_array_new ();

  /* The account's images, newest first, then the official ones. */
  for (guint i = req->region->images->len; i > 0; i--) {
    SimImage *image = g_ptr_array_index (req->region->images, i - 1);

    sim_image_refresh (image);
    if (!image_matches (image, FALSE, filters, ids))
      continue;
    if (total >= offset && total < offset + limit)
      json_array_add_object_element (set, image_json (image, FALSE));
    total++;
  }
  for (guint i = 0; i < sim_public_image_count (); i++) {
    const SimImage *image = sim_public_image (i);

    if (!image_matches (image, TRUE, filters, ids))
      continue;
    if (total >= offset && total < offset + limit)
      json_array_add_object_element (set, image_json (image, TRUE));
    total++;
  }

  json_object_set_int_member (req->reply, "TotalCount", total);
  json_object_set_array_member (req->reply, "ImageSet", set);
}

static void
describe_image_quota (SimRequest *req)
{
  json_object_set_int_member (req->reply, "ImageNumQuota", req->cloud->quota);
}

static const char *
state_error_code (TcInstanceState state)
{
  switch (state) {
  case TC_INSTANCE_STATE_RUNNING:       return "UnsupportedOperation.InstanceStateRunning";
  case TC_INSTANCE_STATE_STARTING:      return "UnsupportedOperation.InstanceStateStarting";
  case TC_INSTANCE_STATE_STOPPING:      return "UnsupportedOperation.InstanceStateStopping";
  case TC_INSTANCE_STATE_REBOOTING:     return "UnsupportedOperation.InstanceStateRebooting";
  case TC_INSTANCE_STATE_PENDING:       return "UnsupportedOperation.InstanceStatePending";
  case TC_INSTANCE_STATE_SHUTDOWN:      return "UnsupportedOperation.InstanceStateShutdown";
  case TC_INSTANCE_STATE_TERMINATING:   return "UnsupportedOperation.InstanceStateTerminating";
  case TC_INSTANCE_STATE_LAUNCH_FAILED: return "UnsupportedOperation.InstanceStateLaunchFailed";
  case TC_INSTANCE_STATE_RESCUE:        return "UnsupportedOperation.InstanceStateRescueMode";
  case TC_INSTANCE_STATE_MIGRATING:     return "UnsupportedOperation.InstanceStateServiceLiveMigrate";
  case TC_INSTANCE_STATE_BUSY:          return "OperationDenied.InstanceOperationInProgress";
  case TC_INSTANCE_STATE_STOPPED:
  case TC_INSTANCE_STATE_UNKNOWN:
  default:                              return "UnsupportedOperation";
  }
}

static gboolean
rule_refused (SimRequest *req,
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

/* Reads TagSpecification into @tags (see sim_tags_new()). */
static gboolean
get_tags (SimRequest *req,
          GArray     *tags)
{
  JsonNode *node = member (req->params, "TagSpecification");
  JsonArray *specs;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return wrong_type (req, "TagSpecification", "an array of {ResourceType, Tags}");

  specs = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (specs); i++) {
    JsonNode *spec_node = json_array_get_element (specs, i);
    JsonObject *spec;
    const char *resource_type;
    JsonNode *tags_node;
    JsonArray *list;

    if (!JSON_NODE_HOLDS_OBJECT (spec_node))
      return wrong_type (req, "TagSpecification", "an array of {ResourceType, Tags}");
    spec = json_node_get_object (spec_node);
    if (!get_string (req, spec, "ResourceType", &resource_type))
      return FALSE;
    if (g_strcmp0 (resource_type, "image") != 0) {
      sim_request_fail (req, "InvalidParameterValue", 4000,
                        "TagSpecification.ResourceType must be `image`.");
      return FALSE;
    }

    tags_node = member (spec, "Tags");
    if (tags_node == NULL)
      continue;
    if (!JSON_NODE_HOLDS_ARRAY (tags_node))
      return wrong_type (req, "TagSpecification.Tags", "an array of {Key, Value}");
    list = json_node_get_array (tags_node);
    for (guint t = 0; t < json_array_get_length (list); t++) {
      JsonNode *tag_node = json_array_get_element (list, t);
      const char *key, *value;
      SimTag tag;

      if (!JSON_NODE_HOLDS_OBJECT (tag_node))
        return wrong_type (req, "TagSpecification.Tags", "an array of {Key, Value}");
      if (!get_string (req, json_node_get_object (tag_node), "Key", &key) ||
          !get_string (req, json_node_get_object (tag_node), "Value", &value))
        return FALSE;
      if (key == NULL || *key == '\0' || g_utf8_strlen (key, -1) > 127) {
        sim_request_fail (req, "InvalidParameterValue", 4000,
                          "A tag key must have 1 to 127 characters.");
        return FALSE;
      }
      if (value != NULL && g_utf8_strlen (value, -1) > 255) {
        sim_request_fail (req, "InvalidParameterValue", 4000,
                          "A tag value must have at most 255 characters.");
        return FALSE;
      }
      if (tags->len >= 50) {
        sim_request_fail (req, "InvalidParameterValue.TagQuotaLimitExceeded", 4000,
                          "At most 50 tags can be set on an image.");
        return FALSE;
      }
      tag.key = g_strdup (key);
      tag.value = g_strdup (value != NULL ? value : "");
      g_array_append_val (tags, tag);
    }
  }
  return TRUE;
}

static void
create_image (SimRequest *req)
{
  const char *name, *description, *instance_id, *family;
  gboolean force_poweroff, sysprep, dry_run;
  g_autoptr(GPtrArray) data_disk_ids = NULL;
  g_autoptr(GPtrArray) snapshot_ids = NULL;
  g_autoptr(GPtrArray) existing = NULL;
  g_autoptr(GArray) tags = sim_tags_new ();
  g_auto(TcVerdict) verdict = { 0 };
  SimInstance *inst;
  SimImage *image;
  guint n_os;
  const SimOs *os;

  if (!get_string (req, req->params, "ImageName", &name) ||
      !get_string (req, req->params, "ImageDescription", &description) ||
      !get_string (req, req->params, "InstanceId", &instance_id) ||
      !get_string (req, req->params, "ImageFamily", &family) ||
      !get_string_bool (req, "ForcePoweroff", &force_poweroff) ||
      !get_string_bool (req, "Sysprep", &sysprep) ||
      !get_bool (req, req->params, "DryRun", &dry_run) ||
      !get_string_array (req, req->params, "DataDiskIds", &data_disk_ids) ||
      !get_string_array (req, req->params, "SnapshotIds", &snapshot_ids) ||
      !get_tags (req, tags))
    return;

  if (name == NULL) {
    missing_parameter (req, "ImageName");
    return;
  }
  if (instance_id != NULL && snapshot_ids != NULL) {
    sim_request_fail (req, "InvalidParameterConflict", 4000, "%s",
                      T (req, "InstanceId and SnapshotIds cannot be specified at the same time.",
                              "InstanceId 和 SnapshotIds 不能同时指定。"));
    return;
  }
  if (snapshot_ids != NULL) {
    sim_request_fail (req, "UnsupportedOperation", 4000,
                      "The simulator makes images from instances only: use InstanceId.");
    return;
  }
  if (instance_id == NULL) {
    missing_parameter (req, "InstanceId");
    return;
  }

  if (!tc_rules_check_image_name (TC_PROTOCOL_API3, name, &verdict)) {
    rule_refused (req, "InvalidParameterValue", "ImageName", &verdict);
    return;
  }
  if (!tc_rules_check_description (TC_PROTOCOL_API3, description, &verdict)) {
    rule_refused (req, "InvalidParameterValue", "ImageDescription", &verdict);
    return;
  }

  if (!is_resource_id (instance_id, "ins-")) {
    sim_request_fail (req, "InvalidInstanceId.Malformed", 4000,
                      T (req, "The instance ID `%s` is malformed.", "实例 ID `%s` 格式错误。"),
                      instance_id);
    return;
  }
  inst = sim_region_find_instance (req->region, instance_id);
  if (inst == NULL) {
    sim_request_fail (req, "InvalidInstanceId.NotFound", 5000,
                      T (req, "The instance `%s` does not exist in %s.",
                              "实例 `%s` 在 %s 不存在。"),
                      instance_id, req->region->info->id);
    return;
  }

  for (guint i = 0; data_disk_ids != NULL && i < data_disk_ids->len; i++) {
    const char *disk_id = data_disk_ids->pdata[i];
    gboolean found = FALSE;

    if (strcmp (disk_id, inst->system_disk.id) == 0) {
      sim_request_fail (req, "InvalidParameter.DataDiskIdContainsRootDisk", 4000,
                        T (req, "`%s` is the system disk of the instance, not a data disk.",
                                "`%s` 是实例的系统盘，不是数据盘。"),
                        disk_id);
      return;
    }
    for (guint d = 0; d < inst->n_data_disks; d++)
      found |= strcmp (disk_id, inst->data_disks[d].id) == 0;
    if (!found) {
      sim_request_fail (req, "InvalidParameter.DataDiskNotBelongSpecifiedInstance", 4000,
                        T (req, "The data disk `%s` does not belong to the instance `%s`.",
                                "数据盘 `%s` 不属于实例 `%s`。"),
                        disk_id, inst->id);
      return;
    }
  }

  os = &sim_os_table (&n_os)[inst->os];
  if (sysprep && !os->windows) {
    sim_request_fail (req, "InvalidParameterValue", 4000, "%s",
                      T (req, "Sysprep is only supported for Windows instances.",
                              "仅 Windows 实例支持 Sysprep。"));
    return;
  }

  existing = g_ptr_array_new ();
  for (guint i = 0; i < req->region->images->len; i++)
    g_ptr_array_add (existing, ((SimImage *) g_ptr_array_index (req->region->images, i))->name);
  g_ptr_array_add (existing, NULL);
  if (!tc_rules_check_name_available (name, (const char * const *) existing->pdata, &verdict)) {
    rule_refused (req, "InvalidImageName.Duplicate", NULL, &verdict);
    return;
  }

  if (!tc_rules_check_quota (req->region->images->len, req->cloud->quota, &verdict)) {
    rule_refused (req, "ImageQuotaLimitExceeded", NULL, &verdict);
    return;
  }

  if (!tc_rules_check_instance_state (TC_PROTOCOL_API3, inst->state, force_poweroff, &verdict)) {
    rule_refused (req, state_error_code (inst->state), NULL, &verdict);
    return;
  }

  if (dry_run) {
    sim_request_fail (req, "DryRunOperation", 0, "%s",
                      T (req, "DryRun Operation. It indicates that the request would have "
                              "succeeded, but the DryRun parameter was used.",
                              "DryRun 操作，代表请求将会是成功的，只是多传了 DryRun 参数。"));
    return;
  }

  image = sim_cloud_create_image (req->cloud, req->region, inst, name, description);
  for (guint i = 0; data_disk_ids != NULL && i < data_disk_ids->len; i++) {
    for (guint d = 0; d < inst->n_data_disks; d++) {
      if (strcmp (data_disk_ids->pdata[i], inst->data_disks[d].id) == 0) {
        SimDisk snapshot = inst->data_disks[d];

        sim_random_id (req->cloud->id_rand, "snap-", snapshot.id);
        g_array_append_val (image->snapshots, snapshot);
      }
    }
  }
  g_array_unref (image->tags);
  image->tags = g_steal_pointer (&tags);

  /* Tencent shuts a running instance down to image it, and leaves it stopped. */
  if (inst->state == TC_INSTANCE_STATE_RUNNING && force_poweroff)
    inst->state = TC_INSTANCE_STATE_STOPPED;

  json_object_set_string_member (req->reply, "ImageId", image->id);
}

static const struct {
  const char *name;
  void      (*run) (SimRequest *req);
  gboolean    regional;
} actions[] = {
  { "DescribeRegions", describe_regions, FALSE },
  { "DescribeInstances", describe_instances, TRUE },
  { "DescribeImages", describe_images, TRUE },
  { "DescribeImageQuota", describe_image_quota, TRUE },
  { "CreateImage", create_image, TRUE },
};

void
sim_api3_process (SimRequest *req)
{
  const char *method = soup_server_message_get_method (req->msg);
  g_autofree char *version = NULL;
  g_autofree char *region = NULL;
  guint index = G_N_ELEMENTS (actions);

  if (strcmp (method, "POST") != 0 && strcmp (method, "GET") != 0) {
    sim_request_fail (req, "InvalidParameter", 4000,
                      "The HTTP method %s is not supported: use POST.", method);
    return;
  }

  if (!(req->v1 ? verify_v1 (req) : verify_tc3 (req)))
    return;

  if (req->v1) {
    version = g_strdup (g_hash_table_lookup (req->form, "Version"));
    region = g_strdup (g_hash_table_lookup (req->form, "Region"));
  } else {
    version = header_trimmed (req, "X-TC-Version");
    region = header_trimmed (req, "X-TC-Region");
  }

  if (req->action == NULL || *req->action == '\0') {
    missing_parameter (req, req->v1 ? "Action" : "X-TC-Action");
    return;
  }
  if (version == NULL || *version == '\0') {
    missing_parameter (req, req->v1 ? "Version" : "X-TC-Version");
    return;
  }

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++) {
    if (strcmp (actions[i].name, req->action) == 0)
      index = i;
  }
  if (index == G_N_ELEMENTS (actions) || strcmp (version, API_VERSION) != 0) {
    sim_request_fail (req, "InvalidAction", 4000,
                      T (req, "The action `%s` of version `%s` is not supported.",
                              "接口 `%s`（版本 `%s`）不存在。"),
                      req->action, version);
    return;
  }

  if (actions[index].regional) {
    if (region == NULL || *region == '\0') {
      missing_parameter (req, req->v1 ? "Region" : "X-TC-Region");
      return;
    }
    req->region = sim_fleet_get_region (req->cloud->fleet, region);
    if (req->region == NULL) {
      sim_request_fail (req, "UnsupportedRegion", 4000,
                        T (req, "The region `%s` is not supported.", "不支持地域 `%s`。"),
                        region);
      return;
    }
  }

  if (req->v1 || strcmp (method, "GET") == 0) {
    if (!req->v1 && !sim_form_parse (raw_query (req), strlen (raw_query (req)), req->form)) {
      sim_request_fail (req, "InvalidParameter", 4000,
                        "The query string is not properly URL-encoded.");
      return;
    }
    req->lenient = TRUE;
    if (!params_from_form (req, TRUE))
      return;
  } else if (content_type_is_form (req)) {
    gsize len;
    const char *body = g_bytes_get_data (req->body, &len);

    if (!sim_form_parse (body, len, req->form)) {
      sim_request_fail (req, "InvalidParameter", 4000,
                        "The form body is not properly URL-encoded.");
      return;
    }
    req->lenient = TRUE;
    if (!params_from_form (req, FALSE))
      return;
  } else if (!params_from_json (req)) {
    return;
  }

  if (!sim_request_admit (req))
    return;

  req->reply = json_object_new ();
  actions[index].run (req);
}

GBytes *
sim_api3_render (SimRequest *req)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  JsonObject *outer = json_object_new ();
  JsonObject *response;
  gsize len;
  char *text;

  if (req->error_code != NULL) {
    JsonObject *error = json_object_new ();

    response = json_object_new ();
    json_object_set_string_member (error, "Code", req->error_code);
    json_object_set_string_member (error, "Message", req->error_message);
    json_object_set_object_member (response, "Error", error);
  } else {
    response = req->reply != NULL ? json_object_ref (req->reply) : json_object_new ();
  }

  json_object_set_string_member (response, "RequestId", req->request_id);
  json_object_set_object_member (outer, "Response", response);
  json_node_take_object (root, outer);

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);
  return g_bytes_new_take (text, len);
}
