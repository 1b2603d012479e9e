/* imprint-sim.c: the CVM simulator as a command
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   imprint-sim --port PORT --secret-id ID (--secret-key KEY | --secrets-stdin) [--token T] [--seed N]
 *               [--instances N] [--image-delay SECONDS] [--latency MS] [--quota N]
 *               [--clock-skew SECONDS] [--rate-limits on|off] [--fault SPEC]... [--log]
 *
 * Serves on 127.0.0.1:PORT until SIGINT or SIGTERM. Without keys it accepts the demo account
 * and prints its keys; a key given to it is never printed. --secrets-stdin reads the
 * SecretKey (first line) and a session token (second line, optional) from standard input,
 * so that they appear on no command line.
 */
#include "config.h"

#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim-server.h"

static void
served_cb (SimServer  *server,
           const char *protocol,
           const char *action,
           const char *language,
           const char *outcome)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *time = g_date_time_format (now, "%H:%M:%S");

  g_print ("%s  %-7s  %-22s  %-5s  %s\n", time, protocol, *action != '\0' ? action : "-",
           language != NULL ? language : "-", outcome);
  fflush (stdout);
}

static void
connections_cb (SimServer  *server,
                GParamSpec *pspec)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *time = g_date_time_format (now, "%H:%M:%S");

  g_print ("%s  connection %u accepted\n", time, sim_server_get_connection_count (server));
  fflush (stdout);
}

