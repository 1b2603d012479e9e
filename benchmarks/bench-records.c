/* bench-records.c: a history as the previous build wrote it, and what else the benchmarks share
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
#include <stdlib.h>
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

/* The kernel's schedstat of the calling thread: "run_ns wait_ns timeslices". */
gint64
bench_thread_wait_us (void)
{
  g_autofree char *text = NULL;
  char *end;

  if (!g_file_get_contents ("/proc/thread-self/schedstat", &text, NULL, NULL))
    return 0;
  g_ascii_strtoll (text, &end, 10);
  return g_ascii_strtoll (end, NULL, 10) / 1000;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

double
bench_median (double *values,
              guint   n)
{
  if (n == 0)
    return 0;
  qsort (values, n, sizeof (double), compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

static void
painted_cb (GdkFrameClock *clock,
            gboolean      *painted)
{
  *painted = TRUE;
}

void
bench_wait_for_paint (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gboolean painted = FALSE;
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (painted_cb), &painted);

  gtk_widget_queue_draw (widget);
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, id);
}

/* The floor of a keystroke, for the benchmarks that type into a search: a bare GTK window
 * with a focused search entry and a label, each key (the entry's text and the label's, no
 * other work) typed 50 ms after the frame before, as the benchmarks type, up to the end of
 * the next frame. A focused entry's blinking cursor keeps GTK 4.8's frame clock drawing
 * at 60 Hz, so a key waits for the clock's next frame whatever it costs: up to 16.7 ms of
 * nothing, which the benchmarks' own keystrokes wait too. */
void
bench_keystroke_floor (guint   n_keys,
                       double *median_ms,
                       double *worst_ms)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *entry = gtk_search_entry_new ();
  GtkWidget *label = gtk_label_new (NULL);
  double *ms = g_new0 (double, n_keys);

  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), label);
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_grab_focus (entry);
  bench_wait_for_paint (window);
  bench_pause_ms (300);

  *worst_ms = 0;
  for (guint i = 0; i < n_keys; i++) {
    g_autofree char *text = g_strdup_printf ("web-%u", i);
    gint64 start;

    bench_pause_ms (50);
    start = g_get_monotonic_time ();
    gtk_editable_set_text (GTK_EDITABLE (entry), text);
    gtk_label_set_text (GTK_LABEL (label), text);
    bench_wait_for_paint (window);
    ms[i] = (g_get_monotonic_time () - start) / 1000.0;
    *worst_ms = MAX (*worst_ms, ms[i]);
  }
  *median_ms = bench_median (ms, n_keys);
  g_free (ms);
  gtk_window_destroy (GTK_WINDOW (window));
}
