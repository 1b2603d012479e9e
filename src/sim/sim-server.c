/* sim-server.c: the CVM simulator's HTTP server: it listens, dispatches and answers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One SoupServer on 127.0.0.1 in the thread-default main context. The cloud it serves
 * (accounts, fleet, images, quota, clock) is a SimCloud, the two protocols read and
 * change it (sim-api3.c, sim-legacy.c), and the faults are parsed and drawn by
 * sim-faults.c; this file is the transport in front of them. Every request goes through
 * the same steps:
 *
 *   1. the body is collected by the early handler (refused above 10 MiB);
 *   2. the protocol is chosen by path: `/v2/index.php` is legacy API 2.0 (sim-legacy.c),
 *      anything else API 3.0 (sim-api3.c, TC3 or the v1 parameter signing);
 *   3. the request is parsed just enough to know its action, and counted;
 *   4. faults are evaluated: this happens BEFORE the signature is checked, because the
 *      faults model the gateway and the network, which fail whatever the credentials;
 *      a fault that replaces the answer (rate-limit, internal-error, http-500, http-503,
 *      html, malformed-json, oversized, drop, stall) means the request is never processed
 *      and changes no state; `truncated` cuts the real answer, so its request IS processed;
 *      `image-fail` is only consulted when a CreateImage really creates an image;
 *   5. the signature is verified from the raw request and the action runs; once it is
 *      authenticated, the request is held to the documented rate limits when they are
 *      enforced (the server hands the protocol its SimLimits with the request);
 *   6. the answer is sent after the latency (`latency` property plus matching latency
 *      faults, plus any `ms=` of the fault that fired), by pausing the message and
 *      unpausing it from a timeout: nothing ever blocks the main loop.
 */
#include "config.h"

#include <string.h>

#include "sim-cloud.h"
#include "sim-faults.h"
#include "sim-gateway.h"
#include "sim-limits.h"
#include "sim-protocol.h"
#include "sim-request.h"
#include "sim-server.h"

/* Connections waiting to be accepted. GLib's default of 10 is too short for a client that
 * opens many at once: the kernel drops the rest of a burst, and each dropped connection is
 * only tried again after the one-second SYN retransmission. */
#define LISTEN_BACKLOG  512

struct _SimServer {
  GObject       parent_instance;

  guint         seed;
  guint         n_instances;
  guint         latency;

  SoupServer   *soup;
  GMainContext *context;
  guint         port;

  SimCloud     *cloud;
  SimFaults    *faults;
  GHashTable   *counts;     /* action → request count */
  guint         total_count;
  SimGateway   *gateway;    /* answers held back by latency or faults */
  SimLimits    *limits;     /* NULL unless the documented rate limits are enforced */
  guint         connections; /* connections accepted since listening began */
  GHashTable   *bodies;     /* SoupServerMessage → SimBody, collected until served */
};

static const SimProtocol protocols[] = {
  [TC_PROTOCOL_API3] = { "API 3.0", sim_api3_prepare, sim_api3_process, sim_api3_render },
  [TC_PROTOCOL_LEGACY] = { "legacy", sim_legacy_prepare, sim_legacy_process, sim_legacy_render },
};

static GQuark counted_quark;

enum {
  PROP_0,
  PROP_SEED,
  PROP_INSTANCES,
  PROP_IMAGE_DELAY,
  PROP_LATENCY,
  PROP_QUOTA,
  PROP_TIME_OFFSET,
  PROP_RATE_LIMITS,
  PROP_CONNECTIONS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_SERVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SimServer, sim_server, G_TYPE_OBJECT)

typedef struct {
  GByteArray *data;            /* NULL once the body went over the limit */
  gsize       total;
} SimBody;

static void
sim_body_free (SimBody *body)
{
  g_clear_pointer (&body->data, g_byte_array_unref);
  g_free (body);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimBody, sim_body_free)

