/* imprint-history-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GtkListView over the history, which is paged from its database and searches there
 * (tc_history_set_search()): the view only reads the rows it shows. The history says items-changed for every change, so rows
 * follow by themselves; rows also listen to their entry's notify, so a row on screen
 * changes the moment the tracker updates it. Every text that came from a server, or from
 * the user, is set with gtk_label_set_text(): plain text, never markup.
 *
 * A row shows what the user made: the image, its instance, region and account (by the
 * account's name now), the outcome, and the ImageId once there is one; RequestIds, error
 * codes and the server's own words are in the details. The search folds case and width
 * the way the entries do (tc_history_entry_matches()), so "广州" or "WEB" find what they
 * should.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "imprint-a11y.h"
#include "imprint-history-page.h"
#include "tc-error.h"

#define TIME_REFRESH_SECONDS 60

struct _ImprintHistoryPage
{
  GtkWidget           parent_instance;

  TcHistory          *history;
  TcAccountStore     *store;         /* nullable: account names as recorded */
  GtkFilterListModel *filtered;
  char               *needle;        /* the search, folded; NULL when empty */
  GHashTable         *bound;         /* GtkListItem (bound) → the row */
  guint               refresh_id;
  GtkWindow          *details;       /* weak */

  GtkWidget          *box;
  GtkWidget          *search_box;
  GtkSearchEntry     *search_entry;
  GtkButton          *clear_button;
  GtkStack           *stack;
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
  SIGNAL_TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Helpers */

static const char *
outcome_css_class (TcHistoryOutcome outcome)
{
  switch (outcome) {
  case TC_HISTORY_OUTCOME_DRY_RUN_PASSED:
  case TC_HISTORY_OUTCOME_READY:
    return "success";
  case TC_HISTORY_OUTCOME_CREATING:
    return "accent";
  case TC_HISTORY_OUTCOME_DRY_RUN_FAILED:
  case TC_HISTORY_OUTCOME_REQUEST_FAILED:
  case TC_HISTORY_OUTCOME_FAILED:
  default:
    return "error";
  }
}

static void
set_badge (GtkWidget        *badge,
           TcHistoryOutcome  outcome)
{
  const char *classes[] = { "state-badge", outcome_css_class (outcome), NULL };

  gtk_label_set_text (GTK_LABEL (badge), tc_history_outcome_describe (outcome));
  gtk_widget_set_css_classes (badge, classes);
}

/* The account's name now, when it still exists; else the name it had. */
static const char *
account_name (ImprintHistoryPage *self,
              TcHistoryEntry     *entry)
{
  const char *id = tc_history_entry_get_account_id (entry);
  TcAccount *account = self->store != NULL && id != NULL
                       ? tc_account_store_find_by_id (self->store, id) : NULL;

  return account != NULL ? tc_account_get_name (account) : tc_history_entry_get_account_name (entry);
}

/* "web-01 (ins-abc)" or whichever half is known. */
static char *
describe_instance (TcHistoryEntry *entry)
{
  const char *name = tc_history_entry_get_instance_name (entry);
  const char *id = tc_history_entry_get_instance_id (entry);

  if (name != NULL && *name != '\0' && id != NULL)
    return g_strdup_printf ("%s (%s)", name, id);
  return g_strdup (name != NULL && *name != '\0' ? name : id ? id : "");
}

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

static char *
format_exact_time (GDateTime *time)
{
  /* Translators: the exact time of a request; see g_date_time_format(). */
  return g_date_time_format (time, _("%A, %-d %B %Y, %H:%M:%S"));
}

/* Rows */

typedef struct {
  GtkWidget *title;
  ImprintHistoryPage *page;
  GtkWidget *subtitle;
  GtkWidget *ids;
  GtkWidget *time;
  GtkWidget *spinner;
  GtkWidget *badge;
} Row;

static void
row_update_time (GtkWidget      *widget,
                 TcHistoryEntry *entry,
                 GDateTime      *now)
{
  Row *row = g_object_get_data (G_OBJECT (widget), "row");
  g_autofree char *relative = imprint_history_format_relative_time (tc_history_entry_get_created (entry), now);
  g_autofree char *exact = format_exact_time (tc_history_entry_get_created (entry));

  gtk_label_set_text (GTK_LABEL (row->time), relative);
  gtk_widget_set_tooltip_text (row->time, exact);
}

