/* tc-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One call is: wait for its turn under the action's rate limit (tc-pacer.c), build and
 * sign a message for the protocol in use (tc-client-request.c), send it, read the body while counting bytes,
 * read the envelope. The whole call runs under one deadline and one cancellable.
 *
 * Reads and writes travel differently, and `write_actions` below is the one place that
 * says which is which:
 *
 *  - A read is flagged SOUP_MESSAGE_IDEMPOTENT, so libsoup reuses one kept-alive connection
 *    for it, as Tencent's SDKs do (libsoup 3 opens a new connection for every POST
 *    otherwise). libsoup 3.2 itself never resends a POST that met a kept-alive connection
 *    the server had closed (request_is_restartable() in soup-client-message-io-http1.c
 *    checks the method, not the flag), so such a read fails as a network error and our
 *    retry sends it again, newly signed, after an exponential back-off with jitter.
 *  - A write (CreateImage, …) is sent exactly once: flagged SOUP_MESSAGE_NEW_CONNECTION, it
 *    rides a connection of its own that has never carried anything, so it cannot meet a
 *    connection that died while idle, and libsoup has nothing to resend; and we never
 *    retry it.
 *
 * Every message is flagged SOUP_MESSAGE_NO_REDIRECT: the API never redirects, and a 3xx is
 * an error that names where it pointed. Nothing, least of all the signed headers and the
 * session token, is ever sent to the host a redirect names.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tc-client.h"
#include "tc-client-private.h"
#include "tc-client-request.h"
#include "tc-envelope.h"
#include "tc-error.h"
#include "tc-pacer.h"

#define IO_TIMEOUT_SECONDS      20
#define DEFAULT_DEADLINE        60
#define DEFAULT_MAX_ATTEMPTS    4
#define DEFAULT_BASE_DELAY_MS   500
#define MAX_DELAY_MS            10000
#define READ_CHUNK              65536
#define MAX_LOCATION_SHOWN      256

/* The actions that change something in the cloud. Everything else is a read. */
static const char * const write_actions[] = {
  "CreateImage",
  "DeleteImages",
  "SyncImages",
};

struct _TcClient
{
  GObject         parent_instance;

  SoupSession    *session;
  TcPacer        *pacer;
  TcRegionCache  *region_cache;
  TcProtocol      protocol;
  TcCredentials  *credentials;
  GUri           *endpoint;
  char           *endpoint_string;
  GUri           *legacy_cvm_endpoint;
  GUri           *legacy_image_endpoint;
  char           *language;
  guint           deadline;
  guint           max_attempts;
  guint           base_delay_ms;
};

G_DEFINE_FINAL_TYPE (TcClient, tc_client, G_TYPE_OBJECT)

/**
 * tc_client_new_session:
 *
 * The one HTTP session the application shares: a user agent naming Imprint, an explicit
 * I/O timeout (libsoup's default is none) and enough connections per host for the
 * instance pages in flight (TC_CVM_CONCURRENCY) beside the tracker and the pre-flight
 * checks. Certificates are always verified.
 *
 * Returns: (transfer full): a new #SoupSession
 */
SoupSession *
tc_client_new_session (void)
{
  /* The trailing space asks libsoup to append its own product token. */
  return soup_session_new_with_options ("user-agent", "Imprint/" PACKAGE_VERSION " ",
                                        "timeout", IO_TIMEOUT_SECONDS,
                                        "idle-timeout", 60,
                                        "max-conns", 32,
                                        "max-conns-per-host", 16,
                                        NULL);
}

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static GUri *
parse_endpoint (const char  *url,
                GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (url != NULL)
    uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0') {
    g_set_error_literal (error, TC_ERROR, TC_ERROR_BAD_ENDPOINT,
                         _("The endpoint is not a valid web address. Use the form https://cvm.tencentcloudapi.com/."));
    return NULL;
  }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 &&
      !(g_ascii_strcasecmp (scheme, "http") == 0 && host_is_loopback (g_uri_get_host (uri)))) {
    g_set_error_literal (error, TC_ERROR, TC_ERROR_BAD_ENDPOINT,
                         _("The endpoint must start with https://. Plain http:// is only allowed for this computer (localhost)."));
    return NULL;
  }

  if (g_uri_get_user (uri) != NULL || g_uri_get_fragment (uri) != NULL) {
    g_set_error_literal (error, TC_ERROR, TC_ERROR_BAD_ENDPOINT,
                         _("The endpoint must not contain a user name or a “#” part."));
    return NULL;
  }

  /* "https://host" means "https://host/": the path that is signed must be the one sent. */
  if (*g_uri_get_path (uri) == '\0') {
    GUri *rooted = g_uri_build (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL,
                                g_uri_get_host (uri), g_uri_get_port (uri), "/",
                                g_uri_get_query (uri), NULL);

    g_uri_unref (uri);
    uri = rooted;
  }

  return g_steal_pointer (&uri);
}

