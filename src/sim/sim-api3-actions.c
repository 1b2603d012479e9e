/* sim-api3-actions.c: what the simulated cloud does for each API 3.0 action that lists
 * or creates (DeleteImages and SyncImages are in sim-api3-images.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The answers follow Tencent's documented fields and states (shared/PROTOCOLS.md), read
 * from and written to the cloud's state (sim-cloud.c); CreateImage applies the same naming
 * rules as the client (tc-rules), so the two cannot drift apart.
 */
#include "config.h"

#include <string.h>

#include "tc-rules.h"

#include "sim-api3-private.h"
#include "tc-json.h"

void
sim_api3_describe_regions (SimRequest *req)
{
  guint n;
  const SimRegionInfo *infos = sim_region_infos (&n);
  JsonArray *set = json_array_new ();

  for (guint i = 0; i < n; i++) {
    JsonObject *region = json_object_new ();

    json_object_set_string_member (region, "Region", infos[i].id);
    json_object_set_string_member (region, "RegionName",
                                   req->zh ? infos[i].name_zh : infos[i].name_en);
    json_object_set_string_member (region, "RegionState", "AVAILABLE");
    json_array_add_object_element (set, region);
  }

  json_object_set_int_member (req->reply, "TotalCount", n);
  json_object_set_array_member (req->reply, "RegionSet", set);
}

static void
latest_operation (TcInstanceState   state,
                  const char      **operation,
                  const char      **operation_state)
{
  *operation_state = "SUCCESS";
  switch (state) {
  case TC_INSTANCE_STATE_PENDING:
    *operation = "RunInstances";
    *operation_state = "OPERATING";
    break;
  case TC_INSTANCE_STATE_LAUNCH_FAILED:
    *operation = "RunInstances";
    *operation_state = "FAILED";
    break;
  case TC_INSTANCE_STATE_STARTING:
    *operation = "StartInstances";
    *operation_state = "OPERATING";
    break;
  case TC_INSTANCE_STATE_STOPPING:
    *operation = "StopInstances";
    *operation_state = "OPERATING";
    break;
  case TC_INSTANCE_STATE_REBOOTING:
    *operation = "RebootInstances";
    *operation_state = "OPERATING";
    break;
  case TC_INSTANCE_STATE_TERMINATING:
    *operation = "TerminateInstances";
    *operation_state = "OPERATING";
    break;
  case TC_INSTANCE_STATE_STOPPED:
  case TC_INSTANCE_STATE_SHUTDOWN:
    *operation = "StopInstances";
    break;
  case TC_INSTANCE_STATE_RESCUE:
    *operation = "EnterRescueMode";
    break;
  case TC_INSTANCE_STATE_RUNNING:
  case TC_INSTANCE_STATE_MIGRATING:
  case TC_INSTANCE_STATE_BUSY:
  case TC_INSTANCE_STATE_UNKNOWN:
  default:
    *operation = "StartInstances";
    break;
  }
}

static JsonObject *
disk_json (const SimDisk *disk)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "DiskId", disk->id);
  json_object_set_string_member (object, "DiskType", sim_disk_type_name (disk->type));
  json_object_set_int_member (object, "DiskSize", disk->size);
  return object;
}

