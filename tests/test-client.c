/* test-client.c: the client and the CVM operations against the simulator, in one main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every case asserts the error code the UI will act on. The simulator runs on a loopback
 * port in the same main context, so nothing here sleeps: the loop turns until the call
 * completes.
 */
#include "config.h"

#include <string.h>

#include "sim-server.h"
#include "tc-client-private.h"
#include "tc-cvm.h"
#include "tc-error.h"
#include "test-util.h"

typedef struct {
  SimServer    *sim;
  char         *url;
  TcClient     *client;
  SoupSession  *session;
  TcProtocol    protocol;
} Fixture;

static TcClient *
make_client (Fixture    *fixture,
             const char *secret_id,
             const char *secret_key,
             const char *token)
{
  g_autoptr(TcCredentials) creds = tc_credentials_new (secret_id, secret_key, token);
  TcClient *client = tc_client_new (fixture->session, fixture->protocol, creds);

  test_client_point_at (client, fixture->url);

  /* Short back-off keeps the retry tests quick; the policy is the same. */
  tc_client_set_retry (client, 4, 5);
  tc_client_set_deadline (client, 20);
  tc_client_set_language (client, "en-US");
  return client;
}

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->protocol = GPOINTER_TO_INT (data);
  fixture->sim = sim_server_new (7, 250);
  sim_server_set_image_delay (fixture->sim, 0.3);
  /* As Tencent does: a client that floods is refused (and these tests would see it). */
  sim_server_set_rate_limits (fixture->sim, TRUE);
  sim_server_listen (fixture->sim, 0, &error);
  g_assert_no_error (error);
  fixture->url = sim_server_get_url (fixture->sim);

  fixture->session = soup_session_new_with_options ("user-agent", "Imprint/test",
                                                    "timeout", 2,
                                                    "max-conns-per-host", 8,
                                                    NULL);
  fixture->client = make_client (fixture, SIM_DEFAULT_SECRET_ID, SIM_DEFAULT_SECRET_KEY, NULL);
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  g_assert_finalize_object (fixture->client);
  sim_server_disconnect (fixture->sim);
  g_clear_object (&fixture->sim);
  g_clear_object (&fixture->session);
  g_free (fixture->url);
}

static gboolean
is_api3 (Fixture *fixture)
{
  return fixture->protocol == TC_PROTOCOL_API3;
}

/* Small synchronous-looking wrappers over the async API, each turning the loop. */

static GListModel *
list_instances (Fixture  *fixture,
                TcClient *client,
                GError  **error)
{
  TestWait wait = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  tc_cvm_list_instances_async (client, "ap-guangzhou", NULL, NULL, NULL, test_wait_cb, &wait);
  result = test_wait_result (&wait);
  return tc_cvm_list_instances_finish (client, result, error);
}

static GListModel *
describe_regions (TcClient *client,
                  GError  **error)
{
  TestWait wait = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  tc_cvm_describe_regions_async (client, NULL, test_wait_cb, &wait);
  result = test_wait_result (&wait);
  return tc_cvm_describe_regions_finish (client, result, error);
}

static TcCreateResult *
create_image (TcClient   *client,
              const char *instance_id,
              const char *name,
              gboolean    force,
              gboolean    dry_run,
              GError    **error)
{
  g_autoptr(TcImageRequest) request = tc_image_request_new (instance_id, name, "test-image");
  TestWait wait = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  request->force_poweroff = force;
  tc_cvm_create_image_async (client, "ap-guangzhou", request, dry_run, NULL, test_wait_cb, &wait);
  result = test_wait_result (&wait);
  return tc_cvm_create_image_finish (client, result, error);
}

static TcImage *
find_image (TcClient   *client,
            const char *name,
            GError    **error)
{
  TestWait wait = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  tc_cvm_find_image_by_name_async (client, "ap-guangzhou", name, NULL, test_wait_cb, &wait);
  result = test_wait_result (&wait);
  return tc_cvm_find_image_by_name_finish (client, result, error);
}

static const char *
stopped_instance (Fixture *fixture)
{
  const char *id = sim_server_find_instance (fixture->sim, "ap-guangzhou", TC_INSTANCE_STATE_STOPPED);

  g_assert_nonnull (id);
  return id;
}

static const char *
running_instance (Fixture *fixture)
{
  const char *id = sim_server_find_instance (fixture->sim, "ap-guangzhou", TC_INSTANCE_STATE_RUNNING);

  g_assert_nonnull (id);
  return id;
}

/* Actions */

static void
test_regions (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) regions = describe_regions (fixture->client, &error);
  gboolean found = FALSE;

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (regions), >=, 5);
  for (guint i = 0; i < g_list_model_get_n_items (regions); i++) {
    g_autoptr(TcRegion) region = g_list_model_get_item (regions, i);

    found |= g_str_equal (tc_region_get_region (region), "ap-guangzhou");
  }
  g_assert_true (found);

  /* The legacy API has no DescribeRegions: the built-in list comes without a request. */
  g_assert_cmpuint (sim_server_get_request_count (fixture->sim, "DescribeRegions"), ==,
                    is_api3 (fixture) ? 1 : 0);
}

/* An endpoint typed with capitals works: a host name is the same in any case, and API 3.0
 * signs it in small letters (the simulator checks as Tencent documents). */
