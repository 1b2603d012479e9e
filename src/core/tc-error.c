/* tc-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "tc-error.h"

typedef struct {
  char  *server_code;
  char  *server_message;
  char  *request_id;
  guint  http_status;
} TcErrorPrivate;

static void
tc_error_private_init (TcErrorPrivate *priv)
{
}

static void
tc_error_private_copy (const TcErrorPrivate *src,
                       TcErrorPrivate       *dest)
{
  dest->server_code = g_strdup (src->server_code);
  dest->server_message = g_strdup (src->server_message);
  dest->request_id = g_strdup (src->request_id);
  dest->http_status = src->http_status;
}

static void
tc_error_private_clear (TcErrorPrivate *priv)
{
  g_clear_pointer (&priv->server_code, g_free);
  g_clear_pointer (&priv->server_message, g_free);
  g_clear_pointer (&priv->request_id, g_free);
}

G_DEFINE_EXTENDED_ERROR (TcError, tc_error)

/* API 3.0 codes, matched exactly or by prefix (entries ending in '.' or '*'). */
static const struct {
  const char  *code;
  TcErrorCode  error;
} server_codes[] = {
  { "AuthFailure.SignatureFailure", TC_ERROR_AUTH_SIGNATURE },
  { "AuthFailure.SecretIdNotFound", TC_ERROR_AUTH_SECRET_ID },
  { "AuthFailure.InvalidSecretId", TC_ERROR_AUTH_SECRET_ID },
  { "AuthFailure.SignatureExpire", TC_ERROR_CLOCK_SKEW },
  { "AuthFailure.TokenFailure", TC_ERROR_AUTH_TOKEN },
  { "AuthFailure.UnauthorizedOperation", TC_ERROR_UNAUTHORIZED },
  { "AuthFailure.InvalidAuthorization", TC_ERROR_AUTH_SIGNATURE },
  { "AuthFailure*", TC_ERROR_AUTH_SIGNATURE },
  { "UnauthorizedOperation*", TC_ERROR_UNAUTHORIZED },
  { "RequestLimitExceeded*", TC_ERROR_RATE_LIMITED },
  { "InternalError*", TC_ERROR_SERVER },
  { "ServiceUnavailable*", TC_ERROR_UNAVAILABLE },
  { "InvalidImageName.Duplicate", TC_ERROR_NAME_TAKEN },
  { "ImageQuotaLimitExceeded", TC_ERROR_QUOTA },
  { "LimitExceeded*", TC_ERROR_QUOTA },
  { "InvalidInstanceId.NotFound", TC_ERROR_NOT_FOUND },
  { "InvalidImageId.NotFound", TC_ERROR_NOT_FOUND },
  /* DeleteImages and SyncImages: an ID that names no image is not found either way. */
  { "InvalidImageId.Malformed", TC_ERROR_NOT_FOUND },
  { "InvalidParameterValue.InvalidImageId", TC_ERROR_NOT_FOUND },
  { "InvalidImageId.IncorrectState", TC_ERROR_IMAGE_STATE },
  { "InvalidParameterValue.InvalidImageState", TC_ERROR_IMAGE_STATE },
  { "FailedOperation.InvalidImageState", TC_ERROR_IMAGE_STATE },
  { "InvalidImageId.InShared", TC_ERROR_IMAGE_SHARED },
  { "InvalidParameterValue.InvalidImageIdIsShared", TC_ERROR_IMAGE_SHARED },
  { "InvalidImageId.TooLarge", TC_ERROR_IMAGE_TOO_LARGE },
  { "InvalidRegion*", TC_ERROR_REGION },
  { "InvalidParameterValue.InvalidRegion", TC_ERROR_REGION },
  { "UnsupportedOperation.Region", TC_ERROR_REGION },
  { "ResourceNotFound*", TC_ERROR_NOT_FOUND },
  { "UnsupportedOperation.InstanceState*", TC_ERROR_INSTANCE_STATE },
  { "OperationDenied.InstanceOperationInProgress", TC_ERROR_BUSY },
  { "MutexOperation*", TC_ERROR_BUSY },
  { "ResourceInUse*", TC_ERROR_BUSY },
  { "InvalidAccount.InsufficientBalance", TC_ERROR_INSUFFICIENT_BALANCE },
  { "InvalidAction", TC_ERROR_UNSUPPORTED },
  { "UnsupportedRegion", TC_ERROR_UNSUPPORTED },
  { "UnsupportedOperation.EncryptedImagesNotSupported", TC_ERROR_IMAGE_ENCRYPTED },
  /* Other UnsupportedOperation.* codes and InvalidInstance.NotSupported are about the
   * instance or the image (a type that cannot be imaged), not the endpoint: TC_ERROR_FAILED,
   * whose message points to the server's own explanation. */
  { "InvalidParameter*", TC_ERROR_INVALID_PARAMETER },
  { "MissingParameter*", TC_ERROR_INVALID_PARAMETER },
  { "UnknownParameter*", TC_ERROR_INVALID_PARAMETER },
  { "InvalidImageName*", TC_ERROR_INVALID_PARAMETER },
  { "InvalidInstanceId*", TC_ERROR_INVALID_PARAMETER },
};