static JsonObject *
instance_json (SimRegion   *region,
               SimInstance *inst)
{
  guint n;
  const SimInstanceType *type = &sim_instance_types (&n)[inst->type];
  const SimOs *os = &sim_os_table (&n)[inst->os];
  JsonObject *object = json_object_new ();
  JsonObject *placement = json_object_new ();
  JsonArray *private_ips = json_array_new ();
  const char *operation, *operation_state;
  char zone[64], ip[16], created[32];

  sim_zone_name (region->info, inst->zone, zone, sizeof zone);
  json_object_set_string_member (placement, "Zone", zone);
  json_object_set_int_member (placement, "ProjectId", 0);
  json_object_set_object_member (object, "Placement", placement);

  json_object_set_string_member (object, "InstanceId", inst->id);
  json_object_set_string_member (object, "InstanceType", type->name);
  json_object_set_int_member (object, "CPU", type->cpu);
  json_object_set_int_member (object, "Memory", type->memory);
  json_object_set_string_member (object, "RestrictState", "NORMAL");
  json_object_set_string_member (object, "InstanceName", inst->name);
  json_object_set_string_member (object, "InstanceChargeType", "POSTPAID_BY_HOUR");
  json_object_set_object_member (object, "SystemDisk", disk_json (&inst->system_disk));

  if (inst->n_data_disks > 0) {
    JsonArray *disks = json_array_new ();

    for (guint i = 0; i < inst->n_data_disks; i++) {
      JsonObject *disk = disk_json (&inst->data_disks[i]);

      json_object_set_boolean_member (disk, "DeleteWithInstance", TRUE);
      json_object_set_boolean_member (disk, "Encrypt", FALSE);
      json_array_add_object_element (disks, disk);
    }
    json_object_set_array_member (object, "DataDisks", disks);
  } else {
    json_object_set_null_member (object, "DataDisks");
  }

  sim_format_ip (inst->private_ip, ip);
  json_array_add_string_element (private_ips, ip);
  json_object_set_array_member (object, "PrivateIpAddresses", private_ips);
  if (inst->public_ip != 0) {
    JsonArray *public_ips = json_array_new ();

    sim_format_ip (inst->public_ip, ip);
    json_array_add_string_element (public_ips, ip);
    json_object_set_array_member (object, "PublicIpAddresses", public_ips);
  } else {
    json_object_set_null_member (object, "PublicIpAddresses");
  }

  json_object_set_string_member (object, "ImageId", os->image_id);
  json_object_set_string_member (object, "OsName", os->os_name);
  sim_iso8601 (inst->created, created, sizeof created);
  json_object_set_string_member (object, "CreatedTime", created);
  json_object_set_null_member (object, "ExpiredTime");
  json_object_set_string_member (object, "InstanceState", tc_instance_state_to_api3 (inst->state));
  latest_operation (inst->state, &operation, &operation_state);
  json_object_set_string_member (object, "LatestOperation", operation);
  json_object_set_string_member (object, "LatestOperationState", operation_state);
  json_object_set_array_member (object, "Tags", json_array_new ());
  json_object_set_null_member (object, "IPv6Addresses");
  return object;
}

static gboolean
instance_matches (SimRegion   *region,
                  SimInstance *inst,
                  GPtrArray   *filters)
{
  for (guint f = 0; filters != NULL && f < filters->len; f++) {
    Filter *filter = filters->pdata[f];
    gboolean any = FALSE;

    for (guint v = 0; v < filter->values->len && !any; v++) {
      const char *value = filter->values->pdata[v];

      if (strcmp (filter->name, "instance-name") == 0) {
        any = strstr (inst->name, value) != NULL;
      } else if (strcmp (filter->name, "instance-id") == 0) {
        any = strcmp (inst->id, value) == 0;
      } else if (strcmp (filter->name, "instance-state") == 0) {
        any = strcmp (tc_instance_state_to_api3 (inst->state), value) == 0;
      } else if (strcmp (filter->name, "zone") == 0) {
        char zone[64];

        sim_zone_name (region->info, inst->zone, zone, sizeof zone);
        any = strcmp (zone, value) == 0;
      } else if (strcmp (filter->name, "private-ip-address") == 0) {
        char ip[16];

        sim_format_ip (inst->private_ip, ip);
        any = strcmp (ip, value) == 0;
      }
    }
    if (!any)
      return FALSE;
  }
  return TRUE;
}

static gboolean
unknown_filter (SimRequest *req,
                const char *name)
{
  sim_request_fail (req, "InvalidFilter", 4000,
                    T (req, "The filter `%s` is not supported.", "不支持过滤条件 `%s`。"), name);
  return FALSE;
}

