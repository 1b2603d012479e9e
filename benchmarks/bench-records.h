/* bench-records.h: a history as the previous build wrote it, and what else the benchmarks share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

GString *bench_history_jsonl (guint n_records);
/* Removes a folder of files (no subfolders), the benchmark's scratch. */
void     bench_remove_dir    (const char *path);
/* Runs the main loop for @ms: a person's pause between two keys. */
void     bench_pause_ms      (guint       ms);
/* The CPU time the calling thread has used, in µs. */
gint64   bench_thread_cpu_us (void);
/* How long the calling thread has waited for a core while it could run, in µs (0 when
 * the kernel does not say). */
gint64   bench_thread_wait_us (void);
/* The median of @values (sorted in place). */
double   bench_median        (double     *values,
                              guint       n);
/* From now to the end of the next frame @widget's window paints. */
void     bench_wait_for_paint (GtkWidget *widget);
/* What GTK alone costs a keystroke: see bench-records.c. */
void     bench_keystroke_floor (guint     n_keys,
                                double   *median_ms,
                                double   *worst_ms);

G_END_DECLS
