/* test-accounts-ui.c: the account flow as a user goes through it, with a real keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs inside tests/keyring-session.sh: its own D-Bus session, HOME and an unlocked
 * gnome-keyring-daemon (or, with --no-keyring, no Secret Service at all). Widgets are
 * found by their visible labels and driven through their actions.
 */
#define _GNU_SOURCE  /* memmem */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <string.h>

#include "imprint-account-editor.h"
#include "imprint-account-editor-private.h"
#include "imprint-images-page-private.h"
#include "imprint-window.h"
#include "sim-server.h"
#include "tc-error.h"
#include "test-ui-util.h"
#include "test-util.h"

#define SECRET_KEY "uiTESTsecretKEYthatMUSTnotLEAK0001"
#define TOKEN      "uiTESTsessionTOKENthatMUSTnotLEAK02"

static gboolean no_keyring;

/* Finding widgets as a user would: by what they say. */

static GtkWidget *
find_widget (GtkWidget  *root,
             GType       type,
             const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child)) {
    GtkWidget *found;

    if (G_TYPE_CHECK_INSTANCE_TYPE (child, type)) {
      const char *text = NULL;

      if (ADW_IS_PREFERENCES_ROW (child))
        text = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child));
      else if (GTK_IS_BUTTON (child))
        text = gtk_button_get_label (GTK_BUTTON (child));
      if (title == NULL || g_strcmp0 (text, title) == 0)
        return child;
    }
    if ((found = find_widget (child, type, title)) != NULL)
      return found;
  }
  return NULL;
}

static void
type_into (GtkWidget  *root,
           const char *title,
           const char *text)
{
  GtkWidget *row = find_widget (root, ADW_TYPE_ENTRY_ROW, title);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static const char *
text_of (GtkWidget  *root,
         const char *title)
{
  GtkWidget *row = find_widget (root, ADW_TYPE_ENTRY_ROW, title);

  g_assert_nonnull (row);
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  g_autofree char *path = NULL;

  /* Let page and revealer transitions finish first. */
  test_run_main_loop_for (400);
  test_wait_for_frames (widget, 2);
  path = test_save_screenshot (widget, name);
  g_test_message ("screenshot: %s", path);
}

typedef struct {
  char            *dir;
  char            *path;
  TcAccountStore  *store;
  SoupSession     *session;
  SimServer       *sim;
  char            *url;
  ImprintWindow   *window;
} Fixture;

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("imprint-accounts-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "accounts.json", NULL);
  f->store = tc_account_store_new (f->path);
  f->session = tc_client_new_session ();
  f->sim = sim_server_new (5, 20);
  g_assert_true (sim_server_listen (f->sim, 0, &error));
  f->url = sim_server_get_url (f->sim);
}

static void
close_window (Fixture *f)
{
  if (f->window != NULL) {
    gtk_window_destroy (GTK_WINDOW (f->window));
    f->window = NULL;
  }
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  close_window (f);
  sim_server_disconnect (f->sim);
  g_clear_object (&f->sim);
  g_clear_object (&f->store);
  g_clear_object (&f->session);
  g_remove (f->path);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
  g_free (f->url);
}

static ImprintWindow *
open_window (Fixture *f)
{
  f->window = imprint_window_new (NULL, f->store, f->session);
  gtk_window_present (GTK_WINDOW (f->window));
  return f->window;
}

/* The editor the window opened, as a user would see it appear. */
static ImprintAccountEditor *
find_editor (void)
{
  GListModel *toplevels;  /* owned by GTK */

  test_run_main_loop_for (50);
  toplevels = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++) {
    g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

    if (IMPRINT_IS_ACCOUNT_EDITOR (w))
      return IMPRINT_ACCOUNT_EDITOR (w);
  }
  g_assert_not_reached ();
}

static ImprintAccountEditor *
open_editor (Fixture   *f,
             TcAccount *account)
{
  ImprintAccountEditor *editor = imprint_account_editor_new (f->window ? GTK_WINDOW (f->window) : NULL,
                                                             f->store, f->session, NULL, account);

  gtk_window_present (GTK_WINDOW (editor));
  test_run_main_loop_for (50);
  return editor;
}

/* Fills the editor for an account on the simulator. */
static void
fill_editor (Fixture              *f,
             ImprintAccountEditor *editor,
             const char           *name,
             const char           *secret_id,
             const char           *secret_key)
{
  GtkWidget *root = GTK_WIDGET (editor);

  type_into (root, "Account Name", name);
  type_into (root, "SecretId", secret_id);
  type_into (root, "SecretKey", secret_key);
  type_into (root, "API 3.0 Endpoint", f->url);
}

static void
wait_for_status (ImprintAccountEditor *editor,
                 const char           *previous)
{
  for (guint i = 0; i < 4000; i++) {
    const char *status = imprint_account_editor_get_status (editor);

    if (status != NULL && *status != '\0' && g_strcmp0 (status, previous) != 0 &&
        g_strcmp0 (status, "Connecting…") != 0)
      return;
    test_run_main_loop_for (5);
  }
  g_assert_not_reached ();
}

/* Tests */

static void
test_welcome (Fixture       *f,
              gconstpointer  data)
{
  ImprintWindow *window = open_window (f);

  test_wait_for_page (window, "welcome");
  g_assert_nonnull (find_widget (GTK_WIDGET (window), GTK_TYPE_BUTTON, "_Add Account"));
  g_assert_nonnull (find_widget (GTK_WIDGET (window), GTK_TYPE_BUTTON, "_Try the Demo"));
  test_run_main_loop_for (300);
  save_screenshot (GTK_WIDGET (window), "accounts-welcome");
}

static gboolean
is_demo_banner (GtkWidget *revealer,
                gpointer   data)
{
  GtkWidget *child = gtk_revealer_get_child (GTK_REVEALER (revealer));

  return child != NULL && gtk_widget_has_css_class (child, "demo-banner");
}

/* The demo works with or without a keyring, and its keys never reach one. */
static void
test_demo (Fixture       *f,
           gconstpointer  data)
{
  ImprintWindow *window = open_window (f);
  GtkWidget *banner;

  test_wait_for_page (window, "welcome");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.demo", NULL));
  test_wait_for_page (window, "workspace");
  g_assert_true (imprint_window_is_demo (window));
  g_assert_nonnull (imprint_window_get_client (window));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 0);
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));

  /* It says so above the form, once the banner has slid in. */
  banner = test_find_widget (GTK_WIDGET (window), GTK_TYPE_REVEALER, is_demo_banner, NULL);
  g_assert_nonnull (banner);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (banner)));
  for (guint i = 0; i < 400 && !gtk_revealer_get_child_revealed (GTK_REVEALER (banner)); i++)
    test_run_main_loop_for (5);
  g_assert_true (gtk_revealer_get_child_revealed (GTK_REVEALER (banner)));
  save_screenshot (GTK_WIDGET (window), "accounts-demo");
}

