/* imprint-copy-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The regions a ready image can be copied to, each with a check: every available region
 * but the image's own (Tencent refuses a custom image's copy to its own region). The list
 * is the built-in one at once, then what DescribeRegions answers. Copy runs TcCopyJob —
 * a dry run, then SyncImages, then a history entry for each copy — and the dialog closes
 * when the copies are under way; what the server refused stays in the dialog, with the
 * regions still ticked, until the user changes something or tries again.
 *
 * A copy is never cancelled: once SyncImages is sent the copies may be made, and only the
 * job's end records them. Nor does closing the dialog end it: GTK disposes a closed window
 * when its last reference goes, and the copy's callback holds one, so the dialog lives on
 * unseen until the copy ends, then says how it ended in a toast instead of in itself, and
 * on the desktop when that went wrong with its window gone or in the background. The
 * application too runs on until then (imprint_application_hold_request()), whatever
 * becomes of the window.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "imprint-a11y.h"
#include "imprint-application.h"
#include "imprint-copy-dialog-private.h"
#include "imprint-region-row.h"
#include "tc-copy-job.h"
#include "tc-cvm.h"
#include "tc-error.h"

struct _ImprintCopyDialog
{
  AdwWindow       parent_instance;

  TcClient       *client;
  TcHistory      *history;
  char           *account_id;
  char           *account_name;
  char           *region;
  char           *image_id;
  char           *image_name;
  GListStore     *regions;       /* TcRegion, those offered, one row each */
  GHashTable     *chosen;        /* region codes */
  GCancellable   *cancellable;   /* the region list; a copy has none */
  gboolean        copying;
  char           *problem;

  AdwWindowTitle *window_title;
  GtkButton      *copy_button;
  GtkSpinner     *spinner;
  GtkLabel       *problem_label;
  GtkListBox     *list_box;
};

G_DEFINE_FINAL_TYPE (ImprintCopyDialog, imprint_copy_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_problem (ImprintCopyDialog *self,
             const char        *problem)
{
  g_free (self->problem);
  self->problem = g_strdup (problem);
  gtk_label_set_text (self->problem_label, problem ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), problem != NULL);
}

static void
update (ImprintCopyDialog *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->copy_button),
                            !self->copying && g_hash_table_size (self->chosen) > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->list_box), !self->copying);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->copying);
  gtk_spinner_set_spinning (self->spinner, self->copying);
}

/* The regions */

static void
check_toggled_cb (GtkCheckButton    *check,
                  ImprintCopyDialog *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (check), ADW_TYPE_ACTION_ROW);
  const char *code = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));

  if (gtk_check_button_get_active (check))
    g_hash_table_add (self->chosen, g_strdup (code));
  else
    g_hash_table_remove (self->chosen, code);
  set_problem (self, NULL);
  update (self);
}

static GtkWidget *
region_row_new (TcRegion          *region,
                ImprintCopyDialog *self)
{
  const char *code = tc_region_get_region (region);
  g_autofree char *name = imprint_region_display_name (region);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  /* The code under the name: what tccli and the console's URLs say. */
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), code);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), g_hash_table_contains (self->chosen, code));
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  g_signal_connect_object (check, "toggled", G_CALLBACK (check_toggled_cb), self, 0);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  return row;
}

static gboolean
offered (TcRegion          *region,
         ImprintCopyDialog *self)
{
  return tc_region_get_available (region) &&
         g_strcmp0 (tc_region_get_region (region), self->region) != 0;
}

static gboolean
is_offered (ImprintCopyDialog *self,
            const char        *code)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->regions)); i++) {
    g_autoptr(TcRegion) region = g_list_model_get_item (G_LIST_MODEL (self->regions), i);

    if (g_strcmp0 (tc_region_get_region (region), code) == 0)
      return TRUE;
  }
  return FALSE;
}

/* Every available region but the image's own. The server's list, a moment after the
 * built-in one, moves no row (imprint_region_store_update()); a region it lacks goes,
 * and its tick with it. */
static void
show_regions (ImprintCopyDialog *self,
              GListModel        *regions)
{
  GHashTableIter iter;
  const char *code;

  imprint_region_store_update (self->regions, regions, (ImprintRegionFilter) offered, self);
  g_hash_table_iter_init (&iter, self->chosen);
  while (g_hash_table_iter_next (&iter, (gpointer *) &code, NULL))
    if (!is_offered (self, code))
      g_hash_table_iter_remove (&iter);
  update (self);
}

