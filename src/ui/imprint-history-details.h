/* imprint-history-details.h: everything recorded about one request, with what to do next
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tc-account-store.h"
#include "tc-history.h"

G_BEGIN_DECLS

#define IMPRINT_TYPE_HISTORY_DETAILS (imprint_history_details_get_type ())

G_DECLARE_FINAL_TYPE (ImprintHistoryDetails, imprint_history_details, IMPRINT, HISTORY_DETAILS, AdwWindow)

/* @store: (nullable): names the entry's account as it is called now
 *
 * The window says "use-as-template", "copy-to-regions" and "remove" with its entry;
 * whoever opened it acts. */
ImprintHistoryDetails *imprint_history_details_new       (GtkWindow      *parent,
                                                          TcHistoryEntry *entry,
                                                          TcAccountStore *store);
TcHistoryEntry        *imprint_history_details_get_entry (ImprintHistoryDetails *self);

G_END_DECLS
