/* imprint-create-page-actions.c: what the user does with the image form
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tags are added and removed; Check and Create each run one TcImageJob (core/), whose end
 * the page shows in its fields and hands on to the window ("job-finished"); a Create that
 * was accepted joins Recent Images, which follow their history entries as the tracker
 * updates them; "Use as template" fills the form from an earlier request.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "imprint-application.h"
#include "imprint-batch-dialog.h"
#include "imprint-create-page-private.h"

/* Tags. */

static void
renumber_tags (ImprintCreatePage *self)
{
  GtkListBoxRow *row;

  for (guint i = 0; (row = gtk_list_box_get_row_at_index (self->tags_list, (int) i)) != NULL; i++)
    imprint_tag_row_set_position (IMPRINT_TAG_ROW (row), i + 1);
  gtk_widget_set_visible (GTK_WIDGET (self->tags_list),
                          gtk_list_box_get_row_at_index (self->tags_list, 0) != NULL);
}

static void
remove_tag_cb (ImprintCreatePage *self,
               ImprintTagRow     *row)
{
  int index = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row));
  GtkListBoxRow *next;

  gtk_list_box_remove (self->tags_list, GTK_WIDGET (row));
  renumber_tags (self);
  tc_image_draft_forget_refusal (self->draft, TC_FIELD_TAGS);
  _imprint_create_page_update_form (self);

  /* Keep the keyboard where it was: on the next tag, the previous one, or Add Tag. */
  next = gtk_list_box_get_row_at_index (self->tags_list, index);
  if (next == NULL && index > 0)
    next = gtk_list_box_get_row_at_index (self->tags_list, index - 1);
  if (next != NULL)
    imprint_tag_row_focus_key (IMPRINT_TAG_ROW (next));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->add_tag_button));
}

ImprintTagRow *
_imprint_create_page_append_tag (ImprintCreatePage *self,
            const char        *key,
            const char        *value)
{
  GtkWidget *row = imprint_tag_row_new (key, value);

  g_signal_connect_object (row, "changed", G_CALLBACK (_imprint_create_page_tag_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "remove", G_CALLBACK (remove_tag_cb), self, G_CONNECT_SWAPPED);
  gtk_list_box_append (self->tags_list, row);
  renumber_tags (self);
  return IMPRINT_TAG_ROW (row);
}

void
_imprint_create_page_clear_tags (ImprintCreatePage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->tags_list))) != NULL)
    gtk_list_box_remove (self->tags_list, child);
  renumber_tags (self);
}

void
_imprint_create_page_add_tag_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  ImprintCreatePage *self = IMPRINT_CREATE_PAGE (widget);
  ImprintTagRow *row = _imprint_create_page_append_tag (self, NULL, NULL);

  _imprint_create_page_update_form (self);
  imprint_tag_row_focus_key (row);
}

/* Following new images: the tracker follows the history entry, the page shows it. */

static void
recent_finished_cb (ImprintCreatePage     *self,
                    gboolean               ok,
                    ImprintRecentImageRow *row)
{
  TcHistoryEntry *entry = imprint_recent_image_row_get_entry (row);

  g_signal_emit (self, _imprint_create_page_signals[SIGNAL_IMAGE_FINISHED], 0,
                 tc_history_entry_get_record (entry)->image_name, tc_history_entry_get_record (entry)->image_id, ok,
                 tc_history_entry_get_record (entry)->id);

  /* A new image counts against the quota from the start; a failed one may not. */
  if (!ok && g_strcmp0 (tc_history_entry_get_record (entry)->region, self->region) == 0)
    _imprint_create_page_start_quota_fetch (self);
  _imprint_create_page_update_form (self);
}

static void
recent_copied_cb (ImprintCreatePage *self)
{
  toast (self, _("Image ID copied"));
}

static void
follow_entry (ImprintCreatePage *self,
              TcHistoryEntry    *entry)
{
  GtkWidget *row = imprint_recent_image_row_new (entry);

  g_signal_connect_object (row, "finished", G_CALLBACK (recent_finished_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "copied", G_CALLBACK (recent_copied_cb), self, G_CONNECT_SWAPPED);
  gtk_list_box_prepend (self->recent_list, row);
  gtk_widget_set_visible (GTK_WIDGET (self->recent_group), TRUE);
}

static void
update_recent_group (ImprintCreatePage *self)
{
  gboolean batches = gtk_widget_get_first_child (GTK_WIDGET (self->batch_list)) != NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->batch_list), batches);
  gtk_widget_set_visible (GTK_WIDGET (self->recent_group),
                          batches || gtk_widget_get_first_child (GTK_WIDGET (self->recent_list)) != NULL);
}

