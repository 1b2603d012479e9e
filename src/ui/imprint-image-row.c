/* imprint-image-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a person needs to decide whether an image can go: its name, its ID, the system it
 * runs, its size and age, where it came from, and its state. An image that cannot be
 * deleted says why in its own row, before anything is sent, and cannot be ticked.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "imprint-image-row.h"
#include "imprint-state-badge.h"

struct _ImprintImageRow
{
  AdwActionRow       parent_instance;

  TcImage           *image;
  const char        *blocked;

  GtkCheckButton    *check;
  ImprintStateBadge *badge;
};

G_DEFINE_FINAL_TYPE (ImprintImageRow, imprint_image_row, ADW_TYPE_ACTION_ROW)

enum {
  SIGNAL_TOGGLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
toggled_cb (ImprintImageRow *self)
{
  g_signal_emit (self, signals[SIGNAL_TOGGLED], 0, gtk_check_button_get_active (self->check));
}

/* Appends @words so that no line breaks inside them: spaces become no-break spaces, and
 * between other characters goes a word joiner (Chinese breaks between any two: "2026" and
 * "年12月4日" landed on two lines). */
static void
append_unbroken (GString    *text,
                 const char *words)
{
  for (const char *p = words; *p != '\0'; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);

    if (c == ' ') {
      g_string_append (text, "\u00a0");
      continue;
    }
    if (p != words && p[-1] != ' ')
      g_string_append (text, "\u2060");
    g_string_append_unichar (text, c);
  }
}

/* "img-1a2b3c4d · CentOS 7.9 64bit · 50 GB · 3 December 2026", then where it came from and
 * why it cannot be deleted, each on its own line. Where the first line wraps (a narrow
 * window), each "·" stays at the end of a line, after what it follows. */
static char *
describe (ImprintImageRow *self,
          const char      *source)
{
  GString *text = g_string_new (tc_image_get_id (self->image));
  const char *os = tc_image_get_os_name (self->image);
  guint64 size = tc_image_get_size_gb (self->image);
  GDateTime *created = tc_image_get_created (self->image);

  if (os != NULL && *os != '\0')
    g_string_append_printf (text, "\u00a0· %s", os);
  if (size > 0) {
    /* Translators: the size of an image, in gigabytes. */
    GString *gb = g_string_new (NULL);

    g_string_printf (gb, _("%u GB"), (guint) MIN (size, G_MAXUINT));
    /* "50 GB" never breaks between its number and its unit. */
    g_string_replace (gb, " ", "\u00a0", 0);
    g_string_append_printf (text, "\u00a0· %s", gb->str);
    g_string_free (gb, TRUE);
  }
  if (created != NULL) {
    g_autoptr(GDateTime) local = g_date_time_to_local (created);
    /* Translators: the day an image was made; see g_date_time_format(). */
    g_autofree char *day = g_date_time_format (local, _("%-d %B %Y"));

    g_string_append (text, "\u00a0· ");
    append_unbroken (text, day);
  }
  if (source != NULL) {
    /* Translators: the instance an image was made from (its name or ID). */
    g_autofree char *from = g_strdup_printf (_("Made from %s"), source);

    g_string_append_printf (text, "\n%s", from);
  }
  if (self->blocked != NULL)
    g_string_append_printf (text, "\n%s", self->blocked);
  return g_string_free (text, FALSE);
}

static void
imprint_image_row_dispose (GObject *object)
{
  ImprintImageRow *self = IMPRINT_IMAGE_ROW (object);

  g_clear_object (&self->image);
  G_OBJECT_CLASS (imprint_image_row_parent_class)->dispose (object);
}

static void
imprint_image_row_class_init (ImprintImageRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = imprint_image_row_dispose;

  signals[SIGNAL_TOGGLED] = g_signal_new ("toggled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  g_type_ensure (IMPRINT_TYPE_STATE_BADGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/imprint/Imprint/imprint-image-row.ui");
  gtk_widget_class_bind_template_child (widget_class, ImprintImageRow, check);
  gtk_widget_class_bind_template_child (widget_class, ImprintImageRow, badge);
  gtk_widget_class_bind_template_callback (widget_class, toggled_cb);
}

static void
imprint_image_row_init (ImprintImageRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
imprint_image_row_new (TcImage    *image,
                       const char *source,
                       gboolean    choosable,
                       gboolean    chosen)
{
  ImprintImageRow *self;
  g_autofree char *subtitle = NULL;
  const char *name;

  g_return_val_if_fail (TC_IS_IMAGE (image), NULL);

  self = g_object_new (IMPRINT_TYPE_IMAGE_ROW, NULL);
  self->image = g_object_ref (image);
  self->blocked = tc_image_state_blocks_delete (tc_image_get_state (image));

  name = tc_image_get_name (image);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self),
                                 name != NULL && *name != '\0' ? name : tc_image_get_id (image));
  subtitle = describe (self, source);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  imprint_state_badge_set_image_state (self->badge, tc_image_get_state (image));

  gtk_widget_set_visible (GTK_WIDGET (self->check), choosable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->check), self->blocked == NULL);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), choosable && self->blocked == NULL);
  g_signal_handlers_block_by_func (self->check, toggled_cb, self);
  gtk_check_button_set_active (self->check, chosen && self->blocked == NULL);
  g_signal_handlers_unblock_by_func (self->check, toggled_cb, self);
  /* The check's name is the image's, for a screen reader. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self)), -1);
  return GTK_WIDGET (self);
}

TcImage *
imprint_image_row_get_image (ImprintImageRow *self)
{
  g_return_val_if_fail (IMPRINT_IS_IMAGE_ROW (self), NULL);

  return self->image;
}

const char *
imprint_image_row_get_blocked (ImprintImageRow *self)
{
  g_return_val_if_fail (IMPRINT_IS_IMAGE_ROW (self), NULL);

  return self->blocked;
}
