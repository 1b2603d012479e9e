/* bench-records.h: a history as the previous build wrote it, and what else the benchmarks share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

GString *bench_history_jsonl (guint n_records);
/* Removes a folder of files (no subfolders), the benchmark's scratch. */
void     bench_remove_dir    (const char *path);
/* Runs the main loop for @ms: a person's pause between two keys. */
void     bench_pause_ms      (guint       ms);
/* The CPU time the calling thread has used, in µs. */
gint64   bench_thread_cpu_us (void);

G_END_DECLS
