/* test-sim.c: the CVM simulator, driven over raw HTTP
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Requests are written byte for byte on a plain socket (in a thread, since the simulator
 * serves from this thread's main loop) and answers read back raw, so these tests show what
 * the simulator verifies from the wire, and what each fault looks like on the wire.
 */
#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "sim-server.h"
#include "tc-signer.h"
#include "test-util.h"

#define DEMO_ID  SIM_DEFAULT_SECRET_ID
#define DEMO_KEY SIM_DEFAULT_SECRET_KEY
#define JSON_CT  "application/json; charset=utf-8"

/* A raw HTTP exchange. */

typedef struct {
  guint         port;
  GBytes       *request;
  guint         timeout_s;
  GMainContext *context;
  gboolean      done;

  GByteArray   *data;
  gboolean      timed_out;
  gboolean      failed;       /* could not connect or write */
  gint64        elapsed_us;

  /* Parsed from data. */
  guint         status;       /* 0: no status line */
  GHashTable   *headers;      /* lower-case name → value */
  GBytes       *body;
  gint64        content_length;
  JsonNode     *json;
} RawCall;

static void
raw_call_free (RawCall *call)
{
  g_clear_pointer (&call->request, g_bytes_unref);
  g_clear_pointer (&call->data, g_byte_array_unref);
  g_clear_pointer (&call->headers, g_hash_table_unref);
  g_clear_pointer (&call->body, g_bytes_unref);
  g_clear_pointer (&call->json, json_node_unref);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RawCall, raw_call_free)

static gboolean
raw_done_cb (gpointer user_data)
{
  RawCall *call = user_data;

  call->done = TRUE;
  return G_SOURCE_REMOVE;
}

static gpointer
raw_thread (gpointer user_data)
{
  RawCall *call = user_data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  guint8 buffer[65536];
  GInputStream *in;
  gsize len;
  const guint8 *request = g_bytes_get_data (call->request, &len);

  g_socket_client_set_timeout (client, call->timeout_s);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", (guint16) call->port,
                                                NULL, &error);
  if (connection == NULL) {
    call->failed = TRUE;
    goto out;
  }

  /* A server may answer (and close) before reading everything: keep reading regardless. */
  if (!g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                  request, len, NULL, NULL, &error))
    call->failed = TRUE;
  g_clear_error (&error);

  in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  for (;;) {
    gssize n = g_input_stream_read (in, buffer, sizeof buffer, NULL, &error);

    if (n < 0) {
      call->timed_out = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
      break;
    }
    if (n == 0)
      break;
    g_byte_array_append (call->data, buffer, (guint) n);
  }

out:
  call->elapsed_us = g_get_monotonic_time () - start;

  /* Not g_main_context_invoke(): from this thread it may run the callback right here while
   * the main thread sleeps in poll(), which nothing would then wake. A source always does. */
  {
    GSource *source = g_idle_source_new ();

    g_source_set_callback (source, raw_done_cb, call, NULL);
    g_source_attach (source, call->context);
    g_source_unref (source);
  }
  return NULL;
}

static void
raw_parse (RawCall *call)
{
  const char *data = (const char *) call->data->data;
  gsize len = call->data->len;
  const char *end = len > 0 ? g_strstr_len (data, (gssize) len, "\r\n\r\n") : NULL;
  g_autofree char *head = NULL;
  g_auto(GStrv) lines = NULL;

  call->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  call->content_length = -1;
  if (end == NULL)
    return;

  head = g_strndup (data, (gsize) (end - data));
  lines = g_strsplit (head, "\r\n", -1);
  if (sscanf (lines[0], "HTTP/1.%*d %u", &call->status) != 1)
    call->status = 0;

  for (guint i = 1; lines[i] != NULL; i++) {
    char *colon = strchr (lines[i], ':');

    if (colon == NULL)
      continue;
    *colon = '\0';
    g_hash_table_replace (call->headers, g_ascii_strdown (lines[i], -1),
                          g_strstrip (g_strdup (colon + 1)));
  }
  if (g_hash_table_lookup (call->headers, "content-length") != NULL)
    call->content_length = g_ascii_strtoll (g_hash_table_lookup (call->headers, "content-length"),
                                            NULL, 10);

  call->body = g_bytes_new (end + 4, len - (gsize) (end + 4 - data));
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    gsize body_len;
    const char *body = g_bytes_get_data (call->body, &body_len);

    if (body_len > 0 && json_parser_load_from_data (parser, body, (gssize) body_len, NULL) &&
        json_parser_get_root (parser) != NULL)
      call->json = json_node_ref (json_parser_get_root (parser));
  }
}

/* Sends @request to 127.0.0.1:@port and reads until the server closes or @timeout_s passes
 * without data, iterating this thread's main loop meanwhile. */
static RawCall *
raw_send_bytes (guint       port,
                const char *request,
                gsize       len,
                guint       timeout_s)
{
  RawCall *call = g_new0 (RawCall, 1);
  GThread *thread;

  call->port = port;
  call->request = g_bytes_new (request, len);
  call->timeout_s = timeout_s;
  call->context = g_main_context_default ();
  call->data = g_byte_array_new ();

  thread = g_thread_new ("raw-http", raw_thread, call);
  test_wait_until (&call->done, timeout_s + 10);
  g_thread_join (thread);

  raw_parse (call);
  return call;
}

static RawCall *
raw_send (guint       port,
          const char *request)
{
  return raw_send_bytes (port, request, strlen (request), 5);
}

static JsonNode *
dig (JsonNode   *node,
     const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);

  for (guint i = 0; parts[i] != NULL && node != NULL; i++) {
    if (JSON_NODE_HOLDS_OBJECT (node)) {
      node = json_object_get_member (json_node_get_object (node), parts[i]);
    } else if (JSON_NODE_HOLDS_ARRAY (node) && g_ascii_isdigit (parts[i][0])) {
      JsonArray *array = json_node_get_array (node);
      guint index = (guint) g_ascii_strtoull (parts[i], NULL, 10);

      node = index < json_array_get_length (array) ? json_array_get_element (array, index) : NULL;
    } else {
      node = NULL;
    }
  }
  return node;
}

static const char *
dig_string (RawCall    *call,
            const char *path)
{
  JsonNode *node = call->json != NULL ? dig (call->json, path) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gint64
dig_int (RawCall    *call,
         const char *path)
{
  JsonNode *node = call->json != NULL ? dig (call->json, path) : NULL;

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_INT64);
  return json_node_get_int (node);
}

static guint
dig_length (RawCall    *call,
            const char *path)
{
  JsonNode *node = call->json != NULL ? dig (call->json, path) : NULL;

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  return json_array_get_length (json_node_get_array (node));
}

/* The API 3.0 error code, or NULL for a success (which must then carry a RequestId). */
static const char *
api3_code (RawCall *call)
{
  g_assert_cmpuint (call->status, ==, 200);
  g_assert_nonnull (call->json);
  g_assert_nonnull (dig_string (call, "Response.RequestId"));
  return dig_string (call, "Response.Error.Code");
}

#define assert_api3_ok(call) g_assert_cmpstr (api3_code (call), ==, NULL)
#define assert_api3_error(call, code) g_assert_cmpstr (api3_code (call), ==, (code))

/* The fixture: a simulator of 40 instances per region on a free port. */

typedef struct {
  SimServer *sim;
  guint      port;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint instances = data != NULL ? GPOINTER_TO_UINT (data) : 40;

  f->sim = sim_server_new (1, instances);
  sim_server_set_image_delay (f->sim, 0.2);
  g_assert_true (sim_server_listen (f->sim, 0, &error));
  g_assert_no_error (error);
  f->port = sim_server_get_port (f->sim);
  g_assert_cmpuint (f->port, >, 0);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->sim);
}

/* API 3.0 requests signed with TC3, through tc-signer. */

typedef struct {
  const char *action;
  const char *payload;          /* "{}" */
  const char *region;           /* "ap-guangzhou"; "" for none */
  const char *host;             /* Host header; "127.0.0.1:PORT" */
  const char *sign_host;        /* the host signed; the Host header */
  const char *target;           /* request target; "/" */
  const char *secret_id;
  const char *secret_key;
  const char *token;
  const char *language;
  const char *version;          /* "2017-03-12" */
  const char *authorization;    /* replaces the computed one */
  gint64      timestamp;        /* the simulator's clock */
} Api3;

static GString *
api3_build (Fixture    *f,
            const Api3 *o)
{
  const char *payload = o->payload != NULL ? o->payload : "{}";
  g_autofree char *default_host = g_strdup_printf ("127.0.0.1:%u", f->port);
  const char *host = o->host != NULL ? o->host : default_host;
  const char *region = o->region != NULL ? o->region : "ap-guangzhou";
  gint64 timestamp = o->timestamp != 0 ? o->timestamp : sim_server_get_time (f->sim);
  g_autoptr(Tc3Signed) s = tc3_sign (o->secret_id != NULL ? o->secret_id : DEMO_ID,
                                     o->secret_key != NULL ? o->secret_key : DEMO_KEY,
                                     "cvm", "POST",
                                     o->sign_host != NULL ? o->sign_host : host, "/", "",
                                     JSON_CT, (const guint8 *) payload, strlen (payload),
                                     timestamp);
  GString *r = g_string_new (NULL);

  g_string_append_printf (r, "POST %s HTTP/1.1\r\n", o->target != NULL ? o->target : "/");
  g_string_append_printf (r, "Host: %s\r\n", host);
  g_string_append_printf (r, "Content-Type: %s\r\n", JSON_CT);
  g_string_append_printf (r, "X-TC-Action: %s\r\n", o->action);
  g_string_append_printf (r, "X-TC-Version: %s\r\n", o->version != NULL ? o->version : "2017-03-12");
  g_string_append_printf (r, "X-TC-Timestamp: %" G_GINT64_FORMAT "\r\n", timestamp);
  if (*region != '\0')
    g_string_append_printf (r, "X-TC-Region: %s\r\n", region);
  if (o->token != NULL)
    g_string_append_printf (r, "X-TC-Token: %s\r\n", o->token);
  if (o->language != NULL)
    g_string_append_printf (r, "X-TC-Language: %s\r\n", o->language);
  g_string_append_printf (r, "Authorization: %s\r\n",
                          o->authorization != NULL ? o->authorization : s->authorization);
  g_string_append_printf (r, "Content-Length: %" G_GSIZE_FORMAT "\r\n", strlen (payload));
  g_string_append (r, "Connection: close\r\n\r\n");
  g_string_append (r, payload);
  return r;
}

static RawCall *
api3 (Fixture    *f,
      const Api3 *o)
{
  g_autoptr(GString) r = api3_build (f, o);

  return raw_send_bytes (f->port, r->str, r->len, 5);
}

/* Query-signed requests: legacy API 2.0, and API 3.0's v1 scheme. */

typedef struct {
  const char *method;           /* "GET" */
  const char *host;             /* Host header; "127.0.0.1:PORT" */
  const char *sign_host;        /* the host signed; the Host header without its port */
  const char *path;             /* "/v2/index.php" */
  const char *secret_id;
  const char *secret_key;
  const char *signature_method; /* not sent when NULL */
  const char *nonce;            /* a fresh one when NULL */
  gint64      timestamp;        /* the simulator's clock */
  const char *params[40];       /* name, value, …, NULL */
} Query;

static GString *
query_build (Fixture     *f,
             const Query *o)
{
  static guint64 nonce_counter = 1000;
  const char *method = o->method != NULL ? o->method : "GET";
  const char *path = o->path != NULL ? o->path : "/v2/index.php";
  g_autofree char *default_host = g_strdup_printf ("127.0.0.1:%u", f->port);
  const char *host = o->host != NULL ? o->host : default_host;
  g_autofree char *sign_host = NULL;
  g_autofree char *nonce = o->nonce != NULL ? g_strdup (o->nonce)
                                            : g_strdup_printf ("%" G_GUINT64_FORMAT, ++nonce_counter);
  g_autofree char *timestamp = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                o->timestamp != 0 ? o->timestamp
                                                                  : sim_server_get_time (f->sim));
  g_autoptr(GTree) params = tc_query_params_new ();
  g_autoptr(GString) query = g_string_new (NULL);
  g_autofree char *string_to_sign = NULL;
  g_autofree char *signature = NULL;
  TcHmacMethod hmac = TC_HMAC_SHA1;
  GString *r = g_string_new (NULL);

  if (o->sign_host != NULL) {
    sign_host = g_strdup (o->sign_host);
  } else {
    const char *colon = strrchr (host, ':');

    sign_host = colon != NULL ? g_strndup (host, (gsize) (colon - host)) : g_strdup (host);
  }

  g_tree_insert (params, g_strdup ("SecretId"), g_strdup (o->secret_id != NULL ? o->secret_id : DEMO_ID));
  g_tree_insert (params, g_strdup ("Timestamp"), g_strdup (timestamp));
  g_tree_insert (params, g_strdup ("Nonce"), g_strdup (nonce));
  if (o->signature_method != NULL) {
    g_tree_insert (params, g_strdup ("SignatureMethod"), g_strdup (o->signature_method));
    g_assert_true (tc_hmac_method_from_name (o->signature_method, &hmac));
  }
  for (guint i = 0; o->params[i] != NULL; i += 2)
    g_tree_insert (params, g_strdup (o->params[i]), g_strdup (o->params[i + 1]));

  string_to_sign = tc_query_string_to_sign (method, sign_host, path, params);
  signature = tc_query_signature (hmac, o->secret_key != NULL ? o->secret_key : DEMO_KEY,
                                  string_to_sign);
  g_tree_insert (params, g_strdup ("Signature"), g_strdup (signature));

  {
    GTreeNode *node;

    for (node = g_tree_node_first (params); node != NULL; node = g_tree_node_next (node)) {
      g_autofree char *value = g_uri_escape_string (g_tree_node_value (node), NULL, FALSE);

      if (query->len > 0)
        g_string_append_c (query, '&');
      g_string_append_printf (query, "%s=%s", (const char *) g_tree_node_key (node), value);
    }
  }

  if (strcmp (method, "GET") == 0) {
    g_string_append_printf (r, "GET %s?%s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n",
                            path, query->str, host);
  } else {
    g_string_append_printf (r, "%s %s HTTP/1.1\r\nHost: %s\r\n"
                               "Content-Type: application/x-www-form-urlencoded\r\n"
                               "Content-Length: %" G_GSIZE_FORMAT "\r\nConnection: close\r\n\r\n%s",
                            method, path, host, query->len, query->str);
  }
  return r;
}

static RawCall *
query (Fixture     *f,
       const Query *o)
{
  g_autoptr(GString) r = query_build (f, o);

  return raw_send_bytes (f->port, r->str, r->len, 5);
}

static gint64
legacy_code (RawCall *call)
{
  g_assert_cmpuint (call->status, ==, 200);
  g_assert_nonnull (call->json);
  return dig_int (call, "code");
}

/* Basics. */

static void
test_new_destroy (void)
{
  SimServer *sim = sim_server_new (3, 10);
  guint seed, instances, quota;
  double delay;

  g_object_get (sim, "seed", &seed, "instances", &instances, "quota", &quota,
                "image-delay", &delay, NULL);
  g_assert_cmpuint (seed, ==, 3);
  g_assert_cmpuint (instances, ==, 10);
  g_assert_cmpuint (quota, ==, 10);
  g_assert_cmpfloat (delay, ==, 5);
  g_assert_finalize_object (sim);
}

static void
test_listen (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *url = sim_server_get_url (f->sim);
  g_autofree char *expected = g_strdup_printf ("http://127.0.0.1:%u", f->port);
  g_autoptr(SimServer) other = sim_server_new (1, 1);
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (url, ==, expected);

  /* The port is taken. */
  g_assert_false (sim_server_listen (other, f->port, &error));
  g_assert_nonnull (error);
}

/* TC3. */

static JsonObject *
load_vector (const char *name)
{
  g_autofree char *path = test_data_path ("signing.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *vectors;

  if (!g_file_test (path, G_FILE_TEST_EXISTS)) {
    g_free (path);
    path = g_test_build_filename (G_TEST_BUILT, "..", "..", "tests", "data", "signing.json", NULL);
  }
  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);

  vectors = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                          "vectors");
  for (guint i = 0; i < json_array_get_length (vectors); i++) {
    JsonObject *vector = json_array_get_object_element (vectors, i);

    if (strcmp (json_object_get_string_member (vector, "name"), name) == 0)
      return json_object_ref (vector);
  }
  g_assert_not_reached ();
  return NULL;
}

static GString *
vector_request (JsonObject *v,
                const char *payload)
{
  GString *r = g_string_new (NULL);

  g_string_append_printf (r, "POST / HTTP/1.1\r\n"
                             "Host: %s\r\n"
                             "Content-Type: %s\r\n"
                             "X-TC-Action: %s\r\n"
                             "X-TC-Version: %s\r\n"
                             "X-TC-Timestamp: %" G_GINT64_FORMAT "\r\n"
                             "X-TC-Region: %s\r\n"
                             "Authorization: %s\r\n"
                             "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                             "Connection: close\r\n\r\n%s",
                          json_object_get_string_member (v, "host"),
                          json_object_get_string_member (v, "content_type"),
                          json_object_get_string_member (v, "action"),
                          json_object_get_string_member (v, "version"),
                          json_object_get_int_member (v, "timestamp"),
                          json_object_get_string_member (v, "region"),
                          json_object_get_string_member (v, "authorization"),
                          strlen (payload), payload);
  return r;
}

