/* test-picker.c: the instance picker against the simulator, in real windows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The simulator listens on a loopback port in this process's main context; each test
 * presents a picker, turns the loop until it has loaded, and asserts on what the user
 * would see: rows, the reason on a row that cannot be chosen, the pages for empty and
 * failed regions, the columns of a narrow window. Screenshots land in the build directory.
 */
#include "config.h"

#include <string.h>

#include "imprint-instance-cell.h"
#include "imprint-instance-list.h"
#include "imprint-instance-picker-private.h"
#include "imprint-state-badge.h"
#include "tc-client-private.h"
#include "sim-server.h"
#include "tc-cvm.h"
#include "tc-cvm-private.h"
#include "tc-envelope.h"
#include "tc-error.h"
#include "tc-places.h"
#include "tc-rules.h"
#include "test-ui-util.h"
#include "test-util.h"

#define REGION "ap-guangzhou"

typedef struct {
  SimServer  *sim;
  char       *url;
  TcClient   *client;
} Fixture;

static void
fixture_start (Fixture    *fixture,
               guint       n_instances,
               TcProtocol  protocol)
{
  g_autoptr(TcCredentials) creds = tc_credentials_new (SIM_DEFAULT_SECRET_ID, SIM_DEFAULT_SECRET_KEY, NULL);
  g_autoptr(GError) error = NULL;

  fixture->sim = sim_server_new (7, n_instances);
  g_assert_true (sim_server_listen (fixture->sim, 0, &error));
  g_assert_no_error (error);
  fixture->url = sim_server_get_url (fixture->sim);

  fixture->client = tc_client_new (NULL, protocol, creds);
  test_client_point_at (fixture->client, fixture->url);

  /* Quick back-off keeps the error tests short; the policy is the same. */
  tc_client_set_retry (fixture->client, 2, 5);
  tc_client_set_language (fixture->client, "en-US");
}

static void
fixture_stop (Fixture *fixture)
{
  g_clear_object (&fixture->client);
  sim_server_disconnect (fixture->sim);
  g_clear_object (&fixture->sim);
  g_clear_pointer (&fixture->url, g_free);
}

/* Waiting */

static gboolean
not_loading (gpointer data)
{
  return imprint_instance_picker_get_state (data) != IMPRINT_PICKER_STATE_LOADING;
}

static gboolean
revealer_moving (GtkWidget *widget,
                 gpointer   data)
{
  return gtk_revealer_get_reveal_child (GTK_REVEALER (widget)) !=
         gtk_revealer_get_child_revealed (GTK_REVEALER (widget));
}

static gboolean
settled (gpointer data)
{
  GtkWidget *stack = test_find_widget (data, GTK_TYPE_STACK, NULL, NULL);

  return (stack == NULL || !gtk_stack_get_transition_running (GTK_STACK (stack))) &&
         test_find_widget (data, GTK_TYPE_REVEALER, revealer_moving, NULL) == NULL;
}

/* Lets the page transitions finish and the window paint, so what the test looks at (and
 * the screenshots) is what the user would see once the animation has run. */
static void
settle (ImprintInstancePicker *picker)
{
  test_wait_for_frames (GTK_WIDGET (picker), 1);
  test_wait_for (settled, picker);
  test_wait_for_frames (GTK_WIDGET (picker), 2);
}

static ImprintInstancePicker *
open_picker (Fixture  *fixture,
             gboolean  force_poweroff,
             int       width)
{
  ImprintInstancePicker *picker = imprint_instance_picker_new (NULL, fixture->client, REGION,
                                                               force_poweroff);

  /* The caller owns a reference, so the test can check that closing finalizes it. */
  g_object_ref (picker);
  if (width > 0)
    gtk_window_set_default_size (GTK_WINDOW (picker), width, 600);
  gtk_window_present (GTK_WINDOW (picker));
  test_wait_for (not_loading, picker);
  settle (picker);
  return picker;
}

/* What the user sees */

static GtkWidget *
find (ImprintInstancePicker *picker,
      GType                  type)
{
  GtkWidget *widget = test_find_widget (GTK_WIDGET (picker), type, NULL, NULL);

  g_assert_nonnull (widget);
  return widget;
}

/* The text of a label, or of an inscription (what list cells are made of). */
static const char *
widget_text (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    return gtk_label_get_text (GTK_LABEL (widget));
  if (GTK_IS_INSCRIPTION (widget))
    return gtk_inscription_get_text (GTK_INSCRIPTION (widget));
  return NULL;
}

static gboolean
text_shown (GtkWidget *widget,
            gpointer   text)
{
  return gtk_widget_get_mapped (widget) && g_strcmp0 (widget_text (widget), text) == 0;
}

/* A widget on screen that shows exactly @text. */
static GtkWidget *
find_label (ImprintInstancePicker *picker,
            const char            *text)
{
  return test_find_widget (GTK_WIDGET (picker), GTK_TYPE_WIDGET, text_shown, (gpointer) text);
}

static gboolean
button_is (GtkWidget *widget,
           gpointer   label)
{
  return g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static GtkWidget *
find_button (ImprintInstancePicker *picker,
             const char            *label)
{
  GtkWidget *button = test_find_widget (GTK_WIDGET (picker), GTK_TYPE_BUTTON, button_is, (gpointer) label);

  g_assert_nonnull (button);
  return button;
}

/* The button the user sees: the picker has two Retry buttons, for two cases. */
static gboolean
mapped_button_is (GtkWidget *widget,
                  gpointer   label)
{
  return gtk_widget_get_mapped (widget) && button_is (widget, label);
}

static gboolean
status_page_mapped (GtkWidget *widget,
                    gpointer   title)
{
  return gtk_widget_get_mapped (widget) &&
         g_strcmp0 (adw_status_page_get_title (ADW_STATUS_PAGE (widget)), title) == 0;
}

static gboolean
shows_status_page (ImprintInstancePicker *picker,
                   const char            *title)
{
  return test_find_widget (GTK_WIDGET (picker), ADW_TYPE_STATUS_PAGE, status_page_mapped,
                           (gpointer) title) != NULL;
}

static guint
position_of (GListModel *model,
             const char *instance_id)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++) {
    g_autoptr(TcInstance) instance = g_list_model_get_item (model, i);

    if (g_strcmp0 (tc_instance_get_id (instance), instance_id) == 0)
      return i;
  }
  return GTK_INVALID_LIST_POSITION;
}

static GtkColumnViewColumn *
column_titled (GtkColumnView *view,
               const char    *title)
{
  GListModel *columns = gtk_column_view_get_columns (view);

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++) {
    g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

    if (g_strcmp0 (gtk_column_view_column_get_title (column), title) == 0)
      return column;   /* the view keeps it alive */
  }
  g_assert_not_reached ();
}

typedef struct {
  guint  count;
  char  *instance_id;
} Chosen;

static void
chosen_cb (ImprintInstancePicker *picker,
           TcInstance            *instance,
           Chosen                *chosen)
{
  g_assert_true (TC_IS_INSTANCE (instance));
  chosen->count++;
  g_free (chosen->instance_id);
  chosen->instance_id = g_strdup (tc_instance_get_id (instance));
}

static void
close_picker (ImprintInstancePicker *picker)
{
  gtk_window_destroy (GTK_WINDOW (picker));
  g_assert_finalize_object (picker);
}

/* Tests */

static void
test_new_destroy (void)
{
  Fixture fixture = { 0 };
  ImprintInstancePicker *picker;

  fixture_start (&fixture, 40, TC_PROTOCOL_API3);
  sim_server_set_latency (fixture.sim, 200);

  picker = imprint_instance_picker_new (NULL, fixture.client, REGION, TRUE);
  g_object_ref (picker);
  g_assert_true (IMPRINT_IS_INSTANCE_PICKER (picker));
  {
    g_autoptr(TcClient) client = NULL;
    g_autofree char *region = NULL;

    g_object_get (picker, "client", &client, "region", &region, NULL);
    g_assert_true (client == fixture.client);
    g_assert_cmpstr (region, ==, REGION);
  }
  g_assert_true (imprint_instance_picker_get_force_poweroff (picker));
  g_assert_cmpint (imprint_instance_picker_get_state (picker), ==, IMPRINT_PICKER_STATE_LOADING);
  g_assert_cmpuint (g_list_model_get_n_items (imprint_instance_picker_get_model (picker)), ==, 0);
  g_assert_null (imprint_instance_picker_get_selected (picker));

  /* Destroyed with the load in flight: the load is cancelled and nothing touches the
   * picker afterwards. */
  gtk_window_present (GTK_WINDOW (picker));
  test_run_main_loop_for (50);
  close_picker (picker);
  test_run_main_loop_for (400);

  fixture_stop (&fixture);
}

typedef struct {
  ImprintInstancePicker *picker;
  GArray                *fractions;
  GPtrArray             *texts;
} Progress;

static void
progress_cb (ImprintInstancePicker *picker,
             GParamSpec            *pspec,
             Progress              *progress)
{
  GtkWidget *bar = find (picker, GTK_TYPE_PROGRESS_BAR);   /* the loading page's */
  double fraction = imprint_instance_picker_get_progress (picker);

  g_array_append_val (progress->fractions, fraction);
  g_ptr_array_add (progress->texts, g_strdup (gtk_progress_bar_get_text (GTK_PROGRESS_BAR (bar))));
}

/* What the search must find, worked out the slow way. */
static guint
count_matches (GListModel *instances,
               const char *text)
{
  g_autofree char *needle = g_utf8_casefold (text, -1);
  guint count = 0;

  for (guint i = 0; i < g_list_model_get_n_items (instances); i++) {
    g_autoptr(TcInstance) instance = g_list_model_get_item (instances, i);
    const char *fields[] = {
      tc_instance_get_name (instance),
      tc_instance_get_id (instance),
      tc_instance_get_private_ip (instance),
    };

    for (guint f = 0; f < G_N_ELEMENTS (fields); f++) {
      g_autofree char *folded = fields[f] != NULL ? g_utf8_casefold (fields[f], -1) : NULL;

      if (folded != NULL && strstr (folded, needle) != NULL) {
        count++;
        break;
      }
    }
  }
  return count;
}

static gboolean
loading_past_a_third (gpointer data)
{
  return imprint_instance_picker_get_progress (data) >= 0.3 ||
         imprint_instance_picker_get_state (data) != IMPRINT_PICKER_STATE_LOADING;
}

