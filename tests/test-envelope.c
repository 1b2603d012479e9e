/* test-envelope.c: reading both response envelopes, good and bad
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tc-envelope.h"
#include "tc-error.h"

typedef struct {
  const char  *name;
  const char  *body;
  guint        status;
  const char  *content_type;
  TcErrorCode  code;          /* expected error; TC_ERROR_FAILED + ok = TRUE for success */
  gboolean     ok;
  const char  *server_code;   /* expected raw code, or NULL */
  const char  *request_id;
} Case;

static const Case api3_cases[] = {
  { "success", "{\"Response\":{\"TotalCount\":0,\"RequestId\":\"r-1\"}}", 200, "application/json", 0, TRUE, NULL, NULL },
  { "auth-signature", "{\"Response\":{\"Error\":{\"Code\":\"AuthFailure.SignatureFailure\",\"Message\":\"bad\"},\"RequestId\":\"r-2\"}}", 200, "application/json", TC_ERROR_AUTH_SIGNATURE, FALSE, "AuthFailure.SignatureFailure", "r-2" },
  { "secret-id", "{\"Response\":{\"Error\":{\"Code\":\"AuthFailure.SecretIdNotFound\",\"Message\":\"x\"},\"RequestId\":\"r\"}}", 200, NULL, TC_ERROR_AUTH_SECRET_ID, FALSE, "AuthFailure.SecretIdNotFound", "r" },
  { "clock-skew", "{\"Response\":{\"Error\":{\"Code\":\"AuthFailure.SignatureExpire\",\"Message\":\"x\"},\"RequestId\":\"r\"}}", 200, NULL, TC_ERROR_CLOCK_SKEW, FALSE, "AuthFailure.SignatureExpire", "r" },
  { "rate-limit", "{\"Response\":{\"Error\":{\"Code\":\"RequestLimitExceeded.UinLimitExceeded\",\"Message\":\"x\"},\"RequestId\":\"r\"}}", 200, NULL, TC_ERROR_RATE_LIMITED, FALSE, "RequestLimitExceeded.UinLimitExceeded", "r" },
  { "quota", "{\"Response\":{\"Error\":{\"Code\":\"ImageQuotaLimitExceeded\",\"Message\":\"x\"},\"RequestId\":\"r\"}}", 200, NULL, TC_ERROR_QUOTA, FALSE, "ImageQuotaLimitExceeded", "r" },
  { "duplicate", "{\"Response\":{\"Error\":{\"Code\":\"InvalidImageName.Duplicate\",\"Message\":\"x\"},\"RequestId\":\"r\"}}", 200, NULL, TC_ERROR_NAME_TAKEN, FALSE, "InvalidImageName.Duplicate", "r" },
  { "state", "{\"Response\":{\"Error\":{\"Code\":\"UnsupportedOperation.InstanceStateRunning\",\"Message\":\"x\"},\"RequestId\":\"r\"}}", 200, NULL, TC_ERROR_INSTANCE_STATE, FALSE, "UnsupportedOperation.InstanceStateRunning", "r" },
  { "not-found", "{\"Response\":{\"Error\":{\"Code\":\"InvalidInstanceId.NotFound\",\"Message\":\"x\"},\"RequestId\":\"r\"}}", 200, NULL, TC_ERROR_NOT_FOUND, FALSE, "InvalidInstanceId.NotFound", "r" },
  { "unknown-code", "{\"Response\":{\"Error\":{\"Code\":\"Something.New\",\"Message\":\"x\"},\"RequestId\":\"r\"}}", 200, NULL, TC_ERROR_FAILED, FALSE, "Something.New", "r" },
  { "internal", "{\"Response\":{\"Error\":{\"Code\":\"InternalError\",\"Message\":\"x\"},\"RequestId\":\"r\"}}", 200, NULL, TC_ERROR_SERVER, FALSE, "InternalError", "r" },
  { "error-on-500", "{\"Response\":{\"Error\":{\"Code\":\"InternalError\",\"Message\":\"x\"},\"RequestId\":\"r\"}}", 500, NULL, TC_ERROR_SERVER, FALSE, "InternalError", "r" },
  { "html-502", "<html><body><h1>502 Bad Gateway</h1></body></html>", 502, "text/html", TC_ERROR_HTTP_STATUS, FALSE, NULL, NULL },
  { "html-200", "<html><body>Welcome</body></html>", 200, "text/html; charset=utf-8", TC_ERROR_MALFORMED_RESPONSE, FALSE, NULL, NULL },
  { "plain-503", "Service Unavailable", 503, "text/plain", TC_ERROR_UNAVAILABLE, FALSE, NULL, NULL },
  { "empty-500", "", 500, NULL, TC_ERROR_HTTP_STATUS, FALSE, NULL, NULL },
  { "empty-200", "", 200, NULL, TC_ERROR_MALFORMED_RESPONSE, FALSE, NULL, NULL },
  { "truncated", "{\"Response\":{\"TotalCount\":1,\"InstanceSet\":[{\"Instan", 200, NULL, TC_ERROR_MALFORMED_RESPONSE, FALSE, NULL, NULL },
  { "malformed", "{\"Response\": {,,}}", 200, NULL, TC_ERROR_MALFORMED_RESPONSE, FALSE, NULL, NULL },
  { "array-root", "[1,2,3]", 200, NULL, TC_ERROR_MALFORMED_RESPONSE, FALSE, NULL, NULL },
  { "no-response", "{\"response\":{}}", 200, NULL, TC_ERROR_MALFORMED_RESPONSE, FALSE, NULL, NULL },
  { "response-string", "{\"Response\":\"ok\"}", 200, NULL, TC_ERROR_MALFORMED_RESPONSE, FALSE, NULL, NULL },
  { "error-not-object", "{\"Response\":{\"Error\":\"bad\",\"RequestId\":\"r\"}}", 200, NULL, TC_ERROR_MALFORMED_RESPONSE, FALSE, NULL, NULL },
  { "code-not-string", "{\"Response\":{\"Error\":{\"Code\":42,\"Message\":\"x\"}}}", 200, NULL, TC_ERROR_MALFORMED_RESPONSE, FALSE, NULL, NULL },
  { "success-on-404", "{\"Response\":{\"RequestId\":\"r\"}}", 404, NULL, TC_ERROR_HTTP_STATUS, FALSE, NULL, NULL },
  { "invalid-utf8", "{\"Response\":{\"RequestId\":\"\xff\xfe\"}}", 200, NULL, TC_ERROR_MALFORMED_RESPONSE, FALSE, NULL, NULL },
  /* Bytes that are not UTF-8 break the answer even in a member nobody reads. */
  { "invalid-utf8-unread", "{\"Response\":{\"RequestId\":\"r\",\"Other\":[\"\xc3\"]}}", 200, NULL, TC_ERROR_MALFORMED_RESPONSE, FALSE, NULL, NULL },
  { "trailing-text", "{\"Response\":{\"RequestId\":\"r\"}} x", 200, NULL, TC_ERROR_MALFORMED_RESPONSE, FALSE, NULL, NULL },
  { "error-null", "{\"Response\":{\"Error\":null,\"RequestId\":\"r\"}}", 200, NULL, TC_ERROR_MALFORMED_RESPONSE, FALSE, NULL, NULL },
  /* Members come in any order: an Error after the data (a broken item among it) wins. */
  { "error-after-data", "{\"Response\":{\"TotalCount\":1,\"InstanceSet\":[{\"x\":1}],\"RequestId\":\"r\",\"Error\":{\"Message\":\"x\",\"Code\":\"InternalError\"}}}", 200, NULL, TC_ERROR_SERVER, FALSE, "InternalError", "r" },
  { "request-id-number", "{\"Response\":{\"Error\":{\"Code\":\"InternalError\",\"Message\":\"x\"},\"RequestId\":42}}", 200, NULL, TC_ERROR_SERVER, FALSE, "InternalError", "42" },
  /* Duplicate members: the last counts, as in JSON.parse (Tencent's Node SDK). */
  { "second-error", "{\"Response\":{\"Error\":{\"Code\":\"InternalError\",\"Message\":\"x\"},\"Error\":{\"Code\":\"AuthFailure.SignatureFailure\",\"Message\":\"y\"},\"RequestId\":\"r\"}}", 200, NULL, TC_ERROR_AUTH_SIGNATURE, FALSE, "AuthFailure.SignatureFailure", "r" },
  { "second-response", "{\"Response\":{\"Error\":{\"Code\":\"InternalError\",\"Message\":\"x\"},\"RequestId\":\"r\"},\"Response\":{\"RequestId\":\"r2\"}}", 200, NULL, 0, TRUE, NULL, NULL },
  { "second-response-not-object", "{\"Response\":{\"RequestId\":\"r\"},\"Response\":[]}", 200, NULL, TC_ERROR_MALFORMED_RESPONSE, FALSE, NULL, NULL },
};

