/* imprint-create-page-form.c: what the image form shows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything on screen follows from what is typed and what is known: the form update runs
 * the rules (tc-rules) over the fields, says what the TcPreflight facts mean, keeps the
 * last job's answer while the form still asks the same, and decides what Check and
 * Create may do. It is cheap and runs on every change.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "imprint-create-page-private.h"

/* Small helpers. */

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

/* Validation. */

const char *
_imprint_create_page_get_name (ImprintCreatePage *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->name_row));
}

const char *
_imprint_create_page_get_description (ImprintCreatePage *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->description_row));
}

gboolean
_imprint_create_page_force_poweroff (ImprintCreatePage *self)
{
  return is_api3 (self) && gtk_check_button_get_active (self->poweroff_check);
}

/* The draft follows the form: what is on screen, as the rules see it. */
static void
sync_draft (ImprintCreatePage *self)
{
  g_autoptr(GStrvBuilder) keys = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) values = g_strv_builder_new ();
  g_auto(GStrv) key_list = NULL;
  g_auto(GStrv) value_list = NULL;
  GtkListBoxRow *row;

  tc_image_draft_set_protocol (self->draft, self->protocol);
  tc_image_draft_set_name (self->draft, _imprint_create_page_get_name (self), self->name_settled);
  tc_image_draft_set_description (self->draft, _imprint_create_page_get_description (self));
  tc_image_draft_set_force_poweroff (self->draft, _imprint_create_page_force_poweroff (self));
  for (guint i = 0; (row = gtk_list_box_get_row_at_index (self->tags_list, (int) i)) != NULL; i++) {
    g_strv_builder_add (keys, imprint_tag_row_get_key (IMPRINT_TAG_ROW (row)));
    g_strv_builder_add (values, imprint_tag_row_get_value (IMPRINT_TAG_ROW (row)));
  }
  key_list = g_strv_builder_end (keys);
  value_list = g_strv_builder_end (values);
  tc_image_draft_set_tags (self->draft, (const char * const *) key_list,
                           (const char * const *) value_list);
}

/* Each tag's own problem, on its key. */
static void
mark_tags (ImprintCreatePage *self)
{
  GtkListBoxRow *row;

  for (guint i = 0; (row = gtk_list_box_get_row_at_index (self->tags_list, (int) i)) != NULL; i++) {
    g_autofree char *message = tc_image_draft_check_tag (self->draft, i);

    imprint_tag_row_set_problem (IMPRINT_TAG_ROW (row), message);
  }
}

static void
show_fact (ImprintCreatePage *self,
           ImprintFactRow    *row,
           TcDraftFact        fact)
{
  TcFactStatus status;
  TcDraftMark mark;
  g_autofree char *text = tc_image_draft_describe_fact (self->draft, fact, &status, &mark);

  imprint_fact_row_show (row, status, text, mark);
}

/* The outcome of the last request. */

/* What the last Check or Create said (@job: %NULL forgets it): shown for as long as the
 * form asks for the same thing. */
void
_imprint_create_page_set_outcome (ImprintCreatePage *self,
             TcImageJob        *job)
{
  g_set_object (&self->outcome, job);
}

const char *
_imprint_create_page_outcome_text (ImprintCreatePage *self,
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
    g_autoptr(TcImageRequest) now = chosen (self) != NULL ? _imprint_create_page_build_request (self) : NULL;

    /* The server's reason above the buttons was about that request too. */
    if (now == NULL || !tc_image_job_asks_for (self->outcome, self->region, now)) {
      _imprint_create_page_set_outcome (self, NULL);
      set_label_text (self->result_message, NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->result_message), FALSE);
    } else if (tc_image_job_get_state (self->outcome) == TC_IMAGE_JOB_SUCCEEDED) {
      g_autofree char *problem = tc_image_draft_dup_problem (self->draft);

      /* A check passed, then a fact changed (the instance started, the quota filled up,
       * the name was taken): it no longer says what Create would meet. */
      if (problem != NULL)
        _imprint_create_page_set_outcome (self, NULL);
    }
  }

  if (self->outcome == NULL || self->job != NULL) {
    gtk_widget_set_visible (GTK_WIDGET (self->outcome_box), FALSE);
    return;
  }

  set_label_text (self->outcome_label, _imprint_create_page_outcome_text (self, &ok));
  gtk_image_set_from_icon_name (self->outcome_icon, ok ? "emblem-ok-symbolic"
                                                       : "dialog-warning-symbolic");
  gtk_widget_remove_css_class (GTK_WIDGET (self->outcome_box), ok ? "error" : "success");
  gtk_widget_add_css_class (GTK_WIDGET (self->outcome_box), ok ? "success" : "error");
  gtk_widget_set_visible (GTK_WIDGET (self->outcome_box), TRUE);
}

/* Buttons and actions. */

