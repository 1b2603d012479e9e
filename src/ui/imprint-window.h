/* imprint-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "imprint-application.h"

G_BEGIN_DECLS

#define IMPRINT_TYPE_WINDOW (imprint_window_get_type ())

G_DECLARE_FINAL_TYPE (ImprintWindow, imprint_window, IMPRINT, WINDOW, AdwApplicationWindow)

ImprintWindow *imprint_window_new (ImprintApplication *application);

G_END_DECLS
