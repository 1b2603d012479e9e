/* imprint-window-accounts.c: the window's accounts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Which account is in use and what the window shows for it: the accounts file is loaded,
 * the account's secret looked up in the keyring (the form is there before the answer), a
 * problem with either shown with what to do. Here too are the account menu, the editor
 * that adds and edits, the removal dialog and the demo, whose simulated account stands in
 * for a real one while it runs. Kept apart from imprint-window.c so that neither file
 * grows past about 1,000 lines; imprint-window-private.h holds what the two share.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "imprint-a11y.h"
#include "imprint-account-editor.h"
#include "imprint-application.h"
#include "imprint-window-private.h"

static void
rebuild_account_menu (ImprintWindow *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) accounts = g_menu_new ();
  g_autoptr(GMenu) manage = g_menu_new ();
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));

  for (guint i = 0; i < n; i++) {
    g_autoptr(TcAccount) account = g_list_model_get_item (G_LIST_MODEL (self->store), i);
    /* A menu's labels take "_" as the mark of an Alt+letter: a tccli profile such as
     * "prod_cn" keeps its underscore ("ab" and "a_b" are two accounts). */
    g_auto(GStrv) parts = g_strsplit (tc_account_get_name (account), "_", -1);
    g_autofree char *label = g_strjoinv ("__", parts);
    g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

    g_menu_item_set_action_and_target (item, "win.switch-account", "s", tc_account_get_id (account));
    g_menu_append_item (accounts, item);
  }

  g_menu_append (manage, _("_Add Account…"), "win.add-account");
  g_menu_append (manage, _("_Edit Account…"), "win.edit-account");
  g_menu_append (manage, _("_Remove Account…"), "win.remove-account");
  g_menu_append (manage, _("Try the _Demo"), "win.demo");
  g_menu_append (manage, _("_Leave Demo"), "win.leave-demo");

  g_menu_append_section (menu, _("Accounts"), G_MENU_MODEL (accounts));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (manage));
  gtk_menu_button_set_menu_model (self->account_button, G_MENU_MODEL (menu));
  gtk_menu_button_set_menu_model (self->account_icon_button, G_MENU_MODEL (menu));
}

/* The demo's simulator goes, and its history with it: nothing it made was real. A batch
 * it was still sending goes too, without a word: it would only fail, or say it was done,
 * about images that are no longer anywhere. */
static void
stop_demo (ImprintWindow *self)
{
  GApplication *app = g_application_get_default ();

  if (self->demo == NULL)
    return;
  if (IMPRINT_IS_APPLICATION (app))
    imprint_application_cancel_batches (IMPRINT_APPLICATION (app),
                                        imprint_demo_get_client (self->demo));
  g_clear_object (&self->demo);
  if (self->history_page != NULL)
    imprint_history_page_set_history (self->history_page, self->history);
}

void
_imprint_window_clear_account (ImprintWindow *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->account);
  g_clear_pointer (&self->client_settings, g_free);
  g_clear_pointer (&self->account_region, g_free);
  stop_demo (self);
  adw_bin_set_child (self->workspace, NULL);
  imprint_images_page_set_client (self->images_page, NULL);
}

static void
show_problem (ImprintWindow *self,
              const char    *title,
              const char    *message)
{
  adw_status_page_set_title (self->problem_page, title);
  /* Keyring and file messages are plain text. */
  {
    g_autofree char *escaped = g_markup_escape_text (message, -1);

    adw_status_page_set_description (self->problem_page, escaped);
  }
  _imprint_window_update_title (self);
  _imprint_window_show_page (self, "problem");
}

