/* bench-scroll.c: what listing every instance in the picker costs the UI thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The picker lists a part of the matches at a time (ImprintListPager), because GTK 4.8's
 * list view makes a row widget for about 200 items around its anchor however few fit. But
 * a scroll bar over a part stands for the part, and End goes to the part's last row. This
 * measures, over a simulated region of N instances in a real window, the ways of listing
 * them all, each from the first part at the top of the list, up to the end of the frame
 * that shows it (wall time, and the UI thread's CPU time: the rest is time waiting for a
 * core on a shared machine):
 *
 *   whole   every match listed at once, in one main loop turn
 *   steps   a part more (S rows) a frame until GTK has made its rows, then the rest at once
 *   end     every match listed and the last one scrolled to, as End would, in one turn
 *   search  a keystroke with every match listed: the search goes back to its first part
 *
 * and then the picker as built: after a keystroke, every frame until every match is
 * listed (how long the scroll bar stands for a part, and the longest frame meanwhile).
 * The row widgets GTK holds are counted after each.
 *
 * Needs a display: `xvfb-run -a meson test -C _build --benchmark -v scroll-instances`.
 * Usage: bench-scroll [N_INSTANCES]
 */
#include "config.h"

#include <stdlib.h>

#include "bench-records.h"
#include "imprint-instance-list.h"
#include "imprint-instance-picker-private.h"
#include "sim-server.h"

typedef struct {
  double wall_ms;
  double cpu_ms;
} Cost;

static void
state_cb (GObject    *object,
          GParamSpec *pspec,
          gboolean   *loaded)
{
  if (imprint_instance_picker_get_state (IMPRINT_INSTANCE_PICKER (object)) != IMPRINT_PICKER_STATE_LOADING)
    *loaded = TRUE;
}

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (g_type_is_a (G_OBJECT_TYPE (widget), type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child)) {
    GtkWidget *found = find_type (child, type);

    if (found != NULL)
      return found;
  }
  return NULL;
}