/* Tencent's published 2019 example, replayed byte for byte with the clock set back. */
static void
test_tc3_published_vector (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(JsonObject) v = load_vector ("tc3-describe-instances");
  const char *payload = json_object_get_string_member (v, "payload");
  gint64 timestamp = json_object_get_int_member (v, "timestamp");
  g_autofree char *hashed = tc3_hex_sha256 ((const guint8 *) payload, strlen (payload));
  g_autofree char *changed = g_strdup (payload);
  g_autoptr(GString) request = NULL;
  g_autoptr(RawCall) accepted = NULL;
  g_autoptr(RawCall) refused = NULL;
  g_autoptr(RawCall) stale = NULL;
  char *one;

  g_assert_cmpstr (hashed, ==, json_object_get_string_member (v, "hashed_payload"));

  sim_server_add_account (f->sim, json_object_get_string_member (v, "secret_id"),
                          json_object_get_string_member (v, "secret_key"), NULL);
  sim_server_set_time_offset (f->sim, timestamp - g_get_real_time () / G_USEC_PER_SEC);

  request = vector_request (v, payload);
  accepted = raw_send_bytes (f->port, request->str, request->len, 5);
  assert_api3_ok (accepted);
  g_assert_cmpuint (dig_length (accepted, "Response.InstanceSet"), <=, 1);
  if (dig_length (accepted, "Response.InstanceSet") == 1)
    g_assert_nonnull (strstr (dig_string (accepted, "Response.InstanceSet.0.InstanceName"),
                              "未命名"));

  /* One byte of the body changed: Limit 1 becomes Limit 2. */
  one = strstr (changed, "1");
  g_assert_nonnull (one);
  *one = '2';
  g_string_free (request, TRUE);
  request = vector_request (v, changed);
  refused = raw_send_bytes (f->port, request->str, request->len, 5);
  assert_api3_error (refused, "AuthFailure.SignatureFailure");

  /* The very same request with today's clock: five years too late. */
  sim_server_set_time_offset (f->sim, 0);
  g_string_free (request, TRUE);
  request = vector_request (v, payload);
  stale = raw_send_bytes (f->port, request->str, request->len, 5);
  assert_api3_error (stale, "AuthFailure.SignatureExpire");
}

static void
test_tc3_accepted (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(RawCall) call = api3 (f, &(Api3) { .action = "DescribeInstances",
                                               .payload = "{\"Limit\": 3}" });

  assert_api3_ok (call);
  g_assert_cmpint (dig_int (call, "Response.TotalCount"), ==, 40);
  g_assert_cmpuint (dig_length (call, "Response.InstanceSet"), ==, 3);
  g_assert_cmpuint (sim_server_get_request_count (f->sim, "DescribeInstances"), ==, 1);

  /* TC3 over GET: the parameters, and the canonical query, are the query string. */
  {
    const char *ct = "application/x-www-form-urlencoded";
    const char *q = "Limit=2&Offset=1&Filters.0.Name=instance-state&Filters.0.Values.0=STOPPED";
    gint64 now = sim_server_get_time (f->sim);
    g_autofree char *host = g_strdup_printf ("127.0.0.1:%u", f->port);
    g_autoptr(Tc3Signed) s = tc3_sign (DEMO_ID, DEMO_KEY, "cvm", "GET", host, "/", q, ct,
                                       (const guint8 *) "", 0, now);
    g_autofree char *request = g_strdup_printf ("GET /?%s HTTP/1.1\r\nHost: %s\r\n"
                                                "Content-Type: %s\r\nX-TC-Action: DescribeInstances\r\n"
                                                "X-TC-Version: 2017-03-12\r\n"
                                                "X-TC-Timestamp: %" G_GINT64_FORMAT "\r\n"
                                                "X-TC-Region: ap-guangzhou\r\nAuthorization: %s\r\n"
                                                "Connection: close\r\n\r\n",
                                                q, host, ct, now, s->authorization);
    g_autoptr(RawCall) get = raw_send (f->port, request);

    assert_api3_ok (get);
    g_assert_cmpuint (dig_length (get, "Response.InstanceSet"), ==, 2);
    g_assert_cmpstr (dig_string (get, "Response.InstanceSet.1.InstanceState"), ==, "STOPPED");
  }
}

static void
test_tc3_refused (Fixture       *f,
                  gconstpointer  data)
{
  gint64 now = sim_server_get_time (f->sim);
  const struct {
    Api3        request;
    const char *code;
  } cases[] = {
    { { .action = "DescribeRegions", .secret_key = "wrong-key" }, "AuthFailure.SignatureFailure" },
    { { .action = "DescribeRegions", .secret_id = "AKIDnobody" }, "AuthFailure.SecretIdNotFound" },
    { { .action = "DescribeRegions", .timestamp = now - 360 }, "AuthFailure.SignatureExpire" },
    { { .action = "DescribeRegions", .timestamp = now + 400 }, "AuthFailure.SignatureExpire" },
    { { .action = "DescribeRegions", .authorization = "Basic Zm9vOmJhcg==" },
      "AuthFailure.InvalidAuthorization" },
    { { .action = "DescribeRegions",
        .authorization = "TC3-HMAC-SHA256 Credential=" DEMO_ID "/2020-01-01/cvm/tc3_request" },
      "AuthFailure.InvalidAuthorization" },
    /* Signed for another host than the one it reached. */
    { { .action = "DescribeRegions", .sign_host = "cvm.tencentcloudapi.com" },
      "AuthFailure.SignatureFailure" },
    /* A token the account does not have. */
    { { .action = "DescribeRegions", .token = "stray-token" }, "AuthFailure.TokenFailure" },
    { { .action = "DescribeInstances", .region = "" }, "MissingParameter" },
    { { .action = "DescribeInstances", .region = "ap-atlantis" }, "UnsupportedRegion" },
    { { .action = "DescribeInstances", .region = "gz" }, "UnsupportedRegion" },
    { { .action = "RunInstances" }, "InvalidAction" },
    { { .action = "DescribeRegions", .version = "2018-01-01" }, "InvalidAction" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(RawCall) call = api3 (f, &cases[i].request);

    g_test_message ("case %u", i);
    assert_api3_error (call, cases[i].code);
  }

  /* Within the window it is fine; DescribeRegions needs no region. */
  {
    g_autoptr(RawCall) call = api3 (f, &(Api3) { .action = "DescribeRegions", .region = "",
                                                 .timestamp = now - 240 });

    assert_api3_ok (call);
  }
}

static void
test_tc3_scope (Fixture       *f,
                gconstpointer  data)
{
  gint64 now = sim_server_get_time (f->sim);
  g_autofree char *host = g_strdup_printf ("127.0.0.1:%u", f->port);
  g_autoptr(Tc3Signed) s = tc3_sign (DEMO_ID, DEMO_KEY, "cvm", "POST", host, "/", "", JSON_CT,
                                     (const guint8 *) "{}", 2, now);
  g_autofree char *yesterday = tc3_date (now - 86400);
  g_autofree char *today = tc3_date (now);
  g_autofree char *wrong_date = NULL;
  g_autofree char *wrong_service = NULL;
  g_autoptr(RawCall) date_call = NULL;
  g_autoptr(RawCall) service_call = NULL;
  GString *tmp;

  tmp = g_string_new (s->authorization);
  g_string_replace (tmp, today, yesterday, 1);
  wrong_date = g_string_free (tmp, FALSE);
  tmp = g_string_new (s->authorization);
  g_string_replace (tmp, "/cvm/", "/cbs/", 1);
  wrong_service = g_string_free (tmp, FALSE);

  date_call = api3 (f, &(Api3) { .action = "DescribeRegions", .timestamp = now,
                                 .authorization = wrong_date });
  assert_api3_error (date_call, "AuthFailure.SignatureFailure");
  g_assert_nonnull (strstr (dig_string (date_call, "Response.Error.Message"), "UTC date"));

  service_call = api3 (f, &(Api3) { .action = "DescribeRegions", .timestamp = now,
                                    .authorization = wrong_service });
  assert_api3_error (service_call, "AuthFailure.SignatureFailure");
}

static void
test_tc3_token (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(RawCall) without = NULL;
  g_autoptr(RawCall) wrong = NULL;
  g_autoptr(RawCall) right = NULL;
  g_autoptr(RawCall) demo = NULL;

  sim_server_add_account (f->sim, "AKIDtemporary", "temporary-key", "session-token");

  without = api3 (f, &(Api3) { .action = "DescribeRegions", .secret_id = "AKIDtemporary",
                               .secret_key = "temporary-key" });
  assert_api3_error (without, "AuthFailure.TokenFailure");
  wrong = api3 (f, &(Api3) { .action = "DescribeRegions", .secret_id = "AKIDtemporary",
                             .secret_key = "temporary-key", .token = "other" });
  assert_api3_error (wrong, "AuthFailure.TokenFailure");
  right = api3 (f, &(Api3) { .action = "DescribeRegions", .secret_id = "AKIDtemporary",
                             .secret_key = "temporary-key", .token = "session-token" });
  assert_api3_ok (right);

  /* With an account added, the demo account is gone. */
  demo = api3 (f, &(Api3) { .action = "DescribeRegions" });
  assert_api3_error (demo, "AuthFailure.SecretIdNotFound");
}

/* A client using the simulator as an HTTP proxy: the absolute URI names the host signed. */
static void
test_tc3_absolute_uri (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(RawCall) same = api3 (f, &(Api3) { .action = "DescribeImageQuota",
                                               .target = "http://cvm.tencentcloudapi.com/",
                                               .host = "cvm.tencentcloudapi.com" });
  g_autoptr(RawCall) other = NULL;
  g_autoptr(RawCall) wrong = NULL;
  g_autofree char *local = g_strdup_printf ("127.0.0.1:%u", f->port);

  assert_api3_ok (same);
  g_assert_cmpint (dig_int (same, "Response.ImageNumQuota"), ==, 10);

  /* The request line wins over a Host header that says something else (RFC 9112 §3.2.2). */
  other = api3 (f, &(Api3) { .action = "DescribeImageQuota",
                             .target = "http://cvm.tencentcloudapi.com/",
                             .host = local, .sign_host = "cvm.tencentcloudapi.com" });
  assert_api3_ok (other);

  wrong = api3 (f, &(Api3) { .action = "DescribeImageQuota",
                             .target = "http://cvm.tencentcloudapi.com/",
                             .host = local, .sign_host = local });
  assert_api3_error (wrong, "AuthFailure.SignatureFailure");
}

/* Signs a request whose SignedHeaders are content-type;host;x-tc-action, with the given
 * line for the action in the canonical headers. */
static char *
sign_with_action (Fixture    *f,
                  gint64      now,
                  const char *action_line)
{
  g_autofree char *host = g_strdup_printf ("127.0.0.1:%u", f->port);
  g_autofree char *date = tc3_date (now);
  g_autofree char *headers = g_strdup_printf ("content-type:%s\nhost:%s\n%s\n", JSON_CT, host,
                                              action_line);
  g_autofree char *canonical = tc3_canonical_request ("POST", "/", "", headers,
                                                      "content-type;host;x-tc-action",
                                                      (const guint8 *) "{}", 2);
  g_autofree char *scope = tc3_credential_scope (date, "cvm");
  g_autofree char *sts = tc3_string_to_sign (now, scope, canonical);
  g_autofree char *signature = tc3_signature (DEMO_KEY, date, "cvm", sts);

  return g_strdup_printf ("TC3-HMAC-SHA256 Credential=%s/%s, "
                          "SignedHeaders=content-type;host;x-tc-action, Signature=%s",
                          DEMO_ID, scope, signature);
}

/* The headers named in SignedHeaders are signed as Tencent documents: names and values
 * in small letters, without spaces around ("x-tc-action:describeinstances" in its own
 * example), here X-TC-Action too. */
static void
test_tc3_signed_headers (Fixture       *f,
                         gconstpointer  data)
{
  gint64 now = sim_server_get_time (f->sim);
  g_autofree char *auth = sign_with_action (f, now, "x-tc-action:describeregions");
  g_autofree char *as_sent = sign_with_action (f, now, "x-tc-action:DescribeRegions");
  g_autoptr(RawCall) spaced = NULL;
  g_autoptr(RawCall) sent = NULL;
  g_autoptr(RawCall) unfolded = NULL;
  g_autoptr(RawCall) missing = NULL;

  /* The action as sent, signed in small letters: it verifies… */
  sent = api3 (f, &(Api3) { .action = "DescribeRegions", .timestamp = now, .authorization = auth });
  assert_api3_ok (sent);
  /* …with spaces around too, past the signature (actions are case-sensitive)… */
  spaced = api3 (f, &(Api3) { .action = "  describeregions ", .timestamp = now,
                              .authorization = auth });
  assert_api3_error (spaced, "InvalidAction");
  /* …but signed in the case it was sent, it does not. */
  unfolded = api3 (f, &(Api3) { .action = "DescribeRegions", .timestamp = now,
                                .authorization = as_sent });
  assert_api3_error (unfolded, "AuthFailure.SignatureFailure");

  {
    g_autofree char *date = tc3_date (now);
    g_autofree char *scope = tc3_credential_scope (date, "cvm");
    g_autofree char *no_host = g_strdup_printf ("TC3-HMAC-SHA256 Credential=%s/%s, "
                                                "SignedHeaders=content-type, Signature=%s",
                                                DEMO_ID, scope, "0000");

    missing = api3 (f, &(Api3) { .action = "DescribeRegions", .timestamp = now,
                                 .authorization = no_host });
    assert_api3_error (missing, "AuthFailure.InvalidAuthorization");
  }
}

/* API 3.0's v1 scheme and legacy API 2.0. */

static void
test_v1 (Fixture       *f,
         gconstpointer  data)
{
  const char *methods[] = { NULL, "HmacSHA1", "HmacSHA256" };

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++) {
    g_autoptr(RawCall) get = query (f, &(Query) {
      .path = "/", .host = "cvm.tencentcloudapi.com", .signature_method = methods[i],
      .params = { "Action", "DescribeInstances", "Version", "2017-03-12",
                  "Region", "ap-guangzhou", "Limit", "5", "Offset", "1", NULL } });
    g_autoptr(RawCall) post = query (f, &(Query) {
      .method = "POST", .path = "/", .signature_method = methods[i],
      .params = { "Action", "DescribeImages", "Version", "2017-03-12", "Region", "ap-guangzhou",
                  "Filters.0.Name", "image-type", "Filters.0.Values.0", "PRIVATE_IMAGE", NULL } });
    g_autoptr(RawCall) wrong = query (f, &(Query) {
      .path = "/", .signature_method = methods[i], .secret_key = "wrong",
      .params = { "Action", "DescribeRegions", "Version", "2017-03-12", NULL } });

    assert_api3_ok (get);
    g_assert_cmpuint (dig_length (get, "Response.InstanceSet"), ==, 5);
    assert_api3_ok (post);
    g_assert_cmpint (dig_int (post, "Response.TotalCount"), ==, 3);
    assert_api3_error (wrong, "AuthFailure.SignatureFailure");
  }

  /* Nested and indexed parameters, ids beyond 9 sorting before 2 when signed. */
  {
    g_autoptr(RawCall) ids = NULL;
    const char *first = sim_server_find_instance (f->sim, "ap-guangzhou", TC_INSTANCE_STATE_STOPPED);

    ids = query (f, &(Query) {
      .path = "/", .params = { "Action", "DescribeInstances", "Version", "2017-03-12",
                               "Region", "ap-guangzhou", "InstanceIds.0", "ins-aaaaaaaa",
                               "InstanceIds.10", "ins-bbbbbbbb", "InstanceIds.2", first, NULL } });
    assert_api3_ok (ids);
    g_assert_cmpint (dig_int (ids, "Response.TotalCount"), ==, 1);
    g_assert_cmpstr (dig_string (ids, "Response.InstanceSet.0.InstanceId"), ==, first);
  }

  /* Skew and unknown keys are refused as with TC3. */
  {
    g_autoptr(RawCall) skew = query (f, &(Query) {
      .path = "/", .timestamp = sim_server_get_time (f->sim) - 1000,
      .params = { "Action", "DescribeRegions", "Version", "2017-03-12", NULL } });
    g_autoptr(RawCall) unknown = query (f, &(Query) {
      .path = "/", .secret_id = "AKIDnobody",
      .params = { "Action", "DescribeRegions", "Version", "2017-03-12", NULL } });
    g_autoptr(RawCall) unsigned_call = raw_send (f->port, "GET /?Action=DescribeRegions HTTP/1.1\r\n"
                                                          "Host: x\r\nConnection: close\r\n\r\n");

    assert_api3_error (skew, "AuthFailure.SignatureExpire");
    assert_api3_error (unknown, "AuthFailure.SecretIdNotFound");
    assert_api3_error (unsigned_call, "AuthFailure.InvalidAuthorization");
  }
}

