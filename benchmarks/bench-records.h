/* bench-records.h: a history as the previous build wrote it, for the benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

GString *bench_history_jsonl (guint n_records);
/* Removes a folder of files (no subfolders), the benchmark's scratch. */
void     bench_remove_dir    (const char *path);

G_END_DECLS
