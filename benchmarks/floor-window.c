/* floor-window.c: the smallest libadwaita window, the floor Imprint's start-up is held to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A header bar and a few rows, nothing else: what any libadwaita application pays to show
 * its first window on this machine. Built with DEVEL_STRIPES (meson does so for the
 * development profile) it wears libadwaita's "devel" style as that build of Imprint does:
 * its striped header bar is an SVG, and librsvg is loaded to draw it before the first
 * frame (about 6 ms of the main thread here), which a release build and its floor both do
 * without.
 */
#include <adwaita.h>

static void
activate_cb (GtkApplication *app)
{
  GtkWidget *window = adw_application_window_new (app);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *page = adw_preferences_page_new ();

  for (int i = 0; i < 3; i++) {
    GtkWidget *row = adw_action_row_new ();

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), "Row");
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  }
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), page);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_title (GTK_WINDOW (window), "Floor");
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 640);
#ifdef DEVEL_STRIPES
  gtk_widget_add_css_class (window, "devel");
#endif
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = adw_application_new ("io.github.imprint.Floor", G_APPLICATION_NON_UNIQUE);

  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
