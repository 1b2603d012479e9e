/* tc-batch-plan.h: the names of several images at once, from one pattern, checked before
 * anything is sent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tc-models.h"
#include "tc-types.h"

G_BEGIN_DECLS

/* The name @pattern gives the @n-th instance (from 1): `{name}` is the instance's name (its
 * ID when it has none), `{id}` its ID, `{date}` @date as YYYYMMDD, `{n}` @n; everything
 * else, other braces included, is kept as typed. */
char      *tc_batch_expand_name (const char         *pattern,
                                 TcInstance         *instance,
                                 GDateTime          *date,
                                 guint               n);

typedef struct {
  TcInstance *instance;
  char       *name;
  char       *problem;   /* why the name cannot be used, translated; NULL when it can */
} TcBatchItem;

void       tc_batch_item_free   (TcBatchItem        *item);

/* One item per instance of @instances (element-type TcInstance), in their order: the name
 * the pattern gives it, checked against the rules of @protocol, against the names already
 * taken in the region (@taken, nullable) and against the other names of the batch. The
 * pattern must tell the instances apart: a name two instances would share is a problem for
 * both. (transfer full) (element-type TcBatchItem) */
GPtrArray *tc_batch_plan        (TcProtocol          protocol,
                                 const char         *pattern,
                                 GPtrArray          *instances,
                                 const char * const *taken,
                                 GDateTime          *date);
/* How many items of @plan have a problem. */
guint      tc_batch_plan_count_problems (GPtrArray  *plan);

/* A sentence when the region's quota (@quota, with @used images already) has no room for
 * @n more images, else NULL. */
char      *tc_batch_check_quota (guint               used,
                                 guint               quota,
                                 guint               n);

G_END_DECLS
