/* test-ui-util.h: helpers for the tests that show real windows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Kept apart from test-util.h so the core tests stay free of GTK.
 */
#pragma once

#include <gtk/gtk.h>

#include "imprint-create-page.h"
#include "imprint-window.h"

G_BEGIN_DECLS

/* Lets the widget lay out and paint: iterates the main context until @widget is mapped and
 * its frame clock has ticked @n_frames more times. */
void        test_wait_for_frames     (GtkWidget  *widget,
                                      guint       n_frames);

/* Renders @widget as it is now and saves it as NAME.png in the test's build directory
 * (G_TEST_BUILT), so a person can look at the state the test reached. Returns the path. */
char       *test_save_screenshot     (GtkWidget  *widget,
                                      const char *name);

/* The first descendant of @root (or @root itself) of @type for which @match (if given)
 * returns TRUE. */
GtkWidget  *test_find_widget         (GtkWidget  *root,
                                      GType       type,
                                      gboolean  (*match) (GtkWidget *widget,
                                                          gpointer   data),
                                      gpointer    data);

/* A match for test_find_widget() among GtkButtons: the one whose label (mnemonic included,
 * as in "C_opy") is @label. */
gboolean    test_button_labelled     (GtkWidget  *widget,
                                      gpointer    label);

/* Activates the shortcut @widget has for @keyval and @modifiers, as pressing the keys would,
 * and returns whether there was one. Looks at every GtkShortcutController on @widget,
 * including the one that holds the class's key bindings. */
gboolean    test_activate_shortcut   (GtkWidget       *widget,
                                      guint            keyval,
                                      GdkModifierType  modifiers);

/* Iterates until @window shows @page ("welcome", "workspace", …), failing the test after
 * about 10 s. */
void        test_wait_for_page       (ImprintWindow *window,
                                      const char    *page);

/* Iterates until @page has nothing in flight, then a little longer for what it shows to
 * settle; fails the test after 30 s (stretched as test_timeout_seconds() does). */
void        test_wait_page_idle      (ImprintCreatePage *page);

/* The first toplevel window of @type (a dialog the page opened), or NULL. */
gpointer    test_find_toplevel       (GType       type);
/* Makes the one warning GTK 4.8 itself emits under a window-manager-less Xvfb ("GtkText -
 * did not receive a focus-out event") non-fatal, as valgrind.supp does for the toolkit's own
 * leaks; every other warning stays fatal. Call after gtk_test_init(). */
void        test_ui_tolerate_toolkit_warnings (void);
/* What AdwApplication does for the app: its own style sheet (style.css, from the app's
 * resources), without which banners, badges and sizes at 360 px are not the app's. */
void        test_ui_load_app_style   (void);

/* Fails the test when two labels shown in @root (a mapped window, dialog or popover) have
 * the same mnemonic: Alt and that letter then only moves the focus between the two, and
 * neither is activated. */
void        test_assert_mnemonics_unique (GtkWidget *root);

G_END_DECLS
