/* tc-preflight.c: what the form knows before it sends
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Three facts fetched in the background for the image form: the region's custom-image
 * quota (the limit and the images already there), whether the name typed is taken, and
 * the chosen instance's state. None of them blocks on its own: the form decides what they
 * mean (tc-rules), and the server has the last word when the request is sent. Kept out of
 * the widget so that it can be tested without a display.
 *
 * Each fact has its own cancellable, renewed by each fetch and cancelled in dispose.
 * Callbacks get the object as a plain pointer and return at once on G_IO_ERROR_CANCELLED,
 * before touching it: GTask reports a cancelled cancellable as an error even when the call
 * had already completed, so a callback that runs after dispose never sees a live result.
 * What one answer changes is notified in one batch (freeze/thaw).
 */
#include "config.h"

#include "tc-cvm.h"
#include "tc-error.h"
#include "tc-preflight.h"
#include "tc-rules.h"

G_DEFINE_ENUM_TYPE (TcFactStatus, tc_fact_status,
  G_DEFINE_ENUM_VALUE (TC_FACT_IDLE, "idle"),
  G_DEFINE_ENUM_VALUE (TC_FACT_LOADING, "loading"),
  G_DEFINE_ENUM_VALUE (TC_FACT_KNOWN, "known"),
  G_DEFINE_ENUM_VALUE (TC_FACT_ERROR, "error"))

struct _TcPreflight
{
  GObject       parent_instance;

  TcClient     *client;
  char         *region;

  TcInstance   *instance;
  TcFactStatus  instance_status;
  gboolean      instance_gone;
  char         *instance_error;
  GCancellable *instance_cancellable;

  TcFactStatus  quota_status;
  guint         quota_pending;
  guint         quota;
  guint         used;
  char         *quota_error;
  GCancellable *quota_cancellable;

  TcFactStatus  name_status;
  char         *pending_name;
  guint         name_timeout_id;
  char         *looked_up_name;
  gboolean      looked_up_taken;
  char         *name_error;
  char         *taken_name;
  GCancellable *name_cancellable;
};

