/* tc-image-draft.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the image form used to work out itself from its widgets: kept in core so that every
 * message and every fact text can be tested without a display, and the page only puts
 * them on screen. The rules themselves are tc-rules; this is what they, the pre-flight
 * facts and the server's last refusal say together, field by field, in the order a form
 * reads.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "tc-error.h"
#include "tc-image-draft.h"

#define N_FIELDS (TC_FIELD_CREDENTIALS + 1)

struct _TcImageDraft
{
  GObject       parent_instance;

  TcPreflight  *preflight;
  TcProtocol    protocol;
  char         *name;
  gboolean      settled;
  char         *description;
  gboolean      force_poweroff;
  GStrv         tag_keys;
  GStrv         tag_values;
  char         *refusals[N_FIELDS];   /* what the server said, by field */
};

G_DEFINE_FINAL_TYPE (TcImageDraft, tc_image_draft, G_TYPE_OBJECT)

static TcInstance *
instance (TcImageDraft *self)
{
  return tc_preflight_get_instance (self->preflight);
}

static gboolean
is_api3 (TcImageDraft *self)
{
  return self->protocol == TC_PROTOCOL_API3;
}

/**
 * tc_image_draft_new:
 * @preflight: what is known about the instance, the quota and the name
 *
 * Returns: (transfer full): an empty API 3.0 draft
 */
TcImageDraft *
tc_image_draft_new (TcPreflight *preflight)
{
  TcImageDraft *self;

  g_return_val_if_fail (TC_IS_PREFLIGHT (preflight), NULL);

  self = g_object_new (TC_TYPE_IMAGE_DRAFT, NULL);
  self->preflight = g_object_ref (preflight);
  return self;
}

void
tc_image_draft_set_protocol (TcImageDraft *self,
                             TcProtocol    protocol)
{
  g_return_if_fail (TC_IS_IMAGE_DRAFT (self));

  self->protocol = protocol;
}

void
tc_image_draft_set_name (TcImageDraft *self,
                         const char   *name,
                         gboolean      settled)
{
  g_return_if_fail (TC_IS_IMAGE_DRAFT (self));

  g_free (self->name);
  self->name = g_strdup (name != NULL ? name : "");
  self->settled = settled;
}

void
tc_image_draft_set_description (TcImageDraft *self,
                                const char   *description)
{
  g_return_if_fail (TC_IS_IMAGE_DRAFT (self));

  g_free (self->description);
  self->description = g_strdup (description != NULL ? description : "");
}

void
tc_image_draft_set_force_poweroff (TcImageDraft *self,
                                   gboolean      force_poweroff)
{
  g_return_if_fail (TC_IS_IMAGE_DRAFT (self));

  self->force_poweroff = force_poweroff;
}

void
tc_image_draft_set_tags (TcImageDraft       *self,
                         const char * const *keys,
                         const char * const *values)
{
  g_return_if_fail (TC_IS_IMAGE_DRAFT (self));
  g_return_if_fail ((keys != NULL ? g_strv_length ((GStrv) keys) : 0) ==
                    (values != NULL ? g_strv_length ((GStrv) values) : 0));

  g_strfreev (self->tag_keys);
  self->tag_keys = g_strdupv ((GStrv) keys);
  g_strfreev (self->tag_values);
  self->tag_values = g_strdupv ((GStrv) values);
}

TcField
tc_image_draft_refused (TcImageDraft *self,
                        const GError *error,
                        const char   *name)
{
  const char *server_message = tc_error_get_server_message (error);
  const char *reason;
  TcField field;

  g_return_val_if_fail (TC_IS_IMAGE_DRAFT (self), TC_FIELD_NONE);
  g_return_val_if_fail (error != NULL, TC_FIELD_NONE);

  reason = server_message != NULL && *server_message != '\0' ? server_message : error->message;
  field = tc_rules_field_for_error (error);

  switch (field) {
  case TC_FIELD_NAME:
    /* A taken name is a fact about the region, which the name fact then states. */
    if (g_error_matches (error, TC_ERROR, TC_ERROR_NAME_TAKEN)) {
      tc_preflight_mark_taken (self->preflight, name, g_strcmp0 (self->name, name) == 0);
      return field;
    }
    break;

  case TC_FIELD_QUOTA:
    tc_preflight_refresh_quota (self->preflight);
    break;

  case TC_FIELD_INSTANCE:
    if (g_error_matches (error, TC_ERROR, TC_ERROR_NOT_FOUND)) {
      tc_preflight_mark_instance_gone (self->preflight);
      return field;
    }
    tc_preflight_refresh_instance (self->preflight);
    break;

  case TC_FIELD_DESCRIPTION:
  case TC_FIELD_TAGS:
    break;

  case TC_FIELD_NONE:
  case TC_FIELD_REGION:
  case TC_FIELD_DATA_DISKS:
  case TC_FIELD_CREDENTIALS:
  default:
    /* No field of the form takes these: the form says them above its buttons. */
    return field;
  }

  g_free (self->refusals[field]);
  self->refusals[field] = g_strdup (reason);
  return field;
}

