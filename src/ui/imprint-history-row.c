/* imprint-history-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One request in the History list: the image's name, its instance, region (by the name the
 * console gives it; search still finds the code) and account, the ImageId once there is one,
 * how long ago, and the outcome as a badge. The row follows its entry's "changed", so it
 * changes the moment the tracker updates the entry. Every text from a server or from the
 * user is set with gtk_label_set_text(): plain text, never markup.
 *
 * The name is what the user looks for, so it gets the room: the time and the badge stand
 * beside it, on its line, only where the whole name fits there too; otherwise (a narrow
 * window, a long name) they move under it, to the start of the instance's line, or above
 * it where it would not fit beside them. The instance's line names the region and the
 * account, which are never cut: it wraps, and the row is as tall as that takes. GTK 4.8 and
 * libadwaita 1.2 have no breakpoints, and a row knows best what fits in it: the decision
 * is this widget's own measure() and size_allocate().
 */
#include "config.h"

#include <glib/gi18n.h>

#include "imprint-a11y.h"
#include "imprint-history-page.h"
#include "imprint-history-row.h"
#include "imprint-state-badge.h"
#include "tc-places.h"

#define COLUMN_SPACING 12
#define LINE_SPACING 3

struct _ImprintHistoryRow
{
  GtkWidget       parent_instance;

  TcHistoryEntry *entry;
  TcAccountStore *store;

  GtkWidget      *title;
  GtkWidget      *trailing;
  GtkWidget      *time;
  GtkWidget      *spinner;
  GtkWidget      *badge;
  GtkWidget      *subtitle;
  GtkWidget      *ids;

  int             height_width;  /* the width its height was measured for, asked for none */
  guint           remeasure_id;
};

G_DEFINE_FINAL_TYPE (ImprintHistoryRow, imprint_history_row, GTK_TYPE_WIDGET)

/* Words for an entry, shared with the details */

const char *
imprint_history_account_name (TcAccountStore *store,
                              TcHistoryEntry *entry)
{
  const char *id = tc_history_entry_get_record (entry)->account_id;
  TcAccount *account = store != NULL && id != NULL ? tc_account_store_find_by_id (store, id) : NULL;

  return account != NULL ? tc_account_get_name (account) : tc_history_entry_get_record (entry)->account_name;
}

char *
imprint_history_describe_instance (TcHistoryEntry *entry)
{
  const TcHistoryRecord *r = tc_history_entry_get_record (entry);
  const char *name = r->instance_name;
  const char *id = r->instance_id;

  /* A copy came from an image, not an instance. */
  if (r->kind == TC_HISTORY_KIND_COPY) {
    const char *source = tc_places_region_name (r->source_region);
    const char *image = r->source_image_id;

    /* Translators: where a copy of an image came from: the source image's ID and region. */
    return g_strdup_printf (_("copy of %s from %s"), image ? image : "", source ? source : "");
  }
  if (name != NULL && *name != '\0' && id != NULL)
    /* Translators: an instance: its name, then its ID. */
    return g_strdup_printf (_("%s (%s)"), name, id);
  return g_strdup (name != NULL && *name != '\0' ? name : id ? id : "");
}

char *
imprint_history_format_exact_time (GDateTime *time)
{
  /* Translators: the exact time of a request; see g_date_time_format(). */
  return g_date_time_format (time, _("%A, %-d %B %Y, %H:%M:%S"));
}

/* Filling */

void
imprint_history_row_update_time (ImprintHistoryRow *self,
                                 GDateTime         *now)
{
  g_autoptr(GDateTime) created = NULL;
  g_autofree char *relative = NULL;

  g_return_if_fail (IMPRINT_IS_HISTORY_ROW (self));

  if (self->entry == NULL)
    return;
  created = tc_history_time_new (tc_history_entry_get_record (self->entry)->created);
  relative = imprint_history_format_relative_time (created, now);
  gtk_label_set_text (GTK_LABEL (self->time), relative);
}

/* The exact time, made when the pointer rests on the time. Not gtk_widget_set_tooltip_text()
 * at every bind: on X11 each call asks the server where the pointer is, and a search binds
 * a screenful of rows. */
