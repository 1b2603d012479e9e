/* test-notifications.c: the desktop is told when an image is ready, has failed, or when a
 * request fails behind the user's back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs inside tests/keyring-session.sh --with-display --no-keyring: a private session bus
 * that activates nothing. The test starts python3-dbusmock's notification daemon on it,
 * registers the application on the bus (GNotification goes over D-Bus only for a
 * registered application; GNOTIFICATION_BACKEND=freedesktop picks
 * org.freedesktop.Notifications rather than the portal), and reads back what the daemon
 * received through dbusmock's org.freedesktop.DBus.Mock.GetCalls.
 */
#include "config.h"

#include <string.h>

#include "imprint-application.h"
#include "imprint-copy-dialog-private.h"
#include "imprint-window.h"
#include "sim-server.h"
#include "tc-copy-job.h"
#include "tc-cvm.h"
#include "tc-error.h"
#include "tc-image-batch.h"
#include "test-ui-util.h"
#include "test-util.h"

#define REGION  "ap-guangzhou"
#define ACCOUNT "sim-account"
#define NOTIFICATIONS "org.freedesktop.Notifications"
#define NOTIFICATIONS_PATH "/org/freedesktop/Notifications"

typedef struct {
  char  *summary;
  char  *body;
  guint  id;
} Received;

static void
received_free (Received *r)
{
  g_free (r->summary);
  g_free (r->body);
  g_free (r);
}

static GDBusConnection *bus;
static GSubprocess *daemon_process;

static gboolean
name_has_owner (const char *name)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

static gboolean
start_daemon (void)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;

  if (daemon_process != NULL)
    return name_has_owner (NOTIFICATIONS);
  if (!g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE))
    return FALSE;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  daemon_process = g_subprocess_launcher_spawn (launcher, &error, "/usr/bin/python3", "-m", "dbusmock",
                                                "--template", "notification_daemon", NULL);
  if (daemon_process == NULL) {
    g_test_message ("cannot start dbusmock: %s", error->message);
    return FALSE;
  }

  for (guint i = 0; i < 200 && !name_has_owner (NOTIFICATIONS); i++)
    test_run_main_loop_for (50);
  return name_has_owner (NOTIFICATIONS);
}

/* Every Notify the daemon has received, in order. */
static GPtrArray *
received (void)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariantIter) calls = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify) received_free);
  const char *method;
  GVariant *args;
  guint64 when;
  guint next_id = 1;

  reply = g_dbus_connection_call_sync (bus, NOTIFICATIONS, NOTIFICATIONS_PATH,
                                       "org.freedesktop.DBus.Mock", "GetCalls", NULL,
                                       G_VARIANT_TYPE ("(a(tsav))"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(a(tsav))", &calls);
  while (g_variant_iter_next (calls, "(t&s@av)", &when, &method, &args)) {
    if (g_str_equal (method, "Notify")) {
      Received *r = g_new0 (Received, 1);
      g_autoptr(GVariant) summary = g_variant_get_child_value (args, 3);
      g_autoptr(GVariant) body = g_variant_get_child_value (args, 4);
      g_autoptr(GVariant) replaces = g_variant_get_child_value (args, 1);
      g_autoptr(GVariant) s = g_variant_get_variant (summary);
      g_autoptr(GVariant) b = g_variant_get_variant (body);
      g_autoptr(GVariant) rep = g_variant_get_variant (replaces);

      r->summary = g_variant_dup_string (s, NULL);
      r->body = g_variant_dup_string (b, NULL);
      r->id = g_variant_get_uint32 (rep) ? g_variant_get_uint32 (rep) : next_id++;
      g_ptr_array_add (all, r);
    }
    g_variant_unref (args);
  }
  return all;
}

static Received *
wait_for_notification (guint n)
{
  static GPtrArray *last;
  gint64 deadline = g_get_monotonic_time () + test_timeout_seconds (30) * (gint64) G_USEC_PER_SEC;

  for (;;) {
    g_clear_pointer (&last, g_ptr_array_unref);
    last = received ();
    if (last->len >= n)
      return g_ptr_array_index (last, n - 1);
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    test_run_main_loop_for (100);
  }
}

/* Whether the notification daemon was asked to close the notification of @id. */
static gboolean
closed (guint id)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariantIter) calls = NULL;
  const char *method;
  GVariant *args;
  guint64 when;
  gboolean found = FALSE;

  reply = g_dbus_connection_call_sync (bus, NOTIFICATIONS, NOTIFICATIONS_PATH,
                                       "org.freedesktop.DBus.Mock", "GetCalls", NULL,
                                       G_VARIANT_TYPE ("(a(tsav))"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, NULL);
  g_assert_nonnull (reply);
  g_variant_get (reply, "(a(tsav))", &calls);
  while (g_variant_iter_next (calls, "(t&s@av)", &when, &method, &args)) {
    if (g_str_equal (method, "CloseNotification")) {
      g_autoptr(GVariant) child = g_variant_get_child_value (args, 0);
      g_autoptr(GVariant) value = g_variant_get_variant (child);

      /* dbusmock declares the ID an int32; GLib sends a uint32. */
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32))
        found = found || g_variant_get_uint32 (value) == id;
      else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT32))
        found = found || (guint) g_variant_get_int32 (value) == id;
    }
    g_variant_unref (args);
  }
  return found;
}

