/* imprint-batch-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Several instances imaged at once. Before anything is sent the dialog shows the name the
 * pattern gives each instance, checked against the rules, against the other names and
 * against the images the region has (listed when the dialog opens), and the quota for the
 * whole batch: Create stays off while any of them says no. Then the same rows follow each
 * image (TcImageBatch): waiting, sending, being made, ready or failed with the reason and a
 * retry.
 *
 * Closing the dialog does not stop the images: the application holds the batch until it
 * ends, and one notification sums it up (imprint_application_follow_batch()); the History
 * has each image. The image form offers the batch again (imprint_batch_dialog_new_for_batch():
 * its progress, the retry of what failed). A closed dialog goes rather than hides: under
 * GTK 4.8 a hidden window answers the accessibility bus with an unrealized path, and the
 * main window drops out of what a screen reader sees.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "imprint-a11y.h"
#include "imprint-application.h"
#include "imprint-batch-dialog-private.h"
#include "imprint-state-badge.h"
#include "tc-batch-plan.h"
#include "tc-cvm.h"
#include "tc-places.h"

typedef struct {
  GtkWidget         *row;
  GtkLabel          *name_label;
  GtkLabel          *instance_label;
  GtkLabel          *message_label;
  ImprintStateBadge *badge;
  GtkWidget         *retry_button;
} ItemRow;

struct _ImprintBatchDialog
{
  AdwWindow       parent_instance;

  TcClient       *client;
  TcHistory      *history;
  char           *account_id;
  char           *account_name;
  char           *region;
  GPtrArray      *instances;     /* TcInstance */
  TcImageRequest *options;
  char           *form_problem;  /* why the options (the form's) cannot be sent */
  GDateTime      *date;          /* {date}: the day the dialog opened, not each keystroke's */

  GCancellable   *cancellable;   /* the region's images and quota */
  guint           pending;
  GStrv           taken;         /* the region's image names, once listed */
  guint           used;
  guint           quota;
  gboolean        quota_known;
  char           *facts_error;

  GPtrArray      *plan;          /* TcBatchItem */
  GPtrArray      *rows;          /* ItemRow */
  TcImageBatch   *batch;
  char           *status;

  AdwWindowTitle *window_title;
  GtkButton      *close_button;
  GtkButton      *create_button;
  GtkButton      *retry_button;
  GtkSpinner     *spinner;
  GtkActionBar   *action_bar;
  GtkWidget      *pattern_list;
  GtkWidget      *pattern_help;
  AdwEntryRow    *pattern_row;
  GtkLabel       *status_label;
  GtkListBox     *list_box;
};

G_DEFINE_FINAL_TYPE (ImprintBatchDialog, imprint_batch_dialog, ADW_TYPE_WINDOW)

static void
set_status (ImprintBatchDialog *self,
            const char         *status,
            gboolean            error)
{
  g_free (self->status);
  self->status = g_strdup (status);
  gtk_label_set_text (self->status_label, status ? status : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), status != NULL && *status != '\0');
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

static void
set_message (ItemRow    *row,
             const char *message,
             gboolean    error)
{
  gtk_label_set_text (row->message_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (row->message_label), message != NULL);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (row->message_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row->message_label), "error");
}

