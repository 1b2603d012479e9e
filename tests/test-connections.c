/* test-connections.c: how the client treats the network and the rate limits
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Against the simulator (in this main loop) with Tencent's rate limits enforced: reads
 * share one kept-alive connection, every write rides a fresh one and is sent once, no
 * redirect is followed anywhere, and requests are paced so that the limits are never hit,
 * even by several clients of one application at once. The pacer and the simulator's
 * limits are also tested alone, on a clock the test gives them.
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sim-limits.h"
#include "sim-server.h"
#include "tc-client-private.h"
#include "tc-cvm.h"
#include "tc-error.h"
#include "test-util.h"

typedef struct {
  SimServer   *sim;
  char        *url;
  SoupSession *session;
  TcProtocol   protocol;
  GPtrArray   *outcomes;    /* the simulator's answer to each request: "OK" or an error code */
} Fixture;

static void
served_cb (SimServer  *sim,
           const char *protocol,
           const char *action,
           const char *language,
           const char *outcome,
           Fixture    *f)
{
  g_ptr_array_add (f->outcomes, g_strdup (outcome));
}

static guint
count_outcomes (Fixture    *f,
                const char *outcome)
{
  guint n = 0;

  for (guint i = 0; i < f->outcomes->len; i++)
    n += g_str_equal (g_ptr_array_index (f->outcomes, i), outcome);
  return n;
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->protocol = GPOINTER_TO_INT (data);
  f->sim = sim_server_new (11, 5000);
  sim_server_set_rate_limits (f->sim, TRUE);
  sim_server_listen (f->sim, 0, &error);
  g_assert_no_error (error);
  f->url = sim_server_get_url (f->sim);
  f->outcomes = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->sim, "served", G_CALLBACK (served_cb), f);

  /* The application's own session: what is tested is what ships. */
  f->session = tc_client_new_session ();
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  sim_server_disconnect (f->sim);
  g_clear_object (&f->sim);
  g_clear_object (&f->session);
  g_clear_pointer (&f->outcomes, g_ptr_array_unref);
  g_free (f->url);
}

static TcClient *
make_client (Fixture    *f,
             const char *url)
{
  g_autoptr(TcCredentials) creds = tc_credentials_new (SIM_DEFAULT_SECRET_ID, SIM_DEFAULT_SECRET_KEY,
                                                       NULL);
  TcClient *client = tc_client_new (f->session, f->protocol, creds);

  test_client_point_at (client, url);
  tc_client_set_retry (client, 4, 5);
  /* A give-up time, stretched under valgrind, where the simulator in this same thread
   * answers slowly. */
  tc_client_set_deadline (client, test_timeout_seconds (30));
  return client;
}

/* A small page of DescribeInstances: these tests are about requests, not their size. */
static void
describe_instances_async (Fixture            *f,
                          TcClient           *client,
                          TcCallFlags         flags,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  g_autoptr(JsonObject) params = json_object_new ();

  json_object_set_int_member (params, f->protocol == TC_PROTOCOL_API3 ? "Limit" : "limit", 1);
  tc_client_call_async (client, "DescribeInstances", "ap-guangzhou", params, flags, NULL,
                        callback, user_data);
}

static TcAnswer *
describe_instances (Fixture   *f,
                    TcClient  *client,
                    GError   **error)
{
  TestWait wait = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  describe_instances_async (f, client, TC_CALL_RETRY, test_wait_cb, &wait);
  result = test_wait_result (&wait);
  return tc_client_call_finish (client, result, error);
}

static TcCreateResult *
create_image (TcClient   *client,
              const char *instance_id,
              const char *name,
              GError    **error)
{
  g_autoptr(TcImageRequest) request = tc_image_request_new (instance_id, name, "");
  TestWait wait = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  tc_cvm_create_image_async (client, "ap-guangzhou", request, FALSE, NULL, test_wait_cb, &wait);
  result = test_wait_result (&wait);
  return tc_cvm_create_image_finish (client, result, error);
}