static TcClient *
make_client (SimServer *sim)
{
  g_autoptr(TcCredentials) creds = tc_credentials_new (SIM_DEFAULT_SECRET_ID, SIM_DEFAULT_SECRET_KEY, NULL);
  g_autofree char *url = sim_server_get_url (sim);
  g_autoptr(GError) error = NULL;
  TcClient *client = tc_client_new (NULL, TC_PROTOCOL_API3, creds);

  g_assert_true (tc_client_set_endpoint (client, url, &error));
  tc_client_set_language (client, "en-US");
  return client;
}

/* An image made on the simulator and recorded as the form does. */
static char *
create_and_record (TcHistory  *history,
                   TcClient   *client,
                   SimServer  *sim,
                   const char *name)
{
  const char *instance_id = sim_server_find_instance (sim, REGION, TC_INSTANCE_STATE_STOPPED);
  g_autoptr(TcImageRequest) request = tc_image_request_new (instance_id, name, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  TestWait result_wait = { 0 };
  g_autoptr(TcCreateResult) created = NULL;
  g_autoptr(TcHistoryEntry) entry = NULL;
  g_autoptr(GError) error = NULL;

  tc_cvm_create_image_async (client, REGION, request, FALSE, NULL, test_wait_cb, &result_wait);
  result = test_wait_result (&result_wait);
  created = tc_cvm_create_image_finish (client, result, &error);
  g_assert_no_error (error);

  entry = tc_history_entry_new_for_request (TC_HISTORY_KIND_CREATE, ACCOUNT, ACCOUNT, TC_PROTOCOL_API3,
                                            REGION, "web-server", request);
  tc_history_entry_edit (entry)->outcome = TC_HISTORY_OUTCOME_CREATING;
  tc_history_set_str (&tc_history_entry_edit (entry)->image_id, created->image_id);
  tc_history_set_str (&tc_history_entry_edit (entry)->request_id, created->request_id);
  tc_history_add_async (history, entry, NULL, NULL, NULL);
  return g_strdup (tc_history_entry_get_record (entry)->id);
}

/* A form of @history sends a Create of @name, and goes (its window closed) while it is out. */
static void
send_and_close (TcClient   *client,
                SimServer  *sim,
                TcHistory  *history,
                const char *name)
{
  g_autoptr(ImprintCreatePage) form = g_object_ref_sink (g_object_new (IMPRINT_TYPE_CREATE_PAGE,
                                                                       "client", client,
                                                                       "region", REGION,
                                                                       "history", history,
                                                                       "account-id", ACCOUNT,
                                                                       "account-name", ACCOUNT,
                                                                       NULL));
  g_autoptr(TcInstance) instance = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TestWait result_wait = { 0 };

  tc_cvm_get_instance_async (client, REGION, sim_server_find_instance (sim, REGION, TC_INSTANCE_STATE_STOPPED),
                             NULL, test_wait_cb, &result_wait);
  result = test_wait_result (&result_wait);
  instance = tc_cvm_get_instance_finish (client, result, &error);
  g_assert_no_error (error);
  imprint_create_page_set_instance (form, instance);
  imprint_create_page_set_image_name (form, name);
  test_wait_page_idle (form);
  g_assert_null (imprint_create_page_get_problem (form));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "create-page.create", NULL));
  g_assert_true (imprint_create_page_is_busy (form));
}

typedef struct {
  SimServer *sim;
  guint      n;
} Syncs;

/* The server has received @n SyncImages (a dry run counts). */
static gboolean
syncs_received (gpointer data)
{
  Syncs *syncs = data;

  return sim_server_get_request_count (syncs->sim, "SyncImages") >= syncs->n;
}

