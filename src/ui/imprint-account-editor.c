/* imprint-account-editor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every field is checked as the user types; Save stays insensitive until the form is
 * whole, and says why in its tooltip and under the field at fault. Nothing typed is ever
 * lost: a failed test or save leaves the form as it was and says what happened above it.
 * A failed test does not stop Save (the network, not the keys, may be what failed).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "imprint-a11y.h"
#include "imprint-account-editor.h"
#include "imprint-account-editor-private.h"
#include "tc-cvm.h"
#include "tc-error.h"
#include "tc-models.h"
#include "tc-places.h"
#include "tc-tccli.h"

struct _ImprintAccountEditor
{
  AdwWindow             parent_instance;

  TcAccountStore       *store;
  SoupSession          *session;
  TcPacer              *pacer;        /* the app's, or NULL */
  TcAccount            *account;      /* being edited, or NULL when adding */
  TcAccount            *saving;       /* what the save in flight writes */
  GListStore           *regions;
  GCancellable         *cancellable;  /* test, import scan and save in flight */
  GPtrArray            *profiles;     /* TcTccliProfile offered for import */
  char                 *imported_endpoint;  /* what the last import put in the endpoint row */
  char                 *tccli_dir;
  char                 *problem;
  GHashTable           *touched;      /* the entry rows the user typed (or imported) into */
  gboolean              busy;
  gboolean              save_running;  /* busy with a save (a test may not cancel it) */
  char                 *tested;       /* digest of what the test under way or shown used */

  AdwWindowTitle       *window_title;
  GtkRevealer          *status_revealer;
  GtkLabel             *status_label;
  AdwEntryRow          *name_row;
  AdwEntryRow          *secret_id_row;
  AdwPasswordEntryRow  *secret_key_row;
  AdwPasswordEntryRow  *token_row;
  AdwPreferencesRow    *field_message;
  GtkLabel             *field_message_label;
  GtkRevealer          *warning_revealer;
  AdwComboRow          *region_row;
  AdwComboRow          *protocol_row;
  AdwExpanderRow       *advanced_row;
  AdwEntryRow          *endpoint_row;
  AdwEntryRow          *legacy_cvm_row;
  AdwEntryRow          *legacy_image_row;
  AdwActionRow         *test_row;
  GtkSpinner           *test_spinner;
  GtkButton            *test_button;
  GtkButton            *save_button;
  GtkStack             *import_stack;
  GtkListBox           *import_list;
  GtkLabel             *import_problems;
  GtkPopover           *import_popover;
};

G_DEFINE_FINAL_TYPE (ImprintAccountEditor, imprint_account_editor, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
row_text (gpointer row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static TcProtocol
selected_protocol (ImprintAccountEditor *self)
{
  return adw_combo_row_get_selected (self->protocol_row) == 1 ? TC_PROTOCOL_LEGACY : TC_PROTOCOL_API3;
}

static const char *
selected_region (ImprintAccountEditor *self)
{
  g_autoptr(TcRegion) region = g_list_model_get_item (G_LIST_MODEL (self->regions),
                                                      adw_combo_row_get_selected (self->region_row));

  return region ? tc_region_get_region (region) : "ap-guangzhou";
}

/* Editing keeps the saved SecretKey (and token) when the key field is left empty and the
 * SecretId is the same; new keys need a new SecretKey. */
static gboolean
keeps_saved_secret (ImprintAccountEditor *self)
{
  return self->account != NULL && *row_text (self->secret_key_row) == '\0' &&
         g_str_equal (row_text (self->secret_id_row), tc_account_get_secret_id (self->account));
}

static void
mark (gpointer  row,
      gboolean  bad)
{
  if (bad)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

/* Shows @message in a row of its own right under @row, the field it is about, and
 * announces it with that field; no message, no row. */
static void
show_field_message (ImprintAccountEditor *self,
                    gpointer              row,
                    const char           *message)
{
  GtkWidget *message_row = GTK_WIDGET (self->field_message);
  GtkListBox *list;
  int position;

  gtk_widget_set_visible (message_row, row != NULL && message != NULL);
  if (row == NULL || message == NULL)
    return;

  gtk_label_set_text (self->field_message_label, message);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
  /* The rows of a group, or of the Advanced expander, are in a list box of their own. */
  list = GTK_LIST_BOX (gtk_widget_get_parent (GTK_WIDGET (row)));
  position = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)) + 1;
  if (gtk_widget_get_parent (message_row) == GTK_WIDGET (list) &&
      gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (message_row)) == position)
    return;
  g_object_ref (message_row);
  gtk_list_box_remove (GTK_LIST_BOX (gtk_widget_get_parent (message_row)), message_row);
  /* @row's place is read again: taking the message out from above it moved it. */
  gtk_list_box_insert (list, message_row, gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)) + 1);
  g_object_unref (message_row);
}

