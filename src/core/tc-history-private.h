/* tc-history-private.h: what the tests need to reach inside TcHistory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tc-history.h"

G_BEGIN_DECLS

/* Compaction is considered once the file holds more than @min_lines lines (1000 unless
 * set), so tests can see it happen with a few records. */
void tc_history_set_compact_min_lines (TcHistory *self,
                                       guint      min_lines);

G_END_DECLS
