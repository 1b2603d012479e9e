/* test-tracker.c: images being made are followed to their end, also across a restart
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs inside tests/keyring-session.sh --with-display: its own D-Bus session, HOME and an
 * unlocked keyring, so the tracker can find an account's keys the way the application
 * does. The simulator listens in this process's main context.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "imprint-create-page.h"
#include "tc-image-tracker.h"
#include "sim-server.h"
#include "tc-cvm.h"
#include "tc-history.h"
#include "test-ui-util.h"
#include "test-util.h"

#define REGION     "ap-guangzhou"
#define ACCOUNT    "sim"
#define SECRET_ID  "AKIDtrackerTESTsecretID0000000000001"
#define SECRET_KEY "trackerTESTsecretKEYthatMUSTnotLEAK1"
#define TOKEN      "trackerTESTsessionTOKENthatMUSTnotLEAK2"

typedef struct {
  char            *dir;
  char            *path;
  SimServer       *sim;
  char            *url;
  TcClient        *client;
  TcHistory       *history;
  TcImageTracker  *tracker;
  GPtrArray       *finished;
} Fixture;

static TcClient *
make_client (Fixture    *f,
             TcProtocol  protocol)
{
  g_autoptr(TcCredentials) creds = tc_credentials_new (SIM_DEFAULT_SECRET_ID, SIM_DEFAULT_SECRET_KEY, NULL);
  g_autofree char *legacy = g_strdup_printf ("%s/v2/index.php", f->url);
  g_autoptr(GError) error = NULL;
  TcClient *client = tc_client_new (NULL, protocol, creds);

  if (protocol == TC_PROTOCOL_API3)
    g_assert_true (tc_client_set_endpoint (client, f->url, &error));
  else
    g_assert_true (tc_client_set_legacy_endpoints (client, legacy, legacy, &error));
  g_assert_no_error (error);
  tc_client_set_language (client, "en-US");
  return client;
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("imprint-tracker-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "history.db", NULL);
  f->sim = sim_server_new (3, 20);
  sim_server_set_image_delay (f->sim, 0.5);
  g_assert_true (sim_server_listen (f->sim, 0, &error));
  f->url = sim_server_get_url (f->sim);
  f->client = make_client (f, TC_PROTOCOL_API3);
  f->history = tc_history_new (f->path);
  f->finished = g_ptr_array_new_with_free_func (g_object_unref);
}

static void
finished_cb (TcImageTracker *tracker,
             TcHistoryEntry *entry,
             Fixture        *f)
{
  g_ptr_array_add (f->finished, g_object_ref (entry));
}

static TcImageTracker *
start_tracker (Fixture        *f,
               TcAccountStore *store)
{
  g_autoptr(SoupSession) session = tc_client_new_session ();

  f->tracker = g_object_new (TC_TYPE_IMAGE_TRACKER,
                             "history", f->history,
                             "store", store,
                             "session", store ? session : NULL,
                             "follow-interval", 0.2,
                             NULL);
  g_signal_connect (f->tracker, "finished", G_CALLBACK (finished_cb), f);
  return f->tracker;
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
flush (TcHistory *history)
{
  gboolean done = FALSE;

  tc_history_flush_async (history, NULL, flushed_cb, &done);
  test_wait_until (&done, 10);
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (tc_history_load_finish (TC_HISTORY (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static TcHistory *
reload (Fixture *f)
{
  TcHistory *history = tc_history_new (f->path);
  gboolean done = FALSE;

  tc_history_load_async (history, NULL, loaded_cb, &done);
  test_wait_until (&done, 10);
  return history;
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  if (f->tracker != NULL)
    g_assert_finalize_object (f->tracker);
  flush (f->history);
  g_clear_pointer (&f->finished, g_ptr_array_unref);
  g_assert_finalize_object (f->history);
  g_clear_object (&f->client);
  sim_server_disconnect (f->sim);
  g_clear_object (&f->sim);
  g_remove (f->path);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
  g_free (f->url);
}

/* Creates an image on the simulator and records it as the form does: with the account's
 * id, and a name that is not it (the tracker goes by the id; names change). */
