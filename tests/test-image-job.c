/* test-image-job.c: one Check or Create against the simulator, without a display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The simulator listens on a loopback port in this process's main context; each test runs
 * a TcImageJob in one protocol and asserts on what the form and the window read from it:
 * its state, its entry in the history, its error and the field that error is about.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "sim-server.h"
#include "tc-client-private.h"
#include "tc-cvm.h"
#include "tc-error.h"
#include "tc-image-job.h"
#include "tc-image-tracker.h"
#include "tc-rules.h"
#include "test-util.h"

#define REGION  "ap-guangzhou"
#define ACCOUNT "job-account"

typedef struct {
  TcProtocol   protocol;
  char        *dir;
  char        *path;
  SimServer   *sim;
  TcClient    *client;
  TcHistory   *history;
  GArray      *states;     /* TcImageJobState, as notified */
} Fixture;

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_autoptr(TcCredentials) creds = tc_credentials_new (SIM_DEFAULT_SECRET_ID, SIM_DEFAULT_SECRET_KEY, NULL);
  g_autofree char *url = NULL;
  g_autofree char *legacy = NULL;
  g_autoptr(GError) error = NULL;

  f->protocol = GPOINTER_TO_INT (data);
  f->dir = g_dir_make_tmp ("imprint-job-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "history.db", NULL);
  f->history = tc_history_new (f->path);

  f->sim = sim_server_new (7, 30);
  sim_server_set_image_delay (f->sim, 0.5);
  g_assert_true (sim_server_listen (f->sim, 0, &error));
  url = sim_server_get_url (f->sim);
  legacy = g_strdup_printf ("%s/v2/index.php", url);
  f->client = tc_client_new (NULL, f->protocol, creds);
  if (f->protocol == TC_PROTOCOL_API3)
    g_assert_true (tc_client_set_endpoint (f->client, url, &error));
  else
    g_assert_true (tc_client_set_legacy_endpoints (f->client, legacy, legacy, &error));
  g_assert_no_error (error);
  tc_client_set_retry (f->client, 2, 5);
  tc_client_set_language (f->client, "en-US");
  f->states = g_array_new (FALSE, FALSE, sizeof (TcImageJobState));
}

static void
flushed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  gboolean *done = user_data;

  g_assert_true (tc_history_write_finish (TC_HISTORY (object), result, NULL));
  *done = TRUE;
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  gboolean flushed = FALSE;

  tc_history_flush_async (f->history, NULL, flushed_cb, &flushed);
  test_wait_until (&flushed, 10);
  g_assert_finalize_object (f->history);
  g_clear_object (&f->client);
  sim_server_disconnect (f->sim);
  g_clear_object (&f->sim);
  g_array_unref (f->states);
  g_remove (f->path);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static void
state_cb (TcImageJob *job,
          GParamSpec *pspec,
          Fixture    *f)
{
  TcImageJobState state = tc_image_job_get_state (job);

  g_array_append_val (f->states, state);
}

static TcInstance *
fetch_instance (Fixture         *f,
                TcInstanceState  state)
{
  const char *id = sim_server_find_instance (f->sim, REGION, state);
  TestWait wait = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TcInstance *instance;

  g_assert_nonnull (id);
  tc_cvm_get_instance_async (f->client, REGION, id, NULL, test_wait_cb, &wait);
  result = test_wait_result (&wait);
  instance = tc_cvm_get_instance_finish (f->client, result, &error);
  g_assert_no_error (error);
  return instance;
}

static TcImageJob *
new_job (Fixture        *f,
         TcInstance     *instance,
         const char     *name,
         gboolean        check,
         const char     *attempt_id)
{
  g_autoptr(TcImageRequest) request = tc_image_request_new (tc_instance_get_id (instance), name,
                                                            "made-by-a-job");
  TcImageJob *job = tc_image_job_new (f->client, REGION, instance, request, check);

  tc_image_job_set_history (job, f->history, ACCOUNT, ACCOUNT, attempt_id);
  g_signal_connect (job, "notify::state", G_CALLBACK (state_cb), f);
  g_assert_cmpint (tc_image_job_get_state (job), ==, TC_IMAGE_JOB_PENDING);
  return job;
}

/* Runs @job to its end; returns whether it succeeded, with @error set otherwise. */
static gboolean
run (TcImageJob    *job,
     GCancellable  *cancellable,
     GError       **error)
{
  TestWait wait = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  tc_image_job_run_async (job, cancellable, test_wait_cb, &wait);
  result = test_wait_result (&wait);
  return tc_image_job_run_finish (job, result, error);
}

