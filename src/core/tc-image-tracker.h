/* tc-image-tracker.h: follows every image still being made until it is ready or failed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tc-account-store.h"
#include "tc-client.h"
#include "tc-history.h"

G_BEGIN_DECLS

#define TC_TYPE_IMAGE_TRACKER (tc_image_tracker_get_type ())

G_DECLARE_FINAL_TYPE (TcImageTracker, tc_image_tracker, TC, IMAGE_TRACKER, GObject)

/*
 * Every entry of the history whose outcome is CREATING is followed for as long as the
 * tracker lives: entries added while it runs, and entries loaded from the file (so
 * following resumes after a restart).
 *
 * Properties (construct-only):
 *   "history"         TcHistory       the entries to follow (required)
 *   "store"           TcAccountStore  where the entries' accounts are looked up (nullable)
 *   "session"         SoupSession     for the clients made for those accounts (nullable)
 *   "pacer"           TcPacer         the rate limits those clients share with the app's
 *                                     others (nullable: they pace themselves)
 *   "follow-interval" double          seconds before the first look; doubles up to a
 *                                     minute (default 3)
 *
 * Signals:
 *   "finished" (TcHistoryEntry *entry)  the entry (the stored object) reached READY or
 *                                       FAILED; its new values are already set
 */

TcImageTracker *tc_image_tracker_new                    (TcHistory      *history,
                                                         TcAccountStore *store,
                                                         SoupSession    *session,
                                                         TcPacer        *pacer);

TcHistory      *tc_image_tracker_get_history            (TcImageTracker *self);
double          tc_image_tracker_get_follow_interval    (TcImageTracker *self);

/* Uses @client for every entry of @account_id from now on, instead of looking the account
 * up in the store (the demo, whose account is not in the store, and tests). %NULL forgets
 * the client: the next look goes through the store again. */
void            tc_image_tracker_set_client_for_account (TcImageTracker *self,
                                                         const char     *account_id,
                                                         TcClient       *client);

/* How many entries are being followed now. */
guint           tc_image_tracker_get_n_following       (TcImageTracker *self);
gboolean        tc_image_tracker_is_following           (TcImageTracker *self,
                                                         const char     *entry_id);

G_END_DECLS
