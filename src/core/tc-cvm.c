/* tc-cvm.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each operation builds the parameters its protocol wants and hands the answer to
 * tc-cvm-parse.c, which turns it into models. Lists go through one pager: the first page
 * says how many there are, the rest are fetched a few at a time and put back in order.
 * Pages are asked for by offset, so an instance launched or terminated during a listing
 * shifts those after it: one is listed twice, or one not at all. The pager keeps each ID
 * once, and when a page's total differs from the first's, or an ID came twice, it lists
 * again from the start, a few times at most; a list still changing after
 * that is returned as it is, and tc_cvm_list_is_whole() says it may miss some.
 * What differs between API 3.0 and the legacy API (parameter names, actions one of them
 * lacks) is in one table, `protocols`, rather than in a test at each call site. These are
 * the reads and the key test; the writes are in tc-cvm-write.c.
 */
#include "config.h"

#include "tc-array-model.h"
#include "tc-cvm.h"
#include "tc-cvm-private.h"
#include "tc-error.h"
#include "tc-rules.h"

JsonArray *
tc_cvm_string_array (const char * const *values)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_array_add_string_element (array, values[i]);
  return array;
}

static JsonArray *
filters_new (const char *name,
             const char *value,
             ...) G_GNUC_NULL_TERMINATED;

/* Filters: (name, value) pairs, each becoming `{"Name": name, "Values": [value]}`. */
static JsonArray *
filters_new (const char *name,
             const char *value,
             ...)
{
  JsonArray *filters = json_array_new ();
  va_list args;

  va_start (args, value);
  while (name != NULL) {
    JsonObject *filter = json_object_new ();
    const char *values[] = { value, NULL };

    json_object_set_string_member (filter, "Name", name);
    json_object_set_array_member (filter, "Values", tc_cvm_string_array (values));
    json_array_add_object_element (filters, filter);

    name = va_arg (args, const char *);
    if (name != NULL)
      value = va_arg (args, const char *);
  }
  va_end (args);
  return filters;
}

/* The pager */

/* How a list is asked for; tc_cvm_parse_page() knows how its answer reads. */
typedef struct {
  const char  *action;
  const char  *offset;
  const char  *limit;
  TcCvmList    list;
  const char *(*id_of) (gpointer item);
} ListShape;

static const char *
instance_id_of (gpointer item)
{
  return tc_instance_get_id (item);
}

static const char *
image_id_of (gpointer item)
{
  return tc_image_get_id (item);
}

static const ListShape api3_instances = {
  "DescribeInstances", "Offset", "Limit", TC_CVM_LIST_INSTANCES, instance_id_of
};
static const ListShape legacy_instances = {
  "DescribeInstances", "offset", "limit", TC_CVM_LIST_INSTANCES, instance_id_of
};
static const ListShape api3_images = {
  "DescribeImages", "Offset", "Limit", TC_CVM_LIST_IMAGES, image_id_of
};
static const ListShape legacy_images = {
  "DescribeImages", "offset", "limit", TC_CVM_LIST_IMAGES, image_id_of
};

/* The protocols: what differs between them beyond how TcClient signs and frames a call. */

static JsonObject *
custom_images_params_api3 (const char *fuzzy_name)
{
  JsonObject *params = json_object_new ();
  JsonArray *filters = fuzzy_name != NULL
    ? filters_new ("image-type", "PRIVATE_IMAGE", "image-name", fuzzy_name, NULL)
    : filters_new ("image-type", "PRIVATE_IMAGE", NULL);

  json_object_set_array_member (params, "Filters", filters);
  return params;
}

/* The legacy API has no name filter: the whole list is searched. */
static JsonObject *
custom_images_params_legacy (const char *fuzzy_name)
{
  JsonObject *params = json_object_new ();

  json_object_set_int_member (params, "imageType", 1);
  return params;
}

static JsonObject *
image_ids_params_api3 (const char * const *image_ids)
{
  JsonObject *params = json_object_new ();

  json_object_set_array_member (params, "ImageIds", tc_cvm_string_array (image_ids));
  return params;
}

static JsonObject *
image_ids_params_legacy (const char * const *image_ids)
{
  JsonObject *params = json_object_new ();

  json_object_set_int_member (params, "imageType", 1);
  json_object_set_array_member (params, "imageIds", tc_cvm_string_array (image_ids));
  return params;
}