static void
set_name (ItemRow    *row,
          const char *name)
{
  gtk_label_set_text (row->name_label, name);
  /* A screen reader reads the name the image will have, or where it comes from. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  *name ? name : gtk_label_get_text (row->instance_label), -1);
}

/* Before: the names */

/* What the dialog says under the pattern, and whether Create may go. */
static void
update_checks (ImprintBatchDialog *self)
{
  guint n = self->instances->len;
  guint problems = self->plan ? tc_batch_plan_count_problems (self->plan) : n;
  const char *place = tc_places_region_name (self->region);
  g_autofree char *quota_problem = NULL;
  g_autofree char *text = NULL;
  gboolean error = FALSE;

  gboolean ok;

  if (self->quota_known && self->pending == 0)
    quota_problem = tc_batch_check_quota (self->used, self->quota, n);
  ok = self->pending == 0 && problems == 0 && quota_problem == NULL && self->form_problem == NULL;

  if (self->form_problem != NULL) {
    /* Translators: %s says what is wrong with the image form's description or tags, which
     * every image of the batch would get. */
    text = g_strdup_printf (_("In the form: %s"), self->form_problem);
    error = TRUE;
  } else if (self->pending > 0) {
    /* Translators: %s is a region's name, as in “South China (Guangzhou)”. */
    text = g_strdup_printf (_("Checking the names against the images in %s…"), place);
  } else if (problems > 0) {
    /* Translators: some of the names the pattern gives cannot be used; each says why. */
    text = g_strdup_printf (ngettext ("%u name cannot be used. Change the pattern.",
                                      "%u names cannot be used. Change the pattern.", problems),
                            problems);
    error = TRUE;
  } else if (quota_problem != NULL) {
    text = g_steal_pointer (&quota_problem);
    error = TRUE;
  } else if (self->facts_error != NULL) {
    /* Translators: %s says why the region's images could not be listed. The images can
     * still be made: Tencent refuses a name that is taken. */
    text = g_strdup_printf (_("The names could not be checked against the region's images: %s"),
                            self->facts_error);
  } else if (self->quota_known) {
    /* Translators: the quota before a batch: the images the region has, of how many it may
     * have, its name, then how many the batch adds (the plural form follows the last). */
    text = g_strdup_printf (ngettext ("%u of %u custom images used in %s; this batch adds %u.",
                                      "%u of %u custom images used in %s; this batch adds %u.", n),
                            self->used, self->quota, place, n);
  }

  set_status (self, text, error);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->pending > 0);
  gtk_spinner_set_spinning (self->spinner, self->pending > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button), ok);
}

static void
update_plan (ImprintBatchDialog *self)
{
  const char *pattern = gtk_editable_get_text (GTK_EDITABLE (self->pattern_row));

  g_clear_pointer (&self->plan, g_ptr_array_unref);
  self->plan = tc_batch_plan (TC_PROTOCOL_API3, pattern, self->instances,
                              (const char * const *) self->taken, self->date);

  for (guint i = 0; i < self->plan->len; i++) {
    TcBatchItem *item = g_ptr_array_index (self->plan, i);

    set_name (g_ptr_array_index (self->rows, i), item->name);
    set_message (g_ptr_array_index (self->rows, i), item->problem, TRUE);
  }
  update_checks (self);
}

static void
pattern_changed_cb (ImprintBatchDialog *self)
{
  if (self->batch == NULL)
    update_plan (self);
}

static void
images_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(ImprintBatchDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) images = tc_cvm_list_custom_images_finish (TC_CLIENT (object), result,
                                                                   &error);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->pending--;
  if (images == NULL) {
    self->facts_error = g_strdup (error->message);
    self->quota_known = FALSE;   /* the quota means little without the count */
  } else {
    self->used = g_list_model_get_n_items (images);
    for (guint i = 0; i < self->used; i++) {
      g_autoptr(TcImage) image = g_list_model_get_item (images, i);

      g_strv_builder_add (names, tc_image_get_name (image));
    }
    self->taken = g_strv_builder_end (names);
  }
  update_plan (self);
}