static void
test_editor_validation (Fixture       *f,
                        gconstpointer  data)
{
  ImprintAccountEditor *editor = open_editor (f, NULL);
  GtkWidget *root = GTK_WIDGET (editor);

  /* It fits in the main window at its default 900×640, and scrolls inside. */
  g_assert_cmpint (gtk_widget_get_height (root), <=, 640);
  /* A new account starts empty: its name is the user's to give, then its keys. */
  g_assert_cmpstr (text_of (root, "Account Name"), ==, "");
  g_assert_cmpstr (imprint_account_editor_get_problem (editor), ==,
                   "Enter a name for the account, for example “default”.");
  type_into (root, "Account Name", "default");
  g_assert_cmpstr (imprint_account_editor_get_problem (editor), ==, "Enter the SecretId. You find it in the Tencent Cloud console under Access Management, API Keys.");
  g_assert_false (gtk_widget_activate_action (root, "editor.save", NULL) &&
                  g_list_model_get_n_items (G_LIST_MODEL (f->store)) > 0);

  type_into (root, "SecretId", "AKID with space");
  g_assert_cmpstr (imprint_account_editor_get_problem (editor), ==,
                   "The SecretId contains spaces or line breaks. Copy it again without them.");
  /* The message is right under the SecretId's own row, not under the group. */
  {
    GtkWidget *under = gtk_widget_get_next_sibling (find_widget (root, ADW_TYPE_ENTRY_ROW, "SecretId"));
    GtkWidget *label = find_widget (under, GTK_TYPE_LABEL, NULL);

    g_assert_true (gtk_widget_get_visible (under));
    g_assert_nonnull (label);
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==,
                     "The SecretId contains spaces or line breaks. Copy it again without them.");
  }
  type_into (root, "SecretId", "AKIDexample");
  g_assert_cmpstr (imprint_account_editor_get_problem (editor), ==,
                   "Enter the SecretKey. The Tencent Cloud console shows it next to the SecretId.");
  type_into (root, "SecretKey", "key\n");
  g_assert_cmpstr (imprint_account_editor_get_problem (editor), ==,
                   "The SecretKey contains spaces or line breaks. Copy it again without them.");
  type_into (root, "SecretKey", "key");
  g_assert_null (imprint_account_editor_get_problem (editor));

  type_into (root, "Account Name", "");
  g_assert_cmpstr (imprint_account_editor_get_problem (editor), ==,
                   "Enter a name for the account, for example “default”.");
  type_into (root, "Account Name", "work");

  type_into (root, "API 3.0 Endpoint", "http://cvm.tencentcloudapi.com/");
  g_assert_cmpstr (imprint_account_editor_get_problem (editor), ==,
                   "API 3.0 endpoint: The endpoint must start with https://. Plain http:// is only allowed for this computer (localhost).");
  type_into (root, "API 3.0 Endpoint", "https://cvm.intl.tencentcloudapi.com/");
  g_assert_null (imprint_account_editor_get_problem (editor));

  type_into (root, "SecretKey", "");
  test_run_main_loop_for (300);
  save_screenshot (root, "accounts-editor-invalid");
  /* Cancel in the header and Choose… for the import are shown together: each needs its own
   * Alt+letter, or the keys only move the focus between them. */
  test_assert_mnemonics_unique (root);
  gtk_window_destroy (GTK_WINDOW (editor));
}

/* Import from tccli: a profile in ~/.tccli fills the form; a broken file is named. */
static void
test_import (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *dir = g_build_filename (f->dir, "tccli", NULL);
  g_autofree char *credential = g_build_filename (dir, "ops.credential", NULL);
  g_autofree char *configure = g_build_filename (dir, "ops.configure", NULL);
  g_autofree char *broken = g_build_filename (dir, "broken.credential", NULL);
  g_autofree char *default_credential = g_build_filename (dir, "default.credential", NULL);
  g_autofree char *temporary = g_build_filename (dir, "temp.credential", NULL);
  ImprintAccountEditor *editor;
  GtkWidget *button, *list = NULL, *row;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (credential, "{\"secretId\": \"AKIDfromTCCLI0001\", "
                                      "\"secretKey\": \"tccliKEY0001\"}", -1, NULL));
  g_assert_true (g_file_set_contents (configure, "{\"_sys_param\": {\"region\": \"ap-shanghai\"}, "
                                      "\"cvm\": {\"endpoint\": \"cvm.internal.example.com\"}}", -1, NULL));
  g_assert_true (g_file_set_contents (broken, "{not json", -1, NULL));
  g_assert_true (g_file_set_contents (default_credential, "{\"secretId\": \"AKIDfromTCCLI0000\", "
                                      "\"secretKey\": \"tccliKEY0000\"}", -1, NULL));
  /* As `tccli auth login` writes it: temporary keys, valid until 2100. */
  g_assert_true (g_file_set_contents (temporary, "{\"type\": \"oauth\", \"secretId\": \"AKIDfromTCCLI0002\", "
                                      "\"secretKey\": \"tccliKEY0002\", \"token\": \"tok\", "
                                      "\"expiresAt\": 4102444800}", -1, NULL));

  editor = open_editor (f, NULL);
  imprint_account_editor_set_tccli_dir (editor, dir);
  button = find_widget (GTK_WIDGET (editor), GTK_TYPE_MENU_BUTTON, NULL);
  g_assert_nonnull (button);
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));

  for (guint i = 0; i < 2000; i++) {
    GtkWidget *popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button)));

    list = find_widget (popover, GTK_TYPE_LIST_BOX, NULL);
    if (list != NULL && gtk_widget_get_first_child (list) != NULL)
      break;
    test_run_main_loop_for (5);
  }
  /* tccli's "default" profile comes first; it does not name the account. */
  row = gtk_widget_get_first_child (list);
  g_assert_true (ADW_IS_ACTION_ROW (row));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "default");
  g_signal_emit_by_name (list, "row-activated", row);
  g_assert_cmpstr (text_of (GTK_WIDGET (editor), "Account Name"), ==, "");
  g_assert_cmpstr (text_of (GTK_WIDGET (editor), "SecretId"), ==, "AKIDfromTCCLI0000");
  row = gtk_widget_get_next_sibling (row);
  g_assert_true (ADW_IS_ACTION_ROW (row));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "ops");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "••••0001 · East China (Shanghai)");
  /* Temporary keys say so, and until when: Imprint does not renew them as tccli does. */
  {
    GtkWidget *temp_row = gtk_widget_get_next_sibling (row);
    const char *subtitle;

    g_assert_true (ADW_IS_ACTION_ROW (temp_row));
    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (temp_row)), ==, "temp");
    subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (temp_row));
    g_assert_true (g_str_has_prefix (subtitle, "••••0002 · Temporary keys, valid until "));
    g_assert_nonnull (strstr (subtitle, "2100"));
  }
  save_screenshot (GTK_WIDGET (editor), "accounts-import");

  g_signal_emit_by_name (list, "row-activated", row);
  g_assert_cmpstr (text_of (GTK_WIDGET (editor), "Account Name"), ==, "ops");
  g_assert_cmpstr (text_of (GTK_WIDGET (editor), "SecretId"), ==, "AKIDfromTCCLI0001");
  g_assert_cmpstr (text_of (GTK_WIDGET (editor), "SecretKey"), ==, "tccliKEY0001");
  g_assert_cmpstr (text_of (GTK_WIDGET (editor), "API 3.0 Endpoint"), ==, "https://cvm.internal.example.com/");
  g_assert_null (imprint_account_editor_get_problem (editor));

  /* Then the default profile, which has no endpoint: its keys go to the default one, not to
   * the endpoint the profile before brought. */
  g_signal_emit_by_name (list, "row-activated", gtk_widget_get_first_child (list));
  g_assert_cmpstr (text_of (GTK_WIDGET (editor), "SecretId"), ==, "AKIDfromTCCLI0000");
  g_assert_cmpstr (text_of (GTK_WIDGET (editor), "API 3.0 Endpoint"), ==, TC_API3_DEFAULT_ENDPOINT);

  gtk_window_destroy (GTK_WINDOW (editor));
  g_remove (credential);
  g_remove (configure);
  g_remove (broken);
  g_remove (default_credential);
  g_remove (temporary);
  g_rmdir (dir);
}

