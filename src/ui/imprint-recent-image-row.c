/* imprint-recent-image-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The form does not look at images itself: TcImageTracker follows the history entry of an
 * image being made and updates it, and this row shows what the entry says — the image ID
 * once known, a badge with the outcome, a spinner while it is being made — and says once
 * when it is over.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "imprint-recent-image-row.h"
#include "imprint-state-badge.h"

struct _ImprintRecentImageRow
{
  AdwActionRow    parent_instance;

  TcHistoryEntry *entry;
  gboolean        finished;

  GtkSpinner     *spinner;
  ImprintStateBadge *badge;
  GtkButton      *copy_button;
};

G_DEFINE_FINAL_TYPE (ImprintRecentImageRow, imprint_recent_image_row, ADW_TYPE_ACTION_ROW)

enum {
  PROP_0,
  PROP_ENTRY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_FINISHED,
  SIGNAL_COPIED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_entry (ImprintRecentImageRow *self)
{
  TcHistoryOutcome outcome = tc_history_entry_get_record (self->entry)->outcome;
  const char *image_id = tc_history_entry_get_record (self->entry)->image_id;
  gboolean creating = outcome == TC_HISTORY_OUTCOME_CREATING;

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self),
                               image_id ? image_id : _("Image ID not known yet"));
  gtk_widget_set_visible (GTK_WIDGET (self->copy_button), image_id != NULL);
  imprint_state_badge_set_outcome (self->badge, outcome);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), creating);
  gtk_spinner_set_spinning (self->spinner, creating);
}

static void
entry_changed_cb (ImprintRecentImageRow *self)
{
  TcHistoryOutcome outcome = tc_history_entry_get_record (self->entry)->outcome;

  show_entry (self);
  if (self->finished || !tc_history_outcome_is_final (outcome))
    return;

  self->finished = TRUE;
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0, outcome == TC_HISTORY_OUTCOME_READY);
}

static void
copy_cb (ImprintRecentImageRow *self)
{
  const char *image_id = tc_history_entry_get_record (self->entry)->image_id;

  if (image_id == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), image_id);
  g_signal_emit (self, signals[SIGNAL_COPIED], 0);
}

/**
 * imprint_recent_image_row_new:
 * @entry: the stored history entry of an image being made
 *
 * Returns: (transfer floating): a row that follows @entry
 */
GtkWidget *
imprint_recent_image_row_new (TcHistoryEntry *entry)
{
  g_return_val_if_fail (TC_IS_HISTORY_ENTRY (entry), NULL);

  return g_object_new (IMPRINT_TYPE_RECENT_IMAGE_ROW, "entry", entry, NULL);
}

TcHistoryEntry *
imprint_recent_image_row_get_entry (ImprintRecentImageRow *self)
{
  g_return_val_if_fail (IMPRINT_IS_RECENT_IMAGE_ROW (self), NULL);

  return self->entry;
}

static void
imprint_recent_image_row_constructed (GObject *object)
{
  ImprintRecentImageRow *self = IMPRINT_RECENT_IMAGE_ROW (object);

  G_OBJECT_CLASS (imprint_recent_image_row_parent_class)->constructed (object);

  g_return_if_fail (self->entry != NULL);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self),
                                 tc_history_entry_get_record (self->entry)->image_name);
  g_signal_connect_object (self->entry, "changed", G_CALLBACK (entry_changed_cb), self,
                           G_CONNECT_SWAPPED);
  show_entry (self);
}

static void
imprint_recent_image_row_dispose (GObject *object)
{
  ImprintRecentImageRow *self = IMPRINT_RECENT_IMAGE_ROW (object);

  if (self->entry != NULL)
    g_signal_handlers_disconnect_by_data (self->entry, self);
  g_clear_object (&self->entry);

  G_OBJECT_CLASS (imprint_recent_image_row_parent_class)->dispose (object);
}

static void
imprint_recent_image_row_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  ImprintRecentImageRow *self = IMPRINT_RECENT_IMAGE_ROW (object);

  switch (prop_id) {
  case PROP_ENTRY:
    g_value_set_object (value, self->entry);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
imprint_recent_image_row_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  ImprintRecentImageRow *self = IMPRINT_RECENT_IMAGE_ROW (object);

  switch (prop_id) {
  case PROP_ENTRY:
    self->entry = g_value_dup_object (value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
imprint_recent_image_row_class_init (ImprintRecentImageRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = imprint_recent_image_row_constructed;
  object_class->dispose = imprint_recent_image_row_dispose;
  object_class->get_property = imprint_recent_image_row_get_property;
  object_class->set_property = imprint_recent_image_row_set_property;

  properties[PROP_ENTRY] =
    g_param_spec_object ("entry", NULL, NULL,
                         TC_TYPE_HISTORY_ENTRY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  signals[SIGNAL_COPIED] =
    g_signal_new ("copied",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (IMPRINT_TYPE_STATE_BADGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/imprint/Imprint/imprint-recent-image-row.ui");
  gtk_widget_class_bind_template_child (widget_class, ImprintRecentImageRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, ImprintRecentImageRow, badge);
  gtk_widget_class_bind_template_child (widget_class, ImprintRecentImageRow, copy_button);
  gtk_widget_class_bind_template_callback (widget_class, copy_cb);
}

static void
imprint_recent_image_row_init (ImprintRecentImageRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
