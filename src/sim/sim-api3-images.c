/* sim-api3-images.c: what the simulated cloud does with the account's images once they
 * exist: DeleteImages and SyncImages (API 3.0 only; the legacy API has neither)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Both check every image and region named before they change anything, as Tencent does:
 * a request that fails leaves the cloud as it was, and a dry run that passes answers
 * DryRunOperation. Which image states forbid a delete is the client's own rule
 * (tc_image_state_blocks_delete()), so the form and the simulator cannot drift apart; a
 * copy takes names and quota in its destination under tc-rules, like CreateImage.
 *
 * What the simulator leaves out: images shared with other accounts (it has no other
 * accounts, so never InvalidImageId.InShared), encrypted copies, and snapshots apart from
 * their image: an image's snapshots go with it, whether or not DeleteBindedSnap asks.
 */
#include "config.h"

#include <string.h>

#include "tc-models.h"

#include "sim-api3-private.h"

/* Tencent copies one image per SyncImages, and takes at most this many per DeleteImages. */
#define MAX_DELETE 100

/* The account's image @id in the request's region, or NULL with the request failed. */
static SimImage *
find_image (SimRequest *req,
            const char *id)
{
  SimImage *image;

  if (!sim_api3_is_resource_id (id, "img-")) {
    sim_request_fail (req, "InvalidImageId.Malformed", 4000,
                      T (req, "The image ID `%s` is malformed.", "镜像 ID `%s` 格式错误。"), id);
    return NULL;
  }

  image = sim_region_find_image (req->region, id);
  if (image == NULL) {
    sim_request_fail (req, "InvalidImageId.NotFound", 5000,
                      T (req, "The image `%s` does not exist in %s.", "镜像 `%s` 在 %s 不存在。"),
                      id, req->region->info->id);
    return NULL;
  }

  sim_image_refresh (image);
  return image;
}

void
sim_api3_delete_images (SimRequest *req)
{
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) doomed = g_ptr_array_new ();
  gboolean delete_snapshots, dry_run;

  if (!sim_api3_get_string_array (req, req->params, "ImageIds", &ids) ||
      !sim_api3_get_bool (req, req->params, "DeleteBindedSnap", &delete_snapshots) ||
      !sim_api3_get_bool (req, req->params, "DryRun", &dry_run))
    return;

  if (ids == NULL || ids->len == 0) {
    sim_api3_missing_parameter (req, "ImageIds");
    return;
  }
  if (ids->len > MAX_DELETE) {
    sim_api3_limit_exceeded (req, T (req, "At most 100 ImageIds are allowed.",
                                          "ImageIds 最多 100 个。"));
    return;
  }

  for (guint i = 0; i < ids->len; i++) {
    SimImage *image = find_image (req, ids->pdata[i]);

    if (image == NULL)
      return;
    if (tc_image_state_blocks_delete (image->state) != NULL) {
      sim_request_fail (req, "InvalidImageId.IncorrectState", 4000,
                        T (req, "The image `%s` is %s and cannot be deleted.",
                                "镜像 `%s` 处于 %s 状态，不能删除。"),
                        image->id, tc_image_state_to_api3 (image->state));
      return;
    }
    if (!g_ptr_array_find (doomed, image, NULL))
      g_ptr_array_add (doomed, image);
  }

  if (dry_run) {
    sim_api3_dry_run_passed (req);
    return;
  }

  for (guint i = 0; i < doomed->len; i++)
    sim_cloud_delete_image (req->cloud, req->region, doomed->pdata[i]);
}

/* The destination region @id, or NULL with the request failed: a region the simulator
 * knows, not the source's, not named twice, with room for the copy and its name free. */
