/* tc-image-job.c: one Check or Create Image
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the image form used to do itself, kept out of the widget so that it is tested
 * without a display, and so that the form, the window and its toast all read one object:
 * the job's "state" says when it is over, and the job says how (its entry, its error, its
 * summary).
 *
 * The job is the GTask's source object, so it lives until its callback has run. Cancelled
 * before its request is sent, or while a check is out, the job ends as CANCELLED at once
 * and records nothing. A Create once sent is not taken back: the server may act on it
 * whatever the client does, so its answer is awaited and recorded as always, and only then
 * does the caller hear that it was cancelled (the state says how it really ended).
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "tc-error.h"
#include "tc-image-job.h"
#include "tc-rules.h"

G_DEFINE_ENUM_TYPE (TcImageJobState, tc_image_job_state,
  G_DEFINE_ENUM_VALUE (TC_IMAGE_JOB_PENDING, "pending"),
  G_DEFINE_ENUM_VALUE (TC_IMAGE_JOB_REFRESHING, "refreshing"),
  G_DEFINE_ENUM_VALUE (TC_IMAGE_JOB_SENDING, "sending"),
  G_DEFINE_ENUM_VALUE (TC_IMAGE_JOB_SUCCEEDED, "succeeded"),
  G_DEFINE_ENUM_VALUE (TC_IMAGE_JOB_FAILED, "failed"),
  G_DEFINE_ENUM_VALUE (TC_IMAGE_JOB_CANCELLED, "cancelled"))

struct _TcImageJob
{
  GObject          parent_instance;

  TcClient        *client;
  char            *region;
  TcImageRequest  *request;
  gboolean         check;
  TcInstance      *instance;

  TcHistory       *history;
  char            *account_id;
  char            *account_name;
  char            *attempt_id;

  TcImageJobState  state;
  TcHistoryEntry  *entry;
  TcCreateResult  *result;
  GError          *error;
  char            *summary;
};

G_DEFINE_FINAL_TYPE (TcImageJob, tc_image_job, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_INSTANCE,
  PROP_ENTRY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_state (TcImageJob      *self,
           TcImageJobState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* The entry of the checks sent for this image, when this answer belongs to it. */
static TcHistoryEntry *
find_attempt (TcImageJob *self)
{
  TcHistoryEntry *attempt = tc_history_find_by_id (self->history, self->attempt_id);

  if (attempt == NULL ||
      tc_history_entry_get_record (attempt)->kind != TC_HISTORY_KIND_CHECK ||
      g_strcmp0 (tc_history_entry_get_record (attempt)->region, self->region) != 0 ||
      g_strcmp0 (tc_history_entry_get_record (attempt)->account_id, self->account_id) != 0)
    return NULL;
  return attempt;
}

/* A Create that went out and got no answer: the image may be being made. */
static gboolean
unanswered (TcImageJob *self)
{
  return !self->check && g_error_matches (self->error, TC_ERROR, TC_ERROR_NO_ANSWER);
}

/* Records what the server answered. Only the fields of the request and of the answer are
 * kept; nothing secret has a field. */
static void
record (TcImageJob *self)
{
  TcHistoryKind kind = self->check ? TC_HISTORY_KIND_CHECK : TC_HISTORY_KIND_CREATE;
  const char *instance_name = NULL;
  g_autoptr(TcHistoryEntry) entry = NULL;
  TcHistoryEntry *attempt;
  TcHistoryRecord *r;

  if (self->history == NULL)
    return;

  if (self->instance != NULL &&
      g_strcmp0 (tc_instance_get_id (self->instance), self->request->instance_id) == 0)
    instance_name = tc_instance_get_name (self->instance);

  attempt = find_attempt (self);
  if (attempt != NULL) {
    entry = tc_history_entry_copy (attempt);
    r = tc_history_entry_edit (entry);
    r->kind = kind;
    tc_history_set_str (&r->account_id, self->account_id);
    tc_history_set_str (&r->account_name, self->account_name);
    tc_history_set_str (&r->instance_name, instance_name);
    tc_history_entry_set_request (entry, self->request);
    g_clear_pointer (&r->error_code, g_free);
    g_clear_pointer (&r->error_message, g_free);
    g_clear_pointer (&r->request_id, g_free);
  } else {
    entry = tc_history_entry_new_for_request (kind, self->account_id, self->account_name,
                                              tc_client_get_protocol (self->client),
                                              self->region, instance_name, self->request);
    r = tc_history_entry_edit (entry);
  }