/* An entry removed from the history (Remove, Clear History) leaves Recent Images too. */
void
_imprint_create_page_history_changed_cb (ImprintCreatePage *self)
{
  GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list));

  while (row != NULL) {
    GtkWidget *next = gtk_widget_get_next_sibling (row);
    TcHistoryEntry *entry = imprint_recent_image_row_get_entry (IMPRINT_RECENT_IMAGE_ROW (row));

    if (tc_history_find_by_id (self->history, tc_history_entry_get_record (entry)->id) == NULL)
      gtk_list_box_remove (self->recent_list, row);
    row = next;
  }
  update_recent_group (self);
}

/* Batches. Once a batch's dialog is closed, a row of Recent Images says how the batch
 * goes, and shows it again in a dialog of its own (each image, the retry of those that
 * failed) for as long as the page lives. */

static void
batch_row_update (AdwActionRow *row)
{
  TcImageBatch *batch = g_object_get_data (G_OBJECT (row), "imprint-batch");
  g_autofree char *summary = tc_image_batch_dup_summary (batch);

  adw_action_row_set_subtitle (row, summary);
}

static void batch_dialog_destroy_cb (ImprintCreatePage  *self,
                                     ImprintBatchDialog *dialog);

static void
show_batch (ImprintCreatePage *self,
            TcImageBatch      *batch)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  ImprintBatchDialog *dialog =
    imprint_batch_dialog_new_for_batch (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, batch);

  g_signal_connect_object (dialog, "destroy", G_CALLBACK (batch_dialog_destroy_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
show_batch_cb (GtkButton         *button,
               ImprintCreatePage *self)
{
  show_batch (self, g_object_get_data (G_OBJECT (button), "imprint-batch"));
}

/* A batch's dialog went: the batch's images count against the quota the form shows, and
 * a batch sent gets its row. */
static void
batch_dialog_destroy_cb (ImprintCreatePage  *self,
                         ImprintBatchDialog *dialog)
{
  TcImageBatch *batch = imprint_batch_dialog_get_batch (dialog);
  g_autoptr(GString) names = g_string_new (NULL);
  GtkWidget *row, *show;

  imprint_create_page_refresh_quota (self);
  if (batch == NULL)
    return;
  for (row = gtk_widget_get_first_child (GTK_WIDGET (self->batch_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row)) {
    if (g_object_get_data (G_OBJECT (row), "imprint-batch") == batch)
      return;
  }

  for (guint i = 0; i < tc_image_batch_get_n_items (batch); i++)
    /* Translators: between the names of the images of a batch, in one line. */
    g_string_append_printf (names, "%s%s", i > 0 ? _(", ") : "", tc_image_batch_get_name (batch, i));
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), names->str);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 1);
  g_object_set_data_full (G_OBJECT (row), "imprint-batch", g_object_ref (batch), g_object_unref);
  show = gtk_button_new_with_mnemonic (_("_Show"));
  imprint_a11y_name_button (show);
  gtk_widget_set_valign (show, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (show, _("Show the progress of these images"));
  g_object_set_data (G_OBJECT (show), "imprint-batch", batch);
  g_signal_connect_object (show, "clicked", G_CALLBACK (show_batch_cb), self, 0);
  /* Not the row's activatable widget: libadwaita would name the button by the row's title,
   * where a sighted user reads “Show”. */
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), show);
  g_signal_connect_object (batch, "item-changed", G_CALLBACK (batch_row_update), row,
                           G_CONNECT_SWAPPED);
  batch_row_update (ADW_ACTION_ROW (row));
  gtk_list_box_prepend (self->batch_list, row);
  update_recent_group (self);
}

/* Check and Create. */

/* Ends the job in flight (the form reads it no more); returns it. */
static TcImageJob *
end_job (ImprintCreatePage *self)
{
  TcImageJob *job = g_steal_pointer (&self->job);

  g_clear_object (&self->job_cancellable);
  g_object_notify_by_pspec (G_OBJECT (self), _imprint_create_page_properties[PROP_BUSY]);
  return job;
}

