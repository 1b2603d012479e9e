/* test-image-draft.c: what the image form says about its fields, without a display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A TcImageDraft judges fields as a form sets them, against a TcPreflight that fetches its
 * facts from the simulator (listening on a loopback port in this process's main context).
 */
#include "config.h"

#include "sim-server.h"
#include "tc-client-private.h"
#include "tc-cvm.h"
#include "tc-error.h"
#include "tc-image-draft.h"
#include "test-util.h"

#define REGION "ap-guangzhou"

typedef struct {
  SimServer    *sim;
  TcClient     *client;
  TcPreflight  *preflight;
  TcImageDraft *draft;
} Fixture;

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
  f->draft = tc_image_draft_new (f->preflight);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_assert_finalize_object (f->draft);
  g_assert_finalize_object (f->preflight);
  test_run_main_loop_for (100);
  g_clear_object (&f->client);
  sim_server_disconnect (f->sim);
  g_clear_object (&f->sim);
}

static gboolean
settled (gpointer data)
{
  TcPreflight *preflight = data;

  return tc_preflight_get_quota_status (preflight) != TC_FACT_LOADING &&
         tc_preflight_get_name_status (preflight) != TC_FACT_LOADING &&
         tc_preflight_get_instance_status (preflight) != TC_FACT_LOADING;
}

static void
choose (Fixture         *f,
        TcInstanceState  state)
{
  const char *id = sim_server_find_instance (f->sim, REGION, state);
  TestWait wait = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TcInstance) instance = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (id);
  tc_cvm_get_instance_async (f->client, REGION, id, NULL, test_wait_cb, &wait);
  result = test_wait_result (&wait);
  instance = tc_cvm_get_instance_finish (f->client, result, &error);
  g_assert_no_error (error);
  tc_preflight_set_instance (f->preflight, instance);
  test_wait_for (settled, f->preflight);
}

static void
assert_fact (Fixture      *f,
             TcDraftFact   fact,
             TcFactStatus  status,
             TcDraftMark   mark,
             const char   *text)
{
  TcFactStatus shown_status;
  TcDraftMark shown_mark;
  g_autofree char *shown = tc_image_draft_describe_fact (f->draft, fact, &shown_status, &shown_mark);

  g_assert_cmpstr (shown, ==, text);
  g_assert_cmpint (shown_status, ==, status);
  g_assert_cmpint (shown_mark, ==, mark);
}

static void
assert_check (Fixture    *f,
              TcField     field,
              const char *message)
{
  g_autofree char *said = tc_image_draft_check (f->draft, field);

  g_assert_cmpstr (said, ==, message);
}

/* Nothing chosen: the problem says what to do first; a name is judged as typed until it
 * is settled. */
static void
test_name (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *problem = NULL;
  g_autofree char *message = NULL;

  problem = tc_image_draft_dup_problem (f->draft);
  g_assert_cmpstr (problem, ==, "Choose an instance to image.");
  assert_fact (f, TC_DRAFT_FACT_INSTANCE, TC_FACT_IDLE, TC_DRAFT_MARK_NONE, "No instance chosen");

  tc_image_draft_set_name (f->draft, "web ", FALSE);
  g_assert_true (tc_image_draft_name_is_valid (f->draft));
  assert_check (f, TC_FIELD_NAME, NULL);

  tc_image_draft_set_name (f->draft, "web ", TRUE);
  g_assert_false (tc_image_draft_name_is_valid (f->draft));
  message = tc_image_draft_check (f->draft, TC_FIELD_NAME);
  g_assert_nonnull (message);
  assert_fact (f, TC_DRAFT_FACT_NAME, TC_FACT_IDLE, TC_DRAFT_MARK_NONE,
               "Checked once the name is valid");

  /* With an instance, the name is what stops the request. */
  choose (f, TC_INSTANCE_STATE_STOPPED);
  g_clear_pointer (&problem, g_free);
  problem = tc_image_draft_dup_problem (f->draft);
  g_assert_cmpstr (problem, ==, message);

  tc_image_draft_set_name (f->draft, "web", TRUE);
  g_clear_pointer (&problem, g_free);
  problem = tc_image_draft_dup_problem (f->draft);
  g_assert_null (problem);
}