/* One line of @in without its line ending, or NULL at the end. */
static char *
read_line (FILE *in)
{
  char buffer[4096];
  gsize len;

  if (fgets (buffer, sizeof buffer, in) == NULL)
    return NULL;
  len = strcspn (buffer, "\r\n");
  buffer[len] = '\0';
  return len > 0 ? g_strdup (buffer) : NULL;
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  int port = 0;
  g_autofree char *secret_id = NULL;
  g_autofree char *secret_key = NULL;
  g_autofree char *token = NULL;
  gint64 seed = 1;
  int instances = 40;
  double image_delay = 5;
  int latency = 0;
  int quota = 10;
  gint64 clock_skew = 0;
  g_auto(GStrv) faults = NULL;
  g_autofree char *rate_limits = NULL;
  gboolean log = FALSE;
  gboolean secrets_stdin = FALSE;
  GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1 (0: any free port)", "PORT" },
    { "secret-id", 0, 0, G_OPTION_ARG_STRING, &secret_id, "SecretId to accept", "ID" },
    { "secret-key", 0, 0, G_OPTION_ARG_STRING, &secret_key, "SecretKey of that SecretId", "KEY" },
    { "token", 0, 0, G_OPTION_ARG_STRING, &token, "Session token the account requires", "TOKEN" },
    { "secrets-stdin", 0, 0, G_OPTION_ARG_NONE, &secrets_stdin,
      "Read the SecretKey, then an optional session token, one per line from standard input", NULL },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Fleet seed (default 1)", "N" },
    { "instances", 0, 0, G_OPTION_ARG_INT, &instances,
      "Instances in each region, 0 to 100000 (default 40)", "N" },
    { "image-delay", 0, 0, G_OPTION_ARG_DOUBLE, &image_delay,
      "Seconds a new image stays CREATING (default 5)", "SECONDS" },
    { "latency", 0, 0, G_OPTION_ARG_INT, &latency, "Milliseconds added to every answer", "MS" },
    { "quota", 0, 0, G_OPTION_ARG_INT, &quota, "Custom-image quota per region (default 10)", "N" },
    { "clock-skew", 0, 0, G_OPTION_ARG_INT64, &clock_skew,
      "Seconds added to the simulator's clock", "SECONDS" },
    { "rate-limits", 0, 0, G_OPTION_ARG_STRING, &rate_limits,
      "Refuse requests over each action's documented per-second limit with "
      "RequestLimitExceeded (default off)", "on|off" },
    { "fault", 0, 0, G_OPTION_ARG_STRING_ARRAY, &faults,
      "Inject a fault: KIND[:action=ACTION][,rate=R][,count=N][,skip=N][,ms=M], where KIND is latency, "
      "rate-limit, internal-error, http-500, http-503, html, malformed-json, truncated, "
      "oversized, drop, stall or image-fail (repeatable)", "SPEC" },
    { "log", 0, 0, G_OPTION_ARG_NONE, &log,
      "Print a line for each request (protocol, action, X-TC-Language and the answer) and "
      "for each connection accepted", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SimServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *url = NULL;

  setlocale (LC_ALL, "");

  context = g_option_context_new ("— a Tencent Cloud CVM simulator for Imprint");
  g_option_context_set_summary (context,
                                "Serves API 3.0 (TC3-HMAC-SHA256) and legacy API 2.0 "
                                "(/v2/index.php) on 127.0.0.1 until interrupted.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("imprint-sim: %s\n", error->message);
    return EXIT_FAILURE;
  }

  if (port < 0 || port > 65535) {
    g_printerr ("imprint-sim: --port must be from 0 to 65535\n");
    return EXIT_FAILURE;
  }
  if (instances < 0 || instances > 100000) {
    g_printerr ("imprint-sim: --instances must be from 0 to 100000\n");
    return EXIT_FAILURE;
  }
  if (seed < 0 || seed > G_MAXUINT32) {
    g_printerr ("imprint-sim: --seed must be from 0 to %u\n", G_MAXUINT32);
    return EXIT_FAILURE;
  }
  if (!(image_delay >= 0 && image_delay <= 86400)) {
    g_printerr ("imprint-sim: --image-delay must be from 0 to 86400 seconds\n");
    return EXIT_FAILURE;
  }
  if (latency < 0 || latency > 600000) {
    g_printerr ("imprint-sim: --latency must be from 0 to 600000 milliseconds\n");
    return EXIT_FAILURE;
  }
  if (quota < 0 || quota > 100000) {
    g_printerr ("imprint-sim: --quota must be from 0 to 100000\n");
    return EXIT_FAILURE;
  }
  if (rate_limits != NULL && g_strcmp0 (rate_limits, "on") != 0 && g_strcmp0 (rate_limits, "off") != 0) {
    g_printerr ("imprint-sim: --rate-limits must be on or off\n");
    return EXIT_FAILURE;
  }
  if (secrets_stdin) {
    if (secret_key != NULL || token != NULL) {
      g_printerr ("imprint-sim: --secrets-stdin replaces --secret-key and --token\n");
      return EXIT_FAILURE;
    }
    secret_key = read_line (stdin);
    token = read_line (stdin);
    if (secret_key == NULL) {
      g_printerr ("imprint-sim: --secrets-stdin: no SecretKey on standard input\n");
      return EXIT_FAILURE;
    }
  }
  if ((secret_id == NULL) != (secret_key == NULL)) {
    g_printerr ("imprint-sim: give both --secret-id and --secret-key, or neither\n");
    return EXIT_FAILURE;
  }
  if (token != NULL && secret_id == NULL) {
    g_printerr ("imprint-sim: --token needs --secret-id and --secret-key\n");
    return EXIT_FAILURE;
  }

  server = sim_server_new ((guint) seed, (guint) instances);
  sim_server_set_image_delay (server, image_delay);
  sim_server_set_latency (server, (guint) latency);
  sim_server_set_quota (server, (guint) quota);
  sim_server_set_time_offset (server, clock_skew);
  sim_server_set_rate_limits (server, g_strcmp0 (rate_limits, "on") == 0);

  if (log) {
    g_signal_connect (server, "served", G_CALLBACK (served_cb), NULL);
    g_signal_connect (server, "notify::connections", G_CALLBACK (connections_cb), NULL);
  }
  if (secret_id != NULL)
    sim_server_add_account (server, secret_id, secret_key, token);

  for (guint i = 0; faults != NULL && faults[i] != NULL; i++) {
    if (!sim_server_add_fault (server, faults[i], &error)) {
      g_printerr ("imprint-sim: %s\n", error->message);
      return EXIT_FAILURE;
    }
  }

  if (!sim_server_listen (server, (guint) port, &error)) {
    g_printerr ("imprint-sim: cannot listen on 127.0.0.1:%d: %s\n", port, error->message);
    return EXIT_FAILURE;
  }

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);

  if (secret_id == NULL) {
    g_print ("Demo account (no --secret-id given):\n");
    g_print ("  SecretId:  %s\n", SIM_DEFAULT_SECRET_ID);
    g_print ("  SecretKey: %s\n", SIM_DEFAULT_SECRET_KEY);
  } else {
    /* Masked as everywhere outside the account editor; the key is never printed. */
    gsize len = strlen (secret_id);

    g_print ("Account: SecretId …%s%s\n", len > 4 ? secret_id + len - 4 : "",
             token != NULL ? " (with a session token)" : "");
  }
  url = sim_server_get_url (server);
  g_print ("Listening on %s\n", url);
  fflush (stdout);

  g_main_loop_run (loop);

  sim_server_disconnect (server);
  return EXIT_SUCCESS;
}
