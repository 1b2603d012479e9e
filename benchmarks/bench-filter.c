/* bench-filter.c: what one keystroke in the instance picker's search costs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SPEC.md's target: filtering 10,000 instances costs at most 8 ms per keystroke. The picker
 * lists a simulated region of N instances in a real window; then "w", "we", "web", "web-",
 * "web-1" are typed and erased again, several rounds. Each keystroke is timed twice: up to
 * when the list has taken it (the search, the model's signals and the rows showing their
 * new instances — what runs when the entry reports the change) and up to the end of the
 * next painted frame (layout and paint too). A key comes 50 ms after the frame before it,
 * as when a person types. The search entry has the focus, and its blinking cursor keeps
 * GTK 4.8's frame clock drawing at 60 Hz: a key waits for the clock's next frame, up to
 * 16.7 ms of nothing, however little it costs. It ends with the worst of every keystroke to
 * its frame, the number issue 15 asks to be within a frame (16.7 ms), how long the UI
 * thread ran in it (CPU time: on a shared machine the rest is time waiting for a core),
 * and the same keys typed into a bare window with a focused search entry and a label
 * (bench_keystroke_floor()), which is what GTK alone costs:
 *   filter-keystroke: N instances, worst keystroke to next frame X ms, median Y ms (...)
 *
 * The floors of the list, measured in the same run: ImprintInstanceList searching the same
 * instances with no view attached. For reference, GTK's own GtkFilterListModel over a
 * GtkSortListModel, also with no view.
 *
 * A second argument, "legacy", lists a legacy API fleet, whose running instances all show
 * a reason under their names.
 *
 * Needs a display: `xvfb-run -a meson test -C _build --benchmark -v filter-instances`.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench-records.h"
#include "imprint-instance-list.h"
#include "imprint-instance-picker-private.h"
#include "sim-server.h"
#include "tc-cvm.h"

static const char * const keystrokes[] = {
  "w", "we", "web", "web-", "web-1", "web-", "web", "we", "w", "",
};

#define ROUNDS 9
/* Between a frame and the next key: a person types about ten keys a second. */
#define PAUSE_MS 50

static void
state_cb (GObject    *object,
          GParamSpec *pspec,
          gboolean   *loaded)
{
  if (imprint_instance_picker_get_state (IMPRINT_INSTANCE_PICKER (object)) != IMPRINT_PICKER_STATE_LOADING)
    *loaded = TRUE;
}

/* The picker, as the user meets it. */
/* Returns the median of every keystroke to its next frame; the worst in @worst_frame. */
static double
bench_picker (TcClient *client,
              guint     n_instances,
              double   *worst_frame,
              double   *worst_cpu)
{
  ImprintInstancePicker *picker = imprint_instance_picker_new (NULL, client, "ap-guangzhou", FALSE);
  GListModel *model = imprint_instance_picker_get_model (picker);
  double filter_ms[G_N_ELEMENTS (keystrokes)][ROUNDS];
  double frame_ms[G_N_ELEMENTS (keystrokes)][ROUNDS];
  double cpu_ms[G_N_ELEMENTS (keystrokes)][ROUNDS];
  guint rows[G_N_ELEMENTS (keystrokes)];
  double all_medians[G_N_ELEMENTS (keystrokes)];
  double frames[G_N_ELEMENTS (keystrokes) * ROUNDS];
  guint n_frames = 0;
  double worst = 0;
  gboolean loaded = FALSE;

  g_signal_connect (picker, "notify::state", G_CALLBACK (state_cb), &loaded);
  gtk_window_present (GTK_WINDOW (picker));
  while (!loaded)
    g_main_context_iteration (NULL, TRUE);
  if (g_list_model_get_n_items (model) != n_instances)
    g_error ("listed %u instances, expected %u", g_list_model_get_n_items (model), n_instances);
  bench_wait_for_paint (GTK_WIDGET (picker));
  /* The parts the view takes after its first frame are the listing's, not the search's:
   * bench-stall measures them. A person reads the list before typing. */
  bench_pause_ms (500);

  for (guint round = 0; round < ROUNDS; round++) {
    for (guint k = 0; k < G_N_ELEMENTS (keystrokes); k++) {
      gint64 start, start_cpu;

      bench_pause_ms (PAUSE_MS);
      start = g_get_monotonic_time ();
      start_cpu = bench_thread_cpu_us ();
      imprint_instance_picker_set_search_text (picker, keystrokes[k]);
      filter_ms[k][round] = (g_get_monotonic_time () - start) / 1000.0;
      bench_wait_for_paint (GTK_WIDGET (picker));
      frame_ms[k][round] = (g_get_monotonic_time () - start) / 1000.0;
      cpu_ms[k][round] = (bench_thread_cpu_us () - start_cpu) / 1000.0;
      *worst_cpu = MAX (*worst_cpu, cpu_ms[k][round]);
      rows[k] = g_list_model_get_n_items (model);
      frames[n_frames++] = frame_ms[k][round];
      *worst_frame = MAX (*worst_frame, frame_ms[k][round]);
    }
  }

  g_print ("picker: %u instances, %d rounds; per keystroke, median (best); the UI thread's "
           "time to the frame, median (worst)\n", n_instances, ROUNDS);
  for (guint k = 0; k < G_N_ELEMENTS (keystrokes); k++) {
    double f = bench_median (filter_ms[k], ROUNDS);
    double p = bench_median (frame_ms[k], ROUNDS);
    double worst_ran = 0;

    for (guint round = 0; round < ROUNDS; round++)
      worst_ran = MAX (worst_ran, cpu_ms[k][round]);

    worst = MAX (worst, f);
    all_medians[k] = f;
    g_print ("  %-8s %6u rows  list %6.2f ms (%5.2f)   to next frame %6.2f ms (%5.2f)   ran %6.2f ms (%6.2f)\n",
             *keystrokes[k] ? keystrokes[k] : "(empty)", rows[k], f, filter_ms[k][0],
             p, frame_ms[k][0], bench_median (cpu_ms[k], ROUNDS), worst_ran);
  }
  g_print ("filter-list: median %.2f ms, worst keystroke's median %.2f ms (target <= 8 ms)\n",
           bench_median (all_medians, G_N_ELEMENTS (keystrokes)), worst);

  gtk_window_destroy (GTK_WINDOW (picker));
  return bench_median (frames, n_frames);
}

