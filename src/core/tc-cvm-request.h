/* tc-cvm-request.h: what the image form sends to CreateImage, and what the writes answer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct {
  char *key;
  char *value;
} TcTag;

/* What the image form sends. */
typedef struct {
  char       *instance_id;
  char       *name;
  char       *description;     /* nullable */
  gboolean    force_poweroff;  /* API 3.0 only */
  gboolean    sysprep;         /* API 3.0 only, Windows */
  GStrv       data_disk_ids;   /* API 3.0 only; nullable */
  GPtrArray  *tags;            /* API 3.0 only; TcTag, nullable */
} TcImageRequest;

#define TC_TYPE_IMAGE_REQUEST (tc_image_request_get_type ())
GType            tc_image_request_get_type (void) G_GNUC_CONST;
TcImageRequest  *tc_image_request_new      (const char           *instance_id,
                                            const char           *name,
                                            const char           *description);
TcImageRequest  *tc_image_request_copy     (const TcImageRequest *request);
void             tc_image_request_free     (TcImageRequest       *request);
void             tc_image_request_add_tag  (TcImageRequest       *request,
                                            const char           *key,
                                            const char           *value);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcImageRequest, tc_image_request_free)

/* What CreateImage answered. */
typedef struct {
  gboolean  dry_run;      /* a dry run that would have succeeded */
  char     *image_id;     /* NULL for the legacy API, which answers none */
  char     *request_id;
} TcCreateResult;

void             tc_create_result_free     (TcCreateResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcCreateResult, tc_create_result_free)

/* One copy SyncImages started: the new image's ID in its destination region. */
typedef struct {
  char *region;
  char *image_id;
} TcImageCopy;

TcImageCopy     *tc_image_copy_new         (const char     *region,
                                            const char     *image_id);
void             tc_image_copy_free        (TcImageCopy    *copy);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcImageCopy, tc_image_copy_free)

G_END_DECLS