static const Case legacy_cases[] = {
  { "success", "{\"code\":0,\"message\":\"\",\"codeDesc\":\"Success\",\"totalCount\":0}", 200, NULL, 0, TRUE, NULL, NULL },
  { "signature", "{\"code\":4100,\"message\":\"鉴权失败\",\"codeDesc\":\"AuthFailure\"}", 200, NULL, TC_ERROR_AUTH_SIGNATURE, FALSE, "4100", NULL },
  { "secret-id", "{\"code\":4104,\"message\":\"x\"}", 200, NULL, TC_ERROR_AUTH_SECRET_ID, FALSE, "4104", NULL },
  { "replay", "{\"code\":4500,\"message\":\"x\"}", 200, NULL, TC_ERROR_CLOCK_SKEW, FALSE, "4500", NULL },
  { "module", "{\"code\":5100,\"message\":\"(-20002)镜像数量超过配额\",\"requestId\":12345}", 200, NULL, TC_ERROR_FAILED, FALSE, "5100", "12345" },
  { "code-desc", "{\"code\":5100,\"message\":\"(-20002)镜像数量超过配额\",\"codeDesc\":\"ImageQuotaLimitExceeded\"}", 200, NULL, TC_ERROR_QUOTA, FALSE, "5100", NULL },
  { "code-desc-generic", "{\"code\":4100,\"message\":\"x\",\"codeDesc\":\"Whatever\"}", 200, NULL, TC_ERROR_AUTH_SIGNATURE, FALSE, "4100", NULL },
  /* The numeric code decides where it names one reason: a reused Nonce is no bad signature. */
  { "replay-nonce", "{\"code\":4500,\"message\":\"x\",\"codeDesc\":\"AuthFailure.NonceReused\"}", 200, NULL, TC_ERROR_CLOCK_SKEW, FALSE, "4500", NULL },
  { "expired-desc", "{\"code\":4200,\"message\":\"x\",\"codeDesc\":\"AuthFailure.RequestExpired\"}", 200, NULL, TC_ERROR_CLOCK_SKEW, FALSE, "4200", NULL },
  { "secret-id-desc", "{\"code\":4104,\"message\":\"x\",\"codeDesc\":\"AuthFailure.SignatureFailure\"}", 200, NULL, TC_ERROR_AUTH_SECRET_ID, FALSE, "4104", NULL },
  { "rate-desc", "{\"code\":4400,\"message\":\"x\",\"codeDesc\":\"InvalidParameter\"}", 200, NULL, TC_ERROR_RATE_LIMITED, FALSE, "4400", NULL },
  /* Where it covers several reasons, the codeDesc says which. */
  { "token-desc", "{\"code\":4100,\"message\":\"x\",\"codeDesc\":\"AuthFailure.TokenFailure\"}", 200, NULL, TC_ERROR_AUTH_TOKEN, FALSE, "4100", NULL },
  { "image-state-desc", "{\"code\":4000,\"message\":\"x\",\"codeDesc\":\"InvalidImageId.IncorrectState\"}", 200, NULL, TC_ERROR_IMAGE_STATE, FALSE, "4000", NULL },
  { "name-taken-desc", "{\"code\":5100,\"message\":\"x\",\"codeDesc\":\"InvalidImageName.Duplicate\"}", 200, NULL, TC_ERROR_NAME_TAKEN, FALSE, "5100", NULL },
  { "wrong-host", "{\"code\":6100,\"message\":\"x\",\"requestId\":\"abc\"}", 200, NULL, TC_ERROR_UNSUPPORTED, FALSE, "6100", "abc" },
  { "invalid", "{\"code\":4000,\"message\":\"x\"}", 200, NULL, TC_ERROR_INVALID_PARAMETER, FALSE, "4000", NULL },
  { "rate", "{\"code\":4400,\"message\":\"x\"}", 200, NULL, TC_ERROR_RATE_LIMITED, FALSE, "4400", NULL },
  { "internal", "{\"code\":6000,\"message\":\"x\"}", 200, NULL, TC_ERROR_SERVER, FALSE, "6000", NULL },
  { "code-string", "{\"code\":\"0\",\"message\":\"\"}", 200, NULL, TC_ERROR_MALFORMED_RESPONSE, FALSE, NULL, NULL },
  { "no-code", "{\"message\":\"\"}", 200, NULL, TC_ERROR_MALFORMED_RESPONSE, FALSE, NULL, NULL },
  { "api3-shape", "{\"Response\":{\"RequestId\":\"r\"}}", 200, NULL, TC_ERROR_MALFORMED_RESPONSE, FALSE, NULL, NULL },
  { "html-502", "<html>bad gateway</html>", 502, "text/html", TC_ERROR_HTTP_STATUS, FALSE, NULL, NULL },
  { "truncated", "{\"code\":0,\"instanceSet\":[", 200, NULL, TC_ERROR_MALFORMED_RESPONSE, FALSE, NULL, NULL },
  { "code-after-data", "{\"instanceSet\":[1],\"totalCount\":1,\"message\":\"x\",\"code\":4100}", 200, NULL, TC_ERROR_AUTH_SIGNATURE, FALSE, "4100", NULL },
  { "code-fraction", "{\"code\":0.5,\"message\":\"\"}", 200, NULL, TC_ERROR_MALFORMED_RESPONSE, FALSE, NULL, NULL },
  { "code-twice", "{\"code\":0,\"message\":\"x\",\"code\":4400}", 200, NULL, TC_ERROR_RATE_LIMITED, FALSE, "4400", NULL },
};

