/* tc-credentials.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tc-credentials.h"

struct _TcCredentials
{
  gatomicrefcount  ref_count;
  char            *secret_id;
  char            *secret_key;
  char            *token;
};

G_DEFINE_BOXED_TYPE (TcCredentials, tc_credentials, tc_credentials_ref, tc_credentials_unref)

/**
 * tc_credentials_new:
 * @token: (nullable): the session token of temporary credentials
 *
 * Returns: (transfer full): new credentials; the secrets are wiped from memory when the
 *   last reference goes
 */
TcCredentials *
tc_credentials_new (const char *secret_id,
                    const char *secret_key,
                    const char *token)
{
  TcCredentials *self = g_new0 (TcCredentials, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->secret_id = g_strdup (secret_id ? secret_id : "");
  self->secret_key = g_strdup (secret_key ? secret_key : "");
  self->token = token && *token ? g_strdup (token) : NULL;
  return self;
}

TcCredentials *
tc_credentials_ref (TcCredentials *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

static void
wipe_string (char **str)
{
  if (*str != NULL) {
    memset (*str, 0, strlen (*str));
    g_clear_pointer (str, g_free);
  }
}

void
tc_credentials_unref (TcCredentials *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count)) {
    g_free (self->secret_id);
    wipe_string (&self->secret_key);
    wipe_string (&self->token);
    g_free (self);
  }
}

const char *
tc_credentials_get_secret_id (TcCredentials *self)
{
  return self->secret_id;
}

const char *
tc_credentials_get_secret_key (TcCredentials *self)
{
  return self->secret_key;
}

const char *
tc_credentials_get_token (TcCredentials *self)
{
  return self->token;
}

/**
 * tc_credentials_mask_secret_id:
 * @secret_id: (nullable): a SecretId, valid UTF-8 or not
 *
 * Returns: (transfer full): the SecretId with all but its last four characters hidden,
 *   for display outside the account editor; bytes that are not UTF-8 show as U+FFFD
 */
char *
tc_credentials_mask_secret_id (const char *secret_id)
{
  /* g_utf8_strlen() trusts its input: on a truncated sequence at the end it steps past
   * the terminating NUL. Counting on a repaired copy keeps every step inside it. */
  g_autofree char *valid = g_utf8_make_valid (secret_id ? secret_id : "", -1);
  glong len = g_utf8_strlen (valid, -1);

  if (len <= 4)
    return g_strdup ("••••");
  return g_strconcat ("••••", g_utf8_offset_to_pointer (valid, len - 4), NULL);
}
