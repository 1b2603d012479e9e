/* test-images-page.c: the Images view against the simulator, in a real window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The simulator listens on a loopback port in this process's main context and starts with
 * three custom images in ap-guangzhou. Each test puts the page in a window and does what a
 * person does: reads the list and the quota, searches, sorts, ticks images and deletes them
 * (a dry run first, then the dialog), and meets what cannot be done — an image still being
 * made, a server that refuses, a legacy account.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "imprint-copy-dialog-private.h"
#include "imprint-image-row.h"
#include "imprint-images-page-private.h"
#include "imprint-state-badge.h"
#include "sim-server.h"
#include "tc-client-private.h"
#include "tc-cvm.h"
#include "tc-image-tracker.h"
#include "tc-json-reader.h"
#include "test-ui-util.h"
#include "test-util.h"

#define REGION "ap-guangzhou"

typedef struct {
  SimServer         *sim;
  char              *url;
  TcClient          *client;
  GtkWidget         *window;
  ImprintImagesPage *page;
  GPtrArray         *toasts;
  guint              n_changed;
} Fixture;

static void
toast_cb (ImprintImagesPage *page,
          const char        *text,
          Fixture           *fixture)
{
  g_ptr_array_add (fixture->toasts, g_strdup (text));
}

static void
changed_cb (ImprintImagesPage *page,
            Fixture           *fixture)
{
  fixture->n_changed++;
}

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  TcProtocol protocol = GPOINTER_TO_INT (data);
  g_autoptr(TcCredentials) creds = tc_credentials_new (SIM_DEFAULT_SECRET_ID, SIM_DEFAULT_SECRET_KEY, NULL);
  g_autoptr(GError) error = NULL;

  fixture->sim = sim_server_new (7, 30);
  sim_server_set_quota (fixture->sim, 20);
  g_assert_true (sim_server_listen (fixture->sim, 0, &error));
  g_assert_no_error (error);
  fixture->url = sim_server_get_url (fixture->sim);

  fixture->client = tc_client_new (NULL, protocol, creds);
  test_client_point_at (fixture->client, fixture->url);
  tc_client_set_retry (fixture->client, 2, 5);
  tc_client_set_deadline (fixture->client, 20);
  tc_client_set_language (fixture->client, "en-US");

  fixture->toasts = g_ptr_array_new_with_free_func (g_free);
  fixture->page = g_object_new (IMPRINT_TYPE_IMAGES_PAGE, NULL);
  g_object_ref_sink (fixture->page);
  g_signal_connect (fixture->page, "toast", G_CALLBACK (toast_cb), fixture);
  g_signal_connect (fixture->page, "images-changed", G_CALLBACK (changed_cb), fixture);
  imprint_images_page_set_client (fixture->page, fixture->client);
  imprint_images_page_set_region (fixture->page, REGION);

  fixture->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 900, 640);
  gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (fixture->page));
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_finalize_object (fixture->page);
  g_clear_object (&fixture->client);
  sim_server_disconnect (fixture->sim);
  g_clear_object (&fixture->sim);
  g_clear_pointer (&fixture->url, g_free);
  g_clear_pointer (&fixture->toasts, g_ptr_array_unref);
}

static gboolean
listed (gpointer data)
{
  Fixture *fixture = data;
  const char *view = imprint_images_page_get_view (fixture->page);

  return imprint_images_page_get_quota_text (fixture->page) != NULL &&
         (g_strcmp0 (view, "list") == 0 || g_strcmp0 (view, "empty") == 0 ||
          g_strcmp0 (view, "error") == 0);
}

static void
show (Fixture *fixture)
{
  gtk_window_present (GTK_WINDOW (fixture->window));
  test_wait_for (listed, fixture);
}

static char *
name_at (Fixture *fixture,
         guint    position)
{
  g_autoptr(TcImage) image = g_list_model_get_item (imprint_images_page_get_shown (fixture->page),
                                                    position);

  return image ? g_strdup (tc_image_get_name (image)) : NULL;
}

static char *
id_named (Fixture    *fixture,
          const char *name)
{
  GListModel *shown = imprint_images_page_get_shown (fixture->page);

  for (guint i = 0; i < g_list_model_get_n_items (shown); i++) {
    g_autoptr(TcImage) image = g_list_model_get_item (shown, i);

    if (g_strcmp0 (tc_image_get_name (image), name) == 0)
      return g_strdup (tc_image_get_id (image));
  }
  return NULL;
}

static gboolean
label_contains (GtkWidget *widget,
                gpointer   data)
{
  return strstr (gtk_label_get_text (GTK_LABEL (widget)), data) != NULL;
}

static gboolean
button_labelled (GtkWidget *widget,
                 gpointer   data)
{
  return g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0;
}

static gboolean
tooltip_is (GtkWidget *widget,
            gpointer   data)
{
  return g_strcmp0 (gtk_widget_get_tooltip_text (widget), data) == 0;
}

/* As a click on one of its buttons: the answer, then the dialog closes. */
static void
respond (AdwMessageDialog *dialog,
         const char       *response)
{
  adw_message_dialog_response (dialog, response);
  if (test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) == dialog)
    gtk_window_destroy (GTK_WINDOW (dialog));
}

static gboolean
dialog_or_problem (gpointer data)
{
  Fixture *fixture = data;

  return test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL || imprint_images_page_get_problem (fixture->page) != NULL;
}

static gboolean
problem_shown (gpointer data)
{
  Fixture *fixture = data;

  return imprint_images_page_get_problem (fixture->page) != NULL;
}

/* The dry run answered: the dialog asks, or the page says why not. */
static void
wait_dry_run (Fixture *fixture)
{
  test_wait_for (dialog_or_problem, fixture);
  g_assert_cmpstr (imprint_images_page_get_problem (fixture->page), ==, NULL);
}

static gboolean
toasted (gpointer data)
{
  Fixture *fixture = data;

  g_assert_cmpstr (imprint_images_page_get_problem (fixture->page), ==, NULL);
  return fixture->toasts->len > 0 && listed (fixture) &&
         strstr (imprint_images_page_get_quota_text (fixture->page), "2 of") != NULL;
}

