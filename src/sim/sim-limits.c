/* sim-limits.c: Tencent's per-second request limits, enforced when asked
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tencent counts requests per action, region and sub-account (SecretId) and answers
 * RequestLimitExceeded above the documented rate (shared/PROTOCOLS.md, "Rate limits and
 * connections"). The simulator keeps, for each such key, a budget of one second's worth
 * of requests that refills at the documented rate: a client that sends no faster than the
 * limit is never refused, whatever the jitter between its requests, while one that floods
 * is refused once it has spent a second's budget. A refused request spends nothing.
 *
 * The table is the simulator's own copy of the documentation, deliberately not shared with
 * the client's pacer: a mistake in one is then caught by the other.
 */
#include "config.h"

#include "sim-limits.h"

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

/* Actions the documentation gives no limit for. */
#define DEFAULT_RATE 20

typedef struct {
  double tokens;
  gint64 updated;   /* monotonic µs */
} Budget;

struct _SimLimits {
  GHashTable *budgets;   /* "action\nregion\nSecretId" → Budget* */
};

SimLimits *
sim_limits_new (void)
{
  SimLimits *self = g_new0 (SimLimits, 1);

  self->budgets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

void
sim_limits_free (SimLimits *self)
{
  g_hash_table_unref (self->budgets);
  g_free (self);
}

guint
sim_limits_get_rate (const char *action)
{
  for (gsize i = 0; action != NULL && i < G_N_ELEMENTS (limits); i++) {
    if (g_str_equal (limits[i].action, action))
      return limits[i].rate;
  }
  return DEFAULT_RATE;
}

/* Whether one more request of @action in @region by @secret_id, arriving at @now
 * (monotonic µs), is within the limit; if it is, it is counted. */
gboolean
sim_limits_admit (SimLimits  *self,
                  const char *action,
                  const char *region,
                  const char *secret_id,
                  gint64      now)
{
  g_autofree char *key = g_strjoin ("\n", action, region != NULL ? region : "",
                                    secret_id != NULL ? secret_id : "", NULL);
  double rate = sim_limits_get_rate (action);
  Budget *budget = g_hash_table_lookup (self->budgets, key);

  if (budget == NULL) {
    budget = g_new (Budget, 1);
    budget->tokens = rate;
    budget->updated = now;
    g_hash_table_insert (self->budgets, g_steal_pointer (&key), budget);
  }

  budget->tokens = MIN (rate, budget->tokens + (now - budget->updated) * rate / G_USEC_PER_SEC);
  budget->updated = now;
  if (budget->tokens < 1.0)
    return FALSE;

  budget->tokens -= 1.0;
  return TRUE;
}
