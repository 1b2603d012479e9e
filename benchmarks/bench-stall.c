/* bench-stall.c: the longest a real window goes without a frame while the app works at scale
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 15's third target: whatever the app does, the UI thread never keeps the window from
 * drawing its next frame (16.7 ms). A median hides a stall; this records every frame.
 *
 * An ImprintWindow as the application makes it (the account store with its secret in the
 * keyring, one SoupSession, the pacer, the history and the image tracker), on an account of
 * imprint-sim with N_INSTANCES instances per region (rate limits enforced), and a history
 * of N_RECORDS records imported at startup from the previous build's history.jsonl. A tick
 * callback keeps each window's frame clock running (a still window draws no frames), and
 * every "after-paint" is timestamped; the gap between two is what a person sees as a frame.
 * The phases, in order:
 *
 *   start    the window opened and the history loaded (the import) at the same time
 *   history  the History view shown, its last record read (a scroll bar dragged to the
 *            end), then a search typed a character every 100 ms and cleared
 *   others   three images asked for in the form (each stays Creating for a long time): the
 *            tracker follows them from here on
 *   picker   the instance picker listing the region's instances
 *   search   typing and erasing a search in it, a keystroke every 100 ms
 *   choose   an instance chosen; the picker closes
 *   check    the form's Check
 *   create   the form's Create
 *   follow   until the tracker sees the new image Normal
 *
 * The simulator runs in a thread of its own, with its own main context: the cloud is
 * another machine, and its work (100 instances rendered to JSON a page) is not the app's.
 * Run in the window's main loop, as the tests run it, it alone made every frame of the
 * listing late.
 *
 * It prints the worst gaps with the phases they began and ended in, how long the UI thread
 * ran in each (CPU time: on a shared machine a gap also holds the time the thread waited
 * for a core, which is not the app's) and where: between frames (the app's own work) or in
 * the frame's update, layout or paint (see Stage). Then the longest gap of each phase,
 * what the picker holding every instance costs in memory (issue 15's fourth target:
 * `picker-memory: N instances, X MiB above the window without them (PSS)`, the process's
 * proportional set size just before the picker opens and once it has listed them all),
 * and it ends with `main-loop-stall: longest X ms (over N frames)`. Numbers only: the
 * machines are shared and noisy, and nothing here fails on time.
 *
 * `bench-stall --floor` is the same measurement of a window made of nothing but GTK's and
 * libadwaita's widgets, going through the steps the journey makes the toolkit take (see
 * floor_main()); it ends with `main-loop-stall-floor: longest X ms (over N frames)`.
 *
 * Needs a display and a keyring: registered with tests/keyring-session.sh --with-display
 * (`./tools/test --benchmark -v stall`; `stall-small` is the same at 1,000 instances and
 * records; `stall-floor` the floor). Usage: bench-stall [N_INSTANCES [N_RECORDS [DIR]]]
 * or bench-stall --floor; the history goes to a temporary folder in DIR (default: the
 * current folder, the build tree, so that its syncs meet a real disk).
 */
#define _GNU_SOURCE   /* gettid() */
#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench-records.h"
#include "imprint-instance-picker.h"
#include "imprint-window.h"
#include "sim-server.h"
#include "tc-cvm.h"
#include "tc-pacer.h"

#define REGION        "ap-guangzhou"
#define N_OTHERS      3
/* The others stay Creating through the whole run; the measured image is soon Normal. */
#define OTHERS_DELAY  600
#define IMAGE_DELAY   4
#define N_WORST       12

static const char * const keystrokes[] = {
  "w", "we", "web", "web-", "web-1", "web-", "web", "we", "w", "",
};

/* Frames */

/* Where a gap's time went, by the frame clock's signals: the main loop between two frames
 * (the app's own work: a keystroke, a page of instances, a history load), then the frame's
 * update (tick callbacks, animations), layout (measuring, allocating) and paint (the render
 * nodes drawn). What a frame costs the toolkit is told apart from what it costs us. */
typedef enum {
  STAGE_BETWEEN,
  STAGE_UPDATE,
  STAGE_LAYOUT,
  STAGE_PAINT,
  N_STAGES
} Stage;