TcErrorCode
tc_error_code_from_server (const char *server_code)
{
  if (server_code == NULL)
    return TC_ERROR_FAILED;

  for (guint i = 0; i < G_N_ELEMENTS (server_codes); i++) {
    const char *pattern = server_codes[i].code;
    gsize len = strlen (pattern);

    if (pattern[len - 1] == '*') {
      if (strncmp (server_code, pattern, len - 1) == 0)
        return server_codes[i].error;
    } else if (strcmp (server_code, pattern) == 0) {
      return server_codes[i].error;
    }
  }

  return TC_ERROR_FAILED;
}

/* Legacy codes, and the reasons a codeDesc may narrow each one to. A code that names one
 * reason decides: a reused Nonce comes as 4500 with "AuthFailure.NonceReused", which the
 * API 3.0 table would read as a bad signature. 4100 covers every credential, and 4000 and
 * 5100 cover many reasons (a taken name, the quota, the instance state): there the
 * codeDesc says which. */
#define REASON(error) (G_GUINT64_CONSTANT (1) << (error))
#define ANY_REASON    G_MAXUINT64

static const struct {
  gint64       code;
  TcErrorCode  error;
  guint64      narrowed_to;
} legacy_codes[] = {
  { 4000, TC_ERROR_INVALID_PARAMETER, ANY_REASON },
  { 4100, TC_ERROR_AUTH_SIGNATURE, REASON (TC_ERROR_AUTH_SECRET_ID) | REASON (TC_ERROR_AUTH_TOKEN) },
  { 4101, TC_ERROR_UNAUTHORIZED, 0 },
  { 4102, TC_ERROR_UNAUTHORIZED, 0 },
  { 4103, TC_ERROR_UNAUTHORIZED, 0 },
  { 4104, TC_ERROR_AUTH_SECRET_ID, 0 },
  { 4200, TC_ERROR_CLOCK_SKEW, 0 },
  { 4300, TC_ERROR_UNAUTHORIZED, 0 },
  { 4400, TC_ERROR_RATE_LIMITED, 0 },
  { 4500, TC_ERROR_CLOCK_SKEW, 0 },
  { 5000, TC_ERROR_NOT_FOUND, 0 },
  { 5100, TC_ERROR_FAILED, ANY_REASON },
  { 6000, TC_ERROR_SERVER, 0 },
  { 6100, TC_ERROR_UNSUPPORTED, 0 },
  { 6200, TC_ERROR_UNAVAILABLE, 0 },
};

G_STATIC_ASSERT (TC_ERROR_NO_ANSWER < 64);

static guint
legacy_index (gint64 code)
{
  for (guint i = 0; i < G_N_ELEMENTS (legacy_codes); i++)
    if (legacy_codes[i].code == code)
      return i;
  return G_MAXUINT;
}

TcErrorCode
tc_error_code_from_legacy (gint64 code)
{
  guint i = legacy_index (code);

  return i != G_MAXUINT ? legacy_codes[i].error : TC_ERROR_FAILED;
}

/**
 * tc_error_describe:
 * @code: a #TcErrorCode
 *
 * Returns: (transfer none): one translated line saying what happened and what to do
 */
