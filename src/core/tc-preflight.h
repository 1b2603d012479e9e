/* tc-preflight.h: what the form knows before it sends — the region's custom-image quota,
 * whether the name is taken, the chosen instance's state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tc-client.h"
#include "tc-models.h"

G_BEGIN_DECLS

typedef enum {
  TC_FACT_IDLE,      /* nothing to fetch yet */
  TC_FACT_LOADING,
  TC_FACT_KNOWN,
  TC_FACT_ERROR,     /* the fetch failed; the error says why, a refresh tries again */
} TcFactStatus;

#define TC_TYPE_FACT_STATUS (tc_fact_status_get_type ())
GType tc_fact_status_get_type (void) G_GNUC_CONST;

#define TC_TYPE_PREFLIGHT (tc_preflight_get_type ())

G_DECLARE_FINAL_TYPE (TcPreflight, tc_preflight, TC, PREFLIGHT, GObject)

/*
 * Properties (all notify, in one batch per answer):
 *   "client"           TcClient   the account's client (read-write; changing it starts over)
 *   "region"           string     the region the facts are about (read-write; starts over)
 *   "instance"         TcInstance the chosen instance, as last fetched (read-write)
 *   "instance-status"  TcFactStatus
 *   "instance-gone"    boolean    the server says the instance no longer exists
 *   "quota-status"     TcFactStatus; "quota" and "used" (uint) once KNOWN
 *   "name-status"      TcFactStatus of the last name lookup
 *   "looked-up-name"   string     the name the last finished lookup was about
 *   "looked-up-taken"  boolean    whether that name is taken
 *   "taken-name"       string     a name known to be taken in the region (by a lookup, a
 *                                 refusal or an image just made)
 * Each fetch has its own cancellable: a new fetch of the same fact cancels the last, and
 * disposing cancels everything. Cancellation is never shown as an error.
 */

TcPreflight  *tc_preflight_new                   (TcClient    *client,
                                                  const char  *region);

TcClient     *tc_preflight_get_client            (TcPreflight *self);
void          tc_preflight_set_client            (TcPreflight *self,
                                                  TcClient    *client);
const char   *tc_preflight_get_region            (TcPreflight *self);
void          tc_preflight_set_region            (TcPreflight *self,
                                                  const char  *region);

/* The quota: both halves (the limit and the images counted) must arrive. */
void          tc_preflight_refresh_quota         (TcPreflight *self);
TcFactStatus  tc_preflight_get_quota_status      (TcPreflight *self);
guint         tc_preflight_get_quota             (TcPreflight *self);
guint         tc_preflight_get_used              (TcPreflight *self);
const char   *tc_preflight_get_quota_error       (TcPreflight *self);

/* Looks @name up after @delay_ms (a new call replaces a pending one); a name the rules
 * refuse is not looked up (the status goes IDLE). */
void          tc_preflight_look_up_name          (TcPreflight *self,
                                                  const char  *name,
                                                  guint        delay_ms);
TcFactStatus  tc_preflight_get_name_status       (TcPreflight *self);
const char   *tc_preflight_get_looked_up_name    (TcPreflight *self);
gboolean      tc_preflight_get_looked_up_taken   (TcPreflight *self);
const char   *tc_preflight_get_name_error        (TcPreflight *self);
const char   *tc_preflight_get_taken_name        (TcPreflight *self);
/* The server said @name is taken (or an image of that name was just made). With
 * @is_current, @name is the one in the form: it counts as looked up. */
void          tc_preflight_mark_taken            (TcPreflight *self,
                                                  const char  *name,
                                                  gboolean     is_current);

/* The chosen instance; setting it fetches its state again at once. */
TcInstance   *tc_preflight_get_instance          (TcPreflight *self);
void          tc_preflight_set_instance          (TcPreflight *self,
                                                  TcInstance  *instance);
void          tc_preflight_refresh_instance      (TcPreflight *self);
TcFactStatus  tc_preflight_get_instance_status   (TcPreflight *self);
gboolean      tc_preflight_get_instance_gone     (TcPreflight *self);
const char   *tc_preflight_get_instance_error    (TcPreflight *self);
/* A fresh copy of the chosen instance fetched elsewhere (right before sending), or word
 * that it is gone. */
void          tc_preflight_update_instance       (TcPreflight *self,
                                                  TcInstance  *fresh);
void          tc_preflight_mark_instance_gone    (TcPreflight *self);

G_END_DECLS
