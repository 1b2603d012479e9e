/* sim-legacy.c: the simulator's legacy API 2.0 on /v2/index.php
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Requests: GET with a query string, or POST with an application/x-www-form-urlencoded body
 * (a query string on a POST is merged in, the body winning). The string to sign is
 * `METHOD + host + /v2/index.php + ? + params` with the METHOD as received and the host of the
 * Host header (or of an absolute request URI) WITHOUT its port. SignatureMethod=HmacSHA256
 * selects SHA-256, anything else absent means HmacSHA1.
 *
 * Checks, in order: 4000 missing common parameter; 4104 unknown SecretId; 4500 Timestamp more
 * than 2 hours from the simulator's clock; 4100 bad signature (or wrong Token for an account
 * with one); 4500 a Nonce reused with its Timestamp (remembered per SecretId for the 2 hours a
 * Timestamp is good, only once the signature is good);
 * 4000 unknown action; 6100 an image action on a `cvm.` host or an instance action on an
 * `image.` host (a loopback, IP or other host serves every action); 4000 missing or unknown
 * Region (`ap-guangzhou` or the old `gz`).
 *
 * Every answer is an envelope `{"code": 0, "message": "", "codeDesc": "Success", …}`. On
 * failure `message` starts with a code in parentheses: the module code for 5000/5100
 * (-20001 name taken, -20002 quota, -20003 instance state, -20004 no such instance), the
 * common code otherwise; `codeDesc` carries the API 3.0 name of the error
 * ("InvalidImageName.Duplicate", "AuthFailure.SignatureFailure", …).
 *
 * Response shapes:
 *
 *   DescribeInstances → {"code", "message", "codeDesc", "totalCount": N, "instanceSet": [
 *     {"unInstanceId": "ins-…", "instanceName": "web-01", "status": 2, "os": "CentOS 7.9 64bit",
 *      "zoneId": 100003, "zoneName": "广州三区", "lanIp": "10.0.1.2",
 *      "wanIpSet": ["1.2.3.4"] (empty when none), "cpu": 2, "mem": 4 (GB),
 *      "createTime": "2021-03-04 12:00:00" (Beijing time, UTC+8),
 *      "diskInfo": {"rootId": "disk-…", "rootSize": 50, "rootType": "CLOUD_PREMIUM",
 *                   "storageSize": 300 (GB of data disks, 0 when none),
 *                   "dataDisks": [{"diskId": "disk-…", "diskSize": 100,
 *                                  "diskType": "CLOUD_SSD"}]}}]}
 *     status: -1 launch failed, 1 rescue, 2 running, 3 creating, 4 stopped, 5 shut down,
 *     6 terminating, 7 rebooting, 8 starting, 9 stopping, 19 migrating.
 *     Inputs: instanceIds.N, searchWord (in the name, ID or private IP), status, zoneId,
 *     offset, limit (20, 1–100).
 *
 *   DescribeImages → {…, "totalCount": N, "imageSet": [{"unImgId": "img-…",
 *     "imageName", "imageDescription", "osName", "createTime" (as above), "status",
 *     "imageType", "imageSize"}]}; status 1 creating, 2 normal, 4 syncing (a copy made
 *     through API 3.0's SyncImages; a CREATEFAILED image is not listed). Inputs: imageType (required; 1 custom, 2 public, 3 marketplace, 4 shared),
 *     imageIds.N, offset, limit.
 *
 *   CreateImage → {…, "requestId": 1234} — a task ID, and no image ID. Inputs: instanceId,
 *     imageName, imageDescription. The quota is the simulator's quota (10 by default).
 */
#include "config.h"

#include <string.h>

#include "tc-rules.h"
#include "tc-signer.h"

#include "sim-protocol.h"

#define LEGACY_PATH     "/v2/index.php"
#define LEGACY_WINDOW   (2 * 60 * 60)
#define BEIJING_OFFSET  (8 * 60 * 60)

static const char *
param (SimRequest *req,
       const char *name)
{
  return g_hash_table_lookup (req->form, name);
}

