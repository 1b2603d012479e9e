/* test-window.c: the application starts and shows its window; the demo can be left
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "imprint-application.h"
#include "imprint-history-page.h"
#include "imprint-window.h"
#include "tc-cvm.h"
#include "test-ui-util.h"
#include "test-util.h"

static gboolean
inspect_cb (gpointer user_data)
{
  GApplication *app = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  g_assert_true (IMPRINT_IS_WINDOW (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window)));
  g_assert_cmpstr (gtk_window_get_title (window), ==, "Imprint");
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "about"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "quit"));

  /* The primary menu's Quit ends the application. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

static void
activate_cb (GApplication *app)
{
  g_timeout_add (300, inspect_cb, app);
}

static void
test_window_shows (void)
{
  g_autoptr(ImprintApplication) app = imprint_application_new (APPLICATION_ID);
  char *argv[] = { (char *) "imprint", NULL };

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (activate_cb), NULL);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 1, argv), ==, 0);
}

/* Quit closes the windows, but while a request is still out (a Create sent, say) the
 * application runs on until it is answered, so that its History entry is written. */
static gboolean
release_cb (gpointer user_data)
{
  gboolean *released = user_data;

  *released = TRUE;
  imprint_application_release_request ();
  return G_SOURCE_REMOVE;
}

static gboolean
quit_while_sending_cb (gpointer user_data)
{
  GApplication *app = user_data;
  gboolean *released = g_object_get_data (G_OBJECT (app), "released");

  imprint_application_hold_request ();
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));
  g_timeout_add (500, release_cb, released);
  return G_SOURCE_REMOVE;
}

static void
quit_while_sending_activate_cb (GApplication *app)
{
  g_timeout_add (300, quit_while_sending_cb, app);
}

static void
test_quit_while_sending (void)
{
  g_autoptr(ImprintApplication) app = imprint_application_new (APPLICATION_ID);
  char *argv[] = { (char *) "imprint", NULL };
  gboolean released = FALSE;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_object_set_data (G_OBJECT (app), "released", &released);
  g_signal_connect_after (app, "activate", G_CALLBACK (quit_while_sending_activate_cb), NULL);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 1, argv), ==, 0);
  g_assert_true (released);
}

/* A window on an empty account store and a history of its own, as the application makes. */
typedef struct {
  char           *dir;
  char           *history_path;
  char           *accounts_path;
  TcAccountStore *store;
  SoupSession    *session;
  TcHistory      *history;
  TcImageTracker *tracker;
  ImprintWindow  *window;
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

  f->dir = g_dir_make_tmp ("imprint-window-XXXXXX", &error);
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
  f->window = imprint_window_new_full (NULL, f->store, f->session, NULL, f->history, f->tracker);
  /* A width in @data: the window starts that wide. */
  if (GPOINTER_TO_INT (data) > 0)
    gtk_window_set_default_size (GTK_WINDOW (f->window), GPOINTER_TO_INT (data), 640);
  gtk_window_present (GTK_WINDOW (f->window));
  test_wait_for_page (f->window, "welcome");
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

static void
got_cb (GObject      *object,
        GAsyncResult *res,
        gpointer      user_data)
{
  GAsyncResult **result = user_data;

  *result = g_object_ref (res);
}

/* Tries the demo and asks for an image, which the demo takes a while to make; returns its
 * entry in the demo's history, still Creating. */
static TcHistoryEntry *
demo_image (Fixture    *f,
            const char *name)
{
  ImprintCreatePage *page;
  TcClient *client;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GListModel) instances = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcHistoryEntry) entry = NULL;
  TcHistory *demo_history;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.demo", NULL));
  test_wait_for_page (f->window, "workspace");
  g_assert_true (imprint_window_is_demo (f->window));
  page = imprint_window_get_create_page (f->window);
  client = imprint_window_get_client (f->window);

  tc_cvm_list_instances_async (client, imprint_create_page_get_region (page), NULL, NULL, NULL,
                               got_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  instances = tc_cvm_list_instances_finish (client, result, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (instances); i++) {
    g_autoptr(TcInstance) instance = g_list_model_get_item (instances, i);

    if (tc_instance_get_state (instance) == TC_INSTANCE_STATE_STOPPED) {
      imprint_create_page_set_instance (page, instance);
      break;
    }
  }
  imprint_create_page_set_image_name (page, name);
  test_wait_page_idle (page);
  g_assert_null (imprint_create_page_get_problem (page));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "create-page.create", NULL));
  test_wait_page_idle (page);
  g_assert_cmpuint (imprint_create_page_get_n_recent (page), ==, 1);

  demo_history = imprint_create_page_get_history (page);
  g_assert_true (demo_history != f->history);
  entry = g_list_model_get_item (G_LIST_MODEL (demo_history), 0);
  g_assert_cmpstr (tc_history_entry_get_record (entry)->image_name, ==, name);
  g_assert_cmpint (tc_history_entry_get_record (entry)->outcome, ==, TC_HISTORY_OUTCOME_CREATING);
  return g_steal_pointer (&entry);
}

