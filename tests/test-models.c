/* test-models.c: regions, instances and images read from both protocols
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tc-client.h"
#include "tc-cvm-private.h"
#include "tc-envelope.h"
#include "tc-credentials.h"
#include "tc-error.h"
#include "tc-models.h"

/* Models are read as the app reads them: from a whole answer, through the envelope. */
static TcAnswer *
answer (TcProtocol  protocol,
        const char *members)
{
  const char *comma = *members ? "," : "";
  g_autofree char *text = protocol == TC_PROTOCOL_API3
    ? g_strdup_printf ("{\"Response\":{\"RequestId\":\"r\"%s%s}}", comma, members)
    : g_strdup_printf ("{\"code\":0,\"message\":\"\"%s%s}", comma, members);
  g_autoptr(GBytes) body = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  TcAnswer *result = tc_envelope_read (protocol, body, 200, "application/json", &error);

  g_assert_no_error (error);
  return result;
}

/* The one instance of an answer that lists @object. */
static TcInstance *
read_instance (TcProtocol   protocol,
               const char  *object,
               GError     **error)
{
  g_autofree char *members = g_strdup_printf (protocol == TC_PROTOCOL_API3
                                              ? "\"TotalCount\":1,\"InstanceSet\":[%s]"
                                              : "\"totalCount\":1,\"instanceSet\":[%s]", object);
  g_autoptr(TcAnswer) result = answer (protocol, members);

  return tc_cvm_parse_instance (result, error);
}

static TcImage *
read_image (TcProtocol   protocol,
            const char  *object,
            GError     **error)
{
  g_autofree char *members = g_strdup_printf (protocol == TC_PROTOCOL_API3
                                              ? "\"TotalCount\":1,\"ImageSet\":[%s]"
                                              : "\"totalCount\":1,\"imageSet\":[%s]", object);
  g_autoptr(TcAnswer) result = answer (protocol, members);
  g_autoptr(GPtrArray) page = NULL;
  guint total;

  page = tc_cvm_parse_page (TC_CVM_LIST_IMAGES, result, &total, error);
  if (page == NULL)
    return NULL;
  g_assert_cmpuint (page->len, ==, 1);
  return g_object_ref (page->pdata[0]);
}

static void
test_instance_api3 (void)
{
  const char *object = (
    "{\"InstanceId\":\"ins-abc12345\",\"InstanceName\":\"数据库-主-02\",\"InstanceState\":\"STOPPED\","
    "\"InstanceType\":\"S5.MEDIUM4\",\"CPU\":2,\"Memory\":4,\"OsName\":\"Windows Server 2019 数据中心版 64位中文版\","
    "\"Placement\":{\"Zone\":\"ap-guangzhou-3\"},\"PrivateIpAddresses\":[\"10.0.0.8\"],\"PublicIpAddresses\":null,"
    "\"CreatedTime\":\"2020-09-22T00:00:00Z\",\"SystemDisk\":{\"DiskId\":\"disk-sys\",\"DiskType\":\"CLOUD_PREMIUM\",\"DiskSize\":50},"
    "\"DataDisks\":[{\"DiskId\":\"disk-1\",\"DiskType\":\"CLOUD_SSD\",\"DiskSize\":100},{\"DiskId\":\"disk-2\",\"DiskSize\":200}]}");
  g_autoptr(GError) error = NULL;
  TcInstance *instance = read_instance (TC_PROTOCOL_API3, object, &error);
  GPtrArray *disks;

  g_assert_no_error (error);
  g_assert_cmpstr (tc_instance_get_id (instance), ==, "ins-abc12345");
  g_assert_cmpstr (tc_instance_get_name (instance), ==, "数据库-主-02");
  g_assert_cmpint (tc_instance_get_state (instance), ==, TC_INSTANCE_STATE_STOPPED);
  g_assert_cmpstr (tc_instance_get_zone (instance), ==, "ap-guangzhou-3");
  g_assert_cmpstr (tc_instance_get_private_ip (instance), ==, "10.0.0.8");
  g_assert_null (tc_instance_get_public_ip (instance));
  g_assert_cmpuint (tc_instance_get_cpu (instance), ==, 2);
  g_assert_true (tc_instance_is_windows (instance));
  g_assert_cmpint (g_date_time_get_year (tc_instance_get_created (instance)), ==, 2020);
  g_assert_cmpstr (tc_instance_get_system_disk (instance)->disk_id, ==, "disk-sys");

  disks = tc_instance_get_data_disks (instance);
  g_assert_cmpuint (disks->len, ==, 2);
  g_assert_cmpstr (((TcDisk *) disks->pdata[1])->disk_id, ==, "disk-2");
  g_assert_cmpuint (((TcDisk *) disks->pdata[0])->size_gb, ==, 100);

  g_assert_finalize_object (instance);
}

