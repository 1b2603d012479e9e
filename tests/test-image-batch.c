/* test-image-batch.c: several images at once against the simulator, without a display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Three stopped instances, a pattern, one image that fails: each item ends on its own,
 * every accepted image has its own history entry, the summary counts them, and a retry
 * sends only what failed.
 */
#include "config.h"

#include <string.h>

#include "sim-server.h"
#include "tc-client-private.h"
#include "tc-cvm.h"
#include "tc-image-batch.h"
#include "tc-image-tracker.h"
#include "test-util.h"

#define REGION  "ap-guangzhou"
#define ACCOUNT "batch-account"

typedef struct {
  SimServer      *sim;
  TcClient       *client;
  TcHistory      *history;
  TcImageTracker *tracker;
  guint           n_finished;
} Fixture;

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_autoptr(TcCredentials) creds = tc_credentials_new (SIM_DEFAULT_SECRET_ID, SIM_DEFAULT_SECRET_KEY, NULL);
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;

  f->sim = sim_server_new (7, 30);
  sim_server_set_image_delay (f->sim, 0.5);
  g_assert_true (sim_server_listen (f->sim, 0, &error));
  g_assert_no_error (error);
  url = sim_server_get_url (f->sim);
  f->client = tc_client_new (NULL, TC_PROTOCOL_API3, creds);
  test_client_point_at (f->client, url);
  tc_client_set_retry (f->client, 2, 5);
  tc_client_set_language (f->client, "en-US");
  f->history = tc_history_new_temporary ();
  f->tracker = g_object_new (TC_TYPE_IMAGE_TRACKER, "history", f->history,
                             "follow-interval", 0.2, NULL);
  tc_image_tracker_set_client_for_account (f->tracker, ACCOUNT, f->client);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_assert_finalize_object (f->tracker);
  g_clear_object (&f->history);
  g_clear_object (&f->client);
  sim_server_disconnect (f->sim);
  g_clear_object (&f->sim);
}

static void
finished_cb (TcImageBatch *batch,
             Fixture      *f)
{
  f->n_finished++;
}

static gboolean
finished (gpointer data)
{
  return tc_image_batch_is_finished (data);
}

static void
test_batch_with_a_failure_and_retry (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(GPtrArray) instances = test_stopped_instances (f->client, REGION, 3);
  g_autoptr(GDateTime) date = g_date_time_new_now_local ();
  g_autoptr(GPtrArray) plan = tc_batch_plan (TC_PROTOCOL_API3, "{name}-batch-{n}", instances, NULL, date);
  g_autoptr(TcImageRequest) options = tc_image_request_new (NULL, NULL, "before the upgrade");
  g_autoptr(TcImageBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *after_retry = NULL;
  guint creates;

  g_assert_cmpuint (tc_batch_plan_count_problems (plan), ==, 0);
  /* The second image the simulator makes fails. */
  g_assert_true (sim_server_add_fault (f->sim, "image-fail:action=CreateImage,count=1", &error));
  g_assert_no_error (error);

  batch = tc_image_batch_new (f->client, REGION, plan, options);
  tc_image_batch_set_history (batch, f->history, ACCOUNT, "Batch");
  g_signal_connect (batch, "finished", G_CALLBACK (finished_cb), f);
  g_assert_cmpuint (tc_image_batch_count (batch, TC_BATCH_WAITING), ==, 3);
  tc_image_batch_start (batch);
  test_wait_for (finished, batch);

  g_assert_cmpuint (f->n_finished, ==, 1);
  g_assert_cmpuint (tc_image_batch_count (batch, TC_BATCH_READY), ==, 2);
  g_assert_cmpuint (tc_image_batch_count (batch, TC_BATCH_FAILED), ==, 1);
  summary = tc_image_batch_dup_summary (batch);
  g_assert_cmpstr (summary, ==, "2 of 3 images ready; 1 failed");
  /* Each image has its own entry, named by the pattern, with the batch's description. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->history)), ==, 3);
  for (guint i = 0; i < 3; i++) {
    TcHistoryEntry *entry = tc_image_batch_get_entry (batch, i);
    g_autofree char *expected = g_strdup_printf ("-batch-%u", i + 1);

    g_assert_nonnull (entry);
    g_assert_true (g_str_has_suffix (tc_history_entry_get_record (entry)->image_name, expected));
    g_assert_cmpstr (tc_history_entry_get_record (entry)->image_description, ==, "before the upgrade");
    g_assert_cmpstr (tc_history_entry_get_record (entry)->instance_id, ==,
                     tc_instance_get_id (tc_image_batch_get_instance (batch, i)));
    if (tc_image_batch_get_state (batch, i) == TC_BATCH_FAILED)
      g_assert_nonnull (tc_image_batch_get_message (batch, i));
  }

  /* A retry sends only what failed, as a new attempt of its own, with the same name. */
  creates = sim_server_get_request_count (f->sim, "CreateImage");
  tc_image_batch_retry_failed (batch);
  g_assert_false (tc_image_batch_is_finished (batch));
  test_wait_for (finished, batch);
  g_assert_cmpuint (sim_server_get_request_count (f->sim, "CreateImage"), ==, creates + 1);
  g_assert_cmpuint (f->n_finished, ==, 2);
  /* The failed image held its name: it was deleted, then made again. */
  g_assert_cmpuint (sim_server_get_request_count (f->sim, "DeleteImages"), ==, 1);
  after_retry = tc_image_batch_dup_summary (batch);
  g_assert_cmpstr (after_retry, ==, "3 of 3 images ready");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->history)), ==, 4);
}

