/* test-history-page.c: the History view in a real window, driven as a user would
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window runs the demo (the simulator in this process); requests sent from its form
 * appear in the History view at once, their region by name; search narrows, by the region's
 * code too; details show every field as plain text with the advice for the error; Use as
 * Template fills the form; Remove and Clear History work. A long history is listed a part
 * at a time, more as it is scrolled, and a search shows its matches in the rows there are.
 * Screenshots land in the build directory.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "imprint-history-row.h"
#include "imprint-state-badge.h"
#include "imprint-window.h"
#include "tc-cvm.h"
#include "tc-error.h"
#include "test-ui-util.h"
#include "test-util.h"

#define MARKUP_MESSAGE "Image name <b>taken</b> & not <i>markup</i>"

typedef struct {
  char            *dir;
  char            *history_path;
  char            *accounts_path;
  TcAccountStore  *store;
  SoupSession     *session;
  TcHistory       *history;
  TcImageTracker  *tracker;
  ImprintWindow   *window;
} Fixture;

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *done = user_data;

  g_assert_true (tc_history_load_finish (TC_HISTORY (object), result, NULL));
  *done = TRUE;
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;

  f->dir = g_dir_make_tmp ("imprint-history-page-XXXXXX", &error);
  g_assert_no_error (error);
  f->history_path = g_build_filename (f->dir, "history.db", NULL);
  f->accounts_path = g_build_filename (f->dir, "accounts.json", NULL);
  f->store = tc_account_store_new (f->accounts_path);
  f->session = tc_client_new_session ();
  f->history = tc_history_new (f->history_path);
  tc_history_load_async (f->history, NULL, loaded_cb, &done);
  test_wait_until (&done, 10);
  f->tracker = g_object_new (TC_TYPE_IMAGE_TRACKER, "history", f->history, "store", f->store,
                             "session", f->session, "follow-interval", 0.2, NULL);
}

static void
flushed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  gboolean *done = user_data;

  tc_history_write_finish (TC_HISTORY (object), result, NULL);
  *done = TRUE;
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  gboolean done = FALSE;

  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  test_run_main_loop_for (100);
  g_assert_finalize_object (f->tracker);
  tc_history_flush_async (f->history, NULL, flushed_cb, &done);
  test_wait_until (&done, 10);
  g_assert_finalize_object (f->history);
  g_clear_object (&f->store);
  g_clear_object (&f->session);
  g_remove (f->history_path);
  g_remove (f->accounts_path);
  g_rmdir (f->dir);
  g_free (f->history_path);
  g_free (f->accounts_path);
  g_free (f->dir);
}

static ImprintWindow *
open_demo (Fixture *f,
           int      width,
           int      height)
{
  f->window = imprint_window_new_full (NULL, f->store, f->session, NULL, f->history, f->tracker);
  gtk_window_set_default_size (GTK_WINDOW (f->window), width, height);
  gtk_window_present (GTK_WINDOW (f->window));
  test_wait_for_page (f->window, "welcome");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.demo", NULL));
  test_wait_for_page (f->window, "workspace");
  return f->window;
}

static void
screenshot (GtkWidget  *widget,
            const char *name)
{
  g_autofree char *path = NULL;

  test_run_main_loop_for (400);
  test_wait_for_frames (widget, 3);
  path = test_save_screenshot (widget, name);
}

static void
got_cb (GObject      *object,
        GAsyncResult *res,
        gpointer      user_data)
{
  GAsyncResult **result = user_data;

  *result = g_object_ref (res);
}

/* A stopped instance of the demo, fetched as the picker would. */
static TcInstance *
stopped_instance (ImprintWindow *window,
                  const char    *region)
{
  TcClient *client = imprint_window_get_client (window);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GListModel) instances = NULL;
  g_autoptr(GError) error = NULL;

  tc_cvm_list_instances_async (client, region, NULL, NULL, NULL, got_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  instances = tc_cvm_list_instances_finish (client, result, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (instances); i++) {
    g_autoptr(TcInstance) instance = g_list_model_get_item (instances, i);

    if (tc_instance_get_state (instance) == TC_INSTANCE_STATE_STOPPED)
      return g_steal_pointer (&instance);
  }
  g_assert_not_reached ();
}