static void
row_fill (GtkWidget      *widget,
          TcHistoryEntry *entry)
{
  Row *row = g_object_get_data (G_OBJECT (widget), "row");
  TcHistoryOutcome outcome = tc_history_entry_get_outcome (entry);
  g_autofree char *instance = describe_instance (entry);
  g_autofree char *subtitle = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  const char *image_id = tc_history_entry_get_image_id (entry);
  const char *account = account_name (row->page, entry);

  gtk_label_set_text (GTK_LABEL (row->title), tc_history_entry_get_image_name (entry));
  imprint_a11y_name_row (widget, tc_history_entry_get_image_name (entry));
  /* Translators: a history row: the instance, the region, the account. */
  subtitle = g_strdup_printf (_("%s · %s · %s"), instance,
                              tc_history_entry_get_region (entry) ? tc_history_entry_get_region (entry) : "",
                              account ? account : "");
  gtk_label_set_text (GTK_LABEL (row->subtitle), subtitle);

  gtk_label_set_text (GTK_LABEL (row->ids), image_id ? image_id : "");
  gtk_widget_set_visible (row->ids, image_id != NULL);

  row_update_time (widget, entry, now);
  set_badge (row->badge, outcome);
  gtk_widget_set_visible (row->spinner, outcome == TC_HISTORY_OUTCOME_CREATING);
  gtk_spinner_set_spinning (GTK_SPINNER (row->spinner), outcome == TC_HISTORY_OUTCOME_CREATING);
}

static GtkWidget *
label_new (const char *css_class,
           PangoEllipsizeMode ellipsize)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), ellipsize);
  gtk_label_set_use_markup (GTK_LABEL (label), FALSE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          ImprintHistoryPage       *self)
{
  GtkWidget *widget = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  Row *row = g_new0 (Row, 1);

  row->page = self;
  gtk_widget_add_css_class (widget, "history-row");
  gtk_widget_set_margin_start (widget, 12);
  gtk_widget_set_margin_end (widget, 12);
  gtk_widget_set_margin_top (widget, 8);
  gtk_widget_set_margin_bottom (widget, 8);
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_widget_set_valign (texts, GTK_ALIGN_CENTER);

  row->title = label_new ("heading", PANGO_ELLIPSIZE_END);
  row->subtitle = label_new ("caption", PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (row->subtitle, "dim-label");
  row->ids = label_new ("caption", PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_add_css_class (row->ids, "dim-label");
  row->time = label_new ("caption", PANGO_ELLIPSIZE_NONE);
  gtk_widget_add_css_class (row->time, "dim-label");
  gtk_widget_set_valign (row->time, GTK_ALIGN_CENTER);
  row->spinner = gtk_spinner_new ();
  gtk_widget_set_valign (row->spinner, GTK_ALIGN_CENTER);
  row->badge = gtk_label_new (NULL);
  gtk_widget_set_valign (row->badge, GTK_ALIGN_CENTER);

  gtk_box_append (GTK_BOX (texts), row->title);
  gtk_box_append (GTK_BOX (texts), row->subtitle);
  gtk_box_append (GTK_BOX (texts), row->ids);
  gtk_box_append (GTK_BOX (widget), texts);
  gtk_box_append (GTK_BOX (widget), row->time);
  gtk_box_append (GTK_BOX (widget), row->spinner);
  gtk_box_append (GTK_BOX (widget), row->badge);

  g_object_set_data_full (G_OBJECT (widget), "row", row, g_free);
  gtk_list_item_set_child (item, widget);
}

static void
entry_notify_cb (TcHistoryEntry *entry,
                 GParamSpec     *pspec,
                 GtkListItem    *item)
{
  GtkWidget *widget = gtk_list_item_get_child (item);

  if (widget != NULL)
    row_fill (widget, entry);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         ImprintHistoryPage       *self)
{
  TcHistoryEntry *entry = gtk_list_item_get_item (item);
  GtkWidget *widget = gtk_list_item_get_child (item);

  row_fill (widget, entry);
  g_signal_connect_object (entry, "notify", G_CALLBACK (entry_notify_cb), item, 0);
  g_hash_table_add (self->bound, item);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           ImprintHistoryPage       *self)
{
  TcHistoryEntry *entry = gtk_list_item_get_item (item);

  if (entry != NULL)
    g_signal_handlers_disconnect_by_func (entry, entry_notify_cb, item);
  g_hash_table_remove (self->bound, item);
}

static void
teardown_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             ImprintHistoryPage       *self)
{
  g_hash_table_remove (self->bound, item);
}

/* Relative times move on once a minute. */
static gboolean
refresh_times_cb (gpointer user_data)
{
  ImprintHistoryPage *self = user_data;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->bound);
  while (g_hash_table_iter_next (&iter, &key, NULL)) {
    GtkListItem *item = key;
    TcHistoryEntry *entry = gtk_list_item_get_item (item);
    GtkWidget *widget = gtk_list_item_get_child (item);

    if (entry != NULL && widget != NULL)
      row_update_time (widget, entry, now);
  }
  return G_SOURCE_CONTINUE;
}