static void
test_legacy_signing (Fixture       *f,
                     gconstpointer  data)
{
  gint64 now = sim_server_get_time (f->sim);
  const struct {
    Query   request;
    gint64  code;
  } cases[] = {
    { { .params = { "Action", "DescribeInstances", "Region", "gz", NULL } }, 0 },
    { { .signature_method = "HmacSHA1",
        .params = { "Action", "DescribeInstances", "Region", "ap-guangzhou", NULL } }, 0 },
    { { .method = "POST", .signature_method = "HmacSHA256",
        .params = { "Action", "DescribeImages", "Region", "gz", "imageType", "1", NULL } }, 0 },
    /* The host is signed without its port. */
    { { .host = "cvm.api.qcloud.com:8443",
        .params = { "Action", "DescribeInstances", "Region", "gz", NULL } }, 0 },
    { { .host = "cvm.api.qcloud.com:8443", .sign_host = "cvm.api.qcloud.com:8443",
        .params = { "Action", "DescribeInstances", "Region", "gz", NULL } }, 4100 },
    { { .secret_key = "wrong", .params = { "Action", "DescribeInstances", "Region", "gz", NULL } }, 4100 },
    { { .secret_key = "wrong", .signature_method = "HmacSHA256",
        .params = { "Action", "DescribeInstances", "Region", "gz", NULL } }, 4100 },
    { { .secret_id = "AKIDnobody", .params = { "Action", "DescribeInstances", "Region", "gz", NULL } }, 4104 },
    { { .timestamp = now - 7300, .params = { "Action", "DescribeInstances", "Region", "gz", NULL } }, 4500 },
    { { .timestamp = now + 7300, .params = { "Action", "DescribeInstances", "Region", "gz", NULL } }, 4500 },
    { { .timestamp = now - 7000, .params = { "Action", "DescribeInstances", "Region", "gz", NULL } }, 0 },
    /* The module host decides which actions it serves. */
    { { .host = "cvm.api.qcloud.com",
        .params = { "Action", "DescribeImages", "Region", "gz", "imageType", "1", NULL } }, 6100 },
    { { .host = "cvm.api.qcloud.com",
        .params = { "Action", "CreateImage", "Region", "gz", "instanceId", "ins-00000000",
                    "imageName", "x", NULL } }, 6100 },
    { { .host = "image.api.qcloud.com", .params = { "Action", "DescribeInstances", "Region", "gz", NULL } }, 6100 },
    { { .host = "image.api.qcloud.com",
        .params = { "Action", "DescribeImages", "Region", "gz", "imageType", "1", NULL } }, 0 },
    { { .params = { "Action", "DescribeInstances", NULL } }, 4000 },
    { { .params = { "Action", "DescribeInstances", "Region", "atlantis", NULL } }, 4000 },
    { { .params = { "Action", "DescribeInstances", "Region", "gz", "limit", "101", NULL } }, 4000 },
    { { .params = { "Action", "TerminateInstances", "Region", "gz", NULL } }, 4000 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(RawCall) call = query (f, &cases[i].request);

    g_test_message ("case %u: %.*s", i, (int) MIN (call->data->len, 400), (const char *) call->data->data);
    g_assert_cmpint (legacy_code (call), ==, cases[i].code);
    if (cases[i].code != 0) {
      const char *message = dig_string (call, "message");

      g_assert_nonnull (message);
      g_assert_true (message[0] == '(');
      g_assert_cmpstr (dig_string (call, "codeDesc"), !=, "Success");
    } else {
      g_assert_cmpstr (dig_string (call, "codeDesc"), ==, "Success");
    }
  }

  /* The method is signed as received: signed as GET, sent as POST, it is refused. */
  {
    g_autoptr(GString) r = query_build (f, &(Query) {
      .params = { "Action", "DescribeInstances", "Region", "gz", NULL } });
    g_autoptr(RawCall) call = NULL;

    g_string_replace (r, "GET /v2/index.php?", "POST /v2/index.php?", 1);
    call = raw_send_bytes (f->port, r->str, r->len, 5);
    g_assert_cmpint (legacy_code (call), ==, 4100);
  }
}

static void
test_legacy_nonce (Fixture       *f,
                   gconstpointer  data)
{
  gint64 now = sim_server_get_time (f->sim);
  g_autoptr(RawCall) first = query (f, &(Query) { .nonce = "4242", .timestamp = now,
    .params = { "Action", "DescribeInstances", "Region", "gz", NULL } });
  g_autoptr(RawCall) again = query (f, &(Query) { .nonce = "4242", .timestamp = now,
    .params = { "Action", "DescribeInstances", "Region", "gz", "limit", "5", NULL } });
  g_autoptr(RawCall) later = NULL;
  g_autoptr(RawCall) bad_signature = NULL;
  g_autoptr(RawCall) after_bad = NULL;

  g_assert_cmpint (legacy_code (first), ==, 0);
  g_assert_cmpint (legacy_code (again), ==, 4500);
  /* The Nonce and the Timestamp name a request together: the same Nonce a second later is
   * another request (a client drawing 31-bit Nonces meets its own now and then). */
  later = query (f, &(Query) { .nonce = "4242", .timestamp = now + 1,
    .params = { "Action", "DescribeInstances", "Region", "gz", NULL } });
  g_assert_cmpint (legacy_code (later), ==, 0);

  /* A request with a bad signature does not burn its Nonce. */
  bad_signature = query (f, &(Query) { .nonce = "77", .secret_key = "wrong",
    .params = { "Action", "DescribeInstances", "Region", "gz", NULL } });
  g_assert_cmpint (legacy_code (bad_signature), ==, 4100);
  after_bad = query (f, &(Query) { .nonce = "77",
    .params = { "Action", "DescribeInstances", "Region", "gz", NULL } });
  g_assert_cmpint (legacy_code (after_bad), ==, 0);
}

/* Actions. */

static void
test_describe_regions (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(RawCall) en = api3 (f, &(Api3) { .action = "DescribeRegions", .region = "" });
  g_autoptr(RawCall) zh = api3 (f, &(Api3) { .action = "DescribeRegions", .language = "zh-CN" });
  const char *required[] = { "ap-guangzhou", "ap-shanghai", "ap-beijing", "ap-chengdu",
                             "ap-chongqing", "ap-nanjing", "ap-hongkong", "ap-singapore",
                             "na-siliconvalley", "eu-frankfurt" };
  guint n;

  assert_api3_ok (en);
  assert_api3_ok (zh);
  n = dig_length (en, "Response.RegionSet");
  g_assert_cmpint (dig_int (en, "Response.TotalCount"), ==, n);
  g_assert_cmpuint (n, >=, G_N_ELEMENTS (required));

  for (guint r = 0; r < G_N_ELEMENTS (required); r++) {
    gboolean found = FALSE;

    for (guint i = 0; i < n; i++) {
      g_autofree char *path = g_strdup_printf ("Response.RegionSet.%u.Region", i);
      g_autofree char *state = g_strdup_printf ("Response.RegionSet.%u.RegionState", i);

      if (g_strcmp0 (dig_string (en, path), required[r]) == 0) {
        found = TRUE;
        g_assert_cmpstr (dig_string (en, state), ==, "AVAILABLE");
      }
    }
    g_assert_true (found);
  }

  g_assert_cmpstr (dig_string (en, "Response.RegionSet.0.Region"), ==, "ap-guangzhou");
  g_assert_cmpstr (dig_string (en, "Response.RegionSet.0.RegionName"), ==, "South China(Guangzhou)");
  g_assert_cmpstr (dig_string (zh, "Response.RegionSet.0.RegionName"), ==, "华南地区(广州)");
}

static void
served_cb (SimServer  *server,
           const char *protocol,
           const char *action,
           const char *language,
           const char *outcome,
           GPtrArray  *lines)
{
  g_ptr_array_add (lines, g_strdup_printf ("%s %s %s %s", protocol, action,
                                           language != NULL ? language : "-", outcome));
}

/* imprint-sim --log prints what the "served" signal tells: one line per request. */
static void
test_served (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(RawCall) zh = NULL;
  g_autoptr(RawCall) unknown = NULL;
  g_autoptr(RawCall) legacy = NULL;
  g_autoptr(RawCall) limited = NULL;

  g_signal_connect (f->sim, "served", G_CALLBACK (served_cb), lines);
  zh = api3 (f, &(Api3) { .action = "DescribeRegions", .language = "zh-CN" });
  unknown = api3 (f, &(Api3) { .action = "RebootEverything" });
  legacy = query (f, &(Query) { .params = { "Action", "DescribeImages", "Region", "gz",
                                            "imageType", "1", NULL } });
  g_assert_true (sim_server_add_fault (f->sim, "rate-limit:count=1", &error));
  limited = api3 (f, &(Api3) { .action = "DescribeImages" });

  g_assert_cmpuint (lines->len, ==, 4);
  g_assert_cmpstr (lines->pdata[0], ==, "API 3.0 DescribeRegions zh-CN OK");
  g_assert_cmpstr (lines->pdata[1], ==, "API 3.0 RebootEverything - InvalidAction");
  g_assert_cmpstr (lines->pdata[2], ==, "legacy DescribeImages - OK");
  g_assert_cmpstr (lines->pdata[3], ==, "API 3.0 DescribeImages - fault rate-limit");
}

static void
test_describe_instances_pages (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) ips = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint offset = 0; offset < 250; offset += 100) {
    g_autofree char *payload = g_strdup_printf ("{\"Offset\": %u, \"Limit\": 100}", offset);
    g_autoptr(RawCall) page = api3 (f, &(Api3) { .action = "DescribeInstances", .payload = payload });
    guint n;

    assert_api3_ok (page);
    g_assert_cmpint (dig_int (page, "Response.TotalCount"), ==, 250);
    n = dig_length (page, "Response.InstanceSet");
    g_assert_cmpuint (n, ==, offset < 200 ? 100 : 50);

    for (guint i = 0; i < n; i++) {
      g_autofree char *id = g_strdup_printf ("Response.InstanceSet.%u.InstanceId", i);
      g_autofree char *ip = g_strdup_printf ("Response.InstanceSet.%u.PrivateIpAddresses.0", i);
      g_autofree char *type = g_strdup_printf ("Response.InstanceSet.%u.InstanceType", i);
      g_autofree char *memory = g_strdup_printf ("Response.InstanceSet.%u.Memory", i);
      g_autofree char *created = g_strdup_printf ("Response.InstanceSet.%u.CreatedTime", i);
      g_autofree char *disk = g_strdup_printf ("Response.InstanceSet.%u.SystemDisk.DiskId", i);
      g_autofree char *zone = g_strdup_printf ("Response.InstanceSet.%u.Placement.Zone", i);
      const char *type_name = dig_string (page, type);
      const char *digits = type_name + strlen (type_name);
      g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (dig_string (page, created), NULL);

      g_assert_true (g_regex_match_simple ("^ins-[a-z0-9]{8}$", dig_string (page, id), 0, 0));
      g_assert_true (g_hash_table_add (seen, g_strdup (dig_string (page, id))));
      g_assert_true (g_hash_table_add (ips, g_strdup (dig_string (page, ip))));
      g_assert_true (g_str_has_prefix (dig_string (page, ip), "10."));
      g_assert_true (g_regex_match_simple ("^disk-[a-z0-9]{8}$", dig_string (page, disk), 0, 0));
      g_assert_true (g_str_has_prefix (dig_string (page, zone), "ap-guangzhou-"));
      g_assert_nonnull (when);
      g_assert_true (g_str_has_suffix (dig_string (page, created), "Z"));

      /* Memory agrees with the type: "S5.MEDIUM4" has 4 GB. */
      while (digits > type_name && g_ascii_isdigit (digits[-1]))
        digits--;
      g_assert_cmpint (dig_int (page, memory), ==, g_ascii_strtoll (digits, NULL, 10));
    }
  }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 250);
  g_assert_cmpuint (g_hash_table_size (ips), ==, 250);

  /* Beyond the end: an empty page, the same total. */
  {
    g_autoptr(RawCall) past = api3 (f, &(Api3) { .action = "DescribeInstances",
                                                 .payload = "{\"Offset\": 1000}" });
    g_autoptr(RawCall) defaults = api3 (f, &(Api3) { .action = "DescribeInstances" });

    assert_api3_ok (past);
    g_assert_cmpuint (dig_length (past, "Response.InstanceSet"), ==, 0);
    g_assert_cmpint (dig_int (past, "Response.TotalCount"), ==, 250);
    assert_api3_ok (defaults);
    g_assert_cmpuint (dig_length (defaults, "Response.InstanceSet"), ==, 20);
  }
}

static void
test_describe_instances_params (Fixture       *f,
                                gconstpointer  data)
{
  const struct {
    const char *payload;
    const char *code;
  } cases[] = {
    { "{\"Limit\": 0}", "InvalidParameterValue.LimitExceeded" },
    { "{\"Limit\": 101}", "InvalidParameterValue.LimitExceeded" },
    { "{\"Limit\": 100}", NULL },
    { "{\"Limit\": 1}", NULL },
    { "{\"Limit\": \"20\"}", "InvalidParameterValue" },
    { "{\"Limit\": 1.5}", "InvalidParameterValue" },
    { "{\"Offset\": -1}", "InvalidParameterValue" },
    { "{\"InstanceIds\": \"ins-aaaaaaaa\"}", "InvalidParameterValue" },
    { "{\"InstanceIds\": [\"i-123\"]}", "InvalidInstanceId.Malformed" },
    { "{\"InstanceIds\": [\"ins-aaaaaaaa\"], \"Filters\": [{\"Name\": \"zone\", "
      "\"Values\": [\"ap-guangzhou-3\"]}]}", "InvalidParameter" },
    { "{\"Filters\": [{\"Name\": \"flavour\", \"Values\": [\"x\"]}]}", "InvalidFilter" },
    { "{\"Filters\": [{\"Name\": \"zone\"}]}", "MissingParameter" },
    { "{\"Filters\": [{\"Name\": \"zone\", \"Values\": [\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"]}]}",
      "InvalidParameterValue.LimitExceeded" },
    { "{\"InstanceIds\": [\"ins-aaaaaaaa\"]}", NULL },
    /* A parameter Tencent does not document, misspelt or not, is refused. */
    { "{\"Limt\": 5}", "UnknownParameter" },
    { "{\"Limit\": 5, \"ImageIds\": [\"img-aaaaaaaa\"]}", "UnknownParameter" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(RawCall) call = api3 (f, &(Api3) { .action = "DescribeInstances",
                                                 .payload = cases[i].payload });

    g_test_message ("case %u: %s", i, cases[i].payload);
    assert_api3_error (call, cases[i].code);
  }
}

static void
assert_all (RawCall    *call,
            const char *field,
            const char *expected,
            gboolean    substring)
{
  guint n = dig_length (call, "Response.InstanceSet");

  g_assert_cmpint (dig_int (call, "Response.TotalCount"), ==, n);
  for (guint i = 0; i < n; i++) {
    g_autofree char *path = g_strdup_printf ("Response.InstanceSet.%u.%s", i, field);
    const char *value = dig_string (call, path);

    if (substring)
      g_assert_nonnull (strstr (value, expected));
    else
      g_assert_cmpstr (value, ==, expected);
  }
}

