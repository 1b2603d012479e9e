/* test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tc-cvm.h"
#include "test-util.h"

char *
test_data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", name, NULL);
}

static gboolean
timed_out_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

guint
test_timeout_seconds (guint seconds)
{
  const char *multiplier = g_getenv ("IMPRINT_TEST_TIMEOUT_MULTIPLIER");
  guint64 factor = multiplier ? g_ascii_strtoull (multiplier, NULL, 10) : 1;

  return seconds * (guint) CLAMP (factor, 1, 100);
}

void
test_wait_until (gboolean *done,
                 guint     timeout_seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (test_timeout_seconds (timeout_seconds), timed_out_cb, &timed_out);

  while (!*done && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);
  g_assert_false (timed_out);
}

void
test_run_main_loop_for (guint milliseconds)
{
  gboolean done = FALSE;

  g_timeout_add (milliseconds, timed_out_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

void
test_wait_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  TestWait *wait = user_data;

  wait->result = g_object_ref (result);
  wait->done = TRUE;
}

GAsyncResult *
test_wait_result (TestWait *wait)
{
  test_wait_until (&wait->done, 60);
  return g_steal_pointer (&wait->result);
}

static gboolean
wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

void
test_wait_for (TestCondition condition,
               gpointer      data)
{
  gint64 deadline = g_get_monotonic_time () + test_timeout_seconds (60) * (gint64) G_USEC_PER_SEC;
  guint wake = g_timeout_add (20, wake_cb, NULL);

  while (!condition (data)) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_main_context_iteration (NULL, TRUE);
  }
  g_source_remove (wake);
}

static gboolean
counted_down (gpointer data)
{
  return *(guint *) data == 0;
}

void
test_wait_countdown (guint *remaining)
{
  test_wait_for (counted_down, remaining);
}

void
test_client_point_at (TcClient   *client,
                      const char *url)
{
  g_autoptr(GError) error = NULL;

  if (tc_client_get_protocol (client) == TC_PROTOCOL_API3) {
    g_assert_true (tc_client_set_endpoint (client, url, &error));
  } else {
    g_autofree char *legacy = g_strdup_printf ("%s/v2/index.php", url);

    g_assert_true (tc_client_set_legacy_endpoints (client, legacy, legacy, &error));
  }
  g_assert_no_error (error);
}

/* @n stopped instances of @region, listed as the picker lists them. (element-type TcInstance) */
GPtrArray *
test_stopped_instances (TcClient   *client,
                        const char *region,
                        guint       n)
{
  TestWait wait = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) all = NULL;
  GPtrArray *chosen = g_ptr_array_new_with_free_func (g_object_unref);

  tc_cvm_list_instances_async (client, region, NULL, NULL, NULL, test_wait_cb, &wait);
  result = test_wait_result (&wait);
  all = tc_cvm_list_instances_finish (client, result, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (all) && chosen->len < n; i++) {
    g_autoptr(TcInstance) instance = g_list_model_get_item (all, i);

    if (tc_instance_get_state (instance) == TC_INSTANCE_STATE_STOPPED)
      g_ptr_array_add (chosen, g_steal_pointer (&instance));
  }
  g_assert_cmpuint (chosen->len, ==, n);
  return chosen;
}

void
test_delete_image (TcClient   *client,
                   const char *region,
                   const char *image_id)
{
  const char *ids[] = { image_id, NULL };
  TestWait wait = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tc_cvm_delete_images_async (client, region, ids, FALSE, FALSE, NULL, test_wait_cb, &wait);
  result = test_wait_result (&wait);
  g_assert_true (tc_cvm_delete_images_finish (client, result, NULL, &error));
  g_assert_no_error (error);
}
