/* imprint-preferences.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every row is bound to its GSettings key, so a change takes effect at once wherever the
 * key is bound (the history, notifications). Only what a person would choose is here: how
 * often an image is looked at is the app's business, and an account's protocol is chosen in
 * the account editor, where it applies.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "imprint-a11y.h"
#include "imprint-preferences.h"

struct _ImprintPreferences
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  AdwActionRow         *notifications_row;
  GtkSwitch            *notifications_switch;
  AdwComboRow          *retention_row;
};

G_DEFINE_FINAL_TYPE (ImprintPreferences, imprint_preferences, ADW_TYPE_PREFERENCES_WINDOW)

/* The retention choices, in the order of the combo row. */
static const guint retention_days[] = { 0, 7, 30, 90, 365 };

static gboolean
retention_get (GValue   *value,
               GVariant *variant,
               gpointer  user_data)
{
  guint days = g_variant_get_uint32 (variant);
  guint best = 0;

  /* A value set elsewhere shows as the nearest choice that keeps at least as much. */
  for (guint i = 0; i < G_N_ELEMENTS (retention_days); i++) {
    if (retention_days[i] == days || (days > 0 && retention_days[i] >= days && best == 0))
      best = i;
  }
  if (days > retention_days[G_N_ELEMENTS (retention_days) - 1])
    best = 0;
  g_value_set_uint (value, best);
  return TRUE;
}

static GVariant *
retention_set (const GValue       *value,
               const GVariantType *expected_type,
               gpointer            user_data)
{
  guint index = MIN (g_value_get_uint (value), G_N_ELEMENTS (retention_days) - 1);

  return g_variant_new_uint32 (retention_days[index]);
}

static void
imprint_preferences_finalize (GObject *object)
{
  ImprintPreferences *self = IMPRINT_PREFERENCES (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (imprint_preferences_parent_class)->finalize (object);
}

static void
imprint_preferences_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), IMPRINT_TYPE_PREFERENCES);

  G_OBJECT_CLASS (imprint_preferences_parent_class)->dispose (object);
}

static void
imprint_preferences_class_init (ImprintPreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = imprint_preferences_dispose;
  object_class->finalize = imprint_preferences_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/imprint/Imprint/imprint-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, ImprintPreferences, notifications_row);
  gtk_widget_class_bind_template_child (widget_class, ImprintPreferences, notifications_switch);
  gtk_widget_class_bind_template_child (widget_class, ImprintPreferences, retention_row);
}

static void
imprint_preferences_init (ImprintPreferences *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  imprint_a11y_name_buttons (GTK_WIDGET (self));

  /* The suffix widgets are named after their rows for screen readers (a relation to the
   * row would give no name in GTK 4.8: the row has none of its own). */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->notifications_switch), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->notifications_row)),
                                  -1);
}

/**
 * imprint_preferences_new:
 * @settings: the application's settings
 *
 * Returns: (transfer full): a new Preferences window
 */
ImprintPreferences *
imprint_preferences_new (GtkWindow *parent,
                         GSettings *settings)
{
  ImprintPreferences *self = g_object_new (IMPRINT_TYPE_PREFERENCES,
                                           "transient-for", parent,
                                           NULL);

  self->settings = g_object_ref (settings);
  g_settings_bind (settings, "notifications", self->notifications_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (settings, "history-retention-days", self->retention_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, retention_get, retention_set, NULL, NULL);
  return self;
}
