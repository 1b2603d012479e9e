/* imprint-instance-picker.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The region's instances in a column view over an ImprintInstanceList, which sorts them
 * in the column view's order between frames, searches, keeps the row widgets in place while
 * the search changes, lists a part of the matches at a time, more as the view is scrolled
 * (ImprintListPager), and refuses to select an instance the rules say cannot be imaged.
 * See imprint-instance-list.c for why it is neither a GtkSortListModel nor a
 * GtkFilterListModel. A load is ready once the list has sorted what it brought. The columns, and
 * which give way in a narrow window, are in imprint-instance-columns.c; each cell is an
 * ImprintInstanceCell, and what the cells share an ImprintInstanceCellContext.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "imprint-a11y.h"
#include "imprint-instance-cell.h"
#include "imprint-instance-columns.h"
#include "imprint-instance-list.h"
#include "imprint-instance-picker-private.h"
#include "imprint-instance-tick.h"
#include "imprint-shutdown-dialog.h"
#include "tc-cvm.h"
#include "tc-error.h"
#include "tc-places.h"
#include "tc-rules.h"

G_DEFINE_ENUM_TYPE (ImprintPickerState, imprint_picker_state,
  G_DEFINE_ENUM_VALUE (IMPRINT_PICKER_STATE_LOADING, "loading"),
  G_DEFINE_ENUM_VALUE (IMPRINT_PICKER_STATE_READY, "ready"),
  G_DEFINE_ENUM_VALUE (IMPRINT_PICKER_STATE_EMPTY, "empty"),
  G_DEFINE_ENUM_VALUE (IMPRINT_PICKER_STATE_ERROR, "error"))

/* ImprintInstancePicker */

struct _ImprintInstancePicker
{
  AdwWindow               parent_instance;

  TcClient               *client;
  char                   *region;
  gboolean                force_poweroff;

  ImprintPickerState      state;
  double                  progress;
  GCancellable           *cancellable;   /* of the load in flight */
  gboolean                chosen;
  TcInstance             *asking;       /* running, and asked whether to shut it down */
  gboolean                asking_ticked; /* the same, for the running ones ticked */
  gboolean                several;      /* choosing several: the rows have check boxes */
  GtkColumnViewColumn    *tick_column;  /* while choosing several */

  ImprintInstanceList    *list;
  gboolean                arriving;      /* a load is being sorted */
  gboolean                partial;       /* the fleet changed while it loaded: some may miss */

  ImprintInstanceCellContext *cell_context;
  GtkColumnViewColumn    *columns[IMPRINT_N_INSTANCE_COLUMNS];

  /* Template widgets */
  AdwWindowTitle         *window_title;
  GtkSearchEntry         *search_entry;
  GtkLabel               *count_label;
  GtkStack               *stack;
  GtkProgressBar         *loading_progress;
  GtkProgressBar         *refresh_progress;
  GtkColumnView          *column_view;
  AdwStatusPage          *error_page;
  GtkLabel               *error_label;
  GtkLabel               *error_details_label;
  GtkRevealer            *error_banner;
  GtkLabel               *banner_title;
  GtkLabel               *banner_label;
  GtkButton              *select_button;
  GtkToggleButton        *several_button;
  GtkActionBar           *several_bar;
  GtkLabel               *ticked_label;
};

G_DEFINE_FINAL_TYPE (ImprintInstancePicker, imprint_instance_picker, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_REGION,
  PROP_FORCE_POWEROFF,
  PROP_STATE,
  PROP_PROGRESS,
  PROP_SEARCH_TEXT,
  PROP_SEVERAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  INSTANCE_CHOSEN,
  INSTANCES_CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/**
 * imprint_instance_picker_new:
 * @parent: (nullable): the window the picker is modal for
 * @client: the client to list instances with
 * @region: the region to list
 * @force_poweroff: whether “Shut down before imaging” is on already
 *
 * The picker starts loading at once. Present it with gtk_window_present(); it closes itself
 * after emitting #ImprintInstancePicker::instance-chosen. With API 3.0 a running instance
 * may be chosen: unless @force_poweroff is on, the picker asks first whether to shut it
 * down, and turns #ImprintInstancePicker:force-poweroff on when the user agrees.
 *
 * Returns: (transfer none): a new picker, owned by GTK's list of toplevels
 */
ImprintInstancePicker *
imprint_instance_picker_new (GtkWindow  *parent,
                             TcClient   *client,
                             const char *region,
                             gboolean    force_poweroff)
{
  ImprintInstancePicker *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (TC_IS_CLIENT (client), NULL);

  self = g_object_new (IMPRINT_TYPE_INSTANCE_PICKER,
                       "transient-for", parent,
                       "client", client,
                       "region", region,
                       "force-poweroff", force_poweroff,
                       NULL);
  /* Its loads hold it: it may outlive its window. */
  imprint_dialog_follow_parent (GTK_WINDOW (self));
  return self;
}

/* Rules */

/* Whether @instance can be imaged under the picker's protocol, shut down first if need be,
 * as tc_rules_check_instance_state() decides. */
static gboolean
can_choose (ImprintInstancePicker *self,
            TcInstance            *instance)
{
  return self->client != NULL &&   /* the list outlives dispose in the column view */
         tc_rules_check_instance_state (tc_client_get_protocol (self->client),
                                        tc_instance_get_state (instance), TRUE, NULL);
}

static gboolean
selectable_cb (TcInstance *instance,
               gpointer    user_data)
{
  return can_choose (user_data, instance);
}

/* Presentation */

static void
update_count (ImprintInstancePicker *self)
{
  guint total = imprint_instance_list_get_n_all (self->list);
  guint shown = imprint_instance_list_get_n_matches (self->list);
  g_autofree char *total_text = g_strdup_printf ("%'u", total);
  g_autofree char *shown_text = g_strdup_printf ("%'u", shown);
  g_autofree char *text = NULL;

  if (total == 0) {
    gtk_widget_set_visible (GTK_WIDGET (self->count_label), FALSE);
    return;
  }

  if (shown == total)
    /* Translators: %s is a number of instances, with thousands separators. */
    text = g_strdup_printf (ngettext ("%s instance", "%s instances", total), total_text);
  else
    /* Translators: how many instances match the search, of how many; the plural form
     * follows the second number. */
    text = g_strdup_printf (ngettext ("%s of %s", "%s of %s", total), shown_text, total_text);

  gtk_label_set_text (self->count_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->count_label), TRUE);
}

