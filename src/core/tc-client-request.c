/* tc-client-request.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How each protocol frames and signs one request, and nothing else: API 3.0 posts JSON
 * with TC3-HMAC-SHA256 in headers; the legacy API posts a signed form to one of two hosts
 * (images have their own). The client picks the builder from `builders`, by protocol, for
 * every attempt, so that each is signed anew with the time it is sent.
 */
#include "config.h"

#include <string.h>

#include "tc-client-request.h"
#include "tc-signer.h"

/* The CVM API version API 3.0 requests name (X-TC-Version). */
#define TC_API3_VERSION         "2017-03-12"
#define API3_CONTENT_TYPE       "application/json; charset=utf-8"
#define FORM_CONTENT_TYPE       "application/x-www-form-urlencoded"

/* The Host header exactly as sent and signed: the port only when it is not the default,
 * the name in small letters (API 3.0 signs it so, whatever was typed in the endpoint). */
static char *
host_header (GUri *uri)
{
  g_autofree char *host = g_ascii_strdown (g_uri_get_host (uri), -1);
  int port = g_uri_get_port (uri);
  gboolean https = g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0;
  gboolean ipv6 = strchr (host, ':') != NULL;

  if (port < 0 || (https && port == 443) || (!https && port == 80))
    return ipv6 ? g_strdup_printf ("[%s]", host) : g_strdup (host);
  return g_strdup_printf (ipv6 ? "[%s]:%d" : "%s:%d", host, port);
}

static SoupMessage *
build_api3 (const TcRequestTarget *self,
            const char            *action,
            const char            *region,
            JsonObject            *params)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), params);
  g_autofree char *body = json_to_string (node, FALSE);
  g_autofree char *host = host_header (self->endpoint);
  g_autofree char *timestamp = NULL;
  g_autoptr(Tc3Signed) sig = NULL;
  g_autoptr(GBytes) bytes = NULL;
  SoupMessageHeaders *headers;
  SoupMessage *msg;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gsize body_len = strlen (body);

  sig = tc3_sign (tc_credentials_get_secret_id (self->credentials),
                  tc_credentials_get_secret_key (self->credentials),
                  "cvm", "POST", host, g_uri_get_path (self->endpoint), "",
                  API3_CONTENT_TYPE, (const guint8 *) body, body_len, now);

  msg = soup_message_new_from_uri ("POST", self->endpoint);
  headers = soup_message_get_request_headers (msg);
  timestamp = g_strdup_printf ("%" G_GINT64_FORMAT, now);

  soup_message_headers_replace (headers, "Host", host);
  soup_message_headers_replace (headers, "X-TC-Action", action);
  soup_message_headers_replace (headers, "X-TC-Version", TC_API3_VERSION);
  soup_message_headers_replace (headers, "X-TC-Timestamp", timestamp);
  soup_message_headers_replace (headers, "X-TC-Language", self->language);
  if (region != NULL)
    soup_message_headers_replace (headers, "X-TC-Region", region);
  if (tc_credentials_get_token (self->credentials) != NULL)
    soup_message_headers_replace (headers, "X-TC-Token", tc_credentials_get_token (self->credentials));
  soup_message_headers_replace (headers, "Authorization", sig->authorization);

  bytes = g_bytes_new_take (g_steal_pointer (&body), body_len);
  soup_message_set_request_body_from_bytes (msg, API3_CONTENT_TYPE, bytes);
  return msg;
}

/* Nested parameters become `name.0`, `name.0.key` and so on, as both query schemes want. */
static void
flatten (GTree      *params,
         const char *prefix,
         JsonNode   *node)
{
  switch (JSON_NODE_TYPE (node)) {
  case JSON_NODE_OBJECT: {
    JsonObjectIter iter;
    const char *name;
    JsonNode *member;

    json_object_iter_init (&iter, json_node_get_object (node));
    while (json_object_iter_next (&iter, &name, &member)) {
      g_autofree char *key = prefix ? g_strdup_printf ("%s.%s", prefix, name) : g_strdup (name);

      flatten (params, key, member);
    }
    break;
  }
  case JSON_NODE_ARRAY: {
    JsonArray *array = json_node_get_array (node);

    for (guint i = 0; i < json_array_get_length (array); i++) {
      g_autofree char *key = g_strdup_printf ("%s.%u", prefix, i);

      flatten (params, key, json_array_get_element (array, i));
    }
    break;
  }
  case JSON_NODE_VALUE: {
    GType type = json_node_get_value_type (node);
    char *value;

    if (type == G_TYPE_STRING)
      value = g_strdup (json_node_get_string (node));
    else if (type == G_TYPE_INT64)
      value = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    else if (type == G_TYPE_BOOLEAN)
      value = g_strdup (json_node_get_boolean (node) ? "true" : "false");
    else
      value = g_strdup_printf ("%.17g", json_node_get_double (node));
    g_tree_replace (params, g_strdup (prefix), value);
    break;
  }
  case JSON_NODE_NULL:
  default:
    break;
  }
}

