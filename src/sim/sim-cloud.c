/* sim-cloud.c: the simulated cloud's state, which both protocols read and change
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * API 3.0 and legacy API 2.0 are two doors into one cloud: an image made (or copied, or
 * deleted) through one is seen so by the other. So the cloud — its accounts, the Nonces legacy callers used, the
 * fleet with its images, the quota, the clock and the generator of new IDs — lives here,
 * apart from the HTTP server and from either protocol. The protocol files depend on it;
 * it depends on neither, nor on the server.
 */
#include "config.h"

#include <string.h>

#include "sim-cloud.h"

static void
account_free (SimAccount *account)
{
  if (account == NULL)
    return;
  if (account->secret_key != NULL)
    memset (account->secret_key, 0, strlen (account->secret_key));
  g_free (account->secret_key);
  g_free (account->token);
  g_free (account);
}

SimCloud *
sim_cloud_new (guint       seed,
               guint       instances_per_region,
               const char *default_id,
               const char *default_key,
               SimFaults  *faults)
{
  SimCloud *self = g_new0 (SimCloud, 1);

  self->default_id = default_id;
  self->default_account.secret_key = (char *) default_key;

  self->fleet = sim_fleet_new (seed, instances_per_region);
  self->quota = 10;
  self->image_delay = 5;
  self->id_rand = g_rand_new_with_seed (seed * 7919u + 17u);
  self->accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) account_free);
  self->nonces = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) g_hash_table_unref);
  self->next_task_id = 1001;
  self->faults = faults;
  return self;
}

void
sim_cloud_free (SimCloud *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->accounts);
  g_hash_table_unref (self->nonces);
  sim_fleet_free (self->fleet);
  g_rand_free (self->id_rand);
  g_free (self);
}

void
sim_cloud_add_account (SimCloud   *self,
                       const char *secret_id,
                       const char *secret_key,
                       const char *token)
{
  SimAccount *account = g_new0 (SimAccount, 1);

  account->secret_key = g_strdup (secret_key);
  account->token = token != NULL && *token != '\0' ? g_strdup (token) : NULL;
  g_hash_table_replace (self->accounts, g_strdup (secret_id), account);
}

const SimAccount *
sim_cloud_lookup_account (SimCloud   *self,
                          const char *secret_id)
{
  if (secret_id == NULL)
    return NULL;

  if (g_hash_table_size (self->accounts) == 0)
    return g_strcmp0 (secret_id, self->default_id) == 0 ? &self->default_account : NULL;

  return g_hash_table_lookup (self->accounts, secret_id);
}

static gboolean
nonce_expired (gpointer key,
               gpointer value,
               gpointer oldest)
{
  return GPOINTER_TO_SIZE (value) < GPOINTER_TO_SIZE (oldest);
}

gboolean
sim_cloud_use_nonce (SimCloud   *self,
                     const char *secret_id,
                     gint64      timestamp,
                     const char *nonce,
                     gint64      window)
{
  GHashTable *used = g_hash_table_lookup (self->nonces, secret_id);
  g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT ":%s", timestamp, nonce);
  gint64 oldest = sim_cloud_now (self) - window;

  if (used == NULL) {
    used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    g_hash_table_insert (self->nonces, g_strdup (secret_id), used);
  }

  if (g_hash_table_contains (used, key))
    return FALSE;

  /* Now and then, what the server would refuse anyway goes. */
  if (g_hash_table_size (used) >= 4096 && oldest > 0)
    g_hash_table_foreach_remove (used, nonce_expired, GSIZE_TO_POINTER ((gsize) oldest));
  g_hash_table_insert (used, g_steal_pointer (&key), GSIZE_TO_POINTER ((gsize) MAX (timestamp, 0)));
  return TRUE;
}

gint64
sim_cloud_now (SimCloud *self)
{
  return g_get_real_time () / G_USEC_PER_SEC + self->time_offset;
}

/* A new image's ID, unique in @region, and the image delay from now on. */
static SimImage *
new_image (SimCloud     *self,
           SimRegion    *region,
           TcImageState  state)
{
  SimImage *image = sim_image_new ();

  do
    sim_random_id (self->id_rand, "img-", image->id);
  while (sim_region_find_image (region, image->id) != NULL);

  image->state = state;
  image->created = sim_cloud_now (self);
  image->started_at = g_get_monotonic_time ();
  image->ready_at = image->started_at + (gint64) (self->image_delay * G_USEC_PER_SEC);
  image->task_id = self->next_task_id++;
  return image;
}

