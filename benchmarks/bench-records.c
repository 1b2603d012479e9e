/* bench-records.c: a history as the previous build wrote it, for the benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The History benchmarks start from a user upgrading: a history.jsonl of the build before,
 * which the first load imports into SQLite. Its records vary as a real history does: checks
 * and creates, two accounts (one named in Chinese), two regions, failures with a message,
 * data disks and tags on some; one a minute.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <time.h>

#include "bench-records.h"

static void
append_record (GString *out,
               guint    n,
               gint64   created)
{
  g_string_append_printf (out,
                          "{\"v\":1,\"op\":\"put\",\"id\":\"%08x-%04x-4%03x-8000-%012x\","
                          "\"kind\":\"%s\",\"created\":%" G_GINT64_FORMAT ","
                          "\"account\":\"%s\",\"protocol\":\"api3\","
                          "\"region\":\"%s\",\"instance_id\":\"ins-%08x\","
                          "\"instance_name\":\"web-%u\",\"image_name\":\"nightly-%u\","
                          "\"image_description\":\"每日构建 %u\","
                          "\"force_poweroff\":%s,\"sysprep\":false,",
                          g_random_int (), n & 0xffff, n & 0xfff, n,
                          n % 5 == 0 ? "check" : "create", created,
                          n % 3 ? "default" : "生产账号",
                          n % 4 ? "ap-guangzhou" : "ap-shanghai", n % 10000, n % 300, n, n,
                          n % 2 ? "true" : "false");
  if (n % 4 == 0)
    g_string_append (out, "\"data_disk_ids\":[\"disk-0a1b2c3d\",\"disk-4e5f6a7b\"],");
  if (n % 5 == 0)
    g_string_append (out, "\"tags\":[\"team\",\"运维\",\"env\",\"prod\"],");
  if (n % 10 == 3)
    g_string_append (out,
                     "\"outcome\":\"failed\",\"error_code\":\"InvalidImageName.Duplicate\","
                     "\"error_message\":\"The image name is already used in this region. "
                     "\\\"nightly\\\" 镜像名称已存在。\",");
  else
    g_string_append_printf (out, "\"outcome\":\"ready\",\"image_id\":\"img-%08x\",", n);
  g_string_append_printf (out,
                          "\"request_id\":\"%08x-1111-2222-3333-%012x\","
                          "\"last_checked\":%" G_GINT64_FORMAT "}\n",
                          g_random_int (), n, created + 90 * G_USEC_PER_SEC);
}

/**
 * bench_history_jsonl:
 * @n_records: how many records
 *
 * Returns: (transfer full): the lines of a history.jsonl, oldest first
 */
GString *
bench_history_jsonl (guint n_records)
{
  GString *text = g_string_sized_new ((gsize) n_records * 520);

  for (guint i = 0; i < n_records; i++)
    append_record (text, i, 1600000000000000 + (gint64) i * 60 * G_USEC_PER_SEC);
  return text;
}

void
bench_remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *child = g_build_filename (path, name, NULL);

    g_unlink (child);
  }
  g_rmdir (path);
}

static gboolean
set_true_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
bench_pause_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_true_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

gint64
bench_thread_cpu_us (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return (gint64) now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000;
}
