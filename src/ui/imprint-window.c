/* imprint-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window shows nothing slow before its first frame: the accounts file is read and the
 * keyring asked afterwards, asynchronously. Then it shows the welcome page (no account),
 * the workspace of the current account, or what went wrong with it and what to do.
 *
 * What concerns the accounts themselves (loading them, the keyring, the editor, removal,
 * the demo) is in imprint-window-accounts.c; imprint-window-private.h holds the struct
 * and what the two files share.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "imprint-a11y.h"
#include "imprint-application.h"
#include "imprint-copy-dialog.h"
#include "imprint-create-page.h"
#include "imprint-page-bin.h"
#include "imprint-toast.h"
#include "imprint-window-private.h"
#include "tc-error.h"
#include "tc-image-job.h"
#include "tc-places.h"
#include "tc-region-choice.h"

G_DEFINE_FINAL_TYPE (ImprintWindow, imprint_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SESSION,
  PROP_PACER,
  PROP_HISTORY,
  PROP_TRACKER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static ImprintCreatePage *
shown_create_page (ImprintWindow *self)
{
  GtkWidget *child = adw_bin_get_child (self->workspace);

  if (!IMPRINT_IS_CREATE_PAGE (child) ||
      g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "workspace") != 0 ||
      g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "create") != 0)
    return NULL;
  return IMPRINT_CREATE_PAGE (child);
}

/* Whether the Images view is shown: its toasts rise above its bar of actions. */
static gboolean
shows_images_page (ImprintWindow *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "workspace") == 0 &&
         g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "images") == 0;
}

static void
window_toast_dismissed_cb (AdwToast      *t,
                           ImprintWindow *self)
{
  g_ptr_array_remove (self->window_toasts, t);
}

/* The form's toasts rise over the form and never cover its Check and Create Image, nor do
 * the Images view's cover its Delete… and Copy to Regions…: the window's own overlay would,
 * so what it shows goes when either comes into view. */
static void
dismiss_window_toasts (ImprintWindow *self)
{
  g_autoptr(GPtrArray) shown = NULL;

  if ((shown_create_page (self) == NULL && !shows_images_page (self)) || self->window_toasts->len == 0)
    return;

  shown = g_ptr_array_copy (self->window_toasts, (GCopyFunc) g_object_ref, NULL);
  g_ptr_array_set_free_func (shown, g_object_unref);
  for (guint i = 0; i < shown->len; i++)
    adw_toast_dismiss (shown->pdata[i]);
}

/* The whole sentence, on as many lines as it takes (imprint-toast.c); server and keyring
 * text is shown as is. With @action, the toast has a button (@label) that activates it
 * with @entry_id. */
static void
toast_with_button (ImprintWindow *self,
                   const char    *text,
                   const char    *label,
                   const char    *action,
                   const char    *entry_id)
{
  AdwToast *t = imprint_toast_new (text);
  ImprintCreatePage *page = shown_create_page (self);

  adw_toast_set_timeout (t, 6);
  if (action != NULL && entry_id != NULL) {
    adw_toast_set_button_label (t, label);
    adw_toast_set_action_name (t, action);
    adw_toast_set_action_target_value (t, g_variant_new_string (entry_id));
  }

  if (page != NULL) {
    imprint_create_page_add_toast (page, t);
    return;
  }
  if (shows_images_page (self)) {
    imprint_images_page_add_toast (self->images_page, t);
    return;
  }
  g_ptr_array_add (self->window_toasts, g_object_ref (t));
  g_signal_connect_object (t, "dismissed", G_CALLBACK (window_toast_dismissed_cb), self, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

/* The toast offers the details of the entry. */
static void
toast_with_details (ImprintWindow *self,
                    const char    *text,
                    const char    *entry_id)
{
  /* Not Alt+D: the Images view's Delete… has it, and a toast may rise over it. */
  toast_with_button (self, text, _("De_tails"), "win.show-history-entry", entry_id);
}

void
_imprint_window_toast (ImprintWindow *self,
                       const char    *text)
{
  toast_with_details (self, text, NULL);
}

/* What the page says of itself (“Image ID copied”, a template's instance gone): no details. */
static void
text_toast_cb (ImprintWindow *self,
               const char    *text)
{
  _imprint_window_toast (self, text);
}

static void
update_actions (ImprintWindow *self)
{
  gboolean real = self->account != NULL && self->demo == NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.edit-account", real);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.remove-account", real);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.retry-account", real);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.demo", self->demo == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.leave-demo", self->demo != NULL);
}

/* The views' switcher moves to a bar at the bottom where the header has no room for it,
 * and only in the workspace: elsewhere there are no views to switch. */
static void
update_switcher_bar (ImprintWindow *self)
{
  adw_view_switcher_bar_set_reveal (self->switcher_bar,
                                    adw_view_switcher_title_get_title_visible (self->switcher_title) &&
                                    g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack),
                                               "workspace") == 0);
}