/* An instance that started since it was chosen is refused before anything is sent for it;
 * the others go on. */
static void
test_refused_before_sending (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GPtrArray) instances = test_stopped_instances (f->client, REGION, 2);
  g_autoptr(GPtrArray) plan = tc_batch_plan (TC_PROTOCOL_API3, "{id}-b", instances, NULL, NULL);
  g_autoptr(TcImageRequest) options = tc_image_request_new (NULL, NULL, NULL);
  g_autoptr(TcImageBatch) batch = NULL;
  guint failed = G_MAXUINT;

  g_assert_true (sim_server_set_instance_state (f->sim, REGION,
                                                tc_instance_get_id (instances->pdata[1]),
                                                TC_INSTANCE_STATE_RUNNING));
  batch = tc_image_batch_new (f->client, REGION, plan, options);
  tc_image_batch_set_history (batch, f->history, ACCOUNT, "Batch");
  tc_image_batch_start (batch);
  test_wait_for (finished, batch);

  g_assert_cmpint (tc_image_batch_get_state (batch, 0), ==, TC_BATCH_READY);
  g_assert_cmpint (tc_image_batch_get_state (batch, 1), ==, TC_BATCH_FAILED);
  for (guint i = 0; i < 2; i++)
    if (tc_image_batch_get_state (batch, i) == TC_BATCH_FAILED)
      failed = i;
  g_assert_nonnull (strstr (tc_image_batch_get_message (batch, failed), "running"));
  g_assert_cmpuint (sim_server_get_request_count (f->sim, "CreateImage"), ==, 1);
}

/* The failed image was deleted before the retry (in the Images view): its name is free,
 * and the retry makes the image rather than failing on the image that is gone. */
static void
test_retry_after_failed_image_deleted (Fixture       *f,
                                       gconstpointer  data)
{
  g_autoptr(GPtrArray) instances = test_stopped_instances (f->client, REGION, 1);
  g_autoptr(GPtrArray) plan = tc_batch_plan (TC_PROTOCOL_API3, "{id}-gone", instances, NULL, NULL);
  g_autoptr(TcImageRequest) options = tc_image_request_new (NULL, NULL, NULL);
  g_autoptr(TcImageBatch) batch = tc_image_batch_new (f->client, REGION, plan, options);
  g_autoptr(GError) error = NULL;
  const char *failed_image;

  g_assert_true (sim_server_add_fault (f->sim, "image-fail:action=CreateImage,count=1", &error));
  g_assert_no_error (error);
  tc_image_batch_set_history (batch, f->history, ACCOUNT, "Batch");
  tc_image_batch_start (batch);
  test_wait_for (finished, batch);
  g_assert_cmpint (tc_image_batch_get_state (batch, 0), ==, TC_BATCH_FAILED);

  failed_image = tc_history_entry_get_record (tc_image_batch_get_entry (batch, 0))->image_id;
  g_assert_nonnull (failed_image);
  test_delete_image (f->client, REGION, failed_image);

  tc_image_batch_retry_failed (batch);
  test_wait_for (finished, batch);
  g_assert_cmpint (tc_image_batch_get_state (batch, 0), ==, TC_BATCH_READY);
  g_assert_cmpuint (sim_server_get_request_count (f->sim, "CreateImage"), ==, 2);
}

static gboolean
all_creating (gpointer data)
{
  return tc_image_batch_count (data, TC_BATCH_CREATING) == tc_image_batch_get_n_items (data);
}

/* The History is cleared while the images are being made: nothing follows them any more,
 * and the batch still ends (its notification comes), saying why. */
static void
test_entries_removed (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) instances = test_stopped_instances (f->client, REGION, 2);
  g_autoptr(GPtrArray) plan = tc_batch_plan (TC_PROTOCOL_API3, "{id}-cleared", instances, NULL, NULL);
  g_autoptr(TcImageRequest) options = tc_image_request_new (NULL, NULL, NULL);
  g_autoptr(TcImageBatch) batch = tc_image_batch_new (f->client, REGION, plan, options);

  sim_server_set_image_delay (f->sim, 60);
  tc_image_batch_set_history (batch, f->history, ACCOUNT, "Batch");
  g_signal_connect (batch, "finished", G_CALLBACK (finished_cb), f);
  tc_image_batch_start (batch);
  test_wait_for (all_creating, batch);

  tc_history_clear_async (f->history, NULL, NULL, NULL);
  g_assert_true (tc_image_batch_is_finished (batch));
  g_assert_cmpuint (f->n_finished, ==, 1);
  for (guint i = 0; i < 2; i++) {
    g_assert_cmpint (tc_image_batch_get_state (batch, i), ==, TC_BATCH_FAILED);
    g_assert_cmpstr (tc_image_batch_get_message (batch, i), ==,
                     "Its History entry was removed, so the image is no longer followed.");
  }
}