static void
test_endpoint_in_capitals (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *port = g_strdup_printf ("%u", sim_server_get_port (fixture->sim));
  g_autofree char *url = g_strconcat ("http://LocalHost:", port, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TestWait wait = { 0 };
  guint quota = 0;

  test_client_point_at (fixture->client, url);
  tc_cvm_get_image_quota_async (fixture->client, "ap-guangzhou", NULL, test_wait_cb, &wait);
  result = test_wait_result (&wait);
  g_assert_true (tc_cvm_get_image_quota_finish (fixture->client, result, &quota, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (quota, ==, 10);
  g_assert_cmpuint (sim_server_get_request_count (fixture->sim, "DescribeImageQuota"), ==, 1);
}

static void add_fault (Fixture *fixture, const char *spec);

/* Regions are cached per account: a second form gets them at once, even while the server
 * fails, and the cache is refreshed behind the scenes (a failed refresh keeps it). */
static void
test_regions_cached (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) first = describe_regions (fixture->client, &error);
  g_autoptr(GListModel) second = NULL;
  g_autoptr(GListModel) third = NULL;

  g_assert_no_error (error);
  add_fault (fixture, "http-503:action=DescribeRegions");
  second = describe_regions (fixture->client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (second), ==, g_list_model_get_n_items (first));

  /* The refresh tries (four attempts) and gives up quietly. */
  for (guint i = 0; i < 500 && sim_server_get_request_count (fixture->sim, "DescribeRegions") < 5; i++)
    test_run_main_loop_for (10);
  g_assert_cmpuint (sim_server_get_request_count (fixture->sim, "DescribeRegions"), ==, 5);
  third = describe_regions (fixture->client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (third), ==, g_list_model_get_n_items (first));
  for (guint i = 0; i < 500 && sim_server_get_request_count (fixture->sim, "DescribeRegions") < 9; i++)
    test_run_main_loop_for (10);
  /* Let the last refresh read its answer before the client goes away. */
  test_run_main_loop_for (200);
}

/* The cache lives with whoever holds it: a client that shares the first one's cache gets
 * the regions while the server fails; a client with a cache of its own does not. */
static void
test_regions_cache_shared (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) first = describe_regions (fixture->client, &error);
  g_autoptr(TcClient) sharing = make_client (fixture, SIM_DEFAULT_SECRET_ID, SIM_DEFAULT_SECRET_KEY, NULL);
  g_autoptr(TcClient) alone = make_client (fixture, SIM_DEFAULT_SECRET_ID, SIM_DEFAULT_SECRET_KEY, NULL);
  g_autoptr(GListModel) shared = NULL;
  g_autoptr(GListModel) own = NULL;

  g_assert_no_error (error);
  g_assert_true (tc_client_get_region_cache (alone) != tc_client_get_region_cache (fixture->client));
  tc_client_set_region_cache (sharing, tc_client_get_region_cache (fixture->client));
  add_fault (fixture, "http-503:action=DescribeRegions");

  shared = describe_regions (sharing, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (shared), ==, g_list_model_get_n_items (first));

  own = describe_regions (alone, &error);
  g_assert_null (own);
  g_assert_error (error, TC_ERROR, TC_ERROR_UNAVAILABLE);

  /* Let the shared client's refresh give up before the clients go away. */
  for (guint i = 0; i < 500 && sim_server_get_request_count (fixture->sim, "DescribeRegions") < 9; i++)
    test_run_main_loop_for (10);
  test_run_main_loop_for (200);
}

/* X-TC-Language follows the UI: the simulator names regions in Chinese for zh-CN. */
static void
test_language (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) regions = NULL;
  g_autoptr(TcRegion) first = NULL;

  tc_client_set_language (fixture->client, "zh-CN");
  regions = describe_regions (fixture->client, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < g_list_model_get_n_items (regions); i++) {
    g_autoptr(TcRegion) region = g_list_model_get_item (regions, i);

    if (g_str_equal (tc_region_get_region (region), "ap-guangzhou"))
      g_assert_nonnull (strstr (tc_region_get_name (region), "广州"));
  }
}

static void
progress_cb (guint    loaded,
             guint    total,
             gpointer user_data)
{
  GArray *seen = user_data;

  g_assert_cmpuint (loaded, <=, total);
  g_array_append_val (seen, loaded);
}

static void
test_instances (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GListModel) instances = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TestWait wait = { 0 };
  guint stopped = 0, running = 0;

  tc_cvm_list_instances_async (fixture->client, "ap-guangzhou", progress_cb, seen, NULL, test_wait_cb, &wait);
  result = test_wait_result (&wait);
  instances = tc_cvm_list_instances_finish (fixture->client, result, &error);
  g_assert_no_error (error);

  /* 250 instances: three pages, each instance once. */
  g_assert_cmpuint (g_list_model_get_n_items (instances), ==, 250);
  g_assert_cmpuint (sim_server_get_request_count (fixture->sim, "DescribeInstances"), ==, 3);
  for (guint i = 0; i < 250; i++) {
    g_autoptr(TcInstance) instance = g_list_model_get_item (instances, i);

    g_assert_true (g_hash_table_add (ids, (gpointer) tc_instance_get_id (instance)));
    g_assert_nonnull (tc_instance_get_name (instance));
    g_assert_nonnull (tc_instance_get_zone (instance));
    g_assert_nonnull (tc_instance_get_private_ip (instance));
    stopped += tc_instance_get_state (instance) == TC_INSTANCE_STATE_STOPPED;
    running += tc_instance_get_state (instance) == TC_INSTANCE_STATE_RUNNING;
  }
  g_assert_cmpuint (stopped, >, 0);
  g_assert_cmpuint (running, >, 0);

  g_assert_cmpuint (seen->len, ==, 3);
  g_assert_cmpuint (g_array_index (seen, guint, seen->len - 1), ==, 250);
  for (guint i = 1; i < seen->len; i++)
    g_assert_cmpuint (g_array_index (seen, guint, i), >, g_array_index (seen, guint, i - 1));
}

static void
test_get_instance (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *id = stopped_instance (fixture);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) missing_result = NULL;
  g_autoptr(TcInstance) instance = NULL;
  g_autoptr(TcInstance) missing = NULL;
  g_autoptr(GError) error = NULL;
  TestWait wait = { 0 }, wait2 = { 0 };

  tc_cvm_get_instance_async (fixture->client, "ap-guangzhou", id, NULL, test_wait_cb, &wait);
  result = test_wait_result (&wait);
  instance = tc_cvm_get_instance_finish (fixture->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tc_instance_get_id (instance), ==, id);
  g_assert_cmpint (tc_instance_get_state (instance), ==, TC_INSTANCE_STATE_STOPPED);

  tc_cvm_get_instance_async (fixture->client, "ap-guangzhou", "ins-00000000", NULL, test_wait_cb, &wait2);
  missing_result = test_wait_result (&wait2);
  missing = tc_cvm_get_instance_finish (fixture->client, missing_result, &error);
  g_assert_null (missing);
  g_assert_error (error, TC_ERROR, TC_ERROR_NOT_FOUND);
}

static void
test_quota_and_images (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GAsyncResult) quota_result = NULL;
  g_autoptr(GAsyncResult) list_result = NULL;
  g_autoptr(GListModel) images = NULL;
  g_autoptr(GError) error = NULL;
  TestWait wait = { 0 }, wait2 = { 0 };
  guint quota = 0;

  tc_cvm_get_image_quota_async (fixture->client, "ap-guangzhou", NULL, test_wait_cb, &wait);
  quota_result = test_wait_result (&wait);
  g_assert_true (tc_cvm_get_image_quota_finish (fixture->client, quota_result, &quota, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (quota, ==, 10);
  g_assert_cmpuint (sim_server_get_request_count (fixture->sim, "DescribeImageQuota"), ==,
                    is_api3 (fixture) ? 1 : 0);

  tc_cvm_list_custom_images_async (fixture->client, "ap-guangzhou", NULL, test_wait_cb, &wait2);
  list_result = test_wait_result (&wait2);
  images = tc_cvm_list_custom_images_finish (fixture->client, list_result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (images), ==, sim_server_count_images (fixture->sim, "ap-guangzhou"));
  for (guint i = 0; i < g_list_model_get_n_items (images); i++) {
    g_autoptr(TcImage) image = g_list_model_get_item (images, i);

    g_assert_cmpstr (tc_image_get_image_type (image), ==, "PRIVATE_IMAGE");
  }
}

/* Create, then follow the image to NORMAL: by ID in API 3.0, by exact name in legacy. */
static void
test_create_and_follow (Fixture       *fixture,
                        gconstpointer  data)
{
  const char *name = "imprint-test-1";
  g_autoptr(GError) error = NULL;
  g_autoptr(TcCreateResult) created = create_image (fixture->client, stopped_instance (fixture), name, FALSE, FALSE, &error);
  TcImageState state = TC_IMAGE_STATE_UNKNOWN;

  g_assert_no_error (error);
  g_assert_false (created->dry_run);
  g_assert_nonnull (created->request_id);
  if (is_api3 (fixture))
    g_assert_true (g_str_has_prefix (created->image_id, "img-"));
  else
    g_assert_null (created->image_id);
  g_assert_cmpint (sim_server_get_image_state (fixture->sim, "ap-guangzhou", name), ==, TC_IMAGE_STATE_CREATING);

  for (guint round = 0; round < 100 && state != TC_IMAGE_STATE_NORMAL; round++) {
    g_autoptr(TcImage) image = NULL;

    if (is_api3 (fixture)) {
      const char *ids[] = { created->image_id, NULL };
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GListModel) images = NULL;
      TestWait wait = { 0 };

      tc_cvm_get_images_async (fixture->client, "ap-guangzhou", ids, NULL, test_wait_cb, &wait);
      result = test_wait_result (&wait);
      images = tc_cvm_get_images_finish (fixture->client, result, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_list_model_get_n_items (images), ==, 1);
      image = g_list_model_get_item (images, 0);
    } else {
      image = find_image (fixture->client, name, &error);
      g_assert_no_error (error);
      g_assert_nonnull (image);
    }

    g_assert_cmpstr (tc_image_get_name (image), ==, name);
    state = tc_image_get_state (image);
    if (state != TC_IMAGE_STATE_NORMAL) {
      g_assert_cmpint (state, ==, TC_IMAGE_STATE_CREATING);
      test_run_main_loop_for (50);
    }
  }
  g_assert_cmpint (state, ==, TC_IMAGE_STATE_NORMAL);
}

