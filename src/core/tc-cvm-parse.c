/* tc-cvm-parse.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What each CVM action answers, read into models. The answer has already passed the
 * envelope (tc-envelope.c); here every member is checked for its type and range, since a
 * server, a proxy or a simulator may send anything: a broken answer is an error naming
 * the member at fault, never a model with nonsense in it.
 */
#include "config.h"

#include "tc-cvm-private.h"
#include "tc-error.h"
#include "tc-json.h"

static GError *
malformed (const char *detail)
{
  GError *error = g_error_new_literal (TC_ERROR, TC_ERROR_MALFORMED_RESPONSE,
                                       tc_error_describe (TC_ERROR_MALFORMED_RESPONSE));

  tc_error_set_server_details (error, NULL, detail, NULL, 200);
  return error;
}

/* Lists: where each protocol puts the items and their count, and how an item is read. */

typedef gpointer (*ParseFunc) (JsonObject *object, GError **error);

static const struct {
  const char *total;
  const char *set;
  ParseFunc   parse;
} list_shapes[2][2] = {
  [TC_PROTOCOL_API3] = {
    [TC_CVM_LIST_INSTANCES] = { "TotalCount", "InstanceSet", (ParseFunc) tc_instance_new_from_api3 },
    [TC_CVM_LIST_IMAGES] = { "TotalCount", "ImageSet", (ParseFunc) tc_image_new_from_api3 },
  },
  [TC_PROTOCOL_LEGACY] = {
    [TC_CVM_LIST_INSTANCES] = { "totalCount", "instanceSet", (ParseFunc) tc_instance_new_from_legacy },
    [TC_CVM_LIST_IMAGES] = { "totalCount", "imageSet", (ParseFunc) tc_image_new_from_legacy },
  },
};

/**
 * tc_cvm_parse_page:
 * @total: (out): how many items the whole list has, as the page says
 *
 * Reads one page of DescribeInstances or DescribeImages.
 *
 * Returns: (transfer full) (element-type GObject): the page's #TcInstance or #TcImage
 */
GPtrArray *
tc_cvm_parse_page (TcProtocol   protocol,
                   TcCvmList    list,
                   JsonObject  *response,
                   guint       *total,
                   GError     **error)
{
  const char *set_member = list_shapes[protocol][list].set;
  JsonArray *set = tc_json_get_array (response, set_member);
  g_autoptr(GPtrArray) items = NULL;
  gint64 count = 0;

  if (!tc_json_get_int (response, list_shapes[protocol][list].total, &count) || count < 0 ||
      count > (gint64) TC_CVM_MAX_PAGES * TC_CVM_PAGE_SIZE ||
      (set == NULL && count > 0)) {
    g_propagate_error (error, malformed (set_member));
    return NULL;
  }

  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; set != NULL && i < json_array_get_length (set); i++) {
    JsonNode *node = json_array_get_element (set, i);
    gpointer item;

    if (!JSON_NODE_HOLDS_OBJECT (node)) {
      g_propagate_error (error, malformed (set_member));
      return NULL;
    }

    item = list_shapes[protocol][list].parse (json_node_get_object (node), error);
    if (item == NULL)
      return NULL;
    g_ptr_array_add (items, item);
  }

  *total = (guint) count;
  return g_steal_pointer (&items);
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
tc_cvm_parse_regions (JsonObject  *response,
                      GError     **error)
{
  g_autoptr(GListStore) store = g_list_store_new (TC_TYPE_REGION);
  g_autoptr(GListModel) builtin = api_speaks_ui_language () ? NULL : tc_region_list_builtin ();
  JsonArray *set = tc_json_get_array (response, "RegionSet");

  if (set == NULL) {
    g_propagate_error (error, malformed ("RegionSet"));
    return NULL;
  }

  for (guint i = 0; i < json_array_get_length (set); i++) {
    JsonNode *node = json_array_get_element (set, i);
    g_autoptr(TcRegion) region = NULL;

    if (JSON_NODE_HOLDS_OBJECT (node))
      region = tc_region_new_from_api3 (json_node_get_object (node));
    if (region != NULL) {
      const char *known = builtin ? builtin_region_name (builtin, tc_region_get_region (region)) : NULL;

      if (known != NULL) {
        TcRegion *renamed = tc_region_new (tc_region_get_region (region), known,
                                           tc_region_get_available (region));

        g_object_unref (region);
        region = renamed;
      }
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
tc_cvm_parse_instance (TcProtocol   protocol,
                       JsonObject  *response,
                       GError     **error)
{
  const char *set_member = list_shapes[protocol][TC_CVM_LIST_INSTANCES].set;
  JsonArray *set = tc_json_get_array (response, set_member);
  JsonNode *node;

  if (set == NULL || json_array_get_length (set) == 0) {
    g_set_error_literal (error, TC_ERROR, TC_ERROR_NOT_FOUND,
                         tc_error_describe (TC_ERROR_NOT_FOUND));
    return NULL;
  }

  node = json_array_get_element (set, 0);
  if (!JSON_NODE_HOLDS_OBJECT (node)) {
    g_propagate_error (error, malformed (set_member));
    return NULL;
  }

  return list_shapes[protocol][TC_CVM_LIST_INSTANCES].parse (json_node_get_object (node), error);
}

/**
 * tc_cvm_parse_quota:
 * @quota: (out): how many custom images the region allows
 *
 * Reads DescribeImageQuota. A quota that is not a whole number, is negative, or is more
 * images than a region could ever list is a broken answer, refused rather than believed.
 */
gboolean
tc_cvm_parse_quota (JsonObject  *response,
                    guint       *quota,
                    GError     **error)
{
  gint64 value;

  if (!tc_json_get_int (response, "ImageNumQuota", &value) || value < 0 ||
      value > (gint64) TC_CVM_MAX_PAGES * TC_CVM_PAGE_SIZE) {
    g_propagate_error (error, malformed ("ImageNumQuota: not a number of images between 0 "
                                         "and 200000"));
    return FALSE;
  }

  *quota = (guint) value;
  return TRUE;
}

static char *
request_id_of (JsonObject *response,
               const char *member)
{
  gint64 number;
  const char *text = tc_json_get_string (response, member);

  if (text != NULL)
    return g_strdup (text);
  if (tc_json_get_int (response, member, &number))
    return g_strdup_printf ("%" G_GINT64_FORMAT, number);
  return NULL;
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
tc_cvm_parse_create (TcProtocol   protocol,
                     JsonObject  *response,
                     GError     **error)
{
  g_autoptr(TcCreateResult) created = g_new0 (TcCreateResult, 1);

  if (protocol == TC_PROTOCOL_LEGACY) {
    created->request_id = request_id_of (response, "requestId");
    return g_steal_pointer (&created);
  }

  created->image_id = g_strdup (tc_json_get_string (response, "ImageId"));
  created->request_id = request_id_of (response, "RequestId");
  if (created->image_id == NULL || *created->image_id == '\0') {
    g_propagate_error (error, malformed ("ImageId"));
    return NULL;
  }
  return g_steal_pointer (&created);
}