static TcHistoryEntry *
create_and_record (Fixture    *f,
                   TcClient   *client,
                   const char *account,
                   const char *name)
{
  const char *instance_id = sim_server_find_instance (f->sim, REGION, TC_INSTANCE_STATE_STOPPED);
  g_autoptr(TcImageRequest) request = tc_image_request_new (instance_id, name, "tracker-test");
  g_autoptr(GAsyncResult) result = NULL;
  TestWait result_wait = { 0 };
  g_autoptr(TcCreateResult) created = NULL;
  g_autoptr(GError) error = NULL;
  TcHistoryEntry *entry;

  tc_cvm_create_image_async (client, REGION, request, FALSE, NULL, test_wait_cb, &result_wait);
  result = test_wait_result (&result_wait);
  created = tc_cvm_create_image_finish (client, result, &error);
  g_assert_no_error (error);

  entry = tc_history_entry_new_for_request (TC_HISTORY_KIND_CREATE, account, "Renamed “账号”",
                                            tc_client_get_protocol (client), REGION,
                                            "instance-name", request);
  tc_history_entry_edit (entry)->outcome = TC_HISTORY_OUTCOME_CREATING;
  tc_history_set_str (&tc_history_entry_edit (entry)->image_id, created->image_id);
  tc_history_set_str (&tc_history_entry_edit (entry)->request_id, created->request_id);
  tc_history_add_async (f->history, entry, NULL, NULL, NULL);
  return entry;
}

static gboolean
wait_finished (Fixture *f,
               guint    n,
               guint    timeout_seconds)
{
  gint64 deadline = g_get_monotonic_time () + test_timeout_seconds (timeout_seconds) * (gint64) G_USEC_PER_SEC;

  while (f->finished->len < n && g_get_monotonic_time () < deadline)
    test_run_main_loop_for (20);
  return f->finished->len >= n;
}

/* Tests */

static void
test_new_destroy (Fixture       *f,
                  gconstpointer  data)
{
  TcImageTracker *tracker = tc_image_tracker_new (f->history, NULL, NULL, NULL);

  g_assert_true (tc_image_tracker_get_history (tracker) == f->history);
  g_assert_cmpfloat (tc_image_tracker_get_follow_interval (tracker), ==, 3.0);
  g_assert_cmpuint (tc_image_tracker_get_n_following (tracker), ==, 0);
  tc_image_tracker_set_client_for_account (tracker, ACCOUNT, f->client);
  tc_image_tracker_set_client_for_account (tracker, ACCOUNT, NULL);
  g_assert_finalize_object (tracker);
}

static void
test_ready (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(TcHistoryEntry) entry = NULL;
  g_autoptr(TcHistory) again = NULL;
  TcHistoryEntry *stored;
  g_autofree char *image_id = NULL;

  start_tracker (f, NULL);
  tc_image_tracker_set_client_for_account (f->tracker, ACCOUNT, f->client);
  entry = create_and_record (f, f->client, ACCOUNT, "tracked-ready");
  image_id = g_strdup (tc_history_entry_get_record (entry)->image_id);
  g_assert_true (tc_image_tracker_is_following (f->tracker, tc_history_entry_get_record (entry)->id));

  /* A dry run and a failed request are not followed. */
  {
    g_autoptr(TcImageRequest) request = tc_image_request_new ("ins-x", "checked", NULL);
    g_autoptr(TcHistoryEntry) check = tc_history_entry_new_for_request (TC_HISTORY_KIND_CHECK, ACCOUNT, ACCOUNT,
                                                                        TC_PROTOCOL_API3, REGION,
                                                                        NULL, request);

    tc_history_add_async (f->history, check, NULL, NULL, NULL);
    g_assert_false (tc_image_tracker_is_following (f->tracker, tc_history_entry_get_record (check)->id));
  }

  g_assert_true (wait_finished (f, 1, 20));
  g_assert_true (g_ptr_array_index (f->finished, 0) == entry);
  g_assert_cmpint (tc_history_entry_get_record (entry)->outcome, ==, TC_HISTORY_OUTCOME_READY);
  g_assert_cmpstr (tc_history_entry_get_record (entry)->image_id, ==, image_id);
  g_assert_cmpint (tc_history_entry_get_record (entry)->last_checked, !=, 0);
  g_assert_cmpuint (tc_image_tracker_get_n_following (f->tracker), ==, 0);

  /* The file says so. */
  flush (f->history);
  again = reload (f);
  stored = tc_history_find_by_id (again, tc_history_entry_get_record (entry)->id);
  g_assert_nonnull (stored);
  g_assert_cmpint (tc_history_entry_get_record (stored)->outcome, ==, TC_HISTORY_OUTCOME_READY);
  g_assert_cmpstr (tc_history_entry_get_record (stored)->image_id, ==, image_id);
  g_assert_cmpint (tc_history_entry_get_record (stored)->last_checked, !=, 0);
  flush (again);
}