void
sim_legacy_prepare (SimRequest *req)
{
  const char *method = soup_server_message_get_method (req->msg);
  GUri *uri = soup_server_message_get_uri (req->msg);
  const char *query = uri != NULL ? g_uri_get_query (uri) : NULL;
  gsize len;
  const char *body = g_bytes_get_data (req->body, &len);

  req->lenient = TRUE;

  if (strcmp (method, "GET") != 0 && strcmp (method, "POST") != 0) {
    sim_request_fail (req, "InvalidParameter", 4000, "HTTP method %s is not supported", method);
    return;
  }

  if ((query != NULL && !sim_form_parse (query, strlen (query), req->form)) ||
      (strcmp (method, "POST") == 0 && !sim_form_parse (body, len, req->form))) {
    sim_request_fail (req, "InvalidParameter", 4000, "参数编码错误 (parameters are not URL-encoded properly)");
    return;
  }

  req->action = g_strdup (param (req, "Action"));
}

static gboolean
missing (SimRequest *req,
         const char *name)
{
  sim_request_fail (req, "MissingParameter", 4000, "缺少参数 %s (missing parameter %s)",
                    name, name);
  return FALSE;
}

static gboolean
authenticate (SimRequest *req)
{
  static const char * const required[] = { "Action", "SecretId", "Signature", "Timestamp", "Nonce" };
  const char *secret_id = param (req, "SecretId");
  const char *nonce = param (req, "Nonce");
  const SimAccount *account;
  TcHmacMethod method;
  gint64 timestamp, now;
  guint64 nonce_value;
  g_autoptr(GTree) params = tc_query_params_new ();
  g_autofree char *host = sim_host_without_port (req->host);
  g_autofree char *string_to_sign = NULL;
  g_autofree char *expected = NULL;
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < G_N_ELEMENTS (required); i++) {
    if (param (req, required[i]) == NULL || *param (req, required[i]) == '\0')
      return missing (req, required[i]);
  }

  if (!g_ascii_string_to_signed (param (req, "Timestamp"), 10, 0, G_MAXINT64 / 2, &timestamp, NULL)) {
    sim_request_fail (req, "InvalidParameter", 4000,
                      "Timestamp 必须是 Unix 秒数 (Timestamp must be Unix seconds)");
    return FALSE;
  }
  if (!g_ascii_string_to_unsigned (nonce, 10, 1, G_MAXUINT64, &nonce_value, NULL)) {
    sim_request_fail (req, "InvalidParameter", 4000, "Nonce 必须是正整数 (Nonce must be a positive integer)");
    return FALSE;
  }
  if (!tc_hmac_method_from_name (param (req, "SignatureMethod"), &method)) {
    sim_request_fail (req, "InvalidParameter", 4000,
                      "SignatureMethod 只能是 HmacSHA1 或 HmacSHA256 "
                      "(SignatureMethod must be HmacSHA1 or HmacSHA256)");
    return FALSE;
  }

  account = sim_cloud_lookup_account (req->cloud, secret_id);
  if (account == NULL) {
    sim_request_fail (req, "AuthFailure.SecretIdNotFound", 4104,
                      "secretId不存在 (the SecretId does not exist or is disabled)");
    return FALSE;
  }
  req->secret_id = g_strdup (secret_id);

  now = sim_cloud_now (req->cloud);
  if (ABS (now - timestamp) > LEGACY_WINDOW) {
    sim_request_fail (req, "AuthFailure.SignatureExpire", 4500,
                      "请求已过期 (Timestamp %" G_GINT64_FORMAT " is more than 2 hours from the "
                      "server time %" G_GINT64_FORMAT ")", timestamp, now);
    return FALSE;
  }

  g_hash_table_iter_init (&iter, req->form);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_tree_insert (params, g_strdup (key), g_strdup (value));

  string_to_sign = tc_query_string_to_sign (soup_server_message_get_method (req->msg), host,
                                            LEGACY_PATH, params);
  expected = tc_query_signature (method, account->secret_key, string_to_sign);
  if (!tc_signature_equal (expected, param (req, "Signature"))) {
    sim_request_fail (req, "AuthFailure.SignatureFailure", 4100,
                      "鉴权失败 (the signature does not match)");
    return FALSE;
  }

  if (account->token != NULL && g_strcmp0 (account->token, param (req, "Token")) != 0) {
    sim_request_fail (req, "AuthFailure.TokenFailure", 4100,
                      "鉴权失败 (the Token is invalid or has expired)");
    return FALSE;
  }

  if (!sim_cloud_use_nonce (req->cloud, secret_id, timestamp, nonce, LEGACY_WINDOW)) {
    sim_request_fail (req, "AuthFailure.NonceReused", 4500,
                      "重放攻击 (the Nonce %s was already used)", nonce);
    return FALSE;
  }

  return TRUE;
}