typedef struct {
  Fixture *fixture;
  guint    n;
} Count;

static gboolean
count_is (gpointer data)
{
  Count *count = data;

  return g_list_model_get_n_items (imprint_images_page_get_shown (count->fixture->page)) == count->n;
}

/* Types @text into the search, and waits until @n images are shown (the entry waits a
 * moment after the last key, as it does for a person). */
static void
search (Fixture    *fixture,
        const char *text,
        guint       n)
{
  Count count = { fixture, n };

  gtk_editable_set_text (GTK_EDITABLE (test_find_widget (GTK_WIDGET (fixture->page),
                                                         GTK_TYPE_SEARCH_ENTRY, NULL, NULL)),
                         text);
  test_wait_for (count_is, &count);
  test_wait_for_frames (fixture->window, 1);
}

/* The region's images, newest first, with the quota; search and sort work in place. */
static void
test_list_search_sort (Fixture       *fixture,
                       gconstpointer  data)
{
  GListModel *shown = imprint_images_page_get_shown (fixture->page);
  g_autofree char *first = NULL, *last = NULL, *by_name = NULL;
  GtkWidget *button, *popover;

  show (fixture);
  g_assert_cmpstr (imprint_images_page_get_view (fixture->page), ==, "list");
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 3);
  first = name_at (fixture, 0);
  last = name_at (fixture, 2);
  g_assert_cmpstr (first, ==, "数据库模板");
  g_assert_cmpstr (last, ==, "base-image");
  g_assert_cmpstr (imprint_images_page_get_quota_text (fixture->page), ==,
                   "3 of 20 custom images used in South China (Guangzhou)");

  /* The bar says what ticking is for, both Delete… and Copy to Regions…, on one line where
   * the bar has the room. */
  {
    GtkWidget *hint = test_find_widget (GTK_WIDGET (fixture->page), GTK_TYPE_LABEL, label_contains,
                                        (gpointer) "Tick images to copy or delete");

    g_assert_nonnull (hint);
    test_wait_for_frames (fixture->window, 2);
    g_assert_true (gtk_widget_get_mapped (hint));
    g_assert_cmpint (pango_layout_get_line_count (gtk_label_get_layout (GTK_LABEL (hint))), ==, 1);
  }

  /* Case does not matter; names, IDs and systems are searched. */
  search (fixture, "GOLDEN", 1);
  search (fixture, "no such image", 0);
  g_assert_cmpstr (imprint_images_page_get_view (fixture->page), ==, "no-results");
  search (fixture, "", 3);

  /* The Sort menu, open: its items each have their own Alt+letter. The menu is a popover,
   * with mnemonics of its own, so it is checked as it is shown. */
  button = test_find_widget (GTK_WIDGET (fixture->page), GTK_TYPE_MENU_BUTTON, tooltip_is, "Sort Images");
  g_assert_nonnull (button);
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button)));
  g_assert_true (GTK_IS_POPOVER_MENU (popover));
  test_wait_for_frames (popover, 1);
  test_assert_mnemonics_unique (popover);
  gtk_menu_button_popdown (GTK_MENU_BUTTON (button));

  /* By name: "base-image" sorts before "web-golden-2023". */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "images.sort", "s", "name"));
  by_name = name_at (fixture, 0);
  g_assert_cmpstr (by_name, ==, "base-image");
  test_wait_for_frames (fixture->window, 2);
  g_free (test_save_screenshot (fixture->window, "images-page"));
  test_assert_mnemonics_unique (fixture->window);
}

/* Tick, dry run, dialog, delete: the image is gone, the quota has room, the form is told. */
static void
test_delete (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *id = NULL;
  AdwMessageDialog *dialog;

  show (fixture);
  id = id_named (fixture, "web-golden-2023");
  g_assert_nonnull (id);
  g_assert_true (imprint_images_page_choose (fixture->page, id, TRUE));
  g_assert_cmpuint (imprint_images_page_get_n_chosen (fixture->page), ==, 1);

  /* Cancelling the dialog deletes nothing. */
  gtk_widget_activate (test_find_widget (GTK_WIDGET (fixture->page), GTK_TYPE_BUTTON,
                                         button_labelled, "_Delete…"));
  wait_dry_run (fixture);
  dialog = test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_cmpuint (sim_server_get_request_count (fixture->sim, "DeleteImages"), ==, 1);
  g_assert_cmpuint (sim_server_count_images (fixture->sim, REGION), ==, 3);
  test_wait_for_frames (GTK_WIDGET (dialog), 2);
  g_free (test_save_screenshot (GTK_WIDGET (dialog), "images-delete-dialog"));
  test_assert_mnemonics_unique (GTK_WIDGET (dialog));
  respond (dialog, "cancel");
  test_wait_for_frames (fixture->window, 2);
  g_assert_cmpuint (sim_server_count_images (fixture->sim, REGION), ==, 3);
  g_assert_cmpuint (fixture->toasts->len, ==, 0);

  gtk_widget_activate (test_find_widget (GTK_WIDGET (fixture->page), GTK_TYPE_BUTTON,
                                         button_labelled, "_Delete…"));
  wait_dry_run (fixture);
  respond (test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG), "delete");
  test_wait_for (toasted, fixture);

  g_assert_cmpstr (fixture->toasts->pdata[0], ==, "1 image deleted");
  g_assert_cmpuint (fixture->n_changed, ==, 1);
  g_assert_cmpuint (sim_server_count_images (fixture->sim, REGION), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (imprint_images_page_get_shown (fixture->page)), ==, 2);
  g_assert_null (id_named (fixture, "web-golden-2023"));
  g_assert_cmpuint (imprint_images_page_get_n_chosen (fixture->page), ==, 0);
}

/* The region changes (the form's, or another account's) while the question to delete is
 * open: the question goes, and nothing is sent for the images it asked about. */