static gboolean
time_query_tooltip_cb (ImprintHistoryRow *self,
                       int                x,
                       int                y,
                       gboolean           keyboard,
                       GtkTooltip        *tooltip)
{
  g_autoptr(GDateTime) created = NULL;
  g_autofree char *exact = NULL;

  if (self->entry == NULL)
    return FALSE;
  created = tc_history_time_new (tc_history_entry_get_record (self->entry)->created);
  exact = imprint_history_format_exact_time (created);
  gtk_tooltip_set_text (tooltip, exact);
  return TRUE;
}

static void
fill (ImprintHistoryRow *self)
{
  TcHistoryEntry *entry = self->entry;
  const TcHistoryRecord *r = tc_history_entry_get_record (entry);
  TcHistoryOutcome outcome = r->outcome;
  g_autofree char *instance = imprint_history_describe_instance (entry);
  g_autofree char *subtitle = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  const char *image_id = r->image_id;
  /* The region by the console's name; the details keep its code too. */
  const char *region = tc_places_region_name (r->region);
  const char *account = imprint_history_account_name (self->store, entry);

  gtk_label_set_text (GTK_LABEL (self->title), r->image_name);
  imprint_a11y_name_row (GTK_WIDGET (self), r->image_name);
  /* Translators: a history row: the instance, the region, the account. */
  subtitle = g_strdup_printf (_("%s · %s · %s"), instance, region ? region : "", account ? account : "");
  gtk_label_set_text (GTK_LABEL (self->subtitle), subtitle);
  gtk_label_set_text (GTK_LABEL (self->ids), image_id ? image_id : "");
  gtk_widget_set_visible (self->ids, image_id != NULL);

  imprint_history_row_update_time (self, now);
  imprint_state_badge_set_outcome (IMPRINT_STATE_BADGE (self->badge), outcome);
  gtk_widget_set_visible (self->spinner, outcome == TC_HISTORY_OUTCOME_CREATING);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), outcome == TC_HISTORY_OUTCOME_CREATING);
}

void
imprint_history_row_set_entry (ImprintHistoryRow *self,
                               TcHistoryEntry    *entry,
                               TcAccountStore    *store)
{
  g_return_if_fail (IMPRINT_IS_HISTORY_ROW (self));
  g_return_if_fail (entry == NULL || TC_IS_HISTORY_ENTRY (entry));

  if (self->entry != NULL)
    g_signal_handlers_disconnect_by_func (self->entry, fill, self);
  g_set_object (&self->entry, entry);
  g_set_object (&self->store, store);
  if (entry == NULL)
    return;
  g_signal_connect_object (entry, "changed", G_CALLBACK (fill), self, G_CONNECT_SWAPPED);
  fill (self);
}

TcHistoryEntry *
imprint_history_row_get_entry (ImprintHistoryRow *self)
{
  g_return_val_if_fail (IMPRINT_IS_HISTORY_ROW (self), NULL);

  return self->entry;
}

/* Layout */

static void
measure_child (GtkWidget      *child,
               GtkOrientation  orientation,
               int            *minimum,
               int            *natural)
{
  *minimum = *natural = 0;
  if (gtk_widget_should_layout (child))
    gtk_widget_measure (child, orientation, -1, minimum, natural, NULL, NULL);
}

static int
natural_size (GtkWidget      *child,
              GtkOrientation  orientation)
{
  int minimum, natural;

  measure_child (child, orientation, &minimum, &natural);
  return natural;
}

/* Where each part goes in a row @width wide. */
typedef struct {
  gboolean trailing_up;     /* the time and the badge end the name's line */
  gboolean subtitle_beside; /* else the instance's line follows them on theirs */
  int      first;           /* the name's line */
  int      trailing_y;
  int      subtitle_x;
  int      subtitle_y;
  int      subtitle_width;
  int      subtitle_height;
  int      ids_y;
  int      height;
} Layout;

/* The name is never cut where it fits beside the time and the badge, and the instance's
 * line (the region and the account, which are never cut) wraps: under the name at the
 * row's whole width; beside the time and the badge when they moved under the name and it
 * fits there whole; else under them. The row is as tall as that takes at its width. */
