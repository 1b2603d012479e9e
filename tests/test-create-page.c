/* test-create-page.c: the image form against the simulator, in real windows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The simulator listens on a loopback port in this process's main context. Each test puts
 * a form in a window, chooses an instance the way the picker would, types, and asserts on
 * what the user would see: the message under each field, why Create is insensitive, the
 * pre-flight facts, the toasts, and the images it created. Following them is the tracker's
 * job (the page records each request in a history, the tracker updates the entry, and the
 * page shows and reports what the entry says), so the fixture runs both, as the
 * application does. Screenshots land in the build directory.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "imprint-create-page.h"
#include "imprint-region-row.h"
#include "tc-client-private.h"
#include "tc-image-tracker.h"
#include "imprint-batch-dialog-private.h"
#include "imprint-instance-picker-private.h"
#include "imprint-state-badge.h"
#include "sim-server.h"
#include "tc-cvm.h"
#include "tc-error.h"
#include "tc-image-job.h"
#include "tc-places.h"
#include "tc-rules.h"
#include "test-ui-util.h"
#include "test-util.h"

#define REGION "ap-guangzhou"
#define CHECKING "Checking…"
#define ACCOUNT  "test-account"

typedef struct {
  SimServer         *sim;
  char              *url;
  TcClient          *client;
  TcProtocol         protocol;
  GtkWidget         *window;
  ImprintCreatePage *page;
  GPtrArray         *toasts;
  guint              n_finished;
  gboolean           finished_ok;
  char              *finished_name;
  char              *finished_id;
  char              *dir;
  TcHistory         *history;
  TcImageTracker    *tracker;
  GPtrArray         *recorded;
  guint              recorded_toast;  /* how many toasts there were once the last was recorded */
} Fixture;

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  g_autoptr(TcCredentials) creds = tc_credentials_new (SIM_DEFAULT_SECRET_ID, SIM_DEFAULT_SECRET_KEY, NULL);
  g_autofree char *legacy = NULL;
  g_autoptr(GError) error = NULL;

  fixture->protocol = GPOINTER_TO_INT (data);
  fixture->sim = sim_server_new (7, 30);
  sim_server_set_image_delay (fixture->sim, 0.5);
  g_assert_true (sim_server_listen (fixture->sim, 0, &error));
  g_assert_no_error (error);
  fixture->url = sim_server_get_url (fixture->sim);

  fixture->client = tc_client_new (NULL, fixture->protocol, creds);
  legacy = g_strdup_printf ("%s/v2/index.php", fixture->url);
  if (fixture->protocol == TC_PROTOCOL_API3)
    g_assert_true (tc_client_set_endpoint (fixture->client, fixture->url, &error));
  else
    g_assert_true (tc_client_set_legacy_endpoints (fixture->client, legacy, legacy, &error));
  g_assert_no_error (error);

  /* Quick back-off keeps the error tests short; the policy is the same. */
  tc_client_set_retry (fixture->client, 2, 5);
  tc_client_set_deadline (fixture->client, 20);
  tc_client_set_language (fixture->client, "en-US");

  fixture->toasts = g_ptr_array_new_with_free_func (g_free);
  fixture->recorded = g_ptr_array_new_with_free_func (g_object_unref);

  /* The history in a file of its own; the tracker follows with the test's client. */
  fixture->dir = g_dir_make_tmp ("imprint-create-XXXXXX", &error);
  g_assert_no_error (error);
  {
    g_autofree char *path = g_build_filename (fixture->dir, "history.db", NULL);

    fixture->history = tc_history_new (path);
  }
  fixture->tracker = g_object_new (TC_TYPE_IMAGE_TRACKER,
                                   "history", fixture->history,
                                   "follow-interval", 0.2,
                                   NULL);
  tc_image_tracker_set_client_for_account (fixture->tracker, ACCOUNT, fixture->client);
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
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  if (fixture->window != NULL) {
    gtk_window_destroy (GTK_WINDOW (fixture->window));
    g_assert_finalize_object (fixture->page);
  }
  g_assert_finalize_object (fixture->tracker);
  {
    gboolean done = FALSE;
    g_autofree char *path = g_strdup (tc_history_get_path (fixture->history));

    tc_history_flush_async (fixture->history, NULL, flushed_cb, &done);
    while (!done)
      g_main_context_iteration (NULL, TRUE);
    g_clear_pointer (&fixture->recorded, g_ptr_array_unref);
    g_assert_finalize_object (fixture->history);
    g_remove (path);
    g_rmdir (fixture->dir);
    g_free (fixture->dir);
  }
  g_clear_object (&fixture->client);
  sim_server_disconnect (fixture->sim);
  g_clear_object (&fixture->sim);
  g_clear_pointer (&fixture->url, g_free);
  g_clear_pointer (&fixture->toasts, g_ptr_array_unref);
  g_clear_pointer (&fixture->finished_name, g_free);
  g_clear_pointer (&fixture->finished_id, g_free);
}

/* Waiting */

static gboolean
is_checking (ImprintCreatePage *page,
             const char        *fact)
{
  return g_strcmp0 (imprint_create_page_get_fact_text (page, fact), CHECKING) == 0;
}

/* Nothing in flight: every fact has arrived (or failed) and no request is being sent. */
static gboolean
settled (gpointer data)
{
  Fixture *fixture = data;
  ImprintCreatePage *page = fixture->page;

  return !imprint_create_page_is_busy (page) &&
         !is_checking (page, "quota") &&
         !is_checking (page, "name") &&
         !is_checking (page, "instance");
}

static void
settle (Fixture *fixture)
{
  test_wait_for (settled, fixture);
  test_wait_for_frames (fixture->window, 2);
}

static gboolean
not_busy (gpointer data)
{
  Fixture *fixture = data;

  return !imprint_create_page_is_busy (fixture->page);
}

static gboolean
has_finished (gpointer data)
{
  Fixture *fixture = data;

  return fixture->n_finished > 0;
}

static const char *
last_toast (Fixture *fixture)
{
  g_assert_cmpuint (fixture->toasts->len, >, 0);
  return g_ptr_array_index (fixture->toasts, fixture->toasts->len - 1);
}

/* The last request the page recorded, and that the last toast is the one of its job. */
static TcHistoryEntry *
last_recorded (Fixture *fixture)
{
  TcHistoryEntry *entry;

  g_assert_cmpuint (fixture->recorded->len, >, 0);
  entry = g_ptr_array_index (fixture->recorded, fixture->recorded->len - 1);
  g_assert_true (tc_history_find_by_id (fixture->history, tc_history_entry_get_record (entry)->id) == entry);
  g_assert_cmpuint (fixture->recorded_toast, ==, fixture->toasts->len);
  g_assert_cmpstr (tc_history_entry_get_record (entry)->account_name, ==, ACCOUNT);
  g_assert_cmpstr (tc_history_entry_get_record (entry)->region, ==, REGION);
  return entry;
}

/* The page */

static void
toast_cb (ImprintCreatePage *page,
          const char        *text,
          Fixture           *fixture)
{
  g_test_message ("toast: %s", text);
  g_ptr_array_add (fixture->toasts, g_strdup (text));
}

static void
image_finished_cb (ImprintCreatePage *page,
                   const char        *name,
                   const char        *image_id,
                   gboolean           ok,
                   const char        *entry_id,
                   Fixture           *fixture)
{
  g_assert_nonnull (entry_id);
  fixture->n_finished++;
  fixture->finished_ok = ok;
  g_free (fixture->finished_name);
  fixture->finished_name = g_strdup (name);
  g_free (fixture->finished_id);
  fixture->finished_id = g_strdup (image_id);
}

/* A Check or Create ended: the window toasts its summary, with its entry's details. */
static void
job_finished_cb (ImprintCreatePage *page,
                 TcImageJob        *job,
                 Fixture           *fixture)
{
  g_assert_cmpint (tc_image_job_get_state (job), !=, TC_IMAGE_JOB_CANCELLED);
  toast_cb (page, tc_image_job_get_summary (job), fixture);
  if (tc_image_job_get_entry (job) != NULL) {
    g_ptr_array_add (fixture->recorded, g_object_ref (tc_image_job_get_entry (job)));
    fixture->recorded_toast = fixture->toasts->len;
  }
}

static void
open_page (Fixture *fixture,
           int      width,
           int      height)
{
  fixture->page = g_object_new (IMPRINT_TYPE_CREATE_PAGE,
                                "client", fixture->client,
                                "region", REGION,
                                "history", fixture->history,
                                "account-name", ACCOUNT,
                                NULL);
  /* The test owns a reference, so teardown can check that the page is finalized. */
  g_object_ref_sink (fixture->page);
  g_signal_connect (fixture->page, "toast", G_CALLBACK (toast_cb), fixture);
  g_signal_connect (fixture->page, "image-finished", G_CALLBACK (image_finished_cb), fixture);
  g_signal_connect (fixture->page, "job-finished", G_CALLBACK (job_finished_cb), fixture);

  fixture->window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (fixture->window), "Imprint");
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), width, height);
  gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (fixture->page));
  gtk_window_present (GTK_WINDOW (fixture->window));
  settle (fixture);
}

static gboolean
has_id (GtkWidget *widget,
        gpointer   data)
{
  return g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)), data) == 0;
}

/* A widget of the page's template, by its ID in the .ui file. */
static GtkWidget *
find (Fixture    *fixture,
      const char *id)
{
  GtkWidget *widget = test_find_widget (GTK_WIDGET (fixture->page), GTK_TYPE_WIDGET, has_id,
                                        (gpointer) id);

  g_assert_nonnull (widget);
  return widget;
}

/* What a person sees: visible, and inside every ancestor that is visible too. */
static gboolean
shown (GtkWidget *widget)
{
  return gtk_widget_is_visible (widget);
}

/* A click: what a pointer press and release on the button does. */
static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

/* Renders the whole form, scrolled part included, on the window's background: a picture
 * of everything a person would scroll through. */
static void
save_form (Fixture    *fixture,
           const char *name)
{
  GtkWidget *form = test_find_widget (GTK_WIDGET (fixture->page), ADW_TYPE_CLAMP, NULL, NULL);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (form);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, file, NULL);
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (form));
  int width = gtk_widget_get_width (form);
  int height = gtk_widget_get_height (form);
  GdkRGBA background;

  test_wait_for_frames (fixture->window, 2);
  g_assert_true (gtk_style_context_lookup_color (gtk_widget_get_style_context (fixture->window),
                                                 "window_bg_color", &background));
  gtk_snapshot_append_color (snapshot, &background, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static gboolean
toasted_and_idle (gpointer data)
{
  Fixture *fixture = data;

  return fixture->toasts->len > GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (fixture->page),
                                                                      "toasts-before")) &&
         !imprint_create_page_is_busy (fixture->page);
}

/* Clicks @button and waits for the answer: one toast, and nothing in flight. */
static void
click_and_wait (Fixture   *fixture,
                GtkWidget *button)
{
  guint before = fixture->toasts->len;

  g_object_set_data (G_OBJECT (fixture->page), "toasts-before", GUINT_TO_POINTER (before));
  click (button);
  g_assert_true (imprint_create_page_is_busy (fixture->page));
  test_wait_for (toasted_and_idle, fixture);
  g_assert_cmpuint (fixture->toasts->len, ==, before + 1);
}

static void
assert_create_blocked (Fixture    *fixture,
                       const char *why)
{
  GtkWidget *button = find (fixture, "create_button");

  g_assert_cmpstr (imprint_create_page_get_problem (fixture->page), ==, why);
  g_assert_false (gtk_widget_is_sensitive (button));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, why);
}

static void
assert_create_allowed (Fixture *fixture)
{
  GtkWidget *button = find (fixture, "create_button");

  g_assert_null (imprint_create_page_get_problem (fixture->page));
  g_assert_true (gtk_widget_is_sensitive (button));
}

static void
got_cb (GObject      *object,
        GAsyncResult *res,
        gpointer      user_data)
{
  GAsyncResult **result = user_data;

  *result = g_object_ref (res);
}