static void
regions_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(ImprintCopyDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) regions = tc_cvm_describe_regions_finish (TC_CLIENT (object), result,
                                                                   &error);

  /* Without an answer the built-in list stays: a copy to a region it lacks is rare. */
  if (regions == NULL || g_list_model_get_n_items (regions) == 0 || self->copying)
    return;
  show_regions (self, regions);
}

/* Copying */

/* Closed while copying, and its window gone or in the background: no one sees the toast, so
 * the desktop says how the copy ended, as it does for a Create whose form went
 * (imprint_application_notify_request()). Clicking it brings the application back. */
static void
notify_if_unseen (ImprintCopyDialog *self,
                  const char        *title,
                  const char        *text)
{
  GApplication *app = g_application_get_default ();
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *id = NULL;

  if (parent != NULL && gtk_widget_get_visible (GTK_WIDGET (parent)) && gtk_window_is_active (parent))
    return;
  /* The application made the settings at startup: its schema is there. */
  if (!IMPRINT_IS_APPLICATION (app) || !g_application_get_is_registered (app))
    return;
  settings = g_settings_new (APPLICATION_ID);
  if (!g_settings_get_boolean (settings, "notifications"))
    return;

  notification = g_notification_new (title);
  g_notification_set_body (notification, text);
  id = g_strconcat ("copy-", self->image_id, NULL);
  g_application_send_notification (app, id, notification);
}

static void
copied_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(ImprintCopyDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = tc_copy_job_run_finish (TC_CLIENT (object), result, &error);
  const char *name = self->image_name ? self->image_name : self->image_id;
  gboolean closed = !gtk_widget_get_visible (GTK_WIDGET (self));
  g_autofree char *text = NULL;

  self->copying = FALSE;
  imprint_application_release_request ();
  /* The answer was lost: the copies are recorded and looked for, and Copy must not be
   * offered again as if nothing had been sent. */
  if (g_error_matches (error, TC_ERROR, TC_ERROR_NO_ANSWER)) {
    /* Translators: a toast: an image's name. */
    text = g_strdup_printf (_("No answer came back for the copies of “%s”, so they may be "
                              "under way. Imprint looks for them; the History will say how "
                              "they end."), name);
    g_signal_emit (self, signals[SIGNAL_TOAST], 0, text);
    if (closed)
      notify_if_unseen (self, _("No Answer from Tencent Cloud"), text);
    else
      gtk_window_close (GTK_WINDOW (self));
    return;
  }
  if (entries != NULL) {
    /* Translators: a toast: an image's name, then how many regions it is being copied to. */
    text = g_strdup_printf (ngettext ("Copying “%s” to %u region.", "Copying “%s” to %u regions.",
                                      entries->len),
                            name, entries->len);
  } else if (closed) {
    /* Translators: a toast after the Copy to Regions dialog was closed while copying: the
     * image's name, then what went wrong and what to do (a sentence or more). */
    text = g_strdup_printf (_("“%s” was not copied. %s"), name, error->message);
  }

  /* Closed while copying: nobody sees the dialog any more (and were it disposed, its
   * widgets would be gone), so the toast says it, and the desktop too when a failure would
   * otherwise go unseen. */
  if (closed) {
    g_signal_emit (self, signals[SIGNAL_TOAST], 0, text);
    if (entries == NULL)
      notify_if_unseen (self, _("Copy Failed"), text);
    return;
  }

  update (self);
  if (entries == NULL) {
    set_problem (self, error->message);
    return;
  }
  g_signal_emit (self, signals[SIGNAL_TOAST], 0, text);
  gtk_window_close (GTK_WINDOW (self));
}