static TcAccount *account_from_form (ImprintAccountEditor *self);
static TcCredentials *credentials_from_form (ImprintAccountEditor *self);

/* The form is checked by the store itself, so the editor never accepts what saving would
 * refuse; the error names the field, and its message goes under that field's row. */
static void
validate (ImprintAccountEditor *self)
{
  gpointer all[] = { self->name_row, self->secret_id_row, self->secret_key_row, self->token_row,
                     self->region_row, self->endpoint_row, self->legacy_cvm_row, self->legacy_image_row };
  const char *fields[] = { "name", "secret-id", "secret-key", "token",
                           "region", "endpoint", "legacy-cvm-endpoint", "legacy-image-endpoint" };
  g_autoptr(TcAccount) account = NULL;
  g_autoptr(TcCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;
  gboolean legacy = selected_protocol (self) == TC_PROTOCOL_LEGACY;
  gpointer bad_row = NULL;

  /* Filling the template's combo rows notifies before the editor has its store. */
  if (self->store == NULL)
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->endpoint_row), !legacy);
  gtk_widget_set_visible (GTK_WIDGET (self->legacy_cvm_row), legacy);
  gtk_widget_set_visible (GTK_WIDGET (self->legacy_image_row), legacy);

  account = account_from_form (self);
  credentials = keeps_saved_secret (self) ? NULL : credentials_from_form (self);
  if (!tc_account_store_validate (self->store, account, credentials, &error)) {
    const char *field = tc_account_store_error_get_field (error);

    for (guint i = 0; i < G_N_ELEMENTS (fields); i++) {
      if (g_strcmp0 (field, fields[i]) == 0)
        bad_row = all[i];
    }
  }

  /* An empty field the user has not reached yet is not an error to shout about: Save
   * stays insensitive and its tooltip says what is missing. */
  if (bad_row != NULL && GTK_IS_EDITABLE (bad_row) &&
      *gtk_editable_get_text (GTK_EDITABLE (bad_row)) == '\0' &&
      !g_hash_table_contains (self->touched, bad_row))
    bad_row = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    mark (all[i], all[i] == bad_row);
  show_field_message (self, bad_row, bad_row ? error->message : NULL);
  if (bad_row == self->endpoint_row || bad_row == self->legacy_cvm_row || bad_row == self->legacy_image_row)
    adw_expander_row_set_expanded (self->advanced_row, TRUE);

  g_free (self->problem);
  self->problem = error ? g_strdup (error->message) : NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", self->problem == NULL && !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.test",
                                 (self->problem == NULL || self->busy) && !self->save_running);
  /* A save cannot be taken back once the keyring has the secret, and closing would hide
   * whether it happened: Cancel waits for it (see close_request). */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "window.close", !self->save_running);
  imprint_set_tooltip (GTK_WIDGET (self->save_button), self->problem);
}

static void
row_touched_cb (GtkEditable          *row,
                ImprintAccountEditor *self)
{
  g_hash_table_add (self->touched, row);
}