/* The keys the picker sorts and searches with are made with the instance, from either
 * protocol: the name as people read it, and the name, ID and addresses case-folded. The
 * public address is the one most people know, and the search box asks for "IP address". */
static void
test_instance_keys (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TcInstance) upper = read_instance (TC_PROTOCOL_API3,
    "{\"InstanceId\":\"ins-1\",\"InstanceName\":\"Web-B\",\"PrivateIpAddresses\":[\"10.0.0.8\"],"
    "\"PublicIpAddresses\":[\"74.42.29.53\"]}", &error);
  g_autoptr(TcInstance) lower = read_instance (TC_PROTOCOL_LEGACY,
    "{\"unInstanceId\":\"ins-2\",\"instanceName\":\"web-a\",\"lanIp\":\"10.0.0.9\",\"wanIpSet\":[\"1.2.3.4\"]}", &error);
  g_autoptr(TcInstance) unnamed = read_instance (TC_PROTOCOL_API3, "{\"InstanceId\":\"ins-3\"}", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (tc_instance_get_search_key (upper), ==, "web-b\nins-1\n10.0.0.8\n74.42.29.53");
  g_assert_cmpstr (tc_instance_get_search_key (lower), ==, "web-a\nins-2\n10.0.0.9\n1.2.3.4");
  g_assert_cmpstr (tc_instance_get_search_key (unnamed), ==, "\nins-3\n\n");

  /* Case does not order: "web-a" before "Web-B", and no name before any. */
  g_assert_cmpint (strcmp (tc_instance_get_sort_key (lower), tc_instance_get_sort_key (upper)), <, 0);
  g_assert_cmpint (strcmp (tc_instance_get_sort_key (unnamed), tc_instance_get_sort_key (lower)), <, 0);
}

