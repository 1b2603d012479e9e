/* tc-pacer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tencent limits each action to a number of requests per second, counted per action,
 * region and sub-account (SecretId); going over answers RequestLimitExceeded. A client that
 * paces itself never meets that answer, so nobody waits for a back-off at exactly the
 * moment they are waiting for a list.
 *
 * The pacer hands out sending times: for each action + region + SecretId, one request every
 * 1/limit seconds, never a burst. Whatever shares one pacer shares the budget, so the app
 * gives one pacer to every client it makes (the picker's pages, the pre-flight checks, the
 * tracker); it is owned next to the app's SoupSession, never process-global. A client
 * made without one gets its own.
 */
#include "config.h"

#include "tc-pacer.h"

/* The documented limits, requests per second (shared/PROTOCOLS.md, "Rate limits and
 * connections"). The legacy API names its actions the same way. */
static const struct {
  const char *action;
  guint       rate;
} limits[] = {
  { "DescribeInstances",  40 },
  { "DescribeRegions",    20 },
  { "DescribeZones",      20 },
  { "DescribeImages",     10 },
  { "DescribeImageQuota", 10 },
  { "CreateImage",        10 },
  { "DeleteImages",       10 },
  { "SyncImages",         10 },
};

/* An action we have no documented limit for gets the lowest one in the table. */
#define DEFAULT_RATE 10

struct _TcPacer
{
  GObject     parent_instance;

  GHashTable *next;   /* "action\nregion\nSecretId" → gint64*: the earliest next sending time */
};

G_DEFINE_FINAL_TYPE (TcPacer, tc_pacer, G_TYPE_OBJECT)

static void
tc_pacer_finalize (GObject *object)
{
  TcPacer *self = TC_PACER (object);

  g_clear_pointer (&self->next, g_hash_table_unref);

  G_OBJECT_CLASS (tc_pacer_parent_class)->finalize (object);
}

static void
tc_pacer_class_init (TcPacerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tc_pacer_finalize;
}

static void
tc_pacer_init (TcPacer *self)
{
  self->next = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * tc_pacer_new:
 *
 * Returns: (transfer full): a pacer with no request sent yet
 */
TcPacer *
tc_pacer_new (void)
{
  return g_object_new (TC_TYPE_PACER, NULL);
}

/**
 * tc_pacer_get_rate:
 *
 * Returns: the documented limit of @action in requests per second, or a safe default
 */
guint
tc_pacer_get_rate (const char *action)
{
  for (gsize i = 0; action != NULL && i < G_N_ELEMENTS (limits); i++) {
    if (g_str_equal (limits[i].action, action))
      return limits[i].rate;
  }
  return DEFAULT_RATE;
}

/**
 * tc_pacer_reserve:
 * @region: (nullable): the region, for regional actions
 * @now: the monotonic time, in microseconds
 *
 * Reserves the next sending time for one request of @action in @region by @secret_id.
 * The caller must not send it before that time; a reservation that is not used (the call
 * was cancelled) only makes a later request wait a little longer.
 *
 * Returns: the monotonic time, in microseconds, at which the request may go: @now when it
 *   may go at once
 */
gint64
tc_pacer_reserve (TcPacer    *self,
                  const char *action,
                  const char *region,
                  const char *secret_id,
                  gint64      now)
{
  g_autofree char *key = NULL;
  gint64 interval;
  gint64 *next;
  gint64 at;

  g_return_val_if_fail (TC_IS_PACER (self), now);
  g_return_val_if_fail (action != NULL, now);

  interval = (G_USEC_PER_SEC + tc_pacer_get_rate (action) - 1) / tc_pacer_get_rate (action);
  key = g_strjoin ("\n", action, region != NULL ? region : "", secret_id != NULL ? secret_id : "",
                   NULL);
  next = g_hash_table_lookup (self->next, key);
  if (next == NULL) {
    next = g_new (gint64, 1);
    *next = now;
    g_hash_table_insert (self->next, g_steal_pointer (&key), next);
  }

  at = MAX (now, *next);
  *next = at + interval;
  return at;
}