typedef struct {
  const char  *name;
  const char  *secret_id;
  const char  *secret_key;
  gint64       skew;
  gboolean     unreachable;
  const char  *expected;      /* NULL: success */
  TcErrorCode  code;
} ConnectionCase;

static void
test_connection (Fixture       *f,
                 gconstpointer  data)
{
  const ConnectionCase *c = data;
  ImprintAccountEditor *editor = open_editor (f, NULL);
  g_autofree char *expected = NULL;

  fill_editor (f, editor, "probe", c->secret_id, c->secret_key);
  sim_server_set_time_offset (f->sim, c->skew);
  if (c->unreachable) {
    g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
    g_autoptr(GSocketAddress) bound = NULL;
    g_autofree char *closed = NULL;

    g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
    bound = g_socket_get_local_address (socket, NULL);
    closed = g_strdup_printf ("http://127.0.0.1:%u/", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
    g_socket_close (socket, NULL);
    type_into (GTK_WIDGET (editor), "API 3.0 Endpoint", closed);
  }

  /* Mapped before the test starts: waiting later would run the main loop, and the answer
   * could end the test before the check below. */
  test_wait_for_frames (GTK_WIDGET (editor), 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.test", NULL));
  /* While it runs, the Test button stops it, beside the dialog's own Cancel: the two must
   * not share an Alt+letter. */
  g_assert_cmpstr (imprint_account_editor_get_status (editor), ==, "Connecting…");
  test_assert_mnemonics_unique (GTK_WIDGET (editor));
  wait_for_status (editor, "Makes one signed request with the keys as typed");

  /* A failed test leaves Save working, and the form says the test failed. */
  g_assert_true (imprint_account_editor_get_test_failed (editor) == (c->expected != NULL));
  g_assert_true (gtk_widget_is_sensitive (find_widget (GTK_WIDGET (editor), GTK_TYPE_BUTTON, "_Save")));
  if (c->expected == NULL) {
    g_assert_cmpstr (imprint_account_editor_get_status (editor), ==, "Connected. These keys work.");
  } else {
    expected = c->code == TC_ERROR_NETWORK ? g_strdup (tc_error_describe (c->code))
                                           : g_strdup_printf ("%s (%s)", tc_error_describe (c->code), c->expected);
    g_assert_cmpstr (imprint_account_editor_get_status (editor), ==, expected);
  }

  /* Whatever the answer, what was typed is still there. */
  g_assert_cmpstr (text_of (GTK_WIDGET (editor), "SecretId"), ==, c->secret_id);
  g_assert_cmpstr (text_of (GTK_WIDGET (editor), "SecretKey"), ==, c->secret_key);

  if (c->expected == NULL)
    save_screenshot (GTK_WIDGET (editor), "accounts-editor-tested");
  else
    save_screenshot (GTK_WIDGET (editor), "accounts-editor-test-failed");
  /* Changing the keys makes the warning about the old ones moot. */
  type_into (GTK_WIDGET (editor), "SecretKey", "another-key");
  g_assert_false (imprint_account_editor_get_test_failed (editor));
  gtk_window_destroy (GTK_WINDOW (editor));
}

static const ConnectionCase connection_cases[] = {
  { "success", SIM_DEFAULT_SECRET_ID, SIM_DEFAULT_SECRET_KEY, 0, FALSE, NULL, 0 },
  { "wrong-secret-key", SIM_DEFAULT_SECRET_ID, "wrong-key", 0, FALSE, "AuthFailure.SignatureFailure", TC_ERROR_AUTH_SIGNATURE },
  { "wrong-secret-id", "AKIDnobodyHere", SIM_DEFAULT_SECRET_KEY, 0, FALSE, "AuthFailure.SecretIdNotFound", TC_ERROR_AUTH_SECRET_ID },
  { "clock-skew", SIM_DEFAULT_SECRET_ID, SIM_DEFAULT_SECRET_KEY, 900, FALSE, "AuthFailure.SignatureExpire", TC_ERROR_CLOCK_SKEW },
  { "unreachable", SIM_DEFAULT_SECRET_ID, SIM_DEFAULT_SECRET_KEY, 0, TRUE, "", TC_ERROR_NETWORK },
};

/* The user changes the form while the test runs: the answer is about keys no longer in
 * it, so the editor does not show it as theirs, and asks for a new test. A result shown
 * goes too when the keys change afterwards. */
static void
test_connection_form_changed (Fixture       *f,
                              gconstpointer  data)
{
  ImprintAccountEditor *editor = open_editor (f, NULL);
  g_autofree char *status = NULL;

  fill_editor (f, editor, "probe", SIM_DEFAULT_SECRET_ID, SIM_DEFAULT_SECRET_KEY);
  test_wait_for_frames (GTK_WIDGET (editor), 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.test", NULL));
  /* Before the main loop runs again, so before any answer can come. */
  type_into (GTK_WIDGET (editor), "SecretKey", "wrong-key");
  wait_for_status (editor, "Makes one signed request with the keys as typed");
  /* A copy: the label's text goes when the status changes. */
  status = g_strdup (imprint_account_editor_get_status (editor));
  g_assert_cmpstr (status, ==, "The form changed during the test. Test again to check it.");
  g_assert_false (imprint_account_editor_get_test_failed (editor));

  /* Tested again as it is now: the wrong key fails, and changing it clears the answer. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.test", NULL));
  wait_for_status (editor, status);
  g_assert_true (imprint_account_editor_get_test_failed (editor));
  type_into (GTK_WIDGET (editor), "SecretKey", SIM_DEFAULT_SECRET_KEY);
  g_assert_cmpstr (imprint_account_editor_get_status (editor), ==,
                   "Makes one signed request with the keys as typed");
  gtk_window_destroy (GTK_WINDOW (editor));
}

static gboolean
has_action (GtkWidget *widget,
            gpointer   action)
{
  return GTK_IS_ACTIONABLE (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0;
}

/* A damaged accounts.json: the welcome page says what is wrong, and once the user has
 * repaired or moved the file, Retry reads it again without a restart. */
static void
test_damaged_file_retry (Fixture       *f,
                         gconstpointer  data)
{
  ImprintWindow *window;
  GtkWidget *retry, *add;

  g_assert_true (g_file_set_contents (f->path, "{\"version\": 1, \"accounts\": [", -1, NULL));
  window = open_window (f);
  test_wait_for_page (window, "welcome");
  retry = test_find_widget (GTK_WIDGET (window), GTK_TYPE_BUTTON, has_action, "win.reload-accounts");
  add = find_widget (GTK_WIDGET (window), GTK_TYPE_BUTTON, "_Add Account");
  g_assert_nonnull (retry);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (retry)), ==, "_Retry");
  g_assert_true (gtk_widget_get_visible (retry));
  g_assert_false (gtk_widget_is_sensitive (add));
  test_assert_mnemonics_unique (GTK_WIDGET (window));
  save_screenshot (GTK_WIDGET (window), "accounts-file-damaged");

  /* Still damaged: the same message, and Retry is still there. */
  gtk_widget_activate (retry);
  test_wait_for_page (window, "welcome");
  g_assert_true (gtk_widget_get_visible (retry));
  g_assert_false (gtk_widget_is_sensitive (add));

  /* Moved away: no accounts yet, and adding one works again. */
  g_assert_cmpint (g_remove (f->path), ==, 0);
  gtk_widget_activate (retry);
  for (guint i = 0; i < 2000 && gtk_widget_get_visible (retry); i++)
    test_run_main_loop_for (5);
  g_assert_false (gtk_widget_get_visible (retry));
  test_wait_for_page (window, "welcome");
  g_assert_true (gtk_widget_is_sensitive (add));
}

static void
collect_account_labels (GMenuModel *model,
                        GPtrArray  *labels)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++) {
    g_autofree char *action = NULL;
    g_autofree char *label = NULL;
    g_autoptr(GMenuModel) section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);

    if (section != NULL)
      collect_account_labels (section, labels);
    if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &action) &&
        g_str_equal (action, "win.switch-account") &&
        g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", &label))
      g_ptr_array_add (labels, g_steal_pointer (&label));
  }
}