void
tc_image_draft_forget_refusal (TcImageDraft *self,
                               TcField       field)
{
  g_return_if_fail (TC_IS_IMAGE_DRAFT (self));
  g_return_if_fail (field < N_FIELDS);

  g_clear_pointer (&self->refusals[field], g_free);
}

gboolean
tc_image_draft_name_is_valid (TcImageDraft *self)
{
  g_return_val_if_fail (TC_IS_IMAGE_DRAFT (self), FALSE);

  /* While the user types, a space at the end is a word in progress, not a mistake: it is
   * called out once the field is left or the form submitted. */
  return self->settled ? tc_rules_check_image_name (self->protocol, self->name, NULL)
                       : tc_rules_check_image_name_as_typed (self->protocol, self->name, NULL);
}

static char *
check_name (TcImageDraft *self)
{
  g_auto(TcVerdict) verdict = { 0 };
  /* The name a Create just took, and the last one looked up if the region has it: a
   * Create answered late must not make the name on screen look free again. */
  const char *existing[3] = { tc_preflight_get_taken_name (self->preflight), NULL, NULL };

  if (self->settled ? !tc_rules_check_image_name (self->protocol, self->name, &verdict)
                    : !tc_rules_check_image_name_as_typed (self->protocol, self->name, &verdict))
    return g_steal_pointer (&verdict.message);

  if (tc_preflight_get_looked_up_taken (self->preflight))
    existing[existing[0] != NULL] = tc_preflight_get_looked_up_name (self->preflight);
  if (!tc_rules_check_name_available (self->name, existing, &verdict))
    return g_steal_pointer (&verdict.message);
  return NULL;
}

static char *
check_instance (TcImageDraft *self)
{
  g_auto(TcVerdict) verdict = { 0 };

  if (instance (self) == NULL)
    return NULL;
  if (tc_preflight_get_instance_gone (self->preflight))
    return g_strdup (_("The instance no longer exists. Choose another instance."));
  if (!tc_rules_check_instance_state (self->protocol, tc_instance_get_state (instance (self)),
                                      self->force_poweroff, &verdict))
    return g_steal_pointer (&verdict.message);
  return NULL;
}

static char *
check_quota (TcImageDraft *self)
{
  g_auto(TcVerdict) verdict = { 0 };

  if (tc_preflight_get_quota_status (self->preflight) == TC_FACT_KNOWN &&
      !tc_rules_check_quota (tc_preflight_get_used (self->preflight),
                             tc_preflight_get_quota (self->preflight), &verdict))
    return g_steal_pointer (&verdict.message);
  return NULL;
}

char *
tc_image_draft_check_tag (TcImageDraft *self,
                          guint         index)
{
  const char *key, *value;

  g_return_val_if_fail (TC_IS_IMAGE_DRAFT (self), NULL);

  if (!is_api3 (self) || self->tag_keys == NULL || index >= g_strv_length (self->tag_keys))
    return NULL;

  key = self->tag_keys[index];
  value = self->tag_values[index];
  if (*key == '\0' && *value != '\0')
    /* Translators: %u is the tag's position in the list, from 1. */
    return g_strdup_printf (_("Tag %u has a value but no key. Enter a key or remove the tag."),
                            index + 1);

  for (guint i = 0; *key != '\0' && i < index; i++) {
    if (g_str_equal (self->tag_keys[i], key))
      /* Translators: %s is a tag key. */
      return g_strdup_printf (_("The tag key “%s” is used more than once. Give each tag its own key."),
                              key);
  }
  return NULL;
}

static char *
check_tags (TcImageDraft *self)
{
  for (guint i = 0; self->tag_keys != NULL && self->tag_keys[i] != NULL; i++) {
    char *message = tc_image_draft_check_tag (self, i);

    if (message != NULL)
      return message;
  }
  return NULL;
}

