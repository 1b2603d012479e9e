/* imprint-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tc-account-store.h"
#include "tc-client.h"

G_BEGIN_DECLS

#define IMPRINT_TYPE_WINDOW (imprint_window_get_type ())

G_DECLARE_FINAL_TYPE (ImprintWindow, imprint_window, IMPRINT, WINDOW, AdwApplicationWindow)

ImprintWindow *imprint_window_new         (GtkApplication *application,
                                           TcAccountStore *store,
                                           SoupSession    *session);

/* What the window shows: "loading", "welcome", "problem" or "workspace". */
const char    *imprint_window_get_page    (ImprintWindow  *self);
/* The account in use (the demo's while in the demo), or %NULL. */
TcAccount     *imprint_window_get_account (ImprintWindow  *self);
TcClient      *imprint_window_get_client  (ImprintWindow  *self);
gboolean       imprint_window_is_demo     (ImprintWindow  *self);

G_END_DECLS
