/* sim-server.c: the CVM simulator's HTTP server, accounts, faults and state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One SoupServer on 127.0.0.1 in the thread-default main context. Every request goes
 * through the same steps:
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
 *   5. the signature is verified from the raw request and the action runs;
 *   6. the answer is sent after the latency (`latency` property plus matching latency
 *      faults, plus any `ms=` of the fault that fired), by pausing the message and
 *      unpausing it from a timeout: nothing ever blocks the main loop.
 */
#include "config.h"

#include <string.h>

#include "sim-private.h"

#define OVERSIZED_BODY  (9 * 1024 * 1024 + 512 * 1024)

/* Connections waiting to be accepted. GLib's default of 10 is too short for a client that
 * opens many at once: the kernel drops the rest of a burst, and each dropped connection is
 * only tried again after the one-second SYN retransmission. */
#define LISTEN_BACKLOG  512

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
  SimServer         *server;
  SoupServerMessage *msg;
  SimFaultKind       kind;     /* NONE (answer after a delay), TRUNCATED, DROP or STALL */
  GBytes            *raw;      /* TRUNCATED: the whole HTTP response, of which half is sent */
  GSource           *source;
  gulong             disconnected_id;
  gboolean           dead;     /* libsoup dropped the connection meanwhile */
} SimPending;

typedef struct {
  GByteArray *data;            /* NULL once the body went over the limit */
  gsize       total;
} SimBody;

static const struct {
  const char   *name;
  SimFaultKind  kind;
} fault_kinds[] = {
  { "latency", SIM_FAULT_LATENCY },
  { "rate-limit", SIM_FAULT_RATE_LIMIT },
  { "internal-error", SIM_FAULT_INTERNAL_ERROR },
  { "http-500", SIM_FAULT_HTTP_500 },
  { "http-503", SIM_FAULT_HTTP_503 },
  { "html", SIM_FAULT_HTML },
  { "malformed-json", SIM_FAULT_MALFORMED_JSON },
  { "truncated", SIM_FAULT_TRUNCATED },
  { "oversized", SIM_FAULT_OVERSIZED },
  { "drop", SIM_FAULT_DROP },
  { "stall", SIM_FAULT_STALL },
  { "image-fail", SIM_FAULT_IMAGE_FAIL },
};

static const char * const known_actions[] = {
  "DescribeRegions",
  "DescribeInstances",
  "DescribeImages",
  "DescribeImageQuota",
  "CreateImage",
};

static void
account_free (SimAccount *account)
{
  if (account == NULL)
    return;
  if (account->secret_key != NULL)
    memset (account->secret_key, 0, strlen (account->secret_key));
  g_free (account->secret_key);
  g_free (account->token);
  g_free (account);
}

static void
fault_free (SimFault *fault)
{
  g_free (fault->action);
  g_free (fault);
}

/* Pending answers. */

static void
pending_free (SimPending *pending)
{
  if (pending->source != NULL) {
    g_source_destroy (pending->source);
    g_source_unref (pending->source);
  }
  if (pending->disconnected_id != 0)
    g_signal_handler_disconnect (pending->msg, pending->disconnected_id);
  g_clear_pointer (&pending->raw, g_bytes_unref);
  g_object_unref (pending->msg);
  g_free (pending);
}

static void
pending_disconnected_cb (SoupServerMessage *msg,
                         SimPending        *pending)
{
  pending->dead = TRUE;
}

typedef struct {
  GIOStream *stream;
  GBytes    *bytes;
} SimRawWrite;

static void
raw_close_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_io_stream_close_finish (G_IO_STREAM (object), result, NULL);
}

static void
raw_written_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  SimRawWrite *write = user_data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL);
  g_io_stream_close_async (write->stream, G_PRIORITY_DEFAULT, NULL, raw_close_cb, NULL);
  g_object_unref (write->stream);
  g_bytes_unref (write->bytes);
  g_free (write);
}

/* Takes the connection away from libsoup; with @raw, writes those bytes first, then closes. */
static void
steal_and_close (SoupServerMessage *msg,
                 GBytes            *raw)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);
  SimRawWrite *write;

  if (stream == NULL)
    return;

  if (raw == NULL || g_bytes_get_size (raw) == 0) {
    g_io_stream_close (stream, NULL, NULL);
    return;
  }

  write = g_new0 (SimRawWrite, 1);
  write->stream = g_object_ref (stream);
  write->bytes = g_bytes_ref (raw);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream),
                                   g_bytes_get_data (raw, NULL), g_bytes_get_size (raw),
                                   G_PRIORITY_DEFAULT, NULL, raw_written_cb, write);
}