static void
update_page (ImprintInstancePicker *self)
{
  gboolean have_rows = imprint_instance_list_get_n_all (self->list) > 0;
  /* Whatever the state, rows of which the search shows none say so. */
  const char *rows_page = imprint_instance_list_get_n_matches (self->list) > 0 ? "list" : "no-results";
  const char *page = "list";

  switch (self->state) {
  case IMPRINT_PICKER_STATE_LOADING:
    page = have_rows ? rows_page : "loading";
    break;

  case IMPRINT_PICKER_STATE_READY:
    page = rows_page;
    break;

  case IMPRINT_PICKER_STATE_EMPTY:
    page = "empty";
    break;

  case IMPRINT_PICKER_STATE_ERROR:
    page = have_rows ? rows_page : "error";
    break;

  default:
    g_assert_not_reached ();
  }

  /* A refresh over a list already shown keeps the list and shows progress above it; one
   * that failed keeps it too, and says so in the banner. */
  gtk_widget_set_visible (GTK_WIDGET (self->refresh_progress),
                          self->state == IMPRINT_PICKER_STATE_LOADING && have_rows);
  gtk_revealer_set_reveal_child (self->error_banner,
                                 (self->state == IMPRINT_PICKER_STATE_ERROR && have_rows) ||
                                 (self->state == IMPRINT_PICKER_STATE_READY && self->partial));
  /* The same banner says a list may be incomplete: a warning, not a failure. While it
   * slides away it keeps its colour. */
  if (self->state == IMPRINT_PICKER_STATE_READY)
    gtk_widget_add_css_class (gtk_revealer_get_child (self->error_banner), "warning");
  else if (self->state == IMPRINT_PICKER_STATE_ERROR)
    gtk_widget_remove_css_class (gtk_revealer_get_child (self->error_banner), "warning");
  gtk_stack_set_visible_child_name (self->stack, page);
}

static void
update_actions (ImprintInstancePicker *self)
{
  TcInstance *selected = imprint_instance_picker_get_selected (self);
  guint n_ticked = self->list != NULL ? imprint_instance_list_get_ticked (self->list)->len : 0;

  if (self->several)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "picker.choose",
                                   n_ticked > 0 && !self->chosen);
  else
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "picker.choose",
                                   selected != NULL && !self->chosen &&
                                   can_choose (self, selected));
}

static void
ticks_changed_cb (ImprintInstancePicker *self)
{
  guint n = imprint_instance_list_get_ticked (self->list)->len;
  /* Translators: how many instances are ticked in the picker. */
  g_autofree char *text = g_strdup_printf (ngettext ("%u instance chosen", "%u instances chosen", n), n);

  gtk_label_set_text (self->ticked_label, n > 0 ? text : _("Tick the instances to image"));
  update_actions (self);
}