/* Fetches the instance the way the picker does, to hand it to the page. */
static TcInstance *
fetch_instance (Fixture    *fixture,
                const char *id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TcInstance *instance;

  tc_cvm_get_instance_async (fixture->client, REGION, id, NULL, got_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  instance = tc_cvm_get_instance_finish (fixture->client, result, &error);
  g_assert_no_error (error);
  return instance;
}

static const char *
choose_instance (Fixture         *fixture,
                 TcInstanceState  state)
{
  const char *id = sim_server_find_instance (fixture->sim, REGION, state);
  g_autoptr(TcInstance) instance = NULL;

  g_assert_nonnull (id);
  instance = fetch_instance (fixture, id);
  imprint_create_page_set_instance (fixture->page, instance);
  settle (fixture);
  g_assert_cmpstr (tc_instance_get_id (imprint_create_page_get_instance (fixture->page)), ==, id);
  return id;
}

static void
type_name (Fixture    *fixture,
           const char *name)
{
  imprint_create_page_set_image_name (fixture->page, name);
  settle (fixture);
}

static void
create (Fixture *fixture)
{
  click_and_wait (fixture, find (fixture, "create_button"));
  settle (fixture);
}

/* Tests */

static void
test_new_destroy (Fixture       *fixture,
                  gconstpointer  data)
{
  ImprintCreatePage *page = imprint_create_page_new (fixture->client, REGION);

  g_object_ref_sink (page);
  g_assert_true (imprint_create_page_get_client (page) == fixture->client);
  g_assert_cmpstr (imprint_create_page_get_region (page), ==, REGION);
  g_assert_null (imprint_create_page_get_history (page));
  g_assert_null (imprint_create_page_get_account_name (page));
  g_assert_false (imprint_create_page_is_busy (page));
  g_assert_null (imprint_create_page_get_instance (page));
  g_assert_cmpstr (imprint_create_page_get_problem (page), ==, "Choose an instance to image.");

  /* Requests still in flight when it goes are cancelled, and never touch it again. */
  g_assert_finalize_object (page);
  test_run_main_loop_for (200);
}

static gboolean
has_instance (gpointer data)
{
  return imprint_create_page_get_instance (((Fixture *) data)->page) != NULL;
}

/* The window shows the form before the keyring has answered: without a client it takes
 * a name and a template, cannot open the picker, and asks for the template's instance
 * once the client comes. */
static void
test_client_later (Fixture       *fixture,
                   gconstpointer  data)
{
  TcClient *client = g_steal_pointer (&fixture->client);
  const char *id = sim_server_find_instance (fixture->sim, REGION, TC_INSTANCE_STATE_STOPPED);
  g_autoptr(TcImageRequest) request = tc_image_request_new (id, "from-a-template", NULL);

  open_page (fixture, 800, 900);
  fixture->client = client;
  g_free (test_save_screenshot (fixture->window, "create-page-no-client"));
  test_assert_mnemonics_unique (fixture->window);
  g_assert_null (imprint_create_page_get_client (fixture->page));
  g_assert_false (gtk_widget_is_sensitive (find (fixture, "choose_button")));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (find (fixture, "instance_row"))), ==,
                   "Waiting for the keyring…");

  imprint_create_page_use_template (fixture->page, request, REGION);
  settle (fixture);
  g_assert_cmpstr (imprint_create_page_get_image_name (fixture->page), ==, "from-a-template");
  g_assert_null (imprint_create_page_get_instance (fixture->page));

  imprint_create_page_set_client (fixture->page, client);
  test_wait_for (has_instance, fixture);
  settle (fixture);
  g_assert_cmpstr (tc_instance_get_id (imprint_create_page_get_instance (fixture->page)), ==, id);
  g_assert_cmpstr (imprint_create_page_get_image_name (fixture->page), ==, "from-a-template");
  g_assert_true (gtk_widget_is_sensitive (find (fixture, "choose_button")));

  /* Without the template's instance, the row says none is chosen. */
  imprint_create_page_set_instance (fixture->page, NULL);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (find (fixture, "instance_row"))), ==,
                   "No instance chosen");
}

static gboolean
says_gone (GtkWidget *widget,
           gpointer   data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         strstr (gtk_label_get_text (GTK_LABEL (widget)), "no longer exists") != NULL;
}

/* “Use as Template”, then another region or account before the template's instance has
 * come: that instance is of the old region or account, and never lands in the form, where
 * the pre-flight would look for it in vain and call it deleted. */
static void
test_template_then_region_change (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(TcCredentials) creds = tc_credentials_new (SIM_DEFAULT_SECRET_ID, SIM_DEFAULT_SECRET_KEY, NULL);
  const char *id = sim_server_find_instance (fixture->sim, REGION, TC_INSTANCE_STATE_STOPPED);
  g_autoptr(TcImageRequest) request = tc_image_request_new (id, "from-a-template", NULL);
  g_autoptr(TcClient) other = tc_client_new (NULL, fixture->protocol, creds);
  g_autoptr(TcInstance) later = NULL;
  g_autoptr(GError) error = NULL;
  guint toasts;

  open_page (fixture, 800, 900);
  toasts = fixture->toasts->len;
  sim_server_set_latency (fixture->sim, 300);
  imprint_create_page_use_template (fixture->page, request, REGION);
  imprint_create_page_set_region (fixture->page, "ap-beijing");
  /* Asked for after the template's instance, so answered after it. */
  later = fetch_instance (fixture, id);
  settle (fixture);
  g_assert_cmpstr (imprint_create_page_get_region (fixture->page), ==, "ap-beijing");
  g_assert_null (imprint_create_page_get_instance (fixture->page));
  g_assert_null (test_find_widget (GTK_WIDGET (fixture->page), GTK_TYPE_LABEL, says_gone, NULL));
  g_assert_cmpuint (fixture->toasts->len, ==, toasts);
  g_clear_object (&later);

  /* The same with another account. */
  g_assert_true (tc_client_set_endpoint (other, fixture->url, &error));
  g_assert_no_error (error);
  tc_client_set_language (other, "en-US");
  imprint_create_page_use_template (fixture->page, request, REGION);
  imprint_create_page_set_client (fixture->page, other);
  later = fetch_instance (fixture, id);
  settle (fixture);
  g_assert_null (imprint_create_page_get_instance (fixture->page));
  g_assert_cmpuint (fixture->toasts->len, ==, toasts);

  /* Left alone, the template's instance comes. */
  imprint_create_page_use_template (fixture->page, request, REGION);
  test_wait_for (has_instance, fixture);
  g_assert_cmpstr (tc_instance_get_id (imprint_create_page_get_instance (fixture->page)), ==, id);
  sim_server_set_latency (fixture->sim, 0);
  settle (fixture);
}

static const char *
region_shown (Fixture *fixture)
{
  return imprint_region_row_get_region (IMPRINT_REGION_ROW (find (fixture, "region_row")));
}

/* A region set before the client comes (the one remembered for the account) is the one
 * the row shows, then and once the client's regions are in; the account's protocol
 * decides the fields until then. */
static void
test_region_before_client (Fixture       *fixture,
                           gconstpointer  data)
{
  TcClient *client = g_steal_pointer (&fixture->client);

  open_page (fixture, 800, 900);
  fixture->client = client;
  imprint_create_page_set_region (fixture->page, "ap-shanghai");
  g_assert_cmpstr (region_shown (fixture), ==, "ap-shanghai");
  /* The account's protocol shows its fields: a legacy account has no Check. */
  imprint_create_page_set_protocol (fixture->page, TC_PROTOCOL_LEGACY);
  g_assert_false (gtk_widget_get_visible (find (fixture, "check_button")));

  /* The client's protocol counts once it comes (here API 3.0). */
  imprint_create_page_set_client (fixture->page, client);
  settle (fixture);
  g_assert_cmpstr (imprint_create_page_get_region (fixture->page), ==, "ap-shanghai");
  g_assert_cmpstr (region_shown (fixture), ==, "ap-shanghai");
  g_assert_true (gtk_widget_get_visible (find (fixture, "check_button")));
}

static void
test_rules (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *too_long = g_strnfill (61, 'a');
  g_autofree char *long_description = g_strnfill (257, 'd');
  const char *bad_names[] = { too_long, "web\t01", "web\n01", "web-01\t", " web-01" };

  open_page (fixture, 720, 1500);

  /* The first thing missing is the instance. */
  assert_create_blocked (fixture, "Choose an instance to image.");
  g_assert_cmpstr (imprint_create_page_get_fact_text (fixture->page, "instance"), ==,
                   "No instance chosen");
  g_assert_cmpstr (imprint_create_page_get_quota_text (fixture->page), ==, "3 of 10 used");

  choose_instance (fixture, TC_INSTANCE_STATE_STOPPED);
  g_assert_null (imprint_create_page_get_field_message (fixture->page, "instance"));
  /* The instance row's state in the shared badge, in the picker's word and tone. */
  g_assert_cmpstr (imprint_state_badge_get_label (IMPRINT_STATE_BADGE (find (fixture, "instance_badge"))),
                   ==, "Stopped");
  g_assert_true (gtk_widget_has_css_class (find (fixture, "instance_badge"), "neutral"));
  g_assert_true (shown (find (fixture, "instance_badge")));
  g_assert_true (g_str_has_prefix (imprint_create_page_get_fact_text (fixture->page, "instance"),
                                   "Stopped"));

  /* A fresh form calls nothing out, but says why Create waits. */
  g_assert_null (imprint_create_page_get_field_message (fixture->page, "name"));
  assert_create_blocked (fixture, "Enter a name for the image.");

  for (guint i = 0; i < G_N_ELEMENTS (bad_names); i++) {
    g_auto(TcVerdict) verdict = { 0 };

    g_assert_false (tc_rules_check_image_name (TC_PROTOCOL_API3, bad_names[i], &verdict));
    type_name (fixture, bad_names[i]);
    g_assert_cmpstr (imprint_create_page_get_field_message (fixture->page, "name"), ==,
                     verdict.message);
    g_assert_true (shown (find (fixture, "name_message")));
    assert_create_blocked (fixture, verdict.message);
  }
  g_assert_cmpstr (imprint_create_page_get_field_message (fixture->page, "name"), ==,
                   "The name starts with a space. Remove it.");

  /* A space at the end is a word in progress while the user types (“web ” on the way to
   * “web server”): nothing flashes under the field. Leaving the field says it. */
  gtk_widget_grab_focus (find (fixture, "name_row"));
  type_name (fixture, "web ");
  g_assert_null (imprint_create_page_get_field_message (fixture->page, "name"));
  g_assert_false (shown (find (fixture, "name_message")));
  type_name (fixture, "web server");
  g_assert_null (imprint_create_page_get_field_message (fixture->page, "name"));
  type_name (fixture, "web server ");
  g_assert_null (imprint_create_page_get_field_message (fixture->page, "name"));
  gtk_widget_grab_focus (find (fixture, "description_row"));
  settle (fixture);
  g_assert_cmpstr (imprint_create_page_get_field_message (fixture->page, "name"), ==,
                   "The name ends with a space. Remove it.");
  g_assert_true (shown (find (fixture, "name_message")));
  assert_create_blocked (fixture, "The name ends with a space. Remove it.");

  /* Typing again makes it a word in progress again; submitting settles it: nothing is
   * sent, the message shows and the keyboard goes back to the name. */
  gtk_widget_grab_focus (find (fixture, "name_row"));
  type_name (fixture, "web server 2 ");
  g_assert_null (imprint_create_page_get_field_message (fixture->page, "name"));
  gtk_widget_grab_focus (find (fixture, "description_row"));
  type_name (fixture, "web server 3 ");
  g_assert_null (imprint_create_page_get_field_message (fixture->page, "name"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "create-page.create", NULL));
  settle (fixture);
  g_assert_false (imprint_create_page_is_busy (fixture->page));
  g_assert_cmpuint (sim_server_get_request_count (fixture->sim, "CreateImage"), ==, 0);
  g_assert_cmpstr (imprint_create_page_get_field_message (fixture->page, "name"), ==,
                   "The name ends with a space. Remove it.");
  g_assert_true (gtk_widget_is_focus (find (fixture, "name_row")) ||
                 gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (fixture->window)),
                                         find (fixture, "name_row")));

  /* Real mistakes show while typing: a name too long, a character never allowed. */
  {
    g_autofree char *long_with_space = g_strconcat (too_long, " ", NULL);

    type_name (fixture, long_with_space);
    g_assert_cmpstr (imprint_create_page_get_field_message (fixture->page, "name"), ==,
                     "The name is too long. Use at most 60 characters (now 61).");
  }

  /* Once typed and erased, the empty name is called out too. */
  type_name (fixture, "");
  g_assert_cmpstr (imprint_create_page_get_field_message (fixture->page, "name"), ==,
                   "Enter a name for the image.");

  /* Sixty characters, counted as characters: Chinese names are not three times shorter. */
  {
    g_autoptr(GString) sixty = g_string_new (NULL);

    for (guint i = 0; i < 60; i++)
      g_string_append (sixty, "镜");
    type_name (fixture, sixty->str);
    g_assert_null (imprint_create_page_get_field_message (fixture->page, "name"));
  }

  type_name (fixture, "web-01");
  g_assert_null (imprint_create_page_get_field_message (fixture->page, "name"));
  g_assert_cmpstr (imprint_create_page_get_fact_text (fixture->page, "name"), ==,
                   "“web-01” is available");
  assert_create_allowed (fixture);

  /* The description, with its counter. */
  imprint_create_page_set_description (fixture->page, long_description);
  g_assert_cmpstr (imprint_create_page_get_field_message (fixture->page, "description"), ==,
                   "The description is too long. Use at most 256 characters (now 257).");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find (fixture, "description_counter"))), ==,
                   "257 / 256");
  assert_create_blocked (fixture,
                         "The description is too long. Use at most 256 characters (now 257).");
  imprint_create_page_set_description (fixture->page, "nginx\r\n");
  g_assert_cmpstr (imprint_create_page_get_field_message (fixture->page, "description"), ==,
                   "The description contains a line break. Put the description on one line.");
  imprint_create_page_set_description (fixture->page, "Web tier, nginx 1.24");
  g_assert_null (imprint_create_page_get_field_message (fixture->page, "description"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find (fixture, "description_counter"))), ==,
                   "20 / 256");

  /* Tags: a value needs a key, and a key is used once. */
  imprint_create_page_add_tag (fixture->page, "env", "prod");
  imprint_create_page_add_tag (fixture->page, "", "blue");
  g_assert_cmpstr (imprint_create_page_get_field_message (fixture->page, "tags"), ==,
                   "Tag 2 has a value but no key. Enter a key or remove the tag.");
  assert_create_blocked (fixture, "Tag 2 has a value but no key. Enter a key or remove the tag.");

  /* What an invalid form looks like. */
  type_name (fixture, " web-01");
  test_wait_for_frames (fixture->window, 2);
  save_form (fixture, "create-page-invalid");

  type_name (fixture, "web-01");
  imprint_create_page_add_tag (fixture->page, "env", "staging");
  g_assert_cmpuint (imprint_create_page_get_n_tags (fixture->page), ==, 3);
  g_assert_cmpstr (imprint_create_page_get_field_message (fixture->page, "tags"), ==,
                   "Tag 2 has a value but no key. Enter a key or remove the tag.");
}