SimImage *
sim_cloud_create_image (SimCloud    *self,
                        SimRegion   *region,
                        SimInstance *instance,
                        const char  *name,
                        const char  *description)
{
  SimImage *image = new_image (self, region, TC_IMAGE_STATE_CREATING);
  guint n_os;
  const SimOs *os = sim_os_table (&n_os);

  image->name = g_strdup (name);
  image->description = g_strdup (description != NULL ? description : "");
  image->os_name = g_strdup (os[instance->os].os_name);
  image->platform = g_strdup (os[instance->os].platform);
  image->instance_id = g_strdup (instance->id);
  image->fail = self->faults != NULL && sim_faults_take_image_fail (self->faults);
  image->size = instance->system_disk.size;

  g_array_append_val (image->snapshots, instance->system_disk);
  sim_random_id (self->id_rand, "snap-", g_array_index (image->snapshots, SimDisk, 0).id);

  g_ptr_array_add (region->images, image);

  /* A zero delay settles at once, so a test never sees CREATING it did not ask for. */
  sim_image_refresh (image);
  return image;
}

SimImage *
sim_cloud_copy_image (SimCloud       *self,
                      const SimImage *source,
                      SimRegion      *destination,
                      const char     *name)
{
  SimImage *copy = new_image (self, destination, TC_IMAGE_STATE_SYNCING);

  copy->name = g_strdup (name != NULL ? name : source->name);
  copy->description = g_strdup (source->description);
  copy->os_name = g_strdup (source->os_name);
  copy->platform = g_strdup (source->platform);
  copy->instance_id = g_strdup (source->instance_id);
  copy->size = source->size;

  /* The copy's disks are snapshots of its own region. */
  g_array_append_vals (copy->snapshots, source->snapshots->data, source->snapshots->len);
  for (guint i = 0; i < copy->snapshots->len; i++)
    sim_random_id (self->id_rand, "snap-", g_array_index (copy->snapshots, SimDisk, i).id);
  for (guint i = 0; i < source->tags->len; i++) {
    const SimTag *tag = &g_array_index (source->tags, SimTag, i);
    SimTag same = { g_strdup (tag->key), g_strdup (tag->value) };

    g_array_append_val (copy->tags, same);
  }

  g_ptr_array_add (destination->images, copy);
  sim_image_refresh (copy);
  return copy;
}

void
sim_cloud_delete_image (SimCloud  *self,
                        SimRegion *region,
                        SimImage  *image)
{
  g_ptr_array_remove (region->images, image);
}

void
sim_cloud_make_images (SimCloud   *self,
                       const char *region,
                       guint       n)
{
  SimRegion *r = sim_fleet_get_region (self->fleet, region);
  guint first;

  g_return_if_fail (r != NULL && r->n_instances > 0);

  first = r->images->len;
  for (guint i = 0; i < n; i++) {
    g_autofree char *name = g_strdup_printf ("bulk-%05u", first + i);

    sim_cloud_create_image (self, r, &r->instances[i % r->n_instances], name, NULL);
  }
}

const char *
sim_cloud_find_instance (SimCloud        *self,
                         const char      *region,
                         TcInstanceState  state)
{
  SimRegion *r = sim_fleet_get_region (self->fleet, region);

  if (r == NULL)
    return NULL;

  for (guint i = 0; i < r->n_instances; i++) {
    if (r->instances[i].state == state)
      return r->instances[i].id;
  }
  return NULL;
}

SimInstance *
sim_cloud_get_instance (SimCloud   *self,
                        const char *region,
                        const char *instance_id)
{
  SimRegion *r = sim_fleet_get_region (self->fleet, region);

  return r != NULL ? sim_region_find_instance (r, instance_id) : NULL;
}

const char *
sim_cloud_launch_instance (SimCloud   *self,
                           const char *region,
                           guint       position)
{
  SimRegion *r = sim_fleet_get_region (self->fleet, region);
  SimInstance *instance;

  g_return_val_if_fail (r != NULL, NULL);

  instance = sim_region_insert_instance (r, position, self->id_rand);
  return instance != NULL ? instance->id : NULL;
}

gboolean
sim_cloud_terminate_instance (SimCloud   *self,
                              const char *region,
                              const char *instance_id)
{
  SimRegion *r = sim_fleet_get_region (self->fleet, region);

  return r != NULL && sim_region_remove_instance (r, instance_id);
}

TcImageState
sim_cloud_get_image_state (SimCloud   *self,
                           const char *region,
                           const char *name)
{
  SimRegion *r = sim_fleet_get_region (self->fleet, region);

  if (r == NULL || name == NULL)
    return TC_IMAGE_STATE_UNKNOWN;

  /* Newest first: with two images of one name (only possible after a failure), the latest. */
  for (guint i = r->images->len; i > 0; i--) {
    SimImage *image = g_ptr_array_index (r->images, i - 1);

    if (strcmp (image->name, name) == 0)
      return sim_image_refresh (image);
  }
  return TC_IMAGE_STATE_UNKNOWN;
}

guint
sim_cloud_count_images (SimCloud   *self,
                        const char *region)
{
  SimRegion *r = sim_fleet_get_region (self->fleet, region);

  return r != NULL ? r->images->len : 0;
}
