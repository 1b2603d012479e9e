/* bench-calls.c: what one API call costs the core, next to Tencent's own Node SDK
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-calls IMPRINT-SIM BENCH-CALLS-JS [N] [ROUNDS]   (NODE_PATH reaches the SDK)
 *
 * One imprint-sim process serves both clients. In each round the core makes N sequential
 * DescribeInstances (Limit 100, a region of exactly 100 instances, parsed into models as
 * the picker gets them), then the Node SDK makes the same N calls in a fresh `node`
 * process; rounds alternate so that the machine's mood is shared. Each client's own CPU
 * time is measured (getrusage here, process.cpuUsage there): the server's time is the same
 * for both and would only blur the comparison. Wall time is reported beside it; the core
 * paces itself to Tencent's 40 DescribeInstances a second, the SDK does not. Connections
 * come from the simulator's `--log` ("connection N accepted"), per 100 calls; each round
 * starts both clients cold (a new session, a new process), warmed by one call.
 *
 * Numbers only: the machines are shared and noisy, and nothing here fails on time.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "sim-server.h"
#include "tc-cvm.h"

typedef struct {
  GSubprocess      *process;
  GDataInputStream *log;
  guint             port;
  guint             connections;   /* the last "connection N accepted" read */
  guint             served;        /* request lines read */
} Sim;

/* Reads the simulator's log until it has told of @served requests. */
static void
sim_read_until (Sim   *sim,
                guint  served)
{
  while (sim->served < served || sim->port == 0) {
    g_autoptr(GError) error = NULL;
    g_autofree char *line = g_data_input_stream_read_line_utf8 (sim->log, NULL, NULL, &error);
    const char *found;
    guint n;

    if (line == NULL)
      g_error ("imprint-sim stopped: %s", error ? error->message : "end of its output");

    if ((found = strstr (line, "Listening on http://127.0.0.1:")) != NULL)
      sim->port = (guint) g_ascii_strtoull (found + strlen ("Listening on http://127.0.0.1:"), NULL, 10);
    else if (sscanf (line, "%*d:%*d:%*d  connection %u accepted", &n) == 1)
      sim->connections = n;
    else if (strstr (line, "DescribeInstances") != NULL)
      sim->served++;
  }
}

static double
cpu_ms (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3 +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
}

typedef struct {
  gboolean    done;
  GListModel *instances;
  GError     *error;
} Call;

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Call *call = user_data;

  call->instances = tc_cvm_list_instances_finish (TC_CLIENT (object), result, &call->error);
  call->done = TRUE;
}

static void
core_call (TcClient *client)
{
  Call call = { 0 };

  tc_cvm_list_instances_async (client, "ap-guangzhou", NULL, NULL, NULL, listed_cb, &call);
  while (!call.done)
    g_main_context_iteration (NULL, TRUE);
  if (call.error != NULL)
    g_error ("core call failed: %s", call.error->message);
  if (g_list_model_get_n_items (call.instances) != 100)
    g_error ("core call: expected 100 instances, got %u", g_list_model_get_n_items (call.instances));
  g_object_unref (call.instances);
}

static void
core_run (Sim    *sim,
          guint   n,
          double *cpu,
          double *wall,
          double *connections)
{
  g_autoptr(SoupSession) session = tc_client_new_session ();
  g_autoptr(TcCredentials) creds = tc_credentials_new (SIM_DEFAULT_SECRET_ID, SIM_DEFAULT_SECRET_KEY, NULL);
  g_autoptr(TcClient) client = tc_client_new (session, TC_PROTOCOL_API3, creds);
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/", sim->port);
  guint before = sim->connections;
  double cpu0;
  gint64 wall0;

  tc_client_set_endpoint (client, url, NULL);
  core_call (client);

  cpu0 = cpu_ms ();
  wall0 = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    core_call (client);
  *cpu = (cpu_ms () - cpu0) / n;
  *wall = (g_get_monotonic_time () - wall0) / 1e3 / n;

  sim_read_until (sim, sim->served + n + 1);
  *connections = (sim->connections - before) * 100.0 / n;
}

