/* sim-fleet.c: the simulator's deterministic regions, instances and images
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each region is generated on first use from a GRand seeded with the fleet seed plus a hash
 * of the region's ID, so a region's instances do not depend on which regions were asked for
 * before it, nor in what order. Everything an instance needs fits in one fixed-size struct
 * (no allocation per instance), so 100,000 instances take a few tens of milliseconds.
 */
#include "config.h"

#include <string.h>

#include "sim-fleet.h"

struct _SimFleet {
  guint       seed;
  guint       n_instances;
  GHashTable *regions;      /* region ID → SimRegion* */
};

static const SimRegionInfo region_infos[] = {
  { "ap-guangzhou", "gz", "South China(Guangzhou)", "华南地区(广州)", "广州", 100, 4, { 3, 4, 6, 7 } },
  { "ap-shanghai", "sh", "East China(Shanghai)", "华东地区(上海)", "上海", 200, 4, { 2, 3, 4, 5 } },
  { "ap-beijing", "bj", "North China(Beijing)", "华北地区(北京)", "北京", 800, 4, { 3, 5, 6, 7 } },
  { "ap-chengdu", "cd", "Southwest China(Chengdu)", "西南地区(成都)", "成都", 160, 2, { 1, 2 } },
  { "ap-chongqing", "cq", "Southwest China(Chongqing)", "西南地区(重庆)", "重庆", 190, 1, { 1 } },
  { "ap-nanjing", "nj", "East China(Nanjing)", "华东地区(南京)", "南京", 330, 3, { 1, 2, 3 } },
  { "ap-hongkong", "hk", "Hong Kong, Macau and Taiwan (China)(Hong Kong, China)",
    "港澳台地区(中国香港)", "香港", 300, 2, { 2, 3 } },
  { "ap-singapore", "sg", "Southeast Asia(Singapore)", "亚太东南(新加坡)", "新加坡", 900, 3, { 1, 2, 3 } },
  { "na-siliconvalley", "usw", "West US(Silicon Valley)", "美国西部(硅谷)", "硅谷", 150, 2, { 1, 2 } },
  { "eu-frankfurt", "de", "Europe(Frankfurt)", "欧洲地区(法兰克福)", "法兰克福", 170, 2, { 1, 2 } },
};

static const SimInstanceType instance_types[] = {
  { "S5.SMALL2", 1, 2 },
  { "S5.MEDIUM4", 2, 4 },
  { "S5.MEDIUM8", 2, 8 },
  { "S5.LARGE8", 4, 8 },
  { "S5.LARGE16", 4, 16 },
  { "S5.2XLARGE16", 8, 16 },
  { "S5.4XLARGE32", 16, 32 },
  { "SA2.MEDIUM4", 2, 4 },
  { "SA3.LARGE16", 4, 16 },
  { "M5.LARGE32", 4, 32 },
  { "C6.2XLARGE16", 8, 16 },
  { "S6.MEDIUM4", 2, 4 },
};

static const SimOs os_table[] = {
  { "TencentOS Server 3.1 (TK4)", "TencentOS", "img-eb30mz89", FALSE },
  { "TencentOS Server 2.4", "TencentOS", "img-hdt9xxkt", FALSE },
  { "Ubuntu Server 22.04 LTS 64bit", "Ubuntu", "img-487zeit5", FALSE },
  { "Ubuntu Server 20.04 LTS 64bit", "Ubuntu", "img-22trbn9x", FALSE },
  { "CentOS 7.9 64bit", "CentOS", "img-l8og963d", FALSE },
  { "Debian 12.0 64bit", "Debian", "img-7gyzqa2b", FALSE },
  { "Windows Server 2022 数据中心版 64位中文版", "Windows", "img-mmytdhbn", TRUE },
  { "Windows Server 2019 Datacenter 64bit English", "Windows", "img-9id7emv7", TRUE },
};

/* Weighted so most instances are Linux, as in most fleets. */
static const guint8 os_weights[G_N_ELEMENTS (os_table)] = { 25, 10, 20, 10, 15, 8, 7, 5 };

static const char * const disk_types[] = { "CLOUD_PREMIUM", "CLOUD_SSD", "CLOUD_BSSD" };

