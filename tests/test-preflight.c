/* test-preflight.c: the form's pre-flight facts against the simulator, without a display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The simulator listens on a loopback port in this process's main context; each test
 * drives a TcPreflight through its methods and asserts on its properties, as the image
 * form reads them.
 */
#include "config.h"

#include "sim-server.h"
#include "tc-client-private.h"
#include "tc-cvm.h"
#include "tc-preflight.h"
#include "test-util.h"

#define REGION "ap-guangzhou"
#define OTHER_REGION "ap-shanghai"

typedef struct {
  SimServer   *sim;
  TcClient    *client;
  TcPreflight *preflight;
  guint        notifies;
} Fixture;

static void
notify_cb (TcPreflight *preflight,
           GParamSpec  *pspec,
           Fixture     *f)
{
  f->notifies++;
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_autoptr(TcCredentials) creds = tc_credentials_new (SIM_DEFAULT_SECRET_ID, SIM_DEFAULT_SECRET_KEY, NULL);
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;

  f->sim = sim_server_new (7, 30);
  g_assert_true (sim_server_listen (f->sim, 0, &error));
  url = sim_server_get_url (f->sim);
  f->client = tc_client_new (NULL, TC_PROTOCOL_API3, creds);
  g_assert_true (tc_client_set_endpoint (f->client, url, &error));
  tc_client_set_retry (f->client, 2, 5);
  tc_client_set_language (f->client, "en-US");
  f->preflight = tc_preflight_new (f->client, REGION);
  g_signal_connect (f->preflight, "notify", G_CALLBACK (notify_cb), f);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_assert_finalize_object (f->preflight);
  /* Nothing cancelled comes back to touch it. */
  test_run_main_loop_for (100);
  g_clear_object (&f->client);
  sim_server_disconnect (f->sim);
  g_clear_object (&f->sim);
}

static gboolean
quota_settled (gpointer data)
{
  return tc_preflight_get_quota_status (data) != TC_FACT_LOADING;
}

static gboolean
name_settled (gpointer data)
{
  return tc_preflight_get_name_status (data) != TC_FACT_LOADING;
}

static gboolean
instance_settled (gpointer data)
{
  return tc_preflight_get_instance_status (data) != TC_FACT_LOADING;
}

static TcInstance *
fetch_instance (Fixture         *f,
                TcInstanceState  state)
{
  const char *id = sim_server_find_instance (f->sim, REGION, state);
  g_autoptr(GAsyncResult) result = NULL;
  TestWait result_wait = { 0 };
  g_autoptr(GError) error = NULL;
  TcInstance *instance;

  g_assert_nonnull (id);
  tc_cvm_get_instance_async (f->client, REGION, id, NULL, test_wait_cb, &result_wait);
  result = test_wait_result (&result_wait);
  instance = tc_cvm_get_instance_finish (f->client, result, &error);
  g_assert_no_error (error);
  return instance;
}

static char *
existing_image_name (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  TestWait result_wait = { 0 };
  g_autoptr(GListModel) images = NULL;
  g_autoptr(TcImage) image = NULL;
  g_autoptr(GError) error = NULL;

  tc_cvm_list_custom_images_async (f->client, REGION, NULL, test_wait_cb, &result_wait);
  result = test_wait_result (&result_wait);
  images = tc_cvm_list_custom_images_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (images), >, 0);
  image = g_list_model_get_item (images, 0);
  return g_strdup (tc_image_get_name (image));
}

static void
test_new_destroy (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(TcPreflight) other = tc_preflight_new (NULL, NULL);

  g_assert_true (tc_preflight_get_client (f->preflight) == f->client);
  g_assert_cmpstr (tc_preflight_get_region (f->preflight), ==, REGION);
  g_assert_cmpint (tc_preflight_get_quota_status (f->preflight), ==, TC_FACT_IDLE);
  g_assert_cmpint (tc_preflight_get_name_status (f->preflight), ==, TC_FACT_IDLE);
  g_assert_cmpint (tc_preflight_get_instance_status (f->preflight), ==, TC_FACT_IDLE);
  g_assert_null (tc_preflight_get_instance (f->preflight));

  /* Without a client nothing is fetched. */
  tc_preflight_refresh_quota (other);
  tc_preflight_look_up_name (other, "web", 0);
  g_assert_cmpint (tc_preflight_get_quota_status (other), ==, TC_FACT_IDLE);
  g_assert_cmpint (tc_preflight_get_name_status (other), ==, TC_FACT_IDLE);
  g_assert_finalize_object (g_steal_pointer (&other));
}

