/* imprint-disk-row.h: a data disk the image may include
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tc-models.h"

G_BEGIN_DECLS

#define IMPRINT_TYPE_DISK_ROW (imprint_disk_row_get_type ())

G_DECLARE_FINAL_TYPE (ImprintDiskRow, imprint_disk_row, IMPRINT, DISK_ROW, AdwActionRow)

/*
 * Properties:
 *   "disk-id"  string   the disk's ID (construct-only)
 *   "active"   boolean  the disk goes into the image (read-write; notifies)
 */

GtkWidget  *imprint_disk_row_new         (const TcDisk   *disk);
const char *imprint_disk_row_get_disk_id (ImprintDiskRow *self);
gboolean    imprint_disk_row_get_active  (ImprintDiskRow *self);
void        imprint_disk_row_set_active  (ImprintDiskRow *self,
                                          gboolean        active);

G_END_DECLS