static void
assert_states (Fixture         *f,
               TcImageJobState  last)
{
  g_assert_cmpuint (f->states->len, ==, 3);
  g_assert_cmpint (g_array_index (f->states, TcImageJobState, 0), ==, TC_IMAGE_JOB_REFRESHING);
  g_assert_cmpint (g_array_index (f->states, TcImageJobState, 1), ==, TC_IMAGE_JOB_SENDING);
  g_assert_cmpint (g_array_index (f->states, TcImageJobState, 2), ==, last);
}

/* A Create is sent in the client's protocol, recorded as CREATING, and the tracker (which
 * follows every CREATING entry) takes the image over. */
static void
test_create (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(TcInstance) instance = fetch_instance (f, TC_INSTANCE_STATE_STOPPED);
  g_autoptr(TcImageJob) job = new_job (f, instance, "job-image-1", FALSE, NULL);
  g_autoptr(TcImageTracker) tracker = tc_image_tracker_new (f->history, NULL, NULL, NULL);
  g_autoptr(GError) error = NULL;
  TcHistoryEntry *entry;

  tc_image_tracker_set_client_for_account (tracker, ACCOUNT, f->client);
  g_assert_true (run (job, NULL, &error));
  g_assert_no_error (error);
  assert_states (f, TC_IMAGE_JOB_SUCCEEDED);
  g_assert_null (tc_image_job_get_error (job));

  entry = tc_image_job_get_entry (job);
  g_assert_nonnull (entry);
  g_assert_true (tc_history_find_by_id (f->history, tc_history_entry_get_record (entry)->id) == entry);
  g_assert_cmpint (tc_history_entry_get_record (entry)->kind, ==, TC_HISTORY_KIND_CREATE);
  g_assert_cmpint (tc_history_entry_get_record (entry)->outcome, ==, TC_HISTORY_OUTCOME_CREATING);
  g_assert_cmpint (tc_history_entry_get_record (entry)->protocol, ==, f->protocol);
  g_assert_cmpstr (tc_history_entry_get_record (entry)->account_id, ==, ACCOUNT);
  g_assert_cmpstr (tc_history_entry_get_record (entry)->region, ==, REGION);
  g_assert_cmpstr (tc_history_entry_get_record (entry)->image_name, ==, "job-image-1");
  g_assert_cmpstr (tc_history_entry_get_record (entry)->instance_id, ==, tc_instance_get_id (instance));
  g_assert_cmpstr (tc_history_entry_get_record (entry)->instance_name, ==, tc_instance_get_name (instance));
  g_assert_nonnull (tc_history_entry_get_record (entry)->request_id);
  g_assert_true (tc_image_tracker_is_following (tracker, tc_history_entry_get_record (entry)->id));

  g_assert_cmpint (sim_server_get_image_state (f->sim, REGION, "job-image-1"), ==, TC_IMAGE_STATE_CREATING);
  if (f->protocol == TC_PROTOCOL_API3) {
    g_autofree char *expected = NULL;

    /* API 3.0 answers the ImageId; the toast says it. */
    g_assert_true (g_str_has_prefix (tc_image_job_get_result (job)->image_id, "img-"));
    g_assert_cmpstr (tc_history_entry_get_record (entry)->image_id, ==, tc_image_job_get_result (job)->image_id);
    expected = g_strdup_printf ("Image “job-image-1” is being created (%s).",
                                tc_image_job_get_result (job)->image_id);
    g_assert_cmpstr (tc_image_job_get_summary (job), ==, expected);
  } else {
    /* The legacy API answers none: the tracker finds it by its name. */
    g_assert_null (tc_image_job_get_result (job)->image_id);
    g_assert_null (tc_history_entry_get_record (entry)->image_id);
    g_assert_cmpstr (tc_image_job_get_summary (job), ==, "Image “job-image-1” is being created.");
  }

  /* The tracker follows it to the end. */
  while (tc_history_entry_get_record (entry)->outcome == TC_HISTORY_OUTCOME_CREATING)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (tc_history_entry_get_record (entry)->outcome, ==, TC_HISTORY_OUTCOME_READY);
  g_assert_nonnull (tc_history_entry_get_record (entry)->image_id);
}

/* A Create that went out and whose answer was lost (the image was made, the connection
 * cut in the middle of the answer): not a failure to try again, but an image to look for.
 * The entry is CREATING without an ID, and the tracker finds the image by its name. */