/**
 * tc_endpoint_validate:
 *
 * Whether @url can be used as an endpoint: an `https://` address, or `http://` to a
 * loopback host.
 */
gboolean
tc_endpoint_validate (const char  *url,
                      GError     **error)
{
  g_autoptr(GUri) uri = parse_endpoint (url, error);

  return uri != NULL;
}

/**
 * tc_language_for_locale:
 *
 * Returns: (transfer none): `zh-CN` when the UI speaks Chinese, otherwise `en-US`
 */
const char *
tc_language_for_locale (void)
{
  const char * const *names = g_get_language_names ();

  if (names != NULL && names[0] != NULL && g_str_has_prefix (names[0], "zh"))
    return "zh-CN";
  return "en-US";
}

static void
tc_client_finalize (GObject *object)
{
  TcClient *self = TC_CLIENT (object);

  g_clear_object (&self->session);
  g_clear_object (&self->pacer);
  g_clear_object (&self->region_cache);
  g_clear_pointer (&self->credentials, tc_credentials_unref);
  g_clear_pointer (&self->endpoint, g_uri_unref);
  g_clear_pointer (&self->endpoint_string, g_free);
  g_clear_pointer (&self->legacy_cvm_endpoint, g_uri_unref);
  g_clear_pointer (&self->legacy_image_endpoint, g_uri_unref);
  g_clear_pointer (&self->language, g_free);

  G_OBJECT_CLASS (tc_client_parent_class)->finalize (object);
}

static void
tc_client_class_init (TcClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tc_client_finalize;
}

static void
tc_client_init (TcClient *self)
{
  self->endpoint = g_uri_parse (TC_API3_DEFAULT_ENDPOINT, G_URI_FLAGS_NONE, NULL);
  self->legacy_cvm_endpoint = g_uri_parse (TC_LEGACY_DEFAULT_CVM_ENDPOINT, G_URI_FLAGS_NONE, NULL);
  self->legacy_image_endpoint = g_uri_parse (TC_LEGACY_DEFAULT_IMAGE_ENDPOINT, G_URI_FLAGS_NONE, NULL);
  self->language = g_strdup (tc_language_for_locale ());
  self->deadline = DEFAULT_DEADLINE;
  self->max_attempts = DEFAULT_MAX_ATTEMPTS;
  self->base_delay_ms = DEFAULT_BASE_DELAY_MS;
}

/**
 * tc_client_new:
 * @session: (nullable): the application's session, or %NULL for a new one
 *
 * The client paces itself with a pacer of its own until tc_client_set_pacer() gives it
 * the one the application shares; the same goes for its region cache and
 * tc_client_set_region_cache().
 *
 * Returns: (transfer full): a client for one account
 */
TcClient *
tc_client_new (SoupSession   *session,
               TcProtocol     protocol,
               TcCredentials *credentials)
{
  TcClient *self = g_object_new (TC_TYPE_CLIENT, NULL);

  g_return_val_if_fail (credentials != NULL, NULL);

  self->session = session ? g_object_ref (session) : tc_client_new_session ();
  self->pacer = tc_pacer_new ();
  self->region_cache = tc_region_cache_new ();
  self->protocol = protocol;
  self->credentials = tc_credentials_ref (credentials);
  return self;
}

TcProtocol
tc_client_get_protocol (TcClient *self)
{
  return self->protocol;
}

TcCredentials *
tc_client_get_credentials (TcClient *self)
{
  return self->credentials;
}

/**
 * tc_client_set_pacer:
 * @pacer: (nullable): the pacer every client of the application shares, or %NULL for one
 *   of this client's own
 */