static SimRegion *
destination (SimRequest     *req,
             GPtrArray      *ids,
             guint           index,
             const char     *name)
{
  const char *id = ids->pdata[index];
  g_autofree const char **existing = NULL;
  g_auto(TcVerdict) verdict = { 0 };
  SimRegion *region;

  if (sim_region_info_lookup (id, FALSE) == NULL) {
    sim_request_fail (req, "InvalidRegion.NotFound", 4000,
                      T (req, "The region `%s` does not exist.", "地域 `%s` 不存在。"), id);
    return NULL;
  }
  if (strcmp (id, req->region->info->id) == 0) {
    sim_request_fail (req, "InvalidParameterValue.InvalidRegion", 4000,
                      T (req, "A custom image cannot be copied to its own region `%s`.",
                              "自定义镜像不能复制到源地域 `%s`。"),
                      id);
    return NULL;
  }
  for (guint i = 0; i < index; i++) {
    if (strcmp (ids->pdata[i], id) == 0) {
      sim_request_fail (req, "InvalidParameterValue", 4000,
                        T (req, "The region `%s` is listed twice in DestinationRegions.",
                                "DestinationRegions 中地域 `%s` 重复。"),
                        id);
      return NULL;
    }
  }

  region = sim_fleet_get_region (req->cloud->fleet, id);
  existing = sim_region_image_names (region);
  if (!tc_rules_check_name_available (name, existing, &verdict)) {
    sim_api3_rule_refused (req, "InvalidImageName.Duplicate", id, &verdict);
    return NULL;
  }
  if (!tc_rules_check_quota (region->images->len, req->cloud->quota, &verdict)) {
    sim_api3_rule_refused (req, "ImageQuotaLimitExceeded", id, &verdict);
    return NULL;
  }
  return region;
}

void
sim_api3_sync_images (SimRequest *req)
{
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) region_ids = NULL;
  g_autoptr(GPtrArray) regions = g_ptr_array_new ();
  g_auto(TcVerdict) verdict = { 0 };
  const char *name, *kms_key_id;
  gboolean dry_run, set_required, encrypt;
  SimImage *source;
  JsonArray *set;

  if (!sim_api3_get_string_array (req, req->params, "ImageIds", &ids) ||
      !sim_api3_get_string_array (req, req->params, "DestinationRegions", &region_ids) ||
      !sim_api3_get_string (req, req->params, "ImageName", &name) ||
      !sim_api3_get_bool (req, req->params, "DryRun", &dry_run) ||
      !sim_api3_get_bool (req, req->params, "ImageSetRequired", &set_required) ||
      !sim_api3_get_bool (req, req->params, "Encrypt", &encrypt) ||
      !sim_api3_get_string (req, req->params, "KmsKeyId", &kms_key_id))
    return;

  if (ids == NULL || ids->len == 0) {
    sim_api3_missing_parameter (req, "ImageIds");
    return;
  }
  if (ids->len > 1) {
    sim_api3_limit_exceeded (req, T (req, "SyncImages copies one image per call.",
                                          "SyncImages 每次只能同步一个镜像。"));
    return;
  }
  if (region_ids == NULL || region_ids->len == 0) {
    sim_api3_missing_parameter (req, "DestinationRegions");
    return;
  }
  if (encrypt) {
    sim_request_fail (req, "UnsupportedOperation.EncryptedImagesNotSupported", 4000,
                      "The simulator makes no encrypted copies.");
    return;
  }
  if (name != NULL && !tc_rules_check_image_name (TC_PROTOCOL_API3, name, &verdict)) {
    sim_api3_rule_refused (req, "InvalidParameterValue", "ImageName", &verdict);
    return;
  }

  source = find_image (req, ids->pdata[0]);
  if (source == NULL)
    return;
  if (source->state != TC_IMAGE_STATE_NORMAL) {
    sim_request_fail (req, "InvalidImageId.IncorrectState", 4000,
                      T (req, "The image `%s` is %s: only a NORMAL image can be copied.",
                              "镜像 `%s` 处于 %s 状态：只有 NORMAL 状态的镜像可以复制。"),
                      source->id, tc_image_state_to_api3 (source->state));
    return;
  }
  if (name == NULL)
    name = source->name;

  for (guint i = 0; i < region_ids->len; i++) {
    SimRegion *region = destination (req, region_ids, i, name);

    if (region == NULL)
      return;
    g_ptr_array_add (regions, region);
  }

  if (dry_run) {
    sim_api3_dry_run_passed (req);
    return;
  }

  set = json_array_new ();
  for (guint i = 0; i < regions->len; i++) {
    SimRegion *region = regions->pdata[i];
    SimImage *copy = sim_cloud_copy_image (req->cloud, source, region, name);
    JsonObject *item = json_object_new ();

    json_object_set_string_member (item, "ImageId", copy->id);
    json_object_set_string_member (item, "Region", region->info->id);
    json_array_add_object_element (set, item);
  }

  if (set_required)
    json_object_set_array_member (req->reply, "ImageSet", set);
  else
    json_array_unref (set);
}