typedef struct {
  const ListShape  *instances;
  const ListShape  *images;
  const char       *instance_ids;       /* DescribeInstances' list of IDs to fetch */
  gboolean          describes_regions;  /* has DescribeRegions; else the built-in list */
  guint             fixed_quota;        /* custom images per region, or 0: ask the server */
  JsonObject     *(*custom_images_params) (const char *fuzzy_name);
  JsonObject     *(*image_ids_params)     (const char * const *image_ids);
} CvmProtocol;

static const CvmProtocol protocols[] = {
  [TC_PROTOCOL_API3] = {
    &api3_instances, &api3_images, "InstanceIds", TRUE, 0,
    custom_images_params_api3, image_ids_params_api3,
  },
  [TC_PROTOCOL_LEGACY] = {
    &legacy_instances, &legacy_images, "instanceIds", FALSE, TC_LEGACY_IMAGE_QUOTA,
    custom_images_params_legacy, image_ids_params_legacy,
  },
};

static const CvmProtocol *
protocol_of (TcClient *client)
{
  TcProtocol protocol = tc_client_get_protocol (client);

  g_assert ((guint) protocol < G_N_ELEMENTS (protocols));
  return &protocols[protocol];
}

typedef struct {
  const ListShape  *shape;
  char             *region;
  JsonObject       *params;
  GType             item_type;
  TcProgressFunc    progress;
  gpointer          progress_data;
  GCancellable     *cancellable;
  guint             total;
  guint             n_pages;
  guint             next_page;
  guint             in_flight;
  guint             loaded;
  GPtrArray       **pages;
  GError           *error;
  guint             attempt;     /* listings started, from 1 */
  gboolean          changed;     /* a page's total differs from the first's */
  gboolean          whole;       /* what was returned is the whole list */
} ListData;

static void
clear_pages (ListData *data)
{
  for (guint i = 0; data->pages != NULL && i < data->n_pages; i++)
    g_clear_pointer (&data->pages[i], g_ptr_array_unref);
  g_clear_pointer (&data->pages, g_free);
  data->n_pages = 0;
}

static void
list_data_free (ListData *data)
{
  clear_pages (data);
  g_clear_object (&data->cancellable);
  g_clear_pointer (&data->params, json_object_unref);
  g_clear_error (&data->error);
  g_free (data->region);
  g_free (data);
}

typedef struct {
  GTask *task;
  guint  index;
} PageCall;

static void fetch_page (GTask *task, guint index);

/* The list changed during this listing, and another may be tried: the pages still to come
 * of this one are not asked for. The last listing tried is fetched to its end whatever. */
static gboolean
will_list_again (ListData *data)
{
  return data->changed && data->attempt < TC_CVM_LIST_ATTEMPTS;
}

/* The pages' items in order, each ID once (a shift between two pages lists one twice; they
 * are counted in *@n_twice). The items move from the pages: none is copied or referenced. */
static GPtrArray *
take_items (ListData *data,
            guint    *n_twice)
{
  GPtrArray *items = g_ptr_array_new_full (data->loaded, g_object_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < data->n_pages; i++) {
    g_autoptr(GPtrArray) page = g_steal_pointer (&data->pages[i]);

    if (page == NULL)
      continue;
    g_ptr_array_set_free_func (page, NULL);
    for (guint j = 0; j < page->len; j++) {
      const char *id = data->shape->id_of (page->pdata[j]);

      if (id == NULL || g_hash_table_add (seen, (gpointer) id)) {
        g_ptr_array_add (items, page->pdata[j]);
      } else {
        g_object_unref (page->pdata[j]);
        (*n_twice)++;
      }
    }
  }
  return items;
}