static guint
n_children (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

typedef struct {
  GtkWidget           *picker;
  GtkWidget           *list_view;
  ImprintInstanceList *list;
  GtkAdjustment       *adjustment;
  guint                first;
} Bench;

static gint64 start_wall, start_cpu;

static void
cost_start (void)
{
  start_wall = g_get_monotonic_time ();
  start_cpu = bench_thread_cpu_us ();
}

static Cost
cost_to_paint (Bench *b)
{
  Cost cost;

  bench_wait_for_paint (b->picker);
  cost.wall_ms = (g_get_monotonic_time () - start_wall) / 1000.0;
  cost.cpu_ms = (bench_thread_cpu_us () - start_cpu) / 1000.0;
  return cost;
}

static guint
n_listed (Bench *b)
{
  return g_list_model_get_n_items (G_LIST_MODEL (b->list));
}

static void
report (Bench      *b,
        const char *what,
        Cost        cost)
{
  g_print ("  %-34s %7.2f ms (UI thread %7.2f ms)  %6u listed, %3u row widgets, scroll bar %.0f of %.0f px\n",
           what, cost.wall_ms, cost.cpu_ms, n_listed (b), n_children (b->list_view),
           gtk_adjustment_get_page_size (b->adjustment), gtk_adjustment_get_upper (b->adjustment));
}

/* Back to the first part at the top, as a search does; the frames after it settle. */
static void
back_to_first (Bench *b)
{
  imprint_instance_picker_set_search_text (IMPRINT_INSTANCE_PICKER (b->picker), "x");
  imprint_instance_picker_set_search_text (IMPRINT_INSTANCE_PICKER (b->picker), "");
  bench_wait_for_paint (b->picker);
  bench_wait_for_paint (b->picker);
  bench_pause_ms (60);
}

static void
scroll_to (Bench *b,
           guint  position)
{
  gtk_widget_activate_action (b->list_view, "list.scroll-to-item", "u", position);
}

/* A part more a frame, @step rows, until @cap are listed; then the rest at once. */
static void
bench_steps (Bench *b,
             guint  step,
             guint  cap)
{
  guint frames = 0;
  Cost worst = { 0 }, last, total, median;
  double cpu[256];
  gint64 begin_wall, begin_cpu;
  g_autofree char *what = NULL;

  back_to_first (b);
  begin_wall = g_get_monotonic_time ();
  begin_cpu = bench_thread_cpu_us ();
  for (guint size = b->first + step; size < cap; size += step) {
    cost_start ();
    g_object_set (b->list, "size", size, NULL);
    last = cost_to_paint (b);
    worst.wall_ms = MAX (worst.wall_ms, last.wall_ms);
    worst.cpu_ms = MAX (worst.cpu_ms, last.cpu_ms);
    cpu[frames] = last.cpu_ms;
    frames++;
  }
  median.wall_ms = 0;
  median.cpu_ms = bench_median (cpu, frames);
  cost_start ();
  g_object_set (b->list, "size", G_MAXUINT, NULL);
  last = cost_to_paint (b);
  total.wall_ms = (g_get_monotonic_time () - begin_wall) / 1000.0;
  total.cpu_ms = (bench_thread_cpu_us () - begin_cpu) / 1000.0;
  what = g_strdup_printf ("steps of %u to %u: worst of %u", step, cap, frames);
  report (b, what, worst);
  report (b, "  the median step (UI thread)", median);
  report (b, "  then the rest at once", last);
  report (b, "  in all", total);
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  return G_SOURCE_CONTINUE;
}

typedef struct {
  gint64 last_wall, last_cpu;
  Cost   worst;
  guint  frames;
} Frames;

static void
after_paint_cb (GdkFrameClock *clock,
                Frames        *frames)
{
  gint64 wall = g_get_monotonic_time (), cpu = bench_thread_cpu_us ();

  if (frames->last_wall != 0) {
    frames->worst.wall_ms = MAX (frames->worst.wall_ms, (wall - frames->last_wall) / 1000.0);
    frames->worst.cpu_ms = MAX (frames->worst.cpu_ms, (cpu - frames->last_cpu) / 1000.0);
  }
  frames->last_wall = wall;
  frames->last_cpu = cpu;
  frames->frames++;
}

/* The picker as built: a keystroke, then every frame (kept coming by a tick callback)
 * until every match is listed, or 5 s. */
static void
bench_as_built (Bench *b)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (b->picker);
  Frames frames = { 0 };
  guint tick = gtk_widget_add_tick_callback (b->picker, tick_cb, NULL, NULL);
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &frames);
  guint matches;
  gint64 begin = g_get_monotonic_time ();
  Cost whole;

  imprint_instance_picker_set_search_text (IMPRINT_INSTANCE_PICKER (b->picker), "x");
  imprint_instance_picker_set_search_text (IMPRINT_INSTANCE_PICKER (b->picker), "");
  matches = imprint_instance_list_get_n_matches (b->list);
  while (n_listed (b) < matches && g_get_monotonic_time () - begin < 5 * G_USEC_PER_SEC)
    g_main_context_iteration (NULL, TRUE);
  whole.wall_ms = (g_get_monotonic_time () - begin) / 1000.0;
  whole.cpu_ms = 0;
  bench_wait_for_paint (b->picker);
  g_signal_handler_disconnect (clock, id);
  gtk_widget_remove_tick_callback (b->picker, tick);
  if (n_listed (b) < matches)
    g_print ("  as built: only %u of %u listed after 5 s\n", n_listed (b), matches);
  else
    g_print ("  as built: every match listed %.0f ms after a keystroke\n", whole.wall_ms);
  report (b, "  longest frame meanwhile", frames.worst);

  /* Then a person types, a key 100 ms after the frame before: the first key finds every
   * match listed. */
  {
    static const char * const keys[] = { "w", "we", "web", "web-", "web-1", "web-", "web", "we", "w", "" };
    double cpu[G_N_ELEMENTS (keys)];
    Cost worst = { 0 }, median = { 0 };

    for (guint i = 0; i < G_N_ELEMENTS (keys); i++) {
      Cost cost;

      bench_pause_ms (100);
      cost_start ();
      imprint_instance_picker_set_search_text (IMPRINT_INSTANCE_PICKER (b->picker), keys[i]);
      cost = cost_to_paint (b);
      cpu[i] = cost.cpu_ms;
      worst.wall_ms = MAX (worst.wall_ms, cost.wall_ms);
      worst.cpu_ms = MAX (worst.cpu_ms, cost.cpu_ms);
      if (i == 0)
        report (b, "  typed: the first key", cost);
    }
    median.cpu_ms = bench_median (cpu, G_N_ELEMENTS (keys));
    report (b, "  typed: the worst of 10 keys", worst);
    report (b, "  typed: the median key (UI thread)", median);
  }
}

