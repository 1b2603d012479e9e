/* tc-cvm-parse.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What each CVM action makes of its answer. The answer has already passed the envelope
 * and been read into models on the way (tc-envelope.c, tc-answer.c); here each action
 * checks that what it needs is there and in range, since a server, a proxy or a
 * simulator may send anything: a broken answer is an error naming the member at fault,
 * never a model with nonsense in it.
 */
#include "config.h"

#include <string.h>

#include "tc-cvm-private.h"
#include "tc-error.h"

static GError *
malformed (const char *detail)
{
  GError *error = g_error_new_literal (TC_ERROR, TC_ERROR_MALFORMED_RESPONSE,
                                       tc_error_describe (TC_ERROR_MALFORMED_RESPONSE));

  tc_error_set_server_details (error, NULL, detail, NULL, 200);
  return error;
}

/* Lists: where each protocol puts the items. */

static const struct {
  const char  *set_member;
  const char  *total_member;
  TcAnswerSet  set;
} list_shapes[2][2] = {
  [TC_PROTOCOL_API3] = {
    [TC_CVM_LIST_INSTANCES] = { "InstanceSet", "TotalCount", TC_ANSWER_INSTANCES },
    [TC_CVM_LIST_IMAGES] = { "ImageSet", "TotalCount", TC_ANSWER_IMAGES },
  },
  [TC_PROTOCOL_LEGACY] = {
    [TC_CVM_LIST_INSTANCES] = { "instanceSet", "totalCount", TC_ANSWER_INSTANCES },
    [TC_CVM_LIST_IMAGES] = { "imageSet", "totalCount", TC_ANSWER_IMAGES },
  },
};

/* The set @list asks for, or %NULL (with @error set when it is broken, not only absent). */
static GPtrArray *
get_set (TcAnswer   *answer,
         TcCvmList   list,
         GError    **error)
{
  TcAnswerSet set = list_shapes[answer->protocol][list].set;

  if (answer->set_errors[set] != NULL) {
    g_propagate_error (error, g_error_copy (answer->set_errors[set]));
    return NULL;
  }
  return answer->sets[set];
}

/**
 * tc_cvm_parse_page:
 * @total: (out): how many items the whole list has, as the page says
 *
 * Reads one page of DescribeInstances or DescribeImages.
 *
 * Returns: (transfer full) (element-type GObject): the page's #TcInstance or #TcImage
 */
GPtrArray *
tc_cvm_parse_page (TcCvmList    list,
                   TcAnswer    *answer,
                   guint       *total,
                   GError     **error)
{
  const char *set_member = list_shapes[answer->protocol][list].set_member;
  GError *set_error = NULL;
  GPtrArray *set = get_set (answer, list, &set_error);

  if (set_error != NULL) {
    g_propagate_error (error, set_error);
    return NULL;
  }
  if (!answer->has_total || answer->total < 0 ||
      answer->total > (gint64) TC_CVM_MAX_PAGES * TC_CVM_PAGE_SIZE) {
    g_autofree char *detail = g_strdup_printf ("%s: not a number of items between 0 and %d",
                                               list_shapes[answer->protocol][list].total_member,
                                               TC_CVM_MAX_PAGES * TC_CVM_PAGE_SIZE);

    g_propagate_error (error, malformed (detail));
    return NULL;
  }
  if (set == NULL && answer->total > 0) {
    g_propagate_error (error, malformed (set_member));
    return NULL;
  }

  *total = (guint) answer->total;
  return set != NULL ? g_ptr_array_ref (set) : g_ptr_array_new_with_free_func (g_object_unref);
}

/* DescribeRegions */

/* The name Imprint itself gives a known region, in the UI's language, or NULL. */
static const char *
builtin_region_name (GListModel *builtin,
                     const char *code)
{
  for (guint i = 0; i < g_list_model_get_n_items (builtin); i++) {
    g_autoptr(TcRegion) region = g_list_model_get_item (builtin, i);

    if (g_strcmp0 (tc_region_get_region (region), code) == 0)
      return g_intern_string (tc_region_get_name (region));
  }
  return NULL;
}

/* Whether the API can name regions in the UI's language: it speaks English and
 * Simplified Chinese only (X-TC-Language en-US / zh-CN). */
static gboolean
api_speaks_ui_language (void)
{
  const char *ui = g_get_language_names ()[0];

  return g_str_has_prefix (ui, "en") || g_str_equal (ui, "C") || g_str_equal (ui, "zh") ||
         g_str_has_prefix (ui, "zh_CN") || g_str_has_prefix (ui, "zh_SG");
}

/**
 * tc_cvm_parse_regions:
 *
 * The server's names are current; but when it cannot speak the UI's language (zh_TW, say)
 * known regions take Imprint's own translated names, and only unknown ones the server's.
 *
 * Returns: (transfer full): a #GListModel of #TcRegion
 */
