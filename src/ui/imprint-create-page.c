/* imprint-create-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The image form. Every field runs through tc-rules as the user types, and the pre-flight
 * facts (quota, whether the name is taken, the instance's state) are fetched in the
 * background by a TcPreflight (core/, tested without a display) whose properties the page
 * shows, so Create is only sensitive when nothing the app knows says the request will
 * fail. What the app does not know does not block: a fact that could not be fetched shows
 * its error and a Retry button, and the server has the last word when the request is sent.
 *
 * Every asynchronous call takes a cancellable owned by the page and cancelled in dispose.
 * Callbacks get the page as a plain pointer and return at once on G_IO_ERROR_CANCELLED,
 * before touching it: GTask reports a cancelled cancellable as an error even when the call
 * had already completed, so a callback that runs after dispose never sees a live result.
 * Cancelling a request the user started ends it at once; its callback then finds the
 * cancellation and does nothing.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "imprint-a11y.h"
#include "imprint-create-page.h"
#include "imprint-disk-row.h"
#include "imprint-fact-row.h"
#include "imprint-instance-picker.h"
#include "imprint-recent-image-row.h"
#include "imprint-region-row.h"
#include "imprint-tag-row.h"
#include "tc-cvm.h"
#include "tc-error.h"
#include "tc-history.h"
#include "tc-image-job.h"
#include "tc-places.h"
#include "tc-preflight.h"
#include "tc-rules.h"

/* How long the name may rest before it is looked up. */
#define NAME_LOOKUP_DELAY_MS   400

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

  /* What the server said about a field on the last failed request; cleared on edit. */
  char                 *server_name_message;
  char                 *server_description_message;
  char                 *server_instance_message;
  char                 *server_quota_message;
  char                 *server_tags_message;

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
  gboolean              buttons_labelled;
  GtkWidget            *focus_before;       /* weak: where the keyboard was before sending */
  gboolean              restore_focus;
  guint                 tag_serial;

  /* Template widgets. */
  AdwToastOverlay      *toast_overlay;
  GtkWidget            *form_box;
  ImprintRegionRow     *region_row;
  GtkLabel             *region_caption;
  AdwActionRow         *instance_row;
  GtkLabel             *instance_badge;
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
};

G_DEFINE_FINAL_TYPE (ImprintCreatePage, imprint_create_page, GTK_TYPE_WIDGET)

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

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_TOAST,
  SIGNAL_IMAGE_FINISHED,
  SIGNAL_JOB_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void update_form          (ImprintCreatePage *self);
static void start_quota_fetch    (ImprintCreatePage *self);
static void schedule_name_lookup (ImprintCreatePage *self,
                                  guint              delay_ms);
static void start_instance_refresh (ImprintCreatePage *self);
static void show_instance        (ImprintCreatePage *self);

/* Small helpers. */

/* The chosen instance, as last fetched. */
static TcInstance *
chosen (ImprintCreatePage *self)
{
  return tc_preflight_get_instance (self->preflight);
}

static gboolean
instance_gone (ImprintCreatePage *self)
{
  return tc_preflight_get_instance_gone (self->preflight);
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
cancel_and_clear (GCancellable **cancellable)
{
  if (*cancellable != NULL) {
    g_cancellable_cancel (*cancellable);
    g_clear_object (cancellable);
  }
}

static GCancellable *
renew_cancellable (GCancellable **cancellable)
{
  cancel_and_clear (cancellable);
  *cancellable = g_cancellable_new ();
  return *cancellable;
}

/* Replaces *@field with a copy of @value; returns whether it changed. */
static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static gboolean
is_api3 (ImprintCreatePage *self)
{
  return self->protocol == TC_PROTOCOL_API3;
}

static const char *
empty_to_null (const char *text)
{
  return text != NULL && *text != '\0' ? text : NULL;
}

static gboolean
set_label_text (GtkLabel   *label,
                const char *text)
{
  if (g_strcmp0 (gtk_label_get_text (label), text ? text : "") == 0)
    return FALSE;

  gtk_label_set_text (label, text ? text : "");
  return TRUE;
}

/* Shows @message under a field (or hides it), and makes assistive technologies read it
 * with the field: the row is marked invalid and described by the message. */
static void
show_field_message (GtkWidget  *field,
                    GtkLabel   *label,
                    const char *message)
{
  /* Entry rows turn red with their message; other rows would paint their buttons red. */
  gboolean tint = ADW_IS_ENTRY_ROW (field);

  if (!set_label_text (label, message) &&
      gtk_widget_get_visible (GTK_WIDGET (label)) == (message != NULL))
    return;

  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);

  if (message != NULL) {
    if (tint)
      gtk_widget_add_css_class (field, "error");
    gtk_accessible_update_state (GTK_ACCESSIBLE (field),
                                 GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                 -1);
    gtk_accessible_update_property (GTK_ACCESSIBLE (field),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                    -1);
  } else {
    gtk_widget_remove_css_class (field, "error");
    gtk_accessible_reset_state (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_STATE_INVALID);
    gtk_accessible_reset_property (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  }
}

static void
label_widget (GtkWidget  *widget,
              const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static void
toast (ImprintCreatePage *self,
       const char        *text)
{
  g_signal_emit (self, signals[SIGNAL_TOAST], 0, text);
}

/* The state badge: green for running, neutral for stopped, amber while changing, red when
 * the instance is beyond use. */
static const char *
state_badge_class (TcInstanceState state)
{
  switch (state) {
  case TC_INSTANCE_STATE_RUNNING:
    return "success";
  case TC_INSTANCE_STATE_PENDING:
  case TC_INSTANCE_STATE_STARTING:
  case TC_INSTANCE_STATE_STOPPING:
  case TC_INSTANCE_STATE_REBOOTING:
  case TC_INSTANCE_STATE_MIGRATING:
  case TC_INSTANCE_STATE_BUSY:
  case TC_INSTANCE_STATE_RESCUE:
    return "warning";
  case TC_INSTANCE_STATE_LAUNCH_FAILED:
  case TC_INSTANCE_STATE_SHUTDOWN:
  case TC_INSTANCE_STATE_TERMINATING:
    return "error";
  case TC_INSTANCE_STATE_STOPPED:
  case TC_INSTANCE_STATE_UNKNOWN:
  default:
    return NULL;
  }
}

static void
set_badge (GtkWidget  *badge,
           const char *css_class)
{
  static const char * const classes[] = { "success", "warning", "error", "accent", "neutral" };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (badge, classes[i]);
  gtk_widget_add_css_class (badge, css_class != NULL ? css_class : "neutral");
}

/* Validation. */

static const char *
get_name (ImprintCreatePage *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->name_row));
}

static const char *
get_description (ImprintCreatePage *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->description_row));
}

static gboolean
force_poweroff (ImprintCreatePage *self)
{
  return is_api3 (self) && gtk_check_button_get_active (self->poweroff_check);
}

/* The first problem with the tags (a value without a key, a key used twice), marking the
 * entries at fault; NULL when they are fine. */
static char *
check_tags (ImprintCreatePage *self)
{
  g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
  char *problem = NULL;
  GtkListBoxRow *row;

  if (!is_api3 (self))
    return NULL;

  for (guint i = 0; (row = gtk_list_box_get_row_at_index (self->tags_list, (int) i)) != NULL; i++) {
    const char *key = imprint_tag_row_get_key (IMPRINT_TAG_ROW (row));
    const char *value = imprint_tag_row_get_value (IMPRINT_TAG_ROW (row));
    g_autofree char *message = NULL;

    if (*key == '\0' && *value != '\0')
      /* Translators: %u is the tag's position in the list, from 1. */
      message = g_strdup_printf (_("Tag %u has a value but no key. Enter a key or remove the tag."),
                                 i + 1);
    else if (*key != '\0' && g_hash_table_contains (keys, key))
      /* Translators: %s is a tag key. */
      message = g_strdup_printf (_("The tag key “%s” is used more than once. Give each tag its own key."),
                                 key);

    if (*key != '\0')
      g_hash_table_add (keys, (gpointer) key);

    imprint_tag_row_set_problem (IMPRINT_TAG_ROW (row), message);
    if (message != NULL && problem == NULL)
      problem = g_steal_pointer (&message);
  }

  return problem;
}

static char *
instance_rule_message (ImprintCreatePage *self)
{
  g_auto(TcVerdict) verdict = { 0 };

  if (chosen (self) == NULL)
    return NULL;

  if (instance_gone (self))
    return g_strdup (_("The instance no longer exists. Choose another instance."));

  if (!tc_rules_check_instance_state (self->protocol, tc_instance_get_state (chosen (self)),
                                      force_poweroff (self), &verdict))
    return g_steal_pointer (&verdict.message);

  return g_strdup (self->server_instance_message);
}

