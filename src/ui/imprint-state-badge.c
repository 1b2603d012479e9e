/* imprint-state-badge.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One widget for the pill that names a state: an instance's (the picker, the form's instance
 * row) or a request's outcome (the history, its details, the form's recent images), and the
 * same look for anything else with a state and a tone. It hugs its word (a label, not an
 * inscription), and it restyles only when the tone changes: a search rebinds hundreds of
 * picker rows, and most keep their state.
 */
#include "config.h"

#include "imprint-state-badge.h"

G_DEFINE_ENUM_TYPE (ImprintBadgeTone, imprint_badge_tone,
  G_DEFINE_ENUM_VALUE (IMPRINT_BADGE_TONE_NEUTRAL, "neutral"),
  G_DEFINE_ENUM_VALUE (IMPRINT_BADGE_TONE_SUCCESS, "success"),
  G_DEFINE_ENUM_VALUE (IMPRINT_BADGE_TONE_WARNING, "warning"),
  G_DEFINE_ENUM_VALUE (IMPRINT_BADGE_TONE_ERROR, "error"),
  G_DEFINE_ENUM_VALUE (IMPRINT_BADGE_TONE_ACCENT, "accent"))

struct _ImprintStateBadge
{
  GtkWidget         parent_instance;

  GtkLabel         *label;
  ImprintBadgeTone  tone;
};

G_DEFINE_FINAL_TYPE (ImprintStateBadge, imprint_state_badge, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LABEL,
  PROP_TONE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The CSS class of each tone, as style.css names them. */
static const char *
tone_class (ImprintBadgeTone tone)
{
  static const char * const classes[] = {
    [IMPRINT_BADGE_TONE_NEUTRAL] = "neutral",
    [IMPRINT_BADGE_TONE_SUCCESS] = "success",
    [IMPRINT_BADGE_TONE_WARNING] = "warning",
    [IMPRINT_BADGE_TONE_ERROR] = "error",
    [IMPRINT_BADGE_TONE_ACCENT] = "accent",
  };

  return (guint) tone < G_N_ELEMENTS (classes) ? classes[tone] : "neutral";
}

static ImprintBadgeTone
instance_state_tone (TcInstanceState state)
{
  switch (state) {
  case TC_INSTANCE_STATE_RUNNING:
    return IMPRINT_BADGE_TONE_SUCCESS;

  case TC_INSTANCE_STATE_PENDING:
  case TC_INSTANCE_STATE_STARTING:
  case TC_INSTANCE_STATE_STOPPING:
  case TC_INSTANCE_STATE_REBOOTING:
  case TC_INSTANCE_STATE_RESCUE:
  case TC_INSTANCE_STATE_MIGRATING:
  case TC_INSTANCE_STATE_BUSY:
    return IMPRINT_BADGE_TONE_WARNING;

  case TC_INSTANCE_STATE_LAUNCH_FAILED:
  case TC_INSTANCE_STATE_SHUTDOWN:
  case TC_INSTANCE_STATE_TERMINATING:
    return IMPRINT_BADGE_TONE_ERROR;

  case TC_INSTANCE_STATE_STOPPED:
  case TC_INSTANCE_STATE_UNKNOWN:
  default:
    return IMPRINT_BADGE_TONE_NEUTRAL;
  }
}

static ImprintBadgeTone
outcome_tone (TcHistoryOutcome outcome)
{
  switch (outcome) {
  case TC_HISTORY_OUTCOME_CREATING:
    return IMPRINT_BADGE_TONE_ACCENT;

  case TC_HISTORY_OUTCOME_DRY_RUN_PASSED:
  case TC_HISTORY_OUTCOME_READY:
    return IMPRINT_BADGE_TONE_SUCCESS;

  case TC_HISTORY_OUTCOME_DRY_RUN_FAILED:
  case TC_HISTORY_OUTCOME_REQUEST_FAILED:
  case TC_HISTORY_OUTCOME_FAILED:
  default:
    return IMPRINT_BADGE_TONE_ERROR;
  }
}

static void
imprint_state_badge_dispose (GObject *object)
{
  ImprintStateBadge *self = IMPRINT_STATE_BADGE (object);

  if (self->label != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->label));
  self->label = NULL;

  G_OBJECT_CLASS (imprint_state_badge_parent_class)->dispose (object);
}