static void
test_region_changes_under_confirmation (Fixture       *fixture,
                                        gconstpointer  data)
{
  g_autofree char *id = NULL;
  AdwMessageDialog *dialog;

  show (fixture);
  id = id_named (fixture, "web-golden-2023");
  g_assert_true (imprint_images_page_choose (fixture->page, id, TRUE));
  gtk_widget_activate (test_find_widget (GTK_WIDGET (fixture->page), GTK_TYPE_BUTTON,
                                         button_labelled, "_Delete…"));
  wait_dry_run (fixture);
  dialog = test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);

  imprint_images_page_set_region (fixture->page, "ap-shanghai");
  test_wait_for (listed, fixture);
  g_assert_null (dialog);
  g_assert_cmpuint (sim_server_get_request_count (fixture->sim, "DeleteImages"), ==, 1);
  g_assert_cmpuint (sim_server_count_images (fixture->sim, REGION), ==, 3);
}

static gboolean
toasted_any (gpointer data)
{
  return ((Fixture *) data)->toasts->len > 0;
}

static gboolean
one_deleted (gpointer data)
{
  Fixture *fixture = data;

  return sim_server_count_images (fixture->sim, REGION) == 2;
}

/* The region changes while the images are being deleted: the server may have deleted them
 * already, so the deletion goes on, and how it ended is told with its region's name. */
static void
test_region_changes_while_deleting (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  show (fixture);
  id = id_named (fixture, "web-golden-2023");
  g_assert_true (imprint_images_page_choose (fixture->page, id, TRUE));
  /* The dry run answers at once; the deletion is done, then answered late. */
  g_assert_true (sim_server_add_fault (fixture->sim, "latency:action=DeleteImages,skip=1,ms=800",
                                       &error));
  g_assert_no_error (error);
  gtk_widget_activate (test_find_widget (GTK_WIDGET (fixture->page), GTK_TYPE_BUTTON,
                                         button_labelled, "_Delete…"));
  wait_dry_run (fixture);
  respond (test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG), "delete");
  test_wait_for (one_deleted, fixture);

  imprint_images_page_set_region (fixture->page, "ap-shanghai");
  test_wait_for (listed, fixture);
  g_assert_cmpuint (fixture->toasts->len, ==, 0);
  test_wait_for (toasted_any, fixture);
  g_assert_cmpstr (fixture->toasts->pdata[0], ==,
                   "1 image deleted in South China (Guangzhou)");
  g_assert_cmpuint (fixture->n_changed, ==, 1);
  g_assert_cmpstr (imprint_images_page_get_problem (fixture->page), ==, NULL);
  /* Nothing else goes out for the other region's images. */
  g_assert_cmpuint (sim_server_get_request_count (fixture->sim, "DeleteImages"), ==, 2);
}

static gboolean
has_image (gpointer data)
{
  Fixture *fixture = data;
  g_autofree char *id = id_named (fixture, "made-elsewhere");

  return id != NULL;
}

/* An image of the region is made while another view is shown (the form, a batch): the
 * listing is looked at again when the view comes back, with its place in the quota. */
static void
test_image_made_elsewhere (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(TcHistory) history = tc_history_new_temporary ();
  g_autoptr(TcImageRequest) request = NULL;
  g_autoptr(TcHistoryEntry) entry = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TcCreateResult) created = NULL;
  g_autoptr(GError) error = NULL;
  TestWait wait = { 0 };

  imprint_images_page_set_account (fixture->page, history, "images-account", "Images");
  show (fixture);
  g_assert_cmpstr (imprint_images_page_get_quota_text (fixture->page), ==,
                   "3 of 20 custom images used in South China (Guangzhou)");
  gtk_widget_set_visible (GTK_WIDGET (fixture->page), FALSE);

  request = tc_image_request_new (sim_server_find_instance (fixture->sim, REGION, TC_INSTANCE_STATE_STOPPED),
                                  "made-elsewhere", NULL);
  tc_cvm_create_image_async (fixture->client, REGION, request, FALSE, NULL, test_wait_cb, &wait);
  result = test_wait_result (&wait);
  created = tc_cvm_create_image_finish (fixture->client, result, &error);
  g_assert_no_error (error);
  entry = tc_history_entry_new_for_request (TC_HISTORY_KIND_CREATE, "images-account", "Images",
                                            TC_PROTOCOL_API3, REGION, NULL, request);
  tc_history_add_async (history, entry, NULL, NULL, NULL);

  gtk_widget_set_visible (GTK_WIDGET (fixture->page), TRUE);
  test_wait_for (has_image, fixture);
  test_wait_for (listed, fixture);
  g_assert_cmpstr (imprint_images_page_get_quota_text (fixture->page), ==,
                   "4 of 20 custom images used in South China (Guangzhou)");
}

/* An image being made cannot be ticked, and its row says why before anything is sent. */
static void
test_creating_cannot_be_deleted (Fixture       *fixture,
                                 gconstpointer  data)
{
  const char *instance = sim_server_find_instance (fixture->sim, REGION, TC_INSTANCE_STATE_STOPPED);
  g_autoptr(TcImageRequest) request = tc_image_request_new (instance, "still-being-made", NULL);
  TestWait wait = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TcCreateResult) created = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  sim_server_set_image_delay (fixture->sim, 600);
  tc_cvm_create_image_async (fixture->client, REGION, request, FALSE, NULL, test_wait_cb, &wait);
  result = test_wait_result (&wait);
  created = tc_cvm_create_image_finish (fixture->client, result, &error);
  g_assert_no_error (error);

  show (fixture);
  id = id_named (fixture, "still-being-made");
  g_assert_nonnull (id);
  g_assert_false (imprint_images_page_choose (fixture->page, id, TRUE));
  g_assert_cmpuint (imprint_images_page_get_n_chosen (fixture->page), ==, 0);
  g_assert_nonnull (test_find_widget (GTK_WIDGET (fixture->page), GTK_TYPE_LABEL,
                                      label_contains, "still being created"));
  g_assert_cmpuint (sim_server_get_request_count (fixture->sim, "DeleteImages"), ==, 0);
}