  if (self->check)
    tc_history_entry_add_check (entry, self->error == NULL, self->error,
                                self->result ? self->result->request_id : NULL);
  if (self->error != NULL && !unanswered (self)) {
    r->outcome = self->check ? TC_HISTORY_OUTCOME_DRY_RUN_FAILED
                             : TC_HISTORY_OUTCOME_REQUEST_FAILED;
    tc_history_entry_set_error (entry, self->error);
  } else {
    /* CREATING is what the image tracker follows: by its ID, or (a Create that got no
     * answer) by its name, until it is found or is clearly not coming. */
    r->outcome = self->check ? TC_HISTORY_OUTCOME_DRY_RUN_PASSED : TC_HISTORY_OUTCOME_CREATING;
    tc_history_set_str (&r->image_id, self->result ? self->result->image_id : NULL);
    tc_history_set_str (&r->request_id, self->result ? self->result->request_id : NULL);
  }

  /* No callback: a write that fails is the history's "problem", which the window shows. */
  if (attempt != NULL) {
    tc_history_update_async (self->history, entry, NULL, NULL, NULL);
    g_set_object (&self->entry, attempt);
  } else {
    tc_history_add_async (self->history, entry, NULL, NULL, NULL);
    g_set_object (&self->entry, entry);
  }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENTRY]);
}

/* Ends the job: what it learnt is set before "state" says it is over. */
static void
finish (TcImageJob *self,
        GTask      *task,
        GError     *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    set_state (self, TC_IMAGE_JOB_CANCELLED);
    g_task_return_error (task, error);
    return;
  }

  if (error != NULL) {
    g_clear_error (&self->error);
    self->error = g_error_copy (error);
    g_free (self->summary);
    if (unanswered (self))
      /* Translators: %s is the image name. */
      self->summary = g_strdup_printf (_("No answer came back for image “%s”, so it may be "
                                         "being created. Imprint looks for it; the History "
                                         "will say how it ended."), self->request->name);
    else
      self->summary = g_strdup (error->message);
    set_state (self, TC_IMAGE_JOB_FAILED);
    g_task_return_error (task, error);
    return;
  }

  g_free (self->summary);
  if (self->check)
    self->summary = g_strdup (_("The request would succeed."));
  else if (self->result->image_id != NULL)
    /* Translators: the first %s is the image name, the second its ID. */
    self->summary = g_strdup_printf (_("Image “%s” is being created (%s)."),
                                     self->request->name, self->result->image_id);
  else
    /* Translators: %s is the image name. */
    self->summary = g_strdup_printf (_("Image “%s” is being created."), self->request->name);
  set_state (self, TC_IMAGE_JOB_SUCCEEDED);
  g_task_return_boolean (task, TRUE);
}

static void
created_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TcImageJob *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  self->result = tc_cvm_create_image_finish (TC_CLIENT (object), result, &error);
  if (self->check && error == NULL &&
      g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    g_clear_pointer (&self->result, tc_create_result_free);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    finish (self, task, g_steal_pointer (&error));
    return;
  }

  if (error != NULL) {
    self->error = g_error_copy (error);
    record (self);
    finish (self, task, g_steal_pointer (&error));
    return;
  }
  record (self);
  finish (self, task, NULL);
}

/* The state is looked at again right before sending: an instance that started since it
 * was chosen is caught here rather than by the server. */
static void
refreshed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TcImageJob *self = g_task_get_source_object (task);
  g_autoptr(TcInstance) instance = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(TcVerdict) verdict = { 0 };

  instance = tc_cvm_get_instance_finish (TC_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    finish (self, task, g_steal_pointer (&error));
    return;
  }

  if (instance != NULL) {
    g_set_object (&self->instance, instance);
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INSTANCE]);
  } else if (g_error_matches (error, TC_ERROR, TC_ERROR_NOT_FOUND)) {
    finish (self, task, g_error_new_literal (TC_ERROR, TC_ERROR_NOT_FOUND,
                                             _("The instance no longer exists. Choose another instance.")));
    return;
  } else {
    /* Not knowing is no reason to refuse: the server checks the state too. */
    g_debug ("Could not refresh the instance before sending: %s", error->message);
  }

  if (self->instance != NULL &&
      !tc_rules_check_instance_state (tc_client_get_protocol (self->client),
                                      tc_instance_get_state (self->instance),
                                      self->request->force_poweroff, &verdict)) {
    finish (self, task, g_error_new_literal (TC_ERROR, TC_ERROR_INSTANCE_STATE, verdict.message));
    return;
  }

  set_state (self, TC_IMAGE_JOB_SENDING);
  tc_cvm_create_image_async (self->client, self->region, self->request, self->check,
                             self->check ? g_task_get_cancellable (task) : NULL, created_cb,
                             g_object_ref (task));
}