static void
test_describe_instances_filters (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(RawCall) all = api3 (f, &(Api3) { .action = "DescribeInstances",
                                              .payload = "{\"Limit\": 100}" });
  const char *first_id, *first_ip, *first_zone;
  g_autofree char *by_id = NULL, *by_ip = NULL, *by_zone = NULL, *by_ids = NULL;
  g_autoptr(RawCall) stopped = NULL, running = NULL, named = NULL, chinese = NULL;
  g_autoptr(RawCall) id_call = NULL, ip_call = NULL, zone_call = NULL, ids_call = NULL;
  g_autoptr(RawCall) both = NULL;

  assert_api3_ok (all);
  first_id = dig_string (all, "Response.InstanceSet.0.InstanceId");
  first_ip = dig_string (all, "Response.InstanceSet.0.PrivateIpAddresses.0");
  first_zone = dig_string (all, "Response.InstanceSet.0.Placement.Zone");

  /* Index 0 is stopped and index 1 running, in every region. */
  g_assert_cmpstr (dig_string (all, "Response.InstanceSet.0.InstanceState"), ==, "STOPPED");
  g_assert_cmpstr (dig_string (all, "Response.InstanceSet.1.InstanceState"), ==, "RUNNING");

  stopped = api3 (f, &(Api3) { .action = "DescribeInstances", .payload =
    "{\"Limit\": 100, \"Filters\": [{\"Name\": \"instance-state\", \"Values\": [\"STOPPED\"]}]}" });
  assert_api3_ok (stopped);
  g_assert_cmpint (dig_int (stopped, "Response.TotalCount"), >, 0);
  assert_all (stopped, "InstanceState", "STOPPED", FALSE);

  running = api3 (f, &(Api3) { .action = "DescribeInstances", .payload =
    "{\"Limit\": 100, \"Filters\": [{\"Name\": \"instance-state\", \"Values\": [\"RUNNING\"]}]}" });
  assert_api3_ok (running);
  g_assert_cmpint (dig_int (running, "Response.TotalCount") + dig_int (stopped, "Response.TotalCount"),
                   <=, 40);

  named = api3 (f, &(Api3) { .action = "DescribeInstances", .payload =
    "{\"Limit\": 100, \"Filters\": [{\"Name\": \"instance-name\", \"Values\": [\"-0\"]}]}" });
  assert_api3_ok (named);
  g_assert_cmpint (dig_int (named, "Response.TotalCount"), >, 0);
  assert_all (named, "InstanceName", "-0", TRUE);

  chinese = api3 (f, &(Api3) { .action = "DescribeInstances", .payload =
    "{\"Limit\": 100, \"Filters\": [{\"Name\": \"instance-name\", \"Values\": [\"\\u6570\\u636e\\u5e93\"]}]}" });
  assert_api3_ok (chinese);
  assert_all (chinese, "InstanceName", "数据库", TRUE);

  by_id = g_strdup_printf ("{\"Filters\": [{\"Name\": \"instance-id\", \"Values\": [\"%s\"]}]}", first_id);
  id_call = api3 (f, &(Api3) { .action = "DescribeInstances", .payload = by_id });
  assert_api3_ok (id_call);
  g_assert_cmpint (dig_int (id_call, "Response.TotalCount"), ==, 1);

  by_ip = g_strdup_printf ("{\"Filters\": [{\"Name\": \"private-ip-address\", \"Values\": [\"%s\"]}]}",
                           first_ip);
  ip_call = api3 (f, &(Api3) { .action = "DescribeInstances", .payload = by_ip });
  assert_api3_ok (ip_call);
  g_assert_cmpint (dig_int (ip_call, "Response.TotalCount"), ==, 1);
  g_assert_cmpstr (dig_string (ip_call, "Response.InstanceSet.0.InstanceId"), ==, first_id);

  by_zone = g_strdup_printf ("{\"Limit\": 100, \"Filters\": [{\"Name\": \"zone\", \"Values\": [\"%s\"]}]}",
                             first_zone);
  zone_call = api3 (f, &(Api3) { .action = "DescribeInstances", .payload = by_zone });
  assert_api3_ok (zone_call);
  g_assert_cmpint (dig_int (zone_call, "Response.TotalCount"), <, 40);
  {
    guint n = dig_length (zone_call, "Response.InstanceSet");

    for (guint i = 0; i < n; i++) {
      g_autofree char *path = g_strdup_printf ("Response.InstanceSet.%u.Placement.Zone", i);

      g_assert_cmpstr (dig_string (zone_call, path), ==, first_zone);
    }
  }

  /* Different filters AND together; the values of one filter OR. */
  {
    g_autofree char *payload = g_strdup_printf (
      "{\"Limit\": 100, \"Filters\": [{\"Name\": \"zone\", \"Values\": [\"%s\"]}, "
      "{\"Name\": \"instance-state\", \"Values\": [\"STOPPED\", \"RUNNING\"]}]}", first_zone);

    both = api3 (f, &(Api3) { .action = "DescribeInstances", .payload = payload });
    assert_api3_ok (both);
    g_assert_cmpint (dig_int (both, "Response.TotalCount"), <=, dig_int (zone_call, "Response.TotalCount"));
    g_assert_cmpint (dig_int (both, "Response.TotalCount"), >=, 1);
  }

  by_ids = g_strdup_printf ("{\"InstanceIds\": [\"%s\", \"ins-zzzzzzzz\", \"%s\"]}", first_id, first_id);
  ids_call = api3 (f, &(Api3) { .action = "DescribeInstances", .payload = by_ids });
  assert_api3_ok (ids_call);
  g_assert_cmpint (dig_int (ids_call, "Response.TotalCount"), ==, 1);
}

static void
test_describe_images (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(RawCall) private_ = api3 (f, &(Api3) { .action = "DescribeImages", .payload =
    "{\"Filters\": [{\"Name\": \"image-type\", \"Values\": [\"PRIVATE_IMAGE\"]}]}" });
  g_autoptr(RawCall) public_ = api3 (f, &(Api3) { .action = "DescribeImages", .payload =
    "{\"Filters\": [{\"Name\": \"image-type\", \"Values\": [\"PUBLIC_IMAGE\"]}]}" });
  g_autoptr(RawCall) fuzzy = api3 (f, &(Api3) { .action = "DescribeImages", .payload =
    "{\"Filters\": [{\"Name\": \"image-type\", \"Values\": [\"PRIVATE_IMAGE\"]}, "
    "{\"Name\": \"image-name\", \"Values\": [\"base\"]}]}" });
  g_autoptr(RawCall) empty_region = api3 (f, &(Api3) { .action = "DescribeImages", .region = "ap-chengdu",
    .payload = "{\"Filters\": [{\"Name\": \"image-type\", \"Values\": [\"PRIVATE_IMAGE\"]}]}" });
  g_autoptr(RawCall) quota = api3 (f, &(Api3) { .action = "DescribeImageQuota" });
  g_autoptr(RawCall) by_id = NULL, malformed = NULL, bad_type = NULL, paged = NULL, quota7 = NULL;
  g_autofree char *payload = NULL;
  gboolean has_base = FALSE;

  assert_api3_ok (private_);
  g_assert_cmpint (dig_int (private_, "Response.TotalCount"), ==, 3);
  for (guint i = 0; i < 3; i++) {
    g_autofree char *name = g_strdup_printf ("Response.ImageSet.%u.ImageName", i);
    g_autofree char *type = g_strdup_printf ("Response.ImageSet.%u.ImageType", i);
    g_autofree char *state = g_strdup_printf ("Response.ImageSet.%u.ImageState", i);

    has_base |= g_strcmp0 (dig_string (private_, name), "base-image") == 0;
    g_assert_cmpstr (dig_string (private_, type), ==, "PRIVATE_IMAGE");
    g_assert_cmpstr (dig_string (private_, state), ==, "NORMAL");
  }
  g_assert_true (has_base);
  g_assert_cmpuint (sim_server_count_images (f->sim, "ap-guangzhou"), ==, 3);

  assert_api3_ok (public_);
  g_assert_cmpint (dig_int (public_, "Response.TotalCount"), >=, 4);
  g_assert_cmpstr (dig_string (public_, "Response.ImageSet.0.ImageType"), ==, "PUBLIC_IMAGE");

  assert_api3_ok (fuzzy);
  g_assert_cmpint (dig_int (fuzzy, "Response.TotalCount"), ==, 1);
  g_assert_cmpstr (dig_string (fuzzy, "Response.ImageSet.0.ImageName"), ==, "base-image");

  assert_api3_ok (empty_region);
  g_assert_cmpint (dig_int (empty_region, "Response.TotalCount"), ==, 0);

  payload = g_strdup_printf ("{\"ImageIds\": [\"%s\"]}", dig_string (fuzzy, "Response.ImageSet.0.ImageId"));
  by_id = api3 (f, &(Api3) { .action = "DescribeImages", .payload = payload });
  assert_api3_ok (by_id);
  g_assert_cmpint (dig_int (by_id, "Response.TotalCount"), ==, 1);

  malformed = api3 (f, &(Api3) { .action = "DescribeImages", .payload = "{\"ImageIds\": [\"image-1\"]}" });
  assert_api3_error (malformed, "InvalidImageId.Malformed");
  bad_type = api3 (f, &(Api3) { .action = "DescribeImages", .payload =
    "{\"Filters\": [{\"Name\": \"image-type\", \"Values\": [\"MINE\"]}]}" });
  assert_api3_error (bad_type, "InvalidParameterValue");
  paged = api3 (f, &(Api3) { .action = "DescribeImages", .payload = "{\"Offset\": 1, \"Limit\": 2}" });
  assert_api3_ok (paged);
  g_assert_cmpuint (dig_length (paged, "Response.ImageSet"), ==, 2);

  assert_api3_ok (quota);
  g_assert_cmpint (dig_int (quota, "Response.ImageNumQuota"), ==, 10);
  sim_server_set_quota (f->sim, 7);
  quota7 = api3 (f, &(Api3) { .action = "DescribeImageQuota" });
  g_assert_cmpint (dig_int (quota7, "Response.ImageNumQuota"), ==, 7);
}

static RawCall *
create_image (Fixture    *f,
              const char *fields)
{
  return api3 (f, &(Api3) { .action = "CreateImage", .payload = fields });
}

static char *
image_state (Fixture    *f,
             const char *image_id)
{
  g_autofree char *payload = g_strdup_printf ("{\"ImageIds\": [\"%s\"]}", image_id);
  g_autoptr(RawCall) call = api3 (f, &(Api3) { .action = "DescribeImages", .payload = payload });

  assert_api3_ok (call);
  g_assert_cmpint (dig_int (call, "Response.TotalCount"), ==, 1);
  return g_strdup (dig_string (call, "Response.ImageSet.0.ImageState"));
}

static void
test_create_image (Fixture       *f,
                   gconstpointer  data)
{
  const char *stopped = sim_server_find_instance (f->sim, "ap-guangzhou", TC_INSTANCE_STATE_STOPPED);
  g_autofree char *fields = g_strdup_printf ("{\"ImageName\": \"my-image\", \"InstanceId\": \"%s\", "
                                             "\"ImageDescription\": \"made by a test\", "
                                             "\"TagSpecification\": [{\"ResourceType\": \"image\", "
                                             "\"Tags\": [{\"Key\": \"team\", \"Value\": \"qa\"}]}]}",
                                             stopped);
  g_autoptr(RawCall) created = create_image (f, fields);
  g_autoptr(RawCall) again = NULL;
  g_autoptr(RawCall) listed = NULL;
  const char *image_id;
  g_autofree char *state = NULL;

  assert_api3_ok (created);
  image_id = dig_string (created, "Response.ImageId");
  g_assert_true (g_regex_match_simple ("^img-[a-z0-9]{8}$", image_id, 0, 0));

  state = image_state (f, image_id);
  g_assert_cmpstr (state, ==, "CREATING");
  g_assert_cmpint (sim_server_get_image_state (f->sim, "ap-guangzhou", "my-image"), ==,
                   TC_IMAGE_STATE_CREATING);
  g_assert_cmpuint (sim_server_count_images (f->sim, "ap-guangzhou"), ==, 4);

  /* It takes its name at once… */
  again = create_image (f, fields);
  assert_api3_error (again, "InvalidImageName.Duplicate");

  /* …and becomes NORMAL after the delay (0.2 s here). */
  test_run_main_loop_for (250);
  g_free (state);
  state = image_state (f, image_id);
  g_assert_cmpstr (state, ==, "NORMAL");
  g_assert_cmpint (sim_server_get_image_state (f->sim, "ap-guangzhou", "my-image"), ==,
                   TC_IMAGE_STATE_NORMAL);

  listed = api3 (f, &(Api3) { .action = "DescribeImages", .payload =
    "{\"Filters\": [{\"Name\": \"image-type\", \"Values\": [\"PRIVATE_IMAGE\"]}]}" });
  g_assert_cmpint (dig_int (listed, "Response.TotalCount"), ==, 4);
  /* Newest first. */
  g_assert_cmpstr (dig_string (listed, "Response.ImageSet.0.ImageId"), ==, image_id);
  g_assert_cmpstr (dig_string (listed, "Response.ImageSet.0.ImageDescription"), ==, "made by a test");
  g_assert_cmpstr (dig_string (listed, "Response.ImageSet.0.Tags.0.Key"), ==, "team");
  g_assert_cmpstr (dig_string (listed, "Response.ImageSet.0.Tags.0.Value"), ==, "qa");
}

/* The ImageId a new image gets: the same in every run by default (tests stay
 * deterministic), another one under another ID seed (each demo session takes a new one,
 * so two sessions never hand out the same ImageId), the same again under the same seed. */
static char *
first_image_id (Fixture *f,
                guint32  id_seed)
{
  const char *stopped;
  g_autofree char *fields = NULL;
  g_autoptr(RawCall) created = NULL;

  fixture_teardown (f, NULL);
  fixture_setup (f, NULL);
  if (id_seed != 0)
    sim_server_set_id_seed (f->sim, id_seed);
  stopped = sim_server_find_instance (f->sim, "ap-guangzhou", TC_INSTANCE_STATE_STOPPED);
  fields = g_strdup_printf ("{\"ImageName\": \"seeded\", \"InstanceId\": \"%s\"}", stopped);
  created = create_image (f, fields);
  assert_api3_ok (created);
  return g_strdup (dig_string (created, "Response.ImageId"));
}

static void
test_image_id_seed (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *a = first_image_id (f, 0);
  g_autofree char *b = first_image_id (f, 0);
  g_autofree char *c = first_image_id (f, 4242);
  g_autofree char *d = first_image_id (f, 4243);
  g_autofree char *e = first_image_id (f, 4242);

  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (c, !=, a);
  g_assert_cmpstr (d, !=, c);
  g_assert_cmpstr (e, ==, c);
}

static void
test_create_image_rules (Fixture       *f,
                         gconstpointer  data)
{
  const char *stopped = sim_server_find_instance (f->sim, "ap-guangzhou", TC_INSTANCE_STATE_STOPPED);
  g_autofree char *long_name = g_strnfill (61, 'a');
  g_autofree char *max_name = g_strnfill (60, 'b');
  g_autoptr(GString) chinese = g_string_new (NULL);
  g_autofree char *long_description = g_strnfill (257, 'd');
  struct {
    char       *fields;
    const char *code;
  } cases[] = {
    { g_strdup_printf ("{\"InstanceId\": \"%s\"}", stopped), "MissingParameter" },
    { g_strdup ("{\"ImageName\": \"x\"}"), "MissingParameter" },
    { g_strdup_printf ("{\"ImageName\": \"base-image\", \"InstanceId\": \"%s\"}", stopped),
      "InvalidImageName.Duplicate" },
    { g_strdup_printf ("{\"ImageName\": \"%s\", \"InstanceId\": \"%s\"}", long_name, stopped),
      "InvalidParameterValue" },
    { g_strdup_printf ("{\"ImageName\": \" padded\", \"InstanceId\": \"%s\"}", stopped),
      "InvalidParameterValue" },
    { g_strdup_printf ("{\"ImageName\": \"x\", \"ImageDescription\": \"%s\", \"InstanceId\": \"%s\"}",
                       long_description, stopped), "InvalidParameterValue" },
    { g_strdup ("{\"ImageName\": \"x\", \"InstanceId\": \"i-abc\"}"), "InvalidInstanceId.Malformed" },
    { g_strdup ("{\"ImageName\": \"x\", \"InstanceId\": \"ins-zzzzzzzz\"}"), "InvalidInstanceId.NotFound" },
    { g_strdup_printf ("{\"ImageName\": 5, \"InstanceId\": \"%s\"}", stopped), "InvalidParameterValue" },
    { g_strdup_printf ("{\"ImageName\": \"x\", \"InstanceId\": \"%s\", \"ForcePoweroff\": true}", stopped),
      "InvalidParameterValue" },
    { g_strdup_printf ("{\"ImageName\": \"x\", \"InstanceId\": \"%s\", \"ForcePoweroff\": \"yes\"}", stopped),
      "InvalidParameterValue" },
    { g_strdup_printf ("{\"ImageName\": \"x\", \"InstanceId\": \"%s\", \"DryRun\": \"true\"}", stopped),
      "InvalidParameterValue" },
    { g_strdup_printf ("{\"ImageName\": \"x\", \"InstanceId\": \"%s\", \"TagSpecification\": "
                       "[{\"ResourceType\": \"instance\", \"Tags\": []}]}", stopped),
      "InvalidParameterValue" },
    { g_strdup_printf ("{\"ImageName\": \"x\", \"InstanceId\": \"%s\", \"SnapshotIds\": [\"snap-1\"]}",
                       stopped), "InvalidParameterConflict" },
  };

  for (guint i = 0; i < 60; i++)
    g_string_append (chinese, "镜");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(RawCall) call = create_image (f, cases[i].fields);

    g_test_message ("case %u: %s", i, cases[i].fields);
    assert_api3_error (call, cases[i].code);
    g_free (cases[i].fields);
  }
  g_assert_cmpuint (sim_server_count_images (f->sim, "ap-guangzhou"), ==, 3);

  /* At the limits: 60 characters, counted as characters, not bytes. */
  {
    g_autofree char *a = g_strdup_printf ("{\"ImageName\": \"%s\", \"InstanceId\": \"%s\"}", max_name, stopped);
    g_autofree char *b = g_strdup_printf ("{\"ImageName\": \"%s\", \"InstanceId\": \"%s\"}", chinese->str, stopped);
    g_autoptr(RawCall) ascii = create_image (f, a);
    g_autoptr(RawCall) cjk = create_image (f, b);

    assert_api3_ok (ascii);
    assert_api3_ok (cjk);
  }
}