/* Both halves of the quota arrive, or it is an error with the reason; a refresh retries. */
static void
test_quota (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  tc_preflight_refresh_quota (f->preflight);
  g_assert_cmpint (tc_preflight_get_quota_status (f->preflight), ==, TC_FACT_LOADING);
  test_wait_for (quota_settled, f->preflight);
  g_assert_cmpint (tc_preflight_get_quota_status (f->preflight), ==, TC_FACT_KNOWN);
  g_assert_cmpuint (tc_preflight_get_quota (f->preflight), ==, 10);
  g_assert_cmpuint (tc_preflight_get_used (f->preflight), ==, 3);
  g_assert_null (tc_preflight_get_quota_error (f->preflight));

  g_assert_true (sim_server_add_fault (f->sim, "http-503:action=DescribeImageQuota", &error));
  tc_preflight_refresh_quota (f->preflight);
  test_wait_for (quota_settled, f->preflight);
  g_assert_cmpint (tc_preflight_get_quota_status (f->preflight), ==, TC_FACT_ERROR);
  g_assert_nonnull (tc_preflight_get_quota_error (f->preflight));

  sim_server_clear_faults (f->sim);
  sim_server_set_quota (f->sim, 4);
  tc_preflight_refresh_quota (f->preflight);
  test_wait_for (quota_settled, f->preflight);
  g_assert_cmpint (tc_preflight_get_quota_status (f->preflight), ==, TC_FACT_KNOWN);
  g_assert_cmpuint (tc_preflight_get_quota (f->preflight), ==, 4);
}

/* A name is looked up once it rests; only the last of several is sent; a name the rules
 * refuse is never sent. */
static void
test_name (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *existing = existing_image_name (f);
  guint before = sim_server_get_request_count (f->sim, "DescribeImages");

  tc_preflight_look_up_name (f->preflight, " invalid", 0);
  g_assert_cmpint (tc_preflight_get_name_status (f->preflight), ==, TC_FACT_IDLE);

  tc_preflight_look_up_name (f->preflight, "w", 50);
  tc_preflight_look_up_name (f->preflight, "we", 50);
  tc_preflight_look_up_name (f->preflight, "web-new", 50);
  g_assert_cmpint (tc_preflight_get_name_status (f->preflight), ==, TC_FACT_LOADING);
  test_wait_for (name_settled, f->preflight);
  g_assert_cmpint (tc_preflight_get_name_status (f->preflight), ==, TC_FACT_KNOWN);
  g_assert_cmpstr (tc_preflight_get_looked_up_name (f->preflight), ==, "web-new");
  g_assert_false (tc_preflight_get_looked_up_taken (f->preflight));
  g_assert_null (tc_preflight_get_taken_name (f->preflight));
  g_assert_cmpuint (sim_server_get_request_count (f->sim, "DescribeImages"), ==, before + 1);

  tc_preflight_look_up_name (f->preflight, existing, 0);
  test_wait_for (name_settled, f->preflight);
  g_assert_cmpstr (tc_preflight_get_looked_up_name (f->preflight), ==, existing);
  g_assert_true (tc_preflight_get_looked_up_taken (f->preflight));
  g_assert_cmpstr (tc_preflight_get_taken_name (f->preflight), ==, existing);

  /* The server refused a name: it counts as looked up and taken. */
  tc_preflight_look_up_name (f->preflight, "raced", 1000);
  tc_preflight_mark_taken (f->preflight, "raced", TRUE);
  g_assert_cmpint (tc_preflight_get_name_status (f->preflight), ==, TC_FACT_KNOWN);
  g_assert_cmpstr (tc_preflight_get_looked_up_name (f->preflight), ==, "raced");
  g_assert_true (tc_preflight_get_looked_up_taken (f->preflight));
  g_assert_cmpstr (tc_preflight_get_taken_name (f->preflight), ==, "raced");
  test_run_main_loop_for (100);
  g_assert_cmpuint (sim_server_get_request_count (f->sim, "DescribeImages"), ==, before + 2);

  /* Another region starts over. */
  tc_preflight_set_region (f->preflight, OTHER_REGION);
  g_assert_null (tc_preflight_get_taken_name (f->preflight));
  g_assert_null (tc_preflight_get_looked_up_name (f->preflight));
  g_assert_cmpint (tc_preflight_get_name_status (f->preflight), ==, TC_FACT_IDLE);
}