/* The menu button whose menu switches accounts; it collects their labels in @labels. */
static gboolean
is_account_menu (GtkWidget *widget,
                 gpointer   labels)
{
  GMenuModel *model = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget));

  if (model != NULL)
    collect_account_labels (model, labels);
  return ((GPtrArray *) labels)->len > 0;
}

/* The labels of the account menu's accounts. */
static GPtrArray *
account_menu_labels (ImprintWindow *window)
{
  GPtrArray *labels = g_ptr_array_new_with_free_func (g_free);

  g_assert_nonnull (test_find_widget (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON, is_account_menu, labels));
  return labels;
}

static void
save_editor (ImprintAccountEditor *editor)
{
  gboolean destroyed = FALSE;

  g_signal_connect_swapped (editor, "destroy", G_CALLBACK (g_nullify_pointer), &editor);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  /* While it saves, Test is off: pressing it would cancel the save, without a word. */
  g_assert_false (gtk_widget_is_sensitive (test_find_widget (GTK_WIDGET (editor), GTK_TYPE_BUTTON,
                                                             has_action, "editor.test")));
  for (guint i = 0; i < 2000 && editor != NULL; i++)
    test_run_main_loop_for (5);
  destroyed = editor == NULL;
  g_assert_true (destroyed);
}

static void
editor_saved_cb (ImprintAccountEditor *editor,
          TcAccount            *account,
          gboolean             *saved)
{
  *saved = TRUE;
}

/* Cancel while saving: the save may already have reached the keyring, so it cannot be
 * taken back. Cancel is off until the save ends, and closing the editor waits for it: the
 * editor never closes as if cancelled while the account is being saved after all. */
static void
test_cancel_while_saving (Fixture       *f,
                          gconstpointer  data)
{
  ImprintAccountEditor *editor = open_editor (f, NULL);
  GtkWidget *cancel = find_widget (GTK_WIDGET (editor), GTK_TYPE_BUTTON, "_Cancel");
  gboolean saved = FALSE;

  g_assert_true (g_list_model_get_n_items (G_LIST_MODEL (f->store)) == 0);
  g_signal_connect (editor, "saved", G_CALLBACK (editor_saved_cb), &saved);
  g_signal_connect_swapped (editor, "destroy", G_CALLBACK (g_nullify_pointer), &editor);
  fill_editor (f, editor, "patient", SIM_DEFAULT_SECRET_ID, SIM_DEFAULT_SECRET_KEY);
  g_assert_nonnull (cancel);
  g_assert_true (gtk_widget_is_sensitive (cancel));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  g_assert_false (gtk_widget_is_sensitive (cancel));
  /* Escape, or the window manager's close: the editor stays until the save is done. */
  gtk_window_close (GTK_WINDOW (editor));
  g_assert_nonnull (editor);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (editor)));

  test_wait_until (&saved, 30);
  for (guint i = 0; i < 2000 && editor != NULL; i++)
    test_run_main_loop_for (5);
  g_assert_null (editor);
  g_assert_nonnull (tc_account_store_find_by_name (f->store, "patient"));
}

static TcAccount *
account_named (TcAccountStore *store,
               const char     *name)
{
  TcAccount *account = tc_account_store_find_by_name (store, name);

  g_assert_nonnull (account);
  return account;
}