static void
check_case (const Case *c,
            gboolean    legacy)
{
  g_autoptr(GBytes) body = g_bytes_new_static (c->body, strlen (c->body));
  g_autoptr(GError) error = NULL;
  g_autoptr(TcAnswer) result = NULL;

  result = tc_envelope_read (legacy ? TC_PROTOCOL_LEGACY : TC_PROTOCOL_API3, body, c->status,
                             c->content_type, &error);

  if (c->ok) {
    g_assert_no_error (error);
    g_assert_nonnull (result);
    return;
  }

  g_assert_null (result);
  g_assert_error (error, TC_ERROR, (int) c->code);
  g_assert_cmpstr (error->message, ==, tc_error_describe (c->code));
  g_assert_cmpstr (tc_error_get_server_code (error), ==, c->server_code);
  g_assert_cmpstr (tc_error_get_request_id (error), ==, c->request_id);
  g_assert_cmpuint (tc_error_get_http_status (error), ==, c->status);
  /* Whatever went wrong, the details carry valid UTF-8 for the details view. */
  if (tc_error_get_server_message (error) != NULL)
    g_assert_true (g_utf8_validate (tc_error_get_server_message (error), -1, NULL));
}

static void
test_api3 (gconstpointer data)
{
  check_case (data, FALSE);
}

