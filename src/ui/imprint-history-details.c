/* imprint-history-details.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything recorded about one request: what went wrong (the server's words, its code and
 * the app's advice), the result, the request as sent and the checks before it, with the
 * actions that apply to it. The fields are built again whenever the entry changes, so the
 * window follows the tracker. Server text is set as plain text, never markup.
 *
 * The window is smaller than the main window at its default size and scrolls inside; an
 * action that has nothing to act on (Copy Image ID for a check) is not offered at all.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "imprint-a11y.h"
#include "imprint-history-details.h"
#include "imprint-history-row.h"
#include "imprint-state-badge.h"
#include "imprint-toast.h"
#include "tc-error.h"
#include "tc-places.h"

/* IDs up to this long are never broken across lines ("ins-" here, "7f3k2m9a" there);
 * longer words (a RequestId's UUID) may be, rather than leave the window. */
#define UNBROKEN_WORD_MAX 24

struct _ImprintHistoryDetails
{
  AdwWindow        parent_instance;

  TcHistoryEntry  *entry;
  TcAccountStore  *store;

  AdwToastOverlay *toast_overlay;
  GtkLabel        *title;
  ImprintStateBadge *badge;
  GtkWidget       *groups;
};

G_DEFINE_FINAL_TYPE (ImprintHistoryDetails, imprint_history_details, ADW_TYPE_WINDOW)

