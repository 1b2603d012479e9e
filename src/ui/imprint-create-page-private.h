/* imprint-create-page-private.h: what the files of ImprintCreatePage share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The page is one class over three files, as GNOME Text Editor splits its editor page:
 * imprint-create-page.c (the object, its properties and its public API),
 * imprint-create-page-form.c (what the form shows: the rules' messages, the pre-flight
 * facts, the outcome and the buttons) and imprint-create-page-actions.c (what the user
 * does: tags, Check and Create through a TcImageJob, the images it follows, templates).
 */
#pragma once

#include "imprint-a11y.h"
#include "imprint-create-page.h"
#include "imprint-disk-row.h"
#include "imprint-fact-row.h"
#include "imprint-instance-picker.h"
#include "imprint-recent-image-row.h"
#include "imprint-region-row.h"
#include "imprint-state-badge.h"
#include "imprint-tag-row.h"
#include "tc-cvm.h"
#include "tc-error.h"
#include "tc-history.h"
#include "tc-image-draft.h"
#include "tc-image-job.h"
#include "tc-places.h"
#include "tc-preflight.h"
#include "tc-rules.h"

/* How long the name may rest before it is looked up. */
#define NAME_LOOKUP_DELAY_MS   400

G_BEGIN_DECLS

struct _ImprintCreatePage
{
  GtkWidget             parent_instance;

  TcClient             *client;
  TcProtocol            protocol;
  gboolean              constructed;
  char                 *region;
  TcHistory            *history;            /* nullable: nothing is recorded without one */
  char                 *account_name;
  char                 *account_id;
  char                 *attempt_id;         /* the entry the checks since the last Create went to */

  /* The chosen instance, the quota and the name lookups: fetched in the background. */
  TcPreflight          *preflight;
  char                 *disk_ids;           /* the data disks shown, joined, to spot changes */
  gboolean              name_touched;
  gboolean              name_settled;       /* left or submitted: a trailing space counts */
  gboolean              instance_asked;     /* the picker was opened, or the form submitted */

  /* The fields as the rules, the facts and the server's last refusal judge them. */
  TcImageDraft         *draft;

  /* What is shown, kept for the getters. */
  char                 *name_message;
  char                 *description_message_text;
  char                 *instance_message_text;
  char                 *tags_message_text;
  char                 *quota_message;
  char                 *quota_text;
  char                 *problem;

  TcImageJob           *job;                /* the Check or Create in flight */
  GCancellable         *job_cancellable;
  /* What the last Check or Create said, shown above the buttons for as long as the form
   * still asks for the same thing. */
  TcImageJob           *outcome;
  GCancellable         *template_cancellable;
  GStrv                 template_disk_ids;  /* data disks to check once the instance is in */
  char                 *template_instance;  /* a template's instance, asked for once there is
                                             * a client (the keyring had not answered) */
  gboolean              buttons_labelled;
  GtkWidget            *focus_before;       /* weak: where the keyboard was before sending */
  gboolean              restore_focus;
  guint                 tag_serial;

  /* Template widgets. */
  AdwToastOverlay      *toast_overlay;
  GtkWidget            *form_box;
  AdwActionRow         *account_row;
  ImprintRegionRow     *region_row;
  GtkLabel             *region_caption;
  AdwActionRow         *instance_row;
  ImprintStateBadge    *instance_badge;
  GtkButton            *choose_button;
  GtkLabel             *instance_message;
  AdwEntryRow          *name_row;
  GtkLabel             *name_message_label;
  AdwEntryRow          *description_row;
  GtkLabel             *description_counter;
  GtkLabel             *description_message;
  AdwPreferencesGroup  *options_group;
  AdwActionRow         *poweroff_row;
  GtkCheckButton       *poweroff_check;
  AdwActionRow         *sysprep_row;
  GtkCheckButton       *sysprep_check;
  AdwPreferencesGroup  *disks_group;
  GtkListBox           *disks_list;
  AdwPreferencesGroup  *tags_group;
  GtkListBox           *tags_list;
  GtkButton            *add_tag_button;
  GtkLabel             *tags_message;
  ImprintFactRow       *quota_fact;
  GtkButton            *free_quota_button;
  ImprintFactRow       *name_fact;
  ImprintFactRow       *instance_fact;
  GtkBox               *outcome_box;
  GtkImage             *outcome_icon;
  GtkLabel             *outcome_label;
  GtkLabel             *result_message;
  GtkLabel             *problem_label;
  GtkButton            *check_button;
  GtkStack             *check_stack;
  GtkSpinner           *check_spinner;
  GtkButton            *create_button;
  GtkStack             *create_stack;
  GtkSpinner           *create_spinner;
  AdwPreferencesGroup  *recent_group;
  GtkListBox           *recent_list;
  GtkListBox           *batch_list;
};

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_REGION,
  PROP_HISTORY,
  PROP_ACCOUNT_NAME,
  PROP_ACCOUNT_ID,
  PROP_BUSY,
  PROP_PROBLEM,
  N_PROPS
};