static void
test_instance_legacy (void)
{
  const char *object = (
    "{\"unInstanceId\":\"ins-09dx96dg\",\"instanceName\":\"web-03\",\"status\":2,\"os\":\"ubuntu 20.04\","
    "\"zoneName\":\"广州三区\",\"lanIp\":\"10.1.2.3\",\"wanIpSet\":[\"1.2.3.4\"],\"cpu\":\"4\",\"mem\":8,"
    "\"createTime\":\"2016-06-06 12:00:00\",\"diskInfo\":{\"rootId\":\"disk-r\",\"rootSize\":50,"
    "\"dataDisks\":[{\"diskId\":\"disk-d\",\"diskSize\":10}]}}");
  g_autoptr(GError) error = NULL;
  TcInstance *instance = read_instance (TC_PROTOCOL_LEGACY, object, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (tc_instance_get_id (instance), ==, "ins-09dx96dg");
  g_assert_cmpint (tc_instance_get_state (instance), ==, TC_INSTANCE_STATE_RUNNING);
  g_assert_cmpstr (tc_instance_get_public_ip (instance), ==, "1.2.3.4");
  g_assert_cmpuint (tc_instance_get_cpu (instance), ==, 4);   /* numbers may come as strings */
  g_assert_false (tc_instance_is_windows (instance));
  /* Legacy times are Beijing time: 12:00 there is 04:00 UTC. */
  g_assert_cmpint (g_date_time_to_unix (tc_instance_get_created (instance)), ==, 1465185600);
  g_assert_cmpuint (tc_instance_get_data_disks (instance)->len, ==, 1);
  g_assert_finalize_object (instance);
}

/* Missing IDs are errors; wrong types elsewhere are tolerated as absent. */
static void
test_instance_bad (void)
{
  const char *no_id = "{\"InstanceName\":\"x\"}";
  const char *wrong_types = (
    "{\"InstanceId\":\"ins-1\",\"InstanceName\":7,\"InstanceState\":[],\"Placement\":\"x\","
    "\"PrivateIpAddresses\":{},\"CPU\":\"many\",\"DataDisks\":[1,\"a\",null,{}],\"CreatedTime\":\"yesterday\"}");
  g_autoptr(GError) error = NULL;
  TcInstance *instance;

  g_assert_null (read_instance (TC_PROTOCOL_API3, no_id, &error));
  g_assert_error (error, TC_ERROR, TC_ERROR_MALFORMED_RESPONSE);
  g_clear_error (&error);
  g_assert_null (read_instance (TC_PROTOCOL_LEGACY, no_id, &error));
  g_assert_error (error, TC_ERROR, TC_ERROR_MALFORMED_RESPONSE);

  instance = read_instance (TC_PROTOCOL_API3, wrong_types, NULL);
  g_assert_nonnull (instance);
  g_assert_null (tc_instance_get_name (instance));
  g_assert_cmpint (tc_instance_get_state (instance), ==, TC_INSTANCE_STATE_UNKNOWN);
  g_assert_null (tc_instance_get_zone (instance));
  g_assert_cmpuint (tc_instance_get_cpu (instance), ==, 0);
  g_assert_cmpuint (tc_instance_get_data_disks (instance)->len, ==, 0);
  g_assert_null (tc_instance_get_created (instance));
  g_assert_finalize_object (instance);
}

static void
test_image (void)
{
  const char *api3 = ("{\"ImageId\":\"img-1\",\"ImageName\":\"base\",\"ImageState\":\"CREATEFAILED\",\"ImageType\":\"PRIVATE_IMAGE\"}");
  const char *legacy = ("{\"unImgId\":\"img-2\",\"imageName\":\"old\",\"status\":1,\"createTime\":\"2016-06-06 12:00:00\"}");
  TcImage *a = read_image (TC_PROTOCOL_API3, api3, NULL);
  TcImage *b = read_image (TC_PROTOCOL_LEGACY, legacy, NULL);

  g_assert_cmpstr (tc_image_get_name (a), ==, "base");
  g_assert_cmpint (tc_image_get_state (a), ==, TC_IMAGE_STATE_CREATEFAILED);
  g_assert_true (tc_image_state_is_final (tc_image_get_state (a)));
  g_assert_cmpstr (tc_image_get_id (b), ==, "img-2");
  g_assert_cmpint (tc_image_get_state (b), ==, TC_IMAGE_STATE_CREATING);
  g_assert_false (tc_image_state_is_final (tc_image_get_state (b)));
  g_assert_finalize_object (a);
  g_assert_finalize_object (b);
}

/* What Images and Copy to regions show of an image, in both protocols. */
static void
test_image_details (void)
{
  const char *api3 = "{\"ImageId\":\"img-1\",\"ImageState\":\"SYNCING\",\"ImageSize\":50,"
                     "\"ImageSource\":\"CREATE_IMAGE\",\"SyncPercent\":42,"
                     "\"SnapshotSet\":[{\"SnapshotId\":\"snap-sys\",\"DiskUsage\":\"SYSTEM_DISK\",\"DiskSize\":50},"
                     "{\"SnapshotId\":\"snap-data\",\"DiskUsage\":\"DATA_DISK\",\"DiskSize\":100}]}";
  const char *legacy = "{\"unImgId\":\"img-2\",\"status\":4,\"imageSize\":20}";
  const char *plain = "{\"ImageId\":\"img-3\",\"ImageState\":\"NORMAL\",\"SyncPercent\":null}";
  g_autoptr(TcImage) a = read_image (TC_PROTOCOL_API3, api3, NULL);
  g_autoptr(TcImage) b = read_image (TC_PROTOCOL_LEGACY, legacy, NULL);
  g_autoptr(TcImage) c = read_image (TC_PROTOCOL_API3, plain, NULL);
  const char * const *snapshots = tc_image_get_snapshot_ids (a);

  g_assert_cmpint (tc_image_get_state (a), ==, TC_IMAGE_STATE_SYNCING);
  g_assert_cmpuint (tc_image_get_size_gb (a), ==, 50);
  g_assert_cmpstr (tc_image_get_source (a), ==, "CREATE_IMAGE");
  g_assert_cmpuint (tc_image_get_sync_percent (a), ==, 42);
  g_assert_nonnull (snapshots);
  g_assert_cmpstr (snapshots[0], ==, "snap-sys");
  g_assert_cmpstr (snapshots[1], ==, "snap-data");
  g_assert_null (snapshots[2]);
  g_assert_null (tc_image_get_region (a));

  /* The legacy API says less: a size, a state; no source, no snapshots. */
  g_assert_cmpint (tc_image_get_state (b), ==, TC_IMAGE_STATE_SYNCING);
  g_assert_cmpuint (tc_image_get_size_gb (b), ==, 20);
  g_assert_null (tc_image_get_source (b));
  g_assert_cmpuint (tc_image_get_sync_percent (b), ==, 0);
  g_assert_null (tc_image_get_snapshot_ids (b));

  /* A ready image is whole, whatever SyncPercent said; size unknown is 0. */
  g_assert_cmpuint (tc_image_get_sync_percent (c), ==, 100);
  g_assert_cmpuint (tc_image_get_size_gb (c), ==, 0);
  g_assert_null (tc_image_get_snapshot_ids (c));
}

/* Sizes, percentages and snapshot lists as a broken or hostile server may send them. */
static void
test_image_hostile (void)
{
  static const struct {
    const char *members;
    guint64     size;
    guint       percent;
    guint       n_snapshots;
  } cases[] = {
    { "\"ImageSize\":-5,\"SyncPercent\":-1", 0, 0, 0 },
    { "\"ImageSize\":1e999,\"SyncPercent\":250", 0, 100, 0 },
    { "\"ImageSize\":\"30\",\"SyncPercent\":\"7\"", 30, 7, 0 },
    { "\"ImageSize\":[1],\"SyncPercent\":{},\"SnapshotSet\":\"snap-1\"", 0, 0, 0 },
    { "\"SnapshotSet\":[]", 0, 0, 0 },
    { "\"SnapshotSet\":[null,1,\"snap-x\",{},{\"SnapshotId\":5},{\"SnapshotId\":\"\"},"
      "{\"SnapshotId\":\"snap-ok\"}]", 0, 0, 1 },
    { "\"SnapshotSet\":[{\"SnapshotId\":\"snap-a\"}],\"SnapshotSet\":[{\"SnapshotId\":\"snap-b\"},"
      "{\"SnapshotId\":\"snap-c\"}]", 0, 0, 2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *object = g_strdup_printf ("{\"ImageId\":\"img-1\",\"ImageState\":\"SYNCING\",%s}",
                                               cases[i].members);
    g_autoptr(GError) error = NULL;
    g_autoptr(TcImage) image = read_image (TC_PROTOCOL_API3, object, &error);
    const char * const *snapshots;

    g_test_message ("%s", object);
    g_assert_no_error (error);
    g_assert_cmpuint (tc_image_get_size_gb (image), ==, cases[i].size);
    g_assert_cmpuint (tc_image_get_sync_percent (image), ==, cases[i].percent);
    snapshots = tc_image_get_snapshot_ids (image);
    g_assert_cmpuint (snapshots != NULL ? g_strv_length ((char **) snapshots) : 0, ==,
                      cases[i].n_snapshots);
    for (guint s = 0; snapshots != NULL && snapshots[s] != NULL; s++)
      g_assert_true (g_str_has_prefix (snapshots[s], "snap-"));
  }
}

static void
test_image_blocks_delete (void)
{
  static const struct {
    TcImageState state;
    gboolean     blocks;
  } cases[] = {
    { TC_IMAGE_STATE_UNKNOWN, FALSE },
    { TC_IMAGE_STATE_CREATING, TRUE },
    { TC_IMAGE_STATE_NORMAL, FALSE },
    { TC_IMAGE_STATE_CREATEFAILED, FALSE },
    { TC_IMAGE_STATE_SYNCING, TRUE },
    { TC_IMAGE_STATE_IMPORTING, TRUE },
    { TC_IMAGE_STATE_IMPORTFAILED, FALSE },
    { TC_IMAGE_STATE_USING, TRUE },
  };
  g_autoptr(GHashTable) reasons = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    const char *reason = tc_image_state_blocks_delete (cases[i].state);

    g_test_message ("%s", tc_image_state_to_api3 (cases[i].state));
    g_assert_true ((reason != NULL) == cases[i].blocks);
    /* Each reason is its own sentence. */
    if (reason != NULL) {
      g_assert_true (g_str_has_suffix (reason, "."));
      g_assert_true (g_hash_table_add (reasons, (gpointer) reason));
    }
  }
}

/* SyncImages answers each copy as {Region, ImageId}; without either it cannot be followed. */
static void
test_image_copies (void)
{
  g_autoptr(TcAnswer) good = answer (TC_PROTOCOL_API3,
    "\"ImageSet\":[{\"ImageId\":\"img-a\",\"Region\":\"ap-shanghai\"},"
    "{\"Region\":\"ap-chengdu\",\"ImageId\":\"img-b\"}]");
  g_autoptr(TcAnswer) no_region = answer (TC_PROTOCOL_API3,
    "\"ImageSet\":[{\"ImageId\":\"img-a\",\"Region\":\"ap-shanghai\"},{\"ImageId\":\"img-b\"}]");
  g_autoptr(TcAnswer) no_id = answer (TC_PROTOCOL_API3, "\"ImageSet\":[{\"Region\":\"ap-shanghai\"}]");
  g_autoptr(TcAnswer) header = answer (TC_PROTOCOL_API3,
    "\"ImageSet\":[{\"ImageId\":\"img-a\",\"Region\":\"ap-shanghai\\r\\nX-Evil: 1\"}]");
  g_autoptr(TcAnswer) upper = answer (TC_PROTOCOL_API3,
    "\"ImageSet\":[{\"ImageId\":\"img-a\",\"Region\":\"AP-Shanghai\"}]");
  g_autoptr(TcAnswer) none = answer (TC_PROTOCOL_API3, "");
  g_autoptr(GPtrArray) copies = tc_cvm_parse_copies (good, NULL);
  TcAnswer *broken[] = { no_region, no_id, none, header, upper };

  g_assert_cmpuint (copies->len, ==, 2);
  g_assert_cmpstr (((TcImageCopy *) copies->pdata[0])->region, ==, "ap-shanghai");
  g_assert_cmpstr (((TcImageCopy *) copies->pdata[0])->image_id, ==, "img-a");
  g_assert_cmpstr (((TcImageCopy *) copies->pdata[1])->region, ==, "ap-chengdu");
  g_assert_cmpstr (((TcImageCopy *) copies->pdata[1])->image_id, ==, "img-b");

  for (guint i = 0; i < G_N_ELEMENTS (broken); i++) {
    g_autoptr(GError) error = NULL;

    g_assert_null (tc_cvm_parse_copies (broken[i], &error));
    g_assert_error (error, TC_ERROR, TC_ERROR_MALFORMED_RESPONSE);
  }
}

/* The codes DeleteImages and SyncImages answer, each with advice the user can follow. */
static void
test_image_errors (void)
{
  static const struct {
    const char  *code;
    TcErrorCode  error;
  } cases[] = {
    { "InvalidImageId.IncorrectState", TC_ERROR_IMAGE_STATE },
    { "InvalidParameterValue.InvalidImageState", TC_ERROR_IMAGE_STATE },
    { "FailedOperation.InvalidImageState", TC_ERROR_IMAGE_STATE },
    { "InvalidImageId.InShared", TC_ERROR_IMAGE_SHARED },
    { "InvalidParameterValue.InvalidImageIdIsShared", TC_ERROR_IMAGE_SHARED },
    { "InvalidImageId.NotFound", TC_ERROR_NOT_FOUND },
    { "InvalidImageId.Malformed", TC_ERROR_NOT_FOUND },
    { "InvalidParameterValue.InvalidImageId", TC_ERROR_NOT_FOUND },
    { "InvalidImageId.TooLarge", TC_ERROR_IMAGE_TOO_LARGE },
    { "InvalidRegion.NotFound", TC_ERROR_REGION },
    { "InvalidRegion.Unavailable", TC_ERROR_REGION },
    { "InvalidParameterValue.InvalidRegion", TC_ERROR_REGION },
    { "UnsupportedOperation.Region", TC_ERROR_REGION },
    { "ImageQuotaLimitExceeded", TC_ERROR_QUOTA },
    { "InvalidImageName.Duplicate", TC_ERROR_NAME_TAKEN },
    { "InvalidParameterValue.LimitExceeded", TC_ERROR_INVALID_PARAMETER },
    { "UnsupportedOperation.EncryptedImagesNotSupported", TC_ERROR_IMAGE_ENCRYPTED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(GError) error = tc_error_new_server (cases[i].code, "x", "r", 200);

    g_test_message ("%s", cases[i].code);
    g_assert_error (error, TC_ERROR, (gint) cases[i].error);
    g_assert_cmpstr (error->message, !=, tc_error_describe (TC_ERROR_FAILED));
  }

  /* Not the endpoint's fault: the server's own explanation is what helps. */
  {
    g_autoptr(GError) error = tc_error_new_server ("InvalidInstance.NotSupported", "x", "r", 200);

    g_assert_error (error, TC_ERROR, TC_ERROR_FAILED);
  }
}

static void
test_regions (void)
{
  g_autoptr(GListModel) builtin = tc_region_list_builtin ();
  g_autoptr(TcAnswer) result = answer (TC_PROTOCOL_API3,
    "\"RegionSet\":[{\"Region\":\"ap-guangzhou\",\"RegionName\":\"华南地区(广州)\",\"RegionState\":\"AVAILABLE\"},"
    "{\"RegionName\":\"x\"}]");
  g_autoptr(GListModel) regions = tc_cvm_parse_regions (result, NULL);
  TcRegion *region = g_list_model_get_item (regions, 0);
  TcRegion *first = g_list_model_get_item (builtin, 0);

  g_assert_cmpuint (g_list_model_get_n_items (builtin), >=, 15);
  g_assert_cmpstr (tc_region_get_region (first), ==, "ap-guangzhou");
  g_assert_cmpstr (tc_region_get_name (first), ==, "South China (Guangzhou)");
  g_assert_cmpstr (tc_region_get_name (region), ==, "华南地区(广州)");
  g_assert_true (tc_region_get_available (region));
  g_assert_cmpuint (g_list_model_get_n_items (regions), ==, 1);   /* no code, no region */

  g_object_unref (first);
  g_object_unref (region);
}

static void
test_credentials (void)
{
  g_autoptr(TcCredentials) creds = tc_credentials_new ("AKIDexample1234", "secret", "");
  g_autofree char *masked = tc_credentials_mask_secret_id ("AKIDexample1234");
  g_autofree char *short_masked = tc_credentials_mask_secret_id ("abc");

  g_assert_null (tc_credentials_get_token (creds));   /* an empty token is no token */
  g_assert_cmpstr (masked, ==, "••••1234");
  g_assert_cmpstr (short_masked, ==, "••••");
}

/* A SecretId read from a hostile file may end in half a character; masking it must not
 * step past its end (valgrind saw a read 2 bytes after a 12-byte block). */
static void
test_mask_invalid_utf8 (void)
{
  static const struct {
    const char *secret_id;
    const char *masked;
  } cases[] = {
    { "AKIDabcdefg\xe4", "••••efg\xef\xbf\xbd" },       /* a 3-byte sequence cut after 1 */
    { "AKIDabcdef\xe4\xb8", "••••ef\xef\xbf\xbd\xef\xbf\xbd" },  /* … after 2 */
    { "\xff\xfe\xfd", "••••" },
    { "AKID\xffwxyz", "••••wxyz" },
    { "密钥标识一二三四五", "••••二三四五" },
    { "", "••••" },
    { NULL, "••••" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *masked = tc_credentials_mask_secret_id (cases[i].secret_id);

    g_assert_true (g_utf8_validate (masked, -1, NULL));
    g_assert_cmpstr (masked, ==, cases[i].masked);
  }
}

/* Numbers beyond gint64 (1e999 parses as infinity) were cast with undefined behaviour; a
 * count out of range now reads as absent. */
static void
test_numbers_out_of_range (void)
{
  static const char * const hostile[] = {
    "1e999", "-1e999", "1e19", "-1e19", "9.3e18", "1.8e308", "\"99999999999999999999\"",
    "\"-99999999999999999999\"",
  };

  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++) {
    g_autofree char *api3 = g_strdup_printf ("{\"InstanceId\":\"ins-1\",\"CPU\":%s,\"Memory\":%s,"
                                             "\"SystemDisk\":{\"DiskId\":\"d\",\"DiskSize\":%s}}",
                                             hostile[i], hostile[i], hostile[i]);
    g_autofree char *legacy = g_strdup_printf ("{\"unInstanceId\":\"ins-1\",\"cpu\":%s,\"mem\":%s,"
                                               "\"status\":%s}", hostile[i], hostile[i], hostile[i]);
    g_autofree char *quota_text = g_strdup_printf ("\"ImageNumQuota\":%s", hostile[i]);
    g_autoptr(TcAnswer) quota_object = answer (TC_PROTOCOL_API3, quota_text);
    g_autoptr(TcInstance) a = read_instance (TC_PROTOCOL_API3, api3, NULL);
    g_autoptr(TcInstance) b = read_instance (TC_PROTOCOL_LEGACY, legacy, NULL);
    g_autoptr(GError) error = NULL;
    guint quota = 7;

    g_test_message ("%s", hostile[i]);
    g_assert_cmpuint (tc_instance_get_cpu (a), ==, 0);
    g_assert_cmpuint (tc_instance_get_memory (a), ==, 0);
    g_assert_cmpuint (tc_instance_get_system_disk (a)->size_gb, ==, 0);
    g_assert_cmpuint (tc_instance_get_cpu (b), ==, 0);
    g_assert_cmpint (tc_instance_get_state (b), ==, TC_INSTANCE_STATE_UNKNOWN);

    /* A quota that makes no sense is refused, naming the member. */
    g_assert_false (tc_cvm_parse_quota (quota_object, &quota, &error));
    g_assert_error (error, TC_ERROR, TC_ERROR_MALFORMED_RESPONSE);
    g_assert_nonnull (strstr (tc_error_get_server_message (error), "ImageNumQuota"));
    g_assert_cmpuint (quota, ==, 7);
  }
}

static void
test_quota (void)
{
  static const struct {
    const char *json;
    gboolean    ok;
    guint       quota;
  } cases[] = {
    { "{\"ImageNumQuota\":10}", TRUE, 10 },
    { "{\"ImageNumQuota\":\"25\"}", TRUE, 25 },
    { "{\"ImageNumQuota\":0}", TRUE, 0 },
    { "{\"ImageNumQuota\":200000}", TRUE, 200000 },
    { "{\"ImageNumQuota\":200001}", FALSE, 0 },
    { "{\"ImageNumQuota\":-1}", FALSE, 0 },
    { "{\"ImageNumQuota\":4294967306}", FALSE, 0 },   /* 2^32 + 10 must not wrap to 10 */
    { "{\"ImageNumQuota\":\"ten\"}", FALSE, 0 },
    /* A fraction is a broken answer, not a quota of 10. */
    { "{\"ImageNumQuota\":10.9}", FALSE, 0 },
    { "{\"ImageNumQuota\":\"10.9\"}", FALSE, 0 },
    { "{\"ImageNumQuota\":0.5}", FALSE, 0 },
    { "{\"ImageNumQuota\":1e-1}", FALSE, 0 },
    /* A whole number written as a real is still that number. */
    { "{\"ImageNumQuota\":10.0}", TRUE, 10 },
    { "{\"ImageNumQuota\":1e1}", TRUE, 10 },
    { "{\"ImageNumQuota\":null}", FALSE, 0 },
    { "{}", FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *members = g_strndup (cases[i].json + 1, strlen (cases[i].json) - 2);
    g_autoptr(TcAnswer) object = answer (TC_PROTOCOL_API3, members);
    g_autoptr(GError) error = NULL;
    guint quota = 0;

    g_test_message ("%s", cases[i].json);
    g_assert_cmpint (tc_cvm_parse_quota (object, &quota, &error), ==, cases[i].ok);
    if (cases[i].ok) {
      g_assert_no_error (error);
      g_assert_cmpuint (quota, ==, cases[i].quota);
    } else {
      g_assert_error (error, TC_ERROR, TC_ERROR_MALFORMED_RESPONSE);
    }
  }
}

/* How many items a list has is a whole number: "10.9" is a broken answer (naming the
 * member), not 10, in both protocols. */
static void
test_page_total (void)
{
  static const struct {
    const char *total;
    gboolean    ok;
    guint       value;
  } cases[] = {
    { "1", TRUE, 1 },
    { "\"1\"", TRUE, 1 },
    { "1.0", TRUE, 1 },
    { "1.9", FALSE, 0 },
    { "\"1.9\"", FALSE, 0 },
    { "1.5e0", FALSE, 0 },
  };

  for (guint p = 0; p < 2; p++) {
    TcProtocol protocol = p == 0 ? TC_PROTOCOL_API3 : TC_PROTOCOL_LEGACY;
    const char *member = protocol == TC_PROTOCOL_API3 ? "TotalCount" : "totalCount";

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
      g_autofree char *members = g_strdup_printf (protocol == TC_PROTOCOL_API3
                                                  ? "\"TotalCount\":%s,\"ImageSet\":[]"
                                                  : "\"totalCount\":%s,\"imageSet\":[]",
                                                  cases[i].total);
      g_autoptr(TcAnswer) result = answer (protocol, members);
      g_autoptr(GPtrArray) page = NULL;
      g_autoptr(GError) error = NULL;
      guint total = 7;

      g_test_message ("%s %s", member, cases[i].total);
      page = tc_cvm_parse_page (TC_CVM_LIST_IMAGES, result, &total, &error);
      if (cases[i].ok) {
        g_assert_no_error (error);
        g_assert_nonnull (page);
        g_assert_cmpuint (total, ==, cases[i].value);
      } else {
        g_assert_null (page);
        g_assert_error (error, TC_ERROR, TC_ERROR_MALFORMED_RESPONSE);
        g_assert_nonnull (strstr (tc_error_get_server_message (error), member));
        g_assert_cmpuint (total, ==, 7);
      }
    }
  }
}

/* An escaped lone surrogate is the one way a server can put something that is not a
 * character into valid JSON. Shown text is repaired; IDs with one cannot be right and are
 * refused. */
static void
test_invalid_utf8 (void)
{
  const char *shown = (
    "{\"InstanceId\":\"ins-1\",\"InstanceName\":\"web\\udc00-1\",\"OsName\":\"\\udc01z\","
    "\"InstanceType\":\"S5\\udfffz\",\"Placement\":{\"Zone\":\"ap-\\udc00z\"},"
    "\"PrivateIpAddresses\":[\"10.0.0.\\udc00z\"]}");
  const char *bad_id = "{\"InstanceId\":\"ins-\\udc00z\"}";
  const char *image = (
    "{\"ImageId\":\"img-1\",\"ImageName\":\"\\udc00z\",\"ImageDescription\":\"a\\udc00b\"}");
  const char *bad_image = "{\"unImgId\":\"img-\\udc00z\",\"imageName\":\"x\"}";
  g_autoptr(TcAnswer) regions = answer (TC_PROTOCOL_API3,
    "\"RegionSet\":[{\"Region\":\"ap-x\",\"RegionName\":\"\\udc00z\"},"
    "{\"Region\":\"ap-\\udc00z\",\"RegionName\":\"y\"}]");
  g_autoptr(TcAnswer) created = answer (TC_PROTOCOL_API3, "\"ImageId\":\"img-\\udc00z\"");
  g_autoptr(TcInstance) instance = read_instance (TC_PROTOCOL_API3, shown, NULL);
  g_autoptr(TcImage) img = read_image (TC_PROTOCOL_API3, image, NULL);
  g_autoptr(GListModel) region_list = tc_cvm_parse_regions (regions, NULL);
  g_autoptr(TcRegion) region = NULL;
  g_autoptr(GError) error = NULL;
  const char * const texts[] = {
    tc_instance_get_name (instance), tc_instance_get_os_name (instance),
    tc_instance_get_instance_type (instance), tc_instance_get_zone (instance),
    tc_instance_get_private_ip (instance), tc_image_get_name (img),
    tc_image_get_description (img),
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++) {
    g_assert_nonnull (texts[i]);
    g_assert_true (g_utf8_validate (texts[i], -1, NULL));
    g_assert_nonnull (strstr (texts[i], "\xef\xbf\xbd"));   /* U+FFFD */
  }

  g_assert_null (read_instance (TC_PROTOCOL_API3, bad_id, &error));
  g_assert_error (error, TC_ERROR, TC_ERROR_MALFORMED_RESPONSE);
  g_clear_error (&error);
  g_assert_null (read_image (TC_PROTOCOL_LEGACY, bad_image, &error));
  g_assert_error (error, TC_ERROR, TC_ERROR_MALFORMED_RESPONSE);
  g_clear_error (&error);
  g_assert_null (tc_cvm_parse_create (created, &error));
  g_assert_error (error, TC_ERROR, TC_ERROR_MALFORMED_RESPONSE);

  /* The region with a broken code is left out; the broken name is repaired. */
  g_assert_cmpuint (g_list_model_get_n_items (region_list), ==, 1);
  region = g_list_model_get_item (region_list, 0);
  g_assert_cmpstr (tc_region_get_region (region), ==, "ap-x");
  g_assert_true (g_utf8_validate (tc_region_get_name (region), -1, NULL));
}

static void
test_client_lifecycle (void)
{
  g_autoptr(TcCredentials) creds = tc_credentials_new ("id", "key", NULL);
  TcClient *client = tc_client_new (NULL, TC_PROTOCOL_API3, creds);
  g_autoptr(GError) error = NULL;

  g_assert_true (tc_client_set_endpoint (client, "https://cvm.ap-guangzhou.tencentcloudapi.com/", &error));
  g_assert_true (tc_client_set_endpoint (client, "http://127.0.0.1:8080/", &error));
  g_assert_true (tc_client_set_endpoint (client, "http://[::1]:8080/", &error));
  g_assert_true (tc_client_set_endpoint (client, "http://localhost/", &error));
  g_assert_no_error (error);

  g_assert_finalize_object (client);
}

static void
test_endpoints (void)
{
  const struct {
    const char *url;
    gboolean    ok;
  } cases[] = {
    { "https://cvm.tencentcloudapi.com/", TRUE },
    { "https://cvm.intl.tencentcloudapi.com", TRUE },
    { "https://private.example.com:8443/api/", TRUE },
    { "http://127.0.0.1:9000/", TRUE },
    { "http://127.8.9.1/", TRUE },
    { "http://localhost:9000/v2/index.php", TRUE },
    { "http://cvm.tencentcloudapi.com/", FALSE },
    { "http://10.0.0.1/", FALSE },
    { "http://192.168.1.1/", FALSE },
    { "ftp://cvm.tencentcloudapi.com/", FALSE },
    { "cvm.tencentcloudapi.com", FALSE },
    { "https://", FALSE },
    { "", FALSE },
    { "https://user:pw@cvm.tencentcloudapi.com/", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr(GError) error = NULL;
    gboolean ok = tc_endpoint_validate (cases[i].url, &error);

    g_test_message ("%s", cases[i].url);
    g_assert_cmpint (ok, ==, cases[i].ok);
    if (!ok)
      g_assert_error (error, TC_ERROR, TC_ERROR_BAD_ENDPOINT);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/imprint/models/instance/api3", test_instance_api3);
  g_test_add_func ("/imprint/models/instance/legacy", test_instance_legacy);
  g_test_add_func ("/imprint/models/instance/keys", test_instance_keys);
  g_test_add_func ("/imprint/models/instance/bad", test_instance_bad);
  g_test_add_func ("/imprint/models/image", test_image);
  g_test_add_func ("/imprint/models/image/details", test_image_details);
  g_test_add_func ("/imprint/models/image/hostile", test_image_hostile);
  g_test_add_func ("/imprint/models/image/blocks-delete", test_image_blocks_delete);
  g_test_add_func ("/imprint/models/image/copies", test_image_copies);
  g_test_add_func ("/imprint/models/image/errors", test_image_errors);
  g_test_add_func ("/imprint/models/regions", test_regions);
  g_test_add_func ("/imprint/models/credentials", test_credentials);
  g_test_add_func ("/imprint/models/hostile/mask-invalid-utf8", test_mask_invalid_utf8);
  g_test_add_func ("/imprint/models/hostile/numbers-out-of-range", test_numbers_out_of_range);
  g_test_add_func ("/imprint/models/hostile/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/imprint/models/quota", test_quota);
  g_test_add_func ("/imprint/models/page-total", test_page_total);
  g_test_add_func ("/imprint/client/lifecycle", test_client_lifecycle);
  g_test_add_func ("/imprint/client/endpoints", test_endpoints);

  return g_test_run ();
}