static gboolean
pending_fire_cb (gpointer user_data)
{
  SimPending *pending = user_data;
  SimServer *self = pending->server;

  self->pending = g_list_remove (self->pending, pending);

  if (!pending->dead) {
    g_signal_handler_disconnect (pending->msg, pending->disconnected_id);
    pending->disconnected_id = 0;

    switch (pending->kind) {
    case SIM_FAULT_TRUNCATED:
      steal_and_close (pending->msg, pending->raw);
      break;
    case SIM_FAULT_DROP:
      steal_and_close (pending->msg, NULL);
      break;
    default:
      soup_server_message_unpause (pending->msg);
      break;
    }
  }

  g_source_unref (pending->source);
  pending->source = NULL;
  pending_free (pending);
  return G_SOURCE_REMOVE;
}

/* Pauses @msg; after @delay_ms, sends its answer (or for @kind DROP / TRUNCATED, steals the
 * connection). STALL never fires: the connection is closed when the server goes away. */
static void
pending_add (SimServer         *self,
             SoupServerMessage *msg,
             SimFaultKind       kind,
             GBytes            *raw,
             guint              delay_ms)
{
  SimPending *pending = g_new0 (SimPending, 1);

  pending->server = self;
  pending->msg = g_object_ref (msg);
  pending->kind = kind;
  pending->raw = raw != NULL ? g_bytes_ref (raw) : NULL;
  pending->disconnected_id = g_signal_connect (msg, "disconnected",
                                               G_CALLBACK (pending_disconnected_cb), pending);

  soup_server_message_pause (msg);

  if (kind != SIM_FAULT_STALL) {
    pending->source = g_timeout_source_new (delay_ms);
    g_source_set_callback (pending->source, pending_fire_cb, pending, NULL);
    g_source_set_name (pending->source, "[imprint-sim] answer");
    g_source_attach (pending->source, self->context);
  }

  self->pending = g_list_prepend (self->pending, pending);
}

/* On shutdown every held connection is closed, so a client waiting on a stall sees EOF. */
static void
pending_clear_all (SimServer *self)
{
  GList *list = g_steal_pointer (&self->pending);

  for (GList *l = list; l != NULL; l = l->next) {
    SimPending *pending = l->data;

    if (!pending->dead) {
      g_signal_handler_disconnect (pending->msg, pending->disconnected_id);
      pending->disconnected_id = 0;
      steal_and_close (pending->msg, NULL);
    }
    pending_free (pending);
  }
  g_list_free (list);
}

/* GObject. */

static void
sim_server_dispose (GObject *object)
{
  SimServer *self = SIM_SERVER (object);

  pending_clear_all (self);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);

  G_OBJECT_CLASS (sim_server_parent_class)->dispose (object);
}

static void
sim_server_finalize (GObject *object)
{
  SimServer *self = SIM_SERVER (object);

  g_clear_pointer (&self->accounts, g_hash_table_unref);
  g_clear_pointer (&self->nonces, g_hash_table_unref);
  g_clear_pointer (&self->fleet, sim_fleet_free);
  g_clear_pointer (&self->faults, g_ptr_array_unref);
  g_clear_pointer (&self->fault_rand, g_rand_free);
  g_clear_pointer (&self->id_rand, g_rand_free);
  g_clear_pointer (&self->counts, g_hash_table_unref);
  g_clear_pointer (&self->limits, sim_limits_free);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (sim_server_parent_class)->finalize (object);
}