typedef struct {
  double      ms;
  double      cpu_ms;  /* of it, the time the UI thread ran (not waiting, not descheduled) */
  double      wait_ms; /* and the time it could have run but waited for a core */
  double      stage_ms[N_STAGES];  /* the time it ran in each stage (see Stage) */
  gint64      at;      /* when the frame before it was painted, g_get_monotonic_time() */
  const char *began;   /* the phase when the frame before it was painted */
  const char *ended;
} Gap;

typedef struct {
  const char *phase;
  gint64      start;
  GArray     *gaps;    /* Gap, every window's */
  guint       frames;
} Run;

static Run run;

typedef struct {
  gint64      last;
  gint64      last_cpu;
  gint64      last_wait;
  const char *last_phase;
  gint64      stage_cpu;            /* the UI thread's run time when the last stage ended */
  double      stage_ms[N_STAGES];   /* of the frame coming */
} Clock;

/* Stage @stage ends (a frame clock's signal, connected after GTK's own handlers). */
static void
stage_end (Clock *clock,
           Stage  stage)
{
  gint64 cpu = bench_thread_cpu_us ();

  clock->stage_ms[stage] += (cpu - clock->stage_cpu) / 1000.0;
  clock->stage_cpu = cpu;
}

static void before_paint_cb (GdkFrameClock *c, Clock *clock) { stage_end (clock, STAGE_BETWEEN); }
static void update_cb (GdkFrameClock *c, Clock *clock) { stage_end (clock, STAGE_UPDATE); }
static void layout_cb (GdkFrameClock *c, Clock *clock) { stage_end (clock, STAGE_LAYOUT); }
static void paint_cb (GdkFrameClock *c, Clock *clock) { stage_end (clock, STAGE_PAINT); }

static void
after_paint_cb (GdkFrameClock *frame_clock,
                Clock         *clock)
{
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = bench_thread_cpu_us ();
  gint64 wait = bench_thread_wait_us ();

  if (clock->last != 0) {
    Gap gap = { (now - clock->last) / 1000.0, (cpu - clock->last_cpu) / 1000.0,
                (wait - clock->last_wait) / 1000.0, { 0 }, clock->last, clock->last_phase,
                run.phase };

    /* What ran after the paint (the after-paint handlers) counts with the paint. */
    stage_end (clock, STAGE_PAINT);
    memcpy (gap.stage_ms, clock->stage_ms, sizeof gap.stage_ms);
    g_array_append_val (run.gaps, gap);
  }
  memset (clock->stage_ms, 0, sizeof clock->stage_ms);
  clock->stage_cpu = cpu;
  clock->last = now;
  clock->last_cpu = cpu;
  clock->last_wait = wait;
  clock->last_phase = run.phase;
  run.frames++;
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *frame_clock,
         gpointer       data)
{
  return G_SOURCE_CONTINUE;
}

/* Records @window's frames from now on, until it is destroyed. */
static void
watch_frames (GtkWidget *window)
{
  GdkFrameClock *frame_clock = gtk_widget_get_frame_clock (window);
  Clock *clock = g_new0 (Clock, 1);

  g_assert (frame_clock != NULL);
  gtk_widget_add_tick_callback (window, tick_cb, NULL, NULL);
  g_signal_connect_data (frame_clock, "after-paint", G_CALLBACK (after_paint_cb), clock,
                         (GClosureNotify) (void (*) (void)) g_free, 0);
  g_signal_connect_after (frame_clock, "before-paint", G_CALLBACK (before_paint_cb), clock);
  g_signal_connect_after (frame_clock, "update", G_CALLBACK (update_cb), clock);
  g_signal_connect_after (frame_clock, "layout", G_CALLBACK (layout_cb), clock);
  g_signal_connect_after (frame_clock, "paint", G_CALLBACK (paint_cb), clock);
}

static void
enter (const char *phase)
{
  run.phase = phase;
}

/* Waiting */

static gboolean
set_true_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_true_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

typedef gboolean (*Condition) (gpointer data);

static void
wait_for (Condition   condition,
          gpointer    data,
          guint       seconds,
          const char *what)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!condition (data)) {
    if (g_get_monotonic_time () > deadline)
      g_error ("gave up waiting for %s after %u s", what, seconds);
    g_main_context_iteration (NULL, TRUE);
  }
}