static char *
name_rule_message (ImprintCreatePage *self,
                   gboolean          *invalid)
{
  g_auto(TcVerdict) verdict = { 0 };
  const char *name = get_name (self);

  *invalid = FALSE;
  /* While the user types, a space at the end is a word in progress, not a mistake: it is
   * called out once the field is left or the form submitted. */
  if (self->name_settled ? !tc_rules_check_image_name (self->protocol, name, &verdict)
                         : !tc_rules_check_image_name_as_typed (self->protocol, name, &verdict)) {
    *invalid = TRUE;
    return g_steal_pointer (&verdict.message);
  }

  if (tc_preflight_get_taken_name (self->preflight) != NULL) {
    const char * const existing[] = { tc_preflight_get_taken_name (self->preflight), NULL };

    if (!tc_rules_check_name_available (name, existing, &verdict))
      return g_steal_pointer (&verdict.message);
  }

  return g_strdup (self->server_name_message);
}

static char *
quota_rule_message (ImprintCreatePage *self)
{
  g_auto(TcVerdict) verdict = { 0 };

  if (tc_preflight_get_quota_status (self->preflight) == TC_FACT_KNOWN &&
      !tc_rules_check_quota (tc_preflight_get_used (self->preflight),
                             tc_preflight_get_quota (self->preflight), &verdict))
    return g_steal_pointer (&verdict.message);

  return g_strdup (self->server_quota_message);
}

/* The fact rows, from what is known. */

static void
update_quota_fact (ImprintCreatePage *self)
{
  g_autofree char *text = NULL;

  guint quota = tc_preflight_get_quota (self->preflight);
  guint used = tc_preflight_get_used (self->preflight);

  switch (tc_preflight_get_quota_status (self->preflight)) {
  case TC_FACT_LOADING:
    imprint_fact_row_show (self->quota_fact, TC_FACT_LOADING, _("Checking…"), IMPRINT_FACT_MARK_NONE);
    g_clear_pointer (&self->quota_text, g_free);
    break;

  case TC_FACT_ERROR:
    imprint_fact_row_show (self->quota_fact, TC_FACT_ERROR, tc_preflight_get_quota_error (self->preflight),
               IMPRINT_FACT_MARK_NONE);
    g_clear_pointer (&self->quota_text, g_free);
    break;

  case TC_FACT_KNOWN:
    g_free (self->quota_text);
    self->quota_text = g_strdup_printf (
      /* Translators: how many custom images the region holds, of how many it allows, as
       * in “7 of 10 used”. The plural form follows the second number. */
      ngettext ("%u of %u used", "%u of %u used", quota),
      used, quota);
    if (self->quota_message != NULL)
      text = g_strdup_printf ("%s\n%s", self->quota_text, self->quota_message);
    imprint_fact_row_show (self->quota_fact, TC_FACT_KNOWN, text ? text : self->quota_text,
               self->quota_message ? IMPRINT_FACT_MARK_PROBLEM : IMPRINT_FACT_MARK_OK);
    break;

  case TC_FACT_IDLE:
  default:
    imprint_fact_row_show (self->quota_fact, TC_FACT_IDLE, self->quota_message, IMPRINT_FACT_MARK_NONE);
    g_clear_pointer (&self->quota_text, g_free);
    break;
  }
}

static void
update_name_fact (ImprintCreatePage *self,
                  gboolean           name_invalid)
{
  const char *name = get_name (self);
  const char *looked_up = tc_preflight_get_looked_up_name (self->preflight);
  TcFactStatus status = tc_preflight_get_name_status (self->preflight);
  g_autofree char *text = NULL;

  if (name_invalid) {
    imprint_fact_row_show (self->name_fact, TC_FACT_IDLE, _("Checked once the name is valid"), IMPRINT_FACT_MARK_NONE);
    return;
  }

  if (g_strcmp0 (tc_preflight_get_taken_name (self->preflight), name) == 0 && status != TC_FACT_LOADING) {
    /* Translators: %s is the image name the user typed. */
    text = g_strdup_printf (_("“%s” is already taken"), name);
    imprint_fact_row_show (self->name_fact, TC_FACT_KNOWN, text, IMPRINT_FACT_MARK_PROBLEM);
    return;
  }

  switch (status) {
  case TC_FACT_LOADING:
    imprint_fact_row_show (self->name_fact, TC_FACT_LOADING, _("Checking…"), IMPRINT_FACT_MARK_NONE);
    break;

  case TC_FACT_ERROR:
    imprint_fact_row_show (self->name_fact, TC_FACT_ERROR, tc_preflight_get_name_error (self->preflight),
               IMPRINT_FACT_MARK_NONE);
    break;

  case TC_FACT_KNOWN:
    if (g_strcmp0 (looked_up, name) == 0 && !tc_preflight_get_looked_up_taken (self->preflight)) {
      /* Translators: %s is the image name the user typed. */
      text = g_strdup_printf (_("“%s” is available"), name);
      imprint_fact_row_show (self->name_fact, TC_FACT_KNOWN, text, IMPRINT_FACT_MARK_OK);
    } else if (g_strcmp0 (looked_up, name) == 0) {
      text = g_strdup_printf (_("“%s” is already taken"), name);
      imprint_fact_row_show (self->name_fact, TC_FACT_KNOWN, text, IMPRINT_FACT_MARK_PROBLEM);
    } else {
      imprint_fact_row_show (self->name_fact, TC_FACT_LOADING, _("Checking…"), IMPRINT_FACT_MARK_NONE);
    }
    break;

  case TC_FACT_IDLE:
  default:
    imprint_fact_row_show (self->name_fact, TC_FACT_IDLE, _("Checked once the name is valid"), IMPRINT_FACT_MARK_NONE);
    break;
  }
}

static void
update_instance_fact (ImprintCreatePage *self)
{
  g_autofree char *text = NULL;
  TcInstanceState state;
  gboolean allowed;

  TcFactStatus status = tc_preflight_get_instance_status (self->preflight);

  if (chosen (self) == NULL) {
    imprint_fact_row_show (self->instance_fact, TC_FACT_IDLE, _("No instance chosen"), IMPRINT_FACT_MARK_NONE);
    return;
  }

  if (instance_gone (self)) {
    imprint_fact_row_show (self->instance_fact, TC_FACT_KNOWN, _("The instance no longer exists"),
               IMPRINT_FACT_MARK_PROBLEM);
    return;
  }

  state = tc_instance_get_state (chosen (self));
  allowed = tc_rules_check_instance_state (self->protocol, state, force_poweroff (self), NULL);

  if (status == TC_FACT_LOADING) {
    imprint_fact_row_show (self->instance_fact, TC_FACT_LOADING, _("Checking…"), IMPRINT_FACT_MARK_NONE);
    return;
  }

  if (allowed && state == TC_INSTANCE_STATE_RUNNING)
    /* Translators: %s is an instance state, such as “Running”. */
    text = g_strdup_printf (_("%s — it will be shut down first"), tc_instance_state_describe (state));
  else if (allowed)
    /* Translators: %s is an instance state, such as “Stopped”. */
    text = g_strdup_printf (_("%s — ready to be imaged"), tc_instance_state_describe (state));
  else
    /* Translators: %s is an instance state, such as “Starting”. */
    text = g_strdup_printf (_("%s — cannot be imaged now"), tc_instance_state_describe (state));

  if (status == TC_FACT_ERROR) {
    g_autofree char *with_error = NULL;

    /* The last known state still counts; the row says why it could not be refreshed. */
    with_error = g_strdup_printf ("%s\n%s", text, tc_preflight_get_instance_error (self->preflight));
    imprint_fact_row_show (self->instance_fact, TC_FACT_ERROR, with_error, IMPRINT_FACT_MARK_NONE);
    return;
  }

  imprint_fact_row_show (self->instance_fact, TC_FACT_KNOWN, text,
             allowed ? IMPRINT_FACT_MARK_OK : IMPRINT_FACT_MARK_PROBLEM);
}

/* The outcome of the last request. */

static TcImageRequest *build_request (ImprintCreatePage *self);

/* What the last Check or Create said (@job: %NULL forgets it): shown for as long as the
 * form asks for the same thing. */
static void
set_outcome (ImprintCreatePage *self,
             TcImageJob        *job)
{
  g_set_object (&self->outcome, job);
}

static const char *
outcome_text (ImprintCreatePage *self,
              gboolean          *ok)
{
  gboolean passed = self->outcome != NULL &&
                    tc_image_job_get_state (self->outcome) == TC_IMAGE_JOB_SUCCEEDED;

  if (ok != NULL)
    *ok = passed;
  if (self->outcome == NULL)
    return NULL;
  return passed ? _("Check passed: Tencent Cloud would accept this request.")
                : tc_image_job_get_summary (self->outcome);
}