static void
credentials_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(ImprintWindow) self = user_data;
  g_autoptr(TcCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;

  credentials = tc_account_store_lookup_credentials_finish (TC_ACCOUNT_STORE (object), result, &error);
  if (credentials == NULL) {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      show_problem (self, _("Cannot Read the Keyring"), error->message);
    return;
  }

  self->client = tc_account_create_client (self->account, self->session, self->pacer, credentials,
                                           &error);
  if (self->client == NULL) {
    show_problem (self, _("Cannot Use This Account"), error->message);
    return;
  }
  tc_client_set_region_cache (self->client, self->regions);

  imprint_create_page_set_client (IMPRINT_CREATE_PAGE (adw_bin_get_child (self->workspace)),
                                  self->client);
  imprint_images_page_set_client (self->images_page, self->client);
}

/* What a client is made from, but for the secret: when another build changes it, the
 * client is made again. */
static char *
connection_settings (TcAccount *account)
{
  return g_strdup_printf ("%s\n%s\n%d\n%s\n%s\n%s",
                          tc_account_get_secret_id (account),
                          tc_account_get_region (account),
                          (int) tc_account_get_protocol (account),
                          tc_account_get_endpoint (account) ?: "",
                          tc_account_get_legacy_cvm_endpoint (account) ?: "",
                          tc_account_get_legacy_image_endpoint (account) ?: "");
}

/* Asks the keyring for the account's secret; the form gets its client from the answer. */
static void
lookup_credentials (ImprintWindow *self)
{
  g_free (self->client_settings);
  self->client_settings = connection_settings (self->account);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  tc_account_store_lookup_credentials_async (self->store, self->account, self->cancellable,
                                             credentials_cb, g_object_ref (self));
}

/* The form is there at once, before the keyring answers (which takes a while when it has
 * to be unlocked): the user can start on it, and the window does not show an empty page
 * and then the whole form a frame later. Requests wait for the client. */
static void
activate_account (ImprintWindow *self,
                  TcAccount     *account)
{
  _imprint_window_clear_account (self);
  self->account = g_object_ref (account);
  self->account_region = g_strdup (tc_account_get_region (account));
  g_settings_set_string (self->settings, "current-account", tc_account_get_id (account));
  _imprint_window_show_workspace (self);
  lookup_credentials (self);
}

/* After the store changed: keep the current account if it still exists, otherwise fall
 * back to the remembered one, the first one, or the welcome page. */
static void
choose_account (ImprintWindow *self)
{
  g_autofree char *remembered = g_settings_get_string (self->settings, "current-account");
  TcAccount *account = tc_account_store_find_by_id (self->store, remembered);

  if (account == NULL && g_list_model_get_n_items (G_LIST_MODEL (self->store)) > 0) {
    g_autoptr(TcAccount) first = g_list_model_get_item (G_LIST_MODEL (self->store), 0);

    account = first;
  }

  if (account != NULL) {
    activate_account (self, account);
  } else {
    _imprint_window_clear_account (self);
    _imprint_window_update_title (self);
    _imprint_window_show_page (self, "welcome");
  }
}

/* The file can be read (again): adding an account is safe, and there is nothing to retry. */
static void
show_file_readable (ImprintWindow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->welcome_problem), FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.add-account", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reload-accounts", FALSE);
}

/* Another build changed the account in use: its requests go out with the new settings and
 * the secret that goes with them. The form keeps what was typed, unless it opened in a
 * Default Region that is no longer the account's. */
static void
reconnect (ImprintWindow *self)
{
  g_autoptr(TcAccount) account = g_object_ref (self->account);
  ImprintCreatePage *page = imprint_window_get_create_page (self);

  if (page == NULL || g_strcmp0 (tc_account_get_region (account), self->account_region) != 0) {
    activate_account (self, account);
    return;
  }

  g_clear_object (&self->client);
  imprint_create_page_set_client (page, NULL);
  imprint_images_page_set_client (self->images_page, NULL);
  imprint_create_page_set_protocol (page, tc_account_get_protocol (account));
  if (g_strcmp0 (imprint_window_get_page (self), "problem") == 0)
    _imprint_window_show_page (self, "workspace");
  lookup_credentials (self);
}

