/* tc-account-store-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The account store's errors carry two things beside their message: the keyring's or the
 * system's own words, for a "Details" section, and the form field an invalid account is
 * wrong in, so the editor can point at it. The accounts file, the keyring and the store
 * all make them here, in one way.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "tc-account-store.h"
#include "tc-account-store-private.h"

typedef struct {
  char *details;
  char *field;
} TcAccountStoreErrorPrivate;

static void
tc_account_store_error_private_init (TcAccountStoreErrorPrivate *priv)
{
}

static void
tc_account_store_error_private_copy (const TcAccountStoreErrorPrivate *src,
                                     TcAccountStoreErrorPrivate       *dest)
{
  dest->details = g_strdup (src->details);
  dest->field = g_strdup (src->field);
}

static void
tc_account_store_error_private_clear (TcAccountStoreErrorPrivate *priv)
{
  g_clear_pointer (&priv->details, g_free);
  g_clear_pointer (&priv->field, g_free);
}

G_DEFINE_EXTENDED_ERROR (TcAccountStoreError, tc_account_store_error)

/**
 * tc_account_store_error_get_details:
 *
 * Returns: (transfer none) (nullable): the underlying keyring or system message of a
 *   %TC_ACCOUNT_STORE_ERROR (for KEYRING_FAILED and FILE also appended to its message);
 *   %NULL when there is none
 */
const char *
tc_account_store_error_get_details (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != TC_ACCOUNT_STORE_ERROR)
    return NULL;
  return tc_account_store_error_get_private (error)->details;
}

/**
 * tc_account_store_error_get_field:
 *
 * Returns: (transfer none) (nullable): the property name of the field an INVALID or
 *   NAME_TAKEN error is about
 */
const char *
tc_account_store_error_get_field (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != TC_ACCOUNT_STORE_ERROR)
    return NULL;
  return tc_account_store_error_get_private (error)->field;
}

/* @summary says what happened and what to do; @details (nullable) is kept apart for a
 * "Details" section and, where it helps (a keyring failure without a known cause, a file
 * problem), appended to the message. Neither ever holds a secret. */
GError *
tc_account_store_error_new (TcAccountStoreError  code,
                            const char          *field,
                            const char          *details,
                            const char          *summary)
{
  GError *error;
  TcAccountStoreErrorPrivate *priv;
  gboolean append = code == TC_ACCOUNT_STORE_ERROR_KEYRING_FAILED ||
                    code == TC_ACCOUNT_STORE_ERROR_FILE;
  /* Details come from elsewhere: json-glib's parse errors quote the damaged file, half a
   * character included (found by tests/fuzz/fuzz-accounts). They are shown: repaired. */
  g_autofree char *valid_details = details ? g_utf8_make_valid (details, -1) : NULL;

  details = valid_details;
  if (append && details != NULL && *details != '\0') {
    /* TRANSLATORS: the first %s is a complete sentence saying what went wrong; the
     * second is a technical message from the keyring or the system. */
    g_autofree char *message = g_strdup_printf (_("%s Details: %s"), summary, details);

    error = g_error_new_literal (TC_ACCOUNT_STORE_ERROR, code, message);
  } else {
    error = g_error_new_literal (TC_ACCOUNT_STORE_ERROR, code, summary);
  }

  priv = tc_account_store_error_get_private (error);
  priv->field = g_strdup (field);
  priv->details = details && *details ? g_strdup (details) : NULL;
  return error;
}