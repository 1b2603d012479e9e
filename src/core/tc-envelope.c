/* tc-envelope.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Both envelopes are read the same way: first the transport (status, content type), then
 * the JSON, in one pass with the answer's own members (tc-answer.c), then the shape.
 * Every way a body can be wrong ends in a TC_ERROR with the HTTP status and a short
 * excerpt kept for the details view.
 */
#include "config.h"

#include <string.h>

#include "tc-envelope.h"
#include "tc-error.h"

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

/* Everything the envelope itself says, beside the answer's members. */
typedef struct {
  gboolean  has_response;   /* API 3.0: a `Response` object */
  gboolean  has_error;      /* API 3.0: a `Response.Error`, of whatever type */
  char     *error_code;
  char     *message;
  char     *request_id;
  gboolean  has_code;       /* legacy: an integer `code` */
  gint64    code;
  char     *code_desc;
} Envelope;

static void
envelope_clear (Envelope *envelope)
{
  g_free (envelope->error_code);
  g_free (envelope->message);
  g_free (envelope->request_id);
  g_free (envelope->code_desc);
  memset (envelope, 0, sizeof *envelope);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Envelope, envelope_clear)

static void
replace (char **field,
         char  *value)
{
  g_free (*field);
  *field = value;
}

/* `Response.Error`: `{"Code", "Message"}`. */
static void
read_error (TcJsonReader *reader,
            Envelope     *envelope)
{
  const char *name;
  guint level;

  envelope->has_error = TRUE;
  g_clear_pointer (&envelope->error_code, g_free);
  g_clear_pointer (&envelope->message, g_free);
  if (!tc_json_reader_enter_object (reader, &level))
    return;
  while (tc_json_reader_next_member (reader, level, &name)) {
    if (g_str_equal (name, "Code"))
      replace (&envelope->error_code, tc_json_reader_dup_string (reader));
    else if (g_str_equal (name, "Message"))
      replace (&envelope->message, tc_json_reader_dup_text (reader));
  }
}

/* `{"Response": {…, "Error"?, "RequestId"}}`. A second `Response` replaces the first. */
static void
read_api3 (TcJsonReader *reader,
           guint         top,
           Envelope     *envelope,
           TcAnswer    **answer)
{
  const char *name;

  while (tc_json_reader_next_member (reader, top, &name)) {
    guint level;

    if (!g_str_equal (name, "Response"))
      continue;

    envelope_clear (envelope);
    g_clear_pointer (answer, tc_answer_free);
    *answer = tc_answer_new (TC_PROTOCOL_API3);
    if (!tc_json_reader_enter_object (reader, &level))
      continue;

    envelope->has_response = TRUE;
    while (tc_json_reader_next_member (reader, level, &name)) {
      if (g_str_equal (name, "Error"))
        read_error (reader, envelope);
      else if (g_str_equal (name, "RequestId"))
        replace (&envelope->request_id, tc_answer_read_id (reader));
      else
        tc_answer_read_member (*answer, name, reader);
    }
  }
}

/* `{"code": 0, "message": "", "codeDesc", "requestId", …}`. */
static void
read_legacy (TcJsonReader *reader,
             guint         top,
             Envelope     *envelope,
             TcAnswer    **answer)
{
  const char *name;

  *answer = tc_answer_new (TC_PROTOCOL_LEGACY);
  while (tc_json_reader_next_member (reader, top, &name)) {
    if (g_str_equal (name, "code"))
      envelope->has_code = tc_json_reader_read_int_literal (reader, &envelope->code);
    else if (g_str_equal (name, "message"))
      replace (&envelope->message, tc_json_reader_dup_text (reader));
    else if (g_str_equal (name, "codeDesc"))
      replace (&envelope->code_desc, tc_json_reader_dup_string (reader));
    else if (g_str_equal (name, "requestId"))
      replace (&envelope->request_id, tc_answer_read_id (reader));
    else
      tc_answer_read_member (*answer, name, reader);
  }
}