static const struct {
  const char *prefix;
  gboolean    numbered;
} name_patterns[] = {
  { "web", TRUE },
  { "api", TRUE },
  { "db", TRUE },
  { "cache", TRUE },
  { "worker", TRUE },
  { "build", TRUE },
  { "gateway", TRUE },
  { "k8s-node", TRUE },
  { "bastion", TRUE },
  { "staging-app", TRUE },
  { "数据库-主", TRUE },
  { "数据库-从", TRUE },
  { "应用服务器", TRUE },
  { "测试机", TRUE },
  { "日志分析", TRUE },
  { "订单服务", TRUE },
  { "未命名", FALSE },   /* Tencent's default name for an instance nobody named */
};

static const struct {
  TcInstanceState state;
  guint           weight;     /* out of 1000 */
} state_weights[] = {
  { TC_INSTANCE_STATE_RUNNING, 560 },
  { TC_INSTANCE_STATE_STOPPED, 360 },
  { TC_INSTANCE_STATE_STARTING, 15 },
  { TC_INSTANCE_STATE_STOPPING, 15 },
  { TC_INSTANCE_STATE_REBOOTING, 15 },
  { TC_INSTANCE_STATE_PENDING, 8 },
  { TC_INSTANCE_STATE_SHUTDOWN, 10 },
  { TC_INSTANCE_STATE_TERMINATING, 7 },
  { TC_INSTANCE_STATE_LAUNCH_FAILED, 5 },
  { TC_INSTANCE_STATE_RESCUE, 5 },
};

/* The account's custom images that already exist when the simulator starts. */
static const struct {
  const char *region;
  const char *name;
  const char *description;
  guint       os;
  gint64      created;
} seed_images[] = {
  { "ap-guangzhou", "base-image", "Golden image for web servers", 0, 1672531200 },
  { "ap-guangzhou", "web-golden-2023", "web tier, nginx 1.24", 2, 1688169600 },
  { "ap-guangzhou", "数据库模板", "MySQL 8.0 数据库模板", 4, 1704067200 },
  { "ap-shanghai", "base-image", "Golden image for web servers", 0, 1672531200 },
  { "ap-beijing", "ubuntu-base", "", 2, 1680307200 },
  { "ap-beijing", "legacy-app", "CentOS 7 app server", 4, 1640995200 },
};

const SimRegionInfo *
sim_region_infos (guint *n_regions)
{
  *n_regions = G_N_ELEMENTS (region_infos);
  return region_infos;
}

const SimRegionInfo *
sim_region_info_lookup (const char *region,
                        gboolean    allow_short_code)
{
  if (region == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (region_infos); i++) {
    if (strcmp (region_infos[i].id, region) == 0)
      return &region_infos[i];
    if (allow_short_code && strcmp (region_infos[i].short_code, region) == 0)
      return &region_infos[i];
  }
  return NULL;
}

const SimInstanceType *
sim_instance_types (guint *n_types)
{
  *n_types = G_N_ELEMENTS (instance_types);
  return instance_types;
}

const SimOs *
sim_os_table (guint *n_os)
{
  *n_os = G_N_ELEMENTS (os_table);
  return os_table;
}

const char *
sim_disk_type_name (guint type)
{
  return type < G_N_ELEMENTS (disk_types) ? disk_types[type] : disk_types[0];
}

void
sim_zone_name (const SimRegionInfo *info,
               guint                zone_index,
               char                *buf,
               gsize                buf_len)
{
  g_snprintf (buf, buf_len, "%s-%u", info->id, info->zones[zone_index % info->n_zones]);
}

void
sim_format_ip (guint32  ip,
               char    *buf)
{
  g_snprintf (buf, 16, "%u.%u.%u.%u",
              (ip >> 24) & 0xff, (ip >> 16) & 0xff, (ip >> 8) & 0xff, ip & 0xff);
}

