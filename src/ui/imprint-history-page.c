/* imprint-history-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GtkListView over the history, which searches itself (tc_history_set_search()): the
 * view only reads the rows it shows. The history says items-changed for every change, so
 * the list follows by itself; each row (ImprintHistoryRow) follows its own entry, and the
 * details (ImprintHistoryDetails) too.
 * This page owns what acts on the history: the search, Remove and Clear History.
 *
 * A row shows what the user made: the image, its instance, region and account (by the
 * account's name now), the outcome, and the ImageId once there is one; RequestIds, error
 * codes and the server's own words are in the details. The search folds case and width
 * the way the history does (tc_history_set_search()), so "广州" or "WEB" find what they
 * should.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "imprint-a11y.h"
#include "imprint-history-details.h"
#include "imprint-history-page.h"
#include "imprint-history-row.h"
#include "imprint-list-pager.h"
#include "imprint-list-places.h"

#define TIME_REFRESH_SECONDS 60

struct _ImprintHistoryPage
{
  GtkWidget           parent_instance;

  TcHistory          *history;
  TcAccountStore     *store;         /* nullable: account names as recorded */
  ImprintListPager   *pager;         /* the part of the history the view lists */
  ImprintListPlaces  *places;        /* its places, which the rows are bound to */
  char               *needle;        /* the search, folded; NULL when empty */
  GHashTable         *bound;         /* the rows showing an entry */
  guint               refresh_id;
  GtkWindow          *details;       /* weak */

  GtkWidget          *box;
  GtkWidget          *search_box;
  GtkSearchEntry     *search_entry;
  GtkButton          *clear_button;
  GtkStack           *stack;
  GtkScrolledWindow  *scroller;
  GtkListView        *list_view;
};

G_DEFINE_FINAL_TYPE (ImprintHistoryPage, imprint_history_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_HISTORY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_USE_AS_TEMPLATE,
  SIGNAL_COPY_TO_REGIONS,
  SIGNAL_TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Helpers */

char *
imprint_history_format_relative_time (GDateTime *time,
                                      GDateTime *now)
{
  GTimeSpan span = g_date_time_difference (now, time);
  gint64 minutes = span / G_TIME_SPAN_MINUTE;
  gint64 hours = span / G_TIME_SPAN_HOUR;
  gint64 days = span / G_TIME_SPAN_DAY;

  if (minutes < 1)
    return g_strdup (_("Just now"));
  if (hours < 1)
    return g_strdup_printf (ngettext ("%d minute ago", "%d minutes ago", (gulong) minutes), (int) minutes);
  if (days < 1)
    return g_strdup_printf (ngettext ("%d hour ago", "%d hours ago", (gulong) hours), (int) hours);
  if (days < 30)
    return g_strdup_printf (ngettext ("%d day ago", "%d days ago", (gulong) days), (int) days);
  /* Translators: a date for an old history entry; see g_date_time_format(). */
  return g_date_time_format (time, _("%-d %B %Y"));
}

/* Rows: an ImprintHistoryRow per place in the list (ImprintListPlaces), which follows the
 * entry at its place, and the entry itself. */

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          ImprintHistoryPage       *self)
{
  gtk_list_item_set_child (item, GTK_WIDGET (imprint_history_row_new ()));
}

/* The entry at the row's place changed (a search, an entry added above). */
static void
place_item_cb (ImprintListPlace  *place,
               GParamSpec        *pspec,
               ImprintHistoryRow *row)
{
  GtkWidget *self = gtk_widget_get_ancestor (GTK_WIDGET (row), IMPRINT_TYPE_HISTORY_PAGE);

  imprint_history_row_set_entry (row, imprint_list_place_get_item (place),
                                 self ? IMPRINT_HISTORY_PAGE (self)->store : NULL);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         ImprintHistoryPage       *self)
{
  ImprintHistoryRow *row = IMPRINT_HISTORY_ROW (gtk_list_item_get_child (item));
  ImprintListPlace *place = gtk_list_item_get_item (item);

  g_signal_connect (place, "notify::item", G_CALLBACK (place_item_cb), row);
  imprint_history_row_set_entry (row, imprint_list_place_get_item (place), self->store);
  g_hash_table_add (self->bound, row);
}

/* GTK 4.8 tears a bound row down without unbinding it first. */
static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           ImprintHistoryPage       *self)
{
  GtkWidget *row = gtk_list_item_get_child (item);
  ImprintListPlace *place = gtk_list_item_get_item (item);

  if (row == NULL)
    return;
  if (place != NULL)
    g_signal_handlers_disconnect_by_func (place, place_item_cb, row);
  imprint_history_row_set_entry (IMPRINT_HISTORY_ROW (row), NULL, NULL);
  g_hash_table_remove (self->bound, row);
}

