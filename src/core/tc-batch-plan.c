/* tc-batch-plan.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Imaging a group of servers before an upgrade means one name per instance. The console
 * asks for each; tccli needs a script. A pattern ("{name}-pre-upgrade-{date}") names them
 * all, and every resulting name is held to the same rules as a name typed in the form
 * (tc-rules), to the region's taken names, and to the other names of the batch, so that
 * the user sees every name and every problem before anything is sent.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "tc-batch-plan.h"
#include "tc-rules.h"

char *
tc_batch_expand_name (const char *pattern,
                      TcInstance *instance,
                      GDateTime  *date,
                      guint       n)
{
  GString *name = g_string_new (NULL);
  const char *p = pattern ? pattern : "";

  g_return_val_if_fail (TC_IS_INSTANCE (instance), NULL);

  while (*p != '\0') {
    const char *instance_name = tc_instance_get_name (instance);

    if (g_str_has_prefix (p, "{name}")) {
      g_string_append (name, instance_name != NULL && *instance_name != '\0'
                               ? instance_name : tc_instance_get_id (instance));
      p += strlen ("{name}");
    } else if (g_str_has_prefix (p, "{id}")) {
      g_string_append (name, tc_instance_get_id (instance));
      p += strlen ("{id}");
    } else if (g_str_has_prefix (p, "{date}") && date != NULL) {
      g_autofree char *day = g_date_time_format (date, "%Y%m%d");

      g_string_append (name, day);
      p += strlen ("{date}");
    } else if (g_str_has_prefix (p, "{n}")) {
      g_string_append_printf (name, "%u", n);
      p += strlen ("{n}");
    } else {
      g_string_append_c (name, *p);
      p++;
    }
  }
  return g_string_free (name, FALSE);
}

void
tc_batch_item_free (TcBatchItem *item)
{
  if (item == NULL)
    return;
  g_clear_object (&item->instance);
  g_free (item->name);
  g_free (item->problem);
  g_free (item);
}

GPtrArray *
tc_batch_plan (TcProtocol          protocol,
               const char         *pattern,
               GPtrArray          *instances,
               const char * const *taken,
               GDateTime          *date)
{
  GPtrArray *plan = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_batch_item_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_val_if_fail (instances != NULL, plan);

  for (guint i = 0; i < instances->len; i++) {
    TcBatchItem *item = g_new0 (TcBatchItem, 1);
    g_auto(TcVerdict) verdict = { 0 };

    item->instance = g_object_ref (instances->pdata[i]);
    item->name = tc_batch_expand_name (pattern, item->instance, date, i + 1);
    if (!tc_rules_check_image_name (protocol, item->name, &verdict) ||
        !tc_rules_check_name_available (item->name, taken, &verdict))
      item->problem = g_strdup (verdict.message);
    g_ptr_array_add (plan, item);
  }

  /* A name two instances would share is a problem for each: the second would be refused,
   * and which one is first is nobody's choice. */
  for (guint i = 0; i < plan->len; i++) {
    TcBatchItem *item = plan->pdata[i];
    TcBatchItem *first = g_hash_table_lookup (seen, item->name);

    if (first == NULL) {
      g_hash_table_insert (seen, item->name, item);
      continue;
    }
    for (TcBatchItem *clash = first; clash != NULL; clash = clash == first ? item : NULL) {
      if (clash->problem == NULL)
        /* Translators: %s is an image name two instances of a batch would get. */
        clash->problem = g_strdup_printf (_("“%s” is the name of another image of this "
                                            "batch. Add {name}, {id} or {n} to the pattern."),
                                          clash->name);
    }
  }
  return plan;
}

guint
tc_batch_plan_count_problems (GPtrArray *plan)
{
  guint n = 0;

  for (guint i = 0; plan != NULL && i < plan->len; i++)
    n += ((TcBatchItem *) plan->pdata[i])->problem != NULL;
  return n;
}

char *
tc_batch_check_quota (guint used,
                      guint quota,
                      guint n)
{
  guint room = used < quota ? quota - used : 0;

  if (n <= room)
    return NULL;
  if (room == 0) {
    g_auto(TcVerdict) verdict = { 0 };

    tc_rules_check_quota (used, quota, &verdict);
    return g_strdup (verdict.message);
  }
  /* Translators: the quota has room for fewer images than the batch has instances. */
  return g_strdup_printf (ngettext ("The quota has room for %u more image, and %u instances "
                                    "are chosen. Choose fewer instances or delete unused "
                                    "custom images first.",
                                    "The quota has room for %u more images, and %u instances "
                                    "are chosen. Choose fewer instances or delete unused "
                                    "custom images first.", room),
                          room, n);
}