void
sim_random_id (GRand      *rand,
               const char *prefix,
               char        out[16])
{
  static const char alphabet[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  gsize len = strlen (prefix);

  g_assert (len + 8 < 16);
  memcpy (out, prefix, len);
  for (guint i = 0; i < 8; i++)
    out[len + i] = alphabet[g_rand_int_range (rand, 0, 36)];
  out[len + 8] = '\0';
}

static void
tag_clear (gpointer data)
{
  SimTag *tag = data;

  g_clear_pointer (&tag->key, g_free);
  g_clear_pointer (&tag->value, g_free);
}

GArray *
sim_tags_new (void)
{
  GArray *tags = g_array_new (FALSE, TRUE, sizeof (SimTag));

  g_array_set_clear_func (tags, tag_clear);
  return tags;
}

SimImage *
sim_image_new (void)
{
  SimImage *image = g_new0 (SimImage, 1);

  image->snapshots = g_array_new (FALSE, TRUE, sizeof (SimDisk));
  image->tags = sim_tags_new ();
  return image;
}

void
sim_image_free (SimImage *image)
{
  if (image == NULL)
    return;

  g_array_unref (image->tags);
  g_array_unref (image->snapshots);
  g_free (image->name);
  g_free (image->description);
  g_free (image->os_name);
  g_free (image->platform);
  g_free (image->instance_id);
  g_free (image);
}

TcImageState
sim_image_refresh (SimImage *image)
{
  if ((image->state == TC_IMAGE_STATE_CREATING || image->state == TC_IMAGE_STATE_SYNCING) &&
      image->ready_at != 0 && g_get_monotonic_time () >= image->ready_at) {
    /* Only a new image fails (image-fail); a copy of a ready one always arrives. */
    image->state = image->fail && image->state == TC_IMAGE_STATE_CREATING
      ? TC_IMAGE_STATE_CREATEFAILED : TC_IMAGE_STATE_NORMAL;
    image->ready_at = 0;
  }
  return image->state;
}

guint
sim_image_progress (const SimImage *image)
{
  gint64 now = g_get_monotonic_time ();

  if (image->ready_at == 0)
    return image->state == TC_IMAGE_STATE_NORMAL ? 100 : 0;
  if (now >= image->ready_at || image->ready_at <= image->started_at)
    return 99;
  /* Never 100 before the state says NORMAL. */
  return (guint) MIN (99, (now - image->started_at) * 100 / (image->ready_at - image->started_at));
}

static void
region_free (SimRegion *region)
{
  g_hash_table_unref (region->by_id);
  g_ptr_array_unref (region->images);
  g_free (region->instances);
  g_free (region);
}

SimFleet *
sim_fleet_new (guint seed,
               guint instances_per_region)
{
  SimFleet *fleet = g_new0 (SimFleet, 1);

  fleet->seed = seed;
  fleet->n_instances = MIN (instances_per_region, SIM_MAX_INSTANCES);
  fleet->regions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                          (GDestroyNotify) region_free);
  return fleet;
}

void
sim_fleet_free (SimFleet *fleet)
{
  if (fleet == NULL)
    return;

  g_hash_table_unref (fleet->regions);
  g_free (fleet);
}

static TcInstanceState
pick_state (GRand *rand)
{
  guint roll = (guint) g_rand_int_range (rand, 0, 1000);

  for (guint i = 0; i < G_N_ELEMENTS (state_weights); i++) {
    if (roll < state_weights[i].weight)
      return state_weights[i].state;
    roll -= state_weights[i].weight;
  }
  return TC_INSTANCE_STATE_RUNNING;
}

static guint8
pick_os (GRand *rand)
{
  guint total = 0, roll;

  for (guint i = 0; i < G_N_ELEMENTS (os_weights); i++)
    total += os_weights[i];

  roll = (guint) g_rand_int_range (rand, 0, (gint32) total);
  for (guint8 i = 0; i < G_N_ELEMENTS (os_weights); i++) {
    if (roll < os_weights[i])
      return i;
    roll -= os_weights[i];
  }
  return 0;
}

/* Unique private addresses without a lookup table: multiplying by an odd constant and
 * XOR-ing a salt is a bijection on 17 bits, and 17 bits hold the 100,000 instances a region
 * may have; the result is then spread over 10.a.b.c with c kept within 2…251. */
static guint32
private_ip (guint region_index,
            guint index,
            guint salt)
{
  guint32 n = ((index * 40503u) ^ salt) & 0x1ffff;
  guint32 host = 2 + n % 250;
  guint32 rest = n / 250;            /* 0 … 524 */
  guint32 b = rest % 256;
  guint32 a = region_index * 3 + rest / 256;

  return (10u << 24) | (a << 16) | (b << 8) | host;
}