static void
sim_server_constructed (GObject *object)
{
  SimServer *self = SIM_SERVER (object);

  G_OBJECT_CLASS (sim_server_parent_class)->constructed (object);

  self->fleet = sim_fleet_new (self->seed, self->n_instances);
  self->fault_rand = g_rand_new_with_seed (self->seed ^ 0x5eed);
  self->id_rand = g_rand_new_with_seed (self->seed * 7919u + 17u);
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
    g_value_set_double (value, self->image_delay);
    break;
  case PROP_LATENCY:
    g_value_set_uint (value, self->latency);
    break;
  case PROP_QUOTA:
    g_value_set_uint (value, self->quota);
    break;
  case PROP_TIME_OFFSET:
    g_value_set_int64 (value, self->time_offset);
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
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT |
                         G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LATENCY] =
    g_param_spec_uint ("latency", NULL, NULL, 0, 600000, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT |
                       G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_QUOTA] =
    g_param_spec_uint ("quota", NULL, NULL, 0, 100000, 10,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT |
                       G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIME_OFFSET] =
    g_param_spec_int64 ("time-offset", NULL, NULL, G_MININT64 / 2, G_MAXINT64 / 2, 0,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT |
                        G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
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
  self->image_delay = 5;
  self->quota = 10;
  self->accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) account_free);
  self->nonces = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) g_hash_table_unref);
  self->faults = g_ptr_array_new_with_free_func ((GDestroyNotify) fault_free);
  self->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->next_task_id = 1001;
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
  SimAccount *account;

  g_return_if_fail (SIM_IS_SERVER (self));
  g_return_if_fail (secret_id != NULL && secret_key != NULL);

  account = g_new0 (SimAccount, 1);
  account->secret_key = g_strdup (secret_key);
  account->token = token != NULL && *token != '\0' ? g_strdup (token) : NULL;
  g_hash_table_replace (self->accounts, g_strdup (secret_id), account);
}

const SimAccount *
sim_server_lookup_account (SimServer  *self,
                           const char *secret_id)
{
  static const SimAccount demo = { (char *) SIM_DEFAULT_SECRET_KEY, NULL };

  if (secret_id == NULL)
    return NULL;

  if (g_hash_table_size (self->accounts) == 0)
    return strcmp (secret_id, SIM_DEFAULT_SECRET_ID) == 0 ? &demo : NULL;

  return g_hash_table_lookup (self->accounts, secret_id);
}

gboolean
sim_server_use_nonce (SimServer  *self,
                      const char *secret_id,
                      const char *nonce)
{
  GHashTable *used = g_hash_table_lookup (self->nonces, secret_id);

  if (used == NULL) {
    used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    g_hash_table_insert (self->nonces, g_strdup (secret_id), used);
  }

  if (g_hash_table_contains (used, nonce))
    return FALSE;

  g_hash_table_add (used, g_strdup (nonce));
  return TRUE;
}

gint64
sim_server_now (SimServer *self)
{
  return g_get_real_time () / G_USEC_PER_SEC + self->time_offset;
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

  return sim_server_now (self);
}

/* Request helpers shared by both protocols. */

void
sim_request_fail (SimRequest *req,
                  const char *code,
                  gint        legacy_code,
                  const char *format,
                  ...)
{
  va_list args;

  g_free (req->error_code);
  g_free (req->error_message);
  req->error_code = g_strdup (code);
  req->legacy_code = legacy_code;
  va_start (args, format);
  req->error_message = g_strdup_vprintf (format, args);
  va_end (args);
}

gboolean
sim_request_failed (SimRequest *req)
{
  return req->error_code != NULL;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Form decoding of one name or value; NULL for a bad escape, a NUL or invalid UTF-8. */
static char *
form_decode (const char *s,
             gsize       len)
{
  GString *out = g_string_sized_new (len);

  for (gsize i = 0; i < len; i++) {
    if (s[i] == '+') {
      g_string_append_c (out, ' ');
    } else if (s[i] == '%') {
      int hi, lo;

      if (i + 2 >= len) {
        g_string_free (out, TRUE);
        return NULL;
      }
      hi = hex_value (s[i + 1]);
      lo = hex_value (s[i + 2]);
      if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
        g_string_free (out, TRUE);
        return NULL;
      }
      g_string_append_c (out, (char) (hi * 16 + lo));
      i += 2;
    } else if (s[i] == '\0') {
      g_string_free (out, TRUE);
      return NULL;
    } else {
      g_string_append_c (out, s[i]);
    }
  }

  if (!g_utf8_validate (out->str, (gssize) out->len, NULL)) {
    g_string_free (out, TRUE);
    return NULL;
  }
  return g_string_free (out, FALSE);
}

gboolean
sim_form_parse (const char *data,
                gsize       len,
                GHashTable *into)
{
  gsize start = 0;

  if (data == NULL)
    return TRUE;

  while (start < len) {
    const char *pair = data + start;
    const char *amp = memchr (pair, '&', len - start);
    gsize pair_len = amp != NULL ? (gsize) (amp - pair) : len - start;
    const char *eq = memchr (pair, '=', pair_len);
    char *name, *value;

    start += pair_len + 1;
    if (pair_len == 0)
      continue;

    if (eq != NULL) {
      name = form_decode (pair, (gsize) (eq - pair));
      value = form_decode (eq + 1, pair_len - (gsize) (eq - pair) - 1);
    } else {
      name = form_decode (pair, pair_len);
      value = g_strdup ("");
    }

    if (name == NULL || value == NULL || *name == '\0') {
      g_free (name);
      g_free (value);
      return FALSE;
    }
    g_hash_table_replace (into, name, value);
  }
  return TRUE;
}