static gboolean
is_done (gpointer data)
{
  return *(gboolean *) data;
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static gboolean
in_workspace (gpointer data)
{
  return g_strcmp0 (imprint_window_get_page (data), "workspace") == 0;
}

static gboolean
page_idle (gpointer data)
{
  return !imprint_create_page_is_busy (data);
}

static gboolean
picker_ready (gpointer data)
{
  ImprintPickerState state = imprint_instance_picker_get_state (data);

  if (state == IMPRINT_PICKER_STATE_ERROR)
    g_error ("the picker could not list the instances");
  return state == IMPRINT_PICKER_STATE_READY;
}

/* The simulator's thread */

typedef struct {
  guint         n_instances;
  GMainContext *context;
  GMainLoop    *loop;
  GThread      *thread;
  SimServer    *sim;
  char         *url;
  GMutex        lock;
  GCond         cond;
  gboolean      ready;
} SimThread;

static gpointer
sim_thread_run (gpointer data)
{
  SimThread *thread = data;
  g_autoptr(GError) error = NULL;

  /* Not the app's core either: what the cloud's machines do does not wait for the app's,
   * nor the app's for theirs. Here they share two cores; the simulator yields. */
  setpriority (PRIO_PROCESS, (id_t) gettid (), 19);
  g_main_context_push_thread_default (thread->context);
  thread->sim = sim_server_new (1, thread->n_instances);
  sim_server_set_rate_limits (thread->sim, TRUE);
  if (!sim_server_listen (thread->sim, 0, &error))
    g_error ("%s", error->message);

  g_mutex_lock (&thread->lock);
  thread->url = sim_server_get_url (thread->sim);
  thread->ready = TRUE;
  g_cond_signal (&thread->cond);
  g_mutex_unlock (&thread->lock);

  g_main_loop_run (thread->loop);
  sim_server_disconnect (thread->sim);
  g_clear_object (&thread->sim);
  g_main_context_pop_thread_default (thread->context);
  return NULL;
}

static void
sim_thread_start (SimThread *thread,
                  guint      n_instances)
{
  thread->n_instances = n_instances;
  thread->context = g_main_context_new ();
  thread->loop = g_main_loop_new (thread->context, FALSE);
  g_mutex_init (&thread->lock);
  g_cond_init (&thread->cond);
  thread->thread = g_thread_new ("imprint-sim", sim_thread_run, thread);
  g_mutex_lock (&thread->lock);
  while (!thread->ready)
    g_cond_wait (&thread->cond, &thread->lock);
  g_mutex_unlock (&thread->lock);
}

/* What the benchmark asks of the simulator, done in its thread while this one waits. */
typedef struct {
  SimThread  *thread;
  double      image_delay;   /* from now on, or < 0 */
  gboolean    find;          /* a stopped instance's ID, into @id */
  const char *retire;        /* an instance to mark running, so as not to be found again */
  char       *id;
  gboolean    done;
} SimCall;

static gboolean
sim_call_cb (gpointer data)
{
  SimCall *call = data;
  SimServer *sim = call->thread->sim;

  if (call->image_delay >= 0)
    sim_server_set_image_delay (sim, call->image_delay);
  if (call->find)
    call->id = g_strdup (sim_server_find_instance (sim, REGION, TC_INSTANCE_STATE_STOPPED));
  if (call->retire != NULL)
    sim_server_set_instance_state (sim, REGION, call->retire, TC_INSTANCE_STATE_RUNNING);
  g_mutex_lock (&call->thread->lock);
  call->done = TRUE;
  g_cond_signal (&call->thread->cond);
  g_mutex_unlock (&call->thread->lock);
  return G_SOURCE_REMOVE;
}

static void
sim_call (SimCall *call)
{
  g_main_context_invoke (call->thread->context, sim_call_cb, call);
  g_mutex_lock (&call->thread->lock);
  while (!call->done)
    g_cond_wait (&call->thread->cond, &call->thread->lock);
  g_mutex_unlock (&call->thread->lock);
}

static void
sim_set_image_delay (SimThread *thread,
                     double     seconds)
{
  SimCall call = { thread, seconds };

  sim_call (&call);
}

static char *
sim_stopped_instance (SimThread *thread)
{
  SimCall call = { thread, -1, TRUE };

  sim_call (&call);
  return call.id;
}

/* @id running from now on: the next stopped instance is another. */
static void
sim_retire_instance (SimThread  *thread,
                     const char *id)
{
  SimCall call = { thread, -1, FALSE, id };

  sim_call (&call);
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
sim_thread_stop (SimThread *thread)
{
  g_main_context_invoke (thread->context, quit_cb, thread->loop);
  g_thread_join (thread->thread);
  g_main_loop_unref (thread->loop);
  g_main_context_unref (thread->context);
  g_free (thread->url);
}

/* Steps */

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!tc_account_store_save_finish (TC_ACCOUNT_STORE (object), result, &error))
    g_error ("cannot save the account (is there a keyring? run under "
             "tests/keyring-session.sh --with-display): %s", error->message);
  *(gboolean *) user_data = TRUE;
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!tc_history_load_finish (TC_HISTORY (object), result, &error))
    g_error ("cannot load the history: %s", error->message);
  *(gboolean *) user_data = TRUE;
}

