/* imprint-a11y.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Accessible names that are what a sighted user reads, where GTK 4.8 and libadwaita 1.2
 * get them wrong (tests/journey audits every window for it):
 *
 * - a button with a mnemonic ("_Save") gets the accessible label "_Save", underscore and
 *   all, on top of the name its label already gives it ("_Save Save"), again each time
 *   the label changes;
 * - an icon-only button gets no name at all (screen readers say "GtkMenuButton"); that
 *   includes toolkit buttons with no tooltip either (a toast's close button, the search
 *   button of the Keyboard Shortcuts window);
 * - an expander row and the rows of list and column views have no name (GTK 4.12 adds
 *   gtk_list_item_set_accessible_label(); the row widget is a GtkAccessible on 4.8 too).
 *
 * Newer GTK fixes the first; doing this there is harmless.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "imprint-a11y.h"

/* What an icon-only button without a tooltip does, by its icon: the toolkit's own such
 * buttons (the close button of libadwaita 1.2's toasts, the search button of GTK 4.8's
 * Keyboard Shortcuts window). */
static const char *
icon_meaning (GtkWidget *child)
{
  const char *icon;

  if (!GTK_IS_IMAGE (child))
    return NULL;
  icon = gtk_image_get_icon_name (GTK_IMAGE (child));
  if (g_strcmp0 (icon, "window-close-symbolic") == 0)
    return _("Dismiss");
  if (g_strcmp0 (icon, "edit-find-symbolic") == 0)
    return _("Search");
  return NULL;
}

/**
 * imprint_a11y_name_button:
 * @widget: a button, menu button or expander row; any other widget is left alone
 *
 * Names @widget after what it shows. Call it again after changing its label.
 */
void
imprint_a11y_name_button (GtkWidget *widget)
{
  const char *label = NULL;
  gboolean underline = FALSE;

  if (ADW_IS_EXPANDER_ROW (widget)) {
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), -1);
    return;
  }

  if (GTK_IS_MENU_BUTTON (widget)) {
    /* One that shows a label of its own (the account menu) is named by whoever sets it. */
    if (gtk_menu_button_get_child (GTK_MENU_BUTTON (widget)) != NULL)
      return;
    label = gtk_menu_button_get_label (GTK_MENU_BUTTON (widget));
    underline = gtk_menu_button_get_use_underline (GTK_MENU_BUTTON (widget));
  } else if (GTK_IS_BUTTON (widget)) {
    label = gtk_button_get_label (GTK_BUTTON (widget));
    underline = gtk_button_get_use_underline (GTK_BUTTON (widget));
  } else {
    return;
  }

  if (label != NULL && underline) {
    /* The mnemonic label already names the button (it is "labelled by" it); the raw
     * "_Save" set as the label property on top would be read first, underscore and all. */
    gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL);
  } else if (label == NULL && gtk_widget_get_tooltip_text (widget) != NULL) {
    /* An icon (or custom child) with a tooltip: the tooltip is what a sighted user reads. */
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    gtk_widget_get_tooltip_text (widget), -1);
  } else if (label == NULL && GTK_IS_BUTTON (widget)) {
    GtkWidget *child = gtk_button_get_child (GTK_BUTTON (widget));
    const char *meaning = icon_meaning (child);

    if (meaning != NULL) {
      /* A sighted user gets the tooltip; a screen reader, the same words. */
      imprint_set_tooltip (widget, meaning);
      gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      meaning, -1);
    } else if (GTK_IS_LABEL (child)) {
      /* A label put in by hand (the version on libadwaita 1.2's About window). */
      gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      gtk_label_get_text (GTK_LABEL (child)), -1);
    }
  }
}

/**
 * imprint_a11y_name_buttons:
 * @root: a widget whose descendants (and itself) are named
 */
void
imprint_a11y_name_buttons (GtkWidget *root)
{
  imprint_a11y_name_button (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    imprint_a11y_name_buttons (child);
}

/**
 * imprint_a11y_name_row:
 * @child: the widget a list item factory put in a list or column view row
 * @label: what the row shows as its title
 *
 * Names the row @child is in, so a screen reader moving through the list reads the title
 * rather than nothing.
 */
void
imprint_a11y_name_row (GtkWidget  *child,
                       const char *label)
{
  for (GtkWidget *w = gtk_widget_get_parent (child); w != NULL; w = gtk_widget_get_parent (w)) {
    GtkAccessibleRole role = gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (w));

    if (role == GTK_ACCESSIBLE_ROLE_ROW || role == GTK_ACCESSIBLE_ROLE_LIST_ITEM) {
      gtk_accessible_update_property (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      return;
    }
    if (role == GTK_ACCESSIBLE_ROLE_LIST || role == GTK_ACCESSIBLE_ROLE_GRID ||
        role == GTK_ACCESSIBLE_ROLE_TREE_GRID)
      return;
  }
}

static void
toasts_changed_cb (GListModel *children,
                   guint       position,
                   guint       removed,
                   guint       added,
                   gpointer    user_data)
{
  for (guint i = position; i < position + added; i++) {
    g_autoptr(GtkWidget) child = g_list_model_get_item (children, i);

    imprint_a11y_name_buttons (child);
  }
}

static void
overlay_gone_cb (gpointer  children,
                 GObject  *toast_overlay)
{
  g_object_unref (children);
}

/**
 * imprint_a11y_watch_toasts:
 * @toast_overlay: an #AdwToastOverlay
 *
 * Names the buttons of each toast as it appears (a toast's widget is made only when the
 * toast is shown, which may be after those queued before it).
 */
void
imprint_a11y_watch_toasts (GtkWidget *toast_overlay)
{
  GListModel *children = gtk_widget_observe_children (toast_overlay);

  g_signal_connect (children, "items-changed", G_CALLBACK (toasts_changed_cb), NULL);
  /* The model lives as long as the overlay. */
  g_object_weak_ref (G_OBJECT (toast_overlay), overlay_gone_cb, children);
}

/**
 * imprint_set_tooltip:
 * @text: (nullable): the tooltip, plain text; %NULL or "" for none
 *
 * gtk_widget_set_tooltip_text(), but only when the text changes: GTK 4.8 asks the X server
 * where the pointer is at every call on a visible widget, a round trip the form paid at
 * each keystroke and each answer.
 */
void
imprint_set_tooltip (GtkWidget  *widget,
                     const char *text)
{
  const char *old;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  old = gtk_widget_get_tooltip_text (widget);
  if (g_strcmp0 (old, text != NULL && *text != '\0' ? text : NULL) != 0)
    gtk_widget_set_tooltip_text (widget, text);
}

static void
parent_destroyed_cb (GtkWindow *dialog)
{
  gtk_window_set_transient_for (dialog, NULL);
}

/* A dialog made with destroy-with-parent goes with its window: GTK destroys it, but keeps
 * pointing at the window. A request that holds the dialog beyond (a connection test, a
 * copy, a batch's quota) would reach the freed window when the dialog goes at last; so
 * the dialog lets go of its window while the window is still there. */
void
imprint_dialog_follow_parent (GtkWindow *dialog)
{
  GtkWindow *parent = gtk_window_get_transient_for (dialog);

  if (parent != NULL)
    g_signal_connect_object (parent, "destroy", G_CALLBACK (parent_destroyed_cb), dialog,
                             G_CONNECT_SWAPPED);
}