/* Relative times move on once a minute. */
static gboolean
refresh_times_cb (gpointer user_data)
{
  ImprintHistoryPage *self = user_data;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GHashTableIter iter;
  gpointer row;

  g_hash_table_iter_init (&iter, self->bound);
  while (g_hash_table_iter_next (&iter, &row, NULL))
    imprint_history_row_update_time (row, now);
  return G_SOURCE_CONTINUE;
}

/* What shows: the list, the empty state or "no results". */

static void
update_view (ImprintHistoryPage *self)
{
  guint total = self->history ? tc_history_get_n_entries (self->history) : 0;
  guint shown = g_list_model_get_n_items (imprint_list_pager_get_shown (self->pager));
  const char *view = total == 0 ? "empty" : shown == 0 ? "no-results" : "list";

  gtk_stack_set_visible_child_name (self->stack, view);
  /* Nothing to search or clear in an empty history. */
  gtk_widget_set_visible (self->search_box, total > 0 || self->needle != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history-page.clear", total > 0);
}

/* The search runs in the store: the view never reads every entry. */
static void
apply_search (ImprintHistoryPage *self,
              const char         *text)
{
  g_autofree char *needle = tc_history_fold_search (text);

  if (g_strcmp0 (needle, self->needle) == 0)
    return;
  g_free (self->needle);
  self->needle = g_steal_pointer (&needle);
  /* The search's first matches, not the rows the last one had listed. */
  imprint_list_pager_reset (self->pager);
  if (self->history != NULL)
    tc_history_set_search (self->history, text);
  update_view (self);
}

static void
search_changed_cb (ImprintHistoryPage *self)
{
  apply_search (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
stop_search_cb (ImprintHistoryPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  apply_search (self, NULL);
}

/* Details */

static void
details_use_as_template_cb (ImprintHistoryPage *self,
                            TcHistoryEntry     *entry)
{
  g_signal_emit (self, signals[SIGNAL_USE_AS_TEMPLATE], 0, entry);
}

static void
details_copy_to_regions_cb (ImprintHistoryPage *self,
                            TcHistoryEntry     *entry)
{
  g_signal_emit (self, signals[SIGNAL_COPY_TO_REGIONS], 0, entry);
}

static void
removed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The entry is gone from the list at once; a failed write is the history's "problem". */
  if (!tc_history_write_finish (TC_HISTORY (object), result, &error))
    g_debug ("Could not remove a history entry: %s", error->message);
}

static void
details_remove_cb (ImprintHistoryPage *self,
                   TcHistoryEntry     *entry)
{
  if (self->history != NULL && tc_history_find_by_id (self->history, tc_history_entry_get_record (entry)->id) != NULL)
    tc_history_remove_async (self->history, entry, NULL, removed_cb, NULL);
}

GtkWindow *
imprint_history_page_show_details (ImprintHistoryPage *self,
                                   TcHistoryEntry     *entry)
{
  GtkRoot *root;
  ImprintHistoryDetails *details;

  g_return_val_if_fail (IMPRINT_IS_HISTORY_PAGE (self), NULL);
  g_return_val_if_fail (TC_IS_HISTORY_ENTRY (entry), NULL);

  if (self->details != NULL)
    gtk_window_destroy (self->details);

  root = gtk_widget_get_root (GTK_WIDGET (self));
  details = imprint_history_details_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, entry, self->store);
  g_signal_connect_object (details, "use-as-template", G_CALLBACK (details_use_as_template_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (details, "copy-to-regions", G_CALLBACK (details_copy_to_regions_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (details, "remove", G_CALLBACK (details_remove_cb), self, G_CONNECT_SWAPPED);
  g_set_weak_pointer (&self->details, GTK_WINDOW (details));
  imprint_a11y_name_buttons (GTK_WIDGET (details));
  gtk_window_present (GTK_WINDOW (details));
  return GTK_WINDOW (details);
}

GtkWindow *
imprint_history_page_get_details (ImprintHistoryPage *self)
{
  g_return_val_if_fail (IMPRINT_IS_HISTORY_PAGE (self), NULL);

  return self->details;
}

static void
row_activated_cb (ImprintHistoryPage *self,
                  guint               position)
{
  g_autoptr(ImprintListPlace) place = g_list_model_get_item (G_LIST_MODEL (self->places), position);
  TcHistoryEntry *entry = place ? imprint_list_place_get_item (place) : NULL;

  if (entry != NULL)
    imprint_history_page_show_details (self, entry);
}

/* Clear History */

static void
cleared_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!tc_history_write_finish (TC_HISTORY (object), result, &error))
    g_debug ("Could not clear the history: %s", error->message);
}

static void
clear_response_cb (AdwMessageDialog   *dialog,
                   const char         *response,
                   ImprintHistoryPage *self)
{
  if (g_str_equal (response, "clear") && self->history != NULL) {
    if (self->details != NULL)
      gtk_window_destroy (self->details);
    tc_history_clear_async (self->history, NULL, cleared_cb, NULL);
  }
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  ImprintHistoryPage *self = IMPRINT_HISTORY_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  guint n = self->history ? tc_history_get_n_entries (self->history) : 0;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (n == 0)
    return;

  body = g_strdup_printf (ngettext ("The %u entry in the history is removed. Images in Tencent "
                                    "Cloud are not affected.",
                                    "All %u entries in the history are removed. Images in "
                                    "Tencent Cloud are not affected.", n), n);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Clear History?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "clear", _("C_lear History"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "clear",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (clear_response_cb), self, 0);
  imprint_a11y_name_buttons (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  imprint_history_page_focus_search (IMPRINT_HISTORY_PAGE (widget));
}

/* Public API */

ImprintHistoryPage *
imprint_history_page_new (TcHistory *history)
{
  return g_object_new (IMPRINT_TYPE_HISTORY_PAGE, "history", history, NULL);
}

TcHistory *
imprint_history_page_get_history (ImprintHistoryPage *self)
{
  g_return_val_if_fail (IMPRINT_IS_HISTORY_PAGE (self), NULL);

  return self->history;
}

static void
history_items_changed_cb (ImprintHistoryPage *self)
{
  update_view (self);
}

void
imprint_history_page_set_history (ImprintHistoryPage *self,
                                  TcHistory          *history)
{
  g_return_if_fail (IMPRINT_IS_HISTORY_PAGE (self));
  g_return_if_fail (history == NULL || TC_IS_HISTORY (history));

  if (self->history == history)
    return;

  if (self->history != NULL)
    g_signal_handlers_disconnect_by_func (self->history, history_items_changed_cb, self);
  if (self->history != NULL)
    tc_history_set_search (self->history, NULL);
  g_set_object (&self->history, history);
  /* The rows show the accounts' names now (imprint_history_account_name()): so does the
   * search find them. */
  if (history != NULL)
    tc_history_set_account_store (history, self->store);
  if (history != NULL)
    tc_history_set_search (history, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  /* The count too: a clear or an add the search does not list changes no item shown, but
   * whether the view is empty or has no results, and whether Clear has anything to do. */
  if (history != NULL) {
    g_signal_connect_object (history, "items-changed", G_CALLBACK (history_items_changed_cb), self,
                             G_CONNECT_SWAPPED | G_CONNECT_AFTER);
    g_signal_connect_object (history, "notify::n-entries", G_CALLBACK (history_items_changed_cb),
                             self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  }
  imprint_list_pager_set_model (self->pager, G_LIST_MODEL (history));
  update_view (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HISTORY]);
}

void
imprint_history_page_set_account_store (ImprintHistoryPage *self,
                                        TcAccountStore     *store)
{
  g_return_if_fail (IMPRINT_IS_HISTORY_PAGE (self));
  g_return_if_fail (store == NULL || TC_IS_ACCOUNT_STORE (store));

  g_set_object (&self->store, store);
  if (self->history != NULL)
    tc_history_set_account_store (self->history, store);
}

const char *
imprint_history_page_get_search_text (ImprintHistoryPage *self)
{
  g_return_val_if_fail (IMPRINT_IS_HISTORY_PAGE (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
}

void
imprint_history_page_set_search_text (ImprintHistoryPage *self,
                                      const char         *text)
{
  g_return_if_fail (IMPRINT_IS_HISTORY_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
  apply_search (self, text);
}

void
imprint_history_page_focus_search (ImprintHistoryPage *self)
{
  g_return_if_fail (IMPRINT_IS_HISTORY_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/**
 * imprint_history_page_get_shown:
 *
 * Returns: (transfer none): the entries the view lists now, newest first: the first of
 *   those the search finds, and more as it is scrolled down (ImprintListPager)
 */
GListModel *
imprint_history_page_get_shown (ImprintHistoryPage *self)
{
  g_return_val_if_fail (IMPRINT_IS_HISTORY_PAGE (self), NULL);

  return imprint_list_pager_get_shown (self->pager);
}

const char *
imprint_history_page_get_view (ImprintHistoryPage *self)
{
  g_return_val_if_fail (IMPRINT_IS_HISTORY_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

/* GObject */

static void
imprint_history_page_dispose (GObject *object)
{
  ImprintHistoryPage *self = IMPRINT_HISTORY_PAGE (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->details != NULL)
    gtk_window_destroy (self->details);
  g_clear_weak_pointer (&self->details);
  if (self->history != NULL) {
    g_signal_handlers_disconnect_by_func (self->history, history_items_changed_cb, self);
    imprint_list_pager_set_model (self->pager, NULL);
    /* The search was this view's: the history lists everything again. */
    tc_history_set_search (self->history, NULL);
  }

  gtk_widget_dispose_template (GTK_WIDGET (self), IMPRINT_TYPE_HISTORY_PAGE);
  g_clear_object (&self->places);
  g_clear_object (&self->pager);
  g_clear_object (&self->history);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (imprint_history_page_parent_class)->dispose (object);
}

static void
imprint_history_page_finalize (GObject *object)
{
  ImprintHistoryPage *self = IMPRINT_HISTORY_PAGE (object);

  g_hash_table_unref (self->bound);
  g_free (self->needle);

  G_OBJECT_CLASS (imprint_history_page_parent_class)->finalize (object);
}

static void
imprint_history_page_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  ImprintHistoryPage *self = IMPRINT_HISTORY_PAGE (object);

  switch (prop_id) {
  case PROP_HISTORY:
    g_value_set_object (value, self->history);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
imprint_history_page_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  ImprintHistoryPage *self = IMPRINT_HISTORY_PAGE (object);

  switch (prop_id) {
  case PROP_HISTORY:
    imprint_history_page_set_history (self, g_value_get_object (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
imprint_history_page_class_init (ImprintHistoryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = imprint_history_page_dispose;
  object_class->finalize = imprint_history_page_finalize;
  object_class->get_property = imprint_history_page_get_property;
  object_class->set_property = imprint_history_page_set_property;

  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL, TC_TYPE_HISTORY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_USE_AS_TEMPLATE] =
    g_signal_new ("use-as-template",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, TC_TYPE_HISTORY_ENTRY);
  signals[SIGNAL_COPY_TO_REGIONS] =
    g_signal_new ("copy-to-regions",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, TC_TYPE_HISTORY_ENTRY);
  signals[SIGNAL_TOAST] =
    g_signal_new ("toast",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/imprint/Imprint/imprint-history-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "imprinthistorypage");

  gtk_widget_class_bind_template_child (widget_class, ImprintHistoryPage, box);
  gtk_widget_class_bind_template_child (widget_class, ImprintHistoryPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, ImprintHistoryPage, search_box);
  gtk_widget_class_bind_template_child (widget_class, ImprintHistoryPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, ImprintHistoryPage, clear_button);
  gtk_widget_class_bind_template_child (widget_class, ImprintHistoryPage, stack);
  gtk_widget_class_bind_template_child (widget_class, ImprintHistoryPage, list_view);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_action (widget_class, "history-page.clear", NULL, clear_action);
  gtk_widget_class_install_action (widget_class, "history-page.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "history-page.search", NULL);
}

static void
imprint_history_page_init (ImprintHistoryPage *self)
{
  GtkListItemFactory *factory;
  g_autoptr(GtkNoSelection) selection = NULL;

  self->bound = g_hash_table_new (NULL, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  imprint_a11y_name_buttons (GTK_WIDGET (self));

  /* The history searches itself (tc_history_set_search()); the view lists its first
   * matches, and more as it is scrolled (GTK 4.8 would bind 200 rows at every change).
   * The pager also lets the view keep one model while the history changes (the demo's,
   * the user's). */
  self->pager = imprint_list_pager_new (NULL);
  imprint_list_pager_set_adjustment (self->pager, gtk_scrolled_window_get_vadjustment (self->scroller));
  g_signal_connect_object (imprint_list_pager_get_shown (self->pager), "items-changed",
                           G_CALLBACK (update_view), self, G_CONNECT_SWAPPED);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), self);
  g_signal_connect (factory, "teardown", G_CALLBACK (unbind_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);

  self->places = imprint_list_places_new (imprint_list_pager_get_shown (self->pager));
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->places)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("History"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->clear_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Clear History…"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search History"), -1);

  self->refresh_id = g_timeout_add_seconds (TIME_REFRESH_SECONDS, refresh_times_cb, self);
  update_view (self);
}