static void
test_dry_run (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint before = sim_server_count_images (fixture->sim, "ap-guangzhou");
  g_autoptr(TcCreateResult) checked = create_image (fixture->client, stopped_instance (fixture), "dry-run-1", FALSE, TRUE, &error);

  if (!is_api3 (fixture)) {
    /* The legacy API has no dry run; nothing is sent. */
    g_assert_null (checked);
    g_assert_error (error, TC_ERROR, TC_ERROR_UNSUPPORTED);
    g_assert_cmpuint (sim_server_get_request_count (fixture->sim, "CreateImage"), ==, 0);
    return;
  }

  g_assert_no_error (error);
  g_assert_true (checked->dry_run);
  g_assert_null (checked->image_id);
  g_assert_nonnull (checked->request_id);
  g_assert_cmpuint (sim_server_count_images (fixture->sim, "ap-guangzhou"), ==, before);
}

/* A dry run that would fail says why, with the code of the real failure. */
static void
test_dry_run_fails (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TcCreateResult) checked = create_image (fixture->client, running_instance (fixture), "dry-run-2", FALSE, TRUE, &error);

  g_assert_null (checked);
  g_assert_error (error, TC_ERROR, TC_ERROR_INSTANCE_STATE);
  g_assert_true (g_str_has_prefix (tc_error_get_server_code (error), "UnsupportedOperation.InstanceState"));
}

static void
test_create_rules (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TcCreateResult) first = create_image (fixture->client, stopped_instance (fixture), "taken-name", FALSE, FALSE, &error);
  TcCreateResult *again;
  TcCreateResult *running;
  TcCreateResult *forced;
  TcCreateResult *missing;

  g_assert_no_error (error);

  again = create_image (fixture->client, stopped_instance (fixture), "taken-name", FALSE, FALSE, &error);
  g_assert_null (again);
  g_assert_error (error, TC_ERROR, TC_ERROR_NAME_TAKEN);
  g_assert_nonnull (tc_error_get_server_message (error));
  g_clear_error (&error);

  running = create_image (fixture->client, running_instance (fixture), "from-running", FALSE, FALSE, &error);
  g_assert_null (running);
  g_assert_error (error, TC_ERROR, TC_ERROR_INSTANCE_STATE);
  g_clear_error (&error);

  missing = create_image (fixture->client, "ins-00000000", "from-nothing", FALSE, FALSE, &error);
  g_assert_null (missing);
  g_assert_error (error, TC_ERROR, TC_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Shutting down first makes a running instance acceptable (API 3.0 only). */
  if (is_api3 (fixture)) {
    forced = create_image (fixture->client, running_instance (fixture), "from-running", TRUE, FALSE, &error);
    g_assert_no_error (error);
    g_assert_nonnull (forced->image_id);
    tc_create_result_free (forced);
  }
}

static void
test_quota_reached (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint existing = sim_server_count_images (fixture->sim, "ap-guangzhou");
  TcCreateResult *over;

  sim_server_set_quota (fixture->sim, existing + 1);
  tc_create_result_free (create_image (fixture->client, stopped_instance (fixture), "last-one", FALSE, FALSE, &error));
  g_assert_no_error (error);

  over = create_image (fixture->client, stopped_instance (fixture), "one-too-many", FALSE, FALSE, &error);
  g_assert_null (over);
  g_assert_error (error, TC_ERROR, TC_ERROR_QUOTA);
}

/* The name filter is fuzzy on the server; only the exact name is found. */
static void
test_find_exact (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TcImage) found = NULL;
  g_autoptr(TcImage) none = NULL;

  tc_create_result_free (create_image (fixture->client, stopped_instance (fixture), "web-2", FALSE, FALSE, &error));
  g_assert_no_error (error);
  tc_create_result_free (create_image (fixture->client, stopped_instance (fixture), "web", FALSE, FALSE, &error));
  g_assert_no_error (error);

  found = find_image (fixture->client, "web", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tc_image_get_name (found), ==, "web");

  none = find_image (fixture->client, "we", &error);
  g_assert_no_error (error);
  g_assert_null (none);
}

/* Images: listing them all, deleting, copying to other regions */

static GListModel *
get_images (TcClient   *client,
            const char *region,
            const char *image_id)
{
  const char *ids[] = { image_id, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GListModel *images;
  TestWait wait = { 0 };

  tc_cvm_get_images_async (client, region, ids, NULL, test_wait_cb, &wait);
  result = test_wait_result (&wait);
  images = tc_cvm_get_images_finish (client, result, &error);
  g_assert_no_error (error);
  return images;
}

/* The one image @image_id of @region. */
static TcImage *
get_image (TcClient   *client,
           const char *region,
           const char *image_id)
{
  g_autoptr(GListModel) images = get_images (client, region, image_id);

  g_assert_cmpuint (g_list_model_get_n_items (images), ==, 1);
  return g_list_model_get_item (images, 0);
}

static GListModel *
list_custom_images (TcClient  *client,
                    GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  TestWait wait = { 0 };

  tc_cvm_list_custom_images_async (client, "ap-guangzhou", NULL, test_wait_cb, &wait);
  result = test_wait_result (&wait);
  return tc_cvm_list_custom_images_finish (client, result, error);
}

/* The first custom image of ap-guangzhou, all of which are NORMAL from the start. */
static char *
normal_image_id (TcClient *client)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) images = list_custom_images (client, &error);
  g_autoptr(TcImage) image = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (images), >, 0);
  image = g_list_model_get_item (images, 0);
  g_assert_cmpint (tc_image_get_state (image), ==, TC_IMAGE_STATE_NORMAL);
  return g_strdup (tc_image_get_id (image));
}

