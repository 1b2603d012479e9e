/* imprint-create-page.h: the image form — region, instance, name, options, pre-flight
 * facts, Check and Create, and the images it is following
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tc-client.h"
#include "tc-models.h"

G_BEGIN_DECLS

#define IMPRINT_TYPE_CREATE_PAGE (imprint_create_page_get_type ())

G_DECLARE_FINAL_TYPE (ImprintCreatePage, imprint_create_page, IMPRINT, CREATE_PAGE, GtkWidget)

/*
 * Properties:
 *   "client"          TcClient  the account's client (required)
 *   "region"          string    the region images are made in (read-write; notifies)
 *   "follow-interval" double    seconds before the first look at a new image; doubles up
 *                               to a minute (construct-only; default 3)
 *   "busy"            boolean   a Check or Create request is in flight (read-only)
 *   "problem"         string    why Create is insensitive, or NULL (read-only)
 *
 * Signals:
 *   "toast"          (const char *text)  a result to show at once
 *   "image-finished" (const char *name, const char *image_id, gboolean ok)  a followed
 *                    image reached its final state; @image_id is NULL when never known
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
void               imprint_create_page_set_region          (ImprintCreatePage *self,
                                                            const char        *region);
double             imprint_create_page_get_follow_interval (ImprintCreatePage *self);

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

/* What the user sees, read-only. */
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
/* Images followed since the page was made, newest first. */
guint              imprint_create_page_get_n_recent        (ImprintCreatePage *self);
/* The last known state of the followed image called @name (%TC_IMAGE_STATE_UNKNOWN when
 * none is followed, or none has been seen yet). */
TcImageState       imprint_create_page_get_recent_state    (ImprintCreatePage *self,
                                                            const char        *name);

G_END_DECLS
