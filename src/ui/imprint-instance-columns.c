/* imprint-instance-columns.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Which columns the instance picker has, what they are called and how each sorts: by the
 * instance's string properties, except the private IP, which sorts by address, not by text
 * ("10.0.0.9" before "10.0.0.10"); and which give way when the window is narrow. Their
 * cells are ImprintInstanceCell.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "imprint-instance-columns.h"

/* At or below MEDIUM_WIDTH the less important columns (OS, zone, type) give way; at or
 * below NARROW_WIDTH the ID and private IP columns too, and both move under the name. */
#define MEDIUM_WIDTH 900
#define NARROW_WIDTH 600

static gboolean
parse_ipv4 (const char *text,
            guint32    *address)
{
  guint32 result = 0;

  for (int part = 0; part < 4; part++) {
    guint value = 0;
    int digits = 0;

    while (g_ascii_isdigit (*text) && digits < 4) {
      value = value * 10 + (guint) (*text++ - '0');
      digits++;
    }
    if (digits == 0 || value > 255)
      return FALSE;
    result = (result << 8) | value;

    if (part < 3 && *text++ != '.')
      return FALSE;
  }

  *address = result;
  return *text == '\0';
}

static int
compare_ip_cb (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  const char *ip_a = tc_instance_get_private_ip ((TcInstance *) a);
  const char *ip_b = tc_instance_get_private_ip ((TcInstance *) b);
  guint32 addr_a, addr_b;
  gboolean ok_a = ip_a != NULL && parse_ipv4 (ip_a, &addr_a);
  gboolean ok_b = ip_b != NULL && parse_ipv4 (ip_b, &addr_b);

  if (ok_a && ok_b)
    return addr_a < addr_b ? GTK_ORDERING_SMALLER :
           addr_a > addr_b ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
  if (ok_a != ok_b)
    return ok_a ? GTK_ORDERING_SMALLER : GTK_ORDERING_LARGER;
  return gtk_ordering_from_cmpfunc (g_strcmp0 (ip_a, ip_b));
}

static GtkSorter *
string_sorter (const char *property)
{
  return GTK_SORTER (gtk_string_sorter_new (gtk_property_expression_new (TC_TYPE_INSTANCE, NULL,
                                                                         property)));
}

/**
 * imprint_instance_columns_add:
 * @view: the picker's column view, over an #ImprintInstanceList
 * @context: what the cells share
 * @columns: (out caller-allocates): the columns added, in #ImprintInstanceColumn order;
 *   @view holds them
 *
 * Adds the columns, each sortable; the IP column sorts by address.
 */
void
imprint_instance_columns_add (GtkColumnView              *view,
                              ImprintInstanceCellContext *context,
                              GtkColumnViewColumn        *columns[IMPRINT_N_INSTANCE_COLUMNS])
{
  const struct {
    const char *title;
    const char *property;   /* sorted by this string property, or by address when NULL */
    gboolean    expand;
  } specs[IMPRINT_N_INSTANCE_COLUMNS] = {
    [IMPRINT_INSTANCE_COLUMN_NAME] = { N_("Name"), "name", TRUE },
    [IMPRINT_INSTANCE_COLUMN_ID] = { N_("ID"), "instance-id", FALSE },
    [IMPRINT_INSTANCE_COLUMN_STATE] = { N_("State"), "state-label", FALSE },
    [IMPRINT_INSTANCE_COLUMN_OS] = { N_("OS"), "os-name", FALSE },
    [IMPRINT_INSTANCE_COLUMN_ZONE] = { N_("Zone"), "zone", FALSE },
    [IMPRINT_INSTANCE_COLUMN_TYPE] = { N_("Type"), "instance-type", FALSE },
    [IMPRINT_INSTANCE_COLUMN_IP] = { N_("Private IP"), NULL, FALSE },
  };

  for (ImprintInstanceColumn i = 0; i < IMPRINT_N_INSTANCE_COLUMNS; i++) {
    GtkListItemFactory *factory = imprint_instance_cell_factory_new (context, i);
    g_autoptr(GtkSorter) sorter = NULL;

    if (specs[i].property != NULL)
      sorter = string_sorter (specs[i].property);
    else
      sorter = GTK_SORTER (gtk_custom_sorter_new (compare_ip_cb, NULL, NULL));

    columns[i] = gtk_column_view_column_new (_(specs[i].title), factory);
    gtk_column_view_column_set_sorter (columns[i], sorter);
    gtk_column_view_column_set_expand (columns[i], specs[i].expand);
    gtk_column_view_column_set_resizable (columns[i], TRUE);
    gtk_column_view_append_column (view, columns[i]);
    g_object_unref (columns[i]);   /* the view holds it */
  }
}

/**
 * imprint_instance_columns_fit:
 * @columns: the columns imprint_instance_columns_add() added
 * @context: what the cells share; told whether the window is narrow
 * @width: the width the column view's window is given
 *
 * Hides the columns that do not fit in @width; in a narrow window the name cells show the
 * ID and address instead. Cheap when nothing changes, as on most allocations.
 */
void
imprint_instance_columns_fit (GtkColumnViewColumn        *columns[IMPRINT_N_INSTANCE_COLUMNS],
                              ImprintInstanceCellContext *context,
                              int                         width)
{
  gboolean narrow = width <= NARROW_WIDTH;
  gboolean medium = width <= MEDIUM_WIDTH;

  if (columns[IMPRINT_INSTANCE_COLUMN_NAME] == NULL)
    return;

  gtk_column_view_column_set_visible (columns[IMPRINT_INSTANCE_COLUMN_OS], !medium);
  gtk_column_view_column_set_visible (columns[IMPRINT_INSTANCE_COLUMN_ZONE], !medium);
  gtk_column_view_column_set_visible (columns[IMPRINT_INSTANCE_COLUMN_TYPE], !medium);
  gtk_column_view_column_set_visible (columns[IMPRINT_INSTANCE_COLUMN_ID], !narrow);
  gtk_column_view_column_set_visible (columns[IMPRINT_INSTANCE_COLUMN_IP], !narrow);
  imprint_instance_cell_context_set_narrow (context, narrow);
}