/* Shows the outcome above the buttons, or forgets it once the form has changed. */
static void
update_outcome (ImprintCreatePage *self)
{
  gboolean ok;

  if (self->outcome != NULL && self->job == NULL) {
    g_autoptr(TcImageRequest) now = chosen (self) != NULL ? build_request (self) : NULL;

    if (now == NULL || !tc_image_job_asks_for (self->outcome, self->region, now))
      set_outcome (self, NULL);
  }

  if (self->outcome == NULL || self->job != NULL) {
    gtk_widget_set_visible (GTK_WIDGET (self->outcome_box), FALSE);
    return;
  }

  set_label_text (self->outcome_label, outcome_text (self, &ok));
  gtk_image_set_from_icon_name (self->outcome_icon, ok ? "emblem-ok-symbolic"
                                                       : "dialog-warning-symbolic");
  gtk_widget_remove_css_class (GTK_WIDGET (self->outcome_box), ok ? "error" : "success");
  gtk_widget_add_css_class (GTK_WIDGET (self->outcome_box), ok ? "success" : "error");
  gtk_widget_set_visible (GTK_WIDGET (self->outcome_box), TRUE);
}

/* Buttons and actions. */

static void
update_buttons (ImprintCreatePage *self)
{
  gboolean busy = self->job != NULL;
  gboolean checking = busy && tc_image_job_is_check (self->job);
  gboolean creating = busy && !tc_image_job_is_check (self->job);
  const char *check_text = checking ? _("Cancel") : _("Check");
  const char *create_text = creating ? _("Cancel") : _("Create Image");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "create-page.create",
                                 !busy && self->problem == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "create-page.check",
                                 !busy && self->problem == NULL && is_api3 (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "create-page.cancel", busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "create-page.choose-instance", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "create-page.add-tag",
                                 !busy && is_api3 (self));

  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->check_button),
                                  checking ? "create-page.cancel" : "create-page.check");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->create_button),
                                  creating ? "create-page.cancel" : "create-page.create");

  /* Each button's stack keeps it as wide as its widest face, so nothing jumps when it
   * turns into Cancel. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->check_stack),
                 checking ? "busy" : "idle") != 0 ||
      g_strcmp0 (gtk_stack_get_visible_child_name (self->create_stack),
                 creating ? "busy" : "idle") != 0 ||
      !self->buttons_labelled) {
    gtk_stack_set_visible_child_name (self->check_stack, checking ? "busy" : "idle");
    gtk_stack_set_visible_child_name (self->create_stack, creating ? "busy" : "idle");
    gtk_spinner_set_spinning (self->check_spinner, checking);
    gtk_spinner_set_spinning (self->create_spinner, creating);
    label_widget (GTK_WIDGET (self->check_button), check_text);
    label_widget (GTK_WIDGET (self->create_button), create_text);
    self->buttons_labelled = TRUE;
  }

  /* The suggested style is for the action that creates, not for Cancel. */
  if (creating)
    gtk_widget_remove_css_class (GTK_WIDGET (self->create_button), "suggested-action");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->create_button), "suggested-action");

  if (creating)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->create_button),
                                 _("Stop waiting for the answer"));
  else if (self->problem != NULL)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->create_button), self->problem);
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->create_button),
                                 _("Create the image (Ctrl+Enter)"));

  if (checking)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->check_button),
                                 _("Stop waiting for the answer"));
  else if (self->problem != NULL)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->check_button), self->problem);
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->check_button),
                                 _("Ask Tencent Cloud whether the request would succeed, "
                                   "without creating anything"));

  if (self->problem != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->create_button),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->problem,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self->create_button),
                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);

  gtk_widget_set_sensitive (self->form_box, !busy);
  update_outcome (self);
  /* A refusal the outcome already states is not said twice. */
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label),
                          self->problem != NULL && !busy &&
                          g_strcmp0 (self->problem, outcome_text (self, NULL)) != 0);
  set_label_text (self->problem_label, self->problem);

  /* The form was insensitive while the request was out: give the keyboard back. */
  if (!busy && self->restore_focus) {
    self->restore_focus = FALSE;
    if (self->focus_before != NULL && gtk_widget_is_sensitive (self->focus_before) &&
        gtk_widget_get_mapped (self->focus_before))
      gtk_widget_grab_focus (self->focus_before);
    g_clear_weak_pointer (&self->focus_before);
  }
}

/* Recomputes every message, the facts and what Create may do. Cheap: it only runs the
 * rules over what is on screen. */
static void
update_form (ImprintCreatePage *self)
{
  g_autofree char *instance_msg = NULL;
  g_autofree char *name_msg = NULL;
  g_autofree char *description_msg = NULL;
  g_autofree char *tags_msg = NULL;
  g_autofree char *quota_msg = NULL;
  g_autofree char *counter = NULL;
  g_auto(TcVerdict) verdict = { 0 };
  const char *name_shown;
  const char *problem = NULL;
  gboolean name_invalid = FALSE;
  guint length, max;

  instance_msg = instance_rule_message (self);
  name_msg = name_rule_message (self, &name_invalid);
  if (!tc_rules_check_description (self->protocol, get_description (self), &verdict))
    description_msg = g_steal_pointer (&verdict.message);
  else
    description_msg = g_strdup (self->server_description_message);
  tags_msg = check_tags (self);
  if (tags_msg == NULL)
    tags_msg = g_strdup (self->server_tags_message);
  quota_msg = quota_rule_message (self);

  /* An empty name is only called out once the user has typed and erased one: a fresh form
   * is not an error. It still explains why Create is insensitive. */
  name_shown = name_msg;
  if (!self->name_touched && *get_name (self) == '\0')
    name_shown = NULL;

  show_field_message (GTK_WIDGET (self->instance_row), self->instance_message, instance_msg);
  show_field_message (GTK_WIDGET (self->name_row), self->name_message_label, name_shown);
  show_field_message (GTK_WIDGET (self->description_row), self->description_message,
                      description_msg);
  show_field_message (GTK_WIDGET (self->tags_list), self->tags_message, tags_msg);
  gtk_widget_set_visible (GTK_WIDGET (self->tags_message), tags_msg != NULL && is_api3 (self));

  set_string (&self->instance_message_text, instance_msg);
  set_string (&self->name_message, name_shown);
  set_string (&self->description_message_text, description_msg);
  set_string (&self->tags_message_text, tags_msg);
  set_string (&self->quota_message, quota_msg);

  /* The counter turns red with the description, when it is too long. */
  length = tc_rules_count_characters (get_description (self));
  max = tc_rules_description_max_length (self->protocol);
  /* Translators: a character counter: how many characters there are, of how many allowed. */
  counter = g_strdup_printf (C_("character counter", "%u / %u"), length, max);
  set_label_text (self->description_counter, counter);
  if (length > max)
    gtk_widget_add_css_class (GTK_WIDGET (self->description_counter), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->description_counter), "error");

  update_quota_fact (self);
  update_name_fact (self, name_invalid);
  update_instance_fact (self);

  /* The first problem, top to bottom, as the form reads. */
  if (chosen (self) == NULL)
    problem = _("Choose an instance to image.");
  else if (instance_msg != NULL)
    problem = instance_msg;
  else if (name_msg != NULL)
    problem = name_msg;
  else if (description_msg != NULL)
    problem = description_msg;
  else if (tags_msg != NULL)
    problem = tags_msg;
  else if (quota_msg != NULL)
    problem = quota_msg;

  if (set_string (&self->problem, problem))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);

  update_buttons (self);
}

/* The region the user chose. */
static void
region_chosen_cb (ImprintCreatePage *self)
{
  const char *region = imprint_region_row_get_region (self->region_row);

  if (region != NULL)
    imprint_create_page_set_region (self, region);
}

/* The instance. */

static void
rebuild_disks (ImprintCreatePage *self)
{
  GPtrArray *disks = chosen (self) ? tc_instance_get_data_disks (chosen (self)) : NULL;
  g_autoptr(GString) ids = g_string_new (NULL);
  GtkWidget *child;

  for (guint i = 0; disks != NULL && i < disks->len; i++) {
    const TcDisk *disk = g_ptr_array_index (disks, i);

    g_string_append_printf (ids, "%s\n", disk->disk_id);
  }

  gtk_widget_set_visible (GTK_WIDGET (self->disks_group), is_api3 (self) && ids->len > 0);

  /* A refresh of the same instance keeps the disks as the user chose them. */
  if (g_strcmp0 (self->disk_ids, ids->str) == 0)
    return;
  g_free (self->disk_ids);
  self->disk_ids = g_strdup (ids->str);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->disks_list))) != NULL)
    gtk_list_box_remove (self->disks_list, child);

  for (guint i = 0; disks != NULL && i < disks->len; i++) {
    GtkWidget *row = imprint_disk_row_new (g_ptr_array_index (disks, i));

    g_signal_connect_object (row, "notify::active", G_CALLBACK (update_form), self,
                             G_CONNECT_SWAPPED);
    gtk_list_box_append (self->disks_list, row);
  }
}

