/* tc-cvm-write.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CVM writes: CreateImage, DeleteImages and SyncImages. Each is sent once and never
 * retried (TcClient knows them as writes): a second send could make a second image or a
 * second copy. A dry run that would succeed comes back as the error DryRunOperation, which
 * each of them turns into success, keeping the RequestId. What the legacy API lacks (dry
 * runs, DeleteImages, SyncImages) is in the `protocols` table below: asked for anyway, a
 * write fails with TC_ERROR_UNSUPPORTED and sends nothing.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "tc-cvm.h"
#include "tc-cvm-private.h"
#include "tc-error.h"

static JsonObject *create_params_api3   (const TcImageRequest *request,
                                         gboolean              dry_run);
static JsonObject *create_params_legacy (const TcImageRequest *request,
                                         gboolean              dry_run);

typedef struct {
  gboolean      dry_runs;         /* CreateImage can check without sending */
  gboolean      manages_images;   /* has DeleteImages and SyncImages */
  JsonObject *(*create_params)    (const TcImageRequest *request,
                                   gboolean              dry_run);
} CvmWrites;

static const CvmWrites protocols[] = {
  [TC_PROTOCOL_API3] = { TRUE, TRUE, create_params_api3 },
  [TC_PROTOCOL_LEGACY] = { FALSE, FALSE, create_params_legacy },
};

static const CvmWrites *
writes_of (TcClient *client)
{
  TcProtocol protocol = tc_client_get_protocol (client);

  g_assert ((guint) protocol < G_N_ELEMENTS (protocols));
  return &protocols[protocol];
}

/* What a write keeps while its one call is out. */
typedef struct {
  gboolean  dry_run;
  char     *request_id;
} WriteData;

static void
write_data_free (WriteData *data)
{
  g_free (data->request_id);
  g_free (data);
}

/* A task for a write; %NULL when @refusal (nullable) says the protocol cannot send it,
 * and the task has already failed with it: nothing is sent. */
static GTask *
write_start (TcClient            *client,
             gboolean             dry_run,
             const char          *refusal,
             gpointer             source_tag,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (client, cancellable, callback, user_data);
  WriteData *data = g_new0 (WriteData, 1);

  g_task_set_source_tag (task, source_tag);
  data->dry_run = dry_run;
  g_task_set_task_data (task, data, (GDestroyNotify) write_data_free);

  if (refusal != NULL) {
    g_task_return_new_error (task, TC_ERROR, TC_ERROR_UNSUPPORTED, "%s", refusal);
    return NULL;
  }
  return g_steal_pointer (&task);
}

/* The answer of a write, or %NULL: with @error set when it failed, without when it was a
 * dry run that would have succeeded (the server says so with the error DryRunOperation).
 * Either way the RequestId is kept. */
static TcAnswer *
write_finish (GTask         *task,
              GAsyncResult  *result,
              GError       **error)
{
  WriteData *data = g_task_get_task_data (task);
  GError *call_error = NULL;
  TcAnswer *response = tc_client_call_finish (g_task_get_source_object (task), result,
                                              &call_error);

  if (response != NULL) {
    data->request_id = g_strdup (response->request_id);
    return response;
  }

  data->request_id = g_strdup (tc_error_get_request_id (call_error));
  if (data->dry_run && g_strcmp0 (tc_error_get_server_code (call_error), "DryRunOperation") == 0)
    g_error_free (call_error);
  else
    g_propagate_error (error, call_error);
  return NULL;
}

static void
copy_request_id (GTask  *task,
                 char  **request_id)
{
  WriteData *data = g_task_get_task_data (task);

  if (request_id != NULL)
    *request_id = g_strdup (data->request_id);
}

/* CreateImage */

