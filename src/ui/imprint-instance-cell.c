/* imprint-instance-cell.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A cell of the instance picker: what one column shows of the row it is bound to. The row
 * stays while a search changes the instance it shows (see imprint-instance-list.c), so the
 * cell follows the row's "instance" rather than being bound again.
 *
 * The list view keeps more rows bound than the dozen on screen (a part of the matches more,
 * see imprint-list-pager.c), and a search changes what every one of them shows. So cells are made of GtkInscription, whose
 * size does not depend on its text: nothing is measured again when the text changes. Only
 * the state badge is a label, to hug its word. And a cell off screen when its row changes
 * waits to show the new instance until after the frame (imprint-instance-cell-context.c).
 */
#include "config.h"

#include "imprint-instance-cell.h"
#include "imprint-instance-name-cell.h"
#include "imprint-state-badge.h"
#include "imprint-text-line.h"

struct _ImprintInstanceCell
{
  GtkWidget                   parent_instance;

  ImprintInstanceCellContext *context;
  ImprintInstanceColumn       column;
  GtkWidget                  *child;
  ImprintInstanceRow         *row;       /* watched while set */
  gulong                      handler;
  guint                       font_serial;   /* of the font the text was fitted to */
};

G_DEFINE_FINAL_TYPE (ImprintInstanceCell, imprint_instance_cell, GTK_TYPE_WIDGET)

static GtkWidget *
cell_text (int min_chars,
           int nat_chars)
{
  GtkWidget *text = gtk_inscription_new (NULL);

  gtk_inscription_set_xalign (GTK_INSCRIPTION (text), 0.0);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (text), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (text), min_chars);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (text), nat_chars);
  /* One line, centred in rows that other cells make taller; as tall as Chinese needs
   * (see fit_text()). */
  gtk_inscription_set_min_lines (GTK_INSCRIPTION (text), 1);
  gtk_inscription_set_nat_lines (GTK_INSCRIPTION (text), 1);
  gtk_widget_set_valign (text, GTK_ALIGN_CENTER);
  return text;
}

/* Tooltips are asked for when shown, never set while binding: see
 * imprint-instance-name-cell.c. */
static gboolean
text_query_tooltip_cb (GtkWidget  *text,
                       int         x,
                       int         y,
                       gboolean    keyboard,
                       GtkTooltip *tooltip,
                       gpointer    user_data)
{
  const char *full = gtk_inscription_get_text (GTK_INSCRIPTION (text));

  if (full == NULL || *full == '\0')
    return FALSE;

  gtk_tooltip_set_text (tooltip, full);
  return TRUE;
}

static GtkWidget *
make_child (ImprintInstanceColumn column)
{
  GtkWidget *child;

  switch (column) {
  case IMPRINT_INSTANCE_COLUMN_NAME:
    return imprint_instance_name_cell_new ();

  case IMPRINT_INSTANCE_COLUMN_ID:
    child = cell_text (12, 12);
    gtk_widget_add_css_class (child, "monospace");
    gtk_widget_add_css_class (child, "dim-label");
    return child;

  case IMPRINT_INSTANCE_COLUMN_STATE:
    return imprint_state_badge_new ();

  case IMPRINT_INSTANCE_COLUMN_OS:
    /* Room for most names whole ("TencentOS Server 3.1 (TK4)") at the picker's size, and
     * for the version of the rest; longer ones ("Windows Server 2019 数据中心版 64位中文版")
     * end in "…", whole in the tooltip, so the name column keeps its room. */
    child = cell_text (16, 25);
    gtk_widget_set_has_tooltip (child, TRUE);
    g_signal_connect (child, "query-tooltip", G_CALLBACK (text_query_tooltip_cb), NULL);
    return child;

  case IMPRINT_INSTANCE_COLUMN_ZONE:
    /* "Guangzhou Zone 3" whole at the picker's size; narrower, the city gives way, not
     * the number that tells the zones apart (the header names the region). */
    child = cell_text (12, 17);
    gtk_inscription_set_text_overflow (GTK_INSCRIPTION (child), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_MIDDLE);
    return child;

  case IMPRINT_INSTANCE_COLUMN_TYPE:
    return cell_text (11, 13);

  case IMPRINT_INSTANCE_COLUMN_IP:
    child = cell_text (11, 12);
    gtk_widget_add_css_class (child, "numeric");
    return child;

  case IMPRINT_N_INSTANCE_COLUMNS:
  default:
    g_assert_not_reached ();
  }
}

static void
set_text (GtkWidget  *text,
          const char *value)
{
  /* Every value comes from the server: plain text only, never markup. */
  gtk_inscription_set_text (GTK_INSCRIPTION (text), value != NULL && *value != '\0' ? value : "—");
}

