/* imprint-page-bin.c: the page of a GtkStack, asked its width at a height without cost
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK 4.8's GtkStack, at every allocation, asks the page it shows how wide it must be at
 * the height it has, only to widen the page to that if the stack is narrower. A page whose
 * height follows its width (a form of wrapping labels) answers that question the costly
 * way: each wrapping label tries width after width (GtkLabel's width-for-height search),
 * and a box of them asks it of every label at several heights. The check's outcome label
 * alone cost 34 such measures, 22 ms of one frame, in bench-stall.
 *
 * This bin answers it with its child's plain minimum width, which is all the stack uses
 * it for: the width it allocates is the larger of its own and that, and a stack is never
 * narrower than its shown page's minimum. Every other question goes to the child as is.
 */
#include "config.h"

#include "imprint-page-bin.h"

struct _ImprintPageBin
{
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (ImprintPageBin, imprint_page_bin, ADW_TYPE_BIN)

static void
imprint_page_bin_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  *minimum = *natural = 0;
  if (child != NULL && gtk_widget_should_layout (child))
    gtk_widget_measure (child, orientation,
                        orientation == GTK_ORIENTATION_HORIZONTAL ? -1 : for_size,
                        minimum, natural, minimum_baseline, natural_baseline);
}

static void
imprint_page_bin_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child != NULL && gtk_widget_should_layout (child))
    gtk_widget_allocate (child, width, height, baseline, NULL);
}

/* Without a layout manager GTK would call the bin constant in size: it is what its child
 * is, so that the stack and the window still ask its height at a width. */
static GtkSizeRequestMode
imprint_page_bin_get_request_mode (GtkWidget *widget)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  return child != NULL ? gtk_widget_get_request_mode (child) : GTK_SIZE_REQUEST_CONSTANT_SIZE;
}

static void
imprint_page_bin_class_init (ImprintPageBinClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->measure = imprint_page_bin_measure;
  widget_class->size_allocate = imprint_page_bin_size_allocate;
  widget_class->get_request_mode = imprint_page_bin_get_request_mode;
}

static void
imprint_page_bin_init (ImprintPageBin *self)
{
  /* GTK asks a widget's layout manager before its measure(): AdwBin's would pass the
   * height on. */
  gtk_widget_set_layout_manager (GTK_WIDGET (self), NULL);
}