int
main (int   argc,
      char *argv[])
{
  guint n_instances = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 10000;
  g_autoptr(SimServer) sim = sim_server_new (1, n_instances);
  g_autoptr(TcCredentials) creds = tc_credentials_new (SIM_DEFAULT_SECRET_ID, SIM_DEFAULT_SECRET_KEY, NULL);
  g_autoptr(TcClient) client = tc_client_new (NULL, TC_PROTOCOL_API3, creds);
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;
  ImprintInstancePicker *picker;
  GtkWidget *column_view;
  gboolean loaded = FALSE;
  Bench b = { 0 };
  double load[3] = { 0 };

  if (!gtk_init_check ()) {
    g_print ("scroll-instances: skipped, no display (run under xvfb-run)\n");
    return 0;
  }
  adw_init ();
  if (!sim_server_listen (sim, 0, &error))
    g_error ("%s", error->message);
  url = sim_server_get_url (sim);
  if (!tc_client_set_endpoint (client, url, &error))
    g_error ("%s", error->message);

  picker = imprint_instance_picker_new (NULL, client, "ap-guangzhou", FALSE);
  g_signal_connect (picker, "notify::state", G_CALLBACK (state_cb), &loaded);
  gtk_window_present (GTK_WINDOW (picker));
  while (!loaded)
    g_main_context_iteration (NULL, TRUE);
  bench_wait_for_paint (GTK_WIDGET (picker));

  column_view = find_type (GTK_WIDGET (picker), GTK_TYPE_COLUMN_VIEW);
  b.picker = GTK_WIDGET (picker);
  b.list_view = find_type (column_view, GTK_TYPE_LIST_VIEW);
  b.list = IMPRINT_INSTANCE_LIST (gtk_column_view_get_model (GTK_COLUMN_VIEW (column_view)));
  b.adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (b.list_view));
  back_to_first (&b);
  b.first = n_listed (&b);

  g_print ("scroll: %u instances, from the first part (%u listed) at the top\n",
           n_instances, b.first);
  report (&b, "first part", (Cost) { 0 });

  /* "profile": only the keystroke over a whole list, again and again, for perf. */
  for (guint i = 0; argc > 2 && g_str_equal (argv[2], "profile") && i < 20; i++) {
    back_to_first (&b);
    g_object_set (b.list, "size", G_MAXUINT, NULL);
    bench_wait_for_paint (b.picker);
    bench_wait_for_paint (b.picker);
    cost_start ();
    imprint_instance_picker_set_search_text (picker, "w");
    report (&b, "search: a keystroke, all listed", cost_to_paint (&b));
  }

  back_to_first (&b);
  cost_start ();
  g_object_set (b.list, "size", G_MAXUINT, NULL);
  report (&b, "whole: every match at once", cost_to_paint (&b));
  bench_wait_for_paint (b.picker);
  bench_pause_ms (60);
  cost_start ();
  imprint_instance_picker_set_search_text (picker, "w");
  report (&b, "search: a keystroke, all listed", cost_to_paint (&b));
  back_to_first (&b);
  cost_start ();
  imprint_instance_picker_set_search_text (picker, "w");
  report (&b, "search: a keystroke, a part listed", cost_to_paint (&b));

  back_to_first (&b);
  cost_start ();
  g_object_set (b.list, "size", G_MAXUINT, NULL);
  scroll_to (&b, n_listed (&b) - 1);
  report (&b, "end: all at once, the last shown", cost_to_paint (&b));
  bench_wait_for_paint (b.picker);
  cost_start ();
  scroll_to (&b, 0);
  report (&b, "  (then back to the top)", cost_to_paint (&b));
  back_to_first (&b);
  cost_start ();
  scroll_to (&b, n_listed (&b) - 1);
  report (&b, "end of the part (as before)", cost_to_paint (&b));

  bench_steps (&b, 24, 256);
  bench_steps (&b, 12, 256);
  bench_steps (&b, 8, 256);
  bench_steps (&b, 4, 256);

  back_to_first (&b);
  bench_as_built (&b);

  getloadavg (load, 3);
  g_print ("scroll: load average %.2f %.2f %.2f\n", load[0], load[1], load[2]);

  gtk_window_destroy (GTK_WINDOW (picker));
  sim_server_disconnect (sim);
  return 0;
}