static void
show_name (ImprintInstanceCell *self,
           TcInstance          *instance)
{
  const char *ip = tc_instance_get_private_ip (instance);
  g_autofree char *details = NULL;

  if (ip != NULL)
    details = g_strconcat (tc_instance_get_id (instance),
                           imprint_instance_cell_context_get_separator (self->context), ip, NULL);

  imprint_instance_name_cell_show (IMPRINT_INSTANCE_NAME_CELL (self->child),
                                   tc_instance_get_name (instance),
                                   details != NULL ? details : tc_instance_get_id (instance),
                                   imprint_instance_cell_context_refusal (self->context,
                                                                          tc_instance_get_state (instance)));
}

static void
show (ImprintInstanceCell *self)
{
  TcInstance *instance = imprint_instance_row_get_instance (self->row);

  switch (self->column) {
  case IMPRINT_INSTANCE_COLUMN_NAME:
    show_name (self, instance);
    break;

  case IMPRINT_INSTANCE_COLUMN_ID:
    set_text (self->child, tc_instance_get_id (instance));
    break;

  case IMPRINT_INSTANCE_COLUMN_STATE:
    imprint_state_badge_set_instance_state (IMPRINT_STATE_BADGE (self->child),
                                            tc_instance_get_state (instance));
    break;

  case IMPRINT_INSTANCE_COLUMN_OS:
    set_text (self->child, tc_instance_get_os_name (instance));
    break;

  case IMPRINT_INSTANCE_COLUMN_ZONE:
    set_text (self->child, imprint_instance_cell_context_zone_name (self->context,
                                                                    tc_instance_get_zone (instance)));
    break;

  case IMPRINT_INSTANCE_COLUMN_TYPE:
    set_text (self->child, tc_instance_get_instance_type (instance));
    break;

  case IMPRINT_INSTANCE_COLUMN_IP:
    set_text (self->child, tc_instance_get_private_ip (instance));
    break;

  case IMPRINT_N_INSTANCE_COLUMNS:
  default:
    g_assert_not_reached ();
  }
}

/**
 * imprint_instance_cell_is_on_screen:
 *
 * Whether the cell's row is in the visible part of its list view, or may be, as the last
 * layout placed it. GTK 4.8's list view places its rows, the children, where they are
 * seen: above its top or below its bottom is off screen.
 */
gboolean
imprint_instance_cell_is_on_screen (ImprintInstanceCell *self)
{
  GtkWidget *row = GTK_WIDGET (self);
  GtkWidget *view;
  graphene_rect_t bounds;

  while ((view = gtk_widget_get_parent (row)) != NULL && !GTK_IS_LIST_VIEW (view))
    row = view;
  if (view == NULL || !gtk_widget_compute_bounds (row, view, &bounds))
    return TRUE;
  return bounds.origin.y + bounds.size.height > 0 && bounds.origin.y < gtk_widget_get_height (view);
}

static void
row_instance_changed_cb (ImprintInstanceCell *self)
{
  if (imprint_instance_cell_is_on_screen (self))
    show (self);
  else
    imprint_instance_cell_context_wait (self->context, self);
}

/**
 * imprint_instance_cell_catch_up:
 *
 * Shows what the cell's row shows now; for imprint_instance_cell_context_wait().
 */
void
imprint_instance_cell_catch_up (ImprintInstanceCell *self)
{
  g_return_if_fail (IMPRINT_IS_INSTANCE_CELL (self));

  if (self->row != NULL && imprint_instance_row_get_instance (self->row) != NULL)
    show (self);
}

static void
narrow_changed_cb (ImprintInstanceCell *self)
{
  imprint_instance_name_cell_set_narrow (IMPRINT_INSTANCE_NAME_CELL (self->child),
                                         imprint_instance_cell_context_get_narrow (self->context));
}

/* Text from the server may be Chinese, in any column: see imprint-text-line.c. */
static void
fit_text (ImprintInstanceCell *self)
{
  if (GTK_IS_INSCRIPTION (self->child))
    imprint_text_line_fit (GTK_WIDGET (self), self->child, &self->font_serial);
}

static void
imprint_instance_cell_css_changed (GtkWidget         *widget,
                                   GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (imprint_instance_cell_parent_class)->css_changed (widget, change);

  fit_text (IMPRINT_INSTANCE_CELL (widget));
}

static void
imprint_instance_cell_system_setting_changed (GtkWidget       *widget,
                                              GtkSystemSetting setting)
{
  GTK_WIDGET_CLASS (imprint_instance_cell_parent_class)->system_setting_changed (widget, setting);

  fit_text (IMPRINT_INSTANCE_CELL (widget));
}