/* The tags of the form with a key, in their order. */
static void
add_form_tags (ImprintCreatePage *self,
               TcImageRequest    *request)
{
  GtkListBoxRow *row;

  for (guint i = 0; (row = gtk_list_box_get_row_at_index (self->tags_list, (int) i)) != NULL; i++) {
    const char *key = imprint_tag_row_get_key (IMPRINT_TAG_ROW (row));

    if (*key != '\0')
      tc_image_request_add_tag (request, key, imprint_tag_row_get_value (IMPRINT_TAG_ROW (row)));
  }
}

TcImageRequest *
_imprint_create_page_build_request (ImprintCreatePage *self)
{
  TcImageRequest *request;
  g_autoptr(GPtrArray) disk_ids = g_ptr_array_new_with_free_func (g_free);
  GtkListBoxRow *row;

  request = tc_image_request_new (tc_instance_get_id (chosen (self)), _imprint_create_page_get_name (self),
                                  empty_to_null (_imprint_create_page_get_description (self)));
  if (!is_api3 (self))
    return request;

  request->force_poweroff = gtk_check_button_get_active (self->poweroff_check);
  request->sysprep = gtk_widget_get_visible (GTK_WIDGET (self->sysprep_row)) &&
                     gtk_check_button_get_active (self->sysprep_check);

  for (guint i = 0; (row = gtk_list_box_get_row_at_index (self->disks_list, (int) i)) != NULL; i++) {
    if (imprint_disk_row_get_active (IMPRINT_DISK_ROW (row)))
      g_ptr_array_add (disk_ids, g_strdup (imprint_disk_row_get_disk_id (IMPRINT_DISK_ROW (row))));
  }
  if (disk_ids->len > 0) {
    g_ptr_array_add (disk_ids, NULL);
    request->data_disk_ids = (GStrv) g_ptr_array_steal (disk_ids, NULL);
  }

  add_form_tags (self, request);

  return request;
}

static void
reset_form (ImprintCreatePage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->description_row), "");
  _imprint_create_page_clear_tags (self);
  self->name_touched = FALSE;
  self->name_settled = FALSE;
  tc_image_draft_forget_refusal (self->draft, TC_FIELD_NAME);
  tc_image_draft_forget_refusal (self->draft, TC_FIELD_DESCRIPTION);
  tc_image_draft_forget_refusal (self->draft, TC_FIELD_TAGS);
}

/* The draft puts the server's reason under the field at fault and tells the preflight what
 * the refusal says is stale. Returns whether a field of the form took the reason. */
static gboolean
route_failure (ImprintCreatePage    *self,
               const TcImageRequest *request,
               const GError         *error)
{
  switch (tc_image_draft_refused (self->draft, error, request->name)) {
  case TC_FIELD_INSTANCE:
  case TC_FIELD_NAME:
  case TC_FIELD_DESCRIPTION:
  case TC_FIELD_TAGS:
  case TC_FIELD_QUOTA:
    return TRUE;
  case TC_FIELD_NONE:
  case TC_FIELD_REGION:
  case TC_FIELD_DATA_DISKS:
  case TC_FIELD_CREDENTIALS:
  default:
    /* The form has no row of its own for these: the reason goes above the buttons. */
    return FALSE;
  }
}

static void
job_failed (ImprintCreatePage *self,
            TcImageJob        *job,
            const GError      *error)
{
  const TcImageRequest *request = tc_image_job_get_request (job);
  const char *server_message = tc_error_get_server_message (error);

  /* The field at fault shows the server's reason; otherwise it goes above the buttons. */
  if (!route_failure (self, request, error) && server_message != NULL && *server_message != '\0')
    set_label_text (self->result_message, server_message);
  else
    set_label_text (self->result_message, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->result_message),
                          *gtk_label_get_text (self->result_message) != '\0');

  /* A Create that got no answer may have made the image: the name and the quota are
   * asked again, so that sending it again is not offered for a name now taken. */
  if (g_error_matches (error, TC_ERROR, TC_ERROR_NO_ANSWER))
    imprint_create_page_refresh_quota (self);
  _imprint_create_page_set_outcome (self, job);
}

/* A Create was accepted: it joins Recent Images, and where the form still is (the same
 * account and region) the name is taken now, one more image counts against the quota, and
 * a running instance is being shut down: the facts are stale. TRUE when it is there. */