static void
test_screenshot_valid (Fixture       *fixture,
                       gconstpointer  data)
{

  open_page (fixture, 720, 1300);
  choose_instance (fixture, TC_INSTANCE_STATE_STOPPED);
  type_name (fixture, "web-golden-2024");
  imprint_create_page_set_description (fixture->page, "nginx 1.26 on Ubuntu 22.04");
  imprint_create_page_add_tag (fixture->page, "team", "web");
  settle (fixture);
  assert_create_allowed (fixture);

  save_form (fixture, "create-page-valid");

  /* Named colours only: the dark style follows by itself. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  save_form (fixture, "create-page-valid-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

static void
test_create_and_follow (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *expected = NULL;
  const char *toast;

  open_page (fixture, 720, 900);
  choose_instance (fixture, TC_INSTANCE_STATE_STOPPED);
  type_name (fixture, "web-01");
  imprint_create_page_set_description (fixture->page, "first image");
  imprint_create_page_add_tag (fixture->page, "env", "prod");
  assert_create_allowed (fixture);

  create (fixture);
  toast = last_toast (fixture);
  g_assert_true (g_str_has_prefix (toast, "Image “web-01” is being created (img-"));

  /* Recorded, with what was asked and what the server answered. */
  {
    TcHistoryEntry *entry = last_recorded (fixture);
    TcHistoryOutcome outcome = tc_history_entry_get_record (entry)->outcome;

    g_assert_cmpuint (fixture->recorded->len, ==, 1);
    g_assert_cmpint (tc_history_entry_get_record (entry)->kind, ==, TC_HISTORY_KIND_CREATE);
    /* Still creating, normally; on a very slow run (under valgrind) the tracker may have
     * seen the image ready already. */
    g_assert_true (outcome == TC_HISTORY_OUTCOME_CREATING || outcome == TC_HISTORY_OUTCOME_READY);
    g_assert_cmpstr (tc_history_entry_get_record (entry)->image_name, ==, "web-01");
    g_assert_cmpstr (tc_history_entry_get_record (entry)->image_description, ==, "first image");
    g_assert_nonnull (tc_history_entry_get_record (entry)->instance_name);
    g_assert_true (g_str_has_prefix (tc_history_entry_get_record (entry)->image_id, "img-"));
    g_assert_nonnull (tc_history_entry_get_record (entry)->request_id);
    g_assert_cmpstrv (tc_history_entry_get_record (entry)->tags, ((const char *[]) { "env", "prod", NULL }));
    if (outcome == TC_HISTORY_OUTCOME_CREATING)
      g_assert_true (tc_image_tracker_is_following (fixture->tracker, tc_history_entry_get_record (entry)->id));
  }

  /* The image exists, and the form is ready for the next one: region and instance kept. */
  g_assert_cmpint (sim_server_get_image_state (fixture->sim, REGION, "web-01"), !=,
                   TC_IMAGE_STATE_UNKNOWN);
  g_assert_cmpstr (imprint_create_page_get_image_name (fixture->page), ==, "");
  g_assert_cmpstr (imprint_create_page_get_description (fixture->page), ==, "");
  g_assert_cmpuint (imprint_create_page_get_n_tags (fixture->page), ==, 0);
  g_assert_null (imprint_create_page_get_field_message (fixture->page, "name"));
  g_assert_nonnull (imprint_create_page_get_instance (fixture->page));
  g_assert_cmpstr (imprint_create_page_get_region (fixture->page), ==, REGION);
  g_assert_cmpstr (imprint_create_page_get_quota_text (fixture->page), ==, "4 of 10 used");

  /* It is followed until it is ready. */
  g_assert_cmpuint (imprint_create_page_get_n_recent (fixture->page), ==, 1);
  g_assert_true (shown (find (fixture, "recent_group")));
  test_wait_for (has_finished, fixture);
  g_assert_true (fixture->finished_ok);
  g_assert_cmpstr (fixture->finished_name, ==, "web-01");
  expected = g_strdup_printf ("Image “web-01” is being created (%s).", fixture->finished_id);
  g_assert_cmpstr (toast, ==, expected);
  g_assert_cmpint (imprint_create_page_get_recent_state (fixture->page, "web-01"), ==,
                   TC_IMAGE_STATE_NORMAL);
  g_assert_cmpint (sim_server_get_image_state (fixture->sim, REGION, "web-01"), ==,
                   TC_IMAGE_STATE_NORMAL);
  g_assert_cmpint (tc_history_entry_get_record (last_recorded (fixture))->outcome, ==, TC_HISTORY_OUTCOME_READY);
  g_assert_cmpstr (tc_history_entry_get_record (last_recorded (fixture))->image_id, ==, fixture->finished_id);
  g_assert_cmpint (tc_history_entry_get_record (last_recorded (fixture))->last_checked, !=, 0);
  g_assert_cmpuint (tc_image_tracker_get_n_following (fixture->tracker), ==, 0);
  save_form (fixture, "create-page-followed");

  /* The same name again is now known to be taken. */
  type_name (fixture, "web-01");
  g_assert_cmpstr (imprint_create_page_get_field_message (fixture->page, "name"), ==,
                   "A custom image called “web-01” already exists in this region. "
                   "Choose another name.");
}

static void
test_running_instance (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *id;
  const char *refusal = "The instance is running. Select “Shut down before imaging” or stop "
                        "it first.";

  open_page (fixture, 720, 900);
  id = choose_instance (fixture, TC_INSTANCE_STATE_RUNNING);
  type_name (fixture, "from-running");

  g_assert_cmpstr (imprint_create_page_get_field_message (fixture->page, "instance"), ==, refusal);
  g_assert_true (shown (find (fixture, "instance_message")));
  assert_create_blocked (fixture, refusal);
  g_assert_false (gtk_widget_is_sensitive (find (fixture, "check_button")));

  imprint_create_page_set_force_poweroff (fixture->page, TRUE);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (find (fixture, "poweroff_check"))));
  g_assert_null (imprint_create_page_get_field_message (fixture->page, "instance"));
  g_assert_cmpstr (imprint_create_page_get_fact_text (fixture->page, "instance"), ==,
                   "Running — it will be shut down first");
  assert_create_allowed (fixture);

  create (fixture);
  g_assert_true (g_str_has_prefix (last_toast (fixture), "Image “from-running” is being created"));
  g_assert_cmpint (sim_server_get_instance_state (fixture->sim, REGION, id), ==,
                   TC_INSTANCE_STATE_STOPPED);
  /* The page saw the instance stop. */
  g_assert_cmpint (tc_instance_get_state (imprint_create_page_get_instance (fixture->page)), ==,
                   TC_INSTANCE_STATE_STOPPED);
}

static void
test_quota_reached (Fixture       *fixture,
                    gconstpointer  data)
{
  guint count = sim_server_count_images (fixture->sim, REGION);
  const char *why = "All 3 custom images allowed in this region are in use. Delete one before "
                    "creating another.";

  g_assert_cmpuint (count, ==, 3);
  sim_server_set_quota (fixture->sim, count);

  open_page (fixture, 720, 900);
  choose_instance (fixture, TC_INSTANCE_STATE_STOPPED);
  type_name (fixture, "one-too-many");

  g_assert_cmpstr (imprint_create_page_get_quota_text (fixture->page), ==, "3 of 3 used");
  g_assert_cmpstr (imprint_create_page_get_field_message (fixture->page, "quota"), ==, why);
  g_assert_cmpstr (imprint_create_page_get_fact_text (fixture->page, "quota"), ==,
                   "3 of 3 used\nAll 3 custom images allowed in this region are in use. "
                   "Delete one before creating another.");
  assert_create_blocked (fixture, why);

  /* Ctrl+Enter sends nothing either. */
  test_activate_shortcut (GTK_WIDGET (fixture->page), GDK_KEY_Return, GDK_CONTROL_MASK);
  g_assert_false (imprint_create_page_is_busy (fixture->page));
  g_assert_cmpuint (sim_server_get_request_count (fixture->sim, "CreateImage"), ==, 0);
}

static gboolean
name_called_out (gpointer data)
{
  Fixture *fixture = data;

  return imprint_create_page_get_field_message (fixture->page, "name") != NULL;
}

static void
create_directly (Fixture    *fixture,
                 const char *instance_id,
                 const char *name)
{
  g_autoptr(TcImageRequest) request = tc_image_request_new (instance_id, name, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TcCreateResult) created = NULL;
  g_autoptr(GError) error = NULL;

  tc_cvm_create_image_async (fixture->client, REGION, request, FALSE, NULL, got_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  created = tc_cvm_create_image_finish (fixture->client, result, &error);
  g_assert_no_error (error);
}

/* Deletes the region's image called @name, as the Images view would. */
static void
delete_directly (Fixture    *fixture,
                 const char *name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GListModel) images = NULL;
  g_autoptr(GError) error = NULL;
  const char *id = NULL;

  tc_cvm_list_custom_images_async (fixture->client, REGION, NULL, got_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  images = tc_cvm_list_custom_images_finish (fixture->client, result, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (images) && id == NULL; i++) {
    g_autoptr(TcImage) image = g_list_model_get_item (images, i);

    if (g_strcmp0 (tc_image_get_name (image), name) == 0)
      id = g_intern_string (tc_image_get_id (image));
  }
  g_assert_nonnull (id);
  test_delete_image (fixture->client, REGION, id);
}

static gboolean
name_free (gpointer data)
{
  Fixture *fixture = data;

  return imprint_create_page_get_field_message (fixture->page, "name") == NULL;
}

static void
test_name_taken (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *id;
  gint64 start;

  open_page (fixture, 720, 900);
  id = choose_instance (fixture, TC_INSTANCE_STATE_STOPPED);

  /* Someone else made this one a moment ago. */
  create_directly (fixture, id, "nightly-build");

  start = g_get_monotonic_time ();
  imprint_create_page_set_image_name (fixture->page, "nightly-build");
  g_assert_null (imprint_create_page_get_field_message (fixture->page, "name"));
  g_assert_cmpstr (imprint_create_page_get_fact_text (fixture->page, "name"), ==, CHECKING);
  test_wait_for (name_called_out, fixture);
  /* Looked up once the typing rested. */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 350 * 1000);

  g_assert_cmpstr (imprint_create_page_get_field_message (fixture->page, "name"), ==,
                   "A custom image called “nightly-build” already exists in this region. "
                   "Choose another name.");
  g_assert_cmpstr (imprint_create_page_get_fact_text (fixture->page, "name"), ==,
                   "“nightly-build” is already taken");
  assert_create_blocked (fixture, "A custom image called “nightly-build” already exists in "
                                  "this region. Choose another name.");

  /* The image is deleted in the Images view: the form asks again, and the name is free. */
  delete_directly (fixture, "nightly-build");
  imprint_create_page_refresh_quota (fixture->page);
  test_wait_for (name_free, fixture);
  assert_create_allowed (fixture);
  settle (fixture);
  g_assert_cmpstr (imprint_create_page_get_fact_text (fixture->page, "name"), ==,
                   "“nightly-build” is available");

  /* Exact comparison: the server's filter is fuzzy, the rule is not. */
  create_directly (fixture, id, "nightly-build");
  type_name (fixture, "nightly-build-2");
  g_assert_null (imprint_create_page_get_field_message (fixture->page, "name"));
  assert_create_allowed (fixture);
}