static void
set_state (ImprintInstancePicker *self,
           ImprintPickerState     state)
{
  gboolean changed = self->state != state;

  self->state = state;
  update_page (self);
  update_count (self);
  update_actions (self);

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_progress (ImprintInstancePicker *self,
              guint                  loaded,
              guint                  total)
{
  g_autofree char *text = NULL;
  double fraction = total > 0 ? CLAMP ((double) loaded / total, 0.0, 1.0) : 0.0;

  if (total > 0) {
    g_autofree char *loaded_text = g_strdup_printf ("%'u", loaded);
    g_autofree char *total_text = g_strdup_printf ("%'u", total);

    /* Translators: the first %s is how many instances have arrived, the second how many
     * the region has (both with thousands separators); the plural form follows the
     * second. */
    text = g_strdup_printf (ngettext ("Loaded %s of %s instance",
                                      "Loaded %s of %s instances", total),
                            loaded_text, total_text);
  } else {
    text = g_strdup (_("Connecting…"));
  }

  gtk_progress_bar_set_fraction (self->loading_progress, fraction);
  gtk_progress_bar_set_text (self->loading_progress, text);
  gtk_progress_bar_set_fraction (self->refresh_progress, fraction);

  if (self->progress != fraction) {
    self->progress = fraction;
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
  }
}

/* Loading */

typedef struct {
  ImprintInstancePicker *self;         /* not a reference: used only while not cancelled */
  GCancellable          *cancellable;
} Load;

static void
load_free (Load *load)
{
  g_object_unref (load->cancellable);
  g_free (load);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Load, load_free)

static void
load_progress_cb (guint    loaded,
                  guint    total,
                  gpointer user_data)
{
  Load *load = user_data;

  if (!g_cancellable_is_cancelled (load->cancellable))
    set_progress (load->self, loaded, total);
}

static void sorting_cb (ImprintInstancePicker *self);

static void
set_instances (ImprintInstancePicker *self,
               GListModel            *instances)
{
  self->arriving = TRUE;
  imprint_instance_list_set_instances (self->list, instances);
  sorting_cb (self);
}

/* The list has sorted what it was given: a load is ready. */
static void
sorting_cb (ImprintInstancePicker *self)
{
  TcInstance *selected = imprint_instance_picker_get_selected (self);
  g_autofree char *selected_id = selected != NULL ? g_strdup (tc_instance_get_id (selected)) : NULL;
  guint n;

  if (!self->arriving || imprint_instance_list_is_sorting (self->list))
    return;

  self->arriving = FALSE;
  n = imprint_instance_list_get_n_all (self->list);
  set_progress (self, n, n);
  set_state (self, n > 0 ? IMPRINT_PICKER_STATE_READY : IMPRINT_PICKER_STATE_EMPTY);

  /* The list kept the choice by ID, a row clicked during the sort too: it is listed and
   * scrolled to. */
  if (selected_id != NULL)
    imprint_instance_picker_select_instance (self, selected_id);
}

static void
show_error (ImprintInstancePicker *self,
            const GError          *error)
{
  g_autofree char *details = tc_error_dup_details (error);
  g_autoptr(GListStore) empty = NULL;
  gboolean network = g_error_matches (error, TC_ERROR, TC_ERROR_NETWORK) ||
                     g_error_matches (error, TC_ERROR, TC_ERROR_TIMEOUT) ||
                     g_error_matches (error, TC_ERROR, TC_ERROR_TLS);

  /* The message may carry the server's own words: plain text, never markup. */
  gtk_label_set_text (self->error_label, error->message);
  gtk_label_set_text (self->banner_title, _("Could not refresh the list"));
  gtk_label_set_text (self->banner_label, error->message);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->banner_label), details);

  gtk_label_set_text (self->error_details_label, details != NULL ? details : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_details_label), details != NULL);
  adw_status_page_set_icon_name (self->error_page,
                                 network ? "network-error-symbolic" : "dialog-warning-symbolic");

  self->arriving = FALSE;

  /* A refresh that failed over a list already shown keeps it, with its ticks and the
   * selection: the user may have built them one search at a time, and the rows were
   * right a moment ago. What else is listed must be what was last loaded. */
  if (imprint_instance_list_get_n_all (self->list) == 0) {
    empty = g_list_store_new (TC_TYPE_INSTANCE);
    imprint_instance_list_set_instances (self->list, G_LIST_MODEL (empty));
  }
  set_state (self, IMPRINT_PICKER_STATE_ERROR);
}

static void
load_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Load) load = user_data;
  g_autoptr(GListModel) instances = NULL;
  g_autoptr(GError) error = NULL;
  ImprintInstancePicker *self;

  instances = tc_cvm_list_instances_finish (TC_CLIENT (object), result, &error);

  /* Cancelled: a newer load replaced this one, or the picker is gone. Never news. */
  if (g_cancellable_is_cancelled (load->cancellable) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = load->self;
  g_clear_object (&self->cancellable);

  if (instances == NULL) {
    show_error (self, error);
    return;
  }

  /* Instances launched or terminated during every listing the pager tried: what it got
   * has each instance once, but may miss some, and says so until the next load. */
  self->partial = !tc_cvm_list_is_whole (result);
  gtk_label_set_text (self->banner_title, _("The list may be incomplete"));
  gtk_label_set_text (self->banner_label,
                      _("Instances were launched or terminated while the list loaded."));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->banner_label), NULL);
  set_instances (self, instances);
}

/**
 * imprint_instance_picker_refresh:
 *
 * Lists the region's instances again, cancelling a load already in flight.
 */
void
imprint_instance_picker_refresh (ImprintInstancePicker *self)
{
  Load *load;

  g_return_if_fail (IMPRINT_IS_INSTANCE_PICKER (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  load = g_new0 (Load, 1);
  load->self = self;
  load->cancellable = g_object_ref (self->cancellable);

  /* A load still being sorted is not this one. */
  self->arriving = FALSE;
  self->partial = FALSE;
  set_progress (self, 0, 0);
  set_state (self, IMPRINT_PICKER_STATE_LOADING);

  tc_cvm_list_instances_async (self->client, self->region, load_progress_cb, load,
                               self->cancellable, load_done_cb, load);
}

/* Search */

static void
update_filter (ImprintInstancePicker *self)
{
  if (!imprint_instance_list_set_search (self->list,
                                         gtk_editable_get_text (GTK_EDITABLE (self->search_entry))))
    return;

  update_page (self);
  update_count (self);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH_TEXT]);
}