char *
sim_host_without_port (const char *host)
{
  const char *colon;

  if (host == NULL)
    return g_strdup ("");

  if (host[0] == '[') {
    const char *end = strchr (host, ']');

    return end != NULL ? g_strndup (host, (gsize) (end - host + 1)) : g_strdup (host);
  }

  colon = strchr (host, ':');
  /* Two colons: a bare IPv6 address, which has no port. */
  if (colon != NULL && strchr (colon + 1, ':') == NULL)
    return g_strndup (host, (gsize) (colon - host));
  return g_strdup (host);
}

void
sim_iso8601 (gint64  timestamp,
             char   *buf,
             gsize   buf_len)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (timestamp);
  g_autofree char *text = dt != NULL ? g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ") : NULL;

  g_strlcpy (buf, text != NULL ? text : "1970-01-01T00:00:00Z", buf_len);
}

/* The host the client signed: the Host header as received, unless the request line carried
 * an absolute URI (a client using the simulator as an HTTP proxy) naming another host, in
 * which case the URI wins, as RFC 9112 says. libsoup builds the message URI from the Host
 * header for an origin-form request, so the two only differ for an absolute one. */
static char *
signed_host (SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Host");
  GUri *uri = soup_server_message_get_uri (msg);
  const char *uri_host = uri != NULL ? g_uri_get_host (uri) : NULL;
  int uri_port = uri != NULL ? g_uri_get_port (uri) : -1;
  const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;

  if (header != NULL) {
    g_autofree char *trimmed = g_strstrip (g_strdup (header));
    g_autofree char *bare = sim_host_without_port (trimmed);
    const char *bare_cmp = bare;
    g_autofree char *unbracketed = NULL;

    if (bare[0] == '[') {
      unbracketed = g_strndup (bare + 1, strlen (bare) - 2);
      bare_cmp = unbracketed;
    }
    if (uri_host == NULL || g_ascii_strcasecmp (bare_cmp, uri_host) == 0)
      return g_steal_pointer (&trimmed);
  }

  if (uri_host == NULL)
    return g_strdup ("");

  /* libsoup normalizes the scheme, so a URI without a port reports the default one. */
  if ((uri_port == 80 && g_strcmp0 (scheme, "http") == 0) ||
      (uri_port == 443 && g_strcmp0 (scheme, "https") == 0))
    uri_port = -1;

  if (strchr (uri_host, ':') != NULL)
    return uri_port > 0 ? g_strdup_printf ("[%s]:%d", uri_host, uri_port)
                        : g_strdup_printf ("[%s]", uri_host);
  return uri_port > 0 ? g_strdup_printf ("%s:%d", uri_host, uri_port) : g_strdup (uri_host);
}

static SimRequest *
request_new (SimServer         *self,
             SoupServerMessage *msg)
{
  SimRequest *req = g_new0 (SimRequest, 1);

  req->server = self;
  req->msg = msg;
  req->request_id = g_uuid_string_random ();
  req->host = signed_host (msg);
  req->form = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return req;
}

static void
request_free (SimRequest *req)
{
  g_clear_pointer (&req->body, g_bytes_unref);
  g_clear_pointer (&req->form, g_hash_table_unref);
  g_clear_pointer (&req->params, json_object_unref);
  g_clear_pointer (&req->reply, json_object_unref);
  g_free (req->action);
  g_free (req->host);
  g_free (req->request_id);
  g_free (req->secret_id);
  g_free (req->error_code);
  g_free (req->error_message);
  g_free (req);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimRequest, request_free)

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
  g_autofree char *outcome = NULL;

  for (gsize i = 0; outcome == NULL && fault != SIM_FAULT_NONE && i < G_N_ELEMENTS (fault_kinds); i++)
    if (fault_kinds[i].kind == fault)
      outcome = g_strconcat ("fault ", fault_kinds[i].name, NULL);
  if (outcome == NULL)
    outcome = g_strdup (req->error_code != NULL ? req->error_code : "OK");

  g_signal_emit (self, signals[SIGNAL_SERVED], 0,
                 req->protocol == TC_PROTOCOL_LEGACY ? "legacy" : "API 3.0",
                 req->action != NULL ? req->action : "", language, outcome);
}