/* Add, restart, add a second, switch, rename, remove — and the secrets stay in the keyring. */
static void
test_lifecycle (Fixture       *f,
                gconstpointer  data)
{
  ImprintWindow *window = open_window (f);
  ImprintAccountEditor *editor;
  g_autofree char *first_id = NULL;

  test_wait_for_page (window, "welcome");

  /* Add Account on the welcome page opens the editor; saving switches to the account once
   * its keys can be read back from the keyring. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-account", NULL));
  editor = find_editor ();
  fill_editor (f, editor, "default", SIM_DEFAULT_SECRET_ID, SIM_DEFAULT_SECRET_KEY);
  save_editor (editor);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 1);
  first_id = g_strdup (tc_account_get_id (account_named (f->store, "default")));
  test_wait_for_page (window, "workspace");
  g_assert_cmpstr (tc_account_get_id (imprint_window_get_account (window)), ==, first_id);
  g_assert_false (imprint_window_is_demo (window));

  /* Restart: a new store on the same file, a new window. */
  close_window (f);
  g_clear_object (&f->store);
  f->store = tc_account_store_new (f->path);
  window = open_window (f);
  test_wait_for_page (window, "workspace");
  g_assert_cmpstr (tc_account_get_name (imprint_window_get_account (window)), ==, "default");

  /* A second account, with temporary credentials. */
  sim_server_add_account (f->sim, "AKIDsecondACCOUNT", SECRET_KEY, TOKEN);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-account", NULL));
  editor = find_editor ();
  fill_editor (f, editor, "staging", "AKIDsecondACCOUNT", SECRET_KEY);
  type_into (GTK_WIDGET (editor), "Session Token (Optional)", TOKEN);
  save_editor (editor);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 2);
  test_wait_for_page (window, "workspace");
  g_assert_cmpstr (tc_account_get_name (imprint_window_get_account (window)), ==, "staging");

  /* Switching back and forth from the account menu. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.switch-account", "s", first_id));
  test_wait_for_page (window, "workspace");
  g_assert_cmpstr (tc_account_get_name (imprint_window_get_account (window)), ==, "default");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.switch-account", "s",
                                             tc_account_get_id (account_named (f->store, "staging"))));
  test_wait_for_page (window, "workspace");
  g_assert_cmpstr (tc_account_get_name (imprint_window_get_account (window)), ==, "staging");
  save_screenshot (GTK_WIDGET (window), "accounts-workspace");

  /* Rename while keeping the saved SecretKey: the keyring item follows. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.edit-account", NULL));
  editor = find_editor ();
  g_assert_cmpstr (text_of (GTK_WIDGET (editor), "SecretKey (Leave Empty to Keep)"), ==, "");
  type_into (GTK_WIDGET (editor), "Account Name", "prod_cn");
  g_assert_null (imprint_account_editor_get_problem (editor));
  save_editor (editor);
  g_assert_null (tc_account_store_find_by_name (f->store, "staging"));
  test_wait_for_page (window, "workspace");
  g_assert_cmpstr (tc_account_get_name (imprint_window_get_account (window)), ==, "prod_cn");
  /* The account menu shows the name as it is: the underscore is not taken for an
   * Alt+letter's mark. */
  {
    g_autoptr(GPtrArray) labels = account_menu_labels (window);

    g_assert_true (g_ptr_array_find_with_equal_func (labels, "prod__cn", g_str_equal, NULL));
  }

  /* Remove it, confirming in the dialog. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.remove-account", NULL));
  test_run_main_loop_for (100);
  {
    GListModel *toplevels = gtk_window_get_toplevels ();  /* owned by GTK */
    AdwMessageDialog *dialog = NULL;

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++) {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w))
        dialog = ADW_MESSAGE_DIALOG (w);
    }
    g_assert_nonnull (dialog);
    g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Remove “prod_cn”?");
    adw_message_dialog_response (dialog, "remove");
  }
  for (guint i = 0; i < 2000 && g_list_model_get_n_items (G_LIST_MODEL (f->store)) != 1; i++)
    test_run_main_loop_for (5);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 1);
  test_wait_for_page (window, "workspace");
  g_assert_cmpstr (tc_account_get_name (imprint_window_get_account (window)), ==, "default");
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return FALSE;
  return memmem (contents, len, needle, strlen (needle)) != NULL;
}

static void
scan_dir (const char *dir,
          GPtrArray  *leaks)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL) {
    g_autofree char *path = g_build_filename (dir, name, NULL);

    if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
      continue;
    if (g_file_test (path, G_FILE_TEST_IS_DIR)) {
      scan_dir (path, leaks);
    } else if (file_contains (path, SECRET_KEY) || file_contains (path, TOKEN)) {
      g_ptr_array_add (leaks, g_steal_pointer (&path));
    }
  }
}

/* After the whole flow, the SecretKey and token are nowhere on disk but inside the
 * keyring's own encrypted file (where they are not in plain text either), and nowhere in
 * GSettings. */
static void
mark_finalized (gpointer data)
{
  *(gboolean *) data = TRUE;
}

/* The window goes while the editor tests the keys: the editor goes with it, and when the
 * answer comes and the editor is freed at last, it does not touch the window that is
 * gone (GLib would warn of an invalid instance, a use after free). */
static void
test_window_closed_while_testing (Fixture       *f,
                                  gconstpointer  data)
{
  ImprintAccountEditor *editor;
  gboolean finalized = FALSE;

  open_window (f);
  editor = open_editor (f, NULL);
  fill_editor (f, editor, "probe", SIM_DEFAULT_SECRET_ID, SIM_DEFAULT_SECRET_KEY);
  sim_server_set_latency (f->sim, 500);
  test_wait_for_frames (GTK_WIDGET (editor), 1);
  g_object_set_data_full (G_OBJECT (editor), "test-finalized", &finalized, mark_finalized);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.test", NULL));
  g_assert_cmpstr (imprint_account_editor_get_status (editor), ==, "Connecting…");

  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
  test_wait_until (&finalized, 30);
}

static void
test_no_secret_on_disk (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) leaks = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;
  const char *dirs[] = { g_get_home_dir (), g_get_user_config_dir (), g_get_user_data_dir (),
                         g_get_user_cache_dir (), g_get_user_runtime_dir (), f->dir };

  test_lifecycle (f, data);

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    scan_dir (dirs[i], leaks);
  for (guint i = 0; i < leaks->len; i++)
    g_test_message ("secret found in %s", (char *) leaks->pdata[i]);
  g_assert_cmpuint (leaks->len, ==, 0);

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++) {
    g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
    g_autofree char *printed = g_variant_print (value, FALSE);

    g_assert_null (strstr (printed, SECRET_KEY));
    g_assert_null (strstr (printed, TOKEN));
  }
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (tc_account_store_save_finish (TC_ACCOUNT_STORE (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

/* Saves an account with @region as its Default Region; returns its id. */
static char *
save_account (Fixture    *f,
              const char *name,
              const char *region)
{
  g_autoptr(TcCredentials) credentials = tc_credentials_new (SIM_DEFAULT_SECRET_ID, SIM_DEFAULT_SECRET_KEY, NULL);
  g_autoptr(TcAccount) account = tc_account_new (name, SIM_DEFAULT_SECRET_ID);
  gboolean done = FALSE;

  tc_account_set_region (account, region);
  tc_account_set_endpoint (account, f->url);
  tc_account_store_save_async (f->store, account, credentials, NULL, saved_cb, &done);
  test_wait_until (&done, 10);
  return g_strdup (tc_account_get_id (account));
}

static const char *
form_region (ImprintWindow *window)
{
  test_wait_for_page (window, "workspace");
  return imprint_create_page_get_region (imprint_window_get_create_page (window));
}

static void
switch_to (ImprintWindow *window,
           const char    *id)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.switch-account", "s", id));
}

#define LONG_ACCOUNT_NAME "Production Shanghai ops team"

static gboolean
shows_whole_name (GtkWidget *widget,
                  gpointer   name)
{
  return g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), name) == 0 &&
         gtk_widget_get_mapped (widget) &&
         !pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (widget)));
}

