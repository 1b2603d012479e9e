/* imprint-a11y.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK 4.8 gives a button with a mnemonic ("_Save") the accessible label "_Save",
 * underscore and all, on top of the name its label already gives it, and an icon-only
 * menu button no name at all (screen readers say "GtkMenuButton"). Newer GTK fixes the
 * first; until then, each view runs its buttons through here once they are built.
 */
#include "config.h"

#include "imprint-a11y.h"

static void
name_button (GtkWidget *widget)
{
  const char *label = NULL;
  gboolean underline = FALSE;

  if (GTK_IS_MENU_BUTTON (widget)) {
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
  }
}

/**
 * imprint_a11y_name_buttons:
 * @root: a widget whose descendants (and itself) are named
 */
void
imprint_a11y_name_buttons (GtkWidget *root)
{
  name_button (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    imprint_a11y_name_buttons (child);
}