/* An image made while the History view's search hides its entry (the search stays when the
 * user goes back to the form) is followed all the same, to its notification. */
static void
test_hidden_by_search (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(TcHistoryEntry) entry = NULL;

  start_tracker (f, NULL);
  tc_image_tracker_set_client_for_account (f->tracker, ACCOUNT, f->client);
  tc_history_set_search (f->history, "nothing-matches-this");
  entry = create_and_record (f, f->client, ACCOUNT, "tracked-hidden");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->history)), ==, 0);
  g_assert_true (tc_image_tracker_is_following (f->tracker, tc_history_entry_get_record (entry)->id));
  g_assert_true (wait_finished (f, 1, 20));
  g_assert_cmpint (tc_history_entry_get_record (entry)->outcome, ==, TC_HISTORY_OUTCOME_READY);
  tc_history_set_search (f->history, NULL);
}

static void
test_legacy (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(TcClient) legacy = make_client (f, TC_PROTOCOL_LEGACY);
  g_autoptr(TcHistoryEntry) entry = NULL;

  start_tracker (f, NULL);
  tc_image_tracker_set_client_for_account (f->tracker, ACCOUNT, legacy);
  entry = create_and_record (f, legacy, ACCOUNT, "legacyTracked");
  g_assert_null (tc_history_entry_get_record (entry)->image_id);

  /* Followed by its exact name; the ID is learnt on the way. */
  g_assert_true (wait_finished (f, 1, 20));
  g_assert_cmpint (tc_history_entry_get_record (entry)->outcome, ==, TC_HISTORY_OUTCOME_READY);
  g_assert_true (g_str_has_prefix (tc_history_entry_get_record (entry)->image_id, "img-"));
}

static void
test_failed (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(TcHistoryEntry) entry = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (sim_server_add_fault (f->sim, "image-fail:action=CreateImage", &error));
  g_assert_no_error (error);

  start_tracker (f, NULL);
  tc_image_tracker_set_client_for_account (f->tracker, ACCOUNT, f->client);
  entry = create_and_record (f, f->client, ACCOUNT, "doomed");

  g_assert_true (wait_finished (f, 1, 20));
  g_assert_cmpint (tc_history_entry_get_record (entry)->outcome, ==, TC_HISTORY_OUTCOME_FAILED);
  g_assert_nonnull (tc_history_entry_get_record (entry)->image_id);
}

/* An image that never shows up is given up on after a few looks. */
static void
test_never_appears (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(TcImageRequest) request = tc_image_request_new ("ins-nothere", "phantom", NULL);
  g_autoptr(TcHistoryEntry) entry = tc_history_entry_new_for_request (TC_HISTORY_KIND_CREATE, ACCOUNT, ACCOUNT,
                                                                      TC_PROTOCOL_API3, REGION,
                                                                      NULL, request);

  f->tracker = g_object_new (TC_TYPE_IMAGE_TRACKER, "history", f->history, "follow-interval", 0.05, NULL);
  g_signal_connect (f->tracker, "finished", G_CALLBACK (finished_cb), f);
  tc_image_tracker_set_client_for_account (f->tracker, ACCOUNT, f->client);
  tc_history_set_str (&tc_history_entry_edit (entry)->image_id, "img-00000000");
  tc_history_add_async (f->history, entry, NULL, NULL, NULL);

  g_assert_true (wait_finished (f, 1, 30));
  g_assert_cmpint (tc_history_entry_get_record (entry)->outcome, ==, TC_HISTORY_OUTCOME_FAILED);
  g_assert_cmpstr (tc_history_entry_get_record (entry)->error_message, ==,
                   "The image never appeared in the region.");
}