static void
quota_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(ImprintBatchDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  guint quota = 0;
  gboolean known = tc_cvm_get_image_quota_finish (TC_CLIENT (object), result, &quota, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->pending--;
  /* Without the quota the names can still be checked; Tencent refuses what is over it. */
  self->quota_known = known && self->facts_error == NULL;
  self->quota = quota;
  update_checks (self);
}

/* After: each image */

static void
show_item (ImprintBatchDialog *self,
           guint               index)
{
  ItemRow *row = g_ptr_array_index (self->rows, index);
  TcBatchState state = tc_image_batch_get_state (self->batch, index);

  gtk_widget_set_visible (GTK_WIDGET (row->badge), TRUE);
  switch (state) {
  case TC_BATCH_WAITING:
    imprint_state_badge_set (row->badge, _("Waiting"), IMPRINT_BADGE_TONE_NEUTRAL);
    break;
  case TC_BATCH_SENDING:
    imprint_state_badge_set (row->badge, _("Sending"), IMPRINT_BADGE_TONE_ACCENT);
    break;
  case TC_BATCH_CREATING:
    imprint_state_badge_set_outcome (row->badge, TC_HISTORY_OUTCOME_CREATING);
    break;
  case TC_BATCH_READY:
    imprint_state_badge_set_outcome (row->badge, TC_HISTORY_OUTCOME_READY);
    break;
  case TC_BATCH_FAILED:
    imprint_state_badge_set_outcome (row->badge, TC_HISTORY_OUTCOME_FAILED);
    break;
  default:
    g_assert_not_reached ();
  }
  /* The server's reason, when there is one: plain text. */
  set_message (row, tc_image_batch_get_message (self->batch, index), TRUE);
  gtk_widget_set_visible (row->retry_button, state == TC_BATCH_FAILED);
}

static void
update_progress (ImprintBatchDialog *self)
{
  g_autofree char *summary = tc_image_batch_dup_summary (self->batch);
  gboolean finished = tc_image_batch_is_finished (self->batch);
  guint failed = tc_image_batch_count (self->batch, TC_BATCH_FAILED);

  set_status (self, summary, finished && failed > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), !finished);
  gtk_spinner_set_spinning (self->spinner, !finished);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), finished && failed > 0);
  gtk_action_bar_set_revealed (self->action_bar, finished && failed > 0);
}

static void
item_changed_cb (ImprintBatchDialog *self,
                 guint               index)
{
  show_item (self, index);
  update_progress (self);
}

/* The application holds the batch until it ends, whether the dialog stays or not, and
 * sums it up in a notification. */
static void
follow (ImprintBatchDialog *self)
{
  GApplication *app = g_application_get_default ();

  if (IMPRINT_IS_APPLICATION (app))
    imprint_application_follow_batch (IMPRINT_APPLICATION (app), self->batch);
}

static void
retry_item_cb (GtkButton          *button,
               ImprintBatchDialog *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "imprint-index"));

  tc_image_batch_retry (self->batch, index);
  follow (self);
}

static void
retry_failed_cb (ImprintBatchDialog *self)
{
  tc_image_batch_retry_failed (self->batch);
  follow (self);
}