static gboolean
window_is (gpointer data)
{
  return IMPRINT_IS_WINDOW (data);
}

static void
test_notifications (void)
{
  g_autoptr(ImprintApplication) app = NULL;
  g_autoptr(SimServer) sim = sim_server_new (9, 20);
  g_autoptr(TcClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ready_id = NULL;
  g_autofree char *failed_id = NULL;
  TcImageTracker *tracker;
  TcHistory *history;
  ImprintWindow *window;
  ImprintHistoryPage *page;
  Received *r;
  guint being_created;

  if (!start_daemon ()) {
    g_test_skip ("python3-dbusmock's notification daemon is not available");
    return;
  }

  sim_server_set_image_delay (sim, 0.5);
  g_assert_true (sim_server_listen (sim, 0, &error));
  client = make_client (sim);

  app = imprint_application_new (APPLICATION_ID);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_application_get_is_remote (G_APPLICATION (app)));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "show-history-entry"));
  history = imprint_application_get_history (app);
  tracker = imprint_application_get_tracker (app);
  tc_image_tracker_set_client_for_account (tracker, ACCOUNT, client);

  /* Ready, with the window closed. */
  ready_id = create_and_record (history, client, sim, "web-ready");
  r = wait_for_notification (1);
  g_assert_cmpstr (r->summary, ==, "Image Ready");
  /* With the ImageId, which is what the user needs next. */
  {
    TcHistoryEntry *entry = tc_history_find_by_id (history, ready_id);
    g_autofree char *body = g_strdup_printf ("“web-ready” (%s) from web-server in South China (Guangzhou)",
                                             tc_history_entry_get_record (entry)->image_id);

    g_assert_nonnull (tc_history_entry_get_record (entry)->image_id);
    g_assert_cmpstr (r->body, ==, body);
  }

  /* Failed. */
  g_assert_true (sim_server_add_fault (sim, "image-fail:action=CreateImage", &error));
  failed_id = create_and_record (history, client, sim, "web-doomed");
  r = wait_for_notification (2);
  g_assert_cmpstr (r->summary, ==, "Image Failed");
  {
    TcHistoryEntry *entry = tc_history_find_by_id (history, failed_id);
    g_autofree char *body = g_strdup_printf ("“web-doomed” (%s) from web-server in South China (Guangzhou)",
                                             tc_history_entry_get_record (entry)->image_id);

    g_assert_cmpstr (r->body, ==, body);
  }
  sim_server_clear_faults (sim);

  /* Clicking it: the daemon says the default action was invoked; the application makes a
   * window (there is none) on the History view, with that entry's details. */
  {
    g_autoptr(GVariant) reply = NULL;

    reply = g_dbus_connection_call_sync (bus, NOTIFICATIONS, NOTIFICATIONS_PATH,
                                         "org.freedesktop.DBus.Mock", "EmitSignal",
                                         g_variant_new_parsed ("('org.freedesktop.Notifications', "
                                                               "'ActionInvoked', 'us', "
                                                               "[<uint32 %u>, <'default'>])", r->id),
                                         NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
    g_assert_no_error (error);
  }
  for (guint i = 0; i < 200 && !window_is (gtk_application_get_active_window (GTK_APPLICATION (app))); i++)
    test_run_main_loop_for (20);
  window = IMPRINT_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  page = imprint_window_get_history_page (window);
  for (guint i = 0; i < 200 && imprint_history_page_get_details (page) == NULL; i++)
    test_run_main_loop_for (20);
  g_assert_nonnull (imprint_history_page_get_details (page));
  g_assert_cmpstr (imprint_window_get_view (window), ==, "history");

  /* A request that fails while the window is in the background. */
  {
    ImprintCreatePage *form;
    g_autoptr(TcInstance) instance = NULL;
    g_autoptr(GAsyncResult) result = NULL;
    TestWait result_wait = { 0 };
    TcClient *demo;

    while (g_strcmp0 (imprint_window_get_page (window), "loading") == 0)
      test_run_main_loop_for (20);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.demo", NULL));
    while (g_strcmp0 (imprint_window_get_page (window), "workspace") != 0)
      test_run_main_loop_for (20);
    form = imprint_window_get_create_page (window);
    demo = imprint_window_get_client (window);
    tc_cvm_get_instance_async (demo, imprint_create_page_get_region (form),
                               sim_server_find_instance (sim, REGION, TC_INSTANCE_STATE_STOPPED),
                               NULL, test_wait_cb, &result_wait);
    result = test_wait_result (&result_wait);
    instance = tc_cvm_get_instance_finish (demo, result, &error);
    if (instance == NULL) {
      /* The demo's fleet differs from this simulator's: take the demo's own. */
      g_autoptr(GAsyncResult) listed = NULL;
      TestWait listed_wait = { 0 };
      g_autoptr(GListModel) instances = NULL;

      g_clear_error (&error);
      tc_cvm_list_instances_async (demo, imprint_create_page_get_region (form), NULL, NULL, NULL,
                                   test_wait_cb, &listed_wait);
      listed = test_wait_result (&listed_wait);
      instances = tc_cvm_list_instances_finish (demo, listed, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < g_list_model_get_n_items (instances) && instance == NULL; i++) {
        g_autoptr(TcInstance) candidate = g_list_model_get_item (instances, i);

        if (tc_instance_get_state (candidate) == TC_INSTANCE_STATE_STOPPED)
          instance = g_steal_pointer (&candidate);
      }
    }
    g_assert_nonnull (instance);

    gtk_window_close (GTK_WINDOW (imprint_history_page_get_details (page)));
    imprint_window_set_view (window, "create");
    imprint_create_page_set_instance (form, instance);
    while (imprint_create_page_get_problem (form) != NULL &&
           g_strcmp0 (imprint_create_page_get_problem (form), "Enter a name for the image.") != 0)
      test_run_main_loop_for (20);
    test_run_main_loop_for (500);

    /* A name the server finds taken, sent before the form has looked it up. */
    {
      g_autoptr(GAsyncResult) images_result = NULL;
      TestWait images_result_wait = { 0 };
      g_autoptr(GListModel) images = NULL;
      g_autoptr(TcImage) taken = NULL;

      tc_cvm_list_custom_images_async (demo, imprint_create_page_get_region (form), NULL, test_wait_cb,
                                       &images_result_wait);
      images_result = test_wait_result (&images_result_wait);
      images = tc_cvm_list_custom_images_finish (demo, images_result, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_list_model_get_n_items (images), >, 0);
      taken = g_list_model_get_item (images, 0);
      imprint_create_page_set_image_name (form, tc_image_get_name (taken));
    }
    g_test_message ("window active: %d", gtk_window_is_active (GTK_WINDOW (window)));
    g_assert_false (gtk_window_is_active (GTK_WINDOW (window)));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "create-page.create", NULL));
    r = wait_for_notification (3);
    g_assert_cmpstr (r->summary, ==, "Request Failed");
    g_assert_cmpstr (r->body, ==, tc_error_describe (TC_ERROR_NAME_TAKEN));

  }
  gtk_window_destroy (GTK_WINDOW (window));

  /* A Create still out when its window closes: no toast will say how it ended, so the
   * desktop does, and then how the image ended. */
  send_and_close (client, sim, history, "sent-then-closed");
  r = wait_for_notification (4);
  g_assert_cmpstr (r->summary, ==, "Image Being Created");
  g_assert_true (g_str_has_prefix (r->body, "Image “sent-then-closed” is being created (img-"));
  being_created = r->id;
  r = wait_for_notification (5);
  g_assert_cmpstr (r->summary, ==, "Image Ready");
  g_assert_true (g_str_has_prefix (r->body, "“sent-then-closed” (img-"));
  /* In its place: "Being Created" does not stay in the list once the image is ready. */
  g_assert_cmpuint (r->id, ==, being_created);

  /* Not for a history that goes with its window (the demo's): nothing is left to open. */
  {
    g_autoptr(TcHistory) temporary = tc_history_new_temporary ();
    g_autoptr(GPtrArray) after = NULL;

    send_and_close (client, sim, temporary, "demo-then-closed");
    while (tc_history_get_n_entries (temporary) == 0)
      test_run_main_loop_for (20);
    test_run_main_loop_for (300);
    after = received ();
    g_assert_cmpuint (after->len, ==, 5);
  }

  /* Its answer lost on the way back, after the image was made: not "Request Failed" with
   * advice to try again, and the image is looked for by its name until it is found. */
  g_assert_true (sim_server_add_fault (sim, "truncated:action=CreateImage,count=1", NULL));
  send_and_close (client, sim, history, "answer-lost");
  r = wait_for_notification (6);
  g_assert_cmpstr (r->summary, ==, "No Answer from Tencent Cloud");
  g_assert_true (g_str_has_prefix (r->body, "No answer came back for image “answer-lost”"));
  being_created = r->id;
  r = wait_for_notification (7);
  g_assert_cmpstr (r->summary, ==, "Image Ready");
  g_assert_true (g_str_has_prefix (r->body, "“answer-lost” (img-"));
  g_assert_cmpuint (r->id, ==, being_created);

  /* A copy names the image it was copied from and that image's region, not the copy's. */
  {
    TcHistoryEntry *source = tc_history_find_by_id (history, ready_id);
    const char *source_image = tc_history_entry_get_record (source)->image_id;
    const char * const destinations[] = { "ap-shanghai", NULL };
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GPtrArray) entries = NULL;
    g_autofree char *body = NULL;
    TestWait copy_wait = { 0 };

    tc_copy_job_run_async (client, history, ACCOUNT, ACCOUNT, REGION, source_image, "web-ready",
                           destinations, NULL, test_wait_cb, &copy_wait);
    result = test_wait_result (&copy_wait);
    entries = tc_copy_job_run_finish (client, result, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (entries->len, ==, 1);
    r = wait_for_notification (8);
    g_assert_cmpstr (r->summary, ==, "Copy Ready");
    body = g_strdup_printf ("“web-ready” (%s), copied from %s in South China (Guangzhou)",
                            tc_history_entry_get_record (entries->pdata[0])->image_id, source_image);
    g_assert_cmpstr (r->body, ==, body);

    /* Refused after the Copy to Regions dialog and its window were closed: no toast can say
     * so, the desktop does. */
    {
      GtkWidget *parent = gtk_window_new ();
      ImprintCopyDialog *dialog = imprint_copy_dialog_new (GTK_WINDOW (parent), client, history,
                                                           ACCOUNT, ACCOUNT, REGION, source_image,
                                                           "web-ready");
      Syncs syncs = { sim, sim_server_get_request_count (sim, "SyncImages") + 1 };

      g_assert_true (sim_server_add_fault (sim, "latency:action=SyncImages,ms=800", &error));
      g_assert_no_error (error);
      gtk_window_present (GTK_WINDOW (parent));
      gtk_window_present (GTK_WINDOW (dialog));
      g_assert_true (imprint_copy_dialog_choose (dialog, "ap-beijing", TRUE));
      g_signal_emit_by_name (test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_BUTTON,
                                               test_button_labelled, "C_opy"), "clicked");
      /* The dry run passes, and its answer is on its way; the copy itself will be refused. */
      test_wait_for (syncs_received, &syncs);
      g_assert_true (sim_server_add_fault (sim, "internal-error:action=SyncImages", &error));
      g_assert_no_error (error);
      gtk_window_destroy (GTK_WINDOW (parent));
      r = wait_for_notification (9);
      g_assert_cmpstr (r->summary, ==, "Copy Failed");
      g_assert_true (g_str_has_prefix (r->body, "“web-ready” was not copied. "));
      sim_server_clear_faults (sim);
    }

    /* Its answer lost: the desktop says the copy may be under way, then how it ended, and
     * the first goes (a copy to several regions gets one notification each). */
    {
      GtkWidget *parent = gtk_window_new ();
      ImprintCopyDialog *dialog = imprint_copy_dialog_new (GTK_WINDOW (parent), client, history,
                                                           ACCOUNT, ACCOUNT, REGION, source_image,
                                                           "web-ready");
      Syncs syncs = { sim, sim_server_get_request_count (sim, "SyncImages") + 1 };
      guint unanswered;

      g_assert_true (sim_server_add_fault (sim, "latency:action=SyncImages,ms=800", &error));
      g_assert_no_error (error);
      gtk_window_present (GTK_WINDOW (parent));
      gtk_window_present (GTK_WINDOW (dialog));
      g_assert_true (imprint_copy_dialog_choose (dialog, "ap-beijing", TRUE));
      g_signal_emit_by_name (test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_BUTTON,
                                               test_button_labelled, "C_opy"), "clicked");
      test_wait_for (syncs_received, &syncs);
      g_assert_true (sim_server_add_fault (sim, "truncated:action=SyncImages,count=1", &error));
      g_assert_no_error (error);
      gtk_window_destroy (GTK_WINDOW (parent));
      r = wait_for_notification (10);
      g_assert_cmpstr (r->summary, ==, "No Answer from Tencent Cloud");
      unanswered = r->id;
      r = wait_for_notification (11);
      g_assert_cmpstr (r->summary, ==, "Copy Ready");
      g_assert_true (closed (unanswered));
      sim_server_clear_faults (sim);
    }
  }
  test_run_main_loop_for (100);
}