static gboolean
label_is (GtkWidget *widget,
          gpointer   data)
{
  return g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), data) == 0;
}

static GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  return test_find_widget (root, GTK_TYPE_LABEL, label_is, (gpointer) text);
}

static gboolean
row_titled (GtkWidget *widget,
            gpointer   data)
{
  return ADW_IS_PREFERENCES_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

static gboolean
row_acts (GtkWidget *widget,
          gpointer   data)
{
  return g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), data) == 0;
}

static gboolean
history_row_of (GtkWidget *widget,
                gpointer   data)
{
  TcHistoryEntry *entry = imprint_history_row_get_entry (IMPRINT_HISTORY_ROW (widget));

  return entry != NULL && g_strcmp0 (tc_history_entry_get_record (entry)->image_name, data) == 0;
}

/* The History row of the image named @name, with its name label and its badge. */
static GtkWidget *
find_history_row (GtkWidget  *root,
                  const char *name,
                  GtkWidget **title,
                  GtkWidget **badge)
{
  GtkWidget *row = test_find_widget (root, IMPRINT_TYPE_HISTORY_ROW, history_row_of, (gpointer) name);

  g_assert_nonnull (row);
  *title = find_label (row, name);
  *badge = test_find_widget (row, IMPRINT_TYPE_STATE_BADGE, NULL, NULL);
  g_assert_nonnull (*title);
  g_assert_nonnull (*badge);
  return row;
}

/* Where @widget is inside @row, and whether its text is cut. */
static graphene_rect_t
bounds_in (GtkWidget *widget,
           GtkWidget *row)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (widget, row, &bounds));
  return bounds;
}

static gboolean
is_cut (GtkWidget *label)
{
  return pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (label)));
}

/* The history the window shows now: the demo's own while the demo runs. */
static TcHistory *
shown_history (Fixture *f)
{
  return imprint_history_page_get_history (imprint_window_get_history_page (f->window));
}

/* An entry as if recorded earlier: a check that the server refused, with text from it
 * that looks like markup. */
static TcHistoryEntry *
add_refused (Fixture    *f,
             TcInstance *instance,
             const char *region)
{
  g_autoptr(TcImageRequest) request = tc_image_request_new (tc_instance_get_id (instance),
                                                            "template-name", "from a template");
  TcHistoryEntry *entry;

  TcAccount *account = imprint_window_get_account (f->window);

  tc_image_request_add_tag (request, "team", "web");
  request->force_poweroff = TRUE;
  /* The account in use (the demo's), as the form records it. */
  entry = tc_history_entry_new_for_request (TC_HISTORY_KIND_CHECK, tc_account_get_id (account),
                                            tc_account_get_name (account), TC_PROTOCOL_API3, region,
                                            tc_instance_get_name (instance), request);
  tc_history_entry_edit (entry)->outcome = TC_HISTORY_OUTCOME_DRY_RUN_FAILED;
  tc_history_set_str (&tc_history_entry_edit (entry)->error_code, "InvalidImageName.Duplicate");
  tc_history_set_str (&tc_history_entry_edit (entry)->error_message, MARKUP_MESSAGE);
  tc_history_set_str (&tc_history_entry_edit (entry)->request_id, "req-0000-markup");
  tc_history_add_async (shown_history (f), entry, NULL, NULL, NULL);
  return entry;
}

static void
add_ready (Fixture    *f,
           const char *name,
           const char *region)
{
  g_autoptr(TcImageRequest) request = tc_image_request_new ("ins-old00001", name, NULL);
  g_autoptr(TcHistoryEntry) entry = NULL;

  entry = tc_history_entry_new_for_request (TC_HISTORY_KIND_CREATE, "production", "production", TC_PROTOCOL_API3,
                                            region, "db-primary", request);
  tc_history_entry_edit (entry)->created = g_get_real_time () - 26 * G_TIME_SPAN_HOUR;
  tc_history_entry_edit (entry)->outcome = TC_HISTORY_OUTCOME_READY;
  tc_history_set_str (&tc_history_entry_edit (entry)->image_id, "img-old0ready");
  tc_history_set_str (&tc_history_entry_edit (entry)->request_id, "req-old-ready");
  tc_history_add_async (shown_history (f), entry, NULL, NULL, NULL);
}