static void
test_dry_run (Fixture       *fixture,
              gconstpointer  data)
{
  const char *id;
  guint images = sim_server_count_images (fixture->sim, REGION);
  const char *refusal = "The instance is running. Select “Shut down before imaging” or stop "
                        "it first.";

  open_page (fixture, 720, 900);
  id = choose_instance (fixture, TC_INSTANCE_STATE_STOPPED);
  type_name (fixture, "dry-run");
  g_assert_true (shown (find (fixture, "check_button")));

  /* Would succeed: nothing is created, the form stays. */
  click_and_wait (fixture, find (fixture, "check_button"));
  g_assert_cmpstr (last_toast (fixture), ==, "The request would succeed.");
  /* The form says so too, above the buttons, for as long as it asks the same thing. */
  {
    gboolean ok = FALSE;

    g_assert_cmpstr (imprint_create_page_get_outcome (fixture->page, &ok), ==,
                     "Check passed: Tencent Cloud would accept this request.");
    g_assert_true (ok);
    g_assert_true (shown (find (fixture, "outcome_box")));
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find (fixture, "outcome_label"))), ==,
                     "Check passed: Tencent Cloud would accept this request.");
  }
  g_assert_cmpuint (sim_server_get_request_count (fixture->sim, "CreateImage"), ==, 1);
  g_assert_cmpuint (sim_server_count_images (fixture->sim, REGION), ==, images);
  g_assert_cmpstr (imprint_create_page_get_image_name (fixture->page), ==, "dry-run");
  g_assert_cmpuint (imprint_create_page_get_n_recent (fixture->page), ==, 0);
  g_assert_cmpint (tc_history_entry_get_record (last_recorded (fixture))->kind, ==, TC_HISTORY_KIND_CHECK);
  g_assert_cmpint (tc_history_entry_get_record (last_recorded (fixture))->outcome, ==,
                   TC_HISTORY_OUTCOME_DRY_RUN_PASSED);
  g_assert_cmpuint (tc_image_tracker_get_n_following (fixture->tracker), ==, 0);

  /* A fact changes after the check (images were made elsewhere and the quota is used up):
   * "Check passed" goes, it is no longer what Create would meet. */
  sim_server_set_quota (fixture->sim, sim_server_count_images (fixture->sim, REGION));
  imprint_create_page_refresh_quota (fixture->page);
  settle (fixture);
  g_assert_nonnull (imprint_create_page_get_problem (fixture->page));
  g_assert_null (imprint_create_page_get_outcome (fixture->page, NULL));
  g_assert_false (shown (find (fixture, "outcome_box")));
  sim_server_set_quota (fixture->sim, 50);
  imprint_create_page_refresh_quota (fixture->page);
  settle (fixture);
  g_assert_null (imprint_create_page_get_problem (fixture->page));

  /* Another name is another request: the outcome goes. */
  type_name (fixture, "dry-run-2");
  g_assert_null (imprint_create_page_get_outcome (fixture->page, NULL));
  g_assert_false (shown (find (fixture, "outcome_box")));
  type_name (fixture, "dry-run");
  click_and_wait (fixture, find (fixture, "check_button"));
  g_assert_cmpuint (fixture->recorded->len, ==, 2);

  /* The instance was started behind the form's back: the state is looked at again before
   * sending, and the reason given without asking the server. */
  sim_server_set_instance_state (fixture->sim, REGION, id, TC_INSTANCE_STATE_RUNNING);
  click_and_wait (fixture, find (fixture, "check_button"));
  g_assert_cmpstr (last_toast (fixture), ==, refusal);
  g_assert_cmpstr (imprint_create_page_get_field_message (fixture->page, "instance"), ==, refusal);
  g_assert_cmpuint (sim_server_get_request_count (fixture->sim, "CreateImage"), ==, 2);
  assert_create_blocked (fixture, refusal);
  /* What failed is said above the buttons, once (not again as why Create waits). */
  {
    gboolean ok = TRUE;

    g_assert_cmpstr (imprint_create_page_get_outcome (fixture->page, &ok), ==, refusal);
    g_assert_false (ok);
    g_assert_false (shown (find (fixture, "problem_label")));
  }
  /* Nothing was sent, so nothing new is recorded. */
  g_assert_cmpuint (fixture->recorded->len, ==, 2);

  /* The server's own refusal: a name taken since the form last looked. */
  sim_server_set_instance_state (fixture->sim, REGION, id, TC_INSTANCE_STATE_STOPPED);
  imprint_create_page_set_instance (fixture->page, imprint_create_page_get_instance (fixture->page));
  settle (fixture);
  create_directly (fixture, id, "raced");
  imprint_create_page_set_image_name (fixture->page, "raced");
  click_and_wait (fixture, find (fixture, "check_button"));
  g_assert_cmpstr (last_toast (fixture), ==, tc_error_describe (TC_ERROR_NAME_TAKEN));
  g_assert_cmpint (tc_history_entry_get_record (last_recorded (fixture))->outcome, ==,
                   TC_HISTORY_OUTCOME_DRY_RUN_FAILED);
  g_assert_cmpstr (tc_history_entry_get_record (last_recorded (fixture))->error_code, ==,
                   "InvalidImageName.Duplicate");
  g_assert_cmpstr (imprint_create_page_get_field_message (fixture->page, "name"), ==,
                   "A custom image called “raced” already exists in this region. "
                   "Choose another name.");
  settle (fixture);
}

static void
test_server_error (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sim_server_add_fault (fixture->sim, "internal-error:action=CreateImage,count=1",
                                       &error));
  g_assert_no_error (error);

  open_page (fixture, 720, 900);
  choose_instance (fixture, TC_INSTANCE_STATE_STOPPED);
  type_name (fixture, "kept-name");
  imprint_create_page_set_description (fixture->page, "kept description");

  create (fixture);
  g_assert_cmpstr (last_toast (fixture), ==, tc_error_describe (TC_ERROR_SERVER));
  g_assert_cmpint (tc_history_entry_get_record (last_recorded (fixture))->outcome, ==,
                   TC_HISTORY_OUTCOME_REQUEST_FAILED);
  g_assert_cmpstr (tc_history_entry_get_record (last_recorded (fixture))->error_code, ==, "InternalError");
  g_assert_nonnull (tc_history_entry_get_record (last_recorded (fixture))->error_message);

  /* Nothing typed is lost; the server's words are shown as plain text; a retry works. */
  g_assert_cmpstr (imprint_create_page_get_image_name (fixture->page), ==, "kept-name");
  g_assert_cmpstr (imprint_create_page_get_description (fixture->page), ==, "kept description");
  g_assert_true (shown (find (fixture, "result_message")));
  g_assert_true (strstr (gtk_label_get_text (GTK_LABEL (find (fixture, "result_message"))),
                         "internal error") != NULL);
  g_assert_false (gtk_label_get_use_markup (GTK_LABEL (find (fixture, "result_message"))));
  assert_create_allowed (fixture);
  g_assert_cmpuint (imprint_create_page_get_n_recent (fixture->page), ==, 0);

  /* The server's words were about that request: another description, and they go. */
  imprint_create_page_set_description (fixture->page, "kept description, changed");
  settle (fixture);
  g_assert_false (shown (find (fixture, "result_message")));

  create (fixture);
  g_assert_true (g_str_has_prefix (last_toast (fixture), "Image “kept-name” is being created"));
  g_assert_false (shown (find (fixture, "result_message")));
}

/* The answer to a Create is lost on the way back, after the image was made: the form does
 * not offer to send it again as if nothing happened. It keeps what was typed, the History
 * follows the image, and the name is asked again (it is taken now). */
static void
test_no_answer (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sim_server_add_fault (fixture->sim, "truncated:action=CreateImage,count=1", &error));
  g_assert_no_error (error);
  /* The image stays in the making while the test looks (under valgrind too): the tracker
   * cannot have found it ready yet. */
  sim_server_set_image_delay (fixture->sim, 120);
  open_page (fixture, 720, 900);
  choose_instance (fixture, TC_INSTANCE_STATE_STOPPED);
  type_name (fixture, "answer-lost");

  create (fixture);
  g_assert_true (g_str_has_prefix (last_toast (fixture), "No answer came back for image “answer-lost”"));
  g_assert_cmpint (tc_history_entry_get_record (last_recorded (fixture))->outcome, ==,
                   TC_HISTORY_OUTCOME_CREATING);
  g_assert_cmpstr (imprint_create_page_get_image_name (fixture->page), ==, "answer-lost");
  test_wait_for (name_called_out, fixture);
  g_assert_cmpstr (imprint_create_page_get_field_message (fixture->page, "name"), ==,
                   "A custom image called “answer-lost” already exists in this region. "
                   "Choose another name.");
}

static gboolean
request_sent (gpointer data)
{
  Fixture *fixture = data;

  return sim_server_get_request_count (fixture->sim, "CreateImage") > 0;
}

static gboolean
recorded_twice (gpointer data)
{
  Fixture *fixture = data;

  return fixture->recorded->len > 1;
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TcHistoryEntry *checked;
  GtkWidget *button;

  open_page (fixture, 720, 900);
  choose_instance (fixture, TC_INSTANCE_STATE_STOPPED);
  type_name (fixture, "slow-one");
  /* Checked first: the Create continues that entry. */
  click_and_wait (fixture, find (fixture, "check_button"));
  checked = last_recorded (fixture);

  g_assert_true (sim_server_add_fault (fixture->sim, "latency:action=CreateImage,ms=3000", &error));
  g_assert_no_error (error);
  button = find (fixture, "create_button");
  click (button);
  g_assert_true (imprint_create_page_is_busy (fixture->page));
  test_wait_for (request_sent, fixture);

  /* While in flight, the button offers Cancel and the rest of the form waits. */
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (find (fixture, "create_stack"))), ==,
                   "busy");
  g_assert_true (shown (find (fixture, "create_spinner")));
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (find (fixture, "create_spinner"))));
  g_assert_false (gtk_widget_is_sensitive (find (fixture, "name_row")));
  g_assert_false (gtk_widget_is_sensitive (find (fixture, "check_button")));
  save_form (fixture, "create-page-busy");

  /* Cancel frees the form at once; the request was sent, so it is not taken back, and the
   * form says where its answer will be. */
  click (button);
  g_assert_false (imprint_create_page_is_busy (fixture->page));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (find (fixture, "create_stack"))), ==,
                   "idle");
  g_assert_true (gtk_widget_is_sensitive (find (fixture, "name_row")));
  g_assert_true (shown (find (fixture, "result_message")));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (find (fixture, "result_message"))),
                            "History"));
  g_assert_cmpuint (fixture->toasts->len, ==, 1);
  g_free (test_save_screenshot (fixture->window, "create-page-cancelled-sent"));

  /* The server made the image: the late answer is recorded and told, the image joins
   * Recent Images, and the name is taken now; what is typed stays. */
  test_wait_for (recorded_twice, fixture);
  g_assert_true (g_str_has_prefix (last_toast (fixture), "Image “slow-one” is being created"));
  g_assert_cmpstr (tc_history_entry_get_record (last_recorded (fixture))->image_name, ==, "slow-one");
  g_assert_cmpint (tc_history_entry_get_record (last_recorded (fixture))->outcome, ==,
                   TC_HISTORY_OUTCOME_CREATING);
  g_assert_cmpuint (imprint_create_page_get_n_recent (fixture->page), ==, 1);
  g_assert_false (imprint_create_page_is_busy (fixture->page));
  g_assert_cmpstr (imprint_create_page_get_image_name (fixture->page), ==, "slow-one");
  assert_create_blocked (fixture, "A custom image called “slow-one” already exists in this "
                                  "region. Choose another name.");
  g_assert_true (last_recorded (fixture) == checked);

  /* The next image is an entry of its own: the sent one's stays as it is. */
  sim_server_clear_faults (fixture->sim);
  type_name (fixture, "quick-one");
  settle (fixture);
  click_and_wait (fixture, button);
  g_assert_false (last_recorded (fixture) == checked);
  g_assert_cmpuint (tc_history_get_n_entries (fixture->history), ==, 2);
  g_assert_cmpstr (tc_history_entry_get_record (checked)->image_name, ==, "slow-one");
  settle (fixture);
}