static gboolean
label_starts_with (GtkWidget *widget,
                   gpointer   data)
{
  return g_str_has_prefix (gtk_label_get_text (GTK_LABEL (widget)), data);
}

/* Without a window manager, the X server gives the focus to a window that asks for it once
 * it is on screen. */
static void
make_active (GtkWindow *window)
{
  for (guint i = 0; i < 200 && !gtk_window_is_active (window); i++) {
    gtk_window_present (window);
    test_run_main_loop_for (50);
  }
  g_assert_true (gtk_window_is_active (window));
}

static gboolean
entry_ended (gpointer data)
{
  TcHistoryEntry *entry = data;

  return tc_history_entry_get_record (entry)->outcome != TC_HISTORY_OUTCOME_CREATING;
}

/* An image made while the user looks at the window: the window says it in a toast, and the
 * desktop does not say it again; with the window in the background, the desktop does. */
static void
test_window_active (void)
{
  g_autoptr(ImprintApplication) app = NULL;
  g_autoptr(SimServer) sim = sim_server_new (9, 20);
  g_autoptr(TcClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *looked_at = NULL;
  g_autofree char *behind = NULL;
  GtkWidget *other;
  GtkWindow *window;
  TcHistory *history;
  Received *r;

  if (!start_daemon ()) {
    g_test_skip ("python3-dbusmock's notification daemon is not available");
    return;
  }
  sim_server_set_image_delay (sim, 0.5);
  g_assert_true (sim_server_listen (sim, 0, &error));
  client = make_client (sim);

  /* An ID of its own: the application of an earlier test may still be on the bus. */
  app = imprint_application_new (APPLICATION_ID ".Active");
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  history = imprint_application_get_history (app);
  tc_image_tracker_set_client_for_account (imprint_application_get_tracker (app), ACCOUNT, client);
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (IMPRINT_IS_WINDOW (window));
  make_active (window);

  before = received ();
  looked_at = create_and_record (history, client, sim, "looked-at");
  test_wait_for (entry_ended, tc_history_find_by_id (history, looked_at));
  test_run_main_loop_for (500);
  test_wait_for_frames (GTK_WIDGET (window), 3);
  g_assert_true (gtk_window_is_active (window));
  after = received ();
  g_assert_cmpuint (after->len, ==, before->len);
  g_assert_nonnull (test_find_widget (GTK_WIDGET (window), GTK_TYPE_LABEL, label_starts_with,
                                      (gpointer) "Image “looked-at” is ready (img-"));

  /* Another application's window on top. */
  other = gtk_window_new ();
  make_active (GTK_WINDOW (other));
  g_assert_false (gtk_window_is_active (window));
  behind = create_and_record (history, client, sim, "behind");
  r = wait_for_notification (before->len + 1);
  g_assert_cmpstr (r->summary, ==, "Image Ready");
  g_assert_true (g_str_has_prefix (r->body, "“behind” (img-"));

  gtk_window_destroy (GTK_WINDOW (other));
  gtk_window_destroy (window);
  test_run_main_loop_for (100);
}

static gboolean
batch_finished (gpointer data)
{
  return tc_image_batch_is_finished (data);
}

/* A batch one of whose images failed, tried again: the notification that said so gives way
 * to the one that says all are ready. */
static void
test_batch_retried (void)
{
  g_autoptr(ImprintApplication) app = NULL;
  g_autoptr(SimServer) sim = sim_server_new (9, 20);
  g_autoptr(TcClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) instances = NULL;
  g_autoptr(GPtrArray) plan = NULL;
  g_autoptr(TcImageRequest) options = tc_image_request_new (NULL, NULL, NULL);
  g_autoptr(TcImageBatch) batch = NULL;
  Received *r;
  guint failed;

  if (!start_daemon ()) {
    g_test_skip ("python3-dbusmock's notification daemon is not available");
    return;
  }
  sim_server_set_image_delay (sim, 0.5);
  g_assert_true (sim_server_listen (sim, 0, &error));
  client = make_client (sim);

  app = imprint_application_new (APPLICATION_ID ".Batch");
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  tc_image_tracker_set_client_for_account (imprint_application_get_tracker (app), ACCOUNT, client);

  instances = test_stopped_instances (client, REGION, 2);
  plan = tc_batch_plan (TC_PROTOCOL_API3, "{id}-retried", instances, NULL, NULL);
  g_assert_true (sim_server_add_fault (sim, "image-fail:action=CreateImage,count=1", &error));
  g_assert_no_error (error);
  batch = tc_image_batch_new (client, REGION, plan, options);
  tc_image_batch_set_history (batch, imprint_application_get_history (app), ACCOUNT, ACCOUNT);
  before = received ();
  imprint_application_follow_batch (app, batch);
  tc_image_batch_start (batch);
  test_wait_for (batch_finished, batch);
  r = wait_for_notification (before->len + 1);
  g_assert_cmpstr (r->summary, ==, "Some Images Failed");
  failed = r->id;

  tc_image_batch_retry_failed (batch);
  imprint_application_follow_batch (app, batch);
  test_wait_for (batch_finished, batch);
  r = wait_for_notification (before->len + 2);
  g_assert_cmpstr (r->summary, ==, "Images Ready");
  g_assert_cmpuint (r->id, ==, failed);
}

/* The real application's run (g_application_run): a Create is sent, then the window is
 * closed, or the user quits. */
typedef struct {
  const char         *id;
  ImprintApplication *app;
  TcClient           *client;
  SimServer          *sim;
  const char         *name;
  gboolean            quit;
  gboolean            timed_out;
} Run;

static gboolean
run_timeout_cb (gpointer data)
{
  Run *run = data;

  run->timed_out = TRUE;
  g_application_quit (G_APPLICATION (run->app));
  return G_SOURCE_REMOVE;
}

static gboolean
send_then_close_cb (gpointer data)
{
  Run *run = data;
  TcHistory *history = imprint_application_get_history (run->app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (run->app));

  tc_image_tracker_set_client_for_account (imprint_application_get_tracker (run->app), ACCOUNT,
                                           run->client);
  while (!tc_history_is_loaded (history))
    test_run_main_loop_for (20);
  send_and_close (run->client, run->sim, history, run->name);
  if (run->quit)
    g_action_group_activate_action (G_ACTION_GROUP (run->app), "quit", NULL);
  else
    gtk_window_destroy (window);
  return G_SOURCE_REMOVE;
}

static void
run_activate_cb (GApplication *app,
                 Run          *run)
{
  g_idle_add (send_then_close_cb, run);
}

/* Runs the application until it ends by itself; the entry of run->name afterwards. */
static TcHistoryEntry *
run_app (Run *run)
{
  char *argv[] = { (char *) "imprint", NULL };
  TcHistory *history;
  guint timeout_id;

  /* An ID of its own: the application of an earlier test may still be on the bus. */
  run->app = imprint_application_new (run->id);
  /* The one the requests hold (there is one per process but in this test). */
  g_application_set_default (G_APPLICATION (run->app));
  g_signal_connect_after (run->app, "activate", G_CALLBACK (run_activate_cb), run);
  timeout_id = g_timeout_add_seconds (test_timeout_seconds (60), run_timeout_cb, run);
  g_assert_cmpint (g_application_run (G_APPLICATION (run->app), 1, argv), ==, 0);
  g_source_remove (timeout_id);
  g_application_set_default (NULL);
  g_assert_false (run->timed_out);

  history = imprint_application_get_history (run->app);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (history)); i++) {
    g_autoptr(TcHistoryEntry) entry = g_list_model_get_item (G_LIST_MODEL (history), i);

    if (g_strcmp0 (tc_history_entry_get_record (entry)->image_name, run->name) == 0)
      return g_steal_pointer (&entry);
  }
  g_assert_not_reached ();
}