static void body_message_gone_cb (gpointer  user_data,
                                  GObject  *msg);

/* GObject. */

static void
sim_server_dispose (GObject *object)
{
  SimServer *self = SIM_SERVER (object);

  sim_gateway_close_all (self->gateway);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);

  G_OBJECT_CLASS (sim_server_parent_class)->dispose (object);
}

static void
sim_server_finalize (GObject *object)
{
  SimServer *self = SIM_SERVER (object);
  GHashTableIter iter;
  gpointer msg, body;

  g_clear_pointer (&self->gateway, sim_gateway_free);
  /* The cloud borrows the faults. */
  g_clear_pointer (&self->cloud, sim_cloud_free);
  g_clear_pointer (&self->faults, sim_faults_free);
  g_clear_pointer (&self->counts, g_hash_table_unref);
  g_clear_pointer (&self->limits, sim_limits_free);
  g_clear_pointer (&self->context, g_main_context_unref);

  /* Messages that never reached the handler (their client left mid-body) may outlive us. */
  g_hash_table_iter_init (&iter, self->bodies);
  while (g_hash_table_iter_next (&iter, &msg, &body)) {
    g_signal_handlers_disconnect_by_data (msg, body);
    g_object_weak_unref (msg, body_message_gone_cb, self);
  }
  g_clear_pointer (&self->bodies, g_hash_table_unref);

  G_OBJECT_CLASS (sim_server_parent_class)->finalize (object);
}

static void
sim_server_constructed (GObject *object)
{
  SimServer *self = SIM_SERVER (object);

  G_OBJECT_CLASS (sim_server_parent_class)->constructed (object);

  self->faults = sim_faults_new (self->seed);
  self->cloud = sim_cloud_new (self->seed, self->n_instances,
                               SIM_DEFAULT_SECRET_ID, SIM_DEFAULT_SECRET_KEY, self->faults);
}