void
_imprint_window_update_account_button (ImprintWindow *self)
{
  gboolean has_accounts = g_list_model_get_n_items (G_LIST_MODEL (self->store)) > 0;

  gtk_widget_set_visible (GTK_WIDGET (self->account_squeezer),
                          has_accounts ||
                          g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack),
                                     "workspace") == 0);
}

void
_imprint_window_show_page (ImprintWindow *self,
                           const char    *page)
{
  gtk_stack_set_visible_child_name (self->main_stack, page);
  dismiss_window_toasts (self);
  /* The Create / History switcher only makes sense in the workspace. */
  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title,
                                                     g_str_equal (page, "workspace"));
  update_switcher_bar (self);
  _imprint_window_update_account_button (self);
  update_actions (self);
}

/* Images are made in the account in use, so its name is on screen whole: in the header
 * where it fits there; else (a narrow window, a long name) in the form, as its first row.
 * The demo's banner says which account that is. */
static void
update_account_shown (ImprintWindow *self)
{
  ImprintCreatePage *page = imprint_window_get_create_page (self);
  GtkWidget *shown = adw_squeezer_get_visible_child (self->account_squeezer);

  if (page != NULL)
    imprint_create_page_set_account_shown (page, self->demo == NULL && shown != NULL &&
                                                 shown != GTK_WIDGET (self->account_button));
}

/* Both account buttons (imprint-window.ui): named as they read, with their tooltip. */
static void
describe_account_buttons (ImprintWindow *self,
                          const char    *name,
                          const char    *tooltip,
                          const char    *description)
{
  for (guint i = 0; i < 2; i++) {
    GtkWidget *button = GTK_WIDGET (i == 0 ? self->account_button : self->account_icon_button);

    imprint_set_tooltip (button, tooltip);
    gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
  }
}

/* The demo stays visible as the subtitle for as long as it runs; a real account's name is
 * the subtitle, seen where the header has no room for the switcher (and the account
 * button shows only its icon). */
void
_imprint_window_update_title (ImprintWindow *self)
{
  gtk_revealer_set_reveal_child (self->demo_banner, self->demo != NULL);

  if (self->demo != NULL) {
    adw_view_switcher_title_set_subtitle (self->switcher_title, _("Demo — a simulated cloud; nothing here is real"));
    gtk_label_set_text (self->account_label, _("Demo"));
    /* Where the button shows only its icon, the tooltip still says whose it is. */
    describe_account_buttons (self, _("Demo"), _("Demo"), _("Accounts"));
  } else if (self->account != NULL) {
    g_autofree char *masked = tc_account_dup_masked_secret_id (self->account);
    g_autofree char *tooltip = g_strdup_printf ("%s · %s", tc_account_get_name (self->account), masked);

    adw_view_switcher_title_set_subtitle (self->switcher_title, tc_account_get_name (self->account));
    gtk_label_set_text (self->account_label, tc_account_get_name (self->account));
    /* Named as it reads; the tooltip's masked SecretId is its description. */
    describe_account_buttons (self, tc_account_get_name (self->account), tooltip, tooltip);
  } else {
    adw_view_switcher_title_set_subtitle (self->switcher_title, NULL);
    gtk_label_set_text (self->account_label, "");
  }
  update_account_shown (self);
}

