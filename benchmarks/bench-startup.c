/* bench-startup.c: from exec to the first visible window, and memory after it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-startup FLOOR-PROGRAM IMPRINT-PROGRAM [ROUNDS]
 *
 * Runs both programs alternately on the current X display, each time timing exec → the
 * MapNotify of its first top-level window (seen by selecting SubstructureNotify on the root
 * window: no polling), then reading its resident and proportional memory half a second
 * later. SPEC.md: Imprint's first window within 1.10 × the floor, memory within 1.3 ×.
 *
 * The ratio is the median of each pair's: on a shared machine the load moves within a run,
 * and the two of a pair, a second apart, meet the same. It also says how long the main
 * thread ran until the window was mapped (its schedstat), which waiting for a core does
 * not lengthen: what each program costs, apart from what the machine's other work costs.
 */
#include <X11/Xlib.h>
#include <glib.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
  double ms;
  double cpu_ms;   /* the main thread's run time until the map */
  long   rss_kb;
  long   pss_kb;
} Sample;

/* How long thread @pid has run, in ms (the first field of its schedstat, in ns). */
static double
run_time_ms (pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/schedstat", pid);
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return -1;
  return g_ascii_strtod (contents, NULL) / 1e6;
}

static long
read_kb (const char *path,
         const char *key)
{
  g_autofree char *contents = NULL;
  const char *line;

  if (!g_file_get_contents (path, &contents, NULL, NULL) || (line = strstr (contents, key)) == NULL)
    return -1;
  return strtol (line + strlen (key), NULL, 10);
}

static Sample
run_once (Display    *display,
          const char *program)
{
  Sample sample = { -1, -1, -1, -1 };
  gint64 start;
  pid_t pid;

  XSelectInput (display, DefaultRootWindow (display), SubstructureNotifyMask);
  XSync (display, True);

  start = g_get_monotonic_time ();
  pid = fork ();
  if (pid == 0) {
    execl (program, program, NULL);
    _exit (127);
  }

  while (sample.ms < 0) {
    XEvent event;

    XNextEvent (display, &event);
    if (event.type == MapNotify && !event.xmap.override_redirect)
      sample.ms = (g_get_monotonic_time () - start) / 1000.0;
  }
  sample.cpu_ms = run_time_ms (pid);

  /* Let the first frames settle, then measure what the process holds. */
  g_usleep (500 * 1000);
  {
    g_autofree char *status = g_strdup_printf ("/proc/%d/status", pid);
    g_autofree char *rollup = g_strdup_printf ("/proc/%d/smaps_rollup", pid);

    sample.rss_kb = read_kb (status, "VmRSS:");
    sample.pss_kb = read_kb (rollup, "Pss:");
  }

  kill (pid, SIGTERM);
  waitpid (pid, NULL, 0);
  return sample;
}

static int
compare (const void *a,
         const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        int     n)
{
  qsort (values, n, sizeof (double), compare);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

int
main (int   argc,
      char *argv[])
{
  int rounds = argc > 3 ? atoi (argv[3]) : 7;
  double floor_ms[64], imprint_ms[64], floor_pss[64], imprint_pss[64], ratio[64];
  double floor_cpu[64], imprint_cpu[64], cpu_ratio[64];
  double f_ms, i_ms, f_pss, i_pss, f_cpu, i_cpu;
  Display *display;

  if (argc < 3 || rounds < 1 || rounds > 64) {
    fprintf (stderr, "usage: %s FLOOR-PROGRAM IMPRINT-PROGRAM [ROUNDS ≤ 64]\n", argv[0]);
    return 2;
  }
  if ((display = XOpenDisplay (NULL)) == NULL) {
    fprintf (stderr, "no X display: run under xvfb-run\n");
    return 77;
  }

  /* One warm-up each, so both start with the same files cached. */
  run_once (display, argv[1]);
  run_once (display, argv[2]);

  for (int i = 0; i < rounds; i++) {
    Sample f = run_once (display, argv[1]);
    Sample m = run_once (display, argv[2]);

    floor_ms[i] = f.ms;
    imprint_ms[i] = m.ms;
    floor_pss[i] = f.pss_kb;
    imprint_pss[i] = m.pss_kb;
    ratio[i] = m.ms / f.ms;
    floor_cpu[i] = f.cpu_ms;
    imprint_cpu[i] = m.cpu_ms;
    cpu_ratio[i] = m.cpu_ms / f.cpu_ms;
  }

  f_ms = median (floor_ms, rounds);
  i_ms = median (imprint_ms, rounds);
  f_pss = median (floor_pss, rounds);
  i_pss = median (imprint_pss, rounds);
  f_cpu = median (floor_cpu, rounds);
  i_cpu = median (imprint_cpu, rounds);

  printf ("main thread's run time to the first window: floor %.0f ms, imprint %.0f ms, ratio %.2f\n",
          f_cpu, i_cpu, median (cpu_ratio, rounds));
  printf ("first window: floor %.0f ms, imprint %.0f ms, ratio %.2f (target <= 1.10), median of %d pairs\n",
          f_ms, i_ms, median (ratio, rounds), rounds);
  printf ("memory (PSS) after the first window: floor %.1f MiB, imprint %.1f MiB, ratio %.2f (target <= 1.3)\n",
          f_pss / 1024, i_pss / 1024, i_pss / f_pss);

  XCloseDisplay (display);
  return 0;
}