static void
test_large_fleet (void)
{
  Fixture fixture = { 0 };
  ImprintInstancePicker *picker;
  Progress progress = { 0 };
  g_autoptr(GListModel) all = NULL;
  g_autoptr(GRegex) pattern = g_regex_new ("^Loaded [0-9,.  ]+ of 10[,.  ]?000 instances$", 0, 0, NULL);
  GListModel *model;
  guint rising = 0, seen_text = 0;
  g_autofree char *screenshot = NULL;
  g_autoptr(TcInstance) sample = NULL;
  const char *searches[] = { "web", "WEB-1", "数据库", "10.0.", "ins-", "zzz-nothing", "" };

  fixture_start (&fixture, 10000, TC_PROTOCOL_API3);
  /* A little latency per call, so the pages arrive over a visible stretch of time. */
  sim_server_set_latency (fixture.sim, 15);

  picker = imprint_instance_picker_new (NULL, fixture.client, REGION, FALSE);
  g_object_ref (picker);
  progress.fractions = g_array_new (FALSE, FALSE, sizeof (double));
  progress.texts = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (picker, "notify::progress", G_CALLBACK (progress_cb), &progress);
  gtk_window_present (GTK_WINDOW (picker));

  test_wait_for (loading_past_a_third, picker);
  if (imprint_instance_picker_get_state (picker) == IMPRINT_PICKER_STATE_LOADING) {
    test_wait_for_frames (GTK_WIDGET (picker), 1);
    g_free (test_save_screenshot (GTK_WIDGET (picker), "picker-loading"));
  }

  test_wait_for (not_loading, picker);
  g_signal_handlers_disconnect_by_func (picker, progress_cb, &progress);
  g_assert_cmpint (imprint_instance_picker_get_state (picker), ==, IMPRINT_PICKER_STATE_READY);

  /* Progress only ever rose, through many steps, to the whole fleet; the bar said so in
   * words. */
  for (guint i = 1; i < progress.fractions->len; i++) {
    double before = g_array_index (progress.fractions, double, i - 1);
    double now = g_array_index (progress.fractions, double, i);

    g_assert_cmpfloat (now, >=, before);
    if (now > before && now < 1.0)
      rising++;
  }
  g_assert_cmpuint (rising, >=, 10);
  g_assert_cmpfloat (imprint_instance_picker_get_progress (picker), ==, 1.0);
  for (guint i = 0; i < progress.texts->len; i++) {
    if (g_regex_match (pattern, g_ptr_array_index (progress.texts, i), 0, NULL))
      seen_text++;
  }
  g_assert_cmpuint (seen_text, >=, 10);

  model = imprint_instance_picker_get_model (picker);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 10000);
  settle (picker);
  screenshot = test_save_screenshot (GTK_WIDGET (picker), "picker-loaded");

  /* Keep a copy of the whole list to check the search against. */
  all = G_LIST_MODEL (g_list_store_new (TC_TYPE_INSTANCE));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++) {
    g_autoptr(TcInstance) instance = g_list_model_get_item (model, i);

    g_list_store_append (G_LIST_STORE (all), instance);
  }

  for (guint i = 0; i < G_N_ELEMENTS (searches); i++) {
    imprint_instance_picker_set_search_text (picker, searches[i]);
    g_assert_cmpuint (g_list_model_get_n_items (model), ==, count_matches (all, searches[i]));
  }
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 10000);

  /* Typed one key at a time and erased again: each step narrows or widens exactly. */
  {
    const char *typing[] = { "w", "we", "web", "web-", "web-1", "web-12", "web-1", "web-", "w", "" };
    guint previous = 10000;

    for (guint i = 0; i < G_N_ELEMENTS (typing); i++) {
      guint expected = count_matches (all, typing[i]);

      imprint_instance_picker_set_search_text (picker, typing[i]);
      g_assert_cmpuint (g_list_model_get_n_items (model), ==, expected);
      if (i > 0 && strlen (typing[i]) > strlen (typing[i - 1]))
        g_assert_cmpuint (expected, <=, previous);
      previous = expected;
    }
  }

  /* A distinctive ID, and an exact IP address, find their instance. */
  sample = g_list_model_get_item (all, 4321);
  imprint_instance_picker_set_search_text (picker, tc_instance_get_id (sample));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  imprint_instance_picker_set_search_text (picker, tc_instance_get_private_ip (sample));
  g_assert_cmpuint (position_of (model, tc_instance_get_id (sample)), !=, GTK_INVALID_LIST_POSITION);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==,
                    count_matches (all, tc_instance_get_private_ip (sample)));

  /* The rows on screen show what the list holds, keystroke after keystroke (the rows stay
   * and change what they show). */
  {
    const char *typing[] = { "web", "web-1", "web-", "数据库", "" };

    for (guint i = 0; i < G_N_ELEMENTS (typing); i++) {
      imprint_instance_picker_set_search_text (picker, typing[i]);
      settle (picker);
      for (guint p = 0; p < MIN (5, g_list_model_get_n_items (model)); p++) {
        g_autoptr(TcInstance) instance = g_list_model_get_item (model, p);

        g_assert_nonnull (find_label (picker, tc_instance_get_id (instance)));
        g_assert_nonnull (find_label (picker, tc_instance_get_name (instance)));
      }
    }
  }

  /* Nothing matches: a page says so, and the state is still "ready". */
  imprint_instance_picker_set_search_text (picker, "no-such-instance");
  settle (picker);
  g_assert_true (shows_status_page (picker, "No Results Found"));
  g_assert_cmpint (imprint_instance_picker_get_state (picker), ==, IMPRINT_PICKER_STATE_READY);

  imprint_instance_picker_set_search_text (picker, "web-1");
  {
    g_autofree char *search = NULL;

    g_object_get (picker, "search-text", &search, NULL);
    g_assert_cmpstr (search, ==, "web-1");
  }
  /* With a stopped one selected, as the user would before pressing Select. */
  for (guint i = 0; i < g_list_model_get_n_items (model); i++) {
    g_autoptr(TcInstance) instance = g_list_model_get_item (model, i);

    if (tc_instance_get_state (instance) == TC_INSTANCE_STATE_STOPPED) {
      g_assert_true (imprint_instance_picker_select_instance (picker, tc_instance_get_id (instance)));
      break;
    }
  }
  g_assert_nonnull (imprint_instance_picker_get_selected (picker));
  settle (picker);
  g_free (test_save_screenshot (GTK_WIDGET (picker), "picker-filtered"));

  g_array_unref (progress.fractions);
  g_ptr_array_unref (progress.texts);
  close_picker (picker);
  fixture_stop (&fixture);
}

/* Whether the user can choose @instance_id: select it, and activate its row as Enter or a
 * double-click does. */
static gboolean
try_choose (ImprintInstancePicker *picker,
            const char            *instance_id,
            Chosen                *chosen)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (find (picker, GTK_TYPE_COLUMN_VIEW));
  GListModel *model = imprint_instance_picker_get_model (picker);
  guint position = position_of (model, instance_id);
  guint before = chosen->count;
  gboolean selected;

  g_assert_cmpuint (position, !=, GTK_INVALID_LIST_POSITION);

  selected = imprint_instance_picker_select_instance (picker, instance_id);
  if (selected) {
    g_assert_cmpstr (tc_instance_get_id (imprint_instance_picker_get_selected (picker)), ==, instance_id);
    g_assert_true (gtk_widget_is_sensitive (find_button (picker, "_Select")));
  } else {
    g_assert_null (imprint_instance_picker_get_selected (picker));
    g_assert_false (gtk_widget_is_sensitive (find_button (picker, "_Select")));
  }

  /* The model refuses the selection as the list would ask for it. */
  g_assert_cmpint (gtk_selection_model_select_item (gtk_column_view_get_model (view), position, TRUE),
                   ==, selected);

  g_signal_emit_by_name (view, "activate", position);
  if (chosen->count == before) {
    g_assert_false (selected);
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (picker)));
    return FALSE;
  }

  g_assert_true (selected);
  g_assert_cmpuint (chosen->count, ==, before + 1);
  g_assert_cmpstr (chosen->instance_id, ==, instance_id);
  /* Chosen, the picker closed. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (picker)));
  return TRUE;
}

/* The row of a refused instance says why, in words the rules module chose. */
static void
assert_row_says_why (ImprintInstancePicker *picker,
                     TcProtocol             protocol,
                     gboolean               force_poweroff,
                     const char            *instance_id,
                     TcInstanceState        state)
{
  g_auto(TcVerdict) verdict = { 0 };
  GtkWidget *word;
  GtkWidget *badge;

  g_assert_false (tc_rules_check_instance_state (protocol, state, force_poweroff, &verdict));
  imprint_instance_picker_set_search_text (picker, instance_id);
  settle (picker);
  g_assert_nonnull (find_label (picker, verdict.message));
  word = find_label (picker, tc_instance_state_describe (state));
  g_assert_nonnull (word);
  /* In the row's state badge, coloured as a state the instance is passing through, or
   * one it is leaving for good. */
  badge = gtk_widget_get_ancestor (word, IMPRINT_TYPE_STATE_BADGE);
  g_assert_nonnull (badge);
  g_assert_true (gtk_widget_has_css_class (badge, "warning") ||
                 gtk_widget_has_css_class (badge, "error") ||
                 state == TC_INSTANCE_STATE_RUNNING);
  imprint_instance_picker_set_search_text (picker, "");
}

/* One badge for every state word: its colour is a CSS class of its tone, swapped only
 * when the tone changes. */
static void
test_state_badge (void)
{
  g_autoptr(GtkWidget) badge = g_object_ref_sink (imprint_state_badge_new ());
  ImprintStateBadge *self = IMPRINT_STATE_BADGE (badge);

  g_assert_true (gtk_widget_has_css_class (badge, "state-badge"));
  g_assert_true (gtk_widget_has_css_class (badge, "neutral"));

  imprint_state_badge_set_instance_state (self, TC_INSTANCE_STATE_RUNNING);
  g_assert_cmpstr (imprint_state_badge_get_label (self), ==,
                   tc_instance_state_describe (TC_INSTANCE_STATE_RUNNING));
  g_assert_cmpint (imprint_state_badge_get_tone (self), ==, IMPRINT_BADGE_TONE_SUCCESS);
  g_assert_true (gtk_widget_has_css_class (badge, "success"));
  g_assert_false (gtk_widget_has_css_class (badge, "neutral"));

  imprint_state_badge_set_instance_state (self, TC_INSTANCE_STATE_STOPPING);
  g_assert_true (gtk_widget_has_css_class (badge, "warning"));
  g_assert_false (gtk_widget_has_css_class (badge, "success"));

  imprint_state_badge_set_instance_state (self, TC_INSTANCE_STATE_LAUNCH_FAILED);
  g_assert_cmpint (imprint_state_badge_get_tone (self), ==, IMPRINT_BADGE_TONE_ERROR);

  imprint_state_badge_set_instance_state (self, TC_INSTANCE_STATE_STOPPED);
  g_assert_cmpint (imprint_state_badge_get_tone (self), ==, IMPRINT_BADGE_TONE_NEUTRAL);

  /* Anything else with a state: plain text, never markup. */
  imprint_state_badge_set (self, "<b>Making</b>", IMPRINT_BADGE_TONE_ACCENT);
  g_assert_cmpstr (imprint_state_badge_get_label (self), ==, "<b>Making</b>");
  g_assert_true (gtk_widget_has_css_class (badge, "accent"));
  g_assert_false (gtk_widget_has_css_class (badge, "neutral"));
}

static void
test_rules (gconstpointer data)
{
  const struct {
    TcProtocol protocol;
    gboolean   force_poweroff;
    gboolean   running_allowed;
  } *mode = data;
  Fixture fixture = { 0 };
  ImprintInstancePicker *picker;
  Chosen chosen = { 0 };
  g_autofree char *running = NULL;
  g_autofree char *stopped = NULL;

  fixture_start (&fixture, 60, mode->protocol);
  running = g_strdup (sim_server_find_instance (fixture.sim, REGION, TC_INSTANCE_STATE_RUNNING));
  stopped = g_strdup (sim_server_find_instance (fixture.sim, REGION, TC_INSTANCE_STATE_STOPPED));
  g_assert_nonnull (running);
  g_assert_nonnull (stopped);

  picker = open_picker (&fixture, mode->force_poweroff, 0);
  g_signal_connect (picker, "instance-chosen", G_CALLBACK (chosen_cb), &chosen);
  g_assert_cmpint (imprint_instance_picker_get_state (picker), ==, IMPRINT_PICKER_STATE_READY);
  g_assert_cmpuint (g_list_model_get_n_items (imprint_instance_picker_get_model (picker)), ==, 60);

  if (!mode->running_allowed) {
    assert_row_says_why (picker, mode->protocol, mode->force_poweroff, running,
                         TC_INSTANCE_STATE_RUNNING);
    g_assert_false (try_choose (picker, running, &chosen));
    g_assert_cmpuint (chosen.count, ==, 0);
    /* The stopped one can be chosen. */
    g_assert_true (try_choose (picker, stopped, &chosen));
  } else {
    g_assert_true (try_choose (picker, running, &chosen));
  }

  g_assert_cmpuint (chosen.count, ==, 1);
  close_picker (picker);
  g_free (chosen.instance_id);
  fixture_stop (&fixture);
}