/* An entry of the account named @account, still being made (Creating) or ready. */
static void
add_made_by (Fixture          *f,
             const char       *name,
             const char       *account,
             TcHistoryOutcome  outcome)
{
  g_autoptr(TcImageRequest) request = tc_image_request_new ("ins-m8vcnjkn", name, NULL);
  g_autoptr(TcHistoryEntry) entry = NULL;

  entry = tc_history_entry_new_for_request (TC_HISTORY_KIND_CREATE, "prod-sh", account, TC_PROTOCOL_API3,
                                            "ap-guangzhou", "数据库-主-01", request);
  tc_history_entry_edit (entry)->outcome = outcome;
  if (outcome == TC_HISTORY_OUTCOME_READY)
    tc_history_set_str (&tc_history_entry_edit (entry)->image_id, "img-w0hflk1m");
  tc_history_add_async (shown_history (f), entry, NULL, NULL, NULL);
}

/* Tests */

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  ImprintWindow *window = open_demo (f, 900, 640);
  ImprintHistoryPage *page = imprint_window_get_history_page (window);

  g_assert_cmpstr (imprint_window_get_view (window), ==, "create");
  /* Ctrl+F goes to the History view's search. */
  g_assert_true (test_activate_shortcut (GTK_WIDGET (window), GDK_KEY_f, GDK_CONTROL_MASK));
  g_assert_cmpstr (imprint_window_get_view (window), ==, "history");
  g_assert_cmpstr (imprint_history_page_get_view (page), ==, "empty");
  g_assert_nonnull (find_label (GTK_WIDGET (page), "No Requests Yet"));
  /* Nothing to search or clear: neither shows. */
  g_assert_false (gtk_widget_get_visible (test_find_widget (GTK_WIDGET (page), GTK_TYPE_SEARCH_ENTRY, NULL, NULL)) &&
                  gtk_widget_get_mapped (test_find_widget (GTK_WIDGET (page), GTK_TYPE_SEARCH_ENTRY, NULL, NULL)));
  g_assert_false (gtk_widget_is_sensitive (test_find_widget (GTK_WIDGET (page), GTK_TYPE_BUTTON, NULL, NULL)));
  screenshot (GTK_WIDGET (window), "history-empty");

  /* Alt+3 shows the Images view, where Ctrl+F searches the images, not the History. */
  g_assert_true (test_activate_shortcut (GTK_WIDGET (window), GDK_KEY_3, GDK_ALT_MASK));
  g_assert_cmpstr (imprint_window_get_view (window), ==, "images");
  g_assert_true (test_activate_shortcut (GTK_WIDGET (window), GDK_KEY_f, GDK_CONTROL_MASK));
  g_assert_cmpstr (imprint_window_get_view (window), ==, "images");
}