/* What is wrong with an answer, once it is read whole. */
static GError *
check (TcProtocol  protocol,
       Envelope   *envelope,
       guint       http_status,
       GBytes     *body)
{
  gboolean bad_status = http_status < 200 || http_status >= 300;

  if (protocol == TC_PROTOCOL_API3) {
    if (!envelope->has_response) {
      g_autofree char *text = excerpt (body);

      return transport_error (http_status >= 300 ? TC_ERROR_HTTP_STATUS : TC_ERROR_MALFORMED_RESPONSE,
                              http_status, text);
    }
    if (envelope->has_error && envelope->error_code == NULL) {
      g_autofree char *text = excerpt (body);

      return transport_error (TC_ERROR_MALFORMED_RESPONSE, http_status, text);
    }
    if (envelope->has_error)
      return tc_error_new_server (envelope->error_code, envelope->message,
                                  envelope->request_id, http_status);
  } else {
    if (!envelope->has_code) {
      g_autofree char *text = excerpt (body);

      return transport_error (http_status >= 300 ? TC_ERROR_HTTP_STATUS : TC_ERROR_MALFORMED_RESPONSE,
                              http_status, text);
    }
    if (envelope->code != 0)
      return tc_error_new_legacy (envelope->code, envelope->code_desc, envelope->message,
                                  envelope->request_id, http_status);
  }

  if (bad_status) {
    g_autofree char *text = excerpt (body);

    return transport_error (http_status == 503 ? TC_ERROR_UNAVAILABLE : TC_ERROR_HTTP_STATUS,
                            http_status, text);
  }
  return NULL;
}

/**
 * tc_envelope_read:
 *
 * Reads an answer in @protocol's envelope: API 3.0 `{"Response": {…, "RequestId"}}`,
 * where a `Response.Error` becomes the matching TC_ERROR with the server's code, message
 * and RequestId; or the legacy `{"code": 0, "message": "", …}`, where a non-zero `code`
 * does. The answer's own members are read on the way (tc-answer.c).
 *
 * Returns: (transfer full): the answer
 */
TcAnswer *
tc_envelope_read (TcProtocol    protocol,
                  GBytes       *body,
                  guint         http_status,
                  const char   *content_type,
                  GError      **error)
{
  g_auto(Envelope) envelope = { 0 };
  g_autoptr(TcAnswer) answer = NULL;
  TcJsonReader reader;
  gsize len = 0;
  const char *data = body ? g_bytes_get_data (body, &len) : NULL;
  gboolean bad_status = http_status < 200 || http_status >= 300;
  gboolean parsed = FALSE;
  GError *problem;
  guint top;

  /* A body that is not JSON is reported as its status when that is an error (a 502 page
   * from a proxy, say), or else as a malformed answer. */
  if (data != NULL && len > 0 &&
      (content_type == NULL || !g_str_has_prefix (content_type, "text/html"))) {
    tc_json_reader_init (&reader, data, len);
    parsed = tc_json_reader_enter_object (&reader, &top);
    if (parsed && protocol == TC_PROTOCOL_API3)
      read_api3 (&reader, top, &envelope, &answer);
    else if (parsed)
      read_legacy (&reader, top, &envelope, &answer);
    parsed = tc_json_reader_finish (&reader) && parsed;
    tc_json_reader_clear (&reader);
  }

  if (!parsed) {
    TcErrorCode code = bad_status ? TC_ERROR_HTTP_STATUS : TC_ERROR_MALFORMED_RESPONSE;
    g_autofree char *text = body ? excerpt (body) : NULL;

    if (http_status == 503)
      code = TC_ERROR_UNAVAILABLE;
    g_propagate_error (error, transport_error (code, http_status, text));
    return NULL;
  }

  problem = check (protocol, &envelope, http_status, body);
  if (problem != NULL) {
    g_propagate_error (error, problem);
    return NULL;
  }

  answer->request_id = g_steal_pointer (&envelope.request_id);
  return g_steal_pointer (&answer);
}