/* The message dialog the picker shows, once it is on screen. */
static AdwMessageDialog *
shutdown_dialog (void)
{
  for (guint attempt = 0; attempt < 200; attempt++) {
    GListModel *toplevels = gtk_window_get_toplevels ();  /* owned by GTK */

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++) {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
    test_run_main_loop_for (10);
  }
  return NULL;
}

/* API 3.0 images a running instance by shutting it down: the picker lets it be chosen,
 * asks first with Tencent's warning, and passes the answer on as force-poweroff. */
static void
test_running_asks (void)
{
  Fixture fixture = { 0 };
  ImprintInstancePicker *picker;
  Chosen chosen = { 0 };
  AdwMessageDialog *dialog;
  GtkColumnView *view;
  g_autofree char *running = NULL;
  g_autofree char *heading = NULL;
  guint position;

  fixture_start (&fixture, 60, TC_PROTOCOL_API3);
  running = g_strdup (sim_server_find_instance (fixture.sim, REGION, TC_INSTANCE_STATE_RUNNING));
  picker = open_picker (&fixture, FALSE, 0);
  g_signal_connect (picker, "instance-chosen", G_CALLBACK (chosen_cb), &chosen);
  view = GTK_COLUMN_VIEW (find (picker, GTK_TYPE_COLUMN_VIEW));

  /* No reason under it: it can be chosen. */
  g_assert_true (imprint_instance_picker_select_instance (picker, running));
  g_assert_true (gtk_widget_is_sensitive (find_button (picker, "_Select")));
  position = position_of (imprint_instance_picker_get_model (picker), running);

  /* Declined: nothing is chosen, the picker stays. */
  g_signal_emit_by_name (view, "activate", position);
  dialog = shutdown_dialog ();
  g_assert_nonnull (dialog);
  heading = g_strdup_printf ("Shut Down “%s” to Image It?",
                             tc_instance_get_name (imprint_instance_picker_get_selected (picker)));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, heading);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "data not yet written to disk"));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "shut-down"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_response (dialog, "cancel");
  test_run_main_loop_for (50);
  g_assert_cmpuint (chosen.count, ==, 0);
  g_assert_false (imprint_instance_picker_get_force_poweroff (picker));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (picker)));

  /* Agreed: chosen, with force-poweroff on for the form. */
  g_signal_emit_by_name (view, "activate", position);
  dialog = shutdown_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "shut-down");
  test_run_main_loop_for (50);
  g_assert_cmpuint (chosen.count, ==, 1);
  g_assert_cmpstr (chosen.instance_id, ==, running);
  g_assert_true (imprint_instance_picker_get_force_poweroff (picker));

  close_picker (picker);
  g_free (chosen.instance_id);
  fixture_stop (&fixture);
}

static void
test_transitional_refused (void)
{
  Fixture fixture = { 0 };
  ImprintInstancePicker *picker;
  Chosen chosen = { 0 };
  g_autofree char *id = NULL;

  fixture_start (&fixture, 40, TC_PROTOCOL_API3);
  id = g_strdup (sim_server_find_instance (fixture.sim, REGION, TC_INSTANCE_STATE_RUNNING));
  g_assert_true (sim_server_set_instance_state (fixture.sim, REGION, id, TC_INSTANCE_STATE_STOPPING));

  /* Even with “Shut down before imaging” on. */
  picker = open_picker (&fixture, TRUE, 0);
  g_signal_connect (picker, "instance-chosen", G_CALLBACK (chosen_cb), &chosen);
  assert_row_says_why (picker, TC_PROTOCOL_API3, TRUE, id, TC_INSTANCE_STATE_STOPPING);
  g_assert_false (try_choose (picker, id, &chosen));
  g_assert_cmpuint (chosen.count, ==, 0);

  close_picker (picker);
  fixture_stop (&fixture);
}

static void
test_enter_chooses (void)
{
  Fixture fixture = { 0 };
  ImprintInstancePicker *picker;
  Chosen chosen = { 0 };
  g_autofree char *stopped = NULL;
  GtkWidget *entry;

  fixture_start (&fixture, 40, TC_PROTOCOL_API3);
  stopped = g_strdup (sim_server_find_instance (fixture.sim, REGION, TC_INSTANCE_STATE_STOPPED));

  picker = open_picker (&fixture, FALSE, 0);
  g_signal_connect (picker, "instance-chosen", G_CALLBACK (chosen_cb), &chosen);

  /* The search entry has the focus when the picker opens. */
  entry = find (picker, GTK_TYPE_SEARCH_ENTRY);
  g_assert_true (gtk_widget_is_focus (entry) ||
                 gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (picker)), entry));

  /* Enter in the search takes the only row left. */
  gtk_editable_set_text (GTK_EDITABLE (entry), stopped);
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpuint (chosen.count, ==, 1);
  g_assert_cmpstr (chosen.instance_id, ==, stopped);

  close_picker (picker);
  g_free (chosen.instance_id);
  fixture_stop (&fixture);
}

/* Choosing several: a toggle gives the rows check boxes; ticks stay through a search and a
 * refresh; activating a row ticks it; the running ones ticked are asked about once; the
 * picker ends with every instance ticked, in the order they were. */
typedef struct {
  guint      count;
  GPtrArray *instances;
} ChosenSeveral;

static void
several_chosen_cb (ImprintInstancePicker *picker,
                   GPtrArray             *instances,
                   ChosenSeveral         *chosen)
{
  chosen->count++;
  g_clear_pointer (&chosen->instances, g_ptr_array_unref);
  chosen->instances = g_ptr_array_ref (instances);
}

static gboolean
check_shown (GtkWidget *widget,
             gpointer   data)
{
  return gtk_widget_get_mapped (widget);
}

static void
test_several (void)
{
  Fixture fixture = { 0 };
  ImprintInstancePicker *picker;
  ChosenSeveral chosen = { 0 };
  Chosen one = { 0 };
  AdwMessageDialog *dialog;
  GtkColumnView *view;
  GtkWidget *toggle;
  GtkWidget *next;
  GPtrArray *ticked;
  g_autofree char *stopped = NULL;
  g_autofree char *running = NULL;
  g_autofree char *other = NULL;
  guint n_columns;

  fixture_start (&fixture, 40, TC_PROTOCOL_API3);
  stopped = g_strdup (sim_server_find_instance (fixture.sim, REGION, TC_INSTANCE_STATE_STOPPED));
  running = g_strdup (sim_server_find_instance (fixture.sim, REGION, TC_INSTANCE_STATE_RUNNING));
  picker = open_picker (&fixture, FALSE, 0);
  g_signal_connect (picker, "instances-chosen", G_CALLBACK (several_chosen_cb), &chosen);
  g_signal_connect (picker, "instance-chosen", G_CALLBACK (chosen_cb), &one);
  view = GTK_COLUMN_VIEW (find (picker, GTK_TYPE_COLUMN_VIEW));
  n_columns = g_list_model_get_n_items (gtk_column_view_get_columns (view));
  g_assert_null (test_find_widget (GTK_WIDGET (view), GTK_TYPE_CHECK_BUTTON, check_shown, NULL));

  /* The toggle in the header: a column of check boxes, and Continue instead of Select. */
  toggle = find (picker, GTK_TYPE_TOGGLE_BUTTON);
  g_signal_emit_by_name (toggle, "clicked");
  settle (picker);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (toggle)));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_column_view_get_columns (view)), ==, n_columns + 1);
  g_assert_nonnull (test_find_widget (GTK_WIDGET (view), GTK_TYPE_CHECK_BUTTON, check_shown, NULL));
  g_assert_nonnull (find_label (picker, "Tick the instances to image"));
  next = find_button (picker, "C_ontinue");
  g_assert_false (gtk_widget_is_sensitive (next));

  /* A row activated is ticked, not chosen. */
  g_signal_emit_by_name (view, "activate",
                         position_of (imprint_instance_picker_get_model (picker), stopped));
  g_assert_cmpuint (one.count, ==, 0);
  ticked = imprint_instance_picker_get_ticked (picker);
  g_assert_cmpuint (ticked->len, ==, 1);
  g_assert_true (gtk_widget_is_sensitive (next));
  g_assert_nonnull (find_label (picker, "1 instance chosen"));
  /* Continue, now that it can be pressed, sits beside Cancel: each needs its own
   * Alt+letter. */
  test_assert_mnemonics_unique (GTK_WIDGET (picker));

  g_assert_true (imprint_instance_picker_set_ticked (picker, running, TRUE));
  g_assert_cmpuint (ticked->len, ==, 2);

  /* A search that hides them keeps them ticked; so does a refresh. */
  imprint_instance_picker_set_search_text (picker, "no-such-instance");
  g_assert_cmpuint (imprint_instance_picker_get_ticked (picker)->len, ==, 2);
  imprint_instance_picker_set_search_text (picker, "");
  imprint_instance_picker_refresh (picker);
  test_wait_for (not_loading, picker);
  ticked = imprint_instance_picker_get_ticked (picker);
  g_assert_cmpuint (ticked->len, ==, 2);
  g_assert_cmpstr (tc_instance_get_id (g_ptr_array_index (ticked, 0)), ==, stopped);
  g_assert_cmpstr (tc_instance_get_id (g_ptr_array_index (ticked, 1)), ==, running);
  g_assert_nonnull (find_label (picker, "2 instances chosen"));

  /* An instance that can no longer be imaged drops out at the next listing. */
  for (guint i = 0; i < g_list_model_get_n_items (imprint_instance_picker_get_model (picker)) && other == NULL; i++) {
    g_autoptr(TcInstance) instance = g_list_model_get_item (imprint_instance_picker_get_model (picker), i);
    const char *id = tc_instance_get_id (instance);

    if (tc_instance_get_state (instance) == TC_INSTANCE_STATE_STOPPED && g_strcmp0 (id, stopped) != 0)
      other = g_strdup (id);
  }
  g_assert_nonnull (other);
  g_assert_true (imprint_instance_picker_set_ticked (picker, other, TRUE));
  g_assert_true (sim_server_set_instance_state (fixture.sim, REGION, other, TC_INSTANCE_STATE_STARTING));
  imprint_instance_picker_refresh (picker);
  test_wait_for (not_loading, picker);
  g_assert_cmpuint (imprint_instance_picker_get_ticked (picker)->len, ==, 2);
  g_assert_false (imprint_instance_picker_set_ticked (picker, other, TRUE));

  /* The boxes go and come back; the ticks stay. */
  g_signal_emit_by_name (toggle, "clicked");
  g_assert_cmpuint (g_list_model_get_n_items (gtk_column_view_get_columns (view)), ==, n_columns);
  g_assert_nonnull (find_button (picker, "_Select"));
  g_signal_emit_by_name (toggle, "clicked");
  g_assert_cmpuint (imprint_instance_picker_get_ticked (picker)->len, ==, 2);

  /* One running among them: asked once; declined, nothing is chosen. */
  next = find_button (picker, "C_ontinue");
  g_signal_emit_by_name (next, "clicked");
  dialog = shutdown_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Shut Down 1 Running Instance to Image It?");
  adw_message_dialog_response (dialog, "cancel");
  test_run_main_loop_for (50);
  g_assert_cmpuint (chosen.count, ==, 0);

  /* Agreed: both chosen, in the order ticked, with force-poweroff on. */
  g_signal_emit_by_name (next, "clicked");
  dialog = shutdown_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "shut-down");
  test_run_main_loop_for (50);
  g_assert_cmpuint (chosen.count, ==, 1);
  g_assert_cmpuint (one.count, ==, 0);
  g_assert_cmpuint (chosen.instances->len, ==, 2);
  g_assert_cmpstr (tc_instance_get_id (g_ptr_array_index (chosen.instances, 0)), ==, stopped);
  g_assert_cmpstr (tc_instance_get_id (g_ptr_array_index (chosen.instances, 1)), ==, running);
  g_assert_true (imprint_instance_picker_get_force_poweroff (picker));

  close_picker (picker);
  g_clear_pointer (&chosen.instances, g_ptr_array_unref);
  fixture_stop (&fixture);
}