/* Closing the window right after Create: the application runs on, windowless, until the
 * image is made, says so, and ends. Quitting instead ends it once the answer is recorded:
 * the next start follows the image. */
static void
test_window_closed (void)
{
  g_autoptr(SimServer) sim = sim_server_new (9, 20);
  g_autoptr(TcClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcHistoryEntry) made = NULL;
  g_autoptr(TcHistoryEntry) left = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *ready_body = NULL;
  Run closed = { 0 }, quit = { 0 };
  gboolean told = FALSE;

  if (!start_daemon ()) {
    g_test_skip ("python3-dbusmock's notification daemon is not available");
    return;
  }
  sim_server_set_image_delay (sim, 2.0);
  g_assert_true (sim_server_listen (sim, 0, &error));
  client = make_client (sim);
  before = received ();

  closed = (Run) { APPLICATION_ID ".Closed", NULL, client, sim, "closed-then-made", FALSE, FALSE };
  made = run_app (&closed);
  g_assert_cmpint (tc_history_entry_get_record (made)->outcome, ==, TC_HISTORY_OUTCOME_READY);
  ready_body = g_strdup_printf ("“closed-then-made” (%s) from %s in South China (Guangzhou)",
                                tc_history_entry_get_record (made)->image_id,
                                tc_history_entry_get_record (made)->instance_name);
  test_run_main_loop_for (300);
  after = received ();
  for (guint i = before->len; i < after->len; i++) {
    Received *r = after->pdata[i];

    told = told || (g_str_equal (r->summary, "Image Ready") && g_str_equal (r->body, ready_body));
  }
  g_assert_true (told);
  g_clear_object (&closed.app);

  quit = (Run) { APPLICATION_ID ".Quit", NULL, client, sim, "quit-then-made", TRUE, FALSE };
  left = run_app (&quit);
  g_assert_cmpint (tc_history_entry_get_record (left)->outcome, ==, TC_HISTORY_OUTCOME_CREATING);
  g_assert_nonnull (tc_history_entry_get_record (left)->image_id);
  g_clear_object (&quit.app);
}

