/* sim-cloud.h: the simulated cloud's state, which both protocols read and change
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sim-faults.h"
#include "sim-fleet.h"

G_BEGIN_DECLS

typedef struct {
  char *secret_key;
  char *token;              /* NULL: permanent keys */
} SimAccount;

typedef struct {
  SimFleet     *fleet;
  guint         quota;       /* custom images per region */
  double        image_delay; /* seconds a new image stays CREATING */
  gint64        time_offset; /* seconds added to the real clock */
  GRand        *id_rand;     /* IDs of new images and snapshots */

  /* private */
  const char   *default_id;  /* accepted while no account is added */
  SimAccount    default_account;
  GHashTable   *accounts;    /* SecretId → SimAccount* */
  GHashTable   *nonces;      /* SecretId → GHashTable of the Nonces it used (legacy) */
  gint64        next_task_id;
  SimFaults    *faults;      /* not owned: consulted for image-fail */
} SimCloud;

/* @default_id and @default_key (static strings) sign requests while no account is added.
 * @faults (not owned, may be NULL) must outlive the cloud. */
SimCloud         *sim_cloud_new            (guint          seed,
                                            guint          instances_per_region,
                                            const char    *default_id,
                                            const char    *default_key,
                                            SimFaults     *faults);
void              sim_cloud_free           (SimCloud      *self);

void              sim_cloud_add_account    (SimCloud      *self,
                                            const char    *secret_id,
                                            const char    *secret_key,
                                            const char    *token);
/* With no account added, the default account. */
const SimAccount *sim_cloud_lookup_account (SimCloud      *self,
                                            const char    *secret_id);
/* Remembers a legacy Nonce with its Timestamp (together they name a request); FALSE when
 * @secret_id already used both. Pairs older than @window seconds, which the server
 * refuses anyway, are forgotten. */
gboolean          sim_cloud_use_nonce      (SimCloud      *self,
                                            const char    *secret_id,
                                            gint64         timestamp,
                                            const char    *nonce,
                                            gint64         window);
/* The cloud's clock: real time plus the time offset, in Unix seconds. */
gint64            sim_cloud_now            (SimCloud      *self);
/* A new image of @instance in @region, CREATING for the image delay (or failing, when an
 * image-fail fault fires). */
SimImage         *sim_cloud_create_image   (SimCloud      *self,
                                            SimRegion     *region,
                                            SimInstance   *instance,
                                            const char    *name,
                                            const char    *description);

/* A copy of @source (NORMAL) in @destination, SYNCING for the image delay, named @name
 * (NULL: the source's). */
SimImage         *sim_cloud_copy_image     (SimCloud       *self,
                                            const SimImage *source,
                                            SimRegion      *destination,
                                            const char     *name);
/* Removes @image of @region: its quota is free again, its name too. */
void              sim_cloud_delete_image   (SimCloud      *self,
                                            SimRegion     *region,
                                            SimImage      *image);

/* State, for tests and tools. */
/* @n new images in @region at once (see sim_server_make_images()). */
void              sim_cloud_make_images    (SimCloud      *self,
                                            const char    *region,
                                            guint          n);
const char       *sim_cloud_find_instance  (SimCloud      *self,
                                            const char    *region,
                                            TcInstanceState state);
SimInstance      *sim_cloud_get_instance   (SimCloud      *self,
                                            const char    *region,
                                            const char    *instance_id);
/* The fleet changing while a client lists it, a page at a time: a new RUNNING instance at
 * @position of the region's list (past its end: at the end), whose ID is returned (valid
 * until the list changes again), and an instance taken out of it. Those after either move
 * by one, as Offset counts them. */
const char       *sim_cloud_launch_instance (SimCloud     *self,
                                            const char    *region,
                                            guint          position);
gboolean          sim_cloud_terminate_instance (SimCloud  *self,
                                            const char    *region,
                                            const char    *instance_id);
TcImageState      sim_cloud_get_image_state (SimCloud     *self,
                                            const char    *region,
                                            const char    *name);
guint             sim_cloud_count_images   (SimCloud      *self,
                                            const char    *region);

G_END_DECLS