static void
test_create_image_dry_run (Fixture       *f,
                           gconstpointer  data)
{
  const char *stopped = sim_server_find_instance (f->sim, "ap-guangzhou", TC_INSTANCE_STATE_STOPPED);
  g_autofree char *ok = g_strdup_printf ("{\"ImageName\": \"dry\", \"InstanceId\": \"%s\", \"DryRun\": true}",
                                         stopped);
  g_autofree char *duplicate = g_strdup_printf ("{\"ImageName\": \"base-image\", \"InstanceId\": \"%s\", "
                                                "\"DryRun\": true}", stopped);
  g_autofree char *real = g_strdup_printf ("{\"ImageName\": \"dry\", \"InstanceId\": \"%s\"}", stopped);
  g_autoptr(RawCall) dry = create_image (f, ok);
  g_autoptr(RawCall) dry_duplicate = create_image (f, duplicate);
  g_autoptr(RawCall) created = NULL;

  assert_api3_error (dry, "DryRunOperation");
  assert_api3_error (dry_duplicate, "InvalidImageName.Duplicate");
  g_assert_cmpuint (sim_server_count_images (f->sim, "ap-guangzhou"), ==, 3);
  g_assert_cmpint (sim_server_get_image_state (f->sim, "ap-guangzhou", "dry"), ==, TC_IMAGE_STATE_UNKNOWN);

  /* The name is still free. */
  created = create_image (f, real);
  assert_api3_ok (created);
}

static void
test_create_image_quota (Fixture       *f,
                         gconstpointer  data)
{
  const char *stopped = sim_server_find_instance (f->sim, "ap-guangzhou", TC_INSTANCE_STATE_STOPPED);

  sim_server_set_quota (f->sim, 5);

  for (guint i = 0; i < 3; i++) {
    g_autofree char *fields = g_strdup_printf ("{\"ImageName\": \"q-%u\", \"InstanceId\": \"%s\"}", i, stopped);
    g_autoptr(RawCall) call = create_image (f, fields);

    /* 3 images already, a quota of 5: two fit. */
    if (i < 2)
      assert_api3_ok (call);
    else
      assert_api3_error (call, "ImageQuotaLimitExceeded");
  }
  g_assert_cmpuint (sim_server_count_images (f->sim, "ap-guangzhou"), ==, 5);

  /* Quota is per region. */
  {
    const char *other = sim_server_find_instance (f->sim, "ap-chengdu", TC_INSTANCE_STATE_STOPPED);
    g_autofree char *fields = g_strdup_printf ("{\"ImageName\": \"q-2\", \"InstanceId\": \"%s\"}", other);
    g_autoptr(RawCall) call = api3 (f, &(Api3) { .action = "CreateImage", .region = "ap-chengdu",
                                                 .payload = fields });

    assert_api3_ok (call);
  }
}

static void
test_create_image_states (Fixture       *f,
                          gconstpointer  data)
{
  const char *running = sim_server_find_instance (f->sim, "ap-guangzhou", TC_INSTANCE_STATE_RUNNING);
  const char *victim = sim_server_find_instance (f->sim, "ap-shanghai", TC_INSTANCE_STATE_STOPPED);
  const struct {
    TcInstanceState  state;
    const char      *code;
  } cases[] = {
    { TC_INSTANCE_STATE_RUNNING, "UnsupportedOperation.InstanceStateRunning" },
    { TC_INSTANCE_STATE_STOPPING, "UnsupportedOperation.InstanceStateStopping" },
    { TC_INSTANCE_STATE_STARTING, "UnsupportedOperation.InstanceStateStarting" },
    { TC_INSTANCE_STATE_REBOOTING, "UnsupportedOperation.InstanceStateRebooting" },
    { TC_INSTANCE_STATE_TERMINATING, "UnsupportedOperation.InstanceStateTerminating" },
    { TC_INSTANCE_STATE_PENDING, "UnsupportedOperation.InstanceStatePending" },
    { TC_INSTANCE_STATE_SHUTDOWN, "UnsupportedOperation.InstanceStateShutdown" },
    { TC_INSTANCE_STATE_RESCUE, "UnsupportedOperation.InstanceStateRescueMode" },
  };
  g_autofree char *without = g_strdup_printf ("{\"ImageName\": \"r1\", \"InstanceId\": \"%s\"}", running);
  g_autofree char *force_false = g_strdup_printf ("{\"ImageName\": \"r1\", \"InstanceId\": \"%s\", "
                                                  "\"ForcePoweroff\": \"false\"}", running);
  g_autofree char *with = g_strdup_printf ("{\"ImageName\": \"r1\", \"InstanceId\": \"%s\", "
                                           "\"ForcePoweroff\": \"true\"}", running);
  g_autoptr(RawCall) refused = create_image (f, without);
  g_autoptr(RawCall) refused_false = create_image (f, force_false);
  g_autoptr(RawCall) forced = NULL;

  assert_api3_error (refused, "UnsupportedOperation.InstanceStateRunning");
  assert_api3_error (refused_false, "UnsupportedOperation.InstanceStateRunning");
  g_assert_cmpint (sim_server_get_instance_state (f->sim, "ap-guangzhou", running), ==,
                   TC_INSTANCE_STATE_RUNNING);

  /* Tencent shuts it down to image it, and leaves it stopped. */
  forced = create_image (f, with);
  assert_api3_ok (forced);
  g_assert_cmpint (sim_server_get_instance_state (f->sim, "ap-guangzhou", running), ==,
                   TC_INSTANCE_STATE_STOPPED);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *fields = g_strdup_printf ("{\"ImageName\": \"s%u\", \"InstanceId\": \"%s\", "
                                               "\"ForcePoweroff\": \"%s\"}",
                                               i, victim,
                                               cases[i].state == TC_INSTANCE_STATE_RUNNING ? "false" : "true");
    g_autoptr(RawCall) call = NULL;

    g_assert_true (sim_server_set_instance_state (f->sim, "ap-shanghai", victim, cases[i].state));
    call = api3 (f, &(Api3) { .action = "CreateImage", .region = "ap-shanghai", .payload = fields });
    g_test_message ("case %u", i);
    assert_api3_error (call, cases[i].code);
  }
  g_assert_false (sim_server_set_instance_state (f->sim, "ap-shanghai", "ins-zzzzzzzz",
                                                 TC_INSTANCE_STATE_RUNNING));
}

static void
test_create_image_data_disks (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(RawCall) stopped = api3 (f, &(Api3) { .action = "DescribeInstances", .payload =
    "{\"Limit\": 100, \"Filters\": [{\"Name\": \"instance-state\", \"Values\": [\"STOPPED\"]}]}" });
  guint n = dig_length (stopped, "Response.InstanceSet");
  int with_disks = -1, other = -1;
  g_autofree char *id_path = NULL, *disk_path = NULL, *root_path = NULL, *other_path = NULL;
  const char *instance, *disk, *root, *other_disk;
  g_autofree char *mine = NULL, *theirs = NULL, *rooted = NULL;
  g_autoptr(RawCall) ok = NULL, not_mine = NULL, root_call = NULL;

  /* Two stopped instances with data disks. */
  for (guint i = 0; i < n; i++) {
    g_autofree char *path = g_strdup_printf ("Response.InstanceSet.%u.DataDisks.0.DiskId", i);

    if (dig_string (stopped, path) == NULL)
      continue;
    if (with_disks < 0)
      with_disks = (int) i;
    else if (other < 0)
      other = (int) i;
  }
  g_assert_cmpint (other, >=, 0);

  id_path = g_strdup_printf ("Response.InstanceSet.%d.InstanceId", with_disks);
  disk_path = g_strdup_printf ("Response.InstanceSet.%d.DataDisks.0.DiskId", with_disks);
  root_path = g_strdup_printf ("Response.InstanceSet.%d.SystemDisk.DiskId", with_disks);
  other_path = g_strdup_printf ("Response.InstanceSet.%d.DataDisks.0.DiskId", other);
  instance = dig_string (stopped, id_path);
  disk = dig_string (stopped, disk_path);
  root = dig_string (stopped, root_path);
  other_disk = dig_string (stopped, other_path);

  theirs = g_strdup_printf ("{\"ImageName\": \"d1\", \"InstanceId\": \"%s\", \"DataDiskIds\": [\"%s\"]}",
                            instance, other_disk);
  not_mine = create_image (f, theirs);
  assert_api3_error (not_mine, "InvalidParameter.DataDiskNotBelongSpecifiedInstance");

  rooted = g_strdup_printf ("{\"ImageName\": \"d1\", \"InstanceId\": \"%s\", \"DataDiskIds\": [\"%s\"]}",
                            instance, root);
  root_call = create_image (f, rooted);
  assert_api3_error (root_call, "InvalidParameter.DataDiskIdContainsRootDisk");

  mine = g_strdup_printf ("{\"ImageName\": \"d1\", \"InstanceId\": \"%s\", \"DataDiskIds\": [\"%s\"]}",
                          instance, disk);
  ok = create_image (f, mine);
  assert_api3_ok (ok);
  {
    g_autofree char *payload = g_strdup_printf ("{\"ImageIds\": [\"%s\"]}", dig_string (ok, "Response.ImageId"));
    g_autoptr(RawCall) image = api3 (f, &(Api3) { .action = "DescribeImages", .payload = payload });

    g_assert_cmpuint (dig_length (image, "Response.ImageSet.0.SnapshotSet"), ==, 2);
    g_assert_cmpstr (dig_string (image, "Response.ImageSet.0.SnapshotSet.1.DiskUsage"), ==, "DATA_DISK");
  }
}

static void
test_create_image_fail (Fixture       *f,
                        gconstpointer  data)
{
  const char *stopped = sim_server_find_instance (f->sim, "ap-guangzhou", TC_INSTANCE_STATE_STOPPED);
  g_autofree char *first = g_strdup_printf ("{\"ImageName\": \"doomed\", \"InstanceId\": \"%s\"}", stopped);
  g_autofree char *second = g_strdup_printf ("{\"ImageName\": \"fine\", \"InstanceId\": \"%s\"}", stopped);
  g_autoptr(GError) error = NULL;
  g_autoptr(RawCall) dry = NULL;
  g_autoptr(RawCall) doomed = NULL;
  g_autoptr(RawCall) fine = NULL;
  g_autofree char *state = NULL;

  g_assert_true (sim_server_add_fault (f->sim, "image-fail:count=1", &error));
  g_assert_no_error (error);

  /* A dry run creates nothing, so it does not use the fault up. */
  {
    g_autofree char *payload = g_strdup_printf ("{\"ImageName\": \"x\", \"InstanceId\": \"%s\", "
                                                "\"DryRun\": true}", stopped);

    dry = create_image (f, payload);
    assert_api3_error (dry, "DryRunOperation");
  }

  doomed = create_image (f, first);
  fine = create_image (f, second);
  assert_api3_ok (doomed);
  assert_api3_ok (fine);

  state = image_state (f, dig_string (doomed, "Response.ImageId"));
  g_assert_cmpstr (state, ==, "CREATING");

  test_run_main_loop_for (250);
  g_free (state);
  state = image_state (f, dig_string (doomed, "Response.ImageId"));
  g_assert_cmpstr (state, ==, "CREATEFAILED");
  g_assert_cmpint (sim_server_get_image_state (f->sim, "ap-guangzhou", "doomed"), ==,
                   TC_IMAGE_STATE_CREATEFAILED);
  g_assert_cmpint (sim_server_get_image_state (f->sim, "ap-guangzhou", "fine"), ==,
                   TC_IMAGE_STATE_NORMAL);

  /* The legacy API has no failed state: the image is simply not listed. */
  {
    g_autoptr(RawCall) legacy = query (f, &(Query) {
      .params = { "Action", "DescribeImages", "Region", "gz", "imageType", "1", NULL } });
    guint n;

    g_assert_cmpint (legacy_code (legacy), ==, 0);
    n = dig_length (legacy, "imageSet");
    g_assert_cmpint (dig_int (legacy, "totalCount"), ==, 4);
    for (guint i = 0; i < n; i++) {
      g_autofree char *path = g_strdup_printf ("imageSet.%u.imageName", i);

      g_assert_cmpstr (dig_string (legacy, path), !=, "doomed");
    }
  }

  /* … nor in the way: its name and its place in the quota are free, as the list says. */
  {
    g_autoptr(RawCall) again = query (f, &(Query) {
      .host = "image.api.qcloud.com", .method = "POST",
      .params = { "Action", "CreateImage", "Region", "gz", "instanceId", stopped,
                  "imageName", "doomed", NULL } });

    g_assert_cmpint (legacy_code (again), ==, 0);
  }
}

/* DeleteImages and SyncImages */

/* The ID of the seeded custom image @name in @region (NORMAL from the start). */
static char *
image_id_by_name (Fixture    *f,
                  const char *region,
                  const char *name)
{
  g_autofree char *payload = g_strdup_printf ("{\"Filters\": [{\"Name\": \"image-name\", "
                                              "\"Values\": [\"%s\"]}]}", name);
  g_autoptr(RawCall) call = api3 (f, &(Api3) { .action = "DescribeImages", .region = region,
                                               .payload = payload });

  assert_api3_ok (call);
  g_assert_cmpint (dig_int (call, "Response.TotalCount"), ==, 1);
  return g_strdup (dig_string (call, "Response.ImageSet.0.ImageId"));
}

/* Turns the loop until the image @image_id of @region is NORMAL; its JSON then. */
static RawCall *
wait_until_normal (Fixture    *f,
                   const char *region,
                   const char *image_id)
{
  g_autofree char *payload = g_strdup_printf ("{\"ImageIds\": [\"%s\"]}", image_id);

  for (guint round = 0; round < 200; round++) {
    g_autoptr(RawCall) call = api3 (f, &(Api3) { .action = "DescribeImages", .region = region,
                                                 .payload = payload });

    assert_api3_ok (call);
    if (g_strcmp0 (dig_string (call, "Response.ImageSet.0.ImageState"), "NORMAL") == 0)
      return g_steal_pointer (&call);
    test_run_main_loop_for (50);
  }
  g_assert_not_reached ();
}

static RawCall *
delete_images (Fixture    *f,
               const char *fields)
{
  return api3 (f, &(Api3) { .action = "DeleteImages", .payload = fields });
}

static void
test_delete_images (Fixture       *f,
                    gconstpointer  data)
{
  const char *stopped = sim_server_find_instance (f->sim, "ap-guangzhou", TC_INSTANCE_STATE_STOPPED);
  g_autofree char *base = image_id_by_name (f, "ap-guangzhou", "base-image");
  g_autofree char *one = g_strdup_printf ("{\"ImageIds\": [\"%s\"]}", base);
  g_autofree char *dry = g_strdup_printf ("{\"ImageIds\": [\"%s\"], \"DryRun\": true}", base);
  g_autofree char *with_snapshots = g_strdup_printf ("{\"ImageIds\": [\"%s\", \"%s\"], "
                                                     "\"DeleteBindedSnap\": true}", base, base);
  g_autofree char *create = g_strdup_printf ("{\"ImageName\": \"fresh\", \"InstanceId\": \"%s\"}", stopped);
  g_autofree char *after = g_strdup_printf ("{\"ImageName\": \"after\", \"InstanceId\": \"%s\"}", stopped);
  g_autofree char *creating = NULL;
  const struct {
    const char *fields;
    const char *code;
  } refused[] = {
    { "{}", "MissingParameter" },
    { "{\"ImageIds\": []}", "MissingParameter" },
    { "{\"ImageIds\": [\"image-1\"]}", "InvalidImageId.Malformed" },
    { "{\"ImageIds\": [\"img-zzzzzzzz\"]}", "InvalidImageId.NotFound" },
    { "{\"ImageIds\": \"img-zzzzzzzz\"}", "InvalidParameterValue" },
  };
  g_autoptr(RawCall) full = NULL, created = NULL, busy = NULL, checked = NULL;
  g_autoptr(RawCall) deleted = NULL, again = NULL, fits = NULL, quota = NULL, ready = NULL;

  /* Long enough to see the new image CREATING however slow the machine (valgrind, say). */
  sim_server_set_image_delay (f->sim, 2);

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++) {
    g_autoptr(RawCall) call = delete_images (f, refused[i].fields);

    g_test_message ("case %u: %s", i, refused[i].fields);
    assert_api3_error (call, refused[i].code);
  }

  /* The quota is used up: 3 images, a quota of 4, one new one CREATING. */
  sim_server_set_quota (f->sim, 4);
  created = create_image (f, create);
  assert_api3_ok (created);
  full = create_image (f, after);
  assert_api3_error (full, "ImageQuotaLimitExceeded");

  /* An image being made cannot be deleted, and the refusal names its state. */
  creating = g_strdup_printf ("{\"ImageIds\": [\"%s\", \"%s\"]}", base,
                              dig_string (created, "Response.ImageId"));
  busy = delete_images (f, creating);
  assert_api3_error (busy, "InvalidImageId.IncorrectState");
  g_assert_nonnull (strstr (dig_string (busy, "Response.Error.Message"), "CREATING"));
  g_assert_cmpuint (sim_server_count_images (f->sim, "ap-guangzhou"), ==, 4);

  /* A dry run that would pass says so and changes nothing. */
  checked = delete_images (f, dry);
  assert_api3_error (checked, "DryRunOperation");
  g_assert_cmpuint (sim_server_count_images (f->sim, "ap-guangzhou"), ==, 4);
  g_assert_cmpint (sim_server_get_image_state (f->sim, "ap-guangzhou", "base-image"), ==,
                   TC_IMAGE_STATE_NORMAL);

  /* Deleted (an ID named twice counts once): no longer listed, and its quota is free. */
  deleted = delete_images (f, with_snapshots);
  assert_api3_ok (deleted);
  g_assert_cmpuint (sim_server_count_images (f->sim, "ap-guangzhou"), ==, 3);
  g_assert_cmpint (sim_server_get_image_state (f->sim, "ap-guangzhou", "base-image"), ==,
                   TC_IMAGE_STATE_UNKNOWN);
  again = delete_images (f, one);
  assert_api3_error (again, "InvalidImageId.NotFound");
  quota = api3 (f, &(Api3) { .action = "DescribeImageQuota" });
  g_assert_cmpint (dig_int (quota, "Response.ImageNumQuota"), ==, 4);
  fits = create_image (f, after);
  assert_api3_ok (fits);

  /* Once made, the new image can go too. */
  ready = wait_until_normal (f, "ap-guangzhou", dig_string (created, "Response.ImageId"));
  {
    g_autofree char *fresh = g_strdup_printf ("{\"ImageIds\": [\"%s\"]}",
                                              dig_string (created, "Response.ImageId"));
    g_autoptr(RawCall) gone = delete_images (f, fresh);

    assert_api3_ok (gone);
  }
}

