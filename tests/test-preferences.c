/* test-preferences.c: each preference takes effect where it is used, at once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "imprint-application.h"
#include "imprint-preferences.h"
#include "tc-image-tracker.h"
#include "tc-history.h"
#include "test-ui-util.h"
#include "test-util.h"

static GtkWidget *
find_by_type (GtkWidget *root,
              GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child)) {
    GtkWidget *found;

    if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
      return child;
    if ((found = find_by_type (child, type)) != NULL)
      return found;
  }
  return NULL;
}

static ImprintPreferences *
find_preferences (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* owned by GTK */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++) {
    g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

    if (IMPRINT_IS_PREFERENCES (window))
      return IMPRINT_PREFERENCES (window);
  }
  return NULL;
}

static gboolean
check_cb (gpointer user_data)
{
  ImprintApplication *app = user_data;
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  TcHistory *history = imprint_application_get_history (app);
  ImprintPreferences *prefs;
  GtkWidget *toggle, *combo;
  g_autofree char *path = NULL;

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "preferences"));
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  test_run_main_loop_for (200);
  prefs = find_preferences ();
  g_assert_nonnull (prefs);

  /* Only what a person chooses: no polling knob, no second place for an account's protocol. */
  g_assert_null (find_by_type (GTK_WIDGET (prefs), GTK_TYPE_SPIN_BUTTON));

  /* Notifications can be turned off. */
  toggle = find_by_type (GTK_WIDGET (prefs), GTK_TYPE_SWITCH);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (toggle)));
  gtk_switch_set_active (GTK_SWITCH (toggle), FALSE);
  g_assert_false (g_settings_get_boolean (settings, "notifications"));

  /* History retention is the one choice, and reaches the history store. */
  combo = find_by_type (GTK_WIDGET (prefs), ADW_TYPE_COMBO_ROW);
  adw_combo_row_set_selected (ADW_COMBO_ROW (combo), 2);
  g_assert_cmpuint (g_settings_get_uint (settings, "history-retention-days"), ==, 30);
  g_assert_cmpuint (tc_history_get_retention_days (history), ==, 30);

  test_wait_for_frames (GTK_WIDGET (prefs), 2);
  path = test_save_screenshot (GTK_WIDGET (prefs), "preferences");
  g_test_message ("screenshot: %s", path);
  test_assert_mnemonics_unique (GTK_WIDGET (prefs));

  g_application_quit (G_APPLICATION (app));
  return G_SOURCE_REMOVE;
}

static void
activate_cb (GApplication *app)
{
  g_timeout_add (300, check_cb, app);
}

static void
test_preferences (void)
{
  g_autoptr(ImprintApplication) app = imprint_application_new (APPLICATION_ID);
  char *argv[] = { (char *) "imprint", NULL };

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (activate_cb), NULL);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 1, argv), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  test_ui_tolerate_toolkit_warnings ();

  g_test_add_func ("/imprint/preferences/take-effect", test_preferences);

  return g_test_run ();
}