static gboolean
fault_fires (SimServer  *self,
             SimFault   *fault,
             const char *action)
{
  if (fault->action != NULL && g_strcmp0 (fault->action, action) != 0)
    return FALSE;
  if (fault->count >= 0 && fault->fired >= (guint64) fault->count)
    return FALSE;
  if (fault->rate < 1.0 && g_rand_double (self->fault_rand) >= fault->rate)
    return FALSE;

  fault->fired++;
  return TRUE;
}

/* Every matching latency fault adds its delay; the first other fault that fires decides the
 * answer, and the ones after it are not consulted (nor counted, nor drawn for). */
static SimFault *
pick_fault (SimServer  *self,
            const char *action,
            guint      *extra_ms)
{
  SimFault *chosen = NULL;

  *extra_ms = 0;
  for (guint i = 0; i < self->faults->len; i++) {
    SimFault *fault = g_ptr_array_index (self->faults, i);

    if (fault->kind == SIM_FAULT_IMAGE_FAIL)
      continue;
    if (fault->kind != SIM_FAULT_LATENCY && chosen != NULL)
      continue;
    if (!fault_fires (self, fault, action))
      continue;

    *extra_ms += fault->ms;
    if (fault->kind != SIM_FAULT_LATENCY)
      chosen = fault;
  }
  return chosen;
}

void
sim_request_fail_rate_limited (SimRequest *req)
{
  sim_request_fail (req, "RequestLimitExceeded", 4400,
                    req->zh ? "您当前每秒请求次数超过了频率限制，请降低调用频率。"
                            : "Your current request times exceeds the frequency limit. "
                              "Please reduce the frequency of calls.");
}

gboolean
sim_server_admit (SimServer  *self,
                  SimRequest *req)
{
  if (self->limits == NULL ||
      sim_limits_admit (self->limits, req->action,
                        req->region != NULL ? req->region->info->id : NULL,
                        req->secret_id, g_get_monotonic_time ()))
    return TRUE;

  sim_request_fail_rate_limited (req);
  return FALSE;
}

gboolean
sim_server_take_image_fail (SimServer *self)
{
  for (guint i = 0; i < self->faults->len; i++) {
    SimFault *fault = g_ptr_array_index (self->faults, i);

    if (fault->kind == SIM_FAULT_IMAGE_FAIL && fault_fires (self, fault, "CreateImage"))
      return TRUE;
  }
  return FALSE;
}

SimImage *
sim_server_create_image (SimServer   *self,
                         SimRegion   *region,
                         SimInstance *instance,
                         const char  *name,
                         const char  *description)
{
  SimImage *image = sim_image_new ();
  guint n_os;
  const SimOs *os = sim_os_table (&n_os);
  gboolean unique;

  do {
    sim_random_id (self->id_rand, "img-", image->id);
    unique = TRUE;
    for (guint i = 0; i < region->images->len; i++) {
      if (strcmp (((SimImage *) g_ptr_array_index (region->images, i))->id, image->id) == 0)
        unique = FALSE;
    }
  } while (!unique);

  image->name = g_strdup (name);
  image->description = g_strdup (description != NULL ? description : "");
  image->os_name = g_strdup (os[instance->os].os_name);
  image->platform = g_strdup (os[instance->os].platform);
  image->instance_id = g_strdup (instance->id);
  image->state = TC_IMAGE_STATE_CREATING;
  image->fail = sim_server_take_image_fail (self);
  image->created = sim_server_now (self);
  image->ready_at = g_get_monotonic_time () + (gint64) (self->image_delay * G_USEC_PER_SEC);
  image->size = instance->system_disk.size;
  image->task_id = self->next_task_id++;

  g_array_append_val (image->snapshots, instance->system_disk);
  sim_random_id (self->id_rand, "snap-", g_array_index (image->snapshots, SimDisk, 0).id);

  g_ptr_array_add (region->images, image);

  /* A zero delay settles at once, so a test never sees CREATING it did not ask for. */
  sim_image_refresh (image);
  return image;
}

/* Answers. */