static gboolean
name_known (gpointer data)
{
  return tc_preflight_get_name_status (data) == TC_FACT_KNOWN;
}

/* A name the region has stays refused when a Create sent before (under another name) is
 * answered meanwhile and marks its own name taken. */
static void
test_name_taken_twice (Fixture       *f,
                       gconstpointer  data)
{
  const char *id = sim_server_find_instance (f->sim, REGION, TC_INSTANCE_STATE_STOPPED);
  g_autoptr(TcImageRequest) request = tc_image_request_new (id, "already-there", NULL);
  g_autoptr(TcCreateResult) created = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  TestWait wait = { 0 };

  tc_cvm_create_image_async (f->client, REGION, request, FALSE, NULL, test_wait_cb, &wait);
  result = test_wait_result (&wait);
  created = tc_cvm_create_image_finish (f->client, result, &error);
  g_assert_no_error (error);

  choose (f, TC_INSTANCE_STATE_STOPPED);
  tc_image_draft_set_name (f->draft, "already-there", TRUE);
  tc_preflight_look_up_name (f->preflight, "already-there", 0);
  test_wait_for (name_known, f->preflight);
  message = tc_image_draft_check (f->draft, TC_FIELD_NAME);
  g_assert_nonnull (message);

  tc_preflight_mark_taken (f->preflight, "sent-before", FALSE);
  assert_check (f, TC_FIELD_NAME, message);
}

/* Each tag's own problem, on its key; the legacy API has no tags. */
static void
test_tags (Fixture       *f,
           gconstpointer  data)
{
  const char * const keys[] = { "team", "", "team", "", NULL };
  const char * const values[] = { "web", "orphan", "db", "", NULL };
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;

  tc_image_draft_set_tags (f->draft, keys, values);
  second = tc_image_draft_check_tag (f->draft, 1);
  third = tc_image_draft_check_tag (f->draft, 2);
  g_assert_null (tc_image_draft_check_tag (f->draft, 0));
  g_assert_cmpstr (second, ==, "Tag 2 has a value but no key. Enter a key or remove the tag.");
  g_assert_cmpstr (third, ==, "The tag key “team” is used more than once. Give each tag its own key.");
  g_assert_null (tc_image_draft_check_tag (f->draft, 3));
  g_assert_null (tc_image_draft_check_tag (f->draft, 4));
  /* The field says the first. */
  assert_check (f, TC_FIELD_TAGS, second);

  tc_image_draft_set_protocol (f->draft, TC_PROTOCOL_LEGACY);
  assert_check (f, TC_FIELD_TAGS, NULL);
}

/* The instance fact and field follow its state, the protocol and ForcePoweroff. */
static void
test_instance (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *refused = NULL;

  choose (f, TC_INSTANCE_STATE_STOPPED);
  assert_fact (f, TC_DRAFT_FACT_INSTANCE, TC_FACT_KNOWN, TC_DRAFT_MARK_OK, "Stopped — ready to be imaged");
  assert_check (f, TC_FIELD_INSTANCE, NULL);

  choose (f, TC_INSTANCE_STATE_RUNNING);
  refused = tc_image_draft_check (f->draft, TC_FIELD_INSTANCE);
  g_assert_nonnull (refused);
  assert_fact (f, TC_DRAFT_FACT_INSTANCE, TC_FACT_KNOWN, TC_DRAFT_MARK_PROBLEM,
               "Running — cannot be imaged now");
  tc_image_draft_set_force_poweroff (f->draft, TRUE);
  assert_check (f, TC_FIELD_INSTANCE, NULL);
  assert_fact (f, TC_DRAFT_FACT_INSTANCE, TC_FACT_KNOWN, TC_DRAFT_MARK_OK,
               "Running — it will be shut down first");
  /* The legacy API never images a running instance. */
  tc_image_draft_set_protocol (f->draft, TC_PROTOCOL_LEGACY);
  assert_fact (f, TC_DRAFT_FACT_INSTANCE, TC_FACT_KNOWN, TC_DRAFT_MARK_PROBLEM,
               "Running — cannot be imaged now");
}

