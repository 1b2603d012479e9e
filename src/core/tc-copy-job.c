/* tc-copy-job.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A copy to another region takes as long as making an image, costs quota there, and
 * cannot be taken back without deleting it: so it is asked about first (DryRun), as a
 * Create is checked. Then one SyncImages carries every destination (Tencent takes one
 * image and many regions per call) and answers with the ImageId of each copy; each gets
 * its own history entry, so each is followed, notified and found in the History like any
 * image. The entry keeps where the copy came from (tc_history_entry_get_source_*).
 */
#include "config.h"

#include "tc-copy-job.h"
#include "tc-cvm.h"
#include "tc-error.h"

typedef struct {
  TcHistory *history;
  char      *account_id;
  char      *account_name;
  char      *region;
  char      *image_id;
  char      *image_name;
  GStrv      destinations;
} CopyJob;

static void
copy_job_free (CopyJob *job)
{
  g_clear_object (&job->history);
  g_free (job->account_id);
  g_free (job->account_name);
  g_free (job->region);
  g_free (job->image_id);
  g_free (job->image_name);
  g_strfreev (job->destinations);
  g_free (job);
}

/* SyncImages went out and no readable answer came back (or one whose copies could not be
 * read): the copies may well be under way. */
static gboolean
unanswered (const GError *error)
{
  return g_error_matches (error, TC_ERROR, TC_ERROR_NO_ANSWER) ||
         g_error_matches (error, TC_ERROR, TC_ERROR_MALFORMED_RESPONSE);
}

/* One entry for the copy in @destination: CREATING with its ImageId (or without, when
 * the answer was lost or unreadable: the tracker then looks for it by its name), or
 * refused. */
static TcHistoryEntry *
record (TcClient     *client,
        CopyJob      *job,
        const char   *destination,
        const char   *copy_id,
        const char   *request_id,
        const GError *error)
{
  g_autoptr(TcHistoryEntry) entry = tc_history_entry_new (TC_HISTORY_KIND_COPY);
  TcHistoryRecord *r = tc_history_entry_edit (entry);

  r->account_id = g_strdup (job->account_id);
  r->account_name = g_strdup (job->account_name);
  r->protocol = tc_client_get_protocol (client);
  r->region = g_intern_string (destination);
  r->image_name = g_strdup (job->image_name);
  r->source_region = g_strdup (job->region);
  r->source_image_id = g_strdup (job->image_id);
  if (error != NULL && !unanswered (error)) {
    tc_history_entry_set_error (entry, error);
    r->outcome = TC_HISTORY_OUTCOME_REQUEST_FAILED;
  } else {
    r->image_id = g_strdup (copy_id);
    r->request_id = g_strdup (request_id);
    r->outcome = TC_HISTORY_OUTCOME_CREATING;
  }
  if (job->history != NULL)
    tc_history_add_async (job->history, entry, NULL, NULL, NULL);
  return g_steal_pointer (&entry);
}

static void
synced_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TcClient *client = TC_CLIENT (object);
  CopyJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *request_id = NULL;
  g_autoptr(GPtrArray) copies = tc_cvm_sync_image_finish (client, result, &request_id, &error);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }

  for (guint i = 0; job->destinations[i] != NULL; i++) {
    const char *copy_id = NULL;

    for (guint j = 0; copies != NULL && j < copies->len; j++) {
      TcImageCopy *copy = copies->pdata[j];

      if (g_strcmp0 (copy->region, job->destinations[i]) == 0)
        copy_id = copy->image_id;
    }
    g_ptr_array_add (entries, record (client, job, job->destinations[i], copy_id, request_id,
                                      error));
  }

  /* An answer that said yes but whose copies could not be read: they are being made, and
   * recorded to be looked for. A lost answer is said as such: the copies may be. */
  if (error != NULL && !g_error_matches (error, TC_ERROR, TC_ERROR_MALFORMED_RESPONSE))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_steal_pointer (&entries), (GDestroyNotify) g_ptr_array_unref);
}

static void
dry_run_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TcClient *client = TC_CLIENT (object);
  CopyJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) none = tc_cvm_sync_image_finish (client, result, NULL, &error);

  if (error != NULL) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  tc_cvm_sync_image_async (client, job->region, job->image_id,
                           (const char * const *) job->destinations, NULL, FALSE,
                           g_task_get_cancellable (task), synced_cb, g_object_ref (task));
}

void
tc_copy_job_run_async (TcClient            *client,
                       TcHistory           *history,
                       const char          *account_id,
                       const char          *account_name,
                       const char          *region,
                       const char          *image_id,
                       const char          *image_name,
                       const char * const  *destinations,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CopyJob *job;

  g_return_if_fail (TC_IS_CLIENT (client));
  g_return_if_fail (history == NULL || TC_IS_HISTORY (history));
  g_return_if_fail (region != NULL && image_id != NULL);
  g_return_if_fail (destinations != NULL && destinations[0] != NULL);

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, tc_copy_job_run_async);
  job = g_new0 (CopyJob, 1);
  job->history = history ? g_object_ref (history) : NULL;
  job->account_id = g_strdup (account_id);
  job->account_name = g_strdup (account_name);
  job->region = g_strdup (region);
  job->image_id = g_strdup (image_id);
  job->image_name = g_strdup (image_name);
  job->destinations = g_strdupv ((char **) destinations);
  g_task_set_task_data (task, job, (GDestroyNotify) copy_job_free);

  tc_cvm_sync_image_async (client, region, image_id, destinations, NULL, TRUE, cancellable,
                           dry_run_cb, g_object_ref (task));
}

GPtrArray *
tc_copy_job_run_finish (TcClient      *client,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_copy_job_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