static gboolean
get_int (SimRequest *req,
         const char *name,
         gint64      default_value,
         gint64      min,
         gint64      max,
         gint64     *out)
{
  const char *text = param (req, name);

  *out = default_value;
  if (text == NULL)
    return TRUE;
  if (g_ascii_string_to_signed (text, 10, min, max, out, NULL))
    return TRUE;

  sim_request_fail (req, "InvalidParameterValue", 4000,
                    "参数 %s 的值无效 (%s must be a whole number from %" G_GINT64_FORMAT
                    " to %" G_GINT64_FORMAT ")", name, name, min, max);
  return FALSE;
}

/* The values of `name.0`, `name.1`, …, in index order. */
static GPtrArray *
get_list (SimRequest *req,
          const char *name)
{
  g_autofree char *prefix = g_strconcat (name, ".", NULL);
  GPtrArray *values = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, req->form);
  while (g_hash_table_iter_next (&iter, &key, &value)) {
    if (g_str_has_prefix (key, prefix))
      g_ptr_array_add (values, value);
  }
  return values;
}

static gint64
status_of (TcInstanceState state)
{
  switch (state) {
  case TC_INSTANCE_STATE_LAUNCH_FAILED: return -1;
  case TC_INSTANCE_STATE_RESCUE:        return 1;
  case TC_INSTANCE_STATE_RUNNING:       return 2;
  case TC_INSTANCE_STATE_PENDING:       return 3;
  case TC_INSTANCE_STATE_STOPPED:       return 4;
  case TC_INSTANCE_STATE_SHUTDOWN:      return 5;
  case TC_INSTANCE_STATE_TERMINATING:   return 6;
  case TC_INSTANCE_STATE_REBOOTING:     return 7;
  case TC_INSTANCE_STATE_STARTING:      return 8;
  case TC_INSTANCE_STATE_STOPPING:      return 9;
  case TC_INSTANCE_STATE_MIGRATING:     return 19;
  case TC_INSTANCE_STATE_BUSY:          return 12;
  case TC_INSTANCE_STATE_UNKNOWN:
  default:                              return 1;
  }
}

static void
beijing_time (gint64  timestamp,
              char   *buf,
              gsize   buf_len)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (timestamp + BEIJING_OFFSET);
  g_autofree char *text = dt != NULL ? g_date_time_format (dt, "%Y-%m-%d %H:%M:%S") : NULL;

  g_strlcpy (buf, text != NULL ? text : "1970-01-01 08:00:00", buf_len);
}

static void
zone_of (const SimRegionInfo *info,
         guint                zone_index,
         gint64              *zone_id,
         char                *name,
         gsize                name_len)
{
  static const char * const numerals[] = { "零", "一", "二", "三", "四", "五", "六", "七", "八", "九" };
  guint zone = info->zones[zone_index % info->n_zones];

  *zone_id = (gint64) info->legacy_zone_base * 1000 + zone;
  g_snprintf (name, name_len, "%s%s区", info->city_zh, numerals[zone % 10]);
}