/* A legacy account cannot image several at once, and the toggle says why. */
static void
test_several_legacy (void)
{
  Fixture fixture = { 0 };
  ImprintInstancePicker *picker;
  GtkWidget *toggle;

  fixture_start (&fixture, 10, TC_PROTOCOL_LEGACY);
  picker = open_picker (&fixture, FALSE, 0);
  toggle = find (picker, GTK_TYPE_TOGGLE_BUTTON);
  g_assert_false (gtk_widget_is_sensitive (toggle));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (toggle), "API 3.0"));
  imprint_instance_picker_set_several (picker, TRUE);
  g_assert_null (find_label (picker, "Tick the instances to image"));

  close_picker (picker);
  fixture_stop (&fixture);
}

static void
test_select_button (void)
{
  Fixture fixture = { 0 };
  ImprintInstancePicker *picker;
  Chosen chosen = { 0 };
  g_autofree char *stopped = NULL;
  GtkWidget *select;

  fixture_start (&fixture, 40, TC_PROTOCOL_API3);
  stopped = g_strdup (sim_server_find_instance (fixture.sim, REGION, TC_INSTANCE_STATE_STOPPED));

  picker = open_picker (&fixture, FALSE, 0);
  g_signal_connect (picker, "instance-chosen", G_CALLBACK (chosen_cb), &chosen);

  select = find_button (picker, "_Select");
  g_assert_false (gtk_widget_is_sensitive (select));
  g_assert_true (imprint_instance_picker_select_instance (picker, stopped));
  g_assert_true (gtk_widget_is_sensitive (select));

  /* A search that hides the selected row drops the selection, and Select with it. */
  imprint_instance_picker_set_search_text (picker, "no-such-instance");
  g_assert_null (imprint_instance_picker_get_selected (picker));
  g_assert_false (gtk_widget_is_sensitive (select));
  imprint_instance_picker_set_search_text (picker, "");
  g_assert_true (imprint_instance_picker_select_instance (picker, stopped));

  g_signal_emit_by_name (select, "clicked");
  g_assert_cmpuint (chosen.count, ==, 1);
  g_assert_cmpstr (chosen.instance_id, ==, stopped);

  close_picker (picker);
  g_free (chosen.instance_id);
  fixture_stop (&fixture);
}

static void
state_seen_cb (ImprintInstancePicker *picker,
               GParamSpec            *pspec,
               GArray                *states)
{
  ImprintPickerState state = imprint_instance_picker_get_state (picker);

  g_array_append_val (states, state);
}

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GError **error = user_data;
  g_autoptr(GListModel) instances = tc_cvm_list_instances_finish (TC_CLIENT (object), result, error);

  g_assert_null (instances);
}

static gboolean
has_error (gpointer data)
{
  return *(GError **) data != NULL;
}

/* The error the client reports for the region as it is now, to compare with the page. */
static GError *
list_error (Fixture *fixture)
{
  GError *error = NULL;

  tc_cvm_list_instances_async (fixture->client, REGION, NULL, NULL, NULL, listed_cb, &error);
  test_wait_for (has_error, &error);
  return error;
}

static gboolean
text_starts_with (GtkWidget *widget,
                  gpointer   prefix)
{
  const char *text = widget_text (widget);

  return gtk_widget_get_mapped (widget) && text != NULL && g_str_has_prefix (text, prefix);
}

static void
test_error_retry (void)
{
  Fixture fixture = { 0 };
  ImprintInstancePicker *picker;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) expected = NULL;
  g_autoptr(GError) expected_server = NULL;
  GtkWidget *retry;
  GtkWidget *details;

  fixture_start (&fixture, 40, TC_PROTOCOL_API3);
  g_assert_true (sim_server_add_fault (fixture.sim, "http-503:action=DescribeInstances", &error));
  g_assert_no_error (error);
  expected = list_error (&fixture);
  g_assert_error (expected, TC_ERROR, TC_ERROR_UNAVAILABLE);

  picker = open_picker (&fixture, FALSE, 0);
  g_assert_cmpint (imprint_instance_picker_get_state (picker), ==, IMPRINT_PICKER_STATE_ERROR);
  g_assert_cmpuint (g_list_model_get_n_items (imprint_instance_picker_get_model (picker)), ==, 0);
  g_assert_true (shows_status_page (picker, "Could Not Load Instances"));
  /* The error's own sentence, as plain text, and the HTTP status under it. */
  g_assert_nonnull (find_label (picker, expected->message));
  g_assert_nonnull (find_label (picker, "HTTP status: 503"));
  g_assert_false (gtk_widget_is_sensitive (find_button (picker, "_Select")));
  retry = test_find_widget (GTK_WIDGET (picker), GTK_TYPE_BUTTON, mapped_button_is, (gpointer) "_Retry");
  g_assert_nonnull (retry);

  /* A server fault with a code and a RequestId shows both, small, under the message. */
  sim_server_clear_faults (fixture.sim);
  g_assert_true (sim_server_add_fault (fixture.sim, "internal-error:action=DescribeInstances", &error));
  g_assert_no_error (error);
  expected_server = list_error (&fixture);
  g_assert_cmpstr (tc_error_get_server_code (expected_server), ==, "InternalError");

  g_signal_emit_by_name (retry, "clicked");
  g_assert_cmpint (imprint_instance_picker_get_state (picker), ==, IMPRINT_PICKER_STATE_LOADING);
  test_wait_for (not_loading, picker);
  g_assert_cmpint (imprint_instance_picker_get_state (picker), ==, IMPRINT_PICKER_STATE_ERROR);
  settle (picker);
  g_assert_nonnull (find_label (picker, expected_server->message));
  details = test_find_widget (GTK_WIDGET (picker), GTK_TYPE_LABEL, text_starts_with,
                              (gpointer) "Code: InternalError\nRequest ID: ");
  g_assert_nonnull (details);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (details)), "Request ID: "));
  g_free (test_save_screenshot (GTK_WIDGET (picker), "picker-error"));

  /* The fault cleared, Retry lists the region. */
  sim_server_clear_faults (fixture.sim);
  g_signal_emit_by_name (retry, "clicked");
  test_wait_for (not_loading, picker);
  g_assert_cmpint (imprint_instance_picker_get_state (picker), ==, IMPRINT_PICKER_STATE_READY);
  g_assert_cmpuint (g_list_model_get_n_items (imprint_instance_picker_get_model (picker)), ==, 40);

  close_picker (picker);
  fixture_stop (&fixture);
}

/* A refresh that fails over a list already shown keeps the list, its ticks and the
 * selection, and says so in a banner above it with Retry; a Retry that works keeps them
 * too. The user may have built the choice one search at a time among thousands. */
static void
test_refresh_error_keeps_list (void)
{
  Fixture fixture = { 0 };
  ImprintInstancePicker *picker;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) expected = NULL;
  g_autofree char *stopped = NULL;
  g_autofree char *running = NULL;
  GtkWidget *retry;

  fixture_start (&fixture, 40, TC_PROTOCOL_API3);
  stopped = g_strdup (sim_server_find_instance (fixture.sim, REGION, TC_INSTANCE_STATE_STOPPED));
  running = g_strdup (sim_server_find_instance (fixture.sim, REGION, TC_INSTANCE_STATE_RUNNING));
  picker = open_picker (&fixture, FALSE, 0);
  imprint_instance_picker_set_several (picker, TRUE);
  g_assert_true (imprint_instance_picker_set_ticked (picker, stopped, TRUE));
  g_assert_true (imprint_instance_picker_set_ticked (picker, running, TRUE));
  g_assert_true (imprint_instance_picker_select_instance (picker, stopped));

  g_assert_true (sim_server_add_fault (fixture.sim, "http-503:action=DescribeInstances", &error));
  g_assert_no_error (error);
  expected = list_error (&fixture);
  imprint_instance_picker_refresh (picker);
  test_wait_for (not_loading, picker);
  settle (picker);

  g_assert_cmpint (imprint_instance_picker_get_state (picker), ==, IMPRINT_PICKER_STATE_ERROR);
  g_assert_cmpuint (g_list_model_get_n_items (imprint_instance_picker_get_model (picker)), ==, 40);
  g_assert_true (gtk_widget_get_mapped (find (picker, GTK_TYPE_COLUMN_VIEW)));
  g_assert_false (shows_status_page (picker, "Could Not Load Instances"));
  g_assert_cmpuint (imprint_instance_picker_get_ticked (picker)->len, ==, 2);
  g_assert_nonnull (find_label (picker, "2 instances chosen"));
  g_assert_nonnull (imprint_instance_picker_get_selected (picker));
  g_assert_cmpstr (tc_instance_get_id (imprint_instance_picker_get_selected (picker)), ==, stopped);
  /* What went wrong, above the list, and a way to try again. */
  g_assert_nonnull (find_label (picker, "Could not refresh the list"));
  g_assert_nonnull (find_label (picker, expected->message));
  retry = test_find_widget (GTK_WIDGET (picker), GTK_TYPE_BUTTON, mapped_button_is, (gpointer) "_Retry");
  g_assert_nonnull (retry);
  test_assert_mnemonics_unique (GTK_WIDGET (picker));
  g_free (test_save_screenshot (GTK_WIDGET (picker), "picker-refresh-error"));

  /* The kept list can still be searched. */
  imprint_instance_picker_set_search_text (picker, "no-such-instance");
  settle (picker);
  g_assert_true (shows_status_page (picker, "No Results Found"));
  imprint_instance_picker_set_search_text (picker, "");
  g_assert_true (imprint_instance_picker_select_instance (picker, stopped));

  sim_server_clear_faults (fixture.sim);
  g_signal_emit_by_name (retry, "clicked");
  test_wait_for (not_loading, picker);
  settle (picker);
  g_assert_cmpint (imprint_instance_picker_get_state (picker), ==, IMPRINT_PICKER_STATE_READY);
  g_assert_null (find_label (picker, "Could not refresh the list"));
  g_assert_cmpuint (imprint_instance_picker_get_ticked (picker)->len, ==, 2);
  g_assert_cmpstr (tc_instance_get_id (g_ptr_array_index (imprint_instance_picker_get_ticked (picker), 0)), ==, stopped);
  g_assert_cmpstr (tc_instance_get_id (imprint_instance_picker_get_selected (picker)), ==, stopped);

  close_picker (picker);
  fixture_stop (&fixture);
}

typedef struct {
  SimServer *sim;
  guint      n_launches;  /* launches still to make, one a listing */
} Launches;

/* Between the first page of a listing and the others (the first of 250 or so is about 0.4
 * of it), an instance is launched at the top of the list. */