static RawCall *
sync_images (Fixture    *f,
             const char *fields)
{
  return api3 (f, &(Api3) { .action = "SyncImages", .payload = fields });
}

static void
test_sync_images (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *base = image_id_by_name (f, "ap-guangzhou", "base-image");
  g_autofree char *two = g_strdup_printf ("{\"ImageIds\": [\"%s\"], \"ImageName\": \"golden\", "
                                          "\"DestinationRegions\": [\"ap-shanghai\", \"ap-chengdu\"], "
                                          "\"ImageSetRequired\": true}", base);
  g_autofree char *two_dry = g_strdup_printf ("{\"ImageIds\": [\"%s\"], \"ImageName\": \"golden\", "
                                              "\"DestinationRegions\": [\"ap-shanghai\", \"ap-chengdu\"], "
                                              "\"DryRun\": true}", base);
  g_autofree char *copy_id = NULL, *payload = NULL, *busy = NULL;
  guint shanghai = sim_server_count_images (f->sim, "ap-shanghai");
  guint chengdu = sim_server_count_images (f->sim, "ap-chengdu");
  g_autoptr(RawCall) dry = NULL, copied = NULL, syncing = NULL, ready = NULL, delete_busy = NULL;
  g_autoptr(RawCall) legacy = NULL, duplicate = NULL;
  struct {
    char       *fields;
    const char *code;
  } refused[] = {
    { g_strdup ("{\"DestinationRegions\": [\"ap-shanghai\"]}"), "MissingParameter" },
    { g_strdup_printf ("{\"ImageIds\": [\"%s\"]}", base), "MissingParameter" },
    { g_strdup_printf ("{\"ImageIds\": [\"%s\", \"%s\"], \"DestinationRegions\": [\"ap-shanghai\"]}",
                       base, base), "InvalidParameterValue.LimitExceeded" },
    { g_strdup_printf ("{\"ImageIds\": [\"%s\"], \"DestinationRegions\": [\"ap-guangzhou\"]}", base),
      "InvalidParameterValue.InvalidRegion" },
    { g_strdup_printf ("{\"ImageIds\": [\"%s\"], \"DestinationRegions\": [\"xx-nowhere\"]}", base),
      "InvalidRegion.NotFound" },
    { g_strdup_printf ("{\"ImageIds\": [\"%s\"], \"DestinationRegions\": [\"ap-shanghai\", "
                       "\"ap-shanghai\"], \"ImageName\": \"golden\"}", base), "InvalidParameterValue" },
    { g_strdup ("{\"ImageIds\": [\"img-zzzzzzzz\"], \"DestinationRegions\": [\"ap-shanghai\"]}"),
      "InvalidImageId.NotFound" },
    { g_strdup_printf ("{\"ImageIds\": [\"%s\"], \"DestinationRegions\": [\"ap-shanghai\"], "
                       "\"ImageName\": \" padded\"}", base), "InvalidParameterValue" },
    { g_strdup_printf ("{\"ImageIds\": [\"%s\"], \"DestinationRegions\": [\"ap-shanghai\"], "
                       "\"Encrypt\": true}", base), "UnsupportedOperation.EncryptedImagesNotSupported" },
  };

  /* Long enough to see the copies SYNCING however slow the machine. */
  sim_server_set_image_delay (f->sim, 2);

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++) {
    g_autoptr(RawCall) call = sync_images (f, refused[i].fields);

    g_test_message ("case %u: %s", i, refused[i].fields);
    assert_api3_error (call, refused[i].code);
    g_free (refused[i].fields);
  }

  /* A dry run copies nothing. */
  dry = sync_images (f, two_dry);
  assert_api3_error (dry, "DryRunOperation");
  g_assert_cmpuint (sim_server_count_images (f->sim, "ap-shanghai"), ==, shanghai);
  g_assert_cmpuint (sim_server_count_images (f->sim, "ap-chengdu"), ==, chengdu);

  /* Two copies, one in each region, SYNCING at first… */
  copied = sync_images (f, two);
  assert_api3_ok (copied);
  g_assert_cmpuint (dig_length (copied, "Response.ImageSet"), ==, 2);
  g_assert_cmpstr (dig_string (copied, "Response.ImageSet.0.Region"), ==, "ap-shanghai");
  g_assert_cmpstr (dig_string (copied, "Response.ImageSet.1.Region"), ==, "ap-chengdu");
  copy_id = g_strdup (dig_string (copied, "Response.ImageSet.0.ImageId"));
  g_assert_true (g_regex_match_simple ("^img-[a-z0-9]{8}$", copy_id, 0, 0));
  g_assert_cmpstr (dig_string (copied, "Response.ImageSet.1.ImageId"), !=, copy_id);
  g_assert_cmpuint (sim_server_count_images (f->sim, "ap-shanghai"), ==, shanghai + 1);
  g_assert_cmpuint (sim_server_count_images (f->sim, "ap-chengdu"), ==, chengdu + 1);
  g_assert_cmpint (sim_server_get_image_state (f->sim, "ap-shanghai", "golden"), ==,
                   TC_IMAGE_STATE_SYNCING);
  g_assert_cmpint (sim_server_get_image_state (f->sim, "ap-chengdu", "golden"), ==,
                   TC_IMAGE_STATE_SYNCING);
  /* The source stays as it was, in its own region. */
  g_assert_cmpint (sim_server_get_image_state (f->sim, "ap-guangzhou", "base-image"), ==,
                   TC_IMAGE_STATE_NORMAL);
  g_assert_cmpint (sim_server_get_image_state (f->sim, "ap-guangzhou", "golden"), ==,
                   TC_IMAGE_STATE_UNKNOWN);

  payload = g_strdup_printf ("{\"ImageIds\": [\"%s\"]}", copy_id);
  syncing = api3 (f, &(Api3) { .action = "DescribeImages", .region = "ap-shanghai", .payload = payload });
  assert_api3_ok (syncing);
  g_assert_cmpstr (dig_string (syncing, "Response.ImageSet.0.ImageState"), ==, "SYNCING");
  g_assert_cmpint (dig_int (syncing, "Response.ImageSet.0.SyncPercent"), <, 100);
  g_assert_cmpstr (dig_string (syncing, "Response.ImageSet.0.ImageName"), ==, "golden");

  /* The copy's SyncPercent grows while it lasts. */
  test_run_main_loop_for (300);
  {
    g_autoptr(RawCall) later = api3 (f, &(Api3) { .action = "DescribeImages", .region = "ap-shanghai",
                                                  .payload = payload });

    g_assert_cmpstr (dig_string (later, "Response.ImageSet.0.ImageState"), ==, "SYNCING");
    g_assert_cmpint (dig_int (later, "Response.ImageSet.0.SyncPercent"), >,
                     dig_int (syncing, "Response.ImageSet.0.SyncPercent"));
  }

  /* …which cannot be deleted, nor copied on, while it lasts… */
  delete_busy = api3 (f, &(Api3) { .action = "DeleteImages", .region = "ap-shanghai", .payload = payload });
  assert_api3_error (delete_busy, "InvalidImageId.IncorrectState");
  busy = g_strdup_printf ("{\"ImageIds\": [\"%s\"], \"DestinationRegions\": [\"ap-beijing\"]}", copy_id);
  {
    g_autoptr(RawCall) call = api3 (f, &(Api3) { .action = "SyncImages", .region = "ap-shanghai",
                                                 .payload = busy });

    assert_api3_error (call, "InvalidImageId.IncorrectState");
  }

  /* …and the legacy API lists it as syncing (4). */
  legacy = query (f, &(Query) {
    .params = { "Action", "DescribeImages", "Region", "ap-shanghai", "imageType", "1",
                "imageIds.0", copy_id, NULL } });
  g_assert_cmpint (legacy_code (legacy), ==, 0);
  g_assert_cmpint (dig_int (legacy, "imageSet.0.status"), ==, 4);

  /* …then NORMAL after the delay. */
  ready = wait_until_normal (f, "ap-shanghai", copy_id);
  g_assert_cmpint (dig_int (ready, "Response.ImageSet.0.SyncPercent"), ==, 100);
  g_clear_pointer (&ready, raw_call_free);
  ready = wait_until_normal (f, "ap-chengdu", dig_string (copied, "Response.ImageSet.1.ImageId"));
  g_assert_cmpint (sim_server_get_image_state (f->sim, "ap-chengdu", "golden"), ==,
                   TC_IMAGE_STATE_NORMAL);

  /* The name is now taken there, and a full destination refuses a copy. */
  duplicate = sync_images (f, two);
  assert_api3_error (duplicate, "InvalidImageName.Duplicate");
  sim_server_set_quota (f->sim, sim_server_count_images (f->sim, "ap-beijing"));
  {
    g_autofree char *full = g_strdup_printf ("{\"ImageIds\": [\"%s\"], "
                                             "\"DestinationRegions\": [\"ap-beijing\"]}", base);
    g_autoptr(RawCall) call = sync_images (f, full);

    assert_api3_error (call, "ImageQuotaLimitExceeded");
  }
}

/* A copy can only be made of a NORMAL image. */
static void
test_sync_images_creating (Fixture       *f,
                           gconstpointer  data)
{
  const char *stopped = sim_server_find_instance (f->sim, "ap-guangzhou", TC_INSTANCE_STATE_STOPPED);
  g_autofree char *create = g_strdup_printf ("{\"ImageName\": \"young\", \"InstanceId\": \"%s\"}", stopped);
  g_autoptr(RawCall) created = NULL;
  g_autofree char *fields = NULL;
  g_autoptr(RawCall) call = NULL;

  sim_server_set_image_delay (f->sim, 2);
  created = create_image (f, create);
  assert_api3_ok (created);
  fields = g_strdup_printf ("{\"ImageIds\": [\"%s\"], \"DestinationRegions\": [\"ap-shanghai\"]}",
                            dig_string (created, "Response.ImageId"));
  call = sync_images (f, fields);
  assert_api3_error (call, "InvalidImageId.IncorrectState");
  g_assert_nonnull (strstr (dig_string (call, "Response.Error.Message"), "CREATING"));
  g_assert_cmpint (sim_server_get_image_state (f->sim, "ap-shanghai", "young"), ==,
                   TC_IMAGE_STATE_UNKNOWN);
}

static void
test_legacy_actions (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(RawCall) instances = query (f, &(Query) { .host = "cvm.api.qcloud.com",
    .params = { "Action", "DescribeInstances", "Region", "gz", "limit", "100", NULL } });
  g_autoptr(RawCall) stopped = query (f, &(Query) {
    .params = { "Action", "DescribeInstances", "Region", "ap-guangzhou", "status", "4", NULL } });
  g_autoptr(RawCall) images = query (f, &(Query) { .host = "image.api.qcloud.com",
    .params = { "Action", "DescribeImages", "Region", "gz", "imageType", "1", NULL } });
  g_autoptr(RawCall) no_type = query (f, &(Query) {
    .params = { "Action", "DescribeImages", "Region", "gz", NULL } });
  const char *first;
  guint n;

  g_assert_cmpint (legacy_code (instances), ==, 0);
  g_assert_cmpstr (dig_string (instances, "message"), ==, "");
  g_assert_cmpint (dig_int (instances, "totalCount"), ==, 40);
  n = dig_length (instances, "instanceSet");
  g_assert_cmpuint (n, ==, 40);
  first = dig_string (instances, "instanceSet.0.unInstanceId");
  g_assert_true (g_regex_match_simple ("^ins-[a-z0-9]{8}$", first, 0, 0));
  g_assert_cmpint (dig_int (instances, "instanceSet.0.status"), ==, 4);
  g_assert_cmpint (dig_int (instances, "instanceSet.1.status"), ==, 2);
  g_assert_nonnull (dig_string (instances, "instanceSet.0.instanceName"));
  g_assert_nonnull (dig_string (instances, "instanceSet.0.os"));
  g_assert_true (g_str_has_prefix (dig_string (instances, "instanceSet.0.zoneName"), "广州"));
  g_assert_true (g_str_has_prefix (dig_string (instances, "instanceSet.0.lanIp"), "10."));
  g_assert_nonnull (dig (instances->json, "instanceSet.0.wanIpSet"));
  g_assert_cmpint (dig_int (instances, "instanceSet.0.cpu"), >, 0);
  g_assert_cmpint (dig_int (instances, "instanceSet.0.mem"), >, 0);
  g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d$",
                                       dig_string (instances, "instanceSet.0.createTime"), 0, 0));
  g_assert_cmpint (dig_int (instances, "instanceSet.0.diskInfo.rootSize"), >, 0);
  g_assert_nonnull (dig (instances->json, "instanceSet.0.diskInfo.dataDisks"));

  g_assert_cmpint (legacy_code (stopped), ==, 0);
  for (guint i = 0; i < dig_length (stopped, "instanceSet"); i++) {
    g_autofree char *path = g_strdup_printf ("instanceSet.%u.status", i);

    g_assert_cmpint (dig_int (stopped, path), ==, 4);
  }
  g_assert_cmpstr (dig_string (stopped, "instanceSet.0.unInstanceId"), ==, first);

  g_assert_cmpint (legacy_code (images), ==, 0);
  g_assert_cmpint (dig_int (images, "totalCount"), ==, 3);
  g_assert_true (g_str_has_prefix (dig_string (images, "imageSet.0.unImgId"), "img-"));
  g_assert_cmpint (dig_int (images, "imageSet.0.status"), ==, 2);
  g_assert_nonnull (dig_string (images, "imageSet.0.osName"));
  g_assert_nonnull (dig_string (images, "imageSet.0.imageDescription"));

  g_assert_cmpint (legacy_code (no_type), ==, 4000);
}