static void
show_instance (ImprintCreatePage *self)
{
  TcInstance *instance = chosen (self);
  g_autofree char *subtitle = NULL;
  const char *badge_class;

  if (instance == NULL) {
    adw_action_row_set_subtitle (self->instance_row, _("No instance chosen"));
    gtk_widget_set_visible (GTK_WIDGET (self->instance_badge), FALSE);
  } else {
    const char *name = tc_instance_get_name (instance);
    const char *os = tc_instance_get_os_name (instance);

    /* The name and ID on one line, the operating system on the next, so a narrow window
     * wraps between them rather than inside them. */
    if (name != NULL && *name != '\0')
      /* Translators: the chosen instance: its name, then its ID. */
      subtitle = g_strdup_printf (_("%s (%s)"), name, tc_instance_get_id (instance));
    else
      subtitle = g_strdup (tc_instance_get_id (instance));
    if (os != NULL && *os != '\0') {
      char *with_os = g_strconcat (subtitle, "\n", os, NULL);

      g_free (subtitle);
      subtitle = with_os;
    }
    adw_action_row_set_subtitle (self->instance_row, subtitle);

    set_label_text (self->instance_badge, instance_gone (self)
                                            ? C_("instance state", "Deleted")
                                            : tc_instance_get_state_label (instance));
    badge_class = instance_gone (self) ? "error"
                                      : state_badge_class (tc_instance_get_state (instance));
    set_badge (GTK_WIDGET (self->instance_badge), badge_class);
    gtk_widget_set_visible (GTK_WIDGET (self->instance_badge), TRUE);
  }

  gtk_widget_set_visible (GTK_WIDGET (self->sysprep_row),
                          is_api3 (self) && instance != NULL && tc_instance_is_windows (instance));
  if (instance == NULL || !tc_instance_is_windows (instance))
    gtk_check_button_set_active (self->sysprep_check, FALSE);
  rebuild_disks (self);
}

/* What the preflight learnt: the instance row follows the instance, and the whole form
 * every fact. */
static void
preflight_notify_cb (ImprintCreatePage *self,
                     GParamSpec        *pspec)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "instance")) {
    /* A fresh copy: what the server said about its state before is stale. */
    g_clear_pointer (&self->server_instance_message, g_free);
    show_instance (self);
  } else if (g_str_equal (name, "instance-gone")) {
    show_instance (self);
  } else if (g_str_equal (name, "quota-status") &&
             tc_preflight_get_quota_status (self->preflight) == TC_FACT_KNOWN) {
    g_clear_pointer (&self->server_quota_message, g_free);
  }
  update_form (self);
}

static void
start_instance_refresh (ImprintCreatePage *self)
{
  tc_preflight_refresh_instance (self->preflight);
}

static void
start_quota_fetch (ImprintCreatePage *self)
{
  tc_preflight_refresh_quota (self->preflight);
}

static void
schedule_name_lookup (ImprintCreatePage *self,
                      guint              delay_ms)
{
  tc_preflight_look_up_name (self->preflight, get_name (self), delay_ms);
}

/* Retry buttons. */

static void
quota_retry_cb (ImprintCreatePage *self)
{
  start_quota_fetch (self);
  update_form (self);
}

static void
name_retry_cb (ImprintCreatePage *self)
{
  schedule_name_lookup (self, 0);
  update_form (self);
}

static void
instance_retry_cb (ImprintCreatePage *self)
{
  start_instance_refresh (self);
  update_form (self);
}

/* Field changes. */

static void
name_changed_cb (ImprintCreatePage *self)
{
  self->name_touched = TRUE;
  self->name_settled = FALSE;
  g_clear_pointer (&self->server_name_message, g_free);
  schedule_name_lookup (self, NAME_LOOKUP_DELAY_MS);
  update_form (self);
}

/* The user left the name field (or pressed Enter in it): the name stands as typed. */
static void
name_left_cb (ImprintCreatePage *self)
{
  if (self->name_settled)
    return;
  self->name_settled = TRUE;
  update_form (self);
}

static void
description_changed_cb (ImprintCreatePage *self)
{
  g_clear_pointer (&self->server_description_message, g_free);
  update_form (self);
}

static void
option_changed_cb (ImprintCreatePage *self)
{
  g_clear_pointer (&self->server_instance_message, g_free);
  update_form (self);
}

static void
tag_changed_cb (ImprintCreatePage *self)
{
  g_clear_pointer (&self->server_tags_message, g_free);
  update_form (self);
}

/* Tags. */

static void
renumber_tags (ImprintCreatePage *self)
{
  GtkListBoxRow *row;

  for (guint i = 0; (row = gtk_list_box_get_row_at_index (self->tags_list, (int) i)) != NULL; i++)
    imprint_tag_row_set_position (IMPRINT_TAG_ROW (row), i + 1);
  gtk_widget_set_visible (GTK_WIDGET (self->tags_list),
                          gtk_list_box_get_row_at_index (self->tags_list, 0) != NULL);
}

static void
remove_tag_cb (ImprintCreatePage *self,
               ImprintTagRow     *row)
{
  int index = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row));
  GtkListBoxRow *next;

  gtk_list_box_remove (self->tags_list, GTK_WIDGET (row));
  renumber_tags (self);
  g_clear_pointer (&self->server_tags_message, g_free);
  update_form (self);

  /* Keep the keyboard where it was: on the next tag, the previous one, or Add Tag. */
  next = gtk_list_box_get_row_at_index (self->tags_list, index);
  if (next == NULL && index > 0)
    next = gtk_list_box_get_row_at_index (self->tags_list, index - 1);
  if (next != NULL)
    imprint_tag_row_focus_key (IMPRINT_TAG_ROW (next));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->add_tag_button));
}

static ImprintTagRow *
append_tag (ImprintCreatePage *self,
            const char        *key,
            const char        *value)
{
  GtkWidget *row = imprint_tag_row_new (key, value);

  g_signal_connect_object (row, "changed", G_CALLBACK (tag_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "remove", G_CALLBACK (remove_tag_cb), self, G_CONNECT_SWAPPED);
  gtk_list_box_append (self->tags_list, row);
  renumber_tags (self);
  return IMPRINT_TAG_ROW (row);
}

static void
clear_tags (ImprintCreatePage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->tags_list))) != NULL)
    gtk_list_box_remove (self->tags_list, child);
  renumber_tags (self);
}

static void
add_tag_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  ImprintCreatePage *self = IMPRINT_CREATE_PAGE (widget);
  ImprintTagRow *row = append_tag (self, NULL, NULL);

  update_form (self);
  imprint_tag_row_focus_key (row);
}

/* Following new images: the tracker follows the history entry, the page shows it. */

static void
recent_finished_cb (ImprintCreatePage     *self,
                    gboolean               ok,
                    ImprintRecentImageRow *row)
{
  TcHistoryEntry *entry = imprint_recent_image_row_get_entry (row);

  g_signal_emit (self, signals[SIGNAL_IMAGE_FINISHED], 0,
                 tc_history_entry_get_image_name (entry), tc_history_entry_get_image_id (entry), ok);

  /* A new image counts against the quota from the start; a failed one may not. */
  if (!ok && g_strcmp0 (tc_history_entry_get_region (entry), self->region) == 0)
    start_quota_fetch (self);
  update_form (self);
}

static void
recent_copied_cb (ImprintCreatePage *self)
{
  toast (self, _("Image ID copied"));
}

static void
follow_entry (ImprintCreatePage *self,
              TcHistoryEntry    *entry)
{
  GtkWidget *row = imprint_recent_image_row_new (entry);

  g_signal_connect_object (row, "finished", G_CALLBACK (recent_finished_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "copied", G_CALLBACK (recent_copied_cb), self, G_CONNECT_SWAPPED);
  gtk_list_box_prepend (self->recent_list, row);
  gtk_widget_set_visible (GTK_WIDGET (self->recent_group), TRUE);
}

/* An entry removed from the history (Remove, Clear History) leaves Recent Images too. */
static void
history_changed_cb (ImprintCreatePage *self)
{
  GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list));

  while (row != NULL) {
    GtkWidget *next = gtk_widget_get_next_sibling (row);
    TcHistoryEntry *entry = imprint_recent_image_row_get_entry (IMPRINT_RECENT_IMAGE_ROW (row));

    if (tc_history_find_by_id (self->history, tc_history_entry_get_id (entry)) == NULL)
      gtk_list_box_remove (self->recent_list, row);
    row = next;
  }
  gtk_widget_set_visible (GTK_WIDGET (self->recent_group),
                          gtk_widget_get_first_child (GTK_WIDGET (self->recent_list)) != NULL);
}

/* Check and Create. */

/* Ends the job in flight (the form reads it no more); returns it. */
static TcImageJob *
end_job (ImprintCreatePage *self)
{
  TcImageJob *job = g_steal_pointer (&self->job);

  g_clear_object (&self->job_cancellable);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  return job;
}

