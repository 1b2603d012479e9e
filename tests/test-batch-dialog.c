/* test-batch-dialog.c: several instances imaged from one dialog, against the simulator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The simulator starts with three custom images in ap-guangzhou and a quota of 20. The
 * dialog shows the names the pattern gives before anything is sent, refuses names that
 * clash (with each other, with an image of the region) and a batch over the quota, and
 * once sent follows each image to its end, with a retry of the one that failed.
 */
#include "config.h"

#include <string.h>

#include "imprint-batch-dialog-private.h"
#include "sim-server.h"
#include "tc-batch-plan.h"
#include "tc-client-private.h"
#include "tc-cvm.h"
#include "tc-image-tracker.h"
#include "test-ui-util.h"
#include "test-util.h"

#define REGION  "ap-guangzhou"
#define ACCOUNT "batch-account"

typedef struct {
  SimServer      *sim;
  TcClient       *client;
  TcHistory      *history;
  TcImageTracker *tracker;
} Fixture;

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_autoptr(TcCredentials) creds = tc_credentials_new (SIM_DEFAULT_SECRET_ID, SIM_DEFAULT_SECRET_KEY, NULL);
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;

  f->sim = sim_server_new (7, 30);
  sim_server_set_quota (f->sim, 20);
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

/* The name of an image the region has already. */
static char *
taken_name (Fixture *f)
{
  TestWait wait = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) images = NULL;
  g_autoptr(TcImage) image = NULL;

  tc_cvm_list_custom_images_async (f->client, REGION, NULL, test_wait_cb, &wait);
  result = test_wait_result (&wait);
  images = tc_cvm_list_custom_images_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (images), >, 0);
  image = g_list_model_get_item (images, 0);
  return g_strdup (tc_image_get_name (image));
}

static ImprintBatchDialog *
open_dialog (Fixture   *f,
             GPtrArray *instances,
             int        width)
{
  g_autoptr(TcImageRequest) options = tc_image_request_new (NULL, NULL, "before the upgrade");
  ImprintBatchDialog *dialog;

  dialog = imprint_batch_dialog_new (NULL, f->client, f->history, ACCOUNT, "Batch", REGION,
                                     instances, options);
  g_object_ref (dialog);
  if (width > 0)
    gtk_window_set_default_size (GTK_WINDOW (dialog), width, 640);
  gtk_window_present (GTK_WINDOW (dialog));
  test_wait_for ((TestCondition) imprint_batch_dialog_is_checked, dialog);
  return dialog;
}

static void
close_dialog (ImprintBatchDialog *dialog)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_finalize_object (dialog);
}

static gboolean
is_button (GtkWidget *widget,
           gpointer   label)
{
  return gtk_widget_get_visible (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static GtkWidget *
button (ImprintBatchDialog *dialog,
        const char         *label)
{
  return test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, is_button, (gpointer) label);
}

static gboolean
is_retry_of_a_row (GtkWidget *widget,
                   gpointer   data)
{
  return gtk_widget_get_visible (widget) && gtk_widget_get_ancestor (widget, GTK_TYPE_LIST_BOX_ROW) &&
         g_strcmp0 (gtk_widget_get_tooltip_text (widget), "Retry") == 0;
}

static void
set_pattern (ImprintBatchDialog *dialog,
             const char         *pattern)
{
  GtkWidget *row = test_find_widget (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, NULL, NULL);

  gtk_editable_set_text (GTK_EDITABLE (row), pattern);
}

/* The names are shown, and checked, before anything is sent. */
static void
test_names (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) instances = test_stopped_instances (f->client, REGION, 3);
  g_autofree char *taken = taken_name (f);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GPtrArray) one = g_ptr_array_new_with_free_func (g_object_unref);
  ImprintBatchDialog *dialog = open_dialog (f, instances, 0);
  GtkWidget *create = button (dialog, "C_reate 3 Images");

  /* The default pattern: each instance's name and today's date; the quota is shown. */
  g_assert_nonnull (create);
  for (guint i = 0; i < 3; i++) {
    g_autofree char *expected = tc_batch_expand_name ("{name}-{date}", instances->pdata[i], now, i + 1);

    g_assert_cmpstr (imprint_batch_dialog_get_name (dialog, i), ==, expected);
    g_assert_null (imprint_batch_dialog_get_problem (dialog, i));
  }
  g_assert_cmpstr (imprint_batch_dialog_get_status (dialog), ==,
                   "3 of 20 custom images used in South China (Guangzhou); this batch adds 3.");
  g_assert_true (gtk_widget_is_sensitive (create));
  g_assert_null (imprint_batch_dialog_get_batch (dialog));

  /* One name for all: each clashes with the others, and Create goes off. */
  set_pattern (dialog, "golden");
  for (guint i = 0; i < 3; i++)
    g_assert_nonnull (imprint_batch_dialog_get_problem (dialog, i));
  g_assert_cmpstr (imprint_batch_dialog_get_status (dialog), ==,
                   "3 names cannot be used. Change the pattern.");
  g_assert_false (gtk_widget_is_sensitive (create));

  /* {n} tells them apart again. */
  set_pattern (dialog, "golden-{n}");
  g_assert_cmpstr (imprint_batch_dialog_get_name (dialog, 2), ==, "golden-3");
  g_assert_true (gtk_widget_is_sensitive (create));

  /* An empty pattern gives no names. */
  set_pattern (dialog, "");
  g_assert_false (gtk_widget_is_sensitive (create));
  close_dialog (dialog);

  /* The name of an image the region has. */
  g_ptr_array_add (one, g_object_ref (instances->pdata[0]));
  dialog = open_dialog (f, one, 0);
  set_pattern (dialog, taken);
  g_assert_nonnull (imprint_batch_dialog_get_problem (dialog, 0));
  g_assert_false (gtk_widget_is_sensitive (button (dialog, "C_reate 1 Image")));
  close_dialog (dialog);

  /* A batch the quota has no room for. */
  sim_server_set_quota (f->sim, 4);
  dialog = open_dialog (f, instances, 0);
  g_assert_nonnull (strstr (imprint_batch_dialog_get_status (dialog), "quota"));
  g_assert_false (gtk_widget_is_sensitive (button (dialog, "C_reate 3 Images")));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->history)), ==, 0);
  close_dialog (dialog);
}