/* Cancelled before anything was sent (the instance was being looked at again), a Create
 * is gone: nothing is made, recorded or told. */
static void
test_cancel_before_sending (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *button;

  open_page (fixture, 720, 900);
  choose_instance (fixture, TC_INSTANCE_STATE_STOPPED);
  type_name (fixture, "never-sent");
  g_assert_true (sim_server_add_fault (fixture->sim, "latency:action=DescribeInstances,ms=2000",
                                       &error));
  g_assert_no_error (error);

  button = find (fixture, "create_button");
  click (button);
  g_assert_true (imprint_create_page_is_busy (fixture->page));
  click (button);
  g_assert_false (imprint_create_page_is_busy (fixture->page));
  g_assert_false (shown (find (fixture, "result_message")));

  test_run_main_loop_for (2500);
  g_assert_cmpuint (sim_server_get_request_count (fixture->sim, "CreateImage"), ==, 0);
  g_assert_cmpuint (fixture->toasts->len, ==, 0);
  g_assert_cmpuint (tc_history_get_n_entries (fixture->history), ==, 0);
  g_assert_cmpstr (imprint_create_page_get_image_name (fixture->page), ==, "never-sent");
  assert_create_allowed (fixture);
  settle (fixture);
}

static gboolean
has_entry (gpointer data)
{
  return tc_history_get_n_entries (data) > 0;
}

/* Closing the window while a Create is out does not lose it: the page goes at once, the
 * request runs on, and its answer is recorded in the History. */
static void
test_closed_while_sending (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  ImprintCreatePage *page;
  TcHistoryEntry *entry = NULL;

  g_assert_true (sim_server_add_fault (fixture->sim, "latency:action=CreateImage,ms=1500", &error));
  g_assert_no_error (error);
  open_page (fixture, 720, 900);
  choose_instance (fixture, TC_INSTANCE_STATE_STOPPED);
  type_name (fixture, "closed-while-sending");
  click (find (fixture, "create_button"));
  test_wait_for (request_sent, fixture);
  g_assert_cmpuint (tc_history_get_n_entries (fixture->history), ==, 0);

  page = g_steal_pointer (&fixture->page);
  g_object_add_weak_pointer (G_OBJECT (page), (gpointer *) &page);
  gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&fixture->window)));
  g_object_unref (page);   /* the test's own */
  g_assert_null (page);
  g_assert_cmpuint (sim_server_get_request_count (fixture->sim, "CreateImage"), ==, 1);

  test_wait_for (has_entry, fixture->history);
  g_assert_cmpuint (tc_history_get_n_entries (fixture->history), ==, 1);
  entry = g_list_model_get_item (G_LIST_MODEL (fixture->history), 0);
  g_assert_cmpstr (tc_history_entry_get_record (entry)->image_name, ==, "closed-while-sending");
  g_assert_cmpint (tc_history_entry_get_record (entry)->kind, ==, TC_HISTORY_KIND_CREATE);
  g_assert_nonnull (tc_history_entry_get_record (entry)->image_id);
  g_assert_true (tc_history_entry_get_record (entry)->outcome == TC_HISTORY_OUTCOME_CREATING ||
                 tc_history_entry_get_record (entry)->outcome == TC_HISTORY_OUTCOME_READY);
  g_object_unref (entry);
}

static void
test_double_activation (Fixture       *fixture,
                        gconstpointer  data)
{
  open_page (fixture, 720, 900);
  choose_instance (fixture, TC_INSTANCE_STATE_STOPPED);
  type_name (fixture, "only-once");

  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "create-page.create", NULL);
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "create-page.create", NULL);
  test_activate_shortcut (GTK_WIDGET (fixture->page), GDK_KEY_Return, GDK_CONTROL_MASK);
  click (find (fixture, "create_button"));   /* now Cancel… */
  g_assert_false (imprint_create_page_is_busy (fixture->page));
  /* …so start again, twice. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "create-page.create", NULL);
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "create-page.create", NULL);
  test_wait_for (not_busy, fixture);
  settle (fixture);

  g_assert_cmpuint (sim_server_get_request_count (fixture->sim, "CreateImage"), ==, 1);
  g_assert_cmpuint (fixture->toasts->len, ==, 1);
  g_assert_cmpuint (imprint_create_page_get_n_recent (fixture->page), ==, 1);
}

static void
test_shortcut (Fixture       *fixture,
               gconstpointer  data)
{
  open_page (fixture, 720, 900);
  choose_instance (fixture, TC_INSTANCE_STATE_STOPPED);
  type_name (fixture, "by-keyboard");

  g_assert_true (test_activate_shortcut (GTK_WIDGET (fixture->page), GDK_KEY_Return,
                                         GDK_CONTROL_MASK));
  g_assert_true (imprint_create_page_is_busy (fixture->page));
  test_wait_for (not_busy, fixture);
  g_assert_true (g_str_has_prefix (last_toast (fixture), "Image “by-keyboard” is being created"));
  settle (fixture);
}

static void
region_notified_cb (GObject    *object,
                    GParamSpec *pspec,
                    guint      *count)
{
  (*count)++;
}

static void
test_region_change (Fixture       *fixture,
                    gconstpointer  data)
{
  AdwComboRow *row;
  TcRegion *selected;
  guint notified = 0;

  open_page (fixture, 720, 900);
  row = ADW_COMBO_ROW (find (fixture, "region_row"));
  selected = adw_combo_row_get_selected_item (row);
  g_assert_cmpstr (tc_region_get_region (selected), ==, REGION);
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (row)), >, 1);

  choose_instance (fixture, TC_INSTANCE_STATE_STOPPED);
  type_name (fixture, "base-image");
  g_assert_nonnull (imprint_create_page_get_field_message (fixture->page, "name"));

  g_signal_connect (fixture->page, "notify::region", G_CALLBACK (region_notified_cb), &notified);

  /* Choosing another region in the list clears the instance and looks again. */
  for (guint i = 0; i < g_list_model_get_n_items (adw_combo_row_get_model (row)); i++) {
    g_autoptr(TcRegion) region = g_list_model_get_item (adw_combo_row_get_model (row), i);

    if (g_str_equal (tc_region_get_region (region), "ap-beijing"))
      adw_combo_row_set_selected (row, i);
  }
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpstr (imprint_create_page_get_region (fixture->page), ==, "ap-beijing");
  g_assert_null (imprint_create_page_get_instance (fixture->page));
  assert_create_blocked (fixture, "Choose an instance to image.");
  settle (fixture);

  /* “base-image” is taken in Guangzhou, not in Beijing. */
  g_assert_null (imprint_create_page_get_field_message (fixture->page, "name"));
  g_assert_cmpstr (imprint_create_page_get_fact_text (fixture->page, "name"), ==,
                   "“base-image” is available");
  g_assert_cmpstr (imprint_create_page_get_quota_text (fixture->page), ==, "2 of 10 used");

  /* And the property, as GSettings would set it. */
  g_object_set (fixture->page, "region", REGION, NULL);
  g_assert_cmpuint (notified, ==, 2);
  selected = adw_combo_row_get_selected_item (row);
  g_assert_cmpstr (tc_region_get_region (selected), ==, REGION);
  settle (fixture);
}

/* The quota row's Retry button. */
static GtkWidget *
quota_retry (Fixture *fixture)
{
  GtkWidget *retry = test_find_widget (find (fixture, "quota_row"), GTK_TYPE_BUTTON, NULL, NULL);

  g_assert_nonnull (retry);
  return retry;
}

static gboolean
quota_failed (gpointer data)
{
  return gtk_widget_get_visible (quota_retry (data));
}

static void
test_fact_error (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* The quota cannot be read: the row says so, offers Retry, and does not block Create
   * (the server still checks the quota when the request is sent). */
  g_assert_true (sim_server_add_fault (fixture->sim, "http-503:action=DescribeImageQuota", &error));
  g_assert_no_error (error);

  open_page (fixture, 720, 900);
  test_wait_for (quota_failed, fixture);
  g_assert_null (imprint_create_page_get_quota_text (fixture->page));
  g_assert_cmpstr (imprint_create_page_get_fact_text (fixture->page, "quota"), ==,
                   tc_error_describe (TC_ERROR_UNAVAILABLE));
  choose_instance (fixture, TC_INSTANCE_STATE_STOPPED);
  type_name (fixture, "quota-unknown");
  assert_create_allowed (fixture);

  sim_server_clear_faults (fixture->sim);
  click (quota_retry (fixture));
  settle (fixture);
  g_assert_cmpstr (imprint_create_page_get_quota_text (fixture->page), ==, "3 of 10 used");
  g_assert_false (gtk_widget_get_visible (quota_retry (fixture)));
}

static gboolean
find_instance_with (Fixture     *fixture,
                    gboolean     windows,
                    TcInstance **out)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GListModel) instances = NULL;
  g_autoptr(GError) error = NULL;

  tc_cvm_list_instances_async (fixture->client, REGION, NULL, NULL, NULL, got_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  instances = tc_cvm_list_instances_finish (fixture->client, result, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < g_list_model_get_n_items (instances); i++) {
    g_autoptr(TcInstance) instance = g_list_model_get_item (instances, i);

    if (tc_instance_get_state (instance) == TC_INSTANCE_STATE_STOPPED &&
        tc_instance_is_windows (instance) == windows &&
        (windows || tc_instance_get_data_disks (instance)->len > 0)) {
      *out = g_steal_pointer (&instance);
      return TRUE;
    }
  }
  return FALSE;
}

static void
test_options (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(TcInstance) linux_instance = NULL;
  g_autoptr(TcInstance) windows_instance = NULL;
  GtkListBox *disks;
  GtkListBoxRow *first;
  GtkWidget *toggle;
  guint n_disks;

  g_assert_true (find_instance_with (fixture, FALSE, &linux_instance));
  open_page (fixture, 720, 1200);

  /* Before an instance is chosen there are no disks and no Sysprep. */
  g_assert_false (shown (find (fixture, "disks_group")));
  g_assert_false (shown (find (fixture, "sysprep_row")));
  g_assert_true (shown (find (fixture, "options_group")));
  g_assert_true (shown (find (fixture, "tags_group")));

  imprint_create_page_set_instance (fixture->page, linux_instance);
  settle (fixture);
  n_disks = tc_instance_get_data_disks (linux_instance)->len;
  disks = GTK_LIST_BOX (find (fixture, "disks_list"));
  g_assert_true (shown (find (fixture, "disks_group")));
  g_assert_false (shown (find (fixture, "sysprep_row")));
  for (guint i = 0; i < n_disks; i++) {
    GtkListBoxRow *row = gtk_list_box_get_row_at_index (disks, (int) i);
    const TcDisk *disk = g_ptr_array_index (tc_instance_get_data_disks (linux_instance), i);
    g_autofree char *title = g_strdup_printf ("%s · %u GB · %s", disk->disk_id, disk->size_gb,
                                              tc_places_disk_type_name (disk->disk_type));

    g_assert_nonnull (row);
    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, title);
    /* The type by its name, “Premium Cloud Disk”, not the API's code. */
    g_assert_null (strstr (title, disk->disk_type));
    g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (test_find_widget (GTK_WIDGET (row),
                                                                                     GTK_TYPE_CHECK_BUTTON,
                                                                                     NULL, NULL))));
  }
  g_assert_null (gtk_list_box_get_row_at_index (disks, (int) n_disks));

  /* A full-instance image with the first data disk. */
  first = gtk_list_box_get_row_at_index (disks, 0);
  toggle = test_find_widget (GTK_WIDGET (first), GTK_TYPE_CHECK_BUTTON, NULL, NULL);
  gtk_widget_activate (GTK_WIDGET (first));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (toggle)));
  type_name (fixture, "full-instance");
  test_wait_for_frames (fixture->window, 2);
  save_form (fixture, "create-page-disks");
  create (fixture);
  g_assert_true (g_str_has_prefix (last_toast (fixture), "Image “full-instance” is being created"));

  /* Windows instances offer Sysprep. */
  if (find_instance_with (fixture, TRUE, &windows_instance)) {
    imprint_create_page_set_instance (fixture->page, windows_instance);
    settle (fixture);
    g_assert_true (shown (find (fixture, "sysprep_row")));
    type_name (fixture, "windows-sysprep");
    /* A Check answers for the request as it was: with Sysprep ticked, it is another. */
    click_and_wait (fixture, find (fixture, "check_button"));
    g_assert_nonnull (imprint_create_page_get_outcome (fixture->page, NULL));
    gtk_widget_activate (find (fixture, "sysprep_row"));
    g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (find (fixture, "sysprep_check"))));
    g_assert_null (imprint_create_page_get_outcome (fixture->page, NULL));
    create (fixture);
    g_assert_true (g_str_has_prefix (last_toast (fixture),
                                     "Image “windows-sysprep” is being created"));
  } else {
    g_test_message ("no stopped Windows instance in this fleet; Sysprep not exercised");
  }
}