static TcImageRequest *
build_request (ImprintCreatePage *self)
{
  TcImageRequest *request;
  g_autoptr(GPtrArray) disk_ids = g_ptr_array_new_with_free_func (g_free);
  GtkListBoxRow *row;

  request = tc_image_request_new (tc_instance_get_id (chosen (self)), get_name (self),
                                  empty_to_null (get_description (self)));
  if (!is_api3 (self))
    return request;

  request->force_poweroff = gtk_check_button_get_active (self->poweroff_check);
  request->sysprep = gtk_widget_get_visible (GTK_WIDGET (self->sysprep_row)) &&
                     gtk_check_button_get_active (self->sysprep_check);

  for (guint i = 0; (row = gtk_list_box_get_row_at_index (self->disks_list, (int) i)) != NULL; i++) {
    if (imprint_disk_row_get_active (IMPRINT_DISK_ROW (row)))
      g_ptr_array_add (disk_ids, g_strdup (imprint_disk_row_get_disk_id (IMPRINT_DISK_ROW (row))));
  }
  if (disk_ids->len > 0) {
    g_ptr_array_add (disk_ids, NULL);
    request->data_disk_ids = (GStrv) g_ptr_array_steal (disk_ids, NULL);
  }

  for (guint i = 0; (row = gtk_list_box_get_row_at_index (self->tags_list, (int) i)) != NULL; i++) {
    const char *key = imprint_tag_row_get_key (IMPRINT_TAG_ROW (row));

    if (*key != '\0')
      tc_image_request_add_tag (request, key, imprint_tag_row_get_value (IMPRINT_TAG_ROW (row)));
  }

  return request;
}

static void
reset_form (ImprintCreatePage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->description_row), "");
  clear_tags (self);
  self->name_touched = FALSE;
  self->name_settled = FALSE;
  g_clear_pointer (&self->server_name_message, g_free);
  g_clear_pointer (&self->server_description_message, g_free);
  g_clear_pointer (&self->server_tags_message, g_free);
}

/* Puts the server's reason under the field at fault (tc_rules_field_for_error() says
 * which), and makes the facts that the failure says are stale fetch again. Returns whether
 * a field took the reason. */
static gboolean
route_failure (ImprintCreatePage    *self,
               const TcImageRequest *request,
               const GError         *error)
{
  const char *server_message = tc_error_get_server_message (error);
  const char *reason = server_message != NULL && *server_message != '\0' ? server_message
                                                                          : error->message;

  switch (tc_rules_field_for_error (error)) {
  case TC_FIELD_NAME:
    if (g_error_matches (error, TC_ERROR, TC_ERROR_NAME_TAKEN))
      tc_preflight_mark_taken (self->preflight, request->name,
                               g_strcmp0 (get_name (self), request->name) == 0);
    else
      set_string (&self->server_name_message, reason);
    return TRUE;

  case TC_FIELD_DESCRIPTION:
    set_string (&self->server_description_message, reason);
    return TRUE;

  case TC_FIELD_TAGS:
    set_string (&self->server_tags_message, reason);
    return TRUE;

  case TC_FIELD_QUOTA:
    set_string (&self->server_quota_message, reason);
    start_quota_fetch (self);
    return TRUE;

  case TC_FIELD_INSTANCE:
    if (g_error_matches (error, TC_ERROR, TC_ERROR_NOT_FOUND)) {
      tc_preflight_mark_instance_gone (self->preflight);
    } else {
      set_string (&self->server_instance_message, reason);
      start_instance_refresh (self);
    }
    return TRUE;

  case TC_FIELD_NONE:
  case TC_FIELD_REGION:
  case TC_FIELD_DATA_DISKS:
  case TC_FIELD_CREDENTIALS:
  default:
    /* The form has no row of its own for these: the reason goes above the buttons. */
    return FALSE;
  }
}

static void
job_failed (ImprintCreatePage *self,
            TcImageJob        *job,
            const GError      *error)
{
  const TcImageRequest *request = tc_image_job_get_request (job);
  const char *server_message = tc_error_get_server_message (error);

  /* The field at fault shows the server's reason; otherwise it goes above the buttons. */
  if (!route_failure (self, request, error) && server_message != NULL && *server_message != '\0')
    set_label_text (self->result_message, server_message);
  else
    set_label_text (self->result_message, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->result_message),
                          *gtk_label_get_text (self->result_message) != '\0');

  set_outcome (self, job);
}

static void
job_succeeded (ImprintCreatePage *self,
               TcImageJob        *job)
{
  const TcImageRequest *request = tc_image_job_get_request (job);

  if (tc_image_job_is_check (job)) {
    set_outcome (self, job);
    return;
  }

  if (tc_image_job_get_entry (job) != NULL)
    follow_entry (self, tc_image_job_get_entry (job));

  /* The name is taken now, one more image counts against the quota, and a running
   * instance is being shut down: the facts are stale. */
  if (g_strcmp0 (tc_image_job_get_region (job), self->region) == 0) {
    tc_preflight_mark_taken (self->preflight, request->name, FALSE);
    reset_form (self);
    start_quota_fetch (self);
    start_instance_refresh (self);
  }
}

static void
job_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  ImprintCreatePage *self = user_data;
  TcImageJob *job = TC_IMAGE_JOB (object);
  g_autoptr(TcImageJob) ended = NULL;
  g_autoptr(GError) error = NULL;
  TcHistoryEntry *entry;

  /* Cancelled: the form forgot the job when it cancelled it, and may be gone. */
  if (!tc_image_job_run_finish (job, result, &error) && is_cancelled (error))
    return;

  ended = end_job (self);
  g_warn_if_fail (ended == job);

  /* The checks of one image, then its Create, go to one entry. */
  entry = tc_image_job_get_entry (job);
  if (entry != NULL)
    set_string (&self->attempt_id, tc_image_job_is_check (job) ? tc_history_entry_get_id (entry) : NULL);

  if (error != NULL)
    job_failed (self, job, error);
  else
    job_succeeded (self, job);
  g_signal_emit (self, signals[SIGNAL_JOB_FINISHED], 0, job);
  update_form (self);
}

/* The job looked at the instance again: the form shows it as it is now. */
static void
job_instance_cb (ImprintCreatePage *self,
                 GParamSpec        *pspec,
                 TcImageJob        *job)
{
  if (job == self->job)
    tc_preflight_update_instance (self->preflight, tc_image_job_get_instance (job));
}

static void
start_job (ImprintCreatePage *self,
           gboolean           check)
{
  g_autoptr(TcImageRequest) request = NULL;
  GtkRoot *root;
  GtkWidget *focus;

  /* Submitting settles the name: what was a word in progress is now the name, and a
   * trailing space stops the request here, said under the field. */
  if (self->job == NULL && !self->name_settled) {
    self->name_settled = TRUE;
    update_form (self);
    if (self->problem != NULL && gtk_widget_get_visible (GTK_WIDGET (self->name_message_label))) {
      gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
      return;
    }
  }

  /* One request at a time: a second activation while one is in flight does nothing. */
  if (self->job != NULL || self->problem != NULL || chosen (self) == NULL)
    return;
  if (check && !is_api3 (self))
    return;

  request = build_request (self);
  self->job = tc_image_job_new (self->client, self->region, chosen (self), request, check);
  self->job_cancellable = g_cancellable_new ();
  tc_image_job_set_history (self->job, self->history, self->account_id, self->account_name,
                            self->attempt_id);
  g_signal_connect_object (self->job, "notify::instance", G_CALLBACK (job_instance_cb), self,
                           G_CONNECT_SWAPPED);

  set_label_text (self->result_message, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->result_message), FALSE);

  /* The form goes insensitive while the request is out, which would drop the keyboard
   * focus: it waits on the button that now cancels, and comes back afterwards. */
  root = gtk_widget_get_root (GTK_WIDGET (self));
  focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  g_set_weak_pointer (&self->focus_before,
                      focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self)) ? focus
                                                                                      : NULL);
  self->restore_focus = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  update_form (self);
  gtk_widget_grab_focus (GTK_WIDGET (check ? self->check_button : self->create_button));

  tc_image_job_run_async (self->job, self->job_cancellable, job_done_cb, self);
}

static void
create_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  start_job (IMPRINT_CREATE_PAGE (widget), FALSE);
}

static void
check_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  start_job (IMPRINT_CREATE_PAGE (widget), TRUE);
}

/* Ends the request in flight at once; its callback will find the cancellation. */
static void
cancel_operation (ImprintCreatePage *self)
{
  g_autoptr(TcImageJob) job = NULL;

  if (self->job == NULL)
    return;

  g_cancellable_cancel (self->job_cancellable);
  job = end_job (self);

  /* The request may have reached the server before it was cancelled: look again. */
  if (!tc_image_job_is_check (job) && g_strcmp0 (tc_image_job_get_region (job), self->region) == 0) {
    start_quota_fetch (self);
    schedule_name_lookup (self, 0);
  }
  update_form (self);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  cancel_operation (IMPRINT_CREATE_PAGE (widget));
}

