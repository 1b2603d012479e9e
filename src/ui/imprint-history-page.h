/* imprint-history-page.h: every request sent, newest first, with search and details
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tc-account-store.h"
#include "tc-history.h"

G_BEGIN_DECLS

#define IMPRINT_TYPE_HISTORY_PAGE (imprint_history_page_get_type ())

G_DECLARE_FINAL_TYPE (ImprintHistoryPage, imprint_history_page, IMPRINT, HISTORY_PAGE, GtkWidget)

/*
 * Properties:
 *   "history"  TcHistory  the entries shown (nullable: an empty page)
 *
 * Signals:
 *   "use-as-template" (TcHistoryEntry *entry)  the user wants the form filled like @entry
 *   "copy-to-regions" (TcHistoryEntry *entry)  the user wants @entry's image copied
 *   "toast"           (const char *text)       plain text to show at once
 *
 * Actions (on the page): "history-page.clear" (asks first), "history-page.search"
 * (Ctrl+F: focuses the search entry). The details window has "details.copy-image-id",
 * "details.copy-request-id", "details.use-as-template" and "details.remove".
 */

ImprintHistoryPage *imprint_history_page_new             (TcHistory          *history);

TcHistory          *imprint_history_page_get_history     (ImprintHistoryPage *self);
void                imprint_history_page_set_history     (ImprintHistoryPage *self,
                                                          TcHistory          *history);

/* Where the rows find an account's name now (it may have been renamed); an entry whose
 * account is gone shows the name it was recorded with. */
void                imprint_history_page_set_account_store (ImprintHistoryPage *self,
                                                            TcAccountStore     *store);

const char         *imprint_history_page_get_search_text (ImprintHistoryPage *self);
/* As if typed, applied at once. */
void                imprint_history_page_set_search_text (ImprintHistoryPage *self,
                                                          const char         *text);
void                imprint_history_page_focus_search    (ImprintHistoryPage *self);

/* The rows shown (after the search) and which of "list", "empty" or "no-results" shows. */
GListModel         *imprint_history_page_get_shown       (ImprintHistoryPage *self);
const char         *imprint_history_page_get_view        (ImprintHistoryPage *self);

/* Opens the details of @entry (replacing any details window open) and returns it. */
GtkWindow          *imprint_history_page_show_details    (ImprintHistoryPage *self,
                                                          TcHistoryEntry     *entry);
/* The details window open now, or %NULL. */
GtkWindow          *imprint_history_page_get_details     (ImprintHistoryPage *self);

/* "5 minutes ago", "Yesterday"…, relative to @now. */
char               *imprint_history_format_relative_time (GDateTime          *time,
                                                          GDateTime          *now);

G_END_DECLS