static void
search_changed_cb (ImprintInstancePicker *self)
{
  update_filter (self);
}

static void choose (ImprintInstancePicker *self,
                    TcInstance            *instance);
static void choose_ticked (ImprintInstancePicker *self);

static gboolean
choose_asked_cb (gpointer user_data)
{
  ImprintInstancePicker *self = user_data;
  g_autoptr(TcInstance) instance = g_steal_pointer (&self->asking);

  if (instance != NULL)
    choose (self, instance);
  else if (self->asking_ticked)
    choose_ticked (self);
  self->asking_ticked = FALSE;
  return G_SOURCE_REMOVE;
}

static void
shutdown_response_cb (AdwMessageDialog      *dialog,
                      const char            *response,
                      ImprintInstancePicker *self)
{
  if (g_strcmp0 (response, "shut-down") != 0) {
    g_clear_object (&self->asking);
    self->asking_ticked = FALSE;
    return;
  }
  imprint_instance_picker_set_force_poweroff (self, TRUE);
  /* Choosing closes the picker, which the dialog is transient for: only once the dialog,
   * which is still answering, has closed itself. */
  g_idle_add_full (G_PRIORITY_DEFAULT, choose_asked_cb, g_object_ref (self), g_object_unref);
}

/* A running instance is shut down to be imaged, and stays stopped: Tencent's own warning,
 * before anything is decided. */