static void
lay_out (ImprintHistoryRow *self,
         int                width,
         Layout            *l)
{
  int title_height = natural_size (self->title, GTK_ORIENTATION_VERTICAL);
  int trailing_height = natural_size (self->trailing, GTK_ORIENTATION_VERTICAL);
  int trailing_width = MIN (natural_size (self->trailing, GTK_ORIENTATION_HORIZONTAL), width);
  int beside = width - COLUMN_SPACING - trailing_width;
  int ids = natural_size (self->ids, GTK_ORIENTATION_VERTICAL);
  int y;

  l->trailing_up = natural_size (self->title, GTK_ORIENTATION_HORIZONTAL) <= beside;
  l->subtitle_beside = !l->trailing_up &&
                       natural_size (self->subtitle, GTK_ORIENTATION_HORIZONTAL) <= beside;
  l->first = l->trailing_up ? MAX (title_height, trailing_height) : title_height;
  y = l->first + LINE_SPACING;

  if (l->trailing_up) {
    l->trailing_y = (l->first - trailing_height) / 2;
    l->subtitle_x = 0;
    l->subtitle_width = width;
  } else if (l->subtitle_beside) {
    l->subtitle_x = trailing_width + COLUMN_SPACING;
    l->subtitle_width = MAX (beside, 0);
  } else {
    l->trailing_y = y;
    y += trailing_height + LINE_SPACING;
    l->subtitle_x = 0;
    l->subtitle_width = width;
  }
  if (gtk_widget_should_layout (self->subtitle))
    gtk_widget_measure (self->subtitle, GTK_ORIENTATION_VERTICAL, l->subtitle_width,
                        NULL, &l->subtitle_height, NULL, NULL);
  else
    l->subtitle_height = 0;

  if (l->subtitle_beside) {
    int line = MAX (l->subtitle_height, trailing_height);

    l->trailing_y = y + (line - trailing_height) / 2;
    l->subtitle_y = y + (line - l->subtitle_height) / 2;
    y += line;
  } else {
    l->subtitle_y = y;
    y += l->subtitle_height;
  }
  l->ids_y = y + LINE_SPACING;
  l->height = y + (ids > 0 ? LINE_SPACING + ids : 0);
}

static GtkSizeRequestMode
imprint_history_row_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
imprint_history_row_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  ImprintHistoryRow *self = IMPRINT_HISTORY_ROW (widget);
  int title_min, title_nat, subtitle_min, subtitle_nat, ids_min, ids_nat, trailing_min, trailing_nat;

  measure_child (self->title, GTK_ORIENTATION_HORIZONTAL, &title_min, &title_nat);
  measure_child (self->subtitle, GTK_ORIENTATION_HORIZONTAL, &subtitle_min, &subtitle_nat);
  measure_child (self->ids, GTK_ORIENTATION_HORIZONTAL, &ids_min, &ids_nat);
  measure_child (self->trailing, GTK_ORIENTATION_HORIZONTAL, &trailing_min, &trailing_nat);

  if (orientation == GTK_ORIENTATION_HORIZONTAL) {
    /* At the least, each part on lines of its own; at best, the time and the badge beside
     * the name and the instance's line unwrapped. */
    *minimum = MAX (MAX (title_min, ids_min), MAX (trailing_min, subtitle_min));
    *natural = MAX (title_nat + COLUMN_SPACING + trailing_nat, MAX (subtitle_nat, ids_nat));
  } else {
    Layout l;

    /* GtkListView 4.8 sizes itself by its rows' heights for no width in particular: that
     * is the height at the width the row has (its natural width before it has one). */
    if (for_size < 0) {
      for_size = gtk_widget_get_width (widget);
      if (for_size <= 0)
        for_size = MAX (title_nat + COLUMN_SPACING + trailing_nat, MAX (subtitle_nat, ids_nat));
      self->height_width = for_size;
    }
    lay_out (self, for_size, &l);
    *minimum = *natural = l.height;
  }
  *minimum_baseline = *natural_baseline = -1;
}

static void
place (GtkWidget *widget,
       GtkWidget *child,
       int        width,
       int        x,
       int        y,
       int        child_width,
       int        child_height)
{
  if (!gtk_widget_should_layout (child))
    return;
  /* Right to left, the row is mirrored. */
  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL)
    x = width - x - child_width;
  gtk_widget_size_allocate (child, &(GtkAllocation) { x, y, child_width, child_height }, -1);
}

