/* sim-fleet.h: the simulator's deterministic regions, instances and images (private)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tc-types.h"

G_BEGIN_DECLS

#define SIM_MAX_INSTANCES   100000
#define SIM_MAX_DATA_DISKS  3

typedef struct {
  const char *id;           /* "ap-guangzhou" */
  const char *short_code;   /* "gz": the legacy API's old region code */
  const char *name_en;      /* "South China(Guangzhou)" */
  const char *name_zh;      /* "华南地区(广州)" */
  const char *city_zh;      /* "广州": legacy zone names read "广州三区" */
  guint       legacy_zone_base;  /* legacy zoneId = base * 1000 + zone number */
  guint       n_zones;
  guint       zones[4];     /* zone numbers: ap-guangzhou-3, … */
} SimRegionInfo;

typedef struct {
  const char *name;         /* "S5.MEDIUM4" */
  guint       cpu;
  guint       memory;       /* GB */
} SimInstanceType;

typedef struct {
  const char *os_name;      /* as API 3.0 reports it */
  const char *platform;     /* "TencentOS", "Ubuntu", "Windows", … */
  const char *image_id;     /* the public image instances are made from */
  gboolean    windows;
} SimOs;

typedef struct {
  char    id[16];           /* "disk-xxxxxxxx" */
  guint   size;             /* GB */
  guint8  type;             /* index into sim_disk_type_name() */
} SimDisk;

typedef struct {
  char             id[16];  /* "ins-xxxxxxxx" */
  char             name[48];
  TcInstanceState  state;
  guint32          private_ip;
  guint32          public_ip;     /* 0 when the instance has none */
  gint64           created;       /* Unix seconds, UTC */
  guint8           zone;          /* index into the region's zones */
  guint8           os;            /* index into sim_os_table() */
  guint8           type;          /* index into sim_instance_types() */
  guint8           n_data_disks;
  SimDisk          system_disk;
  SimDisk          data_disks[SIM_MAX_DATA_DISKS];
} SimInstance;

typedef struct {
  char         *key;
  char         *value;
} SimTag;

typedef struct {
  char          id[16];         /* "img-xxxxxxxx" */
  char         *name;
  char         *description;
  char         *os_name;
  char         *platform;
  char         *instance_id;    /* the source instance, NULL for pre-existing images */
  TcImageState  state;
  gboolean      fail;           /* ends CREATEFAILED instead of NORMAL */
  gint64        created;        /* simulator clock, Unix seconds */
  gint64        started_at;     /* monotonic µs when CREATING or SYNCING began */
  gint64        ready_at;       /* monotonic µs when CREATING or SYNCING ends; 0 when settled */
  guint         size;           /* GB */
  gint64        task_id;        /* the legacy API's requestId */
  GArray       *snapshots;      /* SimDisk: the disks imaged (system disk first) */
  GArray       *tags;           /* SimTag */
} SimImage;

typedef struct {
  const SimRegionInfo *info;
  SimInstance         *instances;
  guint                n_instances;
  GHashTable          *by_id;   /* instance ID → SimInstance* */
  GPtrArray           *images;  /* SimImage*, the account's custom images, oldest first */
} SimRegion;

typedef struct _SimFleet SimFleet;

const SimRegionInfo   *sim_region_infos        (guint          *n_regions);
/* Accepts "ap-guangzhou"; with @allow_short_code also the legacy "gz". */
const SimRegionInfo   *sim_region_info_lookup  (const char     *region,
                                                gboolean        allow_short_code);
const SimInstanceType *sim_instance_types      (guint          *n_types);
const SimOs           *sim_os_table            (guint          *n_os);
const char            *sim_disk_type_name      (guint           type);

SimFleet              *sim_fleet_new           (guint           seed,
                                                guint           instances_per_region);
void                   sim_fleet_free          (SimFleet       *fleet);
/* Generates the region on first use; NULL for an unknown region. */
SimRegion             *sim_fleet_get_region    (SimFleet       *fleet,
                                                const char     *region_id);
SimInstance           *sim_region_find_instance (SimRegion     *region,
                                                 const char    *instance_id);
/* A new RUNNING instance at @position of @region's list (at its end when past it), with an
 * ID from @rand: what a launch does to a listing under way. The instances after it move,
 * so pointers to them are stale; the one returned is valid until the list changes again. */
SimInstance           *sim_region_insert_instance (SimRegion   *region,
                                                   guint        position,
                                                   GRand       *rand);
/* Takes @instance_id out of @region's list, as a termination does; FALSE when it is not
 * there. The instances after it move. */
gboolean               sim_region_remove_instance (SimRegion   *region,
                                                   const char  *instance_id);
/* The names of @region's custom images, NULL-terminated (the strings are the images'). */
const char           **sim_region_image_names  (SimRegion      *region);
/* The account's custom image @image_id in @region, or NULL. */
SimImage              *sim_region_find_image   (SimRegion      *region,
                                                const char     *image_id);
/* Settles a CREATING or SYNCING image whose delay is over; returns its state. */
TcImageState           sim_image_refresh       (SimImage       *image);
/* How far a CREATING or SYNCING image has come, 0 to 100 (SyncPercent). */
guint                  sim_image_progress      (const SimImage *image);
SimImage              *sim_image_new           (void);
/* An array of SimTag that frees the strings of its elements. */
GArray                *sim_tags_new            (void);
void                   sim_image_free          (SimImage       *image);

/* "ap-guangzhou-3" into @buf. */
void                   sim_zone_name           (const SimRegionInfo *info,
                                                guint           zone_index,
                                                char           *buf,
                                                gsize           buf_len);
/* "10.1.2.3" into @buf (at least 16 bytes). */
void                   sim_format_ip           (guint32         ip,
                                                char           *buf);
/* A random lowercase alphanumeric suffix: "ins-" + 8 characters. */
void                   sim_random_id           (GRand          *rand,
                                                const char     *prefix,
                                                char            out[16]);
/* Public images, the same in every region. */
guint                  sim_public_image_count  (void);
const SimImage        *sim_public_image        (guint           index);

G_END_DECLS