/* What shows: the list, the empty state or "no results". */

static void
update_view (ImprintHistoryPage *self)
{
  guint total = self->history ? tc_history_get_n_entries (self->history) : 0;
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  const char *view = total == 0 ? "empty" : shown == 0 ? "no-results" : "list";

  gtk_stack_set_visible_child_name (self->stack, view);
  /* Nothing to search or clear in an empty history. */
  gtk_widget_set_visible (self->search_box, total > 0 || self->needle != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history-page.clear", total > 0);
}

/* The search runs in the store, a page at a time: the view never reads every entry. */
static void
apply_search (ImprintHistoryPage *self,
              const char         *text)
{
  g_autofree char *needle = tc_history_fold_search (text);

  if (g_strcmp0 (needle, self->needle) == 0)
    return;
  g_free (self->needle);
  self->needle = g_steal_pointer (&needle);
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
details_toast (GtkWindow  *dialog,
               const char *text)
{
  AdwToastOverlay *overlay = g_object_get_data (G_OBJECT (dialog), "toast-overlay");
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, 3);
  adw_toast_overlay_add_toast (overlay, toast);
}

static void
add_field (GtkWidget  *list,
           const char *caption,
           const char *value)
{
  GtkWidget *row;
  GtkWidget *box;
  GtkWidget *caption_label;
  GtkWidget *value_label;

  if (value == NULL || *value == '\0')
    return;

  row = gtk_list_box_row_new ();
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  caption_label = label_new ("caption", PANGO_ELLIPSIZE_NONE);
  value_label = label_new (NULL, PANGO_ELLIPSIZE_NONE);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_add_css_class (caption_label, "dim-label");
  gtk_label_set_text (GTK_LABEL (caption_label), caption);
  gtk_label_set_text (GTK_LABEL (value_label), value);
  gtk_label_set_wrap (GTK_LABEL (value_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (value_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (value_label), TRUE);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (value_label),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, caption_label, NULL, -1);

  gtk_box_append (GTK_BOX (box), caption_label);
  gtk_box_append (GTK_BOX (box), value_label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  /* The row takes focus on the way to its selectable value: it reads as its caption. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, caption, -1);
  gtk_list_box_append (GTK_LIST_BOX (list), row);
}

static GtkWidget *
add_group (GtkWidget  *box,
           const char *title)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *list = gtk_list_box_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), list);
  gtk_box_append (GTK_BOX (box), group);
  return list;
}

static void
add_action_row (GtkWidget  *list,
                const char *title,
                const char *icon_name,
                const char *action_name,
                gboolean    destructive)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name (icon_name));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), action_name);
  if (destructive)
    gtk_widget_add_css_class (row, "error");
  gtk_list_box_append (GTK_LIST_BOX (list), row);
}

/* The advice the app gives for the recorded error, from its raw code. */
static const char *
advice_for (TcHistoryEntry *entry)
{
  const char *code = tc_history_entry_get_error_code (entry);
  TcErrorCode mapped;

  if (code == NULL || *code == '\0')
    return NULL;

  if (tc_history_entry_get_protocol (entry) == TC_PROTOCOL_LEGACY || g_ascii_isdigit (*code) || *code == '-')
    mapped = tc_error_code_from_legacy (g_ascii_strtoll (code, NULL, 10));
  else
    mapped = tc_error_code_from_server (code);
  return tc_error_describe (mapped);
}

static void
fill_details (GtkWindow *dialog)
{
  ImprintHistoryPage *self = g_object_get_data (G_OBJECT (dialog), "page");
  TcHistoryEntry *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  GActionMap *actions = g_object_get_data (G_OBJECT (dialog), "actions");
  GtkScrolledWindow *scrolled = g_object_get_data (G_OBJECT (dialog), "scrolled");
  TcHistoryOutcome outcome = tc_history_entry_get_outcome (entry);
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  GtkWidget *heading = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *title = label_new ("title-2", PANGO_ELLIPSIZE_NONE);
  GtkWidget *badge = gtk_label_new (NULL);
  GtkWidget *list;
  g_autofree char *instance = describe_instance (entry);
  g_autofree char *sent = format_exact_time (tc_history_entry_get_created (entry));
  g_autofree char *checked = NULL;
  g_autofree char *disks = NULL;
  g_autoptr(GString) tags = g_string_new (NULL);
  const char *message = tc_history_entry_get_error_message (entry);
  const char *code = tc_history_entry_get_error_code (entry);
  const char *advice = advice_for (entry);
  gboolean api3 = tc_history_entry_get_protocol (entry) == TC_PROTOCOL_API3;

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);

  gtk_label_set_text (GTK_LABEL (title), tc_history_entry_get_image_name (entry));
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (title), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (title), 0.5);
  gtk_label_set_justify (GTK_LABEL (title), GTK_JUSTIFY_CENTER);
  set_badge (badge, outcome);
  gtk_widget_set_halign (badge, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (heading), title);
  gtk_box_append (GTK_BOX (heading), badge);
  gtk_box_append (GTK_BOX (box), heading);

  if (code != NULL || message != NULL) {
    list = add_group (box, _("What Went Wrong"));
    add_field (list, _("Message"), message);
    add_field (list, _("Error Code"), code);
    add_field (list, _("What to Do"), advice);
  }

  list = add_group (box, _("Result"));
  add_field (list, _("State"), tc_history_outcome_describe (outcome));
  add_field (list, _("Image ID"), tc_history_entry_get_image_id (entry));
  add_field (list, _("Request ID"), tc_history_entry_get_request_id (entry));
  add_field (list, _("Sent"), sent);
  if (tc_history_entry_get_last_checked (entry) != NULL) {
    checked = format_exact_time (tc_history_entry_get_last_checked (entry));
    add_field (list, _("Last Checked"), checked);
  }

  list = add_group (box, _("Request"));
  add_field (list, _("Kind"), tc_history_entry_get_kind (entry) == TC_HISTORY_KIND_CHECK
                                ? _("Check (dry run)") : _("Create image"));
  add_field (list, _("Account"), account_name (self, entry));
  add_field (list, _("Protocol"), api3 ? _("API 3.0") : _("Legacy API 2.0"));
  add_field (list, _("Region"), tc_history_entry_get_region (entry));
  add_field (list, _("Instance"), instance);
  add_field (list, _("Image Name"), tc_history_entry_get_image_name (entry));
  add_field (list, _("Description"), tc_history_entry_get_image_description (entry));
  if (api3) {
    add_field (list, _("Shut Down Before Imaging"),
               tc_history_entry_get_force_poweroff (entry) ? _("Yes") : _("No"));
    if (tc_history_entry_get_sysprep (entry))
      add_field (list, _("Run Sysprep"), _("Yes"));
  }
  if (tc_history_entry_get_data_disk_ids (entry) != NULL) {
    disks = g_strjoinv (", ", (char **) tc_history_entry_get_data_disk_ids (entry));
    add_field (list, _("Data Disks"), disks);
  }
  for (guint i = 0; i < tc_history_entry_get_n_tags (entry); i++) {
    const char *key, *value;

    if (tc_history_entry_get_tag (entry, i, &key, &value))
      g_string_append_printf (tags, "%s%s = %s", tags->len > 0 ? "\n" : "", key, value ? value : "");
  }
  add_field (list, _("Tags"), tags->str);

  /* The dry runs sent for this image, oldest first. */
  if (tc_history_entry_get_n_checks (entry) > 0) {
    list = add_group (box, _("Checks"));
    for (guint i = 0; i < tc_history_entry_get_n_checks (entry); i++) {
      g_autoptr(GDateTime) time = NULL;
      g_autofree char *when = NULL;
      g_autoptr(GString) text = g_string_new (NULL);
      const char *check_code, *check_message, *check_request;
      gboolean passed;

      tc_history_entry_get_check (entry, i, &time, &passed, &check_code, &check_message,
                                  &check_request);
      when = format_exact_time (time);
      /* Translators: the outcome of one check (dry run) in a history entry's details */
      g_string_append (text, passed ? C_("check", "Passed") : C_("check", "Refused"));
      if (check_message != NULL)
        g_string_append_printf (text, "\n%s", check_message);
      if (check_code != NULL)
        g_string_append_printf (text, "\n%s", check_code);
      if (check_request != NULL) {
        g_string_append_c (text, '\n');
        /* Translators: a check in a history entry's details: its RequestId */
        g_string_append_printf (text, _("Request ID: %s"), check_request);
      }
      add_field (list, when, text->str);
    }
  }

  list = add_group (box, NULL);
  add_action_row (list, _("Copy _Image ID"), "edit-copy-symbolic", "details.copy-image-id", FALSE);
  add_action_row (list, _("Copy _Request ID"), "edit-copy-symbolic", "details.copy-request-id", FALSE);
  add_action_row (list, _("_Use as Template"), "document-edit-symbolic", "details.use-as-template", FALSE);
  add_action_row (list, _("Re_move from History"), "user-trash-symbolic", "details.remove", TRUE);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (actions, "copy-image-id")),
                               tc_history_entry_get_image_id (entry) != NULL);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (actions, "copy-request-id")),
                               tc_history_entry_get_request_id (entry) != NULL);

  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  gtk_scrolled_window_set_child (scrolled, clamp);
}

