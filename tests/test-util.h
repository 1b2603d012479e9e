/* test-util.h: helpers shared by the test programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The path of a file in tests/data. */
char     *test_data_path        (const char *name);

/* @seconds, stretched by $IMPRINT_TEST_TIMEOUT_MULTIPLIER (the valgrind setup sets it):
 * the give-up time of a wait, never a speed requirement. */
guint     test_timeout_seconds  (guint      seconds);

/* Iterates the thread-default main context until *@done is TRUE, failing the test after
 * @timeout_seconds. */
void      test_wait_until       (gboolean   *done,
                                 guint       timeout_seconds);

/* Lets the main context run for @milliseconds (for servers in the same loop to progress). */
void      test_run_main_loop_for (guint     milliseconds);

G_END_DECLS