static void
test_no_answer (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(TcInstance) instance = fetch_instance (f, TC_INSTANCE_STATE_STOPPED);
  g_autoptr(TcImageJob) job = new_job (f, instance, "job-unanswered", FALSE, NULL);
  g_autoptr(TcImageTracker) tracker = tc_image_tracker_new (f->history, NULL, NULL, NULL);
  g_autoptr(GError) error = NULL;
  TcHistoryEntry *entry;

  g_assert_true (sim_server_add_fault (f->sim, "truncated:action=CreateImage,count=1", &error));
  g_assert_no_error (error);
  tc_image_tracker_set_client_for_account (tracker, ACCOUNT, f->client);
  g_assert_false (run (job, NULL, &error));
  g_assert_error (error, TC_ERROR, TC_ERROR_NO_ANSWER);
  assert_states (f, TC_IMAGE_JOB_FAILED);
  g_assert_cmpstr (tc_image_job_get_summary (job), ==,
                   "No answer came back for image “job-unanswered”, so it may be being created. "
                   "Imprint looks for it; the History will say how it ended.");
  /* Sent once: a write is never sent again. */
  g_assert_cmpuint (sim_server_get_request_count (f->sim, "CreateImage"), ==, 1);

  entry = tc_image_job_get_entry (job);
  g_assert_nonnull (entry);
  g_assert_cmpint (tc_history_entry_get_record (entry)->outcome, ==, TC_HISTORY_OUTCOME_CREATING);
  g_assert_null (tc_history_entry_get_record (entry)->image_id);
  g_assert_null (tc_history_entry_get_record (entry)->error_message);
  g_assert_true (tc_image_tracker_is_following (tracker, tc_history_entry_get_record (entry)->id));

  while (tc_history_entry_get_record (entry)->outcome == TC_HISTORY_OUTCOME_CREATING)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (tc_history_entry_get_record (entry)->outcome, ==, TC_HISTORY_OUTCOME_READY);
  g_assert_true (g_str_has_prefix (tc_history_entry_get_record (entry)->image_id, "img-"));
}

/* A check, then the Create of the same image: one entry, which the Create continues. */
static void
test_check_then_create (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(TcInstance) instance = fetch_instance (f, TC_INSTANCE_STATE_STOPPED);
  g_autoptr(TcImageJob) check = new_job (f, instance, "job-checked", TRUE, NULL);
  g_autoptr(TcImageJob) create = NULL;
  g_autoptr(GError) error = NULL;
  TcHistoryEntry *entry;

  g_assert_true (run (check, NULL, &error));
  g_assert_no_error (error);
  entry = tc_image_job_get_entry (check);
  g_assert_cmpint (tc_history_entry_get_record (entry)->kind, ==, TC_HISTORY_KIND_CHECK);
  g_assert_cmpint (tc_history_entry_get_record (entry)->outcome, ==, TC_HISTORY_OUTCOME_DRY_RUN_PASSED);
  g_assert_cmpstr (tc_image_job_get_summary (check), ==, "The request would succeed.");
  /* A check makes nothing. */
  g_assert_cmpint (sim_server_get_image_state (f->sim, REGION, "job-checked"), ==, TC_IMAGE_STATE_UNKNOWN);

  create = new_job (f, instance, "job-checked", FALSE, tc_history_entry_get_record (entry)->id);
  g_assert_true (run (create, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (tc_image_job_get_entry (create) == entry);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->history)), ==, 1);
  g_assert_cmpint (tc_history_entry_get_record (entry)->kind, ==, TC_HISTORY_KIND_CREATE);
  g_assert_cmpint (tc_history_entry_get_record (entry)->outcome, ==, TC_HISTORY_OUTCOME_CREATING);
}

/* The server refuses a taken name: the job fails with an error about the name field, and
 * the refusal is recorded with the server's code. */
