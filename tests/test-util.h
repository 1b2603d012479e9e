/* test-util.h: helpers shared by the test programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tc-client.h"

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

/* The result of one async call: pass test_wait_cb with a zeroed TestWait as its callback
 * and data, then test_wait_result() turns the loop until the result arrives. */
typedef struct {
  gboolean      done;
  GAsyncResult *result;
} TestWait;

void          test_wait_cb      (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data);

/* Iterates until @wait's call completes, failing the test after 60 s (stretched as
 * test_timeout_seconds() does). Returns: (transfer full): the result. */
GAsyncResult *test_wait_result  (TestWait     *wait);

/* Iterates the thread-default main context (waking at least every 20 ms) until @condition
 * holds, failing the test after 60 s (stretched as above). */
typedef gboolean (*TestCondition) (gpointer data);

void      test_wait_for         (TestCondition  condition,
                                 gpointer       data);

/* Lets the main context run for @milliseconds (for servers in the same loop to progress). */
void      test_run_main_loop_for (guint     milliseconds);

/* Iterates the main context until *@remaining, a count of calls in flight that their
 * callbacks decrement, reaches 0; fails the test after 60 seconds (stretched). */
void      test_wait_countdown   (guint      *remaining);

/* Points @client at a simulator (or any server) listening at @url, in the client's
 * protocol: API 3.0 at @url itself, the legacy API at @url/v2/index.php for both of its
 * endpoints. */
void      test_client_point_at  (TcClient   *client,
                                 const char *url);

GPtrArray *test_stopped_instances (TcClient   *client,
                                   const char *region,
                                   guint       n);
/* Deletes the image @image_id of @region, as the Images view would; asserts it worked. */
void      test_delete_image     (TcClient   *client,
                                 const char *region,
                                 const char *image_id);

G_END_DECLS