static void
launch_between_pages_cb (ImprintInstancePicker *picker,
                         GParamSpec            *pspec,
                         Launches              *launches)
{
  double progress = imprint_instance_picker_get_progress (picker);

  if (launches->n_launches > 0 && progress > 0 && progress < 0.5) {
    launches->n_launches--;
    g_assert_nonnull (sim_server_launch_instance (launches->sim, REGION, 0));
  }
}

/* The IDs the picker lists, each once. */
static GHashTable *
listed_ids (ImprintInstancePicker *picker)
{
  GListModel *model = imprint_instance_picker_get_model (picker);
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++) {
    g_autoptr(TcInstance) instance = g_list_model_get_item (model, i);

    g_assert_true (g_hash_table_add (ids, g_strdup (tc_instance_get_id (instance))));
  }
  return ids;
}

/* Instances launched while the picker lists the region a page at a time shift the pages
 * after the first: the picker never lists an instance twice, lists the region again to
 * have the new one too, and when the region keeps changing, says its list may be
 * incomplete until a refresh lists it whole. */
static void
test_fleet_changes (void)
{
  Fixture fixture = { 0 };
  ImprintInstancePicker *picker;
  g_autoptr(GHashTable) ids = NULL;
  Launches launches = { 0 };

  fixture_start (&fixture, 250, TC_PROTOCOL_API3);
  launches.sim = fixture.sim;

  /* Launched during each listing: each instance once, and a word that some may miss. */
  launches.n_launches = TC_CVM_LIST_ATTEMPTS;
  picker = imprint_instance_picker_new (NULL, fixture.client, REGION, FALSE);
  g_object_ref (picker);
  g_signal_connect (picker, "notify::progress", G_CALLBACK (launch_between_pages_cb), &launches);
  gtk_window_present (GTK_WINDOW (picker));
  test_wait_for (not_loading, picker);
  settle (picker);
  g_assert_cmpint (imprint_instance_picker_get_state (picker), ==, IMPRINT_PICKER_STATE_READY);
  ids = listed_ids (picker);
  g_assert_cmpuint (g_hash_table_size (ids), >=, 250);
  g_assert_nonnull (find_label (picker, "The list may be incomplete"));
  g_assert_nonnull (find_label (picker, "Instances were launched or terminated while the list loaded."));
  g_assert_nonnull (test_find_widget (GTK_WIDGET (picker), GTK_TYPE_BUTTON, mapped_button_is,
                                      (gpointer) "_Retry"));
  g_free (test_save_screenshot (GTK_WIDGET (picker), "picker-fleet-changed"));
  g_clear_pointer (&ids, g_hash_table_unref);

  /* Launched once: listed again, with it, and whole. */
  launches.n_launches = 1;
  imprint_instance_picker_refresh (picker);
  test_wait_for (not_loading, picker);
  settle (picker);
  g_assert_null (find_label (picker, "The list may be incomplete"));
  ids = listed_ids (picker);
  g_assert_cmpuint (g_hash_table_size (ids), ==, 250 + TC_CVM_LIST_ATTEMPTS + 1);

  g_signal_handlers_disconnect_by_data (picker, &launches);
  close_picker (picker);
  fixture_stop (&fixture);
}

/* While a refresh runs over a list already shown, a search that matches nothing says so,
 * as it does once the list is loaded, rather than showing the bare column headers. */
static void
test_no_results_while_loading (void)
{
  Fixture fixture = { 0 };
  ImprintInstancePicker *picker;
  g_autoptr(GError) error = NULL;

  fixture_start (&fixture, 40, TC_PROTOCOL_API3);
  picker = open_picker (&fixture, FALSE, 0);

  /* The refresh's answer never comes while the test looks. */
  g_assert_true (sim_server_add_fault (fixture.sim, "stall:action=DescribeInstances", &error));
  g_assert_no_error (error);
  imprint_instance_picker_refresh (picker);
  imprint_instance_picker_set_search_text (picker, "no-such-instance");
  settle (picker);
  g_assert_cmpint (imprint_instance_picker_get_state (picker), ==, IMPRINT_PICKER_STATE_LOADING);
  g_assert_true (shows_status_page (picker, "No Results Found"));
  /* The refresh's progress still shows, above the page. */
  g_assert_nonnull (test_find_widget (GTK_WIDGET (picker), GTK_TYPE_PROGRESS_BAR, check_shown, NULL));

  imprint_instance_picker_set_search_text (picker, "");
  settle (picker);
  g_assert_false (shows_status_page (picker, "No Results Found"));
  g_assert_true (gtk_widget_get_mapped (find (picker, GTK_TYPE_COLUMN_VIEW)));

  close_picker (picker);
  fixture_stop (&fixture);
}

static void
test_empty (void)
{
  Fixture fixture = { 0 };
  ImprintInstancePicker *picker;

  fixture_start (&fixture, 0, TC_PROTOCOL_API3);

  picker = open_picker (&fixture, FALSE, 0);
  g_assert_cmpint (imprint_instance_picker_get_state (picker), ==, IMPRINT_PICKER_STATE_EMPTY);
  g_assert_cmpuint (g_list_model_get_n_items (imprint_instance_picker_get_model (picker)), ==, 0);
  g_assert_true (shows_status_page (picker, "No Instances in This Region"));
  g_assert_false (gtk_widget_is_sensitive (find_button (picker, "_Select")));
  g_free (test_save_screenshot (GTK_WIDGET (picker), "picker-empty"));

  close_picker (picker);
  fixture_stop (&fixture);
}

static void
test_escape (void)
{
  Fixture fixture = { 0 };
  ImprintInstancePicker *picker;
  GtkWidget *entry;

  fixture_start (&fixture, 40, TC_PROTOCOL_API3);

  /* Escape anywhere in the window closes it. */
  picker = open_picker (&fixture, FALSE, 0);
  g_assert_true (test_activate_shortcut (GTK_WIDGET (picker), GDK_KEY_Escape, 0));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (picker)));
  g_assert_finalize_object (picker);

  /* In the search entry, Escape first clears the search, then closes. */
  picker = open_picker (&fixture, FALSE, 0);
  entry = find (picker, GTK_TYPE_SEARCH_ENTRY);
  imprint_instance_picker_set_search_text (picker, "web");
  g_signal_emit_by_name (entry, "stop-search");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (picker)));
  g_signal_emit_by_name (entry, "stop-search");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (picker)));
  g_assert_finalize_object (picker);

  fixture_stop (&fixture);
}

static void
test_refresh_cancels (void)
{
  Fixture fixture = { 0 };
  ImprintInstancePicker *picker;
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (ImprintPickerState));

  fixture_start (&fixture, 1000, TC_PROTOCOL_API3);
  sim_server_set_latency (fixture.sim, 30);

  picker = imprint_instance_picker_new (NULL, fixture.client, REGION, FALSE);
  g_object_ref (picker);
  g_signal_connect (picker, "notify::state", G_CALLBACK (state_seen_cb), states);
  gtk_window_present (GTK_WINDOW (picker));
  test_run_main_loop_for (60);

  /* F5 and Ctrl+R both reload, each replacing the load in flight. */
  g_assert_true (test_activate_shortcut (GTK_WIDGET (picker), GDK_KEY_F5, 0));
  test_run_main_loop_for (40);
  g_assert_true (test_activate_shortcut (GTK_WIDGET (picker), GDK_KEY_r, GDK_CONTROL_MASK));
  test_wait_for (not_loading, picker);

  g_assert_cmpint (imprint_instance_picker_get_state (picker), ==, IMPRINT_PICKER_STATE_READY);
  g_assert_cmpuint (g_list_model_get_n_items (imprint_instance_picker_get_model (picker)), ==, 1000);
  /* The cancelled loads never showed as errors: loading, then ready, once. */
  g_assert_cmpuint (states->len, ==, 1);
  g_assert_cmpint (g_array_index (states, ImprintPickerState, 0), ==, IMPRINT_PICKER_STATE_READY);

  /* A refresh of a loaded list keeps it on screen and keeps the selection. */
  g_assert_true (imprint_instance_picker_select_instance (picker,
                   sim_server_find_instance (fixture.sim, REGION, TC_INSTANCE_STATE_STOPPED)));
  imprint_instance_picker_refresh (picker);
  g_assert_true (gtk_widget_get_mapped (find (picker, GTK_TYPE_COLUMN_VIEW)));
  test_wait_for (not_loading, picker);
  g_assert_nonnull (imprint_instance_picker_get_selected (picker));
  g_assert_cmpstr (tc_instance_get_id (imprint_instance_picker_get_selected (picker)), ==,
                   sim_server_find_instance (fixture.sim, REGION, TC_INSTANCE_STATE_STOPPED));

  close_picker (picker);
  fixture_stop (&fixture);
}

static void
test_sorting (void)
{
  Fixture fixture = { 0 };
  ImprintInstancePicker *picker;
  GtkColumnView *view;
  GListModel *model;
  guint32 previous_ip = 0;

  fixture_start (&fixture, 300, TC_PROTOCOL_API3);
  picker = open_picker (&fixture, FALSE, 0);
  view = GTK_COLUMN_VIEW (find (picker, GTK_TYPE_COLUMN_VIEW));
  model = imprint_instance_picker_get_model (picker);

  /* By name at first, as people read it. */
  for (guint i = 1; i < g_list_model_get_n_items (model); i++) {
    g_autoptr(TcInstance) a = g_list_model_get_item (model, i - 1);
    g_autoptr(TcInstance) b = g_list_model_get_item (model, i);
    g_autofree char *fa = g_utf8_casefold (tc_instance_get_name (a), -1);
    g_autofree char *fb = g_utf8_casefold (tc_instance_get_name (b), -1);

    g_assert_cmpint (g_utf8_collate (fa, fb), <=, 0);
  }

  /* Zones and the region by the names the console uses, not by their codes. */
  {
    g_autoptr(TcInstance) first = g_list_model_get_item (model, 0);
    const char *zone = tc_instance_get_zone (first);
    g_autofree char *shown = g_strdup_printf ("Guangzhou Zone %s", strrchr (zone, '-') + 1);

    g_assert_true (g_str_has_prefix (zone, "ap-guangzhou-"));
    test_wait_for_frames (GTK_WIDGET (picker), 2);
    g_assert_nonnull (find_label (picker, shown));
    g_assert_null (find_label (picker, zone));
    g_assert_nonnull (find_label (picker, "South China (Guangzhou)"));
  }

  /* By address, not by text, when the Private IP header is clicked. */
  gtk_column_view_sort_by_column (view, column_titled (view, "Private IP"), GTK_SORT_ASCENDING);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++) {
    g_autoptr(TcInstance) instance = g_list_model_get_item (model, i);
    g_autoptr(GInetAddress) address = g_inet_address_new_from_string (tc_instance_get_private_ip (instance));
    const guint8 *bytes = g_inet_address_to_bytes (address);
    guint32 ip = ((guint32) bytes[0] << 24) | ((guint32) bytes[1] << 16) | ((guint32) bytes[2] << 8) | bytes[3];

    g_assert_cmpuint (ip, >=, previous_ip);
    previous_ip = ip;
  }

  /* Sorting and searching together. */
  gtk_column_view_sort_by_column (view, column_titled (view, "ID"), GTK_SORT_DESCENDING);
  imprint_instance_picker_set_search_text (picker, "web");
  for (guint i = 1; i < g_list_model_get_n_items (model); i++) {
    g_autoptr(TcInstance) a = g_list_model_get_item (model, i - 1);
    g_autoptr(TcInstance) b = g_list_model_get_item (model, i);

    g_assert_cmpint (g_utf8_collate (tc_instance_get_id (a), tc_instance_get_id (b)), >=, 0);
  }

  close_picker (picker);
  fixture_stop (&fixture);
}