static void
sim_server_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  SimServer *self = SIM_SERVER (object);

  switch (prop_id) {
  case PROP_SEED:
    g_value_set_uint (value, self->seed);
    break;
  case PROP_INSTANCES:
    g_value_set_uint (value, self->n_instances);
    break;
  case PROP_IMAGE_DELAY:
    g_value_set_double (value, self->cloud->image_delay);
    break;
  case PROP_LATENCY:
    g_value_set_uint (value, self->latency);
    break;
  case PROP_QUOTA:
    g_value_set_uint (value, self->cloud->quota);
    break;
  case PROP_TIME_OFFSET:
    g_value_set_int64 (value, self->cloud->time_offset);
    break;
  case PROP_RATE_LIMITS:
    g_value_set_boolean (value, self->limits != NULL);
    break;
  case PROP_CONNECTIONS:
    g_value_set_uint (value, self->connections);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
sim_server_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  SimServer *self = SIM_SERVER (object);

  switch (prop_id) {
  case PROP_SEED:
    self->seed = g_value_get_uint (value);
    break;
  case PROP_INSTANCES:
    self->n_instances = g_value_get_uint (value);
    break;
  case PROP_IMAGE_DELAY:
    sim_server_set_image_delay (self, g_value_get_double (value));
    break;
  case PROP_LATENCY:
    sim_server_set_latency (self, g_value_get_uint (value));
    break;
  case PROP_QUOTA:
    sim_server_set_quota (self, g_value_get_uint (value));
    break;
  case PROP_TIME_OFFSET:
    sim_server_set_time_offset (self, g_value_get_int64 (value));
    break;
  case PROP_RATE_LIMITS:
    sim_server_set_rate_limits (self, g_value_get_boolean (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
sim_server_class_init (SimServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sim_server_dispose;
  object_class->finalize = sim_server_finalize;
  object_class->constructed = sim_server_constructed;
  object_class->get_property = sim_server_get_property;
  object_class->set_property = sim_server_set_property;

  properties[PROP_SEED] =
    g_param_spec_uint ("seed", NULL, NULL, 0, G_MAXUINT, 1,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INSTANCES] =
    g_param_spec_uint ("instances", NULL, NULL, 0, SIM_MAX_INSTANCES, 40,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IMAGE_DELAY] =
    g_param_spec_double ("image-delay", NULL, NULL, 0, 86400, 5,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);
  properties[PROP_LATENCY] =
    g_param_spec_uint ("latency", NULL, NULL, 0, 600000, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT |
                       G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_QUOTA] =
    g_param_spec_uint ("quota", NULL, NULL, 0, 100000, 10,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIME_OFFSET] =
    g_param_spec_int64 ("time-offset", NULL, NULL, G_MININT64 / 2, G_MAXINT64 / 2, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS);
  properties[PROP_RATE_LIMITS] =
    g_param_spec_boolean ("rate-limits", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Notified as each connection is accepted: `imprint-sim --log` prints it. */
  properties[PROP_CONNECTIONS] =
    g_param_spec_uint ("connections", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  counted_quark = g_quark_from_static_string ("sim-counted-connection");

  /**
   * SimServer::served:
   * @protocol: "API 3.0" or "legacy"
   * @action: the action asked for, or "" when none could be read
   * @language: the X-TC-Language header as received, or NULL
   * @outcome: "OK", the error code answered, or "fault KIND" for an injected fault
   *
   * Emitted once per request, when its answer is decided (an answer held back by latency
   * or a stall is still on its way). `imprint-sim --log` prints it.
   */
  signals[SIGNAL_SERVED] =
    g_signal_new ("served", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
}

static void
sim_server_init (SimServer *self)
{
  self->seed = 1;
  self->n_instances = 40;
  self->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->gateway = sim_gateway_new ();
  self->bodies = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) sim_body_free);
}

/**
 * sim_server_new:
 * @seed: the fleet seed
 * @instances_per_region: instances in each region, at most 100,000
 *
 * Returns: (transfer full): a simulator, not yet listening
 */
SimServer *
sim_server_new (guint seed,
                guint instances_per_region)
{
  return g_object_new (SIM_TYPE_SERVER,
                       "seed", seed,
                       "instances", MIN (instances_per_region, SIM_MAX_INSTANCES),
                       NULL);
}

/**
 * sim_server_add_account:
 * @token: (nullable): the session token the account requires, for temporary credentials
 *
 * Accepts requests signed with @secret_id and @secret_key (replacing an account with the
 * same SecretId). Once an account is added, the default demo account is no longer accepted.
 */
void
sim_server_add_account (SimServer  *self,
                        const char *secret_id,
                        const char *secret_key,
                        const char *token)
{
  g_return_if_fail (SIM_IS_SERVER (self));
  g_return_if_fail (secret_id != NULL && secret_key != NULL);

  sim_cloud_add_account (self->cloud, secret_id, secret_key, token);
}

/**
 * sim_server_get_time:
 *
 * Returns: the simulator's clock in Unix seconds: real time plus the time offset
 */
gint64
sim_server_get_time (SimServer *self)
{
  g_return_val_if_fail (SIM_IS_SERVER (self), 0);

  return sim_cloud_now (self->cloud);
}

static void
count_request (SimServer  *self,
               const char *action)
{
  self->total_count++;
  if (action != NULL && *action != '\0') {
    guint count = GPOINTER_TO_UINT (g_hash_table_lookup (self->counts, action));

    g_hash_table_replace (self->counts, g_strdup (action), GUINT_TO_POINTER (count + 1));
  }
}

static void
served (SimServer    *self,
        SimRequest   *req,
        SimFaultKind  fault)
{
  const char *language = soup_message_headers_get_one (soup_server_message_get_request_headers (req->msg),
                                                       "X-TC-Language");
  const char *kind = sim_fault_kind_name (fault);
  g_autofree char *outcome = NULL;

  if (kind != NULL)
    outcome = g_strconcat ("fault ", kind, NULL);
  else
    outcome = g_strdup (req->error_code != NULL ? req->error_code : "OK");

  g_signal_emit (self, signals[SIGNAL_SERVED], 0, protocols[req->protocol].name,
                 req->action != NULL ? req->action : "", language, outcome);
}

/* Answers. */
static GBytes *
render (SimRequest *req)
{
  return protocols[req->protocol].render (req);
}

static void
process (SimRequest *req)
{
  if (!sim_request_failed (req))
    protocols[req->protocol].process (req);
}

static void
respond (SimServer         *self,
         SoupServerMessage *msg,
         guint              status,
         const char        *content_type,
         GBytes            *body,
         guint              delay_ms)
{
  gsize len;
  gconstpointer data = g_bytes_get_data (body, &len);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, data, len);

  if (delay_ms > 0)
    sim_gateway_hold (self->gateway, self->context, msg, SIM_FAULT_NONE, NULL, delay_ms);
}

static void
early_got_chunk_cb (SoupServerMessage *msg,
                    GBytes            *chunk,
                    SimBody           *body)
{
  gsize len = g_bytes_get_size (chunk);

  body->total += len;
  if (body->data == NULL)
    return;
  if (body->total > SIM_MAX_BODY) {
    g_clear_pointer (&body->data, g_byte_array_unref);
    return;
  }
  g_byte_array_append (body->data, g_bytes_get_data (chunk, NULL), (guint) len);
}

static void
refuse_oversized (SimServer         *self,
                  SoupServerMessage *msg,
                  const char        *path)
{
  g_autoptr(SimRequest) req = sim_request_new (self->cloud, self->limits, msg);
  g_autoptr(GBytes) body = NULL;

  req->protocol = g_strcmp0 (path, "/v2/index.php") == 0 ? TC_PROTOCOL_LEGACY : TC_PROTOCOL_API3;
  sim_request_fail (req, req->protocol == TC_PROTOCOL_LEGACY ? "InvalidParameter"
                                                             : "RequestSizeLimitExceeded",
                    4000, "The request body is larger than %d bytes.", SIM_MAX_BODY);
  served (self, req, SIM_FAULT_NONE);
  body = render (req);
  respond (self, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "application/json", body, 0);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Connection", "close");
}

static void
body_message_gone_cb (gpointer  user_data,
                      GObject  *msg)
{
  SimServer *self = user_data;

  g_hash_table_remove (self->bodies, msg);
}

/* The body early_handler_cb() collected for @msg, if it did. */
static SimBody *
take_body (SimServer         *self,
           SoupServerMessage *msg)
{
  SimBody *body = NULL;

  if (!g_hash_table_steal_extended (self->bodies, msg, NULL, (gpointer *) &body))
    return NULL;
  g_object_weak_unref (G_OBJECT (msg), body_message_gone_cb, self);
  return body;
}

/* Collects the body ourselves, so a client cannot make the simulator hold more than 10 MiB
 * of it: past the limit the rest is read and dropped. */
static void
early_handler_cb (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  SimServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SimBody *body;

  /* Refused at once; libsoup still reads the body (and drops it, as nothing accumulates)
   * unless the client asked `Expect: 100-continue`, which gets the answer straight away. */
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > SIM_MAX_BODY) {
    soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
    count_request (self, NULL);
    refuse_oversized (self, msg, path);
    return;
  }

  body = g_new0 (SimBody, 1);
  body->data = g_byte_array_new ();
  g_hash_table_insert (self->bodies, msg, body);
  g_object_weak_ref (G_OBJECT (msg), body_message_gone_cb, self);
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (early_got_chunk_cb), body);
}

static void
server_handler_cb (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  SimServer *self = user_data;
  g_autoptr(SimRequest) req = sim_request_new (self->cloud, self->limits, msg);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(SimBody) collected = take_body (self, msg);
  SimFaultKind fault;
  guint delay;

  if (collected != NULL && collected->data == NULL) {
    count_request (self, NULL);
    refuse_oversized (self, msg, path);
    return;
  }

  if (collected != NULL)
    req->body = g_bytes_new (collected->data->data, collected->data->len);
  else
    req->body = soup_message_body_flatten (soup_server_message_get_request_body (msg));

  req->protocol = g_strcmp0 (path, "/v2/index.php") == 0 ? TC_PROTOCOL_LEGACY : TC_PROTOCOL_API3;
  protocols[req->protocol].prepare (req);

  count_request (self, req->action);
  fault = sim_faults_pick (self->faults, req->action, &delay);
  delay += self->latency;

  if (fault != SIM_FAULT_NONE) {
    guint status;
    const char *content_type;
    g_autoptr(GBytes) fault_bytes = NULL;

    served (self, req, fault);

    switch (fault) {
    case SIM_FAULT_RATE_LIMIT:
      sim_request_fail_rate_limited (req);
      break;

    case SIM_FAULT_INTERNAL_ERROR:
      sim_request_fail (req, "InternalError", 6000,
                        req->zh ? "内部错误。"
                                : "An internal error has occurred. Retry your request, but if "
                                  "the problem persists, contact us.");
      break;

    case SIM_FAULT_HTTP_500:
    case SIM_FAULT_HTTP_503:
    case SIM_FAULT_HTML:
    case SIM_FAULT_MALFORMED_JSON:
    case SIM_FAULT_OVERSIZED:
      fault_bytes = sim_gateway_fault_body (req, fault, &status, &content_type);
      respond (self, msg, status, content_type, fault_bytes, delay);
      return;

    case SIM_FAULT_DROP:
    case SIM_FAULT_STALL:
      sim_gateway_hold (self->gateway, self->context, msg, fault, NULL, delay);
      return;

    case SIM_FAULT_TRUNCATED:
      process (req);
      body = render (req);
      sim_gateway_hold (self->gateway, self->context, msg, SIM_FAULT_TRUNCATED, body, delay);
      return;

    case SIM_FAULT_NONE:
    case SIM_FAULT_LATENCY:
    case SIM_FAULT_IMAGE_FAIL:
    default:
      g_assert_not_reached ();
    }

    body = render (req);
    respond (self, msg, SOUP_STATUS_OK, "application/json", body, delay);
    return;
  }

  process (req);
  served (self, req, SIM_FAULT_NONE);
  body = render (req);
  respond (self, msg, SOUP_STATUS_OK, "application/json", body, delay);
}

/* Listening. */

/* libsoup starts a message on a connection as soon as it is accepted, and again after
 * each answer on a kept-alive one: the first message on a socket marks a new connection. */
static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    SimServer         *self)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  if (socket == NULL || g_object_get_qdata (G_OBJECT (socket), counted_quark) != NULL)
    return;

  g_object_set_qdata (G_OBJECT (socket), counted_quark, GINT_TO_POINTER (TRUE));
  self->connections++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTIONS]);
}