static TcInstance *
get_instance (TcClient   *client,
              const char *id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TcInstance *instance;

  tc_cvm_get_instance_async (client, REGION, id, NULL, done_cb, &result);
  wait_for (has_result, &result, 30, "an instance");
  instance = tc_cvm_get_instance_finish (client, result, &error);
  if (instance == NULL)
    g_error ("cannot get %s: %s", id, error->message);
  return instance;
}

static void
activate (GtkWidget  *widget,
          const char *action)
{
  if (!gtk_widget_activate_action (widget, action, NULL))
    g_error ("%s cannot be activated", action);
}

/* Asks for an image of @instance in the form (checked first if @check), and waits until
 * the form is done with it: the image is among the recent ones, Creating. */
static void
create_image (ImprintCreatePage *page,
              TcInstance        *instance,
              const char        *name,
              gboolean           check)
{
  const char *outcome;
  gboolean ok = FALSE;
  TcImageState state;

  imprint_create_page_set_instance (page, instance);
  imprint_create_page_set_image_name (page, name);
  run_for (50);
  wait_for (page_idle, page, 30, "the form");
  if (check) {
    activate (GTK_WIDGET (page), "create-page.check");
    run_for (50);
    wait_for (page_idle, page, 60, "the check");
    outcome = imprint_create_page_get_outcome (page, &ok);
    if (!ok)
      g_error ("the check of %s failed: %s", name, outcome != NULL ? outcome : "(no outcome)");
    enter ("create");
  }
  activate (GTK_WIDGET (page), "create-page.create");
  run_for (50);
  wait_for (page_idle, page, 60, "the create");
  state = imprint_create_page_get_recent_state (page, name);
  if (state != TC_IMAGE_STATE_CREATING && state != TC_IMAGE_STATE_NORMAL) {
    const char *problem = imprint_create_page_get_problem (page);

    outcome = imprint_create_page_get_outcome (page, &ok);
    g_error ("%s was not made: %s", name,
             outcome != NULL ? outcome : problem != NULL ? problem : "(no outcome)");
  }
}

static ImprintInstancePicker *
find_picker (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++) {
    g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

    if (IMPRINT_IS_INSTANCE_PICKER (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
      return IMPRINT_INSTANCE_PICKER (window);
  }
  return NULL;
}

static gboolean
picker_shown (gpointer data)
{
  ImprintInstancePicker **picker = data;

  *picker = find_picker ();
  return *picker != NULL && gtk_widget_get_mapped (GTK_WIDGET (*picker));
}

static gboolean
picker_gone (gpointer data)
{
  return find_picker () == NULL;
}

typedef struct {
  ImprintCreatePage *page;
  const char        *name;
} Follow;

/* The new image Normal among the recent ones: the tracker has seen it made. */
static gboolean
followed_to_normal (gpointer data)
{
  Follow *follow = data;

  return imprint_create_page_get_recent_state (follow->page, follow->name) == TC_IMAGE_STATE_NORMAL;
}

/* The process's proportional set size, in MiB. */
static double
pss_mib (void)
{
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/smaps_rollup", &text, NULL, NULL) ||
      (line = strstr (text, "\nPss:")) == NULL)
    return 0;
  return g_ascii_strtod (line + strlen ("\nPss:"), NULL) / 1024.0;
}

static int
longest_first (gconstpointer a,
               gconstpointer b)
{
  double x = ((const Gap *) a)->ms, y = ((const Gap *) b)->ms;

  return x > y ? -1 : x < y;
}

static const char * const stall_phases[] = {
  "start", "history", "others", "picker", "search", "choose", "check", "create", "follow",
};

