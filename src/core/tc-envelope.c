/* tc-envelope.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Both envelopes are read the same way: first the transport (status, content type, size,
 * nesting), then the JSON, then the shape. Every way a body can be wrong ends in a
 * TC_ERROR with the HTTP status and a short excerpt kept for the details view.
 */
#include "config.h"

#include <string.h>

#include "tc-envelope.h"
#include "tc-error.h"
#include "tc-json.h"

static GError *
transport_error (TcErrorCode  code,
                 guint        http_status,
                 const char  *detail)
{
  GError *error = g_error_new_literal (TC_ERROR, code, tc_error_describe (code));

  tc_error_set_server_details (error, NULL, detail, NULL, http_status);
  return error;
}

/* A short, valid UTF-8 excerpt of a body for the details view. */
static char *
excerpt (GBytes *body)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);
  g_autofree char *head = g_strndup (data ? data : "", MIN (len, 200));

  return g_utf8_make_valid (head, -1);
}

/* Parses @body as a JSON object, or explains why it is not one. A non-2xx status whose
 * body is not JSON is reported as that status; otherwise as a malformed answer. */
static JsonObject *
parse_object (GBytes      *body,
              guint        http_status,
              const char  *content_type,
              GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len = 0;
  const char *data = body ? g_bytes_get_data (body, &len) : NULL;
  gboolean bad_status = http_status < 200 || http_status >= 300;
  JsonNode *root;

  if (data == NULL || len == 0 || !tc_json_depth_ok (data, len) ||
      (content_type && g_str_has_prefix (content_type, "text/html"))) {
    TcErrorCode code = bad_status ? TC_ERROR_HTTP_STATUS : TC_ERROR_MALFORMED_RESPONSE;
    g_autofree char *text = body ? excerpt (body) : NULL;

    if (http_status == 503)
      code = TC_ERROR_UNAVAILABLE;
    g_propagate_error (error, transport_error (code, http_status, text));
    return NULL;
  }

  /* A mutable tree: sealing it would walk every node once more (about 4% of a call's
   * instructions under callgrind), and nothing shares these trees across threads. */
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, len, &local_error) ||
      (root = json_parser_get_root (parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root)) {
    g_autofree char *text = excerpt (body);
    TcErrorCode code = bad_status ? TC_ERROR_HTTP_STATUS : TC_ERROR_MALFORMED_RESPONSE;

    if (http_status == 503)
      code = TC_ERROR_UNAVAILABLE;
    g_propagate_error (error, transport_error (code, http_status, text));
    return NULL;
  }

  return json_object_ref (json_node_get_object (root));
}

/**
 * tc_envelope_parse_api3:
 *
 * Reads `{"Response": {…, "RequestId"}}`. A `Response.Error` becomes the matching TC_ERROR
 * with the server's code, message and RequestId.
 *
 * Returns: (transfer full): the `Response` object
 */
JsonObject *
tc_envelope_parse_api3 (GBytes      *body,
                        guint        http_status,
                        const char  *content_type,
                        GError     **error)
{
  g_autoptr(JsonObject) root = parse_object (body, http_status, content_type, error);
  JsonNode *response_node;
  JsonObject *response;
  JsonNode *error_node;

  if (root == NULL)
    return NULL;

  response_node = json_object_get_member (root, "Response");
  if (response_node == NULL || !JSON_NODE_HOLDS_OBJECT (response_node)) {
    g_autofree char *text = excerpt (body);

    g_propagate_error (error, transport_error (http_status >= 300 ? TC_ERROR_HTTP_STATUS
                                                                  : TC_ERROR_MALFORMED_RESPONSE,
                                               http_status, text));
    return NULL;
  }

  response = json_node_get_object (response_node);
  error_node = json_object_get_member (response, "Error");
  if (error_node != NULL) {
    JsonObject *err = JSON_NODE_HOLDS_OBJECT (error_node) ? json_node_get_object (error_node) : NULL;
    const char *code = tc_json_get_string (err, "Code");
    g_autofree char *message = tc_json_dup_text (err, "Message");

    if (code == NULL) {
      g_autofree char *text = excerpt (body);

      g_propagate_error (error, transport_error (TC_ERROR_MALFORMED_RESPONSE, http_status, text));
      return NULL;
    }

    g_propagate_error (error, tc_error_new_server (code, message,
                                                   tc_json_get_string (response, "RequestId"),
                                                   http_status));
    return NULL;
  }

  if (http_status < 200 || http_status >= 300) {
    g_autofree char *text = excerpt (body);

    g_propagate_error (error, transport_error (http_status == 503 ? TC_ERROR_UNAVAILABLE
                                                                  : TC_ERROR_HTTP_STATUS,
                                               http_status, text));
    return NULL;
  }

  return json_object_ref (response);
}

/**
 * tc_envelope_parse_legacy:
 *
 * Reads `{"code": 0, "message": "", …}`. A non-zero `code` becomes the matching TC_ERROR.
 *
 * Returns: (transfer full): the whole envelope
 */
JsonObject *
tc_envelope_parse_legacy (GBytes      *body,
                          guint        http_status,
                          const char  *content_type,
                          GError     **error)
{
  g_autoptr(JsonObject) root = parse_object (body, http_status, content_type, error);
  JsonNode *code_node;
  gint64 code;

  if (root == NULL)
    return NULL;

  code_node = json_object_get_member (root, "code");
  if (code_node == NULL || !JSON_NODE_HOLDS_VALUE (code_node) ||
      json_node_get_value_type (code_node) != G_TYPE_INT64) {
    g_autofree char *text = excerpt (body);

    g_propagate_error (error, transport_error (http_status >= 300 ? TC_ERROR_HTTP_STATUS
                                                                  : TC_ERROR_MALFORMED_RESPONSE,
                                               http_status, text));
    return NULL;
  }

  code = json_node_get_int (code_node);
  if (code != 0) {
    const char *request_id = tc_json_get_string (root, "requestId");
    g_autofree char *request_id_num = NULL;
    g_autofree char *message = tc_json_dup_text (root, "message");

    /* CreateImage answers a numeric task ID where other actions give a string. */
    if (request_id == NULL && json_object_has_member (root, "requestId")) {
      JsonNode *node = json_object_get_member (root, "requestId");

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
        request_id = request_id_num = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    }

    g_propagate_error (error, tc_error_new_legacy (code, tc_json_get_string (root, "codeDesc"),
                                                   message,
                                                   request_id, http_status));
    return NULL;
  }

  if (http_status < 200 || http_status >= 300) {
    g_autofree char *text = excerpt (body);

    g_propagate_error (error, transport_error (TC_ERROR_HTTP_STATUS, http_status, text));
    return NULL;
  }

  return json_object_ref (root);
}