static void
details_entry_notify_cb (GtkWindow *dialog)
{
  fill_details (dialog);
}

static void
copy_text (GtkWindow  *dialog,
           const char *text,
           const char *done)
{
  if (text == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (dialog)), text);
  details_toast (dialog, done);
}

static void
copy_image_id_cb (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  GtkWindow *dialog = user_data;
  TcHistoryEntry *entry = g_object_get_data (G_OBJECT (dialog), "entry");

  copy_text (dialog, tc_history_entry_get_image_id (entry), _("Image ID copied"));
}

static void
copy_request_id_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GtkWindow *dialog = user_data;
  TcHistoryEntry *entry = g_object_get_data (G_OBJECT (dialog), "entry");

  copy_text (dialog, tc_history_entry_get_request_id (entry), _("Request ID copied"));
}

static void
use_as_template_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GtkWindow *dialog = user_data;
  ImprintHistoryPage *self = g_object_get_data (G_OBJECT (dialog), "page");
  g_autoptr(TcHistoryEntry) entry = g_object_ref (g_object_get_data (G_OBJECT (dialog), "entry"));

  gtk_window_close (dialog);
  if (self != NULL)
    g_signal_emit (self, signals[SIGNAL_USE_AS_TEMPLATE], 0, entry);
}

static void
removed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The entry is gone from the list at once; a failed write is the history's "problem". */
  if (!tc_history_remove_finish (TC_HISTORY (object), result, &error))
    g_debug ("Could not remove a history entry: %s", error->message);
}