/**
 * sim_server_listen:
 * @port: the port, or 0 for any free one
 *
 * Listens on 127.0.0.1:@port; requests are served in the thread-default main context.
 *
 * Returns: %TRUE when listening
 */
gboolean
sim_server_listen (SimServer  *self,
                   guint       port,
                   GError    **error)
{
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(SoupServer) soup = NULL;

  g_return_val_if_fail (SIM_IS_SERVER (self), FALSE);
  g_return_val_if_fail (port <= 65535, FALSE);

  if (self->soup != NULL) {
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "The simulator is already listening");
    return FALSE;
  }

  soup = soup_server_new ("raw-paths", TRUE, "server-header", "imprint-sim", NULL);
  soup_server_add_early_handler (soup, NULL, early_handler_cb, self, NULL);
  soup_server_add_handler (soup, NULL, server_handler_cb, self, NULL);
  g_signal_connect (soup, "request-started", G_CALLBACK (request_started_cb), self);

  /* Our own socket rather than soup_server_listen(), for its backlog. */
  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, (guint16) port);
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, error);
  if (socket == NULL)
    return FALSE;
  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  if (!g_socket_bind (socket, address, TRUE, error) ||
      !g_socket_listen (socket, error) ||
      !soup_server_listen_socket (soup, socket, 0, error))
    return FALSE;

  local = g_socket_get_local_address (socket, NULL);
  self->port = G_IS_INET_SOCKET_ADDRESS (local) ? g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local))
                                                : port;

  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = g_main_context_ref_thread_default ();
  self->soup = g_steal_pointer (&soup);
  return TRUE;
}