void
sim_api3_describe_instances (SimRequest *req)
{
  static const char * const filter_names[] = {
    "instance-name", "instance-id", "instance-state", "zone", "private-ip-address", NULL
  };
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) filters = NULL;
  JsonArray *set;
  gint64 offset, limit, total = 0;

  if (!sim_api3_get_page (req, &offset, &limit) ||
      !sim_api3_get_string_array (req, req->params, "InstanceIds", &ids) ||
      !sim_api3_get_filters (req, &filters))
    return;

  if (ids != NULL && filters != NULL) {
    sim_request_fail (req, "InvalidParameter", 4000, "%s",
                      T (req, "InstanceIds and Filters cannot be specified at the same time.",
                              "InstanceIds 和 Filters 不能同时指定。"));
    return;
  }
  if (ids != NULL && ids->len > 100) {
    sim_api3_limit_exceeded (req, "At most 100 InstanceIds are allowed.");
    return;
  }
  for (guint i = 0; ids != NULL && i < ids->len; i++) {
    if (!sim_api3_is_resource_id (ids->pdata[i], "ins-")) {
      sim_request_fail (req, "InvalidInstanceId.Malformed", 4000,
                        T (req, "The instance ID `%s` is malformed.", "实例 ID `%s` 格式错误。"),
                        (const char *) ids->pdata[i]);
      return;
    }
  }
  for (guint i = 0; filters != NULL && i < filters->len; i++) {
    Filter *filter = filters->pdata[i];

    if (!g_strv_contains (filter_names, filter->name)) {
      unknown_filter (req, filter->name);
      return;
    }
  }

  set = json_array_new ();
  if (ids != NULL) {
    /* In the order asked, each at most once. */
    g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

    for (guint i = 0; i < ids->len; i++) {
      SimInstance *inst = sim_region_find_instance (req->region, ids->pdata[i]);

      if (inst == NULL || !g_hash_table_add (seen, inst->id))
        continue;
      if (total >= offset && total < offset + limit)
        json_array_add_object_element (set, instance_json (req->region, inst));
      total++;
    }
  } else {
    for (guint i = 0; i < req->region->n_instances; i++) {
      SimInstance *inst = &req->region->instances[i];

      if (!instance_matches (req->region, inst, filters))
        continue;
      if (total >= offset && total < offset + limit)
        json_array_add_object_element (set, instance_json (req->region, inst));
      total++;
    }
  }

  json_object_set_int_member (req->reply, "TotalCount", total);
  json_object_set_array_member (req->reply, "InstanceSet", set);
}

static JsonObject *
image_json (const SimImage *image,
            gboolean        is_public)
{
  JsonObject *object = json_object_new ();
  JsonArray *snapshots = json_array_new ();
  JsonArray *tags = json_array_new ();
  char created[32];

  json_object_set_string_member (object, "ImageId", image->id);
  json_object_set_string_member (object, "OsName", image->os_name);
  json_object_set_string_member (object, "ImageType", is_public ? "PUBLIC_IMAGE" : "PRIVATE_IMAGE");
  sim_iso8601 (image->created, created, sizeof created);
  json_object_set_string_member (object, "CreatedTime", created);
  json_object_set_string_member (object, "ImageName", image->name);
  json_object_set_string_member (object, "ImageDescription", image->description);
  json_object_set_int_member (object, "ImageSize", image->size);
  json_object_set_string_member (object, "Architecture", "x86_64");
  json_object_set_string_member (object, "ImageState", tc_image_state_to_api3 (image->state));
  json_object_set_string_member (object, "Platform", image->platform);
  json_object_set_string_member (object, "ImageCreator", is_public ? "" : "100000000001");
  json_object_set_string_member (object, "ImageSource", is_public ? "OFFICIAL" : "CREATE_IMAGE");
  json_object_set_int_member (object, "SyncPercent", sim_image_progress (image));
  json_object_set_boolean_member (object, "IsSupportCloudinit", TRUE);

  for (guint i = 0; i < image->snapshots->len; i++) {
    const SimDisk *disk = &g_array_index (image->snapshots, SimDisk, i);
    JsonObject *snapshot = json_object_new ();

    json_object_set_string_member (snapshot, "SnapshotId", disk->id);
    json_object_set_string_member (snapshot, "DiskUsage", i == 0 ? "SYSTEM_DISK" : "DATA_DISK");
    json_object_set_int_member (snapshot, "DiskSize", disk->size);
    json_array_add_object_element (snapshots, snapshot);
  }
  json_object_set_array_member (object, "SnapshotSet", snapshots);

  for (guint i = 0; i < image->tags->len; i++) {
    const SimTag *tag = &g_array_index (image->tags, SimTag, i);
    JsonObject *pair = json_object_new ();

    json_object_set_string_member (pair, "Key", tag->key);
    json_object_set_string_member (pair, "Value", tag->value);
    json_array_add_object_element (tags, pair);
  }
  json_object_set_array_member (object, "Tags", tags);
  json_object_set_string_member (object, "LicenseType", "TencentCloud");
  json_object_set_boolean_member (object, "ImageDeprecated", FALSE);
  return object;
}