static gboolean
delete_images (TcClient   *client,
               const char *image_id,
               gboolean    dry_run,
               char      **request_id,
               GError    **error)
{
  const char *ids[] = { image_id, NULL };
  g_autoptr(GAsyncResult) result = NULL;
  TestWait wait = { 0 };

  tc_cvm_delete_images_async (client, "ap-guangzhou", ids, TRUE, dry_run, NULL, test_wait_cb, &wait);
  result = test_wait_result (&wait);
  return tc_cvm_delete_images_finish (client, result, request_id, error);
}

static GPtrArray *
sync_image (TcClient           *client,
            const char         *image_id,
            const char * const *regions,
            const char         *name,
            gboolean            dry_run,
            char              **request_id,
            GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  TestWait wait = { 0 };

  tc_cvm_sync_image_async (client, "ap-guangzhou", image_id, regions, name, dry_run, NULL,
                           test_wait_cb, &wait);
  result = test_wait_result (&wait);
  return tc_cvm_sync_image_finish (client, result, request_id, error);
}

/* Every custom image of a region, in pages of 100 until TotalCount: 3 seeded, 150 more. */
static void
test_list_all_images (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) images = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  sim_server_make_images (fixture->sim, "ap-guangzhou", 150);
  g_assert_cmpuint (sim_server_count_images (fixture->sim, "ap-guangzhou"), ==, 153);

  images = list_custom_images (fixture->client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (images), ==, 153);
  g_assert_cmpuint (sim_server_get_request_count (fixture->sim, "DescribeImages"), ==, 2);
  for (guint i = 0; i < g_list_model_get_n_items (images); i++) {
    g_autoptr(TcImage) image = g_list_model_get_item (images, i);

    g_assert_true (g_hash_table_add (seen, (gpointer) tc_image_get_id (image)));
  }
}

/* The fleet changes while it is listed a page of 100 at a time, by Offset: the instances
 * after a launch or a termination move by one, so a page lists one the page before listed
 * too, or one falls between two pages. The list still has every instance once, as the
 * fleet is now. */
typedef enum {
  LAUNCH_FIRST,         /* one launched at the top of the list */
  TERMINATE_FIRST,      /* the instance at the top terminated */
  LAUNCH_AND_TERMINATE, /* one launched at the top and the last one terminated: the total
                         * stays as it was */
  KEEP_LAUNCHING,       /* one launched during every listing */
} FleetChange;

typedef struct {
  Fixture     *fixture;
  FleetChange  change;
  const char  *terminate;
  char        *launched;
  guint        n_changes;
} ChangeRun;

static void
change_fleet_cb (guint    loaded,
                 guint    total,
                 gpointer user_data)
{
  ChangeRun *run = user_data;
  SimServer *sim = run->fixture->sim;

  /* Between the first page of a listing and the others. */
  if (loaded != TC_CVM_PAGE_SIZE || (run->n_changes > 0 && run->change != KEEP_LAUNCHING))
    return;
  run->n_changes++;
  if (run->change != TERMINATE_FIRST) {
    g_free (run->launched);
    run->launched = g_strdup (sim_server_launch_instance (sim, "ap-guangzhou", 0));
  }
  if (run->change == TERMINATE_FIRST || run->change == LAUNCH_AND_TERMINATE)
    g_assert_true (sim_server_terminate_instance (sim, "ap-guangzhou", run->terminate));
}

static void
test_fleet_changes (Fixture       *fixture,
                    gconstpointer  data)
{
  static const struct {
    FleetChange change;
    int         n_more;      /* listed, beyond those listed before */
    guint       n_requests;
    gboolean    whole;
  } cases[] = {
    { LAUNCH_FIRST, 1, 6, TRUE },
    { TERMINATE_FIRST, -1, 6, TRUE },
    { LAUNCH_AND_TERMINATE, 0, 6, TRUE },
    /* Given up on after three listings: the last one's instances, each once, and the list
     * says it may miss some (here the one launched during it). */
    { KEEP_LAUNCHING, 2, 9, FALSE },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++) {
    g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
    g_autoptr(GListModel) before = NULL;
    g_autoptr(GListModel) instances = NULL;
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(TcInstance) last = NULL;
    g_autofree char *terminate = NULL;
    ChangeRun run = { fixture, cases[c].change };
    TestWait wait = { 0 };
    guint requests;

    g_test_message ("case %u", c);
    before = list_instances (fixture, fixture->client, &error);
    g_assert_no_error (error);
    last = g_list_model_get_item (before, g_list_model_get_n_items (before) - 1);
    terminate = g_strdup (cases[c].change == TERMINATE_FIRST
                            ? sim_server_find_instance (fixture->sim, "ap-guangzhou",
                                                        TC_INSTANCE_STATE_STOPPED)
                            : tc_instance_get_id (last));
    run.terminate = terminate;
    requests = sim_server_get_request_count (fixture->sim, "DescribeInstances");

    tc_cvm_list_instances_async (fixture->client, "ap-guangzhou", change_fleet_cb, &run, NULL,
                                 test_wait_cb, &wait);
    result = test_wait_result (&wait);
    instances = tc_cvm_list_instances_finish (fixture->client, result, &error);
    g_assert_no_error (error);

    for (guint i = 0; i < g_list_model_get_n_items (instances); i++) {
      g_autoptr(TcInstance) instance = g_list_model_get_item (instances, i);

      g_assert_true (g_hash_table_add (ids, (gpointer) tc_instance_get_id (instance)));
    }
    g_assert_cmpint (g_hash_table_size (ids), ==,
                     (int) g_list_model_get_n_items (before) + cases[c].n_more);
    g_assert_cmpuint (sim_server_get_request_count (fixture->sim, "DescribeInstances") - requests,
                      ==, cases[c].n_requests);
    g_assert_cmpint (tc_cvm_list_is_whole (result), ==, cases[c].whole);
    if (cases[c].whole && run.launched != NULL)
      g_assert_true (g_hash_table_contains (ids, run.launched));
    if (cases[c].change == TERMINATE_FIRST || cases[c].change == LAUNCH_AND_TERMINATE)
      g_assert_false (g_hash_table_contains (ids, terminate));
    g_free (run.launched);
  }
}