static void
add_test (const char  *name,
          void       (*func) (Fixture *, gconstpointer))
{
  const TcProtocol both[] = { TC_PROTOCOL_API3, TC_PROTOCOL_LEGACY };

  for (guint i = 0; i < G_N_ELEMENTS (both); i++) {
    g_autofree char *path = g_strdup_printf ("/imprint/connections/%s/%s",
                                             both[i] == TC_PROTOCOL_API3 ? "api3" : "legacy", name);

    g_test_add (path, Fixture, GINT_TO_POINTER (both[i]), setup, func, teardown);
  }
}

/* Connections */

/* A hundred reads in a row, as a long session of the picker makes them: one connection,
 * kept alive (two at most, should the server have closed one while it was idle). */
static void
test_reads_share_a_connection (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(TcClient) client = make_client (f, f->url);

  for (guint i = 0; i < 100; i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(TcAnswer) response = describe_instances (f, client, &error);

    g_assert_no_error (error);
  }

  g_assert_cmpuint (sim_server_get_request_count (f->sim, "DescribeInstances"), ==, 100);
  g_assert_cmpuint (sim_server_get_connection_count (f->sim), <=, 2);
  g_assert_cmpuint (count_outcomes (f, "OK"), ==, 100);
}

/* CreateImage never rides a connection that was already used, even with one idle at
 * hand: one that died while idle could make it fail, or be sent twice. The reads after it
 * go on reusing connections. */
static void
test_write_gets_its_own_connection (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(TcClient) client = make_client (f, f->url);
  g_autoptr(TcCreateResult) created = NULL;
  g_autoptr(TcAnswer) before = NULL;
  g_autoptr(TcAnswer) after = NULL;
  g_autoptr(GError) error = NULL;
  const char *instance = sim_server_find_instance (f->sim, "ap-guangzhou", TC_INSTANCE_STATE_STOPPED);

  before = describe_instances (f, client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sim_server_get_connection_count (f->sim), ==, 1);

  created = create_image (client, instance, "own-connection", &error);
  g_assert_no_error (error);
  g_assert_nonnull (created);
  g_assert_cmpuint (sim_server_get_connection_count (f->sim), ==, 2);

  after = describe_instances (f, client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sim_server_get_connection_count (f->sim), ==, 2);
  g_assert_cmpuint (sim_server_get_request_count (f->sim, "CreateImage"), ==, 1);
}

/* A write whose connection is cut before the answer is not sent again, by libsoup or by
 * us: the image may have been made. A read in the same plight is. */
static void
test_write_sent_once (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(TcClient) client = make_client (f, f->url);
  g_autoptr(TcCreateResult) created = NULL;
  g_autoptr(TcAnswer) listed = NULL;
  g_autoptr(GError) error = NULL;
  const char *instance = sim_server_find_instance (f->sim, "ap-guangzhou", TC_INSTANCE_STATE_STOPPED);

  g_assert_true (sim_server_add_fault (f->sim, "drop:action=CreateImage,count=1", NULL));
  created = create_image (client, instance, "cut-short", &error);
  g_assert_null (created);
  /* Not "check your connection and try again": the request went out. */
  g_assert_error (error, TC_ERROR, TC_ERROR_NO_ANSWER);
  g_assert_cmpuint (sim_server_get_request_count (f->sim, "CreateImage"), ==, 1);
  g_clear_error (&error);

  g_assert_true (sim_server_add_fault (f->sim, "drop:action=DescribeInstances,count=1", NULL));
  listed = describe_instances (f, client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sim_server_get_request_count (f->sim, "DescribeInstances"), ==, 2);
}

/* Redirects */

typedef struct {
  SoupServer *server;
  guint       port;
  guint       connections;
  guint       requests;
  guint       status;          /* what the first server answers */
  char       *location;
} Redirector;

static void
redirect_handler_cb (SoupServer        *server,
                     SoupServerMessage *msg,
                     const char        *path,
                     GHashTable        *query,
                     gpointer           user_data)
{
  Redirector *r = user_data;

  r->requests++;
  soup_server_message_set_status (msg, r->status, NULL);
  if (r->location != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location",
                                  r->location);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "moved", 5);
}