static void
ask_shutdown (ImprintInstancePicker *self,
              TcInstance            *instance,
              guint                  n_running)
{
  AdwMessageDialog *dialog = imprint_shutdown_dialog_new (GTK_WINDOW (self), instance, n_running);

  g_set_object (&self->asking, instance);
  self->asking_ticked = instance == NULL;
  g_signal_connect_object (dialog, "response", G_CALLBACK (shutdown_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
choose (ImprintInstancePicker *self,
        TcInstance            *instance)
{
  if (self->chosen || !can_choose (self, instance)) {
    gtk_widget_error_bell (GTK_WIDGET (self));
    return;
  }

  if (tc_instance_get_state (instance) == TC_INSTANCE_STATE_RUNNING && !self->force_poweroff) {
    ask_shutdown (self, instance, 1);
    return;
  }

  self->chosen = TRUE;
  update_actions (self);

  g_object_ref (self);
  g_signal_emit (self, signals[INSTANCE_CHOSEN], 0, instance);
  gtk_window_close (GTK_WINDOW (self));
  g_object_unref (self);
}

/* The instances ticked, in the order they were, end the picker: the running ones are shut
 * down first, which the user is asked about once for all of them. */
static void
choose_ticked (ImprintInstancePicker *self)
{
  GPtrArray *ticked = imprint_instance_list_get_ticked (self->list);
  g_autoptr(GPtrArray) chosen = NULL;
  guint running = 0;

  if (self->chosen || ticked->len == 0) {
    gtk_widget_error_bell (GTK_WIDGET (self));
    return;
  }

  for (guint i = 0; i < ticked->len; i++)
    running += tc_instance_get_state (g_ptr_array_index (ticked, i)) == TC_INSTANCE_STATE_RUNNING;
  if (running > 0 && !self->force_poweroff) {
    ask_shutdown (self, NULL, running);
    return;
  }

  self->chosen = TRUE;
  update_actions (self);
  chosen = g_ptr_array_copy (ticked, (GCopyFunc) (void (*) (void)) g_object_ref, NULL);
  g_ptr_array_set_free_func (chosen, g_object_unref);

  g_object_ref (self);
  g_signal_emit (self, signals[INSTANCES_CHOSEN], 0, chosen);
  gtk_window_close (GTK_WINDOW (self));
  g_object_unref (self);
}

/* Choosing several, a row activated (or Enter in the search) is ticked or unticked. */
static void
toggle_tick (ImprintInstancePicker *self,
             TcInstance            *instance)
{
  gboolean ticked = imprint_instance_list_is_ticked (self->list, instance);

  if (imprint_instance_list_set_ticked (self->list, instance, !ticked) == ticked)
    gtk_widget_error_bell (GTK_WIDGET (self));
}

static void
search_activate_cb (ImprintInstancePicker *self)
{
  TcInstance *selected;
  TcInstance *only = NULL;

  /* Enter in the search entry takes the selected row, or the only row left; first the
   * filter catches up with what was typed within the entry's delay. */
  update_filter (self);
  selected = imprint_instance_picker_get_selected (self);
  if (imprint_instance_list_get_n_matches (self->list) == 1)
    only = imprint_instance_list_get_instance (self->list, 0);
  if (selected == NULL && only != NULL && can_choose (self, only))
    selected = only;

  if (selected == NULL)
    gtk_widget_error_bell (GTK_WIDGET (self));
  else if (self->several)
    toggle_tick (self, selected);
  else
    choose (self, selected);
}

static void
search_stop_cb (ImprintInstancePicker *self)
{
  /* Escape clears the search first, then closes. */
  if (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))[0] != '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  else
    gtk_window_close (GTK_WINDOW (self));
}

static gboolean
search_key_pressed_cb (GtkEventControllerKey *controller,
                       guint                  keyval,
                       guint                  keycode,
                       GdkModifierType        state,
                       ImprintInstancePicker *self)
{
  /* Down from the search moves into the list, as in a file chooser. */
  if ((keyval == GDK_KEY_Down || keyval == GDK_KEY_KP_Down) &&
      (state & (GDK_CONTROL_MASK | GDK_SHIFT_MASK | GDK_ALT_MASK)) == 0 &&
      imprint_instance_list_get_n_matches (self->list) > 0 &&
      g_str_equal (gtk_stack_get_visible_child_name (self->stack), "list"))
    return gtk_widget_child_focus (GTK_WIDGET (self->column_view), GTK_DIR_TAB_FORWARD);

  return FALSE;
}

/* End and Ctrl+End go to the last match, not the last of those listed so far: they are
 * all listed first, and the list view's own binding goes on to the last. */
static gboolean
list_end_cb (GtkWidget *widget,
             GVariant  *args,
             gpointer   data)
{
  ImprintInstancePicker *self = data;
  guint n = imprint_instance_list_get_n_matches (self->list);

  if (n > 0)
    imprint_instance_list_reach (self->list, n - 1);
  return FALSE;
}

static void
column_view_activate_cb (GtkColumnView         *view,
                         guint                  position,
                         ImprintInstancePicker *self)
{
  TcInstance *instance = imprint_instance_list_get_instance (self->list, position);

  if (instance != NULL && self->several)
    toggle_tick (self, instance);
  else if (instance != NULL)
    choose (self, instance);
}

static void
selection_changed_cb (ImprintInstancePicker *self)
{
  update_actions (self);
}

static void
imprint_instance_picker_size_allocate (GtkWidget *widget,
                                       int        width,
                                       int        height,
                                       int        baseline)
{
  ImprintInstancePicker *self = IMPRINT_INSTANCE_PICKER (widget);

  /* Decided before the children are allocated, so the columns fit in this same pass. */
  imprint_instance_columns_fit (self->columns, self->cell_context, width);

  GTK_WIDGET_CLASS (imprint_instance_picker_parent_class)->size_allocate (widget, width, height,
                                                                          baseline);
}

static void
imprint_instance_picker_map (GtkWidget *widget)
{
  ImprintInstancePicker *self = IMPRINT_INSTANCE_PICKER (widget);

  GTK_WIDGET_CLASS (imprint_instance_picker_parent_class)->map (widget);

  /* Search first: type-to-search works anywhere, but the entry is where the eye starts. */
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Actions */

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  imprint_instance_picker_refresh (IMPRINT_INSTANCE_PICKER (widget));
}

static void
choose_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ImprintInstancePicker *self = IMPRINT_INSTANCE_PICKER (widget);
  TcInstance *selected = imprint_instance_picker_get_selected (self);

  if (self->several)
    choose_ticked (self);
  else if (selected != NULL)
    choose (self, selected);
}

/* The region, under the title: a narrow header cut its name before the city ("华南地区…"),
 * the part that tells it from the others, so there the city alone. */
static void
show_region (ImprintInstancePicker *self)
{
  adw_window_title_set_subtitle (self->window_title,
                                 imprint_instance_cell_context_get_narrow (self->cell_context)
                                 ? tc_places_region_city (self->region)
                                 : tc_places_region_name (self->region));
}

/* GObject */

static void
imprint_instance_picker_constructed (GObject *object)
{
  ImprintInstancePicker *self = IMPRINT_INSTANCE_PICKER (object);
  GtkWidget *scrolled;

  G_OBJECT_CLASS (imprint_instance_picker_parent_class)->constructed (object);

  g_return_if_fail (TC_IS_CLIENT (self->client));

  /* The cells' words depend on the client's protocol, known only now. */
  self->cell_context = imprint_instance_cell_context_new (tc_client_get_protocol (self->client));
  /* Cells off screen catch up in the frames after a search's; a scroll may bring them on
   * screen. */
  imprint_instance_cell_context_set_pace (self->cell_context, GTK_WIDGET (self->column_view));
  scrolled = gtk_widget_get_ancestor (GTK_WIDGET (self->column_view), GTK_TYPE_SCROLLED_WINDOW);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled)),
                           "value-changed", G_CALLBACK (imprint_instance_cell_context_catch_up),
                           self->cell_context, G_CONNECT_SWAPPED);
  imprint_instance_columns_add (self->column_view, self->cell_context, self->columns);
  gtk_column_view_sort_by_column (self->column_view, self->columns[IMPRINT_INSTANCE_COLUMN_NAME],
                                  GTK_SORT_ASCENDING);

  show_region (self);
  g_signal_connect_object (self->cell_context, "notify::narrow", G_CALLBACK (show_region), self,
                           G_CONNECT_SWAPPED);
  /* Several at once is API 3.0's: a failed image is deleted before it is made again. */
  if (tc_client_get_protocol (self->client) != TC_PROTOCOL_API3) {
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "picker.several", FALSE);
    imprint_set_tooltip (GTK_WIDGET (self->several_button),
                         _("Imaging several instances at once needs an account that "
                           "uses API 3.0"));
  }
  imprint_instance_picker_refresh (self);
}

