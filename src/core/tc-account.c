/* tc-account.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tc-account.h"

#define DEFAULT_REGION "ap-guangzhou"

struct _TcAccount
{
  GObject     parent_instance;
  char       *id;
  char       *name;
  char       *secret_id;
  char       *region;
  TcProtocol  protocol;
  char       *endpoint;
  char       *legacy_cvm_endpoint;
  char       *legacy_image_endpoint;
};

G_DEFINE_FINAL_TYPE (TcAccount, tc_account, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_SECRET_ID,
  PROP_REGION,
  PROP_PROTOCOL,
  PROP_ENDPOINT,
  PROP_LEGACY_CVM_ENDPOINT,
  PROP_LEGACY_IMAGE_ENDPOINT,
  PROP_MASKED_SECRET_ID,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* Replaces *@field with a copy of @value and notifies @prop, but only when the text differs. */
static gboolean
set_string (TcAccount   *self,
            char       **field,
            const char  *value,
            guint        prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), props[prop]);
  return TRUE;
}

static void
tc_account_finalize (GObject *object)
{
  TcAccount *self = TC_ACCOUNT (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->secret_id);
  g_free (self->region);
  g_free (self->endpoint);
  g_free (self->legacy_cvm_endpoint);
  g_free (self->legacy_image_endpoint);

  G_OBJECT_CLASS (tc_account_parent_class)->finalize (object);
}