/* A dry run changes nothing; a delete frees quota; the legacy API sends nothing. */
static void
test_delete_images (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *image_id = normal_image_id (fixture->client);
  g_autofree char *dry_request = NULL;
  g_autofree char *request = NULL;
  guint existing = sim_server_count_images (fixture->sim, "ap-guangzhou");
  TcCreateResult *refused;

  if (!is_api3 (fixture)) {
    g_assert_false (delete_images (fixture->client, image_id, FALSE, &request, &error));
    g_assert_error (error, TC_ERROR, TC_ERROR_UNSUPPORTED);
    g_assert_nonnull (strstr (error->message, "cannot delete"));
    g_assert_null (request);
    g_assert_cmpuint (sim_server_get_request_count (fixture->sim, "DeleteImages"), ==, 0);
    g_assert_cmpuint (sim_server_count_images (fixture->sim, "ap-guangzhou"), ==, existing);
    return;
  }

  /* The quota is used up… */
  sim_server_set_quota (fixture->sim, existing);
  refused = create_image (fixture->client, stopped_instance (fixture), "after-delete", FALSE, FALSE, &error);
  g_assert_null (refused);
  g_assert_error (error, TC_ERROR, TC_ERROR_QUOTA);
  g_clear_error (&error);

  /* …a dry run passes and changes nothing… */
  g_assert_true (delete_images (fixture->client, image_id, TRUE, &dry_request, &error));
  g_assert_no_error (error);
  g_assert_nonnull (dry_request);
  g_assert_cmpuint (sim_server_count_images (fixture->sim, "ap-guangzhou"), ==, existing);

  /* …the delete frees a place, sent once… */
  g_assert_true (delete_images (fixture->client, image_id, FALSE, &request, &error));
  g_assert_no_error (error);
  g_assert_nonnull (request);
  g_assert_cmpstr (request, !=, dry_request);
  g_assert_cmpuint (sim_server_count_images (fixture->sim, "ap-guangzhou"), ==, existing - 1);
  g_assert_cmpuint (sim_server_get_request_count (fixture->sim, "DeleteImages"), ==, 2);

  /* …which a new image takes. */
  tc_create_result_free (create_image (fixture->client, stopped_instance (fixture), "after-delete", FALSE, FALSE, &error));
  g_assert_no_error (error);

  /* Gone is not found. */
  g_assert_false (delete_images (fixture->client, image_id, FALSE, NULL, &error));
  g_assert_error (error, TC_ERROR, TC_ERROR_NOT_FOUND);
  g_assert_cmpstr (tc_error_get_server_code (error), ==, "InvalidImageId.NotFound");
}

/* An image being made is refused: the rule says so before sending, the server after. */
static void
test_delete_creating (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TcCreateResult) created = NULL;
  g_autoptr(TcImage) image = NULL;
  guint existing;

  /* Long enough to be still CREATING at the delete on a busy machine. */
  sim_server_set_image_delay (fixture->sim, 2.0);
  created = create_image (fixture->client, stopped_instance (fixture), "young", FALSE, FALSE, &error);
  existing = sim_server_count_images (fixture->sim, "ap-guangzhou");
  g_assert_no_error (error);
  image = get_image (fixture->client, "ap-guangzhou", created->image_id);
  g_assert_cmpint (tc_image_get_state (image), ==, TC_IMAGE_STATE_CREATING);
  g_assert_cmpstr (tc_image_state_blocks_delete (tc_image_get_state (image)), ==,
                   "The image is still being created.");

  g_assert_false (delete_images (fixture->client, created->image_id, TRUE, NULL, &error));
  g_assert_error (error, TC_ERROR, TC_ERROR_IMAGE_STATE);
  g_assert_cmpstr (error->message, ==, tc_error_describe (TC_ERROR_IMAGE_STATE));
  g_assert_cmpstr (tc_error_get_server_code (error), ==, "InvalidImageId.IncorrectState");
  g_assert_nonnull (tc_error_get_request_id (error));
  g_assert_cmpuint (sim_server_count_images (fixture->sim, "ap-guangzhou"), ==, existing);
}

/* Two copies, followed in their regions from SYNCING to NORMAL. */
static void
test_sync_image (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *regions[] = { "ap-shanghai", "ap-chengdu", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *image_id = normal_image_id (fixture->client);
  g_autofree char *dry_request = NULL;
  g_autofree char *request = NULL;
  g_autoptr(GPtrArray) checked = NULL;
  g_autoptr(GPtrArray) copies = NULL;
  g_autoptr(TcImage) source = get_image (fixture->client, "ap-guangzhou", image_id);
  guint shanghai = sim_server_count_images (fixture->sim, "ap-shanghai");

  if (!is_api3 (fixture)) {
    copies = sync_image (fixture->client, image_id, regions, NULL, FALSE, &request, &error);
    g_assert_null (copies);
    g_assert_error (error, TC_ERROR, TC_ERROR_UNSUPPORTED);
    g_assert_nonnull (strstr (error->message, "cannot copy"));
    g_assert_cmpuint (sim_server_get_request_count (fixture->sim, "SyncImages"), ==, 0);
    return;
  }

  checked = sync_image (fixture->client, image_id, regions, "golden", TRUE, &dry_request, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (checked->len, ==, 0);
  g_assert_nonnull (dry_request);
  g_assert_cmpuint (sim_server_count_images (fixture->sim, "ap-shanghai"), ==, shanghai);

  /* Long enough to be seen SYNCING on a busy machine, short enough to wait for. */
  sim_server_set_image_delay (fixture->sim, 1.0);
  copies = sync_image (fixture->client, image_id, regions, "golden", FALSE, &request, &error);
  g_assert_no_error (error);
  g_assert_nonnull (request);
  g_assert_cmpuint (copies->len, ==, 2);
  g_assert_cmpuint (sim_server_get_request_count (fixture->sim, "SyncImages"), ==, 2);

  for (guint i = 0; i < copies->len; i++) {
    const TcImageCopy *copy = g_ptr_array_index (copies, i);
    TcImageState state = TC_IMAGE_STATE_UNKNOWN;
    gboolean seen_syncing = FALSE;

    g_assert_cmpstr (copy->region, ==, regions[i]);
    g_assert_true (g_str_has_prefix (copy->image_id, "img-"));

    for (guint round = 0; round < 100 && state != TC_IMAGE_STATE_NORMAL; round++) {
      g_autoptr(TcImage) image = get_image (fixture->client, copy->region, copy->image_id);

      g_assert_cmpstr (tc_image_get_name (image), ==, "golden");
      state = tc_image_get_state (image);
      if (state == TC_IMAGE_STATE_SYNCING) {
        seen_syncing = TRUE;
        g_assert_cmpuint (tc_image_get_sync_percent (image), <, 100);
        g_assert_nonnull (tc_image_state_blocks_delete (state));
        test_run_main_loop_for (50);
      } else {
        g_assert_cmpint (state, ==, TC_IMAGE_STATE_NORMAL);
        g_assert_cmpuint (tc_image_get_sync_percent (image), ==, 100);
        g_assert_cmpuint (tc_image_get_size_gb (image), ==, tc_image_get_size_gb (source));
        g_assert_cmpstr (tc_image_get_source (image), ==, "CREATE_IMAGE");
        /* The copy is made of snapshots of its own region. */
        g_assert_nonnull (tc_image_get_snapshot_ids (image));
        g_assert_cmpstr (tc_image_get_snapshot_ids (image)[0], !=,
                         tc_image_get_snapshot_ids (source)[0]);
      }
    }
    /* The first copy is looked at at once, before its second is over. */
    g_assert_true (seen_syncing || i > 0);
    g_assert_cmpint (state, ==, TC_IMAGE_STATE_NORMAL);
    g_assert_cmpint (sim_server_get_image_state (fixture->sim, copy->region, "golden"), ==,
                     TC_IMAGE_STATE_NORMAL);
  }

  /* The name is taken there now: the advice names the destination. */
  g_clear_pointer (&checked, g_ptr_array_unref);
  checked = sync_image (fixture->client, image_id, regions, "golden", TRUE, NULL, &error);
  g_assert_null (checked);
  g_assert_error (error, TC_ERROR, TC_ERROR_NAME_TAKEN);
  g_assert_nonnull (strstr (error->message, "destination region"));
}

/* Not to its own region, not an image that is not ready. */
static void
test_sync_refused (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *same[] = { "ap-guangzhou", NULL };
  const char *other[] = { "ap-shanghai", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *image_id = normal_image_id (fixture->client);
  g_autoptr(TcCreateResult) created = NULL;
  GPtrArray *copies;

  copies = sync_image (fixture->client, image_id, same, "mirror", FALSE, NULL, &error);
  g_assert_null (copies);
  g_assert_error (error, TC_ERROR, TC_ERROR_REGION);
  g_assert_cmpstr (error->message, ==, tc_error_describe (TC_ERROR_REGION));
  g_clear_error (&error);

  /* A full destination: the advice names the destination, not the region the user is in. */
  sim_server_set_quota (fixture->sim, sim_server_count_images (fixture->sim, "ap-shanghai"));
  copies = sync_image (fixture->client, image_id, other, "mirror", TRUE, NULL, &error);
  g_assert_null (copies);
  g_assert_error (error, TC_ERROR, TC_ERROR_QUOTA);
  g_assert_cmpstr (error->message, !=, tc_error_describe (TC_ERROR_QUOTA));
  g_assert_nonnull (strstr (error->message, "destination region"));
  g_assert_cmpstr (tc_error_get_server_code (error), ==, "ImageQuotaLimitExceeded");
  g_clear_error (&error);
  sim_server_set_quota (fixture->sim, 500);

  sim_server_set_image_delay (fixture->sim, 2.0);
  created = create_image (fixture->client, stopped_instance (fixture), "not-ready", FALSE, FALSE, &error);
  g_assert_no_error (error);
  copies = sync_image (fixture->client, created->image_id, other, NULL, FALSE, NULL, &error);
  g_assert_null (copies);
  g_assert_error (error, TC_ERROR, TC_ERROR_IMAGE_STATE);
  g_assert_cmpstr (tc_error_get_server_code (error), ==, "InvalidImageId.IncorrectState");
  g_assert_cmpint (sim_server_get_image_state (fixture->sim, "ap-shanghai", "not-ready"), ==,
                   TC_IMAGE_STATE_UNKNOWN);
}

/* Authentication */

static void
assert_regions_fail (Fixture    *fixture,
                     TcClient   *client,
                     TcErrorCode code,
                     const char *server_code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) instances = list_instances (fixture, client, &error);

  g_assert_null (instances);
  g_assert_error (error, TC_ERROR, (int) code);
  if (server_code != NULL)
    g_assert_cmpstr (tc_error_get_server_code (error), ==, server_code);
}

static void
test_wrong_key (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(TcClient) client = make_client (fixture, SIM_DEFAULT_SECRET_ID, "not-the-key", NULL);

  assert_regions_fail (fixture, client, TC_ERROR_AUTH_SIGNATURE,
                       is_api3 (fixture) ? "AuthFailure.SignatureFailure" : "4100");
  /* Authentication failures are not retried. */
  g_assert_cmpuint (sim_server_get_request_count (fixture->sim, "DescribeInstances"), ==, 1);
}

static void
test_wrong_id (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(TcClient) client = make_client (fixture, "AKIDnobody", SIM_DEFAULT_SECRET_KEY, NULL);

  assert_regions_fail (fixture, client, TC_ERROR_AUTH_SECRET_ID,
                       is_api3 (fixture) ? "AuthFailure.SecretIdNotFound" : "4104");
}

static void
test_clock_skew (Fixture       *fixture,
                 gconstpointer  data)
{
  /* Six minutes is too far for API 3.0; the legacy window is two hours. */
  sim_server_set_time_offset (fixture->sim, is_api3 (fixture) ? 360 : 3 * 3600);
  assert_regions_fail (fixture, fixture->client, TC_ERROR_CLOCK_SKEW,
                       is_api3 (fixture) ? "AuthFailure.SignatureExpire" : "4500");

  /* Within the window all is well. */
  sim_server_set_time_offset (fixture->sim, 200);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GListModel) instances = list_instances (fixture, fixture->client, &error);

    g_assert_no_error (error);
  }
}