static gboolean
image_matches (const SimImage *image,
               gboolean        is_public,
               GPtrArray      *filters,
               GPtrArray      *ids)
{
  if (ids != NULL && !g_ptr_array_find_with_equal_func (ids, image->id, g_str_equal, NULL))
    return FALSE;

  for (guint f = 0; filters != NULL && f < filters->len; f++) {
    Filter *filter = filters->pdata[f];
    gboolean any = FALSE;

    for (guint v = 0; v < filter->values->len && !any; v++) {
      const char *value = filter->values->pdata[v];

      if (strcmp (filter->name, "image-type") == 0)
        any = strcmp (value, is_public ? "PUBLIC_IMAGE" : "PRIVATE_IMAGE") == 0;
      else if (strcmp (filter->name, "image-name") == 0)
        any = strstr (image->name, value) != NULL;
      else if (strcmp (filter->name, "image-id") == 0)
        any = strcmp (image->id, value) == 0;
      else if (strcmp (filter->name, "platform") == 0)
        any = strcmp (image->platform, value) == 0;
    }
    if (!any)
      return FALSE;
  }
  return TRUE;
}

void
sim_api3_describe_images (SimRequest *req)
{
  static const char * const filter_names[] = {
    /* Those Tencent documents (no image-state: a client filtering so would be refused). */
    "image-type", "image-name", "image-id", "platform", NULL
  };
  static const char * const image_types[] = {
    "PRIVATE_IMAGE", "PUBLIC_IMAGE", "SHARED_IMAGE", "MARKET_IMAGE", NULL
  };
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) filters = NULL;
  JsonArray *set;
  gint64 offset, limit, total = 0;

  if (!sim_api3_get_page (req, &offset, &limit) ||
      !sim_api3_get_string_array (req, req->params, "ImageIds", &ids) ||
      !sim_api3_get_filters (req, &filters))
    return;

  if (ids != NULL && filters != NULL) {
    sim_request_fail (req, "InvalidParameter", 4000, "%s",
                      T (req, "ImageIds and Filters cannot be specified at the same time.",
                              "ImageIds 和 Filters 不能同时指定。"));
    return;
  }
  if (ids != NULL && ids->len > 100) {
    sim_api3_limit_exceeded (req, "At most 100 ImageIds are allowed.");
    return;
  }
  for (guint i = 0; ids != NULL && i < ids->len; i++) {
    if (!sim_api3_is_resource_id (ids->pdata[i], "img-")) {
      sim_request_fail (req, "InvalidImageId.Malformed", 4000,
                        T (req, "The image ID `%s` is malformed.", "镜像 ID `%s` 格式错误。"),
                        (const char *) ids->pdata[i]);
      return;
    }
  }
  for (guint i = 0; filters != NULL && i < filters->len; i++) {
    Filter *filter = filters->pdata[i];

    if (!g_strv_contains (filter_names, filter->name)) {
      unknown_filter (req, filter->name);
      return;
    }
    for (guint v = 0; strcmp (filter->name, "image-type") == 0 && v < filter->values->len; v++) {
      if (!g_strv_contains (image_types, filter->values->pdata[v])) {
        sim_request_fail (req, "InvalidParameterValue", 4000,
                          "The image-type filter takes PRIVATE_IMAGE, PUBLIC_IMAGE, "
                          "SHARED_IMAGE or MARKET_IMAGE, not `%s`.",
                          (const char *) filter->values->pdata[v]);
        return;
      }
    }
  }

  set = json_array_new ();

  /* The account's images, newest first, then the official ones. */
  for (guint i = req->region->images->len; i > 0; i--) {
    SimImage *image = g_ptr_array_index (req->region->images, i - 1);

    sim_image_refresh (image);
    if (!image_matches (image, FALSE, filters, ids))
      continue;
    if (total >= offset && total < offset + limit)
      json_array_add_object_element (set, image_json (image, FALSE));
    total++;
  }
  for (guint i = 0; i < sim_public_image_count (); i++) {
    const SimImage *image = sim_public_image (i);

    if (!image_matches (image, TRUE, filters, ids))
      continue;
    if (total >= offset && total < offset + limit)
      json_array_add_object_element (set, image_json (image, TRUE));
    total++;
  }

  json_object_set_int_member (req->reply, "TotalCount", total);
  json_object_set_array_member (req->reply, "ImageSet", set);
}