/* Ends with "@name: longest X ms (over N frames)". */
static void
report (const char * const *phases,
        guint               n_phases,
        const char         *name)
{
  double load[3] = { 0 };
  double longest = 0, longest_cpu = 0;

  getloadavg (load, 3);
  for (guint p = 0; p < n_phases; p++) {
    double worst = 0, worst_cpu = 0;
    guint n = 0, over = 0;

    for (guint i = 0; i < run.gaps->len; i++) {
      Gap *gap = &g_array_index (run.gaps, Gap, i);

      if (g_strcmp0 (gap->ended, phases[p]) != 0)
        continue;
      n++;
      over += gap->ms > 1000.0 / 60 * 1.5;
      worst = MAX (worst, gap->ms);
      worst_cpu = MAX (worst_cpu, gap->cpu_ms);
    }
    g_print ("  %-8s %5u frames, longest gap %7.1f ms, %4u gaps over 25 ms, "
             "UI thread ran at most %6.1f ms\n", phases[p], n, worst, over, worst_cpu);
  }

  g_array_sort (run.gaps, longest_first);
  /* The start in CLOCK_MONOTONIC seconds, to find a gap in `perf record -k CLOCK_MONOTONIC`. */
  g_print ("worst gaps between frames, from the start at %.3f s (load average %.2f, %.2f, %.2f):\n",
           run.start / 1e6, load[0], load[1], load[2]);
  for (guint i = 0; i < MIN (run.gaps->len, N_WORST); i++) {
    Gap *gap = &g_array_index (run.gaps, Gap, i);

    double at = (gap->at - run.start) / 1e6;
    g_autofree char *where = gap->began == gap->ended
                              ? g_strdup_printf ("in %s", gap->ended)
                              : g_strdup_printf ("from %s into %s", gap->began, gap->ended);

    g_print ("  %7.1f ms (UI thread ran %5.1f: between frames %5.1f, update %4.1f, layout %4.1f, "
             "paint %4.1f; waited for a core %5.1f ms)  at %7.3f s, %s\n",
             gap->ms, gap->cpu_ms, gap->stage_ms[STAGE_BETWEEN], gap->stage_ms[STAGE_UPDATE],
             gap->stage_ms[STAGE_LAYOUT], gap->stage_ms[STAGE_PAINT], gap->wait_ms, at, where);
  }
  if (run.gaps->len > 0)
    longest = g_array_index (run.gaps, Gap, 0).ms;
  /* On a shared machine a gap can be long with the UI thread waiting for a core: what it
   * ran is what the app costs. */
  for (guint i = 0; i < run.gaps->len; i++)
    longest_cpu = MAX (longest_cpu, g_array_index (run.gaps, Gap, i).cpu_ms);
  g_print ("main-loop-busy: the UI thread ran at most %.1f ms between two frames\n", longest_cpu);
  g_print ("%s: longest %.1f ms (over %u frames)\n", name, longest, run.frames);
}

/* The floor: the same frames, in a window of nothing but libadwaita's and GTK's widgets
 * that does what the journey's phases make the toolkit do, with no data and no work of
 * ours: the window shown with a form of rows; another view shown, a list of rows of three
 * lines as the History's, and the form again; a dialog of the picker's size opened over
 * it, with a search and a column view of seven columns listing as many rows as the picker
 * does at its top; the picker's keystrokes typed; the dialog closed. Its gaps are what GTK 4.8 itself costs on this
 * machine: where they pass 16.7 ms, no app made of these widgets meets the target. */

#define FLOOR_ROWS 1000
#define FLOOR_COLUMNS 7
/* What the picker lists at its top (ImprintListPager: a screenful and a half); a list view
 * given more makes a row for each of up to 200 items, whatever fits. */
#define FLOOR_LISTED 24

static const char * const floor_phases[] = { "start", "history", "picker", "search", "choose" };

static void
floor_setup_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

/* Each column shows a part of the row's text, as the picker's columns show an instance's
 * name, ID, state, system, zone, type and address. */
static void
floor_bind_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  column)
{
  const char *text = gtk_string_object_get_string (gtk_list_item_get_item (item));

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)),
                      text + GPOINTER_TO_UINT (column) * 2);
}

/* A row of the History: a name, when, and what became of it, one above the other. */
static void
floor_entry_setup_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);

  for (guint i = 0; i < 3; i++) {
    GtkWidget *label = gtk_label_new (NULL);

    gtk_label_set_xalign (GTK_LABEL (label), 0);
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
    gtk_box_append (GTK_BOX (box), label);
  }
  gtk_list_item_set_child (item, box);
}