enum {
  SIGNAL_TOAST,
  SIGNAL_IMAGE_FINISHED,
  SIGNAL_JOB_FINISHED,
  N_SIGNALS
};

extern GParamSpec *_imprint_create_page_properties[N_PROPS];
extern guint _imprint_create_page_signals[N_SIGNALS];

/* Small helpers. */

/* The chosen instance, as last fetched. */
static inline TcInstance *
chosen (ImprintCreatePage *self)
{
  return tc_preflight_get_instance (self->preflight);
}

static inline gboolean
instance_gone (ImprintCreatePage *self)
{
  return tc_preflight_get_instance_gone (self->preflight);
}

static inline gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static inline void
cancel_and_clear (GCancellable **cancellable)
{
  if (*cancellable != NULL) {
    g_cancellable_cancel (*cancellable);
    g_clear_object (cancellable);
  }
}

static inline GCancellable *
renew_cancellable (GCancellable **cancellable)
{
  cancel_and_clear (cancellable);
  *cancellable = g_cancellable_new ();
  return *cancellable;
}

/* Replaces *@field with a copy of @value; returns whether it changed. */
static inline gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static inline gboolean
is_api3 (ImprintCreatePage *self)
{
  return self->protocol == TC_PROTOCOL_API3;
}

static inline const char *
empty_to_null (const char *text)
{
  return text != NULL && *text != '\0' ? text : NULL;
}

static inline gboolean
set_label_text (GtkLabel   *label,
                const char *text)
{
  if (g_strcmp0 (gtk_label_get_text (label), text ? text : "") == 0)
    return FALSE;

  gtk_label_set_text (label, text ? text : "");
  return TRUE;
}

static inline void
label_widget (GtkWidget  *widget,
              const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static inline void
toast (ImprintCreatePage *self,
       const char        *text)
{
  g_signal_emit (self, _imprint_create_page_signals[SIGNAL_TOAST], 0, text);
}

const char *_imprint_create_page_get_name (ImprintCreatePage *self);

const char *_imprint_create_page_get_description (ImprintCreatePage *self);

gboolean _imprint_create_page_force_poweroff (ImprintCreatePage *self);

void _imprint_create_page_set_outcome (ImprintCreatePage *self,
                                       TcImageJob        *job);

const char *_imprint_create_page_outcome_text (ImprintCreatePage *self,
                                               gboolean          *ok);

void _imprint_create_page_update_form (ImprintCreatePage *self);

void _imprint_create_page_show_instance (ImprintCreatePage *self);

void _imprint_create_page_preflight_notify_cb (ImprintCreatePage *self,
                                               GParamSpec        *pspec);

void _imprint_create_page_start_instance_refresh (ImprintCreatePage *self);

void _imprint_create_page_start_quota_fetch (ImprintCreatePage *self);

void _imprint_create_page_schedule_name_lookup (ImprintCreatePage *self,
                                                guint              delay_ms);

void _imprint_create_page_quota_retry_cb (ImprintCreatePage *self);

void _imprint_create_page_name_retry_cb (ImprintCreatePage *self);

void _imprint_create_page_instance_retry_cb (ImprintCreatePage *self);

void _imprint_create_page_name_changed_cb (ImprintCreatePage *self);

void _imprint_create_page_name_left_cb (ImprintCreatePage *self);

void _imprint_create_page_description_changed_cb (ImprintCreatePage *self);

void _imprint_create_page_option_changed_cb (ImprintCreatePage *self);

void _imprint_create_page_tag_changed_cb (ImprintCreatePage *self);

ImprintTagRow *_imprint_create_page_append_tag (ImprintCreatePage *self,
                                                const char        *key,
                                                const char        *value);

void _imprint_create_page_clear_tags (ImprintCreatePage *self);

void _imprint_create_page_add_tag_action (GtkWidget  *widget,
                                          const char *action_name,
                                          GVariant   *parameter);

void _imprint_create_page_history_changed_cb (ImprintCreatePage *self);

TcImageRequest *_imprint_create_page_build_request (ImprintCreatePage *self);

void _imprint_create_page_create_action (GtkWidget  *widget,
                                         const char *action_name,
                                         GVariant   *parameter);

void _imprint_create_page_check_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *parameter);

void _imprint_create_page_cancel_operation (ImprintCreatePage *self);

void _imprint_create_page_cancel_action (GtkWidget  *widget,
                                         const char *action_name,
                                         GVariant   *parameter);

void _imprint_create_page_choose_instance_action (GtkWidget  *widget,
                                                  const char *action_name,
                                                  GVariant   *parameter);

void _imprint_create_page_fetch_template_instance (ImprintCreatePage *self);
void _imprint_create_page_drop_template           (ImprintCreatePage *self);

G_END_DECLS