static void
remove_cb (GSimpleAction *action,
           GVariant      *parameter,
           gpointer       user_data)
{
  GtkWindow *dialog = user_data;
  ImprintHistoryPage *self = g_object_get_data (G_OBJECT (dialog), "page");
  TcHistoryEntry *entry = g_object_get_data (G_OBJECT (dialog), "entry");

  if (self != NULL && self->history != NULL &&
      tc_history_find_by_id (self->history, tc_history_entry_get_id (entry)) != NULL)
    tc_history_remove_async (self->history, entry, NULL, removed_cb, NULL);
  gtk_window_close (dialog);
}

static const GActionEntry details_actions[] = {
  { "copy-image-id", copy_image_id_cb },
  { "copy-request-id", copy_request_id_cb },
  { "use-as-template", use_as_template_cb },
  { "remove", remove_cb },
};

GtkWindow *
imprint_history_page_show_details (ImprintHistoryPage *self,
                                   TcHistoryEntry     *entry)
{
  GtkRoot *root;
  GtkWidget *dialog;
  GtkWidget *overlay;
  GtkWidget *box;
  GtkWidget *header;
  GtkWidget *scrolled;
  GtkEventController *keys;
  GtkShortcut *close;
  g_autoptr(GSimpleActionGroup) actions = g_simple_action_group_new ();

  g_return_val_if_fail (IMPRINT_IS_HISTORY_PAGE (self), NULL);
  g_return_val_if_fail (TC_IS_HISTORY_ENTRY (entry), NULL);

  if (self->details != NULL)
    gtk_window_destroy (self->details);

  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = adw_window_new ();
  overlay = adw_toast_overlay_new ();
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  scrolled = gtk_scrolled_window_new ();

  gtk_window_set_title (GTK_WINDOW (dialog), _("Request Details"));
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 520, 680);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (root));

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), scrolled);
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), box);
  adw_window_set_content (ADW_WINDOW (dialog), overlay);
  imprint_a11y_watch_toasts (overlay);

  /* Escape closes, as in every dialog. */
  keys = gtk_shortcut_controller_new ();
  close = gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                            gtk_named_action_new ("window.close"));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys), close);
  gtk_widget_add_controller (dialog, keys);

  g_action_map_add_action_entries (G_ACTION_MAP (actions), details_actions,
                                   G_N_ELEMENTS (details_actions), dialog);
  gtk_widget_insert_action_group (dialog, "details", G_ACTION_GROUP (actions));

  g_object_set_data_full (G_OBJECT (dialog), "entry", g_object_ref (entry), g_object_unref);
  g_object_set_data_full (G_OBJECT (dialog), "actions", g_object_ref (actions), g_object_unref);
  g_object_set_data (G_OBJECT (dialog), "scrolled", scrolled);
  g_object_set_data (G_OBJECT (dialog), "toast-overlay", overlay);
  g_object_set_data (G_OBJECT (dialog), "page", self);
  g_signal_connect_object (entry, "notify", G_CALLBACK (details_entry_notify_cb), dialog,
                           G_CONNECT_SWAPPED);
  fill_details (GTK_WINDOW (dialog));

  g_set_weak_pointer (&self->details, GTK_WINDOW (dialog));
  imprint_a11y_name_buttons (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WINDOW (dialog);
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
  g_autoptr(TcHistoryEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->filtered), position);

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

  if (!tc_history_clear_finish (TC_HISTORY (object), result, &error))
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
                                    "clear", _("_Clear History"),
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
  if (history != NULL)
    tc_history_set_search (history, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  if (history != NULL)
    g_signal_connect_object (history, "items-changed", G_CALLBACK (history_items_changed_cb), self,
                             G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  gtk_filter_list_model_set_model (self->filtered, G_LIST_MODEL (history));
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
 * Returns: (transfer none): the entries listed now, newest first
 */
GListModel *
imprint_history_page_get_shown (ImprintHistoryPage *self)
{
  g_return_val_if_fail (IMPRINT_IS_HISTORY_PAGE (self), NULL);

  return G_LIST_MODEL (self->filtered);
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
    gtk_filter_list_model_set_model (self->filtered, NULL);
    /* The search was this view's: the history lists everything again. */
    tc_history_set_search (self->history, NULL);
  }

  gtk_widget_dispose_template (GTK_WIDGET (self), IMPRINT_TYPE_HISTORY_PAGE);
  g_clear_object (&self->filtered);
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

  /* No filter: the history searches itself (tc_history_set_search()); this model only lets
   * the view keep one model while the history changes (the demo's, the user's). */
  self->filtered = gtk_filter_list_model_new (NULL, NULL);
  g_signal_connect_object (self->filtered, "items-changed", G_CALLBACK (update_view), self,
                           G_CONNECT_SWAPPED);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), self);
  g_signal_connect (factory, "teardown", G_CALLBACK (teardown_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);

  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->filtered)));
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