static gboolean
is_image_action (const char *action)
{
  return g_str_has_suffix (action, "Image") || g_str_has_suffix (action, "Images") ||
         g_str_equal (action, "DescribeImageQuota");
}

static gboolean
append_form_field (gpointer key,
                   gpointer value,
                   gpointer user_data)
{
  GString *form = user_data;
  g_autofree char *escaped_name = g_uri_escape_string (key, NULL, FALSE);
  g_autofree char *escaped_value = g_uri_escape_string (value, NULL, FALSE);

  if (form->len > 0)
    g_string_append_c (form, '&');
  g_string_append_printf (form, "%s=%s", escaped_name, escaped_value);
  return FALSE;
}

static SoupMessage *
build_legacy (const TcRequestTarget *self,
              const char            *action,
              const char            *region,
              JsonObject            *params)
{
  GUri *uri = is_image_action (action) ? self->legacy_image_endpoint : self->legacy_cvm_endpoint;
  g_autoptr(GTree) query = tc_query_params_new ();
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), params);
  g_autofree char *string_to_sign = NULL;
  g_autofree char *signature = NULL;
  g_autoptr(GString) form = g_string_new (NULL);
  g_autoptr(GBytes) bytes = NULL;
  SoupMessage *msg;
  gsize form_len;

  flatten (query, NULL, node);
  g_tree_replace (query, g_strdup ("Action"), g_strdup (action));
  if (region != NULL)
    g_tree_replace (query, g_strdup ("Region"), g_strdup (region));
  g_tree_replace (query, g_strdup ("Timestamp"),
                  g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC));
  g_tree_replace (query, g_strdup ("Nonce"), g_strdup_printf ("%d", g_random_int_range (1, G_MAXINT32)));
  g_tree_replace (query, g_strdup ("SecretId"), g_strdup (tc_credentials_get_secret_id (self->credentials)));
  g_tree_replace (query, g_strdup ("SignatureMethod"), g_strdup ("HmacSHA256"));
  /* Temporary credentials: the legacy API's own list of common request parameters has
   * `Token` ("临时证书所用的 Token，需要结合临时密钥一起使用，长期密钥不需要 Token", CVM API 2.0,
   * 公共请求参数, https://cloud.tencent.com/document/product/213/4772 and /document/api/216/1715).
   * Like every parameter but Signature, it is signed. */
  if (tc_credentials_get_token (self->credentials) != NULL)
    g_tree_replace (query, g_strdup ("Token"), g_strdup (tc_credentials_get_token (self->credentials)));

  /* The legacy string to sign names the host without scheme or port. */
  string_to_sign = tc_query_string_to_sign ("POST", g_uri_get_host (uri), g_uri_get_path (uri), query);
  signature = tc_query_signature (TC_HMAC_SHA256, tc_credentials_get_secret_key (self->credentials),
                                  string_to_sign);
  g_tree_replace (query, g_strdup ("Signature"), g_steal_pointer (&signature));

  g_tree_foreach (query, append_form_field, form);
  form_len = form->len;
  bytes = g_bytes_new_take (g_string_free (g_steal_pointer (&form), FALSE), form_len);

  msg = soup_message_new_from_uri ("POST", uri);
  soup_message_set_request_body_from_bytes (msg, FORM_CONTENT_TYPE, bytes);
  return msg;
}

typedef SoupMessage *(*BuildFunc) (const TcRequestTarget *target,
                                   const char            *action,
                                   const char            *region,
                                   JsonObject            *params);

static const BuildFunc builders[] = {
  [TC_PROTOCOL_API3] = build_api3,
  [TC_PROTOCOL_LEGACY] = build_legacy,
};

/**
 * tc_client_request_build:
 * @protocol: which API @target speaks
 * @target: where to send and with which keys
 * @action: e.g. DescribeInstances
 * @region: (nullable): the region, for actions that have one
 * @params: the action's parameters; nested ones are flattened for the legacy API
 *
 * Returns: (transfer full): the signed message, ready to send
 */
SoupMessage *
tc_client_request_build (TcProtocol             protocol,
                         const TcRequestTarget *target,
                         const char            *action,
                         const char            *region,
                         JsonObject            *params)
{
  g_return_val_if_fail ((guint) protocol < G_N_ELEMENTS (builders), NULL);

  return builders[protocol] (target, action, region, params);
}