static char *form_digest (ImprintAccountEditor *self);
static void  show_test_result (ImprintAccountEditor *self,
                               const char           *text,
                               const char           *css_class);

static void
field_changed_cb (ImprintAccountEditor *self)
{
  /* What failed the test is no longer what is in the form. */
  gtk_revealer_set_reveal_child (self->warning_revealer, FALSE);

  /* Nor does an answer shown describe it any more. One still to come is judged when it
   * comes. */
  if (self->tested != NULL && !self->busy) {
    g_autofree char *digest = form_digest (self);

    if (!g_str_equal (digest, self->tested)) {
      g_clear_pointer (&self->tested, g_free);
      show_test_result (self, _("Makes one signed request with the keys as typed"), NULL);
    }
  }
  validate (self);
}

static void
set_status (ImprintAccountEditor *self,
            const char           *text)
{
  /* Server and keyring text is shown as plain text, never markup. */
  gtk_label_set_text (self->status_label, text ? text : "");
  gtk_revealer_set_reveal_child (self->status_revealer, text != NULL && *text != '\0');
}

static void
set_busy (ImprintAccountEditor *self,
          gboolean              busy)
{
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->test_spinner), busy);
  gtk_spinner_set_spinning (self->test_spinner, busy);
  /* Translators: the connection test's button while a test runs: it stops the test (the
   * dialog's own Cancel closes the editor) */
  gtk_button_set_label (self->test_button, busy ? _("_Stop") : _("_Test"));
  imprint_a11y_name_button (GTK_WIDGET (self->test_button));
  validate (self);
}

/* Builds the account the form describes (a copy when editing, so a failed save changes
 * nothing). */
static TcAccount *
account_from_form (ImprintAccountEditor *self)
{
  g_autofree char *name = g_strstrip (g_strdup (row_text (self->name_row)));
  TcAccount *account = self->account ? tc_account_copy (self->account)
                                     : tc_account_new (name, row_text (self->secret_id_row));

  tc_account_set_name (account, name);
  tc_account_set_secret_id (account, row_text (self->secret_id_row));
  tc_account_set_region (account, selected_region (self));
  tc_account_set_protocol (account, selected_protocol (self));
  tc_account_set_endpoint (account, row_text (self->endpoint_row));
  tc_account_set_legacy_cvm_endpoint (account, row_text (self->legacy_cvm_row));
  tc_account_set_legacy_image_endpoint (account, row_text (self->legacy_image_row));
  return account;
}

static TcCredentials *
credentials_from_form (ImprintAccountEditor *self)
{
  return tc_credentials_new (row_text (self->secret_id_row), row_text (self->secret_key_row),
                             row_text (self->token_row));
}

/* Test connection */

/* What a connection test depends on: keys, region, protocol and endpoints, but not the
 * name. A digest, so no second copy of the SecretKey stays in memory. */
static char *
form_digest (ImprintAccountEditor *self)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  const char *parts[] = {
    row_text (self->secret_id_row), row_text (self->secret_key_row), row_text (self->token_row),
    selected_region (self), selected_protocol (self) == TC_PROTOCOL_LEGACY ? "legacy" : "api3",
    row_text (self->endpoint_row), row_text (self->legacy_cvm_row), row_text (self->legacy_image_row),
  };

  /* Each part with its terminating NUL, so "ab" + "c" differs from "a" + "bc". */
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    g_checksum_update (checksum, (const guchar *) parts[i], (gssize) strlen (parts[i]) + 1);
  return g_strdup (g_checksum_get_string (checksum));
}

/* The answer is about the form as it was when the test began; when the user has changed
 * it since, showing it would vouch for (or blame) values that were never tested. */