/* The batch is sent: the rows follow it, and the names are what was sent. */
static void
show_batch (ImprintBatchDialog *self)
{
  g_signal_connect_object (self->batch, "item-changed", G_CALLBACK (item_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->batch, "finished", G_CALLBACK (update_progress), self,
                           G_CONNECT_SWAPPED);
  /* Cancelled with the demo it ran in: there is nothing left to show. */
  g_signal_connect_object (self->batch, "cancelled", G_CALLBACK (gtk_window_destroy), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_set_sensitive (GTK_WIDGET (self->pattern_row), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->create_button), FALSE);
  gtk_button_set_label (self->close_button, _("_Close"));
  imprint_a11y_name_button (GTK_WIDGET (self->close_button));
  for (guint i = 0; i < self->rows->len; i++)
    show_item (self, i);
  update_progress (self);
}

static void
create_cb (ImprintBatchDialog *self)
{
  if (self->batch != NULL || !gtk_widget_get_sensitive (GTK_WIDGET (self->create_button)))
    return;

  self->batch = tc_image_batch_new (self->client, self->region, self->plan, self->options);
  tc_image_batch_set_history (self->batch, self->history, self->account_id, self->account_name);
  show_batch (self);
  follow (self);
  tc_image_batch_start (self->batch);
}

/* Rows */

static ItemRow *
item_row_new (ImprintBatchDialog *self,
              guint               index)
{
  TcInstance *instance = g_ptr_array_index (self->instances, index);
  ItemRow *row = g_new0 (ItemRow, 1);
  GtkWidget *list_row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *retry = gtk_button_new_from_icon_name ("view-refresh-symbolic");
  g_autofree char *about = NULL;
  g_autofree char *retry_label = NULL;
  const char *name = tc_instance_get_name (instance);

  row->row = list_row;
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (list_row), FALSE);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 9);
  gtk_widget_set_margin_bottom (box, 9);
  gtk_widget_set_hexpand (texts, TRUE);

  row->name_label = GTK_LABEL (gtk_label_new (NULL));
  row->instance_label = GTK_LABEL (gtk_label_new (NULL));
  row->message_label = GTK_LABEL (gtk_label_new (NULL));
  for (GtkLabel **label = &row->name_label; label <= &row->message_label; label++) {
    gtk_label_set_xalign (*label, 0.0);
    gtk_label_set_wrap (*label, TRUE);
    gtk_label_set_wrap_mode (*label, PANGO_WRAP_WORD_CHAR);
    gtk_box_append (GTK_BOX (texts), GTK_WIDGET (*label));
  }
  gtk_widget_add_css_class (GTK_WIDGET (row->instance_label), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (row->instance_label), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (row->message_label), "caption");
  gtk_label_set_selectable (row->message_label, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (row->message_label), FALSE);
  /* Translators: under an image's name in a batch: the instance's name and ID. */
  about = g_strdup_printf (_("from %s (%s)"), name && *name ? name : tc_instance_get_id (instance),
                           tc_instance_get_id (instance));
  gtk_label_set_text (row->instance_label, about);

  row->badge = IMPRINT_STATE_BADGE (imprint_state_badge_new ());
  gtk_widget_set_valign (GTK_WIDGET (row->badge), GTK_ALIGN_CENTER);
  gtk_widget_set_visible (GTK_WIDGET (row->badge), FALSE);

  row->retry_button = retry;
  gtk_widget_set_valign (retry, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (retry, FALSE);
  gtk_widget_add_css_class (retry, "flat");
  gtk_widget_set_tooltip_text (retry, _("Retry"));
  /* Translators: the retry button of one image of a batch; %s is the instance's name. */
  retry_label = g_strdup_printf (_("Retry %s"), name && *name ? name : tc_instance_get_id (instance));
  gtk_accessible_update_property (GTK_ACCESSIBLE (retry), GTK_ACCESSIBLE_PROPERTY_LABEL, retry_label, -1);
  g_object_set_data (G_OBJECT (retry), "imprint-index", GUINT_TO_POINTER (index));
  g_signal_connect_object (retry, "clicked", G_CALLBACK (retry_item_cb), self, 0);

  gtk_box_append (GTK_BOX (box), texts);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (row->badge));
  gtk_box_append (GTK_BOX (box), retry);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (list_row), box);
  gtk_list_box_append (self->list_box, list_row);
  return row;
}

/* GObject */

static void
imprint_batch_dialog_dispose (GObject *object)
{
  ImprintBatchDialog *self = IMPRINT_BATCH_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->history);
  /* The batch stays until finalize: what listens to "destroy" (the image form) asks for it. */
  if (self->batch != NULL)
    g_signal_handlers_disconnect_by_data (self->batch, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), IMPRINT_TYPE_BATCH_DIALOG);

  G_OBJECT_CLASS (imprint_batch_dialog_parent_class)->dispose (object);
}

static void
imprint_batch_dialog_finalize (GObject *object)
{
  ImprintBatchDialog *self = IMPRINT_BATCH_DIALOG (object);

  g_free (self->account_id);
  g_free (self->account_name);
  g_free (self->region);
  g_free (self->facts_error);
  g_free (self->form_problem);
  g_free (self->status);
  g_strfreev (self->taken);
  g_clear_pointer (&self->instances, g_ptr_array_unref);
  g_clear_pointer (&self->plan, g_ptr_array_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->options, tc_image_request_free);
  g_clear_pointer (&self->date, g_date_time_unref);
  g_clear_object (&self->batch);

  G_OBJECT_CLASS (imprint_batch_dialog_parent_class)->finalize (object);
}

