/* imprint-region-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The built-in region list is shown at once and replaced by what DescribeRegions answers;
 * when that fails the built-in list stays and "builtin" says so (the form explains it
 * may be incomplete). A region is named by Imprint's own name for it when it has one, so
 * every region reads alike in the UI's language, otherwise by the server's name or code.
 * The region chosen stays chosen through every change of the list.
 */
#include "config.h"

#include "imprint-region-row.h"
#include "tc-cvm.h"
#include "tc-places.h"

struct _ImprintRegionRow
{
  AdwComboRow   parent_instance;

  GListStore   *regions;
  char         *region;
  gboolean      builtin;
  gboolean      updating;       /* the list or the selection is being changed in code */
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (ImprintRegionRow, imprint_region_row, ADW_TYPE_COMBO_ROW)

enum {
  PROP_0,
  PROP_REGION,
  PROP_BUILTIN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

char *
imprint_region_display_name (TcRegion *region)
{
  const char *code = tc_region_get_region (region);
  const char *known = tc_places_region_name (code);
  const char *name = tc_region_get_name (region);

  if (known != code)
    return g_strdup (known);
  return g_strdup (name != NULL && *name != '\0' ? name : code);
}

void
imprint_region_store_update (GListStore          *store,
                             GListModel          *regions,
                             ImprintRegionFilter  keep,
                             gpointer             data)
{
  /* code → region, each kept; and the codes already in @store. Keys are the regions'. */
  g_autoptr(GHashTable) wanted = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                        g_object_unref);
  g_autoptr(GHashTable) placed = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_if_fail (G_IS_LIST_STORE (store));
  g_return_if_fail (G_IS_LIST_MODEL (regions));

  for (guint i = 0; i < g_list_model_get_n_items (regions); i++) {
    TcRegion *region = g_list_model_get_item (regions, i);
    const char *code = tc_region_get_region (region);

    if (keep (region, data) && !g_hash_table_contains (wanted, code))
      g_hash_table_insert (wanted, (gpointer) code, region);
    else
      g_object_unref (region);
  }

  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (store)); i-- > 0;) {
    g_autoptr(TcRegion) shown = g_list_model_get_item (G_LIST_MODEL (store), i);
    TcRegion *region = g_hash_table_lookup (wanted, tc_region_get_region (shown));
    g_autofree char *was = NULL;
    g_autofree char *now = NULL;

    if (region == NULL || g_hash_table_contains (placed, tc_region_get_region (region))) {
      g_list_store_remove (store, i);
      continue;
    }
    was = imprint_region_display_name (shown);
    now = imprint_region_display_name (region);
    if (g_strcmp0 (was, now) != 0)
      g_list_store_splice (store, i, 1, (gpointer *) &region, 1);
    g_hash_table_add (placed, (gpointer) tc_region_get_region (region));
  }

  /* What is left is new, in @regions' order. */
  for (guint i = 0; i < g_list_model_get_n_items (regions); i++) {
    g_autoptr(TcRegion) item = g_list_model_get_item (regions, i);
    TcRegion *region = g_hash_table_lookup (wanted, tc_region_get_region (item));

    if (region != NULL && !g_hash_table_contains (placed, tc_region_get_region (region))) {
      g_list_store_append (store, region);
      g_hash_table_add (placed, (gpointer) tc_region_get_region (region));
    }
  }
}

static void
select_region (ImprintRegionRow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->regions));
  g_autoptr(TcRegion) extra = NULL;

  if (self->region == NULL)
    return;

  self->updating = TRUE;
  for (guint i = 0; i < n; i++) {
    g_autoptr(TcRegion) region = g_list_model_get_item (G_LIST_MODEL (self->regions), i);

    if (g_strcmp0 (tc_region_get_region (region), self->region) == 0) {
      adw_combo_row_set_selected (ADW_COMBO_ROW (self), i);
      self->updating = FALSE;
      return;
    }
  }

  extra = tc_region_new (self->region, self->region, TRUE);
  g_list_store_append (self->regions, extra);
  adw_combo_row_set_selected (ADW_COMBO_ROW (self), n);
  self->updating = FALSE;
}

static gboolean
offered (TcRegion         *region,
         ImprintRegionRow *self)
{
  return tc_region_get_available (region) ||
         g_strcmp0 (tc_region_get_region (region), self->region) == 0;
}