/* The floor: the same search with no view attached. */

static int
compare_name_cb (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  return gtk_ordering_from_cmpfunc (strcmp (tc_instance_get_sort_key ((TcInstance *) a),
                                            tc_instance_get_sort_key ((TcInstance *) b)));
}

static double
time_list (GListModel *instances)
{
  g_autoptr(GtkSorter) sorter = GTK_SORTER (gtk_custom_sorter_new (compare_name_cb, NULL, NULL));
  g_autoptr(ImprintInstanceList) list = imprint_instance_list_new (sorter, NULL, NULL);
  double ms[G_N_ELEMENTS (keystrokes)][ROUNDS];
  double medians[G_N_ELEMENTS (keystrokes)];

  imprint_instance_list_set_instances (list, instances);
  while (imprint_instance_list_is_sorting (list))
    g_main_context_iteration (NULL, TRUE);

  for (guint round = 0; round < ROUNDS; round++) {
    for (guint k = 0; k < G_N_ELEMENTS (keystrokes); k++) {
      gint64 start = g_get_monotonic_time ();

      imprint_instance_list_set_search (list, keystrokes[k]);
      ms[k][round] = (g_get_monotonic_time () - start) / 1000.0;
    }
  }

  for (guint k = 0; k < G_N_ELEMENTS (keystrokes); k++)
    medians[k] = bench_median (ms[k], ROUNDS);
  return bench_median (medians, G_N_ELEMENTS (keystrokes));
}

/* For reference: GTK's filter model over its sort model, no view. */

static GQuark
key_quark (void)
{
  return g_quark_from_static_string ("bench-search-key");
}

static gboolean
match_cb (gpointer item,
          gpointer user_data)
{
  const char *needle = *(const char **) user_data;

  return *needle == '\0' || strstr (g_object_get_qdata (item, key_quark ()), needle) != NULL;
}

