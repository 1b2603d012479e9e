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
                                      _imprint_create_page_force_poweroff (self), &verdict))
    return g_steal_pointer (&verdict.message);

  return g_strdup (self->server_instance_message);
}

static char *
name_rule_message (ImprintCreatePage *self,
                   gboolean          *invalid)
{
  g_auto(TcVerdict) verdict = { 0 };
  const char *name = _imprint_create_page_get_name (self);

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
    imprint_fact_row_show (self->quota_fact, TC_FACT_LOADING, _("Checking…"),
                           IMPRINT_FACT_MARK_NONE);
    g_clear_pointer (&self->quota_text, g_free);
    break;

  case TC_FACT_ERROR:
    imprint_fact_row_show (self->quota_fact, TC_FACT_ERROR,
                           tc_preflight_get_quota_error (self->preflight), IMPRINT_FACT_MARK_NONE);
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
    imprint_fact_row_show (self->quota_fact, TC_FACT_IDLE, self->quota_message,
                           IMPRINT_FACT_MARK_NONE);
    g_clear_pointer (&self->quota_text, g_free);
    break;
  }
}

static void
update_name_fact (ImprintCreatePage *self,
                  gboolean           name_invalid)
{
  const char *name = _imprint_create_page_get_name (self);
  const char *looked_up = tc_preflight_get_looked_up_name (self->preflight);
  TcFactStatus status = tc_preflight_get_name_status (self->preflight);
  g_autofree char *text = NULL;

  if (name_invalid) {
    imprint_fact_row_show (self->name_fact, TC_FACT_IDLE, _("Checked once the name is valid"),
                           IMPRINT_FACT_MARK_NONE);
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
    imprint_fact_row_show (self->name_fact, TC_FACT_LOADING, _("Checking…"),
                           IMPRINT_FACT_MARK_NONE);
    break;

  case TC_FACT_ERROR:
    imprint_fact_row_show (self->name_fact, TC_FACT_ERROR,
                           tc_preflight_get_name_error (self->preflight), IMPRINT_FACT_MARK_NONE);
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
      imprint_fact_row_show (self->name_fact, TC_FACT_LOADING, _("Checking…"),
                             IMPRINT_FACT_MARK_NONE);
    }
    break;

  case TC_FACT_IDLE:
  default:
    imprint_fact_row_show (self->name_fact, TC_FACT_IDLE, _("Checked once the name is valid"),
                           IMPRINT_FACT_MARK_NONE);
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
    imprint_fact_row_show (self->instance_fact, TC_FACT_IDLE, _("No instance chosen"),
                           IMPRINT_FACT_MARK_NONE);
    return;
  }

  if (instance_gone (self)) {
    imprint_fact_row_show (self->instance_fact, TC_FACT_KNOWN, _("The instance no longer exists"),
                           IMPRINT_FACT_MARK_PROBLEM);
    return;
  }

  state = tc_instance_get_state (chosen (self));
  allowed = tc_rules_check_instance_state (self->protocol, state, _imprint_create_page_force_poweroff (self), NULL);

  if (status == TC_FACT_LOADING) {
    imprint_fact_row_show (self->instance_fact, TC_FACT_LOADING, _("Checking…"),
                           IMPRINT_FACT_MARK_NONE);
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

    if (now == NULL || !tc_image_job_asks_for (self->outcome, self->region, now))
      _imprint_create_page_set_outcome (self, NULL);
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

/* Recomputes every message, the facts and what Create may do. Cheap: it only runs the
 * rules over what is on screen. */
void
_imprint_create_page_update_form (ImprintCreatePage *self)
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
  if (!tc_rules_check_description (self->protocol, _imprint_create_page_get_description (self), &verdict))
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

void
_imprint_create_page_show_instance (ImprintCreatePage *self)
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
void
_imprint_create_page_preflight_notify_cb (ImprintCreatePage *self,
                     GParamSpec        *pspec)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "instance")) {
    /* A fresh copy: what the server said about its state before is stale. */
    g_clear_pointer (&self->server_instance_message, g_free);
    _imprint_create_page_show_instance (self);
  } else if (g_str_equal (name, "instance-gone")) {
    _imprint_create_page_show_instance (self);
  } else if (g_str_equal (name, "quota-status") &&
             tc_preflight_get_quota_status (self->preflight) == TC_FACT_KNOWN) {
    g_clear_pointer (&self->server_quota_message, g_free);
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
  g_clear_pointer (&self->server_name_message, g_free);
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
  g_clear_pointer (&self->server_description_message, g_free);
  _imprint_create_page_update_form (self);
}

void
_imprint_create_page_option_changed_cb (ImprintCreatePage *self)
{
  g_clear_pointer (&self->server_instance_message, g_free);
  _imprint_create_page_update_form (self);
}

void
_imprint_create_page_tag_changed_cb (ImprintCreatePage *self)
{
  g_clear_pointer (&self->server_tags_message, g_free);
  _imprint_create_page_update_form (self);
}