static void
test_token (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(TcClient) with = NULL;
  g_autoptr(TcClient) without = NULL;
  g_autoptr(GListModel) instances = NULL;
  g_autoptr(GError) error = NULL;

  sim_server_add_account (fixture->sim, "AKIDtemporary", "temporary-key", "session-token-1");
  with = make_client (fixture, "AKIDtemporary", "temporary-key", "session-token-1");
  without = make_client (fixture, "AKIDtemporary", "temporary-key", NULL);

  instances = list_instances (fixture, with, &error);
  g_assert_no_error (error);
  assert_regions_fail (fixture, without, TC_ERROR_AUTH_TOKEN,
                       is_api3 (fixture) ? "AuthFailure.TokenFailure" : "4100");
}

/* Faults */

static void
add_fault (Fixture    *fixture,
           const char *spec)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sim_server_add_fault (fixture->sim, spec, &error));
  g_assert_no_error (error);
}

static void
test_rate_limit_retried (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) instances = NULL;

  add_fault (fixture, "rate-limit:action=DescribeInstances,count=2");
  instances = list_instances (fixture, fixture->client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (instances), ==, 250);
  /* Two refusals, then the three pages. */
  g_assert_cmpuint (sim_server_get_request_count (fixture->sim, "DescribeInstances"), ==, 5);
}

static void
test_rate_limit_gives_up (Fixture       *fixture,
                          gconstpointer  data)
{
  add_fault (fixture, "rate-limit:action=DescribeInstances");
  assert_regions_fail (fixture, fixture->client, TC_ERROR_RATE_LIMITED,
                       is_api3 (fixture) ? "RequestLimitExceeded" : "4400");
  g_assert_cmpuint (sim_server_get_request_count (fixture->sim, "DescribeInstances"), ==, 4);
}

static void
test_500_read_retried (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) instances = NULL;

  add_fault (fixture, "http-500:action=DescribeInstances,count=1");
  instances = list_instances (fixture, fixture->client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sim_server_get_request_count (fixture->sim, "DescribeInstances"), ==, 4);
}

/* CreateImage is never sent twice: a 500 might have made the image already. */
static void
test_500_create_not_retried (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TcCreateResult) created = NULL;

  add_fault (fixture, "http-500:action=CreateImage,count=1");
  created = create_image (fixture->client, stopped_instance (fixture), "five-hundred", FALSE, FALSE, &error);
  g_assert_null (created);
  g_assert_error (error, TC_ERROR, TC_ERROR_HTTP_STATUS);
  g_assert_cmpuint (tc_error_get_http_status (error), ==, 500);
  g_assert_cmpuint (sim_server_get_request_count (fixture->sim, "CreateImage"), ==, 1);
}