static void
redirect_started_cb (SoupServer        *server,
                     SoupServerMessage *msg,
                     Redirector        *r)
{
  /* The first message on a socket is its connection. */
  if (g_object_get_data (G_OBJECT (soup_server_message_get_socket (msg)), "seen") == NULL) {
    g_object_set_data (G_OBJECT (soup_server_message_get_socket (msg)), "seen", GINT_TO_POINTER (1));
    r->connections++;
  }
}

static void
redirector_start (Redirector *r,
                  const char *address)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address);
  g_autoptr(GSocketAddress) socket_address = g_inet_socket_address_new (inet, 0);
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GError) error = NULL;
  GSList *listeners;

  r->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (r->server, NULL, redirect_handler_cb, r, NULL);
  g_signal_connect (r->server, "request-started", G_CALLBACK (redirect_started_cb), r);
  soup_server_listen (r->server, socket_address, 0, &error);
  g_assert_no_error (error);

  /* From the socket: soup_server_get_uris() leaks in libsoup 3.2. */
  listeners = soup_server_get_listeners (r->server);
  local = g_socket_get_local_address (listeners->data, &error);
  g_assert_no_error (error);
  r->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  g_slist_free (listeners);
}

static void
redirector_stop (Redirector *r)
{
  soup_server_disconnect (r->server);
  g_clear_object (&r->server);
  g_free (r->location);
}

/* The endpoint (on 127.0.0.1) answers every request with a redirect to another host
 * (127.0.0.2). The call fails with a message that names where it pointed; the other host
 * sees no connection at all, for a read and for a write alike. */
static void
test_redirect_not_followed (Fixture       *f,
                            gconstpointer  data)
{
  const guint codes[] = { 300, 301, 302, 303, 307, 308 };
  Redirector other = { 0 };

  redirector_start (&other, "127.0.0.2");
  other.status = SOUP_STATUS_OK;

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++) {
    Redirector endpoint = { .status = codes[i] };
    g_autofree char *url = NULL;
    g_autoptr(TcClient) client = NULL;
    g_autoptr(TcAnswer) response = NULL;
    g_autoptr(TcCreateResult) created = NULL;
    g_autoptr(GError) error = NULL;

    redirector_start (&endpoint, "127.0.0.1");
    endpoint.location = g_strdup_printf ("http://127.0.0.2:%u/v2/index.php?from=%u", other.port, codes[i]);
    url = g_strdup_printf ("http://127.0.0.1:%u", endpoint.port);
    client = make_client (f, url);

    response = describe_instances (f, client, &error);
    g_assert_null (response);
    g_assert_error (error, TC_ERROR, TC_ERROR_BAD_ENDPOINT);
    g_assert_nonnull (strstr (error->message, endpoint.location));
    g_assert_cmpuint (tc_error_get_http_status (error), ==, codes[i]);
    /* Not retried either: a redirect is not a passing fault. */
    g_assert_cmpuint (endpoint.requests, ==, 1);
    g_clear_error (&error);

    created = create_image (client, "ins-12345678", "redirected", &error);
    g_assert_null (created);
    g_assert_error (error, TC_ERROR, TC_ERROR_BAD_ENDPOINT);
    g_assert_nonnull (strstr (error->message, endpoint.location));
    g_assert_cmpuint (endpoint.requests, ==, 2);

    redirector_stop (&endpoint);
  }

  /* Give anything that did follow a redirect time to arrive. */
  test_run_main_loop_for (100);
  g_assert_cmpuint (other.connections, ==, 0);
  g_assert_cmpuint (other.requests, ==, 0);
  redirector_stop (&other);
}

/* A redirect without a Location still says what happened. */
static void
test_redirect_without_location (Fixture       *f,
                                gconstpointer  data)
{
  Redirector endpoint = { .status = 302 };
  g_autofree char *url = NULL;
  g_autoptr(TcClient) client = NULL;
  g_autoptr(TcAnswer) response = NULL;
  g_autoptr(GError) error = NULL;

  redirector_start (&endpoint, "127.0.0.1");
  url = g_strdup_printf ("http://127.0.0.1:%u", endpoint.port);
  client = make_client (f, url);

  response = describe_instances (f, client, &error);
  g_assert_error (error, TC_ERROR, TC_ERROR_BAD_ENDPOINT);
  g_assert_nonnull (strstr (error->message, "302"));
  redirector_stop (&endpoint);
}