typedef struct {
  guint on_screen;
  guint off_screen;
  guint stale_on_screen;
  guint stale;
} IdCells;

/* Counts the ID cells (monospace inscriptions) of bound rows, on screen and off, and those
 * that show another ID than their row's instance has. */
static void
count_id_cells (GtkWidget *widget,
                GtkWidget *view,
                IdCells   *cells)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    count_id_cells (child, view, cells);

  if (IMPRINT_IS_INSTANCE_CELL (widget) && GTK_IS_INSCRIPTION (gtk_widget_get_first_child (widget)) &&
      gtk_widget_has_css_class (gtk_widget_get_first_child (widget), "monospace")) {
    ImprintInstanceRow *row = imprint_instance_cell_get_row (IMPRINT_INSTANCE_CELL (widget));
    TcInstance *instance = row != NULL ? imprint_instance_row_get_instance (row) : NULL;
    const char *shown = gtk_inscription_get_text (GTK_INSCRIPTION (gtk_widget_get_first_child (widget)));
    graphene_rect_t bounds;
    gboolean seen;

    if (instance == NULL || !gtk_widget_compute_bounds (widget, view, &bounds))
      return;
    seen = bounds.origin.y + bounds.size.height > 0 && bounds.origin.y < gtk_widget_get_height (view);
    if (seen)
      cells->on_screen++;
    else
      cells->off_screen++;
    if (g_strcmp0 (shown, tc_instance_get_id (instance)) != 0) {
      cells->stale++;
      if (seen)
        cells->stale_on_screen++;
    }
  }
}

static gboolean
cells_caught_up (gpointer data)
{
  GtkWidget *view = test_find_widget (data, GTK_TYPE_LIST_VIEW, NULL, NULL);
  IdCells cells = { 0 };

  count_id_cells (view, view, &cells);
  return cells.stale == 0;
}

typedef struct {
  ImprintInstancePicker *picker;
  gboolean               seen;
  gboolean               caught_up;
} LaidOut;

/* The first frame's layout phase: whether every cell was caught up by then. */
static void
layout_cb (GdkFrameClock *clock,
           LaidOut       *laid_out)
{
  if (laid_out->seen)
    return;
  laid_out->seen = TRUE;
  laid_out->caught_up = cells_caught_up (laid_out->picker);
}

/* A search shows its instances on screen in the frame it is typed in; the rows GTK keeps
 * off screen catch up after it, or at once when the list scrolls. */
static void
test_off_screen_cells_wait (void)
{
  Fixture fixture = { 0 };
  ImprintInstancePicker *picker;
  GtkWidget *view;
  GtkScrolledWindow *scrolled;
  GtkAdjustment *adjustment;
  IdCells cells = { 0 };

  fixture_start (&fixture, 3000, TC_PROTOCOL_API3);
  picker = open_picker (&fixture, FALSE, 0);
  view = find (picker, GTK_TYPE_LIST_VIEW);

  imprint_instance_picker_set_search_text (picker, "web");
  count_id_cells (view, view, &cells);
  g_assert_cmpuint (cells.on_screen, >, 5);
  g_assert_cmpuint (cells.stale_on_screen, ==, 0);
  /* The part listed has more rows than fit: those wait. */
  g_assert_cmpuint (cells.off_screen, >, 0);
  g_assert_cmpuint (cells.stale, >, 0);
  test_wait_for (cells_caught_up, picker);

  /* A scroll right after a search catches every cell up before its frame is laid out
   * (not while it is: GTK 4.8 scrolls the list itself then, and a cell's new text would
   * come after its allocation). */
  imprint_instance_picker_set_search_text (picker, "web-1");
  scrolled = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (view, GTK_TYPE_SCROLLED_WINDOW));
  adjustment = gtk_scrolled_window_get_vadjustment (scrolled);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + 50);
  {
    GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (picker));
    LaidOut laid_out = { picker, FALSE, FALSE };
    gulong id = g_signal_connect (clock, "layout", G_CALLBACK (layout_cb), &laid_out);

    while (!laid_out.seen)
      g_main_context_iteration (NULL, TRUE);
    g_signal_handler_disconnect (clock, id);
    g_assert_true (laid_out.caught_up);
  }

  close_picker (picker);
  fixture_stop (&fixture);
}

static int
compare_names_cb (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  int order = gtk_ordering_from_cmpfunc (strcmp (tc_instance_get_sort_key ((TcInstance *) a),
                                                 tc_instance_get_sort_key ((TcInstance *) b)));

  return GPOINTER_TO_INT (user_data) < 0 ? -order : order;
}

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          guint      *count)
{
  (*count)++;
}

static gboolean
list_sorted (gpointer data)
{
  return !imprint_instance_list_is_sorting (data);
}

/* @n instances named Web-00000 on, in no order: 7919 is prime to n, so i * 7919 % n
 * visits each number once. New objects at each call, with the same IDs. */
static GListModel *
instances_in_no_order (guint n)
{
  g_autoptr(GString) json = g_string_new ("{\"Response\":{\"RequestId\":\"r\",\"InstanceSet\":[");
  g_autoptr(GBytes) body = NULL;
  g_autoptr(TcAnswer) answer = NULL;
  g_autoptr(GPtrArray) page = NULL;
  GListStore *store = g_list_store_new (TC_TYPE_INSTANCE);
  g_autoptr(GError) error = NULL;
  guint total;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (json, "%s{\"InstanceId\":\"ins-%08u\",\"InstanceName\":\"Web-%05u\"}",
                            i > 0 ? "," : "", i, (guint) ((guint64) i * 7919 % n));
  g_string_append_printf (json, "],\"TotalCount\":%u}}", n);
  body = g_bytes_new (json->str, json->len);
  answer = tc_envelope_read (TC_PROTOCOL_API3, body, 200, "application/json", &error);
  g_assert_no_error (error);
  page = tc_cvm_parse_page (TC_CVM_LIST_INSTANCES, answer, &total, &error);
  g_assert_no_error (error);
  g_list_store_splice (store, 0, 0, page->pdata, page->len);
  return G_LIST_MODEL (store);
}

/* Too many instances to sort within a frame: the list sorts them between frames, shows
 * what it showed until they are in order, then all of them at once; an order asked for
 * meanwhile is the one they end in. */
static void
test_list_sorts_between_frames (void)
{
  const guint n = 60000;
  g_autoptr(GListModel) store = instances_in_no_order (n);
  GtkCustomSorter *sorter = gtk_custom_sorter_new (compare_names_cb, GINT_TO_POINTER (1), NULL);
  g_autoptr(ImprintInstanceList) list = imprint_instance_list_new (GTK_SORTER (sorter), NULL, NULL);
  guint notified = 0;

  g_signal_connect (list, "notify::sorting", G_CALLBACK (count_cb), &notified);
  imprint_instance_list_set_instances (list, store);
  g_assert_true (imprint_instance_list_is_sorting (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);

  /* The header clicked again while they are sorted: descending. */
  gtk_custom_sorter_set_sort_func (sorter, compare_names_cb, GINT_TO_POINTER (-1), NULL);
  test_wait_for (list_sorted, list);
  g_assert_cmpuint (notified, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n);
  for (guint i = 0; i < n; i++) {
    g_autofree char *name = g_strdup_printf ("Web-%05u", n - 1 - i);

    g_assert_cmpstr (tc_instance_get_name (imprint_instance_list_get_instance (list, i)), ==, name);
  }

  /* The search reads the keys the instances came with. */
  imprint_instance_list_set_search (list, "WEB-0001");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 10);
  g_object_unref (sorter);
}

/* A row clicked while a new listing of the same instances is being sorted: the list has
 * new objects once it is sorted, and the row clicked stays selected, by its ID. */
static void
test_list_selection_across_sort (void)
{
  const guint n = 60000;
  g_autoptr(GListModel) first = instances_in_no_order (n);
  g_autoptr(GListModel) again = instances_in_no_order (n);
  GtkCustomSorter *sorter = gtk_custom_sorter_new (compare_names_cb, GINT_TO_POINTER (1), NULL);
  g_autoptr(ImprintInstanceList) list = imprint_instance_list_new (GTK_SORTER (sorter), NULL, NULL);
  g_autofree char *clicked = NULL;

  imprint_instance_list_set_instances (list, first);
  test_wait_for (list_sorted, list);
  g_assert_true (gtk_selection_model_select_item (GTK_SELECTION_MODEL (list), 5, TRUE));

  imprint_instance_list_set_instances (list, again);
  g_assert_true (imprint_instance_list_is_sorting (list));
  g_assert_true (gtk_selection_model_select_item (GTK_SELECTION_MODEL (list), 7, TRUE));
  clicked = g_strdup (tc_instance_get_id (imprint_instance_list_get_selected (list)));
  test_wait_for (list_sorted, list);

  g_assert_nonnull (imprint_instance_list_get_selected (list));
  g_assert_cmpstr (tc_instance_get_id (imprint_instance_list_get_selected (list)), ==, clicked);
  /* The object of the new listing, at its place in the new order. */
  g_assert_true (imprint_instance_list_get_instance (list, 7) ==
                 imprint_instance_list_get_selected (list));
  g_assert_true (gtk_selection_model_is_selected (GTK_SELECTION_MODEL (list), 7));
  g_object_unref (sorter);
}

static gboolean
load_being_sorted (gpointer data)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (find (data, GTK_TYPE_COLUMN_VIEW));

  return imprint_instance_list_is_sorting (IMPRINT_INSTANCE_LIST (gtk_column_view_get_model (view)));
}

/* The same in the picker: a row clicked while a refresh is being sorted is the one
 * selected once it is, not the one selected when the refresh began. */
static void
test_selection_across_refresh (void)
{
  Fixture fixture = { 0 };
  ImprintInstancePicker *picker;
  g_autofree char *before = NULL;
  g_autofree char *clicked = NULL;
  GListModel *model;

  fixture_start (&fixture, 20000, TC_PROTOCOL_API3);
  picker = open_picker (&fixture, TRUE, 0);
  model = imprint_instance_picker_get_model (picker);
  for (guint i = 0; i < g_list_model_get_n_items (model) && clicked == NULL; i++) {
    g_autoptr(TcInstance) instance = g_list_model_get_item (model, i);

    if (tc_instance_get_state (instance) != TC_INSTANCE_STATE_STOPPED)
      continue;
    if (before == NULL)
      before = g_strdup (tc_instance_get_id (instance));
    else
      clicked = g_strdup (tc_instance_get_id (instance));
  }
  g_assert_true (imprint_instance_picker_select_instance (picker, before));

  imprint_instance_picker_refresh (picker);
  test_wait_for (load_being_sorted, picker);
  g_assert_true (imprint_instance_picker_select_instance (picker, clicked));
  test_wait_for (not_loading, picker);
  g_assert_cmpint (imprint_instance_picker_get_state (picker), ==, IMPRINT_PICKER_STATE_READY);
  g_assert_cmpstr (tc_instance_get_id (imprint_instance_picker_get_selected (picker)), ==, clicked);

  close_picker (picker);
  fixture_stop (&fixture);
}

/* A part at a time */

static GtkAdjustment *
view_adjustment (ImprintInstancePicker *picker)
{
  GtkWidget *view = find (picker, GTK_TYPE_COLUMN_VIEW);

  return gtk_scrolled_window_get_vadjustment (
    GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (view, GTK_TYPE_SCROLLED_WINDOW)));
}

/* The rows the view lists (and makes widgets for), not the instances that match. */
static guint
n_listed (ImprintInstancePicker *picker)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (find (picker, GTK_TYPE_COLUMN_VIEW));

  return g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (view)));
}

