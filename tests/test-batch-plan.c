/* test-batch-plan.c: the names a pattern gives several instances, and what is wrong with
 * them, before anything is sent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tc-batch-plan.h"
#include "tc-cvm-private.h"
#include "tc-envelope.h"

/* An instance as DescribeInstances lists it (API 3.0), read the way the app reads one. */
static TcInstance *
instance (const char *id,
          const char *name)
{
  g_autofree char *text = g_strdup_printf ("{\"Response\":{\"RequestId\":\"r\",\"TotalCount\":1,"
                                           "\"InstanceSet\":[{\"InstanceId\":\"%s\","
                                           "\"InstanceName\":\"%s\",\"InstanceState\":\"STOPPED\"}]}}",
                                           id, name);
  g_autoptr(GBytes) body = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(TcAnswer) answer = tc_envelope_read (TC_PROTOCOL_API3, body, 200, "application/json",
                                                 &error);
  TcInstance *result;

  g_assert_no_error (error);
  result = tc_cvm_parse_instance (answer, &error);
  g_assert_no_error (error);
  return result;
}

static GPtrArray *
fleet (void)
{
  GPtrArray *instances = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (instances, instance ("ins-aaaa1111", "web-1"));
  g_ptr_array_add (instances, instance ("ins-bbbb2222", "web-2"));
  g_ptr_array_add (instances, instance ("ins-cccc3333", ""));
  return instances;
}

static const char *
name_at (GPtrArray *plan,
         guint      i)
{
  return ((TcBatchItem *) plan->pdata[i])->name;
}

static const char *
problem_at (GPtrArray *plan,
            guint      i)
{
  return ((TcBatchItem *) plan->pdata[i])->problem;
}

static void
test_expand (void)
{
  g_autoptr(GPtrArray) instances = fleet ();
  g_autoptr(GDateTime) date = g_date_time_new_utc (2026, 12, 3, 9, 30, 0);
  g_autofree char *a = tc_batch_expand_name ("{name}-pre-upgrade-{date}", instances->pdata[0], date, 1);
  g_autofree char *b = tc_batch_expand_name ("{id}/{n}", instances->pdata[1], date, 2);
  g_autofree char *c = tc_batch_expand_name ("{name}", instances->pdata[2], date, 3);
  g_autofree char *d = tc_batch_expand_name ("{nam}{}{N}-{n}{n}", instances->pdata[0], date, 12);
  g_autofree char *e = tc_batch_expand_name ("镜像-{name}", instances->pdata[1], date, 1);

  g_assert_cmpstr (a, ==, "web-1-pre-upgrade-20261203");
  g_assert_cmpstr (b, ==, "ins-bbbb2222/2");
  /* An instance without a name is named by its ID. */
  g_assert_cmpstr (c, ==, "ins-cccc3333");
  /* Only the four placeholders are replaced; other braces stay as typed. */
  g_assert_cmpstr (d, ==, "{nam}{}{N}-1212");
  g_assert_cmpstr (e, ==, "镜像-web-2");
}

static void
test_plan (void)
{
  g_autoptr(GPtrArray) instances = fleet ();
  g_autoptr(GDateTime) date = g_date_time_new_utc (2026, 12, 3, 9, 30, 0);
  const char * const taken[] = { "web-2-backup", NULL };
  g_autoptr(GPtrArray) good = tc_batch_plan (TC_PROTOCOL_API3, "{name}-{date}", instances, taken, date);
  g_autoptr(GPtrArray) same = tc_batch_plan (TC_PROTOCOL_API3, "backup-{date}", instances, taken, date);
  g_autoptr(GPtrArray) clash = tc_batch_plan (TC_PROTOCOL_API3, "{name}-backup", instances, taken, date);
  g_autoptr(GPtrArray) bad = tc_batch_plan (TC_PROTOCOL_LEGACY, "{name}_{n}", instances, NULL, date);

  g_assert_cmpuint (good->len, ==, 3);
  g_assert_cmpstr (name_at (good, 0), ==, "web-1-20261203");
  g_assert_cmpstr (name_at (good, 2), ==, "ins-cccc3333-20261203");
  g_assert_cmpuint (tc_batch_plan_count_problems (good), ==, 0);

  /* The same name for all three: each is told, and how to fix the pattern. */
  g_assert_cmpuint (tc_batch_plan_count_problems (same), ==, 3);
  g_assert_nonnull (strstr (problem_at (same, 1), "another image of this batch"));

  /* A name already taken in the region is refused for that instance only. */
  g_assert_null (problem_at (clash, 0));
  g_assert_nonnull (strstr (problem_at (clash, 1), "already exists"));
  g_assert_null (problem_at (clash, 2));

  /* The rules of the protocol hold for every name: the legacy API allows no "_". */
  g_assert_cmpuint (tc_batch_plan_count_problems (bad), ==, 3);
}

static void
test_quota (void)
{
  g_autofree char *fits = tc_batch_check_quota (7, 10, 3);
  g_autofree char *short_by_one = tc_batch_check_quota (8, 10, 3);
  g_autofree char *full = tc_batch_check_quota (10, 10, 1);

  g_assert_null (fits);
  g_assert_cmpstr (short_by_one, ==, "The quota has room for 2 more images, and 3 instances are "
                                     "chosen. Choose fewer instances or delete unused custom "
                                     "images first.");
  g_assert_nonnull (full);
  g_assert_cmpstr (full, ==, "All 10 custom images allowed in this region are in use. "
                            "Delete one before creating another.");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/batch-plan/expand", test_expand);
  g_test_add_func ("/batch-plan/plan", test_plan);
  g_test_add_func ("/batch-plan/quota", test_quota);
  return g_test_run ();
}