/**
 * tc_image_job_new:
 * @client: the account's client; its protocol decides what is sent
 * @region: where the image is made
 * @instance: (nullable): the instance as last fetched (its name is recorded)
 * @request: what to send
 * @check: %TRUE for a check (a dry run; API 3.0 only), %FALSE to create the image
 *
 * Returns: (transfer full): a job that has not started
 */
TcImageJob *
tc_image_job_new (TcClient             *client,
                  const char           *region,
                  TcInstance           *instance,
                  const TcImageRequest *request,
                  gboolean              check)
{
  TcImageJob *self;

  g_return_val_if_fail (TC_IS_CLIENT (client), NULL);
  g_return_val_if_fail (region != NULL, NULL);
  g_return_val_if_fail (instance == NULL || TC_IS_INSTANCE (instance), NULL);
  g_return_val_if_fail (request != NULL && request->instance_id != NULL, NULL);

  self = g_object_new (TC_TYPE_IMAGE_JOB, NULL);
  self->client = g_object_ref (client);
  self->region = g_strdup (region);
  self->instance = instance != NULL ? g_object_ref (instance) : NULL;
  self->request = tc_image_request_copy (request);
  self->check = check;
  return self;
}

void
tc_image_job_set_history (TcImageJob *self,
                          TcHistory  *history,
                          const char *account_id,
                          const char *account_name,
                          const char *attempt_id)
{
  g_return_if_fail (TC_IS_IMAGE_JOB (self));
  g_return_if_fail (history == NULL || TC_IS_HISTORY (history));
  g_return_if_fail (self->state == TC_IMAGE_JOB_PENDING);

  g_set_object (&self->history, history);
  g_free (self->account_id);
  self->account_id = g_strdup (account_id);
  g_free (self->account_name);
  self->account_name = g_strdup (account_name);
  g_free (self->attempt_id);
  self->attempt_id = g_strdup (attempt_id);
}

/**
 * tc_image_job_run_async:
 * @cancellable: (nullable): cancels the job (CANCELLED; nothing recorded unless a Create
 *   had been sent: then its answer is recorded first)
 *
 * Runs the job; it can run once. The callback comes after "state" turned final.
 */
void
tc_image_job_run_async (TcImageJob          *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TC_IS_IMAGE_JOB (self));
  g_return_if_fail (self->state == TC_IMAGE_JOB_PENDING);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_image_job_run_async);

  set_state (self, TC_IMAGE_JOB_REFRESHING);
  tc_cvm_get_instance_async (self->client, self->region, self->request->instance_id,
                             cancellable, refreshed_cb, task);
}

/**
 * tc_image_job_run_finish:
 *
 * Returns: %TRUE when the job SUCCEEDED; otherwise %FALSE with @error set (the job's
 *   error, or %G_IO_ERROR_CANCELLED)
 */
