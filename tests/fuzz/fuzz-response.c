/* fuzz-response.c: a server's answer, through the envelope, to the models of every action
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built twice: FUZZ_PROTOCOL picks API 3.0 or the legacy envelope. Each input is read as
 * the body of a 200 and of a 500 answer; whatever the envelope accepts then goes through
 * every action's parser, exactly as tc-cvm.c calls them, and every text that comes out
 * must be valid UTF-8.
 */
#include "config.h"

#include "fuzz-util.h"
#include "tc-cvm-private.h"
#include "tc-envelope.h"
#include "tc-error.h"

static void
check_error (const GError *error)
{
  if (error == NULL)
    return;
  fuzz_assert_text (error->message);
  fuzz_assert_text (tc_error_get_server_code (error));
  fuzz_assert_text (tc_error_get_server_message (error));
  fuzz_assert_text (tc_error_get_request_id (error));
}

static void
check_disk (const TcDisk *disk)
{
  if (disk != NULL) {
    fuzz_assert_text (disk->disk_id);
    fuzz_assert_text (disk->disk_type);
  }
}

static void
check_instance (TcInstance *instance)
{
  GPtrArray *disks = tc_instance_get_data_disks (instance);
  GDateTime *created = tc_instance_get_created (instance);

  fuzz_assert_text (tc_instance_get_id (instance));
  fuzz_assert_text (tc_instance_get_name (instance));
  fuzz_assert_text (tc_instance_get_state_label (instance));
  fuzz_assert_text (tc_instance_get_os_name (instance));
  fuzz_assert_text (tc_instance_get_zone (instance));
  fuzz_assert_text (tc_instance_get_instance_type (instance));
  fuzz_assert_text (tc_instance_get_private_ip (instance));
  fuzz_assert_text (tc_instance_get_public_ip (instance));
  (void) tc_instance_is_windows (instance);
  check_disk (tc_instance_get_system_disk (instance));
  for (guint i = 0; i < disks->len; i++)
    check_disk (g_ptr_array_index (disks, i));
  if (created != NULL)
    g_free (g_date_time_format_iso8601 (created));
}

static void
check_image (TcImage *image)
{
  fuzz_assert_text (tc_image_get_id (image));
  fuzz_assert_text (tc_image_get_name (image));
  fuzz_assert_text (tc_image_get_description (image));
  fuzz_assert_text (tc_image_get_image_type (image));
  fuzz_assert_text (tc_image_get_os_name (image));
  fuzz_assert_text (tc_image_get_source (image));
  fuzz_assert_text (tc_image_get_region (image));
  if (tc_image_get_sync_percent (image) > 100)
    abort ();
  (void) tc_image_get_size_gb (image);
  for (const char * const *id = tc_image_get_snapshot_ids (image); id != NULL && *id != NULL; id++) {
    if (**id == '\0')
      abort ();
    fuzz_assert_text (*id);
  }
  (void) tc_image_state_blocks_delete (tc_image_get_state (image));
}

static void
parse_every_action (TcProtocol  protocol,
                    TcAnswer   *response)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) instances = NULL;
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GListModel) regions = NULL;
  g_autoptr(TcInstance) instance = NULL;
  g_autoptr(TcCreateResult) created = NULL;
  g_autoptr(GPtrArray) copies = NULL;
  guint total = 0;
  guint quota = 0;

  instances = tc_cvm_parse_page (TC_CVM_LIST_INSTANCES, response, &total, &error);
  check_error (error);
  g_clear_error (&error);
  for (guint i = 0; instances != NULL && i < instances->len; i++)
    check_instance (g_ptr_array_index (instances, i));

  images = tc_cvm_parse_page (TC_CVM_LIST_IMAGES, response, &total, &error);
  check_error (error);
  g_clear_error (&error);
  for (guint i = 0; images != NULL && i < images->len; i++)
    check_image (g_ptr_array_index (images, i));

  instance = tc_cvm_parse_instance (response, &error);
  check_error (error);
  g_clear_error (&error);
  if (instance != NULL)
    check_instance (instance);

  created = tc_cvm_parse_create (response, &error);
  check_error (error);
  g_clear_error (&error);
  if (created != NULL) {
    fuzz_assert_text (created->image_id);
    fuzz_assert_text (created->request_id);
  }

  /* DescribeRegions, DescribeImageQuota and SyncImages exist in API 3.0 only. */
  if (protocol != TC_PROTOCOL_API3)
    return;

  copies = tc_cvm_parse_copies (response, &error);
  check_error (error);
  g_clear_error (&error);
  for (guint i = 0; copies != NULL && i < copies->len; i++) {
    const TcImageCopy *copy = g_ptr_array_index (copies, i);

    if (copy->region == NULL || *copy->region == '\0' || copy->image_id == NULL)
      abort ();
    fuzz_assert_text (copy->region);
    fuzz_assert_text (copy->image_id);
  }

  regions = tc_cvm_parse_regions (response, &error);
  check_error (error);
  g_clear_error (&error);
  for (guint i = 0; regions != NULL && i < g_list_model_get_n_items (regions); i++) {
    g_autoptr(TcRegion) region = g_list_model_get_item (regions, i);

    fuzz_assert_text (tc_region_get_region (region));
    fuzz_assert_text (tc_region_get_name (region));
  }

  if (tc_cvm_parse_quota (response, &quota, &error) && quota > TC_CVM_MAX_PAGES * TC_CVM_PAGE_SIZE)
    abort ();
  check_error (error);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const guint statuses[] = { 200, 500 };
  g_autoptr(GBytes) body = g_bytes_new (data, size);

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(TcAnswer) response = NULL;

    response = tc_envelope_read (FUZZ_PROTOCOL, body, statuses[i], "application/json", &error);

    if ((response == NULL) == (error == NULL))
      abort ();
    check_error (error);
    if (response != NULL)
      parse_every_action (FUZZ_PROTOCOL, response);
  }
  return 0;
}