guint
sim_server_get_port (SimServer *self)
{
  g_return_val_if_fail (SIM_IS_SERVER (self), 0);

  return self->port;
}

/**
 * sim_server_get_url:
 *
 * Returns: (transfer full): "http://127.0.0.1:PORT"
 */
char *
sim_server_get_url (SimServer *self)
{
  g_return_val_if_fail (SIM_IS_SERVER (self), NULL);

  return g_strdup_printf ("http://127.0.0.1:%u", self->port);
}

/**
 * sim_server_disconnect:
 *
 * Stops listening and closes every connection, including those held by latency or a stall.
 */
void
sim_server_disconnect (SimServer *self)
{
  g_return_if_fail (SIM_IS_SERVER (self));

  sim_gateway_close_all (self->gateway);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  self->port = 0;
}

/* Faults. */

/**
 * sim_server_add_fault:
 * @spec: `KIND[:action=ACTION][,rate=R][,count=N][,ms=M]`
 *
 * Faults are consulted in the order they were added.
 *
 * Returns: %TRUE when @spec was understood; otherwise @error says what is wrong with it
 */
gboolean
sim_server_add_fault (SimServer   *self,
                      const char  *spec,
                      GError     **error)
{
  g_return_val_if_fail (SIM_IS_SERVER (self), FALSE);

  return sim_faults_add (self->faults, spec, error);
}