static void
imprint_instance_cell_dispose (GObject *object)
{
  ImprintInstanceCell *self = IMPRINT_INSTANCE_CELL (object);

  imprint_instance_cell_set_row (self, NULL);
  g_clear_pointer (&self->child, gtk_widget_unparent);
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (self->context, self);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (imprint_instance_cell_parent_class)->dispose (object);
}

static void
imprint_instance_cell_class_init (ImprintInstanceCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = imprint_instance_cell_dispose;

  widget_class->css_changed = imprint_instance_cell_css_changed;
  widget_class->system_setting_changed = imprint_instance_cell_system_setting_changed;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
imprint_instance_cell_init (ImprintInstanceCell *self)
{
}

/**
 * imprint_instance_cell_new:
 * @context: what the picker's cells share
 * @column: the column the cell is in
 */
GtkWidget *
imprint_instance_cell_new (ImprintInstanceCellContext *context,
                           ImprintInstanceColumn       column)
{
  ImprintInstanceCell *self;

  g_return_val_if_fail (IMPRINT_IS_INSTANCE_CELL_CONTEXT (context), NULL);
  g_return_val_if_fail ((guint) column < IMPRINT_N_INSTANCE_COLUMNS, NULL);

  self = g_object_new (IMPRINT_TYPE_INSTANCE_CELL, NULL);
  self->context = g_object_ref (context);
  self->column = column;
  self->child = make_child (column);
  gtk_widget_set_parent (self->child, GTK_WIDGET (self));

  if (column == IMPRINT_INSTANCE_COLUMN_NAME) {
    g_signal_connect_swapped (context, "notify::narrow", G_CALLBACK (narrow_changed_cb), self);
    narrow_changed_cb (self);
  }
  return GTK_WIDGET (self);
}

ImprintInstanceRow *
imprint_instance_cell_get_row (ImprintInstanceCell *self)
{
  g_return_val_if_fail (IMPRINT_IS_INSTANCE_CELL (self), NULL);

  return self->row;
}

/**
 * imprint_instance_cell_set_row:
 * @row: (nullable): the row to show and follow, or %NULL to stop
 */
void
imprint_instance_cell_set_row (ImprintInstanceCell *self,
                               ImprintInstanceRow  *row)
{
  g_return_if_fail (IMPRINT_IS_INSTANCE_CELL (self));
  g_return_if_fail (row == NULL || IMPRINT_IS_INSTANCE_ROW (row));

  if (self->row == row)
    return;

  imprint_instance_cell_context_forget (self->context, self);
  if (self->row != NULL) {
    g_clear_signal_handler (&self->handler, self->row);
    imprint_instance_row_unwatch (self->row);
    g_clear_object (&self->row);
  }

  if (row == NULL)
    return;

  self->row = g_object_ref (row);
  self->handler = g_signal_connect_swapped (row, "notify::instance",
                                            G_CALLBACK (row_instance_changed_cb), self);
  imprint_instance_row_watch (row);
  show (self);
}

/* The factory */

typedef struct {
  ImprintInstanceCellContext *context;
  ImprintInstanceColumn       column;
} Column;

static void
column_free (gpointer data,
             GClosure *closure)
{
  Column *column = data;

  g_object_unref (column->context);
  g_free (column);
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          Column                   *column)
{
  /* Selection and activation go through the row and ImprintInstanceList; a cell that took
   * focus on its own would only get in the way of the arrow keys. */
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_selectable (item, FALSE);
  gtk_list_item_set_child (item, imprint_instance_cell_new (column->context, column->column));
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         gpointer                  user_data)
{
  imprint_instance_cell_set_row (IMPRINT_INSTANCE_CELL (gtk_list_item_get_child (item)),
                                 gtk_list_item_get_item (item));
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  imprint_instance_cell_set_row (IMPRINT_INSTANCE_CELL (gtk_list_item_get_child (item)), NULL);
}

/**
 * imprint_instance_cell_factory_new:
 *
 * Returns: (transfer full): a factory of the cells of @column, for a column view over an
 *   #ImprintInstanceList
 */
GtkListItemFactory *
imprint_instance_cell_factory_new (ImprintInstanceCellContext *context,
                                   ImprintInstanceColumn       column)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  Column *data = g_new0 (Column, 1);

  data->context = g_object_ref (context);
  data->column = column;
  g_signal_connect_data (factory, "setup", G_CALLBACK (setup_cb), data, column_free, 0);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), NULL);
  return factory;
}