static void
sdk_run (Sim        *sim,
         const char *script,
         guint       n,
         double     *cpu,
         double     *wall,
         double     *connections)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *out = NULL;
  g_autofree char *port = g_strdup_printf ("%u", sim->port);
  g_autofree char *count = g_strdup_printf ("%u", n);
  guint before = sim->connections;
  JsonObject *result;

  /* The simulator's demo keys, which it prints to anyone who starts it. */
  g_subprocess_launcher_setenv (launcher, "TENCENTCLOUD_SECRET_ID", SIM_DEFAULT_SECRET_ID, TRUE);
  g_subprocess_launcher_setenv (launcher, "TENCENTCLOUD_SECRET_KEY", SIM_DEFAULT_SECRET_KEY, TRUE);
  node = g_subprocess_launcher_spawn (launcher, &error, "node", script, port, count, NULL);
  if (node == NULL || !g_subprocess_communicate_utf8 (node, NULL, NULL, &out, NULL, &error))
    g_error ("node: %s", error->message);
  if (!g_subprocess_get_successful (node))
    g_error ("node %s failed (is the SDK installed? tools/setup installs it)", script);

  if (!json_parser_load_from_data (parser, out, -1, &error))
    g_error ("node printed no result: %s", error->message);
  result = json_node_get_object (json_parser_get_root (parser));
  *cpu = json_object_get_double_member (result, "cpu_ms");
  *wall = json_object_get_double_member (result, "wall_ms");

  sim_read_until (sim, sim->served + n + 1);
  *connections = (sim->connections - before) * 100.0 / n;
}

static double
median (GArray *values)
{
  g_autoptr(GArray) sorted = g_array_copy (values);
  double *v = (double *) (gpointer) sorted->data;

  for (guint i = 1; i < sorted->len; i++)
    for (guint j = i; j > 0 && v[j - 1] > v[j]; j--) {
      double t = v[j];

      v[j] = v[j - 1];
      v[j - 1] = t;
    }
  return sorted->len % 2 ? v[sorted->len / 2] : (v[sorted->len / 2 - 1] + v[sorted->len / 2]) / 2;
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 3 ? (guint) g_ascii_strtoull (argv[3], NULL, 10) : 200;
  guint rounds = argc > 4 ? (guint) g_ascii_strtoull (argv[4], NULL, 10) : 3;
  g_autoptr(GError) error = NULL;
  GArray *results[6];
  Sim sim = { 0 };

  if (argc < 3) {
    g_printerr ("usage: bench-calls IMPRINT-SIM BENCH-CALLS-JS [N] [ROUNDS]\n");
    return 2;
  }
  /* The log is read only between runs: a run of N calls must fit in the pipe. */
  n = CLAMP (n, 1, 400);
  rounds = MAX (rounds, 1);

  sim.process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, argv[1], "--port", "0",
                                  "--log", "--instances", "100", NULL);
  if (sim.process == NULL)
    g_error ("cannot start %s: %s", argv[1], error->message);
  sim.log = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim.process));
  sim_read_until (&sim, 0);

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    results[i] = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint r = 0; r < rounds; r++) {
    double v[6];

    core_run (&sim, n, &v[0], &v[1], &v[2]);
    sdk_run (&sim, argv[2], n, &v[3], &v[4], &v[5]);
    for (guint i = 0; i < G_N_ELEMENTS (v); i++)
      g_array_append_val (results[i], v[i]);
    g_print ("round %u: core CPU %.3f ms, wall %.3f ms, %.1f connections per 100 calls; "
             "Node SDK CPU %.3f ms, wall %.3f ms, %.1f connections per 100 calls\n",
             r + 1, v[0], v[1], v[2], v[3], v[4], v[5]);
  }

  g_subprocess_send_signal (sim.process, SIGTERM);
  g_subprocess_wait (sim.process, NULL, NULL);
  g_object_unref (sim.log);
  g_object_unref (sim.process);

  g_print ("calls: %u sequential DescribeInstances (Limit 100) per round, %u rounds, medians\n",
           n, rounds);
  g_print ("calls: CPU per call core %.3f ms, Node SDK %.3f ms, ratio %.2f; wall core %.3f ms, "
           "SDK %.3f ms; connections per 100 calls: core %.1f, SDK %.1f\n",
           median (results[0]), median (results[3]), median (results[0]) / median (results[3]),
           median (results[1]), median (results[4]), median (results[2]), median (results[5]));
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    g_array_unref (results[i]);
  return 0;
}