/* A refused dry run leaves everything in place and says why under the list. */
static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  show (fixture);
  g_assert_true (sim_server_add_fault (fixture->sim, "internal-error:action=DeleteImages", &error));
  g_assert_no_error (error);
  id = id_named (fixture, "base-image");
  g_assert_true (imprint_images_page_choose (fixture->page, id, TRUE));
  gtk_widget_activate (test_find_widget (GTK_WIDGET (fixture->page), GTK_TYPE_BUTTON,
                                         button_labelled, "_Delete…"));
  test_wait_for (problem_shown, fixture);
  g_assert_null (test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpuint (sim_server_count_images (fixture->sim, REGION), ==, 3);
  g_assert_cmpuint (imprint_images_page_get_n_chosen (fixture->page), ==, 1);

  /* Listing again keeps what was ticked and is still there. */
  imprint_images_page_refresh (fixture->page);
  test_wait_for (listed, fixture);
  g_assert_cmpuint (imprint_images_page_get_n_chosen (fixture->page), ==, 1);
}

static gboolean
copy_answered (gpointer data)
{
  Fixture *fixture = data;
  ImprintCopyDialog *dialog = test_find_toplevel (IMPRINT_TYPE_COPY_DIALOG);

  return fixture->toasts->len > 0 ||
         (dialog != NULL && imprint_copy_dialog_get_problem (dialog) != NULL);
}

static gboolean
entries_final (gpointer data)
{
  TcHistory *history = data;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (history)); i++) {
    g_autoptr(TcHistoryEntry) entry = g_list_model_get_item (G_LIST_MODEL (history), i);

    if (!tc_history_outcome_is_final (tc_history_entry_get_record (entry)->outcome))
      return FALSE;
  }
  return TRUE;
}

/* Opens Copy to Regions for the ticked image, ticks @regions and clicks Copy. */
static ImprintCopyDialog *
start_copy (Fixture            *fixture,
            const char * const *regions)
{
  ImprintCopyDialog *dialog;
  GtkWidget *button = test_find_widget (GTK_WIDGET (fixture->page), GTK_TYPE_BUTTON,
                                        button_labelled, "_Copy to Regions…");

  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  dialog = test_find_toplevel (IMPRINT_TYPE_COPY_DIALOG);
  g_assert_nonnull (dialog);
  for (guint i = 0; regions[i] != NULL; i++)
    g_assert_true (imprint_copy_dialog_choose (dialog, regions[i], TRUE));
  /* The image's own region is not offered: Tencent copies a custom image elsewhere. */
  g_assert_false (imprint_copy_dialog_choose (dialog, REGION, TRUE));
  test_wait_for_frames (GTK_WIDGET (dialog), 2);
  g_free (test_save_screenshot (GTK_WIDGET (dialog), "images-copy-dialog"));
  test_assert_mnemonics_unique (GTK_WIDGET (dialog));
  g_signal_emit_by_name (test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, button_labelled,
                                           "C_opy"), "clicked");
  return dialog;
}

/* As start_copy(), then waits for the answer: a toast, or the problem in the dialog. */
static ImprintCopyDialog *
copy_to (Fixture            *fixture,
         const char * const *regions)
{
  ImprintCopyDialog *dialog = start_copy (fixture, regions);

  test_wait_for (copy_answered, fixture);
  return dialog;
}

/* A ready image is copied to two regions: a dry run, SyncImages, one history entry per
 * copy, each followed until it is ready there. */
static void
test_copy (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(TcHistory) history = tc_history_new_temporary ();
  g_autoptr(TcImageTracker) tracker = g_object_new (TC_TYPE_IMAGE_TRACKER, "history", history,
                                                    "follow-interval", 0.2, NULL);
  const char * const regions[] = { "ap-shanghai", "ap-beijing", NULL };
  g_autofree char *id = NULL;

  sim_server_set_image_delay (fixture->sim, 0.5);
  tc_image_tracker_set_client_for_account (tracker, "images-account", fixture->client);
  imprint_images_page_set_account (fixture->page, history, "images-account", "Images");
  show (fixture);
  id = id_named (fixture, "web-golden-2023");
  g_assert_true (imprint_images_page_choose (fixture->page, id, TRUE));

  copy_to (fixture, regions);
  g_assert_cmpstr (fixture->toasts->pdata[0], ==, "Copying “web-golden-2023” to 2 regions.");
  g_assert_null (test_find_toplevel (IMPRINT_TYPE_COPY_DIALOG));
  g_assert_cmpuint (sim_server_get_request_count (fixture->sim, "SyncImages"), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 2);
  for (guint i = 0; i < 2; i++) {
    g_autoptr(TcHistoryEntry) entry = g_list_model_get_item (G_LIST_MODEL (history), i);

    g_assert_cmpint (tc_history_entry_get_record (entry)->kind, ==, TC_HISTORY_KIND_COPY);
    g_assert_cmpstr (tc_history_entry_get_record (entry)->source_region, ==, REGION);
    g_assert_cmpstr (tc_history_entry_get_record (entry)->source_image_id, ==, id);
    g_assert_cmpstr (tc_history_entry_get_record (entry)->image_name, ==, "web-golden-2023");
    g_assert_cmpstr (tc_history_entry_get_record (entry)->account_id, ==, "images-account");
    g_assert_nonnull (tc_history_entry_get_record (entry)->image_id);
    g_assert_cmpstr (tc_history_entry_get_record (entry)->image_id, !=, id);
  }

  /* The tracker follows each copy in its region until it is ready. */
  test_wait_for (entries_final, history);
  for (guint i = 0; i < 2; i++) {
    g_autoptr(TcHistoryEntry) entry = g_list_model_get_item (G_LIST_MODEL (history), i);

    g_assert_cmpint (tc_history_entry_get_record (entry)->outcome, ==, TC_HISTORY_OUTCOME_READY);
  }
  g_assert_cmpint (sim_server_get_image_state (fixture->sim, "ap-shanghai", "web-golden-2023"), ==,
                   TC_IMAGE_STATE_NORMAL);
  g_assert_cmpint (sim_server_get_image_state (fixture->sim, "ap-beijing", "web-golden-2023"), ==,
                   TC_IMAGE_STATE_NORMAL);
}