static void
list_maybe_finish (GTask *task)
{
  ListData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) items = NULL;
  guint n_twice = 0;
  gboolean whole;

  if (data->in_flight > 0)
    return;

  if (data->error != NULL) {
    g_task_return_error (task, g_steal_pointer (&data->error));
    return;
  }

  if (!will_list_again (data) && data->next_page < data->n_pages)
    return;

  /* An ID listed twice: one launched and one terminated during the listing left the total
   * as it was, and shifted an item from one page into the next. (Not a count short of the
   * total: a server whose total counts what it does not list would be asked again and
   * again, for nothing.) */
  items = take_items (data, &n_twice);
  whole = !data->changed && n_twice == 0;
  if (!whole && data->attempt < TC_CVM_LIST_ATTEMPTS) {
    g_debug ("%s changed while it was listed: listing it again", data->shape->action);
    clear_pages (data);
    data->changed = FALSE;
    data->loaded = 0;
    data->next_page = 0;
    data->attempt++;
    fetch_page (task, 0);
    return;
  }

  data->whole = whole;
  g_task_return_pointer (task, tc_array_model_new (data->item_type, g_steal_pointer (&items)),
                         g_object_unref);
}

static void
list_fail (ListData *data,
           GError   *error)
{
  /* The first real failure wins; the cancellations it causes are not news. */
  if (data->error == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    data->error = error;
    g_cancellable_cancel (data->cancellable);
  } else if (data->error == NULL) {
    data->error = error;
  } else {
    g_error_free (error);
  }
}

static void
page_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autofree PageCall *call = user_data;
  g_autoptr(GTask) task = call->task;
  ListData *data = g_task_get_task_data (task);
  g_autoptr(TcAnswer) response = NULL;
  g_autoptr(GPtrArray) items = NULL;
  GError *error = NULL;
  guint total = 0;

  data->in_flight--;

  response = tc_client_call_finish (TC_CLIENT (object), result, &error);
  if (response == NULL) {
    list_fail (data, error);
    list_maybe_finish (task);
    return;
  }

  items = tc_cvm_parse_page (data->shape->list, response, &total, &error);
  if (items == NULL) {
    list_fail (data, error);
    list_maybe_finish (task);
    return;
  }

  if (call->index == 0) {
    data->total = total;
    data->n_pages = MAX (1, (data->total + TC_CVM_PAGE_SIZE - 1) / TC_CVM_PAGE_SIZE);
    data->pages = g_new0 (GPtrArray *, data->n_pages);
    data->next_page = 1;
  } else if (total != data->total) {
    data->changed = TRUE;
  }

  if (call->index < data->n_pages && data->pages[call->index] == NULL) {
    data->loaded += items->len;
    data->pages[call->index] = g_steal_pointer (&items);
  }

  if (data->progress != NULL && data->error == NULL)
    data->progress (MIN (data->loaded, data->total), data->total, data->progress_data);

  while (data->error == NULL && !will_list_again (data) &&
         data->in_flight < TC_CVM_CONCURRENCY && data->next_page < data->n_pages)
    fetch_page (task, data->next_page++);

  list_maybe_finish (task);
}

static void
fetch_page (GTask *task,
            guint  index)
{
  TcClient *client = g_task_get_source_object (task);
  ListData *data = g_task_get_task_data (task);
  g_autoptr(JsonObject) params = json_object_new ();
  GList *members = json_object_get_members (data->params);
  PageCall *call = g_new0 (PageCall, 1);

  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (params, l->data,
                            json_node_copy (json_object_get_member (data->params, l->data)));
  g_list_free (members);

  json_object_set_int_member (params, data->shape->offset, (gint64) index * TC_CVM_PAGE_SIZE);
  json_object_set_int_member (params, data->shape->limit, TC_CVM_PAGE_SIZE);

  call->task = g_object_ref (task);
  call->index = index;
  data->in_flight++;
  tc_client_call_async (client, data->shape->action, data->region, params, TC_CALL_RETRY,
                        data->cancellable, page_cb, call);
}

static void
list_cancelled_cb (GCancellable *caller,
                   GCancellable *ours)
{
  g_cancellable_cancel (ours);
}

static GTask *
list_start (TcClient            *client,
            const ListShape     *shape,
            GType                item_type,
            const char          *region,
            JsonObject          *params,
            TcProgressFunc       progress,
            gpointer             progress_data,
            GCancellable        *cancellable,
            gpointer             source_tag,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  GTask *task = g_task_new (client, cancellable, callback, user_data);
  ListData *data = g_new0 (ListData, 1);

  g_task_set_source_tag (task, source_tag);
  data->shape = shape;
  data->item_type = item_type;
  data->region = g_strdup (region);
  data->params = params;
  data->progress = progress;
  data->progress_data = progress_data;
  data->cancellable = g_cancellable_new ();
  data->attempt = 1;
  g_task_set_task_data (task, data, (GDestroyNotify) list_data_free);

  if (cancellable != NULL) {
    g_signal_connect_object (cancellable, "cancelled", G_CALLBACK (list_cancelled_cb),
                             data->cancellable, 0);
    if (g_cancellable_is_cancelled (cancellable))
      g_cancellable_cancel (data->cancellable);
  }

  fetch_page (task, 0);
  return task;
}