static void
imprint_instance_picker_dispose (GObject *object)
{
  ImprintInstancePicker *self = IMPRINT_INSTANCE_PICKER (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  /* The column view keeps the list a while longer, and its columns go one by one, each a
   * change of the view's sorter, after which the list would sort every instance again (a
   * 4 ms slice at once at 100,000) for a window that is closing: disposed now, it follows
   * the sorter no more and shows an empty list to whoever still holds its instances. */
  if (self->list != NULL) {
    g_signal_handlers_disconnect_by_data (self->list, self);
    g_object_run_dispose (G_OBJECT (self->list));
  }

  gtk_widget_dispose_template (GTK_WIDGET (self), IMPRINT_TYPE_INSTANCE_PICKER);

  g_clear_object (&self->tick_column);
  g_clear_object (&self->list);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (imprint_instance_picker_parent_class)->dispose (object);
}

static void
imprint_instance_picker_finalize (GObject *object)
{
  ImprintInstancePicker *self = IMPRINT_INSTANCE_PICKER (object);

  g_free (self->region);
  g_clear_object (&self->asking);
  g_clear_object (&self->cell_context);

  G_OBJECT_CLASS (imprint_instance_picker_parent_class)->finalize (object);
}

static void
imprint_instance_picker_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  ImprintInstancePicker *self = IMPRINT_INSTANCE_PICKER (object);

  switch (prop_id) {
  case PROP_CLIENT:
    g_value_set_object (value, self->client);
    break;

  case PROP_REGION:
    g_value_set_string (value, self->region);
    break;

  case PROP_FORCE_POWEROFF:
    g_value_set_boolean (value, self->force_poweroff);
    break;

  case PROP_STATE:
    g_value_set_enum (value, self->state);
    break;

  case PROP_PROGRESS:
    g_value_set_double (value, self->progress);
    break;

  case PROP_SEARCH_TEXT:
    g_value_set_string (value, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
    break;

  case PROP_SEVERAL:
    g_value_set_boolean (value, self->several);
    break;

  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
imprint_instance_picker_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  ImprintInstancePicker *self = IMPRINT_INSTANCE_PICKER (object);

  switch (prop_id) {
  case PROP_CLIENT:
    self->client = g_value_dup_object (value);
    break;

  case PROP_REGION:
    self->region = g_value_dup_string (value);
    break;

  case PROP_FORCE_POWEROFF:
    imprint_instance_picker_set_force_poweroff (self, g_value_get_boolean (value));
    break;

  case PROP_SEARCH_TEXT:
    imprint_instance_picker_set_search_text (self, g_value_get_string (value));
    break;

  case PROP_SEVERAL:
    imprint_instance_picker_set_several (self, g_value_get_boolean (value));
    break;

  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
imprint_instance_picker_class_init (ImprintInstancePickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = imprint_instance_picker_constructed;
  object_class->dispose = imprint_instance_picker_dispose;
  object_class->finalize = imprint_instance_picker_finalize;
  object_class->get_property = imprint_instance_picker_get_property;
  object_class->set_property = imprint_instance_picker_set_property;

  widget_class->size_allocate = imprint_instance_picker_size_allocate;
  widget_class->map = imprint_instance_picker_map;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, TC_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REGION] =
    g_param_spec_string ("region", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FORCE_POWEROFF] =
    g_param_spec_boolean ("force-poweroff", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, IMPRINT_TYPE_PICKER_STATE,
                       IMPRINT_PICKER_STATE_LOADING,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEARCH_TEXT] =
    g_param_spec_string ("search-text", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Whether the rows have check boxes, to choose several instances at once (API 3.0). */
  properties[PROP_SEVERAL] =
    g_param_spec_boolean ("several", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ImprintInstancePicker::instance-chosen:
   * @instance: the instance the user chose; it can be imaged under the picker's rules
   *
   * Emitted once, just before the picker closes.
   */
  signals[INSTANCE_CHOSEN] =
    g_signal_new ("instance-chosen",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, TC_TYPE_INSTANCE);

  /**
   * ImprintInstancePicker::instances-chosen:
   * @instances: (element-type TcInstance): the instances ticked, in the order they were
   *
   * Emitted once, just before the picker closes, when choosing several.
   */
  signals[INSTANCES_CHOSEN] =
    g_signal_new ("instances-chosen",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_PTR_ARRAY);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/imprint/Imprint/imprint-instance-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, ImprintInstancePicker, window_title);
  gtk_widget_class_bind_template_child (widget_class, ImprintInstancePicker, search_entry);
  gtk_widget_class_bind_template_child (widget_class, ImprintInstancePicker, count_label);
  gtk_widget_class_bind_template_child (widget_class, ImprintInstancePicker, stack);
  gtk_widget_class_bind_template_child (widget_class, ImprintInstancePicker, loading_progress);
  gtk_widget_class_bind_template_child (widget_class, ImprintInstancePicker, refresh_progress);
  gtk_widget_class_bind_template_child (widget_class, ImprintInstancePicker, error_banner);
  gtk_widget_class_bind_template_child (widget_class, ImprintInstancePicker, banner_title);
  gtk_widget_class_bind_template_child (widget_class, ImprintInstancePicker, banner_label);
  gtk_widget_class_bind_template_child (widget_class, ImprintInstancePicker, column_view);
  gtk_widget_class_bind_template_child (widget_class, ImprintInstancePicker, error_page);
  gtk_widget_class_bind_template_child (widget_class, ImprintInstancePicker, error_label);
  gtk_widget_class_bind_template_child (widget_class, ImprintInstancePicker, error_details_label);
  gtk_widget_class_bind_template_child (widget_class, ImprintInstancePicker, select_button);
  gtk_widget_class_bind_template_child (widget_class, ImprintInstancePicker, several_button);
  gtk_widget_class_bind_template_child (widget_class, ImprintInstancePicker, several_bar);
  gtk_widget_class_bind_template_child (widget_class, ImprintInstancePicker, ticked_label);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_stop_cb);
  gtk_widget_class_bind_template_callback (widget_class, column_view_activate_cb);

  gtk_widget_class_install_action (widget_class, "picker.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "picker.choose", NULL, choose_action);
  gtk_widget_class_install_property_action (widget_class, "picker.several", "several");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "picker.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "picker.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static const guint end_keys[] = { GDK_KEY_End, GDK_KEY_KP_End };

static void
imprint_instance_picker_init (ImprintInstancePicker *self)
{
  GtkEventController *keys;
  GtkWidget *scrolled;

  self->state = IMPRINT_PICKER_STATE_LOADING;

  gtk_widget_init_template (GTK_WIDGET (self));
  imprint_a11y_name_buttons (GTK_WIDGET (self));

  if (DEVELOPMENT)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  self->list = imprint_instance_list_new (gtk_column_view_get_sorter (self->column_view),
                                          selectable_cb, self);
  /* A part of what matches at a time, more as the view is scrolled: GTK 4.8 would bind 200
   * rows at every keystroke. */
  scrolled = gtk_widget_get_ancestor (GTK_WIDGET (self->column_view), GTK_TYPE_SCROLLED_WINDOW);
  imprint_instance_list_set_adjustment (self->list,
                                        gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled)));
  g_signal_connect_swapped (self->list, "notify::sorting", G_CALLBACK (sorting_cb), self);
  g_signal_connect_swapped (self->list, "selection-changed",
                            G_CALLBACK (selection_changed_cb), self);
  g_signal_connect_swapped (self->list, "items-changed",
                            G_CALLBACK (selection_changed_cb), self);
  g_signal_connect_swapped (self->list, "ticks-changed", G_CALLBACK (ticks_changed_cb), self);
  ticks_changed_cb (self);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->list));

  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (search_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->search_entry), keys);

  /* Before the list view's bindings, on the way down to its focused row. */
  keys = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (end_keys); i++) {
    for (guint mods = 0; mods < 4; mods++) {
      GdkModifierType state = (mods & 1 ? GDK_CONTROL_MASK : 0) | (mods & 2 ? GDK_SHIFT_MASK : 0);

      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                            gtk_shortcut_new (gtk_keyval_trigger_new (end_keys[i], state),
                                                              gtk_callback_action_new (list_end_cb, self, NULL)));
    }
  }
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), keys);

  update_actions (self);
}