static void
test_image_fails (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sim_server_add_fault (fixture->sim, "image-fail:action=CreateImage", &error));
  g_assert_no_error (error);

  open_page (fixture, 720, 900);
  choose_instance (fixture, TC_INSTANCE_STATE_STOPPED);
  type_name (fixture, "doomed");
  create (fixture);

  test_wait_for (has_finished, fixture);
  g_assert_false (fixture->finished_ok);
  g_assert_cmpstr (fixture->finished_name, ==, "doomed");
  g_assert_cmpint (imprint_create_page_get_recent_state (fixture->page, "doomed"), ==,
                   TC_IMAGE_STATE_CREATEFAILED);
  g_assert_cmpint (tc_history_entry_get_record (last_recorded (fixture))->outcome, ==, TC_HISTORY_OUTCOME_FAILED);
  settle (fixture);
  save_form (fixture, "create-page-failed-image");
}

static void
test_legacy (Fixture       *fixture,
             gconstpointer  data)
{
  struct {
    const char *name;
    const char *message;
  } names[] = {
    { "web-server-012345", "The name is too long. Use at most 16 characters (now 17)." },
    { "web_01", "“_” is not allowed in the name: use only the letters a–z and A–Z, the digits "
                "0–9 and “-”." },
    { "web 01", "Spaces are not allowed in the name: use “-” instead." },
    { "镜像", "“镜” is not allowed in the name: use only the letters a–z and A–Z, the digits "
              "0–9 and “-”." },
  };
  g_autofree char *long_description = g_strnfill (65, 'd');
  const char *id;

  g_assert_cmpint (tc_client_get_protocol (fixture->client), ==, TC_PROTOCOL_LEGACY);
  open_page (fixture, 720, 900);

  /* The legacy API has no options, no tags and no dry run. */
  g_assert_false (shown (find (fixture, "options_group")));
  g_assert_false (shown (find (fixture, "tags_group")));
  g_assert_false (shown (find (fixture, "check_button")));
  g_assert_cmpstr (imprint_create_page_get_quota_text (fixture->page), ==, "3 of 10 used");

  /* Stopped only: the option does not exist here. */
  choose_instance (fixture, TC_INSTANCE_STATE_RUNNING);
  g_assert_cmpstr (imprint_create_page_get_field_message (fixture->page, "instance"), ==,
                   "The instance is running. The legacy API can only image a stopped instance: "
                   "stop it first.");
  imprint_create_page_set_force_poweroff (fixture->page, TRUE);
  g_assert_false (imprint_create_page_get_force_poweroff (fixture->page));
  g_assert_nonnull (imprint_create_page_get_field_message (fixture->page, "instance"));

  choose_instance (fixture, TC_INSTANCE_STATE_STOPPED);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++) {
    type_name (fixture, names[i].name);
    g_assert_cmpstr (imprint_create_page_get_field_message (fixture->page, "name"), ==,
                     names[i].message);
    assert_create_blocked (fixture, names[i].message);
  }

  type_name (fixture, "legacy-01");
  g_assert_null (imprint_create_page_get_field_message (fixture->page, "name"));
  imprint_create_page_set_description (fixture->page, "nginx web");
  g_assert_cmpstr (imprint_create_page_get_field_message (fixture->page, "description"), ==,
                   "Spaces are not allowed in the description: use “_” or “-” instead.");
  imprint_create_page_set_description (fixture->page, long_description);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find (fixture, "description_counter"))), ==,
                   "65 / 64");
  g_assert_cmpstr (imprint_create_page_get_field_message (fixture->page, "description"), ==,
                   "The description is too long. Use at most 64 characters (now 65).");
  imprint_create_page_set_description (fixture->page, "网站_nginx-1");
  g_assert_null (imprint_create_page_get_field_message (fixture->page, "description"));
  settle (fixture);
  assert_create_allowed (fixture);
  save_form (fixture, "create-page-legacy");

  create (fixture);
  g_assert_cmpstr (last_toast (fixture), ==, "Image “legacy-01” is being created.");
  id = tc_instance_get_id (imprint_create_page_get_instance (fixture->page));
  g_assert_nonnull (id);
  g_assert_cmpint (sim_server_get_image_state (fixture->sim, REGION, "legacy-01"), !=,
                   TC_IMAGE_STATE_UNKNOWN);

  /* Followed by its exact name, to its final state; its ID is learnt on the way. */
  test_wait_for (has_finished, fixture);
  g_assert_true (fixture->finished_ok);
  g_assert_cmpstr (fixture->finished_name, ==, "legacy-01");
  g_assert_nonnull (fixture->finished_id);
  g_assert_true (g_str_has_prefix (fixture->finished_id, "img-"));
  g_assert_cmpint (imprint_create_page_get_recent_state (fixture->page, "legacy-01"), ==,
                   TC_IMAGE_STATE_NORMAL);
  /* The legacy API answered no ID: the tracker learnt it and recorded it. */
  g_assert_cmpint (tc_history_entry_get_record (last_recorded (fixture))->protocol, ==, TC_PROTOCOL_LEGACY);
  g_assert_cmpstr (tc_history_entry_get_record (last_recorded (fixture))->image_id, ==, fixture->finished_id);
}

static gboolean
is_subtitle (GtkWidget *widget,
             gpointer   data)
{
  return gtk_widget_has_css_class (widget, "subtitle");
}

/* Whether @layout's lines begin only after a space or a line break: no
 * name or ID is broken inside, at a hyphen or between two letters. */
static gboolean
wraps_only_at_spaces (PangoLayout *layout)
{
  const char *text = pango_layout_get_text (layout);

  for (int i = 1; i < pango_layout_get_line_count (layout); i++) {
    int start = pango_layout_get_line_readonly (layout, i)->start_index;
    gunichar before = g_utf8_get_char (g_utf8_prev_char (text + start));

    if (!g_unichar_isspace (before))
      return FALSE;
  }
  return TRUE;
}

static void
test_narrow (Fixture       *fixture,
             gconstpointer  data)
{
  int minimum = 0;
  GtkWidget *subtitle;
  const char *id;

  open_page (fixture, 360, 1500);
  id = choose_instance (fixture, TC_INSTANCE_STATE_RUNNING);
  type_name (fixture, "web-golden-2024-with-a-long-name");
  imprint_create_page_set_description (fixture->page, "nginx 1.26 on Ubuntu 22.04");
  imprint_create_page_add_tag (fixture->page, "team", "web");
  settle (fixture);

  g_free (test_save_screenshot (fixture->window, "create-page-narrow"));
  test_assert_mnemonics_unique (fixture->window);
  save_form (fixture, "create-page-narrow-full");
  /* The instance's name and ID: shown whole, and at this width and any narrower one where
   * the ID still fits, the line breaks between them, never inside the ID ("api-02 (ins-"
   * over "yx4hsnm2)"). */
  subtitle = test_find_widget (find (fixture, "instance_row"), GTK_TYPE_LABEL, is_subtitle, NULL);
  g_assert_nonnull (subtitle);
  g_assert_true (wraps_only_at_spaces (gtk_label_get_layout (GTK_LABEL (subtitle))));
  g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (subtitle))));
  {
    g_autoptr(PangoLayout) layout = pango_layout_copy (gtk_label_get_layout (GTK_LABEL (subtitle)));
    g_autoptr(PangoLayout) id_only = pango_layout_copy (layout);
    g_autofree char *shown_id = g_strdup_printf ("(%s)", id);
    int id_width, width;

    pango_layout_set_text (id_only, shown_id, -1);
    pango_layout_set_width (id_only, -1);
    pango_layout_get_size (id_only, &id_width, NULL);
    pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_NONE);
    pango_layout_set_height (layout, -1);
    for (width = gtk_widget_get_width (subtitle) * PANGO_SCALE; width >= id_width; width -= PANGO_SCALE) {
      pango_layout_set_width (layout, width);
      g_assert_true (wraps_only_at_spaces (layout));
    }
  }

  gtk_widget_measure (GTK_WIDGET (fixture->page), GTK_ORIENTATION_HORIZONTAL, -1,
                      &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);
  g_assert_cmpint (gtk_widget_get_width (fixture->window), ==, 360);
}

/* Where @widget is, in @window's coordinates. */
static graphene_rect_t
bounds_in_window (GtkWidget *widget,
                  GtkWidget *window)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (widget, window, &bounds));
  return bounds;
}

/* Check and Create Image are in reach at every size and scroll position, and no toast
 * covers them: they sit below the scrolled form, outside the overlay toasts rise in. */
static void
test_actions_in_reach (Fixture       *fixture,
                       gconstpointer  data)
{
  static const int widths[] = { 900, 360 };

  open_page (fixture, 900, 640);
  choose_instance (fixture, TC_INSTANCE_STATE_STOPPED);
  type_name (fixture, "in-reach");

  for (guint i = 0; i < G_N_ELEMENTS (widths); i++) {
    GtkAdjustment *vadjustment =
      gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (find (fixture, "scroller")));

    gtk_window_set_default_size (GTK_WINDOW (fixture->window), widths[i], 640);
    test_wait_for_frames (fixture->window, 3);
    /* The form is taller than the window: it scrolls. */
    g_assert_cmpfloat (gtk_adjustment_get_upper (vadjustment), >, gtk_adjustment_get_page_size (vadjustment));

    for (guint top = 0; top < 2; top++) {
      gtk_adjustment_set_value (vadjustment, top ? 0 : gtk_adjustment_get_upper (vadjustment));
      test_wait_for_frames (fixture->window, 2);

      for (guint b = 0; b < 2; b++) {
        GtkWidget *button = find (fixture, b ? "create_button" : "check_button");
        graphene_rect_t r = bounds_in_window (button, fixture->window);

        g_test_message ("%d px, %s: %s at %g,%g %gx%g", widths[i], top ? "top" : "bottom",
                        b ? "Create" : "Check", r.origin.x, r.origin.y, r.size.width, r.size.height);
        g_assert_true (gtk_widget_get_mapped (button));
        g_assert_cmpfloat (r.origin.x, >=, 0);
        g_assert_cmpfloat (r.origin.y, >=, 0);
        g_assert_cmpfloat (r.origin.x + r.size.width, <=, gtk_widget_get_width (fixture->window));
        g_assert_cmpfloat (r.origin.y + r.size.height, <=, gtk_widget_get_height (fixture->window));
        g_assert_false (gtk_widget_is_ancestor (button, find (fixture, "toast_overlay")));
      }
    }

    /* A toast rises over the form, above the bar. */
    {
      AdwToast *t = adw_toast_new ("Over the form");
      GtkWidget *bar = find (fixture, "action_bar");
      GtkWidget *toast_widget;
      graphene_rect_t toast_bounds, bar_bounds;

      adw_toast_set_timeout (t, 0);
      imprint_create_page_add_toast (fixture->page, t);
      test_wait_for_frames (fixture->window, 3);
      toast_widget = gtk_widget_get_last_child (find (fixture, "toast_overlay"));
      g_assert_cmpstr (G_OBJECT_TYPE_NAME (toast_widget), ==, "AdwToastWidget");
      toast_bounds = bounds_in_window (toast_widget, fixture->window);
      bar_bounds = bounds_in_window (bar, fixture->window);
      g_assert_cmpfloat (toast_bounds.origin.y + toast_bounds.size.height, <=, bar_bounds.origin.y);
      g_free (test_save_screenshot (fixture->window, i == 0 ? "create-page-actions-900"
                                                            : "create-page-actions-360"));
      adw_toast_dismiss (t);
      test_wait_for_frames (fixture->window, 2);
    }
  }
}

