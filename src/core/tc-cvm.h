/* tc-cvm.h: typed CVM operations on top of TcClient, in either protocol
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tc-client.h"
#include "tc-cvm-request.h"
#include "tc-models.h"

G_BEGIN_DECLS

/* Pages of DescribeInstances in flight at once: 10,000 instances at 100 ms a call arrive
 * in about two seconds while staying within Tencent's per-second limits. */
#define TC_CVM_PAGE_SIZE     100
#define TC_CVM_CONCURRENCY   12
/* Listings of one list at most, when it changes while it is listed (tc_cvm_list_is_whole()). */
#define TC_CVM_LIST_ATTEMPTS 3

typedef void (*TcProgressFunc) (guint    loaded,
                                guint    total,
                                gpointer user_data);

void         tc_cvm_describe_regions_async   (TcClient             *client,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
GListModel  *tc_cvm_describe_regions_finish  (TcClient             *client,
                                              GAsyncResult         *result,
                                              GError              **error);

void         tc_cvm_list_instances_async     (TcClient             *client,
                                              const char           *region,
                                              TcProgressFunc        progress,
                                              gpointer              progress_data,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
GListModel  *tc_cvm_list_instances_finish    (TcClient             *client,
                                              GAsyncResult         *result,
                                              GError              **error);

gboolean     tc_cvm_list_is_whole            (GAsyncResult         *result);

void         tc_cvm_get_instance_async       (TcClient             *client,
                                              const char           *region,
                                              const char           *instance_id,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
TcInstance  *tc_cvm_get_instance_finish      (TcClient             *client,
                                              GAsyncResult         *result,
                                              GError              **error);

void         tc_cvm_list_custom_images_async (TcClient             *client,
                                              const char           *region,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
GListModel  *tc_cvm_list_custom_images_finish (TcClient            *client,
                                              GAsyncResult         *result,
                                              GError              **error);

void         tc_cvm_find_image_by_name_async (TcClient             *client,
                                              const char           *region,
                                              const char           *name,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
TcImage     *tc_cvm_find_image_by_name_finish (TcClient            *client,
                                              GAsyncResult         *result,
                                              GError              **error);

void         tc_cvm_get_images_async         (TcClient             *client,
                                              const char           *region,
                                              const char * const   *image_ids,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
GListModel  *tc_cvm_get_images_finish        (TcClient             *client,
                                              GAsyncResult         *result,
                                              GError              **error);

void         tc_cvm_get_image_quota_async    (TcClient             *client,
                                              const char           *region,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean     tc_cvm_get_image_quota_finish   (TcClient             *client,
                                              GAsyncResult         *result,
                                              guint                *quota,
                                              GError              **error);

void         tc_cvm_create_image_async       (TcClient             *client,
                                              const char           *region,
                                              const TcImageRequest *request,
                                              gboolean              dry_run,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
TcCreateResult *tc_cvm_create_image_finish   (TcClient             *client,
                                              GAsyncResult         *result,
                                              GError              **error);

/* DeleteImages, API 3.0 only: the legacy API fails with %TC_ERROR_UNSUPPORTED and sends
 * nothing. @delete_snapshots also deletes the snapshots the images are made of. @dry_run
 * asks Tencent whether the call would succeed (its DryRunOperation is success here). Never
 * resent by the HTTP layer. */
void         tc_cvm_delete_images_async      (TcClient             *client,
                                              const char           *region,
                                              const char * const   *image_ids,
                                              gboolean              delete_snapshots,
                                              gboolean              dry_run,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean     tc_cvm_delete_images_finish     (TcClient             *client,
                                              GAsyncResult         *result,
                                              char                **request_id,
                                              GError              **error);

/* SyncImages, API 3.0 only: copies one NORMAL custom image of @region to each of
 * @destination_regions, named @image_name (nullable: the source's name). The answer is
 * the copies (TcImageCopy), each SYNCING in its region until NORMAL; a dry run answers
 * none. Never resent by the HTTP layer. */
void         tc_cvm_sync_image_async         (TcClient             *client,
                                              const char           *region,
                                              const char           *image_id,
                                              const char * const   *destination_regions,
                                              const char           *image_name,
                                              gboolean              dry_run,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
GPtrArray   *tc_cvm_sync_image_finish        (TcClient             *client,
                                              GAsyncResult         *result,
                                              char                **request_id,
                                              GError              **error);

/* One cheap signed call that proves the keys work: DescribeRegions in API 3.0, a single
 * DescribeInstances row in the legacy API (which has no DescribeRegions). Not retried, so
 * the answer comes quickly. */
void         tc_cvm_test_connection_async    (TcClient             *client,
                                              const char           *region,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean     tc_cvm_test_connection_finish   (TcClient             *client,
                                              GAsyncResult         *result,
                                              GError              **error);

G_END_DECLS