void
_imprint_window_store_changed_cb (ImprintWindow *self)
{
  rebuild_account_menu (self);
  _imprint_window_update_account_button (self);

  if (self->demo != NULL) {
    _imprint_window_update_title (self);
    return;
  }

  if (self->account == NULL) {
    /* Accounts came from another build, or from a Retry in another window, while this one
     * welcomes the user (not while it loads: that ends in choosing one). */
    if (g_list_model_get_n_items (G_LIST_MODEL (self->store)) > 0 &&
        g_strcmp0 (imprint_window_get_page (self), "welcome") == 0) {
      show_file_readable (self);
      choose_account (self);
      return;
    }
  } else if (tc_account_store_find_by_id (self->store, tc_account_get_id (self->account)) == NULL) {
    /* The current account was renamed or removed behind the menu's back. */
    choose_account (self);
    return;
  } else if (self->client_settings != NULL) {
    g_autofree char *settings = connection_settings (self->account);

    if (!g_str_equal (settings, self->client_settings)) {
      _imprint_window_update_title (self);
      reconnect (self);
      return;
    }
  }
  _imprint_window_update_title (self);
}

void
_imprint_window_loaded_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(ImprintWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tc_account_store_load_finish (TC_ACCOUNT_STORE (object), result, &error)) {
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
      /* A Retry cut short, the window still open (its template children are there): the
       * file is as damaged as it was, and Retry stays to try again. */
      if (self->welcome_problem != NULL &&
          gtk_widget_get_visible (GTK_WIDGET (self->welcome_problem))) {
        gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reload-accounts", TRUE);
        if (self->demo == NULL && g_strcmp0 (imprint_window_get_page (self), "loading") == 0)
          _imprint_window_show_page (self, "welcome");
      }
      return;
    }
    /* The file stays as it is; the user can still look around in the demo. */
    gtk_label_set_text (self->welcome_problem, error->message);
    gtk_widget_set_visible (GTK_WIDGET (self->welcome_problem), TRUE);
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.add-account", FALSE);
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reload-accounts", TRUE);
    /* A Retry ended while the user is in the demo: leaving it shows the problem. */
    if (self->demo == NULL)
      _imprint_window_show_page (self, "welcome");
    return;
  }

  show_file_readable (self);
  rebuild_account_menu (self);
  if (self->demo == NULL)
    choose_account (self);
}

/* Actions */

static void
editor_saved_cb (ImprintWindow *self,
                 TcAccount     *account)
{
  if (account != NULL)
    activate_account (self, account);
}

static void
open_editor (ImprintWindow *self,
             TcAccount     *account)
{
  ImprintAccountEditor *editor = imprint_account_editor_new (GTK_WINDOW (self), self->store,
                                                             self->session, self->pacer, account);

  g_signal_connect_object (editor, "saved", G_CALLBACK (editor_saved_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
add_account_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  open_editor (IMPRINT_WINDOW (widget), NULL);
}

static void
edit_account_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  ImprintWindow *self = IMPRINT_WINDOW (widget);

  if (self->account != NULL && self->demo == NULL)
    open_editor (self, self->account);
}

static void
switch_account_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  ImprintWindow *self = IMPRINT_WINDOW (widget);
  TcAccount *account = tc_account_store_find_by_id (self->store, g_variant_get_string (parameter, NULL));

  if (account != NULL)
    activate_account (self, account);
}

static void
retry_account_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  ImprintWindow *self = IMPRINT_WINDOW (widget);
  g_autoptr(TcAccount) account = self->account ? g_object_ref (self->account) : NULL;

  if (account == NULL)
    return;
  /* The keyring failed: it is asked again, and the form stays as the user left it. */
  if (self->client == NULL && self->demo == NULL && imprint_window_get_create_page (self) != NULL) {
    _imprint_window_show_page (self, "workspace");
    lookup_credentials (self);
    return;
  }
  activate_account (self, account);
}