void
tc_client_set_pacer (TcClient *self,
                     TcPacer  *pacer)
{
  g_return_if_fail (TC_IS_CLIENT (self));
  g_return_if_fail (pacer == NULL || TC_IS_PACER (pacer));

  g_clear_object (&self->pacer);
  self->pacer = pacer != NULL ? g_object_ref (pacer) : tc_pacer_new ();
}

/**
 * tc_client_get_pacer:
 *
 * Returns: (transfer none): the pacer the client's requests wait for
 */
TcPacer *
tc_client_get_pacer (TcClient *self)
{
  return self->pacer;
}

/**
 * tc_client_set_region_cache:
 * @cache: (nullable): a cache shared with other clients (the application's), or %NULL for
 *   one of this client's own
 *
 * Where tc_cvm_describe_regions_async() keeps the regions it was given, per account.
 */
void
tc_client_set_region_cache (TcClient      *self,
                            TcRegionCache *cache)
{
  g_return_if_fail (TC_IS_CLIENT (self));
  g_return_if_fail (cache == NULL || TC_IS_REGION_CACHE (cache));

  g_clear_object (&self->region_cache);
  self->region_cache = cache != NULL ? g_object_ref (cache) : tc_region_cache_new ();
}

/**
 * tc_client_get_region_cache:
 *
 * Returns: (transfer none): the client's region cache
 */
TcRegionCache *
tc_client_get_region_cache (TcClient *self)
{
  g_return_val_if_fail (TC_IS_CLIENT (self), NULL);

  return self->region_cache;
}

/**
 * tc_client_get_endpoint:
 *
 * Returns: (transfer none): the API 3.0 endpoint, as a string
 */
const char *
tc_client_get_endpoint (TcClient *self)
{
  g_free (self->endpoint_string);
  self->endpoint_string = g_uri_to_string (self->endpoint);
  return self->endpoint_string;
}

gboolean
tc_client_set_endpoint (TcClient    *self,
                        const char  *url,
                        GError     **error)
{
  GUri *uri = parse_endpoint (url, error);

  if (uri == NULL)
    return FALSE;

  g_clear_pointer (&self->endpoint, g_uri_unref);
  self->endpoint = uri;
  return TRUE;
}

gboolean
tc_client_set_legacy_endpoints (TcClient    *self,
                                const char  *cvm_url,
                                const char  *image_url,
                                GError     **error)
{
  g_autoptr(GUri) cvm = parse_endpoint (cvm_url, error);
  g_autoptr(GUri) image = NULL;

  if (cvm == NULL)
    return FALSE;
  if ((image = parse_endpoint (image_url, error)) == NULL)
    return FALSE;

  g_clear_pointer (&self->legacy_cvm_endpoint, g_uri_unref);
  g_clear_pointer (&self->legacy_image_endpoint, g_uri_unref);
  self->legacy_cvm_endpoint = g_steal_pointer (&cvm);
  self->legacy_image_endpoint = g_steal_pointer (&image);
  return TRUE;
}

const char *
tc_client_get_language (TcClient *self)
{
  return self->language;
}

void
tc_client_set_language (TcClient   *self,
                        const char *language)
{
  g_free (self->language);
  self->language = g_strdup (language);
}

void
tc_client_set_deadline (TcClient *self,
                        guint     seconds)
{
  self->deadline = MAX (seconds, 1);
}

void
tc_client_set_retry (TcClient *self,
                     guint     max_attempts,
                     guint     base_delay_ms)
{
  self->max_attempts = MAX (max_attempts, 1);
  self->base_delay_ms = base_delay_ms;
}

static gboolean
is_write_action (const char *action)
{
  for (gsize i = 0; i < G_N_ELEMENTS (write_actions); i++) {
    if (g_str_equal (write_actions[i], action))
      return TRUE;
  }
  return FALSE;
}