/* Pacing */

static void
list_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  guint *remaining = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) instances = tc_cvm_list_instances_finish (TC_CLIENT (object), result, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (instances), ==, 5000);
  (*remaining)--;
}

/* 5,000 instances are 50 pages: more than Tencent lets through in a second, so a client
 * that does not pace itself, with its pages in flight at 50 ms a call, can be refused.
 * This one never is. */
static void
test_listing_is_paced (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(TcClient) client = make_client (f, f->url);
  guint remaining = 1;

  sim_server_set_latency (f->sim, 50);

  tc_cvm_list_instances_async (client, "ap-guangzhou", NULL, NULL, NULL, list_done_cb, &remaining);
  test_wait_countdown (&remaining);

  g_assert_cmpuint (count_outcomes (f, "RequestLimitExceeded"), ==, 0);
  g_assert_cmpuint (sim_server_get_request_count (f->sim, "DescribeInstances"), ==, 50);
}

typedef struct {
  guint remaining;
  guint failed;
} Calls;

static void
call_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Calls *calls = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcAnswer) response = tc_client_call_finish (TC_CLIENT (object), result, &error);

  calls->failed += response == NULL;
  calls->remaining--;
}

/* Everything the application runs at once (the picker, the checks, the tracker) shares
 * one pacer, so together they stay within the limit too: two clients asking for sixty
 * pages each, all at once, would send eighty a second with a pacer each. */
static void
test_clients_share_the_pace (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(TcPacer) pacer = tc_pacer_new ();
  g_autoptr(TcClient) picker = make_client (f, f->url);
  g_autoptr(TcClient) tracker = make_client (f, f->url);
  Calls calls = { .remaining = 120 };

  tc_client_set_pacer (picker, pacer);
  tc_client_set_pacer (tracker, pacer);
  g_assert_true (tc_client_get_pacer (picker) == tc_client_get_pacer (tracker));

  for (guint i = 0; i < 60; i++) {
    describe_instances_async (f, picker, TC_CALL_DEFAULT, call_done_cb, &calls);
    describe_instances_async (f, tracker, TC_CALL_DEFAULT, call_done_cb, &calls);
  }
  test_wait_countdown (&calls.remaining);

  g_assert_cmpuint (calls.failed, ==, 0);
  g_assert_cmpuint (count_outcomes (f, "RequestLimitExceeded"), ==, 0);
  g_assert_cmpuint (sim_server_get_request_count (f->sim, "DescribeInstances"), ==, 120);
}

typedef struct {
  guint   remaining;
  guint   refused;
  guint   answered;
  Fixture *f;
} Flood;

static void
flood_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Flood *flood = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcAnswer) response = tc_client_call_finish (TC_CLIENT (object), result, &error);

  if (response != NULL) {
    flood->answered++;
  } else {
    g_assert_error (error, TC_ERROR, TC_ERROR_RATE_LIMITED);
    g_assert_cmpstr (tc_error_get_server_code (error), ==,
                     flood->f->protocol == TC_PROTOCOL_API3 ? "RequestLimitExceeded" : "4400");
    flood->refused++;
  }
  flood->remaining--;
}

/* The simulator catches a client that does not pace itself: sixty clients, each with a
 * pacer of its own, ask for images at once, and DescribeImages allows ten a second (with a
 * second's worth at hand). However fast or slow this machine, no more than that budget is
 * let through, and whoever is refused is told so as Tencent tells it. */