static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(TcInstance) instance = fetch_instance (f, TC_INSTANCE_STATE_STOPPED);
  g_autoptr(TcImageJob) first = new_job (f, instance, "job-taken", FALSE, NULL);
  g_autoptr(TcImageJob) job = NULL;
  g_autoptr(GError) error = NULL;
  TcHistoryEntry *entry;

  g_assert_true (run (first, NULL, &error));
  g_assert_no_error (error);
  g_array_set_size (f->states, 0);

  job = new_job (f, instance, "job-taken", FALSE, NULL);
  g_assert_false (run (job, NULL, &error));
  g_assert_error (error, TC_ERROR, TC_ERROR_NAME_TAKEN);
  assert_states (f, TC_IMAGE_JOB_FAILED);
  g_assert_error (tc_image_job_get_error (job), TC_ERROR, TC_ERROR_NAME_TAKEN);
  g_assert_cmpint (tc_rules_field_for_error (tc_image_job_get_error (job)), ==, TC_FIELD_NAME);
  g_assert_cmpstr (tc_image_job_get_summary (job), ==, error->message);
  g_assert_null (tc_image_job_get_result (job));

  entry = tc_image_job_get_entry (job);
  g_assert_nonnull (entry);
  g_assert_cmpint (tc_history_entry_get_record (entry)->outcome, ==, TC_HISTORY_OUTCOME_REQUEST_FAILED);
  g_assert_cmpstr (tc_history_entry_get_record (entry)->error_code, ==,
                   f->protocol == TC_PROTOCOL_API3 ? "InvalidImageName.Duplicate" : "5100");
}

/* An instance that started since it was chosen is refused before anything is sent, and
 * nothing is recorded: the legacy API never images a running instance. */
static void
test_refused_before_sending (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(TcInstance) instance = fetch_instance (f, TC_INSTANCE_STATE_STOPPED);
  g_autoptr(TcImageJob) job = new_job (f, instance, "job-too-late", FALSE, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (sim_server_set_instance_state (f->sim, REGION, tc_instance_get_id (instance),
                                                TC_INSTANCE_STATE_RUNNING));
  g_assert_false (run (job, NULL, &error));
  g_assert_error (error, TC_ERROR, TC_ERROR_INSTANCE_STATE);
  g_assert_cmpint (tc_rules_field_for_error (error), ==, TC_FIELD_INSTANCE);
  g_assert_cmpint (tc_image_job_get_state (job), ==, TC_IMAGE_JOB_FAILED);
  /* The job's instance is the fresh one. */
  g_assert_cmpint (tc_instance_get_state (tc_image_job_get_instance (job)), ==, TC_INSTANCE_STATE_RUNNING);
  g_assert_null (tc_image_job_get_entry (job));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->history)), ==, 0);
  g_assert_cmpuint (sim_server_get_request_count (f->sim, "CreateImage"), ==, 0);
}

static gboolean
is_sending (gpointer data)
{
  return tc_image_job_get_state (data) == TC_IMAGE_JOB_SENDING;
}

static gboolean
is_refreshing (gpointer data)
{
  return tc_image_job_get_state (data) == TC_IMAGE_JOB_REFRESHING;
}

/* Runs @job and cancels it once @when holds: it ends CANCELLED. Returns how long it took
 * to end after being cancelled (µs). */
static gint64
run_and_cancel (TcImageJob  *job,
                GSourceFunc  when)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TestWait wait = { 0 };
  gint64 start;

  tc_image_job_run_async (job, cancellable, test_wait_cb, &wait);
  test_wait_for (when, job);
  start = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  result = test_wait_result (&wait);
  g_assert_false (tc_image_job_run_finish (job, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  return g_get_monotonic_time () - start;
}

/* Cancelled before its Create is sent, the job ends at once (the server's 3 s are not
 * waited for), sends nothing and records nothing. */
static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(TcInstance) instance = fetch_instance (f, TC_INSTANCE_STATE_STOPPED);
  g_autoptr(TcImageJob) job = new_job (f, instance, "job-cancelled", FALSE, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (sim_server_add_fault (f->sim, "latency:ms=3000", &error));
  g_assert_no_error (error);
  g_assert_cmpint (run_and_cancel (job, is_refreshing), <, 2 * G_USEC_PER_SEC);

  g_assert_cmpint (tc_image_job_get_state (job), ==, TC_IMAGE_JOB_CANCELLED);
  g_assert_null (tc_image_job_get_entry (job));
  g_assert_null (tc_image_job_get_summary (job));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->history)), ==, 0);
  test_run_main_loop_for (3500);
  g_assert_cmpuint (sim_server_get_request_count (f->sim, "CreateImage"), ==, 0);
}

/* A Create cancelled once sent may have been accepted, and was: the job waits for the
 * answer and records it (the image, its ID), then says it was cancelled. */