static double
time_gtk_filter (GListModel *instances)
{
  g_autoptr(GListStore) store = g_list_store_new (TC_TYPE_INSTANCE);
  const char *needle = "";
  GtkCustomFilter *filter = gtk_custom_filter_new (match_cb, &needle, NULL);
  GtkSorter *sorter = GTK_SORTER (gtk_string_sorter_new (gtk_property_expression_new (TC_TYPE_INSTANCE, NULL, "name")));
  g_autoptr(GListModel) top = NULL;
  double ms[G_N_ELEMENTS (keystrokes)][ROUNDS];
  double medians[G_N_ELEMENTS (keystrokes)];

  for (guint i = 0; i < g_list_model_get_n_items (instances); i++) {
    g_autoptr(TcInstance) instance = g_list_model_get_item (instances, i);
    g_autofree char *key = g_strconcat (tc_instance_get_name (instance), "\n",
                                        tc_instance_get_id (instance), "\n",
                                        tc_instance_get_private_ip (instance), NULL);

    g_object_set_qdata_full (G_OBJECT (instance), key_quark (), g_utf8_casefold (key, -1), g_free);
    g_list_store_append (store, instance);
  }

  top = G_LIST_MODEL (gtk_filter_list_model_new (
          G_LIST_MODEL (gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (store)), sorter)),
          GTK_FILTER (filter)));

  for (guint round = 0; round < ROUNDS; round++) {
    const char *previous = "";

    for (guint k = 0; k < G_N_ELEMENTS (keystrokes); k++) {
      gint64 start = g_get_monotonic_time ();

      needle = keystrokes[k];
      gtk_filter_changed (GTK_FILTER (filter),
                          strstr (needle, previous) ? GTK_FILTER_CHANGE_MORE_STRICT
                                                    : GTK_FILTER_CHANGE_LESS_STRICT);
      (void) g_list_model_get_n_items (top);
      ms[k][round] = (g_get_monotonic_time () - start) / 1000.0;
      previous = needle;
    }
  }

  for (guint k = 0; k < G_N_ELEMENTS (keystrokes); k++)
    medians[k] = bench_median (ms[k], ROUNDS);
  return bench_median (medians, G_N_ELEMENTS (keystrokes));
}

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GListModel **instances = user_data;
  g_autoptr(GError) error = NULL;

  *instances = tc_cvm_list_instances_finish (TC_CLIENT (object), result, &error);
  if (*instances == NULL)
    g_error ("listing failed: %s", error->message);
}

static void
bench_models (TcClient *client)
{
  g_autoptr(GListModel) instances = NULL;

  tc_cvm_list_instances_async (client, "ap-guangzhou", NULL, NULL, NULL, listed_cb, &instances);
  while (instances == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_print ("floor, no view: ImprintInstanceList %.2f ms a keystroke (median); "
           "for reference GtkFilterListModel over GtkSortListModel %.2f ms\n",
           time_list (instances), time_gtk_filter (instances));
}

int
main (int   argc,
      char *argv[])
{
  guint n_instances = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 10000;
  /* "legacy": every running instance then has a reason under its name, as many rows as
   * the fleet can have. */
  TcProtocol protocol = argc > 2 && g_str_equal (argv[2], "legacy") ? TC_PROTOCOL_LEGACY
                                                                     : TC_PROTOCOL_API3;
  g_autoptr(SimServer) sim = sim_server_new (1, n_instances);
  g_autoptr(TcCredentials) creds = tc_credentials_new (SIM_DEFAULT_SECRET_ID, SIM_DEFAULT_SECRET_KEY, NULL);
  g_autoptr(TcClient) client = tc_client_new (NULL, protocol, creds);
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;
  double median_frame, worst_frame = 0, worst_cpu = 0, floor_median, floor_worst;
  double load[3] = { 0 };

  if (!gtk_init_check ()) {
    g_print ("filter-keystroke: skipped, no display (run under xvfb-run)\n");
    return 0;
  }
  adw_init ();

  if (!sim_server_listen (sim, 0, &error))
    g_error ("%s", error->message);
  url = sim_server_get_url (sim);
  if (protocol == TC_PROTOCOL_LEGACY) {
    g_autofree char *legacy = g_strdup_printf ("%s/v2/index.php", url);

    if (!tc_client_set_legacy_endpoints (client, legacy, legacy, &error))
      g_error ("%s", error->message);
  } else if (!tc_client_set_endpoint (client, url, &error)) {
    g_error ("%s", error->message);
  }

  median_frame = bench_picker (client, n_instances, &worst_frame, &worst_cpu);
  getloadavg (load, 3);
  bench_keystroke_floor (G_N_ELEMENTS (keystrokes) * ROUNDS, &floor_median, &floor_worst);
  bench_models (client);
  /* What a person sees: every keystroke of every round, up to its frame (target 16.7 ms),
   * and the same keys in a bare window with a focused search entry, where GTK 4.8's frame
   * clock, kept running by the cursor, makes a key wait for the next frame. */
  g_print ("filter-keystroke: %u instances%s, worst keystroke to next frame %.1f ms, median %.1f ms "
           "(the UI thread ran at most %.1f ms of one; load average %.2f; the floor, a bare "
           "window with a focused search entry: worst %.1f ms, median %.1f ms)\n",
           n_instances, protocol == TC_PROTOCOL_LEGACY ? " (legacy API)" : "", worst_frame,
           median_frame, worst_cpu, load[0], floor_worst, floor_median);

  sim_server_disconnect (sim);
  return 0;
}