/* A Check or Create ended: its toast offers the details of its entry, and a failure also
 * reaches the user when the window is in the background. */
static void
page_job_finished_cb (ImprintWindow *self,
                      TcImageJob    *job)
{
  TcHistoryEntry *entry = tc_image_job_get_entry (job);
  const char *text = tc_image_job_get_summary (job);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  /* The window of the application that had the focus last: the one active, if any is. */
  GtkWindow *focused = app != NULL ? gtk_application_get_active_window (app) : NULL;

  toast_with_details (self, text, entry ? tc_history_entry_get_record (entry)->id : NULL);
  /* Not while the user looks at a window of the application, this one's dialogs included:
   * the toast is there already, and the application would only show it again. */
  if (tc_image_job_get_state (job) == TC_IMAGE_JOB_FAILED &&
      (focused == NULL || !gtk_window_is_active (focused)))
    imprint_application_notify_request (job);
}

static void
image_finished_cb (ImprintWindow *self,
                   const char    *name,
                   const char    *image_id,
                   gboolean       ok,
                   const char    *entry_id)
{
  g_autofree char *text = NULL;

  if (!ok) {
    text = g_strdup_printf (_("Image “%s” could not be created."), name);
    _imprint_window_toast (self, text);
    return;
  }
  /* A ready image of API 3.0 is offered to be copied to other regions, from its toast. */
  text = g_strdup_printf (_("Image “%s” is ready (%s)."), name, image_id ? image_id : "");
  if (image_id != NULL && self->client != NULL &&
      tc_client_get_protocol (self->client) == TC_PROTOCOL_API3)
    toast_with_button (self, text, _("C_opy to Regions…"), "win.copy-to-regions", entry_id);
  else
    _imprint_window_toast (self, text);
}

/* The region chosen is remembered per account (tc-region-choice says why); the demo's
 * account is not a real one and remembers nothing. */
static void
page_region_cb (ImprintWindow *self)
{
  ImprintCreatePage *page = IMPRINT_CREATE_PAGE (adw_bin_get_child (self->workspace));
  g_autoptr(GVariant) remembered = g_settings_get_value (self->settings, "account-regions");
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_auto(GStrv) keep = NULL;
  const char *region = imprint_create_page_get_region (page);

  if (self->demo != NULL || self->account == NULL || region == NULL)
    return;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->store)); i++) {
    g_autoptr(TcAccount) account = g_list_model_get_item (G_LIST_MODEL (self->store), i);

    g_strv_builder_add (ids, tc_account_get_id (account));
  }
  keep = g_strv_builder_end (ids);
  g_settings_set_value (self->settings, "account-regions",
                        tc_region_choice_remember (remembered, tc_account_get_id (self->account),
                                                   region, tc_account_get_region (self->account),
                                                   (const char * const *) keep));
}

/* The demo keeps its history apart from the real one. */
static TcHistory *
current_history (ImprintWindow *self)
{
  return self->demo != NULL ? imprint_demo_get_history (self->demo) : self->history;
}