/* The window of a long-named account, @width wide: its name is on screen whole, in the
 * header where it fits there, else in the form. */
static void
assert_account_named (Fixture    *f,
                      int         width,
                      gboolean    in_header,
                      const char *screenshot)
{
  GtkWidget *label;

  f->window = imprint_window_new (NULL, f->store, f->session);
  gtk_window_set_default_size (GTK_WINDOW (f->window), width, 640);
  gtk_window_present (GTK_WINDOW (f->window));
  test_wait_for_page (f->window, "workspace");
  g_assert_cmpstr (tc_account_get_name (imprint_window_get_account (f->window)), ==, LONG_ACCOUNT_NAME);
  test_run_main_loop_for (300);
  test_wait_for_frames (GTK_WIDGET (f->window), 3);
  save_screenshot (GTK_WIDGET (f->window), screenshot);
  label = test_find_widget (GTK_WIDGET (f->window), GTK_TYPE_LABEL, shows_whole_name,
                            (gpointer) LONG_ACCOUNT_NAME);
  g_assert_nonnull (label);
  g_assert_true ((gtk_widget_get_ancestor (label, GTK_TYPE_MENU_BUTTON) != NULL) == in_header);
  close_window (f);
}

/* Images are made in the account in use: its name is never cut to "Production Shan…",
 * and a window too narrow for it in the header still names it (issue: looks, F2). */
static void
test_long_name (Fixture       *f,
                gconstpointer  data)
{
  ImprintAccountEditor *editor;

  open_window (f);
  test_wait_for_page (f->window, "welcome");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.add-account", NULL));
  editor = find_editor ();
  fill_editor (f, editor, LONG_ACCOUNT_NAME, SIM_DEFAULT_SECRET_ID, SIM_DEFAULT_SECRET_KEY);
  save_editor (editor);
  test_wait_for_page (f->window, "workspace");
  close_window (f);

  assert_account_named (f, 1280, TRUE, "accounts-long-name-1280");
  assert_account_named (f, 900, FALSE, "accounts-long-name-900");
  assert_account_named (f, 360, FALSE, "accounts-long-name-360");
}

/* Each account opens in the region last used with it, or in its own Default Region; the
 * region used with another account does not carry over (issue 13, finding 9). */
static void
test_region_per_account (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *singapore = NULL;
  g_autofree char *shanghai = NULL;
  ImprintWindow *window;

  g_settings_reset (settings, "account-regions");
  singapore = save_account (f, "Singapore", "ap-singapore");
  shanghai = save_account (f, "Shanghai", "ap-shanghai");
  g_settings_set_string (settings, "current-account", singapore);

  window = open_window (f);
  g_assert_cmpstr (form_region (window), ==, "ap-singapore");
  imprint_create_page_set_region (imprint_window_get_create_page (window), "ap-guangzhou");

  /* Guangzhou was the last region used, but not with this account. */
  switch_to (window, shanghai);
  g_assert_cmpstr (form_region (window), ==, "ap-shanghai");

  switch_to (window, singapore);
  g_assert_cmpstr (form_region (window), ==, "ap-guangzhou");

  /* A new Default Region is meant: the account opens there from now on. */
  {
    g_autoptr(TcAccount) changed = tc_account_copy (tc_account_store_find_by_id (f->store, singapore));
    g_autoptr(TcCredentials) credentials = NULL;
    gboolean done = FALSE;

    tc_account_set_region (changed, "ap-hongkong");
    tc_account_store_save_async (f->store, changed, credentials, NULL, saved_cb, &done);
    test_wait_until (&done, 10);
  }
  switch_to (window, shanghai);
  g_assert_cmpstr (form_region (window), ==, "ap-shanghai");
  switch_to (window, singapore);
  g_assert_cmpstr (form_region (window), ==, "ap-hongkong");

  /* And after a restart. */
  imprint_create_page_set_region (imprint_window_get_create_page (window), "ap-tokyo");
  close_window (f);
  window = open_window (f);
  g_assert_cmpstr (form_region (window), ==, "ap-tokyo");
}

/* Without any Secret Service: the app says so, keeps what was typed, writes nothing to
 * disk as a fallback, and the demo still works. */
static void
test_no_keyring (Fixture       *f,
                 gconstpointer  data)
{
  ImprintWindow *window = open_window (f);
  ImprintAccountEditor *editor;

  test_wait_for_page (window, "welcome");
  editor = open_editor (f, NULL);
  fill_editor (f, editor, "default", SIM_DEFAULT_SECRET_ID, SECRET_KEY);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  wait_for_status (editor, "Makes one signed request with the keys as typed");

  g_test_message ("status: %s", imprint_account_editor_get_status (editor));
  g_assert_nonnull (strstr (imprint_account_editor_get_status (editor), "No keyring is running"));
  g_assert_cmpstr (text_of (GTK_WIDGET (editor), "SecretKey"), ==, SECRET_KEY);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 0);
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  save_screenshot (GTK_WIDGET (editor), "accounts-no-keyring");
  gtk_window_destroy (GTK_WINDOW (editor));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.demo", NULL));
  test_wait_for_page (window, "workspace");
  g_assert_true (imprint_window_is_demo (window));
}

static gboolean
is_choose_button (GtkWidget *button,
                  gpointer   data)
{
  return g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)),
                    "create-page.choose-instance") == 0;
}

/* An account in accounts.json whose secret cannot be read: the form is there before the
 * keyring answers, with Choose… off until it has; then the window says why, and Try Again
 * brings back the same form, with what the user had typed. */
static void
test_keyring_fails (Fixture       *f,
                    gconstpointer  data)
{
  ImprintWindow *window;
  ImprintCreatePage *page;
  GtkWidget *choose, *images;
  g_autofree char *file = g_strdup_printf ("{\"version\": 1, \"accounts\": [{\"id\": \"a1\", "
                                           "\"name\": \"Production\", \"secret_id\": \"%s\", "
                                           "\"region\": \"ap-shanghai\", \"protocol\": \"api3\", "
                                           "\"endpoint\": \"%s\"}]}",
                                           SIM_DEFAULT_SECRET_ID, f->url);

  g_assert_true (g_file_set_contents (f->path, file, -1, NULL));
  window = open_window (f);
  for (guint i = 0; i < 2000 && imprint_window_get_create_page (window) == NULL; i++)
    test_run_main_loop_for (1);
  page = imprint_window_get_create_page (window);
  g_assert_nonnull (page);
  g_assert_null (imprint_window_get_client (window));
  g_assert_null (imprint_create_page_get_client (page));
  g_assert_cmpstr (imprint_create_page_get_region (page), ==, "ap-shanghai");
  choose = test_find_widget (GTK_WIDGET (page), GTK_TYPE_BUTTON, is_choose_button, NULL);
  g_assert_nonnull (choose);
  g_assert_false (gtk_widget_is_sensitive (choose));
  imprint_create_page_set_image_name (page, "typed-before-the-keyring");
  /* The Images view does not say the region has none: it does not know yet. */
  images = test_find_widget (GTK_WIDGET (window), IMPRINT_TYPE_IMAGES_PAGE, NULL, NULL);
  g_assert_cmpstr (imprint_images_page_get_view (IMPRINT_IMAGES_PAGE (images)), ==, "loading");

  test_wait_for_page (window, "problem");
  save_screenshot (GTK_WIDGET (window), "accounts-keyring-failed");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.retry-account", NULL));
  g_assert_cmpstr (imprint_window_get_page (window), ==, "workspace");
  g_assert_true (imprint_window_get_create_page (window) == page);
  g_assert_cmpstr (imprint_create_page_get_image_name (page), ==, "typed-before-the-keyring");
  test_wait_for_page (window, "problem");
}