static gboolean
created (ImprintCreatePage *self,
         TcImageJob        *job)
{
  if (tc_image_job_get_client (job) != self->client ||
      g_strcmp0 (tc_image_job_get_region (job), self->region) != 0)
    return FALSE;
  if (tc_image_job_get_entry (job) != NULL)
    follow_entry (self, tc_image_job_get_entry (job));
  tc_preflight_mark_taken (self->preflight, tc_image_job_get_request (job)->name, FALSE);
  _imprint_create_page_start_quota_fetch (self);
  _imprint_create_page_start_instance_refresh (self);
  return TRUE;
}

static void
job_succeeded (ImprintCreatePage *self,
               TcImageJob        *job)
{
  if (tc_image_job_is_check (job))
    _imprint_create_page_set_outcome (self, job);
  else if (created (self, job))
    reset_form (self);
}

static void
job_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GWeakRef *page = user_data;
  g_autoptr(ImprintCreatePage) self = g_weak_ref_get (page);
  TcImageJob *job = TC_IMAGE_JOB (object);
  g_autoptr(TcImageJob) ended = NULL;
  g_autoptr(GError) error = NULL;
  TcHistoryEntry *entry;

  g_weak_ref_clear (page);
  g_free (page);
  tc_image_job_run_finish (job, result, &error);
  imprint_application_release_request ();
  /* The page is gone (its window closed, or another account's took its place): its
   * dispose let the job run on, so that what the server answered is recorded; the desktop
   * says how a Create ended, since no toast will. Not the demo's: it ended with its
   * window, and its History with it. */
  if (self == NULL) {
    TcHistory *history = tc_image_job_get_history (job);

    if (!tc_image_job_is_check (job) && history != NULL && tc_history_get_path (history) != NULL)
      imprint_application_notify_request (job);
    return;
  }
  /* Cancelled (the form forgot the job then): a Create that had been sent was answered
   * all the same, and recorded. The window says how it ended; the form, if the user typed
   * on, keeps what is typed. */
  if (job != self->job) {
    if (tc_image_job_get_state (job) != TC_IMAGE_JOB_CANCELLED) {
      if (tc_image_job_get_state (job) == TC_IMAGE_JOB_SUCCEEDED)
        created (self, job);
      g_signal_emit (self, _imprint_create_page_signals[SIGNAL_JOB_FINISHED], 0, job);
      _imprint_create_page_update_form (self);
    }
    return;
  }

  ended = end_job (self);
  g_warn_if_fail (ended == job);

  /* The checks of one image, then its Create, go to one entry. */
  entry = tc_image_job_get_entry (job);
  if (entry != NULL)
    set_string (&self->attempt_id, tc_image_job_is_check (job) ? tc_history_entry_get_record (entry)->id : NULL);

  if (error != NULL)
    job_failed (self, job, error);
  else
    job_succeeded (self, job);
  g_signal_emit (self, _imprint_create_page_signals[SIGNAL_JOB_FINISHED], 0, job);
  _imprint_create_page_update_form (self);
}

/* The job looked at the instance again: the form shows it as it is now. */
static void
job_instance_cb (ImprintCreatePage *self,
                 GParamSpec        *pspec,
                 TcImageJob        *job)
{
  if (job == self->job)
    tc_preflight_update_instance (self->preflight, tc_image_job_get_instance (job));
}

static void
start_job (ImprintCreatePage *self,
           gboolean           check)
{
  g_autoptr(TcImageRequest) request = NULL;
  GWeakRef *page;
  GtkRoot *root;
  GtkWidget *focus;

  /* Submitting settles the name: what was a word in progress is now the name, and a
   * trailing space stops the request here, said under the field. */
  if (self->job == NULL && (!self->name_settled || !self->instance_asked)) {
    self->name_settled = TRUE;
    self->instance_asked = TRUE;
    _imprint_create_page_update_form (self);
    if (self->problem != NULL && gtk_widget_get_visible (GTK_WIDGET (self->name_message_label))) {
      gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
      return;
    }
  }

  /* One request at a time: a second activation while one is in flight does nothing. */
  if (self->job != NULL || self->problem != NULL || chosen (self) == NULL)
    return;
  if (check && !is_api3 (self))
    return;

  request = _imprint_create_page_build_request (self);
  self->job = tc_image_job_new (self->client, self->region, chosen (self), request, check);
  self->job_cancellable = g_cancellable_new ();
  tc_image_job_set_history (self->job, self->history, self->account_id, self->account_name,
                            self->attempt_id);
  g_signal_connect_object (self->job, "notify::instance", G_CALLBACK (job_instance_cb), self,
                           G_CONNECT_SWAPPED);

  set_label_text (self->result_message, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->result_message), FALSE);

  /* The form goes insensitive while the request is out, which would drop the keyboard
   * focus: it waits on the button that now cancels, and comes back afterwards. */
  root = gtk_widget_get_root (GTK_WIDGET (self));
  focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  g_set_weak_pointer (&self->focus_before,
                      focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self)) ? focus
                                                                                      : NULL);
  self->restore_focus = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), _imprint_create_page_properties[PROP_BUSY]);
  _imprint_create_page_update_form (self);
  gtk_widget_grab_focus (GTK_WIDGET (check ? self->check_button : self->create_button));

  /* Until it is answered, the request keeps the application running, whatever becomes of
   * the window; the page may go meanwhile. */
  page = g_new0 (GWeakRef, 1);
  g_weak_ref_init (page, self);
  imprint_application_hold_request ();
  tc_image_job_run_async (self->job, self->job_cancellable, job_done_cb, page);
}