/* Leave Demo ends it cleanly, from the banner or the account menu: back to where the user
 * was (here the welcome page), the real history in view, and the image the demo was still
 * making recorded nowhere, least of all as failed. */
static void
test_leave_demo (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(TcHistoryEntry) entry = NULL;

  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.leave-demo", NULL) &&
                  imprint_window_is_demo (f->window));
  entry = demo_image (f, "left-with-the-demo");
  g_free (test_save_screenshot (GTK_WIDGET (f->window), "window-demo-banner"));
  test_assert_mnemonics_unique (GTK_WIDGET (f->window));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.leave-demo", NULL));
  test_wait_for_page (f->window, "welcome");
  g_assert_false (imprint_window_is_demo (f->window));
  g_assert_null (imprint_window_get_create_page (f->window));
  g_assert_true (imprint_history_page_get_history (imprint_window_get_history_page (f->window)) ==
                 f->history);

  test_run_main_loop_for (1000);
  g_assert_cmpint (tc_history_entry_get_record (entry)->outcome, !=, TC_HISTORY_OUTCOME_FAILED);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->history)), ==, 0);
  g_assert_cmpuint (tc_image_tracker_get_n_following (f->tracker), ==, 0);

  /* The demo can be tried again, and starts afresh. */
  g_clear_object (&entry);
  entry = demo_image (f, "second-demo");
}

/* Closing the window (as Quit does) during the demo ends it the same way. */
static void
test_quit_during_demo (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(TcHistoryEntry) entry = demo_image (f, "quit-with-the-demo");

  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
  test_run_main_loop_for (1000);
  g_assert_cmpint (tc_history_entry_get_record (entry)->outcome, !=, TC_HISTORY_OUTCOME_FAILED);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->history)), ==, 0);
}

/* Toasts */

static gboolean
label_is (GtkWidget *widget,
          gpointer   text)
{
  return g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static graphene_rect_t
bounds_in_window (GtkWidget *widget,
                  GtkWidget *window)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (widget, window, &bounds));
  return bounds;
}

/* Raises a toast saying @text in the view shown and waits until it has risen; returns the
 * label that shows the text, in its toast. */
static GtkWidget *
raise_toast (Fixture    *f,
             const char *text)
{
  GtkWidget *label;

  imprint_window_show_toast (f->window, text);
  test_run_main_loop_for (500);
  test_wait_for_frames (GTK_WIDGET (f->window), 3);
  label = test_find_widget (GTK_WIDGET (f->window), GTK_TYPE_LABEL, label_is, (gpointer) text);
  g_assert_nonnull (label);
  return label;
}

/* The toast @label is in: gone, and the next one may come. */
static void
dismiss_toast (GtkWidget *label)
{
  GtkWidget *toast_widget = label;
  g_autoptr(AdwToast) toast = NULL;

  while (toast_widget != NULL && !g_str_equal (G_OBJECT_TYPE_NAME (toast_widget), "AdwToastWidget"))
    toast_widget = gtk_widget_get_parent (toast_widget);
  g_assert_nonnull (toast_widget);
  g_object_get (toast_widget, "toast", &toast, NULL);
  adw_toast_dismiss (toast);
  test_run_main_loop_for (500);
}

/* Some sentences exist only as a toast (a copy that failed, the server's words): each is
 * read whole, on as many lines as it takes, at 360 px as at the default width, in every
 * view. */