static gboolean
form_changed_since_test (ImprintAccountEditor *self)
{
  g_autofree char *digest = form_digest (self);

  if (self->tested != NULL && g_str_equal (digest, self->tested))
    return FALSE;

  g_clear_pointer (&self->tested, g_free);
  show_test_result (self, _("The form changed during the test. Test again to check it."), NULL);
  return TRUE;
}

/* Shows the outcome of a connection test under its row: @css_class is "success", "error"
 * or NULL for neither. */
static void
show_test_result (ImprintAccountEditor *self,
                  const char           *text,
                  const char           *css_class)
{
  adw_action_row_set_subtitle (self->test_row, text);
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_row), "success");
  if (css_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->test_row), css_class);
}

static void
tested_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(ImprintAccountEditor) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tc_cvm_test_connection_finish (TC_CLIENT (object), result, &error)) {
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
      g_clear_pointer (&self->tested, g_free);
      show_test_result (self, _("Test cancelled."), NULL);
    } else {
      g_autofree char *text = tc_error_get_server_code (error)
        ? g_strdup_printf ("%s (%s)", error->message, tc_error_get_server_code (error))
        : g_strdup (error->message);

      if (!form_changed_since_test (self)) {
        show_test_result (self, text, "error");
        gtk_revealer_set_reveal_child (self->warning_revealer, TRUE);
      }
    }
  } else if (!form_changed_since_test (self)) {
    show_test_result (self, _("Connected. These keys work."), "success");
  }

  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
}

static void
run_test (ImprintAccountEditor *self,
          TcCredentials        *credentials)
{
  g_autoptr(TcAccount) account = account_from_form (self);
  g_autoptr(TcClient) client = NULL;
  g_autoptr(GError) error = NULL;

  client = tc_account_create_client (account, self->session, self->pacer, credentials, &error);
  if (client == NULL) {
    if (!form_changed_since_test (self))
      show_test_result (self, error->message, "error");
    set_busy (self, FALSE);
    return;
  }

  /* A test answers quickly or not at all: no retries, a short deadline. */
  tc_client_set_deadline (client, 15);
  tc_cvm_test_connection_async (client, tc_account_get_region (account), self->cancellable,
                                tested_cb, g_object_ref (self));
}

static void
kept_for_test_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(ImprintAccountEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcCredentials) credentials = NULL;

  credentials = tc_account_store_keep_secret_finish (TC_ACCOUNT_STORE (object), result, &error);
  if (credentials == NULL) {
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      g_clear_pointer (&self->tested, g_free);
    else if (!form_changed_since_test (self))
      show_test_result (self, error->message, "error");
    g_clear_object (&self->cancellable);
    set_busy (self, FALSE);
    return;
  }

  run_test (self, credentials);
}

static void
test_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ImprintAccountEditor *self = IMPRINT_ACCOUNT_EDITOR (widget);

  if (self->save_running)
    return;
  if (self->busy) {
    g_cancellable_cancel (self->cancellable);
    return;
  }

  self->cancellable = g_cancellable_new ();
  g_free (self->tested);
  self->tested = form_digest (self);
  gtk_revealer_set_reveal_child (self->warning_revealer, FALSE);
  show_test_result (self, _("Connecting…"), NULL);
  set_busy (self, TRUE);

  if (keeps_saved_secret (self)) {
    tc_account_store_keep_secret_async (self->store, self->account,
                                        row_text (self->secret_id_row), row_text (self->token_row),
                                        self->cancellable, kept_for_test_cb, g_object_ref (self));
  } else {
    g_autoptr(TcCredentials) credentials = credentials_from_form (self);

    run_test (self, credentials);
  }
}

/* Save */