G_DEFINE_FINAL_TYPE (TcPreflight, tc_preflight, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_REGION,
  PROP_INSTANCE,
  PROP_INSTANCE_STATUS,
  PROP_INSTANCE_GONE,
  PROP_QUOTA_STATUS,
  PROP_QUOTA,
  PROP_USED,
  PROP_NAME_STATUS,
  PROP_LOOKED_UP_NAME,
  PROP_LOOKED_UP_TAKEN,
  PROP_TAKEN_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
cancel_and_clear (GCancellable **cancellable)
{
  if (*cancellable != NULL) {
    g_cancellable_cancel (*cancellable);
    g_clear_object (cancellable);
  }
}

static GCancellable *
renew_cancellable (GCancellable **cancellable)
{
  cancel_and_clear (cancellable);
  *cancellable = g_cancellable_new ();
  return *cancellable;
}

static void
notify (TcPreflight *self,
        guint        prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/* Each setter notifies only when the value really changes. */
static void
set_status (TcPreflight  *self,
            TcFactStatus *field,
            TcFactStatus  value,
            guint         prop)
{
  if (*field == value)
    return;
  *field = value;
  notify (self, prop);
}

static void
set_bool (TcPreflight *self,
          gboolean    *field,
          gboolean     value,
          guint        prop)
{
  if (*field == value)
    return;
  *field = value;
  notify (self, prop);
}

static void
set_uint (TcPreflight *self,
          guint       *field,
          guint        value,
          guint        prop)
{
  if (*field == value)
    return;
  *field = value;
  notify (self, prop);
}

static void
set_str (TcPreflight  *self,
         char        **field,
         const char   *value,
         guint         prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  if (prop != PROP_0)
    notify (self, prop);
}

static gboolean
ready (TcPreflight *self)
{
  return self->client != NULL && self->region != NULL;
}

/* The instance. */

static void
instance_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  TcPreflight *self = user_data;
  g_autoptr(TcInstance) instance = NULL;
  g_autoptr(GError) error = NULL;

  instance = tc_cvm_get_instance_finish (TC_CLIENT (object), result, &error);
  if (is_cancelled (error))
    return;

  g_object_freeze_notify (G_OBJECT (self));
  if (instance != NULL) {
    tc_preflight_update_instance (self, instance);
  } else if (g_error_matches (error, TC_ERROR, TC_ERROR_NOT_FOUND)) {
    tc_preflight_mark_instance_gone (self);
  } else {
    /* The last known state still counts; the error says why it could not be refreshed. */
    set_str (self, &self->instance_error, error->message, PROP_0);
    set_status (self, &self->instance_status, TC_FACT_ERROR, PROP_INSTANCE_STATUS);
    notify (self, PROP_INSTANCE_STATUS);
  }
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * tc_preflight_refresh_instance:
 *
 * Fetches the chosen instance's state again (nothing to do without one).
 */
void
tc_preflight_refresh_instance (TcPreflight *self)
{
  g_return_if_fail (TC_IS_PREFLIGHT (self));

  if (self->instance == NULL || !ready (self)) {
    cancel_and_clear (&self->instance_cancellable);
    set_status (self, &self->instance_status, TC_FACT_IDLE, PROP_INSTANCE_STATUS);
    return;
  }

  set_status (self, &self->instance_status, TC_FACT_LOADING, PROP_INSTANCE_STATUS);
  tc_cvm_get_instance_async (self->client, self->region, tc_instance_get_id (self->instance),
                             renew_cancellable (&self->instance_cancellable), instance_cb, self);
}

/* The quota. */

static void
quota_part_done (TcPreflight  *self,
                 const GError *error)
{
  if (error != NULL && self->quota_error == NULL)
    self->quota_error = g_strdup (error->message);

  if (--self->quota_pending > 0)
    return;

  set_status (self, &self->quota_status, self->quota_error != NULL ? TC_FACT_ERROR : TC_FACT_KNOWN,
              PROP_QUOTA_STATUS);
}

static void
quota_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  TcPreflight *self = user_data;
  g_autoptr(GError) error = NULL;
  guint quota = 0;

  if (!tc_cvm_get_image_quota_finish (TC_CLIENT (object), result, &quota, &error) && is_cancelled (error))
    return;

  g_object_freeze_notify (G_OBJECT (self));
  if (error == NULL)
    set_uint (self, &self->quota, quota, PROP_QUOTA);
  quota_part_done (self, error);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
images_count_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  TcPreflight *self = user_data;
  g_autoptr(GListModel) images = NULL;
  g_autoptr(GError) error = NULL;

  images = tc_cvm_list_custom_images_finish (TC_CLIENT (object), result, &error);
  if (is_cancelled (error))
    return;

  g_object_freeze_notify (G_OBJECT (self));
  if (images != NULL)
    set_uint (self, &self->used, g_list_model_get_n_items (images), PROP_USED);
  quota_part_done (self, error);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * tc_preflight_refresh_quota:
 *
 * Fetches the region's quota and counts its custom images, both at once.
 */
void
tc_preflight_refresh_quota (TcPreflight *self)
{
  GCancellable *cancellable;

  g_return_if_fail (TC_IS_PREFLIGHT (self));

  if (!ready (self))
    return;

  cancellable = renew_cancellable (&self->quota_cancellable);
  g_clear_pointer (&self->quota_error, g_free);
  self->quota_pending = 2;
  set_status (self, &self->quota_status, TC_FACT_LOADING, PROP_QUOTA_STATUS);
  tc_cvm_get_image_quota_async (self->client, self->region, cancellable, quota_cb, self);
  tc_cvm_list_custom_images_async (self->client, self->region, cancellable, images_count_cb, self);
}

/* The name. */

static void
name_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  TcPreflight *self = user_data;
  g_autoptr(TcImage) image = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  image = tc_cvm_find_image_by_name_finish (TC_CLIENT (object), result, &error);
  if (is_cancelled (error))
    return;

  name = g_steal_pointer (&self->pending_name);
  g_object_freeze_notify (G_OBJECT (self));
  if (error != NULL) {
    set_str (self, &self->name_error, error->message, PROP_0);
    set_status (self, &self->name_status, TC_FACT_ERROR, PROP_NAME_STATUS);
  } else {
    set_str (self, &self->looked_up_name, name, PROP_LOOKED_UP_NAME);
    set_bool (self, &self->looked_up_taken, image != NULL, PROP_LOOKED_UP_TAKEN);
    if (image != NULL)
      set_str (self, &self->taken_name, name, PROP_TAKEN_NAME);
    else if (g_strcmp0 (self->taken_name, name) == 0)
      set_str (self, &self->taken_name, NULL, PROP_TAKEN_NAME);
    set_status (self, &self->name_status, TC_FACT_KNOWN, PROP_NAME_STATUS);
  }
  g_object_thaw_notify (G_OBJECT (self));
}

static gboolean
name_timeout_cb (gpointer user_data)
{
  TcPreflight *self = user_data;

  self->name_timeout_id = 0;
  tc_cvm_find_image_by_name_async (self->client, self->region, self->pending_name,
                                   renew_cancellable (&self->name_cancellable), name_cb, self);
  return G_SOURCE_REMOVE;
}

/**
 * tc_preflight_look_up_name:
 * @name: (nullable): the name in the form
 * @delay_ms: how long the name must rest before it is looked up
 */
void
tc_preflight_look_up_name (TcPreflight *self,
                           const char  *name,
                           guint        delay_ms)
{
  g_return_if_fail (TC_IS_PREFLIGHT (self));

  g_clear_handle_id (&self->name_timeout_id, g_source_remove);
  cancel_and_clear (&self->name_cancellable);
  g_clear_pointer (&self->pending_name, g_free);

  if (!ready (self) ||
      !tc_rules_check_image_name (tc_client_get_protocol (self->client), name, NULL)) {
    set_status (self, &self->name_status, TC_FACT_IDLE, PROP_NAME_STATUS);
    return;
  }

  self->pending_name = g_strdup (name);
  set_status (self, &self->name_status, TC_FACT_LOADING, PROP_NAME_STATUS);
  self->name_timeout_id = g_timeout_add (delay_ms, name_timeout_cb, self);
}

void
tc_preflight_mark_taken (TcPreflight *self,
                         const char  *name,
                         gboolean     is_current)
{
  g_return_if_fail (TC_IS_PREFLIGHT (self));
  g_return_if_fail (name != NULL);

  g_object_freeze_notify (G_OBJECT (self));
  set_str (self, &self->taken_name, name, PROP_TAKEN_NAME);
  if (is_current) {
    g_clear_handle_id (&self->name_timeout_id, g_source_remove);
    cancel_and_clear (&self->name_cancellable);
    g_clear_pointer (&self->pending_name, g_free);
    set_str (self, &self->looked_up_name, name, PROP_LOOKED_UP_NAME);
    set_bool (self, &self->looked_up_taken, TRUE, PROP_LOOKED_UP_TAKEN);
    set_status (self, &self->name_status, TC_FACT_KNOWN, PROP_NAME_STATUS);
  }
  g_object_thaw_notify (G_OBJECT (self));
}

/* Starting over: everything fetched is about another region or account. */
static void
reset (TcPreflight *self)
{
  g_clear_handle_id (&self->name_timeout_id, g_source_remove);
  cancel_and_clear (&self->name_cancellable);
  cancel_and_clear (&self->quota_cancellable);
  cancel_and_clear (&self->instance_cancellable);
  g_clear_pointer (&self->pending_name, g_free);

  g_object_freeze_notify (G_OBJECT (self));
  set_str (self, &self->taken_name, NULL, PROP_TAKEN_NAME);
  set_str (self, &self->looked_up_name, NULL, PROP_LOOKED_UP_NAME);
  set_bool (self, &self->looked_up_taken, FALSE, PROP_LOOKED_UP_TAKEN);
  set_status (self, &self->name_status, TC_FACT_IDLE, PROP_NAME_STATUS);
  set_status (self, &self->quota_status, TC_FACT_IDLE, PROP_QUOTA_STATUS);
  g_clear_pointer (&self->quota_error, g_free);
  tc_preflight_set_instance (self, NULL);
  g_object_thaw_notify (G_OBJECT (self));
}

/* Public API. */

/**
 * tc_preflight_new:
 * @client: (nullable): the account's client
 * @region: (nullable): the region the facts are about
 *
 * Returns: (transfer full): a new preflight, with nothing fetched yet
 */
TcPreflight *
tc_preflight_new (TcClient   *client,
                  const char *region)
{
  return g_object_new (TC_TYPE_PREFLIGHT, "client", client, "region", region, NULL);
}

TcClient *
tc_preflight_get_client (TcPreflight *self)
{
  g_return_val_if_fail (TC_IS_PREFLIGHT (self), NULL);

  return self->client;
}

void
tc_preflight_set_client (TcPreflight *self,
                         TcClient    *client)
{
  g_return_if_fail (TC_IS_PREFLIGHT (self));
  g_return_if_fail (client == NULL || TC_IS_CLIENT (client));

  if (self->client == client)
    return;
  reset (self);
  g_set_object (&self->client, client);
  notify (self, PROP_CLIENT);
}

const char *
tc_preflight_get_region (TcPreflight *self)
{
  g_return_val_if_fail (TC_IS_PREFLIGHT (self), NULL);

  return self->region;
}

void
tc_preflight_set_region (TcPreflight *self,
                         const char  *region)
{
  g_return_if_fail (TC_IS_PREFLIGHT (self));

  if (g_strcmp0 (self->region, region) == 0)
    return;
  reset (self);
  set_str (self, &self->region, region, PROP_REGION);
}

TcFactStatus
tc_preflight_get_quota_status (TcPreflight *self)
{
  g_return_val_if_fail (TC_IS_PREFLIGHT (self), TC_FACT_IDLE);

  return self->quota_status;
}

guint
tc_preflight_get_quota (TcPreflight *self)
{
  g_return_val_if_fail (TC_IS_PREFLIGHT (self), 0);

  return self->quota;
}

guint
tc_preflight_get_used (TcPreflight *self)
{
  g_return_val_if_fail (TC_IS_PREFLIGHT (self), 0);

  return self->used;
}

/**
 * tc_preflight_get_quota_error:
 *
 * Returns: (nullable): why the quota could not be fetched (status ERROR)
 */
const char *
tc_preflight_get_quota_error (TcPreflight *self)
{
  g_return_val_if_fail (TC_IS_PREFLIGHT (self), NULL);

  return self->quota_status == TC_FACT_ERROR ? self->quota_error : NULL;
}

TcFactStatus
tc_preflight_get_name_status (TcPreflight *self)
{
  g_return_val_if_fail (TC_IS_PREFLIGHT (self), TC_FACT_IDLE);

  return self->name_status;
}

const char *
tc_preflight_get_looked_up_name (TcPreflight *self)
{
  g_return_val_if_fail (TC_IS_PREFLIGHT (self), NULL);

  return self->looked_up_name;
}

gboolean
tc_preflight_get_looked_up_taken (TcPreflight *self)
{
  g_return_val_if_fail (TC_IS_PREFLIGHT (self), FALSE);

  return self->looked_up_taken;
}

const char *
tc_preflight_get_name_error (TcPreflight *self)
{
  g_return_val_if_fail (TC_IS_PREFLIGHT (self), NULL);

  return self->name_status == TC_FACT_ERROR ? self->name_error : NULL;
}

const char *
tc_preflight_get_taken_name (TcPreflight *self)
{
  g_return_val_if_fail (TC_IS_PREFLIGHT (self), NULL);

  return self->taken_name;
}

TcInstance *
tc_preflight_get_instance (TcPreflight *self)
{
  g_return_val_if_fail (TC_IS_PREFLIGHT (self), NULL);

  return self->instance;
}

/**
 * tc_preflight_set_instance:
 * @instance: (nullable): the instance chosen, or %NULL
 */
void
tc_preflight_set_instance (TcPreflight *self,
                           TcInstance  *instance)
{
  g_return_if_fail (TC_IS_PREFLIGHT (self));
  g_return_if_fail (instance == NULL || TC_IS_INSTANCE (instance));

  g_object_freeze_notify (G_OBJECT (self));
  if (g_set_object (&self->instance, instance))
    notify (self, PROP_INSTANCE);
  set_bool (self, &self->instance_gone, FALSE, PROP_INSTANCE_GONE);
  tc_preflight_refresh_instance (self);
  g_object_thaw_notify (G_OBJECT (self));
}

TcFactStatus
tc_preflight_get_instance_status (TcPreflight *self)
{
  g_return_val_if_fail (TC_IS_PREFLIGHT (self), TC_FACT_IDLE);

  return self->instance_status;
}

gboolean
tc_preflight_get_instance_gone (TcPreflight *self)
{
  g_return_val_if_fail (TC_IS_PREFLIGHT (self), FALSE);

  return self->instance_gone;
}

const char *
tc_preflight_get_instance_error (TcPreflight *self)
{
  g_return_val_if_fail (TC_IS_PREFLIGHT (self), NULL);

  return self->instance_status == TC_FACT_ERROR ? self->instance_error : NULL;
}

/**
 * tc_preflight_update_instance:
 * @fresh: the chosen instance as just fetched; another instance is ignored
 */
void
tc_preflight_update_instance (TcPreflight *self,
                              TcInstance  *fresh)
{
  g_return_if_fail (TC_IS_PREFLIGHT (self));
  g_return_if_fail (TC_IS_INSTANCE (fresh));

  if (self->instance == NULL ||
      g_strcmp0 (tc_instance_get_id (self->instance), tc_instance_get_id (fresh)) != 0)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  if (g_set_object (&self->instance, fresh))
    notify (self, PROP_INSTANCE);
  set_bool (self, &self->instance_gone, FALSE, PROP_INSTANCE_GONE);
  set_status (self, &self->instance_status, TC_FACT_KNOWN, PROP_INSTANCE_STATUS);
  g_object_thaw_notify (G_OBJECT (self));
}

void
tc_preflight_mark_instance_gone (TcPreflight *self)
{
  g_return_if_fail (TC_IS_PREFLIGHT (self));

  if (self->instance == NULL)
    return;
  g_object_freeze_notify (G_OBJECT (self));
  set_bool (self, &self->instance_gone, TRUE, PROP_INSTANCE_GONE);
  set_status (self, &self->instance_status, TC_FACT_KNOWN, PROP_INSTANCE_STATUS);
  g_object_thaw_notify (G_OBJECT (self));
}

/* GObject. */

static void
tc_preflight_dispose (GObject *object)
{
  TcPreflight *self = TC_PREFLIGHT (object);

  g_clear_handle_id (&self->name_timeout_id, g_source_remove);
  cancel_and_clear (&self->name_cancellable);
  cancel_and_clear (&self->quota_cancellable);
  cancel_and_clear (&self->instance_cancellable);
  g_clear_object (&self->instance);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (tc_preflight_parent_class)->dispose (object);
}

static void
tc_preflight_finalize (GObject *object)
{
  TcPreflight *self = TC_PREFLIGHT (object);

  g_free (self->region);
  g_free (self->instance_error);
  g_free (self->quota_error);
  g_free (self->pending_name);
  g_free (self->looked_up_name);
  g_free (self->name_error);
  g_free (self->taken_name);

  G_OBJECT_CLASS (tc_preflight_parent_class)->finalize (object);
}

static void
tc_preflight_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TcPreflight *self = TC_PREFLIGHT (object);

  switch (prop_id) {
  case PROP_CLIENT:
    g_value_set_object (value, self->client);
    break;
  case PROP_REGION:
    g_value_set_string (value, self->region);
    break;
  case PROP_INSTANCE:
    g_value_set_object (value, self->instance);
    break;
  case PROP_INSTANCE_STATUS:
    g_value_set_enum (value, self->instance_status);
    break;
  case PROP_INSTANCE_GONE:
    g_value_set_boolean (value, self->instance_gone);
    break;
  case PROP_QUOTA_STATUS:
    g_value_set_enum (value, self->quota_status);
    break;
  case PROP_QUOTA:
    g_value_set_uint (value, self->quota);
    break;
  case PROP_USED:
    g_value_set_uint (value, self->used);
    break;
  case PROP_NAME_STATUS:
    g_value_set_enum (value, self->name_status);
    break;
  case PROP_LOOKED_UP_NAME:
    g_value_set_string (value, self->looked_up_name);
    break;
  case PROP_LOOKED_UP_TAKEN:
    g_value_set_boolean (value, self->looked_up_taken);
    break;
  case PROP_TAKEN_NAME:
    g_value_set_string (value, self->taken_name);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tc_preflight_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  TcPreflight *self = TC_PREFLIGHT (object);

  switch (prop_id) {
  case PROP_CLIENT:
    tc_preflight_set_client (self, g_value_get_object (value));
    break;
  case PROP_REGION:
    tc_preflight_set_region (self, g_value_get_string (value));
    break;
  case PROP_INSTANCE:
    tc_preflight_set_instance (self, g_value_get_object (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tc_preflight_class_init (TcPreflightClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = tc_preflight_dispose;
  object_class->finalize = tc_preflight_finalize;
  object_class->get_property = tc_preflight_get_property;
  object_class->set_property = tc_preflight_set_property;

  properties[PROP_CLIENT] = g_param_spec_object ("client", NULL, NULL, TC_TYPE_CLIENT, rw);
  properties[PROP_REGION] = g_param_spec_string ("region", NULL, NULL, NULL, rw);
  properties[PROP_INSTANCE] = g_param_spec_object ("instance", NULL, NULL, TC_TYPE_INSTANCE, rw);
  properties[PROP_INSTANCE_STATUS] =
    g_param_spec_enum ("instance-status", NULL, NULL, TC_TYPE_FACT_STATUS, TC_FACT_IDLE, ro);
  properties[PROP_INSTANCE_GONE] = g_param_spec_boolean ("instance-gone", NULL, NULL, FALSE, ro);
  properties[PROP_QUOTA_STATUS] =
    g_param_spec_enum ("quota-status", NULL, NULL, TC_TYPE_FACT_STATUS, TC_FACT_IDLE, ro);
  properties[PROP_QUOTA] = g_param_spec_uint ("quota", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_USED] = g_param_spec_uint ("used", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_NAME_STATUS] =
    g_param_spec_enum ("name-status", NULL, NULL, TC_TYPE_FACT_STATUS, TC_FACT_IDLE, ro);
  properties[PROP_LOOKED_UP_NAME] = g_param_spec_string ("looked-up-name", NULL, NULL, NULL, ro);
  properties[PROP_LOOKED_UP_TAKEN] = g_param_spec_boolean ("looked-up-taken", NULL, NULL, FALSE, ro);
  properties[PROP_TAKEN_NAME] = g_param_spec_string ("taken-name", NULL, NULL, NULL, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tc_preflight_init (TcPreflight *self)
{
}