/* Scrolls to the end of what is listed, as a person dragging the scroll bar down would,
 * until every match is listed. */
static gboolean
scrolled_to_the_last (gpointer data)
{
  GtkAdjustment *adjustment = view_adjustment (data);

  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) -
                                        gtk_adjustment_get_page_size (adjustment));
  return n_listed (data) ==
         g_list_model_get_n_items (imprint_instance_picker_get_model (data));
}

/* The first part is listed again, once the rows a search, a new order or a new listing left
 * have gone (a part a frame, see imprint-list-pager.c). */
static gboolean
first_part_listed (gpointer data)
{
  return n_listed (data) < 100;
}

/* A cell in the list view's viewport that shows exactly @text. */
static gboolean
cell_on_screen (GtkWidget *widget,
                gpointer   text)
{
  GtkWidget *view = gtk_widget_get_ancestor (widget, GTK_TYPE_LIST_VIEW);
  graphene_rect_t bounds;

  return view != NULL && text_shown (widget, text) &&
         gtk_widget_compute_bounds (widget, view, &bounds) &&
         bounds.origin.y >= 0 &&
         bounds.origin.y + bounds.size.height <= gtk_widget_get_height (view);
}

static gboolean
on_screen (ImprintInstancePicker *picker,
           const char            *text)
{
  return test_find_widget (GTK_WIDGET (picker), GTK_TYPE_WIDGET, cell_on_screen,
                           (gpointer) text) != NULL;
}

typedef struct {
  ImprintInstancePicker *picker;
  const char            *id;
} Dragged;

static gboolean
dragged_to_the_end (gpointer data)
{
  Dragged *dragged = data;
  GtkAdjustment *adjustment = view_adjustment (dragged->picker);

  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) -
                                        gtk_adjustment_get_page_size (adjustment));
  return on_screen (dragged->picker, dragged->id);
}

/* Drags the scroll bar to its end, as a person would until the instance called @id is on
 * screen: rows GTK has not shown yet have the height of those it has, and a taller one
 * (a reason under its name) moves the end down when it is shown. */
static void
drag_to_the_end (ImprintInstancePicker *picker,
                 const char            *id)
{
  Dragged dragged = { picker, id };

  settle (picker);
  test_wait_for (dragged_to_the_end, &dragged);
  settle (picker);
  g_assert_true (on_screen (picker, id));
}

/* A few hundred instances: the view lists a screenful and a little more, and a part more
 * as it is scrolled down; a search, an order or a listing starts from its first part again;
 * what the picker counts is every instance, every match; an instance far down can be
 * selected and ticked, and is then listed and on screen. */
static void
test_lists_a_part (void)
{
  Fixture fixture = { 0 };
  ImprintInstancePicker *picker;
  GtkColumnView *view;
  GtkAdjustment *adjustment;
  GListModel *model;
  ImprintInstanceList *list;
  g_autoptr(TcInstance) last = NULL;
  g_autofree char *last_id = NULL;
  g_autofree char *count_text = NULL;
  guint matches;

  fixture_start (&fixture, 300, TC_PROTOCOL_API3);
  picker = open_picker (&fixture, FALSE, 0);
  view = GTK_COLUMN_VIEW (find (picker, GTK_TYPE_COLUMN_VIEW));
  list = IMPRINT_INSTANCE_LIST (gtk_column_view_get_model (view));
  adjustment = view_adjustment (picker);
  model = imprint_instance_picker_get_model (picker);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 300);

  /* More than fit, so the view scrolls. */
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), >, gtk_adjustment_get_page_size (adjustment));
  g_assert_nonnull (find_label (picker, "300 instances"));

  /* Scrolled down, the view lists more, down to the last instance, which comes on screen. */
  test_wait_for (scrolled_to_the_last, picker);
  last = g_list_model_get_item (model, 299);
  drag_to_the_end (picker, tc_instance_get_id (last));

  /* A new listing starts from its first part. */
  imprint_instance_picker_refresh (picker);
  test_wait_for (not_loading, picker);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 300);
  test_wait_for (first_part_listed, picker);

  /* So does a new order, at the top. */
  test_wait_for (scrolled_to_the_last, picker);
  gtk_column_view_sort_by_column (view, column_titled (view, "ID"), GTK_SORT_DESCENDING);
  test_wait_for (list_sorted, list);
  test_wait_for (first_part_listed, picker);
  settle (picker);
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 0);

  /* A search lists its first matches, and counts all of them. */
  imprint_instance_picker_set_search_text (picker, "w");
  matches = g_list_model_get_n_items (model);
  test_wait_for (first_part_listed, picker);
  g_assert_cmpuint (n_listed (picker), <, matches);
  count_text = g_strdup_printf ("%u of 300", matches);
  g_assert_nonnull (find_label (picker, count_text));
  /* Scrolled to the end, every match is listed. */
  test_wait_for (scrolled_to_the_last, picker);
  g_assert_cmpuint (n_listed (picker), ==, matches);

  /* Cleared, the search lists its first part again. */
  imprint_instance_picker_set_search_text (picker, "");
  test_wait_for (first_part_listed, picker);

  /* The last instance that can be imaged, selected, is listed and scrolled to. */
  for (guint i = 300; i > 0 && last_id == NULL; i--) {
    g_autoptr(TcInstance) instance = g_list_model_get_item (model, i - 1);

    if (imprint_instance_list_can_select (list, instance))
      last_id = g_strdup (tc_instance_get_id (instance));
  }
  g_assert_nonnull (last_id);
  g_assert_cmpuint (position_of (model, last_id), >, 200);
  g_assert_true (imprint_instance_picker_select_instance (picker, last_id));
  g_assert_cmpstr (tc_instance_get_id (imprint_instance_picker_get_selected (picker)), ==, last_id);
  g_assert_cmpuint (n_listed (picker), >, position_of (model, last_id));
  settle (picker);
  g_assert_true (on_screen (picker, last_id));

  /* Unselected, and past a search, it is beyond the part again; ticked, it is listed, and
   * counted. */
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (list));
  imprint_instance_picker_set_search_text (picker, "w");
  imprint_instance_picker_set_search_text (picker, "");
  test_wait_for (first_part_listed, picker);
  g_assert_cmpuint (n_listed (picker), <=, position_of (model, last_id));
  imprint_instance_picker_set_several (picker, TRUE);
  g_assert_true (imprint_instance_picker_set_ticked (picker, last_id, TRUE));
  g_assert_cmpuint (n_listed (picker), >, position_of (model, last_id));
  settle (picker);
  g_assert_nonnull (find_label (picker, "1 instance chosen"));

  close_picker (picker);
  fixture_stop (&fixture);
}

static void
assert_fits (GtkColumnView *view)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (GTK_WIDGET (view), GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *h = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scrolled));

  /* Every column left fits: no sideways scrolling. */
  g_assert_cmpfloat (gtk_adjustment_get_upper (h), <=, gtk_adjustment_get_page_size (h));
}

/* Every match listed: the scroll bar stands for all of them. */
static gboolean
all_listed (gpointer data)
{
  return n_listed (data) == g_list_model_get_n_items (imprint_instance_picker_get_model (data));
}

/* The height the scroll bar gives the whole list, in rows of the lowest height a row of
 * the view has (a row with a reason under its name is taller). */
static double
rows_scrollable (ImprintInstancePicker *picker)
{
  GtkWidget *list_view = find (picker, GTK_TYPE_LIST_VIEW);
  int lowest = G_MAXINT;

  for (GtkWidget *row = gtk_widget_get_first_child (list_view); row != NULL;
       row = gtk_widget_get_next_sibling (row)) {
    if (gtk_widget_get_mapped (row))
      lowest = MIN (lowest, gtk_widget_get_height (row));
  }
  g_assert_cmpint (lowest, >, 0);
  g_assert_cmpint (lowest, <, G_MAXINT);
  return gtk_adjustment_get_upper (view_adjustment (picker)) / lowest;
}

/* A key as GTK delivers it to the list: first the column view, which sees it on its way
 * down (GTK_PHASE_CAPTURE), then the list view's own bindings, unless it was handled. */
static void
press_in_list (ImprintInstancePicker *picker,
               guint                  keyval,
               GdkModifierType        modifiers)
{
  if (!test_activate_shortcut (find (picker, GTK_TYPE_COLUMN_VIEW), keyval, modifiers))
    g_assert_true (test_activate_shortcut (find (picker, GTK_TYPE_LIST_VIEW), keyval, modifiers));
}

/* 10,000 instances: once the list has been still a moment, the scroll bar stands for all of
 * them, after loading and after a search, and dragged to its end it shows the last; End
 * and Ctrl+End go to the last instance, at once after loading or a search too. */
static void
test_scrolls_whole (void)
{
  Fixture fixture = { 0 };
  ImprintInstancePicker *picker;
  GListModel *model;
  GtkAdjustment *adjustment;
  g_autoptr(TcInstance) last = NULL;
  guint matches;

  fixture_start (&fixture, 10000, TC_PROTOCOL_API3);
  picker = open_picker (&fixture, FALSE, 0);
  model = imprint_instance_picker_get_model (picker);
  adjustment = view_adjustment (picker);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 10000);
  last = g_list_model_get_item (model, 9999);

  /* End, at once: the last instance, not the last of those listed so far. */
  press_in_list (picker, GDK_KEY_End, 0);
  settle (picker);
  g_assert_true (on_screen (picker, tc_instance_get_id (last)));
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment),
                     >=, gtk_adjustment_get_upper (adjustment) - 1);

  /* A search lists a part of its matches at first, from the top; a moment later all of them,
   * and the scroll bar is as long as they are. */
  imprint_instance_picker_set_search_text (picker, "web");
  matches = g_list_model_get_n_items (model);
  g_assert_cmpuint (matches, >, 300);
  g_assert_cmpuint (n_listed (picker), <, matches);
  test_wait_for (all_listed, picker);
  settle (picker);
  g_assert_cmpfloat (rows_scrollable (picker), >=, matches);

  /* Dragged to the end, the scroll bar shows the last match. */
  g_clear_object (&last);
  last = g_list_model_get_item (model, matches - 1);
  drag_to_the_end (picker, tc_instance_get_id (last));

  /* Cleared: every instance, then Ctrl+End at once after the keystroke. */
  imprint_instance_picker_set_search_text (picker, "");
  g_assert_cmpuint (n_listed (picker), <, 10000);
  g_clear_object (&last);
  last = g_list_model_get_item (model, 9999);
  press_in_list (picker, GDK_KEY_End, GDK_CONTROL_MASK);
  settle (picker);
  g_assert_true (on_screen (picker, tc_instance_get_id (last)));
  test_wait_for (all_listed, picker);
  settle (picker);
  g_assert_cmpfloat (rows_scrollable (picker), >=, 10000);

  close_picker (picker);
  fixture_stop (&fixture);
}