static void
test_legacy (gconstpointer data)
{
  check_case (data, TRUE);
}

static void
test_api3_keeps_fields (void)
{
  const char *text = "{\"Response\":{\"TotalCount\":2,\"RequestId\":\"abc\"}}";
  g_autoptr(GBytes) body = g_bytes_new_static (text, strlen (text));
  g_autoptr(TcAnswer) response = tc_envelope_read (TC_PROTOCOL_API3, body, 200, "application/json", NULL);

  g_assert_nonnull (response);
  g_assert_true (response->has_total);
  g_assert_cmpint (response->total, ==, 2);
  g_assert_cmpstr (response->request_id, ==, "abc");
}

/* Deep nesting is refused, not recursed into. */
static void
test_deep_nesting (void)
{
  GString *str = g_string_new ("{\"Response\":");
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcAnswer) result = NULL;

  for (int i = 0; i < 100000; i++)
    g_string_append_c (str, '[');
  body = g_string_free_to_bytes (str);

  result = tc_envelope_read (TC_PROTOCOL_API3, body, 200, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, TC_ERROR, TC_ERROR_MALFORMED_RESPONSE);
}

/* A large but honest body still parses (the size cap is the client's job, while reading). */
static void
test_large_body (void)
{
  GString *str = g_string_new ("{\"Response\":{\"RequestId\":\"r\",\"ImageSet\":[");
  g_autoptr(GBytes) body = NULL;
  g_autoptr(TcAnswer) result = NULL;
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < 20000; i++)
    g_string_append_printf (str, "%s{\"ImageId\":\"img-%08d\",\"ImageName\":\"镜像-%d\"}", i ? "," : "", i, i);
  g_string_append (str, "]}}");
  body = g_string_free_to_bytes (str);

  result = tc_envelope_read (TC_PROTOCOL_API3, body, 200, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->sets[TC_ANSWER_IMAGES]->len, ==, 20000);
}

/* Braces inside strings do not count as nesting. */
static void
test_braces_in_strings (void)
{
  GString *str = g_string_new ("{\"Response\":{\"RequestId\":\"");
  g_autoptr(GBytes) body = NULL;
  g_autoptr(TcAnswer) result = NULL;

  for (int i = 0; i < 1000; i++)
    g_string_append (str, "[{\\\"");
  g_string_append (str, "\"}}");
  body = g_string_free_to_bytes (str);

  result = tc_envelope_read (TC_PROTOCOL_API3, body, 200, NULL, NULL);
  g_assert_nonnull (result);
}