void
sim_server_clear_faults (SimServer *self)
{
  g_return_if_fail (SIM_IS_SERVER (self));

  sim_faults_clear (self->faults);
}

/* Settings. */

/**
 * sim_server_set_rate_limits:
 * @enforce: whether requests over an action's documented rate limit are refused
 *
 * Enforcing starts every action's budget afresh.
 */
void
sim_server_set_rate_limits (SimServer *self,
                            gboolean   enforce)
{
  g_return_if_fail (SIM_IS_SERVER (self));

  if (enforce == (self->limits != NULL))
    return;

  g_clear_pointer (&self->limits, sim_limits_free);
  if (enforce)
    self->limits = sim_limits_new ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE_LIMITS]);
}

/**
 * sim_server_get_connection_count:
 *
 * Returns: how many connections the simulator has accepted since it began listening
 */
guint
sim_server_get_connection_count (SimServer *self)
{
  g_return_val_if_fail (SIM_IS_SERVER (self), 0);

  return self->connections;
}

void
sim_server_set_time_offset (SimServer *self,
                            gint64     seconds)
{
  g_return_if_fail (SIM_IS_SERVER (self));

  if (self->cloud->time_offset == seconds)
    return;
  self->cloud->time_offset = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIME_OFFSET]);
}

void
sim_server_set_id_seed (SimServer *self,
                        guint32    id_seed)
{
  g_return_if_fail (SIM_IS_SERVER (self));

  g_rand_set_seed (self->cloud->id_rand, id_seed);
}

void
sim_server_set_image_delay (SimServer *self,
                            double     seconds)
{
  g_return_if_fail (SIM_IS_SERVER (self));

  seconds = CLAMP (seconds, 0, 86400);
  if (self->cloud->image_delay == seconds)
    return;
  self->cloud->image_delay = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMAGE_DELAY]);
}