static GListModel *
list_finish (GAsyncResult  *result,
             GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * tc_cvm_list_is_whole:
 * @result: the result a list of instances or images was finished with
 *
 * The list changes while it is listed a page at a time; the pager lists it again then,
 * TC_CVM_LIST_ATTEMPTS times at most. What the last listing got has each item once, but
 * may miss some.
 *
 * Returns: %FALSE when the list kept changing and may miss items
 */
gboolean
tc_cvm_list_is_whole (GAsyncResult *result)
{
  ListData *data;

  g_return_val_if_fail (G_IS_TASK (result), FALSE);

  data = g_task_get_task_data (G_TASK (result));
  return data != NULL && data->whole;
}

/* DescribeRegions */

/* Region lists are cached per account (SecretId, endpoint and language) in the client's
 * TcRegionCache and refreshed in the background each time they are served from it: a new
 * form shows the account's regions at once, and they stay current. */
static char *
regions_cache_key (TcClient *client)
{
  return g_strdup_printf ("%s|%s|%s",
                          tc_credentials_get_secret_id (tc_client_get_credentials (client)),
                          tc_client_get_endpoint (client),
                          tc_client_get_language (client));
}

static void
remember_regions (TcClient   *client,
                  GListModel *regions)
{
  g_autofree char *key = regions_cache_key (client);

  tc_region_cache_store (tc_client_get_region_cache (client), key, regions);
}

static void
regions_refreshed_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(TcAnswer) response = tc_client_call_finish (TC_CLIENT (object), result, NULL);
  g_autoptr(GListModel) regions = response ? tc_cvm_parse_regions (response, NULL) : NULL;

  /* A failed refresh keeps what was cached. */
  if (regions != NULL)
    remember_regions (TC_CLIENT (object), regions);
}

static void
regions_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(TcAnswer) response = NULL;
  g_autoptr(GListModel) regions = NULL;
  GError *error = NULL;

  response = tc_client_call_finish (TC_CLIENT (object), result, &error);
  if (response == NULL || (regions = tc_cvm_parse_regions (response, &error)) == NULL) {
    g_task_return_error (task, error);
    return;
  }

  remember_regions (TC_CLIENT (object), regions);
  g_task_return_pointer (task, g_steal_pointer (&regions), g_object_unref);
}

/**
 * tc_cvm_describe_regions_async:
 *
 * Lists the regions with names in the client's language, from the cache when this account
 * asked before (and then refreshed in the background). The legacy API has no such action,
 * so it answers Imprint's built-in list.
 */
void
tc_cvm_describe_regions_async (TcClient            *client,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (client, cancellable, callback, user_data);
  g_autofree char *key = NULL;
  GListModel *cached;

  g_task_set_source_tag (task, tc_cvm_describe_regions_async);

  if (!protocol_of (client)->describes_regions) {
    g_task_return_pointer (task, tc_region_list_builtin (), g_object_unref);
    return;
  }

  key = regions_cache_key (client);
  cached = tc_region_cache_lookup (tc_client_get_region_cache (client), key);
  if (cached != NULL) {
    g_task_return_pointer (task, cached, g_object_unref);
    tc_client_call_async (client, "DescribeRegions", NULL, NULL, TC_CALL_RETRY, NULL,
                          regions_refreshed_cb, NULL);
    return;
  }

  tc_client_call_async (client, "DescribeRegions", NULL, NULL, TC_CALL_RETRY, cancellable,
                        regions_cb, g_steal_pointer (&task));
}

/**
 * tc_cvm_describe_regions_finish:
 *
 * Returns: (transfer full): a #GListModel of #TcRegion
 */
