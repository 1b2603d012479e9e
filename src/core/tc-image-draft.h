/* tc-image-draft.h: the image form's fields as the rules, the pre-flight facts and the
 * server's last refusal judge them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tc-preflight.h"
#include "tc-rules.h"

G_BEGIN_DECLS

/* The pre-flight facts a form shows, and what each says about the request. */
typedef enum {
  TC_DRAFT_FACT_QUOTA,
  TC_DRAFT_FACT_NAME,
  TC_DRAFT_FACT_INSTANCE,
} TcDraftFact;

typedef enum {
  TC_DRAFT_MARK_NONE,     /* nothing to say yet */
  TC_DRAFT_MARK_OK,       /* nothing stands in the way */
  TC_DRAFT_MARK_PROBLEM,  /* the fact stops the request */
} TcDraftMark;

#define TC_TYPE_IMAGE_DRAFT (tc_image_draft_get_type ())

G_DECLARE_FINAL_TYPE (TcImageDraft, tc_image_draft, TC, IMAGE_DRAFT, GObject)

/*
 * A form sets the fields as they are on screen (cheap; nothing is fetched) and asks what
 * to say under each field, about each fact, and what stops the request first. The instance
 * and the facts come from the TcPreflight given at construction. A refusal from the
 * server is kept under its field (tc_rules_field_for_error()) until the user changes that
 * field; it also tells the preflight what it learnt (a taken name, a gone instance) or to
 * look again (the quota, the instance's state).
 */

TcImageDraft *tc_image_draft_new              (TcPreflight        *preflight);

void          tc_image_draft_set_protocol     (TcImageDraft       *self,
                                               TcProtocol          protocol);
/* @settled: the user left the field or submitted; while typing, a trailing space is a word
 * in progress, not a mistake. */
void          tc_image_draft_set_name         (TcImageDraft       *self,
                                               const char         *name,
                                               gboolean            settled);
void          tc_image_draft_set_description  (TcImageDraft       *self,
                                               const char         *description);
void          tc_image_draft_set_force_poweroff (TcImageDraft     *self,
                                               gboolean            force_poweroff);
/* The tags as the form lists them: @keys and @values have the same length (API 3.0). */
void          tc_image_draft_set_tags         (TcImageDraft       *self,
                                               const char * const *keys,
                                               const char * const *values);

/* The server refused a request for the image @name with @error. Returns the field its
 * reason now shows under, or a field the form has no place for (then the form says the
 * reason above its buttons). */
TcField       tc_image_draft_refused          (TcImageDraft       *self,
                                               const GError       *error,
                                               const char         *name);
/* The user changed @field (or it was fetched again): the server's word on it is stale. */
void          tc_image_draft_forget_refusal   (TcImageDraft       *self,
                                               TcField             field);

/* What to say under @field (INSTANCE, NAME, DESCRIPTION, TAGS or QUOTA), %NULL when
 * nothing stands in its way. */
char         *tc_image_draft_check            (TcImageDraft       *self,
                                               TcField             field);
/* What is wrong with the tag at @index (its key is at fault), or %NULL. */
char         *tc_image_draft_check_tag        (TcImageDraft       *self,
                                               guint               index);
/* Whether the rules take the name (as typed, or as it stands once settled). */
gboolean      tc_image_draft_name_is_valid    (TcImageDraft       *self);
/* What stops the request first, top to bottom as a form reads, or %NULL. */
char         *tc_image_draft_dup_problem      (TcImageDraft       *self);

/* "7 of 10 used", or %NULL while the quota is not known. */
char         *tc_image_draft_dup_quota_usage  (TcImageDraft       *self);
/* What to show for @fact (plain text), its status and its mark. */
char         *tc_image_draft_describe_fact    (TcImageDraft       *self,
                                               TcDraftFact         fact,
                                               TcFactStatus       *status,
                                               TcDraftMark        *mark);

G_END_DECLS