static GBytes *
fault_body (SimRequest   *req,
            SimFaultKind  kind,
            guint        *status,
            const char  **content_type)
{
  *status = SOUP_STATUS_OK;
  *content_type = "application/json";

  switch (kind) {
  case SIM_FAULT_HTTP_500:
    *status = SOUP_STATUS_INTERNAL_SERVER_ERROR;
    *content_type = "text/plain";
    return g_bytes_new_static ("Internal Server Error\n", 22);

  case SIM_FAULT_HTTP_503:
    *status = SOUP_STATUS_SERVICE_UNAVAILABLE;
    *content_type = "text/plain";
    return g_bytes_new_static ("Service Temporarily Unavailable\n", 32);

  case SIM_FAULT_HTML:
    {
      static const char page[] =
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
        "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>stgw</center>\r\n"
        "</body>\r\n</html>\r\n";

      *status = SOUP_STATUS_BAD_GATEWAY;
      *content_type = "text/html";
      return g_bytes_new_static (page, sizeof page - 1);
    }

  case SIM_FAULT_MALFORMED_JSON:
    {
      g_autofree char *text = NULL;
      gsize len;

      if (req->protocol == TC_PROTOCOL_LEGACY)
        text = g_strdup ("{\"code\":0,\"message\":\"\",\"codeDesc\":\"Success\","
                         "\"totalCount\":1,\"instanceSet\":[{\"unInstanceId\":\"ins-");
      else
        text = g_strdup_printf ("{\"Response\": {\"TotalCount\": 1, \"InstanceSet\": "
                                "[{\"InstanceId\": \"ins-, ]}, \"RequestId\": \"%s\"",
                                req->request_id);
      len = strlen (text);
      return g_bytes_new_take (g_steal_pointer (&text), len);
    }

  case SIM_FAULT_OVERSIZED:
    {
      GString *text = g_string_sized_new (OVERSIZED_BODY + 256);

      if (req->protocol == TC_PROTOCOL_LEGACY)
        g_string_append (text, "{\"code\":0,\"message\":\"\",\"codeDesc\":\"Success\","
                               "\"totalCount\":0,\"instanceSet\":[],\"padding\":\"");
      else
        g_string_append (text, "{\"Response\": {\"TotalCount\": 0, \"InstanceSet\": [], "
                               "\"Padding\": \"");
      /* Real bytes, not a sparse trick: the client must read them to find the end. */
      g_string_set_size (text, text->len + OVERSIZED_BODY);
      memset (text->str + text->len - OVERSIZED_BODY, 'x', OVERSIZED_BODY);
      if (req->protocol == TC_PROTOCOL_LEGACY)
        g_string_append (text, "\"}");
      else
        g_string_append_printf (text, "\", \"RequestId\": \"%s\"}}", req->request_id);
      return g_string_free_to_bytes (text);
    }

  case SIM_FAULT_NONE:
  case SIM_FAULT_LATENCY:
  case SIM_FAULT_RATE_LIMIT:
  case SIM_FAULT_INTERNAL_ERROR:
  case SIM_FAULT_TRUNCATED:
  case SIM_FAULT_DROP:
  case SIM_FAULT_STALL:
  case SIM_FAULT_IMAGE_FAIL:
  default:
    g_assert_not_reached ();
  }
  return NULL;
}

static GBytes *
render (SimRequest *req)
{
  return req->protocol == TC_PROTOCOL_LEGACY ? sim_legacy_render (req) : sim_api3_render (req);
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
    pending_add (self, msg, SIM_FAULT_NONE, NULL, delay_ms);
}

/* The raw bytes of an HTTP response whose Content-Length promises all of @body, of which only
 * the first half follows. */
