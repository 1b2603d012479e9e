/* imprint-create-page.h: the image form — region, instance, name, options, pre-flight
 * facts, Check and Create, and the images it is following
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tc-client.h"
#include "tc-cvm.h"
#include "tc-history.h"
#include "tc-models.h"

G_BEGIN_DECLS

#define IMPRINT_TYPE_CREATE_PAGE (imprint_create_page_get_type ())

G_DECLARE_FINAL_TYPE (ImprintCreatePage, imprint_create_page, IMPRINT, CREATE_PAGE, GtkWidget)

/*
 * Properties:
 *   "client"          TcClient  the account's client (required)
 *   "region"          string    the region images are made in (read-write; notifies)
 *   "history"         TcHistory where every Check and Create that was answered is
 *                               recorded (nullable: then nothing is recorded or followed)
 *   "account-name"    string    the client's account, as recorded with each request
 *   "busy"            boolean   a Check or Create request is in flight (read-only)
 *   "problem"         string    why Create is insensitive, or NULL (read-only)
 *
 * Signals:
 *   "toast"          (const char *text)  something the page itself has to say at once
 *   "job-finished"   (TcImageJob *job)  a Check or Create ended (not cancelled): its
 *                    summary is the toast, its history entry (if any) the details
 *   "image-finished" (const char *name, const char *image_id, gboolean ok,
 *                    const char *entry_id)  an image this page created reached its final
 *                    state; @image_id is NULL when never known; @entry_id is its history
 *                    entry. The page does not look at images itself: TcImageTracker follows
 *                    the history entry, and the page reports what the entry says.
 *
 * Actions (on the page): "create-page.create" (Ctrl+Enter), "create-page.check",
 * "create-page.cancel", "create-page.choose-instance", "create-page.add-tag".
 */

ImprintCreatePage *imprint_create_page_new                 (TcClient          *client,
                                                            const char        *region);

TcClient          *imprint_create_page_get_client          (ImprintCreatePage *self);
void               imprint_create_page_set_client          (ImprintCreatePage *self,
                                                            TcClient          *client);
const char        *imprint_create_page_get_region          (ImprintCreatePage *self);
void               imprint_create_page_refresh_quota       (ImprintCreatePage *self);
void               imprint_create_page_set_region          (ImprintCreatePage *self,
                                                            const char        *region);
void               imprint_create_page_set_protocol        (ImprintCreatePage *self,
                                                            TcProtocol         protocol);
TcHistory         *imprint_create_page_get_history         (ImprintCreatePage *self);
void               imprint_create_page_set_history         (ImprintCreatePage *self,
                                                            TcHistory         *history);
const char        *imprint_create_page_get_account_name    (ImprintCreatePage *self);
void               imprint_create_page_set_account_name    (ImprintCreatePage *self,
                                                            const char        *account_name);
/* Whether the form names the account: the window does where its header cannot. */
void               imprint_create_page_set_account_shown   (ImprintCreatePage *self,
                                                            gboolean           shown);
/* “Use as template”: fills the form as @request was, in @region. */
void               imprint_create_page_use_template        (ImprintCreatePage *self,
                                                            const TcImageRequest *request,
                                                            const char        *region);

/* The chosen instance (the picker calls the setter); %NULL clears it. */
TcInstance        *imprint_create_page_get_instance        (ImprintCreatePage *self);
void               imprint_create_page_set_instance        (ImprintCreatePage *self,
                                                            TcInstance        *instance);

/* The fields, as if typed (also for “Use as template”). */
const char        *imprint_create_page_get_image_name      (ImprintCreatePage *self);
void               imprint_create_page_set_image_name      (ImprintCreatePage *self,
                                                            const char        *name);
const char        *imprint_create_page_get_description     (ImprintCreatePage *self);
void               imprint_create_page_set_description     (ImprintCreatePage *self,
                                                            const char        *description);
gboolean           imprint_create_page_get_force_poweroff  (ImprintCreatePage *self);
void               imprint_create_page_set_force_poweroff  (ImprintCreatePage *self,
                                                            gboolean           force_poweroff);
/* Appends a tag row (API 3.0). */
void               imprint_create_page_add_tag             (ImprintCreatePage *self,
                                                            const char        *key,
                                                            const char        *value);
guint              imprint_create_page_get_n_tags          (ImprintCreatePage *self);

/* Toasts from the window land over the form, not over its actions. */
void               imprint_create_page_add_toast           (ImprintCreatePage *self,
                                                            AdwToast          *toast);

/* What the user sees, read-only. */
/* What the last Check or Create said (shown above the buttons), while the form still asks
 * for the same thing; %NULL otherwise. */
const char        *imprint_create_page_get_outcome         (ImprintCreatePage *self,
                                                            gboolean          *ok);
const char        *imprint_create_page_get_problem         (ImprintCreatePage *self);
gboolean           imprint_create_page_is_busy             (ImprintCreatePage *self);
/* The message shown for @field: "name", "description", "instance", "tags" or "quota";
 * %NULL when there is none. */
const char        *imprint_create_page_get_field_message   (ImprintCreatePage *self,
                                                            const char        *field);
/* The text of a pre-flight fact row: "quota", "name" or "instance". */
const char        *imprint_create_page_get_fact_text       (ImprintCreatePage *self,
                                                            const char        *fact);
/* "7 of 10 used", or %NULL while not known. */
const char        *imprint_create_page_get_quota_text      (ImprintCreatePage *self);
/* Images created from this page (while it had a history), newest first. */
guint              imprint_create_page_get_n_recent        (ImprintCreatePage *self);
/* Whether Recent Images shows the entry of @entry_id (and says how its image ends). */
gboolean           imprint_create_page_shows_recent        (ImprintCreatePage *self,
                                                            const char        *entry_id);
/* The state the history entry of the image called @name says: CREATING, NORMAL or
 * CREATEFAILED (%TC_IMAGE_STATE_UNKNOWN when the page created none by that name). */
TcImageState       imprint_create_page_get_recent_state    (ImprintCreatePage *self,
                                                            const char        *name);

G_END_DECLS