/* Quit while an image is still being made, start again: it is followed to its end. */
static void
test_resume (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(TcHistoryEntry) entry = NULL;
  g_autofree char *id = NULL;
  TcHistoryEntry *stored;

  sim_server_set_image_delay (f->sim, 4);
  start_tracker (f, NULL);
  tc_image_tracker_set_client_for_account (f->tracker, ACCOUNT, f->client);
  entry = create_and_record (f, f->client, ACCOUNT, "survives-restart");
  id = g_strdup (tc_history_entry_get_record (entry)->id);

  /* The first run looks a few times and stops before the image is ready. */
  test_run_main_loop_for (1000);
  g_assert_cmpuint (f->finished->len, ==, 0);
  g_assert_cmpint (tc_history_entry_get_record (entry)->outcome, ==, TC_HISTORY_OUTCOME_CREATING);
  g_assert_cmpint (sim_server_get_image_state (f->sim, REGION, "survives-restart"), ==,
                   TC_IMAGE_STATE_CREATING);
  g_assert_finalize_object (g_steal_pointer (&f->tracker));
  flush (f->history);
  g_clear_object (&entry);
  g_assert_finalize_object (g_steal_pointer (&f->history));

  /* The second run: a new history on the same file, a new tracker. */
  f->history = tc_history_new (f->path);
  start_tracker (f, NULL);
  tc_image_tracker_set_client_for_account (f->tracker, ACCOUNT, f->client);
  g_assert_cmpuint (tc_image_tracker_get_n_following (f->tracker), ==, 0);
  /* A search typed before the load hides the entry: it is followed all the same. */
  if (data != NULL)
    tc_history_set_search (f->history, "nothing-matches-this");
  {
    gboolean done = FALSE;

    tc_history_load_async (f->history, NULL, loaded_cb, &done);
    test_wait_until (&done, 10);
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->history)), ==, data ? 0 : 1);
  g_assert_true (tc_image_tracker_is_following (f->tracker, id));

  g_assert_true (wait_finished (f, 1, 30));
  stored = tc_history_find_by_id (f->history, id);
  g_assert_true (g_ptr_array_index (f->finished, 0) == stored);
  g_assert_cmpint (tc_history_entry_get_record (stored)->outcome, ==, TC_HISTORY_OUTCOME_READY);
}