static void
test_flood_is_refused (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);
  Flood flood = { .remaining = 60, .f = f };
  gint64 start = g_get_monotonic_time ();
  double seconds;

  for (guint i = 0; i < 60; i++) {
    TcClient *client = make_client (f, f->url);
    g_autoptr(JsonObject) params = json_object_new ();

    if (f->protocol == TC_PROTOCOL_LEGACY)
      json_object_set_int_member (params, "imageType", 1);
    g_ptr_array_add (clients, client);
    tc_client_call_async (client, "DescribeImages", "ap-guangzhou", params, TC_CALL_DEFAULT, NULL,
                          flood_cb, &flood);
  }
  test_wait_countdown (&flood.remaining);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  g_assert_cmpuint (flood.answered + flood.refused, ==, 60);
  g_assert_cmpuint (count_outcomes (f, "RequestLimitExceeded"), ==, flood.refused);
  /* The budget only grows with time, so a slow machine (valgrind) loosens this bound; on
   * any ordinary one the sixty arrive within a second or two and many are refused. */
  g_assert_cmpfloat (flood.answered, <=, 10 + 10 * seconds + 1);
  g_test_message ("%u of 60 refused in %.2f s", flood.refused, seconds);
}

/* The pacer and the limits alone */

static void
test_pacer_spacing (void)
{
  g_autoptr(TcPacer) pacer = tc_pacer_new ();
  gint64 at = 0;

  /* Forty-one DescribeInstances asked for at once: the first at once, the 41st a full
   * second later, evenly spaced. */
  for (guint i = 0; i < 41; i++) {
    at = tc_pacer_reserve (pacer, "DescribeInstances", "ap-guangzhou", "AKIDa", 0);
    g_assert_cmpint (at, >=, (gint64) i * G_USEC_PER_SEC / 40);
  }
  g_assert_cmpint (at, >=, G_USEC_PER_SEC);
  g_assert_cmpint (at, <, G_USEC_PER_SEC + 1000);

  /* Each action, region and SecretId has its own budget. */
  g_assert_cmpint (tc_pacer_reserve (pacer, "DescribeImages", "ap-guangzhou", "AKIDa", 0), ==, 0);
  g_assert_cmpint (tc_pacer_reserve (pacer, "DescribeInstances", "ap-shanghai", "AKIDa", 0), ==, 0);
  g_assert_cmpint (tc_pacer_reserve (pacer, "DescribeInstances", "ap-guangzhou", "AKIDb", 0), ==, 0);

  /* After a pause, a request goes at once again. */
  g_assert_cmpint (tc_pacer_reserve (pacer, "DescribeImages", "ap-guangzhou", "AKIDa", 5 * G_USEC_PER_SEC),
                   ==, 5 * G_USEC_PER_SEC);
  g_assert_finalize_object (g_steal_pointer (&pacer));
}

static void
test_pacer_rates (void)
{
  const struct { const char *action; guint rate; } documented[] = {
    { "DescribeInstances", 40 }, { "DescribeRegions", 20 }, { "DescribeZones", 20 },
    { "DescribeImages", 10 }, { "DescribeImageQuota", 10 }, { "CreateImage", 10 },
    { "DeleteImages", 10 }, { "SyncImages", 10 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (documented); i++) {
    g_assert_cmpuint (tc_pacer_get_rate (documented[i].action), ==, documented[i].rate);
    /* The simulator's copy of the documentation agrees. */
    g_assert_cmpuint (sim_limits_get_rate (documented[i].action), ==, documented[i].rate);
  }
  /* Anything else: no faster than the slowest documented action. */
  g_assert_cmpuint (tc_pacer_get_rate ("ResetInstances"), ==, 10);
}

static void
test_limits_budget (void)
{
  SimLimits *limits = sim_limits_new ();
  gint64 t = 1000 * G_USEC_PER_SEC;

  /* A second's worth at once, then nothing until the budget refills. */
  for (guint i = 0; i < 40; i++)
    g_assert_true (sim_limits_admit (limits, "DescribeInstances", "ap-guangzhou", "AKIDa", t));
  g_assert_false (sim_limits_admit (limits, "DescribeInstances", "ap-guangzhou", "AKIDa", t));
  g_assert_false (sim_limits_admit (limits, "DescribeInstances", "ap-guangzhou", "AKIDa", t + 20000));
  g_assert_true (sim_limits_admit (limits, "DescribeInstances", "ap-guangzhou", "AKIDa", t + 25000));

  /* Other keys are not affected. */
  g_assert_true (sim_limits_admit (limits, "DescribeInstances", "ap-shanghai", "AKIDa", t));
  g_assert_true (sim_limits_admit (limits, "DescribeInstances", "ap-guangzhou", "AKIDb", t));

  /* A client that paces itself at the limit is never refused, whatever its jitter. */
  t += 10 * G_USEC_PER_SEC;
  for (guint i = 0; i < 400; i++) {
    gint64 jitter = (gint64) g_test_rand_int_range (0, 20000);

    g_assert_true (sim_limits_admit (limits, "DescribeImages", "ap-guangzhou", "AKIDa",
                                     t + (gint64) i * G_USEC_PER_SEC / 10 + jitter));
  }
  sim_limits_free (limits);
}

/* The simulator */

static void
burst_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  guint *remaining = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  gsize len;
  const char *text = g_bytes_get_data (body, &len);

  g_assert_no_error (error);
  g_assert_nonnull (g_strstr_len (text, (gssize) len, "RequestId"));
  (*remaining)--;
}