const char *
tc_error_describe (TcErrorCode code)
{
  switch (code) {
  case TC_ERROR_NETWORK:
    return _("Could not reach Tencent Cloud. Check your internet connection and the endpoint, then try again.");
  case TC_ERROR_TIMEOUT:
    return _("Tencent Cloud did not answer in time. Try again in a moment.");
  case TC_ERROR_TLS:
    return _("The secure connection could not be verified. Check the endpoint address and your network.");
  case TC_ERROR_HTTP_STATUS:
    return _("The server refused the request with an unexpected HTTP status. Try again later.");
  case TC_ERROR_MALFORMED_RESPONSE:
    return _("The server sent an answer Imprint cannot read. Check the endpoint, then try again.");
  case TC_ERROR_RESPONSE_TOO_LARGE:
    return _("The server sent far more data than expected, so the answer was dropped. Check the endpoint.");
  case TC_ERROR_AUTH_SIGNATURE:
    return _("The SecretKey does not match the SecretId. Check the SecretKey in the account settings.");
  case TC_ERROR_AUTH_SECRET_ID:
    return _("The SecretId is wrong or has been disabled. Check it in the account settings.");
  case TC_ERROR_AUTH_TOKEN:
    return _("The session token is invalid or has expired. Get new temporary credentials.");
  case TC_ERROR_CLOCK_SKEW:
    /* API 3.0 allows five minutes, the legacy API two hours: the clock is what to fix. */
    return _("This computer's clock is off. Set the correct time and try again.");
  case TC_ERROR_UNAUTHORIZED:
    return _("These keys are not allowed to do this. Ask the account owner to grant the CVM permissions.");
  case TC_ERROR_RATE_LIMITED:
    return _("Too many requests were sent. Wait a few seconds and try again.");
  case TC_ERROR_QUOTA:
    return _("The custom image quota for this region is used up. Delete an unused custom image first.");
  case TC_ERROR_NAME_TAKEN:
    return _("A custom image with this name already exists in this region. Choose another name.");
  case TC_ERROR_INVALID_PARAMETER:
    return _("Tencent Cloud refused a value in the request. Check the fields and try again.");
  case TC_ERROR_NOT_FOUND:
    return _("The instance or image no longer exists. Refresh the list and choose again.");
  case TC_ERROR_INSTANCE_STATE:
    return _("The instance is not in a state that allows imaging. Stop it, or select “Shut down before imaging”.");
  case TC_ERROR_BUSY:
    return _("Another operation is running on this instance. Wait for it to finish and try again.");
  case TC_ERROR_INSUFFICIENT_BALANCE:
    return _("The account balance is insufficient. Top up the account and try again.");
  case TC_ERROR_UNSUPPORTED:
    return _("This endpoint does not offer this action or region. Check the endpoint and region.");
  case TC_ERROR_SERVER:
    return _("Tencent Cloud had an internal error. Try again in a moment.");
  case TC_ERROR_UNAVAILABLE:
    return _("The service is temporarily unavailable. Try again in a moment.");
  case TC_ERROR_BAD_ENDPOINT:
    return _("The endpoint must be an https:// address (http:// only for this computer).");
  case TC_ERROR_IMAGE_STATE:
    return _("The image cannot be changed in its current state. If it is still being created, copied or imported, wait until it is ready and try again.");
  case TC_ERROR_IMAGE_SHARED:
    return _("The image is shared with other accounts. Stop sharing it in the Tencent Cloud console, then delete it.");
  case TC_ERROR_IMAGE_TOO_LARGE:
    return _("The image is too large to be copied to another region.");
  case TC_ERROR_REGION:
    return _("The image cannot be copied to one of the chosen regions. Choose other regions and try again.");
  case TC_ERROR_IMAGE_ENCRYPTED:
    return _("Encrypted images cannot be copied to other regions.");
  case TC_ERROR_NO_ANSWER:
    return _("The request was sent, but no answer came back, so it may have been carried out. Check before sending it again.");
  case TC_ERROR_FAILED:
  default:
    return _("The request failed. See the details for the server's explanation.");
  }
}

void
tc_error_set_server_details (GError     *error,
                             const char *server_code,
                             const char *server_message,
                             const char *request_id,
                             guint       http_status)
{
  TcErrorPrivate *priv;

  g_return_if_fail (error != NULL && error->domain == TC_ERROR);

  priv = tc_error_get_private (error);
  g_free (priv->server_code);
  priv->server_code = g_strdup (server_code);
  g_free (priv->server_message);
  priv->server_message = g_strdup (server_message);
  g_free (priv->request_id);
  priv->request_id = g_strdup (request_id);
  priv->http_status = http_status;
}

/**
 * tc_error_new_server:
 *
 * Builds the error for an API 3.0 `Response.Error`, keeping the raw details.
 *
 * Returns: (transfer full): a new #GError in %TC_ERROR
 */