GListModel *
tc_cvm_parse_regions (TcAnswer  *answer,
                      GError   **error)
{
  g_autoptr(GListStore) store = g_list_store_new (TC_TYPE_REGION);
  g_autoptr(GListModel) builtin = api_speaks_ui_language () ? NULL : tc_region_list_builtin ();
  GPtrArray *set = answer->sets[TC_ANSWER_REGIONS];

  if (set == NULL) {
    g_propagate_error (error, malformed ("RegionSet"));
    return NULL;
  }

  for (guint i = 0; i < set->len; i++) {
    TcRegion *region = g_ptr_array_index (set, i);
    const char *known = builtin ? builtin_region_name (builtin, tc_region_get_region (region)) : NULL;

    if (known != NULL) {
      g_autoptr(TcRegion) renamed = tc_region_new (tc_region_get_region (region), known,
                                                   tc_region_get_available (region));

      g_list_store_append (store, renamed);
    } else {
      g_list_store_append (store, region);
    }
  }
  return G_LIST_MODEL (g_steal_pointer (&store));
}

/**
 * tc_cvm_parse_instance:
 *
 * Reads DescribeInstances asked for one instance by ID.
 *
 * Returns: (transfer full): the instance, or %NULL with %TC_ERROR_NOT_FOUND when the
 *   answer lists none
 */
TcInstance *
tc_cvm_parse_instance (TcAnswer  *answer,
                       GError   **error)
{
  GError *set_error = NULL;
  GPtrArray *set = get_set (answer, TC_CVM_LIST_INSTANCES, &set_error);

  if (set_error != NULL) {
    g_propagate_error (error, set_error);
    return NULL;
  }
  if (set == NULL || set->len == 0) {
    g_set_error_literal (error, TC_ERROR, TC_ERROR_NOT_FOUND,
                         tc_error_describe (TC_ERROR_NOT_FOUND));
    return NULL;
  }
  return g_object_ref (g_ptr_array_index (set, 0));
}

/**
 * tc_cvm_parse_quota:
 * @quota: (out): how many custom images the region allows
 *
 * Reads DescribeImageQuota. A quota that is not a whole number, is negative, or is more
 * images than a region could ever list is a broken answer, refused rather than believed.
 */
gboolean
tc_cvm_parse_quota (TcAnswer  *answer,
                    guint     *quota,
                    GError   **error)
{
  if (!answer->has_quota || answer->quota < 0 ||
      answer->quota > (gint64) TC_CVM_MAX_PAGES * TC_CVM_PAGE_SIZE) {
    g_propagate_error (error, malformed ("ImageNumQuota: not a number of images between 0 "
                                         "and 200000"));
    return FALSE;
  }

  *quota = (guint) answer->quota;
  return TRUE;
}

/**
 * tc_cvm_parse_create:
 *
 * Reads a CreateImage that succeeded (not a dry run). API 3.0 answers the new image's
 * ID; the legacy API only a task ID.
 *
 * Returns: (transfer full): what the server answered
 */
TcCreateResult *
tc_cvm_parse_create (TcAnswer  *answer,
                     GError   **error)
{
  g_autoptr(TcCreateResult) created = g_new0 (TcCreateResult, 1);

  created->request_id = g_strdup (answer->request_id);
  if (answer->protocol == TC_PROTOCOL_LEGACY)
    return g_steal_pointer (&created);

  created->image_id = g_strdup (answer->image_id);
  if (created->image_id == NULL || *created->image_id == '\0') {
    g_propagate_error (error, malformed ("ImageId"));
    return NULL;
  }
  return g_steal_pointer (&created);
}

/* A region code as Tencent writes them ("ap-guangzhou", "na-siliconvalley"): the copy's
 * region goes into the X-TC-Region header of the calls that follow it, so nothing else
 * from a server may pass for one. */
static gboolean
is_region_code (const char *region)
{
  gsize len = region != NULL ? strlen (region) : 0;

  if (len == 0 || len > 64)
    return FALSE;
  for (const char *p = region; *p != '\0'; p++) {
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-')
      return FALSE;
  }
  return TRUE;
}

/**
 * tc_cvm_parse_copies:
 *
 * Reads a SyncImages that succeeded (not a dry run), asked with `ImageSetRequired`: each
 * copy as `{Region, ImageId}`. Without both, or with a region that is no region code, a
 * copy could not be followed, so the answer is broken.
 *
 * Returns: (transfer full) (element-type TcImageCopy): the copies
 */
GPtrArray *
tc_cvm_parse_copies (TcAnswer  *answer,
                     GError   **error)
{
  g_autoptr(GPtrArray) copies = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_image_copy_free);
  GError *set_error = NULL;
  GPtrArray *set = get_set (answer, TC_CVM_LIST_IMAGES, &set_error);

  if (set_error != NULL) {
    g_propagate_error (error, set_error);
    return NULL;
  }
  if (set == NULL || set->len == 0) {
    g_propagate_error (error, malformed ("ImageSet"));
    return NULL;
  }

  for (guint i = 0; i < set->len; i++) {
    TcImage *image = g_ptr_array_index (set, i);
    const char *region = tc_image_get_region (image);

    if (!is_region_code (region)) {
      g_propagate_error (error, malformed ("ImageSet: a copy without a region code"));
      return NULL;
    }
    g_ptr_array_add (copies, tc_image_copy_new (region, tc_image_get_id (image)));
  }
  return g_steal_pointer (&copies);
}
