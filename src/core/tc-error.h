/* tc-error.h: the error domain every cloud call reports in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TC_ERROR (tc_error_quark ())

/**
 * TcErrorCode:
 *
 * What went wrong, in terms the UI can act on. The server's own code, message and
 * RequestId travel with the error (see tc_error_get_server_code() and friends).
 */
typedef enum {
  TC_ERROR_FAILED,              /* anything not listed below */
  TC_ERROR_NETWORK,             /* offline, DNS failure, refused or dropped connection */
  TC_ERROR_TIMEOUT,             /* connect, I/O or overall deadline */
  TC_ERROR_TLS,                 /* certificate not trusted, handshake failed */
  TC_ERROR_HTTP_STATUS,         /* non-200 answer that carries no API error */
  TC_ERROR_MALFORMED_RESPONSE,  /* HTML page, broken or truncated JSON, wrong shape */
  TC_ERROR_RESPONSE_TOO_LARGE,  /* the body went over the cap */
  TC_ERROR_AUTH_SIGNATURE,      /* the SecretKey does not match */
  TC_ERROR_AUTH_SECRET_ID,      /* unknown or disabled SecretId */
  TC_ERROR_AUTH_TOKEN,          /* the session token is wrong or expired */
  TC_ERROR_CLOCK_SKEW,          /* the computer's clock is too far off */
  TC_ERROR_UNAUTHORIZED,        /* the keys work but lack permission */
  TC_ERROR_RATE_LIMITED,        /* RequestLimitExceeded* */
  TC_ERROR_QUOTA,               /* the custom-image quota is used up */
  TC_ERROR_NAME_TAKEN,          /* InvalidImageName.Duplicate */
  TC_ERROR_INVALID_PARAMETER,   /* the request was refused as invalid */
  TC_ERROR_NOT_FOUND,           /* the instance or image does not exist */
  TC_ERROR_INSTANCE_STATE,      /* the instance is in a state that forbids the action */
  TC_ERROR_BUSY,                /* another operation is in progress on the resource */
  TC_ERROR_INSUFFICIENT_BALANCE,
  TC_ERROR_UNSUPPORTED,         /* action or region not served by this endpoint */
  TC_ERROR_SERVER,              /* InternalError and other server faults */
  TC_ERROR_UNAVAILABLE,         /* ServiceUnavailable, 503 */
  TC_ERROR_BAD_ENDPOINT,        /* the configured endpoint is not usable */
  TC_ERROR_IMAGE_STATE,         /* the image is being made, copied or imported, or failed */
  TC_ERROR_IMAGE_SHARED,        /* the image is shared with other accounts */
  TC_ERROR_IMAGE_TOO_LARGE,     /* the image is too large to be copied */
  TC_ERROR_REGION,              /* a destination region cannot take a copy */
  TC_ERROR_IMAGE_ENCRYPTED,     /* an encrypted image cannot be copied to another region */
  TC_ERROR_NO_ANSWER,           /* a write went out whole and no answer came back: it may
                                 * have been carried out */
} TcErrorCode;

GQuark       tc_error_quark             (void);

GError      *tc_error_new_server        (const char   *server_code,
                                         const char   *server_message,
                                         const char   *request_id,
                                         guint         http_status);
GError      *tc_error_new_legacy        (gint64        code,
                                         const char   *code_desc,
                                         const char   *server_message,
                                         const char   *request_id,
                                         guint         http_status);
void         tc_error_set_server_details (GError      *error,
                                         const char   *server_code,
                                         const char   *server_message,
                                         const char   *request_id,
                                         guint         http_status);

TcErrorCode  tc_error_code_from_server  (const char   *server_code);
TcErrorCode  tc_error_code_from_legacy  (gint64        code);
const char  *tc_error_describe          (TcErrorCode   code);

const char  *tc_error_get_server_code    (const GError *error);
const char  *tc_error_get_server_message (const GError *error);
const char  *tc_error_get_request_id     (const GError *error);
guint        tc_error_get_http_status    (const GError *error);
/* "Code: …" (or "HTTP status: …") and "Request ID: …" on their own lines, translated, for
 * whoever has to ask Tencent about a failure; NULL when the error has neither. */
char        *tc_error_dup_details        (const GError *error);

gboolean     tc_error_is_retryable       (const GError *error);

G_END_DECLS