char *
tc_image_draft_check (TcImageDraft *self,
                      TcField       field)
{
  g_auto(TcVerdict) verdict = { 0 };
  char *message = NULL;

  g_return_val_if_fail (TC_IS_IMAGE_DRAFT (self), NULL);
  g_return_val_if_fail (field < N_FIELDS, NULL);

  switch (field) {
  case TC_FIELD_INSTANCE:
    message = check_instance (self);
    break;
  case TC_FIELD_NAME:
    message = check_name (self);
    break;
  case TC_FIELD_DESCRIPTION:
    if (!tc_rules_check_description (self->protocol, self->description, &verdict))
      message = g_steal_pointer (&verdict.message);
    break;
  case TC_FIELD_TAGS:
    message = check_tags (self);
    break;
  case TC_FIELD_QUOTA:
    message = check_quota (self);
    break;
  case TC_FIELD_NONE:
  case TC_FIELD_REGION:
  case TC_FIELD_DATA_DISKS:
  case TC_FIELD_CREDENTIALS:
  default:
    break;
  }

  /* What the rules say comes first; the server's word stands until the field changes. */
  if (message == NULL && (field != TC_FIELD_INSTANCE || instance (self) != NULL))
    message = g_strdup (self->refusals[field]);
  return message;
}

char *
tc_image_draft_dup_problem (TcImageDraft *self)
{
  static const TcField order[] = {
    TC_FIELD_INSTANCE, TC_FIELD_NAME, TC_FIELD_DESCRIPTION, TC_FIELD_TAGS, TC_FIELD_QUOTA,
  };

  g_return_val_if_fail (TC_IS_IMAGE_DRAFT (self), NULL);

  if (instance (self) == NULL)
    return g_strdup (_("Choose an instance to image."));

  for (guint i = 0; i < G_N_ELEMENTS (order); i++) {
    char *message = tc_image_draft_check (self, order[i]);

    if (message != NULL)
      return message;
  }
  return NULL;
}

char *
tc_image_draft_dup_quota_usage (TcImageDraft *self)
{
  guint quota;

  g_return_val_if_fail (TC_IS_IMAGE_DRAFT (self), NULL);

  if (tc_preflight_get_quota_status (self->preflight) != TC_FACT_KNOWN)
    return NULL;

  quota = tc_preflight_get_quota (self->preflight);
  return g_strdup_printf (
    /* Translators: how many custom images the region holds, of how many it allows, as
     * in “7 of 10 used”. The plural form follows the second number. */
    ngettext ("%u of %u used", "%u of %u used", quota),
    tc_preflight_get_used (self->preflight), quota);
}

static char *
describe_quota (TcImageDraft *self,
                TcFactStatus *status,
                TcDraftMark  *mark)
{
  g_autofree char *message = tc_image_draft_check (self, TC_FIELD_QUOTA);
  g_autofree char *usage = NULL;

  *status = tc_preflight_get_quota_status (self->preflight);
  switch (*status) {
  case TC_FACT_LOADING:
    return g_strdup (_("Checking…"));
  case TC_FACT_ERROR:
    return g_strdup (tc_preflight_get_quota_error (self->preflight));
  case TC_FACT_KNOWN:
    usage = tc_image_draft_dup_quota_usage (self);
    *mark = message != NULL ? TC_DRAFT_MARK_PROBLEM : TC_DRAFT_MARK_OK;
    if (message != NULL)
      return g_strdup_printf ("%s\n%s", usage, message);
    return g_steal_pointer (&usage);
  case TC_FACT_IDLE:
  default:
    return g_steal_pointer (&message);
  }
}

static char *
describe_name (TcImageDraft *self,
               TcFactStatus *status,
               TcDraftMark  *mark)
{
  const char *looked_up = tc_preflight_get_looked_up_name (self->preflight);

  *status = tc_preflight_get_name_status (self->preflight);

  if (!tc_image_draft_name_is_valid (self)) {
    *status = TC_FACT_IDLE;
    return g_strdup (_("Checked once the name is valid"));
  }

  if (g_strcmp0 (tc_preflight_get_taken_name (self->preflight), self->name) == 0 &&
      *status != TC_FACT_LOADING) {
    *status = TC_FACT_KNOWN;
    *mark = TC_DRAFT_MARK_PROBLEM;
    /* Translators: %s is the image name the user typed. */
    return g_strdup_printf (_("“%s” is already taken"), self->name);
  }

  switch (*status) {
  case TC_FACT_LOADING:
    return g_strdup (_("Checking…"));

  case TC_FACT_ERROR:
    return g_strdup (tc_preflight_get_name_error (self->preflight));

  case TC_FACT_KNOWN:
    if (g_strcmp0 (looked_up, self->name) != 0) {
      /* The answer is about a name since changed: the new one is on its way. */
      *status = TC_FACT_LOADING;
      return g_strdup (_("Checking…"));
    }
    if (tc_preflight_get_looked_up_taken (self->preflight)) {
      *mark = TC_DRAFT_MARK_PROBLEM;
      return g_strdup_printf (_("“%s” is already taken"), self->name);
    }
    *mark = TC_DRAFT_MARK_OK;
    /* Translators: %s is the image name the user typed. */
    return g_strdup_printf (_("“%s” is available"), self->name);

  case TC_FACT_IDLE:
  default:
    return g_strdup (_("Checked once the name is valid"));
  }
}