static void
store_saved_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(ImprintAccountEditor) self = user_data;
  g_autoptr(TcAccount) account = g_steal_pointer (&self->saving);
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->cancellable);
  self->busy = self->save_running = FALSE;

  if (!tc_account_store_save_finish (TC_ACCOUNT_STORE (object), result, &error)) {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      set_status (self, error->message);
    validate (self);
    return;
  }

  g_signal_emit (self, signals[SAVED], 0, tc_account_store_find_by_id (self->store, tc_account_get_id (account)));
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
save_with_credentials (ImprintAccountEditor *self,
                       TcCredentials        *credentials)
{
  g_autoptr(TcAccount) account = account_from_form (self);

  g_set_object (&self->saving, account);
  tc_account_store_save_async (self->store, account, credentials, self->cancellable,
                               store_saved_cb, g_object_ref (self));
}

static void
kept_for_save_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(ImprintAccountEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TcCredentials) credentials = NULL;

  credentials = tc_account_store_keep_secret_finish (TC_ACCOUNT_STORE (object), result, &error);
  if (credentials == NULL) {
    g_clear_object (&self->cancellable);
    self->busy = self->save_running = FALSE;
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      set_status (self, error->message);
    validate (self);
    return;
  }

  save_with_credentials (self, credentials);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ImprintAccountEditor *self = IMPRINT_ACCOUNT_EDITOR (widget);

  validate (self);
  if (self->problem != NULL || self->busy)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->busy = self->save_running = TRUE;
  set_status (self, NULL);
  validate (self);

  if (keeps_saved_secret (self)) {
    tc_account_store_keep_secret_async (self->store, self->account,
                                        row_text (self->secret_id_row), row_text (self->token_row),
                                        self->cancellable, kept_for_save_cb, g_object_ref (self));
  } else {
    g_autoptr(TcCredentials) credentials = credentials_from_form (self);

    save_with_credentials (self, credentials);
  }
}

/* Import from tccli */

static void
select_region (ImprintAccountEditor *self,
               const char           *code)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->regions));

  if (code == NULL || *code == '\0')
    return;

  for (guint i = 0; i < n; i++) {
    g_autoptr(TcRegion) region = g_list_model_get_item (G_LIST_MODEL (self->regions), i);

    if (g_str_equal (tc_region_get_region (region), code)) {
      adw_combo_row_set_selected (self->region_row, i);
      return;
    }
  }

  /* A region Imprint does not know by name is still a region. */
  {
    g_autoptr(TcRegion) custom = tc_region_new (code, code, TRUE);

    g_list_store_append (self->regions, custom);
    adw_combo_row_set_selected (self->region_row, n);
  }
}