/* The regions of @regions that are available, and the chosen one whatever it is. */
static void
replace_regions (ImprintRegionRow *self,
                 GListModel       *regions)
{
  self->updating = TRUE;
  imprint_region_store_update (self->regions, regions, (ImprintRegionFilter) offered, self);
  self->updating = FALSE;
  select_region (self);
}

static void
set_builtin (ImprintRegionRow *self,
             gboolean          builtin)
{
  if (self->builtin == builtin)
    return;
  self->builtin = builtin;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUILTIN]);
}

static void
regions_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  ImprintRegionRow *self = user_data;
  g_autoptr(GListModel) regions = NULL;
  g_autoptr(GError) error = NULL;

  /* Returns at once when cancelled: the row may be gone. */
  regions = tc_cvm_describe_regions_finish (TC_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (regions == NULL || g_list_model_get_n_items (regions) == 0) {
    g_debug ("DescribeRegions failed: %s", error ? error->message : "empty list");
    set_builtin (self, TRUE);
    return;
  }

  set_builtin (self, FALSE);
  replace_regions (self, regions);
}

void
imprint_region_row_load (ImprintRegionRow *self,
                         TcClient         *client)
{
  g_autoptr(GListModel) builtin = tc_region_list_builtin ();

  g_return_if_fail (IMPRINT_IS_REGION_ROW (self));
  g_return_if_fail (TC_IS_CLIENT (client));

  replace_regions (self, builtin);
  set_builtin (self, FALSE);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  tc_cvm_describe_regions_async (client, self->cancellable, regions_cb, self);
}

const char *
imprint_region_row_get_region (ImprintRegionRow *self)
{
  g_return_val_if_fail (IMPRINT_IS_REGION_ROW (self), NULL);

  return self->region;
}

void
imprint_region_row_set_region (ImprintRegionRow *self,
                               const char       *region)
{
  g_return_if_fail (IMPRINT_IS_REGION_ROW (self));

  if (g_strcmp0 (self->region, region) == 0)
    return;

  g_free (self->region);
  self->region = g_strdup (region);
  select_region (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGION]);
}

gboolean
imprint_region_row_get_builtin (ImprintRegionRow *self)
{
  g_return_val_if_fail (IMPRINT_IS_REGION_ROW (self), FALSE);

  return self->builtin;
}

/* The user chose a region. */
static void
selected_cb (ImprintRegionRow *self)
{
  TcRegion *region;

  if (self->updating)
    return;

  region = adw_combo_row_get_selected_item (ADW_COMBO_ROW (self));
  if (region != NULL)
    imprint_region_row_set_region (self, tc_region_get_region (region));
}

static void
imprint_region_row_dispose (GObject *object)
{
  ImprintRegionRow *self = IMPRINT_REGION_ROW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (imprint_region_row_parent_class)->dispose (object);
}

static void
imprint_region_row_finalize (GObject *object)
{
  ImprintRegionRow *self = IMPRINT_REGION_ROW (object);

  g_clear_object (&self->regions);
  g_free (self->region);

  G_OBJECT_CLASS (imprint_region_row_parent_class)->finalize (object);
}

static void
imprint_region_row_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  ImprintRegionRow *self = IMPRINT_REGION_ROW (object);

  switch (prop_id) {
  case PROP_REGION:
    g_value_set_string (value, self->region);
    break;
  case PROP_BUILTIN:
    g_value_set_boolean (value, self->builtin);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
imprint_region_row_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  ImprintRegionRow *self = IMPRINT_REGION_ROW (object);

  switch (prop_id) {
  case PROP_REGION:
    imprint_region_row_set_region (self, g_value_get_string (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
imprint_region_row_class_init (ImprintRegionRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = imprint_region_row_dispose;
  object_class->finalize = imprint_region_row_finalize;
  object_class->get_property = imprint_region_row_get_property;
  object_class->set_property = imprint_region_row_set_property;

  properties[PROP_REGION] =
    g_param_spec_string ("region", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUILTIN] =
    g_param_spec_boolean ("builtin", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
imprint_region_row_init (ImprintRegionRow *self)
{
  GtkExpression *expression;

  self->regions = g_list_store_new (TC_TYPE_REGION);
  expression = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                            G_CALLBACK (imprint_region_display_name), NULL, NULL);
  adw_combo_row_set_expression (ADW_COMBO_ROW (self), expression);
  gtk_expression_unref (expression);
  adw_combo_row_set_model (ADW_COMBO_ROW (self), G_LIST_MODEL (self->regions));
  g_signal_connect (self, "notify::selected", G_CALLBACK (selected_cb), NULL);
}