/* Accounts */

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (tc_account_store_save_finish (TC_ACCOUNT_STORE (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

/* An account on the simulator with a SecretKey and a token, in the keyring. */
static TcAccountStore *
store_with_account (Fixture *f)
{
  g_autofree char *accounts = g_build_filename (f->dir, "accounts.json", NULL);
  TcAccountStore *store = tc_account_store_new (accounts);
  g_autoptr(TcAccount) account = tc_account_new (ACCOUNT, SECRET_ID);
  g_autoptr(TcCredentials) creds = tc_credentials_new (SECRET_ID, SECRET_KEY, TOKEN);
  gboolean done = FALSE;

  sim_server_add_account (f->sim, SECRET_ID, SECRET_KEY, TOKEN);
  tc_account_set_endpoint (account, f->url);
  tc_account_set_region (account, REGION);
  tc_account_store_save_async (store, account, creds, NULL, saved_cb, &done);
  test_wait_until (&done, 20);
  return store;
}

static gboolean
has_keyring (void)
{
  if (g_strcmp0 (g_getenv ("IMPRINT_TEST_KEYRING"), "session") != 0) {
    g_test_skip ("needs the keyring of keyring-session.sh");
    return FALSE;
  }
  return TRUE;
}

static void
test_keyring (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(TcAccountStore) store = NULL;
  g_autoptr(TcClient) client = NULL;
  g_autoptr(TcCredentials) creds = NULL;
  g_autoptr(TcHistoryEntry) entry = NULL;
  g_autoptr(TcHistoryEntry) orphan = NULL;
  g_autoptr(TcImageRequest) request = tc_image_request_new ("ins-gone", "orphan", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *accounts = NULL;
  g_autoptr(SoupSession) session = tc_client_new_session ();

  if (!has_keyring ())
    return;

  store = store_with_account (f);
  creds = tc_credentials_new (SECRET_ID, SECRET_KEY, TOKEN);
  client = tc_account_create_client (tc_account_store_find_by_name (store, ACCOUNT),
                                     session, NULL, creds, &error);
  g_assert_no_error (error);

  /* No client given: the tracker finds the account by its id (not its name, which may
   * change) and its keys in the keyring. */
  start_tracker (f, store);
  entry = create_and_record (f, client,
                             tc_account_get_id (tc_account_store_find_by_name (store, ACCOUNT)),
                             "via-keyring");

  /* An account that no longer exists: the entry stays CREATING and is retried. */
  orphan = tc_history_entry_new_for_request (TC_HISTORY_KIND_CREATE, "removed-account-id", "removed-account",
                                             TC_PROTOCOL_API3, REGION, NULL, request);
  tc_history_add_async (f->history, orphan, NULL, NULL, NULL);

  g_assert_true (wait_finished (f, 1, 20));
  g_assert_cmpint (tc_history_entry_get_record (entry)->outcome, ==, TC_HISTORY_OUTCOME_READY);
  test_run_main_loop_for (800);
  g_assert_cmpuint (f->finished->len, ==, 1);
  g_assert_cmpint (tc_history_entry_get_record (orphan)->outcome, ==, TC_HISTORY_OUTCOME_CREATING);
  g_assert_true (tc_image_tracker_is_following (f->tracker, tc_history_entry_get_record (orphan)->id));

  accounts = g_strdup (tc_account_store_get_path (store));
  g_assert_finalize_object (g_steal_pointer (&f->tracker));
  g_clear_object (&store);
  g_remove (accounts);
}

/* Until the simulator was asked @n DescribeImages in all. */
static void
wait_looks (Fixture *f,
            guint    n)
{
  gint64 deadline = g_get_monotonic_time () + test_timeout_seconds (20) * (gint64) G_USEC_PER_SEC;

  while (sim_server_get_request_count (f->sim, "DescribeImages") < n) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    test_run_main_loop_for (20);
  }
}

/* The session token expired while an image was being made, and the user saved a new one:
 * the tracker, whose client signed with the old token, reads the keys again and finds the
 * image ready. */
static void
test_new_token (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(TcAccountStore) store = NULL;
  g_autoptr(TcClient) client = NULL;
  g_autoptr(TcCredentials) creds = NULL;
  g_autoptr(TcCredentials) renewed = NULL;
  g_autoptr(TcHistoryEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *accounts = NULL;
  g_autoptr(SoupSession) session = tc_client_new_session ();
  TcAccount *account;
  gboolean done = FALSE;

  if (!has_keyring ())
    return;

  store = store_with_account (f);
  account = tc_account_store_find_by_name (store, ACCOUNT);
  creds = tc_credentials_new (SECRET_ID, SECRET_KEY, TOKEN);
  client = tc_account_create_client (account, session, NULL, creds, &error);
  g_assert_no_error (error);
  sim_server_set_image_delay (f->sim, 2.0);

  start_tracker (f, store);
  entry = create_and_record (f, client, tc_account_get_id (account), "new-token");
  wait_looks (f, sim_server_get_request_count (f->sim, "DescribeImages") + 1);

  /* The old token stops working; looks fail until the new one is in the keyring. */
  sim_server_add_account (f->sim, SECRET_ID, SECRET_KEY, TOKEN "-renewed");
  wait_looks (f, sim_server_get_request_count (f->sim, "DescribeImages") + 2);
  g_assert_cmpint (tc_history_entry_get_record (entry)->outcome, ==, TC_HISTORY_OUTCOME_CREATING);
  renewed = tc_credentials_new (SECRET_ID, SECRET_KEY, TOKEN "-renewed");
  tc_account_store_save_async (store, account, renewed, NULL, saved_cb, &done);
  test_wait_until (&done, 20);

  g_assert_true (wait_finished (f, 1, 20));
  g_assert_cmpint (tc_history_entry_get_record (entry)->outcome, ==, TC_HISTORY_OUTCOME_READY);

  accounts = g_strdup (tc_account_store_get_path (store));
  g_assert_finalize_object (g_steal_pointer (&f->tracker));
  g_clear_object (&client);
  g_clear_object (&store);
  g_remove (accounts);
}

/* Binary files hold NUL bytes: strstr() would stop at the first. */
static gboolean
bytes_contain (const char *data,
               gsize       length,
               const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= length; i++) {
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;
  }
  return FALSE;
}

/* Everything a user would do, then the history file is read as bytes: no SecretKey, no
 * token and no SecretId anywhere in it. */
static void
test_no_secrets (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(TcAccountStore) store = NULL;
  g_autoptr(TcClient) client = NULL;
  g_autoptr(TcCredentials) creds = NULL;
  g_autoptr(TcInstance) instance = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  TestWait result_wait = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *accounts = NULL;
  g_autoptr(SoupSession) session = tc_client_new_session ();
  ImprintCreatePage *page;
  GtkWidget *window;
  gsize length;

  if (!has_keyring ())
    return;

  store = store_with_account (f);
  creds = tc_credentials_new (SECRET_ID, SECRET_KEY, TOKEN);
  client = tc_account_create_client (tc_account_store_find_by_name (store, ACCOUNT), session,
                                     NULL, creds, &error);
  g_assert_no_error (error);
  g_clear_pointer (&creds, tc_credentials_unref);
  start_tracker (f, store);

  page = g_object_new (IMPRINT_TYPE_CREATE_PAGE, "client", client, "region", REGION,
                       "history", f->history, "account-name", ACCOUNT,
                       "account-id", tc_account_get_id (tc_account_store_find_by_name (store, ACCOUNT)),
                       NULL);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 900);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  test_wait_page_idle (page);

  tc_cvm_get_instance_async (client, REGION, sim_server_find_instance (f->sim, REGION, TC_INSTANCE_STATE_STOPPED),
                             NULL, test_wait_cb, &result_wait);
  result = test_wait_result (&result_wait);
  instance = tc_cvm_get_instance_finish (client, result, &error);
  g_assert_no_error (error);
  imprint_create_page_set_instance (page, instance);
  imprint_create_page_set_image_name (page, "secret-free");
  imprint_create_page_set_description (page, "check then create");
  imprint_create_page_add_tag (page, "owner", "ops");
  test_wait_page_idle (page);

  /* A check, a create, and a refused create (the name is taken now). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "create-page.check", NULL));
  test_wait_page_idle (page);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "create-page.create", NULL));
  test_wait_page_idle (page);
  g_assert_true (wait_finished (f, 1, 20));
  imprint_create_page_set_image_name (page, "secret-free");
  gtk_widget_activate_action (GTK_WIDGET (page), "create-page.create", NULL);
  test_wait_page_idle (page);
  /* The check and the create are one entry, which lists the check. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->history)), >=, 1);
  {
    g_autoptr(TcHistoryEntry) last = g_list_model_get_item (G_LIST_MODEL (f->history),
                                                            g_list_model_get_n_items (G_LIST_MODEL (f->history)) - 1);

    g_assert_nonnull (tc_history_entry_get_record (last)->checks);

    g_assert_cmpuint (tc_history_entry_get_record (last)->checks->len, ==, 1);
    g_assert_cmpint (tc_history_entry_get_record (last)->kind, ==, TC_HISTORY_KIND_CREATE);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  flush (f->history);

  /* The database and its write-ahead log, as bytes. */
  {
    g_autofree char *wal_path = g_strconcat (f->path, "-wal", NULL);
    g_autofree char *db = NULL;
    g_autofree char *wal = NULL;
    gsize db_length = 0, wal_length = 0;

    g_assert_true (g_file_get_contents (f->path, &db, &db_length, &error));
    g_assert_no_error (error);
    g_file_get_contents (wal_path, &wal, &wal_length, NULL);
    length = db_length + wal_length;
    contents = g_malloc (length + 1);
    memcpy (contents, db, db_length);
    if (wal != NULL)
      memcpy (contents + db_length, wal, wal_length);
    contents[length] = '\0';
  }
  g_test_message ("history file: %" G_GSIZE_FORMAT " bytes", length);
  g_assert_true (bytes_contain (contents, length, "secret-free"));
  g_assert_false (bytes_contain (contents, length, SECRET_KEY));
  g_assert_false (bytes_contain (contents, length, TOKEN));
  g_assert_false (bytes_contain (contents, length, SECRET_ID));
  /* Not even a part of one. */
  g_assert_false (bytes_contain (contents, length, "MUSTnotLEAK"));
  g_assert_false (bytes_contain (contents, length, "AKIDtracker"));

  accounts = g_strdup (tc_account_store_get_path (store));
  g_assert_finalize_object (g_steal_pointer (&f->tracker));
  g_clear_object (&client);
  g_clear_object (&store);
  g_remove (accounts);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  test_ui_tolerate_toolkit_warnings ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, setup, func, teardown)
  ADD ("/imprint/tracker/new-destroy", test_new_destroy);
  ADD ("/imprint/tracker/ready", test_ready);
  ADD ("/imprint/tracker/hidden-by-search", test_hidden_by_search);
  ADD ("/imprint/tracker/legacy", test_legacy);
  ADD ("/imprint/tracker/failed", test_failed);
  ADD ("/imprint/tracker/never-appears", test_never_appears);
  ADD ("/imprint/tracker/resume", test_resume);
  g_test_add ("/imprint/tracker/resume-hidden-by-search", Fixture, "hidden", setup, test_resume,
              teardown);
  ADD ("/imprint/tracker/keyring", test_keyring);
  ADD ("/imprint/tracker/new-token", test_new_token);
  ADD ("/imprint/tracker/no-secrets", test_no_secrets);
#undef ADD

  return g_test_run ();
}