/* Sixty connections opened at once are all accepted and answered (a short listen backlog
 * used to drop some, which then waited a second for their SYN to be sent again). */
static void
test_burst (void)
{
  g_autoptr(SimServer) sim = sim_server_new (1, 0);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("max-conns", 64,
                                                                   "max-conns-per-host", 64, NULL);
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;
  guint remaining = 60;

  sim_server_listen (sim, 0, &error);
  g_assert_no_error (error);
  url = sim_server_get_url (sim);

  for (guint i = 0; i < 60; i++) {
    g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
    g_autoptr(GBytes) body = g_bytes_new_static ("{}", 2);

    /* Each on a connection of its own, all opened at once. */
    soup_message_add_flags (msg, SOUP_MESSAGE_NEW_CONNECTION);
    soup_message_set_request_body_from_bytes (msg, "application/json", body);
    soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, burst_cb, &remaining);
  }
  test_wait_countdown (&remaining);

  g_assert_cmpuint (sim_server_get_connection_count (sim), ==, 60);
  sim_server_disconnect (sim);
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           guint      *notified)
{
  (*notified)++;
}

static void
test_rate_limits_property (void)
{
  g_autoptr(SimServer) sim = sim_server_new (1, 0);
  guint notified = 0;
  gboolean enforced = TRUE;

  g_signal_connect (sim, "notify::rate-limits", G_CALLBACK (notify_cb), &notified);
  g_object_get (sim, "rate-limits", &enforced, NULL);
  g_assert_false (enforced);
  g_object_set (sim, "rate-limits", TRUE, NULL);
  g_object_get (sim, "rate-limits", &enforced, NULL);
  g_assert_true (enforced);
  sim_server_set_rate_limits (sim, TRUE);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpuint (sim_server_get_connection_count (sim), ==, 0);
  g_assert_finalize_object (g_steal_pointer (&sim));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/imprint/pacer/spacing", test_pacer_spacing);
  g_test_add_func ("/imprint/pacer/rates", test_pacer_rates);
  g_test_add_func ("/imprint/sim/limits/budget", test_limits_budget);
  g_test_add_func ("/imprint/sim/limits/property", test_rate_limits_property);
  g_test_add_func ("/imprint/sim/burst", test_burst);

  add_test ("reads-share-a-connection", test_reads_share_a_connection);
  add_test ("write-gets-its-own-connection", test_write_gets_its_own_connection);
  add_test ("write-sent-once", test_write_sent_once);
  add_test ("redirect-not-followed", test_redirect_not_followed);
  add_test ("redirect-without-location", test_redirect_without_location);
  add_test ("listing-is-paced", test_listing_is_paced);
  add_test ("clients-share-the-pace", test_clients_share_the_pace);
  add_test ("flood-is-refused", test_flood_is_refused);

  return g_test_run ();
}