void
_imprint_window_show_workspace (ImprintWindow *self)
{
  g_autoptr(GVariant) remembered = g_settings_get_value (self->settings, "account-regions");
  g_autofree char *region = NULL;
  ImprintCreatePage *page;

  if (self->demo == NULL)
    region = tc_region_choice_pick (remembered, tc_account_get_id (self->account),
                                    tc_account_get_region (self->account));
  else
    region = g_strdup (tc_account_get_region (self->account));

  page = g_object_new (IMPRINT_TYPE_CREATE_PAGE,
                       "client", self->client,
                       "region", region,
                       "history", current_history (self),
                       "account-name", tc_account_get_name (self->account),
                       "account-id", tc_account_get_id (self->account),
                       NULL);
  g_signal_connect_object (page, "toast", G_CALLBACK (text_toast_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "job-finished", G_CALLBACK (page_job_finished_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "image-finished", G_CALLBACK (image_finished_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "notify::region", G_CALLBACK (page_region_cb), self, G_CONNECT_SWAPPED);
  imprint_create_page_set_protocol (page, tc_account_get_protocol (self->account));
  adw_bin_set_child (self->workspace, GTK_WIDGET (page));
  /* The Images view shows the region the form is in. */
  imprint_images_page_set_client (self->images_page, self->client);
  imprint_images_page_set_account (self->images_page, current_history (self),
                                   tc_account_get_id (self->account),
                                   tc_account_get_name (self->account));
  g_object_bind_property (page, "region", self->images_page, "region", G_BINDING_SYNC_CREATE);

  _imprint_window_update_title (self);
  _imprint_window_show_page (self, "workspace");
}

/* An image the tracker followed ended. A copy started here has no form to report on it, nor
 * has a Create the form does not show (sent in an earlier run, or by the form of another
 * account): the window says how it ended. The desktop says it only while no window is
 * active (imprint-application.c), so this toast is what the user who looks sees. */
void
_imprint_window_image_finished_cb (ImprintWindow  *self,
                                   TcHistoryEntry *entry)
{
  const TcHistoryRecord *r = tc_history_entry_get_record (entry);
  const char *region = tc_places_region_name (r->region);
  ImprintCreatePage *page = imprint_window_get_create_page (self);
  g_autofree char *text = NULL;

  if (r->kind == TC_HISTORY_KIND_CREATE) {
    /* A batch's images: its dialog and its row say how they ended. */
    if (tc_image_batch_is_batched (entry) ||
        (page != NULL && imprint_create_page_shows_recent (page, r->id)))
      return;
    if (r->outcome == TC_HISTORY_OUTCOME_READY)
      text = g_strdup_printf (_("Image “%s” is ready (%s)."), r->image_name,
                              r->image_id ? r->image_id : "");
    else
      text = g_strdup_printf (_("Image “%s” could not be created."), r->image_name);
    toast_with_details (self, text, r->id);
    return;
  }
  if (tc_history_entry_get_record (entry)->kind != TC_HISTORY_KIND_COPY)
    return;
  if (tc_history_entry_get_record (entry)->outcome == TC_HISTORY_OUTCOME_READY)
    /* Translators: an image's name, then the region's name its copy is ready in. */
    text = g_strdup_printf (_("The copy of “%s” is ready in %s."),
                            tc_history_entry_get_record (entry)->image_name, region ? region : "");
  else
    text = g_strdup_printf (_("The copy of “%s” to %s failed."),
                            tc_history_entry_get_record (entry)->image_name, region ? region : "");
  toast_with_details (self, text, tc_history_entry_get_record (entry)->id);
}

/* History */

/* Shows the entry asked for (a notification or a toast) once the history has it: the
 * History view, and the entry's details. */
static void
show_pending_entry (ImprintWindow *self)
{
  TcHistoryEntry *entry;

  if (self->pending_entry_id == NULL || current_history (self) == NULL)
    return;

  entry = tc_history_find_by_id (current_history (self), self->pending_entry_id);
  /* In the demo, the account's own entries (an image it was still making) are elsewhere. */
  if (entry == NULL && self->demo != NULL && self->history != NULL &&
      tc_history_find_by_id (self->history, self->pending_entry_id) != NULL) {
    g_clear_pointer (&self->pending_entry_id, g_free);
    _imprint_window_toast (self, _("This entry is in your account's History. Leave the demo to see it."));
    return;
  }
  if (entry == NULL) {
    /* Not loaded yet, or removed: give up once the history is loaded. */
    if (tc_history_is_loaded (current_history (self)))
      g_clear_pointer (&self->pending_entry_id, g_free);
    return;
  }

  g_clear_pointer (&self->pending_entry_id, g_free);
  adw_view_stack_set_visible_child_name (self->view_stack, "history");
  imprint_history_page_show_details (self->history_page, entry);
}

static void
history_items_changed_cb (ImprintWindow *self)
{
  show_pending_entry (self);
}

/* A write that failed is said once; the next one that fails after a success, again. */
static void
history_problem_cb (ImprintWindow *self)
{
  const char *problem = tc_history_get_problem (self->history);

  if (problem == NULL) {
    g_clear_pointer (&self->shown_problem, g_free);
    return;
  }
  if (g_strcmp0 (problem, self->shown_problem) == 0)
    return;

  g_free (self->shown_problem);
  self->shown_problem = g_strdup (problem);
  _imprint_window_toast (self, problem);
}

/* Whether the account in use made @entry (by its id; entries of earlier builds have the
 * account's name only): what it names (an instance, an image) is that account's. */
static gboolean
made_by_current_account (ImprintWindow  *self,
                         TcHistoryEntry *entry)
{
  const TcHistoryRecord *r = tc_history_entry_get_record (entry);

  if (self->account == NULL)
    return FALSE;
  return r->account_id != NULL ? g_strcmp0 (r->account_id, tc_account_get_id (self->account)) == 0
                               : g_strcmp0 (r->account_name, tc_account_get_name (self->account)) == 0;
}

/* The copy dialog for an entry's ready image, with the client of the account in use: an
 * image of another account is copied from that account. */
static void
copy_to_regions_cb (ImprintWindow  *self,
                    TcHistoryEntry *entry)
{
  ImprintCopyDialog *dialog;

  if (self->client == NULL || !made_by_current_account (self, entry)) {
    _imprint_window_toast (self, _("Switch to the account that made this image to copy it."));
    return;
  }

  dialog = imprint_copy_dialog_new (GTK_WINDOW (self), self->client, current_history (self),
                                    tc_account_get_id (self->account),
                                    tc_account_get_name (self->account),
                                    tc_history_entry_get_record (entry)->region,
                                    tc_history_entry_get_record (entry)->image_id,
                                    tc_history_entry_get_record (entry)->image_name);
  g_signal_connect_object (dialog, "toast", G_CALLBACK (text_toast_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
copy_to_regions_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  TcHistory *history = current_history (IMPRINT_WINDOW (widget));
  TcHistoryEntry *entry = history ? tc_history_find_by_id (history, g_variant_get_string (parameter, NULL))
                                  : NULL;

  if (entry != NULL && tc_history_entry_get_record (entry)->image_id != NULL)
    copy_to_regions_cb (IMPRINT_WINDOW (widget), entry);
}

static void
use_as_template_cb (ImprintWindow  *self,
                    TcHistoryEntry *entry)
{
  GtkWidget *child = adw_bin_get_child (self->workspace);
  g_autoptr(TcImageRequest) request = NULL;

  if (!IMPRINT_IS_CREATE_PAGE (child)) {
    _imprint_window_toast (self, _("Choose an account first: the form needs one."));
    return;
  }
  /* Its instance is another account's: the form would look for it in vain. */
  if (!made_by_current_account (self, entry)) {
    _imprint_window_toast (self, _("Switch to the account that made this request to use it as a template."));
    return;
  }
  /* The form is sending: it would not take the template, and say nothing. */
  if (imprint_create_page_is_busy (IMPRINT_CREATE_PAGE (child))) {
    _imprint_window_toast (self, _("Wait until the request being sent is answered, then use the template."));
    return;
  }

  request = tc_history_entry_to_request (entry);
  imprint_create_page_use_template (IMPRINT_CREATE_PAGE (child), request,
                                    tc_history_entry_get_record (entry)->region);
  adw_view_stack_set_visible_child_name (self->view_stack, "create");
}

/* Images were deleted: the form counts the quota again. */
static void
images_changed_cb (ImprintWindow *self)
{
  if (imprint_window_get_create_page (self) != NULL)
    imprint_create_page_refresh_quota (imprint_window_get_create_page (self));
}

static void
show_history_entry_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  imprint_window_show_history_entry (IMPRINT_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
search_history_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  ImprintWindow *self = IMPRINT_WINDOW (widget);

  if (!g_str_equal (imprint_window_get_page (self), "workspace"))
    return;
  /* Ctrl+F searches the Images view there; everywhere else, the History. */
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "images") == 0) {
    imprint_images_page_focus_search (self->images_page);
    return;
  }
  adw_view_stack_set_visible_child_name (self->view_stack, "history");
  imprint_history_page_focus_search (self->history_page);
}

static void
show_view_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  ImprintWindow *self = IMPRINT_WINDOW (widget);

  imprint_window_set_view (self, g_variant_get_string (parameter, NULL));
}

/* GObject */

static void
imprint_window_constructed (GObject *object)
{
  ImprintWindow *self = IMPRINT_WINDOW (object);

  G_OBJECT_CLASS (imprint_window_parent_class)->constructed (object);

  g_signal_connect_object (self->store, "items-changed",
                           G_CALLBACK (_imprint_window_store_changed_cb), self, G_CONNECT_SWAPPED);

  imprint_history_page_set_history (self->history_page, self->history);
  imprint_history_page_set_account_store (self->history_page, self->store);
  if (self->tracker != NULL)
    g_signal_connect_object (self->tracker, "finished",
                             G_CALLBACK (_imprint_window_image_finished_cb), self, G_CONNECT_SWAPPED);
  if (self->history != NULL) {
    g_signal_connect_object (self->history, "items-changed", G_CALLBACK (history_items_changed_cb),
                             self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
    g_signal_connect_object (self->history, "notify::problem", G_CALLBACK (history_problem_cb),
                             self, G_CONNECT_SWAPPED);
  }

  self->cancellable = g_cancellable_new ();
  _imprint_window_show_page (self, "loading");
  tc_account_store_load_async (self->store, self->cancellable, _imprint_window_loaded_cb,
                               g_object_ref (self));
}

static void
imprint_window_dispose (GObject *object)
{
  ImprintWindow *self = IMPRINT_WINDOW (object);

  _imprint_window_clear_account (self);
  g_cancellable_cancel (self->reloading);
  g_clear_object (&self->reloading);
  g_clear_object (&self->removing);
  gtk_widget_dispose_template (GTK_WIDGET (self), IMPRINT_TYPE_WINDOW);

  G_OBJECT_CLASS (imprint_window_parent_class)->dispose (object);
}

static void
imprint_window_finalize (GObject *object)
{
  ImprintWindow *self = IMPRINT_WINDOW (object);

  g_clear_object (&self->store);
  g_clear_object (&self->session);
  g_clear_object (&self->pacer);
  g_clear_object (&self->regions);
  g_clear_object (&self->history);
  g_clear_object (&self->tracker);
  g_clear_object (&self->settings);
  g_free (self->pending_entry_id);
  g_free (self->shown_problem);
  g_ptr_array_unref (self->window_toasts);

  G_OBJECT_CLASS (imprint_window_parent_class)->finalize (object);
}

static void
imprint_window_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  ImprintWindow *self = IMPRINT_WINDOW (object);

  switch (prop_id) {
  case PROP_STORE:
    self->store = g_value_dup_object (value);
    break;
  case PROP_SESSION:
    self->session = g_value_dup_object (value);
    break;
  case PROP_PACER:
    self->pacer = g_value_dup_object (value);
    break;
  case PROP_HISTORY:
    self->history = g_value_dup_object (value);
    break;
  case PROP_TRACKER:
    self->tracker = g_value_dup_object (value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

/* Keyboard Shortcuts is made when asked for and destroyed when closed, not kept hidden as
 * GtkApplication's automatic help overlay (a resource at gtk/help-overlay.ui) would be. A
 * hidden toplevel has no AT-SPI path in GTK 4.8, and GTK answers a screen reader's
 * GetChildAtIndex past the last visible window with the last toplevel, hidden or not: that
 * logged "g_variant_new_object_path: assertion … failed" and dropped the main window from
 * the accessibility tree, seen when a stale child count (after the picker or the account
 * editor closed) made the reader ask for one window too many. Not being the help overlay,
 * it cannot look up the application's accelerators: its .ui spells them out. */
static void
show_help_overlay_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  g_autoptr(GtkBuilder) builder =
    gtk_builder_new_from_resource ("/io/github/imprint/Imprint/imprint-shortcuts-window.ui");
  GtkWindow *shortcuts = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));

  gtk_window_set_transient_for (shortcuts, GTK_WINDOW (widget));
  gtk_window_set_hide_on_close (shortcuts, FALSE);
  imprint_a11y_name_buttons (GTK_WIDGET (shortcuts));
  gtk_window_present (shortcuts);
}

static void
imprint_window_class_init (ImprintWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = imprint_window_constructed;
  object_class->dispose = imprint_window_dispose;
  object_class->finalize = imprint_window_finalize;
  object_class->set_property = imprint_window_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TC_TYPE_ACCOUNT_STORE,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, SOUP_TYPE_SESSION,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PACER] =
    g_param_spec_object ("pacer", NULL, NULL, TC_TYPE_PACER,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL, TC_TYPE_HISTORY,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TRACKER] =
    g_param_spec_object ("tracker", NULL, NULL, TC_TYPE_IMAGE_TRACKER,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (IMPRINT_TYPE_HISTORY_PAGE);
  g_type_ensure (IMPRINT_TYPE_IMAGES_PAGE);
  g_type_ensure (IMPRINT_TYPE_PAGE_BIN);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/imprint/Imprint/imprint-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ImprintWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ImprintWindow, demo_banner);
  gtk_widget_class_bind_template_child (widget_class, ImprintWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, ImprintWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, ImprintWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, ImprintWindow, history_page);
  gtk_widget_class_bind_template_child (widget_class, ImprintWindow, images_page);
  gtk_widget_class_bind_template_callback (widget_class, use_as_template_cb);
  gtk_widget_class_bind_template_callback (widget_class, text_toast_cb);
  gtk_widget_class_bind_template_callback (widget_class, images_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_to_regions_cb);
  gtk_widget_class_bind_template_child (widget_class, ImprintWindow, account_button);
  gtk_widget_class_bind_template_child (widget_class, ImprintWindow, account_squeezer);
  gtk_widget_class_bind_template_child (widget_class, ImprintWindow, account_icon_button);
  gtk_widget_class_bind_template_child (widget_class, ImprintWindow, account_label);
  gtk_widget_class_bind_template_child (widget_class, ImprintWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, ImprintWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, ImprintWindow, welcome_problem);
  gtk_widget_class_bind_template_child (widget_class, ImprintWindow, problem_page);
  gtk_widget_class_bind_template_child (widget_class, ImprintWindow, workspace);

  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL, show_help_overlay_action);
  _imprint_window_install_account_actions (widget_class);
  gtk_widget_class_install_action (widget_class, "win.show-history-entry", "s", show_history_entry_action);
  gtk_widget_class_install_action (widget_class, "win.search-history", NULL, search_history_action);
  gtk_widget_class_install_action (widget_class, "win.show-view", "s", show_view_action);
  gtk_widget_class_install_action (widget_class, "win.copy-to-regions", "s", copy_to_regions_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search-history", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK,
                                       "win.show-view", "s", "create");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK,
                                       "win.show-view", "s", "history");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK,
                                       "win.show-view", "s", "images");
}

