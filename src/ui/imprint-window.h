/* imprint-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "imprint-create-page.h"
#include "imprint-history-page.h"
#include "tc-image-tracker.h"
#include "tc-account-store.h"
#include "tc-client.h"
#include "tc-history.h"

G_BEGIN_DECLS

#define IMPRINT_TYPE_WINDOW (imprint_window_get_type ())

G_DECLARE_FINAL_TYPE (ImprintWindow, imprint_window, IMPRINT, WINDOW, AdwApplicationWindow)

/* A window without a history: nothing is recorded, the History view stays empty. */
ImprintWindow *imprint_window_new         (GtkApplication *application,
                                           TcAccountStore *store,
                                           SoupSession    *session);
ImprintWindow *imprint_window_new_full    (GtkApplication *application,
                                           TcAccountStore *store,
                                           SoupSession    *session,
                                           TcPacer        *pacer,
                                           TcHistory      *history,
                                           TcImageTracker *tracker);

/* What the window shows: "loading", "welcome", "problem" or "workspace". */
const char    *imprint_window_get_page    (ImprintWindow  *self);
/* The account in use (the demo's while in the demo), or %NULL. */
TcAccount     *imprint_window_get_account (ImprintWindow  *self);
TcClient      *imprint_window_get_client  (ImprintWindow  *self);
gboolean       imprint_window_is_demo     (ImprintWindow  *self);

/* The workspace's view: "create" or "history". */
const char    *imprint_window_get_view    (ImprintWindow  *self);
void           imprint_window_set_view    (ImprintWindow  *self,
                                           const char     *view);
ImprintHistoryPage *imprint_window_get_history_page (ImprintWindow *self);
ImprintCreatePage  *imprint_window_get_create_page  (ImprintWindow *self);

/* The History view with that entry's details open (as soon as the history has it). */
void           imprint_window_show_history_entry (ImprintWindow *self,
                                                  const char    *entry_id);
/* Plain text, shown at once. */
void           imprint_window_show_toast  (ImprintWindow  *self,
                                           const char     *text);

G_END_DECLS
