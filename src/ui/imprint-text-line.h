/* imprint-text-line.h: one-line inscriptions tall enough for Chinese
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void imprint_text_line_fit (GtkWidget *host,
                            GtkWidget *text,
                            guint     *serial);

G_END_DECLS
