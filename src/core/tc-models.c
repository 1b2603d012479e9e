/* tc-models.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "tc-error.h"
#include "tc-json-reader.h"
#include "tc-models.h"
#include "tc-places.h"

static GError *
missing_field (const char *what,
               const char *field)
{
  g_autofree char *detail = g_strdup_printf ("%s: missing or invalid “%s”", what, field);
  GError *error = g_error_new_literal (TC_ERROR, TC_ERROR_MALFORMED_RESPONSE,
                                       tc_error_describe (TC_ERROR_MALFORMED_RESPONSE));

  tc_error_set_server_details (error, NULL, detail, NULL, 200);
  return error;
}

/* API 3.0 times are ISO 8601 in UTC; legacy ones are "YYYY-MM-DD HH:MM:SS" in Beijing time. */
static GDateTime *
parse_time (const char *text)
{
  g_autoptr(GTimeZone) beijing = NULL;
  int y, mo, d, h, mi, s;

  if (text == NULL || *text == '\0')
    return NULL;

  if (strchr (text, 'T') != NULL) {
    g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

    return g_date_time_new_from_iso8601 (text, utc);
  }

  /* Field widths keep sscanf from overflowing an int on a long run of digits. */
  if (sscanf (text, "%4d-%2d-%2d %2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) != 6)
    return NULL;

  beijing = g_time_zone_new_offset (8 * 3600);
  return g_date_time_new (beijing, y, mo, d, h, mi, s);
}

/* TcDisk */

G_DEFINE_BOXED_TYPE (TcDisk, tc_disk, tc_disk_copy, tc_disk_free)

TcDisk *
tc_disk_new (const char *disk_id,
             const char *disk_type,
             guint       size_gb)
{
  TcDisk *disk = g_new0 (TcDisk, 1);

  disk->disk_id = g_strdup (disk_id);
  disk->disk_type = g_strdup (disk_type);
  disk->size_gb = size_gb;
  return disk;
}

TcDisk *
tc_disk_copy (const TcDisk *disk)
{
  return tc_disk_new (disk->disk_id, disk->disk_type, disk->size_gb);
}

void
tc_disk_free (TcDisk *disk)
{
  if (disk == NULL)
    return;
  g_free (disk->disk_id);
  g_free (disk->disk_type);
  g_free (disk);
}

/* Readers of answers: each reads the value at the cursor, the last member of a name
 * counting (tc-json-reader.c). */

static void
replace (char **field,
         char  *value)
{
  g_free (*field);
  *field = value;
}

static guint
read_uint (TcJsonReader *reader)
{
  gint64 value;

  return tc_json_reader_read_int (reader, &value) ? (guint) CLAMP (value, 0, G_MAXUINT) : 0;
}

static GError *
malformed_item (const char *set)
{
  GError *error = g_error_new_literal (TC_ERROR, TC_ERROR_MALFORMED_RESPONSE,
                                       tc_error_describe (TC_ERROR_MALFORMED_RESPONSE));

  tc_error_set_server_details (error, NULL, set, NULL, 200);
  return error;
}

/* Reads a disk object: the names of its members differ between the protocols. */
static TcDisk *
read_disk (TcJsonReader *reader,
           const char   *id_member,
           const char   *type_member,
           const char   *size_member)
{
  g_autofree char *id = NULL;
  g_autofree char *type = NULL;
  guint size = 0;
  const char *name;
  guint level;

  if (!tc_json_reader_enter_object (reader, &level))
    return NULL;
  while (tc_json_reader_next_member (reader, level, &name)) {
    if (g_str_equal (name, id_member))
      replace (&id, tc_json_reader_dup_string (reader));
    else if (g_str_equal (name, type_member))
      replace (&type, tc_json_reader_dup_string (reader));
    else if (g_str_equal (name, size_member))
      size = read_uint (reader);
  }
  return id != NULL ? tc_disk_new (id, type, size) : NULL;
}

static void
replace_disk (TcDisk **field,
              TcDisk  *disk)
{
  tc_disk_free (*field);
  *field = disk;
}

static void
read_disks (TcJsonReader *reader,
            GPtrArray    *disks,
            const char   *id_member,
            const char   *type_member,
            const char   *size_member)
{
  guint level;

  g_ptr_array_set_size (disks, 0);
  if (!tc_json_reader_enter_array (reader, &level))
    return;
  while (tc_json_reader_next_element (reader, level)) {
    TcDisk *disk = read_disk (reader, id_member, type_member, size_member);

    if (disk != NULL)
      g_ptr_array_add (disks, disk);
  }
}

/* TcRegion */

struct _TcRegion
{
  GObject   parent_instance;
  char     *region;
  char     *name;
  gboolean  available;
};

G_DEFINE_FINAL_TYPE (TcRegion, tc_region, G_TYPE_OBJECT)

enum {
  REGION_PROP_0,
  REGION_PROP_REGION,
  REGION_PROP_NAME,
  REGION_N_PROPS
};

static GParamSpec *region_props[REGION_N_PROPS];

static void
tc_region_finalize (GObject *object)
{
  TcRegion *self = TC_REGION (object);

  g_free (self->region);
  g_free (self->name);
  G_OBJECT_CLASS (tc_region_parent_class)->finalize (object);
}

static void
tc_region_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  TcRegion *self = TC_REGION (object);

  switch (prop_id) {
  case REGION_PROP_REGION:
    g_value_set_string (value, self->region);
    break;
  case REGION_PROP_NAME:
    g_value_set_string (value, self->name);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tc_region_class_init (TcRegionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tc_region_finalize;
  object_class->get_property = tc_region_get_property;

  region_props[REGION_PROP_REGION] =
    g_param_spec_string ("region", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  region_props[REGION_PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, REGION_N_PROPS, region_props);
}

static void
tc_region_init (TcRegion *self)
{
}

TcRegion *
tc_region_new (const char *region,
               const char *name,
               gboolean    available)
{
  TcRegion *self = g_object_new (TC_TYPE_REGION, NULL);

  self->region = g_strdup (region);
  self->name = g_strdup (name && *name ? name : region);
  self->available = available;
  return self;
}

/**
 * tc_region_read_api3:
 *
 * Returns: (transfer full) (nullable): the region in a `RegionSet` entry, or %NULL when
 *   the entry has no region code
 */
TcRegion *
tc_region_read_api3 (TcJsonReader *reader)
{
  g_autofree char *region = NULL;
  g_autofree char *state = NULL;
  g_autofree char *name = NULL;
  const char *member;
  guint level;

  if (!tc_json_reader_enter_object (reader, &level))
    return NULL;
  while (tc_json_reader_next_member (reader, level, &member)) {
    if (g_str_equal (member, "Region"))
      replace (&region, tc_json_reader_dup_string (reader));
    else if (g_str_equal (member, "RegionState"))
      replace (&state, tc_json_reader_dup_string (reader));
    else if (g_str_equal (member, "RegionName"))
      replace (&name, tc_json_reader_dup_text (reader));
  }

  if (region == NULL || *region == '\0')
    return NULL;
  return tc_region_new (region, name, state == NULL || g_str_equal (state, "AVAILABLE"));
}

const char *
tc_region_get_region (TcRegion *self)
{
  return self->region;
}

const char *
tc_region_get_name (TcRegion *self)
{
  return self->name;
}

gboolean
tc_region_get_available (TcRegion *self)
{
  return self->available;
}

/**
 * tc_region_list_builtin:
 *
 * The regions Imprint knows without asking, by the names tc-places gives them: used when
 * DescribeRegions fails and by the legacy protocol, which has no such action.
 *
 * Returns: (transfer full): a #GListModel of #TcRegion
 */
GListModel *
tc_region_list_builtin (void)
{
  GListStore *store = g_list_store_new (TC_TYPE_REGION);
  g_auto(GStrv) codes = tc_places_dup_region_codes ();

  for (guint i = 0; codes[i] != NULL; i++) {
    g_autoptr(TcRegion) region = tc_region_new (codes[i], tc_places_region_name (codes[i]), TRUE);

    g_list_store_append (store, region);
  }
  return G_LIST_MODEL (store);
}

/* TcInstance */

struct _TcInstance
{
  GObject          parent_instance;
  char            *id;
  char            *name;
  TcInstanceState  state;
  char            *os_name;
  char            *zone;
  char            *instance_type;
  char            *private_ip;
  char            *public_ip;
  guint            cpu;
  guint            memory;
  GDateTime       *created;
  TcDisk          *system_disk;
  GPtrArray       *data_disks;
  /* Made once, with the instance, where the page is read: the picker sorts and searches
   * 100,000 of them, and making these there, all at once on the UI thread, was most of the
   * longest stall of the window (bench-stall). */
  char            *sort_key;
  char            *search_key;
};

G_DEFINE_FINAL_TYPE (TcInstance, tc_instance, G_TYPE_OBJECT)

enum {
  INSTANCE_PROP_0,
  INSTANCE_PROP_ID,
  INSTANCE_PROP_NAME,
  INSTANCE_PROP_STATE,
  INSTANCE_PROP_STATE_LABEL,
  INSTANCE_PROP_OS_NAME,
  INSTANCE_PROP_ZONE,
  INSTANCE_PROP_INSTANCE_TYPE,
  INSTANCE_PROP_PRIVATE_IP,
  INSTANCE_N_PROPS
};

static GParamSpec *instance_props[INSTANCE_N_PROPS];

static void
tc_instance_finalize (GObject *object)
{
  TcInstance *self = TC_INSTANCE (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->os_name);
  g_free (self->zone);
  g_free (self->instance_type);
  g_free (self->private_ip);
  g_free (self->public_ip);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_clear_pointer (&self->system_disk, tc_disk_free);
  g_clear_pointer (&self->data_disks, g_ptr_array_unref);
  g_free (self->sort_key);
  g_free (self->search_key);
  G_OBJECT_CLASS (tc_instance_parent_class)->finalize (object);
}

static void
tc_instance_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  TcInstance *self = TC_INSTANCE (object);

  switch (prop_id) {
  case INSTANCE_PROP_ID:
    g_value_set_string (value, self->id);
    break;
  case INSTANCE_PROP_NAME:
    g_value_set_string (value, self->name);
    break;
  case INSTANCE_PROP_STATE:
    g_value_set_uint (value, self->state);
    break;
  case INSTANCE_PROP_STATE_LABEL:
    g_value_set_string (value, tc_instance_state_describe (self->state));
    break;
  case INSTANCE_PROP_OS_NAME:
    g_value_set_string (value, self->os_name);
    break;
  case INSTANCE_PROP_ZONE:
    g_value_set_string (value, self->zone);
    break;
  case INSTANCE_PROP_INSTANCE_TYPE:
    g_value_set_string (value, self->instance_type);
    break;
  case INSTANCE_PROP_PRIVATE_IP:
    g_value_set_string (value, self->private_ip);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tc_instance_class_init (TcInstanceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = tc_instance_finalize;
  object_class->get_property = tc_instance_get_property;

  instance_props[INSTANCE_PROP_ID] = g_param_spec_string ("instance-id", NULL, NULL, NULL, flags);
  instance_props[INSTANCE_PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  instance_props[INSTANCE_PROP_STATE] =
    g_param_spec_uint ("state", NULL, NULL, 0, G_MAXUINT, TC_INSTANCE_STATE_UNKNOWN, flags);
  instance_props[INSTANCE_PROP_STATE_LABEL] = g_param_spec_string ("state-label", NULL, NULL, NULL, flags);
  instance_props[INSTANCE_PROP_OS_NAME] = g_param_spec_string ("os-name", NULL, NULL, NULL, flags);
  instance_props[INSTANCE_PROP_ZONE] = g_param_spec_string ("zone", NULL, NULL, NULL, flags);
  instance_props[INSTANCE_PROP_INSTANCE_TYPE] = g_param_spec_string ("instance-type", NULL, NULL, NULL, flags);
  instance_props[INSTANCE_PROP_PRIVATE_IP] = g_param_spec_string ("private-ip", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, INSTANCE_N_PROPS, instance_props);
}

static void
tc_instance_init (TcInstance *self)
{
  self->data_disks = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_disk_free);
}

/* The first string of an array of addresses, as text to show. */
static char *
first_string (TcJsonReader *reader)
{
  char *first = NULL;
  guint level;

  if (!tc_json_reader_enter_array (reader, &level))
    return NULL;
  while (tc_json_reader_next_element (reader, level)) {
    if (first == NULL && tc_json_reader_peek (reader) == TC_JSON_STRING)
      first = tc_json_reader_dup_text (reader);
  }
  return first;
}

/* The zone, from `Placement`. */
static char *
read_zone (TcJsonReader *reader)
{
  char *zone = NULL;
  const char *name;
  guint level;

  if (!tc_json_reader_enter_object (reader, &level))
    return NULL;
  while (tc_json_reader_next_member (reader, level, &name)) {
    if (g_str_equal (name, "Zone"))
      replace (&zone, tc_json_reader_dup_text (reader));
  }
  return zone;
}

static GDateTime *
read_time (TcJsonReader *reader,
           GDateTime    *before)
{
  g_clear_pointer (&before, g_date_time_unref);
  return parse_time (tc_json_reader_read_string (reader));
}

/* An instance without an ID cannot be picked: the whole answer is broken. A whole one gets
 * its keys: the name's as GtkStringSorter would sort it (case-folded, then collated), and
 * the case-folded "name\nid\nprivate ip\npublic ip" a search looks in; the public address
 * is the one most people know. The search comes from a one-line entry, so a match never
 * spans two fields. */
static TcInstance *
instance_finish (TcInstance   *self,
                 TcJsonReader *reader,
                 const char   *set,
                 const char   *id_member,
                 GError      **error)
{
  g_autofree char *folded_name = NULL;
  g_autofree char *joined = NULL;

  if (self->id == NULL || *self->id == '\0' || tc_json_reader_failed (reader)) {
    g_object_unref (self);
    g_propagate_error (error, missing_field (set, id_member));
    return NULL;
  }

  folded_name = g_utf8_casefold (self->name != NULL ? self->name : "", -1);
  self->sort_key = g_utf8_collate_key (folded_name, -1);
  joined = g_strconcat (self->name != NULL ? self->name : "", "\n", self->id, "\n",
                        self->private_ip != NULL ? self->private_ip : "", "\n",
                        self->public_ip != NULL ? self->public_ip : "", NULL);
  self->search_key = g_utf8_casefold (joined, -1);
  return self;
}

/**
 * tc_instance_read_api3:
 *
 * Returns: (transfer full): the instance described by an `InstanceSet` entry
 */
TcInstance *
tc_instance_read_api3 (TcJsonReader  *reader,
                       GError       **error)
{
  TcInstance *self;
  const char *name;
  guint level;

  if (!tc_json_reader_enter_object (reader, &level)) {
    g_propagate_error (error, malformed_item ("InstanceSet"));
    return NULL;
  }

  self = g_object_new (TC_TYPE_INSTANCE, NULL);
  while (tc_json_reader_next_member (reader, level, &name)) {
    if (g_str_equal (name, "InstanceId"))
      replace (&self->id, tc_json_reader_dup_string (reader));
    else if (g_str_equal (name, "InstanceName"))
      replace (&self->name, tc_json_reader_dup_text (reader));
    else if (g_str_equal (name, "InstanceState"))
      self->state = tc_instance_state_from_api3 (tc_json_reader_read_string (reader));
    else if (g_str_equal (name, "OsName"))
      replace (&self->os_name, tc_json_reader_dup_text (reader));
    else if (g_str_equal (name, "Placement"))
      replace (&self->zone, read_zone (reader));
    else if (g_str_equal (name, "InstanceType"))
      replace (&self->instance_type, tc_json_reader_dup_text (reader));
    else if (g_str_equal (name, "PrivateIpAddresses"))
      replace (&self->private_ip, first_string (reader));
    else if (g_str_equal (name, "PublicIpAddresses"))
      replace (&self->public_ip, first_string (reader));
    else if (g_str_equal (name, "CPU"))
      self->cpu = read_uint (reader);
    else if (g_str_equal (name, "Memory"))
      self->memory = read_uint (reader);
    else if (g_str_equal (name, "CreatedTime"))
      self->created = read_time (reader, self->created);
    else if (g_str_equal (name, "SystemDisk"))
      replace_disk (&self->system_disk, read_disk (reader, "DiskId", "DiskType", "DiskSize"));
    else if (g_str_equal (name, "DataDisks"))
      read_disks (reader, self->data_disks, "DiskId", "DiskType", "DiskSize");
  }

  return instance_finish (self, reader, "InstanceSet", "InstanceId", error);
}

/* Legacy `diskInfo`: the system disk's fields side by side with the data disks. */
static void
read_disk_info (TcJsonReader *reader,
                TcInstance   *self)
{
  g_autofree char *root_id = NULL;
  g_autofree char *root_type = NULL;
  gboolean has_size = FALSE;
  gint64 size = 0;
  const char *name;
  guint level;

  g_clear_pointer (&self->system_disk, tc_disk_free);
  g_ptr_array_set_size (self->data_disks, 0);
  if (!tc_json_reader_enter_object (reader, &level))
    return;
  while (tc_json_reader_next_member (reader, level, &name)) {
    if (g_str_equal (name, "rootId"))
      replace (&root_id, tc_json_reader_dup_string (reader));
    else if (g_str_equal (name, "rootType"))
      replace (&root_type, tc_json_reader_dup_string (reader));
    else if (g_str_equal (name, "rootSize"))
      has_size = tc_json_reader_read_int (reader, &size);
    else if (g_str_equal (name, "dataDisks"))
      read_disks (reader, self->data_disks, "diskId", "diskType", "diskSize");
  }

  if (root_id != NULL && has_size)
    self->system_disk = tc_disk_new (root_id, root_type, (guint) CLAMP (size, 0, G_MAXUINT));
}

/**
 * tc_instance_read_legacy:
 *
 * Reads a legacy `instanceSet` entry. Legacy data disks come as `diskInfo.dataDisks[]`
 * with `diskId`, `diskType` and `diskSize`.
 *
 * Returns: (transfer full): the instance
 */
TcInstance *
tc_instance_read_legacy (TcJsonReader  *reader,
                         GError       **error)
{
  TcInstance *self;
  const char *name;
  guint level;
  gint64 value;

  if (!tc_json_reader_enter_object (reader, &level)) {
    g_propagate_error (error, malformed_item ("instanceSet"));
    return NULL;
  }

  self = g_object_new (TC_TYPE_INSTANCE, NULL);
  while (tc_json_reader_next_member (reader, level, &name)) {
    if (g_str_equal (name, "unInstanceId"))
      replace (&self->id, tc_json_reader_dup_string (reader));
    else if (g_str_equal (name, "instanceName"))
      replace (&self->name, tc_json_reader_dup_text (reader));
    else if (g_str_equal (name, "status"))
      self->state = tc_json_reader_read_int (reader, &value) ? tc_instance_state_from_legacy (value)
                                                             : TC_INSTANCE_STATE_UNKNOWN;
    else if (g_str_equal (name, "os"))
      replace (&self->os_name, tc_json_reader_dup_text (reader));
    else if (g_str_equal (name, "zoneName"))
      replace (&self->zone, tc_json_reader_dup_text (reader));
    else if (g_str_equal (name, "lanIp"))
      replace (&self->private_ip, tc_json_reader_dup_text (reader));
    else if (g_str_equal (name, "wanIpSet"))
      replace (&self->public_ip, first_string (reader));
    else if (g_str_equal (name, "cpu"))
      self->cpu = read_uint (reader);
    else if (g_str_equal (name, "mem"))
      self->memory = read_uint (reader);
    else if (g_str_equal (name, "createTime"))
      self->created = read_time (reader, self->created);
    else if (g_str_equal (name, "diskInfo"))
      read_disk_info (reader, self);
  }

  return instance_finish (self, reader, "instanceSet", "unInstanceId", error);
}

const char *
tc_instance_get_id (TcInstance *self)
{
  return self->id;
}

const char *
tc_instance_get_name (TcInstance *self)
{
  return self->name;
}

TcInstanceState
tc_instance_get_state (TcInstance *self)
{
  return self->state;
}

const char *
tc_instance_get_state_label (TcInstance *self)
{
  return tc_instance_state_describe (self->state);
}

const char *
tc_instance_get_os_name (TcInstance *self)
{
  return self->os_name;
}

gboolean
tc_instance_is_windows (TcInstance *self)
{
  g_autofree char *lower = self->os_name ? g_ascii_strdown (self->os_name, -1) : NULL;

  return lower != NULL && strstr (lower, "windows") != NULL;
}

const char *
tc_instance_get_zone (TcInstance *self)
{
  return self->zone;
}

const char *
tc_instance_get_instance_type (TcInstance *self)
{
  return self->instance_type;
}

const char *
tc_instance_get_private_ip (TcInstance *self)
{
  return self->private_ip;
}

const char *
tc_instance_get_public_ip (TcInstance *self)
{
  return self->public_ip;
}

guint
tc_instance_get_cpu (TcInstance *self)
{
  return self->cpu;
}

guint
tc_instance_get_memory (TcInstance *self)
{
  return self->memory;
}

GDateTime *
tc_instance_get_created (TcInstance *self)
{
  return self->created;
}

const TcDisk *
tc_instance_get_system_disk (TcInstance *self)
{
  return self->system_disk;
}

/**
 * tc_instance_get_sort_key:
 *
 * Returns: the key that orders instances by name, as people read it: compare two with
 *   strcmp()
 */
const char *
tc_instance_get_sort_key (TcInstance *self)
{
  return self->sort_key;
}

/**
 * tc_instance_get_search_key:
 *
 * Returns: the case-folded name, ID and private IP, one a line, to find a case-folded
 *   search text in
 */
const char *
tc_instance_get_search_key (TcInstance *self)
{
  return self->search_key;
}

/**
 * tc_instance_get_data_disks:
 *
 * Returns: (transfer none) (element-type TcDisk): the instance's data disks
 */
GPtrArray *
tc_instance_get_data_disks (TcInstance *self)
{
  return self->data_disks;
}

/* TcImage */

struct _TcImage
{
  GObject       parent_instance;
  char         *id;
  char         *name;
  char         *description;
  TcImageState  state;
  char         *image_type;
  char         *os_name;
  GDateTime    *created;
  guint64       size_gb;
  char         *source;
  guint         sync_percent;
  GStrv         snapshot_ids;
  char         *region;
};

G_DEFINE_FINAL_TYPE (TcImage, tc_image, G_TYPE_OBJECT)

enum {
  IMAGE_PROP_0,
  IMAGE_PROP_ID,
  IMAGE_PROP_NAME,
  IMAGE_PROP_STATE,
  IMAGE_N_PROPS
};

static GParamSpec *image_props[IMAGE_N_PROPS];

static void
tc_image_finalize (GObject *object)
{
  TcImage *self = TC_IMAGE (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->description);
  g_free (self->image_type);
  g_free (self->os_name);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_free (self->source);
  g_strfreev (self->snapshot_ids);
  g_free (self->region);
  G_OBJECT_CLASS (tc_image_parent_class)->finalize (object);
}

static void
tc_image_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  TcImage *self = TC_IMAGE (object);

  switch (prop_id) {
  case IMAGE_PROP_ID:
    g_value_set_string (value, self->id);
    break;
  case IMAGE_PROP_NAME:
    g_value_set_string (value, self->name);
    break;
  case IMAGE_PROP_STATE:
    g_value_set_uint (value, self->state);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tc_image_class_init (TcImageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = tc_image_finalize;
  object_class->get_property = tc_image_get_property;

  image_props[IMAGE_PROP_ID] = g_param_spec_string ("image-id", NULL, NULL, NULL, flags);
  image_props[IMAGE_PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  image_props[IMAGE_PROP_STATE] =
    g_param_spec_uint ("state", NULL, NULL, 0, G_MAXUINT, TC_IMAGE_STATE_UNKNOWN, flags);
  g_object_class_install_properties (object_class, IMAGE_N_PROPS, image_props);
}

static void
tc_image_init (TcImage *self)
{
}

/* A size in GB: a negative or absent one is unknown (0). */
static guint64
read_size (TcJsonReader *reader)
{
  gint64 value;

  return tc_json_reader_read_int (reader, &value) && value > 0 ? (guint64) value : 0;
}

static guint
read_percent (TcJsonReader *reader)
{
  guint percent = read_uint (reader);

  return MIN (percent, 100);
}

/* `SnapshotSet[].SnapshotId`: %NULL when the image lists none. Entries without a string
 * ID are left out rather than shown as blanks. */
static GStrv
read_snapshot_ids (TcJsonReader *reader,
                   GStrv         before)
{
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  guint n = 0;
  guint level;

  g_strfreev (before);
  if (!tc_json_reader_enter_array (reader, &level))
    return NULL;
  while (tc_json_reader_next_element (reader, level)) {
    g_autofree char *id = NULL;
    const char *name;
    guint object;

    if (!tc_json_reader_enter_object (reader, &object))
      continue;
    while (tc_json_reader_next_member (reader, object, &name)) {
      if (g_str_equal (name, "SnapshotId"))
        replace (&id, tc_json_reader_dup_string (reader));
    }
    if (id != NULL && *id != '\0') {
      g_strv_builder_add (ids, id);
      n++;
    }
  }
  return n > 0 ? g_strv_builder_end (ids) : NULL;
}

static TcImage *
image_finish (TcImage      *self,
              TcJsonReader *reader,
              const char   *set,
              const char   *id_member,
              GError      **error)
{
  if (self->id == NULL || *self->id == '\0' || tc_json_reader_failed (reader)) {
    g_object_unref (self);
    g_propagate_error (error, missing_field (set, id_member));
    return NULL;
  }
  return self;
}

/**
 * tc_image_read_api3:
 *
 * Returns: (transfer full): the image described by an `ImageSet` entry
 */
TcImage *
tc_image_read_api3 (TcJsonReader  *reader,
                    GError       **error)
{
  TcImage *self;
  const char *name;
  guint level;

  if (!tc_json_reader_enter_object (reader, &level)) {
    g_propagate_error (error, malformed_item ("ImageSet"));
    return NULL;
  }

  self = g_object_new (TC_TYPE_IMAGE, NULL);
  while (tc_json_reader_next_member (reader, level, &name)) {
    if (g_str_equal (name, "ImageId"))
      replace (&self->id, tc_json_reader_dup_string (reader));
    else if (g_str_equal (name, "ImageName"))
      replace (&self->name, tc_json_reader_dup_text (reader));
    else if (g_str_equal (name, "ImageDescription"))
      replace (&self->description, tc_json_reader_dup_text (reader));
    else if (g_str_equal (name, "ImageState"))
      self->state = tc_image_state_from_api3 (tc_json_reader_read_string (reader));
    else if (g_str_equal (name, "ImageType"))
      replace (&self->image_type, tc_json_reader_dup_string (reader));
    else if (g_str_equal (name, "OsName"))
      replace (&self->os_name, tc_json_reader_dup_text (reader));
    else if (g_str_equal (name, "CreatedTime"))
      self->created = read_time (reader, self->created);
    else if (g_str_equal (name, "ImageSize"))
      self->size_gb = read_size (reader);
    else if (g_str_equal (name, "ImageSource"))
      replace (&self->source, tc_json_reader_dup_string (reader));
    else if (g_str_equal (name, "SyncPercent"))
      self->sync_percent = read_percent (reader);
    else if (g_str_equal (name, "SnapshotSet"))
      self->snapshot_ids = read_snapshot_ids (reader, self->snapshot_ids);
    else if (g_str_equal (name, "Region"))
      replace (&self->region, tc_json_reader_dup_string (reader));
  }

  return image_finish (self, reader, "ImageSet", "ImageId", error);
}

/**
 * tc_image_read_legacy:
 *
 * Returns: (transfer full): the image described by a legacy `imageSet` entry
 */
TcImage *
tc_image_read_legacy (TcJsonReader  *reader,
                      GError       **error)
{
  TcImage *self;
  const char *name;
  guint level;
  gint64 status;

  if (!tc_json_reader_enter_object (reader, &level)) {
    g_propagate_error (error, malformed_item ("imageSet"));
    return NULL;
  }

  self = g_object_new (TC_TYPE_IMAGE, NULL);
  self->image_type = g_strdup ("PRIVATE_IMAGE");
  while (tc_json_reader_next_member (reader, level, &name)) {
    if (g_str_equal (name, "unImgId"))
      replace (&self->id, tc_json_reader_dup_string (reader));
    else if (g_str_equal (name, "imageName"))
      replace (&self->name, tc_json_reader_dup_text (reader));
    else if (g_str_equal (name, "imageDescription"))
      replace (&self->description, tc_json_reader_dup_text (reader));
    else if (g_str_equal (name, "status"))
      self->state = tc_json_reader_read_int (reader, &status) ? tc_image_state_from_legacy (status)
                                                              : TC_IMAGE_STATE_UNKNOWN;
    else if (g_str_equal (name, "osName"))
      replace (&self->os_name, tc_json_reader_dup_text (reader));
    else if (g_str_equal (name, "createTime"))
      self->created = read_time (reader, self->created);
    else if (g_str_equal (name, "imageSize"))
      self->size_gb = read_size (reader);
  }

  return image_finish (self, reader, "imageSet", "unImgId", error);
}

const char *
tc_image_get_id (TcImage *self)
{
  return self->id;
}

const char *
tc_image_get_name (TcImage *self)
{
  return self->name;
}

const char *
tc_image_get_description (TcImage *self)
{
  return self->description;
}

TcImageState
tc_image_get_state (TcImage *self)
{
  return self->state;
}

const char *
tc_image_get_image_type (TcImage *self)
{
  return self->image_type;
}

const char *
tc_image_get_os_name (TcImage *self)
{
  return self->os_name;
}

GDateTime *
tc_image_get_created (TcImage *self)
{
  return self->created;
}

/**
 * tc_image_get_size_gb:
 *
 * Returns: the image's size in GB (`ImageSize`), or 0 when the answer did not say
 */
guint64
tc_image_get_size_gb (TcImage *self)
{
  return self->size_gb;
}

/**
 * tc_image_get_source:
 *
 * Returns: (nullable): where the image came from (`ImageSource`: `CREATE_IMAGE`,
 *   `EXTERNAL_IMPORT`, `OFFICIAL`), or %NULL when the answer did not say (always, in
 *   the legacy API)
 */
const char *
tc_image_get_source (TcImage *self)
{
  return self->source;
}

/**
 * tc_image_get_sync_percent:
 *
 * How far a copy into this region has come (`SyncPercent`, which Tencent may leave
 * null). A NORMAL image is whole, whatever the server said.
 *
 * Returns: 0 to 100
 */
guint
tc_image_get_sync_percent (TcImage *self)
{
  return self->state == TC_IMAGE_STATE_NORMAL ? 100 : self->sync_percent;
}

/**
 * tc_image_get_snapshot_ids:
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1): the IDs of the
 *   snapshots the image is made of (`SnapshotSet[].SnapshotId`), system disk first;
 *   %NULL when the answer lists none
 */
const char * const *
tc_image_get_snapshot_ids (TcImage *self)
{
  return (const char * const *) self->snapshot_ids;
}

/**
 * tc_image_get_region:
 *
 * SyncImages answers each copy as `{Region, ImageId}`; DescribeImages names no region,
 * since it lists the one asked about.
 *
 * Returns: (nullable): the region the answer placed the image in, or %NULL
 */
const char *
tc_image_get_region (TcImage *self)
{
  return self->region;
}

/**
 * tc_image_state_blocks_delete:
 *
 * Tencent refuses to delete an image while it is being made, copied or imported
 * (`InvalidImageId.IncorrectState`), and its older pages add one in use. The UI says so
 * before anything is sent, and the simulator refuses the same states.
 *
 * Returns: (nullable): %NULL when an image in @state can be deleted, else one translated
 *   sentence saying why not
 */
const char *
tc_image_state_blocks_delete (TcImageState state)
{
  switch (state) {
  case TC_IMAGE_STATE_CREATING:  return _("The image is still being created.");
  case TC_IMAGE_STATE_SYNCING:   return _("The image is still being copied between regions.");
  case TC_IMAGE_STATE_IMPORTING: return _("The image is still being imported.");
  case TC_IMAGE_STATE_USING:     return _("The image is in use.");
  case TC_IMAGE_STATE_UNKNOWN:
  case TC_IMAGE_STATE_NORMAL:
  case TC_IMAGE_STATE_CREATEFAILED:
  case TC_IMAGE_STATE_IMPORTFAILED:
  default:                       return NULL;
  }
}