static void
generate_instances (SimRegion *region,
                    guint      region_index,
                    guint      n,
                    GRand     *rand)
{
  guint counters[G_N_ELEMENTS (name_patterns)] = { 0 };
  guint salt = (guint) g_rand_int (rand) & 0x1ffff;
  const gint64 epoch = 1546300800;  /* 2019-01-01 */

  region->instances = g_new0 (SimInstance, MAX (n, 1));
  region->n_instances = n;
  region->by_id = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < n; i++) {
    SimInstance *inst = &region->instances[i];
    guint pattern = (guint) g_rand_int_range (rand, 0, G_N_ELEMENTS (name_patterns));

    do
      sim_random_id (rand, "ins-", inst->id);
    while (g_hash_table_contains (region->by_id, inst->id));
    g_hash_table_insert (region->by_id, inst->id, inst);

    if (name_patterns[pattern].numbered)
      g_snprintf (inst->name, sizeof inst->name, "%s-%02u",
                  name_patterns[pattern].prefix, ++counters[pattern]);
    else
      g_strlcpy (inst->name, name_patterns[pattern].prefix, sizeof inst->name);

    /* Every region has a stopped instance and a running one, at the top of the list. */
    if (i == 0)
      inst->state = TC_INSTANCE_STATE_STOPPED;
    else if (i == 1)
      inst->state = TC_INSTANCE_STATE_RUNNING;
    else
      inst->state = pick_state (rand);

    inst->zone = (guint8) g_rand_int_range (rand, 0, (gint32) region->info->n_zones);
    inst->os = pick_os (rand);
    inst->type = (guint8) g_rand_int_range (rand, 0, G_N_ELEMENTS (instance_types));
    inst->private_ip = private_ip (region_index, i, salt);
    if (g_rand_int_range (rand, 0, 100) < 45)
      inst->public_ip = ((guint32) g_rand_int_range (rand, 1, 223) << 24) |
                        ((guint32) g_rand_int_range (rand, 0, 256) << 16) |
                        ((guint32) g_rand_int_range (rand, 0, 256) << 8) |
                        (guint32) g_rand_int_range (rand, 2, 254);
    inst->created = epoch + g_rand_int_range (rand, 0, 5 * 365 * 86400);

    sim_random_id (rand, "disk-", inst->system_disk.id);
    inst->system_disk.size = os_table[inst->os].windows ? 100 : (g_rand_boolean (rand) ? 50 : 100);
    inst->system_disk.type = (guint8) g_rand_int_range (rand, 0, G_N_ELEMENTS (disk_types));

    /* About a third of the fleet has data disks, one to three of them. */
    if (g_rand_int_range (rand, 0, 3) == 0)
      inst->n_data_disks = (guint8) g_rand_int_range (rand, 1, SIM_MAX_DATA_DISKS + 1);
    for (guint d = 0; d < inst->n_data_disks; d++) {
      SimDisk *disk = &inst->data_disks[d];

      sim_random_id (rand, "disk-", disk->id);
      disk->size = 10 * (guint) g_rand_int_range (rand, 2, 101);
      disk->type = (guint8) g_rand_int_range (rand, 0, G_N_ELEMENTS (disk_types));
    }
  }
}

static void
generate_images (SimRegion *region,
                 GRand     *rand)
{
  region->images = g_ptr_array_new_with_free_func ((GDestroyNotify) sim_image_free);

  for (guint i = 0; i < G_N_ELEMENTS (seed_images); i++) {
    SimImage *image;

    if (strcmp (seed_images[i].region, region->info->id) != 0)
      continue;

    image = sim_image_new ();
    sim_random_id (rand, "img-", image->id);
    image->name = g_strdup (seed_images[i].name);
    image->description = g_strdup (seed_images[i].description);
    image->os_name = g_strdup (os_table[seed_images[i].os].os_name);
    image->platform = g_strdup (os_table[seed_images[i].os].platform);
    image->state = TC_IMAGE_STATE_NORMAL;
    image->created = seed_images[i].created;
    image->size = 50;
    image->task_id = 1000 + i;
    g_array_set_size (image->snapshots, 1);
    sim_random_id (rand, "snap-", g_array_index (image->snapshots, SimDisk, 0).id);
    g_array_index (image->snapshots, SimDisk, 0).size = 50;
    g_ptr_array_add (region->images, image);
  }
}

SimRegion *
sim_fleet_get_region (SimFleet   *fleet,
                      const char *region_id)
{
  const SimRegionInfo *info = sim_region_info_lookup (region_id, FALSE);
  SimRegion *region;
  g_autoptr(GRand) image_rand = NULL;
  g_autoptr(GRand) rand = NULL;

  if (info == NULL)
    return NULL;

  region = g_hash_table_lookup (fleet->regions, info->id);
  if (region != NULL)
    return region;

  region = g_new0 (SimRegion, 1);
  region->info = info;

  /* Images get a generator of their own so their IDs do not depend on the fleet size. */
  image_rand = g_rand_new_with_seed (fleet->seed + g_str_hash (info->id) + 1);
  generate_images (region, image_rand);

  rand = g_rand_new_with_seed (fleet->seed + g_str_hash (info->id));
  generate_instances (region, (guint) (info - region_infos), fleet->n_instances, rand);

  g_hash_table_insert (fleet->regions, (gpointer) info->id, region);
  return region;
}