void
sim_api3_describe_image_quota (SimRequest *req)
{
  json_object_set_int_member (req->reply, "ImageNumQuota", req->cloud->quota);
}

static const char *
state_error_code (TcInstanceState state)
{
  switch (state) {
  case TC_INSTANCE_STATE_RUNNING:       return "UnsupportedOperation.InstanceStateRunning";
  case TC_INSTANCE_STATE_STARTING:      return "UnsupportedOperation.InstanceStateStarting";
  case TC_INSTANCE_STATE_STOPPING:      return "UnsupportedOperation.InstanceStateStopping";
  case TC_INSTANCE_STATE_REBOOTING:     return "UnsupportedOperation.InstanceStateRebooting";
  case TC_INSTANCE_STATE_PENDING:       return "UnsupportedOperation.InstanceStatePending";
  case TC_INSTANCE_STATE_SHUTDOWN:      return "UnsupportedOperation.InstanceStateShutdown";
  case TC_INSTANCE_STATE_TERMINATING:   return "UnsupportedOperation.InstanceStateTerminating";
  case TC_INSTANCE_STATE_LAUNCH_FAILED: return "UnsupportedOperation.InstanceStateLaunchFailed";
  case TC_INSTANCE_STATE_RESCUE:        return "UnsupportedOperation.InstanceStateRescueMode";
  case TC_INSTANCE_STATE_MIGRATING:     return "UnsupportedOperation.InstanceStateServiceLiveMigrate";
  case TC_INSTANCE_STATE_BUSY:          return "OperationDenied.InstanceOperationInProgress";
  case TC_INSTANCE_STATE_STOPPED:
  case TC_INSTANCE_STATE_UNKNOWN:
  default:                              return "UnsupportedOperation";
  }
}