/* Server messages are shown in the details view: an escaped lone surrogate (the one way
 * valid JSON can say something that is not a character) is repaired, in both envelopes. */
#define REPLACED "\xef\xbf\xbd"

static void
test_message_invalid_utf8 (void)
{
  static const char api3[] =
    "{\"Response\":{\"Error\":{\"Code\":\"InternalError\",\"Message\":\"bad \\udc00x\"},"
    "\"RequestId\":\"r-\\udc00x\"}}";
  static const char legacy[] =
    "{\"code\":5100,\"codeDesc\":\"x\",\"message\":\"\\udfffx\",\"requestId\":\"r\"}";
  g_autoptr(GBytes) api3_body = g_bytes_new_static (api3, strlen (api3));
  g_autoptr(GBytes) legacy_body = g_bytes_new_static (legacy, strlen (legacy));
  g_autoptr(GError) error = NULL;

  g_assert_null (tc_envelope_read (TC_PROTOCOL_API3, api3_body, 200, NULL, &error));
  g_assert_error (error, TC_ERROR, TC_ERROR_SERVER);
  /* The surrogate becomes one U+FFFD, and the character after it is kept. */
  g_assert_cmpstr (tc_error_get_server_message (error), ==, "bad " REPLACED "x");
  g_assert_null (tc_error_get_request_id (error));   /* an ID with such bytes is no ID */
  g_clear_error (&error);

  g_assert_null (tc_envelope_read (TC_PROTOCOL_LEGACY, legacy_body, 200, NULL, &error));
  g_assert_cmpstr (tc_error_get_server_message (error), ==, REPLACED "x");
  g_assert_cmpstr (tc_error_get_request_id (error), ==, "r");
}

static void
test_retryable (void)
{
  g_autoptr(GError) rate = tc_error_new_server ("RequestLimitExceeded", "x", "r", 200);
  g_autoptr(GError) internal = tc_error_new_server ("InternalError", "x", "r", 200);
  g_autoptr(GError) auth = tc_error_new_server ("AuthFailure.SignatureFailure", "x", "r", 200);
  g_autoptr(GError) quota = tc_error_new_server ("ImageQuotaLimitExceeded", "x", "r", 200);
  g_autoptr(GError) legacy_rate = tc_error_new_legacy (4400, NULL, "x", NULL, 200);
  g_autoptr(GError) io = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");

  g_assert_true (tc_error_is_retryable (rate));
  g_assert_true (tc_error_is_retryable (internal));
  g_assert_true (tc_error_is_retryable (legacy_rate));
  g_assert_false (tc_error_is_retryable (auth));
  g_assert_false (tc_error_is_retryable (quota));
  g_assert_false (tc_error_is_retryable (io));
}

/* The raw details survive g_error_copy(), as GTask and the UI copy errors around. */
static void
test_error_copy (void)
{
  g_autoptr(GError) error = tc_error_new_server ("InvalidImageName.Duplicate", "taken", "req-1", 200);
  g_autoptr(GError) copy = g_error_copy (error);

  g_assert_error (copy, TC_ERROR, TC_ERROR_NAME_TAKEN);
  g_assert_cmpstr (tc_error_get_server_code (copy), ==, "InvalidImageName.Duplicate");
  g_assert_cmpstr (tc_error_get_server_message (copy), ==, "taken");
  g_assert_cmpstr (tc_error_get_request_id (copy), ==, "req-1");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (api3_cases); i++) {
    g_autofree char *path = g_strdup_printf ("/imprint/envelope/api3/%s", api3_cases[i].name);
    g_test_add_data_func (path, &api3_cases[i], test_api3);
  }
  for (guint i = 0; i < G_N_ELEMENTS (legacy_cases); i++) {
    g_autofree char *path = g_strdup_printf ("/imprint/envelope/legacy/%s", legacy_cases[i].name);
    g_test_add_data_func (path, &legacy_cases[i], test_legacy);
  }

  g_test_add_func ("/imprint/envelope/api3/keeps-fields", test_api3_keeps_fields);
  g_test_add_func ("/imprint/envelope/deep-nesting", test_deep_nesting);
  g_test_add_func ("/imprint/envelope/large-body", test_large_body);
  g_test_add_func ("/imprint/envelope/braces-in-strings", test_braces_in_strings);
  g_test_add_func ("/imprint/envelope/message-invalid-utf8", test_message_invalid_utf8);
  g_test_add_func ("/imprint/error/retryable", test_retryable);
  g_test_add_func ("/imprint/error/copy", test_error_copy);

  return g_test_run ();
}