/* The chosen instance is fetched again at once; one that is not there is gone. */
static void
test_instance (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(TcInstance) stopped = fetch_instance (f, TC_INSTANCE_STATE_STOPPED);
  const char *id = tc_instance_get_id (stopped);

  sim_server_set_instance_state (f->sim, REGION, id, TC_INSTANCE_STATE_RUNNING);
  f->notifies = 0;
  tc_preflight_set_instance (f->preflight, stopped);
  g_assert_cmpuint (f->notifies, >, 0);
  g_assert_cmpint (tc_preflight_get_instance_status (f->preflight), ==, TC_FACT_LOADING);
  test_wait_for (instance_settled, f->preflight);
  g_assert_cmpint (tc_preflight_get_instance_status (f->preflight), ==, TC_FACT_KNOWN);
  g_assert_cmpint (tc_instance_get_state (tc_preflight_get_instance (f->preflight)), ==,
                   TC_INSTANCE_STATE_RUNNING);
  g_assert_false (tc_preflight_get_instance_gone (f->preflight));

  /* Not in another region: gone. */
  tc_preflight_set_region (f->preflight, OTHER_REGION);
  g_assert_null (tc_preflight_get_instance (f->preflight));
  tc_preflight_set_instance (f->preflight, stopped);
  test_wait_for (instance_settled, f->preflight);
  g_assert_true (tc_preflight_get_instance_gone (f->preflight));
  g_assert_cmpint (tc_preflight_get_instance_status (f->preflight), ==, TC_FACT_KNOWN);

  /* A refresh that fails keeps the last known state and says why. */
  tc_preflight_set_region (f->preflight, REGION);
  tc_preflight_set_instance (f->preflight, stopped);
  test_wait_for (instance_settled, f->preflight);
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (sim_server_add_fault (f->sim, "http-503:action=DescribeInstances", &error));
  }
  tc_preflight_refresh_instance (f->preflight);
  test_wait_for (instance_settled, f->preflight);
  g_assert_cmpint (tc_preflight_get_instance_status (f->preflight), ==, TC_FACT_ERROR);
  g_assert_nonnull (tc_preflight_get_instance_error (f->preflight));
  g_assert_nonnull (tc_preflight_get_instance (f->preflight));
  sim_server_clear_faults (f->sim);
}

/* Going away with every fetch in flight: all are cancelled, none comes back. */
static void
test_cancel_in_flight (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(TcInstance) stopped = fetch_instance (f, TC_INSTANCE_STATE_STOPPED);

  sim_server_set_latency (f->sim, 200);
  tc_preflight_refresh_quota (f->preflight);
  tc_preflight_look_up_name (f->preflight, "web", 0);
  tc_preflight_set_instance (f->preflight, stopped);
  test_run_main_loop_for (20);
  /* teardown finalizes it now and runs the loop on. */
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, setup, func, teardown)
  ADD ("/imprint/preflight/new-destroy", test_new_destroy);
  ADD ("/imprint/preflight/quota", test_quota);
  ADD ("/imprint/preflight/name", test_name);
  ADD ("/imprint/preflight/instance", test_instance);
  ADD ("/imprint/preflight/cancel-in-flight", test_cancel_in_flight);
#undef ADD

  return g_test_run ();
}
