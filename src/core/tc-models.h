/* tc-models.h: regions, instances and images as GObjects, ready for GListModel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tc-json-reader.h"
#include "tc-types.h"

G_BEGIN_DECLS

/* A disk of an instance. */
typedef struct {
  char   *disk_id;
  char   *disk_type;
  guint   size_gb;
} TcDisk;

#define TC_TYPE_DISK (tc_disk_get_type ())
GType    tc_disk_get_type (void) G_GNUC_CONST;
TcDisk  *tc_disk_new      (const char *disk_id,
                           const char *disk_type,
                           guint       size_gb);
TcDisk  *tc_disk_copy     (const TcDisk *disk);
void     tc_disk_free     (TcDisk *disk);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcDisk, tc_disk_free)

/* TcRegion */

#define TC_TYPE_REGION (tc_region_get_type ())
G_DECLARE_FINAL_TYPE (TcRegion, tc_region, TC, REGION, GObject)

TcRegion    *tc_region_new             (const char *region,
                                        const char *name,
                                        gboolean    available);
TcRegion    *tc_region_read_api3       (TcJsonReader *reader);
const char  *tc_region_get_region      (TcRegion   *self);
const char  *tc_region_get_name        (TcRegion   *self);
gboolean     tc_region_get_available   (TcRegion   *self);
GListModel  *tc_region_list_builtin    (void);

/* TcInstance */

#define TC_TYPE_INSTANCE (tc_instance_get_type ())
G_DECLARE_FINAL_TYPE (TcInstance, tc_instance, TC, INSTANCE, GObject)

TcInstance      *tc_instance_read_api3         (TcJsonReader  *reader,
                                                GError       **error);
TcInstance      *tc_instance_read_legacy       (TcJsonReader  *reader,
                                                GError       **error);
const char      *tc_instance_get_id            (TcInstance *self);
const char      *tc_instance_get_name          (TcInstance *self);
TcInstanceState  tc_instance_get_state         (TcInstance *self);
const char      *tc_instance_get_state_label   (TcInstance *self);
const char      *tc_instance_get_os_name       (TcInstance *self);
gboolean         tc_instance_is_windows        (TcInstance *self);
const char      *tc_instance_get_zone          (TcInstance *self);
const char      *tc_instance_get_instance_type (TcInstance *self);
const char      *tc_instance_get_private_ip    (TcInstance *self);
const char      *tc_instance_get_public_ip     (TcInstance *self);
guint            tc_instance_get_cpu           (TcInstance *self);
guint            tc_instance_get_memory        (TcInstance *self);
GDateTime       *tc_instance_get_created       (TcInstance *self);
const TcDisk    *tc_instance_get_system_disk   (TcInstance *self);
GPtrArray       *tc_instance_get_data_disks    (TcInstance *self);
const char      *tc_instance_get_sort_key      (TcInstance *self);
const char      *tc_instance_get_search_key    (TcInstance *self);

/* TcImage */

#define TC_TYPE_IMAGE (tc_image_get_type ())
G_DECLARE_FINAL_TYPE (TcImage, tc_image, TC, IMAGE, GObject)

TcImage      *tc_image_read_api3         (TcJsonReader  *reader,
                                          GError       **error);
TcImage      *tc_image_read_legacy       (TcJsonReader  *reader,
                                          GError       **error);
const char   *tc_image_get_id            (TcImage *self);
const char   *tc_image_get_name          (TcImage *self);
const char   *tc_image_get_description   (TcImage *self);
TcImageState  tc_image_get_state         (TcImage *self);
const char   *tc_image_get_image_type    (TcImage *self);
const char   *tc_image_get_os_name       (TcImage *self);
GDateTime    *tc_image_get_created       (TcImage *self);
guint64       tc_image_get_size_gb       (TcImage *self);
const char   *tc_image_get_source        (TcImage *self);
guint         tc_image_get_sync_percent  (TcImage *self);
const char * const *tc_image_get_snapshot_ids (TcImage *self);
const char   *tc_image_get_region        (TcImage *self);

const char   *tc_image_state_blocks_delete (TcImageState state);

G_END_DECLS