/* DeleteImages and SyncImages are writes too: a 500 is not sent again. */
static void
test_500_image_writes_not_retried (Fixture       *fixture,
                                   gconstpointer  data)
{
  const char *regions[] = { "ap-shanghai", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *image_id = normal_image_id (fixture->client);
  guint existing = sim_server_count_images (fixture->sim, "ap-guangzhou");
  g_autoptr(GPtrArray) copies = NULL;

  add_fault (fixture, "http-500:action=SyncImages,count=1");
  copies = sync_image (fixture->client, image_id, regions, "five-hundred", FALSE, NULL, &error);
  g_assert_null (copies);
  g_assert_error (error, TC_ERROR, TC_ERROR_HTTP_STATUS);
  g_assert_cmpuint (sim_server_get_request_count (fixture->sim, "SyncImages"), ==, 1);
  g_assert_cmpint (sim_server_get_image_state (fixture->sim, "ap-shanghai", "five-hundred"), ==,
                   TC_IMAGE_STATE_UNKNOWN);
  g_clear_error (&error);

  add_fault (fixture, "http-500:action=DeleteImages,count=1");
  g_assert_false (delete_images (fixture->client, image_id, FALSE, NULL, &error));
  g_assert_error (error, TC_ERROR, TC_ERROR_HTTP_STATUS);
  g_assert_cmpuint (sim_server_get_request_count (fixture->sim, "DeleteImages"), ==, 1);
  g_assert_cmpuint (sim_server_count_images (fixture->sim, "ap-guangzhou"), ==, existing);
}

static void
test_internal_error_create (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TcCreateResult) created = NULL;

  add_fault (fixture, "internal-error:action=CreateImage");
  created = create_image (fixture->client, stopped_instance (fixture), "internal", FALSE, FALSE, &error);
  g_assert_null (created);
  g_assert_error (error, TC_ERROR, TC_ERROR_SERVER);
  g_assert_cmpuint (sim_server_get_request_count (fixture->sim, "CreateImage"), ==, 1);
}

typedef struct {
  const char  *spec;
  TcErrorCode  code;
  guint        status;     /* expected HTTP status in the details, or 0 */
  guint        requests;   /* DescribeInstances requests the client makes in all */
} FaultCase;

static const FaultCase fault_cases[] = {
  { "http-503:action=DescribeInstances", TC_ERROR_UNAVAILABLE, 503, 4 },
  { "html:action=DescribeInstances", TC_ERROR_HTTP_STATUS, 502, 4 },
  { "malformed-json:action=DescribeInstances", TC_ERROR_MALFORMED_RESPONSE, 200, 1 },
  { "truncated:action=DescribeInstances", TC_ERROR_NETWORK, 0, 4 },
  { "oversized:action=DescribeInstances", TC_ERROR_RESPONSE_TOO_LARGE, 200, 1 },
  { "drop:action=DescribeInstances", TC_ERROR_NETWORK, 0, 4 },
  { "internal-error:action=DescribeInstances", TC_ERROR_SERVER, 200, 4 },
};

typedef struct {
  const FaultCase *fault;
  TcProtocol       protocol;
} FaultRun;

static void
test_fault (Fixture       *fixture,
            gconstpointer  data)
{
  const FaultCase *c = ((const FaultRun *) data)->fault;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) instances = NULL;

  add_fault (fixture, c->spec);
  instances = list_instances (fixture, fixture->client, &error);
  g_assert_null (instances);
  g_assert_error (error, TC_ERROR, (int) c->code);
  g_assert_cmpstr (error->message, ==, tc_error_describe (c->code));
  if (c->status != 0)
    g_assert_cmpuint (tc_error_get_http_status (error), ==, c->status);
  g_assert_cmpuint (sim_server_get_request_count (fixture->sim, "DescribeInstances"), ==, c->requests);
}

static void
setup_fault (Fixture       *fixture,
             gconstpointer  data)
{
  setup (fixture, GINT_TO_POINTER (((const FaultRun *) data)->protocol));
}

/* A stalled answer ends at the session's I/O timeout. */
static void
test_stall (Fixture       *fixture,
            gconstpointer  data)
{
  tc_client_set_retry (fixture->client, 1, 5);
  add_fault (fixture, "stall:action=DescribeInstances");
  assert_regions_fail (fixture, fixture->client, TC_ERROR_TIMEOUT, NULL);
}

/* The overall deadline ends a call however slowly the bytes trickle in. */
static void
test_deadline (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) regions = NULL;
  gint64 start = g_get_monotonic_time ();

  tc_client_set_deadline (fixture->client, 1);
  add_fault (fixture, "latency:action=DescribeRegions,ms=1500");
  regions = describe_regions (fixture->client, &error);
  g_assert_null (regions);
  g_assert_error (error, TC_ERROR, TC_ERROR_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GListModel) instances = NULL;
  g_autoptr(GError) error = NULL;
  TestWait wait = { 0 };

  add_fault (fixture, "latency:action=DescribeInstances,ms=3000");
  tc_cvm_list_instances_async (fixture->client, "ap-guangzhou", NULL, NULL, cancellable, test_wait_cb, &wait);
  g_timeout_add (100, cancel_cb, cancellable);
  result = test_wait_result (&wait);
  instances = tc_cvm_list_instances_finish (fixture->client, result, &error);
  g_assert_null (instances);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Cancelling while waiting to retry ends the wait at once. */
static void
test_cancel_during_backoff (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GListModel) regions = NULL;
  g_autoptr(GError) error = NULL;
  TestWait wait = { 0 };
  gint64 start;

  tc_client_set_retry (fixture->client, 4, 5000);
  add_fault (fixture, "rate-limit:action=DescribeRegions");
  start = g_get_monotonic_time ();
  tc_cvm_describe_regions_async (fixture->client, cancellable, test_wait_cb, &wait);
  g_timeout_add (300, cancel_cb, cancellable);
  result = test_wait_result (&wait);
  regions = tc_cvm_describe_regions_finish (fixture->client, result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
}

static guint
closed_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  guint port;

  g_assert_true (g_socket_bind (socket, address, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);
  return port;
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/", closed_port ());
  g_autoptr(GError) error = NULL;

  tc_client_set_retry (fixture->client, 2, 5);
  if (is_api3 (fixture)) {
    g_assert_true (tc_client_set_endpoint (fixture->client, url, NULL));
  } else {
    g_autofree char *legacy = g_strdup_printf ("%sv2/index.php", url);

    g_assert_true (tc_client_set_legacy_endpoints (fixture->client, legacy, legacy, NULL));
  }
  assert_regions_fail (fixture, fixture->client, TC_ERROR_NETWORK, NULL);
}

/* TLS is always verified: a server whose certificate nobody vouches for is refused. The
 * certificate in tests/data is self-signed for 127.0.0.1. */
static void
test_tls (Fixture       *fixture,
          gconstpointer  data)
{
  g_autofree char *pem = test_data_path ("untrusted.pem");
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) cert = g_tls_certificate_new_from_file (pem, &error);
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *url = NULL;

  g_assert_no_error (error);
  server = soup_server_new ("tls-certificate", cert, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("https://127.0.0.1:%d/", g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  tc_client_set_retry (fixture->client, 1, 5);
  g_assert_true (tc_client_set_endpoint (fixture->client, url, NULL));
  assert_regions_fail (fixture, fixture->client, TC_ERROR_TLS, NULL);
}

/* The application's session names Imprint and, after it, libsoup: servers (and Tencent's
 * logs) see both products, as libsoup adds its own token after a trailing space. */
static void
user_agent_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  char **seen = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  static const char body[] = "{\"Response\": {\"RequestId\": \"ua\"}}";

  g_free (*seen);
  *seen = g_strdup (soup_message_headers_get_one (headers, "User-Agent"));
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body,
                                    strlen (body));
}

