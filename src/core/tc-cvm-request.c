/* tc-cvm-request.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the image form asks CreateImage for, what it answered, and the copies SyncImages
 * started: plain values that the form, the history and the tests make and copy without
 * sending anything.
 */
#include "config.h"

#include "tc-cvm-request.h"

G_DEFINE_BOXED_TYPE (TcImageRequest, tc_image_request, tc_image_request_copy, tc_image_request_free)

static void
tag_free (TcTag *tag)
{
  g_free (tag->key);
  g_free (tag->value);
  g_free (tag);
}

TcImageRequest *
tc_image_request_new (const char *instance_id,
                      const char *name,
                      const char *description)
{
  TcImageRequest *request = g_new0 (TcImageRequest, 1);

  request->instance_id = g_strdup (instance_id);
  request->name = g_strdup (name);
  request->description = g_strdup (description);
  request->tags = g_ptr_array_new_with_free_func ((GDestroyNotify) tag_free);
  return request;
}

void
tc_image_request_add_tag (TcImageRequest *request,
                          const char     *key,
                          const char     *value)
{
  TcTag *tag = g_new0 (TcTag, 1);

  tag->key = g_strdup (key);
  tag->value = g_strdup (value ? value : "");
  g_ptr_array_add (request->tags, tag);
}

TcImageRequest *
tc_image_request_copy (const TcImageRequest *request)
{
  TcImageRequest *copy = tc_image_request_new (request->instance_id, request->name,
                                               request->description);

  copy->force_poweroff = request->force_poweroff;
  copy->sysprep = request->sysprep;
  copy->data_disk_ids = g_strdupv (request->data_disk_ids);
  for (guint i = 0; request->tags != NULL && i < request->tags->len; i++) {
    const TcTag *tag = g_ptr_array_index (request->tags, i);

    tc_image_request_add_tag (copy, tag->key, tag->value);
  }
  return copy;
}

void
tc_image_request_free (TcImageRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->instance_id);
  g_free (request->name);
  g_free (request->description);
  g_strfreev (request->data_disk_ids);
  g_clear_pointer (&request->tags, g_ptr_array_unref);
  g_free (request);
}

void
tc_create_result_free (TcCreateResult *result)
{
  if (result == NULL)
    return;
  g_free (result->image_id);
  g_free (result->request_id);
  g_free (result);
}

TcImageCopy *
tc_image_copy_new (const char *region,
                   const char *image_id)
{
  TcImageCopy *copy = g_new0 (TcImageCopy, 1);

  copy->region = g_strdup (region);
  copy->image_id = g_strdup (image_id);
  return copy;
}

void
tc_image_copy_free (TcImageCopy *copy)
{
  if (copy == NULL)
    return;
  g_free (copy->region);
  g_free (copy->image_id);
  g_free (copy);
}