static JsonObject *
create_params_api3 (const TcImageRequest *request,
                    gboolean              dry_run)
{
  JsonObject *params = json_object_new ();

  json_object_set_string_member (params, "InstanceId", request->instance_id);
  json_object_set_string_member (params, "ImageName", request->name);
  if (request->description != NULL && *request->description != '\0')
    json_object_set_string_member (params, "ImageDescription", request->description);
  /* Tencent takes these two as the strings "true" and "false". */
  json_object_set_string_member (params, "ForcePoweroff", request->force_poweroff ? "true" : "false");
  if (request->sysprep)
    json_object_set_string_member (params, "Sysprep", "true");
  if (request->data_disk_ids != NULL && request->data_disk_ids[0] != NULL)
    json_object_set_array_member (params, "DataDiskIds",
                                  tc_cvm_string_array ((const char * const *) request->data_disk_ids));

  if (request->tags != NULL && request->tags->len > 0) {
    JsonArray *specs = json_array_new ();
    JsonObject *spec = json_object_new ();
    JsonArray *tags = json_array_new ();

    for (guint i = 0; i < request->tags->len; i++) {
      const TcTag *tag = g_ptr_array_index (request->tags, i);
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "Key", tag->key);
      json_object_set_string_member (object, "Value", tag->value);
      json_array_add_object_element (tags, object);
    }
    json_object_set_string_member (spec, "ResourceType", "image");
    json_object_set_array_member (spec, "Tags", tags);
    json_array_add_object_element (specs, spec);
    json_object_set_array_member (params, "TagSpecification", specs);
  }

  if (dry_run)
    json_object_set_boolean_member (params, "DryRun", TRUE);
  return params;
}

static JsonObject *
create_params_legacy (const TcImageRequest *request,
                      gboolean              dry_run)
{
  JsonObject *params = json_object_new ();

  json_object_set_string_member (params, "instanceId", request->instance_id);
  json_object_set_string_member (params, "imageName", request->name);
  if (request->description != NULL && *request->description != '\0')
    json_object_set_string_member (params, "imageDescription", request->description);
  return params;
}

static void
create_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WriteData *data = g_task_get_task_data (task);
  g_autoptr(TcAnswer) response = NULL;
  GError *error = NULL;
  TcCreateResult *created;

  response = write_finish (task, result, &error);
  if (error != NULL) {
    g_task_return_error (task, error);
    return;
  }

  if (response == NULL) {
    created = g_new0 (TcCreateResult, 1);
    created->dry_run = TRUE;
    created->request_id = g_strdup (data->request_id);
  } else {
    created = tc_cvm_parse_create (response, &error);
  }

  if (created == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, created, (GDestroyNotify) tc_create_result_free);
}

/**
 * tc_cvm_create_image_async:
 * @dry_run: only check whether the request would succeed (API 3.0)
 *
 * Sends CreateImage. It is never retried: a second send could make a second image.
 */
void
tc_cvm_create_image_async (TcClient             *client,
                           const char           *region,
                           const TcImageRequest *request,
                           gboolean              dry_run,
                           GCancellable         *cancellable,
                           GAsyncReadyCallback   callback,
                           gpointer              user_data)
{
  const CvmWrites *protocol = writes_of (client);
  g_autoptr(JsonObject) params = NULL;
  GTask *task;

  task = write_start (client, dry_run,
                      dry_run && !protocol->dry_runs
                        ? _("The legacy API cannot check a request without sending it.") : NULL,
                      tc_cvm_create_image_async, cancellable, callback, user_data);
  if (task == NULL)
    return;

  params = protocol->create_params (request, dry_run);
  tc_client_call_async (client, "CreateImage", region, params, TC_CALL_DEFAULT, cancellable,
                        create_cb, task);
}

/**
 * tc_cvm_create_image_finish:
 *
 * Returns: (transfer full): what the server answered
 */