/* Reads TagSpecification into @tags (see sim_tags_new()). */
static gboolean
get_tags (SimRequest *req,
          GArray     *tags)
{
  JsonNode *node = sim_api3_member (req->params, "TagSpecification");
  JsonArray *specs;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return sim_api3_wrong_type (req, "TagSpecification", "an array of {ResourceType, Tags}");

  specs = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (specs); i++) {
    JsonNode *spec_node = json_array_get_element (specs, i);
    JsonObject *spec;
    const char *resource_type;
    JsonNode *tags_node;
    JsonArray *list;

    if (!JSON_NODE_HOLDS_OBJECT (spec_node))
      return sim_api3_wrong_type (req, "TagSpecification", "an array of {ResourceType, Tags}");
    spec = json_node_get_object (spec_node);
    if (!sim_api3_get_string (req, spec, "ResourceType", &resource_type))
      return FALSE;
    if (g_strcmp0 (resource_type, "image") != 0) {
      sim_request_fail (req, "InvalidParameterValue", 4000,
                        "TagSpecification.ResourceType must be `image`.");
      return FALSE;
    }

    tags_node = sim_api3_member (spec, "Tags");
    if (tags_node == NULL)
      continue;
    if (!JSON_NODE_HOLDS_ARRAY (tags_node))
      return sim_api3_wrong_type (req, "TagSpecification.Tags", "an array of {Key, Value}");
    list = json_node_get_array (tags_node);
    for (guint t = 0; t < json_array_get_length (list); t++) {
      JsonNode *tag_node = json_array_get_element (list, t);
      const char *key, *value;
      SimTag tag;

      if (!JSON_NODE_HOLDS_OBJECT (tag_node))
        return sim_api3_wrong_type (req, "TagSpecification.Tags", "an array of {Key, Value}");
      if (!sim_api3_get_string (req, json_node_get_object (tag_node), "Key", &key) ||
          !sim_api3_get_string (req, json_node_get_object (tag_node), "Value", &value))
        return FALSE;
      if (key == NULL || *key == '\0' || g_utf8_strlen (key, -1) > 127) {
        sim_request_fail (req, "InvalidParameterValue", 4000,
                          "A tag key must have 1 to 127 characters.");
        return FALSE;
      }
      if (value != NULL && g_utf8_strlen (value, -1) > 255) {
        sim_request_fail (req, "InvalidParameterValue", 4000,
                          "A tag value must have at most 255 characters.");
        return FALSE;
      }
      if (tags->len >= 50) {
        sim_request_fail (req, "InvalidParameterValue.TagQuotaLimitExceeded", 4000,
                          "At most 50 tags can be set on an image.");
        return FALSE;
      }
      tag.key = g_strdup (key);
      tag.value = g_strdup (value != NULL ? value : "");
      g_array_append_val (tags, tag);
    }
  }
  return TRUE;
}