static void
test_toasts_read_whole (Fixture       *f,
                        gconstpointer  data)
{
  const char *views[] = { "create", "history", "images" };
  const char *text = "No answer came back for the copies of “web-golden-2024”, so they may be "
                     "being made. Imprint looks for them; the History will say how it ended.";

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.demo", NULL));
  test_wait_for_page (f->window, "workspace");

  for (guint i = 0; i < G_N_ELEMENTS (views); i++) {
    GtkWidget *label;
    graphene_rect_t bounds;
    int needed;

    imprint_window_set_view (f->window, views[i]);
    label = raise_toast (f, text);
    if (i == 0) {
      g_autofree char *name = g_strdup_printf ("window-toast-%d", GPOINTER_TO_INT (data));

      g_free (test_save_screenshot (GTK_WIDGET (f->window), name));
    }
    g_assert_true (gtk_widget_get_mapped (label));
    g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (label))));
    /* Given the height all its lines take at its width, and inside the window. */
    gtk_widget_measure (label, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (label),
                        &needed, NULL, NULL, NULL);
    g_assert_cmpint (gtk_widget_get_height (label), >=, needed);
    bounds = bounds_in_window (label, GTK_WIDGET (f->window));
    g_assert_cmpfloat (bounds.origin.x, >=, 0);
    g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (GTK_WIDGET (f->window)));
    dismiss_toast (label);
  }
}

static gboolean
is_delete_button (GtkWidget *widget,
                  gpointer   data)
{
  return g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), "_Delete…") == 0;
}

/* At 360 px the views' switcher is a bar at the bottom, and the Images view has its own bar
 * of actions: a toast rises above both, as in other GNOME apps, and never hides them. */
static void
test_toasts_above_bars (Fixture       *f,
                        gconstpointer  data)
{
  const char *views[] = { "history", "images" };
  GtkWidget *switcher = test_find_widget (GTK_WIDGET (f->window), ADW_TYPE_VIEW_SWITCHER_BAR, NULL, NULL);

  /* The welcome page has no views to switch between. */
  g_assert_nonnull (switcher);
  g_assert_false (adw_view_switcher_bar_get_reveal (ADW_VIEW_SWITCHER_BAR (switcher)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.demo", NULL));
  test_wait_for_page (f->window, "workspace");

  for (guint i = 0; i < G_N_ELEMENTS (views); i++) {
    GtkWidget *label, *delete_button;
    graphene_rect_t toast, bar;

    imprint_window_set_view (f->window, views[i]);
    label = raise_toast (f, "1 image deleted");
    if (i == 1)
      g_free (test_save_screenshot (GTK_WIDGET (f->window), "window-toast-above-bars"));
    toast = bounds_in_window (label, GTK_WIDGET (f->window));
    g_assert_true (adw_view_switcher_bar_get_reveal (ADW_VIEW_SWITCHER_BAR (switcher)));
    bar = bounds_in_window (switcher, GTK_WIDGET (f->window));
    g_assert_cmpfloat (toast.origin.y + toast.size.height, <=, bar.origin.y);
    delete_button = test_find_widget (GTK_WIDGET (f->window), GTK_TYPE_BUTTON, is_delete_button, NULL);
    g_assert_nonnull (delete_button);
    if (gtk_widget_get_mapped (delete_button)) {
      bar = bounds_in_window (gtk_widget_get_ancestor (delete_button, GTK_TYPE_ACTION_BAR),
                              GTK_WIDGET (f->window));
      g_assert_cmpfloat (toast.origin.y + toast.size.height, <=, bar.origin.y);
    }
    dismiss_toast (label);
  }
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  test_ui_tolerate_toolkit_warnings ();
  adw_init ();
  test_ui_load_app_style ();

  g_test_add_func ("/imprint/window/shows", test_window_shows);
  g_test_add_func ("/imprint/window/quit-while-sending", test_quit_while_sending);
  g_test_add ("/imprint/window/leave-demo", Fixture, NULL, setup, test_leave_demo, teardown);
  g_test_add ("/imprint/window/quit-during-demo", Fixture, NULL, setup, test_quit_during_demo, teardown);
  g_test_add ("/imprint/window/toasts-read-whole/360", Fixture, GINT_TO_POINTER (360), setup,
              test_toasts_read_whole, teardown);
  g_test_add ("/imprint/window/toasts-read-whole/900", Fixture, GINT_TO_POINTER (900), setup,
              test_toasts_read_whole, teardown);
  g_test_add ("/imprint/window/toasts-above-bars", Fixture, GINT_TO_POINTER (360), setup,
              test_toasts_above_bars, teardown);

  return g_test_run ();
}