static void
floor_entry_bind_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item)
{
  const char *text = gtk_string_object_get_string (gtk_list_item_get_item (item));
  guint i = 0;

  for (GtkWidget *label = gtk_widget_get_first_child (gtk_list_item_get_child (item));
       label != NULL; label = gtk_widget_get_next_sibling (label))
    gtk_label_set_text (GTK_LABEL (label), text + 4 * i++);
}

/* The picker's list when @columns (seven of them, filtered by @filter), else the
 * History's. */
static GtkWidget *
floor_list (GtkFilter *filter,
            gboolean   columns)
{
  g_autoptr(GtkStringList) strings = gtk_string_list_new (NULL);
  GtkFilterListModel *filtered;
  GtkSliceListModel *listed;
  GtkWidget *view, *scrolled = gtk_scrolled_window_new ();

  for (guint i = 0; i < FLOOR_ROWS; i++) {
    g_autofree char *text = g_strdup_printf ("web-%u ins-%08x 10.0.%u.%u Ubuntu Server 22.04 LTS",
                                             i, i * 2654435761u, i / 256, i % 256);

    gtk_string_list_append (strings, text);
  }
  filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_steal_pointer (&strings)), filter);
  listed = gtk_slice_list_model_new (G_LIST_MODEL (filtered), 0, FLOOR_LISTED);
  if (!columns) {
    GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

    g_signal_connect (factory, "setup", G_CALLBACK (floor_entry_setup_cb), NULL);
    g_signal_connect (factory, "bind", G_CALLBACK (floor_entry_bind_cb), NULL);
    view = gtk_list_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (listed))),
                              factory);
    gtk_widget_add_css_class (view, "rich-list");
    gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
    gtk_widget_set_vexpand (scrolled, TRUE);
    return scrolled;
  }
  view = gtk_column_view_new (GTK_SELECTION_MODEL (gtk_single_selection_new (G_LIST_MODEL (listed))));
  for (guint c = 0; c < FLOOR_COLUMNS; c++) {
    GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
    GtkColumnViewColumn *column;

    g_signal_connect (factory, "setup", G_CALLBACK (floor_setup_cb), NULL);
    g_signal_connect (factory, "bind", G_CALLBACK (floor_bind_cb), GUINT_TO_POINTER (c));
    column = gtk_column_view_column_new ("Column", factory);
    gtk_column_view_column_set_expand (column, c == 0);
    gtk_column_view_append_column (GTK_COLUMN_VIEW (view), column);
    g_object_unref (column);
  }
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_widget_set_vexpand (scrolled, TRUE);
  return scrolled;
}