void
_imprint_create_page_create_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  start_job (IMPRINT_CREATE_PAGE (widget), FALSE);
}

void
_imprint_create_page_check_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  start_job (IMPRINT_CREATE_PAGE (widget), TRUE);
}

/* The form stops waiting at once; its callback will find the cancellation. A Create
 * already sent cannot be taken back: it runs on and is recorded (tc-image-job.c), and
 * the user is told where its answer will be. */
void
_imprint_create_page_cancel_operation (ImprintCreatePage *self)
{
  g_autoptr(TcImageJob) job = NULL;
  gboolean sent;

  if (self->job == NULL)
    return;

  sent = !tc_image_job_is_check (self->job) &&
         tc_image_job_get_state (self->job) == TC_IMAGE_JOB_SENDING;
  g_cancellable_cancel (self->job_cancellable);
  job = end_job (self);

  if (sent) {
    /* The attempt is the sent one's now: the next check starts another. */
    set_string (&self->attempt_id, NULL);
    set_label_text (self->result_message,
                    _("The request had already been sent, so it may still succeed. Its "
                      "answer will be in the History."));
    gtk_widget_set_visible (GTK_WIDGET (self->result_message), TRUE);
  }
  _imprint_create_page_update_form (self);
}

void
_imprint_create_page_cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  _imprint_create_page_cancel_operation (IMPRINT_CREATE_PAGE (widget));
}

/* A running instance chosen in the picker comes with the user's agreement to shut it
 * down, which the form's check button then shows. */
static void
instance_chosen_cb (ImprintCreatePage     *self,
                    TcInstance            *instance,
                    ImprintInstancePicker *picker)
{
  if (imprint_instance_picker_get_force_poweroff (picker))
    gtk_check_button_set_active (self->poweroff_check, TRUE);
  /* The user's choice wins over a template's instance still on its way. */
  _imprint_create_page_drop_template (self);
  imprint_create_page_set_instance (self, instance);
}

/* Several instances: the batch dialog takes them, with the form's description, tags and
 * options for every image (the disks are each instance's own, so none are added). */