static void
imprint_state_badge_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  ImprintStateBadge *self = IMPRINT_STATE_BADGE (object);

  switch (prop_id) {
  case PROP_LABEL:
    g_value_set_string (value, imprint_state_badge_get_label (self));
    break;

  case PROP_TONE:
    g_value_set_enum (value, self->tone);
    break;

  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
imprint_state_badge_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  ImprintStateBadge *self = IMPRINT_STATE_BADGE (object);

  switch (prop_id) {
  case PROP_LABEL:
    imprint_state_badge_set (self, g_value_get_string (value), self->tone);
    break;

  case PROP_TONE:
    imprint_state_badge_set (self, imprint_state_badge_get_label (self), g_value_get_enum (value));
    break;

  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
imprint_state_badge_class_init (ImprintStateBadgeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = imprint_state_badge_dispose;
  object_class->get_property = imprint_state_badge_get_property;
  object_class->set_property = imprint_state_badge_set_property;

  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TONE] =
    g_param_spec_enum ("tone", NULL, NULL, IMPRINT_TYPE_BADGE_TONE, IMPRINT_BADGE_TONE_NEUTRAL,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "statebadge");
}

static void
imprint_state_badge_init (ImprintStateBadge *self)
{
  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_parent (GTK_WIDGET (self->label), GTK_WIDGET (self));

  self->tone = IMPRINT_BADGE_TONE_NEUTRAL;
  gtk_widget_add_css_class (GTK_WIDGET (self), "state-badge");
  gtk_widget_add_css_class (GTK_WIDGET (self), tone_class (self->tone));
  gtk_widget_set_halign (GTK_WIDGET (self), GTK_ALIGN_START);
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
}

GtkWidget *
imprint_state_badge_new (void)
{
  return g_object_new (IMPRINT_TYPE_STATE_BADGE, NULL);
}

const char *
imprint_state_badge_get_label (ImprintStateBadge *self)
{
  g_return_val_if_fail (IMPRINT_IS_STATE_BADGE (self), NULL);

  return gtk_label_get_text (self->label);
}

ImprintBadgeTone
imprint_state_badge_get_tone (ImprintStateBadge *self)
{
  g_return_val_if_fail (IMPRINT_IS_STATE_BADGE (self), IMPRINT_BADGE_TONE_NEUTRAL);

  return self->tone;
}

/**
 * imprint_state_badge_set:
 * @label: (nullable): the word to show, as plain text
 * @tone: its colour
 */
void
imprint_state_badge_set (ImprintStateBadge *self,
                         const char        *label,
                         ImprintBadgeTone   tone)
{
  g_return_if_fail (IMPRINT_IS_STATE_BADGE (self));

  if (label == NULL)
    label = "";

  if (!g_str_equal (label, gtk_label_get_text (self->label))) {
    gtk_label_set_text (self->label, label);
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LABEL]);
  }

  if (self->tone != tone) {
    gtk_widget_remove_css_class (GTK_WIDGET (self), tone_class (self->tone));
    self->tone = tone;
    gtk_widget_add_css_class (GTK_WIDGET (self), tone_class (self->tone));
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TONE]);
  }
}

/**
 * imprint_state_badge_set_instance_state:
 *
 * Shows @state in the words of tc_instance_state_describe(), in its tone: running is
 * success, the passing states are warnings, failed and leaving ones errors, the rest
 * neutral.
 */
void
imprint_state_badge_set_instance_state (ImprintStateBadge *self,
                                        TcInstanceState    state)
{
  g_return_if_fail (IMPRINT_IS_STATE_BADGE (self));

  imprint_state_badge_set (self, tc_instance_state_describe (state), instance_state_tone (state));
}

/**
 * imprint_state_badge_set_image_state:
 *
 * Shows @state in the words of tc_image_state_describe(): a ready image is success, one
 * on its way (being made, copied or imported) accent, a failed one an error.
 */
void
imprint_state_badge_set_image_state (ImprintStateBadge *self,
                                     TcImageState       state)
{
  ImprintBadgeTone tone = IMPRINT_BADGE_TONE_NEUTRAL;

  g_return_if_fail (IMPRINT_IS_STATE_BADGE (self));

  switch (state) {
  case TC_IMAGE_STATE_NORMAL:
    tone = IMPRINT_BADGE_TONE_SUCCESS;
    break;
  case TC_IMAGE_STATE_CREATING:
  case TC_IMAGE_STATE_SYNCING:
  case TC_IMAGE_STATE_IMPORTING:
    tone = IMPRINT_BADGE_TONE_ACCENT;
    break;
  case TC_IMAGE_STATE_CREATEFAILED:
  case TC_IMAGE_STATE_IMPORTFAILED:
    tone = IMPRINT_BADGE_TONE_ERROR;
    break;
  case TC_IMAGE_STATE_USING:
  case TC_IMAGE_STATE_UNKNOWN:
  default:
    break;
  }
  imprint_state_badge_set (self, tc_image_state_describe (state), tone);
}

/**
 * imprint_state_badge_set_outcome:
 *
 * Shows @outcome in the words of tc_history_outcome_describe(), in its tone: an image being
 * made is accent, a ready image or a passed check success, any failure an error.
 */
void
imprint_state_badge_set_outcome (ImprintStateBadge *self,
                                 TcHistoryOutcome   outcome)
{
  g_return_if_fail (IMPRINT_IS_STATE_BADGE (self));

  imprint_state_badge_set (self, tc_history_outcome_describe (outcome), outcome_tone (outcome));
}