static void
test_flow (Fixture       *f,
           gconstpointer  data)
{
  ImprintWindow *window = open_demo (f, 900, 700);
  ImprintHistoryPage *page = imprint_window_get_history_page (window);
  ImprintCreatePage *form = imprint_window_get_create_page (window);
  GListModel *shown = imprint_history_page_get_shown (page);
  const char *region = imprint_create_page_get_region (form);
  g_autoptr(TcInstance) instance = stopped_instance (window, region);
  g_autoptr(TcHistoryEntry) refused = NULL;
  TcHistoryEntry *created;
  GtkWindow *details;
  AdwMessageDialog *confirm;
  g_autofree char *created_image_id = NULL;

  g_assert_nonnull (form);
  g_assert_cmpstr (imprint_create_page_get_account_name (form), ==, "Demo");

  /* Requests sent from the form appear at once, newest first: a check, then the Create of
   * the same image, are one entry, which lists the check. */
  imprint_create_page_set_instance (form, instance);
  imprint_create_page_set_image_name (form, "web-golden");
  imprint_create_page_set_description (form, "nginx");
  test_wait_page_idle (form);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "create-page.check", NULL));
  test_wait_page_idle (form);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 1);
  created = g_list_model_get_item (shown, 0);
  g_object_unref (created);   /* the history keeps it */
  g_assert_cmpint (tc_history_entry_get_record (created)->outcome, ==, TC_HISTORY_OUTCOME_DRY_RUN_PASSED);
  g_assert_nonnull (tc_history_entry_get_record (created)->checks);
  g_assert_cmpuint (tc_history_entry_get_record (created)->checks->len, ==, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form), "create-page.create", NULL));
  test_wait_page_idle (form);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 1);
  g_assert_true (g_list_model_get_item (shown, 0) == (gpointer) created);
  g_object_unref (created);
  g_assert_cmpint (tc_history_entry_get_record (created)->kind, ==, TC_HISTORY_KIND_CREATE);
  g_assert_nonnull (tc_history_entry_get_record (created)->checks);
  g_assert_cmpuint (tc_history_entry_get_record (created)->checks->len, ==, 1);
  g_assert_cmpint (tc_history_entry_get_record (created)->outcome, ==, TC_HISTORY_OUTCOME_CREATING);
  /* The demo keeps its history apart: nothing reached the real one. */
  g_assert_true (shown_history (f) != f->history);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->history)), ==, 0);
  g_assert_cmpstr (tc_history_entry_get_record (created)->image_name, ==, "web-golden");
  created_image_id = g_strdup (tc_history_entry_get_record (created)->image_id);
  g_assert_nonnull (created_image_id);

  add_ready (f, "db-nightly", region);
  refused = add_refused (f, instance, region);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 3);

  imprint_window_set_view (window, "history");
  g_assert_cmpstr (imprint_history_page_get_view (page), ==, "list");
  /* Server text is plain text in the row too. */
  g_assert_nonnull (find_label (GTK_WIDGET (page), "template-name"));
  screenshot (GTK_WIDGET (window), "history-entries");
  /* Wide enough: the time and the badge stand beside the whole name. */
  {
    GtkWidget *title, *badge;
    GtkWidget *row = find_history_row (GTK_WIDGET (page), "db-nightly", &title, &badge);
    graphene_rect_t title_bounds = bounds_in (title, row);
    graphene_rect_t badge_bounds = bounds_in (badge, row);

    g_assert_false (is_cut (title));
    g_assert_cmpfloat (badge_bounds.origin.x, >, title_bounds.origin.x + title_bounds.size.width);
    /* The outcome in the shared badge, in its word and its tone. */
    g_assert_nonnull (find_label (badge, "Ready"));
    g_assert_true (gtk_widget_has_css_class (badge, "success"));
    /* The region by the console's name, not its code. */
    g_assert_cmpstr (region, ==, "ap-guangzhou");
    g_assert_nonnull (find_label (row, "db-primary (ins-old00001) · South China (Guangzhou) · production"));
    g_assert_false (is_cut (find_label (row, "db-primary (ins-old00001) · South China (Guangzhou) · production")));
  }

  /* Search: names, instance, ImageId, RequestId; no case. */
  imprint_history_page_set_search_text (page, "WEB-GOLDEN");
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 1);
  imprint_history_page_set_search_text (page, created_image_id);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 1);
  imprint_history_page_set_search_text (page, "req-old-ready");
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 1);
  imprint_history_page_set_search_text (page, "db-primary");
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 1);
  imprint_history_page_set_search_text (page, tc_instance_get_id (instance));
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 2);
  /* The code the API and the console's URLs use finds what the row names in words. */
  imprint_history_page_set_search_text (page, "AP-GUANGZHOU");
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 3);
  imprint_history_page_set_search_text (page, "nothing-like-this");
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 0);
  g_assert_cmpstr (imprint_history_page_get_view (page), ==, "no-results");
  imprint_history_page_set_search_text (page, "");
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 3);

  /* Details, as a toast's Details button or a notification opens them. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-history-entry", "s",
                                             tc_history_entry_get_record (refused)->id));
  details = imprint_history_page_get_details (page);
  g_assert_nonnull (details);
  g_assert_nonnull (find_label (GTK_WIDGET (details), MARKUP_MESSAGE));
  g_assert_false (gtk_label_get_use_markup (GTK_LABEL (find_label (GTK_WIDGET (details), MARKUP_MESSAGE))));
  g_assert_nonnull (find_label (GTK_WIDGET (details), "InvalidImageName.Duplicate"));
  g_assert_nonnull (find_label (GTK_WIDGET (details), tc_error_describe (TC_ERROR_NAME_TAKEN)));
  g_assert_nonnull (find_label (GTK_WIDGET (details), "req-0000-markup"));
  g_assert_nonnull (find_label (GTK_WIDGET (details), "team = web"));
  /* The region by name, its code under it to copy. */
  g_assert_nonnull (find_label (GTK_WIDGET (details), "South China (Guangzhou)"));
  g_assert_nonnull (find_label (GTK_WIDGET (details), "ap-guangzhou"));
  /* A check made no image: there is no Image ID to copy, and no greyed button saying so. */
  g_assert_null (test_find_widget (GTK_WIDGET (details), ADW_TYPE_ACTION_ROW, row_titled, "Copy _Image ID"));
  g_assert_nonnull (test_find_widget (GTK_WIDGET (details), ADW_TYPE_ACTION_ROW, row_titled, "Copy _Request ID"));
  screenshot (GTK_WIDGET (details), "history-details");
  /* It fits in the main window at its default size, and scrolls inside. */
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (details)), <=, 640);
  gtk_window_destroy (details);
  details = imprint_history_page_show_details (page, created);
  g_assert_nonnull (test_find_widget (GTK_WIDGET (details), ADW_TYPE_ACTION_ROW, row_titled, "Copy _Image ID"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (details), "details.copy-image-id", NULL));
  details = imprint_history_page_show_details (page, refused);

  /* Use as Template: the form is filled, the instance fetched again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (details), "details.use-as-template", NULL));
  g_assert_cmpstr (imprint_window_get_view (window), ==, "create");
  g_assert_cmpstr (imprint_create_page_get_image_name (form), ==, "template-name");
  g_assert_cmpstr (imprint_create_page_get_description (form), ==, "from a template");
  g_assert_true (imprint_create_page_get_force_poweroff (form));
  g_assert_cmpuint (imprint_create_page_get_n_tags (form), ==, 1);
  for (guint i = 0; i < 200 && imprint_create_page_get_instance (form) == NULL; i++)
    test_run_main_loop_for (20);
  g_assert_cmpstr (tc_instance_get_id (imprint_create_page_get_instance (form)), ==,
                   tc_instance_get_id (instance));
  test_run_main_loop_for (300);
  g_assert_null (imprint_history_page_get_details (page));

  /* Another account's request: its instance is not this account's, so the form is left as
   * it is (a toast says to switch accounts), rather than told the instance is gone. */
  {
    g_autoptr(TcImageRequest) request = tc_image_request_new (tc_instance_get_id (instance),
                                                              "other-account-template", NULL);
    g_autoptr(TcHistoryEntry) other = tc_history_entry_new_for_request (TC_HISTORY_KIND_CHECK,
                                                                       "another-account-id", "Another",
                                                                       TC_PROTOCOL_API3, region,
                                                                       NULL, request);

    tc_history_add_async (shown_history (f), other, NULL, NULL, NULL);
    imprint_window_set_view (window, "history");
    details = imprint_history_page_show_details (page, other);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (details), "details.use-as-template", NULL));
    test_run_main_loop_for (100);
    g_assert_cmpstr (imprint_window_get_view (window), ==, "history");
    g_assert_cmpstr (imprint_create_page_get_image_name (form), ==, "template-name");
    if (imprint_history_page_get_details (page) != NULL)
      gtk_window_destroy (imprint_history_page_get_details (page));
    details = imprint_history_page_show_details (page, other);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (details), "details.remove", NULL));
  }

  /* Remove one. */
  details = imprint_history_page_show_details (page, refused);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (details), "details.remove", NULL));
  g_assert_null (tc_history_find_by_id (shown_history (f), tc_history_entry_get_record (refused)->id));
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 2);

  /* Clear all, after saying so. */
  imprint_window_set_view (window, "history");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "history-page.clear", NULL));
  test_run_main_loop_for (100);
  confirm = test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (confirm);
  g_assert_cmpstr (adw_message_dialog_get_heading (confirm), ==, "Clear History?");
  /* Its two answers, side by side, each with its own Alt+letter. */
  test_wait_for_frames (GTK_WIDGET (confirm), 1);
  test_assert_mnemonics_unique (GTK_WIDGET (confirm));
  adw_message_dialog_response (confirm, "cancel");
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 2);
  test_run_main_loop_for (100);
  /* Cleared while a search finds nothing: the view is empty then, not "no results". */
  imprint_history_page_set_search_text (page, "nothing-like-this");
  g_assert_cmpstr (imprint_history_page_get_view (page), ==, "no-results");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "history-page.clear", NULL));
  test_run_main_loop_for (100);
  confirm = test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  adw_message_dialog_response (confirm, "clear");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (shown_history (f))), ==, 0);
  g_assert_cmpstr (imprint_history_page_get_view (page), ==, "empty");
  imprint_history_page_set_search_text (page, "");
  /* The form's Recent Images follow the history. */
  g_assert_cmpuint (imprint_create_page_get_n_recent (form), ==, 0);
}