typedef struct {
  char          *action;
  char          *region;
  JsonObject    *params;
  gboolean       write;           /* one of write_actions: sent once, never retried */
  gboolean       acts;            /* a write that is not a dry run: it changes something */
  gboolean       sent;            /* such a write went out whole: the server may have acted */
  gboolean       retry;
  guint          attempt;
  gint64         deadline_at;
  GCancellable  *cancellable;     /* ours: cancelled by the caller's or by the deadline */
  GCancellable  *caller_cancellable;
  gulong         caller_handler;
  guint          deadline_id;
  guint          wait_id;         /* a back-off before a retry, or the pacer's turn */
  gboolean       deadline_hit;
  gboolean       done;
  SoupMessage   *msg;
  GInputStream  *stream;
  GByteArray    *body;           /* its length is what is allocated, */
  gsize          filled;          /* this much of it holds the answer */
} CallData;

static void
call_data_free (CallData *data)
{
  g_clear_handle_id (&data->deadline_id, g_source_remove);
  g_clear_handle_id (&data->wait_id, g_source_remove);
  if (data->caller_handler != 0)
    g_cancellable_disconnect (data->caller_cancellable, data->caller_handler);
  g_clear_object (&data->caller_cancellable);
  g_clear_object (&data->cancellable);
  g_clear_object (&data->msg);
  g_clear_object (&data->stream);
  g_clear_pointer (&data->body, g_byte_array_unref);
  g_clear_pointer (&data->params, json_object_unref);
  g_free (data->action);
  g_free (data->region);
  g_free (data);
}

static void start_attempt (GTask *task);

static GError *
new_error (TcErrorCode  code,
           const char  *detail,
           guint        http_status)
{
  GError *error = g_error_new_literal (TC_ERROR, code, tc_error_describe (code));

  tc_error_set_server_details (error, NULL, detail, NULL, http_status);
  return error;
}

/* Turns what GIO or libsoup reported into what the user should be told. */
static GError *
map_transport_error (CallData *data,
                     GError   *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    if (data->deadline_hit)
      return new_error (TC_ERROR_TIMEOUT, _("The request took longer than allowed."), 0);
    return g_error_copy (error);
  }
  if (error->domain == TC_ERROR)
    return g_error_copy (error);
  if (error->domain == G_TLS_ERROR)
    return new_error (TC_ERROR_TLS, error->message, 0);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return new_error (TC_ERROR_TIMEOUT, error->message, 0);
  if (error->domain == SOUP_SESSION_ERROR &&
      (error->code == SOUP_SESSION_ERROR_PARSING || error->code == SOUP_SESSION_ERROR_ENCODING))
    return new_error (TC_ERROR_MALFORMED_RESPONSE, error->message, 0);
  /* Everything else is the network: DNS, refused, reset, closed early, unreachable. */
  return new_error (TC_ERROR_NETWORK, error->message, 0);
}

/* Ends the call with @error or @result, and drops the reference the call held on @task.
 * A write that went out whole and got no readable answer may have been carried out: it
 * fails with TC_ERROR_NO_ANSWER, never with advice to try again. */
static void
complete (GTask    *task,
          GError   *error,
          TcAnswer *result)
{
  g_autoptr(GTask) owned = task;
  CallData *data = g_task_get_task_data (task);

  g_assert (!data->done);
  data->done = TRUE;

  if (data->sent &&
      (g_error_matches (error, TC_ERROR, TC_ERROR_TIMEOUT) ||
       g_error_matches (error, TC_ERROR, TC_ERROR_NETWORK) ||
       g_error_matches (error, TC_ERROR, TC_ERROR_MALFORMED_RESPONSE))) {
    GError *unanswered = new_error (TC_ERROR_NO_ANSWER, tc_error_get_server_message (error),
                                    tc_error_get_http_status (error));

    g_error_free (error);
    error = unanswered;
  }

  g_clear_handle_id (&data->deadline_id, g_source_remove);
  g_clear_handle_id (&data->wait_id, g_source_remove);

  if (error != NULL) {
    g_debug ("%s (%s) failed after %u attempt(s): %s [%s]", data->action,
             data->region ? data->region : "-", data->attempt, error->message,
             tc_error_get_server_code (error) ? tc_error_get_server_code (error) : "");
    g_task_return_error (task, error);
  } else {
    g_debug ("%s (%s) succeeded after %u attempt(s)", data->action,
             data->region ? data->region : "-", data->attempt);
    g_task_return_pointer (task, result, (GDestroyNotify) tc_answer_free);
  }
}

/* Ends the call because our cancellable fired: as cancelled, or as timed out when the
 * deadline fired it. */