static void
test_user_agent (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(SoupSession) session = tc_client_new_session ();
  g_autoptr(TcCredentials) creds = tc_credentials_new (SIM_DEFAULT_SECRET_ID,
                                                       SIM_DEFAULT_SECRET_KEY, NULL);
  g_autoptr(TcClient) client = tc_client_new (session, TC_PROTOCOL_API3, creds);
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GSList) uris = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TcAnswer) response = NULL;
  g_autofree char *seen = NULL;
  g_autofree char *url = NULL;
  TestWait wait = { 0 };

  soup_server_add_handler (server, NULL, user_agent_cb, &seen, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  g_assert_true (tc_client_set_endpoint (client, url, &error));
  g_assert_no_error (error);

  tc_client_call_async (client, "DescribeRegions", NULL, NULL, TC_CALL_DEFAULT, NULL,
                        test_wait_cb, &wait);
  result = test_wait_result (&wait);
  response = tc_client_call_finish (client, result, NULL);

  g_assert_nonnull (seen);
  g_assert_true (g_str_has_prefix (seen, "Imprint/" PACKAGE_VERSION " "));
  g_assert_nonnull (strstr (seen, "libsoup/"));
  soup_server_disconnect (server);
}

/* Secrets never appear in logs or errors, even with every debug message on. */
static GPtrArray *logged;

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++) {
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
      g_ptr_array_add (logged, g_strdup (fields[i].value));
  }
  return G_LOG_WRITER_HANDLED;
}

static void
test_no_secrets_logged (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(TcClient) wrong = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) instances = NULL;
  g_autoptr(GListModel) failed = NULL;

  if (!g_test_subprocess ()) {
    g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
    g_test_trap_assert_passed ();
    return;
  }

  logged = g_ptr_array_new_with_free_func (g_free);
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  sim_server_add_account (fixture->sim, "AKIDsecretive", "very-secret-key-123", "secret-token-456");
  wrong = make_client (fixture, "AKIDsecretive", "very-secret-key-123", "secret-token-456");
  add_fault (fixture, "rate-limit:action=DescribeInstances,count=1");
  instances = list_instances (fixture, wrong, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (logged->len, >, 0);

  g_object_unref (wrong);
  wrong = make_client (fixture, "AKIDsecretive", "wrong-secret-key-789", "secret-token-456");
  failed = list_instances (fixture, wrong, &error);
  g_assert_nonnull (error);
  g_ptr_array_add (logged, g_strdup (error->message));
  g_ptr_array_add (logged, g_strdup (tc_error_get_server_message (error)));

  for (guint i = 0; i < logged->len; i++) {
    const char *line = logged->pdata[i];

    g_assert_null (strstr (line ? line : "", "very-secret-key-123"));
    g_assert_null (strstr (line ? line : "", "wrong-secret-key-789"));
    g_assert_null (strstr (line ? line : "", "secret-token-456"));
  }
  g_clear_pointer (&logged, g_ptr_array_unref);
}

static void
add (const char  *name,
     TcProtocol   protocol,
     void       (*func) (Fixture *, gconstpointer))
{
  g_autofree char *path = g_strdup_printf ("/imprint/client/%s/%s",
                                           protocol == TC_PROTOCOL_API3 ? "api3" : "legacy", name);

  g_test_add (path, Fixture, GINT_TO_POINTER (protocol), setup, func, teardown);
}

int
main (int   argc,
      char *argv[])
{
  const TcProtocol both[] = { TC_PROTOCOL_API3, TC_PROTOCOL_LEGACY };
  static FaultRun runs[2 * G_N_ELEMENTS (fault_cases)];

  g_test_init (&argc, &argv, NULL);

  for (guint p = 0; p < G_N_ELEMENTS (both); p++) {
    add ("regions", both[p], test_regions);
    add ("instances", both[p], test_instances);
    add ("get-instance", both[p], test_get_instance);
    add ("quota-and-images", both[p], test_quota_and_images);
    add ("create-and-follow", both[p], test_create_and_follow);
    add ("dry-run", both[p], test_dry_run);
    add ("create-rules", both[p], test_create_rules);
    add ("quota-reached", both[p], test_quota_reached);
    add ("find-exact", both[p], test_find_exact);
    add ("list-all-images", both[p], test_list_all_images);
    add ("fleet-changes", both[p], test_fleet_changes);
    add ("delete-images", both[p], test_delete_images);
    add ("sync-image", both[p], test_sync_image);
    add ("wrong-key", both[p], test_wrong_key);
    add ("wrong-id", both[p], test_wrong_id);
    add ("clock-skew", both[p], test_clock_skew);
    add ("rate-limit-retried", both[p], test_rate_limit_retried);
    add ("rate-limit-gives-up", both[p], test_rate_limit_gives_up);
    add ("500-read-retried", both[p], test_500_read_retried);
    add ("500-create-not-retried", both[p], test_500_create_not_retried);
    add ("internal-error-create", both[p], test_internal_error_create);
    add ("stall", both[p], test_stall);
    add ("cancel", both[p], test_cancel);
    add ("refused", both[p], test_refused);
    /* The legacy protocol carries the token as its `Token` common parameter. */
    add ("token", both[p], test_token);
  }

  add ("language", TC_PROTOCOL_API3, test_language);
  add ("endpoint-in-capitals", TC_PROTOCOL_API3, test_endpoint_in_capitals);
  add ("regions-cached", TC_PROTOCOL_API3, test_regions_cached);
  add ("regions-cache-shared", TC_PROTOCOL_API3, test_regions_cache_shared);
  add ("dry-run-fails", TC_PROTOCOL_API3, test_dry_run_fails);
  add ("delete-creating", TC_PROTOCOL_API3, test_delete_creating);
  add ("500-image-writes-not-retried", TC_PROTOCOL_API3, test_500_image_writes_not_retried);
  add ("sync-refused", TC_PROTOCOL_API3, test_sync_refused);
  add ("deadline", TC_PROTOCOL_API3, test_deadline);
  add ("cancel-during-backoff", TC_PROTOCOL_API3, test_cancel_during_backoff);
  add ("tls", TC_PROTOCOL_API3, test_tls);
  add ("no-secrets-logged", TC_PROTOCOL_API3, test_no_secrets_logged);
  add ("user-agent", TC_PROTOCOL_API3, test_user_agent);

  for (guint p = 0; p < G_N_ELEMENTS (both); p++) {
    for (guint i = 0; i < G_N_ELEMENTS (fault_cases); i++) {
      FaultRun *run = &runs[p * G_N_ELEMENTS (fault_cases) + i];
      g_autofree char *path = NULL;

      run->fault = &fault_cases[i];
      run->protocol = both[p];
      path = g_strdup_printf ("/imprint/client/%s/fault/%.*s",
                              both[p] == TC_PROTOCOL_API3 ? "api3" : "legacy",
                              (int) strcspn (fault_cases[i].spec, ":"), fault_cases[i].spec);
      g_test_add (path, Fixture, run, setup_fault, test_fault, teardown);
    }
  }

  return g_test_run ();
}