/* A running instance chosen in the picker comes with the user's agreement to shut it
 * down, which the form's check button then shows. */
static void
instance_chosen_cb (ImprintCreatePage     *self,
                    TcInstance            *instance,
                    ImprintInstancePicker *picker)
{
  if (imprint_instance_picker_get_force_poweroff (picker))
    gtk_check_button_set_active (self->poweroff_check, TRUE);
  imprint_create_page_set_instance (self, instance);
}

static void
choose_instance_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  ImprintCreatePage *self = IMPRINT_CREATE_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  ImprintInstancePicker *picker;

  if (self->client == NULL || self->region == NULL || self->job != NULL)
    return;

  picker = imprint_instance_picker_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        self->client, self->region, force_poweroff (self));
  g_signal_connect_object (picker, "instance-chosen", G_CALLBACK (instance_chosen_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (picker));
}

/* Client and region. */

/* Everything fetched for a region starts again. */
static void
region_changed (ImprintCreatePage *self)
{
  /* Another account or region: the preflight starts over. */
  tc_preflight_set_client (self->preflight, self->client);
  tc_preflight_set_region (self->preflight, self->region);
  g_clear_pointer (&self->server_quota_message, g_free);
  g_clear_pointer (&self->server_name_message, g_free);
  set_label_text (self->result_message, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->result_message), FALSE);

  imprint_create_page_set_instance (self, NULL);
  if (self->client != NULL && self->region != NULL) {
    start_quota_fetch (self);
    schedule_name_lookup (self, 0);
  }
  update_form (self);
}

static void
apply_protocol (ImprintCreatePage *self)
{
  gboolean api3 = is_api3 (self);

  gtk_widget_set_visible (GTK_WIDGET (self->options_group), api3);
  gtk_widget_set_visible (GTK_WIDGET (self->tags_group), api3);
  gtk_widget_set_visible (GTK_WIDGET (self->check_button), api3);
  if (!api3) {
    gtk_check_button_set_active (self->poweroff_check, FALSE);
    gtk_check_button_set_active (self->sysprep_check, FALSE);
    clear_tags (self);
  }
}

/* Starts over with the current client: protocol, regions, then the region's facts. */
static void
apply_client (ImprintCreatePage *self)
{
  self->protocol = tc_client_get_protocol (self->client);
  apply_protocol (self);
  imprint_region_row_load (self->region_row, self->client);

  if (self->region == NULL) {
    GListModel *regions = adw_combo_row_get_model (ADW_COMBO_ROW (self->region_row));
    g_autoptr(TcRegion) first = g_list_model_get_item (regions, 0);

    self->region = g_strdup (first ? tc_region_get_region (first) : "ap-guangzhou");
    imprint_region_row_set_region (self->region_row, self->region);
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGION]);
  }
  region_changed (self);
}

/* Public API. */

/**
 * imprint_create_page_new:
 * @client: the account's client
 * @region: (nullable): the region to start in; %NULL picks the first known one
 *
 * Returns: (transfer floating): a new image form
 */
ImprintCreatePage *
imprint_create_page_new (TcClient   *client,
                         const char *region)
{
  g_return_val_if_fail (TC_IS_CLIENT (client), NULL);

  return g_object_new (IMPRINT_TYPE_CREATE_PAGE,
                       "client", client,
                       "region", region,
                       NULL);
}

/**
 * imprint_create_page_get_client:
 *
 * Returns: (transfer none): the client requests are made with
 */
TcClient *
imprint_create_page_get_client (ImprintCreatePage *self)
{
  g_return_val_if_fail (IMPRINT_IS_CREATE_PAGE (self), NULL);

  return self->client;
}

/**
 * imprint_create_page_set_client:
 * @client: the account's client
 *
 * Switches the form to another account: the regions, the instance and every fact are
 * fetched again. A request in flight is cancelled; images already being followed keep
 * being followed with the client that made them.
 */
void
imprint_create_page_set_client (ImprintCreatePage *self,
                                TcClient          *client)
{
  g_return_if_fail (IMPRINT_IS_CREATE_PAGE (self));
  g_return_if_fail (client == NULL || TC_IS_CLIENT (client));

  if (self->client == client)
    return;

  cancel_operation (self);
  g_set_object (&self->client, client);
  if (self->constructed && client != NULL)
    apply_client (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

const char *
imprint_create_page_get_region (ImprintCreatePage *self)
{
  g_return_val_if_fail (IMPRINT_IS_CREATE_PAGE (self), NULL);

  return self->region;
}

/**
 * imprint_create_page_set_region:
 * @region: a region such as `ap-guangzhou`
 *
 * Changing the region clears the chosen instance and fetches the facts again.
 */
void
imprint_create_page_set_region (ImprintCreatePage *self,
                                const char        *region)
{
  g_return_if_fail (IMPRINT_IS_CREATE_PAGE (self));

  if (region != NULL && *region == '\0')
    region = NULL;
  if (g_strcmp0 (self->region, region) == 0 || (region == NULL && self->region != NULL))
    return;

  cancel_operation (self);
  set_string (&self->region, region);
  if (self->constructed && self->client != NULL) {
    imprint_region_row_set_region (self->region_row, self->region);
    region_changed (self);
  }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGION]);
}

/**
 * imprint_create_page_get_history:
 *
 * Returns: (transfer none) (nullable): where requests are recorded
 */
TcHistory *
imprint_create_page_get_history (ImprintCreatePage *self)
{
  g_return_val_if_fail (IMPRINT_IS_CREATE_PAGE (self), NULL);

  return self->history;
}

/**
 * imprint_create_page_set_history:
 * @history: (nullable): where every Check and Create is recorded
 */
void
imprint_create_page_set_history (ImprintCreatePage *self,
                                 TcHistory         *history)
{
  g_return_if_fail (IMPRINT_IS_CREATE_PAGE (self));
  g_return_if_fail (history == NULL || TC_IS_HISTORY (history));

  if (self->history == history)
    return;

  if (self->history != NULL)
    g_signal_handlers_disconnect_by_func (self->history, history_changed_cb, self);
  g_set_object (&self->history, history);
  if (history != NULL)
    g_signal_connect_object (history, "items-changed", G_CALLBACK (history_changed_cb), self,
                             G_CONNECT_SWAPPED);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HISTORY]);
}

const char *
imprint_create_page_get_account_name (ImprintCreatePage *self)
{
  g_return_val_if_fail (IMPRINT_IS_CREATE_PAGE (self), NULL);

  return self->account_name;
}

/**
 * imprint_create_page_set_account_name:
 * @account_name: (nullable): the name recorded with each request (the client's account)
 */
void
imprint_create_page_set_account_name (ImprintCreatePage *self,
                                      const char        *account_name)
{
  g_return_if_fail (IMPRINT_IS_CREATE_PAGE (self));

  if (set_string (&self->account_name, account_name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT_NAME]);
}

static void
template_instance_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  ImprintCreatePage *self = user_data;
  g_autoptr(TcInstance) instance = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) disk_ids = NULL;
  GtkListBoxRow *row;

  instance = tc_cvm_get_instance_finish (TC_CLIENT (object), result, &error);
  if (is_cancelled (error))
    return;

  disk_ids = g_steal_pointer (&self->template_disk_ids);
  if (instance == NULL) {
    if (g_error_matches (error, TC_ERROR, TC_ERROR_NOT_FOUND))
      toast (self, _("The instance of that request no longer exists. Choose another instance."));
    else
      toast (self, error->message);
    return;
  }

  imprint_create_page_set_instance (self, instance);

  /* The data disks of the template that the instance still has. */
  for (guint i = 0; disk_ids != NULL &&
                    (row = gtk_list_box_get_row_at_index (self->disks_list, (int) i)) != NULL; i++) {
    const char *disk_id = imprint_disk_row_get_disk_id (IMPRINT_DISK_ROW (row));

    if (g_strv_contains ((const char * const *) disk_ids, disk_id))
      imprint_disk_row_set_active (IMPRINT_DISK_ROW (row), TRUE);
  }
}

/**
 * imprint_create_page_use_template:
 * @request: what an earlier request asked for
 * @region: (nullable): where it was sent
 *
 * Fills the form as @request was (“Use as template”): region, name, description, options
 * and tags at once; the instance once it has been fetched again (a toast says so when it
 * no longer exists). A request in flight is left alone: nothing changes then.
 */