enum {
  SIGNAL_USE_AS_TEMPLATE,
  SIGNAL_REMOVE,
  SIGNAL_COPY_TO_REGIONS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Keeps every short word with a hyphen in @label (an ID, "web-01") on one line. */
static void
keep_ids_whole (GtkLabel   *label,
                const char *text)
{
  g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();
  const char *start = text;

  while (*start != '\0') {
    size_t length = strcspn (start, " \n");

    if (length <= UNBROKEN_WORD_MAX && memchr (start, '-', length) != NULL) {
      PangoAttribute *attr = pango_attr_allow_breaks_new (FALSE);

      attr->start_index = start - text;
      attr->end_index = attr->start_index + length;
      pango_attr_list_insert (attrs, attr);
    }
    start += length;
    start += strspn (start, " \n");
  }
  gtk_label_set_attributes (label, attrs);
}

/* A caption over a value, and under it, dimmed, an optional @detail: the code behind a name
 * (`ap-guangzhou` under “South China (Guangzhou)”), to copy or to compare with the console. */
static void
add_field_with_detail (GtkWidget  *list,
                       const char *caption,
                       const char *value,
                       const char *detail)
{
  GtkWidget *row;
  GtkWidget *box;
  GtkWidget *caption_label;
  GtkWidget *value_label;

  if (value == NULL || *value == '\0')
    return;

  row = gtk_list_box_row_new ();
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  caption_label = gtk_label_new (caption);
  value_label = gtk_label_new (value);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_label_set_xalign (GTK_LABEL (caption_label), 0);
  gtk_widget_add_css_class (caption_label, "caption");
  gtk_widget_add_css_class (caption_label, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (value_label), 0);
  gtk_label_set_wrap (GTK_LABEL (value_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (value_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (value_label), TRUE);
  keep_ids_whole (GTK_LABEL (value_label), value);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (value_label),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, caption_label, NULL, -1);

  gtk_box_append (GTK_BOX (box), caption_label);
  gtk_box_append (GTK_BOX (box), value_label);
  if (detail != NULL && *detail != '\0') {
    GtkWidget *detail_label = gtk_label_new (detail);

    gtk_label_set_xalign (GTK_LABEL (detail_label), 0);
    gtk_label_set_wrap (GTK_LABEL (detail_label), TRUE);
    gtk_label_set_wrap_mode (GTK_LABEL (detail_label), PANGO_WRAP_WORD_CHAR);
    gtk_label_set_selectable (GTK_LABEL (detail_label), TRUE);
    gtk_widget_add_css_class (detail_label, "caption");
    gtk_widget_add_css_class (detail_label, "dim-label");
    keep_ids_whole (GTK_LABEL (detail_label), detail);
    gtk_accessible_update_relation (GTK_ACCESSIBLE (value_label),
                                    GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, detail_label, NULL, -1);
    gtk_box_append (GTK_BOX (box), detail_label);
  }
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  /* The row takes focus on the way to its selectable value: it reads as its caption. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, caption, -1);
  gtk_list_box_append (GTK_LIST_BOX (list), row);
}

static void
add_field (GtkWidget  *list,
           const char *caption,
           const char *value)
{
  add_field_with_detail (list, caption, value, NULL);
}

static GtkWidget *
add_group (ImprintHistoryDetails *self,
           const char            *title)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *list = gtk_list_box_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title ? title : "");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), list);
  gtk_box_append (GTK_BOX (self->groups), group);
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
  const TcHistoryRecord *r = tc_history_entry_get_record (entry);
  const char *code = r->error_code;
  TcErrorCode mapped;

  if (code == NULL || *code == '\0')
    return NULL;

  if (r->protocol == TC_PROTOCOL_LEGACY || g_ascii_isdigit (*code) || *code == '-')
    mapped = tc_error_code_from_legacy (g_ascii_strtoll (code, NULL, 10));
  else
    mapped = tc_error_code_from_server (code);
  return tc_error_describe (mapped);
}

/* The region by the console's name, with its code under it; a region Imprint has no name
 * for by its code alone. */
static void
add_region_named (GtkWidget  *list,
                  const char *title,
                  const char *code)
{
  const char *name = tc_places_region_name (code);

  add_field_with_detail (list, title, name, g_strcmp0 (name, code) != 0 ? code : NULL);
}

static void
add_region (GtkWidget  *list,
            const char *code)
{
  add_region_named (list, _("Region"), code);
}

static const char *
kind_name (TcHistoryKind kind)
{
  switch (kind) {
  case TC_HISTORY_KIND_CHECK:  return _("Check (dry run)");
  case TC_HISTORY_KIND_COPY:   return _("Copy to another region");
  case TC_HISTORY_KIND_CREATE:
  default:                     return _("Create image");
  }
}

static void
add_request (ImprintHistoryDetails *self)
{
  TcHistoryEntry *entry = self->entry;
  const TcHistoryRecord *r = tc_history_entry_get_record (entry);
  GtkWidget *list = add_group (self, _("Request"));
  gboolean api3 = r->protocol == TC_PROTOCOL_API3;
  g_autofree char *instance = imprint_history_describe_instance (entry);
  g_autofree char *disks = NULL;
  g_autoptr(GString) tags = g_string_new (NULL);

  add_field (list, _("Kind"), kind_name (r->kind));
  add_field (list, _("Account"), imprint_history_account_name (self->store, entry));
  add_field (list, _("Protocol"), api3 ? _("API 3.0") : _("Legacy API 2.0"));
  add_region (list, r->region);
  if (r->kind == TC_HISTORY_KIND_COPY) {
    add_field (list, _("Source Image"), r->source_image_id);
    add_region_named (list, _("Source Region"), r->source_region);
  } else {
    add_field (list, _("Instance"), instance);
  }
  add_field (list, _("Image Name"), r->image_name);
  add_field (list, _("Description"), r->image_description);
  if (api3) {
    add_field (list, _("Shut Down Before Imaging"),
               r->force_poweroff ? _("Yes") : _("No"));
    if (r->sysprep)
      add_field (list, _("Run Sysprep"), _("Yes"));
  }
  if (r->data_disk_ids != NULL) {
    disks = g_strjoinv (", ", (char **) r->data_disk_ids);
    add_field (list, _("Data Disks"), disks);
  }
  for (char **tag = r->tags; tag && *tag; tag += 2)
    g_string_append_printf (tags, "%s%s = %s", tags->len > 0 ? "\n" : "", tag[0], tag[1]);
  add_field (list, _("Tags"), tags->str);
}

/* The dry runs sent for this image, oldest first. */
static void
add_checks (ImprintHistoryDetails *self)
{
  GPtrArray *checks = tc_history_entry_get_record (self->entry)->checks;
  GtkWidget *list;

  if (checks == NULL)
    return;

  list = add_group (self, _("Checks"));
  for (guint i = 0; i < checks->len; i++) {
    const TcHistoryCheck *check = checks->pdata[i];
    g_autoptr(GDateTime) time = tc_history_time_new (check->time);
    g_autofree char *when = imprint_history_format_exact_time (time);
    g_autoptr(GString) text = g_string_new (NULL);

    /* Translators: the outcome of one check (dry run) in a history entry's details */
    g_string_append (text, check->passed ? C_("check", "Passed") : C_("check", "Refused"));
    if (check->error_message != NULL)
      g_string_append_printf (text, "\n%s", check->error_message);
    if (check->error_code != NULL)
      g_string_append_printf (text, "\n%s", check->error_code);
    if (check->request_id != NULL) {
      g_string_append_c (text, '\n');
      /* Translators: a check in a history entry's details: its RequestId */
      g_string_append_printf (text, _("Request ID: %s"), check->request_id);
    }
    add_field (list, when, text->str);
  }
}

static void
fill (ImprintHistoryDetails *self)
{
  TcHistoryEntry *entry = self->entry;
  const TcHistoryRecord *r = tc_history_entry_get_record (entry);
  TcHistoryOutcome outcome = r->outcome;
  g_autoptr(GDateTime) created = tc_history_time_new (r->created);
  g_autofree char *sent = imprint_history_format_exact_time (created);
  const char *message = r->error_message;
  const char *code = r->error_code;
  GtkWidget *child;
  GtkWidget *list;

  while ((child = gtk_widget_get_first_child (self->groups)) != NULL)
    gtk_box_remove (GTK_BOX (self->groups), child);

  gtk_label_set_text (self->title, r->image_name);
  imprint_state_badge_set_outcome (self->badge, outcome);

  if (code != NULL || message != NULL) {
    list = add_group (self, _("What Went Wrong"));
    add_field (list, _("Message"), message);
    add_field (list, _("Error Code"), code);
    add_field (list, _("What to Do"), advice_for (entry));
  }

  list = add_group (self, _("Result"));
  add_field (list, _("State"), tc_history_outcome_describe (outcome));
  add_field (list, _("Image ID"), r->image_id);
  add_field (list, _("Request ID"), r->request_id);
  add_field (list, _("Sent"), sent);
  if (r->last_checked != 0) {
    g_autoptr(GDateTime) time = tc_history_time_new (r->last_checked);
    g_autofree char *checked = imprint_history_format_exact_time (time);

    add_field (list, _("Last Checked"), checked);
  }

  add_request (self);
  add_checks (self);

  /* Only what applies: a check has no image to copy the ID of. */
  list = add_group (self, NULL);
  if (r->image_id != NULL)
    add_action_row (list, _("Copy _Image ID"), "edit-copy-symbolic", "details.copy-image-id", FALSE);
  if (r->request_id != NULL)
    add_action_row (list, _("Copy _Request ID"), "edit-copy-symbolic", "details.copy-request-id", FALSE);
  /* A ready image of API 3.0 can be copied to other regions. */
  if (r->outcome == TC_HISTORY_OUTCOME_READY &&
      r->image_id != NULL &&
      r->protocol == TC_PROTOCOL_API3)
    add_action_row (list, _("C_opy to Regions…"), "send-to-symbolic", "details.copy-to-regions", FALSE);
  add_action_row (list, _("_Use as Template"), "document-edit-symbolic", "details.use-as-template", FALSE);
  add_action_row (list, _("Re_move from History"), "user-trash-symbolic", "details.remove", TRUE);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.copy-image-id",
                                 r->image_id != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "details.copy-request-id",
                                 r->request_id != NULL);
  imprint_a11y_name_buttons (self->groups);
}

/* Actions */

static void
copy_text (ImprintHistoryDetails *self,
           const char            *text,
           const char            *done)
{
  AdwToast *toast = imprint_toast_new (done);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  adw_toast_set_timeout (toast, 3);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
copy_image_id_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  ImprintHistoryDetails *self = IMPRINT_HISTORY_DETAILS (widget);

  copy_text (self, tc_history_entry_get_record (self->entry)->image_id, _("Image ID copied"));
}

static void
copy_request_id_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  ImprintHistoryDetails *self = IMPRINT_HISTORY_DETAILS (widget);

  copy_text (self, tc_history_entry_get_record (self->entry)->request_id, _("Request ID copied"));
}

/* The window says what was asked, then closes: a closed window says nothing more. */
static void
emit_and_close (GtkWidget *widget,
                guint      signal)
{
  ImprintHistoryDetails *self = IMPRINT_HISTORY_DETAILS (widget);
  g_autoptr(ImprintHistoryDetails) kept = g_object_ref (self);
  g_autoptr(TcHistoryEntry) entry = g_object_ref (self->entry);

  g_signal_emit (self, signals[signal], 0, entry);
  gtk_window_close (GTK_WINDOW (self));
}

static void
use_as_template_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  emit_and_close (widget, SIGNAL_USE_AS_TEMPLATE);
}