static void
import_row_activated_cb (ImprintAccountEditor *self,
                         GtkListBoxRow        *row)
{
  int index = gtk_list_box_row_get_index (row);
  const TcTccliProfile *profile;

  if (self->profiles == NULL || index < 0 || (guint) index >= self->profiles->len)
    return;
  profile = g_ptr_array_index (self->profiles, index);

  /* A profile the user named names the account; tccli's "default" and the environment
   * say nothing about it, and the name stays the user's to give. */
  if (self->account == NULL && profile->source == TC_TCCLI_SOURCE_PROFILE &&
      !g_str_equal (profile->name, "default") &&
      tc_account_store_find_by_name (self->store, profile->name) == NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->name_row), profile->name);
  gtk_editable_set_text (GTK_EDITABLE (self->secret_id_row), profile->secret_id);
  gtk_editable_set_text (GTK_EDITABLE (self->secret_key_row), profile->secret_key);
  gtk_editable_set_text (GTK_EDITABLE (self->token_row), profile->token ? profile->token : "");
  select_region (self, profile->region);
  /* A profile without an endpoint uses the default one: an endpoint an earlier import put
   * there must not take this profile's keys elsewhere (one the user typed stays). */
  if (profile->endpoint != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->endpoint_row), profile->endpoint);
  else if (g_strcmp0 (row_text (self->endpoint_row), self->imported_endpoint) == 0)
    gtk_editable_set_text (GTK_EDITABLE (self->endpoint_row), TC_API3_DEFAULT_ENDPOINT);
  g_free (self->imported_endpoint);
  self->imported_endpoint = g_strdup (profile->endpoint);

  gtk_popover_popdown (self->import_popover);
  validate (self);
  if (*row_text (self->name_row) == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

static void
scanned_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(ImprintAccountEditor) self = user_data;
  g_autoptr(TcTccliScan) scan = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  scan = tc_tccli_scan_finish (result, &error);
  if (scan == NULL) {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
      gtk_label_set_text (self->import_problems, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->import_problems), TRUE);
      gtk_stack_set_visible_child_name (self->import_stack, "empty");
    }
    return;
  }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->import_list))) != NULL)
    gtk_list_box_remove (self->import_list, child);

  g_clear_pointer (&self->profiles, g_ptr_array_unref);
  self->profiles = g_steal_pointer (&scan->profiles);

  for (guint i = 0; i < self->profiles->len; i++) {
    const TcTccliProfile *profile = g_ptr_array_index (self->profiles, i);
    g_autofree char *masked = tc_credentials_mask_secret_id (profile->secret_id);
    /* Temporary keys say so, and until when: tccli renews them, Imprint does not. */
    g_autofree char *validity = tc_tccli_profile_dup_validity (profile);
    g_autoptr(GString) subtitle = g_string_new (masked);
    GtkWidget *row = adw_action_row_new ();

    if (profile->region != NULL)
      g_string_append_printf (subtitle, " · %s", tc_places_region_name (profile->region));
    if (validity != NULL)
      g_string_append_printf (subtitle, " · %s", validity);

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                   profile->source == TC_TCCLI_SOURCE_ENVIRONMENT
                                   ? _("Environment variables") : profile->name);
    adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
    gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
    gtk_list_box_append (self->import_list, row);
  }

  if (scan->problems->len > 0) {
    g_autoptr(GString) text = g_string_new (NULL);

    for (guint i = 0; i < scan->problems->len; i++)
      g_string_append_printf (text, "%s%s", i ? "\n" : "", (char *) scan->problems->pdata[i]);
    gtk_label_set_text (self->import_problems, text->str);
  }
  gtk_widget_set_visible (GTK_WIDGET (self->import_problems), scan->problems->len > 0);
  gtk_stack_set_visible_child_name (self->import_stack, self->profiles->len > 0 ? "list" : "empty");
}

static void
import_popover_show_cb (ImprintAccountEditor *self)
{
  gtk_stack_set_visible_child_name (self->import_stack, "loading");
  tc_tccli_scan_async (self->tccli_dir, NULL, NULL, scanned_cb, g_object_ref (self));
}

/* Setup */

static void
fill_form (ImprintAccountEditor *self)
{
  TcAccount *account = self->account;
  g_autoptr(TcAccount) defaults = tc_account_new ("", "");

  if (account == NULL) {
    /* A new account starts with API 3.0 (TcAccount's default), which Tencent recommends. */
    adw_window_title_set_title (self->window_title, _("Add Account"));
    gtk_window_set_title (GTK_WINDOW (self), _("Add Account"));
    account = defaults;
  } else {
    adw_window_title_set_title (self->window_title, _("Edit Account"));
    gtk_window_set_title (GTK_WINDOW (self), _("Edit Account"));
    adw_window_title_set_subtitle (self->window_title, tc_account_get_name (account));
    gtk_editable_set_text (GTK_EDITABLE (self->name_row), tc_account_get_name (account));
    gtk_editable_set_text (GTK_EDITABLE (self->secret_id_row), tc_account_get_secret_id (account));
    /* The saved SecretKey is never shown again. */
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->secret_key_row),
                                   _("SecretKey (Leave Empty to Keep)"));
  }

  select_region (self, tc_account_get_region (account));
  adw_combo_row_set_selected (self->protocol_row, tc_account_get_protocol (account) == TC_PROTOCOL_LEGACY);
  gtk_editable_set_text (GTK_EDITABLE (self->endpoint_row), tc_account_get_endpoint (account));
  gtk_editable_set_text (GTK_EDITABLE (self->legacy_cvm_row), tc_account_get_legacy_cvm_endpoint (account));
  gtk_editable_set_text (GTK_EDITABLE (self->legacy_image_row), tc_account_get_legacy_image_endpoint (account));
}

