/* imprint-instance-columns.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Which columns the instance picker has, what they are called and how each sorts: by the
 * instance's text as people read it (case-folded, then collated, as GtkStringSorter would),
 * except the ID, ASCII, which sorts byte by byte, and the private IP, which sorts by
 * address, not by text ("10.0.0.9" before "10.0.0.10"); and which give way when the window
 * is narrow. Their cells are ImprintInstanceCell.
 *
 * A comparison must be cheap: ImprintInstanceList sorts 100,000 instances with them, about
 * 1.7 million comparisons. The name compares the key each instance was made with; the
 * other texts (states, systems, zones, types) have few distinct values, and each column
 * keeps the key of each value it met.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "imprint-instance-columns.h"

/* At or below MEDIUM_WIDTH the less important columns (OS, zone, type) give way, where
 * they would not have room for their version and zone number; at or below NARROW_WIDTH the
 * ID and private IP columns too, and both move under the name. */
#define MEDIUM_WIDTH 960
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

static int
compare_name_cb (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  return gtk_ordering_from_cmpfunc (strcmp (tc_instance_get_sort_key ((TcInstance *) a),
                                            tc_instance_get_sort_key ((TcInstance *) b)));
}

static int
compare_id_cb (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  return gtk_ordering_from_cmpfunc (g_strcmp0 (tc_instance_get_id ((TcInstance *) a),
                                               tc_instance_get_id ((TcInstance *) b)));
}

typedef const char *(*TextFunc) (TcInstance *instance);

typedef struct {
  TextFunc    text;
  GHashTable *keys;   /* text → its collation key */
} TextColumn;

static void
text_column_free (gpointer data)
{
  TextColumn *column = data;

  g_hash_table_unref (column->keys);
  g_free (column);
}

static const char *
text_key (TextColumn *column,
          TcInstance *instance)
{
  const char *text = column->text (instance);
  char *key;

  if (text == NULL)
    return NULL;

  key = g_hash_table_lookup (column->keys, text);
  if (key == NULL) {
    g_autofree char *folded = g_utf8_casefold (text, -1);

    key = g_utf8_collate_key (folded, -1);
    g_hash_table_insert (column->keys, g_strdup (text), key);
  }
  return key;
}

static int
compare_text_cb (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  return gtk_ordering_from_cmpfunc (g_strcmp0 (text_key (user_data, (TcInstance *) a),
                                               text_key (user_data, (TcInstance *) b)));
}

static GtkSorter *
text_sorter (TextFunc text)
{
  TextColumn *column = g_new0 (TextColumn, 1);

  column->text = text;
  column->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return GTK_SORTER (gtk_custom_sorter_new (compare_text_cb, column, text_column_free));
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
    const char       *title;
    GCompareDataFunc  compare;   /* or NULL: by this text, collated */
    TextFunc          text;
    gboolean          expand;
  } specs[IMPRINT_N_INSTANCE_COLUMNS] = {
    [IMPRINT_INSTANCE_COLUMN_NAME] = { N_("Name"), compare_name_cb, NULL, TRUE },
    [IMPRINT_INSTANCE_COLUMN_ID] = { N_("ID"), compare_id_cb, NULL, FALSE },
    [IMPRINT_INSTANCE_COLUMN_STATE] = { N_("State"), NULL, tc_instance_get_state_label, FALSE },
    [IMPRINT_INSTANCE_COLUMN_OS] = { N_("OS"), NULL, tc_instance_get_os_name, FALSE },
    [IMPRINT_INSTANCE_COLUMN_ZONE] = { N_("Zone"), NULL, tc_instance_get_zone, FALSE },
    [IMPRINT_INSTANCE_COLUMN_TYPE] = { N_("Type"), NULL, tc_instance_get_instance_type, FALSE },
    [IMPRINT_INSTANCE_COLUMN_IP] = { N_("Private IP"), compare_ip_cb, NULL, FALSE },
  };

  for (ImprintInstanceColumn i = 0; i < IMPRINT_N_INSTANCE_COLUMNS; i++) {
    GtkListItemFactory *factory = imprint_instance_cell_factory_new (context, i);
    g_autoptr(GtkSorter) sorter = NULL;

    if (specs[i].compare != NULL)
      sorter = GTK_SORTER (gtk_custom_sorter_new (specs[i].compare, NULL, NULL));
    else
      sorter = text_sorter (specs[i].text);

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