/* The codes of the regions the copy dialog under @widget offers, in their order. */
static void
collect_regions (GtkWidget *widget,
                 GPtrArray *codes)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child)) {
    if (ADW_IS_ACTION_ROW (child) && GTK_IS_LIST_BOX (widget))
      g_ptr_array_add (codes, g_strdup (adw_action_row_get_subtitle (ADW_ACTION_ROW (child))));
    else
      collect_regions (child, codes);
  }
}

static GPtrArray *
offered_regions (ImprintCopyDialog *dialog)
{
  GPtrArray *codes = g_ptr_array_new_with_free_func (g_free);

  collect_regions (GTK_WIDGET (dialog), codes);
  return codes;
}

/* The server's list is shown: Tokyo, which the simulator's cloud lacks, is no longer offered. */
static gboolean
server_regions_shown (gpointer data)
{
  g_autoptr(GPtrArray) codes = offered_regions (data);

  return !g_ptr_array_find_with_equal_func (codes, "ap-tokyo", g_str_equal, NULL);
}

/* The server's list of regions, which comes a moment after the built-in one, does not move
 * the rows under the pointer: regions in both keep their places and ticks; one the server
 * lacks goes, and its tick with it. (Rebuilt in the server's order, the row a user was
 * about to click could become another region's.) */
static void
test_copy_regions_in_place (Fixture       *fixture,
                            gconstpointer  data)
{
  ImprintCopyDialog *dialog;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *id = NULL;

  show (fixture);
  id = id_named (fixture, "web-golden-2023");
  g_assert_true (imprint_images_page_choose (fixture->page, id, TRUE));
  g_signal_emit_by_name (test_find_widget (GTK_WIDGET (fixture->page), GTK_TYPE_BUTTON,
                                           button_labelled, "_Copy to Regions…"), "clicked");
  dialog = test_find_toplevel (IMPRINT_TYPE_COPY_DIALOG);
  g_assert_nonnull (dialog);

  /* The built-in list, before DescribeRegions answers: Nanjing second, where the server
   * puts Beijing; Tokyo, which the simulator's cloud does not have. */
  before = offered_regions (dialog);
  g_assert_cmpstr (before->pdata[0], ==, "ap-shanghai");
  g_assert_cmpstr (before->pdata[1], ==, "ap-nanjing");
  g_assert_true (imprint_copy_dialog_choose (dialog, "ap-chengdu", TRUE));
  g_assert_true (imprint_copy_dialog_choose (dialog, "ap-tokyo", TRUE));

  test_wait_for (server_regions_shown, dialog);
  after = offered_regions (dialog);
  /* The simulator's ten regions but the image's own. */
  g_assert_cmpuint (after->len, ==, 9);
  for (guint i = 0; i < 6; i++)
    g_assert_cmpstr (after->pdata[i], ==, before->pdata[i]);

  /* Chengdu is still ticked; Tokyo, gone, is not copied to. */
  g_signal_emit_by_name (test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, button_labelled,
                                           "C_opy"), "clicked");
  test_wait_for (copy_answered, fixture);
  g_assert_cmpstr (fixture->toasts->pdata[0], ==, "Copying “web-golden-2023” to 1 region.");
  g_assert_cmpint (sim_server_get_image_state (fixture->sim, "ap-chengdu", "web-golden-2023"), !=,
                   TC_IMAGE_STATE_UNKNOWN);
}

/* SyncImages went out, the copies were made, and the answer was lost: Copy is not offered
 * again as if nothing had been sent. The dialog closes, the toast says the copies may be
 * under way, and each is recorded and found by its name. */
static void
test_copy_answer_lost (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(TcHistory) history = tc_history_new_temporary ();
  g_autoptr(TcImageTracker) tracker = g_object_new (TC_TYPE_IMAGE_TRACKER, "history", history,
                                                    "follow-interval", 0.2, NULL);
  const char * const regions[] = { "ap-beijing", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(TcHistoryEntry) entry = NULL;
  g_autofree char *id = NULL;

  sim_server_set_image_delay (fixture->sim, 0.5);
  tc_image_tracker_set_client_for_account (tracker, "images-account", fixture->client);
  imprint_images_page_set_account (fixture->page, history, "images-account", "Images");
  show (fixture);
  /* The dry run passes; the copy's answer is cut short. */
  g_assert_true (sim_server_add_fault (fixture->sim, "truncated:action=SyncImages,skip=1,count=1", &error));
  g_assert_no_error (error);
  id = id_named (fixture, "base-image");
  g_assert_true (imprint_images_page_choose (fixture->page, id, TRUE));

  copy_to (fixture, regions);
  g_assert_cmpuint (fixture->toasts->len, ==, 1);
  g_assert_cmpstr (fixture->toasts->pdata[0], ==,
                   "No answer came back for the copies of “base-image”, so they may be under way. "
                   "Imprint looks for them; the History will say how they end.");
  g_assert_null (test_find_toplevel (IMPRINT_TYPE_COPY_DIALOG));
  g_assert_cmpuint (sim_server_get_request_count (fixture->sim, "SyncImages"), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 1);
  entry = g_list_model_get_item (G_LIST_MODEL (history), 0);
  g_assert_cmpint (tc_history_entry_get_record (entry)->kind, ==, TC_HISTORY_KIND_COPY);
  g_assert_null (tc_history_entry_get_record (entry)->image_id);
  g_assert_null (tc_history_entry_get_record (entry)->error_message);

  test_wait_for (entries_final, history);
  g_assert_cmpint (tc_history_entry_get_record (entry)->outcome, ==, TC_HISTORY_OUTCOME_READY);
  g_assert_true (g_str_has_prefix (tc_history_entry_get_record (entry)->image_id, "img-"));
}

/* A refused dry run stays in the dialog, with the regions still ticked; nothing is
 * recorded or copied. */
static void
test_copy_refused (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(TcHistory) history = tc_history_new_temporary ();
  const char * const regions[] = { "ap-beijing", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  ImprintCopyDialog *dialog;

  imprint_images_page_set_account (fixture->page, history, "images-account", "Images");
  show (fixture);
  g_assert_true (sim_server_add_fault (fixture->sim, "internal-error:action=SyncImages", &error));
  g_assert_no_error (error);
  id = id_named (fixture, "base-image");
  g_assert_true (imprint_images_page_choose (fixture->page, id, TRUE));

  dialog = copy_to (fixture, regions);
  g_assert_nonnull (imprint_copy_dialog_get_problem (dialog));
  g_assert_cmpuint (fixture->toasts->len, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);
  g_assert_cmpuint (sim_server_count_images (fixture->sim, "ap-beijing"), ==, 2);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* The server has received @n SyncImages (a dry run counts). */
static gboolean
syncs_received (gpointer data)
{
  Count *count = data;

  return sim_server_get_request_count (count->fixture->sim, "SyncImages") >= count->n;
}

static void
mark_finalized (gpointer data)
{
  *(gboolean *) data = TRUE;
}

/* Sets *@finalized when @dialog is finalized: later than a weak pointer would say, which
 * disposing (g_object_run_dispose) already clears. */
static void
watch_finalize (ImprintCopyDialog *dialog,
                gboolean          *finalized)
{
  *finalized = FALSE;
  g_object_set_data_full (G_OBJECT (dialog), "test-finalized", finalized, mark_finalized);
}

/* Closes @dialog as @how says: "escape", "cancel" (its Cancel button), "destroy" (as its
 * window going does), or "dispose": nothing in the app disposes a window that is still
 * referenced, but the dialog must hold when its widgets are gone before its copy ends. */
static void
close_copy_dialog (ImprintCopyDialog *dialog,
                   const char        *how)
{
  if (g_str_equal (how, "escape")) {
    g_assert_true (test_activate_shortcut (GTK_WIDGET (dialog), GDK_KEY_Escape, 0));
  } else if (g_str_equal (how, "cancel")) {
    g_signal_emit_by_name (test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_BUTTON,
                                             button_labelled, "_Cancel"), "clicked");
  } else if (g_str_equal (how, "destroy")) {
    gtk_window_destroy (GTK_WINDOW (dialog));
  } else {
    /* Destroyed, then disposed at once although the copy still holds it. */
    g_assert_cmpstr (how, ==, "dispose");
    gtk_window_destroy (GTK_WINDOW (dialog));
    g_object_run_dispose (G_OBJECT (dialog));
  }
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dialog)));
}