static GBytes *
truncated_response (GBytes *body)
{
  gsize len;
  const char *data = g_bytes_get_data (body, &len);
  GString *raw = g_string_new (NULL);

  g_string_append_printf (raw, "HTTP/1.1 200 OK\r\n"
                               "Content-Type: application/json\r\n"
                               "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                               "Connection: close\r\n\r\n",
                          len + 64);
  g_string_append_len (raw, data, (gssize) (len / 2));
  return g_string_free_to_bytes (raw);
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
sim_body_free (SimBody *body)
{
  g_clear_pointer (&body->data, g_byte_array_unref);
  g_free (body);
}

static void
refuse_oversized (SimServer         *self,
                  SoupServerMessage *msg,
                  const char        *path)
{
  g_autoptr(SimRequest) req = request_new (self, msg);
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
  g_object_set_data_full (G_OBJECT (msg), "sim-body", body, (GDestroyNotify) sim_body_free);
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
  g_autoptr(SimRequest) req = request_new (self, msg);
  g_autoptr(GBytes) body = NULL;
  SimBody *collected = g_object_get_data (G_OBJECT (msg), "sim-body");
  SimFault *fault;
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

  if (g_strcmp0 (path, "/v2/index.php") == 0) {
    req->protocol = TC_PROTOCOL_LEGACY;
    sim_legacy_prepare (req);
  } else {
    req->protocol = TC_PROTOCOL_API3;
    sim_api3_prepare (req);
  }

  count_request (self, req->action);
  fault = pick_fault (self, req->action, &delay);
  delay += self->latency;

  if (fault != NULL) {
    guint status;
    const char *content_type;
    g_autoptr(GBytes) fault_bytes = NULL;

    served (self, req, fault->kind);

    switch (fault->kind) {
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
      fault_bytes = fault_body (req, fault->kind, &status, &content_type);
      respond (self, msg, status, content_type, fault_bytes, delay);
      return;

    case SIM_FAULT_DROP:
    case SIM_FAULT_STALL:
      pending_add (self, msg, fault->kind, NULL, delay);
      return;

    case SIM_FAULT_TRUNCATED:
      if (!sim_request_failed (req)) {
        if (req->protocol == TC_PROTOCOL_LEGACY)
          sim_legacy_process (req);
        else
          sim_api3_process (req);
      }
      body = render (req);
      fault_bytes = truncated_response (body);
      pending_add (self, msg, SIM_FAULT_TRUNCATED, fault_bytes, delay);
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

  if (!sim_request_failed (req)) {
    if (req->protocol == TC_PROTOCOL_LEGACY)
      sim_legacy_process (req);
    else
      sim_api3_process (req);
  }

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

  pending_clear_all (self);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  self->port = 0;
}

/* Faults. */

static gboolean
parse_fault (const char  *spec,
             SimFault    *fault,
             GError     **error)
{
  g_autofree char *copy = g_strstrip (g_strdup (spec != NULL ? spec : ""));
  g_auto(GStrv) fields = NULL;
  char *sep = strpbrk (copy, ":,");
  const char *rest = NULL;
  gboolean found = FALSE;
  gboolean has_ms = FALSE;

  if (sep != NULL) {
    rest = sep + 1;
    *sep = '\0';
  }

  for (guint i = 0; i < G_N_ELEMENTS (fault_kinds); i++) {
    if (strcmp (copy, fault_kinds[i].name) == 0) {
      fault->kind = fault_kinds[i].kind;
      found = TRUE;
    }
  }
  if (!found) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 "Unknown fault “%s” in “%s”: use latency, rate-limit, internal-error, "
                 "http-500, http-503, html, malformed-json, truncated, oversized, drop, "
                 "stall or image-fail", copy, spec);
    return FALSE;
  }

  fault->rate = 1.0;
  fault->count = -1;

  fields = g_strsplit_set (rest != NULL ? rest : "", ",:", -1);
  for (guint i = 0; fields[i] != NULL; i++) {
    char *field = g_strstrip (fields[i]);
    char *eq = strchr (field, '=');
    const char *value;
    char *end = NULL;

    if (*field == '\0')
      continue;
    if (eq == NULL) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” in fault “%s” is not KEY=VALUE", field, spec);
      return FALSE;
    }
    *eq = '\0';
    value = eq + 1;

    if (strcmp (field, "action") == 0) {
      gboolean known = FALSE;

      for (guint a = 0; a < G_N_ELEMENTS (known_actions); a++)
        known |= strcmp (value, known_actions[a]) == 0;
      if (!known) {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     "Unknown action “%s” in fault “%s”", value, spec);
        return FALSE;
      }
      g_free (fault->action);
      fault->action = g_strdup (value);
    } else if (strcmp (field, "rate") == 0) {
      double rate = g_ascii_strtod (value, &end);

      if (*value == '\0' || end == NULL || *end != '\0' || !(rate >= 0.0 && rate <= 1.0)) {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     "rate must be a number from 0 to 1 in fault “%s”", spec);
        return FALSE;
      }
      fault->rate = rate;
    } else if (strcmp (field, "count") == 0) {
      guint64 count;

      if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT32, &count, NULL)) {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     "count must be a whole number in fault “%s”", spec);
        return FALSE;
      }
      fault->count = (gint64) count;
    } else if (strcmp (field, "ms") == 0) {
      guint64 ms;

      if (!g_ascii_string_to_unsigned (value, 10, 0, 600000, &ms, NULL)) {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     "ms must be a whole number of milliseconds (at most 600000) in fault “%s”",
                     spec);
        return FALSE;
      }
      fault->ms = (guint) ms;
      has_ms = TRUE;
    } else {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Unknown key “%s” in fault “%s”: use action, rate, count or ms", field, spec);
      return FALSE;
    }
  }

  if (fault->kind == SIM_FAULT_LATENCY && !has_ms) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 "The latency fault needs ms=M: “%s”", spec);
    return FALSE;
  }
  if (fault->kind == SIM_FAULT_IMAGE_FAIL && fault->action != NULL &&
      strcmp (fault->action, "CreateImage") != 0) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 "image-fail only applies to CreateImage: “%s”", spec);
    return FALSE;
  }

  return TRUE;
}

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
  SimFault *fault;

  g_return_val_if_fail (SIM_IS_SERVER (self), FALSE);

  fault = g_new0 (SimFault, 1);
  if (!parse_fault (spec, fault, error)) {
    fault_free (fault);
    return FALSE;
  }
  g_ptr_array_add (self->faults, fault);
  return TRUE;
}

