/* imprint-disk-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A data disk of the chosen instance, which a full-instance image may include: its ID,
 * size and type as the title, and a check button, the row's activatable widget, which
 * libadwaita relates to that title (so it is named once, by the title).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "imprint-disk-row.h"
#include "tc-places.h"

struct _ImprintDiskRow
{
  AdwActionRow    parent_instance;

  char           *disk_id;
  GtkCheckButton *check;
};

G_DEFINE_FINAL_TYPE (ImprintDiskRow, imprint_disk_row, ADW_TYPE_ACTION_ROW)

enum {
  PROP_0,
  PROP_DISK_ID,
  PROP_ACTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
active_cb (ImprintDiskRow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

/**
 * imprint_disk_row_new:
 * @disk: a data disk
 *
 * Returns: (transfer floating): a row for @disk, not included
 */
GtkWidget *
imprint_disk_row_new (const TcDisk *disk)
{
  g_autofree char *title = NULL;
  ImprintDiskRow *self;

  g_return_val_if_fail (disk != NULL && disk->disk_id != NULL, NULL);

  /* Translators: a data disk: its ID, size in gigabytes and type, as in
   * “disk-1a2b3c4d · 100 GB · SSD Cloud Disk”. */
  title = g_strdup_printf (_("%s · %u GB · %s"), disk->disk_id, disk->size_gb,
                           disk->disk_type ? tc_places_disk_type_name (disk->disk_type) : "");
  self = g_object_new (IMPRINT_TYPE_DISK_ROW,
                       "disk-id", disk->disk_id,
                       "title", title,
                       NULL);
  return GTK_WIDGET (self);
}

const char *
imprint_disk_row_get_disk_id (ImprintDiskRow *self)
{
  g_return_val_if_fail (IMPRINT_IS_DISK_ROW (self), NULL);

  return self->disk_id;
}

gboolean
imprint_disk_row_get_active (ImprintDiskRow *self)
{
  g_return_val_if_fail (IMPRINT_IS_DISK_ROW (self), FALSE);

  return gtk_check_button_get_active (self->check);
}

void
imprint_disk_row_set_active (ImprintDiskRow *self,
                             gboolean        active)
{
  g_return_if_fail (IMPRINT_IS_DISK_ROW (self));

  gtk_check_button_set_active (self->check, active);
}

static void
imprint_disk_row_finalize (GObject *object)
{
  ImprintDiskRow *self = IMPRINT_DISK_ROW (object);

  g_free (self->disk_id);

  G_OBJECT_CLASS (imprint_disk_row_parent_class)->finalize (object);
}

static void
imprint_disk_row_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ImprintDiskRow *self = IMPRINT_DISK_ROW (object);

  switch (prop_id) {
  case PROP_DISK_ID:
    g_value_set_string (value, self->disk_id);
    break;
  case PROP_ACTIVE:
    g_value_set_boolean (value, imprint_disk_row_get_active (self));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
imprint_disk_row_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  ImprintDiskRow *self = IMPRINT_DISK_ROW (object);

  switch (prop_id) {
  case PROP_DISK_ID:
    self->disk_id = g_value_dup_string (value);
    break;
  case PROP_ACTIVE:
    imprint_disk_row_set_active (self, g_value_get_boolean (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
imprint_disk_row_class_init (ImprintDiskRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = imprint_disk_row_finalize;
  object_class->get_property = imprint_disk_row_get_property;
  object_class->set_property = imprint_disk_row_set_property;

  properties[PROP_DISK_ID] =
    g_param_spec_string ("disk-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/imprint/Imprint/imprint-disk-row.ui");
  gtk_widget_class_bind_template_child (widget_class, ImprintDiskRow, check);
  gtk_widget_class_bind_template_callback (widget_class, active_cb);
}

static void
imprint_disk_row_init (ImprintDiskRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