static JsonObject *
instance_json (SimRegion   *region,
               SimInstance *inst)
{
  guint n;
  const SimInstanceType *type = &sim_instance_types (&n)[inst->type];
  const SimOs *os = &sim_os_table (&n)[inst->os];
  JsonObject *object = json_object_new ();
  JsonObject *disk_info = json_object_new ();
  JsonArray *wan = json_array_new ();
  JsonArray *data_disks = json_array_new ();
  char zone_name[64], ip[16], created[32];
  gint64 zone_id;
  guint storage = 0;

  json_object_set_string_member (object, "unInstanceId", inst->id);
  json_object_set_string_member (object, "instanceName", inst->name);
  json_object_set_int_member (object, "status", status_of (inst->state));
  json_object_set_string_member (object, "os", os->os_name);
  zone_of (region->info, inst->zone, &zone_id, zone_name, sizeof zone_name);
  json_object_set_int_member (object, "zoneId", zone_id);
  json_object_set_string_member (object, "zoneName", zone_name);
  sim_format_ip (inst->private_ip, ip);
  json_object_set_string_member (object, "lanIp", ip);
  if (inst->public_ip != 0) {
    sim_format_ip (inst->public_ip, ip);
    json_array_add_string_element (wan, ip);
  }
  json_object_set_array_member (object, "wanIpSet", wan);
  json_object_set_int_member (object, "cpu", type->cpu);
  json_object_set_int_member (object, "mem", type->memory);
  beijing_time (inst->created, created, sizeof created);
  json_object_set_string_member (object, "createTime", created);

  json_object_set_string_member (disk_info, "rootId", inst->system_disk.id);
  json_object_set_int_member (disk_info, "rootSize", inst->system_disk.size);
  json_object_set_string_member (disk_info, "rootType", sim_disk_type_name (inst->system_disk.type));
  for (guint i = 0; i < inst->n_data_disks; i++) {
    JsonObject *disk = json_object_new ();

    json_object_set_string_member (disk, "diskId", inst->data_disks[i].id);
    json_object_set_int_member (disk, "diskSize", inst->data_disks[i].size);
    json_object_set_string_member (disk, "diskType", sim_disk_type_name (inst->data_disks[i].type));
    json_array_add_object_element (data_disks, disk);
    storage += inst->data_disks[i].size;
  }
  json_object_set_int_member (disk_info, "storageSize", storage);
  json_object_set_array_member (disk_info, "dataDisks", data_disks);
  json_object_set_object_member (object, "diskInfo", disk_info);
  return object;
}

static void
describe_instances (SimRequest *req)
{
  g_autoptr(GPtrArray) ids = get_list (req, "instanceIds");
  const char *search = param (req, "searchWord");
  gint64 offset, limit, status, zone_id, total = 0;
  JsonArray *set;

  if (!get_int (req, "offset", 0, 0, G_MAXINT32, &offset) ||
      !get_int (req, "limit", 20, 1, 100, &limit) ||
      !get_int (req, "status", G_MININT64, -1, 100, &status) ||
      !get_int (req, "zoneId", 0, 0, G_MAXINT32, &zone_id))
    return;

  if (ids->len > 100) {
    sim_request_fail (req, "InvalidParameterValue.LimitExceeded", 4000,
                      "instanceIds 最多 100 个 (at most 100 instanceIds)");
    return;
  }

  set = json_array_new ();
  for (guint i = 0; i < req->region->n_instances; i++) {
    SimInstance *inst = &req->region->instances[i];

    if (ids->len > 0 && !g_ptr_array_find_with_equal_func (ids, inst->id, g_str_equal, NULL))
      continue;
    if (status != G_MININT64 && status_of (inst->state) != status)
      continue;
    if (zone_id != 0) {
      gint64 id;
      char name[64];

      zone_of (req->region->info, inst->zone, &id, name, sizeof name);
      if (id != zone_id)
        continue;
    }
    if (search != NULL && *search != '\0') {
      char ip[16];

      sim_format_ip (inst->private_ip, ip);
      if (strstr (inst->name, search) == NULL && strstr (inst->id, search) == NULL &&
          strcmp (ip, search) != 0)
        continue;
    }

    if (total >= offset && total < offset + limit)
      json_array_add_object_element (set, instance_json (req->region, inst));
    total++;
  }

  json_object_set_int_member (req->reply, "totalCount", total);
  json_object_set_array_member (req->reply, "instanceSet", set);
}

static JsonObject *
image_json (const SimImage *image,
            gint64          image_type,
            gint64          status)
{
  JsonObject *object = json_object_new ();
  char created[32];

  json_object_set_string_member (object, "unImgId", image->id);
  json_object_set_string_member (object, "imageName", image->name);
  json_object_set_string_member (object, "imageDescription", image->description);
  json_object_set_string_member (object, "osName", image->os_name);
  beijing_time (image->created, created, sizeof created);
  json_object_set_string_member (object, "createTime", created);
  json_object_set_int_member (object, "status", status);
  json_object_set_int_member (object, "imageType", image_type);
  json_object_set_int_member (object, "imageSize", image->size);
  return object;
}