/* A batch of the demo still being sent when the demo is left: it goes with the demo,
 * quietly. Nothing it made was real, so no notification sums it up afterwards. */
static void
test_demo_batch_left (void)
{
  g_autoptr(ImprintApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GPtrArray) instances = NULL;
  g_autoptr(GPtrArray) plan = NULL;
  g_autoptr(TcImageRequest) options = tc_image_request_new (NULL, NULL, NULL);
  g_autoptr(TcImageBatch) batch = NULL;
  ImprintCreatePage *form;
  ImprintWindow *window;
  TcClient *demo;
  const char *region;

  if (!start_daemon ()) {
    g_test_skip ("python3-dbusmock's notification daemon is not available");
    return;
  }

  app = imprint_application_new (APPLICATION_ID ".DemoBatch");
  g_application_set_default (G_APPLICATION (app));
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  window = IMPRINT_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  while (g_strcmp0 (imprint_window_get_page (window), "loading") == 0)
    test_run_main_loop_for (20);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.demo", NULL));
  while (g_strcmp0 (imprint_window_get_page (window), "workspace") != 0)
    test_run_main_loop_for (20);

  form = imprint_window_get_create_page (window);
  demo = imprint_window_get_client (window);
  region = imprint_create_page_get_region (form);
  instances = test_stopped_instances (demo, region, 2);
  plan = tc_batch_plan (TC_PROTOCOL_API3, "{id}-left", instances, NULL, NULL);
  batch = tc_image_batch_new (demo, region, plan, options);
  tc_image_batch_set_history (batch, imprint_create_page_get_history (form), "demo", "Demo");
  imprint_application_follow_batch (app, batch);
  tc_image_batch_start (batch);
  before = received ();

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.leave-demo", NULL));
  test_run_main_loop_for (3000);
  after = received ();
  for (guint i = before->len; i < after->len; i++)
    g_test_message ("after leaving: %s", ((Received *) after->pdata[i])->summary);
  g_assert_cmpuint (after->len, ==, before->len);
  g_assert_false (tc_image_batch_is_finished (batch));
  g_assert_true (tc_image_batch_is_cancelled (batch));

  gtk_window_destroy (GTK_WINDOW (window));
  test_run_main_loop_for (100);
  g_application_set_default (NULL);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_setenv ("GNOTIFICATION_BACKEND", "freedesktop", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  test_ui_tolerate_toolkit_warnings ();
  adw_init ();

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (bus == NULL || g_getenv ("IMPRINT_TEST_ROOT") == NULL) {
    /* Never on the user's own session bus. */
    g_print ("1..0 # SKIP needs the private bus of keyring-session.sh\n");
    return 0;
  }

  g_test_add_func ("/imprint/notifications/ready-failed-background", test_notifications);
  g_test_add_func ("/imprint/notifications/window-closed", test_window_closed);
  g_test_add_func ("/imprint/notifications/window-active", test_window_active);
  g_test_add_func ("/imprint/notifications/batch-retried", test_batch_retried);
  g_test_add_func ("/imprint/notifications/demo-batch-left", test_demo_batch_left);
  status = g_test_run ();

  if (daemon_process != NULL) {
    g_subprocess_force_exit (daemon_process);
    g_subprocess_wait (daemon_process, NULL, NULL);
    g_clear_object (&daemon_process);
  }
  g_clear_object (&bus);
  return status;
}