/* Public API */



gboolean
imprint_instance_picker_get_force_poweroff (ImprintInstancePicker *self)
{
  g_return_val_if_fail (IMPRINT_IS_INSTANCE_PICKER (self), FALSE);

  return self->force_poweroff;
}

/**
 * imprint_instance_picker_set_force_poweroff:
 *
 * Whether a running instance is to be shut down to be imaged: set when the user agrees in
 * the picker, and read by the form once an instance is chosen.
 */
void
imprint_instance_picker_set_force_poweroff (ImprintInstancePicker *self,
                                            gboolean               force_poweroff)
{
  g_return_if_fail (IMPRINT_IS_INSTANCE_PICKER (self));

  force_poweroff = !!force_poweroff;
  if (self->force_poweroff == force_poweroff)
    return;
  self->force_poweroff = force_poweroff;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FORCE_POWEROFF]);
}

ImprintPickerState
imprint_instance_picker_get_state (ImprintInstancePicker *self)
{
  g_return_val_if_fail (IMPRINT_IS_INSTANCE_PICKER (self), IMPRINT_PICKER_STATE_LOADING);

  return self->state;
}

/**
 * imprint_instance_picker_get_progress:
 *
 * Returns: the share of the region's instances loaded so far, from 0 to 1
 */
double
imprint_instance_picker_get_progress (ImprintInstancePicker *self)
{
  g_return_val_if_fail (IMPRINT_IS_INSTANCE_PICKER (self), 0.0);

  return self->progress;
}

/**
 * imprint_instance_picker_get_model:
 *
 * Returns: (transfer none): the instances as listed: searched and sorted, a #GListModel of
 *   #TcInstance
 */
GListModel *
imprint_instance_picker_get_model (ImprintInstancePicker *self)
{
  g_return_val_if_fail (IMPRINT_IS_INSTANCE_PICKER (self), NULL);

  return imprint_instance_list_get_instances (self->list);
}