static void
describe_images (SimRequest *req)
{
  g_autoptr(GPtrArray) ids = get_list (req, "imageIds");
  gint64 image_type, offset, limit, total = 0;
  JsonArray *set;

  if (param (req, "imageType") == NULL) {
    missing (req, "imageType");
    return;
  }
  if (!get_int (req, "imageType", 1, 1, 4, &image_type) ||
      !get_int (req, "offset", 0, 0, G_MAXINT32, &offset) ||
      !get_int (req, "limit", 20, 1, 100, &limit))
    return;

  set = json_array_new ();
  if (image_type == 1) {
    for (guint i = req->region->images->len; i > 0; i--) {
      SimImage *image = g_ptr_array_index (req->region->images, i - 1);
      gint64 status = tc_image_state_to_legacy (sim_image_refresh (image));

      /* The legacy API has no failed state: a failed image is simply not listed. */
      if (status == 0 || (ids->len > 0 && !g_ptr_array_find_with_equal_func (ids, image->id, g_str_equal, NULL)))
        continue;
      if (total >= offset && total < offset + limit)
        json_array_add_object_element (set, image_json (image, 1, status));
      total++;
    }
  } else if (image_type == 2) {
    for (guint i = 0; i < sim_public_image_count (); i++) {
      const SimImage *image = sim_public_image (i);

      if (ids->len > 0 && !g_ptr_array_find_with_equal_func (ids, image->id, g_str_equal, NULL))
        continue;
      if (total >= offset && total < offset + limit)
        json_array_add_object_element (set, image_json (image, 2, 2));
      total++;
    }
  }

  json_object_set_int_member (req->reply, "totalCount", total);
  json_object_set_array_member (req->reply, "imageSet", set);
}

static const char *
state_code_desc (TcInstanceState state)
{
  switch (state) {
  case TC_INSTANCE_STATE_RUNNING:     return "UnsupportedOperation.InstanceStateRunning";
  case TC_INSTANCE_STATE_STARTING:    return "UnsupportedOperation.InstanceStateStarting";
  case TC_INSTANCE_STATE_STOPPING:    return "UnsupportedOperation.InstanceStateStopping";
  case TC_INSTANCE_STATE_REBOOTING:   return "UnsupportedOperation.InstanceStateRebooting";
  case TC_INSTANCE_STATE_PENDING:     return "UnsupportedOperation.InstanceStatePending";
  case TC_INSTANCE_STATE_SHUTDOWN:    return "UnsupportedOperation.InstanceStateShutdown";
  case TC_INSTANCE_STATE_TERMINATING: return "UnsupportedOperation.InstanceStateTerminating";
  case TC_INSTANCE_STATE_RESCUE:      return "UnsupportedOperation.InstanceStateRescueMode";
  case TC_INSTANCE_STATE_LAUNCH_FAILED:
  case TC_INSTANCE_STATE_MIGRATING:
  case TC_INSTANCE_STATE_BUSY:
  case TC_INSTANCE_STATE_STOPPED:
  case TC_INSTANCE_STATE_UNKNOWN:
  default:                            return "UnsupportedOperation";
  }
}

static void
create_image (SimRequest *req)
{
  const char *instance_id = param (req, "instanceId");
  const char *name = param (req, "imageName");
  const char *description = param (req, "imageDescription");
  g_autoptr(GPtrArray) existing = g_ptr_array_new ();
  g_auto(TcVerdict) verdict = { 0 };
  SimInstance *inst;
  SimImage *image;

  if (instance_id == NULL || *instance_id == '\0') {
    missing (req, "instanceId");
    return;
  }
  if (name == NULL) {
    missing (req, "imageName");
    return;
  }

  if (!tc_rules_check_image_name (TC_PROTOCOL_LEGACY, name, &verdict)) {
    sim_request_fail (req, "InvalidParameterValue", 4000, "(-20010)imageName: %s", verdict.message);
    return;
  }
  if (!tc_rules_check_description (TC_PROTOCOL_LEGACY, description, &verdict)) {
    sim_request_fail (req, "InvalidParameterValue", 4000, "(-20011)imageDescription: %s",
                      verdict.message);
    return;
  }

  inst = sim_region_find_instance (req->region, instance_id);
  if (inst == NULL) {
    sim_request_fail (req, "InvalidInstanceId.NotFound", 5000,
                      "(-20004)实例不存在 (instance %s not found in %s)",
                      instance_id, req->region->info->id);
    return;
  }

  /* A failed image is not listed (describe_images), and is not in the way either. */
  for (guint i = 0; i < req->region->images->len; i++) {
    SimImage *other = g_ptr_array_index (req->region->images, i);

    if (tc_image_state_to_legacy (sim_image_refresh (other)) != 0)
      g_ptr_array_add (existing, other->name);
  }
  g_ptr_array_add (existing, NULL);
  if (!tc_rules_check_name_available (name, (const char * const *) existing->pdata, &verdict)) {
    sim_request_fail (req, "InvalidImageName.Duplicate", 5100, "(-20001)镜像名称已存在: %s",
                      verdict.message);
    return;
  }

  if (!tc_rules_check_quota (existing->len - 1, req->cloud->quota, &verdict)) {
    sim_request_fail (req, "ImageQuotaLimitExceeded", 5100, "(-20002)镜像配额已满: %s",
                      verdict.message);
    return;
  }

  if (!tc_rules_check_instance_state (TC_PROTOCOL_LEGACY, inst->state, FALSE, &verdict)) {
    sim_request_fail (req, state_code_desc (inst->state), 5100,
                      "(-20003)实例状态不允许制作镜像: %s", verdict.message);
    return;
  }

  image = sim_cloud_create_image (req->cloud, req->region, inst, name, description);
  json_object_set_int_member (req->reply, "requestId", image->task_id);
}

