/* imprint-history-row.h: one request in the History list, and the words both it and the
 * details use for an entry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tc-account-store.h"
#include "tc-history.h"

G_BEGIN_DECLS

#define IMPRINT_TYPE_HISTORY_ROW (imprint_history_row_get_type ())

G_DECLARE_FINAL_TYPE (ImprintHistoryRow, imprint_history_row, IMPRINT, HISTORY_ROW, GtkWidget)

ImprintHistoryRow *imprint_history_row_new         (void);

/* Shows @entry (or nothing) and follows its changes; @store (nullable) names its account
 * as it is called now. */
void               imprint_history_row_set_entry   (ImprintHistoryRow *self,
                                                    TcHistoryEntry    *entry,
                                                    TcAccountStore    *store);
TcHistoryEntry    *imprint_history_row_get_entry   (ImprintHistoryRow *self);
/* Says again how long ago the request was, as of @now. */
void               imprint_history_row_update_time (ImprintHistoryRow *self,
                                                    GDateTime         *now);

/* The account's name now, when it still exists in @store; else the name it had. */
const char        *imprint_history_account_name    (TcAccountStore    *store,
                                                    TcHistoryEntry    *entry);
/* "web-01 (ins-abc)" or whichever half is known. */
char              *imprint_history_describe_instance (TcHistoryEntry  *entry);
/* "Wednesday, 2 December 2026, 14:05:09" in the user's language. */
char              *imprint_history_format_exact_time (GDateTime       *time);

G_END_DECLS