static void
test_legacy_create_image (Fixture       *f,
                          gconstpointer  data)
{
  const char *stopped = sim_server_find_instance (f->sim, "ap-guangzhou", TC_INSTANCE_STATE_STOPPED);
  const char *running = sim_server_find_instance (f->sim, "ap-guangzhou", TC_INSTANCE_STATE_RUNNING);
  g_autoptr(RawCall) created = query (f, &(Query) { .host = "image.api.qcloud.com", .method = "POST",
    .params = { "Action", "CreateImage", "Region", "gz", "instanceId", stopped,
                "imageName", "legacy-1", "imageDescription", "中文_desc-1", NULL } });
  g_autoptr(RawCall) duplicate = NULL, on_running = NULL, bad_name = NULL, bad_description = NULL;
  g_autoptr(RawCall) unknown = NULL, listed = NULL, quota = NULL;
  JsonNode *request_id;

  g_assert_cmpint (legacy_code (created), ==, 0);
  request_id = dig (created->json, "requestId");
  g_assert_nonnull (request_id);
  g_assert_cmpint (json_node_get_value_type (request_id), ==, G_TYPE_INT64);
  g_assert_null (dig (created->json, "imageId"));
  g_assert_null (dig (created->json, "unImgId"));
  g_assert_cmpint (sim_server_get_image_state (f->sim, "ap-guangzhou", "legacy-1"), ==,
                   TC_IMAGE_STATE_CREATING);

  listed = query (f, &(Query) {
    .params = { "Action", "DescribeImages", "Region", "gz", "imageType", "1", NULL } });
  g_assert_cmpint (dig_int (listed, "totalCount"), ==, 4);
  g_assert_cmpstr (dig_string (listed, "imageSet.0.imageName"), ==, "legacy-1");
  g_assert_cmpint (dig_int (listed, "imageSet.0.status"), ==, 1);

  duplicate = query (f, &(Query) {
    .params = { "Action", "CreateImage", "Region", "gz", "instanceId", stopped,
                "imageName", "legacy-1", NULL } });
  g_assert_cmpint (legacy_code (duplicate), ==, 5100);
  g_assert_true (g_str_has_prefix (dig_string (duplicate, "message"), "(-20001)"));
  g_assert_cmpstr (dig_string (duplicate, "codeDesc"), ==, "InvalidImageName.Duplicate");

  /* The legacy API images stopped instances only. */
  on_running = query (f, &(Query) {
    .params = { "Action", "CreateImage", "Region", "gz", "instanceId", running,
                "imageName", "legacy-2", NULL } });
  g_assert_cmpint (legacy_code (on_running), ==, 5100);
  g_assert_true (g_str_has_prefix (dig_string (on_running, "message"), "(-20003)"));

  /* Legacy names: 1–16 of [A-Za-z0-9-]. */
  bad_name = query (f, &(Query) {
    .params = { "Action", "CreateImage", "Region", "gz", "instanceId", stopped,
                "imageName", "has space", NULL } });
  g_assert_cmpint (legacy_code (bad_name), ==, 4000);
  bad_description = query (f, &(Query) {
    .params = { "Action", "CreateImage", "Region", "gz", "instanceId", stopped,
                "imageName", "ok-name", "imageDescription", "no spaces allowed", NULL } });
  g_assert_cmpint (legacy_code (bad_description), ==, 4000);

  unknown = query (f, &(Query) {
    .params = { "Action", "CreateImage", "Region", "gz", "instanceId", "ins-zzzzzzzz",
                "imageName", "legacy-3", NULL } });
  g_assert_cmpint (legacy_code (unknown), ==, 5000);

  sim_server_set_quota (f->sim, 4);
  quota = query (f, &(Query) {
    .params = { "Action", "CreateImage", "Region", "gz", "instanceId", stopped,
                "imageName", "legacy-4", NULL } });
  g_assert_cmpint (legacy_code (quota), ==, 5100);
  g_assert_true (g_str_has_prefix (dig_string (quota, "message"), "(-20002)"));
}

/* The fleet. */

static char *
first_page (SimServer *sim,
            guint      port,
            const char *region)
{
  Fixture f = { sim, port };
  g_autofree char *payload = g_strdup ("{\"Limit\": 100}");
  g_autoptr(RawCall) call = api3 (&f, &(Api3) { .action = "DescribeInstances", .region = region,
                                                .payload = payload });
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  assert_api3_ok (call);
  json_generator_set_root (generator, dig (call->json, "Response.InstanceSet"));
  return json_generator_to_data (generator, NULL);
}

static SimServer *
listening (guint seed,
           guint instances)
{
  SimServer *sim = sim_server_new (seed, instances);
  g_autoptr(GError) error = NULL;

  g_assert_true (sim_server_listen (sim, 0, &error));
  g_assert_no_error (error);
  return sim;
}

static void
test_fleet_determinism (void)
{
  g_autoptr(SimServer) a = listening (7, 60);
  g_autoptr(SimServer) b = listening (7, 60);
  g_autoptr(SimServer) c = listening (8, 60);
  g_autofree char *page_a = first_page (a, sim_server_get_port (a), "ap-guangzhou");
  g_autofree char *page_c = first_page (c, sim_server_get_port (c), "ap-guangzhou");
  g_autofree char *page_b = NULL;
  g_autofree char *shanghai_a = first_page (a, sim_server_get_port (a), "ap-shanghai");
  g_autofree char *shanghai_b = NULL;

  /* b generates Shanghai first: a region does not depend on which came before it. */
  shanghai_b = first_page (b, sim_server_get_port (b), "ap-shanghai");
  page_b = first_page (b, sim_server_get_port (b), "ap-guangzhou");

  g_assert_cmpstr (page_a, ==, page_b);
  g_assert_cmpstr (shanghai_a, ==, shanghai_b);
  g_assert_cmpstr (page_a, !=, page_c);
  g_assert_cmpstr (page_a, !=, shanghai_a);

  /* Both kinds of OS and names in both scripts turn up. */
  g_assert_nonnull (strstr (page_a, "Windows"));
  g_assert_true (strstr (page_a, "Ubuntu") != NULL || strstr (page_a, "CentOS") != NULL ||
                 strstr (page_a, "TencentOS") != NULL || strstr (page_a, "Debian") != NULL);
  g_assert_true (g_regex_match_simple ("\"InstanceName\":\"[a-z]", page_a, 0, 0));
  g_assert_true (g_regex_match_simple ("\"InstanceName\":\"[^a-z\"]", page_a, 0, 0));
  g_assert_nonnull (strstr (page_a, "\"DataDisks\":[{"));
}

static void
test_fleet_every_region (Fixture       *f,
                         gconstpointer  data)
{
  const char *regions[] = { "ap-guangzhou", "ap-shanghai", "ap-beijing", "ap-chengdu",
                            "ap-chongqing", "ap-nanjing", "ap-hongkong", "ap-singapore",
                            "na-siliconvalley", "eu-frankfurt" };

  for (guint i = 0; i < G_N_ELEMENTS (regions); i++) {
    g_autoptr(RawCall) call = api3 (f, &(Api3) { .action = "DescribeInstances", .region = regions[i],
                                                 .payload = "{\"Limit\": 2}" });
    g_autofree char *zone_prefix = g_strconcat (regions[i], "-", NULL);

    assert_api3_ok (call);
    g_assert_cmpint (dig_int (call, "Response.TotalCount"), ==, 40);
    g_assert_cmpstr (dig_string (call, "Response.InstanceSet.0.InstanceState"), ==, "STOPPED");
    g_assert_cmpstr (dig_string (call, "Response.InstanceSet.1.InstanceState"), ==, "RUNNING");
    g_assert_true (g_str_has_prefix (dig_string (call, "Response.InstanceSet.0.Placement.Zone"),
                                     zone_prefix));
    g_assert_nonnull (sim_server_find_instance (f->sim, regions[i], TC_INSTANCE_STATE_STOPPED));
    g_assert_nonnull (sim_server_find_instance (f->sim, regions[i], TC_INSTANCE_STATE_RUNNING));
  }
  g_assert_null (sim_server_find_instance (f->sim, "ap-atlantis", TC_INSTANCE_STATE_RUNNING));
}

static void
test_fleet_large (void)
{
  g_autoptr(SimServer) sim = listening (1, 100000);
  Fixture f = { sim, sim_server_get_port (sim) };
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autoptr(RawCall) last = NULL;
  g_autoptr(RawCall) filtered = NULL;
  double generate;

  /* Generation happens on first use of the region. */
  g_assert_nonnull (sim_server_find_instance (sim, "ap-guangzhou", TC_INSTANCE_STATE_STOPPED));
  generate = g_timer_elapsed (timer, NULL);
  g_test_message ("100,000 instances generated in %.0f ms", generate * 1000);

  last = api3 (&f, &(Api3) { .action = "DescribeInstances",
                             .payload = "{\"Offset\": 99900, \"Limit\": 100}" });
  assert_api3_ok (last);
  g_assert_cmpint (dig_int (last, "Response.TotalCount"), ==, 100000);
  g_assert_cmpuint (dig_length (last, "Response.InstanceSet"), ==, 100);
  g_test_message ("a page of 100 at offset 99,900 answered in %.1f ms", last->elapsed_us / 1000.0);

  /* Filtering is a linear scan of the whole region. */
  filtered = api3 (&f, &(Api3) { .action = "DescribeInstances", .payload =
    "{\"Limit\": 100, \"Filters\": [{\"Name\": \"instance-name\", \"Values\": [\"web-1234\"]}]}" });
  assert_api3_ok (filtered);
  g_assert_cmpint (dig_int (filtered, "Response.TotalCount"), >=, 1);
  g_test_message ("a filtered scan answered in %.1f ms", filtered->elapsed_us / 1000.0);
}

/* Faults, as they look on the wire. */

static void
add_fault (SimServer  *sim,
           const char *spec)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sim_server_add_fault (sim, spec, &error));
  g_assert_no_error (error);
}

static void
test_fault_specs (void)
{
  g_autoptr(SimServer) sim = sim_server_new (1, 1);
  const char *good[] = {
    "latency:ms=10", "latency,ms=10", "rate-limit", "rate-limit:action=CreateImage,count=2",
    "http-500:rate=0.5", "http-503:count=0", "html,rate=1,ms=5", "malformed-json", "truncated",
    "oversized", "drop", "stall:action=DescribeImages", "image-fail", "image-fail:action=CreateImage",
    "internal-error:action=DescribeInstances,rate=0.25,count=3,ms=1", "truncated:skip=1,count=1",
  };
  const char *bad[] = {
    "", "nope", "latency", "latency:ms=abc", "http-500:rate=2", "http-500:rate=-0.1",
    "http-500:count=-1", "http-500:action=Nope", "http-500:foo=1", "http-500:rate",
    "image-fail:action=DescribeImages", "drop:ms=99999999", "drop:skip=-1", "drop:skip=x",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++) {
    g_autoptr(GError) error = NULL;

    g_test_message ("good: %s", good[i]);
    g_assert_true (sim_server_add_fault (sim, good[i], &error));
    g_assert_no_error (error);
  }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_autoptr(GError) error = NULL;

    g_test_message ("bad: %s", bad[i]);
    g_assert_false (sim_server_add_fault (sim, bad[i], &error));
    g_assert_nonnull (error);
    g_assert_nonnull (error->message);
  }
  sim_server_clear_faults (sim);
}

static void
test_fault_latency (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(RawCall) fast = api3 (f, &(Api3) { .action = "DescribeRegions" });
  g_autoptr(RawCall) slow = NULL;
  g_autoptr(RawCall) slower = NULL;
  g_autoptr(RawCall) other_action = NULL;

  assert_api3_ok (fast);

  add_fault (f->sim, "latency:action=DescribeRegions,ms=300");
  slow = api3 (f, &(Api3) { .action = "DescribeRegions" });
  assert_api3_ok (slow);
  g_assert_cmpint (slow->elapsed_us, >=, 300 * 1000);

  /* Another action is not held back (speed is measured in benchmarks, never asserted). */
  other_action = api3 (f, &(Api3) { .action = "DescribeImageQuota" });
  assert_api3_ok (other_action);

  /* The global latency adds to the fault's. */
  sim_server_set_latency (f->sim, 200);
  slower = api3 (f, &(Api3) { .action = "DescribeRegions" });
  assert_api3_ok (slower);
  g_assert_cmpint (slower->elapsed_us, >=, 500 * 1000);
}

static void
test_fault_api_errors (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(RawCall) limited = NULL, internal = NULL, legacy_limited = NULL, legacy_internal = NULL;

  add_fault (f->sim, "rate-limit:action=DescribeRegions");
  add_fault (f->sim, "internal-error:action=DescribeImageQuota");
  add_fault (f->sim, "rate-limit:action=DescribeInstances");
  add_fault (f->sim, "internal-error:action=DescribeImages");

  limited = api3 (f, &(Api3) { .action = "DescribeRegions" });
  assert_api3_error (limited, "RequestLimitExceeded");
  internal = api3 (f, &(Api3) { .action = "DescribeImageQuota" });
  assert_api3_error (internal, "InternalError");

  legacy_limited = query (f, &(Query) { .params = { "Action", "DescribeInstances", "Region", "gz", NULL } });
  g_assert_cmpint (legacy_code (legacy_limited), ==, 4400);
  legacy_internal = query (f, &(Query) {
    .params = { "Action", "DescribeImages", "Region", "gz", "imageType", "1", NULL } });
  g_assert_cmpint (legacy_code (legacy_internal), ==, 6000);
}

static void
test_fault_http (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(RawCall) e500 = NULL, e503 = NULL, html = NULL, malformed = NULL;

  add_fault (f->sim, "http-500:action=DescribeRegions");
  add_fault (f->sim, "http-503:action=DescribeImageQuota");
  add_fault (f->sim, "html:action=DescribeImages");
  add_fault (f->sim, "malformed-json:action=DescribeInstances");

  e500 = api3 (f, &(Api3) { .action = "DescribeRegions" });
  g_assert_cmpuint (e500->status, ==, 500);
  g_assert_null (e500->json);

  e503 = api3 (f, &(Api3) { .action = "DescribeImageQuota" });
  g_assert_cmpuint (e503->status, ==, 503);
  g_assert_null (e503->json);

  html = api3 (f, &(Api3) { .action = "DescribeImages" });
  g_assert_cmpuint (html->status, ==, 502);
  g_assert_true (g_str_has_prefix (g_hash_table_lookup (html->headers, "content-type"), "text/html"));
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (html->body, NULL), -1, "<html>"));

  malformed = api3 (f, &(Api3) { .action = "DescribeInstances" });
  g_assert_cmpuint (malformed->status, ==, 200);
  g_assert_cmpint (malformed->content_length, ==, (gint64) g_bytes_get_size (malformed->body));
  g_assert_null (malformed->json);
}

static void
test_fault_truncated (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(RawCall) call = NULL;
  g_autoptr(RawCall) legacy = NULL;

  add_fault (f->sim, "truncated");

  call = api3 (f, &(Api3) { .action = "DescribeInstances" });
  g_assert_cmpuint (call->status, ==, 200);
  g_assert_false (call->timed_out);
  g_assert_cmpint (call->content_length, >, 0);
  g_assert_cmpint ((gint64) g_bytes_get_size (call->body), <, call->content_length);
  g_assert_cmpuint (g_bytes_get_size (call->body), >, 0);
  g_assert_null (call->json);

  legacy = query (f, &(Query) { .params = { "Action", "DescribeInstances", "Region", "gz", NULL } });
  g_assert_cmpuint (legacy->status, ==, 200);
  g_assert_cmpint ((gint64) g_bytes_get_size (legacy->body), <, legacy->content_length);
}

static void
test_fault_oversized (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(RawCall) call = NULL;

  add_fault (f->sim, "oversized:action=DescribeInstances");
  call = api3 (f, &(Api3) { .action = "DescribeInstances" });
  g_assert_cmpuint (call->status, ==, 200);
  g_assert_cmpuint (g_bytes_get_size (call->body), >, 9 * 1024 * 1024);
  g_assert_cmpint (call->content_length, ==, (gint64) g_bytes_get_size (call->body));
  /* Valid-looking: it parses. */
  g_assert_nonnull (call->json);
  g_assert_nonnull (dig_string (call, "Response.RequestId"));
}

static void
test_fault_drop (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(RawCall) call = NULL;
  g_autoptr(RawCall) after = NULL;

  add_fault (f->sim, "drop:count=1,ms=50");
  call = api3 (f, &(Api3) { .action = "DescribeRegions" });
  g_assert_false (call->timed_out);
  g_assert_cmpuint (call->data->len, ==, 0);
  g_assert_cmpuint (call->status, ==, 0);

  after = api3 (f, &(Api3) { .action = "DescribeRegions" });
  assert_api3_ok (after);
}

static void
test_fault_stall (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GString) request = NULL;
  g_autoptr(RawCall) stalled = NULL;
  g_autoptr(RawCall) other = NULL;

  add_fault (f->sim, "stall:action=DescribeImages");

  request = api3_build (f, &(Api3) { .action = "DescribeImages" });
  stalled = raw_send_bytes (f->port, request->str, request->len, 1);
  g_assert_true (stalled->timed_out);
  g_assert_cmpuint (stalled->data->len, ==, 0);

  /* Other actions are still served meanwhile. */
  other = api3 (f, &(Api3) { .action = "DescribeRegions" });
  assert_api3_ok (other);
}

static gboolean
disconnect_cb (gpointer user_data)
{
  sim_server_disconnect (user_data);
  return G_SOURCE_REMOVE;
}

/* A stalled answer is held until the server goes away, which closes the connection. */
static void
test_fault_stall_until_disconnect (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GString) request = NULL;
  g_autoptr(RawCall) call = NULL;

  add_fault (f->sim, "stall");
  request = api3_build (f, &(Api3) { .action = "DescribeRegions" });

  g_timeout_add (300, disconnect_cb, f->sim);
  call = raw_send_bytes (f->port, request->str, request->len, 20);
  /* The connection ended without an answer, and not by the client's own deadline: the
   * server went away (its port is gone) while the answer was held. How long that took is
   * the machine's business. */
  g_assert_false (call->timed_out);
  g_assert_cmpuint (call->data->len, ==, 0);
  g_assert_cmpuint (sim_server_get_port (f->sim), ==, 0);
}