static void
tc_account_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  TcAccount *self = TC_ACCOUNT (object);

  switch (prop_id) {
  case PROP_ID:
    g_value_set_string (value, self->id);
    break;
  case PROP_NAME:
    g_value_set_string (value, self->name);
    break;
  case PROP_SECRET_ID:
    g_value_set_string (value, self->secret_id);
    break;
  case PROP_REGION:
    g_value_set_string (value, self->region);
    break;
  case PROP_PROTOCOL:
    g_value_set_uint (value, self->protocol);
    break;
  case PROP_ENDPOINT:
    g_value_set_string (value, self->endpoint);
    break;
  case PROP_LEGACY_CVM_ENDPOINT:
    g_value_set_string (value, self->legacy_cvm_endpoint);
    break;
  case PROP_LEGACY_IMAGE_ENDPOINT:
    g_value_set_string (value, self->legacy_image_endpoint);
    break;
  case PROP_MASKED_SECRET_ID:
    g_value_take_string (value, tc_account_dup_masked_secret_id (self));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tc_account_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  TcAccount *self = TC_ACCOUNT (object);

  switch (prop_id) {
  case PROP_ID:
    /* The id is the keyring item's key: an account always has one. */
    if (g_value_get_string (value) != NULL)
      set_string (self, &self->id, g_value_get_string (value), PROP_ID);
    break;
  case PROP_NAME:
    tc_account_set_name (self, g_value_get_string (value));
    break;
  case PROP_SECRET_ID:
    tc_account_set_secret_id (self, g_value_get_string (value));
    break;
  case PROP_REGION:
    tc_account_set_region (self, g_value_get_string (value));
    break;
  case PROP_PROTOCOL:
    tc_account_set_protocol (self, g_value_get_uint (value));
    break;
  case PROP_ENDPOINT:
    tc_account_set_endpoint (self, g_value_get_string (value));
    break;
  case PROP_LEGACY_CVM_ENDPOINT:
    tc_account_set_legacy_cvm_endpoint (self, g_value_get_string (value));
    break;
  case PROP_LEGACY_IMAGE_ENDPOINT:
    tc_account_set_legacy_image_endpoint (self, g_value_get_string (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
tc_account_class_init (TcAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = tc_account_finalize;
  object_class->get_property = tc_account_get_property;
  object_class->set_property = tc_account_set_property;

  props[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, rw);
  props[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, rw);
  props[PROP_SECRET_ID] = g_param_spec_string ("secret-id", NULL, NULL, NULL, rw);
  props[PROP_REGION] = g_param_spec_string ("region", NULL, NULL, DEFAULT_REGION, rw);
  props[PROP_PROTOCOL] = g_param_spec_uint ("protocol", NULL, NULL,
                                            TC_PROTOCOL_API3, TC_PROTOCOL_LEGACY,
                                            TC_PROTOCOL_API3, rw);
  props[PROP_ENDPOINT] =
    g_param_spec_string ("endpoint", NULL, NULL, TC_API3_DEFAULT_ENDPOINT, rw);
  props[PROP_LEGACY_CVM_ENDPOINT] =
    g_param_spec_string ("legacy-cvm-endpoint", NULL, NULL, TC_LEGACY_DEFAULT_CVM_ENDPOINT, rw);
  props[PROP_LEGACY_IMAGE_ENDPOINT] =
    g_param_spec_string ("legacy-image-endpoint", NULL, NULL, TC_LEGACY_DEFAULT_IMAGE_ENDPOINT, rw);
  props[PROP_MASKED_SECRET_ID] =
    g_param_spec_string ("masked-secret-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
tc_account_init (TcAccount *self)
{
  self->id = g_uuid_string_random ();
  self->name = g_strdup ("");
  self->secret_id = g_strdup ("");
  self->region = g_strdup (DEFAULT_REGION);
  self->protocol = TC_PROTOCOL_API3;
  self->endpoint = g_strdup (TC_API3_DEFAULT_ENDPOINT);
  self->legacy_cvm_endpoint = g_strdup (TC_LEGACY_DEFAULT_CVM_ENDPOINT);
  self->legacy_image_endpoint = g_strdup (TC_LEGACY_DEFAULT_IMAGE_ENDPOINT);
}

/**
 * tc_account_new:
 * @name: (nullable): the account's name
 * @secret_id: (nullable): the SecretId
 *
 * Returns: (transfer full): a new account with a fresh random id, the default region
 *   (`ap-guangzhou`), API 3.0 and the default endpoints
 */
TcAccount *
tc_account_new (const char *name,
                const char *secret_id)
{
  return g_object_new (TC_TYPE_ACCOUNT,
                       "name", name,
                       "secret-id", secret_id,
                       NULL);
}

/**
 * tc_account_copy:
 *
 * Returns: (transfer full): a new account with the same settings, id included; edit the
 *   copy and hand it to tc_account_store_save_async() to change an account
 */
TcAccount *
tc_account_copy (TcAccount *self)
{
  g_return_val_if_fail (TC_IS_ACCOUNT (self), NULL);

  return g_object_new (TC_TYPE_ACCOUNT,
                       "id", self->id,
                       "name", self->name,
                       "secret-id", self->secret_id,
                       "region", self->region,
                       "protocol", (guint) self->protocol,
                       "endpoint", self->endpoint,
                       "legacy-cvm-endpoint", self->legacy_cvm_endpoint,
                       "legacy-image-endpoint", self->legacy_image_endpoint,
                       NULL);
}

const char *
tc_account_get_id (TcAccount *self)
{
  g_return_val_if_fail (TC_IS_ACCOUNT (self), NULL);

  return self->id;
}

const char *
tc_account_get_name (TcAccount *self)
{
  g_return_val_if_fail (TC_IS_ACCOUNT (self), NULL);

  return self->name;
}

void
tc_account_set_name (TcAccount  *self,
                     const char *name)
{
  g_return_if_fail (TC_IS_ACCOUNT (self));

  set_string (self, &self->name, name ? name : "", PROP_NAME);
}

const char *
tc_account_get_secret_id (TcAccount *self)
{
  g_return_val_if_fail (TC_IS_ACCOUNT (self), NULL);

  return self->secret_id;
}

void
tc_account_set_secret_id (TcAccount  *self,
                          const char *secret_id)
{
  g_return_if_fail (TC_IS_ACCOUNT (self));

  if (set_string (self, &self->secret_id, secret_id ? secret_id : "", PROP_SECRET_ID))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MASKED_SECRET_ID]);
}

const char *
tc_account_get_region (TcAccount *self)
{
  g_return_val_if_fail (TC_IS_ACCOUNT (self), NULL);

  return self->region;
}

void
tc_account_set_region (TcAccount  *self,
                       const char *region)
{
  g_return_if_fail (TC_IS_ACCOUNT (self));

  set_string (self, &self->region, region ? region : "", PROP_REGION);
}

TcProtocol
tc_account_get_protocol (TcAccount *self)
{
  g_return_val_if_fail (TC_IS_ACCOUNT (self), TC_PROTOCOL_API3);

  return self->protocol;
}

void
tc_account_set_protocol (TcAccount  *self,
                         TcProtocol  protocol)
{
  g_return_if_fail (TC_IS_ACCOUNT (self));
  g_return_if_fail (protocol == TC_PROTOCOL_API3 || protocol == TC_PROTOCOL_LEGACY);

  if (self->protocol == protocol)
    return;

  self->protocol = protocol;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PROTOCOL]);
}

const char *
tc_account_get_endpoint (TcAccount *self)
{
  g_return_val_if_fail (TC_IS_ACCOUNT (self), NULL);

  return self->endpoint;
}

void
tc_account_set_endpoint (TcAccount  *self,
                         const char *endpoint)
{
  g_return_if_fail (TC_IS_ACCOUNT (self));

  set_string (self, &self->endpoint, endpoint ? endpoint : "", PROP_ENDPOINT);
}

const char *
tc_account_get_legacy_cvm_endpoint (TcAccount *self)
{
  g_return_val_if_fail (TC_IS_ACCOUNT (self), NULL);

  return self->legacy_cvm_endpoint;
}

void
tc_account_set_legacy_cvm_endpoint (TcAccount  *self,
                                    const char *endpoint)
{
  g_return_if_fail (TC_IS_ACCOUNT (self));

  set_string (self, &self->legacy_cvm_endpoint, endpoint ? endpoint : "",
              PROP_LEGACY_CVM_ENDPOINT);
}

const char *
tc_account_get_legacy_image_endpoint (TcAccount *self)
{
  g_return_val_if_fail (TC_IS_ACCOUNT (self), NULL);

  return self->legacy_image_endpoint;
}

void
tc_account_set_legacy_image_endpoint (TcAccount  *self,
                                      const char *endpoint)
{
  g_return_if_fail (TC_IS_ACCOUNT (self));

  set_string (self, &self->legacy_image_endpoint, endpoint ? endpoint : "",
              PROP_LEGACY_IMAGE_ENDPOINT);
}

/**
 * tc_account_dup_masked_secret_id:
 *
 * Returns: (transfer full): the SecretId with all but its last four characters hidden
 */
char *
tc_account_dup_masked_secret_id (TcAccount *self)
{
  g_return_val_if_fail (TC_IS_ACCOUNT (self), NULL);

  return tc_credentials_mask_secret_id (self->secret_id);
}

/**
 * tc_account_create_client:
 * @session: (nullable): the application's session, or %NULL for a new one
 * @pacer: (nullable): the application's pacer, shared by all its clients, or %NULL for
 *   one of the client's own
 * @credentials: the account's secrets, from tc_account_store_lookup_credentials_finish()
 *
 * Returns: (transfer full) (nullable): a client speaking the account's protocol to its
 *   endpoints, or %NULL with %TC_ERROR_BAD_ENDPOINT when an endpoint is unusable
 */
TcClient *
tc_account_create_client (TcAccount      *self,
                          SoupSession    *session,
                          TcPacer        *pacer,
                          TcCredentials  *credentials,
                          GError        **error)
{
  g_autoptr(TcClient) client = NULL;

  g_return_val_if_fail (TC_IS_ACCOUNT (self), NULL);
  g_return_val_if_fail (session == NULL || SOUP_IS_SESSION (session), NULL);
  g_return_val_if_fail (pacer == NULL || TC_IS_PACER (pacer), NULL);
  g_return_val_if_fail (credentials != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  client = tc_client_new (session, self->protocol, credentials);
  if (pacer != NULL)
    tc_client_set_pacer (client, pacer);
  if (!tc_client_set_endpoint (client, self->endpoint, error))
    return NULL;
  if (!tc_client_set_legacy_endpoints (client, self->legacy_cvm_endpoint,
                                       self->legacy_image_endpoint, error))
    return NULL;

  return g_steal_pointer (&client);
}