GListModel *
tc_cvm_describe_regions_finish (TcClient      *client,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_cvm_describe_regions_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* DescribeInstances */

/**
 * tc_cvm_list_instances_async:
 * @progress: (nullable): called after each page with how many have arrived
 *
 * Lists every instance of @region, a page of 100 at a time with a few pages in flight.
 */
void
tc_cvm_list_instances_async (TcClient            *client,
                             const char          *region,
                             TcProgressFunc       progress,
                             gpointer             progress_data,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  task = list_start (client, protocol_of (client)->instances, TC_TYPE_INSTANCE, region, json_object_new (), progress, progress_data,
                     cancellable, tc_cvm_list_instances_async, callback, user_data);
}

/**
 * tc_cvm_list_instances_finish:
 *
 * Returns: (transfer full): a #GListModel of #TcInstance, in the server's order: a
 *   #TcArrayModel, whose array a caller may share (tc_array_model_get_items())
 */
GListModel *
tc_cvm_list_instances_finish (TcClient      *client,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_cvm_list_instances_async, NULL);

  return list_finish (result, error);
}

static void
instance_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TcClient *client = TC_CLIENT (object);
  g_autoptr(TcAnswer) response = NULL;
  GError *error = NULL;
  TcInstance *instance;

  response = tc_client_call_finish (client, result, &error);
  if (response == NULL) {
    g_task_return_error (task, error);
    return;
  }

  instance = tc_cvm_parse_instance (response, &error);
  if (instance == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, instance, g_object_unref);
}

/**
 * tc_cvm_get_instance_async:
 *
 * Fetches one instance afresh, to know its state right before sending.
 */
void
tc_cvm_get_instance_async (TcClient            *client,
                           const char          *region,
                           const char          *instance_id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task = g_task_new (client, cancellable, callback, user_data);
  g_autoptr(JsonObject) params = json_object_new ();
  const char *ids[] = { instance_id, NULL };

  g_task_set_source_tag (task, tc_cvm_get_instance_async);
  json_object_set_array_member (params, protocol_of (client)->instance_ids, tc_cvm_string_array (ids));
  tc_client_call_async (client, "DescribeInstances", region, params, TC_CALL_RETRY, cancellable,
                        instance_cb, task);
}

/**
 * tc_cvm_get_instance_finish:
 *
 * Returns: (transfer full): the instance, or %NULL with %TC_ERROR_NOT_FOUND when it is gone
 */
TcInstance *
tc_cvm_get_instance_finish (TcClient      *client,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_cvm_get_instance_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* DescribeImages */

/**
 * tc_cvm_list_custom_images_async:
 *
 * Lists the account's custom images in @region: what the quota counts.
 */
void
tc_cvm_list_custom_images_async (TcClient            *client,
                                 const char          *region,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  task = list_start (client, protocol_of (client)->images, TC_TYPE_IMAGE, region,
                     protocol_of (client)->custom_images_params (NULL), NULL, NULL, cancellable,
                     tc_cvm_list_custom_images_async, callback, user_data);
}

/**
 * tc_cvm_list_custom_images_finish:
 *
 * Returns: (transfer full): a #GListModel of #TcImage
 */
GListModel *
tc_cvm_list_custom_images_finish (TcClient      *client,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_cvm_list_custom_images_async, NULL);

  return list_finish (result, error);
}

static void
find_by_name_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const char *name = g_task_get_task_data (task);
  g_autoptr(GListModel) images = NULL;
  GError *error = NULL;

  images = list_finish (result, &error);
  if (images == NULL) {
    g_task_return_error (task, error);
    return;
  }

  /* The server's name filter is fuzzy: only an exact match counts. */
  for (guint i = 0; i < g_list_model_get_n_items (images); i++) {
    g_autoptr(TcImage) image = g_list_model_get_item (images, i);

    if (g_strcmp0 (tc_image_get_name (image), name) == 0) {
      g_task_return_pointer (task, g_steal_pointer (&image), g_object_unref);
      return;
    }
  }

  g_task_return_pointer (task, NULL, NULL);
}

/**
 * tc_cvm_find_image_by_name_async:
 *
 * Looks for the custom image called exactly @name in @region, on top of the server's
 * fuzzy `image-name` filter (the legacy API has no filter: its whole list is searched).
 */