static void
test_fault_count (Fixture       *f,
                  gconstpointer  data)
{
  add_fault (f->sim, "rate-limit:action=DescribeInstances,count=2");

  for (guint i = 0; i < 4; i++) {
    g_autoptr(RawCall) call = api3 (f, &(Api3) { .action = "DescribeInstances" });
    g_autoptr(RawCall) other = api3 (f, &(Api3) { .action = "DescribeImageQuota" });

    assert_api3_error (call, i < 2 ? "RequestLimitExceeded" : NULL);
    assert_api3_ok (other);
  }

  g_assert_cmpuint (sim_server_get_request_count (f->sim, "DescribeInstances"), ==, 4);
  g_assert_cmpuint (sim_server_get_request_count (f->sim, "DescribeImageQuota"), ==, 4);
  g_assert_cmpuint (sim_server_get_request_count (f->sim, "CreateImage"), ==, 0);
  g_assert_cmpuint (sim_server_get_request_count (f->sim, NULL), ==, 8);

  /* skip=N lets the first N matching requests through (a dry run before the real call). */
  add_fault (f->sim, "rate-limit:action=DescribeImageQuota,skip=1,count=1");
  for (guint i = 0; i < 3; i++) {
    g_autoptr(RawCall) call = api3 (f, &(Api3) { .action = "DescribeImageQuota" });

    assert_api3_error (call, i == 1 ? "RequestLimitExceeded" : NULL);
  }
  sim_server_clear_faults (f->sim);

  /* Cleared faults no longer fire. */
  add_fault (f->sim, "http-500");
  sim_server_clear_faults (f->sim);
  {
    g_autoptr(RawCall) call = api3 (f, &(Api3) { .action = "DescribeRegions" });

    assert_api3_ok (call);
  }
}

static GString *
rate_pattern (guint seed)
{
  g_autoptr(SimServer) sim = listening (seed, 5);
  Fixture f = { sim, sim_server_get_port (sim) };
  GString *pattern = g_string_new (NULL);

  add_fault (sim, "internal-error:rate=0.5");
  add_fault (sim, "http-500:rate=0");
  for (guint i = 0; i < 40; i++) {
    g_autoptr(RawCall) call = api3 (&f, &(Api3) { .action = "DescribeImageQuota" });

    g_string_append_c (pattern, api3_code (call) != NULL ? 'x' : '.');
  }
  return pattern;
}

static void
test_fault_rate (void)
{
  g_autoptr(GString) a = rate_pattern (11);
  g_autoptr(GString) b = rate_pattern (11);
  guint fired = 0;

  g_test_message ("%s", a->str);
  for (guint i = 0; i < a->len; i++)
    fired += a->str[i] == 'x';

  /* About half, and the same half for the same seed. */
  g_assert_cmpuint (fired, >=, 10);
  g_assert_cmpuint (fired, <=, 30);
  g_assert_cmpstr (a->str, ==, b->str);
}

/* Robustness. */

static void
test_bad_input (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autofree char *bad_utf8 = g_strdup ("{\"Limit\": \"\xff\xfe\"}");
  const char *bodies[] = {
    "{\"Limit\": ",
    "[1, 2, 3]",
    "null",
    "\"Limit\"",
    "{\"Limit\": 1} trailing",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++) {
    g_autoptr(RawCall) call = api3 (f, &(Api3) { .action = "DescribeInstances", .payload = bodies[i] });

    g_test_message ("body %u: %s", i, bodies[i]);
    assert_api3_error (call, "InvalidParameter");
  }

  /* Nesting that would blow a recursive parser's stack. */
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (deep, '[');
  {
    g_autoptr(RawCall) call = api3 (f, &(Api3) { .action = "DescribeInstances", .payload = deep->str });

    assert_api3_error (call, "InvalidParameter");
  }
  {
    g_autoptr(RawCall) call = api3 (f, &(Api3) { .action = "DescribeInstances", .payload = bad_utf8 });

    assert_api3_error (call, "InvalidParameter");
  }

  /* A v1 parameter name nested a million deep. */
  {
    g_autoptr(GString) name = g_string_new ("GET /?Action=DescribeRegions&Version=2017-03-12&X");
    g_autoptr(RawCall) call = NULL;

    for (guint i = 0; i < 1000000; i++)
      g_string_append (name, ".a");
    g_string_append (name, "=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    call = raw_send (f->port, name->str);
    /* libsoup refuses or drops a request line this long itself. */
    g_assert_true (call->status == 0 || call->status >= 400);
  }
  {
    g_autoptr(GString) name = g_string_new ("X");
    g_autoptr(GString) request = NULL;
    g_autoptr(RawCall) call = NULL;

    for (guint i = 0; i < 1000000; i++)
      g_string_append (name, ".a");
    request = query_build (f, &(Query) { .method = "POST", .path = "/",
                                         .params = { "Action", "DescribeRegions",
                                                     "Version", "2017-03-12", name->str, "1",
                                                     NULL } });
    call = raw_send_bytes (f->port, request->str, request->len, 10);
    assert_api3_error (call, "InvalidParameter");
  }

  /* Garbage is answered by libsoup, and the simulator carries on. */
  {
    g_autoptr(RawCall) garbage = raw_send (f->port, "\x01\x02 nonsense\r\n\r\n");
    g_autoptr(RawCall) unsigned_post = raw_send (f->port, "POST / HTTP/1.1\r\nHost: x\r\n"
                                                          "Content-Length: 2\r\nConnection: close\r\n\r\n{}");
    g_autoptr(RawCall) put = raw_send (f->port, "PUT /v2/index.php HTTP/1.1\r\nHost: x\r\n"
                                                "Content-Length: 0\r\nConnection: close\r\n\r\n");
    g_autoptr(RawCall) bad_escape = raw_send (f->port, "GET /v2/index.php?Action=%zz HTTP/1.1\r\n"
                                                       "Host: x\r\nConnection: close\r\n\r\n");
    g_autoptr(RawCall) bad_utf8_query = raw_send (f->port, "GET /v2/index.php?Action=%ff%fe HTTP/1.1\r\n"
                                                           "Host: x\r\nConnection: close\r\n\r\n");
    g_autoptr(RawCall) nul_query = raw_send (f->port, "GET /?Action=a%00b HTTP/1.1\r\n"
                                                      "Host: x\r\nConnection: close\r\n\r\n");
    g_autoptr(RawCall) after = api3 (f, &(Api3) { .action = "DescribeRegions" });

    g_assert_cmpuint (garbage->status, ==, 400);
    assert_api3_error (unsigned_post, "AuthFailure.InvalidAuthorization");
    g_assert_cmpint (legacy_code (put), ==, 4000);
    g_assert_cmpuint (bad_escape->status, ==, 400);
    g_assert_cmpint (legacy_code (bad_utf8_query), ==, 4000);
    assert_api3_error (nul_query, "InvalidParameter");
    assert_api3_ok (after);
  }
}

static void
test_body_limit (Fixture       *f,
                 gconstpointer  data)
{
  gsize size = 10 * 1024 * 1024 + 100;
  g_autofree char *big = g_malloc (size + 1);
  g_autoptr(RawCall) declared = NULL;
  g_autoptr(RawCall) chunked = NULL;
  g_autoptr(GString) chunked_request = g_string_new ("POST / HTTP/1.1\r\nHost: x\r\n"
                                                     "Transfer-Encoding: chunked\r\n"
                                                     "Connection: close\r\n\r\n");

  memset (big, ' ', size);
  big[size] = '\0';

  /* Content-Length over 10 MiB: refused, without waiting for the body. */
  declared = raw_send (f->port, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 20000000\r\n"
                                "Expect: 100-continue\r\nConnection: close\r\n\r\n");
  g_assert_cmpuint (declared->status, ==, 413);
  g_assert_cmpstr (dig_string (declared, "Response.Error.Code"), ==, "RequestSizeLimitExceeded");

  /* Chunked past 10 MiB: read, dropped, refused. */
  for (gsize sent = 0; sent < size; sent += 1024 * 1024) {
    gsize n = MIN (1024 * 1024, size - sent);

    g_string_append_printf (chunked_request, "%" G_GSIZE_MODIFIER "x\r\n", n);
    g_string_append_len (chunked_request, big, (gssize) n);
    g_string_append (chunked_request, "\r\n");
  }
  g_string_append (chunked_request, "0\r\n\r\n");
  chunked = raw_send_bytes (f->port, chunked_request->str, chunked_request->len, 10);
  g_assert_cmpuint (chunked->status, ==, 413);
  g_assert_cmpstr (dig_string (chunked, "Response.Error.Code"), ==, "RequestSizeLimitExceeded");

  /* A legacy request gets the legacy envelope. */
  {
    g_autoptr(RawCall) legacy = raw_send (f->port, "POST /v2/index.php HTTP/1.1\r\nHost: x\r\n"
                                                   "Content-Length: 20000000\r\nExpect: 100-continue\r\n"
                                                   "Connection: close\r\n\r\n");

    g_assert_cmpuint (legacy->status, ==, 413);
    g_assert_cmpint (dig_int (legacy, "code"), ==, 4000);
  }
}

/* The command. */

static char *
sim_path (void)
{
  char *path = g_test_build_filename (G_TEST_BUILT, "..", "src", "sim", "imprint-sim", NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_EXECUTABLE)) {
    g_test_skip ("imprint-sim is not built");
    g_clear_pointer (&path, g_free);
  }
  return path;
}

/* What imprint-sim wrote to stderr, without the lines ("==PID== ...") valgrind adds there
 * when the valgrind test setup follows the program; those must count no error. */
static char *
without_valgrind_lines (const char *err)
{
  g_autoptr(GRegex) valgrind = g_regex_new ("^==[0-9]+==.*\n", G_REGEX_MULTILINE, 0, NULL);

  g_assert_false (g_regex_match_simple ("^==[0-9]+== ERROR SUMMARY: [1-9]", err,
                                        G_REGEX_MULTILINE, 0));
  return g_regex_replace_literal (valgrind, err, -1, 0, "", 0, NULL);
}

static void
test_cli_errors (void)
{
  g_autofree char *path = sim_path ();
  const char *argvs[3][6] = {
    { path, "--fault", "bogus", NULL },
    { path, "--secret-id", "AKIDonly", NULL },
    { path, "--instances", "100001", NULL },
  };

  if (path == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (argvs); i++) {
    g_autoptr(GSubprocess) process = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *out = NULL, *err = NULL, *own = NULL;

    process = g_subprocess_newv (argvs[i], G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                           G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
    g_assert_no_error (error);
    g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error));
    g_assert_no_error (error);
    g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
    own = without_valgrind_lines (err);
    g_assert_true (g_str_has_prefix (own, "imprint-sim: "));
  }
}

typedef struct {
  GString  *out;
  gboolean  listening;
  gboolean  exited;
} CliRun;

static void
cli_line_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  CliRun *run = user_data;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source),
                                                                     result, NULL, NULL);

  if (line == NULL) {
    run->exited = TRUE;
    return;
  }
  g_string_append_printf (run->out, "%s\n", line);
  if (g_str_has_prefix (line, "Listening on http://127.0.0.1:"))
    run->listening = TRUE;
  g_data_input_stream_read_line_async (G_DATA_INPUT_STREAM (source), G_PRIORITY_DEFAULT, NULL,
                                       cli_line_cb, run);
}

static void
cli_wait_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *done = TRUE;
}

/* Keys given on the command line are accepted and never printed; SIGTERM stops it. */
static void
test_cli_serves (void)
{
  g_autofree char *path = sim_path ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  CliRun run = { NULL, FALSE, FALSE };
  gboolean done = FALSE;
  const char *port_text;

  if (path == NULL)
    return;
  run.out = g_string_new (NULL);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, path,
                              "--port", "0", "--secret-id", "AKIDcli", "--secret-key",
                              "very-secret-key-123", "--instances", "3", "--quota", "4", NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  g_data_input_stream_read_line_async (lines, G_PRIORITY_DEFAULT, NULL, cli_line_cb, &run);
  test_wait_until (&run.listening, 10);

  port_text = strstr (run.out->str, "127.0.0.1:") + strlen ("127.0.0.1:");
  {
    g_autoptr(SimServer) clock = sim_server_new (1, 0);
    Fixture f = { clock, (guint) g_ascii_strtoull (port_text, NULL, 10) };
    g_autoptr(RawCall) call = api3 (&f, &(Api3) { .action = "DescribeImageQuota",
                                                  .secret_id = "AKIDcli",
                                                  .secret_key = "very-secret-key-123" });

    assert_api3_ok (call);
    g_assert_cmpint (dig_int (call, "Response.ImageNumQuota"), ==, 4);
  }
  g_assert_null (strstr (run.out->str, "very-secret-key-123"));
  g_assert_null (strstr (run.out->str, "AKIDcli"));

  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait_async (process, NULL, cli_wait_cb, &done);
  test_wait_until (&done, 10);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  test_wait_until (&run.exited, 10);
  g_string_free (run.out, TRUE);
}

static void
test_cli_demo (void)
{
  g_autofree char *path = sim_path ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  CliRun run = { NULL, FALSE, FALSE };
  gboolean done = FALSE;

  if (path == NULL)
    return;
  run.out = g_string_new (NULL);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, path, "--instances", "1", NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  g_data_input_stream_read_line_async (lines, G_PRIORITY_DEFAULT, NULL, cli_line_cb, &run);
  test_wait_until (&run.listening, 10);

  g_assert_nonnull (strstr (run.out->str, SIM_DEFAULT_SECRET_ID));
  g_assert_nonnull (strstr (run.out->str, SIM_DEFAULT_SECRET_KEY));

  g_subprocess_send_signal (process, SIGINT);
  g_subprocess_wait_async (process, NULL, cli_wait_cb, &done);
  test_wait_until (&done, 10);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  test_wait_until (&run.exited, 10);
  g_string_free (run.out, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/imprint/sim/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
#define ADD_N(path, n, func) \
  g_test_add ("/imprint/sim/" path, Fixture, GUINT_TO_POINTER (n), fixture_setup, func, fixture_teardown)

  g_test_add_func ("/imprint/sim/server/new-destroy", test_new_destroy);
  ADD ("server/listen", test_listen);

  ADD ("tc3/published-vector", test_tc3_published_vector);
  ADD ("tc3/accepted", test_tc3_accepted);
  ADD ("tc3/refused", test_tc3_refused);
  ADD ("tc3/credential-scope", test_tc3_scope);
  ADD ("tc3/token", test_tc3_token);
  ADD ("tc3/absolute-uri", test_tc3_absolute_uri);
  ADD ("tc3/signed-headers", test_tc3_signed_headers);
  ADD ("v1/signing", test_v1);
  ADD ("legacy/signing", test_legacy_signing);
  ADD ("legacy/nonce", test_legacy_nonce);

  ADD ("server/served", test_served);
  ADD ("actions/describe-regions", test_describe_regions);
  ADD_N ("actions/describe-instances/pages", 250, test_describe_instances_pages);
  ADD ("actions/describe-instances/params", test_describe_instances_params);
  ADD ("actions/describe-instances/filters", test_describe_instances_filters);
  ADD ("actions/describe-images", test_describe_images);
  ADD ("actions/create-image", test_create_image);
  ADD ("actions/image-id-seed", test_image_id_seed);
  ADD ("actions/create-image/rules", test_create_image_rules);
  ADD ("actions/create-image/dry-run", test_create_image_dry_run);
  ADD ("actions/create-image/quota", test_create_image_quota);
  ADD ("actions/create-image/instance-state", test_create_image_states);
  ADD ("actions/create-image/data-disks", test_create_image_data_disks);
  ADD ("actions/create-image/image-fail", test_create_image_fail);
  ADD ("actions/delete-images", test_delete_images);
  ADD ("actions/sync-images", test_sync_images);
  ADD ("actions/sync-images/creating", test_sync_images_creating);
  ADD ("legacy/actions", test_legacy_actions);
  ADD ("legacy/create-image", test_legacy_create_image);

  g_test_add_func ("/imprint/sim/fleet/determinism", test_fleet_determinism);
  ADD ("fleet/every-region", test_fleet_every_region);
  g_test_add_func ("/imprint/sim/fleet/100000", test_fleet_large);

  g_test_add_func ("/imprint/sim/faults/specs", test_fault_specs);
  ADD ("faults/latency", test_fault_latency);
  ADD ("faults/api-errors", test_fault_api_errors);
  ADD ("faults/http", test_fault_http);
  ADD ("faults/truncated", test_fault_truncated);
  ADD ("faults/oversized", test_fault_oversized);
  ADD ("faults/drop", test_fault_drop);
  ADD ("faults/stall", test_fault_stall);
  ADD ("faults/stall-until-disconnect", test_fault_stall_until_disconnect);
  ADD ("faults/count", test_fault_count);
  g_test_add_func ("/imprint/sim/faults/rate", test_fault_rate);

  ADD ("robustness/bad-input", test_bad_input);
  ADD ("robustness/body-limit", test_body_limit);

  g_test_add_func ("/imprint/sim/cli/errors", test_cli_errors);
  g_test_add_func ("/imprint/sim/cli/serves", test_cli_serves);
  g_test_add_func ("/imprint/sim/cli/demo", test_cli_demo);

  return g_test_run ();
}