/* Closing the dialog while SyncImages is on its way does not stop the copy: the server has
 * made the copies, so each still gets its history entry and is followed until it is ready,
 * and the toast says they are under way. Disposed before the copy ends, the dialog has no
 * one left to tell (its handlers went with it), but the copies are still recorded. */
static void
test_copy_closed (Fixture       *fixture,
                  gconstpointer  data)
{
  /* Each way of closing copies to regions of its own: a name is copied once per region. */
  const struct {
    const char *how;
    const char *regions[3];
  } closings[] = {
    { "escape", { "ap-shanghai", "ap-beijing", NULL } },
    { "cancel", { "ap-chengdu", "ap-nanjing", NULL } },
    { "destroy", { "ap-singapore", "eu-frankfurt", NULL } },
    { "dispose", { "ap-hongkong", "na-siliconvalley", NULL } },
  };

  sim_server_set_image_delay (fixture->sim, 0.5);
  show (fixture);

  for (guint c = 0; c < G_N_ELEMENTS (closings); c++) {
    const char * const *regions = closings[c].regions;
    g_autoptr(TcHistory) history = tc_history_new_temporary ();
    g_autoptr(TcImageTracker) tracker = g_object_new (TC_TYPE_IMAGE_TRACKER, "history", history,
                                                      "follow-interval", 0.2, NULL);
    g_autoptr(GError) error = NULL;
    g_autofree char *id = NULL;
    guint n_synced = sim_server_get_request_count (fixture->sim, "SyncImages");
    guint n_images = sim_server_count_images (fixture->sim, regions[0]);
    Count wait = { fixture, 0 };
    ImprintCopyDialog *dialog;
    gboolean finalized;

    g_test_message ("closed by %s", closings[c].how);
    g_ptr_array_set_size (fixture->toasts, 0);
    tc_image_tracker_set_client_for_account (tracker, "images-account", fixture->client);
    imprint_images_page_set_account (fixture->page, history, "images-account", "Images");
    imprint_images_page_refresh (fixture->page);
    test_wait_for (listed, fixture);
    id = id_named (fixture, "web-golden-2023");
    g_assert_true (imprint_images_page_choose (fixture->page, id, TRUE));
    sim_server_clear_faults (fixture->sim);
    g_assert_true (sim_server_add_fault (fixture->sim, "latency:action=SyncImages,ms=800", &error));
    g_assert_no_error (error);

    /* The dry run, then the copy itself, which the server makes before it answers. */
    dialog = start_copy (fixture, regions);
    watch_finalize (dialog, &finalized);
    wait.n = n_synced + 2;
    test_wait_for (syncs_received, &wait);
    close_copy_dialog (dialog, closings[c].how);
    /* The dialog goes when the copy ends, not before. */
    test_wait_until (&finalized, 60);
    g_assert_cmpuint (sim_server_count_images (fixture->sim, regions[0]), ==, n_images + 1);

    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 2);
    if (g_str_equal (closings[c].how, "dispose")) {
      g_assert_cmpuint (fixture->toasts->len, ==, 0);
    } else {
      g_assert_cmpuint (fixture->toasts->len, ==, 1);
      g_assert_cmpstr (fixture->toasts->pdata[0], ==, "Copying “web-golden-2023” to 2 regions.");
    }
    test_wait_for (entries_final, history);
    for (guint i = 0; i < 2; i++) {
      g_autoptr(TcHistoryEntry) entry = g_list_model_get_item (G_LIST_MODEL (history), i);

      g_assert_cmpint (tc_history_entry_get_record (entry)->kind, ==, TC_HISTORY_KIND_COPY);
      g_assert_cmpint (tc_history_entry_get_record (entry)->outcome, ==, TC_HISTORY_OUTCOME_READY);
    }
  }
}

/* A copy refused after the dialog was closed is said in a toast, as the dialog would have
 * said it; each destination's entry says it was refused. */