TcCreateResult *
tc_cvm_create_image_finish (TcClient      *client,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_cvm_create_image_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* DeleteImages and SyncImages */

static void
delete_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(TcAnswer) response = NULL;
  GError *error = NULL;

  response = write_finish (task, result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * tc_cvm_delete_images_async:
 * @image_ids: one or more image IDs of @region
 *
 * Sends DeleteImages once (see tc-cvm.h).
 */
void
tc_cvm_delete_images_async (TcClient            *client,
                            const char          *region,
                            const char * const  *image_ids,
                            gboolean             delete_snapshots,
                            gboolean             dry_run,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;
  g_autoptr(JsonObject) params = NULL;

  g_return_if_fail (image_ids != NULL && image_ids[0] != NULL);

  task = write_start (client, dry_run,
                      writes_of (client)->manages_images
                        ? NULL : _("The legacy API cannot delete images. Use an API 3.0 account for this."),
                      tc_cvm_delete_images_async, cancellable, callback, user_data);
  if (task == NULL)
    return;

  params = json_object_new ();
  json_object_set_array_member (params, "ImageIds", tc_cvm_string_array (image_ids));
  if (delete_snapshots)
    json_object_set_boolean_member (params, "DeleteBindedSnap", TRUE);
  if (dry_run)
    json_object_set_boolean_member (params, "DryRun", TRUE);
  tc_client_call_async (client, "DeleteImages", region, params, TC_CALL_DEFAULT, cancellable,
                        delete_cb, task);
}

/**
 * tc_cvm_delete_images_finish:
 * @request_id: (out) (optional) (transfer full) (nullable): the call's RequestId
 *
 * Returns: %TRUE when the images were deleted, or for a dry run would have been
 */
gboolean
tc_cvm_delete_images_finish (TcClient      *client,
                             GAsyncResult  *result,
                             char         **request_id,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_cvm_delete_images_async, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  copy_request_id (G_TASK (result), request_id);
  return TRUE;
}

/* Where a copy is refused for the quota or a taken name, the region at fault is a
 * destination, not the one the user is in: the general advice would point at the wrong one. */
static const struct {
  TcErrorCode  code;
  const char  *advice;
} copy_advice[] = {
  { TC_ERROR_QUOTA, N_("The custom image quota of a destination region is used up. Delete an "
                       "unused custom image there, or choose other regions.") },
  { TC_ERROR_NAME_TAKEN, N_("A custom image with this name already exists in a destination "
                            "region. Choose another name for the copies.") },
};

static void
advise_copy (GError *error)
{
  for (guint i = 0; i < G_N_ELEMENTS (copy_advice); i++) {
    if (g_error_matches (error, TC_ERROR, copy_advice[i].code)) {
      g_free (error->message);
      error->message = g_strdup (_(copy_advice[i].advice));
    }
  }
}

static void
sync_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WriteData *data = g_task_get_task_data (task);
  g_autoptr(TcAnswer) response = NULL;
  GPtrArray *copies;
  GError *error = NULL;

  response = write_finish (task, result, &error);
  if (error != NULL) {
    advise_copy (error);
    g_task_return_error (task, error);
    return;
  }

  /* A dry run starts no copy, whether it came back as DryRunOperation or as success. */
  if (response == NULL || data->dry_run)
    copies = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_image_copy_free);
  else
    copies = tc_cvm_parse_copies (response, &error);

  if (copies == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, copies, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * tc_cvm_sync_image_async:
 * @image_id: a NORMAL custom image of @region
 * @destination_regions: one or more other regions
 * @image_name: (nullable): the copies' name; %NULL or empty keeps the source's
 *
 * Sends SyncImages once (see tc-cvm.h), asking for the copies' IDs.
 */
void
tc_cvm_sync_image_async (TcClient            *client,
                         const char          *region,
                         const char          *image_id,
                         const char * const  *destination_regions,
                         const char          *image_name,
                         gboolean             dry_run,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  const char *image_ids[] = { image_id, NULL };
  GTask *task;
  g_autoptr(JsonObject) params = NULL;

  g_return_if_fail (image_id != NULL);
  g_return_if_fail (destination_regions != NULL && destination_regions[0] != NULL);

  task = write_start (client, dry_run,
                      writes_of (client)->manages_images
                        ? NULL : _("The legacy API cannot copy images to other regions. Use an "
                                   "API 3.0 account for this."),
                      tc_cvm_sync_image_async, cancellable, callback, user_data);
  if (task == NULL)
    return;

  params = json_object_new ();
  json_object_set_array_member (params, "ImageIds", tc_cvm_string_array (image_ids));
  json_object_set_array_member (params, "DestinationRegions", tc_cvm_string_array (destination_regions));
  if (image_name != NULL && *image_name != '\0')
    json_object_set_string_member (params, "ImageName", image_name);
  json_object_set_boolean_member (params, "ImageSetRequired", TRUE);
  if (dry_run)
    json_object_set_boolean_member (params, "DryRun", TRUE);
  tc_client_call_async (client, "SyncImages", region, params, TC_CALL_DEFAULT, cancellable,
                        sync_cb, task);
}

/**
 * tc_cvm_sync_image_finish:
 * @request_id: (out) (optional) (transfer full) (nullable): the call's RequestId
 *
 * Returns: (transfer full) (element-type TcImageCopy): the copies started, one per
 *   destination region; empty for a dry run that would have succeeded
 */
GPtrArray *
tc_cvm_sync_image_finish (TcClient      *client,
                          GAsyncResult  *result,
                          char         **request_id,
                          GError       **error)
{
  GPtrArray *copies;

  g_return_val_if_fail (g_task_is_valid (result, client), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_cvm_sync_image_async, NULL);

  copies = g_task_propagate_pointer (G_TASK (result), error);
  if (copies != NULL)
    copy_request_id (G_TASK (result), request_id);
  return copies;
}
