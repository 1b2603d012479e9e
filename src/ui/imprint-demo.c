/* imprint-demo.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The demo's simulator is the same imprint-sim the tests use, tuned to be looked around in:
 * a fleet large enough that the picker's search matters, and images that take long enough
 * to be followed in the form and the history, short enough to wait for.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "imprint-demo.h"
#include "sim-server.h"

/* The fleet is the same every time (seed 1): what a user saw, they find again. */
#define DEMO_FLEET_SEED            1
/* Per region: enough to need the search, few enough to list in a moment. */
#define DEMO_INSTANCES_PER_REGION  240
/* Seconds a new image stays CREATING: long enough to watch it, short enough to wait. */
#define DEMO_IMAGE_SECONDS         20

struct _ImprintDemo
{
  GObject         parent_instance;

  SimServer      *sim;
  TcAccount      *account;
  TcClient       *client;
  TcHistory      *history;
  TcImageTracker *tracker;
};

G_DEFINE_FINAL_TYPE (ImprintDemo, imprint_demo, G_TYPE_OBJECT)

static void
imprint_demo_dispose (GObject *object)
{
  ImprintDemo *self = IMPRINT_DEMO (object);

  /* The tracker first: it may still be asking the simulator about an image. */
  g_clear_object (&self->tracker);
  g_clear_object (&self->client);
  if (self->sim != NULL)
    sim_server_disconnect (self->sim);
  g_clear_object (&self->sim);
  g_clear_object (&self->history);
  g_clear_object (&self->account);

  G_OBJECT_CLASS (imprint_demo_parent_class)->dispose (object);
}

static void
imprint_demo_class_init (ImprintDemoClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = imprint_demo_dispose;
}

static void
imprint_demo_init (ImprintDemo *self)
{
}

/**
 * imprint_demo_new:
 * @session: the app's session, which the demo's client shares
 * @pacer: (nullable): the app's pacer
 *
 * Starts the simulator on a loopback port and makes the demo's account, client, history
 * and tracker.
 *
 * Returns: (transfer full) (nullable): the demo, or %NULL when the simulator cannot listen
 */
ImprintDemo *
imprint_demo_new (SoupSession  *session,
                  TcPacer      *pacer,
                  GError      **error)
{
  g_autoptr(ImprintDemo) self = g_object_new (IMPRINT_TYPE_DEMO, NULL);
  g_autoptr(TcCredentials) credentials = NULL;
  g_autofree char *url = NULL;
  g_autofree char *legacy = NULL;

  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self->sim = sim_server_new (DEMO_FLEET_SEED, DEMO_INSTANCES_PER_REGION);
  sim_server_set_image_delay (self->sim, DEMO_IMAGE_SECONDS);
  /* Each session makes images of its own: their IDs must not repeat an earlier one's. */
  sim_server_set_id_seed (self->sim, g_random_int ());
  if (!sim_server_listen (self->sim, 0, error))
    return NULL;

  url = sim_server_get_url (self->sim);
  legacy = g_strdup_printf ("%s/v2/index.php", url);
  self->account = tc_account_new (_("Demo"), SIM_DEFAULT_SECRET_ID);
  tc_account_set_endpoint (self->account, url);
  tc_account_set_legacy_cvm_endpoint (self->account, legacy);
  tc_account_set_legacy_image_endpoint (self->account, legacy);

  credentials = tc_credentials_new (SIM_DEFAULT_SECRET_ID, SIM_DEFAULT_SECRET_KEY, NULL);
  self->client = tc_account_create_client (self->account, session, pacer, credentials, error);
  if (self->client == NULL)
    return NULL;

  self->history = tc_history_new_temporary ();
  tc_history_load_async (self->history, NULL, NULL, NULL);
  self->tracker = tc_image_tracker_new (self->history, NULL, session, pacer);
  /* The account is not in the store: its images are followed with its own client. */
  tc_image_tracker_set_client_for_account (self->tracker, tc_account_get_id (self->account),
                                           self->client);
  return g_steal_pointer (&self);
}

TcAccount *
imprint_demo_get_account (ImprintDemo *self)
{
  g_return_val_if_fail (IMPRINT_IS_DEMO (self), NULL);
  return self->account;
}

TcClient *
imprint_demo_get_client (ImprintDemo *self)
{
  g_return_val_if_fail (IMPRINT_IS_DEMO (self), NULL);
  return self->client;
}

TcHistory *
imprint_demo_get_history (ImprintDemo *self)
{
  g_return_val_if_fail (IMPRINT_IS_DEMO (self), NULL);
  return self->history;
}

TcImageTracker *
imprint_demo_get_tracker (ImprintDemo *self)
{
  g_return_val_if_fail (IMPRINT_IS_DEMO (self), NULL);
  return self->tracker;
}