/**
 * imprint_instance_picker_set_search_text:
 * @text: (nullable): what to search for in names, IDs and private IP addresses
 *
 * Fills the search entry and filters at once, without the entry's typing delay.
 */
void
imprint_instance_picker_set_search_text (ImprintInstancePicker *self,
                                         const char            *text)
{
  g_return_if_fail (IMPRINT_IS_INSTANCE_PICKER (self));

  if (text == NULL)
    text = "";

  if (!g_str_equal (text, gtk_editable_get_text (GTK_EDITABLE (self->search_entry))))
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  update_filter (self);
}

/**
 * imprint_instance_picker_get_selected:
 *
 * Returns: (transfer none) (nullable): the selected instance; only one that can be imaged
 *   is ever selected
 */
TcInstance *
imprint_instance_picker_get_selected (ImprintInstancePicker *self)
{
  g_return_val_if_fail (IMPRINT_IS_INSTANCE_PICKER (self), NULL);

  return self->list != NULL ? imprint_instance_list_get_selected (self->list) : NULL;
}

static void
scroll_to (ImprintInstancePicker *self,
           guint                  position)
{
  /* GTK 4.8 has no gtk_column_view_scroll_to(): the column view's list has the documented
   * "list.scroll-to-item" action. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child)) {
    if (GTK_IS_LIST_VIEW (child)) {
      gtk_widget_activate_action (child, "list.scroll-to-item", "u", position);
      return;
    }
  }
}

/**
 * imprint_instance_picker_select_instance:
 * @instance_id: the ID of an instance in the list
 *
 * Selects the instance and scrolls to it, when it is listed (not hidden by the search) and
 * can be imaged.
 *
 * Returns: whether it is now selected
 */
gboolean
imprint_instance_picker_select_instance (ImprintInstancePicker *self,
                                         const char            *instance_id)
{
  TcInstance *instance;
  guint position;

  g_return_val_if_fail (IMPRINT_IS_INSTANCE_PICKER (self), FALSE);
  g_return_val_if_fail (instance_id != NULL, FALSE);

  position = imprint_instance_list_find (self->list, instance_id);
  if (position == GTK_INVALID_LIST_POSITION)
    return FALSE;
  instance = imprint_instance_list_get_instance (self->list, position);
  if (!imprint_instance_list_can_select (self->list, instance))
    return FALSE;

  /* Beyond the part listed, it is listed first, with a part after it to scroll to. */
  imprint_instance_list_reach (self->list, position);
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->list), position, TRUE);
  scroll_to (self, position);
  return TRUE;
}

/**
 * imprint_instance_picker_set_several:
 * @several: whether to choose several instances at once
 *
 * Gives the rows check boxes, and the picker ends with
 * #ImprintInstancePicker::instances-chosen instead of ::instance-chosen. What was ticked
 * stays ticked when the boxes go and come back.
 */
void
imprint_instance_picker_set_several (ImprintInstancePicker *self,
                                     gboolean               several)
{
  g_return_if_fail (IMPRINT_IS_INSTANCE_PICKER (self));

  several = !!several;
  if (self->several == several)
    return;
  if (several && self->client != NULL && tc_client_get_protocol (self->client) != TC_PROTOCOL_API3)
    return;
  self->several = several;

  if (several) {
    self->tick_column = imprint_instance_tick_column_new (self->list);
    gtk_column_view_insert_column (self->column_view, 0, self->tick_column);
  } else if (self->tick_column != NULL) {
    gtk_column_view_remove_column (self->column_view, self->tick_column);
    g_clear_object (&self->tick_column);
  }
  gtk_action_bar_set_revealed (self->several_bar, several);
  gtk_button_set_label (self->select_button, several ? _("C_ontinue") : _("_Select"));
  imprint_a11y_name_button (GTK_WIDGET (self->select_button));
  adw_window_title_set_title (self->window_title,
                              several ? _("Choose Instances") : _("Choose an Instance"));
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEVERAL]);
}

/**
 * imprint_instance_picker_get_ticked:
 *
 * Returns: (transfer none) (element-type TcInstance): the instances ticked so far
 */
GPtrArray *
imprint_instance_picker_get_ticked (ImprintInstancePicker *self)
{
  g_return_val_if_fail (IMPRINT_IS_INSTANCE_PICKER (self), NULL);

  return imprint_instance_list_get_ticked (self->list);
}

/* Ticks or unticks the instance called @instance_id, when it is listed; for the tests. */
gboolean
imprint_instance_picker_set_ticked (ImprintInstancePicker *self,
                                    const char            *instance_id,
                                    gboolean               ticked)
{
  guint position;

  g_return_val_if_fail (IMPRINT_IS_INSTANCE_PICKER (self), FALSE);

  position = imprint_instance_list_find (self->list, instance_id);
  if (position == GTK_INVALID_LIST_POSITION)
    return FALSE;
  /* Listed, so that its box shows the tick. */
  imprint_instance_list_reach (self->list, position);
  return imprint_instance_list_set_ticked (self->list,
                                           imprint_instance_list_get_instance (self->list, position),
                                           ticked) == ticked;
}