/* Another build of Imprint (a second store on the same file) */

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tc_account_store_load_finish (TC_ACCOUNT_STORE (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static TcAccountStore *
other_build (Fixture *f)
{
  TcAccountStore *other = tc_account_store_new (f->path);
  gboolean done = FALSE;

  tc_account_store_load_async (other, NULL, loaded_cb, &done);
  test_wait_until (&done, 10);
  return other;
}

/* Saves @account in @store, with the simulator's secret when @with_secret. */
static void
save_in (TcAccountStore *store,
         TcAccount      *account,
         gboolean        with_secret)
{
  g_autoptr(TcCredentials) credentials = NULL;
  gboolean done = FALSE;

  if (with_secret)
    credentials = tc_credentials_new (SIM_DEFAULT_SECRET_ID, SIM_DEFAULT_SECRET_KEY, NULL);
  tc_account_store_save_async (store, account, credentials, NULL, saved_cb, &done);
  test_wait_until (&done, 10);
}

typedef struct {
  TcAccountStore *store;
  guint           n;
} StoreCount;

static gboolean
store_has (gpointer data)
{
  StoreCount *count = data;

  return g_list_model_get_n_items (G_LIST_MODEL (count->store)) == count->n;
}

static gboolean
is_account_squeezer (GtkWidget *widget,
                     gpointer   data)
{
  return gtk_widget_get_first_child (widget) != NULL &&
         test_find_widget (widget, GTK_TYPE_MENU_BUTTON, NULL, NULL) != NULL;
}

/* No accounts yet, and the other build adds one: the window opens it, with its menu in the
 * header, instead of offering to add an account that is already there. */
static void
test_other_build_adds (Fixture       *f,
                       gconstpointer  data)
{
  ImprintWindow *window = open_window (f);
  g_autoptr(TcAccountStore) other = NULL;
  g_autoptr(TcAccount) account = tc_account_new ("From Dev", SIM_DEFAULT_SECRET_ID);
  GtkWidget *squeezer;

  test_wait_for_page (window, "welcome");
  other = other_build (f);
  tc_account_set_endpoint (account, f->url);
  save_in (other, account, TRUE);

  test_wait_for_page (window, "workspace");
  g_assert_cmpstr (tc_account_get_name (imprint_window_get_account (window)), ==, "From Dev");
  squeezer = test_find_widget (GTK_WIDGET (window), ADW_TYPE_SQUEEZER, is_account_squeezer, NULL);
  g_assert_nonnull (squeezer);
  g_assert_true (gtk_widget_get_visible (squeezer));
}

/* Two windows show a damaged file; once it is repaired, Retry in one of them opens the
 * account in both, and neither still says the file is damaged. */
static void
test_retry_in_other_window (Fixture       *f,
                            gconstpointer  data)
{
  ImprintWindow *first, *second;
  g_autoptr(TcAccountStore) other = NULL;
  g_autoptr(TcAccount) account = tc_account_new ("Repaired", SIM_DEFAULT_SECRET_ID);
  GtkWidget *retry, *add;

  g_assert_true (g_file_set_contents (f->path, "{\"version\": 1, \"accounts\": [", -1, NULL));
  first = open_window (f);
  second = imprint_window_new (NULL, f->store, f->session);
  gtk_window_present (GTK_WINDOW (second));
  test_wait_for_page (first, "welcome");
  test_wait_for_page (second, "welcome");

  /* Repaired: the other build writes it anew. */
  g_assert_cmpint (g_remove (f->path), ==, 0);
  other = other_build (f);
  tc_account_set_endpoint (account, f->url);
  save_in (other, account, TRUE);

  retry = test_find_widget (GTK_WIDGET (first), GTK_TYPE_BUTTON, has_action, "win.reload-accounts");
  gtk_widget_activate (retry);
  test_wait_for_page (first, "workspace");
  test_wait_for_page (second, "workspace");
  g_assert_cmpstr (tc_account_get_name (imprint_window_get_account (second)), ==, "Repaired");
  test_assert_mnemonics_unique (GTK_WIDGET (second));
  retry = test_find_widget (GTK_WIDGET (second), GTK_TYPE_BUTTON, has_action, "win.reload-accounts");
  add = find_widget (GTK_WIDGET (second), GTK_TYPE_BUTTON, "_Add Account");
  g_assert_false (gtk_widget_get_visible (retry));
  g_assert_true (gtk_widget_is_sensitive (add));
  gtk_window_destroy (GTK_WINDOW (second));
}

/* The file is renamed away for a moment (an editor's backup, a sync tool) and comes back:
 * the window keeps the account and what was typed in the form. */
static void
test_file_briefly_away (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *id = save_account (f, "Main", "ap-guangzhou");
  g_autofree char *moved = g_strconcat (f->path, "~", NULL);
  g_autoptr(TcAccountStore) other = NULL;
  g_autoptr(TcAccount) second = tc_account_new ("Second", SIM_DEFAULT_SECRET_ID);
  StoreCount two = { f->store, 2 };
  ImprintWindow *window = open_window (f);
  ImprintCreatePage *page;

  test_wait_for_page (window, "workspace");
  page = imprint_window_get_create_page (window);
  imprint_create_page_set_image_name (page, "typed-before");
  imprint_create_page_set_description (page, "Typed before the file went away");

  g_assert_cmpint (g_rename (f->path, moved), ==, 0);
  test_run_main_loop_for (500);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 1);
  g_assert_cmpstr (imprint_window_get_page (window), ==, "workspace");
  g_assert_cmpint (g_rename (moved, f->path), ==, 0);

  /* A change after the file came back: once the window has it, it has seen all before. */
  other = other_build (f);
  tc_account_set_endpoint (second, f->url);
  save_in (other, second, TRUE);
  test_wait_for (store_has, &two);

  g_assert_cmpstr (imprint_window_get_page (window), ==, "workspace");
  g_assert_cmpstr (tc_account_get_id (imprint_window_get_account (window)), ==, id);
  page = imprint_window_get_create_page (window);
  g_assert_cmpstr (imprint_create_page_get_image_name (page), ==, "typed-before");
  g_assert_cmpstr (imprint_create_page_get_description (page), ==, "Typed before the file went away");
}

typedef struct {
  ImprintWindow *window;
  char          *endpoint;
} ClientAt;

static gboolean
client_at (gpointer data)
{
  ClientAt *at = data;
  TcClient *client = imprint_window_get_client (at->window);

  return client != NULL && g_strcmp0 (tc_client_get_endpoint (client), at->endpoint) == 0;
}

/* The other build points the account in use at another endpoint: the window's requests go
 * there from now on, and the form keeps what was typed (the region is the same). */
static void
test_other_build_changes_account (Fixture       *f,
                                  gconstpointer  data)
{
  g_autofree char *id = save_account (f, "Main", "ap-guangzhou");
  g_autoptr(SimServer) sim = sim_server_new (5, 20);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autoptr(TcAccountStore) other = NULL;
  g_autoptr(TcAccount) changed = NULL;
  ImprintWindow *window = open_window (f);
  ImprintCreatePage *page;
  ClientAt at = { window, NULL };

  g_assert_true (sim_server_listen (sim, 0, &error));
  url = sim_server_get_url (sim);
  /* As the client spells it. */
  at.endpoint = g_str_has_suffix (url, "/") ? g_strdup (url) : g_strconcat (url, "/", NULL);

  test_wait_for_page (window, "workspace");
  page = imprint_window_get_create_page (window);
  imprint_create_page_set_image_name (page, "typed-before");

  other = other_build (f);
  changed = tc_account_copy (tc_account_store_find_by_id (other, id));
  tc_account_set_endpoint (changed, url);
  save_in (other, changed, TRUE);

  test_wait_for (client_at, &at);
  g_assert_cmpstr (imprint_window_get_page (window), ==, "workspace");
  g_assert_true (imprint_window_get_create_page (window) == page);
  g_assert_true (imprint_create_page_get_client (page) == imprint_window_get_client (window));
  g_assert_cmpstr (imprint_create_page_get_image_name (page), ==, "typed-before");

  close_window (f);
  sim_server_disconnect (sim);
  g_free (at.endpoint);
}

/* Retry, then the demo at once, and back: the file is still damaged, and Retry is still
 * there to try again. */
static void
test_retry_then_demo (Fixture       *f,
                      gconstpointer  data)
{
  ImprintWindow *window;
  GtkWidget *retry;

  g_assert_true (g_file_set_contents (f->path, "{\"version\": 1, \"accounts\": [", -1, NULL));
  window = open_window (f);
  test_wait_for_page (window, "welcome");
  retry = test_find_widget (GTK_WIDGET (window), GTK_TYPE_BUTTON, has_action, "win.reload-accounts");
  /* The action at once: a button's activation clicks it only after a moment. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reload-accounts", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.demo", NULL));
  test_wait_for_page (window, "workspace");
  g_assert_true (imprint_window_is_demo (window));
  test_run_main_loop_for (300);
  g_assert_true (imprint_window_is_demo (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.leave-demo", NULL));
  test_wait_for_page (window, "welcome");
  for (guint i = 0; i < 2000 && !gtk_widget_is_sensitive (retry); i++)
    test_run_main_loop_for (5);
  g_assert_true (gtk_widget_get_visible (retry));
  g_assert_true (gtk_widget_is_sensitive (retry));
}

int
main (int   argc,
      char *argv[])
{
  for (int i = 1; i < argc; i++) {
    if (g_str_equal (argv[i], "--no-keyring")) {
      no_keyring = TRUE;
      memmove (&argv[i], &argv[i + 1], (argc - i) * sizeof (char *));
      argc--;
    }
  }

  gtk_test_init (&argc, &argv, NULL);

  test_ui_tolerate_toolkit_warnings ();
  adw_init ();
  test_ui_load_app_style ();
  /* What GtkApplication does for its resource base path; the windows here have none. */
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    "/io/github/imprint/Imprint/icons");

  if (no_keyring) {
    g_test_add ("/imprint/accounts-ui/no-keyring", Fixture, NULL, setup, test_no_keyring, teardown);
    g_test_add ("/imprint/accounts-ui/keyring-fails", Fixture, NULL, setup, test_keyring_fails, teardown);
    return g_test_run ();
  }

  g_test_add ("/imprint/accounts-ui/welcome", Fixture, NULL, setup, test_welcome, teardown);
  g_test_add ("/imprint/accounts-ui/demo", Fixture, NULL, setup, test_demo, teardown);
  g_test_add ("/imprint/accounts-ui/damaged-file-retry", Fixture, NULL, setup,
              test_damaged_file_retry, teardown);
  g_test_add ("/imprint/accounts-ui/editor-validation", Fixture, NULL, setup, test_editor_validation, teardown);
  g_test_add ("/imprint/accounts-ui/import", Fixture, NULL, setup, test_import, teardown);
  for (guint i = 0; i < G_N_ELEMENTS (connection_cases); i++) {
    g_autofree char *path = g_strdup_printf ("/imprint/accounts-ui/test-connection/%s", connection_cases[i].name);

    g_test_add (path, Fixture, &connection_cases[i], setup, test_connection, teardown);
  }
  g_test_add ("/imprint/accounts-ui/test-connection/form-changed", Fixture, NULL, setup,
              test_connection_form_changed, teardown);
  g_test_add ("/imprint/accounts-ui/cancel-while-saving", Fixture, NULL, setup,
              test_cancel_while_saving, teardown);
  g_test_add ("/imprint/accounts-ui/lifecycle", Fixture, NULL, setup, test_lifecycle, teardown);
  g_test_add ("/imprint/accounts-ui/region-per-account", Fixture, NULL, setup, test_region_per_account, teardown);
  g_test_add ("/imprint/accounts-ui/no-secret-on-disk", Fixture, NULL, setup, test_no_secret_on_disk, teardown);
  g_test_add ("/imprint/accounts-ui/window-closed-while-testing", Fixture, NULL, setup,
              test_window_closed_while_testing, teardown);
  g_test_add ("/imprint/accounts-ui/long-name", Fixture, NULL, setup, test_long_name, teardown);
  g_test_add ("/imprint/accounts-ui/other-build/adds", Fixture, NULL, setup, test_other_build_adds, teardown);
  g_test_add ("/imprint/accounts-ui/other-build/retry-in-other-window", Fixture, NULL, setup,
              test_retry_in_other_window, teardown);
  g_test_add ("/imprint/accounts-ui/other-build/file-briefly-away", Fixture, NULL, setup,
              test_file_briefly_away, teardown);
  g_test_add ("/imprint/accounts-ui/other-build/changes-account", Fixture, NULL, setup,
              test_other_build_changes_account, teardown);
  g_test_add ("/imprint/accounts-ui/retry-then-demo", Fixture, NULL, setup, test_retry_then_demo, teardown);

  return g_test_run ();
}