/* A page of rows as the form has: entries, switches, choices, facts. */
static GtkWidget *
floor_form (void)
{
  GtkWidget *page = adw_preferences_page_new ();

  for (guint g = 0; g < 3; g++) {
    GtkWidget *group = adw_preferences_group_new ();

    adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), "Group");
    for (guint r = 0; r < 4; r++) {
      GtkWidget *row;

      if (r == 0) {
        row = adw_entry_row_new ();
      } else if (r == 1) {
        g_autoptr(GtkStringList) choices = gtk_string_list_new (
          (const char * const[]) { "South China (Guangzhou)", "East China (Shanghai)", NULL });

        row = adw_combo_row_new ();
        adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (choices));
      } else {
        GtkWidget *toggle = gtk_switch_new ();

        row = adw_action_row_new ();
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), "What the choice does, in a line");
        gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
      }
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), "Row");
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
    adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  }
  return page;
}

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static int
floor_main (void)
{
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *stack = adw_view_stack_new ();
  GtkWidget *dialog, *dialog_box, *entry;
  GtkStringFilter *filter;

  run.gaps = g_array_new (FALSE, FALSE, sizeof (Gap));
  run.start = g_get_monotonic_time ();
  g_print ("stall-floor: a window of libadwaita's widgets only, the journey's steps, no data\n");

  /* start: the window, its form. */
  enter ("start");
  adw_view_stack_add_titled (ADW_VIEW_STACK (stack), floor_form (), "create", "Create");
  adw_view_stack_add_titled (ADW_VIEW_STACK (stack), floor_list (NULL, FALSE), "history", "History");
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   adw_view_switcher_title_new ());
  adw_view_switcher_title_set_stack (ADW_VIEW_SWITCHER_TITLE (adw_header_bar_get_title_widget (
                                       ADW_HEADER_BAR (header))), ADW_VIEW_STACK (stack));
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), stack);
  adw_window_set_content (ADW_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 720);
  gtk_window_present (GTK_WINDOW (window));
  watch_frames (window);
  wait_for (is_mapped, window, 10, "the window");
  run_for (1000);

  /* history: another view shown, then the form again. */
  enter ("history");
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), "history");
  run_for (1000);
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), "create");
  run_for (500);

  /* picker: a dialog of the picker's size, a search and a list of 1,000 rows. */
  enter ("picker");
  filter = gtk_string_filter_new (gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL,
                                                               "string"));
  gtk_string_filter_set_match_mode (filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  dialog = adw_window_new ();
  dialog_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  entry = gtk_search_entry_new ();
  gtk_box_append (GTK_BOX (dialog_box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (dialog_box), entry);
  gtk_box_append (GTK_BOX (dialog_box), floor_list (GTK_FILTER (filter), TRUE));
  adw_window_set_content (ADW_WINDOW (dialog), dialog_box);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (window));
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 960, 620);
  gtk_window_present (GTK_WINDOW (dialog));
  wait_for (is_mapped, dialog, 10, "the dialog");
  watch_frames (dialog);
  run_for (500);

  /* search: the same keystrokes as the picker's, typed into the entry. */
  enter ("search");
  for (guint i = 0; i < G_N_ELEMENTS (keystrokes); i++) {
    gtk_editable_set_text (GTK_EDITABLE (entry), keystrokes[i]);
    gtk_string_filter_set_search (filter, keystrokes[i]);
    run_for (100);
  }

  /* choose: the dialog closed, the form seen again. */
  enter ("choose");
  gtk_window_destroy (GTK_WINDOW (dialog));
  run_for (500);

  report (floor_phases, G_N_ELEMENTS (floor_phases), "main-loop-stall-floor");
  gtk_window_destroy (GTK_WINDOW (window));
  run_for (200);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  guint n_instances = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 100000;
  guint n_records = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 100000;
  const char *parent = argc > 3 ? argv[3] : ".";
  g_autofree char *template = g_build_filename (parent, "bench-stall-XXXXXX", NULL);
  g_autofree char *dir = NULL;
  g_autofree char *jsonl = NULL;
  g_autofree char *db = NULL;
  g_autofree char *accounts = NULL;
  g_autoptr(GString) text = NULL;
  g_autoptr(GError) error = NULL;
  SimThread sim = { 0 };
  g_autoptr(TcAccountStore) store = NULL;
  g_autoptr(TcAccount) account = NULL;
  g_autoptr(TcCredentials) credentials = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(TcPacer) pacer = NULL;
  g_autoptr(TcHistory) history = NULL;
  g_autoptr(TcImageTracker) tracker = NULL;
  g_autoptr(TcInstance) chosen = NULL;
  ImprintWindow *window;
  ImprintCreatePage *page;
  ImprintInstancePicker *picker = NULL;
  Follow follow;
  gboolean saved = FALSE, loaded = FALSE;
  double pss_before, pss_listed;
  g_autofree char *id = NULL;

  if (!gtk_init_check ()) {
    g_print ("main-loop-stall: skipped, no display (run under xvfb-run)\n");
    return 0;
  }
  adw_init ();
  if (g_strcmp0 (argv[1], "--floor") == 0)
    return floor_main ();
  run.gaps = g_array_new (FALSE, FALSE, sizeof (Gap));
  run.phase = "setup";
  run.start = g_get_monotonic_time ();

  dir = g_mkdtemp (g_steal_pointer (&template));
  if (dir == NULL)
    g_error ("cannot make a folder in %s", parent);
  jsonl = g_build_filename (dir, "history.jsonl", NULL);
  db = g_build_filename (dir, "history.db", NULL);
  accounts = g_build_filename (dir, "accounts.json", NULL);
  text = bench_history_jsonl (n_records);
  if (!g_file_set_contents (jsonl, text->str, (gssize) text->len, &error))
    g_error ("%s", error->message);
  g_print ("stall: %u instances per region, %u history records (imported from history.jsonl, "
           "%.1f MB)\n", n_instances, n_records, text->len / 1e6);
  g_string_free (g_steal_pointer (&text), TRUE);

  sim_thread_start (&sim, n_instances);

  store = tc_account_store_new (accounts);
  account = tc_account_new ("Stall", SIM_DEFAULT_SECRET_ID);
  tc_account_set_region (account, REGION);
  tc_account_set_endpoint (account, sim.url);
  credentials = tc_credentials_new (SIM_DEFAULT_SECRET_ID, SIM_DEFAULT_SECRET_KEY, NULL);
  tc_account_store_save_async (store, account, credentials, NULL, saved_cb, &saved);
  wait_for (is_done, &saved, 30, "the account to be saved");

  session = tc_client_new_session ();
  pacer = tc_pacer_new ();
  history = tc_history_new (db);
  tracker = tc_image_tracker_new (history, store, session, pacer);

  /* start: the window and the history's load (its import) at once, as the app does. */
  enter ("start");
  tc_history_load_async (history, NULL, loaded_cb, &loaded);
  window = imprint_window_new_full (NULL, store, session, pacer, history, tracker);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 720);
  gtk_window_present (GTK_WINDOW (window));
  watch_frames (GTK_WIDGET (window));
  wait_for (in_workspace, window, 60, "the workspace");
  wait_for (is_done, &loaded, 120, "the history");
  run_for (500);

  /* history: the view over every record, the end of the list, a search. */
  enter ("history");
  imprint_window_set_view (window, "history");
  run_for (1000);
  g_object_unref (g_list_model_get_item (G_LIST_MODEL (history), n_records - 1));
  run_for (300);
  for (const char *p = "nightly-4242"; *p != '\0'; p++) {
    g_autofree char *typed = g_strndup ("nightly-4242", (gsize) (p - "nightly-4242") + 1);

    imprint_history_page_set_search_text (imprint_window_get_history_page (window), typed);
    run_for (100);
  }
  imprint_history_page_set_search_text (imprint_window_get_history_page (window), NULL);
  run_for (500);

  /* others: three images the tracker follows through the rest of the run. */
  enter ("others");
  imprint_window_set_view (window, "create");
  page = imprint_window_get_create_page (window);
  sim_set_image_delay (&sim, OTHERS_DELAY);
  for (guint i = 0; i < N_OTHERS; i++) {
    g_autofree char *name = g_strdup_printf ("stall-other-%u", i + 1);
    g_autofree char *other = sim_stopped_instance (&sim);
    g_autoptr(TcInstance) instance = get_instance (imprint_window_get_client (window), other);

    create_image (page, instance, name, FALSE);
    sim_retire_instance (&sim, other);
  }

  /* picker: every instance of the region listed. */
  enter ("picker");
  pss_before = pss_mib ();
  activate (GTK_WIDGET (page), "create-page.choose-instance");
  wait_for (picker_shown, &picker, 10, "the picker");
  watch_frames (GTK_WIDGET (picker));
  wait_for (picker_ready, picker, 300, "the picker's list");
  run_for (500);
  pss_listed = pss_mib ();

  enter ("search");
  for (guint i = 0; i < G_N_ELEMENTS (keystrokes); i++) {
    imprint_instance_picker_set_search_text (picker, keystrokes[i]);
    run_for (100);
  }

  enter ("choose");
  id = sim_stopped_instance (&sim);
  imprint_instance_picker_set_search_text (picker, id);
  run_for (200);
  if (!imprint_instance_picker_select_instance (picker, id))
    g_error ("the picker does not list %s", id);
  activate (GTK_WIDGET (picker), "picker.choose");
  wait_for (picker_gone, NULL, 10, "the picker to close");
  run_for (300);
  chosen = g_object_ref (imprint_create_page_get_instance (page));

  /* check, create: the chosen instance, while the tracker follows the others. */
  enter ("check");
  sim_set_image_delay (&sim, IMAGE_DELAY);
  follow = (Follow) { page, "stall-measured" };
  create_image (page, chosen, follow.name, TRUE);

  enter ("follow");
  wait_for (followed_to_normal, &follow, 120, "the new image to be seen Normal");
  run_for (500);

  g_print ("picker-memory: %u instances, %.1f MiB above the window without them (PSS; "
           "%.1f MiB before the picker opened)\n",
           n_instances, pss_listed - pss_before, pss_before);
  report (stall_phases, G_N_ELEMENTS (stall_phases), "main-loop-stall");

  gtk_window_destroy (GTK_WINDOW (window));
  run_for (200);
  sim_thread_stop (&sim);
  bench_remove_dir (dir);
  return 0;
}