static void
test_widths (void)
{
  const struct {
    int         width;
    const char *screenshot;
    const char *shown[8];
    const char *hidden[8];
  } cases[] = {
    { 360, "picker-narrow", { "Name", "State" }, { "ID", "OS", "Zone", "Type", "Private IP" } },
    { 600, NULL, { "Name", "State" }, { "ID", "OS", "Zone", "Type", "Private IP" } },
    { 700, "picker-medium", { "Name", "ID", "State", "Private IP" }, { "OS", "Zone", "Type" } },
    { 960, NULL, { "Name", "ID", "State", "Private IP" }, { "OS", "Zone", "Type" } },
    { 980, NULL, { "Name", "ID", "State", "OS", "Zone", "Type", "Private IP" }, { NULL } },
    { 1080, "picker-dark", { "Name", "ID", "State", "OS", "Zone", "Type", "Private IP" }, { NULL } },
  };
  Fixture fixture = { 0 };

  fixture_start (&fixture, 60, TC_PROTOCOL_API3);

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++) {
    ImprintInstancePicker *picker = open_picker (&fixture, FALSE, cases[c].width);
    GtkColumnView *view = GTK_COLUMN_VIEW (find (picker, GTK_TYPE_COLUMN_VIEW));
    g_autoptr(TcInstance) first = g_list_model_get_item (imprint_instance_picker_get_model (picker), 0);
    g_autofree char *id_and_ip = g_strdup_printf ("%s · %s", tc_instance_get_id (first),
                                                  tc_instance_get_private_ip (first));

    g_test_message ("window %d px wide", cases[c].width);
    /* The window's own width, less what its frame takes. */
    g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (picker)), <=, cases[c].width);
    g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (picker)), >=, cases[c].width - 20);
    for (guint i = 0; cases[c].shown[i] != NULL; i++)
      g_assert_true (gtk_column_view_column_get_visible (column_titled (view, cases[c].shown[i])));
    for (guint i = 0; cases[c].hidden[i] != NULL; i++)
      g_assert_false (gtk_column_view_column_get_visible (column_titled (view, cases[c].hidden[i])));

    /* Without their columns, the ID and the address are still there, under the name. */
    if (!gtk_column_view_column_get_visible (column_titled (view, "ID")))
      g_assert_nonnull (find_label (picker, id_and_ip));
    else
      g_assert_null (find_label (picker, id_and_ip));

    /* The region in the header: whole where there is room; in a narrow window its city,
     * which tells it from the others, where "South China (Guan…" lost it. */
    g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (find (picker, ADW_TYPE_WINDOW_TITLE))), ==,
                     cases[c].width <= 600 ? "Guangzhou" : "South China (Guangzhou)");

    assert_fits (view);
    if (cases[c].screenshot != NULL && g_str_has_suffix (cases[c].screenshot, "-dark")) {
      AdwStyleManager *style = adw_style_manager_get_default ();

      /* The badges and signs use named colours: the dark style follows. */
      adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
      settle (picker);
      g_free (test_save_screenshot (GTK_WIDGET (picker), cases[c].screenshot));
      adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
    } else if (cases[c].screenshot != NULL) {
      g_free (test_save_screenshot (GTK_WIDGET (picker), cases[c].screenshot));
    }
    close_picker (picker);
  }

  fixture_stop (&fixture);
}

/* An inscription on screen whose text is taller than the inscription (it draws from its top
 * and clips at its bottom). */
static gboolean
text_cut (GtkWidget *widget,
          gpointer   user_data)
{
  const char *text;
  g_autoptr(PangoLayout) layout = NULL;
  int height;

  if (!GTK_IS_INSCRIPTION (widget) || !gtk_widget_get_mapped (widget))
    return FALSE;
  text = gtk_inscription_get_text (GTK_INSCRIPTION (widget));
  layout = gtk_widget_create_pango_layout (widget, text);
  pango_layout_get_pixel_size (layout, NULL, &height);
  if (height <= gtk_widget_get_height (widget))
    return FALSE;
  g_test_message ("“%s” is %d px tall in %d px", text, height, gtk_widget_get_height (widget));
  return TRUE;
}

/* A line with Chinese in it is taller than the Latin font's line that GtkInscription makes
 * room for: the bottom of every Chinese glyph was cut (主 read as 丰). At every width the
 * cells are as tall as their text. */
static void
test_chinese_whole (void)
{
  const int widths[] = { 360, 960 };
  Fixture fixture = { 0 };

  fixture_start (&fixture, 60, TC_PROTOCOL_API3);
  tc_client_set_language (fixture.client, "zh-CN");

  for (guint w = 0; w < G_N_ELEMENTS (widths); w++) {
    ImprintInstancePicker *picker = open_picker (&fixture, FALSE, widths[w]);
    GListModel *model = imprint_instance_picker_get_model (picker);
    g_autoptr(TcInstance) first = NULL;

    imprint_instance_picker_set_search_text (picker, "数据库");
    settle (picker);
    g_assert_cmpuint (g_list_model_get_n_items (model), >, 0);
    first = g_list_model_get_item (model, 0);
    g_assert_nonnull (find_label (picker, tc_instance_get_name (first)));

    g_assert_null (test_find_widget (GTK_WIDGET (picker), GTK_TYPE_INSCRIPTION, text_cut, NULL));
    if (w == 1) {
      GtkSettings *settings = gtk_settings_get_default ();
      g_autofree char *font = NULL;

      /* A larger font, as the text size setting gives: the cells grow with it. */
      g_object_get (settings, "gtk-font-name", &font, NULL);
      g_object_set (settings, "gtk-font-name", "Sans 16", NULL);
      settle (picker);
      g_assert_null (test_find_widget (GTK_WIDGET (picker), GTK_TYPE_INSCRIPTION, text_cut, NULL));
      g_object_set (settings, "gtk-font-name", font, NULL);
      settle (picker);
    }
    if (w == 0)
      g_free (test_save_screenshot (GTK_WIDGET (picker), "picker-chinese-narrow"));
    else
      g_free (test_save_screenshot (GTK_WIDGET (picker), "picker-chinese"));
    close_picker (picker);
  }

  fixture_stop (&fixture);
}

/* How wide @text is in @widget's font, with the ellipsis GtkInscription would add when
 * @cut. */
static int
text_width (GtkWidget  *widget,
            const char *text,
            gboolean    cut)
{
  g_autofree char *shown = g_strconcat (text, cut ? "…" : "", NULL);
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, shown);
  int width;

  pango_layout_get_pixel_size (layout, &width, NULL);
  return width;
}

typedef struct {
  GHashTable *zones;   /* zone names, as shown */
  GHashTable *systems; /* OS names */
  guint       zones_seen;
  guint       systems_seen;
} Columns;

static gboolean
zone_or_os_cut (GtkWidget *widget,
                gpointer   user_data)
{
  Columns *columns = user_data;
  const char *text;

  if (!GTK_IS_INSCRIPTION (widget) || !gtk_widget_get_mapped (widget))
    return FALSE;
  text = gtk_inscription_get_text (GTK_INSCRIPTION (widget));

  if (g_hash_table_contains (columns->zones, text)) {
    columns->zones_seen++;
    if (text_width (widget, text, FALSE) > gtk_widget_get_width (widget)) {
      g_test_message ("zone “%s” cut at %d px", text, gtk_widget_get_width (widget));
      return TRUE;
    }
  } else if (g_hash_table_contains (columns->systems, text)) {
    /* Whole up to TencentOS's, and the rest at least as far as their version, which is
     * what tells "Windows Server 2019 Datacenter 64bit English" from 2022. */
    g_auto(GStrv) words = g_strsplit (text, " ", 0);
    g_autofree char *head = g_strjoin (" ", words[0], words[1], words[2], NULL);
    gboolean whole = g_utf8_strlen (text, -1) <= 26;

    columns->systems_seen++;
    if (text_width (widget, whole ? text : head, !whole) > gtk_widget_get_width (widget)) {
      g_test_message ("OS “%s” cut before “%s” at %d px", text, whole ? text : head,
                      gtk_widget_get_width (widget));
      return TRUE;
    }
  }
  return FALSE;
}

/* At the picker's own size, the zone reads whole, and the OS at least as far as its
 * version: they are what tell instances apart, where "Guangzhou Zon…" and "Windows S…"
 * did not. */
static void
test_default_size_reads (void)
{
  Fixture fixture = { 0 };
  Columns columns = {
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
  };
  ImprintInstancePicker *picker;
  GListModel *model;

  fixture_start (&fixture, 60, TC_PROTOCOL_API3);
  picker = open_picker (&fixture, FALSE, 0);
  model = imprint_instance_picker_get_model (picker);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++) {
    g_autoptr(TcInstance) instance = g_list_model_get_item (model, i);

    g_hash_table_add (columns.zones, tc_places_zone_name (tc_instance_get_zone (instance)));
    g_hash_table_add (columns.systems, g_strdup (tc_instance_get_os_name (instance)));
  }

  g_assert_null (test_find_widget (GTK_WIDGET (picker), GTK_TYPE_INSCRIPTION, zone_or_os_cut, &columns));
  g_assert_cmpuint (columns.zones_seen, >, 5);
  g_assert_cmpuint (columns.systems_seen, >, 5);

  g_hash_table_unref (columns.zones);
  g_hash_table_unref (columns.systems);
  close_picker (picker);
  fixture_stop (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  static const struct {
    TcProtocol protocol;
    gboolean   force_poweroff;
    gboolean   running_allowed;
  } api3_force = { TC_PROTOCOL_API3, TRUE, TRUE },
    legacy = { TC_PROTOCOL_LEGACY, TRUE, FALSE };

  gtk_test_init (&argc, &argv, NULL);

  test_ui_tolerate_toolkit_warnings ();
  adw_init ();

  test_ui_load_app_style ();

  g_test_add_func ("/imprint/picker/new-destroy", test_new_destroy);
  g_test_add_func ("/imprint/picker/large-fleet", test_large_fleet);
  g_test_add_func ("/imprint/picker/state-badge", test_state_badge);
  g_test_add_func ("/imprint/picker/rules/api3/running-asks", test_running_asks);
  g_test_add_data_func ("/imprint/picker/rules/api3/running-with-force-poweroff", &api3_force, test_rules);
  g_test_add_data_func ("/imprint/picker/rules/legacy/running-refused", &legacy, test_rules);
  g_test_add_func ("/imprint/picker/rules/transitional-refused", test_transitional_refused);
  g_test_add_func ("/imprint/picker/choose/enter", test_enter_chooses);
  g_test_add_func ("/imprint/picker/choose/select-button", test_select_button);
  g_test_add_func ("/imprint/picker/choose/several", test_several);
  g_test_add_func ("/imprint/picker/choose/several-legacy", test_several_legacy);
  g_test_add_func ("/imprint/picker/error-retry", test_error_retry);
  g_test_add_func ("/imprint/picker/refresh-error-keeps-list", test_refresh_error_keeps_list);
  g_test_add_func ("/imprint/picker/fleet-changes", test_fleet_changes);
  g_test_add_func ("/imprint/picker/no-results-while-loading", test_no_results_while_loading);
  g_test_add_func ("/imprint/picker/empty", test_empty);
  g_test_add_func ("/imprint/picker/escape", test_escape);
  g_test_add_func ("/imprint/picker/refresh-cancels", test_refresh_cancels);
  g_test_add_func ("/imprint/picker/sorting", test_sorting);
  g_test_add_func ("/imprint/picker/list/sorts-between-frames", test_list_sorts_between_frames);
  g_test_add_func ("/imprint/picker/list/selection-across-sort", test_list_selection_across_sort);
  g_test_add_func ("/imprint/picker/selection-across-refresh", test_selection_across_refresh);
  g_test_add_func ("/imprint/picker/off-screen-cells-wait", test_off_screen_cells_wait);
  g_test_add_func ("/imprint/picker/list/a-part", test_lists_a_part);
  g_test_add_func ("/imprint/picker/list/scrolls-whole", test_scrolls_whole);
  g_test_add_func ("/imprint/picker/widths", test_widths);
  g_test_add_func ("/imprint/picker/chinese-whole", test_chinese_whole);
  g_test_add_func ("/imprint/picker/default-size-reads", test_default_size_reads);

  return g_test_run ();
}