static void
instances_chosen_cb (ImprintCreatePage     *self,
                     GPtrArray             *instances,
                     ImprintInstancePicker *picker)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(TcImageRequest) options = NULL;
  g_autofree char *problem = NULL;
  GtkWidget *dialog;

  if (imprint_instance_picker_get_force_poweroff (picker))
    gtk_check_button_set_active (self->poweroff_check, TRUE);
  /* What the form says of its description and tags holds for every image of the batch. */
  problem = tc_image_draft_check (self->draft, TC_FIELD_DESCRIPTION);
  if (problem == NULL)
    problem = tc_image_draft_check (self->draft, TC_FIELD_TAGS);
  options = tc_image_request_new (NULL, NULL,
                                  empty_to_null (_imprint_create_page_get_description (self)));
  options->force_poweroff = gtk_check_button_get_active (self->poweroff_check);
  add_form_tags (self, options);
  dialog = GTK_WIDGET (imprint_batch_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                 self->client, self->history, self->account_id,
                                                 self->account_name, self->region, instances,
                                                 options));
  imprint_batch_dialog_set_form_problem (IMPRINT_BATCH_DIALOG (dialog), problem);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (batch_dialog_destroy_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_imprint_create_page_choose_instance_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  ImprintCreatePage *self = IMPRINT_CREATE_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  ImprintInstancePicker *picker;

  if (self->client == NULL || self->region == NULL || self->job != NULL)
    return;

  self->instance_asked = TRUE;
  picker = imprint_instance_picker_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        self->client, self->region, _imprint_create_page_force_poweroff (self));
  g_signal_connect_object (picker, "instance-chosen", G_CALLBACK (instance_chosen_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (picker, "instances-chosen", G_CALLBACK (instances_chosen_cb), self,
                           G_CONNECT_SWAPPED);
  /* Closed without a choice, the form now says an instance is needed. */
  g_signal_connect_object (picker, "destroy", G_CALLBACK (_imprint_create_page_update_form), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (picker));
}


static void
template_instance_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  ImprintCreatePage *self = user_data;
  g_autoptr(TcInstance) instance = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) disk_ids = NULL;
  GtkListBoxRow *row;

  instance = tc_cvm_get_instance_finish (TC_CLIENT (object), result, &error);
  if (is_cancelled (error))
    return;

  disk_ids = g_steal_pointer (&self->template_disk_ids);
  if (instance == NULL) {
    if (g_error_matches (error, TC_ERROR, TC_ERROR_NOT_FOUND))
      toast (self, _("The instance of that request no longer exists. Choose another instance."));
    else
      toast (self, error->message);
    return;
  }

  imprint_create_page_set_instance (self, instance);

  /* The data disks of the template that the instance still has. */
  for (guint i = 0; disk_ids != NULL &&
                    (row = gtk_list_box_get_row_at_index (self->disks_list, (int) i)) != NULL; i++) {
    const char *disk_id = imprint_disk_row_get_disk_id (IMPRINT_DISK_ROW (row));

    if (g_strv_contains ((const char * const *) disk_ids, disk_id))
      imprint_disk_row_set_active (IMPRINT_DISK_ROW (row), TRUE);
  }
}

/**
 * imprint_create_page_use_template:
 * @request: what an earlier request asked for
 * @region: (nullable): where it was sent
 *
 * Fills the form as @request was (“Use as template”): region, name, description, options
 * and tags at once; the instance once it has been fetched again (a toast says so when it
 * no longer exists), unless the region or account changes first. A request in flight is
 * left alone: nothing changes then.
 */
void
imprint_create_page_use_template (ImprintCreatePage    *self,
                                  const TcImageRequest *request,
                                  const char           *region)
{
  g_return_if_fail (IMPRINT_IS_CREATE_PAGE (self));
  g_return_if_fail (request != NULL);

  if (self->job != NULL)
    return;

  if (region != NULL)
    imprint_create_page_set_region (self, region);
  imprint_create_page_set_image_name (self, request->name);
  /* A name that was sent before is no word in progress. */
  self->name_settled = TRUE;
  imprint_create_page_set_description (self, request->description);
  _imprint_create_page_clear_tags (self);
  if (is_api3 (self)) {
    gtk_check_button_set_active (self->poweroff_check, request->force_poweroff);
    gtk_check_button_set_active (self->sysprep_check, request->sysprep);
    for (guint i = 0; request->tags != NULL && i < request->tags->len; i++) {
      const TcTag *tag = g_ptr_array_index (request->tags, i);

      _imprint_create_page_append_tag (self, tag->key, tag->value);
    }
  }
  _imprint_create_page_update_form (self);

  g_clear_pointer (&self->template_disk_ids, g_strfreev);
  self->template_disk_ids = g_strdupv (request->data_disk_ids);
  g_free (self->template_instance);
  self->template_instance = g_strdup (request->instance_id);
  _imprint_create_page_fetch_template_instance (self);
}

/* A template's instance still to come is dropped when the region or the account changes
 * (in another, the pre-flight would look for it in vain and call it deleted), and when the
 * user chooses an instance (it would replace that choice). */
void
_imprint_create_page_drop_template (ImprintCreatePage *self)
{
  cancel_and_clear (&self->template_cancellable);
  g_clear_pointer (&self->template_disk_ids, g_strfreev);
  g_clear_pointer (&self->template_instance, g_free);
}

/* The template's instance, asked for now, or when the form has a client. */
void
_imprint_create_page_fetch_template_instance (ImprintCreatePage *self)
{
  if (self->client == NULL || self->region == NULL || self->template_instance == NULL)
    return;
  tc_cvm_get_instance_async (self->client, self->region, self->template_instance,
                             renew_cancellable (&self->template_cancellable),
                             template_instance_cb, self);
  g_clear_pointer (&self->template_instance, g_free);
}