static void
test_cancel_sent (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(TcInstance) instance = fetch_instance (f, TC_INSTANCE_STATE_STOPPED);
  g_autoptr(TcImageJob) job = new_job (f, instance, "job-sent", FALSE, NULL);
  g_autoptr(GError) error = NULL;
  TcHistoryEntry *entry;

  g_assert_true (sim_server_add_fault (f->sim, "latency:action=CreateImage,ms=1000", &error));
  g_assert_no_error (error);
  run_and_cancel (job, is_sending);

  g_assert_cmpint (tc_image_job_get_state (job), ==, TC_IMAGE_JOB_SUCCEEDED);
  g_assert_cmpint (sim_server_get_image_state (f->sim, REGION, "job-sent"), !=, TC_IMAGE_STATE_UNKNOWN);
  entry = tc_image_job_get_entry (job);
  g_assert_nonnull (entry);
  g_assert_true (tc_history_find_by_id (f->history, tc_history_entry_get_record (entry)->id) == entry);
  g_assert_cmpstr (tc_history_entry_get_record (entry)->image_name, ==, "job-sent");
  g_assert_cmpint (tc_history_entry_get_record (entry)->outcome, ==, TC_HISTORY_OUTCOME_CREATING);
  if (f->protocol == TC_PROTOCOL_API3)
    g_assert_true (g_str_has_prefix (tc_history_entry_get_record (entry)->image_id, "img-"));
}

/* A check has no effect on the server: cancelled while out, it ends at once, unrecorded. */
static void
test_cancel_check (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(TcInstance) instance = fetch_instance (f, TC_INSTANCE_STATE_STOPPED);
  g_autoptr(TcImageJob) job = new_job (f, instance, "job-check-cancelled", TRUE, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (sim_server_add_fault (f->sim, "latency:action=CreateImage,ms=3000", &error));
  g_assert_no_error (error);
  g_assert_cmpint (run_and_cancel (job, is_sending), <, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (tc_image_job_get_state (job), ==, TC_IMAGE_JOB_CANCELLED);
  g_assert_null (tc_image_job_get_entry (job));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->history)), ==, 0);
}

/* A form keeps showing a job's answer while it asks for the same thing. */
static void
test_asks_for (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(TcInstance) instance = fetch_instance (f, TC_INSTANCE_STATE_STOPPED);
  g_autoptr(TcImageRequest) request = tc_image_request_new (tc_instance_get_id (instance), "same",
                                                            "made-by-a-job");
  g_autoptr(TcImageJob) job = NULL;
  g_autoptr(TcImageRequest) other = NULL;
  char *disks[] = { (char *) "disk-1", NULL };

  tc_image_request_add_tag (request, "team", "web");
  job = tc_image_job_new (f->client, REGION, instance, request, TRUE);
  other = tc_image_request_copy (request);
  g_assert_true (tc_image_job_asks_for (job, REGION, other));
  g_assert_false (tc_image_job_asks_for (job, "ap-shanghai", other));

  other->force_poweroff = TRUE;
  g_assert_false (tc_image_job_asks_for (job, REGION, other));
  other->force_poweroff = FALSE;
  other->data_disk_ids = g_strdupv (disks);
  g_assert_false (tc_image_job_asks_for (job, REGION, other));
  g_clear_pointer (&other->data_disk_ids, g_strfreev);
  tc_image_request_add_tag (other, "stage", "prod");
  g_assert_false (tc_image_job_asks_for (job, REGION, other));

  g_clear_pointer (&other, tc_image_request_free);
  other = tc_image_request_new (tc_instance_get_id (instance), "same", "another-description");
  tc_image_request_add_tag (other, "team", "web");
  g_assert_false (tc_image_job_asks_for (job, REGION, other));
}

static void
add (const char *name,
     TcProtocol  protocol,
     void      (*func) (Fixture *, gconstpointer))
{
  g_autofree char *path = g_strdup_printf ("/imprint/image-job/%s/%s", name,
                                           protocol == TC_PROTOCOL_API3 ? "api3" : "legacy");

  g_test_add (path, Fixture, GINT_TO_POINTER (protocol), setup, func, teardown);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint p = 0; p < 2; p++) {
    TcProtocol protocol = p == 0 ? TC_PROTOCOL_API3 : TC_PROTOCOL_LEGACY;

    add ("create", protocol, test_create);
    add ("refused", protocol, test_refused);
    add ("cancel", protocol, test_cancel);
    add ("cancel-sent", protocol, test_cancel_sent);
    add ("no-answer", protocol, test_no_answer);
  }
  add ("check-then-create", TC_PROTOCOL_API3, test_check_then_create);
  add ("cancel-check", TC_PROTOCOL_API3, test_cancel_check);
  add ("asks-for", TC_PROTOCOL_API3, test_asks_for);
  add ("refused-before-sending", TC_PROTOCOL_LEGACY, test_refused_before_sending);

  return g_test_run ();
}