static void
imprint_window_init (ImprintWindow *self)
{
  self->window_toasts = g_ptr_array_new_with_free_func (g_object_unref);
  self->regions = tc_region_cache_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  imprint_a11y_name_buttons (GTK_WIDGET (self));
  g_signal_connect_object (self->view_stack, "notify::visible-child-name",
                           G_CALLBACK (dismiss_window_toasts), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->switcher_title, "notify::title-visible",
                           G_CALLBACK (update_switcher_bar), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->account_squeezer, "notify::visible-child",
                           G_CALLBACK (update_account_shown), self, G_CONNECT_SWAPPED);
  imprint_a11y_watch_toasts (GTK_WIDGET (self->toast_overlay));

  if (DEVELOPMENT)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  /* The stable icon, which the resources carry for the build tree too. */
  adw_status_page_set_icon_name (self->welcome_page, "io.github.imprint.Imprint");

  /* The window remembers its size; GSettings is local and cheap, no start-up cost. */
  self->settings = g_settings_new (APPLICATION_ID);
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
}

ImprintWindow *
imprint_window_new (GtkApplication *application,
                    TcAccountStore *store,
                    SoupSession    *session)
{
  return g_object_new (IMPRINT_TYPE_WINDOW,
                       "application", application,
                       "store", store,
                       "session", session,
                       NULL);
}