static void
imprint_batch_dialog_class_init (ImprintBatchDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = imprint_batch_dialog_dispose;
  object_class->finalize = imprint_batch_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/imprint/Imprint/imprint-batch-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ImprintBatchDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, ImprintBatchDialog, close_button);
  gtk_widget_class_bind_template_child (widget_class, ImprintBatchDialog, create_button);
  gtk_widget_class_bind_template_child (widget_class, ImprintBatchDialog, retry_button);
  gtk_widget_class_bind_template_child (widget_class, ImprintBatchDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, ImprintBatchDialog, action_bar);
  gtk_widget_class_bind_template_child (widget_class, ImprintBatchDialog, pattern_list);
  gtk_widget_class_bind_template_child (widget_class, ImprintBatchDialog, pattern_help);
  gtk_widget_class_bind_template_child (widget_class, ImprintBatchDialog, pattern_row);
  gtk_widget_class_bind_template_child (widget_class, ImprintBatchDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, ImprintBatchDialog, list_box);
  gtk_widget_class_bind_template_callback (widget_class, pattern_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, create_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_failed_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
imprint_batch_dialog_init (ImprintBatchDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  imprint_a11y_name_buttons (GTK_WIDGET (self));
  self->rows = g_ptr_array_new_with_free_func (g_free);
  self->cancellable = g_cancellable_new ();
  self->date = g_date_time_new_now_local ();
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->create_button));
  adw_entry_row_set_activates_default (self->pattern_row, TRUE);
}

/* The title, and a row for each of the instances. */
static void
add_rows (ImprintBatchDialog *self)
{
  guint n = self->instances->len;
  /* Translators: the batch dialog's title; %u is how many instances. */
  g_autofree char *title = g_strdup_printf (ngettext ("Image %u Instance", "Image %u Instances", n),
                                            n);

  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, tc_places_region_name (self->region));
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (self->rows, item_row_new (self, i));
}

/**
 * imprint_batch_dialog_new:
 *
 * The dialog lists the region's images and its quota at once, to check the names against
 * them; the user changes the pattern until every name can be used, then presses Create.
 *
 * Returns: (transfer none): a new dialog, owned by GTK's list of toplevels
 */
ImprintBatchDialog *
imprint_batch_dialog_new (GtkWindow            *parent,
                          TcClient             *client,
                          TcHistory            *history,
                          const char           *account_id,
                          const char           *account_name,
                          const char           *region,
                          GPtrArray            *instances,
                          const TcImageRequest *options)
{
  ImprintBatchDialog *self;
  g_autofree char *button = NULL;

  g_return_val_if_fail (TC_IS_CLIENT (client), NULL);
  g_return_val_if_fail (region != NULL, NULL);
  g_return_val_if_fail (instances != NULL && instances->len > 0, NULL);
  g_return_val_if_fail (options != NULL, NULL);

  self = g_object_new (IMPRINT_TYPE_BATCH_DIALOG, "transient-for", parent, NULL);
  imprint_dialog_follow_parent (GTK_WINDOW (self));
  self->client = g_object_ref (client);
  self->history = history != NULL ? g_object_ref (history) : NULL;
  self->account_id = g_strdup (account_id);
  self->account_name = g_strdup (account_name);
  self->region = g_strdup (region);
  self->instances = g_ptr_array_copy (instances, (GCopyFunc) (void (*) (void)) g_object_ref, NULL);
  g_ptr_array_set_free_func (self->instances, g_object_unref);
  self->options = tc_image_request_copy (options);

  /* Translators: the batch dialog's main button; %u is how many images. */
  button = g_strdup_printf (ngettext ("C_reate %u Image", "C_reate %u Images", instances->len),
                            instances->len);
  gtk_button_set_label (self->create_button, button);
  imprint_a11y_name_button (GTK_WIDGET (self->create_button));
  add_rows (self);

  self->pending = 2;
  tc_cvm_list_custom_images_async (client, region, self->cancellable, images_cb,
                                   g_object_ref (self));
  tc_cvm_get_image_quota_async (client, region, self->cancellable, quota_cb, g_object_ref (self));
  /* The name and the date tell images made the same day from the same instances apart,
   * and sort by day in the console. */
  gtk_editable_set_text (GTK_EDITABLE (self->pattern_row), "{name}-{date}");
  update_plan (self);
  return self;
}