static void
test_narrow (Fixture       *f,
             gconstpointer  data)
{
  ImprintWindow *window = open_demo (f, 360, 640);
  ImprintCreatePage *form = imprint_window_get_create_page (window);
  GtkWidget *title, *badge, *row, *banner, *account, *region, *subtitle;
  GtkWindow *details;
  graphene_rect_t title_bounds, badge_bounds, subtitle_bounds;

  add_ready (f, "a-name-that-takes-the-whole-row", imprint_create_page_get_region (form));
  add_ready (f, "from-atlantis", "ap-atlantis");
  imprint_window_set_view (window, "history");
  screenshot (GTK_WIDGET (window), "history-narrow");
  /* The name gets the room: the time and the badge move under it, and it is not cut. */
  row = find_history_row (GTK_WIDGET (window), "a-name-that-takes-the-whole-row", &title, &badge);
  title_bounds = bounds_in (title, row);
  badge_bounds = bounds_in (badge, row);
  g_assert_false (is_cut (title));
  g_assert_cmpfloat (badge_bounds.origin.y, >=, title_bounds.origin.y + title_bounds.size.height);
  g_assert_cmpfloat (badge_bounds.origin.x, <, title_bounds.origin.x + title_bounds.size.width);
  /* A short name: the time and the badge end its line, and the instance's line under it has
   * the whole width. */
  row = find_history_row (GTK_WIDGET (window), "from-atlantis", &title, &badge);
  title_bounds = bounds_in (title, row);
  badge_bounds = bounds_in (badge, row);
  g_assert_cmpfloat (badge_bounds.origin.x, >, title_bounds.origin.x + title_bounds.size.width);
  subtitle = find_label (row, "db-primary (ins-old00001) · ap-atlantis · production");
  g_assert_nonnull (subtitle);
  subtitle_bounds = bounds_in (subtitle, row);
  g_assert_cmpfloat (subtitle_bounds.origin.y, >=, badge_bounds.origin.y + badge_bounds.size.height);
  g_assert_cmpfloat (subtitle_bounds.size.width, ==, gtk_widget_get_width (row));
  /* A region Imprint has no name for is shown by its code, in the row as above and in the
   * details, and only once there. */
  details = imprint_history_page_show_details (imprint_window_get_history_page (window),
                                               imprint_history_row_get_entry (IMPRINT_HISTORY_ROW (row)));
  region = find_label (GTK_WIDGET (details), "ap-atlantis");
  g_assert_nonnull (region);
  g_assert_true (gtk_widget_get_next_sibling (region) == NULL);
  /* A ready image of API 3.0 with a RequestId: Copy Request ID and Copy to Regions are
   * shown together, and each needs its own Alt+letter. */
  g_assert_nonnull (test_find_widget (GTK_WIDGET (details), ADW_TYPE_ACTION_ROW, row_titled, "Copy _Request ID"));
  g_assert_nonnull (test_find_widget (GTK_WIDGET (details), ADW_TYPE_ACTION_ROW, row_acts,
                                      "details.copy-to-regions"));
  test_wait_for_frames (GTK_WIDGET (details), 1);
  test_assert_mnemonics_unique (GTK_WIDGET (details));
  gtk_window_destroy (details);
  /* The demo's banner takes two lines at most; the account button shows its name whole or
   * not at all (its icon), never "…". */
  banner = find_label (GTK_WIDGET (window), "Demo: a simulated cloud. Nothing here is real.");
  g_assert_nonnull (banner);
  g_assert_cmpint (pango_layout_get_line_count (gtk_label_get_layout (GTK_LABEL (banner))), <=, 2);
  account = find_label (GTK_WIDGET (window), "Demo");
  g_assert_nonnull (account);
  g_assert_true (!gtk_widget_get_mapped (account) || !is_cut (account));
  /* At 360 pixels the switcher moves to the bottom bar. */
  g_assert_true (gtk_widget_get_visible (test_find_widget (GTK_WIDGET (window), ADW_TYPE_VIEW_SWITCHER_BAR, NULL, NULL)));
  g_assert_true (adw_view_switcher_bar_get_reveal (ADW_VIEW_SWITCHER_BAR (test_find_widget (GTK_WIDGET (window), ADW_TYPE_VIEW_SWITCHER_BAR, NULL, NULL))));

  /* The region and the account are never cut: the line under the name wraps, whether the
   * time and the badge end the name's line or lead the next. */
  for (guint i = 0; i < 2; i++) {
    const char *name = i == 0 ? "db-primary-golden-2" : "db-primary-golden";
    const char *text = "数据库-主-01 (ins-m8vcnjkn) · South China (Guangzhou) · Production Shanghai ops team";
    GtkWidget *wrapped, *made, *made_title, *made_badge;
    graphene_rect_t bounds, beside;
    int needed;

    add_made_by (f, name, "Production Shanghai ops team",
                 i == 0 ? TC_HISTORY_OUTCOME_READY : TC_HISTORY_OUTCOME_CREATING);
    test_wait_for_frames (GTK_WIDGET (window), 3);
    made = find_history_row (GTK_WIDGET (window), name, &made_title, &made_badge);
    wrapped = find_label (made, text);
    g_assert_nonnull (wrapped);
    g_assert_false (is_cut (wrapped));
    gtk_widget_measure (wrapped, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (wrapped), &needed, NULL, NULL, NULL);
    g_assert_cmpint (gtk_widget_get_height (wrapped), >=, needed);
    bounds = bounds_in (wrapped, made);
    g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (made));
    g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (made));
    /* Nothing overlaps it: not the name, not the time and the badge. */
    g_assert_cmpfloat (bounds.origin.y, >=, bounds_in (made_title, made).origin.y + bounds_in (made_title, made).size.height);
    beside = bounds_in (made_badge, made);
    g_assert_false (graphene_rect_intersection (&bounds, &beside, NULL));
  }
  /* The list is as tall as its rows are at its width: the last is not squeezed. */
  row = find_history_row (GTK_WIDGET (window), "a-name-that-takes-the-whole-row", &title, &badge);
  title_bounds = bounds_in (row, gtk_widget_get_ancestor (row, GTK_TYPE_LIST_VIEW));
  g_assert_cmpfloat (title_bounds.origin.y + title_bounds.size.height, <=,
                     gtk_widget_get_height (gtk_widget_get_ancestor (row, GTK_TYPE_LIST_VIEW)));
  g_assert_true (gtk_widget_get_mapped (badge));
  badge_bounds = bounds_in (badge, row);
  g_assert_cmpfloat (badge_bounds.origin.y + badge_bounds.size.height, <=, gtk_widget_get_height (row));
  screenshot (GTK_WIDGET (window), "history-narrow-wrapped");
}