const char *
imprint_window_get_page (ImprintWindow *self)
{
  return gtk_stack_get_visible_child_name (self->main_stack);
}

TcAccount *
imprint_window_get_account (ImprintWindow *self)
{
  return self->account;
}

TcClient *
imprint_window_get_client (ImprintWindow *self)
{
  return self->client;
}

gboolean
imprint_window_is_demo (ImprintWindow *self)
{
  return self->demo != NULL;
}

/**
 * imprint_window_new_full:
 * @pacer: (nullable): the rate limits every client of the application shares
 * @history: (nullable): where requests are recorded and the History view reads
 * @tracker: (nullable): follows the images; the demo registers its client with it
 *
 * Returns: (transfer floating): a new window
 */
ImprintWindow *
imprint_window_new_full (GtkApplication *application,
                         TcAccountStore *store,
                         SoupSession    *session,
                         TcPacer        *pacer,
                         TcHistory      *history,
                         TcImageTracker *tracker)
{
  ImprintWindow *self = g_object_new (IMPRINT_TYPE_WINDOW,
                                      "application", application,
                                      "store", store,
                                      "session", session,
                                      "pacer", pacer,
                                      "history", history,
                                      "tracker", tracker,
                                      NULL);

  return self;
}

/**
 * imprint_window_show_history_entry:
 * @entry_id: a history entry's id
 *
 * Switches to the History view and opens the entry's details, at once or as soon as the
 * history has loaded it.
 */