static void
copy_to_regions_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  emit_and_close (widget, SIGNAL_COPY_TO_REGIONS);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  emit_and_close (widget, SIGNAL_REMOVE);
}

/* GObject */

static void
imprint_history_details_dispose (GObject *object)
{
  ImprintHistoryDetails *self = IMPRINT_HISTORY_DETAILS (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), IMPRINT_TYPE_HISTORY_DETAILS);
  g_clear_object (&self->entry);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (imprint_history_details_parent_class)->dispose (object);
}

static void
imprint_history_details_class_init (ImprintHistoryDetailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = imprint_history_details_dispose;

  /**
   * ImprintHistoryDetails::use-as-template:
   * @entry: the entry shown
   */
  signals[SIGNAL_USE_AS_TEMPLATE] =
    g_signal_new ("use-as-template", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, TC_TYPE_HISTORY_ENTRY);
  /**
   * ImprintHistoryDetails::remove:
   * @entry: the entry shown, which the user asked to remove from the history
   */
  /**
   * ImprintHistoryDetails::copy-to-regions:
   * @entry: the entry shown, whose ready image the user wants copied to other regions
   */
  signals[SIGNAL_COPY_TO_REGIONS] =
    g_signal_new ("copy-to-regions", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, TC_TYPE_HISTORY_ENTRY);
  signals[SIGNAL_REMOVE] =
    g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, TC_TYPE_HISTORY_ENTRY);

  g_type_ensure (IMPRINT_TYPE_STATE_BADGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/imprint/Imprint/imprint-history-details.ui");
  gtk_widget_class_bind_template_child (widget_class, ImprintHistoryDetails, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ImprintHistoryDetails, title);
  gtk_widget_class_bind_template_child (widget_class, ImprintHistoryDetails, badge);
  gtk_widget_class_bind_template_child (widget_class, ImprintHistoryDetails, groups);

  gtk_widget_class_install_action (widget_class, "details.copy-image-id", NULL, copy_image_id_action);
  gtk_widget_class_install_action (widget_class, "details.copy-request-id", NULL, copy_request_id_action);
  gtk_widget_class_install_action (widget_class, "details.use-as-template", NULL, use_as_template_action);
  gtk_widget_class_install_action (widget_class, "details.copy-to-regions", NULL, copy_to_regions_action);
  gtk_widget_class_install_action (widget_class, "details.remove", NULL, remove_action);
  /* Escape closes, as in every dialog. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
imprint_history_details_init (ImprintHistoryDetails *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  imprint_a11y_watch_toasts (GTK_WIDGET (self->toast_overlay));
}

ImprintHistoryDetails *
imprint_history_details_new (GtkWindow      *parent,
                             TcHistoryEntry *entry,
                             TcAccountStore *store)
{
  ImprintHistoryDetails *self;

  g_return_val_if_fail (TC_IS_HISTORY_ENTRY (entry), NULL);

  self = g_object_new (IMPRINT_TYPE_HISTORY_DETAILS, "transient-for", parent, NULL);
  imprint_dialog_follow_parent (GTK_WINDOW (self));
  self->entry = g_object_ref (entry);
  self->store = store != NULL ? g_object_ref (store) : NULL;
  g_signal_connect_object (entry, "changed", G_CALLBACK (fill), self, G_CONNECT_SWAPPED);
  fill (self);
  return self;
}

TcHistoryEntry *
imprint_history_details_get_entry (ImprintHistoryDetails *self)
{
  g_return_val_if_fail (IMPRINT_IS_HISTORY_DETAILS (self), NULL);

  return self->entry;
}