static gboolean
remeasure_cb (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       user_data)
{
  IMPRINT_HISTORY_ROW (widget)->remeasure_id = 0;
  gtk_widget_queue_resize (widget);
  return G_SOURCE_REMOVE;
}

static void
imprint_history_row_size_allocate (GtkWidget *widget,
                                   int        width,
                                   int        height,
                                   int        baseline)
{
  ImprintHistoryRow *self = IMPRINT_HISTORY_ROW (widget);
  int title_height = natural_size (self->title, GTK_ORIENTATION_VERTICAL);
  int trailing_height = natural_size (self->trailing, GTK_ORIENTATION_VERTICAL);
  int trailing_width = MIN (natural_size (self->trailing, GTK_ORIENTATION_HORIZONTAL), width);
  Layout l;

  lay_out (self, width, &l);
  if (l.trailing_up) {
    /* The whole name fits beside the time and the badge: they end its line. */
    place (widget, self->title, width, 0, (l.first - title_height) / 2,
           width - COLUMN_SPACING - trailing_width, title_height);
    place (widget, self->trailing, width, width - trailing_width, l.trailing_y, trailing_width,
           trailing_height);
  } else {
    /* The name takes the whole line; the time and the badge lead the next. */
    place (widget, self->title, width, 0, 0, width, title_height);
    place (widget, self->trailing, width, 0, l.trailing_y, trailing_width, trailing_height);
  }
  place (widget, self->subtitle, width, l.subtitle_x, l.subtitle_y, l.subtitle_width, l.subtitle_height);
  place (widget, self->ids, width, 0, l.ids_y, width, MAX (height - l.ids_y, 0));
  /* A new row, or the window resized: the list asks its height again at the next frame
   * (not during this allocation, which GTK would not redo), for the width it has now. */
  if (self->remeasure_id == 0 && self->height_width > 0 && self->height_width != width)
    self->remeasure_id = gtk_widget_add_tick_callback (widget, remeasure_cb, NULL, NULL);
}

/* GObject */

static void
imprint_history_row_dispose (GObject *object)
{
  ImprintHistoryRow *self = IMPRINT_HISTORY_ROW (object);

  imprint_history_row_set_entry (self, NULL, NULL);
  if (self->remeasure_id != 0) {
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->remeasure_id);
    self->remeasure_id = 0;
  }
  gtk_widget_dispose_template (GTK_WIDGET (self), IMPRINT_TYPE_HISTORY_ROW);

  G_OBJECT_CLASS (imprint_history_row_parent_class)->dispose (object);
}

static void
imprint_history_row_class_init (ImprintHistoryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = imprint_history_row_dispose;
  widget_class->get_request_mode = imprint_history_row_get_request_mode;
  widget_class->measure = imprint_history_row_measure;
  widget_class->size_allocate = imprint_history_row_size_allocate;

  g_type_ensure (IMPRINT_TYPE_STATE_BADGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/imprint/Imprint/imprint-history-row.ui");
  gtk_widget_class_set_css_name (widget_class, "imprinthistoryrow");
  gtk_widget_class_bind_template_child (widget_class, ImprintHistoryRow, title);
  gtk_widget_class_bind_template_child (widget_class, ImprintHistoryRow, trailing);
  gtk_widget_class_bind_template_child (widget_class, ImprintHistoryRow, time);
  gtk_widget_class_bind_template_child (widget_class, ImprintHistoryRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, ImprintHistoryRow, badge);
  gtk_widget_class_bind_template_child (widget_class, ImprintHistoryRow, subtitle);
  gtk_widget_class_bind_template_child (widget_class, ImprintHistoryRow, ids);
}

static void
imprint_history_row_init (ImprintHistoryRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_has_tooltip (self->time, TRUE);
  g_signal_connect_swapped (self->time, "query-tooltip", G_CALLBACK (time_query_tooltip_cb), self);
}

ImprintHistoryRow *
imprint_history_row_new (void)
{
  return g_object_new (IMPRINT_TYPE_HISTORY_ROW, NULL);
}