void
tc_cvm_find_image_by_name_async (TcClient            *client,
                                 const char          *region,
                                 const char          *name,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task = g_task_new (client, cancellable, callback, user_data);
  g_autoptr(GTask) list = NULL;

  g_task_set_source_tag (task, tc_cvm_find_image_by_name_async);
  g_task_set_task_data (task, g_strdup (name), g_free);

  list = list_start (client, protocol_of (client)->images, TC_TYPE_IMAGE, region,
                     protocol_of (client)->custom_images_params (name), NULL, NULL, cancellable,
                     tc_cvm_list_custom_images_async, find_by_name_cb, task);
}

/**
 * tc_cvm_find_image_by_name_finish:
 *
 * Returns: (transfer full) (nullable): the image, or %NULL without an error when there is
 *   none by that name
 */
TcImage *
tc_cvm_find_image_by_name_finish (TcClient      *client,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_cvm_find_image_by_name_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * tc_cvm_get_images_async:
 * @image_ids: at most 100 image IDs
 *
 * Fetches images by ID: how a new image is followed to its final state.
 */
void
tc_cvm_get_images_async (TcClient            *client,
                         const char          *region,
                         const char * const  *image_ids,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  const CvmProtocol *protocol = protocol_of (client);
  g_autoptr(GTask) task = NULL;

  task = list_start (client, protocol->images, TC_TYPE_IMAGE, region,
                     protocol->image_ids_params (image_ids), NULL, NULL, cancellable,
                     tc_cvm_get_images_async, callback, user_data);
}

/**
 * tc_cvm_get_images_finish:
 *
 * Returns: (transfer full): a #GListModel of the #TcImage that still exist
 */
GListModel *
tc_cvm_get_images_finish (TcClient      *client,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_cvm_get_images_async, NULL);

  return list_finish (result, error);
}

/* DescribeImageQuota */

static void
quota_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(TcAnswer) response = NULL;
  GError *error = NULL;
  guint quota;

  response = tc_client_call_finish (TC_CLIENT (object), result, &error);
  if (response == NULL || !tc_cvm_parse_quota (response, &quota, &error))
    g_task_return_error (task, error);
  else
    g_task_return_int (task, quota);
}

/**
 * tc_cvm_get_image_quota_async:
 *
 * How many custom images @region allows. The legacy API has a fixed 10 and no action.
 */
void
tc_cvm_get_image_quota_async (TcClient            *client,
                              const char          *region,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (client, cancellable, callback, user_data);

  g_task_set_source_tag (task, tc_cvm_get_image_quota_async);

  if (protocol_of (client)->fixed_quota > 0) {
    g_task_return_int (task, protocol_of (client)->fixed_quota);
    return;
  }

  tc_client_call_async (client, "DescribeImageQuota", region, NULL, TC_CALL_RETRY, cancellable,
                        quota_cb, g_steal_pointer (&task));
}

gboolean
tc_cvm_get_image_quota_finish (TcClient      *client,
                               GAsyncResult  *result,
                               guint         *quota,
                               GError       **error)
{
  gssize value;

  g_return_val_if_fail (g_task_is_valid (result, client), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_cvm_get_image_quota_async, FALSE);

  value = g_task_propagate_int (G_TASK (result), error);

  if (value < 0)
    return FALSE;
  *quota = (guint) value;
  return TRUE;
}

/* Testing the keys */

static void
test_connection_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(TcAnswer) response = NULL;
  GError *error = NULL;

  response = tc_client_call_finish (TC_CLIENT (object), result, &error);
  if (response == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
tc_cvm_test_connection_async (TcClient            *client,
                              const char          *region,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  const CvmProtocol *protocol = protocol_of (client);
  GTask *task = g_task_new (client, cancellable, callback, user_data);
  g_autoptr(JsonObject) params = json_object_new ();

  g_task_set_source_tag (task, tc_cvm_test_connection_async);

  /* DescribeRegions where there is one, else one row of DescribeInstances. */
  if (protocol->describes_regions) {
    tc_client_call_async (client, "DescribeRegions", NULL, NULL, TC_CALL_DEFAULT, cancellable,
                          test_connection_cb, task);
    return;
  }

  json_object_set_int_member (params, protocol->instances->limit, 1);
  tc_client_call_async (client, protocol->instances->action, region, params, TC_CALL_DEFAULT,
                        cancellable, test_connection_cb, task);
}

gboolean
tc_cvm_test_connection_finish (TcClient      *client,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tc_cvm_test_connection_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
