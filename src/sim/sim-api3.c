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

#include "sim-api3-private.h"
#include "sim-protocol.h"
#include "tc-json.h"

#define API_VERSION      "2017-03-12"
#define MAX_SKEW         300

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
    g_autofree char *lower = NULL;

    if (strcmp (name, "host") == 0) {
      value = g_strdup (req->host);
    } else {
      SoupMessageHeaders *received = soup_server_message_get_request_headers (req->msg);
      const char *list = soup_message_headers_get_list (received, name);

      value = g_strstrip (g_strdup (list != NULL ? list : ""));
    }
    /* Tencent lower-cases the values as well as the names ("x-tc-action:describeinstances"
     * in its own example). */
    lower = g_ascii_strdown (value, -1);
    g_string_append_printf (canonical_headers, "%s:%s\n", name, lower);
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
    return sim_api3_missing_parameter (req, "SecretId");
  if (signature == NULL)
    return sim_api3_missing_parameter (req, "Signature");
  if (timestamp_text == NULL)
    return sim_api3_missing_parameter (req, "Timestamp");
  if (g_hash_table_lookup (req->form, "Nonce") == NULL)
    return sim_api3_missing_parameter (req, "Nonce");
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

/* Each action with the parameters Tencent documents for it (API version 2017-03-12), each
 * between spaces: any other is refused with UnknownParameter, as Tencent does, so that a
 * misspelt parameter cannot pass here and fail there. */
static const struct {
  const char *name;
  void      (*run) (SimRequest *req);
  gboolean    regional;
  const char *params;
} actions[] = {
  { "DescribeRegions", sim_api3_describe_regions, FALSE, " " },
  { "DescribeInstances", sim_api3_describe_instances, TRUE, " InstanceIds Filters Offset Limit " },
  { "DescribeImages", sim_api3_describe_images, TRUE,
    " ImageIds Filters Offset Limit InstanceType " },
  { "DescribeImageQuota", sim_api3_describe_image_quota, TRUE, " " },
  { "CreateImage", sim_api3_create_image, TRUE,
    " ImageName InstanceId ImageDescription ForcePoweroff Sysprep DataDiskIds SnapshotIds "
    "DryRun TagSpecification ImageFamily " },
  { "DeleteImages", sim_api3_delete_images, TRUE, " ImageIds DeleteBindedSnap DryRun " },
  { "SyncImages", sim_api3_sync_images, TRUE,
    " ImageIds DestinationRegions DryRun ImageName ImageSetRequired Encrypt KmsKeyId " },
};

static gboolean
params_known (SimRequest *req,
              const char *known)
{
  g_autoptr(GList) names = json_object_get_members (req->params);

  for (GList *l = names; l != NULL; l = l->next) {
    g_autofree char *spaced = g_strdup_printf (" %s ", (const char *) l->data);

    if (strstr (known, spaced) == NULL) {
      sim_request_fail (req, "UnknownParameter", 4000,
                        T (req, "The parameter `%.64s` is not recognized.", "未知参数 `%.64s`。"),
                        (const char *) l->data);
      return FALSE;
    }
  }
  return TRUE;
}

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
    sim_api3_missing_parameter (req, req->v1 ? "Action" : "X-TC-Action");
    return;
  }
  if (version == NULL || *version == '\0') {
    sim_api3_missing_parameter (req, req->v1 ? "Version" : "X-TC-Version");
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
      sim_api3_missing_parameter (req, req->v1 ? "Region" : "X-TC-Region");
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
    if (!sim_api3_params_from_form (req, TRUE))
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
    if (!sim_api3_params_from_form (req, FALSE))
      return;
  } else if (!sim_api3_params_from_json (req)) {
    return;
  }

  if (!params_known (req, actions[index].params) || !sim_request_admit (req))
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