static void
test_accessibility (Fixture       *fixture,
                    gconstpointer  data)
{
  const char *message = "The name starts with a space. Remove it.";
  GtkWidget *name_row;
  GtkWidget *key_entry;
  GtkWidget *remove;

  open_page (fixture, 720, 900);
  choose_instance (fixture, TC_INSTANCE_STATE_STOPPED);

  /* Controls are named as they are labelled, once: the check buttons and Add Tag by the label
   * they are related to (a label property on top would make GTK 4.8 read both), the
   * Choose button by its own label only (not also by its row's title). The names as a
   * screen reader gets them are checked by the journey's audit (tests/journey). */
  for (guint i = 0; i < 3; i++) {
    GtkWidget *widget = find (fixture, (const char *[]) { "poweroff_check", "sysprep_check",
                                                          "add_tag_button" }[i]);

    g_assert_true (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget),
                                                     GTK_ACCESSIBLE_RELATION_LABELLED_BY));
    g_assert_false (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget),
                                                      GTK_ACCESSIBLE_PROPERTY_LABEL));
  }
  gtk_test_accessible_assert_property (find (fixture, "choose_button"),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Choose…");
  g_assert_false (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (find (fixture, "choose_button")),
                                                    GTK_ACCESSIBLE_RELATION_LABELLED_BY));
  gtk_test_accessible_assert_property (find (fixture, "create_button"),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Create Image");
  gtk_test_accessible_assert_property (find (fixture, "check_button"),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Check");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (find (fixture, "name_row"))),
                   ==, "Image Name");

  imprint_create_page_add_tag (fixture->page, "", "");
  key_entry = test_find_widget (find (fixture, "tags_list"), GTK_TYPE_ENTRY, NULL, NULL);
  remove = test_find_widget (find (fixture, "tags_list"), GTK_TYPE_BUTTON, NULL, NULL);
  gtk_test_accessible_assert_property (key_entry, GTK_ACCESSIBLE_PROPERTY_LABEL, "Key");
  gtk_test_accessible_assert_property (remove, GTK_ACCESSIBLE_PROPERTY_LABEL, "Remove Tag");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (remove), ==, "Remove Tag");

  /* A message is announced with its field: the field is invalid and described by it. */
  name_row = find (fixture, "name_row");
  type_name (fixture, " web");
  gtk_test_accessible_assert_state (name_row, GTK_ACCESSIBLE_STATE_INVALID,
                                    GTK_ACCESSIBLE_INVALID_TRUE);
  gtk_test_accessible_assert_property (name_row, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message);
  gtk_test_accessible_assert_property (find (fixture, "create_button"),
                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message);

  type_name (fixture, "web");
  g_assert_false (gtk_test_accessible_has_property (GTK_ACCESSIBLE (name_row),
                                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
  g_assert_false (gtk_test_accessible_has_property (GTK_ACCESSIBLE (find (fixture, "create_button")),
                                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));

  /* Sending by keyboard: the focus waits on Cancel, then comes back to the field. */
  gtk_widget_grab_focus (name_row);
  g_assert_true (test_activate_shortcut (GTK_WIDGET (fixture->page), GDK_KEY_Return,
                                         GDK_CONTROL_MASK));
  g_assert_true (gtk_widget_has_focus (find (fixture, "create_button")));
  gtk_test_accessible_assert_property (find (fixture, "create_button"),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Cancel");
  test_wait_for (not_busy, fixture);
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (fixture->window)), name_row));

  /* Removing a tag by keyboard leaves the focus somewhere useful. */
  imprint_create_page_add_tag (fixture->page, "", "");
  remove = test_find_widget (find (fixture, "tags_list"), GTK_TYPE_BUTTON, NULL, NULL);
  gtk_widget_grab_focus (remove);
  click (remove);
  g_assert_cmpuint (imprint_create_page_get_n_tags (fixture->page), ==, 0);
  g_assert_true (gtk_widget_has_focus (find (fixture, "add_tag_button")));
  settle (fixture);
}

static GtkWindow *
find_picker (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++) {
    g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

    if (IMPRINT_IS_INSTANCE_PICKER (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
      return window;
  }
  return NULL;
}

static gboolean
picker_loaded (gpointer data)
{
  GtkWindow *picker = find_picker ();

  return picker != NULL &&
         imprint_instance_picker_get_state (IMPRINT_INSTANCE_PICKER (picker)) !=
           IMPRINT_PICKER_STATE_LOADING;
}

/* The picker's question before shutting a running instance down, once it is shown. */
static AdwMessageDialog *
shutdown_question (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* owned by GTK */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++) {
    g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

    if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
      return ADW_MESSAGE_DIALOG (window);
  }
  return NULL;
}

static gboolean
shutdown_question_shown (gpointer data)
{
  return shutdown_question () != NULL;
}

static gboolean
picker_gone (gpointer data)
{
  return find_picker () == NULL;
}

static void
test_picker (Fixture       *fixture,
             gconstpointer  data)
{
  const char *running = sim_server_find_instance (fixture->sim, REGION, TC_INSTANCE_STATE_RUNNING);
  ImprintInstancePicker *picker;
  GtkWidget *row;

  open_page (fixture, 720, 900);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (find (fixture, "create_button")), ==,
                   "Choose an instance to image.");

  /* Activating the Instance row is pressing Choose…: the picker opens over the window,
   * with the page's region and the check button's rule. */
  imprint_create_page_set_force_poweroff (fixture->page, TRUE);
  row = find (fixture, "instance_row");
  gtk_widget_activate (row);
  test_wait_for (picker_loaded, NULL);
  picker = IMPRINT_INSTANCE_PICKER (find_picker ());
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (picker)) == GTK_WINDOW (fixture->window));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (picker)));
  {
    g_autofree char *region = NULL;

    g_object_get (picker, "region", &region, NULL);
    g_assert_cmpstr (region, ==, REGION);
  }
  g_assert_true (imprint_instance_picker_get_force_poweroff (picker));

  /* A running instance can be chosen with the check button on. */
  g_assert_true (imprint_instance_picker_select_instance (picker, running));
  gtk_widget_activate_action (GTK_WIDGET (picker), "picker.choose", NULL);
  test_wait_for (picker_gone, NULL);
  settle (fixture);
  g_assert_cmpstr (tc_instance_get_id (imprint_create_page_get_instance (fixture->page)), ==, running);
  g_assert_cmpstr (imprint_create_page_get_fact_text (fixture->page, "instance"), ==,
                   "Running — it will be shut down first");
  g_assert_cmpstr (imprint_create_page_get_problem (fixture->page), ==,
                   "Enter a name for the image.");

  /* With the check button off, the picker asks before a running instance is chosen;
   * agreeing there turns the form's check button on. */
  imprint_create_page_set_force_poweroff (fixture->page, FALSE);
  imprint_create_page_set_instance (fixture->page, NULL);
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "create-page.choose-instance", NULL);
  test_wait_for (picker_loaded, NULL);
  picker = IMPRINT_INSTANCE_PICKER (find_picker ());
  g_assert_false (imprint_instance_picker_get_force_poweroff (picker));
  g_assert_true (imprint_instance_picker_select_instance (picker, running));
  gtk_widget_activate_action (GTK_WIDGET (picker), "picker.choose", NULL);
  test_wait_for (shutdown_question_shown, NULL);
  adw_message_dialog_response (shutdown_question (), "shut-down");
  test_wait_for (picker_gone, NULL);
  settle (fixture);
  g_assert_true (imprint_create_page_get_force_poweroff (fixture->page));
  g_assert_cmpstr (tc_instance_get_id (imprint_create_page_get_instance (fixture->page)), ==, running);
}

/* “Use as Template”, then an instance chosen in the picker before the template's instance
 * has come: the user's choice stays, and the template's answer, when it comes, changes
 * nothing (it used to replace the choice). */
static void
test_choice_beats_template (Fixture       *fixture,
                            gconstpointer  data)
{
  const char *running = sim_server_find_instance (fixture->sim, REGION, TC_INSTANCE_STATE_RUNNING);
  const char *stopped = sim_server_find_instance (fixture->sim, REGION, TC_INSTANCE_STATE_STOPPED);
  g_autoptr(TcImageRequest) request = tc_image_request_new (running, "from-a-template", NULL);
  g_autoptr(TcInstance) later = NULL;
  ImprintInstancePicker *picker;

  open_page (fixture, 720, 900);
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "create-page.choose-instance", NULL);
  test_wait_for (picker_loaded, NULL);
  picker = IMPRINT_INSTANCE_PICKER (find_picker ());

  /* The template's instance is still on its way when the user chooses another. */
  sim_server_set_latency (fixture->sim, 300);
  imprint_create_page_use_template (fixture->page, request, REGION);
  g_assert_true (imprint_instance_picker_select_instance (picker, stopped));
  gtk_widget_activate_action (GTK_WIDGET (picker), "picker.choose", NULL);
  test_wait_for (picker_gone, NULL);
  g_assert_cmpstr (tc_instance_get_id (imprint_create_page_get_instance (fixture->page)), ==, stopped);

  /* Asked for after the template's instance, so answered after it. */
  later = fetch_instance (fixture, running);
  sim_server_set_latency (fixture->sim, 0);
  settle (fixture);
  g_assert_cmpstr (tc_instance_get_id (imprint_create_page_get_instance (fixture->page)), ==, stopped);
  g_assert_cmpstr (imprint_create_page_get_image_name (fixture->page), ==, "from-a-template");
}

static gboolean
has_label (GtkWidget *widget,
           gpointer   label)
{
  return gtk_widget_get_visible (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

/* Ticks @instances in the picker, chooses them, and returns the batch dialog that opens,
 * once it has checked the names. */
static ImprintBatchDialog *
open_batch (Fixture   *fixture,
            GPtrArray *instances)
{
  ImprintInstancePicker *picker;
  ImprintBatchDialog *dialog;

  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "create-page.choose-instance", NULL);
  test_wait_for (picker_loaded, NULL);
  picker = IMPRINT_INSTANCE_PICKER (find_picker ());
  imprint_instance_picker_set_several (picker, TRUE);
  for (guint i = 0; i < instances->len; i++)
    g_assert_true (imprint_instance_picker_set_ticked (picker, tc_instance_get_id (instances->pdata[i]), TRUE));
  gtk_widget_activate_action (GTK_WIDGET (picker), "picker.choose", NULL);
  test_wait_for (picker_gone, NULL);

  dialog = test_find_toplevel (IMPRINT_TYPE_BATCH_DIALOG);
  g_assert_nonnull (dialog);
  test_wait_for ((TestCondition) imprint_batch_dialog_is_checked, dialog);
  return dialog;
}

/* Every image of a batch would get the form's description: one the form refuses keeps the
 * batch from being sent, and the dialog says why. */
static void
test_batch_checks_form (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) instances = test_stopped_instances (fixture->client, REGION, 2);
  g_autofree char *long_description = g_strnfill (257, 'd');
  ImprintBatchDialog *dialog;

  open_page (fixture, 720, 900);
  imprint_create_page_set_description (fixture->page, long_description);
  dialog = open_batch (fixture, instances);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_assert_cmpstr (imprint_batch_dialog_get_status (dialog), ==,
                   "In the form: The description is too long. Use at most 256 characters (now 257).");
  g_assert_false (gtk_widget_is_sensitive (test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, has_label,
                                                             (gpointer) "C_reate 2 Images")));
  test_wait_for_frames (GTK_WIDGET (dialog), 2);
  g_free (test_save_screenshot (GTK_WIDGET (dialog), "batch-dialog-form-problem"));
  gtk_window_close (GTK_WINDOW (dialog));
  settle (fixture);
  g_assert_null (dialog);
  g_assert_cmpuint (sim_server_get_request_count (fixture->sim, "CreateImage"), ==, 0);
  /* What the user typed is still there, to be corrected. */
  g_assert_cmpstr (imprint_create_page_get_description (fixture->page), ==, long_description);
}

/* A batch's dialog, closed once its images are sent, goes; Recent Images has a row that
 * says how the batch goes and shows it again, with the retry of what failed. */
