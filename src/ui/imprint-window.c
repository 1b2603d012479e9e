/* imprint-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "imprint-window.h"

struct _ImprintWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  AdwStatusPage        *welcome_page;
};

G_DEFINE_FINAL_TYPE (ImprintWindow, imprint_window, ADW_TYPE_APPLICATION_WINDOW)

ImprintWindow *
imprint_window_new (ImprintApplication *application)
{
  return g_object_new (IMPRINT_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

static void
imprint_window_dispose (GObject *object)
{
  ImprintWindow *self = IMPRINT_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), IMPRINT_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (imprint_window_parent_class)->dispose (object);
}

static void
imprint_window_class_init (ImprintWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = imprint_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/imprint/Imprint/imprint-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ImprintWindow, welcome_page);
}

static void
imprint_window_init (ImprintWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  if (DEVELOPMENT)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  /* The window remembers its size; GSettings is cheap and local, so this is no start-up cost. */
  self->settings = g_settings_new (APPLICATION_ID);
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);

  adw_status_page_set_icon_name (self->welcome_page, APPLICATION_ID);
}
