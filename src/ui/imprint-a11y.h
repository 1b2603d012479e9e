/* imprint-a11y.h: accessible names that match what the user sees
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void imprint_a11y_name_button       (GtkWidget       *widget);
void imprint_a11y_name_buttons      (GtkWidget       *root);
void imprint_a11y_name_row          (GtkWidget       *child,
                                     const char      *label);
void imprint_a11y_watch_toasts      (GtkWidget       *toast_overlay);
void imprint_set_tooltip            (GtkWidget       *widget,
                                     const char      *text);
void imprint_dialog_follow_parent   (GtkWindow       *dialog);

G_END_DECLS