gboolean
tc_image_job_run_finish (TcImageJob    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (TC_IS_IMAGE_JOB (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_image_job_run_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
same_strv (const char * const *a,
           const char * const *b)
{
  guint n = a != NULL ? g_strv_length ((GStrv) a) : 0;

  if (n != (b != NULL ? g_strv_length ((GStrv) b) : 0))
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (a[i], b[i]) != 0)
      return FALSE;
  return TRUE;
}

/**
 * tc_image_job_asks_for:
 * @region: a region
 * @request: what a form asks for now
 *
 * Whether the job asked for the same image: the region and every field the user can
 * change. A form shows what a job answered for as long as this holds.
 */
gboolean
tc_image_job_asks_for (TcImageJob           *self,
                       const char           *region,
                       const TcImageRequest *request)
{
  const TcImageRequest *a = self->request;
  guint n;

  g_return_val_if_fail (TC_IS_IMAGE_JOB (self), FALSE);
  g_return_val_if_fail (request != NULL, FALSE);

  n = a->tags != NULL ? a->tags->len : 0;
  if (g_strcmp0 (self->region, region) != 0 ||
      g_strcmp0 (a->instance_id, request->instance_id) != 0 ||
      g_strcmp0 (a->name, request->name) != 0 ||
      g_strcmp0 (a->description, request->description) != 0 ||
      a->force_poweroff != request->force_poweroff || a->sysprep != request->sysprep ||
      !same_strv ((const char * const *) a->data_disk_ids,
                  (const char * const *) request->data_disk_ids) ||
      n != (request->tags != NULL ? request->tags->len : 0))
    return FALSE;

  for (guint i = 0; i < n; i++) {
    const TcTag *x = g_ptr_array_index (a->tags, i);
    const TcTag *y = g_ptr_array_index (request->tags, i);

    if (g_strcmp0 (x->key, y->key) != 0 || g_strcmp0 (x->value, y->value) != 0)
      return FALSE;
  }
  return TRUE;
}

TcImageJobState
tc_image_job_get_state (TcImageJob *self)
{
  g_return_val_if_fail (TC_IS_IMAGE_JOB (self), TC_IMAGE_JOB_PENDING);

  return self->state;
}

gboolean
tc_image_job_is_check (TcImageJob *self)
{
  g_return_val_if_fail (TC_IS_IMAGE_JOB (self), FALSE);

  return self->check;
}

TcHistory *
tc_image_job_get_history (TcImageJob *self)
{
  g_return_val_if_fail (TC_IS_IMAGE_JOB (self), NULL);

  return self->history;
}

TcClient *
tc_image_job_get_client (TcImageJob *self)
{
  g_return_val_if_fail (TC_IS_IMAGE_JOB (self), NULL);

  return self->client;
}

const char *
tc_image_job_get_region (TcImageJob *self)
{
  g_return_val_if_fail (TC_IS_IMAGE_JOB (self), NULL);

  return self->region;
}

const TcImageRequest *
tc_image_job_get_request (TcImageJob *self)
{
  g_return_val_if_fail (TC_IS_IMAGE_JOB (self), NULL);

  return self->request;
}

TcInstance *
tc_image_job_get_instance (TcImageJob *self)
{
  g_return_val_if_fail (TC_IS_IMAGE_JOB (self), NULL);

  return self->instance;
}

TcHistoryEntry *
tc_image_job_get_entry (TcImageJob *self)
{
  g_return_val_if_fail (TC_IS_IMAGE_JOB (self), NULL);

  return self->entry;
}

const TcCreateResult *
tc_image_job_get_result (TcImageJob *self)
{
  g_return_val_if_fail (TC_IS_IMAGE_JOB (self), NULL);

  return self->state == TC_IMAGE_JOB_SUCCEEDED ? self->result : NULL;
}

const GError *
tc_image_job_get_error (TcImageJob *self)
{
  g_return_val_if_fail (TC_IS_IMAGE_JOB (self), NULL);

  return self->error;
}

const char *
tc_image_job_get_summary (TcImageJob *self)
{
  g_return_val_if_fail (TC_IS_IMAGE_JOB (self), NULL);

  return self->summary;
}

static void
tc_image_job_finalize (GObject *object)
{
  TcImageJob *self = TC_IMAGE_JOB (object);

  g_clear_object (&self->client);
  g_free (self->region);
  g_clear_pointer (&self->request, tc_image_request_free);
  g_clear_object (&self->instance);
  g_clear_object (&self->history);
  g_free (self->account_id);
  g_free (self->account_name);
  g_free (self->attempt_id);
  g_clear_object (&self->entry);
  g_clear_pointer (&self->result, tc_create_result_free);
  g_clear_error (&self->error);
  g_free (self->summary);

  G_OBJECT_CLASS (tc_image_job_parent_class)->finalize (object);
}

static void
tc_image_job_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TcImageJob *self = TC_IMAGE_JOB (object);

  switch (prop_id) {
  case PROP_STATE:
    g_value_set_enum (value, self->state);
    break;
  case PROP_INSTANCE:
    g_value_set_object (value, self->instance);
    break;
  case PROP_ENTRY:
    g_value_set_object (value, self->entry);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tc_image_job_class_init (TcImageJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tc_image_job_finalize;
  object_class->get_property = tc_image_job_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       TC_TYPE_IMAGE_JOB_STATE, TC_IMAGE_JOB_PENDING,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INSTANCE] =
    g_param_spec_object ("instance", NULL, NULL,
                         TC_TYPE_INSTANCE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENTRY] =
    g_param_spec_object ("entry", NULL, NULL,
                         TC_TYPE_HISTORY_ENTRY,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tc_image_job_init (TcImageJob *self)
{
}