void
sim_server_set_latency (SimServer *self,
                        guint      milliseconds)
{
  g_return_if_fail (SIM_IS_SERVER (self));

  if (self->latency == milliseconds)
    return;
  self->latency = milliseconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LATENCY]);
}

void
sim_server_set_quota (SimServer *self,
                      guint      quota)
{
  g_return_if_fail (SIM_IS_SERVER (self));

  if (self->cloud->quota == quota)
    return;
  self->cloud->quota = quota;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUOTA]);
}

/* State. */

/**
 * sim_server_get_request_count:
 * @action: (nullable): an action, or %NULL for every request received
 *
 * Counts requests as they arrive, whatever their fate (faults and refusals included).
 */
guint
sim_server_get_request_count (SimServer  *self,
                              const char *action)
{
  g_return_val_if_fail (SIM_IS_SERVER (self), 0);

  if (action == NULL)
    return self->total_count;
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->counts, action));
}

/**
 * sim_server_find_instance:
 *
 * Returns: (transfer none) (nullable): the ID of the first instance of @region in @state
 */
const char *
sim_server_find_instance (SimServer       *self,
                          const char      *region,
                          TcInstanceState  state)
{
  g_return_val_if_fail (SIM_IS_SERVER (self), NULL);

  return sim_cloud_find_instance (self->cloud, region, state);
}

gboolean
sim_server_set_instance_state (SimServer       *self,
                               const char      *region,
                               const char      *instance_id,
                               TcInstanceState  state)
{
  SimInstance *instance;

  g_return_val_if_fail (SIM_IS_SERVER (self), FALSE);

  instance = sim_cloud_get_instance (self->cloud, region, instance_id);
  if (instance == NULL)
    return FALSE;

  instance->state = state;
  return TRUE;
}

/**
 * sim_server_launch_instance:
 * @position: where the new instance is listed (past the end: last)
 *
 * Returns: (transfer none): the new instance's ID, valid until the region's list changes
 */
const char *
sim_server_launch_instance (SimServer  *self,
                            const char *region,
                            guint       position)
{
  g_return_val_if_fail (SIM_IS_SERVER (self), NULL);

  return sim_cloud_launch_instance (self->cloud, region, position);
}

gboolean
sim_server_terminate_instance (SimServer  *self,
                               const char *region,
                               const char *instance_id)
{
  g_return_val_if_fail (SIM_IS_SERVER (self), FALSE);

  return sim_cloud_terminate_instance (self->cloud, region, instance_id);
}

/**
 * sim_server_get_instance_state:
 *
 * Returns: the state of @instance_id in @region, or %TC_INSTANCE_STATE_UNKNOWN
 */
TcInstanceState
sim_server_get_instance_state (SimServer  *self,
                               const char *region,
                               const char *instance_id)
{
  SimInstance *instance;

  g_return_val_if_fail (SIM_IS_SERVER (self), TC_INSTANCE_STATE_UNKNOWN);

  instance = sim_cloud_get_instance (self->cloud, region, instance_id);
  return instance != NULL ? instance->state : TC_INSTANCE_STATE_UNKNOWN;
}

TcImageState
sim_server_get_image_state (SimServer  *self,
                            const char *region,
                            const char *name)
{
  g_return_val_if_fail (SIM_IS_SERVER (self), TC_IMAGE_STATE_UNKNOWN);

  return sim_cloud_get_image_state (self->cloud, region, name);
}

guint
sim_server_count_images (SimServer  *self,
                         const char *region)
{
  g_return_val_if_fail (SIM_IS_SERVER (self), 0);

  return sim_cloud_count_images (self->cloud, region);
}

void
sim_server_make_images (SimServer  *self,
                        const char *region,
                        guint       n)
{
  g_return_if_fail (SIM_IS_SERVER (self));

  sim_cloud_make_images (self->cloud, region, n);
}
