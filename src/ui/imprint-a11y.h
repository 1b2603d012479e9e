/* imprint-a11y.h: accessible names that match what the user sees
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void imprint_a11y_name_buttons (GtkWidget *root);

G_END_DECLS
