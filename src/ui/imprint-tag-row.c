/* imprint-tag-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A tag of the image form: a key entry, a value entry and Remove Tag. The form checks the
 * tags as a whole (a key used twice is a problem of the list, not of one row) and tells
 * the row which key is at fault; the row shows it and says it to assistive technologies.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "imprint-tag-row.h"

struct _ImprintTagRow
{
  GtkListBoxRow  parent_instance;

  GtkEditable   *key_entry;
  GtkEditable   *value_entry;
};

G_DEFINE_FINAL_TYPE (ImprintTagRow, imprint_tag_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  SIGNAL_CHANGED,
  SIGNAL_REMOVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
changed_cb (ImprintTagRow *self)
{
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
remove_cb (ImprintTagRow *self)
{
  g_signal_emit (self, signals[SIGNAL_REMOVE], 0);
}

/**
 * imprint_tag_row_new:
 * @key: (nullable): the key to start with
 * @value: (nullable): the value to start with
 *
 * Returns: (transfer floating): a new tag row
 */
GtkWidget *
imprint_tag_row_new (const char *key,
                     const char *value)
{
  ImprintTagRow *self = g_object_new (IMPRINT_TYPE_TAG_ROW, NULL);

  gtk_editable_set_text (self->key_entry, key ? key : "");
  gtk_editable_set_text (self->value_entry, value ? value : "");
  return GTK_WIDGET (self);
}

const char *
imprint_tag_row_get_key (ImprintTagRow *self)
{
  g_return_val_if_fail (IMPRINT_IS_TAG_ROW (self), NULL);

  return gtk_editable_get_text (self->key_entry);
}

const char *
imprint_tag_row_get_value (ImprintTagRow *self)
{
  g_return_val_if_fail (IMPRINT_IS_TAG_ROW (self), NULL);

  return gtk_editable_get_text (self->value_entry);
}

void
imprint_tag_row_set_problem (ImprintTagRow *self,
                             const char    *message)
{
  GtkWidget *key = GTK_WIDGET (self->key_entry);

  g_return_if_fail (IMPRINT_IS_TAG_ROW (self));

  if (message != NULL) {
    gtk_widget_add_css_class (key, "error");
    gtk_accessible_update_state (GTK_ACCESSIBLE (key),
                                 GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                 -1);
    gtk_accessible_update_property (GTK_ACCESSIBLE (key),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                    -1);
  } else {
    gtk_widget_remove_css_class (key, "error");
    gtk_accessible_reset_state (GTK_ACCESSIBLE (key), GTK_ACCESSIBLE_STATE_INVALID);
    gtk_accessible_reset_property (GTK_ACCESSIBLE (key), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  }
}

void
imprint_tag_row_set_position (ImprintTagRow *self,
                              guint          position)
{
  g_autofree char *which = NULL;

  g_return_if_fail (IMPRINT_IS_TAG_ROW (self));

  /* Translators: how a tag row is named for assistive technologies, by its position. */
  which = g_strdup_printf (_("Tag %u"), position);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, which,
                                  -1);
}

void
imprint_tag_row_focus_key (ImprintTagRow *self)
{
  g_return_if_fail (IMPRINT_IS_TAG_ROW (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->key_entry));
}

static void
imprint_tag_row_class_init (ImprintTagRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[SIGNAL_REMOVE] =
    g_signal_new ("remove",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/imprint/Imprint/imprint-tag-row.ui");
  gtk_widget_class_bind_template_child (widget_class, ImprintTagRow, key_entry);
  gtk_widget_class_bind_template_child (widget_class, ImprintTagRow, value_entry);
  gtk_widget_class_bind_template_callback (widget_class, changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, remove_cb);
}

static void
imprint_tag_row_init (ImprintTagRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