static void
complete_cancelled (GTask *task)
{
  CallData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  g_cancellable_set_error_if_cancelled (data->cancellable, &error);
  complete (task, map_transport_error (data, error), NULL);
}

static gboolean
retry_cb (gpointer user_data)
{
  GTask *task = user_data;
  CallData *data = g_task_get_task_data (task);

  data->wait_id = 0;
  start_attempt (task);
  return G_SOURCE_REMOVE;
}

static void
attempt_failed (GTask  *task,
                GError *error)
{
  TcClient *self = g_task_get_source_object (task);
  CallData *data = g_task_get_task_data (task);
  guint delay_ms;
  gint64 now = g_get_monotonic_time ();

  g_clear_object (&data->msg);
  g_clear_object (&data->stream);

  if (!data->retry || !tc_error_is_retryable (error) ||
      data->attempt >= self->max_attempts || g_cancellable_is_cancelled (data->cancellable)) {
    complete (task, error, NULL);
    return;
  }

  /* Exponential back-off with jitter: somewhere between half and all of base × 2^n. */
  delay_ms = MIN ((guint64) self->base_delay_ms << (data->attempt - 1), MAX_DELAY_MS);
  delay_ms = delay_ms / 2 + g_random_int_range (0, delay_ms / 2 + 1);

  if (now + (gint64) delay_ms * 1000 >= data->deadline_at) {
    complete (task, error, NULL);
    return;
  }

  g_debug ("%s: attempt %u failed (%s), retrying in %u ms", data->action, data->attempt,
           error->message, delay_ms);
  g_error_free (error);
  data->wait_id = g_timeout_add (delay_ms, retry_cb, task);
}

static void
finish_body (GTask *task)
{
  TcClient *self = g_task_get_source_object (task);
  CallData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) body = g_byte_array_free_to_bytes (g_steal_pointer (&data->body));
  SoupMessageHeaders *headers = soup_message_get_response_headers (data->msg);
  guint status = soup_message_get_status (data->msg);
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  goffset promised = soup_message_headers_get_content_length (headers);
  GError *error = NULL;
  TcAnswer *result;

  /* libsoup takes an early close as the end of a "Connection: close" answer even when
   * Content-Length promised more; that is a connection cut short, not a short answer.
   * (With Content-Encoding the length counts encoded bytes, so it cannot be compared.) */
  if (promised > 0 && (goffset) g_bytes_get_size (body) < promised &&
      soup_message_headers_get_one (headers, "Content-Encoding") == NULL) {
    attempt_failed (task, new_error (TC_ERROR_NETWORK, _("The connection closed before the whole answer arrived."), status));
    return;
  }

  result = tc_envelope_read (self->protocol, body, status, content_type, &error);
  if (result == NULL) {
    attempt_failed (task, error);
    return;
  }

  complete (task, NULL, result);
}

static void read_cb (GObject *object, GAsyncResult *result, gpointer user_data);

/* Reads on, straight into the body: into the room left, or into twice the room when it is
 * full, but never past one byte more than the cap. */
static void
read_more (GTask *task)
{
  CallData *data = g_task_get_task_data (task);

  if (data->filled == data->body->len)
    g_byte_array_set_size (data->body, (guint) MIN (MAX ((gsize) READ_CHUNK, data->filled * 2),
                                                    TC_MAX_BODY_SIZE + 1));
  g_input_stream_read_async (data->stream, data->body->data + data->filled,
                             data->body->len - data->filled, G_PRIORITY_DEFAULT,
                             data->cancellable, read_cb, task);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  CallData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);

  if (n < 0) {
    attempt_failed (task, map_transport_error (data, error));
    return;
  }

  if (n == 0) {
    g_byte_array_set_size (data->body, (guint) data->filled);
    finish_body (task);
    return;
  }

  /* The cap is enforced while reading: an endless body is never held in memory. */
  data->filled += (gsize) n;
  if (data->filled > TC_MAX_BODY_SIZE) {
    g_autofree char *detail = g_strdup_printf (_("The answer was larger than %zu bytes."),
                                               TC_MAX_BODY_SIZE);

    attempt_failed (task, new_error (TC_ERROR_RESPONSE_TOO_LARGE, detail,
                                     soup_message_get_status (data->msg)));
    return;
  }

  read_more (task);
}