/* Whether the form's problem is only a required field the user has not come to yet: no
 * instance while the picker was never opened, or an empty name never typed in nor left.
 * The buttons' tooltips still say why they wait; the form does not scold under them. */
static gboolean
problem_is_untouched_field (ImprintCreatePage *self)
{
  if (chosen (self) == NULL)
    return !self->instance_asked;
  return self->instance_message_text == NULL &&
         *_imprint_create_page_get_name (self) == '\0' &&
         !self->name_touched && !self->name_settled;
}

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
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "create-page.choose-instance",
                                 !busy && self->client != NULL);
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
    imprint_set_tooltip (GTK_WIDGET (self->create_button),
                         _("Stop waiting for the answer"));
  else if (self->problem != NULL)
    imprint_set_tooltip (GTK_WIDGET (self->create_button), self->problem);
  else
    imprint_set_tooltip (GTK_WIDGET (self->create_button),
                         _("Create the image (Ctrl+Enter)"));

  if (checking)
    imprint_set_tooltip (GTK_WIDGET (self->check_button),
                         _("Stop waiting for the answer"));
  else if (self->problem != NULL)
    imprint_set_tooltip (GTK_WIDGET (self->check_button), self->problem);
  else
    imprint_set_tooltip (GTK_WIDGET (self->check_button),
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
  /* A refusal the outcome already states is not said twice, and an empty field not before
   * the user came to it. */
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label),
                          self->problem != NULL && !busy && !problem_is_untouched_field (self) &&
                          g_strcmp0 (self->problem, _imprint_create_page_outcome_text (self, NULL)) != 0);
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

/* Recomputes every message, the facts and what Create may do, as the draft judges what is
 * on screen. Cheap: nothing is fetched. */
void
_imprint_create_page_update_form (ImprintCreatePage *self)
{
  g_autofree char *instance_msg = NULL;
  g_autofree char *name_msg = NULL;
  g_autofree char *description_msg = NULL;
  g_autofree char *tags_msg = NULL;
  g_autofree char *quota_msg = NULL;
  g_autofree char *counter = NULL;
  g_autofree char *problem = NULL;
  const char *name_shown;
  guint length, max;

  sync_draft (self);
  instance_msg = tc_image_draft_check (self->draft, TC_FIELD_INSTANCE);
  name_msg = tc_image_draft_check (self->draft, TC_FIELD_NAME);
  description_msg = tc_image_draft_check (self->draft, TC_FIELD_DESCRIPTION);
  tags_msg = tc_image_draft_check (self->draft, TC_FIELD_TAGS);
  quota_msg = tc_image_draft_check (self->draft, TC_FIELD_QUOTA);
  mark_tags (self);

  /* An empty name is only called out once the user has typed and erased one: a fresh form
   * is not an error. It still explains why Create is insensitive. */
  name_shown = name_msg;
  if (!self->name_touched && *_imprint_create_page_get_name (self) == '\0')
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
  length = tc_rules_count_characters (_imprint_create_page_get_description (self));
  max = tc_rules_description_max_length (self->protocol);
  /* Translators: a character counter: how many characters there are, of how many allowed. */
  counter = g_strdup_printf (C_("character counter", "%u / %u"), length, max);
  set_label_text (self->description_counter, counter);
  if (length > max)
    gtk_widget_add_css_class (GTK_WIDGET (self->description_counter), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->description_counter), "error");

  show_fact (self, self->quota_fact, TC_DRAFT_FACT_QUOTA);
  gtk_widget_set_visible (GTK_WIDGET (self->free_quota_button), quota_msg != NULL && is_api3 (self));
  show_fact (self, self->name_fact, TC_DRAFT_FACT_NAME);
  show_fact (self, self->instance_fact, TC_DRAFT_FACT_INSTANCE);
  g_free (self->quota_text);
  self->quota_text = tc_image_draft_dup_quota_usage (self->draft);

  problem = tc_image_draft_dup_problem (self->draft);
  if (set_string (&self->problem, problem))
    g_object_notify_by_pspec (G_OBJECT (self), _imprint_create_page_properties[PROP_PROBLEM]);

  update_buttons (self);
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

    g_signal_connect_object (row, "notify::active", G_CALLBACK (_imprint_create_page_update_form), self,
                             G_CONNECT_SWAPPED);
    gtk_list_box_append (self->disks_list, row);
  }
}

/* @text with a WORD JOINER (U+2060) after every hyphen: Pango breaks a line after a hyphen,
 * so a narrow window showed "api-02 (ins-" over "yx4hsnm2)". With it, the name and the ID
 * each stay whole and the line breaks only at a space; the joiner itself is invisible. */
static char *
keep_whole (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text != NULL ? text : "", "-", -1);

  return g_strjoinv ("-\u2060", parts);
}

