/* imprint-toast.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libadwaita 1.2 draws a toast's title on one line, cut with "…" where the toast is
 * narrower than the sentence: at 360 px nearly every sentence, at the default width the
 * long ones. Some sentences are said only in a toast (a copy that failed, the server's
 * words), so a toast's title here is a custom one that wraps.
 *
 * AdwToastOverlay gives a toast its natural width, at most its own, but the height that
 * natural width needs: a label that wraps only once the overlay narrows it would get the
 * height of one line, and lose the rest. So the title asks for no more width than the toast
 * leaves it in the overlay, and asks again when the overlay's width changes.
 */
#include "config.h"

#include "imprint-toast.h"

/* What libadwaita 1.2's style sheet puts around a toast's title: the toast's margins
 * (12 + 12), its padding (12 + 6) and the title's margins (6 + 6); and the spacing before
 * each button. */
#define TOAST_FRAME 54
#define TOAST_SPACING 6

#define IMPRINT_TYPE_TOAST_TITLE (imprint_toast_title_get_type ())
G_DECLARE_FINAL_TYPE (ImprintToastTitle, imprint_toast_title, IMPRINT, TOAST_TITLE, GtkWidget)

struct _ImprintToastTitle
{
  GtkWidget  parent_instance;

  GtkWidget *label;
  int        measured_for;  /* the room the width was measured for; -1: any */
  guint      remeasure_id;
};

G_DEFINE_FINAL_TYPE (ImprintToastTitle, imprint_toast_title, GTK_TYPE_WIDGET)

/* The width the toast leaves its title in the overlay it is shown in, or -1 before it is
 * in one that has a width. */
static int
room (ImprintToastTitle *self)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  GtkWidget *bin = gtk_widget_get_parent (GTK_WIDGET (self));
  GtkWidget *toast = bin != NULL ? gtk_widget_get_parent (bin) : NULL;
  int width;

  /* An overlay not laid out yet (a page just shown) has no width: the toast is measured
   * again once it has. */
  if (overlay == NULL || toast == NULL || (width = gtk_widget_get_width (overlay)) <= 0)
    return -1;

  width -= TOAST_FRAME;
  /* The toast's button and its close button keep their width. */
  for (GtkWidget *child = gtk_widget_get_first_child (toast); child; child = gtk_widget_get_next_sibling (child)) {
    int natural;

    if (child == bin || !gtk_widget_should_layout (child))
      continue;
    gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
    width -= natural + TOAST_SPACING;
  }
  return MAX (width, 0);
}

/* The label's width, no wider than @room_width where that is known. */
static void
measure_width (ImprintToastTitle *self,
               int                room_width,
               int               *minimum,
               int               *natural)
{
  gtk_widget_measure (self->label, GTK_ORIENTATION_HORIZONTAL, -1, minimum, natural, NULL, NULL);
  if (room_width >= 0)
    *natural = MAX (*minimum, MIN (*natural, room_width));
}

static void
imprint_toast_title_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  ImprintToastTitle *self = IMPRINT_TOAST_TITLE (widget);
  int room_width = room (self);

  if (orientation == GTK_ORIENTATION_HORIZONTAL) {
    measure_width (self, room_width, minimum, natural);
    /* The width the overlay gives the toast, which size_allocate() compares. */
    if (for_size < 0)
      self->measured_for = room_width;
    return;
  }

  /* Asked for its height alone: as tall as its natural width makes it. */
  if (for_size < 0) {
    int narrowest;

    measure_width (self, room_width, &narrowest, &for_size);
  }
  gtk_widget_measure (self->label, orientation, for_size, minimum, natural, minimum_baseline,
                      natural_baseline);
}

static GtkSizeRequestMode
imprint_toast_title_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static gboolean
remeasure_cb (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       user_data)
{
  IMPRINT_TOAST_TITLE (widget)->remeasure_id = 0;
  gtk_widget_queue_resize (widget);
  return G_SOURCE_REMOVE;
}

static void
imprint_toast_title_size_allocate (GtkWidget *widget,
                                   int        width,
                                   int        height,
                                   int        baseline)
{
  ImprintToastTitle *self = IMPRINT_TOAST_TITLE (widget);
  GtkWidget *bin = gtk_widget_get_parent (widget);
  GtkWidget *toast = bin != NULL ? gtk_widget_get_parent (bin) : NULL;

  gtk_widget_allocate (self->label, width, height, baseline, NULL);
  /* A pill's round ends would cut into the first and last of several lines (style.css). */
  if (toast != NULL) {
    if (pango_layout_get_line_count (gtk_label_get_layout (GTK_LABEL (self->label))) > 1)
      gtk_widget_add_css_class (toast, "several-lines");
    else
      gtk_widget_remove_css_class (toast, "several-lines");
  }
  /* The window was resized under the toast: measured again at the next frame (not during
   * this allocation, which GTK would not redo), it gets the height its new width needs. */
  if (self->remeasure_id == 0 && room (self) != self->measured_for)
    self->remeasure_id = gtk_widget_add_tick_callback (widget, remeasure_cb, NULL, NULL);
}

static void
imprint_toast_title_dispose (GObject *object)
{
  ImprintToastTitle *self = IMPRINT_TOAST_TITLE (object);

  if (self->remeasure_id != 0) {
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->remeasure_id);
    self->remeasure_id = 0;
  }
  g_clear_pointer (&self->label, gtk_widget_unparent);

  G_OBJECT_CLASS (imprint_toast_title_parent_class)->dispose (object);
}

static void
imprint_toast_title_class_init (ImprintToastTitleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = imprint_toast_title_dispose;
  widget_class->measure = imprint_toast_title_measure;
  widget_class->get_request_mode = imprint_toast_title_get_request_mode;
  widget_class->size_allocate = imprint_toast_title_size_allocate;
}

static void
imprint_toast_title_init (ImprintToastTitle *self)
{
  self->measured_for = -1;
  /* As libadwaita's own title: bold, at the start; plain text, never markup. */
  self->label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (self->label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (self->label), 0.0);
  gtk_widget_add_css_class (self->label, "heading");
  gtk_widget_set_parent (self->label, GTK_WIDGET (self));
}

/**
 * imprint_toast_new:
 * @text: the toast's sentence, plain text
 *
 * Returns: (transfer full): a toast that shows @text whole, on as many lines as it takes
 */
AdwToast *
imprint_toast_new (const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  ImprintToastTitle *title = g_object_new (IMPRINT_TYPE_TOAST_TITLE, NULL);
  AdwToast *toast = adw_toast_new (escaped);

  gtk_label_set_text (GTK_LABEL (title->label), text);
  adw_toast_set_custom_title (toast, GTK_WIDGET (title));
  return toast;
}