/* A 3xx: an error that says where it pointed, the one thing the user can check. The
 * Location is the server's text, shown as plain text and cut short. */
static GError *
redirect_error (SoupMessage *msg)
{
  const char *location = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                       "Location");
  guint status = soup_message_get_status (msg);
  g_autofree char *shown = NULL;
  GError *error;

  if (location == NULL || *location == '\0') {
    error = g_error_new (TC_ERROR, TC_ERROR_BAD_ENDPOINT,
                         _("The endpoint answered with a redirect (HTTP %u) instead of an answer. "
                           "Imprint does not follow redirects. Check the endpoint address."),
                         status);
    tc_error_set_server_details (error, NULL, NULL, NULL, status);
    return error;
  }

  shown = g_utf8_make_valid (location, -1);
  if (g_utf8_strlen (shown, -1) > MAX_LOCATION_SHOWN) {
    g_autofree char *cut = g_utf8_substring (shown, 0, MAX_LOCATION_SHOWN);

    g_free (shown);
    shown = g_strconcat (cut, "…", NULL);
  }

  error = g_error_new (TC_ERROR, TC_ERROR_BAD_ENDPOINT,
                       _("The endpoint redirected the request to “%s” (HTTP %u). Imprint does not "
                         "follow redirects, so nothing was sent there. Check the endpoint address."),
                       shown, status);
  tc_error_set_server_details (error, NULL, shown, NULL, status);
  return error;
}

static void
wrote_body_cb (SoupMessage *msg,
               GTask       *task)
{
  CallData *data = g_task_get_task_data (task);

  data->sent = data->acts;
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  CallData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  goffset length;

  data->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (data->stream == NULL) {
    attempt_failed (task, map_transport_error (data, error));
    return;
  }

  if (SOUP_STATUS_IS_REDIRECTION (soup_message_get_status (data->msg))) {
    attempt_failed (task, redirect_error (data->msg));
    return;
  }

  length = soup_message_headers_get_content_length (soup_message_get_response_headers (data->msg));
  if (length > 0 && (guint64) length > TC_MAX_BODY_SIZE) {
    g_autofree char *detail = g_strdup_printf (_("The answer was larger than %zu bytes."),
                                               TC_MAX_BODY_SIZE);

    attempt_failed (task, new_error (TC_ERROR_RESPONSE_TOO_LARGE, detail,
                                     soup_message_get_status (data->msg)));
    return;
  }

  /* Room for the whole answer when its length is known (and one byte more, to see the
   * end without growing), so it is read without copying. */
  data->body = g_byte_array_new ();
  g_byte_array_set_size (data->body, length > 0 ? (guint) length + 1 : READ_CHUNK);
  data->filled = 0;
  read_more (task);
}

/* Signs and sends one attempt, now that it is its turn: the signature's timestamp is the
 * time it really leaves. */
static void
send_attempt (GTask *task)
{
  TcClient *self = g_task_get_source_object (task);
  CallData *data = g_task_get_task_data (task);

  if (g_cancellable_is_cancelled (data->cancellable)) {
    complete_cancelled (task);
    return;
  }

  data->attempt++;
  data->msg = tc_client_request_build (self->protocol, &(TcRequestTarget) {
                                         .endpoint = self->endpoint,
                                         .legacy_cvm_endpoint = self->legacy_cvm_endpoint,
                                         .legacy_image_endpoint = self->legacy_image_endpoint,
                                         .credentials = self->credentials,
                                         .language = self->language,
                                       }, data->action, data->region, data->params);

  soup_message_add_flags (data->msg, SOUP_MESSAGE_NO_REDIRECT |
                          (data->write ? SOUP_MESSAGE_NEW_CONNECTION : SOUP_MESSAGE_IDEMPOTENT));
  g_signal_connect_object (data->msg, "wrote-body", G_CALLBACK (wrote_body_cb), task, 0);

  g_debug ("%s (%s): attempt %u", data->action, data->region ? data->region : "-", data->attempt);
  soup_session_send_async (self->session, data->msg, G_PRIORITY_DEFAULT, data->cancellable,
                           send_cb, task);
}

static gboolean
turn_cb (gpointer user_data)
{
  GTask *task = user_data;
  CallData *data = g_task_get_task_data (task);

  data->wait_id = 0;
  send_attempt (task);
  return G_SOURCE_REMOVE;
}