static char *
describe_instance (TcImageDraft *self,
                   TcFactStatus *status,
                   TcDraftMark  *mark)
{
  g_autofree char *text = NULL;
  TcInstanceState state;
  gboolean allowed;

  *status = tc_preflight_get_instance_status (self->preflight);

  if (instance (self) == NULL) {
    *status = TC_FACT_IDLE;
    return g_strdup (_("No instance chosen"));
  }

  if (tc_preflight_get_instance_gone (self->preflight)) {
    *status = TC_FACT_KNOWN;
    *mark = TC_DRAFT_MARK_PROBLEM;
    return g_strdup (_("The instance no longer exists"));
  }

  if (*status == TC_FACT_LOADING)
    return g_strdup (_("Checking…"));

  state = tc_instance_get_state (instance (self));
  allowed = tc_rules_check_instance_state (self->protocol, state, self->force_poweroff, NULL);
  if (allowed && state == TC_INSTANCE_STATE_RUNNING)
    /* Translators: %s is an instance state, such as “Running”. */
    text = g_strdup_printf (_("%s — it will be shut down first"), tc_instance_state_describe (state));
  else if (allowed)
    /* Translators: %s is an instance state, such as “Stopped”. */
    text = g_strdup_printf (_("%s — ready to be imaged"), tc_instance_state_describe (state));
  else
    /* Translators: %s is an instance state, such as “Starting”. */
    text = g_strdup_printf (_("%s — cannot be imaged now"), tc_instance_state_describe (state));

  /* The last known state still counts; the fact says why it could not be refreshed. */
  if (*status == TC_FACT_ERROR)
    return g_strdup_printf ("%s\n%s", text, tc_preflight_get_instance_error (self->preflight));

  *status = TC_FACT_KNOWN;
  *mark = allowed ? TC_DRAFT_MARK_OK : TC_DRAFT_MARK_PROBLEM;
  return g_steal_pointer (&text);
}

char *
tc_image_draft_describe_fact (TcImageDraft *self,
                              TcDraftFact   fact,
                              TcFactStatus *status,
                              TcDraftMark  *mark)
{
  TcFactStatus status_ignored;
  TcDraftMark mark_ignored;

  g_return_val_if_fail (TC_IS_IMAGE_DRAFT (self), NULL);

  if (status == NULL)
    status = &status_ignored;
  if (mark == NULL)
    mark = &mark_ignored;
  *mark = TC_DRAFT_MARK_NONE;

  switch (fact) {
  case TC_DRAFT_FACT_QUOTA:
    return describe_quota (self, status, mark);
  case TC_DRAFT_FACT_NAME:
    return describe_name (self, status, mark);
  case TC_DRAFT_FACT_INSTANCE:
    return describe_instance (self, status, mark);
  default:
    g_return_val_if_reached (NULL);
  }
}

static void
tc_image_draft_finalize (GObject *object)
{
  TcImageDraft *self = TC_IMAGE_DRAFT (object);

  g_clear_object (&self->preflight);
  g_free (self->name);
  g_free (self->description);
  g_strfreev (self->tag_keys);
  g_strfreev (self->tag_values);
  for (guint i = 0; i < N_FIELDS; i++)
    g_free (self->refusals[i]);

  G_OBJECT_CLASS (tc_image_draft_parent_class)->finalize (object);
}

static void
tc_image_draft_class_init (TcImageDraftClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tc_image_draft_finalize;
}

static void
tc_image_draft_init (TcImageDraft *self)
{
  self->protocol = TC_PROTOCOL_API3;
  self->name = g_strdup ("");
  self->description = g_strdup ("");
}