/* Escape and the window manager's close wait for a save too: closing while it runs looked
 * like Cancel, yet the account could be saved all the same. A keyring that asks to be
 * unlocked has its own Cancel, which ends the save with nothing saved. */
static gboolean
imprint_account_editor_close_request (GtkWindow *window)
{
  ImprintAccountEditor *self = IMPRINT_ACCOUNT_EDITOR (window);

  if (self->save_running)
    return TRUE;
  return GTK_WINDOW_CLASS (imprint_account_editor_parent_class)->close_request (window);
}

static void
imprint_account_editor_dispose (GObject *object)
{
  ImprintAccountEditor *self = IMPRINT_ACCOUNT_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), IMPRINT_TYPE_ACCOUNT_EDITOR);

  G_OBJECT_CLASS (imprint_account_editor_parent_class)->dispose (object);
}

static void
imprint_account_editor_finalize (GObject *object)
{
  ImprintAccountEditor *self = IMPRINT_ACCOUNT_EDITOR (object);

  g_clear_object (&self->store);
  g_clear_object (&self->session);
  g_clear_object (&self->pacer);
  g_clear_object (&self->account);
  g_clear_object (&self->saving);
  g_clear_object (&self->regions);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->profiles, g_ptr_array_unref);
  g_clear_pointer (&self->imported_endpoint, g_free);
  g_clear_pointer (&self->tccli_dir, g_free);
  g_clear_pointer (&self->problem, g_free);
  g_clear_pointer (&self->tested, g_free);
  g_clear_pointer (&self->touched, g_hash_table_unref);

  G_OBJECT_CLASS (imprint_account_editor_parent_class)->finalize (object);
}

static void
imprint_account_editor_class_init (ImprintAccountEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = imprint_account_editor_dispose;
  object_class->finalize = imprint_account_editor_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = imprint_account_editor_close_request;

  /**
   * ImprintAccountEditor::saved:
   * @account: the account as now stored
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 1, TC_TYPE_ACCOUNT);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/imprint/Imprint/imprint-account-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, ImprintAccountEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, ImprintAccountEditor, status_revealer);
  gtk_widget_class_bind_template_child (widget_class, ImprintAccountEditor, status_label);
  gtk_widget_class_bind_template_child (widget_class, ImprintAccountEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, ImprintAccountEditor, secret_id_row);
  gtk_widget_class_bind_template_child (widget_class, ImprintAccountEditor, secret_key_row);
  gtk_widget_class_bind_template_child (widget_class, ImprintAccountEditor, token_row);
  gtk_widget_class_bind_template_child (widget_class, ImprintAccountEditor, field_message);
  gtk_widget_class_bind_template_child (widget_class, ImprintAccountEditor, field_message_label);
  gtk_widget_class_bind_template_child (widget_class, ImprintAccountEditor, warning_revealer);
  gtk_widget_class_bind_template_child (widget_class, ImprintAccountEditor, region_row);
  gtk_widget_class_bind_template_child (widget_class, ImprintAccountEditor, protocol_row);
  gtk_widget_class_bind_template_child (widget_class, ImprintAccountEditor, advanced_row);
  gtk_widget_class_bind_template_child (widget_class, ImprintAccountEditor, endpoint_row);
  gtk_widget_class_bind_template_child (widget_class, ImprintAccountEditor, legacy_cvm_row);
  gtk_widget_class_bind_template_child (widget_class, ImprintAccountEditor, legacy_image_row);
  gtk_widget_class_bind_template_child (widget_class, ImprintAccountEditor, test_row);
  gtk_widget_class_bind_template_child (widget_class, ImprintAccountEditor, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, ImprintAccountEditor, test_button);
  gtk_widget_class_bind_template_child (widget_class, ImprintAccountEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, ImprintAccountEditor, import_stack);
  gtk_widget_class_bind_template_child (widget_class, ImprintAccountEditor, import_list);
  gtk_widget_class_bind_template_child (widget_class, ImprintAccountEditor, import_problems);
  gtk_widget_class_bind_template_child (widget_class, ImprintAccountEditor, import_popover);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, import_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, import_popover_show_cb);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.test", NULL, test_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save", NULL);
}

static void
imprint_account_editor_init (ImprintAccountEditor *self)
{
  GtkStringList *protocols;
  GtkExpression *name;
  g_autoptr(GListModel) builtin = NULL;

  self->touched = g_hash_table_new (NULL, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  imprint_a11y_name_buttons (GTK_WIDGET (self));

  self->regions = g_list_store_new (TC_TYPE_REGION);
  builtin = tc_region_list_builtin ();
  for (guint i = 0; i < g_list_model_get_n_items (builtin); i++) {
    g_autoptr(GObject) region = g_list_model_get_item (builtin, i);

    g_list_store_append (self->regions, region);
  }
  /* The row takes a reference of its own (transfer none). */
  name = gtk_property_expression_new (TC_TYPE_REGION, NULL, "name");
  adw_combo_row_set_expression (self->region_row, name);
  gtk_expression_unref (name);
  adw_combo_row_set_model (self->region_row, G_LIST_MODEL (self->regions));

  protocols = gtk_string_list_new (NULL);
  gtk_string_list_append (protocols, _("API 3.0"));
  gtk_string_list_append (protocols, _("Legacy API 2.0"));
  adw_combo_row_set_model (self->protocol_row, G_LIST_MODEL (protocols));
  g_object_unref (protocols);
}