void
sim_api3_create_image (SimRequest *req)
{
  const char *name, *description, *instance_id, *family;
  gboolean force_poweroff, sysprep, dry_run;
  g_autoptr(GPtrArray) data_disk_ids = NULL;
  g_autoptr(GPtrArray) snapshot_ids = NULL;
  g_autofree const char **existing = NULL;
  g_autoptr(GArray) tags = sim_tags_new ();
  g_auto(TcVerdict) verdict = { 0 };
  SimInstance *inst;
  SimImage *image;
  guint n_os;
  const SimOs *os;

  if (!sim_api3_get_string (req, req->params, "ImageName", &name) ||
      !sim_api3_get_string (req, req->params, "ImageDescription", &description) ||
      !sim_api3_get_string (req, req->params, "InstanceId", &instance_id) ||
      !sim_api3_get_string (req, req->params, "ImageFamily", &family) ||
      !sim_api3_get_string_bool (req, "ForcePoweroff", &force_poweroff) ||
      !sim_api3_get_string_bool (req, "Sysprep", &sysprep) ||
      !sim_api3_get_bool (req, req->params, "DryRun", &dry_run) ||
      !sim_api3_get_string_array (req, req->params, "DataDiskIds", &data_disk_ids) ||
      !sim_api3_get_string_array (req, req->params, "SnapshotIds", &snapshot_ids) ||
      !get_tags (req, tags))
    return;

  if (name == NULL) {
    sim_api3_missing_parameter (req, "ImageName");
    return;
  }
  if (instance_id != NULL && snapshot_ids != NULL) {
    sim_request_fail (req, "InvalidParameterConflict", 4000, "%s",
                      T (req, "InstanceId and SnapshotIds cannot be specified at the same time.",
                              "InstanceId 和 SnapshotIds 不能同时指定。"));
    return;
  }
  if (snapshot_ids != NULL) {
    sim_request_fail (req, "UnsupportedOperation", 4000,
                      "The simulator makes images from instances only: use InstanceId.");
    return;
  }
  if (instance_id == NULL) {
    sim_api3_missing_parameter (req, "InstanceId");
    return;
  }

  if (!tc_rules_check_image_name (TC_PROTOCOL_API3, name, &verdict)) {
    sim_api3_rule_refused (req, "InvalidParameterValue", "ImageName", &verdict);
    return;
  }
  if (!tc_rules_check_description (TC_PROTOCOL_API3, description, &verdict)) {
    sim_api3_rule_refused (req, "InvalidParameterValue", "ImageDescription", &verdict);
    return;
  }

  if (!sim_api3_is_resource_id (instance_id, "ins-")) {
    sim_request_fail (req, "InvalidInstanceId.Malformed", 4000,
                      T (req, "The instance ID `%s` is malformed.", "实例 ID `%s` 格式错误。"),
                      instance_id);
    return;
  }
  inst = sim_region_find_instance (req->region, instance_id);
  if (inst == NULL) {
    sim_request_fail (req, "InvalidInstanceId.NotFound", 5000,
                      T (req, "The instance `%s` does not exist in %s.",
                              "实例 `%s` 在 %s 不存在。"),
                      instance_id, req->region->info->id);
    return;
  }

  for (guint i = 0; data_disk_ids != NULL && i < data_disk_ids->len; i++) {
    const char *disk_id = data_disk_ids->pdata[i];
    gboolean found = FALSE;

    if (strcmp (disk_id, inst->system_disk.id) == 0) {
      sim_request_fail (req, "InvalidParameter.DataDiskIdContainsRootDisk", 4000,
                        T (req, "`%s` is the system disk of the instance, not a data disk.",
                                "`%s` 是实例的系统盘，不是数据盘。"),
                        disk_id);
      return;
    }
    for (guint d = 0; d < inst->n_data_disks; d++)
      found |= strcmp (disk_id, inst->data_disks[d].id) == 0;
    if (!found) {
      sim_request_fail (req, "InvalidParameter.DataDiskNotBelongSpecifiedInstance", 4000,
                        T (req, "The data disk `%s` does not belong to the instance `%s`.",
                                "数据盘 `%s` 不属于实例 `%s`。"),
                        disk_id, inst->id);
      return;
    }
  }

  os = &sim_os_table (&n_os)[inst->os];
  if (sysprep && !os->windows) {
    sim_request_fail (req, "InvalidParameterValue", 4000, "%s",
                      T (req, "Sysprep is only supported for Windows instances.",
                              "仅 Windows 实例支持 Sysprep。"));
    return;
  }

  existing = sim_region_image_names (req->region);
  if (!tc_rules_check_name_available (name, existing, &verdict)) {
    sim_api3_rule_refused (req, "InvalidImageName.Duplicate", NULL, &verdict);
    return;
  }

  if (!tc_rules_check_quota (req->region->images->len, req->cloud->quota, &verdict)) {
    sim_api3_rule_refused (req, "ImageQuotaLimitExceeded", NULL, &verdict);
    return;
  }

  if (!tc_rules_check_instance_state (TC_PROTOCOL_API3, inst->state, force_poweroff, &verdict)) {
    sim_api3_rule_refused (req, state_error_code (inst->state), NULL, &verdict);
    return;
  }

  if (dry_run) {
    sim_api3_dry_run_passed (req);
    return;
  }

  image = sim_cloud_create_image (req->cloud, req->region, inst, name, description);
  for (guint i = 0; data_disk_ids != NULL && i < data_disk_ids->len; i++) {
    for (guint d = 0; d < inst->n_data_disks; d++) {
      if (strcmp (data_disk_ids->pdata[i], inst->data_disks[d].id) == 0) {
        SimDisk snapshot = inst->data_disks[d];

        sim_random_id (req->cloud->id_rand, "snap-", snapshot.id);
        g_array_append_val (image->snapshots, snapshot);
      }
    }
  }
  g_array_unref (image->tags);
  image->tags = g_steal_pointer (&tags);

  /* Tencent shuts a running instance down to image it, and leaves it stopped. */
  if (inst->state == TC_INSTANCE_STATE_RUNNING && force_poweroff)
    inst->state = TC_INSTANCE_STATE_STOPPED;

  json_object_set_string_member (req->reply, "ImageId", image->id);
}