static void
drop_batch_cb (TcImageBatch  *batch,
               TcImageBatch **owner)
{
  g_clear_object (owner);
}

static gboolean
dropped (gpointer data)
{
  return *(TcImageBatch **) data == NULL;
}

/* Whoever holds the batch may let it go when it finishes (a window that closes then): the
 * batch is not touched after that, however the news of its last image reached it. */
static void
test_dropped_when_finished (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) instances = test_stopped_instances (f->client, REGION, 1);
  g_autoptr(GPtrArray) plan = tc_batch_plan (TC_PROTOCOL_API3, "{id}-dropped", instances, NULL, NULL);
  g_autoptr(TcImageRequest) options = tc_image_request_new (NULL, NULL, NULL);
  TcImageBatch *batch = tc_image_batch_new (f->client, REGION, plan, options);

  tc_image_batch_set_history (batch, f->history, ACCOUNT, "Batch");
  g_signal_connect (batch, "finished", G_CALLBACK (drop_batch_cb), &batch);
  tc_image_batch_start (batch);
  test_wait_for (dropped, &batch);
  g_assert_null (batch);
}

static void
count_cb (TcImageBatch *batch,
          guint        *n)
{
  (*n)++;
}

static void
count_item_cb (TcImageBatch *batch,
               guint         index,
               guint        *n)
{
  (*n)++;
}

/* Cancelled (the demo it ran in was left): nothing more is sent, and nothing more is said
 * about it: no item changes, it never finishes, so no one sums it up. */
static void
test_cancelled (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) instances = test_stopped_instances (f->client, REGION, 5);
  g_autoptr(GPtrArray) plan = tc_batch_plan (TC_PROTOCOL_API3, "{id}-cancelled", instances, NULL, NULL);
  g_autoptr(TcImageRequest) options = tc_image_request_new (NULL, NULL, NULL);
  g_autoptr(TcImageBatch) batch = tc_image_batch_new (f->client, REGION, plan, options);
  guint n_cancelled = 0, n_changed = 0;

  tc_image_batch_set_history (batch, f->history, ACCOUNT, "Batch");
  g_signal_connect (batch, "finished", G_CALLBACK (finished_cb), f);
  g_signal_connect (batch, "cancelled", G_CALLBACK (count_cb), &n_cancelled);
  /* Four are out at once; the fifth waits for one of them. */
  tc_image_batch_start (batch);
  g_assert_cmpuint (tc_image_batch_count (batch, TC_BATCH_SENDING), ==, 4);
  g_assert_false (tc_image_batch_is_cancelled (batch));

  tc_image_batch_cancel (batch);
  g_assert_true (tc_image_batch_is_cancelled (batch));
  g_assert_cmpuint (n_cancelled, ==, 1);
  g_signal_connect (batch, "item-changed", G_CALLBACK (count_item_cb), &n_changed);

  /* Long enough for the images out to be made, and the rest to be sent. */
  test_run_main_loop_for (2000);
  tc_image_batch_retry_failed (batch);
  tc_image_batch_start (batch);
  tc_image_batch_cancel (batch);
  test_run_main_loop_for (300);

  g_assert_cmpuint (n_changed, ==, 0);
  g_assert_cmpuint (f->n_finished, ==, 0);
  g_assert_false (tc_image_batch_is_finished (batch));
  g_assert_cmpuint (n_cancelled, ==, 1);
  g_assert_cmpuint (sim_server_get_request_count (f->sim, "CreateImage"), <=, 4);
  g_assert_cmpuint (tc_image_batch_count (batch, TC_BATCH_WAITING), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/image-batch/failure-and-retry", Fixture, NULL, setup,
              test_batch_with_a_failure_and_retry, teardown);
  g_test_add ("/image-batch/refused-before-sending", Fixture, NULL, setup,
              test_refused_before_sending, teardown);
  g_test_add ("/image-batch/retry-after-failed-image-deleted", Fixture, NULL, setup,
              test_retry_after_failed_image_deleted, teardown);
  g_test_add ("/image-batch/entries-removed", Fixture, NULL, setup, test_entries_removed,
              teardown);
  g_test_add ("/image-batch/dropped-when-finished", Fixture, NULL, setup,
              test_dropped_when_finished, teardown);
  g_test_add ("/image-batch/cancelled", Fixture, NULL, setup, test_cancelled, teardown);
  return g_test_run ();
}