static void
test_copy_closed_refused (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(TcHistory) history = tc_history_new_temporary ();
  const char * const regions[] = { "ap-beijing", "ap-chengdu", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  Count wait = { fixture, 1 };
  ImprintCopyDialog *dialog;
  gboolean finalized;

  imprint_images_page_set_account (fixture->page, history, "images-account", "Images");
  show (fixture);
  g_assert_true (sim_server_add_fault (fixture->sim, "latency:action=SyncImages,ms=800", &error));
  g_assert_no_error (error);
  id = id_named (fixture, "base-image");
  g_assert_true (imprint_images_page_choose (fixture->page, id, TRUE));

  /* The dry run passes, and its answer is on its way; the copy itself will be refused. */
  dialog = start_copy (fixture, regions);
  watch_finalize (dialog, &finalized);
  test_wait_for (syncs_received, &wait);
  g_assert_true (sim_server_add_fault (fixture->sim, "internal-error:action=SyncImages", &error));
  g_assert_no_error (error);
  close_copy_dialog (dialog, "escape");
  test_wait_until (&finalized, 60);

  g_assert_cmpuint (sim_server_get_request_count (fixture->sim, "SyncImages"), >=, 2);
  g_assert_cmpuint (fixture->toasts->len, ==, 1);
  g_assert_true (g_str_has_prefix (fixture->toasts->pdata[0], "“base-image” was not copied. "));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 2);
  for (guint i = 0; i < 2; i++) {
    g_autoptr(TcHistoryEntry) entry = g_list_model_get_item (G_LIST_MODEL (history), i);

    g_assert_cmpint (tc_history_entry_get_record (entry)->outcome, ==,
                     TC_HISTORY_OUTCOME_REQUEST_FAILED);
  }
  g_assert_cmpuint (sim_server_count_images (fixture->sim, "ap-beijing"), ==, 2);
}

/* The window goes while a copy is out, and takes its dialog with it: the copy still ends
 * and is recorded, and the dialog, which outlives its window until then, does not touch
 * the window that is gone. */
static void
test_copy_window_closed (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(TcHistory) history = tc_history_new_temporary ();
  GtkWidget *parent = gtk_window_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  Count wait = { fixture, 1 };
  ImprintCopyDialog *dialog;
  gboolean finalized;

  show (fixture);
  g_assert_true (sim_server_add_fault (fixture->sim, "latency:action=SyncImages,ms=800", &error));
  g_assert_no_error (error);
  id = id_named (fixture, "base-image");
  dialog = imprint_copy_dialog_new (GTK_WINDOW (parent), fixture->client, history, "images-account",
                                    "Images", REGION, id, "base-image");
  gtk_window_present (GTK_WINDOW (parent));
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (imprint_copy_dialog_choose (dialog, "ap-beijing", TRUE));
  g_signal_emit_by_name (test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, button_labelled,
                                           "C_opy"), "clicked");
  watch_finalize (dialog, &finalized);
  test_wait_for (syncs_received, &wait);

  gtk_window_destroy (GTK_WINDOW (parent));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  test_wait_until (&finalized, 60);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 1);
}

/* An image the History made says which instance it came from. */
static void
test_source_instance (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(TcHistory) history = tc_history_new_temporary ();
  g_autoptr(TcHistoryEntry) entry = tc_history_entry_new (TC_HISTORY_KIND_CREATE);
  g_autofree char *id = NULL;

  imprint_images_page_set_account (fixture->page, history, "images-account", "Images");
  show (fixture);
  g_assert_null (test_find_widget (GTK_WIDGET (fixture->page), GTK_TYPE_LABEL, label_contains,
                                   "Made from"));
  id = id_named (fixture, "base-image");
  tc_history_entry_edit (entry)->region = g_intern_string (REGION);
  tc_history_set_str (&tc_history_entry_edit (entry)->image_name, "base-image");
  tc_history_set_str (&tc_history_entry_edit (entry)->image_id, id);
  tc_history_set_str (&tc_history_entry_edit (entry)->instance_id, "ins-0000aaaa");
  tc_history_set_str (&tc_history_entry_edit (entry)->instance_name, "web-server-1");
  tc_history_entry_edit (entry)->outcome = TC_HISTORY_OUTCOME_READY;
  tc_history_add_async (history, entry, NULL, NULL, NULL);

  imprint_images_page_refresh (fixture->page);
  test_wait_for (listed, fixture);
  test_wait_for_frames (fixture->window, 2);
  g_assert_nonnull (test_find_widget (GTK_WIDGET (fixture->page), GTK_TYPE_LABEL, label_contains,
                                      "Made from web-server-1"));
}

/* A legacy account sees its images and is told it cannot delete them. */
static void
test_legacy (Fixture       *fixture,
             gconstpointer  data)
{
  GtkWidget *note;
  g_autofree char *id = NULL;

  show (fixture);
  g_assert_cmpstr (imprint_images_page_get_view (fixture->page), ==, "list");
  g_assert_cmpuint (g_list_model_get_n_items (imprint_images_page_get_shown (fixture->page)), ==, 3);
  note = test_find_widget (GTK_WIDGET (fixture->page), GTK_TYPE_LABEL, label_contains,
                           "legacy API 2.0");
  g_assert_nonnull (note);
  g_assert_true (gtk_widget_get_visible (note));
  g_assert_false (gtk_widget_get_visible (test_find_widget (GTK_WIDGET (fixture->page),
                                                            GTK_TYPE_ACTION_BAR, NULL, NULL)));
  id = id_named (fixture, "base-image");
  g_assert_nonnull (id);
  g_assert_false (imprint_images_page_choose (fixture->page, id, TRUE));
}

/* At 360 px, an image whose OS has a long name keeps its state in view: its row fits the
 * window, where "Windows Server 2019 Datacenter 64bit English" pushed the badge past the
 * window's edge. */