void
sim_server_clear_faults (SimServer *self)
{
  g_return_if_fail (SIM_IS_SERVER (self));

  g_ptr_array_set_size (self->faults, 0);
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

  if (self->time_offset == seconds)
    return;
  self->time_offset = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIME_OFFSET]);
}

void
sim_server_set_id_seed (SimServer *self,
                        guint32    id_seed)
{
  g_return_if_fail (SIM_IS_SERVER (self));

  g_rand_set_seed (self->id_rand, id_seed);
}

void
sim_server_set_image_delay (SimServer *self,
                            double     seconds)
{
  g_return_if_fail (SIM_IS_SERVER (self));

  seconds = CLAMP (seconds, 0, 86400);
  if (self->image_delay == seconds)
    return;
  self->image_delay = seconds;
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

  if (self->quota == quota)
    return;
  self->quota = quota;
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
  SimRegion *r;

  g_return_val_if_fail (SIM_IS_SERVER (self), NULL);

  r = sim_fleet_get_region (self->fleet, region);
  if (r == NULL)
    return NULL;

  for (guint i = 0; i < r->n_instances; i++) {
    if (r->instances[i].state == state)
      return r->instances[i].id;
  }
  return NULL;
}

gboolean
sim_server_set_instance_state (SimServer       *self,
                               const char      *region,
                               const char      *instance_id,
                               TcInstanceState  state)
{
  SimRegion *r;
  SimInstance *instance;

  g_return_val_if_fail (SIM_IS_SERVER (self), FALSE);

  r = sim_fleet_get_region (self->fleet, region);
  instance = r != NULL ? sim_region_find_instance (r, instance_id) : NULL;
  if (instance == NULL)
    return FALSE;

  instance->state = state;
  return TRUE;
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
  SimRegion *r;
  SimInstance *instance;

  g_return_val_if_fail (SIM_IS_SERVER (self), TC_INSTANCE_STATE_UNKNOWN);

  r = sim_fleet_get_region (self->fleet, region);
  instance = r != NULL ? sim_region_find_instance (r, instance_id) : NULL;
  return instance != NULL ? instance->state : TC_INSTANCE_STATE_UNKNOWN;
}

TcImageState
sim_server_get_image_state (SimServer  *self,
                            const char *region,
                            const char *name)
{
  SimRegion *r;

  g_return_val_if_fail (SIM_IS_SERVER (self), TC_IMAGE_STATE_UNKNOWN);

  r = sim_fleet_get_region (self->fleet, region);
  if (r == NULL || name == NULL)
    return TC_IMAGE_STATE_UNKNOWN;

  /* Newest first: with two images of one name (only possible after a failure), the latest. */
  for (guint i = r->images->len; i > 0; i--) {
    SimImage *image = g_ptr_array_index (r->images, i - 1);

    if (strcmp (image->name, name) == 0)
      return sim_image_refresh (image);
  }
  return TC_IMAGE_STATE_UNKNOWN;
}

guint
sim_server_count_images (SimServer  *self,
                         const char *region)
{
  SimRegion *r;

  g_return_val_if_fail (SIM_IS_SERVER (self), 0);

  r = sim_fleet_get_region (self->fleet, region);
  return r != NULL ? r->images->len : 0;
}