void
_imprint_create_page_show_instance (ImprintCreatePage *self)
{
  TcInstance *instance = chosen (self);
  g_autofree char *subtitle = NULL;

  if (instance == NULL) {
    /* Until the keyring gives the account's secret there is no client to list instances
     * with, and Choose… is off: the row says why (a keyring may wait to be unlocked). */
    adw_action_row_set_subtitle (self->instance_row, self->client == NULL
                                                     ? _("Waiting for the keyring…")
                                                     : _("No instance chosen"));
    gtk_widget_set_visible (GTK_WIDGET (self->instance_badge), FALSE);
  } else {
    g_autofree char *name = keep_whole (tc_instance_get_name (instance));
    g_autofree char *id = keep_whole (tc_instance_get_id (instance));
    const char *os = tc_instance_get_os_name (instance);

    /* The name and ID on one line, the operating system on the next, so a narrow window
     * wraps between them rather than inside them. */
    if (*name != '\0')
      /* Translators: the chosen instance: its name, then its ID. */
      subtitle = g_strdup_printf (_("%s (%s)"), name, id);
    else
      subtitle = g_strdup (id);
    if (os != NULL && *os != '\0') {
      char *with_os = g_strconcat (subtitle, "\n", os, NULL);

      g_free (subtitle);
      subtitle = with_os;
    }
    adw_action_row_set_subtitle (self->instance_row, subtitle);

    if (instance_gone (self))
      imprint_state_badge_set (self->instance_badge, C_("instance state", "Deleted"),
                               IMPRINT_BADGE_TONE_ERROR);
    else
      imprint_state_badge_set_instance_state (self->instance_badge,
                                              tc_instance_get_state (instance));
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
void
_imprint_create_page_preflight_notify_cb (ImprintCreatePage *self,
                     GParamSpec        *pspec)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "instance")) {
    /* A fresh copy: what the server said about its state before is stale. */
    tc_image_draft_forget_refusal (self->draft, TC_FIELD_INSTANCE);
    _imprint_create_page_show_instance (self);
  } else if (g_str_equal (name, "instance-gone")) {
    _imprint_create_page_show_instance (self);
  } else if (g_str_equal (name, "quota-status") &&
             tc_preflight_get_quota_status (self->preflight) == TC_FACT_KNOWN) {
    tc_image_draft_forget_refusal (self->draft, TC_FIELD_QUOTA);
  }
  _imprint_create_page_update_form (self);
}

void
_imprint_create_page_start_instance_refresh (ImprintCreatePage *self)
{
  tc_preflight_refresh_instance (self->preflight);
}

void
_imprint_create_page_start_quota_fetch (ImprintCreatePage *self)
{
  tc_preflight_refresh_quota (self->preflight);
}

void
_imprint_create_page_schedule_name_lookup (ImprintCreatePage *self,
                      guint              delay_ms)
{
  tc_preflight_look_up_name (self->preflight, _imprint_create_page_get_name (self), delay_ms);
}

/* Retry buttons. */

void
_imprint_create_page_quota_retry_cb (ImprintCreatePage *self)
{
  _imprint_create_page_start_quota_fetch (self);
  _imprint_create_page_update_form (self);
}

void
_imprint_create_page_name_retry_cb (ImprintCreatePage *self)
{
  _imprint_create_page_schedule_name_lookup (self, 0);
  _imprint_create_page_update_form (self);
}

void
_imprint_create_page_instance_retry_cb (ImprintCreatePage *self)
{
  _imprint_create_page_start_instance_refresh (self);
  _imprint_create_page_update_form (self);
}

/* Field changes. */

void
_imprint_create_page_name_changed_cb (ImprintCreatePage *self)
{
  self->name_touched = TRUE;
  self->name_settled = FALSE;
  tc_image_draft_forget_refusal (self->draft, TC_FIELD_NAME);
  _imprint_create_page_schedule_name_lookup (self, NAME_LOOKUP_DELAY_MS);
  _imprint_create_page_update_form (self);
}

/* The user left the name field (or pressed Enter in it): the name stands as typed. */
void
_imprint_create_page_name_left_cb (ImprintCreatePage *self)
{
  if (self->name_settled)
    return;
  self->name_settled = TRUE;
  _imprint_create_page_update_form (self);
}

void
_imprint_create_page_description_changed_cb (ImprintCreatePage *self)
{
  tc_image_draft_forget_refusal (self->draft, TC_FIELD_DESCRIPTION);
  _imprint_create_page_update_form (self);
}

void
_imprint_create_page_option_changed_cb (ImprintCreatePage *self)
{
  tc_image_draft_forget_refusal (self->draft, TC_FIELD_INSTANCE);
  _imprint_create_page_update_form (self);
}

void
_imprint_create_page_tag_changed_cb (ImprintCreatePage *self)
{
  tc_image_draft_forget_refusal (self->draft, TC_FIELD_TAGS);
  _imprint_create_page_update_form (self);
}