void
imprint_window_show_history_entry (ImprintWindow *self,
                                   const char    *entry_id)
{
  g_return_if_fail (IMPRINT_IS_WINDOW (self));
  g_return_if_fail (entry_id != NULL);

  g_free (self->pending_entry_id);
  self->pending_entry_id = g_strdup (entry_id);
  show_pending_entry (self);
}

void
imprint_window_show_toast (ImprintWindow *self,
                           const char    *text)
{
  g_return_if_fail (IMPRINT_IS_WINDOW (self));

  _imprint_window_toast (self, text);
}

const char *
imprint_window_get_view (ImprintWindow *self)
{
  g_return_val_if_fail (IMPRINT_IS_WINDOW (self), NULL);

  return adw_view_stack_get_visible_child_name (self->view_stack);
}

void
imprint_window_set_view (ImprintWindow *self,
                         const char    *view)
{
  g_return_if_fail (IMPRINT_IS_WINDOW (self));
  g_return_if_fail (g_strcmp0 (view, "create") == 0 || g_strcmp0 (view, "history") == 0 ||
                    g_strcmp0 (view, "images") == 0);

  adw_view_stack_set_visible_child_name (self->view_stack, view);
}

ImprintHistoryPage *
imprint_window_get_history_page (ImprintWindow *self)
{
  g_return_val_if_fail (IMPRINT_IS_WINDOW (self), NULL);

  return self->history_page;
}

/**
 * imprint_window_get_create_page:
 *
 * Returns: (transfer none) (nullable): the image form of the account in use
 */
ImprintCreatePage *
imprint_window_get_create_page (ImprintWindow *self)
{
  GtkWidget *child;

  g_return_val_if_fail (IMPRINT_IS_WINDOW (self), NULL);

  child = adw_bin_get_child (self->workspace);
  return IMPRINT_IS_CREATE_PAGE (child) ? IMPRINT_CREATE_PAGE (child) : NULL;
}