static gboolean
shows_other (GtkWidget *widget,
                 gpointer   data)
{
  TcHistoryEntry *entry = imprint_history_row_get_entry (IMPRINT_HISTORY_ROW (widget));

  return entry != NULL && !g_str_has_prefix (tc_history_entry_get_record (entry)->image_name, data);
}

/* No row shows an entry whose name does not start with @prefix; how many entries are listed. */
static guint
count_rows (GtkWidget  *root,
            const char *prefix)
{
  GListModel *shown = imprint_history_page_get_shown (imprint_window_get_history_page (IMPRINT_WINDOW (root)));

  g_assert_null (test_find_widget (root, IMPRINT_TYPE_HISTORY_ROW, shows_other, (gpointer) prefix));
  return g_list_model_get_n_items (shown);
}

static void
test_long (Fixture       *f,
           gconstpointer  data)
{
  ImprintWindow *window = open_demo (f, 900, 640);
  ImprintHistoryPage *page = imprint_window_get_history_page (window);
  GtkWidget *list = test_find_widget (GTK_WIDGET (page), GTK_TYPE_LIST_VIEW, NULL, NULL);
  GtkAdjustment *scroll = gtk_scrolled_window_get_vadjustment (
    GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (list, GTK_TYPE_SCROLLED_WINDOW)));
  GListModel *shown = imprint_history_page_get_shown (page);
  GtkWidget *title, *badge;
  guint n;

  for (guint i = 0; i < 300; i++) {
    g_autofree char *name = g_strdup_printf ("long-%u", i);
    g_autoptr(TcImageRequest) request = tc_image_request_new ("ins-old00001", name, NULL);
    g_autoptr(TcHistoryEntry) entry =
      tc_history_entry_new_for_request (TC_HISTORY_KIND_CREATE, "production", "production",
                                        TC_PROTOCOL_API3, "ap-guangzhou", "db-primary", request);

    tc_history_entry_edit (entry)->created = g_get_real_time () - (300 - i) * G_TIME_SPAN_MINUTE;
    tc_history_entry_edit (entry)->outcome = TC_HISTORY_OUTCOME_READY;
    tc_history_add_async (shown_history (f), entry, NULL, NULL, NULL);
  }
  imprint_window_set_view (window, "history");
  test_wait_for_frames (GTK_WIDGET (window), 5);

  /* The newest first, and only a part of the 300: what fills the view and a screenful
   * more. */
  find_history_row (GTK_WIDGET (window), "long-299", &title, &badge);
  g_assert_true (gtk_widget_get_mapped (title));
  n = g_list_model_get_n_items (shown);
  g_assert_cmpuint (n, <, 300);
  g_assert_cmpfloat (gtk_adjustment_get_upper (scroll), >=, 2 * gtk_adjustment_get_page_size (scroll));

  /* Scrolled down, it lists more, until the oldest has a row. */
  for (guint frames = 0; g_list_model_get_n_items (shown) < 300 && frames < 600; frames++) {
    gtk_adjustment_set_value (scroll, gtk_adjustment_get_upper (scroll));
    test_wait_for_frames (GTK_WIDGET (window), 1);
  }
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 300);
  for (guint i = 0; i < 3; i++) {
    gtk_adjustment_set_value (scroll, gtk_adjustment_get_upper (scroll));
    test_wait_for_frames (GTK_WIDGET (window), 2);
  }
  find_history_row (GTK_WIDGET (window), "long-0", &title, &badge);
  g_assert_true (gtk_widget_get_mapped (title));

  /* A search lists its first matches from the top, in the rows there are: none shows an
   * entry the search does not find. */
  imprint_history_page_set_search_text (page, "long-1");
  test_wait_for_frames (GTK_WIDGET (window), 3);
  n = count_rows (GTK_WIDGET (window), "long-1");
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpuint (n, <, 111);
  find_history_row (GTK_WIDGET (window), "long-199", &title, &badge);
  g_assert_true (gtk_widget_get_mapped (title));
  imprint_history_page_set_search_text (page, "long-12");
  test_wait_for_frames (GTK_WIDGET (window), 3);
  g_assert_cmpuint (count_rows (GTK_WIDGET (window), "long-12"), ==, 11);
  find_history_row (GTK_WIDGET (window), "long-12", &title, &badge);
  find_history_row (GTK_WIDGET (window), "long-129", &title, &badge);
  g_assert_true (gtk_widget_get_mapped (title));

  /* Cleared, the newest are back on top. */
  imprint_history_page_set_search_text (page, "");
  test_wait_for_frames (GTK_WIDGET (window), 3);
  find_history_row (GTK_WIDGET (window), "long-299", &title, &badge);
  g_assert_true (gtk_widget_get_mapped (title));
  g_assert_cmpuint (g_list_model_get_n_items (shown), <, 300);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  test_ui_tolerate_toolkit_warnings ();
  adw_init ();
  test_ui_load_app_style ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, setup, func, teardown)
  ADD ("/imprint/history-page/empty", test_empty);
  ADD ("/imprint/history-page/flow", test_flow);
  ADD ("/imprint/history-page/narrow", test_narrow);
  ADD ("/imprint/history-page/long", test_long);
#undef ADD

  return g_test_run ();
}