void
imprint_create_page_use_template (ImprintCreatePage    *self,
                                  const TcImageRequest *request,
                                  const char           *region)
{
  g_return_if_fail (IMPRINT_IS_CREATE_PAGE (self));
  g_return_if_fail (request != NULL);

  if (self->job != NULL)
    return;

  if (region != NULL)
    imprint_create_page_set_region (self, region);
  imprint_create_page_set_image_name (self, request->name);
  /* A name that was sent before is no word in progress. */
  self->name_settled = TRUE;
  imprint_create_page_set_description (self, request->description);
  clear_tags (self);
  if (is_api3 (self)) {
    gtk_check_button_set_active (self->poweroff_check, request->force_poweroff);
    gtk_check_button_set_active (self->sysprep_check, request->sysprep);
    for (guint i = 0; request->tags != NULL && i < request->tags->len; i++) {
      const TcTag *tag = g_ptr_array_index (request->tags, i);

      append_tag (self, tag->key, tag->value);
    }
  }
  update_form (self);

  g_clear_pointer (&self->template_disk_ids, g_strfreev);
  self->template_disk_ids = g_strdupv (request->data_disk_ids);
  if (self->client != NULL && request->instance_id != NULL && self->region != NULL)
    tc_cvm_get_instance_async (self->client, self->region, request->instance_id,
                               renew_cancellable (&self->template_cancellable),
                               template_instance_cb, self);
}

/**
 * imprint_create_page_add_toast:
 * @toast: (transfer full): a toast
 *
 * Shows @toast over the form, where it never covers Check and Create Image.
 */
void
imprint_create_page_add_toast (ImprintCreatePage *self,
                               AdwToast          *toast)
{
  g_return_if_fail (IMPRINT_IS_CREATE_PAGE (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/**
 * imprint_create_page_get_outcome:
 * @ok: (out) (optional): whether the request would succeed or was accepted
 *
 * Returns: (nullable): what the last Check or Create said, as shown above the buttons, or
 *   %NULL once the form asks for something else
 */
const char *
imprint_create_page_get_outcome (ImprintCreatePage *self,
                                 gboolean          *ok)
{
  g_return_val_if_fail (IMPRINT_IS_CREATE_PAGE (self), NULL);

  return outcome_text (self, ok);
}

/**
 * imprint_create_page_get_instance:
 *
 * Returns: (transfer none) (nullable): the chosen instance, as last fetched
 */
TcInstance *
imprint_create_page_get_instance (ImprintCreatePage *self)
{
  g_return_val_if_fail (IMPRINT_IS_CREATE_PAGE (self), NULL);

  return chosen (self);
}

/**
 * imprint_create_page_set_instance:
 * @instance: (nullable): the instance to image, or %NULL to clear the choice
 *
 * What the instance picker calls. The instance's state is fetched again at once.
 */
void
imprint_create_page_set_instance (ImprintCreatePage *self,
                                  TcInstance        *instance)
{
  g_return_if_fail (IMPRINT_IS_CREATE_PAGE (self));
  g_return_if_fail (instance == NULL || TC_IS_INSTANCE (instance));

  if (self->job != NULL)
    return;

  g_clear_pointer (&self->server_instance_message, g_free);
  tc_preflight_set_instance (self->preflight, instance);
  show_instance (self);
  update_form (self);
}

const char *
imprint_create_page_get_image_name (ImprintCreatePage *self)
{
  g_return_val_if_fail (IMPRINT_IS_CREATE_PAGE (self), NULL);

  return get_name (self);
}

void
imprint_create_page_set_image_name (ImprintCreatePage *self,
                                    const char        *name)
{
  g_return_if_fail (IMPRINT_IS_CREATE_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name ? name : "");
}

const char *
imprint_create_page_get_description (ImprintCreatePage *self)
{
  g_return_val_if_fail (IMPRINT_IS_CREATE_PAGE (self), NULL);

  return get_description (self);
}

void
imprint_create_page_set_description (ImprintCreatePage *self,
                                     const char        *description)
{
  g_return_if_fail (IMPRINT_IS_CREATE_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->description_row), description ? description : "");
}

gboolean
imprint_create_page_get_force_poweroff (ImprintCreatePage *self)
{
  g_return_val_if_fail (IMPRINT_IS_CREATE_PAGE (self), FALSE);

  return force_poweroff (self);
}

/**
 * imprint_create_page_set_force_poweroff:
 *
 * Turns “Shut down before imaging” on or off (API 3.0 only; ignored for the legacy API).
 */
void
imprint_create_page_set_force_poweroff (ImprintCreatePage *self,
                                        gboolean           value)
{
  g_return_if_fail (IMPRINT_IS_CREATE_PAGE (self));

  if (is_api3 (self))
    gtk_check_button_set_active (self->poweroff_check, value);
}

void
imprint_create_page_add_tag (ImprintCreatePage *self,
                             const char        *key,
                             const char        *value)
{
  g_return_if_fail (IMPRINT_IS_CREATE_PAGE (self));

  if (!is_api3 (self))
    return;
  append_tag (self, key, value);
  update_form (self);
}

guint
imprint_create_page_get_n_tags (ImprintCreatePage *self)
{
  guint n = 0;

  g_return_val_if_fail (IMPRINT_IS_CREATE_PAGE (self), 0);

  while (gtk_list_box_get_row_at_index (self->tags_list, (int) n) != NULL)
    n++;
  return n;
}

/**
 * imprint_create_page_get_problem:
 *
 * Returns: (nullable): why Create is insensitive (what its tooltip says), or %NULL when
 *   the form may be sent
 */
const char *
imprint_create_page_get_problem (ImprintCreatePage *self)
{
  g_return_val_if_fail (IMPRINT_IS_CREATE_PAGE (self), NULL);

  return self->problem;
}

gboolean
imprint_create_page_is_busy (ImprintCreatePage *self)
{
  g_return_val_if_fail (IMPRINT_IS_CREATE_PAGE (self), FALSE);

  return self->job != NULL;
}

const char *
imprint_create_page_get_field_message (ImprintCreatePage *self,
                                       const char        *field)
{
  g_return_val_if_fail (IMPRINT_IS_CREATE_PAGE (self), NULL);
  g_return_val_if_fail (field != NULL, NULL);

  if (g_str_equal (field, "name"))
    return self->name_message;
  if (g_str_equal (field, "description"))
    return self->description_message_text;
  if (g_str_equal (field, "instance"))
    return self->instance_message_text;
  if (g_str_equal (field, "tags"))
    return self->tags_message_text;
  if (g_str_equal (field, "quota"))
    return self->quota_message;

  g_return_val_if_reached (NULL);
}

const char *
imprint_create_page_get_fact_text (ImprintCreatePage *self,
                                   const char        *fact)
{
  g_return_val_if_fail (IMPRINT_IS_CREATE_PAGE (self), NULL);
  g_return_val_if_fail (fact != NULL, NULL);

  if (g_str_equal (fact, "quota"))
    return imprint_fact_row_get_text (self->quota_fact);
  if (g_str_equal (fact, "name"))
    return imprint_fact_row_get_text (self->name_fact);
  if (g_str_equal (fact, "instance"))
    return imprint_fact_row_get_text (self->instance_fact);

  g_return_val_if_reached (NULL);
}

const char *
imprint_create_page_get_quota_text (ImprintCreatePage *self)
{
  g_return_val_if_fail (IMPRINT_IS_CREATE_PAGE (self), NULL);

  return self->quota_text;
}

guint
imprint_create_page_get_n_recent (ImprintCreatePage *self)
{
  guint n = 0;

  g_return_val_if_fail (IMPRINT_IS_CREATE_PAGE (self), 0);

  while (gtk_list_box_get_row_at_index (self->recent_list, (int) n) != NULL)
    n++;
  return n;
}

TcImageState
imprint_create_page_get_recent_state (ImprintCreatePage *self,
                                      const char        *name)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (IMPRINT_IS_CREATE_PAGE (self), TC_IMAGE_STATE_UNKNOWN);

  for (guint i = 0; (row = gtk_list_box_get_row_at_index (self->recent_list, (int) i)) != NULL; i++) {
    TcHistoryEntry *entry = imprint_recent_image_row_get_entry (IMPRINT_RECENT_IMAGE_ROW (row));

    if (g_strcmp0 (tc_history_entry_get_image_name (entry), name) == 0) {
      switch (tc_history_entry_get_outcome (entry)) {
      case TC_HISTORY_OUTCOME_CREATING:
        return TC_IMAGE_STATE_CREATING;
      case TC_HISTORY_OUTCOME_READY:
        return TC_IMAGE_STATE_NORMAL;
      case TC_HISTORY_OUTCOME_FAILED:
        return TC_IMAGE_STATE_CREATEFAILED;
      case TC_HISTORY_OUTCOME_DRY_RUN_PASSED:
      case TC_HISTORY_OUTCOME_DRY_RUN_FAILED:
      case TC_HISTORY_OUTCOME_REQUEST_FAILED:
      default:
        return TC_IMAGE_STATE_UNKNOWN;
      }
    }
  }
  return TC_IMAGE_STATE_UNKNOWN;
}

/* GObject. */

static void
imprint_create_page_constructed (GObject *object)
{
  ImprintCreatePage *self = IMPRINT_CREATE_PAGE (object);

  G_OBJECT_CLASS (imprint_create_page_parent_class)->constructed (object);

  self->constructed = TRUE;
  if (self->client != NULL)
    apply_client (self);
  else
    update_form (self);
}

static void
imprint_create_page_dispose (GObject *object)
{
  ImprintCreatePage *self = IMPRINT_CREATE_PAGE (object);
  GtkWidget *child;

  if (self->preflight != NULL)
    g_signal_handlers_disconnect_by_data (self->preflight, self);
  g_clear_object (&self->preflight);
  cancel_and_clear (&self->job_cancellable);
  g_clear_object (&self->job);
  g_clear_object (&self->outcome);
  g_clear_weak_pointer (&self->focus_before);
  cancel_and_clear (&self->template_cancellable);
  if (self->history != NULL)
    g_signal_handlers_disconnect_by_func (self->history, history_changed_cb, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), IMPRINT_TYPE_CREATE_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->client);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (imprint_create_page_parent_class)->dispose (object);
}