SimInstance *
sim_region_find_instance (SimRegion  *region,
                          const char *instance_id)
{
  if (instance_id == NULL)
    return NULL;
  return g_hash_table_lookup (region->by_id, instance_id);
}

/* The instances moved in their array: the index points at their new places. */
static void
index_instances (SimRegion *region)
{
  g_hash_table_remove_all (region->by_id);
  for (guint i = 0; i < region->n_instances; i++)
    g_hash_table_insert (region->by_id, region->instances[i].id, &region->instances[i]);
}

SimInstance *
sim_region_insert_instance (SimRegion *region,
                            guint      position,
                            GRand     *rand)
{
  SimInstance *inst;

  g_return_val_if_fail (region->n_instances < SIM_MAX_INSTANCES, NULL);

  position = MIN (position, region->n_instances);
  region->instances = g_renew (SimInstance, region->instances, region->n_instances + 1);
  memmove (&region->instances[position + 1], &region->instances[position],
           (region->n_instances - position) * sizeof (SimInstance));
  region->n_instances++;
  inst = &region->instances[position];
  memset (inst, 0, sizeof *inst);

  do
    sim_random_id (rand, "ins-", inst->id);
  while (g_hash_table_contains (region->by_id, inst->id));
  g_snprintf (inst->name, sizeof inst->name, "launched-%s", inst->id + strlen ("ins-"));
  inst->state = TC_INSTANCE_STATE_RUNNING;
  /* Outside the generated fleet's 10.a.b.c, so no address is listed twice. */
  inst->private_ip = (10u << 24) | (255u << 16) | (guint32) g_rand_int_range (rand, 0, 1 << 16);
  inst->created = g_get_real_time () / G_USEC_PER_SEC;
  sim_random_id (rand, "disk-", inst->system_disk.id);
  inst->system_disk.size = 50;

  index_instances (region);
  return inst;
}

gboolean
sim_region_remove_instance (SimRegion  *region,
                            const char *instance_id)
{
  SimInstance *inst = sim_region_find_instance (region, instance_id);
  guint position;

  if (inst == NULL)
    return FALSE;

  position = (guint) (inst - region->instances);
  memmove (&region->instances[position], &region->instances[position + 1],
           (region->n_instances - position - 1) * sizeof (SimInstance));
  region->n_instances--;
  index_instances (region);
  return TRUE;
}

const char **
sim_region_image_names (SimRegion *region)
{
  const char **names = g_new0 (const char *, region->images->len + 1);

  for (guint i = 0; i < region->images->len; i++)
    names[i] = ((SimImage *) g_ptr_array_index (region->images, i))->name;
  return names;
}

SimImage *
sim_region_find_image (SimRegion  *region,
                       const char *image_id)
{
  for (guint i = 0; image_id != NULL && i < region->images->len; i++) {
    SimImage *image = g_ptr_array_index (region->images, i);

    if (strcmp (image->id, image_id) == 0)
      return image;
  }
  return NULL;
}

/* Official images, listed under PUBLIC_IMAGE in every region. */
static SimImage *public_images[G_N_ELEMENTS (os_table)];

static void
init_public_images (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized)) {
    for (guint i = 0; i < G_N_ELEMENTS (os_table); i++) {
      SimImage *image = sim_image_new ();

      g_strlcpy (image->id, os_table[i].image_id, sizeof image->id);
      image->name = g_strdup (os_table[i].os_name);
      image->description = g_strdup (os_table[i].os_name);
      image->os_name = g_strdup (os_table[i].os_name);
      image->platform = g_strdup (os_table[i].platform);
      image->state = TC_IMAGE_STATE_NORMAL;
      image->created = 1700000000 + (gint64) i * 86400;
      image->size = os_table[i].windows ? 50 : 20;
      public_images[i] = image;
    }
    g_once_init_leave (&initialized, 1);
  }
}

guint
sim_public_image_count (void)
{
  return G_N_ELEMENTS (os_table);
}

const SimImage *
sim_public_image (guint index)
{
  init_public_images ();
  g_return_val_if_fail (index < G_N_ELEMENTS (os_table), NULL);
  return public_images[index];
}