static void
test_batch_shown_again (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) instances = test_stopped_instances (fixture->client, REGION, 2);
  g_autofree char *names = NULL;
  g_autoptr(GError) error = NULL;
  ImprintBatchDialog *dialog;
  TcImageBatch *batch;
  GtkWidget *show, *row;

  open_page (fixture, 720, 900);
  dialog = open_batch (fixture, instances);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_assert_true (sim_server_add_fault (fixture->sim, "image-fail:action=CreateImage,count=1", &error));
  g_assert_no_error (error);
  g_signal_emit_by_name (test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, has_label,
                                           (gpointer) "C_reate 2 Images"), "clicked");
  batch = g_object_ref (imprint_batch_dialog_get_batch (dialog));
  names = g_strdup_printf ("%s, %s", imprint_batch_dialog_get_name (dialog, 0),
                           imprint_batch_dialog_get_name (dialog, 1));

  /* Closed, the dialog goes (a hidden window would trouble GTK 4.8's accessibility); its
   * batch runs on, in a row of Recent Images. */
  gtk_window_close (GTK_WINDOW (dialog));
  settle (fixture);
  g_assert_null (dialog);
  g_assert_true (shown (find (fixture, "recent_group")));
  show = test_find_widget (GTK_WIDGET (fixture->page), GTK_TYPE_BUTTON, has_label, (gpointer) "_Show");
  g_assert_nonnull (show);
  row = gtk_widget_get_ancestor (show, ADW_TYPE_ACTION_ROW);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, names);

  /* Show: a dialog of the batch as it is now, its names what was sent; closed again, still
   * one row. */
  g_signal_emit_by_name (show, "clicked");
  dialog = test_find_toplevel (IMPRINT_TYPE_BATCH_DIALOG);
  g_assert_nonnull (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_true (imprint_batch_dialog_get_batch (dialog) == batch);
  {
    g_autofree char *again = g_strdup_printf ("%s, %s", imprint_batch_dialog_get_name (dialog, 0),
                                              imprint_batch_dialog_get_name (dialog, 1));

    g_assert_cmpstr (again, ==, names);
  }
  g_assert_false (gtk_widget_is_visible (test_find_widget (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, NULL, NULL)));
  g_assert_null (test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, has_label,
                                   (gpointer) "C_reate 2 Images"));
  g_assert_nonnull (test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, has_label,
                                      (gpointer) "_Close"));
  gtk_window_close (GTK_WINDOW (dialog));
  settle (fixture);
  g_assert_null (dialog);
  g_assert_true (gtk_widget_get_first_child (gtk_widget_get_parent (row)) == row);
  g_assert_null (gtk_widget_get_next_sibling (row));

  /* The row follows the batch to its end; one image failed, and the batch shown again
   * makes it again. */
  test_wait_for ((TestCondition) tc_image_batch_is_finished, batch);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "1 of 2 images ready; 1 failed");
  g_signal_emit_by_name (show, "clicked");
  dialog = test_find_toplevel (IMPRINT_TYPE_BATCH_DIALOG);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  test_wait_for_frames (GTK_WIDGET (dialog), 2);
  g_free (test_save_screenshot (GTK_WIDGET (dialog), "batch-dialog-shown-again-one-failed"));
  test_assert_mnemonics_unique (GTK_WIDGET (dialog));
  g_signal_emit_by_name (test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, has_label,
                                           (gpointer) "_Retry Failed"), "clicked");
  g_assert_false (tc_image_batch_is_finished (batch));
  gtk_window_close (GTK_WINDOW (dialog));
  settle (fixture);
  g_assert_null (dialog);
  test_wait_for ((TestCondition) tc_image_batch_is_finished, batch);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "2 of 2 images ready");
  gtk_widget_grab_focus (show);
  settle (fixture);
  g_free (test_save_screenshot (fixture->window, "create-page-batch-row"));
  test_assert_mnemonics_unique (fixture->window);
  g_object_unref (batch);
}

static gboolean
regions_failed (gpointer data)
{
  Fixture *fixture = data;

  return gtk_widget_get_visible (find (fixture, "region_caption"));
}

/* The hint under the buttons for an empty required field waits until the user came to the
 * field or submitted: a fresh form, or one cleared after a Create, does not scold. The
 * buttons' tooltips say why they wait all along. */
static void
test_quiet_until_touched (Fixture       *fixture,
                          gconstpointer  data)
{
  GtkWidget *problem;

  open_page (fixture, 720, 900);
  problem = find (fixture, "problem_label");
  assert_create_blocked (fixture, "Choose an instance to image.");
  g_assert_false (shown (problem));

  /* The picker was opened and closed without a choice: now it is said. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "create-page.choose-instance", NULL);
  test_wait_for (picker_loaded, NULL);
  gtk_window_close (find_picker ());
  test_wait_for (picker_gone, NULL);
  settle (fixture);
  g_assert_true (shown (problem));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (problem)), ==, "Choose an instance to image.");

  /* An instance, and a name not typed yet. */
  choose_instance (fixture, TC_INSTANCE_STATE_STOPPED);
  assert_create_blocked (fixture, "Enter a name for the image.");
  g_assert_false (shown (problem));

  /* Typed and erased: said, under the field and under the buttons. */
  type_name (fixture, "web-01");
  type_name (fixture, "");
  assert_create_blocked (fixture, "Enter a name for the image.");
  g_assert_true (shown (problem));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (problem)), ==, "Enter a name for the image.");

  /* Created: the form is cleared for the next image, on purpose, and waits quietly. */
  type_name (fixture, "quiet-01");
  create (fixture);
  g_assert_cmpstr (imprint_create_page_get_image_name (fixture->page), ==, "");
  assert_create_blocked (fixture, "Enter a name for the image.");
  g_assert_null (imprint_create_page_get_field_message (fixture->page, "name"));
  g_assert_false (shown (problem));
}

static void
test_regions_fallback (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GListModel) builtin = tc_region_list_builtin ();
  g_autoptr(GError) error = NULL;
  AdwComboRow *row;

  g_assert_true (sim_server_add_fault (fixture->sim, "http-503:action=DescribeRegions", &error));
  g_assert_no_error (error);

  open_page (fixture, 720, 900);
  test_wait_for (regions_failed, fixture);

  /* The built-in list stays, with the region selected; the form works on. */
  row = ADW_COMBO_ROW (find (fixture, "region_row"));
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (row)), ==,
                    g_list_model_get_n_items (builtin));
  g_assert_cmpstr (tc_region_get_region (adw_combo_row_get_selected_item (row)), ==, REGION);
  g_assert_cmpstr (imprint_create_page_get_quota_text (fixture->page), ==, "3 of 10 used");
  choose_instance (fixture, TC_INSTANCE_STATE_STOPPED);
  type_name (fixture, "no-region-list");
  assert_create_allowed (fixture);
}

static gboolean
label_says (GtkWidget *widget,
            gpointer   text)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

/* Known regions read as Imprint names them in the UI's language (“South China
 * (Guangzhou)”), whatever spacing the server's names have (“South China(Guangzhou)”). */
static void
test_region_names (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkWidget *row;

  open_page (fixture, 720, 900);
  row = find (fixture, "region_row");
  g_assert_nonnull (test_find_widget (row, GTK_TYPE_LABEL, label_says, (gpointer) "South China (Guangzhou)"));
  g_assert_null (test_find_widget (row, GTK_TYPE_LABEL, label_says, (gpointer) "South China(Guangzhou)"));
}

static gboolean
lists_ten_regions (gpointer data)
{
  return g_list_model_get_n_items (adw_combo_row_get_model (data)) == 10;
}

/* The server's list of regions, which comes a moment after the built-in one, moves no
 * region: Nanjing stays third (the server says it fifth), so that an open list does not
 * turn the row under the pointer into another region. The regions the simulator's cloud
 * lacks (Tokyo, …) go. */
static void
test_regions_in_place (Fixture       *fixture,
                       gconstpointer  data)
{
  const char * const expected[] = {
    "ap-guangzhou", "ap-shanghai", "ap-nanjing", "ap-beijing", "ap-chengdu", "ap-chongqing",
    "ap-hongkong", "ap-singapore", "na-siliconvalley", "eu-frankfurt",
  };
  AdwComboRow *row;

  open_page (fixture, 720, 900);
  row = ADW_COMBO_ROW (find (fixture, "region_row"));
  test_wait_for (lists_ten_regions, row);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++) {
    g_autoptr(TcRegion) region = g_list_model_get_item (adw_combo_row_get_model (row), i);

    g_assert_cmpstr (tc_region_get_region (region), ==, expected[i]);
  }
  g_assert_cmpstr (tc_region_get_region (adw_combo_row_get_selected_item (row)), ==, REGION);
}

static void
add (const char  *path,
     TcProtocol   protocol,
     void       (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, GINT_TO_POINTER (protocol), setup, func, teardown);
}

int
main (int   argc,
      char *argv[])
{

  /* GTK's test accessibility backend keeps what the widgets tell assistive technologies,
   * so the accessibility test can read it back; it talks to no bus. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  test_ui_tolerate_toolkit_warnings ();
  adw_init ();

  /* Animations off, so a screenshot never catches a row halfway through one. */
  test_ui_load_app_style ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  add ("/imprint/create/new-destroy", TC_PROTOCOL_API3, test_new_destroy);
  add ("/imprint/create/api3/client-later", TC_PROTOCOL_API3, test_client_later);
  add ("/imprint/create/api3/region-before-client", TC_PROTOCOL_API3, test_region_before_client);
  add ("/imprint/create/api3/template-then-region-change", TC_PROTOCOL_API3, test_template_then_region_change);
  add ("/imprint/create/api3/rules", TC_PROTOCOL_API3, test_rules);
  add ("/imprint/create/api3/screenshot-valid", TC_PROTOCOL_API3, test_screenshot_valid);
  add ("/imprint/create/api3/create-and-follow", TC_PROTOCOL_API3, test_create_and_follow);
  add ("/imprint/create/api3/running-instance", TC_PROTOCOL_API3, test_running_instance);
  add ("/imprint/create/api3/quota-reached", TC_PROTOCOL_API3, test_quota_reached);
  add ("/imprint/create/api3/name-taken", TC_PROTOCOL_API3, test_name_taken);
  add ("/imprint/create/api3/dry-run", TC_PROTOCOL_API3, test_dry_run);
  add ("/imprint/create/api3/server-error", TC_PROTOCOL_API3, test_server_error);
  add ("/imprint/create/api3/no-answer", TC_PROTOCOL_API3, test_no_answer);
  add ("/imprint/create/api3/cancel", TC_PROTOCOL_API3, test_cancel);
  add ("/imprint/create/api3/batch-shown-again", TC_PROTOCOL_API3, test_batch_shown_again);
  add ("/imprint/create/api3/batch-checks-form", TC_PROTOCOL_API3, test_batch_checks_form);
  add ("/imprint/create/api3/cancel-before-sending", TC_PROTOCOL_API3, test_cancel_before_sending);
  add ("/imprint/create/api3/closed-while-sending", TC_PROTOCOL_API3, test_closed_while_sending);
  add ("/imprint/create/api3/double-activation", TC_PROTOCOL_API3, test_double_activation);
  add ("/imprint/create/api3/shortcut", TC_PROTOCOL_API3, test_shortcut);
  add ("/imprint/create/api3/region-change", TC_PROTOCOL_API3, test_region_change);
  add ("/imprint/create/api3/regions-fallback", TC_PROTOCOL_API3, test_regions_fallback);
  add ("/imprint/create/api3/picker", TC_PROTOCOL_API3, test_picker);
  add ("/imprint/create/api3/choice-beats-template", TC_PROTOCOL_API3, test_choice_beats_template);
  add ("/imprint/create/api3/quiet-until-touched", TC_PROTOCOL_API3, test_quiet_until_touched);
  add ("/imprint/create/api3/region-names", TC_PROTOCOL_API3, test_region_names);
  add ("/imprint/create/api3/regions-in-place", TC_PROTOCOL_API3, test_regions_in_place);
  add ("/imprint/create/api3/accessibility", TC_PROTOCOL_API3, test_accessibility);
  add ("/imprint/create/api3/fact-error", TC_PROTOCOL_API3, test_fact_error);
  add ("/imprint/create/api3/options", TC_PROTOCOL_API3, test_options);
  add ("/imprint/create/api3/image-fails", TC_PROTOCOL_API3, test_image_fails);
  add ("/imprint/create/legacy/end-to-end", TC_PROTOCOL_LEGACY, test_legacy);
  add ("/imprint/create/narrow", TC_PROTOCOL_API3, test_narrow);
  add ("/imprint/create/actions-in-reach", TC_PROTOCOL_API3, test_actions_in_reach);

  return g_test_run ();
}