static void
imprint_create_page_finalize (GObject *object)
{
  ImprintCreatePage *self = IMPRINT_CREATE_PAGE (object);

  g_free (self->region);
  g_free (self->account_name);
  g_free (self->account_id);
  g_free (self->attempt_id);
  g_strfreev (self->template_disk_ids);
  g_free (self->disk_ids);
  g_free (self->server_name_message);
  g_free (self->server_description_message);
  g_free (self->server_instance_message);
  g_free (self->server_quota_message);
  g_free (self->server_tags_message);
  g_free (self->name_message);
  g_free (self->description_message_text);
  g_free (self->instance_message_text);
  g_free (self->tags_message_text);
  g_free (self->quota_message);
  g_free (self->quota_text);
  g_free (self->problem);

  G_OBJECT_CLASS (imprint_create_page_parent_class)->finalize (object);
}

static void
imprint_create_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  ImprintCreatePage *self = IMPRINT_CREATE_PAGE (object);

  switch (prop_id) {
  case PROP_CLIENT:
    g_value_set_object (value, self->client);
    break;
  case PROP_REGION:
    g_value_set_string (value, self->region);
    break;
  case PROP_HISTORY:
    g_value_set_object (value, self->history);
    break;
  case PROP_ACCOUNT_NAME:
    g_value_set_string (value, self->account_name);
    break;
  case PROP_ACCOUNT_ID:
    g_value_set_string (value, self->account_id);
    break;
  case PROP_BUSY:
    g_value_set_boolean (value, self->job != NULL);
    break;
  case PROP_PROBLEM:
    g_value_set_string (value, self->problem);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
imprint_create_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  ImprintCreatePage *self = IMPRINT_CREATE_PAGE (object);

  switch (prop_id) {
  case PROP_CLIENT:
    imprint_create_page_set_client (self, g_value_get_object (value));
    break;
  case PROP_REGION:
    imprint_create_page_set_region (self, g_value_get_string (value));
    break;
  case PROP_HISTORY:
    imprint_create_page_set_history (self, g_value_get_object (value));
    break;
  case PROP_ACCOUNT_NAME:
    imprint_create_page_set_account_name (self, g_value_get_string (value));
    break;
  case PROP_ACCOUNT_ID:
    if (set_string (&self->account_id, g_value_get_string (value))) {
      g_clear_pointer (&self->attempt_id, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT_ID]);
    }
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
imprint_create_page_class_init (ImprintCreatePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (IMPRINT_TYPE_FACT_ROW);
  g_type_ensure (IMPRINT_TYPE_REGION_ROW);

  object_class->constructed = imprint_create_page_constructed;
  object_class->dispose = imprint_create_page_dispose;
  object_class->finalize = imprint_create_page_finalize;
  object_class->get_property = imprint_create_page_get_property;
  object_class->set_property = imprint_create_page_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         TC_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REGION] =
    g_param_spec_string ("region", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL,
                         TC_TYPE_HISTORY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCOUNT_NAME] =
    g_param_spec_string ("account-name", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The account's id (TcAccount:id): history entries follow the account, not its name. */
  properties[PROP_ACCOUNT_ID] =
    g_param_spec_string ("account-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ImprintCreatePage::toast:
   * @text: plain text (not markup) saying what happened
   */
  signals[SIGNAL_TOAST] =
    g_signal_new ("toast",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * ImprintCreatePage::image-finished:
   * @name: the image's name
   * @image_id: (nullable): its ID, when known
   * @ok: %TRUE when the image is ready, %FALSE when it failed
   */
  signals[SIGNAL_IMAGE_FINISHED] =
    g_signal_new ("image-finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_BOOLEAN);

  /**
   * ImprintCreatePage::job-finished:
   * @job: a Check or Create that ended (SUCCEEDED or FAILED, never CANCELLED)
   *
   * What the window tells the user: tc_image_job_get_summary() is the toast, and
   * tc_image_job_get_entry() (when one was recorded) the details it offers.
   */
  signals[SIGNAL_JOB_FINISHED] =
    g_signal_new ("job-finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, TC_TYPE_IMAGE_JOB);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/imprint/Imprint/imprint-create-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "imprintcreatepage");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, form_box);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, region_row);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, region_caption);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, instance_row);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, instance_badge);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, choose_button);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, instance_message);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, name_row);
  gtk_widget_class_bind_template_child_full (widget_class, "name_message", FALSE,
                                             G_STRUCT_OFFSET (ImprintCreatePage, name_message_label));
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, description_row);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, description_counter);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, description_message);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, options_group);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, poweroff_row);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, poweroff_check);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, sysprep_row);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, sysprep_check);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, disks_group);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, disks_list);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, tags_group);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, tags_list);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, add_tag_button);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, tags_message);
  gtk_widget_class_bind_template_child_full (widget_class, "quota_row", FALSE,
                                             G_STRUCT_OFFSET (ImprintCreatePage, quota_fact));
  gtk_widget_class_bind_template_child_full (widget_class, "name_fact_row", FALSE,
                                             G_STRUCT_OFFSET (ImprintCreatePage, name_fact));
  gtk_widget_class_bind_template_child_full (widget_class, "instance_fact_row", FALSE,
                                             G_STRUCT_OFFSET (ImprintCreatePage, instance_fact));
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, outcome_box);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, outcome_icon);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, outcome_label);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, result_message);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, problem_label);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, check_button);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, check_stack);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, check_spinner);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, create_button);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, create_stack);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, create_spinner);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, recent_group);
  gtk_widget_class_bind_template_child (widget_class, ImprintCreatePage, recent_list);

  gtk_widget_class_bind_template_callback (widget_class, name_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, name_left_cb);
  gtk_widget_class_bind_template_callback (widget_class, description_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, option_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, quota_retry_cb);
  gtk_widget_class_bind_template_callback (widget_class, name_retry_cb);
  gtk_widget_class_bind_template_callback (widget_class, instance_retry_cb);

  gtk_widget_class_install_action (widget_class, "create-page.create", NULL, create_action);
  gtk_widget_class_install_action (widget_class, "create-page.check", NULL, check_action);
  gtk_widget_class_install_action (widget_class, "create-page.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "create-page.choose-instance", NULL,
                                   choose_instance_action);
  gtk_widget_class_install_action (widget_class, "create-page.add-tag", NULL, add_tag_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "create-page.create", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "create-page.create", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_ISO_Enter, GDK_CONTROL_MASK,
                                       "create-page.create", NULL);
}

static void
imprint_create_page_init (ImprintCreatePage *self)
{
  self->protocol = TC_PROTOCOL_API3;
  self->preflight = tc_preflight_new (NULL, NULL);
  g_signal_connect_object (self->preflight, "notify", G_CALLBACK (preflight_notify_cb), self,
                           G_CONNECT_SWAPPED);

  gtk_widget_init_template (GTK_WIDGET (self));
  imprint_a11y_name_buttons (GTK_WIDGET (self));
  imprint_a11y_watch_toasts (GTK_WIDGET (self->toast_overlay));

  /* Leaving the name field settles the name (a word in progress becomes the name). */
  {
    GtkEventController *focus = gtk_event_controller_focus_new ();

    g_signal_connect_object (focus, "leave", G_CALLBACK (name_left_cb), self, G_CONNECT_SWAPPED);
    gtk_widget_add_controller (GTK_WIDGET (self->name_row), focus);
  }

  g_signal_connect_object (self->region_row, "notify::region", G_CALLBACK (region_chosen_cb), self,
                           G_CONNECT_SWAPPED);
  g_object_bind_property (self->region_row, "builtin", self->region_caption, "visible",
                          G_BINDING_SYNC_CREATE);

  /* The check buttons are named by their rows (libadwaita relates them) and Add Tag by its
   * label; the Choose button would be named "Choose… Instance" (its label and its row's
   * title run together in GTK 4.8): it is named as it reads, its row says what for. */
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (self->choose_button),
                                 GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  label_widget (GTK_WIDGET (self->choose_button), _("Choose…"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->choose_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Choose the instance to make the image from"),
                                  -1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->tags_list),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, self->tags_group, NULL,
                                  -1);
}