static const struct {
  const char *name;
  void      (*run) (SimRequest *req);
  gboolean    image_module;
} actions[] = {
  { "DescribeInstances", describe_instances, FALSE },
  { "DescribeImages", describe_images, TRUE },
  { "CreateImage", create_image, TRUE },
};

void
sim_legacy_process (SimRequest *req)
{
  g_autofree char *bare_host = NULL;
  g_autofree char *host = NULL;
  const char *region;
  guint index = G_N_ELEMENTS (actions);

  if (!authenticate (req))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++) {
    if (strcmp (actions[i].name, req->action) == 0)
      index = i;
  }
  if (index == G_N_ELEMENTS (actions)) {
    sim_request_fail (req, "InvalidAction", 4000, "Action %s 不存在 (no such action)", req->action);
    return;
  }

  bare_host = sim_host_without_port (req->host);
  host = g_ascii_strdown (bare_host, -1);
  if ((actions[index].image_module && g_str_has_prefix (host, "cvm.")) ||
      (!actions[index].image_module && g_str_has_prefix (host, "image."))) {
    sim_request_fail (req, "UnsupportedOperation", 6100,
                      "模块不支持该接口 (%s is not served by %s: use the %s host)",
                      req->action, host, actions[index].image_module ? "image." : "cvm.");
    return;
  }

  region = param (req, "Region");
  if (region == NULL || *region == '\0') {
    missing (req, "Region");
    return;
  }
  {
    const SimRegionInfo *info = sim_region_info_lookup (region, TRUE);

    req->region = info != NULL ? sim_fleet_get_region (req->cloud->fleet, info->id) : NULL;
  }
  if (req->region == NULL) {
    sim_request_fail (req, "UnsupportedRegion", 4000, "地域 %s 不存在 (no such region)", region);
    return;
  }

  if (!sim_request_admit (req))
    return;

  req->reply = json_object_new ();
  actions[index].run (req);
}

GBytes *
sim_legacy_render (SimRequest *req)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  JsonObject *object = json_object_new ();
  gsize len;
  char *text;

  if (req->error_code != NULL) {
    g_autofree char *message = NULL;

    if (req->error_message != NULL && req->error_message[0] == '(')
      message = g_strdup (req->error_message);
    else
      message = g_strdup_printf ("(%d)%s", req->legacy_code,
                                 req->error_message != NULL ? req->error_message : "");

    json_object_set_int_member (object, "code", req->legacy_code != 0 ? req->legacy_code : 4000);
    json_object_set_string_member (object, "message", message);
    json_object_set_string_member (object, "codeDesc", req->error_code);
  } else {
    json_object_set_int_member (object, "code", 0);
    json_object_set_string_member (object, "message", "");
    json_object_set_string_member (object, "codeDesc", "Success");
    if (req->reply != NULL) {
      g_autoptr(GList) members = json_object_get_members (req->reply);

      for (GList *l = members; l != NULL; l = l->next)
        json_object_set_member (object, l->data, json_object_dup_member (req->reply, l->data));
    }
  }

  json_node_take_object (root, object);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);
  return g_bytes_new_take (text, len);
}
