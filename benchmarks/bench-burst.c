/* bench-burst.c: how long sixty connections opened at once take to be answered
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The instance picker, the checks and the tracker can open many connections at once. A
 * listen backlog shorter than the burst makes the kernel drop the excess, and each dropped
 * connection waits a second for its SYN to be sent again: the burst then takes over a
 * second instead of milliseconds. The simulator runs in this main loop, as in the tests.
 */
#include "config.h"

#include <libsoup/soup.h>

#include "sim-server.h"

#define BURST 60

typedef struct {
  guint remaining;
  guint failed;
} Burst;

static void
answered_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Burst *burst = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);

  if (body == NULL) {
    g_printerr ("a request of the burst failed: %s\n", error->message);
    burst->failed++;
  }
  burst->remaining--;
}

static double
burst_once (const char *url,
            guint      *failed)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("max-conns", BURST + 4,
                                                                   "max-conns-per-host", BURST + 4,
                                                                   NULL);
  gint64 start = g_get_monotonic_time ();
  Burst burst = { BURST, 0 };

  for (guint i = 0; i < BURST; i++) {
    g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
    g_autoptr(GBytes) body = g_bytes_new_static ("{}", 2);

    soup_message_add_flags (msg, SOUP_MESSAGE_NEW_CONNECTION);
    soup_message_set_request_body_from_bytes (msg, "application/json", body);
    soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, answered_cb, &burst);
  }
  while (burst.remaining > 0)
    g_main_context_iteration (NULL, TRUE);

  *failed += burst.failed;
  return (g_get_monotonic_time () - start) / 1000.0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SimServer) sim = sim_server_new (1, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  double best = G_MAXDOUBLE, worst = 0;
  guint failed = 0;

  if (!sim_server_listen (sim, 0, &error))
    g_error ("%s", error->message);
  url = sim_server_get_url (sim);

  for (int i = 0; i < 5; i++) {
    double ms = burst_once (url, &failed);

    best = MIN (best, ms);
    worst = MAX (worst, ms);
  }

  g_print ("burst: %d parallel connections answered in %.1f ms (best of 5; worst %.1f ms), "
           "%u of %d failed\n", BURST, best, worst, failed, 5 * BURST);
  sim_server_disconnect (sim);
  return failed == 0 ? 0 : 1;
}
