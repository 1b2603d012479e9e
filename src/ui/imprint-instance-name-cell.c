/* imprint-instance-name-cell.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The name column says the most: the instance's name, dimmed with the reason under it when
 * the instance cannot be imaged (whole: the row grows to hold it), and in a narrow window
 * the ID and address that have lost their columns. It also names the row for screen
 * readers, as the row's title.
 */
#include "config.h"

#include <string.h>

#include "imprint-a11y.h"
#include "imprint-instance-name-cell.h"
#include "imprint-text-line.h"

struct _ImprintInstanceNameCell
{
  GtkWidget       parent_instance;

  char           *row_name;   /* the row's accessible name, to set only on change */
  guint           font_serial; /* of the font the name was fitted to */

  /* Template widgets */
  GtkWidget      *box;
  GtkInscription *name;
  GtkInscription *details;
  GtkLabel       *reason;
};

G_DEFINE_FINAL_TYPE (ImprintInstanceNameCell, imprint_instance_name_cell, GTK_TYPE_WIDGET)

static void
imprint_instance_name_cell_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), IMPRINT_TYPE_INSTANCE_NAME_CELL);

  G_OBJECT_CLASS (imprint_instance_name_cell_parent_class)->dispose (object);
}

static void
imprint_instance_name_cell_finalize (GObject *object)
{
  ImprintInstanceNameCell *self = IMPRINT_INSTANCE_NAME_CELL (object);

  g_free (self->row_name);

  G_OBJECT_CLASS (imprint_instance_name_cell_parent_class)->finalize (object);
}

/* Names are often Chinese: see imprint-text-line.c. The name has the cell's font. */
static void
imprint_instance_name_cell_css_changed (GtkWidget         *widget,
                                        GtkCssStyleChange *change)
{
  ImprintInstanceNameCell *self = IMPRINT_INSTANCE_NAME_CELL (widget);

  GTK_WIDGET_CLASS (imprint_instance_name_cell_parent_class)->css_changed (widget, change);

  imprint_text_line_fit (widget, GTK_WIDGET (self->name), &self->font_serial);
}

static void
imprint_instance_name_cell_system_setting_changed (GtkWidget       *widget,
                                                   GtkSystemSetting setting)
{
  ImprintInstanceNameCell *self = IMPRINT_INSTANCE_NAME_CELL (widget);

  GTK_WIDGET_CLASS (imprint_instance_name_cell_parent_class)->system_setting_changed (widget, setting);

  imprint_text_line_fit (widget, GTK_WIDGET (self->name), &self->font_serial);
}

static void
imprint_instance_name_cell_class_init (ImprintInstanceNameCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = imprint_instance_name_cell_dispose;
  object_class->finalize = imprint_instance_name_cell_finalize;

  widget_class->css_changed = imprint_instance_name_cell_css_changed;
  widget_class->system_setting_changed = imprint_instance_name_cell_system_setting_changed;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/imprint/Imprint/imprint-instance-name-cell.ui");
  gtk_widget_class_bind_template_child (widget_class, ImprintInstanceNameCell, box);
  gtk_widget_class_bind_template_child (widget_class, ImprintInstanceNameCell, name);
  gtk_widget_class_bind_template_child (widget_class, ImprintInstanceNameCell, details);
  gtk_widget_class_bind_template_child (widget_class, ImprintInstanceNameCell, reason);
}

/* The language the UI speaks: the first gettext looks for, as tc_language_for_locale()
 * picks the API's; NULL under C. */
static PangoLanguage *
text_language (void)
{
  const char *name = g_get_language_names ()[0];
  g_autofree char *code = g_strndup (name, strcspn (name, ".@"));

  if (*code == '\0' || g_str_equal (code, "C") || g_str_equal (code, "POSIX"))
    return NULL;
  return pango_language_from_string (code);
}

/* The reason is our own words, in the UI's language: its characters are measured in that
 * language's fonts (GTK takes LC_CTYPE's, which may be English or C under LANGUAGE=zh_CN),
 * so that its width in characters means the same in both. (Names, IDs and the rest come
 * from the server, in any script, and keep the locale's: measured in Chinese they took
 * twice the width.) */
static void
use_text_language (GtkWidget *widget)
{
  PangoLanguage *language = text_language ();

  if (language != NULL)
    pango_context_set_language (gtk_widget_get_pango_context (widget), language);
}

static void
imprint_instance_name_cell_init (ImprintInstanceNameCell *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  use_text_language (GTK_WIDGET (self->reason));
}

GtkWidget *
imprint_instance_name_cell_new (void)
{
  return g_object_new (IMPRINT_TYPE_INSTANCE_NAME_CELL, NULL);
}

static void
set_text (GtkInscription *text,
          const char     *value)
{
  /* Every value comes from the server: plain text only, never markup. */
  gtk_inscription_set_text (text, value != NULL && *value != '\0' ? value : "—");
}

/**
 * imprint_instance_name_cell_show:
 * @name: (nullable): the instance's name
 * @details: (nullable): its ID, and its address when it has one
 * @reason: (nullable): why it cannot be imaged, or %NULL when it can
 *
 * All of it is plain text: it comes from the server, or from the rules module.
 */
void
imprint_instance_name_cell_show (ImprintInstanceNameCell *self,
                                 const char              *name,
                                 const char              *details,
                                 const char              *reason)
{
  g_return_if_fail (IMPRINT_IS_INSTANCE_NAME_CELL (self));

  set_text (self->name, name);
  /* More rows are bound than are on screen, and a keystroke rebinds most: a row that shows
   * the same instance's name keeps its accessible name untouched (each update costs). */
  if (g_strcmp0 (self->row_name, gtk_inscription_get_text (self->name)) != 0) {
    g_free (self->row_name);
    self->row_name = g_strdup (gtk_inscription_get_text (self->name));
    imprint_a11y_name_row (GTK_WIDGET (self), self->row_name);
  }
  set_text (self->details, details);

  gtk_widget_set_visible (GTK_WIDGET (self->reason), reason != NULL);
  /* Reasons are the same few sentences: one that stays is not measured again. */
  if (reason != NULL && g_strcmp0 (reason, gtk_label_get_text (self->reason)) != 0)
    gtk_label_set_text (self->reason, reason);

  if (reason == NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self->name), "dim-label");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->name), "dim-label");
}

/**
 * imprint_instance_name_cell_set_narrow:
 *
 * Narrow windows move the ID and address under the name and let the name column be
 * narrower; wide ones keep it wide enough for most reasons to read in two or three lines,
 * and leave the OS and zone their room.
 */
void
imprint_instance_name_cell_set_narrow (ImprintInstanceNameCell *self,
                                       gboolean                 narrow)
{
  g_return_if_fail (IMPRINT_IS_INSTANCE_NAME_CELL (self));

  gtk_widget_set_visible (GTK_WIDGET (self->details), narrow);
  gtk_label_set_width_chars (self->reason, narrow ? 10 : 24);
}