GError *
tc_error_new_server (const char *server_code,
                     const char *server_message,
                     const char *request_id,
                     guint       http_status)
{
  TcErrorCode code = tc_error_code_from_server (server_code);
  GError *error = g_error_new_literal (TC_ERROR, code, tc_error_describe (code));

  tc_error_set_server_details (error, server_code, server_message, request_id, http_status);
  return error;
}

/**
 * tc_error_new_legacy:
 *
 * Builds the error for a legacy API 2.0 envelope whose `code` is not 0. The numeric code
 * decides where it names one reason; where it is coarse (5100 covers a taken name, the quota
 * and the instance state alike), the envelope's `codeDesc`, named the way API 3.0 does,
 * says which.
 *
 * Returns: (transfer full): a new #GError in %TC_ERROR
 */
GError *
tc_error_new_legacy (gint64      code,
                     const char *code_desc,
                     const char *server_message,
                     const char *request_id,
                     guint       http_status)
{
  TcErrorCode from_desc = tc_error_code_from_server (code_desc);
  guint i = legacy_index (code);
  TcErrorCode error_code = i != G_MAXUINT ? legacy_codes[i].error : TC_ERROR_FAILED;
  guint64 narrowed_to = i != G_MAXUINT ? legacy_codes[i].narrowed_to : ANY_REASON;
  g_autofree char *code_str = NULL;
  GError *error;

  if (from_desc != TC_ERROR_FAILED && (narrowed_to & REASON (from_desc)) != 0)
    error_code = from_desc;

  code_str = g_strdup_printf ("%" G_GINT64_FORMAT, code);
  error = g_error_new_literal (TC_ERROR, error_code, tc_error_describe (error_code));

  tc_error_set_server_details (error, code_str, server_message, request_id, http_status);
  return error;
}

const char *
tc_error_get_server_code (const GError *error)
{
  if (error == NULL || error->domain != TC_ERROR)
    return NULL;
  return tc_error_get_private (error)->server_code;
}

const char *
tc_error_get_server_message (const GError *error)
{
  if (error == NULL || error->domain != TC_ERROR)
    return NULL;
  return tc_error_get_private (error)->server_message;
}

const char *
tc_error_get_request_id (const GError *error)
{
  if (error == NULL || error->domain != TC_ERROR)
    return NULL;
  return tc_error_get_private (error)->request_id;
}

guint
tc_error_get_http_status (const GError *error)
{
  if (error == NULL || error->domain != TC_ERROR)
    return 0;
  return tc_error_get_private (error)->http_status;
}

/**
 * tc_error_is_retryable:
 *
 * Whether a read call that failed with @error is worth sending again: network trouble,
 * rate limiting, internal errors and HTTP 5xx. Authentication, validation and anything
 * the user must fix are not.
 */
gboolean
tc_error_is_retryable (const GError *error)
{
  if (error == NULL || error->domain != TC_ERROR)
    return FALSE;

  switch ((TcErrorCode) error->code) {
  case TC_ERROR_NETWORK:
  case TC_ERROR_TIMEOUT:
  case TC_ERROR_RATE_LIMITED:
  case TC_ERROR_SERVER:
  case TC_ERROR_UNAVAILABLE:
    return TRUE;
  case TC_ERROR_HTTP_STATUS:
  case TC_ERROR_MALFORMED_RESPONSE:
    return tc_error_get_http_status (error) >= 500;
  default:
    return FALSE;
  }
}

char *
tc_error_dup_details (const GError *error)
{
  const char *code = tc_error_get_server_code (error);
  const char *request_id = tc_error_get_request_id (error);
  guint status = tc_error_get_http_status (error);
  GString *details = g_string_new (NULL);

  if (code != NULL && *code != '\0')
    /* Translators: %s is the server's error code, e.g. InternalError. */
    g_string_append_printf (details, _("Code: %s"), code);
  else if (status != 0 && status != 200)
    /* Translators: %u is an HTTP status code, e.g. 503. */
    g_string_append_printf (details, _("HTTP status: %u"), status);

  if (request_id != NULL && *request_id != '\0') {
    if (details->len > 0)
      g_string_append_c (details, '\n');
    /* Translators: %s is the RequestId the server gave the failed call. */
    g_string_append_printf (details, _("Request ID: %s"), request_id);
  }
  return g_string_free (details, details->len == 0);
}