/**
 * imprint_batch_dialog_new_for_batch:
 * @batch: a batch sent from a dialog since closed
 *
 * The dialog again, as its batch is now: each image, and the retry of those that failed.
 * The pattern is not shown: the names are what was sent.
 *
 * Returns: (transfer none): a new dialog, owned by GTK's list of toplevels
 */
ImprintBatchDialog *
imprint_batch_dialog_new_for_batch (GtkWindow    *parent,
                                    TcImageBatch *batch)
{
  ImprintBatchDialog *self;

  g_return_val_if_fail (TC_IS_IMAGE_BATCH (batch), NULL);

  self = g_object_new (IMPRINT_TYPE_BATCH_DIALOG, "transient-for", parent, NULL);
  imprint_dialog_follow_parent (GTK_WINDOW (self));
  self->batch = g_object_ref (batch);
  self->region = g_strdup (tc_image_batch_get_region (batch));
  self->instances = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < tc_image_batch_get_n_items (batch); i++)
    g_ptr_array_add (self->instances, g_object_ref (tc_image_batch_get_instance (batch, i)));
  add_rows (self);
  for (guint i = 0; i < self->rows->len; i++)
    set_name (g_ptr_array_index (self->rows, i), tc_image_batch_get_name (batch, i));
  gtk_widget_set_visible (self->pattern_list, FALSE);
  gtk_widget_set_visible (self->pattern_help, FALSE);
  show_batch (self);
  return self;
}

TcImageBatch *
imprint_batch_dialog_get_batch (ImprintBatchDialog *self)
{
  g_return_val_if_fail (IMPRINT_IS_BATCH_DIALOG (self), NULL);

  return self->batch;
}

void
imprint_batch_dialog_set_form_problem (ImprintBatchDialog *self,
                                       const char         *problem)
{
  g_return_if_fail (IMPRINT_IS_BATCH_DIALOG (self));

  g_free (self->form_problem);
  self->form_problem = g_strdup (problem);
  if (self->batch == NULL)
    update_checks (self);
}

/* For the tests */

const char *
imprint_batch_dialog_get_name (ImprintBatchDialog *self,
                               guint               index)
{
  g_return_val_if_fail (IMPRINT_IS_BATCH_DIALOG (self), NULL);
  g_return_val_if_fail (index < self->rows->len, NULL);

  if (self->batch != NULL)
    return tc_image_batch_get_name (self->batch, index);
  return ((TcBatchItem *) g_ptr_array_index (self->plan, index))->name;
}

gboolean
imprint_batch_dialog_is_checked (ImprintBatchDialog *self)
{
  g_return_val_if_fail (IMPRINT_IS_BATCH_DIALOG (self), FALSE);

  return self->pending == 0;
}

const char *
imprint_batch_dialog_get_problem (ImprintBatchDialog *self,
                                  guint               index)
{
  g_return_val_if_fail (IMPRINT_IS_BATCH_DIALOG (self), NULL);
  g_return_val_if_fail (index < self->plan->len, NULL);

  return ((TcBatchItem *) g_ptr_array_index (self->plan, index))->problem;
}

const char *
imprint_batch_dialog_get_status (ImprintBatchDialog *self)
{
  g_return_val_if_fail (IMPRINT_IS_BATCH_DIALOG (self), NULL);

  return self->status;
}