/* The accounts file could not be read: the user repaired or moved it, and it is read
 * again, as at start. Until then nothing was written over it. */
static void
reload_accounts_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  ImprintWindow *self = IMPRINT_WINDOW (widget);

  /* A cancellable of its own: the window's may be gone (after the demo) or be cancelled
   * by entering the demo, which would leave Retry disabled. */
  g_cancellable_cancel (self->reloading);
  g_clear_object (&self->reloading);
  self->reloading = g_cancellable_new ();
  gtk_widget_action_set_enabled (widget, "win.reload-accounts", FALSE);
  _imprint_window_show_page (self, "loading");
  tc_account_store_load_async (self->store, self->reloading, _imprint_window_loaded_cb,
                               g_object_ref (self));
}

static void
removed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(ImprintWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tc_account_store_remove_finish (TC_ACCOUNT_STORE (object), result, &error)) {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      _imprint_window_toast (self, error->message);
    return;
  }

  choose_account (self);
}

static void
remove_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    ImprintWindow    *self)
{
  g_autoptr(TcAccount) account = g_steal_pointer (&self->removing);

  if (account != NULL && g_str_equal (response, "remove"))
    tc_account_store_remove_async (self->store, account, NULL, removed_cb, g_object_ref (self));
}

static void
remove_account_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  ImprintWindow *self = IMPRINT_WINDOW (widget);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (self->account == NULL || self->demo != NULL)
    return;

  heading = g_strdup_printf (_("Remove “%s”?"), tc_account_get_name (self->account));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   _("Its SecretKey and token are deleted from the keyring. "
                                     "Nothing changes in Tencent Cloud: the keys keep working "
                                     "elsewhere, and images already made stay."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_set_object (&self->removing, self->account);
  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_response_cb), self, 0);
  imprint_a11y_name_buttons (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The demo runs the simulator in this process (imprint-demo.c). */
static void
demo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ImprintWindow *self = IMPRINT_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(ImprintDemo) demo = imprint_demo_new (self->session, self->pacer, &error);

  if (demo == NULL) {
    _imprint_window_toast (self, error->message);
    return;
  }

  _imprint_window_clear_account (self);
  self->demo = g_steal_pointer (&demo);
  g_signal_connect_object (imprint_demo_get_tracker (self->demo), "finished",
                           G_CALLBACK (_imprint_window_image_finished_cb), self, G_CONNECT_SWAPPED);
  imprint_history_page_set_history (self->history_page, imprint_demo_get_history (self->demo));
  self->account = g_object_ref (imprint_demo_get_account (self->demo));
  self->client = g_object_ref (imprint_demo_get_client (self->demo));
  _imprint_window_show_workspace (self);
}

/* Back to where the user was before the demo: the remembered account, the first one, or
 * the welcome page. The demo's simulator and history go with it: an image it was still
 * making was never real, so it is not recorded anywhere, least of all as failed. */
static void
leave_demo_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  ImprintWindow *self = IMPRINT_WINDOW (widget);

  if (self->demo == NULL)
    return;

  _imprint_window_clear_account (self);
  _imprint_window_update_title (self);
  choose_account (self);
}

void
_imprint_window_install_account_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.add-account", NULL, add_account_action);
  gtk_widget_class_install_action (widget_class, "win.edit-account", NULL, edit_account_action);
  gtk_widget_class_install_action (widget_class, "win.remove-account", NULL, remove_account_action);
  gtk_widget_class_install_action (widget_class, "win.switch-account", "s", switch_account_action);
  gtk_widget_class_install_action (widget_class, "win.retry-account", NULL, retry_account_action);
  gtk_widget_class_install_action (widget_class, "win.reload-accounts", NULL, reload_accounts_action);
  gtk_widget_class_install_action (widget_class, "win.demo", NULL, demo_action);
  gtk_widget_class_install_action (widget_class, "win.leave-demo", NULL, leave_demo_action);
}