static gboolean
finished (gpointer data)
{
  TcImageBatch *batch = imprint_batch_dialog_get_batch (data);

  return batch != NULL && tc_image_batch_is_finished (batch);
}

/* Three sent, one fails; the failed one's own retry makes it again. */
static void
test_run_and_retry (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) instances = test_stopped_instances (f->client, REGION, 3);
  g_autoptr(GError) error = NULL;
  /* As narrow as a phone: every name and reason wraps, nothing is cut. */
  ImprintBatchDialog *dialog = open_dialog (f, instances, 360);
  TcImageBatch *batch;
  GtkWidget *retry;

  g_assert_true (sim_server_add_fault (f->sim, "image-fail:action=CreateImage,count=1", &error));
  g_assert_no_error (error);
  set_pattern (dialog, "{name}-before-upgrade");
  g_signal_emit_by_name (button (dialog, "C_reate 3 Images"), "clicked");
  batch = imprint_batch_dialog_get_batch (dialog);
  g_assert_nonnull (batch);
  /* What was sent cannot change any more; Cancel is now Close. */
  g_assert_false (gtk_widget_is_sensitive (test_find_widget (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, NULL, NULL)));
  g_assert_null (button (dialog, "C_reate 3 Images"));
  g_assert_nonnull (button (dialog, "_Close"));

  test_wait_for (finished, dialog);
  g_assert_cmpstr (imprint_batch_dialog_get_status (dialog), ==, "2 of 3 images ready; 1 failed");
  g_assert_nonnull (button (dialog, "_Retry Failed"));
  test_wait_for_frames (GTK_WIDGET (dialog), 2);
  g_free (test_save_screenshot (GTK_WIDGET (dialog), "batch-dialog-360-one-failed"));
  test_assert_mnemonics_unique (GTK_WIDGET (dialog));
  retry = test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, is_retry_of_a_row, NULL);
  g_assert_nonnull (retry);
  /* Every image has its entry, marked as the batch's: the batch's notification sums them. */
  for (guint i = 0; i < 3; i++) {
    TcHistoryEntry *entry = tc_image_batch_get_entry (batch, i);

    g_assert_nonnull (entry);
    g_assert_true (tc_image_batch_is_batched (entry));
    g_assert_cmpstr (tc_history_entry_get_record (entry)->image_description, ==, "before the upgrade");
  }

  g_signal_emit_by_name (retry, "clicked");
  g_assert_false (tc_image_batch_is_finished (batch));
  g_assert_null (button (dialog, "_Retry Failed"));
  test_wait_for (finished, dialog);
  g_assert_cmpstr (imprint_batch_dialog_get_status (dialog), ==, "3 of 3 images ready");
  g_assert_null (test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, is_retry_of_a_row, NULL));
  /* The failed attempt stays in the history, beside the three images. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->history)), ==, 4);
  close_dialog (dialog);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  test_ui_tolerate_toolkit_warnings ();
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add ("/batch-dialog/names", Fixture, NULL, setup, test_names, teardown);
  g_test_add ("/batch-dialog/run-and-retry", Fixture, NULL, setup, test_run_and_retry, teardown);
  return g_test_run ();
}