/* Every attempt, a retry included, is a request that counts against the rate limit. */
static void
start_attempt (GTask *task)
{
  TcClient *self = g_task_get_source_object (task);
  CallData *data = g_task_get_task_data (task);
  gint64 now = g_get_monotonic_time ();
  gint64 at;

  if (g_cancellable_is_cancelled (data->cancellable)) {
    complete_cancelled (task);
    return;
  }

  at = tc_pacer_reserve (self->pacer, data->action, data->region,
                         tc_credentials_get_secret_id (self->credentials), now);
  if (at <= now) {
    send_attempt (task);
    return;
  }

  /* A GLib timeout never fires early; rounding up keeps it so. */
  data->wait_id = g_timeout_add ((guint) ((at - now + 999) / 1000), turn_cb, task);
}

static gboolean
deadline_cb (gpointer user_data)
{
  GTask *task = user_data;
  CallData *data = g_task_get_task_data (task);

  data->deadline_id = 0;
  data->deadline_hit = TRUE;
  g_cancellable_cancel (data->cancellable);
  return G_SOURCE_REMOVE;
}

static gboolean
end_wait_cb (gpointer user_data)
{
  complete_cancelled (user_data);
  return G_SOURCE_REMOVE;
}

/* The caller's cancellable and the deadline both end the call through our own cancellable;
 * while waiting (to retry, or for its turn) there is no I/O to notice it, so end the wait
 * here. The call is
 * completed from an idle: finishing inside the "cancelled" emission would free the data
 * that the emission is still using. */
static void
cancelled_cb (GCancellable *cancellable,
              GTask        *task)
{
  CallData *data = g_task_get_task_data (task);

  if (data->wait_id != 0) {
    g_clear_handle_id (&data->wait_id, g_source_remove);
    g_idle_add (end_wait_cb, task);
  }
}

static void
caller_cancelled_cb (GCancellable *caller,
                     GCancellable *ours)
{
  g_cancellable_cancel (ours);
}

/**
 * tc_client_call_async:
 * @region: (nullable): the region, for regional actions
 * @params: the action's parameters; for the legacy protocol they are flattened to
 *   `name.0`-style fields
 * @flags: %TC_CALL_RETRY to send a read again after a transient failure; a write is
 *   never sent twice, whatever @flags say
 *
 * Sends one action, when the action's rate limit allows. The result is what the answer
 * carried, already read into models (tc-answer.h).
 */
void
tc_client_call_async (TcClient            *self,
                      const char          *action,
                      const char          *region,
                      JsonObject          *params,
                      TcCallFlags          flags,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task;
  CallData *data;

  g_return_if_fail (TC_IS_CLIENT (self));
  g_return_if_fail (action != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_client_call_async);
  g_task_set_check_cancellable (task, FALSE);

  data = g_new0 (CallData, 1);
  data->action = g_strdup (action);
  data->region = g_strdup (region);
  data->params = params ? json_object_ref (params) : json_object_new ();
  data->write = is_write_action (action);
  data->acts = data->write && !(params != NULL && json_object_has_member (params, "DryRun") &&
                                json_object_get_boolean_member (params, "DryRun"));
  data->retry = (flags & TC_CALL_RETRY) != 0 && !data->write;
  data->cancellable = g_cancellable_new ();
  data->deadline_at = g_get_monotonic_time () + (gint64) self->deadline * G_USEC_PER_SEC;
  g_task_set_task_data (task, data, (GDestroyNotify) call_data_free);

  g_signal_connect (data->cancellable, "cancelled", G_CALLBACK (cancelled_cb), task);
  if (cancellable != NULL) {
    data->caller_cancellable = g_object_ref (cancellable);
    data->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                  data->cancellable, NULL);
  }
  data->deadline_id = g_timeout_add (self->deadline * 1000, deadline_cb, task);

  start_attempt (task);
}

/**
 * tc_client_call_finish:
 *
 * Returns: (transfer full): the answer, or %NULL with @error set in %TC_ERROR (or
 *   %G_IO_ERROR_CANCELLED when the caller cancelled)
 */
TcAnswer *
tc_client_call_finish (TcClient      *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_client_call_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