ImprintAccountEditor *
imprint_account_editor_new (GtkWindow      *parent,
                            TcAccountStore *store,
                            SoupSession    *session,
                            TcPacer        *pacer,
                            TcAccount      *account)
{
  ImprintAccountEditor *self = g_object_new (IMPRINT_TYPE_ACCOUNT_EDITOR,
                                             "transient-for", parent,
                                             NULL);

  imprint_dialog_follow_parent (GTK_WINDOW (self));
  self->store = g_object_ref (store);
  self->session = g_object_ref (session);
  self->pacer = pacer != NULL ? g_object_ref (pacer) : NULL;
  self->account = account ? g_object_ref (account) : NULL;
  fill_form (self);

  /* From now on, what changes in a field was typed (or imported) by the user. */
  {
    gpointer rows[] = { self->name_row, self->secret_id_row, self->secret_key_row, self->token_row,
                        self->endpoint_row, self->legacy_cvm_row, self->legacy_image_row };

    for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
      g_signal_connect_object (rows[i], "changed", G_CALLBACK (row_touched_cb), self, 0);
  }
  validate (self);
  gtk_widget_grab_focus (account ? GTK_WIDGET (self->secret_key_row) : GTK_WIDGET (self->name_row));
  return self;
}

const char *
imprint_account_editor_get_problem (ImprintAccountEditor *self)
{
  return self->problem;
}

gboolean
imprint_account_editor_get_test_failed (ImprintAccountEditor *self)
{
  return gtk_revealer_get_reveal_child (self->warning_revealer);
}

const char *
imprint_account_editor_get_status (ImprintAccountEditor *self)
{
  if (gtk_revealer_get_reveal_child (self->status_revealer))
    return gtk_label_get_text (self->status_label);
  return adw_action_row_get_subtitle (self->test_row);
}

void
imprint_account_editor_set_tccli_dir (ImprintAccountEditor *self,
                                      const char           *dir)
{
  g_free (self->tccli_dir);
  self->tccli_dir = g_strdup (dir);
}