/* The quota, as known, and a quota used up. */
static void
test_quota (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *usage = NULL;

  assert_fact (f, TC_DRAFT_FACT_QUOTA, TC_FACT_IDLE, TC_DRAFT_MARK_NONE, NULL);
  tc_preflight_refresh_quota (f->preflight);
  assert_fact (f, TC_DRAFT_FACT_QUOTA, TC_FACT_LOADING, TC_DRAFT_MARK_NONE, "Checking…");
  test_wait_for (settled, f->preflight);
  usage = tc_image_draft_dup_quota_usage (f->draft);
  g_assert_cmpstr (usage, ==, "3 of 10 used");
  assert_fact (f, TC_DRAFT_FACT_QUOTA, TC_FACT_KNOWN, TC_DRAFT_MARK_OK, "3 of 10 used");
  assert_check (f, TC_FIELD_QUOTA, NULL);

  sim_server_set_quota (f->sim, 3);
  tc_preflight_refresh_quota (f->preflight);
  test_wait_for (settled, f->preflight);
  {
    g_autofree char *message = tc_image_draft_check (f->draft, TC_FIELD_QUOTA);
    g_autofree char *text = NULL;

    g_assert_nonnull (message);
    text = g_strdup_printf ("3 of 3 used\n%s", message);
    assert_fact (f, TC_DRAFT_FACT_QUOTA, TC_FACT_KNOWN, TC_DRAFT_MARK_PROBLEM, text);
  }
}

/* A refusal goes under its field until the field changes; a taken name becomes a fact;
 * what the form has no field for is only said to be about that. */
static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) taken = tc_error_new_server ("InvalidImageName.Duplicate", "Name taken.", "r1", 200);
  g_autoptr(GError) description = tc_error_new_server ("InvalidParameterValue",
                                                       "ImageDescription: not allowed.", "r2", 200);
  g_autoptr(GError) disk = tc_error_new_server ("InvalidParameter.DataDiskIdContainsRootDisk",
                                                "Root disk.", "r3", 200);
  g_autoptr(GError) auth = tc_error_new_server ("AuthFailure.SignatureFailure", "Bad.", "r4", 200);

  tc_image_draft_set_name (f->draft, "web-01", TRUE);
  g_assert_cmpint (tc_image_draft_refused (f->draft, taken, "web-01"), ==, TC_FIELD_NAME);
  g_assert_cmpstr (tc_preflight_get_taken_name (f->preflight), ==, "web-01");
  assert_fact (f, TC_DRAFT_FACT_NAME, TC_FACT_KNOWN, TC_DRAFT_MARK_PROBLEM, "“web-01” is already taken");
  {
    g_autofree char *message = tc_image_draft_check (f->draft, TC_FIELD_NAME);

    g_assert_nonnull (message);
  }

  g_assert_cmpint (tc_image_draft_refused (f->draft, description, "web-01"), ==, TC_FIELD_DESCRIPTION);
  assert_check (f, TC_FIELD_DESCRIPTION, "ImageDescription: not allowed.");
  tc_image_draft_forget_refusal (f->draft, TC_FIELD_DESCRIPTION);
  assert_check (f, TC_FIELD_DESCRIPTION, NULL);

  g_assert_cmpint (tc_image_draft_refused (f->draft, disk, "web-01"), ==, TC_FIELD_DATA_DISKS);
  g_assert_cmpint (tc_image_draft_refused (f->draft, auth, "web-01"), ==, TC_FIELD_CREDENTIALS);
  assert_check (f, TC_FIELD_DATA_DISKS, NULL);
  assert_check (f, TC_FIELD_CREDENTIALS, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/imprint/image-draft/name", Fixture, NULL, setup, test_name, teardown);
  g_test_add ("/imprint/image-draft/name-taken-twice", Fixture, NULL, setup, test_name_taken_twice,
              teardown);
  g_test_add ("/imprint/image-draft/tags", Fixture, NULL, setup, test_tags, teardown);
  g_test_add ("/imprint/image-draft/instance", Fixture, NULL, setup, test_instance, teardown);
  g_test_add ("/imprint/image-draft/quota", Fixture, NULL, setup, test_quota, teardown);
  g_test_add ("/imprint/image-draft/refused", Fixture, NULL, setup, test_refused, teardown);

  return g_test_run ();
}