static int
compare_codes (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

static void
copy_cb (ImprintCopyDialog *self)
{
  g_autoptr(GPtrArray) codes = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  if (self->copying || g_hash_table_size (self->chosen) == 0)
    return;

  g_hash_table_iter_init (&iter, self->chosen);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (codes, key);
  g_ptr_array_sort (codes, compare_codes);
  g_ptr_array_add (codes, NULL);

  /* The list no longer matters; the copy runs without a cancellable (see the top). */
  g_cancellable_cancel (self->cancellable);
  self->copying = TRUE;
  set_problem (self, NULL);
  update (self);
  imprint_application_hold_request ();
  tc_copy_job_run_async (self->client, self->history, self->account_id, self->account_name,
                         self->region, self->image_id, self->image_name,
                         (const char * const *) codes->pdata, NULL, copied_cb,
                         g_object_ref (self));
}

/* GObject */

static void
imprint_copy_dialog_dispose (GObject *object)
{
  ImprintCopyDialog *self = IMPRINT_COPY_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (imprint_copy_dialog_parent_class)->dispose (object);
}

static void
imprint_copy_dialog_finalize (GObject *object)
{
  ImprintCopyDialog *self = IMPRINT_COPY_DIALOG (object);

  g_free (self->account_id);
  g_free (self->account_name);
  g_free (self->region);
  g_free (self->image_id);
  g_free (self->image_name);
  g_free (self->problem);
  g_hash_table_unref (self->chosen);
  g_object_unref (self->regions);

  G_OBJECT_CLASS (imprint_copy_dialog_parent_class)->finalize (object);
}

static void
imprint_copy_dialog_class_init (ImprintCopyDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = imprint_copy_dialog_dispose;
  object_class->finalize = imprint_copy_dialog_finalize;

  signals[SIGNAL_TOAST] = g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/imprint/Imprint/imprint-copy-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ImprintCopyDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, ImprintCopyDialog, copy_button);
  gtk_widget_class_bind_template_child (widget_class, ImprintCopyDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, ImprintCopyDialog, problem_label);
  gtk_widget_class_bind_template_child (widget_class, ImprintCopyDialog, list_box);
  gtk_widget_class_bind_template_callback (widget_class, copy_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
imprint_copy_dialog_init (ImprintCopyDialog *self)
{
  self->chosen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->regions = g_list_store_new (TC_TYPE_REGION);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->regions),
                           (GtkListBoxCreateWidgetFunc) region_row_new, self, NULL);
}

ImprintCopyDialog *
imprint_copy_dialog_new (GtkWindow  *parent,
                         TcClient   *client,
                         TcHistory  *history,
                         const char *account_id,
                         const char *account_name,
                         const char *region,
                         const char *image_id,
                         const char *image_name)
{
  ImprintCopyDialog *self;
  g_autoptr(GListModel) builtin = tc_region_list_builtin ();

  g_return_val_if_fail (TC_IS_CLIENT (client), NULL);
  g_return_val_if_fail (region != NULL && image_id != NULL, NULL);

  self = g_object_new (IMPRINT_TYPE_COPY_DIALOG, "transient-for", parent, NULL);
  imprint_dialog_follow_parent (GTK_WINDOW (self));
  self->client = g_object_ref (client);
  self->history = history ? g_object_ref (history) : NULL;
  self->account_id = g_strdup (account_id);
  self->account_name = g_strdup (account_name);
  self->region = g_strdup (region);
  self->image_id = g_strdup (image_id);
  self->image_name = g_strdup (image_name);
  adw_window_title_set_subtitle (self->window_title,
                                 image_name && *image_name ? image_name : image_id);

  show_regions (self, builtin);
  self->cancellable = g_cancellable_new ();
  tc_cvm_describe_regions_async (client, self->cancellable, regions_cb, g_object_ref (self));
  imprint_a11y_name_buttons (GTK_WIDGET (self));
  update (self);
  return self;
}

gboolean
imprint_copy_dialog_choose (ImprintCopyDialog *self,
                            const char        *region,
                            gboolean           chosen)
{
  g_return_val_if_fail (IMPRINT_IS_COPY_DIALOG (self), FALSE);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list_box)); row != NULL;
       row = gtk_widget_get_next_sibling (row)) {
    if (g_strcmp0 (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), region) != 0)
      continue;
    if (g_hash_table_contains (self->chosen, region) != chosen)
      gtk_widget_activate (row);
    return TRUE;
  }
  return FALSE;
}

const char *
imprint_copy_dialog_get_problem (ImprintCopyDialog *self)
{
  g_return_val_if_fail (IMPRINT_IS_COPY_DIALOG (self), NULL);

  return self->problem;
}