static void
test_narrow_row_fits (void)
{
  /* The longest OS name the simulator has, and a name as long as Tencent allows. */
  static const char * const images[] = {
    "{\"ImageId\":\"img-zgu4vdba\",\"ImageName\":\"api-11-20261204-3\",\"ImageState\":\"NORMAL\","
    "\"ImageType\":\"PRIVATE_IMAGE\",\"OsName\":\"Windows Server 2019 Datacenter 64bit English\","
    "\"CreatedTime\":\"2026-12-04T08:00:00Z\",\"ImageSize\":100}",
    "{\"ImageId\":\"img-3ue2c1kv\",\"ImageName\":\"production-database-primary-before-upgrade-2026-12-04-01\","
    "\"ImageState\":\"NORMAL\",\"ImageType\":\"PRIVATE_IMAGE\",\"OsName\":\"CentOS 7.9 64bit\","
    "\"CreatedTime\":\"2026-12-04T08:00:00Z\",\"ImageSize\":50}",
  };
  const char *languages[] = { "en", "zh_CN" };
  g_autofree char *po = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
  g_autofree char *old_locale = g_strdup (setlocale (LC_MESSAGES, NULL));
  g_autofree char *old_language = g_strdup (g_getenv ("LANGUAGE"));

  /* In Chinese too: the row overflowed in Chinese first. */
  bindtextdomain (GETTEXT_PACKAGE, po);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  setlocale (LC_MESSAGES, "C.UTF-8");

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++) {
    GtkWidget *window, *list;

    g_setenv ("LANGUAGE", languages[l], TRUE);
    /* As the Images view lays them out: a boxed list, at the narrowest window. */
    window = gtk_window_new ();
    gtk_window_set_default_size (GTK_WINDOW (window), 360, 400);
    list = gtk_list_box_new ();
    gtk_widget_add_css_class (list, "boxed-list");
    gtk_widget_set_margin_start (list, 12);
    gtk_widget_set_margin_end (list, 12);
    gtk_widget_set_valign (list, GTK_ALIGN_START);
    gtk_window_set_child (GTK_WINDOW (window), list);

    for (guint i = 0; i < G_N_ELEMENTS (images); i++) {
      TcJsonReader reader;
      g_autoptr(GError) error = NULL;
      g_autoptr(TcImage) image = NULL;

      tc_json_reader_init (&reader, images[i], strlen (images[i]));
      image = tc_image_read_api3 (&reader, &error);
      g_assert_no_error (error);
      tc_json_reader_clear (&reader);
      gtk_list_box_append (GTK_LIST_BOX (list), imprint_image_row_new (image, "api-11", TRUE, FALSE));
    }
    gtk_window_present (GTK_WINDOW (window));
    test_wait_for_frames (window, 2);

    for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
         row = gtk_widget_get_next_sibling (row)) {
      GtkWidget *badge = test_find_widget (row, IMPRINT_TYPE_STATE_BADGE, NULL, NULL);
      graphene_rect_t bounds;

      g_assert_true (gtk_widget_compute_bounds (badge, row, &bounds));
      g_assert_cmpint (gtk_widget_get_width (row), <=, 360 - 24);
      g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (row));
    }
    g_free (test_save_screenshot (window, l == 0 ? "images-rows-narrow" : "images-rows-narrow-zh"));
    gtk_window_destroy (GTK_WINDOW (window));
  }

  if (old_language != NULL)
    g_setenv ("LANGUAGE", old_language, TRUE);
  else
    g_unsetenv ("LANGUAGE");
  setlocale (LC_MESSAGES, old_locale);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  test_ui_tolerate_toolkit_warnings ();
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add ("/images-page/list-search-sort", Fixture, GINT_TO_POINTER (TC_PROTOCOL_API3),
              setup, test_list_search_sort, teardown);
  g_test_add ("/images-page/delete", Fixture, GINT_TO_POINTER (TC_PROTOCOL_API3),
              setup, test_delete, teardown);
  g_test_add ("/images-page/region-changes-under-confirmation", Fixture,
              GINT_TO_POINTER (TC_PROTOCOL_API3), setup, test_region_changes_under_confirmation,
              teardown);
  g_test_add ("/images-page/region-changes-while-deleting", Fixture,
              GINT_TO_POINTER (TC_PROTOCOL_API3), setup, test_region_changes_while_deleting,
              teardown);
  g_test_add ("/images-page/image-made-elsewhere", Fixture, GINT_TO_POINTER (TC_PROTOCOL_API3),
              setup, test_image_made_elsewhere, teardown);
  g_test_add ("/images-page/creating-cannot-be-deleted", Fixture, GINT_TO_POINTER (TC_PROTOCOL_API3),
              setup, test_creating_cannot_be_deleted, teardown);
  g_test_add ("/images-page/refused", Fixture, GINT_TO_POINTER (TC_PROTOCOL_API3),
              setup, test_refused, teardown);
  g_test_add ("/images-page/copy", Fixture, GINT_TO_POINTER (TC_PROTOCOL_API3),
              setup, test_copy, teardown);
  g_test_add ("/images-page/copy-regions-in-place", Fixture, GINT_TO_POINTER (TC_PROTOCOL_API3),
              setup, test_copy_regions_in_place, teardown);
  g_test_add ("/images-page/copy-answer-lost", Fixture, GINT_TO_POINTER (TC_PROTOCOL_API3),
              setup, test_copy_answer_lost, teardown);
  g_test_add ("/images-page/copy-refused", Fixture, GINT_TO_POINTER (TC_PROTOCOL_API3),
              setup, test_copy_refused, teardown);
  g_test_add ("/images-page/copy-closed", Fixture, GINT_TO_POINTER (TC_PROTOCOL_API3),
              setup, test_copy_closed, teardown);
  g_test_add ("/images-page/copy-closed-refused", Fixture, GINT_TO_POINTER (TC_PROTOCOL_API3),
              setup, test_copy_closed_refused, teardown);
  g_test_add ("/images-page/copy-window-closed", Fixture, GINT_TO_POINTER (TC_PROTOCOL_API3),
              setup, test_copy_window_closed, teardown);
  g_test_add ("/images-page/source-instance", Fixture, GINT_TO_POINTER (TC_PROTOCOL_API3),
              setup, test_source_instance, teardown);
  g_test_add ("/images-page/legacy", Fixture, GINT_TO_POINTER (TC_PROTOCOL_LEGACY),
              setup, test_legacy, teardown);
  g_test_add_func ("/images-page/narrow-row-fits", test_narrow_row_fits);
  return g_test_run ();
}
