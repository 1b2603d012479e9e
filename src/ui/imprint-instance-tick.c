/* imprint-instance-tick.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A check box in each row, ticked when the list has the row's instance ticked. Like the
 * other cells it follows its row's instance rather than being bound again (see
 * imprint-instance-list.c), and the list's "ticks-changed" as well: a row activated, a
 * new listing. The column exists only while the picker chooses several, so the common
 * case of one instance pays nothing for it.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "imprint-instance-tick.h"

typedef struct {
  ImprintInstanceList *list;     /* weak: the column lives in the list's picker */
  ImprintInstanceRow  *row;
  gulong               row_handler;
  gulong               list_handler;
} Tick;

static void
tick_free (gpointer data)
{
  Tick *tick = data;

  if (tick->list != NULL)
    g_object_remove_weak_pointer (G_OBJECT (tick->list), (gpointer *) &tick->list);
  g_free (tick);
}

static void
sync_tick (GtkCheckButton *check)
{
  Tick *tick = g_object_get_data (G_OBJECT (check), "imprint-tick");
  TcInstance *instance = tick->row != NULL ? imprint_instance_row_get_instance (tick->row) : NULL;
  g_autofree char *label = NULL;

  if (instance == NULL || tick->list == NULL)
    return;

  g_signal_handlers_block_matched (check, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, tick);
  gtk_check_button_set_active (check, imprint_instance_list_is_ticked (tick->list, instance));
  g_signal_handlers_unblock_matched (check, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, tick);
  gtk_widget_set_sensitive (GTK_WIDGET (check),
                            imprint_instance_list_can_select (tick->list, instance));

  /* Translators: the check box of an instance in the picker; %s is its name. */
  label = g_strdup_printf (_("Choose %s"), tc_instance_get_name (instance));
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
toggled_cb (GtkCheckButton *check,
            Tick           *tick)
{
  TcInstance *instance = tick->row != NULL ? imprint_instance_row_get_instance (tick->row) : NULL;

  if (instance != NULL && tick->list != NULL)
    imprint_instance_list_set_ticked (tick->list, instance, gtk_check_button_get_active (check));
  /* A refusal puts the box back. */
  sync_tick (check);
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          ImprintInstanceList      *list)
{
  GtkWidget *check = gtk_check_button_new ();
  Tick *tick = g_new0 (Tick, 1);

  tick->list = list;
  g_object_add_weak_pointer (G_OBJECT (list), (gpointer *) &tick->list);
  g_object_set_data_full (G_OBJECT (check), "imprint-tick", tick, tick_free);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  g_signal_connect (check, "toggled", G_CALLBACK (toggled_cb), tick);
  gtk_list_item_set_child (item, check);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         gpointer                  user_data)
{
  GtkWidget *check = gtk_list_item_get_child (item);
  Tick *tick = g_object_get_data (G_OBJECT (check), "imprint-tick");

  tick->row = gtk_list_item_get_item (item);
  imprint_instance_row_watch (tick->row);
  tick->row_handler = g_signal_connect_swapped (tick->row, "notify::instance",
                                                G_CALLBACK (sync_tick), check);
  if (tick->list != NULL)
    tick->list_handler = g_signal_connect_swapped (tick->list, "ticks-changed",
                                                   G_CALLBACK (sync_tick), check);
  sync_tick (GTK_CHECK_BUTTON (check));
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  GtkWidget *check = gtk_list_item_get_child (item);
  Tick *tick = g_object_get_data (G_OBJECT (check), "imprint-tick");

  if (tick->row == NULL)
    return;
  g_clear_signal_handler (&tick->row_handler, tick->row);
  if (tick->list != NULL)
    g_clear_signal_handler (&tick->list_handler, tick->list);
  tick->list_handler = 0;
  imprint_instance_row_unwatch (tick->row);
  tick->row = NULL;
}

/**
 * imprint_instance_tick_column_new:
 * @list: the list whose ticks the boxes show and change
 *
 * Returns: (transfer full): a column of check boxes, without a title or a sorter
 */
GtkColumnViewColumn *
imprint_instance_tick_column_new (ImprintInstanceList *list)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_return_val_if_fail (IMPRINT_IS_INSTANCE_LIST (list), NULL);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), list);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), NULL);
  return gtk_column_view_column_new (NULL, factory);
}
